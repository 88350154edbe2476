/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pw-base-url.h"
#include "pw-json.h"
#include "pw-state-file.h"

/* The tracked sessions and the event log, kept across restarts in
 * $XDG_STATE_HOME/playwave-monitor/state.json:
 *
 *   {"version": 1, "saved_at": "2024-05-01T12:00:00Z",
 *    "sessions": [{"session_id": …, "user_id": …, "state": "active", …}],
 *    "events": [… pw_event_log_to_json() …]}
 *
 * Saving writes a temporary file beside it, syncs it and renames it over the
 * old one, so a crash or power cut leaves the old file or the new one, never
 * half of one. Loading is all-or-nothing: a file that is not exactly what
 * this version writes (including one bad session) is moved aside
 * whole for a human to look at, and the app starts empty. Picking the good
 * entries out of a damaged file would restore a state nobody can vouch for,
 * and could send heartbeats for sessions that were ended long ago. */

#define STATE_DIR_NAME "playwave-monitor"
#define STATE_FILE_NAME "state.json"

PwSavedSession *
pw_saved_session_new (const char *session_id, const char *user_id)
{
  PwSavedSession *saved;

  g_return_val_if_fail (session_id != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  saved = g_new0 (PwSavedSession, 1);
  saved->session_id = g_strdup (session_id);
  saved->user_id = g_strdup (user_id);
  saved->state = PW_SESSION_STATE_PENDING;
  saved->server_play_sec = -1;
  saved->end_server_sec = -1;
  saved->end_client_sec = -1;

  return saved;
}

void
pw_saved_session_free (PwSavedSession *saved)
{
  if (saved == NULL)
    return;

  g_free (saved->session_id);
  g_free (saved->user_id);
  g_free (saved->connection);
  g_free (saved->last_result);
  g_free (saved->last_code);
  g_free (saved->last_request_id);
  g_free (saved);
}

/**
 * pw_saved_session_copy:
 *
 * Returns: (transfer full): a deep copy of @saved
 */
PwSavedSession *
pw_saved_session_copy (const PwSavedSession *saved)
{
  PwSavedSession *copy;

  g_return_val_if_fail (saved != NULL, NULL);

  copy = g_memdup2 (saved, sizeof *saved);
  copy->session_id = g_strdup (saved->session_id);
  copy->user_id = g_strdup (saved->user_id);
  copy->connection = g_strdup (saved->connection);
  copy->last_result = g_strdup (saved->last_result);
  copy->last_code = g_strdup (saved->last_code);
  copy->last_request_id = g_strdup (saved->last_request_id);

  return copy;
}

static GPtrArray *
saved_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
}

/* Saving
 *
 * Written straight into text, member by member: building a JsonNode per
 * session and field and then generating the text cost 40,000 instructions
 * and 1.4 KiB of short-lived allocations per session, and the window saves
 * every 2 s while heartbeats come in (docs/BENCHMARKS.md). The file is the
 * same JSON; pw_state_file_load() reads it with json-glib.
 *
 * And written out in pieces of SAVE_PIECE_BYTES, not made whole first: the
 * file of 10,000 sessions is about 4 MiB, and freeing a block that big
 * (mmapped by glibc) every 2 s made glibc raise its mmap threshold to it
 * and its trim threshold to twice that, so up to 8 MiB of freed heap was
 * never given back (13.5 MiB free but kept in the window with 10,000
 * sessions; BENCHMARKS.md). */

#define SAVE_PIECE_BYTES (64 * 1024)

/* Where the text goes: all of it kept in @out (@fd < 0), or written to @fd
 * whenever @out holds a piece. After a failed write, @error_errno is set
 * and the rest is dropped. */
typedef struct
{
  GString *out;
  int fd;
  int error_errno;
} StateWriter;

static void
writer_flush (StateWriter *writer, gboolean all)
{
  const char *p = writer->out->str;
  gsize left = writer->out->len;

  if (writer->fd < 0 || (!all && left < SAVE_PIECE_BYTES))
    return;

  while (left > 0 && writer->error_errno == 0)
    {
      gssize written = write (writer->fd, p, left);

      if (written > 0)
        {
          p += written;
          left -= (gsize) written;
        }
      else if (written == 0)
        writer->error_errno = EIO; /* no progress: never loop on it */
      else if (errno != EINTR)
        writer->error_errno = errno;
    }

  g_string_truncate (writer->out, 0);
}

