/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-client.h"
#include "pw-connection-probe.h"
#include "pw-error.h"

/* "Test Connection": one heartbeat for a session that cannot exist, sent
 * through a throwaway client with the URL, key and timeout being edited.
 * The API checks the key before it looks the session up, so a 404
 * SESSION_NOT_FOUND means the key was accepted, and 401/403 that it was
 * rejected; anything else says what is wrong on the way to the server.
 * A made-up session is never billed and never ended: nothing changes on
 * the server. */

#define PROBE_USER_ID "0"

typedef struct
{
  PwClient *client;
  PwProbeVerdict verdict;
  guint http_status;
  char *message;
} Probe;

static void
probe_free (Probe *probe)
{
  g_clear_object (&probe->client);
  g_free (probe->message);
  g_free (probe);
}

/* Callbacks */

static void
heartbeat_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr (PwExchange) exchange = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *request = NULL;
  const char *request_id;

  pw_client_heartbeat_finish (PW_CLIENT (object), result, &exchange, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  probe->http_status = exchange != NULL ? pw_exchange_get_status (exchange) : 0;
  request_id = exchange != NULL ? pw_exchange_get_request_id (exchange) : NULL;
  /* Translators: appended to a test result; %s is the server's request id */
  request = request_id != NULL ? g_strdup_printf (_ (" (request %s)"), request_id)
                               : g_strdup ("");

  if (error == NULL)
    {
      probe->verdict = PW_PROBE_KEY_ACCEPTED;
      probe->message = g_strdup_printf (
          /* Translators: %s is the heartbeat result, e.g. OK; then the request
           * id, as " (request req_1)" or nothing */
          _ ("Key accepted. The server answered %s for a made-up session%s."),
          pw_exchange_get_result_name (exchange), request);
    }
  else if (error->domain == PW_ERROR && (error->code == PW_ERROR_SESSION_NOT_FOUND ||
                                         error->code == PW_ERROR_SESSION_ENDED ||
                                         error->code == PW_ERROR_SESSION_ENDING ||
                                         error->code == PW_ERROR_ALREADY_ENDED))
    {
      probe->verdict = PW_PROBE_KEY_ACCEPTED;
      probe->message = g_strdup_printf (
          /* Translators: %u is the HTTP status, %s the code (SESSION_NOT_FOUND),
           * then the request id, as " (request req_1)" or nothing */
          _ ("Key accepted. The server answered %u %s for a made-up session, as it "
             "should%s."),
          probe->http_status,
          exchange != NULL && pw_exchange_get_code (exchange) != NULL
              ? pw_exchange_get_code (exchange)
              : pw_error_to_code (error->code),
          request);
    }
  else if (g_error_matches (error, PW_ERROR, PW_ERROR_UNAUTHORIZED))
    {
      probe->verdict = PW_PROBE_KEY_REJECTED;
      probe->message = g_strdup_printf (
          /* Translators: %u is 401 or 403, then the request id, as
           * " (request req_1)" or nothing */
          _ ("Key rejected. The server answered %u to this key%s."), probe->http_status,
          request);
    }
  else
    {
      probe->verdict = PW_PROBE_FAILED;
      probe->message = g_strdup_printf ("%s%s", error->message, request);
    }

  g_task_return_boolean (task, TRUE);
}

/* Public API */

/**
 * pw_connection_probe_async:
 * @base_url: checked as for any client
 * @api_key: the key to try; never shown in the result
 * @timeout_ms: how long to wait for the answer
 *
 * Sends one heartbeat for a made-up session and reads the verdict on the
 * key from the answer.
 */
void
pw_connection_probe_async (const char *base_url,
                           const char *api_key,
                           guint timeout_ms,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *session_id = NULL;
  Probe *probe;
  GError *error = NULL;

  g_return_if_fail (timeout_ms > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_connection_probe_async);
  probe = g_new0 (Probe, 1);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);

  probe->client = pw_client_new_full (base_url, api_key, 1, &error);
  if (probe->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pw_client_set_timeout_ms (probe->client, timeout_ms);

  session_id =
      g_strdup_printf ("gs_connection-test-%08x%08x", g_random_int (), g_random_int ());
  pw_client_heartbeat_async (probe->client, session_id, PROBE_USER_ID, cancellable,
                             heartbeat_done_cb, g_steal_pointer (&task));
}

/**
 * pw_connection_probe_finish:
 * @verdict: (out): what the answer says about the key
 * @http_status: (out) (optional): the answer's status, 0 when there was none
 * @message: (out) (optional) (transfer full): the outcome in a sentence
 *
 * Returns: %TRUE with a verdict; %FALSE with an error when nothing was sent
 *   (a bad URL or key, %PW_ERROR_INVALID_ARGUMENT) or it was cancelled
 */
gboolean
pw_connection_probe_finish (GAsyncResult *result,
                            PwProbeVerdict *verdict,
                            guint *http_status,
                            char **message,
                            GError **error)
{
  Probe *probe;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == pw_connection_probe_async, FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  probe = g_task_get_task_data (G_TASK (result));
  *verdict = probe->verdict;
  if (http_status != NULL)
    *http_status = probe->http_status;
  if (message != NULL)
    *message = g_strdup (probe->message);

  return TRUE;
}
