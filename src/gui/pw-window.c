/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-application.h"
#include "pw-detail-pane.h"
#include "pw-format.h"
#include "pw-session-columns.h"
#include "pw-window-private.h"

/* The main window: the session list (GtkColumnView over GtkMultiSelection
 * over GtkSortListModel over GtkFilterListModel over the tracker's
 * sessions), the detail pane in an AdwFlap beside it, banners for a
 * rejected key and an unreachable server, and empty states.
 *
 * Keeping the order and the filter current: GtkSortListModel and
 * GtkFilterListModel do not watch item properties, so a session that
 * changes state or deadline stays where it was until the sorter or filter
 * says it changed. PwTracker::changed marks the window dirty and the next
 * tick of the ticker (at most once a second) re-sorts and re-filters in one
 * go; GtkMultiSelection keeps selected items selected across the move.
 * "Freeze order" simply skips that step: rows and selection stay where
 * they are, the timers in them keep running, and what the user does
 * (clicking a header, typing a search) still applies. Unfreezing catches
 * up at once. */

/* Columns dropped, in this order, when the list is too narrow for them.
 * The list is narrow mostly while the detail pane is open, and the pane
 * shows the selected session's play times; the last result carries what
 * the state does not (the status of a failing retry), so it stays longer. */
static const PwSessionColumn hide_order[] = {
  PW_SESSION_COLUMN_CONNECTION,  PW_SESSION_COLUMN_REQUEST_ID,
  PW_SESSION_COLUMN_SERVER_TIME, PW_SESSION_COLUMN_USER,
  PW_SESSION_COLUMN_CLIENT_TIME, PW_SESSION_COLUMN_LAST_RESULT,
};
#define SESSION_COLUMN_MIN_WIDTH 170

G_DEFINE_FINAL_TYPE (PwWindow, pw_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_HISTORY,
  PROP_FREEZE_ORDER,
  PROP_STATE_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gboolean
session_matches_state (PwSession *session, PwStateFilter mode)
{
  PwSessionState state = pw_session_get_state (session);
  gboolean live = pw_session_state_is_live (state);

  switch (mode)
    {
      case PW_STATE_FILTER_LIVE:
        return live;
      case PW_STATE_FILTER_PAUSED:
        return live && pw_session_get_paused (session);
      case PW_STATE_FILTER_ATTENTION:
        {
          const char *style_class = pw_session_state_get_style_class (state);

          return (live && pw_session_get_retrying (session)) ||
                 g_str_equal (style_class, "warning") ||
                 g_str_equal (style_class, "error");
        }
      case PW_STATE_FILTER_FINISHED:
        return !live;
      case PW_STATE_FILTER_ALL:
      default:
        return TRUE;
    }
}

static gboolean
state_filter_func (gpointer item, gpointer user_data)
{
  PwWindow *self = user_data;

  return session_matches_state (PW_SESSION (item), self->state_filter_mode);
}

static void
pw_window_update_page (PwWindow *self)
{
  guint n_total = g_list_model_get_n_items (pw_tracker_get_sessions (self->tracker));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  gboolean connected = pw_window_has_connections (self);

  if (n_total == 0)
    gtk_stack_set_visible_child_name (self->main_stack,
                                      connected ? "empty" : "no-connection");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "sessions");

  gtk_stack_set_visible_child_name (self->list_stack,
                                    n_shown > 0 ? "list" : "no-results");
  gtk_revealer_set_reveal_child (self->connection_revealer, !connected && n_total > 0);
}

