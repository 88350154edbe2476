/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-error.h"
#include "pw-json.h"
#include "pw-session-file.h"

/* Session files come from `--from`, `--track-file` and the import dialog, so
 * they are whatever QA or a spreadsheet produced. Accepted:
 *
 *  - one `SESSION_ID:USER_ID` or `SESSION_ID,USER_ID` per line; whitespace
 *    around either id is dropped, blank lines and lines starting with `#` are
 *    skipped, CRLF line ends and a UTF-8 byte order mark are fine;
 *  - the same as a CSV file whose first line is the header
 *    `game_session_id,provider_user_id`: fields may be "quoted" and columns
 *    after the second are ignored, so an export with more columns works;
 *  - a JSON array of {"game_session_id", "provider_user_id"} objects (extra
 *    members ignored), recognised by how it starts (see looks_like_json()).
 *
 * Without the CSV header a line must hold exactly one `:` or `,`: ids may in
 * principle contain either, and guessing where to split would heartbeat the
 * wrong session. Such ids can still be given as JSON or quoted CSV.
 *
 * Every problem is reported with the line (or JSON array entry, counting
 * from 1) it was found on, and nothing is returned: importing half a file
 * silently is worse than fixing one line. */

#define UTF8_BOM "\xef\xbb\xbf"
#define CSV_SESSION_HEADER "game_session_id"
#define CSV_USER_HEADER "provider_user_id"

void
pw_session_entry_free (PwSessionEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->session_id);
  g_free (entry->user_id);
  g_free (entry);
}

static GPtrArray *
entry_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pw_session_entry_free);
}

static guint
line_of (const char *text, const char *position)
{
  guint line = 1;

  for (const char *p = text; p < position; p++)
    if (*p == '\n')
      line++;

  return line;
}

static void
set_entry_error (GError **error, gboolean in_json, guint number, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

/* "line 3: …" for text files, "entry 4: …" for JSON arrays. */
static void
set_entry_error (GError **error, gboolean in_json, guint number, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (in_json)
    /* Translators: %u is the position of an object in a JSON array, counting
     * from 1; %s says what is wrong with it */
    g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, _ ("entry %u: %s"), number,
                 message);
  else
    /* Translators: %u is a line number in a file; %s says what is wrong */
    g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, _ ("line %u: %s"), number,
                 message);
}

/* Takes ownership of both ids. */
static gboolean
add_entry (GPtrArray *entries,
           GHashTable *seen,
           char *session_id,
           char *user_id,
           guint number,
           gboolean in_json,
           GError **error)
{
  g_autofree char *owned_session_id = session_id;
  g_autofree char *owned_user_id = user_id;
  g_autoptr (GError) local_error = NULL;
  PwSessionEntry *entry;
  gpointer other;

  if (!pw_identifier_is_valid (_ ("session id"), session_id, &local_error) ||
      !pw_identifier_is_valid (_ ("user id"), user_id, &local_error))
    {
      set_entry_error (error, in_json, number, "%s", local_error->message);
      return FALSE;
    }

  /* Tracking one session twice would send two heartbeats per interval and
   * end it twice; two lines for one session are also likely a paste error. */
  other = g_hash_table_lookup (seen, session_id);
  if (other != NULL)
    {
      if (in_json)
        set_entry_error (error, TRUE, number,
                         _ ("session “%s” is already listed as entry %u"), session_id,
                         GPOINTER_TO_UINT (other));
      else
        set_entry_error (error, FALSE, number,
                         _ ("session “%s” is already listed on line %u"), session_id,
                         GPOINTER_TO_UINT (other));
      return FALSE;
    }

  entry = g_new0 (PwSessionEntry, 1);
  entry->session_id = g_steal_pointer (&owned_session_id);
  entry->user_id = g_steal_pointer (&owned_user_id);
  entry->line = number;
  g_ptr_array_add (entries, entry);

  /* The key is owned by the entry, which outlives the table. */
  g_hash_table_insert (seen, entry->session_id, GUINT_TO_POINTER (number));

  return TRUE;
}

