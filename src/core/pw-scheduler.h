/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-clock.h"

G_BEGIN_DECLS

/* Deadlines at least this far away are served on a whole multiple of it
 * (pw_scheduler_wakeup_time()). */
#define PW_SCHEDULER_COALESCE_US G_USEC_PER_SEC

/**
 * PwSchedulerFunc:
 * @item: the item whose deadline came
 *
 * Called once per due item, earliest first. The item is no longer
 * scheduled when this runs; the function may schedule it again.
 */
typedef void (*PwSchedulerFunc) (gpointer item, gpointer user_data);

#define PW_TYPE_SCHEDULER (pw_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (PwScheduler, pw_scheduler, PW, SCHEDULER, GObject)

PwScheduler *pw_scheduler_new (PwClock *clock, PwSchedulerFunc func, gpointer user_data);
void pw_scheduler_schedule (PwScheduler *self, gpointer item, gint64 due_us);
gboolean pw_scheduler_cancel (PwScheduler *self, gpointer item);
gint64 pw_scheduler_get_due (PwScheduler *self, gpointer item);
guint pw_scheduler_get_n_scheduled (PwScheduler *self);
gint64 pw_scheduler_get_next_due (PwScheduler *self);

gint64 pw_scheduler_wakeup_time (gint64 now_us, gint64 delay_us);

G_END_DECLS
