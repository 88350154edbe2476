/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-sandbox-private.h"

/* The /_sandbox/ endpoints: what QA and the tests use to set up the
 * situations the API pages describe. They need no key, take and give plain
 * JSON objects, and answer errors in the API's error envelope. Each is a thin
 * wrapper over the in-process API in pw-sandbox.c. */

typedef void (*ControlFunc) (PwSandbox *self, SoupServerMessage *msg, const char *arg);

static void
send_object (PwSandbox *self, SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  pw_sandbox_send_json (self, msg, status, NULL, root);
}

static void
add_int_or_null (JsonBuilder *builder, const char *member, gint64 value, gboolean is_null)
{
  json_builder_set_member_name (builder, member);
  if (is_null)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_session (PwSandbox *self, JsonBuilder *builder, PwSandboxSession *session)
{
  gint64 now_us = pw_sandbox_now_us (self);
  PwSandboxSessionState state = pw_sandbox_session_get_state (session, now_us);
  PwSandboxEndReason reason = pw_sandbox_session_get_end_reason (session, now_us);
  gint64 last_heartbeat_us = pw_sandbox_session_get_last_heartbeat_us (session);
  gint64 expires_at = last_heartbeat_us + PW_SANDBOX_EXPIRY_SEC * G_USEC_PER_SEC;
  gboolean live = pw_sandbox_session_is_live (session, now_us);
  gint64 silent_sec =
      pw_sandbox_get_launcher_silent_sec (self, pw_sandbox_session_get_pc_id (session));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "game_session_id");
  json_builder_add_string_value (builder, pw_sandbox_session_get_id (session));
  json_builder_set_member_name (builder, "provider_user_id");
  json_builder_add_string_value (builder, pw_sandbox_session_get_user_id (session));
  json_builder_set_member_name (builder, "pc_id");
  json_builder_add_string_value (builder, pw_sandbox_session_get_pc_id (session));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, pw_sandbox_session_state_to_string (state));
  json_builder_set_member_name (builder, "end_reason");
  if (reason != PW_SANDBOX_END_NONE)
    json_builder_add_string_value (builder, pw_sandbox_end_reason_to_string (reason));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "play_duration_sec");
  json_builder_add_int_value (builder, pw_sandbox_session_get_play_sec (session, now_us));
  json_builder_set_member_name (builder, "charge_sec");
  json_builder_add_int_value (builder, pw_sandbox_session_get_charge_sec (session));
  json_builder_set_member_name (builder, "charge_remaining_sec");
  json_builder_add_int_value (
      builder, pw_sandbox_session_get_charge_remaining_sec (session, now_us));
  json_builder_set_member_name (builder, "next_heartbeat_in");
  json_builder_add_int_value (builder,
                              pw_sandbox_session_get_next_heartbeat_in (session));
  json_builder_set_member_name (builder, "ending_sec");
  json_builder_add_int_value (builder, pw_sandbox_session_get_ending_sec (session));
  json_builder_set_member_name (builder, "last_heartbeat_age_sec");
  json_builder_add_int_value (builder, (now_us - last_heartbeat_us) / G_USEC_PER_SEC);
  add_int_or_null (builder, "expires_in_sec", (expires_at - now_us) / G_USEC_PER_SEC,
                   !live);
  add_int_or_null (builder, "launcher_silent_sec", silent_sec, silent_sec < 0);
  json_builder_end_object (builder);
}

static void
send_session (PwSandbox *self,
              SoupServerMessage *msg,
              guint status,
              PwSandboxSession *session)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  add_session (self, builder, session);
  send_object (self, msg, status, builder);
}

static PwSandboxSession *
find_session (PwSandbox *self, SoupServerMessage *msg, const char *session_id)
{
  PwSandboxSession *session = pw_sandbox_lookup_session (self, session_id);

  if (session == NULL)
    pw_sandbox_send_error (self, msg, SOUP_STATUS_NOT_FOUND, "SESSION_NOT_FOUND",
                           "The sandbox never had this session");
  return session;
}

