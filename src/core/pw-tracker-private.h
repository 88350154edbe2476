/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-exchange.h"
#include "pw-rate-limiter.h"
#include "pw-scheduler.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

/* What the tracker keeps beside a session: its requests in flight and the
 * bookkeeping the table in SPEC.md needs. Reference counted, because a
 * callback may outlive untracking. */
typedef struct
{
  PwSession *session;
  PwClient *client;
  GCancellable *cancellable; /* the request in flight, if any */
  GSequenceIter *ready_iter; /* waiting for the rate limiter */
  gboolean in_flight;
  gboolean removed;
  gboolean answered;          /* at least one 200 */
  gboolean all_ok;            /* every 200 so far was OK */
  gboolean failures_reported; /* the 3-failures event is out */
  gboolean skew_reported;
  gboolean probe;                /* restored: heartbeat once before any verdict */
  gboolean counted_busy;         /* counted in PwTracker.n_busy */
  gboolean counted_heartbeating; /* counted in PwTracker.n_heartbeating */
  gint64 spread_us;              /* this session's phase in the interval */
  guint end_attempts;
  gint64 end_duration_sec;
} PwTrackerEntry;

/* One request of an entry: its answer counts only while it is still the
 * entry's current request (an end supersedes a heartbeat in flight). */
typedef struct
{
  PwTrackerEntry *entry;
  GCancellable *cancellable;
} PwTrackerCall;

typedef struct _PwTrackerEndAll PwTrackerEndAll;

struct _PwTracker
{
  GObject parent_instance;

  PwClock *clock;
  GListStore *sessions;
  GHashTable *entries;     /* id → PwTrackerEntry */
  GHashTable *connections; /* name → PwClient */
  PwEventLog *events;
  PwScheduler *scheduler;

  GSequence *ready; /* PwTrackerEntry, nearest expiry first */
  guint window;
  guint in_flight;
  guint n_busy;         /* heartbeating or ending, kept up to date incrementally */
  guint n_heartbeating; /* the same, for pw_tracker_get_n_heartbeating() */
  PwRateLimiter limiter;
  double base_rate; /* raised with the number of sessions (pump) */
  guint pump_source;

  gint64 last_boot_us;
  gint64 last_mono_us;
  guint watchdog_source;

  PwTrackerEndAll *end_all;
};

enum
{
  PW_TRACKER_SIGNAL_EVENT,
  PW_TRACKER_SIGNAL_EXCHANGE,
  PW_TRACKER_SIGNAL_CHANGED,
  PW_TRACKER_SIGNAL_UNAUTHORIZED,
  PW_TRACKER_SIGNAL_END_ALL_PROGRESS,
  PW_TRACKER_N_SIGNALS
};

extern guint pw_tracker_signals[PW_TRACKER_N_SIGNALS];

/* pw-tracker.c */
PwTrackerEntry *pw_tracker_entry_ref (PwTrackerEntry *entry);
void pw_tracker_entry_unref (PwTrackerEntry *entry);
gint64 pw_tracker_now (PwTracker *self);
void pw_tracker_stop (PwTracker *self, PwTrackerEntry *entry);
void pw_tracker_log (PwTracker *self,
                     PwTrackerEntry *entry,
                     PwEventKind kind,
                     PwExchange *exchange,
                     const char *message);
void pw_tracker_emit_changed (PwTracker *self, PwTrackerEntry *entry);
gint64 pw_tracker_backoff_us (guint attempt);
PwTrackerCall *pw_tracker_call_new (PwTrackerEntry *entry);
gboolean pw_tracker_call_finish (PwTrackerCall *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTrackerEntry, pw_tracker_entry_unref)

void pw_tracker_schedule_at (PwTracker *self, PwTrackerEntry *entry, gint64 due_us);
PwTrackerEntry *pw_tracker_add_entry (PwTracker *self,
                                      const char *session_id,
                                      const char *user_id,
                                      const char *connection,
                                      GError **error);

/* pw-tracker-end.c */
void pw_tracker_send_end (PwTracker *self, PwTrackerEntry *entry);
void pw_tracker_end_finished (PwTracker *self, PwTrackerEntry *entry);
void pw_tracker_end_all_free (PwTrackerEndAll *end_all);

G_END_DECLS
