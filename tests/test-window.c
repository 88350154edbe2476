/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "pw-gui-test-util.h"
#include "pw-application.h"
#include "pw-demo.h"
#include "pw-exchange-history.h"
#include "pw-session-columns.h"
#include "pw-state-file.h"
#include "pw-test-util.h"
#include "pw-window.h"

/* The window against the sandbox over loopback, on a fake clock: rows,
 * sorting, filtering, freeze, the one tick that drives only bound timer
 * cells, actions reaching the tracker; and the application: quit ends live
 * sessions, a damaged state file still opens the window, bad --track
 * arguments exit with status 2. Runs under Xvfb (tests/meson.build). */

#define USER "4242"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwWindow *window;
} WindowFixture;

/* Helpers */

static void
window_set_up_full (WindowFixture *fixture, gboolean connected)
{
  sandbox_fixture_set_up (&fixture->base, NULL);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  if (connected)
    pw_tracker_add_connection (fixture->tracker, PW_CONNECTION_ENVIRONMENT,
                               fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->history = pw_exchange_history_new (fixture->tracker, 20);
  fixture->window = pw_window_new (NULL, fixture->tracker, fixture->history);
  g_object_ref (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_draw ();
}

static void
window_set_up (WindowFixture *fixture, gconstpointer data)
{
  window_set_up_full (fixture, TRUE);
}

static void
window_set_up_unconnected (WindowFixture *fixture, gconstpointer data)
{
  window_set_up_full (fixture, FALSE);
}

static void
window_tear_down (WindowFixture *fixture, gconstpointer data)
{
  GList *toplevels;

  /* Dialogs a test opened go first. */
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);
  g_list_free (toplevels);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  gui_iterate ();
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->tracker);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();
  sandbox_fixture_tear_down (&fixture->base, data);
}

static PwSession *
track (WindowFixture *fixture, const char *id, const char *user, gint64 charge_sec)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *created =
      pw_sandbox_create_session (fixture->base.sandbox, id, user, NULL, charge_sec);
  PwSession *session;

  g_assert_nonnull (created);
  session = pw_tracker_track (fixture->tracker, id, user, PW_CONNECTION_ENVIRONMENT,
                              FALSE, &error);
  g_assert_no_error (error);

  return session;
}

static GListModel *
shown (WindowFixture *fixture)
{
  return G_LIST_MODEL (pw_window_get_selection (fixture->window));
}

static const char *
shown_id (WindowFixture *fixture, guint position)
{
  g_autoptr (PwSession) session = g_list_model_get_item (shown (fixture), position);

  g_assert_nonnull (session);
  return pw_session_get_id (session);
}

static void
advance (WindowFixture *fixture, guint seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      fixture_advance (&fixture->base, 1);
      settle_tracker (fixture->tracker);
    }
}

static void
select_only (WindowFixture *fixture, const char *id)
{
  GListModel *model = shown (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (shown_id (fixture, i), id))
      {
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, TRUE);
        return;
      }

  g_assert_not_reached ();
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* Tests of the window */

static void
test_empty (WindowFixture *fixture, gconstpointer data)
{
  g_assert_cmpstr (pw_window_get_page (fixture->window), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

static void
test_no_connection (WindowFixture *fixture, gconstpointer data)
{
  pw_window_set_connection_problem (fixture->window, "PLAYWAVE_API_KEY is not set.");
  g_assert_cmpstr (pw_window_get_page (fixture->window), ==, "no-connection");
}

static void
test_rows (WindowFixture *fixture, gconstpointer data)
{
  track (fixture, "gs_rows-a", "1", -1);
  track (fixture, "gs_rows-b", "2", -1);
  track (fixture, "gs_rows-c", "3", -1);
  settle_tracker (fixture->tracker);

  g_assert_cmpstr (pw_window_get_page (fixture->window), ==, "sessions");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 3);
  g_assert_true (gtk_column_view_get_model (pw_window_get_column_view (
                     fixture->window)) == pw_window_get_selection (fixture->window));

  g_assert_true (pw_tracker_untrack (fixture->tracker, "gs_rows-b"));
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 2);
}

