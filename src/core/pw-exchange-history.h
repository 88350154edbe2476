/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-exchange.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION 20

#define PW_TYPE_EXCHANGE_HISTORY (pw_exchange_history_get_type ())
G_DECLARE_FINAL_TYPE (PwExchangeHistory,
                      pw_exchange_history,
                      PW,
                      EXCHANGE_HISTORY,
                      GObject)

/* The recent requests and answers of every tracked session, bounded per
 * session, fed by PwTracker::exchange; for the detail pane and the
 * inspector. */
PwExchangeHistory *pw_exchange_history_new (PwTracker *tracker, guint per_session);
GListModel *pw_exchange_history_get_for_session (PwExchangeHistory *self,
                                                 const char *session_id);
void pw_exchange_history_forget (PwExchangeHistory *self, const char *session_id);

G_END_DECLS
