/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-core-enums.h"
#include "pw-error.h"
#include "pw-event-log.h"
#include "pw-json.h"

/* The event log without a tracker: folding, the bound, the unacknowledged
 * counter, and exports read back by independent readers (json-glib for
 * JSON Lines, a small RFC 4180 reader for CSV). */

/* 2026-11-25T09:30:00.123Z */
#define T0 G_GINT64_CONSTANT (1795599000123000)

static PwEvent *
make_event (gint64 time_us,
            const char *session_id,
            PwEventKind kind,
            guint http_status,
            const char *code,
            const char *request_id,
            const char *message)
{
  return pw_event_new (time_us, session_id, session_id != NULL ? "user-1" : NULL, kind,
                       http_status, code, request_id, message);
}

/* Adds and drops the log's reference-less hold: the log keeps its own. */
static PwEvent *
add_event (PwEventLog *log,
           gint64 time_us,
           const char *session_id,
           PwEventKind kind,
           guint http_status,
           const char *code,
           const char *request_id,
           const char *message)
{
  g_autoptr (PwEvent) event =
      make_event (time_us, session_id, kind, http_status, code, request_id, message);

  return pw_event_log_add (log, event);
}

static void
assert_events_equal (PwEvent *a, PwEvent *b)
{
  g_assert_cmpint (pw_event_get_time_real_us (a), ==, pw_event_get_time_real_us (b));
  g_assert_cmpint (pw_event_get_last_time_real_us (a), ==,
                   pw_event_get_last_time_real_us (b));
  g_assert_cmpstr (pw_event_get_session_id (a), ==, pw_event_get_session_id (b));
  g_assert_cmpstr (pw_event_get_user_id (a), ==, pw_event_get_user_id (b));
  g_assert_cmpint (pw_event_get_kind (a), ==, pw_event_get_kind (b));
  g_assert_cmpuint (pw_event_get_http_status (a), ==, pw_event_get_http_status (b));
  g_assert_cmpstr (pw_event_get_code (a), ==, pw_event_get_code (b));
  g_assert_cmpstr (pw_event_get_request_id (a), ==, pw_event_get_request_id (b));
  g_assert_cmpstr (pw_event_get_message (a), ==, pw_event_get_message (b));
  g_assert_cmpuint (pw_event_get_count (a), ==, pw_event_get_count (b));
  g_assert_cmpint (pw_event_get_acknowledged (a), ==, pw_event_get_acknowledged (b));
}

static PwEvent *
get_event (GListModel *model, guint position)
{
  PwEvent *event = g_list_model_get_item (model, position);

  g_assert_nonnull (event);
  g_object_unref (event); /* the model still holds it */
  return event;
}

static void
assert_models_equal (GListModel *a, GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));

  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    assert_events_equal (get_event (a, i), get_event (b, i));
}

static guint
count_unacknowledged (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      PwEvent *event = get_event (model, i);

      if (pw_event_kind_is_important (pw_event_get_kind (event)) &&
          !pw_event_get_acknowledged (event))
        n++;
    }

  return n;
}

/* Follows items-changed like a list widget would: applies each change to a
 * mirror, reading added items from the model at that moment, and records
 * the changes for the test to compare. */
typedef struct
{
  GListModel *model;
  GPtrArray *mirror;
  GString *changes;
} Recorder;

static void
recorder_items_changed_cb (GListModel *model,
                           guint position,
                           guint removed,
                           guint added,
                           Recorder *recorder)
{
  g_assert_cmpuint (position + removed, <=, recorder->mirror->len);

  g_string_append_printf (recorder->changes, "(%u,%u,%u)", position, removed, added);

  if (removed > 0)
    g_ptr_array_remove_range (recorder->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (recorder->mirror, position + i,
                        g_list_model_get_item (model, position + i));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, recorder->mirror->len);
}

static void
recorder_init (Recorder *recorder, PwEventLog *log)
{
  recorder->model = G_LIST_MODEL (log);
  recorder->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  recorder->changes = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (recorder->model); i++)
    g_ptr_array_add (recorder->mirror, g_list_model_get_item (recorder->model, i));

  g_signal_connect (log, "items-changed", G_CALLBACK (recorder_items_changed_cb),
                    recorder);
}

static void
recorder_check (Recorder *recorder, const char *expected_changes)
{
  if (expected_changes != NULL)
    g_assert_cmpstr (recorder->changes->str, ==, expected_changes);
  g_string_truncate (recorder->changes, 0);

  g_assert_cmpuint (g_list_model_get_n_items (recorder->model), ==,
                    recorder->mirror->len);
  for (guint i = 0; i < recorder->mirror->len; i++)
    g_assert_true (get_event (recorder->model, i) ==
                   g_ptr_array_index (recorder->mirror, i));
}

