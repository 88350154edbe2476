/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-event-columns.h"
#include "pw-format.h"

/* The status panel's columns, built like the session list's
 * (pw-session-columns.c, PITFALLS.md "GTK 4.8 lists"): a cell is set up
 * once, bound to an event and unbound as rows scroll; a bound cell follows
 * its event's notify (a repeat folding in changes the count, the time and
 * the answer; acknowledging changes the weight). Only the details cell of
 * an out-of-charge row follows the ticker, and only while its session is
 * still out of charge, so a tick costs the number of visible grace
 * countdowns. Sorters compare fixed values of the events. */

typedef struct _Context Context;

typedef struct
{
  Context *context;
  PwEventColumn column;
} ColumnInfo;

struct _Context
{
  gatomicrefcount ref_count;

  PwTracker *tracker;
  PwTicker *ticker;
  GtkColumnViewColumn *columns[PW_EVENT_N_COLUMNS];
  ColumnInfo infos[PW_EVENT_N_COLUMNS];
  int hidden_widths[PW_EVENT_N_COLUMNS];
  guint n_ticking;
};

/* Columns dropped, in this order, when the panel is too narrow for them
 * and the details beside them: the user and the code say least that the
 * event kind and the session do not. */
static const PwEventColumn hide_order[] = {
  PW_EVENT_COLUMN_USER,
  PW_EVENT_COLUMN_CODE,
  PW_EVENT_COLUMN_COUNT,
  PW_EVENT_COLUMN_STATUS,
};
#define DETAILS_MIN_WIDTH 220

typedef struct
{
  Context *context;
  PwEventColumn column;
  GtkWidget *widget;
  GtkWidget *icon;  /* kind column only */
  GtkWidget *label; /* kind column only */
  const char *style_class;
  PwEvent *event;
  gulong event_handler;
  gulong ticker_handler;
} Cell;

#define CONTEXT_KEY "pw-event-columns"
#define CELL_KEY "pw-event-cell"

/* Helpers */

static Context *
context_ref (Context *context)
{
  g_atomic_ref_count_inc (&context->ref_count);
  return context;
}

static void
context_unref (Context *context)
{
  if (!g_atomic_ref_count_dec (&context->ref_count))
    return;

  g_clear_object (&context->tracker);
  g_clear_object (&context->ticker);
  g_free (context);
}

static Context *
context_get (GtkColumnView *view)
{
  return g_object_get_data (G_OBJECT (view), CONTEXT_KEY);
}

/* The grace deadline an out-of-charge row counts down to, or 0 when its
 * session has left that state (recharged, ended) or is no longer tracked. */
static gint64
grace_deadline_us (PwTracker *tracker, PwEvent *event)
{
  const char *id = pw_event_get_session_id (event);
  PwSession *session;

  if (pw_event_get_kind (event) != PW_EVENT_CHARGE_EXHAUSTED || id == NULL)
    return 0;

  session = pw_tracker_lookup (tracker, id);
  if (session == NULL ||
      pw_session_get_state (session) != PW_SESSION_STATE_CHARGE_EXHAUSTED)
    return 0;

  return MAX (pw_session_get_grace_deadline_us (session), 0);
}

static char *
format_time (gint64 real_us, gboolean full)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) now = NULL;

  if (utc == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (utc);
  if (full)
    return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

  /* Events restored from an earlier day say which day. */
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (now) == g_date_time_get_year (local) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (local))
    return g_date_time_format (local, "%H:%M:%S");

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
time_tooltip (PwEvent *event)
{
  g_autofree char *first = format_time (pw_event_get_time_real_us (event), TRUE);
  g_autofree char *last = NULL;

  if (pw_event_get_count (event) <= 1)
    return g_steal_pointer (&first);

  last = format_time (pw_event_get_last_time_real_us (event), TRUE);
  /* Translators: tooltip of a row that folds repeats: first and last time */
  return g_strdup_printf (_ ("First %s\nLast %s"), first, last);
}

static gboolean
cell_needs_ticks (Cell *cell)
{
  return cell->event != NULL && cell->column == PW_EVENT_COLUMN_DETAILS &&
         grace_deadline_us (cell->context->tracker, cell->event) > 0;
}

static void
set_inscription (GtkWidget *inscription, const char *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (inscription)), text) != 0)
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
}

