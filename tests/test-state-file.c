/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pw-event-log.h"
#include "pw-format.h"
#include "pw-json.h"
#include "pw-state-file.h"
#include "pw-state-saver.h"

/* The state file on a real file system: what survives a restart, what
 * happens to a damaged file, and the saver that keeps heartbeats from
 * rewriting it all the time. Each test works in its own temporary folder. */

typedef struct
{
  char *dir;
  char *path; /* DIR/nested/state.json: saving creates the folder */
} Fixture;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) &&
      !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    g_assert_cmpint (g_remove (path), ==, 0);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pw-state-file-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "nested", "state.json", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static guint
count_files (const char *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);

  return contents;
}

static void
write_file (const char *path, const char *contents, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

static GPtrArray *
make_sessions (void)
{
  GPtrArray *sessions =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  PwSavedSession *saved;

  saved = pw_saved_session_new ("sess-1", "user-1");
  saved->connection = g_strdup ("Staging");
  saved->state = PW_SESSION_STATE_ACTIVE;
  saved->paused = TRUE;
  saved->tracked_since_real_us = G_GINT64_CONSTANT (1714564800123456);
  saved->tracked_from_start = TRUE;
  saved->last_success_real_us = G_GINT64_CONSTANT (1714564920654321);
  saved->server_play_sec = 120;
  saved->last_status = 200;
  saved->last_result = g_strdup ("OK");
  saved->last_request_id = g_strdup ("req-0001");
  g_ptr_array_add (sessions, saved);

  /* unicode ids, an error answer, the end durations */
  saved = pw_saved_session_new ("세션-２-ß", "사용자-😀");
  saved->state = PW_SESSION_STATE_ENDED;
  saved->tracked_since_real_us = 1;
  saved->last_status = 409;
  saved->last_code = g_strdup ("ALREADY_ENDED");
  saved->last_request_id = g_strdup ("req-ü");
  saved->end_server_sec = 3600;
  saved->end_client_sec = 3598;
  g_ptr_array_add (sessions, saved);

  /* the defaults: nothing known yet */
  saved = pw_saved_session_new ("sess-3", "user-3");
  g_ptr_array_add (sessions, saved);

  return sessions;
}

static void
assert_saved_equal (const PwSavedSession *a, const PwSavedSession *b)
{
  g_assert_cmpstr (a->session_id, ==, b->session_id);
  g_assert_cmpstr (a->user_id, ==, b->user_id);
  g_assert_cmpstr (a->connection, ==, b->connection);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpint (a->paused, ==, b->paused);
  g_assert_cmpint (a->tracked_since_real_us, ==, b->tracked_since_real_us);
  g_assert_cmpint (a->tracked_from_start, ==, b->tracked_from_start);
  g_assert_cmpint (a->last_success_real_us, ==, b->last_success_real_us);
  g_assert_cmpint (a->server_play_sec, ==, b->server_play_sec);
  g_assert_cmpuint (a->last_status, ==, b->last_status);
  g_assert_cmpstr (a->last_result, ==, b->last_result);
  g_assert_cmpstr (a->last_code, ==, b->last_code);
  g_assert_cmpstr (a->last_request_id, ==, b->last_request_id);
  g_assert_cmpint (a->end_server_sec, ==, b->end_server_sec);
  g_assert_cmpint (a->end_client_sec, ==, b->end_client_sec);
}

/* What pw_event_log_to_json() returns: an array of pw_event_to_json(). */
static JsonNode *
make_events (guint n_events)
{
  JsonArray *array = json_array_sized_new (n_events);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < n_events; i++)
    {
      g_autofree char *session_id = g_strdup_printf ("세션-%u", i);
      g_autoptr (PwEvent) event = NULL;

      event = pw_event_new (G_GINT64_CONSTANT (1714564800000000) + i, session_id, "user",
                            i % 2 ? PW_EVENT_SESSION_ENDED : PW_EVENT_CHARGE_EXHAUSTED,
                            i % 2 ? 410 : 200, i % 2 ? "SESSION_ENDED" : NULL, "req-1",
                            "the launcher went silent");
      json_array_add_element (array, pw_event_to_json (event));
    }

  json_node_take_array (node, array);
  return node;
}

