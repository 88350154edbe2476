/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-exchange-text.h"
#include "pw-json.h"

/* An exchange as text for people: the inspector's bodies, "copy as curl"
 * and the lines of a support ticket.
 *
 * The key: PwClient records request headers with `X-Api-Key: [redacted]`
 * and replaces the key wherever the server echoes it, so nothing here ever
 * sees it, except "copy as curl" when the caller passes it in because the
 * user asked for it explicitly. The curl command is rebuilt from the
 * recorded method, URL, headers and body; every word is single-quoted for
 * the shell (g_shell_quote()), so no body or id can break out of it. The
 * key header is the one word in double quotes, so that the placeholder
 * expands. */

#define API_KEY_HEADER "X-Api-Key"
#define TICKET_BODY_MAX_CHARS 2000

/* Helpers */

static char *
cut_text (const char *text, gsize max_bytes)
{
  g_autofree char *valid = NULL;
  gsize length = strlen (text);
  gsize cut = max_bytes;

  if (length <= max_bytes)
    return g_utf8_make_valid (text, -1);

  /* On a character boundary. */
  while (cut > 0 && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;
  valid = g_utf8_make_valid (text, cut);

  /* Translators: after a text cut short; %lu is how many bytes were left out */
  return g_strdup_printf (_ ("%s\n… (%lu more bytes not shown)"), valid,
                          (gulong) (length - cut));
}

/* Public API */

/**
 * pw_exchange_dup_curl:
 * @api_key: (nullable): the key to put into the command, only when the user
 *   asked for it; %NULL puts %PW_CURL_KEY_PLACEHOLDER there
 *
 * A shell command that sends the same request again: method, URL, the
 * recorded request headers and body.
 *
 * Returns: (transfer full): the command, lines joined with backslashes,
 *   no newline at the end
 */
char *
pw_exchange_dup_curl (PwExchange *exchange, const char *api_key)
{
  g_autoptr (GString) command = g_string_new ("curl -sS -X ");
  g_autofree char *method = NULL;
  g_autofree char *url = NULL;
  g_auto (GStrv) lines = NULL;
  const char *headers;
  const char *body;
  gboolean key_written = FALSE;

  g_return_val_if_fail (PW_IS_EXCHANGE (exchange), NULL);

  method = g_shell_quote (pw_exchange_get_method (exchange));
  url = g_shell_quote (pw_exchange_get_url (exchange));
  g_string_append_printf (command, "%s %s", method, url);

  headers = pw_exchange_get_request_headers (exchange);
  lines = g_strsplit (headers != NULL ? headers : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;

      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_ascii_strcasecmp (name, API_KEY_HEADER) == 0)
        {
          /* Written once, whatever the record holds in its place. */
          if (key_written)
            continue;
          key_written = TRUE;

          if (api_key != NULL)
            {
              g_autofree char *header =
                  g_strdup_printf ("%s: %s", API_KEY_HEADER, api_key);
              g_autofree char *quoted = g_shell_quote (header);

              g_string_append_printf (command, " \\\n  -H %s", quoted);
            }
          else
            {
              g_string_append (command, " \\\n  -H \"" API_KEY_HEADER
                                        ": " PW_CURL_KEY_PLACEHOLDER "\"");
            }
          continue;
        }

      {
        g_autofree char *quoted = g_shell_quote (lines[i]);

        g_string_append_printf (command, " \\\n  -H %s", quoted);
      }
    }

  body = pw_exchange_get_request_body (exchange);
  if (body != NULL && *body != '\0')
    {
      g_autofree char *quoted = g_shell_quote (body);

      g_string_append_printf (command, " \\\n  --data-raw %s", quoted);
    }

  /* No newline at the end: pasted into a terminal, it waits for Enter. */
  return g_string_free (g_steal_pointer (&command), FALSE);
}

/**
 * pw_body_dup_pretty_json:
 *
 * Returns: (transfer full) (nullable): @body indented, or %NULL when it is
 *   not JSON the client would read (too big, too deep, invalid)
 */
char *
pw_body_dup_pretty_json (const char *body)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *pretty = NULL;

  if (body == NULL || *body == '\0')
    return NULL;

  root = pw_json_parse (body, strlen (body), NULL);
  if (root == NULL)
    return NULL;

  pretty = pw_json_to_string (root, TRUE);
  /* json-glib hands lone surrogates back as invalid UTF-8. */
  if (pretty == NULL || !g_utf8_validate (pretty, -1, NULL))
    return NULL;

  return g_steal_pointer (&pretty);
}

