/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pw-client.h"
#include "pw-fake-clock.h"
#include "pw-sandbox.h"
#include "pw-tracker.h"

G_BEGIN_DECLS

#define TEST_API_KEY "test-key-7f3c9a1e"

/* A sandbox on loopback with a fake clock, and a client pointed at it. */
typedef struct
{
  PwClock *clock;
  PwSandbox *sandbox;
  PwClient *client;
  char *base_url;
} SandboxFixture;

void sandbox_fixture_set_up (SandboxFixture *fixture, gconstpointer data);
void sandbox_fixture_tear_down (SandboxFixture *fixture, gconstpointer data);
void fixture_advance (SandboxFixture *fixture, gint64 seconds);
void fixture_fault (SandboxFixture *fixture, const char *format, ...)
    G_GNUC_PRINTF (2, 3);

gboolean run_heartbeat (PwClient *client,
                        const char *session_id,
                        const char *user_id,
                        GCancellable *cancellable,
                        PwExchange **exchange,
                        GError **error);
gboolean run_end (PwClient *client,
                  const char *session_id,
                  gint64 play_duration_sec,
                  PwExchange **exchange,
                  GError **error);
void spin_until (gboolean *flag);
char *test_use_private_keyring (void);
void test_remove_dir (const char *dir);
GSettings *test_settings_new (void);
void settle_tracker (PwTracker *tracker);
void run_tracker_for (SandboxFixture *fixture, PwTracker *tracker, guint seconds);

G_END_DECLS
