/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "pw-sandbox-fault.h"
#include "pw-sandbox-session.h"

/* The sandbox's pure logic, without HTTP: the session state machine on
 * explicit timestamps, and the fault format. test-sandbox.c covers the
 * same rules over the wire. */

#define SEC ((gint64) G_USEC_PER_SEC)

static void
assert_state (PwSandboxSession *session, gint64 now_us, PwSandboxSessionState state)
{
  g_assert_cmpstr (
      pw_sandbox_session_state_to_string (pw_sandbox_session_get_state (session, now_us)),
      ==, pw_sandbox_session_state_to_string (state));
}

static void
test_session_new_destroy (void)
{
  PwSandboxSession *session = pw_sandbox_session_new ("gs_1", "u", "pc", 0);

  g_assert_cmpstr (pw_sandbox_session_get_id (session), ==, "gs_1");
  g_assert_cmpstr (pw_sandbox_session_get_user_id (session), ==, "u");
  g_assert_cmpstr (pw_sandbox_session_get_pc_id (session), ==, "pc");
  g_assert_cmpint (pw_sandbox_session_get_charge_sec (session), ==, -1);
  g_assert_cmpint (pw_sandbox_session_get_next_heartbeat_in (session), ==, 120);
  g_assert_cmpint (pw_sandbox_session_get_ending_sec (session), ==, 10);
  g_assert_finalize_object (session);
}

static void
test_session_charge (void)
{
  g_autoptr (PwSandboxSession) session = pw_sandbox_session_new ("gs_1", "u", "pc", 0);

  pw_sandbox_session_set_charge (session, 100, 0);
  assert_state (session, 99 * SEC, PW_SANDBOX_SESSION_ACTIVE);
  g_assert_cmpint (pw_sandbox_session_get_charge_remaining_sec (session, 40 * SEC), ==,
                   60);
  pw_sandbox_session_record_heartbeat (session, 99 * SEC);
  assert_state (session, 100 * SEC, PW_SANDBOX_SESSION_CHARGE_EXHAUSTED);
  g_assert_cmpint (pw_sandbox_session_get_charge_remaining_sec (session, 150 * SEC), ==,
                   0);
  assert_state (session, 220 * SEC - 1, PW_SANDBOX_SESSION_CHARGE_EXHAUSTED);
  assert_state (session, 220 * SEC, PW_SANDBOX_SESSION_ENDING);
  assert_state (session, 230 * SEC, PW_SANDBOX_SESSION_ENDED);
  g_assert_cmpint (pw_sandbox_session_get_end_reason (session, 230 * SEC), ==,
                   PW_SANDBOX_END_CHARGE);
  g_assert_false (pw_sandbox_session_is_live (session, 220 * SEC));

  /* Play time stops when the termination begins. */
  g_assert_cmpint (pw_sandbox_session_get_play_sec (session, 500 * SEC), ==, 220);

  /* Ended sessions are remembered for ten minutes. */
  assert_state (session, (230 + 600) * SEC, PW_SANDBOX_SESSION_ENDED);
  assert_state (session, (230 + 601) * SEC, PW_SANDBOX_SESSION_EXPIRED);
}

static void
test_session_expiry_first (void)
{
  g_autoptr (PwSandboxSession) session = pw_sandbox_session_new ("gs_1", "u", "pc", 0);

  /* Without heartbeats the session expires before its grace is over. */
  pw_sandbox_session_set_charge (session, 200, 0);
  assert_state (session, 240 * SEC, PW_SANDBOX_SESSION_CHARGE_EXHAUSTED);
  assert_state (session, 240 * SEC + 1, PW_SANDBOX_SESSION_EXPIRED);
  g_assert_cmpint (pw_sandbox_session_get_end_reason (session, 300 * SEC), ==,
                   PW_SANDBOX_END_EXPIRED);
  g_assert_cmpint (pw_sandbox_session_get_play_sec (session, 300 * SEC), ==, 240);
}