static void
append_member (GString *out, const char *name)
{
  g_string_append_c (out, ',');
  pw_json_append_string (out, name);
  g_string_append_c (out, ':');
}

static void
append_string_member (GString *out, const char *name, const char *value)
{
  if (value == NULL)
    return;
  append_member (out, name);
  pw_json_append_string (out, value);
}

/* Six numbers per session: printf was a third of the save. */
static void
append_int_member (GString *out, const char *name, gint64 value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    *--p = '0' + magnitude % 10;
  while ((magnitude /= 10) != 0);
  if (value < 0)
    *--p = '-';

  append_member (out, name);
  g_string_append_len (out, p, digits + sizeof digits - p);
}

static void
append_boolean_member (GString *out, const char *name, gboolean value)
{
  append_member (out, name);
  g_string_append (out, value ? "true" : "false");
}

static void
append_saved_session (GString *out, const PwSavedSession *saved)
{
  g_string_append (out, "{\"session_id\":");
  pw_json_append_string (out, saved->session_id);
  append_string_member (out, "user_id", saved->user_id);
  append_string_member (out, "connection", saved->connection);
  append_string_member (out, "state", pw_session_state_to_string (saved->state));
  append_boolean_member (out, "paused", saved->paused);
  append_int_member (out, "tracked_since_real_us", saved->tracked_since_real_us);
  append_boolean_member (out, "tracked_from_start", saved->tracked_from_start);
  append_int_member (out, "last_success_real_us", saved->last_success_real_us);
  append_int_member (out, "server_play_sec", saved->server_play_sec);
  append_int_member (out, "last_status", saved->last_status);
  append_string_member (out, "last_result", saved->last_result);
  append_string_member (out, "last_code", saved->last_code);
  append_string_member (out, "last_request_id", saved->last_request_id);
  append_int_member (out, "end_server_sec", saved->end_server_sec);
  append_int_member (out, "end_client_sec", saved->end_client_sec);
  g_string_append_c (out, '}');
}

static void
write_state (StateWriter *writer, GPtrArray *saved_sessions, JsonNode *events)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *saved_at = g_date_time_format_iso8601 (now);
  GString *out = writer->out;

  g_string_append_printf (out, "{\"version\":%d", PW_STATE_FILE_VERSION);
  append_string_member (out, "saved_at", saved_at);
  append_member (out, "sessions");
  g_string_append_c (out, '[');
  for (guint i = 0; i < saved_sessions->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_saved_session (out, g_ptr_array_index (saved_sessions, i));
      writer_flush (writer, FALSE);
    }
  g_string_append_c (out, ']');

  /* One event at a time, so the pieces stay small here too; json-glib
   * writes an array as its elements joined by commas, so the text is the
   * same as the whole array's. */
  if (events != NULL)
    {
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      JsonArray *array = json_node_get_array (events);
      guint n = json_array_get_length (array);

      append_member (out, "events");
      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          json_generator_set_root (generator, json_array_get_element (array, i));
          json_generator_to_gstring (generator, out);
          writer_flush (writer, FALSE);
        }
      g_string_append_c (out, ']');
    }

  g_string_append_c (out, '}');
  writer_flush (writer, TRUE);
}

/**
 * pw_state_file_to_text:
 * @saved_sessions: (element-type PwSavedSession): the sessions to keep
 * @events: (nullable): the event log as pw_event_log_to_json() gives it
 *
 * What pw_state_file_save() writes, without writing it; for the fuzzer's
 * round trip and the tests.
 *
 * Compact: the file is for the app; pretty printing 10,000 sessions makes
 * it a third bigger and slower to write on every save.
 *
 * Returns: (transfer full): the file's text
 */
char *
pw_state_file_to_text (GPtrArray *saved_sessions, JsonNode *events)
{
  StateWriter writer = { g_string_sized_new (256 + 400 * saved_sessions->len), -1, 0 };

  write_state (&writer, saved_sessions, events);
  return g_string_free (writer.out, FALSE);
}

static void
set_save_error (GError **error, const char *path, GIOErrorEnum code, const char *reason)
{
  g_set_error (error, G_IO_ERROR, code, _ ("Cannot save the session state to “%s”: %s"),
               path, reason);
}

