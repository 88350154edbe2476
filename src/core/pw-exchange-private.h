/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-exchange.h"
#include "pw-reply-parser.h"

G_BEGIN_DECLS

/* The record is written by PwClient while the request runs and read-only
 * once handed out. The method, URL and request headers are the same for
 * most requests: they are interned GRefStrings (g_ref_string_new_intern()),
 * shared by every exchange that has them, so the history of 10,000 sessions
 * does not hold 10,000 copies. */
struct _PwExchange
{
  GObject parent_instance;

  PwRequestKind kind;
  char *session_id;
  char *method;
  char *url;
  char *request_headers;
  char *request_body;
  guint status;
  char *response_headers;
  char *response_body;
  gint64 started_real_us;
  gint64 latency_us;
  gint64 server_date_unix;
  gint64 retry_after_sec;
  GError *error;
  PwReply reply;
};

PwExchange *pw_exchange_new (PwRequestKind kind,
                             const char *session_id,
                             const char *method,
                             const char *url);

G_END_DECLS
