/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-tracker-private.h"

/* Ending sessions: one by hand, or all of them on quit within a budget.
 * The in-flight heartbeat is cancelled first, so the server never sees a
 * heartbeat after the end. Transient failures are retried a few times; the
 * server expires the session after 4 minutes regardless. */

#define MAX_END_ATTEMPTS 3

struct _PwTrackerEndAll
{
  GTask *task;
  GHashTable *pending; /* PwTrackerEntry → itself (referenced) */
  guint total;
  guint n_ended;
  guint n_failed;
  guint budget_source;
};

static void end_all_step (PwTracker *self, PwTrackerEntry *entry, gboolean ended);

void
pw_tracker_end_all_free (PwTrackerEndAll *end_all)
{
  g_clear_handle_id (&end_all->budget_source, g_source_remove);
  g_clear_pointer (&end_all->pending, g_hash_table_unref);
  if (end_all->task != NULL)
    {
      g_task_return_new_error (end_all->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _ ("The tracker went away"));
      g_clear_object (&end_all->task);
    }
  g_free (end_all);
}

static char *
describe_end (PwSession *session)
{
  gint64 server = pw_session_get_end_server_sec (session);
  gint64 client = pw_session_get_end_client_sec (session);

  if (client >= 0)
    return g_strdup_printf (_ ("Ended: server play time %d s, client %d s (drift %+d s)"),
                            (int) server, (int) client, (int) (client - server));

  return g_strdup_printf (_ ("Ended: server play time %d s"), (int) server);
}

static void
finish_end (PwTracker *self, PwTrackerEntry *entry, PwSessionState state)
{
  pw_session_set_state (entry->session, state);
  pw_tracker_emit_changed (self, entry);
  end_all_step (self, entry, state == PW_SESSION_STATE_ENDED);
}

static void
end_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PwTrackerCall *call = user_data;
  g_autoptr (PwTrackerEntry) entry = pw_tracker_entry_ref (call->entry);
  PwTracker *self = g_object_get_data (G_OBJECT (entry->session), "pw-tracker");
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  ok = pw_client_end_finish (PW_CLIENT (object), result, &exchange, &error);

  /* Superseded (a second end by hand), given up by the quit budget, or
   * the session is gone. */
  if (!pw_tracker_call_finish (call) || self == NULL || entry->removed ||
      pw_session_get_state (entry->session) != PW_SESSION_STATE_ENDING)
    return;

  if (exchange != NULL)
    {
      pw_session_set_last_answer (entry->session, pw_exchange_get_status (exchange),
                                  ok ? pw_exchange_get_result_name (exchange) : NULL,
                                  pw_exchange_get_code (exchange),
                                  pw_exchange_get_request_id (exchange));
      g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_EXCHANGE], 0,
                     entry->session, exchange);
    }

  pw_session_set_retrying (entry->session, FALSE);

  if (ok)
    {
      pw_session_set_end_durations (entry->session,
                                    pw_exchange_get_play_duration_sec (exchange),
                                    entry->end_duration_sec);
      message = describe_end (entry->session);
      pw_tracker_log (self, entry, PW_EVENT_ENDED, exchange, message);
      finish_end (self, entry, PW_SESSION_STATE_ENDED);
    }
  else if (g_error_matches (error, PW_ERROR, PW_ERROR_SESSION_NOT_FOUND) ||
           g_error_matches (error, PW_ERROR, PW_ERROR_ALREADY_ENDED))
    {
      /* The end API page: 404 and 409 mean "already cleaned up". */
      message = g_strdup_printf (_ ("Already cleaned up on the server (HTTP %u)"),
                                 pw_exchange_get_status (exchange));
      pw_tracker_log (self, entry, PW_EVENT_ALREADY_CLEANED_UP, exchange, message);
      finish_end (self, entry, PW_SESSION_STATE_ENDED);
    }
  else if (pw_error_is_transient (error) && entry->end_attempts < MAX_END_ATTEMPTS)
    {
      gint64 due = pw_tracker_now (self) + pw_tracker_backoff_us (entry->end_attempts);

      pw_session_set_retrying (entry->session, TRUE);
      pw_session_set_next_due_us (entry->session, due);
      pw_scheduler_schedule (self->scheduler, entry, due);
    }
  else
    {
      message = g_strdup_printf (_ ("Could not end the session: %s"), error->message);
      pw_tracker_log (self, entry, PW_EVENT_END_FAILED, exchange, message);
      finish_end (self, entry, PW_SESSION_STATE_END_FAILED);
    }
}

void
pw_tracker_send_end (PwTracker *self, PwTrackerEntry *entry)
{
  PwTrackerCall *call = pw_tracker_call_new (entry);

  entry->end_attempts++;
  pw_session_set_next_due_us (entry->session, 0);

  pw_client_end_async (entry->client, pw_session_get_id (entry->session),
                       entry->end_duration_sec, call->cancellable, end_done_cb, call);
}

/* An entry leaves the quit accounting (ended, failed or untracked). */
void
pw_tracker_end_finished (PwTracker *self, PwTrackerEntry *entry)
{
  end_all_step (self, entry, FALSE);
}

/**
 * pw_tracker_end_session:
 * @play_duration_sec: seconds to report, %PW_TRACKER_DURATION_OMIT, or
 *   %PW_TRACKER_DURATION_AUTO for pw_tracker_default_end_duration()
 *
 * Cancels the heartbeat in flight, then sends end. Works on live sessions
 * and on those whose end failed (a manual retry).
 *
 * Returns: %FALSE if there is nothing to end
 */
