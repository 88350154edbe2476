/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pw-detail-pane.h"
#include "pw-format.h"

/* Everything about the selected session, for support staff and QA.
 *
 * It follows the session through a GBindingGroup (the plain strings) and a
 * GSignalGroup (every other change re-renders the few labels), and the
 * countdowns through the one PwTicker, so nothing here polls. The buttons
 * activate the window's actions ("win.heartbeat-now", "win.toggle-pause",
 * "win.end-session"), which act on the window's selected session, the one
 * shown here; they are insensitive wherever those actions are missing or
 * disabled.
 *
 * The live drift compares the server's play time with the client's timer
 * at the moment of the same answer (the last success), not with the timer
 * now: otherwise it would grow by a second every second between
 * heartbeats. It is shown only when the app tracked the session from its
 * start, since otherwise the server counted time the client never saw. */

struct _PwDetailPane
{
  GtkWidget parent_instance;

  PwTracker *tracker;
  PwTicker *ticker;
  PwExchangeHistory *history;
  PwSession *session;

  GBindingGroup *bindings;
  GSignalGroup *signals;
  const char *state_style_class;

  GtkStack *stack;
  GtkScrolledWindow *scrolled_window;
  GtkLabel *title_label;
  GtkWidget *copy_button;
  GtkWidget *heartbeat_button;
  GtkButton *pause_button;
  GtkWidget *end_button;
  GtkLabel *user_label;
  GtkLabel *connection_label;
  GtkImage *state_icon;
  GtkLabel *state_label;
  GtkLabel *heartbeats_label;
  GtkWidget *timers_group;
  GtkWidget *next_row;
  GtkLabel *next_label;
  GtkWidget *expiry_row;
  GtkLabel *expiry_label;
  GtkWidget *grace_row;
  GtkLabel *grace_label;
  GtkLabel *client_label;
  AdwActionRow *from_start_row;
  GtkLabel *from_start_label;
  GtkLabel *server_label;
  GtkLabel *drift_label;
  GtkWidget *end_group;
  GtkLabel *end_server_label;
  GtkLabel *end_client_label;
  GtkLabel *end_drift_label;
  GtkLabel *status_label;
  GtkLabel *result_label;
  GtkLabel *code_label;
  GtkLabel *request_id_label;
  GtkStack *requests_stack;
  GtkListView *requests_view;
  GtkSortListModel *requests_model;
};

G_DEFINE_FINAL_TYPE (PwDetailPane, pw_detail_pane, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_TICKER,
  PROP_HISTORY,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

#define TOOLTIP_MIN_CHARS 20

/* Unknown values read as a dash rather than an empty space. Long ones may
 * be ellipsized: their tooltip has them in full. */
static void
set_value (GtkLabel *label, const char *text)
{
  gboolean known = text != NULL && *text != '\0';

  gtk_label_set_text (label, known ? text : "—");
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (label),
      known && g_utf8_strlen (text, -1) > TOOLTIP_MIN_CHARS ? text : NULL);
}

static void
set_value_take (GtkLabel *label, char *text)
{
  set_value (label, text);
  g_free (text);
}

static void
set_countdown (GtkWidget *row, GtkLabel *label, gboolean shown, gint64 left_us)
{
  gtk_widget_set_visible (row, shown);
  if (shown)
    set_value_take (label, pw_format_countdown (left_us));
}

