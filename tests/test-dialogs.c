/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pw-gui-test-util.h"
#include "pw-add-dialog.h"
#include "pw-end-dialog.h"
#include "pw-resources.h"
#include "pw-test-util.h"
#include "pw-tracker.h"

/* The add and end dialogs against a real tracker heartbeating the
 * in-process sandbox on a fake clock. */

#define USER "555"

typedef struct
{
  SandboxFixture base;
  PwTracker *tracker;
  GtkWindow *parent;
  guint n_added;
  guint n_added_signals;
} DialogFixture;

static void
dialog_set_up (DialogFixture *fixture, gconstpointer data)
{
  sandbox_fixture_set_up (&fixture->base, data);
  fixture->tracker = pw_tracker_new (fixture->base.clock);
  pw_tracker_add_connection (fixture->tracker, "sandbox", fixture->base.client);
  pw_tracker_set_rate_limit (fixture->tracker, 1e6, 1e6);
  fixture->parent = g_object_ref (GTK_WINDOW (gtk_window_new ()));
}

static void
dialog_tear_down (DialogFixture *fixture, gconstpointer data)
{
  gtk_window_destroy (fixture->parent);
  g_assert_finalize_object (fixture->parent);
  g_assert_finalize_object (fixture->tracker);
  while (pw_client_get_in_flight (fixture->base.client) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sandbox_fixture_tear_down (&fixture->base, data);
}

/* Runs the loop until no request is on the wire or waiting. */
static void
settle (DialogFixture *fixture)
{
  settle_tracker (fixture->tracker);
}

static void
run_for (DialogFixture *fixture, guint seconds)
{
  run_tracker_for (&fixture->base, fixture->tracker, seconds);
}

static PwSession *
track_new (DialogFixture *fixture, const char *pc_id, char **out_id)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, pc_id, -1);
  g_autoptr (GError) error = NULL;
  PwSession *session;

  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, &error);
  g_assert_no_error (error);
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);

  return session;
}

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

#define ADD(path, func)                                                                  \
  g_test_add (path, DialogFixture, NULL, dialog_set_up, func, dialog_tear_down)

/* The add dialog */

static void
sessions_added_cb (PwAddDialog *dialog, guint n, DialogFixture *fixture)
{
  fixture->n_added = n;
  fixture->n_added_signals++;
}

static PwAddDialog *
add_dialog_new (DialogFixture *fixture, const char *const *connections)
{
  PwAddDialog *dialog = PW_ADD_DIALOG (
      pw_add_dialog_new (fixture->parent, fixture->tracker, connections, "sandbox"));

  g_object_ref (dialog);
  g_signal_connect (dialog, "sessions-added", G_CALLBACK (sessions_added_cb), fixture);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static gboolean
add_enabled (PwAddDialog *dialog)
{
  return gtk_widget_get_sensitive (child (dialog, PW_TYPE_ADD_DIALOG, "add_button"));
}

static guint
n_ready (PwAddDialog *dialog)
{
  guint n;

  g_object_get (dialog, "n-ready", &n, NULL);
  return n;
}

static void
set_fields (PwAddDialog *dialog, const char *session_id, const char *user_id)
{
  gtk_editable_set_text (child (dialog, PW_TYPE_ADD_DIALOG, "session_row"), session_id);
  gtk_editable_set_text (child (dialog, PW_TYPE_ADD_DIALOG, "user_row"), user_id);
}

static void
set_pasted (PwAddDialog *dialog, const char *text)
{
  GtkTextView *view = child (dialog, PW_TYPE_ADD_DIALOG, "paste_view");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

/* The label's text if it is shown, else NULL. */
static const char *
shown_text (PwAddDialog *dialog, const char *name)
{
  GtkLabel *label = child (dialog, PW_TYPE_ADD_DIALOG, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

static void
assert_shows (PwAddDialog *dialog, const char *name, const char *part)
{
  const char *text = shown_text (dialog, name);

  if (text == NULL || strstr (text, part) == NULL)
    g_error ("%s shows “%s”, not “%s”", name, text ? text : "(hidden)", part);
}

/* Clicks Add; the dialog must close. */
static void
click_add (DialogFixture *fixture, PwAddDialog *dialog)
{
  g_assert_true (add_enabled (dialog));
  g_signal_emit_by_name (child (dialog, PW_TYPE_ADD_DIALOG, "add_button"), "clicked");
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (fixture->n_added_signals, ==, 1);
}

static void
test_add_new_destroy (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);

  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->parent);
  /* One connection: nothing to choose. */
  g_assert_false (
      gtk_widget_get_visible (child (dialog, PW_TYPE_ADD_DIALOG, "connection_row")));

  /* Cancel closes without adding. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (fixture->n_added_signals, ==, 0);
}

static void
test_add_validates (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);
  g_autofree char *tracked = NULL;
  GtkWidget *session_row = child (dialog, PW_TYPE_ADD_DIALOG, "session_row");

  track_new (fixture, "pc-1", &tracked);

  /* Empty: nothing to add, nothing to complain about. */
  g_assert_false (add_enabled (dialog));
  g_assert_null (shown_text (dialog, "single_error_label"));

  /* Half a pair: a hint, not an error. */
  set_fields (dialog, "abc", "");
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "single_error_label", "user id");
  g_assert_false (gtk_widget_has_css_class (session_row, "error"));

  /* A control character. */
  set_fields (dialog,
              "ab\x01"
              "c",
              USER);
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "single_error_label", "control characters");
  g_assert_true (gtk_widget_has_css_class (session_row, "error"));

  /* Already tracked. */
  set_fields (dialog, tracked, USER);
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "single_error_label", "already tracked");
  g_assert_true (gtk_widget_has_css_class (session_row, "error"));

  /* Valid (surrounding spaces are dropped). */
  set_fields (dialog, " new-session ", USER);
  g_assert_true (add_enabled (dialog));
  g_assert_null (shown_text (dialog, "single_error_label"));
  g_assert_false (gtk_widget_has_css_class (session_row, "error"));
  g_assert_cmpuint (n_ready (dialog), ==, 1);

  click_add (fixture, dialog);
  g_assert_cmpuint (fixture->n_added, ==, 1);
  g_assert_nonnull (pw_tracker_lookup (fixture->tracker, "new-session"));
  g_assert_cmpstr (
      pw_session_get_connection (pw_tracker_lookup (fixture->tracker, "new-session")), ==,
      "sandbox");
}

