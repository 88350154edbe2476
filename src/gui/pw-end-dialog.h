/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_END_DIALOG (pw_end_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PwEndDialog, pw_end_dialog, PW, END_DIALOG, AdwMessageDialog)

/* Confirms ending @session; the client play time is prefilled from the
 * local timer (only when tracked from the start, SPEC) and can be edited or
 * omitted. On "end" it calls pw_tracker_end_session(). */
GtkWidget *pw_end_dialog_new (GtkWindow *parent, PwTracker *tracker, PwSession *session);
gint64 pw_end_dialog_get_duration (PwEndDialog *self);

G_END_DECLS
