/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pw-gui-test-util.h"
#include "pw-application.h"
#include "pw-connection-dialog.h"
#include "pw-keyring.h"
#include "pw-preferences-window.h"
#include "pw-resources.h"
#include "pw-test-util.h"
#include "pw-window.h"

/* Preferences and the connection dialog, driven as a user would (typing
 * into the rows, clicking Save, Test, Remove, the default radio), against
 * a real manager: GSettings' memory backend, a private keyring (libsecret's
 * file backend) and the sandbox over loopback. Then the application's
 * hooks: Ctrl+comma, the "No Server Configured" page's button and the key
 * banner's "How to Fix". Runs under Xvfb. */

#define USER "555"
#define WRONG_KEY "wrong-key-000"

typedef struct
{
  SandboxFixture base;
  GSettings *settings;
  PwConnectionStore *store;
  PwTracker *tracker;
  PwConnectionManager *manager;
  PwPreferencesWindow *window;
} PrefsFixture;

/* Helpers */

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

#define DIALOG_CHILD(dialog, name) child (dialog, PW_TYPE_CONNECTION_DIALOG, name)
#define PREFS_CHILD(window, name) child (window, PW_TYPE_PREFERENCES_WINDOW, name)

static void
loaded_cb (GObject *object, GParamSpec *pspec, gboolean *loaded)
{
  *loaded = TRUE;
}

static void
prefs_set_up (PrefsFixture *fixture, gconstpointer data)
{
  gboolean loaded = FALSE;

  sandbox_fixture_set_up (&fixture->base, data);
  g_unsetenv ("PLAYWAVE_API_KEY");
  fixture->settings = test_settings_new ();
  fixture->store = pw_connection_store_new (fixture->settings);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->manager =
      pw_connection_manager_new (fixture->tracker, fixture->store, fixture->settings);
  g_signal_connect (fixture->manager, "notify::loaded", G_CALLBACK (loaded_cb), &loaded);
  pw_connection_manager_load (fixture->manager);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_func (fixture->manager, loaded_cb, &loaded);
}

static void
open_window (PrefsFixture *fixture)
{
  fixture->window = PW_PREFERENCES_WINDOW (
      pw_preferences_window_new (NULL, fixture->manager, fixture->settings));
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_iterate ();
}

static void
prefs_tear_down (PrefsFixture *fixture, gconstpointer data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      g_assert_finalize_object (fixture->window);
    }
  gui_iterate ();
  g_unsetenv ("PLAYWAVE_API_KEY");
  g_assert_finalize_object (fixture->manager);
  g_assert_finalize_object (fixture->tracker);
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->settings);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();
  sandbox_fixture_tear_down (&fixture->base, data);
}

/* What a click does, at once (gtk_widget_activate() on a button clicks
 * it only after a 250 ms press animation). */
static void
click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (gpointer editable, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static gboolean
sensitive (PwConnectionDialog *dialog, const char *name)
{
  return gtk_widget_get_sensitive (DIALOG_CHILD (dialog, name));
}

/* The message under the fields, or NULL when hidden. */
static const char *
field_error (PwConnectionDialog *dialog)
{
  GtkLabel *label = DIALOG_CHILD (dialog, "field_error_label");

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* Clicks Save (or Add) and waits until the dialog has closed. */
static void
save_and_wait (PrefsFixture *fixture, PwConnectionDialog *dialog)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (sensitive (dialog, "save_button"));
  click (DIALOG_CHILD (dialog, "save_button"));
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();
}

static PwConnectionDialog *
open_add_dialog (PrefsFixture *fixture)
{
  PwConnectionDialog *dialog;

  pw_preferences_window_add_connection (fixture->window);
  dialog = pw_preferences_window_get_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_true (pw_connection_dialog_is_adding (dialog));
  gui_iterate ();

  return dialog;
}

typedef struct
{
  gboolean done;
  char *key;
} Lookup;

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  g_autoptr (GError) error = NULL;

  lookup->key = pw_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  lookup->done = TRUE;
}

static char *
lookup_key (const char *name)
{
  Lookup lookup = { 0 };

  pw_keyring_lookup_async (name, NULL, looked_up_cb, &lookup);
  spin_until (&lookup.done);

  return lookup.key;
}

static void
cleared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (pw_keyring_clear_finish (result, NULL));
  *done = TRUE;
}

static void
clear_key (const char *name)
{
  gboolean done = FALSE;

  pw_keyring_clear_async (name, NULL, cleared_cb, &done);
  spin_until (&done);
}

