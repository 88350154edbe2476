/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-fake-clock.h"

/* A clock that only moves when told to. Wall time moves with it, plus an
 * offset that tests use to simulate wall-clock jumps. */
struct _PwFakeClock
{
  PwClock parent_instance;

  gint64 monotonic_us;
  gint64 real_base_us;
  gint64 real_offset_us;
  gint64 suspended_us;
};

G_DEFINE_FINAL_TYPE (PwFakeClock, pw_fake_clock, PW_TYPE_CLOCK)

static gint64
pw_fake_clock_get_monotonic_us (PwClock *clock)
{
  return PW_FAKE_CLOCK (clock)->monotonic_us;
}

static gint64
pw_fake_clock_get_real_us (PwClock *clock)
{
  PwFakeClock *self = PW_FAKE_CLOCK (clock);

  return self->real_base_us + self->monotonic_us + self->suspended_us +
         self->real_offset_us;
}

static gint64
pw_fake_clock_get_boottime_us (PwClock *clock)
{
  PwFakeClock *self = PW_FAKE_CLOCK (clock);

  return self->monotonic_us + self->suspended_us;
}

static void
pw_fake_clock_class_init (PwFakeClockClass *klass)
{
  PwClockClass *clock_class = PW_CLOCK_CLASS (klass);

  clock_class->get_monotonic_us = pw_fake_clock_get_monotonic_us;
  clock_class->get_real_us = pw_fake_clock_get_real_us;
  clock_class->get_boottime_us = pw_fake_clock_get_boottime_us;
}

static void
pw_fake_clock_init (PwFakeClock *self)
{
  /* Start well away from zero so "never" (0) is never a valid time. */
  self->monotonic_us = 1000 * G_USEC_PER_SEC;
  self->real_base_us = g_get_real_time () - self->monotonic_us;
}

PwClock *
pw_fake_clock_new (void)
{
  return g_object_new (PW_TYPE_FAKE_CLOCK, NULL);
}

void
pw_fake_clock_advance (PwFakeClock *self, gint64 microseconds)
{
  g_return_if_fail (PW_IS_FAKE_CLOCK (self));
  g_return_if_fail (microseconds >= 0);

  self->monotonic_us += microseconds;
  pw_clock_emit_jumped (PW_CLOCK (self));
}

/* Moves only the wall clock, as NTP or a user changing the time would. */
void
pw_fake_clock_set_real_offset (PwFakeClock *self, gint64 microseconds)
{
  g_return_if_fail (PW_IS_FAKE_CLOCK (self));

  self->real_offset_us = microseconds;
}

/* As a suspend looks: wall and boot time move on, monotonic time stands. */
void
pw_fake_clock_suspend (PwFakeClock *self, gint64 microseconds)
{
  g_return_if_fail (PW_IS_FAKE_CLOCK (self));
  g_return_if_fail (microseconds >= 0);

  self->suspended_us += microseconds;
  pw_clock_emit_jumped (PW_CLOCK (self));
}
