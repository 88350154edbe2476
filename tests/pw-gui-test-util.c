/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "pw-gui-test-util.h"

/* gtk_test_init() and adw_init(), or, with no display to open (a Flatpak
 * build runs the tests with none), a TAP plan of 0: skipped, not failed.
 * CI and the README's test command run them under Xvfb. */
void
gui_test_init (int *argc, char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run the widget tests under xvfb-run\n");
      exit (0);
    }

  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* Runs what is pending, without waiting. */
void
gui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Lets GTK lay out and draw (binding the visible rows): frames come from
 * the frame clock, so this spins for a short real time. It asserts nothing
 * about time. */
void
gui_draw (void)
{
  gint64 end = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  gboolean done;
  char *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

/**
 * gui_read_clipboard:
 *
 * Returns: (transfer full) (nullable): the text on @widget's clipboard
 */
char *
gui_read_clipboard (GtkWidget *widget)
{
  ClipboardRead read = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL,
                                 clipboard_read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);

  return read.text;
}

static void
collect (GtkWidget *widget, GString *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_INSCRIPTION (widget) &&
           gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL)
    g_string_append_printf (text, "%s\n",
                            gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  else if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (text, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *content = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      content = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (text, "%s\n", content);
    }

  if (tooltip != NULL)
    g_string_append_printf (text, "%s\n", tooltip);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, text);
}

/**
 * gui_collect_text:
 *
 * Returns: (transfer full): every text @widget and its descendants show:
 *   labels, inscriptions, entries, text views and tooltips, one per line
 */
char *
gui_collect_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect (widget, text);
  return g_string_free (text, FALSE);
}

/**
 * gui_find_window:
 *
 * Returns: (transfer none) (nullable): a visible toplevel of @type
 */
GtkWindow *
gui_find_window (GType type)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}
