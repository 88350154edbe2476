/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-error.h"
#include "pw-tracker-private.h"

/* The tracker keeps sessions alive as a well-behaved game server would, row
 * by row of the heartbeat table in SPEC.md. Every deadline lives in one
 * PwScheduler; due sessions wait in a queue ordered by expiry (nearest
 * first) and go out through one rate limiter with a small in-flight window,
 * so a thousand sessions added together do not fire in one burst, and after
 * a suspend the most endangered go first. */

#define DEFAULT_WINDOW 6
#define DEFAULT_RATE 200.0
#define DEFAULT_BURST 50.0
/* Past 12,000 sessions, 200 requests/s cannot heartbeat each one every
 * 2 minutes, and a first round of 50,000 would take longer than the
 * server's 4-minute expiry: the limiter then lets every session go once
 * within a quarter of the expiry. */
#define SERVE_ALL_WITHIN_US (PW_TRACKER_EXPIRY_US / 4)
#define PUMP_MIN_WAIT_MS 20
#define FAILURES_BEFORE_EVENT 3
#define MAX_SPREAD_US (30 * G_TIME_SPAN_SECOND)
#define SUSPEND_THRESHOLD_US (2 * G_TIME_SPAN_SECOND)
#define WATCHDOG_SECONDS 2
#define SKEW_LIMIT_SEC 30

G_DEFINE_FINAL_TYPE (PwTracker, pw_tracker, G_TYPE_OBJECT)

guint pw_tracker_signals[PW_TRACKER_N_SIGNALS];

static void pump (PwTracker *self);

PwTrackerEntry *
pw_tracker_entry_ref (PwTrackerEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

static void
entry_clear (PwTrackerEntry *entry)
{
  g_clear_object (&entry->session);
  g_clear_object (&entry->client);
  g_clear_object (&entry->cancellable);
}

void
pw_tracker_entry_unref (PwTrackerEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify) entry_clear);
}

gint64
pw_tracker_now (PwTracker *self)
{
  return pw_clock_get_monotonic_us (self->clock);
}

/* `watch` asks after every answer whether anything is still going on; a
 * scan of 10,000 sessions each time cost 2 ms of CPU per heartbeat, so the
 * count is kept as states change. */
static void
update_busy (PwTracker *self, PwTrackerEntry *entry)
{
  PwSession *session = entry->session;
  gboolean heartbeating = !entry->removed && pw_session_is_heartbeating (session);
  gboolean busy = heartbeating || (!entry->removed && pw_session_get_state (session) ==
                                                          PW_SESSION_STATE_ENDING);

  /* The window's subtitle asks for the heartbeating count every second:
   * counted as it changes too, not by a scan of every session. */
  if (heartbeating != entry->counted_heartbeating)
    {
      entry->counted_heartbeating = heartbeating;
      if (heartbeating)
        self->n_heartbeating++;
      else
        self->n_heartbeating--;
    }

  if (busy == entry->counted_busy)
    return;

  entry->counted_busy = busy;
  if (busy)
    self->n_busy++;
  else
    self->n_busy--;
}

void
pw_tracker_emit_changed (PwTracker *self, PwTrackerEntry *entry)
{
  update_busy (self, entry);
  g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_CHANGED], 0, entry->session);
}

void
pw_tracker_log (PwTracker *self,
                PwTrackerEntry *entry,
                PwEventKind kind,
                PwExchange *exchange,
                const char *message)
{
  PwSession *session = entry->session;
  g_autoptr (PwEvent) event = NULL;
  PwEvent *row;

  event = pw_event_new (pw_clock_get_real_us (self->clock), pw_session_get_id (session),
                        pw_session_get_user_id (session), kind,
                        exchange ? pw_exchange_get_status (exchange) : 0,
                        exchange ? pw_exchange_get_code (exchange) : NULL,
                        exchange ? pw_exchange_get_request_id (exchange) : NULL, message);
  row = pw_event_log_add (self->events, event);
  g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_EVENT], 0, row);
}

/* SPEC: first retry within 5 s, at most 30 s apart; half to all of the
 * exponential step, so sessions that failed together spread out. */
gint64
pw_tracker_backoff_us (guint attempt)
{
  gint64 step =
      MIN (4 * G_TIME_SPAN_SECOND << MIN (attempt - 1, 4), 30 * G_TIME_SPAN_SECOND);

  return step / 2 + (gint64) (g_random_double () * (step / 2));
}

