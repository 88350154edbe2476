/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-connection-store.h"
#include "pw-error.h"

/* The stored connections, in the order they were added, as a GListModel
 * of PwConnection over two GSettings keys: "connections" (a(ssu): name,
 * base URL, timeout in seconds with 0 following "request-timeout") and
 * "default-connection". API keys are never here: they are in the keyring
 * (pw-keyring.c).
 *
 * GSettings is the truth: every change is written there and read back, and
 * a change made elsewhere (another instance, dconf-editor) is read when
 * GSettings says so. Reading keeps the PwConnection of a name that is still
 * there (and only notifies what changed), so whoever holds one — a client
 * made for it, a row in Preferences — can follow it. An entry with a name
 * that is not valid, or that comes twice, is skipped; a bad base URL is
 * kept (the manager reports it on the connection), so that nothing the
 * user stored is lost by reading it. */

#define CONNECTIONS_KEY "connections"
#define DEFAULT_KEY "default-connection"

struct _PwConnectionStore
{
  GObject parent_instance;

  GSettings *settings;
  GPtrArray *items; /* PwConnection */
  char *default_name;
};

static void pw_connection_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (
    PwConnectionStore,
    pw_connection_store,
    G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pw_connection_store_list_model_init))

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static PwConnection *
find (GPtrArray *items, const char *name, guint *position)
{
  for (guint i = 0; i < items->len; i++)
    {
      PwConnection *connection = g_ptr_array_index (items, i);

      if (g_strcmp0 (pw_connection_get_name (connection), name) == 0)
        {
          if (position != NULL)
            *position = i;
          return connection;
        }
    }

  return NULL;
}

static gboolean
same_names (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (pw_connection_get_name (g_ptr_array_index (a, i)),
                   pw_connection_get_name (g_ptr_array_index (b, i))) != 0)
      return FALSE;

  return TRUE;
}

static void
update_default (PwConnectionStore *self)
{
  g_autofree char *stored = g_settings_get_string (self->settings, DEFAULT_KEY);
  const char *name = NULL;

  if (find (self->items, stored, NULL) != NULL)
    name = stored;
  else if (self->items->len > 0)
    name = pw_connection_get_name (g_ptr_array_index (self->items, 0));

  if (g_strcmp0 (name, self->default_name) == 0)
    return;

  g_free (self->default_name);
  self->default_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT]);
}

static void
reload (PwConnectionStore *self)
{
  g_autoptr (GVariant) value = g_settings_get_value (self->settings, CONNECTIONS_KEY);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) old = NULL;
  GVariantIter iter;
  const char *name;
  const char *base_url;
  guint32 timeout;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&su)", &name, &base_url, &timeout))
    {
      PwConnection *connection;

      if (!pw_connection_name_is_valid (name, NULL) || find (items, name, NULL) != NULL)
        {
          g_debug ("Skipping the stored connection “%s”: bad or repeated name", name);
          continue;
        }

      timeout = MIN (timeout, PW_CONNECTION_TIMEOUT_MAX);
      connection = find (self->items, name, NULL);
      if (connection != NULL)
        {
          g_object_ref (connection);
          pw_connection_set_base_url (connection, base_url);
          pw_connection_set_timeout (connection, timeout);
        }
      else
        {
          connection = pw_connection_new (name, base_url, timeout, FALSE);
        }
      g_ptr_array_add (items, connection);
    }

  if (same_names (items, self->items))
    {
      update_default (self);
      return;
    }

  old = g_steal_pointer (&self->items);
  self->items = g_steal_pointer (&items);
  update_default (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, self->items->len);
}

/* Writes @items (with @replace standing in for the entry of its name, or
 * appended) without @remove, and reads the result back. */