/* Splits at the only `:` or `,`; returns how many there were, so 1 is
 * success and the ids are set only then. */
static guint
split_pair (const char *line, char **session_id, char **user_id)
{
  const char *separator = NULL;
  guint count = 0;

  for (const char *p = line; *p; p++)
    if (*p == ':' || *p == ',')
      {
        separator = p;
        count++;
      }

  if (count == 1)
    {
      *session_id = g_strstrip (g_strndup (line, separator - line));
      *user_id = g_strstrip (g_strdup (separator + 1));
    }

  return count;
}

/* One CSV record on one line (RFC 4180 without line breaks inside quotes):
 * spreadsheets quote fields, and "" stands for a quote inside one. Unquoted
 * fields are trimmed. Returns NULL for an unterminated quote or text after a
 * closing quote. */
static GStrv
split_csv_line (const char *line)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = line;

  for (;;)
    {
      g_string_truncate (field, 0);

      while (*p == ' ' || *p == '\t')
        p++;

      if (*p == '"')
        {
          for (p++;; p++)
            {
              if (*p == '\0')
                return NULL;
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }

          while (*p == ' ' || *p == '\t')
            p++;
          if (*p != ',' && *p != '\0')
            return NULL;
        }
      else
        {
          const char *start = p;
          const char *end;

          while (*p != ',' && *p != '\0')
            p++;
          for (end = p; end > start && (end[-1] == ' ' || end[-1] == '\t'); end--)
            ;
          g_string_append_len (field, start, end - start);
        }

      g_strv_builder_add (builder, field->str);

      if (*p == '\0')
        break;
      p++;
    }

  return g_strv_builder_end (builder);
}

static gboolean
is_csv_header (const char *line)
{
  g_auto (GStrv) fields = split_csv_line (line);

  return fields != NULL && g_strv_length (fields) >= 2 &&
         g_ascii_strcasecmp (fields[0], CSV_SESSION_HEADER) == 0 &&
         g_ascii_strcasecmp (fields[1], CSV_USER_HEADER) == 0;
}

static GPtrArray *
parse_lines (const char *text, gsize length, GError **error)
{
  g_autoptr (GPtrArray) entries = entry_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *end = text + length;
  const char *p = text;
  gboolean first_content = TRUE;
  gboolean csv = FALSE;
  guint number = 0;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      g_autofree char *line = g_strndup (p, line_end - p);
      char *session_id = NULL;
      char *user_id = NULL;

      number++;
      p = newline != NULL ? newline + 1 : end;

      /* also drops the \r of a CRLF line end */
      g_strstrip (line);
      if (*line == '\0' || *line == '#')
        continue;

      if (first_content)
        {
          first_content = FALSE;
          if (is_csv_header (line))
            {
              csv = TRUE;
              continue;
            }
        }

      if (csv)
        {
          g_auto (GStrv) fields = split_csv_line (line);

          if (fields == NULL || g_strv_length (fields) < 2)
            {
              set_entry_error (
                  error, FALSE, number,
                  _ ("expected game_session_id,provider_user_id (two CSV fields)"));
              return NULL;
            }
          session_id = g_strdup (fields[0]);
          user_id = g_strdup (fields[1]);
        }
      else
        {
          guint separators = split_pair (line, &session_id, &user_id);

          if (separators == 0)
            {
              set_entry_error (error, FALSE, number,
                               _ ("expected SESSION_ID:USER_ID or SESSION_ID,USER_ID"));
              return NULL;
            }
          if (separators > 1)
            {
              set_entry_error (error, FALSE, number,
                               _ ("expected SESSION_ID:USER_ID or SESSION_ID,USER_ID, "
                                  "but the line has more than one “:” or “,” (ids "
                                  "containing them can be given as JSON)"));
              return NULL;
            }
        }

      if (!add_entry (entries, seen, session_id, user_id, number, FALSE, error))
        return NULL;
    }

  return g_steal_pointer (&entries);
}

