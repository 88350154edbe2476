/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pw-event-columns.h"
#include "pw-exchange-text.h"
#include "pw-format.h"
#include "pw-status-panel.h"

/* The status panel (SPEC.md, "Status panel"): the tracker's PwEventLog
 * through a filter (kind, and a search on session or request id), a sort
 * (newest first unless a header is clicked) and a multi-selection, shown by
 * a GtkColumnView whose columns come from pw-event-columns.c.
 *
 * The log folds repeats of a (session, kind) into one row and moves it to
 * the end: for the sort model that is a removal and an addition, so a
 * folded row goes back to the top by its new time without the panel doing
 * anything. Acknowledging changes a property only (cells follow it).
 *
 * Activating a row (double click, Enter, "Go to Session") acknowledges it
 * and emits ::session-activated; the window selects that session. Export
 * writes the whole log, whatever the filter shows, because it is the
 * record: it is made in memory (a few milliseconds for the 5,000 rows the
 * log holds at most) and written with g_file_replace_contents_bytes_async(),
 * so the file appears whole or not at all. */

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

G_DEFINE_FINAL_TYPE (PwStatusPanel, pw_status_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_TICKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SESSION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The kind drop-down: "All", "Needs attention", then every kind. */
#define DROPDOWN_FIRST_KIND 2

/* Helpers */

static void
toast (PwStatusPanel *self, const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
kind_filter_func (gpointer item, gpointer user_data)
{
  PwStatusPanel *self = user_data;
  PwEventKind kind = pw_event_get_kind (PW_EVENT (item));

  switch (self->filter)
    {
      case PW_STATUS_FILTER_IMPORTANT:
        return pw_event_kind_is_important (kind);
      case PW_STATUS_FILTER_KIND:
        return kind == self->filter_kind;
      case PW_STATUS_FILTER_ALL:
      default:
        return TRUE;
    }
}

/* The selected events, top to bottom. */
static GPtrArray *
dup_selected (PwStatusPanel *self)
{
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (events,
                     g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return events;
}

static void
update_page (PwStatusPanel *self)
{
  const char *page = "list";

  if (g_list_model_get_n_items (G_LIST_MODEL (self->log)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    page = "no-results";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_actions (PwStatusPanel *self)
{
  g_autoptr (GPtrArray) selected = dup_selected (self);
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
search_changed_cb (PwStatusPanel *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_string_filter_set_search (self->session_filter, text);
  gtk_string_filter_set_search (self->request_filter, text);
}

static void
kind_dropdown_changed_cb (PwStatusPanel *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0)
    pw_status_panel_set_filter (self, PW_STATUS_FILTER_ALL, 0);
  else if (selected == 1)
    pw_status_panel_set_filter (self, PW_STATUS_FILTER_IMPORTANT, 0);
  else
    pw_status_panel_set_filter (self, PW_STATUS_FILTER_KIND,
                                (PwEventKind) (selected - DROPDOWN_FIRST_KIND));
}

static void
row_activated_cb (PwStatusPanel *self, guint position)
{
  pw_status_panel_activate (self, position);
}

static void
models_changed_cb (PwStatusPanel *self)
{
  update_page (self);
  update_actions (self);
}

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
      /* Translators: %s is a file name, then why it failed */
      message =
          g_strdup_printf (_ ("“%s” could not be written: %s"), name, error->message);
      show_error (self, _ ("Could Not Export the Events"), message);
    }
  else
    {
      /* Translators: "Exported 42 events to “events.jsonl”" */
      message = g_strdup_printf (
          ngettext ("Exported %u event to “%s”", "Exported %u events to “%s”", n_events),
          n_events, name);
      toast (self, message);
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

/* Actions */

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
  g_autoptr (GPtrArray) selected = dup_selected (self);
  g_autofree char *text = pw_status_panel_dup_selected_text (self);
  g_autofree char *message = NULL;

  if (selected->len == 0)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  message = g_strdup_printf (
      ngettext ("%u event copied", "%u events copied", selected->len), selected->len);
  toast (self, message);
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

static gboolean
fit_idle_cb (gpointer user_data)
{
  PwStatusPanel *self = user_data;

  self->fit_idle_id = 0;
  pw_event_columns_fit (self->column_view, self->last_width);

  return G_SOURCE_REMOVE;
}

/* Overrides */

/* No layout manager (one would take over allocation): the one child gets
 * all the room, and the width decides the columns. */
static void
pw_status_panel_measure (GtkWidget *widget,
                         GtkOrientation orientation,
                         int for_size,
                         int *minimum,
                         int *natural,
                         int *minimum_baseline,
                         int *natural_baseline)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);

  gtk_widget_measure (GTK_WIDGET (self->toast_overlay), orientation, for_size, minimum,
                      natural, minimum_baseline, natural_baseline);
}

static void
pw_status_panel_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PwStatusPanel *self = PW_STATUS_PANEL (widget);

  gtk_widget_allocate (GTK_WIDGET (self->toast_overlay), width, height, baseline, NULL);

  /* Which columns fit depends on the width; changing them queues a
   * resize, which must not happen during allocation. */
  if (width != self->last_width)
    {
      self->last_width = width;
      if (self->fit_idle_id == 0)
        self->fit_idle_id = g_idle_add (fit_idle_cb, self);
    }
}

static void
pw_status_panel_constructed (GObject *object)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);
  g_autoptr (GtkAnyFilter) search_filter = NULL;
  g_autoptr (GtkStringList) kinds = NULL;
  GtkEveryFilter *every_filter;
  GtkSorter *view_sorter;

  G_OBJECT_CLASS (pw_status_panel_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  g_assert (PW_IS_TICKER (self->ticker));
  self->log = g_object_ref (pw_tracker_get_events (self->tracker));

  /* Models: log → filter (kind, search) → sort → selection. */
  self->session_filter = gtk_string_filter_new (
      gtk_property_expression_new (PW_TYPE_EVENT, NULL, "session-id"));
  self->request_filter = gtk_string_filter_new (
      gtk_property_expression_new (PW_TYPE_EVENT, NULL, "request-id"));
  search_filter = gtk_any_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (search_filter),
                           g_object_ref (GTK_FILTER (self->session_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (search_filter),
                           g_object_ref (GTK_FILTER (self->request_filter)));
  self->kind_filter = gtk_custom_filter_new (NULL, NULL, NULL);
  every_filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter),
                           GTK_FILTER (g_steal_pointer (&search_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter),
                           g_object_ref (GTK_FILTER (self->kind_filter)));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->log)),
                                                  GTK_FILTER (every_filter));

  pw_event_columns_install (self->column_view, self->tracker, self->ticker);
  view_sorter = gtk_column_view_get_sorter (self->column_view);
  self->sort_model = gtk_sort_list_model_new (
      g_object_ref (G_LIST_MODEL (self->filter_model)), g_object_ref (view_sorter));
  self->selection =
      gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (
      self->column_view, pw_event_columns_get (self->column_view, PW_EVENT_COLUMN_TIME),
      GTK_SORT_DESCENDING);

  /* The kind filter's choices. */
  kinds = gtk_string_list_new (NULL);
  /* Translators: kind filter of the status panel */
  gtk_string_list_append (kinds, C_ ("event filter", "All Events"));
  /* Translators: kind filter: the kinds the badge counts */
  gtk_string_list_append (kinds, C_ ("event filter", "Needs Attention"));
  for (guint kind = 0; kind <= PW_EVENT_STATE_FILE_DAMAGED; kind++)
    gtk_string_list_append (kinds, pw_event_kind_get_label (kind));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (models_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (models_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "items-changed", G_CALLBACK (models_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::unacknowledged",
                           G_CALLBACK (models_changed_cb), self, G_CONNECT_SWAPPED);

  update_page (self);
  update_actions (self);
}

static void
pw_status_panel_dispose (GObject *object)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);

  g_clear_handle_id (&self->fit_idle_id, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_STATUS_PANEL);

  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->kind_filter);
  g_clear_object (&self->session_filter);
  g_clear_object (&self->request_filter);
  g_clear_object (&self->log);
  g_clear_object (&self->ticker);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_status_panel_parent_class)->dispose (object);
}

