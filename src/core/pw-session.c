/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-core-enums.h"
#include "pw-session.h"

/* One tracked session: what the tracker knows of it, as notifying
 * properties so list rows and detail panes can bind to them. The tracker
 * is the only writer. */

#define EXPIRY_US (240 * G_TIME_SPAN_SECOND)

struct _PwSession
{
  GObject parent_instance;

  char *id;
  char *user_id;
  char *connection;

  PwSessionState state;
  gboolean paused;
  gboolean retrying;
  guint failure_count;
  gint64 tracked_since_us;
  gboolean tracked_from_start;
  gint64 last_success_us;
  gint64 next_due_us;
  gint64 grace_deadline_us;
  gint64 server_play_sec;
  gint64 end_server_sec;
  gint64 end_client_sec;

  guint last_status;
  char *last_result;
  char *last_code;
  char *last_request_id;
};

G_DEFINE_FINAL_TYPE (PwSession, pw_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_USER_ID,
  PROP_CONNECTION,
  PROP_STATE,
  PROP_PAUSED,
  PROP_RETRYING,
  PROP_FAILURE_COUNT,
  PROP_TRACKED_SINCE_US,
  PROP_TRACKED_FROM_START,
  PROP_LAST_SUCCESS_US,
  PROP_NEXT_DUE_US,
  PROP_GRACE_DEADLINE_US,
  PROP_SERVER_PLAY_SEC,
  PROP_EXPIRY_DEADLINE_US,
  PROP_END_SERVER_SEC,
  PROP_END_CLIENT_SEC,
  PROP_LAST_STATUS,
  PROP_LAST_RESULT,
  PROP_LAST_CODE,
  PROP_LAST_REQUEST_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const state_names[] = {
  [PW_SESSION_STATE_PENDING] = "pending",
  [PW_SESSION_STATE_ACTIVE] = "active",
  [PW_SESSION_STATE_CHARGE_EXHAUSTED] = "charge-exhausted",
  [PW_SESSION_STATE_REPLACED] = "replaced",
  [PW_SESSION_STATE_LOST] = "lost",
  [PW_SESSION_STATE_ENDED_BY_SERVER] = "ended-by-server",
  [PW_SESSION_STATE_ENDING_BY_SERVER] = "ending-by-server",
  [PW_SESSION_STATE_UNAUTHORIZED] = "unauthorized",
  [PW_SESSION_STATE_EXPIRED] = "expired",
  [PW_SESSION_STATE_ENDING] = "ending",
  [PW_SESSION_STATE_ENDED] = "ended",
  [PW_SESSION_STATE_END_FAILED] = "end-failed",
};

static void
pw_session_finalize (GObject *object)
{
  PwSession *self = (PwSession *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->connection, g_free);
  g_clear_pointer (&self->last_result, g_free);
  g_clear_pointer (&self->last_code, g_free);
  g_clear_pointer (&self->last_request_id, g_free);

  G_OBJECT_CLASS (pw_session_parent_class)->finalize (object);
}

static void
pw_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwSession *self = PW_SESSION (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;

      case PROP_USER_ID:
        g_value_set_string (value, self->user_id);
        break;

      case PROP_CONNECTION:
        g_value_set_string (value, self->connection);
        break;

      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;

      case PROP_PAUSED:
        g_value_set_boolean (value, self->paused);
        break;

      case PROP_RETRYING:
        g_value_set_boolean (value, self->retrying);
        break;

      case PROP_FAILURE_COUNT:
        g_value_set_uint (value, self->failure_count);
        break;

      case PROP_TRACKED_SINCE_US:
        g_value_set_int64 (value, self->tracked_since_us);
        break;

      case PROP_TRACKED_FROM_START:
        g_value_set_boolean (value, self->tracked_from_start);
        break;

      case PROP_LAST_SUCCESS_US:
        g_value_set_int64 (value, self->last_success_us);
        break;

      case PROP_NEXT_DUE_US:
        g_value_set_int64 (value, self->next_due_us);
        break;

      case PROP_GRACE_DEADLINE_US:
        g_value_set_int64 (value, self->grace_deadline_us);
        break;

      case PROP_SERVER_PLAY_SEC:
        g_value_set_int64 (value, self->server_play_sec);
        break;

      case PROP_EXPIRY_DEADLINE_US:
        g_value_set_int64 (value, pw_session_get_expiry_deadline_us (self));
        break;

      case PROP_END_SERVER_SEC:
        g_value_set_int64 (value, self->end_server_sec);
        break;

      case PROP_END_CLIENT_SEC:
        g_value_set_int64 (value, self->end_client_sec);
        break;

      case PROP_LAST_STATUS:
        g_value_set_uint (value, self->last_status);
        break;

      case PROP_LAST_RESULT:
        g_value_set_string (value, self->last_result);
        break;

      case PROP_LAST_CODE:
        g_value_set_string (value, self->last_code);
        break;

      case PROP_LAST_REQUEST_ID:
        g_value_set_string (value, self->last_request_id);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_session_set_property (GObject *object,
                         guint prop_id,
                         const GValue *value,
                         GParamSpec *pspec)
{
  PwSession *self = PW_SESSION (object);

  switch (prop_id)
    {
      case PROP_ID:
        self->id = g_value_dup_string (value);
        break;

      case PROP_USER_ID:
        self->user_id = g_value_dup_string (value);
        break;

      case PROP_CONNECTION:
        self->connection = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_session_class_init (PwSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro =
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pw_session_finalize;
  object_class->get_property = pw_session_get_property;
  object_class->set_property = pw_session_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, construct);
  properties[PROP_CONNECTION] =
      g_param_spec_string ("connection", NULL, NULL, NULL, construct);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PW_TYPE_SESSION_STATE,
                                              PW_SESSION_STATE_PENDING, ro);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, ro);
  properties[PROP_RETRYING] = g_param_spec_boolean ("retrying", NULL, NULL, FALSE, ro);
  properties[PROP_FAILURE_COUNT] =
      g_param_spec_uint ("failure-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_TRACKED_FROM_START] =
      g_param_spec_boolean ("tracked-from-start", NULL, NULL, FALSE, ro);

  properties[PROP_TRACKED_SINCE_US] =
      g_param_spec_int64 ("tracked-since-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_SUCCESS_US] =
      g_param_spec_int64 ("last-success-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NEXT_DUE_US] =
      g_param_spec_int64 ("next-due-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_GRACE_DEADLINE_US] =
      g_param_spec_int64 ("grace-deadline-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_EXPIRY_DEADLINE_US] =
      g_param_spec_int64 ("expiry-deadline-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_SERVER_PLAY_SEC] =
      g_param_spec_int64 ("server-play-sec", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_END_SERVER_SEC] =
      g_param_spec_int64 ("end-server-sec", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_END_CLIENT_SEC] =
      g_param_spec_int64 ("end-client-sec", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_LAST_STATUS] =
      g_param_spec_uint ("last-status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_LAST_RESULT] =
      g_param_spec_string ("last-result", NULL, NULL, NULL, ro);
  properties[PROP_LAST_CODE] = g_param_spec_string ("last-code", NULL, NULL, NULL, ro);
  properties[PROP_LAST_REQUEST_ID] =
      g_param_spec_string ("last-request-id", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_session_init (PwSession *self)
{
  self->server_play_sec = -1;
  self->end_server_sec = -1;
  self->end_client_sec = -1;
}

PwSession *
pw_session_new (const char *session_id, const char *user_id, const char *connection)
{
  g_return_val_if_fail (session_id != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return g_object_new (PW_TYPE_SESSION, "id", session_id, "user-id", user_id,
                       "connection", connection, NULL);
}

const char *
pw_session_get_id (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->id;
}

const char *
pw_session_get_user_id (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->user_id;
}

const char *
pw_session_get_connection (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->connection;
}

PwSessionState
pw_session_get_state (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), PW_SESSION_STATE_PENDING);
  return self->state;
}

void
pw_session_set_state (PwSession *self, PwSessionState value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->state == value)
    return;

  self->state = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
pw_session_get_paused (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), FALSE);
  return self->paused;
}

void
pw_session_set_paused (PwSession *self, gboolean value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->paused == value)
    return;

  self->paused = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
pw_session_get_retrying (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), FALSE);
  return self->retrying;
}

void
pw_session_set_retrying (PwSession *self, gboolean value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->retrying == value)
    return;

  self->retrying = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRYING]);
}

guint
pw_session_get_failure_count (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->failure_count;
}

void
pw_session_set_failure_count (PwSession *self, guint value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->failure_count == value)
    return;

  self->failure_count = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_COUNT]);
}

