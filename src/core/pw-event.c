/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-core-enums.h"
#include "pw-error.h"
#include "pw-event.h"
/* Declares pw_event_to_json() and pw_event_new_from_json(), which live here
 * because they read and restore the private fields. */
#include "pw-event-log.h"
#include "pw-json.h"

/* One row of the status panel: something that happened to a session, as
 * the server or the tracker reported it. The record is fixed once made,
 * except for what folding a repeat changes (count, last time and the newest
 * answer's status, code, request id and message) and the acknowledged flag,
 * so those are notifying properties list rows can bind to. */

struct _PwEvent
{
  GObject parent_instance;

  gint64 time_real_us;
  gint64 last_time_real_us;
  char *session_id;
  char *user_id;
  PwEventKind kind;
  guint http_status;
  char *code;
  char *request_id;
  char *message;
  guint count;
  gboolean acknowledged;
};

G_DEFINE_FINAL_TYPE (PwEvent, pw_event, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TIME_REAL_US,
  PROP_LAST_TIME_REAL_US,
  PROP_SESSION_ID,
  PROP_USER_ID,
  PROP_KIND,
  PROP_HTTP_STATUS,
  PROP_CODE,
  PROP_REQUEST_ID,
  PROP_MESSAGE,
  PROP_COUNT,
  PROP_ACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Machine names written to exports and the state file: they must never
 * change, whatever happens to the enum. */
static const char *const kind_names[] = {
  [PW_EVENT_TRACKING_STARTED] = "tracking-started",
  [PW_EVENT_CHARGE_EXHAUSTED] = "charge-exhausted",
  [PW_EVENT_SESSION_REPLACED] = "session-replaced",
  [PW_EVENT_UNKNOWN_RESULT] = "unknown-result",
  [PW_EVENT_SESSION_LOST] = "session-lost",
  [PW_EVENT_SESSION_ENDED] = "session-ended",
  [PW_EVENT_SESSION_ENDING] = "session-ending",
  [PW_EVENT_UNAUTHORIZED] = "unauthorized",
  [PW_EVENT_RATE_LIMITED] = "rate-limited",
  [PW_EVENT_NETWORK_FAILURES] = "network-failures",
  [PW_EVENT_RECOVERED] = "recovered",
  [PW_EVENT_EXPIRED] = "expired",
  [PW_EVENT_PAUSED] = "paused",
  [PW_EVENT_RESUMED] = "resumed",
  [PW_EVENT_ENDED] = "ended",
  [PW_EVENT_ALREADY_CLEANED_UP] = "already-cleaned-up",
  [PW_EVENT_END_FAILED] = "end-failed",
  [PW_EVENT_CLOCK_SKEW] = "clock-skew",
  [PW_EVENT_STATE_FILE_DAMAGED] = "state-file-damaged",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == PW_EVENT_STATE_FILE_DAMAGED + 1);

/* Longer than any ISO 8601 time; refused before GLib's parser sees it. */
#define MAX_TIME_TEXT 64

static gboolean
kind_is_valid (PwEventKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names);
}

static gint64
truncate_to_ms (gint64 time_us)
{
  return time_us - time_us % 1000;
}

/* Event text comes from server answers, and is shown in labels, exported and
 * saved. pw_event_new_from_json() refuses what pw_json_string_is_safe()
 * refuses, so anything else is replaced here: every event saved reads back,
 * and no control character reaches a terminal or a spreadsheet. */
static char *
dup_safe_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL || pw_json_string_is_safe (text))
    return g_strdup (text);

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

/* Returns TRUE when the value changed, so the caller notifies only then. */
static gboolean
replace_text (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr (GDateTime) dt = NULL;

  g_assert (time_us >= 0 && time_us <= PW_EVENT_TIME_MAX_US);

  dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_assert (dt != NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt),
                          (int) (time_us % G_USEC_PER_SEC / 1000));
}

/* Strict on the way out (always UTC with milliseconds), lenient on the way
 * in: any ISO 8601 time with a zone, kept to the millisecond. */
static gboolean
parse_time (const char *text, gint64 *out_time_us)
{
  g_autoptr (GDateTime) dt = NULL;
  gint64 time_us;

  if (strlen (text) > MAX_TIME_TEXT)
    return FALSE;

  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;

  time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  if (time_us < 0 || time_us > PW_EVENT_TIME_MAX_US)
    return FALSE;

  *out_time_us = truncate_to_ms (time_us);
  return TRUE;
}

