#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the man pages: warning-free roff, and in step with the programs.

Usage: check-man.py SOURCE_ROOT PAGE...

For each PAGE (data/man/PROGRAM.1):
- `groff -man -ww -z` and `man --warnings -l -Z` must print nothing (each is
  skipped when it is not installed);
- every option of the program's GOptionEntry table in
  src/<name>/main.c (playwave-ctl -> src/ctl/main.c) must be documented,
  long and short forms, and so must every command the program dispatches on
  with g_str_equal (command, "...").
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

OPTION_ENTRY = re.compile(r'\{\s*"([A-Za-z0-9-]+)"\s*,\s*(?:\'(.)\'|0)\s*,')
COMMAND = re.compile(r'g_str_equal\s*\(\s*command\s*,\s*"([a-z-]+)"\s*\)')
FONT = re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)")


def lint(page):
    problems = []
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    commands = []
    groff = shutil.which("groff")
    if groff:
        commands.append([groff, "-man", "-ww", "-z", "-Tutf8", str(page)])
    else:
        print(f"{page.name}: groff not found, roff warnings not checked")
    man = shutil.which("man")
    if man:
        commands.append([man, "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(page)])
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0 or result.stderr.strip():
            problems.append(f"`{' '.join(command)}` (exit {result.returncode}):\n"
                            + result.stderr.rstrip())
    return problems


def coverage(root, page):
    name = page.stem  # playwave-ctl
    source = root / "src" / name.removeprefix("playwave-") / "main.c"
    if not source.is_file():
        return [], f"{page.name}: no {source.relative_to(root)}, options not compared"
    code = source.read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    text = FONT.sub("", text).replace("\\-", "-").replace("\\&", "")
    problems = []
    n = 0
    for long_name, short in OPTION_ENTRY.findall(code):
        n += 1
        if not re.search(rf"(?<![\w-])--{re.escape(long_name)}(?![\w-])", text):
            problems.append(f"--{long_name} (from {source.relative_to(root)}) is not documented")
        if short and not re.search(rf"(?<![\w-])-{re.escape(short)}(?![\w-])", text):
            problems.append(f"-{short} (from {source.relative_to(root)}) is not documented")
    for command in COMMAND.findall(code):
        n += 1
        if not re.search(rf"^\.[A-Z]+ +{re.escape(command)}\b", text, re.M):
            problems.append(f"command {command} (from {source.relative_to(root)}) has no entry")
    return problems, f"{page.name}: {n} options and commands of {source.relative_to(root)} documented"


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1]).resolve()
    failed = False
    for arg in sys.argv[2:]:
        page = Path(arg).resolve()
        problems = lint(page)
        more, summary = coverage(root, page)
        problems += more
        for problem in problems:
            print(f"{page.name}: {problem}")
        if problems:
            failed = True
        else:
            print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