static void
pw_status_panel_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_TICKER:
        g_value_set_object (value, self->ticker);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_status_panel_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_TICKER:
        self->ticker = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_status_panel_class_init (PwStatusPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = pw_status_panel_constructed;
  object_class->dispose = pw_status_panel_dispose;
  object_class->get_property = pw_status_panel_get_property;
  object_class->set_property = pw_status_panel_set_property;
  widget_class->measure = pw_status_panel_measure;
  widget_class->size_allocate = pw_status_panel_size_allocate;

  properties[PROP_TRACKER] =
      g_param_spec_object ("tracker", NULL, NULL, PW_TYPE_TRACKER, construct);
  properties[PROP_TICKER] =
      g_param_spec_object ("ticker", NULL, NULL, PW_TYPE_TICKER, construct);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwStatusPanel::session-activated:
   * @session_id: the session of the activated event
   *
   * The user asked to see the session of an event.
   */
  signals[SIGNAL_SESSION_ACTIVATED] =
      g_signal_new ("session-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "pwstatuspanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-status-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PwStatusPanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwStatusPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PwStatusPanel, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PwStatusPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PwStatusPanel, column_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_dropdown_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

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

static void
pw_status_panel_init (PwStatusPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * pw_status_panel_new:
 *
 * Returns: (transfer floating): a panel over @tracker's event log, its
 *   grace countdowns following @ticker
 */
GtkWidget *
pw_status_panel_new (PwTracker *tracker, PwTicker *ticker)
{
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_TICKER (ticker), NULL);

  return g_object_new (PW_TYPE_STATUS_PANEL, "tracker", tracker, "ticker", ticker, NULL);
}

GtkColumnView *
pw_status_panel_get_column_view (PwStatusPanel *self)
{
  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), NULL);

  return self->column_view;
}