static void
write_settings (PwConnectionStore *self, PwConnection *replace, const char *remove)
{
  GVariantBuilder builder;
  gboolean replaced = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssu)"));
  for (guint i = 0; i < self->items->len; i++)
    {
      PwConnection *connection = g_ptr_array_index (self->items, i);
      const char *name = pw_connection_get_name (connection);

      if (g_strcmp0 (name, remove) == 0)
        continue;
      if (replace != NULL && g_str_equal (name, pw_connection_get_name (replace)))
        {
          connection = replace;
          replaced = TRUE;
        }
      g_variant_builder_add (&builder, "(ssu)", name,
                             pw_connection_get_base_url (connection)
                                 ? pw_connection_get_base_url (connection)
                                 : "",
                             pw_connection_get_timeout (connection));
    }
  if (replace != NULL && !replaced)
    g_variant_builder_add (&builder, "(ssu)", pw_connection_get_name (replace),
                           pw_connection_get_base_url (replace),
                           pw_connection_get_timeout (replace));

  g_settings_set_value (self->settings, CONNECTIONS_KEY,
                        g_variant_builder_end (&builder));
  /* Backends tell about the change from an idle; read it back now, so the
   * model is current when this returns (the later signal changes nothing). */
  reload (self);
}

static gboolean
check_entry (const char *base_url, guint timeout_sec, char **normalized, GError **error)
{
  *normalized = pw_base_url_normalize (base_url, error);

  return *normalized != NULL && pw_connection_timeout_is_valid (timeout_sec, error);
}

static void
no_such_connection (const char *name, GError **error)
{
  g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
               _ ("There is no connection named “%s”"), name ? name : "");
}

/* Callbacks */

static void
settings_changed_cb (PwConnectionStore *self, const char *key)
{
  if (g_strcmp0 (key, CONNECTIONS_KEY) == 0)
    reload (self);
  else if (g_strcmp0 (key, DEFAULT_KEY) == 0)
    update_default (self);
}

/* GListModel */

static GType
pw_connection_store_get_item_type (GListModel *model)
{
  return PW_TYPE_CONNECTION;
}

static guint
pw_connection_store_get_n_items (GListModel *model)
{
  return PW_CONNECTION_STORE (model)->items->len;
}

static gpointer
pw_connection_store_get_item (GListModel *model, guint position)
{
  PwConnectionStore *self = PW_CONNECTION_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pw_connection_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pw_connection_store_get_item_type;
  iface->get_n_items = pw_connection_store_get_n_items;
  iface->get_item = pw_connection_store_get_item;
}

/* Overrides */

static void
pw_connection_store_constructed (GObject *object)
{
  PwConnectionStore *self = (PwConnectionStore *) object;

  G_OBJECT_CLASS (pw_connection_store_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
pw_connection_store_dispose (GObject *object)
{
  PwConnectionStore *self = (PwConnectionStore *) object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (pw_connection_store_parent_class)->dispose (object);
}

static void
pw_connection_store_finalize (GObject *object)
{
  PwConnectionStore *self = (PwConnectionStore *) object;

  g_ptr_array_unref (self->items);
  g_free (self->default_name);

  G_OBJECT_CLASS (pw_connection_store_parent_class)->finalize (object);
}

static void
pw_connection_store_get_property (GObject *object,
                                  guint prop_id,
                                  GValue *value,
                                  GParamSpec *pspec)
{
  PwConnectionStore *self = PW_CONNECTION_STORE (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;

      case PROP_DEFAULT:
        g_value_set_string (value, self->default_name);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_store_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  PwConnectionStore *self = PW_CONNECTION_STORE (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_store_class_init (PwConnectionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pw_connection_store_constructed;
  object_class->dispose = pw_connection_store_dispose;
  object_class->finalize = pw_connection_store_finalize;
  object_class->get_property = pw_connection_store_get_property;
  object_class->set_property = pw_connection_store_set_property;

  properties[PROP_SETTINGS] = g_param_spec_object (
      "settings", NULL, NULL, G_TYPE_SETTINGS,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnectionStore:default:
   *
   * The connection new sessions go to: "default-connection" when it names
   * a stored connection, else the first one; %NULL when there is none.
   */
  properties[PROP_DEFAULT] = g_param_spec_string (
      "default", NULL, NULL, NULL,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_connection_store_init (PwConnectionStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

/**
 * pw_connection_store_new:
 * @settings: the app's settings (schema `io.github.playwave_tools.SessionMonitor`)
 *
 * Returns: (transfer full): the stored connections
 */
PwConnectionStore *
pw_connection_store_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PW_TYPE_CONNECTION_STORE, "settings", settings, NULL);
}

GSettings *
pw_connection_store_get_settings (PwConnectionStore *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), NULL);

  return self->settings;
}

/**
 * pw_connection_store_lookup:
 *
 * Returns: (transfer none) (nullable): the stored connection of that name
 */
PwConnection *
pw_connection_store_lookup (PwConnectionStore *self, const char *name)
{
  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), NULL);

  return name != NULL ? find (self->items, name, NULL) : NULL;
}

/**
 * pw_connection_store_add:
 * @base_url: checked and normalized with pw_base_url_normalize()
 * @timeout_sec: 0 to follow the general "request-timeout"
 *
 * Stores a new connection at the end of the list. The first one becomes
 * the default.
 *
 * Returns: %TRUE, or %FALSE with a %PW_ERROR_INVALID_ARGUMENT error (bad or
 *   taken name, bad URL or timeout)
 */
gboolean
pw_connection_store_add (PwConnectionStore *self,
                         const char *name,
                         const char *base_url,
                         guint timeout_sec,
                         GError **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr (PwConnection) connection = NULL;

  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), FALSE);

  if (!pw_connection_name_is_valid (name, error))
    return FALSE;
  if (find (self->items, name, NULL) != NULL)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("There is already a connection named “%s”"), name);
      return FALSE;
    }
  if (!check_entry (base_url, timeout_sec, &normalized, error))
    return FALSE;

  connection = pw_connection_new (name, normalized, timeout_sec, FALSE);
  write_settings (self, connection, NULL);
  if (self->items->len == 1)
    pw_connection_store_set_default (self, name, NULL);

  return TRUE;
}

