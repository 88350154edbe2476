/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pw-application.h"
#include "pw-window-private.h"

/* The window with many tracked sessions, as `playwave-monitor --base-url
 * URL --track-file FILE` runs it (the real PwApplication: persistence,
 * settings, one window), measured from inside; benchmarks/bench-window.py
 * starts the sandbox and runs this under Xvfb. Phases:
 *
 *   load    until every session of the file has had its first answer
 *   idle    --idle-seconds with nothing to do (no input, no heartbeat due:
 *           the first round is over and the second has not begun): the
 *           process's CPU time (CLOCK_PROCESS_CPUTIME_ID, every thread)
 *   scroll  --scroll-seconds of programmatic scrolling: a tick callback
 *           moves the list's vertical adjustment by --px-per-frame each
 *           frame, bouncing at the ends. For every frame of the window's
 *           GdkFrameClock, the time from its "before-paint" signal to the
 *           end of its "after-paint" (update with the tick callbacks,
 *           layout, paint: the work of the frame), and the interval between
 *           the frames' frame times (gdk_frame_timings_get_frame_time()); the
 *           work is taken both in wall time and in the main thread's CPU
 *           time (CLOCK_THREAD_CPUTIME_ID), which a busy machine does not
 *           inflate
 *   steady  --steady-seconds afterwards, with the second round of
 *           heartbeats going on: CPU time and heartbeats
 *
 * Resident memory (VmRSS, VmHWM) comes from /proc/self/status. Prints one
 * JSON object on stdout, then quits without ending the sessions. */

typedef enum
{
  PHASE_LOAD,
  PHASE_SETTLE,
  PHASE_IDLE,
  PHASE_SCROLL,
  PHASE_STEADY,
  PHASE_DONE,
} Phase;

typedef struct
{
  PwApplication *app;
  PwWindow *window;
  PwTracker *tracker;
  Phase phase;

  guint expected;
  guint exchanges;
  gint64 started_us;
  double first_round_s;

  double phase_cpu_s;
  gint64 phase_start_us;
  guint phase_exchanges;

  double idle_cpu_percent;
  guint idle_exchanges;
  double steady_cpu_percent;
  guint steady_exchanges;
  gint64 rss_idle_kib;
  gint64 rss_anon_idle_kib;
  gint64 rss_file_idle_kib;
  gint64 rss_gl_idle_kib;
  gint64 rss_scrolled_kib;
  gint64 rss_steady_kib;
  double heap_used_steady_mib;
  double heap_free_steady_mib;

  GdkFrameClock *frame_clock;
  gulong before_paint_id;
  gulong after_paint_id;
  guint tick_id;
  gint64 paint_start_us;
  gint64 paint_start_cpu_us;
  gint64 last_frame_time_us;
  gint64 refresh_interval_us;
  GArray *frame_work_us;
  GArray *frame_cpu_us;
  GArray *frame_interval_us;
  double direction;
  double travelled_px;
} Bench;

static int opt_idle_seconds = 30;
static int opt_scroll_seconds = 10;
static int opt_steady_seconds = 60;
static int opt_px_per_frame = 100;
static int opt_sessions = 0;
static char *opt_state_dir = NULL;

static const GOptionEntry option_entries[] = {
  { "sessions", 0, 0, G_OPTION_ARG_INT, &opt_sessions, "Sessions in the track file",
    "N" },
  { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &opt_idle_seconds, "Idle phase", "S" },
  { "scroll-seconds", 0, 0, G_OPTION_ARG_INT, &opt_scroll_seconds, "Scroll phase", "S" },
  { "steady-seconds", 0, 0, G_OPTION_ARG_INT, &opt_steady_seconds, "Steady phase", "S" },
  { "px-per-frame", 0, 0, G_OPTION_ARG_INT, &opt_px_per_frame, "Scroll speed", "PX" },
  { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_state_dir, "Where state.json goes",
    "DIR" },
  { NULL }
};

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The main thread's CPU time: the frame's work without the time spent
 * waiting for a CPU on a busy machine. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64
status_kib (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;
}

/* Resident memory of Mesa's software OpenGL (llvmpipe: libLLVM and the
 * swrast DRI driver), which GDK loads under Xvfb even with the cairo
 * renderer; a desktop with a GPU loads its own driver instead. */
