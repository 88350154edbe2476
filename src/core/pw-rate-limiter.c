/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-rate-limiter.h"

void
pw_rate_limiter_init (PwRateLimiter *self, double rate_per_sec, double burst)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rate_per_sec > 0 && burst >= 1);

  self->rate_per_sec = rate_per_sec;
  self->burst = burst;
  self->tokens = burst;
  self->updated_us = 0;
}

static void
refill (PwRateLimiter *self, gint64 now_us)
{
  if (self->updated_us != 0 && now_us > self->updated_us)
    self->tokens =
        MIN (self->burst, self->tokens + (now_us - self->updated_us) *
                                             self->rate_per_sec / G_USEC_PER_SEC);
  self->updated_us = now_us;
}

/* Returns: %TRUE if a request may go now (and counts it) */
gboolean
pw_rate_limiter_take (PwRateLimiter *self, gint64 now_us)
{
  g_return_val_if_fail (self != NULL, FALSE);

  refill (self, now_us);
  if (self->tokens < 1.0)
    return FALSE;

  self->tokens -= 1.0;
  return TRUE;
}

/* Returns: microseconds until the next request may go (0: now) */
gint64
pw_rate_limiter_wait_us (PwRateLimiter *self, gint64 now_us)
{
  g_return_val_if_fail (self != NULL, 0);

  refill (self, now_us);
  if (self->tokens >= 1.0)
    return 0;

  return (gint64) ((1.0 - self->tokens) * G_USEC_PER_SEC / self->rate_per_sec) + 1;
}

/* Changes the rate from now on; tokens already earned are kept. */
void
pw_rate_limiter_set_rate (PwRateLimiter *self, double rate_per_sec)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rate_per_sec > 0);

  self->rate_per_sec = rate_per_sec;
}

/**
 * pw_rate_limiter_rate_for:
 * @base_rate: the rate to keep to while it is enough
 * @n_items: how many items must each get a turn...
 * @within_us: ...within this time
 *
 * Returns: @base_rate, or the higher rate that gives every item its turn in
 *   time
 */
double
pw_rate_limiter_rate_for (double base_rate, guint n_items, gint64 within_us)
{
  g_return_val_if_fail (within_us > 0, base_rate);

  return MAX (base_rate, (double) n_items * G_USEC_PER_SEC / within_us);
}
