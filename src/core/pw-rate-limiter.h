/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A token bucket on the real monotonic clock: it limits load on the
 * network, so it runs on real time even when protocol time is faked. */
typedef struct
{
  double rate_per_sec;
  double burst;
  double tokens;
  gint64 updated_us;
} PwRateLimiter;

void pw_rate_limiter_init (PwRateLimiter *self, double rate_per_sec, double burst);
gboolean pw_rate_limiter_take (PwRateLimiter *self, gint64 now_us);
gint64 pw_rate_limiter_wait_us (PwRateLimiter *self, gint64 now_us);
void pw_rate_limiter_set_rate (PwRateLimiter *self, double rate_per_sec);
double pw_rate_limiter_rate_for (double base_rate, guint n_items, gint64 within_us);

G_END_DECLS