/**
 * pw_body_dup_display:
 *
 * Returns: (transfer full): @body for the inspector: pretty JSON when it
 *   is JSON, else the text as it came (valid UTF-8, cut at
 *   %PW_BODY_DISPLAY_MAX_BYTES), "" for none
 */
char *
pw_body_dup_display (const char *body)
{
  char *pretty;

  if (body == NULL)
    return g_strdup ("");

  pretty = pw_body_dup_pretty_json (body);
  if (pretty != NULL)
    return pretty;

  return cut_text (body, PW_BODY_DISPLAY_MAX_BYTES);
}

/**
 * pw_format_real_time:
 * @utc: %TRUE for ISO 8601 UTC with milliseconds (tickets, exports),
 *   %FALSE for local "YYYY-MM-DD HH:MM:SS"
 *
 * Returns: (transfer full): the time, or "—" when it cannot be shown
 */
char *
pw_format_real_time (gint64 real_us, gboolean utc)
{
  g_autoptr (GDateTime) time = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (real_us <= 0)
    return g_strdup ("—");

  time = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  if (time == NULL)
    return g_strdup ("—");

  if (utc)
    {
      g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

      return g_strdup_printf ("%s.%03dZ", seconds,
                              (int) (real_us % G_USEC_PER_SEC / 1000));
    }

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/**
 * pw_exchange_dup_summary:
 *
 * Returns: (transfer full): one line, "PATCH 200 OK · 3 ms · req_8f2…"
 */
char *
pw_exchange_dup_summary (PwExchange *exchange)
{
  GString *text;
  guint status;
  const char *name;
  const char *request_id;
  gint64 latency_us;

  g_return_val_if_fail (PW_IS_EXCHANGE (exchange), NULL);

  text = g_string_new (pw_exchange_get_method (exchange));
  status = pw_exchange_get_status (exchange);
  name = pw_exchange_get_result_name (exchange);
  request_id = pw_exchange_get_request_id (exchange);
  latency_us = pw_exchange_get_latency_us (exchange);

  if (name == NULL)
    name = pw_exchange_get_code (exchange);

  if (status > 0)
    g_string_append_printf (text, " %u", status);
  else
    /* Translators: a request that got no HTTP answer (network error, timeout) */
    g_string_append_printf (text, " %s", _ ("no answer"));
  if (name != NULL)
    g_string_append_printf (text, " %s", name);

  if (latency_us >= 0)
    {
      g_string_append (text, " · ");
      /* Translators: a latency in milliseconds */
      g_string_append_printf (text, _ ("%d ms"), (int) ((latency_us + 500) / 1000));
    }

  if (request_id != NULL)
    g_string_append_printf (text, " · %s", request_id);

  return g_string_free (text, FALSE);
}

/**
 * pw_exchange_dup_ticket_text:
 *
 * Returns: (transfer full): the exchange as a few lines for a support
 *   ticket: when, the summary, the URL, both bodies (compact, cut) and the
 *   error
 */
char *
pw_exchange_dup_ticket_text (PwExchange *exchange)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  const GError *error;

  g_return_val_if_fail (PW_IS_EXCHANGE (exchange), NULL);

  when = pw_format_real_time (pw_exchange_get_started_real_us (exchange), TRUE);
  summary = pw_exchange_dup_summary (exchange);
  g_string_append_printf (text, "%s  %s\n", when, summary);
  g_string_append_printf (text, "    %s\n", pw_exchange_get_url (exchange));

  request = cut_text (pw_exchange_get_request_body (exchange) != NULL
                          ? pw_exchange_get_request_body (exchange)
                          : "",
                      TICKET_BODY_MAX_CHARS);
  /* Translators: in a support ticket: the body the app sent */
  g_string_append_printf (text, "    %s %s\n", _ ("Request:"), request);

  if (pw_exchange_get_status (exchange) > 0)
    {
      response = cut_text (pw_exchange_get_response_body (exchange) != NULL
                               ? pw_exchange_get_response_body (exchange)
                               : "",
                           TICKET_BODY_MAX_CHARS);
      /* Translators: in a support ticket: the body the server answered */
      g_string_append_printf (text, "    %s %s\n", _ ("Response:"), response);
    }

  error = pw_exchange_get_error (exchange);
  if (error != NULL)
    /* Translators: in a support ticket: what went wrong with a request */
    g_string_append_printf (text, "    %s %s\n", _ ("Error:"), error->message);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