/* What runs on the clock: the countdowns and the client timer. */
static void
update_times (PwDetailPane *self)
{
  PwSession *session = self->session;
  PwSessionState state;
  gboolean live;
  gboolean next_shown;
  gboolean expiry_shown;
  gboolean grace_shown;
  gint64 now;
  gint64 next_due;

  if (session == NULL)
    return;

  now = pw_ticker_get_now_us (self->ticker);
  state = pw_session_get_state (session);
  live = pw_session_state_is_live (state);
  next_due = pw_session_get_next_due_us (session);

  /* Due but not sent yet, or on its way: "now". */
  next_shown = pw_session_is_heartbeating (session);
  set_countdown (self->next_row, self->next_label, next_shown,
                 next_due > 0 ? next_due - now : 0);

  /* SPEC: the expiry estimate is shown when retrying or paused. */
  expiry_shown = live &&
                 (pw_session_get_paused (session) || pw_session_get_retrying (session)) &&
                 pw_session_get_expiry_deadline_us (session) > 0;
  set_countdown (self->expiry_row, self->expiry_label, expiry_shown,
                 pw_session_get_expiry_deadline_us (session) - now);

  grace_shown = state == PW_SESSION_STATE_CHARGE_EXHAUSTED &&
                pw_session_get_grace_deadline_us (session) > 0;
  set_countdown (self->grace_row, self->grace_label, grace_shown,
                 pw_session_get_grace_deadline_us (session) - now);

  gtk_widget_set_visible (self->timers_group, next_shown || expiry_shown || grace_shown);

  /* The client timer runs while heartbeats or the end request do. */
  if (live || state == PW_SESSION_STATE_ENDING)
    set_value_take (
        self->client_label,
        pw_format_duration (pw_tracker_get_client_play_sec (self->tracker, session)));
  else
    set_value (self->client_label, NULL);
}

static void
update_state (PwDetailPane *self, PwSessionState state)
{
  GtkWidget *icon = GTK_WIDGET (self->state_icon);
  const char *style_class = pw_session_state_get_style_class (state);

  gtk_image_set_from_icon_name (self->state_icon, pw_session_state_get_icon_name (state));
  set_value (self->state_label, pw_session_state_get_label (state));

  if (self->state_style_class != NULL)
    gtk_widget_remove_css_class (icon, self->state_style_class);
  self->state_style_class = style_class;
  gtk_widget_add_css_class (icon, style_class);
}

static void
update_heartbeats (PwDetailPane *self)
{
  PwSession *session = self->session;
  gboolean paused = pw_session_get_paused (session);

  if (!pw_session_state_is_live (pw_session_get_state (session)))
    set_value (self->heartbeats_label, C_ ("heartbeats", "Stopped"));
  else if (paused)
    set_value (self->heartbeats_label, C_ ("heartbeats", "Paused"));
  else if (pw_session_get_retrying (session))
    {
      guint failures = pw_session_get_failure_count (session);

      set_value_take (self->heartbeats_label,
                      g_strdup_printf (ngettext ("Retrying after %u failure",
                                                 "Retrying after %u failures", failures),
                                       failures));
    }
  else
    set_value (self->heartbeats_label, C_ ("heartbeats", "Running"));

  gtk_button_set_label (self->pause_button, paused ? _ ("_Resume") : _ ("_Pause"));
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (self->pause_button),
      paused ? _ ("Resume heartbeats: one is sent at once")
             : _ ("Stop heartbeats: the server deletes the session after 4 minutes"));
}

