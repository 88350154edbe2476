/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-error.h"

G_DEFINE_QUARK (pw_error_quark, pw_error)

/**
 * pw_error_to_code:
 *
 * Returns: the machine-readable name of @error, as printed by
 *   `playwave-ctl --json` and stored in the event log. Server codes keep the
 *   server's spelling; the others are our own.
 */
const char *
pw_error_to_code (PwError error)
{
  switch (error)
    {
      case PW_ERROR_SESSION_NOT_FOUND:
        return "SESSION_NOT_FOUND";
      case PW_ERROR_SESSION_ENDED:
        return "SESSION_ENDED";
      case PW_ERROR_SESSION_ENDING:
        return "SESSION_ENDING";
      case PW_ERROR_ALREADY_ENDED:
        return "ALREADY_ENDED";
      case PW_ERROR_UNAUTHORIZED:
        return "UNAUTHORIZED";
      case PW_ERROR_RATE_LIMITED:
        return "RATE_LIMITED";
      case PW_ERROR_SERVER:
        return "SERVER_ERROR";
      case PW_ERROR_BAD_REQUEST:
        return "BAD_REQUEST";
      case PW_ERROR_REDIRECT:
        return "REDIRECT";
      case PW_ERROR_NETWORK:
        return "NETWORK_ERROR";
      case PW_ERROR_TIMEOUT:
        return "TIMEOUT";
      case PW_ERROR_PROTOCOL:
        return "PROTOCOL_ERROR";
      case PW_ERROR_INVALID_ARGUMENT:
        return "INVALID_ARGUMENT";
      default:
        return "UNKNOWN_ERROR";
    }
}

/**
 * pw_error_is_transient:
 *
 * Returns: %TRUE when the same request may succeed if sent again later:
 *   network trouble, timeouts, 5xx, 429 and garbled answers.
 */
gboolean
pw_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != PW_ERROR)
    return FALSE;

  switch ((PwError) error->code)
    {
      case PW_ERROR_RATE_LIMITED:
      case PW_ERROR_SERVER:
      case PW_ERROR_NETWORK:
      case PW_ERROR_TIMEOUT:
      case PW_ERROR_PROTOCOL:
        return TRUE;

      case PW_ERROR_SESSION_NOT_FOUND:
      case PW_ERROR_SESSION_ENDED:
      case PW_ERROR_SESSION_ENDING:
      case PW_ERROR_ALREADY_ENDED:
      case PW_ERROR_UNAUTHORIZED:
      case PW_ERROR_BAD_REQUEST:
      case PW_ERROR_REDIRECT:
      case PW_ERROR_INVALID_ARGUMENT:
      default:
        return FALSE;
    }
}