static void
test_add_pasted (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);

  set_pasted (dialog, "# three sessions\np-1:u-1\np-2,u-2\n\n  p-3 : u-3  \n");
  assert_shows (dialog, "paste_status_label", "3 sessions ready");
  g_assert_cmpuint (n_ready (dialog), ==, 3);

  /* The fields join the batch. */
  set_fields (dialog, "p-4", "u-4");
  g_assert_cmpuint (n_ready (dialog), ==, 4);

  click_add (fixture, dialog);
  g_assert_cmpuint (fixture->n_added, ==, 4);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("p-%u", i);
      g_autofree char *user = g_strdup_printf ("u-%u", i);
      PwSession *session = pw_tracker_lookup (fixture->tracker, id);

      g_assert_nonnull (session);
      g_assert_cmpstr (pw_session_get_user_id (session), ==, user);
    }
}

static void
test_add_pasted_errors (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);
  g_autofree char *tracked = NULL;
  g_autofree char *text = NULL;
  guint n_sessions;

  track_new (fixture, "pc-1", &tracked);
  n_sessions = g_list_model_get_n_items (pw_tracker_get_sessions (fixture->tracker));

  /* A bad line, with its number. */
  set_pasted (dialog, "p-1:u-1\nno separator here\np-3:u-3\n");
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "paste_status_label", "line 2");
  g_assert_true (gtk_widget_has_css_class (
      child (dialog, PW_TYPE_ADD_DIALOG, "paste_status_label"), "error"));

  /* A duplicate within the text. */
  set_pasted (dialog, "p-1:u-1\np-1:u-2\n");
  assert_shows (dialog, "paste_status_label", "line 2");

  /* Already tracked: the whole batch is refused. */
  text = g_strdup_printf ("p-1:u-1\n%s:%s\n", tracked, USER);
  set_pasted (dialog, text);
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "paste_status_label", "line 2: session");
  assert_shows (dialog, "paste_status_label", "already tracked");

  /* The same session in the fields and in the text. */
  set_pasted (dialog, "p-1:u-1\np-2:u-2\n");
  g_assert_true (add_enabled (dialog));
  set_fields (dialog, "p-2", "u-9");
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "single_error_label", "line 2");

  /* Nothing was added meanwhile. */
  g_assert_cmpuint (g_list_model_get_n_items (pw_tracker_get_sessions (fixture->tracker)),
                    ==, n_sessions);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static void
wait_for_import (PwAddDialog *dialog)
{
  gboolean importing = TRUE;

  while (importing)
    {
      g_main_context_iteration (NULL, TRUE);
      g_object_get (dialog, "importing", &importing, NULL);
    }
}

