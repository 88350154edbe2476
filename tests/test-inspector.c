/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pw-exchange-history.h"
#include "pw-exchange-text.h"
#include "pw-gui-test-util.h"
#include "pw-resources.h"
#include "pw-inspector.h"
#include "pw-test-util.h"

/* The request inspector of a session heartbeated by a real tracker against
 * the in-process sandbox: every field of an exchange, pretty bodies, the
 * list following the history, and the key: redacted in every view (even
 * where the server echoed it), in "copy as curl" and in the support ticket,
 * and present only in "copy as curl with the API key". */

#define USER "3141"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwSession *session;
  PwInspector *inspector;
} InspectorFixture;

static void
inspector_set_up (InspectorFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (GError) error = NULL;

  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->history = pw_exchange_history_new (fixture->tracker, 20);

  id = pw_sandbox_create_session (fixture->base.sandbox, "gs_inspect", USER, "pc-i", -1);
  fixture->session =
      pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error);
  g_assert_no_error (error);
  settle_tracker (fixture->tracker);

  fixture->inspector = PW_INSPECTOR (
      pw_inspector_new (NULL, fixture->tracker, fixture->history, fixture->session));
  g_object_ref (fixture->inspector);
  gtk_window_present (GTK_WINDOW (fixture->inspector));
  gui_draw ();
}

static void
inspector_tear_down (InspectorFixture *fixture, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->inspector));
  gui_iterate ();
  g_assert_finalize_object (fixture->inspector);
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->tracker);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();
  sandbox_fixture_tear_down (&fixture->base, data);
}

static gpointer
child (InspectorFixture *fixture, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->inspector),
                                                   PW_TYPE_INSPECTOR, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
label (InspectorFixture *fixture, const char *name)
{
  return gtk_label_get_text (child (fixture, name));
}

static char *
view_text (InspectorFixture *fixture, const char *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (child (fixture, name));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static GListModel *
listed (InspectorFixture *fixture)
{
  return G_LIST_MODEL (pw_inspector_get_selection (fixture->inspector));
}

static void
select_row (InspectorFixture *fixture, guint position)
{
  gtk_selection_model_select_item (pw_inspector_get_selection (fixture->inspector),
                                   position, TRUE);
}

/* Tests */

static void
test_shows_exchange (InspectorFixture *fixture, gconstpointer data)
{
  PwExchange *exchange = pw_inspector_get_exchange (fixture->inspector);
  g_autofree char *url =
      g_strconcat (fixture->base.base_url, "/game/session/heartbeat", NULL);
  g_autofree char *headers = view_text (fixture, "request_headers_view");
  g_autofree char *body = view_text (fixture, "request_body_view");
  g_autofree char *response = view_text (fixture, "response_body_view");
  g_autofree char *response_headers = view_text (fixture, "response_headers_view");
  g_autofree char *expected_body = NULL;

  g_assert_nonnull (exchange);
  g_assert_true (pw_inspector_get_session (fixture->inspector) == fixture->session);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->inspector)), ==,
                   "Requests of gs_inspect");
  g_assert_cmpuint (g_list_model_get_n_items (listed (fixture)), ==, 1);

  g_assert_cmpstr (label (fixture, "method_label"), ==, "PATCH");
  g_assert_cmpstr (label (fixture, "url_label"), ==, url);
  g_assert_cmpstr (label (fixture, "status_label"), ==, "200 OK");
  g_assert_cmpstr (label (fixture, "result_label"), ==, "OK");
  g_assert_cmpstr (label (fixture, "request_id_label"), ==,
                   pw_session_get_last_request_id (fixture->session));
  g_assert_true (g_str_has_suffix (label (fixture, "latency_label"), " ms"));
  g_assert_false (gtk_widget_get_visible (child (fixture, "error_row")));
  /* Same clock on both sides: no skew flagged. */
  g_assert_true (gtk_widget_get_visible (child (fixture, "server_date_row")));
  g_assert_null (strstr (label (fixture, "server_date_label"), "off"));

  {
    g_auto (GStrv) lines = g_strsplit (headers, "\n", -1);

    g_assert_true (
        g_strv_contains ((const char *const *) lines, "X-Api-Key: [redacted]"));
  }
  g_assert_nonnull (strstr (headers, "Content-Type: application/json"));
  expected_body = g_strdup_printf (
      "{\n  \"game_session_id\" : \"gs_inspect\",\n  \"provider_user_id\" : \"%s\"\n}",
      USER);
  g_assert_cmpstr (body, ==, expected_body);
  g_assert_true (g_str_has_prefix (response, "{\n  \"success\" : true,\n"));
  g_assert_nonnull (strstr (response_headers, "Date: "));
}