static void
cell_refresh_kind (Cell *cell)
{
  PwEventKind kind = pw_event_get_kind (cell->event);
  const char *style_class = pw_event_kind_get_style_class (kind);
  gboolean unseen =
      pw_event_kind_is_important (kind) && !pw_event_get_acknowledged (cell->event);

  gtk_image_set_from_icon_name (GTK_IMAGE (cell->icon),
                                pw_event_kind_get_icon_name (kind));
  if (cell->style_class != NULL)
    gtk_widget_remove_css_class (cell->icon, cell->style_class);
  cell->style_class = style_class;
  gtk_widget_add_css_class (cell->icon, style_class);

  set_inscription (cell->label, pw_event_kind_get_label (kind));
  if (unseen)
    gtk_widget_add_css_class (cell->label, "pw-unseen");
  else
    gtk_widget_remove_css_class (cell->label, "pw-unseen");
  gtk_widget_set_tooltip_text (cell->widget, unseen ? _ ("Not acknowledged yet") : NULL);
}

static void
cell_refresh (Cell *cell)
{
  g_autofree char *text = NULL;

  if (cell->event == NULL)
    return;

  if (cell->column == PW_EVENT_COLUMN_KIND)
    {
      cell_refresh_kind (cell);
      return;
    }

  text = pw_event_columns_dup_text (cell->context->tracker, cell->event, cell->column,
                                    pw_ticker_get_now_us (cell->context->ticker));
  set_inscription (cell->widget, text);

  if (cell->column == PW_EVENT_COLUMN_TIME)
    {
      g_autofree char *tooltip = time_tooltip (cell->event);

      gtk_widget_set_tooltip_text (cell->widget, tooltip);
    }
  else if (cell->column == PW_EVENT_COLUMN_DETAILS ||
           cell->column == PW_EVENT_COLUMN_SESSION ||
           cell->column == PW_EVENT_COLUMN_REQUEST_ID)
    {
      /* Ellipsized cells: the tooltip has it all. */
      gtk_widget_set_tooltip_text (cell->widget, g_str_equal (text, "—") ? NULL : text);
    }
}

/* Callbacks */

static void ticker_notify_cb (PwTicker *ticker, GParamSpec *pspec, Cell *cell);

static void
cell_set_ticking (Cell *cell, gboolean ticking)
{
  Context *context = cell->context;

  if (ticking == (cell->ticker_handler != 0))
    return;

  if (ticking)
    {
      cell->ticker_handler = g_signal_connect (context->ticker, "notify::now-us",
                                               G_CALLBACK (ticker_notify_cb), cell);
      context->n_ticking++;
    }
  else
    {
      g_clear_signal_handler (&cell->ticker_handler, context->ticker);
      context->n_ticking--;
    }
}

static void
ticker_notify_cb (PwTicker *ticker, GParamSpec *pspec, Cell *cell)
{
  cell_refresh (cell);
  /* The session may have left the state since: stop counting. */
  cell_set_ticking (cell, cell_needs_ticks (cell));
}

static void
event_notify_cb (PwEvent *event, GParamSpec *pspec, Cell *cell)
{
  cell_refresh (cell);
  cell_set_ticking (cell, cell_needs_ticks (cell));
}

static void
cell_unbind (Cell *cell)
{
  cell_set_ticking (cell, FALSE);
  if (cell->event != NULL)
    g_clear_signal_handler (&cell->event_handler, cell->event);
  g_clear_object (&cell->event);
}

static void
cell_free (Cell *cell)
{
  cell_unbind (cell);
  context_unref (cell->context);
  g_free (cell);
}

