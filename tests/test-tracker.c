/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pw-error.h"
#include "pw-state-file.h"
#include "pw-test-util.h"
#include "pw-tracker.h"

/* Every row of SPEC.md's heartbeat table, against the sandbox over
 * loopback, with minutes of protocol run on a fake clock one second at a
 * time. */

#define USER "555"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  guint unauthorized;
} TrackerFixture;

static void
tracker_set_up (TrackerFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  /* Real-time rate limiting would only slow the tests down. */
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
}

static void
tracker_tear_down (TrackerFixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->tracker);
  /* Requests cancelled by the tracker's dispose finish on the next turns. */
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sandbox_fixture_tear_down (&fixture->base, data);
}

/* The incremental counts of busy and heartbeating sessions always match a
 * full scan. */
static void
assert_busy_count (TrackerFixture *fixture)
{
  GListModel *sessions = pw_tracker_get_sessions (fixture->tracker);
  guint busy = 0;
  guint heartbeating = 0;

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);

      if (pw_session_is_heartbeating (session))
        heartbeating++;
      if (pw_session_is_heartbeating (session) ||
          pw_session_get_state (session) == PW_SESSION_STATE_ENDING)
        busy++;
    }

  g_assert_cmpuint (pw_tracker_get_n_busy (fixture->tracker), ==, busy);
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, heartbeating);
}

/* Runs the loop until no request is on the wire or waiting. */
static void
settle (TrackerFixture *fixture)
{
  settle_tracker (fixture->tracker);

  assert_busy_count (fixture);
}

/* Protocol time, one second at a time, settling after each. */
static void
run_for (TrackerFixture *fixture, guint seconds)
{
  run_tracker_for (&fixture->base, fixture->tracker, seconds);
}

static PwSession *
track_new (TrackerFixture *fixture, const char *pc_id, gint64 charge_sec, char **out_id)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc_id, charge_sec);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);

  return session;
}

static guint
count_events (TrackerFixture *fixture, PwEventKind kind)
{
  GListModel *events = G_LIST_MODEL (pw_tracker_get_events (fixture->tracker));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr (PwEvent) event = g_list_model_get_item (events, i);

      if (pw_event_get_kind (event) == kind)
        n += pw_event_get_count (event);
    }

  return n;
}

static PwEvent *
last_event (TrackerFixture *fixture)
{
  GListModel *events = G_LIST_MODEL (pw_tracker_get_events (fixture->tracker));
  guint n = g_list_model_get_n_items (events);

  g_assert_cmpuint (n, >, 0);
  return g_list_model_get_item (events, n - 1);
}

static guint
requests (TrackerFixture *fixture)
{
  return pw_sandbox_get_request_count (fixture->base.sandbox);
}

#define ADD(path, func)                                                                  \
  g_test_add (path, TrackerFixture, NULL, tracker_set_up, func, tracker_tear_down)

static void
test_cadence (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);
  gint64 gap;

  /* A new session gets its first heartbeat at once. */
  settle (fixture);
  g_assert_cmpuint (requests (fixture), ==, 1);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_true (pw_session_get_tracked_from_start (session));

  /* The next one within next_heartbeat_in (120 s), less its phase. */
  gap = pw_session_get_next_due_us (session) - pw_session_get_last_success_us (session);
  g_assert_cmpint (gap, <=, 120 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (gap, >=, 90 * G_TIME_SPAN_SECOND);

  run_for (fixture, 89);
  g_assert_cmpuint (requests (fixture), ==, 1);
  run_for (fixture, 31);
  g_assert_cmpuint (requests (fixture), ==, 2);
  run_for (fixture, 600);
  g_assert_cmpuint (requests (fixture), >=, 6);
  g_assert_cmpuint (requests (fixture), <=, 8);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpint (pw_session_get_server_play_sec (session), >=, 600);
  /* OK answers make no events. */
  g_assert_cmpuint (
      g_list_model_get_n_items (G_LIST_MODEL (pw_tracker_get_events (fixture->tracker))),
      ==, 0);
}

