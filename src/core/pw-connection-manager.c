/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-connection-manager-private.h"
#include "pw-error.h"
#include "pw-keyring.h"
#include "pw-state-file.h"

/* Turns connections into clients the tracker heartbeats through, and keeps
 * them current. It owns the model of every connection of this run: first
 * the ones made for this run only ("transient": the environment's, the
 * sandbox's), then the stored ones, followed live from the
 * PwConnectionStore.
 *
 * Keys: `PLAYWAVE_API_KEY`, when set, is the key of every connection (the
 * override scripts rely on; the keyring is then not read). Otherwise each
 * stored connection's key is looked up in the keyring when it appears;
 * until the answer comes, and when there is none, the connection gets a
 * client without a key, whose requests fail at once, so its sessions stop
 * with a banner that leads to the key instead of disappearing. A key found
 * or set later resumes the sessions it stopped. Keys are held here only,
 * wiped when dropped.
 *
 * Every change is applied live: a new key or base URL makes a new client
 * (the tracker moves the connection's sessions onto it), a new timeout
 * changes the client in place. Lookups carry a generation number, so an
 * answer that comes after the key was set again is ignored.
 *
 * Restored sessions keep their connection: those whose connection does
 * not exist (any more, or yet) are kept aside, saved again with the
 * others, and tracked as soon as a connection of that name appears. */

G_DEFINE_FINAL_TYPE (PwConnectionManager, pw_connection_manager, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_DEFAULT_NAME,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SESSIONS_RESUMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef manager;
  char *name;
  guint generation;
} Lookup;

static void hook (PwConnectionManager *self, PwConnection *connection);

/* Helpers */

static void
lookup_free (Lookup *lookup)
{
  g_weak_ref_clear (&lookup->manager);
  g_free (lookup->name);
  g_free (lookup);
}

guint
pw_connection_manager_get_generation (PwConnectionManager *self, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->generations, name));
}

void
pw_connection_manager_bump_generation (PwConnectionManager *self, const char *name)
{
  g_hash_table_insert (
      self->generations, g_strdup (name),
      GUINT_TO_POINTER (pw_connection_manager_get_generation (self, name) + 1));
}

/* The key the connection's requests carry; %NULL for none. */
const char *
pw_connection_manager_key_for (PwConnectionManager *self, PwConnection *connection)
{
  if (!pw_connection_get_transient (connection) && self->env_key != NULL)
    return self->env_key;

  return g_hash_table_lookup (self->keys, pw_connection_get_name (connection));
}

static guint
general_timeout_sec (PwConnectionManager *self)
{
  if (self->settings == NULL)
    return PW_CLIENT_DEFAULT_TIMEOUT_MS / 1000;

  return g_settings_get_uint (self->settings, "request-timeout");
}

static void
update_problem (PwConnectionManager *self, PwConnection *connection)
{
  const char *name = pw_connection_get_name (connection);

  switch (pw_connection_get_key_state (connection))
    {
      case PW_KEY_STATE_MISSING:
        pw_connection_set_problem (connection,
                                   _ ("No API key is stored for this connection"));
        break;

      case PW_KEY_STATE_ERROR:
        pw_connection_set_problem (connection,
                                   g_hash_table_lookup (self->key_errors, name));
        break;

      case PW_KEY_STATE_UNKNOWN:
      case PW_KEY_STATE_LOOKING_UP:
      case PW_KEY_STATE_KEYRING:
      case PW_KEY_STATE_ENVIRONMENT:
      case PW_KEY_STATE_MEMORY:
      default:
        pw_connection_set_problem (connection, NULL);
        break;
    }
}

/* Makes the connection's client from its base URL, key and timeout, and
 * hands it to the tracker. */
