/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PwEventKind:
 * @PW_EVENT_TRACKING_STARTED: a session was added to the tracker
 * @PW_EVENT_CHARGE_EXHAUSTED: 200 CHARGE_EXHAUSTED, once on entering the state
 * @PW_EVENT_SESSION_REPLACED: 200 SESSION_REPLACED
 * @PW_EVENT_UNKNOWN_RESULT: a 200 with a result this version does not know
 * @PW_EVENT_SESSION_LOST: 404 on a heartbeat
 * @PW_EVENT_SESSION_ENDED: 410 SESSION_ENDED (the message says whether the
 *   launcher went silent)
 * @PW_EVENT_SESSION_ENDING: 410 SESSION_ENDING
 * @PW_EVENT_UNAUTHORIZED: 401/403: the key was rejected
 * @PW_EVENT_RATE_LIMITED: repeated 429 answers
 * @PW_EVENT_NETWORK_FAILURES: three failures in a row
 * @PW_EVENT_RECOVERED: a success after reported failures
 * @PW_EVENT_EXPIRED: no success for 240 s
 * @PW_EVENT_PAUSED: heartbeats paused by the user
 * @PW_EVENT_RESUMED: heartbeats resumed by the user
 * @PW_EVENT_ENDED: our end request succeeded (message has the drift)
 * @PW_EVENT_ALREADY_CLEANED_UP: end answered 404 or 409
 * @PW_EVENT_END_FAILED: the end request failed after retries
 * @PW_EVENT_CLOCK_SKEW: the server's Date differs from ours by over 30 s
 * @PW_EVENT_STATE_FILE_DAMAGED: the saved state could not be read and was moved aside
 */
typedef enum
{
  PW_EVENT_TRACKING_STARTED,
  PW_EVENT_CHARGE_EXHAUSTED,
  PW_EVENT_SESSION_REPLACED,
  PW_EVENT_UNKNOWN_RESULT,
  PW_EVENT_SESSION_LOST,
  PW_EVENT_SESSION_ENDED,
  PW_EVENT_SESSION_ENDING,
  PW_EVENT_UNAUTHORIZED,
  PW_EVENT_RATE_LIMITED,
  PW_EVENT_NETWORK_FAILURES,
  PW_EVENT_RECOVERED,
  PW_EVENT_EXPIRED,
  PW_EVENT_PAUSED,
  PW_EVENT_RESUMED,
  PW_EVENT_ENDED,
  PW_EVENT_ALREADY_CLEANED_UP,
  PW_EVENT_END_FAILED,
  PW_EVENT_CLOCK_SKEW,
  PW_EVENT_STATE_FILE_DAMAGED,
} PwEventKind;

#define PW_TYPE_EVENT (pw_event_get_type ())
G_DECLARE_FINAL_TYPE (PwEvent, pw_event, PW, EVENT, GObject)

/* Event times are kept to the millisecond (what exports show, so a saved log
 * reads back exactly), from the Unix epoch to the end of year 9999. */
#define PW_EVENT_TIME_MAX_US G_GINT64_CONSTANT (253402300799999000)

PwEvent *pw_event_new (gint64 time_real_us,
                       const char *session_id,
                       const char *user_id,
                       PwEventKind kind,
                       guint http_status,
                       const char *code,
                       const char *request_id,
                       const char *message);

gint64 pw_event_get_time_real_us (PwEvent *self);
gint64 pw_event_get_last_time_real_us (PwEvent *self);
const char *pw_event_get_session_id (PwEvent *self);
const char *pw_event_get_user_id (PwEvent *self);
PwEventKind pw_event_get_kind (PwEvent *self);
guint pw_event_get_http_status (PwEvent *self);
const char *pw_event_get_code (PwEvent *self);
const char *pw_event_get_request_id (PwEvent *self);
const char *pw_event_get_message (PwEvent *self);
guint pw_event_get_count (PwEvent *self);
gboolean pw_event_get_acknowledged (PwEvent *self);
void pw_event_set_acknowledged (PwEvent *self, gboolean acknowledged);

/* For PwEventLog: a repeat of the same (session, kind) folds into the row
 * that already shows it. */
void pw_event_fold (PwEvent *self, PwEvent *repeat);

const char *pw_event_kind_to_string (PwEventKind kind);
gboolean pw_event_kind_from_string (const char *text, PwEventKind *kind);
gboolean pw_event_kind_is_important (PwEventKind kind);

G_END_DECLS
