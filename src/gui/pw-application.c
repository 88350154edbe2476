/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pw-application.h"
#include "pw-connection-store.h"
#include "pw-demo.h"
#include "pw-keyring.h"
#include "pw-exchange-history.h"
#include "pw-notifier.h"
#include "pw-resources.h"
#include "pw-session-file.h"
#include "pw-state-file.h"
#include "pw-preferences-window.h"
#include "pw-state-saver.h"
#include "pw-window.h"

/* The application owns the core objects (clock, tracker, one client per
 * connection, exchange history, state saver, the --sandbox server) and
 * the one window. It is single-instance: a second `playwave-monitor
 * --track …` hands its sessions to the running one, whose command_line
 * runs in the primary process and answers on the remote's stderr.
 *
 * Connections (pw-connection-manager.c): the stored ones from GSettings
 * with their keys from the keyring, plus one for this run only: the
 * sandbox's with --sandbox (then the stored ones are not used), or the
 * environment's ("environment") when --base-url or PLAYWAVE_BASE_URL is
 * given with PLAYWAVE_API_KEY; that one is the default for new sessions.
 *
 * Persistence: the tracker's sessions and event log are saved to
 * $XDG_STATE_HOME/playwave-monitor/state.json (or the "state-path"
 * property) at most every 2 s and on quit. With --sandbox nothing is
 * loaded or saved: those sessions belong to a server that dies with the
 * app. Otherwise the state is loaded once the keys have been looked up
 * (restored sessions are heartbeated at once and need them); sessions
 * given with --track meanwhile wait for that too. Saved sessions of a
 * connection that does not exist are kept and saved again.
 *
 * Quitting (Ctrl+Q, closing the window, SIGINT, SIGTERM): with the
 * "end-on-quit" setting on and live sessions, the window shows a progress
 * dialog while pw_tracker_end_all_async() ends them (30 s budget); then the
 * state is flushed and the app quits with status 0. A second SIGINT or
 * "Quit Now" skips the wait. */

#define STATE_SAVE_DELAY_MS 2000
#define SANDBOX_KEY "sandbox-key"

typedef enum
{
  QUIT_NONE,
  QUIT_ENDING,
  QUIT_DONE,
} QuitState;

struct _PwApplication
{
  AdwApplication parent_instance;

  PwClock *clock;
  char *state_path_override;

  GSettings *settings;
  PwTracker *tracker;
  PwConnectionStore *store;
  PwConnectionManager *connections;
  GPtrArray *pending_entries; /* PwSessionEntry, until the keys are known */
  GtkWindow *preferences;     /* weak */
  PwExchangeHistory *history;
  PwNotifier *notifier;
  PwStateSaver *saver;
  PwSandbox *sandbox;
  PwDemo *demo;
  char *state_path;
  char *server_label;
  char *connection_problem;
  GPtrArray *startup_messages;

  gboolean configured;
  QuitState quit_state;
  guint sigint_id;
  guint sigterm_id;
};

