#!/bin/sh
# Runs a test program against a real Secret Service: a private D-Bus
# session with its own gnome-keyring-daemon, unlocked with a throwaway
# password, in a throwaway home. Nothing of the user's keyring is touched.
# Without dbus-run-session or gnome-keyring-daemon the test is skipped (a
# TAP plan of 0).
set -eu

if ! command -v dbus-run-session >/dev/null 2>&1 ||
   ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP needs dbus-run-session and gnome-keyring-daemon"
  exit 0
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/playwave-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM
mkdir -m 700 "$home/run"

# Not exec: the trap removes the home afterwards.
HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
XDG_RUNTIME_DIR="$home/run" SECRET_BACKEND=service \
  dbus-run-session -- sh -c '
    printf "playwave-test" | env -u G_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_ \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' sh "$@"
