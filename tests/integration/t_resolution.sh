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
	} > targets.csv
}

scan() {	# OPTIONS...
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db a.db --timeout 300 --retries 0 --quiet "$@"
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
new	" "$(status r1.csv 127.43.0.2 Kaspersky)"

# Run 2: the same fleet, the switch asked with the wrong community, and
# at most two rows read per table.
targets "$SNMPRESP_PORT" wrong
scan --max-rows 2
assert_eq "scan 2 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r2.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output c2.csv
assert_contains "run 2: the software walk was cut short" c2.csv \
    "^2,addr:127\.43\.0\.2,127\.43\.0\.2,.*,snmp,software,partial,"
assert_contains "run 2: the switch did not answer" c2.csv \
    "^2,addr:127\.43\.0\.1,127\.43\.0\.1,.*,snmp,lldp,timeout,"
today=$(date -u +%Y-%m-%d)
assert_eq "run 2: the LLDP neighbour persists, with why" "persisting	\
not verified in this run: LLDP table of sw-acc-17 (127.43.0.1): timeout \
(wrong: no response (wrong community or host down)); last observed $today" \
    "$(status r2.csv 10.16.60.21 Huawei)"
assert_eq "run 2: Kaspersky persists: the software table was cut short" \
    2 "$(status r2.csv 127.43.0.2 Kaspersky | grep -c "^persisting	not \
verified in this run: .*software table of .*(127\.43\.0\.2): partial \
(.*); last observed $today$")"
assert_eq "run 2: nothing resolved" "" \
    "$(rows r2.csv status | grep -v persisting)"
"$BANAUDIT" diff --db a.db > diff2.txt
assert_contains "diff 2: nothing resolved" diff2.txt \
    "^new 0, resolved 0, persisting [0-9]+ \([0-9]+ unverified\)$"
assert_contains "diff 2: the note of the LLDP neighbour" diff2.txt \
    "^ +unverified: LLDP table of sw-acc-17 \(127\.43\.0\.1\): timeout"
"$BANAUDIT" report --db a.db --format html --output r2.html
assert_contains "HTML 2: the note" r2.html \
    "<b>unverified:</b> LLDP table of sw-acc-17 \(127\.43\.0\.1\): timeout"

# Run 3: everything read completely; the router and Kaspersky are gone.
stop_pid "$SNMPRESP_PID"
snmpresp_start fleet3 || { fail "snmpresp did not restart"; finish; }
targets "$SNMPRESP_PORT" fixture
scan
assert_eq "scan 3 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r3.csv
assert_eq "run 3: the LLDP neighbour is resolved" "resolved	" \
    "$(status r3.csv 10.16.60.21 Huawei)"
assert_eq "run 3: Kaspersky is resolved" "resolved	
resolved	" "$(status r3.csv 127.43.0.2 Kaspersky)"
assert_eq "run 3: the cameras still in the bridge table persist" "" \
    "$(rows r3.csv address status | grep '^10\.16\.20\.11	' | \
    grep -v 'persisting$')"
finish
