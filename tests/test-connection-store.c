/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-connection-manager.h"
#include "pw-connection-store.h"
#include "pw-error.h"
#include "pw-keyring.h"
#include "pw-test-util.h"

/* The stored connections over GSettings' memory backend: add, edit,
 * remove, default, what a foreign write does, and that an API key set
 * through the manager ends up in the keyring and in no GSettings key. */

#define SECRET "sk-live-9a8b7c6d5e4f3a2b1c0d"

typedef struct
{
  GSettings *settings;
  PwConnectionStore *store;
  guint n_changes;
  guint last_removed;
  guint last_added;
} StoreFixture;

static void
items_changed_cb (GListModel *model,
                  guint position,
                  guint removed,
                  guint added,
                  StoreFixture *fixture)
{
  fixture->n_changes++;
  fixture->last_removed = removed;
  fixture->last_added = added;
}

static void
store_set_up (StoreFixture *fixture, gconstpointer data)
{
  fixture->settings = test_settings_new ();
  fixture->store = pw_connection_store_new (fixture->settings);
  g_signal_connect (fixture->store, "items-changed", G_CALLBACK (items_changed_cb),
                    fixture);
}

static void
store_tear_down (StoreFixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->settings);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static PwConnection *
item (StoreFixture *fixture, guint position)
{
  g_autoptr (PwConnection) connection =
      g_list_model_get_item (G_LIST_MODEL (fixture->store), position);

  g_assert_nonnull (connection);
  return connection; /* the store keeps it */
}

static char *
stored_text (StoreFixture *fixture)
{
  g_autoptr (GVariant) value = g_settings_get_value (fixture->settings, "connections");

  return g_variant_print (value, FALSE);
}

static void
add_ok (StoreFixture *fixture, const char *name, const char *url, guint timeout)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_connection_store_add (fixture->store, name, url, timeout, &error));
  g_assert_no_error (error);
}

/* The "default-connection" key as stored. */
static void
assert_stored_default (StoreFixture *fixture, const char *expected)
{
  g_autofree char *stored =
      g_settings_get_string (fixture->settings, "default-connection");

  g_assert_cmpstr (stored, ==, expected);
}

/* Tests */

static void
test_name_rules (void)
{
  const char *good[] = { "prod", "Staging EU", "로컬", "a", "x-1_2.3" };
  const char *bad[] = { "",
                        " prod",
                        "prod ",
                        "tab\tname",
                        "line\nbreak",
                        PW_CONNECTION_ENVIRONMENT,
                        PW_CONNECTION_SANDBOX,
                        "\xff\xfe" };
  g_autofree char *long_name = g_strnfill (PW_CONNECTION_NAME_MAX_CHARS + 1, 'n');
  g_autofree char *max_name = g_strnfill (PW_CONNECTION_NAME_MAX_CHARS, 'n');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (pw_connection_name_is_valid (good[i], NULL));
  g_assert_true (pw_connection_name_is_valid (max_name, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (pw_connection_name_is_valid (bad[i], &error));
      g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  g_assert_false (pw_connection_name_is_valid (long_name, NULL));
  g_assert_false (pw_connection_name_is_valid (NULL, NULL));
}

static void
test_new_destroy (StoreFixture *fixture, gconstpointer data)
{
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->store)) ==
                 PW_TYPE_CONNECTION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_null (pw_connection_store_get_default (fixture->store));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->store), 0));
}

static void
test_add (StoreFixture *fixture, gconstpointer data)
{
  g_autofree char *text = NULL;
  PwConnection *prod;

  add_ok (fixture, "prod", "https://api.example.com/v1/", 0);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpuint (fixture->last_added, ==, 1);

  prod = item (fixture, 0);
  g_assert_cmpstr (pw_connection_get_name (prod), ==, "prod");
  /* Normalized: the trailing slash is gone. */
  g_assert_cmpstr (pw_connection_get_base_url (prod), ==, "https://api.example.com/v1");
  g_assert_cmpuint (pw_connection_get_timeout (prod), ==, 0);
  g_assert_false (pw_connection_get_transient (prod));
  g_assert_true (pw_connection_store_lookup (fixture->store, "prod") == prod);
  /* The first connection is the default. */
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "prod");
  assert_stored_default (fixture, "prod");

  add_ok (fixture, "local", "http://127.0.0.1:8765/v1", 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  g_assert_cmpstr (pw_connection_get_name (item (fixture, 1)), ==, "local");
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "prod");
  /* The object of a name survives the re-read. */
  g_assert_true (item (fixture, 0) == prod);

  text = stored_text (fixture);
  g_assert_cmpstr (text, ==,
                   "[('prod', 'https://api.example.com/v1', 0), "
                   "('local', 'http://127.0.0.1:8765/v1', 30)]");
}

