/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-error.h"
#include "pw-event-log.h"

/* The status panel's model: events oldest first, bounded, with repeats of
 * the same (session, kind) folded into one row that moves to the end, so the
 * newest activity is always last. A thousand sessions failing together must
 * not cost a scan per event, so the newest row of each key is found through
 * a hash and positions come from a GSequence (a balanced tree: position,
 * move and index lookup are all O(log n)). The count of unacknowledged
 * important rows is kept up to date on every change instead of rescanned.
 *
 * The log and its events belong to the thread that made them. The exports
 * read them synchronously; to write a big log without blocking, export into
 * a GMemoryOutputStream (a few milliseconds for 5,000 rows) and write those
 * bytes asynchronously. */

/* Exports write in chunks of about this size. */
#define FLUSH_BYTES (64 * 1024)

/* The columns of the CSV export, which are also the members of the JSON
 * objects (pw_event_to_json()) the rows are made from. */
static const char *const columns[] = {
  "time", "last_time",  "session_id", "user_id", "kind",         "http_status",
  "code", "request_id", "message",    "count",   "acknowledged",
};

struct _PwEventLog
{
  GObject parent_instance;

  guint max_events;
  guint unacknowledged;

  /* PwEvent, oldest first; holds a reference on each. */
  GSequence *rows;
  /* "session_id \x1f kind" → GSequenceIter of the newest row with that key.
   * Events cannot hold \x1f (pw_event_new() replaces control characters),
   * so keys never collide. */
  GHashTable *latest;

  /* List widgets read positions in order: remember the last one. */
  GSequenceIter *last_iter;
  guint last_position;
};

static void pw_event_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwEventLog,
                               pw_event_log,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pw_event_log_list_model_init))

enum
{
  PROP_0,
  PROP_MAX_EVENTS,
  PROP_UNACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Marks an event as a row of a log, so it is not added twice. */
static GQuark row_quark;

static void acknowledged_changed_cb (PwEvent *event, GParamSpec *pspec, PwEventLog *self);

static char *
make_key (PwEvent *event)
{
  const char *session_id = pw_event_get_session_id (event);

  return g_strconcat (session_id != NULL ? session_id : "", "\x1f",
                      pw_event_kind_to_string (pw_event_get_kind (event)), NULL);
}

static gboolean
counts_as_unacknowledged (PwEvent *event)
{
  return pw_event_kind_is_important (pw_event_get_kind (event)) &&
         !pw_event_get_acknowledged (event);
}

/* track_row() and untrack_row() keep self->unacknowledged right but do not
 * notify: the public functions notify once, when the total changed. */
static void
track_row (PwEventLog *self, PwEvent *event)
{
  g_object_set_qdata (G_OBJECT (event), row_quark, self);
  g_signal_connect (event, "notify::acknowledged", G_CALLBACK (acknowledged_changed_cb),
                    self);

  if (counts_as_unacknowledged (event))
    self->unacknowledged++;
}

static void
untrack_row (PwEventLog *self, PwEvent *event)
{
  g_signal_handlers_disconnect_by_func (event, acknowledged_changed_cb, self);
  g_object_set_qdata (G_OBJECT (event), row_quark, NULL);

  if (counts_as_unacknowledged (event))
    {
      g_assert (self->unacknowledged > 0);
      self->unacknowledged--;
    }
}

static void
notify_unacknowledged_if_changed (PwEventLog *self, guint before)
{
  if (self->unacknowledged != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNACKNOWLEDGED]);
}

static void
remove_all_rows (PwEventLog *self)
{
  GSequenceIter *iter = g_sequence_get_begin_iter (self->rows);

  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    untrack_row (self, g_sequence_get (iter));

  g_sequence_remove_range (g_sequence_get_begin_iter (self->rows),
                           g_sequence_get_end_iter (self->rows));
  g_hash_table_remove_all (self->latest);
  self->last_iter = NULL;
}

static void
remove_oldest_row (PwEventLog *self)
{
  GSequenceIter *iter = g_sequence_get_begin_iter (self->rows);
  PwEvent *event = g_sequence_get (iter);
  g_autofree char *key = make_key (event);

  /* A newer row with the same key keeps its place in the hash. */
  if (g_hash_table_lookup (self->latest, key) == iter)
    g_hash_table_remove (self->latest, key);

  untrack_row (self, event);
  g_sequence_remove (iter);
  self->last_iter = NULL;
}

