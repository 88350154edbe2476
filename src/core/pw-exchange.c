/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-exchange-private.h"

/* One request and its answer, as the inspector shows them: headers with the
 * key redacted, bodies as text, timings, and what the client read from the
 * answer. */

G_DEFINE_FINAL_TYPE (PwExchange, pw_exchange, G_TYPE_OBJECT)

#define DEFAULT_INTERVAL_SEC 120
#define MIN_INTERVAL_SEC 1
#define MAX_INTERVAL_SEC 200

static void
pw_exchange_finalize (GObject *object)
{
  PwExchange *self = (PwExchange *) object;

  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->method, g_ref_string_release);
  g_clear_pointer (&self->url, g_ref_string_release);
  g_clear_pointer (&self->request_headers, g_ref_string_release);
  g_clear_pointer (&self->request_body, g_free);
  g_clear_pointer (&self->response_headers, g_free);
  g_clear_pointer (&self->response_body, g_free);
  g_clear_error (&self->error);
  pw_reply_clear (&self->reply);

  G_OBJECT_CLASS (pw_exchange_parent_class)->finalize (object);
}

static void
pw_exchange_class_init (PwExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_exchange_finalize;
}

static void
pw_exchange_init (PwExchange *self)
{
  pw_reply_init (&self->reply);
  self->latency_us = -1;
  self->server_date_unix = -1;
  self->retry_after_sec = -1;
}

PwExchange *
pw_exchange_new (PwRequestKind kind,
                 const char *session_id,
                 const char *method,
                 const char *url)
{
  PwExchange *self = g_object_new (PW_TYPE_EXCHANGE, NULL);

  self->kind = kind;
  self->session_id = g_strdup (session_id);
  self->method = g_ref_string_new_intern (method);
  self->url = g_ref_string_new_intern (url);

  return self;
}

/**
 * pw_heartbeat_interval_from_hint:
 * @next_heartbeat_in: the server's hint, or -1 when absent or invalid
 *
 * Returns: seconds until the next heartbeat: the hint clamped to 1..200,
 *   or 120 when there is no usable hint (SPEC.md)
 */
gint64
pw_heartbeat_interval_from_hint (gint64 next_heartbeat_in)
{
  if (next_heartbeat_in <= 0)
    return DEFAULT_INTERVAL_SEC;

  return CLAMP (next_heartbeat_in, MIN_INTERVAL_SEC, MAX_INTERVAL_SEC);
}

#define GETTER(type, name, expr)                                                         \
  type pw_exchange_get_##name (PwExchange *self)                                         \
  {                                                                                      \
    g_return_val_if_fail (PW_IS_EXCHANGE (self), (type) 0);                              \
    return expr;                                                                         \
  }

GETTER (PwRequestKind, kind, self->kind)
GETTER (const char *, session_id, self->session_id)
GETTER (const char *, method, self->method)
GETTER (const char *, url, self->url)
GETTER (const char *, request_headers, self->request_headers)
GETTER (const char *, request_body, self->request_body)
GETTER (guint, status, self->status)
GETTER (const char *, response_headers, self->response_headers)
GETTER (const char *, response_body, self->response_body)
GETTER (gint64, started_real_us, self->started_real_us)
GETTER (gint64, latency_us, self->latency_us)
GETTER (gint64, server_date_unix, self->server_date_unix)
GETTER (gint64, retry_after_sec, self->retry_after_sec)
GETTER (const GError *, error, self->error)
GETTER (PwResult, result, self->reply.result)
GETTER (const char *, result_name, self->reply.result_name)
GETTER (const char *, request_id, self->reply.request_id)
GETTER (const char *, code, self->reply.code)
GETTER (const char *, server_message, self->reply.message)
GETTER (gint64, next_heartbeat_in, self->reply.next_heartbeat_in)
GETTER (gint64, play_duration_sec, self->reply.play_duration_sec)
GETTER (gint64, client_play_duration_sec, self->reply.client_play_duration_sec)

#undef GETTER

static gsize
string_size (const char *text)
{
  return text != NULL ? strlen (text) + 1 : 0;
}

/**
 * pw_exchange_get_size:
 *
 * An estimate of the memory the record holds, for keeping histories within
 * a byte budget: the object and every string in it.
 *
 * Returns: bytes
 */
gsize
pw_exchange_get_size (PwExchange *self)
{
  g_return_val_if_fail (PW_IS_EXCHANGE (self), 0);

  return sizeof *self + string_size (self->session_id) + string_size (self->method) +
         string_size (self->url) + string_size (self->request_headers) +
         string_size (self->request_body) + string_size (self->response_headers) +
         string_size (self->response_body) +
         (self->error != NULL ? sizeof *self->error + string_size (self->error->message)
                              : 0) +
         string_size (self->reply.result_name) + string_size (self->reply.request_id) +
         string_size (self->reply.code) + string_size (self->reply.message);
}