/**
 * pw_state_file_save:
 * @path: where to save, usually pw_state_file_default_path()
 * @saved_sessions: (element-type PwSavedSession): the sessions to keep
 * @events: (nullable): the event log as pw_event_log_to_json() gives it
 *
 * Replaces @path atomically, creating its folder (mode 0700) if needed. The
 * file is mode 0600: it holds session and user ids, though never a key.
 *
 * Returns: %TRUE on success, or %FALSE with a #GIOErrorEnum error whose
 *   message names @path; the old file is then untouched
 */
gboolean
pw_state_file_save (const char *path,
                    GPtrArray *saved_sessions,
                    JsonNode *events,
                    GError **error)
{
  StateWriter writer = { NULL, -1, 0 };
  g_autofree char *dir = NULL;
  g_autofree char *tmp_path = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (saved_sessions != NULL, FALSE);
  g_return_val_if_fail (events == NULL || JSON_NODE_HOLDS_ARRAY (events), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      set_save_error (error, path, g_io_error_from_errno (saved_errno),
                      g_strerror (saved_errno));
      return FALSE;
    }

  /* What g_file_set_contents_full() does with CONSISTENT | DURABLE, in
   * pieces: a temporary file beside @path, synced, then renamed over it,
   * so the name never points at half a file or at data still in the page
   * cache when the power goes. */
  tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  writer.fd = g_mkstemp (tmp_path); /* mode 0600 */
  if (writer.fd < 0)
    {
      int saved_errno = errno;

      set_save_error (error, path, g_io_error_from_errno (saved_errno),
                      g_strerror (saved_errno));
      return FALSE;
    }

  writer.out = g_string_sized_new (SAVE_PIECE_BYTES + 4096);
  write_state (&writer, saved_sessions, events);
  g_string_free (writer.out, TRUE);

  if (writer.error_errno == 0 && fsync (writer.fd) != 0)
    writer.error_errno = errno;
  if (close (writer.fd) != 0 && writer.error_errno == 0)
    writer.error_errno = errno;
  if (writer.error_errno == 0 && g_rename (tmp_path, path) != 0)
    writer.error_errno = errno;

  if (writer.error_errno != 0)
    {
      g_unlink (tmp_path);
      set_save_error (error, path, g_io_error_from_errno (writer.error_errno),
                      g_strerror (writer.error_errno));
      return FALSE;
    }

  return TRUE;
}

/* Loading */

/* The checks pw_json_parse() makes, without its 1 MiB cap for server
 * answers (10,000 sessions take about 4 MiB): json-glib 1.6 crashes on deep
 * nesting, embeds NULs for \u0000 and wraps integers past 64 bits
 * (PITFALLS.md), and reads comments and single-quoted strings that would
 * hide deep nesting from a simpler check. Strings are validated again when
 * read. */
static gboolean
check_json_text (const char *text, gsize length, GError **error)
{
  g_autofree char *excerpt = NULL;
  const char *reason = NULL;
  gsize offset = 0;

  if (length > 0 && memchr (text, '\0', length) != NULL)
    reason = _ ("contains NUL bytes");
  else
    switch (pw_json_scan_text (text, length, &offset))
      {
        case PW_JSON_TEXT_OK:
          return TRUE;
        case PW_JSON_TEXT_NUL:
          reason = _ ("a string contains a NUL character");
          break;
        case PW_JSON_TEXT_NOT_UTF8:
          reason = _ ("not valid UTF-8 text");
          break;
        case PW_JSON_TEXT_TOO_DEEP:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("nested deeper than %d levels"), PW_JSON_MAX_DEPTH);
          return FALSE;
        case PW_JSON_TEXT_BIG_INTEGER:
          reason = _ ("a number is too large");
          break;
        case PW_JSON_TEXT_BAD_SURROGATE:
        case PW_JSON_TEXT_NOT_JSON:
        default:
          excerpt = pw_json_excerpt (text, length, offset);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("not valid JSON: %s"), excerpt);
          return FALSE;
      }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, reason);
  return FALSE;
}

static void set_invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
set_invalid (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
}

/* The pw_json getters validate; their messages talk about server answers,
 * so the state file says what is wrong in its own words. */