static void
test_sort (WindowFixture *fixture, gconstpointer data)
{
  GtkColumnView *view = pw_window_get_column_view (fixture->window);
  GtkColumnViewColumn *column;
  g_autoptr (GError) error = NULL;

  track (fixture, "gs_sort-b", "2", -1);
  track (fixture, "gs_sort-c", "1", -1);
  track (fixture, "gs_sort-a", "3", -1);
  /* Unknown to the server: 404, "Not found". */
  g_assert_nonnull (pw_tracker_track (fixture->tracker, "gs_sort-0", "9",
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  settle_tracker (fixture->tracker);

  column = pw_session_columns_get (view, PW_SESSION_COLUMN_SESSION);
  gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_sort-0");
  g_assert_cmpstr (shown_id (fixture, 3), ==, "gs_sort-c");
  gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_sort-c");

  column = pw_session_columns_get (view, PW_SESSION_COLUMN_USER);
  gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_sort-c");
  g_assert_cmpstr (shown_id (fixture, 3), ==, "gs_sort-0");

  /* By state: Active before Not found; a change moves the row at the next
   * refresh (tick), not before. */
  column = pw_session_columns_get (view, PW_SESSION_COLUMN_STATE);
  gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_sort-0");

  g_assert_true (
      pw_tracker_end_session (fixture->tracker, "gs_sort-a", PW_TRACKER_DURATION_AUTO));
  settle_tracker (fixture->tracker);
  g_assert_cmpint (
      pw_session_get_state (pw_tracker_lookup (fixture->tracker, "gs_sort-a")), ==,
      PW_SESSION_STATE_ENDED);
  pw_window_refresh (fixture->window);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_sort-a");
  g_assert_cmpstr (shown_id (fixture, 1), ==, "gs_sort-0");
}

static void
test_freeze (WindowFixture *fixture, gconstpointer data)
{
  GtkColumnView *view = pw_window_get_column_view (fixture->window);
  GtkSelectionModel *model = pw_window_get_selection (fixture->window);

  track (fixture, "gs_freeze-1", "1", -1);
  track (fixture, "gs_freeze-2", "2", -1);
  track (fixture, "gs_freeze-3", "3", -1);
  settle_tracker (fixture->tracker);

  gtk_column_view_sort_by_column (
      view, pw_session_columns_get (view, PW_SESSION_COLUMN_STATE), GTK_SORT_DESCENDING);
  select_only (fixture, "gs_freeze-3");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.freeze-order", NULL));
  g_assert_true (pw_window_get_freeze_order (fixture->window));

  /* Ending one would move it to the top; frozen, nothing moves. */
  g_assert_true (
      pw_tracker_end_session (fixture->tracker, "gs_freeze-2", PW_TRACKER_DURATION_AUTO));
  settle_tracker (fixture->tracker);
  advance (fixture, 2);
  pw_window_refresh (fixture->window);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_freeze-1");
  g_assert_cmpstr (shown_id (fixture, 1), ==, "gs_freeze-2");
  g_assert_true (gtk_selection_model_is_selected (model, 2));

  /* Unfrozen, it catches up; the selection follows its session. */
  pw_window_set_freeze_order (fixture->window, FALSE);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_freeze-2");
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_selection_model_is_selected (model, i) ==
                   g_str_equal (shown_id (fixture, i), "gs_freeze-3"));
}

static void
test_filter (WindowFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  track (fixture, "gs_filter-alpha", "111", -1);
  track (fixture, "gs_filter-beta", "222", -1);
  track (fixture, "gs_filter-gamma", "333", -1);
  g_assert_nonnull (pw_tracker_track (fixture->tracker, "gs_filter-lost", "444",
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  settle_tracker (fixture->tracker);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 4);

  /* By session id or user id, case-insensitively. */
  pw_window_set_search_text (fixture->window, "BETA");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_filter-beta");
  pw_window_set_search_text (fixture->window, "333");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_filter-gamma");
  pw_window_set_search_text (fixture->window, "nothing-like-it");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 0);
  g_assert_cmpstr (pw_window_get_page (fixture->window), ==, "no-results");
  pw_window_set_search_text (fixture->window, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 4);

  /* By state. */
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_FINISHED);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "gs_filter-lost");
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_ATTENTION);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_LIVE);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 3);

  /* A paused session joins "Paused" at the next refresh. */
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_PAUSED);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 0);
  g_assert_true (pw_tracker_set_paused (fixture->tracker, "gs_filter-alpha", TRUE));
  pw_window_refresh (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);

  /* Both at once. */
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_LIVE);
  pw_window_set_search_text (fixture->window, "gamma");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);
  pw_window_set_state_filter (fixture->window, PW_STATE_FILTER_ALL);
  pw_window_set_search_text (fixture->window, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 4);
}

