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
 * Per session is not enough over a long uptime: 10,000 sessions × 20
 * exchanges of about 0.8 KiB each is 160 MB, and a server answering with
 * 64 KiB bodies (what the inspector keeps of one) makes that 13 GB.
 * So all the lists together also stay within a byte budget
 * (pw_exchange_get_size()): past it, the oldest exchanges of all go first,
 * whichever session they belong to. A session whose exchanges all went
 * still shows its last answer, which PwSession keeps. Every list keeps a
 * queue of its links into one global queue, oldest first, so each drop is
 * O(1).
 *
 * The history holds no reference on the tracker or its model: its handlers
 * are connected with g_signal_connect_object() and the model is a weak
 * pointer, so either may go first. */

typedef struct _SessionList SessionList;

/* One exchange in the global queue. */
typedef struct
{
  SessionList *list;
  gsize size;
} Held;

/* One session's list, and its exchanges' links in the global queue, in
 * the same order as the store's items. */
struct _SessionList
{
  PwExchangeHistory *history; /* not a reference: it owns the list */
  GListStore *store;
  GQueue links; /* GList* of self->held */
};

struct _PwExchangeHistory
{
  GObject parent_instance;

  GListModel *sessions;
  GHashTable *lists; /* session id → SessionList */
  GQueue held;       /* Held, oldest first, over every list */
  gsize n_bytes;
  gsize max_bytes;
  guint per_session;
  guint sweep_source;
};

G_DEFINE_FINAL_TYPE (PwExchangeHistory, pw_exchange_history, G_TYPE_OBJECT)

/* Forgets the oldest exchange of @list, in the store and the accounts. */
static void
drop_oldest (PwExchangeHistory *self, SessionList *list)
{
  GList *link = g_queue_pop_head (&list->links);
  Held *held = link->data;

  g_assert (held->list == list);
  self->n_bytes -= held->size;
  g_queue_delete_link (&self->held, link);
  g_free (held);
  g_list_store_remove (list->store, 0);
}

/* Drops the list's accounts. The store itself may live on in a pane that
 * holds a reference; it keeps what it shows but gets nothing new. */
static void
session_list_free (gpointer data)
{
  SessionList *list = data;
  PwExchangeHistory *self = list->history;
  GList *link;

  while ((link = g_queue_pop_head (&list->links)) != NULL)
    {
      Held *held = link->data;

      self->n_bytes -= held->size;
      g_queue_delete_link (&self->held, link);
      g_free (held);
    }

  g_object_unref (list->store);
  g_free (list);
}

static SessionList *
ensure_list (PwExchangeHistory *self, const char *session_id)
{
  SessionList *list = g_hash_table_lookup (self->lists, session_id);

  if (list == NULL)
    {
      list = g_new0 (SessionList, 1);
      list->history = self;
      list->store = g_list_store_new (PW_TYPE_EXCHANGE);
      g_queue_init (&list->links);
      g_hash_table_insert (self->lists, g_strdup (session_id), list);
    }

  return list;
}

static void
trim_to_budget (PwExchangeHistory *self)
{
  while (self->n_bytes > self->max_bytes && !g_queue_is_empty (&self->held))
    {
      Held *oldest = g_queue_peek_head (&self->held);

      drop_oldest (self, oldest->list);
    }
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

  g_hash_table_iter_init (&iter, self->lists);
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
  SessionList *list = ensure_list (self, pw_session_get_id (session));
  Held *held = g_new0 (Held, 1);

  while (g_queue_get_length (&list->links) >= self->per_session)
    drop_oldest (self, list);

  held->list = list;
  held->size = pw_exchange_get_size (exchange);
  g_list_store_append (list->store, exchange);
  g_queue_push_tail (&self->held, held);
  g_queue_push_tail (&list->links, g_queue_peek_tail_link (&self->held));
  self->n_bytes += held->size;

  trim_to_budget (self);
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
  if (self->lists != NULL)
    g_hash_table_remove_all (self->lists);

  G_OBJECT_CLASS (pw_exchange_history_parent_class)->dispose (object);
}

static void
pw_exchange_history_finalize (GObject *object)
{
  PwExchangeHistory *self = PW_EXCHANGE_HISTORY (object);

  g_clear_pointer (&self->lists, g_hash_table_unref);
  g_assert (g_queue_is_empty (&self->held) && self->n_bytes == 0);

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
  self->lists =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, session_list_free);
  g_queue_init (&self->held);
  self->per_session = PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION;
  self->max_bytes = PW_EXCHANGE_HISTORY_DEFAULT_MAX_BYTES;
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

  return G_LIST_MODEL (ensure_list (self, session_id)->store);
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

  g_hash_table_remove (self->lists, session_id);
}

/**
 * pw_exchange_history_set_max_bytes:
 * @max_bytes: how much all the lists together may hold (as
 *   pw_exchange_get_size() counts), at least 1
 *
 * Drops the oldest exchanges at once if they are over the new budget.
 */
void
pw_exchange_history_set_max_bytes (PwExchangeHistory *self, gsize max_bytes)
{
  g_return_if_fail (PW_IS_EXCHANGE_HISTORY (self));
  g_return_if_fail (max_bytes > 0);

  self->max_bytes = max_bytes;
  trim_to_budget (self);
}

gsize
pw_exchange_history_get_max_bytes (PwExchangeHistory *self)
{
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (self), 0);

  return self->max_bytes;
}

/**
 * pw_exchange_history_get_n_bytes:
 *
 * Returns: what the exchanges held now take, as pw_exchange_get_size()
 *   counts; never more than the budget once an exchange was added
 */
gsize
pw_exchange_history_get_n_bytes (PwExchangeHistory *self)
{
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (self), 0);

  return self->n_bytes;
}

/**
 * pw_exchange_history_get_n_exchanges:
 *
 * Returns: how many exchanges all the lists hold together
 */
guint
pw_exchange_history_get_n_exchanges (PwExchangeHistory *self)
{
  g_return_val_if_fail (PW_IS_EXCHANGE_HISTORY (self), 0);

  return g_queue_get_length (&self->held);
}