static gboolean
read_string (JsonObject *object,
             const char *member,
             gboolean required,
             char **out_value,
             GError **error)
{
  const char *value = NULL;

  if (!pw_json_get_string (object, member, required, &value, NULL))
    {
      set_invalid (error, _ ("“%s” is missing or not valid text"), member);
      return FALSE;
    }

  *out_value = g_strdup (value);
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *member,
          gint64 min_value,
          gint64 max_value,
          gint64 *out_value,
          GError **error)
{
  if (!pw_json_get_int (object, member, FALSE, min_value, max_value, out_value, NULL))
    {
      set_invalid (error, _ ("“%s” is not a number in the expected range"), member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_boolean (JsonObject *object, const char *member, gboolean *out_value, GError **error)
{
  if (!pw_json_get_boolean (object, member, out_value, NULL))
    {
      set_invalid (error, _ ("“%s” is not true or false"), member);
      return FALSE;
    }

  return TRUE;
}

/* Optional members keep the defaults of pw_saved_session_new() when absent,
 * so a later 1.x can drop a field without making old files damaged. */
static PwSavedSession *
saved_session_from_json (JsonNode *node, GError **error)
{
  g_autoptr (PwSavedSession) saved = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *state = NULL;
  JsonObject *object;
  gint64 status = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _ ("not an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!read_string (object, "session_id", TRUE, &session_id, error) ||
      !read_string (object, "user_id", TRUE, &user_id, error))
    return NULL;

  if (!pw_identifier_is_valid (_ ("session id"), session_id, &local_error) ||
      !pw_identifier_is_valid (_ ("user id"), user_id, &local_error))
    {
      set_invalid (error, "%s", local_error->message);
      return NULL;
    }

  saved = pw_saved_session_new (session_id, user_id);

  if (!read_string (object, "state", TRUE, &state, error))
    return NULL;
  if (!pw_session_state_from_string (state, &saved->state))
    {
      set_invalid (error, _ ("unknown state “%s”"), state);
      return NULL;
    }

  if (!read_string (object, "connection", FALSE, &saved->connection, error) ||
      !read_boolean (object, "paused", &saved->paused, error) ||
      !read_int (object, "tracked_since_real_us", 0, G_MAXINT64,
                 &saved->tracked_since_real_us, error) ||
      !read_boolean (object, "tracked_from_start", &saved->tracked_from_start, error) ||
      !read_int (object, "last_success_real_us", 0, G_MAXINT64,
                 &saved->last_success_real_us, error) ||
      !read_int (object, "server_play_sec", -1, PW_SESSION_MAX_PLAY_SEC,
                 &saved->server_play_sec, error) ||
      !read_int (object, "last_status", 0, 999, &status, error) ||
      !read_string (object, "last_result", FALSE, &saved->last_result, error) ||
      !read_string (object, "last_code", FALSE, &saved->last_code, error) ||
      !read_string (object, "last_request_id", FALSE, &saved->last_request_id, error) ||
      !read_int (object, "end_server_sec", -1, PW_SESSION_MAX_PLAY_SEC,
                 &saved->end_server_sec, error) ||
      !read_int (object, "end_client_sec", -1, G_MAXINT64, &saved->end_client_sec, error))
    return NULL;

  saved->last_status = (guint) status;

  return g_steal_pointer (&saved);
}

/**
 * pw_state_file_parse:
 * @text: a state file's contents, not necessarily nul-terminated
 * @length: the length of @text in bytes
 * @out_sessions: (out) (transfer container) (element-type PwSavedSession):
 *   the saved sessions, set only on success
 * @out_events: (out) (transfer full) (nullable): the saved event log, a JSON
 *   array, or %NULL when there is none; set only on success
 *
 * The parsing half of pw_state_file_load(), on text in memory (the fuzzer
 * feeds it directly). All-or-nothing, like loading.
 *
 * Returns: %TRUE, or %FALSE with a %G_IO_ERROR_INVALID_DATA error saying
 *   what is wrong (without the file's name)
 */
gboolean
pw_state_file_parse (const char *text,
                     gsize length,
                     GPtrArray **out_sessions,
                     JsonNode **out_events,
                     GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GPtrArray) sessions = saved_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *version;
  JsonNode *member;
  JsonNode *events;
  JsonArray *array;
  const char *saved_at = NULL;
  guint n_sessions;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (out_sessions != NULL, FALSE);
  g_return_val_if_fail (out_events != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > PW_STATE_FILE_MAX_BYTES)
    {
      set_invalid (error, _ ("larger than %d MiB"),
                   PW_STATE_FILE_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }

  /* json-glib refuses a NULL text even when it is empty */
  if (text == NULL)
    text = "";

  if (!check_json_text (text, length, error))
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      /* json-glib quotes the offending text, invalid UTF-8 included */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      set_invalid (error, _ ("not valid JSON: %s"), reason);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_invalid (error, _ ("not a JSON object"));
      return FALSE;
    }
  object = json_node_get_object (root);

  /* A newer version's file is treated as damaged rather than misread: it
   * is moved aside intact, so going back to the newer version can use it. */
  version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != PW_STATE_FILE_VERSION)
    {
      set_invalid (error, _ ("not version %d of the format"), PW_STATE_FILE_VERSION);
      return FALSE;
    }

  if (!pw_json_get_string (object, "saved_at", FALSE, &saved_at, NULL))
    {
      set_invalid (error, _ ("“%s” is missing or not valid text"), "saved_at");
      return FALSE;
    }

  member = json_object_get_member (object, "sessions");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      set_invalid (error, _ ("“sessions” is missing or not an array"));
      return FALSE;
    }

  array = json_node_get_array (member);
  n_sessions = json_array_get_length (array);
  for (guint i = 0; i < n_sessions; i++)
    {
      PwSavedSession *saved;

      saved = saved_session_from_json (json_array_get_element (array, i), &local_error);
      if (saved == NULL)
        {
          set_invalid (error, _ ("session %u: %s"), i + 1, local_error->message);
          return FALSE;
        }
      g_ptr_array_add (sessions, saved);

      if (!g_hash_table_add (seen, saved->session_id))
        {
          set_invalid (error, _ ("session %u: “%s” is listed twice"), i + 1,
                       saved->session_id);
          return FALSE;
        }
    }

  /* The entries are the event log's business: pw_event_log_load_json()
   * skips the ones it cannot read rather than lose the rest of the log. */
  events = json_object_get_member (object, "events");
  if (events != NULL && JSON_NODE_HOLDS_NULL (events))
    events = NULL;
  if (events != NULL && !JSON_NODE_HOLDS_ARRAY (events))
    {
      set_invalid (error, _ ("“events” is not an array"));
      return FALSE;
    }

  *out_sessions = g_steal_pointer (&sessions);
  *out_events = events != NULL ? json_node_ref (events) : NULL;

  return TRUE;
}

