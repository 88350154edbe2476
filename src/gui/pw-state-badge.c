/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-core-enums.h"
#include "pw-format.h"
#include "pw-state-badge.h"

/* Icon + label + one of libadwaita's colour classes (success, warning,
 * error, dim-label) on the whole badge, so the symbolic icon takes the
 * colour of the text. The icon and the word carry the meaning on their own
 * (high contrast, colour blindness, screen readers). */

struct _PwStateBadge
{
  GtkWidget parent_instance;

  GtkWidget *image;
  GtkWidget *label;
  const char *style_class;

  PwSessionState state;
  gboolean paused;
  gboolean retrying;
};

G_DEFINE_FINAL_TYPE (PwStateBadge, pw_state_badge, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PAUSED,
  PROP_RETRYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pw_state_badge_update (PwStateBadge *self)
{
  gboolean live = pw_session_state_is_live (self->state);
  const char *icon_name = pw_session_state_get_icon_name (self->state);
  const char *label = pw_session_state_get_label (self->state);
  const char *style_class = pw_session_state_get_style_class (self->state);
  g_autofree char *tooltip = NULL;

  if (live && self->paused)
    {
      icon_name = "media-playback-pause-symbolic";
      /* Translators: a session whose heartbeats the user paused */
      label = C_ ("session state", "Paused");
      style_class = "dim-label";
      /* Translators: %s is a session state such as "Active" */
      tooltip = g_strdup_printf (_ ("%s, heartbeats paused"),
                                 pw_session_state_get_label (self->state));
    }
  else if (live && self->retrying)
    {
      icon_name = "network-error-symbolic";
      /* Translators: a session whose last heartbeats failed and are being retried */
      label = C_ ("session state", "Retrying");
      style_class = "warning";
      /* Translators: %s is a session state such as "Active" */
      tooltip = g_strdup_printf (_ ("%s, retrying after failed heartbeats"),
                                 pw_session_state_get_label (self->state));
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (self->image), icon_name);
  gtk_label_set_label (GTK_LABEL (self->label), label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);

  if (g_strcmp0 (self->style_class, style_class) != 0)
    {
      if (self->style_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self), self->style_class);
      self->style_class = style_class;
      gtk_widget_add_css_class (GTK_WIDGET (self), style_class);
    }
}

static void
pw_state_badge_dispose (GObject *object)
{
  PwStateBadge *self = (PwStateBadge *) object;

  g_clear_pointer (&self->image, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (pw_state_badge_parent_class)->dispose (object);
}

static void
pw_state_badge_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  PwStateBadge *self = PW_STATE_BADGE (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;

      case PROP_PAUSED:
        g_value_set_boolean (value, self->paused);
        break;

      case PROP_RETRYING:
        g_value_set_boolean (value, self->retrying);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_state_badge_set_property (GObject *object,
                             guint prop_id,
                             const GValue *value,
                             GParamSpec *pspec)
{
  PwStateBadge *self = PW_STATE_BADGE (object);

  switch (prop_id)
    {
      case PROP_STATE:
        pw_state_badge_set_state (self, g_value_get_enum (value));
        break;

      case PROP_PAUSED:
        pw_state_badge_set_paused (self, g_value_get_boolean (value));
        break;

      case PROP_RETRYING:
        pw_state_badge_set_retrying (self, g_value_get_boolean (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_state_badge_class_init (PwStateBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags =
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_state_badge_dispose;
  object_class->get_property = pw_state_badge_get_property;
  object_class->set_property = pw_state_badge_set_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PW_TYPE_SESSION_STATE,
                                              PW_SESSION_STATE_PENDING, flags);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, flags);
  properties[PROP_RETRYING] = g_param_spec_boolean ("retrying", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pw-state-badge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pw_state_badge_init (PwStateBadge *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->image = gtk_image_new ();
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->image), GTK_ACCESSIBLE_STATE_HIDDEN,
                               TRUE, -1);
  gtk_widget_set_parent (self->image, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  self->state = PW_SESSION_STATE_PENDING;
  pw_state_badge_update (self);
}

GtkWidget *
pw_state_badge_new (void)
{
  return g_object_new (PW_TYPE_STATE_BADGE, NULL);
}

PwSessionState
pw_state_badge_get_state (PwStateBadge *self)
{
  g_return_val_if_fail (PW_IS_STATE_BADGE (self), PW_SESSION_STATE_PENDING);

  return self->state;
}

void
pw_state_badge_set_state (PwStateBadge *self, PwSessionState state)
{
  g_return_if_fail (PW_IS_STATE_BADGE (self));

  if (self->state == state)
    return;

  self->state = state;
  pw_state_badge_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
pw_state_badge_get_paused (PwStateBadge *self)
{
  g_return_val_if_fail (PW_IS_STATE_BADGE (self), FALSE);

  return self->paused;
}

void
pw_state_badge_set_paused (PwStateBadge *self, gboolean paused)
{
  g_return_if_fail (PW_IS_STATE_BADGE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  pw_state_badge_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
pw_state_badge_get_retrying (PwStateBadge *self)
{
  g_return_val_if_fail (PW_IS_STATE_BADGE (self), FALSE);

  return self->retrying;
}

void
pw_state_badge_set_retrying (PwStateBadge *self, gboolean retrying)
{
  g_return_if_fail (PW_IS_STATE_BADGE (self));

  retrying = !!retrying;
  if (self->retrying == retrying)
    return;

  self->retrying = retrying;
  pw_state_badge_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRYING]);
}

/**
 * pw_state_badge_get_text:
 *
 * Returns: (transfer none): the word shown, e.g. "Active" or "Paused"
 */
const char *
pw_state_badge_get_text (PwStateBadge *self)
{
  g_return_val_if_fail (PW_IS_STATE_BADGE (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->label));
}
