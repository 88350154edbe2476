/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-connection-manager.h"
#include "pw-connection-probe.h"
#include "pw-error.h"
#include "pw-keyring.h"
#include "pw-state-file.h"
#include "pw-test-util.h"

/* Connections turned into clients, against the sandbox over loopback with
 * a private keyring: keys from the keyring or PLAYWAVE_API_KEY, a missing
 * or rejected key that stops sessions and a new one that resumes them,
 * live edits, removal rules, restored sessions keeping their connection,
 * and "Test Connection". */

#define USER "555"
#define WRONG_KEY "wrong-key-000"

typedef struct
{
  SandboxFixture base;
  GSettings *settings;
  PwConnectionStore *store;
  PwTracker *tracker;
  PwConnectionManager *manager;
  guint unauthorized;
  char *resumed_name;
  guint resumed;
} ManagerFixture;

static void
unauthorized_cb (PwTracker *tracker, const char *connection, ManagerFixture *fixture)
{
  fixture->unauthorized++;
}

static void
resumed_cb (PwConnectionManager *manager,
            const char *name,
            guint n,
            ManagerFixture *fixture)
{
  g_free (fixture->resumed_name);
  fixture->resumed_name = g_strdup (name);
  fixture->resumed += n;
}

static void
manager_set_up (ManagerFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  g_unsetenv ("PLAYWAVE_API_KEY");
  fixture->settings = test_settings_new ();
  fixture->store = pw_connection_store_new (fixture->settings);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  g_signal_connect (fixture->tracker, "unauthorized", G_CALLBACK (unauthorized_cb),
                    fixture);
}

static void
manager_tear_down (ManagerFixture *fixture, gconstpointer data)
{
  g_unsetenv ("PLAYWAVE_API_KEY");
  if (fixture->manager != NULL)
    g_assert_finalize_object (fixture->manager);
  g_assert_finalize_object (fixture->tracker);
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->settings);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->resumed_name);
  sandbox_fixture_tear_down (&fixture->base, data);
}

static void
loaded_cb (GObject *object, GParamSpec *pspec, gboolean *loaded)
{
  *loaded = TRUE;
}

/* Makes the manager and waits until the keys are looked up. */
static void
start_manager (ManagerFixture *fixture)
{
  gboolean loaded = FALSE;

  fixture->manager =
      pw_connection_manager_new (fixture->tracker, fixture->store, fixture->settings);
  g_signal_connect (fixture->manager, "sessions-resumed", G_CALLBACK (resumed_cb),
                    fixture);
  g_signal_connect (fixture->manager, "notify::loaded", G_CALLBACK (loaded_cb), &loaded);
  pw_connection_manager_load (fixture->manager);
  spin_until (&loaded);
  g_assert_true (pw_connection_manager_get_loaded (fixture->manager));
  g_signal_handlers_disconnect_by_func (fixture->manager, loaded_cb, &loaded);
}

static void
add_stored (ManagerFixture *fixture, const char *name, const char *url)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_connection_store_add (fixture->store, name, url, 0, &error));
  g_assert_no_error (error);
}

static void
stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_keyring_store_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
keyring_store (const char *name, const char *key)
{
  gboolean done = FALSE;

  pw_keyring_store_async (name, key, NULL, stored_cb, &done);
  spin_until (&done);
}

static void
cleared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (pw_keyring_clear_finish (result, NULL));
  *done = TRUE;
}

static void
keyring_clear (const char *name)
{
  gboolean done = FALSE;

  pw_keyring_clear_async (name, NULL, cleared_cb, &done);
  spin_until (&done);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  char *key;
  GError *error;
} Outcome;

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->key = pw_keyring_lookup_finish (result, &outcome->error);
  outcome->done = TRUE;
}

static char *
keyring_lookup (const char *name)
{
  Outcome outcome = { 0 };

  pw_keyring_lookup_async (name, NULL, looked_up_cb, &outcome);
  spin_until (&outcome.done);
  g_assert_no_error (outcome.error);

  return outcome.key;
}

static void
key_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pw_connection_manager_set_key_finish (PW_CONNECTION_MANAGER (object),
                                                      result, &outcome->error);
  outcome->done = TRUE;
}

