/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <signal.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pw-keyring.h"
#include "pw-test-util.h"

/* playwave-ctl as a script sees it: the real binary, run against a sandbox
 * in this process, judged by exit status and output. */

#define USER "777"

typedef struct
{
  gboolean done;
  int status;
  char *out;
  char *err;
} Run;

static void
communicated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &run->out,
                                                       &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->done = TRUE;
}

/* @env: NULL, or "NAME=value" to set and "NAME" to unset, applied last */
static int
run_ctl_env (SandboxFixture *fixture,
             const char *api_key,
             const char *const *env,
             char **out,
             char **err,
             const char *first_arg,
             va_list args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Run run = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("PLAYWAVE_CTL"));
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PLAYWAVE_BASE_URL", fixture->base_url, TRUE);
  if (api_key != NULL)
    g_subprocess_launcher_setenv (launcher, "PLAYWAVE_API_KEY", api_key, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PLAYWAVE_API_KEY");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      if (pair[1] != NULL)
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
    }

  process =
      g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);
  spin_until (&run.done);

  /* No output of any run may carry the key. */
  g_assert_null (strstr (run.out, TEST_API_KEY));
  g_assert_null (strstr (run.err, TEST_API_KEY));

  *out = run.out;
  *err = run.err;
  return run.status;
}

static int run_ctl (SandboxFixture *fixture,
                    char **out,
                    char **err,
                    const char *first_arg,
                    ...) G_GNUC_NULL_TERMINATED;

static int
run_ctl (SandboxFixture *fixture, char **out, char **err, const char *first_arg, ...)
{
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_ctl_env (fixture, TEST_API_KEY, NULL, out, err, first_arg, args);
  va_end (args);

  return status;
}

static int run_ctl_with_key (SandboxFixture *fixture,
                             const char *key,
                             char **out,
                             char **err,
                             const char *first_arg,
                             ...) G_GNUC_NULL_TERMINATED;

static int
run_ctl_with_key (SandboxFixture *fixture,
                  const char *key,
                  char **out,
                  char **err,
                  const char *first_arg,
                  ...)
{
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_ctl_env (fixture, key, NULL, out, err, first_arg, args);
  va_end (args);

  return status;
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_heartbeat (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json_out = NULL;
  g_autofree char *json_err = NULL;
  JsonObject *object;
  JsonObject *result_data;

  fixture_advance (fixture, 90);
  g_assert_cmpint (run_ctl (fixture, &out, &err, "heartbeat", id, USER, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "OK, server play time 90 s, next heartbeat in 120 s"));
  g_assert_nonnull (strstr (out, "request req_"));

  g_assert_cmpint (
      run_ctl (fixture, &json_out, &json_err, "--json", "heartbeat", id, USER, NULL), ==,
      0);
  object = parse_object (parser, json_out);
  g_assert_cmpint (json_object_get_int_member (object, "http_status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "result"), ==, "OK");
  g_assert_true (json_object_get_null_member (object, "code"));
  g_assert_true (
      g_str_has_prefix (json_object_get_string_member (object, "request_id"), "req_"));
  result_data = json_object_get_object_member (object, "data");
  g_assert_cmpint (json_object_get_int_member (result_data, "play_duration_sec"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (result_data, "next_heartbeat_in"), ==,
                   120);
  g_assert_cmpint (json_object_get_int_member (object, "exit_status"), ==, 0);
}

static void
test_heartbeat_outcomes (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *charged =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, "pc-a", 10);
  g_autofree char *first =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, "pc-b", -1);
  g_autofree char *second =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, "pc-b", -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  char *out = NULL;
  char *err = NULL;

  fixture_advance (fixture, 20);
  g_assert_cmpint (run_ctl (fixture, &out, &err, "heartbeat", charged, USER, NULL), ==,
                   0);
  g_assert_nonnull (strstr (out, "CHARGE_EXHAUSTED"));
  g_free (out), g_free (err);

  g_assert_cmpint (run_ctl (fixture, &out, &err, "heartbeat", first, USER, NULL), ==, 3);
  g_assert_nonnull (strstr (out, "SESSION_REPLACED"));
  g_free (out), g_free (err);

  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "--json", "heartbeat", "gs_none", USER, NULL), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (parse_object (parser, out), "code"), ==,
                   "SESSION_NOT_FOUND");
  g_assert_cmpint (json_object_get_int_member (parse_object (parser, out), "http_status"),
                   ==, 404);
  g_free (out), g_free (err);

  fixture_advance (fixture, 200);
  g_assert_cmpint (run_ctl (fixture, &out, &err, "heartbeat", charged, USER, NULL), ==,
                   3);
  g_assert_nonnull (strstr (err, "SESSION_END"));
  g_free (out), g_free (err);

  g_assert_cmpint (run_ctl_with_key (fixture, "not-the-key", &out, &err, "heartbeat",
                                     second, USER, NULL),
                   ==, 4);
  g_assert_nonnull (strstr (err, "401"));
  g_assert_null (strstr (err, "not-the-key"));
  g_free (out), g_free (err);
}