static void
test_next_heartbeat_hint (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  PwSession *session;
  gint64 gap;

  id = pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, NULL, -1);
  g_assert_true (pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, 20));
  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, NULL);

  settle (fixture);
  gap = pw_session_get_next_due_us (session) - pw_session_get_last_success_us (session);
  g_assert_cmpint (gap, <=, 20 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (gap, >=, 15 * G_TIME_SPAN_SECOND);

  run_for (fixture, 100);
  g_assert_cmpuint (requests (fixture), >=, 6);
  g_assert_cmpuint (requests (fixture), <=, 8);

  /* Out-of-range hints are clamped: 1000 → 200 s. */
  g_assert_true (pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, 1000));
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, id));
  settle (fixture);
  gap = pw_session_get_next_due_us (session) - pw_session_get_last_success_us (session);
  g_assert_cmpint (gap, <=, 200 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (gap, >, 150 * G_TIME_SPAN_SECOND);
}

static void
test_charge_exhausted (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (PwEvent) event = NULL;
  PwSession *session;
  guint before;

  pw_sandbox_set_ending_sec (fixture->base.sandbox, 30);
  id = pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, NULL, 50);
  g_assert_true (pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, 10));
  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, NULL);

  run_for (fixture, 60);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_CHARGE_EXHAUSTED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_CHARGE_EXHAUSTED), ==, 1);
  /* The grace countdown runs from the first such answer. */
  g_assert_cmpint (pw_session_get_grace_deadline_us (session), >,
                   pw_clock_get_monotonic_us (fixture->base.clock));

  /* Heartbeats go on through the grace, with no more events. */
  before = requests (fixture);
  run_for (fixture, 100);
  g_assert_cmpuint (requests (fixture), >, before + 5);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_CHARGE_EXHAUSTED), ==, 1);

  /* Grace over (t = 170): 410 SESSION_ENDING, then nothing more. */
  run_for (fixture, 30);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDING_BY_SERVER);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_SESSION_ENDING), ==, 1);
  event = last_event (fixture);
  g_assert_cmpuint (pw_event_get_http_status (event), ==, 410);
  g_assert_cmpstr (pw_event_get_code (event), ==, "SESSION_ENDING");
  g_assert_nonnull (pw_event_get_request_id (event));

  before = requests (fixture);
  run_for (fixture, 300);
  g_assert_cmpuint (requests (fixture), ==, before);
}

static void
end_all_done_cb_for_tests (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (
      pw_tracker_end_all_finish (PW_TRACKER (object), result, NULL, NULL, NULL));
  *done = TRUE;
}

static void
test_replaced (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  PwSession *session = track_new (fixture, "pc-r", -1, &id);
  g_autofree char *newer = NULL;
  gboolean done = FALSE;
  guint before;

  settle (fixture);
  newer = pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, "pc-r", -1);
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, id));
  settle (fixture);

  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_REPLACED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_SESSION_REPLACED), ==, 1);

  /* Stop heartbeats, and never call end. */
  before = requests (fixture);
  run_for (fixture, 300);
  g_assert_false (
      pw_tracker_end_session (fixture->tracker, id, PW_TRACKER_DURATION_AUTO));
  pw_tracker_end_all_async (fixture->tracker, 1000, NULL, end_all_done_cb_for_tests,
                            &done);
  spin_until (&done);
  g_assert_cmpuint (requests (fixture), ==, before);
}

static void
test_launcher_silent (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-l", -1, NULL);
  g_autoptr (PwEvent) event = NULL;

  settle (fixture);
  pw_sandbox_silence_launcher (fixture->base.sandbox, "pc-l");
  run_for (fixture, 400);

  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED_BY_SERVER);
  event = last_event (fixture);
  g_assert_cmpint (pw_event_get_kind (event), ==, PW_EVENT_SESSION_ENDED);
  g_assert_nonnull (strstr (pw_event_get_message (event), "launcher silent"));
}

static void
test_lost (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session =
      pw_tracker_track (fixture->tracker, "gs_nobody", USER, "sandbox", FALSE, NULL);

  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_LOST);
  g_assert_cmpuint (pw_session_get_last_status (session), ==, 404);
  g_assert_cmpstr (pw_session_get_last_code (session), ==, "SESSION_NOT_FOUND");
  g_assert_cmpuint (count_events (fixture, PW_EVENT_SESSION_LOST), ==, 1);
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, 0);
}

