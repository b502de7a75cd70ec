#!/usr/bin/env python3
"""Keeps the layers of docs/ARCHITECTURE.md: a folder includes only the
folders below it that the table here allows, and no modules include each
other in a circle.  Prints what breaks the rules and exits 1, or prints a
one-line summary and exits 0.
    tests/check-layers.py [TOP]     (default: the current directory)"""
import os
import re
import sys

# Each layer and the layers it may include (its own folder always).
ALLOWED = {
    "util": [],
    "inputs": ["util"],
    "store": ["util"],
    "match": ["util", "inputs", "store"],
    "collectors": ["util", "inputs"],
    "netmap": ["util", "store"],
    "reports": ["util", "inputs", "store", "match"],
    "run": ["util", "inputs", "store", "match", "collectors", "netmap"],
    "cli": ["util", "inputs", "store", "match", "collectors", "netmap",
            "reports", "run"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module(path):
    """x.c and x.h are one module; x_int.h belongs to x as well."""
    base = os.path.basename(path).rsplit(".", 1)[0]
    return os.path.join(os.path.dirname(path), re.sub(r"_int$", "", base))


def main():
    if len(sys.argv) > 1:
        os.chdir(sys.argv[1])
    where = {}                      # header name -> its path
    files = []
    for layer in ALLOWED:
        if not os.path.isdir(layer):
            print("check-layers: no folder %s/" % layer)
            return 1
        for name in sorted(os.listdir(layer)):
            if name.endswith((".c", ".h")):
                path = os.path.join(layer, name)
                files.append(path)
                if name.endswith(".h"):
                    if name in where:
                        print("check-layers: %s and %s: one header name in "
                              "two folders" % (where[name], path))
                        return 1
                    where[name] = path
    bad = []
    edges = {}
    for path in files:
        layer = path.split("/")[0]
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line_no, inc in ((text.count("\n", 0, m.start()) + 1, m.group(1))
                             for m in INCLUDE.finditer(text)):
            if "/" in inc:
                bad.append("%s:%d: includes \"%s\" by a path; include by "
                           "name" % (path, line_no, inc))
                continue
            target = where.get(inc)
            if target is None:
                bad.append("%s:%d: \"%s\" is no header of the layers"
                           % (path, line_no, inc))
                continue
            tl = target.split("/")[0]
            if tl != layer and tl not in ALLOWED[layer]:
                bad.append("%s:%d: %s/ may not include %s/ (\"%s\")"
                           % (path, line_no, layer, tl, inc))
            a, b = module(path), module(target)
            if a != b:
                edges.setdefault(a, set()).add(b)
    # Circles between modules: a depth-first search for a back edge.
    state = {}
    stack = []
    circles = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                circles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(edges):
        if n not in state:
            visit(n)
    for c in circles:
        bad.append("circle: " + " -> ".join(c))
    for b in bad:
        print("check-layers: " + b)
    if bad:
        return 1
    print("layers: %d files in %d layers, %d module includes, no circles"
          % (len(files), len(ALLOWED), sum(len(v) for v in edges.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
