/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pw-connection.h"
#include "pw-event-columns.h"
#include "pw-exchange-history.h"
#include "pw-gui-test-util.h"
#include "pw-resources.h"
#include "pw-json.h"
#include "pw-notifier.h"
#include "pw-status-panel.h"
#include "pw-test-util.h"
#include "pw-window.h"

/* The status panel over a real tracker's event log, heartbeating the
 * in-process sandbox on a fake clock: one row per state change in a
 * scenario with charge exhaustion, replacement and a dead launcher; the
 * live grace countdown; filters and search; acknowledging; copying; export
 * to JSON Lines and CSV that parse back to the same events; clearing; and,
 * in the window, going to a session, the bell's badge and F8. */

#define USER_A "1001"
#define USER_B "1002"
#define USER_C "1003"
#define USER_D "1004"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwTicker *ticker;
  GtkWindow *window;
  PwStatusPanel *panel;
  char *dir;
} PanelFixture;

/* Helpers */

static void
panel_set_up (PanelFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->ticker = pw_ticker_new (fixture->base.clock);
  fixture->panel =
      PW_STATUS_PANEL (pw_status_panel_new (fixture->tracker, fixture->ticker));
  g_object_ref_sink (fixture->panel);
  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 1200, 500);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->panel));
  gtk_window_present (fixture->window);
  fixture->dir = g_dir_make_tmp ("test-status-panel-XXXXXX", NULL);
}

static void
remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static void
panel_tear_down (PanelFixture *fixture, gconstpointer data)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);

  gtk_window_destroy (fixture->window);
  gui_iterate ();
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->panel);
  g_assert_finalize_object (fixture->ticker);
  g_assert_finalize_object (fixture->tracker);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  sandbox_fixture_tear_down (&fixture->base, data);
}

/* Protocol time, one second at a time, with a tick after each second. */
static void
run_for (PanelFixture *fixture, guint seconds)
{
  settle_tracker (fixture->tracker);
  for (guint i = 0; i < seconds; i++)
    {
      fixture_advance (&fixture->base, 1);
      settle_tracker (fixture->tracker);
      pw_ticker_tick (fixture->ticker);
    }
}

static PwSession *
track (PanelFixture *fixture,
       const char *id,
       const char *user,
       const char *pc,
       gint64 charge_sec,
       gint64 next_heartbeat_in)
{
  g_autofree char *created =
      pw_sandbox_create_session (fixture->base.sandbox, id, user, pc, charge_sec);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  g_assert_cmpstr (created, ==, id);
  if (next_heartbeat_in > 0)
    pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, next_heartbeat_in);
  session = pw_tracker_track (fixture->tracker, id, user, "sandbox", FALSE, &error);
  g_assert_no_error (error);

  return session;
}

static GListModel *
rows (PanelFixture *fixture)
{
  return G_LIST_MODEL (pw_status_panel_get_selection (fixture->panel));
}

static PwEvent *
row (PanelFixture *fixture, guint position)
{
  PwEvent *event = g_list_model_get_item (rows (fixture), position);

  g_assert_nonnull (event);
  g_object_unref (event); /* the model keeps it */
  return event;
}

/* The row of (session, kind), which must be the only one. */
static PwEvent *
find_row (PanelFixture *fixture, const char *session_id, PwEventKind kind)
{
  PwEvent *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (rows (fixture)); i++)
    {
      PwEvent *event = row (fixture, i);

      if (g_strcmp0 (pw_event_get_session_id (event), session_id) == 0 &&
          pw_event_get_kind (event) == kind)
        {
          g_assert_null (found);
          found = event;
        }
    }

  return found;
}

static void
add_event (PanelFixture *fixture,
           const char *session_id,
           PwEventKind kind,
           guint status,
           const char *code,
           const char *request_id,
           const char *message)
{
  g_autoptr (PwEvent) event =
      pw_event_new (pw_clock_get_real_us (fixture->base.clock), session_id, "42", kind,
                    status, code, request_id, message);

  pw_event_log_add (pw_tracker_get_events (fixture->tracker), event);
}

