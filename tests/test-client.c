/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "pw-error.h"
#include "pw-test-util.h"

/* Every row of both API pages' result and error tables, answered by the
 * sandbox over real loopback HTTP, with protocol time on a fake clock. */

#define USER "123456789"

static char *
new_session (SandboxFixture *fixture, const char *pc_id, gint64 charge_sec)
{
  return pw_sandbox_create_session (fixture->sandbox, NULL, USER, pc_id, charge_sec);
}

static void
test_heartbeat_ok (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (PwExchange) second = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *expected_url = NULL;
  JsonObject *body;

  fixture_advance (fixture, 30);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_OK);
  g_assert_cmpstr (pw_exchange_get_result_name (exchange), ==, "OK");
  g_assert_cmpint (pw_exchange_get_next_heartbeat_in (exchange), ==, 120);
  g_assert_cmpint (pw_exchange_get_play_duration_sec (exchange), ==, 30);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 200);
  g_assert_true (g_str_has_prefix (pw_exchange_get_request_id (exchange), "req_"));
  g_assert_cmpint (pw_exchange_get_latency_us (exchange), >=, 0);
  g_assert_cmpint (pw_exchange_get_server_date_unix (exchange), >, 0);
  g_assert_null (pw_exchange_get_error (exchange));

  /* Exactly the documented request: method, path, headers, JSON body. */
  expected_url = g_strconcat (fixture->base_url, "/game/session/heartbeat", NULL);
  g_assert_cmpstr (pw_exchange_get_method (exchange), ==, "PATCH");
  g_assert_cmpstr (pw_exchange_get_url (exchange), ==, expected_url);
  g_assert_nonnull (
      strstr (pw_exchange_get_request_headers (exchange), "X-Api-Key: [redacted]"));
  g_assert_nonnull (
      strstr (pw_exchange_get_request_headers (exchange), "Accept: application/json"));
  g_assert_nonnull (strstr (pw_exchange_get_request_headers (exchange),
                            "Content-Type: application/json"));
  g_assert_null (strstr (pw_exchange_get_request_headers (exchange), TEST_API_KEY));
  g_assert_true (json_parser_load_from_data (
      parser, pw_exchange_get_request_body (exchange), -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (body), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (body, "game_session_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (body, "provider_user_id"), ==, USER);

  /* Request ids are unique. */
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &second, &error));
  g_assert_cmpstr (pw_exchange_get_request_id (second), !=,
                   pw_exchange_get_request_id (exchange));
}

static void
test_next_heartbeat_hint (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;

  g_assert_true (pw_sandbox_set_next_heartbeat_in (fixture->sandbox, id, 45));
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, NULL));
  g_assert_cmpint (pw_exchange_get_next_heartbeat_in (exchange), ==, 45);
  g_assert_cmpint (pw_heartbeat_interval_from_hint (45), ==, 45);

  /* SPEC: clamp 1..200, absent or invalid means 120. */
  g_assert_cmpint (pw_heartbeat_interval_from_hint (-1), ==, 120);
  g_assert_cmpint (pw_heartbeat_interval_from_hint (0), ==, 120);
  g_assert_cmpint (pw_heartbeat_interval_from_hint (5000), ==, 200);
}

static void
test_charge_exhausted (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, 60);
  g_autoptr (GError) error = NULL;
  PwExchange *exchange = NULL;

  fixture_advance (fixture, 59);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_OK);
  g_clear_object (&exchange);

  fixture_advance (fixture, 2);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_CHARGE_EXHAUSTED);
  g_assert_cmpstr (pw_exchange_get_result_name (exchange), ==, "CHARGE_EXHAUSTED");
  g_clear_object (&exchange);

  /* Grace is 2 minutes from the moment the charge ran out (t=60). */
  fixture_advance (fixture, 118);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_CHARGE_EXHAUSTED);
  g_clear_object (&exchange);

  fixture_advance (fixture, 2);
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_ENDING);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 410);
  g_assert_cmpstr (pw_exchange_get_code (exchange), ==, "SESSION_ENDING");
  g_assert_nonnull (pw_exchange_get_request_id (exchange));
  g_clear_object (&exchange);
  g_clear_error (&error);

  fixture_advance (fixture, 60);
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_ENDED);
  g_assert_cmpstr (pw_exchange_get_code (exchange), ==, "SESSION_ENDED");
  g_clear_object (&exchange);
}

