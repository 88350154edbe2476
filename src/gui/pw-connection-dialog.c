/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pw-base-url.h"
#include "pw-connection-dialog.h"
#include "pw-error.h"

/* Adds or edits one stored connection: name (fixed once made: sessions and
 * the keyring item refer to it), base URL checked as it is typed with the
 * core's rules, timeout (0 follows the general setting), and the API key.
 *
 * The key field starts empty, always: a stored key is never read back into
 * the window (no peeking, nothing for a screenshot). Left empty when
 * editing, the stored key stays; typed in, it replaces it in the keyring
 * on Save. "Test" tries what is in the fields (or the stored key) through
 * a throwaway client, without saving anything.
 *
 * Saving writes GSettings at once, then the key; the dialog closes when
 * the keyring has answered. A keyring that cannot store the key does not
 * lose it for this run (the manager keeps it in memory): the parent gets a
 * toast that says so. */

struct _PwConnectionDialog
{
  AdwWindow parent_instance;

  PwConnectionManager *manager;
  char *name; /* NULL: adding */
  GCancellable *cancellable;
  gboolean busy;
  gboolean testing;
  gboolean focus_key;

  AdwToastOverlay *toast_overlay;
  GtkWidget *save_button;
  GtkSpinner *save_spinner;
  AdwEntryRow *name_row;
  AdwEntryRow *url_row;
  GtkSpinButton *timeout_spin;
  GtkLabel *field_error_label;
  AdwPasswordEntryRow *key_row;
  AdwActionRow *test_row;
  GtkStack *test_icon_stack;
  GtkSpinner *test_spinner;
  GtkWidget *test_button;
  GtkLabel *key_hint_label;
  GtkWidget *remove_button;
};

G_DEFINE_FINAL_TYPE (PwConnectionDialog, pw_connection_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_MANAGER,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
set_row_error (gpointer row, gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static char *
dup_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (text_of (editable)));
}

static guint
timeout_value (PwConnectionDialog *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->timeout_spin);
}

static void
toast (PwConnectionDialog *self, const char *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  if (ADW_IS_PREFERENCES_WINDOW (parent))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (parent), toast);
  else
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Checks every field; the first problem is shown under the fields and
 * Save is enabled only when there is none. An empty field is not an
 * error yet, just not ready. Returns: whether everything is ready */
static gboolean
validate (PwConnectionDialog *self)
{
  g_autofree char *name = dup_stripped (self->name_row);
  g_autofree char *url = dup_stripped (self->url_row);
  g_autofree char *normalized = NULL;
  g_autoptr (GError) name_error = NULL;
  g_autoptr (GError) url_error = NULL;
  g_autoptr (GError) key_error = NULL;
  const char *key = text_of (self->key_row);
  const char *problem = NULL;
  gboolean name_ok = TRUE, url_ok, url_blank, key_ok = TRUE, have_key;

  if (self->name == NULL)
    {
      PwConnectionStore *store = pw_connection_manager_get_store (self->manager);

      name_ok = pw_connection_name_is_valid (name, &name_error);
      if (name_ok && store != NULL && pw_connection_store_lookup (store, name) != NULL)
        {
          name_ok = FALSE;
          g_set_error (&name_error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                       _ ("There is already a connection named “%s”"), name);
        }
      set_row_error (self->name_row, !name_ok && *name != '\0');
      if (!name_ok && *name != '\0')
        problem = name_error->message;
    }

  /* The scheme alone (what a new connection starts with) is not typed
   * yet, like an empty field: no error before the user writes a host. */
  url_blank =
      *url == '\0' || g_str_equal (url, "https://") || g_str_equal (url, "http://");
  normalized = pw_base_url_normalize (url, &url_error);
  url_ok = normalized != NULL;
  set_row_error (self->url_row, !url_ok && !url_blank);
  if (!url_ok && !url_blank && problem == NULL)
    problem = url_error->message;

  if (*key != '\0')
    {
      key_ok = pw_api_key_is_valid (key, &key_error);
      if (!key_ok && problem == NULL)
        problem = key_error->message;
    }
  set_row_error (self->key_row, !key_ok);

  gtk_label_set_text (self->field_error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->field_error_label), problem != NULL);

  /* Something to test with: a key typed in, or the connection's own. */
  have_key = *key != '\0';
  if (!have_key && self->name != NULL)
    {
      PwConnection *connection = pw_connection_manager_lookup (self->manager, self->name);

      have_key = connection != NULL && pw_connection_has_key (connection);
    }
  gtk_widget_set_sensitive (self->test_button, url_ok && key_ok && have_key &&
                                                   !self->busy && !self->testing);
  gtk_widget_set_sensitive (self->save_button,
                            name_ok && url_ok && key_ok && !self->busy);

  return name_ok && url_ok && key_ok;
}

