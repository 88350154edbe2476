/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-base-url.h"
#include "pw-client-private.h"
#include "pw-client.h"
#include "pw-error.h"
#include "pw-exchange-private.h"
#include "pw-json.h"

/* The wire client: one long-lived SoupSession, one request per SoupMessage,
 * at most max_in_flight of them handed to libsoup at a time (its queue is
 * quadratic, PITFALLS.md), each with its own deadline, since libsoup's
 * timeout covers one socket operation and not the request. */

#define READ_CHUNK_BYTES 4096

struct _PwClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_url;
  char *api_key;
  /* Parsed once: parsing the URL for every message cost 5,000 instructions. */
  GUri *uris[2]; /* by PwRequestKind */
  char *urls[2];
  guint timeout_ms;
  guint max_in_flight;
  guint in_flight;
  GQueue pending;
};

G_DEFINE_FINAL_TYPE (PwClient, pw_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  PwExchange *exchange;
  SoupMessage *message;
  GBytes *body;
  GCancellable *cancellable;
  GCancellable *outer_cancellable;
  gulong outer_handler;
  GSource *deadline;
  gboolean timed_out;
  gboolean started;
  GInputStream *stream;
  GByteArray *buffer;
  GSource *readable; /* waiting for more of the body */
  gboolean pollable;
  gint64 started_us;
} Request;

static void start_next (PwClient *self);

static void
request_free (gpointer data)
{
  Request *request = data;

  if (request->outer_handler != 0)
    g_cancellable_disconnect (request->outer_cancellable, request->outer_handler);
  if (request->deadline != NULL)
    g_source_destroy (request->deadline);
  g_clear_pointer (&request->deadline, g_source_unref);
  if (request->readable != NULL)
    g_source_destroy (request->readable);
  g_clear_pointer (&request->readable, g_source_unref);
  g_clear_object (&request->outer_cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->exchange);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_free (request);
}

/* Every path that ends a request comes through here, exactly once. */
static void
complete (GTask *task, GError *error)
{
  PwClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  /* Only holds a reference to the end (unused to clang). */
  g_autoptr (PwClient) hold G_GNUC_UNUSED = g_object_ref (self);

  if (request->deadline != NULL)
    g_source_destroy (request->deadline);
  if (request->readable != NULL)
    g_source_destroy (request->readable);

  if (request->started)
    {
      request->started = FALSE;
      self->in_flight--;
    }

  if (error != NULL)
    {
      g_autofree char *safe = pw_client_text_redact (error->message, self->api_key);

      g_free (error->message);
      error->message = g_steal_pointer (&safe);
      if (request->exchange->error == NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        request->exchange->error = g_error_copy (error);
      g_task_return_error (task, error);
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }

  g_object_unref (task);
  start_next (self);
}

static void
complete_with_transport_error (GTask *task, GError *error)
{
  PwClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) owned = error;

  if (request->timed_out)
    {
      complete (task, g_error_new (PW_ERROR, PW_ERROR_TIMEOUT,
                                   _ ("No answer from the server within %.1f s"),
                                   self->timeout_ms / 1000.0));
      return;
    }

  if (g_cancellable_is_cancelled (request->outer_cancellable))
    {
      complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _ ("The request was cancelled")));
      return;
    }

  /* Everything else (refused, reset, cut short, TLS, DNS) is transient:
   * libsoup will not retry a PATCH on a stale connection itself. */
  complete (task, g_error_new (PW_ERROR, PW_ERROR_NETWORK,
                               _ ("Could not reach the server: %s"), owned->message));
}

static void
finish_answer (GTask *task)
{
  PwClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  PwExchange *exchange = request->exchange;
  GError *error = NULL;
  gboolean ok;

  exchange->latency_us = g_get_monotonic_time () - request->started_us;
  exchange->response_body =
      pw_client_text_body (request->buffer->data, request->buffer->len, self->api_key);

  ok =
      pw_reply_parse (&exchange->reply, exchange->kind, exchange->status,
                      (const char *) request->buffer->data, request->buffer->len, &error);
  pw_client_text_redact_reply (&exchange->reply, self->api_key);
  if (!ok)
    {
      if (g_error_matches (error, PW_ERROR, PW_ERROR_REDIRECT))
        {
          const char *location = soup_message_headers_get_one (
              soup_message_get_response_headers (request->message), "Location");
          g_autofree char *safe = pw_client_text_redact (location, self->api_key);

          if (safe != NULL)
            g_prefix_error (&error, _ ("%s → "), safe);
        }
      complete (task, error);
      return;
    }

  complete (task, NULL);
}

