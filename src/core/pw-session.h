/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PwSessionState:
 * @PW_SESSION_STATE_PENDING: tracked, no answer yet
 * @PW_SESSION_STATE_ACTIVE: the last heartbeat was accepted
 * @PW_SESSION_STATE_CHARGE_EXHAUSTED: out of charge; the server ends it
 *   after the grace period
 * @PW_SESSION_STATE_REPLACED: another session started on the same PC
 * @PW_SESSION_STATE_LOST: 404, the server no longer knows it
 * @PW_SESSION_STATE_ENDED_BY_SERVER: 410 SESSION_ENDED
 * @PW_SESSION_STATE_ENDING_BY_SERVER: 410 SESSION_ENDING
 * @PW_SESSION_STATE_UNAUTHORIZED: the key was rejected
 * @PW_SESSION_STATE_EXPIRED: no success for 240 s: the server has deleted it
 * @PW_SESSION_STATE_ENDING: our end request is on its way
 * @PW_SESSION_STATE_ENDED: ended by us (or found already cleaned up)
 * @PW_SESSION_STATE_END_FAILED: the end request failed after retries
 */
typedef enum
{
  PW_SESSION_STATE_PENDING,
  PW_SESSION_STATE_ACTIVE,
  PW_SESSION_STATE_CHARGE_EXHAUSTED,
  PW_SESSION_STATE_REPLACED,
  PW_SESSION_STATE_LOST,
  PW_SESSION_STATE_ENDED_BY_SERVER,
  PW_SESSION_STATE_ENDING_BY_SERVER,
  PW_SESSION_STATE_UNAUTHORIZED,
  PW_SESSION_STATE_EXPIRED,
  PW_SESSION_STATE_ENDING,
  PW_SESSION_STATE_ENDED,
  PW_SESSION_STATE_END_FAILED,
} PwSessionState;

/* The longest play time read from a server answer or the state file: ten
 * years. Anything longer is a broken answer or a damaged file, and would
 * not fit the hours of a "H:MM:SS" label. */
#define PW_SESSION_MAX_PLAY_SEC ((gint64) 10 * 366 * 24 * 3600)

#define PW_TYPE_SESSION (pw_session_get_type ())
G_DECLARE_FINAL_TYPE (PwSession, pw_session, PW, SESSION, GObject)

PwSession *
pw_session_new (const char *session_id, const char *user_id, const char *connection);

const char *pw_session_get_id (PwSession *self);
const char *pw_session_get_user_id (PwSession *self);
const char *pw_session_get_connection (PwSession *self);

PwSessionState pw_session_get_state (PwSession *self);
void pw_session_set_state (PwSession *self, PwSessionState state);
gboolean pw_session_state_is_live (PwSessionState state);
const char *pw_session_state_to_string (PwSessionState state);
gboolean pw_session_state_from_string (const char *text, PwSessionState *state);
gboolean pw_session_is_heartbeating (PwSession *self);

gboolean pw_session_get_paused (PwSession *self);
void pw_session_set_paused (PwSession *self, gboolean paused);
gboolean pw_session_get_retrying (PwSession *self);
void pw_session_set_retrying (PwSession *self, gboolean retrying);
guint pw_session_get_failure_count (PwSession *self);
void pw_session_set_failure_count (PwSession *self, guint count);

/* Times on the tracker's monotonic clock, in microseconds; 0 is "never". */
gint64 pw_session_get_tracked_since_us (PwSession *self);
void pw_session_set_tracked_since_us (PwSession *self, gint64 us);
gboolean pw_session_get_tracked_from_start (PwSession *self);
void pw_session_set_tracked_from_start (PwSession *self, gboolean from_start);
gint64 pw_session_get_last_success_us (PwSession *self);
void pw_session_set_last_success_us (PwSession *self, gint64 us);
gint64 pw_session_get_next_due_us (PwSession *self);
void pw_session_set_next_due_us (PwSession *self, gint64 us);
gint64 pw_session_get_grace_deadline_us (PwSession *self);
void pw_session_set_grace_deadline_us (PwSession *self, gint64 us);
gint64 pw_session_get_expiry_deadline_us (PwSession *self);

gint64 pw_session_get_server_play_sec (PwSession *self);
void pw_session_set_server_play_sec (PwSession *self, gint64 seconds);
gint64 pw_session_get_end_server_sec (PwSession *self);
gint64 pw_session_get_end_client_sec (PwSession *self);
void pw_session_set_end_durations (PwSession *self, gint64 server_sec, gint64 client_sec);

const char *pw_session_get_last_result (PwSession *self);
const char *pw_session_get_last_code (PwSession *self);
guint pw_session_get_last_status (PwSession *self);
const char *pw_session_get_last_request_id (PwSession *self);
void pw_session_set_last_answer (PwSession *self,
                                 guint status,
                                 const char *result,
                                 const char *code,
                                 const char *request_id);

G_END_DECLS
