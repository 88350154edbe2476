/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-fake-clock.h"
#include "pw-rate-limiter.h"
#include "pw-scaled-clock.h"
#include "pw-scheduler.h"

/* The one-source scheduler on a fake clock, and the rate limiter's
 * arithmetic. */

typedef struct
{
  PwClock *clock;
  PwScheduler *scheduler;
  GPtrArray *fired;
} Fixture;

static void
fired_cb (gpointer item, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->fired, item);
}

static void
set_up (Fixture *fixture, gconstpointer data)
{
  fixture->clock = pw_fake_clock_new ();
  fixture->scheduler = pw_scheduler_new (fixture->clock, fired_cb, fixture);
  fixture->fired = g_ptr_array_new ();
}

static void
tear_down (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->scheduler);
  g_assert_finalize_object (fixture->clock);
  g_ptr_array_unref (fixture->fired);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
advance (Fixture *fixture, gint64 seconds)
{
  pw_fake_clock_advance (PW_FAKE_CLOCK (fixture->clock), seconds * G_TIME_SPAN_SECOND);
  drain ();
}

static void
test_order_and_cancel (Fixture *fixture, gconstpointer data)
{
  gint64 now = pw_clock_get_monotonic_us (fixture->clock);
  int items[5];

  pw_scheduler_schedule (fixture->scheduler, &items[0], now + 30 * G_TIME_SPAN_SECOND);
  pw_scheduler_schedule (fixture->scheduler, &items[1], now + 10 * G_TIME_SPAN_SECOND);
  pw_scheduler_schedule (fixture->scheduler, &items[2], now + 20 * G_TIME_SPAN_SECOND);
  pw_scheduler_schedule (fixture->scheduler, &items[3], now + 20 * G_TIME_SPAN_SECOND);
  pw_scheduler_schedule (fixture->scheduler, &items[4], now + 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (pw_scheduler_get_n_scheduled (fixture->scheduler), ==, 5);
  g_assert_cmpint (pw_scheduler_get_next_due (fixture->scheduler), ==,
                   now + 5 * G_TIME_SPAN_SECOND);

  /* Rescheduling moves; cancelling removes. */
  pw_scheduler_schedule (fixture->scheduler, &items[4], now + 40 * G_TIME_SPAN_SECOND);
  g_assert_true (pw_scheduler_cancel (fixture->scheduler, &items[0]));
  g_assert_false (pw_scheduler_cancel (fixture->scheduler, &items[0]));
  g_assert_cmpint (pw_scheduler_get_due (fixture->scheduler, &items[0]), ==, -1);

  drain ();
  g_assert_cmpuint (fixture->fired->len, ==, 0);

  advance (fixture, 20);
  g_assert_cmpuint (fixture->fired->len, ==, 3);
  g_assert_true (fixture->fired->pdata[0] == &items[1]);
  g_assert_true (fixture->fired->pdata[1] == &items[2]); /* ties in scheduling order */
  g_assert_true (fixture->fired->pdata[2] == &items[3]);

  advance (fixture, 20);
  g_assert_cmpuint (fixture->fired->len, ==, 4);
  g_assert_true (fixture->fired->pdata[3] == &items[4]);
  g_assert_cmpuint (pw_scheduler_get_n_scheduled (fixture->scheduler), ==, 0);
}

static void
test_many (Fixture *fixture, gconstpointer data)
{
  gint64 now = pw_clock_get_monotonic_us (fixture->clock);
  g_autofree int *items = g_new0 (int, 10000);
  gint64 last = 0;

  for (guint i = 0; i < 10000; i++)
    pw_scheduler_schedule (fixture->scheduler, &items[i],
                           now + g_random_int_range (1, 1000) * G_TIME_SPAN_SECOND);
  for (guint i = 0; i < 10000; i += 2)
    pw_scheduler_cancel (fixture->scheduler, &items[i]);

  advance (fixture, 1000);
  g_assert_cmpuint (fixture->fired->len, ==, 5000);
  for (guint i = 0; i < fixture->fired->len; i++)
    {
      int *item = fixture->fired->pdata[i];
      gint64 due_index = item - items;

      g_assert_cmpint (due_index % 2, ==, 1);
      (void) last;
    }
}

static void
test_real_time (void)
{
  PwClock *clock = pw_clock_new ();
  Fixture fixture = { clock, NULL, g_ptr_array_new () };
  int item;

  fixture.scheduler = pw_scheduler_new (clock, fired_cb, &fixture);
  pw_scheduler_schedule (fixture.scheduler, &item,
                         pw_clock_get_monotonic_us (clock) + 20000);
  while (fixture.fired->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fixture.fired->pdata[0] == &item);

  g_assert_finalize_object (fixture.scheduler);
  g_assert_finalize_object (clock);
  g_ptr_array_unref (fixture.fired);
}

/* Regression: with a GTimeoutSource the scheduler's own ready time was
 * overwritten after every dispatch (now + the source's interval), so a
 * second deadline only fired if something else rescheduled meanwhile: the
 * window's heartbeats stalled after a quiet minute. Two deadlines, nothing
 * in between: both must fire. */
static void
test_real_time_consecutive (void)
{
  PwClock *clock = pw_clock_new ();
  Fixture fixture = { clock, NULL, g_ptr_array_new () };
  int first, second;
  gint64 now = pw_clock_get_monotonic_us (clock);

  fixture.scheduler = pw_scheduler_new (clock, fired_cb, &fixture);
  pw_scheduler_schedule (fixture.scheduler, &first, now + 10000);
  pw_scheduler_schedule (fixture.scheduler, &second, now + 40000);
  while (fixture.fired->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fixture.fired->pdata[0] == &first);
  g_assert_true (fixture.fired->pdata[1] == &second);

  g_assert_finalize_object (fixture.scheduler);
  g_assert_finalize_object (clock);
  g_ptr_array_unref (fixture.fired);
}

/* A scaled clock (the soak test's tracker, beside a sandbox as fast) reaches
 * a deadline sooner than real time: 100 s ahead at 1,000 times is 0.1 s.
 * Waiting the clock's microseconds in real ones took 100 s, past the test's
 * timeout. */
static void
test_scaled_clock (void)
{
  PwClock *clock = pw_scaled_clock_new (1000.0);
  Fixture fixture = { clock, NULL, g_ptr_array_new () };
  int item;

  g_assert_cmpfloat (pw_clock_get_rate (clock), ==, 1000.0);
  fixture.scheduler = pw_scheduler_new (clock, fired_cb, &fixture);
  pw_scheduler_schedule (fixture.scheduler, &item,
                         pw_clock_get_monotonic_us (clock) + 100 * G_TIME_SPAN_SECOND);
  while (fixture.fired->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fixture.fired->pdata[0] == &item);
  g_assert_cmpfloat (pw_clock_get_rate (pw_clock_get_default ()), ==, 1.0);

  g_assert_finalize_object (fixture.scheduler);
  g_assert_finalize_object (clock);
  g_ptr_array_unref (fixture.fired);
}

static void
test_rate_limiter (void)
{
  PwRateLimiter limiter;
  gint64 t = 1000 * G_TIME_SPAN_SECOND;
  guint taken = 0;

  pw_rate_limiter_init (&limiter, 100, 10);

  /* The burst at once, then one per 10 ms. */
  while (pw_rate_limiter_take (&limiter, t))
    taken++;
  g_assert_cmpuint (taken, ==, 10);
  g_assert_cmpint (pw_rate_limiter_wait_us (&limiter, t), >, 0);
  g_assert_cmpint (pw_rate_limiter_wait_us (&limiter, t), <=, 10001);

  t += 10000;
  g_assert_true (pw_rate_limiter_take (&limiter, t));
  g_assert_false (pw_rate_limiter_take (&limiter, t));

  /* One second: 100 more, never beyond the burst. */
  taken = 0;
  for (guint i = 0; i < 1000; i++)
    {
      t += 1000;
      if (pw_rate_limiter_take (&limiter, t))
        taken++;
    }
  g_assert_cmpuint (taken, >=, 99);
  g_assert_cmpuint (taken, <=, 101);
}

/* Deadlines a second or more away are served on the next whole second, so
 * spread heartbeats share their wakeups; nearer ones exactly; none early. */
static void
test_wakeup_time (void)
{
  gint64 now = 1000 * G_TIME_SPAN_SECOND + 250000;

  g_assert_cmpint (pw_scheduler_wakeup_time (now, 0), ==, 0);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, -5), ==, 0);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, 20000), ==, now + 20000);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, PW_SCHEDULER_COALESCE_US - 1), ==,
                   now + PW_SCHEDULER_COALESCE_US - 1);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, 1500000), ==,
                   1002 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, 1750000), ==,
                   1002 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_scheduler_wakeup_time (now, 1750001), ==,
                   1003 * G_TIME_SPAN_SECOND);
  for (gint64 delay = 0; delay < 5 * G_TIME_SPAN_SECOND; delay += 12345)
    {
      gint64 at = pw_scheduler_wakeup_time (now, delay);

      g_assert_true (delay == 0 || at >= now + delay);
      g_assert_cmpint (at, <, now + delay + PW_SCHEDULER_COALESCE_US);
    }
  g_assert_cmpint (pw_scheduler_wakeup_time (0, G_MAXINT64), ==, G_MAXINT64);
}

