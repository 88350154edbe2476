/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-column-view.h"
#include "pw-inspector.h"
#include "pw-status-panel.h"
#include "pw-ticket.h"
#include "pw-window-private.h"

/* The window's side of the status panel, the inspector and support tickets.
 *
 * Layout: the status panel is a bottom pane (a vertical GtkPaned under the
 * session list and the detail flap). Below the list it gets the window's
 * whole width, which a table of nine columns needs at 800 px, and the list
 * keeps its width for the detail flap beside it. It is shown and hidden
 * with the bell button in the header bar, F8 or the main menu
 * ("win.show-status-panel", remembered in the show-status-panel setting);
 * the button's badge counts the important events not acknowledged yet.
 *
 * Going to a session (from the panel or a notification) selects it alone
 * in the list, clearing the search and state filter if they hide it,
 * scrolls to it and opens the detail pane. */

#define BADGE_MAX 99

/* Helpers */

static void
update_badge (PwWindow *self)
{
  guint n = pw_event_log_get_unacknowledged (pw_tracker_get_events (self->tracker));
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  text = n > BADGE_MAX ? g_strdup_printf ("%u+", BADGE_MAX) : g_strdup_printf ("%u", n);
  gtk_label_set_text (self->status_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_badge), n > 0);

  if (n > 0)
    /* Translators: accessible name and tooltip of the events button */
    label = g_strdup_printf (ngettext ("Show Events (F8): %u needs attention",
                                       "Show Events (F8): %u need attention", n),
                             n);
  else
    label = g_strdup (_ ("Show Events (F8)"));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Position of @session_id in what the list shows, or GTK_INVALID_LIST_POSITION. */
static guint
find_shown (PwWindow *self, const char *session_id)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (model, i);

      if (g_str_equal (pw_session_get_id (session), session_id))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The one selected session, or NULL. */
static PwSession *
dup_single_selected (PwWindow *self)
{
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);

  if (sessions->len != 1)
    return NULL;

  return g_object_ref (g_ptr_array_index (sessions, 0));
}

/* Callbacks */

static void
session_activated_cb (PwWindow *self, const char *session_id)
{
  pw_window_show_session (self, session_id);
}

static void
unacknowledged_cb (PwWindow *self)
{
  update_badge (self);
}

/* Actions */

static void
show_requests_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (PwSession) session = dup_single_selected (self);

  if (session != NULL)
    pw_window_show_requests (self, pw_session_get_id (session));
}

static void
show_session_events_activated (GtkWidget *widget,
                               const char *action_name,
                               GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (PwSession) session = dup_single_selected (self);

  if (session == NULL)
    return;

  pw_window_show_events (self, NULL);
  pw_status_panel_set_search_text (PW_STATUS_PANEL (self->status_panel),
                                   pw_session_get_id (session));
}

static void
copy_ticket_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (PwSession) session = dup_single_selected (self);
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (session == NULL)
    return;

  text = pw_ticket_dup_text (
      self->tracker, session,
      pw_exchange_history_get_for_session (self->history, pw_session_get_id (session)));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  /* Translators: %s is a session id */
  message = g_strdup_printf (_ ("Support ticket text for “%s” copied, key redacted"),
                             pw_session_get_id (session));
  pw_window_add_toast (self, message);
}

/* Hooks for pw-window.c */

void
pw_window_events_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_paned);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_box);

  gtk_widget_class_install_action (widget_class, "win.show-requests", NULL,
                                   show_requests_activated);
  gtk_widget_class_install_action (widget_class, "win.show-session-events", NULL,
                                   show_session_events_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-ticket", NULL,
                                   copy_ticket_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0,
                                       "win.show-status-panel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.show-requests", NULL);
}

