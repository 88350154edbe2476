/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pw-ticker.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

/**
 * PwStatusFilter:
 * @PW_STATUS_FILTER_ALL: every event
 * @PW_STATUS_FILTER_IMPORTANT: the kinds pw_event_kind_is_important() counts
 * @PW_STATUS_FILTER_KIND: one kind
 */
typedef enum
{
  PW_STATUS_FILTER_ALL,
  PW_STATUS_FILTER_IMPORTANT,
  PW_STATUS_FILTER_KIND,
} PwStatusFilter;

typedef enum
{
  PW_EXPORT_JSONL,
  PW_EXPORT_CSV,
} PwExportFormat;

#define PW_TYPE_STATUS_PANEL (pw_status_panel_get_type ())
G_DECLARE_FINAL_TYPE (PwStatusPanel, pw_status_panel, PW, STATUS_PANEL, GtkWidget)

/* The status panel: the tracker's event log as a table, newest first, with
 * a kind filter, a search by session or request id, acknowledging,
 * copying, export and "go to session" (PwStatusPanel::session-activated). */
GtkWidget *pw_status_panel_new (PwTracker *tracker, PwTicker *ticker);
GtkColumnView *pw_status_panel_get_column_view (PwStatusPanel *self);
GtkSelectionModel *pw_status_panel_get_selection (PwStatusPanel *self);
const char *pw_status_panel_get_page (PwStatusPanel *self);

void pw_status_panel_set_search_text (PwStatusPanel *self, const char *text);
void
pw_status_panel_set_filter (PwStatusPanel *self, PwStatusFilter filter, PwEventKind kind);
PwStatusFilter pw_status_panel_get_filter (PwStatusPanel *self, PwEventKind *kind);

gboolean pw_status_panel_activate (PwStatusPanel *self, guint position);
char *pw_status_panel_dup_selected_text (PwStatusPanel *self);
char *pw_status_panel_dup_event_text (PwEvent *event);
void pw_status_panel_acknowledge_selected (PwStatusPanel *self);

void pw_status_panel_export_async (PwStatusPanel *self,
                                   GFile *file,
                                   PwExportFormat format,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean pw_status_panel_export_finish (PwStatusPanel *self,
                                        GAsyncResult *result,
                                        guint *n_events,
                                        GError **error);

G_END_DECLS