static guint
unacknowledged (PanelFixture *fixture)
{
  return pw_event_log_get_unacknowledged (pw_tracker_get_events (fixture->tracker));
}

/* Notifications the scenario would make with the window in the background. */
typedef struct
{
  GPtrArray *ids;
  GPtrArray *titles;
  GPtrArray *actions;
} Sent;

static void
sent_cb (PwNotifier *notifier,
         const char *id,
         const char *title,
         const char *body,
         const char *action,
         Sent *sent)
{
  g_ptr_array_add (sent->ids, g_strdup (id));
  g_ptr_array_add (sent->titles, g_strdup (title));
  g_ptr_array_add (sent->actions, g_strdup (action));
}

/* Tests of the panel */

static void
test_new_destroy (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  PwTracker *tracker = pw_tracker_new (clock);
  PwTicker *ticker = pw_ticker_new (clock);
  GtkWidget *panel = g_object_ref_sink (pw_status_panel_new (tracker, ticker));

  g_assert_cmpstr (pw_status_panel_get_page (PW_STATUS_PANEL (panel)), ==, "empty");
  g_assert_finalize_object (panel);
  g_assert_finalize_object (ticker);
  g_assert_finalize_object (tracker);
}

/* SPEC: exactly one event per state change, whatever the number of
 * heartbeats in each state. A runs out of charge (CHARGE_EXHAUSTED for the
 * whole grace, then 410 SESSION_ENDING); B is replaced by C on its PC; D's
 * launcher is dead, so after 4 minutes of OK heartbeats D gets 410
 * SESSION_ENDED, "launcher silent". C stays healthy: no event. */
