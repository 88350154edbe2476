/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-connection-dialog.h"
#include "pw-preferences-window.h"

/* Preferences: the connections (a list bound to the manager's model,
 * add/edit in PwConnectionDialog, the default chosen with radio buttons)
 * and the general settings, bound to GSettings.
 *
 * The connections made for this run only (PLAYWAVE_BASE_URL, --sandbox)
 * are listed first, read-only: they are not stored. While one of them
 * exists it is where new sessions go; the radio buttons choose the
 * default among the stored ones, for runs without it. Without a store
 * (--sandbox) nothing can be added. */

struct _PwPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  PwConnectionManager *manager;
  GSettings *settings;
  GtkCheckButton *default_group; /* never shown: the radio group's leader */
  PwConnectionDialog *dialog;    /* weak */
  gboolean updating_default;

  AdwPreferencesPage *connections_page;
  AdwPreferencesGroup *connections_group;
  GtkListBox *connection_list;
  AdwPreferencesGroup *environment_group;
  AdwActionRow *end_on_quit_row;
  GtkSwitch *end_on_quit_switch;
  AdwActionRow *notifications_row;
  GtkSwitch *notifications_switch;
  AdwActionRow *timeout_row;
  GtkAdjustment *timeout_adjustment;
};

G_DEFINE_FINAL_TYPE (PwPreferencesWindow,
                     pw_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_MANAGER,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static PwConnectionStore *
get_store (PwPreferencesWindow *self)
{
  return pw_connection_manager_get_store (self->manager);
}

static const char *
key_state_text (PwConnection *connection)
{
  switch (pw_connection_get_key_state (connection))
    {
      case PW_KEY_STATE_KEYRING:
        return _ ("key in the keyring");
      case PW_KEY_STATE_ENVIRONMENT:
        return _ ("key from PLAYWAVE_API_KEY");
      case PW_KEY_STATE_MEMORY:
        return _ ("key for this run only");
      case PW_KEY_STATE_MISSING:
        return _ ("no API key");
      case PW_KEY_STATE_LOOKING_UP:
        return _ ("looking up the key…");
      case PW_KEY_STATE_ERROR:
      case PW_KEY_STATE_UNKNOWN:
      default:
        return _ ("key unknown");
    }
}

static void
update_row (AdwActionRow *row, PwConnection *connection)
{
  GtkWidget *warning = g_object_get_data (G_OBJECT (row), "pw-warning");
  const char *problem = pw_connection_get_problem (connection);
  g_autofree char *subtitle = NULL;

  if (pw_connection_get_transient (connection))
    subtitle = g_strdup_printf (
        /* Translators: base URL, then where the connection comes from */
        C_ ("connection row", "%s · %s"), pw_connection_get_base_url (connection),
        g_str_equal (pw_connection_get_name (connection), PW_CONNECTION_SANDBOX)
            ? _ ("the built-in demo server, for this run only; new sessions go here")
            : _ ("from PLAYWAVE_BASE_URL, for this run only; new sessions go here"));
  else if (problem != NULL &&
           pw_connection_get_key_state (connection) != PW_KEY_STATE_MISSING)
    subtitle = g_strdup_printf (C_ ("connection row", "%s · %s"),
                                pw_connection_get_base_url (connection), problem);
  else
    subtitle = g_strdup_printf (C_ ("connection row", "%s · %s"),
                                pw_connection_get_base_url (connection),
                                key_state_text (connection));

  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_visible (warning, problem != NULL);
}

static void
update_defaults (PwPreferencesWindow *self)
{
  PwConnectionStore *store = get_store (self);
  const char *name = store != NULL ? pw_connection_store_get_default (store) : NULL;
  gboolean any = FALSE;

  self->updating_default = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->connection_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "pw-default-check");
      PwConnection *connection = g_object_get_data (G_OBJECT (row), "pw-connection");

      if (check == NULL || connection == NULL)
        continue;
      if (g_strcmp0 (pw_connection_get_name (connection), name) == 0)
        {
          gtk_check_button_set_active (check, TRUE);
          any = TRUE;
        }
    }
  if (!any)
    gtk_check_button_set_active (self->default_group, TRUE);
  self->updating_default = FALSE;
}

static void
update_groups (PwPreferencesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->environment_group),
                          pw_connection_manager_get_environment_key_set (self->manager));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.add-connection",
                                 get_store (self) != NULL);
  if (get_store (self) == NULL)
    adw_preferences_group_set_description (
        self->connections_group,
        _ ("With --sandbox only the built-in demo server is used. Stored connections "
           "can be edited the next time the app starts without it."));
}

