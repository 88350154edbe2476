/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-sandbox-private.h"

/* Applies the queued faults (parsed by pw-sandbox-fault.c) to API requests.
 *
 * Whatever does not answer at once — a delay, a dropped connection, raw
 * bytes, a hang — pauses the message and finishes later from a main-loop
 * source. Stealing the connection from inside the request handler would free
 * the I/O state libsoup is still running on; from a source it is safe. */

typedef struct
{
  PwSandbox *sandbox; /* unowned: the sandbox owns the pending answers */
  SoupServerMessage *msg;
  char *path;
  PwSandboxFault *fault;
  GSource *source;
} PendingAnswer;

static void
pending_answer_free (PendingAnswer *pending)
{
  if (pending->source != NULL)
    g_source_destroy (pending->source);
  g_clear_pointer (&pending->source, g_source_unref);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->path, g_free);
  g_clear_pointer (&pending->fault, pw_sandbox_fault_unref);
  g_free (pending);
}

static PwSandboxFaultMatch
classify (const char *path)
{
  if (g_str_equal (path, PW_SANDBOX_HEARTBEAT_PATH))
    return PW_SANDBOX_FAULT_MATCH_HEARTBEAT;
  if (g_str_equal (path, PW_SANDBOX_END_PATH))
    return PW_SANDBOX_FAULT_MATCH_END;
  return PW_SANDBOX_FAULT_MATCH_ANY;
}

/* The first queued fault that matches applies; others wait their turn. */
static PwSandboxFault *
take_fault (PwSandbox *self, PwSandboxFaultMatch request)
{
  for (GList *link = self->faults.head; link != NULL; link = link->next)
    {
      PwSandboxFault *fault = link->data;

      if (!pw_sandbox_fault_matches (fault, request))
        continue;

      if (--fault->count > 0)
        return pw_sandbox_fault_ref (fault);

      g_queue_delete_link (&self->faults, link);
      return fault;
    }

  return NULL;
}

static const char *
code_for_status (guint status)
{
  switch (status)
    {
      case SOUP_STATUS_BAD_REQUEST:
        return "INVALID_REQUEST";
      case SOUP_STATUS_UNAUTHORIZED:
        return "UNAUTHORIZED";
      case SOUP_STATUS_FORBIDDEN:
        return "FORBIDDEN";
      case SOUP_STATUS_NOT_FOUND:
        return "SESSION_NOT_FOUND";
      case SOUP_STATUS_CONFLICT:
        return "ALREADY_ENDED";
      case SOUP_STATUS_GONE:
        return "SESSION_ENDED";
      case 429: /* no SOUP_STATUS_ name before libsoup 3.4 */
        return "RATE_LIMITED";
      case SOUP_STATUS_SERVICE_UNAVAILABLE:
        return "SERVICE_UNAVAILABLE";
      default:
        return SOUP_STATUS_IS_SERVER_ERROR (status) ? "INTERNAL_ERROR" : "FAULT_INJECTED";
    }
}

static void
answer (PwSandbox *self, SoupServerMessage *msg, const char *path, PwSandboxFault *fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (fault->action != PW_SANDBOX_FAULT_STATUS)
    {
      pw_sandbox_handle_api (self, msg, path);
    }
  else if (fault->body == NULL)
    {
      const char *phrase = soup_status_get_phrase (fault->status);

      pw_sandbox_send_error (self, msg, fault->status, code_for_status (fault->status),
                             phrase != NULL ? phrase : "Injected fault");
    }
  else
    {
      g_autofree char *request_id = pw_sandbox_new_request_id (self);

      pw_sandbox_send_bytes (self, msg, fault->status, request_id,
                             fault->content_type != NULL ? fault->content_type
                                                         : "application/json",
                             fault->body);
    }

  /* Without a Content-Length, only counting the bytes read can tell the
   * client a body is too big. */
  if (fault->chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  /* After the answer, so a fault can override Date or Content-Type too. */
  for (guint i = 0; fault->headers != NULL && i + 1 < fault->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (fault->headers, i),
                                  g_ptr_array_index (fault->headers, i + 1));
}

static void
raw_written_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GIOStream) stream = user_data;

  /* The client may well have gone already; either way the connection ends. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Takes the connection away from libsoup, writes @raw if any, and closes it:
 * the client sees a cut answer, or none at all. */
