#!/usr/bin/env bash
# Builds and opens the window on its built-in sandbox: a dozen demo
# sessions that run out of charge, get replaced, lose their launcher or
# expire while paused, so every state shows within three minutes.
# (build-aux/run-cli-demo.sh shows the same outcomes with playwave-ctl.)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build >/dev/null

# Use the schema from the build folder; nothing needs installing.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
exec ./build/src/gui/playwave-monitor --sandbox "$@"