gint64
pw_session_get_tracked_since_us (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->tracked_since_us;
}

void
pw_session_set_tracked_since_us (PwSession *self, gint64 value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->tracked_since_us == value)
    return;

  self->tracked_since_us = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACKED_SINCE_US]);
}

gboolean
pw_session_get_tracked_from_start (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), FALSE);
  return self->tracked_from_start;
}

void
pw_session_set_tracked_from_start (PwSession *self, gboolean value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->tracked_from_start == value)
    return;

  self->tracked_from_start = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACKED_FROM_START]);
}

gint64
pw_session_get_last_success_us (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->last_success_us;
}

void
pw_session_set_last_success_us (PwSession *self, gint64 value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->last_success_us == value)
    return;

  self->last_success_us = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS_US]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_DEADLINE_US]);
}

gint64
pw_session_get_next_due_us (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->next_due_us;
}

void
pw_session_set_next_due_us (PwSession *self, gint64 value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->next_due_us == value)
    return;

  self->next_due_us = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DUE_US]);
}

gint64
pw_session_get_grace_deadline_us (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->grace_deadline_us;
}

void
pw_session_set_grace_deadline_us (PwSession *self, gint64 value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->grace_deadline_us == value)
    return;

  self->grace_deadline_us = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRACE_DEADLINE_US]);
}

