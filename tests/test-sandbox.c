/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-fake-clock.h"
#include "pw-sandbox.h"

/* The sandbox driven over real loopback HTTP by a plain SoupSession, with a
 * fake clock so minutes of protocol take no time. */

#define KEY "test-sandbox-key"
#define HEARTBEAT "/v1/game/session/heartbeat"
#define END "/v1/game/session/end"
#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  PwClock *clock;
  PwSandbox *sandbox;
  SoupSession *session;
  char *root; /* http://127.0.0.1:PORT */
} Fixture;

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  JsonNode *json;
  GError *error;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base_url = NULL;

  f->clock = pw_fake_clock_new ();
  f->sandbox = pw_sandbox_new (f->clock, KEY);
  g_assert_true (pw_sandbox_listen (f->sandbox, 0, &error));
  g_assert_no_error (error);

  base_url = pw_sandbox_dup_base_url (f->sandbox);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base_url, "/v1"));
  f->root = g_strndup (base_url, strlen (base_url) - 3);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->sandbox);
  g_assert_finalize_object (f->clock);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  g_clear_pointer (&f->root, g_free);

  /* Let closed connections finish on both sides before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
advance (Fixture *f, double seconds)
{
  pw_fake_clock_advance (PW_FAKE_CLOCK (f->clock), (gint64) (seconds * SEC));
}

static void
sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg =
      soup_session_get_async_result_message (SOUP_SESSION (object), result);

  reply->body =
      soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Sends @msg and spins the main context until it is answered, or cancels it
 * after @cancel_ms of real time when that is not 0. */
static Reply *
send_message (Fixture *f, SoupMessage *msg, guint cancel_ms)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Reply *reply = g_new0 (Reply, 1);
  guint cancel_id = 0;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (cancel_ms > 0)
    cancel_id = g_timeout_add (cancel_ms, cancel_cb, cancellable);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    sent_cb, reply);
  while (reply->body == NULL && reply->error == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (cancel_id != 0 && !g_cancellable_is_cancelled (cancellable))
    g_source_remove (cancel_id);

  if (reply->body != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      if (json_parser_load_from_data (parser, data, size, NULL))
        reply->json = json_node_ref (json_parser_get_root (parser));
    }

  return reply;
}

static Reply *
request_full (Fixture *f,
              const char *method,
              const char *path,
              const char *key,
              const char *body,
              SoupMessageFlags flags,
              guint cancel_ms)
{
  g_autofree char *uri = g_strconcat (f->root, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);

  soup_message_add_flags (msg, flags);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Api-Key",
                                  key);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return send_message (f, msg, cancel_ms);
}

static Reply *
api (Fixture *f, const char *method, const char *path, const char *body)
{
  return request_full (f, method, path, KEY, body, 0, 0);
}

static Reply *
control (Fixture *f, const char *method, const char *path, const char *body)
{
  return request_full (f, method, path, NULL, body, 0, 0);
}

static Reply *
heartbeat (Fixture *f, const char *session_id, const char *user_id)
{
  g_autofree char *body = g_strdup_printf (
      "{\"game_session_id\": \"%s\", \"provider_user_id\": \"%s\"}", session_id, user_id);

  return api (f, "PATCH", HEARTBEAT, body);
}

/* @client_sec < 0: no play_duration_sec in the body */
static Reply *
end (Fixture *f, const char *session_id, gint64 client_sec)
{
  g_autofree char *body = NULL;

  if (client_sec >= 0)
    body = g_strdup_printf (
        "{\"game_session_id\": \"%s\", \"play_duration_sec\": %" G_GINT64_FORMAT "}",
        session_id, client_sec);
  else
    body = g_strdup_printf ("{\"game_session_id\": \"%s\"}", session_id);

  return api (f, "DELETE", END, body);
}

/* "data.result" style lookups; NULL when any step is missing. */
static JsonNode *
lookup (Reply *reply, const char *path)
{
  g_auto (GStrv) steps = g_strsplit (path, ".", 0);
  JsonNode *node = reply->json;

  for (guint i = 0; steps[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), steps[i]);
    }

  return node;
}

static const char *
get_str (Reply *reply, const char *path)
{
  JsonNode *node = lookup (reply, path);

  g_assert_nonnull (node);
  return json_node_get_string (node);
}

static gint64
get_int (Reply *reply, const char *path)
{
  JsonNode *node = lookup (reply, path);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static void
assert_result (Reply *reply, const char *result)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (json_node_get_boolean (lookup (reply, "success")));
  g_assert_cmpstr (get_str (reply, "data.result"), ==, result);
}

