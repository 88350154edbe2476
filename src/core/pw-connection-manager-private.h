/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-connection-manager.h"
#include "pw-keyring.h"

G_BEGIN_DECLS

/* Shared by pw-connection-manager.c (the model, keys looked up, clients)
 * and pw-connection-manager-edit.c (setting keys, removing, restoring). */
struct _PwConnectionManager
{
  GObject parent_instance;

  PwTracker *tracker;
  PwConnectionStore *store;
  GSettings *settings;
  GListStore *connections; /* transient first, then the store's */
  guint n_transient;

  GHashTable *keys;        /* name → PwKey */
  GHashTable *key_errors;  /* name → why the keyring could not be read */
  GHashTable *generations; /* name → key generation */
  PwKey *env_key;
  GCancellable *cancellable;

  guint pending_lookups;
  gboolean load_started;
  gboolean loaded;
  GPtrArray *orphans; /* PwSavedSession of connections that do not exist */
};

/* pw-connection-manager.c */
const char *pw_connection_manager_key_for (PwConnectionManager *self,
                                           PwConnection *connection);
guint pw_connection_manager_get_generation (PwConnectionManager *self, const char *name);
void pw_connection_manager_bump_generation (PwConnectionManager *self, const char *name);
void pw_connection_manager_apply_client (PwConnectionManager *self,
                                         PwConnection *connection);
void pw_connection_manager_resume (PwConnectionManager *self, PwConnection *connection);

/* pw-connection-manager-edit.c */
void pw_connection_manager_restore_orphans (PwConnectionManager *self, const char *name);

G_END_DECLS