static void
test_add_invalid (StoreFixture *fixture, gconstpointer data)
{
  struct
  {
    const char *name;
    const char *url;
    guint timeout;
  } cases[] = {
    { "", "https://a.example/v1", 0 },
    { "environment", "https://a.example/v1", 0 },
    { "prod", "https://a.example/v1", 0 }, /* taken */
    { "x", "http://api.example.com/v1", 0 },
    { "x", "https://api.example.com/v2", 0 },
    { "x", "https://api.example.com/v1?key=1", 0 },
    { "x", "", 0 },
    { "x", "https://api.example.com/v1", PW_CONNECTION_TIMEOUT_MAX + 1 },
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  add_ok (fixture, "prod", "https://api.example.com/v1", 0);
  before = stored_text (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (pw_connection_store_add (fixture->store, cases[i].name,
                                               cases[i].url, cases[i].timeout, &error));
      g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
    }

  after = stored_text (fixture);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
}

static void
notified_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_edit (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  PwConnection *prod;
  guint url_notifies = 0, timeout_notifies = 0;

  add_ok (fixture, "prod", "https://api.example.com/v1", 0);
  add_ok (fixture, "local", "http://127.0.0.1:8765/v1", 0);
  prod = item (fixture, 0);
  g_signal_connect (prod, "notify::base-url", G_CALLBACK (notified_cb), &url_notifies);
  g_signal_connect (prod, "notify::timeout", G_CALLBACK (notified_cb), &timeout_notifies);
  fixture->n_changes = 0;

  g_assert_true (pw_connection_store_update (
      fixture->store, "prod", "https://eu.example.com/api/v1/", 25, &error));
  g_assert_no_error (error);
  /* Same object, same place, no items-changed: only its properties. */
  g_assert_true (item (fixture, 0) == prod);
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  g_assert_cmpstr (pw_connection_get_base_url (prod), ==,
                   "https://eu.example.com/api/v1");
  g_assert_cmpuint (pw_connection_get_timeout (prod), ==, 25);
  g_assert_cmpuint (url_notifies, ==, 1);
  g_assert_cmpuint (timeout_notifies, ==, 1);

  /* Only the timeout: the URL is not notified. */
  g_assert_true (pw_connection_store_update (fixture->store, "prod",
                                             "https://eu.example.com/api/v1", 0, NULL));
  g_assert_cmpuint (url_notifies, ==, 1);
  g_assert_cmpuint (timeout_notifies, ==, 2);

  g_assert_false (pw_connection_store_update (fixture->store, "nope",
                                              "https://a.example/v1", 0, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (pw_connection_store_update (fixture->store, "prod",
                                              "http://eu.example.com/v1", 0, &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (pw_connection_get_base_url (prod), ==,
                   "https://eu.example.com/api/v1");

  text = stored_text (fixture);
  g_assert_cmpstr (text, ==,
                   "[('prod', 'https://eu.example.com/api/v1', 0), "
                   "('local', 'http://127.0.0.1:8765/v1', 0)]");

  g_signal_handlers_disconnect_by_func (prod, notified_cb, &url_notifies);
  g_signal_handlers_disconnect_by_func (prod, notified_cb, &timeout_notifies);
}

static void
test_remove (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  add_ok (fixture, "a", "https://a.example/v1", 0);
  add_ok (fixture, "b", "https://b.example/v1", 0);
  add_ok (fixture, "c", "https://c.example/v1", 0);
  g_assert_true (pw_connection_store_set_default (fixture->store, "b", NULL));

  /* Not the default: the default stays. */
  g_assert_true (pw_connection_store_remove (fixture->store, "c", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "b");

  /* The default: the first remaining one takes over. */
  g_assert_true (pw_connection_store_remove (fixture->store, "b", NULL));
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "a");
  assert_stored_default (fixture, "a");

  g_assert_false (pw_connection_store_remove (fixture->store, "b", &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);

  g_assert_true (pw_connection_store_remove (fixture->store, "a", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_null (pw_connection_store_get_default (fixture->store));
  assert_stored_default (fixture, "");
}

static void
test_default (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint notifies = 0;

  g_signal_connect (fixture->store, "notify::default", G_CALLBACK (notified_cb),
                    &notifies);
  add_ok (fixture, "a", "https://a.example/v1", 0);
  add_ok (fixture, "b", "https://b.example/v1", 0);
  g_assert_cmpuint (notifies, ==, 1);

  g_assert_true (pw_connection_store_set_default (fixture->store, "b", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "b");
  g_assert_cmpuint (notifies, ==, 2);

  g_assert_false (pw_connection_store_set_default (fixture->store, "zzz", &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "b");

  /* A stored default that names nothing: the first one stands in. */
  g_settings_set_string (fixture->settings, "default-connection", "gone");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (pw_connection_store_get_default (fixture->store), ==, "a");

  g_signal_handlers_disconnect_by_func (fixture->store, notified_cb, &notifies);
}

/* Another writer (a second instance, dconf-editor): the store follows,
 * keeps the objects of names still there, and skips what it cannot use. */
static void
test_foreign_write (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GSettings) other = g_settings_new (APP_ID);
  PwConnection *a;

  add_ok (fixture, "a", "https://a.example/v1", 0);
  a = item (fixture, 0);
  g_object_ref (a);

  g_settings_set_value (other, "connections",
                        g_variant_new_parsed ("[('b', 'https://b.example/v1', uint32 5), "
                                              "('a', 'https://a2.example/v1', 500), "
                                              "('', 'https://x.example/v1', 0), "
                                              "('b', 'https://dup.example/v1', 0), "
                                              "('environment', 'https://e/v1', 0), "
                                              "('bad url', 'not a url', 0)]"));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 3);
  g_assert_cmpstr (pw_connection_get_name (item (fixture, 0)), ==, "b");
  g_assert_true (item (fixture, 1) == a);
  g_assert_cmpstr (pw_connection_get_base_url (a), ==, "https://a2.example/v1");
  /* Clamped. */
  g_assert_cmpuint (pw_connection_get_timeout (a), ==, PW_CONNECTION_TIMEOUT_MAX);
  /* Kept as written: the manager reports the bad URL on it. */
  g_assert_cmpstr (pw_connection_get_base_url (item (fixture, 2)), ==, "not a url");

  g_object_unref (a);
}

static void
key_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_connection_manager_set_key_finish (PW_CONNECTION_MANAGER (object),
                                                       result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  char **key = user_data;
  g_autoptr (GError) error = NULL;

  *key = pw_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*key);
}

static void
loaded_cb (GObject *object, GParamSpec *pspec, gboolean *loaded)
{
  *loaded = TRUE;
}

/* The key goes to the keyring, and no key of the schema holds it. */
static void
test_key_never_in_settings (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (PwClock) clock = pw_fake_clock_new ();
  g_autoptr (PwTracker) tracker = pw_tracker_new (clock);
  g_autoptr (PwConnectionManager) manager = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  g_autofree char *found = NULL;
  gboolean done = FALSE, loaded = FALSE;

  g_assert_null (g_getenv ("PLAYWAVE_API_KEY"));
  add_ok (fixture, "prod", "https://api.example.com/v1", 0);
  manager = pw_connection_manager_new (tracker, fixture->store, fixture->settings);
  g_signal_connect (manager, "notify::loaded", G_CALLBACK (loaded_cb), &loaded);
  pw_connection_manager_load (manager);
  spin_until (&loaded);

  pw_connection_manager_set_key_async (manager, "prod", SECRET, NULL, key_set_cb, &done);
  spin_until (&done);
  g_assert_cmpint (pw_connection_get_key_state (item (fixture, 0)), ==,
                   PW_KEY_STATE_KEYRING);

  /* In the keyring, under the connection's name. */
  pw_keyring_lookup_async ("prod", NULL, looked_up_cb, &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (found, ==, SECRET);

  /* Nowhere in GSettings: every key of the schema, printed. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >=, 5);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, TRUE);

      g_assert_null (strstr (text, SECRET));
      g_assert_null (strstr (text, "sk-live"));
    }
  /* Nor in what the connection object exposes. */
  g_assert_null (pw_connection_get_problem (item (fixture, 0)));

  g_signal_handlers_disconnect_by_func (manager, loaded_cb, &loaded);
  g_clear_object (&manager);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char **argv)
{
  g_autofree char *keyring_dir = NULL;
  int status;

  g_unsetenv ("PLAYWAVE_API_KEY");
  keyring_dir = test_use_private_keyring ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection/name-rules", test_name_rules);
#define ADD(path, func)                                                                  \
  g_test_add (path, StoreFixture, NULL, store_set_up, func, store_tear_down)
  ADD ("/connection-store/new-destroy", test_new_destroy);
  ADD ("/connection-store/add", test_add);
  ADD ("/connection-store/add-invalid", test_add_invalid);
  ADD ("/connection-store/edit", test_edit);
  ADD ("/connection-store/remove", test_remove);
  ADD ("/connection-store/default", test_default);
  ADD ("/connection-store/foreign-write", test_foreign_write);
  ADD ("/connection-store/key-never-in-settings", test_key_never_in_settings);
#undef ADD

  status = g_test_run ();
  test_remove_dir (keyring_dir);

  return status;
}
