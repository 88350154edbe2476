/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_ADD_DIALOG (pw_add_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwAddDialog, pw_add_dialog, PW, ADD_DIALOG, AdwWindow)

/* Add sessions: one (session id, user id), several lines pasted at once,
 * or a JSON/CSV file; validates as you type, refuses duplicates, and
 * tracks what it accepts on @connection (one of @connections). Emits
 * "sessions-added" (guint n) before closing. */
GtkWidget *pw_add_dialog_new (GtkWindow *parent,
                              PwTracker *tracker,
                              const char *const *connections,
                              const char *connection);
void pw_add_dialog_import_file (PwAddDialog *self, GFile *file);

G_END_DECLS
