#!/bin/sh
# make demo: builds a demo estate of the four sectors, serves it on loopback
# with snmpsimd (one 127.42.0.N address per device), scans it twice -- a
# baseline, then a follow-up after one banned install was removed and one
# new camera appeared -- and writes the HTML and CSV reports.
#
#   demo/run.sh [BUILD]        (make demo runs it after building)
#
# The reports go to demo/out/ ($DEMO_OUT when set: the print test writes
# its own copy there); $DEMO_TIMEOUT (ms per request, default 1500) lets
# that test wait longer on a loaded machine.  Nothing leaves loopback.  Devices come from
# the fixture fleet (tests/data/fleet, hand-written after real agents) plus
# generated ordinary servers (build/tools/genfleet) so that the banned items
# sit among clean hosts, as they would on a real network.
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${DEMO_OUT:-$HERE/out}
TOP=$(cd "$HERE/.." && pwd)
# The integration-test helpers start and stop the simulator by pid.
. "$TOP/tests/integration/lib/common.sh"
. "$TOP/tests/integration/lib/snmpsim.sh"

die() {
	echo "demo: $*" >&2
	exit 1
}

start=$(date +%s)
rm -rf "$OUT"
mkdir -p "$OUT" || die "cannot create $OUT"
DB="$OUT/demo.db"

# --- the estate --------------------------------------------------------
# Fixture devices (all but the report-escaping test device), then clean
# servers: six per sector.
EST="$T/estate"
mkdir -p "$EST"
for f in "$DATA"/fleet/[0-9][0-9]-*.snmprec; do
	case "$f" in *hostile*) continue ;; esac
	cp "$f" "$EST/"
done
"$TOOLS/genfleet" -n 24 -m 120 -p 25 -b 0 -s 7 "$T/generic" >/dev/null ||
    die "genfleet failed"
n=0
for f in "$T"/generic/host*.snmprec; do
	n=$((n + 1))
	case $(( (n - 1) / 6 )) in
	0) s=telecom ;; 1) s=power ;; 2) s=health ;; *) s=localgov ;;
	esac
	cp "$f" "$EST/9$(printf %02d $n)-$s-server.snmprec"
done

# Who is who: sector, site, owner, criticality per device name pattern.
place() {
	case "$1" in
	*-telecom-*)	echo "telecom,Northfield Telephone Co-op: Central" \
			    "Office,Network Operations,5" ;;
	*-power-*)	echo "power,Mid-Valley Electric: Substation 12,Grid" \
			    "Operations,5" ;;
	*-health-*)	echo "healthcare,St. Brendan Regional Hospital:" \
			    "Radiology,Clinical Engineering,4" ;;
	*)		echo "localgov,City of Lakeview: City Hall,Facilities" \
			    "and IT,3" ;;
	esac
}

write_targets() {
	{
		echo "address,sector,site,owner,criticality,snmp_profile"
		while read -r name addr; do
			echo "$addr,$(place "$name"),demo-v2c"
		done < "$T/fleet.map"
		# A substation RTU behind a firewall that drops SNMP.
		echo "127.42.0.250:$SNMPSIM_PORT,power,Mid-Valley Electric:" \
		    "Substation 12,Grid Operations,5,demo-v2c"
	} > "$OUT/targets.csv"
}

(umask 077; printf '[demo-v2c]\nsnmp_version = 2c\ncommunity = public\n' \
    > "$OUT/credentials.ini")

scan() {	# LABEL
	"$BANAUDIT" scan --targets "$OUT/targets.csv" \
	    --credentials "$OUT/credentials.ini" --db "$DB" --label "$1" \
	    --scope demo --timeout "${DEMO_TIMEOUT:-1500}" --retries 2 ||
	    die "scan '$1' failed"
}

# --- baseline ----------------------------------------------------------
echo "demo: serving $(ls "$EST" | wc -l) devices with snmpsimd on 127.42.0.x"
snmpsim_start "$EST" || die "snmpsimd did not start"
write_targets
scan baseline

# --- follow-up: Kaspersky removed from the PACS archive, a new camera ---
stop_pid "$SNMPSIM_PID"
rm -rf "$T/snmpsim"
grep -v -e 'kesl' -e 'klnagent' -e 'kaspersky' \
    "$EST/08-health-linux-kesl.snmprec" > "$EST/08-health-linux-clean.snmprec"
rm -f "$EST/08-health-linux-kesl.snmprec"
# Named to sort last, so every other device keeps its address.
sed 's/^1\.3\.6\.1\.2\.1\.1\.5\.0|4|.*/1.3.6.1.2.1.1.5.0|4|cam-library-02/' \
    "$DATA/fleet/10-localgov-hikvision-cam.snmprec" \
    > "$EST/99-localgov-hikvision-cam2.snmprec"
# The same port: a target is its address and port.
SNMPSIM_REUSE_PORT=$SNMPSIM_PORT
snmpsim_start "$EST" || die "snmpsimd did not restart"
write_targets
scan follow-up

# --- reports -----------------------------------------------------------
"$BANAUDIT" report --db "$DB" --format html --output "$OUT/report.html" ||
    die "HTML report failed"
"$BANAUDIT" report --db "$DB" --format csv --output "$OUT/findings.csv" ||
    die "CSV report failed"
"$BANAUDIT" report --db "$DB" --format coverage-csv \
    --output "$OUT/coverage.csv" || die "coverage report failed"
"$BANAUDIT" report --db "$DB" --format inventory-csv \
    --output "$OUT/inventory.csv" || die "inventory report failed"
"$BANAUDIT" diff --db "$DB" > "$OUT/diff.txt" || die "diff failed"

echo
cat "$OUT/diff.txt"
echo
echo "demo: done in $(( $(date +%s) - start )) s"
echo "  HTML report:      $OUT/report.html"
echo "  findings CSV:     $OUT/findings.csv"
echo "  coverage CSV:     $OUT/coverage.csv"
echo "  inventory CSV:    $OUT/inventory.csv"
echo "  database:         $DB"
exit 0