static void
fail_too_large (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  /* Stop reading; cancelling makes libsoup drop the connection rather than
   * drain the rest of the body. */
  g_cancellable_cancel (request->cancellable);
  complete (task, g_error_new (PW_ERROR, PW_ERROR_PROTOCOL,
                               _ ("The response is larger than %d KiB and was refused"),
                               PW_JSON_MAX_BYTES / 1024));
}

static void read_body (GTask *task);

/* Room for the next read at the end of the buffer; the body goes straight
 * into it. */
static guint8 *
reserve (Request *request, gsize *size)
{
  guint used = request->buffer->len;

  *size = READ_CHUNK_BYTES;
  g_byte_array_set_size (request->buffer, used + READ_CHUNK_BYTES);
  request->buffer->len = used;

  return request->buffer->data + used;
}

/* Returns: %TRUE when @task is done (too large) */
static gboolean
got_bytes (GTask *task, gsize length)
{
  Request *request = g_task_get_task_data (task);

  request->buffer->len += length;
  if (request->buffer->len <= PW_JSON_MAX_BYTES)
    return FALSE;

  fail_too_large (task);
  return TRUE;
}

static void
read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    complete_with_transport_error (task, error);
  else if (n == 0)
    finish_answer (task);
  else if (!got_bytes (task, n))
    read_body (task);
}

static gboolean
readable_cb (GObject *stream, gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->readable, g_source_unref);
  read_body (task);

  return G_SOURCE_REMOVE;
}

/* Reads what has arrived without waiting, and waits only when nothing has:
 * a small answer usually comes with its headers, so it is read here at
 * once rather than through two asynchronous reads of 16 KiB buffers (which
 * cost 28,000 instructions per heartbeat). */
static void
read_body (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (request->stream);
  gsize size;
  guint8 *space;

  if (!request->pollable)
    {
      space = reserve (request, &size);
      g_input_stream_read_async (request->stream, space, size, G_PRIORITY_DEFAULT,
                                 request->cancellable, read_cb, task);
      return;
    }

  for (;;)
    {
      GError *error = NULL;
      gssize n;

      space = reserve (request, &size);
      n = g_pollable_input_stream_read_nonblocking (pollable, space, size,
                                                    request->cancellable, &error);
      if (n > 0)
        {
          if (got_bytes (task, n))
            return;
          continue;
        }

      if (n == 0)
        {
          finish_answer (task);
          return;
        }

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          complete_with_transport_error (task, error);
          return;
        }

      g_error_free (error);
      request->readable =
          g_pollable_input_stream_create_source (pollable, request->cancellable);
      g_source_set_callback (request->readable, G_SOURCE_FUNC (readable_cb), task, NULL);
      g_source_set_static_name (request->readable, "[playwave] response body");
      g_source_attach (request->readable, g_main_context_get_thread_default ());
      return;
    }
}

static void
record_response_head (PwClient *self, Request *request)
{
  PwExchange *exchange = request->exchange;
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  const char *date_header = soup_message_headers_get_one (headers, "Date");
  g_autoptr (GDateTime) date = NULL;

  exchange->status = soup_message_get_status (request->message);
  exchange->response_headers = pw_client_text_headers (headers, self->api_key);

  if (date_header != NULL && (date = soup_date_time_new_from_http_string (date_header)))
    exchange->server_date_unix = g_date_time_to_unix (date);

  exchange->retry_after_sec =
      pw_client_text_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                  g_get_real_time () / G_USEC_PER_SEC);
}

