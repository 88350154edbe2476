#!/usr/bin/env bash
# Builds, starts playwave-sandbox with its demo sessions on loopback, and
# shows playwave-ctl heartbeat and end against it: every documented outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build >/dev/null

export PLAYWAVE_API_KEY=sandbox-key
log=$(mktemp)
./build/src/sandbox/playwave-sandbox --api-key "$PLAYWAVE_API_KEY" >"$log" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 50); do
  [ -s "$log" ] && break
  sleep 0.1
done
export PLAYWAVE_BASE_URL=$(head -n 1 "$log")
control=${PLAYWAVE_BASE_URL%/v1}/_sandbox
ctl=./build/src/ctl/playwave-ctl

new_session() { # user pc charge
  curl -s -X POST "$control/sessions" \
    -d "{\"provider_user_id\":\"$1\",\"pc_id\":\"$2\",\"charge_sec\":$3}" |
    sed -n 's/.*"game_session_id" *: *"\([^"]*\)".*/\1/p'
}
step() { printf '\n\033[1m$ playwave-ctl %s\033[0m\n' "$*"; "$ctl" "$@" || echo "(exit status $?)"; }

echo "Sandbox at $PLAYWAVE_BASE_URL (key: sandbox-key)"

skip() { curl -s -X POST "$control/time" -d "{\"advance_sec\": $1}" >/dev/null; echo "  (sandbox time skipped $1 s)"; }
quiet() { "$ctl" heartbeat "$1" "$2" >/dev/null || true; }

healthy=$(new_session 1001 pc-1 -1)
poor=$(new_session 1002 pc-2 30)
replaced=$(new_session 1003 pc-3 -1)
new_session 1003 pc-3 -1 >/dev/null
silent=$(new_session 1004 pc-4 -1)
curl -s -X POST "$control/launchers/pc-4/silence" >/dev/null

echo "Five sessions: healthy, 30 s of charge, replaced on its PC, launcher silenced."
step heartbeat "$healthy" 1001
step --json heartbeat "$healthy" 1001
step heartbeat "$replaced" 1003

skip 40
step heartbeat "$poor" 1002
quiet "$healthy" 1001; quiet "$silent" 1004

skip 115
step heartbeat "$poor" 1002
quiet "$healthy" 1001; quiet "$silent" 1004

skip 100
step heartbeat "$silent" 1004
step heartbeat "$poor" 1002
step heartbeat "$healthy" 1001
step heartbeat gs_unknown 1005
PLAYWAVE_API_KEY=wrong-key step heartbeat "$healthy" 1001

step end "$healthy" --duration 250
step end "$healthy"

echo
echo "The sandbox keeps running at $PLAYWAVE_BASE_URL until you press Ctrl+C."
echo "Try: PLAYWAVE_API_KEY=sandbox-key PLAYWAVE_BASE_URL=$PLAYWAVE_BASE_URL $ctl heartbeat ID USER"
if [ -t 0 ] && [ -z "${CI:-}" ]; then
  wait $sandbox
fi
