/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-connection-manager-private.h"
#include "pw-error.h"
#include "pw-keyring.h"
#include "pw-state-file.h"

/* What the user changes through the manager: a connection's key, removing
 * a connection, and the saved sessions restored onto connections (those
 * of a connection that does not exist are kept aside until it does). */

typedef struct
{
  char *name;
  PwKey *key;
} SetKey;

typedef struct
{
  PwProbeVerdict verdict;
  guint http_status;
  char *message;
} ProbeResult;

/* Helpers */

static void
probe_result_free (ProbeResult *result)
{
  g_free (result->message);
  g_free (result);
}

static void
set_key_free (SetKey *data)
{
  g_free (data->name);
  pw_keyring_free_key (data->key);
  g_free (data);
}

/* Tracks the sessions kept aside for @name, now that it has a client. */
void
pw_connection_manager_restore_orphans (PwConnectionManager *self, const char *name)
{
  g_autoptr (GPtrArray) found = NULL;

  if (self->orphans == NULL || pw_tracker_get_client (self->tracker, name) == NULL)
    return;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  for (guint i = 0; i < self->orphans->len;)
    {
      PwSavedSession *saved = g_ptr_array_index (self->orphans, i);

      if (g_strcmp0 (saved->connection, name) == 0)
        g_ptr_array_add (found, g_ptr_array_steal_index (self->orphans, i));
      else
        i++;
    }

  if (found->len > 0)
    pw_tracker_restore (self->tracker, found, NULL);
}

/* Callbacks */

static void
key_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PwConnectionManager *self = g_task_get_source_object (task);
  SetKey *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  PwConnection *connection;
  gboolean stored = pw_keyring_store_finish (result, &error);

  connection = pw_connection_manager_lookup (self, data->name);
  if (connection == NULL)
    {
      g_task_return_new_error (task, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                               _ ("There is no connection named “%s”"), data->name);
      return;
    }

  /* Even when the keyring could not keep it, the key serves this run. */
  g_hash_table_insert (self->keys, g_strdup (data->name), g_steal_pointer (&data->key));
  g_hash_table_remove (self->key_errors, data->name);
  if (self->env_key == NULL)
    pw_connection_set_key_state (connection,
                                 stored ? PW_KEY_STATE_KEYRING : PW_KEY_STATE_MEMORY);
  pw_connection_manager_apply_client (self, connection);
  pw_connection_manager_resume (self, connection);

  if (!stored)
    {
      g_task_return_new_error (
          task, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          /* Translators: %s is the keyring's error */
          _ ("The key is used until the app quits, but it could not be saved: %s"),
          error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
key_cleared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!pw_keyring_clear_finish (result, &error))
    {
      g_prefix_error (&error, _ ("The connection was removed, but its key could not be "
                                 "deleted from the keyring: "));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
probed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ProbeResult *probe = g_new0 (ProbeResult, 1);
  GError *error = NULL;

  if (!pw_connection_probe_finish (result, &probe->verdict, &probe->http_status,
                                   &probe->message, &error))
    {
      probe_result_free (probe);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, probe, (GDestroyNotify) probe_result_free);
}

/* Public API */

/**
 * pw_connection_manager_restore:
 * @saved_sessions: (transfer full) (element-type PwSavedSession): from the
 *   state file
 *
 * Tracks the saved sessions again on their own connections (see
 * pw_tracker_restore()). Those of a connection that does not exist are
 * kept aside: pw_connection_manager_dup_saved_sessions() saves them again,
 * and they are tracked when a connection of that name appears.
 *
 * Returns: how many were restored; @error says what was not
 */
guint
pw_connection_manager_restore (PwConnectionManager *self,
                               GPtrArray *saved_sessions,
                               GError **error)
{
  g_autoptr (GPtrArray) owned = saved_sessions;
  g_autoptr (GPtrArray) known =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) local_error = NULL;
  g_autofree gpointer *items = NULL;
  gsize n_items = 0;
  guint n_kept = 0;
  guint restored = 0;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), 0);
  g_return_val_if_fail (saved_sessions != NULL, 0);

  if (self->orphans == NULL)
    self->orphans =
        g_ptr_array_new_with_free_func ((GDestroyNotify) pw_saved_session_free);

  items = g_ptr_array_steal (owned, &n_items);
  for (gsize i = 0; i < n_items; i++)
    {
      PwSavedSession *saved = items[i];

      if (saved->connection != NULL &&
          pw_tracker_get_client (self->tracker, saved->connection) != NULL)
        {
          g_ptr_array_add (known, saved);
          continue;
        }

      n_kept++;
      if (!g_hash_table_contains (names, saved->connection ? saved->connection : ""))
        {
          if (g_hash_table_size (names) < 3)
            g_string_append_printf (missing, "%s“%s”", missing->len ? ", " : "",
                                    saved->connection ? saved->connection : "");
          g_hash_table_add (names, saved->connection ? saved->connection : (char *) "");
        }
      g_ptr_array_add (self->orphans, saved);
    }

  if (known->len > 0)
    restored = pw_tracker_restore (self->tracker, known, &local_error);

  if (n_kept > 0)
    {
      g_autofree char *kept = g_strdup_printf (
          ngettext ("%u saved session belongs to a connection that does not exist "
                    "(%s); it is kept and comes back when such a connection is added",
                    "%u saved sessions belong to connections that do not exist (%s); "
                    "they are kept and come back when such a connection is added",
                    n_kept),
          n_kept, missing->str);

      if (local_error != NULL)
        g_prefix_error (&local_error, "%s; ", kept);
      else
        local_error = g_error_new_literal (PW_ERROR, PW_ERROR_INVALID_ARGUMENT, kept);
    }

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return restored;
}

