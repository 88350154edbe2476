/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-demo.h"
#include "pw-state-file.h"

/* `playwave-monitor --sandbox`: every state within a few minutes, in real
 * time (the sandbox runs on the system clock; skipping sandbox time would
 * move every session at once, so nothing here does).
 *
 * - gs_demo-healthy-1…7: OK forever; 1–3 every 30 or 60 s so timers move.
 * - gs_demo-charge-40s: 40 s of charge: Out of charge at 0:40, then the
 *   server ends it after the 2-minute grace (410 SESSION_ENDING, ~3:00).
 * - gs_demo-replaced: a newer session starts on its PC at 0:20; Replaced
 *   at its next heartbeat (~0:20–0:50).
 * - gs_demo-replacer: the newer one, added at 0:20: OK.
 * - gs_demo-launcher-silent: its PC's launcher fell silent 2:30 before
 *   launch: the first heartbeat after its 4 minutes of silence gets 410
 *   (launcher silent), ~1:30–2:00.
 * - gs_demo-paused: started 2:30 before launch and paused since its last
 *   heartbeat then (as a saved session comes back): the expiry countdown
 *   runs out at 1:30, Expired; the server expires it at the same moment.
 * - gs_demo-unknown: the server never heard of it: Not found (404) at once.
 *
 * The 4-minute rules of the server are not shortened: the two sessions
 * that show them start from a past the sandbox and the tracker agree on
 * (pw_sandbox_backdate_session(), pw_sandbox_silence_launcher_since(),
 * pw_tracker_restore()). The sandbox's time offset would have moved every
 * session at once. */

/* How long before launch the launcher-silent and paused stories begin. */
#define BACKDATE_SEC 150
#define REPLACER_DELAY_SEC 20

typedef struct
{
  const char *session_id;
  const char *user_id;
  const char *pc_id;
  gint64 charge_sec;
  gint64 next_heartbeat_in;
  gboolean paused; /* and started BACKDATE_SEC before launch */
  gboolean on_server;
} DemoSession;

static const DemoSession demo_sessions[] = {
  { "gs_demo-healthy-1", "1001", "demo-pc-1", -1, 30, FALSE, TRUE },
  { "gs_demo-healthy-2", "1002", "demo-pc-2", -1, 30, FALSE, TRUE },
  { "gs_demo-healthy-3", "1003", "demo-pc-3", -1, 60, FALSE, TRUE },
  { "gs_demo-healthy-4", "1004", "demo-pc-4", -1, 0, FALSE, TRUE },
  { "gs_demo-healthy-5", "1005", "demo-pc-5", -1, 0, FALSE, TRUE },
  { "gs_demo-healthy-6", "1006", "demo-pc-6", -1, 0, FALSE, TRUE },
  { "gs_demo-healthy-7", "1007", "demo-pc-7", -1, 0, FALSE, TRUE },
  { "gs_demo-charge-40s", "1008", "demo-pc-8", 40, 20, FALSE, TRUE },
  { "gs_demo-replaced", "1009", "demo-pc-9", -1, 30, FALSE, TRUE },
  { "gs_demo-launcher-silent", "1010", "demo-pc-10", -1, 30, FALSE, TRUE },
  { "gs_demo-paused", "1011", "demo-pc-11", -1, 0, TRUE, TRUE },
  { "gs_demo-unknown", "1012", NULL, -1, 0, FALSE, FALSE },
};

static const DemoSession demo_replacer = {
  "gs_demo-replacer", "1013", "demo-pc-9", -1, 30, FALSE, TRUE,
};

struct _PwDemo
{
  GObject parent_instance;

  PwSandbox *sandbox;
  PwTracker *tracker;
  char *connection;
  guint replacer_id;
  guint n_sessions;
};

G_DEFINE_FINAL_TYPE (PwDemo, pw_demo, G_TYPE_OBJECT)

/* Helpers */

/* A paused session as the tracker restores one: tracked and last
 * heartbeated BACKDATE_SEC ago. */