/* Starts a request: it becomes the entry's current one. */
PwTrackerCall *
pw_tracker_call_new (PwTrackerEntry *entry)
{
  PwTrackerCall *call = g_new0 (PwTrackerCall, 1);

  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);

  entry->cancellable = g_cancellable_new ();
  entry->in_flight = TRUE;
  call->entry = pw_tracker_entry_ref (entry);
  call->cancellable = g_object_ref (entry->cancellable);

  return call;
}

/* Frees @call. Returns: %TRUE if it was still the entry's current request
 * (which is then no longer in flight) */
gboolean
pw_tracker_call_finish (PwTrackerCall *call)
{
  PwTrackerEntry *entry = call->entry;
  gboolean current = entry->cancellable == call->cancellable;

  if (current)
    {
      entry->in_flight = FALSE;
      g_clear_object (&entry->cancellable);
    }

  g_object_unref (call->cancellable);
  pw_tracker_entry_unref (call->entry);
  g_free (call);

  return current;
}

static void
leave_ready_queue (PwTrackerEntry *entry)
{
  if (entry->ready_iter == NULL)
    return;

  g_sequence_remove (entry->ready_iter);
  entry->ready_iter = NULL;
}

/* No more heartbeats: off the schedule and out of the queue. A request in
 * flight is left to finish; its answer is recorded but changes nothing. */
void
pw_tracker_stop (PwTracker *self, PwTrackerEntry *entry)
{
  pw_scheduler_cancel (self->scheduler, entry);
  leave_ready_queue (entry);
  pw_session_set_retrying (entry->session, FALSE);
}

static void
set_state (PwTracker *self, PwTrackerEntry *entry, PwSessionState state)
{
  pw_session_set_state (entry->session, state);
  if (!pw_session_state_is_live (state) && state != PW_SESSION_STATE_ENDING)
    pw_tracker_stop (self, entry);
}

static void
expire (PwTracker *self, PwTrackerEntry *entry)
{
  set_state (self, entry, PW_SESSION_STATE_EXPIRED);
  pw_tracker_log (
      self, entry, PW_EVENT_EXPIRED, NULL,
      _ ("No successful heartbeat for 4 minutes: the server has deleted the session"));
  pw_tracker_emit_changed (self, entry);
}

/* The next heartbeat, but never past the expiry verdict. */
void
pw_tracker_schedule_at (PwTracker *self, PwTrackerEntry *entry, gint64 due_us)
{
  gint64 expiry = pw_session_get_expiry_deadline_us (entry->session);

  if (!entry->probe)
    due_us = MIN (due_us, expiry);
  pw_session_set_next_due_us (entry->session, due_us);
  pw_scheduler_schedule (self->scheduler, entry, due_us);
}

static int
compare_expiry (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint64 ea = pw_session_get_expiry_deadline_us (((PwTrackerEntry *) a)->session);
  gint64 eb = pw_session_get_expiry_deadline_us (((PwTrackerEntry *) b)->session);

  return ea < eb ? -1 : ea > eb;
}

static void
due_cb (gpointer item, gpointer user_data)
{
  PwTracker *self = user_data;
  PwTrackerEntry *entry = item;
  PwSession *session = entry->session;
  gint64 now = pw_tracker_now (self);

  if (pw_session_get_state (session) == PW_SESSION_STATE_ENDING)
    {
      pw_tracker_send_end (self, entry);
      return;
    }

  if (!pw_session_state_is_live (pw_session_get_state (session)))
    return;

  if (now >= pw_session_get_expiry_deadline_us (session) && !entry->in_flight &&
      !entry->probe)
    {
      expire (self, entry);
      return;
    }

  if (pw_session_get_paused (session) || entry->in_flight)
    {
      /* Paused: only the expiry verdict is pending. In flight: its answer
       * reschedules. */
      if (pw_session_get_paused (session))
        pw_tracker_schedule_at (self, entry, G_MAXINT64);
      return;
    }

  if (entry->ready_iter == NULL)
    entry->ready_iter =
        g_sequence_insert_sorted (self->ready, entry, compare_expiry, NULL);
  pump (self);
}

static void
record_answer (PwTrackerEntry *entry, PwExchange *exchange, const GError *error)
{
  const char *result = error == NULL ? pw_exchange_get_result_name (exchange) : NULL;
  const char *code = pw_exchange_get_code (exchange);

  if (code == NULL && error != NULL && error->domain == PW_ERROR)
    code = pw_error_to_code (error->code);

  pw_session_set_last_answer (entry->session, pw_exchange_get_status (exchange), result,
                              code, pw_exchange_get_request_id (exchange));
}