/* New exchanges come in on top; the one being read stays selected. */
static void
test_live (InspectorFixture *fixture, gconstpointer data)
{
  PwExchange *first = pw_inspector_get_exchange (fixture->inspector);

  run_tracker_for (&fixture->base, fixture->tracker, 250);
  g_assert_cmpuint (g_list_model_get_n_items (listed (fixture)), >=, 3);
  g_assert_true (pw_inspector_get_exchange (fixture->inspector) == first);

  select_row (fixture, 0);
  g_assert_true (pw_inspector_get_exchange (fixture->inspector) != first);
  g_assert_cmpint (
      pw_exchange_get_started_real_us (pw_inspector_get_exchange (fixture->inspector)), >,
      pw_exchange_get_started_real_us (first));
}

/* An error: its row, the status, and a body that is not JSON as it came. */
static void
test_error (InspectorFixture *fixture, gconstpointer data)
{
  g_autofree char *body = NULL;

  fixture_fault (&fixture->base, "{\"status\": 503, \"body\": \"<html>busy</html>\","
                                 " \"content_type\": \"text/html\"}");
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, "gs_inspect"));
  settle_tracker (fixture->tracker);
  select_row (fixture, 0);

  g_assert_cmpstr (label (fixture, "status_label"), ==, "503 Service Unavailable");
  g_assert_true (gtk_widget_get_visible (child (fixture, "error_row")));
  g_assert_cmpstr (label (fixture, "error_label"), !=, "—");
  body = view_text (fixture, "response_body_view");
  g_assert_cmpstr (body, ==, "<html>busy</html>");
}

/* A server clock far off is flagged. */
static void
test_skew (InspectorFixture *fixture, gconstpointer data)
{
  fixture_fault (&fixture->base,
                 "{\"headers\": {\"Date\": \"Mon, 01 Jan 2001 00:00:00 GMT\"}}");
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, "gs_inspect"));
  settle_tracker (fixture->tracker);
  select_row (fixture, 0);

  g_assert_nonnull (strstr (label (fixture, "server_date_label"), "s off)"));
}

/* The key: the server echoes it in a body, a header, the request id and
 * the code; no view shows it, in no exchange, nor does any copy but the
 * one that asks for it. */
