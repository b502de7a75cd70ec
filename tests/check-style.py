#!/usr/bin/env python3
"""Keeps the house style of STYLE.md that a machine can check: no line of
the program's sources (the layer folders and tests/tools) is wider than 80
columns (tabs of 8), and no source, tests included, calls a banned
function (sprintf, vsprintf, strcpy, strcat, strncpy, strtok, atoi, gets).
Comments and string literals are not calls.  Prints each breach as
FILE:LINE: what, and exits 1; else prints a one-line summary and exits 0.
    tests/check-style.py [TOP]     (default: the current directory)"""
import os
import re
import sys

LAYERS = ["util", "inputs", "store", "match", "collectors", "netmap",
          "reports", "run", "cli"]
WIDE = LAYERS + ["tests/tools"]          # folders held to 80 columns
CALLS = LAYERS + ["tests/tools", "tests/unit", "tests/fuzz"]
BANNED = re.compile(r"\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|"
                    r"atoi|gets)\s*\(")
# A comment, a string or a character literal: blanked before the search.
LEXEME = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'
                    r"'(?:\\.|[^'\\\n])*'", re.S)


def sources(top, folders):
    for d in folders:
        for root, _, files in os.walk(os.path.join(top, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(root, f)


def blank(m):
    """The lexeme as spaces, its newlines kept (line numbers stay)."""
    return re.sub(r"[^\n]", " ", m.group(0))


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = []
    nfiles = 0
    for path in sources(top, WIDE):
        nfiles += 1
        with open(path, encoding="utf-8", errors="replace") as fp:
            for n, line in enumerate(fp, 1):
                w = len(line.rstrip("\n").expandtabs(8))
                if w > 80:
                    bad.append("%s:%d: %d columns" %
                               (os.path.relpath(path, top), n, w))
    for path in sources(top, CALLS):
        with open(path, encoding="utf-8", errors="replace") as fp:
            text = LEXEME.sub(blank, fp.read())
        for m in BANNED.finditer(text):
            n = text.count("\n", 0, m.start()) + 1
            bad.append("%s:%d: calls %s()" %
                       (os.path.relpath(path, top), n, m.group(1)))
    for b in bad:
        print(b)
    if bad:
        print("check-style: %d breaches" % len(bad))
        return 1
    print("check-style: %d files within 80 columns, no banned call" % nfiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
