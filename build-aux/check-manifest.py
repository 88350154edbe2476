#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests against what the project promises.

Usage: check-manifest.py --app-id ID [--ci-script FILE] MANIFEST...

For every MANIFEST (JSON):
- the app id ("id" or "app-id") is ID: the Devel manifest keeps it too, so
  the desktop file, metainfo, icons and GSettings schema need no renaming;
- runtime org.gnome.Platform pinned to a released, numeric version, sdk
  org.gnome.Sdk of the same runtime, command playwave-monitor;
- finish-args are exactly the allowed sandbox holes (network, IPC, Wayland
  with X11 fallback, DRI): no file system access, no --socket=x11, no
  --talk-name=org.freedesktop.secrets (libsecret goes through the portal);
- the last module is the app: buildsystem meson, "run-tests": true, and
  config-opts holding every -D option CI passes to `meson setup build` in
  FILE (build-aux/run-tests.sh), -Dwerror=true at least;
- sources: a git source with a tag (release manifest) or a dir source
  (Devel manifest).
"""

import argparse
import json
import re
import shlex
import sys
from pathlib import Path

COMMAND = "playwave-monitor"
APP_MODULE = "playwave-monitor"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
FORBIDDEN_FINISH_ARGS = [
    "--filesystem=home",
    "--filesystem=host",
    "--talk-name=org.freedesktop.secrets",
    "--socket=x11",
]
GIT_URL = "https://github.com/playwave-tools/session-monitor.git"


def ci_meson_options(script):
    """The -D options of the `meson setup build ...` line(s) of the CI script."""
    options = set()
    text = Path(script).read_text(encoding="utf-8")
    for line in text.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        for i in range(len(words) - 2):
            if words[i] == "meson" and words[i + 1] == "setup" and words[i + 2] == "build":
                options.update(w for w in words[i + 3 :] if w.startswith("-D"))
    return options


def check(path, app_id, ci_options):
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"cannot read: {e}"]

    manifest_id = manifest.get("id", manifest.get("app-id"))
    expect(manifest_id == app_id, f"app id is {manifest_id!r}, not {app_id!r}")
    expect(manifest.get("runtime") == RUNTIME, f"runtime is {manifest.get('runtime')!r}, not {RUNTIME}")
    version = manifest.get("runtime-version")
    expect(isinstance(version, str) and re.fullmatch(r"\d+(\.\d+)?", version) is not None,
           f"runtime-version {version!r} is not a released version number")
    expect(manifest.get("sdk") == SDK, f"sdk is {manifest.get('sdk')!r}, not {SDK}")
    expect(manifest.get("command") == COMMAND, f"command is {manifest.get('command')!r}, not {COMMAND}")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg in FORBIDDEN_FINISH_ARGS:
            problems.append(f"finish-arg {arg} is forbidden")
        else:
            expect(arg in REQUIRED_FINISH_ARGS, f"finish-arg {arg} is not allowed")
    for arg in REQUIRED_FINISH_ARGS:
        expect(arg in finish_args, f"finish-arg {arg} is missing")
    expect(len(finish_args) == len(set(finish_args)), "finish-args has duplicates")

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict):
        problems.append("no app module")
        return problems
    app = modules[-1]
    expect(app.get("name") == APP_MODULE, f"the last module is {app.get('name')!r}, not {APP_MODULE}")
    expect(app.get("buildsystem") == "meson", "the app module does not use buildsystem meson")
    expect(app.get("run-tests") is True, 'the app module does not set "run-tests": true')
    config_opts = app.get("config-opts", [])
    for option in sorted(ci_options | {"-Dwerror=true"}):
        expect(option in config_opts, f"config-opts lacks {option}, which CI uses")

    sources = app.get("sources", [])
    kinds = [s.get("type") for s in sources if isinstance(s, dict)]
    if "git" in kinds:
        git = sources[kinds.index("git")]
        expect(git.get("url") == GIT_URL, f"git url is {git.get('url')!r}, not {GIT_URL}")
        expect(bool(git.get("tag")) or bool(git.get("commit")), "git source has neither tag nor commit")
        expect("branch" not in git, "a release manifest must not build a branch")
    elif "dir" in kinds:
        expect(sources[kinds.index("dir")].get("path") == "..", "dir source is not the working tree (..)")
    else:
        problems.append("the app module has neither a git nor a dir source")
    return problems


def main():
    parser = argparse.ArgumentParser(description="Checks the Flatpak manifests.")
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--ci-script", help="the CI build script (build-aux/run-tests.sh)")
    parser.add_argument("manifests", nargs="+")
    args = parser.parse_args()

    ci_options = ci_meson_options(args.ci_script) if args.ci_script else set()
    if args.ci_script and not ci_options:
        print(f"warning: no `meson setup build -D...` line found in {args.ci_script}")

    failed = False
    for path in args.manifests:
        problems = check(path, args.app_id, ci_options)
        name = Path(path).name
        for problem in problems:
            print(f"{name}: {problem}")
        if problems:
            failed = True
        else:
            print(f"{name}: OK (CI meson options: {' '.join(sorted(ci_options)) or 'none'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
