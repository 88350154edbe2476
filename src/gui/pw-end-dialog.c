/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "pw-end-dialog.h"
#include "pw-format.h"

/* "End Session?" with the play time the end request will report.
 *
 * SPEC: play_duration_sec is the client-measured time, sent only when this
 * app tracked the session from its first heartbeat. So the switch starts on
 * with the local timer for such sessions, and off for the others (with a
 * subtitle saying why); either way the user may turn it on or off and type
 * any value. Until the user edits the value it follows the clock (once a
 * second, and once more when "end" is chosen), so what is shown is what is
 * sent. */

#define REFRESH_SECONDS 1

struct _PwEndDialog
{
  AdwMessageDialog parent_instance;

  PwTracker *tracker;
  PwSession *session;

  AdwActionRow *report_row;
  GtkSwitch *report_switch;
  AdwActionRow *duration_row;
  GtkSpinButton *duration_spin;

  /* Kept apart from the widgets: AdwMessageDialog closes (and so
   * destroys) the dialog before it emits ::response. */
  gint64 seconds;
  gboolean report;

  guint refresh_source;
  gboolean edited;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (PwEndDialog, pw_end_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  PROP_0,
  PROP_TRACKER,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
can_end (PwSession *session)
{
  PwSessionState state = pw_session_get_state (session);

  return pw_session_state_is_live (state) || state == PW_SESSION_STATE_END_FAILED;
}

static void
update_duration_subtitle (PwEndDialog *self)
{
  g_autofree char *text = pw_format_duration (self->seconds);

  adw_action_row_set_subtitle (self->duration_row, text);
}

/* The local timer, unless the user typed a value of their own. */
static void
refresh_duration (PwEndDialog *self)
{
  if (self->edited)
    return;

  self->seconds = pw_tracker_get_client_play_sec (self->tracker, self->session);
  if (self->duration_spin == NULL)
    return;

  self->updating = TRUE;
  gtk_spin_button_set_value (self->duration_spin, self->seconds);
  self->updating = FALSE;
  update_duration_subtitle (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  refresh_duration (PW_END_DIALOG (user_data));

  return G_SOURCE_CONTINUE;
}

static void
update_end_response (PwEndDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "end",
                                           can_end (self->session));
}

static void
session_notify_state_cb (PwEndDialog *self)
{
  update_end_response (self);
}

/* Typed or stepped by the user: the value is theirs from now on. */
static void
mark_edited (PwEndDialog *self)
{
  if (self->updating)
    return;

  self->edited = TRUE;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
}

/* The text, while typing, before it becomes the value: the clock must not
 * overwrite it. */
static void
duration_spin_changed_cb (PwEndDialog *self)
{
  mark_edited (self);
}

static void
duration_spin_value_changed_cb (PwEndDialog *self)
{
  mark_edited (self);

  self->seconds = gtk_spin_button_get_value_as_int (self->duration_spin);
  update_duration_subtitle (self);
}

static void
report_switch_notify_active_cb (PwEndDialog *self)
{
  self->report = gtk_switch_get_active (self->report_switch);

  /* Turned on by hand: start from the current timer value. */
  if (self->report)
    refresh_duration (self);
}

/* Runs after the dialog was closed and destroyed: no widgets here. */
static void
end_response_cb (PwEndDialog *self)
{
  refresh_duration (self);
  pw_tracker_end_session (self->tracker, pw_session_get_id (self->session),
                          self->report ? self->seconds : PW_TRACKER_DURATION_OMIT);
}

/* AdwMessageDialog closes the dialog before it emits ::response: take in
 * what was typed but not confirmed (a mnemonic does not move the focus out
 * of the field) while the field is still there. */
static gboolean
pw_end_dialog_close_request (GtkWindow *window)
{
  PwEndDialog *self = PW_END_DIALOG (window);

  if (self->duration_spin != NULL)
    gtk_spin_button_update (self->duration_spin);

  return GTK_WINDOW_CLASS (pw_end_dialog_parent_class)->close_request (window);
}

static void
pw_end_dialog_constructed (GObject *object)
{
  PwEndDialog *self = PW_END_DIALOG (object);
  gboolean from_start;

  G_OBJECT_CLASS (pw_end_dialog_parent_class)->constructed (object);

  g_assert (PW_IS_TRACKER (self->tracker));
  g_assert (PW_IS_SESSION (self->session));

  adw_message_dialog_format_body (
      ADW_MESSAGE_DIALOG (self),
      /* Translators: the first %s is a game session id, the second a user id */
      _ ("Session “%s” of user “%s” will be ended on the server. Its heartbeats "
         "stop and the server stops counting its play time."),
      pw_session_get_id (self->session), pw_session_get_user_id (self->session));

  from_start = pw_tracker_default_end_duration (self->tracker, self->session) !=
               PW_TRACKER_DURATION_OMIT;
  if (from_start)
    adw_action_row_set_subtitle (
        self->report_row, _ ("Measured by this app since the session’s first heartbeat"));
  else
    adw_action_row_set_subtitle (
        self->report_row,
        _ ("Off because this app did not see the session start: its timer is shorter "
           "than the real play time"));

  gtk_switch_set_active (self->report_switch, from_start);
  refresh_duration (self);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);

  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (session_notify_state_cb), self, G_CONNECT_SWAPPED);
  update_end_response (self);
}