static gboolean
get_json_id (JsonObject *object,
             const char *member,
             guint number,
             const char **value,
             GError **error)
{
  if (json_object_get_member (object, member) == NULL)
    {
      set_entry_error (error, TRUE, number, _ ("“%s” is missing"), member);
      return FALSE;
    }

  /* Also refuses the lone surrogates json-glib turns into invalid UTF-8. */
  if (!pw_json_get_string (object, member, TRUE, value, NULL))
    {
      set_entry_error (error, TRUE, number, _ ("“%s” is not a string of valid text"),
                       member);
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
parse_json (const char *text, gsize length, GError **error)
{
  g_autoptr (GPtrArray) entries = entry_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;
  guint n_elements;

  /* pw_json_parse() holds everything to the size of a server response;
   * that is still some 12,000 sessions. */
  if (length > PW_JSON_MAX_BYTES)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("A JSON session file can be at most %d MiB; use one "
                      "SESSION_ID:USER_ID per line for longer lists"),
                   PW_JSON_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  root = pw_json_parse (text, length, &local_error);
  if (root == NULL)
    {
      /* json-glib quotes the offending text, invalid UTF-8 included */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("Not a valid JSON session file: %s"), reason);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("A JSON session file must be an array of objects with "
                              "“game_session_id” and “provider_user_id”"));
      return NULL;
    }

  array = json_node_get_array (root);
  n_elements = json_array_get_length (array);

  for (guint i = 0; i < n_elements; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *session_id = NULL;
      const char *user_id = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_entry_error (
              error, TRUE, i + 1,
              _ ("expected an object with “game_session_id” and “provider_user_id”"));
          return NULL;
        }

      object = json_node_get_object (element);
      if (!get_json_id (object, "game_session_id", i + 1, &session_id, error) ||
          !get_json_id (object, "provider_user_id", i + 1, &user_id, error))
        return NULL;

      if (!add_entry (entries, seen, g_strdup (session_id), g_strdup (user_id), i + 1,
                      TRUE, error))
        return NULL;
    }

  return g_steal_pointer (&entries);
}

static const char *
skip_space (const char *p, const char *end)
{
  while (p < end && g_ascii_isspace (*p))
    p++;

  return p;
}

/* `[{`, `[[`, `["`, `[]`, `{"` or `{}`, whitespace allowed: a bare `[` or `{` would
 * also catch line files whose ids start with one, like "{3F2504E0-…}". A
 * JSON object is recognised too, so it gets a JSON error message. */
static gboolean
looks_like_json (const char *text, gsize length)
{
  const char *end = text + length;
  const char *p = skip_space (text, end);
  const char *next;

  if (p == end || (*p != '[' && *p != '{'))
    return FALSE;

  next = skip_space (p + 1, end);
  if (next == end)
    return TRUE;

  if (*p == '[')
    return strchr ("{[]\"", *next) != NULL;

  return *next == '"' || *next == '}';
}

/**
 * pw_session_file_parse:
 * @text: the file's contents, not necessarily nul-terminated
 * @length: the length of @text in bytes
 *
 * Reads a session file in any of the formats described above. An empty
 * file, or one with only comments, gives an empty array.
 *
 * Returns: (transfer container) (element-type PwSessionEntry): the sessions
 *   in file order, or %NULL with a %PW_ERROR_INVALID_ARGUMENT error whose
 *   message starts with the line ("line 3: …") or JSON entry ("entry 4: …")
 *   where the first problem is
 */
GPtrArray *
pw_session_file_parse (const char *text, gsize length, GError **error)
{
  const char *invalid;
  const char *nul;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > PW_SESSION_FILE_MAX_BYTES)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The session file is larger than %d MiB"),
                   PW_SESSION_FILE_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (length == 0)
    return entry_array_new ();

  nul = memchr (text, '\0', length);
  if (nul != NULL)
    {
      set_entry_error (error, FALSE, line_of (text, nul),
                       _ ("the file contains a NUL byte; is it a text file?"));
      return NULL;
    }

  if (!g_utf8_validate (text, length, &invalid))
    {
      set_entry_error (error, FALSE, line_of (text, invalid),
                       _ ("the text is not valid UTF-8"));
      return NULL;
    }

  /* Windows editors like to start UTF-8 files with one. */
  if (length >= strlen (UTF8_BOM) && memcmp (text, UTF8_BOM, strlen (UTF8_BOM)) == 0)
    {
      text += strlen (UTF8_BOM);
      length -= strlen (UTF8_BOM);
    }

  if (looks_like_json (text, length))
    return parse_json (text, length, error);

  return parse_lines (text, length, error);
}

