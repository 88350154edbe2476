/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-status-panel.h"

G_BEGIN_DECLS

/* Shared by pw-status-panel.c (models, filters, layout) and
 * pw-status-panel-actions.c (the panel.* actions, copy and export). */
struct _PwStatusPanel
{
  GtkWidget parent_instance;

  PwTracker *tracker;
  PwTicker *ticker;
  PwEventLog *log;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkSearchEntry *search_entry;
  GtkDropDown *kind_dropdown;
  GtkStack *stack;
  GtkColumnView *column_view;

  GtkFilterListModel *filter_model;
  GtkSortListModel *sort_model;
  GtkMultiSelection *selection;
  GtkCustomFilter *kind_filter;
  GtkStringFilter *session_filter;
  GtkStringFilter *request_filter;

  PwStatusFilter filter;
  PwEventKind filter_kind;

  GtkFileChooserNative *chooser;
  PwExportFormat chooser_format;

  int last_width;
  guint fit_idle_id;
};

GPtrArray *pw_status_panel_dup_selected (PwStatusPanel *self);
void pw_status_panel_toast (PwStatusPanel *self, const char *title);
void pw_status_panel_actions_class_init (GtkWidgetClass *widget_class);
void pw_status_panel_actions_update (PwStatusPanel *self);
void pw_status_panel_actions_dispose (PwStatusPanel *self);

G_END_DECLS