static void
check_skew (PwTracker *self, PwTrackerEntry *entry, PwExchange *exchange)
{
  gint64 server = pw_exchange_get_server_date_unix (exchange);
  gint64 skew;
  g_autofree char *message = NULL;

  if (server <= 0 || entry->skew_reported)
    return;

  skew = server - pw_clock_get_real_us (self->clock) / G_USEC_PER_SEC;
  if (ABS (skew) <= SKEW_LIMIT_SEC)
    return;

  entry->skew_reported = TRUE;
  message = g_strdup_printf (
      _ ("The server’s clock differs from this computer’s by %d s"), (int) skew);
  pw_tracker_log (self, entry, PW_EVENT_CLOCK_SKEW, exchange, message);
}

static void
handle_success (PwTracker *self, PwTrackerEntry *entry, PwExchange *exchange)
{
  PwSession *session = entry->session;
  gint64 now = pw_tracker_now (self);
  gint64 interval =
      pw_heartbeat_interval_from_hint (pw_exchange_get_next_heartbeat_in (exchange));
  gint64 interval_us = interval * G_TIME_SPAN_SECOND;
  PwResult result = pw_exchange_get_result (exchange);
  g_autofree char *message = NULL;

  if (!entry->answered)
    {
      /* SPEC: send play_duration_sec only if we saw the session begin. */
      entry->answered = TRUE;
      pw_session_set_tracked_from_start (
          session, pw_exchange_get_play_duration_sec (exchange) <= interval);
    }

  if (result == PW_RESULT_SESSION_REPLACED)
    {
      set_state (self, entry, PW_SESSION_STATE_REPLACED);
      pw_tracker_log (
          self, entry, PW_EVENT_SESSION_REPLACED, exchange,
          _ ("Another session started on the same PC: heartbeats stopped; the "
             "session must not be ended"));
      return;
    }

  pw_session_set_last_success_us (session, now);
  pw_session_set_server_play_sec (session, pw_exchange_get_play_duration_sec (exchange));
  pw_session_set_retrying (session, FALSE);
  if (entry->failures_reported)
    {
      message = g_strdup_printf (_ ("Heartbeats succeed again after %u failures"),
                                 pw_session_get_failure_count (session));
      pw_tracker_log (self, entry, PW_EVENT_RECOVERED, exchange, message);
      entry->failures_reported = FALSE;
    }
  pw_session_set_failure_count (session, 0);
  check_skew (self, entry, exchange);

  switch (result)
    {
      case PW_RESULT_CHARGE_EXHAUSTED:
        entry->all_ok = FALSE;
        if (pw_session_get_state (session) != PW_SESSION_STATE_CHARGE_EXHAUSTED)
          {
            pw_session_set_grace_deadline_us (session, now + PW_TRACKER_GRACE_US);
            set_state (self, entry, PW_SESSION_STATE_CHARGE_EXHAUSTED);
            pw_tracker_log (
                self, entry, PW_EVENT_CHARGE_EXHAUSTED, exchange,
                _ ("Out of charge: the server ends the session after 2 minutes of "
                   "grace"));
          }
        break;

      case PW_RESULT_UNKNOWN:
        entry->all_ok = FALSE;
        if (pw_session_get_state (session) == PW_SESSION_STATE_PENDING)
          set_state (self, entry, PW_SESSION_STATE_ACTIVE);
        message = g_strdup_printf (_ ("Unknown result “%s”: heartbeats go on"),
                                   pw_exchange_get_result_name (exchange));
        pw_tracker_log (self, entry, PW_EVENT_UNKNOWN_RESULT, exchange, message);
        break;

      case PW_RESULT_OK:
      case PW_RESULT_NONE:
      case PW_RESULT_ENDED:
      case PW_RESULT_SESSION_REPLACED:
      default:
        pw_session_set_grace_deadline_us (session, 0);
        set_state (self, entry, PW_SESSION_STATE_ACTIVE);
        break;
    }

  if (!pw_session_get_paused (session))
    pw_tracker_schedule_at (self, entry,
                            now + interval_us - MIN (entry->spread_us, interval_us / 4));
  else
    pw_tracker_schedule_at (self, entry, G_MAXINT64);
}

