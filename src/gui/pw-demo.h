/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-sandbox.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_DEMO (pw_demo_get_type ())
G_DECLARE_FINAL_TYPE (PwDemo, pw_demo, PW, DEMO, GObject)

/* The scenario of `playwave-monitor --sandbox`: a dozen sessions on the
 * in-process sandbox, tracked on @connection, that between them pass
 * through every state within about four minutes. */
PwDemo *pw_demo_new (PwSandbox *sandbox, PwTracker *tracker, const char *connection);
void pw_demo_start (PwDemo *self, guint n_extra);
guint pw_demo_get_n_sessions (PwDemo *self);

G_END_DECLS