static GtkWidget *
make_inscription (guint min_chars,
                  guint nat_chars,
                  float xalign,
                  GtkInscriptionOverflow overflow,
                  const char *css_class)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), nat_chars);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), overflow);
  if (css_class != NULL)
    gtk_widget_add_css_class (inscription, css_class);

  return inscription;
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnInfo *info)
{
  Cell *cell = g_new0 (Cell, 1);
  const GtkInscriptionOverflow middle = GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE;
  const GtkInscriptionOverflow end = GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END;

  cell->context = context_ref (info->context);
  cell->column = info->column;

  switch (info->column)
    {
      case PW_EVENT_COLUMN_TIME:
        cell->widget = make_inscription (8, 8, 0, end, "numeric");
        break;
      case PW_EVENT_COLUMN_SESSION:
        cell->widget = make_inscription (10, 24, 0, middle, "monospace");
        break;
      case PW_EVENT_COLUMN_USER:
        cell->widget = make_inscription (4, 10, 0, end, NULL);
        break;
      case PW_EVENT_COLUMN_KIND:
        cell->widget = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        cell->icon = gtk_image_new ();
        cell->label = make_inscription (8, 20, 0, end, NULL);
        gtk_widget_set_hexpand (cell->label, TRUE);
        gtk_box_append (GTK_BOX (cell->widget), cell->icon);
        gtk_box_append (GTK_BOX (cell->widget), cell->label);
        gtk_accessible_update_state (GTK_ACCESSIBLE (cell->icon),
                                     GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
        break;
      case PW_EVENT_COLUMN_STATUS:
        cell->widget = make_inscription (3, 4, 0, end, "numeric");
        break;
      case PW_EVENT_COLUMN_CODE:
        cell->widget = make_inscription (6, 18, 0, end, NULL);
        break;
      case PW_EVENT_COLUMN_REQUEST_ID:
        cell->widget = make_inscription (6, 20, 0, middle, "monospace");
        break;
      case PW_EVENT_COLUMN_COUNT:
        cell->widget = make_inscription (2, 4, 1, end, "numeric");
        break;
      case PW_EVENT_COLUMN_DETAILS:
        cell->widget = make_inscription (10, 40, 0, end, NULL);
        break;
      case PW_EVENT_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  gtk_widget_add_css_class (cell->widget, "pw-cell");
  g_object_set_data (G_OBJECT (cell->widget), "pw-list-item", item);
  gtk_list_item_set_child (item, cell->widget);
  g_object_set_data_full (G_OBJECT (item), CELL_KEY, cell, (GDestroyNotify) cell_free);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnInfo *info)
{
  Cell *cell = g_object_get_data (G_OBJECT (item), CELL_KEY);
  PwEvent *event = gtk_list_item_get_item (item);

  g_assert (cell != NULL);
  cell_unbind (cell);
  if (event == NULL)
    return;

  cell->event = g_object_ref (event);
  cell->event_handler =
      g_signal_connect (event, "notify", G_CALLBACK (event_notify_cb), cell);
  cell_refresh (cell);
  cell_set_ticking (cell, cell_needs_ticks (cell));
}

static void
unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnInfo *info)
{
  Cell *cell = g_object_get_data (G_OBJECT (item), CELL_KEY);

  if (cell != NULL)
    cell_unbind (cell);
}

static void
teardown_cb (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnInfo *info)
{
  g_object_set_data (G_OBJECT (item), CELL_KEY, NULL);
  gtk_list_item_set_child (item, NULL);
}

static int
kind_key (PwEvent *event)
{
  return event != NULL ? (int) pw_event_get_kind (event) : G_MAXINT;
}

static GtkSorter *
make_sorter (PwEventColumn column)
{
  static const char *const properties[PW_EVENT_N_COLUMNS] = {
    [PW_EVENT_COLUMN_TIME] = "last-time-real-us",
    [PW_EVENT_COLUMN_SESSION] = "session-id",
    [PW_EVENT_COLUMN_USER] = "user-id",
    [PW_EVENT_COLUMN_STATUS] = "http-status",
    [PW_EVENT_COLUMN_CODE] = "code",
    [PW_EVENT_COLUMN_REQUEST_ID] = "request-id",
    [PW_EVENT_COLUMN_COUNT] = "count",
    [PW_EVENT_COLUMN_DETAILS] = "message",
  };
  GtkExpression *expression;

  switch (column)
    {
      case PW_EVENT_COLUMN_KIND:
        expression = gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                                  G_CALLBACK (kind_key), NULL, NULL);
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
      case PW_EVENT_COLUMN_TIME:
      case PW_EVENT_COLUMN_STATUS:
      case PW_EVENT_COLUMN_COUNT:
        expression =
            gtk_property_expression_new (PW_TYPE_EVENT, NULL, properties[column]);
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
      case PW_EVENT_COLUMN_SESSION:
      case PW_EVENT_COLUMN_USER:
      case PW_EVENT_COLUMN_CODE:
      case PW_EVENT_COLUMN_REQUEST_ID:
      case PW_EVENT_COLUMN_DETAILS:
        expression =
            gtk_property_expression_new (PW_TYPE_EVENT, NULL, properties[column]);
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_EVENT_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  return NULL;
}

static const char *
column_title (PwEventColumn column)
{
  switch (column)
    {
      case PW_EVENT_COLUMN_TIME:
        /* Translators: column header: when the event (last) happened */
        return _ ("Time");
      case PW_EVENT_COLUMN_SESSION:
        /* Translators: column header: the game session id */
        return _ ("Session");
      case PW_EVENT_COLUMN_USER:
        /* Translators: column header: the provider user id */
        return _ ("User");
      case PW_EVENT_COLUMN_KIND:
        /* Translators: column header: what happened */
        return _ ("Event");
      case PW_EVENT_COLUMN_STATUS:
        /* Translators: column header: the HTTP status code of the answer */
        return _ ("HTTP");
      case PW_EVENT_COLUMN_CODE:
        /* Translators: column header: the error code or result of the answer */
        return _ ("Code");
      case PW_EVENT_COLUMN_REQUEST_ID:
        /* Translators: column header: the request_id of the answer */
        return _ ("Request ID");
      case PW_EVENT_COLUMN_COUNT:
        /* Translators: column header: how many times it happened ("×3") */
        return C_ ("column", "Count");
      case PW_EVENT_COLUMN_DETAILS:
        /* Translators: column header: the message, or the grace countdown */
        return _ ("Details");
      case PW_EVENT_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  return NULL;
}

/* Public API */

/**
 * pw_event_columns_install:
 *
 * Appends the event columns to @view. The view keeps @tracker and @ticker
 * alive for its cells.
 */
void
pw_event_columns_install (GtkColumnView *view, PwTracker *tracker, PwTicker *ticker)
{
  static const int fixed_widths[PW_EVENT_N_COLUMNS] = {
    [PW_EVENT_COLUMN_TIME] = 80,        [PW_EVENT_COLUMN_SESSION] = 220,
    [PW_EVENT_COLUMN_USER] = 70,        [PW_EVENT_COLUMN_KIND] = 230,
    [PW_EVENT_COLUMN_STATUS] = 55,      [PW_EVENT_COLUMN_CODE] = 140,
    [PW_EVENT_COLUMN_REQUEST_ID] = 140, [PW_EVENT_COLUMN_COUNT] = 60,
    [PW_EVENT_COLUMN_DETAILS] = -1,
  };
  Context *context;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (PW_IS_TRACKER (tracker));
  g_return_if_fail (PW_IS_TICKER (ticker));
  g_return_if_fail (context_get (view) == NULL);

  context = g_new0 (Context, 1);
  g_atomic_ref_count_init (&context->ref_count);
  context->tracker = g_object_ref (tracker);
  context->ticker = g_object_ref (ticker);

  for (guint i = 0; i < PW_EVENT_N_COLUMNS; i++)
    {
      g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autoptr (GtkSorter) sorter = make_sorter (i);
      ColumnInfo *info = &context->infos[i];

      info->context = context;
      info->column = i;
      g_object_set_data_full (G_OBJECT (factory), CONTEXT_KEY, context_ref (context),
                              (GDestroyNotify) context_unref);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), info);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), info);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), info);
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), info);

      column = gtk_column_view_column_new (column_title (i), g_object_ref (factory));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (fixed_widths[i] > 0)
        gtk_column_view_column_set_fixed_width (column, fixed_widths[i]);
      else
        gtk_column_view_column_set_expand (column, TRUE);

      context->columns[i] = column;
      gtk_column_view_append_column (view, column);
    }

  g_object_set_data_full (G_OBJECT (view), CONTEXT_KEY, context,
                          (GDestroyNotify) context_unref);
}