void
pw_connection_manager_apply_client (PwConnectionManager *self, PwConnection *connection)
{
  const char *name = pw_connection_get_name (connection);
  const char *base_url = pw_connection_get_base_url (connection);
  const char *key = pw_connection_manager_key_for (self, connection);
  g_autoptr (PwClient) client = NULL;
  g_autoptr (GError) error = NULL;

  client = key != NULL ? pw_client_new (base_url, key, &error)
                       : pw_client_new_without_key (base_url, &error);
  if (client == NULL)
    {
      /* Sessions already on it keep their last working client; a
       * connection that none uses is dropped until it is fixed. */
      pw_tracker_remove_connection (self->tracker, name);
      pw_connection_set_problem (connection, error->message);
      return;
    }

  pw_client_set_timeout_ms (client,
                            pw_connection_manager_get_timeout_ms (self, connection));
  pw_tracker_add_connection (self->tracker, name, client);
  update_problem (self, connection);
  pw_connection_manager_restore_orphans (self, name);
}

void
pw_connection_manager_resume (PwConnectionManager *self, PwConnection *connection)
{
  const char *name = pw_connection_get_name (connection);
  guint n;

  if (!pw_connection_has_key (connection) ||
      pw_tracker_get_client (self->tracker, name) == NULL)
    return;

  n = pw_tracker_resume_connection (self->tracker, name);
  if (n > 0)
    g_signal_emit (self, signals[SIGNAL_SESSIONS_RESUMED], 0, name, n);
}

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  g_autoptr (PwConnectionManager) self = g_weak_ref_get (&lookup->manager);
  g_autoptr (GError) error = NULL;
  g_autoptr (PwKey) key = pw_keyring_lookup_finish (result, &error);
  PwConnection *connection;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lookup_free (lookup);
      return;
    }

  connection = pw_connection_manager_lookup (self, lookup->name);
  if (connection != NULL && !pw_connection_get_transient (connection) &&
      lookup->generation == pw_connection_manager_get_generation (self, lookup->name))
    {
      if (error != NULL)
        {
          g_hash_table_remove (self->keys, lookup->name);
          g_hash_table_insert (self->key_errors, g_strdup (lookup->name),
                               g_strdup (error->message));
          pw_connection_set_key_state (connection, PW_KEY_STATE_ERROR);
        }
      else if (key != NULL)
        {
          g_hash_table_insert (self->keys, g_strdup (lookup->name),
                               g_steal_pointer (&key));
          pw_connection_set_key_state (connection, PW_KEY_STATE_KEYRING);
        }
      else
        {
          g_hash_table_remove (self->keys, lookup->name);
          pw_connection_set_key_state (connection, PW_KEY_STATE_MISSING);
        }
      pw_connection_manager_apply_client (self, connection);
      pw_connection_manager_resume (self, connection);
    }

  lookup_free (lookup);

  g_assert (self->pending_lookups > 0);
  self->pending_lookups--;
  if (self->pending_lookups == 0 && self->load_started && !self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

/* A stored connection's key: the override, or a lookup (meanwhile, a
 * client without a key). */
static void
start_lookup (PwConnectionManager *self, PwConnection *connection)
{
  const char *name = pw_connection_get_name (connection);
  Lookup *lookup;

  if (self->env_key != NULL)
    {
      pw_connection_set_key_state (connection, PW_KEY_STATE_ENVIRONMENT);
      pw_connection_manager_apply_client (self, connection);
      return;
    }

  pw_connection_set_key_state (connection, PW_KEY_STATE_LOOKING_UP);
  pw_connection_manager_apply_client (self, connection);

  lookup = g_new0 (Lookup, 1);
  g_weak_ref_init (&lookup->manager, self);
  lookup->name = g_strdup (name);
  lookup->generation = pw_connection_manager_get_generation (self, name);
  self->pending_lookups++;
  pw_keyring_lookup_async (name, self->cancellable, looked_up_cb, lookup);
}

static void
forget (PwConnectionManager *self, PwConnection *connection)
{
  const char *name = pw_connection_get_name (connection);

  g_signal_handlers_disconnect_by_data (connection, self);
  pw_connection_manager_bump_generation (self, name);
  g_hash_table_remove (self->keys, name);
  g_hash_table_remove (self->key_errors, name);
  /* Sessions still on it (removed behind our back) keep their client. */
  pw_tracker_remove_connection (self->tracker, name);
}

static gboolean
contains (GListModel *model, guint from, guint to, PwConnection *connection)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr (PwConnection) item = g_list_model_get_item (model, i);

      if (item == connection)
        return TRUE;
    }

  return FALSE;
}

