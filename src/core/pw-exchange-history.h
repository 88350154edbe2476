/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-exchange.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION 20
/* All sessions together. A heartbeat exchange counts about 0.8 KiB, so
 * this is about 20,000 of them: all 20 per session up to 1,000 sessions,
 * the last 2 of each at 10,000, which is what the window's 10,000-session
 * memory figure holds (docs/BENCHMARKS.md). */
#define PW_EXCHANGE_HISTORY_DEFAULT_MAX_BYTES (16 * 1024 * 1024)

#define PW_TYPE_EXCHANGE_HISTORY (pw_exchange_history_get_type ())
G_DECLARE_FINAL_TYPE (PwExchangeHistory,
                      pw_exchange_history,
                      PW,
                      EXCHANGE_HISTORY,
                      GObject)

/* The recent requests and answers of every tracked session, bounded per
 * session and in bytes over all sessions, fed by PwTracker::exchange; for
 * the detail pane and the inspector. */
PwExchangeHistory *pw_exchange_history_new (PwTracker *tracker, guint per_session);
GListModel *pw_exchange_history_get_for_session (PwExchangeHistory *self,
                                                 const char *session_id);
void pw_exchange_history_forget (PwExchangeHistory *self, const char *session_id);
void pw_exchange_history_set_max_bytes (PwExchangeHistory *self, gsize max_bytes);
gsize pw_exchange_history_get_max_bytes (PwExchangeHistory *self);
gsize pw_exchange_history_get_n_bytes (PwExchangeHistory *self);
guint pw_exchange_history_get_n_exchanges (PwExchangeHistory *self);

G_END_DECLS
