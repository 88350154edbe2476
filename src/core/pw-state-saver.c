/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-state-file.h"
#include "pw-state-saver.h"

/* Every heartbeat answer changes some session's state, and with 10,000
 * sessions that is dozens of changes a second. Rewriting (and fsyncing) the
 * state file for each would wear disks and steal the main loop, so changes
 * only mark the saver dirty and one save follows after a delay: at most one
 * save per delay window, whatever the number of changes. Quitting flushes.
 *
 * Saving is synchronous on the main thread: about 80 ms for 10,000
 * sessions and 5,000 events (4 MiB, fsync included; see test-state-file),
 * which one save every few seconds can afford. A failed save is reported through
 * PwStateSaver::save-failed and PwStateSaver:last-error; tracking goes on
 * and the next change or flush tries again. */

struct _PwStateSaver
{
  GObject parent_instance;

  char *path;
  guint delay_ms;
  PwStateSaverCollectFunc collect_func;
  gpointer user_data;

  GMainContext *context;
  GSource *timeout;

  char *last_error;
  gboolean dirty;
};

G_DEFINE_FINAL_TYPE (PwStateSaver, pw_state_saver, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_DELAY,
  PROP_DIRTY,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
set_dirty (PwStateSaver *self, gboolean dirty)
{
  if (self->dirty == dirty)
    return;

  self->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
set_last_error (PwStateSaver *self, const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static gboolean
save_now (PwStateSaver *self, GError **error)
{
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) local_error = NULL;

  g_assert (self->collect_func != NULL);

  g_clear_pointer (&self->timeout, destroy_source);

  self->collect_func (&sessions, &events, self->user_data);
  g_assert (sessions != NULL);

  if (!pw_state_file_save (self->path, sessions, events, &local_error))
    {
      /* Stay dirty, so the next change or the flush on quit tries again. */
      set_dirty (self, TRUE);
      set_last_error (self, local_error->message);
      g_signal_emit (self, signals[SAVE_FAILED], 0, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_dirty (self, FALSE);
  set_last_error (self, NULL);

  return TRUE;
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  g_autoptr (PwStateSaver) self = g_object_ref (user_data);

  /* A save-failed handler may drop the last other reference. */
  save_now (self, NULL);

  return G_SOURCE_REMOVE;
}

static void
pw_state_saver_dispose (GObject *object)
{
  PwStateSaver *self = PW_STATE_SAVER (object);

  g_clear_pointer (&self->timeout, destroy_source);

  G_OBJECT_CLASS (pw_state_saver_parent_class)->dispose (object);
}

static void
pw_state_saver_finalize (GObject *object)
{
  PwStateSaver *self = PW_STATE_SAVER (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pw_state_saver_parent_class)->finalize (object);
}

static void
pw_state_saver_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  PwStateSaver *self = PW_STATE_SAVER (object);

  switch (prop_id)
    {
      case PROP_PATH:
        g_value_set_string (value, self->path);
        break;

      case PROP_DELAY:
        g_value_set_uint (value, self->delay_ms);
        break;

      case PROP_DIRTY:
        g_value_set_boolean (value, self->dirty);
        break;

      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_state_saver_set_property (GObject *object,
                             guint prop_id,
                             const GValue *value,
                             GParamSpec *pspec)
{
  PwStateSaver *self = PW_STATE_SAVER (object);

  switch (prop_id)
    {
      case PROP_PATH:
        self->path = g_value_dup_string (value);
        break;

      case PROP_DELAY:
        self->delay_ms = g_value_get_uint (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_state_saver_class_init (PwStateSaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_state_saver_dispose;
  object_class->finalize = pw_state_saver_finalize;
  object_class->get_property = pw_state_saver_get_property;
  object_class->set_property = pw_state_saver_set_property;

  /**
   * PwStateSaver:path:
   *
   * The state file, see pw_state_file_save().
   */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, construct);

  /**
   * PwStateSaver:delay:
   *
   * How long after the first change a save happens, in milliseconds.
   */
  properties[PROP_DELAY] =
      g_param_spec_uint ("delay", NULL, NULL, 0, G_MAXUINT, 2000, construct);

  /**
   * PwStateSaver:dirty:
   *
   * Whether there are changes not saved yet (also after a failed save).
   */
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE, ro);

  /**
   * PwStateSaver:last-error:
   *
   * The message of the last failed save, or %NULL once a save succeeds:
   * something a banner can bind to.
   */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwStateSaver::save-failed:
   * @self: the saver
   * @message: what went wrong, naming the file
   *
   * Emitted after every failed save. Tracking goes on; the state is saved
   * again on the next change.
   */
  signals[SAVE_FAILED] =
      g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pw_state_saver_init (PwStateSaver *self)
{
  self->delay_ms = 2000;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * pw_state_saver_new:
 * @path: the state file, usually pw_state_file_default_path()
 * @delay_ms: how long to wait after the first change before saving
 * @collect_func: takes the snapshot to save, once per save
 * @user_data: for @collect_func; must outlive the saver
 *
 * The saver's timeout runs on the thread-default main context at the time
 * of the call.
 *
 * Returns: (transfer full): a new #PwStateSaver
 */
PwStateSaver *
pw_state_saver_new (const char *path,
                    guint delay_ms,
                    PwStateSaverCollectFunc collect_func,
                    gpointer user_data)
{
  PwStateSaver *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (collect_func != NULL, NULL);

  self = g_object_new (PW_TYPE_STATE_SAVER, "path", path, "delay", delay_ms, NULL);
  self->collect_func = collect_func;
  self->user_data = user_data;

  return self;
}

const char *
pw_state_saver_get_path (PwStateSaver *self)
{
  g_return_val_if_fail (PW_IS_STATE_SAVER (self), NULL);

  return self->path;
}

gboolean
pw_state_saver_get_dirty (PwStateSaver *self)
{
  g_return_val_if_fail (PW_IS_STATE_SAVER (self), FALSE);

  return self->dirty;
}

const char *
pw_state_saver_get_last_error (PwStateSaver *self)
{
  g_return_val_if_fail (PW_IS_STATE_SAVER (self), NULL);

  return self->last_error;
}

/**
 * pw_state_saver_mark_dirty:
 *
 * Records that something to save changed. A save follows after the delay,
 * unless one is already scheduled: however many changes come in, there is
 * at most one save per delay.
 */
void
pw_state_saver_mark_dirty (PwStateSaver *self)
{
  g_return_if_fail (PW_IS_STATE_SAVER (self));
  g_return_if_fail (self->collect_func != NULL);

  set_dirty (self, TRUE);

  if (self->timeout != NULL)
    return;

  self->timeout = g_timeout_source_new (self->delay_ms);
  g_source_set_static_name (self->timeout, "[playwave] state saver");
  g_source_set_callback (self->timeout, save_timeout_cb, self, NULL);
  g_source_attach (self->timeout, self->context);
}

/**
 * pw_state_saver_flush:
 *
 * Saves at once if anything changed since the last successful save, and
 * cancels the scheduled save. Call it before quitting: dropping the saver
 * does not save.
 *
 * Returns: %TRUE if there was nothing to save or the save succeeded
 */
gboolean
pw_state_saver_flush (PwStateSaver *self, GError **error)
{
  g_return_val_if_fail (PW_IS_STATE_SAVER (self), FALSE);
  g_return_val_if_fail (self->collect_func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->dirty)
    return TRUE;

  return save_now (self, error);
}