static void
test_backoff_and_expiry (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);
  gint64 now;
  gint64 previous_due = 0;

  settle (fixture);
  fixture_fault (&fixture->base, "{\"status\": 503, \"count\": 100000}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle (fixture);

  /* First retry within 5 s, later ones at most 30 s apart. */
  now = pw_clock_get_monotonic_us (fixture->base.clock);
  g_assert_true (pw_session_get_retrying (session));
  g_assert_cmpint (pw_session_get_next_due_us (session) - now, <=,
                   5 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  for (guint i = 0; i < 230; i++)
    {
      gint64 due = pw_session_get_next_due_us (session);

      if (due != previous_due && due != 0)
        {
          g_assert_cmpint (due - pw_clock_get_monotonic_us (fixture->base.clock), <=,
                           30 * G_TIME_SPAN_SECOND);
          previous_due = due;
        }
      run_for (fixture, 1);
    }

  g_assert_cmpuint (count_events (fixture, PW_EVENT_NETWORK_FAILURES), ==, 1);
  g_assert_cmpuint (pw_session_get_failure_count (session), >=, 8);

  /* 240 s after the last success: expired, and no more requests. */
  run_for (fixture, 15);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_EXPIRED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_EXPIRED), ==, 1);
}

static void
test_recovery (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  fixture_fault (&fixture->base, "{\"drop\": true, \"count\": 3}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  run_for (fixture, 60);

  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_false (pw_session_get_retrying (session));
  g_assert_cmpuint (pw_session_get_failure_count (session), ==, 0);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_NETWORK_FAILURES), ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_RECOVERED), ==, 1);
}

static void
test_retry_after (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);
  gint64 now;

  settle (fixture);
  fixture_fault (&fixture->base,
                 "{\"status\": 429, \"headers\": {\"Retry-After\": \"17\"}}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle (fixture);

  now = pw_clock_get_monotonic_us (fixture->base.clock);
  g_assert_cmpint (pw_session_get_next_due_us (session) - now, ==,
                   17 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  run_for (fixture, 17);
  g_assert_false (pw_session_get_retrying (session));
}

static void
unauthorized_cb (PwTracker *tracker, const char *connection, TrackerFixture *fixture)
{
  g_assert_cmpstr (connection, ==, "bad");
  fixture->unauthorized++;
}

static void
test_unauthorized (TrackerFixture *fixture, gconstpointer data)
{
  g_autoptr (PwClient) bad = pw_client_new (fixture->base.base_url, "wrong-key", NULL);
  PwSession *good = track_new (fixture, NULL, -1, NULL);
  PwSession *first;
  PwSession *second;

  pw_tracker_add_connection (fixture->tracker, "bad", bad);
  g_signal_connect (fixture->tracker, "unauthorized", G_CALLBACK (unauthorized_cb),
                    fixture);
  first = pw_tracker_track (fixture->tracker, "gs_a", USER, "bad", FALSE, NULL);
  second = pw_tracker_track (fixture->tracker, "gs_b", USER, "bad", TRUE, NULL);

  run_for (fixture, 5);
  g_assert_cmpint (pw_session_get_state (first), ==, PW_SESSION_STATE_UNAUTHORIZED);
  g_assert_cmpint (pw_session_get_state (second), ==, PW_SESSION_STATE_UNAUTHORIZED);
  g_assert_cmpint (pw_session_get_state (good), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (fixture->unauthorized, ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_UNAUTHORIZED), ==, 1);
}

static void
test_unknown_result (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  fixture_fault (&fixture->base,
                 "{\"status\": 200, \"body\": \"{\\\"success\\\":true,\\\"data\\\":"
                 "{\\\"result\\\":\\\"BONUS\\\",\\\"next_heartbeat_in\\\":60,"
                 "\\\"play_duration_sec\\\":1}}\"}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle (fixture);

  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpstr (pw_session_get_last_result (session), ==, "BONUS");
  g_assert_cmpuint (count_events (fixture, PW_EVENT_UNKNOWN_RESULT), ==, 1);
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, 1);
}

static void
test_clock_skew (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  fixture_fault (
      &fixture->base,
      "{\"headers\": {\"Date\": \"Sun, 06 Nov 1994 08:49:37 GMT\"}, \"count\": 2}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle (fixture);
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle (fixture);

  g_assert_cmpuint (count_events (fixture, PW_EVENT_CLOCK_SKEW), ==, 1);
}

static void
test_pause_resume (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  PwSession *session = track_new (fixture, NULL, -1, &id);
  guint before;

  settle (fixture);
  g_assert_true (pw_tracker_set_paused (fixture->tracker, id, TRUE));
  g_assert_false (pw_session_is_heartbeating (session));
  before = requests (fixture);
  run_for (fixture, 200);
  g_assert_cmpuint (requests (fixture), ==, before);

  /* Resume sends one at once. */
  g_assert_true (pw_tracker_set_paused (fixture->tracker, id, FALSE));
  settle (fixture);
  g_assert_cmpuint (requests (fixture), ==, before + 1);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_PAUSED), ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_RESUMED), ==, 1);

  /* Paused past the 240 s: the local expiry verdict. */
  g_assert_true (pw_tracker_set_paused (fixture->tracker, id, TRUE));
  run_for (fixture, 241);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_EXPIRED);
}