gboolean
pw_tracker_end_session (PwTracker *self, const char *session_id, gint64 play_duration_sec)
{
  PwTrackerEntry *entry;
  PwSessionState state;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (play_duration_sec >= PW_TRACKER_DURATION_AUTO, FALSE);

  entry = session_id ? g_hash_table_lookup (self->entries, session_id) : NULL;
  if (entry == NULL)
    return FALSE;

  state = pw_session_get_state (entry->session);
  if (!pw_session_state_is_live (state) && state != PW_SESSION_STATE_END_FAILED)
    return FALSE;

  pw_tracker_stop (self, entry);

  if (play_duration_sec == PW_TRACKER_DURATION_AUTO)
    play_duration_sec = pw_tracker_default_end_duration (self, entry->session);

  entry->end_duration_sec = play_duration_sec;
  entry->end_attempts = 0;
  pw_session_set_paused (entry->session, FALSE);
  pw_session_set_state (entry->session, PW_SESSION_STATE_ENDING);

  /* Cancels the heartbeat in flight, if any: its answer no longer counts. */
  pw_tracker_send_end (self, entry);
  pw_tracker_emit_changed (self, entry);

  return TRUE;
}

static void
end_all_complete (PwTracker *self)
{
  PwTrackerEndAll *end_all = self->end_all;
  g_autoptr (GTask) task = g_steal_pointer (&end_all->task);
  guint *counts = g_new (guint, 2);

  self->end_all = NULL;
  counts[0] = end_all->n_ended;
  counts[1] = end_all->n_failed;
  g_task_set_task_data (task, counts, g_free);
  g_task_return_boolean (task, TRUE);
  pw_tracker_end_all_free (end_all);
}

static void
end_all_step (PwTracker *self, PwTrackerEntry *entry, gboolean ended)
{
  PwTrackerEndAll *end_all = self->end_all;

  if (end_all == NULL || !g_hash_table_remove (end_all->pending, entry))
    return;

  if (ended)
    end_all->n_ended++;
  else
    end_all->n_failed++;

  g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_END_ALL_PROGRESS], 0,
                 end_all->n_ended + end_all->n_failed, end_all->total);

  if (g_hash_table_size (end_all->pending) == 0)
    end_all_complete (self);
}

static gboolean
budget_spent_cb (gpointer user_data)
{
  PwTracker *self = user_data;
  PwTrackerEndAll *end_all = self->end_all;
  g_autoptr (GPtrArray) late =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_tracker_entry_unref);
  GHashTableIter iter;
  gpointer key;

  end_all->budget_source = 0;

  g_hash_table_iter_init (&iter, end_all->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (late, pw_tracker_entry_ref (key));

  for (guint i = 0; i < late->len && self->end_all != NULL; i++)
    {
      PwTrackerEntry *entry = g_ptr_array_index (late, i);

      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
      pw_scheduler_cancel (self->scheduler, entry);
      pw_session_set_retrying (entry->session, FALSE);
      pw_tracker_log (
          self, entry, PW_EVENT_END_FAILED, NULL,
          _ ("Could not end the session within the quit time limit; the server "
             "expires it 4 minutes after its last heartbeat"));
      finish_end (self, entry, PW_SESSION_STATE_END_FAILED);
    }

  return G_SOURCE_REMOVE;
}

/**
 * pw_tracker_end_all_async:
 * @budget_ms: real time allowed for all of them (SPEC: 30 s on quit)
 *
 * Ends every live session in parallel (through the clients' windows);
 * sessions still not ended when the budget is spent are given up and
 * logged as failures. Progress is reported by #PwTracker::end-all-progress.
 */
void
pw_tracker_end_all_async (PwTracker *self,
                          guint budget_ms,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) live = g_ptr_array_new ();
  PwTrackerEndAll *end_all;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PW_IS_TRACKER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_tracker_end_all_async);

  if (self->end_all != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _ ("Sessions are already being ended"));
      return;
    }

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwTrackerEntry *entry = value;
      PwSessionState state = pw_session_get_state (entry->session);

      if (pw_session_state_is_live (state) || state == PW_SESSION_STATE_ENDING)
        g_ptr_array_add (live, entry);
    }

  if (live->len == 0)
    {
      g_task_set_task_data (task, g_new0 (guint, 2), g_free);
      g_task_return_boolean (task, TRUE);
      return;
    }

  end_all = g_new0 (PwTrackerEndAll, 1);
  end_all->task = g_steal_pointer (&task);
  end_all->pending =
      g_hash_table_new_full (NULL, NULL, (GDestroyNotify) pw_tracker_entry_unref, NULL);
  end_all->total = live->len;
  self->end_all = end_all;

  for (guint i = 0; i < live->len; i++)
    g_hash_table_add (end_all->pending,
                      pw_tracker_entry_ref (g_ptr_array_index (live, i)));

  end_all->budget_source = g_timeout_add (budget_ms, budget_spent_cb, self);

  for (guint i = 0; i < live->len && self->end_all == end_all; i++)
    {
      PwTrackerEntry *entry = g_ptr_array_index (live, i);

      if (pw_session_get_state (entry->session) != PW_SESSION_STATE_ENDING)
        pw_tracker_end_session (self, pw_session_get_id (entry->session),
                                PW_TRACKER_DURATION_AUTO);
    }
}

gboolean
pw_tracker_end_all_finish (PwTracker *self,
                           GAsyncResult *result,
                           guint *n_ended,
                           guint *n_failed,
                           GError **error)
{
  const guint *counts;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  counts = g_task_get_task_data (G_TASK (result));
  if (n_ended != NULL)
    *n_ended = counts ? counts[0] : 0;
  if (n_failed != NULL)
    *n_failed = counts ? counts[1] : 0;

  return g_task_propagate_boolean (G_TASK (result), error);
}