static void
assert_error (Reply *reply, guint status, const char *code)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
  g_assert_false (json_node_get_boolean (lookup (reply, "success")));
  g_assert_cmpstr (get_str (reply, "error.code"), ==, code);
  g_assert_true (g_str_has_prefix (get_str (reply, "request_id"), "req_"));
  g_assert_nonnull (get_str (reply, "error.message"));
}

static void
assert_body (Reply *reply, const char *expected)
{
  g_assert_no_error (reply->error);
  g_assert_cmpmem (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body),
                   expected, strlen (expected));
}

/* Checks the status and the result or error code of @reply, and frees it. */
static void
check (Reply *reply, guint status, const char *word)
{
  if (status == 200)
    assert_result (reply, word);
  else
    assert_error (reply, status, word);

  reply_free (reply);
}

static char *
create (Fixture *f,
        const char *session_id,
        const char *user_id,
        const char *pc_id,
        gint64 charge_sec)
{
  char *id =
      pw_sandbox_create_session (f->sandbox, session_id, user_id, pc_id, charge_sec);

  g_assert_nonnull (id);
  return id;
}

static void
assert_state (Fixture *f, const char *session_id, const char *state)
{
  g_autofree char *actual = pw_sandbox_dup_session_state (f->sandbox, session_id);

  g_assert_cmpstr (actual, ==, state);
}

static void
test_new_destroy (void)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  PwSandbox *sandbox = pw_sandbox_new (clock, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_sandbox_get_clock (sandbox) == clock);
  g_assert_null (pw_sandbox_dup_base_url (sandbox));
  g_assert_true (pw_sandbox_listen (sandbox, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_sandbox_get_port (sandbox), >, 0);

  g_assert_finalize_object (sandbox);
}

static void
test_heartbeat_ok (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autoptr (Reply) reply = NULL;
  g_autoptr (GDateTime) date = NULL;
  const char *header;
  JsonObject *body;

  g_assert_true (g_str_has_prefix (id, "gs_"));
  reply = heartbeat (f, id, "42");
  assert_result (reply, "OK");
  g_assert_cmpint (get_int (reply, "data.next_heartbeat_in"), ==, 120);
  g_assert_cmpint (get_int (reply, "data.play_duration_sec"), ==, 0);
  body = json_node_get_object (reply->json);
  g_assert_cmpuint (json_object_get_size (body), ==, 3);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (body, "data")),
                    ==, 3);

  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Request-Id"), ==,
                   get_str (reply, "request_id"));
  header = soup_message_headers_get_one (reply->headers, "Date");
  g_assert_nonnull (header);
  date = soup_date_time_new_from_http_string (header);
  g_assert_nonnull (date);
  g_assert_cmpint (ABS (g_date_time_to_unix (date) - g_get_real_time () / SEC), <=, 2);

  /* The Date header follows the clock's wall time. */
  g_clear_pointer (&reply, reply_free);
  g_clear_pointer (&date, g_date_time_unref);
  pw_fake_clock_set_real_offset (PW_FAKE_CLOCK (f->clock), 3600 * SEC);
  reply = heartbeat (f, id, "42");
  date = soup_date_time_new_from_http_string (
      soup_message_headers_get_one (reply->headers, "Date"));
  g_assert_cmpint (g_date_time_to_unix (date) - g_get_real_time () / SEC, >=, 3598);
}

static void
test_heartbeat_request_ids (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autoptr (GHashTable) seen =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr (Reply) reply =
          i % 3 == 2 ? end (f, "gs_unknown", -1) : heartbeat (f, id, "42");

      g_assert_true (g_hash_table_add (seen, g_strdup (get_str (reply, "request_id"))));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 30);
}

static void
test_heartbeat_play_time (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, "gs_play", "42", NULL, -1);
  g_autoptr (Reply) first = NULL;
  g_autoptr (Reply) second = NULL;

  advance (f, 100.7);
  first = heartbeat (f, id, "42");
  assert_result (first, "OK");
  g_assert_cmpint (get_int (first, "data.play_duration_sec"), ==, 100);

  advance (f, 119.5);
  second = heartbeat (f, id, "42");
  g_assert_cmpint (get_int (second, "data.play_duration_sec"), ==, 220);
}

