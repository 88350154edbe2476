/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-json.h"
#include "pw-reply-parser.h"
#include "pw-session.h"

/* Turns a status line and a body into a PwReply or a PwError. Pure: no
 * I/O, so the fuzzers and the client share it. Error bodies are not
 * documented; every shape in SPEC.md is read, and anything else falls back
 * to the status. */

#define MAX_MESSAGE_CHARS 200

void
pw_reply_init (PwReply *reply)
{
  g_return_if_fail (reply != NULL);

  *reply = (PwReply){
    .result = PW_RESULT_NONE,
    .next_heartbeat_in = -1,
    .play_duration_sec = -1,
    .client_play_duration_sec = -1,
  };
}

void
pw_reply_clear (PwReply *reply)
{
  g_return_if_fail (reply != NULL);

  g_clear_pointer (&reply->result_name, g_free);
  g_clear_pointer (&reply->request_id, g_free);
  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->message, g_free);
  pw_reply_init (reply);
}

static gboolean
looks_like_code (const char *code)
{
  gsize len = 0;

  for (const char *p = code; *p; p++, len++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;

  return len > 0 && len <= 64;
}

/* Error bodies are read leniently: a field of the wrong type is skipped,
 * never trusted. */
static const char *
lenient_string (JsonObject *object, const char *member)
{
  JsonNode *node;
  const char *value;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  return pw_json_string_is_safe (value) ? value : NULL;
}

static char *
shorten (const char *text)
{
  g_autofree char *head = NULL;

  if (text == NULL)
    return NULL;

  if (g_utf8_strlen (text, -1) <= MAX_MESSAGE_CHARS)
    return g_strdup (text);

  head = g_utf8_substring (text, 0, MAX_MESSAGE_CHARS);
  return g_strconcat (head, "…", NULL);
}

static void
read_error_body (PwReply *reply, JsonObject *root)
{
  JsonNode *error_node = root ? json_object_get_member (root, "error") : NULL;
  const char *code = NULL;
  const char *message = NULL;

  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *error_object = json_node_get_object (error_node);

      code = lenient_string (error_object, "code");
      message = lenient_string (error_object, "message");
    }
  else if (error_node != NULL)
    {
      code = lenient_string (root, "error");
    }

  if (code == NULL)
    code = lenient_string (root, "code");
  if (message == NULL)
    message = lenient_string (root, "message");

  if (code != NULL && looks_like_code (code))
    reply->code = g_strdup (code);
  reply->message = shorten (message);
}

static const char *
code_for_status (guint status)
{
  switch (status)
    {
      case 404:
        return "SESSION_NOT_FOUND";
      case 409:
        return "ALREADY_ENDED";
      case 410:
        return "SESSION_ENDED";
      default:
        return NULL;
    }
}

static PwError
error_for (guint status, const char *code)
{
  if (status == 401 || status == 403)
    return PW_ERROR_UNAUTHORIZED;
  if (status == 429)
    return PW_ERROR_RATE_LIMITED;
  if (status >= 500 && status <= 599)
    return PW_ERROR_SERVER;

  if (g_strcmp0 (code, "SESSION_NOT_FOUND") == 0)
    return PW_ERROR_SESSION_NOT_FOUND;
  if (g_strcmp0 (code, "SESSION_ENDED") == 0)
    return PW_ERROR_SESSION_ENDED;
  if (g_strcmp0 (code, "SESSION_ENDING") == 0)
    return PW_ERROR_SESSION_ENDING;
  if (g_strcmp0 (code, "ALREADY_ENDED") == 0)
    return PW_ERROR_ALREADY_ENDED;

  switch (status)
    {
      case 404:
        return PW_ERROR_SESSION_NOT_FOUND;
      case 409:
        return PW_ERROR_ALREADY_ENDED;
      case 410:
        return PW_ERROR_SESSION_ENDED;
      default:
        if (status >= 400 && status <= 499)
          return PW_ERROR_BAD_REQUEST;
        return PW_ERROR_PROTOCOL;
    }
}

static const char *
describe (PwError error)
{
  switch (error)
    {
      case PW_ERROR_SESSION_NOT_FOUND:
        return _ ("Session not found: it expired or was deleted");
      case PW_ERROR_SESSION_ENDED:
        return _ ("The session has ended");
      case PW_ERROR_SESSION_ENDING:
        return _ ("The session is being terminated");
      case PW_ERROR_ALREADY_ENDED:
        return _ ("The session had already ended");
      case PW_ERROR_UNAUTHORIZED:
        return _ ("The API key was rejected");
      case PW_ERROR_RATE_LIMITED:
        return _ ("Too many requests");
      case PW_ERROR_SERVER:
        return _ ("The server failed");
      case PW_ERROR_BAD_REQUEST:
        return _ ("The server refused the request");
      case PW_ERROR_PROTOCOL:
        return _ ("The server answered with an error the API does not describe");
      case PW_ERROR_REDIRECT:
      case PW_ERROR_NETWORK:
      case PW_ERROR_TIMEOUT:
      case PW_ERROR_INVALID_ARGUMENT:
      default:
        return _ ("The request failed");
    }
}