static void
stop_connection (PwTracker *self, PwTrackerEntry *trigger, PwExchange *exchange)
{
  const char *connection = pw_session_get_connection (trigger->session);
  g_autofree char *message = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n_stopped = 0;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwTrackerEntry *entry = value;

      if (g_strcmp0 (pw_session_get_connection (entry->session), connection) != 0 ||
          !pw_session_state_is_live (pw_session_get_state (entry->session)))
        continue;

      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
      set_state (self, entry, PW_SESSION_STATE_UNAUTHORIZED);
      if (entry != trigger)
        pw_tracker_emit_changed (self, entry);
      n_stopped++;
    }

  /* No exchange: nothing was sent, the connection has no key at all. */
  if (exchange == NULL)
    message = g_strdup_printf (
        ngettext ("Connection “%s” has no API key: %u session stopped",
                  "Connection “%s” has no API key: %u sessions stopped", n_stopped),
        connection ? connection : "", n_stopped);
  else
    message = g_strdup_printf (
        ngettext ("The API key of connection “%s” was rejected: %u session "
                  "stopped",
                  "The API key of connection “%s” was rejected: %u sessions "
                  "stopped",
                  n_stopped),
        connection ? connection : "", n_stopped);
  pw_tracker_log (self, trigger, PW_EVENT_UNAUTHORIZED, exchange, message);
  g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_UNAUTHORIZED], 0, connection);
}

static void
handle_failure (PwTracker *self,
                PwTrackerEntry *entry,
                PwExchange *exchange,
                const GError *error)
{
  PwSession *session = entry->session;
  gint64 now = pw_tracker_now (self);
  g_autofree char *message = NULL;
  guint failures;
  gint64 delay;

  if (error->domain == PW_ERROR)
    switch ((PwError) error->code)
      {
        case PW_ERROR_SESSION_NOT_FOUND:
          set_state (self, entry, PW_SESSION_STATE_LOST);
          pw_tracker_log (
              self, entry, PW_EVENT_SESSION_LOST, exchange,
              _ ("The server no longer knows this session (expired or deleted)"));
          return;

        case PW_ERROR_SESSION_ENDED:
        case PW_ERROR_ALREADY_ENDED:
          set_state (self, entry, PW_SESSION_STATE_ENDED_BY_SERVER);
          /* The heartbeat page's documented cause for a 410 after nothing but
           * OKs: the PlayWave launcher stopped heartbeating. */
          pw_tracker_log (
              self, entry, PW_EVENT_SESSION_ENDED, exchange,
              entry->answered && entry->all_ok
                  ? _ ("Ended by the server: launcher silent (no launcher heartbeat "
                       "for 4 minutes)")
                  : _ ("Ended by the server"));
          return;

        case PW_ERROR_SESSION_ENDING:
          set_state (self, entry, PW_SESSION_STATE_ENDING_BY_SERVER);
          pw_tracker_log (self, entry, PW_EVENT_SESSION_ENDING, exchange,
                          _ ("The server is terminating the session"));
          return;

        case PW_ERROR_UNAUTHORIZED:
          stop_connection (self, entry, exchange);
          return;

        case PW_ERROR_RATE_LIMITED:
        case PW_ERROR_SERVER:
        case PW_ERROR_BAD_REQUEST:
        case PW_ERROR_REDIRECT:
        case PW_ERROR_NETWORK:
        case PW_ERROR_TIMEOUT:
        case PW_ERROR_PROTOCOL:
        case PW_ERROR_INVALID_ARGUMENT:
        default:
          break;
      }

  /* Transient, or at least not a verdict: back off and try again until
   * the expiry verdict. */
  failures = pw_session_get_failure_count (session) + 1;
  pw_session_set_failure_count (session, failures);
  pw_session_set_retrying (session, TRUE);

  if (now >= pw_session_get_expiry_deadline_us (session))
    {
      expire (self, entry);
      return;
    }

  delay = pw_tracker_backoff_us (failures);
  if (g_error_matches (error, PW_ERROR, PW_ERROR_RATE_LIMITED) &&
      pw_exchange_get_retry_after_sec (exchange) >= 0)
    delay = MAX (pw_exchange_get_retry_after_sec (exchange) * G_TIME_SPAN_SECOND,
                 G_TIME_SPAN_SECOND);

  if (failures == FAILURES_BEFORE_EVENT)
    {
      gboolean limited = g_error_matches (error, PW_ERROR, PW_ERROR_RATE_LIMITED);

      entry->failures_reported = TRUE;
      message =
          g_strdup_printf (_ ("%u failures in a row (%s); retrying in %d s"), failures,
                           error->message, (int) (delay / G_TIME_SPAN_SECOND));
      pw_tracker_log (self, entry,
                      limited ? PW_EVENT_RATE_LIMITED : PW_EVENT_NETWORK_FAILURES,
                      exchange, message);
    }

  if (!pw_session_get_paused (session))
    pw_tracker_schedule_at (self, entry, now + delay);
  else
    pw_tracker_schedule_at (self, entry, G_MAXINT64);
}

