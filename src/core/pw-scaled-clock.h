/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-clock.h"

G_BEGIN_DECLS

#define PW_TYPE_SCALED_CLOCK (pw_scaled_clock_get_type ())
G_DECLARE_FINAL_TYPE (PwScaledClock, pw_scaled_clock, PW, SCALED_CLOCK, PwClock)

PwClock *pw_scaled_clock_new (double scale);
double pw_scaled_clock_get_scale (PwScaledClock *self);
void pw_scaled_clock_skip (PwScaledClock *self, gint64 microseconds);

G_END_DECLS
