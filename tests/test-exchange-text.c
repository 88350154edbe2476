/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-exchange-history.h"
#include "pw-exchange-text.h"
#include "pw-json.h"
#include "pw-test-util.h"
#include "pw-ticket.h"

/* Exchanges as text: "copy as curl" (the key left to the shell unless
 * asked for; and the command, run by a shell against the sandbox, gets the
 * same answer the app got), pretty bodies, and the support ticket, which
 * never holds the key, not even one the server echoed. */

#define USER "987654"

/* Helpers */

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  int status;
} ShellRun;

static void
communicated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ShellRun *run = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                                       &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

/* Runs @command with `sh -c` while the loop keeps serving the in-process
 * sandbox; @key goes into $PLAYWAVE_API_KEY (or the variable is unset). */
static ShellRun
run_shell (const char *command, const char *key)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  ShellRun run = { 0 };

  if (key != NULL)
    g_subprocess_launcher_setenv (launcher, "PLAYWAVE_API_KEY", key, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PLAYWAVE_API_KEY");

  process = g_subprocess_launcher_spawn (launcher, &error, "sh", "-c", command, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);
  spin_until (&run.done);

  return run;
}

static void
shell_run_clear (ShellRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

/* The curl command, printing the status after the body. */
static char *
with_status (char *curl)
{
  g_autofree char *owned = curl;

  return g_strconcat (g_strstrip (owned), " -w '\\n%{http_code}'", NULL);
}

/* The answer's JSON without its request_id, which is unique per answer. */
static char *
answer_without_request_id (const char *body)
{
  g_autoptr (JsonNode) root = pw_json_parse (body, strlen (body), NULL);

  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  if (json_object_has_member (json_node_get_object (root), "request_id"))
    json_object_remove_member (json_node_get_object (root), "request_id");

  return pw_json_to_string (root, FALSE);
}

/* Splits "BODY\nSTATUS" as with_status() prints it. */
static void
split_output (const char *out, char **body, guint *status)
{
  const char *newline = strrchr (out, '\n');

  g_assert_nonnull (newline);
  *body = g_strndup (out, newline - out);
  *status = (guint) g_ascii_strtoull (newline + 1, NULL, 10);
}

static gboolean
have_curl (void)
{
  g_autofree char *path = g_find_program_in_path ("curl");

  return path != NULL;
}

/* The words a shell would make of @command. */
static char **
shell_words (const char *command)
{
  g_autofree char *joined = NULL;
  g_auto (GStrv) parts = g_strsplit (command, "\\\n", -1);
  g_autoptr (GError) error = NULL;
  char **argv = NULL;

  joined = g_strjoinv ("", parts);
  g_assert_true (g_shell_parse_argv (joined, NULL, &argv, &error));
  g_assert_no_error (error);

  return argv;
}

/* Tests */

static void
test_curl_words (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *curl_key = NULL;
  g_autofree char *url = NULL;
  g_auto (GStrv) words = NULL;
  g_auto (GStrv) key_words = NULL;
  g_autofree char *body = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, &error));
  g_assert_no_error (error);

  curl = pw_exchange_dup_curl (exchange, NULL);
  g_assert_null (strstr (curl, TEST_API_KEY));
  g_assert_nonnull (strstr (curl, "\"X-Api-Key: " PW_CURL_KEY_PLACEHOLDER "\""));

  /* The words: curl -sS -X PATCH URL -H KEY -H Accept -H Content-Type --data-raw BODY */
  words = shell_words (curl);
  url = g_strconcat (fixture->base_url, "/game/session/heartbeat", NULL);
  body = g_strdup_printf ("{\"game_session_id\":\"%s\",\"provider_user_id\":\"%s\"}", id,
                          USER);
  g_assert_cmpstr (words[0], ==, "curl");
  g_assert_cmpstr (words[2], ==, "-X");
  g_assert_cmpstr (words[3], ==, "PATCH");
  g_assert_cmpstr (words[4], ==, url);
  g_assert_true (g_strv_contains ((const char *const *) words,
                                  "X-Api-Key: " PW_CURL_KEY_PLACEHOLDER));
  g_assert_true (
      g_strv_contains ((const char *const *) words, "Content-Type: application/json"));
  g_assert_true (
      g_strv_contains ((const char *const *) words, "Accept: application/json"));
  g_assert_cmpstr (words[g_strv_length (words) - 2], ==, "--data-raw");
  g_assert_cmpstr (words[g_strv_length (words) - 1], ==, body);

  /* Asked for explicitly: the key itself, once, in the header. */
  curl_key = pw_exchange_dup_curl (exchange, TEST_API_KEY);
  key_words = shell_words (curl_key);
  g_assert_true (
      g_strv_contains ((const char *const *) key_words, "X-Api-Key: " TEST_API_KEY));
  g_assert_null (strstr (strstr (curl_key, TEST_API_KEY) + 1, TEST_API_KEY));
}

