/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "pw-exchange-history.h"
#include "pw-scaled-clock.h"
#include "pw-state-file.h"
#include "pw-state-saver.h"
#include "pw-test-util.h"
#include "pw-tracker.h"

/* The fault and soak test (suite "soak", not part of a plain `meson test`):
 * 1,000 sessions tracked the way the window tracks them (tracker, event
 * log, exchange history, state saver; the log and the history with small
 * bounds, so they are full after the warm-up) against a real `playwave-sandbox`
 * process running ten times faster than real time, while the sandbox's
 * fault injection throws latency spikes (some past the client's timeout),
 * 5xx storms, dropped connections, bodies cut mid-way and a server that
 * accepts and never answers at it, phase after phase.
 *
 * Afterwards: no session forgotten (every one still tracked, the healthy
 * ones still active, none expired), each session's state what the
 * sandbox's own view says it must be, the state file loads with the same
 * states, every bounded structure within its bound, resident memory flat
 * after the warm-up cycle, and ending every session works.
 *
 * Protocol time is scaled, so the tracker's clock (PwScaledClock) and the
 * sandbox's (--time-scale) run at the same speed; the client's request
 * timeout, the rate limiter and the faults' latencies are real time.
 *
 * PW_SOAK_SECONDS sets the length (default and least 155 s: the warm-up,
 * the warm-up cycle, one measured cycle, the settling); the fault cycle
 * repeats until then. PW_SOAK_MAX_GROWTH_KIB bounds the
 * resident memory growth after the warm-up (default 6144). */

#define SCALE 10.0
#define N_SESSIONS 1000
#define KEY "soak-key-2f9e"
#define CONNECTION "soak"
#define TIMEOUT_MS 2000
#define WARMUP_SEC 10
#define CYCLE_SEC 60
#define PHASE_SEC 4
#define SETTLE_SEC 25
/* Small bounds, so both are full after the warm-up cycle and memory must
 * then stay flat; the app keeps 16 MiB and 5,000 rows. */
#define HISTORY_BUDGET (2 * 1024 * 1024)
#define MAX_EVENTS 100
#define SAMPLE_SEC 2

/* Kinds of sessions, by index. */
#define FIRST_CHARGED 900  /* 300 s of charge: exhausted, then ended */
#define FIRST_SILENT 940   /* launcher silent from the start */
#define FIRST_REPLACED 960 /* replaced by a newer session at REPLACE_SEC */
#define FIRST_UNKNOWN 980  /* never on the server: 404 */
#define REPLACE_SEC 8

typedef struct
{
  double seconds;
  guint rss_kib;
  guint sandbox_rss_kib;
} Sample;

typedef struct
{
  GSubprocess *server;
  char *base_url;
  char *control_url;
  SoupSession *control;

  PwClock *clock;
  PwClient *client;
  PwTracker *tracker;
  PwExchangeHistory *history;
  PwStateSaver *saver;
  char *state_dir;
  char *state_path;

  GMainLoop *loop;
  gint64 start_us;
  guint total_sec;
  guint n_cycles;
  int phase_done; /* the last fault phase started, as cycle * 5 + phase */
  gboolean faults_on;
  gboolean replaced;
  guint n_created;
  double next_sample;
  GArray *samples;
  guint rss_baseline_kib;
  guint n_saves_failed;
} Soak;

static double
elapsed (Soak *soak)
{
  return (g_get_monotonic_time () - soak->start_us) / (double) G_USEC_PER_SEC;
}

