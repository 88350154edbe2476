/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-format.h"
#include "pw-session-columns.h"
#include "pw-state-badge.h"

/* The session list's columns (PITFALLS.md, "GTK 4.8 lists"):
 *
 * - A GtkColumnView keeps a couple of hundred row widgets whatever the
 *   number of sessions. Every cell is set up once, then bound and unbound
 *   as rows scroll. A bound cell connects to its session's notify (and, for
 *   the two timer columns, to the ticker's notify::now-us) in bind and
 *   disconnects in unbind, so the cost of a tick is the number of bound
 *   timer cells, never the number of sessions.
 * - Timer cells are GtkInscriptions: their size does not follow their text,
 *   so a countdown ticking does not re-measure the row.
 * - Sorters compare stable keys (ids, the state, deadlines), never "time
 *   left", which would change between two comparisons. The window re-sorts
 *   (at most once a tick) when sessions change.
 *
 * Per-cell state lives in a Cell hung on the GtkListItem. */

typedef struct _Context Context;

typedef struct
{
  Context *context;
  PwSessionColumn column;
} ColumnInfo;

struct _Context
{
  gatomicrefcount ref_count;

  PwTracker *tracker;
  PwTicker *ticker;
  GtkColumnViewColumn *columns[PW_SESSION_N_COLUMNS];
  ColumnInfo infos[PW_SESSION_N_COLUMNS];

  guint n_ticking;
  guint64 n_tick_updates;
};

typedef struct
{
  Context *context;
  PwSessionColumn column;
  GtkWidget *widget;
  PwSession *session;
  gulong session_handler;
  gulong ticker_handler;
} Cell;

#define CONTEXT_KEY "pw-session-columns"
#define CELL_KEY "pw-session-cell"

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

static gboolean
column_is_timer (PwSessionColumn column)
{
  return column == PW_SESSION_COLUMN_CLIENT_TIME || column == PW_SESSION_COLUMN_NEXT;
}

typedef enum
{
  DEADLINE_NONE,
  DEADLINE_HEARTBEAT,
  DEADLINE_EXPIRY,
  DEADLINE_GRACE,
} DeadlineKind;

/* The one clock the "Next" column shows (SPEC: next heartbeat due; the
 * expiry estimate when retrying or paused; the CHARGE_EXHAUSTED grace). */
static DeadlineKind
next_deadline (PwSession *session, gint64 *deadline_us)
{
  PwSessionState state = pw_session_get_state (session);
  gint64 us;

  *deadline_us = G_MAXINT64;
  if (!pw_session_state_is_live (state))
    return DEADLINE_NONE;

  us = pw_session_get_grace_deadline_us (session);
  if (state == PW_SESSION_STATE_CHARGE_EXHAUSTED && us > 0)
    {
      *deadline_us = us;
      return DEADLINE_GRACE;
    }

  us = pw_session_get_expiry_deadline_us (session);
  if ((pw_session_get_paused (session) || pw_session_get_retrying (session)) && us > 0)
    {
      *deadline_us = us;
      return DEADLINE_EXPIRY;
    }

  us = pw_session_get_next_due_us (session);
  if (us > 0 && us < G_MAXINT64)
    {
      *deadline_us = us;
      return DEADLINE_HEARTBEAT;
    }

  return DEADLINE_NONE;
}

/* Client time: live sessions count on; ended ones show what was measured
 * at the end; others stop at their last accepted heartbeat. */
static gint64
client_play_sec (PwSession *session, gint64 now_us)
{
  PwSessionState state = pw_session_get_state (session);
  gint64 since_us = pw_session_get_tracked_since_us (session);
  gint64 last_us = pw_session_get_last_success_us (session);

  if (since_us <= 0)
    return -1;
  if (pw_session_state_is_live (state) || state == PW_SESSION_STATE_ENDING)
    return MAX (0, now_us - since_us) / G_USEC_PER_SEC;
  if (pw_session_get_end_client_sec (session) >= 0)
    return pw_session_get_end_client_sec (session);
  if (last_us > since_us)
    return (last_us - since_us) / G_USEC_PER_SEC;

  return -1;
}

static char *
last_result_text (PwSession *session)
{
  guint status = pw_session_get_last_status (session);
  const char *result = pw_session_get_last_result (session);
  const char *code = pw_session_get_last_code (session);

  if (status >= 200 && status < 300 && result != NULL)
    return g_strdup (result);
  if (status > 0 && code != NULL)
    return g_strdup_printf ("%u %s", status, code);
  if (status > 0)
    return g_strdup_printf ("%u", status);
  if (code != NULL)
    return g_strdup (code);

  return NULL;
}

