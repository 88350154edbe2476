/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "pw-error.h"
#include "pw-json.h"
#include "pw-session-file.h"

/* Session files as QA and spreadsheets write them, and the mistakes they
 * contain: each must be reported with its line (or JSON entry). */

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = pw_session_file_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);

  return entries;
}

static void
assert_entry (GPtrArray *entries,
              guint index,
              const char *session_id,
              const char *user_id,
              guint line)
{
  PwSessionEntry *entry;

  g_assert_cmpuint (index, <, entries->len);
  entry = g_ptr_array_index (entries, index);
  g_assert_cmpstr (entry->session_id, ==, session_id);
  g_assert_cmpstr (entry->user_id, ==, user_id);
  g_assert_cmpuint (entry->line, ==, line);
}

static void
assert_parse_error (const char *text, gsize length, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = pw_session_file_parse (text, length, &error);

  g_assert_null (entries);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected “%s…”, got “%s”", message, error->message);
}

#define assert_error_text(text, message)                                                 \
  assert_parse_error ((text), strlen (text), (message))

static void
test_lines (void)
{
  g_autoptr (GPtrArray) entries = NULL;

  entries = parse_ok ("\xef\xbb\xbf# sessions for the smoke test\r\n"
                      "sess-1:user-1\r\n"
                      "\r\n"
                      "   sess-2 , user-2   \r\n"
                      "\t# indented comment\n"
                      "세션-３:사용자-ß\n"
                      "sess-4:user-4");

  g_assert_cmpuint (entries->len, ==, 4);
  assert_entry (entries, 0, "sess-1", "user-1", 2);
  assert_entry (entries, 1, "sess-2", "user-2", 4);
  assert_entry (entries, 2, "세션-３", "사용자-ß", 6);
  assert_entry (entries, 3, "sess-4", "user-4", 7);
}

static void
test_empty (void)
{
  g_autoptr (GPtrArray) empty = parse_ok ("");
  g_autoptr (GPtrArray) comments = parse_ok ("# nothing yet\n\n   \n");
  g_autoptr (GPtrArray) empty_json = parse_ok ("  [ ]  ");

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (comments->len, ==, 0);
  g_assert_cmpuint (empty_json->len, ==, 0);
}

static void
test_csv (void)
{
  g_autoptr (GPtrArray) entries = NULL;

  /* Header in any case, quoted fields with separators inside, extra
   * columns as a spreadsheet export has them. */
  entries = parse_ok ("# exported\n"
                      "Game_Session_Id,Provider_User_Id,Note\r\n"
                      "sess-1,user-1,first\r\n"
                      "\"steam:42\",\"user, \"\"quoted\"\"\"\r\n"
                      "  sess-3 ,  user-3  \n");

  g_assert_cmpuint (entries->len, ==, 3);
  assert_entry (entries, 0, "sess-1", "user-1", 3);
  assert_entry (entries, 1, "steam:42", "user, \"quoted\"", 4);
  assert_entry (entries, 2, "sess-3", "user-3", 5);

  assert_error_text ("game_session_id,provider_user_id\nsess-1\n",
                     "line 2: expected game_session_id,provider_user_id");
  assert_error_text ("game_session_id,provider_user_id\n\"sess-1,user\n",
                     "line 2: expected game_session_id,provider_user_id");
  assert_error_text ("game_session_id,provider_user_id\n\"a\"b,user\n",
                     "line 2: expected game_session_id,provider_user_id");
}

static void
test_json (void)
{
  g_autoptr (GPtrArray) entries = NULL;

  entries =
      parse_ok ("\xef\xbb\xbf\n  [\n"
                "  {\"game_session_id\": \"sess-1\", \"provider_user_id\": \"u1\",\n"
                "   \"note\": {\"nested\": [1, 2]}},\n"
                "  {\"provider_user_id\": \"사용자\", \"game_session_id\": \"s:2,x\"}\n"
                "]\n");

  g_assert_cmpuint (entries->len, ==, 2);
  assert_entry (entries, 0, "sess-1", "u1", 1);
  assert_entry (entries, 1, "s:2,x", "사용자", 2);
}

static void
test_not_json (void)
{
  g_autoptr (GPtrArray) entries = NULL;

  /* ids may start with a bracket: only `[{`, `[[`, `["`, `[]`, `{"` and `{}`
   * mean JSON */
  entries = parse_ok ("{3F2504E0-4F89-11D3}:user-1\n[qa]-2:user-2\n");
  g_assert_cmpuint (entries->len, ==, 2);
  assert_entry (entries, 0, "{3F2504E0-4F89-11D3}", "user-1", 1);
  assert_entry (entries, 1, "[qa]-2", "user-2", 2);
}

