/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-tracker-private.h"

/* The tracker's connections: name → PwClient. A session is tracked on a
 * connection by name and heartbeated through that connection's current
 * client, so a connection's client can be replaced while it has sessions
 * (a new key, a new base URL): they use the new one from their next
 * request on. A request already out finishes on the old client, and a 401
 * it brings back says nothing about the new key (pw-tracker.c asks again).
 */

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/**
 * pw_tracker_add_connection:
 * @name: the connection's name
 * @client: the client its sessions go through
 *
 * Adds a connection, or replaces the client of one: its sessions use
 * @client from their next request on.
 */
void
pw_tracker_add_connection (PwTracker *self, const char *name, PwClient *client)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PW_IS_TRACKER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (PW_IS_CLIENT (client));

  g_hash_table_replace (self->connections, g_strdup (name), g_object_ref (client));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwTrackerEntry *entry = value;

      if (entry->client != client &&
          g_strcmp0 (pw_session_get_connection (entry->session), name) == 0)
        g_set_object (&entry->client, client);
    }
}

/**
 * pw_tracker_remove_connection:
 *
 * Forgets a connection that no tracked session uses.
 *
 * Returns: %TRUE if it was removed; %FALSE if a session still uses it or
 *   there was no such connection
 */
gboolean
pw_tracker_remove_connection (PwTracker *self, const char *name)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (pw_tracker_count_sessions (self, name, NULL) > 0)
    return FALSE;

  return g_hash_table_remove (self->connections, name);
}

PwClient *
pw_tracker_get_client (PwTracker *self, const char *connection)
{
  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  return connection ? g_hash_table_lookup (self->connections, connection) : NULL;
}

/**
 * pw_tracker_dup_connection_names:
 *
 * Returns: (transfer full): the names of the connections, sorted
 */
char **
pw_tracker_dup_connection_names (PwTracker *self)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (PW_IS_TRACKER (self), NULL);

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * pw_tracker_count_sessions:
 * @connection: a connection's name
 * @n_live: (out) (optional): how many of them are live (heartbeated,
 *   paused or being ended)
 *
 * Returns: how many tracked sessions are on @connection
 */
guint
pw_tracker_count_sessions (PwTracker *self, const char *connection, guint *n_live)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0, live = 0;

  g_return_val_if_fail (PW_IS_TRACKER (self), 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwSession *session = ((PwTrackerEntry *) value)->session;
      PwSessionState state = pw_session_get_state (session);

      if (g_strcmp0 (pw_session_get_connection (session), connection) != 0)
        continue;
      n++;
      if (pw_session_state_is_live (state) || state == PW_SESSION_STATE_ENDING)
        live++;
    }

  if (n_live != NULL)
    *n_live = live;

  return n;
}

/**
 * pw_tracker_resume_connection:
 * @connection: a connection whose key or base URL was just changed
 *
 * The sessions of @connection that a rejected (or missing) key stopped
 * are heartbeated again at once, as restored ones are: the answer decides
 * their state, and the expiry verdict waits for it. Paused ones stay
 * paused.
 *
 * Returns: how many sessions were resumed
 */
guint
pw_tracker_resume_connection (PwTracker *self, const char *connection)
{
  g_autoptr (GPtrArray) resumed = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PW_IS_TRACKER (self), 0);
  g_return_val_if_fail (connection != NULL, 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwTrackerEntry *entry = value;

      if (pw_session_get_state (entry->session) == PW_SESSION_STATE_UNAUTHORIZED &&
          g_strcmp0 (pw_session_get_connection (entry->session), connection) == 0)
        g_ptr_array_add (resumed, entry);
    }

  for (guint i = 0; i < resumed->len; i++)
    {
      PwTrackerEntry *entry = g_ptr_array_index (resumed, i);
      PwSession *session = entry->session;
      gboolean paused = pw_session_get_paused (session);

      pw_session_set_state (session, entry->answered ? PW_SESSION_STATE_ACTIVE
                                                     : PW_SESSION_STATE_PENDING);
      pw_session_set_failure_count (session, 0);
      pw_session_set_retrying (session, FALSE);
      entry->failures_reported = FALSE;
      entry->probe = !paused;
      pw_tracker_schedule_at (self, entry, paused ? G_MAXINT64 : pw_tracker_now (self));
      pw_tracker_log (self, entry, PW_EVENT_RESUMED, NULL,
                      _ ("Heartbeats resumed: the connection’s key or address changed"));
      pw_tracker_emit_changed (self, entry);
    }

  return resumed->len;
}