static void
set_read_error (GError **error, const char *name, const GError *cause)
{
  const char *reason = cause->message;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _ ("no such file");
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    reason = _ ("permission denied");
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    reason = _ ("it is a folder");

  g_set_error (error, cause->domain, cause->code,
               _ ("Cannot read the session file “%s”: %s"), name, reason);
}

/**
 * pw_session_file_load:
 * @file: the session file
 * @cancellable: (nullable): a #GCancellable
 *
 * Reads @file, which may also be a pipe, and parses it with
 * pw_session_file_parse(). Reading stops past %PW_SESSION_FILE_MAX_BYTES.
 *
 * Returns: (transfer container) (element-type PwSessionEntry): the sessions,
 *   or %NULL with an error whose message names the file: a #GIOErrorEnum
 *   code when it cannot be read, %PW_ERROR_INVALID_ARGUMENT when its
 *   contents are wrong ("/path: line 3: …")
 */
GPtrArray *
pw_session_file_load (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GByteArray) contents = g_byte_array_new ();
  g_autofree char *name = NULL;
  GPtrArray *entries;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      set_read_error (error, name, local_error);
      return NULL;
    }

  /* Read in chunks up to one byte past the limit rather than asking for
   * the size first: `--from <(generate-sessions)` is a pipe, and
   * /dev/zero never ends. */
  for (;;)
    {
      guint8 buffer[64 * 1024];
      gsize n_read = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                    &n_read, cancellable, &local_error))
        {
          set_read_error (error, name, local_error);
          return NULL;
        }

      g_byte_array_append (contents, buffer, n_read);

      if (contents->len > PW_SESSION_FILE_MAX_BYTES)
        {
          g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                       _ ("The session file “%s” is larger than %d MiB"), name,
                       PW_SESSION_FILE_MAX_BYTES / (1024 * 1024));
          return NULL;
        }

      if (n_read < sizeof buffer)
        break;
    }

  entries =
      pw_session_file_parse ((const char *) contents->data, contents->len, &local_error);
  if (entries == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", name);
      return NULL;
    }

  return entries;
}

/**
 * pw_session_entry_parse_one:
 * @text: one `SESSION_ID:USER_ID` (or `SESSION_ID,USER_ID`), as given to
 *   `--track`
 * @session_id: (out) (transfer full): the session id
 * @user_id: (out) (transfer full): the user id
 *
 * Returns: %TRUE with both ids set, or %FALSE with a
 *   %PW_ERROR_INVALID_ARGUMENT error that quotes @text
 */
gboolean
pw_session_entry_parse_one (const char *text,
                            char **session_id,
                            char **user_id,
                            GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *parsed_session_id = NULL;
  g_autofree char *parsed_user_id = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  /* Valid, printable and not absurdly long in the message. */
  shown = pw_json_printable (trimmed, 80);

  if (split_pair (trimmed, &parsed_session_id, &parsed_user_id) != 1)
    {
      g_set_error (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("Expected SESSION_ID:USER_ID (one “:” or “,” between the ids), got “%s”"),
          shown);
      return FALSE;
    }

  if (!pw_identifier_is_valid (_ ("session id"), parsed_session_id, &local_error) ||
      !pw_identifier_is_valid (_ ("user id"), parsed_user_id, &local_error))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, _ ("“%s”: %s"), shown,
                   local_error->message);
      return FALSE;
    }

  *session_id = g_steal_pointer (&parsed_session_id);
  *user_id = g_steal_pointer (&parsed_user_id);

  return TRUE;
}
