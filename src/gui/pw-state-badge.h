/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pw-session.h"

G_BEGIN_DECLS

#define PW_TYPE_STATE_BADGE (pw_state_badge_get_type ())
G_DECLARE_FINAL_TYPE (PwStateBadge, pw_state_badge, PW, STATE_BADGE, GtkWidget)

/* A session's state as an icon, a word and a colour, so it reads without
 * colour too. "paused" and "retrying" refine a live state. */
GtkWidget *pw_state_badge_new (void);
PwSessionState pw_state_badge_get_state (PwStateBadge *self);
void pw_state_badge_set_state (PwStateBadge *self, PwSessionState state);
gboolean pw_state_badge_get_paused (PwStateBadge *self);
void pw_state_badge_set_paused (PwStateBadge *self, gboolean paused);
gboolean pw_state_badge_get_retrying (PwStateBadge *self);
void pw_state_badge_set_retrying (PwStateBadge *self, gboolean retrying);
const char *pw_state_badge_get_text (PwStateBadge *self);

G_END_DECLS
