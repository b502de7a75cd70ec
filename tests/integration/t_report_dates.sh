#!/bin/sh
# The same database gives the same bytes (README, report): "the report
# shows no time but the runs' own, and judges waivers on the day of the
# run".  Every report format, rendered twice, on another day (a clock
# pinned with faketime: the next day, a year later -- after the waiver's
# last day and after every due date) and in other time zones, is the same
# file.  The runs themselves are made on pinned days, so that the waiver,
# the due dates and "overdue" are known: run 2 (2026-03-05) is inside the
# waiver (until 2026-03-10), run 3 (2026-03-20) after it.
. "$(dirname "$0")/lib/common.sh"

command -v faketime >/dev/null ||
    skip_test "faketime missing (package faketime; scripts/deps.sh test)"
cd "$T" || exit 1
export BANAUDIT_DATADIR="$TOP"
# faketime preloads its library: a sanitizer build (make SAN=1) must not
# insist on coming first.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

# at DAY CMD...: runs CMD with the clock pinned at noon UTC of DAY.
at() {
	_d=$1
	shift
	TZ=UTC faketime "$_d 12:00:00" "$@"
}

printf 'host,address,name,version\n%s\n%s\n' \
    "ws-1,10.9.0.1,Kaspersky Endpoint Security for Windows,12.1" \
    "ws-2,10.9.0.2,Hikvision SADP,3.0" > apps.csv
at 2026-03-01 "$BANAUDIT" import --db a.db --sector healthcare --quiet \
    apps.csv
assert_eq "run 1 (2026-03-01): exit 0" 0 $?
# The clock is pinned: the run is dated on its day.
assert_eq "faketime pins the run's day" 2026-03-01 \
    "$("$BANAUDIT" report --db a.db --format csv |
    awk -F, 'NR == 2 { print $3 }')"
id=$("$BANAUDIT" report --db a.db --format csv |
    awk -F, '$1 ~ /^BA-/ { print $1; exit }')
check "a finding to waive ($id)" test -n "$id"
at 2026-03-02 "$BANAUDIT" waive --db a.db "$id" --reason "CHG-1 ordered" \
    --until 2026-03-10 --by "Dana Reyes" > /dev/null
assert_eq "waive until 2026-03-10: exit 0" 0 $?
at 2026-03-05 "$BANAUDIT" import --db a.db --sector healthcare --quiet \
    apps.csv
assert_eq "run 2 (2026-03-05): exit 0" 0 $?
at 2026-03-20 "$BANAUDIT" import --db a.db --sector healthcare --quiet \
    apps.csv
assert_eq "run 3 (2026-03-20): exit 0" 0 $?

# The waiver is judged on the day of the run, not on the day of the report.
waived() {	# RUN DAY: the waiver's until of finding $id in RUN's CSV
	at "$2" "$BANAUDIT" report --db a.db --run "$1" --format csv |
	    python3 -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["finding_id"] == sys.argv[1]:
        print(r["waived_until"])' "$id"
}
assert_eq "run 2 rendered on 2026-03-06: waived" 2026-03-10 \
    "$(waived 2 2026-03-06)"
assert_eq "run 2 rendered in 2027: still waived" 2026-03-10 \
    "$(waived 2 2027-06-01)"
assert_eq "run 3 (after the last day): not waived" "" \
    "$(waived 3 2026-03-21)"

for run in 2 3; do
	for f in csv html json jsonl inventory-csv coverage-csv leads-csv; do
		at 2026-03-06 "$BANAUDIT" report --db a.db --run $run \
		    --format $f --output "r$run.a.$f"
		rc=$?
		assert_eq "run $run $f: exit 0" 0 $rc
		[ $rc -eq 0 ] || continue
		at 2026-03-06 "$BANAUDIT" report --db a.db --run $run \
		    --format $f --output "r$run.b.$f"
		check "run $run $f: rendered twice, the same bytes" \
		    cmp -s "r$run.a.$f" "r$run.b.$f"
		at 2027-06-01 "$BANAUDIT" report --db a.db --run $run \
		    --format $f --output "r$run.c.$f"
		check "run $run $f: a year later, the same bytes" \
		    cmp -s "r$run.a.$f" "r$run.c.$f"
		TZ=Pacific/Kiritimati faketime "2026-12-31 23:30:00" \
		    "$BANAUDIT" report --db a.db --run $run --format $f \
		    --output "r$run.d.$f"
		check "run $run $f: another day in UTC+14, the same bytes" \
		    cmp -s "r$run.a.$f" "r$run.d.$f"
		TZ=America/St_Johns "$BANAUDIT" report --db a.db --run $run \
		    --format $f --output "r$run.e.$f"
		check "run $run $f: today's clock in UTC-3:30, the same bytes" \
		    cmp -s "r$run.a.$f" "r$run.e.$f"
	done
done
# The reports differ between the runs: the waiver shows only in run 2.
assert_contains "run 2 HTML shows the waiver" r2.a.html "CHG-1 ordered"
assert_not_contains "run 3 CSV has no waiver" r3.a.csv "CHG-1 ordered"
finish