static void
sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  PwClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  goffset content_length;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      complete_with_transport_error (task, error);
      return;
    }

  record_response_head (self, request);

  content_length = soup_message_headers_get_content_length (
      soup_message_get_response_headers (request->message));
  if (content_length > PW_JSON_MAX_BYTES)
    {
      fail_too_large (task);
      return;
    }

  request->buffer = g_byte_array_sized_new (
      content_length >= 0 ? content_length + READ_CHUNK_BYTES : READ_CHUNK_BYTES);
  request->pollable =
      G_IS_POLLABLE_INPUT_STREAM (request->stream) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (request->stream));
  read_body (task);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->deadline, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer, gpointer user_data)
{
  GCancellable *inner = user_data;

  g_cancellable_cancel (inner);
}

/* libsoup re-sends a restarted message with no body (PITFALLS.md); we never
 * follow redirects or use SoupAuth, but put the body back all the same. */
static void
restarted_cb (SoupMessage *message, gpointer user_data)
{
  Request *request = user_data;

  soup_message_set_request_body_from_bytes (message, "application/json", request->body);
}

static void
start (PwClient *self, GTask *task)
{
  Request *request = g_task_get_task_data (task);

  request->started = TRUE;
  self->in_flight++;

  request->started_us = g_get_monotonic_time ();
  request->exchange->started_real_us = g_get_real_time ();
  request->cancellable = g_cancellable_new ();

  if (request->outer_cancellable != NULL)
    request->outer_handler = g_cancellable_connect (request->outer_cancellable,
                                                    G_CALLBACK (outer_cancelled_cb),
                                                    request->cancellable, NULL);

  request->deadline = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (request->deadline, deadline_cb, request, NULL);
  g_source_set_static_name (request->deadline, "[playwave] request deadline");
  g_source_attach (request->deadline, g_main_context_get_thread_default ());

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, sent_cb, task);
}

static void
start_next (PwClient *self)
{
  while (self->in_flight < self->max_in_flight && !g_queue_is_empty (&self->pending))
    {
      GTask *task = g_queue_pop_head (&self->pending);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }

      start (self, task);
    }
}

/* The label is translated only when it is needed, for the error. */
static gboolean
check_identifier (const char *label, const char *value, GError **error)
{
  if (pw_identifier_is_valid (label, value, NULL))
    return TRUE;

  return pw_identifier_is_valid (_ (label), value, error);
}