/**
 * pw_status_panel_get_selection:
 *
 * Returns: (transfer none): the events shown, filtered and sorted
 */
GtkSelectionModel *
pw_status_panel_get_selection (PwStatusPanel *self)
{
  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * pw_status_panel_get_page:
 *
 * Returns: "list", "empty" (no events at all) or "no-results"
 */
const char *
pw_status_panel_get_page (PwStatusPanel *self)
{
  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
pw_status_panel_set_search_text (PwStatusPanel *self, const char *text)
{
  g_return_if_fail (PW_IS_STATUS_PANEL (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Not waiting for the entry's search delay. */
  search_changed_cb (self, self->search_entry);
}

/**
 * pw_status_panel_set_filter:
 * @kind: the kind shown with %PW_STATUS_FILTER_KIND, else ignored
 */
void
pw_status_panel_set_filter (PwStatusPanel *self, PwStatusFilter filter, PwEventKind kind)
{
  guint position;

  g_return_if_fail (PW_IS_STATUS_PANEL (self));
  g_return_if_fail (filter <= PW_STATUS_FILTER_KIND);
  g_return_if_fail (kind <= PW_EVENT_STATE_FILE_DAMAGED);

  if (filter != PW_STATUS_FILTER_KIND)
    kind = 0;
  if (self->filter == filter && self->filter_kind == kind)
    return;

  self->filter = filter;
  self->filter_kind = kind;

  position =
      filter == PW_STATUS_FILTER_KIND ? DROPDOWN_FIRST_KIND + kind : (guint) filter;
  if (gtk_drop_down_get_selected (self->kind_dropdown) != position)
    gtk_drop_down_set_selected (self->kind_dropdown, position);

  /* No function at all lets the filter model skip "All" cheaply. */
  if (filter == PW_STATUS_FILTER_ALL)
    gtk_custom_filter_set_filter_func (self->kind_filter, NULL, NULL, NULL);
  else
    gtk_custom_filter_set_filter_func (self->kind_filter, kind_filter_func, self, NULL);
}

PwStatusFilter
pw_status_panel_get_filter (PwStatusPanel *self, PwEventKind *kind)
{
  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), PW_STATUS_FILTER_ALL);

  if (kind != NULL)
    *kind = self->filter_kind;
  return self->filter;
}

/**
 * pw_status_panel_activate:
 * @position: a row of pw_status_panel_get_selection()
 *
 * What double-clicking a row does: acknowledges the event and, when it
 * belongs to a session, emits ::session-activated.
 *
 * Returns: %TRUE if the event belongs to a session
 */
gboolean
pw_status_panel_activate (PwStatusPanel *self, guint position)
{
  g_autoptr (PwEvent) event = NULL;
  g_autofree char *session_id = NULL;

  g_return_val_if_fail (PW_IS_STATUS_PANEL (self), FALSE);

  event = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (event == NULL)
    return FALSE;

  pw_event_set_acknowledged (event, TRUE);
  session_id = g_strdup (pw_event_get_session_id (event));
  if (session_id == NULL)
    return FALSE;

  g_signal_emit (self, signals[SIGNAL_SESSION_ACTIVATED], 0, session_id);
  return TRUE;
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

  selected = dup_selected (self);
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

  selected = dup_selected (self);
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
