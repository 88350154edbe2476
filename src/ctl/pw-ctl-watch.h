/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-client.h"

G_BEGIN_DECLS

int
pw_ctl_watch_run (PwClient *client, GPtrArray *entries, gboolean json, gboolean verbose);

G_END_DECLS