static void
test_heartbeat_expiry (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autofree char *id2 = create (f, NULL, "43", NULL, -1);
  g_autoptr (Reply) alive = NULL;
  g_autoptr (Reply) edge = NULL;
  g_autoptr (Reply) gone = NULL;
  g_autoptr (Reply) gone_end = NULL;

  advance (f, 239);
  alive = heartbeat (f, id, "42");
  assert_result (alive, "OK");

  /* Exactly 240 s of silence is still alive; anything more is not. */
  advance (f, 1);
  edge = heartbeat (f, id2, "43");
  assert_result (edge, "OK");
  advance (f, 239.001);
  gone = heartbeat (f, id, "42");
  assert_error (gone, 404, "SESSION_NOT_FOUND");
  assert_state (f, id, "expired");
  gone_end = end (f, id, 10);
  assert_error (gone_end, 404, "SESSION_NOT_FOUND");
  assert_state (f, id2, "active");
}

static void
test_heartbeat_charge (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, 60);
  Reply *reply;

  advance (f, 59);
  check (heartbeat (f, id, "42"), 200, "OK");

  advance (f, 1);
  reply = heartbeat (f, id, "42");
  assert_result (reply, "CHARGE_EXHAUSTED");
  g_assert_cmpint (get_int (reply, "data.play_duration_sec"), ==, 60);
  reply_free (reply);
  assert_state (f, id, "charge_exhausted");

  advance (f, 119.9);
  check (heartbeat (f, id, "42"), 200, "CHARGE_EXHAUSTED");

  advance (f, 0.2);
  check (heartbeat (f, id, "42"), 410, "SESSION_ENDING");
  check (end (f, id, -1), 409, "ALREADY_ENDED");

  advance (f, 10);
  check (heartbeat (f, id, "42"), 410, "SESSION_ENDED");
  assert_state (f, id, "ended");
}

static void
test_heartbeat_recharge (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, 10);

  advance (f, 30);
  check (heartbeat (f, id, "42"), 200, "CHARGE_EXHAUSTED");

  /* The new charge counts from now. */
  g_assert_true (pw_sandbox_set_charge (f->sandbox, id, 100));
  advance (f, 99);
  check (heartbeat (f, id, "42"), 200, "OK");
  advance (f, 1);
  check (heartbeat (f, id, "42"), 200, "CHARGE_EXHAUSTED");

  g_assert_true (pw_sandbox_set_charge (f->sandbox, id, -1));
  advance (f, 200);
  check (heartbeat (f, id, "42"), 200, "OK");
  g_assert_false (pw_sandbox_set_charge (f->sandbox, "gs_unknown", 5));
}

static void
test_heartbeat_replaced (Fixture *f, gconstpointer data)
{
  g_autofree char *old_id = create (f, "gs_old", "42", "pc-shared", -1);
  g_autofree char *new_id = NULL;
  Reply *reply;

  check (heartbeat (f, old_id, "42"), 200, "OK");

  advance (f, 30);
  new_id = create (f, "gs_new", "43", "pc-shared", -1);
  assert_state (f, old_id, "replaced");

  for (guint i = 0; i < 2; i++)
    {
      advance (f, 100);
      reply = heartbeat (f, old_id, "42");
      assert_result (reply, "SESSION_REPLACED");
      g_assert_cmpint (get_int (reply, "data.play_duration_sec"), ==, 30);
      reply_free (reply);
    }

  check (heartbeat (f, new_id, "43"), 200, "OK");

  check (end (f, old_id, 5), 409, "ALREADY_ENDED");
}

static void
test_heartbeat_launcher (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", "pc-a", -1);
  g_autofree char *revived_id = create (f, NULL, "43", "pc-b", -1);

  pw_sandbox_silence_launcher (f->sandbox, "pc-a");
  pw_sandbox_silence_launcher (f->sandbox, "pc-b");
  advance (f, 200);
  pw_sandbox_revive_launcher (f->sandbox, "pc-b");
  advance (f, 40);

  check (heartbeat (f, id, "42"), 200, "OK");
  check (heartbeat (f, revived_id, "43"), 200, "OK");

  advance (f, 0.5);
  check (heartbeat (f, id, "42"), 410, "SESSION_ENDED");
  assert_state (f, id, "ended");

  /* Reviving does not bring an ended session back. */
  pw_sandbox_revive_launcher (f->sandbox, "pc-a");
  check (heartbeat (f, id, "42"), 410, "SESSION_ENDED");

  check (heartbeat (f, revived_id, "43"), 200, "OK");
}

static void
test_heartbeat_wrong_user (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autoptr (Reply) reply = heartbeat (f, id, "99");

  assert_error (reply, 404, "SESSION_NOT_FOUND");
  assert_state (f, id, "active");
}

