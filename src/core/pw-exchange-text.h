/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-exchange.h"

G_BEGIN_DECLS

/* What "copy as curl" puts where the key goes unless the user asks for
 * the key itself: the shell fills it in from the environment, and stops
 * with a clear message when the variable is not set. */
#define PW_CURL_KEY_PLACEHOLDER "${PLAYWAVE_API_KEY:?}"

/* Bodies longer than this are cut when shown (the client already keeps
 * at most 64 KiB of each). */
#define PW_BODY_DISPLAY_MAX_BYTES (64 * 1024)

char *pw_exchange_dup_curl (PwExchange *exchange, const char *api_key);
char *pw_body_dup_display (const char *body);
char *pw_body_dup_pretty_json (const char *body);
char *pw_exchange_dup_summary (PwExchange *exchange);
char *pw_exchange_dup_ticket_text (PwExchange *exchange);
char *pw_format_real_time (gint64 real_us, gboolean utc);

G_END_DECLS
