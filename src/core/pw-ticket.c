/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-exchange-text.h"
#include "pw-format.h"
#include "pw-ticket.h"

/* The text support staff paste into a ticket: what a developer on the
 * other side needs to find the session in the server's logs (ids, request
 * ids, times in UTC) and to see what the client saw, without the key.
 * Labels are translated; values (states, codes, kinds) stay the machine
 * names the server and the exports use, so they can be searched for.
 *
 * Everything comes from records that hold no key (PwClient redacts them),
 * and the finished text goes through the connection's pw_client_redact()
 * once more, so not even a server that echoed the key in an odd place can
 * put it into a ticket. */

/* Helpers */

/* A time on the tracker's monotonic clock, as wall-clock time. */
static gint64
to_real_us (PwClock *clock, gint64 monotonic_us)
{
  if (monotonic_us <= 0)
    return 0;

  return pw_clock_get_real_us (clock) -
         (pw_clock_get_monotonic_us (clock) - monotonic_us);
}

/* Columns @text takes in a terminal or a monospace font: wide (CJK)
 * characters take two, combining marks none. printf's "%-22s" counts
 * bytes, which left translated labels ragged. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

#define LABEL_COLUMNS 22

static void
append_fact (GString *text, const char *label, const char *value)
{
  guint width = display_width (label);

  g_string_append (text, label);
  for (guint i = width; i < LABEL_COLUMNS; i++)
    g_string_append_c (text, ' ');
  g_string_append_printf (text, " %s\n", value != NULL && *value != '\0' ? value : "—");
}

static void
append_fact_take (GString *text, const char *label, char *value)
{
  append_fact (text, label, value);
  g_free (value);
}

/* "200 OK", "410 SESSION_ENDED", or NULL before the first answer. */
static char *
last_answer (PwSession *session)
{
  guint status = pw_session_get_last_status (session);
  const char *name = pw_session_get_last_result (session);

  if (status == 0)
    return NULL;
  if (name == NULL)
    name = pw_session_get_last_code (session);

  return g_strdup_printf ("%u %s", status, name != NULL ? name : "");
}

static void
append_facts (GString *text, PwTracker *tracker, PwSession *session)
{
  PwClock *clock = pw_tracker_get_clock (tracker);
  gint64 now_us = pw_clock_get_monotonic_us (clock);
  PwSessionState state = pw_session_get_state (session);
  PwClient *client = pw_tracker_get_client (tracker, pw_session_get_connection (session));
  gint64 grace_us = pw_session_get_grace_deadline_us (session);
  gint64 expiry_us = pw_session_get_expiry_deadline_us (session);
  g_autofree char *drift = NULL;

  append_fact (text, _ ("Session:"), pw_session_get_id (session));
  append_fact (text, _ ("User:"), pw_session_get_user_id (session));
  append_fact (text, _ ("Connection:"), pw_session_get_connection (session));
  if (client != NULL)
    append_fact (text, _ ("Base URL:"), pw_client_get_base_url (client));

  append_fact_take (
      text, _ ("State:"),
      g_strdup_printf ("%s (%s)%s%s", pw_session_state_get_label (state),
                       pw_session_state_to_string (state),
                       /* Translators: in a support ticket, after the session state:
                        * "Active (ACTIVE), paused" */
                       pw_session_get_paused (session) ? _ (", paused") : "",
                       /* Translators: in a support ticket, after the session state:
                        * "Active (ACTIVE), retrying" */
                       pw_session_get_retrying (session) ? _ (", retrying") : ""));
  if (state == PW_SESSION_STATE_CHARGE_EXHAUSTED && grace_us > 0)
    append_fact_take (text, _ ("Grace ends:"),
                      pw_format_real_time (to_real_us (clock, grace_us), TRUE));
  if (pw_session_state_is_live (state) && expiry_us > 0)
    append_fact_take (text, _ ("Expiry estimate:"),
                      pw_format_real_time (to_real_us (clock, expiry_us), TRUE));

  append_fact_take (
      text, _ ("Tracked since:"),
      pw_format_real_time (to_real_us (clock, pw_session_get_tracked_since_us (session)),
                           TRUE));
  append_fact (
      text, _ ("Tracked from start:"),
      pw_session_get_last_success_us (session) <= 0
          ? _ ("not known yet")
          : (pw_session_get_tracked_from_start (session) ? _ ("yes") : _ ("no")));
  if (pw_session_state_is_live (state))
    append_fact_take (
        text, _ ("Client play time:"),
        pw_format_duration (pw_tracker_get_client_play_sec (tracker, session)));
  append_fact_take (text, _ ("Server play time:"),
                    pw_format_duration (pw_session_get_server_play_sec (session)));

  if (pw_session_get_end_server_sec (session) >= 0)
    {
      append_fact_take (text, _ ("Ended, server time:"),
                        pw_format_duration (pw_session_get_end_server_sec (session)));
      append_fact_take (text, _ ("Ended, client time:"),
                        pw_format_duration (pw_session_get_end_client_sec (session)));
      drift = pw_format_drift (pw_session_get_end_server_sec (session),
                               pw_session_get_end_client_sec (session));
      append_fact (text, _ ("Drift (client − server):"), drift);
    }

  append_fact_take (text, _ ("Last answer:"), last_answer (session));
  append_fact (text, _ ("Last request ID:"), pw_session_get_last_request_id (session));
  if (pw_session_is_heartbeating (session) && pw_session_get_next_due_us (session) > 0)
    append_fact_take (
        text, _ ("Next heartbeat:"),
        pw_format_countdown (pw_session_get_next_due_us (session) - now_us));
}

