/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pw-fuzz.h"

/* Shared set-up of the fuzz targets: warnings and criticals (a failed
 * g_return_if_fail() is a bug too) abort, so libFuzzer records the input;
 * the C locale keeps messages untranslated. */
void
pw_fuzz_init (void)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

void
pw_fuzz_fail (const char *file, int line, const char *expr)
{
  fprintf (stderr, "%s:%d: check failed: %s\n", file, line, expr);
  abort ();
}
