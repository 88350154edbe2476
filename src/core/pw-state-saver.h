/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * PwStateSaverCollectFunc:
 * @saved_sessions: (out) (transfer container) (element-type PwSavedSession):
 *   the sessions to save; must be set
 * @events: (out) (transfer full) (nullable): the event log as
 *   pw_event_log_to_json() gives it, or %NULL to save none
 * @user_data: the data given to pw_state_saver_new()
 *
 * Called when a save is due, to take a snapshot of what to save.
 */
typedef void (*PwStateSaverCollectFunc) (GPtrArray **saved_sessions,
                                         JsonNode **events,
                                         gpointer user_data);

#define PW_TYPE_STATE_SAVER (pw_state_saver_get_type ())
G_DECLARE_FINAL_TYPE (PwStateSaver, pw_state_saver, PW, STATE_SAVER, GObject)

PwStateSaver *pw_state_saver_new (const char *path,
                                  guint delay_ms,
                                  PwStateSaverCollectFunc collect_func,
                                  gpointer user_data);
const char *pw_state_saver_get_path (PwStateSaver *self);
gboolean pw_state_saver_get_dirty (PwStateSaver *self);
const char *pw_state_saver_get_last_error (PwStateSaver *self);
void pw_state_saver_mark_dirty (PwStateSaver *self);
gboolean pw_state_saver_flush (PwStateSaver *self, GError **error);

G_END_DECLS
