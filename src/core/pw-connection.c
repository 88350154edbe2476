/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-connection.h"
#include "pw-core-enums.h"
#include "pw-error.h"

/* A named PlayWave server: base URL and per-request timeout, as stored in
 * GSettings (PwConnectionStore), or made for this run only (the
 * environment's and the sandbox's, "transient"). What the
 * PwConnectionManager learns at run time sits beside them: where the key
 * comes from and what keeps the connection from working. The key itself
 * is never kept here, so nothing that shows or saves a connection can leak
 * it. */

struct _PwConnection
{
  GObject parent_instance;

  char *name;
  char *base_url;
  guint timeout_sec;
  gboolean transient;
  PwKeyState key_state;
  char *problem;
};

G_DEFINE_FINAL_TYPE (PwConnection, pw_connection, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  PROP_TRANSIENT,
  PROP_KEY_STATE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Overrides */

static void
pw_connection_finalize (GObject *object)
{
  PwConnection *self = (PwConnection *) object;

  g_free (self->name);
  g_free (self->base_url);
  g_free (self->problem);

  G_OBJECT_CLASS (pw_connection_parent_class)->finalize (object);
}

static void
pw_connection_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  PwConnection *self = PW_CONNECTION (object);

  switch (prop_id)
    {
      case PROP_NAME:
        g_value_set_string (value, self->name);
        break;

      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;

      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_sec);
        break;

      case PROP_TRANSIENT:
        g_value_set_boolean (value, self->transient);
        break;

      case PROP_KEY_STATE:
        g_value_set_enum (value, self->key_state);
        break;

      case PROP_PROBLEM:
        g_value_set_string (value, self->problem);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  PwConnection *self = PW_CONNECTION (object);

  switch (prop_id)
    {
      case PROP_NAME:
        self->name = g_value_dup_string (value);
        break;

      case PROP_BASE_URL:
        pw_connection_set_base_url (self, g_value_get_string (value));
        break;

      case PROP_TIMEOUT:
        pw_connection_set_timeout (self, g_value_get_uint (value));
        break;

      case PROP_TRANSIENT:
        self->transient = g_value_get_boolean (value);
        break;

      case PROP_KEY_STATE:
        pw_connection_set_key_state (self, g_value_get_enum (value));
        break;

      case PROP_PROBLEM:
        pw_connection_set_problem (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_connection_class_init (PwConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_connection_finalize;
  object_class->get_property = pw_connection_get_property;
  object_class->set_property = pw_connection_set_property;

  properties[PROP_NAME] =
      g_param_spec_string ("name", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                               G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] = g_param_spec_string (
      "base-url", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnection:timeout:
   *
   * Seconds to wait for each answer; 0 follows the general
   * "request-timeout" setting.
   */
  properties[PROP_TIMEOUT] = g_param_spec_uint (
      "timeout", NULL, NULL, 0, PW_CONNECTION_TIMEOUT_MAX, 0,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnection:transient:
   *
   * Made for this run only (from the environment or --sandbox): not stored,
   * not editable.
   */
  properties[PROP_TRANSIENT] =
      g_param_spec_boolean ("transient", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_STATE] = g_param_spec_enum (
      "key-state", NULL, NULL, PW_TYPE_KEY_STATE, PW_KEY_STATE_UNKNOWN,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PwConnection:problem:
   *
   * Why the connection cannot be used or has no key, in a sentence; %NULL
   * when all is well.
   */
  properties[PROP_PROBLEM] = g_param_spec_string (
      "problem", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_connection_init (PwConnection *self)
{
}

/* Public API */

/**
 * pw_connection_new:
 * @base_url: as stored; it is checked when a client is made for it
 * @timeout_sec: 0 to follow the general setting
 *
 * Returns: (transfer full): a connection
 */
PwConnection *
pw_connection_new (const char *name,
                   const char *base_url,
                   guint timeout_sec,
                   gboolean transient)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (PW_TYPE_CONNECTION, "name", name, "base-url", base_url, "timeout",
                       MIN (timeout_sec, PW_CONNECTION_TIMEOUT_MAX), "transient",
                       transient, NULL);
}

const char *
pw_connection_get_name (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), NULL);

  return self->name;
}

const char *
pw_connection_get_base_url (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), NULL);

  return self->base_url;
}

void
pw_connection_set_base_url (PwConnection *self, const char *base_url)
{
  g_return_if_fail (PW_IS_CONNECTION (self));

  if (set_str (&self->base_url, base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

guint
pw_connection_get_timeout (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), 0);

  return self->timeout_sec;
}

void
pw_connection_set_timeout (PwConnection *self, guint timeout_sec)
{
  g_return_if_fail (PW_IS_CONNECTION (self));
  g_return_if_fail (timeout_sec <= PW_CONNECTION_TIMEOUT_MAX);

  if (self->timeout_sec == timeout_sec)
    return;

  self->timeout_sec = timeout_sec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
pw_connection_get_transient (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), FALSE);

  return self->transient;
}

PwKeyState
pw_connection_get_key_state (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), PW_KEY_STATE_UNKNOWN);

  return self->key_state;
}

void
pw_connection_set_key_state (PwConnection *self, PwKeyState state)
{
  g_return_if_fail (PW_IS_CONNECTION (self));

  if (self->key_state == state)
    return;

  self->key_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STATE]);
}