static void
assert_json_equal (JsonNode *a, JsonNode *b)
{
  g_autofree char *a_text = pw_json_to_string (a, FALSE);
  g_autofree char *b_text = pw_json_to_string (b, FALSE);

  g_assert_cmpstr (a_text, ==, b_text);
}

static void
test_round_trip (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = make_sessions ();
  g_autoptr (JsonNode) events = make_events (4);
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) loaded_events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  GStatBuf buf;

  g_assert_true (pw_state_file_save (fixture->path, sessions, events, &error));
  g_assert_no_error (error);

  /* private: ids are no secret, but nobody else needs them */
  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);

  g_assert_true (
      pw_state_file_load (fixture->path, &loaded, &loaded_events, &moved, &error));
  g_assert_no_error (error);
  g_assert_null (moved);
  g_assert_cmpuint (loaded->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_saved_equal (g_ptr_array_index (sessions, i), g_ptr_array_index (loaded, i));
  g_assert_nonnull (loaded_events);
  assert_json_equal (events, loaded_events);

  /* saving again replaces the file and leaves nothing else behind */
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_clear_pointer (&loaded_events, json_node_unref);
  g_ptr_array_remove_index (sessions, 0);
  g_assert_true (pw_state_file_save (fixture->path, sessions, NULL, &error));
  g_assert_true (
      pw_state_file_load (fixture->path, &loaded, &loaded_events, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  assert_saved_equal (g_ptr_array_index (sessions, 0), g_ptr_array_index (loaded, 0));
  g_assert_null (loaded_events);
  g_assert_cmpuint (count_files (dir), ==, 1);
}

static void
test_event_log_round_trip (Fixture *fixture, gconstpointer data)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  g_autoptr (PwEventLog) restored = pw_event_log_new (PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  g_autoptr (GPtrArray) sessions = make_sessions ();
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (JsonNode) loaded_events = NULL;
  g_autoptr (JsonNode) restored_events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PwEvent) first = NULL;
  g_autoptr (PwEvent) second = NULL;

  first = pw_event_new (1714564800000000, "sess-1", "user-1", PW_EVENT_CHARGE_EXHAUSTED,
                        200, NULL, "req-1", "out of charge");
  second =
      pw_event_new (1714564900000000, "세션-２-ß", "사용자-😀", PW_EVENT_SESSION_ENDED,
                    410, "SESSION_ENDED", "req-2", "launcher silent");
  pw_event_log_add (log, first);
  pw_event_log_add (log, second);
  events = pw_event_log_to_json (log);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (events)), ==, 2);

  g_assert_true (pw_state_file_save (fixture->path, sessions, events, &error));
  g_assert_no_error (error);
  g_assert_true (
      pw_state_file_load (fixture->path, &loaded, &loaded_events, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (pw_event_log_load_json (restored, loaded_events, &error));
  g_assert_no_error (error);
  restored_events = pw_event_log_to_json (restored);
  assert_json_equal (events, restored_events);
}

static void
test_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  char *moved = NULL;

  g_assert_true (pw_state_file_load (fixture->path, &loaded, &events, &moved, &error));
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 0);
  g_assert_null (events);
  g_assert_null (moved);
}

