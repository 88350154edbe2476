/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pw-add-dialog.h"
#include "pw-base-url.h"
#include "pw-session-file.h"

/* Add sessions from three sources at once: the Session ID / User ID fields,
 * text pasted into "Paste Several" (every format of a session file), and an
 * imported file. Everything is checked as it is typed; Add is enabled only
 * when the whole batch is valid.
 *
 * A batch is all or nothing: if any session is malformed, already tracked,
 * or given twice (across the sources too), nothing is added and the first
 * few problems are listed where they are. Half-adding a pasted list would
 * leave the user to work out which lines went in. Should tracking still
 * fail half-way (a connection removed meanwhile), the sessions already
 * added by this batch are untracked again before anything goes on the wire,
 * since requests only leave from the main loop. */

#define MAX_PROBLEMS_SHOWN 3

struct _PwAddDialog
{
  AdwWindow parent_instance;

  PwTracker *tracker;
  char **connections;
  char *connection;

  GPtrArray *imported;      /* PwSessionEntry, or NULL */
  GHashTable *imported_ids; /* set of the ids in imported */
  char *imported_name;
  GCancellable *import_cancellable;
  GtkFileChooserNative *chooser;

  guint n_ready;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *add_button;
  AdwEntryRow *session_row;
  AdwEntryRow *user_row;
  AdwComboRow *connection_row;
  GtkStringList *connection_list;
  GtkLabel *single_error_label;
  GtkTextView *paste_view;
  GtkLabel *paste_status_label;
  GtkWidget *import_button;
  GtkWidget *import_box;
  GtkWidget *import_group;
  AdwActionRow *import_row;
  GtkSpinner *import_spinner;
  GtkWidget *import_remove_button;
  GtkLabel *import_error_label;
};

