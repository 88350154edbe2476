/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-connection-manager.h"

G_BEGIN_DECLS

#define PW_TYPE_CONNECTION_DIALOG (pw_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwConnectionDialog,
                      pw_connection_dialog,
                      PW,
                      CONNECTION_DIALOG,
                      AdwWindow)

GtkWidget *pw_connection_dialog_new (GtkWindow *parent,
                                     PwConnectionManager *manager,
                                     const char *name);
void pw_connection_dialog_focus_key (PwConnectionDialog *self);
gboolean pw_connection_dialog_is_adding (PwConnectionDialog *self);

G_END_DECLS