static void
update_key_hint (PwConnectionDialog *self)
{
  PwConnection *connection = pw_connection_manager_lookup (self->manager, self->name);
  const char *hint;

  if (*gtk_editable_get_text (GTK_EDITABLE (self->key_row)) != '\0')
    hint =
        self->name != NULL
            ? _ ("Replaces the stored key in the keyring when you press Save.")
            : _ ("Kept in the keyring (the Secret Service) when you press Add, never in "
                 "a file.");
  else if (pw_connection_manager_get_environment_key_set (self->manager))
    hint = _ ("PLAYWAVE_API_KEY is set, so it is used for every connection until the app "
              "quits. A key entered here is kept in the keyring for later.");
  else if (connection == NULL)
    hint = _ ("Kept in the keyring (the Secret Service), never in a file.");
  else
    switch (pw_connection_get_key_state (connection))
      {
        case PW_KEY_STATE_KEYRING:
          hint = _ ("A key is stored in the keyring. Leave the field empty to keep it.");
          break;

        case PW_KEY_STATE_MEMORY:
          hint = _ ("A key is in use until the app quits; the keyring could not keep it. "
                    "Leave the field empty to keep it.");
          break;

        case PW_KEY_STATE_ERROR:
          hint = pw_connection_get_problem (connection);
          break;

        case PW_KEY_STATE_MISSING:
          hint = _ ("No key is stored yet: its sessions cannot be heartbeated.");
          break;

        case PW_KEY_STATE_UNKNOWN:
        case PW_KEY_STATE_LOOKING_UP:
        case PW_KEY_STATE_ENVIRONMENT:
        default:
          hint = _ ("Kept in the keyring (the Secret Service), never in a file.");
          break;
      }

  gtk_label_set_text (self->key_hint_label, hint);
}

static void
set_busy (PwConnectionDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), busy);
  gtk_spinner_set_spinning (self->save_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy && self->name == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !busy);
  gtk_widget_set_sensitive (self->remove_button, !busy);
  validate (self);
}

static void
show_test_result (PwConnectionDialog *self, const char *state, const char *message)
{
  gtk_stack_set_visible_child_name (self->test_icon_stack, state);
  gtk_spinner_set_spinning (self->test_spinner, g_str_equal (state, "busy"));
  adw_action_row_set_subtitle (self->test_row, message);
  self->testing = g_str_equal (state, "busy");
  validate (self);
  /* Screen readers hear the outcome without moving there. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
finish (PwConnectionDialog *self, gboolean saved)
{
  self->busy = FALSE;
  g_signal_emit (self, signals[SIGNAL_DONE], 0, saved);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Callbacks */

static void
field_changed_cb (PwConnectionDialog *self)
{
  validate (self);
  update_key_hint (self);
}

static gboolean
timeout_output_cb (PwConnectionDialog *self, GtkSpinButton *spin)
{
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = NULL;

  if (value == 0)
    /* Translators: the timeout of a connection that follows the general one */
    text = g_strdup (C_ ("timeout", "Default"));
  else
    /* Translators: a timeout in seconds, keep it short */
    text = g_strdup_printf (C_ ("timeout", "%d s"), value);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static int
timeout_input_cb (PwConnectionDialog *self, double *value, GtkSpinButton *spin)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  guint64 number;
  g_autofree char *digits = NULL;

  if (g_strcmp0 (text, C_ ("timeout", "Default")) == 0)
    {
      *value = 0;
      return TRUE;
    }

  digits = g_strstrip (g_strdup (text));
  digits[strspn (digits, "0123456789")] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, 120, &number, NULL))
    return GTK_INPUT_ERROR;

  *value = (double) number;
  return TRUE;
}

static void
probed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PwConnectionDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  PwProbeVerdict verdict;

  if (!pw_connection_manager_probe_finish (PW_CONNECTION_MANAGER (object), result,
                                           &verdict, NULL, &message, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_test_result (self, "failed", error->message);
      return;
    }

  switch (verdict)
    {
      case PW_PROBE_KEY_ACCEPTED:
        show_test_result (self, "accepted", message);
        break;

      case PW_PROBE_KEY_REJECTED:
        show_test_result (self, "rejected", message);
        break;

      case PW_PROBE_FAILED:
      default:
        show_test_result (self, "failed", message);
        break;
    }
}

