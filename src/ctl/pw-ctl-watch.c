/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pw-ctl-output.h"
#include "pw-ctl-watch.h"
#include "pw-event-log.h"
#include "pw-json.h"
#include "pw-session-file.h"
#include "pw-tracker.h"

/* `playwave-ctl watch`: the real tracker for the given sessions, one line
 * per event, until no session is heartbeated any more. SIGINT and SIGTERM
 * end every live session (within the 30 s budget) and exit 0. */

#define CONNECTION "default"

typedef struct
{
  PwTracker *tracker;
  GMainLoop *loop;
  gboolean json;
  gboolean verbose;
  gboolean quitting;
  int exit_status;
} Watch;

static void
print_event (Watch *watch, PwEvent *event)
{
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *request = NULL;

  if (watch->json)
    {
      g_autoptr (JsonNode) node = pw_event_to_json (event);
      g_autofree char *text = pw_json_to_string (node, FALSE);

      g_print ("%s\n", text);
      return;
    }

  time = g_date_time_new_from_unix_local (pw_event_get_last_time_real_us (event) /
                                          G_USEC_PER_SEC);
  clock = g_date_time_format (time, "%H:%M:%S");
  if (pw_event_get_http_status (event) != 0)
    request = g_strdup_printf (
        " [HTTP %u%s%s%s%s]", pw_event_get_http_status (event),
        pw_event_get_code (event) ? " " : "",
        pw_event_get_code (event) ? pw_event_get_code (event) : "",
        pw_event_get_request_id (event)
            /* Translators: before the server's request id, as in
             * "[HTTP 404 SESSION_NOT_FOUND, request req_0001]" */
            ? _ (", request ")
            : "",
        pw_event_get_request_id (event) ? pw_event_get_request_id (event) : "");

  g_print ("%s  %s  %s: %s%s\n", clock, pw_event_get_session_id (event),
           pw_event_kind_to_string (pw_event_get_kind (event)),
           pw_event_get_message (event) ? pw_event_get_message (event) : "",
           request ? request : "");
}

static void
event_cb (PwTracker *tracker, PwEvent *event, Watch *watch)
{
  print_event (watch, event);
}

static void
exchange_cb (PwTracker *tracker, PwSession *session, PwExchange *exchange, Watch *watch)
{
  const GError *error = pw_exchange_get_error (exchange);

  if (!watch->verbose || watch->json)
    return;

  g_printerr ("  %s %s → %u %s (%.0f ms)\n", pw_exchange_get_method (exchange),
              pw_session_get_id (session), pw_exchange_get_status (exchange),
              error ? error->message : pw_exchange_get_result_name (exchange),
              pw_exchange_get_latency_us (exchange) / 1000.0);
}

/* 4 if the key was rejected, 3 if the server took every session away, 5
 * if an end failed, 0 otherwise. */
static int
exit_status_for (PwTracker *tracker)
{
  GListModel *sessions = pw_tracker_get_sessions (tracker);
  gboolean unauthorized = FALSE;
  gboolean end_failed = FALSE;
  guint gone = 0;
  guint n = g_list_model_get_n_items (sessions);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);

      switch (pw_session_get_state (session))
        {
          case PW_SESSION_STATE_UNAUTHORIZED:
            unauthorized = TRUE;
            break;

          case PW_SESSION_STATE_END_FAILED:
            end_failed = TRUE;
            break;

          case PW_SESSION_STATE_REPLACED:
          case PW_SESSION_STATE_LOST:
          case PW_SESSION_STATE_ENDED_BY_SERVER:
          case PW_SESSION_STATE_ENDING_BY_SERVER:
          case PW_SESSION_STATE_EXPIRED:
            gone++;
            break;

          case PW_SESSION_STATE_PENDING:
          case PW_SESSION_STATE_ACTIVE:
          case PW_SESSION_STATE_CHARGE_EXHAUSTED:
          case PW_SESSION_STATE_ENDING:
          case PW_SESSION_STATE_ENDED:
          default:
            break;
        }
    }

  if (unauthorized)
    return PW_CTL_EXIT_UNAUTHORIZED;
  if (end_failed)
    return PW_CTL_EXIT_FAILED;
  if (gone == n)
    return PW_CTL_EXIT_GONE;
  return PW_CTL_EXIT_OK;
}

static void
changed_cb (PwTracker *tracker, PwSession *session, Watch *watch)
{
  if (watch->quitting || pw_tracker_get_n_busy (tracker) > 0)
    return;

  watch->exit_status = exit_status_for (tracker);
  g_main_loop_quit (watch->loop);
}

static void
ended_all_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Watch *watch = user_data;
  guint n_ended = 0;
  guint n_failed = 0;

  pw_tracker_end_all_finish (PW_TRACKER (object), result, &n_ended, &n_failed, NULL);
  if (!watch->json)
    /* Translators: the second number counts sessions that could not be ended */
    g_printerr (ngettext ("Ended %u session, %u failed\n",
                          "Ended %u sessions, %u failed\n", n_ended),
                n_ended, n_failed);

  watch->exit_status = PW_CTL_EXIT_OK;
  g_main_loop_quit (watch->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  Watch *watch = user_data;

  if (watch->quitting)
    return G_SOURCE_CONTINUE;

  watch->quitting = TRUE;
  if (!watch->json)
    g_printerr (_ ("Ending every active session…\n"));
  pw_tracker_end_all_async (watch->tracker, PW_TRACKER_END_ALL_BUDGET_MS, NULL,
                            ended_all_cb, watch);

  return G_SOURCE_CONTINUE;
}

/**
 * pw_ctl_watch_run:
 * @entries: (element-type PwSessionEntry): the sessions to watch
 */
int
pw_ctl_watch_run (PwClient *client, GPtrArray *entries, gboolean json, gboolean verbose)
{
  g_autoptr (PwTracker) tracker = pw_tracker_new (pw_clock_get_default ());
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch watch = { tracker, loop, json, verbose, FALSE, PW_CTL_EXIT_OK };
  guint sigint;
  guint sigterm;

  pw_tracker_add_connection (tracker, CONNECTION, client);
  g_signal_connect (tracker, "event", G_CALLBACK (event_cb), &watch);
  g_signal_connect (tracker, "exchange", G_CALLBACK (exchange_cb), &watch);

  for (guint i = 0; i < entries->len; i++)
    {
      PwSessionEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GError) error = NULL;

      if (!pw_tracker_track (tracker, entry->session_id, entry->user_id, CONNECTION,
                             FALSE, &error))
        {
          g_printerr ("playwave-ctl: %s\n", error->message);
          return PW_CTL_EXIT_USAGE;
        }
    }

  g_signal_connect (tracker, "changed", G_CALLBACK (changed_cb), &watch);
  sigint = g_unix_signal_add (SIGINT, signal_cb, &watch);
  sigterm = g_unix_signal_add (SIGTERM, signal_cb, &watch);

  if (!json)
    g_printerr (ngettext ("Watching %u session at %s; Ctrl+C ends it.\n",
                          "Watching %u sessions at %s; Ctrl+C ends them.\n",
                          entries->len),
                entries->len, pw_client_get_base_url (client));

  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (tracker, &watch);

  return watch.exit_status;
}
