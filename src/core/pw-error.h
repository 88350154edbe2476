/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PW_ERROR (pw_error_quark ())

/**
 * PwError:
 * @PW_ERROR_SESSION_NOT_FOUND: 404, the session expired or never existed
 * @PW_ERROR_SESSION_ENDED: 410 SESSION_ENDED
 * @PW_ERROR_SESSION_ENDING: 410 SESSION_ENDING, termination in progress
 * @PW_ERROR_ALREADY_ENDED: 409 on end
 * @PW_ERROR_UNAUTHORIZED: 401 or 403, the API key was rejected
 * @PW_ERROR_RATE_LIMITED: 429, see the exchange's Retry-After
 * @PW_ERROR_SERVER: a 5xx answer
 * @PW_ERROR_BAD_REQUEST: 400 or another 4xx the API does not document
 * @PW_ERROR_REDIRECT: a 3xx answer; redirects are never followed
 * @PW_ERROR_NETWORK: the request never got an HTTP answer
 * @PW_ERROR_TIMEOUT: no answer within the per-request timeout
 * @PW_ERROR_PROTOCOL: an answer that breaks the documented format
 * @PW_ERROR_INVALID_ARGUMENT: a bad base URL, key or identifier, refused
 *   before anything was sent
 *
 * Every outcome of a PlayWave request that is not a 200 answer.
 */
typedef enum
{
  PW_ERROR_SESSION_NOT_FOUND,
  PW_ERROR_SESSION_ENDED,
  PW_ERROR_SESSION_ENDING,
  PW_ERROR_ALREADY_ENDED,
  PW_ERROR_UNAUTHORIZED,
  PW_ERROR_RATE_LIMITED,
  PW_ERROR_SERVER,
  PW_ERROR_BAD_REQUEST,
  PW_ERROR_REDIRECT,
  PW_ERROR_NETWORK,
  PW_ERROR_TIMEOUT,
  PW_ERROR_PROTOCOL,
  PW_ERROR_INVALID_ARGUMENT,
} PwError;

GQuark pw_error_quark (void);
const char *pw_error_to_code (PwError error);
gboolean pw_error_is_transient (const GError *error);

G_END_DECLS
