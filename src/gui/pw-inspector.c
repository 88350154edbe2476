/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "pw-exchange-text.h"
#include "pw-inspector.h"
#include "pw-ticket.h"

/* One session's recent exchanges (PwExchangeHistory, newest first) beside
 * the selected one in full. The list follows the history live; the
 * selection stays on its exchange as new ones arrive.
 *
 * The key: the records hold none (PwClient redacts the request header and
 * whatever the server echoes), and every text shown or copied goes through
 * the connection's pw_client_redact() once more. "Copy as curl" leaves the
 * key to $PLAYWAVE_API_KEY; only "Copy as curl With the API Key", picked
 * explicitly from the menu, asks the client for it
 * (pw_client_dup_api_key()), and the copy is wiped once it is on the
 * clipboard. */

/* Server clocks further off than this are flagged (SPEC.md). */
#define SKEW_LIMIT_SEC 30

struct _PwInspector
{
  AdwWindow parent_instance;

  PwTracker *tracker;
  PwExchangeHistory *history;
  PwSession *session;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack *list_stack;
  GtkListView *requests_view;
  GtkStack *detail_stack;
  GtkScrolledWindow *detail_scroll;
  GtkLabel *method_label;
  GtkLabel *url_label;
  GtkLabel *sent_label;
  GtkLabel *status_label;
  GtkLabel *result_label;
  GtkLabel *request_id_label;
  GtkLabel *latency_label;
  GtkWidget *server_date_row;
  GtkLabel *server_date_label;
  GtkWidget *error_row;
  GtkLabel *error_label;
  GtkTextView *request_headers_view;
  GtkTextView *request_body_view;
  GtkTextView *response_headers_view;
  GtkTextView *response_body_view;

  GtkSortListModel *sort_model;
  GtkSingleSelection *selection;
  PwExchange *shown;
};

G_DEFINE_FINAL_TYPE (PwInspector, pw_inspector, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_HISTORY,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static PwClient *
session_client (PwInspector *self)
{
  return pw_tracker_get_client (self->tracker, pw_session_get_connection (self->session));
}

/* Everything shown or copied passes here. */
static char *
redact (PwInspector *self, const char *text)
{
  PwClient *client = session_client (self);

  if (text == NULL)
    return NULL;

  return client != NULL ? pw_client_redact (client, text) : g_strdup (text);
}

static void
set_label (PwInspector *self, GtkLabel *label, const char *text)
{
  g_autofree char *safe = redact (self, text);

  gtk_label_set_text (label, safe != NULL && *safe != '\0' ? safe : "—");
}

static void
set_label_take (PwInspector *self, GtkLabel *label, char *text)
{
  set_label (self, label, text);
  g_free (text);
}

static void
set_text_view (PwInspector *self, GtkTextView *view, const char *text)
{
  g_autofree char *safe = redact (self, text);
  const char *shown;

  /* Header blocks end in a newline; the card should not. */
  if (safe != NULL)
    g_strchomp (safe);
  shown = safe != NULL && *safe != '\0' ? safe : "—";

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), shown, -1);
}

static void
set_text_view_take (PwInspector *self, GtkTextView *view, char *text)
{
  set_text_view (self, view, text);
  g_free (text);
}

static char *
format_status (guint status)
{
  if (status == 0)
    /* Translators: a request that got no HTTP answer */
    return g_strdup (_ ("No answer"));

  return g_strdup_printf ("%u %s", status, soup_status_get_phrase (status));
}

static char *
format_server_date (PwExchange *exchange)
{
  gint64 date = pw_exchange_get_server_date_unix (exchange);
  gint64 skew;
  g_autofree char *when = NULL;

  if (date < 0)
    return NULL;

  when = pw_format_real_time (date * G_USEC_PER_SEC, FALSE);
  skew = date - pw_exchange_get_started_real_us (exchange) / G_USEC_PER_SEC;
  if (ABS (skew) <= SKEW_LIMIT_SEC)
    return g_steal_pointer (&when);

  /* Translators: the server's Date header, then how far its clock is off */
  return g_strdup_printf (_ ("%s (server clock %+d s off)"), when, (int) skew);
}

