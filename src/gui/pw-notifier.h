/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pw-tracker.h"

G_BEGIN_DECLS

/* Bursts closer together than this become one notification. */
#define PW_NOTIFIER_DEFAULT_DELAY_MS 2000

#define PW_TYPE_NOTIFIER (pw_notifier_get_type ())
G_DECLARE_FINAL_TYPE (PwNotifier, pw_notifier, PW, NOTIFIER, GObject)

/* Desktop notifications for the events that need someone (out of charge,
 * replaced, 410) while the window is in the background: grouped, counted
 * since the window was last active, withdrawn when it is active again.
 * PwNotifier::send and ::withdraw carry them; their default handlers hand
 * them to the GApplication, if any. */
PwNotifier *pw_notifier_new (GApplication *application, PwTracker *tracker);
gboolean pw_notifier_get_enabled (PwNotifier *self);
void pw_notifier_set_enabled (PwNotifier *self, gboolean enabled);
gboolean pw_notifier_get_window_active (PwNotifier *self);
void pw_notifier_set_window_active (PwNotifier *self, gboolean active);
guint pw_notifier_get_delay_ms (PwNotifier *self);
void pw_notifier_set_delay_ms (PwNotifier *self, guint delay_ms);
void pw_notifier_flush (PwNotifier *self);
gboolean pw_notifier_kind_notifies (PwEventKind kind);

G_END_DECLS