static void
test_bad_lines (void)
{
  g_autofree char *long_id = g_strnfill (257, 'a');
  g_autofree char *long_line = g_strconcat (long_id, ":user\n", NULL);

  assert_error_text ("sess-1:user-1\nno separator here\n",
                     "line 2: expected SESSION_ID:USER_ID or SESSION_ID,USER_ID");
  assert_error_text ("a:b:c\n",
                     "line 1: expected SESSION_ID:USER_ID or SESSION_ID,USER_ID, "
                     "but the line has more than one");
  assert_error_text ("a,b:c\n", "line 1: expected SESSION_ID:USER_ID");
  assert_error_text ("\n\n:user\n", "line 3: The session id is empty");
  assert_error_text ("sess:\n", "line 1: The user id is empty");
  assert_error_text ("se\x01ss:user\n", "line 1: The session id contains control");
  assert_error_text (long_line, "line 1: The session id is too long");
  assert_error_text ("a:1\n# again\n\nb:2\na:3\n",
                     "line 5: session “a” is already listed on line 1");
  assert_error_text ("a:1\n\n\xff\xfe:2\n", "line 3: the text is not valid UTF-8");
  assert_parse_error ("a:1\nb:\0002\n", 8, "line 2: the file contains a NUL byte");
}

static void
test_bad_json (void)
{
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GString) big = g_string_new ("[");

  assert_error_text ("{\"game_session_id\": \"a\", \"provider_user_id\": \"b\"}",
                     "A JSON session file must be an array");
  assert_error_text ("[{\"game_session_id\": \"a\", \"provider_user_id\": \"b\"}, 5]",
                     "entry 2: expected an object");
  assert_error_text ("[{\"game_session_id\": \"a\"}]",
                     "entry 1: “provider_user_id” is missing");
  assert_error_text ("[{\"game_session_id\": 12, \"provider_user_id\": \"b\"}]",
                     "entry 1: “game_session_id” is not a string");
  assert_error_text ("[{\"game_session_id\": null, \"provider_user_id\": \"b\"}]",
                     "entry 1: “game_session_id” is not a string");
  /* json-glib 1.6 refuses a lone surrogate before a quote, and lets one
   * through elsewhere as invalid UTF-8: refused before it sees them */
  assert_error_text ("[{\"game_session_id\": \"a\\ud800\", \"provider_user_id\": \"b\"}]",
                     "Not a valid JSON session file");
  assert_error_text (
      "[{\"game_session_id\": \"a\\ud800b\", \"provider_user_id\": \"b\"}]",
      "Not a valid JSON session file: The response is not valid JSON: “\"a\\ud800b\"");
  assert_error_text (
      "[{\"game_session_id\": \"a\\u0000b\", \"provider_user_id\": \"b\"}]",
      "Not a valid JSON session file");
  assert_error_text ("[{\"game_session_id\": \"a\\tb\", \"provider_user_id\": \"b\"}]",
                     "entry 1: The session id contains control characters");
  assert_error_text ("[{\"game_session_id\": \"\", \"provider_user_id\": \"b\"}]",
                     "entry 1: The session id is empty");
  assert_error_text ("[{\"game_session_id\": \"a\", \"provider_user_id\": \"1\"},"
                     " {\"game_session_id\": \"b\", \"provider_user_id\": \"2\"},"
                     " {\"game_session_id\": \"a\", \"provider_user_id\": \"3\"}]",
                     "entry 3: session “a” is already listed as entry 1");
  assert_error_text ("[{\"game_session_id\": \"a\",", "Not a valid JSON session file");
  assert_error_text ("[\"a:b\"]", "entry 1: expected an object");

  /* json-glib 1.6 crashes on this without the depth check */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_parse_error (deep->str, deep->len, "Not a valid JSON session file");

  /* the same nesting behind a single-quoted string json-glib would read */
  g_string_assign (deep, "[{\"game_session_id\": '\"', \"x\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "'\"'}]");
  assert_parse_error (deep->str, deep->len, "Not a valid JSON session file");

  while (big->len <= PW_JSON_MAX_BYTES)
    g_string_append (big, "{\"game_session_id\": \"s\", \"provider_user_id\": \"u\"},");
  g_string_append (big, "{}]");
  assert_parse_error (big->str, big->len, "A JSON session file can be at most 1 MiB");
}

static void
test_too_large (void)
{
  gsize length = PW_SESSION_FILE_MAX_BYTES + 1;
  g_autofree char *text = g_malloc (length);

  memset (text, ' ', length);
  assert_parse_error (text, length, "The session file is larger than 16 MiB");

  /* just under the limit is fine */
  {
    g_autoptr (GPtrArray) entries = NULL;
    g_autoptr (GError) error = NULL;

    entries = pw_session_file_parse (text, length - 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 0);
  }
}

static void
test_many (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (text, "session-%06u:user-%u\n", i, i % 97);

  start = g_get_monotonic_time ();
  entries = pw_session_file_parse (text->str, text->len, &error);
  g_test_message ("parsed 100,000 lines (%" G_GSIZE_FORMAT " bytes) in %.1f ms",
                  text->len, (g_get_monotonic_time () - start) / 1000.0);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 100000);
  assert_entry (entries, 99999, "session-099999", "user-89", 100000);
}