static void
update_play_time (PwDetailPane *self)
{
  PwSession *session = self->session;
  gboolean decided = pw_session_get_last_success_us (session) > 0;
  gboolean from_start = pw_session_get_tracked_from_start (session);
  gint64 server_sec = pw_session_get_server_play_sec (session);
  gint64 end_server_sec = pw_session_get_end_server_sec (session);
  gint64 end_client_sec = pw_session_get_end_client_sec (session);

  /* Decided at the first success (DECISIONS.md). */
  if (!decided)
    {
      set_value (self->from_start_label, C_ ("tracked from start", "Not known yet"));
      adw_action_row_set_subtitle (self->from_start_row, NULL);
    }
  else if (from_start)
    {
      set_value (self->from_start_label, C_ ("tracked from start", "Yes"));
      adw_action_row_set_subtitle (self->from_start_row, NULL);
    }
  else
    {
      set_value (self->from_start_label, C_ ("tracked from start", "No"));
      adw_action_row_set_subtitle (
          self->from_start_row,
          _ ("The server counted play time before this app saw the session"));
    }

  if (server_sec >= 0)
    set_value_take (self->server_label, pw_format_duration (server_sec));
  else
    set_value (self->server_label, NULL);

  if (from_start && server_sec >= 0 && decided)
    {
      gint64 client_at_success = (pw_session_get_last_success_us (session) -
                                  pw_session_get_tracked_since_us (session)) /
                                 G_TIME_SPAN_SECOND;

      set_value_take (self->drift_label,
                      pw_format_drift (server_sec, MAX (0, client_at_success)));
    }
  else
    set_value (self->drift_label, NULL);

  gtk_widget_set_visible (self->end_group, end_server_sec >= 0 || end_client_sec >= 0);
  if (end_server_sec >= 0)
    set_value_take (self->end_server_label, pw_format_duration (end_server_sec));
  else
    set_value (self->end_server_label, NULL);
  if (end_client_sec >= 0)
    set_value_take (self->end_client_label, pw_format_duration (end_client_sec));
  else
    /* Translators: no play_duration_sec went with the end request */
    set_value (self->end_client_label, C_ ("client play time", "Not sent"));
  set_value_take (self->end_drift_label,
                  pw_format_drift (end_server_sec, end_client_sec));
}

static void
update_last_answer (PwDetailPane *self)
{
  PwSession *session = self->session;
  guint status = pw_session_get_last_status (session);

  if (status > 0)
    set_value_take (self->status_label, g_strdup_printf ("%u", status));
  else
    set_value (self->status_label, NULL);
  set_value (self->result_label, pw_session_get_last_result (session));
  set_value (self->code_label, pw_session_get_last_code (session));
  set_value (self->request_id_label, pw_session_get_last_request_id (session));
}

static void
update_fields (PwDetailPane *self)
{
  if (self->session == NULL)
    return;

  update_state (self, pw_session_get_state (self->session));
  update_heartbeats (self);
  update_play_time (self);
  update_last_answer (self);
  update_times (self);
}

static void
update_requests_page (PwDetailPane *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->requests_model));

  gtk_stack_set_visible_child_name (self->requests_stack, n_items > 0 ? "list" : "empty");
}

/* "PATCH 200 OK · 3 ms · req_8f2…" */
static char *
format_request (PwExchange *exchange)
{
  GString *text = g_string_new (pw_exchange_get_method (exchange));
  guint status = pw_exchange_get_status (exchange);
  const char *name = pw_exchange_get_result_name (exchange);
  const char *request_id = pw_exchange_get_request_id (exchange);
  gint64 latency_us = pw_exchange_get_latency_us (exchange);

  if (name == NULL)
    name = pw_exchange_get_code (exchange);

  if (status > 0)
    g_string_append_printf (text, " %u", status);
  else
    /* Translators: a request that got no HTTP answer (network error, timeout) */
    g_string_append_printf (text, " %s", _ ("no answer"));
  if (name != NULL)
    g_string_append_printf (text, " %s", name);

  if (latency_us >= 0)
    {
      g_string_append (text, " · ");
      /* Translators: a latency in milliseconds */
      g_string_append_printf (text, _ ("%d ms"), (int) ((latency_us + 500) / 1000));
    }

  if (request_id != NULL)
    g_string_append_printf (text, " · %s", request_id);

  return g_string_free (text, FALSE);
}

static char *
format_time (gint64 real_us, const char *format)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, format);
}

static char *
format_request_tooltip (PwExchange *exchange)
{
  g_autofree char *when =
      format_time (pw_exchange_get_started_real_us (exchange), "%Y-%m-%d %H:%M:%S");
  const GError *error = pw_exchange_get_error (exchange);
  GString *text = g_string_new (NULL);

  /* Translators: %s is a date and time */
  g_string_append_printf (text, _ ("Sent %s"), when);
  g_string_append_printf (text, "\n%s", pw_exchange_get_url (exchange));
  if (error != NULL)
    g_string_append_printf (text, "\n%s", error->message);

  return g_string_free (text, FALSE);
}

