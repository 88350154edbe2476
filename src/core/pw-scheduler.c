/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-scheduler.h"

/* Every deadline of every session in one binary heap, behind one GSource
 * whose ready time is the earliest deadline. A GLib source costs every
 * main-loop iteration (10,000 timeouts made each iteration 313 µs,
 * PITFALLS.md); this costs one, whatever the number of sessions.
 *
 * Deadlines are on the PwClock; the source's ready time is translated to
 * the real monotonic clock at the clock's rate, and recomputed whenever
 * the clock jumps (a fake clock in tests). Items are not referenced: the
 * owner cancels an item before dropping it. */

typedef struct
{
  gint64 due_us;
  guint64 serial; /* ties run in scheduling order */
  gpointer item;
} Entry;

struct _PwScheduler
{
  GObject parent_instance;

  PwClock *clock;
  PwSchedulerFunc func;
  gpointer user_data;

  GArray *heap;         /* Entry */
  GHashTable *position; /* item → index in heap + 1 */
  guint64 serial;

  GSource *source;
  gboolean armed;      /* the source's ready time stands for... */
  gint64 armed_due_us; /* ...this deadline, or none (G_MININT64) */
  gulong jumped_handler;
};

G_DEFINE_FINAL_TYPE (PwScheduler, pw_scheduler, G_TYPE_OBJECT)

#define ENTRY(self, i) (&g_array_index ((self)->heap, Entry, (i)))

static gboolean
earlier (const Entry *a, const Entry *b)
{
  return a->due_us < b->due_us || (a->due_us == b->due_us && a->serial < b->serial);
}

static void
place (PwScheduler *self, guint index, const Entry *entry)
{
  *ENTRY (self, index) = *entry;
  g_hash_table_insert (self->position, entry->item, GUINT_TO_POINTER (index + 1));
}

static void
sift_up (PwScheduler *self, guint index)
{
  Entry entry = *ENTRY (self, index);

  while (index > 0)
    {
      guint parent = (index - 1) / 2;

      if (!earlier (&entry, ENTRY (self, parent)))
        break;
      place (self, index, ENTRY (self, parent));
      index = parent;
    }

  place (self, index, &entry);
}

static void
sift_down (PwScheduler *self, guint index)
{
  Entry entry = *ENTRY (self, index);
  guint n = self->heap->len;

  for (;;)
    {
      guint child = 2 * index + 1;

      if (child >= n)
        break;
      if (child + 1 < n && earlier (ENTRY (self, child + 1), ENTRY (self, child)))
        child++;
      if (!earlier (ENTRY (self, child), &entry))
        break;
      place (self, index, ENTRY (self, child));
      index = child;
    }

  place (self, index, &entry);
}

static void
remove_at (PwScheduler *self, guint index)
{
  guint last = self->heap->len - 1;

  g_hash_table_remove (self->position, ENTRY (self, index)->item);

  if (index != last)
    {
      Entry moved = *ENTRY (self, last);

      g_array_set_size (self->heap, last);
      place (self, index, &moved);
      sift_down (self, index);
      sift_up (self, index);
    }
  else
    {
      g_array_set_size (self->heap, last);
    }
}

/**
 * pw_scheduler_wakeup_time:
 * @now_us: the real monotonic time
 * @delay_us: how long until the earliest deadline
 *
 * When to wake up for a deadline @delay_us away: at once if it is due,
 * exactly if it is less than %PW_SCHEDULER_COALESCE_US away, else on the
 * next whole multiple of %PW_SCHEDULER_COALESCE_US of the monotonic clock
 * after it, as g_timeout_add_seconds() does. Heartbeats spread over the
 * interval then go out in one batch a second instead of one wakeup each:
 * a heartbeat alone in its wakeup cost three times the CPU of one in a
 * batch (docs/BENCHMARKS.md). A deadline is never served early, and at
 * most that much late: nothing here needs more precision than a second
 * against the server's 4-minute expiry.
 *
 * Returns: a ready time for g_source_set_ready_time()
 */
gint64
pw_scheduler_wakeup_time (gint64 now_us, gint64 delay_us)
{
  gint64 at;

  if (delay_us <= 0)
    return 0;

  at = now_us + delay_us;
  if (delay_us < PW_SCHEDULER_COALESCE_US || at > G_MAXINT64 - PW_SCHEDULER_COALESCE_US)
    return at;

  return (at + PW_SCHEDULER_COALESCE_US - 1) / PW_SCHEDULER_COALESCE_US *
         PW_SCHEDULER_COALESCE_US;
}

/* Sets the source's ready time for the earliest deadline. Only when that
 * deadline changed (or @force, after a clock jump): g_source_set_ready_time()
 * wakes the main context up (a write to its eventfd) every time, and a
 * heartbeat schedules and cancels an item two or three times. */
static void
rearm_full (PwScheduler *self, gboolean force)
{
  gint64 due = self->heap->len ? ENTRY (self, 0)->due_us : G_MININT64;
  gint64 delta;
  double rate;

  if (self->source == NULL || (!force && self->armed && due == self->armed_due_us))
    return;

  self->armed = TRUE;
  self->armed_due_us = due;
  if (self->heap->len == 0)
    {
      g_source_set_ready_time (self->source, -1);
      return;
    }

  /* In real microseconds: a scaled clock (a tracker in a soak test, beside
   * a sandbox running as fast) reaches the deadline sooner. Rounded up, so
   * the source does not wake just before it. */
  delta = due - pw_clock_get_monotonic_us (self->clock);
  rate = pw_clock_get_rate (self->clock);
  if (delta > 0)
    delta = (gint64) (delta / rate) + 1;
  /* Whole seconds are whole seconds of real time: a scaled clock (tests,
   * soak runs) is served exactly. */
  if (rate == 1.0)
    g_source_set_ready_time (self->source,
                             pw_scheduler_wakeup_time (g_get_monotonic_time (), delta));
  else
    g_source_set_ready_time (self->source,
                             delta <= 0 ? 0 : g_get_monotonic_time () + delta);
}

