/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-json.h"
#include "pw-sandbox-private.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PW_SANDBOX_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PW_SANDBOX_ASAN 1
#endif
#ifdef PW_SANDBOX_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/* A PlayWave API server on loopback. This file holds the object, the
 * listening socket, the plumbing every answer goes through and the
 * in-process control API; the API endpoints are in pw-sandbox-api.c, the
 * /_sandbox/ endpoints in pw-sandbox-control.c and fault injection in
 * pw-sandbox-faults.c.
 *
 * Nothing runs on a timer: every request reads the time from the clock given
 * at construction (plus the skip offset) and each session works out its state
 * for that moment. The messages in answers are for developers and QA, in
 * English like the real server's, so they are not translated. */

#define DEFAULT_API_KEY "sandbox-key"
#define MAX_SKIP_US (G_GINT64_CONSTANT (100) * 365 * 24 * 3600 * G_USEC_PER_SEC)

enum
{
  PROP_0,
  PROP_CLOCK,
  PROP_API_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PwSandbox, pw_sandbox, G_TYPE_OBJECT)

static gboolean
is_api_path (const char *path)
{
  return g_str_equal (path, PW_SANDBOX_API_PREFIX) ||
         g_str_has_prefix (path, PW_SANDBOX_API_PREFIX "/");
}

static void
count_request (PwSandbox *self, SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  self->n_requests++;

  /* Each client connection has its own source port, so the address tells
   * connections apart; a hash set makes repeated requests count once. */
  if (address != NULL)
    g_hash_table_add (self->connections,
                      g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address)));
}

#ifdef PW_SANDBOX_ASAN
/* The listener of libsoup 3.2.3 (Debian 12) never drops the reference
 * g_socket_accept() gives it, so every client connection leaves its GSocket
 * behind (measured with a bare SoupServer too). That is not ours to free:
 * tell LeakSanitizer so, for exactly those objects, so ASan runs keep
 * reporting the leaks that are ours. Every request, even one libsoup refuses
 * to parse, starts here. */
static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    __lsan_ignore_object (socket);
}
#endif

static void
got_request_chunk_cb (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  PwSandbox *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* A chunked body has no Content-Length to check up front. */
  if (soup_server_message_get_status (msg) == 0 &&
      body->length > PW_SANDBOX_MAX_REQUEST_BODY)
    pw_sandbox_send_too_large (self, msg);
}

static void
got_request_headers_cb (SoupServer *server,
                        SoupServerMessage *msg,
                        const char *path,
                        GHashTable *query,
                        gpointer user_data)
{
  PwSandbox *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (is_api_path (path))
    count_request (self, msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > PW_SANDBOX_MAX_REQUEST_BODY)
    {
      pw_sandbox_send_too_large (self, msg);
      return;
    }

  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_request_chunk_cb), self, 0);
}

static void
handle_request_cb (SoupServer *server,
                   SoupServerMessage *msg,
                   const char *path,
                   GHashTable *query,
                   gpointer user_data)
{
  PwSandbox *self = user_data;

  if (g_str_has_prefix (path, PW_SANDBOX_CONTROL_PREFIX))
    pw_sandbox_handle_control (self, msg, path);
  else if (is_api_path (path))
    pw_sandbox_handle_faulty (self, msg, path);
  else
    pw_sandbox_send_error (
        self, msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND",
        "No such endpoint: the API is under /v1, the controls under /_sandbox/");
}

static void
pw_sandbox_constructed (GObject *object)
{
  PwSandbox *self = PW_SANDBOX (object);

  G_OBJECT_CLASS (pw_sandbox_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = g_object_ref (pw_clock_get_default ());
  if (self->api_key == NULL)
    self->api_key = g_strdup (DEFAULT_API_KEY);

  self->server =
      soup_server_new ("server-header", "playwave-sandbox/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->server, NULL, got_request_headers_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handle_request_cb, self, NULL);
#ifdef PW_SANDBOX_ASAN
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb),
                    NULL);
#endif
}

