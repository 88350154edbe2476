#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks every translation with msgfmt, and LINGUAS against the .po files.

Usage: check-po.py PO_DIR
       check-po.py --complete LANG SOURCE_ROOT

Runs `msgfmt -c --check-format` on every PO_DIR/*.po (format strings must
match the English ones, headers must be complete) and fails when po/LINGUAS
names a language without a .po file (the build would fail) or a .po file is
not in LINGUAS (it would never be installed). Skips (exit 77) when there are
no .po files yet, and when msgfmt is missing.

With --complete, extracts the strings of SOURCE_ROOT/po/POTFILES.in afresh
(xgettext with the keywords of meson's 'glib' preset, as po/meson.build
uses) into a temporary template and fails, naming each string, when
po/LANG.po lacks a translation for one of them, or has it only as fuzzy.
That is what `msgmerge` would leave to translate. Skips (exit 77) when
xgettext or msgcmp is missing.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = 77

# meson's i18n 'glib' preset: the keywords decide which strings (and
# contexts) are extracted; the --flag options only add c-format marks.
XGETTEXT_KEYWORDS = [
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
]


def describe_pot_entry(pot_lines, number):
    """'src/x.c:12: msgid "Text" is not translated' for the entry at line NUMBER."""
    start = number - 1
    while start > 0 and not pot_lines[start].startswith("msgid "):
        start -= 1
    text = pot_lines[start][len("msgid "):]
    end = start + 1
    while end < len(pot_lines) and pot_lines[end].startswith('"'):
        text += pot_lines[end]
        end += 1
    text = text.replace('""', "")
    where = next(
        (pot_lines[i][3:] for i in range(start, -1, -1) if pot_lines[i].startswith("#:")),
        "?",
    )
    return f"{where}: msgid {text} is not translated"


def check_complete(lang, source_root):
    """Fails when po/LANG.po leaves a string of the sources untranslated."""
    xgettext = shutil.which("xgettext")
    msgcmp = shutil.which("msgcmp")
    if xgettext is None or msgcmp is None:
        print("xgettext or msgcmp not found (install gettext)")
        return SKIP
    po = source_root / "po" / f"{lang}.po"
    if not po.is_file():
        print(f"po/{lang}.po does not exist")
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "current.pot"
        result = subprocess.run(
            [xgettext, "--from-code=UTF-8", *XGETTEXT_KEYWORDS,
             "--directory", str(source_root),
             "--files-from", str(source_root / "po" / "POTFILES.in"),
             "--output", str(pot)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or not pot.is_file():
            print(f"xgettext failed:\n{(result.stdout + result.stderr).strip()}")
            return 1
        # Without --use-fuzzy and --use-untranslated, msgcmp counts fuzzy
        # and empty translations as missing.
        result = subprocess.run(
            [msgcmp, str(po), str(pot)], capture_output=True, text=True
        )
        pot_lines = pot.read_text(encoding="utf-8").splitlines()
    lines = []
    for line in (result.stdout + result.stderr).splitlines():
        # The entries it skipped come back as "not used": noise here.
        if "this message is not used" in line:
            continue
        # The template is gone: name the string and where it comes from.
        if line.startswith(str(pot) + ":"):
            line = describe_pot_entry(pot_lines, int(line.split(":")[1]))
        lines.append(line)
    if result.returncode != 0:
        print(f"po/{lang}.po lacks translations (untranslated, fuzzy or new strings)"
              f" of the sources; update it with\n"
              f"  meson compile -C build playwave-monitor-update-po\n"
              f"and translate them:")
        print("\n".join(lines))
        return 1
    print(f"po/{lang}.po translates every string in po/POTFILES.in")
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--complete":
        return check_complete(sys.argv[2], Path(sys.argv[3]))
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
