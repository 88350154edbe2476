/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PwProbeVerdict:
 * @PW_PROBE_KEY_ACCEPTED: the server took the key (it answered 404 for
 *   the made-up session, or anything else past authentication)
 * @PW_PROBE_KEY_REJECTED: 401 or 403
 * @PW_PROBE_FAILED: no verdict on the key: the server could not be reached,
 *   timed out, failed (5xx, 429, a redirect) or answered something unreadable
 *
 * What "Test Connection" learned.
 */
typedef enum
{
  PW_PROBE_KEY_ACCEPTED,
  PW_PROBE_KEY_REJECTED,
  PW_PROBE_FAILED,
} PwProbeVerdict;

void pw_connection_probe_async (const char *base_url,
                                const char *api_key,
                                guint timeout_ms,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean pw_connection_probe_finish (GAsyncResult *result,
                                     PwProbeVerdict *verdict,
                                     guint *http_status,
                                     char **message,
                                     GError **error);

G_END_DECLS
