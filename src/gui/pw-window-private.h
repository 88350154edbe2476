/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-session-columns.h"
#include "pw-window.h"

G_BEGIN_DECLS

/* Shared by pw-window.c (widgets, models, banners) and
 * pw-window-actions.c (the win.* actions). */
struct _PwWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkToggleButton *search_button;
  GtkToggleButton *details_button;
  GtkDropDown *state_dropdown;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkRevealer *unauthorized_revealer;
  GtkLabel *unauthorized_label;
  GtkRevealer *network_revealer;
  GtkRevealer *connection_revealer;
  GtkLabel *connection_label;
  GtkStack *main_stack;
  AdwStatusPage *no_connection_page;
  AdwFlap *flap;
  GtkStack *list_stack;
  GtkScrolledWindow *scrolled_window;
  GtkColumnView *column_view;
  GtkBox *detail_box;
  GMenuModel *row_menu;
  GtkToggleButton *status_button;
  GtkLabel *status_badge;
  GtkPaned *status_paned;
  GtkBox *status_box;

  /* Owned */
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwConnectionManager *connections; /* nullable: tests without an application */
  PwTicker *ticker;
  GSettings *settings;
  GtkWidget *detail_pane;
  GtkWidget *row_popover;
  GtkFilterListModel *filter_model;
  GtkSortListModel *sort_model;
  GtkMultiSelection *selection;
  GtkMultiSorter *sorter;
  GtkStringFilter *id_filter;
  GtkStringFilter *user_filter;
  GtkCustomFilter *state_filter;
  GdkSurface *surface;

  PwStateFilter state_filter_mode;
  gboolean freeze_order;
  gboolean sort_dirty;
  gboolean filter_dirty;
  gboolean status_dirty;
  gboolean network_check;
  int hidden_widths[PW_SESSION_N_COLUMNS];
  guint layout_idle_id;
  int last_list_width;

  char *connection_problem;
  char *server_label;
  char *unauthorized_connection;

  /* Outcome toasts: sessions whose next heartbeat answer the user asked
   * for, and the running tally of a multi-session end. */
  GHashTable *pending_heartbeats;
  GHashTable *batch_ending;
  guint batch_ended;
  guint batch_failed;

  GtkWidget *status_panel;

  AdwMessageDialog *ending_dialog;
  GtkProgressBar *ending_progress;
};

gboolean pw_window_has_connections (PwWindow *self);
char **pw_window_dup_connection_names (PwWindow *self, const char **default_name);
char *pw_window_dup_unauthorized_text (PwWindow *self, const char *connection);
void pw_window_fix_key (PwWindow *self);

void pw_window_actions_class_init (GtkWidgetClass *widget_class);
void pw_window_actions_init (PwWindow *self);
void pw_window_actions_update (PwWindow *self);
GPtrArray *pw_window_dup_selected (PwWindow *self);
void pw_window_actions_session_event (PwWindow *self, PwEvent *event);
void pw_window_actions_session_exchange (PwWindow *self,
                                         PwSession *session,
                                         PwExchange *exchange);

/* pw-window-events.c: the status panel, the inspector, support tickets. */
void pw_window_events_class_init (GtkWidgetClass *widget_class);
void pw_window_events_init (PwWindow *self);
void pw_window_events_dispose (PwWindow *self);
void pw_window_events_update (PwWindow *self);

G_END_DECLS
