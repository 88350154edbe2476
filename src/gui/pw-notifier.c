/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-notifier.h"

/* Desktop notifications (SPEC.md: CHARGE_EXHAUSTED, SESSION_REPLACED and
 * 410, when the window is not focused).
 *
 * The rules, so a thousand sessions running out of charge together do not
 * bury the desktop:
 * - Events go into three groups: out of charge, replaced, ended by the
 *   server (410 SESSION_ENDED or SESSION_ENDING). A session counts once per
 *   group.
 * - The first event of a burst starts a timer (delay-ms, 2 s); when it
 *   fires, every group that changed sends one notification with a fixed id
 *   per group, so a later burst replaces the group's notification with the
 *   new total instead of adding one. One session: "Out of charge: gs_…",
 *   which opens that session (app.show-session). Several: "5 sessions ran
 *   out of charge", which opens the status panel on that kind
 *   (app.show-events).
 * - Counts run from the moment the window was last active. When it becomes
 *   active again, the notifications are withdrawn and the counts start
 *   over: the window shows it all now.
 * - Nothing is collected while the window is active or the setting is
 *   off; turning the setting off withdraws what is out.
 *
 * PwNotifier::send and ::withdraw carry the notifications; their class
 * handlers hand them to the GApplication. Tests make the notifier without
 * an application and watch the signals (GLib has no notification mock). */

typedef enum
{
  GROUP_CHARGE,
  GROUP_REPLACED,
  GROUP_ENDED,
  N_GROUPS
} Group;

typedef struct
{
  char *session_id;
  char *user_id;
  char *message;
  PwEventKind kind;
} Entry;

typedef struct
{
  GPtrArray *entries; /* Entry, in arrival order */
  GHashTable *seen;   /* session ids of the entries */
  gboolean dirty;
  gboolean sent;
} GroupState;

struct _PwNotifier
{
  GObject parent_instance;

  GApplication *application; /* weak */
  PwTracker *tracker;
  gboolean enabled;
  gboolean window_active;
  guint delay_ms;
  guint flush_id;
  GroupState groups[N_GROUPS];
};

