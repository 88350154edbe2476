/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-json.h"
#include "pw-sandbox-fault.h"

/* Messages here go to QA in HTTP bodies and test logs, next to the server's
 * own English error messages, so they are not translated. */

static const char *const known_members[] = {
  "count",   "match", "latency_ms", "status", "body",    "body_repeat", "content_type",
  "headers", "drop",  "raw",        "hang",   "chunked", NULL,
};

static void
pw_sandbox_fault_clear (PwSandboxFault *self)
{
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->raw, g_bytes_unref);
}

static gboolean fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid fault: %s",
               message);
  return FALSE;
}

/* pw_json_get_int() and friends say what went wrong in a client's words;
 * the fault's author gets the rule instead. */
static gboolean
read_int (JsonObject *object,
          const char *member,
          gint64 min_value,
          gint64 max_value,
          gint64 *out_value,
          GError **error)
{
  if (pw_json_get_int (object, member, FALSE, min_value, max_value, out_value, NULL))
    return TRUE;

  return fail (error,
               "“%s” must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
               member, min_value, max_value);
}

static gboolean
read_bool (JsonObject *object, const char *member, gboolean *out_value, GError **error)
{
  if (pw_json_get_boolean (object, member, out_value, NULL))
    return TRUE;

  return fail (error, "“%s” must be true or false", member);
}

/* Bodies and raw bytes are sent verbatim, so unlike the strings a client
 * shows, they may hold CR, LF and any other character but NUL (which the
 * text check in pw_json_parse() already refused). */
static gboolean
read_bytes (JsonObject *object, const char *member, GBytes **out_value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, "“%s” must be a string", member);

  text = json_node_get_string (node);
  *out_value = g_bytes_new (text, strlen (text));
  return TRUE;
}

static gboolean
is_header_name (const char *name)
{
  static const char separators[] = "()<>@,;:\\\"/[]?={} \t";

  if (*name == '\0')
    return FALSE;

  for (const char *p = name; *p; p++)
    if (*p <= 0x20 || *p >= 0x7f || strchr (separators, *p) != NULL)
      return FALSE;

  return TRUE;
}

static gboolean
read_headers (JsonObject *object, GPtrArray **out_value, GError **error)
{
  g_autoptr (GPtrArray) headers = NULL;
  JsonObject *members;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (json_object_get_member (object, "headers") == NULL)
    return TRUE;

  members = pw_json_get_object (object, "headers", FALSE, NULL);
  if (members == NULL)
    return fail (error, "“headers” must be an object of strings");

  headers = g_ptr_array_new_with_free_func (g_free);
  json_object_iter_init (&iter, members);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *value;

      if (!is_header_name (name))
        return fail (error, "“%s” is not a valid header name", name);

      /* libsoup frames the body by these; a wrong one would stall the
       * connection instead of cutting the answer, which is what "raw" is for. */
      if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
          g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        return fail (error, "header “%s” cannot be set: use “raw” for a cut or odd body",
                     name);

      if (!JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING)
        return fail (error, "the value of header “%s” must be a string", name);

      value = json_node_get_string (node);
      if (strpbrk (value, "\r\n") != NULL || !g_utf8_validate (value, -1, NULL))
        return fail (error, "the value of header “%s” must be one line of text", name);

      g_ptr_array_add (headers, g_strdup (name));
      g_ptr_array_add (headers, g_strdup (value));
    }

  *out_value = g_steal_pointer (&headers);
  return TRUE;
}

static gboolean
read_match (JsonObject *object, PwSandboxFaultMatch *out_value, GError **error)
{
  const char *match = NULL;

  if (!pw_json_get_string (object, "match", FALSE, &match, NULL))
    return fail (error, "“match” must be \"heartbeat\", \"end\" or \"any\"");

  if (match == NULL || g_str_equal (match, "any"))
    *out_value = PW_SANDBOX_FAULT_MATCH_ANY;
  else if (g_str_equal (match, "heartbeat"))
    *out_value = PW_SANDBOX_FAULT_MATCH_HEARTBEAT;
  else if (g_str_equal (match, "end"))
    *out_value = PW_SANDBOX_FAULT_MATCH_END;
  else
    return fail (error, "“match” must be \"heartbeat\", \"end\" or \"any\"");

  return TRUE;
}

static GBytes *
repeat_bytes (GBytes *bytes, gint64 times)
{
  gsize size = g_bytes_get_size (bytes);
  GByteArray *array = g_byte_array_sized_new (size * times);

  for (gint64 i = 0; i < times; i++)
    g_byte_array_append (array, g_bytes_get_data (bytes, NULL), size);

  return g_byte_array_free_to_bytes (array);
}