static void
test_stale_temp_files (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = make_sessions ();
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *stale = g_strconcat (fixture->path, ".Xy12Z9", NULL);
  g_autofree char *damaged =
      g_strconcat (fixture->path, ".damaged-20240501-120000", NULL);
  g_autofree char *other = g_build_filename (dir, "notes.Xy12Z9", NULL);

  /* what a save killed between creating its temporary file and the rename
   * leaves behind; files with other names are not ours to remove */
  g_assert_true (pw_state_file_save (fixture->path, sessions, NULL, &error));
  write_file (stale, "{\"version\": 1, \"sess", 20);
  write_file (damaged, "x", 1);
  write_file (other, "x", 1);

  g_assert_true (pw_state_file_load (fixture->path, &loaded, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (damaged, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

/* Loads a damaged file and checks it was moved aside intact. Returns
 * where it went. */
static char *
assert_damaged (Fixture *fixture, const char *contents, gsize length, const char *reason)
{
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) pattern = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_contents = NULL;
  g_autofree char *moved_name = NULL;
  gsize moved_length = 0;

  write_file (fixture->path, contents, length);

  g_assert_false (pw_state_file_load (fixture->path, &loaded, &events, &moved, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, reason) == NULL)
    g_error ("expected “…%s…”, got “%s”", reason, error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_test_message ("%s", error->message);

  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 0);
  g_assert_null (events);

  g_assert_nonnull (moved);
  g_assert_nonnull (strstr (error->message, moved));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  moved_name = g_path_get_basename (moved);
  pattern =
      g_regex_new ("^state\\.json\\.damaged-[0-9]{8}-[0-9]{6}(-[0-9]+)?$", 0, 0, NULL);
  if (!g_regex_match (pattern, moved_name, 0, NULL))
    g_error ("unexpected name “%s”", moved_name);

  moved_contents = read_file (moved, &moved_length);
  g_assert_cmpmem (moved_contents, moved_length, contents, length);

  return g_steal_pointer (&moved);
}

static void
assert_damaged_text (Fixture *fixture, const char *contents, const char *reason)
{
  g_autofree char *moved = assert_damaged (fixture, contents, strlen (contents), reason);

  g_assert_cmpint (g_remove (moved), ==, 0);
}

#define SESSION_START "{\"version\": 1, \"sessions\": [{"
#define VALID_SESSION "\"session_id\": \"s\", \"user_id\": \"u\", \"state\": \"active\""

static void
test_damaged (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = make_sessions ();
  g_autoptr (JsonNode) events = make_events (3);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) deep = g_string_new ("{\"version\": 1, \"sessions\": ");
  g_autofree char *valid = NULL;
  g_autofree char *long_id = g_strnfill (300, 'x');
  g_autofree char *long_entry = NULL;
  g_autofree char *moved = NULL;
  gsize valid_length = 0;

  assert_damaged_text (fixture, "garbage, not JSON", "not valid JSON");
  assert_damaged_text (fixture, "", "not a JSON object");
  assert_damaged_text (fixture, "[]", "not a JSON object");
  assert_damaged_text (fixture, "{\"version\": 2}", "not version 1");
  assert_damaged_text (fixture, "{\"version\": \"1\", \"sessions\": []}",
                       "not version 1");
  assert_damaged_text (fixture, "{\"sessions\": []}", "not version 1");
  assert_damaged_text (fixture, "{\"version\": 1}", "“sessions” is missing");
  assert_damaged_text (fixture, "{\"version\": 1, \"sessions\": {}}",
                       "“sessions” is missing");
  assert_damaged_text (fixture, "{\"version\": 1, \"saved_at\": 5, \"sessions\": []}",
                       "“saved_at”");

  /* half of a valid file, as a crash without the atomic rename leaves it */
  g_assert_true (pw_state_file_save (fixture->path, sessions, events, &error));
  g_assert_no_error (error);
  valid = read_file (fixture->path, &valid_length);
  moved = assert_damaged (fixture, valid, valid_length / 2, "not valid JSON");
  g_assert_cmpint (g_remove (moved), ==, 0);
  g_clear_pointer (&moved, g_free);

  /* NUL bytes in an otherwise valid file */
  valid[valid_length / 3] = '\0';
  valid[valid_length / 2] = '\0';
  moved = assert_damaged (fixture, valid, valid_length, "NUL");
  g_assert_cmpint (g_remove (moved), ==, 0);
  g_clear_pointer (&moved, g_free);

  /* json-glib 1.6 crashes on this without the depth check */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  moved = assert_damaged (fixture, deep->str, deep->len, "nested deeper than");
  g_assert_cmpint (g_remove (moved), ==, 0);
  g_clear_pointer (&moved, g_free);

  /* ...and on this: json-glib reads comments, and a double quote inside
   * one hid the nesting from the old bracket counter (found while writing
   * the fuzzers; fuzz/corpus/state-file has it) */
  g_string_truncate (deep, 0);
  g_string_append (deep, "{\"version\": 1, /* \" */ \"sessions\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "/* \" */}");
  moved = assert_damaged (fixture, deep->str, deep->len, "not valid JSON");
  g_assert_cmpint (g_remove (moved), ==, 0);
  assert_damaged_text (fixture, "{'version': 1, 'sessions': []}", "not valid JSON");
  assert_damaged_text (fixture, "{\"version\": 0x1, \"sessions\": []}", "not valid JSON");

  /* entries of the wrong type or value */
  assert_damaged_text (fixture, "{\"version\": 1, \"sessions\": [5]}",
                       "session 1: not an object");
  assert_damaged_text (fixture, SESSION_START VALID_SESSION ", \"paused\": \"yes\"}]}",
                       "session 1: “paused” is not true or false");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION "}, {\"session_id\": 7, "
                                                   "\"user_id\": \"u\", \"state\": "
                                                   "\"active\"}]}",
                       "session 2: “session_id” is missing or not valid text");
  assert_damaged_text (fixture,
                       SESSION_START "\"session_id\": \"s\", \"state\": \"active\"}]}",
                       "session 1: “user_id”");
  assert_damaged_text (fixture,
                       SESSION_START "\"session_id\": \"s\", \"user_id\": \"u\"}]}",
                       "session 1: “state”");
  assert_damaged_text (fixture,
                       SESSION_START "\"session_id\": \"s\", \"user_id\": \"u\", "
                                     "\"state\": \"zombie\"}]}",
                       "session 1: unknown state “zombie”");
  assert_damaged_text (fixture, SESSION_START VALID_SESSION ", \"last_status\": 1000}]}",
                       "“last_status” is not a number in the expected range");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION ", \"server_play_sec\": -2}]}",
                       "“server_play_sec”");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION ", \"tracked_since_real_us\": 1.5}]}",
                       "“tracked_since_real_us”");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION
                       ", \"last_success_real_us\": 18446744073709551615}]}",
                       "a number is too large");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION ", \"last_code\": \"a\\u0000b\"}]}",
                       "NUL character");
  assert_damaged_text (fixture,
                       SESSION_START VALID_SESSION ", \"last_code\": \"a\\ud800b\"}]}",
                       "not valid JSON: “\"a\\ud800b\"");
  assert_damaged_text (fixture,
                       SESSION_START "\"session_id\": \"s\\t\", \"user_id\": \"u\", "
                                     "\"state\": \"active\"}]}",
                       "session 1: The session id contains control characters");
  long_entry = g_strdup_printf (SESSION_START "\"session_id\": \"%s\", \"user_id\": "
                                              "\"u\", \"state\": \"active\"}]}",
                                long_id);
  assert_damaged_text (fixture, long_entry, "session 1: The session id is too long");
  assert_damaged_text (fixture, SESSION_START VALID_SESSION "}, {" VALID_SESSION "}]}",
                       "session 2: “s” is listed twice");
  assert_damaged_text (fixture, SESSION_START VALID_SESSION "}], \"events\": {}}",
                       "“events” is not an array");
}