static void
test_auth (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  const char *body = "{\"game_session_id\": \"x\", \"provider_user_id\": \"42\"}";

  check (request_full (f, "PATCH", HEARTBEAT, NULL, body, 0, 0), 401, "UNAUTHORIZED");

  check (request_full (f, "PATCH", HEARTBEAT, "wrong-key", body, 0, 0), 401,
         "UNAUTHORIZED");

  check (request_full (f, "DELETE", END, "", body, 0, 0), 401, "UNAUTHORIZED");

  check (request_full (f, "GET", "/v1/unknown", "wrong-key", NULL, 0, 0), 401,
         "UNAUTHORIZED");

  assert_state (f, id, "active");
}

static void
assert_bad_request (Fixture *f, const char *path, const char *body, const char *field)
{
  g_autoptr (Reply) reply =
      api (f, g_str_equal (path, END) ? "DELETE" : "PATCH", path, body);

  assert_error (reply, 400, "INVALID_REQUEST");
  if (field != NULL)
    g_assert_nonnull (strstr (get_str (reply, "error.message"), field));
}

static void
test_bad_requests (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, "gs_bad", "42", NULL, -1);
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GString) big =
      g_string_new ("{\"game_session_id\": \"gs_bad\", \"pad\": \"");
  Reply *reply;

  assert_bad_request (f, HEARTBEAT, "not json", NULL);
  assert_bad_request (f, HEARTBEAT, "", NULL);
  assert_bad_request (f, HEARTBEAT, "[1, 2]", NULL);
  assert_bad_request (f, HEARTBEAT, "{}", "game_session_id");
  assert_bad_request (f, HEARTBEAT,
                      "{\"game_session_id\": 5, \"provider_user_id\": \"42\"}",
                      "game_session_id");
  assert_bad_request (f, HEARTBEAT, "{\"game_session_id\": \"gs_bad\"}",
                      "provider_user_id");
  assert_bad_request (f, HEARTBEAT,
                      "{\"game_session_id\": \"gs_bad\", \"provider_user_id\": \"\"}",
                      "provider_user_id");
  assert_bad_request (
      f, HEARTBEAT,
      "{\"game_session_id\": \"gs\\u0000bad\", \"provider_user_id\": \"42\"}", NULL);
  assert_bad_request (f, END, "{\"play_duration_sec\": 5}", "game_session_id");
  assert_bad_request (f, END,
                      "{\"game_session_id\": \"gs_bad\", \"play_duration_sec\": -1}",
                      "play_duration_sec");
  assert_bad_request (f, END,
                      "{\"game_session_id\": \"gs_bad\", \"play_duration_sec\": \"5\"}",
                      "play_duration_sec");
  assert_bad_request (f, END,
                      "{\"game_session_id\": \"gs_bad\", \"play_duration_sec\": 1.5}",
                      "play_duration_sec");
  assert_bad_request (
      f, END,
      "{\"game_session_id\": \"gs_bad\", \"play_duration_sec\": 18446744073709551615}",
      NULL);

  for (guint i = 0; i < 20000; i++)
    g_string_append_c (deep, '[');
  assert_bad_request (f, HEARTBEAT, deep->str, NULL);

  reply = api (f, "GET", HEARTBEAT, NULL);
  assert_error (reply, 405, "METHOD_NOT_ALLOWED");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Allow"), ==, "PATCH");
  reply_free (reply);

  check (api (f, "PATCH", "/v1/game/session/nope", "{}"), 404, "NOT_FOUND");

  check (api (f, "GET", "/elsewhere", NULL), 404, "NOT_FOUND");

  for (guint i = 0; i < 70 * 1024; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  check (api (f, "DELETE", END, big->str), 413, "PAYLOAD_TOO_LARGE");

  /* Nothing of this touched the session. */
  assert_state (f, id, "active");
}