static void
pw_window_update_subtitle (PwWindow *self)
{
  guint n_total = g_list_model_get_n_items (pw_tracker_get_sessions (self->tracker));
  guint n_beating = pw_tracker_get_n_heartbeating (self->tracker);
  g_autofree char *counts = NULL;
  g_autofree char *subtitle = NULL;

  if (n_total == 0)
    counts = g_strdup (_ ("No sessions"));
  else
    counts = g_strdup_printf (
        /* Translators: "12 sessions, 9 heartbeating": all tracked sessions,
         * then those whose heartbeats are running */
        ngettext ("%u session, %u heartbeating", "%u sessions, %u heartbeating", n_total),
        n_total, n_beating);

  if (self->server_label != NULL)
    /* Translators: server, then the counts: "Sandbox · 12 sessions, 9 heartbeating" */
    subtitle = g_strdup_printf (C_ ("subtitle", "%s · %s"), self->server_label, counts);
  else
    subtitle = g_steal_pointer (&counts);

  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
pw_window_update_selection (PwWindow *self)
{
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr (PwSession) first = NULL;

  if (!gtk_bitset_is_empty (selected))
    first = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                   gtk_bitset_get_minimum (selected));

  if (self->detail_pane != NULL &&
      pw_detail_pane_get_session (PW_DETAIL_PANE (self->detail_pane)) != first)
    pw_detail_pane_set_session (PW_DETAIL_PANE (self->detail_pane), first);

  pw_window_actions_update (self);
}

/* A column's width, also while hidden (see pw_window_set_column_shown). */
static int
column_width (PwWindow *self, PwSessionColumn i)
{
  GtkColumnViewColumn *column = pw_session_columns_get (self->column_view, i);

  if (!gtk_column_view_column_get_visible (column) && self->hidden_widths[i] > 0)
    return self->hidden_widths[i];

  return gtk_column_view_column_get_fixed_width (column);
}

/* GTK 4.8 counts hidden columns in the column view's minimum width, so a
 * hidden column also gets a fixed width of 0 (its own is kept to restore). */
static void
pw_window_set_column_shown (PwWindow *self, PwSessionColumn i, gboolean shown)
{
  GtkColumnViewColumn *column = pw_session_columns_get (self->column_view, i);

  if (gtk_column_view_column_get_visible (column) == shown)
    return;

  if (shown)
    {
      gtk_column_view_column_set_fixed_width (column, self->hidden_widths[i]);
      gtk_column_view_column_set_visible (column, TRUE);
    }
  else
    {
      self->hidden_widths[i] = gtk_column_view_column_get_fixed_width (column);
      gtk_column_view_column_set_visible (column, FALSE);
      gtk_column_view_column_set_fixed_width (column, 0);
    }
}

static void
pw_window_apply_columns (PwWindow *self)
{
  int available = gtk_widget_get_width (GTK_WIDGET (self->list_stack));
  int needed = SESSION_COLUMN_MIN_WIDTH;

  if (available <= 0)
    return;

  for (guint i = 0; i < PW_SESSION_N_COLUMNS; i++)
    if (i != PW_SESSION_COLUMN_SESSION)
      needed += column_width (self, i);

  for (guint i = 0; i < G_N_ELEMENTS (hide_order); i++)
    {
      gboolean shown = needed <= available;

      if (!shown)
        needed -= column_width (self, hide_order[i]);
      pw_window_set_column_shown (self, hide_order[i], shown);
    }
}

static gboolean
layout_idle_cb (gpointer user_data)
{
  PwWindow *self = user_data;

  self->layout_idle_id = 0;
  pw_window_apply_columns (self);

  return G_SOURCE_REMOVE;
}

static void
pw_window_queue_layout (PwWindow *self)
{
  if (self->layout_idle_id == 0)
    self->layout_idle_id = g_idle_add (layout_idle_cb, self);
}

static void
pw_window_update_slow (PwWindow *self)
{
  gboolean slow = !gtk_widget_get_visible (GTK_WIDGET (self));

  if (self->surface != NULL && (gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) &
                                GDK_TOPLEVEL_STATE_MINIMIZED))
    slow = TRUE;

  pw_ticker_set_slow (self->ticker, slow);
}

static void
pw_window_show_row_menu (PwWindow *self, double x, double y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
}