G_DEFINE_FINAL_TYPE (PwApplication, pw_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_CLOCK,
  PROP_STATE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Start a demo server in the app and track its demo sessions"), NULL },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The API base URL, ending in /v1 (default: $PLAYWAVE_BASE_URL)"), N_ ("URL") },
  { "track", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, N_ ("Track a session (repeatable)"),
    N_ ("SESSION_ID:USER_ID") },
  { "track-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_ ("Track the sessions listed in a file (one SESSION_ID:USER_ID per line, CSV or "
        "JSON)"),
    N_ ("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
  { NULL }
};

/* Helpers */

static void pw_application_present (PwApplication *self);

static PwWindow *
pw_application_get_window (PwApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (PW_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
pw_application_toast (PwApplication *self, const char *message)
{
  PwWindow *window = pw_application_get_window (self);

  if (window != NULL)
    pw_window_add_toast (window, message);
  else
    g_ptr_array_add (self->startup_messages, g_strdup (message));
}

static void
collect_state_cb (GPtrArray **saved_sessions, JsonNode **events, gpointer user_data)
{
  PwApplication *self = user_data;

  *saved_sessions = pw_connection_manager_dup_saved_sessions (self->connections);
  *events = pw_event_log_to_json (pw_tracker_get_events (self->tracker));
}

static void
mark_dirty_cb (PwApplication *self)
{
  if (self->saver != NULL)
    pw_state_saver_mark_dirty (self->saver);
}

static void
save_failed_cb (PwApplication *self)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_ ("Could not save the tracked sessions: %s"),
                             pw_state_saver_get_last_error (self->saver));
  g_printerr ("%s\n", message);
  pw_application_toast (self, message);
}

/* Loads the saved state into the tracker (a damaged file is moved aside,
 * reported as an event and a toast, and the app starts anyway), then saves
 * every change from now on. */
static void
pw_application_start_persistence (PwApplication *self)
{
  g_autoptr (GPtrArray) saved = NULL;
  g_autoptr (JsonNode) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved_aside = NULL;
  PwEventLog *log = pw_tracker_get_events (self->tracker);

  self->state_path = self->state_path_override != NULL
                         ? g_strdup (self->state_path_override)
                         : pw_state_file_default_path ();

  if (!pw_state_file_load (self->state_path, &saved, &events, &moved_aside, &error))
    {
      g_autoptr (PwEvent) event = NULL;
      g_autofree char *message = NULL;

      /* Translators: %s says what is wrong and where the file went */
      message = g_strdup_printf (_ ("The saved sessions could not be read: %s"),
                                 error->message);
      g_printerr ("%s\n", message);
      event = pw_event_new (pw_clock_get_real_us (self->clock), NULL, NULL,
                            PW_EVENT_STATE_FILE_DAMAGED, 0, NULL, NULL, message);
      pw_event_log_add (log, event);
      pw_application_toast (
          self, _ ("The saved sessions could not be read and were set aside"));
    }
  else
    {
      g_autoptr (GError) restore_error = NULL;

      if (events != NULL && !pw_event_log_load_json (log, events, &error))
        {
          g_printerr (_ ("Some saved events could not be read: %s\n"), error->message);
          g_clear_error (&error);
        }
      if (saved != NULL && saved->len > 0)
        pw_connection_manager_restore (self->connections, g_steal_pointer (&saved),
                                       &restore_error);
      if (restore_error != NULL)
        {
          g_printerr ("%s\n", restore_error->message);
          pw_application_toast (self, restore_error->message);
        }
    }

  self->saver =
      pw_state_saver_new (self->state_path, STATE_SAVE_DELAY_MS, collect_state_cb, self);
  g_signal_connect_object (self->saver, "save-failed", G_CALLBACK (save_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "changed", G_CALLBACK (mark_dirty_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tracker, "event", G_CALLBACK (mark_dirty_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pw_tracker_get_sessions (self->tracker), "items-changed",
                           G_CALLBACK (mark_dirty_cb), self, G_CONNECT_SWAPPED);
}

/* Tracks @entries on the default connection; returns how many, and
 * appends what went wrong to @problems. */
static guint
track_entries (PwApplication *self, GPtrArray *entries, GString *problems)
{
  const char *connection = pw_connection_manager_get_default_name (self->connections);
  guint n_tracked = 0;

  if (connection == NULL && entries->len > 0)
    {
      g_string_append (problems,
                       _ ("No connection is configured: add one in Preferences, "
                          "or set PLAYWAVE_BASE_URL and PLAYWAVE_API_KEY"));
      return 0;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      PwSessionEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GError) local_error = NULL;

      if (pw_tracker_track (self->tracker, entry->session_id, entry->user_id, connection,
                            FALSE, &local_error) != NULL)
        n_tracked++;
      else if (problems->len == 0)
        g_string_append (problems, local_error->message);
    }

  return n_tracked;
}

/* The keys are known: restore the saved sessions, then add those the
 * command line gave meanwhile. */
static void
connections_loaded_cb (PwApplication *self)
{
  g_autoptr (GPtrArray) entries = g_steal_pointer (&self->pending_entries);
  g_autoptr (GString) problems = g_string_new (NULL);

  if (!pw_connection_manager_get_loaded (self->connections))
    return;

  if (self->sandbox == NULL)
    pw_application_start_persistence (self);

  if (entries != NULL && entries->len > 0)
    {
      guint n = track_entries (self, entries, problems);

      if (problems->len > 0)
        {
          g_printerr ("%s\n", problems->str);
          pw_application_toast (self, problems->str);
        }
      else if (n > 0 && pw_application_get_window (self) != NULL)
        pw_application_present (self);
    }
}

static void
sessions_resumed_cb (PwApplication *self, const char *name, guint n)
{
  g_autofree char *message = g_strdup_printf (
      /* Translators: %u sessions, %s a connection's name */
      ngettext ("Heartbeats resumed for %u session of “%s”",
                "Heartbeats resumed for %u sessions of “%s”", n),
      n, name);

  pw_application_toast (self, message);
}

/* The connections of this run: --sandbox's alone, or the stored ones plus
 * the environment's. Only an explicit --base-url that is wrong is an error
 * (exit status 2); anything missing from the environment is explained in
 * the window instead. */
static gboolean
pw_application_configure (PwApplication *self,
                          gboolean sandbox,
                          const char *base_url_option,
                          GError **error)
{
  g_autofree char *base_url = NULL;
  g_autoptr (PwKey) key = NULL;
  g_autoptr (GError) local_error = NULL;

  if (self->configured)
    return TRUE;

  if (sandbox)
    {
      self->sandbox = pw_sandbox_new (NULL, SANDBOX_KEY);
      if (!pw_sandbox_listen (self->sandbox, 0, error))
        return FALSE;
      base_url = pw_sandbox_dup_base_url (self->sandbox);
      self->connections = pw_connection_manager_new (self->tracker, NULL, self->settings);
      if (pw_connection_manager_add_transient (self->connections, PW_CONNECTION_SANDBOX,
                                               base_url, SANDBOX_KEY, error) == NULL)
        return FALSE;
      /* Translators: shown in the window's subtitle with --sandbox */
      self->server_label = g_strdup (_ ("Sandbox"));
    }
  else
    {
      if (self->settings != NULL)
        self->store = pw_connection_store_new (self->settings);
      self->connections =
          pw_connection_manager_new (self->tracker, self->store, self->settings);

      base_url = g_strdup (base_url_option != NULL ? base_url_option
                                                   : g_getenv ("PLAYWAVE_BASE_URL"));
      key = pw_keyring_dup_environment_key ();
      if (base_url != NULL && *base_url != '\0' && key == NULL)
        self->connection_problem =
            g_strdup (_ ("PLAYWAVE_BASE_URL is set, but PLAYWAVE_API_KEY is not."));
      else if (base_url != NULL && *base_url != '\0' &&
               pw_connection_manager_add_transient (self->connections,
                                                    PW_CONNECTION_ENVIRONMENT, base_url,
                                                    key, &local_error) == NULL)
        {
          if (base_url_option != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          self->connection_problem = g_strdup (local_error->message);
        }
      else if (base_url != NULL && *base_url != '\0')
        {
          g_autoptr (GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

          self->server_label = g_strdup (uri != NULL ? g_uri_get_host (uri) : base_url);
        }
    }

  self->configured = TRUE;
  g_signal_connect_object (self->connections, "sessions-resumed",
                           G_CALLBACK (sessions_resumed_cb), self, G_CONNECT_SWAPPED);

  if (self->sandbox != NULL)
    {
      const char *extra = g_getenv ("PLAYWAVE_DEMO_EXTRA_SESSIONS");

      self->demo = pw_demo_new (self->sandbox, self->tracker, PW_CONNECTION_SANDBOX);
      pw_demo_start (self->demo,
                     extra != NULL ? (guint) g_ascii_strtoull (extra, NULL, 10) : 0);
    }

  g_signal_connect_object (self->connections, "notify::loaded",
                           G_CALLBACK (connections_loaded_cb), self, G_CONNECT_SWAPPED);
  pw_connection_manager_load (self->connections);

  return TRUE;
}

/* Reads --track and --track-file: every entry or none (a bad one is a
 * usage error). */
static GPtrArray *
collect_entries (GApplicationCommandLine *command_line,
                 GVariantDict *options,
                 GError **error)
{
  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_session_entry_free);
  g_autofree const char **tracks = NULL;
  g_autofree const char **files = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);

  if (!g_variant_dict_lookup (options, "track", "^a&s", &tracks))
    tracks = NULL;
  if (!g_variant_dict_lookup (options, "track-file", "^a&ay", &files))
    files = NULL;

  for (guint i = 0; tracks != NULL && tracks[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      PwSessionEntry *entry = g_new0 (PwSessionEntry, 1);

      entry->line = i + 1;
      if (!pw_session_entry_parse_one (tracks[i], &entry->session_id, &entry->user_id,
                                       &local_error))
        {
          /* Translators: --track with a bad value; %s: the value, %s: why */
          g_string_append_printf (problems, _ ("--track %s: %s\n"), tracks[i],
                                  local_error->message);
          pw_session_entry_free (entry);
          continue;
        }
      g_ptr_array_add (entries, entry);
    }

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr (GFile) file =
          g_application_command_line_create_file_for_arg (command_line, files[i]);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GPtrArray) loaded = pw_session_file_load (file, NULL, &local_error);
      g_autofree char *name = g_filename_display_name (files[i]);

      if (loaded == NULL)
        {
          g_string_append_printf (problems, _ ("--track-file %s: %s\n"), name,
                                  local_error->message);
          continue;
        }
      for (guint j = 0; j < loaded->len; j++)
        g_ptr_array_add (entries, g_steal_pointer (&g_ptr_array_index (loaded, j)));
      g_ptr_array_set_free_func (loaded, NULL);
    }

  if (problems->len > 0)
    {
      g_string_truncate (problems, problems->len - 1);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           problems->str);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void
pw_application_present (PwApplication *self)
{
  PwWindow *window = pw_application_get_window (self);

  if (self->quit_state != QUIT_NONE)
    return;

  if (window == NULL)
    {
      window = pw_window_new (GTK_APPLICATION (self), self->tracker, self->history);
      /* Desktop notifications only while the window is in the background. */
      g_object_bind_property (window, "is-active", self->notifier, "window-active",
                              G_BINDING_SYNC_CREATE);
      pw_window_set_connections (window, self->connections);
      pw_window_set_server_label (window, self->server_label);
      pw_window_set_connection_problem (window, self->connection_problem);
      for (guint i = 0; i < self->startup_messages->len; i++)
        pw_window_add_toast (window, g_ptr_array_index (self->startup_messages, i));
      g_ptr_array_set_size (self->startup_messages, 0);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
pw_application_finish_quit (PwApplication *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) windows = NULL;

  if (self->quit_state == QUIT_DONE)
    return;
  self->quit_state = QUIT_DONE;

  if (self->saver != NULL && !pw_state_saver_flush (self->saver, &error))
    g_printerr (_ ("Could not save the tracked sessions: %s\n"), error->message);

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

/* Callbacks */

static void
end_all_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PwApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n_ended = 0, n_failed = 0;

  if (!pw_tracker_end_all_finish (PW_TRACKER (object), result, &n_ended, &n_failed,
                                  &error))
    g_printerr (_ ("Could not end the sessions: %s\n"), error->message);
  else if (n_failed > 0)
    g_printerr (ngettext ("%u session could not be ended; see the event log.\n",
                          "%u sessions could not be ended; see the event log.\n",
                          n_failed),
                n_failed);

  pw_application_finish_quit (self);
  g_application_release (G_APPLICATION (self));
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  PwApplication *self = user_data;

  /* The first one ends the sessions, a second one does not wait. */
  if (self->quit_state == QUIT_ENDING)
    pw_application_finish_quit (self);
  else
    pw_application_request_quit (self);

  return G_SOURCE_CONTINUE;
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  pw_application_request_quit (PW_APPLICATION (user_data));
}

static void
quit_now_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  pw_application_finish_quit (PW_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PwApplication *self = PW_APPLICATION (user_data);
  const char *developers[] = { "PlayWave Tools contributors", NULL };
  GtkWidget *about;

  about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for", pw_application_get_window (self),
      "application-name", _ ("PlayWave Session Monitor"), "application-icon", APP_ID,
      "developer-name", _ ("PlayWave Tools"), "version", PACKAGE_VERSION, "website",
      "https://github.com/playwave-tools/session-monitor", "issue-url",
      "https://github.com/playwave-tools/session-monitor/issues", "license-type",
      GTK_LICENSE_GPL_3_0, "developers", developers,
      /* Translators: your names, one per line */
      "translator-credits", _ ("translator-credits"), "comments",
      _ ("Watch and drive PlayWave game sessions: heartbeats, ends, "
         "expiry and what the server answered."),
      "copyright", _ ("© 2026 PlayWave Tools contributors"), NULL);
  adw_about_window_add_link (ADW_ABOUT_WINDOW (about), _ ("_Documentation"),
                             "https://github.com/playwave-tools/session-monitor#readme");
  adw_about_window_add_link (
      ADW_ABOUT_WINDOW (about), _ ("_Sandbox and Test Server"),
      "https://github.com/playwave-tools/session-monitor/blob/main/docs/SANDBOX.md");
  gtk_window_present (GTK_WINDOW (about));
}

/* The default actions of desktop notifications (PwNotifier). */
static void
show_session_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PwApplication *self = PW_APPLICATION (user_data);
  PwWindow *window;

  pw_application_present (self);
  window = pw_application_get_window (self);
  if (window != NULL)
    pw_window_show_session (window, g_variant_get_string (parameter, NULL));
}

static void
show_events_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PwApplication *self = PW_APPLICATION (user_data);
  PwWindow *window;

  pw_application_present (self);
  window = pw_application_get_window (self);
  if (window != NULL)
    pw_window_show_events (window, g_variant_get_string (parameter, NULL));
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  pw_application_show_preferences (PW_APPLICATION (user_data));
}

static void
add_connection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *preferences = pw_application_show_preferences (PW_APPLICATION (user_data));

  if (preferences != NULL)
    pw_preferences_window_add_connection (PW_PREFERENCES_WINDOW (preferences));
}