static void
test_load (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-session-file-XXXXXX", &error);
  g_autofree char *good_path = g_build_filename (dir, "good.txt", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.txt", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.txt", NULL);
  g_autoptr (GFile) good = g_file_new_for_path (good_path);
  g_autoptr (GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr (GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr (GFile) folder = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  folder = g_file_new_for_path (dir);

  g_assert_true (g_file_set_contents (good_path, "a:1\nb,2\n", -1, &error));
  g_assert_true (g_file_set_contents (bad_path, "a:1\nb\n", -1, &error));
  g_assert_no_error (error);

  entries = pw_session_file_load (good, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  assert_entry (entries, 1, "b", "2", 2);
  g_clear_pointer (&entries, g_ptr_array_unref);

  entries = pw_session_file_load (bad, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  expected = g_strdup_printf ("%s: line 2: expected SESSION_ID:USER_ID", bad_path);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  entries = pw_session_file_load (missing, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing_path));
  g_clear_error (&error);

  entries = pw_session_file_load (folder, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_cmpint (g_remove (good_path), ==, 0);
  g_assert_cmpint (g_remove (bad_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_load_too_large (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-session-file-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "huge.txt", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GPtrArray) entries = NULL;
  FILE *stream;

  g_assert_no_error (error);

  /* sparse: costs no disk */
  stream = g_fopen (path, "w");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, PW_SESSION_FILE_MAX_BYTES, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('\n', stream), ==, '\n');
  g_assert_cmpint (fclose (stream), ==, 0);

  entries = pw_session_file_load (file, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "larger than 16 MiB"));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gpointer
write_fifo_thread (gpointer data)
{
  const char *path = data;
  FILE *stream = g_fopen (path, "w");

  g_assert_nonnull (stream);
  for (guint i = 0; i < 20000; i++)
    fprintf (stream, "session-%u:user-%u\n", i, i);
  g_assert_cmpint (fclose (stream), ==, 0);

  return NULL;
}

static void
test_load_pipe (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-session-file-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) endless = g_file_new_for_path ("/dev/zero");
  g_autoptr (GPtrArray) entries = NULL;
  GThread *writer;

  g_assert_no_error (error);

  /* `--from <(generate-sessions)`: a pipe has no size to ask for */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  writer = g_thread_new ("fifo writer", write_fifo_thread, path);
  entries = pw_session_file_load (file, NULL, &error);
  g_thread_join (writer);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 20000);
  assert_entry (entries, 19999, "session-19999", "user-19999", 20000);

  /* and reading stops at the limit */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = pw_session_file_load (endless, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "larger than 16 MiB"));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
assert_parse_one_fails (const char *text, const char *message)
{
  g_autoptr (GError) error = NULL;
  char *session_id = NULL;
  char *user_id = NULL;

  g_assert_false (pw_session_entry_parse_one (text, &session_id, &user_id, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_null (session_id);
  g_assert_null (user_id);
  if (strstr (error->message, message) == NULL)
    g_error ("expected “…%s…”, got “%s”", message, error->message);
}

static void
test_parse_one (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *long_argument = g_strnfill (500, 'x');

  g_assert_true (
      pw_session_entry_parse_one (" sess-1 : user-1 ", &session_id, &user_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (session_id, ==, "sess-1");
  g_assert_cmpstr (user_id, ==, "user-1");
  g_clear_pointer (&session_id, g_free);
  g_clear_pointer (&user_id, g_free);

  g_assert_true (
      pw_session_entry_parse_one ("세션,사용자", &session_id, &user_id, &error));
  g_assert_cmpstr (session_id, ==, "세션");
  g_assert_cmpstr (user_id, ==, "사용자");

  assert_parse_one_fails ("sess-1", "got “sess-1”");
  assert_parse_one_fails ("a:b:c", "got “a:b:c”");
  assert_parse_one_fails (":user", "The session id is empty");
  assert_parse_one_fails ("sess\x1b[31m:user", "“sess\xef\xbf\xbd[31m:user”");
  assert_parse_one_fails (long_argument, "xxx…”");
}

static void
test_entry_free (void)
{
  g_autoptr (PwSessionEntry) entry = g_new0 (PwSessionEntry, 1);

  entry->session_id = g_strdup ("s");
  entry->user_id = g_strdup ("u");
  pw_session_entry_free (NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-file/lines", test_lines);
  g_test_add_func ("/session-file/empty", test_empty);
  g_test_add_func ("/session-file/csv", test_csv);
  g_test_add_func ("/session-file/json", test_json);
  g_test_add_func ("/session-file/not-json", test_not_json);
  g_test_add_func ("/session-file/bad-lines", test_bad_lines);
  g_test_add_func ("/session-file/bad-json", test_bad_json);
  g_test_add_func ("/session-file/too-large", test_too_large);
  g_test_add_func ("/session-file/many", test_many);
  g_test_add_func ("/session-file/load", test_load);
  g_test_add_func ("/session-file/load-too-large", test_load_too_large);
  g_test_add_func ("/session-file/load-pipe", test_load_pipe);
  g_test_add_func ("/session-file/parse-one", test_parse_one);
  g_test_add_func ("/session-file/entry-free", test_entry_free);

  return g_test_run ();
}