static void
append_events (GString *text, PwTracker *tracker, PwSession *session)
{
  GListModel *events = G_LIST_MODEL (pw_tracker_get_events (tracker));
  guint n_items = g_list_model_get_n_items (events);
  guint n_shown = 0;

  g_string_append_printf (text, "\n%s\n", _ ("Events (oldest first):"));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PwEvent) event = g_list_model_get_item (events, i);
      g_autofree char *when = NULL;

      if (g_strcmp0 (pw_event_get_session_id (event), pw_session_get_id (session)) != 0)
        continue;

      when = pw_format_real_time (pw_event_get_last_time_real_us (event), TRUE);
      g_string_append_printf (text, "  %s  %s", when,
                              pw_event_kind_to_string (pw_event_get_kind (event)));
      if (pw_event_get_count (event) > 1)
        g_string_append_printf (text, " ×%u", pw_event_get_count (event));
      if (pw_event_get_http_status (event) > 0)
        g_string_append_printf (text, "  %u", pw_event_get_http_status (event));
      if (pw_event_get_code (event) != NULL)
        g_string_append_printf (text, " %s", pw_event_get_code (event));
      if (pw_event_get_request_id (event) != NULL)
        g_string_append_printf (text, "  %s", pw_event_get_request_id (event));
      if (pw_event_get_message (event) != NULL)
        g_string_append_printf (text, "\n      %s", pw_event_get_message (event));
      g_string_append_c (text, '\n');
      n_shown++;
    }

  if (n_shown == 0)
    /* Translators: in a support ticket: the session has no events (and,
     * below, no recent requests) */
    g_string_append_printf (text, "  %s\n", _ ("none"));
}

static void
append_exchanges (GString *text, GListModel *exchanges)
{
  guint n_items = exchanges != NULL ? g_list_model_get_n_items (exchanges) : 0;

  g_string_append_printf (text, "\n%s\n", _ ("Recent requests (newest first):"));

  /* The history is oldest first. */
  for (guint i = n_items; i > 0; i--)
    {
      g_autoptr (PwExchange) exchange = g_list_model_get_item (exchanges, i - 1);
      g_autofree char *lines = pw_exchange_dup_ticket_text (exchange);

      g_string_append_printf (text, "  %s", lines);
    }

  if (n_items == 0)
    g_string_append_printf (text, "  %s\n", _ ("none"));
}

/* Public API */

/**
 * pw_ticket_dup_text:
 * @exchanges: (nullable): the session's recent exchanges, oldest first
 *   (pw_exchange_history_get_for_session())
 *
 * Returns: (transfer full): the text, ending in a line that says which
 *   version made it and when
 */
char *
pw_ticket_dup_text (PwTracker *tracker, PwSession *session, GListModel *exchanges)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *now = NULL;
  PwClient *client;

  g_return_val_if_fail (PW_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (PW_IS_SESSION (session), NULL);
  g_return_val_if_fail (exchanges == NULL || G_IS_LIST_MODEL (exchanges), NULL);

  /* Translators: the first line of a support ticket; %s is a session id */
  g_string_append_printf (text, _ ("PlayWave session %s"), pw_session_get_id (session));
  g_string_append (text, "\n\n");

  append_facts (text, tracker, session);
  append_events (text, tracker, session);
  append_exchanges (text, exchanges);

  now = pw_format_real_time (pw_clock_get_real_us (pw_tracker_get_clock (tracker)), TRUE);
  g_string_append_c (text, '\n');
  g_string_append_printf (
      text,
      /* Translators: the last line of a support ticket; %s: the version, %s: a UTC
       * time */
      _ ("API key redacted. Made by PlayWave Session Monitor %s at %s."), PACKAGE_VERSION,
      now);
  g_string_append_c (text, '\n');

  client = pw_tracker_get_client (tracker, pw_session_get_connection (session));
  if (client != NULL)
    return pw_client_redact (client, text->str);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
