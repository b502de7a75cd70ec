#!/bin/sh
# Runs every integration test (tests/integration/t_*.sh) against the built
# binary in BUILD (default build).  ONLY=pattern runs a subset.  A test
# that cannot run its peer exits 77 (lib/common.sh skip_test): it is
# listed with its reason and counted, never silent.
set -u
BUILD=${1:-build}
export BUILD
cd "$(dirname "$0")"
# Logs go to a directory of this run's own, so that runs from two
# checkouts at once never overwrite each other's.
logs=$(mktemp -d "${TMPDIR:-/tmp}/banaudit-logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT
pass=0
fail=0
skip=0
failed=""
skipped=""
for t in t_*.sh; do
	[ -e "$t" ] || continue
	case "$t" in *${ONLY:-}*) ;; *) continue ;; esac
	start=$(date +%s)
	sh "./$t" >"$logs/$t.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $t ($(( $(date +%s) - start ))s)"
	elif [ "$rc" -eq 77 ]; then
		skip=$((skip + 1))
		skipped="$skipped $t"
		echo "SKIP $t: $(sed -n 's/^SKIP: //p' "$logs/$t.log" |
		    head -1)"
	else
		fail=$((fail + 1))
		failed="$failed $t"
		echo "FAIL $t ($(( $(date +%s) - start ))s)"
		sed 's/^/     /' "$logs/$t.log"
	fi
done
echo "integration: $pass passed, $fail failed${failed:+:$failed}," \
    "$skip skipped${skipped:+:$skipped}"
[ "$fail" -eq 0 ]