static guint
n_rows (PrefsFixture *fixture)
{
  GtkWidget *list = PREFS_CHILD (fixture->window, "connection_list");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_object_get_data (G_OBJECT (row), "pw-connection"))
      n++;

  return n;
}

static GtkWidget *
row_for (PrefsFixture *fixture, const char *name)
{
  GtkWidget *list = PREFS_CHILD (fixture->window, "connection_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      PwConnection *connection = g_object_get_data (G_OBJECT (row), "pw-connection");

      if (connection != NULL && g_str_equal (pw_connection_get_name (connection), name))
        return row;
    }

  g_assert_not_reached ();
}

static PwSession *
track_new (PrefsFixture *fixture, const char *connection)
{
  static guint n_pcs;
  g_autofree char *pc = g_strdup_printf ("pc-%u", ++n_pcs);
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc, -1);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  session = pw_tracker_track (fixture->tracker, id, USER, connection, FALSE, &error);
  g_assert_no_error (error);

  return session;
}

/* Finds an open AdwMessageDialog, the newest first. */
static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = ADW_MESSAGE_DIALOG (window);
    }

  return found;
}

/* The "default-connection" key as stored. */
static void
assert_stored_default (PrefsFixture *fixture, const char *expected)
{
  g_autofree char *stored =
      g_settings_get_string (fixture->settings, "default-connection");

  g_assert_cmpstr (stored, ==, expected);
}

/* Tests */

static void
test_new_destroy (PrefsFixture *fixture, gconstpointer data)
{
  open_window (fixture);
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_assert_false (
      gtk_widget_get_visible (PREFS_CHILD (fixture->window, "environment_group")));
}

static void
test_add_connection (PrefsFixture *fixture, gconstpointer data)
{
  g_autofree char *stored = NULL;
  PwConnectionDialog *dialog;
  PwConnection *connection;
  PwSession *session;

  open_window (fixture);
  dialog = open_add_dialog (fixture);
  g_assert_false (sensitive (dialog, "save_button"));

  set_text (DIALOG_CHILD (dialog, "name_row"), "  local  ");
  set_text (DIALOG_CHILD (dialog, "url_row"), fixture->base.base_url);
  gtk_spin_button_set_value (DIALOG_CHILD (dialog, "timeout_spin"), 7);
  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  g_assert_null (field_error (dialog));
  save_and_wait (fixture, dialog);

  /* Stored (name trimmed), listed, the default, with its key in the keyring. */
  connection = pw_connection_store_lookup (fixture->store, "local");
  g_assert_nonnull (connection);
  g_assert_cmpuint (pw_connection_get_timeout (connection), ==, 7);
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "local");
  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_assert_cmpint (pw_connection_get_key_state (connection), ==, PW_KEY_STATE_KEYRING);
  stored = lookup_key ("local");
  g_assert_cmpstr (stored, ==, TEST_API_KEY);
  g_assert_true (gtk_check_button_get_active (
      g_object_get_data (G_OBJECT (row_for (fixture, "local")), "pw-default-check")));

  /* And it works at once. */
  session = track_new (fixture, "local");
  settle_tracker (fixture->tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (
      pw_client_get_timeout_ms (pw_tracker_get_client (fixture->tracker, "local")), ==,
      7000);

  clear_key ("local");
}

