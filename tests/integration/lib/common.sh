# Shared helpers for integration tests (sourced, POSIX sh).
#
# Every test gets its own temporary directory ($T) and registers the pids of
# the services it starts; the EXIT trap stops them by pid and removes $T.
# Services bind to 127.0.0.1 / ::1 only.  Nothing leaves loopback.

: "${BUILD:=build}"
# The source tree; demo/run.sh and bench/run.sh set TOP themselves.
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
BANAUDIT="$TOP/$BUILD/banaudit"
TOOLS="$TOP/$BUILD/tools"
DATA="$TOP/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/banaudit-it.XXXXXX")
chmod 0755 "$T"
_pids=""
_failed=0
_checks=0

cleanup() {
	for p in $_pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $_pids; do
		# Wait at most 5 s for each, then insist.
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null || true
	done
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

register_pid() {
	_pids="$_pids $1"
}

# stop_pid PID: stops one registered service now.
stop_pid() {
	kill "$1" 2>/dev/null || true
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null || true
}

# port_in_use PORT: is PORT bound on UDP or TCP (v4 or v6)?
port_in_use() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6 \
	    2>/dev/null | awk -v h=":$hex" '$2 ~ h"$" { f = 1 } END { exit !f }'
}

# free_port: prints a port that is free on loopback right now.
free_port() {
	while :; do
		p=$(( ( $(od -An -N2 -tu2 /dev/urandom) % 30000 ) + 20000 ))
		port_in_use "$p" || { echo "$p"; return; }
	done
}

# wait_for CMD...: retries CMD every 0.1 s until it succeeds, for up to
# 60 s: a condition, not a deadline (it returns as soon as CMD succeeds;
# 2026-12-05: 10 s was too short for a peer starting at a load of 24).
wait_for() {
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

fail() {
	_failed=$((_failed + 1))
	echo "  FAIL: $*" >&2
}

ok() {
	_checks=$((_checks + 1))
	[ "${VERBOSE:-0}" = 1 ] && echo "  ok: $*"
	return 0
}

# check DESCRIPTION CMD...: passes when CMD succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else fail "$d"; fi
}

assert_eq() {	# DESCRIPTION EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1: expected '$2', got '$3'"; fi
}

assert_contains() {	# DESCRIPTION FILE PATTERN (grep -E)
	if grep -Eq -- "$3" "$2"; then ok "$1"; else
		fail "$1: '$3' not in $2"; head -20 "$2" >&2; fi
}

assert_not_contains() {	# DESCRIPTION FILE PATTERN (grep -E)
	if grep -Eq -- "$3" "$2"; then
		fail "$1: '$3' found in $2"; grep -E -- "$3" "$2" | head -5 >&2
	else ok "$1"; fi
}

# skip_test REASON: the test cannot run its real peer here.  Never
# silent: run.sh prints REASON and counts the skip (exit 77, as automake).
# On the reference machine (Debian 12, root, make test's packages) no test
# skips.
skip_test() {
	echo "SKIP: $*"
	exit 77
}

# run_as_nobody CMD...: runs CMD without root's privileges (uid and gid
# nobody, no supplementary groups), for checks that root would pass by
# privilege.  Only as root; the caller checks [ "$(id -u)" -eq 0 ].
run_as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
}

# finish: the last line of every test.
finish() {
	if [ "$_failed" -gt 0 ]; then
		echo "  $_failed of $((_checks + _failed)) checks failed" >&2
		exit 1
	fi
	[ "$_checks" -gt 0 ] || { echo "  no checks ran" >&2; exit 1; }
	exit 0
}

# secret VAR: a random secret of 24 hex characters.
random_secret() {
	od -An -N12 -tx1 /dev/urandom | tr -d ' \n'
}
