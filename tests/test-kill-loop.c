/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "pw-sandbox.h"
#include "pw-scaled-clock.h"
#include "pw-state-file.h"
#include "pw-state-saver.h"
#include "pw-tracker.h"

/* The kill loop (suite "soak"): a child process tracks a few thousand
 * sessions against an in-process sandbox and saves its state with the
 * app's PwStateSaver over and over, the way the window does on every
 * change; the parent SIGKILLs it at random moments (a third of them at
 * any time, a third during a save, a third while the save's temporary
 * file is being written), and checks each time that the
 * state file loads (or is still absent, if no save ever finished): never
 * damaged, never half of one, every session and the event log there, and
 * restorable into a tracker.
 *
 * PW_KILL_ROUNDS sets the number of kills (default 30). */

#define N_SESSIONS 3000
#define KEY "kill-key-5c1d"
#define CONNECTION "kill"

typedef struct
{
  PwTracker *tracker;
  PwStateSaver *saver;
  guint n_saves;
} Child;

static void
collect_cb (GPtrArray **saved_sessions, JsonNode **events, gpointer user_data)
{
  Child *child = user_data;

  *saved_sessions = pw_tracker_dup_saved_sessions (child->tracker);
  *events = pw_event_log_to_json (pw_tracker_get_events (child->tracker));
}

/* One save after another, with the tracker's traffic in between. */
static gboolean
save_cb (gpointer user_data)
{
  Child *child = user_data;
  g_autoptr (GError) error = NULL;

  printf ("saving %u\n", ++child->n_saves);
  fflush (stdout);

  pw_state_saver_mark_dirty (child->saver);
  if (!pw_state_saver_flush (child->saver, &error))
    g_error ("save failed: %s", error->message);

  return G_SOURCE_CONTINUE;
}

static int
run_child (const char *path)
{
  g_autoptr (PwClock) clock = pw_scaled_clock_new (20.0);
  g_autoptr (PwSandbox) sandbox = pw_sandbox_new (clock, KEY);
  g_autoptr (PwClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base_url = NULL;
  Child child = { 0 };

  if (!pw_sandbox_listen (sandbox, 0, &error))
    g_error ("%s", error->message);
  base_url = pw_sandbox_dup_base_url (sandbox);
  client = pw_client_new (base_url, KEY, &error);
  g_assert_no_error (error);

  child.tracker = pw_tracker_new (clock);
  pw_tracker_add_connection (child.tracker, CONNECTION, client);

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autofree char *id = g_strdup_printf ("kill-%05u", i);
      g_autofree char *user = g_strdup_printf ("%u", 50000 + i);
      g_autofree char *pc = g_strdup_printf ("kill-pc-%05u", i);
      g_autofree char *created = NULL;

      /* Some with little charge, some unknown: the states keep moving. */
      if (i % 10 != 9)
        created =
            pw_sandbox_create_session (sandbox, id, user, pc, i % 10 == 0 ? 30 : -1);
      if (pw_tracker_track (child.tracker, id, user, CONNECTION, i % 50 == 0, &error) ==
          NULL)
        g_error ("%s", error->message);
    }

  child.saver = pw_state_saver_new (path, 0, collect_cb, &child);
  g_idle_add (save_cb, &child);

  for (;;)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint
count_temp_files (const char *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "state.json."))
      n++;

  return n;
}

/* Reads lines from the child until it announces save number @n. */
static void
wait_for_save (GDataInputStream *out, guint n)
{
  g_autofree char *expected = g_strdup_printf ("saving %u", n);

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line); /* the child must not die on its own */
      if (g_str_equal (line, expected))
        return;
    }
}

static void
check_loads (const char *path, guint *n_absent)
{
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autoptr (PwEventLog) log = pw_event_log_new (PW_EVENT_LOG_DEFAULT_MAX_EVENTS);
  g_autoptr (PwClock) clock = pw_clock_new ();
  g_autoptr (PwTracker) tracker = pw_tracker_new (clock);
  g_autoptr (PwClient) client = pw_client_new ("http://127.0.0.1:9/v1", KEY, NULL);

  g_assert_true (pw_state_file_load (path, &loaded, &events, &moved, &error));
  g_assert_no_error (error);
  g_assert_null (moved);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* killed before the first save finished */
      g_assert_cmpuint (loaded->len, ==, 0);
      (*n_absent)++;
      return;
    }

  g_assert_cmpuint (loaded->len, ==, N_SESSIONS);
  g_assert_nonnull (events);
  g_assert_true (pw_event_log_load_json (log, events, &error));
  g_assert_no_error (error);

  pw_tracker_add_connection (tracker, CONNECTION, client);
  g_assert_cmpuint (pw_tracker_restore (tracker, loaded, &error), ==, N_SESSIONS);
  g_assert_no_error (error);
}

static void
test_kill_loop (void)
{
  const char *rounds_text = g_getenv ("PW_KILL_ROUNDS");
  guint rounds = rounds_text ? (guint) g_ascii_strtoull (rounds_text, NULL, 10) : 30;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("playwave-kill-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  guint n_mid_write = 0;
  guint n_absent = 0;

  g_assert_no_error (error);
  g_assert_nonnull (self);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* If a check fails here, the child must not go on saving forever. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr (GSubprocess) child = NULL;
      g_autoptr (GDataInputStream) out = NULL;

      child = g_subprocess_launcher_spawn (launcher, &error, self, "--child", path, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* Real time on purpose: the moment of the kill is what varies. A
       * third at any moment, a third during a save, a third as soon as
       * the save's temporary file shows up, in the middle of writing. */
      switch (round % 3)
        {
          case 0:
            g_usleep ((gulong) g_test_rand_int_range (0, 1500) * 1000);
            break;

          case 1:
            wait_for_save (out, (guint) g_test_rand_int_range (1, 6));
            g_usleep ((gulong) g_test_rand_int_range (0, 50) * 1000);
            break;

          case 2:
          default:
            wait_for_save (out, (guint) g_test_rand_int_range (1, 6));
            for (guint i = 0; i < 2000 && count_temp_files (dir) == 0; i++)
              g_usleep (100);
            break;
        }

      g_subprocess_force_exit (child);
      g_assert_true (g_subprocess_wait (child, NULL, &error));
      g_assert_no_error (error);
      /* It was killed: it did not exit or crash on its own first. */
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      if (count_temp_files (dir) > 0)
        n_mid_write++;

      check_loads (path, &n_absent);
      /* Loading removed what the killed save left behind. */
      g_assert_cmpuint (count_temp_files (dir), ==, 0);
    }

  g_test_message ("%u kills: %u in the middle of writing the file, %u before the first "
                  "save; the file always loaded",
                  rounds, n_mid_write, n_absent);

  g_remove (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/soak/kill-loop", test_kill_loop);

  return g_test_run ();
}
