/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-client.h"
#include "pw-clock.h"
#include "pw-event-log.h"
#include "pw-session.h"

G_BEGIN_DECLS

/* SPEC: durations of the heartbeat protocol. */
#define PW_TRACKER_EXPIRY_US (240 * G_TIME_SPAN_SECOND)
#define PW_TRACKER_GRACE_US (120 * G_TIME_SPAN_SECOND)
#define PW_TRACKER_END_ALL_BUDGET_MS 30000

/* play_duration_sec for pw_tracker_end_session(): */
#define PW_TRACKER_DURATION_AUTO (-2)
#define PW_TRACKER_DURATION_OMIT (-1)

#define PW_TYPE_TRACKER (pw_tracker_get_type ())
G_DECLARE_FINAL_TYPE (PwTracker, pw_tracker, PW, TRACKER, GObject)

PwTracker *pw_tracker_new (PwClock *clock);
PwClock *pw_tracker_get_clock (PwTracker *self);
GListModel *pw_tracker_get_sessions (PwTracker *self);
PwEventLog *pw_tracker_get_events (PwTracker *self);

/* pw-tracker-connections.c */
void pw_tracker_add_connection (PwTracker *self, const char *name, PwClient *client);
gboolean pw_tracker_remove_connection (PwTracker *self, const char *name);
PwClient *pw_tracker_get_client (PwTracker *self, const char *connection);
char **pw_tracker_dup_connection_names (PwTracker *self);
guint pw_tracker_count_sessions (PwTracker *self, const char *connection, guint *n_live);
guint pw_tracker_resume_connection (PwTracker *self, const char *connection);

void pw_tracker_set_rate_limit (PwTracker *self, double per_second, double burst);

PwSession *pw_tracker_track (PwTracker *self,
                             const char *session_id,
                             const char *user_id,
                             const char *connection,
                             gboolean paused,
                             GError **error);
PwSession *pw_tracker_lookup (PwTracker *self, const char *session_id);
gboolean pw_tracker_untrack (PwTracker *self, const char *session_id);

gboolean pw_tracker_heartbeat_now (PwTracker *self, const char *session_id);
gboolean pw_tracker_set_paused (PwTracker *self, const char *session_id, gboolean paused);
gboolean pw_tracker_end_session (PwTracker *self,
                                 const char *session_id,
                                 gint64 play_duration_sec);
gint64 pw_tracker_get_client_play_sec (PwTracker *self, PwSession *session);
gint64 pw_tracker_default_end_duration (PwTracker *self, PwSession *session);

guint pw_tracker_get_n_heartbeating (PwTracker *self);
guint pw_tracker_get_n_busy (PwTracker *self);
gboolean pw_tracker_is_quiet (PwTracker *self);
void pw_tracker_check_clock (PwTracker *self);

/* Persistence: element type PwSavedSession (pw-state-file.h). */
GPtrArray *pw_tracker_dup_saved_sessions (PwTracker *self);
guint pw_tracker_restore (PwTracker *self, GPtrArray *saved_sessions, GError **error);

void pw_tracker_end_all_async (PwTracker *self,
                               guint budget_ms,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean pw_tracker_end_all_finish (PwTracker *self,
                                    GAsyncResult *result,
                                    guint *n_ended,
                                    guint *n_failed,
                                    GError **error);

G_END_DECLS
