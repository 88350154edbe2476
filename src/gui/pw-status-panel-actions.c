/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-exchange-text.h"
#include "pw-status-panel-private.h"

/* The panel.* actions (go to session, copy, acknowledge, export, clear),
 * enabled as the selection and the log change, and what they rest on: the
 * events as text and the export to a file. */

/* Helpers */

void
pw_status_panel_toast (PwStatusPanel *self, const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (PwStatusPanel *self, const char *heading, const char *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
suggested_file_name (PwExportFormat format)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_strdup_printf ("playwave-events-%s.%s", stamp,
                          format == PW_EXPORT_CSV ? "csv" : "jsonl");
}

/* Callbacks */

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);
  GFile *file = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  guint n_events = 0;

  if (!pw_status_panel_export_finish (self, result, &n_events, &error))
    {
      message = g_strdup_printf (
          /* Translators: %s is a file name, then why it failed */
          _ ("“%s” could not be written: %s"), name, error->message);
      show_error (self, _ ("Could Not Export the Events"), message);
    }
  else
    {
      message = g_strdup_printf (
          /* Translators: "Exported 42 events to “events.jsonl”" */
          ngettext ("Exported %u event to “%s”", "Exported %u events to “%s”", n_events),
          n_events, name);
      pw_status_panel_toast (self, message);
    }

  g_object_unref (file);
}

static void
chooser_response_cb (PwStatusPanel *self, int response, GtkNativeDialog *chooser)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL)
    pw_status_panel_export_async (self, file, self->chooser_format, NULL, export_done_cb,
                                  g_object_ref (file));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
export_written_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, GPOINTER_TO_UINT (g_task_get_task_data (task)));
}

static void
clear_confirmed_cb (AdwMessageDialog *dialog, const char *response, PwStatusPanel *self)
{
  if (g_strcmp0 (response, "clear") == 0)
    pw_event_log_clear (self->log);
}

static void
go_to_session_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (!gtk_bitset_is_empty (selected))
    pw_status_panel_activate (self, gtk_bitset_get_minimum (selected));
}

static void
copy_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);
  g_autoptr (GPtrArray) selected = pw_status_panel_dup_selected (self);
  g_autofree char *text = pw_status_panel_dup_selected_text (self);
  g_autofree char *message = NULL;

  if (selected->len == 0)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  message = g_strdup_printf (
      ngettext ("%u event copied", "%u events copied", selected->len), selected->len);
  pw_status_panel_toast (self, message);
}

static void
acknowledge_selected_activated (GtkWidget *widget,
                                const char *action_name,
                                GVariant *parameter)
{
  pw_status_panel_acknowledge_selected (PW_STATUS_PANEL (widget));
}

static void
acknowledge_all_activated (GtkWidget *widget,
                           const char *action_name,
                           GVariant *parameter)
{
  pw_event_log_acknowledge_all (PW_STATUS_PANEL (widget)->log);
}

