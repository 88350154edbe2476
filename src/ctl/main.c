/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "pw-client.h"
#include "pw-ctl-connection.h"
#include "pw-ctl-oneshot.h"
#include "pw-ctl-output.h"
#include "pw-ctl-watch.h"
#include "pw-error.h"
#include "pw-session-file.h"

/* playwave-ctl: the command-line face of the core, for QA scripts and
 * terminals. Options may stand anywhere on the line; the first positional
 * argument is the command. */

static char *opt_base_url;
static char *opt_connection;
static gboolean opt_json;
/* TIMEOUT_UNSET: not given (the connection's, else 10 s) */
#define TIMEOUT_UNSET (-G_MAXDOUBLE)
static double opt_timeout = TIMEOUT_UNSET;
/* G_MININT64: not given */
static gint64 opt_duration = G_MININT64;
static int opt_retries = 3;
static char *opt_from;
static gboolean opt_verbose;
static gboolean opt_version;

static const GOptionEntry option_entries[] = {
  { "base-url", 0, 0, G_OPTION_ARG_STRING, &opt_base_url,
    N_ ("API base URL ending in /v1 (default: $PLAYWAVE_BASE_URL)"), N_ ("URL") },
  { "connection", 0, 0, G_OPTION_ARG_STRING, &opt_connection,
    N_ ("Use a connection stored in playwave-monitor’s Preferences (default: its "
        "default one, when no base URL is given)"),
    N_ ("NAME") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_ ("Print one JSON object per outcome instead of text"), NULL },
  { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_timeout,
    N_ ("Seconds to wait for each answer (default: the connection’s, else 10)"),
    N_ ("SEC") },
  { "duration", 0, 0, G_OPTION_ARG_INT64, &opt_duration,
    N_ ("end: client-measured play time to report"), N_ ("SEC") },
  { "retries", 0, 0, G_OPTION_ARG_INT, &opt_retries,
    N_ ("Retries after network or server failures, within 30 s (default: 3)"), N_ ("N") },
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &opt_from,
    N_ ("watch: read sessions from FILE (ID:USER lines, CSV or JSON)"), N_ ("FILE") },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
    N_ ("watch: also print every request and its answer on stderr"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_ ("Show the version and exit"),
    NULL },
  { NULL }
};

static int usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("playwave-ctl: %s\n", message);
  g_printerr (_ ("Try “playwave-ctl --help” for more information.\n"));

  return PW_CTL_EXIT_USAGE;
}

static PwClient *
make_client (int *exit_status)
{
  g_autoptr (GError) error = NULL;
  PwClient *client;

  client = pw_ctl_connection_make_client (opt_base_url, opt_connection,
                                          opt_timeout == TIMEOUT_UNSET ? -1 : opt_timeout,
                                          &error);
  if (client == NULL)
    *exit_status = usage_error ("%s", error->message);

  return client;
}

