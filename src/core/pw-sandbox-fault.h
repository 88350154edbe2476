/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a request to the API is, for matching faults. */
typedef enum
{
  PW_SANDBOX_FAULT_MATCH_ANY,
  PW_SANDBOX_FAULT_MATCH_HEARTBEAT,
  PW_SANDBOX_FAULT_MATCH_END,
} PwSandboxFaultMatch;

/**
 * PwSandboxFaultAction:
 * @PW_SANDBOX_FAULT_ANSWER: answer as the API would (after the latency,
 *   with the extra headers)
 * @PW_SANDBOX_FAULT_STATUS: answer with the fault's status and body
 * @PW_SANDBOX_FAULT_DROP: close the connection without answering
 * @PW_SANDBOX_FAULT_RAW: write the fault's raw bytes, then close
 * @PW_SANDBOX_FAULT_HANG: never answer
 */
typedef enum
{
  PW_SANDBOX_FAULT_ANSWER,
  PW_SANDBOX_FAULT_STATUS,
  PW_SANDBOX_FAULT_DROP,
  PW_SANDBOX_FAULT_RAW,
  PW_SANDBOX_FAULT_HANG,
} PwSandboxFaultAction;

/* The largest body a fault may produce with "body_repeat". */
#define PW_SANDBOX_FAULT_MAX_BODY (16 * 1024 * 1024)

/**
 * PwSandboxFault:
 *
 * One entry of the sandbox's fault queue, parsed from the JSON that
 * `POST /_sandbox/faults` takes. Reference counted, because a delayed answer
 * still needs its fault after the queue has let go of it.
 */
typedef struct
{
  guint count;
  PwSandboxFaultMatch match;
  guint latency_ms;
  PwSandboxFaultAction action;
  guint status;
  GBytes *body;
  char *content_type;
  GPtrArray *headers; /* name, value, name, value… */
  GBytes *raw;
  gboolean chunked; /* send the status body with chunked encoding */
} PwSandboxFault;

PwSandboxFault *
pw_sandbox_fault_new_from_json (const char *text, gssize length, GError **error);
PwSandboxFault *pw_sandbox_fault_ref (PwSandboxFault *self);
void pw_sandbox_fault_unref (PwSandboxFault *self);
gboolean pw_sandbox_fault_matches (const PwSandboxFault *self,
                                   PwSandboxFaultMatch request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSandboxFault, pw_sandbox_fault_unref)

G_END_DECLS
