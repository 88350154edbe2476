/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-clock.h"
#include "pw-fake-clock.h"
#include "pw-scaled-clock.h"

static void
test_clock_new_destroy (void)
{
  PwClock *clock = pw_clock_new ();
  gint64 before = g_get_monotonic_time ();

  g_assert_cmpint (pw_clock_get_monotonic_us (clock), >=, before);
  g_assert_finalize_object (clock);
}

static void
advanced_cb (PwFakeClock *clock, guint *count)
{
  (*count)++;
}

static void
test_fake_clock (void)
{
  PwClock *clock = pw_fake_clock_new ();
  gint64 start = pw_clock_get_monotonic_us (clock);
  gint64 real = pw_clock_get_real_us (clock);
  guint advanced = 0;

  g_signal_connect (clock, "jumped", G_CALLBACK (advanced_cb), &advanced);

  g_assert_cmpint (start, >, 0);
  g_assert_cmpint (pw_clock_get_boottime_us (clock), ==, start);
  pw_fake_clock_advance (PW_FAKE_CLOCK (clock), 240 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_monotonic_us (clock) - start, ==,
                   240 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_real_us (clock) - real, ==, 240 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (advanced, ==, 1);

  /* A wall-clock jump moves real time only. */
  pw_fake_clock_set_real_offset (PW_FAKE_CLOCK (clock), -3600 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_monotonic_us (clock) - start, ==,
                   240 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_real_us (clock) - real, ==, -3360 * G_TIME_SPAN_SECOND);

  /* A suspend: boot and wall time move, monotonic time stands still. */
  pw_fake_clock_set_real_offset (PW_FAKE_CLOCK (clock), 0);
  pw_fake_clock_suspend (PW_FAKE_CLOCK (clock), 600 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_monotonic_us (clock) - start, ==,
                   240 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_boottime_us (clock) - pw_clock_get_monotonic_us (clock),
                   ==, 600 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_real_us (clock) - real, ==, 840 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (advanced, ==, 2);

  g_assert_finalize_object (clock);
}

static void
test_scaled_clock (void)
{
  PwClock *clock = pw_scaled_clock_new (1000.0);
  gint64 start = pw_clock_get_monotonic_us (clock);
  gint64 real_start = g_get_monotonic_time ();
  gint64 elapsed;
  gint64 real_elapsed;

  g_usleep (2000);
  elapsed = pw_clock_get_monotonic_us (clock) - start;
  real_elapsed = g_get_monotonic_time () - real_start;
  g_assert_cmpint (elapsed, >=, 1000 * 1500);
  g_assert_cmpint (elapsed, <=, 1000 * (real_elapsed + 1000));

  pw_scaled_clock_skip (PW_SCALED_CLOCK (clock), 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (pw_clock_get_monotonic_us (clock) - start, >=,
                   60 * G_TIME_SPAN_SECOND);
  g_assert_cmpfloat (pw_scaled_clock_get_scale (PW_SCALED_CLOCK (clock)), ==, 1000.0);

  g_assert_finalize_object (clock);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/new-destroy", test_clock_new_destroy);
  g_test_add_func ("/clock/fake", test_fake_clock);
  g_test_add_func ("/clock/scaled", test_scaled_clock);

  return g_test_run ();
}