static void
test_clicked_cb (PwConnectionDialog *self)
{
  g_autofree char *url = dup_stripped (self->url_row);

  show_test_result (self, "busy", _ ("Sending a heartbeat for a made-up session…"));
  pw_connection_manager_probe_async (self->manager, self->name, url,
                                     text_of (self->key_row), timeout_value (self),
                                     self->cancellable, probed_cb, self);
}

static void
key_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PwConnectionDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!pw_connection_manager_set_key_finish (PW_CONNECTION_MANAGER (object), result,
                                             &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
    }

  finish (self, TRUE);
}

static void
save_clicked_cb (PwConnectionDialog *self)
{
  PwConnectionStore *store = pw_connection_manager_get_store (self->manager);
  g_autofree char *name =
      self->name ? g_strdup (self->name) : dup_stripped (self->name_row);
  g_autofree char *url = dup_stripped (self->url_row);
  g_autoptr (GError) error = NULL;
  const char *key = text_of (self->key_row);
  gboolean ok;

  if (self->busy || !validate (self) || store == NULL)
    return;

  if (self->name == NULL)
    ok = pw_connection_store_add (store, name, url, timeout_value (self), &error);
  else
    ok = pw_connection_store_update (store, name, url, timeout_value (self), &error);

  if (!ok)
    {
      gtk_label_set_text (self->field_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->field_error_label), TRUE);
      return;
    }

  if (*key == '\0')
    {
      finish (self, TRUE);
      return;
    }

  /* Not cancellable: the key must reach the keyring (the dialog stays
   * open, busy, until it has). */
  set_busy (self, TRUE);
  pw_connection_manager_set_key_async (self->manager, name, key, NULL, key_set_cb,
                                       g_object_ref (self));
}

static void
removed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PwConnectionDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!pw_connection_manager_remove_finish (PW_CONNECTION_MANAGER (object), result,
                                            &error))
    {
      toast (self, error->message);
      set_busy (self, FALSE);
      if (pw_connection_manager_lookup (self->manager, self->name) != NULL)
        return;
    }

  finish (self, TRUE);
}

static void
remove_confirmed_cb (AdwMessageDialog *dialog,
                     const char *response,
                     PwConnectionDialog *self)
{
  if (g_strcmp0 (response, "remove") != 0)
    return;

  set_busy (self, TRUE);
  pw_connection_manager_remove_async (self->manager, self->name, NULL, removed_cb,
                                      g_object_ref (self));
}

static void
remove_clicked_cb (PwConnectionDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  guint n_finished = 0;

  if (!pw_connection_manager_can_remove (self->manager, self->name, &n_finished, &error))
    {
      /* Translators: %s is a connection's name */
      heading = g_strdup_printf (_ ("“%s” Cannot Be Removed"), self->name);
      dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  heading = g_strdup_printf (_ ("Remove “%s”?"), self->name);
  if (n_finished > 0)
    body = g_strdup_printf (
        ngettext ("Its API key is deleted from the keyring, and its %u finished "
                  "session leaves the list.",
                  "Its API key is deleted from the keyring, and its %u finished "
                  "sessions leave the list.",
                  n_finished),
        n_finished);
  else
    body = g_strdup (_ ("Its API key is deleted from the keyring."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Overrides */

static void
pw_connection_dialog_constructed (GObject *object)
{
  PwConnectionDialog *self = (PwConnectionDialog *) object;
  PwConnection *connection;

  G_OBJECT_CLASS (pw_connection_dialog_parent_class)->constructed (object);

  g_assert (PW_IS_CONNECTION_MANAGER (self->manager));
  connection = pw_connection_manager_lookup (self->manager, self->name);

  if (connection == NULL)
    {
      g_clear_pointer (&self->name, g_free);
      gtk_window_set_title (GTK_WINDOW (self), _ ("Add Connection"));
      /* Translators: the button that stores a new connection */
      gtk_button_set_label (GTK_BUTTON (self->save_button), _ ("_Add"));
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), "https://");
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), pw_connection_get_name (connection));
      gtk_button_set_label (GTK_BUTTON (self->save_button), _ ("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             pw_connection_get_name (connection));
      gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), FALSE);
      gtk_widget_set_tooltip_text (
          GTK_WIDGET (self->name_row),
          _ ("Names do not change: sessions and the keyring refer to them. Add a new "
             "connection for another name."));
      gtk_editable_set_text (GTK_EDITABLE (self->url_row),
                             pw_connection_get_base_url (connection));
      gtk_spin_button_set_value (self->timeout_spin,
                                 pw_connection_get_timeout (connection));
      gtk_widget_set_visible (self->remove_button, TRUE);
    }

  update_key_hint (self);
  validate (self);
}