static gboolean
cell_needs_ticks (Cell *cell)
{
  PwSessionState state;
  gint64 deadline_us;

  if (cell->session == NULL || !column_is_timer (cell->column))
    return FALSE;

  state = pw_session_get_state (cell->session);
  if (cell->column == PW_SESSION_COLUMN_CLIENT_TIME)
    return pw_session_state_is_live (state) || state == PW_SESSION_STATE_ENDING;

  return next_deadline (cell->session, &deadline_us) != DEADLINE_NONE;
}

static void
set_text (GtkWidget *inscription, const char *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (inscription)), text) != 0)
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
}

static void
cell_refresh (Cell *cell)
{
  g_autofree char *text = NULL;

  if (cell->session == NULL)
    return;

  if (cell->column == PW_SESSION_COLUMN_STATE)
    {
      PwStateBadge *badge = PW_STATE_BADGE (cell->widget);

      pw_state_badge_set_state (badge, pw_session_get_state (cell->session));
      pw_state_badge_set_paused (badge, pw_session_get_paused (cell->session));
      pw_state_badge_set_retrying (badge, pw_session_get_retrying (cell->session));
      return;
    }

  text = pw_session_columns_dup_text (cell->context->tracker, cell->session, cell->column,
                                      pw_ticker_get_now_us (cell->context->ticker));
  set_text (cell->widget, text);
}

/* Callbacks */

static void
ticker_notify_cb (PwTicker *ticker, GParamSpec *pspec, Cell *cell)
{
  cell->context->n_tick_updates++;
  cell_refresh (cell);
}

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
session_notify_cb (PwSession *session, GParamSpec *pspec, Cell *cell)
{
  cell_refresh (cell);
  cell_set_ticking (cell, cell_needs_ticks (cell));
}

static void
cell_unbind (Cell *cell)
{
  cell_set_ticking (cell, FALSE);
  if (cell->session != NULL)
    g_clear_signal_handler (&cell->session_handler, cell->session);
  g_clear_object (&cell->session);
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
      case PW_SESSION_COLUMN_SESSION:
        cell->widget = make_inscription (12, 30, 0, middle, "monospace");
        break;
      case PW_SESSION_COLUMN_USER:
        cell->widget = make_inscription (6, 10, 0, end, NULL);
        break;
      case PW_SESSION_COLUMN_CONNECTION:
        cell->widget = make_inscription (6, 10, 0, end, NULL);
        break;
      case PW_SESSION_COLUMN_STATE:
        cell->widget = pw_state_badge_new ();
        break;
      case PW_SESSION_COLUMN_CLIENT_TIME:
      case PW_SESSION_COLUMN_SERVER_TIME:
        cell->widget = make_inscription (6, 8, 1, end, "numeric");
        break;
      case PW_SESSION_COLUMN_NEXT:
        cell->widget = make_inscription (8, 16, 0, end, "numeric");
        break;
      case PW_SESSION_COLUMN_LAST_RESULT:
        cell->widget = make_inscription (8, 18, 0, end, NULL);
        break;
      case PW_SESSION_COLUMN_REQUEST_ID:
        cell->widget = make_inscription (8, 20, 0, middle, "monospace");
        break;
      case PW_SESSION_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  gtk_widget_add_css_class (cell->widget, "pw-cell");
  /* For the window's row menu: which row was right-clicked. */
  g_object_set_data (G_OBJECT (cell->widget), "pw-list-item", item);
  gtk_list_item_set_child (item, cell->widget);
  g_object_set_data_full (G_OBJECT (item), CELL_KEY, cell, (GDestroyNotify) cell_free);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnInfo *info)
{
  Cell *cell = g_object_get_data (G_OBJECT (item), CELL_KEY);
  PwSession *session = gtk_list_item_get_item (item);

  g_assert (cell != NULL);
  cell_unbind (cell);
  if (session == NULL)
    return;

  cell->session = g_object_ref (session);
  cell->session_handler =
      g_signal_connect (session, "notify", G_CALLBACK (session_notify_cb), cell);
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

/* Sort keys, evaluated once per item each time the list is sorted. */

static int
state_key (PwSession *session)
{
  return session != NULL ? (int) pw_session_get_state (session) : G_MAXINT;
}

static gint64
next_key (PwSession *session)
{
  gint64 deadline_us = G_MAXINT64;

  if (session != NULL)
    next_deadline (session, &deadline_us);

  return deadline_us;
}

static char *
last_result_key (PwSession *session)
{
  return session != NULL ? last_result_text (session) : NULL;
}

static GtkSorter *
make_sorter (PwSessionColumn column)
{
  GtkExpression *expression;
  GtkSorter *sorter;

  switch (column)
    {
      case PW_SESSION_COLUMN_SESSION:
        expression = gtk_property_expression_new (PW_TYPE_SESSION, NULL, "id");
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_SESSION_COLUMN_USER:
        expression = gtk_property_expression_new (PW_TYPE_SESSION, NULL, "user-id");
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_SESSION_COLUMN_CONNECTION:
        expression = gtk_property_expression_new (PW_TYPE_SESSION, NULL, "connection");
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_SESSION_COLUMN_STATE:
        expression = gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                                  G_CALLBACK (state_key), NULL, NULL);
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
      case PW_SESSION_COLUMN_CLIENT_TIME:
        /* Tracked earlier = more client time: ascending shows the
         * youngest first. */
        expression =
            gtk_property_expression_new (PW_TYPE_SESSION, NULL, "tracked-since-us");
        sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
        gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (sorter),
                                           GTK_SORT_DESCENDING);
        return sorter;
      case PW_SESSION_COLUMN_SERVER_TIME:
        expression =
            gtk_property_expression_new (PW_TYPE_SESSION, NULL, "server-play-sec");
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
      case PW_SESSION_COLUMN_NEXT:
        expression = gtk_cclosure_expression_new (G_TYPE_INT64, NULL, 0, NULL,
                                                  G_CALLBACK (next_key), NULL, NULL);
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
      case PW_SESSION_COLUMN_LAST_RESULT:
        expression = gtk_cclosure_expression_new (
            G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (last_result_key), NULL, NULL);
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_SESSION_COLUMN_REQUEST_ID:
        expression =
            gtk_property_expression_new (PW_TYPE_SESSION, NULL, "last-request-id");
        return GTK_SORTER (gtk_string_sorter_new (expression));
      case PW_SESSION_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  return NULL;
}