static void
set_key (ManagerFixture *fixture, const char *name, const char *key)
{
  Outcome outcome = { 0 };

  pw_connection_manager_set_key_async (fixture->manager, name, key, NULL, key_set_cb,
                                       &outcome);
  spin_until (&outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
}

static void
removed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pw_connection_manager_remove_finish (PW_CONNECTION_MANAGER (object),
                                                     result, &outcome->error);
  outcome->done = TRUE;
}

static PwSession *
track_new (ManagerFixture *fixture, const char *connection)
{
  static guint n_pcs;
  /* One PC each: a second session on a PC replaces the first. */
  g_autofree char *pc = g_strdup_printf ("pc-%u", ++n_pcs);
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc, -1);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  session = pw_tracker_track (fixture->tracker, id, USER, connection, FALSE, &error);
  g_assert_no_error (error);

  return session;
}

static PwConnection *
lookup (ManagerFixture *fixture, const char *name)
{
  PwConnection *connection = pw_connection_manager_lookup (fixture->manager, name);

  g_assert_nonnull (connection);
  return connection;
}

/* Tests */

static void
test_new_destroy (ManagerFixture *fixture, gconstpointer data)
{
  fixture->manager =
      pw_connection_manager_new (fixture->tracker, fixture->store, fixture->settings);
  g_assert_false (pw_connection_manager_get_loaded (fixture->manager));
  g_assert_cmpuint (
      g_list_model_get_n_items (pw_connection_manager_get_connections (fixture->manager)),
      ==, 0);
  g_assert_null (pw_connection_manager_get_default_name (fixture->manager));
  /* Nothing to look up: loaded at once. */
  pw_connection_manager_load (fixture->manager);
  g_assert_true (pw_connection_manager_get_loaded (fixture->manager));
}

static void
test_keyring_key (ManagerFixture *fixture, gconstpointer data)
{
  PwConnection *prod;
  PwSession *session;

  add_stored (fixture, "prod", fixture->base.base_url);
  keyring_store ("prod", TEST_API_KEY);
  start_manager (fixture);

  prod = lookup (fixture, "prod");
  g_assert_cmpint (pw_connection_get_key_state (prod), ==, PW_KEY_STATE_KEYRING);
  g_assert_true (pw_connection_has_key (prod));
  g_assert_null (pw_connection_get_problem (prod));
  g_assert_cmpstr (pw_connection_manager_get_default_name (fixture->manager), ==, "prod");
  g_assert_true (
      pw_client_has_api_key (pw_tracker_get_client (fixture->tracker, "prod")));

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  keyring_clear ("prod");
}

/* PLAYWAVE_API_KEY wins over the keyring, which is not even read. */
static void
test_environment_key (ManagerFixture *fixture, gconstpointer data)
{
  PwSession *session;

  add_stored (fixture, "prod", fixture->base.base_url);
  keyring_store ("prod", WRONG_KEY);
  g_setenv ("PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);

  fixture->manager =
      pw_connection_manager_new (fixture->tracker, fixture->store, fixture->settings);
  pw_connection_manager_load (fixture->manager);
  /* No lookup: loaded at once. */
  g_assert_true (pw_connection_manager_get_loaded (fixture->manager));
  g_assert_true (pw_connection_manager_get_environment_key_set (fixture->manager));
  g_assert_cmpint (pw_connection_get_key_state (lookup (fixture, "prod")), ==,
                   PW_KEY_STATE_ENVIRONMENT);

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  keyring_clear ("prod");
}

/* No key: nothing is sent, the sessions stop with the banner's signal;
 * a key set later resumes them. */
static void
test_missing_key (ManagerFixture *fixture, gconstpointer data)
{
  g_autoptr (PwKey) stored = NULL;
  PwConnection *prod;
  PwSession *session;

  add_stored (fixture, "prod", fixture->base.base_url);
  start_manager (fixture);

  prod = lookup (fixture, "prod");
  g_assert_cmpint (pw_connection_get_key_state (prod), ==, PW_KEY_STATE_MISSING);
  g_assert_false (pw_connection_has_key (prod));
  g_assert_nonnull (pw_connection_get_problem (prod));
  g_assert_false (
      pw_client_has_api_key (pw_tracker_get_client (fixture->tracker, "prod")));

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_UNAUTHORIZED);
  g_assert_cmpuint (fixture->unauthorized, ==, 1);
  g_assert_cmpuint (pw_sandbox_get_request_count (fixture->base.sandbox), ==, 0);

  set_key (fixture, "prod", TEST_API_KEY);
  g_assert_cmpint (pw_connection_get_key_state (prod), ==, PW_KEY_STATE_KEYRING);
  g_assert_null (pw_connection_get_problem (prod));
  g_assert_cmpstr (fixture->resumed_name, ==, "prod");
  g_assert_cmpuint (fixture->resumed, ==, 1);
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  stored = keyring_lookup ("prod");
  g_assert_cmpstr (stored, ==, TEST_API_KEY);
  keyring_clear ("prod");
}