static GFile *
write_file (const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-dialogs-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
delete_file (GFile *file)
{
  g_autoptr (GFile) dir = g_file_get_parent (file);

  g_file_delete (file, NULL, NULL);
  g_file_delete (dir, NULL, NULL);
}

static void
test_add_import (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);
  g_autoptr (GFile) bad = write_file ("bad.txt", "f-1:u-1\nf-2:u-2\nf-3\n");
  g_autoptr (GFile) good =
      write_file ("sessions.csv",
                  "game_session_id,provider_user_id,comment\nf-1,u-1,x\n\"f-2\",u-2,y\n");
  AdwActionRow *row = child (dialog, PW_TYPE_ADD_DIALOG, "import_row");

  /* The first problem, with its line. */
  pw_add_dialog_import_file (dialog, bad);
  wait_for_import (dialog);
  assert_shows (dialog, "import_error_label", "line 3");
  assert_shows (dialog, "import_error_label", "bad.txt");
  g_assert_false (add_enabled (dialog));

  pw_add_dialog_import_file (dialog, good);
  g_assert_false (add_enabled (dialog)); /* not while reading */
  wait_for_import (dialog);
  g_assert_null (shown_text (dialog, "import_error_label"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "sessions.csv");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "2 sessions");
  g_assert_cmpuint (n_ready (dialog), ==, 2);

  /* The same session typed in as well is refused. */
  set_fields (dialog, "f-2", "u-2");
  g_assert_false (add_enabled (dialog));
  assert_shows (dialog, "single_error_label", "sessions.csv");
  set_fields (dialog, "", "");

  click_add (fixture, dialog);
  g_assert_cmpuint (fixture->n_added, ==, 2);
  g_assert_nonnull (pw_tracker_lookup (fixture->tracker, "f-1"));
  g_assert_cmpstr (pw_session_get_user_id (pw_tracker_lookup (fixture->tracker, "f-2")),
                   ==, "u-2");

  delete_file (bad);
  delete_file (good);
}

/* Closing while a file is read cancels it, and nothing dangles. */
static void
test_add_import_cancelled (DialogFixture *fixture, gconstpointer data)
{
  PwAddDialog *dialog = add_dialog_new (fixture, NULL);
  g_autoptr (GFile) file = write_file ("s.txt", "c-1:u-1\n");

  pw_add_dialog_import_file (dialog, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* The worker thread holds the dialog until its answer is dropped. */
  while (G_OBJECT (dialog)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_finalize_object (dialog);
  g_assert_null (pw_tracker_lookup (fixture->tracker, "c-1"));

  delete_file (file);
}

static void
test_add_connections (DialogFixture *fixture, gconstpointer data)
{
  static const char *const connections[] = { "production", "sandbox", NULL };
  PwAddDialog *dialog = add_dialog_new (fixture, connections);
  AdwComboRow *row = child (dialog, PW_TYPE_ADD_DIALOG, "connection_row");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);

  set_fields (dialog, "k-1", "u-1");
  click_add (fixture, dialog);
  g_assert_cmpstr (
      pw_session_get_connection (pw_tracker_lookup (fixture->tracker, "k-1")), ==,
      "sandbox");
}

/* The end dialog */

static PwEndDialog *
end_dialog_new (DialogFixture *fixture, PwSession *session)
{
  PwEndDialog *dialog =
      PW_END_DIALOG (pw_end_dialog_new (fixture->parent, fixture->tracker, session));

  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Clicks a response button, as people do: in libadwaita 1.2 only that
 * closes the dialog (adw_message_dialog_response() just emits ::response). */
static void
click_response (PwEndDialog *dialog, const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_end_new_destroy (DialogFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1", NULL);
  PwEndDialog *dialog = end_dialog_new (fixture, session);

  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "End Session?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            pw_session_get_id (session)));
  g_assert_cmpint (
      adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end"), ==,
      ADW_RESPONSE_DESTRUCTIVE);

  /* Cancel changes nothing. */
  click_response (dialog, "_Cancel");
  g_assert_finalize_object (dialog);
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ACTIVE);
}

static void
test_end_from_start (DialogFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1", NULL);
  PwEndDialog *dialog;
  GtkSwitch *report;

  run_for (fixture, 30);
  g_assert_true (pw_session_get_tracked_from_start (session));

  dialog = end_dialog_new (fixture, session);
  report = child (dialog, PW_TYPE_END_DIALOG, "report_switch");
  g_assert_true (gtk_switch_get_active (report));
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, 30);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==,
                   pw_tracker_default_end_duration (fixture->tracker, session));

  /* Until edited, the value follows the clock. */
  fixture_advance (&fixture->base, 5);
  click_response (dialog, "_End Session");
  g_assert_finalize_object (dialog);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDING);

  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_client_sec (session), ==, 35);
  g_assert_cmpint (pw_session_get_end_server_sec (session), ==, 35);
}

