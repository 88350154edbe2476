/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest response body the client accepts, and the deepest nesting it
 * lets json-glib see: json-glib 1.6 has no depth limit and crashes on deep
 * input, so depth is checked on the raw text first. */
#define PW_JSON_MAX_BYTES (1024 * 1024)
#define PW_JSON_MAX_DEPTH 32

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

G_END_DECLS