/* A key the server rejects: 401 stops the connection's sessions; a good
 * key resumes them, and the other connection is not touched. */
static void
test_rejected_key (ManagerFixture *fixture, gconstpointer data)
{
  PwSession *bad, *other;

  add_stored (fixture, "prod", fixture->base.base_url);
  add_stored (fixture, "backup", fixture->base.base_url);
  keyring_store ("prod", WRONG_KEY);
  keyring_store ("backup", TEST_API_KEY);
  start_manager (fixture);

  bad = track_new (fixture, "prod");
  other = track_new (fixture, "backup");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (bad), ==, PW_SESSION_STATE_UNAUTHORIZED);
  g_assert_cmpint (pw_session_get_state (other), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (fixture->unauthorized, ==, 1);

  set_key (fixture, "prod", TEST_API_KEY);
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (bad), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (fixture->resumed, ==, 1);

  keyring_clear ("prod");
  keyring_clear ("backup");
}

/* Editing is live: a new base URL moves the sessions to the new server at
 * their next heartbeat; timeouts follow the connection and the general
 * setting. */
static void
test_edit_live (ManagerFixture *fixture, gconstpointer data)
{
  g_autoptr (PwSandbox) second = pw_sandbox_new (fixture->base.clock, TEST_API_KEY);
  g_autoptr (GError) error = NULL;
  g_autofree char *second_url = NULL;
  g_autofree char *id = NULL;
  PwConnection *prod;
  PwSession *session;

  g_assert_true (pw_sandbox_listen (second, 0, &error));
  second_url = pw_sandbox_dup_base_url (second);

  add_stored (fixture, "prod", fixture->base.base_url);
  keyring_store ("prod", TEST_API_KEY);
  start_manager (fixture);
  prod = lookup (fixture, "prod");

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  /* The same session on the second server, as if it had moved. */
  id = pw_sandbox_create_session (second, pw_session_get_id (session), USER, NULL, -1);
  g_assert_nonnull (id);

  g_assert_true (
      pw_connection_store_update (fixture->store, "prod", second_url, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (
      pw_client_get_base_url (pw_tracker_get_client (fixture->tracker, "prod")), ==,
      second_url);
  g_assert_true (
      pw_tracker_heartbeat_now (fixture->tracker, pw_session_get_id (session)));
  settle_tracker (fixture->tracker);
  g_assert_cmpuint (pw_sandbox_get_request_count (second), ==, 1);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  /* Timeouts: 0 follows the general setting, live. */
  g_assert_cmpuint (
      pw_client_get_timeout_ms (pw_tracker_get_client (fixture->tracker, "prod")), ==,
      10000);
  g_settings_set_uint (fixture->settings, "request-timeout", 3);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (
      pw_client_get_timeout_ms (pw_tracker_get_client (fixture->tracker, "prod")), ==,
      3000);
  g_assert_true (
      pw_connection_store_update (fixture->store, "prod", second_url, 42, NULL));
  g_assert_cmpuint (
      pw_client_get_timeout_ms (pw_tracker_get_client (fixture->tracker, "prod")), ==,
      42000);
  g_assert_cmpuint (pw_connection_manager_get_timeout_ms (fixture->manager, prod), ==,
                    42000);

  /* A base URL the client cannot take (written behind the store's back):
   * the connection says why, and its session keeps its old client. */
  g_settings_set_value (
      fixture->settings, "connections",
      g_variant_new_parsed ("[('prod', 'http://example.com/v1', uint32 0)]"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_nonnull (pw_connection_get_problem (prod));
  g_assert_nonnull (strstr (pw_connection_get_problem (prod), "http://"));
  g_assert_nonnull (pw_tracker_get_client (fixture->tracker, "prod"));

  settle_tracker (fixture->tracker);
  pw_sandbox_disconnect (second);
  keyring_clear ("prod");
}

static void
test_remove (ManagerFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PwKey) key = NULL;
  Outcome outcome = { 0 };
  PwSession *session;
  guint n_finished = 99;

  add_stored (fixture, "prod", fixture->base.base_url);
  add_stored (fixture, "other", fixture->base.base_url);
  keyring_store ("prod", TEST_API_KEY);
  start_manager (fixture);

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);

  /* A live session: refused, clearly. */
  g_assert_false (
      pw_connection_manager_can_remove (fixture->manager, "prod", NULL, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "live"));
  g_clear_error (&error);
  pw_connection_manager_remove_async (fixture->manager, "prod", NULL, removed_cb,
                                      &outcome);
  spin_until (&outcome.done);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&outcome.error);
  g_assert_nonnull (pw_connection_store_lookup (fixture->store, "prod"));

  /* Finished: allowed, and the session leaves with it. */
  g_assert_true (pw_tracker_end_session (fixture->tracker, pw_session_get_id (session),
                                         PW_TRACKER_DURATION_AUTO));
  settle_tracker (fixture->tracker);
  g_assert_true (
      pw_connection_manager_can_remove (fixture->manager, "prod", &n_finished, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_finished, ==, 1);

  outcome = (Outcome){ 0 };
  pw_connection_manager_remove_async (fixture->manager, "prod", NULL, removed_cb,
                                      &outcome);
  spin_until (&outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);

  g_assert_null (pw_connection_store_lookup (fixture->store, "prod"));
  g_assert_null (pw_connection_manager_lookup (fixture->manager, "prod"));
  g_assert_null (pw_tracker_get_client (fixture->tracker, "prod"));
  g_assert_cmpuint (g_list_model_get_n_items (pw_tracker_get_sessions (fixture->tracker)),
                    ==, 0);
  g_assert_cmpstr (pw_connection_manager_get_default_name (fixture->manager), ==,
                   "other");
  key = keyring_lookup ("prod");
  g_assert_null (key);
}

/* The environment's (or the sandbox's) connection comes first, is the
 * default, and cannot be removed or given a stored key. */
static void
test_transient (ManagerFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Outcome outcome = { 0 };
  PwConnection *env;
  PwSession *session;

  add_stored (fixture, "prod", fixture->base.base_url);
  g_setenv ("PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);
  start_manager (fixture);
  g_assert_cmpstr (pw_connection_manager_get_default_name (fixture->manager), ==, "prod");

  g_assert_null (pw_connection_manager_add_transient (
      fixture->manager, PW_CONNECTION_ENVIRONMENT, "http://example.com/v1", TEST_API_KEY,
      &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  env =
      pw_connection_manager_add_transient (fixture->manager, PW_CONNECTION_ENVIRONMENT,
                                           fixture->base.base_url, TEST_API_KEY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (env);
  g_assert_true (pw_connection_get_transient (env));
  g_assert_cmpint (pw_connection_get_key_state (env), ==, PW_KEY_STATE_ENVIRONMENT);
  g_assert_cmpstr (pw_connection_manager_get_default_name (fixture->manager), ==,
                   PW_CONNECTION_ENVIRONMENT);
  {
    g_autoptr (PwConnection) first = g_list_model_get_item (
        pw_connection_manager_get_connections (fixture->manager), 0);

    g_assert_true (first == env);
  }

  session = track_new (fixture, PW_CONNECTION_ENVIRONMENT);
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);

  g_assert_false (pw_connection_manager_can_remove (
      fixture->manager, PW_CONNECTION_ENVIRONMENT, NULL, NULL));
  pw_connection_manager_set_key_async (fixture->manager, PW_CONNECTION_ENVIRONMENT,
                                       TEST_API_KEY, NULL, key_set_cb, &outcome);
  spin_until (&outcome.done);
  g_assert_error (outcome.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&outcome.error);
}

/* Restored sessions keep their connection; those of a connection that
 * does not exist are kept, saved again, and come back with it. */
static void
test_restore_keeps_connection (ManagerFixture *fixture, gconstpointer data)
{
  GPtrArray *saved =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  g_autoptr (GPtrArray) to_save = NULL;
  g_autoptr (GError) error = NULL;
  const char *ids[] = { "gs_on-prod", "gs_on-gone" };
  const char *connections[] = { "prod", "gone" };
  guint restored;

  add_stored (fixture, "prod", fixture->base.base_url);
  g_setenv ("PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);
  start_manager (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      PwSavedSession *session = pw_saved_session_new (ids[i], USER);
      g_autofree char *id =
          pw_sandbox_create_session (fixture->base.sandbox, ids[i], USER, ids[i], -1);

      session->connection = g_strdup (connections[i]);
      session->state = PW_SESSION_STATE_ACTIVE;
      session->tracked_since_real_us = g_get_real_time () - 60 * G_USEC_PER_SEC;
      session->last_success_real_us = g_get_real_time () - 30 * G_USEC_PER_SEC;
      g_ptr_array_add (saved, session);
    }

  restored = pw_connection_manager_restore (fixture->manager, saved, &error);
  g_assert_cmpuint (restored, ==, 1);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“gone”"));
  g_assert_cmpstr (
      pw_session_get_connection (pw_tracker_lookup (fixture->tracker, "gs_on-prod")), ==,
      "prod");
  g_assert_null (pw_tracker_lookup (fixture->tracker, "gs_on-gone"));

  /* Saved again with the others. */
  to_save = pw_connection_manager_dup_saved_sessions (fixture->manager);
  g_assert_cmpuint (to_save->len, ==, 2);
  g_assert_cmpstr (((PwSavedSession *) g_ptr_array_index (to_save, 1))->connection, ==,
                   "gone");

  /* The connection comes back: so does its session, heartbeated at once. */
  add_stored (fixture, "gone", fixture->base.base_url);
  g_assert_nonnull (pw_tracker_lookup (fixture->tracker, "gs_on-gone"));
  settle_tracker (fixture->tracker);
  g_assert_cmpint (
      pw_session_get_state (pw_tracker_lookup (fixture->tracker, "gs_on-gone")), ==,
      PW_SESSION_STATE_ACTIVE);
  g_clear_pointer (&to_save, g_ptr_array_unref);
  to_save = pw_connection_manager_dup_saved_sessions (fixture->manager);
  g_assert_cmpuint (to_save->len, ==, 2);
}

/* Test Connection */

typedef struct
{
  gboolean done;
  gboolean ok;
  PwProbeVerdict verdict;
  guint status;
  char *message;
  GError *error;
} Probe;

static void
probed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;

  probe->ok = pw_connection_probe_finish (result, &probe->verdict, &probe->status,
                                          &probe->message, &probe->error);
  probe->done = TRUE;
}

static void
run_probe (const char *url, const char *key, Probe *probe)
{
  pw_connection_probe_async (url, key, 5000, NULL, probed_cb, probe);
  spin_until (&probe->done);
}

static void
probe_clear (Probe *probe)
{
  g_clear_pointer (&probe->message, g_free);
  g_clear_error (&probe->error);
  *probe = (Probe){ 0 };
}

static void
test_probe (ManagerFixture *fixture, gconstpointer data)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dead_url = NULL;
  Probe probe = { 0 };
  guint16 port;

  /* The right key: 404 for the made-up session. */
  run_probe (fixture->base.base_url, TEST_API_KEY, &probe);
  g_assert_no_error (probe.error);
  g_assert_true (probe.ok);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_KEY_ACCEPTED);
  g_assert_cmpuint (probe.status, ==, 404);
  g_assert_nonnull (strstr (probe.message, "SESSION_NOT_FOUND"));
  g_assert_null (strstr (probe.message, TEST_API_KEY));
  probe_clear (&probe);

  /* A wrong one: 401. */
  run_probe (fixture->base.base_url, WRONG_KEY, &probe);
  g_assert_true (probe.ok);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_KEY_REJECTED);
  g_assert_cmpuint (probe.status, ==, 401);
  g_assert_null (strstr (probe.message, WRONG_KEY));
  probe_clear (&probe);

  /* 403 reads the same. */
  fixture_fault (&fixture->base, "{\"status\": 403, \"count\": 1}");
  run_probe (fixture->base.base_url, TEST_API_KEY, &probe);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_KEY_REJECTED);
  g_assert_cmpuint (probe.status, ==, 403);
  probe_clear (&probe);

  /* A server error: no verdict on the key, and it says so. */
  fixture_fault (&fixture->base, "{\"status\": 503, \"count\": 1}");
  run_probe (fixture->base.base_url, TEST_API_KEY, &probe);
  g_assert_true (probe.ok);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_FAILED);
  g_assert_cmpuint (probe.status, ==, 503);
  probe_clear (&probe);

  /* Nobody listening. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  dead_url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  run_probe (dead_url, TEST_API_KEY, &probe);
  g_assert_true (probe.ok);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_FAILED);
  g_assert_cmpuint (probe.status, ==, 0);
  g_assert_nonnull (strstr (probe.message, "reach"));
  probe_clear (&probe);

  /* Nothing sent for a bad URL or key. */
  run_probe ("http://example.com/v1", TEST_API_KEY, &probe);
  g_assert_false (probe.ok);
  g_assert_error (probe.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  probe_clear (&probe);
  run_probe (fixture->base.base_url, "", &probe);
  g_assert_false (probe.ok);
  g_assert_error (probe.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  probe_clear (&probe);
}

static void
manager_probed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;

  probe->ok = pw_connection_manager_probe_finish (PW_CONNECTION_MANAGER (object), result,
                                                  &probe->verdict, &probe->status,
                                                  &probe->message, &probe->error);
  probe->done = TRUE;
}

/* Test Connection while editing: with no key typed, the connection's own
 * key is tried (it never leaves the core); a new connection needs one. */
static void
test_manager_probe (ManagerFixture *fixture, gconstpointer data)
{
  Probe probe = { 0 };

  add_stored (fixture, "prod", fixture->base.base_url);
  keyring_store ("prod", TEST_API_KEY);
  start_manager (fixture);

  pw_connection_manager_probe_async (fixture->manager, "prod", fixture->base.base_url, "",
                                     0, NULL, manager_probed_cb, &probe);
  spin_until (&probe.done);
  g_assert_no_error (probe.error);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_KEY_ACCEPTED);
  g_assert_cmpuint (probe.status, ==, 404);
  probe_clear (&probe);

  /* A typed key wins over the stored one. */
  pw_connection_manager_probe_async (fixture->manager, "prod", fixture->base.base_url,
                                     WRONG_KEY, 3, NULL, manager_probed_cb, &probe);
  spin_until (&probe.done);
  g_assert_cmpint (probe.verdict, ==, PW_PROBE_KEY_REJECTED);
  probe_clear (&probe);

  pw_connection_manager_probe_async (fixture->manager, NULL, fixture->base.base_url, NULL,
                                     0, NULL, manager_probed_cb, &probe);
  spin_until (&probe.done);
  g_assert_false (probe.ok);
  g_assert_error (probe.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  probe_clear (&probe);

  keyring_clear ("prod");
}

int
main (int argc, char **argv)
{
  g_autofree char *keyring_dir = NULL;
  int status;

  keyring_dir = test_use_private_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, ManagerFixture, NULL, manager_set_up, func, manager_tear_down)
  ADD ("/connection-manager/new-destroy", test_new_destroy);
  ADD ("/connection-manager/keyring-key", test_keyring_key);
  ADD ("/connection-manager/environment-key", test_environment_key);
  ADD ("/connection-manager/missing-key", test_missing_key);
  ADD ("/connection-manager/rejected-key", test_rejected_key);
  ADD ("/connection-manager/edit-live", test_edit_live);
  ADD ("/connection-manager/remove", test_remove);
  ADD ("/connection-manager/transient", test_transient);
  ADD ("/connection-manager/restore-keeps-connection", test_restore_keeps_connection);
  ADD ("/connection-probe/verdicts", test_probe);
  ADD ("/connection-manager/probe", test_manager_probe);
#undef ADD

  status = g_test_run ();
  test_remove_dir (keyring_dir);

  return status;
}