/* The row under (x, y) of the column view: cells are direct children of
 * GtkListItemWidgets, which know their position. Walks up from the picked
 * widget to a cell we made. */
static gboolean
row_at (PwWindow *self, double x, double y, guint *position)
{
  GtkWidget *widget =
      gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);

  for (; widget != NULL && widget != GTK_WIDGET (self->column_view);
       widget = gtk_widget_get_parent (widget))
    {
      gpointer item = g_object_get_data (G_OBJECT (widget), "pw-list-item");

      if (item != NULL)
        {
          guint pos = gtk_list_item_get_position (GTK_LIST_ITEM (item));

          if (pos == GTK_INVALID_LIST_POSITION)
            return FALSE;
          *position = pos;
          return TRUE;
        }
    }

  return FALSE;
}

/* Callbacks */

static void
row_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, PwWindow *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  guint position;

  if (!row_at (self, x, y, &position))
    return;

  /* Right-clicking outside the selection selects that row alone, as file
   * managers do; inside it, the menu applies to the whole selection. */
  if (!gtk_selection_model_is_selected (model, position))
    gtk_selection_model_select_item (model, position, TRUE);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  pw_window_show_row_menu (self, x, y);
}

static void
row_long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, PwWindow *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  guint position;

  if (!row_at (self, x, y, &position))
    return;

  if (!gtk_selection_model_is_selected (model, position))
    gtk_selection_model_select_item (model, position, TRUE);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  pw_window_show_row_menu (self, x, y);
}

static void
search_changed_cb (PwWindow *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_string_filter_set_search (self->id_filter, text);
  gtk_string_filter_set_search (self->user_filter, text);
}

static void
state_dropdown_changed_cb (PwWindow *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  pw_window_set_state_filter (self, gtk_drop_down_get_selected (dropdown));
}

static void
selection_changed_cb (PwWindow *self)
{
  pw_window_update_selection (self);
}

static void
shown_items_changed_cb (PwWindow *self)
{
  pw_window_update_page (self);
}

static void
sessions_changed_cb (PwWindow *self, guint position, guint removed, guint added)
{
  /* The counts in the subtitle follow at the next tick: adding 10,000
   * sessions one by one must not count them 10,000 times. */
  self->status_dirty = TRUE;
  pw_window_update_page (self);
}

static void
session_changed_cb (PwWindow *self, PwSession *session)
{
  self->sort_dirty = TRUE;
  self->filter_dirty = TRUE;
  self->status_dirty = TRUE;
}

static void
tick_cb (PwWindow *self)
{
  pw_window_refresh (self);
}

static void
unauthorized_cb (PwWindow *self, const char *connection)
{
  g_autofree char *text = NULL;

  g_free (self->unauthorized_connection);
  self->unauthorized_connection = g_strdup (connection);
  text = pw_window_dup_unauthorized_text (self, connection);
  gtk_label_set_label (self->unauthorized_label, text);
  gtk_revealer_set_reveal_child (self->unauthorized_revealer, TRUE);
}

static gboolean
any_session_retrying (PwWindow *self)
{
  GListModel *sessions = pw_tracker_get_sessions (self->tracker);
  guint n = g_list_model_get_n_items (sessions);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);

      if (pw_session_is_heartbeating (session) && pw_session_get_retrying (session))
        return TRUE;
    }

  return FALSE;
}

