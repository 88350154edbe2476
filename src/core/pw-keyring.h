/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* The environment variable that overrides every stored key. */
#define PW_KEYRING_ENV_KEY "PLAYWAVE_API_KEY"

const SecretSchema *pw_keyring_get_schema (void);
char *pw_keyring_dup_environment_key (void);

void pw_keyring_store_async (const char *connection,
                             const char *key,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean pw_keyring_store_finish (GAsyncResult *result, GError **error);

void pw_keyring_lookup_async (const char *connection,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
char *pw_keyring_lookup_finish (GAsyncResult *result, GError **error);

void pw_keyring_clear_async (const char *connection,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean pw_keyring_clear_finish (GAsyncResult *result, GError **error);

/* A key in memory: wiped when freed. g_autoptr (PwKey) key = …; */
typedef char PwKey;
void pw_keyring_free_key (PwKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwKey, pw_keyring_free_key)

G_END_DECLS
