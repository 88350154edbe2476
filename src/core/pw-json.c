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
 * validated when read, and every member's type is checked.
 *
 * The check is a strict JSON tokenizer, not a bracket counter: json-glib's
 * scanner (a GScanner) also reads comments, 'single-quoted' strings, hex,
 * octal and $hex numbers. A counter that only knows double-quoted strings
 * is blinded by a double quote inside a single-quoted string or a comment
 * on each side of deep nesting, as in `['"', [[[…]]], '"']`: it takes the
 * nesting for the inside of a string, and json-glib then recurses 100,000
 * levels deep and crashes. So anything that is not JSON is refused
 * here, before json-glib sees it. */

static gboolean
is_hex_digits (const char *p, const char *end, guint n)
{
  if (end - p < (gssize) n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (!g_ascii_isxdigit (p[i]))
      return FALSE;

  return TRUE;
}

/* Four hex digits, checked by is_hex_digits() */
static guint
hex_value (const char *p)
{
  guint value = 0;

  for (guint i = 0; i < 4; i++)
    value = value * 16 + (guint) g_ascii_xdigit_value (p[i]);

  return value;
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

/* @p is just after the opening quote. Returns the position after the
 * closing quote, or %NULL with @problem set. */
static const char *
scan_string (const char *p, const char *end, PwJsonTextProblem *problem)
{
  while (p < end)
    {
      char c = *p++;

      if (c == '"')
        return p;
      if (c != '\\')
        continue;

      if (p == end)
        break;

      c = *p++;
      if (c == 'u')
        {
          guint unit;

          if (!is_hex_digits (p, end, 4))
            break;
          if (memcmp (p, "0000", 4) == 0)
            {
              *problem = PW_JSON_TEXT_NUL;
              return NULL;
            }
          unit = hex_value (p);
          p += 4;

          /* A surrogate only as the first half of a pair. json-glib 1.6
           * leaks its string buffer when a high surrogate is followed by
           * another escape, and lets a lone one through as invalid UTF-8
           * (both found by the fuzzers with LeakSanitizer). */
          if (unit >= 0xdc00 && unit <= 0xdfff)
            {
              *problem = PW_JSON_TEXT_BAD_SURROGATE;
              return NULL;
            }
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                  !is_hex_digits (p + 2, end, 4) || hex_value (p + 2) < 0xdc00 ||
                  hex_value (p + 2) > 0xdfff)
                {
                  *problem = PW_JSON_TEXT_BAD_SURROGATE;
                  return NULL;
                }
              p += 6;
            }
        }
      else if (strchr ("\"\\/bfnrt", c) == NULL)
        {
          /* json-glib reads octal escapes too: "\0" is a NUL */
          break;
        }
    }

  *problem = PW_JSON_TEXT_NOT_JSON;
  return NULL;
}

static const char *
skip_digits (const char *p, const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;

  return p;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else: no octal
 * (0777), no hex (0x1F), no "- 1". Returns the position after the number,
 * or %NULL with @problem set. */
static const char *
scan_number (const char *p, const char *end, PwJsonTextProblem *problem)
{
  const char *start = p;
  gboolean integral = TRUE;

  if (*p == '-')
    p++;

  if (p == end || !g_ascii_isdigit (*p))
    goto not_json;

  if (*p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        goto not_json;
    }
  else
    p = skip_digits (p, end);

  if (p < end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (p == end || !g_ascii_isdigit (*p))
        goto not_json;
      p = skip_digits (p, end);
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integral = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !g_ascii_isdigit (*p))
        goto not_json;
      p = skip_digits (p, end);
    }

  if (integral && !integer_token_fits (start, p - start))
    {
      *problem = PW_JSON_TEXT_BIG_INTEGER;
      return NULL;
    }

  return p;

not_json:
  *problem = PW_JSON_TEXT_NOT_JSON;
  return NULL;
}

static const char *
scan_literal (const char *p, const char *end)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if ((gsize) (end - p) >= len && memcmp (p, literals[i], len) == 0 &&
          (p + len == end || !(g_ascii_isalnum (p[len]) || p[len] == '_')))
        return p + len;
    }

  return NULL;
}

static PwJsonTextProblem
fail (const char *text, const char *at, PwJsonTextProblem problem, gsize *error_offset)
{
  if (error_offset != NULL)
    *error_offset = (gsize) (at - text);

  return problem;
}

/**
 * pw_json_scan_text:
 * @text: the raw text, not necessarily nul-terminated
 * @length: its length in bytes
 *
 * Checks that @text is made only of JSON tokens (RFC 8259: no comments,
 * no single quotes, no hex or octal numbers) forming at most one value
 * (nothing after it, no closing bracket without an opening one), with no
 * NUL byte or `\u0000` escape, no `\u` surrogate outside a pair, valid
 * UTF-8, nesting at most %PW_JSON_MAX_DEPTH deep and every integer within
 * 64 bits. The rest of the grammar is json-glib's to check. There is no
 * size limit here: callers have their own.
 *
 * Returns: %PW_JSON_TEXT_OK, or the first problem found
 */