G_DEFINE_FINAL_TYPE (PwNotifier, pw_notifier, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ENABLED,
  PROP_WINDOW_ACTIVE,
  PROP_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SEND,
  SIGNAL_WITHDRAW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Stable: a new burst replaces its group's notification. */
static const char *const group_ids[N_GROUPS] = {
  [GROUP_CHARGE] = "charge-exhausted",
  [GROUP_REPLACED] = "session-replaced",
  [GROUP_ENDED] = "session-ended",
};

#define MAX_IDS_LISTED 5

/* Helpers */

static void
entry_free (Entry *entry)
{
  g_free (entry->session_id);
  g_free (entry->user_id);
  g_free (entry->message);
  g_free (entry);
}

static gboolean
group_for_kind (PwEventKind kind, Group *group)
{
  switch (kind)
    {
      case PW_EVENT_CHARGE_EXHAUSTED:
        *group = GROUP_CHARGE;
        return TRUE;
      case PW_EVENT_SESSION_REPLACED:
        *group = GROUP_REPLACED;
        return TRUE;
      case PW_EVENT_SESSION_ENDED:
      case PW_EVENT_SESSION_ENDING:
        *group = GROUP_ENDED;
        return TRUE;
      case PW_EVENT_TRACKING_STARTED:
      case PW_EVENT_UNKNOWN_RESULT:
      case PW_EVENT_SESSION_LOST:
      case PW_EVENT_UNAUTHORIZED:
      case PW_EVENT_RATE_LIMITED:
      case PW_EVENT_NETWORK_FAILURES:
      case PW_EVENT_RECOVERED:
      case PW_EVENT_EXPIRED:
      case PW_EVENT_PAUSED:
      case PW_EVENT_RESUMED:
      case PW_EVENT_ENDED:
      case PW_EVENT_ALREADY_CLEANED_UP:
      case PW_EVENT_END_FAILED:
      case PW_EVENT_CLOCK_SKEW:
      case PW_EVENT_STATE_FILE_DAMAGED:
      default:
        return FALSE;
    }
}

static void
group_reset (GroupState *state)
{
  g_ptr_array_set_size (state->entries, 0);
  g_hash_table_remove_all (state->seen);
  state->dirty = FALSE;
  state->sent = FALSE;
}

static char *
single_title (Entry *entry)
{
  if (entry->kind == PW_EVENT_CHARGE_EXHAUSTED)
    /* Translators: notification title; %s is a session id */
    return g_strdup_printf (_ ("Out of charge: %s"), entry->session_id);
  if (entry->kind == PW_EVENT_SESSION_REPLACED)
    /* Translators: notification title; %s is a session id */
    return g_strdup_printf (_ ("Session replaced: %s"), entry->session_id);
  if (entry->kind == PW_EVENT_SESSION_ENDING)
    /* Translators: notification title; %s is a session id */
    return g_strdup_printf (_ ("Being ended by the server: %s"), entry->session_id);

  /* Translators: notification title; %s is a session id */
  return g_strdup_printf (_ ("Ended by the server: %s"), entry->session_id);
}

static char *
single_body (Entry *entry)
{
  const char *what;

  if (entry->kind == PW_EVENT_CHARGE_EXHAUSTED)
    what = _ ("The player ran out of charge; the server ends the session when the "
              "2-minute grace is over.");
  else if (entry->kind == PW_EVENT_SESSION_REPLACED)
    what = _ ("Another game session started on the same PC, so heartbeats stopped.");
  else if (entry->message != NULL)
    /* The tracker's words, which say when the launcher went silent. */
    what = entry->message;
  else
    what = _ ("The server ended the session (410).");

  if (entry->user_id == NULL)
    return g_strdup (what);

  /* Translators: notification body: the user id, then what happened */
  return g_strdup_printf (_ ("User %s. %s"), entry->user_id, what);
}

static char *
group_title (Group group, guint n)
{
  switch (group)
    {
      case GROUP_CHARGE:
        return g_strdup_printf (
            ngettext ("%u session ran out of charge", "%u sessions ran out of charge", n),
            n);
      case GROUP_REPLACED:
        return g_strdup_printf (
            ngettext ("%u session was replaced", "%u sessions were replaced", n), n);
      case GROUP_ENDED:
      case N_GROUPS:
      default:
        return g_strdup_printf (ngettext ("%u session was ended by the server",
                                          "%u sessions were ended by the server", n),
                                n);
    }
}

static char *
group_body (GroupState *state)
{
  GString *body = g_string_new (NULL);
  guint n = state->entries->len;

  for (guint i = 0; i < MIN (n, MAX_IDS_LISTED); i++)
    {
      Entry *entry = g_ptr_array_index (state->entries, i);

      if (i > 0)
        g_string_append (body, ", ");
      g_string_append (body, entry->session_id);
    }

  if (n > MAX_IDS_LISTED)
    {
      g_string_append (body, " ");
      g_string_append_printf (body,
                              /* Translators: after a list of session ids:
                               * "gs_1, gs_2, gs_3 and 2 more" */
                              ngettext ("and %u more", "and %u more", n - MAX_IDS_LISTED),
                              n - MAX_IDS_LISTED);
    }

  return g_string_free (body, FALSE);
}

/* The filter the status panel opens with for a group: its kind, or every
 * important event when 410s of both kinds are in it. */
static const char *
group_filter (Group group, GroupState *state)
{
  PwEventKind first = ((Entry *) g_ptr_array_index (state->entries, 0))->kind;

  for (guint i = 1; i < state->entries->len; i++)
    if (((Entry *) g_ptr_array_index (state->entries, i))->kind != first)
      return "important";

  return pw_event_kind_to_string (first);
}

/* Title, body and the detailed default action of a group's notification. */
static void
describe (Group group, GroupState *state, char **title, char **body, char **action)
{
  Entry *first = g_ptr_array_index (state->entries, 0);

  if (state->entries->len == 1)
    {
      *title = single_title (first);
      *body = single_body (first);
      *action = g_action_print_detailed_name ("app.show-session",
                                              g_variant_new_string (first->session_id));
    }
  else
    {
      *title = group_title (group, state->entries->len);
      *body = group_body (state);
      *action = g_action_print_detailed_name (
          "app.show-events", g_variant_new_string (group_filter (group, state)));
    }
}

static void
withdraw_all (PwNotifier *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);

  for (guint i = 0; i < N_GROUPS; i++)
    {
      if (self->groups[i].sent)
        g_signal_emit (self, signals[SIGNAL_WITHDRAW], 0, group_ids[i]);
      group_reset (&self->groups[i]);
    }
}

