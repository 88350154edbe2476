/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The documented timings of the PlayWave server, in seconds. */
#define PW_SANDBOX_EXPIRY_SEC 240
#define PW_SANDBOX_GRACE_SEC 120
#define PW_SANDBOX_LAUNCHER_TIMEOUT_SEC 240
#define PW_SANDBOX_RETENTION_SEC 600
#define PW_SANDBOX_DEFAULT_ENDING_SEC 10
#define PW_SANDBOX_DEFAULT_NEXT_HEARTBEAT_IN 120

/**
 * PwSandboxSessionState:
 * @PW_SANDBOX_SESSION_ACTIVE: live, heartbeats answer OK
 * @PW_SANDBOX_SESSION_CHARGE_EXHAUSTED: live, in the grace after the charge ran out
 * @PW_SANDBOX_SESSION_ENDING: the server is terminating it (410 SESSION_ENDING)
 * @PW_SANDBOX_SESSION_ENDED: ended by the client, the grace or a silent launcher
 * @PW_SANDBOX_SESSION_REPLACED: another session started on the same PC
 * @PW_SANDBOX_SESSION_EXPIRED: deleted by the server: no heartbeat for too long,
 *   or ended so long ago that it was forgotten
 */
typedef enum
{
  PW_SANDBOX_SESSION_ACTIVE,
  PW_SANDBOX_SESSION_CHARGE_EXHAUSTED,
  PW_SANDBOX_SESSION_ENDING,
  PW_SANDBOX_SESSION_ENDED,
  PW_SANDBOX_SESSION_REPLACED,
  PW_SANDBOX_SESSION_EXPIRED,
} PwSandboxSessionState;

/**
 * PwSandboxEndReason:
 * @PW_SANDBOX_END_NONE: not ended (yet)
 * @PW_SANDBOX_END_CLIENT: the end endpoint was called
 * @PW_SANDBOX_END_CHARGE: the grace after the charge ran out is over
 * @PW_SANDBOX_END_LAUNCHER: a heartbeat found the launcher silent
 * @PW_SANDBOX_END_REPLACED: another session started on the same PC
 * @PW_SANDBOX_END_EXPIRED: no heartbeat for longer than the expiry
 */
typedef enum
{
  PW_SANDBOX_END_NONE,
  PW_SANDBOX_END_CLIENT,
  PW_SANDBOX_END_CHARGE,
  PW_SANDBOX_END_LAUNCHER,
  PW_SANDBOX_END_REPLACED,
  PW_SANDBOX_END_EXPIRED,
} PwSandboxEndReason;

#define PW_TYPE_SANDBOX_SESSION (pw_sandbox_session_get_type ())
G_DECLARE_FINAL_TYPE (PwSandboxSession, pw_sandbox_session, PW, SANDBOX_SESSION, GObject)

PwSandboxSession *pw_sandbox_session_new (const char *id,
                                          const char *user_id,
                                          const char *pc_id,
                                          gint64 now_us);
const char *pw_sandbox_session_get_id (PwSandboxSession *self);
const char *pw_sandbox_session_get_user_id (PwSandboxSession *self);
const char *pw_sandbox_session_get_pc_id (PwSandboxSession *self);

gint64 pw_sandbox_session_get_charge_sec (PwSandboxSession *self);
void
pw_sandbox_session_set_charge (PwSandboxSession *self, gint64 charge_sec, gint64 now_us);
gint64 pw_sandbox_session_get_charge_remaining_sec (PwSandboxSession *self,
                                                    gint64 now_us);
gint64 pw_sandbox_session_get_next_heartbeat_in (PwSandboxSession *self);
void pw_sandbox_session_set_next_heartbeat_in (PwSandboxSession *self, gint64 seconds);
gint64 pw_sandbox_session_get_ending_sec (PwSandboxSession *self);
void pw_sandbox_session_set_ending_sec (PwSandboxSession *self, gint64 seconds);

PwSandboxSessionState pw_sandbox_session_get_state (PwSandboxSession *self,
                                                    gint64 now_us);
PwSandboxEndReason pw_sandbox_session_get_end_reason (PwSandboxSession *self,
                                                      gint64 now_us);
gboolean pw_sandbox_session_is_live (PwSandboxSession *self, gint64 now_us);
gint64 pw_sandbox_session_get_play_sec (PwSandboxSession *self, gint64 now_us);
gint64 pw_sandbox_session_get_last_heartbeat_us (PwSandboxSession *self);
gint64 pw_sandbox_session_get_created_us (PwSandboxSession *self);

void pw_sandbox_session_record_heartbeat (PwSandboxSession *self, gint64 now_us);
void pw_sandbox_session_backdate (PwSandboxSession *self, gint64 seconds);
void
pw_sandbox_session_end (PwSandboxSession *self, PwSandboxEndReason reason, gint64 now_us);

const char *pw_sandbox_session_state_to_string (PwSandboxSessionState state);
const char *pw_sandbox_end_reason_to_string (PwSandboxEndReason reason);

G_END_DECLS
