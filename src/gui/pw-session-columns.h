/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pw-ticker.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

typedef enum
{
  PW_SESSION_COLUMN_SESSION,
  PW_SESSION_COLUMN_USER,
  PW_SESSION_COLUMN_CONNECTION,
  PW_SESSION_COLUMN_STATE,
  PW_SESSION_COLUMN_CLIENT_TIME,
  PW_SESSION_COLUMN_SERVER_TIME,
  PW_SESSION_COLUMN_NEXT,
  PW_SESSION_COLUMN_LAST_RESULT,
  PW_SESSION_COLUMN_REQUEST_ID,
  PW_SESSION_N_COLUMNS
} PwSessionColumn;

/* The columns of the session list: factories that bind cells to PwSession
 * properties (timer cells to @ticker, only while bound), and sorters on
 * stable keys. */
void
pw_session_columns_install (GtkColumnView *view, PwTracker *tracker, PwTicker *ticker);
GtkColumnViewColumn *pw_session_columns_get (GtkColumnView *view, PwSessionColumn column);
char *pw_session_columns_dup_text (PwTracker *tracker,
                                   PwSession *session,
                                   PwSessionColumn column,
                                   gint64 now_us);
gint64 pw_session_columns_get_next_deadline_us (PwSession *session);

/* Diagnostics for tests and benchmarks: timer cells connected to the
 * ticker now, and how many cell refreshes the ticks have caused so far. */
guint pw_session_columns_get_n_ticking (GtkColumnView *view);
guint64 pw_session_columns_get_n_tick_updates (GtkColumnView *view);

G_END_DECLS
