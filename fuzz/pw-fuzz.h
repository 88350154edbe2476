/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A failed check is a crash, so libFuzzer keeps the input that caused it. */
#define PW_FUZZ_CHECK(expr)                                                              \
  G_STMT_START                                                                           \
  {                                                                                      \
    if (G_UNLIKELY (!(expr)))                                                            \
      pw_fuzz_fail (__FILE__, __LINE__, #expr);                                          \
  }                                                                                      \
  G_STMT_END

void pw_fuzz_init (void);
G_NORETURN void pw_fuzz_fail (const char *file, int line, const char *expr);

G_END_DECLS
