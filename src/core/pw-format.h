/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pw-event.h"
#include "pw-session.h"

G_BEGIN_DECLS

/* Text for people, shared by the window, the detail pane and the CLI. */
char *pw_format_duration (gint64 seconds);
char *pw_format_countdown (gint64 microseconds);
char *pw_format_drift (gint64 server_sec, gint64 client_sec);
const char *pw_session_state_get_label (PwSessionState state);
const char *pw_session_state_get_icon_name (PwSessionState state);
const char *pw_session_state_get_style_class (PwSessionState state);
const char *pw_event_kind_get_label (PwEventKind kind);
const char *pw_event_kind_get_icon_name (PwEventKind kind);
const char *pw_event_kind_get_style_class (PwEventKind kind);

G_END_DECLS