static gboolean
pw_demo_restore_paused (PwDemo *self, const DemoSession *demo, GError **error)
{
  g_autoptr (GPtrArray) saved_sessions =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  PwSavedSession *saved = pw_saved_session_new (demo->session_id, demo->user_id);
  gint64 then = pw_clock_get_real_us (pw_tracker_get_clock (self->tracker)) -
                BACKDATE_SEC * G_USEC_PER_SEC;

  saved->connection = g_strdup (self->connection);
  saved->state = PW_SESSION_STATE_ACTIVE;
  saved->paused = TRUE;
  saved->tracked_since_real_us = then;
  saved->tracked_from_start = TRUE;
  saved->last_success_real_us = then;
  saved->server_play_sec = 0;
  saved->last_status = 200;
  saved->last_result = g_strdup ("OK");
  g_ptr_array_add (saved_sessions, saved);

  return pw_tracker_restore (self->tracker, saved_sessions, error) == 1;
}

static void
pw_demo_add (PwDemo *self, const DemoSession *demo)
{
  g_autoptr (GError) error = NULL;
  gboolean tracked;

  if (demo->on_server)
    {
      g_autofree char *id = pw_sandbox_create_session (
          self->sandbox, demo->session_id, demo->user_id, demo->pc_id, demo->charge_sec);

      if (id == NULL)
        return;
      if (demo->next_heartbeat_in > 0)
        pw_sandbox_set_next_heartbeat_in (self->sandbox, id, demo->next_heartbeat_in);
      if (demo->paused)
        pw_sandbox_backdate_session (self->sandbox, id, BACKDATE_SEC);
    }

  if (demo->paused)
    tracked = pw_demo_restore_paused (self, demo, &error);
  else
    tracked = pw_tracker_track (self->tracker, demo->session_id, demo->user_id,
                                self->connection, FALSE, &error) != NULL;
  if (!tracked)
    {
      g_debug ("Demo session %s not tracked: %s", demo->session_id, error->message);
      return;
    }

  self->n_sessions++;
}

/* Callbacks */

static gboolean
replacer_cb (gpointer user_data)
{
  PwDemo *self = user_data;

  self->replacer_id = 0;
  pw_demo_add (self, &demo_replacer);

  return G_SOURCE_REMOVE;
}

/* Overrides */

static void
pw_demo_dispose (GObject *object)
{
  PwDemo *self = (PwDemo *) object;

  g_clear_handle_id (&self->replacer_id, g_source_remove);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_demo_parent_class)->dispose (object);
}

static void
pw_demo_finalize (GObject *object)
{
  PwDemo *self = (PwDemo *) object;

  g_free (self->connection);

  G_OBJECT_CLASS (pw_demo_parent_class)->finalize (object);
}

static void
pw_demo_class_init (PwDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_demo_dispose;
  object_class->finalize = pw_demo_finalize;
}

static void
pw_demo_init (PwDemo *self)
{
}

/* Public API */

PwDemo *
pw_demo_new (PwSandbox *sandbox, PwTracker *tracker, const char *connection)
{
  PwDemo *self;

  g_return_val_if_fail (PW_IS_SANDBOX (sandbox), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  self = g_object_new (PW_TYPE_DEMO, NULL);
  self->sandbox = g_object_ref (sandbox);
  self->tracker = g_object_ref (tracker);
  self->connection = g_strdup (connection);

  return self;
}

/**
 * pw_demo_start:
 * @n_extra: healthy sessions to add besides the scenario, to see the
 *   window under load (`PLAYWAVE_DEMO_EXTRA_SESSIONS`)
 *
 * Creates the sessions on the sandbox and tracks them; the replacing
 * session follows 20 s later.
 */
void
pw_demo_start (PwDemo *self, guint n_extra)
{
  g_return_if_fail (PW_IS_DEMO (self));

  for (gsize i = 0; i < G_N_ELEMENTS (demo_sessions); i++)
    pw_demo_add (self, &demo_sessions[i]);

  pw_sandbox_silence_launcher_since (self->sandbox, "demo-pc-10", BACKDATE_SEC);

  for (guint i = 0; i < n_extra; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_load-%05u", i + 1);
      g_autofree char *user = g_strdup_printf ("%u", 20001 + i);
      g_autofree char *pc = g_strdup_printf ("load-pc-%u", i + 1);
      DemoSession load = { id, user, pc, -1, 0, FALSE, TRUE };

      pw_demo_add (self, &load);
    }

  if (self->replacer_id == 0)
    self->replacer_id = g_timeout_add_seconds (REPLACER_DELAY_SEC, replacer_cb, self);
}

guint
pw_demo_get_n_sessions (PwDemo *self)
{
  g_return_val_if_fail (PW_IS_DEMO (self), 0);

  return self->n_sessions;
}
