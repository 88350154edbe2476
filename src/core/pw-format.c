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

  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600),
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
  return g_strdup_printf (_ ("%+d s"), (int) (client_sec - server_sec));
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