static void
event_cb (PwWindow *self, PwEvent *event)
{
  switch (pw_event_get_kind (event))
    {
      case PW_EVENT_NETWORK_FAILURES:
        gtk_revealer_set_reveal_child (self->network_revealer, TRUE);
        break;

      case PW_EVENT_RECOVERED:
        /* Every session reports its own recovery: look once, at the tick. */
        self->network_check = TRUE;
        break;

      case PW_EVENT_TRACKING_STARTED:
      case PW_EVENT_CHARGE_EXHAUSTED:
      case PW_EVENT_SESSION_REPLACED:
      case PW_EVENT_UNKNOWN_RESULT:
      case PW_EVENT_SESSION_LOST:
      case PW_EVENT_SESSION_ENDED:
      case PW_EVENT_SESSION_ENDING:
      case PW_EVENT_UNAUTHORIZED:
      case PW_EVENT_RATE_LIMITED:
      case PW_EVENT_EXPIRED:
      case PW_EVENT_PAUSED:
      case PW_EVENT_RESUMED:
      case PW_EVENT_ENDED:
      case PW_EVENT_ALREADY_CLEANED_UP:
      case PW_EVENT_END_FAILED:
      case PW_EVENT_CLOCK_SKEW:
      case PW_EVENT_STATE_FILE_DAMAGED:
      default:
        break;
    }

  pw_window_actions_session_event (self, event);
}

static void
exchange_cb (PwWindow *self, PwSession *session, PwExchange *exchange)
{
  pw_window_actions_session_exchange (self, session, exchange);
}

static void
end_all_progress_cb (PwWindow *self, guint done, guint total)
{
  g_autofree char *text = NULL;

  if (self->ending_progress == NULL || total == 0)
    return;

  /* Translators: progress of ending sessions on quit, "3 of 12" */
  text = g_strdup_printf (_ ("%u of %u"), done, total);
  gtk_progress_bar_set_fraction (self->ending_progress, (double) done / total);
  gtk_progress_bar_set_text (self->ending_progress, text);
}