/**
 * pw_connection_manager_dup_saved_sessions:
 *
 * Returns: (transfer full) (element-type PwSavedSession): what to save:
 *   the tracked sessions, then those kept aside by restore
 */
GPtrArray *
pw_connection_manager_dup_saved_sessions (PwConnectionManager *self)
{
  GPtrArray *saved;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  saved = pw_tracker_dup_saved_sessions (self->tracker);
  for (guint i = 0; self->orphans != NULL && i < self->orphans->len; i++)
    g_ptr_array_add (saved, pw_saved_session_copy (g_ptr_array_index (self->orphans, i)));

  return saved;
}

/**
 * pw_connection_manager_set_key_async:
 * @name: a stored connection
 * @key: its new API key
 *
 * Stores @key in the keyring and uses it at once: the connection gets a
 * new client, and the sessions a rejected or missing key had stopped are
 * heartbeated again. When the keyring cannot store it, the key is still
 * used for this run and the finish function says why it was not saved.
 * With `PLAYWAVE_API_KEY` set, the key is stored for later runs while the
 * override stays in use.
 */
void
pw_connection_manager_set_key_async (PwConnectionManager *self,
                                     const char *name,
                                     const char *key,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PwConnection *connection;
  SetKey *data;
  GError *error = NULL;

  g_return_if_fail (PW_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_connection_manager_set_key_async);

  connection = pw_connection_manager_lookup (self, name);
  if (connection == NULL || pw_connection_get_transient (connection))
    {
      g_task_return_new_error (task, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                               _ ("There is no stored connection named “%s”"), name);
      return;
    }
  if (!pw_api_key_is_valid (key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pw_connection_manager_bump_generation (self, name);
  data = g_new0 (SetKey, 1);
  data->name = g_strdup (name);
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) set_key_free);
  pw_keyring_store_async (name, key, cancellable, key_stored_cb, g_steal_pointer (&task));
}

/**
 * pw_connection_manager_set_key_finish:
 *
 * Returns: %TRUE if the key was stored in the keyring; %FALSE with an
 *   error otherwise (the key may still be in use for this run: see the
 *   connection's #PwConnection:key-state)
 */