static void
heartbeat_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PwTrackerCall *call = user_data;
  g_autoptr (PwTrackerEntry) entry = pw_tracker_entry_ref (call->entry);
  PwTracker *self = g_object_get_data (G_OBJECT (entry->session), "pw-tracker");
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;
  gboolean current;

  ok = pw_client_heartbeat_finish (PW_CLIENT (object), result, &exchange, &error);
  current = pw_tracker_call_finish (call);
  if (current && exchange != NULL)
    entry->probe = FALSE;

  if (self == NULL)
    return;

  self->in_flight--;

  if (!entry->removed && exchange != NULL)
    {
      record_answer (entry, exchange, error);
      g_signal_emit (self, pw_tracker_signals[PW_TRACKER_SIGNAL_EXCHANGE], 0,
                     entry->session, exchange);
    }

  /* Superseded by an end, cancelled by a rejected key, or the session was
   * stopped meanwhile: the answer changes nothing. */
  if (current && !entry->removed &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      pw_session_state_is_live (pw_session_get_state (entry->session)))
    {
      if (ok)
        handle_success (self, entry, exchange);
      else if (g_error_matches (error, PW_ERROR, PW_ERROR_UNAUTHORIZED) &&
               PW_CLIENT (object) != entry->client)
        /* The connection's key or URL changed while this one was out: its
         * verdict is on the old client. Ask again with the new one. */
        pw_tracker_schedule_at (self, entry, pw_tracker_now (self));
      else
        handle_failure (self, entry, exchange, error);
      pw_tracker_emit_changed (self, entry);
    }

  pump (self);
}

static void
send_heartbeat (PwTracker *self, PwTrackerEntry *entry)
{
  PwTrackerCall *call = pw_tracker_call_new (entry);

  self->in_flight++;
  pw_session_set_next_due_us (entry->session, 0);

  pw_client_heartbeat_async (entry->client, pw_session_get_id (entry->session),
                             pw_session_get_user_id (entry->session), call->cancellable,
                             heartbeat_done_cb, call);
}

static gboolean
pump_cb (gpointer user_data)
{
  PwTracker *self = user_data;

  self->pump_source = 0;
  pump (self);

  return G_SOURCE_REMOVE;
}

/* Hands due sessions to their clients while the window and the rate
 * limiter allow, nearest expiry first. */
static void
pump (PwTracker *self)
{
  while (self->in_flight < self->window && g_sequence_get_length (self->ready) > 0)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->ready);
      PwTrackerEntry *entry = g_sequence_get (first);
      gint64 now = g_get_monotonic_time ();

      pw_rate_limiter_set_rate (
          &self->limiter,
          pw_rate_limiter_rate_for (self->base_rate, self->n_busy, SERVE_ALL_WITHIN_US));
      if (!pw_rate_limiter_take (&self->limiter, now))
        {
          /* Not as soon as one token is back (every 5 ms at 200/s, a
           * wakeup per request) but when a few are: the same rate, in
           * small batches that share their wakeups. */
          if (self->pump_source == 0)
            self->pump_source = g_timeout_add_full (
                G_PRIORITY_DEFAULT,
                (guint) MAX (pw_rate_limiter_wait_us (&self->limiter, now) / 1000 + 1,
                             PUMP_MIN_WAIT_MS),
                pump_cb, self, NULL);
          return;
        }

      leave_ready_queue (entry);
      send_heartbeat (self, entry);
    }
}

/* A suspend stops the monotonic clock while the server's 4-minute expiry
 * runs on: move every deadline back by the time asleep, then the overdue
 * go first, nearest expiry first, through the limiter. */
