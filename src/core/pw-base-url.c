/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pw-base-url.h"
#include "pw-error.h"

/* Checks on what the user gives us, made before anything goes on the wire:
 * the key must not leak over plain HTTP to another host, and a base URL
 * without /v1 would turn every heartbeat into a misleading 404. */

#define MAX_IDENTIFIER_BYTES 256
#define MAX_KEY_BYTES 1024

gboolean
pw_base_url_host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal */
  len = strlen (host);
  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * pw_base_url_normalize:
 * @text: what the user typed, e.g. `https://api.example.com/v1/`
 *
 * Returns: (transfer full): the base URL without a trailing slash, or %NULL
 *   with a %PW_ERROR_INVALID_ARGUMENT error that says what to fix
 */
char *
pw_base_url_normalize (const char *text, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("No base URL given (for example https://api.example.com/v1)"));
      return NULL;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a valid URL"), text);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The base URL must start with https:// (got “%s”)"), text);
      return NULL;
    }

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The base URL “%s” has no host"), text);
      return NULL;
    }

  if (g_strcmp0 (scheme, "http") == 0 && !pw_base_url_host_is_loopback (host))
    {
      g_set_error (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("Refusing plain http:// to %s: the API key would travel unencrypted. "
             "Use https://, or http:// only to this computer (127.0.0.1, localhost)"),
          host);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("The base URL “%s” must not contain a user name, a query or a fragment"),
          text);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';

  if (!g_str_has_suffix (path, "/v1"))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The base URL must end in /v1 (for example %s://%s/v1)"), scheme,
                   host);
      return NULL;
    }

  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri), path,
                     NULL, NULL);
}

/* The key goes into a header: refuse anything that could split it. The
 * message never quotes the key. */
gboolean
pw_api_key_is_valid (const char *key, GError **error)
{
  if (key == NULL || *key == '\0')
    {
      g_set_error_literal (
          error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
          _ ("No API key: set PLAYWAVE_API_KEY or store one in the keyring"));
      return FALSE;
    }

  if (strlen (key) > MAX_KEY_BYTES)
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("The API key is too long"));
      return FALSE;
    }

  for (const char *p = key; *p; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      {
        g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                             _ ("The API key contains spaces or characters that cannot "
                                "be sent in a header"));
        return FALSE;
      }

  return TRUE;
}

gboolean
pw_identifier_is_valid (const char *what, const char *value, GError **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT, _ ("The %s is empty"),
                   what);
      return FALSE;
    }

  if (strlen (value) > MAX_IDENTIFIER_BYTES || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The %s is too long or not valid text"), what);
      return FALSE;
    }

  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                     _ ("The %s contains control characters"), what);
        return FALSE;
      }

  return TRUE;
}