gboolean
pw_connection_manager_set_key_finish (PwConnectionManager *self,
                                      GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                            pw_connection_manager_set_key_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_connection_manager_can_remove:
 * @n_finished: (out) (optional): how many finished sessions would leave
 *   the list with it
 *
 * A stored connection can be removed while none of its sessions is live
 * (heartbeated, paused or being ended): removing it would orphan them
 * with the billing running. Its finished sessions go with it.
 *
 * Returns: %TRUE, or %FALSE with a %PW_ERROR_INVALID_ARGUMENT error that
 *   says why not
 */
gboolean
pw_connection_manager_can_remove (PwConnectionManager *self,
                                  const char *name,
                                  guint *n_finished,
                                  GError **error)
{
  PwConnection *connection;
  guint n, n_live;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), FALSE);

  connection = pw_connection_manager_lookup (self, name);
  if (connection == NULL || pw_connection_get_transient (connection))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("There is no stored connection named “%s”"), name ? name : "");
      return FALSE;
    }

  n = pw_tracker_count_sessions (self->tracker, name, &n_live);
  if (n_live > 0)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   ngettext ("%u session on “%s” is still live. End it or stop "
                             "tracking it first.",
                             "%u sessions on “%s” are still live. End them or stop "
                             "tracking them first.",
                             n_live),
                   n_live, name);
      return FALSE;
    }

  if (n_finished != NULL)
    *n_finished = n;

  return TRUE;
}

/**
 * pw_connection_manager_remove_async:
 *
 * Removes a stored connection that pw_connection_manager_can_remove()
 * allows: its finished sessions leave the list, the connection leaves
 * GSettings and the tracker, and its key is deleted from the keyring.
 */
void
pw_connection_manager_remove_async (PwConnectionManager *self,
                                    const char *name,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GListModel *sessions;
  GError *error = NULL;

  g_return_if_fail (PW_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_connection_manager_remove_async);

  if (!pw_connection_manager_can_remove (self, name, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  sessions = pw_tracker_get_sessions (self->tracker);
  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);

      if (g_strcmp0 (pw_session_get_connection (session), name) == 0)
        g_ptr_array_add (ids, g_strdup (pw_session_get_id (session)));
    }
  for (guint i = 0; i < ids->len; i++)
    pw_tracker_untrack (self->tracker, g_ptr_array_index (ids, i));

  if (!pw_connection_store_remove (self->store, name, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pw_keyring_clear_async (name, cancellable, key_cleared_cb, g_steal_pointer (&task));
}

gboolean
pw_connection_manager_remove_finish (PwConnectionManager *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                            pw_connection_manager_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_connection_manager_probe_async:
 * @name: (nullable): the connection being edited, whose key is tried when
 *   @key is empty; %NULL for a new one
 * @base_url: the base URL to try (as typed)
 * @key: (nullable): the key to try; empty or %NULL for the connection's
 * @timeout_sec: 0 for the general "request-timeout"
 *
 * "Test Connection" on what is being edited (see
 * pw_connection_probe_async()). The connection's own key never leaves the
 * core: it is used here when no other one is given.
 */
void
pw_connection_manager_probe_async (PwConnectionManager *self,
                                   const char *name,
                                   const char *base_url,
                                   const char *key,
                                   guint timeout_sec,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PwConnection *connection;

  g_return_if_fail (PW_IS_CONNECTION_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_connection_manager_probe_async);

  connection = pw_connection_manager_lookup (self, name);
  if ((key == NULL || *key == '\0') && connection != NULL)
    key = pw_connection_manager_key_for (self, connection);
  if (key == NULL || *key == '\0')
    {
      g_task_return_new_error (task, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, "%s",
                               _ ("Enter the API key to test it"));
      return;
    }

  if (timeout_sec == 0)
    timeout_sec = self->settings != NULL
                      ? g_settings_get_uint (self->settings, "request-timeout")
                      : PW_CLIENT_DEFAULT_TIMEOUT_MS / 1000;

  pw_connection_probe_async (base_url, key, MAX (timeout_sec, 1) * 1000, cancellable,
                             probed_cb, g_steal_pointer (&task));
}

/**
 * pw_connection_manager_probe_finish:
 *
 * See pw_connection_probe_finish().
 */
gboolean
pw_connection_manager_probe_finish (PwConnectionManager *self,
                                    GAsyncResult *result,
                                    PwProbeVerdict *verdict,
                                    guint *http_status,
                                    char **message,
                                    GError **error)
{
  ProbeResult *probe;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                            pw_connection_manager_probe_async,
                        FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);

  probe = g_task_propagate_pointer (G_TASK (result), error);
  if (probe == NULL)
    return FALSE;

  *verdict = probe->verdict;
  if (http_status != NULL)
    *http_status = probe->http_status;
  if (message != NULL)
    *message = g_steal_pointer (&probe->message);
  probe_result_free (probe);

  return TRUE;
}
