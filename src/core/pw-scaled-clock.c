/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-scaled-clock.h"

/* Runs the system clock faster (or slower) by a constant factor from the
 * moment it is made, and can skip ahead: `playwave-sandbox --time-scale 60`
 * turns the 4-minute expiry into 4 seconds of waiting. */
struct _PwScaledClock
{
  PwClock parent_instance;

  double scale;
  gint64 origin_monotonic_us;
  gint64 origin_real_us;
  gint64 skipped_us;
};

G_DEFINE_FINAL_TYPE (PwScaledClock, pw_scaled_clock, PW_TYPE_CLOCK)

static gint64
elapsed_us (PwScaledClock *self)
{
  gint64 real_elapsed = g_get_monotonic_time () - self->origin_monotonic_us;

  return (gint64) ((double) real_elapsed * self->scale) + self->skipped_us;
}

static gint64
pw_scaled_clock_get_monotonic_us (PwClock *clock)
{
  PwScaledClock *self = PW_SCALED_CLOCK (clock);

  return self->origin_monotonic_us + elapsed_us (self);
}

static gint64
pw_scaled_clock_get_real_us (PwClock *clock)
{
  PwScaledClock *self = PW_SCALED_CLOCK (clock);

  return self->origin_real_us + elapsed_us (self);
}

static double
pw_scaled_clock_get_rate (PwClock *clock)
{
  return PW_SCALED_CLOCK (clock)->scale;
}

static void
pw_scaled_clock_class_init (PwScaledClockClass *klass)
{
  PwClockClass *clock_class = PW_CLOCK_CLASS (klass);

  clock_class->get_rate = pw_scaled_clock_get_rate;
  clock_class->get_monotonic_us = pw_scaled_clock_get_monotonic_us;
  clock_class->get_real_us = pw_scaled_clock_get_real_us;
  /* Scaled time is for the sandbox and soak tests, which never suspend on
   * their own. */
  clock_class->get_boottime_us = pw_scaled_clock_get_monotonic_us;
}

static void
pw_scaled_clock_init (PwScaledClock *self)
{
  self->scale = 1.0;
  self->origin_monotonic_us = g_get_monotonic_time ();
  self->origin_real_us = g_get_real_time ();
}

PwClock *
pw_scaled_clock_new (double scale)
{
  PwScaledClock *self;

  g_return_val_if_fail (scale > 0.0, NULL);

  self = g_object_new (PW_TYPE_SCALED_CLOCK, NULL);
  self->scale = scale;

  return PW_CLOCK (self);
}

double
pw_scaled_clock_get_scale (PwScaledClock *self)
{
  g_return_val_if_fail (PW_IS_SCALED_CLOCK (self), 1.0);

  return self->scale;
}

void
pw_scaled_clock_skip (PwScaledClock *self, gint64 microseconds)
{
  g_return_if_fail (PW_IS_SCALED_CLOCK (self));
  g_return_if_fail (microseconds >= 0);

  self->skipped_us += microseconds;
  pw_clock_emit_jumped (PW_CLOCK (self));
}
