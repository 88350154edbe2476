/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-client.h"

G_BEGIN_DECLS

PwClient *pw_ctl_connection_make_client (const char *base_url_option,
                                         const char *connection_option,
                                         double timeout_option,
                                         GError **error);

G_END_DECLS
