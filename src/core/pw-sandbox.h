/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-clock.h"

G_BEGIN_DECLS

#define PW_TYPE_SANDBOX (pw_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (PwSandbox, pw_sandbox, PW, SANDBOX, GObject)

/* A PlayWave API server on loopback that follows the documented semantics,
 * with its time read from a #PwClock. Used by the tests, by
 * `playwave-monitor --sandbox` and by the `playwave-sandbox` program. */

PwSandbox *pw_sandbox_new (PwClock *clock, const char *api_key);
gboolean pw_sandbox_listen (PwSandbox *self, guint16 port, GError **error);
void pw_sandbox_disconnect (PwSandbox *self);
guint16 pw_sandbox_get_port (PwSandbox *self);
char *pw_sandbox_dup_base_url (PwSandbox *self);
PwClock *pw_sandbox_get_clock (PwSandbox *self);

/* The in-process side of the /_sandbox/ control endpoints. */
char *pw_sandbox_create_session (PwSandbox *self,
                                 const char *session_id,
                                 const char *user_id,
                                 const char *pc_id,
                                 gint64 charge_sec);
gboolean
pw_sandbox_set_charge (PwSandbox *self, const char *session_id, gint64 charge_sec);
gboolean pw_sandbox_set_next_heartbeat_in (PwSandbox *self,
                                           const char *session_id,
                                           gint64 seconds);
void pw_sandbox_silence_launcher (PwSandbox *self, const char *pc_id);
void
pw_sandbox_silence_launcher_since (PwSandbox *self, const char *pc_id, gint64 silent_sec);
gboolean
pw_sandbox_backdate_session (PwSandbox *self, const char *session_id, gint64 seconds);
void pw_sandbox_revive_launcher (PwSandbox *self, const char *pc_id);
gboolean
pw_sandbox_add_fault_json (PwSandbox *self, const char *fault_json, GError **error);
void pw_sandbox_clear_faults (PwSandbox *self);
char *pw_sandbox_dup_session_state (PwSandbox *self, const char *session_id);
guint pw_sandbox_get_connection_count (PwSandbox *self);
guint pw_sandbox_get_request_count (PwSandbox *self);

/* Additions for the control endpoints and the demo scenario. */
gint64 pw_sandbox_get_launcher_silent_sec (PwSandbox *self, const char *pc_id);
guint pw_sandbox_get_fault_count (PwSandbox *self);
void pw_sandbox_reset_stats (PwSandbox *self);
void pw_sandbox_advance_time (PwSandbox *self, gint64 seconds);
gint64 pw_sandbox_get_time_offset_sec (PwSandbox *self);
void pw_sandbox_set_ending_sec (PwSandbox *self, gint64 seconds);
gint64 pw_sandbox_get_ending_sec (PwSandbox *self);
GStrv pw_sandbox_add_demo_sessions (PwSandbox *self);

G_END_DECLS