/* Renames @path to PATH.damaged-YYYYMMDD-HHMMSS, adding -2, -3… when a file
 * of that name exists, so no earlier damaged file is ever overwritten. */
static char *
move_aside (const char *path, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autoptr (GFile) source = g_file_new_for_path (path);

  for (guint n = 1; n <= 1000; n++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GFile) target = NULL;
      g_autofree char *target_path = NULL;

      if (n == 1)
        target_path = g_strdup_printf ("%s.damaged-%s", path, stamp);
      else
        target_path = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);

      target = g_file_new_for_path (target_path);
      if (g_file_move (source, target, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL,
                       &local_error))
        return g_steal_pointer (&target_path);

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _ ("too many damaged state files with the same time"));
  return NULL;
}

static void
set_read_error (GError **error, const char *path, const GError *cause)
{
  g_set_error (error, cause->domain, cause->code,
               _ ("Cannot read the saved session state “%s”: %s"), path, cause->message);
}

/* A crash between creating the temporary file and the rename leaves
 * PATH.XXXXXX behind (the name g_file_set_contents_full() gives it). Only
 * one instance writes the state, and loading happens before it does, so any
 * such file found here is garbage. */
static void
remove_stale_temp_files (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  gsize base_length = strlen (base);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stale = NULL;
      gboolean temporary;

      temporary = strlen (name) == base_length + 7 &&
                  strncmp (name, base, base_length) == 0 && name[base_length] == '.';
      for (gsize i = base_length + 1; temporary && i < base_length + 7; i++)
        temporary = g_ascii_isalnum (name[i]);

      if (!temporary)
        continue;

      stale = g_build_filename (dir_path, name, NULL);
      if (g_remove (stale) != 0)
        g_debug ("Cannot remove %s: %s", stale, g_strerror (errno));
    }
}