static gboolean
parse_fault (PwSandboxFault *self, JsonObject *object, GError **error)
{
  gint64 count = 1;
  gint64 latency_ms = 0;
  gint64 status = 0;
  gint64 body_repeat = 1;
  gboolean drop = FALSE;
  gboolean hang = FALSE;
  const char *content_type = NULL;
  guint n_actions;
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (known_members, name))
      return fail (error, "unknown field “%s”", name);

  if (!read_int (object, "count", 1, 1000000, &count, error) ||
      !read_match (object, &self->match, error) ||
      !read_int (object, "latency_ms", 0, 60000, &latency_ms, error) ||
      !read_int (object, "status", 200, 599, &status, error) ||
      !read_bytes (object, "body", &self->body, error) ||
      !read_int (object, "body_repeat", 1, PW_SANDBOX_FAULT_MAX_BODY, &body_repeat,
                 error) ||
      !read_headers (object, &self->headers, error) ||
      !read_bool (object, "drop", &drop, error) ||
      !read_bytes (object, "raw", &self->raw, error) ||
      !read_bool (object, "hang", &hang, error) ||
      !read_bool (object, "chunked", &self->chunked, error))
    return FALSE;

  if (!pw_json_get_string (object, "content_type", FALSE, &content_type, NULL) ||
      (content_type != NULL && *content_type == '\0'))
    return fail (error, "“content_type” must be a non-empty string");

  n_actions = (status != 0) + drop + (self->raw != NULL) + hang;
  if (n_actions > 1)
    return fail (error, "“status”, “drop”, “raw” and “hang” exclude each other");

  if (status != 0)
    self->action = PW_SANDBOX_FAULT_STATUS;
  else if (drop)
    self->action = PW_SANDBOX_FAULT_DROP;
  else if (self->raw != NULL)
    self->action = PW_SANDBOX_FAULT_RAW;
  else if (hang)
    self->action = PW_SANDBOX_FAULT_HANG;
  else
    self->action = PW_SANDBOX_FAULT_ANSWER;

  if (self->action != PW_SANDBOX_FAULT_STATUS &&
      (self->body != NULL || content_type != NULL || self->chunked ||
       json_object_has_member (object, "body_repeat")))
    return fail (error,
                 "“body”, “body_repeat”, “chunked” and “content_type” need a “status”");

  if (self->headers != NULL && self->action != PW_SANDBOX_FAULT_STATUS &&
      self->action != PW_SANDBOX_FAULT_ANSWER)
    return fail (error, "“headers” need an answer: not with “drop”, “raw” or “hang”");

  if (self->action == PW_SANDBOX_FAULT_ANSWER && latency_ms == 0 && self->headers == NULL)
    return fail (error,
                 "a fault needs one of “latency_ms”, “status”, “headers”, “drop”, “raw” "
                 "or “hang”");

  if (self->body != NULL && body_repeat > 1)
    {
      g_autoptr (GBytes) once = g_steal_pointer (&self->body);

      if (g_bytes_get_size (once) > PW_SANDBOX_FAULT_MAX_BODY / body_repeat)
        return fail (error, "the repeated body would be larger than %d MiB",
                     PW_SANDBOX_FAULT_MAX_BODY / (1024 * 1024));

      self->body = repeat_bytes (once, body_repeat);
    }

  self->count = count;
  self->latency_ms = latency_ms;
  self->status = status;
  self->content_type = g_strdup (content_type);

  return TRUE;
}

/**
 * pw_sandbox_fault_new_from_json:
 * @text: a JSON object as `POST /_sandbox/faults` takes it
 * @length: the length of @text, or -1 when it ends with a NUL
 *
 * Returns: (transfer full) (nullable): the fault, or %NULL with
 *   %G_IO_ERROR_INVALID_ARGUMENT saying what is wrong with @text
 */
PwSandboxFault *
pw_sandbox_fault_new_from_json (const char *text, gssize length, GError **error)
{
  g_autoptr (PwSandboxFault) self = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  root = pw_json_parse (text, length >= 0 ? (gsize) length : strlen (text), &local_error);
  if (root == NULL)
    {
      fail (error, "%s", local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "the fault must be a JSON object");
      return NULL;
    }

  self = g_rc_box_new0 (PwSandboxFault);
  if (!parse_fault (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

PwSandboxFault *
pw_sandbox_fault_ref (PwSandboxFault *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
pw_sandbox_fault_unref (PwSandboxFault *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, (GDestroyNotify) pw_sandbox_fault_clear);
}

/**
 * pw_sandbox_fault_matches:
 * @request: what the request is: %PW_SANDBOX_FAULT_MATCH_HEARTBEAT,
 *   %PW_SANDBOX_FAULT_MATCH_END, or %PW_SANDBOX_FAULT_MATCH_ANY for another
 *   path under /v1
 *
 * Returns: %TRUE when the fault applies to @request
 */
gboolean
pw_sandbox_fault_matches (const PwSandboxFault *self, PwSandboxFaultMatch request)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->match == PW_SANDBOX_FAULT_MATCH_ANY || self->match == request;
}