static void
test_validation (PrefsFixture *fixture, gconstpointer data)
{
  PwConnectionDialog *dialog;
  GtkWidget *url_row;

  g_assert_true (
      pw_connection_store_add (fixture->store, "prod", "https://a.example/v1", 0, NULL));
  open_window (fixture);
  dialog = open_add_dialog (fixture);
  url_row = DIALOG_CHILD (dialog, "url_row");

  /* A new connection starts with "https://" and no complaint about it. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, "https://");
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_assert_null (field_error (dialog));
  g_assert_false (sensitive (dialog, "save_button"));

  set_text (DIALOG_CHILD (dialog, "name_row"), "eu");
  /* As typed: each step says what is wrong. */
  set_text (url_row, "http://api.example.com/v1");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_assert_nonnull (strstr (field_error (dialog), "https://"));
  g_assert_false (sensitive (dialog, "save_button"));
  set_text (url_row, "https://api.example.com");
  g_assert_nonnull (strstr (field_error (dialog), "/v1"));
  set_text (url_row, "https://api.example.com/v1");
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_assert_null (field_error (dialog));
  g_assert_true (sensitive (dialog, "save_button"));

  /* Taken and reserved names. */
  set_text (DIALOG_CHILD (dialog, "name_row"), "prod");
  g_assert_nonnull (strstr (field_error (dialog), "already"));
  g_assert_false (sensitive (dialog, "save_button"));
  set_text (DIALOG_CHILD (dialog, "name_row"), "environment");
  g_assert_nonnull (field_error (dialog));
  g_assert_false (sensitive (dialog, "save_button"));

  /* A key that cannot go into a header; the message never quotes it. */
  set_text (DIALOG_CHILD (dialog, "name_row"), "eu");
  set_text (DIALOG_CHILD (dialog, "key_row"), "two words");
  g_assert_nonnull (field_error (dialog));
  g_assert_null (strstr (field_error (dialog), "two words"));
  g_assert_false (sensitive (dialog, "save_button"));
  g_assert_false (sensitive (dialog, "test_button"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_iterate ();
  g_assert_null (pw_connection_store_lookup (fixture->store, "eu"));
}

static void
test_edit_connection (PrefsFixture *fixture, gconstpointer data)
{
  g_autoptr (PwSandbox) second = pw_sandbox_new (fixture->base.clock, TEST_API_KEY);
  g_autoptr (GError) error = NULL;
  g_autofree char *second_url = NULL;
  g_autofree char *key = NULL;
  PwConnectionDialog *dialog;
  PwConnection *connection;

  g_assert_true (pw_sandbox_listen (second, 0, &error));
  second_url = pw_sandbox_dup_base_url (second);
  g_assert_true (
      pw_connection_store_add (fixture->store, "prod", fixture->base.base_url, 0, NULL));
  connection = pw_connection_store_lookup (fixture->store, "prod");
  open_window (fixture);

  /* Activating the row opens its dialog: the name is fixed, the key empty. */
  g_signal_emit_by_name (PREFS_CHILD (fixture->window, "connection_list"),
                         "row-activated", row_for (fixture, "prod"));
  dialog = pw_preferences_window_get_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_false (pw_connection_dialog_is_adding (dialog));
  g_assert_false (sensitive (dialog, "name_row"));
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "url_row")), ==,
                   fixture->base.base_url);
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "key_row")), ==, "");
  g_assert_true (gtk_widget_get_visible (DIALOG_CHILD (dialog, "remove_button")));
  /* No key anywhere yet: nothing to test with. */
  g_assert_false (sensitive (dialog, "test_button"));

  set_text (DIALOG_CHILD (dialog, "url_row"), second_url);
  gtk_spin_button_set_value (DIALOG_CHILD (dialog, "timeout_spin"), 30);
  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  save_and_wait (fixture, dialog);

  g_assert_cmpstr (pw_connection_get_base_url (connection), ==, second_url);
  g_assert_cmpuint (pw_connection_get_timeout (connection), ==, 30);
  g_assert_cmpstr (
      pw_client_get_base_url (pw_tracker_get_client (fixture->tracker, "prod")), ==,
      second_url);
  key = lookup_key ("prod");
  g_assert_cmpstr (key, ==, TEST_API_KEY);

  /* Editing again without typing a key keeps the stored one. */
  pw_preferences_window_edit_connection (fixture->window, "prod", FALSE);
  dialog = pw_preferences_window_get_dialog (fixture->window);
  g_assert_true (sensitive (dialog, "test_button"));
  set_text (DIALOG_CHILD (dialog, "url_row"), fixture->base.base_url);
  save_and_wait (fixture, dialog);
  g_clear_pointer (&key, g_free);
  key = lookup_key ("prod");
  g_assert_cmpstr (key, ==, TEST_API_KEY);
  g_assert_cmpint (pw_connection_get_key_state (connection), ==, PW_KEY_STATE_KEYRING);

  pw_sandbox_disconnect (second);
  clear_key ("prod");
}