static void
pw_sandbox_dispose (GObject *object)
{
  PwSandbox *self = PW_SANDBOX (object);

  /* Paused messages hold their connection open; they must go before the
   * server, or neither would ever be freed. */
  if (self->server != NULL)
    pw_sandbox_disconnect (self);

  g_clear_object (&self->server);
  g_queue_clear_full (&self->faults, (GDestroyNotify) pw_sandbox_fault_unref);

  G_OBJECT_CLASS (pw_sandbox_parent_class)->dispose (object);
}

static void
pw_sandbox_finalize (GObject *object)
{
  PwSandbox *self = PW_SANDBOX (object);

  g_clear_object (&self->clock);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->pc_sessions, g_hash_table_unref);
  g_clear_pointer (&self->silent_launchers, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);

  G_OBJECT_CLASS (pw_sandbox_parent_class)->finalize (object);
}

static void
pw_sandbox_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwSandbox *self = PW_SANDBOX (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        g_value_set_object (value, self->clock);
        break;

      case PROP_API_KEY:
        g_value_set_string (value, self->api_key);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_sandbox_set_property (GObject *object,
                         guint prop_id,
                         const GValue *value,
                         GParamSpec *pspec)
{
  PwSandbox *self = PW_SANDBOX (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        self->clock = g_value_dup_object (value);
        break;

      case PROP_API_KEY:
        self->api_key = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_sandbox_class_init (PwSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pw_sandbox_constructed;
  object_class->dispose = pw_sandbox_dispose;
  object_class->finalize = pw_sandbox_finalize;
  object_class->get_property = pw_sandbox_get_property;
  object_class->set_property = pw_sandbox_set_property;

  properties[PROP_CLOCK] = g_param_spec_object (
      "clock", NULL, NULL, PW_TYPE_CLOCK,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_API_KEY] = g_param_spec_string (
      "api-key", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_sandbox_init (PwSandbox *self)
{
  self->ending_sec = PW_SANDBOX_DEFAULT_ENDING_SEC;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->pc_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->silent_launchers =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->faults);
  self->pending = g_ptr_array_new ();
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Private API shared by the pw-sandbox-*.c files */

gint64
pw_sandbox_now_us (PwSandbox *self)
{
  return pw_clock_get_monotonic_us (self->clock) + self->skip_us;
}

PwSandboxSession *
pw_sandbox_lookup_session (PwSandbox *self, const char *session_id)
{
  return g_hash_table_lookup (self->sessions, session_id);
}

gboolean
pw_sandbox_launcher_is_dead (PwSandbox *self, const char *pc_id, gint64 now_us)
{
  gint64 *silenced_at = g_hash_table_lookup (self->silent_launchers, pc_id);

  return silenced_at != NULL &&
         now_us - *silenced_at > PW_SANDBOX_LAUNCHER_TIMEOUT_SEC * G_USEC_PER_SEC;
}

/**
 * pw_sandbox_insert_session:
 *
 * Creates a session the way the undocumented verify step would: a session
 * still live on the same PC is replaced. An id may be reused once the
 * server has deleted the session that had it (state “expired”).
 *
 * Returns: (transfer none) (nullable): the new session, or %NULL with
 *   %G_IO_ERROR_INVALID_ARGUMENT or %G_IO_ERROR_EXISTS
 */
PwSandboxSession *
pw_sandbox_insert_session (PwSandbox *self,
                           const char *session_id,
                           const char *user_id,
                           const char *pc_id,
                           gint64 charge_sec,
                           GError **error)
{
  g_autofree char *own_id = NULL;
  g_autofree char *own_pc_id = NULL;
  PwSandboxSession *existing;
  PwSandboxSession *session;
  const char *previous_id;
  gint64 now_us = pw_sandbox_now_us (self);

  if (session_id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      session_id = own_id = g_strconcat ("gs_", uuid, NULL);
    }
  if (pc_id == NULL && user_id != NULL)
    pc_id = own_pc_id = g_strconcat ("pc-", user_id, NULL);

  if (!pw_sandbox_is_valid_id (session_id) || !pw_sandbox_is_valid_id (user_id) ||
      !pw_sandbox_is_valid_id (pc_id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Ids must be non-empty printable strings of at most 256 bytes "
                           "without “/”");
      return NULL;
    }

  if (charge_sec < -1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The charge must be -1 (unlimited) or a number of seconds");
      return NULL;
    }

  existing = pw_sandbox_lookup_session (self, session_id);
  if (existing != NULL &&
      pw_sandbox_session_get_state (existing, now_us) != PW_SANDBOX_SESSION_EXPIRED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Session “%s” already exists",
                   session_id);
      return NULL;
    }

  previous_id = g_hash_table_lookup (self->pc_sessions, pc_id);
  if (previous_id != NULL)
    {
      PwSandboxSession *previous = pw_sandbox_lookup_session (self, previous_id);

      if (previous != NULL && pw_sandbox_session_is_live (previous, now_us))
        pw_sandbox_session_end (previous, PW_SANDBOX_END_REPLACED, now_us);
    }

  session = pw_sandbox_session_new (session_id, user_id, pc_id, now_us);
  pw_sandbox_session_set_charge (session, charge_sec, now_us);
  pw_sandbox_session_set_ending_sec (session, self->ending_sec);

  /* The session owns the key string: it lives exactly as long as the value. */
  g_hash_table_replace (self->sessions, (gpointer) pw_sandbox_session_get_id (session),
                        session);
  g_hash_table_replace (self->pc_sessions, g_strdup (pc_id), g_strdup (session_id));

  return session;
}

/* Public API */

/**
 * pw_sandbox_new:
 * @clock: (nullable): where the sandbox reads time; %NULL for the system clock
 * @api_key: (nullable): the key requests must carry; %NULL for "sandbox-key"
 *
 * Returns: (transfer full): a sandbox, not listening yet
 */
PwSandbox *
pw_sandbox_new (PwClock *clock, const char *api_key)
{
  g_return_val_if_fail (clock == NULL || PW_IS_CLOCK (clock), NULL);

  return g_object_new (PW_TYPE_SANDBOX, "clock", clock, "api-key", api_key, NULL);
}

/**
 * pw_sandbox_listen:
 * @port: the TCP port on 127.0.0.1, or 0 for any free one
 *
 * Starts serving on loopback, in the thread-default main context.
 *
 * Returns: %TRUE on success
 */
gboolean
pw_sandbox_listen (PwSandbox *self, guint16 port, GError **error)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketAddress) local_address = NULL;
  GSList *sockets;

  g_return_val_if_fail (PW_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->port == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Not soup_server_listen_local() nor soup_server_get_uris(): both make
   * libsoup 3.2's listener cache its address, which it never frees. */
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  sockets = soup_server_get_listeners (self->server);
  g_assert (sockets != NULL);
  local_address = g_socket_get_local_address (sockets->data, error);
  g_slist_free (sockets);
  if (local_address == NULL)
    {
      soup_server_disconnect (self->server);
      return FALSE;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local_address));

  return TRUE;
}

/**
 * pw_sandbox_disconnect:
 *
 * Stops listening, closes the connections of requests held by a fault, and
 * closes the other client connections.
 */
void
pw_sandbox_disconnect (PwSandbox *self)
{
  g_return_if_fail (PW_IS_SANDBOX (self));

  pw_sandbox_release_pending (self);
  soup_server_disconnect (self->server);
  self->port = 0;
}

/**
 * pw_sandbox_get_port:
 *
 * Returns: the port listened on, or 0 when not listening
 */
guint16
pw_sandbox_get_port (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), 0);

  return self->port;
}

