/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pw-base-url.h"
#include "pw-error.h"
#include "pw-fuzz.h"
#include "pw-session-file.h"

/* libFuzzer target for session files (`--from`, `--track-file`, the import
 * dialog): line files, CSV, JSON arrays, and `--track` arguments. Checks
 * that a file gives either sessions or an error, that every session it
 * gives has valid, distinct ids, and that errors are readable text. */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  pw_fuzz_init ();
  return 0;
}

static void
check_entries (GPtrArray *entries)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint last_line = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      PwSessionEntry *entry = g_ptr_array_index (entries, i);

      PW_FUZZ_CHECK (pw_identifier_is_valid ("session id", entry->session_id, NULL));
      PW_FUZZ_CHECK (pw_identifier_is_valid ("user id", entry->user_id, NULL));
      PW_FUZZ_CHECK (g_hash_table_add (seen, entry->session_id));
      PW_FUZZ_CHECK (entry->line > last_line);
      last_line = entry->line;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) entries =
        pw_session_file_parse (size ? text : NULL, size, &error);

    PW_FUZZ_CHECK ((entries == NULL) == (error != NULL));
    if (entries != NULL)
      check_entries (entries);
    else
      {
        PW_FUZZ_CHECK (error->domain == PW_ERROR);
        PW_FUZZ_CHECK (error->code == PW_ERROR_INVALID_ARGUMENT);
        PW_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      }
  }

  /* The first line as a `--track` argument (C strings end at a NUL). */
  {
    g_autofree char *argument = g_strndup (text, size);
    g_autoptr (GError) error = NULL;
    g_autofree char *session_id = NULL;
    g_autofree char *user_id = NULL;
    char *newline = strchr (argument, '\n');

    if (newline != NULL)
      *newline = '\0';

    if (pw_session_entry_parse_one (argument, &session_id, &user_id, &error))
      {
        PW_FUZZ_CHECK (error == NULL);
        PW_FUZZ_CHECK (pw_identifier_is_valid ("session id", session_id, NULL));
        PW_FUZZ_CHECK (pw_identifier_is_valid ("user id", user_id, NULL));
      }
    else
      {
        PW_FUZZ_CHECK (error != NULL && session_id == NULL && user_id == NULL);
        PW_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      }
  }

  return 0;
}