/* Callbacks */

static gboolean
flush_cb (gpointer user_data)
{
  PwNotifier *self = user_data;

  self->flush_id = 0;
  pw_notifier_flush (self);

  return G_SOURCE_REMOVE;
}

static void
event_cb (PwTracker *tracker, PwEvent *event, PwNotifier *self)
{
  const char *session_id = pw_event_get_session_id (event);
  GroupState *state;
  Entry *entry;
  Group group;

  if (!self->enabled || self->window_active || session_id == NULL ||
      !group_for_kind (pw_event_get_kind (event), &group))
    return;

  state = &self->groups[group];
  if (g_hash_table_contains (state->seen, session_id))
    return;

  entry = g_new0 (Entry, 1);
  entry->session_id = g_strdup (session_id);
  entry->user_id = g_strdup (pw_event_get_user_id (event));
  entry->message = g_strdup (pw_event_get_message (event));
  entry->kind = pw_event_get_kind (event);
  g_ptr_array_add (state->entries, entry);
  g_hash_table_add (state->seen, entry->session_id);
  state->dirty = TRUE;

  /* The first event of a burst sets the time; the rest join it. */
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (self->delay_ms, flush_cb, self);
}

static void
send_default_cb (PwNotifier *self,
                 const char *id,
                 const char *title,
                 const char *body,
                 const char *action)
{
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GVariant) target = NULL;
  g_autofree char *action_name = NULL;
  g_autoptr (GError) error = NULL;

  /* Every notification backend on Linux talks D-Bus (a notification
   * server, or the portal in a Flatpak); without a session bus there is
   * nowhere to send to, and GLib would complain. */
  if (self->application == NULL ||
      g_application_get_dbus_connection (self->application) == NULL)
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  /* The 410s and replacements need someone now; running out of charge
   * leaves two minutes. */
  g_notification_set_priority (notification, g_str_equal (id, group_ids[GROUP_CHARGE])
                                                 ? G_NOTIFICATION_PRIORITY_NORMAL
                                                 : G_NOTIFICATION_PRIORITY_HIGH);
  if (g_action_parse_detailed_name (action, &action_name, &target, &error))
    g_notification_set_default_action_and_target_value (notification, action_name,
                                                        target);
  else
    g_warning ("Bad notification action %s: %s", action, error->message);

  g_application_send_notification (self->application, id, notification);
}

static void
withdraw_default_cb (PwNotifier *self, const char *id)
{
  if (self->application != NULL &&
      g_application_get_dbus_connection (self->application) != NULL)
    g_application_withdraw_notification (self->application, id);
}

/* Overrides */

static void
pw_notifier_dispose (GObject *object)
{
  PwNotifier *self = (PwNotifier *) object;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->tracker != NULL)
    g_signal_handlers_disconnect_by_data (self->tracker, self);
  g_clear_object (&self->tracker);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (pw_notifier_parent_class)->dispose (object);
}