static void
test_remove_connection (PrefsFixture *fixture, gconstpointer data)
{
  g_autofree char *key = NULL;
  g_autofree char *gone = NULL;
  PwConnectionDialog *dialog;
  AdwMessageDialog *message;
  PwSession *session;

  g_assert_true (
      pw_connection_store_add (fixture->store, "prod", fixture->base.base_url, 0, NULL));
  open_window (fixture);
  pw_preferences_window_edit_connection (fixture->window, "prod", FALSE);
  dialog = pw_preferences_window_get_dialog (fixture->window);
  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  save_and_wait (fixture, dialog);
  key = lookup_key ("prod");
  g_assert_cmpstr (key, ==, TEST_API_KEY);

  session = track_new (fixture, "prod");
  settle_tracker (fixture->tracker);

  /* A live session: refused, with the reason. */
  pw_preferences_window_edit_connection (fixture->window, "prod", FALSE);
  dialog = pw_preferences_window_get_dialog (fixture->window);
  click (DIALOG_CHILD (dialog, "remove_button"));
  gui_iterate ();
  message = find_message_dialog ();
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "live"));
  g_assert_false (adw_message_dialog_has_response (message, "remove"));
  gtk_window_destroy (GTK_WINDOW (message));
  gui_iterate ();
  g_assert_nonnull (pw_connection_store_lookup (fixture->store, "prod"));

  /* Once it is over: asked, then removed with its key and its session. */
  g_assert_true (pw_tracker_end_session (fixture->tracker, pw_session_get_id (session),
                                         PW_TRACKER_DURATION_AUTO));
  settle_tracker (fixture->tracker);
  click (DIALOG_CHILD (dialog, "remove_button"));
  gui_iterate ();
  message = find_message_dialog ();
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "1 finished session"));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (message, "remove");
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
  gui_iterate ();

  g_assert_null (pw_connection_store_lookup (fixture->store, "prod"));
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (pw_tracker_get_sessions (fixture->tracker)),
                    ==, 0);
  gone = lookup_key ("prod");
  g_assert_null (gone);
}

static void
test_default (PrefsFixture *fixture, gconstpointer data)
{
  GtkCheckButton *a, *b;

  g_assert_true (
      pw_connection_store_add (fixture->store, "a", "https://a.example/v1", 0, NULL));
  g_assert_true (
      pw_connection_store_add (fixture->store, "b", "https://b.example/v1", 0, NULL));
  open_window (fixture);
  a = g_object_get_data (G_OBJECT (row_for (fixture, "a")), "pw-default-check");
  b = g_object_get_data (G_OBJECT (row_for (fixture, "b")), "pw-default-check");
  g_assert_true (gtk_check_button_get_active (a));
  g_assert_false (gtk_check_button_get_active (b));

  /* Clicking the radio makes it the default. */
  gtk_widget_activate (GTK_WIDGET (b));
  gui_iterate ();
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "b");
  assert_stored_default (fixture, "b");
  g_assert_false (gtk_check_button_get_active (a));

  /* A change made elsewhere shows. */
  g_assert_true (pw_connection_store_set_default (fixture->store, "a", NULL));
  gui_iterate ();
  g_assert_true (gtk_check_button_get_active (a));
  g_assert_false (gtk_check_button_get_active (b));
}

static const char *
test_state (PwConnectionDialog *dialog)
{
  return gtk_stack_get_visible_child_name (DIALOG_CHILD (dialog, "test_icon_stack"));
}

static void
wait_for_test (PwConnectionDialog *dialog)
{
  while (g_str_equal (test_state (dialog), "busy"))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_test_connection (PrefsFixture *fixture, gconstpointer data)
{
  PwConnectionDialog *dialog;
  AdwActionRow *test_row;

  open_window (fixture);
  dialog = open_add_dialog (fixture);
  test_row = DIALOG_CHILD (dialog, "test_row");
  set_text (DIALOG_CHILD (dialog, "name_row"), "local");
  set_text (DIALOG_CHILD (dialog, "url_row"), fixture->base.base_url);
  g_assert_false (sensitive (dialog, "test_button"));

  /* The right key: the sandbox answers 404 for the made-up session. */
  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  click (DIALOG_CHILD (dialog, "test_button"));
  g_assert_cmpstr (test_state (dialog), ==, "busy");
  wait_for_test (dialog);
  g_assert_cmpstr (test_state (dialog), ==, "accepted");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "404"));

  /* A wrong one: 401. */
  set_text (DIALOG_CHILD (dialog, "key_row"), WRONG_KEY);
  click (DIALOG_CHILD (dialog, "test_button"));
  wait_for_test (dialog);
  g_assert_cmpstr (test_state (dialog), ==, "rejected");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "401"));
  g_assert_null (strstr (adw_action_row_get_subtitle (test_row), WRONG_KEY));

  /* Nothing was stored by testing. */
  g_assert_null (pw_connection_store_lookup (fixture->store, "local"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_iterate ();
}

static void
test_general (PrefsFixture *fixture, gconstpointer data)
{
  GtkSwitch *end_on_quit, *notifications;
  GtkAdjustment *timeout;

  open_window (fixture);
  end_on_quit = PREFS_CHILD (fixture->window, "end_on_quit_switch");
  notifications = PREFS_CHILD (fixture->window, "notifications_switch");
  timeout = PREFS_CHILD (fixture->window, "timeout_adjustment");

  g_assert_true (gtk_switch_get_active (end_on_quit));
  g_assert_true (gtk_switch_get_active (notifications));
  g_assert_cmpfloat (gtk_adjustment_get_value (timeout), ==, 10);

  gtk_switch_set_active (end_on_quit, FALSE);
  gtk_switch_set_active (notifications, FALSE);
  gtk_adjustment_set_value (timeout, 25);
  g_assert_false (g_settings_get_boolean (fixture->settings, "end-on-quit"));
  g_assert_false (g_settings_get_boolean (fixture->settings, "notifications"));
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "request-timeout"), ==, 25);

  g_settings_set_boolean (fixture->settings, "end-on-quit", TRUE);
  gui_iterate ();
  g_assert_true (gtk_switch_get_active (end_on_quit));
}