static void
recorder_clear (Recorder *recorder)
{
  g_signal_handlers_disconnect_by_func (recorder->model, recorder_items_changed_cb,
                                        recorder);
  g_clear_pointer (&recorder->mirror, g_ptr_array_unref);
  g_string_free (recorder->changes, TRUE);
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static char *
write_to_string (PwEventLog *log, gboolean csv)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (csv)
    ok = pw_event_log_export_csv (log, stream, NULL, &error);
  else
    ok = pw_event_log_export_jsonl (log, stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* A log with every shape of value an export must carry. */
static PwEventLog *
make_sample_log (void)
{
  PwEventLog *log = pw_event_log_new (100);
  PwEvent *row;

  add_event (log, T0, "s-1", PW_EVENT_TRACKING_STARTED, 0, NULL, NULL, NULL);
  add_event (log, T0 + 1000, "s-1", PW_EVENT_CHARGE_EXHAUSTED, 200, "CHARGE_EXHAUSTED",
             "req-1", "Grace ends at 09:32");
  add_event (log, T0 + 2000, "s-2", PW_EVENT_NETWORK_FAILURES, 0, NULL, NULL,
             "Timed out");
  add_event (log, T0 + 3000, "s-2", PW_EVENT_NETWORK_FAILURES, 503, "SERVER_ERROR",
             "req-2", "Server said: \"busy\", retrying,\nthen again\ttabbed");
  add_event (log, T0 + 4000, "세션-3", PW_EVENT_SESSION_ENDED, 410, "SESSION_ENDED",
             "req-3", "Launcher silent — 런처 응답 없음");
  row = add_event (log, T0 + 5000, "s-4", PW_EVENT_SESSION_REPLACED, 200,
                   "SESSION_REPLACED", "req-4", NULL);
  pw_event_set_acknowledged (row, TRUE);
  add_event (log, T0 + 6000, NULL, PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL,
             "Moved aside to state.json.damaged");
  add_event (log, T0 + 7000, "=HYPERLINK(\"http://evil\")", PW_EVENT_UNKNOWN_RESULT, 200,
             "+SUM(A1)", "-1", "@cmd|' /C calc'!A0");

  return log;
}

static void
test_event_new_destroy (void)
{
  PwEvent *event = pw_event_new (T0 + 456, "s-1", "u-1", PW_EVENT_SESSION_LOST, 404,
                                 "SESSION_NOT_FOUND", "req-9", "Gone");

  /* Kept to the millisecond, as exports show it. */
  g_assert_cmpint (pw_event_get_time_real_us (event), ==, T0);
  g_assert_cmpint (pw_event_get_last_time_real_us (event), ==, T0);
  g_assert_cmpstr (pw_event_get_session_id (event), ==, "s-1");
  g_assert_cmpstr (pw_event_get_user_id (event), ==, "u-1");
  g_assert_cmpint (pw_event_get_kind (event), ==, PW_EVENT_SESSION_LOST);
  g_assert_cmpuint (pw_event_get_http_status (event), ==, 404);
  g_assert_cmpstr (pw_event_get_code (event), ==, "SESSION_NOT_FOUND");
  g_assert_cmpstr (pw_event_get_request_id (event), ==, "req-9");
  g_assert_cmpstr (pw_event_get_message (event), ==, "Gone");
  g_assert_cmpuint (pw_event_get_count (event), ==, 1);
  g_assert_false (pw_event_get_acknowledged (event));

  g_assert_finalize_object (event);
}

static void
test_event_kind_strings (void)
{
  static const char *const expected[] = {
    "tracking-started",
    "charge-exhausted",
    "session-replaced",
    "unknown-result",
    "session-lost",
    "session-ended",
    "session-ending",
    "unauthorized",
    "rate-limited",
    "network-failures",
    "recovered",
    "expired",
    "paused",
    "resumed",
    "ended",
    "already-cleaned-up",
    "end-failed",
    "clock-skew",
    "state-file-damaged",
  };
  g_autoptr (GEnumClass) enum_class = g_type_class_ref (PW_TYPE_EVENT_KIND);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  PwEventKind kind = PW_EVENT_PAUSED;

  g_assert_cmpuint (enum_class->n_values, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      PwEventKind value = enum_class->values[i].value;
      const char *name = pw_event_kind_to_string (value);
      PwEventKind back;

      g_assert_cmpstr (name, ==, expected[value]);
      g_assert_true (g_hash_table_add (seen, (gpointer) name));
      g_assert_true (pw_event_kind_from_string (name, &back));
      g_assert_cmpint (back, ==, value);
    }

  g_assert_false (pw_event_kind_from_string ("session_lost", &kind));
  g_assert_false (pw_event_kind_from_string ("", &kind));
  g_assert_false (pw_event_kind_from_string (NULL, &kind));
  g_assert_cmpint (kind, ==, PW_EVENT_PAUSED);
}

static void
test_event_important (void)
{
  static const PwEventKind important[] = {
    PW_EVENT_CHARGE_EXHAUSTED,   PW_EVENT_SESSION_REPLACED,
    PW_EVENT_SESSION_LOST,       PW_EVENT_SESSION_ENDED,
    PW_EVENT_SESSION_ENDING,     PW_EVENT_UNAUTHORIZED,
    PW_EVENT_NETWORK_FAILURES,   PW_EVENT_EXPIRED,
    PW_EVENT_END_FAILED,         PW_EVENT_UNKNOWN_RESULT,
    PW_EVENT_STATE_FILE_DAMAGED, PW_EVENT_CLOCK_SKEW,
  };
  g_autoptr (GEnumClass) enum_class = g_type_class_ref (PW_TYPE_EVENT_KIND);

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      PwEventKind kind = enum_class->values[i].value;
      gboolean expected = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (important); j++)
        if (important[j] == kind)
          expected = TRUE;

      g_assert_cmpint (pw_event_kind_is_important (kind), ==, expected);
    }
}

