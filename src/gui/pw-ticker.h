/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pw-clock.h"

G_BEGIN_DECLS

#define PW_TYPE_TICKER (pw_ticker_get_type ())
G_DECLARE_FINAL_TYPE (PwTicker, pw_ticker, PW, TICKER, GObject)

/* The one clock tick that drives every visible timer: "now-us" (the
 * tracker's monotonic time) is notified once a second, or every 10 s while
 * "slow" (window hidden). Rows bind to it; nothing polls per session. */
PwTicker *pw_ticker_new (PwClock *clock);
gint64 pw_ticker_get_now_us (PwTicker *self);
gboolean pw_ticker_get_slow (PwTicker *self);
void pw_ticker_set_slow (PwTicker *self, gboolean slow);
void pw_ticker_tick (PwTicker *self);

G_END_DECLS