static gint64
software_gl_kib (void)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean in_gl = FALSE;
  gint64 total = 0;

  if (!g_file_get_contents ("/proc/self/smaps", &text, NULL, NULL))
    return -1;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL && strchr (line, ' '))
        in_gl = strstr (line, "libLLVM") != NULL || strstr (line, "_dri.so") != NULL;
      else if (in_gl && g_str_has_prefix (line, "Rss:"))
        total += g_ascii_strtoll (line + 4, NULL, 10);
    }

  return total;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *values, double p)
{
  guint index;

  if (values->len == 0)
    return -1;
  index = MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));
  return g_array_index (values, gint64, index);
}

static double
share_below (GArray *values, gint64 limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    if (g_array_index (values, gint64, i) < limit)
      n++;
  return values->len ? 100.0 * n / values->len : 0;
}

static void
start_phase (Bench *bench, Phase phase)
{
  bench->phase = phase;
  bench->phase_cpu_s = cpu_seconds ();
  bench->phase_start_us = g_get_monotonic_time ();
  bench->phase_exchanges = bench->exchanges;
}

static double
phase_cpu_percent (Bench *bench)
{
  double wall = (g_get_monotonic_time () - bench->phase_start_us) / 1e6;

  return 100.0 * (cpu_seconds () - bench->phase_cpu_s) / wall;
}

static void
print_report (Bench *bench)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (bench->window));

  g_array_sort (bench->frame_work_us, compare_gint64);
  g_array_sort (bench->frame_interval_us, compare_gint64);
  g_array_sort (bench->frame_cpu_us, compare_gint64);

  printf ("{\"sessions\": %u, \"first_round_s\": %.1f, "
          "\"idle_cpu_percent\": %.3f, \"idle_seconds\": %d, \"idle_heartbeats\": %u, "
          "\"rss_idle_mib\": %.1f, \"rss_scrolled_mib\": %.1f, \"rss_steady_mib\": %.1f, "
          "\"rss_peak_mib\": %.1f, \"rss_anon_idle_mib\": %.1f, "
          "\"heap_used_steady_mib\": %.1f, \"heap_free_steady_mib\": %.1f, "
          "\"rss_file_idle_mib\": %.1f, \"rss_software_gl_idle_mib\": %.1f, "
          "\"frames\": %u, \"scroll_seconds\": %d, \"px_per_frame\": %d, "
          "\"travelled_px\": %.0f, \"refresh_interval_us\": %" G_GINT64_FORMAT ", "
          "\"frame_work_median_us\": %" G_GINT64_FORMAT
          ", \"frame_work_p95_us\": %" G_GINT64_FORMAT
          ", \"frame_work_max_us\": %" G_GINT64_FORMAT
          ", \"frames_under_16ms_percent\": %.1f, "
          "\"frame_cpu_median_us\": %" G_GINT64_FORMAT
          ", \"frame_cpu_p95_us\": %" G_GINT64_FORMAT
          ", \"frame_cpu_max_us\": %" G_GINT64_FORMAT
          ", \"frames_cpu_under_16ms_percent\": %.1f, "
          "\"frame_interval_median_us\": %" G_GINT64_FORMAT
          ", \"frame_interval_p95_us\": %" G_GINT64_FORMAT
          ", \"steady_cpu_percent\": %.3f, \"steady_seconds\": %d, "
          "\"steady_heartbeats\": %u, \"renderer\": \"%s\"}\n",
          bench->expected, bench->first_round_s, bench->idle_cpu_percent,
          opt_idle_seconds, bench->idle_exchanges, bench->rss_idle_kib / 1024.0,
          bench->rss_scrolled_kib / 1024.0, bench->rss_steady_kib / 1024.0,
          status_kib ("VmHWM:") / 1024.0, bench->rss_anon_idle_kib / 1024.0,
          bench->heap_used_steady_mib, bench->heap_free_steady_mib,
          bench->rss_file_idle_kib / 1024.0, bench->rss_gl_idle_kib / 1024.0,
          bench->frame_work_us->len, opt_scroll_seconds, opt_px_per_frame,
          bench->travelled_px, bench->refresh_interval_us,
          percentile (bench->frame_work_us, 0.5), percentile (bench->frame_work_us, 0.95),
          percentile (bench->frame_work_us, 1.0),
          share_below (bench->frame_work_us, 16000),
          percentile (bench->frame_cpu_us, 0.5), percentile (bench->frame_cpu_us, 0.95),
          percentile (bench->frame_cpu_us, 1.0), share_below (bench->frame_cpu_us, 16000),
          percentile (bench->frame_interval_us, 0.5),
          percentile (bench->frame_interval_us, 0.95), bench->steady_cpu_percent,
          opt_steady_seconds, bench->steady_exchanges,
          renderer ? G_OBJECT_TYPE_NAME (renderer) : "none");
  fflush (stdout);
}