static void
test_event_notify (void)
{
  g_autoptr (PwEvent) event =
      make_event (T0, "s-1", PW_EVENT_RATE_LIMITED, 429, "RATE_LIMITED", "req-1", "Slow");
  g_autoptr (PwEvent) repeat = make_event (T0 + 5000, "s-1", PW_EVENT_RATE_LIMITED, 429,
                                           "RATE_LIMITED", NULL, "Slow");
  guint acknowledged = 0, count = 0, last_time = 0, status = 0, code = 0, request_id = 0,
        message = 0;

  g_signal_connect (event, "notify::acknowledged", G_CALLBACK (count_notify_cb),
                    &acknowledged);
  g_signal_connect (event, "notify::count", G_CALLBACK (count_notify_cb), &count);
  g_signal_connect (event, "notify::last-time-real-us", G_CALLBACK (count_notify_cb),
                    &last_time);
  g_signal_connect (event, "notify::http-status", G_CALLBACK (count_notify_cb), &status);
  g_signal_connect (event, "notify::code", G_CALLBACK (count_notify_cb), &code);
  g_signal_connect (event, "notify::request-id", G_CALLBACK (count_notify_cb),
                    &request_id);
  g_signal_connect (event, "notify::message", G_CALLBACK (count_notify_cb), &message);

  pw_event_set_acknowledged (event, FALSE);
  g_assert_cmpuint (acknowledged, ==, 0);
  pw_event_set_acknowledged (event, TRUE);
  pw_event_set_acknowledged (event, TRUE);
  g_assert_cmpuint (acknowledged, ==, 1);
  g_object_set (event, "acknowledged", FALSE, NULL);
  g_assert_cmpuint (acknowledged, ==, 2);
  g_assert_false (pw_event_get_acknowledged (event));

  /* Only what the repeat changed notifies; the request id goes with the newest
   * answer even when that answer had none. */
  pw_event_fold (event, repeat);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (last_time, ==, 1);
  g_assert_cmpuint (status, ==, 0);
  g_assert_cmpuint (code, ==, 0);
  g_assert_cmpuint (request_id, ==, 1);
  g_assert_cmpuint (message, ==, 0);
  g_assert_cmpuint (pw_event_get_count (event), ==, 2);
  g_assert_cmpint (pw_event_get_time_real_us (event), ==, T0);
  g_assert_cmpint (pw_event_get_last_time_real_us (event), ==, T0 + 5000);
  g_assert_null (pw_event_get_request_id (event));
  g_assert_cmpuint (pw_event_get_count (repeat), ==, 1);
}

static void
test_event_sanitize (void)
{
  g_autoptr (PwEvent) event = pw_event_new (T0,
                                            "s\x1f"
                                            "1",
                                            NULL, PW_EVENT_UNKNOWN_RESULT, 200, "A\rB",
                                            "r\xffq", "line\nnext\ttab\x7f");

  g_assert_cmpstr (pw_event_get_session_id (event), ==,
                   "s\xef\xbf\xbd"
                   "1");
  g_assert_cmpstr (pw_event_get_code (event), ==,
                   "A\xef\xbf\xbd"
                   "B");
  g_assert_cmpstr (pw_event_get_request_id (event), ==, "r\xef\xbf\xbdq");
  g_assert_cmpstr (pw_event_get_message (event), ==, "line\nnext\ttab\xef\xbf\xbd");
  g_assert_null (pw_event_get_user_id (event));
}

