/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pw-ctl-output.h"
#include "pw-error.h"
#include "pw-json.h"

/* How playwave-ctl reports one request: a line of text for people, or one
 * JSON object for scripts, and an exit status both can branch on. */

PwCtlExit
pw_ctl_exit_for (PwRequestKind kind, PwExchange *exchange, const GError *error)
{
  if (error == NULL)
    {
      if (exchange != NULL &&
          pw_exchange_get_result (exchange) == PW_RESULT_SESSION_REPLACED)
        return PW_CTL_EXIT_GONE;
      return PW_CTL_EXIT_OK;
    }

  if (error->domain != PW_ERROR)
    return PW_CTL_EXIT_FAILED;

  switch ((PwError) error->code)
    {
      case PW_ERROR_SESSION_NOT_FOUND:
      case PW_ERROR_ALREADY_ENDED:
        /* The end API page: 404 and 409 mean "already cleaned up". */
        return kind == PW_REQUEST_END ? PW_CTL_EXIT_OK : PW_CTL_EXIT_GONE;

      case PW_ERROR_SESSION_ENDED:
      case PW_ERROR_SESSION_ENDING:
        return PW_CTL_EXIT_GONE;

      case PW_ERROR_UNAUTHORIZED:
        return PW_CTL_EXIT_UNAUTHORIZED;

      case PW_ERROR_RATE_LIMITED:
      case PW_ERROR_SERVER:
      case PW_ERROR_NETWORK:
      case PW_ERROR_TIMEOUT:
        return PW_CTL_EXIT_FAILED;

      case PW_ERROR_INVALID_ARGUMENT:
        return PW_CTL_EXIT_USAGE;

      case PW_ERROR_PROTOCOL:
      case PW_ERROR_REDIRECT:
      case PW_ERROR_BAD_REQUEST:
      default:
        return PW_CTL_EXIT_PROTOCOL;
    }
}

static void
add_int_or_null (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string_or_null (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (PwRequestKind kind,
            const char *session_id,
            PwExchange *exchange,
            const GError *error,
            guint attempts)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *code = NULL;

  if (error != NULL)
    code =
        exchange && pw_exchange_get_code (exchange)
            ? pw_exchange_get_code (exchange)
            : (error->domain == PW_ERROR ? pw_error_to_code (error->code) : "CANCELLED");

  json_builder_begin_object (builder);
  add_string_or_null (builder, "command",
                      kind == PW_REQUEST_HEARTBEAT ? "heartbeat" : "end");
  add_string_or_null (builder, "game_session_id", session_id);
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, pw_ctl_exit_for (kind, exchange, error));
  add_int_or_null (builder, "http_status",
                   exchange && pw_exchange_get_status (exchange)
                       ? (gint64) pw_exchange_get_status (exchange)
                       : -1);
  add_string_or_null (builder, "result",
                      exchange && error == NULL ? pw_exchange_get_result_name (exchange)
                                                : NULL);
  add_string_or_null (builder, "code", code);
  add_string_or_null (builder, "request_id",
                      exchange ? pw_exchange_get_request_id (exchange) : NULL);

  json_builder_set_member_name (builder, "data");
  if (exchange != NULL && error == NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "result", pw_exchange_get_result_name (exchange));
      if (kind == PW_REQUEST_HEARTBEAT)
        add_int_or_null (builder, "next_heartbeat_in",
                         pw_exchange_get_next_heartbeat_in (exchange));
      add_int_or_null (builder, "play_duration_sec",
                       pw_exchange_get_play_duration_sec (exchange));
      if (kind == PW_REQUEST_END)
        add_int_or_null (builder, "client_play_duration_sec",
                         pw_exchange_get_client_play_duration_sec (exchange));
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }

  add_string_or_null (builder, "error", error ? error->message : NULL);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, attempts);
  add_int_or_null (builder, "latency_us",
                   exchange ? pw_exchange_get_latency_us (exchange) : -1);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = pw_json_to_string (root, FALSE);
  g_print ("%s\n", text);
}