/* Resident memory of a process ("self" or a pid), from /proc. */
static guint
rss_kib_of (const char *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", process);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);

  return (guint) g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static guint
rss_kib (void)
{
  return rss_kib_of ("self");
}

static char *
session_id (guint i)
{
  return g_strdup_printf ("soak-%04u", i);
}

static char *
pc_id (guint i)
{
  return g_strdup_printf ("soak-pc-%04u", i);
}

/* A control request to the sandbox, synchronously: the tracker waits. */
static JsonNode *
control (Soak *soak, const char *method, const char *path, const char *body)
{
  g_autofree char *url = g_strconcat (soak->control_url, path, NULL);
  g_autoptr (SoupMessage) message = soup_message_new (method, url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *data;
  gsize size;

  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  answer = soup_session_send_and_read (soak->control, message, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (answer, &size);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    g_error ("%s %s: HTTP %u %.*s", method, path, soup_message_get_status (message),
             (int) size, data);

  if (size == 0)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, data, size, &error));
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static void
control_discard (Soak *soak, const char *method, const char *path, const char *body)
{
  g_autoptr (JsonNode) node = control (soak, method, path, body);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_server (Soak *soak)
{
  const char *program = g_getenv ("PLAYWAVE_SANDBOX");
  g_autofree char *scale = g_strdup_printf ("%g", SCALE);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (program);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* A failed check aborts this process: the sandbox must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  soak->server =
      g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0", "--api-key",
                                   KEY, "--time-scale", scale, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (soak->server));
  soak->base_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (soak->base_url);
  g_assert_true (g_str_has_suffix (soak->base_url, "/v1"));
  soak->control_url = g_strndup (soak->base_url, strlen (soak->base_url) - 3);
  soak->control = soup_session_new ();
}

/* A batch of sessions per tick, created on the sandbox and tracked at
 * once, with the main loop running in between: creating all of them first
 * would let the first ones age towards their expiry (protocol time runs
 * ten times faster) before their first heartbeat. */
static void
create_sessions (Soak *soak, guint n)
{
  for (guint end = MIN (soak->n_created + n, N_SESSIONS); soak->n_created < end;
       soak->n_created++)
    {
      guint i = soak->n_created;
      g_autofree char *id = session_id (i);
      g_autofree char *pc = pc_id (i);
      g_autofree char *user = g_strdup_printf ("%u", 10000 + i);
      g_autoptr (GError) error = NULL;

      /* From FIRST_UNKNOWN on, never created: the server says 404. */
      if (i < FIRST_UNKNOWN)
        {
          g_autofree char *body = g_strdup_printf (
              "{\"game_session_id\": \"%s\", \"provider_user_id\": \"%s\", "
              "\"pc_id\": \"%s\", \"charge_sec\": %d}",
              id, user, pc, i >= FIRST_CHARGED && i < FIRST_SILENT ? 300 : -1);

          control_discard (soak, "POST", "/_sandbox/sessions", body);
        }
      if (i >= FIRST_SILENT && i < FIRST_REPLACED)
        {
          g_autofree char *path = g_strdup_printf ("/_sandbox/launchers/%s/silence", pc);

          control_discard (soak, "POST", path, NULL);
        }

      g_assert_nonnull (
          pw_tracker_track (soak->tracker, id, user, CONNECTION, FALSE, &error));
      g_assert_no_error (error);
    }
}

static void
replace_sessions (Soak *soak)
{
  for (guint i = FIRST_REPLACED; i < FIRST_UNKNOWN; i++)
    {
      g_autofree char *pc = pc_id (i);
      g_autofree char *body = g_strdup_printf (
          "{\"game_session_id\": \"soak-new-%04u\", \"provider_user_id\": \"%u\", "
          "\"pc_id\": \"%s\"}",
          i, 20000 + i, pc);

      control_discard (soak, "POST", "/_sandbox/sessions", body);
    }
}

/* The faults of one phase, queued as many small faults so the kinds mix. */
static void
start_phase (Soak *soak, guint phase)
{
  static const char *const names[] = { "latency spikes", "5xx storm",
                                       "dropped connections", "cut bodies", "hang" };

  g_test_message ("%6.1f s: %s", elapsed (soak), names[phase]);

  switch (phase)
    {
      case 0:
        for (guint i = 0; i < 8; i++)
          {
            control_discard (soak, "POST", "/_sandbox/faults",
                             "{\"count\": 40, \"latency_ms\": 700}");
            /* past the client's 2 s timeout */
            control_discard (soak, "POST", "/_sandbox/faults",
                             "{\"count\": 10, \"latency_ms\": 2500}");
          }
        break;

      case 1:
        for (guint i = 0; i < 8; i++)
          {
            control_discard (soak, "POST", "/_sandbox/faults",
                             "{\"count\": 30, \"status\": 503}");
            control_discard (soak, "POST", "/_sandbox/faults",
                             "{\"count\": 10, \"status\": 500, \"body\": "
                             "\"<html><h1>500</h1></html>\", \"content_type\": "
                             "\"text/html\"}");
            control_discard (soak, "POST", "/_sandbox/faults",
                             "{\"count\": 10, \"status\": 502, \"latency_ms\": 300}");
          }
        break;

      case 2:
        control_discard (soak, "POST", "/_sandbox/faults",
                         "{\"count\": 1000000, \"drop\": true}");
        break;

      case 3:
        control_discard (soak, "POST", "/_sandbox/faults",
                         "{\"count\": 1000000, \"raw\": \"HTTP/1.1 200 OK\\r\\n"
                         "Content-Type: application/json\\r\\nContent-Length: 500\\r\\n"
                         "\\r\\n{\\\"success\\\": true, \\\"da\"}");
        break;

      case 4:
      default:
        control_discard (soak, "POST", "/_sandbox/faults",
                         "{\"count\": 1000000, \"hang\": true}");
        break;
    }

  soak->faults_on = TRUE;
}

static void
stop_faults (Soak *soak)
{
  control_discard (soak, "DELETE", "/_sandbox/faults", NULL);
  soak->faults_on = FALSE;
}

static void
sample_memory (Soak *soak)
{
  Sample sample = { elapsed (soak), rss_kib (),
                    rss_kib_of (g_subprocess_get_identifier (soak->server)) };

  g_array_append_val (soak->samples, sample);
  soak->next_sample += SAMPLE_SEC;
}

/* The timeline, checked four times a second. */
static gboolean
drive_cb (gpointer user_data)
{
  Soak *soak = user_data;
  double t;

  /* The timeline starts once every session is tracked. */
  if (soak->n_created < N_SESSIONS)
    {
      create_sessions (soak, 50);
      if (soak->n_created == N_SESSIONS)
        {
          soak->start_us = g_get_monotonic_time ();
          g_test_message ("%d sessions tracked", N_SESSIONS);
        }
      return G_SOURCE_CONTINUE;
    }

  t = elapsed (soak);

  if (t >= soak->next_sample)
    sample_memory (soak);

  if (!soak->replaced && t >= REPLACE_SEC)
    {
      replace_sessions (soak);
      soak->replaced = TRUE;
    }

  if (t >= WARMUP_SEC && t < WARMUP_SEC + soak->n_cycles * CYCLE_SEC)
    {
      double in_run = t - WARMUP_SEC;
      guint cycle = (guint) (in_run / CYCLE_SEC);
      double in_cycle = in_run - cycle * CYCLE_SEC;
      guint phase = (guint) (in_cycle / (CYCLE_SEC / 5));
      double in_phase = in_cycle - phase * (CYCLE_SEC / 5);
      int index = (int) (cycle * 5 + phase);

      if (in_phase < PHASE_SEC && index > soak->phase_done)
        {
          soak->phase_done = index;
          start_phase (soak, phase);
        }
      else if (in_phase >= PHASE_SEC && soak->faults_on)
        {
          stop_faults (soak);
        }

      /* The warm-up for the memory check is the first cycle: the
       * history and the event log fill up during it. */
      if (cycle == 1 && soak->rss_baseline_kib == 0)
        {
          soak->rss_baseline_kib = rss_kib ();
          g_test_message ("%6.1f s: resident memory after the warm-up cycle: %u KiB", t,
                          soak->rss_baseline_kib);
        }
    }
  else if (soak->faults_on)
    {
      stop_faults (soak);
    }

  if (t >= soak->total_sec)
    {
      g_main_loop_quit (soak->loop);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
collect_cb (GPtrArray **saved_sessions, JsonNode **events, gpointer user_data)
{
  Soak *soak = user_data;

  *saved_sessions = pw_tracker_dup_saved_sessions (soak->tracker);
  *events = pw_event_log_to_json (pw_tracker_get_events (soak->tracker));
}

static void
mark_dirty_cb (Soak *soak)
{
  pw_state_saver_mark_dirty (soak->saver);
}

static void
save_failed_cb (PwStateSaver *saver, Soak *soak)
{
  soak->n_saves_failed++;
}

/* What the tracker may say about a session, given the sandbox's view. */
static gboolean
state_agrees (guint i, JsonObject *server, PwSession *session, GString *why)
{
  PwSessionState state = pw_session_get_state (session);
  const char *server_state =
      server ? json_object_get_string_member (server, "state") : NULL;
  const char *reason = server && !json_object_get_null_member (server, "end_reason")
                           ? json_object_get_string_member (server, "end_reason")
                           : NULL;
  gboolean ok;

  if (i >= FIRST_UNKNOWN)
    ok = server == NULL && state == PW_SESSION_STATE_LOST;
  else if (server == NULL)
    ok = FALSE;
  else if (i >= FIRST_REPLACED)
    ok = g_strcmp0 (reason, "replaced") == 0 && state == PW_SESSION_STATE_REPLACED;
  else if (i >= FIRST_SILENT)
    ok = g_strcmp0 (reason, "launcher_silent") == 0 &&
         state == PW_SESSION_STATE_ENDED_BY_SERVER;
  else if (i >= FIRST_CHARGED)
    /* the 10 s ending window may be what the tracker saw last */
    ok = g_strcmp0 (reason, "charge_exhausted") == 0 &&
         (state == PW_SESSION_STATE_ENDED_BY_SERVER ||
          state == PW_SESSION_STATE_ENDING_BY_SERVER);
  else
    ok = g_strcmp0 (server_state, "active") == 0 && state == PW_SESSION_STATE_ACTIVE &&
         !pw_session_get_retrying (session);

  if (!ok)
    g_string_append_printf (
        why, "  %s: tracker %s%s, sandbox %s (%s)\n", pw_session_get_id (session),
        pw_session_state_to_string (state),
        pw_session_get_retrying (session) ? " retrying" : "",
        server_state ? server_state : "unknown", reason ? reason : "live");

  return ok;
}

static void
check_states (Soak *soak)
{
  g_autoptr (JsonNode) root = control (soak, "GET", "/_sandbox/sessions", NULL);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) why = g_string_new (NULL);
  JsonArray *list =
      json_object_get_array_member (json_node_get_object (root), "sessions");
  GListModel *sessions = pw_tracker_get_sessions (soak->tracker);
  guint n_wrong = 0;
  guint n_active = 0;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *object = json_array_get_object_element (list, i);

      g_hash_table_insert (
          by_id, (gpointer) json_object_get_string_member (object, "game_session_id"),
          object);
    }

  /* No session forgotten: all of them, in the order they were added. */
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, N_SESSIONS);
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);
      g_autofree char *id = session_id (i);

      g_assert_cmpstr (pw_session_get_id (session), ==, id);
      if (!state_agrees (i, g_hash_table_lookup (by_id, id), session, why))
        n_wrong++;
      if (pw_session_get_state (session) == PW_SESSION_STATE_ACTIVE)
        n_active++;
    }

  g_test_message ("%u sessions: %u active, %u states disagree with the sandbox",
                  N_SESSIONS, n_active, n_wrong);
  if (n_wrong > 0)
    g_error ("states that disagree with the sandbox:\n%s", why->str);
}