static void
set_text_member (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
pw_event_finalize (GObject *object)
{
  PwEvent *self = (PwEvent *) object;

  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (pw_event_parent_class)->finalize (object);
}

static void
pw_event_constructed (GObject *object)
{
  PwEvent *self = (PwEvent *) object;

  G_OBJECT_CLASS (pw_event_parent_class)->constructed (object);

  self->last_time_real_us = self->time_real_us;
}

static void
pw_event_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PwEvent *self = PW_EVENT (object);

  switch (prop_id)
    {
      case PROP_TIME_REAL_US:
        g_value_set_int64 (value, self->time_real_us);
        break;

      case PROP_LAST_TIME_REAL_US:
        g_value_set_int64 (value, self->last_time_real_us);
        break;

      case PROP_SESSION_ID:
        g_value_set_string (value, self->session_id);
        break;

      case PROP_USER_ID:
        g_value_set_string (value, self->user_id);
        break;

      case PROP_KIND:
        g_value_set_enum (value, self->kind);
        break;

      case PROP_HTTP_STATUS:
        g_value_set_uint (value, self->http_status);
        break;

      case PROP_CODE:
        g_value_set_string (value, self->code);
        break;

      case PROP_REQUEST_ID:
        g_value_set_string (value, self->request_id);
        break;

      case PROP_MESSAGE:
        g_value_set_string (value, self->message);
        break;

      case PROP_COUNT:
        g_value_set_uint (value, self->count);
        break;

      case PROP_ACKNOWLEDGED:
        g_value_set_boolean (value, self->acknowledged);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_event_set_property (GObject *object,
                       guint prop_id,
                       const GValue *value,
                       GParamSpec *pspec)
{
  PwEvent *self = PW_EVENT (object);

  switch (prop_id)
    {
      case PROP_TIME_REAL_US:
        self->time_real_us = truncate_to_ms (g_value_get_int64 (value));
        break;

      case PROP_SESSION_ID:
        self->session_id = dup_safe_text (g_value_get_string (value));
        break;

      case PROP_USER_ID:
        self->user_id = dup_safe_text (g_value_get_string (value));
        break;

      case PROP_KIND:
        self->kind = g_value_get_enum (value);
        break;

      case PROP_HTTP_STATUS:
        self->http_status = g_value_get_uint (value);
        break;

      case PROP_CODE:
        self->code = dup_safe_text (g_value_get_string (value));
        break;

      case PROP_REQUEST_ID:
        self->request_id = dup_safe_text (g_value_get_string (value));
        break;

      case PROP_MESSAGE:
        self->message = dup_safe_text (g_value_get_string (value));
        break;

      case PROP_ACKNOWLEDGED:
        pw_event_set_acknowledged (self, g_value_get_boolean (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_event_class_init (PwEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  /* Set at construction, replaced by the newest answer when a repeat folds in. */
  const GParamFlags folded = construct | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro =
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pw_event_finalize;
  object_class->constructed = pw_event_constructed;
  object_class->get_property = pw_event_get_property;
  object_class->set_property = pw_event_set_property;

  properties[PROP_TIME_REAL_US] = g_param_spec_int64 ("time-real-us", NULL, NULL, 0,
                                                      PW_EVENT_TIME_MAX_US, 0, construct);
  properties[PROP_LAST_TIME_REAL_US] = g_param_spec_int64 (
      "last-time-real-us", NULL, NULL, 0, PW_EVENT_TIME_MAX_US, 0, ro);
  properties[PROP_SESSION_ID] =
      g_param_spec_string ("session-id", NULL, NULL, NULL, construct);
  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, construct);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, PW_TYPE_EVENT_KIND,
                                             PW_EVENT_TRACKING_STARTED, construct);
  properties[PROP_HTTP_STATUS] =
      g_param_spec_uint ("http-status", NULL, NULL, 0, 999, 0, folded);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, folded);
  properties[PROP_REQUEST_ID] =
      g_param_spec_string ("request-id", NULL, NULL, NULL, folded);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, folded);
  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 1, G_MAXUINT, 1, ro);
  properties[PROP_ACKNOWLEDGED] = g_param_spec_boolean (
      "acknowledged", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_event_init (PwEvent *self)
{
  self->count = 1;
}

/**
 * pw_event_new:
 * @time_real_us: wall-clock time of the occurrence, kept to the millisecond
 * @session_id: (nullable): %NULL for events about no one session
 *
 * Text that is not valid UTF-8 or holds control characters other than tab
 * and newline is repaired with U+FFFD.
 *
 * Returns: (transfer full): a new event with a count of 1
 */
PwEvent *
pw_event_new (gint64 time_real_us,
              const char *session_id,
              const char *user_id,
              PwEventKind kind,
              guint http_status,
              const char *code,
              const char *request_id,
              const char *message)
{
  g_return_val_if_fail (time_real_us >= 0 && time_real_us <= PW_EVENT_TIME_MAX_US, NULL);
  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (http_status <= 999, NULL);

  return g_object_new (PW_TYPE_EVENT, "time-real-us", time_real_us, "session-id",
                       session_id, "user-id", user_id, "kind", kind, "http-status",
                       http_status, "code", code, "request-id", request_id, "message",
                       message, NULL);
}

gint64
pw_event_get_time_real_us (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), 0);
  return self->time_real_us;
}

gint64
pw_event_get_last_time_real_us (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), 0);
  return self->last_time_real_us;
}

