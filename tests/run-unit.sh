#!/bin/sh
# Runs the cmocka unit-test binaries given as arguments; fails if any fails.
# Tests run from the source tree top so they find tests/data.
set -u
fail=0
n=0
for t in "$@"; do
	n=$((n + 1))
	if ! "$t" >"$t.log" 2>&1; then
		echo "FAIL $t" >&2
		cat "$t.log" >&2
		fail=$((fail + 1))
	else
		printf 'ok   %s (%s)\n' "$t" "$(grep -c '\[       OK \]' "$t.log") cases"
	fi
done
echo "unit: $n binaries, $fail failed"
[ "$fail" -eq 0 ]
