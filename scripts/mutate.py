#!/usr/bin/env python3
"""mutate: does the suite bite?  Applies each mutation of a list kept in
the tree (tests/mutations.txt) to a copy of the source tree, rebuilds, runs
the tests that cover the mutated file, and reports each mutation killed (a
test failed) or survived (every test passed).  A mutation whose code
snippet is no longer found, is found more than once, or does not compile
is an ERROR, never counted as killed.  Exit 0 only when every mutation is
killed.

    scripts/mutate.py [--list FILE] [--only NAME[,NAME...]] [--keep]
                      [--fresh] [--check] [--timeout SECONDS] [--jobs N]

The list is made of blocks:

    [name]
    file    = risk.c            the file's name; found anywhere in the tree
                                (git ls-files), so that files may move
    find    = l--;              a snippet of code, found exactly once
    replace = (void)0;          what it becomes
    all     = yes               (optional) replace every occurrence
    tests   = test_risk t_scan_cli
                                unit binaries (test_*) and integration
                                tests (t_*) that must kill it
    why     = one line: the promise the mutation breaks

In find and replace, \\n is a newline, \\t a tab and \\\\ a backslash.  The
source tree itself is never modified: everything happens in a temporary
copy, removed at the end (--keep keeps it).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def unescape(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(n, "\\" + n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_list(path):
    muts = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            s = line.rstrip("\n")
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            if s.startswith("[") and s.rstrip().endswith("]"):
                cur = {"name": s.strip()[1:-1], "line": ln}
                muts.append(cur)
                continue
            if cur is None or "=" not in s:
                sys.exit("%s:%d: expected [name] or key = value" %
                         (path, ln))
            k, v = s.split("=", 1)
            k = k.strip()
            v = v.strip()
            if k not in ("file", "find", "replace", "all", "tests", "why"):
                sys.exit("%s:%d: unknown key '%s'" % (path, ln, k))
            if k in cur:
                sys.exit("%s:%d: %s given twice" % (path, ln, k))
            cur[k] = v
    names = set()
    for m in muts:
        for k in ("file", "find", "replace", "tests"):
            if k not in m:
                sys.exit("%s:%d: [%s] has no %s" %
                         (path, m["line"], m["name"], k))
        if m["name"] in names:
            sys.exit("%s:%d: [%s] twice" % (path, m["line"], m["name"]))
        names.add(m["name"])
        m["find"] = unescape(m["find"])
        m["replace"] = unescape(m["replace"])
        m["tests"] = m["tests"].split()
        m["all"] = m.get("all", "no") == "yes"
    return muts


def tree_files(top):
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], cwd=top, check=True,
                         capture_output=True).stdout.decode()
    return [p for p in out.split("\0") if p and os.path.isfile(
        os.path.join(top, p))]


def locate(files, name):
    """The paths of the tree whose file name (or path suffix) is name."""
    return [p for p in files if p == name or p.endswith("/" + name)]


def run(cmd, cwd, timeout, env=None):
    """(status, output): status 'pass', 'fail' or 'timeout'."""
    try:
        r = subprocess.run(cmd, cwd=cwd, timeout=timeout, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode(errors="replace")
    return ("pass" if r.returncode == 0 else "fail",
            r.stdout.decode(errors="replace"))


def main():
    ap = argparse.ArgumentParser(description="mutation testing")
    top = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--list", default=os.path.join(top, "tests",
                                                   "mutations.txt"))
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="only check that every snippet is found")
    ap.add_argument("--fresh", action="store_true",
                    help="build from scratch, not from a copy of build/")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()

    muts = parse_list(a.list)
    if a.only:
        want = set(a.only.split(","))
        unknown = want - set(m["name"] for m in muts)
        if unknown:
            sys.exit("mutate: no mutation named %s" %
                     ", ".join(sorted(unknown)))
        muts = [m for m in muts if m["name"] in want]
    files = tree_files(top)
    units = set(os.path.basename(p)[:-2] for p in files
                if p.startswith("tests/unit/test_") and p.endswith(".c"))
    its = set(os.path.basename(p)[:-3] for p in files
              if p.startswith("tests/integration/t_") and p.endswith(".sh"))

    # Check every mutation against the tree before building anything.
    errors = []
    for m in muts:
        m["error"] = None
        paths = locate(files, m["file"])
        if len(paths) != 1:
            m["error"] = "file %s: %s" % (m["file"], "not found" if not
                                          paths else "ambiguous: " +
                                          " ".join(paths))
        else:
            m["path"] = paths[0]
            with open(os.path.join(top, m["path"]), encoding="utf-8") as f:
                n = f.read().count(m["find"])
            if n == 0:
                m["error"] = "snippet no longer found in %s" % m["path"]
            elif n > 1 and not m["all"]:
                m["error"] = "snippet found %d times in %s (make it " \
                    "longer, or all = yes)" % (n, m["path"])
        for t in m["tests"]:
            if t not in units and t not in its and m["error"] is None:
                m["error"] = "no test named %s" % t
        if m["error"]:
            errors.append(m)

    if a.check:
        for m in muts:
            print("%-8s %-28s %s" % ("ERROR" if m["error"] else "ok",
                                     m["name"], m["error"] or m["path"]))
        return 1 if errors else 0

    work = tempfile.mkdtemp(prefix="banaudit-mutate.")
    os.chmod(work, 0o755)  # tests that run a program as nobody
    print("mutate: %d mutations; working copy %s" % (len(muts), work),
          flush=True)
    try:
        for p in files:
            d = os.path.join(work, os.path.dirname(p))
            os.makedirs(d, exist_ok=True)
            shutil.copy2(os.path.join(top, p), os.path.join(work, p))
        # The build directory comes along (make goes by the copied
        # times), so that only what is stale is rebuilt.
        if os.path.isdir(os.path.join(top, "build")) and not a.fresh:
            shutil.copytree(os.path.join(top, "build"),
                            os.path.join(work, "build"), symlinks=True)

        def targets_of(tests):
            t = ["build/tests/" + u for u in tests if u in units]
            if any(u in its for u in tests):
                t = ["all", "tools"] + t
            return t

        make = ["make", "-j%d" % a.jobs, "--no-print-directory"]
        targets = targets_of(sorted(set(t for m in muts if not m["error"]
                                        for t in m["tests"])))
        st, out = run(make + targets, work, 3600)
        if st != "pass":
            print(out[-4000:])
            sys.exit("mutate: the unmutated tree does not build")

        def run_test(t):
            if t in units:
                return run(["build/tests/" + t], work, a.timeout)
            env = dict(os.environ, BUILD="build")
            return run(["sh", "tests/integration/%s.sh" % t], work,
                       a.timeout, env)

        # Every test must pass on the unmutated tree, else "killed"
        # means nothing.
        needed = sorted(set(t for m in muts if not m["error"]
                            for t in m["tests"]))
        for t in needed:
            st, out = run_test(t)
            if st != "pass":
                print(out[-4000:])
                sys.exit("mutate: %s fails on the unmutated tree" % t)

        killed = survived = 0
        for m in muts:
            if m["error"]:
                print("ERROR    %-28s %s" % (m["name"], m["error"]),
                      flush=True)
                continue
            src = os.path.join(work, m["path"])
            with open(src, encoding="utf-8") as f:
                orig = f.read()
            mut = orig.replace(m["find"], m["replace"],
                               -1 if m["all"] else 1)
            t0 = time.time()
            with open(src, "w", encoding="utf-8") as f:
                f.write(mut)
            try:
                st, out = run(make + targets_of(m["tests"]), work, 3600)
                if st != "pass":
                    m["error"] = "does not compile"
                    errors.append(m)
                    print("ERROR    %-28s does not compile:\n%s" %
                          (m["name"], out[-2000:]), flush=True)
                    continue
                by = None
                for t in m["tests"]:
                    st, _ = run_test(t)
                    if st != "pass":
                        by = t + (" (timeout)" if st == "timeout" else "")
                        break
            finally:
                with open(src, "w", encoding="utf-8") as f:
                    f.write(orig)
            el = time.time() - t0
            if by:
                killed += 1
                print("killed   %-28s by %s (%.0fs)" % (m["name"], by, el),
                      flush=True)
            else:
                survived += 1
                print("SURVIVED %-28s %s: %s" % (m["name"], m["path"],
                                                 m.get("why", "")),
                      flush=True)
        print("mutate: %d mutations: %d killed, %d survived, %d errors" %
              (len(muts), killed, survived, len(errors)))
        return 0 if survived == 0 and not errors else 1
    finally:
        if a.keep:
            print("mutate: kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
