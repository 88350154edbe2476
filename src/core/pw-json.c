/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-json.h"

/* Everything the server sends goes through here before anything trusts it:
 * json-glib 1.6 crashes on deep nesting, wraps integers past 64 bits, embeds
 * NULs for "\u0000" and returns invalid UTF-8 for lone surrogates
 * (PITFALLS.md). The raw text is checked for the first three, strings are
 * validated when read, and every member's type is checked. */

static gboolean
is_hex_zero_escape (const char *p, const char *end)
{
  /* p points just after "\u" */
  return end - p >= 4 && p[0] == '0' && p[1] == '0' && p[2] == '0' && p[3] == '0';
}

static gboolean
integer_token_fits (const char *start, gsize len)
{
  char buf[32];
  gint64 value;

  if (len >= sizeof buf)
    return FALSE;

  memcpy (buf, start, len);
  buf[len] = '\0';

  return g_ascii_string_to_signed (buf, 10, G_MININT64, G_MAXINT64, &value, NULL);
}

gboolean
pw_json_check_text (const char *text, gsize length, GError **error)
{
  const char *p = text;
  const char *end = text + length;
  guint depth = 0;

  if (length > PW_JSON_MAX_BYTES)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response is larger than %d KiB"), PW_JSON_MAX_BYTES / 1024);
      return FALSE;
    }

  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is not valid UTF-8 text"));
      return FALSE;
    }

  while (p < end)
    {
      char c = *p;

      if (c == '"')
        {
          for (p++; p < end && *p != '"'; p++)
            {
              if (*p != '\\')
                continue;
              p++;
              if (p < end && *p == 'u' && is_hex_zero_escape (p + 1, end))
                {
                  g_set_error_literal (
                      error, PW_ERROR, PW_ERROR_PROTOCOL,
                      _ ("The response contains a NUL character in a string"));
                  return FALSE;
                }
            }
          p++;
          continue;
        }

      if (c == '[' || c == '{')
        {
          if (++depth > PW_JSON_MAX_DEPTH)
            {
              g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is nested deeper than %d levels"),
                           PW_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          const char *start = p;
          gboolean integral = TRUE;

          for (p++; p < end && (g_ascii_isdigit (*p) || strchr (".eE+-", *p)); p++)
            if (!g_ascii_isdigit (*p))
              integral = FALSE;

          if (integral && !integer_token_fits (start, p - start))
            {
              g_set_error_literal (
                  error, PW_ERROR, PW_ERROR_PROTOCOL,
                  _ ("The response contains an integer too large to read"));
              return FALSE;
            }
          continue;
        }

      p++;
    }

  return TRUE;
}

/**
 * pw_json_parse:
 *
 * Returns: (transfer full): the root node, after the checks of
 *   pw_json_check_text(), or %NULL with a %PW_ERROR_PROTOCOL error
 */
JsonNode *
pw_json_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (!pw_json_check_text (text, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is empty"));
      return NULL;
    }

  return json_node_ref (root);
}

/* NULs cannot reach here (checked on the raw text); lone surrogates come
 * back from json-glib as invalid UTF-8, and control characters would garble
 * a terminal or a label. */
gboolean
pw_json_string_is_safe (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 && c != '\t' && c != '\n')
        return FALSE;
      if (c == 0x7f)
        return FALSE;
    }

  return TRUE;
}

static JsonNode *
get_member (JsonObject *object, const char *member, gboolean required, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && required)
    g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL, _ ("The response has no “%s” field"),
                 member);

  return node;
}

/**
 * pw_json_get_object:
 *
 * Returns: (transfer none) (nullable): the object member, or %NULL when it is
 *   absent (an error only if @required) or not an object (always an error)
 */
JsonObject *
pw_json_get_object (JsonObject *object,
                    const char *member,
                    gboolean required,
                    GError **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is not an object"), member);
      return NULL;
    }

  return json_node_get_object (node);
}

/* A present member of the wrong type is an error even when optional; an
 * optional member that is absent or null leaves *out_value untouched. */
gboolean
pw_json_get_string (JsonObject *object,
                    const char *member,
                    gboolean required,
                    const char **out_value,
                    GError **error)
{
  JsonNode *node = get_member (object, member, required, error);
  const char *value;

  if (node == NULL)
    return !required;

  if (!required && JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is not a string"), member);
      return FALSE;
    }

  value = json_node_get_string (node);
  if (!pw_json_string_is_safe (value))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is not valid text"), member);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

gboolean
pw_json_get_int (JsonObject *object,
                 const char *member,
                 gboolean required,
                 gint64 min_value,
                 gint64 max_value,
                 gint64 *out_value,
                 GError **error)
{
  JsonNode *node = get_member (object, member, required, error);
  gint64 value;

  if (node == NULL)
    return !required;

  if (!required && JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is not an integer"), member);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min_value || value > max_value)
    {
      /* No G_GINT64_FORMAT inside _(): xgettext cannot see through it. */
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is out of range (%s)"), member, number);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

/* Optional: absent leaves *out_value untouched. */
gboolean
pw_json_get_boolean (JsonObject *object,
                     const char *member,
                     gboolean *out_value,
                     GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response field “%s” is not true or false"), member);
      return FALSE;
    }

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

char *
pw_json_to_string (JsonNode *node, gboolean pretty)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}
