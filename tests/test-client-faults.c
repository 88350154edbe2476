/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pw-error.h"
#include "pw-json.h"
#include "pw-test-util.h"

/* A hostile or broken server: every answer the sandbox's fault injection
 * can produce, over real loopback HTTP. Nothing may crash, hang or leak the
 * key, and every failure must carry the right error. */

#define USER "42"

static char *
json_quote (const char *text)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return pw_json_to_string (node, FALSE);
}

static void
assert_heartbeat_fails (SandboxFixture *fixture, PwError expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);

  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_error (error, PW_ERROR, (int) expected);
}

static void
fault_body (SandboxFixture *fixture, guint status, const char *body)
{
  g_autofree char *quoted = json_quote (body);

  fixture_fault (fixture, "{\"status\": %u, \"body\": %s}", status, quoted);
}

typedef struct
{
  guint status;
  const char *body;
  PwError error;
  const char *code;
} Shape;

/* SPEC: every documented and undocumented error-body shape. */
static const Shape shapes[] = {
  { 404,
    "{\"success\":false,\"request_id\":\"req_x\",\"error\":{\"code\":\"SESSION_NOT_"
    "FOUND\",\"message\":\"m\"}}",
    PW_ERROR_SESSION_NOT_FOUND, "SESSION_NOT_FOUND" },
  { 410, "{\"success\":false,\"code\":\"SESSION_ENDING\",\"message\":\"m\"}",
    PW_ERROR_SESSION_ENDING, "SESSION_ENDING" },
  { 410, "{\"error\":\"SESSION_ENDED\"}", PW_ERROR_SESSION_ENDED, "SESSION_ENDED" },
  { 410, "", PW_ERROR_SESSION_ENDED, "SESSION_ENDED" },
  { 404, "not json at all", PW_ERROR_SESSION_NOT_FOUND, "SESSION_NOT_FOUND" },
  { 409, "", PW_ERROR_ALREADY_ENDED, "ALREADY_ENDED" },
  { 403, "{\"error\":\"FORBIDDEN\"}", PW_ERROR_UNAUTHORIZED, "FORBIDDEN" },
  { 500, "<html>oops</html>", PW_ERROR_SERVER, NULL },
  { 502, "", PW_ERROR_SERVER, NULL },
  { 418, "", PW_ERROR_BAD_REQUEST, NULL },
};

static void
test_error_shapes (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr (PwExchange) exchange = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("%u %s", shapes[i].status, shapes[i].body);
      fault_body (fixture, shapes[i].status, shapes[i].body);
      g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
      g_assert_error (error, PW_ERROR, (int) shapes[i].error);
      g_assert_cmpuint (pw_exchange_get_status (exchange), ==, shapes[i].status);
      g_assert_cmpstr (pw_exchange_get_code (exchange), ==, shapes[i].code);
    }
}