static void
test_end_durations (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *late_id = NULL;
  PwSession *session = track_new (fixture, NULL, -1, &id);
  PwSession *late;
  g_autoptr (PwEvent) event = NULL;

  settle (fixture);

  /* A session that was running long before we tracked it. */
  late_id = pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, "pc-late", -1);
  fixture_advance (&fixture->base, 200);
  g_assert_true (run_heartbeat (fixture->base.client, late_id, USER, NULL, NULL, NULL));
  late = pw_tracker_track (fixture->tracker, late_id, USER, "sandbox", FALSE, NULL);

  run_for (fixture, 100);
  g_assert_true (pw_session_get_tracked_from_start (session));
  g_assert_false (pw_session_get_tracked_from_start (late));

  g_assert_true (pw_tracker_end_session (fixture->tracker, id, PW_TRACKER_DURATION_AUTO));
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDING);
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_server_sec (session), ==, 300);
  g_assert_cmpint (pw_session_get_end_client_sec (session), ==, 300);
  event = last_event (fixture);
  g_assert_cmpint (pw_event_get_kind (event), ==, PW_EVENT_ENDED);
  g_assert_nonnull (strstr (pw_event_get_message (event), "drift +0 s"));

  g_assert_true (
      pw_tracker_end_session (fixture->tracker, late_id, PW_TRACKER_DURATION_AUTO));
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (late), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_server_sec (late), ==, 300);
  g_assert_cmpint (pw_session_get_end_client_sec (late), ==, -1);

  /* Ended: no more heartbeats, no second end. */
  g_assert_false (pw_tracker_end_session (fixture->tracker, id, 5));
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, 0);
}

static void
test_end_already_cleaned_up (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  fixture_fault (&fixture->base, "{\"status\": 409, \"match\": \"end\"}");
  g_assert_true (
      pw_tracker_end_session (fixture->tracker, pw_session_get_id (session), 10));
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_ALREADY_CLEANED_UP), ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_END_FAILED), ==, 0);
}

static void
test_end_while_heartbeat_in_flight (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  fixture_fault (&fixture->base, "{\"hang\": true, \"match\": \"heartbeat\"}");
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  /* Let the heartbeat reach the server, then end. */
  while (pw_sandbox_get_request_count (fixture->base.sandbox) < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pw_tracker_is_quiet (fixture->tracker));

  g_assert_true (
      pw_tracker_end_session (fixture->tracker, pw_session_get_id (session), 1));
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_ENDED), ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_NETWORK_FAILURES), ==, 0);
}

typedef struct
{
  gboolean done;
  guint ended;
  guint failed;
  guint progress;
} EndAll;