void
pw_tracker_check_clock (PwTracker *self)
{
  gint64 boot = pw_clock_get_boottime_us (self->clock);
  gint64 mono = pw_tracker_now (self);
  gint64 gap = (boot - self->last_boot_us) - (mono - self->last_mono_us);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PW_IS_TRACKER (self));

  self->last_boot_us = boot;
  self->last_mono_us = mono;

  if (gap < SUSPEND_THRESHOLD_US)
    return;

  g_debug ("Suspended for %.0f s: heartbeating overdue sessions", gap / 1e6);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwTrackerEntry *entry = value;
      PwSession *session = entry->session;

      pw_session_set_tracked_since_us (session,
                                       pw_session_get_tracked_since_us (session) - gap);
      if (pw_session_get_last_success_us (session) != 0)
        pw_session_set_last_success_us (session,
                                        pw_session_get_last_success_us (session) - gap);
      if (pw_session_get_grace_deadline_us (session) != 0)
        pw_session_set_grace_deadline_us (
            session, pw_session_get_grace_deadline_us (session) - gap);

      if (pw_session_state_is_live (pw_session_get_state (session)))
        pw_tracker_schedule_at (self, entry,
                                pw_session_get_paused (session) ? G_MAXINT64 : mono);
    }
}

static gboolean
watchdog_cb (gpointer user_data)
{
  pw_tracker_check_clock (user_data);

  return G_SOURCE_CONTINUE;
}

static void
pw_tracker_dispose (GObject *object)
{
  PwTracker *self = (PwTracker *) object;
  GHashTableIter iter;
  gpointer value;

  g_clear_pointer (&self->end_all, pw_tracker_end_all_free);
  g_clear_handle_id (&self->pump_source, g_source_remove);
  g_clear_handle_id (&self->watchdog_source, g_source_remove);

  if (self->entries != NULL)
    {
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PwTrackerEntry *entry = value;

          entry->removed = TRUE;
          if (entry->cancellable != NULL)
            g_cancellable_cancel (entry->cancellable);
          g_object_set_data (G_OBJECT (entry->session), "pw-tracker", NULL);
          if (self->scheduler != NULL)
            pw_scheduler_cancel (self->scheduler, entry);
          leave_ready_queue (entry);
        }
    }

  g_clear_object (&self->scheduler);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->ready, g_sequence_free);
  g_clear_pointer (&self->connections, g_hash_table_unref);

  G_OBJECT_CLASS (pw_tracker_parent_class)->dispose (object);
}

static void
pw_tracker_finalize (GObject *object)
{
  PwTracker *self = (PwTracker *) object;

  g_clear_object (&self->sessions);
  g_clear_object (&self->events);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pw_tracker_parent_class)->finalize (object);
}

static void
pw_tracker_class_init (PwTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = pw_tracker_dispose;
  object_class->finalize = pw_tracker_finalize;

  /**
   * PwTracker::event:
   * @event: the log row (new, or a repeat folded into an older row)
   */
  pw_tracker_signals[PW_TRACKER_SIGNAL_EVENT] =
      g_signal_new ("event", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                    PW_TYPE_EVENT);
  /**
   * PwTracker::exchange:
   *
   * Every request that got as far as the wire, for the inspector.
   */
  pw_tracker_signals[PW_TRACKER_SIGNAL_EXCHANGE] =
      g_signal_new ("exchange", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                    2, PW_TYPE_SESSION, PW_TYPE_EXCHANGE);
  /**
   * PwTracker::changed:
   *
   * Something worth saving changed about @session.
   */
  pw_tracker_signals[PW_TRACKER_SIGNAL_CHANGED] =
      g_signal_new ("changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                    1, PW_TYPE_SESSION);
  pw_tracker_signals[PW_TRACKER_SIGNAL_UNAUTHORIZED] =
      g_signal_new ("unauthorized", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_STRING);
  pw_tracker_signals[PW_TRACKER_SIGNAL_END_ALL_PROGRESS] =
      g_signal_new ("end-all-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pw_tracker_init (PwTracker *self)
{
  self->sessions = g_list_store_new (PW_TYPE_SESSION);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) pw_tracker_entry_unref);
  self->connections =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->events = pw_event_log_new (PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  self->ready = g_sequence_new (NULL);
  self->window = DEFAULT_WINDOW;
  self->base_rate = DEFAULT_RATE;
  pw_rate_limiter_init (&self->limiter, DEFAULT_RATE, DEFAULT_BURST);
}

PwTracker *
pw_tracker_new (PwClock *clock)
{
  PwTracker *self;

  g_return_val_if_fail (PW_IS_CLOCK (clock), NULL);

  self = g_object_new (PW_TYPE_TRACKER, NULL);
  self->clock = g_object_ref (clock);
  self->scheduler = pw_scheduler_new (clock, due_cb, self);
  self->last_boot_us = pw_clock_get_boottime_us (clock);
  self->last_mono_us = pw_clock_get_monotonic_us (clock);
  self->watchdog_source = g_timeout_add_seconds (WATCHDOG_SECONDS, watchdog_cb, self);

  return self;
}

PwClock *
pw_tracker_get_clock (PwTracker *self)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  return self->clock;
}

/**
 * pw_tracker_get_sessions:
 *
 * Returns: (transfer none): a #GListModel of #PwSession, in the order they
 *   were added
 */
GListModel *
pw_tracker_get_sessions (PwTracker *self)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  return G_LIST_MODEL (self->sessions);
}

