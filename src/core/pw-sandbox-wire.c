/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-json.h"
#include "pw-sandbox-private.h"

/* What every request and answer of the sandbox goes through: request ids,
 * the common headers, the error envelope, and reading request bodies with a
 * 400 that names the faulty field. */

#define MAX_ID_BYTES 256

/* Ids must fit in a control URL and print safely. */
gboolean
pw_sandbox_is_valid_id (const char *id)
{
  return id != NULL && *id != '\0' && strlen (id) <= MAX_ID_BYTES &&
         strchr (id, '/') == NULL && pw_json_string_is_safe (id);
}

void
pw_sandbox_send_too_large (PwSandbox *self, SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* Read the rest of the body into nothing, so a client that sends it anyway
   * still gets the answer and the memory stays bounded. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);

  pw_sandbox_send_error (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                         "PAYLOAD_TOO_LARGE", "The request body is larger than 64 KiB");
}

/* Unique within the process thanks to the serial; the random half keeps ids
 * of different runs apart in logs. */
char *
pw_sandbox_new_request_id (PwSandbox *self)
{
  return g_strdup_printf ("req_%08x%08x", ++self->request_serial, g_random_int ());
}

void
pw_sandbox_send_bytes (PwSandbox *self,
                       SoupServerMessage *msg,
                       guint status,
                       const char *request_id,
                       const char *content_type,
                       GBytes *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *date = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  /* The Date header follows the sandbox clock's wall time, so a test can
   * make the server's clock disagree with its own. */
  now =
      g_date_time_new_from_unix_utc (pw_clock_get_real_us (self->clock) / G_USEC_PER_SEC);
  date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  soup_message_headers_replace (headers, "Date", date);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (request_id != NULL)
    soup_message_headers_replace (headers, "X-Request-Id", request_id);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

void
pw_sandbox_send_json (PwSandbox *self,
                      SoupServerMessage *msg,
                      guint status,
                      const char *request_id,
                      JsonNode *body)
{
  g_autofree char *text = pw_json_to_string (body, FALSE);
  g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
  g_autofree char *own_id = NULL;

  if (request_id == NULL)
    request_id = own_id = pw_sandbox_new_request_id (self);

  pw_sandbox_send_bytes (self, msg, status, request_id, "application/json", bytes);
}

/**
 * pw_sandbox_send_envelope:
 * @success: whether @payload is the "data" of a success or an "error"
 * @payload: (transfer full): the data or the error object
 *
 * Sends an answer in the API's envelope:
 * {"success", "request_id", "data" or "error"}.
 */
void
pw_sandbox_send_envelope (PwSandbox *self,
                          SoupServerMessage *msg,
                          guint status,
                          gboolean success,
                          JsonNode *payload)
{
  g_autofree char *request_id = pw_sandbox_new_request_id (self);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, success);
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, request_id);
  json_builder_set_member_name (builder, success ? "data" : "error");
  json_builder_add_value (builder, payload);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  pw_sandbox_send_json (self, msg, status, request_id, root);
}

void
pw_sandbox_send_error (PwSandbox *self,
                       SoupServerMessage *msg,
                       guint status,
                       const char *code,
                       const char *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  pw_sandbox_send_envelope (self, msg, status, FALSE, json_builder_get_root (builder));
}

/* @allowed: the methods the path takes, as the Allow header lists them */
void
pw_sandbox_send_method_not_allowed (PwSandbox *self,
                                    SoupServerMessage *msg,
                                    const char *allowed)
{
  g_autofree char *message = g_strdup_printf ("This endpoint only takes %s", allowed);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                allowed);
  pw_sandbox_send_error (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                         message);
}

/**
 * pw_sandbox_read_body:
 * @allow_empty: whether an empty body counts as an empty object
 *
 * Returns: (transfer full) (nullable): the request body, a JSON object; or
 *   %NULL after answering 400
 */
JsonNode *
pw_sandbox_read_body (PwSandbox *self, SoupServerMessage *msg, gboolean allow_empty)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0 && allow_empty)
    return json_node_init_object (json_node_alloc (), json_object_new ());

  if (size == 0)
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST",
                             "The request body is empty; it must be a JSON object");
      return NULL;
    }

  root = pw_json_parse (data, size, &error);
  if (root == NULL)
    {
      g_autofree char *message =
          g_strdup_printf ("The request body is not valid JSON (%s)", error->message);

      pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST",
                             message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST",
                             "The request body must be a JSON object");
      return NULL;
    }

  return g_steal_pointer (&root);
}

static void
send_field_error (PwSandbox *self,
                  SoupServerMessage *msg,
                  JsonObject *body,
                  const char *member,
                  const char *expected)
{
  g_autofree char *message = NULL;

  if (json_object_has_member (body, member))
    message = g_strdup_printf ("Field “%s” must be %s", member, expected);
  else
    message = g_strdup_printf ("Missing required field “%s”", member);

  pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST", message);
}

/**
 * pw_sandbox_read_string:
 *
 * Reads an identifier: a non-empty string of printable text without “/”
 * (so it fits in a control URL) of at most 256 bytes. An optional member that
 * is absent or null leaves @out_value untouched.
 *
 * Returns: %TRUE, or %FALSE after answering 400 with the field's name
 */
gboolean
pw_sandbox_read_string (PwSandbox *self,
                        SoupServerMessage *msg,
                        JsonObject *body,
                        const char *member,
                        gboolean required,
                        const char **out_value)
{
  const char *value = NULL;

  if (pw_json_get_string (body, member, required, &value, NULL) &&
      (value == NULL || pw_sandbox_is_valid_id (value)))
    {
      if (value != NULL)
        *out_value = value;
      return TRUE;
    }

  send_field_error (
      self, msg, body, member,
      "a non-empty string of at most 256 bytes, without control characters or “/”");
  return FALSE;
}

/**
 * pw_sandbox_read_int:
 *
 * Reads an integer in [@min_value, @max_value]; like
 * pw_sandbox_read_string() for optional and required members.
 */
gboolean
pw_sandbox_read_int (PwSandbox *self,
                     SoupServerMessage *msg,
                     JsonObject *body,
                     const char *member,
                     gboolean required,
                     gint64 min_value,
                     gint64 max_value,
                     gint64 *out_value)
{
  g_autofree char *expected = NULL;

  if (pw_json_get_int (body, member, required, min_value, max_value, out_value, NULL))
    return TRUE;

  expected = g_strdup_printf ("an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                              min_value, max_value);
  send_field_error (self, msg, body, member, expected);
  return FALSE;
}
