/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pw-ticker.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

typedef enum
{
  PW_EVENT_COLUMN_TIME,
  PW_EVENT_COLUMN_SESSION,
  PW_EVENT_COLUMN_USER,
  PW_EVENT_COLUMN_KIND,
  PW_EVENT_COLUMN_STATUS,
  PW_EVENT_COLUMN_CODE,
  PW_EVENT_COLUMN_REQUEST_ID,
  PW_EVENT_COLUMN_COUNT,
  PW_EVENT_COLUMN_DETAILS,
  PW_EVENT_N_COLUMNS
} PwEventColumn;

/* The status panel's columns: cells bound to PwEvent properties, the
 * details cell of an out-of-charge row counting down the grace on @ticker
 * (only while bound and while the session is still out of charge), and
 * sorters on stable keys. */
void pw_event_columns_install (GtkColumnView *view, PwTracker *tracker, PwTicker *ticker);
GtkColumnViewColumn *pw_event_columns_get (GtkColumnView *view, PwEventColumn column);
char *pw_event_columns_dup_text (PwTracker *tracker,
                                 PwEvent *event,
                                 PwEventColumn column,
                                 gint64 now_us);
void pw_event_columns_fit (GtkColumnView *view, int width);
guint pw_event_columns_get_n_ticking (GtkColumnView *view);

G_END_DECLS
