/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The names of the connections that are not stored in GSettings: the one
 * made from PLAYWAVE_BASE_URL or --base-url, and the one of --sandbox.
 * Stored connections may not take them. */
#define PW_CONNECTION_ENVIRONMENT "environment"
#define PW_CONNECTION_SANDBOX "sandbox"

#define PW_CONNECTION_NAME_MAX_CHARS 64
/* Seconds; a connection's timeout of 0 follows the general setting. */
#define PW_CONNECTION_TIMEOUT_MAX 120

/**
 * PwKeyState:
 * @PW_KEY_STATE_UNKNOWN: not looked up yet
 * @PW_KEY_STATE_LOOKING_UP: the keyring is being asked
 * @PW_KEY_STATE_KEYRING: the key is stored in the keyring
 * @PW_KEY_STATE_ENVIRONMENT: `PLAYWAVE_API_KEY` is set and used instead
 * @PW_KEY_STATE_MEMORY: a key held for this run only (the sandbox's, or one
 *   the keyring could not save)
 * @PW_KEY_STATE_MISSING: no key: the connection's requests fail at once
 * @PW_KEY_STATE_ERROR: the keyring could not be read (see
 *   #PwConnection:problem)
 *
 * Where a connection's API key comes from. The key itself is never kept in
 * a #PwConnection.
 */
typedef enum
{
  PW_KEY_STATE_UNKNOWN,
  PW_KEY_STATE_LOOKING_UP,
  PW_KEY_STATE_KEYRING,
  PW_KEY_STATE_ENVIRONMENT,
  PW_KEY_STATE_MEMORY,
  PW_KEY_STATE_MISSING,
  PW_KEY_STATE_ERROR,
} PwKeyState;

#define PW_TYPE_CONNECTION (pw_connection_get_type ())
G_DECLARE_FINAL_TYPE (PwConnection, pw_connection, PW, CONNECTION, GObject)

PwConnection *pw_connection_new (const char *name,
                                 const char *base_url,
                                 guint timeout_sec,
                                 gboolean transient);

const char *pw_connection_get_name (PwConnection *self);
const char *pw_connection_get_base_url (PwConnection *self);
void pw_connection_set_base_url (PwConnection *self, const char *base_url);
guint pw_connection_get_timeout (PwConnection *self);
void pw_connection_set_timeout (PwConnection *self, guint timeout_sec);
gboolean pw_connection_get_transient (PwConnection *self);
PwKeyState pw_connection_get_key_state (PwConnection *self);
void pw_connection_set_key_state (PwConnection *self, PwKeyState state);
const char *pw_connection_get_problem (PwConnection *self);
void pw_connection_set_problem (PwConnection *self, const char *problem);
gboolean pw_connection_has_key (PwConnection *self);

gboolean pw_connection_name_is_valid (const char *name, GError **error);
gboolean pw_connection_timeout_is_valid (guint timeout_sec, GError **error);

G_END_DECLS
