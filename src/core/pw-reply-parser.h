/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pw-exchange.h"

G_BEGIN_DECLS

/**
 * PwReply:
 *
 * What the client read from one answer. Numbers the server did not send
 * are -1; strings it did not send are %NULL.
 */
typedef struct
{
  PwResult result;
  char *result_name;
  gint64 next_heartbeat_in;
  gint64 play_duration_sec;
  gint64 client_play_duration_sec;
  char *request_id;
  char *code;
  char *message;
} PwReply;

void pw_reply_init (PwReply *reply);
void pw_reply_clear (PwReply *reply);
gboolean pw_reply_parse (PwReply *reply,
                         PwRequestKind kind,
                         guint status,
                         const char *body,
                         gsize body_length,
                         GError **error);

G_END_DECLS