static void
test_chunked_too_large (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->root, END, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("DELETE", uri);
  g_autofree char *filler = g_malloc0 (100 * 1024);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (Reply) reply = NULL;

  /* No length given: libsoup sends the body chunked. */
  memset (filler, ' ', 100 * 1024 - 1);
  stream = g_memory_input_stream_new_from_data (filler, 100 * 1024 - 1, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Api-Key", KEY);
  soup_message_set_request_body (msg, "application/json", stream, -1);

  reply = send_message (f, msg, 0);
  assert_error (reply, 413, "PAYLOAD_TOO_LARGE");
}

static void
test_end (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autofree char *id2 = create (f, NULL, "43", NULL, -1);
  Reply *reply;

  advance (f, 100);
  reply = end (f, id, 95);
  assert_result (reply, "SUCCESS");
  g_assert_cmpint (get_int (reply, "data.play_duration_sec"), ==, 100);
  g_assert_cmpint (get_int (reply, "data.client_play_duration_sec"), ==, 95);
  reply_free (reply);
  assert_state (f, id, "ended");

  check (end (f, id, 95), 409, "ALREADY_ENDED");

  check (heartbeat (f, id, "42"), 410, "SESSION_ENDED");

  reply = end (f, id2, -1);
  assert_result (reply, "SUCCESS");
  g_assert_true (JSON_NODE_HOLDS_NULL (lookup (reply, "data.client_play_duration_sec")));
  reply_free (reply);

  check (end (f, "gs_unknown", 5), 404, "SESSION_NOT_FOUND");

  /* Ended sessions are remembered for ten minutes, then forgotten. */
  advance (f, 600);
  check (heartbeat (f, id, "42"), 410, "SESSION_ENDED");
  advance (f, 1);
  check (heartbeat (f, id, "42"), 404, "SESSION_NOT_FOUND");
  assert_state (f, id, "expired");
}

static void
add_fault (Fixture *f, const char *json)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_sandbox_add_fault_json (f->sandbox, json, &error));
  g_assert_no_error (error);
}

static void
test_fault_status (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  Reply *reply;

  add_fault (f, "{\"status\": 503, \"body\": \"<html>busy</html>\", \"content_type\": "
                "\"text/html\"}");
  add_fault (f, "{\"status\": 500}");
  add_fault (f, "{\"status\": 200, \"body\": \"ab\", \"body_repeat\": 3}");

  reply = heartbeat (f, id, "42");
  g_assert_cmpuint (reply->status, ==, 503);
  assert_body (reply, "<html>busy</html>");
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "text/html");
  reply_free (reply);

  check (heartbeat (f, id, "42"), 500, "INTERNAL_ERROR");

  reply = heartbeat (f, id, "42");
  g_assert_cmpuint (reply->status, ==, 200);
  assert_body (reply, "ababab");
  reply_free (reply);

  check (heartbeat (f, id, "42"), 200, "OK");
}

static void
test_fault_headers (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  Reply *reply;

  add_fault (f, "{\"status\": 429, \"headers\": {\"Retry-After\": \"7\"}}");
  add_fault (
      f, "{\"status\": 302, \"headers\": {\"Location\": \"http://example.invalid/\"}}");
  add_fault (f, "{\"headers\": {\"Date\": \"Mon, 01 Jan 2001 00:00:00 GMT\"}}");

  reply = heartbeat (f, id, "42");
  assert_error (reply, 429, "RATE_LIMITED");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "7");
  reply_free (reply);

  reply = heartbeat (f, id, "42");
  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Location"), ==,
                   "http://example.invalid/");
  reply_free (reply);

  /* Headers alone decorate the normal answer. */
  reply = heartbeat (f, id, "42");
  assert_result (reply, "OK");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Date"), ==,
                   "Mon, 01 Jan 2001 00:00:00 GMT");
  reply_free (reply);
}

static void
test_fault_latency (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  gint64 start = g_get_monotonic_time ();
  Reply *reply;

  add_fault (f, "{\"latency_ms\": 150}");
  add_fault (f, "{\"latency_ms\": 50, \"status\": 502}");

  reply = heartbeat (f, id, "42");
  assert_result (reply, "OK");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  reply_free (reply);

  reply = heartbeat (f, id, "42");
  assert_error (reply, 502, "INTERNAL_ERROR");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
  reply_free (reply);
}

