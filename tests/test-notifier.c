/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "pw-fake-clock.h"
#include "pw-notifier.h"
#include "pw-tracker.h"

/* When desktop notifications go out, without a desktop: the notifier is
 * made without an application and its ::send and ::withdraw signals are
 * watched. Events come as the tracker emits them. */

typedef struct
{
  PwClock *clock;
  PwTracker *tracker;
  PwNotifier *notifier;
  GPtrArray *sent; /* "id|title|body|action" */
  GPtrArray *withdrawn;
} NotifierFixture;

static void
send_cb (PwNotifier *notifier,
         const char *id,
         const char *title,
         const char *body,
         const char *action,
         NotifierFixture *fixture)
{
  g_ptr_array_add (fixture->sent,
                   g_strdup_printf ("%s|%s|%s|%s", id, title, body, action));
}

static void
withdraw_cb (PwNotifier *notifier, const char *id, NotifierFixture *fixture)
{
  g_ptr_array_add (fixture->withdrawn, g_strdup (id));
}

static void
notifier_set_up (NotifierFixture *fixture, gconstpointer data)
{
  fixture->clock = pw_fake_clock_new ();
  fixture->tracker = pw_tracker_new (fixture->clock);
  fixture->notifier = pw_notifier_new (NULL, fixture->tracker);
  fixture->sent = g_ptr_array_new_with_free_func (g_free);
  fixture->withdrawn = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->notifier, "send", G_CALLBACK (send_cb), fixture);
  g_signal_connect (fixture->notifier, "withdraw", G_CALLBACK (withdraw_cb), fixture);
}

static void
notifier_tear_down (NotifierFixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->notifier);
  g_assert_finalize_object (fixture->tracker);
  g_assert_finalize_object (fixture->clock);
  g_ptr_array_unref (fixture->sent);
  g_ptr_array_unref (fixture->withdrawn);
}

/* What the tracker does when it logs an event. */
static void
emit (NotifierFixture *fixture,
      const char *session_id,
      PwEventKind kind,
      const char *message)
{
  g_autoptr (PwEvent) event =
      pw_event_new (pw_clock_get_real_us (fixture->clock), session_id, "4242", kind,
                    kind == PW_EVENT_SESSION_ENDED ? 410 : 200, NULL, "req_1", message);

  g_signal_emit_by_name (fixture->tracker, "event", event);
}

static const char *
sent (NotifierFixture *fixture, guint i)
{
  g_assert_cmpuint (i, <, fixture->sent->len);
  return g_ptr_array_index (fixture->sent, i);
}

/* Tests */

static void
test_new_destroy (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  PwTracker *tracker = pw_tracker_new (clock);
  PwNotifier *notifier = pw_notifier_new (NULL, tracker);

  g_assert_true (pw_notifier_get_enabled (notifier));
  g_assert_false (pw_notifier_get_window_active (notifier));
  g_assert_cmpuint (pw_notifier_get_delay_ms (notifier), ==,
                    PW_NOTIFIER_DEFAULT_DELAY_MS);
  g_assert_finalize_object (notifier);
  g_assert_finalize_object (tracker);
}

static void
test_kinds (void)
{
  g_assert_true (pw_notifier_kind_notifies (PW_EVENT_CHARGE_EXHAUSTED));
  g_assert_true (pw_notifier_kind_notifies (PW_EVENT_SESSION_REPLACED));
  g_assert_true (pw_notifier_kind_notifies (PW_EVENT_SESSION_ENDED));
  g_assert_true (pw_notifier_kind_notifies (PW_EVENT_SESSION_ENDING));
  g_assert_false (pw_notifier_kind_notifies (PW_EVENT_SESSION_LOST));
  g_assert_false (pw_notifier_kind_notifies (PW_EVENT_PAUSED));
  g_assert_false (pw_notifier_kind_notifies (PW_EVENT_ENDED));
}

/* One event in the background: one notification that opens the session,
 * after the burst's delay, not before. */
static void
test_single (NotifierFixture *fixture, gconstpointer data)
{
  emit (fixture, "gs_one", PW_EVENT_CHARGE_EXHAUSTED, NULL);
  g_assert_cmpuint (fixture->sent->len, ==, 0);

  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  g_assert_cmpstr (sent (fixture, 0), ==,
                   "charge-exhausted|Out of charge: gs_one|User 4242. The player ran out "
                   "of charge; the server ends the session when the 2-minute grace is "
                   "over.|app.show-session('gs_one')");

  /* Nothing new: nothing more. */
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
}

/* The 410 says why, in the tracker's words. */
static void
test_ended_message (NotifierFixture *fixture, gconstpointer data)
{
  emit (fixture, "gs_gone", PW_EVENT_SESSION_ENDED,
        "Ended by the server: launcher silent (no launcher heartbeat for 4 minutes)");
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpstr (sent (fixture, 0), ==,
                   "session-ended|Ended by the server: gs_gone|User 4242. Ended by the "
                   "server: launcher silent (no launcher heartbeat for 4 minutes)|"
                   "app.show-session('gs_gone')");
}

/* A burst becomes one notification per group, which opens the panel on
 * that kind; other kinds do not notify at all. */