static char *
describe_request (PwExchange *exchange)
{
  const char *request_id = exchange ? pw_exchange_get_request_id (exchange) : NULL;

  if (exchange == NULL || pw_exchange_get_status (exchange) == 0)
    return g_strdup ("");

  if (request_id != NULL)
    /* Translators: HTTP status, milliseconds and the server's request id */
    return g_strdup_printf (_ (" [HTTP %u, %.0f ms, request %s]"),
                            pw_exchange_get_status (exchange),
                            pw_exchange_get_latency_us (exchange) / 1000.0, request_id);

  return g_strdup_printf (_ (" [HTTP %u, %.0f ms]"), pw_exchange_get_status (exchange),
                          pw_exchange_get_latency_us (exchange) / 1000.0);
}

static void
print_heartbeat_text (const char *session_id, PwExchange *exchange, const char *where)
{
  gint64 play = pw_exchange_get_play_duration_sec (exchange);
  gint64 next =
      pw_heartbeat_interval_from_hint (pw_exchange_get_next_heartbeat_in (exchange));

  switch (pw_exchange_get_result (exchange))
    {
      case PW_RESULT_OK:
        g_print (_ ("%s: OK, server play time %d s, next heartbeat in %d s%s\n"),
                 session_id, (int) play, (int) next, where);
        break;

      case PW_RESULT_CHARGE_EXHAUSTED:
        g_print (_ ("%s: CHARGE_EXHAUSTED, the player is out of charge; the server ends "
                    "the session "
                    "after 2 minutes of grace (server play time %d s)%s\n"),
                 session_id, (int) play, where);
        break;

      case PW_RESULT_SESSION_REPLACED:
        g_print (_ ("%s: SESSION_REPLACED, another session started on the same PC; stop "
                    "heartbeats and do not end it%s\n"),
                 session_id, where);
        break;

      case PW_RESULT_UNKNOWN:
      case PW_RESULT_NONE:
      case PW_RESULT_ENDED:
      default:
        g_print (_ ("%s: unknown result “%s” (server play time %d s)%s\n"), session_id,
                 pw_exchange_get_result_name (exchange), (int) play, where);
        break;
    }
}

static void
print_text (PwRequestKind kind,
            const char *session_id,
            PwExchange *exchange,
            const GError *error,
            guint attempts)
{
  g_autofree char *where = describe_request (exchange);

  if (error != NULL)
    {
      if (kind == PW_REQUEST_END &&
          pw_ctl_exit_for (kind, exchange, error) == PW_CTL_EXIT_OK)
        g_print (_ ("%s: already cleaned up: %s%s\n"), session_id, error->message, where);
      else if (attempts > 1)
        g_printerr (_ ("playwave-ctl: %s: %s%s (after %u attempts)\n"), session_id,
                    error->message, where, attempts);
      else
        g_printerr ("playwave-ctl: %s: %s%s\n", session_id, error->message, where);
      return;
    }

  if (kind == PW_REQUEST_HEARTBEAT)
    {
      print_heartbeat_text (session_id, exchange, where);
      return;
    }

  if (pw_exchange_get_client_play_duration_sec (exchange) >= 0)
    {
      gint64 server = pw_exchange_get_play_duration_sec (exchange);
      gint64 client = pw_exchange_get_client_play_duration_sec (exchange);

      g_print (_ ("%s: ended, server play time %d s, client %d s "
                  "(drift %+d s)%s\n"),
               session_id, (int) server, (int) client, (int) (client - server), where);
    }
  else
    {
      g_print (_ ("%s: ended, server play time %d s%s\n"), session_id,
               (int) pw_exchange_get_play_duration_sec (exchange), where);
    }
}

void
pw_ctl_print_outcome (PwRequestKind kind,
                      const char *session_id,
                      PwExchange *exchange,
                      const GError *error,
                      guint attempts,
                      gboolean json)
{
  if (json)
    print_json (kind, session_id, exchange, error, attempts);
  else
    print_text (kind, session_id, exchange, error, attempts);
}
