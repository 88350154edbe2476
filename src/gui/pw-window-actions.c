/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-add-dialog.h"
#include "pw-end-dialog.h"
#include "pw-exchange.h"
#include "pw-format.h"
#include "pw-window-private.h"

/* The win.* actions: installed on the class, enabled as the selection
 * changes, each with a toast saying what happened. The tracker logs the
 * protocol side of everything in the event log already; toasts only
 * answer "did my click do something". Outcomes that come later (the answer
 * to "Heartbeat now", the end of a session) are toasted when they arrive.
 */

/* Helpers */

/**
 * pw_window_dup_selected:
 *
 * Returns: (transfer container) (element-type PwSession): the selected
 *   sessions, top to bottom
 */
GPtrArray *
pw_window_dup_selected (PwWindow *self)
{
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *sessions = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (sessions,
                     g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return sessions;
}

static gboolean
can_end (PwSession *session)
{
  PwSessionState state = pw_session_get_state (session);

  return pw_session_state_is_live (state) || state == PW_SESSION_STATE_END_FAILED;
}

static char *
join_ids (GPtrArray *sessions, const char *(*get) (PwSession *) )
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < sessions->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, get (g_ptr_array_index (sessions, i)));
    }

  return g_string_free (text, FALSE);
}

static void toast_printf (PwWindow *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
toast_printf (PwWindow *self, const char *format, ...)
{
  g_autofree char *title = NULL;
  va_list args;

  va_start (args, format);
  title = g_strdup_vprintf (format, args);
  va_end (args);

  pw_window_add_toast (self, title);
}

static void
set_paused (PwWindow *self, gboolean paused)
{
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  const char *last_id = NULL;
  guint n = 0;

  for (guint i = 0; i < sessions->len; i++)
    {
      PwSession *session = g_ptr_array_index (sessions, i);

      if (!pw_session_state_is_live (pw_session_get_state (session)) ||
          pw_session_get_paused (session) == paused)
        continue;
      if (pw_tracker_set_paused (self->tracker, pw_session_get_id (session), paused))
        {
          last_id = pw_session_get_id (session);
          n++;
        }
    }

  if (n == 1 && paused)
    toast_printf (self, _ ("Heartbeats paused for “%s”"), last_id);
  else if (n == 1)
    toast_printf (self, _ ("Heartbeats resumed for “%s”"), last_id);
  else if (n > 1 && paused)
    toast_printf (self,
                  ngettext ("Heartbeats paused for %u session",
                            "Heartbeats paused for %u sessions", n),
                  n);
  else if (n > 1)
    toast_printf (self,
                  ngettext ("Heartbeats resumed for %u session",
                            "Heartbeats resumed for %u sessions", n),
                  n);
  else
    pw_window_add_toast (self, _ ("Only live sessions can be paused or resumed"));
}

static void
end_sessions (PwWindow *self, GPtrArray *sessions)
{
  guint n = 0;

  for (guint i = 0; i < sessions->len; i++)
    {
      PwSession *session = g_ptr_array_index (sessions, i);
      const char *id = pw_session_get_id (session);

      if (!can_end (session))
        continue;
      g_hash_table_add (self->batch_ending, g_strdup (id));
      if (pw_tracker_end_session (self->tracker, id, PW_TRACKER_DURATION_AUTO))
        n++;
      else
        g_hash_table_remove (self->batch_ending, id);
    }

  if (n > 0)
    toast_printf (self, ngettext ("Ending %u session…", "Ending %u sessions…", n), n);
}

static void
batch_step (PwWindow *self, const char *session_id, gboolean ended)
{
  if (!g_hash_table_remove (self->batch_ending, session_id))
    return;

  if (ended)
    self->batch_ended++;
  else
    self->batch_failed++;

  if (g_hash_table_size (self->batch_ending) > 0)
    return;

  if (self->batch_failed == 0)
    toast_printf (self,
                  ngettext ("Ended %u session", "Ended %u sessions", self->batch_ended),
                  self->batch_ended);
  else
    toast_printf (self,
                  /* Translators: "Ended 4 sessions, 1 failed"; the plural
                   * follows the first number */
                  ngettext ("Ended %u session, %u failed", "Ended %u sessions, %u failed",
                            self->batch_ended),
                  self->batch_ended, self->batch_failed);
  self->batch_ended = 0;
  self->batch_failed = 0;
}

/* Callbacks */

static void
sessions_added_cb (PwWindow *self, guint n)
{
  if (n > 0)
    toast_printf (self, ngettext ("Added %u session", "Added %u sessions", n), n);
}

static void
end_confirmed_cb (AdwMessageDialog *dialog, const char *response, PwWindow *self)
{
  GPtrArray *sessions = g_object_get_data (G_OBJECT (dialog), "pw-sessions");

  if (g_strcmp0 (response, "end") == 0 && sessions != NULL)
    end_sessions (self, sessions);
}

static void
untrack_confirmed_cb (AdwMessageDialog *dialog, const char *response, PwWindow *self)
{
  GPtrArray *sessions = g_object_get_data (G_OBJECT (dialog), "pw-sessions");
  guint n = 0;

  if (g_strcmp0 (response, "stop") != 0 || sessions == NULL)
    return;

  for (guint i = 0; i < sessions->len; i++)
    {
      const char *id = pw_session_get_id (g_ptr_array_index (sessions, i));

      if (pw_tracker_untrack (self->tracker, id))
        {
          pw_exchange_history_forget (self->history, id);
          n++;
        }
    }

  toast_printf (
      self, ngettext ("Stopped tracking %u session", "Stopped tracking %u sessions", n),
      n);
}

/* Actions */

static void
add_sessions_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  const char *default_name = NULL;
  g_auto (GStrv) connections = pw_window_dup_connection_names (self, &default_name);
  GtkWidget *dialog;

  dialog = pw_add_dialog_new (GTK_WINDOW (self), self->tracker,
                              (const char *const *) connections, default_name);
  g_signal_connect_object (dialog, "sessions-added", G_CALLBACK (sessions_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
heartbeat_now_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  const char *last_id = NULL;
  guint n = 0;

  for (guint i = 0; i < sessions->len; i++)
    {
      PwSession *session = g_ptr_array_index (sessions, i);

      if (!pw_session_state_is_live (pw_session_get_state (session)))
        continue;
      if (pw_tracker_heartbeat_now (self->tracker, pw_session_get_id (session)))
        {
          last_id = pw_session_get_id (session);
          n++;
        }
    }

  if (n == 1)
    {
      /* The answer gets its own toast when it comes. */
      g_hash_table_add (self->pending_heartbeats, g_strdup (last_id));
      toast_printf (self, _ ("Heartbeat sent for “%s”"), last_id);
    }
  else if (n > 1)
    {
      toast_printf (self,
                    ngettext ("Heartbeat sent for %u session",
                              "Heartbeats sent for %u sessions", n),
                    n);
    }
  else
    {
      pw_window_add_toast (self, _ ("No heartbeat sent: the session is no longer live"));
    }
}

static void
end_session_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (GPtrArray) selected = pw_window_dup_selected (self);
  g_autoptr (GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  for (guint i = 0; i < selected->len; i++)
    if (can_end (g_ptr_array_index (selected, i)))
      g_ptr_array_add (sessions, g_object_ref (g_ptr_array_index (selected, i)));

  if (sessions->len == 0)
    {
      pw_window_add_toast (self, _ ("Nothing to end: the selected sessions are over"));
      return;
    }

  /* One session: the end dialog, where the duration can be edited. */
  if (sessions->len == 1)
    {
      GtkWidget *end_dialog = pw_end_dialog_new (GTK_WINDOW (self), self->tracker,
                                                 g_ptr_array_index (sessions, 0));

      gtk_window_present (GTK_WINDOW (end_dialog));
      return;
    }

  /* Several: one confirmation, automatic durations. */
  heading = g_strdup_printf (
      ngettext ("End %u Session?", "End %u Sessions?", sessions->len), sessions->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("Each session is ended with the play time measured here when it was tracked "
         "from "
         "its start, and without one otherwise. The players are no longer billed.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "end",
                                    _ ("_End Sessions"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pw-sessions", g_steal_pointer (&sessions),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (end_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toggle_pause_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  gboolean pause = FALSE;

  /* Pause if any selected live session is running, else resume. */
  for (guint i = 0; i < sessions->len; i++)
    if (pw_session_is_heartbeating (g_ptr_array_index (sessions, i)))
      pause = TRUE;

  set_paused (self, pause);
}

static void
pause_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  set_paused (PW_WINDOW (widget), TRUE);
}

static void
resume_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  set_paused (PW_WINDOW (widget), FALSE);
}

static void
copy_ids (PwWindow *self, gboolean user_ids)
{
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  g_autofree char *text = NULL;

  if (sessions->len == 0)
    return;

  text = join_ids (sessions, user_ids ? pw_session_get_user_id : pw_session_get_id);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);

  if (sessions->len == 1 && user_ids)
    toast_printf (self, _ ("User id “%s” copied"), text);
  else if (sessions->len == 1)
    toast_printf (self, _ ("Session id “%s” copied"), text);
  else if (user_ids)
    toast_printf (self,
                  ngettext ("%u user id copied", "%u user ids copied", sessions->len),
                  sessions->len);
  else
    toast_printf (
        self, ngettext ("%u session id copied", "%u session ids copied", sessions->len),
        sessions->len);
}

static void
copy_session_id_activated (GtkWidget *widget,
                           const char *action_name,
                           GVariant *parameter)
{
  copy_ids (PW_WINDOW (widget), FALSE);
}

static void
copy_user_id_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  copy_ids (PW_WINDOW (widget), TRUE);
}

static void
stop_tracking_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  guint n_live = 0;

  if (sessions->len == 0)
    return;

  for (guint i = 0; i < sessions->len; i++)
    if (pw_session_state_is_live (pw_session_get_state (g_ptr_array_index (sessions, i))))
      n_live++;

  heading = g_strdup_printf (
      ngettext ("Stop Tracking %u Session?", "Stop Tracking %u Sessions?", sessions->len),
      sessions->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      n_live > 0
          ? _ ("Live sessions are not ended: they get no more heartbeats from here, and "
               "the server deletes them 4 minutes after the last one.")
          : _ ("They are removed from the list. Their events stay in the log.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "stop",
                                    _ ("_Stop Tracking"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pw-sessions", g_steal_pointer (&sessions),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (untrack_confirmed_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_details_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  adw_flap_set_reveal_flap (PW_WINDOW (widget)->flap, TRUE);
}

static void
toggle_details_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
search_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_row_menu_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  graphene_point_t point = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t out;
  GdkRectangle rect;

  if (gtk_bitset_is_empty (selected))
    return;

  /* Point at the focused row when it is in the list, else the list's top. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)) &&
      gtk_widget_compute_point (focus, GTK_WIDGET (self->column_view), &point, &out))
    rect = (GdkRectangle){ (int) out.x + 24,
                           (int) out.y + gtk_widget_get_height (focus) / 2, 1, 1 };
  else
    rect = (GdkRectangle){ 24, 48, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
}

static void
fix_key_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  pw_window_fix_key (PW_WINDOW (widget));
}

static void
dismiss_key_banner_activated (GtkWidget *widget,
                              const char *action_name,
                              GVariant *parameter)
{
  gtk_revealer_set_reveal_child (PW_WINDOW (widget)->unauthorized_revealer, FALSE);
}

static void
retry_now_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  GListModel *sessions = pw_tracker_get_sessions (self->tracker);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);

      if (pw_session_is_heartbeating (session) && pw_session_get_retrying (session) &&
          pw_tracker_heartbeat_now (self->tracker, pw_session_get_id (session)))
        n++;
    }

  toast_printf (self,
                /* Translators: after "Retry Now": heartbeats sent at once to
                 * the sessions whose heartbeats were failing */
                ngettext ("Retrying %u session", "Retrying %u sessions", n), n);
}

/* Outcomes */

void
pw_window_actions_session_exchange (PwWindow *self,
                                    PwSession *session,
                                    PwExchange *exchange)
{
  const char *id = pw_session_get_id (session);
  const GError *error;

  if (pw_exchange_get_kind (exchange) != PW_REQUEST_HEARTBEAT ||
      !g_hash_table_remove (self->pending_heartbeats, id))
    return;

  error = pw_exchange_get_error (exchange);
  if (error != NULL)
    /* Translators: %s is the reason, e.g. "The session has ended (410 SESSION_ENDED)" */
    toast_printf (self, _ ("Heartbeat failed: %s"), error->message);
  else
    /* Translators: %s is the server's result, e.g. "OK" or "CHARGE_EXHAUSTED" */
    toast_printf (self, _ ("Heartbeat answered: %s"),
                  pw_exchange_get_result_name (exchange));
}

void
pw_window_actions_session_event (PwWindow *self, PwEvent *event)
{
  const char *id = pw_event_get_session_id (event);
  PwEventKind kind = pw_event_get_kind (event);
  g_autofree char *drift = NULL;
  PwSession *session;

  if (id == NULL || (kind != PW_EVENT_ENDED && kind != PW_EVENT_ALREADY_CLEANED_UP &&
                     kind != PW_EVENT_END_FAILED))
    return;

  /* Quitting: the progress dialog speaks. */
  if (self->ending_progress != NULL)
    return;

  if (g_hash_table_contains (self->batch_ending, id))
    {
      batch_step (self, id, kind != PW_EVENT_END_FAILED);
      return;
    }

  session = pw_tracker_lookup (self->tracker, id);
  if (kind == PW_EVENT_ENDED && session != NULL)
    drift = pw_format_drift (pw_session_get_end_server_sec (session),
                             pw_session_get_end_client_sec (session));

  if (kind == PW_EVENT_ENDED && drift != NULL)
    /* Translators: "Session “gs_1” ended: drift +2 s" (client minus server time) */
    toast_printf (self, _ ("Session “%s” ended: drift %s"), id, drift);
  else if (kind == PW_EVENT_ENDED)
    toast_printf (self, _ ("Session “%s” ended"), id);
  else if (kind == PW_EVENT_ALREADY_CLEANED_UP)
    toast_printf (self, _ ("Session “%s” was already cleaned up on the server"), id);
  else
    toast_printf (self, _ ("Could not end session “%s”"), id);
}

/**
 * pw_window_actions_update:
 *
 * Enables the actions that apply to the selection.
 */
void
pw_window_actions_update (PwWindow *self)
{
  g_autoptr (GPtrArray) sessions = pw_window_dup_selected (self);
  gboolean any_live = FALSE, any_endable = FALSE, any_running = FALSE, any_paused = FALSE;
  GtkWidget *widget = GTK_WIDGET (self);

  for (guint i = 0; i < sessions->len; i++)
    {
      PwSession *session = g_ptr_array_index (sessions, i);
      gboolean live = pw_session_state_is_live (pw_session_get_state (session));

      any_live |= live;
      any_endable |= can_end (session);
      any_running |= live && !pw_session_get_paused (session);
      any_paused |= live && pw_session_get_paused (session);
    }

  gtk_widget_action_set_enabled (widget, "win.heartbeat-now", any_live);
  gtk_widget_action_set_enabled (widget, "win.end-session", any_endable);
  gtk_widget_action_set_enabled (widget, "win.toggle-pause", any_live);
  gtk_widget_action_set_enabled (widget, "win.pause", any_running);
  gtk_widget_action_set_enabled (widget, "win.resume", any_paused);
  gtk_widget_action_set_enabled (widget, "win.copy-session-id", sessions->len > 0);
  gtk_widget_action_set_enabled (widget, "win.copy-user-id", sessions->len > 0);
  gtk_widget_action_set_enabled (widget, "win.stop-tracking", sessions->len > 0);
  gtk_widget_action_set_enabled (widget, "win.show-row-menu", sessions->len > 0);
  pw_window_events_update (self);
}

void
pw_window_actions_init (PwWindow *self)
{
  pw_window_actions_update (self);
}

void
pw_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-sessions", NULL,
                                   add_sessions_activated);
  gtk_widget_class_install_action (widget_class, "win.heartbeat-now", NULL,
                                   heartbeat_now_activated);
  gtk_widget_class_install_action (widget_class, "win.end-session", NULL,
                                   end_session_activated);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL,
                                   toggle_pause_activated);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_activated);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, resume_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-session-id", NULL,
                                   copy_session_id_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-user-id", NULL,
                                   copy_user_id_activated);
  gtk_widget_class_install_action (widget_class, "win.stop-tracking", NULL,
                                   stop_tracking_activated);
  gtk_widget_class_install_action (widget_class, "win.show-details", NULL,
                                   show_details_activated);
  gtk_widget_class_install_action (widget_class, "win.toggle-details", NULL,
                                   toggle_details_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.show-row-menu", NULL,
                                   show_row_menu_activated);
  gtk_widget_class_install_action (widget_class, "win.fix-key", NULL, fix_key_activated);
  gtk_widget_class_install_action (widget_class, "win.dismiss-key-banner", NULL,
                                   dismiss_key_banner_activated);
  gtk_widget_class_install_action (widget_class, "win.retry-now", NULL,
                                   retry_now_activated);
  gtk_widget_class_install_property_action (widget_class, "win.freeze-order",
                                            "freeze-order");

  /* Class shortcuts run after the focused widget had its say, so Ctrl+C
   * and Delete still edit text in the search entry. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-sessions", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.heartbeat-now",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.end-session",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "win.end-session", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.toggle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "win.copy-session-id", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-user-id", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-details",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "win.show-row-menu",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "win.show-row-menu", NULL);
}
