/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-tracker.h"

G_BEGIN_DECLS

/* "Copy for support ticket": a session's facts, its events and its recent
 * exchanges as plain text, with the key redacted. */
char *pw_ticket_dup_text (PwTracker *tracker, PwSession *session, GListModel *exchanges);

G_END_DECLS
