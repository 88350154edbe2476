/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-connection-probe.h"
#include "pw-connection-store.h"
#include "pw-connection.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define PW_TYPE_CONNECTION_MANAGER (pw_connection_manager_get_type ())
G_DECLARE_FINAL_TYPE (PwConnectionManager,
                      pw_connection_manager,
                      PW,
                      CONNECTION_MANAGER,
                      GObject)

PwConnectionManager *pw_connection_manager_new (PwTracker *tracker,
                                                PwConnectionStore *store,
                                                GSettings *settings);
PwTracker *pw_connection_manager_get_tracker (PwConnectionManager *self);
PwConnectionStore *pw_connection_manager_get_store (PwConnectionManager *self);
GListModel *pw_connection_manager_get_connections (PwConnectionManager *self);
PwConnection *pw_connection_manager_lookup (PwConnectionManager *self, const char *name);
const char *pw_connection_manager_get_default_name (PwConnectionManager *self);
gboolean pw_connection_manager_get_environment_key_set (PwConnectionManager *self);
guint pw_connection_manager_get_timeout_ms (PwConnectionManager *self,
                                            PwConnection *connection);

PwConnection *pw_connection_manager_add_transient (PwConnectionManager *self,
                                                   const char *name,
                                                   const char *base_url,
                                                   const char *key,
                                                   GError **error);

void pw_connection_manager_load (PwConnectionManager *self);
gboolean pw_connection_manager_get_loaded (PwConnectionManager *self);

guint pw_connection_manager_restore (PwConnectionManager *self,
                                     GPtrArray *saved_sessions,
                                     GError **error);
GPtrArray *pw_connection_manager_dup_saved_sessions (PwConnectionManager *self);

void pw_connection_manager_set_key_async (PwConnectionManager *self,
                                          const char *name,
                                          const char *key,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean pw_connection_manager_set_key_finish (PwConnectionManager *self,
                                               GAsyncResult *result,
                                               GError **error);

gboolean pw_connection_manager_can_remove (PwConnectionManager *self,
                                           const char *name,
                                           guint *n_finished,
                                           GError **error);
void pw_connection_manager_remove_async (PwConnectionManager *self,
                                         const char *name,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean pw_connection_manager_remove_finish (PwConnectionManager *self,
                                              GAsyncResult *result,
                                              GError **error);

void pw_connection_manager_probe_async (PwConnectionManager *self,
                                        const char *name,
                                        const char *base_url,
                                        const char *key,
                                        guint timeout_sec,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean pw_connection_manager_probe_finish (PwConnectionManager *self,
                                             GAsyncResult *result,
                                             PwProbeVerdict *verdict,
                                             guint *http_status,
                                             char **message,
                                             GError **error);

G_END_DECLS