/* 2,000 sessions: only the bound rows' timer cells follow the tick. */
/* Client time and next: the columns with a live timer, when shown (a
 * narrow list drops the client time first). */
static guint
n_timer_columns_shown (GtkColumnView *view)
{
  return gtk_column_view_column_get_visible (
             pw_session_columns_get (view, PW_SESSION_COLUMN_CLIENT_TIME)) +
         gtk_column_view_column_get_visible (
             pw_session_columns_get (view, PW_SESSION_COLUMN_NEXT));
}

static void
test_ticker_bound_rows_only (WindowFixture *fixture, gconstpointer data)
{
  GtkColumnView *view = pw_window_get_column_view (fixture->window);
  g_autofree char *text = NULL;
  PwSession *first = NULL;
  guint n_ticking;
  guint64 before;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_tick-%04u", i);
      g_autoptr (GError) error = NULL;
      /* Paused: both timers (client time, expiry) run, and no traffic. */
      PwSession *session = pw_tracker_track (fixture->tracker, id, USER,
                                             PW_CONNECTION_ENVIRONMENT, TRUE, &error);

      g_assert_no_error (error);
      if (first == NULL)
        first = session;
    }
  settle_tracker (fixture->tracker);
  gui_draw ();
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 2000);

  n_ticking = pw_session_columns_get_n_ticking (view);
  g_test_message ("%u timer cells connected to the ticker for 2000 sessions", n_ticking);
  g_assert_cmpuint (n_ticking, >, 0);
  g_assert_cmpuint (n_ticking, <=, 2 * 210);

  before = pw_session_columns_get_n_tick_updates (view);
  advance (fixture, 1);
  g_assert_cmpuint (pw_session_columns_get_n_tick_updates (view) - before, ==, n_ticking);

  /* What the first row's timers show follows the clock. */
  text = pw_session_columns_dup_text (
      fixture->tracker, first, PW_SESSION_COLUMN_CLIENT_TIME,
      pw_ticker_get_now_us (pw_window_get_ticker (fixture->window)));
  g_assert_cmpstr (text, ==, "0:01");

  /* Filtering most rows away unbinds their cells. */
  pw_window_set_search_text (fixture->window, "gs_tick-000");
  gui_draw ();
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 10);
  g_assert_cmpuint (pw_session_columns_get_n_ticking (view), ==,
                    10 * n_timer_columns_shown (view));
}

static void
test_timer_texts (WindowFixture *fixture, gconstpointer data)
{
  PwTicker *ticker = pw_window_get_ticker (fixture->window);
  g_autofree char *next = NULL;
  g_autofree char *result = NULL;
  g_autofree char *expiry = NULL;
  PwSession *session;

  pw_sandbox_set_ending_sec (fixture->base.sandbox, 10);
  session = track (fixture, "gs_text", USER, 5);
  settle_tracker (fixture->tracker);
  next = pw_session_columns_dup_text (fixture->tracker, session, PW_SESSION_COLUMN_NEXT,
                                      pw_ticker_get_now_us (ticker));
  g_assert_true (g_str_has_prefix (next, "in "));
  result = pw_session_columns_dup_text (fixture->tracker, session,
                                        PW_SESSION_COLUMN_LAST_RESULT, 0);
  g_assert_cmpstr (result, ==, "OK");

  g_assert_true (pw_tracker_set_paused (fixture->tracker, "gs_text", TRUE));
  expiry = pw_session_columns_dup_text (fixture->tracker, session, PW_SESSION_COLUMN_NEXT,
                                        pw_ticker_get_now_us (ticker));
  g_assert_true (g_str_has_prefix (expiry, "expires in "));
}