/* A key with the characters a shell cares about survives the quoting. */
static void
test_curl_quoting (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  const char *key = "k'ey \"$HOME\" `x` \\ ;|&";
  g_autofree char *curl = NULL;
  g_auto (GStrv) words = NULL;
  g_autofree char *header = g_strconcat ("X-Api-Key: ", key, NULL);

  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, NULL));
  curl = pw_exchange_dup_curl (exchange, key);
  words = shell_words (curl);
  g_assert_true (g_strv_contains ((const char *const *) words, header));
}

/* What the QA engineer does: paste the command into a shell that has the
 * key in $PLAYWAVE_API_KEY, and get the answer the app got. */
static void
test_curl_same_answer (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (PwExchange) end_exchange = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *curl_key = NULL;
  g_autofree char *app_answer = NULL;
  guint requests;

  if (!have_curl ())
    {
      g_test_skip ("curl is not installed");
      return;
    }

  g_assert_true (run_heartbeat (fixture->client, id, USER, NULL, &exchange, NULL));
  app_answer = answer_without_request_id (pw_exchange_get_response_body (exchange));
  curl = with_status (pw_exchange_dup_curl (exchange, NULL));

  {
    ShellRun run = run_shell (curl, TEST_API_KEY);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    guint status;

    g_assert_cmpint (run.status, ==, 0);
    split_output (run.out, &body, &status);
    answer = answer_without_request_id (body);
    g_assert_cmpuint (status, ==, pw_exchange_get_status (exchange));
    g_assert_cmpstr (answer, ==, app_answer);
    shell_run_clear (&run);
  }

  /* With the key in the command, no variable is needed. */
  curl_key = with_status (pw_exchange_dup_curl (exchange, TEST_API_KEY));
  {
    ShellRun run = run_shell (curl_key, NULL);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    guint status;

    split_output (run.out, &body, &status);
    answer = answer_without_request_id (body);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (answer, ==, app_answer);
    shell_run_clear (&run);
  }

  /* Without the variable the shell refuses to run it: nothing is sent
   * with an empty key. */
  requests = pw_sandbox_get_request_count (fixture->sandbox);
  {
    ShellRun run = run_shell (curl, NULL);

    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, "PLAYWAVE_API_KEY"));
    shell_run_clear (&run);
  }
  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->sandbox), ==, requests);

  /* DELETE with a JSON body: an end of a session the server never knew,
   * 404 both times. */
  g_assert_false (run_end (fixture->client, "gs_never-was", 42, &end_exchange, NULL));
  {
    g_autofree char *end_curl = with_status (pw_exchange_dup_curl (end_exchange, NULL));
    ShellRun run = run_shell (end_curl, TEST_API_KEY);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    g_autofree char *expected =
        answer_without_request_id (pw_exchange_get_response_body (end_exchange));
    guint status;

    split_output (run.out, &body, &status);
    answer = answer_without_request_id (body);
    g_assert_cmpuint (status, ==, 404);
    g_assert_cmpstr (answer, ==, expected);
    shell_run_clear (&run);
  }
}

static void
test_pretty (void)
{
  g_autofree char *pretty = pw_body_dup_display ("{\"a\":1,\"b\":[true,null]}");
  g_autofree char *plain = pw_body_dup_display ("<html>busy</html>");
  g_autofree char *empty = pw_body_dup_display ("");
  g_autofree char *none = pw_body_dup_display (NULL);
  g_autofree char *deep = NULL;
  g_autofree char *deep_shown = NULL;
  g_autofree char *big = NULL;
  g_autofree char *big_shown = NULL;
  g_autofree char *broken = NULL;

  g_assert_cmpstr (pretty, ==,
                   "{\n  \"a\" : 1,\n  \"b\" : [\n    true,\n    null\n  ]\n}");
  g_assert_cmpstr (plain, ==, "<html>busy</html>");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (none, ==, "");
  g_assert_null (pw_body_dup_pretty_json ("not json"));

  /* Too deep for the client to parse: shown as it came. */
  {
    g_autofree char *open = g_strnfill (100, '[');
    g_autofree char *close = g_strnfill (100, ']');

    deep = g_strconcat (open, close, NULL);
  }
  deep_shown = pw_body_dup_display (deep);
  g_assert_cmpstr (deep_shown, ==, deep);

  /* Long text is cut on a character boundary, and says how much is left. */
  big = g_strnfill (PW_BODY_DISPLAY_MAX_BYTES + 10, 'x');
  big[PW_BODY_DISPLAY_MAX_BYTES - 1] = '\xc3';
  big[PW_BODY_DISPLAY_MAX_BYTES] = '\xa9';
  big_shown = pw_body_dup_display (big);
  g_assert_true (g_utf8_validate (big_shown, -1, NULL));
  g_assert_nonnull (strstr (big_shown, "(11 more bytes not shown)"));

  broken = pw_body_dup_display ("a\xffz");
  g_assert_true (g_utf8_validate (broken, -1, NULL));
}