/* PLAYWAVE_API_KEY overrides the stored keys: Preferences says so. */
static void
test_environment_key (PrefsFixture *fixture, gconstpointer data)
{
  g_autoptr (PwConnectionManager) manager = NULL;
  GtkWidget *window;

  g_setenv ("PLAYWAVE_API_KEY", TEST_API_KEY, TRUE);
  manager =
      pw_connection_manager_new (fixture->tracker, fixture->store, fixture->settings);
  window = pw_preferences_window_new (NULL, manager, fixture->settings);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  g_assert_true (gtk_widget_get_visible (
      child (window, PW_TYPE_PREFERENCES_WINDOW, "environment_group")));
  gtk_window_destroy (GTK_WINDOW (window));
  gui_iterate ();
}

/* The application's hooks */

static gboolean
ignore_session_bus (const char *log_domain,
                    GLogLevelFlags log_level,
                    const char *message,
                    gpointer user_data)
{
  return strstr (message, "session bus") == NULL;
}

typedef struct
{
  PrefsFixture *fixture;
  void (*body) (PrefsFixture *fixture, PwApplication *app);
  PwApplication *app;
} AppRun;

static gboolean
app_body_cb (gpointer user_data)
{
  AppRun *run = user_data;

  gui_iterate ();
  run->body (run->fixture, run->app);
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit-now", NULL);

  return G_SOURCE_REMOVE;
}

static void
app_run (PrefsFixture *fixture, void (*body) (PrefsFixture *, PwApplication *))
{
  g_autofree char *dir = g_dir_make_tmp ("test-preferences-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state.json", NULL);
  const char *argv[] = { "playwave-monitor", NULL };
  PwApplication *app =
      g_object_new (PW_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                    G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE,
                    "state-path", state, NULL);
  AppRun run = { fixture, body, app };

  g_idle_add (app_body_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, (char **) argv), ==, 0);
  g_assert_finalize_object (app);
  gui_iterate ();
  test_remove_dir (dir);
}

static PwWindow *
app_window (PwApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (PW_IS_WINDOW (l->data))
      return l->data;

  g_assert_not_reached ();
}

