/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-clock.h"

G_DEFINE_TYPE (PwClock, pw_clock, G_TYPE_OBJECT)

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

static void
pw_clock_class_init (PwClockClass *klass)
{
  klass->get_monotonic_us = pw_clock_real_get_monotonic_us;
  klass->get_real_us = pw_clock_real_get_real_us;
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