PwEventLog *
pw_tracker_get_events (PwTracker *self)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  return self->events;
}

/**
 * pw_tracker_set_rate_limit:
 * @per_second: the base rate; with more sessions than it can heartbeat
 *   within a minute, the tracker goes faster (SERVE_ALL_WITHIN_US)
 * @burst: requests that may go at once after a quiet time
 */
void
pw_tracker_set_rate_limit (PwTracker *self, double per_second, double burst)
{
  g_return_if_fail (PW_IS_TRACKER (self));

  self->base_rate = per_second;
  pw_rate_limiter_init (&self->limiter, per_second, burst);
}

/**
 * pw_tracker_track:
 * @paused: add without heartbeating (the expiry countdown runs)
 *
 * Starts tracking a session: its first heartbeat goes out at once (through
 * the rate limiter) unless @paused.
 *
 * Returns: (transfer none) (nullable): the session, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error (duplicate, bad id, unknown connection)
 */
/* A new entry, in the model, not scheduled. */
PwTrackerEntry *
pw_tracker_add_entry (PwTracker *self,
                      const char *session_id,
                      const char *user_id,
                      const char *connection,
                      GError **error)
{
  PwTrackerEntry *entry;
  PwClient *client;

  if (!pw_identifier_is_valid (_ ("session id"), session_id, error) ||
      !pw_identifier_is_valid (_ ("user id"), user_id, error))
    return NULL;

  if (g_hash_table_contains (self->entries, session_id))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("Session %s is already tracked"), session_id);
      return NULL;
    }

  client = pw_tracker_get_client (self, connection);
  if (client == NULL)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("No connection named “%s”"), connection ? connection : "");
      return NULL;
    }

  entry = g_atomic_rc_box_new0 (PwTrackerEntry);
  entry->session = pw_session_new (session_id, user_id, connection);
  entry->client = g_object_ref (client);
  entry->all_ok = TRUE;
  /* A stable phase per session, so heartbeats stay spread round after round. */
  entry->spread_us = (gint64) (g_str_hash (session_id) % MAX_SPREAD_US);
  g_object_set_data (G_OBJECT (entry->session), "pw-tracker", self);

  g_hash_table_insert (self->entries, (gpointer) pw_session_get_id (entry->session),
                       entry);
  g_list_store_append (self->sessions, entry->session);

  return entry;
}

/**
 * pw_tracker_track:
 * @paused: add without heartbeating (the expiry countdown runs)
 *
 * Starts tracking a session: its first heartbeat goes out at once (through
 * the rate limiter) unless @paused.
 *
 * Returns: (transfer none) (nullable): the session, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error (duplicate, bad id, unknown connection)
 */
PwSession *
pw_tracker_track (PwTracker *self,
                  const char *session_id,
                  const char *user_id,
                  const char *connection,
                  gboolean paused,
                  GError **error)
{
  PwTrackerEntry *entry;
  gint64 now;

  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  entry = pw_tracker_add_entry (self, session_id, user_id, connection, error);
  if (entry == NULL)
    return NULL;

  now = pw_tracker_now (self);
  pw_session_set_tracked_since_us (entry->session, now);
  pw_session_set_paused (entry->session, paused);
  pw_tracker_schedule_at (self, entry, paused ? G_MAXINT64 : now);
  pw_tracker_emit_changed (self, entry);

  return entry->session;
}

/**
 * pw_tracker_lookup:
 *
 * Returns: (transfer none) (nullable): the tracked session with that id
 */