static void
test_session_explicit_ends (void)
{
  g_autoptr (PwSandboxSession) ended = pw_sandbox_session_new ("gs_1", "u", "pc", 0);
  g_autoptr (PwSandboxSession) replaced = pw_sandbox_session_new ("gs_2", "u", "pc", 0);
  g_autoptr (PwSandboxSession) recharged = pw_sandbox_session_new ("gs_3", "u", "pc", 0);

  pw_sandbox_session_end (ended, PW_SANDBOX_END_LAUNCHER, 50 * SEC);
  assert_state (ended, 50 * SEC, PW_SANDBOX_SESSION_ENDED);
  g_assert_cmpint (pw_sandbox_session_get_play_sec (ended, 90 * SEC), ==, 50);
  g_assert_cmpstr (pw_sandbox_end_reason_to_string (
                       pw_sandbox_session_get_end_reason (ended, 90 * SEC)),
                   ==, "launcher_silent");

  pw_sandbox_session_end (replaced, PW_SANDBOX_END_REPLACED, 10 * SEC);
  assert_state (replaced, 400 * SEC, PW_SANDBOX_SESSION_REPLACED);
  assert_state (replaced, 611 * SEC, PW_SANDBOX_SESSION_EXPIRED);

  /* A new charge brings a session in its grace back to active. */
  pw_sandbox_session_set_charge (recharged, 0, 0);
  assert_state (recharged, 0, PW_SANDBOX_SESSION_CHARGE_EXHAUSTED);
  pw_sandbox_session_set_charge (recharged, 30, 60 * SEC);
  assert_state (recharged, 60 * SEC, PW_SANDBOX_SESSION_ACTIVE);
  assert_state (recharged, 90 * SEC, PW_SANDBOX_SESSION_CHARGE_EXHAUSTED);
}

static void
test_fault_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PwSandboxFault) fault = NULL;
  g_autoptr (PwSandboxFault) plain = NULL;

  fault = pw_sandbox_fault_new_from_json (
      "{\"count\": 3, \"match\": \"end\", \"latency_ms\": 20, \"status\": 429, "
      "\"body\": \"ab\", \"body_repeat\": 2, \"content_type\": \"text/plain\", "
      "\"headers\": {\"Retry-After\": \"5\"}}",
      -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fault->count, ==, 3);
  g_assert_cmpint (fault->match, ==, PW_SANDBOX_FAULT_MATCH_END);
  g_assert_cmpuint (fault->latency_ms, ==, 20);
  g_assert_cmpint (fault->action, ==, PW_SANDBOX_FAULT_STATUS);
  g_assert_cmpuint (fault->status, ==, 429);
  g_assert_cmpmem (g_bytes_get_data (fault->body, NULL), g_bytes_get_size (fault->body),
                   "abab", 4);
  g_assert_cmpstr (fault->content_type, ==, "text/plain");
  g_assert_cmpuint (fault->headers->len, ==, 2);
  g_assert_true (pw_sandbox_fault_matches (fault, PW_SANDBOX_FAULT_MATCH_END));
  g_assert_false (pw_sandbox_fault_matches (fault, PW_SANDBOX_FAULT_MATCH_HEARTBEAT));

  plain =
      pw_sandbox_fault_new_from_json ("{\"raw\": \"HTTP/1.1 200 OK\\r\\n\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plain->action, ==, PW_SANDBOX_FAULT_RAW);
  g_assert_cmpuint (plain->count, ==, 1);
  g_assert_true (pw_sandbox_fault_matches (plain, PW_SANDBOX_FAULT_MATCH_ANY));
}

static void
test_fault_invalid (void)
{
  const char *bad[] = {
    "nope",
    "[]",
    "{}",
    "{\"status\": 99}",
    "{\"status\": \"500\"}",
    "{\"statsu\": 500}",
    "{\"drop\": true, \"hang\": true}",
    "{\"body\": \"x\"}",
    "{\"count\": 0, \"status\": 500}",
    "{\"match\": \"heartbeats\", \"status\": 500}",
    "{\"status\": 500, \"headers\": {\"Content-Length\": \"5\"}}",
    "{\"status\": 500, \"headers\": {\"Bad Name\": \"5\"}}",
    "{\"status\": 500, \"headers\": {\"X-A\": \"a\\r\\nb\"}}",
    "{\"drop\": true, \"headers\": {\"X-A\": \"a\"}}",
    "{\"status\": 200, \"body\": \"ab\", \"body_repeat\": 16777216}",
    "{\"drop\": null}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      PwSandboxFault *fault = pw_sandbox_fault_new_from_json (bad[i], -1, &error);

      g_assert_null (fault);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-model/session/new-destroy", test_session_new_destroy);
  g_test_add_func ("/sandbox-model/session/charge", test_session_charge);
  g_test_add_func ("/sandbox-model/session/expiry-first", test_session_expiry_first);
  g_test_add_func ("/sandbox-model/session/explicit-ends", test_session_explicit_ends);
  g_test_add_func ("/sandbox-model/fault/parse", test_fault_parse);
  g_test_add_func ("/sandbox-model/fault/invalid", test_fault_invalid);

  return g_test_run ();
}