static void
test_request_id_kept_on_error (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;

  fault_body (fixture, 410,
              "{\"success\":false,\"request_id\":\"req_kept\",\"error\":{\"code\":"
              "\"SESSION_ENDED\"}}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, NULL));
  g_assert_cmpstr (pw_exchange_get_request_id (exchange), ==, "req_kept");
  g_assert_nonnull (pw_exchange_get_error (exchange));
}

static void
test_rate_limited (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;

  fixture_fault (fixture, "{\"status\": 429, \"headers\": {\"Retry-After\": \"7\"}}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_RATE_LIMITED);
  g_assert_true (pw_error_is_transient (error));
  g_assert_cmpint (pw_exchange_get_retry_after_sec (exchange), ==, 7);
}

static void
test_wrong_types (SandboxFixture *fixture, gconstpointer data)
{
  static const char *bodies[] = {
    "{\"success\":true,\"data\":{\"result\":1,\"next_heartbeat_in\":120,\"play_duration_"
    "sec\":1}}",
    "{\"success\":true,\"data\":{\"result\":\"OK\",\"next_heartbeat_in\":120,\"play_"
    "duration_sec\":\"1\"}}",
    "{\"success\":true,\"data\":{\"result\":\"OK\",\"next_heartbeat_in\":120}}",
    "{\"success\":true,\"data\":\"OK\"}",
    "{\"success\":true,\"request_id\":7,\"data\":{\"result\":\"OK\",\"play_duration_"
    "sec\":1}}",
    "{\"success\":true,\"data\":{\"result\":\"OK\",\"play_duration_sec\":"
    "18446744073709551615}}",
    "{\"success\":true,\"data\":{\"result\":\"O\\u0000K\",\"play_duration_sec\":1}}",
    "{\"success\":true,\"data\":{\"result\":\"\\ud800\",\"play_duration_sec\":1}}",
    "[\"success\"]",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_test_message ("%s", bodies[i]);
      fault_body (fixture, 200, bodies[i]);
      assert_heartbeat_fails (fixture, PW_ERROR_PROTOCOL);
    }
}

static void
test_unknown_fields_ignored (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;

  fault_body (
      fixture, 200,
      "{\"success\":true,\"new\":{\"deep\":[1,2]},\"data\":{\"result\":\"SOMETHING_NEW\","
      "\"next_heartbeat_in\":\"later\",\"play_duration_sec\":5,\"x\":null}}");
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_UNKNOWN);
  g_assert_cmpint (pw_exchange_get_next_heartbeat_in (exchange), ==, -1);
}

static void
test_huge_bodies (SandboxFixture *fixture, gconstpointer data)
{
  /* With a Content-Length: refused before reading. */
  fixture_fault (fixture,
                 "{\"status\": 200, \"body\": \"[1,\", \"body_repeat\": 700000}");
  assert_heartbeat_fails (fixture, PW_ERROR_PROTOCOL);

  /* Chunked, so only counting the bytes read can catch it. */
  fixture_fault (fixture, "{\"status\": 200, \"body\": \"[1,\", \"body_repeat\": 700000, "
                          "\"chunked\": true}");
  {
    g_autofree char *id =
        pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
    g_autoptr (PwExchange) exchange = NULL;
    g_autoptr (GError) error = NULL;

    g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
    g_assert_error (error, PW_ERROR, PW_ERROR_PROTOCOL);
    g_assert_nonnull (strstr (pw_exchange_get_response_headers (exchange), "chunked"));
  }

  /* 100,000-deep nesting would crash json-glib 1.6. */
  fixture_fault (fixture, "{\"status\": 200, \"body\": \"[\", \"body_repeat\": 100000}");
  assert_heartbeat_fails (fixture, PW_ERROR_PROTOCOL);

  /* The client still works afterwards. */
  {
    g_autofree char *id =
        pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
    g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, NULL));
  }
}

static void
test_dropped_and_truncated (SandboxFixture *fixture, gconstpointer data)
{
  fixture_fault (fixture, "{\"drop\": true}");
  assert_heartbeat_fails (fixture, PW_ERROR_NETWORK);

  fixture_fault (
      fixture,
      "{\"raw\": \"HTTP/1.1 200 OK\\r\\nContent-Length: 500\\r\\n\\r\\n{\\\"succ\"}");
  assert_heartbeat_fails (fixture, PW_ERROR_NETWORK);
}

static void
test_timeout (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;

  pw_client_set_timeout_ms (fixture->client, 200);
  fixture_fault (fixture, "{\"hang\": true}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_TIMEOUT);
  g_assert_true (pw_error_is_transient (error));
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 0);
}

