/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-client-private.h"
#include "pw-json.h"

/* The text PwClient makes of a request and its answer (for the inspector,
 * logs and errors, always with the API key redacted) and the request body:
 * pure functions, kept apart so pw-client.c is about the wire. Each runs
 * once or twice per request, so they avoid printf and needless copies;
 * they cost over 40,000 instructions per heartbeat before
 * (docs/BENCHMARKS.md). */

#define SHOWN_BODY_BYTES (64 * 1024)
#define MAX_RETRY_AFTER_SEC 3600

char *
pw_client_text_redact (const char *text, const char *key)
{
  g_auto (GStrv) parts = NULL;

  if (text == NULL)
    return NULL;
  if (key == NULL || *key == '\0' || strstr (text, key) == NULL)
    return g_strdup (text);

  parts = g_strsplit (text, key, -1);
  return g_strjoinv (PW_CLIENT_REDACTED, parts);
}

char *
pw_client_text_headers (SoupMessageHeaders *headers, const char *key)
{
  GString *text = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  /* Once per request and answer: plain appends, and a copy of a value only
   * when the key is in it (printf per header was 6,000 instructions). */
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_string_append (text, name);
      g_string_append (text, ": ");
      if (g_ascii_strcasecmp (name, "X-Api-Key") == 0)
        {
          g_string_append (text, PW_CLIENT_REDACTED);
        }
      else if (key != NULL && *key != '\0' && strstr (value, key) != NULL)
        {
          g_autofree char *safe = pw_client_text_redact (value, key);

          g_string_append (text, safe);
        }
      else
        {
          g_string_append (text, value);
        }
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

/* Valid UTF-8 without the control characters body_as_text() replaces:
 * nearly every answer, shown as it is. */
static gboolean
is_plain_text (const guint8 *data, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
      return FALSE;

  return g_utf8_validate_len ((const char *) data, length, NULL);
}

/* Takes @text; returns it, or a redacted copy when the key is in it. */
static char *
redact_in_place (char *text, const char *key)
{
  char *safe;

  if (key == NULL || *key == '\0' || strstr (text, key) == NULL)
    return text;

  safe = pw_client_text_redact (text, key);
  g_free (text);
  return safe;
}

/* The inspector shows bodies as text; keep the start of big ones. */
char *
pw_client_text_body (const guint8 *data, gsize length, const char *key)
{
  g_autofree char *valid = NULL;
  g_autofree char *shown = NULL;
  gsize shown_length = MIN (length, SHOWN_BODY_BYTES);

  if (length == 0)
    return g_strdup ("");

  if (length <= SHOWN_BODY_BYTES && is_plain_text (data, length))
    {
      shown = g_strndup ((const char *) data, length);
      return redact_in_place (g_steal_pointer (&shown), key);
    }

  valid = g_utf8_make_valid ((const char *) data, shown_length);
  g_strdelimit (valid, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f", '?');

  if (shown_length < length)
    shown = g_strdup_printf ("%s\n… (%" G_GSIZE_FORMAT " more bytes not shown)", valid,
                             length - shown_length);
  else
    shown = g_steal_pointer (&valid);

  return pw_client_text_redact (shown, key);
}

gint64
pw_client_text_retry_after (const char *value, gint64 now_unix)
{
  guint64 seconds;
  g_autoptr (GDateTime) date = NULL;

  if (value == NULL)
    return -1;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return MIN ((gint64) seconds, MAX_RETRY_AFTER_SEC);

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;

  return CLAMP (g_date_time_to_unix (date) - now_unix, 0, MAX_RETRY_AFTER_SEC);
}

/* What the client read from the answer is shown, logged, saved and
 * exported (the request id and code go into the event log): a server that
 * echoes the key in any of them must not get it there. */
void
pw_client_text_redact_reply (PwReply *reply, const char *key)
{
  char **fields[] = { &reply->result_name, &reply->request_id, &reply->code,
                      &reply->message };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char *safe;

      if (*fields[i] == NULL || key == NULL || *key == '\0' ||
          strstr (*fields[i], key) == NULL)
        continue;
      safe = pw_client_text_redact (*fields[i], key);
      g_free (*fields[i]);
      *fields[i] = safe;
    }
}

/* Written directly rather than with JsonBuilder and JsonGenerator, which
 * cost 13,000 instructions per heartbeat; the output is the same. */
GBytes *
pw_client_text_request_body (const char *session_id,
                             const char *user_id,
                             gint64 play_duration_sec)
{
  GString *text = g_string_sized_new (128);

  g_string_append (text, "{\"game_session_id\":");
  pw_json_append_string (text, session_id);
  if (user_id != NULL)
    {
      g_string_append (text, ",\"provider_user_id\":");
      pw_json_append_string (text, user_id);
    }
  if (play_duration_sec >= 0)
    g_string_append_printf (text, ",\"play_duration_sec\":%" G_GINT64_FORMAT,
                            play_duration_sec);
  g_string_append_c (text, '}');

  return g_string_free_to_bytes (text);
}
