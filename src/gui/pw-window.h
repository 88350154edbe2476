/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-connection-manager.h"
#include "pw-exchange-history.h"
#include "pw-ticker.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

/**
 * PwStateFilter:
 * @PW_STATE_FILTER_ALL: every session
 * @PW_STATE_FILTER_LIVE: pending, active or out of charge (heartbeated or paused)
 * @PW_STATE_FILTER_PAUSED: live sessions whose heartbeats are paused
 * @PW_STATE_FILTER_ATTENTION: retrying, out of charge, or stopped by anything
 *   but our own end request
 * @PW_STATE_FILTER_FINISHED: no longer live
 */
typedef enum
{
  PW_STATE_FILTER_ALL,
  PW_STATE_FILTER_LIVE,
  PW_STATE_FILTER_PAUSED,
  PW_STATE_FILTER_ATTENTION,
  PW_STATE_FILTER_FINISHED,
} PwStateFilter;

#define PW_TYPE_WINDOW (pw_window_get_type ())
G_DECLARE_FINAL_TYPE (PwWindow, pw_window, PW, WINDOW, AdwApplicationWindow)

PwWindow *pw_window_new (GtkApplication *application,
                         PwTracker *tracker,
                         PwExchangeHistory *history);
PwTracker *pw_window_get_tracker (PwWindow *self);
PwTicker *pw_window_get_ticker (PwWindow *self);
GtkColumnView *pw_window_get_column_view (PwWindow *self);
GtkSelectionModel *pw_window_get_selection (PwWindow *self);

void pw_window_add_toast (PwWindow *self, const char *title);
void pw_window_set_server_label (PwWindow *self, const char *label);
void pw_window_set_connection_problem (PwWindow *self, const char *problem);
void pw_window_set_connections (PwWindow *self, PwConnectionManager *connections);
const char *pw_window_get_page (PwWindow *self);

void pw_window_set_search_text (PwWindow *self, const char *text);
PwStateFilter pw_window_get_state_filter (PwWindow *self);
void pw_window_set_state_filter (PwWindow *self, PwStateFilter filter);
gboolean pw_window_get_freeze_order (PwWindow *self);
void pw_window_set_freeze_order (PwWindow *self, gboolean freeze);
void pw_window_refresh (PwWindow *self);

GtkWidget *pw_window_get_status_panel (PwWindow *self);
gboolean pw_window_show_session (PwWindow *self, const char *session_id);
void pw_window_show_events (PwWindow *self, const char *filter);
GtkWidget *pw_window_show_requests (PwWindow *self, const char *session_id);

void pw_window_show_ending_progress (PwWindow *self, guint total);
void pw_window_hide_ending_progress (PwWindow *self);

G_END_DECLS