static void
close_connection (SoupServerMessage *msg, GBytes *raw)
{
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
  GOutputStream *output;
  gsize size;
  const void *data;

  if (stream == NULL)
    return;

  if (raw == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  /* The bytes must outlive the write; the stream is freed after it. */
  g_object_set_data_full (G_OBJECT (stream), "pw-sandbox-raw", g_bytes_ref (raw),
                          (GDestroyNotify) g_bytes_unref);
  output = g_io_stream_get_output_stream (stream);
  data = g_bytes_get_data (raw, &size);
  g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, NULL,
                                   raw_written_cb, g_steal_pointer (&stream));
}

static gboolean
pending_due_cb (gpointer user_data)
{
  PendingAnswer *pending = user_data;
  PwSandbox *self = pending->sandbox;
  PwSandboxFault *fault = pending->fault;

  g_clear_pointer (&pending->source, g_source_unref);

  switch (fault->action)
    {
      case PW_SANDBOX_FAULT_HANG:
        /* Delayed, and now never answered: it stays until released. */
        return G_SOURCE_REMOVE;

      case PW_SANDBOX_FAULT_ANSWER:
      case PW_SANDBOX_FAULT_STATUS:
        answer (self, pending->msg, pending->path, fault);
        soup_server_message_unpause (pending->msg);
        break;

      case PW_SANDBOX_FAULT_DROP:
        close_connection (pending->msg, NULL);
        break;

      case PW_SANDBOX_FAULT_RAW:
        close_connection (pending->msg, fault->raw);
        break;

      default:
        g_assert_not_reached ();
    }

  g_ptr_array_remove_fast (self->pending, pending);
  pending_answer_free (pending);

  return G_SOURCE_REMOVE;
}

/**
 * pw_sandbox_handle_faulty:
 * @path: the request path, under /v1
 *
 * Answers an API request, through the first queued fault that matches it
 * if there is one.
 */
void
pw_sandbox_handle_faulty (PwSandbox *self, SoupServerMessage *msg, const char *path)
{
  g_autoptr (PwSandboxFault) fault = take_fault (self, classify (path));
  g_autoptr (GMainContext) context = NULL;
  PendingAnswer *pending;

  if (fault == NULL)
    {
      pw_sandbox_handle_api (self, msg, path);
      return;
    }

  if (fault->latency_ms == 0 && (fault->action == PW_SANDBOX_FAULT_ANSWER ||
                                 fault->action == PW_SANDBOX_FAULT_STATUS))
    {
      answer (self, msg, path, fault);
      return;
    }

  soup_server_message_pause (msg);

  pending = g_new0 (PendingAnswer, 1);
  pending->sandbox = self;
  pending->msg = g_object_ref (msg);
  pending->path = g_strdup (path);
  pending->fault = g_steal_pointer (&fault);
  g_ptr_array_add (self->pending, pending);

  if (pending->fault->action == PW_SANDBOX_FAULT_HANG && pending->fault->latency_ms == 0)
    return;

  /* Real time on purpose: latency is about the wire, not protocol time. */
  context = g_main_context_ref_thread_default ();
  pending->source = g_timeout_source_new (pending->fault->latency_ms);
  g_source_set_name (pending->source, "[playwave] sandbox fault");
  g_source_set_callback (pending->source, pending_due_cb, pending, NULL);
  g_source_attach (pending->source, context);
}

/**
 * pw_sandbox_release_pending:
 *
 * Closes the connection of every request a fault is holding (delayed or
 * hung) without an answer, so nothing is left paused forever.
 */
void
pw_sandbox_release_pending (PwSandbox *self)
{
  g_autoptr (GPtrArray) pending = g_steal_pointer (&self->pending);

  self->pending = g_ptr_array_new ();

  for (guint i = 0; i < pending->len; i++)
    {
      PendingAnswer *entry = g_ptr_array_index (pending, i);

      close_connection (entry->msg, NULL);
      pending_answer_free (entry);
    }
}