G_DEFINE_FINAL_TYPE (PwAddDialog, pw_add_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_CONNECTIONS,
  PROP_CONNECTION,
  PROP_N_READY,
  PROP_IMPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SESSIONS_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static GPtrArray *
problems_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

/* The first few problems, one per line, and how many more there are. */
static char *
problems_to_text (GPtrArray *problems)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint shown = MIN (problems->len, MAX_PROBLEMS_SHOWN);

  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (problems, i));
    }

  if (problems->len > shown)
    {
      guint more = problems->len - shown;

      g_string_append_c (text, '\n');
      g_string_append_printf (
          text,
          /* Translators: after a list of problems with the sessions to add */
          ngettext ("and %u more problem", "and %u more problems", more), more);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Shows @text under a field: red for an error, dimmed for a hint. */
static void
set_message (GtkLabel *label, const char *text, gboolean error)
{
  GtkWidget *widget = GTK_WIDGET (label);

  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (widget, text != NULL && *text != '\0');
  if (error)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_remove_css_class (widget, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_add_css_class (widget, "dim-label");
    }
}

static void
set_row_error (gpointer row, gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static char *
dup_paste_text (PwAddDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->paste_view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
get_connection (PwAddDialog *self)
{
  guint selected;

  if (self->connections == NULL || self->connections[0] == NULL)
    return self->connection;

  selected = adw_combo_row_get_selected (self->connection_row);
  if (selected == GTK_INVALID_LIST_POSITION)
    return self->connections[0];

  return gtk_string_list_get_string (self->connection_list, selected);
}

static gboolean
get_importing (PwAddDialog *self)
{
  return self->import_cancellable != NULL;
}

static void
set_n_ready (PwAddDialog *self, guint n_ready)
{
  g_autofree char *subtitle = NULL;

  if (self->n_ready == n_ready)
    return;

  self->n_ready = n_ready;

  if (n_ready > 0)
    subtitle = g_strdup_printf (
        /* Translators: the subtitle of "Add Sessions": how many Add would track */
        ngettext ("%u session", "%u sessions", n_ready), n_ready);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_READY]);
}

/* The whole batch, checked, in the order it is added: the fields, the
 * pasted text, the file. Returns NULL (and shows why) if anything is wrong
 * or there is nothing to add. */
static GPtrArray *
check_batch (PwAddDialog *self)
{
  g_autoptr (GPtrArray) batch =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pw_session_entry_free);
  g_autoptr (GPtrArray) single_problems = problems_new ();
  g_autoptr (GPtrArray) paste_problems = problems_new ();
  g_autoptr (GPtrArray) file_problems = problems_new ();
  g_autoptr (GPtrArray) pasted = NULL;
  g_autoptr (GHashTable) pasted_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) paste_error = NULL;
  g_autofree char *paste_text = dup_paste_text (self);
  g_autofree char *session_id =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->session_row))));
  g_autofree char *user_id =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  g_autofree char *hint = NULL;
  gboolean session_bad = FALSE;
  gboolean user_bad = FALSE;
  gboolean single_ok = FALSE;
  gboolean pasted_json;
  gboolean ok = TRUE;

  /* The file: its own duplicates were refused when it was read. */
  if (self->imported != NULL)
    for (guint i = 0; i < self->imported->len; i++)
      {
        PwSessionEntry *entry = g_ptr_array_index (self->imported, i);

        if (pw_tracker_lookup (self->tracker, entry->session_id) != NULL)
          g_ptr_array_add (
              file_problems,
              /* Translators: %s is a session id */
              g_strdup_printf (_ ("Session “%s” is already tracked"), entry->session_id));
      }

  /* The pasted text; a JSON array counts entries, not lines. */
  pasted = pw_session_file_parse (paste_text, strlen (paste_text), &paste_error);
  pasted_json = *g_strchug (paste_text) == '[';
  if (pasted == NULL)
    g_ptr_array_add (paste_problems, g_strdup (paste_error->message));
  else
    for (guint i = 0; i < pasted->len; i++)
      {
        PwSessionEntry *entry = g_ptr_array_index (pasted, i);
        g_autofree char *where =
            /* Translators: where in pasted JSON: the position of an object
             * in the array, e.g. "entry 3" */
            pasted_json ? g_strdup_printf (_ ("entry %u"), entry->line)
                        /* Translators: where in the pasted text, e.g. "line 3" */
                        : g_strdup_printf (_ ("line %u"), entry->line);

        if (pw_tracker_lookup (self->tracker, entry->session_id) != NULL)
          g_ptr_array_add (paste_problems,
                           /* Translators: the first %s is where, e.g. "line 3",
                            * the second a session id */
                           g_strdup_printf (_ ("%s: session “%s” is already tracked"),
                                            where, entry->session_id));
        else if (self->imported_ids != NULL &&
                 g_hash_table_contains (self->imported_ids, entry->session_id))
          g_ptr_array_add (paste_problems,
                           /* Translators: the first %s is where, e.g. "line 3", the
                            * second a session id, the third a file name */
                           g_strdup_printf (_ ("%s: session “%s” is also in “%s”"), where,
                                            entry->session_id, self->imported_name));
        g_hash_table_insert (pasted_ids, entry->session_id,
                             GUINT_TO_POINTER (entry->line));
      }

  /* The fields: an empty pair is fine (nothing to add from there), half a
   * pair is only a hint, anything else must be valid and new. */
  if (*session_id != '\0' || *user_id != '\0')
    {
      g_autoptr (GError) error = NULL;
      gpointer line;

      if (*session_id == '\0')
        hint = g_strdup (_ ("Enter the session id too, or clear the user id"));
      else if (!pw_identifier_is_valid (_ ("session id"), session_id, &error))
        {
          session_bad = TRUE;
          g_ptr_array_add (single_problems, g_strdup (error->message));
        }
      else if (pw_tracker_lookup (self->tracker, session_id) != NULL)
        {
          session_bad = TRUE;
          g_ptr_array_add (
              single_problems,
              g_strdup_printf (_ ("Session “%s” is already tracked"), session_id));
        }
      else if (g_hash_table_lookup_extended (pasted_ids, session_id, NULL, &line))
        {
          session_bad = TRUE;
          g_ptr_array_add (single_problems,
                           /* Translators: %s is a session id, %u a line number */
                           g_strdup_printf (_ ("Session “%s” is also on line %u below"),
                                            session_id, GPOINTER_TO_UINT (line)));
        }
      else if (self->imported_ids != NULL &&
               g_hash_table_contains (self->imported_ids, session_id))
        {
          session_bad = TRUE;
          g_ptr_array_add (single_problems,
                           /* Translators: %s is a session id, then a file name */
                           g_strdup_printf (_ ("Session “%s” is also in “%s”"),
                                            session_id, self->imported_name));
        }

      g_clear_error (&error);
      if (*user_id == '\0')
        {
          if (hint == NULL && !session_bad)
            hint = g_strdup (_ ("Enter the user id too, or clear the session id"));
        }
      else if (!pw_identifier_is_valid (_ ("user id"), user_id, &error))
        {
          user_bad = TRUE;
          g_ptr_array_add (single_problems, g_strdup (error->message));
        }

      single_ok = !session_bad && !user_bad && hint == NULL;
      if (!single_ok)
        ok = FALSE;
    }

  set_row_error (self->session_row, session_bad);
  set_row_error (self->user_row, user_bad);
  if (single_problems->len > 0)
    {
      g_autofree char *text = problems_to_text (single_problems);

      set_message (self->single_error_label, text, TRUE);
    }
  else
    set_message (self->single_error_label, hint, FALSE);

  if (paste_problems->len > 0)
    {
      g_autofree char *text = problems_to_text (paste_problems);

      set_message (self->paste_status_label, text, TRUE);
      ok = FALSE;
    }
  else if (pasted->len > 0)
    {
      g_autofree char *text = g_strdup_printf (
          /* Translators: the number of valid sessions in the pasted text */
          ngettext ("%u session ready", "%u sessions ready", pasted->len), pasted->len);

      set_message (self->paste_status_label, text, FALSE);
    }
  else
    set_message (self->paste_status_label,
                 /* Translators: keep SESSION_ID and USER_ID; CSV and JSON are formats */
                 _ ("One SESSION_ID:USER_ID or SESSION_ID,USER_ID per line, or the "
                    "contents of a CSV or JSON session file"),
                 FALSE);

  if (file_problems->len > 0)
    {
      g_autofree char *text = problems_to_text (file_problems);

      set_message (self->import_error_label, text, TRUE);
      ok = FALSE;
    }
  else if (self->imported != NULL)
    set_message (self->import_error_label, NULL, TRUE);

  if (!ok || get_importing (self))
    return NULL;

  if (single_ok)
    {
      PwSessionEntry *entry = g_new0 (PwSessionEntry, 1);

      entry->session_id = g_steal_pointer (&session_id);
      entry->user_id = g_steal_pointer (&user_id);
      g_ptr_array_add (batch, entry);
    }

  if (pasted != NULL)
    g_ptr_array_extend_and_steal (batch, g_steal_pointer (&pasted));

  if (self->imported != NULL)
    for (guint i = 0; i < self->imported->len; i++)
      {
        PwSessionEntry *from = g_ptr_array_index (self->imported, i);
        PwSessionEntry *entry = g_new0 (PwSessionEntry, 1);

        entry->session_id = g_strdup (from->session_id);
        entry->user_id = g_strdup (from->user_id);
        entry->line = from->line;
        g_ptr_array_add (batch, entry);
      }

  if (batch->len == 0)
    return NULL;

  return g_steal_pointer (&batch);
}

