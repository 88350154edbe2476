/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-exchange-history.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_INSPECTOR (pw_inspector_get_type ())
G_DECLARE_FINAL_TYPE (PwInspector, pw_inspector, PW, INSPECTOR, AdwWindow)

/* The request/response inspector of one session: its recent exchanges,
 * each in full (method, URL, headers with the key redacted, bodies pretty
 * printed, status, latency, request id, error), "copy as curl" (with the
 * key only on explicit request) and "copy for support ticket". */
GtkWidget *pw_inspector_new (GtkWindow *parent,
                             PwTracker *tracker,
                             PwExchangeHistory *history,
                             PwSession *session);
PwSession *pw_inspector_get_session (PwInspector *self);
GtkSelectionModel *pw_inspector_get_selection (PwInspector *self);
PwExchange *pw_inspector_get_exchange (PwInspector *self);
char *pw_inspector_dup_curl (PwInspector *self, gboolean with_key);
char *pw_inspector_dup_ticket (PwInspector *self);

G_END_DECLS