/* The unauthorized banner's "How to Fix": the connection's key. */
static void
edit_connection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *preferences = pw_application_show_preferences (PW_APPLICATION (user_data));

  if (preferences != NULL)
    pw_preferences_window_edit_connection (PW_PREFERENCES_WINDOW (preferences),
                                           g_variant_get_string (parameter, NULL), TRUE);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "quit-now", quit_now_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
  { "show-session", show_session_activated, "s", NULL, NULL },
  { "show-events", show_events_activated, "s", NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "add-connection", add_connection_activated, NULL, NULL, NULL },
  { "edit-connection", edit_connection_activated, "s", NULL, NULL },
};

/* Overrides */

static int
pw_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("playwave-monitor %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
pw_application_startup (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *scheme = g_getenv ("PLAYWAVE_COLOR_SCHEME");

  /* The resources live in a static library, whose constructor the linker
   * may drop: register them before GtkApplication looks for
   * gtk/help-overlay.ui and AdwApplication for style.css. */
  g_resources_register (pw_get_resource ());

  G_APPLICATION_CLASS (pw_application_parent_class)->startup (application);

  /* For screenshots and testing: force the light or dark style
   * (libadwaita 1.2 has no environment variable for it). */
  if (g_strcmp0 (scheme, "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  else if (g_strcmp0 (scheme, "light") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  self->settings = pw_application_new_settings ();
  if (self->clock == NULL)
    self->clock = g_object_ref (pw_clock_get_default ());
  self->tracker = pw_tracker_new (self->clock);
  self->history =
      pw_exchange_history_new (self->tracker, PW_EXCHANGE_HISTORY_DEFAULT_PER_SESSION);
  self->notifier = pw_notifier_new (application, self->tracker);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "notifications", self->notifier, "enabled",
                     G_SETTINGS_BIND_GET);

  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
}

static void
pw_application_shutdown (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);

  if (self->saver != NULL && !pw_state_saver_flush (self->saver, &error))
    g_printerr (_ ("Could not save the tracked sessions: %s\n"), error->message);

  G_APPLICATION_CLASS (pw_application_parent_class)->shutdown (application);

  g_clear_object (&self->demo);
  g_clear_pointer (&self->pending_entries, g_ptr_array_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->store);
  g_clear_object (&self->saver);
  g_clear_object (&self->notifier);
  g_clear_object (&self->history);
  g_clear_object (&self->tracker);
  if (self->sandbox != NULL)
    pw_sandbox_disconnect (self->sandbox);
  g_clear_object (&self->sandbox);
}

static void
pw_application_activate (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);

  /* Started without a command line (D-Bus activation): the environment. */
  pw_application_configure (self, FALSE, NULL, NULL);
  pw_application_present (self);
}

