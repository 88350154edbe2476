/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pw-gui-test-util.h"
#include "pw-detail-pane.h"
#include "pw-format.h"
#include "pw-resources.h"
#include "pw-test-util.h"
#include "pw-tracker.h"

/* The detail pane, following sessions of a real tracker that heartbeats the
 * in-process sandbox on a fake clock; its countdowns move with the ticker. */

#define USER "555"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwTicker *ticker;
  PwExchangeHistory *history;
  GtkWindow *window;
  PwDetailPane *pane;
} PaneFixture;

static void
pane_set_up (PaneFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->ticker = pw_ticker_new (fixture->base.clock);
  fixture->history =
      pw_exchange_history_new (fixture->tracker, PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION);

  fixture->pane = PW_DETAIL_PANE (
      pw_detail_pane_new (fixture->tracker, fixture->ticker, fixture->history));
  g_object_ref_sink (fixture->pane);
  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 480, 900);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->pane));
  gtk_window_present (fixture->window);
}

static void
pane_tear_down (PaneFixture *fixture, gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->pane);
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->ticker);
  g_assert_finalize_object (fixture->tracker);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sandbox_fixture_tear_down (&fixture->base, data);
}

static void
settle (PaneFixture *fixture)
{
  settle_tracker (fixture->tracker);
}

/* Protocol time, one second at a time, with a tick after each second. */
static void
run_for (PaneFixture *fixture, guint seconds)
{
  settle (fixture);
  for (guint i = 0; i < seconds; i++)
    {
      fixture_advance (&fixture->base, 1);
      settle (fixture);
      pw_ticker_tick (fixture->ticker);
    }
}

static PwSession *
track_new (PaneFixture *fixture, const char *pc_id)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc_id, -1);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error);
  g_assert_no_error (error);

  return session;
}

static gpointer
child (PaneFixture *fixture, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->pane),
                                                   PW_TYPE_DETAIL_PANE, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
text (PaneFixture *fixture, const char *name)
{
  return gtk_label_get_text (child (fixture, name));
}

static gboolean
shown (PaneFixture *fixture, const char *name)
{
  return gtk_widget_get_visible (child (fixture, name));
}

#define ADD(path, func)                                                                  \
  g_test_add (path, PaneFixture, NULL, pane_set_up, func, pane_tear_down)

static void
test_new_destroy (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  PwTracker *tracker = pw_tracker_new (clock);
  PwTicker *ticker = pw_ticker_new (clock);
  PwExchangeHistory *history = pw_exchange_history_new (tracker, 5);
  GtkWidget *pane = g_object_ref_sink (pw_detail_pane_new (tracker, ticker, history));

  g_assert_null (pw_detail_pane_get_session (PW_DETAIL_PANE (pane)));
  g_assert_finalize_object (pane);
  g_assert_finalize_object (history);
  g_assert_finalize_object (ticker);
  g_assert_finalize_object (tracker);
}

static void
test_no_session (PaneFixture *fixture, gconstpointer data)
{
  GtkStack *stack = child (fixture, "stack");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "copy_button")));
}