static gboolean
cancel_later_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);

  fixture_fault (fixture, "{\"hang\": true}");
  g_timeout_add (50, cancel_later_cb, cancellable);
  g_assert_false (run_heartbeat (fixture->client, id, USER, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_dead_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (PwClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  /* Take a free port and give it back: nothing listens there. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = pw_client_new (url, TEST_API_KEY, NULL);
  g_assert_false (run_heartbeat (client, "gs_1", USER, NULL, NULL, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_NETWORK);
  g_assert_finalize_object (g_steal_pointer (&client));
}

typedef struct
{
  guint hits;
  gboolean saw_key;
} Elsewhere;

static void
elsewhere_cb (SoupServer *server,
              SoupServerMessage *message,
              const char *path,
              GHashTable *query,
              gpointer user_data)
{
  Elsewhere *elsewhere = user_data;

  elsewhere->hits++;
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                    "X-Api-Key"))
    elsewhere->saw_key = TRUE;
  soup_server_message_set_status (message, 200, NULL);
}

static void
test_redirect_never_followed (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (SoupServer) other = soup_server_new (NULL, NULL);
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr (GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  g_autoptr (GError) error = NULL;
  Elsewhere elsewhere = { 0 };
  GSList *listeners;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *location = NULL;
  guint codes[] = { 301, 302, 303, 307, 308 };

  soup_server_add_handler (other, NULL, elsewhere_cb, &elsewhere, NULL);
  g_assert_true (soup_server_listen (other, socket_address, 0, &error));
  /* soup_server_get_uris() leaks a GSocketAddress in libsoup 3.2. */
  listeners = soup_server_get_listeners (other);
  bound = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  location =
      g_strdup_printf ("http://127.0.0.2:%u/",
                       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr (GError) redirect_error = NULL;
      g_autofree char *id =
          pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);

      fixture_fault (fixture,
                     "{\"status\": %u, \"headers\": {\"Location\": "
                     "\"%sv1/game/session/heartbeat\"}}",
                     codes[i], location);
      g_assert_false (
          run_heartbeat (fixture->client, id, USER, NULL, NULL, &redirect_error));
      g_assert_error (redirect_error, PW_ERROR, PW_ERROR_REDIRECT);
      g_assert_nonnull (strstr (redirect_error->message, location));
    }

  g_assert_cmpuint (elsewhere.hits, ==, 0);
  g_assert_false (elsewhere.saw_key);
  soup_server_disconnect (other);
}

static void
test_key_echo_redacted (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;

  fault_body (
      fixture, 400,
      "{\"success\":false,\"error\":{\"code\":\"BAD_KEY\",\"message\":\"key " TEST_API_KEY
      " is odd\"}}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_BAD_REQUEST);
  g_assert_null (strstr (error->message, TEST_API_KEY));
  g_assert_nonnull (strstr (error->message, "[redacted]"));
  g_assert_null (strstr (pw_exchange_get_response_body (exchange), TEST_API_KEY));
  g_assert_null (strstr (pw_exchange_get_error (exchange)->message, TEST_API_KEY));
  g_assert_cmpstr (pw_exchange_get_server_message (exchange), ==,
                   "key [redacted] is odd");
  g_clear_object (&exchange);
  g_clear_error (&error);

  /* As the request id and the code, which go into the event log, and as a
   * result: read, but redacted. */
  fault_body (fixture, 410,
              "{\"success\":false,\"request_id\":\"" TEST_API_KEY
              "\",\"error\":{\"code\":\"" TEST_API_KEY "\"}}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_cmpstr (pw_exchange_get_request_id (exchange), ==, "[redacted]");
  g_assert_cmpstr (pw_exchange_get_code (exchange), ==, "[redacted]");
  g_assert_null (strstr (error->message, TEST_API_KEY));
  g_clear_object (&exchange);
  g_clear_error (&error);

  fault_body (fixture, 200,
              "{\"success\":true,\"request_id\":\"r-" TEST_API_KEY
              "\",\"data\":{\"result\":\"" TEST_API_KEY
              "\",\"next_heartbeat_in\":120,\"play_duration_sec\":1}}");
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pw_exchange_get_request_id (exchange), ==, "r-[redacted]");
  g_assert_cmpstr (pw_exchange_get_result_name (exchange), ==, "[redacted]");
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_UNKNOWN);
}

static void
test_fault_then_recovery (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (GError) error = NULL;

  /* A dropped reused connection is transient; the next request works. */
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, NULL));
  fixture_fault (fixture, "{\"drop\": true}");
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_true (pw_error_is_transient (error));
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, SandboxFixture, NULL, sandbox_fixture_set_up, func,                  \
              sandbox_fixture_tear_down)

  ADD ("/client-faults/error-shapes", test_error_shapes);
  ADD ("/client-faults/request-id-kept", test_request_id_kept_on_error);
  ADD ("/client-faults/rate-limited", test_rate_limited);
  ADD ("/client-faults/wrong-types", test_wrong_types);
  ADD ("/client-faults/unknown-fields-ignored", test_unknown_fields_ignored);
  ADD ("/client-faults/huge-bodies", test_huge_bodies);
  ADD ("/client-faults/dropped-and-truncated", test_dropped_and_truncated);
  ADD ("/client-faults/timeout", test_timeout);
  ADD ("/client-faults/cancel", test_cancel);
  ADD ("/client-faults/redirect-never-followed", test_redirect_never_followed);
  ADD ("/client-faults/key-echo-redacted", test_key_echo_redacted);
  ADD ("/client-faults/recovery", test_fault_then_recovery);
  g_test_add_func ("/client-faults/dead-port", test_dead_port);

#undef ADD

  return g_test_run ();
}