static void
export_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;

  self->chooser_format = g_str_equal (format, "csv") ? PW_EXPORT_CSV : PW_EXPORT_JSONL;
  self->chooser = gtk_file_chooser_native_new (
      self->chooser_format == PW_EXPORT_CSV ? _ ("Export Events as CSV")
                                            : _ ("Export Events as JSON Lines"),
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, GTK_FILE_CHOOSER_ACTION_SAVE,
      _ ("_Export"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  if (self->chooser_format == PW_EXPORT_CSV)
    {
      gtk_file_filter_set_name (filter, _ ("CSV"));
      gtk_file_filter_add_pattern (filter, "*.csv");
    }
  else
    {
      gtk_file_filter_set_name (filter, _ ("JSON Lines"));
      gtk_file_filter_add_pattern (filter, "*.jsonl");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  name = suggested_file_name (self->chooser_format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (n_items == 0)
    return;

  heading = g_strdup_printf (ngettext ("Clear %u Event?", "Clear %u Events?", n_items),
                             n_items);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      _ ("The event log is emptied for good. Export it first to keep a copy.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "clear",
                                    _ ("C_lear"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Hooks for pw-status-panel.c */

void
pw_status_panel_actions_update (PwStatusPanel *self)
{
  g_autoptr (GPtrArray) selected = pw_status_panel_dup_selected (self);
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->log)) > 0;
  gboolean one_session =
      selected->len == 1 &&
      pw_event_get_session_id (g_ptr_array_index (selected, 0)) != NULL;

  gtk_widget_action_set_enabled (widget, "panel.go-to-session", one_session);
  gtk_widget_action_set_enabled (widget, "panel.copy", selected->len > 0);
  gtk_widget_action_set_enabled (widget, "panel.acknowledge-selected", selected->len > 0);
  gtk_widget_action_set_enabled (widget, "panel.acknowledge-all",
                                 pw_event_log_get_unacknowledged (self->log) > 0);
  gtk_widget_action_set_enabled (widget, "panel.export", any);
  gtk_widget_action_set_enabled (widget, "panel.clear", any);
}

/**
 * pw_status_panel_dup_event_text:
 *
 * Returns: (transfer full): the event as one line of tab-separated fields
 *   in the columns' order (time in UTC, the kind's machine name), for the
 *   clipboard
 */
char *
pw_status_panel_dup_event_text (PwEvent *event)
{
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree char *time = NULL;
  g_autofree char *status = NULL;
  g_autofree char *count = NULL;
  const char *fields[9];

  g_return_val_if_fail (PW_IS_EVENT (event), NULL);

  time = pw_format_real_time (pw_event_get_last_time_real_us (event), TRUE);
  if (pw_event_get_http_status (event) > 0)
    status = g_strdup_printf ("%u", pw_event_get_http_status (event));
  count = g_strdup_printf ("%u", pw_event_get_count (event));

  fields[0] = time;
  fields[1] = pw_event_get_session_id (event);
  fields[2] = pw_event_get_user_id (event);
  fields[3] = pw_event_kind_to_string (pw_event_get_kind (event));
  fields[4] = status;
  fields[5] = pw_event_get_code (event);
  fields[6] = pw_event_get_request_id (event);
  fields[7] = count;
  fields[8] = pw_event_get_message (event);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gsize start;

      if (i > 0)
        g_string_append_c (line, '\t');
      start = line->len;
      if (fields[i] == NULL)
        continue;
      g_string_append (line, fields[i]);
      /* A tab or newline inside a field would break the line apart. */
      g_strdelimit (line->str + start, "\t\n\r", ' ');
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/**
 * pw_status_panel_dup_selected_text:
 *
 * Returns: (transfer full): the selected events, one
 *   pw_status_panel_dup_event_text() line each, top to bottom
 */
char *
pw_status_panel_dup_selected_text (PwStatusPanel *self)
{
  g_autoptr (GPtrArray) selected = NULL;
  GString *text;

  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), NULL);

  selected = pw_status_panel_dup_selected (self);
  text = g_string_new (NULL);
  for (guint i = 0; i < selected->len; i++)
    {
      g_autofree char *line =
          pw_status_panel_dup_event_text (g_ptr_array_index (selected, i));

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

void
pw_status_panel_acknowledge_selected (PwStatusPanel *self)
{
  g_autoptr (GPtrArray) selected = NULL;

  g_return_if_fail (PW_IS_STATUS_PANEL (self));

  selected = pw_status_panel_dup_selected (self);
  for (guint i = 0; i < selected->len; i++)
    pw_event_set_acknowledged (g_ptr_array_index (selected, i), TRUE);
}

/**
 * pw_status_panel_export_async:
 * @format: JSON Lines (exact) or CSV (formula cells defused)
 *
 * Writes the whole event log to @file, replacing it.
 */
void
pw_status_panel_export_async (PwStatusPanel *self,
                              GFile *file,
                              PwExportFormat format,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GError *error = NULL;
  gboolean ok;

  g_return_if_fail (PW_IS_STATUS_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (format <= PW_EXPORT_CSV);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_status_panel_export_async);
  g_task_set_task_data (
      task, GUINT_TO_POINTER (g_list_model_get_n_items (G_LIST_MODEL (self->log))), NULL);

  stream = g_memory_output_stream_new_resizable ();
  if (format == PW_EXPORT_CSV)
    ok = pw_event_log_export_csv (self->log, stream, cancellable, &error);
  else
    ok = pw_event_log_export_jsonl (self->log, stream, cancellable, &error);
  if (!ok || !g_output_stream_close (stream, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       cancellable, export_written_cb,
                                       g_steal_pointer (&task));
}

/**
 * pw_status_panel_export_finish:
 * @n_events: (out) (optional): how many events were written
 */
gboolean
pw_status_panel_export_finish (PwStatusPanel *self,
                               GAsyncResult *result,
                               guint *n_events,
                               GError **error)
{
  gssize n;

  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == pw_status_panel_export_async, FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;

  if (n_events != NULL)
    *n_events = (guint) n;
  return TRUE;
}

void
pw_status_panel_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "panel.go-to-session", NULL,
                                   go_to_session_activated);
  gtk_widget_class_install_action (widget_class, "panel.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "panel.acknowledge-selected", NULL,
                                   acknowledge_selected_activated);
  gtk_widget_class_install_action (widget_class, "panel.acknowledge-all", NULL,
                                   acknowledge_all_activated);
  gtk_widget_class_install_action (widget_class, "panel.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "panel.clear", NULL, clear_activated);

  /* While the focus is in the panel, Ctrl+C copies events, not session ids. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "panel.copy", NULL);
}

void
pw_status_panel_actions_dispose (PwStatusPanel *self)
{
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
}