static int
pw_application_command_line (GApplication *application,
                             GApplicationCommandLine *command_line)
{
  PwApplication *self = PW_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) skipped = g_string_new (NULL);
  const char *base_url = NULL;
  gboolean sandbox = FALSE;
  gboolean first = !self->configured;
  guint n_tracked = 0, n_skipped = 0;

  g_variant_dict_lookup (options, "sandbox", "b", &sandbox);
  g_variant_dict_lookup (options, "base-url", "&s", &base_url);

  entries = collect_entries (command_line, options, &error);
  if (entries == NULL)
    {
      g_application_command_line_printerr (command_line, "%s\n", error->message);
      if (!first)
        pw_application_toast (self,
                              _ ("Sessions from the command line were not added: see "
                                 "the terminal"));
      return 2;
    }

  if (first && !pw_application_configure (self, sandbox, base_url, &error))
    {
      g_application_command_line_printerr (command_line, "--base-url: %s\n",
                                           error->message);
      return 2;
    }
  else if (!first && (sandbox || base_url != NULL))
    {
      g_application_command_line_printerr (
          command_line, "%s\n",
          _ ("playwave-monitor is already running: --sandbox and --base-url only apply "
             "when "
             "it starts; the sessions go to the running window."));
    }

  /* The keys are still being looked up: these wait for the restore. */
  if (!pw_connection_manager_get_loaded (self->connections))
    {
      if (self->pending_entries == NULL)
        self->pending_entries =
            g_ptr_array_new_with_free_func ((GDestroyNotify) pw_session_entry_free);
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (self->pending_entries,
                         g_steal_pointer (&g_ptr_array_index (entries, i)));
      g_ptr_array_set_size (entries, 0);
    }
  else if (entries->len > 0 &&
           pw_connection_manager_get_default_name (self->connections) == NULL)
    {
      g_string_append (skipped, _ ("No connection is configured: add one in Preferences, "
                                   "or set PLAYWAVE_BASE_URL and PLAYWAVE_API_KEY"));
      g_application_command_line_printerr (command_line, "%s\n", skipped->str);
      n_skipped = entries->len;
    }
  else
    {
      const char *connection = pw_connection_manager_get_default_name (self->connections);

      for (guint i = 0; i < entries->len; i++)
        {
          PwSessionEntry *entry = g_ptr_array_index (entries, i);
          g_autoptr (GError) local_error = NULL;

          if (pw_tracker_track (self->tracker, entry->session_id, entry->user_id,
                                connection, FALSE, &local_error) != NULL)
            {
              n_tracked++;
              continue;
            }

          g_application_command_line_printerr (command_line, "%s\n",
                                               local_error->message);
          if (n_skipped++ == 0)
            g_string_append (skipped, local_error->message);
        }
    }

  pw_application_present (self);

  if (n_tracked > 0 && !first)
    {
      g_autofree char *message = g_strdup_printf (
          ngettext ("Added %u session from the command line",
                    "Added %u sessions from the command line", n_tracked),
          n_tracked);

      pw_application_toast (self, message);
    }
  if (n_skipped > 0)
    pw_application_toast (self, skipped->str);

  return 0;
}

