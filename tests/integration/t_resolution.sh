#!/bin/sh
# A finding is resolved only when the run read completely the sources its
# evidence came from (src/resolution.h).  Our snmpresp responder serves an
# access switch (fixture 17: a Huawei router known only from its LLDP
# table, cameras in its bridge table) and a Kaspersky host (fixture 08:
# kesl in its software table).
#   run 1: both read: the findings are new.
#   run 2: the switch answers nothing (a wrong community), the host's
#          software walk is cut short (--max-rows 2): nothing may be
#          resolved; both stay persisting, unverified, with a note saying
#          what could not be read -- in the CSV, diff and HTML alike.
#   run 3: both read completely, the banned items gone: both resolved.
# A third target names neither an SNMP profile nor an agent URL: it is in
# the coverage as no_channel, not assessed -- never silently absent.  The
# JSON reports validate against docs/report.schema.json, and the scan
# summary, the HTML figures and the JSON counts agree.
# 2026-12-05: the LLDP neighbour was reported resolved after run 2.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

F="$DATA/fleet"
cd "$T" || exit 1

mkdir fleet1 fleet3
cp "$F/17-localgov-access-switch.snmprec" fleet1/1-switch.snmprec
cp "$F/08-health-linux-kesl.snmprec" fleet1/2-kesl.snmprec
# Run 3: the Huawei router unplugged from port 21; Kaspersky removed.
grep -v -E '^1\.0\.8802\.1\.1\.2\.1\.4\.[12]\.1\.[0-9]+\.0\.21\.1[|.]' \
    fleet1/1-switch.snmprec > fleet3/1-switch.snmprec
grep -v -e kesl -e klnagent -e kaspersky fleet1/2-kesl.snmprec \
    > fleet3/2-kesl.snmprec

{
	printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n\n'
	printf '[wrong]\nsnmp_version = 2c\ncommunity = not-this-one\n'
} > creds.ini
chmod 0600 creds.ini

targets() {	# PORT SWITCH-PROFILE
	{
		echo "address,sector,site,owner,criticality,snmp_profile"
		echo "127.43.0.1:$1,localgov,City Hall,City IT,3,$2"
		echo "127.43.0.2:$1,healthcare,Hospital,Imaging,3,fixture"
		echo "127.43.0.9,healthcare,Hospital,Imaging,3,"
	} > targets.csv
}

scan() {	# OPTIONS...: the summary goes to scan.err
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db a.db --timeout 300 --retries 0 "$@" >scan.out 2>scan.err
}

SCHEMA="$TOP/docs/report.schema.json"
VALIDATE="$TOP/tests/integration/lib/validate_json.py"
# json_valid N: report --format json and jsonl of the latest run validate.
json_valid() {
	"$BANAUDIT" report --db a.db --format json --output "r$1.json"
	"$BANAUDIT" report --db a.db --format jsonl --output "r$1.jsonl"
	if /usr/bin/python3 "$VALIDATE" "$SCHEMA" json "r$1.json" 2>v.err &&
	    /usr/bin/python3 "$VALIDATE" "$SCHEMA" jsonl "r$1.jsonl" \
	    2>>v.err; then
		ok "run $1: JSON and JSONL valid against the schema"
	else
		fail "run $1: JSON not valid: $(cat v.err)"
	fi
}
# jcount N KEY: counts.KEY of r$N.json.
jcount() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))
["counts"][sys.argv[2]])' "r$1.json" "$2"
}

# rows FILE COLUMN...: the findings CSV's columns, tab-separated, sorted.
rows() {
	python3 - "$@" <<'EOF' | sort
import csv, sys
with open(sys.argv[1], newline='') as f:
    for row in csv.DictReader(f):
        print("\t".join(row[c] for c in sys.argv[2:]))
EOF
}

# status FILE ADDRESS VENDOR: "status<TAB>note" of that finding.
status() {
	rows "$1" address vendor status note | awk -F '\t' -v a="$2" \
	    -v v="$3" '$1 == a && $2 == v { print $3 "\t" $4 }'
}

snmpresp_start fleet1 || { fail "snmpresp did not start"; finish; }
targets "$SNMPRESP_PORT" fixture
scan
assert_eq "scan 1 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r1.csv
assert_eq "run 1: the LLDP neighbour is a new Huawei finding" "new	" \
    "$(status r1.csv 10.16.60.21 Huawei)"
assert_eq "run 1: Kaspersky on the host is new" "new	
new	" "$(status r1.csv "127.43.0.2:$SNMPRESP_PORT" Kaspersky)"
"$BANAUDIT" report --db a.db --format coverage-csv --output c1.csv
assert_contains "the target without a channel is in the coverage" c1.csv \
    "^1,addr:127\.43\.0\.9,127\.43\.0\.9,.*,snmp,\"?\"?,no_channel,the \
targets file gives no snmp_profile and no agent_url"
json_valid 1
# The same figures everywhere: the scan summary, the JSON, the HTML.
assert_contains "summary: targets by assessment" scan.err \
    "run 1: 3 targets, 2 assessed, 0 partially assessed, 1 not assessed; \
[0-9]+ devices seen only in neighbour tables"
n1=$(sed -n 's/.* \([0-9][0-9]*\) devices seen only in neighbour.*/\1/p' \
    scan.err)
