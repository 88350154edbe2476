/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-json.h"

/* A strict JSON reader (RFC 8259) that builds json-glib nodes.
 *
 * json-glib 1.6's JsonParser cost 40,000 instructions for a 120-byte
 * heartbeat answer (a GObject, a scanner with its symbol table, per parse),
 * a tenth of all the CPU a heartbeat costs (docs/BENCHMARKS.md), and had to
 * be preceded by pw_json_scan_text() for what it mishandles (PITFALLS.md,
 * ROBUSTNESS.md). This reader applies the same rules as that scan while it
 * reads, in one pass, and gives the trees JsonParser gives: integers as
 * gint64, other numbers as double, sealed (immutable) nodes. Its errors are
 * the scan's, worded as pw_json_check_text() words them, pointing at the
 * token where the problem is.
 *
 * Raw control characters inside strings are accepted as json-glib does;
 * the typed getters refuse them. */

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint depth;
  GString *scratch; /* the string being read */
  GError **error;
} Reader;

static JsonNode *read_value (Reader *r);

/* Sets the error for @problem at @at (the start of the token at fault),
 * with the messages pw_json_check_text() uses. Returns: %FALSE */
static gboolean
fail_at (Reader *r, const char *at, PwJsonTextProblem problem)
{
  g_autofree char *excerpt = NULL;

  switch (problem)
    {
      case PW_JSON_TEXT_NUL:
        g_set_error_literal (r->error, PW_ERROR, PW_ERROR_PROTOCOL,
                             _ ("The response contains a NUL character in a string"));
        break;

      case PW_JSON_TEXT_TOO_DEEP:
        g_set_error (r->error, PW_ERROR, PW_ERROR_PROTOCOL,
                     _ ("The response is nested deeper than %d levels"),
                     PW_JSON_MAX_DEPTH);
        break;

      case PW_JSON_TEXT_BIG_INTEGER:
        g_set_error_literal (r->error, PW_ERROR, PW_ERROR_PROTOCOL,
                             _ ("The response contains an integer too large to read"));
        break;

      case PW_JSON_TEXT_OK:
      case PW_JSON_TEXT_NOT_UTF8:
      case PW_JSON_TEXT_BAD_SURROGATE:
      case PW_JSON_TEXT_NOT_JSON:
      default:
        excerpt = pw_json_excerpt (r->start, r->end - r->start, at - r->start);
        g_set_error (r->error, PW_ERROR, PW_ERROR_PROTOCOL,
                     _ ("The response is not valid JSON: %s"), excerpt);
        break;
    }

  return FALSE;
}

static gboolean
fail_syntax (Reader *r)
{
  return fail_at (r, r->p, PW_JSON_TEXT_NOT_JSON);
}

static JsonNode *
syntax_error (Reader *r)
{
  fail_syntax (r);
  return NULL;
}