static void
test_burst (NotifierFixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_b%u", i);

      emit (fixture, id, PW_EVENT_CHARGE_EXHAUSTED, NULL);
      emit (fixture, id, PW_EVENT_PAUSED, NULL);
    }
  emit (fixture, "gs_r", PW_EVENT_SESSION_REPLACED, NULL);
  emit (fixture, "gs_lost", PW_EVENT_SESSION_LOST, NULL);
  /* The same session again counts once. */
  emit (fixture, "gs_b0", PW_EVENT_CHARGE_EXHAUSTED, NULL);

  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 2);
  g_assert_cmpstr (
      sent (fixture, 0), ==,
      "charge-exhausted|7 sessions ran out of charge|gs_b0, gs_b1, gs_b2, gs_b3, "
      "gs_b4 and 2 more|app.show-events::charge-exhausted");
  g_assert_true (
      g_str_has_prefix (sent (fixture, 1), "session-replaced|Session replaced: gs_r|"));
}

/* Counts run until the window is active again; a later burst replaces its
 * group's notification (same id) with the new total. */
static void
test_cumulative_and_withdraw (NotifierFixture *fixture, gconstpointer data)
{
  emit (fixture, "gs_c1", PW_EVENT_SESSION_ENDED, NULL);
  pw_notifier_flush (fixture->notifier);
  emit (fixture, "gs_c2", PW_EVENT_SESSION_ENDING, NULL);
  emit (fixture, "gs_c3", PW_EVENT_SESSION_ENDED, NULL);
  pw_notifier_flush (fixture->notifier);

  g_assert_cmpuint (fixture->sent->len, ==, 2);
  g_assert_true (g_str_has_prefix (
      sent (fixture, 1), "session-ended|3 sessions were ended by the server|gs_c1, "
                         "gs_c2, gs_c3|app.show-events::important"));

  /* The user comes back: withdrawn, and nothing while the window is active. */
  pw_notifier_set_window_active (fixture->notifier, TRUE);
  g_assert_cmpuint (fixture->withdrawn->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->withdrawn, 0), ==, "session-ended");
  emit (fixture, "gs_c4", PW_EVENT_SESSION_ENDED, NULL);
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 2);

  /* In the background again: counting starts over. */
  pw_notifier_set_window_active (fixture->notifier, FALSE);
  emit (fixture, "gs_c5", PW_EVENT_SESSION_ENDED, NULL);
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 3);
  g_assert_true (
      g_str_has_prefix (sent (fixture, 2), "session-ended|Ended by the server: gs_c5|"));
}

/* The setting off: nothing, and what was out is withdrawn. */
static void
test_disabled (NotifierFixture *fixture, gconstpointer data)
{
  emit (fixture, "gs_d1", PW_EVENT_SESSION_REPLACED, NULL);
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 1);

  pw_notifier_set_enabled (fixture->notifier, FALSE);
  g_assert_cmpuint (fixture->withdrawn->len, ==, 1);
  emit (fixture, "gs_d2", PW_EVENT_SESSION_REPLACED, NULL);
  pw_notifier_flush (fixture->notifier);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
}

/* A pending burst that the window's activation overtakes is dropped. */
static void
test_timer (NotifierFixture *fixture, gconstpointer data)
{
  pw_notifier_set_delay_ms (fixture->notifier, 0);
  emit (fixture, "gs_t1", PW_EVENT_CHARGE_EXHAUSTED, NULL);
  emit (fixture, "gs_t2", PW_EVENT_CHARGE_EXHAUSTED, NULL);
  while (fixture->sent->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  g_assert_true (
      g_str_has_prefix (sent (fixture, 0), "charge-exhausted|2 sessions ran out"));

  emit (fixture, "gs_t3", PW_EVENT_CHARGE_EXHAUSTED, NULL);
  pw_notifier_set_window_active (fixture->notifier, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->sent->len, ==, 1);
}

/* The class handler builds a real GNotification for an application. */
static void
test_application (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  g_autoptr (GApplication) application = g_application_new (
      "io.github.playwave_tools.SessionMonitor.Test", G_APPLICATION_NON_UNIQUE);
  PwTracker *tracker = pw_tracker_new (clock);
  PwNotifier *notifier = pw_notifier_new (application, tracker);
  g_autoptr (PwEvent) event =
      pw_event_new (pw_clock_get_real_us (clock), "gs_app", "1",
                    PW_EVENT_SESSION_REPLACED, 200, NULL, NULL, NULL);

  g_assert_true (g_application_register (application, NULL, NULL));
  g_signal_emit_by_name (tracker, "event", event);
  pw_notifier_flush (notifier);
  pw_notifier_set_window_active (notifier, TRUE);

  g_assert_finalize_object (notifier);
  g_assert_finalize_object (tracker);
}

int
main (int argc, char **argv)
{
  /* No session bus: GApplication stays local and notifications go nowhere. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/playwave-test", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notifier/new-destroy", test_new_destroy);
  g_test_add_func ("/notifier/kinds", test_kinds);
  g_test_add_func ("/notifier/application", test_application);

#define ADD(path, func)                                                                  \
  g_test_add (path, NotifierFixture, NULL, notifier_set_up, func, notifier_tear_down)
  ADD ("/notifier/single", test_single);
  ADD ("/notifier/ended-message", test_ended_message);
  ADD ("/notifier/burst", test_burst);
  ADD ("/notifier/cumulative-and-withdraw", test_cumulative_and_withdraw);
  ADD ("/notifier/disabled", test_disabled);
  ADD ("/notifier/timer", test_timer);
#undef ADD

  return g_test_run ();
}