static int
compare_sessions (gconstpointer a, gconstpointer b)
{
  PwSandboxSession *session_a = *(PwSandboxSession **) a;
  PwSandboxSession *session_b = *(PwSandboxSession **) b;
  gint64 created_a = pw_sandbox_session_get_created_us (session_a);
  gint64 created_b = pw_sandbox_session_get_created_us (session_b);

  if (created_a != created_b)
    return created_a < created_b ? -1 : 1;

  return strcmp (pw_sandbox_session_get_id (session_a),
                 pw_sandbox_session_get_id (session_b));
}

static void
list_sessions (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) sessions = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &session))
    g_ptr_array_add (sessions, session);
  g_ptr_array_sort (sessions, compare_sessions);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sessions->len; i++)
    add_session (self, builder, g_ptr_array_index (sessions, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  send_object (self, msg, SOUP_STATUS_OK, builder);
}

static void
create_session (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonNode) node = pw_sandbox_read_body (self, msg, FALSE);
  g_autoptr (GError) error = NULL;
  JsonObject *body;
  const char *session_id = NULL;
  const char *user_id = NULL;
  const char *pc_id = NULL;
  gint64 charge_sec = -1;
  gint64 next_heartbeat_in = PW_SANDBOX_DEFAULT_NEXT_HEARTBEAT_IN;
  gint64 ending_sec = pw_sandbox_get_ending_sec (self);
  PwSandboxSession *session;

  if (node == NULL)
    return;

  body = json_node_get_object (node);
  if (!pw_sandbox_read_string (self, msg, body, "game_session_id", FALSE, &session_id) ||
      !pw_sandbox_read_string (self, msg, body, "provider_user_id", TRUE, &user_id) ||
      !pw_sandbox_read_string (self, msg, body, "pc_id", FALSE, &pc_id) ||
      !pw_sandbox_read_int (self, msg, body, "charge_sec", FALSE, -1, G_MAXINT32,
                            &charge_sec) ||
      !pw_sandbox_read_int (self, msg, body, "next_heartbeat_in", FALSE, G_MININT32,
                            G_MAXINT32, &next_heartbeat_in) ||
      !pw_sandbox_read_int (self, msg, body, "ending_sec", FALSE, 0, G_MAXINT32,
                            &ending_sec))
    return;

  session =
      pw_sandbox_insert_session (self, session_id, user_id, pc_id, charge_sec, &error);
  if (session == NULL)
    {
      gboolean exists = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS);

      pw_sandbox_send_error (self, msg,
                             exists ? SOUP_STATUS_CONFLICT : SOUP_STATUS_BAD_REQUEST,
                             exists ? "CONFLICT" : "INVALID_REQUEST", error->message);
      return;
    }

  pw_sandbox_session_set_next_heartbeat_in (session, next_heartbeat_in);
  pw_sandbox_session_set_ending_sec (session, ending_sec);

  send_session (self, msg, SOUP_STATUS_CREATED, session);
}

static void
show_session (PwSandbox *self, SoupServerMessage *msg, const char *session_id)
{
  PwSandboxSession *session = find_session (self, msg, session_id);

  if (session != NULL)
    send_session (self, msg, SOUP_STATUS_OK, session);
}

static void
set_charge (PwSandbox *self, SoupServerMessage *msg, const char *session_id)
{
  g_autoptr (JsonNode) node = pw_sandbox_read_body (self, msg, FALSE);
  PwSandboxSession *session;
  gint64 charge_sec = -1;

  if (node == NULL ||
      !pw_sandbox_read_int (self, msg, json_node_get_object (node), "charge_sec", TRUE,
                            -1, G_MAXINT32, &charge_sec))
    return;

  session = find_session (self, msg, session_id);
  if (session == NULL)
    return;

  /* Recharging must not bring an ended session back. */
  if (!pw_sandbox_set_charge (self, session_id, charge_sec))
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_CONFLICT, "CONFLICT",
                             "Only an active or charge-exhausted session can be charged");
      return;
    }

  send_session (self, msg, SOUP_STATUS_OK, session);
}