static void
test_redaction (InspectorFixture *fixture, gconstpointer data)
{
  GtkWidget *inspector = GTK_WIDGET (fixture->inspector);
  g_autofree char *curl = NULL;
  g_autofree char *curl_key = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *clipboard = NULL;
  guint n_items;

  fixture_fault (&fixture->base,
                 "{\"status\": 503, \"body\": \"no: " TEST_API_KEY
                 "\", \"content_type\": "
                 "\"text/plain\", \"headers\": {\"X-Echo\": \"" TEST_API_KEY "\"}}");
  fixture_fault (&fixture->base,
                 "{\"status\": 500, \"body\": "
                 "\"{\\\"success\\\":false,\\\"request_id\\\":\\\"" TEST_API_KEY
                 "\\\",\\\"error\\\":{\\\"code\\\":\\\"" TEST_API_KEY
                 "\\\",\\\"message\\\":\\\"bad key " TEST_API_KEY "\\\"}}\"}");
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, "gs_inspect"));
  run_tracker_for (&fixture->base, fixture->tracker, 30);

  n_items = g_list_model_get_n_items (listed (fixture));
  g_assert_cmpuint (n_items, >=, 4);

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *shown = NULL;

      select_row (fixture, i);
      gui_draw ();
      shown = gui_collect_text (inspector);
      g_assert_null (strstr (shown, TEST_API_KEY));
      g_assert_nonnull (strstr (shown, "X-Api-Key: [redacted]"));
      if (pw_exchange_get_status (pw_inspector_get_exchange (fixture->inspector)) == 503)
        {
          g_assert_nonnull (strstr (shown, "no: [redacted]"));
          g_assert_nonnull (strstr (shown, "X-Echo: [redacted]"));
        }

      g_free (curl);
      curl = pw_inspector_dup_curl (fixture->inspector, FALSE);
      g_assert_null (strstr (curl, TEST_API_KEY));
      g_assert_nonnull (strstr (curl, PW_CURL_KEY_PLACEHOLDER));
    }

  ticket = pw_inspector_dup_ticket (fixture->inspector);
  g_assert_null (strstr (ticket, TEST_API_KEY));
  g_assert_nonnull (strstr (ticket, "no: [redacted]"));
  g_assert_nonnull (strstr (ticket, "bad key [redacted]"));

  /* The clipboard gets what the menu says. */
  g_assert_true (gtk_widget_activate_action (inspector, "inspector.copy-curl", NULL));
  clipboard = gui_read_clipboard (inspector);
  g_assert_cmpstr (clipboard, ==, curl);
  g_clear_pointer (&clipboard, g_free);

  g_assert_true (gtk_widget_activate_action (inspector, "inspector.copy-ticket", NULL));
  clipboard = gui_read_clipboard (inspector);
  g_assert_null (strstr (clipboard, TEST_API_KEY));
  g_assert_true (g_str_has_prefix (clipboard, "PlayWave session gs_inspect\n"));
  g_clear_pointer (&clipboard, g_free);

  /* Only when asked for: the key itself. */
  g_assert_true (
      gtk_widget_activate_action (inspector, "inspector.copy-curl-with-key", NULL));
  clipboard = gui_read_clipboard (inspector);
  g_assert_nonnull (strstr (clipboard, "'X-Api-Key: " TEST_API_KEY "'"));
  curl_key = pw_inspector_dup_curl (fixture->inspector, TRUE);
  g_assert_cmpstr (clipboard, ==, curl_key);
}

static void
test_empty (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  PwTracker *tracker = pw_tracker_new (clock);
  PwExchangeHistory *history = pw_exchange_history_new (tracker, 5);
  g_autoptr (PwClient) client =
      pw_client_new ("http://127.0.0.1:9/v1", TEST_API_KEY, NULL);
  PwSession *session;
  GtkWidget *inspector;
  GtkStack *stack;

  /* Paused: no request ever leaves. */
  pw_tracker_add_connection (tracker, "quiet", client);
  session = pw_tracker_track (tracker, "gs_quiet", "1", "quiet", TRUE, NULL);

  g_assert_nonnull (session);
  inspector = g_object_ref (pw_inspector_new (NULL, tracker, history, session));
  stack = GTK_STACK (
      gtk_widget_get_template_child (inspector, PW_TYPE_INSPECTOR, "list_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_null (pw_inspector_get_exchange (PW_INSPECTOR (inspector)));
  g_assert_null (pw_inspector_dup_curl (PW_INSPECTOR (inspector), FALSE));
  g_assert_null (pw_inspector_dup_curl (PW_INSPECTOR (inspector), TRUE));

  gtk_window_destroy (GTK_WINDOW (inspector));
  g_assert_finalize_object (inspector);
  g_assert_finalize_object (history);
  g_assert_finalize_object (tracker);
}

int
main (int argc, char **argv)
{
  gui_test_init (&argc, &argv);
  /* The templates are in the GUI library's resource bundle; nothing else
   * registers it in a test. */
  g_resources_register (pw_get_resource ());

  g_test_add_func ("/inspector/empty", test_empty);

#define ADD(path, func)                                                                  \
  g_test_add (path, InspectorFixture, NULL, inspector_set_up, func, inspector_tear_down)
  ADD ("/inspector/shows-exchange", test_shows_exchange);
  ADD ("/inspector/live", test_live);
  ADD ("/inspector/error", test_error);
  ADD ("/inspector/skew", test_skew);
  ADD ("/inspector/redaction", test_redaction);
#undef ADD

  return g_test_run ();
}