static void
test_scenario (PanelFixture *fixture, gconstpointer data)
{
  g_autoptr (PwNotifier) notifier = pw_notifier_new (NULL, fixture->tracker);
  Sent sent = { g_ptr_array_new_with_free_func (g_free),
                g_ptr_array_new_with_free_func (g_free),
                g_ptr_array_new_with_free_func (g_free) };
  GtkColumnView *view = pw_status_panel_get_column_view (fixture->panel);
  PwEvent *charge, *ending, *replaced, *ended;
  g_autofree char *grace_before = NULL;
  g_autofree char *grace_after = NULL;
  PwSession *a;

  g_signal_connect (notifier, "send", G_CALLBACK (sent_cb), &sent);
  pw_notifier_set_delay_ms (notifier, 0);
  pw_sandbox_set_ending_sec (fixture->base.sandbox, 60);
  pw_sandbox_silence_launcher (fixture->base.sandbox, "pc-d");

  a = track (fixture, "gs_scn-a", USER_A, "pc-a", 10, 20);
  track (fixture, "gs_scn-b", USER_B, "pc-b", -1, 20);
  track (fixture, "gs_scn-d", USER_D, "pc-d", -1, 30);
  run_for (fixture, 30);
  g_assert_cmpstr (pw_status_panel_get_page (fixture->panel), ==, "list");

  /* A is out of charge: its row counts the grace down with the ticker. */
  charge = find_row (fixture, "gs_scn-a", PW_EVENT_CHARGE_EXHAUSTED);
  g_assert_nonnull (charge);
  gui_draw ();
  g_assert_cmpuint (pw_event_columns_get_n_ticking (view), ==, 1);
  grace_before =
      pw_event_columns_dup_text (fixture->tracker, charge, PW_EVENT_COLUMN_DETAILS,
                                 pw_ticker_get_now_us (fixture->ticker));
  g_assert_true (g_str_has_prefix (grace_before, "Grace ends in 1:"));

  /* C starts on B's PC. */
  track (fixture, "gs_scn-c", USER_C, "pc-b", -1, 20);
  run_for (fixture, 10);
  grace_after =
      pw_event_columns_dup_text (fixture->tracker, charge, PW_EVENT_COLUMN_DETAILS,
                                 pw_ticker_get_now_us (fixture->ticker));
  g_assert_cmpstr (grace_after, !=, grace_before);

  run_for (fixture, 260);
  gui_draw ();

  g_assert_cmpint (pw_session_get_state (a), ==, PW_SESSION_STATE_ENDING_BY_SERVER);
  ending = find_row (fixture, "gs_scn-a", PW_EVENT_SESSION_ENDING);
  replaced = find_row (fixture, "gs_scn-b", PW_EVENT_SESSION_REPLACED);
  ended = find_row (fixture, "gs_scn-d", PW_EVENT_SESSION_ENDED);
  g_assert_nonnull (ending);
  g_assert_nonnull (replaced);
  g_assert_nonnull (ended);
  g_assert_nonnull (strstr (pw_event_get_message (ended), "launcher silent"));
  g_assert_cmpuint (pw_event_get_http_status (ended), ==, 410);
  g_assert_cmpstr (pw_event_get_code (ended), ==, "SESSION_ENDED");
  g_assert_nonnull (pw_event_get_request_id (ended));

  /* Exactly those four, once each, newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (pw_event_get_count (row (fixture, i)), ==, 1);
      if (i > 0)
        g_assert_cmpint (pw_event_get_last_time_real_us (row (fixture, i - 1)), >=,
                         pw_event_get_last_time_real_us (row (fixture, i)));
    }
  g_assert_true (row (fixture, 0) == ended);

  /* The grace is over: nothing ticks any more. */
  g_assert_cmpuint (pw_event_columns_get_n_ticking (view), ==, 0);
  g_assert_cmpuint (unacknowledged (fixture), ==, 4);

  /* With the window in the background, each was a notification: the two
   * 410s in one group, counted together. */
  g_assert_cmpuint (sent.ids->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (sent.ids, 0), ==, "charge-exhausted");
  g_assert_cmpstr (g_ptr_array_index (sent.actions, 0), ==,
                   "app.show-session('gs_scn-a')");
  g_assert_cmpstr (g_ptr_array_index (sent.titles, 0), ==, "Out of charge: gs_scn-a");
  g_assert_cmpstr (g_ptr_array_index (sent.ids, 1), ==, "session-replaced");
  g_assert_cmpstr (g_ptr_array_index (sent.actions, 1), ==,
                   "app.show-session('gs_scn-b')");
  g_assert_cmpstr (g_ptr_array_index (sent.ids, 2), ==, "session-ended");
  g_assert_cmpstr (g_ptr_array_index (sent.titles, 2), ==,
                   "Being ended by the server: gs_scn-a");
  g_assert_cmpstr (g_ptr_array_index (sent.ids, 3), ==, "session-ended");
  g_assert_cmpstr (g_ptr_array_index (sent.titles, 3), ==,
                   "2 sessions were ended by the server");
  g_assert_cmpstr (g_ptr_array_index (sent.actions, 3), ==, "app.show-events::important");
  g_ptr_array_unref (sent.ids);
  g_ptr_array_unref (sent.titles);
  g_ptr_array_unref (sent.actions);
}

/* A repeat of a (session, kind) folds into its row, which comes back on
 * top with a count. */
static void
test_fold (PanelFixture *fixture, gconstpointer data)
{
  add_event (fixture, "gs_fold-1", PW_EVENT_NETWORK_FAILURES, 503, "X", "req_1", "one");
  fixture_advance (&fixture->base, 1);
  add_event (fixture, "gs_fold-2", PW_EVENT_SESSION_LOST, 404, NULL, "req_2", NULL);
  fixture_advance (&fixture->base, 1);
  add_event (fixture, "gs_fold-1", PW_EVENT_NETWORK_FAILURES, 502, "Y", "req_3", "two");

  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 2);
  g_assert_cmpstr (pw_event_get_session_id (row (fixture, 0)), ==, "gs_fold-1");
  g_assert_cmpuint (pw_event_get_count (row (fixture, 0)), ==, 2);
  g_assert_cmpstr (pw_event_get_request_id (row (fixture, 0)), ==, "req_3");
  {
    g_autofree char *count = pw_event_columns_dup_text (
        fixture->tracker, row (fixture, 0), PW_EVENT_COLUMN_COUNT, 0);
    g_autofree char *status = pw_event_columns_dup_text (
        fixture->tracker, row (fixture, 0), PW_EVENT_COLUMN_STATUS, 0);
    g_autofree char *code = pw_event_columns_dup_text (fixture->tracker, row (fixture, 1),
                                                       PW_EVENT_COLUMN_CODE, 0);

    g_assert_cmpstr (count, ==, "×2");
    g_assert_cmpstr (status, ==, "502");
    g_assert_cmpstr (code, ==, "—");
  }
}