static void
set_next_heartbeat_in (PwSandbox *self, SoupServerMessage *msg, const char *session_id)
{
  g_autoptr (JsonNode) node = pw_sandbox_read_body (self, msg, FALSE);
  PwSandboxSession *session;
  gint64 seconds = 0;

  if (node == NULL ||
      !pw_sandbox_read_int (self, msg, json_node_get_object (node), "next_heartbeat_in",
                            TRUE, G_MININT32, G_MAXINT32, &seconds))
    return;

  session = find_session (self, msg, session_id);
  if (session == NULL)
    return;

  pw_sandbox_session_set_next_heartbeat_in (session, seconds);
  send_session (self, msg, SOUP_STATUS_OK, session);
}

static void
send_launcher (PwSandbox *self, SoupServerMessage *msg, const char *pc_id)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  gint64 silent_sec = pw_sandbox_get_launcher_silent_sec (self, pc_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pc_id");
  json_builder_add_string_value (builder, pc_id);
  json_builder_set_member_name (builder, "alive");
  json_builder_add_boolean_value (builder, silent_sec < 0);
  add_int_or_null (builder, "silent_sec", silent_sec, silent_sec < 0);
  json_builder_set_member_name (builder, "timed_out");
  json_builder_add_boolean_value (
      builder, pw_sandbox_launcher_is_dead (self, pc_id, pw_sandbox_now_us (self)));
  json_builder_end_object (builder);

  send_object (self, msg, SOUP_STATUS_OK, builder);
}

static void
show_launcher (PwSandbox *self, SoupServerMessage *msg, const char *pc_id)
{
  send_launcher (self, msg, pc_id);
}

static void
silence_launcher (PwSandbox *self, SoupServerMessage *msg, const char *pc_id)
{
  pw_sandbox_silence_launcher (self, pc_id);
  send_launcher (self, msg, pc_id);
}

static void
revive_launcher (PwSandbox *self, SoupServerMessage *msg, const char *pc_id)
{
  pw_sandbox_revive_launcher (self, pc_id);
  send_launcher (self, msg, pc_id);
}

static void
send_fault_count (PwSandbox *self, SoupServerMessage *msg, guint status)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queued");
  json_builder_add_int_value (builder, pw_sandbox_get_fault_count (self));
  json_builder_end_object (builder);

  send_object (self, msg, status, builder);
}

static void
show_faults (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  send_fault_count (self, msg, SOUP_STATUS_OK);
}

static void
add_fault (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (GBytes) body =
      soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (GError) error = NULL;
  PwSandboxFault *fault;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  /* An empty body may have no data at all. */
  fault =
      pw_sandbox_fault_new_from_json (data != NULL ? data : "", (gssize) size, &error);
  if (fault == NULL)
    {
      pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST",
                             error->message);
      return;
    }

  g_queue_push_tail (&self->faults, fault);
  send_fault_count (self, msg, SOUP_STATUS_CREATED);
}

static void
clear_faults (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  pw_sandbox_clear_faults (self);
  send_fault_count (self, msg, SOUP_STATUS_OK);
}

static void
show_time (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "offset_sec");
  json_builder_add_int_value (builder, pw_sandbox_get_time_offset_sec (self));
  json_builder_set_member_name (builder, "monotonic_sec");
  json_builder_add_int_value (builder, pw_sandbox_now_us (self) / G_USEC_PER_SEC);
  json_builder_end_object (builder);

  send_object (self, msg, SOUP_STATUS_OK, builder);
}

static void
advance_time (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonNode) node = pw_sandbox_read_body (self, msg, FALSE);
  gint64 seconds = 0;

  if (node == NULL || !pw_sandbox_read_int (self, msg, json_node_get_object (node),
                                            "advance_sec", TRUE, 0, G_MAXINT32, &seconds))
    return;

  pw_sandbox_advance_time (self, seconds);
  show_time (self, msg, NULL);
}

