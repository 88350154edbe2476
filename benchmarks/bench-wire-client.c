/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <libsoup/soup.h>

#include "pw-client.h"
#include "pw-tracker.h"

/* The client side of benchmarks/bench-wire.py: sends heartbeats for the
 * sessions of a file (`ID:USER` per line) to a running sandbox and prints
 * its own CPU time, so the server's work is never counted as ours.
 *
 *   bench-wire-client client  URL KEY FILE REQUESTS WINDOW
 *     PwClient alone: WINDOW requests in flight, REQUESTS in all, going
 *     round the sessions of FILE.
 *   bench-wire-client soup    URL KEY FILE REQUESTS WINDOW
 *     libsoup alone, as PwClient uses it (same flags, headers and body, the
 *     answer read without waiting), and nothing else: the floor under
 *     PwClient.
 *   bench-wire-client tracker URL KEY FILE REQUESTS WINDOW
 *     PwTracker over PwClient: the first REQUESTS sessions of FILE are
 *     tracked at once (rate limiter wide open), and it stops after their
 *     first heartbeat each.
 *
 * Output: one JSON object on stdout. */

typedef struct
{
  PwClient *client;
  SoupSession *session;
  GUri *uri;
  const char *key;
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

typedef struct
{
  Bench *bench;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *buffer;
} SoupCall;

static void soup_send_one (Bench *bench);

static void
soup_call_done (SoupCall *call, gboolean ok)
{
  Bench *bench = call->bench;

  if (ok && soup_message_get_status (call->message) == 200)
    bench->ok++;
  g_clear_object (&call->stream);
  g_object_unref (call->message);
  g_byte_array_unref (call->buffer);
  g_free (call);

  bench->done++;
  if (bench->sent < bench->total)
    soup_send_one (bench);
  else if (bench->done == bench->total)
    g_main_loop_quit (bench->loop);
}

static void soup_read (SoupCall *call);

static gboolean
soup_readable_cb (GObject *stream, gpointer user_data)
{
  soup_read (user_data);
  return G_SOURCE_REMOVE;
}

static void
soup_read (SoupCall *call)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      guint8 chunk[4096];
      gssize n = g_pollable_input_stream_read_nonblocking (
          G_POLLABLE_INPUT_STREAM (call->stream), chunk, sizeof chunk, NULL, &error);

      if (n > 0)
        {
          g_byte_array_append (call->buffer, chunk, n);
          continue;
        }
      if (n == 0)
        {
          soup_call_done (call, TRUE);
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          GSource *source = g_pollable_input_stream_create_source (
              G_POLLABLE_INPUT_STREAM (call->stream), NULL);

          g_source_set_callback (source, G_SOURCE_FUNC (soup_readable_cb), call, NULL);
          g_source_attach (source, NULL);
          g_source_unref (source);
          return;
        }
      g_printerr ("bench-wire-client: %s\n", error->message);
      soup_call_done (call, FALSE);
      return;
    }
}

static void
soup_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SoupCall *call = user_data;
  g_autoptr (GError) error = NULL;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      g_printerr ("bench-wire-client: %s\n", error->message);
      soup_call_done (call, FALSE);
      return;
    }
  soup_read (call);
}

static void
soup_send_one (Bench *bench)
{
  guint i = bench->sent++ % bench->ids->len;
  SoupCall *call = g_new0 (SoupCall, 1);
  g_autofree char *body =
      g_strdup_printf ("{\"game_session_id\":\"%s\",\"provider_user_id\":\"%s\"}",
                       (char *) g_ptr_array_index (bench->ids, i),
                       (char *) g_ptr_array_index (bench->users, i));
  gsize length = strlen (body);
  g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), length);
  SoupMessageHeaders *headers;

  call->bench = bench;
  call->buffer = g_byte_array_new ();
  call->message = soup_message_new_from_uri ("PATCH", bench->uri);
  soup_message_add_flags (call->message,
                          SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "X-Api-Key", bench->key);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (call->message, "application/json", bytes);
  soup_session_send_async (bench->session, call->message, G_PRIORITY_DEFAULT, NULL,
                           soup_sent_cb, call);
}

static void
send_one (Bench *bench)
{
  guint i = bench->sent++ % bench->ids->len;

  pw_client_heartbeat_async (bench->client, g_ptr_array_index (bench->ids, i),
                             g_ptr_array_index (bench->users, i), NULL, heartbeat_done_cb,
                             bench);
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
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autofree char *url = NULL;
  gboolean use_tracker;
  gboolean use_soup;
  Bench bench = { 0 };
  gint64 wall;
  double cpu;
  guint window;

  if (argc != 7 || (g_strcmp0 (argv[1], "client") != 0 &&
                    g_strcmp0 (argv[1], "tracker") && g_strcmp0 (argv[1], "soup")))
    {
      g_printerr ("usage: %s client|soup|tracker URL KEY FILE REQUESTS WINDOW\n",
                  argv[0]);
      return 2;
    }

  use_tracker = g_str_equal (argv[1], "tracker");
  use_soup = g_str_equal (argv[1], "soup");
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

  if (use_soup)
    {
      g_autofree char *user_agent =
          g_strdup_printf ("playwave-monitor/%s ", PACKAGE_VERSION);

      url = g_strconcat (argv[2], "/game/session/heartbeat", NULL);
      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
      session = soup_session_new_with_options ("user-agent", user_agent, "max-conns",
                                               window * 2, "max-conns-per-host", window,
                                               "idle-timeout", 60, "timeout", 11, NULL);
      soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
      bench.session = session;
      bench.uri = uri;
      bench.key = argv[3];
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
        {
          if (use_soup)
            soup_send_one (&bench);
          else
            send_one (&bench);
        }
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
