#!/usr/bin/env bash
# Line, function and branch coverage of the parsers by the fuzz corpora (the
# seeds in fuzz/corpus/ plus what build-aux/run-fuzzers.sh found and kept in
# build-fuzz/corpus/), measured with llvm-cov on a separate build,
# build-fuzz-cov/. Not part of CI; needs llvm-14 (apt-get install llvm-14).
#
#   build-aux/run-fuzzers.sh 600 && build-aux/fuzz-coverage.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v llvm-profdata-14 >/dev/null || ! command -v llvm-cov-14 >/dev/null; then
  echo "fuzz-coverage.sh: needs llvm-profdata-14 and llvm-cov-14 (apt-get install llvm-14)" >&2
  exit 1
fi

flags='-fprofile-instr-generate -fcoverage-mapping'
if [ ! -f build-fuzz-cov/build.ninja ]; then
  CC=clang meson setup build-fuzz-cov -Dfuzzing=true -Dc_args="$flags" -Dc_link_args="$flags"
fi
meson compile -C build-fuzz-cov
rm -f build-fuzz-cov/*.profraw

objects=()
for target in reply-parser session-file state-file; do
  corpora=("fuzz/corpus/$target")
  if [ -d "build-fuzz/corpus/$target" ]; then
    corpora+=("build-fuzz/corpus/$target")
  fi
  G_SLICE=always-malloc LLVM_PROFILE_FILE="build-fuzz-cov/$target.profraw" \
    "build-fuzz-cov/fuzz/fuzz-$target" -runs=0 "${corpora[@]}" >/dev/null 2>&1
  echo "fuzz-$target: $(find "${corpora[@]}" -type f | wc -l) inputs"
  objects+=(-object "build-fuzz-cov/fuzz/fuzz-$target")
done

llvm-profdata-14 merge -sparse build-fuzz-cov/*.profraw -o build-fuzz-cov/fuzz.profdata
# The parsers and what consumes their output; the rest of the core is
# linked in but only partly reached.
llvm-cov-14 report "${objects[@]:1}" -instr-profile=build-fuzz-cov/fuzz.profdata \
  -show-region-summary=false |
  grep -E '^Filename|src/core/(pw-json|pw-reply-parser|pw-session-file|pw-state-file|pw-event|pw-event-log|pw-tracker-state|pw-format)\.c ' |
  sed -E 's|^[^ ]*/src/core/|src/core/|'