static gboolean
fail_with_status (PwReply *reply, guint status, JsonObject *root, GError **error)
{
  PwError code;
  g_autofree char *label = NULL;

  read_error_body (reply, root);
  if (reply->code == NULL)
    reply->code = g_strdup (code_for_status (status));

  code = error_for (status, reply->code);
  label = reply->code ? g_strdup_printf ("HTTP %u %s", status, reply->code)
                      : g_strdup_printf ("HTTP %u", status);

  if (reply->message != NULL)
    g_set_error (error, PW_ERROR, code, "%s (%s): %s", describe (code), label,
                 reply->message);
  else
    g_set_error (error, PW_ERROR, code, "%s (%s)", describe (code), label);

  return FALSE;
}

static PwResult
heartbeat_result_from_name (const char *name)
{
  if (g_str_equal (name, "OK"))
    return PW_RESULT_OK;
  if (g_str_equal (name, "CHARGE_EXHAUSTED"))
    return PW_RESULT_CHARGE_EXHAUSTED;
  if (g_str_equal (name, "SESSION_REPLACED"))
    return PW_RESULT_SESSION_REPLACED;
  return PW_RESULT_UNKNOWN;
}

static gboolean
read_success (PwReply *reply, PwRequestKind kind, JsonObject *root, GError **error)
{
  JsonObject *data;
  const char *result_name = NULL;
  gint64 hint = -1;

  data = pw_json_get_object (root, "data", TRUE, error);
  if (data == NULL)
    return FALSE;

  if (!pw_json_get_string (data, "result", TRUE, &result_name, error) ||
      !pw_json_get_int (data, "play_duration_sec", TRUE, 0, PW_SESSION_MAX_PLAY_SEC,
                        &reply->play_duration_sec, error))
    return FALSE;

  reply->result_name = g_strdup (result_name);

  if (kind == PW_REQUEST_HEARTBEAT)
    {
      /* SPEC: an absent or invalid hint means the default interval, not a
       * broken answer. */
      if (pw_json_get_int (data, "next_heartbeat_in", FALSE, G_MININT64, G_MAXINT64,
                           &hint, NULL))
        reply->next_heartbeat_in = hint;
      reply->result = heartbeat_result_from_name (result_name);
    }
  else
    {
      if (!pw_json_get_int (data, "client_play_duration_sec", FALSE, 0,
                            PW_SESSION_MAX_PLAY_SEC, &reply->client_play_duration_sec,
                            error))
        return FALSE;
      /* A 200 from end means the session is over, whatever the result says. */
      reply->result = PW_RESULT_ENDED;
    }

  return TRUE;
}

/**
 * pw_reply_parse:
 * @reply: an initialized #PwReply, filled as far as the answer allows (the
 *   request id and error code are kept on failure too)
 *
 * Returns: %TRUE for a valid 2xx answer
 */
gboolean
pw_reply_parse (PwReply *reply,
                PwRequestKind kind,
                guint status,
                const char *body,
                gsize body_length,
                GError **error)
{
  g_autoptr (JsonNode) root_node = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonObject *root = NULL;
  const char *request_id = NULL;
  gboolean success = TRUE;

  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (body != NULL || body_length == 0, FALSE);

  if (status >= 300 && status <= 399)
    {
      g_set_error (
          error, PW_ERROR, PW_ERROR_REDIRECT,
          _ ("The server answered with a redirect (HTTP %u); redirects are never "
             "followed"),
          status);
      return FALSE;
    }

  if (body_length > 0)
    root_node = pw_json_parse (body, body_length, &parse_error);
  if (root_node != NULL && JSON_NODE_HOLDS_OBJECT (root_node))
    root = json_node_get_object (root_node);

  request_id = lenient_string (root, "request_id");
  reply->request_id = g_strdup (request_id);

  if (status < 200 || status > 299)
    return fail_with_status (reply, status, root, error);

  if (parse_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parse_error));
      return FALSE;
    }

  if (root == NULL)
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is not a JSON object"));
      return FALSE;
    }

  if (!pw_json_get_string (root, "request_id", FALSE, &request_id, error) ||
      !pw_json_get_boolean (root, "success", &success, error))
    return FALSE;

  if (!success)
    return fail_with_status (reply, status, root, error);

  return read_success (reply, kind, root, error);
}
