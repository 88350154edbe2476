#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks every translation with msgfmt, and LINGUAS against the .po files.

Usage: check-po.py PO_DIR

Runs `msgfmt -c --check-format` on every PO_DIR/*.po (format strings must
match the English ones, headers must be complete) and fails when po/LINGUAS
names a language without a .po file (the build would fail) or a .po file is
not in LINGUAS (it would never be installed). Skips (exit 77) when there are
no .po files yet, and when msgfmt is missing.
"""

import shutil
import subprocess
import sys
from pathlib import Path

SKIP = 77


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    po_dir = Path(sys.argv[1])
    po_files = sorted(po_dir.glob("*.po"))
    linguas_path = po_dir / "LINGUAS"
    linguas = []
    if linguas_path.exists():
        for line in linguas_path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0]
            linguas.extend(line.split())

    failed = False
    for lang in linguas:
        if not (po_dir / f"{lang}.po").is_file():
            print(f"po/LINGUAS names {lang}, but po/{lang}.po does not exist")
            failed = True
    for po in po_files:
        if po.stem not in linguas:
            print(f"po/{po.name} is not listed in po/LINGUAS, so it is never installed")
            failed = True

    if not po_files:
        print("no .po files yet: nothing to check")
        return 1 if failed else SKIP

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("msgfmt not found (install gettext)")
        return 1 if failed else SKIP

    for po in po_files:
        result = subprocess.run(
            [msgfmt, "-c", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            print(f"po/{po.name}: msgfmt failed:\n{output}")
            failed = True
        else:
            print(f"po/{po.name}: {output}")

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
