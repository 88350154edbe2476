/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-sandbox-private.h"

/* The two documented endpoints, heartbeat and end, answered from the state
 * each session works out for the current moment. Where the API pages are
 * silent the choices are the ones written down in docs/SANDBOX.md. */

static void
send_not_found (PwSandbox *self, SoupServerMessage *msg)
{
  pw_sandbox_send_error (self, msg, SOUP_STATUS_NOT_FOUND, "SESSION_NOT_FOUND",
                         "Session not found (expired or deleted)");
}

static void
send_heartbeat_result (PwSandbox *self,
                       SoupServerMessage *msg,
                       PwSandboxSession *session,
                       const char *result,
                       gint64 now_us)
{
  g_autoptr (JsonBuilder) data = json_builder_new ();

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "result");
  json_builder_add_string_value (data, result);
  json_builder_set_member_name (data, "next_heartbeat_in");
  json_builder_add_int_value (data, pw_sandbox_session_get_next_heartbeat_in (session));
  json_builder_set_member_name (data, "play_duration_sec");
  json_builder_add_int_value (data, pw_sandbox_session_get_play_sec (session, now_us));
  json_builder_end_object (data);

  pw_sandbox_send_envelope (self, msg, SOUP_STATUS_OK, TRUE,
                            json_builder_get_root (data));
}

static void
handle_heartbeat (PwSandbox *self, SoupServerMessage *msg)
{
  g_autoptr (JsonNode) body = pw_sandbox_read_body (self, msg, FALSE);
  const char *session_id = NULL;
  const char *user_id = NULL;
  PwSandboxSession *session;
  gint64 now_us;

  if (body == NULL ||
      !pw_sandbox_read_string (self, msg, json_node_get_object (body), "game_session_id",
                               TRUE, &session_id) ||
      !pw_sandbox_read_string (self, msg, json_node_get_object (body), "provider_user_id",
                               TRUE, &user_id))
    return;

  now_us = pw_sandbox_now_us (self);
  session = pw_sandbox_lookup_session (self, session_id);

  /* A heartbeat for someone else's session must not tell that it exists. */
  if (session == NULL || !g_str_equal (user_id, pw_sandbox_session_get_user_id (session)))
    {
      send_not_found (self, msg);
      return;
    }

  switch (pw_sandbox_session_get_state (session, now_us))
    {
      case PW_SANDBOX_SESSION_EXPIRED:
        send_not_found (self, msg);
        return;

      case PW_SANDBOX_SESSION_ENDING:
        pw_sandbox_send_error (self, msg, SOUP_STATUS_GONE, "SESSION_ENDING",
                               "Session termination in progress");
        return;

      case PW_SANDBOX_SESSION_ENDED:
        pw_sandbox_send_error (self, msg, SOUP_STATUS_GONE, "SESSION_ENDED",
                               "Session already ended");
        return;

      case PW_SANDBOX_SESSION_REPLACED:
        send_heartbeat_result (self, msg, session, "SESSION_REPLACED", now_us);
        return;

      case PW_SANDBOX_SESSION_ACTIVE:
      case PW_SANDBOX_SESSION_CHARGE_EXHAUSTED:
        break;

      default:
        g_assert_not_reached ();
    }

  /* The server looks at the launcher only while handling a game heartbeat,
   * so this is the one place a dead launcher ends a session. */
  if (pw_sandbox_launcher_is_dead (self, pw_sandbox_session_get_pc_id (session), now_us))
    {
      pw_sandbox_session_end (session, PW_SANDBOX_END_LAUNCHER, now_us);
      pw_sandbox_send_error (self, msg, SOUP_STATUS_GONE, "SESSION_ENDED",
                             "Launcher heartbeat timed out; the session was terminated");
      return;
    }

  pw_sandbox_session_record_heartbeat (session, now_us);
  send_heartbeat_result (self, msg, session,
                         pw_sandbox_session_get_state (session, now_us) ==
                                 PW_SANDBOX_SESSION_CHARGE_EXHAUSTED
                             ? "CHARGE_EXHAUSTED"
                             : "OK",
                         now_us);
}

static void
handle_end (PwSandbox *self, SoupServerMessage *msg)
{
  g_autoptr (JsonNode) body = pw_sandbox_read_body (self, msg, FALSE);
  g_autoptr (JsonBuilder) data = NULL;
  const char *session_id = NULL;
  gint64 client_sec = -1;
  PwSandboxSession *session;
  gint64 now_us;

  if (body == NULL ||
      !pw_sandbox_read_string (self, msg, json_node_get_object (body), "game_session_id",
                               TRUE, &session_id) ||
      !pw_sandbox_read_int (self, msg, json_node_get_object (body), "play_duration_sec",
                            FALSE, 0, G_MAXINT32, &client_sec))
    return;

  now_us = pw_sandbox_now_us (self);
  session = pw_sandbox_lookup_session (self, session_id);
  if (session == NULL)
    {
      send_not_found (self, msg);
      return;
    }

  switch (pw_sandbox_session_get_state (session, now_us))
    {
      case PW_SANDBOX_SESSION_EXPIRED:
        send_not_found (self, msg);
        return;

      case PW_SANDBOX_SESSION_ENDING:
      case PW_SANDBOX_SESSION_ENDED:
      case PW_SANDBOX_SESSION_REPLACED:
        pw_sandbox_send_error (self, msg, SOUP_STATUS_CONFLICT, "ALREADY_ENDED",
                               "Session already ended");
        return;

      case PW_SANDBOX_SESSION_ACTIVE:
      case PW_SANDBOX_SESSION_CHARGE_EXHAUSTED:
        break;

      default:
        g_assert_not_reached ();
    }

  pw_sandbox_session_end (session, PW_SANDBOX_END_CLIENT, now_us);

  data = json_builder_new ();
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "result");
  json_builder_add_string_value (data, "SUCCESS");
  json_builder_set_member_name (data, "play_duration_sec");
  json_builder_add_int_value (data, pw_sandbox_session_get_play_sec (session, now_us));
  json_builder_set_member_name (data, "client_play_duration_sec");
  if (client_sec >= 0)
    json_builder_add_int_value (data, client_sec);
  else
    json_builder_add_null_value (data);
  json_builder_end_object (data);

  pw_sandbox_send_envelope (self, msg, SOUP_STATUS_OK, TRUE,
                            json_builder_get_root (data));
}

/**
 * pw_sandbox_handle_api:
 * @path: the request path, under /v1
 *
 * Answers a request to the API. The key is checked before anything else,
 * as an API gateway would, so without it even unknown paths answer 401.
 */
void
pw_sandbox_handle_api (PwSandbox *self, SoupServerMessage *msg, const char *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *key = soup_message_headers_get_one (headers, "X-Api-Key");

  if (key == NULL || *key == '\0')
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "UNAUTHORIZED",
                             "Missing X-Api-Key header");
      return;
    }

  if (!g_str_equal (key, self->api_key))
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "UNAUTHORIZED",
                             "Invalid API key");
      return;
    }

  if (g_str_equal (path, PW_SANDBOX_HEARTBEAT_PATH))
    {
      if (g_str_equal (method, "PATCH"))
        handle_heartbeat (self, msg);
      else
        pw_sandbox_send_method_not_allowed (self, msg, "PATCH");
    }
  else if (g_str_equal (path, PW_SANDBOX_END_PATH))
    {
      if (g_str_equal (method, SOUP_METHOD_DELETE))
        handle_end (self, msg);
      else
        pw_sandbox_send_method_not_allowed (self, msg, SOUP_METHOD_DELETE);
    }
  else
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND",
                             "No such endpoint under /v1");
    }
}