static gboolean
flush (GOutputStream *stream,
       GString *buffer,
       gboolean force,
       GCancellable *cancellable,
       GError **error)
{
  /* Checked for every row: not every stream checks it on write. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (buffer->len == 0 || (!force && buffer->len < FLUSH_BYTES))
    return TRUE;

  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable,
                                  error))
    return FALSE;

  g_string_truncate (buffer, 0);
  return TRUE;
}

/* Spreadsheets run a cell that starts with = + - or @ (some also tab or CR)
 * as a formula, so a server message could become code in the reader's
 * spreadsheet ("CSV injection"). Such a cell gets a leading apostrophe, the
 * usual defusing, which spreadsheets show as text. The cost: a value that
 * really starts with those characters reads back with the apostrophe, and
 * one that starts with an apostrophe cannot be told apart. The JSON Lines
 * export is the exact one. Quoting is RFC 4180: a field with a comma,
 * quote, CR or LF is quoted and its quotes doubled. */
static void
append_csv_field (GString *out, const char *value)
{
  gboolean quote;

  if (value == NULL || value[0] == '\0')
    return;

  quote = strpbrk (value, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (strchr ("=+-@\t\r", value[0]) != NULL)
    g_string_append_c (out, '\'');

  if (quote)
    {
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    {
      g_string_append (out, value);
    }
}

static void
append_csv_member (GString *out, JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  char number[32];

  g_assert (node != NULL);

  if (JSON_NODE_HOLDS_NULL (node))
    return;

  switch (json_node_get_value_type (node))
    {
      case G_TYPE_STRING:
        append_csv_field (out, json_node_get_string (node));
        break;

      case G_TYPE_INT64:
        g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, json_node_get_int (node));
        append_csv_field (out, number);
        break;

      case G_TYPE_BOOLEAN:
        append_csv_field (out, json_node_get_boolean (node) ? "true" : "false");
        break;

      default:
        g_assert_not_reached ();
    }
}

static void
acknowledged_changed_cb (PwEvent *event, GParamSpec *pspec, PwEventLog *self)
{
  if (!pw_event_kind_is_important (pw_event_get_kind (event)))
    return;

  if (pw_event_get_acknowledged (event))
    {
      g_assert (self->unacknowledged > 0);
      self->unacknowledged--;
    }
  else
    {
      self->unacknowledged++;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNACKNOWLEDGED]);
}

static GType
pw_event_log_get_item_type (GListModel *model)
{
  return PW_TYPE_EVENT;
}

static guint
pw_event_log_get_n_items (GListModel *model)
{
  PwEventLog *self = PW_EVENT_LOG (model);

  return g_sequence_get_length (self->rows);
}

static gpointer
pw_event_log_get_item (GListModel *model, guint position)
{
  PwEventLog *self = PW_EVENT_LOG (model);
  GSequenceIter *iter = NULL;

  if (self->last_iter != NULL)
    {
      if (position == self->last_position)
        iter = self->last_iter;
      else if (position == self->last_position + 1)
        iter = g_sequence_iter_next (self->last_iter);
      else if (position + 1 == self->last_position)
        iter = g_sequence_iter_prev (self->last_iter);
    }

  if (iter == NULL)
    iter = g_sequence_get_iter_at_pos (self->rows, (int) MIN (position, G_MAXINT));

  if (g_sequence_iter_is_end (iter))
    return NULL;

  self->last_iter = iter;
  self->last_position = position;

  return g_object_ref (g_sequence_get (iter));
}

static void
pw_event_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pw_event_log_get_item_type;
  iface->get_n_items = pw_event_log_get_n_items;
  iface->get_item = pw_event_log_get_item;
}

/* Events may outlive the log (a row widget holds one): drop the handlers
 * that point back here. */
static void
pw_event_log_dispose (GObject *object)
{
  PwEventLog *self = (PwEventLog *) object;

  remove_all_rows (self);
  self->unacknowledged = 0;

  G_OBJECT_CLASS (pw_event_log_parent_class)->dispose (object);
}