static void
test_failures_and_retries (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  char *out = NULL;
  char *err = NULL;

  fixture_fault (fixture, "{\"status\": 503}");
  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "--retries", "0", "heartbeat", id, USER, NULL), ==,
      5);
  g_assert_nonnull (strstr (err, "503"));
  g_free (out), g_free (err);

  /* One failure, then a retry within the budget succeeds. */
  fixture_fault (fixture, "{\"status\": 500}");
  g_assert_cmpint (run_ctl (fixture, &out, &err, "--json", "--retries", "2", "heartbeat",
                            id, USER, NULL),
                   ==, 0);
  g_assert_cmpint (json_object_get_int_member (parse_object (parser, out), "attempts"),
                   ==, 2);
  g_free (out), g_free (err);

  fixture_fault (fixture, "{\"status\": 200, \"body\": \"{\\\"success\\\": true}\"}");
  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "--retries", "0", "heartbeat", id, USER, NULL), ==,
      6);
  g_free (out), g_free (err);

  fixture_fault (fixture, "{\"hang\": true}");
  g_assert_cmpint (run_ctl (fixture, &out, &err, "--retries", "0", "--timeout", "0.3",
                            "heartbeat", id, USER, NULL),
                   ==, 5);
  g_assert_nonnull (strstr (err, "0.3 s"));
  g_free (out), g_free (err);
}

static void
test_end (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *result_data;
  char *out = NULL;
  char *err = NULL;

  fixture_advance (fixture, 100);
  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "--json", "end", id, "--duration", "97", NULL), ==,
      0);
  result_data = json_object_get_object_member (parse_object (parser, out), "data");
  g_assert_cmpint (json_object_get_int_member (result_data, "play_duration_sec"), ==,
                   100);
  g_assert_cmpint (json_object_get_int_member (result_data, "client_play_duration_sec"),
                   ==, 97);
  g_free (out), g_free (err);

  /* 409 and 404 are "already cleaned up": done, exit 0. */
  g_assert_cmpint (run_ctl (fixture, &out, &err, "end", id, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "already cleaned up"));
  g_assert_nonnull (strstr (out, "409"));
  g_free (out), g_free (err);

  g_assert_cmpint (run_ctl (fixture, &out, &err, "end", "gs_gone", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "404"));
  g_free (out), g_free (err);
}

static void
test_usage (SandboxFixture *fixture, gconstpointer data)
{
  static const char *const cases[][6] = {
    { NULL },
    { "launch", NULL },
    { "heartbeat", "gs_1", NULL },
    { "heartbeat", "gs_1", "u", "extra", NULL },
    { "end", NULL },
    { "--timeout", "abc", "end", "gs_1", NULL },
    { "--timeout", "0", "end", "gs_1", NULL },
    { "--retries", "99", "end", "gs_1", NULL },
    { "--duration", "5", "heartbeat", "gs_1", "u", NULL },
    { "end", "gs_1", "--duration", "-5", NULL },
    { "--base-url", "http://example.com/v1", "end", "gs_1", NULL },
    { "--base-url", "https://example.com/", "end", "gs_1", NULL },
    { "--no-such-option", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("case %u: %s", i, cases[i][0] ? cases[i][0] : "(none)");
      g_assert_cmpint (run_ctl (fixture, &out, &err, cases[i][0], cases[i][1],
                                cases[i][2], cases[i][3], cases[i][4], cases[i][5], NULL),
                       ==, 2);
      g_assert_nonnull (strstr (err, "playwave-ctl"));
    }

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_ctl_with_key (fixture, NULL, &out, &err, "end", "gs_1", NULL),
                     ==, 2);
    g_assert_nonnull (strstr (err, "PLAYWAVE_API_KEY"));
  }
}