static void
test_end_not_from_start (DialogFixture *fixture, gconstpointer data)
{
  g_autofree char *id =
      pw_sandbox_create_session (fixture->base.sandbox, NULL, USER, "pc-late", -1);
  PwEndDialog *dialog;
  PwSession *session;
  GtkSwitch *report;
  GtkSpinButton *spin;

  /* Running for 200 s before the app saw it. */
  fixture_advance (&fixture->base, 200);
  g_assert_true (run_heartbeat (fixture->base.client, id, USER, NULL, NULL, NULL));
  session = pw_tracker_track (fixture->tracker, id, USER, "sandbox", FALSE, NULL);
  run_for (fixture, 20);
  g_assert_false (pw_session_get_tracked_from_start (session));
  g_assert_cmpint (pw_tracker_default_end_duration (fixture->tracker, session), ==,
                   PW_TRACKER_DURATION_OMIT);

  dialog = end_dialog_new (fixture, session);
  report = child (dialog, PW_TYPE_END_DIALOG, "report_switch");
  spin = child (dialog, PW_TYPE_END_DIALOG, "duration_spin");
  g_assert_false (gtk_switch_get_active (report));
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, PW_TRACKER_DURATION_OMIT);
  g_assert_nonnull (
      adw_action_row_get_subtitle (child (dialog, PW_TYPE_END_DIALOG, "report_row")));

  /* The user may still report a value of their own. */
  gtk_switch_set_active (report, TRUE);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, 20);
  gtk_spin_button_set_value (spin, 215);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, 215);
  gtk_switch_set_active (report, FALSE);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, PW_TRACKER_DURATION_OMIT);
  gtk_switch_set_active (report, TRUE);
  /* Edited values stay put while the clock runs. */
  fixture_advance (&fixture->base, 3);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, 215);

  click_response (dialog, "_End Session");
  g_assert_finalize_object (dialog);
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_client_sec (session), ==, 215);
}

/* Text typed into the field is the user's, even before it is committed. */
static void
test_end_typed_value (DialogFixture *fixture, gconstpointer data)
{
  PwSession *session = track_new (fixture, "pc-1", NULL);
  PwEndDialog *dialog;

  run_for (fixture, 10);
  dialog = end_dialog_new (fixture, session);
  g_assert_cmpint (pw_end_dialog_get_duration (dialog), ==, 10);

  gtk_editable_set_text (child (dialog, PW_TYPE_END_DIALOG, "duration_spin"), "77");
  fixture_advance (&fixture->base, 5);
  click_response (dialog, "_End Session");
  g_assert_finalize_object (dialog);
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_ENDED);
  g_assert_cmpint (pw_session_get_end_client_sec (session), ==, 77);
}

/* A session that stops being live while the dialog is open cannot be ended. */
static void
test_end_disabled_when_gone (DialogFixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  PwSession *session = track_new (fixture, "pc-1", &id);
  PwEndDialog *dialog;

  settle (fixture);
  dialog = end_dialog_new (fixture, session);
  g_assert_true (
      adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "end"));

  /* Another session on the same PC replaces it. */
  track_new (fixture, "pc-1", NULL);
  settle (fixture);
  g_assert_true (pw_tracker_heartbeat_now (fixture->tracker, id));
  settle (fixture);
  g_assert_cmpint (pw_session_get_state (session), ==, PW_SESSION_STATE_REPLACED);
  g_assert_false (
      adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "end"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);
  /* The templates are in the GUI library's resource bundle; nothing else
   * in this test pulls it out of the static library. */
  g_resources_register (pw_get_resource ());

  ADD ("/add-dialog/new-destroy", test_add_new_destroy);
  ADD ("/add-dialog/validates", test_add_validates);
  ADD ("/add-dialog/pasted", test_add_pasted);
  ADD ("/add-dialog/pasted-errors", test_add_pasted_errors);
  ADD ("/add-dialog/import", test_add_import);
  ADD ("/add-dialog/import-cancelled", test_add_import_cancelled);
  ADD ("/add-dialog/connections", test_add_connections);
  ADD ("/end-dialog/new-destroy", test_end_new_destroy);
  ADD ("/end-dialog/from-start", test_end_from_start);
  ADD ("/end-dialog/not-from-start", test_end_not_from_start);
  ADD ("/end-dialog/typed-value", test_end_typed_value);
  ADD ("/end-dialog/disabled-when-gone", test_end_disabled_when_gone);

  return g_test_run ();
}
