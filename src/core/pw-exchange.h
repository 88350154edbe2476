/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PW_REQUEST_HEARTBEAT,
  PW_REQUEST_END,
} PwRequestKind;

/**
 * PwResult:
 * @PW_RESULT_NONE: no successful answer
 * @PW_RESULT_OK: heartbeat accepted
 * @PW_RESULT_CHARGE_EXHAUSTED: heartbeat accepted, the player is out of charge
 * @PW_RESULT_SESSION_REPLACED: another session started on the same PC
 * @PW_RESULT_UNKNOWN: a 200 answer with a result this version does not know
 * @PW_RESULT_ENDED: the end request succeeded
 */
typedef enum
{
  PW_RESULT_NONE,
  PW_RESULT_OK,
  PW_RESULT_CHARGE_EXHAUSTED,
  PW_RESULT_SESSION_REPLACED,
  PW_RESULT_UNKNOWN,
  PW_RESULT_ENDED,
} PwResult;

#define PW_TYPE_EXCHANGE (pw_exchange_get_type ())
G_DECLARE_FINAL_TYPE (PwExchange, pw_exchange, PW, EXCHANGE, GObject)

PwRequestKind pw_exchange_get_kind (PwExchange *self);
const char *pw_exchange_get_session_id (PwExchange *self);
const char *pw_exchange_get_method (PwExchange *self);
const char *pw_exchange_get_url (PwExchange *self);
const char *pw_exchange_get_request_headers (PwExchange *self);
const char *pw_exchange_get_request_body (PwExchange *self);
guint pw_exchange_get_status (PwExchange *self);
const char *pw_exchange_get_response_headers (PwExchange *self);
const char *pw_exchange_get_response_body (PwExchange *self);
gint64 pw_exchange_get_started_real_us (PwExchange *self);
gint64 pw_exchange_get_latency_us (PwExchange *self);
gint64 pw_exchange_get_server_date_unix (PwExchange *self);
gint64 pw_exchange_get_retry_after_sec (PwExchange *self);
const GError *pw_exchange_get_error (PwExchange *self);

PwResult pw_exchange_get_result (PwExchange *self);
const char *pw_exchange_get_result_name (PwExchange *self);
const char *pw_exchange_get_request_id (PwExchange *self);
const char *pw_exchange_get_code (PwExchange *self);
const char *pw_exchange_get_server_message (PwExchange *self);
gint64 pw_exchange_get_next_heartbeat_in (PwExchange *self);
gint64 pw_exchange_get_play_duration_sec (PwExchange *self);
gint64 pw_exchange_get_client_play_duration_sec (PwExchange *self);

gsize pw_exchange_get_size (PwExchange *self);

gint64 pw_heartbeat_interval_from_hint (gint64 next_heartbeat_in);

G_END_DECLS