/* Callbacks */

static void
session_notify_cb (PwDetailPane *self)
{
  update_fields (self);
}

static void
ticker_notify_now_us_cb (PwDetailPane *self)
{
  update_times (self);
}

static void
requests_model_items_changed_cb (PwDetailPane *self)
{
  update_requests_page (self);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint64 time_a = pw_exchange_get_started_real_us ((PwExchange *) a);
  gint64 time_b = pw_exchange_get_started_real_us ((PwExchange *) b);

  return time_a < time_b ? 1 : time_a > time_b ? -1 : 0;
}

static void
request_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem *item,
                  gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);

  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (summary, TRUE);
  gtk_box_append (GTK_BOX (box), summary);

  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_box_append (GTK_BOX (box), time);

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, box);
}

static void
request_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PwExchange *exchange = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *summary = gtk_widget_get_first_child (box);
  GtkWidget *time = gtk_widget_get_last_child (box);
  g_autofree char *summary_text = format_request (exchange);
  g_autofree char *time_text =
      format_time (pw_exchange_get_started_real_us (exchange), "%H:%M:%S");
  g_autofree char *tooltip = format_request_tooltip (exchange);

  gtk_label_set_text (GTK_LABEL (summary), summary_text);
  gtk_label_set_text (GTK_LABEL (time), time_text);
  gtk_widget_set_tooltip_text (box, tooltip);
}

static void
copy_id_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwDetailPane *self = PW_DETAIL_PANE (widget);

  if (self->session == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          pw_session_get_id (self->session));
}

/* Overrides */

static void
pw_detail_pane_constructed (GObject *object)
{
  PwDetailPane *self = PW_DETAIL_PANE (object);

  G_OBJECT_CLASS (pw_detail_pane_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  g_assert (PW_IS_TICKER (self->ticker));
  g_assert (PW_IS_EXCHANGE_HISTORY (self->history));

  g_signal_connect_object (self->ticker, "notify::now-us",
                           G_CALLBACK (ticker_notify_now_us_cb), self, G_CONNECT_SWAPPED);
}

static void
pw_detail_pane_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  PwDetailPane *self = PW_DETAIL_PANE (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_TICKER:
        g_value_set_object (value, self->ticker);
        break;

      case PROP_HISTORY:
        g_value_set_object (value, self->history);
        break;

      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_detail_pane_set_property (GObject *object,
                             guint prop_id,
                             const GValue *value,
                             GParamSpec *pspec)
{
  PwDetailPane *self = PW_DETAIL_PANE (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_TICKER:
        self->ticker = g_value_dup_object (value);
        break;

      case PROP_HISTORY:
        self->history = g_value_dup_object (value);
        break;

      case PROP_SESSION:
        pw_detail_pane_set_session (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_detail_pane_dispose (GObject *object)
{
  PwDetailPane *self = PW_DETAIL_PANE (object);

  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_DETAIL_PANE);

  g_clear_object (&self->session);
  g_clear_object (&self->history);
  g_clear_object (&self->ticker);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_detail_pane_parent_class)->dispose (object);
}

static void
pw_detail_pane_class_init (PwDetailPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = pw_detail_pane_constructed;
  object_class->get_property = pw_detail_pane_get_property;
  object_class->set_property = pw_detail_pane_set_property;
  object_class->dispose = pw_detail_pane_dispose;

  properties[PROP_TRACKER] =
      g_param_spec_object ("tracker", NULL, NULL, PW_TYPE_TRACKER, construct);
  properties[PROP_TICKER] =
      g_param_spec_object ("ticker", NULL, NULL, PW_TYPE_TICKER, construct);
  properties[PROP_HISTORY] =
      g_param_spec_object ("history", NULL, NULL, PW_TYPE_EXCHANGE_HISTORY, construct);
  properties[PROP_SESSION] = g_param_spec_object (
      "session", NULL, NULL, PW_TYPE_SESSION,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pwdetailpane");

  gtk_widget_class_install_action (widget_class, "detail.copy-id", NULL,
                                   copy_id_activated);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-detail-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, stack);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, heartbeat_button);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, end_button);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, user_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, connection_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, state_icon);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, state_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, heartbeats_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, timers_group);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, next_row);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, next_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, grace_row);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, grace_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, client_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, from_start_row);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, from_start_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, server_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, drift_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, end_group);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, end_server_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, end_client_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, end_drift_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, result_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, code_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, request_id_label);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, requests_stack);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, requests_view);
  gtk_widget_class_bind_template_child (widget_class, PwDetailPane, requests_model);
  gtk_widget_class_bind_template_callback (widget_class, request_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, request_bind_cb);
}

