/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-connection.h"

G_BEGIN_DECLS

#define PW_TYPE_CONNECTION_STORE (pw_connection_store_get_type ())
G_DECLARE_FINAL_TYPE (PwConnectionStore,
                      pw_connection_store,
                      PW,
                      CONNECTION_STORE,
                      GObject)

/* The stored connections: a GListModel of PwConnection over the
 * "connections" and "default-connection" keys of the app's GSettings. */
PwConnectionStore *pw_connection_store_new (GSettings *settings);
GSettings *pw_connection_store_get_settings (PwConnectionStore *self);
PwConnection *pw_connection_store_lookup (PwConnectionStore *self, const char *name);

gboolean pw_connection_store_add (PwConnectionStore *self,
                                  const char *name,
                                  const char *base_url,
                                  guint timeout_sec,
                                  GError **error);
gboolean pw_connection_store_update (PwConnectionStore *self,
                                     const char *name,
                                     const char *base_url,
                                     guint timeout_sec,
                                     GError **error);
gboolean
pw_connection_store_remove (PwConnectionStore *self, const char *name, GError **error);

const char *pw_connection_store_get_default (PwConnectionStore *self);
gboolean pw_connection_store_set_default (PwConnectionStore *self,
                                          const char *name,
                                          GError **error);

G_END_DECLS