static void
test_fault_drop_raw (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  Reply *reply;

  add_fault (f, "{\"drop\": true}");
  add_fault (
      f, "{\"raw\": \"HTTP/1.1 200 OK\\r\\nContent-Length: 500\\r\\n\\r\\n{\\\"succ\"}");
  add_fault (f, "{\"raw\": \"HTTP/1.1 200 OK\\r\\nContent-Length: 4\\r\\n\\r\\nnope\", "
                "\"latency_ms\": 10}");

  reply = heartbeat (f, id, "42");
  g_assert_nonnull (reply->error);
  g_assert_null (reply->body);
  reply_free (reply);

  reply = heartbeat (f, id, "42");
  g_assert_error (reply->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  reply_free (reply);

  reply = heartbeat (f, id, "42");
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  assert_body (reply, "nope");
  reply_free (reply);

  check (heartbeat (f, id, "42"), 200, "OK");
}

static void
test_fault_hang (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autofree char *body =
      g_strdup_printf ("{\"game_session_id\": \"%s\", \"provider_user_id\": \"42\"}", id);
  Reply *reply;

  add_fault (f, "{\"hang\": true, \"match\": \"heartbeat\", \"count\": 2}");

  for (guint i = 0; i < 2; i++)
    {
      reply = request_full (f, "PATCH", HEARTBEAT, KEY, body, 0, 100);
      g_assert_error (reply->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      reply_free (reply);
    }

  /* A hung request is released, without an answer, on disconnect. */
  pw_sandbox_disconnect (f->sandbox);
  g_assert_cmpuint (pw_sandbox_get_port (f->sandbox), ==, 0);
  g_assert_true (pw_sandbox_listen (f->sandbox, 0, NULL));
  g_free (f->root);
  f->root = g_strdup_printf ("http://127.0.0.1:%u", pw_sandbox_get_port (f->sandbox));

  check (heartbeat (f, id, "42"), 200, "OK");
}

static gboolean
disconnect_cb (gpointer user_data)
{
  pw_sandbox_disconnect (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_fault_hang_disconnect (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autoptr (Reply) reply = NULL;

  add_fault (f, "{\"hang\": true}");
  g_timeout_add (50, disconnect_cb, f->sandbox);
  reply = heartbeat (f, id, "42");
  g_assert_nonnull (reply->error);
}

static void
test_fault_count_match (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autofree char *id2 = create (f, NULL, "43", NULL, -1);
  Reply *reply;

  add_fault (f, "{\"status\": 500, \"count\": 2, \"match\": \"end\"}");
  add_fault (f, "{\"status\": 418, \"match\": \"any\"}");
  g_assert_cmpuint (pw_sandbox_get_fault_count (f->sandbox), ==, 2);

  /* The end fault waits; the first fault that matches applies. */
  reply = heartbeat (f, id, "42");
  g_assert_cmpuint (reply->status, ==, 418);
  reply_free (reply);

  check (heartbeat (f, id, "42"), 200, "OK");

  for (guint i = 0; i < 2; i++)
    {
      check (end (f, id, -1), 500, "INTERNAL_ERROR");
    }

  check (end (f, id, -1), 200, "SUCCESS");
  g_assert_cmpuint (pw_sandbox_get_fault_count (f->sandbox), ==, 0);

  add_fault (f, "{\"status\": 500, \"count\": 5}");
  pw_sandbox_clear_faults (f->sandbox);
  check (heartbeat (f, id2, "43"), 200, "OK");
}

static void
test_fault_bad_json (Fixture *f, gconstpointer data)
{
  /* test-sandbox-model.c has the full list; this is the wire side. */
  const char *bad[] = {
    "nope",
    "{\"status\": 99}",
    "{\"drop\": true, \"hang\": true}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (Reply) reply = NULL;

      g_assert_false (pw_sandbox_add_fault_json (f->sandbox, bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

      reply = control (f, "POST", "/_sandbox/faults", bad[i]);
      assert_error (reply, 400, "INVALID_REQUEST");
    }
  g_assert_cmpuint (pw_sandbox_get_fault_count (f->sandbox), ==, 0);
}

static void
test_control (Fixture *f, gconstpointer data)
{
  Reply *reply;
  const char *id;
  g_autofree char *session_path = NULL;
  g_autofree char *charge_path = NULL;
  g_autofree char *interval_path = NULL;

  reply = control (f, "POST", "/_sandbox/sessions", "{\"provider_user_id\": \"42\"}");
  g_assert_cmpuint (reply->status, ==, 201);
  id = get_str (reply, "game_session_id");
  g_assert_true (g_str_has_prefix (id, "gs_"));
  g_assert_cmpstr (get_str (reply, "pc_id"), ==, "pc-42");
  g_assert_cmpstr (get_str (reply, "state"), ==, "active");
  g_assert_cmpint (get_int (reply, "charge_sec"), ==, -1);
  session_path = g_strconcat ("/_sandbox/sessions/", id, NULL);
  charge_path = g_strconcat (session_path, "/charge", NULL);
  interval_path = g_strconcat (session_path, "/next-heartbeat-in", NULL);
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/sessions",
                   "{\"game_session_id\": \"gs_fixed\", \"provider_user_id\": \"7\", "
                   "\"pc_id\": \"pc-x\", \"charge_sec\": 30, \"ending_sec\": 2}");
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_cmpint (get_int (reply, "ending_sec"), ==, 2);
  reply_free (reply);

  check (control (f, "POST", "/_sandbox/sessions",
                  "{\"game_session_id\": \"gs_fixed\", \"provider_user_id\": \"7\"}"),
         409, "CONFLICT");

  check (control (f, "POST", "/_sandbox/sessions", "{\"pc_id\": \"x\"}"), 400,
         "INVALID_REQUEST");

  reply = control (f, "GET", "/_sandbox/sessions", NULL);
  g_assert_cmpuint (
      json_array_get_length (json_node_get_array (lookup (reply, "sessions"))), ==, 2);
  reply_free (reply);

  reply = control (f, "POST", charge_path, "{\"charge_sec\": 15}");
  g_assert_cmpint (get_int (reply, "charge_remaining_sec"), ==, 15);
  reply_free (reply);

  reply = control (f, "POST", interval_path, "{\"next_heartbeat_in\": 30}");
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/launchers/pc-42/silence", NULL);
  g_assert_false (json_node_get_boolean (lookup (reply, "alive")));
  reply_free (reply);
  reply = control (f, "POST", "/_sandbox/launchers/pc-42/revive", NULL);
  g_assert_true (json_node_get_boolean (lookup (reply, "alive")));
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/time", "{\"advance_sec\": 16}");
  g_assert_cmpint (get_int (reply, "offset_sec"), ==, 16);
  reply_free (reply);

  reply = control (f, "GET", session_path, NULL);
  g_assert_cmpstr (get_str (reply, "state"), ==, "charge_exhausted");
  g_assert_cmpint (get_int (reply, "play_duration_sec"), ==, 16);
  g_assert_cmpint (get_int (reply, "next_heartbeat_in"), ==, 30);
  g_assert_cmpint (get_int (reply, "expires_in_sec"), ==, 224);
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/faults", "{\"status\": 500}");
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_cmpint (get_int (reply, "queued"), ==, 1);
  reply_free (reply);
  reply = control (f, "DELETE", "/_sandbox/faults", NULL);
  g_assert_cmpint (get_int (reply, "queued"), ==, 0);
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/settings", "{\"ending_sec\": 3}");
  g_assert_cmpint (get_int (reply, "ending_sec"), ==, 3);
  reply_free (reply);

  reply = control (f, "POST", "/_sandbox/time", "{\"advance_sec\": 300}");
  reply_free (reply);
  reply = control (f, "GET", session_path, NULL);
  g_assert_cmpstr (get_str (reply, "state"), ==, "ended");
  g_assert_cmpstr (get_str (reply, "end_reason"), ==, "charge_exhausted");
  g_assert_cmpint (get_int (reply, "play_duration_sec"), ==, 135);
  reply_free (reply);

  check (control (f, "GET", "/_sandbox/sessions/gs_never", NULL), 404,
         "SESSION_NOT_FOUND");
  reply =
      control (f, "POST", "/_sandbox/sessions/gs_fixed/charge", "{\"charge_sec\": -2}");
  assert_error (reply, 400, "INVALID_REQUEST");
  reply_free (reply);
  check (control (f, "GET", "/_sandbox/nothing", NULL), 404, "NOT_FOUND");
  reply = control (f, "PUT", "/_sandbox/faults", NULL);
  assert_error (reply, 405, "METHOD_NOT_ALLOWED");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Allow"), ==,
                   "GET, POST, DELETE");
  reply_free (reply);
}

static void
test_stats (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, NULL, "42", NULL, -1);
  g_autofree char *body =
      g_strdup_printf ("{\"game_session_id\": \"%s\", \"provider_user_id\": \"42\"}", id);
  Reply *reply;

  g_assert_cmpuint (pw_sandbox_get_request_count (f->sandbox), ==, 0);

  /* Idempotent PATCHes share one kept-alive connection. */
  for (guint i = 0; i < 3; i++)
    {
      check (request_full (f, "PATCH", HEARTBEAT, KEY, body, SOUP_MESSAGE_IDEMPOTENT, 0),
             200, "OK");
    }
  g_assert_cmpuint (pw_sandbox_get_request_count (f->sandbox), ==, 3);
  g_assert_cmpuint (pw_sandbox_get_connection_count (f->sandbox), ==, 1);

  /* A new client is a new connection. */
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  f->session = soup_session_new ();
  reply = heartbeat (f, id, "42");
  reply_free (reply);

  /* Control requests are not counted. */
  reply = control (f, "GET", "/_sandbox/stats", NULL);
  g_assert_cmpint (get_int (reply, "requests"), ==, 4);
  g_assert_cmpint (get_int (reply, "connections"), ==, 2);
  reply_free (reply);

  reply = control (f, "DELETE", "/_sandbox/stats", NULL);
  g_assert_cmpint (get_int (reply, "requests"), ==, 0);
  reply_free (reply);
  g_assert_cmpuint (pw_sandbox_get_connection_count (f->sandbox), ==, 0);
}

/* A scenario's starting point: a session that started 150 s ago, and a
 * launcher silent for 150 s, reach the 4-minute rules 90 s from now;
 * nothing else moves. */
static void
test_backdate (Fixture *f, gconstpointer data)
{
  g_autofree char *old_id = create (f, NULL, "42", "pc-a", -1);
  g_autofree char *silent_id = create (f, NULL, "43", "pc-b", -1);
  g_autofree char *other_id = create (f, NULL, "44", "pc-c", -1);

  g_assert_true (pw_sandbox_backdate_session (f->sandbox, old_id, 150));
  g_assert_false (pw_sandbox_backdate_session (f->sandbox, "gs_nobody", 150));
  pw_sandbox_silence_launcher_since (f->sandbox, "pc-b", 150);
  g_assert_cmpint (pw_sandbox_get_launcher_silent_sec (f->sandbox, "pc-b"), ==, 150);

  advance (f, 90);
  assert_state (f, old_id, "active");
  check (heartbeat (f, silent_id, "43"), 200, "OK");
  advance (f, 0.5);
  assert_state (f, old_id, "expired");
  check (heartbeat (f, old_id, "42"), 404, "SESSION_NOT_FOUND");
  check (heartbeat (f, silent_id, "43"), 410, "SESSION_ENDED");
  check (heartbeat (f, other_id, "44"), 200, "OK");
}

static void
test_demo (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) lines = pw_sandbox_add_demo_sessions (f->sandbox);

  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "gs_demo-healthy:1001");
  assert_state (f, "gs_demo-replaced", "replaced");
  assert_state (f, "gs_demo-replacer", "active");
  advance (f, 60);
  assert_state (f, "gs_demo-charge-60s", "charge_exhausted");
  g_assert_cmpint (pw_sandbox_get_launcher_silent_sec (f->sandbox, "demo-pc-5"), ==, 60);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/new-destroy", test_new_destroy);

#define ADD(path, func)                                                                  \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sandbox/heartbeat/ok", test_heartbeat_ok);
  ADD ("/sandbox/heartbeat/request-ids", test_heartbeat_request_ids);
  ADD ("/sandbox/heartbeat/play-time", test_heartbeat_play_time);
  ADD ("/sandbox/heartbeat/expiry", test_heartbeat_expiry);
  ADD ("/sandbox/heartbeat/charge", test_heartbeat_charge);
  ADD ("/sandbox/heartbeat/recharge", test_heartbeat_recharge);
  ADD ("/sandbox/heartbeat/replaced", test_heartbeat_replaced);
  ADD ("/sandbox/heartbeat/launcher", test_heartbeat_launcher);
  ADD ("/sandbox/heartbeat/wrong-user", test_heartbeat_wrong_user);
  ADD ("/sandbox/auth", test_auth);
  ADD ("/sandbox/bad-requests", test_bad_requests);
  ADD ("/sandbox/chunked-too-large", test_chunked_too_large);
  ADD ("/sandbox/end", test_end);
  ADD ("/sandbox/fault/status", test_fault_status);
  ADD ("/sandbox/fault/headers", test_fault_headers);
  ADD ("/sandbox/fault/latency", test_fault_latency);
  ADD ("/sandbox/fault/drop-raw", test_fault_drop_raw);
  ADD ("/sandbox/fault/hang", test_fault_hang);
  ADD ("/sandbox/fault/hang-disconnect", test_fault_hang_disconnect);
  ADD ("/sandbox/fault/count-match", test_fault_count_match);
  ADD ("/sandbox/fault/bad-json", test_fault_bad_json);
  ADD ("/sandbox/control", test_control);
  ADD ("/sandbox/stats", test_stats);
  ADD ("/sandbox/backdate", test_backdate);
  ADD ("/sandbox/demo", test_demo);
#undef ADD

  return g_test_run ();
}
