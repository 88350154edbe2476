/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-window-private.h"

/* The window's side of connections: which ones the add dialog offers and
 * which it picks first, whether there is any at all (else the "No Server
 * Configured" page), and the rejected-key banner's text and its "How to
 * Fix". Without a manager (widget tests), the tracker's connections stand
 * in. */

static gboolean
connection_is_transient (PwWindow *self, const char *name)
{
  PwConnection *connection = self->connections != NULL
                                 ? pw_connection_manager_lookup (self->connections, name)
                                 : NULL;

  return connection != NULL && pw_connection_get_transient (connection);
}

/**
 * pw_window_has_connections:
 *
 * Returns: whether sessions can be added at all
 */
gboolean
pw_window_has_connections (PwWindow *self)
{
  g_auto (GStrv) names = NULL;

  if (self->connections != NULL)
    return g_list_model_get_n_items (
               pw_connection_manager_get_connections (self->connections)) > 0;

  names = pw_tracker_dup_connection_names (self->tracker);
  return names[0] != NULL;
}

/**
 * pw_window_dup_connection_names:
 * @default_name: (out): the one new sessions go to (owned by the manager
 *   or by the returned array)
 *
 * Returns: (transfer full): the connections to choose from, in the order
 *   Preferences lists them
 */
char **
pw_window_dup_connection_names (PwWindow *self, const char **default_name)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model;
  char **names;

  if (self->connections == NULL)
    {
      names = pw_tracker_dup_connection_names (self->tracker);
      *default_name = names[0];
      return names;
    }

  model = pw_connection_manager_get_connections (self->connections);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PwConnection) connection = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, pw_connection_get_name (connection));
    }

  *default_name = pw_connection_manager_get_default_name (self->connections);
  return g_strv_builder_end (builder);
}

/**
 * pw_window_dup_unauthorized_text:
 *
 * Returns: (transfer full): the banner's sentence for a connection whose
 *   sessions a rejected or missing key stopped
 */
char *
pw_window_dup_unauthorized_text (PwWindow *self, const char *connection)
{
  PwClient *client = pw_tracker_get_client (self->tracker, connection);

  if (client != NULL && !pw_client_has_api_key (client))
    return g_strdup_printf (
        /* Translators: %s is the name of a connection, e.g. "production" */
        _ ("The connection “%s” has no API key. Its sessions were stopped."), connection);

  return g_strdup_printf (
      /* Translators: %s is the name of a connection, e.g. "production" */
      _ ("The API key for “%s” was rejected. Its sessions were stopped."), connection);
}

/**
 * pw_window_fix_key:
 *
 * "How to Fix": the key of the connection in Preferences, where a new key
 * resumes the stopped sessions. The environment's connection has no
 * stored key: that is explained instead.
 */
void
pw_window_fix_key (PwWindow *self)
{
  const char *connection = self->unauthorized_connection;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (connection != NULL && self->connections != NULL &&
      !connection_is_transient (self, connection) &&
      pw_connection_manager_lookup (self->connections, connection) != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.edit-connection", "s",
                                  connection);
      return;
    }

  body = g_strdup_printf (
      /* Translators: %s is a connection's name */
      _ ("The server answered 401 or 403 to the key of the connection “%s”, so its "
         "sessions were stopped.\n\nThis connection comes from PLAYWAVE_BASE_URL: quit, "
         "set PLAYWAVE_API_KEY to a valid key and start the app again. Or add the "
         "server as a connection in Preferences, with its key kept in the keyring."),
      connection != NULL ? connection : "");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("API Key Rejected"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
