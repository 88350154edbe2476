#!/usr/bin/env bash
# Watches real desktop notifications go out, with no desktop: a private
# session bus (dbus-run-session), a stand-in notification server that
# prints every call (build-aux/fake-notification-server.py), and
# `playwave-monitor --sandbox` on a private Xvfb. After 5 s another window
# takes the focus, so the monitor is in the background when the demo's
# sessions get replaced and run out of charge; after a minute the script
# does what clicking a notification does (ActivateAction show-session) and
# saves a screenshot. The server's log shows AddNotification for each
# group, then RemoveNotification once the window is active again.
#
#   build-aux/check-notifications.sh [OUT_DIR]
#
# Needs dbus-run-session, gdbus, python3-gi, xvfb-run, xmessage, xdotool and
# ImageMagick's import (apt-get install dbus python3-gi x11-utils xdotool
# imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TMPDIR:-/tmp}/playwave-notifications}
mkdir -p "$out"
[ -f build/build.ninja ] || meson setup build
meson compile -C build >/dev/null

xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- bash -s "$out" <<'EOS'
set -euo pipefail
out=$1
/usr/bin/python3 build-aux/fake-notification-server.py >"$out/server.log" 2>&1 &
server=$!
sleep 1
state=$(mktemp -d)
GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/build/data" XDG_STATE_HOME="$state" \
  NO_AT_BRIDGE=1 ADW_DISABLE_PORTAL=1 ./build/src/gui/playwave-monitor --sandbox >"$out/app.log" 2>&1 &
app=$!
sleep 5
xmessage -geometry 200x100+1000+700 "another app" &
other=$!
sleep 2
xdotool windowfocus --sync "$(xdotool search --name '^xmessage$' | head -1)"
sleep 50
gdbus call --session --dest io.github.playwave_tools.SessionMonitor \
  --object-path /io/github/playwave_tools/SessionMonitor \
  --method org.freedesktop.Application.ActivateAction show-session \
  "[<'gs_demo-charge-40s'>]" "{}" >/dev/null
sleep 2
import -window root "$out/activated.png"
kill -INT $app; wait $app || true
kill $other $server || true
rm -rf "$state"
EOS
cat "$out/server.log"
echo "screenshot: $out/activated.png"