/**
 * pw_sandbox_dup_base_url:
 *
 * Returns: (transfer full) (nullable): "http://127.0.0.1:PORT/v1", or %NULL
 *   when not listening
 */
char *
pw_sandbox_dup_base_url (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), NULL);

  if (self->port == 0)
    return NULL;

  return g_strdup_printf ("http://127.0.0.1:%u" PW_SANDBOX_API_PREFIX, self->port);
}

/**
 * pw_sandbox_get_clock:
 *
 * Returns: (transfer none): the clock the sandbox reads time from
 */
PwClock *
pw_sandbox_get_clock (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), NULL);

  return self->clock;
}

/**
 * pw_sandbox_create_session:
 * @session_id: (nullable): the id, or %NULL for a new "gs_<uuid>"
 * @user_id: the provider user id heartbeats must carry
 * @pc_id: (nullable): the PC, or %NULL for "pc-" + @user_id
 * @charge_sec: seconds of play from now on, or -1 for unlimited
 *
 * Returns: (transfer full) (nullable): the session id, or %NULL when the id
 *   is taken by a session the server still knows, or an argument is invalid
 */
char *
pw_sandbox_create_session (PwSandbox *self,
                           const char *session_id,
                           const char *user_id,
                           const char *pc_id,
                           gint64 charge_sec)
{
  g_autoptr (GError) error = NULL;
  PwSandboxSession *session;

  g_return_val_if_fail (PW_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  session =
      pw_sandbox_insert_session (self, session_id, user_id, pc_id, charge_sec, &error);
  if (session == NULL)
    {
      g_debug ("Cannot create a sandbox session: %s", error->message);
      return NULL;
    }

  return g_strdup (pw_sandbox_session_get_id (session));
}

/**
 * pw_sandbox_set_charge:
 * @charge_sec: seconds of play from now on, or -1 for unlimited
 *
 * Returns: %FALSE when the session is unknown or no longer live
 */
gboolean
pw_sandbox_set_charge (PwSandbox *self, const char *session_id, gint64 charge_sec)
{
  PwSandboxSession *session;
  gint64 now_us;

  g_return_val_if_fail (PW_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);
  g_return_val_if_fail (charge_sec >= -1, FALSE);

  now_us = pw_sandbox_now_us (self);
  session = pw_sandbox_lookup_session (self, session_id);
  if (session == NULL || !pw_sandbox_session_is_live (session, now_us))
    return FALSE;

  pw_sandbox_session_set_charge (session, charge_sec, now_us);
  return TRUE;
}

/**
 * pw_sandbox_set_next_heartbeat_in:
 *
 * Sets what the session's heartbeats answer as next_heartbeat_in. Any value
 * is taken, so clients can be tested with odd ones.
 *
 * Returns: %FALSE when the session is unknown
 */
gboolean
pw_sandbox_set_next_heartbeat_in (PwSandbox *self, const char *session_id, gint64 seconds)
{
  PwSandboxSession *session;

  g_return_val_if_fail (PW_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);

  session = pw_sandbox_lookup_session (self, session_id);
  if (session == NULL)
    return FALSE;

  pw_sandbox_session_set_next_heartbeat_in (session, seconds);
  return TRUE;
}

/**
 * pw_sandbox_silence_launcher:
 *
 * Makes the launcher of @pc_id stop heartbeating from now on; a launcher
 * that is already silent keeps the moment it went silent.
 */
void
pw_sandbox_silence_launcher (PwSandbox *self, const char *pc_id)
{
  g_return_if_fail (PW_IS_SANDBOX (self));
  g_return_if_fail (pc_id != NULL);

  if (!g_hash_table_contains (self->silent_launchers, pc_id))
    pw_sandbox_silence_launcher_since (self, pc_id, 0);
}

/**
 * pw_sandbox_silence_launcher_since:
 * @silent_sec: how long ago the launcher went silent (0 to 240)
 *
 * Like pw_sandbox_silence_launcher(), as if it had happened @silent_sec
 * ago: the demo's way to show a launcher's death without the 4-minute
 * wait. Moves nothing else in the sandbox's time.
 */
void
pw_sandbox_silence_launcher_since (PwSandbox *self, const char *pc_id, gint64 silent_sec)
{
  gint64 *silenced_at;

  g_return_if_fail (PW_IS_SANDBOX (self));
  g_return_if_fail (pc_id != NULL);
  g_return_if_fail (silent_sec >= 0 && silent_sec <= PW_SANDBOX_LAUNCHER_TIMEOUT_SEC);

  silenced_at = g_new (gint64, 1);
  *silenced_at = pw_sandbox_now_us (self) - silent_sec * G_USEC_PER_SEC;
  g_hash_table_insert (self->silent_launchers, g_strdup (pc_id), silenced_at);
}

/**
 * pw_sandbox_backdate_session:
 *
 * See pw_sandbox_session_backdate().
 *
 * Returns: %FALSE if @session_id is not known
 */
gboolean
pw_sandbox_backdate_session (PwSandbox *self, const char *session_id, gint64 seconds)
{
  PwSandboxSession *session;

  g_return_val_if_fail (PW_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);

  session = pw_sandbox_lookup_session (self, session_id);
  if (session == NULL)
    return FALSE;

  pw_sandbox_session_backdate (session, seconds);
  return TRUE;
}

void
pw_sandbox_revive_launcher (PwSandbox *self, const char *pc_id)
{
  g_return_if_fail (PW_IS_SANDBOX (self));
  g_return_if_fail (pc_id != NULL);

  g_hash_table_remove (self->silent_launchers, pc_id);
}

/**
 * pw_sandbox_get_launcher_silent_sec:
 *
 * Returns: whole seconds the launcher of @pc_id has been silent, or -1 when
 *   it is alive
 */
gint64
pw_sandbox_get_launcher_silent_sec (PwSandbox *self, const char *pc_id)
{
  gint64 *silenced_at;

  g_return_val_if_fail (PW_IS_SANDBOX (self), -1);
  g_return_val_if_fail (pc_id != NULL, -1);

  silenced_at = g_hash_table_lookup (self->silent_launchers, pc_id);
  if (silenced_at == NULL)
    return -1;

  return (pw_sandbox_now_us (self) - *silenced_at) / G_USEC_PER_SEC;
}

/**
 * pw_sandbox_add_fault_json:
 * @fault_json: a fault as `POST /_sandbox/faults` takes it (see SANDBOX.md)
 *
 * Queues a fault for the next matching API requests.
 *
 * Returns: %TRUE, or %FALSE with %G_IO_ERROR_INVALID_ARGUMENT
 */
gboolean
pw_sandbox_add_fault_json (PwSandbox *self, const char *fault_json, GError **error)
{
  PwSandboxFault *fault;

  g_return_val_if_fail (PW_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (fault_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fault = pw_sandbox_fault_new_from_json (fault_json, -1, error);
  if (fault == NULL)
    return FALSE;

  g_queue_push_tail (&self->faults, fault);
  return TRUE;
}

void
pw_sandbox_clear_faults (PwSandbox *self)
{
  g_return_if_fail (PW_IS_SANDBOX (self));

  g_queue_clear_full (&self->faults, (GDestroyNotify) pw_sandbox_fault_unref);
}

/**
 * pw_sandbox_get_fault_count:
 *
 * Returns: how many faults are queued (each may still apply several times)
 */
guint
pw_sandbox_get_fault_count (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), 0);

  return self->faults.length;
}

/**
 * pw_sandbox_dup_session_state:
 *
 * Returns: (transfer full) (nullable): "active", "charge_exhausted",
 *   "ending", "ended", "replaced" or "expired"; %NULL for an unknown id
 */
char *
pw_sandbox_dup_session_state (PwSandbox *self, const char *session_id)
{
  PwSandboxSession *session;
  PwSandboxSessionState state;

  g_return_val_if_fail (PW_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  session = pw_sandbox_lookup_session (self, session_id);
  if (session == NULL)
    return NULL;

  state = pw_sandbox_session_get_state (session, pw_sandbox_now_us (self));
  return g_strdup (pw_sandbox_session_state_to_string (state));
}

/**
 * pw_sandbox_get_connection_count:
 *
 * Returns: how many distinct client connections sent API requests
 */
guint
pw_sandbox_get_connection_count (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), 0);

  return g_hash_table_size (self->connections);
}