static void
ending_dialog_response_cb (PwWindow *self, const char *response)
{
  if (g_strcmp0 (response, "quit-now") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.quit-now", NULL);
}

static void
surface_state_cb (PwWindow *self)
{
  pw_window_update_slow (self);
}

static void
visible_cb (PwWindow *self)
{
  if (self->ticker != NULL)
    pw_window_update_slow (self);
}

static void
flap_changed_cb (PwWindow *self)
{
  pw_window_queue_layout (self);
}

static void
row_activated_cb (PwWindow *self, guint position)
{
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* Overrides */

static void
pw_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PwWindow *self = PW_WINDOW (widget);

  GTK_WIDGET_CLASS (pw_window_parent_class)
      ->size_allocate (widget, width, height, baseline);

  /* The list's width decides which columns fit (the detail pane beside
   * it takes its share). Changing column visibility queues a resize:
   * never during allocation. */
  if (gtk_widget_get_width (GTK_WIDGET (self->list_stack)) != self->last_list_width)
    {
      self->last_list_width = gtk_widget_get_width (GTK_WIDGET (self->list_stack));
      pw_window_queue_layout (self);
    }
}

static void
pw_window_realize (GtkWidget *widget)
{
  PwWindow *self = PW_WINDOW (widget);

  GTK_WIDGET_CLASS (pw_window_parent_class)->realize (widget);

  self->surface = gtk_native_get_surface (GTK_NATIVE (self));
  g_signal_connect_object (self->surface, "notify::state", G_CALLBACK (surface_state_cb),
                           self, G_CONNECT_SWAPPED);
  pw_window_update_slow (self);
}

static void
pw_window_save_size (PwWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
pw_window_unrealize (GtkWidget *widget)
{
  PwWindow *self = PW_WINDOW (widget);

  /* Whichever way it goes (close button, Ctrl+Q, a signal), the window is
   * unrealized on the way out: remember its size then. */
  pw_window_save_size (self);

  if (self->surface != NULL)
    g_signal_handlers_disconnect_by_func (self->surface, surface_state_cb, self);
  self->surface = NULL;

  GTK_WIDGET_CLASS (pw_window_parent_class)->unrealize (widget);
}

static gboolean
pw_window_close_request (GtkWindow *window)
{
  GtkApplication *application = gtk_window_get_application (window);

  /* Closing the window is quitting: the application ends live sessions
   * first (with the setting on) and destroys the window when done. */
  if (PW_IS_APPLICATION (application))
    {
      pw_application_request_quit (PW_APPLICATION (application));
      return TRUE;
    }

  return GTK_WINDOW_CLASS (pw_window_parent_class)->close_request (window);
}

static void
pw_window_constructed (GObject *object)
{
  PwWindow *self = (PwWindow *) object;
  GListModel *sessions;
  GtkEventController *controller;
  g_autoptr (GtkAnyFilter) any_filter = NULL;
  GtkEveryFilter *every_filter;

  G_OBJECT_CLASS (pw_window_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  sessions = pw_tracker_get_sessions (self->tracker);
  self->ticker = pw_ticker_new (pw_tracker_get_clock (self->tracker));

  /* Window size, as last closed. */
  self->settings = pw_application_new_settings ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
    }

  /* Models: sessions → filter → sort → selection. */
  self->id_filter =
      gtk_string_filter_new (gtk_property_expression_new (PW_TYPE_SESSION, NULL, "id"));
  self->user_filter = gtk_string_filter_new (
      gtk_property_expression_new (PW_TYPE_SESSION, NULL, "user-id"));
  any_filter = gtk_any_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (any_filter),
                           g_object_ref (GTK_FILTER (self->id_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (any_filter),
                           g_object_ref (GTK_FILTER (self->user_filter)));
  self->state_filter = gtk_custom_filter_new (NULL, NULL, NULL);
  every_filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter),
                           GTK_FILTER (g_steal_pointer (&any_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter),
                           g_object_ref (GTK_FILTER (self->state_filter)));
  self->filter_model =
      gtk_filter_list_model_new (g_object_ref (sessions), GTK_FILTER (every_filter));

  pw_session_columns_install (self->column_view, self->tracker, self->ticker);
  self->sorter = gtk_multi_sorter_new ();
  gtk_multi_sorter_append (self->sorter,
                           g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->sort_model =
      gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                               g_object_ref (GTK_SORTER (self->sorter)));
  self->selection =
      gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (shown_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sessions, "items-changed", G_CALLBACK (sessions_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* The detail pane follows the first selected session. */
  self->detail_pane = pw_detail_pane_new (self->tracker, self->ticker, self->history);
  gtk_widget_set_vexpand (self->detail_pane, TRUE);
  gtk_box_append (self->detail_box, self->detail_pane);

  pw_window_events_init (self);

  /* Row menu: right click, long press, Menu or Shift+F10. */
  self->row_popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_popover), FALSE);
  gtk_widget_set_halign (self->row_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_popover, GTK_WIDGET (self->column_view));

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), GDK_BUTTON_SECONDARY);
  g_signal_connect (controller, "pressed", G_CALLBACK (row_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_long_press_new ());
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (controller), TRUE);
  g_signal_connect (controller, "pressed", G_CALLBACK (row_long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  g_signal_connect_object (self->tracker, "changed", G_CALLBACK (session_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "event", G_CALLBACK (event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "exchange", G_CALLBACK (exchange_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "unauthorized", G_CALLBACK (unauthorized_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "end-all-progress",
                           G_CALLBACK (end_all_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ticker, "notify::now-us", G_CALLBACK (tick_cb), self,
                           G_CONNECT_SWAPPED);

  pw_window_actions_init (self);
  pw_window_update_page (self);
  pw_window_update_subtitle (self);
  pw_window_update_selection (self);
}

static void
pw_window_dispose (GObject *object)
{
  PwWindow *self = (PwWindow *) object;

  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_signal_handlers_disconnect_by_data (self->filter_model, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (
        pw_connection_manager_get_connections (self->connections), self);
  g_clear_object (&self->connections);
  if (self->tracker != NULL)
    {
      g_signal_handlers_disconnect_by_data (pw_tracker_get_sessions (self->tracker),
                                            self);
      g_signal_handlers_disconnect_by_data (self->tracker, self);
    }
  if (self->row_popover != NULL)
    {
      gtk_widget_unparent (self->row_popover);
      self->row_popover = NULL;
    }
  if (self->ending_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->ending_dialog));
  g_clear_weak_pointer (&self->ending_dialog);
  self->ending_progress = NULL;
  pw_window_events_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sorter);
  g_clear_object (&self->id_filter);
  g_clear_object (&self->user_filter);
  g_clear_object (&self->state_filter);
  g_clear_object (&self->ticker);
  g_clear_object (&self->settings);
  g_clear_object (&self->history);
  g_clear_object (&self->tracker);
  self->detail_pane = NULL;

  G_OBJECT_CLASS (pw_window_parent_class)->dispose (object);
}

static void
pw_window_finalize (GObject *object)
{
  PwWindow *self = (PwWindow *) object;

  g_clear_pointer (&self->connection_problem, g_free);
  g_clear_pointer (&self->server_label, g_free);
  g_clear_pointer (&self->unauthorized_connection, g_free);
  g_clear_pointer (&self->pending_heartbeats, g_hash_table_unref);
  g_clear_pointer (&self->batch_ending, g_hash_table_unref);

  G_OBJECT_CLASS (pw_window_parent_class)->finalize (object);
}

static void
pw_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_HISTORY:
        g_value_set_object (value, self->history);
        break;

      case PROP_FREEZE_ORDER:
        g_value_set_boolean (value, self->freeze_order);
        break;

      case PROP_STATE_FILTER:
        g_value_set_uint (value, self->state_filter_mode);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_set_property (GObject *object,
                        guint prop_id,
                        const GValue *value,
                        GParamSpec *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_HISTORY:
        self->history = g_value_dup_object (value);
        break;

      case PROP_FREEZE_ORDER:
        pw_window_set_freeze_order (self, g_value_get_boolean (value));
        break;

      case PROP_STATE_FILTER:
        pw_window_set_state_filter (self, g_value_get_uint (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_class_init (PwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pw_window_constructed;
  object_class->dispose = pw_window_dispose;
  object_class->finalize = pw_window_finalize;
  object_class->get_property = pw_window_get_property;
  object_class->set_property = pw_window_set_property;
  widget_class->size_allocate = pw_window_size_allocate;
  widget_class->realize = pw_window_realize;
  widget_class->unrealize = pw_window_unrealize;
  window_class->close_request = pw_window_close_request;

  properties[PROP_TRACKER] = g_param_spec_object (
      "tracker", NULL, NULL, PW_TYPE_TRACKER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] = g_param_spec_object (
      "history", NULL, NULL, PW_TYPE_EXCHANGE_HISTORY,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwWindow:freeze-order:
   *
   * Rows keep their order (and the selection its rows) while sessions
   * change; the timers in them keep running.
   */
  properties[PROP_FREEZE_ORDER] = g_param_spec_boolean (
      "freeze-order", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwWindow:state-filter:
   *
   * A #PwStateFilter.
   */
  properties[PROP_STATE_FILTER] = g_param_spec_uint (
      "state-filter", NULL, NULL, PW_STATE_FILTER_ALL, PW_STATE_FILTER_FINISHED,
      PW_STATE_FILTER_ALL,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, unauthorized_revealer);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, unauthorized_label);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, network_revealer);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, no_connection_page);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, state_dropdown_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  pw_window_actions_class_init (widget_class);
  pw_window_events_class_init (widget_class);
}

static void
pw_window_init (PwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending_heartbeats =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->batch_ending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_signal_connect (self, "notify::visible", G_CALLBACK (visible_cb), NULL);
}

/* Public API */

/**
 * pw_window_new:
 * @application: (nullable): the application, %NULL in tests
 *
 * Returns: (transfer full): the main window, showing the sessions of
 *   @tracker
 */
PwWindow *
pw_window_new (GtkApplication *application,
               PwTracker *tracker,
               PwExchangeHistory *history)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (history), NULL);

  return g_object_new (PW_TYPE_WINDOW, "application", application, "tracker", tracker,
                       "history", history, NULL);
}

PwTracker *
pw_window_get_tracker (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return self->tracker;
}

/**
 * pw_window_get_ticker:
 *
 * Returns: (transfer none): the tick every timer of the window follows
 */
PwTicker *
pw_window_get_ticker (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return self->ticker;
}

GtkColumnView *
pw_window_get_column_view (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return self->column_view;
}

/**
 * pw_window_get_selection:
 *
 * Returns: (transfer none): the model the list shows, after filtering and
 *   sorting
 */
GtkSelectionModel *
pw_window_get_selection (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

void
pw_window_add_toast (PwWindow *self, const char *title)
{
  AdwToast *toast;

  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * pw_window_set_server_label:
 * @label: (nullable): where the sessions are, e.g. "Sandbox", for the subtitle
 */
void
pw_window_set_server_label (PwWindow *self, const char *label)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  g_free (self->server_label);
  self->server_label = g_strdup (label);
  pw_window_update_subtitle (self);
}

/**
 * pw_window_set_connection_problem:
 * @problem: (nullable): why there is no connection, shown on the "No
 *   Server Configured" page
 */
void
pw_window_set_connection_problem (PwWindow *self, const char *problem)
{
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  const char *help;

  g_return_if_fail (PW_IS_WINDOW (self));

  g_free (self->connection_problem);
  self->connection_problem = g_strdup (problem);

  help = _ ("Add the base URL and API key of a PlayWave server in Preferences. For "
            "scripts, <tt>PLAYWAVE_BASE_URL</tt> (it ends in <tt>/v1</tt>) and "
            "<tt>PLAYWAVE_API_KEY</tt> do the same for one run; "
            "<tt>playwave-monitor --sandbox</tt> tries it all on a built-in demo "
            "server.");
  escaped = problem != NULL ? g_markup_escape_text (problem, -1) : NULL;
  description =
      escaped != NULL ? g_strdup_printf ("%s\n\n%s", escaped, help) : g_strdup (help);
  adw_status_page_set_description (self->no_connection_page, description);

  gtk_label_set_label (
      self->connection_label,
      _ ("No connection is configured, so these sessions are not heartbeated. Add one "
         "in Preferences."));
  pw_window_update_page (self);
}

static void
connections_changed_cb (PwWindow *self)
{
  pw_window_update_page (self);
}

/**
 * pw_window_set_connections:
 * @connections: (nullable): the application's connections, for the add
 *   dialog, the "No Server Configured" page and the key banner
 */
void
pw_window_set_connections (PwWindow *self, PwConnectionManager *connections)
{
  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (connections == NULL || PW_IS_CONNECTION_MANAGER (connections));

  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (
        pw_connection_manager_get_connections (self->connections), self);
  g_set_object (&self->connections, connections);
  if (connections != NULL)
    g_signal_connect_object (pw_connection_manager_get_connections (connections),
                             "items-changed", G_CALLBACK (connections_changed_cb), self,
                             G_CONNECT_SWAPPED);
  pw_window_update_page (self);
}

/**
 * pw_window_get_page:
 *
 * Returns: what the window shows: "sessions", "no-results" (sessions, but
 *   none matches the filters), "empty" or "no-connection"
 */
const char *
pw_window_get_page (PwWindow *self)
{
  const char *page;

  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  page = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (page, "sessions") == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "no-results") == 0)
    return "no-results";

  return page;
}

void
pw_window_set_search_text (PwWindow *self, const char *text)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Not waiting for the entry's search delay. */
  search_changed_cb (self, self->search_entry);
}

PwStateFilter
pw_window_get_state_filter (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), PW_STATE_FILTER_ALL);

  return self->state_filter_mode;
}

void
pw_window_set_state_filter (PwWindow *self, PwStateFilter filter)
{
  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (filter <= PW_STATE_FILTER_FINISHED);

  if (self->state_filter_mode == filter)
    return;

  self->state_filter_mode = filter;
  if (self->state_filter == NULL)
    return;
  if (gtk_drop_down_get_selected (self->state_dropdown) != filter)
    gtk_drop_down_set_selected (self->state_dropdown, filter);

  /* No function at all lets the filter model skip "All" cheaply. */
  if (filter == PW_STATE_FILTER_ALL)
    gtk_custom_filter_set_filter_func (self->state_filter, NULL, NULL, NULL);
  else
    gtk_custom_filter_set_filter_func (self->state_filter, state_filter_func, self, NULL);
  self->filter_dirty = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_FILTER]);
}

