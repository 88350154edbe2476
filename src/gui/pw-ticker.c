/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-ticker.h"

/* One periodic source for every live time on screen (STYLE.md "Live
 * times", PITFALLS.md "GTK 4.8 lists"): list cells and the detail pane
 * connect to notify::now-us while they are bound and format their own
 * countdowns from it. A thousand visible timers cost one wake-up a second,
 * and none while the clock has not moved.
 *
 * The ticks use g_timeout_add_seconds(), which lets GLib coalesce them with
 * other per-second timers of the process. While "slow" (the window is
 * hidden or minimized) it wakes every 10 s instead. When the clock jumps (a
 * test advanced a fake clock, or the tracker noticed a suspend) it ticks at
 * once. */

#define FAST_INTERVAL_SEC 1
#define SLOW_INTERVAL_SEC 10

struct _PwTicker
{
  GObject parent_instance;

  PwClock *clock;
  gint64 now_us;
  gboolean slow;
  guint source_id;
};

G_DEFINE_FINAL_TYPE (PwTicker, pw_ticker, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CLOCK,
  PROP_NOW_US,
  PROP_SLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean tick_cb (gpointer user_data);

static void
pw_ticker_restart (PwTicker *self)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  self->source_id = g_timeout_add_seconds (
      self->slow ? SLOW_INTERVAL_SEC : FAST_INTERVAL_SEC, tick_cb, self);
  g_source_set_name_by_id (self->source_id, "[playwave] ticker");
}

static gboolean
tick_cb (gpointer user_data)
{
  pw_ticker_tick (PW_TICKER (user_data));

  return G_SOURCE_CONTINUE;
}

static void
clock_jumped_cb (PwTicker *self)
{
  pw_ticker_tick (self);
}

static void
pw_ticker_dispose (GObject *object)
{
  PwTicker *self = (PwTicker *) object;

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_func (self->clock, clock_jumped_cb, self);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pw_ticker_parent_class)->dispose (object);
}

static void
pw_ticker_constructed (GObject *object)
{
  PwTicker *self = (PwTicker *) object;

  G_OBJECT_CLASS (pw_ticker_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = g_object_ref (pw_clock_get_default ());

  g_signal_connect_swapped (self->clock, "jumped", G_CALLBACK (clock_jumped_cb), self);
  self->now_us = pw_clock_get_monotonic_us (self->clock);
  pw_ticker_restart (self);
}

static void
pw_ticker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwTicker *self = PW_TICKER (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        g_value_set_object (value, self->clock);
        break;

      case PROP_NOW_US:
        g_value_set_int64 (value, self->now_us);
        break;

      case PROP_SLOW:
        g_value_set_boolean (value, self->slow);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_ticker_set_property (GObject *object,
                        guint prop_id,
                        const GValue *value,
                        GParamSpec *pspec)
{
  PwTicker *self = PW_TICKER (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        self->clock = g_value_dup_object (value);
        break;

      case PROP_SLOW:
        pw_ticker_set_slow (self, g_value_get_boolean (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_ticker_class_init (PwTickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_ticker_dispose;
  object_class->constructed = pw_ticker_constructed;
  object_class->get_property = pw_ticker_get_property;
  object_class->set_property = pw_ticker_set_property;

  properties[PROP_CLOCK] = g_param_spec_object (
      "clock", NULL, NULL, PW_TYPE_CLOCK,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PwTicker:now-us:
   *
   * The clock's monotonic time at the last tick, in microseconds.
   */
  properties[PROP_NOW_US] = g_param_spec_int64 (
      "now-us", NULL, NULL, G_MININT64, G_MAXINT64, 0,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * PwTicker:slow:
   *
   * Tick every 10 s instead of every second (nobody is looking).
   */
  properties[PROP_SLOW] = g_param_spec_boolean (
      "slow", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_ticker_init (PwTicker *self)
{
}

/**
 * pw_ticker_new:
 * @clock: (nullable): the clock to read, %NULL for the system clock
 *
 * Returns: (transfer full): a ticker that is already running
 */
PwTicker *
pw_ticker_new (PwClock *clock)
{
  g_return_val_if_fail (clock == NULL || PW_IS_CLOCK (clock), NULL);

  return g_object_new (PW_TYPE_TICKER, "clock", clock, NULL);
}

gint64
pw_ticker_get_now_us (PwTicker *self)
{
  g_return_val_if_fail (PW_IS_TICKER (self), 0);

  return self->now_us;
}

gboolean
pw_ticker_get_slow (PwTicker *self)
{
  g_return_val_if_fail (PW_IS_TICKER (self), FALSE);

  return self->slow;
}

/**
 * pw_ticker_set_slow:
 *
 * Going fast again ticks at once, so nothing on screen is up to 10 s old.
 */
void
pw_ticker_set_slow (PwTicker *self, gboolean slow)
{
  g_return_if_fail (PW_IS_TICKER (self));

  slow = !!slow;
  if (self->slow == slow)
    return;

  self->slow = slow;
  pw_ticker_restart (self);
  if (!slow)
    pw_ticker_tick (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOW]);
}

/**
 * pw_ticker_tick:
 *
 * Reads the clock now and notifies "now-us" if it moved. The timer calls
 * it; tests call it after advancing a fake clock.
 */
void
pw_ticker_tick (PwTicker *self)
{
  gint64 now_us;

  g_return_if_fail (PW_IS_TICKER (self));

  now_us = pw_clock_get_monotonic_us (self->clock);
  if (now_us == self->now_us)
    return;

  self->now_us = now_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW_US]);
}