static void
show_exchange (PwInspector *self, PwExchange *exchange)
{
  const GError *error;
  const char *name;
  gint64 latency_us;
  g_autofree char *server_date = NULL;

  g_set_object (&self->shown, exchange);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.copy-curl",
                                 exchange != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.copy-curl-with-key",
                                 exchange != NULL && session_client (self) != NULL);
  gtk_stack_set_visible_child_name (self->detail_stack,
                                    exchange != NULL ? "detail" : "empty");
  if (exchange == NULL)
    return;

  set_label (self, self->method_label, pw_exchange_get_method (exchange));
  set_label (self, self->url_label, pw_exchange_get_url (exchange));
  set_label_take (
      self, self->sent_label,
      pw_format_real_time (pw_exchange_get_started_real_us (exchange), FALSE));

  set_label_take (self, self->status_label,
                  format_status (pw_exchange_get_status (exchange)));
  name = pw_exchange_get_result_name (exchange);
  if (name == NULL)
    name = pw_exchange_get_code (exchange);
  set_label (self, self->result_label, name);
  set_label (self, self->request_id_label, pw_exchange_get_request_id (exchange));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->request_id_label),
                               pw_exchange_get_request_id (exchange));

  latency_us = pw_exchange_get_latency_us (exchange);
  if (latency_us >= 0)
    /* Translators: a latency in milliseconds */
    set_label_take (self, self->latency_label,
                    g_strdup_printf (_ ("%d ms"), (int) ((latency_us + 500) / 1000)));
  else
    set_label (self, self->latency_label, NULL);

  server_date = format_server_date (exchange);
  gtk_widget_set_visible (self->server_date_row, server_date != NULL);
  set_label (self, self->server_date_label, server_date);

  error = pw_exchange_get_error (exchange);
  gtk_widget_set_visible (self->error_row, error != NULL);
  set_label (self, self->error_label, error != NULL ? error->message : NULL);

  set_text_view (self, self->request_headers_view,
                 pw_exchange_get_request_headers (exchange));
  set_text_view_take (self, self->request_body_view,
                      pw_body_dup_display (pw_exchange_get_request_body (exchange)));
  set_text_view (self, self->response_headers_view,
                 pw_exchange_get_response_headers (exchange));
  set_text_view_take (self, self->response_body_view,
                      pw_body_dup_display (pw_exchange_get_response_body (exchange)));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroll), 0);
}

static void
update_list_page (PwInspector *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));

  gtk_stack_set_visible_child_name (self->list_stack, n_items > 0 ? "list" : "empty");
}

static void
copy_text (PwInspector *self, const char *text, const char *toast_title)
{
  AdwToast *toast;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast = adw_toast_new (toast_title);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* Callbacks */

static int
compare_newest_first (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint64 time_a = pw_exchange_get_started_real_us ((PwExchange *) a);
  gint64 time_b = pw_exchange_get_started_real_us ((PwExchange *) b);

  return time_a < time_b ? 1 : time_a > time_b ? -1 : 0;
}

static void
selected_changed_cb (PwInspector *self)
{
  show_exchange (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
items_changed_cb (PwInspector *self)
{
  update_list_page (self);
}

static void
request_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem *item,
                  gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "numeric");
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), time);
  gtk_list_item_set_child (item, box);
}

/* Two lines: what was asked and answered, then when and how fast. The
 * request id is in the details (and the tooltip). */
static void
request_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PwExchange *exchange = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  guint status = pw_exchange_get_status (exchange);
  const char *name = pw_exchange_get_result_name (exchange);
  gint64 latency_us = pw_exchange_get_latency_us (exchange);
  g_autofree char *summary = pw_exchange_dup_summary (exchange);
  g_autofree char *first = NULL;
  g_autofree char *when = NULL;
  g_autofree char *second = NULL;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (name == NULL)
    name = pw_exchange_get_code (exchange);
  if (status > 0)
    first = g_strdup_printf ("%s %u %s", pw_exchange_get_method (exchange), status,
                             name != NULL ? name : "");
  else
    /* Translators: a request that got no HTTP answer */
    first = g_strdup_printf ("%s %s", pw_exchange_get_method (exchange), _ ("no answer"));

  utc = g_date_time_new_from_unix_utc (pw_exchange_get_started_real_us (exchange) /
                                       G_USEC_PER_SEC);
  local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  when = local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("—");
  if (latency_us >= 0)
    /* Translators: when a request was sent, then its latency in milliseconds */
    second = g_strdup_printf (_ ("%s · %d ms"), when, (int) ((latency_us + 500) / 1000));
  else
    second = g_steal_pointer (&when);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), first);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), second);
  gtk_widget_set_tooltip_text (box, summary);
}