static void
pw_connection_dialog_map (GtkWidget *widget)
{
  PwConnectionDialog *self = PW_CONNECTION_DIALOG (widget);

  GTK_WIDGET_CLASS (pw_connection_dialog_parent_class)->map (widget);

  if (self->focus_key)
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
  else if (self->name == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static gboolean
pw_connection_dialog_close_request (GtkWindow *window)
{
  PwConnectionDialog *self = PW_CONNECTION_DIALOG (window);

  /* Saving or removing: it closes by itself when the keyring answers. */
  if (self->busy)
    return TRUE;

  return GTK_WINDOW_CLASS (pw_connection_dialog_parent_class)->close_request (window);
}

static void
pw_connection_dialog_dispose (GObject *object)
{
  PwConnectionDialog *self = (PwConnectionDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_CONNECTION_DIALOG);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pw_connection_dialog_parent_class)->dispose (object);
}

static void
pw_connection_dialog_finalize (GObject *object)
{
  PwConnectionDialog *self = (PwConnectionDialog *) object;

  g_clear_object (&self->cancellable);
  g_free (self->name);

  G_OBJECT_CLASS (pw_connection_dialog_parent_class)->finalize (object);
}

static void
pw_connection_dialog_get_property (GObject *object,
                                   guint prop_id,
                                   GValue *value,
                                   GParamSpec *pspec)
{
  PwConnectionDialog *self = PW_CONNECTION_DIALOG (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        g_value_set_object (value, self->manager);
        break;

      case PROP_NAME:
        g_value_set_string (value, self->name);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_dialog_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  PwConnectionDialog *self = PW_CONNECTION_DIALOG (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        self->manager = g_value_dup_object (value);
        break;

      case PROP_NAME:
        self->name = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_dialog_class_init (PwConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pw_connection_dialog_constructed;
  object_class->dispose = pw_connection_dialog_dispose;
  object_class->finalize = pw_connection_dialog_finalize;
  object_class->get_property = pw_connection_dialog_get_property;
  object_class->set_property = pw_connection_dialog_set_property;
  widget_class->map = pw_connection_dialog_map;
  window_class->close_request = pw_connection_dialog_close_request;

  properties[PROP_MANAGER] = g_param_spec_object (
      "manager", NULL, NULL, PW_TYPE_CONNECTION_MANAGER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnectionDialog:name:
   *
   * The stored connection being edited; %NULL to add one.
   */
  properties[PROP_NAME] = g_param_spec_string (
      "name", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwConnectionDialog::done:
   * @saved: whether anything was stored or removed
   *
   * The dialog is about to close.
   */
  signals[SIGNAL_DONE] =
      g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog,
                                        field_error_label);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog,
                                        test_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, key_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PwConnectionDialog, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeout_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeout_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
pw_connection_dialog_init (PwConnectionDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * pw_connection_dialog_new:
 * @parent: (nullable): the window it belongs to (Preferences)
 * @name: (nullable): the stored connection to edit; %NULL to add one
 *
 * Returns: (transfer floating): the dialog, not yet shown
 */
GtkWidget *
pw_connection_dialog_new (GtkWindow *parent,
                          PwConnectionManager *manager,
                          const char *name)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (manager), NULL);

  return g_object_new (PW_TYPE_CONNECTION_DIALOG, "transient-for", parent, "manager",
                       manager, "name", name, NULL);
}

/**
 * pw_connection_dialog_focus_key:
 *
 * Puts the focus on the API key when the dialog shows (the unauthorized
 * banner's "How to Fix" leads here).
 */
void
pw_connection_dialog_focus_key (PwConnectionDialog *self)
{
  g_return_if_fail (PW_IS_CONNECTION_DIALOG (self));

  self->focus_key = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

gboolean
pw_connection_dialog_is_adding (PwConnectionDialog *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_DIALOG (self), FALSE);

  return self->name == NULL;
}