static PwPreferencesWindow *
app_preferences (PwApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (PW_IS_PREFERENCES_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* No connection: the page offers to add one; its button opens Preferences
 * with the add dialog. Ctrl+comma's action opens Preferences. */
static void
no_connection_body (PrefsFixture *fixture, PwApplication *app)
{
  PwPreferencesWindow *preferences;
  PwConnectionDialog *dialog;
  const char *accels[] = { "<Control>comma", NULL };
  g_auto (GStrv) actions = NULL;

  g_assert_cmpstr (pw_window_get_page (app_window (app)), ==, "no-connection");
  g_assert_null (app_preferences (app));

  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accels[0]);
  g_assert_cmpstr (actions[0], ==, "app.preferences");

  g_action_group_activate_action (G_ACTION_GROUP (app), "add-connection", NULL);
  gui_iterate ();
  preferences = app_preferences (app);
  g_assert_nonnull (preferences);
  dialog = pw_preferences_window_get_dialog (preferences);
  g_assert_nonnull (dialog);
  g_assert_true (pw_connection_dialog_is_adding (dialog));

  /* Adding one turns the page into the empty list. */
  set_text (DIALOG_CHILD (dialog, "name_row"), "local");
  set_text (DIALOG_CHILD (dialog, "url_row"), fixture->base.base_url);
  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  save_and_wait (fixture, dialog);
  g_assert_cmpstr (pw_window_get_page (app_window (app)), ==, "empty");
  clear_key ("local");
}

static void
test_app_no_connection (PrefsFixture *fixture, gconstpointer data)
{
  app_run (fixture, no_connection_body);
}

/* A rejected key: the banner's "How to Fix" opens the connection's key;
 * a good key there resumes the sessions. */
static void
fix_key_body (PrefsFixture *fixture, PwApplication *app)
{
  PwConnectionManager *manager = pw_application_get_connections (app);
  PwTracker *tracker = pw_application_get_tracker (app);
  PwConnectionDialog *dialog;
  PwSession *session;
  gboolean loaded = pw_connection_manager_get_loaded (manager);
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, "pc-fix", -1);

  if (!loaded)
    {
      g_signal_connect (manager, "notify::loaded", G_CALLBACK (loaded_cb), &loaded);
      spin_until (&loaded);
      g_signal_handlers_disconnect_by_func (manager, loaded_cb, &loaded);
    }
  g_assert_cmpint (
      pw_connection_get_key_state (pw_connection_manager_lookup (manager, "prod")), ==,
      PW_KEY_STATE_KEYRING);

  session = pw_tracker_track (tracker, id, USER, "prod", FALSE, NULL);
  g_assert_nonnull (session);
  settle_tracker (tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_UNAUTHORIZED);

  gtk_widget_activate_action (GTK_WIDGET (app_window (app)), "win.fix-key", NULL);
  gui_iterate ();
  g_assert_nonnull (app_preferences (app));
  dialog = pw_preferences_window_get_dialog (app_preferences (app));
  g_assert_nonnull (dialog);
  g_assert_false (pw_connection_dialog_is_adding (dialog));
  g_assert_true (gtk_widget_has_focus (DIALOG_CHILD (dialog, "key_row")) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)),
                                         DIALOG_CHILD (dialog, "key_row")));

  set_text (DIALOG_CHILD (dialog, "key_row"), TEST_API_KEY);
  save_and_wait (fixture, dialog);
  settle_tracker (tracker);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
  clear_key ("prod");
}

static void
key_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (pw_keyring_store_finish (result, NULL));
  *done = TRUE;
}

static void
test_app_fix_key (PrefsFixture *fixture, gconstpointer data)
{
  gboolean done = FALSE;

  g_assert_true (
      pw_connection_store_add (fixture->store, "prod", fixture->base.base_url, 0, NULL));
  pw_keyring_store_async ("prod", WRONG_KEY, NULL, key_stored_cb, &done);
  spin_until (&done);
  app_run (fixture, fix_key_body);
}

int
main (int argc, char **argv)
{
  g_autofree char *keyring_dir = NULL;
  int status;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/playwave-test", TRUE);
  g_unsetenv ("PLAYWAVE_BASE_URL");
  keyring_dir = test_use_private_keyring ();
  gui_test_init (&argc, &argv);
  g_resources_register (pw_get_resource ());
  /* Xvfb has no window manager to move the focus between the windows the
   * tests open: a blinking cursor would warn of a missing focus-out. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_test_log_set_fatal_handler (ignore_session_bus, NULL);

#define ADD(path, func)                                                                  \
  g_test_add (path, PrefsFixture, NULL, prefs_set_up, func, prefs_tear_down)
  ADD ("/preferences/new-destroy", test_new_destroy);
  ADD ("/preferences/add-connection", test_add_connection);
  ADD ("/preferences/validation", test_validation);
  ADD ("/preferences/edit-connection", test_edit_connection);
  ADD ("/preferences/remove-connection", test_remove_connection);
  ADD ("/preferences/default", test_default);
  ADD ("/preferences/test-connection", test_test_connection);
  ADD ("/preferences/general", test_general);
  ADD ("/preferences/environment-key", test_environment_key);
  ADD ("/preferences/app-no-connection", test_app_no_connection);
  ADD ("/preferences/app-fix-key", test_app_fix_key);
#undef ADD

  status = g_test_run ();
  test_remove_dir (keyring_dir);

  return status;
}