static void
test_shows_session (PaneFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1");
  GtkStack *stack = child (fixture, "stack");

  settle (fixture);
  pw_detail_pane_set_session (fixture->pane, session);
  g_assert_true (pw_detail_pane_get_session (fixture->pane) == session);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "session");

  g_assert_cmpstr (text (fixture, "title_label"), ==, pw_session_get_id (session));
  g_assert_cmpstr (text (fixture, "user_label"), ==, USER);
  g_assert_cmpstr (text (fixture, "connection_label"), ==, "sandbox");
  g_assert_cmpstr (text (fixture, "state_label"), ==, "Active");
  g_assert_true (gtk_widget_has_css_class (child (fixture, "state_icon"), "success"));
  g_assert_cmpstr (text (fixture, "heartbeats_label"), ==, "Running");
  g_assert_cmpstr (text (fixture, "from_start_label"), ==, "Yes");
  g_assert_cmpstr (text (fixture, "server_label"), ==, "0:00");
  g_assert_cmpstr (text (fixture, "drift_label"), ==, "+0 s");
  g_assert_cmpstr (text (fixture, "status_label"), ==, "200");
  g_assert_cmpstr (text (fixture, "result_label"), ==, "OK");
  g_assert_cmpstr (text (fixture, "code_label"), ==, "—");
  g_assert_cmpstr (text (fixture, "request_id_label"), ==,
                   pw_session_get_last_request_id (session));
  g_assert_false (shown (fixture, "end_group"));

  /* Later answers show up by themselves. */
  run_for (fixture, 150);
  g_assert_cmpstr (text (fixture, "request_id_label"), ==,
                   pw_session_get_last_request_id (session));
  g_assert_cmpstr (text (fixture, "client_label"), ==, "2:30");

  /* No session again. */
  pw_detail_pane_set_session (fixture->pane, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static void
test_countdowns_tick (PaneFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1");
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;
  gint64 left;

  settle (fixture);
  pw_ticker_tick (fixture->ticker);
  pw_detail_pane_set_session (fixture->pane, session);

  g_assert_true (shown (fixture, "timers_group"));
  g_assert_true (shown (fixture, "next_row"));
  g_assert_false (shown (fixture, "expiry_row"));
  g_assert_false (shown (fixture, "grace_row"));
  left = pw_session_get_next_due_us (session) - pw_ticker_get_now_us (fixture->ticker);
  expected = pw_format_countdown (left);
  g_assert_cmpstr (text (fixture, "next_label"), ==, expected);
  before = g_strdup (text (fixture, "next_label"));

  /* The clock moves and the ticker ticks. */
  fixture_advance (&fixture->base, 10);
  pw_ticker_tick (fixture->ticker);
  g_assert_cmpstr (text (fixture, "next_label"), !=, before);
  g_clear_pointer (&expected, g_free);
  expected = pw_format_countdown (left - 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (text (fixture, "next_label"), ==, expected);
  g_assert_cmpstr (text (fixture, "client_label"), ==, "0:10");

  /* Paused: the expiry countdown instead of the next heartbeat. */
  g_assert_true (
      pw_tracker_set_paused (fixture->tracker, pw_session_get_id (session), TRUE));
  g_assert_cmpstr (text (fixture, "heartbeats_label"), ==, "Paused");
  g_assert_cmpstr (gtk_button_get_label (child (fixture, "pause_button")), ==, "_Resume");
  g_assert_false (shown (fixture, "next_row"));
  g_assert_true (shown (fixture, "expiry_row"));
  g_assert_cmpstr (text (fixture, "expiry_label"), ==, "in 3:50");
  run_for (fixture, 50);
  g_assert_cmpstr (text (fixture, "expiry_label"), ==, "in 3:00");

  g_assert_true (
      pw_tracker_set_paused (fixture->tracker, pw_session_get_id (session), FALSE));
  g_assert_cmpstr (gtk_button_get_label (child (fixture, "pause_button")), ==, "_Pause");
  g_assert_false (shown (fixture, "expiry_row"));
}

static void
test_grace_countdown (PaneFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, "pc-1", 20);
  PwSession *session;

  g_assert_true (pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, 10));
  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, NULL);
  pw_detail_pane_set_session (fixture->pane, session);
  run_for (fixture, 30);

  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_CHARGE_EXHAUSTED);
  g_assert_true (shown (fixture, "grace_row"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "state_icon"), "warning"));
  g_assert_false (gtk_widget_has_css_class (child (fixture, "state_icon"), "success"));
  g_assert_nonnull (strstr (text (fixture, "grace_label"), "in 1:"));
}

static void
test_ended (PaneFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1");

  pw_detail_pane_set_session (fixture->pane, session);
  run_for (fixture, 40);
  g_assert_true (
      pw_tracker_end_session (fixture->tracker, pw_session_get_id (session), 42));
  settle (fixture);
  pw_ticker_tick (fixture->ticker);

  g_assert_cmpstr (text (fixture, "state_label"), ==, "Ended");
  g_assert_cmpstr (text (fixture, "heartbeats_label"), ==, "Stopped");
  g_assert_false (shown (fixture, "timers_group"));
  g_assert_true (shown (fixture, "end_group"));
  g_assert_cmpstr (text (fixture, "end_server_label"), ==, "0:40");
  g_assert_cmpstr (text (fixture, "end_client_label"), ==, "0:42");
  g_assert_cmpstr (text (fixture, "end_drift_label"), ==, "+2 s");
  g_assert_cmpstr (text (fixture, "client_label"), ==, "—");
}