static void
check_state_file (Soak *soak)
{
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GPtrArray) now = pw_tracker_dup_saved_sessions (soak->tracker);
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;

  g_assert_true (pw_state_saver_flush (soak->saver, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (soak->n_saves_failed, ==, 0);

  g_assert_true (pw_state_file_load (soak->state_path, &loaded, &events, &moved, &error));
  g_assert_no_error (error);
  g_assert_null (moved);
  g_assert_cmpuint (loaded->len, ==, N_SESSIONS);
  g_assert_nonnull (events);
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      PwSavedSession *a = g_ptr_array_index (loaded, i);
      PwSavedSession *b = g_ptr_array_index (now, i);

      g_assert_cmpstr (a->session_id, ==, b->session_id);
      g_assert_cmpint (a->state, ==, b->state);
    }
}

static void
check_bounds (Soak *soak)
{
  PwEventLog *log = pw_tracker_get_events (soak->tracker);

  g_test_message ("event log: %u rows; exchange history: %u exchanges, %" G_GSIZE_FORMAT
                  " bytes (budget %d); client queue: %u waiting",
                  g_list_model_get_n_items (G_LIST_MODEL (log)),
                  pw_exchange_history_get_n_exchanges (soak->history),
                  pw_exchange_history_get_n_bytes (soak->history), HISTORY_BUDGET,
                  pw_client_get_queued (soak->client));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), <=, MAX_EVENTS);
  g_assert_cmpuint (pw_exchange_history_get_n_bytes (soak->history), <=, HISTORY_BUDGET);
  g_assert_cmpuint (pw_client_get_queued (soak->client), <=, N_SESSIONS);
}

