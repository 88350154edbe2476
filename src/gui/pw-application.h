/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-connection-manager.h"
#include "pw-sandbox.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_APPLICATION (pw_application_get_type ())
G_DECLARE_FINAL_TYPE (PwApplication, pw_application, PW, APPLICATION, AdwApplication)

PwApplication *pw_application_new (void);
PwTracker *pw_application_get_tracker (PwApplication *self);
PwSandbox *pw_application_get_sandbox (PwApplication *self);
PwConnectionManager *pw_application_get_connections (PwApplication *self);
GtkWindow *pw_application_show_preferences (PwApplication *self);
const char *pw_application_get_state_path (PwApplication *self);
void pw_application_request_quit (PwApplication *self);

GSettings *pw_application_new_settings (void);

G_END_DECLS