static void
test_actions (WindowFixture *fixture, gconstpointer data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  PwSession *a = track (fixture, "gs_act-a", "1", -1);
  PwSession *b = track (fixture, "gs_act-b", "2", -1);
  g_autofree char *state = NULL;
  AdwMessageDialog *dialog;
  guint before;

  settle_tracker (fixture->tracker);
  before = pw_sandbox_get_request_count (fixture->base.sandbox);

  /* F5 on the selected session sends a heartbeat now. */
  select_only (fixture, "gs_act-a");
  g_assert_true (gtk_widget_activate_action (window, "win.heartbeat-now", NULL));
  settle_tracker (fixture->tracker);
  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->base.sandbox), ==, before + 1);

  /* Ctrl+P pauses, again resumes (and heartbeats at once). */
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-pause", NULL));
  g_assert_true (pw_session_get_paused (a));
  g_assert_false (pw_session_get_paused (b));
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-pause", NULL));
  g_assert_false (pw_session_get_paused (a));
  settle_tracker (fixture->tracker);

  /* Ctrl+C copies the id. */
  g_assert_true (gtk_widget_activate_action (window, "win.copy-session-id", NULL));

  /* Several selected: one confirmation, then every one is ended. */
  gtk_selection_model_select_all (pw_window_get_selection (fixture->window));
  g_assert_true (gtk_widget_activate_action (window, "win.end-session", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "end");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (a), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_state (b), ==, PW_SESSION_STATE_ENDED);
  state = pw_sandbox_dup_session_state (fixture->base.sandbox, "gs_act-a");
  g_assert_cmpstr (state, ==, "ended");

  /* Stop tracking, after its confirmation. */
  g_assert_true (gtk_widget_activate_action (window, "win.stop-tracking", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "stop");
  gui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 0);
  g_assert_cmpstr (pw_window_get_page (fixture->window), ==, "empty");
}

static void
test_remembers_size (WindowFixture *fixture, gconstpointer data)
{
  PwWindow *old = fixture->window;
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (old), 901, 601);
  gui_draw ();
  gtk_window_destroy (GTK_WINDOW (old));
  gui_iterate ();
  g_assert_finalize_object (old);

  /* GSETTINGS_BACKEND=memory: the next window of this process reads it. */
  fixture->window =
      g_object_ref (pw_window_new (NULL, fixture->tracker, fixture->history));
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 901);
  g_assert_cmpint (height, ==, 601);
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_ticker (void)
{
  PwClock *clock = pw_fake_clock_new ();
  PwTicker *ticker = pw_ticker_new (clock);
  guint ticks = 0;

  g_signal_connect (ticker, "notify::now-us", G_CALLBACK (count_notify_cb), &ticks);
  g_assert_cmpint (pw_ticker_get_now_us (ticker), ==, pw_clock_get_monotonic_us (clock));

  /* A tick with the clock standing still notifies nothing. */
  pw_ticker_tick (ticker);
  g_assert_cmpuint (ticks, ==, 0);

  /* The clock moved (or jumped): one notification. */
  pw_fake_clock_advance (PW_FAKE_CLOCK (clock), G_USEC_PER_SEC);
  g_assert_cmpuint (ticks, ==, 1);
  g_assert_cmpint (pw_ticker_get_now_us (ticker), ==, pw_clock_get_monotonic_us (clock));

  /* Slow while hidden; fast again ticks at once. */
  pw_ticker_set_slow (ticker, TRUE);
  g_assert_true (pw_ticker_get_slow (ticker));
  pw_ticker_set_slow (ticker, FALSE);
  g_assert_false (pw_ticker_get_slow (ticker));

  g_assert_finalize_object (ticker);
  g_assert_finalize_object (clock);
}

