#!/usr/bin/env bash
# Runs every benchmark and prints their tables (numbers only: nothing passes
# or fails). Takes about 40 minutes on a 2-core machine; the figures, the
# exact commands and what they mean are in docs/BENCHMARKS.md.
#
#   benchmarks/run-all.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

if [ ! -x "$build/benchmarks/bench-window" ]; then
  meson setup "$build" >/dev/null 2>&1 || true
  meson compile -C "$build"
fi

echo "## Wire cost"
python3 benchmarks/bench-wire.py --build "$build" --requests 5000 --runs 3 --callgrind 2>/dev/null
echo
echo "## Tracker scale (playwave-ctl watch)"
python3 benchmarks/bench-watch.py --build "$build" --sessions 1000,10000,50000 2>/dev/null
echo
echo "## Window scale (playwave-monitor under Xvfb)"
python3 benchmarks/bench-window.py --build "$build" --sessions 10000 --runs 3 --renderer cairo 2>/dev/null