static void
test_watch_outcomes (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *first =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, "pc-w", -1);
  g_autofree char *second =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, "pc-w", -1);
  g_autofree char *spec_first = g_strdup_printf ("%s:%s", first, USER);
  g_autofree char *spec_missing = g_strdup_printf ("gs_missing:%s", USER);
  g_auto (GStrv) lines = NULL;
  char *out = NULL;
  char *err = NULL;

  /* Replaced and unknown: both gone by the server's word, exit 3. */
  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "--json", "watch", spec_first, spec_missing, NULL),
      ==, 3);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *event = parse_object (parser, lines[i]);
      const char *kind = json_object_get_string_member (event, "kind");

      g_assert_true (g_str_equal (kind, "session-replaced") ||
                     g_str_equal (kind, "session-lost"));
    }
  g_free (out), g_free (err);

  /* A rejected key: exit 4. */
  g_assert_cmpint (
      run_ctl_with_key (fixture, "bad-key", &out, &err, "watch", spec_first, NULL), ==,
      4);
  g_assert_nonnull (strstr (out, "unauthorized"));
  g_free (out), g_free (err);
}

static void
test_watch_usage (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("playwave-ctl-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sessions.txt", NULL);
  char *out = NULL;
  char *err = NULL;

  g_assert_cmpint (run_ctl (fixture, &out, &err, "watch", NULL), ==, 2);
  g_free (out), g_free (err);
  g_assert_cmpint (run_ctl (fixture, &out, &err, "watch", "no-colon", NULL), ==, 2);
  g_free (out), g_free (err);

  g_assert_true (g_file_set_contents (path, "# sessions\ngs_1:1\n\ngs_2 2\n", -1, NULL));
  g_assert_cmpint (run_ctl (fixture, &out, &err, "watch", "--from", path, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "line 4"));
  g_free (out), g_free (err);

  g_assert_cmpint (
      run_ctl (fixture, &out, &err, "watch", "--from", "/nonexistent/file", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "/nonexistent/file"));
  g_free (out), g_free (err);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_watch_sigint_ends (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  g_autofree char *spec = g_strdup_printf ("%s:%s", id, USER);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state = NULL;
  Run run = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PLAYWAVE_BASE_URL", fixture->base_url, TRUE);
  g_subprocess_launcher_setenv (launcher, "PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PLAYWAVE_CTL"),
                                         "watch", spec, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);

  /* Once the first heartbeat is in, Ctrl+C. */
  while (pw_sandbox_get_request_count (fixture->sandbox) < 1)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (process, SIGINT);
  spin_until (&run.done);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "ended"));
  state = pw_sandbox_dup_session_state (fixture->sandbox, id);
  g_assert_cmpstr (state, ==, "ended");
  g_free (run.out);
  g_free (run.err);
}

static void
test_help (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (fixture, &out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "heartbeat SESSION_ID USER_ID"));
  g_assert_nonnull (strstr (out, "--base-url"));
  g_assert_nonnull (strstr (out, "Exit status"));
}

/* Stored connections: playwave-monitor's settings (a key file here) and
 * keys in the keyring (libsecret's file backend, shared with the child). */

typedef struct
{
  SandboxFixture *fixture;
  char *dir;
  char *config_env;
} Stored;