static void
test_damaged_name_taken (Fixture *fixture, gconstpointer data)
{
  /* A second damaged file in the same second gets -2, a third -3: earlier
   * ones are never overwritten. The clock may tick between taking the
   * stamp here and in the loader, so try until both agree. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *first = g_strdup_printf ("%s.damaged-%s", fixture->path, stamp);
      g_autofree char *second = g_strconcat (first, "-2", NULL);
      g_autofree char *expected = g_strconcat (first, "-3", NULL);
      g_autofree char *moved = NULL;

      write_file (first, "old 1", 5);
      write_file (second, "old 2", 5);

      moved = assert_damaged (fixture, "new", 3, "not valid JSON");
      if (g_str_equal (moved, expected))
        {
          g_autofree char *contents = read_file (first, NULL);

          g_assert_cmpstr (contents, ==, "old 1");
          return;
        }

      g_test_message ("the second changed under the test (%s), again", moved);
      g_assert_cmpint (g_remove (moved), ==, 0);
      g_assert_cmpint (g_remove (first), ==, 0);
      g_assert_cmpint (g_remove (second), ==, 0);
    }

  g_assert_not_reached ();
}

static void
test_too_large (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;
  GStatBuf buf;
  FILE *stream;

  write_file (fixture->path, "", 0);

  /* sparse: no disk used, and the loader must not read it */
  stream = g_fopen (fixture->path, "w");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, PW_STATE_FILE_MAX_BYTES, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('}', stream), ==, '}');
  g_assert_cmpint (fclose (stream), ==, 0);

  g_assert_false (pw_state_file_load (fixture->path, &loaded, NULL, &moved, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "larger than 64 MiB"));
  g_assert_cmpuint (loaded->len, ==, 0);
  g_assert_nonnull (moved);
  g_assert_cmpint (g_stat (moved, &buf), ==, 0);
  g_assert_cmpint (buf.st_size, ==, PW_STATE_FILE_MAX_BYTES + 1);
}