/* Tests of the application */

typedef struct
{
  SandboxFixture base;
  char *dir;
  char *state_path;
} AppFixture;

static gboolean
ignore_session_bus (const char *log_domain,
                    GLogLevelFlags log_level,
                    const char *message,
                    gpointer user_data)
{
  /* Xvfb without D-Bus: GtkApplication says so and carries on. */
  return strstr (message, "session bus") == NULL;
}

static void
app_set_up (AppFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  fixture->state_path = g_build_filename (fixture->dir, "state.json", NULL);
  g_setenv ("PLAYWAVE_BASE_URL", fixture->base.base_url, TRUE);
  g_setenv ("PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);
}

static void
app_tear_down (AppFixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->state_path);
  g_unsetenv ("PLAYWAVE_BASE_URL");
  g_unsetenv ("PLAYWAVE_API_KEY");
  sandbox_fixture_tear_down (&fixture->base, data);
}

static PwApplication *
app_new (AppFixture *fixture)
{
  return g_object_new (PW_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE,
                       "state-path", fixture->state_path, NULL);
}

typedef void (*AppBody) (AppFixture *fixture, PwApplication *app);

typedef struct
{
  AppFixture *fixture;
  PwApplication *app;
  AppBody body;
} AppRun;

static gboolean
app_body_cb (gpointer user_data)
{
  AppRun *run = user_data;

  gui_draw ();
  run->body (run->fixture, run->app);

  return G_SOURCE_REMOVE;
}

/* Runs the application as main() does, with @body called once the window
 * is up; @body must make it quit. Returns the exit status. */
static int
app_run (AppFixture *fixture, AppBody body, int argc, const char **argv)
{
  PwApplication *app = app_new (fixture);
  AppRun run = { fixture, app, body };
  const char *no_args[] = { "playwave-monitor", NULL };
  int status;

  if (argv == NULL)
    {
      argc = 1;
      argv = no_args;
    }

  g_idle_add (app_body_cb, &run);
  status = g_application_run (G_APPLICATION (app), argc, (char **) argv);
  g_assert_finalize_object (app);
  gui_iterate ();

  return status;
}

static PwWindow *
app_window (PwApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (PW_IS_WINDOW (window));
  return PW_WINDOW (window);
}

static void
quit_ends_sessions_body (AppFixture *fixture, PwApplication *app)
{
  const char *ids[] = { "gs_quit-1", "gs_quit-2", "gs_quit-3" };
  PwTracker *tracker = pw_application_get_tracker (app);
  gint64 deadline;

  g_assert_cmpstr (pw_window_get_page (app_window (app)), ==, "empty");
  g_assert_cmpstr (pw_application_get_state_path (app), ==, fixture->state_path);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *user = g_strdup_printf ("%u", 100 + i);
      g_autofree char *id =
          pw_sandbox_create_session (fixture->base.sandbox, ids[i], user, NULL, -1);

      g_assert_nonnull (id);
      g_assert_nonnull (pw_tracker_track (tracker, ids[i], user,
                                          PW_CONNECTION_ENVIRONMENT, FALSE, NULL));
    }
  settle_tracker (tracker);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *state =
          pw_sandbox_dup_session_state (fixture->base.sandbox, ids[i]);

      g_assert_cmpstr (state, ==, "active");
    }

  /* What Ctrl+Q, the close button and SIGTERM do. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *state =
          pw_sandbox_dup_session_state (fixture->base.sandbox, ids[i]);

      g_assert_cmpstr (state, ==, "ended");
      g_assert_cmpint (pw_session_get_state (pw_tracker_lookup (tracker, ids[i])), ==,
                       PW_SESSION_STATE_ENDED);
    }
  /* And the state was saved on the way out. */
  g_assert_true (g_file_test (fixture->state_path, G_FILE_TEST_EXISTS));
}

