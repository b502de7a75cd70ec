#!/bin/sh
# The HTML report of a real scan, in a real browser: the fixture fleet
# (every sector; device 15 plants <script>, onerror= and =HYPERLINK( in
# its sysDescr, sysName, sysContact and software table) is scanned over
# SNMP from snmpsimd, reported as HTML and opened in headless Chromium.
# The DOM must hold every sector and every finding, the hostile strings
# must be text, no request may leave the file; a screenshot is saved as
# an artifact.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/chromium.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

ART=${ARTIFACTS:-$TOP/$BUILD/artifacts}
mkdir -p "$ART"
[ -x "$CHROMIUM" ] || { fail "chromium not installed"; finish; }
snmpsim_start "$DATA/fleet" || { fail "snmpsimd did not start"; finish; }
cd "$T" || exit 1

{
	echo "address,sector,site,owner,snmp_profile"
	while read -r name addr; do
		case "$name" in
		*-telecom-*) s=telecom ;;
		*-power-*) s=power ;;
		*-health-*) s=healthcare ;;
		*) s=localgov ;;
		esac
		echo "$addr,$s,Site $name,Owner,fixture"
	done < fleet.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 3000 --quiet
assert_eq "scan exits 0" 0 $?
"$BANAUDIT" report --db a.db --format html --output report.html
assert_eq "report exits 0" 0 $?
cp report.html "$ART/report-fleet.html"

chrome --log-net-log="$T/net.json" --dump-dom "file://$T/report.html" \
    > dom.html
check "chromium dumped the DOM" test -s dom.html
for s in healthcare localgov power telecom; do
	assert_contains "sector $s has its section" dom.html "^<h3>$s</h3>"
done
# Findings and leads (a note of a ban elsewhere, lead 2, shows no id).
sqlite3 a.db "select distinct finding_id from findings where lead in (0, 1)" \
    > fids.txt
check "the scan found something ($(wc -l < fids.txt) findings)" \
    test "$(wc -l < fids.txt)" -gt 10
while read -r fid; do
	assert_contains "finding $fid in the DOM" dom.html \
	    "<td class=\"mono fid\">$fid<"
done < fids.txt

# The planted strings are text, never markup.
h=$(fleet_addr 15-hostile | cut -d: -f1)
assert_contains "the hostile device has a finding" dom.html "$h"
assert_contains "sysDescr <script> is text" dom.html \
    '&lt;script&gt;alert\(1\)&lt;/script&gt;'
assert_contains "sysName onerror= is text" dom.html \
    '"&gt;&lt;img src=x onerror=alert\(1\)&gt;'
assert_contains "software <script> is text" dom.html \
    'Kaspersky Endpoint Security for Windows &lt;script&gt;alert\(2\)'
assert_contains "=HYPERLINK( is text" dom.html '=HYPERLINK\('
assert_not_contains "no img element" dom.html '<img'
assert_not_contains "no event handler attribute" dom.html ' onerror="'
assert_eq "exactly one script element, the report's own" 1 \
    "$(grep -o '<script' dom.html | wc -l)"
assert_contains "the report's script ran" dom.html \
    '<html lang="en" class="[^"]*js'
assert_eq "the report requested no http(s) URL" "" \
    "$(page_requests net.json)"

rm -f "$ART/report-fleet.png"
chrome --screenshot="$ART/report-fleet.png" --window-size=1280,2400 \
    "file://$T/report.html" > /dev/null
check "screenshot saved ($ART/report-fleet.png)" test -s \
    "$ART/report-fleet.png"
finish
