/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-exchange-history.h"

/* The last few requests and answers of every session, for the detail pane
 * ("Recent Requests") and the inspector. One GListStore of PwExchange per
 * session id, oldest first and newest last, never longer than per_session:
 * the oldest is dropped when a new one arrives.
 *
 * A session's list is made on demand, so a pane can bind to it before its
 * first exchange; it lives until the session leaves the tracker (or
 * pw_exchange_history_forget() is called). The tracker's model says that
 * something was removed but not what, and the tracker still knows the
 * session while it emits; so a removal schedules one sweep on idle that
 * keeps the lists of the sessions still in the model. Untracking a thousand
 * sessions at once costs one pass, not a thousand. A pane that still shows a
 * dropped list keeps its own reference and simply sees no new exchanges.
 *
 * The history holds no reference on the tracker or its model: its handlers
 * are connected with g_signal_connect_object() and the model is a weak
 * pointer, so either may go first. */

struct _PwExchangeHistory
{
  GObject parent_instance;

  GListModel *sessions;
  GHashTable *stores; /* session id → GListStore of PwExchange */
  guint per_session;
  guint sweep_source;
};

G_DEFINE_FINAL_TYPE (PwExchangeHistory, pw_exchange_history, G_TYPE_OBJECT)

static GListStore *
ensure_store (PwExchangeHistory *self, const char *session_id)
{
  GListStore *store = g_hash_table_lookup (self->stores, session_id);

  if (store == NULL)
    {
      store = g_list_store_new (PW_TYPE_EXCHANGE);
      g_hash_table_insert (self->stores, g_strdup (session_id), store);
    }

  return store;
}

static gboolean
sweep_cb (gpointer user_data)
{
  PwExchangeHistory *self = user_data;
  g_autoptr (GHashTable) live = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_items;
  GHashTableIter iter;
  gpointer key;

  self->sweep_source = 0;

  if (self->sessions == NULL)
    return G_SOURCE_REMOVE;

  /* The ids are owned by the sessions, which the model keeps alive. */
  n_items = g_list_model_get_n_items (self->sessions);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (self->sessions, i);

      g_hash_table_add (live, (gpointer) pw_session_get_id (session));
    }

  g_hash_table_iter_init (&iter, self->stores);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_hash_table_iter_remove (&iter);

  return G_SOURCE_REMOVE;
}

static void
exchange_cb (PwTracker *tracker,
             PwSession *session,
             PwExchange *exchange,
             PwExchangeHistory *self)
{
  GListStore *store = ensure_store (self, pw_session_get_id (session));
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (n_items >= self->per_session)
    g_list_store_splice (store, 0, n_items - self->per_session + 1, NULL, 0);

  g_list_store_append (store, exchange);
}

static void
sessions_changed_cb (GListModel *sessions,
                     guint position,
                     guint removed,
                     guint added,
                     PwExchangeHistory *self)
{
  if (removed == 0 || self->sweep_source != 0)
    return;

  self->sweep_source = g_idle_add_full (G_PRIORITY_LOW, sweep_cb, self, NULL);
}

static void
pw_exchange_history_dispose (GObject *object)
{
  PwExchangeHistory *self = PW_EXCHANGE_HISTORY (object);

  g_clear_handle_id (&self->sweep_source, g_source_remove);
  if (self->sessions != NULL)
    g_signal_handlers_disconnect_by_data (self->sessions, self);
  g_clear_weak_pointer (&self->sessions);
  if (self->stores != NULL)
    g_hash_table_remove_all (self->stores);

  G_OBJECT_CLASS (pw_exchange_history_parent_class)->dispose (object);
}

static void
pw_exchange_history_finalize (GObject *object)
{
  PwExchangeHistory *self = PW_EXCHANGE_HISTORY (object);

  g_clear_pointer (&self->stores, g_hash_table_unref);

  G_OBJECT_CLASS (pw_exchange_history_parent_class)->finalize (object);
}

static void
pw_exchange_history_class_init (PwExchangeHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_exchange_history_dispose;
  object_class->finalize = pw_exchange_history_finalize;
}

static void
pw_exchange_history_init (PwExchangeHistory *self)
{
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->per_session = PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION;
}

/**
 * pw_exchange_history_new:
 * @tracker: whose exchanges to keep
 * @per_session: how many to keep per session, at least 1
 *
 * Returns: (transfer full): a history that follows @tracker; it holds no
 *   reference on it
 */
PwExchangeHistory *
pw_exchange_history_new (PwTracker *tracker, guint per_session)
{
  PwExchangeHistory *self;

  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (per_session > 0, NULL);

  self = g_object_new (PW_TYPE_EXCHANGE_HISTORY, NULL);
  self->per_session = per_session;

  /* Weak: the history must not keep the tracker's sessions alive. */
  g_set_weak_pointer (&self->sessions, pw_tracker_get_sessions (tracker));
  g_signal_connect_object (self->sessions, "items-changed",
                           G_CALLBACK (sessions_changed_cb), self, 0);
  g_signal_connect_object (tracker, "exchange", G_CALLBACK (exchange_cb), self, 0);

  return self;
}

/**
 * pw_exchange_history_get_for_session:
 *
 * The recent exchanges of one session, oldest first and newest last; an
 * empty list until its first exchange, kept up to date from then on.
 *
 * Returns: (transfer none): a GListModel of PwExchange
 */
GListModel *
pw_exchange_history_get_for_session (PwExchangeHistory *self, const char *session_id)
{
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  return G_LIST_MODEL (ensure_store (self, session_id));
}

/**
 * pw_exchange_history_forget:
 *
 * Drops the exchanges of one session at once. Lists already handed out stay
 * valid (and keep what they hold); a later
 * pw_exchange_history_get_for_session() starts a new, empty one.
 */
void
pw_exchange_history_forget (PwExchangeHistory *self, const char *session_id)
{
  g_return_if_fail (PW_IS_EXCHANGE_HISTORY (self));
  g_return_if_fail (session_id != NULL);

  g_hash_table_remove (self->stores, session_id);
}
