#!/bin/sh
# Two commands timed in turn, each after the machine has idled.
#
#   bench/cold.sh [-b BUILD] N SLEEP 'COMMAND_A' 'COMMAND_B'
#
# Runs A and B N times each, one pair after another (A first in odd
# pairs, B first in even ones), sleeping SLEEP seconds before every run,
# and prints each one's median wall time and the median of the pairs'
# own ratios A/B.  For what a back-to-back loop (farm-bench --vs) cannot
# show: on a virtual machine whose host takes back the guest's free
# memory, a run that follows another at once finds its memory warm, and
# one that starts after seconds of idleness -- a scan's usual start --
# does not (docs/PERFORMANCE.md, "Huge pages after idleness").  Wall
# times come from BUILD/tools/benchtime (default build).  The commands
# are run by sh -c.  A benchmark, not a test: it never fails on numbers.
set -u

BUILD=build
if [ "${1:-}" = -b ]; then
	BUILD=$2
	shift 2
fi
if [ $# -ne 4 ]; then
	echo "usage: bench/cold.sh [-b BUILD] N SLEEP 'A' 'B'" >&2
	exit 2
fi
N=$1 S=$2 A=$3 B=$4
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/stats.sh
. "$TOP/bench/stats.sh"
BT="$TOP/$BUILD/tools/benchtime"
if [ ! -x "$BT" ]; then
	echo "cold: $BT missing: run 'make tools' first" >&2
	exit 2
fi
T=$(mktemp "${TMPDIR:-/tmp}/cold.XXXXXX") || exit 2
P=$(mktemp "${TMPDIR:-/tmp}/cold.XXXXXX") || { rm -f "$T"; exit 2; }
trap 'rm -f "$T" "$P"' EXIT

# run CMD: its wall time in seconds, after SLEEP seconds idle.
run() {
	sleep "$S"
	"$BT" -o "$T" sh -c "$1" >/dev/null 2>&1 ||
	    echo "cold: exited $?: $1" >&2
	tail -n 1 "$T" | cut -d' ' -f1
}

i=1
while [ "$i" -le "$N" ]; do
	if [ $((i % 2)) = 1 ]; then
		a=$(run "$A")
		b=$(run "$B")
	else
		b=$(run "$B")
		a=$(run "$A")
	fi
	echo "$a $b"
	i=$((i + 1))
done > "$P"
[ -s "$P" ] || exit 1
# column K of the pairs' file (3: their ratios A/B): its median.
med() {
	awk -v k="$1" '{ print k == 3 ? $1 / $2 : $k }' "$P" | stats |
	    cut -d' ' -f1
}
printf 'A median %.4f s, B median %.4f s, A/B paired median %.3f' \
    "$(med 1)" "$(med 2)" "$(med 3)"
printf ' (%d pairs)\n' "$(wc -l < "$P")"
