#!/bin/sh
# Replays every harness's seed corpus (tests/fuzz/corpus/NAME) and
# regression inputs (tests/fuzz/regress/NAME: every crash reproducer ever
# found) through the plain driver, built with gcc by "make check":
#   tests/fuzz/replay.sh BUILD
# A crash or a sanitizer report (make SAN=1) fails it.
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
F="$TOP/tests/fuzz"
failed=0
n=0
for bin in "$TOP/$BUILD"/fuzz/replay_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/replay_}
	set --
	for d in "$F/corpus/$name" "$F/regress/$name"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	if [ $# -eq 0 ]; then
		echo "FAIL fuzz replay $name: no corpus" >&2
		failed=$((failed + 1))
		continue
	fi
	if out=$("$bin" "$@" 2>&1); then
		echo "ok   fuzz replay $name ($out)"
	else
		echo "FAIL fuzz replay $name" >&2
		echo "$out" | tail -20 | sed 's/^/     /' >&2
		failed=$((failed + 1))
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "fuzz replay: no drivers in $BUILD/fuzz" >&2; exit 1; }
echo "fuzz replay: $n harnesses, $failed failed"
[ "$failed" -eq 0 ]
