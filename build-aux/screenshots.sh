#!/usr/bin/env bash
# Screenshots of the window for the metainfo and the README: builds, runs
# `playwave-monitor --sandbox` on a private Xvfb (1280x800) with its
# settings and state in a throw-away folder, waits until the demo sessions
# show their states and timers, selects one, and saves the window in the
# light and the dark style to data/screenshots/. With --narrow it also
# saves an 800 px wide one to check the narrow layout (not committed).
#
#   build-aux/screenshots.sh [--narrow] [--wait SECONDS] [--out DIR]
#
# Needs xvfb-run, ImageMagick's import, xwininfo and xdotool
# (apt-get install xvfb imagemagick x11-utils xdotool).
set -euo pipefail
cd "$(dirname "$0")/.."

wait_sec=110
out=data/screenshots
narrow=0
while [ $# -gt 0 ]; do
  case "$1" in
    --narrow) narrow=1 ;;
    --wait) wait_sec=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--narrow] [--wait SECONDS] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

for tool in xvfb-run import xwininfo xdotool; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing" >&2; exit 1; }
done

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build >/dev/null
mkdir -p "$out"

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

# One run: $1 = colour scheme (light/dark), $2 = output file, $3 = width or "".
# The window size comes from the settings (window-width, window-height:
# the default 1100x720 unless --narrow),
# kept in a key file of the throw-away folder.
shoot() {
  local scheme=$1 file=$2 width=${3:-1100}
  mkdir -p "$state/$scheme/config/glib-2.0/settings"
  printf '[io/github/playwave_tools/SessionMonitor]\nwindow-width=%s\nwindow-height=720\n' \
    "$width" >"$state/$scheme/config/glib-2.0/settings/keyfile"
  GSETTINGS_BACKEND=keyfile \
  XDG_CONFIG_HOME="$state/$scheme/config" \
  GSETTINGS_SCHEMA_DIR="$PWD/build/data" \
  XDG_STATE_HOME="$state/$scheme/state" \
  PLAYWAVE_COLOR_SCHEME=$scheme \
  NO_AT_BRIDGE=1 \
  ADW_DISABLE_PORTAL=1 \
  xvfb-run -a -s "-screen 0 1280x800x24" bash -s "$wait_sec" "$file" <<'EOF'
set -euo pipefail
wait_sec=$1 file=$2
./build/src/gui/playwave-monitor --sandbox >/dev/null 2>&1 &
app=$!
window=
for _ in $(seq 100); do
  window=$(xwininfo -root -tree | awk '/"PlayWave Session Monitor"/ { print $1; exit }')
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { echo "no window" >&2; kill $app; exit 1; }
sleep "$wait_sec"
# Select the session that ran out of charge: the detail pane shows its grace.
xdotool mousemove --window "$window" 80 322 click 1
sleep 2
import -window "$window" "$file"
kill -INT $app
wait $app || true
EOF
  echo "$file"
}

shoot light "$out/main-window.png"
shoot dark "$out/main-window-dark.png"
if [ "$narrow" = 1 ]; then
  shoot light "${TMPDIR:-/tmp}/main-window-narrow.png" 800
fi