static void
pw_event_log_finalize (GObject *object)
{
  PwEventLog *self = (PwEventLog *) object;

  g_clear_pointer (&self->rows, g_sequence_free);
  g_clear_pointer (&self->latest, g_hash_table_unref);

  G_OBJECT_CLASS (pw_event_log_parent_class)->finalize (object);
}

static void
pw_event_log_get_property (GObject *object,
                           guint prop_id,
                           GValue *value,
                           GParamSpec *pspec)
{
  PwEventLog *self = PW_EVENT_LOG (object);

  switch (prop_id)
    {
      case PROP_MAX_EVENTS:
        g_value_set_uint (value, self->max_events);
        break;

      case PROP_UNACKNOWLEDGED:
        g_value_set_uint (value, self->unacknowledged);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_event_log_set_property (GObject *object,
                           guint prop_id,
                           const GValue *value,
                           GParamSpec *pspec)
{
  PwEventLog *self = PW_EVENT_LOG (object);

  switch (prop_id)
    {
      case PROP_MAX_EVENTS:
        pw_event_log_set_max_events (self, g_value_get_uint (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_event_log_class_init (PwEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_event_log_dispose;
  object_class->finalize = pw_event_log_finalize;
  object_class->get_property = pw_event_log_get_property;
  object_class->set_property = pw_event_log_set_property;

  properties[PROP_MAX_EVENTS] = g_param_spec_uint (
      "max-events", NULL, NULL, 1, G_MAXINT, PW_EVENT_LOG_DEFAULT_MAX_EVENTS,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
          G_PARAM_STATIC_STRINGS);
  /* Important rows not yet acknowledged: the panel's badge. */
  properties[PROP_UNACKNOWLEDGED] = g_param_spec_uint (
      "unacknowledged", NULL, NULL, 0, G_MAXUINT, 0,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  row_quark = g_quark_from_static_string ("pw-event-log-row");
}

static void
pw_event_log_init (PwEventLog *self)
{
  self->max_events = PW_EVENT_LOG_DEFAULT_MAX_EVENTS;
  self->rows = g_sequence_new (g_object_unref);
  self->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * pw_event_log_new:
 * @max_events: how many rows to keep (1 to %G_MAXINT); the oldest go first
 *
 * Returns: (transfer full): an empty log
 */
PwEventLog *
pw_event_log_new (guint max_events)
{
  g_return_val_if_fail (max_events > 0 && max_events <= G_MAXINT, NULL);

  return g_object_new (PW_TYPE_EVENT_LOG, "max-events", max_events, NULL);
}

/**
 * pw_event_log_add:
 * @event: (transfer none): a new occurrence, in no log yet
 *
 * If the newest row with the same (session, kind) is not acknowledged,
 * @event folds into it (see pw_event_fold()) and that row moves to the end;
 * otherwise @event itself becomes the last row, dropping the oldest when the
 * log is full. An acknowledged row stays as it is, so what the user has seen
 * is kept apart from what happened since.
 *
 * Every items-changed is emitted with the model already matching it: a move
 * is a removal, then an append.
 *
 * Returns: (transfer none): the row that shows @event: @event itself or the
 *   row it folded into
 */
PwEvent *
pw_event_log_add (PwEventLog *self, PwEvent *event)
{
  g_autofree char *key = NULL;
  GSequenceIter *iter;
  PwEvent *row;
  guint before;
  guint n_items;

  g_return_val_if_fail (PW_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (PW_IS_EVENT (event), NULL);
  g_return_val_if_fail (g_object_get_qdata (G_OBJECT (event), row_quark) == NULL, NULL);

  before = self->unacknowledged;

  key = make_key (event);
  iter = g_hash_table_lookup (self->latest, key);
  n_items = g_sequence_get_length (self->rows);

  if (iter != NULL && !pw_event_get_acknowledged (g_sequence_get (iter)))
    {
      guint position = g_sequence_iter_get_position (iter);

      row = g_sequence_get (iter);
      pw_event_fold (row, event);

      if (position + 1 < n_items)
        {
          /* Out of the sequence and the hash while the removal is announced,
           * still tracked: it is only moving. */
          g_object_ref (row);
          g_hash_table_remove (self->latest, key);
          g_sequence_remove (iter);
          self->last_iter = NULL;
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

          iter = g_sequence_append (self->rows, row);
          g_hash_table_insert (self->latest, g_steal_pointer (&key), iter);
          self->last_iter = NULL;
          g_list_model_items_changed (G_LIST_MODEL (self), n_items - 1, 0, 1);
        }

      return row;
    }

  while (n_items >= self->max_events)
    {
      remove_oldest_row (self);
      n_items--;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 1, 0);
    }

  iter = g_sequence_append (self->rows, g_object_ref (event));
  g_hash_table_insert (self->latest, g_steal_pointer (&key), iter);
  track_row (self, event);
  self->last_iter = NULL;
  g_list_model_items_changed (G_LIST_MODEL (self), n_items, 0, 1);

  notify_unacknowledged_if_changed (self, before);

  return event;
}

guint
pw_event_log_get_max_events (PwEventLog *self)
{
  g_return_val_if_fail (PW_IS_EVENT_LOG (self), 0);

  return self->max_events;
}

/**
 * pw_event_log_set_max_events:
 * @max_events: how many rows to keep (1 to %G_MAXINT)
 *
 * Changes the bound; when it shrinks below the rows there are, the oldest
 * go at once.
 */
void
pw_event_log_set_max_events (PwEventLog *self, guint max_events)
{
  guint before;
  guint n_items;
  guint n_removed = 0;

  g_return_if_fail (PW_IS_EVENT_LOG (self));
  g_return_if_fail (max_events > 0 && max_events <= G_MAXINT);

  if (self->max_events == max_events)
    return;

  self->max_events = max_events;
  before = self->unacknowledged;
  n_items = g_sequence_get_length (self->rows);
  for (; n_items - n_removed > max_events; n_removed++)
    remove_oldest_row (self);

  if (n_removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_removed, 0);
  notify_unacknowledged_if_changed (self, before);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_EVENTS]);
}

void
pw_event_log_clear (PwEventLog *self)
{
  guint before;
  guint n_items;

  g_return_if_fail (PW_IS_EVENT_LOG (self));

  before = self->unacknowledged;
  n_items = g_sequence_get_length (self->rows);
  if (n_items == 0)
    return;

  remove_all_rows (self);
  g_assert (self->unacknowledged == 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_items, 0);

  notify_unacknowledged_if_changed (self, before);
}

/**
 * pw_event_log_get_unacknowledged:
 *
 * Returns: how many rows of an important kind (pw_event_kind_is_important())
 *   are not acknowledged
 */
guint
pw_event_log_get_unacknowledged (PwEventLog *self)
{
  g_return_val_if_fail (PW_IS_EVENT_LOG (self), 0);
  return self->unacknowledged;
}

void
pw_event_log_acknowledge_all (PwEventLog *self)
{
  GSequenceIter *iter;

  g_return_if_fail (PW_IS_EVENT_LOG (self));

  /* Each row notifies; the log's own notify is sent once, at the thaw. */
  g_object_freeze_notify (G_OBJECT (self));

  iter = g_sequence_get_begin_iter (self->rows);
  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    pw_event_set_acknowledged (g_sequence_get (iter), TRUE);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pw_event_log_export_jsonl:
 *
 * Writes one compact pw_event_to_json() object per line, oldest first.
 * Synchronous: see the comment at the top of this file.
 */
gboolean
pw_event_log_export_jsonl (PwEventLog *self,
                           GOutputStream *stream,
                           GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (GString) buffer = NULL;
  GSequenceIter *iter;

  g_return_val_if_fail (PW_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  generator = json_generator_new ();
  buffer = g_string_sized_new (FLUSH_BYTES);

  iter = g_sequence_get_begin_iter (self->rows);
  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    {
      g_autoptr (JsonNode) node = pw_event_to_json (g_sequence_get (iter));

      json_generator_set_root (generator, node);
      json_generator_to_gstring (generator, buffer);
      g_string_append_c (buffer, '\n');

      if (!flush (stream, buffer, FALSE, cancellable, error))
        return FALSE;
    }

  return flush (stream, buffer, TRUE, cancellable, error);
}

/**
 * pw_event_log_export_csv:
 *
 * Writes RFC 4180 CSV (CRLF line ends, a header line with the JSON Lines
 * field names), oldest first; cells that a spreadsheet would run as a
 * formula are defused (see append_csv_field()). Synchronous: see the
 * comment at the top of this file.
 */
gboolean
pw_event_log_export_csv (PwEventLog *self,
                         GOutputStream *stream,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (GString) buffer = NULL;
  GSequenceIter *iter;

  g_return_val_if_fail (PW_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  buffer = g_string_sized_new (FLUSH_BYTES);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (i > 0)
        g_string_append_c (buffer, ',');
      g_string_append (buffer, columns[i]);
    }
  g_string_append (buffer, "\r\n");

  iter = g_sequence_get_begin_iter (self->rows);
  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    {
      g_autoptr (JsonNode) node = pw_event_to_json (g_sequence_get (iter));
      JsonObject *object = json_node_get_object (node);

      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        {
          if (i > 0)
            g_string_append_c (buffer, ',');
          append_csv_member (buffer, object, columns[i]);
        }
      g_string_append (buffer, "\r\n");

      if (!flush (stream, buffer, FALSE, cancellable, error))
        return FALSE;
    }

  return flush (stream, buffer, TRUE, cancellable, error);
}

/**
 * pw_event_log_to_json:
 *
 * Returns: (transfer full): an array of pw_event_to_json() objects, oldest
 *   first
 */
JsonNode *
pw_event_log_to_json (PwEventLog *self)
{
  JsonArray *array;
  JsonNode *node;
  GSequenceIter *iter;

  g_return_val_if_fail (PW_IS_EVENT_LOG (self), NULL);

  array = json_array_sized_new (g_sequence_get_length (self->rows));

  iter = g_sequence_get_begin_iter (self->rows);
  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    json_array_add_element (array, pw_event_to_json (g_sequence_get (iter)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * pw_event_log_load_json:
 * @array: what pw_event_log_to_json() wrote
 *
 * Replaces the whole content with the saved rows, as they were saved (no
 * folding), keeping the newest max-events of them. One bad entry must not
 * cost the user the rest of the log, so entries that do not read back are
 * skipped (and logged with g_debug()).
 *
 * Returns: %FALSE, with a %PW_ERROR_PROTOCOL error and the log unchanged,
 *   only when @array is not an array
 */
gboolean
pw_event_log_load_json (PwEventLog *self, JsonNode *array, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  JsonArray *json_array;
  guint before;
  guint n_removed;
  guint length;

  g_return_val_if_fail (PW_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (array != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error_literal (error, PW_ERROR, PW_ERROR_PROTOCOL,
                           _ ("The saved event log is not a JSON array"));
      return FALSE;
    }

  json_array = json_node_get_array (array);
  length = json_array_get_length (json_array);
  events = g_ptr_array_new_with_free_func (g_object_unref);

  /* Newest first, stopping once the log is full: older rows would only be
   * dropped again. */
  for (guint i = length; i > 0 && events->len < self->max_events; i--)
    {
      g_autoptr (GError) local_error = NULL;
      JsonNode *element = json_array_get_element (json_array, i - 1);
      PwEvent *event = pw_event_new_from_json (element, &local_error);

      if (event == NULL)
        {
          g_debug ("Skipping saved event %u: %s", i - 1, local_error->message);
          continue;
        }

      g_ptr_array_add (events, event);
    }

  before = self->unacknowledged;
  n_removed = g_sequence_get_length (self->rows);
  remove_all_rows (self);

  for (guint i = events->len; i > 0; i--)
    {
      PwEvent *event = g_ptr_array_index (events, i - 1);
      GSequenceIter *iter = g_sequence_append (self->rows, g_object_ref (event));

      /* Oldest to newest, so each key ends on its newest row. */
      g_hash_table_insert (self->latest, make_key (event), iter);
      track_row (self, event);
    }

  if (n_removed > 0 || events->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_removed, events->len);

  notify_unacknowledged_if_changed (self, before);

  return TRUE;
}