/* Mirrors the store after our transient connections. */
static void
sync_store (PwConnectionManager *self)
{
  GListModel *all = G_LIST_MODEL (self->connections);
  GListModel *stored = G_LIST_MODEL (self->store);
  guint n_old = g_list_model_get_n_items (all) - self->n_transient;
  guint n_new = g_list_model_get_n_items (stored);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) added = g_ptr_array_new ();

  for (guint i = 0; i < n_new; i++)
    {
      PwConnection *connection = g_list_model_get_item (stored, i);

      g_ptr_array_add (items, connection);
      if (!contains (all, self->n_transient, self->n_transient + n_old, connection))
        g_ptr_array_add (added, connection);
    }

  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr (PwConnection) old = g_list_model_get_item (all, self->n_transient + i);

      if (!contains (stored, 0, n_new, old))
        forget (self, old);
    }

  g_list_store_splice (self->connections, self->n_transient, n_old, items->pdata,
                       items->len);

  for (guint i = 0; i < added->len; i++)
    {
      PwConnection *connection = g_ptr_array_index (added, i);

      hook (self, connection);
      if (self->load_started)
        start_lookup (self, connection);
    }
}

/* Callbacks */

static void
base_url_changed_cb (PwConnectionManager *self,
                     GParamSpec *pspec,
                     PwConnection *connection)
{
  if (!self->load_started)
    return;

  pw_connection_manager_apply_client (self, connection);
  pw_connection_manager_resume (self, connection);
}

static void
timeout_changed_cb (PwConnectionManager *self,
                    GParamSpec *pspec,
                    PwConnection *connection)
{
  PwClient *client =
      pw_tracker_get_client (self->tracker, pw_connection_get_name (connection));

  if (client != NULL)
    pw_client_set_timeout_ms (client,
                              pw_connection_manager_get_timeout_ms (self, connection));
}

static void
store_changed_cb (PwConnectionManager *self)
{
  sync_store (self);
}

static void
store_default_changed_cb (PwConnectionManager *self)
{
  if (self->n_transient == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_NAME]);
}

static void
general_timeout_changed_cb (PwConnectionManager *self)
{
  GListModel *all = G_LIST_MODEL (self->connections);

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr (PwConnection) connection = g_list_model_get_item (all, i);

      if (pw_connection_get_timeout (connection) == 0)
        timeout_changed_cb (self, NULL, connection);
    }
}

static void
hook (PwConnectionManager *self, PwConnection *connection)
{
  g_signal_connect_object (connection, "notify::base-url",
                           G_CALLBACK (base_url_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::timeout", G_CALLBACK (timeout_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Overrides */

static void
pw_connection_manager_constructed (GObject *object)
{
  PwConnectionManager *self = (PwConnectionManager *) object;

  G_OBJECT_CLASS (pw_connection_manager_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  self->env_key = pw_keyring_dup_environment_key ();

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::request-timeout",
                             G_CALLBACK (general_timeout_changed_cb), self,
                             G_CONNECT_SWAPPED);

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "items-changed",
                               G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "notify::default",
                               G_CALLBACK (store_default_changed_cb), self,
                               G_CONNECT_SWAPPED);
      sync_store (self);
    }
}

static void
pw_connection_manager_dispose (GObject *object)
{
  PwConnectionManager *self = (PwConnectionManager *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->connections != NULL)
    {
      GListModel *all = G_LIST_MODEL (self->connections);

      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr (PwConnection) connection = g_list_model_get_item (all, i);

          g_signal_handlers_disconnect_by_data (connection, self);
        }
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_clear_object (&self->connections);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_connection_manager_parent_class)->dispose (object);
}