static void
check_memory (Soak *soak)
{
  const char *limit_text = g_getenv ("PW_SOAK_MAX_GROWTH_KIB");
  guint limit = limit_text ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : 6144;
  guint peak_after = 0;
  guint last = 0;

  for (guint i = 0; i < soak->samples->len; i++)
    {
      Sample *sample = &g_array_index (soak->samples, Sample, i);

      g_test_message ("rss %6.1f s %u KiB (sandbox %u KiB)", sample->seconds,
                      sample->rss_kib, sample->sandbox_rss_kib);
      if (sample->seconds >= WARMUP_SEC + CYCLE_SEC)
        peak_after = MAX (peak_after, sample->rss_kib);
      last = sample->rss_kib;
    }

  g_test_message ("resident memory: %u KiB after the warm-up, %u KiB at the end, peak %u "
                  "KiB after the warm-up: growth %d KiB (limit %u)",
                  soak->rss_baseline_kib, last, peak_after,
                  (int) peak_after - (int) soak->rss_baseline_kib, limit);

#if defined(__SANITIZE_ADDRESS__)
  /* ASan's quarantine keeps freed memory resident on purpose. */
  g_test_message ("built with AddressSanitizer: memory growth not checked");
#else
  g_assert_cmpuint (soak->rss_baseline_kib, >, 0);
  g_assert_cmpint ((int) peak_after - (int) soak->rss_baseline_kib, <, (int) limit);
#endif
}

