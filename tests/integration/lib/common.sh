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

# Ports.  A peer binds a port of the kernel's choosing (port 0) and the
# test reads back what it got: from the peer's own ready or port file
# (snmpresp, fakeagent, the fake servers), or from its sockets with
# bound_port.  Picking a free port and binding it afterwards races with
# every other test on the machine.  Only snmpd and snmpsimd still need a
# port picked for them (pick_port): snmpd cannot bind port 0 on three
# addresses as one port, snmpsimd would give each device address a port
# of its own, and the tests address them as ADDRESS:one port; both are
# started again on another port when the port was taken in between.

# pick_port: prints a port that no socket on this machine holds right
# now.  Only for the two daemons above, which retry on a bind failure.
pick_port() {
	while :; do
		p=$(( ( $(od -An -N2 -tu2 /dev/urandom) % 30000 ) + 20000 ))
		_hex=$(printf '%04X' "$p")
		cat /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6 \
		    2>/dev/null | awk -v h=":$_hex" '$2 ~ h"$" { f = 1 }
		    END { exit !f }' || { echo "$p"; return; }
	done
}

# socket_ports PID tcp|udp: the local ports of PID's sockets (TCP: only
# the listening ones), one a line: matched by inode between /proc/PID/fd
# and /proc/net/PROTO{,6}.  Prints nothing while there is none.
socket_ports() {
	_inodes=$(ls -l "/proc/$1/fd" 2>/dev/null |
	    sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
	[ -n "$_inodes" ] || return 0
	cat "/proc/net/$2" "/proc/net/${2}6" 2>/dev/null |
	    awk -v inodes=" $_inodes" -v p="$2" '
		$1 != "sl" && index(inodes, " " $10 " ") &&
		    (p != "tcp" || $4 == "0A") {
			n = split($2, a, ":")
			print a[n]
		}' |
	    while read -r _h; do printf '%d\n' "0x$_h"; done | sort -un
}

# bound_port PID tcp|udp: waits (as wait_for) until the process PID, which
# was told to bind port 0, holds a socket, and prints its port.  Fails when
# PID exits first or holds sockets on more than one port.
bound_port() {
	_i=0
	while :; do
		_ports=$(socket_ports "$1" "$2")
		[ -n "$_ports" ] && break
		kill -0 "$1" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -gt 600 ] && return 1
		sleep 0.1
	done
	[ "$(echo "$_ports" | wc -l)" -eq 1 ] || return 1
	echo "$_ports"
}

# closed_port tcp|udp: sets CLOSED_PORT to a port on 127.0.0.1 that
# refuses every packet, for as long as the test runs: a helper holds it
# (registered, stopped by the EXIT trap) so that nothing else can bind it,
# as a TCP socket that never listens (a SYN gets a reset) or a UDP socket
# connected to itself (a datagram from anyone else gets ICMP port
# unreachable).  No race with other tests: the port is never free.
closed_port() {
	rm -f "$T/closed.$1"
	python3 -c '
import os, socket, sys, time
proto, path = sys.argv[1], sys.argv[2]
kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
if proto == "udp":
	s.connect(("127.0.0.1", port))
with open(path + ".tmp", "w") as f:
	f.write("%d\n" % port)
os.rename(path + ".tmp", path)
while True:
	time.sleep(3600)
' "$1" "$T/closed.$1" &
	register_pid $!
	wait_for test -s "$T/closed.$1" || return 1
	CLOSED_PORT=$(cat "$T/closed.$1")
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

# most_per_second LOG ADDRESS:PORT: the most requests LOG (snmpresp
# --request-log: address, then microseconds) shows ADDRESS:PORT getting
# in any one second.  A count at the device, not a clock in the test.
most_per_second() {
	awk -v a="$2" '$1 == a { t[n++] = $2 }
	    END {
		best = 0; j = 0
		for (i = 0; i < n; i++) {
			while (t[i] - t[j] >= 1000000)
				j++
			if (i - j + 1 > best)
				best = i - j + 1
		}
		print best
	    }' "$1"
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