static const char *
column_title (PwSessionColumn column)
{
  switch (column)
    {
      case PW_SESSION_COLUMN_SESSION:
        /* Translators: column header: the game session id */
        return _ ("Session");
      case PW_SESSION_COLUMN_USER:
        /* Translators: column header: the provider user id */
        return _ ("User");
      case PW_SESSION_COLUMN_CONNECTION:
        /* Translators: column header: the name of the API connection */
        return _ ("Connection");
      case PW_SESSION_COLUMN_STATE:
        return _ ("State");
      case PW_SESSION_COLUMN_CLIENT_TIME:
        /* Translators: column header: play time measured by this app */
        return _ ("Client Time");
      case PW_SESSION_COLUMN_SERVER_TIME:
        /* Translators: column header: play time the server last reported */
        return _ ("Server Time");
      case PW_SESSION_COLUMN_NEXT:
        /* Translators: column header: countdown to the next heartbeat, the
         * expiry or the end of the grace period */
        return _ ("Next");
      case PW_SESSION_COLUMN_LAST_RESULT:
        /* Translators: column header: the server's last answer */
        return _ ("Last Result");
      case PW_SESSION_COLUMN_REQUEST_ID:
        /* Translators: column header: the request_id of the last answer */
        return _ ("Request ID");
      case PW_SESSION_N_COLUMNS:
      default:
        g_assert_not_reached ();
    }

  return NULL;
}

/* Public API */

/**
 * pw_session_columns_install:
 *
 * Appends the session columns to @view. The view keeps @tracker and
 * @ticker alive for its cells.
 */