static void
end_all_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  EndAll *end_all = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_tracker_end_all_finish (PW_TRACKER (object), result, &end_all->ended,
                                            &end_all->failed, &error));
  g_assert_no_error (error);
  end_all->done = TRUE;
}

static void
progress_cb (PwTracker *tracker, guint done, guint total, EndAll *end_all)
{
  g_assert_cmpuint (done, <=, total);
  end_all->progress = done;
}

static void
test_end_all (TrackerFixture *fixture, gconstpointer data)
{
  EndAll end_all = { 0 };
  PwSession *sessions[5];

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autofree char *pc = g_strdup_printf ("pc-%u", i);
      sessions[i] = track_new (fixture, pc, -1, NULL);
    }
  settle (fixture);
  pw_tracker_set_paused (fixture->tracker, pw_session_get_id (sessions[4]), TRUE);

  g_signal_connect (fixture->tracker, "end-all-progress", G_CALLBACK (progress_cb),
                    &end_all);
  pw_tracker_end_all_async (fixture->tracker, PW_TRACKER_END_ALL_BUDGET_MS, NULL,
                            end_all_cb, &end_all);
  spin_until (&end_all.done);

  g_assert_cmpuint (end_all.ended, ==, 5);
  g_assert_cmpuint (end_all.failed, ==, 0);
  g_assert_cmpuint (end_all.progress, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_assert_cmpint (pw_session_get_state (sessions[i]), ==, PW_SESSION_STATE_ENDED);
}

static void
test_end_all_server_hangs (TrackerFixture *fixture, gconstpointer data)
{
  EndAll end_all = { 0 };
  PwSession *first = track_new (fixture, "pc-1", -1, NULL);
  PwSession *second = track_new (fixture, "pc-2", -1, NULL);

  settle (fixture);
  fixture_fault (&fixture->base, "{\"hang\": true, \"count\": 100}");

  /* The budget holds even though every end hangs (real time, kept short). */
  pw_tracker_end_all_async (fixture->tracker, 300, NULL, end_all_cb, &end_all);
  spin_until (&end_all.done);

  g_assert_cmpuint (end_all.ended, ==, 0);
  g_assert_cmpuint (end_all.failed, ==, 2);
  g_assert_cmpint (pw_session_get_state (first), ==, PW_SESSION_STATE_END_FAILED);
  g_assert_cmpint (pw_session_get_state (second), ==, PW_SESSION_STATE_END_FAILED);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_END_FAILED), ==, 2);

  /* A manual retry is possible. */
  pw_sandbox_clear_faults (fixture->base.sandbox);
  g_assert_true (
      pw_tracker_end_session (fixture->tracker, pw_session_get_id (first), -1));
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (first), ==, PW_SESSION_STATE_ENDED);
}

static void
test_suspend (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *short_nap = track_new (fixture, "pc-1", -1, NULL);
  guint before;

  settle (fixture);
  run_for (fixture, 30);
  before = requests (fixture);

  /* 100 s asleep: the server's expiry kept running, so the session is
   * overdue and is heartbeated at once, before its monotonic due time. */
  pw_fake_clock_suspend (PW_FAKE_CLOCK (fixture->base.clock), 100 * G_TIME_SPAN_SECOND);
  pw_tracker_check_clock (fixture->tracker);
  settle (fixture);
  g_assert_cmpuint (requests (fixture), ==, before + 1);
  g_assert_cmpint (pw_session_get_state (short_nap), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpint (pw_tracker_get_client_play_sec (fixture->tracker, short_nap), ==, 130);

  /* Five minutes asleep: past the expiry, the local verdict. */
  pw_fake_clock_suspend (PW_FAKE_CLOCK (fixture->base.clock), 300 * G_TIME_SPAN_SECOND);
  pw_tracker_check_clock (fixture->tracker);
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (short_nap), ==, PW_SESSION_STATE_EXPIRED);
}