/**
 * pw_sandbox_get_request_count:
 *
 * Returns: how many requests reached the API under /v1 (control requests
 *   are not counted)
 */
guint
pw_sandbox_get_request_count (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), 0);

  return self->n_requests;
}

void
pw_sandbox_reset_stats (PwSandbox *self)
{
  g_return_if_fail (PW_IS_SANDBOX (self));

  self->n_requests = 0;
  g_hash_table_remove_all (self->connections);
}

/**
 * pw_sandbox_advance_time:
 * @seconds: how far to skip, at least 0
 *
 * Moves the sandbox's time forward on top of its clock, for QA who do not
 * want to wait four minutes for an expiry.
 */
void
pw_sandbox_advance_time (PwSandbox *self, gint64 seconds)
{
  g_return_if_fail (PW_IS_SANDBOX (self));
  g_return_if_fail (seconds >= 0 && seconds <= G_MAXINT32);

  /* Capped far beyond any use, so that repeated skips cannot overflow. */
  self->skip_us = MIN (self->skip_us + seconds * G_USEC_PER_SEC, MAX_SKIP_US);
}

/**
 * pw_sandbox_get_time_offset_sec:
 *
 * Returns: the seconds skipped so far with pw_sandbox_advance_time()
 */
gint64
pw_sandbox_get_time_offset_sec (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), 0);

  return self->skip_us / G_USEC_PER_SEC;
}

