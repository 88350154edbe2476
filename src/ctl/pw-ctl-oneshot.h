/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-client.h"

G_BEGIN_DECLS

int pw_ctl_oneshot_run (PwClient *client,
                        PwRequestKind kind,
                        const char *session_id,
                        const char *user_id,
                        gint64 play_duration_sec,
                        int max_retries,
                        gboolean json);

G_END_DECLS
