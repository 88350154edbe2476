/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *pw_base_url_normalize (const char *text, GError **error);
gboolean pw_base_url_host_is_loopback (const char *host);
gboolean pw_api_key_is_valid (const char *key, GError **error);
gboolean pw_identifier_is_valid (const char *what, const char *value, GError **error);

G_END_DECLS