static void
test_filters (PanelFixture *fixture, gconstpointer data)
{
  PwEventKind kind;

  add_event (fixture, "gs_filter-alpha", PW_EVENT_CHARGE_EXHAUSTED, 200, NULL, "req_aaa1",
             NULL);
  add_event (fixture, "gs_filter-beta", PW_EVENT_SESSION_REPLACED, 200, NULL, "req_bbb2",
             NULL);
  add_event (fixture, "gs_filter-gamma", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  add_event (fixture, "gs_filter-alpha", PW_EVENT_RESUMED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 4);

  /* By kind. */
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_IMPORTANT, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 2);
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_KIND,
                              PW_EVENT_SESSION_REPLACED);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 1);
  g_assert_cmpstr (pw_event_get_session_id (row (fixture, 0)), ==, "gs_filter-beta");
  g_assert_cmpint (pw_status_panel_get_filter (fixture->panel, &kind), ==,
                   PW_STATUS_FILTER_KIND);
  g_assert_cmpint (kind, ==, PW_EVENT_SESSION_REPLACED);
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_KIND, PW_EVENT_EXPIRED);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 0);
  g_assert_cmpstr (pw_status_panel_get_page (fixture->panel), ==, "no-results");
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_ALL, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 4);

  /* By session or request id, case-insensitively. */
  pw_status_panel_set_search_text (fixture->panel, "ALPHA");
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 2);
  pw_status_panel_set_search_text (fixture->panel, "bbb2");
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 1);
  g_assert_cmpstr (pw_event_get_session_id (row (fixture, 0)), ==, "gs_filter-beta");

  /* Both at once. */
  pw_status_panel_set_search_text (fixture->panel, "alpha");
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_IMPORTANT, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 1);
  g_assert_cmpint (pw_event_get_kind (row (fixture, 0)), ==, PW_EVENT_CHARGE_EXHAUSTED);
  pw_status_panel_set_search_text (fixture->panel, NULL);
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_ALL, 0);
  g_assert_cmpstr (pw_status_panel_get_page (fixture->panel), ==, "list");
}

static void
activated_cb (PwStatusPanel *panel, const char *session_id, char **activated)
{
  g_free (*activated);
  *activated = g_strdup (session_id);
}