static void
stored_set_up (Stored *stored, SandboxFixture *fixture)
{
  g_autofree char *settings_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *contents = NULL;

  stored->fixture = fixture;
  stored->dir = g_dir_make_tmp ("test-ctl-XXXXXX", NULL);
  settings_dir = g_build_filename (stored->dir, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  contents =
      g_strdup_printf ("[io/github/playwave_tools/SessionMonitor]\n"
                       "connections=[('prod', 'https://prod.invalid/v1', uint32 0), "
                       "('qa', '%s', uint32 5), "
                       "('nokey', '%s', uint32 0)]\n"
                       "default-connection='qa'\n",
                       fixture->base_url, fixture->base_url);
  g_assert_true (g_file_set_contents (keyfile, contents, -1, NULL));
  stored->config_env = g_strdup_printf ("XDG_CONFIG_HOME=%s", stored->dir);
}

static void
stored_tear_down (Stored *stored)
{
  g_autofree char *settings_dir =
      g_build_filename (stored->dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *glib_dir = g_build_filename (stored->dir, "glib-2.0", NULL);

  g_unlink (keyfile);
  g_rmdir (settings_dir);
  g_rmdir (glib_dir);
  g_rmdir (stored->dir);
  g_free (stored->dir);
  g_free (stored->config_env);
}

static int run_stored (Stored *stored,
                       const char *api_key,
                       gboolean no_keyring,
                       char **out,
                       char **err,
                       const char *first_arg,
                       ...) G_GNUC_NULL_TERMINATED;

/* playwave-ctl with no PLAYWAVE_BASE_URL and the stored connections;
 * @no_keyring: with no Secret Service to ask. */
static int
run_stored (Stored *stored,
            const char *api_key,
            gboolean no_keyring,
            char **out,
            char **err,
            const char *first_arg,
            ...)
{
  /* The keyring is the test's own (tests/run-with-keyring.sh, or the file
   * backend of test_use_private_keyring()): the child inherits it. With
   * @no_keyring, the service backend and a bus that is not there (without
   * it, the list ends before the bus). */
  const char *env[] = { "PLAYWAVE_BASE_URL",
                        "GSETTINGS_BACKEND=keyfile",
                        stored->config_env,
                        no_keyring ? "SECRET_BACKEND=service" : NULL,
                        "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/playwave-test",
                        NULL };
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_ctl_env (stored->fixture, api_key, env, out, err, first_arg, args);
  va_end (args);

  return status;
}

static void
key_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_keyring_store_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
key_cleared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (pw_keyring_clear_finish (result, NULL));
  *done = TRUE;
}

static void
test_stored_connection (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  Stored stored = { 0 };
  gboolean done = FALSE;

  stored_set_up (&stored, fixture);
  pw_keyring_store_async ("qa", TEST_API_KEY, NULL, key_stored_cb, &done);
  spin_until (&done);

  /* Named: base URL from the settings, key from the keyring. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, NULL, FALSE, &out, &err, "--connection", "qa",
                                 "heartbeat", id, USER, NULL),
                     ==, 0);
    g_assert_nonnull (strstr (out, "OK"));
  }

  /* The default one, with no base URL given. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (
        run_stored (&stored, NULL, FALSE, &out, &err, "heartbeat", id, USER, NULL), ==,
        0);
  }

  /* PLAYWAVE_API_KEY wins over the keyring. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, "wrong-key", FALSE, &out, &err, "--connection",
                                 "qa", "heartbeat", id, USER, NULL),
                     ==, 4);
  }

  /* No such connection; one with no stored key: usage errors that say so. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, NULL, FALSE, &out, &err, "--connection", "nope",
                                 "heartbeat", id, USER, NULL),
                     ==, 2);
    g_assert_nonnull (strstr (err, "“nope”"));
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, NULL, FALSE, &out, &err, "--connection",
                                 "nokey", "heartbeat", id, USER, NULL),
                     ==, 2);
    g_assert_nonnull (strstr (err, "PLAYWAVE_API_KEY"));
    g_assert_nonnull (strstr (err, "“nokey”"));
  }

  done = FALSE;
  pw_keyring_clear_async ("qa", NULL, key_cleared_cb, &done);
  spin_until (&done);
  stored_tear_down (&stored);
}

/* No Secret Service on the bus: a clear usage error at once, no hang; the
 * environment's key still works. */
static void
test_stored_no_keyring (SandboxFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->sandbox, NULL, USER, NULL, -1);
  Stored stored = { 0 };

  stored_set_up (&stored, fixture);
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, NULL, TRUE, &out, &err, "--connection", "qa",
                                 "heartbeat", id, USER, NULL),
                     ==, 2);
    g_assert_nonnull (strstr (err, "PLAYWAVE_API_KEY"));
    g_assert_nonnull (strstr (err, "Keyring"));
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_stored (&stored, TEST_API_KEY, TRUE, &out, &err, "--connection",
                                 "qa", "heartbeat", id, USER, NULL),
                     ==, 0);
  }
  stored_tear_down (&stored);
}

int
main (int argc, char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  keyring_dir = test_use_private_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, SandboxFixture, NULL, sandbox_fixture_set_up, func,                  \
              sandbox_fixture_tear_down)

  ADD ("/ctl/heartbeat", test_heartbeat);
  ADD ("/ctl/heartbeat-outcomes", test_heartbeat_outcomes);
  ADD ("/ctl/failures-and-retries", test_failures_and_retries);
  ADD ("/ctl/end", test_end);
  ADD ("/ctl/usage", test_usage);
  ADD ("/ctl/help", test_help);
  ADD ("/ctl/watch-outcomes", test_watch_outcomes);
  ADD ("/ctl/watch-usage", test_watch_usage);
  ADD ("/ctl/watch-sigint-ends", test_watch_sigint_ends);
  ADD ("/ctl/stored-connection", test_stored_connection);
  ADD ("/ctl/stored-no-keyring", test_stored_no_keyring);

#undef ADD

  status = g_test_run ();
  test_remove_dir (keyring_dir);

  return status;
}