static void
test_session_replaced (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *first = new_session (fixture, "pc-1", -1);
  g_autofree char *second = NULL;
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (PwExchange) other = NULL;
  g_autoptr (GError) error = NULL;

  second = new_session (fixture, "pc-1", -1);
  g_assert_true (run_heartbeat (fixture->client, first, USER, NULL, &exchange, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_SESSION_REPLACED);

  g_assert_true (run_heartbeat (fixture->client, second, USER, NULL, &other, &error));
  g_assert_cmpint (pw_exchange_get_result (other), ==, PW_RESULT_OK);
}

static void
test_not_found_and_expiry (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autoptr (GError) error = NULL;
  PwExchange *exchange = NULL;

  g_assert_false (
      run_heartbeat (fixture->client, "gs_unknown", USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_NOT_FOUND);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 404);
  g_assert_cmpstr (pw_exchange_get_code (exchange), ==, "SESSION_NOT_FOUND");
  g_clear_object (&exchange);
  g_clear_error (&error);

  fixture_advance (fixture, 239);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_no_error (error);

  fixture_advance (fixture, 241);
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_NOT_FOUND);
}

static void
test_launcher_silent (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, "pc-9", -1);
  g_autoptr (GError) error = NULL;

  pw_sandbox_silence_launcher (fixture->sandbox, "pc-9");
  fixture_advance (fixture, 200);
  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_no_error (error);

  fixture_advance (fixture, 41);
  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_ENDED);
}

static void
test_unauthorized (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autoptr (PwClient) client = pw_client_new (fixture->base_url, "wrong-key-0000", NULL);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (run_heartbeat (client, id, USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 401);
  g_assert_null (strstr (error->message, "wrong-key-0000"));
  g_assert_null (strstr (pw_exchange_get_request_headers (exchange), "wrong-key-0000"));
}

static void
test_end_outcomes (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autofree char *other = new_session (fixture, "pc-2", -1);
  g_autofree char *expected_url =
      g_strconcat (fixture->base_url, "/game/session/end", NULL);
  g_autofree char *expected_body = NULL;
  g_autoptr (GError) error = NULL;
  PwExchange *exchange = NULL;

  fixture_advance (fixture, 200);

  /* 200 with the client's duration echoed: a JSON body on DELETE. */
  g_assert_true (run_end (fixture->client, id, 195, &exchange, &error));
  g_assert_no_error (error);
  expected_body =
      g_strdup_printf ("{\"game_session_id\":\"%s\",\"play_duration_sec\":195}", id);
  g_assert_cmpstr (pw_exchange_get_method (exchange), ==, "DELETE");
  g_assert_cmpstr (pw_exchange_get_url (exchange), ==, expected_url);
  g_assert_cmpstr (pw_exchange_get_request_body (exchange), ==, expected_body);
  g_assert_cmpint (pw_exchange_get_result (exchange), ==, PW_RESULT_ENDED);
  g_assert_cmpstr (pw_exchange_get_result_name (exchange), ==, "SUCCESS");
  g_assert_cmpint (pw_exchange_get_play_duration_sec (exchange), ==, 200);
  g_assert_cmpint (pw_exchange_get_client_play_duration_sec (exchange), ==, 195);
  g_assert_nonnull (pw_exchange_get_request_id (exchange));
  g_clear_object (&exchange);

  /* 409 once ended; a heartbeat now gets 410. */
  g_assert_false (run_end (fixture->client, id, -1, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_ALREADY_ENDED);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 409);
  g_assert_cmpstr (pw_exchange_get_code (exchange), ==, "ALREADY_ENDED");
  g_clear_object (&exchange);
  g_clear_error (&error);

  g_assert_false (run_heartbeat (fixture->client, id, USER, NULL, NULL, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_ENDED);
  g_clear_error (&error);

  /* Without a duration the server echoes null. */
  g_assert_true (run_end (fixture->client, other, -1, &exchange, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (pw_exchange_get_request_body (exchange), "play_duration_sec"));
  g_assert_cmpint (pw_exchange_get_client_play_duration_sec (exchange), ==, -1);
  g_clear_object (&exchange);

  /* 404 for a session the server never had or has expired. */
  g_assert_false (run_end (fixture->client, "gs_nobody", 10, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_SESSION_NOT_FOUND);
  g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 404);
  g_clear_object (&exchange);
}

static void
test_invalid_arguments (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;
  guint before = pw_sandbox_get_request_count (fixture->sandbox);

  g_assert_false (run_heartbeat (fixture->client, "", USER, NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_null (exchange);
  g_clear_error (&error);

  g_assert_false (
      run_heartbeat (fixture->client, "gs_1", "bad\nuser", NULL, &exchange, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->sandbox), ==, before);
}

static void
test_connection_reuse (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);

  /* PATCH is not idempotent to libsoup: without SOUP_MESSAGE_IDEMPOTENT each
   * heartbeat would open a new connection (PITFALLS.md). */
  for (guint i = 0; i < 50; i++)
    g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, NULL, NULL));

  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->sandbox), ==, 50);
  g_assert_cmpuint (pw_sandbox_get_connection_count (fixture->sandbox), <=, 2);
}