static void
test_acknowledge (PanelFixture *fixture, gconstpointer data)
{
  GtkSelectionModel *selection = pw_status_panel_get_selection (fixture->panel);
  GtkWidget *panel = GTK_WIDGET (fixture->panel);
  g_autofree char *activated = NULL;

  add_event (fixture, "gs_ack-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  add_event (fixture, "gs_ack-2", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  add_event (fixture, "gs_ack-3", PW_EVENT_SESSION_ENDED, 410, NULL, NULL, NULL);
  add_event (fixture, "gs_ack-4", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (unacknowledged (fixture), ==, 3);

  /* Selected rows. */
  gtk_selection_model_select_item (selection, 1, TRUE);
  g_assert_true (gtk_widget_activate_action (panel, "panel.acknowledge-selected", NULL));
  g_assert_cmpuint (unacknowledged (fixture), ==, 2);
  g_assert_true (pw_event_get_acknowledged (row (fixture, 1)));

  /* Going to a session counts as seeing its event. */
  g_signal_connect (fixture->panel, "session-activated", G_CALLBACK (activated_cb),
                    &activated);
  g_assert_true (pw_status_panel_activate (fixture->panel, 2));
  g_assert_cmpstr (activated, ==, pw_event_get_session_id (row (fixture, 2)));
  g_assert_cmpuint (unacknowledged (fixture), ==, 1);

  /* All. */
  g_assert_true (gtk_widget_activate_action (panel, "panel.acknowledge-all", NULL));
  g_assert_cmpuint (unacknowledged (fixture), ==, 0);

  /* An acknowledged row is kept apart from what happens next. */
  add_event (fixture, "gs_ack-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 5);
  g_assert_cmpuint (unacknowledged (fixture), ==, 1);
}

static void
test_copy (PanelFixture *fixture, gconstpointer data)
{
  GtkSelectionModel *selection = pw_status_panel_get_selection (fixture->panel);
  g_autofree char *text = NULL;
  g_autofree char *clipboard = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) fields = NULL;

  add_event (fixture, "gs_copy-1", PW_EVENT_SESSION_ENDED, 410, "SESSION_ENDED", "req_c1",
             "Ended by the server:\tlauncher silent\nfor 4 minutes");
  fixture_advance (&fixture->base, 1);
  add_event (fixture, "gs_copy-2", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  gtk_selection_model_select_all (selection);

  text = pw_status_panel_dup_selected_text (fixture->panel);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");

  /* Newest first, as shown; tabs between the fields and none inside. */
  fields = g_strsplit (lines[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 9);
  g_assert_true (g_str_has_suffix (fields[0], "Z"));
  g_assert_cmpstr (fields[1], ==, "gs_copy-1");
  g_assert_cmpstr (fields[2], ==, "42");
  g_assert_cmpstr (fields[3], ==, "session-ended");
  g_assert_cmpstr (fields[4], ==, "410");
  g_assert_cmpstr (fields[5], ==, "SESSION_ENDED");
  g_assert_cmpstr (fields[6], ==, "req_c1");
  g_assert_cmpstr (fields[7], ==, "1");
  g_assert_cmpstr (fields[8], ==, "Ended by the server: launcher silent for 4 minutes");

  /* Ctrl+C in the panel puts the same on the clipboard. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "panel.copy", NULL));
  clipboard = gui_read_clipboard (GTK_WIDGET (fixture->panel));
  g_assert_cmpstr (clipboard, ==, text);
}

/* Export: the whole log (whatever the filter shows), read back. */

typedef struct
{
  gboolean done;
  gboolean ok;
  guint n_events;
  GError *error;
} Export;

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Export *export = user_data;

  export->ok = pw_status_panel_export_finish (PW_STATUS_PANEL (object), result,
                                              &export->n_events, &export->error);
  export->done = TRUE;
}

static Export
export_to (PanelFixture *fixture, const char *path, PwExportFormat format)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  Export export = { 0 };

  pw_status_panel_export_async (fixture->panel, file, format, NULL, exported_cb, &export);
  spin_until (&export.done);

  return export;
}

/* RFC 4180: fields split on commas, quoted fields may hold commas, CR, LF
 * and doubled quotes; records end in CRLF. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        {
          g_string_append_c (field, '"');
          p++;
        }
      else if (*p == '"')
        {
          quoted = !quoted;
        }
      else if (!quoted && *p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (!quoted && *p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p++;
        }
      else
        {
          g_string_append_c (field, *p);
        }
    }

  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);

  return records;
}

/* A CSV record back into the JSON object the export made it from. */
static JsonNode *
csv_record_to_json (GPtrArray *header, GPtrArray *record)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_assert_cmpuint (record->len, ==, header->len);
  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);
      const char *value = g_ptr_array_index (record, i);

      if (*value == '\0')
        json_object_set_null_member (object, name);
      else if (g_str_equal (name, "http_status") || g_str_equal (name, "count"))
        json_object_set_int_member (object, name, g_ascii_strtoll (value, NULL, 10));
      else if (g_str_equal (name, "acknowledged"))
        json_object_set_boolean_member (object, name, g_str_equal (value, "true"));
      else if (value[0] == '\'' && strchr ("=+-@\t\r", value[1]) != NULL)
        /* Defused against spreadsheet formulas: the apostrophe is ours. */
        json_object_set_string_member (object, name, value + 1);
      else
        json_object_set_string_member (object, name, value);
    }

  json_node_take_object (node, object);
  return node;
}

static char *
event_json (PwEvent *event)
{
  g_autoptr (JsonNode) node = pw_event_to_json (event);

  return pw_json_to_string (node, FALSE);
}

