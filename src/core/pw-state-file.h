/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-session.h"

G_BEGIN_DECLS

#define PW_STATE_FILE_VERSION 1
#define PW_STATE_FILE_MAX_BYTES (64 * 1024 * 1024)

/**
 * PwSavedSession:
 * @session_id: the game session id
 * @user_id: the provider user id
 * @connection: (nullable): the name of the connection it is tracked on
 * @state: the last known state
 * @paused: whether the user paused its heartbeats
 * @tracked_since_real_us: when tracking began, wall-clock microseconds
 *   (g_get_real_time()), 0 if unknown
 * @tracked_from_start: whether the app saw the session's first heartbeat,
 *   which decides whether the end request may carry `play_duration_sec`
 * @last_success_real_us: wall-clock time of the last accepted heartbeat, 0
 *   for never
 * @server_play_sec: the server's last reported play time, -1 if unknown
 * @last_status: the HTTP status of the last answer, 0 for none
 * @last_result: (nullable): the last `result` (OK, CHARGE_EXHAUSTED, …)
 * @last_code: (nullable): the last error code
 * @last_request_id: (nullable): the last `request_id`
 * @end_server_sec: the server's play time when ended, -1 if unknown
 * @end_client_sec: the client-measured time when ended, -1 if unknown
 *
 * What survives a restart of one tracked session. Times are wall-clock
 * because the monotonic clock restarts with the machine; the tracker turns
 * them back into monotonic deadlines when it restores the session. No field
 * is secret: API keys live in the keyring only.
 */
typedef struct
{
  char *session_id;
  char *user_id;
  char *connection;
  PwSessionState state;
  gboolean paused;
  gint64 tracked_since_real_us;
  gboolean tracked_from_start;
  gint64 last_success_real_us;
  gint64 server_play_sec;
  guint last_status;
  char *last_result;
  char *last_code;
  char *last_request_id;
  gint64 end_server_sec;
  gint64 end_client_sec;
} PwSavedSession;

PwSavedSession *pw_saved_session_new (const char *session_id, const char *user_id);
PwSavedSession *pw_saved_session_copy (const PwSavedSession *saved);
void pw_saved_session_free (PwSavedSession *saved);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSavedSession, pw_saved_session_free)

char *pw_state_file_default_path (void);

gboolean pw_state_file_save (const char *path,
                             GPtrArray *saved_sessions,
                             JsonNode *events,
                             GError **error);
char *pw_state_file_to_text (GPtrArray *saved_sessions, JsonNode *events);
gboolean pw_state_file_parse (const char *text,
                              gsize length,
                              GPtrArray **saved_sessions,
                              JsonNode **events,
                              GError **error);
gboolean pw_state_file_load (const char *path,
                             GPtrArray **saved_sessions,
                             JsonNode **events,
                             char **moved_aside_path,
                             GError **error);

G_END_DECLS
