/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PW_TYPE_CLOCK (pw_clock_get_type ())
G_DECLARE_DERIVABLE_TYPE (PwClock, pw_clock, PW, CLOCK, GObject)

/**
 * PwClockClass:
 * @get_monotonic_us: microseconds on a clock that never jumps
 * @get_real_us: wall-clock microseconds since the Unix epoch
 * @get_boottime_us: like @get_monotonic_us, but it keeps counting while
 *   the computer is suspended (Linux CLOCK_BOOTTIME)
 * @get_rate: how many of its microseconds pass in one real microsecond
 *   (1 for the system clock), so a main-loop timer can wait for one of its
 *   deadlines
 *
 * Every part of the core reads time through a #PwClock, so tests and the
 * sandbox can run minutes of protocol in milliseconds. The base class is the
 * system clock.
 */
struct _PwClockClass
{
  GObjectClass parent_class;

  gint64 (*get_monotonic_us) (PwClock *self);
  gint64 (*get_real_us) (PwClock *self);
  gint64 (*get_boottime_us) (PwClock *self);
  double (*get_rate) (PwClock *self);

  gpointer padding[7];
};

PwClock *pw_clock_new (void);
PwClock *pw_clock_get_default (void);
gint64 pw_clock_get_monotonic_us (PwClock *self);
gint64 pw_clock_get_real_us (PwClock *self);
gint64 pw_clock_get_boottime_us (PwClock *self);
double pw_clock_get_rate (PwClock *self);
void pw_clock_emit_jumped (PwClock *self);

G_END_DECLS