static void
pw_connection_manager_finalize (GObject *object)
{
  PwConnectionManager *self = (PwConnectionManager *) object;

  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->key_errors);
  g_hash_table_unref (self->generations);
  pw_keyring_free_key (self->env_key);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);

  G_OBJECT_CLASS (pw_connection_manager_parent_class)->finalize (object);
}

static void
pw_connection_manager_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  PwConnectionManager *self = PW_CONNECTION_MANAGER (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;

      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;

      case PROP_DEFAULT_NAME:
        g_value_set_string (value, pw_connection_manager_get_default_name (self));
        break;

      case PROP_LOADED:
        g_value_set_boolean (value, self->loaded);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_manager_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  PwConnectionManager *self = PW_CONNECTION_MANAGER (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;

      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_manager_class_init (PwConnectionManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pw_connection_manager_constructed;
  object_class->dispose = pw_connection_manager_dispose;
  object_class->finalize = pw_connection_manager_finalize;
  object_class->get_property = pw_connection_manager_get_property;
  object_class->set_property = pw_connection_manager_set_property;

  properties[PROP_TRACKER] = g_param_spec_object (
      "tracker", NULL, NULL, PW_TYPE_TRACKER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] = g_param_spec_object (
      "store", NULL, NULL, PW_TYPE_CONNECTION_STORE,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] = g_param_spec_object (
      "settings", NULL, NULL, G_TYPE_SETTINGS,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnectionManager:default-name:
   *
   * The connection new sessions go to: the first transient one (the
   * environment's or the sandbox's) when there is one, else the store's
   * default; %NULL with no connection at all.
   */
  properties[PROP_DEFAULT_NAME] = g_param_spec_string (
      "default-name", NULL, NULL, NULL,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnectionManager:loaded:
   *
   * The keys of the stored connections have been looked up once: saved
   * sessions can be restored now.
   */
  properties[PROP_LOADED] = g_param_spec_boolean (
      "loaded", NULL, NULL, FALSE,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwConnectionManager::sessions-resumed:
   * @name: the connection
   * @n: how many sessions
   *
   * Sessions that a rejected or missing key had stopped are heartbeated
   * again, after the connection's key or base URL changed.
   */
  signals[SIGNAL_SESSIONS_RESUMED] =
      g_signal_new ("sessions-resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
pw_connection_manager_init (PwConnectionManager *self)
{
  self->connections = g_list_store_new (PW_TYPE_CONNECTION);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) pw_keyring_free_key);
  self->key_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * pw_connection_manager_new:
 * @store: (nullable): the stored connections; %NULL for a run with only
 *   transient ones (--sandbox)
 * @settings: (nullable): the app's settings, for "request-timeout"
 *
 * Returns: (transfer full): a manager feeding @tracker. Call
 *   pw_connection_manager_load() to start.
 */
PwConnectionManager *
pw_connection_manager_new (PwTracker *tracker,
                           PwConnectionStore *store,
                           GSettings *settings)
{
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (store == NULL || PW_IS_CONNECTION_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PW_TYPE_CONNECTION_MANAGER, "tracker", tracker, "store", store,
                       "settings", settings, NULL);
}

PwTracker *
pw_connection_manager_get_tracker (PwConnectionManager *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  return self->tracker;
}

/**
 * pw_connection_manager_get_store:
 *
 * Returns: (transfer none) (nullable): the stored connections
 */
PwConnectionStore *
pw_connection_manager_get_store (PwConnectionManager *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  return self->store;
}

/**
 * pw_connection_manager_get_connections:
 *
 * Returns: (transfer none): every connection of this run, transient ones
 *   first (a GListModel of PwConnection)
 */
GListModel *
pw_connection_manager_get_connections (PwConnectionManager *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  return G_LIST_MODEL (self->connections);
}

/**
 * pw_connection_manager_lookup:
 *
 * Returns: (transfer none) (nullable): the connection of that name
 */
PwConnection *
pw_connection_manager_lookup (PwConnectionManager *self, const char *name)
{
  GListModel *all;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  all = G_LIST_MODEL (self->connections);
  for (guint i = 0; name != NULL && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr (PwConnection) connection = g_list_model_get_item (all, i);

      if (g_str_equal (pw_connection_get_name (connection), name))
        return connection; /* the list keeps it alive */
    }

  return NULL;
}

/**
 * pw_connection_manager_get_default_name:
 *
 * Returns: (nullable): see #PwConnectionManager:default-name
 */
const char *
pw_connection_manager_get_default_name (PwConnectionManager *self)
{
  g_autoptr (PwConnection) first = NULL;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);

  if (self->n_transient > 0)
    {
      first = g_list_model_get_item (G_LIST_MODEL (self->connections), 0);
      return pw_connection_get_name (first);
    }

  return self->store != NULL ? pw_connection_store_get_default (self->store) : NULL;
}

/**
 * pw_connection_manager_get_environment_key_set:
 *
 * Returns: whether `PLAYWAVE_API_KEY` was set when the manager was made,
 *   and so is the key of every stored connection in this run
 */
gboolean
pw_connection_manager_get_environment_key_set (PwConnectionManager *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), FALSE);

  return self->env_key != NULL;
}

/**
 * pw_connection_manager_get_timeout_ms:
 *
 * Returns: the per-request timeout of @connection: its own, or the general
 *   "request-timeout" when it has none
 */
guint
pw_connection_manager_get_timeout_ms (PwConnectionManager *self, PwConnection *connection)
{
  guint seconds;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), 0);
  g_return_val_if_fail (PW_IS_CONNECTION (connection), 0);

  seconds = pw_connection_get_timeout (connection);
  if (seconds == 0)
    seconds = general_timeout_sec (self);

  return MAX (seconds, 1) * 1000;
}

/**
 * pw_connection_manager_add_transient:
 * @name: %PW_CONNECTION_ENVIRONMENT or %PW_CONNECTION_SANDBOX
 * @key: its key, kept for this run only
 *
 * Adds a connection that is not stored: the one made from
 * `PLAYWAVE_BASE_URL` (or --base-url) and `PLAYWAVE_API_KEY`, or the
 * sandbox's. It comes first and is the default for this run.
 *
 * Returns: (transfer none) (nullable): the connection, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error for a bad base URL or key
 */
PwConnection *
pw_connection_manager_add_transient (PwConnectionManager *self,
                                     const char *name,
                                     const char *base_url,
                                     const char *key,
                                     GError **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr (PwConnection) connection = NULL;

  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (pw_connection_manager_lookup (self, name) == NULL, NULL);

  normalized = pw_base_url_normalize (base_url, error);
  if (normalized == NULL || !pw_api_key_is_valid (key, error))
    return NULL;

  connection = pw_connection_new (name, normalized, 0, TRUE);
  pw_connection_set_key_state (connection, g_strcmp0 (key, self->env_key) == 0
                                               ? PW_KEY_STATE_ENVIRONMENT
                                               : PW_KEY_STATE_MEMORY);
  g_hash_table_insert (self->keys, g_strdup (name), g_strdup (key));
  g_list_store_insert (self->connections, self->n_transient++, connection);
  hook (self, connection);
  pw_connection_manager_apply_client (self, connection);

  if (self->n_transient == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_NAME]);

  return connection;
}

/**
 * pw_connection_manager_load:
 *
 * Gives every stored connection a client and looks up their keys;
 * #PwConnectionManager:loaded turns %TRUE when every lookup has answered
 * (at once when none is needed: `PLAYWAVE_API_KEY` set, or nothing
 * stored). Connections stored later are looked up as they come.
 */
void
pw_connection_manager_load (PwConnectionManager *self)
{
  GListModel *all;

  g_return_if_fail (PW_IS_CONNECTION_MANAGER (self));

  if (self->load_started)
    return;
  self->load_started = TRUE;

  all = G_LIST_MODEL (self->connections);
  for (guint i = self->n_transient; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr (PwConnection) connection = g_list_model_get_item (all, i);

      start_lookup (self, connection);
    }

  if (self->pending_lookups == 0)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

gboolean
pw_connection_manager_get_loaded (PwConnectionManager *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (self), FALSE);

  return self->loaded;
}
