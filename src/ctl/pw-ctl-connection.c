/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-connection-store.h"
#include "pw-ctl-connection.h"
#include "pw-error.h"
#include "pw-keyring.h"

/* Where playwave-ctl sends its requests, and with which key.
 *
 * Base URL: --base-url, else PLAYWAVE_BASE_URL, else the stored connection
 * (--connection NAME, or the default one of playwave-monitor's
 * Preferences). Key: PLAYWAVE_API_KEY always wins; without it, the stored
 * connection's key is read from the keyring. A base URL given by hand has
 * no stored key, unless --connection names one.
 *
 * Scripts must never hang on a desktop keyring: the lookup has a budget
 * (a locked keyring would wait for a password prompt), and no Secret
 * Service at all is a quick, clear error. Every problem here is a usage
 * error (exit status 2), reported before anything is sent. */

#define KEYRING_BUDGET_MS 10000

typedef struct
{
  GMainLoop *loop;
  PwKey *key;
  GError *error;
  gboolean done;
} Lookup;

/* Helpers */

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;

  lookup->key = pw_keyring_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
  g_main_loop_quit (lookup->loop);
}

static gboolean
budget_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

/* The stored key of @name, waiting at most KEYRING_BUDGET_MS. */
static PwKey *
lookup_key (const char *name, GError **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Lookup lookup = { loop, NULL, NULL, FALSE };
  guint budget;

  budget = g_timeout_add (KEYRING_BUDGET_MS, budget_cb, cancellable);
  pw_keyring_lookup_async (name, cancellable, looked_up_cb, &lookup);
  if (!lookup.done)
    g_main_loop_run (loop);
  g_clear_handle_id (&budget, g_source_remove);

  if (g_error_matches (lookup.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&lookup.error);
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The keyring did not answer within %d s (is it locked?)"),
                   KEYRING_BUDGET_MS / 1000);
      return NULL;
    }
  if (lookup.error != NULL)
    {
      g_propagate_error (error, lookup.error);
      return NULL;
    }

  return lookup.key;
}

/* Public API */

/**
 * pw_ctl_connection_make_client:
 * @base_url_option: (nullable): --base-url
 * @connection_option: (nullable): --connection
 * @timeout_option: --timeout in seconds, or a negative number when not given
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error that says what to set
 */
PwClient *
pw_ctl_connection_make_client (const char *base_url_option,
                               const char *connection_option,
                               double timeout_option,
                               GError **error)
{
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (PwConnectionStore) store = NULL;
  g_autoptr (PwKey) key = pw_keyring_dup_environment_key ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (PwClient) client = NULL;
  const char *base_url = base_url_option;
  PwConnection *connection = NULL;
  guint timeout_ms = PW_CLIENT_DEFAULT_TIMEOUT_MS;

  if (base_url == NULL || *base_url == '\0')
    base_url = g_getenv ("PLAYWAVE_BASE_URL");
  if (base_url != NULL && *base_url == '\0')
    base_url = NULL;

  /* A stored connection: named, or the default one when nothing else says
   * where to go. */
  if (connection_option != NULL || base_url == NULL)
    {
      settings = settings_new ();
      store = settings != NULL ? pw_connection_store_new (settings) : NULL;
      if (connection_option != NULL)
        {
          if (store == NULL)
            {
              g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("--connection: the stored connections cannot be read (the "
                              "settings schema %s is not installed)"),
                           APP_ID);
              return NULL;
            }
          connection = pw_connection_store_lookup (store, connection_option);
          if (connection == NULL)
            {
              g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("--connection: there is no stored connection named “%s”"),
                           connection_option);
              return NULL;
            }
        }
      else if (store != NULL && pw_connection_store_get_default (store) != NULL)
        {
          connection =
              pw_connection_store_lookup (store, pw_connection_store_get_default (store));
        }
    }

  if (base_url == NULL && connection != NULL)
    base_url = pw_connection_get_base_url (connection);
  if (base_url == NULL)
    {
      g_set_error_literal (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("No base URL: use --base-url, set PLAYWAVE_BASE_URL, or add a connection "
             "in playwave-monitor’s Preferences"));
      return NULL;
    }

  if (key == NULL && connection != NULL)
    {
      key = lookup_key (pw_connection_get_name (connection), &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                       _ ("No API key: PLAYWAVE_API_KEY is not set, and the key of “%s” "
                          "could not be read: %s"),
                       pw_connection_get_name (connection), local_error->message);
          return NULL;
        }
      if (key == NULL)
        {
          g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                       _ ("No API key: set PLAYWAVE_API_KEY, or store the key of “%s” in "
                          "playwave-monitor’s Preferences"),
                       pw_connection_get_name (connection));
          return NULL;
        }
    }

  client = pw_client_new (base_url, key, error);
  if (client == NULL)
    return NULL;

  if (timeout_option >= 0)
    timeout_ms = (guint) (timeout_option * 1000.0);
  else if (connection != NULL && pw_connection_get_timeout (connection) > 0)
    timeout_ms = pw_connection_get_timeout (connection) * 1000;
  else if (connection != NULL && settings != NULL)
    timeout_ms = g_settings_get_uint (settings, "request-timeout") * 1000;
  pw_client_set_timeout_ms (client, timeout_ms);

  return g_steal_pointer (&client);
}