static void
test_app_quit_ends_sessions (AppFixture *fixture, gconstpointer data)
{
  g_assert_cmpint (app_run (fixture, quit_ends_sessions_body, 0, NULL), ==, 0);
}

static void
damaged_state_body (AppFixture *fixture, PwApplication *app)
{
  GListModel *events =
      G_LIST_MODEL (pw_tracker_get_events (pw_application_get_tracker (app)));
  gboolean reported = FALSE;

  /* The window opens anyway, empty, and the event log says why. */
  g_assert_cmpstr (pw_window_get_page (app_window (app)), ==, "empty");
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr (PwEvent) event = g_list_model_get_item (events, i);

      reported |= pw_event_get_kind (event) == PW_EVENT_STATE_FILE_DAMAGED;
    }
  g_assert_true (reported);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_app_damaged_state (AppFixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;
  gboolean moved_aside = FALSE;

  g_assert_true (g_file_set_contents (fixture->state_path,
                                      "{\"version\": 1, \"sessions\": [tr", -1, NULL));
  g_assert_cmpint (app_run (fixture, damaged_state_body, 0, NULL), ==, 0);

  /* Moved aside, and a good one saved in its place on the way out. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    moved_aside |= strstr (name, ".damaged-") != NULL;
  g_assert_true (moved_aside);
}

static void
restores_body (AppFixture *fixture, PwApplication *app)
{
  PwTracker *tracker = pw_application_get_tracker (app);

  g_assert_nonnull (pw_tracker_lookup (tracker, "gs_saved"));
  g_assert_cmpstr (pw_window_get_page (app_window (app)), ==, "sessions");
  /* Live ones are heartbeated at once. */
  settle_tracker (tracker);
  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->base.sandbox), ==, 1);
  g_assert_cmpint (pw_session_get_state (pw_tracker_lookup (tracker, "gs_saved")), ==,
                   PW_SESSION_STATE_ACTIVE);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit-now", NULL);
}

static void
test_app_restores (AppFixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) saved =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, "gs_saved", USER, NULL, -1);
  PwSavedSession *session = pw_saved_session_new ("gs_saved", USER);

  session->connection = g_strdup (PW_CONNECTION_ENVIRONMENT);
  session->state = PW_SESSION_STATE_ACTIVE;
  session->tracked_since_real_us = g_get_real_time () - 60 * G_USEC_PER_SEC;
  session->last_success_real_us = g_get_real_time () - 30 * G_USEC_PER_SEC;
  g_ptr_array_add (saved, session);
  g_assert_true (pw_state_file_save (fixture->state_path, saved, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (app_run (fixture, restores_body, 0, NULL), ==, 0);
}

static void
command_line_body (AppFixture *fixture, PwApplication *app)
{
  PwTracker *tracker = pw_application_get_tracker (app);

  g_assert_nonnull (pw_tracker_lookup (tracker, "gs_cli-1"));
  g_assert_nonnull (pw_tracker_lookup (tracker, "gs_cli-2"));
  g_assert_nonnull (pw_tracker_lookup (tracker, "gs_cli-3"));
  pw_application_request_quit (app);
}

static void
test_app_command_line (AppFixture *fixture, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "sessions.txt", NULL);
  const char *bad[] = { "playwave-monitor", "--track", "gs_cli-1:42",
                        "--track",          "no-user", NULL };
  const char *good[] = { "playwave-monitor", "--track", "gs_cli-1:42",
                         "--track-file",     file,      NULL };
  PwApplication *app = app_new (fixture);

  /* A bad --track: usage error (2), nothing tracked, no window. */
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 5, (char **) bad), ==, 2);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_finalize_object (app);

  /* --track and --track-file: all of them tracked; quitting exits 0. */
  g_assert_true (
      g_file_set_contents (file, "# two more\ngs_cli-2:43\ngs_cli-3,44\n", -1, NULL));
  g_assert_cmpint (app_run (fixture, command_line_body, 5, good), ==, 0);
}

static PwSessionState
state_of (WindowFixture *fixture, const char *id)
{
  PwSession *session = pw_tracker_lookup (fixture->tracker, id);

  g_assert_nonnull (session);
  return pw_session_get_state (session);
}