void
pw_window_events_init (PwWindow *self)
{
  g_autoptr (GPropertyAction) show_action = NULL;

  self->status_panel = pw_status_panel_new (self->tracker, self->ticker);
  gtk_widget_set_vexpand (self->status_panel, TRUE);
  gtk_box_append (self->status_box, self->status_panel);
  g_signal_connect_object (self->status_panel, "session-activated",
                           G_CALLBACK (session_activated_cb), self, G_CONNECT_SWAPPED);

  /* Stateful, so the main menu shows a check mark. */
  show_action =
      g_property_action_new ("show-status-panel", self->status_button, "active");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_action));
  if (self->settings != NULL)
    g_settings_bind (self->settings, "show-status-panel", self->status_button, "active",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_toggle_button_set_active (self->status_button, TRUE);

  g_signal_connect_object (pw_tracker_get_events (self->tracker),
                           "notify::unacknowledged", G_CALLBACK (unacknowledged_cb), self,
                           G_CONNECT_SWAPPED);
  update_badge (self);
  pw_window_events_update (self);
}

void
pw_window_events_dispose (PwWindow *self)
{
  if (self->tracker != NULL)
    g_signal_handlers_disconnect_by_data (pw_tracker_get_events (self->tracker), self);
  if (self->settings != NULL && self->status_button != NULL)
    g_settings_unbind (self->status_button, "active");
  self->status_panel = NULL;
}

/* Enables the actions that need exactly one selected session. */
void
pw_window_events_update (PwWindow *self)
{
  g_autoptr (PwSession) session = dup_single_selected (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-requests", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-session-events",
                                 session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-ticket", session != NULL);
}

/* Public API */

/**
 * pw_window_get_status_panel:
 *
 * Returns: (transfer none): the #PwStatusPanel
 */
GtkWidget *
pw_window_get_status_panel (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return self->status_panel;
}

/**
 * pw_window_show_session:
 *
 * Selects @session_id alone in the list (clearing the search and state
 * filter when they hide it), scrolls to it and opens the detail pane.
 *
 * Returns: %FALSE, with a toast, if the session is not tracked any more
 */
gboolean
pw_window_show_session (PwWindow *self, const char *session_id)
{
  g_autofree char *message = NULL;
  guint position;

  g_return_val_if_fail (PW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);

  if (pw_tracker_lookup (self->tracker, session_id) == NULL)
    {
      /* Translators: %s is a session id */
      message = g_strdup_printf (_ ("“%s” is no longer tracked"), session_id);
      pw_window_add_toast (self, message);
      return FALSE;
    }

  position = find_shown (self, session_id);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      pw_window_set_search_text (self, NULL);
      pw_window_set_state_filter (self, PW_STATE_FILTER_ALL);
      position = find_shown (self, session_id);
    }
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  pw_column_view_scroll_to (self->column_view, position);
  adw_flap_set_reveal_flap (self->flap, TRUE);

  return TRUE;
}

/**
 * pw_window_show_events:
 * @filter: (nullable): "important", an event kind's machine name
 *   ("charge-exhausted"), or %NULL / "" for every event
 *
 * Shows the status panel with that kind filter and no search.
 */
void
pw_window_show_events (PwWindow *self, const char *filter)
{
  PwStatusPanel *panel;
  PwEventKind kind;

  g_return_if_fail (PW_IS_WINDOW (self));

  panel = PW_STATUS_PANEL (self->status_panel);
  gtk_toggle_button_set_active (self->status_button, TRUE);
  pw_status_panel_set_search_text (panel, NULL);

  if (g_strcmp0 (filter, "important") == 0)
    pw_status_panel_set_filter (panel, PW_STATUS_FILTER_IMPORTANT, 0);
  else if (filter != NULL && pw_event_kind_from_string (filter, &kind))
    pw_status_panel_set_filter (panel, PW_STATUS_FILTER_KIND, kind);
  else
    pw_status_panel_set_filter (panel, PW_STATUS_FILTER_ALL, 0);
}

/**
 * pw_window_show_requests:
 *
 * Opens the request inspector of @session_id.
 *
 * Returns: (transfer none) (nullable): the inspector, or %NULL when the
 *   session is not tracked
 */
GtkWidget *
pw_window_show_requests (PwWindow *self, const char *session_id)
{
  PwSession *session;
  GtkWidget *inspector;

  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  session = pw_tracker_lookup (self->tracker, session_id);
  if (session == NULL)
    return NULL;

  inspector = pw_inspector_new (GTK_WINDOW (self), self->tracker, self->history, session);
  gtk_window_present (GTK_WINDOW (inspector));

  return inspector;
}