/* Actions */

static void
copy_curl_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwInspector *self = PW_INSPECTOR (widget);
  g_autofree char *curl = pw_inspector_dup_curl (self, FALSE);

  if (curl != NULL)
    copy_text (self, curl,
               _ ("curl command copied; it reads the key from $PLAYWAVE_API_KEY"));
}

static void
copy_curl_with_key_activated (GtkWidget *widget,
                              const char *action_name,
                              GVariant *parameter)
{
  PwInspector *self = PW_INSPECTOR (widget);
  char *curl = pw_inspector_dup_curl (self, TRUE);

  if (curl == NULL)
    return;

  copy_text (self, curl,
             _ ("curl command copied with the API key: paste it only where the key "
                "is safe"));
  wipe (curl);
}

static void
copy_ticket_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PwInspector *self = PW_INSPECTOR (widget);
  g_autofree char *text = pw_inspector_dup_ticket (self);

  copy_text (self, text, _ ("Session facts and recent requests copied, key redacted"));
}

/* Overrides */

static void
pw_inspector_constructed (GObject *object)
{
  PwInspector *self = PW_INSPECTOR (object);
  g_autoptr (GtkCustomSorter) sorter = NULL;
  g_autofree char *title = NULL;
  GListModel *exchanges;

  G_OBJECT_CLASS (pw_inspector_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  g_assert (PW_IS_EXCHANGE_HISTORY (self->history));
  g_assert (PW_IS_SESSION (self->session));

  adw_window_title_set_subtitle (self->window_title, pw_session_get_id (self->session));
  /* Translators: window title; %s is a session id */
  title = g_strdup_printf (_ ("Requests of %s"), pw_session_get_id (self->session));
  gtk_window_set_title (GTK_WINDOW (self), title);

  exchanges = pw_exchange_history_get_for_session (self->history,
                                                   pw_session_get_id (self->session));
  sorter = gtk_custom_sorter_new (compare_newest_first, NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (exchanges),
                                              g_object_ref (GTK_SORTER (sorter)));
  self->selection =
      gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_list_view_set_model (self->requests_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_model, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  update_list_page (self);
  show_exchange (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
pw_inspector_dispose (GObject *object)
{
  PwInspector *self = PW_INSPECTOR (object);

  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_signal_handlers_disconnect_by_data (self->sort_model, self);
      gtk_list_view_set_model (self->requests_view, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_INSPECTOR);

  g_clear_object (&self->shown);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->session);
  g_clear_object (&self->history);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_inspector_parent_class)->dispose (object);
}

static void
pw_inspector_get_property (GObject *object,
                           guint prop_id,
                           GValue *value,
                           GParamSpec *pspec)
{
  PwInspector *self = PW_INSPECTOR (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
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
pw_inspector_set_property (GObject *object,
                           guint prop_id,
                           const GValue *value,
                           GParamSpec *pspec)
{
  PwInspector *self = PW_INSPECTOR (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_HISTORY:
        self->history = g_value_dup_object (value);
        break;

      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_inspector_class_init (PwInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = pw_inspector_constructed;
  object_class->dispose = pw_inspector_dispose;
  object_class->get_property = pw_inspector_get_property;
  object_class->set_property = pw_inspector_set_property;

  properties[PROP_TRACKER] =
      g_param_spec_object ("tracker", NULL, NULL, PW_TYPE_TRACKER, construct);
  properties[PROP_HISTORY] =
      g_param_spec_object ("history", NULL, NULL, PW_TYPE_EXCHANGE_HISTORY, construct);
  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, PW_TYPE_SESSION, construct);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, PwInspector, window_title);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, requests_view);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, detail_scroll);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, method_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, url_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, sent_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, status_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, result_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, request_id_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, latency_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, server_date_row);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, server_date_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, error_row);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, error_label);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, request_headers_view);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, request_body_view);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, response_headers_view);
  gtk_widget_class_bind_template_child (widget_class, PwInspector, response_body_view);
  gtk_widget_class_bind_template_callback (widget_class, request_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, request_bind_cb);

  gtk_widget_class_install_action (widget_class, "inspector.copy-curl", NULL,
                                   copy_curl_activated);
  gtk_widget_class_install_action (widget_class, "inspector.copy-curl-with-key", NULL,
                                   copy_curl_with_key_activated);
  gtk_widget_class_install_action (widget_class, "inspector.copy-ticket", NULL,
                                   copy_ticket_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
pw_inspector_init (PwInspector *self)
{
  GtkTextView *views[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  views[0] = self->request_headers_view;
  views[1] = self->request_body_view;
  views[2] = self->response_headers_view;
  views[3] = self->response_body_view;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      gtk_text_view_set_editable (views[i], FALSE);
      gtk_text_view_set_cursor_visible (views[i], FALSE);
      gtk_text_view_set_monospace (views[i], TRUE);
      gtk_text_view_set_wrap_mode (views[i], GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_top_margin (views[i], 12);
      gtk_text_view_set_bottom_margin (views[i], 12);
      gtk_text_view_set_left_margin (views[i], 12);
      gtk_text_view_set_right_margin (views[i], 12);
    }
}

/* Public API */

/**
 * pw_inspector_new:
 * @parent: (nullable): the main window
 * @session: whose requests to show
 *
 * Returns: (transfer none): the new inspector window, not shown yet
 */
GtkWidget *
pw_inspector_new (GtkWindow *parent,
                  PwTracker *tracker,
                  PwExchangeHistory *history,
                  PwSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (history), NULL);
  g_return_val_if_fail (PW_IS_SESSION (session), NULL);

  return g_object_new (PW_TYPE_INSPECTOR, "transient-for", parent, "tracker", tracker,
                       "history", history, "session", session, NULL);
}

PwSession *
pw_inspector_get_session (PwInspector *self)
{
  g_return_val_if_fail (PW_IS_INSPECTOR (self), NULL);

  return self->session;
}

/**
 * pw_inspector_get_selection:
 *
 * Returns: (transfer none): the exchanges listed, newest first
 */
GtkSelectionModel *
pw_inspector_get_selection (PwInspector *self)
{
  g_return_val_if_fail (PW_IS_INSPECTOR (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * pw_inspector_get_exchange:
 *
 * Returns: (transfer none) (nullable): the exchange shown in full
 */
PwExchange *
pw_inspector_get_exchange (PwInspector *self)
{
  g_return_val_if_fail (PW_IS_INSPECTOR (self), NULL);

  return self->shown;
}

/**
 * pw_inspector_dup_curl:
 * @with_key: put the key itself into the command (the user asked for it)
 *   instead of $PLAYWAVE_API_KEY
 *
 * Returns: (transfer full) (nullable): the shown exchange as a curl
 *   command, or %NULL when none is shown (or the key is asked for and the
 *   connection is gone)
 */
char *
pw_inspector_dup_curl (PwInspector *self, gboolean with_key)
{
  PwClient *client;
  char *key;
  char *curl;

  g_return_val_if_fail (PW_IS_INSPECTOR (self), NULL);

  if (self->shown == NULL)
    return NULL;

  client = session_client (self);
  if (!with_key)
    {
      g_autofree char *command = pw_exchange_dup_curl (self->shown, NULL);

      return redact (self, command);
    }

  if (client == NULL)
    return NULL;

  key = pw_client_dup_api_key (client);
  curl = pw_exchange_dup_curl (self->shown, key);
  wipe (key);

  return curl;
}

/**
 * pw_inspector_dup_ticket:
 *
 * Returns: (transfer full): "copy for support ticket": the session's facts,
 *   events and recent exchanges, key redacted
 */
char *
pw_inspector_dup_ticket (PwInspector *self)
{
  g_return_val_if_fail (PW_IS_INSPECTOR (self), NULL);

  return pw_ticket_dup_text (self->tracker, self->session,
                             pw_exchange_history_get_for_session (
                                 self->history, pw_session_get_id (self->session)));
}