void
pw_session_columns_install (GtkColumnView *view, PwTracker *tracker, PwTicker *ticker)
{
  static const int fixed_widths[PW_SESSION_N_COLUMNS] = {
    [PW_SESSION_COLUMN_SESSION] = -1,     [PW_SESSION_COLUMN_USER] = 80,
    [PW_SESSION_COLUMN_CONNECTION] = 100, [PW_SESSION_COLUMN_STATE] = 175,
    [PW_SESSION_COLUMN_CLIENT_TIME] = 90, [PW_SESSION_COLUMN_SERVER_TIME] = 90,
    [PW_SESSION_COLUMN_NEXT] = 150,       [PW_SESSION_COLUMN_LAST_RESULT] = 195,
    [PW_SESSION_COLUMN_REQUEST_ID] = 180,
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

  for (guint i = 0; i < PW_SESSION_N_COLUMNS; i++)
    {
      g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autoptr (GtkSorter) sorter = make_sorter (i);
      ColumnInfo *info = &context->infos[i];

      info->context = context;
      info->column = i;
      /* The infos live in the context: every factory keeps it alive. */
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
 * pw_session_columns_get:
 *
 * Returns: (transfer none): the column, to sort by it or hide it
 */
GtkColumnViewColumn *
pw_session_columns_get (GtkColumnView *view, PwSessionColumn column)
{
  Context *context;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);
  g_return_val_if_fail (column < PW_SESSION_N_COLUMNS, NULL);

  context = context_get (view);
  g_return_val_if_fail (context != NULL, NULL);

  return context->columns[column];
}

/**
 * pw_session_columns_dup_text:
 * @now_us: the tracker's monotonic time, for the timer columns
 *
 * Returns: (transfer full): what the cell of @column shows for @session
 *   ("—" when there is nothing to show)
 */
char *
pw_session_columns_dup_text (PwTracker *tracker,
                             PwSession *session,
                             PwSessionColumn column,
                             gint64 now_us)
{
  g_autofree char *countdown = NULL;
  const char *text = NULL;
  gint64 deadline_us;

  g_return_val_if_fail (PW_IS_SESSION (session), NULL);

  switch (column)
    {
      case PW_SESSION_COLUMN_SESSION:
        text = pw_session_get_id (session);
        break;

      case PW_SESSION_COLUMN_USER:
        text = pw_session_get_user_id (session);
        break;

      case PW_SESSION_COLUMN_CONNECTION:
        text = pw_session_get_connection (session);
        break;

      case PW_SESSION_COLUMN_STATE:
        return g_strdup (pw_session_state_get_label (pw_session_get_state (session)));

      case PW_SESSION_COLUMN_CLIENT_TIME:
        return pw_format_duration (client_play_sec (session, now_us));

      case PW_SESSION_COLUMN_SERVER_TIME:
        if (pw_session_get_end_server_sec (session) >= 0)
          return pw_format_duration (pw_session_get_end_server_sec (session));
        return pw_format_duration (pw_session_get_server_play_sec (session));

      case PW_SESSION_COLUMN_NEXT:
        switch (next_deadline (session, &deadline_us))
          {
            case DEADLINE_HEARTBEAT:
              return pw_format_countdown (deadline_us - now_us);
            case DEADLINE_EXPIRY:
              countdown = pw_format_countdown (deadline_us - now_us);
              /* Translators: %s is a countdown, "in 3:12" or "now": when
               * the server will have deleted the session */
              return g_strdup_printf (C_ ("next", "expires %s"), countdown);
            case DEADLINE_GRACE:
              countdown = pw_format_countdown (deadline_us - now_us);
              /* Translators: %s is a countdown, "in 1:40" or "now": when
               * the server ends a session that ran out of charge */
              return g_strdup_printf (C_ ("next", "grace ends %s"), countdown);
            case DEADLINE_NONE:
            default:
              break;
          }
        break;

      case PW_SESSION_COLUMN_LAST_RESULT:
        {
          char *result = last_result_text (session);

          if (result != NULL)
            return result;
        }
        break;

      case PW_SESSION_COLUMN_REQUEST_ID:
        text = pw_session_get_last_request_id (session);
        break;

      case PW_SESSION_N_COLUMNS:
      default:
        g_return_val_if_reached (NULL);
    }

  return g_strdup (text != NULL && *text != '\0' ? text : "—");
}

/**
 * pw_session_columns_get_next_deadline_us:
 *
 * Returns: the deadline the "Next" column counts down to (and sorts by),
 *   %G_MAXINT64 when it shows none
 */
gint64
pw_session_columns_get_next_deadline_us (PwSession *session)
{
  g_return_val_if_fail (PW_IS_SESSION (session), G_MAXINT64);

  return next_key (session);
}

guint
pw_session_columns_get_n_ticking (GtkColumnView *view)
{
  Context *context;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), 0);

  context = context_get (view);
  return context != NULL ? context->n_ticking : 0;
}

guint64
pw_session_columns_get_n_tick_updates (GtkColumnView *view)
{
  Context *context;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), 0);

  context = context_get (view);
  return context != NULL ? context->n_tick_updates : 0;
}