static GtkWidget *
first_row_box (GtkWidget *widget)
{
  /* listview > row > box */
  GtkWidget *row = gtk_widget_get_first_child (widget);

  while (row != NULL && !GTK_IS_BOX (gtk_widget_get_first_child (row)))
    row = gtk_widget_get_next_sibling (row);

  return row != NULL ? gtk_widget_get_first_child (row) : NULL;
}

static void
test_recent_requests (PaneFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1");
  PwSession *other = track_new (fixture, "pc-2");
  GListModel *model = child (fixture, "requests_model");
  GtkStack *stack = child (fixture, "requests_stack");
  g_autoptr (PwExchange) newest = NULL;
  GtkWidget *box;
  const char *summary;

  /* Bound before the first exchange. */
  pw_detail_pane_set_session (fixture->pane, session);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  settle (fixture);
  for (guint i = 0; i < 3; i++)
    {
      fixture_advance (&fixture->base, 1);
      g_assert_true (
          pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
      settle (fixture);
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  /* Newest first. */
  newest = g_list_model_get_item (model, 0);
  g_assert_cmpstr (pw_exchange_get_request_id (newest), ==,
                   pw_session_get_last_request_id (session));
  for (guint i = 1; i < 4; i++)
    {
      g_autoptr (PwExchange) a = g_list_model_get_item (model, i - 1);
      g_autoptr (PwExchange) b = g_list_model_get_item (model, i);

      g_assert_cmpint (pw_exchange_get_started_real_us (a), >=,
                       pw_exchange_get_started_real_us (b));
    }

  /* The rows, once drawn: "PATCH 200 OK · 3 ms · req_…" with the time. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  box = first_row_box (child (fixture, "requests_view"));
  g_assert_nonnull (box);
  summary = gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box)));
  g_assert_true (g_str_has_prefix (summary, "PATCH 200 OK · "));
  g_assert_true (g_str_has_suffix (summary, pw_exchange_get_request_id (newest)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (box), "Sent "));

  /* Another session, its own list. */
  pw_detail_pane_set_session (fixture->pane, other);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
}

static void
clipboard_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  g_assert_nonnull (*out);
}

static void
test_copy_id (PaneFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1");
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->pane));
  g_autofree char *copied = NULL;

  pw_detail_pane_set_session (fixture->pane, session);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "detail.copy-id", NULL));

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, pw_session_get_id (session));
}

static void
count_activate_cb (GSimpleAction *action, GVariant *parameter, guint *count)
{
  (*count)++;
}

/* The buttons activate the window's actions on the selected session. */
static void
test_window_actions (PaneFixture *fixture, gconstpointer data)
{
  static const char *const names[] = { "win.heartbeat-now", "win.toggle-pause",
                                       "win.end-session" };
  static const char *const buttons[] = { "heartbeat_button", "pause_button",
                                         "end_button" };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  guint activated[G_N_ELEMENTS (names)] = { 0 };
  GAction *end;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new (names[i] + 4, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (count_activate_cb),
                        &activated[i]);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }

  /* Without the window's actions the buttons do nothing. */
  pw_detail_pane_set_session (fixture->pane, track_new (fixture, "pc-1"));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "heartbeat_button")));
  g_assert_true (gtk_widget_is_sensitive (child (fixture, "copy_button")));

  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win",
                                  G_ACTION_GROUP (group));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = child (fixture, buttons[i]);

      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                       names[i]);
      g_assert_true (gtk_widget_is_sensitive (button));
      g_signal_emit_by_name (button, "clicked");
      g_assert_cmpuint (activated[i], ==, 1);
    }

  /* A disabled window action makes its button insensitive. */
  end = g_action_map_lookup_action (G_ACTION_MAP (group), "end-session");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (end), FALSE);
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "end_button")));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", NULL);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);
  /* The templates are in the GUI library's resource bundle; nothing else
   * in this test pulls it out of the static library. */
  g_resources_register (pw_get_resource ());

  g_test_add_func ("/detail-pane/new-destroy", test_new_destroy);
  ADD ("/detail-pane/no-session", test_no_session);
  ADD ("/detail-pane/shows-session", test_shows_session);
  ADD ("/detail-pane/countdowns-tick", test_countdowns_tick);
  ADD ("/detail-pane/grace-countdown", test_grace_countdown);
  ADD ("/detail-pane/ended", test_ended);
  ADD ("/detail-pane/recent-requests", test_recent_requests);
  ADD ("/detail-pane/copy-id", test_copy_id);
  ADD ("/detail-pane/window-actions", test_window_actions);

  return g_test_run ();
}