static void
revalidate (PwAddDialog *self)
{
  g_autoptr (GPtrArray) batch = NULL;

  /* Widgets may still signal while the template is torn down. */
  if (self->add_button == NULL)
    return;

  batch = check_batch (self);
  set_n_ready (self, batch != NULL ? batch->len : 0);
  gtk_widget_set_sensitive (self->add_button, batch != NULL);
}

static void
clear_import (PwAddDialog *self)
{
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->imported, g_ptr_array_unref);
  g_clear_pointer (&self->imported_ids, g_hash_table_unref);
  g_clear_pointer (&self->imported_name, g_free);
}

static char *
dup_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_basename (path);

  return g_file_get_parse_name (file);
}

/* Callbacks */

static void
entry_changed_cb (PwAddDialog *self)
{
  revalidate (self);
}

static void
paste_buffer_changed_cb (PwAddDialog *self)
{
  revalidate (self);
}

static void
add_button_clicked_cb (PwAddDialog *self)
{
  g_autoptr (GPtrArray) batch = check_batch (self);
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  const char *connection = get_connection (self);

  if (batch == NULL)
    {
      revalidate (self);
      return;
    }

  for (guint i = 0; i < batch->len; i++)
    {
      PwSessionEntry *entry = g_ptr_array_index (batch, i);
      g_autoptr (GError) error = NULL;

      if (pw_tracker_track (self->tracker, entry->session_id, entry->user_id, connection,
                            FALSE, &error) == NULL)
        {
          for (guint j = 0; j < added->len; j++)
            pw_tracker_untrack (self->tracker, g_ptr_array_index (added, j));
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (error->message));
          revalidate (self);
          return;
        }
      g_ptr_array_add (added, entry->session_id);
    }

  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_SESSIONS_ADDED], 0, batch->len);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
