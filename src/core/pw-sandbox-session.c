/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pw-sandbox-session.h"

/* One game session as the sandbox server sees it. It holds only the moments
 * that something happened (creation, last heartbeat, charge set, explicit
 * end) and works out its state for any "now" from them, so the sandbox needs
 * no timer per session and a skipped clock lands in the right state at once.
 *
 * Events that only a request can cause (end, replacement, a heartbeat that
 * finds the launcher silent) are recorded with pw_sandbox_session_end().
 * Events that happen by themselves (expiry, charge running out, the grace
 * ending) are derived from the recorded moments on every evaluation. */
struct _PwSandboxSession
{
  GObject parent_instance;

  char *id;
  char *user_id;
  char *pc_id;

  gint64 created_us;
  gint64 last_heartbeat_us;

  /* -1 for unlimited; otherwise seconds of play from charge_base_us on */
  gint64 charge_sec;
  gint64 charge_base_us;

  gint64 next_heartbeat_in;
  gint64 ending_sec;

  /* An explicit end; PW_SANDBOX_END_NONE while nothing ended it */
  PwSandboxEndReason end_reason;
  gint64 ended_us;
};

G_DEFINE_FINAL_TYPE (PwSandboxSession, pw_sandbox_session, G_TYPE_OBJECT)

/* Charges are capped so that charge_sec * G_USEC_PER_SEC never overflows. */
#define MAX_CHARGE_SEC ((gint64) G_MAXINT32)

typedef struct
{
  PwSandboxSessionState state;
  PwSandboxEndReason reason;
  /* When play time stopped counting; G_MAXINT64 while it still counts */
  gint64 stop_us;
} Verdict;

static Verdict
evaluate (PwSandboxSession *self, gint64 now_us)
{
  Verdict verdict = { PW_SANDBOX_SESSION_ACTIVE, PW_SANDBOX_END_NONE, G_MAXINT64 };
  gint64 expire_at = self->last_heartbeat_us + PW_SANDBOX_EXPIRY_SEC * G_USEC_PER_SEC;
  gint64 exhausted_at = G_MAXINT64;

  /* Explicit ends only ever happen to a live session, so they come before
   * any of the derived events below. */
  if (self->end_reason != PW_SANDBOX_END_NONE)
    {
      verdict.reason = self->end_reason;
      verdict.stop_us = self->ended_us;
      if (now_us - self->ended_us > PW_SANDBOX_RETENTION_SEC * G_USEC_PER_SEC)
        verdict.state = PW_SANDBOX_SESSION_EXPIRED;
      else if (self->end_reason == PW_SANDBOX_END_REPLACED)
        verdict.state = PW_SANDBOX_SESSION_REPLACED;
      else
        verdict.state = PW_SANDBOX_SESSION_ENDED;
      return verdict;
    }

  if (self->charge_sec >= 0)
    {
      gint64 terminate_at;

      exhausted_at = self->charge_base_us + self->charge_sec * G_USEC_PER_SEC;
      terminate_at = exhausted_at + PW_SANDBOX_GRACE_SEC * G_USEC_PER_SEC;

      /* The session expires at the first instant after expire_at, so a
       * termination at expire_at itself still comes first. */
      if (terminate_at <= expire_at && now_us >= terminate_at)
        {
          gint64 ended_at = terminate_at + self->ending_sec * G_USEC_PER_SEC;

          verdict.reason = PW_SANDBOX_END_CHARGE;
          verdict.stop_us = terminate_at;
          if (now_us < ended_at)
            verdict.state = PW_SANDBOX_SESSION_ENDING;
          else if (now_us - ended_at > PW_SANDBOX_RETENTION_SEC * G_USEC_PER_SEC)
            verdict.state = PW_SANDBOX_SESSION_EXPIRED;
          else
            verdict.state = PW_SANDBOX_SESSION_ENDED;
          return verdict;
        }
    }

  if (now_us > expire_at)
    {
      verdict.state = PW_SANDBOX_SESSION_EXPIRED;
      verdict.reason = PW_SANDBOX_END_EXPIRED;
      verdict.stop_us = expire_at;
    }
  else if (now_us >= exhausted_at)
    {
      verdict.state = PW_SANDBOX_SESSION_CHARGE_EXHAUSTED;
    }

  return verdict;
}

static void
pw_sandbox_session_finalize (GObject *object)
{
  PwSandboxSession *self = PW_SANDBOX_SESSION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->pc_id, g_free);

  G_OBJECT_CLASS (pw_sandbox_session_parent_class)->finalize (object);
}

static void
pw_sandbox_session_class_init (PwSandboxSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_sandbox_session_finalize;
}

