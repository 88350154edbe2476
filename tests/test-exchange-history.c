/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-exchange-history.h"
#include "pw-test-util.h"
#include "pw-tracker.h"

/* The per-session history of requests, fed by a real tracker heartbeating
 * sessions of the in-process sandbox on a fake clock. */

#define USER "555"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwExchange *last; /* the last exchange the tracker emitted, not owned */
  guint n_emitted;
} HistoryFixture;

static void
exchange_cb (PwTracker *tracker,
             PwSession *session,
             PwExchange *exchange,
             HistoryFixture *fixture)
{
  fixture->last = exchange;
  fixture->n_emitted++;
}

static void
history_set_up (HistoryFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->history = pw_exchange_history_new (fixture->tracker, GPOINTER_TO_UINT (data));
  g_signal_connect (fixture->tracker, "exchange", G_CALLBACK (exchange_cb), fixture);
}

static void
drain (HistoryFixture *fixture)
{
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
history_tear_down (HistoryFixture *fixture, gconstpointer data)
{
  if (fixture->history != NULL)
    g_assert_finalize_object (fixture->history);
  if (fixture->tracker != NULL)
    g_assert_finalize_object (fixture->tracker);
  drain (fixture);
  sandbox_fixture_tear_down (&fixture->base, data);
}

/* Runs the loop until no request is on the wire or waiting. */
static void
settle (HistoryFixture *fixture)
{
  settle_tracker (fixture->tracker);
}

/* Protocol time, one second at a time, settling after each. */
static void
run_for (HistoryFixture *fixture, guint seconds)
{
  run_tracker_for (&fixture->base, fixture->tracker, seconds);
}

/* Each on its own PC: a second session on one PC replaces the first. */
static char *
track_new (HistoryFixture *fixture, gint64 next_heartbeat_in)
{
  static guint n_pcs;
  g_autofree char *pc_id = g_strdup_printf ("pc-%u", ++n_pcs);
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc_id, -1);
  g_autoptr (GError) error = NULL;

  if (next_heartbeat_in > 0)
    g_assert_true (
        pw_sandbox_set_next_heartbeat_in (fixture->base.sandbox, id, next_heartbeat_in));
  g_assert_nonnull (
      pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&id);
}

static void
assert_all_of_session (GListModel *list, const char *session_id)
{
  gint64 previous = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (PwExchange) exchange = g_list_model_get_item (list, i);

      g_assert_cmpstr (pw_exchange_get_session_id (exchange), ==, session_id);
      /* Oldest first, newest last. */
      g_assert_cmpint (pw_exchange_get_started_real_us (exchange), >=, previous);
      previous = pw_exchange_get_started_real_us (exchange);
    }
}

#define ADD(path, per_session, func)                                                     \
  g_test_add (path, HistoryFixture, GUINT_TO_POINTER (per_session), history_set_up,      \
              func, history_tear_down)

