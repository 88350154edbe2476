/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-state-file.h"
#include "pw-tracker-private.h"

/* The tracker's side of persistence. Monotonic times mean nothing across a
 * restart, so saved sessions carry wall-clock times, converted on the way
 * out and back in. A restored live session is heartbeated at once, before
 * any local verdict, to learn its real state. */

static gint64
to_real (PwTracker *self, gint64 mono_us)
{
  if (mono_us == 0)
    return 0;

  return pw_clock_get_real_us (self->clock) - (pw_tracker_now (self) - mono_us);
}

/* A wall time in the future (the clock went back meanwhile) counts as now. */
static gint64
to_mono (PwTracker *self, gint64 real_us)
{
  gint64 now_real = pw_clock_get_real_us (self->clock);

  if (real_us <= 0)
    return 0;

  return pw_tracker_now (self) - MAX (0, now_real - real_us);
}

/**
 * pw_tracker_dup_saved_sessions:
 *
 * Returns: (transfer full) (element-type PwSavedSession): every tracked
 *   session as the state file keeps it, in list order
 */
GPtrArray *
pw_tracker_dup_saved_sessions (PwTracker *self)
{
  GListModel *sessions;
  GPtrArray *saved;
  guint n;

  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  sessions = G_LIST_MODEL (self->sessions);
  n = g_list_model_get_n_items (sessions);
  saved = g_ptr_array_new_full (n, (GDestroyNotify) pw_saved_session_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);
      PwSavedSession *out = pw_saved_session_new (pw_session_get_id (session),
                                                  pw_session_get_user_id (session));

      out->connection = g_strdup (pw_session_get_connection (session));
      out->state = pw_session_get_state (session);
      out->paused = pw_session_get_paused (session);
      out->tracked_since_real_us =
          to_real (self, pw_session_get_tracked_since_us (session));
      out->tracked_from_start = pw_session_get_tracked_from_start (session);
      out->last_success_real_us =
          to_real (self, pw_session_get_last_success_us (session));
      out->server_play_sec = pw_session_get_server_play_sec (session);
      out->last_status = pw_session_get_last_status (session);
      out->last_result = g_strdup (pw_session_get_last_result (session));
      out->last_code = g_strdup (pw_session_get_last_code (session));
      out->last_request_id = g_strdup (pw_session_get_last_request_id (session));
      out->end_server_sec = pw_session_get_end_server_sec (session);
      out->end_client_sec = pw_session_get_end_client_sec (session);
      g_ptr_array_add (saved, out);
    }

  return saved;
}

/**
 * pw_tracker_restore:
 * @saved_sessions: (element-type PwSavedSession): from the state file
 *
 * Tracks the saved sessions again, with their last known state. Live ones
 * that were not paused are heartbeated at once; paused ones keep their
 * expiry countdown; an end that was under way when the app stopped is
 * shown as failed, to be retried by hand. Sessions already tracked or of
 * an unknown connection are skipped.
 *
 * Returns: how many were restored; @error says what was skipped, if any
 */
guint
pw_tracker_restore (PwTracker *self, GPtrArray *saved_sessions, GError **error)
{
  g_autoptr (GString) skipped = g_string_new (NULL);
  guint n_skipped = 0;
  guint restored = 0;

  g_return_val_if_fail (PW_IS_TRACKER (self), 0);
  g_return_val_if_fail (saved_sessions != NULL, 0);

  for (guint i = 0; i < saved_sessions->len; i++)
    {
      PwSavedSession *in = g_ptr_array_index (saved_sessions, i);
      g_autoptr (GError) local_error = NULL;
      PwTrackerEntry *entry;
      PwSession *session;
      PwSessionState state = in->state;

      entry = pw_tracker_add_entry (self, in->session_id, in->user_id, in->connection,
                                    &local_error);
      if (entry == NULL)
        {
          if (n_skipped++ < 3)
            g_string_append_printf (skipped, "%s%s", skipped->len ? "; " : "",
                                    local_error->message);
          continue;
        }

      session = entry->session;
      if (state == PW_SESSION_STATE_ENDING)
        state = PW_SESSION_STATE_END_FAILED;

      pw_session_set_tracked_since_us (session,
                                       to_mono (self, in->tracked_since_real_us));
      pw_session_set_tracked_from_start (session, in->tracked_from_start);
      pw_session_set_last_success_us (session, to_mono (self, in->last_success_real_us));
      pw_session_set_server_play_sec (session, in->server_play_sec);
      pw_session_set_last_answer (session, in->last_status, in->last_result,
                                  in->last_code, in->last_request_id);
      pw_session_set_end_durations (session, in->end_server_sec, in->end_client_sec);
      pw_session_set_paused (session, in->paused && pw_session_state_is_live (state));
      pw_session_set_state (session, state);
      if (pw_session_get_tracked_since_us (session) == 0)
        pw_session_set_tracked_since_us (session, pw_tracker_now (self));

      entry->answered = in->last_success_real_us != 0;
      entry->all_ok =
          state == PW_SESSION_STATE_ACTIVE || state == PW_SESSION_STATE_PENDING;

      if (pw_session_state_is_live (state))
        {
          entry->probe = !pw_session_get_paused (session);
          pw_tracker_schedule_at (
              self, entry,
              pw_session_get_paused (session) ? G_MAXINT64 : pw_tracker_now (self));
        }

      pw_tracker_emit_changed (self, entry);
      restored++;
    }

  if (n_skipped > 0)
    g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                 ngettext ("%u saved session was not restored: %s",
                           "%u saved sessions were not restored: %s", n_skipped),
                 n_skipped, skipped->str);

  return restored;
}
