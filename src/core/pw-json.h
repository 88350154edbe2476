/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest response body the client accepts, and the deepest nesting it
 * reads (json-glib 1.6 has no depth limit and crashes on deep input).
 * pw_json_parse() (pw-json-parser.c) refuses anything past these itself;
 * pw_json_check_text() makes the same checks on a text for json-glib's own
 * parser. */
#define PW_JSON_MAX_BYTES (1024 * 1024)
#define PW_JSON_MAX_DEPTH 32

/**
 * PwJsonTextProblem:
 * @PW_JSON_TEXT_OK: nothing wrong
 * @PW_JSON_TEXT_NOT_UTF8: not valid UTF-8
 * @PW_JSON_TEXT_NUL: a `\u0000` escape in a string (a NUL byte is
 *   %PW_JSON_TEXT_NOT_UTF8)
 * @PW_JSON_TEXT_TOO_DEEP: nested deeper than %PW_JSON_MAX_DEPTH
 * @PW_JSON_TEXT_BIG_INTEGER: an integer outside the 64-bit range
 * @PW_JSON_TEXT_BAD_SURROGATE: a `\u` escape of a UTF-16 surrogate that is
 *   not half of a pair, so not a character
 * @PW_JSON_TEXT_NOT_JSON: something JSON does not have (a comment, a
 *   single quote, a hex number, an unknown escape, an unterminated string…)
 *
 * What pw_json_scan_text() found wrong with a raw text.
 */
typedef enum
{
  PW_JSON_TEXT_OK,
  PW_JSON_TEXT_NOT_UTF8,
  PW_JSON_TEXT_NUL,
  PW_JSON_TEXT_TOO_DEEP,
  PW_JSON_TEXT_BIG_INTEGER,
  PW_JSON_TEXT_BAD_SURROGATE,
  PW_JSON_TEXT_NOT_JSON,
} PwJsonTextProblem;

PwJsonTextProblem pw_json_scan_text (const char *text, gsize length, gsize *error_offset);
char *pw_json_excerpt (const char *text, gsize length, gsize offset);
char *pw_json_printable (const char *text, guint max_chars);
gboolean pw_json_check_text (const char *text, gsize length, GError **error);
JsonNode *pw_json_parse (const char *text, gsize length, GError **error);
JsonObject *pw_json_get_object (JsonObject *object,
                                const char *member,
                                gboolean required,
                                GError **error);
gboolean pw_json_get_string (JsonObject *object,
                             const char *member,
                             gboolean required,
                             const char **out_value,
                             GError **error);
gboolean pw_json_get_int (JsonObject *object,
                          const char *member,
                          gboolean required,
                          gint64 min_value,
                          gint64 max_value,
                          gint64 *out_value,
                          GError **error);
gboolean pw_json_get_boolean (JsonObject *object,
                              const char *member,
                              gboolean *out_value,
                              GError **error);
gboolean pw_json_string_is_safe (const char *text);
char *pw_json_to_string (JsonNode *node, gboolean pretty);
void pw_json_append_string (GString *out, const char *value);

G_END_DECLS
