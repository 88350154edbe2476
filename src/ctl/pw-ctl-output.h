/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-exchange.h"

G_BEGIN_DECLS

typedef enum
{
  PW_CTL_EXIT_OK = 0,
  PW_CTL_EXIT_USAGE = 2,
  PW_CTL_EXIT_GONE = 3,
  PW_CTL_EXIT_UNAUTHORIZED = 4,
  PW_CTL_EXIT_FAILED = 5,
  PW_CTL_EXIT_PROTOCOL = 6,
} PwCtlExit;

PwCtlExit pw_ctl_exit_for (PwRequestKind kind, PwExchange *exchange, const GError *error);
void pw_ctl_print_outcome (PwRequestKind kind,
                           const char *session_id,
                           PwExchange *exchange,
                           const GError *error,
                           guint attempts,
                           gboolean json);

G_END_DECLS
