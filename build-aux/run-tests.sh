#!/usr/bin/env bash
# Builds with warnings as errors and runs every test, then the robustness
# runs (docs/ROBUSTNESS.md): the soak suite (fault phases over 1,000
# sessions, the kill loop), valgrind over the core tests, the whole suite
# again under AddressSanitizer and UndefinedBehaviorSanitizer (soak suite
# included), and each libFuzzer target for a minute.
#
# Lengths: PW_SOAK_SECONDS (default 155), PW_KILL_ROUNDS (30),
# PW_FUZZ_SECONDS (60 per target).
set -euo pipefail
cd "$(dirname "$0")/.."

export PW_SOAK_SECONDS=${PW_SOAK_SECONDS:-155}
export PW_KILL_ROUNDS=${PW_KILL_ROUNDS:-30}
fuzz_seconds=${PW_FUZZ_SECONDS:-60}

# SPEC: the key never reaches a log. The tests use these two keys (the
# second is test-key-leak's canary); no line any test logged may hold them.
check_no_key() {
  if grep -rl -e test-key-7f3c9a1e -e pw-canary-0b7f3d9e5a21c864 "$1/meson-logs"; then
    echo "run-tests.sh: an API key was logged, in the files above" >&2
    exit 1
  fi
}

meson setup build --wipe -Dwerror=true >/dev/null 2>&1 || meson setup build -Dwerror=true
meson compile -C build
# Widget tests need a display: a private Xvfb for the whole run.
xvfb-run -a -s "-screen 0 1600x1200x24" meson test -C build --print-errorlogs
check_no_key build

# The long ones, each bounded by its own length settings above.
meson test -C build --suite soak --print-errorlogs

# Nothing definitely lost in the core tests (the 'memcheck' suite: the core
# test programs that run without a wrapper script); the one suppression is
# a leak inside libsoup 3.2.3 (build-aux/valgrind.supp).
meson test -C build --suite memcheck --print-errorlogs --timeout-multiplier 10 \
  --wrap="valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --error-exitcode=1 --suppressions=$PWD/build-aux/valgrind.supp"
check_no_key build

meson setup build-asan --wipe -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
  >/dev/null 2>&1 || meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The core and the CLI must not leak at all; GTK, fontconfig and Mesa keep
# process-lifetime allocations that LeakSanitizer would report, so the
# widget tests run with leak detection off (ASan and UBSan still on).
# libsecret 0.20.5 leaks a few bytes per write of its file backend and in
# secret_password_search() (tests/meson.build): the 'keyring' suite that
# exercises exactly those runs with leak detection off. The other tests that
# store keys run against gnome-keyring with it on.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  meson test -C build-asan --print-errorlogs --no-suite gui --no-suite keyring
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  meson test -C build-asan --print-errorlogs --suite keyring
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  xvfb-run -a -s "-screen 0 1600x1200x24" meson test -C build-asan --print-errorlogs --suite gui
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  meson test -C build-asan --print-errorlogs --suite soak
check_no_key build-asan

# libFuzzer targets (clang, ASan + UBSan), a bounded minute each.
bash build-aux/run-fuzzers.sh "$fuzz_seconds"