static void
test_summary (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (PwExchange) exchange = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;

  g_assert_false (
      run_heartbeat (fixture->client, "gs_nobody", USER, NULL, &exchange, NULL));
  summary = pw_exchange_dup_summary (exchange);
  g_assert_true (g_str_has_prefix (summary, "PATCH 404 SESSION_NOT_FOUND · "));
  g_assert_nonnull (strstr (summary, pw_exchange_get_request_id (exchange)));

  text = pw_exchange_dup_ticket_text (exchange);
  g_assert_nonnull (strstr (text, pw_exchange_get_url (exchange)));
  g_assert_nonnull (strstr (text, "Request: {\"game_session_id\":\"gs_nobody\""));
  g_assert_nonnull (strstr (text, "Error: "));
}

/* The ticket: the facts, the events and the exchanges, and never the key,
 * even where the server echoed it (a body and a header). */
static void
test_ticket (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (PwTracker) tracker = pw_tracker_new (fixture->clock);
  g_autoptr (PwExchangeHistory) history = pw_exchange_history_new (tracker, 20);
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, "gs_ticket", USER, "pc-t", 30);
  g_autofree char *text = NULL;
  GListModel *exchanges;
  PwSession *session;

  pw_tracker_add_connection (tracker, "sandbox", fixture->client);
  pw_tracker_set_rate_limit (tracker, 1e6, 1e6);
  session = pw_tracker_track (tracker, id, USER, "sandbox", FALSE, NULL);
  g_assert_nonnull (session);
  settle_tracker (tracker);

  fixture_fault (fixture,
                 "{\"match\": \"heartbeat\", \"status\": 503, \"body\": \"key was %s\","
                 " \"content_type\": \"text/plain\", \"headers\": {\"X-Echo\": \"%s\"}}",
                 TEST_API_KEY, TEST_API_KEY);
  g_assert_true (pw_tracker_heartbeat_now (tracker, id));
  settle_tracker (tracker);
  run_tracker_for (fixture, tracker, 130);

  exchanges = pw_exchange_history_get_for_session (history, id);
  g_assert_cmpuint (g_list_model_get_n_items (exchanges), >=, 3);
  text = pw_ticket_dup_text (tracker, session, exchanges);
  g_test_message ("%s", text);

  g_assert_null (strstr (text, TEST_API_KEY));
  g_assert_nonnull (strstr (text, "key was [redacted]"));
  g_assert_true (g_str_has_prefix (text, "PlayWave session gs_ticket\n"));
  g_assert_nonnull (strstr (text, "User:                  " USER "\n"));
  g_assert_nonnull (strstr (text, fixture->base_url));
  g_assert_nonnull (strstr (text, "charge-exhausted"));
  g_assert_nonnull (strstr (text, "Grace ends:"));
  g_assert_nonnull (strstr (text, pw_session_get_last_request_id (session)));
  g_assert_nonnull (strstr (text, "CHARGE_EXHAUSTED"));
  g_assert_nonnull (strstr (text, "503"));
  g_assert_nonnull (strstr (text, "API key redacted."));

  g_clear_object (&history);
  g_assert_finalize_object (g_steal_pointer (&tracker));
  while (pw_client_get_in_flight (fixture->client) > 0)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, SandboxFixture, NULL, sandbox_fixture_set_up, func,                  \
              sandbox_fixture_tear_down)
  ADD ("/exchange-text/curl-words", test_curl_words);
  ADD ("/exchange-text/curl-quoting", test_curl_quoting);
  ADD ("/exchange-text/curl-same-answer", test_curl_same_answer);
  ADD ("/exchange-text/summary", test_summary);
  ADD ("/exchange-text/ticket", test_ticket);
#undef ADD
  g_test_add_func ("/exchange-text/pretty", test_pretty);

  return g_test_run ();
}