/**
 * pw_event_columns_get:
 *
 * Returns: (transfer none): the column, to sort by it or hide it
 */
GtkColumnViewColumn *
pw_event_columns_get (GtkColumnView *view, PwEventColumn column)
{
  Context *context;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);
  g_return_val_if_fail (column < PW_EVENT_N_COLUMNS, NULL);

  context = context_get (view);
  g_return_val_if_fail (context != NULL, NULL);

  return context->columns[column];
}

/**
 * pw_event_columns_dup_text:
 * @now_us: the tracker's monotonic time, for the grace countdown
 *
 * Returns: (transfer full): what the cell of @column shows for @event
 *   ("—" for nothing, "" for a count of one)
 */
char *
pw_event_columns_dup_text (PwTracker *tracker,
                           PwEvent *event,
                           PwEventColumn column,
                           gint64 now_us)
{
  const char *text = NULL;
  const char *message;
  gint64 grace_us;

  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_EVENT (event), NULL);

  switch (column)
    {
      case PW_EVENT_COLUMN_TIME:
        return format_time (pw_event_get_last_time_real_us (event), FALSE);

      case PW_EVENT_COLUMN_SESSION:
        text = pw_event_get_session_id (event);
        break;

      case PW_EVENT_COLUMN_USER:
        text = pw_event_get_user_id (event);
        break;

      case PW_EVENT_COLUMN_KIND:
        return g_strdup (pw_event_kind_get_label (pw_event_get_kind (event)));

      case PW_EVENT_COLUMN_STATUS:
        if (pw_event_get_http_status (event) > 0)
          return g_strdup_printf ("%u", pw_event_get_http_status (event));
        break;

      case PW_EVENT_COLUMN_CODE:
        text = pw_event_get_code (event);
        break;

      case PW_EVENT_COLUMN_REQUEST_ID:
        text = pw_event_get_request_id (event);
        break;

      case PW_EVENT_COLUMN_COUNT:
        if (pw_event_get_count (event) <= 1)
          return g_strdup ("");
        /* Translators: how many times an event happened, e.g. "×3" */
        return g_strdup_printf (_ ("×%u"), pw_event_get_count (event));

      case PW_EVENT_COLUMN_DETAILS:
        message = pw_event_get_message (event);
        grace_us = grace_deadline_us (tracker, event);
        if (grace_us > 0)
          {
            g_autofree char *countdown = pw_format_countdown (grace_us - now_us);

            if (message == NULL)
              /* Translators: %s is a countdown, "in 1:40" or "now" */
              return g_strdup_printf (_ ("Grace ends %s"), countdown);
            /* Translators: %s is a countdown, "in 1:40" or "now", then the message */
            return g_strdup_printf (_ ("Grace ends %s · %s"), countdown, message);
          }
        text = message;
        break;

      case PW_EVENT_N_COLUMNS:
      default:
        g_return_val_if_reached (NULL);
    }

  return g_strdup (text != NULL && *text != '\0' ? text : "—");
}