static void
show_stats (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, pw_sandbox_get_request_count (self));
  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, pw_sandbox_get_connection_count (self));
  json_builder_end_object (builder);

  send_object (self, msg, SOUP_STATUS_OK, builder);
}

static void
reset_stats (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  pw_sandbox_reset_stats (self);
  show_stats (self, msg, NULL);
}

static void
show_settings (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ending_sec");
  json_builder_add_int_value (builder, pw_sandbox_get_ending_sec (self));
  json_builder_end_object (builder);

  send_object (self, msg, SOUP_STATUS_OK, builder);
}

static void
change_settings (PwSandbox *self, SoupServerMessage *msg, const char *arg)
{
  g_autoptr (JsonNode) node = pw_sandbox_read_body (self, msg, FALSE);
  gint64 ending_sec = pw_sandbox_get_ending_sec (self);

  if (node == NULL ||
      !pw_sandbox_read_int (self, msg, json_node_get_object (node), "ending_sec", FALSE,
                            0, G_MAXINT32, &ending_sec))
    return;

  pw_sandbox_set_ending_sec (self, ending_sec);
  show_settings (self, msg, NULL);
}

/* "*" stands for one path segment: a session or PC id. */
static const struct
{
  const char *method;
  const char *pattern;
  ControlFunc func;
} routes[] = {
  { "GET", "sessions", list_sessions },
  { "POST", "sessions", create_session },
  { "GET", "sessions/*", show_session },
  { "POST", "sessions/*/charge", set_charge },
  { "POST", "sessions/*/next-heartbeat-in", set_next_heartbeat_in },
  { "GET", "launchers/*", show_launcher },
  { "POST", "launchers/*/silence", silence_launcher },
  { "POST", "launchers/*/revive", revive_launcher },
  { "GET", "faults", show_faults },
  { "POST", "faults", add_fault },
  { "DELETE", "faults", clear_faults },
  { "GET", "time", show_time },
  { "POST", "time", advance_time },
  { "GET", "stats", show_stats },
  { "DELETE", "stats", reset_stats },
  { "GET", "settings", show_settings },
  { "POST", "settings", change_settings },
};

static gboolean
match_route (const char *pattern, char **segments, const char **out_arg)
{
  g_auto (GStrv) parts = g_strsplit (pattern, "/", 0);
  guint n_parts = g_strv_length (parts);

  if (n_parts != g_strv_length (segments))
    return FALSE;

  for (guint i = 0; i < n_parts; i++)
    {
      if (g_str_equal (parts[i], "*") && *segments[i] != '\0')
        *out_arg = segments[i];
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }

  return TRUE;
}

/**
 * pw_sandbox_handle_control:
 * @path: the request path, under /_sandbox/
 *
 * Answers a control request: 404 for an unknown path, 405 with the allowed
 * methods for a known path and the wrong method.
 */
void
pw_sandbox_handle_control (PwSandbox *self, SoupServerMessage *msg, const char *path)
{
  g_auto (GStrv) segments =
      g_strsplit (path + strlen (PW_SANDBOX_CONTROL_PREFIX), "/", 0);
  g_autoptr (GString) allowed = g_string_new (NULL);
  const char *method = soup_server_message_get_method (msg);

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const char *arg = NULL;

      if (!match_route (routes[i].pattern, segments, &arg))
        continue;

      if (arg != NULL && !pw_sandbox_is_valid_id (arg))
        {
          pw_sandbox_send_error (self, msg, SOUP_STATUS_BAD_REQUEST, "INVALID_REQUEST",
                                 "The id in the path is not a valid id");
          return;
        }

      if (g_str_equal (routes[i].method, method))
        {
          routes[i].func (self, msg, arg);
          return;
        }

      g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? ", " : "",
                              routes[i].method);
    }

  if (allowed->len > 0)
    {
      pw_sandbox_send_method_not_allowed (self, msg, allowed->str);
      return;
    }

  pw_sandbox_send_error (self, msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND",
                         "No such control endpoint; see docs/SANDBOX.md");
}