static void
pw_application_dispose (GObject *object)
{
  PwApplication *self = (PwApplication *) object;

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  if (self->preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preferences),
                                  (gpointer *) &self->preferences);
  self->preferences = NULL;
  g_clear_object (&self->demo);
  g_clear_object (&self->saver);
  g_clear_object (&self->notifier);
  g_clear_object (&self->history);
  g_clear_pointer (&self->pending_entries, g_ptr_array_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->store);
  g_clear_object (&self->tracker);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pw_application_parent_class)->dispose (object);
}

static void
pw_application_finalize (GObject *object)
{
  PwApplication *self = (PwApplication *) object;

  g_free (self->state_path_override);
  g_free (self->state_path);
  g_free (self->server_label);
  g_free (self->connection_problem);
  g_ptr_array_unref (self->startup_messages);

  G_OBJECT_CLASS (pw_application_parent_class)->finalize (object);
}

static void
pw_application_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  PwApplication *self = PW_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        g_value_set_object (value, self->clock);
        break;

      case PROP_STATE_PATH:
        g_value_set_string (value, self->state_path_override);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_application_set_property (GObject *object,
                             guint prop_id,
                             const GValue *value,
                             GParamSpec *pspec)
{
  PwApplication *self = PW_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        self->clock = g_value_dup_object (value);
        break;

      case PROP_STATE_PATH:
        self->state_path_override = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_application_class_init (PwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pw_application_dispose;
  object_class->finalize = pw_application_finalize;
  object_class->get_property = pw_application_get_property;
  object_class->set_property = pw_application_set_property;
  application_class->handle_local_options = pw_application_handle_local_options;
  application_class->startup = pw_application_startup;
  application_class->shutdown = pw_application_shutdown;
  application_class->activate = pw_application_activate;
  application_class->command_line = pw_application_command_line;

  /**
   * PwApplication:clock:
   *
   * The clock of the tracker; %NULL for the system clock.
   */
  properties[PROP_CLOCK] = g_param_spec_object (
      "clock", NULL, NULL, PW_TYPE_CLOCK,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwApplication:state-path:
   *
   * Where to keep the tracked sessions; %NULL for
   * `$XDG_STATE_HOME/playwave-monitor/state.json`. Tests set it, since
   * GLib reads `XDG_STATE_HOME` only once per process.
   */
  properties[PROP_STATE_PATH] = g_param_spec_string (
      "state-path", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_application_init (PwApplication *self)
{
  self->startup_messages = g_ptr_array_new_with_free_func (g_free);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (
      G_APPLICATION (self),
      _ ("Watch and drive PlayWave game sessions. Connections and their API keys are "
         "set in Preferences; PLAYWAVE_BASE_URL (or --base-url) with PLAYWAVE_API_KEY "
         "adds one for this run, and PLAYWAVE_API_KEY overrides every stored key."));
}

/* Public API */

PwApplication *
pw_application_new (void)
{
  return g_object_new (PW_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, "resource-base-path",
                       "/io/github/playwave_tools/SessionMonitor", NULL);
}

/**
 * pw_application_get_tracker:
 *
 * Returns: (transfer none) (nullable): the tracker, from startup on
 */
PwTracker *
pw_application_get_tracker (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);

  return self->tracker;
}

/**
 * pw_application_get_sandbox:
 *
 * Returns: (transfer none) (nullable): the in-process server of --sandbox
 */
PwSandbox *
pw_application_get_sandbox (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);

  return self->sandbox;
}

/**
 * pw_application_get_connections:
 *
 * Returns: (transfer none) (nullable): the connections, once the command
 *   line has been read
 */
PwConnectionManager *
pw_application_get_connections (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);

  return self->connections;
}

/**
 * pw_application_show_preferences:
 *
 * Presents the Preferences window (one at a time).
 *
 * Returns: (transfer none) (nullable): it, or %NULL before the
 *   connections are set up
 */
GtkWindow *
pw_application_show_preferences (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);

  if (self->connections == NULL || self->quit_state != QUIT_NONE)
    return NULL;

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (
          pw_preferences_window_new (GTK_WINDOW (pw_application_get_window (self)),
                                     self->connections, self->settings));
      g_object_add_weak_pointer (G_OBJECT (self->preferences),
                                 (gpointer *) &self->preferences);
      /* One of the app's windows: quitting closes it too. */
      gtk_window_set_application (self->preferences, GTK_APPLICATION (self));
    }

  gtk_window_present (self->preferences);
  return self->preferences;
}

