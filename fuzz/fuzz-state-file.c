/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pw-base-url.h"
#include "pw-event-log.h"
#include "pw-fake-clock.h"
#include "pw-format.h"
#include "pw-fuzz.h"
#include "pw-state-file.h"
#include "pw-tracker.h"

/* libFuzzer target for the state file loader: what the app reads back at
 * start, which may be damaged, truncated, hand-edited or from another
 * version. Follows the path of a real start: parse, load the event log
 * (and export it), restore the sessions into a tracker, format what the
 * window shows, and save again. Checks that a file is either loaded or
 * refused as damaged, and that whatever is loaded saves and loads back the
 * same. */

#define CONNECTION "fuzz"

static PwClient *client;

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  pw_fuzz_init ();
  /* Never used to send: nothing runs the main loop. Made once, since a
   * SoupSession per input would be most of the time spent. */
  client = pw_client_new ("http://127.0.0.1:9/v1", "fuzz-key", NULL);
  return 0;
}

static void
check_same_session (const PwSavedSession *a, const PwSavedSession *b)
{
  PW_FUZZ_CHECK (g_str_equal (a->session_id, b->session_id));
  PW_FUZZ_CHECK (g_str_equal (a->user_id, b->user_id));
  PW_FUZZ_CHECK (g_strcmp0 (a->connection, b->connection) == 0);
  PW_FUZZ_CHECK (a->state == b->state);
  PW_FUZZ_CHECK (!!a->paused == !!b->paused);
  PW_FUZZ_CHECK (a->tracked_since_real_us == b->tracked_since_real_us);
  PW_FUZZ_CHECK (!!a->tracked_from_start == !!b->tracked_from_start);
  PW_FUZZ_CHECK (a->last_success_real_us == b->last_success_real_us);
  PW_FUZZ_CHECK (a->server_play_sec == b->server_play_sec);
  PW_FUZZ_CHECK (a->last_status == b->last_status);
  PW_FUZZ_CHECK (g_strcmp0 (a->last_result, b->last_result) == 0);
  PW_FUZZ_CHECK (g_strcmp0 (a->last_code, b->last_code) == 0);
  PW_FUZZ_CHECK (g_strcmp0 (a->last_request_id, b->last_request_id) == 0);
  PW_FUZZ_CHECK (a->end_server_sec == b->end_server_sec);
  PW_FUZZ_CHECK (a->end_client_sec == b->end_client_sec);
}

/* Loads @text, which must load. */
static GPtrArray *
reparse (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) events = NULL;
  GPtrArray *sessions = NULL;

  if (!pw_state_file_parse (text, strlen (text), &sessions, &events, &error))
    pw_fuzz_fail (__FILE__, __LINE__, error->message);

  return sessions;
}

static void
check_duration_text (gint64 seconds)
{
  g_autofree char *text = pw_format_duration (seconds);

  /* The leading number (hours, or minutes under an hour) must be the
   * value's, not a wrapped one. */
  PW_FUZZ_CHECK (text != NULL && g_utf8_validate (text, -1, NULL));
  if (seconds >= 0)
    PW_FUZZ_CHECK (g_ascii_strtoll (text, NULL, 10) ==
                   (seconds >= 3600 ? seconds / 3600 : seconds / 60));
}

static void
check_event_log (JsonNode *events)
{
  g_autoptr (PwEventLog) log = pw_event_log_new (64);
  g_autoptr (PwEventLog) again = pw_event_log_new (64);
  g_autoptr (GOutputStream) jsonl = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) csv = g_memory_output_stream_new_resizable ();
  g_autoptr (JsonNode) saved = NULL;
  g_autoptr (GError) error = NULL;

  PW_FUZZ_CHECK (pw_event_log_load_json (log, events, &error));
  PW_FUZZ_CHECK (pw_event_log_export_jsonl (log, jsonl, NULL, &error));
  PW_FUZZ_CHECK (pw_event_log_export_csv (log, csv, NULL, &error));

  saved = pw_event_log_to_json (log);
  PW_FUZZ_CHECK (pw_event_log_load_json (again, saved, &error));
  PW_FUZZ_CHECK (g_list_model_get_n_items (G_LIST_MODEL (again)) ==
                 g_list_model_get_n_items (G_LIST_MODEL (log)));
}

/* What a start does with the sessions: restore them into a tracker, show
 * them, and save them again. */
static void
check_restore (GPtrArray *sessions)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  g_autoptr (PwTracker) tracker = pw_tracker_new (clock);
  g_autoptr (GPtrArray) saved = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  GListModel *model;
  guint expected = 0;
  guint restored;

  pw_fake_clock_set_real_offset (PW_FAKE_CLOCK (clock),
                                 G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  pw_tracker_add_connection (tracker, CONNECTION, client);
  for (guint i = 0; i < sessions->len; i++)
    {
      PwSavedSession *in = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (in->connection, CONNECTION) == 0)
        expected++;
    }

  restored = pw_tracker_restore (tracker, sessions, &error);
  PW_FUZZ_CHECK (restored == expected);
  PW_FUZZ_CHECK ((error != NULL) == (expected < sessions->len));

  model = pw_tracker_get_sessions (tracker);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (model, i);
      g_autofree char *drift = NULL;

      check_duration_text (pw_session_get_server_play_sec (session));
      check_duration_text (pw_session_get_end_server_sec (session));
      check_duration_text (pw_session_get_end_client_sec (session));
      check_duration_text (pw_tracker_get_client_play_sec (tracker, session));
      drift = pw_format_drift (pw_session_get_end_server_sec (session),
                               pw_session_get_end_client_sec (session));
      PW_FUZZ_CHECK (pw_session_state_get_label (pw_session_get_state (session)) != NULL);
      (void) pw_session_get_expiry_deadline_us (session);
      (void) pw_tracker_default_end_duration (tracker, session);
    }

  /* Saved again, it loads again. */
  saved = pw_tracker_dup_saved_sessions (tracker);
  text = pw_state_file_to_text (saved, NULL);
  loaded = reparse (text);
  PW_FUZZ_CHECK (loaded->len == saved->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *text = NULL;

  if (!pw_state_file_parse (size ? (const char *) data : NULL, size, &sessions, &events,
                            &error))
    {
      PW_FUZZ_CHECK (sessions == NULL && events == NULL);
      PW_FUZZ_CHECK (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
      PW_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  PW_FUZZ_CHECK (error == NULL && sessions != NULL);
  PW_FUZZ_CHECK (events == NULL || JSON_NODE_HOLDS_ARRAY (events));

  for (guint i = 0; i < sessions->len; i++)
    {
      PwSavedSession *saved = g_ptr_array_index (sessions, i);

      PW_FUZZ_CHECK (pw_identifier_is_valid ("session id", saved->session_id, NULL));
      PW_FUZZ_CHECK (pw_identifier_is_valid ("user id", saved->user_id, NULL));
      PW_FUZZ_CHECK (g_hash_table_add (seen, saved->session_id));
      PW_FUZZ_CHECK (pw_session_state_to_string (saved->state) != NULL);
    }

  /* What was loaded saves and loads back the same. */
  text = pw_state_file_to_text (sessions, NULL);
  again = reparse (text);
  PW_FUZZ_CHECK (again->len == sessions->len);
  for (guint i = 0; i < sessions->len; i++)
    check_same_session (g_ptr_array_index (sessions, i), g_ptr_array_index (again, i));

  if (events != NULL)
    check_event_log (events);

  check_restore (sessions);

  return 0;
}