static void
pw_end_dialog_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  PwEndDialog *self = PW_END_DIALOG (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        g_value_set_object (value, self->tracker);
        break;

      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_end_dialog_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  PwEndDialog *self = PW_END_DIALOG (object);

  switch (prop_id)
    {
      case PROP_TRACKER:
        self->tracker = g_value_dup_object (value);
        break;

      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_end_dialog_dispose (GObject *object)
{
  PwEndDialog *self = PW_END_DIALOG (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* Sets the template children to NULL: ::response comes after this. */
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_END_DIALOG);

  G_OBJECT_CLASS (pw_end_dialog_parent_class)->dispose (object);
}

/* The tracker and the session are needed until ::response, which
 * AdwMessageDialog emits after dispose. */
static void
pw_end_dialog_finalize (GObject *object)
{
  PwEndDialog *self = PW_END_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->tracker);

  G_OBJECT_CLASS (pw_end_dialog_parent_class)->finalize (object);
}

static void
pw_end_dialog_class_init (PwEndDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pw_end_dialog_constructed;
  object_class->get_property = pw_end_dialog_get_property;
  object_class->set_property = pw_end_dialog_set_property;
  object_class->dispose = pw_end_dialog_dispose;
  object_class->finalize = pw_end_dialog_finalize;

  window_class->close_request = pw_end_dialog_close_request;

  properties[PROP_TRACKER] =
      g_param_spec_object ("tracker", NULL, NULL, PW_TYPE_TRACKER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                               G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, PW_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                               G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/playwave_tools/SessionMonitor/pw-end-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwEndDialog, report_row);
  gtk_widget_class_bind_template_child (widget_class, PwEndDialog, report_switch);
  gtk_widget_class_bind_template_child (widget_class, PwEndDialog, duration_row);
  gtk_widget_class_bind_template_child (widget_class, PwEndDialog, duration_spin);
  gtk_widget_class_bind_template_callback (widget_class, duration_spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, duration_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_switch_notify_active_cb);
}

static void
pw_end_dialog_init (PwEndDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "response::end", G_CALLBACK (end_response_cb), NULL);
}

/**
 * pw_end_dialog_new:
 * @parent: (nullable): the window it is modal for
 *
 * Returns: (transfer none): the dialog, not yet shown; like every window it
 *   belongs to GTK until it is destroyed
 */
GtkWidget *
pw_end_dialog_new (GtkWindow *parent, PwTracker *tracker, PwSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_SESSION (session), NULL);

  return g_object_new (PW_TYPE_END_DIALOG, "transient-for", parent, "tracker", tracker,
                       "session", session, NULL);
}

/**
 * pw_end_dialog_get_duration:
 *
 * Returns: the play_duration_sec the end request will carry, or
 *   %PW_TRACKER_DURATION_OMIT when the switch is off
 */
gint64
pw_end_dialog_get_duration (PwEndDialog *self)
{
  g_return_val_if_fail (PW_IS_END_DIALOG (self), PW_TRACKER_DURATION_OMIT);

  /* Takes in what was typed but not yet confirmed with Enter. */
  if (self->duration_spin != NULL)
    gtk_spin_button_update (self->duration_spin);

  return self->report ? self->seconds : PW_TRACKER_DURATION_OMIT;
}