import_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;

  entries = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled: another file was chosen, or the dialog went away. */
  if (g_task_get_cancellable (G_TASK (result)) != self->import_cancellable ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->import_cancellable);
  gtk_spinner_stop (self->import_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), FALSE);
  gtk_widget_set_sensitive (self->import_button, TRUE);

  if (entries == NULL)
    {
      g_autofree char *text = g_strdup_printf (
          /* Translators: %s says what is wrong, with the file name and line */
          _ ("Could not import: %s"), error->message);

      gtk_widget_set_visible (self->import_group, FALSE);
      set_message (self->import_error_label, text, TRUE);
      g_clear_pointer (&self->imported_name, g_free);
    }
  else
    {
      g_autofree char *subtitle = g_strdup_printf (
          /* Translators: the number of sessions read from an imported file */
          ngettext ("%u session", "%u sessions", entries->len), entries->len);

      self->imported_ids = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < entries->len; i++)
        g_hash_table_add (
            self->imported_ids,
            ((PwSessionEntry *) g_ptr_array_index (entries, i))->session_id);
      self->imported = g_steal_pointer (&entries);

      adw_action_row_set_subtitle (self->import_row, subtitle);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
  revalidate (self);
}

static void
import_thread (GTask *task,
               gpointer source_object,
               gpointer task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries = pw_session_file_load (G_FILE (task_data), cancellable, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
file_chooser_response_cb (GtkNativeDialog *chooser, int response, PwAddDialog *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file != NULL)
    pw_add_dialog_import_file (self, file);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
import_button_clicked_cb (PwAddDialog *self)
{
  static const char *const all[] = { "*.txt", "*.csv", "*.json", NULL };
  static const char *const text[] = { "*.txt", NULL };
  static const char *const csv[] = { "*.csv", NULL };
  static const char *const json[] = { "*.json", NULL };
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_ ("Import Sessions"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Import"),
                                         _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _ ("Session Files"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _ ("Text Files"), text);
  add_filter (GTK_FILE_CHOOSER (chooser), _ ("CSV Files"), csv);
  add_filter (GTK_FILE_CHOOSER (chooser), _ ("JSON Files"), json);

  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), self);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_remove_button_clicked_cb (PwAddDialog *self)
{
  gboolean importing = get_importing (self);

  clear_import (self);
  gtk_widget_set_visible (self->import_box, FALSE);
  gtk_widget_set_sensitive (self->import_button, TRUE);
  if (importing)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
  revalidate (self);
}

/* Overrides */

static void
pw_add_dialog_constructed (GObject *object)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);
  guint n_connections;

  G_OBJECT_CLASS (pw_add_dialog_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));

  n_connections = self->connections ? g_strv_length (self->connections) : 0;
  for (guint i = 0; i < n_connections; i++)
    {
      gtk_string_list_append (self->connection_list, self->connections[i]);
      if (g_strcmp0 (self->connections[i], self->connection) == 0)
        adw_combo_row_set_selected (self->connection_row, i);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->connection_row), n_connections > 1);

  g_signal_connect_object (gtk_text_view_get_buffer (self->paste_view), "changed",
                           G_CALLBACK (paste_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  revalidate (self);
}

static void
pw_add_dialog_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_CONNECTIONS:
        g_value_set_boxed (value, self->connections);
        break;

      case PROP_CONNECTION:
        g_value_set_string (value, self->connection);
        break;

      case PROP_N_READY:
        g_value_set_uint (value, self->n_ready);
        break;

      case PROP_IMPORTING:
        g_value_set_boolean (value, get_importing (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_add_dialog_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_CONNECTIONS:
        self->connections = g_value_dup_boxed (value);
        break;

      case PROP_CONNECTION:
        self->connection = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_add_dialog_dispose (GObject *object)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);

  clear_import (self);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_ADD_DIALOG);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_add_dialog_parent_class)->dispose (object);
}