static void
end_all_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *counts = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_tracker_end_all_finish (PW_TRACKER (source), result, &counts[0],
                                            &counts[1], &error));
  g_assert_no_error (error);
  counts[2] = TRUE;
}

/* Ending every live session works after all that, and the sandbox agrees. */
static void
check_end_all (Soak *soak)
{
  g_autoptr (JsonNode) root = NULL;
  guint counts[3] = { 0, 0, FALSE };
  JsonArray *list;
  guint n_client_end = 0;

  pw_tracker_end_all_async (soak->tracker, PW_TRACKER_END_ALL_BUDGET_MS, NULL, end_all_cb,
                            counts);
  while (!counts[2])
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("end all: %u ended, %u failed", counts[0], counts[1]);
  g_assert_cmpuint (counts[0], ==, FIRST_CHARGED);
  g_assert_cmpuint (counts[1], ==, 0);

  root = control (soak, "GET", "/_sandbox/sessions", NULL);
  list = json_object_get_array_member (json_node_get_object (root), "sessions");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *object = json_array_get_object_element (list, i);

      if (!json_object_get_null_member (object, "end_reason") &&
          g_str_equal (json_object_get_string_member (object, "end_reason"),
                       "client_end"))
        n_client_end++;
    }
  g_assert_cmpuint (n_client_end, ==, FIRST_CHARGED);
}

