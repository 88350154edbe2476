#!/usr/bin/env bash
# Installs what building, running and testing need on Debian 12 (bookworm).
# Runs as root, or through sudo when it is there.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config clang-format gettext itstool
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev glib-networking
  libgtk-4-dev libadwaita-1-dev libsecret-1-dev gnome-keyring dbus-daemon
  desktop-file-utils appstream xvfb xauth dbus-x11 at-spi2-core
  curl ca-certificates python3 groff-base man-db
  clang libclang-rt-14-dev valgrind
)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps.sh: run as root or install sudo" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
