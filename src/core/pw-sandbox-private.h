/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-sandbox-fault.h"
#include "pw-sandbox-session.h"
#include "pw-sandbox.h"

G_BEGIN_DECLS

/* Request bodies larger than this are refused with 413. */
#define PW_SANDBOX_MAX_REQUEST_BODY (64 * 1024)

#define PW_SANDBOX_API_PREFIX "/v1"
#define PW_SANDBOX_CONTROL_PREFIX "/_sandbox/"
#define PW_SANDBOX_HEARTBEAT_PATH "/v1/game/session/heartbeat"
#define PW_SANDBOX_END_PATH "/v1/game/session/end"

struct _PwSandbox
{
  GObject parent_instance;

  PwClock *clock;
  char *api_key;

  SoupServer *server;
  guint16 port;

  /* Added to the clock's time by POST /_sandbox/time */
  gint64 skip_us;
  gint64 ending_sec;

  GHashTable *sessions;         /* id → PwSandboxSession */
  GHashTable *pc_sessions;      /* pc id → id of the newest session there */
  GHashTable *silent_launchers; /* pc id → GINT64 monotonic time of silencing */

  GQueue faults;      /* PwSandboxFault, oldest first */
  GPtrArray *pending; /* PendingAnswer: paused by a fault */

  GHashTable *connections; /* "address:port" of every API client seen */
  guint n_requests;
  guint32 request_serial;
};

/* pw-sandbox.c */
gint64 pw_sandbox_now_us (PwSandbox *self);
PwSandboxSession *pw_sandbox_lookup_session (PwSandbox *self, const char *session_id);
PwSandboxSession *pw_sandbox_insert_session (PwSandbox *self,
                                             const char *session_id,
                                             const char *user_id,
                                             const char *pc_id,
                                             gint64 charge_sec,
                                             GError **error);
gboolean pw_sandbox_launcher_is_dead (PwSandbox *self, const char *pc_id, gint64 now_us);

/* pw-sandbox-wire.c */
gboolean pw_sandbox_is_valid_id (const char *id);
char *pw_sandbox_new_request_id (PwSandbox *self);
void pw_sandbox_send_bytes (PwSandbox *self,
                            SoupServerMessage *msg,
                            guint status,
                            const char *request_id,
                            const char *content_type,
                            GBytes *body);
void pw_sandbox_send_json (PwSandbox *self,
                           SoupServerMessage *msg,
                           guint status,
                           const char *request_id,
                           JsonNode *body);
void pw_sandbox_send_envelope (PwSandbox *self,
                               SoupServerMessage *msg,
                               guint status,
                               gboolean success,
                               JsonNode *payload);
void pw_sandbox_send_error (PwSandbox *self,
                            SoupServerMessage *msg,
                            guint status,
                            const char *code,
                            const char *message);
void pw_sandbox_send_too_large (PwSandbox *self, SoupServerMessage *msg);
void pw_sandbox_send_method_not_allowed (PwSandbox *self,
                                         SoupServerMessage *msg,
                                         const char *allowed);
JsonNode *
pw_sandbox_read_body (PwSandbox *self, SoupServerMessage *msg, gboolean allow_empty);
gboolean pw_sandbox_read_string (PwSandbox *self,
                                 SoupServerMessage *msg,
                                 JsonObject *body,
                                 const char *member,
                                 gboolean required,
                                 const char **out_value);
gboolean pw_sandbox_read_int (PwSandbox *self,
                              SoupServerMessage *msg,
                              JsonObject *body,
                              const char *member,
                              gboolean required,
                              gint64 min_value,
                              gint64 max_value,
                              gint64 *out_value);

/* pw-sandbox-api.c */
void pw_sandbox_handle_api (PwSandbox *self, SoupServerMessage *msg, const char *path);

/* pw-sandbox-control.c */
void
pw_sandbox_handle_control (PwSandbox *self, SoupServerMessage *msg, const char *path);

/* pw-sandbox-faults.c */
void pw_sandbox_handle_faulty (PwSandbox *self, SoupServerMessage *msg, const char *path);
void pw_sandbox_release_pending (PwSandbox *self);

G_END_DECLS