static void
test_wall_clock_jump (TrackerFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, NULL, -1, NULL);

  settle (fixture);
  run_for (fixture, 10);

  /* The wall clock jumps back an hour: durations do not care. */
  pw_fake_clock_set_real_offset (PW_FAKE_CLOCK (fixture->base.clock),
                                 -3600 * G_TIME_SPAN_SECOND);
  pw_tracker_check_clock (fixture->tracker);
  run_for (fixture, 10);
  g_assert_cmpint (pw_tracker_get_client_play_sec (fixture->tracker, session), ==, 20);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
}

static void
test_thousand_sessions (TrackerFixture *fixture, gconstpointer data)
{
  guint per_second_max = 0;
  guint before;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *pc = g_strdup_printf ("pc-%u", i);
      g_autofree char *id =
          pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc, -1);

      g_assert_nonnull (
          pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, NULL));
    }

  /* The first round completes... */
  settle (fixture);
  g_assert_cmpuint (requests (fixture), ==, 1000);
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, 1000);

  /* ...and later rounds are spread by each session's phase. */
  before = requests (fixture);
  for (guint second = 0; second < 240; second++)
    {
      guint at = requests (fixture);

      run_for (fixture, 1);
      per_second_max = MAX (per_second_max, requests (fixture) - at);
    }

  g_test_message ("largest burst after the first round: %u heartbeats in one second",
                  per_second_max);
  g_assert_cmpuint (requests (fixture) - before, >=, 2000);
  g_assert_cmpuint (per_second_max, <, 150);
  g_assert_cmpuint (pw_tracker_get_n_heartbeating (fixture->tracker), ==, 1000);
}

