#!/bin/sh
# "make fuzz": runs each libFuzzer harness built in BUILD (clang,
# ASan + UBSan) for SECONDS, starting from its seed corpus and regression
# inputs.  New corpus entries go to BUILD/corpus/NAME, crashes to
# BUILD/artifacts/NAME-*; the tree is not written.  A crash fails the run:
# keep its reproducer in tests/fuzz/regress/NAME/ once fixed.
#   tests/fuzz/run.sh BUILD SECONDS [NAME...]
BUILD=${1:-build-fuzz}
SECS=${2:-60}
shift 2 2>/dev/null || shift $#
TOP=$(cd "$(dirname "$0")/../.." && pwd)
F="$TOP/tests/fuzz"
failed=""
for bin in "$TOP/$BUILD"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	work="$TOP/$BUILD/corpus/$name"
	art="$TOP/$BUILD/artifacts"
	mkdir -p "$work" "$art"
	set_dirs="$work"
	for d in "$F/corpus/$name" "$F/regress/$name"; do
		[ -d "$d" ] && set_dirs="$set_dirs $d"
	done
	echo "fuzz $name for ${SECS}s"
	# shellcheck disable=SC2086
	if ! "$bin" -max_total_time="$SECS" -rss_limit_mb=2048 \
	    -max_len=65536 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$art/$name-" $set_dirs \
	    >"$TOP/$BUILD/$name.log" 2>&1; then
		echo "FAIL fuzz $name: see $BUILD/$name.log and $art" >&2
		tail -30 "$TOP/$BUILD/$name.log" >&2
		failed="$failed $name"
	else
		grep -E '^stat::number_of_executed_units' \
		    "$TOP/$BUILD/$name.log" | sed "s/^/  $name: /"
	fi
done
[ -z "$failed" ] || { echo "fuzz: crashes in:$failed" >&2; exit 1; }