static void
test_export_round_trip (PanelFixture *fixture, gconstpointer data)
{
  GListModel *log = G_LIST_MODEL (pw_tracker_get_events (fixture->tracker));
  g_autofree char *jsonl_path = g_build_filename (fixture->dir, "events.jsonl", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "events.csv", NULL);
  g_autofree char *jsonl = NULL;
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) records = NULL;
  GPtrArray *header;
  Export export;
  guint n_items;

  /* Real events first, then the awkward ones. */
  pw_sandbox_set_ending_sec (fixture->base.sandbox, 60);
  track (fixture, "gs_exp-a", USER_A, "pc-a", 5, 10);
  track (fixture, "gs_exp-b", USER_B, "pc-b", -1, 10);
  run_for (fixture, 20);
  track (fixture, "gs_exp-c", USER_C, "pc-b", -1, 10);
  run_for (fixture, 15);
  add_event (fixture, "gs_exp-x", PW_EVENT_END_FAILED, 503, "=HYPERLINK(\"x\")",
             "req, \"q\"", "line one\nline two, with \"quotes\" and ünïcödé\tand a tab");
  add_event (fixture, NULL, PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL, "-1 + 2 @home");
  add_event (fixture, "gs_exp-y", PW_EVENT_END_FAILED, 504, "+SUM(A1)", "@req", NULL);
  fixture_advance (&fixture->base, 2);
  /* A repeat: one row with a count of 2 and two times. */
  add_event (fixture, "gs_exp-y", PW_EVENT_END_FAILED, 504, "+SUM(A1)", "@req", NULL);
  pw_event_set_acknowledged (find_row (fixture, "gs_exp-a", PW_EVENT_CHARGE_EXHAUSTED),
                             TRUE);

  /* The filter does not limit the export. */
  pw_status_panel_set_filter (fixture->panel, PW_STATUS_FILTER_KIND, PW_EVENT_EXPIRED);
  n_items = g_list_model_get_n_items (log);
  g_assert_cmpuint (n_items, ==, 5);

  export = export_to (fixture, jsonl_path, PW_EXPORT_JSONL);
  g_assert_no_error (export.error);
  g_assert_true (export.ok);
  g_assert_cmpuint (export.n_events, ==, n_items);
  export = export_to (fixture, csv_path, PW_EXPORT_CSV);
  g_assert_no_error (export.error);
  g_assert_cmpuint (export.n_events, ==, n_items);

  /* JSON Lines: one object per line, each the same event. */
  g_assert_true (g_file_get_contents (jsonl_path, &jsonl, NULL, NULL));
  lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_items + 1);
  g_assert_cmpstr (lines[n_items], ==, "");
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PwEvent) original = g_list_model_get_item (log, i);
      g_autoptr (JsonNode) node = pw_json_parse (lines[i], strlen (lines[i]), NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (PwEvent) parsed = pw_event_new_from_json (node, &error);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_no_error (error);
      a = event_json (original);
      b = event_json (parsed);
      g_assert_cmpstr (b, ==, a);
    }

  /* CSV: a header, then one record per event, the same events. */
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  records = parse_csv (csv);
  g_assert_cmpuint (records->len, ==, n_items + 1);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "time");
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PwEvent) original = g_list_model_get_item (log, i);
      g_autoptr (JsonNode) node =
          csv_record_to_json (header, g_ptr_array_index (records, i + 1));
      g_autoptr (GError) error = NULL;
      g_autoptr (PwEvent) parsed = pw_event_new_from_json (node, &error);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_no_error (error);
      a = event_json (original);
      b = event_json (parsed);
      g_assert_cmpstr (b, ==, a);
    }
}

static void
test_export_error (PanelFixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "no-such-dir", "e.jsonl", NULL);
  Export export;

  add_event (fixture, "gs_err", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  export = export_to (fixture, path, PW_EXPORT_JSONL);
  g_assert_false (export.ok);
  g_assert_error (export.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&export.error);
}

