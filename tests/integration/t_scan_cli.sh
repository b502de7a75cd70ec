#!/bin/sh
# Every option of README.md's scan table through the command line, from a
# table: a good value (exit 0 and, where it shows, its effect) and a bad
# one (exit 2 and the message).  Then the options whose effect needs more
# than one line: --fail-on-findings (exit 4 on open findings, 0 when they
# are waived), --sector, --rules, --sectors, --label, --scope, --probes,
# --oui, --quiet and the summary.  One snmpresp device (a healthcare
# Linux host running Kaspersky) answers every scan.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/08-health-linux-kesl.snmprec" fleet/1-dev.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
A="127.43.0.1:$SNMPRESP_PORT"
{
	echo "address,sector,snmp_profile"
	echo "$A,healthcare,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
n=0

# run NAME ARGS...: one scan into NAME.db; exit code in $rc, stderr in
# NAME.err.
run() {
	_n=$1
	shift
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$_n.db" --timeout 1000 "$@" > "$_n.out" 2> "$_n.err"
	rc=$?
}

# A --probes list longer than any list of the probes there are.
long=$(printf 'system,%.0s' $(seq 1 200))

# The table: option | good value | its exit | bad value | the bad value's
# message.  Every bad value exits 2 with "banaudit: MESSAGE" and writes
# nothing.  "-": the option takes no value, or has no bad one.
while IFS='|' read -r opt good code bad msg; do
	[ -n "$opt" ] || continue
	n=$((n + 1))
	if [ "$good" = "-" ]; then
		run "g$n" --quiet "$opt"
	else
		run "g$n" --quiet "$opt" "$good"
	fi
	assert_eq "$opt $good: exit $code" "$code" "$rc"
	[ -s "g$n.err" ] && fail "$opt $good: stderr: $(head -3 "g$n.err")"
	assert_eq "$opt $good: the run is stored" complete \
	    "$(sqlite3 "g$n.db" "select status from runs")"
	[ "$bad" = "-" ] && continue
	run "b$n" --quiet "$opt" "$bad"
	assert_eq "$opt $bad: exit 2" 2 "$rc"
	assert_contains "$opt $bad: message" "b$n.err" "^banaudit: $msg"
	check "$opt $bad: no database written" test ! -e "b$n.db"
done <<EOF
--credentials|creds.ini|0|none.ini|none.ini: No such file or directory
--rules|$TOP/rules|0|$T/fleet|$T/fleet/VERSION: No such file or directory
--sectors|$TOP/sectors|0|$T/fleet|$T/fleet: no sector profile
--sector|healthcare|0|water|--sector: unknown sector 'water' \(.*power
--probes|system,software|0|system,bogus|--probes: unknown probe 'bogus'
--concurrency|1|0|0|--concurrency: '0' is not a number in 1\.\.100000
--rate|0|0|-1|--rate: '-1' is not a number in 0\.\.10000000
--rate|50|0|5x|--rate: '5x' is not a number in 0\.\.10000000
--timeout|10000|0|9|--timeout: '9' is not a number in 10\.\.600000
--retries|0|0|11|--retries: '11' is not a number in 0\.\.10
--host-budget|60000|0|-1|--host-budget: '-1' is not a number in 0\.\.86400000
--max-rows|2|0|0|--max-rows: '0' is not a number in 1\.\.10000000
--max-repetitions|1|0|1001|--max-repetitions: '1001' is not a number in 1\.\.
--oui|$DATA/oui/override.csv|0|none.csv|none.csv: No such file or directory
--uplink-macs|1|0|0|--uplink-macs: '0' is not a number in 1\.\.1000000
--label|weekly audit|0|-|
--scope|audit:2026|0|-|
--fail-on-findings|-|4|-|
--quiet|-|0|-|
--probes|system|0||--probes: need a comma-separated list of probes \(system,
--probes|system|0|,|--probes: need a comma-separated list of probes
--probes|system|0|$long|--probes: too long \(probes: system, software,
--progress|none|0|plain:0|--progress: 'plain:0' is not auto, plain, plain:SECONDS
--progress|auto|0|plain:86401|--progress: 'plain:86401' is not auto
EOF

# A value the option does not take, and an option that does not exist.
run bad1 --fail-on-findings=yes
assert_eq "--fail-on-findings=yes: exit 2" 2 "$rc"
assert_contains "--fail-on-findings=yes: message" bad1.err \
    "doesn't allow an argument"
run bad2 --colour
assert_eq "--colour: exit 2" 2 "$rc"
assert_contains "--colour: usage hint" bad2.err "Try 'banaudit scan --help'"
run bad3 --label
assert_eq "--label without its value: exit 2" 2 "$rc"
"$BANAUDIT" scan --credentials creds.ini --db bad4.db 2> bad4.err
assert_eq "no --targets: exit 2" 2 $?
assert_contains "no --targets: message" bad4.err \
    "^banaudit: --targets FILE is required"
"$BANAUDIT" scan --help > help.out
assert_eq "--help: exit 0" 0 $?
for o in targets credentials db rules sectors sector probes concurrency \
    rate timeout retries host-budget max-rows max-repetitions oui \
    uplink-macs label scope fail-on-findings quiet; do
	assert_contains "--help lists --$o" help.out "--$o"
done

# --fail-on-findings: the device runs Kaspersky, an open finding: exit 4;
# waived, it is not open: exit 0; without the option, exit 0.
# 2026-12-05: the option ignored (exit 0) left the suite green.
run f1 --fail-on-findings --quiet
assert_eq "--fail-on-findings with open findings: exit 4" 4 "$rc"
fid=$(sqlite3 f1.db "select finding_id from findings where \
    rule_id = 'kaspersky-endpoint'")
check "the Kaspersky finding ($fid)" test -n "$fid"
run f1 --quiet
assert_eq "without --fail-on-findings: exit 0" 0 "$rc"
until=$(date -u -d '+1 year' +%Y-%m-%d)
"$BANAUDIT" waive "$fid" --db f1.db --reason "replacement ordered" \
    --until "$until" > /dev/null
open=$(sqlite3 f1.db "select count(distinct finding_id) from findings \
    where run_id = 2 and finding_id != '$fid'")
run f1 --fail-on-findings --quiet
if [ "$open" -eq 0 ]; then
	assert_eq "--fail-on-findings, every finding waived: exit 0" 0 "$rc"
else
	assert_eq "--fail-on-findings, one of several waived: exit 4" 4 "$rc"
fi
for f in $(sqlite3 f1.db "select distinct finding_id from findings \
    where finding_id != '$fid'"); do
	"$BANAUDIT" waive "$f" --db f1.db --reason "accepted" \
	    --until "$until" > /dev/null
done
run f1 --fail-on-findings --quiet
assert_eq "--fail-on-findings, every finding waived: exit 0" 0 "$rc"

# --sector: only that sector's targets; none of them is exit 2.
echo "127.43.0.2:$SNMPRESP_PORT,power,fixture" >> targets.csv
run s1 --sector healthcare --quiet
assert_eq "--sector healthcare: exit 0" 0 "$rc"
assert_eq "--sector healthcare: only the healthcare target" \
    "healthcare" "$(sqlite3 s1.db "select group_concat(sector) from \
    run_hosts")"
assert_eq "--sector: the default scope names it" \
    "scan:targets.csv:healthcare" "$(sqlite3 s1.db "select scope from runs")"
run s2 --sector telecom --quiet
assert_eq "--sector without targets: exit 2" 2 "$rc"
assert_contains "--sector without targets: message" s2.err \
    "targets.csv: no targets of sector telecom"
check "--sector without targets: no database" test ! -e s2.db
run s3 --quiet
assert_eq "no --sector: both targets" 2 \
    "$(sqlite3 s3.db "select count(*) from run_hosts")"
sed -i '$d' targets.csv

# --label and --scope are stored with the run.
assert_eq "--label stored" "weekly audit" \
    "$(sqlite3 g16.db "select label from runs")"
assert_eq "--scope stored" "audit:2026" \
    "$(sqlite3 g17.db "select scope from runs")"
assert_eq "default scope" "scan:targets.csv" \
    "$(sqlite3 g19.db "select scope from runs")"

# --rules: another pack's version is recorded; a broken pack is exit 2.
cp -r "$TOP/rules" myrules
echo "2099.1.0" > myrules/VERSION
run r1 --rules myrules --quiet
assert_eq "--rules DIR: exit 0" 0 "$rc"
assert_eq "--rules DIR: its version recorded" "2099.1.0" \
    "$(sqlite3 r1.db "select rules_version from runs")"
printf 'garbage\n' >> myrules/rules.csv
run r2 --rules myrules --quiet
assert_eq "--rules with a broken rules.csv: exit 2" 2 "$rc"
assert_contains "--rules broken: FILE:LINE" r2.err "rules\.csv:[0-9]+: "

# --sectors: the profile's probes are what is collected.
cp -r "$TOP/sectors" mysectors
sed -i -e 's/^probes = .*/probes = system/' \
    -e 's/^neighbours = .*/neighbours = off/' mysectors/healthcare.ini
run p1 --sectors mysectors --quiet
assert_eq "--sectors DIR: exit 0" 0 "$rc"
assert_eq "--sectors DIR: its healthcare probes (system only)" "|system" \
    "$(sqlite3 p1.db "select group_concat(probe, '|') from (select probe \
    from coverage where channel = 'snmp' order by probe)")"
assert_eq "--probes overrides the profile" "|software|system" \
    "$(sqlite3 g5.db "select group_concat(probe, '|') from (select probe \
    from coverage where channel = 'snmp' order by probe)")"
sed -i 's/^sector = healthcare/sector = power/' mysectors/healthcare.ini
run p2 --sectors mysectors --quiet
assert_eq "--sectors with a wrong profile: exit 2" 2 "$rc"
assert_contains "--sectors wrong profile: names the file" p2.err \
    "healthcare\.ini(:[0-9]+)?: says sector = power"

# --oui: the file is recorded as the registry used.
check "--oui FILE: recorded on the run" sh -c \
    "sqlite3 g14.db 'select oui_registry from runs' | grep -q override"

# --max-rows 2 through the command line: the software table is cut.
assert_eq "--max-rows 2: software partial" partial \
    "$(sqlite3 g12.db "select status from coverage where probe = \
    'software'")"

# The summary, and --quiet.
run q1
assert_eq "summary: exit 0" 0 "$rc"
assert_contains "summary line" q1.err \
    "run 1: 1 targets, 1 assessed, 0 partially assessed, 0 not assessed; \
0 devices seen only in neighbour tables; [0-9]+ findings \(0 waived\) -> \
q1\.db"
check "--quiet: nothing on stderr" test ! -s g19.err
check "--quiet: nothing on stdout" test ! -s g19.out

# --dry-run's plan to a full disk: an error, exit 3, not a short plan.
if [ ! -w /dev/full ]; then
	[ "$_failed" -gt 0 ] && finish
	skip_test "no /dev/full: a full disk cannot be simulated"
fi
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --dry-run > /dev/full 2> full.err
assert_eq "--dry-run to a full disk: exit 3" 3 $?
assert_contains "--dry-run to a full disk: message" full.err \
    "^banaudit: standard output: No space left on device$"
finish