/**
 * pw_state_file_load:
 * @path: the state file, usually pw_state_file_default_path()
 * @saved_sessions: (out) (transfer container) (element-type PwSavedSession):
 *   the saved sessions; set in every case, empty unless %TRUE is returned
 * @events: (out) (optional) (nullable) (transfer full): the saved event log
 *   (a JSON array) for pw_event_log_load_json(), which skips entries it
 *   cannot read; %NULL unless %TRUE is returned and the file had events
 * @moved_aside_path: (out) (optional) (nullable) (transfer full): where a
 *   damaged file was moved, else %NULL
 *
 * Reads what pw_state_file_save() wrote. The outcomes:
 *
 * - the file does not exist (first start): %TRUE, no sessions, no events;
 * - the file is fine: %TRUE with its contents;
 * - the file is damaged: not JSON, truncated, not version 1, a member of
 *   the wrong type, any invalid session, a session listed twice, "events"
 *   not an array,
 *   nesting deeper than %PW_JSON_MAX_DEPTH, NUL bytes, bigger than
 *   %PW_STATE_FILE_MAX_BYTES. It is renamed to
 *   `PATH.damaged-YYYYMMDD-HHMMSS` (local time, `-2`, `-3`… added if that
 *   exists), @moved_aside_path is set and %FALSE is returned with a
 *   %G_IO_ERROR_INVALID_DATA error saying what is wrong and where the file
 *   went. If even the rename fails, the message says so and
 *   @moved_aside_path stays %NULL; the next save then replaces the file.
 * - the file exists but cannot be read (permissions, a folder, an I/O
 *   error): %FALSE with that #GIOErrorEnum error; the file is left alone,
 *   since nothing says it is damaged.
 *
 * Temporary files left by a save that was killed half-way are removed.
 *
 * Whenever %FALSE is returned the caller reports the error and starts anyway
 * with the empty @saved_sessions. Loading is all-or-nothing: one invalid
 * entry makes the whole file damaged.
 *
 * Returns: %TRUE if the state was read or there was none
 */
gboolean
pw_state_file_load (const char *path,
                    GPtrArray **saved_sessions,
                    JsonNode **events,
                    char **moved_aside_path,
                    GError **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GError) damage = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (JsonNode) loaded_events = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (saved_sessions != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *saved_sessions = saved_array_new ();
  if (events != NULL)
    *events = NULL;
  if (moved_aside_path != NULL)
    *moved_aside_path = NULL;

  remove_stale_temp_files (path);
  file = g_file_new_for_path (path);

  /* Check the size before reading, so a runaway file is not slurped into
   * memory first. */
  info = g_file_query_info (
      file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
      G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;

      set_read_error (error, path, local_error);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _ ("Cannot read the saved session state “%s”: it is a folder"), path);
      return FALSE;
    }

  if (g_file_info_get_size (info) > PW_STATE_FILE_MAX_BYTES)
    set_invalid (&damage, _ ("larger than %d MiB"),
                 PW_STATE_FILE_MAX_BYTES / (1024 * 1024));
  else if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;

      set_read_error (error, path, local_error);
      return FALSE;
    }
  else if (pw_state_file_parse (contents, length, &sessions, &loaded_events, &damage))
    {
      g_ptr_array_unref (*saved_sessions);
      *saved_sessions = g_steal_pointer (&sessions);
      if (events != NULL)
        *events = g_steal_pointer (&loaded_events);
      return TRUE;
    }

  g_clear_error (&local_error);
  aside = move_aside (path, &local_error);
  if (aside == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("The saved session state “%s” is damaged (%s) and could not be "
                      "moved aside: %s"),
                   path, damage->message, local_error->message);
      return FALSE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _ ("The saved session state “%s” is damaged (%s); it was moved to “%s”"),
               path, damage->message, aside);

  if (moved_aside_path != NULL)
    *moved_aside_path = g_steal_pointer (&aside);

  return FALSE;
}

/**
 * pw_state_file_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/playwave-monitor/state.json`;
 *   inside the Flatpak sandbox that is the app's own state folder
 */
char *
pw_state_file_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), STATE_DIR_NAME, STATE_FILE_NAME,
                           NULL);
}