static void
rearm (PwScheduler *self)
{
  rearm_full (self, FALSE);
}

static gboolean
dispatch_cb (gpointer user_data)
{
  PwScheduler *self = user_data;
  /* Only holds a reference to the end (unused to clang). */
  g_autoptr (PwScheduler) hold G_GNUC_UNUSED = g_object_ref (self);
  gint64 now = pw_clock_get_monotonic_us (self->clock);
  guint budget = self->heap->len;

  /* Only what is due now, and at most what was there when we started: an
   * item rescheduled for "now" by its callback waits for the next round. */
  while (self->heap->len > 0 && ENTRY (self, 0)->due_us <= now && budget-- > 0)
    {
      gpointer item = ENTRY (self, 0)->item;

      remove_at (self, 0);
      self->func (item, self->user_data);
    }

  /* Always: the ready time has passed, and with a fake clock the earliest
   * deadline may still be ahead of it. */
  rearm_full (self, TRUE);

  return G_SOURCE_CONTINUE;
}

/* A bare source that is ready only by its ready time. Not a
 * GTimeoutSource: that one sets its ready time to now + its interval
 * after every dispatch, which would undo rearm() and leave the next
 * deadline waiting for the interval. */
static gboolean
deadline_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_source_funcs = {
  .dispatch = deadline_source_dispatch,
};

static void
jumped_cb (PwClock *clock, PwScheduler *self)
{
  rearm_full (self, TRUE);
}

static void
pw_scheduler_dispose (GObject *object)
{
  PwScheduler *self = (PwScheduler *) object;

  if (self->source != NULL)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  g_clear_signal_handler (&self->jumped_handler, self->clock);

  G_OBJECT_CLASS (pw_scheduler_parent_class)->dispose (object);
}

static void
pw_scheduler_finalize (GObject *object)
{
  PwScheduler *self = (PwScheduler *) object;

  g_clear_pointer (&self->heap, g_array_unref);
  g_clear_pointer (&self->position, g_hash_table_unref);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pw_scheduler_parent_class)->finalize (object);
}

static void
pw_scheduler_class_init (PwSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_scheduler_dispose;
  object_class->finalize = pw_scheduler_finalize;
}

static void
pw_scheduler_init (PwScheduler *self)
{
  self->heap = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->position = g_hash_table_new (NULL, NULL);
}

/**
 * pw_scheduler_new:
 * @func: called for each item when its deadline comes, on the thread-default
 *   main context of the caller
 */
PwScheduler *
pw_scheduler_new (PwClock *clock, PwSchedulerFunc func, gpointer user_data)
{
  PwScheduler *self;

  g_return_val_if_fail (PW_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (PW_TYPE_SCHEDULER, NULL);
  self->clock = g_object_ref (clock);
  self->func = func;
  self->user_data = user_data;
  self->jumped_handler = g_signal_connect (clock, "jumped", G_CALLBACK (jumped_cb), self);

  self->source = g_source_new (&deadline_source_funcs, sizeof (GSource));
  g_source_set_ready_time (self->source, -1);
  g_source_set_callback (self->source, dispatch_cb, self, NULL);
  g_source_set_static_name (self->source, "[playwave] scheduler");
  g_source_attach (self->source, g_main_context_get_thread_default ());

  return self;
}

/* Schedules @item at @due_us, moving it if it was scheduled already. */
void
pw_scheduler_schedule (PwScheduler *self, gpointer item, gint64 due_us)
{
  Entry entry = { due_us, 0, item };

  g_return_if_fail (PW_IS_SCHEDULER (self));
  g_return_if_fail (item != NULL);

  pw_scheduler_cancel (self, item);

  entry.serial = self->serial++;
  g_array_set_size (self->heap, self->heap->len + 1);
  place (self, self->heap->len - 1, &entry);
  sift_up (self, self->heap->len - 1);

  rearm (self);
}

gboolean
pw_scheduler_cancel (PwScheduler *self, gpointer item)
{
  guint index;

  g_return_val_if_fail (PW_IS_SCHEDULER (self), FALSE);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->position, item));
  if (index == 0)
    return FALSE;

  remove_at (self, index - 1);
  rearm (self);

  return TRUE;
}

/* Returns: the item's deadline, or -1 when it is not scheduled */
gint64
pw_scheduler_get_due (PwScheduler *self, gpointer item)
{
  guint index;

  g_return_val_if_fail (PW_IS_SCHEDULER (self), -1);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->position, item));
  return index ? ENTRY (self, index - 1)->due_us : -1;
}

guint
pw_scheduler_get_n_scheduled (PwScheduler *self)
{
  g_return_val_if_fail (PW_IS_SCHEDULER (self), 0);

  return self->heap->len;
}

/* Returns: the earliest deadline, or -1 when nothing is scheduled */
gint64
pw_scheduler_get_next_due (PwScheduler *self)
{
  g_return_val_if_fail (PW_IS_SCHEDULER (self), -1);

  return self->heap->len ? ENTRY (self, 0)->due_us : -1;
}