static void
test_duplicates_and_untrack (TrackerFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  track_new (fixture, NULL, -1, &id);
  g_assert_null (pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (
      pw_tracker_track (fixture->tracker, "gs_x", USER, "nowhere", FALSE, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);

  /* Untracking while the first heartbeat is in flight. */
  g_assert_true (pw_tracker_untrack (fixture->tracker, id));
  settle (fixture);
  g_assert_null (pw_tracker_lookup (fixture->tracker, id));
  g_assert_cmpuint (g_list_model_get_n_items (pw_tracker_get_sessions (fixture->tracker)),
                    ==, 0);
}

static void
test_new_destroy_in_flight (TrackerFixture *fixture, gconstpointer data)
{
  /* Dropped with a request on the wire: no callback may touch it after. */
  track_new (fixture, NULL, -1, NULL);
  fixture_fault (&fixture->base, "{\"latency_ms\": 20}");
  while (pw_sandbox_get_request_count (fixture->base.sandbox) < 1)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_persistence_round_trip (TrackerFixture *fixture, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("playwave-tracker-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *live_id = NULL;
  g_autofree char *paused_id = NULL;
  g_autofree char *ended_id = NULL;
  g_autoptr (GPtrArray) saved = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (JsonNode) loaded_events = NULL;
  g_autofree char *moved = NULL;
  g_autoptr (GError) error = NULL;
  PwTracker *restored;
  PwSession *live;
  PwSession *paused;
  PwSession *ended;
  guint before;

  track_new (fixture, "pc-1", -1, &live_id);
  track_new (fixture, "pc-2", -1, &paused_id);
  track_new (fixture, "pc-3", -1, &ended_id);
  run_for (fixture, 30);
  pw_tracker_set_paused (fixture->tracker, paused_id, TRUE);
  pw_tracker_end_session (fixture->tracker, ended_id, PW_TRACKER_DURATION_AUTO);
  settle (fixture);

  saved = pw_tracker_dup_saved_sessions (fixture->tracker);
  events = pw_event_log_to_json (pw_tracker_get_events (fixture->tracker));
  g_assert_true (pw_state_file_save (path, saved, events, &error));
  g_assert_no_error (error);

  /* The app stops; 60 s later it starts again. */
  g_clear_object (&fixture->tracker);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fixture_advance (&fixture->base, 60);

  g_assert_true (pw_state_file_load (path, &loaded, &loaded_events, &moved, &error));
  g_assert_no_error (error);
  restored = fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (restored, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (restored, 1e6, 1e6);
  g_assert_true (
      pw_event_log_load_json (pw_tracker_get_events (restored), loaded_events, &error));
  before = requests (fixture);
  g_assert_cmpuint (pw_tracker_restore (restored, loaded, &error), ==, 3);
  g_assert_no_error (error);
  settle (fixture);

  live = pw_tracker_lookup (restored, live_id);
  paused = pw_tracker_lookup (restored, paused_id);
  ended = pw_tracker_lookup (restored, ended_id);

  /* The live one is heartbeated at once; the others are left alone. */
  g_assert_cmpuint (requests (fixture), ==, before + 1);
  g_assert_cmpint (pw_session_get_state (live), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpint (pw_tracker_get_client_play_sec (restored, live), ==, 90);
  g_assert_true (pw_session_get_tracked_from_start (live));
  g_assert_true (pw_session_get_paused (paused));
  g_assert_cmpint (pw_session_get_state (ended), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_server_sec (ended), ==, 30);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_PAUSED), ==, 1);
  g_assert_cmpuint (count_events (fixture, PW_EVENT_ENDED), ==, 1);

  /* The paused one's expiry countdown kept running through the restart. */
  run_for (fixture, 150);
  g_assert_cmpint (pw_session_get_state (paused), ==, PW_SESSION_STATE_EXPIRED);

  /* Restoring twice skips what is already there. */
  g_assert_cmpuint (pw_tracker_restore (restored, loaded, &error), ==, 0);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_restore_stale_live_session (TrackerFixture *fixture, gconstpointer data)
{
  g_autoptr (PwSavedSession) saved = pw_saved_session_new ("gs_stale", USER);
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  PwSession *session;

  /* Saved ten minutes ago as active: heartbeat first, verdict after. */
  saved->connection = g_strdup ("sandbox");
  saved->state = PW_SESSION_STATE_ACTIVE;
  saved->tracked_since_real_us =
      pw_clock_get_real_us (fixture->base.clock) - 900 * G_TIME_SPAN_SECOND;
  saved->last_success_real_us =
      pw_clock_get_real_us (fixture->base.clock) - 600 * G_TIME_SPAN_SECOND;
  g_ptr_array_add (list, saved);

  g_assert_cmpuint (pw_tracker_restore (fixture->tracker, list, NULL), ==, 1);
  settle (fixture);
  session = pw_tracker_lookup (fixture->tracker, "gs_stale");
  g_assert_cmpuint (requests (fixture), ==, 1);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_LOST);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/tracker/cadence", test_cadence);
  ADD ("/tracker/next-heartbeat-hint", test_next_heartbeat_hint);
  ADD ("/tracker/charge-exhausted", test_charge_exhausted);
  ADD ("/tracker/replaced", test_replaced);
  ADD ("/tracker/launcher-silent", test_launcher_silent);
  ADD ("/tracker/lost", test_lost);
  ADD ("/tracker/backoff-and-expiry", test_backoff_and_expiry);
  ADD ("/tracker/recovery", test_recovery);
  ADD ("/tracker/retry-after", test_retry_after);
  ADD ("/tracker/unauthorized", test_unauthorized);
  ADD ("/tracker/unknown-result", test_unknown_result);
  ADD ("/tracker/clock-skew", test_clock_skew);
  ADD ("/tracker/pause-resume", test_pause_resume);
  ADD ("/tracker/end-durations", test_end_durations);
  ADD ("/tracker/end-already-cleaned-up", test_end_already_cleaned_up);
  ADD ("/tracker/end-while-heartbeat-in-flight", test_end_while_heartbeat_in_flight);
  ADD ("/tracker/end-all", test_end_all);
  ADD ("/tracker/end-all-server-hangs", test_end_all_server_hangs);
  ADD ("/tracker/suspend", test_suspend);
  ADD ("/tracker/wall-clock-jump", test_wall_clock_jump);
  ADD ("/tracker/thousand-sessions", test_thousand_sessions);
  ADD ("/tracker/duplicates-and-untrack", test_duplicates_and_untrack);
  ADD ("/tracker/new-destroy-in-flight", test_new_destroy_in_flight);
  ADD ("/tracker/persistence-round-trip", test_persistence_round_trip);
  ADD ("/tracker/restore-stale-live-session", test_restore_stale_live_session);

  return g_test_run ();
}