static void
open_dialog (PwPreferencesWindow *self, const char *name, gboolean focus_key)
{
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  self->dialog = PW_CONNECTION_DIALOG (
      pw_connection_dialog_new (GTK_WINDOW (self), self->manager, name));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  if (focus_key)
    pw_connection_dialog_focus_key (self->dialog);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

/* Callbacks */

static void
connection_changed_cb (AdwActionRow *row, GParamSpec *pspec, PwConnection *connection)
{
  update_row (row, connection);
}

static void
default_toggled_cb (GtkCheckButton *check, PwPreferencesWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (check), GTK_TYPE_LIST_BOX_ROW);
  PwConnection *connection = g_object_get_data (G_OBJECT (row), "pw-connection");
  g_autoptr (GError) error = NULL;

  if (self->updating_default || !gtk_check_button_get_active (check) ||
      connection == NULL || get_store (self) == NULL)
    return;

  if (!pw_connection_store_set_default (get_store (self),
                                        pw_connection_get_name (connection), &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
}

static GtkWidget *
create_row_cb (gpointer item, gpointer user_data)
{
  PwPreferencesWindow *self = user_data;
  PwConnection *connection = item;
  const char *name = pw_connection_get_name (connection);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *warning;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_object_set_data_full (G_OBJECT (row), "pw-connection", g_object_ref (connection),
                          g_object_unref);

  warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (warning, "warning");
  gtk_accessible_update_state (GTK_ACCESSIBLE (warning), GTK_ACCESSIBLE_STATE_HIDDEN,
                               TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), warning);
  g_object_set_data (G_OBJECT (row), "pw-warning", warning);

  if (pw_connection_get_transient (connection))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("system-run-symbolic");

      gtk_widget_set_tooltip_text (icon, _ ("For this run only"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else
    {
      g_autofree char *tooltip = NULL;
      GtkWidget *check = gtk_check_button_new ();

      /* Translators: %s is a connection's name */
      tooltip = g_strdup_printf (_ ("Make “%s” the default for new sessions"), name);
      gtk_widget_set_tooltip_text (check, tooltip);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->default_group);
      g_signal_connect_object (check, "toggled", G_CALLBACK (default_toggled_cb), self,
                               0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "pw-default-check", check);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }

  g_signal_connect_object (connection, "notify::base-url",
                           G_CALLBACK (connection_changed_cb), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::key-state",
                           G_CALLBACK (connection_changed_cb), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::problem",
                           G_CALLBACK (connection_changed_cb), row, G_CONNECT_SWAPPED);
  update_row (ADW_ACTION_ROW (row), connection);

  return row;
}

static void
connections_changed_cb (PwPreferencesWindow *self)
{
  update_defaults (self);
}

static void
row_activated_cb (PwPreferencesWindow *self, GtkListBoxRow *row)
{
  PwConnection *connection = g_object_get_data (G_OBJECT (row), "pw-connection");

  if (connection != NULL && !pw_connection_get_transient (connection))
    open_dialog (self, pw_connection_get_name (connection), FALSE);
}

static void
add_connection_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  pw_preferences_window_add_connection (PW_PREFERENCES_WINDOW (widget));
}

/* Overrides */

static void
pw_preferences_window_constructed (GObject *object)
{
  PwPreferencesWindow *self = (PwPreferencesWindow *) object;
  GListModel *connections;
  GtkWidget *placeholder;

  G_OBJECT_CLASS (pw_preferences_window_parent_class)->constructed (object);

  g_assert (PW_IS_CONNECTION_MANAGER (self->manager));
  connections = pw_connection_manager_get_connections (self->manager);

  placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (placeholder),
                                 _ ("No Connections Yet"));
  adw_action_row_set_subtitle (
      ADW_ACTION_ROW (placeholder),
      get_store (self) != NULL ? _ ("Add the base URL and API key of a PlayWave server")
                               : _ ("Stored connections are not used with --sandbox"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->connection_list, placeholder);

  gtk_list_box_bind_model (self->connection_list, connections, create_row_cb, self, NULL);
  g_signal_connect_object (connections, "items-changed",
                           G_CALLBACK (connections_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::default-name",
                           G_CALLBACK (connections_changed_cb), self, G_CONNECT_SWAPPED);
  if (get_store (self) != NULL)
    g_signal_connect_object (get_store (self), "notify::default",
                             G_CALLBACK (connections_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_defaults (self);
  update_groups (self);

  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "end-on-quit", self->end_on_quit_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "notifications", self->notifications_switch,
                       "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "request-timeout", self->timeout_adjustment,
                       "value", G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      /* No schema installed (running from the build folder): defaults. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->end_on_quit_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->notifications_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->timeout_row), FALSE);
    }
}

static void
pw_preferences_window_dispose (GObject *object)
{
  PwPreferencesWindow *self = (PwPreferencesWindow *) object;

  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
      self->dialog = NULL;
    }
  if (self->connection_list != NULL)
    gtk_list_box_bind_model (self->connection_list, NULL, NULL, NULL, NULL);
  /* The bindings hold the settings until their widgets are finalized, which
   * AdwPreferencesWindow's page models may put off: let go now. */
  if (self->settings != NULL && self->end_on_quit_switch != NULL)
    {
      /* "sensitive" too: binding a value also binds its writability. */
      g_settings_unbind (self->end_on_quit_switch, "active");
      g_settings_unbind (self->end_on_quit_switch, "sensitive");
      g_settings_unbind (self->notifications_switch, "active");
      g_settings_unbind (self->notifications_switch, "sensitive");
      g_settings_unbind (self->timeout_adjustment, "value");
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->default_group);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pw_preferences_window_parent_class)->dispose (object);
}

static void
pw_preferences_window_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        g_value_set_object (value, self->manager);
        break;

      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_preferences_window_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        self->manager = g_value_dup_object (value);
        break;

      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_preferences_window_class_init (PwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_preferences_window_constructed;
  object_class->dispose = pw_preferences_window_dispose;
  object_class->get_property = pw_preferences_window_get_property;
  object_class->set_property = pw_preferences_window_set_property;

  properties[PROP_MANAGER] = g_param_spec_object (
      "manager", NULL, NULL, PW_TYPE_CONNECTION_MANAGER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwPreferencesWindow:settings:
   *
   * The app's settings; %NULL when the schema is not installed.
   */
  properties[PROP_SETTINGS] = g_param_spec_object (
      "settings", NULL, NULL, G_TYPE_SETTINGS,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        connections_page);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        connections_group);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        connection_list);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        environment_group);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        end_on_quit_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        end_on_quit_switch);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        notifications_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, timeout_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow,
                                        timeout_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-connection", NULL,
                                   add_connection_activated);
}

