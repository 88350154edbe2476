#!/bin/sh
# Runs a test program against a real Secret Service: a private D-Bus
# session with its own gnome-keyring-daemon, unlocked with a throwaway
# password, in a throwaway home. Nothing of the user's keyring is touched.
#
#   run-with-keyring.sh [--require-service] PROGRAM [ARGUMENT]...
#
# Without dbus-run-session or gnome-keyring-daemon, the program runs as it
# is (the tests then use libsecret's file backend), or, with
# --require-service, is skipped (a TAP plan of 0).
set -eu

require=0
if [ "${1:-}" = "--require-service" ]; then
  require=1
  shift
fi

if ! command -v dbus-run-session >/dev/null 2>&1 ||
   ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if [ "$require" = 1 ]; then
    echo "1..0 # SKIP needs dbus-run-session and gnome-keyring-daemon"
    exit 0
  fi
  exec "$@"
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/playwave-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM
mkdir -m 700 "$home/run"

# Not exec: the trap removes the home afterwards. The daemon runs in the
# foreground so it can be stopped at the end (daemonized, it outlives the
# private bus), with none of the tests' debugging variables
# (G_DEBUG=fatal-warnings would make it abort on its own warnings) and no
# display (nothing to prompt on); the tests start once it owns its name.
HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run" \
SECRET_BACKEND=service \
  dbus-run-session -- sh -c '
    printf "playwave-test" | env -u G_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_ \
      -u ASAN_OPTIONS -u UBSAN_OPTIONS -u DISPLAY -u WAYLAND_DISPLAY \
      gnome-keyring-daemon --foreground --unlock --components=secrets \
      >/dev/null 2>&1 &
    keyring=$!
    if ! gdbus wait --session --timeout 20 org.freedesktop.secrets; then
      kill "$keyring"
      echo "Bail out! gnome-keyring-daemon did not start"
      exit 1
    fi
    status=0
    "$@" || status=$?
    kill "$keyring"
    wait "$keyring" 2>/dev/null || true
    exit "$status"' sh "$@"