const char *
pw_event_get_session_id (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), NULL);
  return self->session_id;
}

const char *
pw_event_get_user_id (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), NULL);
  return self->user_id;
}

PwEventKind
pw_event_get_kind (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), PW_EVENT_TRACKING_STARTED);
  return self->kind;
}

guint
pw_event_get_http_status (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), 0);
  return self->http_status;
}

const char *
pw_event_get_code (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), NULL);
  return self->code;
}

const char *
pw_event_get_request_id (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), NULL);
  return self->request_id;
}

const char *
pw_event_get_message (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), NULL);
  return self->message;
}

guint
pw_event_get_count (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), 0);
  return self->count;
}

gboolean
pw_event_get_acknowledged (PwEvent *self)
{
  g_return_val_if_fail (PW_IS_EVENT (self), FALSE);
  return self->acknowledged;
}

void
pw_event_set_acknowledged (PwEvent *self, gboolean acknowledged)
{
  g_return_if_fail (PW_IS_EVENT (self));

  acknowledged = !!acknowledged;
  if (self->acknowledged == acknowledged)
    return;

  self->acknowledged = acknowledged;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKNOWLEDGED]);
}

/**
 * pw_event_fold:
 * @self: the row that shows the (session, kind)
 * @repeat: a newer occurrence of the same (session, kind)
 *
 * Adds @repeat's count to @self and takes its last time and its whole answer
 * (status, code, request id, message, even where they are empty), so the row
 * never mixes the code of one answer with the request id of another.
 */
void
pw_event_fold (PwEvent *self, PwEvent *repeat)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (PW_IS_EVENT (self));
  g_return_if_fail (PW_IS_EVENT (repeat));
  g_return_if_fail (self != repeat);
  g_return_if_fail (self->kind == repeat->kind);
  g_return_if_fail (g_strcmp0 (self->session_id, repeat->session_id) == 0);

  g_object_freeze_notify (object);

  /* Saturate rather than wrap: a count that restarts at 0 would lie. */
  self->count =
      repeat->count > G_MAXUINT - self->count ? G_MAXUINT : self->count + repeat->count;
  g_object_notify_by_pspec (object, properties[PROP_COUNT]);

  if (self->last_time_real_us != repeat->last_time_real_us)
    {
      self->last_time_real_us = repeat->last_time_real_us;
      g_object_notify_by_pspec (object, properties[PROP_LAST_TIME_REAL_US]);
    }

  if (self->http_status != repeat->http_status)
    {
      self->http_status = repeat->http_status;
      g_object_notify_by_pspec (object, properties[PROP_HTTP_STATUS]);
    }

  if (replace_text (&self->code, repeat->code))
    g_object_notify_by_pspec (object, properties[PROP_CODE]);
  if (replace_text (&self->request_id, repeat->request_id))
    g_object_notify_by_pspec (object, properties[PROP_REQUEST_ID]);
  if (replace_text (&self->message, repeat->message))
    g_object_notify_by_pspec (object, properties[PROP_MESSAGE]);

  g_object_thaw_notify (object);
}

/**
 * pw_event_kind_to_string:
 *
 * Returns: the stable machine name used in exports and the state file
 */
const char *
pw_event_kind_to_string (PwEventKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), NULL);
  return kind_names[kind];
}