static void
test_event_json_round_trip (void)
{
  g_autoptr (PwEvent) full =
      make_event (T0, "s-1", PW_EVENT_SESSION_ENDED, 410, "SESSION_ENDED", "req-1",
                  "Launcher silent: \"quoted\", tab\t, 한국어\nsecond line");
  g_autoptr (PwEvent) repeat = make_event (T0 + 61000, "s-1", PW_EVENT_SESSION_ENDED, 410,
                                           "SESSION_ENDED", "req-2", "again");
  g_autoptr (PwEvent) empty =
      pw_event_new (0, NULL, NULL, PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL, NULL);
  g_autoptr (PwEvent) last =
      pw_event_new (PW_EVENT_TIME_MAX_US, "s", "u", PW_EVENT_PAUSED, 0, "", "", "");
  PwEvent *events[] = { full, empty, last };

  pw_event_fold (full, repeat);
  pw_event_set_acknowledged (full, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr (JsonNode) node = pw_event_to_json (events[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (PwEvent) back = pw_event_new_from_json (node, &error);

      g_assert_no_error (error);
      assert_events_equal (events[i], back);
    }

  /* Lenient on the way in: another zone, more digits, optional members
   * absent or null. */
  {
    g_autoptr (JsonNode) node =
        parse_json ("{\"time\":\"2026-11-25T10:30:00.123999+01:00\",\"kind\":\"expired\","
                    "\"session_id\":null,\"unknown\":[1,2,3]}");
    g_autoptr (GError) error = NULL;
    g_autoptr (PwEvent) back = pw_event_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpint (pw_event_get_time_real_us (back), ==, T0);
    g_assert_cmpint (pw_event_get_last_time_real_us (back), ==, T0);
    g_assert_cmpint (pw_event_get_kind (back), ==, PW_EVENT_EXPIRED);
    g_assert_null (pw_event_get_session_id (back));
    g_assert_cmpuint (pw_event_get_count (back), ==, 1);
    g_assert_false (pw_event_get_acknowledged (back));
  }
}

/* Each must be refused with a protocol error, and nothing may crash. */
static const char *const bad_events[] = {
  "[]",
  "null",
  "\"text\"",
  "42",
  "{}",
  "{\"kind\":\"expired\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\"}",
  "{\"time\":1795599000123,\"kind\":\"expired\"}",
  "{\"time\":null,\"kind\":\"expired\"}",
  "{\"time\":\"yesterday\",\"kind\":\"expired\"}",
  "{\"time\":\"2026-11-25T09:30:00\",\"kind\":\"expired\"}",
  "{\"time\":\"1969-12-31T23:59:59Z\",\"kind\":\"expired\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"last_time\":7,\"kind\":\"expired\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"last_time\":\"never\",\"kind\":\"expired\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"exploded\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":3}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":{\"a\":1}}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"session_id\":5}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"user_id\":[\"u\"]}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"code\":true}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"request_id\":1.5}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"message\":"
  "\"a\\u0001b\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"message\":"
  "\"a\\ud800b\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"http_status\":\"404\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"http_status\":42}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"http_status\":-404}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"count\":0}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"count\":2.5}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"count\":\"3\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"count\":4294967296}",
  /* json-glib 1.6 wraps this one to -1 */
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\","
  "\"count\":18446744073709551615}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"acknowledged\":\"yes\"}",
  "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\",\"acknowledged\":null}",
};

static void
test_event_json_invalid (void)
{
  g_autofree char *long_time = g_strnfill (100000, '9');
  g_autofree char *long_text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_events); i++)
    {
      g_autoptr (JsonNode) node = parse_json (bad_events[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (PwEvent) event = pw_event_new_from_json (node, &error);

      g_test_message ("%s", bad_events[i]);
      g_assert_null (event);
      g_assert_error (error, PW_ERROR, PW_ERROR_PROTOCOL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  long_text = g_strdup_printf ("{\"time\":\"%s\",\"kind\":\"expired\"}", long_time);
  {
    g_autoptr (JsonNode) node = parse_json (long_text);
    g_autoptr (GError) error = NULL;
    g_autoptr (PwEvent) event = pw_event_new_from_json (node, &error);

    g_assert_null (event);
    g_assert_error (error, PW_ERROR, PW_ERROR_PROTOCOL);
  }
}

static void
test_log_new_destroy (void)
{
  PwEventLog *log = pw_event_log_new (10);
  PwEvent *kept;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == PW_TYPE_EVENT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 0));

  kept = g_object_ref (
      add_event (log, T0, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL));
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 1);
  g_assert_finalize_object (log);

  /* A row widget may hold an event longer than the log lives. */
  pw_event_set_acknowledged (kept, TRUE);
  g_assert_finalize_object (kept);
}

static void
test_log_fold (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (100);
  GListModel *model = G_LIST_MODEL (log);
  Recorder recorder;
  PwEvent *first, *row;

  recorder_init (&recorder, log);

  first = add_event (log, T0, "s-1", PW_EVENT_NETWORK_FAILURES, 503, "SERVER_ERROR",
                     "req-1", "Server error");
  add_event (log, T0 + 1000, "s-2", PW_EVENT_NETWORK_FAILURES, 503, NULL, NULL, NULL);
  add_event (log, T0 + 2000, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  recorder_check (&recorder, "(0,0,1)(1,0,1)(2,0,1)");

  /* Same session and kind: folds into the first row, which moves last. */
  row = add_event (log, T0 + 3000, "s-1", PW_EVENT_NETWORK_FAILURES, 0, NULL, "req-4",
                   "Timed out");
  g_assert_true (row == first);
  g_assert_cmpuint (pw_event_get_count (row), ==, 2);
  g_assert_cmpint (pw_event_get_time_real_us (row), ==, T0);
  g_assert_cmpint (pw_event_get_last_time_real_us (row), ==, T0 + 3000);
  g_assert_cmpuint (pw_event_get_http_status (row), ==, 0);
  g_assert_null (pw_event_get_code (row));
  g_assert_cmpstr (pw_event_get_request_id (row), ==, "req-4");
  g_assert_cmpstr (pw_event_get_message (row), ==, "Timed out");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_true (get_event (model, 2) == first);
  recorder_check (&recorder, "(0,1,0)(2,0,1)");

  /* Already last: the row changes (notify), the order does not. */
  row =
      add_event (log, T0 + 4000, "s-1", PW_EVENT_NETWORK_FAILURES, 503, NULL, NULL, NULL);
  g_assert_true (row == first);
  g_assert_cmpuint (pw_event_get_count (row), ==, 3);
  recorder_check (&recorder, "");

  /* A different kind or session does not fold. */
  row = add_event (log, T0 + 5000, "s-1", PW_EVENT_RATE_LIMITED, 429, NULL, NULL, NULL);
  g_assert_true (row != first);
  row =
      add_event (log, T0 + 5000, "s-3", PW_EVENT_NETWORK_FAILURES, 503, NULL, NULL, NULL);
  g_assert_true (row != first);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  recorder_check (&recorder, "(3,0,1)(4,0,1)");

  /* Acknowledged rows stay as the user saw them: the next one starts anew,
   * and the repeat after that folds into the new row. */
  pw_event_set_acknowledged (first, TRUE);
  row =
      add_event (log, T0 + 6000, "s-1", PW_EVENT_NETWORK_FAILURES, 503, NULL, NULL, NULL);
  g_assert_true (row != first);
  g_assert_cmpuint (pw_event_get_count (row), ==, 1);
  g_assert_cmpuint (pw_event_get_count (first), ==, 3);
  g_assert_true (add_event (log, T0 + 7000, "s-1", PW_EVENT_NETWORK_FAILURES, 503, NULL,
                            NULL, NULL) == row);
  g_assert_cmpuint (pw_event_get_count (row), ==, 2);
  recorder_check (&recorder, "(5,0,1)");

  /* Events about no session fold with each other. */
  first = add_event (log, T0, NULL, PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL, "a");
  g_assert_true (add_event (log, T0, NULL, PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL,
                            "b") == first);
  g_assert_cmpstr (pw_event_get_message (first), ==, "b");
  recorder_check (&recorder, "(6,0,1)");

  recorder_clear (&recorder);
}

static void
test_log_bounded (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (3);
  GListModel *model = G_LIST_MODEL (log);
  Recorder recorder;
  g_autoptr (PwEvent) newest = NULL;
  PwEvent *acked, *row;
  guint max_events = 0;

  g_object_get (log, "max-events", &max_events, NULL);
  g_assert_cmpuint (max_events, ==, 3);

  recorder_init (&recorder, log);

  acked = add_event (log, T0, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  pw_event_set_acknowledged (acked, TRUE);
  /* Held, so a new row cannot take its address once it is dropped. */
  newest = g_object_ref (
      add_event (log, T0 + 1, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL));
  g_assert_true (newest != acked);
  add_event (log, T0 + 2000, "s-2", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  recorder_check (&recorder, "(0,0,1)(1,0,1)(2,0,1)");

  /* Full: the oldest goes first, then the new row comes in. */
  add_event (log, T0 + 3000, "s-3", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_true (get_event (model, 0) == newest);
  recorder_check (&recorder, "(0,1,0)(2,0,1)");

  /* Dropping the acknowledged row kept the newer row of its key. */
  row = add_event (log, T0 + 4000, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  g_assert_true (row == newest);
  g_assert_cmpuint (pw_event_get_count (newest), ==, 2);
  recorder_check (&recorder, "(0,1,0)(2,0,1)");

  /* Dropping the newest row of a key forgets the key. */
  add_event (log, T0 + 5000, "s-4", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  add_event (log, T0 + 6000, "s-5", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  recorder_check (&recorder, "(0,1,0)(2,0,1)(0,1,0)(2,0,1)");
  row = add_event (log, T0 + 7000, "s-2", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_get_count (row), ==, 1);
  row = add_event (log, T0 + 8000, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  g_assert_true (row != newest);
  g_assert_cmpuint (pw_event_get_count (row), ==, 1);
  recorder_check (&recorder, "(0,1,0)(2,0,1)(0,1,0)(2,0,1)");

  /* Reading positions out of order and at the end. */
  g_assert_null (g_list_model_get_item (model, 3));
  g_assert_true (get_event (model, 2) == row);
  g_assert_null (g_list_model_get_item (model, 3));
  g_assert_nonnull (get_event (model, 0));
  g_assert_true (get_event (model, 2) == row);
  g_assert_nonnull (get_event (model, 1));

  pw_event_log_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  recorder_check (&recorder, "(0,3,0)");
  pw_event_log_clear (log);
  recorder_check (&recorder, "");

  recorder_clear (&recorder);
}

/* The bound can change while the log runs: shrinking drops the oldest rows
 * at once, in one change, and keeps the unacknowledged count right. */
static void
test_log_set_max_events (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (10);
  GListModel *model = G_LIST_MODEL (log);
  Recorder recorder;
  PwEvent *newest = NULL;
  guint n_notifies = 0;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *id = g_strdup_printf ("s-%u", i);

      newest = add_event (log, T0 + i * 1000, id, PW_EVENT_SESSION_LOST, 404, NULL, NULL,
                          NULL);
    }
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 8);
  g_assert_cmpuint (pw_event_log_get_max_events (log), ==, 10);

  recorder_init (&recorder, log);
  g_signal_connect (log, "notify::max-events", G_CALLBACK (count_notify_cb), &n_notifies);

  pw_event_log_set_max_events (log, 3);
  recorder_check (&recorder, "(0,5,0)");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_true (get_event (model, 2) == newest);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 3);
  g_assert_cmpuint (n_notifies, ==, 1);

  /* The same bound again changes nothing; a new row pushes one out. */
  pw_event_log_set_max_events (log, 3);
  g_assert_cmpuint (n_notifies, ==, 1);
  add_event (log, T0 + 9000, "s-9", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  recorder_check (&recorder, "(0,1,0)(2,0,1)");

  /* Growing keeps every row. */
  g_object_set (log, "max-events", 100, NULL);
  recorder_check (&recorder, "");
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  recorder_clear (&recorder);
}

static void
test_log_unacknowledged (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (4);
  GListModel *model = G_LIST_MODEL (log);
  guint notified = 0;
  guint value = 0;
  PwEvent *lost, *paused;

  g_signal_connect (log, "notify::unacknowledged", G_CALLBACK (count_notify_cb),
                    &notified);

  lost = add_event (log, T0, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 1);
  g_assert_cmpuint (notified, ==, 1);

  /* Unimportant kinds and folded repeats do not count. */
  paused = add_event (log, T0, "s-1", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  add_event (log, T0, "s-1", PW_EVENT_SESSION_LOST, 404, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 1);
  g_assert_cmpuint (notified, ==, 1);

  add_event (log, T0, "s-2", PW_EVENT_CHARGE_EXHAUSTED, 200, NULL, NULL, NULL);
  add_event (log, T0, "s-3", PW_EVENT_CLOCK_SKEW, 0, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 3);
  g_assert_cmpuint (notified, ==, 3);
  g_object_get (log, "unacknowledged", &value, NULL);
  g_assert_cmpuint (value, ==, 3);

  /* Acknowledging a row directly, as a row widget would. */
  pw_event_set_acknowledged (lost, TRUE);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 2);
  g_assert_cmpuint (notified, ==, 4);
  pw_event_set_acknowledged (paused, TRUE);
  g_assert_cmpuint (notified, ==, 4);
  pw_event_set_acknowledged (lost, FALSE);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 3);
  g_assert_cmpuint (count_unacknowledged (model), ==, 3);

  /* Full: the oldest row (unacknowledged paused) goes, no change... */
  pw_event_set_acknowledged (paused, FALSE);
  notified = 0;
  add_event (log, T0, "s-4", PW_EVENT_RESUMED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (notified, ==, 0);
  /* ...then the lost one: one less, and one more for the new important row. */
  add_event (log, T0, "s-5", PW_EVENT_UNAUTHORIZED, 401, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 3);
  g_assert_cmpuint (count_unacknowledged (model), ==, 3);
  g_assert_cmpuint (notified, ==, 0);
  add_event (log, T0, "s-6", PW_EVENT_ENDED, 200, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 2);
  g_assert_cmpuint (count_unacknowledged (model), ==, 2);
  g_assert_cmpuint (notified, ==, 1);

  /* Once for the whole batch. */
  notified = 0;
  pw_event_log_acknowledge_all (log);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 0);
  g_assert_cmpuint (count_unacknowledged (model), ==, 0);
  g_assert_cmpuint (notified, ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_assert_true (pw_event_get_acknowledged (get_event (model, i)));
  pw_event_log_acknowledge_all (log);
  g_assert_cmpuint (notified, ==, 1);

  add_event (log, T0, "s-7", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 1);
  notified = 0;
  pw_event_log_clear (log);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 0);
  g_assert_cmpuint (notified, ==, 1);
}

static void
test_log_export_jsonl (void)
{
  g_autoptr (PwEventLog) log = make_sample_log ();
  g_autoptr (PwEventLog) back = pw_event_log_new (100);
  GListModel *model = G_LIST_MODEL (log);
  g_autofree char *text = write_to_string (log, FALSE);
  g_auto (GStrv) lines = NULL;
  guint n_lines;

  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpstr (lines[n_lines], ==, "");
  g_assert_cmpuint (n_lines, ==, g_list_model_get_n_items (model));

  /* The format itself, pinned: compact, fixed member order, null for none. */
  g_assert_cmpstr (lines[0], ==,
                   "{\"time\":\"2026-11-25T09:30:00.123Z\","
                   "\"last_time\":\"2026-11-25T09:30:00.123Z\",\"session_id\":\"s-1\","
                   "\"user_id\":\"user-1\",\"kind\":\"tracking-started\","
                   "\"http_status\":null,\"code\":null,\"request_id\":null,"
                   "\"message\":null,\"count\":1,\"acknowledged\":false}");

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr (JsonNode) node = parse_json (lines[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (PwEvent) event = pw_event_new_from_json (node, &error);

      g_assert_no_error (error);
      assert_events_equal (get_event (model, i), event);
      pw_event_log_add (back, event);
    }

  /* The folded row reads back folded. */
  g_assert_cmpuint (pw_event_get_count (get_event (model, 2)), ==, 2);
  assert_models_equal (model, G_LIST_MODEL (back));

  /* An empty log writes nothing. */
  {
    g_autoptr (PwEventLog) empty = pw_event_log_new (1);
    g_autofree char *nothing = write_to_string (empty, FALSE);

    g_assert_cmpstr (nothing, ==, "");
  }
}

/* RFC 4180, strictly: records end with CRLF, a quote inside a quoted field
 * is doubled, and a bare quote in an unquoted field is an error. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GString) field = g_string_new (NULL);
  GPtrArray *record = NULL;
  const char *p = text;

  while (*p != '\0')
    {
      if (record == NULL)
        record = g_ptr_array_new_with_free_func (g_free);

      g_string_truncate (field, 0);
      if (*p == '"')
        {
          for (p++;; p++)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (*p == '"' && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        {
          for (; *p != '\0' && *p != ',' && *p != '\r' && *p != '\n'; p++)
            {
              g_assert_cmpint (*p, !=, '"');
              g_string_append_c (field, *p);
            }
        }

      g_ptr_array_add (record, g_strdup (field->str));

      if (*p == ',')
        {
          p++;
          continue;
        }

      g_assert_true (p[0] == '\r' && p[1] == '\n');
      p += 2;
      g_ptr_array_add (records, g_steal_pointer (&record));
    }

  g_assert_null (record);
  return records;
}

/* What the CSV export must show for a text value: empty for none, and an
 * apostrophe before what a spreadsheet would run as a formula. */
static char *
expected_cell (const char *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (value[0] != '\0' && strchr ("=+-@\t", value[0]) != NULL)
    return g_strconcat ("'", value, NULL);
  return g_strdup (value);
}

static void
assert_cell (GPtrArray *record, guint column, const char *value)
{
  g_autofree char *expected = expected_cell (value);

  g_assert_cmpstr (g_ptr_array_index (record, column), ==, expected);
}

static gint64
cell_time (GPtrArray *record, guint column)
{
  const char *text = g_ptr_array_index (record, column);
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  /* UTC, with milliseconds: 2026-11-25T09:30:00.123Z */
  g_assert_cmpuint (strlen (text), ==, 24);
  g_assert_true (g_str_has_suffix (text, "Z"));
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
test_log_export_csv (void)
{
  g_autoptr (PwEventLog) log = make_sample_log ();
  GListModel *model = G_LIST_MODEL (log);
  g_autofree char *text = write_to_string (log, TRUE);
  g_autoptr (GPtrArray) records = parse_csv (text);
  GPtrArray *header;

  g_assert_true (g_str_has_prefix (text, "time,last_time,session_id,user_id,kind,"
                                         "http_status,code,request_id,message,count,"
                                         "acknowledged\r\n"));
  /* The message with a quote, a comma and a newline, quoted. */
  g_assert_nonnull (strstr (text, ",\"Server said: \"\"busy\"\", retrying,\nthen "
                                  "again\ttabbed\","));
  /* Formula-looking cells, defused (and quoted only when needed). */
  g_assert_nonnull (strstr (text,
                            ",\"'=HYPERLINK(\"\"http://evil\"\")\",user-1,unknown-result,"
                            "200,'+SUM(A1),'-1,'@cmd|' /C calc'!A0,1,false\r\n"));

  g_assert_cmpuint (records->len, ==, g_list_model_get_n_items (model) + 1);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpuint (header->len, ==, 11);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      PwEvent *event = get_event (model, i);
      GPtrArray *record = g_ptr_array_index (records, i + 1);
      g_autofree char *status = NULL;
      g_autofree char *count = NULL;

      if (pw_event_get_http_status (event) != 0)
        status = g_strdup_printf ("%u", pw_event_get_http_status (event));
      count = g_strdup_printf ("%u", pw_event_get_count (event));

      g_assert_cmpuint (record->len, ==, 11);
      g_assert_cmpint (cell_time (record, 0), ==, pw_event_get_time_real_us (event));
      g_assert_cmpint (cell_time (record, 1), ==, pw_event_get_last_time_real_us (event));
      assert_cell (record, 2, pw_event_get_session_id (event));
      assert_cell (record, 3, pw_event_get_user_id (event));
      assert_cell (record, 4, pw_event_kind_to_string (pw_event_get_kind (event)));
      assert_cell (record, 5, status);
      assert_cell (record, 6, pw_event_get_code (event));
      assert_cell (record, 7, pw_event_get_request_id (event));
      assert_cell (record, 8, pw_event_get_message (event));
      assert_cell (record, 9, count);
      assert_cell (record, 10, pw_event_get_acknowledged (event) ? "true" : "false");
    }
}

static void
test_log_export_errors (void)
{
  g_autoptr (PwEventLog) log = make_sample_log ();
  g_autoptr (GOutputStream) closed = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) open = g_memory_output_stream_new_resizable ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_output_stream_close (closed, NULL, NULL));
  g_assert_false (pw_event_log_export_jsonl (log, closed, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (pw_event_log_export_csv (log, closed, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (pw_event_log_export_csv (log, open, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_log_json_round_trip (void)
{
  g_autoptr (PwEventLog) log = make_sample_log ();
  g_autoptr (PwEventLog) back = pw_event_log_new (100);
  g_autoptr (JsonNode) saved = pw_event_log_to_json (log);
  g_autoptr (JsonNode) reread = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  Recorder recorder;
  PwEvent *row;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (saved));
  text = pw_json_to_string (saved, FALSE);
  reread = pw_json_parse (text, strlen (text), &error);
  g_assert_no_error (error);

  add_event (back, T0, "old", PW_EVENT_EXPIRED, 0, NULL, NULL, NULL);
  recorder_init (&recorder, back);
  g_assert_true (pw_event_log_load_json (back, reread, &error));
  g_assert_no_error (error);
  recorder_check (&recorder, "(0,1,7)");
  assert_models_equal (G_LIST_MODEL (log), G_LIST_MODEL (back));
  g_assert_cmpuint (pw_event_log_get_unacknowledged (back), ==,
                    pw_event_log_get_unacknowledged (log));
  g_assert_cmpuint (pw_event_log_get_unacknowledged (back), ==,
                    count_unacknowledged (G_LIST_MODEL (back)));

  /* Loaded rows fold like added ones; the acknowledged one does not. */
  row =
      add_event (back, T0 + 9000, "s-2", PW_EVENT_NETWORK_FAILURES, 0, NULL, NULL, NULL);
  g_assert_cmpuint (pw_event_get_count (row), ==, 3);
  row = add_event (back, T0 + 9000, "s-4", PW_EVENT_SESSION_REPLACED, 200, NULL, NULL,
                   NULL);
  g_assert_cmpuint (pw_event_get_count (row), ==, 1);
  recorder_check (&recorder, "(2,1,0)(6,0,1)(7,0,1)");

  recorder_clear (&recorder);
}

static void
test_log_load_garbage (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (3);
  g_autoptr (GString) text = g_string_new ("[");
  g_autoptr (JsonNode) array = NULL;
  g_autoptr (JsonNode) object = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model = G_LIST_MODEL (log);
  guint notified = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bad_events); i++)
    g_string_append_printf (text, "%s,", bad_events[i]);
  g_string_append (text, "{\"time\":\"2026-11-25T09:30:00.123Z\",\"kind\":\"expired\","
                         "\"session_id\":\"good-1\"},");
  g_string_append (text, "[[[[{}]]]],");
  g_string_append (text, "{\"time\":\"2026-11-25T09:30:01Z\",\"kind\":\"paused\","
                         "\"session_id\":\"good-2\",\"acknowledged\":true}");
  g_string_append (text, "]");
  array = parse_json (text->str);

  add_event (log, T0, "s-1", PW_EVENT_PAUSED, 0, NULL, NULL, NULL);
  g_signal_connect (log, "notify::unacknowledged", G_CALLBACK (count_notify_cb),
                    &notified);

  /* Not an array: refused, and the log stays as it was. */
  object = parse_json ("{\"events\":[]}");
  g_assert_false (pw_event_log_load_json (log, object, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  g_assert_true (pw_event_log_load_json (log, array, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (pw_event_get_session_id (get_event (model, 0)), ==, "good-1");
  g_assert_cmpstr (pw_event_get_session_id (get_event (model, 1)), ==, "good-2");
  g_assert_true (pw_event_get_acknowledged (get_event (model, 1)));
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 1);
  g_assert_cmpuint (notified, ==, 1);

  /* More good entries than max-events: the newest are kept. */
  {
    g_autoptr (PwEventLog) big = make_sample_log ();
    g_autoptr (JsonNode) saved = pw_event_log_to_json (big);

    g_assert_true (pw_event_log_load_json (log, saved, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
    for (guint i = 0; i < 3; i++)
      assert_events_equal (get_event (G_LIST_MODEL (big), 4 + i), get_event (model, i));
  }

  /* An empty array empties the log. */
  {
    g_autoptr (JsonNode) empty = parse_json ("[]");

    g_assert_true (pw_event_log_load_json (log, empty, &error));
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
    g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 0);
  }
}

static void
test_log_many (void)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  GListModel *model = G_LIST_MODEL (log);
  static const PwEventKind kinds[] = {
    PW_EVENT_NETWORK_FAILURES,
    PW_EVENT_RATE_LIMITED,
    PW_EVENT_SESSION_LOST,
    PW_EVENT_RECOVERED,
  };
  guint total = 0;
  Recorder recorder;

  recorder_init (&recorder, log);

  /* 4,500 keys for 10,000 events, every seventh row acknowledged (so the
   * next repeat starts a new row): repeats fold, and the bound is reached. */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *session_id = g_strdup_printf ("session-%05u", i % 4500);
      PwEvent *row = add_event (log, T0 + i * 1000, session_id, kinds[i % 4500 % 4], 503,
                                NULL, NULL, NULL);

      if (i % 7 == 0)
        pw_event_set_acknowledged (row, TRUE);
    }

  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  recorder_check (&recorder, NULL);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==,
                    count_unacknowledged (model));

  /* The newest activity is last, and no key has two unacknowledged rows. */
  {
    g_autoptr (GHashTable) open =
        g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    gint64 previous = 0;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        PwEvent *event = get_event (model, i);

        g_assert_cmpint (pw_event_get_last_time_real_us (event), >, previous);
        previous = pw_event_get_last_time_real_us (event);
        total += pw_event_get_count (event);

        if (!pw_event_get_acknowledged (event))
          g_assert_true (g_hash_table_add (
              open, g_strdup_printf ("%s/%d", pw_event_get_session_id (event),
                                     pw_event_get_kind (event))));
      }
  }
  g_test_message ("%u rows hold %u events", g_list_model_get_n_items (model), total);
  g_assert_cmpuint (total, <=, 10000);
  g_assert_cmpuint (total, >, g_list_model_get_n_items (model));

  pw_event_log_acknowledge_all (log);
  g_assert_cmpuint (pw_event_log_get_unacknowledged (log), ==, 0);

  recorder_clear (&recorder);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event/new-destroy", test_event_new_destroy);
  g_test_add_func ("/event/kind-strings", test_event_kind_strings);
  g_test_add_func ("/event/important", test_event_important);
  g_test_add_func ("/event/notify", test_event_notify);
  g_test_add_func ("/event/sanitize", test_event_sanitize);
  g_test_add_func ("/event/json-round-trip", test_event_json_round_trip);
  g_test_add_func ("/event/json-invalid", test_event_json_invalid);
  g_test_add_func ("/event-log/new-destroy", test_log_new_destroy);
  g_test_add_func ("/event-log/fold", test_log_fold);
  g_test_add_func ("/event-log/bounded", test_log_bounded);
  g_test_add_func ("/event-log/set-max-events", test_log_set_max_events);
  g_test_add_func ("/event-log/unacknowledged", test_log_unacknowledged);
  g_test_add_func ("/event-log/export-jsonl", test_log_export_jsonl);
  g_test_add_func ("/event-log/export-csv", test_log_export_csv);
  g_test_add_func ("/event-log/export-errors", test_log_export_errors);
  g_test_add_func ("/event-log/json-round-trip", test_log_json_round_trip);
  g_test_add_func ("/event-log/load-garbage", test_log_load_garbage);
  g_test_add_func ("/event-log/many", test_log_many);

  return g_test_run ();
}