static void
pw_notifier_finalize (GObject *object)
{
  PwNotifier *self = (PwNotifier *) object;

  for (guint i = 0; i < N_GROUPS; i++)
    {
      g_clear_pointer (&self->groups[i].seen, g_hash_table_unref);
      g_clear_pointer (&self->groups[i].entries, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (pw_notifier_parent_class)->finalize (object);
}

static void
pw_notifier_get_property (GObject *object,
                          guint prop_id,
                          GValue *value,
                          GParamSpec *pspec)
{
  PwNotifier *self = PW_NOTIFIER (object);

  switch (prop_id)
    {
      case PROP_ENABLED:
        g_value_set_boolean (value, self->enabled);
        break;

      case PROP_WINDOW_ACTIVE:
        g_value_set_boolean (value, self->window_active);
        break;

      case PROP_DELAY_MS:
        g_value_set_uint (value, self->delay_ms);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_notifier_set_property (GObject *object,
                          guint prop_id,
                          const GValue *value,
                          GParamSpec *pspec)
{
  PwNotifier *self = PW_NOTIFIER (object);

  switch (prop_id)
    {
      case PROP_ENABLED:
        pw_notifier_set_enabled (self, g_value_get_boolean (value));
        break;

      case PROP_WINDOW_ACTIVE:
        pw_notifier_set_window_active (self, g_value_get_boolean (value));
        break;

      case PROP_DELAY_MS:
        pw_notifier_set_delay_ms (self, g_value_get_uint (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_notifier_class_init (PwNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags =
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_notifier_dispose;
  object_class->finalize = pw_notifier_finalize;
  object_class->get_property = pw_notifier_get_property;
  object_class->set_property = pw_notifier_set_property;

  /* The "notifications" setting. */
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);
  /* Whether the window has the focus: then nothing is notified. */
  properties[PROP_WINDOW_ACTIVE] =
      g_param_spec_boolean ("window-active", NULL, NULL, FALSE, flags);
  properties[PROP_DELAY_MS] = g_param_spec_uint ("delay-ms", NULL, NULL, 0, 60000,
                                                 PW_NOTIFIER_DEFAULT_DELAY_MS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwNotifier::send:
   * @id: the notification's id (one per group)
   * @title: its title
   * @body: its body
   * @action: its default action, detailed ("app.show-session('gs_1')")
   *
   * The class handler makes a GNotification and sends it through the
   * application.
   */
  signals[SIGNAL_SEND] = g_signal_new_class_handler (
      "send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, G_CALLBACK (send_default_cb),
      NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
      G_TYPE_STRING);

  /**
   * PwNotifier::withdraw:
   * @id: a notification sent before
   */
  signals[SIGNAL_WITHDRAW] = g_signal_new_class_handler (
      "withdraw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
      G_CALLBACK (withdraw_default_cb), NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pw_notifier_init (PwNotifier *self)
{
  self->enabled = TRUE;
  self->delay_ms = PW_NOTIFIER_DEFAULT_DELAY_MS;

  for (guint i = 0; i < N_GROUPS; i++)
    {
      self->groups[i].entries =
          g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
      self->groups[i].seen = g_hash_table_new (g_str_hash, g_str_equal);
    }
}

/* Public API */

/**
 * pw_notifier_new:
 * @application: (nullable): where notifications go; %NULL leaves them to
 *   the signal handlers (tests)
 *
 * Returns: (transfer full): a notifier following @tracker's events; it
 *   holds a weak reference on @application
 */
PwNotifier *
pw_notifier_new (GApplication *application, PwTracker *tracker)
{
  PwNotifier *self;

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);

  self = g_object_new (PW_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->tracker = g_object_ref (tracker);
  g_signal_connect_object (tracker, "event", G_CALLBACK (event_cb), self, 0);

  return self;
}

gboolean
pw_notifier_get_enabled (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), FALSE);

  return self->enabled;
}

void
pw_notifier_set_enabled (PwNotifier *self, gboolean enabled)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  if (!enabled)
    withdraw_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
pw_notifier_get_window_active (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), FALSE);

  return self->window_active;
}

/**
 * pw_notifier_set_window_active:
 *
 * Bound to the window's GtkWindow:is-active. Becoming active withdraws
 * what was sent and starts the counts over.
 */
void
pw_notifier_set_window_active (PwNotifier *self, gboolean active)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));

  active = !!active;
  if (self->window_active == active)
    return;

  self->window_active = active;
  if (active)
    withdraw_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_ACTIVE]);
}

guint
pw_notifier_get_delay_ms (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), 0);

  return self->delay_ms;
}

/* Applies from the next burst on. */
void
pw_notifier_set_delay_ms (PwNotifier *self, guint delay_ms)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));

  if (self->delay_ms == delay_ms)
    return;

  self->delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY_MS]);
}

/**
 * pw_notifier_flush:
 *
 * Sends what the current burst collected now instead of when its timer
 * fires.
 */
void
pw_notifier_flush (PwNotifier *self)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);

  for (guint i = 0; i < N_GROUPS; i++)
    {
      GroupState *state = &self->groups[i];
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autofree char *action = NULL;

      if (!state->dirty || state->entries->len == 0)
        continue;

      describe (i, state, &title, &body, &action);
      state->dirty = FALSE;
      state->sent = TRUE;
      g_signal_emit (self, signals[SIGNAL_SEND], 0, group_ids[i], title, body, action);
    }
}

/**
 * pw_notifier_kind_notifies:
 *
 * Returns: whether events of @kind make a desktop notification
 */
gboolean
pw_notifier_kind_notifies (PwEventKind kind)
{
  Group group;

  return group_for_kind (kind, &group);
}