static void
pw_add_dialog_finalize (GObject *object)
{
  PwAddDialog *self = PW_ADD_DIALOG (object);

  g_clear_pointer (&self->connections, g_strfreev);
  g_clear_pointer (&self->connection, g_free);

  G_OBJECT_CLASS (pw_add_dialog_parent_class)->finalize (object);
}

static void
pw_add_dialog_class_init (PwAddDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_add_dialog_constructed;
  object_class->get_property = pw_add_dialog_get_property;
  object_class->set_property = pw_add_dialog_set_property;
  object_class->dispose = pw_add_dialog_dispose;
  object_class->finalize = pw_add_dialog_finalize;

  properties[PROP_TRACKER] =
      g_param_spec_object ("tracker", NULL, NULL, PW_TYPE_TRACKER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                               G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTIONS] =
      g_param_spec_boxed ("connections", NULL, NULL, G_TYPE_STRV,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                              G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
      g_param_spec_string ("connection", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                               G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwAddDialog:n-ready:
   *
   * How many sessions Add would track now; 0 while anything is wrong.
   */
  properties[PROP_N_READY] = g_param_spec_uint (
      "n-ready", NULL, NULL, 0, G_MAXUINT, 0,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwAddDialog:importing:
   *
   * Whether a file is being read.
   */
  properties[PROP_IMPORTING] = g_param_spec_boolean (
      "importing", NULL, NULL, FALSE,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwAddDialog::sessions-added:
   * @n: how many sessions are now tracked
   *
   * Emitted once, just before the dialog closes.
   */
  signals[SIGNAL_SESSIONS_ADDED] =
      g_signal_new ("sessions-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, session_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, connection_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, connection_list);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, single_error_label);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, paste_view);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, paste_status_label);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_box);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_group);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_remove_button);
  gtk_widget_class_bind_template_child (widget_class, PwAddDialog, import_error_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_remove_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
pw_add_dialog_init (PwAddDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * pw_add_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @connections: (nullable): the connections to choose from; the choice is
 *   hidden when there are fewer than two
 * @connection: (nullable): the one chosen at first, and the one used when
 *   @connections is empty
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
GtkWidget *
pw_add_dialog_new (GtkWindow *parent,
                   PwTracker *tracker,
                   const char *const *connections,
                   const char *connection)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);

  return g_object_new (PW_TYPE_ADD_DIALOG, "transient-for", parent, "tracker", tracker,
                       "connections", connections, "connection", connection, NULL);
}

/**
 * pw_add_dialog_import_file:
 *
 * Reads @file (what "Import File…" does once a file is chosen) in a worker
 * thread; #PwAddDialog:importing is %TRUE until it is read. Its sessions
 * join the batch, or the first problem is shown with its line.
 */
void
pw_add_dialog_import_file (PwAddDialog *self, GFile *file)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (PW_IS_ADD_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  clear_import (self);
  self->import_cancellable = g_cancellable_new ();
  self->imported_name = dup_display_name (file);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->import_row),
                                 self->imported_name);
  adw_action_row_set_subtitle (self->import_row, _ ("Reading…"));
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), TRUE);
  gtk_spinner_start (self->import_spinner);
  gtk_widget_set_visible (self->import_group, TRUE);
  gtk_widget_set_visible (self->import_box, TRUE);
  set_message (self->import_error_label, NULL, TRUE);
  gtk_widget_set_sensitive (self->import_button, FALSE);

  task = g_task_new (self, self->import_cancellable, import_loaded_cb, NULL);
  g_task_set_source_tag (task, pw_add_dialog_import_file);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
  revalidate (self);
}