/**
 * pw_sandbox_set_ending_sec:
 *
 * Sets how long sessions created from now on stay in 410 SESSION_ENDING
 * after their grace (10 s unless changed).
 */
void
pw_sandbox_set_ending_sec (PwSandbox *self, gint64 seconds)
{
  g_return_if_fail (PW_IS_SANDBOX (self));
  g_return_if_fail (seconds >= 0 && seconds <= G_MAXINT32);

  self->ending_sec = seconds;
}

gint64
pw_sandbox_get_ending_sec (PwSandbox *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX (self), PW_SANDBOX_DEFAULT_ENDING_SEC);

  return self->ending_sec;
}

/**
 * pw_sandbox_add_demo_sessions:
 *
 * Creates the demo scenario of `playwave-sandbox --demo` and
 * `playwave-monitor --sandbox`, where every state shows within a few
 * minutes: a healthy session, one with 60 s of charge, one replaced by
 * another on the same PC, and one whose launcher is silent.
 *
 * Returns: (transfer full): "SESSION_ID:USER_ID" of each created session,
 *   the session file format
 */
GStrv
pw_sandbox_add_demo_sessions (PwSandbox *self)
{
  static const struct
  {
    const char *session_id;
    const char *user_id;
    const char *pc_id;
    gint64 charge_sec;
  } demo[] = {
    { "gs_demo-healthy", "1001", "demo-pc-1", -1 },
    { "gs_demo-charge-60s", "1002", "demo-pc-2", 60 },
    { "gs_demo-replaced", "1003", "demo-pc-3", -1 },
    { "gs_demo-replacer", "1004", "demo-pc-3", -1 },
    { "gs_demo-launcher-silent", "1005", "demo-pc-5", -1 },
  };
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();

  g_return_val_if_fail (PW_IS_SANDBOX (self), NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autofree char *line = NULL;

      if (pw_sandbox_insert_session (self, demo[i].session_id, demo[i].user_id,
                                     demo[i].pc_id, demo[i].charge_sec, NULL) == NULL)
        continue;

      line = g_strconcat (demo[i].session_id, ":", demo[i].user_id, NULL);
      g_strv_builder_add (lines, line);
    }

  pw_sandbox_silence_launcher (self, "demo-pc-5");

  return g_strv_builder_end (lines);
}
