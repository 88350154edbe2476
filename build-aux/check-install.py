#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks what `meson install` puts on a system, the way a packager would.

Usage: check-install.py BUILD_DIR APP_ID

Installs BUILD_DIR with `meson install --destdir` into a temporary tree,
then checks that the tree holds the three programs, the desktop file, the
metainfo, the schema, both icons, the Korean catalog and both man pages,
each where the freedesktop specifications (and so GNOME Software, the shell
and man) look for it; and runs every validator on the *installed* files,
not on the build's copies: desktop-file-validate, appstreamcli (--pedantic),
glib-compile-schemas --strict, msgunfmt on the catalog. The installed
desktop file and metainfo must carry their Korean translations (merged by
i18n.merge_file). A validator that is not installed is skipped, as in
data/meson.build.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def main():
    build_dir, app_id = sys.argv[1], sys.argv[2]
    problems = []

    with tempfile.TemporaryDirectory(prefix="pw-install-") as dest:
        result = run(["meson", "install", "-C", build_dir, "--no-rebuild",
                      "--destdir", dest])
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            sys.exit("check-install.py: meson install failed")

        # The prefix as configured (/usr/local by default, /app in the
        # Flatpak): the one directory under DESTDIR that holds bin/.
        prefixes = sorted({p.parent.parent for p in Path(dest).rglob("bin/playwave-ctl")})
        if len(prefixes) != 1:
            sys.exit(f"check-install.py: no single prefix with bin/ in {dest}")
        prefix = prefixes[0]
        share = prefix / "share"

        expected = [
            "bin/playwave-monitor",
            "bin/playwave-ctl",
            "bin/playwave-sandbox",
            f"share/applications/{app_id}.desktop",
            f"share/metainfo/{app_id}.metainfo.xml",
            f"share/glib-2.0/schemas/{app_id}.gschema.xml",
            f"share/icons/hicolor/scalable/apps/{app_id}.svg",
            f"share/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg",
            "share/locale/ko/LC_MESSAGES/playwave-monitor.mo",
            "share/man/man1/playwave-ctl.1",
            "share/man/man1/playwave-sandbox.1",
        ]
        for relative in expected:
            path = prefix / relative
            if not path.is_file():
                problems.append(f"missing: {relative}")
            elif relative.startswith("bin/") and not os.access(path, os.X_OK):
                problems.append(f"not executable: {relative}")

        desktop = share / "applications" / f"{app_id}.desktop"
        metainfo = share / "metainfo" / f"{app_id}.metainfo.xml"
        catalog = share / "locale/ko/LC_MESSAGES/playwave-monitor.mo"

        checks = [
            ("desktop-file-validate", [str(desktop)]),
            ("appstreamcli", ["validate", "--no-net", "--pedantic", str(metainfo)]),
            ("glib-compile-schemas", ["--strict", "--dry-run", str(share / "glib-2.0/schemas")]),
            ("msgunfmt", [str(catalog)]),
        ]
        for tool, args in checks:
            if shutil.which(tool) is None:
                print(f"# {tool} not installed: skipped")
                continue
            if not Path(args[-1]).exists():
                continue
            result = run([tool] + args)
            if result.returncode != 0:
                problems.append(f"{tool} failed on the installed file:\n"
                                + result.stdout + result.stderr)
            else:
                print(f"ok: {tool} {Path(args[-1]).name}")

        if desktop.is_file() and "Name[ko]=" not in desktop.read_text(encoding="utf-8"):
            problems.append("the installed desktop file has no Korean name (Name[ko])")
        if metainfo.is_file() and 'xml:lang="ko"' not in metainfo.read_text(encoding="utf-8"):
            problems.append("the installed metainfo has no Korean text (xml:lang=\"ko\")")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"ok: {len(expected)} files installed where they belong")


if __name__ == "__main__":
    main()