/* The `--sandbox` demo on the fake clock: every state within about three
 * minutes. The replacement (added 20 s of real time after the start) is
 * checked by hand (README); everything else here. */
static void
test_demo_timeline (WindowFixture *fixture, gconstpointer data)
{
  g_autoptr (PwDemo) demo =
      pw_demo_new (fixture->base.sandbox, fixture->tracker, PW_CONNECTION_ENVIRONMENT);

  pw_demo_start (demo, 0);
  advance (fixture, 2);
  g_assert_cmpint (state_of (fixture, "gs_demo-unknown"), ==, PW_SESSION_STATE_LOST);
  g_assert_cmpint (state_of (fixture, "gs_demo-healthy-1"), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_true (
      pw_session_get_paused (pw_tracker_lookup (fixture->tracker, "gs_demo-paused")));

  advance (fixture, 60);
  g_assert_cmpint (state_of (fixture, "gs_demo-charge-40s"), ==,
                   PW_SESSION_STATE_CHARGE_EXHAUSTED);
  g_assert_cmpint (state_of (fixture, "gs_demo-paused"), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpint (state_of (fixture, "gs_demo-launcher-silent"), ==,
                   PW_SESSION_STATE_ACTIVE);

  /* 2:30 before the start plus 1:30: the 4-minute rules. */
  advance (fixture, 30);
  g_assert_cmpint (state_of (fixture, "gs_demo-paused"), ==, PW_SESSION_STATE_EXPIRED);
  advance (fixture, 30);
  g_assert_cmpint (state_of (fixture, "gs_demo-launcher-silent"), ==,
                   PW_SESSION_STATE_ENDED_BY_SERVER);

  /* Charge 0:40, then 2 minutes of grace: the server ends it (410
   * SESSION_ENDING or, a few seconds later, SESSION_ENDED; both stop). */
  advance (fixture, 60);
  {
    PwSessionState state = state_of (fixture, "gs_demo-charge-40s");

    g_assert_true (state == PW_SESSION_STATE_ENDING_BY_SERVER ||
                   state == PW_SESSION_STATE_ENDED_BY_SERVER);
  }
  g_assert_cmpint (state_of (fixture, "gs_demo-healthy-1"), ==, PW_SESSION_STATE_ACTIVE);
}

int
main (int argc, char **argv)
{
  /* No session bus: GApplication falls back to a plain local instance. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/playwave-test", TRUE);
  gui_test_init (&argc, &argv);
  g_test_log_set_fatal_handler (ignore_session_bus, NULL);

  g_test_add_func ("/ticker/tick", test_ticker);

#define ADD(path, setup, func)                                                           \
  g_test_add (path, WindowFixture, NULL, setup, func, window_tear_down)
  ADD ("/window/empty", window_set_up, test_empty);
  ADD ("/window/no-connection", window_set_up_unconnected, test_no_connection);
  ADD ("/window/rows", window_set_up, test_rows);
  ADD ("/window/sort", window_set_up, test_sort);
  ADD ("/window/freeze", window_set_up, test_freeze);
  ADD ("/window/filter", window_set_up, test_filter);
  ADD ("/window/ticker-bound-rows-only", window_set_up, test_ticker_bound_rows_only);
  ADD ("/window/timer-texts", window_set_up, test_timer_texts);
  ADD ("/window/actions", window_set_up, test_actions);
  ADD ("/window/remembers-size", window_set_up, test_remembers_size);
  ADD ("/window/demo-timeline", window_set_up, test_demo_timeline);
#undef ADD

#define ADD(path, func)                                                                  \
  g_test_add (path, AppFixture, NULL, app_set_up, func, app_tear_down)
  ADD ("/application/quit-ends-sessions", test_app_quit_ends_sessions);
  ADD ("/application/damaged-state", test_app_damaged_state);
  ADD ("/application/restores", test_app_restores);
  ADD ("/application/command-line", test_app_command_line);
#undef ADD

  return g_test_run ();
}