PwJsonTextProblem
pw_json_scan_text (const char *text, gsize length, gsize *error_offset)
{
  const char *p = text;
  const char *end;
  const char *invalid = NULL;
  PwJsonTextProblem problem = PW_JSON_TEXT_OK;
  guint depth = 0;
  gboolean complete = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, PW_JSON_TEXT_NOT_JSON);

  if (error_offset != NULL)
    *error_offset = 0;

  /* Before any pointer arithmetic: NULL + 0 is undefined behaviour. */
  if (length == 0)
    return PW_JSON_TEXT_OK;
  end = text + length;

  /* With a length, this refuses NUL bytes too. */
  if (!g_utf8_validate (text, length, &invalid))
    {
      if (error_offset != NULL)
        *error_offset = (gsize) (invalid - text);
      return PW_JSON_TEXT_NOT_UTF8;
    }

  while (p < end)
    {
      char c = *p;
      const char *token = p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          p++;
          continue;
        }

      /* One value and nothing after it: json-glib 1.6 leaks the first tree
       * of `{…}{…}` (found by fuzz-reply-parser with LeakSanitizer), a
       * leak per answer if a server or proxy sent that every time. */
      if (complete)
        return fail (text, token, PW_JSON_TEXT_NOT_JSON, error_offset);

      switch (c)
        {
          case ':':
          case ',':
            if (depth == 0)
              return fail (text, token, PW_JSON_TEXT_NOT_JSON, error_offset);
            p++;
            break;

          case '[':
          case '{':
            if (++depth > PW_JSON_MAX_DEPTH)
              return fail (text, token, PW_JSON_TEXT_TOO_DEEP, error_offset);
            p++;
            break;

          case ']':
          case '}':
            if (depth == 0)
              return fail (text, token, PW_JSON_TEXT_NOT_JSON, error_offset);
            depth--;
            p++;
            break;

          case '"':
            p = scan_string (p + 1, end, &problem);
            break;

          case '-':
          case '0':
          case '1':
          case '2':
          case '3':
          case '4':
          case '5':
          case '6':
          case '7':
          case '8':
          case '9':
            p = scan_number (p, end, &problem);
            break;

          default:
            p = scan_literal (p, end);
            problem = PW_JSON_TEXT_NOT_JSON;
            break;
        }

      if (p == NULL)
        return fail (text, token, problem, error_offset);

      complete = depth == 0;
    }

  return PW_JSON_TEXT_OK;
}

/**
 * pw_json_printable:
 * @max_chars: characters kept before "…", or 0 for all
 *
 * Text for an error message: valid UTF-8 without control characters (each
 * becomes U+FFFD: they would garble a terminal or a label).
 *
 * Returns: (transfer full): the text to show
 */
char *
pw_json_printable (const char *text, guint max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  guint n_chars = 0;

  for (const char *p = valid; *p; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (max_chars > 0 && n_chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c < 0x20 || c == 0x7f)
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
pw_json_check_text (const char *text, gsize length, GError **error)
{
  g_autofree char *excerpt = NULL;
  gsize offset = 0;

  if (length > PW_JSON_MAX_BYTES)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response is larger than %d KiB"), PW_JSON_MAX_BYTES / 1024);
      return FALSE;
    }

  switch (pw_json_scan_text (text, length, &offset))
    {
      case PW_JSON_TEXT_OK:
        return TRUE;

      case PW_JSON_TEXT_NOT_UTF8:
        g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                             _ ("The response is not valid UTF-8 text"));
        return FALSE;

      case PW_JSON_TEXT_NUL:
        g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                             _ ("The response contains a NUL character in a string"));
        return FALSE;

      case PW_JSON_TEXT_TOO_DEEP:
        g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                     _ ("The response is nested deeper than %d levels"),
                     PW_JSON_MAX_DEPTH);
        return FALSE;

      case PW_JSON_TEXT_BIG_INTEGER:
        g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                             _ ("The response contains an integer too large to read"));
        return FALSE;

      case PW_JSON_TEXT_BAD_SURROGATE:
      case PW_JSON_TEXT_NOT_JSON:
      default:
        excerpt = pw_json_excerpt (text, length, offset);
        g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                     _ ("The response is not valid JSON: %s"), excerpt);
        return FALSE;
    }
}

/**
 * pw_json_excerpt:
 * @text: valid UTF-8 (as pw_json_scan_text() found it), not necessarily
 *   nul-terminated
 * @offset: where the problem is, a character boundary
 *
 * Returns: (transfer full): the text from @offset, at most 24 characters,
 *   quoted and printable, for an error message
 */
char *
pw_json_excerpt (const char *text, gsize length, gsize offset)
{
  g_autoptr (GString) raw = g_string_new (NULL);
  g_autofree char *shown = NULL;
  const char *p;
  const char *end;
  guint n = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (offset <= length, NULL);

  if (length > 0)
    {
      end = text + length;
      for (p = text + offset; p < end && n < 24; p = g_utf8_next_char (p), n++)
        g_string_append_len (raw, p, MIN (g_utf8_next_char (p), end) - p);
      if (p < end)
        g_string_append (raw, "…");
    }

  shown = pw_json_printable (raw->str, 0);
  return g_strdup_printf ("“%s”", shown);
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

/**
 * pw_json_append_string:
 * @value: valid UTF-8
 *
 * Appends @value to @out as a JSON string: quoted, with quotes, backslashes
 * and control characters escaped, everything else as it is.
 */
void
pw_json_append_string (GString *out, const char *value)
{
  const char *run = value;

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      guchar c = *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          case '\b':
            g_string_append (out, "\\b");
            break;
          case '\f':
            g_string_append (out, "\\f");
            break;
          default:
            g_string_append_printf (out, "\\u%04x", c);
            break;
        }
    }
  g_string_append_len (out, run, strlen (run));
  g_string_append_c (out, '"');
}

char *
pw_json_to_string (JsonNode *node, gboolean pretty)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}
