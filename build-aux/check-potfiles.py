#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that po/POTFILES.in lists every file with translatable strings.

Usage: check-potfiles.py SOURCE_ROOT

Fails (exit 1) and names the files when
- a C file under src/ calls _(), N_(), C_(), NC_(), Q_() or a *gettext()
  function outside comments,
- a .ui file under src/ has a translatable="yes" attribute,
- a data/*.in file or a data/*.gschema.xml file (translated through its
  gettext-domain) exists,
and is listed neither in po/POTFILES.in nor in po/POTFILES.skip; or when
po/POTFILES.in lists a file that does not exist (xgettext would stop on it).
"""

import re
import sys
from pathlib import Path

C_SUFFIXES = {".c", ".h"}
GETTEXT_CALL = re.compile(
    r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|(?:g_)?d?c?n?p?gettext2?)\s*\("
)
UI_TRANSLATABLE = re.compile(r"""translatable\s*=\s*["'](?:yes|true|1)["']""", re.I)


def strip_c_comments(text):
    """Blanks out comments and the contents of string and character literals."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_list(path):
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


def needs_translation(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as e:
        print(f"warning: cannot read {path}: {e}", file=sys.stderr)
        return False
    if path.suffix in C_SUFFIXES:
        return GETTEXT_CALL.search(strip_c_comments(text)) is not None
    if path.suffix == ".ui":
        return UI_TRANSLATABLE.search(text) is not None
    return False


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1]).resolve()
    listed = read_list(root / "po" / "POTFILES.in")
    skipped = read_list(root / "po" / "POTFILES.skip")
    known = set(listed) | set(skipped)

    wanted = []
    src = root / "src"
    if src.is_dir():
        for path in sorted(src.rglob("*")):
            if path.is_file() and path.suffix in C_SUFFIXES | {".ui"}:
                if needs_translation(path):
                    wanted.append(path.relative_to(root).as_posix())
    data = root / "data"
    if data.is_dir():
        for path in sorted(data.iterdir()):
            if path.is_file() and (path.name.endswith(".in") or path.name.endswith(".gschema.xml")):
                wanted.append(path.relative_to(root).as_posix())

    missing = [f for f in wanted if f not in known]
    stale = [f for f in listed if not (root / f).is_file()]

    for f in missing:
        print(f"missing from po/POTFILES.in: {f}")
    for f in stale:
        print(f"listed in po/POTFILES.in but does not exist: {f}")
    if missing or stale:
        return 1
    print(f"po/POTFILES.in is complete: {len(wanted)} files with translatable strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
