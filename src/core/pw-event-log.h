/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-event.h"

G_BEGIN_DECLS

#define PW_EVENT_LOG_DEFAULT_MAX_EVENTS 5000

#define PW_TYPE_EVENT_LOG (pw_event_log_get_type ())
G_DECLARE_FINAL_TYPE (PwEventLog, pw_event_log, PW, EVENT_LOG, GObject)

/* A GListModel of PwEvent, oldest first. */
PwEventLog *pw_event_log_new (guint max_events);
guint pw_event_log_get_max_events (PwEventLog *self);
void pw_event_log_set_max_events (PwEventLog *self, guint max_events);
PwEvent *pw_event_log_add (PwEventLog *self, PwEvent *event);
void pw_event_log_clear (PwEventLog *self);
guint pw_event_log_get_unacknowledged (PwEventLog *self);
void pw_event_log_acknowledge_all (PwEventLog *self);

gboolean pw_event_log_export_jsonl (PwEventLog *self,
                                    GOutputStream *stream,
                                    GCancellable *cancellable,
                                    GError **error);
gboolean pw_event_log_export_csv (PwEventLog *self,
                                  GOutputStream *stream,
                                  GCancellable *cancellable,
                                  GError **error);

JsonNode *pw_event_to_json (PwEvent *event);
PwEvent *pw_event_new_from_json (JsonNode *node, GError **error);

/* For the state file: the whole log as a JSON array, and back. */
JsonNode *pw_event_log_to_json (PwEventLog *self);
gboolean pw_event_log_load_json (PwEventLog *self, JsonNode *array, GError **error);

G_END_DECLS
