/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-connection-dialog.h"
#include "pw-connection-manager.h"

G_BEGIN_DECLS

#define PW_TYPE_PREFERENCES_WINDOW (pw_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PwPreferencesWindow,
                      pw_preferences_window,
                      PW,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *pw_preferences_window_new (GtkWindow *parent,
                                      PwConnectionManager *manager,
                                      GSettings *settings);
void pw_preferences_window_add_connection (PwPreferencesWindow *self);
void pw_preferences_window_edit_connection (PwPreferencesWindow *self,
                                            const char *name,
                                            gboolean focus_key);
PwConnectionDialog *pw_preferences_window_get_dialog (PwPreferencesWindow *self);

G_END_DECLS
