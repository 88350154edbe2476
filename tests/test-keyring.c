/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-error.h"
#include "pw-keyring.h"
#include "pw-test-util.h"

/* API keys through libsecret, against a real backend: libsecret's file
 * backend in a private folder (`test-keyring`), or a private
 * gnome-keyring-daemon on a private D-Bus (`test-keyring-service`, through
 * tests/run-with-keyring.sh). Items are stored, found, replaced and
 * cleared; labels and attributes, which are kept in the clear, never hold
 * the key. */

#define KEY_A "key-a-0f1e2d3c4b5a"
#define KEY_B "key-b-a1b2c3d4e5f6"

typedef struct
{
  gboolean done;
  gboolean ok;
  char *key;
  GError *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->key, pw_keyring_free_key);
  g_clear_error (&result->error);
  result->done = FALSE;
  result->ok = FALSE;
}

static void
stored_cb (GObject *object, GAsyncResult *async_result, gpointer user_data)
{
  Result *result = user_data;

  result->ok = pw_keyring_store_finish (async_result, &result->error);
  result->done = TRUE;
}

static void
looked_up_cb (GObject *object, GAsyncResult *async_result, gpointer user_data)
{
  Result *result = user_data;

  result->key = pw_keyring_lookup_finish (async_result, &result->error);
  result->ok = result->error == NULL;
  result->done = TRUE;
}

static void
cleared_cb (GObject *object, GAsyncResult *async_result, gpointer user_data)
{
  Result *result = user_data;

  result->ok = pw_keyring_clear_finish (async_result, &result->error);
  result->done = TRUE;
}

static void
store (const char *connection, const char *key)
{
  Result result = { 0 };

  pw_keyring_store_async (connection, key, NULL, stored_cb, &result);
  spin_until (&result.done);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
}

static char *
lookup (const char *connection)
{
  Result result = { 0 };

  pw_keyring_lookup_async (connection, NULL, looked_up_cb, &result);
  spin_until (&result.done);
  g_assert_no_error (result.error);

  return g_steal_pointer (&result.key);
}

static void
clear (const char *connection)
{
  Result result = { 0 };

  pw_keyring_clear_async (connection, NULL, cleared_cb, &result);
  spin_until (&result.done);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
}

/* Tests */

static void
test_schema (void)
{
  const SecretSchema *schema = pw_keyring_get_schema ();

  g_assert_cmpstr (schema->name, ==, APP_ID);
  g_assert_cmpint (schema->flags, ==, SECRET_SCHEMA_NONE);
  g_assert_cmpstr (schema->attributes[0].name, ==, "connection");
  g_assert_cmpint (schema->attributes[0].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_null (schema->attributes[1].name);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr (PwKey) a = NULL;
  g_autoptr (PwKey) b = NULL;
  g_autoptr (PwKey) replaced = NULL;
  g_autoptr (PwKey) gone = NULL;
  g_autoptr (PwKey) still = NULL;
  g_autoptr (PwKey) never = NULL;

  store ("prod", KEY_A);
  store ("스테이징", KEY_B);

  a = lookup ("prod");
  b = lookup ("스테이징");
  g_assert_cmpstr (a, ==, KEY_A);
  g_assert_cmpstr (b, ==, KEY_B);

  /* Storing again replaces: one item per connection. */
  store ("prod", KEY_B);
  replaced = lookup ("prod");
  g_assert_cmpstr (replaced, ==, KEY_B);

  clear ("prod");
  gone = lookup ("prod");
  g_assert_null (gone);
  /* Clearing what is not there is fine. */
  clear ("prod");
  /* The other connection's item is untouched. */
  still = lookup ("스테이징");
  g_assert_cmpstr (still, ==, KEY_B);
  clear ("스테이징");

  never = lookup ("never-stored");
  g_assert_null (never);
}

/* Labels and attributes are stored in the clear: only the connection's
 * name may be there. */
static void
test_no_secret_in_attributes (void)
{
  g_autoptr (GError) error = NULL;
  GList *items;
  guint n = 0;

  store ("prod", KEY_A);

  items = secret_password_search_sync (pw_keyring_get_schema (), SECRET_SEARCH_ALL, NULL,
                                       &error, "connection", "prod", NULL);
  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      g_autofree char *label = secret_retrievable_get_label (item);
      g_autoptr (GHashTable) attributes = secret_retrievable_get_attributes (item);
      GHashTableIter iter;
      gpointer name, value;

      g_assert_nonnull (strstr (label, "prod"));
      g_assert_null (strstr (label, KEY_A));
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, &name, &value))
        {
          g_assert_null (strstr (value, KEY_A));
          g_assert_true (g_str_equal (name, "connection") ||
                         g_str_has_prefix (name, "xdg:"));
        }
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
  g_list_free_full (items, g_object_unref);

  clear ("prod");
}

static void
test_invalid_key (void)
{
  const char *bad[] = { "", "two words", "line\nbreak" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Result result = { 0 };

      pw_keyring_store_async ("prod", bad[i], NULL, stored_cb, &result);
      spin_until (&result.done);
      g_assert_false (result.ok);
      g_assert_error (result.error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
      g_assert_null (strstr (result.error->message, bad[i][0] ? bad[i] : "\x01"));
      result_clear (&result);
    }
}

static void
test_environment (void)
{
  g_autoptr (PwKey) key = NULL;

  g_unsetenv (PW_KEYRING_ENV_KEY);
  g_assert_null (pw_keyring_dup_environment_key ());
  g_setenv (PW_KEYRING_ENV_KEY, "", TRUE);
  g_assert_null (pw_keyring_dup_environment_key ());
  g_setenv (PW_KEYRING_ENV_KEY, KEY_A, TRUE);
  key = pw_keyring_dup_environment_key ();
  g_assert_cmpstr (key, ==, KEY_A);
  g_unsetenv (PW_KEYRING_ENV_KEY);
}

/* No Secret Service on the bus: a clear error, quickly, no hang. */
static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      Result result = { 0 };

      pw_keyring_lookup_async ("prod", NULL, looked_up_cb, &result);
      spin_until (&result.done);
      g_assert_false (result.ok);
      g_assert_nonnull (result.error);
      g_assert_true (g_str_has_prefix (result.error->message, "Keyring: "));
      g_print ("%s\n", result.error->message);
      result_clear (&result);
      return;
    }

  {
    g_autofree char *backend = g_strdup (g_getenv ("SECRET_BACKEND"));
    g_autofree char *bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    g_setenv ("SECRET_BACKEND", "service", TRUE);
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/playwave-test", TRUE);
    g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_setenv ("SECRET_BACKEND", backend, TRUE);
    if (bus != NULL)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
    else
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  }
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Keyring: *");
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  /* The no-service child inherits SECRET_BACKEND=service and keeps it. */
  dir = test_use_private_keyring ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/schema", test_schema);
  g_test_add_func ("/keyring/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/keyring/no-secret-in-attributes", test_no_secret_in_attributes);
  g_test_add_func ("/keyring/invalid-key", test_invalid_key);
  g_test_add_func ("/keyring/environment", test_environment);
  g_test_add_func ("/keyring/no-service", test_no_service);

  status = g_test_run ();
  test_remove_dir (dir);

  return status;
}
