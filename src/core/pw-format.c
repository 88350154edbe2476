/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-format.h"

/**
 * pw_format_duration:
 *
 * Returns: (transfer full): "12:05" under an hour, "1:02:03" from an hour,
 *   "—" for an unknown (negative) duration
 */
char *
pw_format_duration (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("—");

  /* Hours as a 64-bit number: a restored or user-given duration may be
   * absurd, and must not wrap into a negative label. */
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/**
 * pw_format_countdown:
 * @microseconds: time left; zero or less is "now"
 *
 * Returns: (transfer full): "in 1:05", or "now"
 */
char *
pw_format_countdown (gint64 microseconds)
{
  g_autofree char *duration = NULL;

  if (microseconds <= 0)
    return g_strdup (C_ ("countdown", "now"));

  /* Round up: "in 0:00" would read as already past. */
  duration = pw_format_duration ((microseconds + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  /* Translators: a countdown, e.g. "in 1:05" */
  return g_strdup_printf (C_ ("countdown", "in %s"), duration);
}

/**
 * pw_format_drift:
 *
 * Returns: (transfer full): client minus server play time, e.g. "+3 s",
 *   or %NULL when either is unknown
 */
char *
pw_format_drift (gint64 server_sec, gint64 client_sec)
{
  if (server_sec < 0 || client_sec < 0)
    return NULL;

  /* Translators: the difference between two play times in seconds */
  return g_strdup_printf (_ ("%+d s"),
                          (int) CLAMP (client_sec - server_sec, -G_MAXINT, G_MAXINT));
}

const char *
pw_session_state_get_label (PwSessionState state)
{
  switch (state)
    {
      case PW_SESSION_STATE_PENDING:
        return C_ ("session state", "Starting");
      case PW_SESSION_STATE_ACTIVE:
        return C_ ("session state", "Active");
      case PW_SESSION_STATE_CHARGE_EXHAUSTED:
        return C_ ("session state", "Out of charge");
      case PW_SESSION_STATE_REPLACED:
        return C_ ("session state", "Replaced");
      case PW_SESSION_STATE_LOST:
        return C_ ("session state", "Not found");
      case PW_SESSION_STATE_ENDED_BY_SERVER:
        return C_ ("session state", "Ended by server");
      case PW_SESSION_STATE_ENDING_BY_SERVER:
        return C_ ("session state", "Ending by server");
      case PW_SESSION_STATE_UNAUTHORIZED:
        return C_ ("session state", "Key rejected");
      case PW_SESSION_STATE_EXPIRED:
        return C_ ("session state", "Expired");
      case PW_SESSION_STATE_ENDING:
        return C_ ("session state", "Ending");
      case PW_SESSION_STATE_ENDED:
        return C_ ("session state", "Ended");
      case PW_SESSION_STATE_END_FAILED:
        return C_ ("session state", "End failed");
      default:
        return C_ ("session state", "Unknown");
    }
}

/* Symbolic icons of the Adwaita icon theme, so the badge reads without
 * colour too. */
const char *
pw_session_state_get_icon_name (PwSessionState state)
{
  switch (state)
    {
      case PW_SESSION_STATE_PENDING:
        return "content-loading-symbolic";
      case PW_SESSION_STATE_ACTIVE:
        return "emblem-ok-symbolic";
      case PW_SESSION_STATE_CHARGE_EXHAUSTED:
        return "battery-level-0-symbolic";
      case PW_SESSION_STATE_REPLACED:
        return "view-refresh-symbolic";
      case PW_SESSION_STATE_LOST:
        return "dialog-question-symbolic";
      case PW_SESSION_STATE_ENDED_BY_SERVER:
        return "process-stop-symbolic";
      case PW_SESSION_STATE_ENDING_BY_SERVER:
        return "process-stop-symbolic";
      case PW_SESSION_STATE_UNAUTHORIZED:
        return "dialog-password-symbolic";
      case PW_SESSION_STATE_EXPIRED:
        return "alarm-symbolic";
      case PW_SESSION_STATE_ENDING:
        return "content-loading-symbolic";
      case PW_SESSION_STATE_ENDED:
        return "media-playback-stop-symbolic";
      case PW_SESSION_STATE_END_FAILED:
        return "dialog-warning-symbolic";
      default:
        return "dialog-question-symbolic";
    }
}

/* libadwaita style classes: success, warning, error, dim-label. */
const char *
pw_session_state_get_style_class (PwSessionState state)
{
  switch (state)
    {
      case PW_SESSION_STATE_ACTIVE:
        return "success";
      case PW_SESSION_STATE_CHARGE_EXHAUSTED:
      case PW_SESSION_STATE_ENDING_BY_SERVER:
      case PW_SESSION_STATE_END_FAILED:
        return "warning";
      case PW_SESSION_STATE_REPLACED:
      case PW_SESSION_STATE_LOST:
      case PW_SESSION_STATE_ENDED_BY_SERVER:
      case PW_SESSION_STATE_UNAUTHORIZED:
      case PW_SESSION_STATE_EXPIRED:
        return "error";
      case PW_SESSION_STATE_PENDING:
      case PW_SESSION_STATE_ENDING:
      case PW_SESSION_STATE_ENDED:
      default:
        return "dim-label";
    }
}

/**
 * pw_event_kind_get_label:
 *
 * Returns: what the status panel and notifications call an event kind
 */
const char *
pw_event_kind_get_label (PwEventKind kind)
{
  switch (kind)
    {
      case PW_EVENT_TRACKING_STARTED:
        return C_ ("event kind", "Tracking started");
      case PW_EVENT_CHARGE_EXHAUSTED:
        return C_ ("event kind", "Out of charge");
      case PW_EVENT_SESSION_REPLACED:
        return C_ ("event kind", "Replaced");
      case PW_EVENT_UNKNOWN_RESULT:
        return C_ ("event kind", "Unknown result");
      case PW_EVENT_SESSION_LOST:
        return C_ ("event kind", "Not found (404)");
      case PW_EVENT_SESSION_ENDED:
        return C_ ("event kind", "Ended by server (410)");
      case PW_EVENT_SESSION_ENDING:
        return C_ ("event kind", "Ending by server (410)");
      case PW_EVENT_UNAUTHORIZED:
        return C_ ("event kind", "Key rejected");
      case PW_EVENT_RATE_LIMITED:
        /* Translators: the server answered 429 Too Many Requests */
        return C_ ("event kind", "Rate limited");
      case PW_EVENT_NETWORK_FAILURES:
        return C_ ("event kind", "Network failures");
      case PW_EVENT_RECOVERED:
        /* Translators: heartbeats succeed again after failures */
        return C_ ("event kind", "Recovered");
      case PW_EVENT_EXPIRED:
        return C_ ("event kind", "Expired");
      case PW_EVENT_PAUSED:
        /* Translators: the user paused the session's heartbeats */
        return C_ ("event kind", "Paused");
      case PW_EVENT_RESUMED:
        /* Translators: the user resumed the session's heartbeats */
        return C_ ("event kind", "Resumed");
      case PW_EVENT_ENDED:
        return C_ ("event kind", "Ended");
      case PW_EVENT_ALREADY_CLEANED_UP:
        return C_ ("event kind", "Already cleaned up");
      case PW_EVENT_END_FAILED:
        return C_ ("event kind", "End failed");
      case PW_EVENT_CLOCK_SKEW:
        /* Translators: the server's clock differs from this computer's */
        return C_ ("event kind", "Clock skew");
      case PW_EVENT_STATE_FILE_DAMAGED:
        return C_ ("event kind", "Saved state damaged");
      default:
        return C_ ("event kind", "Unknown");
    }
}

/* Symbolic icons of the Adwaita theme, matching the session states'. */
const char *
pw_event_kind_get_icon_name (PwEventKind kind)
{
  switch (kind)
    {
      case PW_EVENT_TRACKING_STARTED:
        return "list-add-symbolic";
      case PW_EVENT_CHARGE_EXHAUSTED:
        return "battery-level-0-symbolic";
      case PW_EVENT_SESSION_REPLACED:
        return "view-refresh-symbolic";
      case PW_EVENT_UNKNOWN_RESULT:
        return "dialog-question-symbolic";
      case PW_EVENT_SESSION_LOST:
        return "dialog-question-symbolic";
      case PW_EVENT_SESSION_ENDED:
      case PW_EVENT_SESSION_ENDING:
        return "process-stop-symbolic";
      case PW_EVENT_UNAUTHORIZED:
        return "dialog-password-symbolic";
      case PW_EVENT_RATE_LIMITED:
      case PW_EVENT_NETWORK_FAILURES:
        return "network-error-symbolic";
      case PW_EVENT_RECOVERED:
        return "emblem-ok-symbolic";
      case PW_EVENT_EXPIRED:
        return "alarm-symbolic";
      case PW_EVENT_PAUSED:
        return "media-playback-pause-symbolic";
      case PW_EVENT_RESUMED:
        return "media-playback-start-symbolic";
      case PW_EVENT_ENDED:
      case PW_EVENT_ALREADY_CLEANED_UP:
        return "media-playback-stop-symbolic";
      case PW_EVENT_END_FAILED:
      case PW_EVENT_STATE_FILE_DAMAGED:
        return "dialog-warning-symbolic";
      case PW_EVENT_CLOCK_SKEW:
        return "preferences-system-time-symbolic";
      default:
        return "dialog-question-symbolic";
    }
}

/* libadwaita style classes, as for the session states. */
const char *
pw_event_kind_get_style_class (PwEventKind kind)
{
  switch (kind)
    {
      case PW_EVENT_RECOVERED:
      case PW_EVENT_ENDED:
        return "success";
      case PW_EVENT_CHARGE_EXHAUSTED:
      case PW_EVENT_UNKNOWN_RESULT:
      case PW_EVENT_SESSION_ENDING:
      case PW_EVENT_RATE_LIMITED:
      case PW_EVENT_NETWORK_FAILURES:
      case PW_EVENT_END_FAILED:
      case PW_EVENT_CLOCK_SKEW:
      case PW_EVENT_STATE_FILE_DAMAGED:
        return "warning";
      case PW_EVENT_SESSION_REPLACED:
      case PW_EVENT_SESSION_LOST:
      case PW_EVENT_SESSION_ENDED:
      case PW_EVENT_UNAUTHORIZED:
      case PW_EVENT_EXPIRED:
        return "error";
      case PW_EVENT_TRACKING_STARTED:
      case PW_EVENT_PAUSED:
      case PW_EVENT_RESUMED:
      case PW_EVENT_ALREADY_CLEANED_UP:
      default:
        return "dim-label";
    }
}
