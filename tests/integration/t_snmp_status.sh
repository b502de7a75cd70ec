#!/bin/sh
# SNMP coverage statuses a hostile or broken agent causes, through the
# command line (the collector's own cases are in t_snmp_engine.sh): an
# agent that loops (a non-increasing OID) leaves the table partial, not
# ok; an agent whose every GETBULK answer is tooBig leaves it partial;
# --max-rows and --host-budget cut a table short as partial; a table the
# agent lacks is no_such_table.  Each is a promise of README.md's
# coverage-csv table: not assessed or cut short is never clean.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/08-health-linux-kesl.snmprec" fleet/1-dev.snmprec
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# scan NAME [BANAUDIT-OPTIONS...]: scans the device once into NAME.db and
# reads its coverage into the table c of NAME.c.db.
scan() {
	_n=$1
	shift
	echo "address,sector,snmp_profile" > targets.csv
	echo "127.43.0.1:$SNMPRESP_PORT,healthcare,fixture" >> targets.csv
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$_n.db" --probes system,software,entity --timeout 1000 \
	    --retries 0 --quiet "$@"
	assert_eq "$_n: scan exits 0" 0 $?
	"$BANAUDIT" report --db "$_n.db" --format coverage-csv \
	    --output "$_n.csv"
	sqlite3 -batch "$_n.c.db" ".import --csv $_n.csv c"
}
cov() {		# NAME PROBE: status|detail
	sqlite3 "$1.c.db" "select status || '|' || detail from c where \
	    channel = 'snmp' and probe = '$2'"
}

# A well-behaved agent first: the baseline every case differs from.
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
scan good
case "$(cov good software)" in
ok\|*) ok "good: software ok" ;;
*) fail "good: software: $(cov good software)" ;;
esac
assert_eq "good: entity absent: no_such_table" \
    "no_such_table|table absent or empty" "$(cov good entity)"

# --max-rows 3: the table is cut, and says so.
scan rows --max-rows 3
assert_eq "--max-rows 3: software partial" \
    "partial|3 rows; truncated at max_rows 3" "$(cov rows software)"
assert_eq "--max-rows 3: the channel is partial" partial \
    "$(cov rows '' | cut -d'|' -f1)"
stop_pid "$SNMPRESP_PID"

# 2026-12-05: an agent loop reported "ok" left the suite green.
snmpresp_start fleet --loop-at 1.3.6.1.2.1.25.6.3.1.2.2 ||
    { fail "snmpresp --loop-at did not start"; finish; }
scan loop
case "$(cov loop software)" in
"partial|"*"agent returned non-increasing OID"*)
	ok "loop: software partial, non-increasing OID" ;;
*)	fail "loop: software: $(cov loop software)" ;;
esac
assert_eq "loop: the channel is partial" partial \
    "$(cov loop '' | cut -d'|' -f1)"
stop_pid "$SNMPRESP_PID"

# Every GETBULK of more than one row is tooBig: halved down to one row.
snmpresp_start fleet --toobig-above 1 ||
    { fail "snmpresp --toobig-above did not start"; finish; }
scan toobig --max-repetitions 8
case "$(cov toobig software)" in
ok\|*) ok "tooBig above 1: software still read completely" ;;
*) fail "tooBig above 1: software: $(cov toobig software)" ;;
esac
assert_eq "tooBig above 1: the same rows as a good agent" \
    "$(sqlite3 good.db "select count(*) from observations")" \
    "$(sqlite3 toobig.db "select count(*) from observations")"
stop_pid "$SNMPRESP_PID"

# A slow agent and a short budget: partial, never ok.
snmpresp_start fleet --delay-ms 200 ||
    { fail "snmpresp --delay-ms did not start"; finish; }
scan budget --host-budget 800 --max-repetitions 2
st=$(cov budget '' | cut -d'|' -f1)
case "$st" in
partial) ok "--host-budget 800: the channel is partial" ;;
*) fail "--host-budget 800: channel: $(cov budget '')" ;;
esac
assert_contains "--host-budget 800: says why" budget.csv "budget"
finish