static void
skip_space (Reader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static gboolean
expect_word (Reader *r, const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (r->end - r->p) < length || memcmp (r->p, word, length) != 0)
    return fail_syntax (r);

  r->p += length;
  return TRUE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads 4 hex digits at r->p. Returns: the value, or -1 */
static int
read_hex4 (Reader *r)
{
  int value = 0;

  if (r->end - r->p < 4)
    return -1;

  for (int i = 0; i < 4; i++)
    {
      int digit = hex_digit (r->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  r->p += 4;
  return value;
}

/* After "\u". Returns: %PW_JSON_TEXT_OK with the character appended */
static PwJsonTextProblem
read_unicode_escape (Reader *r)
{
  char utf8[8];
  int unit = read_hex4 (r);
  gunichar c;

  if (unit < 0)
    return PW_JSON_TEXT_NOT_JSON;
  if (unit == 0)
    return PW_JSON_TEXT_NUL;

  /* A surrogate only as the first half of a pair (ROBUSTNESS.md: json-glib
   * leaked on the others, or let them through as invalid UTF-8). */
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return PW_JSON_TEXT_BAD_SURROGATE;

  c = unit;
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      int low;

      if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
        return PW_JSON_TEXT_BAD_SURROGATE;
      r->p += 2;
      low = read_hex4 (r);
      if (low < 0xdc00 || low > 0xdfff)
        return PW_JSON_TEXT_BAD_SURROGATE;
      c = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }

  g_string_append_len (r->scratch, utf8, g_unichar_to_utf8 (c, utf8));
  return PW_JSON_TEXT_OK;
}

/* Reads a string at r->p (on its opening quote) into r->scratch. Errors
 * point at the opening quote, as pw_json_scan_text()'s do. */
static gboolean
read_string (Reader *r)
{
  const char *token = r->p;
  PwJsonTextProblem problem;

  g_string_truncate (r->scratch, 0);
  r->p++;

  for (;;)
    {
      const char *run = r->p;

      while (r->p < r->end && *r->p != '"' && *r->p != '\\')
        r->p++;
      g_string_append_len (r->scratch, run, r->p - run);

      if (r->p >= r->end)
        return fail_at (r, token, PW_JSON_TEXT_NOT_JSON);

      if (*r->p++ == '"')
        return TRUE;

      if (r->p >= r->end)
        return fail_at (r, token, PW_JSON_TEXT_NOT_JSON);

      switch (*r->p++)
        {
          case '"':
            g_string_append_c (r->scratch, '"');
            break;
          case '\\':
            g_string_append_c (r->scratch, '\\');
            break;
          case '/':
            g_string_append_c (r->scratch, '/');
            break;
          case 'b':
            g_string_append_c (r->scratch, '\b');
            break;
          case 'f':
            g_string_append_c (r->scratch, '\f');
            break;
          case 'n':
            g_string_append_c (r->scratch, '\n');
            break;
          case 'r':
            g_string_append_c (r->scratch, '\r');
            break;
          case 't':
            g_string_append_c (r->scratch, '\t');
            break;
          case 'u':
            problem = read_unicode_escape (r);
            if (problem != PW_JSON_TEXT_OK)
              return fail_at (r, token, problem);
            break;
          default:
            /* json-glib reads octal escapes too: "\0" is a NUL */
            return fail_at (r, token, PW_JSON_TEXT_NOT_JSON);
        }
    }
}

static gboolean
skip_digits (Reader *r)
{
  const char *first = r->p;

  while (r->p < r->end && g_ascii_isdigit (*r->p))
    r->p++;

  return r->p > first;
}

static JsonNode *
read_number (Reader *r)
{
  const char *first = r->p;
  gboolean integral = TRUE;
  g_autofree char *token = NULL;
  JsonNode *node;

  /* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else: no
   * octal (0777), no hex (0x1F), no "- 1". */
  if (*r->p == '-')
    r->p++;
  if (r->p < r->end && *r->p == '0')
    r->p++;
  else if (!skip_digits (r))
    goto not_json;
  if (r->p < r->end && g_ascii_isdigit (*r->p))
    goto not_json;

  if (r->p < r->end && *r->p == '.')
    {
      integral = FALSE;
      r->p++;
      if (!skip_digits (r))
        goto not_json;
    }

  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      integral = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (!skip_digits (r))
        goto not_json;
    }

  token = g_strndup (first, r->p - first);
  node = json_node_alloc ();

  if (integral)
    {
      gint64 value;

      /* json-glib 1.6 wraps these silently (PITFALLS.md). */
      if (!g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          json_node_unref (node);
          fail_at (r, first, PW_JSON_TEXT_BIG_INTEGER);
          return NULL;
        }
      return json_node_init_int (node, value);
    }

  return json_node_init_double (node, g_ascii_strtod (token, NULL));

not_json:
  fail_at (r, first, PW_JSON_TEXT_NOT_JSON);
  return NULL;
}

static gboolean
enter (Reader *r)
{
  /* json-glib 1.6 has no depth limit and crashes on deep input. */
  if (++r->depth <= PW_JSON_MAX_DEPTH)
    return TRUE;

  return fail_at (r, r->p, PW_JSON_TEXT_TOO_DEEP);
}

static JsonNode *
read_array (Reader *r)
{
  g_autoptr (JsonArray) array = NULL;

  if (!enter (r))
    return NULL;

  array = json_array_new ();
  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      r->depth--;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *element = read_value (r);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);

      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        break;
      return syntax_error (r);
    }

  r->p++;
  r->depth--;
  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
