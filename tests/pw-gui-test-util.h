/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Helpers for the widget tests. */
void gui_test_init (int *argc, char ***argv);
void gui_iterate (void);
void gui_draw (void);
char *gui_read_clipboard (GtkWidget *widget);
char *gui_collect_text (GtkWidget *widget);
GtkWindow *gui_find_window (GType type);

G_END_DECLS
