/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pw-client.h"
#include "pw-tracker.h"

/* The client side of benchmarks/bench-wire.py: sends heartbeats for the
 * sessions of a file (`ID:USER` per line) to a running sandbox and prints
 * its own CPU time, so the server's work is never counted as ours.
 *
 *   bench-wire-client client  URL KEY FILE REQUESTS WINDOW
 *     PwClient alone: WINDOW requests in flight, REQUESTS in all, going
 *     round the sessions of FILE.
 *   bench-wire-client tracker URL KEY FILE REQUESTS WINDOW
 *     PwTracker over PwClient: the first REQUESTS sessions of FILE are
 *     tracked at once (rate limiter wide open), and it stops after their
 *     first heartbeat each.
 *
 * Output: one JSON object on stdout. */

typedef struct
{
  PwClient *client;
  GPtrArray *ids;
  GPtrArray *users;
  guint total;
  guint sent;
  guint done;
  guint ok;
  GMainLoop *loop;
} Bench;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

static void send_one (Bench *bench);

static void
heartbeat_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Bench *bench = user_data;
  g_autoptr (GError) error = NULL;

  if (pw_client_heartbeat_finish (PW_CLIENT (object), result, NULL, &error))
    bench->ok++;
  else
    g_printerr ("bench-wire-client: %s\n", error->message);

  bench->done++;
  if (bench->sent < bench->total)
    send_one (bench);
  else if (bench->done == bench->total)
    g_main_loop_quit (bench->loop);
}

static void
send_one (Bench *bench)
{
  guint i = bench->sent++ % bench->ids->len;

  pw_client_heartbeat_async (bench->client, g_ptr_array_index (bench->ids, i),
                             g_ptr_array_index (bench->users, i), NULL,
                             heartbeat_done_cb, bench);
}

static void
exchange_cb (PwTracker *tracker, PwSession *session, PwExchange *exchange, Bench *bench)
{
  if (pw_exchange_get_result (exchange) == PW_RESULT_OK)
    bench->ok++;
  if (++bench->done == bench->total)
    g_main_loop_quit (bench->loop);
}

static void
read_sessions (const char *path, GPtrArray *ids, GPtrArray *users)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("bench-wire-client: %s\n", error->message);
      exit (2);
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      g_ptr_array_add (ids, g_strndup (lines[i], colon - lines[i]));
      g_ptr_array_add (users, g_strdup (colon + 1));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PwClient) client = NULL;
  g_autoptr (PwTracker) tracker = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  gboolean use_tracker;
  Bench bench = { 0 };
  gint64 wall;
  double cpu;
  guint window;

  if (argc != 7 || (g_strcmp0 (argv[1], "client") != 0 && g_strcmp0 (argv[1], "tracker")))
    {
      g_printerr ("usage: %s client|tracker URL KEY FILE REQUESTS WINDOW\n", argv[0]);
      return 2;
    }

  use_tracker = g_str_equal (argv[1], "tracker");
  read_sessions (argv[4], ids, users);
  bench.total = (guint) g_ascii_strtoull (argv[5], NULL, 10);
  window = (guint) g_ascii_strtoull (argv[6], NULL, 10);
  if (ids->len == 0 || bench.total == 0 || window == 0 ||
      (use_tracker && bench.total > ids->len))
    {
      g_printerr ("bench-wire-client: bad session file, count or window\n");
      return 2;
    }

  client = pw_client_new_full (argv[2], argv[3], window, &error);
  if (client == NULL)
    {
      g_printerr ("bench-wire-client: %s\n", error->message);
      return 2;
    }

  bench.client = client;
  bench.ids = ids;
  bench.users = users;
  bench.loop = loop;

  if (use_tracker)
    {
      tracker = pw_tracker_new (pw_clock_get_default ());
      pw_tracker_add_connection (tracker, "default", client);
      pw_tracker_set_rate_limit (tracker, 1e9, 1e9);
      g_signal_connect (tracker, "exchange", G_CALLBACK (exchange_cb), &bench);
    }

  cpu = cpu_seconds ();
  wall = g_get_monotonic_time ();

  if (use_tracker)
    {
      for (guint i = 0; i < bench.total; i++)
        if (!pw_tracker_track (tracker, g_ptr_array_index (ids, i),
                               g_ptr_array_index (users, i), "default", FALSE, &error))
          {
            g_printerr ("bench-wire-client: %s\n", error->message);
            return 2;
          }
    }
  else
    {
      for (guint i = 0; i < window && bench.sent < bench.total; i++)
        send_one (&bench);
    }

  g_main_loop_run (loop);

  cpu = cpu_seconds () - cpu;
  wall = g_get_monotonic_time () - wall;

  printf ("{\"mode\": \"%s\", \"requests\": %u, \"ok\": %u, \"window\": %u, "
          "\"cpu_s\": %.6f, \"wall_s\": %.6f}\n",
          argv[1], bench.total, bench.ok, window, cpu, wall / 1e6);

  if (tracker != NULL)
    g_signal_handlers_disconnect_by_data (tracker, &bench);

  return bench.ok == bench.total ? 0 : 1;
}