PwSession *
pw_tracker_lookup (PwTracker *self, const char *session_id)
{
  PwTrackerEntry *entry;

  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  entry = session_id ? g_hash_table_lookup (self->entries, session_id) : NULL;
  return entry ? entry->session : NULL;
}

/* Stops tracking without telling the server anything. */
gboolean
pw_tracker_untrack (PwTracker *self, const char *session_id)
{
  PwTrackerEntry *entry;
  guint position;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);

  entry = session_id ? g_hash_table_lookup (self->entries, session_id) : NULL;
  if (entry == NULL)
    return FALSE;

  entry->removed = TRUE;
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  pw_tracker_stop (self, entry);
  pw_tracker_end_finished (self, entry);

  if (g_list_store_find (self->sessions, entry->session, &position))
    g_list_store_remove (self->sessions, position);
  pw_tracker_emit_changed (self, entry);
  g_hash_table_remove (self->entries, session_id);

  pump (self);
  return TRUE;
}

/* QA's "heartbeat now": at once, ahead of the schedule. */
gboolean
pw_tracker_heartbeat_now (PwTracker *self, const char *session_id)
{
  PwTrackerEntry *entry;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);

  entry = session_id ? g_hash_table_lookup (self->entries, session_id) : NULL;
  if (entry == NULL ||
      !pw_session_state_is_live (pw_session_get_state (entry->session)) ||
      entry->in_flight)
    return FALSE;

  if (entry->ready_iter == NULL)
    entry->ready_iter = g_sequence_prepend (self->ready, entry);
  pw_scheduler_cancel (self->scheduler, entry);
  pump (self);

  return TRUE;
}

/* Paused: no heartbeats; the expiry countdown runs and ends in the local
 * "expired" verdict (QA uses this to test the 4-minute expiry). Resuming
 * sends one at once. */
gboolean
pw_tracker_set_paused (PwTracker *self, const char *session_id, gboolean paused)
{
  PwTrackerEntry *entry;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);

  entry = session_id ? g_hash_table_lookup (self->entries, session_id) : NULL;
  if (entry == NULL ||
      !pw_session_state_is_live (pw_session_get_state (entry->session)) ||
      pw_session_get_paused (entry->session) == paused)
    return FALSE;

  pw_session_set_paused (entry->session, paused);
  if (paused)
    {
      leave_ready_queue (entry);
      pw_tracker_schedule_at (self, entry, G_MAXINT64);
      pw_tracker_log (
          self, entry, PW_EVENT_PAUSED, NULL,
          _ ("Heartbeats paused: the server deletes the session 4 minutes after "
             "the last success"));
    }
  else
    {
      pw_tracker_log (self, entry, PW_EVENT_RESUMED, NULL, _ ("Heartbeats resumed"));
      pw_tracker_schedule_at (self, entry, pw_tracker_now (self));
    }

  pw_tracker_emit_changed (self, entry);
  return TRUE;
}

gint64
pw_tracker_get_client_play_sec (PwTracker *self, PwSession *session)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), 0);
  g_return_val_if_fail (PW_IS_SESSION (session), 0);

  return MAX (0, pw_tracker_now (self) - pw_session_get_tracked_since_us (session)) /
         G_TIME_SPAN_SECOND;
}

/* SPEC: the client-measured time, sent only when we tracked the session
 * from its first heartbeat on. */
gint64
pw_tracker_default_end_duration (PwTracker *self, PwSession *session)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), PW_TRACKER_DURATION_OMIT);

  if (!pw_session_get_tracked_from_start (session))
    return PW_TRACKER_DURATION_OMIT;

  return pw_tracker_get_client_play_sec (self, session);
}

guint
pw_tracker_get_n_heartbeating (PwTracker *self)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), 0);

  return self->n_heartbeating;
}

/* Sessions something is still happening to: heartbeating, or ending. */
guint
pw_tracker_get_n_busy (PwTracker *self)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), 0);

  return self->n_busy;
}

/* Nothing on the wire and nothing waiting for the limiter: what tests wait
 * for between steps of a fake clock. */
gboolean
pw_tracker_is_quiet (PwTracker *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);

  if (self->in_flight > 0 || g_sequence_get_length (self->ready) > 0 ||
      self->pump_source != 0)
    return FALSE;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((PwTrackerEntry *) value)->in_flight)
      return FALSE;

  return TRUE;
}