static void
before_paint_cb (GdkFrameClock *clock, Bench *bench)
{
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);
  /* The timings of a frame are complete a frame or two later. */
  GdkFrameTimings *timings =
      gdk_frame_clock_get_timings (clock, gdk_frame_clock_get_frame_counter (clock) - 2);

  bench->paint_start_us = g_get_monotonic_time ();
  bench->paint_start_cpu_us = thread_cpu_us ();
  if (timings != NULL && gdk_frame_timings_get_refresh_interval (timings) > 0)
    bench->refresh_interval_us = gdk_frame_timings_get_refresh_interval (timings);
  if (bench->last_frame_time_us != 0)
    {
      gint64 interval = frame_time - bench->last_frame_time_us;

      g_array_append_val (bench->frame_interval_us, interval);
    }
  bench->last_frame_time_us = frame_time;
}

static void
after_paint_cb (GdkFrameClock *clock, Bench *bench)
{
  gint64 work = g_get_monotonic_time () - bench->paint_start_us;
  gint64 cpu = thread_cpu_us () - bench->paint_start_cpu_us;

  if (bench->paint_start_us != 0)
    {
      g_array_append_val (bench->frame_work_us, work);
      g_array_append_val (bench->frame_cpu_us, cpu);
    }
  bench->paint_start_us = 0;
}

static gboolean
scroll_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Bench *bench = user_data;
  GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));
  double value = gtk_adjustment_get_value (adjustment);
  double top =
      gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  double next = value + bench->direction * opt_px_per_frame;

  if (next >= top || next <= 0)
    {
      bench->direction = -bench->direction;
      next = CLAMP (next, 0, top);
    }
  bench->travelled_px += ABS (next - value);
  gtk_adjustment_set_value (adjustment, next);

  return G_SOURCE_CONTINUE;
}

static void
start_scrolling (Bench *bench)
{
  GtkWidget *scrolled = GTK_WIDGET (bench->window->scrolled_window);

  bench->frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));
  bench->before_paint_id = g_signal_connect (bench->frame_clock, "before-paint",
                                             G_CALLBACK (before_paint_cb), bench);
  bench->after_paint_id = g_signal_connect_after (bench->frame_clock, "after-paint",
                                                  G_CALLBACK (after_paint_cb), bench);
  bench->direction = 1;
  bench->tick_id = gtk_widget_add_tick_callback (scrolled, scroll_tick_cb, bench, NULL);
}

static void
stop_scrolling (Bench *bench)
{
  gtk_widget_remove_tick_callback (GTK_WIDGET (bench->window->scrolled_window),
                                   bench->tick_id);
  g_clear_signal_handler (&bench->before_paint_id, bench->frame_clock);
  g_clear_signal_handler (&bench->after_paint_id, bench->frame_clock);
}

static void
quit (Bench *bench)
{
  g_autoptr (GSettings) settings = pw_application_new_settings ();

  /* The sandbox is the script's: leave its sessions alone. */
  g_settings_set_boolean (settings, "end-on-quit", FALSE);
  pw_application_request_quit (bench->app);
}