typedef struct
{
  PwClient *client;
  guint done;
  guint ok;
  guint max_in_flight;
} Burst;

static void
burst_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Burst *burst = user_data;

  if (pw_client_heartbeat_finish (PW_CLIENT (object), result, NULL, NULL))
    burst->ok++;
  burst->done++;
  burst->max_in_flight =
      MAX (burst->max_in_flight, pw_client_get_in_flight (burst->client));
}

static void
test_in_flight_window (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id = new_session (fixture, NULL, -1);
  g_autoptr (PwClient) client =
      pw_client_new_full (fixture->base_url, TEST_API_KEY, 3, NULL);
  Burst burst = { .client = client };

  fixture_fault (fixture, "{\"count\": 40, \"latency_ms\": 5}");
  for (guint i = 0; i < 40; i++)
    pw_client_heartbeat_async (client, id, USER, NULL, burst_done_cb, &burst);

  /* Only the window is handed to libsoup; the rest waits in our queue. */
  g_assert_cmpuint (pw_client_get_in_flight (client), ==, 3);
  g_assert_cmpuint (pw_client_get_queued (client), ==, 37);

  while (burst.done < 40)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (burst.ok, ==, 40);
  g_assert_cmpuint (burst.max_in_flight, <=, 3);
  g_assert_cmpuint (pw_client_get_in_flight (client), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, SandboxFixture, NULL, sandbox_fixture_set_up, func,                  \
              sandbox_fixture_tear_down)

  ADD ("/client/heartbeat/ok", test_heartbeat_ok);
  ADD ("/client/heartbeat/next-heartbeat-hint", test_next_heartbeat_hint);
  ADD ("/client/heartbeat/charge-exhausted", test_charge_exhausted);
  ADD ("/client/heartbeat/session-replaced", test_session_replaced);
  ADD ("/client/heartbeat/not-found-and-expiry", test_not_found_and_expiry);
  ADD ("/client/heartbeat/launcher-silent", test_launcher_silent);
  ADD ("/client/heartbeat/unauthorized", test_unauthorized);
  ADD ("/client/end/outcomes", test_end_outcomes);
  ADD ("/client/invalid-arguments", test_invalid_arguments);
  ADD ("/client/connection-reuse", test_connection_reuse);
  ADD ("/client/in-flight-window", test_in_flight_window);

#undef ADD

  return g_test_run ();
}
