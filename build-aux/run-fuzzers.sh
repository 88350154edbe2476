#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, coverage) in build-fuzz/
# and runs each for SECONDS (default 60), starting from the seed corpora in
# fuzz/corpus/. New inputs libFuzzer finds go to build-fuzz/corpus/TARGET,
# crashes to build-fuzz/artifacts/. Exits non-zero if any target crashed.
#
#   build-aux/run-fuzzers.sh                 # every target, 60 s each (CI)
#   build-aux/run-fuzzers.sh 600             # 10 minutes each
#   build-aux/run-fuzzers.sh 600 state-file  # one target
#   FUZZ_NICE=19 build-aux/run-fuzzers.sh 600   # at low priority
#   build-aux/run-fuzzers.sh 0               # only replay the seeds
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(reply-parser session-file state-file)
fi

if [ ! -f build-fuzz/build.ninja ]; then
  # Warnings are errors here too, as in the gcc builds.
  CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dwerror=true
fi
meson compile -C build-fuzz

# GSlice (GLib 2.74) keeps freed blocks in its magazines, where they look
# reachable: with plain malloc LeakSanitizer sees json-glib's leaks too.
export G_SLICE=always-malloc
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/artifacts

status=0
for target in "${targets[@]}"; do
  work=build-fuzz/corpus/$target
  mkdir -p "$work"
  if [ "$seconds" -eq 0 ]; then
    args=(-runs=0)
  else
    args=(-max_total_time="$seconds")
  fi
  # -timeout: one input taking a minute is a hang; anything shorter gave
  # false alarms on a loaded 2-core machine (a 0.3 ms input "took" 15 s).
  echo "== fuzz-$target: ${seconds}s"
  log=build-fuzz/fuzz-$target.log
  rc=0
  nice -n "${FUZZ_NICE:-0}" "build-fuzz/fuzz/fuzz-$target" "${args[@]}" \
    -max_len=16384 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict=fuzz/json.dict -artifact_prefix="build-fuzz/artifacts/$target-" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1 || rc=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^SUMMARY|check failed' \
    "$log" || true
  if [ $rc -ne 0 ]; then
    echo "fuzz-$target FAILED (exit $rc): see $log and build-fuzz/artifacts/" >&2
    tail -n 40 "$log" >&2
    status=1
  fi
done
exit $status