assert_eq "JSON: the same counts as the summary" "3 2 0 1 $n1" \
    "$(jcount 1 targets) $(jcount 1 assessed) $(jcount 1 \
partially_assessed) $(jcount 1 not_assessed) $(jcount 1 neighbour_only)"
"$BANAUDIT" report --db a.db --format html --output r1.html
assert_contains "HTML: the same targets and neighbour devices" r1.html \
    "<b>3</b><span>targets in this run \($n1 more devices seen only in \
neighbour tables\)</span>"
assert_contains "HTML: the same not assessed" r1.html \
    "<b>1</b><span>not assessed: state unknown</span>"
assert_eq "JSON: findings as many as the CSV" \
    "$(rows r1.csv finding_id | wc -l)" "$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["findings"]))' r1.json)"

# Run 2: the same fleet, the switch asked with the wrong community, and
# at most two rows read per table.
targets "$SNMPRESP_PORT" wrong
scan --max-rows 2
assert_eq "scan 2 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r2.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output c2.csv
assert_contains "run 2: the software walk was cut short" c2.csv \
    "^2,addr:127\.43\.0\.2:$SNMPRESP_PORT,127\.43\.0\.2:$SNMPRESP_PORT,.*,snmp,software,partial,"
assert_contains "run 2: the switch did not answer" c2.csv \
    "^2,addr:127\.43\.0\.1:$SNMPRESP_PORT,127\.43\.0\.1:$SNMPRESP_PORT,.*,snmp,lldp,timeout,"
# "last observed" is the day run 1 started (UTC), read from the store,
# never today's date: a run before midnight checked after it says the
# day before.
day1=$(sqlite3 a.db "SELECT date(started, 'unixepoch') FROM runs \
WHERE id = 1")
assert_eq "run 2: the LLDP neighbour persists, with why" "persisting	\
not verified in this run: LLDP table of sw-acc-17 (127.43.0.1:$SNMPRESP_PORT): timeout \
(wrong: no response (wrong community or host down)); last observed $day1" \
    "$(status r2.csv 10.16.60.21 Huawei)"
assert_eq "run 2: Kaspersky persists: the software table was cut short" \
    2 "$(status r2.csv "127.43.0.2:$SNMPRESP_PORT" Kaspersky | grep -c "^persisting	not \
verified in this run: .*software table of .*(127\.43\.0\.2:$SNMPRESP_PORT): partial \
(.*); last observed $day1$")"
assert_eq "run 2: nothing resolved" "" \
    "$(rows r2.csv status | grep -v persisting)"
json_valid 2
assert_eq "JSON 2: the unverified finding's note" 1 "$(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["address"] == "10.16.60.21":
        print(int(f["status"] == "persisting" and f["unverified"] and
              f["note"].startswith("LLDP table of sw-acc-17")))' r2.json)"
"$BANAUDIT" diff --db a.db > diff2.txt
assert_contains "diff 2: nothing resolved" diff2.txt \
    "^new 0, resolved 0, persisting [0-9]+ \([0-9]+ unverified\)$"
assert_contains "diff 2: the note of the LLDP neighbour" diff2.txt \
    "^ +unverified: LLDP table of sw-acc-17 \(127\.43\.0\.1:$SNMPRESP_PORT\): timeout"
"$BANAUDIT" report --db a.db --format html --output r2.html
assert_contains "HTML 2: the note" r2.html \
    "<b>unverified:</b> LLDP table of sw-acc-17 \(127\.43\.0\.1:$SNMPRESP_PORT\): timeout"

# Run 3: everything read completely; the router and Kaspersky are gone.
# The same port: a target's key carries it (the same hosts).
P=$SNMPRESP_PORT
stop_pid "$SNMPRESP_PID"
SNMPRESP_PORT_WANT=$P snmpresp_start fleet3 ||
    { fail "snmpresp did not restart"; finish; }
targets "$SNMPRESP_PORT" fixture
scan
assert_eq "scan 3 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r3.csv
assert_eq "run 3: the LLDP neighbour is resolved" "resolved	" \
    "$(status r3.csv 10.16.60.21 Huawei)"
assert_eq "run 3: Kaspersky is resolved" "resolved	
resolved	" "$(status r3.csv "127.43.0.2:$SNMPRESP_PORT" Kaspersky)"
assert_eq "run 3: the cameras still in the bridge table persist" "" \
    "$(rows r3.csv address status | grep '^10\.16\.20\.11	' | \
    grep -v 'persisting$')"
json_valid 3
finish