static void
test_new_destroy (HistoryFixture *fixture, gconstpointer data)
{
  GListModel *list = pw_exchange_history_get_for_session (fixture->history, "nobody");

  g_assert_true (g_list_model_get_item_type (list) == PW_TYPE_EXCHANGE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  /* The same list every time, made on demand. */
  g_assert_true (list ==
                 pw_exchange_history_get_for_session (fixture->history, "nobody"));

  g_assert_finalize_object (g_steal_pointer (&fixture->history));
}

static void
test_per_session (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GListModel *list_a;
  GListModel *list_b;
  guint n_a;
  guint n_b;

  a = track_new (fixture, 10);
  /* Bound before anything happened: it must fill in as exchanges arrive. */
  list_a = pw_exchange_history_get_for_session (fixture->history, a);
  g_assert_cmpuint (g_list_model_get_n_items (list_a), ==, 0);

  b = track_new (fixture, 30);
  run_for (fixture, 61);

  list_b = pw_exchange_history_get_for_session (fixture->history, b);
  g_assert_true (list_a == pw_exchange_history_get_for_session (fixture->history, a));
  n_a = g_list_model_get_n_items (list_a);
  n_b = g_list_model_get_n_items (list_b);

  /* Every 10 s (a little earlier, by its phase) and every 30 s. */
  g_assert_cmpuint (n_a, >=, 7);
  g_assert_cmpuint (n_b, >=, 3);
  g_assert_cmpuint (n_b, <, n_a);
  g_assert_cmpuint (n_a + n_b, ==, fixture->n_emitted);
  assert_all_of_session (list_a, a);
  assert_all_of_session (list_b, b);

  for (guint i = 0; i < n_a; i++)
    {
      g_autoptr (PwExchange) exchange = g_list_model_get_item (list_a, i);

      g_assert_cmpint (pw_exchange_get_kind (exchange), ==, PW_REQUEST_HEARTBEAT);
      g_assert_cmpstr (pw_exchange_get_method (exchange), ==, "PATCH");
      g_assert_cmpuint (pw_exchange_get_status (exchange), ==, 200);
    }
}

static void
test_bounded (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *id = track_new (fixture, 0);
  GListModel *list = pw_exchange_history_get_for_session (fixture->history, id);
  g_autoptr (PwExchange) newest = NULL;
  g_autoptr (PwExchange) end = NULL;
  g_autoptr (PwExchange) oldest = NULL;

  settle (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);

  for (guint i = 0; i < 5; i++)
    {
      fixture_advance (&fixture->base, 1);
      g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, id));
      settle (fixture);
    }

  /* Six heartbeats, three kept: the last three, newest last. */
  g_assert_cmpuint (fixture->n_emitted, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  newest = g_list_model_get_item (list, 2);
  g_assert_true (newest == fixture->last);
  assert_all_of_session (list, id);
  oldest = g_list_model_get_item (list, 0);

  /* The end request goes in too, and pushes the oldest out. */
  g_assert_true (pw_tracker_end_session (fixture->tracker, id, PW_TRACKER_DURATION_AUTO));
  settle (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  end = g_list_model_get_item (list, 2);
  g_assert_cmpint (pw_exchange_get_kind (end), ==, PW_REQUEST_END);
  g_assert_cmpstr (pw_exchange_get_method (end), ==, "DELETE");
  g_assert_false (g_list_store_find (G_LIST_STORE (list), oldest, NULL));
  g_assert_true (g_list_store_find (G_LIST_STORE (list), newest, NULL));
}

static void
test_forget (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *id = track_new (fixture, 0);
  g_autoptr (GListModel) old = NULL;
  GListModel *fresh;

  settle (fixture);
  old = g_object_ref (pw_exchange_history_get_for_session (fixture->history, id));
  g_assert_cmpuint (g_list_model_get_n_items (old), ==, 1);

  pw_exchange_history_forget (fixture->history, id);
  fresh = pw_exchange_history_get_for_session (fixture->history, id);
  g_assert_true (fresh != old);
  g_assert_cmpuint (g_list_model_get_n_items (fresh), ==, 0);
  /* Whoever still holds the old list keeps what it had. */
  g_assert_cmpuint (g_list_model_get_n_items (old), ==, 1);

  /* New exchanges go to the new list only. */
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, id));
  settle (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (fresh), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (old), ==, 1);

  /* Forgetting what was never there is harmless. */
  pw_exchange_history_forget (fixture->history, "never-tracked");
}

static void
test_untracked_dropped (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *gone = track_new (fixture, 0);
  g_autofree char *kept = track_new (fixture, 0);
  g_autoptr (GListModel) held = NULL;
  GListModel *list;

  settle (fixture);
  held = g_object_ref (pw_exchange_history_get_for_session (fixture->history, gone));
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 1);

  g_assert_true (pw_tracker_untrack (fixture->tracker, gone));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The untracked session's history is gone; the other one stays. */
  list = pw_exchange_history_get_for_session (fixture->history, gone);
  g_assert_true (list != held);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (
                        pw_exchange_history_get_for_session (fixture->history, kept)),
                    ==, 1);
}

/* The tracker goes first: the history keeps what it has, holds nothing of
 * the tracker's, and goes later without touching it. */