read_object (Reader *r)
{
  g_autoptr (JsonObject) object = NULL;

  if (!enter (r))
    return NULL;

  object = json_object_new ();
  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      r->depth--;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *member;

      if (r->p >= r->end || *r->p != '"')
        return syntax_error (r);
      if (!read_string (r))
        return NULL;
      name = g_strndup (r->scratch->str, r->scratch->len);

      skip_space (r);
      if (r->p >= r->end || *r->p != ':')
        return syntax_error (r);
      r->p++;

      member = read_value (r);
      if (member == NULL)
        return NULL;
      /* A repeated name keeps the last value, as json-glib does. */
      json_object_set_member (object, name, member);

      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          skip_space (r);
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        break;
      return syntax_error (r);
    }

  r->p++;
  r->depth--;
  return json_node_init_object (json_node_alloc (), object);
}

static JsonNode *
read_value (Reader *r)
{
  skip_space (r);
  if (r->p >= r->end)
    return syntax_error (r);

  switch (*r->p)
    {
      case '{':
        return read_object (r);

      case '[':
        return read_array (r);

      case '"':
        if (!read_string (r))
          return NULL;
        /* json_node_set_string() copies up to the NUL; a string cannot hold
         * one (\u0000 is refused, and the text is checked for NUL bytes). */
        return json_node_init_string (json_node_alloc (), r->scratch->str);

      case 't':
        return expect_word (r, "true") ? json_node_init_boolean (json_node_alloc (), TRUE)
                                       : NULL;

      case 'f':
        return expect_word (r, "false")
                   ? json_node_init_boolean (json_node_alloc (), FALSE)
                   : NULL;

      case 'n':
        return expect_word (r, "null") ? json_node_init_null (json_node_alloc ()) : NULL;

      default:
        if (*r->p == '-' || g_ascii_isdigit (*r->p))
          return read_number (r);
        return syntax_error (r);
    }
}

/**
 * pw_json_parse:
 *
 * Reads a JSON text of at most %PW_JSON_MAX_BYTES: valid UTF-8 without NUL
 * bytes, nested at most %PW_JSON_MAX_DEPTH deep, no "\u0000", no integer
 * outside the 64-bit range.
 *
 * Returns: (transfer full): the root node (sealed), or %NULL with a
 *   %PW_ERROR_PROTOCOL error
 */
JsonNode *
pw_json_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (GString) scratch = NULL;
  Reader reader = { text, text, text + length, 0, NULL, error };
  JsonNode *root;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length > PW_JSON_MAX_BYTES)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("The response is larger than %d KiB"), PW_JSON_MAX_BYTES / 1024);
      return NULL;
    }

  /* With a length, NUL bytes count as invalid too. */
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is not valid UTF-8 text"));
      return NULL;
    }

  skip_space (&reader);
  if (reader.p == reader.end)
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The response is empty"));
      return NULL;
    }

  scratch = g_string_sized_new (64);
  reader.scratch = scratch;
  root = read_value (&reader);
  if (root == NULL)
    return NULL;

  skip_space (&reader);
  if (reader.p != reader.end)
    {
      json_node_unref (root);
      fail_syntax (&reader);
      return NULL;
    }

  json_node_seal (root);
  return root;
}
