/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pw-sandbox.h"
#include "pw-scaled-clock.h"

/* playwave-sandbox: a PlayWave API server on loopback for QA, the tests and
 * anyone who wants to see every session state without a real backend. The
 * first line on stdout is the base URL, so scripts can read it; everything
 * meant for people goes to stderr. */

#define EXIT_USAGE 2
#define DEFAULT_API_KEY "sandbox-key"

static int opt_port;
static char *opt_api_key;
static double opt_time_scale = 1.0;
static gboolean opt_demo;

static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port,
    N_ ("TCP port on 127.0.0.1 (default: 0, any free port)"), N_ ("PORT") },
  { "api-key", 'k', 0, G_OPTION_ARG_STRING, &opt_api_key,
    N_ ("API key requests must carry (default: $PLAYWAVE_API_KEY or “sandbox-key”)"),
    N_ ("KEY") },
  { "time-scale", 's', 0, G_OPTION_ARG_DOUBLE, &opt_time_scale,
    N_ ("Run protocol time this many times faster than real time (default: 1)"),
    N_ ("X") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo,
    N_ ("Create demo sessions that show every state within a few minutes"), NULL },
  { NULL }
};

static int
usage_error (const char *message)
{
  g_printerr ("playwave-sandbox: %s\n", message);
  g_printerr (_ ("Try “playwave-sandbox --help” for more information.\n"));

  return EXIT_USAGE;
}

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static void
print_hint (const char *base_url, const char *api_key)
{
  g_autofree char *root = g_strndup (base_url, strlen (base_url) - strlen ("/v1"));

  g_printerr (
      /* Translators: the commands and JSON must stay as they are. */
      _ ("PlayWave sandbox listening. Create a session, then heartbeat it:\n"
         "  curl -s -X POST %s/_sandbox/sessions -d '{\"provider_user_id\": \"42\"}'\n"
         "  curl -s -X PATCH %s/game/session/heartbeat -H 'X-Api-Key: %s' \\\n"
         "       -d '{\"game_session_id\": \"ID\", \"provider_user_id\": \"42\"}'\n"
         "Press Ctrl+C to stop.\n"),
      root, base_url, api_key);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PwClock) clock = NULL;
  g_autoptr (PwSandbox) sandbox = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *base_url = NULL;
  const char *api_key;
  guint sigint_id;
  guint sigterm_id;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("A local PlayWave API server for testing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (argc > 1)
    return usage_error (_ ("This program takes no arguments besides options"));
  if (opt_port < 0 || opt_port > G_MAXUINT16)
    return usage_error (_ ("The port must be between 0 and 65535"));
  if (!(opt_time_scale > 0.0 && opt_time_scale <= 1e6))
    return usage_error (
        _ ("The time scale must be a number above 0 and at most 1000000"));

  api_key = opt_api_key;
  if (api_key == NULL || *api_key == '\0')
    api_key = g_getenv ("PLAYWAVE_API_KEY");
  if (api_key == NULL || *api_key == '\0')
    api_key = DEFAULT_API_KEY;

  /* At scale 1 the scaled clock is the system clock, and it keeps one code
   * path whatever the option says. */
  clock = pw_scaled_clock_new (opt_time_scale);
  sandbox = pw_sandbox_new (clock, api_key);
  if (!pw_sandbox_listen (sandbox, (guint16) opt_port, &error))
    {
      g_printerr (_ ("playwave-sandbox: cannot listen on port %d: %s\n"), opt_port,
                  error->message);
      return EXIT_FAILURE;
    }

  base_url = pw_sandbox_dup_base_url (sandbox);
  g_print ("%s\n", base_url);

  if (opt_demo)
    {
      g_auto (GStrv) lines = pw_sandbox_add_demo_sessions (sandbox);

      /* The session file format, so `tail -n +2` gives playwave-ctl's --from. */
      for (guint i = 0; lines[i] != NULL; i++)
        g_print ("%s\n", lines[i]);
    }
  fflush (stdout);

  print_hint (base_url, api_key);
  if (opt_demo)
    g_printerr (
        _ ("Demo: gs_demo-charge-60s runs out of charge after 60 s, gs_demo-replaced was "
           "replaced by gs_demo-replacer, and the launcher of gs_demo-launcher-silent "
           "stopped: its heartbeats fail after 4 minutes.\n"));

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  pw_sandbox_disconnect (sandbox);
  g_clear_pointer (&opt_api_key, g_free);

  return EXIT_SUCCESS;
}