static void
pw_sandbox_session_init (PwSandboxSession *self)
{
  self->charge_sec = -1;
  self->next_heartbeat_in = PW_SANDBOX_DEFAULT_NEXT_HEARTBEAT_IN;
  self->ending_sec = PW_SANDBOX_DEFAULT_ENDING_SEC;
}

/**
 * pw_sandbox_session_new:
 * @id: the game session id
 * @user_id: the provider user id heartbeats must carry
 * @pc_id: the PC the game runs on
 * @now_us: the sandbox's monotonic time of creation
 *
 * Returns: (transfer full): an active session with unlimited charge
 */
PwSandboxSession *
pw_sandbox_session_new (const char *id,
                        const char *user_id,
                        const char *pc_id,
                        gint64 now_us)
{
  PwSandboxSession *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  g_return_val_if_fail (pc_id != NULL, NULL);

  self = g_object_new (PW_TYPE_SANDBOX_SESSION, NULL);
  self->id = g_strdup (id);
  self->user_id = g_strdup (user_id);
  self->pc_id = g_strdup (pc_id);
  self->created_us = now_us;
  self->last_heartbeat_us = now_us;
  self->charge_base_us = now_us;

  return self;
}

/**
 * pw_sandbox_session_backdate:
 * @seconds: how long ago the session started
 *
 * Makes a session that nothing has heartbeated yet one that started
 * @seconds ago and was last heartbeated then, its charge counted from
 * then: a scenario's starting point, where waiting out the server's
 * 4-minute rule would take too long. Moves nothing else in the sandbox.
 */
void
pw_sandbox_session_backdate (PwSandboxSession *self, gint64 seconds)
{
  gint64 shift;

  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));
  g_return_if_fail (seconds >= 0 && seconds <= PW_SANDBOX_EXPIRY_SEC);

  shift = seconds * G_USEC_PER_SEC;
  self->created_us -= shift;
  self->last_heartbeat_us = self->created_us;
  self->charge_base_us -= shift;
}

const char *
pw_sandbox_session_get_id (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), NULL);

  return self->id;
}

const char *
pw_sandbox_session_get_user_id (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), NULL);

  return self->user_id;
}

const char *
pw_sandbox_session_get_pc_id (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), NULL);

  return self->pc_id;
}

gint64
pw_sandbox_session_get_charge_sec (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), -1);

  return self->charge_sec;
}

/**
 * pw_sandbox_session_set_charge:
 * @charge_sec: seconds of play left from @now_us on, or -1 for unlimited
 *
 * Replaces the charge. A session in its grace becomes active again when the
 * new charge is above zero. Only meaningful on a live session: the caller
 * refuses it for the others, so an ended session cannot come back.
 */
void
pw_sandbox_session_set_charge (PwSandboxSession *self, gint64 charge_sec, gint64 now_us)
{
  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));
  g_return_if_fail (charge_sec >= -1);

  self->charge_sec = MIN (charge_sec, MAX_CHARGE_SEC);
  self->charge_base_us = now_us;
}

/**
 * pw_sandbox_session_get_charge_remaining_sec:
 *
 * Returns: whole seconds of charge left (0 once it ran out), or -1 for unlimited
 */
gint64
pw_sandbox_session_get_charge_remaining_sec (PwSandboxSession *self, gint64 now_us)
{
  gint64 exhausted_at;

  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), -1);

  if (self->charge_sec < 0)
    return -1;

  exhausted_at = self->charge_base_us + self->charge_sec * G_USEC_PER_SEC;
  return MAX (exhausted_at - now_us, 0) / G_USEC_PER_SEC;
}

gint64
pw_sandbox_session_get_next_heartbeat_in (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self),
                        PW_SANDBOX_DEFAULT_NEXT_HEARTBEAT_IN);

  return self->next_heartbeat_in;
}

/**
 * pw_sandbox_session_set_next_heartbeat_in:
 *
 * Sets the value heartbeats answer with. Any value is taken, zero and
 * negative ones included, so QA can check how a client copes with them.
 */
void
pw_sandbox_session_set_next_heartbeat_in (PwSandboxSession *self, gint64 seconds)
{
  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));

  self->next_heartbeat_in = seconds;
}

gint64
pw_sandbox_session_get_ending_sec (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), PW_SANDBOX_DEFAULT_ENDING_SEC);

  return self->ending_sec;
}

/**
 * pw_sandbox_session_set_ending_sec:
 *
 * Sets how long the termination after the grace lasts (410 SESSION_ENDING)
 * before the session counts as ended (410 SESSION_ENDED).
 */
void
pw_sandbox_session_set_ending_sec (PwSandboxSession *self, gint64 seconds)
{
  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));
  g_return_if_fail (seconds >= 0 && seconds <= MAX_CHARGE_SEC);

  self->ending_sec = seconds;
}