/* Once a second: moves from phase to phase. */
static gboolean
step_cb (gpointer user_data)
{
  Bench *bench = user_data;
  double elapsed = (g_get_monotonic_time () - bench->phase_start_us) / 1e6;

  switch (bench->phase)
    {
      case PHASE_LOAD:
        if (bench->exchanges >= bench->expected)
          {
            bench->first_round_s = (g_get_monotonic_time () - bench->started_us) / 1e6;
            start_phase (bench, PHASE_SETTLE);
          }
        else if (elapsed > 600)
          {
            g_printerr ("bench-window: the first round did not complete (%u of %u)\n",
                        bench->exchanges, bench->expected);
            exit (1);
          }
        break;

      case PHASE_SETTLE:
        if (elapsed >= 3)
          start_phase (bench, PHASE_IDLE);
        break;

      case PHASE_IDLE:
        if (elapsed >= opt_idle_seconds)
          {
            bench->idle_cpu_percent = phase_cpu_percent (bench);
            bench->idle_exchanges = bench->exchanges - bench->phase_exchanges;
            bench->rss_idle_kib = status_kib ("VmRSS:");
            bench->rss_anon_idle_kib = status_kib ("RssAnon:");
            bench->rss_file_idle_kib = status_kib ("RssFile:") + status_kib ("RssShmem:");
            bench->rss_gl_idle_kib = software_gl_kib ();
            if (g_getenv ("BENCH_WINDOW_SMAPS") != NULL)
              {
                g_autofree char *smaps = NULL;

                g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL);
                g_file_set_contents (g_getenv ("BENCH_WINDOW_SMAPS"), smaps, -1, NULL);
              }
            start_phase (bench, PHASE_SCROLL);
            start_scrolling (bench);
          }
        break;

      case PHASE_SCROLL:
        if (elapsed >= opt_scroll_seconds)
          {
            stop_scrolling (bench);
            bench->rss_scrolled_kib = status_kib ("VmRSS:");
            start_phase (bench, PHASE_STEADY);
          }
        break;

      case PHASE_STEADY:
        if (elapsed >= opt_steady_seconds)
          {
            bench->steady_cpu_percent = phase_cpu_percent (bench);
            bench->steady_exchanges = bench->exchanges - bench->phase_exchanges;
            bench->rss_steady_kib = status_kib ("VmRSS:");
            {
              struct mallinfo2 info = mallinfo2 ();

              /* In use, and held by malloc but free (fragmentation). */
              bench->heap_used_steady_mib = (info.uordblks + info.hblkhd) / 1048576.0;
              bench->heap_free_steady_mib = info.fordblks / 1048576.0;
            }
            print_report (bench);
            bench->phase = PHASE_DONE;
            quit (bench);
            return G_SOURCE_REMOVE;
          }
        break;

      case PHASE_DONE:
      default:
        return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
exchange_cb (PwTracker *tracker, PwSession *session, PwExchange *exchange, Bench *bench)
{
  bench->exchanges++;
}

static void
window_added_cb (GtkApplication *app, GtkWindow *window, Bench *bench)
{
  if (!PW_IS_WINDOW (window) || bench->window != NULL)
    return;

  bench->window = PW_WINDOW (window);
  bench->tracker = pw_application_get_tracker (bench->app);
  g_signal_connect (bench->tracker, "exchange", G_CALLBACK (exchange_cb), bench);
  gtk_window_set_default_size (window, 1280, 900);
  start_phase (bench, PHASE_LOAD);
  g_timeout_add_seconds (1, step_cb, bench);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("URL TRACK-FILE");
  g_autoptr (GError) error = NULL;
  g_autoptr (PwApplication) app = NULL;
  g_autofree char *state_path = NULL;
  Bench bench = { 0 };
  int status;

  g_option_context_add_main_entries (context, option_entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3 ||
      opt_sessions <= 0 || opt_state_dir == NULL)
    {
      g_printerr ("usage: bench-window --sessions N --state-dir DIR [--idle-seconds S] "
                  "[--scroll-seconds S] [--steady-seconds S] [--px-per-frame PX] URL "
                  "TRACK-FILE\n%s\n",
                  error ? error->message : "");
      return 2;
    }

  {
    const char *app_argv[] = { "playwave-monitor", "--base-url", argv[1],
                               "--track-file",     argv[2],      NULL };

    state_path = g_build_filename (opt_state_dir, "state.json", NULL);
    bench.expected = opt_sessions;
    bench.frame_work_us = g_array_new (FALSE, FALSE, sizeof (gint64));
    bench.frame_interval_us = g_array_new (FALSE, FALSE, sizeof (gint64));
    bench.frame_cpu_us = g_array_new (FALSE, FALSE, sizeof (gint64));
    bench.started_us = g_get_monotonic_time ();

    app = g_object_new (PW_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                        G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE,
                        "state-path", state_path, NULL);
    bench.app = app;
    g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), &bench);
    status = g_application_run (G_APPLICATION (app), 5, (char **) app_argv);
  }

  g_array_unref (bench.frame_work_us);
  g_array_unref (bench.frame_interval_us);
  g_array_unref (bench.frame_cpu_us);
  return bench.phase == PHASE_DONE ? status : 1;
}
