#!/bin/sh
# Runs every integration test (tests/integration/t_*.sh) against the built
# binary in BUILD (default build).  ONLY=pattern runs a subset.  A test
# that cannot run its peer exits 77 (lib/common.sh skip_test): it is
# listed with its reason and counted, never silent.
#
# JOBS=N (default 1) runs N tests at once: they are independent (each has
# its own temporary directory, ports of its own on loopback), and most of
# their time is spent waiting on peers, rates and timeouts.  Each result is
# printed when its test ends; the closing line counts them all.
set -u
BUILD=${1:-build}
export BUILD
cd "$(dirname "$0")"
# Logs go to a directory of this run's own, so that runs from two
# checkouts at once never overwrite each other's.
logs=$(mktemp -d "${TMPDIR:-/tmp}/banaudit-logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT
jobs=${JOBS:-1}
case "$jobs" in
'' | *[!0-9]* | 0)
	echo "run.sh: JOBS must be a number above 0" >&2
	exit 2 ;;
esac

# $logs/one.sh T: runs test T, prints its result when it ends, and leaves
# its exit code in $logs/T.rc.  A script of its own, so that xargs can run
# several at once.
cat > "$logs/one.sh" <<'ONE'
logs=$(dirname "$0")
start=$(date +%s)
sh "./$1" >"$logs/$1.log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ "$rc" -eq 0 ]; then
	out="ok   $1 (${secs}s)"
elif [ "$rc" -eq 77 ]; then
	out="SKIP $1: $(sed -n 's/^SKIP: //p' "$logs/$1.log" | head -1)"
else
	out="FAIL $1 (${secs}s)
$(sed 's/^/     /' "$logs/$1.log")"
fi
# One write, so that the lines of tests that end together do not mix.
printf '%s\n' "$out"
echo "$rc" > "$logs/$1.rc"
ONE

list=""
for t in t_*.sh; do
	[ -e "$t" ] || continue
	case "$t" in *${ONLY:-}*) ;; *) continue ;; esac
	list="$list $t"
done
# shellcheck disable=SC2086
[ -n "$list" ] && printf '%s\n' $list |
    xargs -P "$jobs" -n 1 sh "$logs/one.sh"

pass=0
fail=0
skip=0
failed=""
skipped=""
for t in $list; do
	rc=$(cat "$logs/$t.rc" 2>/dev/null || echo 1)
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
	elif [ "$rc" -eq 77 ]; then
		skip=$((skip + 1))
		skipped="$skipped $t"
	else
		fail=$((fail + 1))
		failed="$failed $t"
	fi
done
echo "integration: $pass passed, $fail failed${failed:+:$failed}," \
    "$skip skipped${skipped:+:$skipped}"
[ "$fail" -eq 0 ]