static void
pw_preferences_window_init (PwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->default_group = GTK_CHECK_BUTTON (g_object_ref_sink (gtk_check_button_new ()));
}

/* Public API */

/**
 * pw_preferences_window_new:
 * @parent: (nullable): the main window
 * @settings: (nullable): the app's settings
 *
 * Returns: (transfer floating): the Preferences window, not yet shown
 */
GtkWidget *
pw_preferences_window_new (GtkWindow *parent,
                           PwConnectionManager *manager,
                           GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PW_IS_CONNECTION_MANAGER (manager), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PW_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "manager",
                       manager, "settings", settings, NULL);
}

/**
 * pw_preferences_window_add_connection:
 *
 * Shows the Connections page and the dialog that adds one.
 */
void
pw_preferences_window_add_connection (PwPreferencesWindow *self)
{
  g_return_if_fail (PW_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->connections_page));
  if (get_store (self) != NULL)
    open_dialog (self, NULL, FALSE);
}

/**
 * pw_preferences_window_edit_connection:
 * @focus_key: start in the API key field
 *
 * Shows the Connections page and the dialog of a stored connection.
 */
void
pw_preferences_window_edit_connection (PwPreferencesWindow *self,
                                       const char *name,
                                       gboolean focus_key)
{
  PwConnection *connection;

  g_return_if_fail (PW_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->connections_page));
  connection = pw_connection_manager_lookup (self->manager, name);
  if (connection != NULL && !pw_connection_get_transient (connection))
    open_dialog (self, name, focus_key);
}

/**
 * pw_preferences_window_get_dialog:
 *
 * Returns: (transfer none) (nullable): the connection dialog it opened, if
 *   still open
 */
PwConnectionDialog *
pw_preferences_window_get_dialog (PwPreferencesWindow *self)
{
  g_return_val_if_fail (PW_IS_PREFERENCES_WINDOW (self), NULL);

  return self->dialog;
}
