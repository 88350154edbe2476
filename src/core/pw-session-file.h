/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest session file read, in any of its formats. */
#define PW_SESSION_FILE_MAX_BYTES (16 * 1024 * 1024)

/**
 * PwSessionEntry:
 * @session_id: the game session id, validated with pw_identifier_is_valid()
 * @user_id: the provider user id, validated the same way
 * @line: where the entry came from, counting from 1: the line of a text file,
 *   or the position in the array of a JSON file
 *
 * One session to track, read from a session file or a `--track` argument.
 */
typedef struct
{
  char *session_id;
  char *user_id;
  guint line;
} PwSessionEntry;

void pw_session_entry_free (PwSessionEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSessionEntry, pw_session_entry_free)

GPtrArray *pw_session_file_parse (const char *text, gsize length, GError **error);
GPtrArray *pw_session_file_load (GFile *file, GCancellable *cancellable, GError **error);
gboolean pw_session_entry_parse_one (const char *text,
                                     char **session_id,
                                     char **user_id,
                                     GError **error);

G_END_DECLS