PwSandboxSessionState
pw_sandbox_session_get_state (PwSandboxSession *self, gint64 now_us)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), PW_SANDBOX_SESSION_EXPIRED);

  return evaluate (self, now_us).state;
}

/**
 * pw_sandbox_session_get_end_reason:
 *
 * Returns: why the session is no longer live at @now_us, or
 *   %PW_SANDBOX_END_NONE while it is
 */
PwSandboxEndReason
pw_sandbox_session_get_end_reason (PwSandboxSession *self, gint64 now_us)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), PW_SANDBOX_END_NONE);

  return evaluate (self, now_us).reason;
}

/**
 * pw_sandbox_session_is_live:
 *
 * Returns: %TRUE when the session is active or in its charge grace: the
 *   states in which heartbeats are accepted and end succeeds
 */
gboolean
pw_sandbox_session_is_live (PwSandboxSession *self, gint64 now_us)
{
  PwSandboxSessionState state;

  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), FALSE);

  state = evaluate (self, now_us).state;
  return state == PW_SANDBOX_SESSION_ACTIVE ||
         state == PW_SANDBOX_SESSION_CHARGE_EXHAUSTED;
}

/**
 * pw_sandbox_session_get_play_sec:
 *
 * Returns: the server-side play time: whole seconds from creation until
 *   @now_us or until the moment the session stopped being live
 */
gint64
pw_sandbox_session_get_play_sec (PwSandboxSession *self, gint64 now_us)
{
  gint64 until;

  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), 0);

  until = MIN (now_us, evaluate (self, now_us).stop_us);
  return MAX (until - self->created_us, 0) / G_USEC_PER_SEC;
}

gint64
pw_sandbox_session_get_last_heartbeat_us (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), 0);

  return self->last_heartbeat_us;
}

gint64
pw_sandbox_session_get_created_us (PwSandboxSession *self)
{
  g_return_val_if_fail (PW_IS_SANDBOX_SESSION (self), 0);

  return self->created_us;
}

/**
 * pw_sandbox_session_record_heartbeat:
 *
 * Restarts the expiry countdown after a heartbeat the server accepted.
 */
void
pw_sandbox_session_record_heartbeat (PwSandboxSession *self, gint64 now_us)
{
  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));
  g_return_if_fail (pw_sandbox_session_is_live (self, now_us));

  self->last_heartbeat_us = now_us;
}

/**
 * pw_sandbox_session_end:
 * @reason: %PW_SANDBOX_END_CLIENT, %PW_SANDBOX_END_LAUNCHER or
 *   %PW_SANDBOX_END_REPLACED: the ends that a request causes
 *
 * Ends a live session at @now_us; its play time stops there.
 */
void
pw_sandbox_session_end (PwSandboxSession *self, PwSandboxEndReason reason, gint64 now_us)
{
  g_return_if_fail (PW_IS_SANDBOX_SESSION (self));
  g_return_if_fail (reason == PW_SANDBOX_END_CLIENT ||
                    reason == PW_SANDBOX_END_LAUNCHER ||
                    reason == PW_SANDBOX_END_REPLACED);
  g_return_if_fail (pw_sandbox_session_is_live (self, now_us));

  self->end_reason = reason;
  self->ended_us = now_us;
}

const char *
pw_sandbox_session_state_to_string (PwSandboxSessionState state)
{
  switch (state)
    {
      case PW_SANDBOX_SESSION_ACTIVE:
        return "active";
      case PW_SANDBOX_SESSION_CHARGE_EXHAUSTED:
        return "charge_exhausted";
      case PW_SANDBOX_SESSION_ENDING:
        return "ending";
      case PW_SANDBOX_SESSION_ENDED:
        return "ended";
      case PW_SANDBOX_SESSION_REPLACED:
        return "replaced";
      case PW_SANDBOX_SESSION_EXPIRED:
        return "expired";
      default:
        g_return_val_if_reached (NULL);
    }
}

const char *
pw_sandbox_end_reason_to_string (PwSandboxEndReason reason)
{
  switch (reason)
    {
      case PW_SANDBOX_END_NONE:
        return NULL;
      case PW_SANDBOX_END_CLIENT:
        return "client_end";
      case PW_SANDBOX_END_CHARGE:
        return "charge_exhausted";
      case PW_SANDBOX_END_LAUNCHER:
        return "launcher_silent";
      case PW_SANDBOX_END_REPLACED:
        return "replaced";
      case PW_SANDBOX_END_EXPIRED:
        return "no_heartbeat";
      default:
        g_return_val_if_reached (NULL);
    }
}
