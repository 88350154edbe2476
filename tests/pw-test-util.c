/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pw-test-util.h"

/* The sandbox and the client share this thread's main context: every
 * request goes over real loopback HTTP while the test spins the loop. */

void
sandbox_fixture_set_up (SandboxFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->clock = pw_fake_clock_new ();
  fixture->sandbox = pw_sandbox_new (fixture->clock, TEST_API_KEY);
  g_assert_true (pw_sandbox_listen (fixture->sandbox, 0, &error));
  g_assert_no_error (error);

  fixture->base_url = pw_sandbox_dup_base_url (fixture->sandbox);
  fixture->client = pw_client_new (fixture->base_url, TEST_API_KEY, &error);
  g_assert_no_error (error);
  pw_client_set_timeout_ms (fixture->client, 5000);
}

void
sandbox_fixture_tear_down (SandboxFixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->client);
  pw_sandbox_disconnect (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  g_assert_finalize_object (fixture->clock);
  g_free (fixture->base_url);

  /* Let sources that closed connections left behind run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
fixture_advance (SandboxFixture *fixture, gint64 seconds)
{
  pw_fake_clock_advance (PW_FAKE_CLOCK (fixture->clock), seconds * G_USEC_PER_SEC);
}

void
fixture_fault (SandboxFixture *fixture, const char *format, ...)
{
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);

  pw_sandbox_add_fault_json (fixture->sandbox, json, &error);
  g_assert_no_error (error);
}

void
spin_until (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  PwExchange *exchange;
  GError *error;
} Outcome;

static void
heartbeat_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pw_client_heartbeat_finish (PW_CLIENT (object), result,
                                            &outcome->exchange, &outcome->error);
  outcome->done = TRUE;
}

static void
end_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pw_client_end_finish (PW_CLIENT (object), result, &outcome->exchange,
                                      &outcome->error);
  outcome->done = TRUE;
}

static gboolean
hand_over (Outcome *outcome, PwExchange **exchange, GError **error)
{
  if (exchange != NULL)
    *exchange = outcome->exchange;
  else
    g_clear_object (&outcome->exchange);

  if (outcome->error != NULL)
    g_propagate_error (error, outcome->error);

  return outcome->ok;
}

gboolean
run_heartbeat (PwClient *client,
               const char *session_id,
               const char *user_id,
               GCancellable *cancellable,
               PwExchange **exchange,
               GError **error)
{
  Outcome outcome = { 0 };

  pw_client_heartbeat_async (client, session_id, user_id, cancellable, heartbeat_done_cb,
                             &outcome);
  spin_until (&outcome.done);

  return hand_over (&outcome, exchange, error);
}

gboolean
run_end (PwClient *client,
         const char *session_id,
         gint64 play_duration_sec,
         PwExchange **exchange,
         GError **error)
{
  Outcome outcome = { 0 };

  pw_client_end_async (client, session_id, play_duration_sec, NULL, end_done_cb,
                       &outcome);
  spin_until (&outcome.done);

  return hand_over (&outcome, exchange, error);
}

/* Runs the loop until the tracker has no request on the wire or waiting. */
void
settle_tracker (PwTracker *tracker)
{
  for (;;)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (pw_tracker_is_quiet (tracker))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Protocol time, one second at a time, settling after each. */
void
run_tracker_for (SandboxFixture *fixture, PwTracker *tracker, guint seconds)
{
  settle_tracker (tracker);
  for (guint i = 0; i < seconds; i++)
    {
      fixture_advance (fixture, 1);
      settle_tracker (tracker);
    }
}

/* A keyring of this test's own: libsecret's file backend in a fresh
 * folder (no D-Bus needed), unless the test runs under a private Secret
 * Service (tests/run-with-keyring.sh sets SECRET_BACKEND=service). Call it
 * before anything touches libsecret. Returns: (transfer full): the folder,
 * for test_remove_dir() */
char *
test_use_private_keyring (void)
{
  char *dir = g_dir_make_tmp ("playwave-keyring-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keyring", NULL);

  g_assert_nonnull (dir);
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "service") != 0)
    {
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "playwave-test", TRUE);
    }

  return dir;
}

void
test_remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The app's settings on GSettings' memory backend (the test environment
 * sets GSETTINGS_BACKEND=memory), every key back at its default. */
GSettings *
test_settings_new (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}