static void
pw_detail_pane_init (PwDetailPane *self)
{
  g_autoptr (GtkCustomSorter) sorter = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  sorter = gtk_custom_sorter_new (compare_newest_first, NULL, NULL);
  gtk_sort_list_model_set_sorter (self->requests_model, GTK_SORTER (sorter));
  g_signal_connect_object (self->requests_model, "items-changed",
                           G_CALLBACK (requests_model_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "id", self->title_label, "label",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "user-id", self->user_label, "label",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "connection", self->connection_label, "label",
                        G_BINDING_SYNC_CREATE);

  self->signals = g_signal_group_new (PW_TYPE_SESSION);
  g_signal_group_connect_swapped (self->signals, "notify", G_CALLBACK (session_notify_cb),
                                  self);

  /* Tabular digits: the timers do not jiggle as they count. */
  gtk_widget_add_css_class (GTK_WIDGET (self->next_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->expiry_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->grace_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->client_label), "numeric");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-id", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_requests_page (self);
}

/* Public API */

/**
 * pw_detail_pane_new:
 * @tracker: the tracker the sessions belong to
 * @ticker: the clock tick for the countdowns
 * @history: where the recent requests come from
 *
 * Returns: (transfer floating): a pane that shows no session yet
 */
GtkWidget *
pw_detail_pane_new (PwTracker *tracker, PwTicker *ticker, PwExchangeHistory *history)
{
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_TICKER (ticker), NULL);
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (history), NULL);

  return g_object_new (PW_TYPE_DETAIL_PANE, "tracker", tracker, "ticker", ticker,
                       "history", history, NULL);
}

/**
 * pw_detail_pane_get_session:
 *
 * Returns: (transfer none) (nullable): the session shown
 */
PwSession *
pw_detail_pane_get_session (PwDetailPane *self)
{
  g_return_val_if_fail (PW_IS_DETAIL_PANE (self), NULL);

  return self->session;
}

/**
 * pw_detail_pane_set_session:
 * @session: (nullable): the session to show, or %NULL for none
 */
void
pw_detail_pane_set_session (PwDetailPane *self, PwSession *session)
{
  GListModel *requests = NULL;

  g_return_if_fail (PW_IS_DETAIL_PANE (self));
  g_return_if_fail (session == NULL || PW_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_binding_group_set_source (self->bindings, session);
  g_signal_group_set_target (self->signals, session);

  if (session != NULL)
    requests =
        pw_exchange_history_get_for_session (self->history, pw_session_get_id (session));
  gtk_sort_list_model_set_model (self->requests_model, requests);
  update_requests_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-id", session != NULL);
  gtk_stack_set_visible_child_name (self->stack, session != NULL ? "session" : "empty");
  /* Another session starts at its top, not where the last one was scrolled. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window),
                            0);
  update_fields (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