static void
send_request (PwClient *self,
              PwRequestKind kind,
              const char *session_id,
              const char *user_id,
              gint64 play_duration_sec,
              GCancellable *cancellable,
              gpointer source_tag,
              GAsyncReadyCallback callback,
              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *formatted_headers = NULL;
  GError *error = NULL;
  const char *url = self->urls[kind];
  const char *method = kind == PW_REQUEST_HEARTBEAT ? "PATCH" : "DELETE";
  SoupMessageHeaders *headers;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (!check_identifier (N_ ("session id"), session_id, &error) ||
      (kind == PW_REQUEST_HEARTBEAT &&
       !check_identifier (N_ ("user id"), user_id, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A connection whose key is missing: nothing is sent, and the tracker
   * stops its sessions as it would for a rejected key. */
  if (self->api_key == NULL)
    {
      g_task_return_new_error (task, PW_ERROR, PW_ERROR_UNAUTHORIZED, "%s",
                               _ ("No API key is set for this connection"));
      return;
    }

  request = g_new0 (Request, 1);
  request->exchange = pw_exchange_new (kind, session_id, method, url);
  request->body = pw_client_text_request_body (session_id, user_id, play_duration_sec);
  request->outer_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, request, request_free);

  request->message = soup_message_new_from_uri (method, self->uris[kind]);
  soup_message_add_flags (request->message,
                          SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "X-Api-Key", self->api_key);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (request->message, "application/json",
                                            request->body);
  g_signal_connect (request->message, "restarted", G_CALLBACK (restarted_cb), request);

  formatted_headers = pw_client_text_headers (headers, self->api_key);
  request->exchange->request_headers = g_ref_string_new_intern (formatted_headers);
  request->exchange->request_body = g_strndup (g_bytes_get_data (request->body, NULL),
                                               g_bytes_get_size (request->body));

  g_queue_push_tail (&self->pending, g_steal_pointer (&task));
  start_next (self);
}

static gboolean
finish_request (PwClient *self,
                GAsyncResult *result,
                gpointer source_tag,
                PwExchange **exchange,
                GError **error)
{
  Request *request;

  g_return_val_if_fail (PW_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  request = g_task_get_task_data (G_TASK (result));
  if (exchange != NULL)
    *exchange =
        (request && request->started_us != 0) ? g_object_ref (request->exchange) : NULL;

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pw_client_dispose (GObject *object)
{
  PwClient *self = (PwClient *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pw_client_parent_class)->dispose (object);
}

static void
pw_client_finalize (GObject *object)
{
  PwClient *self = (PwClient *) object;

  g_assert (g_queue_is_empty (&self->pending));
  g_clear_pointer (&self->base_url, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->uris); i++)
    {
      g_clear_pointer (&self->uris[i], g_uri_unref);
      g_clear_pointer (&self->urls[i], g_free);
    }
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (pw_client_parent_class)->finalize (object);
}

static void
pw_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwClient *self = PW_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;

      case PROP_TIMEOUT_MS:
        g_value_set_uint (value, self->timeout_ms);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_client_set_property (GObject *object,
                        guint prop_id,
                        const GValue *value,
                        GParamSpec *pspec)
{
  PwClient *self = PW_CLIENT (object);

  switch (prop_id)
    {
      case PROP_TIMEOUT_MS:
        pw_client_set_timeout_ms (self, g_value_get_uint (value));
        break;

      case PROP_BASE_URL:
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_client_class_init (PwClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_client_dispose;
  object_class->finalize = pw_client_finalize;
  object_class->get_property = pw_client_get_property;
  object_class->set_property = pw_client_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string (
      "base-url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_TIMEOUT_MS] = g_param_spec_uint (
      "timeout-ms", NULL, NULL, 100, 600000, PW_CLIENT_DEFAULT_TIMEOUT_MS,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_client_init (PwClient *self)
{
  self->timeout_ms = PW_CLIENT_DEFAULT_TIMEOUT_MS;
  g_queue_init (&self->pending);
}

/* Takes @normalized. */
static PwClient *
client_new (char *normalized, const char *api_key, guint max_in_flight, GError **error)
{
  g_autofree char *user_agent = NULL;
  PwClient *self;

  self = g_object_new (PW_TYPE_CLIENT, NULL);
  self->base_url = normalized;
  self->api_key = g_strdup (api_key);
  self->max_in_flight = max_in_flight;
  self->urls[PW_REQUEST_HEARTBEAT] =
      g_strconcat (self->base_url, "/game/session/heartbeat", NULL);
  self->urls[PW_REQUEST_END] = g_strconcat (self->base_url, "/game/session/end", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self->uris); i++)
    {
      g_autoptr (GError) local_error = NULL;

      self->uris[i] = g_uri_parse (self->urls[i], SOUP_HTTP_URI_FLAGS, &local_error);
      if (self->uris[i] == NULL)
        {
          g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, "%s",
                       local_error->message);
          g_object_unref (self);
          return NULL;
        }
    }

  user_agent = g_strdup_printf ("playwave-monitor/%s ", PACKAGE_VERSION);
  self->session = soup_session_new_with_options (
      "user-agent", user_agent, "max-conns", max_in_flight * 2, "max-conns-per-host",
      max_in_flight, "idle-timeout", 60, "timeout", self->timeout_ms / 1000 + 1, NULL);
  /* The key travels in a header; a 401 with WWW-Authenticate must not make
   * libsoup restart the message (and lose its body). */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);

  return self;
}

PwClient *
pw_client_new (const char *base_url, const char *api_key, GError **error)
{
  return pw_client_new_full (base_url, api_key, PW_CLIENT_DEFAULT_MAX_IN_FLIGHT, error);
}

/**
 * pw_client_new_full:
 * @max_in_flight: how many requests may be on the wire at once; the rest
 *   wait in the client's own queue
 *
 * Returns: (transfer full) (nullable): a client, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error for a bad URL or key
 */
PwClient *
pw_client_new_full (const char *base_url,
                    const char *api_key,
                    guint max_in_flight,
                    GError **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (max_in_flight > 0, NULL);

  normalized = pw_base_url_normalize (base_url, error);
  if (normalized == NULL || !pw_api_key_is_valid (api_key, error))
    return NULL;

  return client_new (g_steal_pointer (&normalized), api_key, max_in_flight, error);
}

/**
 * pw_client_new_without_key:
 *
 * A client for a connection that has no API key (yet): every request fails
 * at once with %PW_ERROR_UNAUTHORIZED and no exchange, and nothing is sent.
 *
 * Returns: (transfer full) (nullable): a client, or %NULL with a
 *   %PW_ERROR_INVALID_ARGUMENT error for a bad URL
 */
PwClient *
pw_client_new_without_key (const char *base_url, GError **error)
{
  char *normalized = pw_base_url_normalize (base_url, error);

  if (normalized == NULL)
    return NULL;

  return client_new (normalized, NULL, PW_CLIENT_DEFAULT_MAX_IN_FLIGHT, error);
}

/**
 * pw_client_has_api_key:
 *
 * Returns: whether requests carry a key (see pw_client_new_without_key())
 */
gboolean
pw_client_has_api_key (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

const char *
pw_client_get_base_url (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), NULL);

  return self->base_url;
}

guint
pw_client_get_timeout_ms (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), 0);

  return self->timeout_ms;
}

/* Applies to requests started from now on. */
void
pw_client_set_timeout_ms (PwClient *self, guint timeout_ms)
{
  g_return_if_fail (PW_IS_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, timeout_ms / 1000 + 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

guint
pw_client_get_in_flight (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), 0);

  return self->in_flight;
}

guint
pw_client_get_queued (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), 0);

  return self->pending.length;
}