static void
stop_server (Soak *soak)
{
  g_autoptr (JsonNode) stats = control (soak, "GET", "/_sandbox/stats", NULL);
  g_autoptr (GError) error = NULL;

  g_test_message (
      "sandbox: %" G_GINT64_FORMAT " API requests on %" G_GINT64_FORMAT " connections",
      json_object_get_int_member (json_node_get_object (stats), "requests"),
      json_object_get_int_member (json_node_get_object (stats), "connections"));

  /* The sandbox survived too: it exits cleanly on SIGTERM. */
  g_subprocess_send_signal (soak->server, SIGTERM);
  g_assert_true (g_subprocess_wait (soak->server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (soak->server));
  g_assert_cmpint (g_subprocess_get_exit_status (soak->server), ==, 0);
}

static void
test_faults_soak (void)
{
  const char *seconds_text = g_getenv ("PW_SOAK_SECONDS");
  Soak soak_data = { 0 };
  Soak *soak = &soak_data;
  g_autoptr (GError) error = NULL;

  soak->total_sec = seconds_text ? (guint) g_ascii_strtoull (seconds_text, NULL, 10) : 0;
  soak->total_sec = MAX (soak->total_sec, WARMUP_SEC + 2 * CYCLE_SEC + SETTLE_SEC);
  soak->n_cycles = (soak->total_sec - WARMUP_SEC - SETTLE_SEC) / CYCLE_SEC;
  soak->phase_done = -1;
  soak->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_test_message ("%u s: %u fault cycles of %d s", soak->total_sec, soak->n_cycles,
                  CYCLE_SEC);

  start_server (soak);

  soak->clock = pw_scaled_clock_new (SCALE);
  soak->client = pw_client_new (soak->base_url, KEY, &error);
  g_assert_no_error (error);
  pw_client_set_timeout_ms (soak->client, TIMEOUT_MS);
  soak->tracker = pw_tracker_new (soak->clock);
  pw_tracker_add_connection (soak->tracker, CONNECTION, soak->client);
  soak->history =
      pw_exchange_history_new (soak->tracker, PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION);
  pw_exchange_history_set_max_bytes (soak->history, HISTORY_BUDGET);
  pw_event_log_set_max_events (pw_tracker_get_events (soak->tracker), MAX_EVENTS);

  soak->state_dir = g_dir_make_tmp ("playwave-soak-XXXXXX", &error);
  g_assert_no_error (error);
  soak->state_path = g_build_filename (soak->state_dir, "state.json", NULL);
  soak->saver = pw_state_saver_new (soak->state_path, 1000, collect_cb, soak);
  g_signal_connect (soak->saver, "save-failed", G_CALLBACK (save_failed_cb), soak);
  g_signal_connect_swapped (soak->tracker, "changed", G_CALLBACK (mark_dirty_cb), soak);
  g_signal_connect_swapped (soak->tracker, "event", G_CALLBACK (mark_dirty_cb), soak);

  soak->loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (250, drive_cb, soak);
  g_main_loop_run (soak->loop);

  check_bounds (soak);
  check_states (soak);
  check_state_file (soak);
  check_memory (soak);
  check_end_all (soak);
  stop_server (soak);

  g_signal_handlers_disconnect_by_data (soak->tracker, soak);
  g_assert_finalize_object (soak->saver);
  g_assert_finalize_object (soak->history);
  g_assert_finalize_object (soak->tracker);
  g_assert_finalize_object (soak->client);
  g_assert_finalize_object (soak->clock);
  g_object_unref (soak->control);
  g_object_unref (soak->server);
  g_main_loop_unref (soak->loop);
  g_array_unref (soak->samples);

  g_assert_cmpint (g_remove (soak->state_path), ==, 0);
  g_assert_cmpint (g_rmdir (soak->state_dir), ==, 0);
  g_free (soak->state_path);
  g_free (soak->state_dir);
  g_free (soak->base_url);
  g_free (soak->control_url);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
drop_debug_cb (const char *domain,
               GLogLevelFlags level,
               const char *message,
               gpointer user_data)
{
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Thousands of reconnections would each log a few lines. */
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_debug_cb, NULL);

  g_test_add_func ("/soak/faults", test_faults_soak);

  return g_test_run ();
}