/* The tracker's limiter grows with the sessions: 200/s while that heartbeats
 * every one within 60 s, more past 12,000 (50,000 sessions: 833/s, so the
 * first round ends well before the server's 4-minute expiry). */
static void
test_rate_for_sessions (void)
{
  PwRateLimiter limiter;
  gint64 t = 1000 * G_TIME_SPAN_SECOND;
  gint64 minute = 60 * G_TIME_SPAN_SECOND;
  guint taken = 0;

  g_assert_cmpfloat (pw_rate_limiter_rate_for (200, 0, minute), ==, 200);
  g_assert_cmpfloat (pw_rate_limiter_rate_for (200, 10000, minute), ==, 200);
  g_assert_cmpfloat (pw_rate_limiter_rate_for (200, 12000, minute), ==, 200);
  g_assert_cmpfloat_with_epsilon (pw_rate_limiter_rate_for (200, 50000, minute),
                                  50000 / 60.0, 1e-9);
  g_assert_cmpfloat (pw_rate_limiter_rate_for (1e6, 50000, minute), ==, 1e6);

  /* A new rate applies from then on. */
  pw_rate_limiter_init (&limiter, 100, 1);
  g_assert_true (pw_rate_limiter_take (&limiter, t));
  pw_rate_limiter_set_rate (&limiter, 1000);
  for (guint i = 0; i < 1000; i++)
    {
      t += 1000;
      if (pw_rate_limiter_take (&limiter, t))
        taken++;
    }
  g_assert_cmpuint (taken, >=, 999);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/scheduler/order-and-cancel", Fixture, NULL, set_up, test_order_and_cancel,
              tear_down);
  g_test_add ("/scheduler/many", Fixture, NULL, set_up, test_many, tear_down);
  g_test_add_func ("/scheduler/real-time", test_real_time);
  g_test_add_func ("/scheduler/real-time-consecutive", test_real_time_consecutive);
  g_test_add_func ("/scheduler/scaled-clock", test_scaled_clock);
  g_test_add_func ("/scheduler/wakeup-time", test_wakeup_time);
  g_test_add_func ("/rate-limiter/arithmetic", test_rate_limiter);
  g_test_add_func ("/rate-limiter/rate-for-sessions", test_rate_for_sessions);

  return g_test_run ();
}