gboolean
pw_window_get_freeze_order (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), FALSE);

  return self->freeze_order;
}

void
pw_window_set_freeze_order (PwWindow *self, gboolean freeze)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  freeze = !!freeze;
  if (self->freeze_order == freeze)
    return;

  self->freeze_order = freeze;
  if (!freeze)
    pw_window_refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FREEZE_ORDER]);
}

/**
 * pw_window_refresh:
 *
 * Applies what changed since the last tick: re-sorts and re-filters the
 * list (unless the order is frozen), the subtitle and the actions. The
 * ticker calls it; tests call it to skip waiting for a tick.
 */
void
pw_window_refresh (PwWindow *self)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  if (!self->freeze_order)
    {
      if (self->filter_dirty && self->state_filter_mode != PW_STATE_FILTER_ALL)
        gtk_filter_changed (GTK_FILTER (self->state_filter), GTK_FILTER_CHANGE_DIFFERENT);
      if (self->sort_dirty &&
          gtk_sorter_get_order (GTK_SORTER (self->sorter)) != GTK_SORTER_ORDER_NONE)
        gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
      self->filter_dirty = FALSE;
      self->sort_dirty = FALSE;
    }

  if (self->network_check)
    {
      self->network_check = FALSE;
      if (!any_session_retrying (self))
        gtk_revealer_set_reveal_child (self->network_revealer, FALSE);
    }

  if (self->status_dirty)
    {
      self->status_dirty = FALSE;
      pw_window_update_subtitle (self);
      pw_window_actions_update (self);
    }
}

