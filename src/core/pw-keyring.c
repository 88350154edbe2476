/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-keyring.h"

/* API keys in the Secret Service, through libsecret: one item per
 * connection, found by its name alone. The schema is named after the app
 * id, so the items are the app's own (libsecret adds the schema name as
 * the `xdg:schema` attribute and matches on it); the connection name is
 * the only other attribute. Nothing secret goes into attributes or labels:
 * those are stored in the clear.
 *
 * Inside the Flatpak, libsecret 0.20 talks to the Secret portal and keeps
 * an encrypted file of the app's own (no `--talk-name=org.freedesktop.secrets`
 * needed); outside, it talks to gnome-keyring or KWallet over D-Bus. Tests
 * use its file backend (`SECRET_BACKEND=file`) or a private
 * gnome-keyring-daemon.
 *
 * Every call is asynchronous and made from the thread of the main context
 * (libsecret's rule). These wrappers return our own GTask, so callers get
 * the keyring's error with one prefix that says where it came from.
 *
 * The first call starts libsecret's backend alone, and the others wait for
 * it: libsecret 0.20 makes a new backend for every call made before the
 * first one has finished starting it (secret_backend_get() caches it only
 * once started), and with the file backend (the Flatpak's) a key stored through
 * such a second backend is invisible to the cached one, which may later
 * overwrite it. Seen in test-preferences: a lookup and a store issued
 * together as the first calls lost the stored key. */

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Op;

typedef struct
{
  Op op;
  char *connection;
  PwKey *key;
} Call;

typedef enum
{
  BACKEND_IDLE,
  BACKEND_STARTING,
  BACKEND_READY,
} BackendState;

static BackendState backend_state;
static GQueue waiting = G_QUEUE_INIT; /* GTask, in call order */

static const SecretSchema schema = {
  APP_ID,
  SECRET_SCHEMA_NONE,
  {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
  },
};

static void run (GTask *task);

/* Helpers */

/* A call has finished: the first one to succeed leaves libsecret's backend
 * started and cached, so the waiting calls can go, all at once. After a
 * failure (no Secret Service, cancelled) the next waiting call tries to
 * start it in turn. */
static void
call_done (gboolean ok)
{
  GTask *task;

  if (backend_state != BACKEND_STARTING)
    return;

  if (ok)
    {
      backend_state = BACKEND_READY;
      while ((task = g_queue_pop_head (&waiting)) != NULL)
        run (task);
      return;
    }

  task = g_queue_pop_head (&waiting);
  if (task != NULL)
    run (task);
  else
    backend_state = BACKEND_IDLE;
}

static void
call_free (Call *call)
{
  g_free (call->connection);
  pw_keyring_free_key (call->key);
  g_free (call);
}

static void
return_keyring_error (GTask *task, GError *error)
{
  /* Translators: put before libsecret's or the Secret Service's message */
  g_prefix_error (&error, _ ("Keyring: "));
  g_task_return_error (task, error);
}

/* Callbacks */

static void
stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  call_done (error == NULL);
}

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      return_keyring_error (task, error);
      call_done (FALSE);
      return;
    }

  /* Ours to free with pw_keyring_free_key(), whatever libsecret allocated it
   * with; libsecret wipes its own copy. */
  g_task_return_pointer (task, g_strdup (password), (GDestroyNotify) pw_keyring_free_key);
  secret_password_free (password);
  call_done (TRUE);
}

static void
cleared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  secret_password_clear_finish (result, &error);
  ok = error == NULL;
  if (!ok)
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  call_done (ok);
}

static void
run (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *label = NULL;

  switch (call->op)
    {
      case OP_STORE:
        /* Translators: the label of the keyring item, shown in Passwords and
         * Keys; %s is the connection's name */
        label = g_strdup_printf (_ ("PlayWave API key for “%s”"), call->connection);
        secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, label, call->key,
                               cancellable, stored_cb, task, "connection",
                               call->connection, NULL);
        break;

      case OP_LOOKUP:
        secret_password_lookup (&schema, cancellable, looked_up_cb, task, "connection",
                                call->connection, NULL);
        break;

      case OP_CLEAR:
      default:
        secret_password_clear (&schema, cancellable, cleared_cb, task, "connection",
                               call->connection, NULL);
        break;
    }
}

/* Takes @task. */
static void
start (GTask *task, Op op, const char *connection, const char *key)
{
  Call *call = g_new0 (Call, 1);

  call->op = op;
  call->connection = g_strdup (connection);
  call->key = g_strdup (key);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (backend_state == BACKEND_READY)
    {
      run (task);
      return;
    }

  if (backend_state == BACKEND_IDLE)
    {
      /* This call starts the backend; the others wait until it is done. */
      backend_state = BACKEND_STARTING;
      run (task);
      return;
    }

  g_queue_push_tail (&waiting, task);
}

/* Public API */

/**
 * pw_keyring_get_schema:
 *
 * Returns: the secret schema of the app's API keys: named after the app
 *   id, with one string attribute, `connection`
 */
const SecretSchema *
pw_keyring_get_schema (void)
{
  return &schema;
}

/**
 * pw_keyring_dup_environment_key:
 *
 * `PLAYWAVE_API_KEY` overrides every stored key (for scripts and tests);
 * it is never written to the keyring.
 *
 * Returns: (transfer full) (nullable): its value, %NULL when unset or empty
 */
PwKey *
pw_keyring_dup_environment_key (void)
{
  const char *key = g_getenv (PW_KEYRING_ENV_KEY);

  return key != NULL && *key != '\0' ? g_strdup (key) : NULL;
}

/**
 * pw_keyring_store_async:
 * @connection: the connection's name
 * @key: the API key; checked with pw_api_key_is_valid() first
 *
 * Stores (or replaces) the key of @connection in the default collection.
 */
void
pw_keyring_store_async (const char *connection,
                        const char *key,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (connection != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_keyring_store_async);

  if (!pw_api_key_is_valid (key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  start (g_steal_pointer (&task), OP_STORE, connection, key);
}

gboolean
pw_keyring_store_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_keyring_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_keyring_lookup_async:
 *
 * Looks up the stored key of @connection. `PLAYWAVE_API_KEY` is not
 * consulted here: see pw_keyring_dup_environment_key().
 */
void
pw_keyring_lookup_async (const char *connection,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task;

  g_return_if_fail (connection != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_keyring_lookup_async);
  start (task, OP_LOOKUP, connection, NULL);
}

/**
 * pw_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the key (free it with
 *   pw_keyring_free_key()), or %NULL: none stored when @error is not set
 */
PwKey *
pw_keyring_lookup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == pw_keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pw_keyring_clear_async:
 *
 * Deletes the stored key of @connection, if there is one.
 */
void
pw_keyring_clear_async (const char *connection,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task;

  g_return_if_fail (connection != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_keyring_clear_async);
  start (task, OP_CLEAR, connection, NULL);
}

/**
 * pw_keyring_clear_finish:
 *
 * Returns: %TRUE when no key of the connection is stored any more
 */
gboolean
pw_keyring_clear_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_keyring_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_keyring_free_key:
 *
 * Overwrites a key held in memory, then frees it.
 */
void
pw_keyring_free_key (PwKey *key)
{
  if (key == NULL)
    return;

  memset (key, 0, strlen (key));
  g_free (key);
}
