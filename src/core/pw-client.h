/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-exchange.h"

G_BEGIN_DECLS

#define PW_CLIENT_DEFAULT_TIMEOUT_MS 10000
#define PW_CLIENT_DEFAULT_MAX_IN_FLIGHT 6

#define PW_TYPE_CLIENT (pw_client_get_type ())
G_DECLARE_FINAL_TYPE (PwClient, pw_client, PW, CLIENT, GObject)

PwClient *pw_client_new (const char *base_url, const char *api_key, GError **error);
PwClient *pw_client_new_full (const char *base_url,
                              const char *api_key,
                              guint max_in_flight,
                              GError **error);
PwClient *pw_client_new_without_key (const char *base_url, GError **error);
gboolean pw_client_has_api_key (PwClient *self);
const char *pw_client_get_base_url (PwClient *self);
guint pw_client_get_timeout_ms (PwClient *self);
void pw_client_set_timeout_ms (PwClient *self, guint timeout_ms);
guint pw_client_get_in_flight (PwClient *self);
guint pw_client_get_queued (PwClient *self);
char *pw_client_redact (PwClient *self, const char *text);
char *pw_client_dup_api_key (PwClient *self);

void pw_client_heartbeat_async (PwClient *self,
                                const char *session_id,
                                const char *user_id,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean pw_client_heartbeat_finish (PwClient *self,
                                     GAsyncResult *result,
                                     PwExchange **exchange,
                                     GError **error);
void pw_client_end_async (PwClient *self,
                          const char *session_id,
                          gint64 play_duration_sec,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data);
gboolean pw_client_end_finish (PwClient *self,
                               GAsyncResult *result,
                               PwExchange **exchange,
                               GError **error);

G_END_DECLS