gint64
pw_session_get_server_play_sec (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), -1);
  return self->server_play_sec;
}

void
pw_session_set_server_play_sec (PwSession *self, gint64 value)
{
  g_return_if_fail (PW_IS_SESSION (self));

  if (self->server_play_sec == value)
    return;

  self->server_play_sec = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_PLAY_SEC]);
}

/* SPEC: the server deletes a session 240 s after its last heartbeat; this
 * is our estimate of that moment, from the last success (or from when
 * tracking began, before any). */
gint64
pw_session_get_expiry_deadline_us (PwSession *self)
{
  gint64 base;

  g_return_val_if_fail (PW_IS_SESSION (self), 0);

  base = self->last_success_us ? self->last_success_us : self->tracked_since_us;
  return base ? base + EXPIRY_US : 0;
}

gint64
pw_session_get_end_server_sec (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), -1);
  return self->end_server_sec;
}

gint64
pw_session_get_end_client_sec (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), -1);
  return self->end_client_sec;
}

void
pw_session_set_end_durations (PwSession *self, gint64 server_sec, gint64 client_sec)
{
  g_return_if_fail (PW_IS_SESSION (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->end_server_sec != server_sec)
    {
      self->end_server_sec = server_sec;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_SERVER_SEC]);
    }
  if (self->end_client_sec != client_sec)
    {
      self->end_client_sec = client_sec;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_CLIENT_SEC]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint
pw_session_get_last_status (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), 0);
  return self->last_status;
}

const char *
pw_session_get_last_result (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->last_result;
}

const char *
pw_session_get_last_code (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->last_code;
}

const char *
pw_session_get_last_request_id (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), NULL);
  return self->last_request_id;
}

static void
replace_string (PwSession *self, char **field, const char *value, guint prop)
{
  /* g_set_str() is GLib 2.76 */
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* One answer of the server; a %NULL keeps the old value only for the
 * request id, which an answer may not carry. */
void
pw_session_set_last_answer (PwSession *self,
                            guint status,
                            const char *result,
                            const char *code,
                            const char *request_id)
{
  g_return_if_fail (PW_IS_SESSION (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->last_status != status)
    {
      self->last_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_STATUS]);
    }
  replace_string (self, &self->last_result, result, PROP_LAST_RESULT);
  replace_string (self, &self->last_code, code, PROP_LAST_CODE);
  if (request_id != NULL)
    replace_string (self, &self->last_request_id, request_id, PROP_LAST_REQUEST_ID);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Live: the server may still bill it. */
gboolean
pw_session_state_is_live (PwSessionState state)
{
  return state == PW_SESSION_STATE_PENDING || state == PW_SESSION_STATE_ACTIVE ||
         state == PW_SESSION_STATE_CHARGE_EXHAUSTED;
}

/* Heartbeating: live and not paused. */
gboolean
pw_session_is_heartbeating (PwSession *self)
{
  g_return_val_if_fail (PW_IS_SESSION (self), FALSE);

  return pw_session_state_is_live (self->state) && !self->paused;
}

const char *
pw_session_state_to_string (PwSessionState state)
{
  if ((guint) state < G_N_ELEMENTS (state_names))
    return state_names[state];
  return "unknown";
}

gboolean
pw_session_state_from_string (const char *text, PwSessionState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (text, state_names[i]))
      {
        *state = (PwSessionState) i;
        return TRUE;
      }

  return FALSE;
}
