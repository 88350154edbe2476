/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pw-reply-parser.h"

G_BEGIN_DECLS

/* pw-client-text.c: what PwClient writes down about its requests. */
#define PW_CLIENT_REDACTED "[redacted]"

char *pw_client_text_redact (const char *text, const char *key);
char *pw_client_text_headers (SoupMessageHeaders *headers, const char *key);
char *pw_client_text_body (const guint8 *data, gsize length, const char *key);
gint64 pw_client_text_retry_after (const char *value, gint64 now_unix);
void pw_client_text_redact_reply (PwReply *reply, const char *key);
GBytes *pw_client_text_request_body (const char *session_id,
                                     const char *user_id,
                                     gint64 play_duration_sec);

G_END_DECLS