/**
 * pw_connection_has_key:
 *
 * Returns: whether requests on this connection carry a key
 */
gboolean
pw_connection_has_key (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), FALSE);

  return self->key_state == PW_KEY_STATE_KEYRING ||
         self->key_state == PW_KEY_STATE_ENVIRONMENT ||
         self->key_state == PW_KEY_STATE_MEMORY;
}

const char *
pw_connection_get_problem (PwConnection *self)
{
  g_return_val_if_fail (PW_IS_CONNECTION (self), NULL);

  return self->problem;
}

void
pw_connection_set_problem (PwConnection *self, const char *problem)
{
  g_return_if_fail (PW_IS_CONNECTION (self));

  if (set_str (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/**
 * pw_connection_name_is_valid:
 *
 * A name is what the sessions, the keyring item and the command line
 * (`playwave-ctl --connection`) refer to: 1 to 64 characters of text, no
 * control characters, no spaces at either end, and not one of the names of
 * the connections made for one run.
 *
 * Returns: %TRUE, or %FALSE with a %PW_ERROR_INVALID_ARGUMENT error
 */
gboolean
pw_connection_name_is_valid (const char *name, GError **error)
{
  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("The connection needs a name"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > PW_CONNECTION_NAME_MAX_CHARS)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The name must be text of at most %d characters"),
                   PW_CONNECTION_NAME_MAX_CHARS);
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                             _ ("The name contains control characters"));
        return FALSE;
      }

  if (g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (
          g_utf8_get_char (g_utf8_find_prev_char (name, name + strlen (name)))))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                           _ ("The name must not start or end with a space"));
      return FALSE;
    }

  if (g_str_equal (name, PW_CONNECTION_ENVIRONMENT) ||
      g_str_equal (name, PW_CONNECTION_SANDBOX))
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is “environment” or “sandbox”, kept in
                    * English */
                   _ ("The name “%s” is kept for the connection made from "
                      "PLAYWAVE_BASE_URL or --sandbox; choose another"),
                   name);
      return FALSE;
    }

  return TRUE;
}

gboolean
pw_connection_timeout_is_valid (guint timeout_sec, GError **error)
{
  if (timeout_sec > PW_CONNECTION_TIMEOUT_MAX)
    {
      g_set_error (error, PW_ERROR, PW_ERROR_INVALID_ARGUMENT,
                   _ ("The timeout must be at most %d seconds (0 follows the general "
                      "setting)"),
                   PW_CONNECTION_TIMEOUT_MAX);
      return FALSE;
    }

  return TRUE;
}
