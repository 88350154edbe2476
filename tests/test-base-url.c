/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pw-base-url.h"
#include "pw-client.h"
#include "pw-error.h"

static void
test_normalize (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "https://api.example.com/v1", "https://api.example.com/v1" },
    { "https://api.example.com/v1/", "https://api.example.com/v1" },
    { "https://api.example.com:8443/prefix/v1//",
      "https://api.example.com:8443/prefix/v1" },
    { "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1" },
    { "http://127.1.2.3/v1", "http://127.1.2.3/v1" },
    { "http://localhost:1/v1", "http://localhost:1/v1" },
    { "http://[::1]:9/v1", "http://[::1]:9/v1" },
    { "http://api.example.com/v1", NULL },
    { "http://10.0.0.1/v1", NULL },
    { "http://[::2]/v1", NULL },
    { "ftp://api.example.com/v1", NULL },
    { "https://api.example.com", NULL },
    { "https://api.example.com/v2", NULL },
    { "https://user:pw@api.example.com/v1", NULL },
    { "https://api.example.com/v1?x=1", NULL },
    { "not a url", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *result = pw_base_url_normalize (cases[i].input, &error);

      g_test_message ("%s", cases[i].input);
      g_assert_cmpstr (result, ==, cases[i].expected);
      if (cases[i].expected == NULL)
        g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_api_key (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pw_api_key_is_valid ("pk_live_abc-123", NULL));
  g_assert_false (pw_api_key_is_valid ("", &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (pw_api_key_is_valid ("secret\r\nX-Evil: 1", &error));
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  /* The message never quotes the key. */
  g_assert_null (strstr (error->message, "secret"));
}

static void
test_client_refuses (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PwClient) client = NULL;

  client = pw_client_new ("http://203.0.113.5/v1", "k", &error);
  g_assert_null (client);
  g_assert_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  client = pw_client_new ("https://api.example.com/v1/", "k", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_client_get_base_url (client), ==, "https://api.example.com/v1");
  g_assert_finalize_object (g_steal_pointer (&client));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/base-url/normalize", test_normalize);
  g_test_add_func ("/base-url/api-key", test_api_key);
  g_test_add_func ("/base-url/client-refuses", test_client_refuses);

  return g_test_run ();
}