static void
test_unwritable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = make_sessions ();
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "sub", "state.json", NULL);
  g_autofree char *folder_path = g_build_filename (fixture->dir, "folder", NULL);
  char *moved = NULL;

  /* A path under a regular file cannot be created, even by root (for whom
   * a read-only folder is no obstacle). */
  write_file (blocker, "not a folder", 12);

  g_assert_false (pw_state_file_save (path, sessions, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nothing there to be damaged: an error, the caller starts empty. */
  g_assert_false (pw_state_file_load (path, &loaded, NULL, &moved, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (loaded->len, ==, 0);
  g_assert_null (moved);
  g_clear_error (&error);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* A folder where the file should be is left alone too. */
  g_assert_cmpint (g_mkdir (folder_path, 0700), ==, 0);
  g_assert_false (pw_state_file_load (folder_path, &loaded, NULL, &moved, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_null (moved);
  g_assert_true (g_file_test (folder_path, G_FILE_TEST_IS_DIR));
  g_clear_error (&error);

  g_assert_false (pw_state_file_save (folder_path, sessions, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, folder_path));
  g_test_message ("%s", error->message);

  /* The rename failed after the text was written: its temporary file is
   * gone, the folder is untouched. */
  {
    g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_true (g_str_equal (name, "blocker") || g_str_equal (name, "folder"));
  }
  g_assert_true (g_file_test (folder_path, G_FILE_TEST_IS_DIR));
}

static GPtrArray *
make_many_sessions (guint n_sessions)
{
  GPtrArray *sessions =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);

  for (guint i = 0; i < n_sessions; i++)
    {
      g_autofree char *session_id = g_strdup_printf ("session-%08u-5f2c9e", i);
      g_autofree char *user_id = g_strdup_printf ("user-%u", i % 977);
      PwSavedSession *saved = pw_saved_session_new (session_id, user_id);

      saved->connection = g_strdup ("Production");
      saved->state = PW_SESSION_STATE_ACTIVE;
      saved->tracked_since_real_us = G_GINT64_CONSTANT (1714564800000000) + i;
      saved->tracked_from_start = TRUE;
      saved->last_success_real_us = G_GINT64_CONSTANT (1714568400000000) + i;
      saved->server_play_sec = 3600 + i % 60;
      saved->last_status = 200;
      saved->last_result = g_strdup ("OK");
      saved->last_request_id = g_strdup_printf ("req-%08x-%08x", i, i * 2654435761u);
      g_ptr_array_add (sessions, saved);
    }

  return sessions;
}

/* The child of test_kill_safety: saves two states in turn until it is
 * killed. Sizes of the same order, so it dies in either. */
static void
save_forever (const char *path)
{
  g_autoptr (GPtrArray) small = make_many_sessions (1000);
  g_autoptr (GPtrArray) big = make_many_sessions (2000);

  for (guint i = 0;; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!pw_state_file_save (path, i % 2 ? big : small, NULL, &error))
        g_error ("%s", error->message);
    }
}

static void
test_kill_safety (Fixture *fixture, gconstpointer data)
{
  const char *child_path = g_getenv ("PW_TEST_STATE_PATH");
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      /* killed before the tear-down can remove it */
      g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
      save_forever (child_path);
      return;
    }

  dir = g_path_get_dirname (fixture->path);
  g_setenv ("PW_TEST_STATE_PATH", fixture->path, TRUE);

  /* An old state to start from: on a busy machine the child may be killed
   * before its first save is through, and that must leave this one. */
  {
    g_autoptr (GPtrArray) old = make_many_sessions (1000);
    g_autoptr (GError) error = NULL;

    g_assert_true (pw_state_file_save (fixture->path, old, NULL, &error));
    g_assert_no_error (error);
  }

  /* Kill the writer at a few different points of its save loop: the file
   * must always be the old or the new state, never a mix. */
  for (guint round = 0; round < 6; round++)
    {
      g_autoptr (GPtrArray) loaded = NULL;
      g_autoptr (GError) error = NULL;
      char *moved = NULL;
      guint before;

      g_test_trap_subprocess (NULL, (150 + 23 * round) * 1000, G_TEST_SUBPROCESS_DEFAULT);
      g_assert_false (g_test_trap_has_passed ());
      g_test_trap_assert_stderr_unmatched ("*ERROR*");

      before = count_files (dir);
      g_assert_true (pw_state_file_load (fixture->path, &loaded, NULL, &moved, &error));
      g_assert_no_error (error);
      g_assert_null (moved);
      g_assert_true (loaded->len == 1000 || loaded->len == 2000);
      g_test_message ("killed: %u sessions in the file, %u temporary file(s) removed",
                      loaded->len, before - 1);

      /* the temporary file of the interrupted save is cleaned up */
      g_assert_cmpuint (count_files (dir), ==, 1);
    }

  g_unsetenv ("PW_TEST_STATE_PATH");
}

static void
test_big (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = make_many_sessions (10000);
  g_autoptr (JsonNode) events = make_events (5000);
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) loaded_events = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf buf;
  gint64 start;
  gint64 saved_us;

  start = g_get_monotonic_time ();
  g_assert_true (pw_state_file_save (fixture->path, sessions, events, &error));
  saved_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  g_assert_true (
      pw_state_file_load (fixture->path, &loaded, &loaded_events, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_test_message ("10,000 sessions + 5,000 events: %.1f MiB, saved in %.1f ms "
                  "(fsync included), loaded in %.1f ms",
                  buf.st_size / (1024.0 * 1024.0), saved_us / 1000.0,
                  (g_get_monotonic_time () - start) / 1000.0);

  g_assert_cmpuint (loaded->len, ==, 10000);
  assert_saved_equal (g_ptr_array_index (sessions, 9999),
                      g_ptr_array_index (loaded, 9999));

  /* Written in 64 KiB pieces, the file is exactly the text made whole
   * (but for the time it was saved at), and nothing else is left beside it. */
  {
    g_autofree char *written = NULL;
    g_autofree char *text = pw_state_file_to_text (sessions, events);
    g_autofree char *folder = g_path_get_dirname (fixture->path);
    g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
    gsize length;

    g_assert_true (g_file_get_contents (fixture->path, &written, &length, NULL));
    g_assert_cmpuint (length, ==, strlen (text));
    g_assert_cmpstr (strstr (written, ",\"sessions\":"), ==,
                     strstr (text, ",\"sessions\":"));
    g_assert_cmpstr (g_dir_read_name (dir), ==, "state.json");
    g_assert_null (g_dir_read_name (dir));
  }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (loaded_events)), ==,
                    5000);
}

static void
test_default_path (void)
{
  g_autofree char *path = pw_state_file_default_path ();
  g_autofree char *expected =
      g_build_filename (g_get_user_state_dir (), "playwave-monitor", "state.json", NULL);

  g_assert_cmpstr (path, ==, expected);
}

/* PwStateSaver */

typedef struct
{
  guint n_collects;
  guint n_failures;
  char *failure;
} SaverData;

static void
collect_cb (GPtrArray **saved_sessions, JsonNode **events, gpointer user_data)
{
  SaverData *data = user_data;

  data->n_collects++;
  *saved_sessions = make_sessions ();
  *events = make_events (2);
}

static void
save_failed_cb (PwStateSaver *saver, const char *message, SaverData *data)
{
  data->n_failures++;
  g_free (data->failure);
  data->failure = g_strdup (message);
}

static void
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_saver_new_destroy (Fixture *fixture, gconstpointer data)
{
  SaverData saver_data = { 0 };
  PwStateSaver *saver = pw_state_saver_new (fixture->path, 2000, collect_cb, &saver_data);

  g_assert_cmpstr (pw_state_saver_get_path (saver), ==, fixture->path);
  g_assert_false (pw_state_saver_get_dirty (saver));
  g_assert_null (pw_state_saver_get_last_error (saver));
  g_assert_finalize_object (saver);

  /* a pending save dies with the saver: nothing runs afterwards */
  saver = pw_state_saver_new (fixture->path, 20, collect_cb, &saver_data);
  pw_state_saver_mark_dirty (saver);
  g_assert_finalize_object (saver);
  spin_for (60);
  g_assert_cmpuint (saver_data.n_collects, ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_saver_debounce (Fixture *fixture, gconstpointer data)
{
  SaverData saver_data = { 0 };
  g_autoptr (PwStateSaver) saver = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  saver = pw_state_saver_new (fixture->path, 50, collect_cb, &saver_data);

  for (guint i = 0; i < 1000; i++)
    pw_state_saver_mark_dirty (saver);

  g_assert_cmpuint (saver_data.n_collects, ==, 0);
  g_assert_true (pw_state_saver_get_dirty (saver));

  while (saver_data.n_collects == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_assert_cmpuint (saver_data.n_collects, ==, 1);
  g_assert_false (pw_state_saver_get_dirty (saver));
  g_assert_true (pw_state_file_load (fixture->path, &loaded, NULL, NULL, &error));
  g_assert_cmpuint (loaded->len, ==, 3);

  /* nothing more without changes */
  spin_for (150);
  g_assert_cmpuint (saver_data.n_collects, ==, 1);

  /* a later change gets its own save */
  pw_state_saver_mark_dirty (saver);
  pw_state_saver_mark_dirty (saver);
  spin_for (150);
  g_assert_cmpuint (saver_data.n_collects, ==, 2);
}

static void
test_saver_flush (Fixture *fixture, gconstpointer data)
{
  SaverData saver_data = { 0 };
  PwStateSaver *saver =
      pw_state_saver_new (fixture->path, 60000, collect_cb, &saver_data);
  g_autoptr (GError) error = NULL;

  /* nothing to save */
  g_assert_true (pw_state_saver_flush (saver, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (saver_data.n_collects, ==, 0);

  pw_state_saver_mark_dirty (saver);
  g_assert_true (pw_state_saver_flush (saver, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (saver_data.n_collects, ==, 1);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (pw_state_saver_get_dirty (saver));

  g_assert_true (pw_state_saver_flush (saver, &error));
  g_assert_cmpuint (saver_data.n_collects, ==, 1);

  /* the flush cancelled the scheduled save */
  g_assert_finalize_object (saver);
}

static void
notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_saver_failure (Fixture *fixture, gconstpointer data)
{
  SaverData saver_data = { 0 };
  g_autoptr (PwStateSaver) saver = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "state.json", NULL);
  guint n_notifies = 0;

  write_file (blocker, "x", 1);

  saver = pw_state_saver_new (path, 20, collect_cb, &saver_data);
  g_signal_connect (saver, "save-failed", G_CALLBACK (save_failed_cb), &saver_data);
  g_signal_connect (saver, "notify::last-error", G_CALLBACK (notify_cb), &n_notifies);

  /* from the timeout: reported, tracking goes on, still dirty */
  pw_state_saver_mark_dirty (saver);
  while (saver_data.n_failures == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (saver_data.n_collects, ==, 1);
  g_assert_nonnull (strstr (saver_data.failure, path));
  g_assert_cmpstr (pw_state_saver_get_last_error (saver), ==, saver_data.failure);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_true (pw_state_saver_get_dirty (saver));

  /* the flush on quit tries again and says why it failed */
  g_assert_false (pw_state_saver_flush (saver, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_cmpuint (saver_data.n_failures, ==, 2);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_clear_error (&error);

  /* once the problem is gone, a success clears the error */
  g_assert_cmpint (g_remove (blocker), ==, 0);
  g_assert_true (pw_state_saver_flush (saver, &error));
  g_assert_no_error (error);
  g_assert_null (pw_state_saver_get_last_error (saver));
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_false (pw_state_saver_get_dirty (saver));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_free (saver_data.failure);
}

/* pw_state_file_parse() on its own, as the fuzzer calls it; the inputs
 * fuzz-state-file tripped over first, and a round trip of what it
 * accepts. */
static void
test_parse_memory (void)
{
  const char *minimal = "{\"version\": 1, \"sessions\": [{\"session_id\": \"a\", "
                        "\"user_id\": \"b\", \"state\": \"active\", "
                        "\"end_client_sec\": 9223372036854775807}]}";
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *duration = NULL;

  /* empty text, even as NULL: damaged, not a json-glib critical */
  g_assert_false (pw_state_file_parse (NULL, 0, &sessions, &events, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (sessions);
  g_clear_error (&error);
  g_assert_false (pw_state_file_parse ("", 0, &sessions, &events, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* the server never sends a play time over ten years */
  text = g_strdup_printf ("{\"version\": 1, \"sessions\": [{\"session_id\": \"a\", "
                          "\"user_id\": \"b\", \"state\": \"active\", "
                          "\"server_play_sec\": %" G_GINT64_FORMAT "}]}",
                          PW_SESSION_MAX_PLAY_SEC + 1);
  g_assert_false (pw_state_file_parse (text, strlen (text), &sessions, &events, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);

  /* a client duration may be anything the user typed; it still shows */
  g_assert_true (
      pw_state_file_parse (minimal, strlen (minimal), &sessions, &events, &error));
  g_assert_no_error (error);
  g_assert_null (events);
  g_assert_cmpuint (sessions->len, ==, 1);
  duration = pw_format_duration (
      ((PwSavedSession *) g_ptr_array_index (sessions, 0))->end_client_sec);
  g_assert_cmpstr (duration, ==, "2562047788015215:30:07");

  text = pw_state_file_to_text (sessions, NULL);
  g_assert_true (pw_state_file_parse (text, strlen (text), &again, &events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func)                                                                  \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/state-file/round-trip", test_round_trip);
  ADD ("/state-file/event-log-round-trip", test_event_log_round_trip);
  ADD ("/state-file/missing", test_missing);
  ADD ("/state-file/stale-temp-files", test_stale_temp_files);
  ADD ("/state-file/damaged", test_damaged);
  ADD ("/state-file/damaged-name-taken", test_damaged_name_taken);
  ADD ("/state-file/too-large", test_too_large);
  ADD ("/state-file/unwritable", test_unwritable);
  ADD ("/state-file/kill-safety", test_kill_safety);
  ADD ("/state-file/big", test_big);
  g_test_add_func ("/state-file/default-path", test_default_path);
  g_test_add_func ("/state-file/parse-memory", test_parse_memory);
  ADD ("/state-saver/new-destroy", test_saver_new_destroy);
  ADD ("/state-saver/debounce", test_saver_debounce);
  ADD ("/state-saver/flush", test_saver_flush);
  ADD ("/state-saver/failure", test_saver_failure);

#undef ADD

  return g_test_run ();
}