/**
 * pw_application_get_state_path:
 *
 * Returns: (nullable): the state file in use, %NULL when nothing is saved
 *   (--sandbox, or no server configured)
 */
const char *
pw_application_get_state_path (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);

  return self->saver != NULL ? self->state_path : NULL;
}

/**
 * pw_application_request_quit:
 *
 * Quits the way SPEC.md asks: with "end-on-quit" on and live sessions,
 * ends them first (within 30 s, progress in the window), then saves the
 * state and quits. Called by app.quit, the window's close button and
 * SIGINT/SIGTERM.
 */
void
pw_application_request_quit (PwApplication *self)
{
  GListModel *sessions;
  gboolean end_on_quit;
  guint n_live = 0;

  g_return_if_fail (PW_IS_APPLICATION (self));

  if (self->quit_state != QUIT_NONE)
    return;

  end_on_quit =
      self->settings == NULL || g_settings_get_boolean (self->settings, "end-on-quit");
  sessions = self->tracker != NULL ? pw_tracker_get_sessions (self->tracker) : NULL;
  for (guint i = 0; sessions != NULL && i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr (PwSession) session = g_list_model_get_item (sessions, i);
      PwSessionState state = pw_session_get_state (session);

      if (pw_session_state_is_live (state) || state == PW_SESSION_STATE_ENDING)
        n_live++;
    }

  if (!end_on_quit || n_live == 0)
    {
      pw_application_finish_quit (self);
      return;
    }

  self->quit_state = QUIT_ENDING;
  g_application_hold (G_APPLICATION (self));
  if (pw_application_get_window (self) != NULL)
    pw_window_show_ending_progress (pw_application_get_window (self), n_live);
  pw_tracker_end_all_async (self->tracker, PW_TRACKER_END_ALL_BUDGET_MS, NULL,
                            end_all_done_cb, g_object_ref (self));
}

/**
 * pw_application_new_settings:
 *
 * Returns: (transfer full) (nullable): the app's settings, or %NULL when
 *   the schema is not installed (running from the build folder without
 *   `meson devenv`): everything then uses the defaults.
 */
GSettings *
pw_application_new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}
