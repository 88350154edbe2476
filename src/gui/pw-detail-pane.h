/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pw-exchange-history.h"
#include "pw-ticker.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_DETAIL_PANE (pw_detail_pane_get_type ())
G_DECLARE_FINAL_TYPE (PwDetailPane, pw_detail_pane, PW, DETAIL_PANE, GtkWidget)

/* Everything about the selected session: all its fields, server vs client
 * play time with the drift, live countdowns, and its recent exchanges. */
GtkWidget *
pw_detail_pane_new (PwTracker *tracker, PwTicker *ticker, PwExchangeHistory *history);
PwSession *pw_detail_pane_get_session (PwDetailPane *self);
void pw_detail_pane_set_session (PwDetailPane *self, PwSession *session);

G_END_DECLS
