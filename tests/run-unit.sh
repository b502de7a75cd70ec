#!/bin/sh
# Runs the cmocka unit-test binaries given as arguments; fails if any fails.
# Tests run from the source tree top so they find tests/data.  A skipped
# case is never silent: it is listed with the reason it printed, and the
# closing line counts the skips.
set -u
fail=0
n=0
skipped=0
for t in "$@"; do
	n=$((n + 1))
	if ! "$t" >"$t.log" 2>&1; then
		echo "FAIL $t" >&2
		cat "$t.log" >&2
		fail=$((fail + 1))
		continue
	fi
	s=$(grep -c '\[  SKIPPED \]' "$t.log")
	if [ "$s" -gt 0 ]; then
		skipped=$((skipped + s))
		printf 'ok   %s (%s cases, %s skipped)\n' "$t" \
		    "$(grep -c '\[       OK \]' "$t.log")" "$s"
		# The reason: the SKIP line the case printed before skip().
		grep -E '^SKIP: |\[  SKIPPED \] ' "$t.log" | sed 's/^/     /'
	else
		printf 'ok   %s (%s cases)\n' "$t" \
		    "$(grep -c '\[       OK \]' "$t.log")"
	fi
done
echo "unit: $n binaries, $fail failed, $skipped cases skipped"
[ "$fail" -eq 0 ]
