/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-column-view.h"

/**
 * pw_column_view_scroll_to:
 * @position: the row to bring into view
 *
 * GTK 4.8's GtkColumnView cannot scroll to a row (gtk_column_view_scroll_to()
 * came in 4.12); the GtkListView inside it can, through its
 * "list.scroll-to-item" action.
 */
void
pw_column_view_scroll_to (GtkColumnView *view, guint position)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}