/**
 * pw_connection_store_update:
 *
 * Changes the base URL and timeout of a stored connection. Names do not
 * change: sessions and the keyring item refer to them.
 *
 * Returns: %TRUE, or %FALSE with a %PW_ERROR_INVALID_ARGUMENT error
 */
gboolean
pw_connection_store_update (PwConnectionStore *self,
                            const char *name,
                            const char *base_url,
                            guint timeout_sec,
                            GError **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr (PwConnection) changed = NULL;

  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), FALSE);

  if (find (self->items, name, NULL) == NULL)
    {
      no_such_connection (name, error);
      return FALSE;
    }
  if (!check_entry (base_url, timeout_sec, &normalized, error))
    return FALSE;

  changed = pw_connection_new (name, normalized, timeout_sec, FALSE);
  write_settings (self, changed, NULL);

  return TRUE;
}

/**
 * pw_connection_store_remove:
 *
 * Removes a stored connection (its key in the keyring is the caller's to
 * clear). When it was the default, the first remaining one becomes it.
 *
 * Returns: %TRUE, or %FALSE with a %PW_ERROR_INVALID_ARGUMENT error
 */
gboolean
pw_connection_store_remove (PwConnectionStore *self, const char *name, GError **error)
{
  g_autofree char *stored_default = NULL;

  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), FALSE);

  if (find (self->items, name, NULL) == NULL)
    {
      no_such_connection (name, error);
      return FALSE;
    }

  write_settings (self, NULL, name);

  stored_default = g_settings_get_string (self->settings, DEFAULT_KEY);
  if (g_strcmp0 (stored_default, name) == 0)
    g_settings_set_string (
        self->settings, DEFAULT_KEY,
        self->items->len > 0 ? pw_connection_get_name (g_ptr_array_index (self->items, 0))
                             : "");
  update_default (self);

  return TRUE;
}

/**
 * pw_connection_store_get_default:
 *
 * Returns: (nullable): see #PwConnectionStore:default
 */
const char *
pw_connection_store_get_default (PwConnectionStore *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), NULL);

  return self->default_name;
}

gboolean
pw_connection_store_set_default (PwConnectionStore *self,
                                 const char *name,
                                 GError **error)
{
  g_return_val_if_fail (PW_IS_CONNECTION_STORE (self), FALSE);

  if (find (self->items, name, NULL) == NULL)
    {
      no_such_connection (name, error);
      return FALSE;
    }

  g_settings_set_string (self->settings, DEFAULT_KEY, name);
  update_default (self);

  return TRUE;
}