gboolean
pw_event_kind_from_string (const char *text, PwEventKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (strcmp (text, kind_names[i]) == 0)
        {
          *kind = (PwEventKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Important events are the ones the status panel counts until acknowledged:
 * a session stopped, is about to, or cannot be trusted. A switch, not a
 * table, so -Wswitch-enum points here when a kind is added. */
gboolean
pw_event_kind_is_important (PwEventKind kind)
{
  switch (kind)
    {
      case PW_EVENT_CHARGE_EXHAUSTED:
      case PW_EVENT_SESSION_REPLACED:
      case PW_EVENT_UNKNOWN_RESULT:
      case PW_EVENT_SESSION_LOST:
      case PW_EVENT_SESSION_ENDED:
      case PW_EVENT_SESSION_ENDING:
      case PW_EVENT_UNAUTHORIZED:
      case PW_EVENT_NETWORK_FAILURES:
      case PW_EVENT_EXPIRED:
      case PW_EVENT_END_FAILED:
      case PW_EVENT_CLOCK_SKEW:
      case PW_EVENT_STATE_FILE_DAMAGED:
        return TRUE;

      case PW_EVENT_TRACKING_STARTED:
      case PW_EVENT_RATE_LIMITED:
      case PW_EVENT_RECOVERED:
      case PW_EVENT_PAUSED:
      case PW_EVENT_RESUMED:
      case PW_EVENT_ENDED:
      case PW_EVENT_ALREADY_CLEANED_UP:
        return FALSE;

      default:
        g_return_val_if_reached (FALSE);
    }
}

/**
 * pw_event_to_json:
 *
 * One object with the fields of a JSON Lines export: times as UTC ISO 8601
 * with milliseconds, absent values (and an HTTP status of 0) as null.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
pw_event_to_json (PwEvent *event)
{
  g_autofree char *time = NULL;
  g_autofree char *last_time = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (PW_IS_EVENT (event), NULL);

  time = format_time (event->time_real_us);
  last_time = format_time (event->last_time_real_us);

  object = json_object_new ();
  json_object_set_string_member (object, "time", time);
  json_object_set_string_member (object, "last_time", last_time);
  set_text_member (object, "session_id", event->session_id);
  set_text_member (object, "user_id", event->user_id);
  json_object_set_string_member (object, "kind", kind_names[event->kind]);
  if (event->http_status != 0)
    json_object_set_int_member (object, "http_status", event->http_status);
  else
    json_object_set_null_member (object, "http_status");
  set_text_member (object, "code", event->code);
  set_text_member (object, "request_id", event->request_id);
  set_text_member (object, "message", event->message);
  json_object_set_int_member (object, "count", event->count);
  json_object_set_boolean_member (object, "acknowledged", event->acknowledged);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/**
 * pw_event_new_from_json:
 * @node: an object as pw_event_to_json() writes it
 *
 * Reads saved data, so trusts nothing: every member's type and range is
 * checked and strings must be safe text. "time" and "kind" are required;
 * the other members may be absent or null (an older file, a hand edit).
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with a
 *   %PW_ERROR_PROTOCOL error
 */
PwEvent *
pw_event_new_from_json (JsonNode *node, GError **error)
{
  JsonObject *object;
  const char *time_text = NULL;
  const char *last_time_text = NULL;
  const char *session_id = NULL;
  const char *user_id = NULL;
  const char *kind_text = NULL;
  const char *code = NULL;
  const char *request_id = NULL;
  const char *message = NULL;
  gint64 http_status = 0;
  gint64 count = 1;
  gboolean acknowledged = FALSE;
  gint64 time_us;
  gint64 last_time_us;
  PwEventKind kind;
  PwEvent *self;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("A saved event is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!pw_json_get_string (object, "time", TRUE, &time_text, error) ||
      !pw_json_get_string (object, "last_time", FALSE, &last_time_text, error) ||
      !pw_json_get_string (object, "session_id", FALSE, &session_id, error) ||
      !pw_json_get_string (object, "user_id", FALSE, &user_id, error) ||
      !pw_json_get_string (object, "kind", TRUE, &kind_text, error) ||
      !pw_json_get_int (object, "http_status", FALSE, 100, 599, &http_status, error) ||
      !pw_json_get_string (object, "code", FALSE, &code, error) ||
      !pw_json_get_string (object, "request_id", FALSE, &request_id, error) ||
      !pw_json_get_string (object, "message", FALSE, &message, error) ||
      !pw_json_get_int (object, "count", FALSE, 1, G_MAXUINT, &count, error) ||
      !pw_json_get_boolean (object, "acknowledged", &acknowledged, error))
    {
      g_prefix_error_literal (error, _ ("Invalid saved event: "));
      return NULL;
    }

  if (!parse_time (time_text, &time_us))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("Invalid saved event: the field “%s” is not a valid time"), "time");
      return NULL;
    }

  last_time_us = time_us;
  if (last_time_text != NULL && !parse_time (last_time_text, &last_time_us))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("Invalid saved event: the field “%s” is not a valid time"),
                   "last_time");
      return NULL;
    }

  if (!pw_event_kind_from_string (kind_text, &kind))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_PROTOCOL,
                   _ ("Invalid saved event: unknown kind “%s”"), kind_text);
      return NULL;
    }

  self = pw_event_new (time_us, session_id, user_id, kind, (guint) http_status, code,
                       request_id, message);

  /* A new object nobody watches yet: no notifications to send. */
  self->last_time_real_us = last_time_us;
  self->count = (guint) count;
  self->acknowledged = acknowledged;

  return self;
}
