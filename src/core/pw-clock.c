/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <time.h>

#include "pw-clock.h"

G_DEFINE_TYPE (PwClock, pw_clock, G_TYPE_OBJECT)

enum
{
  JUMPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
pw_clock_real_get_monotonic_us (PwClock *self)
{
  return g_get_monotonic_time ();
}

static gint64
pw_clock_real_get_real_us (PwClock *self)
{
  return g_get_real_time ();
}

static gint64
pw_clock_real_get_boottime_us (PwClock *self)
{
#ifdef CLOCK_BOOTTIME
  struct timespec ts;

  if (clock_gettime (CLOCK_BOOTTIME, &ts) == 0)
    return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#endif

  /* Without it, suspends go unnoticed here (the tracker still recovers
   * from the expiry verdicts). */
  return g_get_monotonic_time ();
}

static double
pw_clock_real_get_rate (PwClock *self)
{
  return 1.0;
}

static void
pw_clock_class_init (PwClockClass *klass)
{
  klass->get_monotonic_us = pw_clock_real_get_monotonic_us;
  klass->get_real_us = pw_clock_real_get_real_us;
  klass->get_boottime_us = pw_clock_real_get_boottime_us;
  klass->get_rate = pw_clock_real_get_rate;

  /**
   * PwClock::jumped:
   *
   * Emitted when time moved in a way a main-loop timer cannot see: a test
   * advanced a fake clock. Schedulers look at their deadlines again.
   */
  signals[JUMPED] = g_signal_new ("jumped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pw_clock_init (PwClock *self)
{
}

PwClock *
pw_clock_new (void)
{
  return g_object_new (PW_TYPE_CLOCK, NULL);
}

/**
 * pw_clock_get_default:
 *
 * Returns: (transfer none): the process-wide system clock
 */
PwClock *
pw_clock_get_default (void)
{
  static PwClock *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, pw_clock_new ());

  return instance;
}

gint64
pw_clock_get_monotonic_us (PwClock *self)
{
  g_return_val_if_fail (PW_IS_CLOCK (self), 0);

  return PW_CLOCK_GET_CLASS (self)->get_monotonic_us (self);
}

gint64
pw_clock_get_real_us (PwClock *self)
{
  g_return_val_if_fail (PW_IS_CLOCK (self), 0);

  return PW_CLOCK_GET_CLASS (self)->get_real_us (self);
}

gint64
pw_clock_get_boottime_us (PwClock *self)
{
  g_return_val_if_fail (PW_IS_CLOCK (self), 0);

  return PW_CLOCK_GET_CLASS (self)->get_boottime_us (self);
}

/**
 * pw_clock_get_rate:
 *
 * Returns: how fast the clock runs against real time: 1 for the system
 *   clock, the scale of a #PwScaledClock; always more than 0
 */
double
pw_clock_get_rate (PwClock *self)
{
  g_return_val_if_fail (PW_IS_CLOCK (self), 1.0);

  return PW_CLOCK_GET_CLASS (self)->get_rate (self);
}

void
pw_clock_emit_jumped (PwClock *self)
{
  g_return_if_fail (PW_IS_CLOCK (self));

  g_signal_emit (self, signals[JUMPED], 0);
}
