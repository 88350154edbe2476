/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pw-column-view.h"
#include "pw-event-columns.h"
#include "pw-format.h"
#include "pw-status-panel-private.h"

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
GPtrArray *
pw_status_panel_dup_selected (PwStatusPanel *self)
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
  pw_status_panel_actions_update (self);
}

/* GTK 4.8's lists keep showing the rows they showed when rows arrive above
 * them. Newest first, that would put every new event just out of sight
 * above a panel that was showing the newest ones: like a log viewer, a
 * panel at its top stays at its top. One scrolled down (reading older
 * events) is left where it is. */
static void
follow_newest_cb (PwStatusPanel *self, guint position, guint removed, guint added)
{
  GtkAdjustment *vadjustment =
      gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  if (position != 0 || added == 0 || vadjustment == NULL ||
      gtk_adjustment_get_value (vadjustment) > gtk_adjustment_get_lower (vadjustment))
    return;

  pw_column_view_scroll_to (self->column_view, 0);
}

/* Actions */

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
  /* After the list view's own handler, which moves its anchor. */
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (follow_newest_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "items-changed", G_CALLBACK (models_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::unacknowledged",
                           G_CALLBACK (models_changed_cb), self, G_CONNECT_SWAPPED);

  update_page (self);
  pw_status_panel_actions_update (self);
}

static void
pw_status_panel_dispose (GObject *object)
{
  PwStatusPanel *self = PW_STATUS_PANEL (object);

  g_clear_handle_id (&self->fit_idle_id, g_source_remove);
  pw_status_panel_actions_dispose (self);
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

  pw_status_panel_actions_class_init (widget_class);
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