static int
column_width (Context *context, PwEventColumn i)
{
  GtkColumnViewColumn *column = context->columns[i];

  if (!gtk_column_view_column_get_visible (column) && context->hidden_widths[i] > 0)
    return context->hidden_widths[i];

  return gtk_column_view_column_get_fixed_width (column);
}

/* GTK 4.8 counts hidden columns in the view's minimum width, so a hidden
 * column also gets a fixed width of 0 (its own is kept to restore). */
static void
set_column_shown (Context *context, PwEventColumn i, gboolean shown)
{
  GtkColumnViewColumn *column = context->columns[i];

  if (gtk_column_view_column_get_visible (column) == shown)
    return;

  if (shown)
    {
      gtk_column_view_column_set_fixed_width (column, context->hidden_widths[i]);
      gtk_column_view_column_set_visible (column, TRUE);
    }
  else
    {
      context->hidden_widths[i] = gtk_column_view_column_get_fixed_width (column);
      gtk_column_view_column_set_visible (column, FALSE);
      gtk_column_view_column_set_fixed_width (column, 0);
    }
}

/**
 * pw_event_columns_fit:
 * @width: the width the view has
 *
 * Hides the least telling columns (user, code, count, HTTP status, in that
 * order) until the rest and the details fit in @width, and shows them
 * again when there is room. Never call it during size allocation: it
 * queues a resize.
 */
void
pw_event_columns_fit (GtkColumnView *view, int width)
{
  Context *context;
  int needed = DETAILS_MIN_WIDTH;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  context = context_get (view);
  g_return_if_fail (context != NULL);

  if (width <= 0)
    return;

  for (guint i = 0; i < PW_EVENT_N_COLUMNS; i++)
    if (i != PW_EVENT_COLUMN_DETAILS)
      needed += column_width (context, i);

  for (guint i = 0; i < G_N_ELEMENTS (hide_order); i++)
    {
      gboolean shown = needed <= width;

      if (!shown)
        needed -= column_width (context, hide_order[i]);
      set_column_shown (context, hide_order[i], shown);
    }
}

/**
 * pw_event_columns_get_n_ticking:
 *
 * Returns: how many cells follow the ticker now (visible grace countdowns)
 */
guint
pw_event_columns_get_n_ticking (GtkColumnView *view)
{
  Context *context;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), 0);

  context = context_get (view);
  return context != NULL ? context->n_ticking : 0;
}