/**
 * pw_window_show_ending_progress:
 * @total: how many sessions are being ended
 *
 * Shows a modal progress dialog, fed by PwTracker::end-all-progress, while
 * the application ends sessions before quitting. Its "Quit Now" button
 * activates `app.quit-now`.
 */
void
pw_window_show_ending_progress (PwWindow *self, guint total)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *progress;

  g_return_if_fail (PW_IS_WINDOW (self));

  if (self->ending_dialog != NULL)
    return;

  /* Translators: shown while quitting */
  body = g_strdup_printf (ngettext ("Ending %u session…", "Ending %u sessions…", total),
                          total);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (self), _ ("Quitting"), body));
  adw_message_dialog_add_response (dialog, "quit-now", _ ("_Quit Now"));
  adw_message_dialog_set_response_appearance (dialog, "quit-now",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "hide");

  progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (progress), "");
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
      /* Translators: the accessible name of the progress bar while quitting */
      _ ("Sessions ended"), -1);
  adw_message_dialog_set_extra_child (dialog, progress);

  g_signal_connect_object (dialog, "response", G_CALLBACK (ending_dialog_response_cb),
                           self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->ending_dialog, dialog);
  self->ending_progress = GTK_PROGRESS_BAR (progress);
  end_all_progress_cb (self, 0, total);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pw_window_hide_ending_progress (PwWindow *self)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  self->ending_progress = NULL;
  if (self->ending_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->ending_dialog));
  g_clear_weak_pointer (&self->ending_dialog);
}