static void
test_clear (PanelFixture *fixture, gconstpointer data)
{
  AdwMessageDialog *dialog;

  add_event (fixture, "gs_clear-1", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  add_event (fixture, "gs_clear-2", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "panel.clear", NULL));
  dialog = ADW_MESSAGE_DIALOG (gui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);

  /* Cancel keeps them. */
  adw_message_dialog_response (dialog, "cancel");
  gui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 2);

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "panel.clear", NULL));
  dialog = ADW_MESSAGE_DIALOG (gui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "clear");
  gui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, 0);
  g_assert_cmpstr (pw_status_panel_get_page (fixture->panel), ==, "empty");
  g_assert_cmpuint (unacknowledged (fixture), ==, 0);
}

/* Tests in the window */

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwWindow *window;
} WindowFixture;

static void
window_set_up (WindowFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, PW_CONNECTION_ENVIRONMENT,
                             fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->history = pw_exchange_history_new (fixture->tracker, 20);
  fixture->window =
      g_object_ref (pw_window_new (NULL, fixture->tracker, fixture->history));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_draw ();
}

static void
window_tear_down (WindowFixture *fixture, gconstpointer data)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);

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

static void
window_track (WindowFixture *fixture, const char *id, const char *user)
{
  g_autofree char *created =
      pw_sandbox_create_session (fixture->base.sandbox, id, user, NULL, -1);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (created);
  g_assert_nonnull (pw_tracker_track (fixture->tracker, id, user,
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  g_assert_no_error (error);
}

/* The one selected session's id, or NULL. */
static const char *
selected_id (WindowFixture *fixture)
{
  GtkSelectionModel *selection = pw_window_get_selection (fixture->window);
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr (PwSession) session = NULL;

  if (gtk_bitset_get_size (selected) != 1)
    return NULL;

  session =
      g_list_model_get_item (G_LIST_MODEL (selection), gtk_bitset_get_minimum (selected));
  /* The tracker keeps the session, and its id, alive. */
  return pw_session_get_id (session);
}

static guint
panel_position_of (PwStatusPanel *panel, const char *session_id)
{
  GListModel *model = G_LIST_MODEL (pw_status_panel_get_selection (panel));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PwEvent) event = g_list_model_get_item (model, i);

      if (g_strcmp0 (pw_event_get_session_id (event), session_id) == 0)
        return i;
    }

  g_assert_not_reached ();
}

/* Selecting an event's row shows its session, even one the list's search
 * hides. */
static void
test_jump_to_session (WindowFixture *fixture, gconstpointer data)
{
  PwStatusPanel *panel = PW_STATUS_PANEL (pw_window_get_status_panel (fixture->window));
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_jump-%02u", i);

      window_track (fixture, id, "77");
    }
  /* Unknown to the server: a 404 event. */
  g_assert_nonnull (pw_tracker_track (fixture->tracker, "gs_jump-lost", "78",
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  settle_tracker (fixture->tracker);
  gui_draw ();

  g_assert_true (
      pw_status_panel_activate (panel, panel_position_of (panel, "gs_jump-lost")));
  g_assert_cmpstr (selected_id (fixture), ==, "gs_jump-lost");

  /* Hidden by the search: the search goes. */
  pw_window_set_search_text (fixture->window, "gs_jump-0");
  g_assert_true (pw_window_show_session (fixture->window, "gs_jump-lost"));
  g_assert_cmpstr (selected_id (fixture), ==, "gs_jump-lost");
  g_assert_cmpuint (
      g_list_model_get_n_items (G_LIST_MODEL (pw_window_get_selection (fixture->window))),
      ==, 31);

  /* A session no longer tracked cannot be shown. */
  g_assert_true (pw_tracker_untrack (fixture->tracker, "gs_jump-lost"));
  g_assert_false (pw_window_show_session (fixture->window, "gs_jump-lost"));
}

static void
test_toggle_and_badge (WindowFixture *fixture, gconstpointer data)
{
  GtkWidget *panel = pw_window_get_status_panel (fixture->window);
  GtkLabel *badge = GTK_LABEL (gtk_widget_get_template_child (
      GTK_WIDGET (fixture->window), PW_TYPE_WINDOW, "status_badge"));
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (GError) error = NULL;

  /* Shown by default, hidden and shown again by F8 (the action), which the
   * setting remembers. */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (panel)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-status-panel", NULL));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (panel)));
  g_assert_false (g_settings_get_boolean (settings, "show-status-panel"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-status-panel", NULL));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (panel)));
  g_assert_true (g_settings_get_boolean (settings, "show-status-panel"));

  /* The badge counts what needs attention and is not acknowledged. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (badge)));
  g_assert_nonnull (pw_tracker_track (fixture->tracker, "gs_badge-1", "1",
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  g_assert_nonnull (pw_tracker_track (fixture->tracker, "gs_badge-2", "2",
                                      PW_CONNECTION_ENVIRONMENT, FALSE, &error));
  settle_tracker (fixture->tracker);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (badge)));
  g_assert_cmpstr (gtk_label_get_text (badge), ==, "2");

  g_assert_true (gtk_widget_activate_action (panel, "panel.acknowledge-all", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (badge)));

  /* "Show Events" from the row menu: the panel, searching that session. */
  pw_window_show_events (fixture->window, "session-lost");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                        pw_status_panel_get_selection (PW_STATUS_PANEL (panel)))),
                    ==, 2);
  pw_window_show_events (fixture->window, "charge-exhausted");
  g_assert_cmpstr (pw_status_panel_get_page (PW_STATUS_PANEL (panel)), ==, "no-results");
  pw_window_show_events (fixture->window, NULL);
}

