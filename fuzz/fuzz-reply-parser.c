/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pw-error.h"
#include "pw-exchange.h"
#include "pw-fuzz.h"
#include "pw-json.h"
#include "pw-reply-parser.h"

/* libFuzzer target for the reply parser (and the JSON checks under it):
 * everything a server can send. An input is a first line "STATUS KIND"
 * (e.g. "200 heartbeat", "410 end"; a missing or garbled line means 200
 * and heartbeat) and the response body after it. Besides "no crash, no
 * leak, no undefined behaviour", it checks what the rest of the app relies
 * on: an answer is either a reply or an error, never both; every string
 * that comes out is safe to show; numbers are in their documented ranges. */

#define MAX_PLAY_SECONDS ((gint64) 10 * 366 * 24 * 3600)

static void
read_head (const char *data, gsize size, guint *status, PwRequestKind *kind, gsize *skip)
{
  const char *newline = memchr (data, '\n', MIN (size, 64));
  guint value = 0;
  gsize i = 0;

  *status = 200;
  *kind = PW_REQUEST_HEARTBEAT;
  *skip = 0;

  if (newline == NULL)
    return;

  for (; i < 3 && g_ascii_isdigit (data[i]); i++)
    value = value * 10 + (guint) (data[i] - '0');
  if (i > 0)
    *status = value;
  if (g_strstr_len (data, newline - data, "end") != NULL)
    *kind = PW_REQUEST_END;

  *skip = (gsize) (newline - data) + 1;
}

static gboolean
looks_like_code (const char *code)
{
  gsize len = strlen (code);

  if (len == 0 || len > 64)
    return FALSE;

  for (const char *p = code; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}

static void
check_reply (const PwReply *reply,
             PwRequestKind kind,
             guint status,
             gboolean ok,
             const GError *error)
{
  PW_FUZZ_CHECK (ok == (error == NULL));
  PW_FUZZ_CHECK (reply->request_id == NULL || pw_json_string_is_safe (reply->request_id));
  PW_FUZZ_CHECK (reply->code == NULL || looks_like_code (reply->code));
  PW_FUZZ_CHECK (reply->message == NULL || pw_json_string_is_safe (reply->message));
  PW_FUZZ_CHECK (reply->message == NULL || g_utf8_strlen (reply->message, -1) <= 201);

  if (ok)
    {
      PW_FUZZ_CHECK (status >= 200 && status <= 299);
      PW_FUZZ_CHECK (reply->result_name != NULL);
      PW_FUZZ_CHECK (pw_json_string_is_safe (reply->result_name));
      PW_FUZZ_CHECK (reply->play_duration_sec >= 0 &&
                     reply->play_duration_sec <= MAX_PLAY_SECONDS);
      PW_FUZZ_CHECK (reply->client_play_duration_sec >= -1 &&
                     reply->client_play_duration_sec <= MAX_PLAY_SECONDS);
      if (kind == PW_REQUEST_END)
        PW_FUZZ_CHECK (reply->result == PW_RESULT_ENDED);
      else
        PW_FUZZ_CHECK (reply->result == PW_RESULT_OK ||
                       reply->result == PW_RESULT_CHARGE_EXHAUSTED ||
                       reply->result == PW_RESULT_SESSION_REPLACED ||
                       reply->result == PW_RESULT_UNKNOWN);
      {
        gint64 interval = pw_heartbeat_interval_from_hint (reply->next_heartbeat_in);

        PW_FUZZ_CHECK (interval >= 1 && interval <= 200);
      }
    }
  else
    {
      /* The message goes into labels, the event log and the terminal. */
      PW_FUZZ_CHECK (error->domain == PW_ERROR);
      PW_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      PW_FUZZ_CHECK (error->message[0] != '\0');
      if (status >= 300 && status <= 399)
        PW_FUZZ_CHECK (error->code == PW_ERROR_REDIRECT);
      else if (status == 401 || status == 403)
        PW_FUZZ_CHECK (error->code == PW_ERROR_UNAUTHORIZED);
      else if (status >= 500 && status <= 599)
        PW_FUZZ_CHECK (error->code == PW_ERROR_SERVER);
      else if (status == 429)
        PW_FUZZ_CHECK (error->code == PW_ERROR_RATE_LIMITED);
    }
}

/* pw_json_parse() (pw-json-parser.c) replaced "pw_json_scan_text(), then
 * json-glib's JsonParser" in the reply path. Differential check against
 * that pair: it accepts exactly what the scan accepts where json-glib
 * agrees, and builds the same tree. */
static void
check_json_reader (const char *text, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = pw_json_parse (text, length, &error);
  PwJsonTextProblem problem = pw_json_scan_text (text, length, NULL);

  PW_FUZZ_CHECK ((node == NULL) == (error != NULL));
  if (error != NULL)
    PW_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));

  /* Whatever the scan refuses, the reader refuses. */
  if (problem != PW_JSON_TEXT_OK)
    PW_FUZZ_CHECK (node == NULL);

  if (problem == PW_JSON_TEXT_OK && length > 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, text, (gssize) length, NULL) &&
          json_parser_get_root (parser) != NULL)
        {
          /* Both accept: the same tree. */
          PW_FUZZ_CHECK (node != NULL);
          PW_FUZZ_CHECK (json_node_equal (node, json_parser_get_root (parser)));
        }
    }
}

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  pw_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  PwRequestKind kind;
  guint status;
  gsize skip;

  read_head (text, size, &status, &kind, &skip);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr (GError) error = NULL;
      PwReply reply;
      gboolean ok;

      /* The body as given, then the same body as the other request kind:
       * both parsers see every shape. */
      pw_reply_init (&reply);
      ok = pw_reply_parse (&reply, kind, status, size > skip ? text + skip : NULL,
                           size - skip, &error);
      check_reply (&reply, kind, status, ok, error);
      pw_reply_clear (&reply);

      kind = kind == PW_REQUEST_END ? PW_REQUEST_HEARTBEAT : PW_REQUEST_END;
    }

  /* The JSON layer on its own, whatever the status. */
  check_json_reader (text + skip, size - skip);

  return 0;
}