/* watch's sessions: --from FILE first, then the arguments, in order. */
static GPtrArray *
collect_sessions (char **specs, int *exit_status)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;

  if (opt_from != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (opt_from);

      entries = pw_session_file_load (file, NULL, &error);
      if (entries == NULL)
        {
          *exit_status = usage_error ("%s", error->message);
          return NULL;
        }
    }
  else
    {
      entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_session_entry_free);
    }

  for (guint i = 0; specs[i] != NULL; i++)
    {
      PwSessionEntry *entry = g_new0 (PwSessionEntry, 1);

      if (!pw_session_entry_parse_one (specs[i], &entry->session_id, &entry->user_id,
                                       &error))
        {
          pw_session_entry_free (entry);
          *exit_status = usage_error ("%s", error->message);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }

  if (entries->len == 0)
    {
      *exit_status =
          usage_error (_ ("watch needs sessions: SESSION_ID:USER_ID arguments or "
                          "--from FILE"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static const char *
summary (void)
{
  return _ (
      "Commands:\n"
      "  heartbeat SESSION_ID USER_ID   send one heartbeat and print the answer\n"
      "  end SESSION_ID [--duration SEC] end a session\n"
      "  watch [--from FILE] [SESSION_ID:USER_ID]…\n"
      "                                 heartbeat sessions until the server ends them;\n"
      "                                 Ctrl+C ends every active one\n"
      "\n"
      "The base URL comes from --base-url, PLAYWAVE_BASE_URL or a connection stored\n"
      "in playwave-monitor (--connection NAME, or its default one). The API key\n"
      "comes from PLAYWAVE_API_KEY, else from the keyring for a stored connection.\n"
      "\n"
      "Exit status: 0 done (for end, 404 and 409 count as done), 2 usage,\n"
      "3 session gone (404, 410, replaced), 4 key rejected (401, 403),\n"
      "5 network or server failure after retries, 6 protocol error.");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PwClient) client = NULL;
  g_auto (GStrv) args = NULL;
  const char *command;
  guint n_args;
  int status = 0;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  args = g_strdupv (argv);
  context = g_option_context_new (_ ("COMMAND [ARGUMENT…]"));
  g_option_context_set_summary (context,
                                _ ("Send PlayWave heartbeats and ends by hand."));
  g_option_context_set_description (context, summary ());
  g_option_context_add_main_entries (context, option_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &args, &error))
    return usage_error ("%s", error->message);

  if (opt_version)
    {
      g_print ("playwave-ctl %s\n", PACKAGE_VERSION);
      return 0;
    }

  n_args = g_strv_length (args);
  if (n_args < 2)
    return usage_error (_ ("No command given"));

  if (opt_timeout != TIMEOUT_UNSET && (opt_timeout < 0.1 || opt_timeout > 600))
    return usage_error (_ ("--timeout must be between 0.1 and 600 seconds"));
  if (opt_retries < 0 || opt_retries > 10)
    return usage_error (_ ("--retries must be between 0 and 10"));

  command = args[1];

  if (g_str_equal (command, "heartbeat"))
    {
      if (n_args != 4)
        return usage_error (_ ("Usage: playwave-ctl heartbeat SESSION_ID USER_ID"));
      if (opt_duration != G_MININT64)
        return usage_error (_ ("--duration is only for the end command"));
      if (opt_from != NULL)
        return usage_error (_ ("--from is only for the watch command"));
      if ((client = make_client (&status)) == NULL)
        return status;
      return pw_ctl_oneshot_run (client, PW_REQUEST_HEARTBEAT, args[2], args[3], -1,
                                 opt_retries, opt_json);
    }

  if (g_str_equal (command, "end"))
    {
      if (n_args != 3)
        return usage_error (_ ("Usage: playwave-ctl end SESSION_ID [--duration SEC]"));
      if (opt_duration != G_MININT64 && (opt_duration < 0 || opt_duration > G_MAXINT32))
        return usage_error (_ ("--duration must be a number of seconds, 0 or more"));
      if (opt_from != NULL)
        return usage_error (_ ("--from is only for the watch command"));
      if ((client = make_client (&status)) == NULL)
        return status;
      return pw_ctl_oneshot_run (client, PW_REQUEST_END, args[2], NULL,
                                 opt_duration == G_MININT64 ? -1 : opt_duration,
                                 opt_retries, opt_json);
    }

  if (g_str_equal (command, "watch"))
    {
      g_autoptr (GPtrArray) sessions = NULL;

      if (opt_duration != G_MININT64)
        return usage_error (_ ("--duration is only for the end command"));
      if ((sessions = collect_sessions (args + 2, &status)) == NULL)
        return status;
      if ((client = make_client (&status)) == NULL)
        return status;
      return pw_ctl_watch_run (client, sessions, opt_json, opt_verbose);
    }

  return usage_error (_ ("Unknown command “%s”"), command);
}