static double
scroll_position (PanelFixture *fixture)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (
      GTK_SCROLLABLE (pw_status_panel_get_column_view (fixture->panel)));

  return gtk_adjustment_get_value (vadjustment) - gtk_adjustment_get_lower (vadjustment);
}

/* New events arrive at the top (newest first): a panel showing the top
 * keeps showing it, so they come into sight; one scrolled down to older
 * events stays on the rows it shows. */
static void
test_follows_newest (PanelFixture *fixture, gconstpointer data)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (
      GTK_SCROLLABLE (pw_status_panel_get_column_view (fixture->panel)));
  double scrolled;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_old-%02u", i);

      fixture_advance (&fixture->base, 1);
      add_event (fixture, id, PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
    }
  gui_draw ();
  g_assert_cmpfloat (scroll_position (fixture), ==, 0);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("gs_new-%u", i);

      fixture_advance (&fixture->base, 1);
      add_event (fixture, id, PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
      gui_draw ();
      g_assert_cmpfloat (scroll_position (fixture), ==, 0);
    }
  g_assert_cmpstr (pw_event_get_session_id (row (fixture, 0)), ==, "gs_new-4");

  /* Scrolled down: new rows above do not pull the view back up. */
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment) + 300);
  gui_draw ();
  scrolled = scroll_position (fixture);
  g_assert_cmpfloat (scrolled, >, 0);
  fixture_advance (&fixture->base, 1);
  add_event (fixture, "gs_new-5", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  gui_draw ();
  g_assert_cmpfloat (scroll_position (fixture), >=, scrolled);
}

int
main (int argc, char **argv)
{
  gui_test_init (&argc, &argv);
  /* The templates are in the GUI library's resource bundle; nothing else
   * registers it in a test. */
  g_resources_register (pw_get_resource ());

  g_test_add_func ("/status-panel/new-destroy", test_new_destroy);

#define ADD(path, func)                                                                  \
  g_test_add (path, PanelFixture, NULL, panel_set_up, func, panel_tear_down)
  ADD ("/status-panel/scenario", test_scenario);
  ADD ("/status-panel/fold", test_fold);
  ADD ("/status-panel/filters", test_filters);
  ADD ("/status-panel/acknowledge", test_acknowledge);
  ADD ("/status-panel/copy", test_copy);
  ADD ("/status-panel/export-round-trip", test_export_round_trip);
  ADD ("/status-panel/export-error", test_export_error);
  ADD ("/status-panel/clear", test_clear);
  ADD ("/status-panel/follows-newest", test_follows_newest);
#undef ADD

#define ADD(path, func)                                                                  \
  g_test_add (path, WindowFixture, NULL, window_set_up, func, window_tear_down)
  ADD ("/status-window/jump-to-session", test_jump_to_session);
  ADD ("/status-window/toggle-and-badge", test_toggle_and_badge);
#undef ADD

  return g_test_run ();
}
