/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-ctl-oneshot.h"
#include "pw-ctl-output.h"
#include "pw-error.h"

/* One heartbeat or end, retried on transient failures with exponential
 * backoff and jitter, all within a 30 s budget (the game server's own
 * BindToClose limit), then reported once. */

#define BUDGET_US (30 * G_USEC_PER_SEC)
#define FIRST_BACKOFF_US (1 * G_USEC_PER_SEC)
#define MAX_BACKOFF_US (8 * G_USEC_PER_SEC)

typedef struct
{
  PwClient *client;
  PwRequestKind kind;
  const char *session_id;
  const char *user_id;
  gint64 play_duration_sec;
  int retries_left;
  guint attempts;
  gint64 started_us;
  gboolean json;
  GMainLoop *loop;
  int exit_status;
} OneShot;

static void send_once (OneShot *shot);

static gboolean
retry_cb (gpointer user_data)
{
  send_once (user_data);
  return G_SOURCE_REMOVE;
}

/* Half to all of the exponential step, so many scripts retrying together
 * do not hit the server in step. */
static gint64
backoff_us (guint attempt, PwExchange *exchange)
{
  gint64 step = MIN (FIRST_BACKOFF_US << MIN (attempt - 1, 8), MAX_BACKOFF_US);

  if (exchange != NULL && pw_exchange_get_retry_after_sec (exchange) >= 0)
    return pw_exchange_get_retry_after_sec (exchange) * G_USEC_PER_SEC;

  return step / 2 + g_random_int_range (0, (gint32) (step / 2) + 1);
}

static void
done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  OneShot *shot = user_data;
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (shot->kind == PW_REQUEST_HEARTBEAT)
    ok = pw_client_heartbeat_finish (shot->client, result, &exchange, &error);
  else
    ok = pw_client_end_finish (shot->client, result, &exchange, &error);

  if (!ok && pw_error_is_transient (error) && shot->retries_left > 0)
    {
      gint64 delay = backoff_us (shot->attempts, exchange);
      gint64 elapsed = g_get_monotonic_time () - shot->started_us;

      if (elapsed + delay < BUDGET_US)
        {
          shot->retries_left--;
          if (!shot->json)
            g_printerr (_ ("playwave-ctl: %s: %s; retrying in %.1f s\n"),
                        shot->session_id, error->message,
                        delay / (double) G_USEC_PER_SEC);
          g_timeout_add ((guint) (delay / 1000), retry_cb, shot);
          return;
        }
    }

  pw_ctl_print_outcome (shot->kind, shot->session_id, exchange, error, shot->attempts,
                        shot->json);
  shot->exit_status = pw_ctl_exit_for (shot->kind, exchange, error);
  g_main_loop_quit (shot->loop);
}

static void
send_once (OneShot *shot)
{
  shot->attempts++;

  if (shot->kind == PW_REQUEST_HEARTBEAT)
    pw_client_heartbeat_async (shot->client, shot->session_id, shot->user_id, NULL,
                               done_cb, shot);
  else
    pw_client_end_async (shot->client, shot->session_id, shot->play_duration_sec, NULL,
                         done_cb, shot);
}

int
pw_ctl_oneshot_run (PwClient *client,
                    PwRequestKind kind,
                    const char *session_id,
                    const char *user_id,
                    gint64 play_duration_sec,
                    int max_retries,
                    gboolean json)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OneShot shot = {
    .client = client,
    .kind = kind,
    .session_id = session_id,
    .user_id = user_id,
    .play_duration_sec = play_duration_sec,
    .retries_left = max_retries,
    .started_us = g_get_monotonic_time (),
    .json = json,
    .loop = loop,
  };

  send_once (&shot);
  g_main_loop_run (loop);

  return shot.exit_status;
}