static void
test_tracker_goes_first (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *id = track_new (fixture, 0);
  g_autoptr (GListModel) list = NULL;
  g_autoptr (PwExchange) exchange = NULL;

  settle (fixture);
  list = g_object_ref (pw_exchange_history_get_for_session (fixture->history, id));

  /* A removal schedules a sweep; the tracker is gone before it runs. */
  pw_tracker_untrack (fixture->tracker, id);
  g_assert_finalize_object (g_steal_pointer (&fixture->tracker));
  drain (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  exchange = g_list_model_get_item (list, 0);
  g_assert_cmpstr (pw_exchange_get_session_id (exchange), ==, id);
  g_assert_nonnull (pw_exchange_history_get_for_session (fixture->history, "other"));

  g_assert_finalize_object (g_steal_pointer (&fixture->history));
}

/* The history goes first while the tracker keeps heartbeating. */
static void
test_history_goes_first (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *id = track_new (fixture, 0);

  settle (fixture);
  pw_tracker_untrack (fixture->tracker, id); /* a sweep is pending */
  g_assert_finalize_object (g_steal_pointer (&fixture->history));

  g_free (id);
  id = track_new (fixture, 0);
  settle (fixture);
  g_assert_cmpuint (fixture->n_emitted, ==, 2);
}

static guint
count_held (HistoryFixture *fixture, GStrv ids)
{
  guint n = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    n += g_list_model_get_n_items (
        pw_exchange_history_get_for_session (fixture->history, ids[i]));

  return n;
}

/* Over every session together the history stays within its byte budget,
 * dropping the oldest exchanges of all first; forgetting and untracking
 * give the bytes back. */
static void
test_byte_budget (HistoryFixture *fixture, gconstpointer data)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) ids = NULL;
  gsize one;
  gsize budget;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = track_new (fixture, 5);

      g_strv_builder_add (builder, id);
    }
  ids = g_strv_builder_end (builder);
  g_assert_cmpuint (pw_exchange_history_get_max_bytes (fixture->history), ==,
                    PW_EXCHANGE_HISTORY_DEFAULT_MAX_BYTES);

  settle (fixture);
  g_assert_cmpuint (pw_exchange_history_get_n_exchanges (fixture->history), ==, 30);
  g_assert_cmpuint (count_held (fixture, ids), ==, 30);
  one = pw_exchange_history_get_n_bytes (fixture->history) / 30;
  g_test_message ("one heartbeat exchange: about %" G_GSIZE_FORMAT " bytes", one);
  g_assert_cmpuint (one, >, 500);

  /* Room for about 40 of them: lowering the budget drops at once. */
  budget = one * 40;
  pw_exchange_history_set_max_bytes (fixture->history, budget);
  run_for (fixture, 60);
  g_assert_cmpuint (fixture->n_emitted, >=, 30 * 10);
  g_assert_cmpuint (pw_exchange_history_get_n_bytes (fixture->history), <=, budget);
  g_assert_cmpuint (pw_exchange_history_get_n_exchanges (fixture->history), >=, 35);
  g_assert_cmpuint (pw_exchange_history_get_n_exchanges (fixture->history), <=, 45);
  g_assert_cmpuint (count_held (fixture, ids), ==,
                    pw_exchange_history_get_n_exchanges (fixture->history));

  /* What is left is the newest: every kept exchange is newer than every
   * one emitted before the last 30 or so. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      GListModel *list = pw_exchange_history_get_for_session (fixture->history, ids[i]);

      g_assert_cmpuint (g_list_model_get_n_items (list), <=, 4);
      assert_all_of_session (list, ids[i]);
    }
  {
    GListModel *list = pw_exchange_history_get_for_session (
        fixture->history, pw_exchange_get_session_id (fixture->last));
    g_autoptr (PwExchange) newest =
        g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);

    g_assert_true (newest == fixture->last);
  }

  /* Forgetting one session gives its bytes back. */
  {
    gsize before = pw_exchange_history_get_n_bytes (fixture->history);
    guint n = g_list_model_get_n_items (
        pw_exchange_history_get_for_session (fixture->history, ids[0]));

    pw_exchange_history_forget (fixture->history, ids[0]);
    g_assert_cmpuint (pw_exchange_history_get_n_bytes (fixture->history), <=,
                      before - n * 500);
  }

  /* Untracking everything leaves nothing held. */
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (pw_tracker_untrack (fixture->tracker, ids[i]));
  drain (fixture);
  g_assert_cmpuint (pw_exchange_history_get_n_exchanges (fixture->history), ==, 0);
  g_assert_cmpuint (pw_exchange_history_get_n_bytes (fixture->history), ==, 0);
}

/* The method, URL and request headers of like requests are one shared
 * string, not a copy per exchange. */
static void
test_shared_strings (HistoryFixture *fixture, gconstpointer data)
{
  g_autofree char *id = track_new (fixture, 1);
  GListModel *list = pw_exchange_history_get_for_session (fixture->history, id);
  g_autoptr (PwExchange) a = NULL;
  g_autoptr (PwExchange) b = NULL;

  run_for (fixture, 3);
  g_assert_cmpuint (g_list_model_get_n_items (list), >=, 2);
  a = g_list_model_get_item (list, 0);
  b = g_list_model_get_item (list, 1);
  g_assert_true (pw_exchange_get_method (a) == pw_exchange_get_method (b));
  g_assert_true (pw_exchange_get_url (a) == pw_exchange_get_url (b));
  g_assert_true (pw_exchange_get_request_headers (a) ==
                 pw_exchange_get_request_headers (b));
  g_assert_nonnull (
      strstr (pw_exchange_get_request_headers (a), "X-Api-Key: [redacted]"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/exchange-history/new-destroy", 20, test_new_destroy);
  ADD ("/exchange-history/per-session", 20, test_per_session);
  ADD ("/exchange-history/bounded", 3, test_bounded);
  ADD ("/exchange-history/forget", 20, test_forget);
  ADD ("/exchange-history/untracked-dropped", 20, test_untracked_dropped);
  ADD ("/exchange-history/tracker-goes-first", 20, test_tracker_goes_first);
  ADD ("/exchange-history/history-goes-first", 20, test_history_goes_first);
  ADD ("/exchange-history/byte-budget", 20, test_byte_budget);
  ADD ("/exchange-history/shared-strings", 20, test_shared_strings);

  return g_test_run ();
}