/**
 * pw_client_redact:
 *
 * Returns: (transfer full): @text with every occurrence of this client's
 *   API key replaced, for anything that is shown, logged or saved
 */
char *
pw_client_redact (PwClient *self, const char *text)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), NULL);

  return pw_client_text_redact (text, self->api_key);
}

/**
 * pw_client_dup_api_key:
 *
 * The key itself, for the one place that may show it: "Copy as curl with
 * API key", which the user picks explicitly. Nothing else asks for it, and
 * what gets it must never log, save or display it.
 *
 * Returns: (transfer full): a copy of the key; wipe it when done
 */
char *
pw_client_dup_api_key (PwClient *self)
{
  g_return_val_if_fail (PW_IS_CLIENT (self), NULL);

  return g_strdup (self->api_key);
}

/**
 * pw_client_heartbeat_async:
 *
 * Sends `PATCH {base}/game/session/heartbeat`. Finish with
 * pw_client_heartbeat_finish().
 */
void
pw_client_heartbeat_async (PwClient *self,
                           const char *session_id,
                           const char *user_id,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (PW_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_request (self, PW_REQUEST_HEARTBEAT, session_id, user_id, -1, cancellable,
                pw_client_heartbeat_async, callback, user_data);
}

/**
 * pw_client_heartbeat_finish:
 * @exchange: (out) (optional) (nullable): the record of the request and its
 *   answer, set whenever a request was sent, on success and on failure
 *
 * Returns: %TRUE on a valid 200 answer (see pw_exchange_get_result()),
 *   %FALSE with a %PW_ERROR (or %G_IO_ERROR_CANCELLED) otherwise
 */
gboolean
pw_client_heartbeat_finish (PwClient *self,
                            GAsyncResult *result,
                            PwExchange **exchange,
                            GError **error)
{
  return finish_request (self, result, pw_client_heartbeat_async, exchange, error);
}

/**
 * pw_client_end_async:
 * @play_duration_sec: the client-measured play time, or -1 to omit it
 *
 * Sends `DELETE {base}/game/session/end` with a JSON body.
 */
void
pw_client_end_async (PwClient *self,
                     const char *session_id,
                     gint64 play_duration_sec,
                     GCancellable *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_return_if_fail (PW_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_request (self, PW_REQUEST_END, session_id, NULL, play_duration_sec, cancellable,
                pw_client_end_async, callback, user_data);
}

gboolean
pw_client_end_finish (PwClient *self,
                      GAsyncResult *result,
                      PwExchange **exchange,
                      GError **error)
{
  return finish_request (self, result, pw_client_end_async, exchange, error);
}
