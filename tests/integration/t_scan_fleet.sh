#!/bin/sh
# End to end over the fixture fleet served by snmpsimd (one 127.42.0.N per
# device): scan -> store -> rules -> findings CSV.  Every sector has a
# banned device; the look-alikes must not match; an address where nobody
# answers is "not assessed", never clean.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

snmpsim_start "$DATA/fleet" || { fail "snmpsimd did not start"; finish; }
cd "$T" || exit 1

sector_of() {
	case "$1" in
	*-telecom-*) echo telecom ;;
	*-power-*) echo power ;;
	*-health-*) echo healthcare ;;
	*) echo localgov ;;
	esac
}
{
	echo "address,sector,site,owner,criticality,snmp_profile"
	while read -r name addr; do
		echo "$addr,$(sector_of "$name"),Site $name,Owner,4,fixture"
	done < fleet.map
	# Nobody answers here.
	echo "127.42.0.200:$SNMPSIM_PORT,power,Nowhere,Owner,3,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# snmpsimd is Python and slow on a loaded machine: a request timeout far
# above its answer time (2026-12-05: 500 ms lost whole devices at a load
# of 18 on 2 cores).  Only the silent address waits it out.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 4000 --retries 1 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?
assert_contains "summary names the run" scan.err "run 1: 19 targets"

"$BANAUDIT" report --db a.db --format csv --output findings.csv
assert_eq "report exits 0" 0 $?
assert_eq "findings CSV header (the 24 contract columns first)" "finding_id,status,first_seen,last_seen,\
sector,site,owner,asset,address,vendor,product,channel,evidence,confidence,\
regulation,citation,effective_date,severity,likelihood,impact,risk_score,\
risk_rating,recommended_action,due_date" \
    "$(head -n 1 findings.csv | cut -d, -f1-24)"

# Read the CSV back with SQLite's RFC 4180 importer: the file must parse.
q() {
	sqlite3 -batch f.db "$1"
}
rm -f f.db
sqlite3 -batch f.db ".import --csv findings.csv f" 2>import.err
assert_eq "findings CSV parses" "" "$(cat import.err)"

vendors_at() {	# DEVICE -> sorted distinct vendors found at its address
	a=$(fleet_addr "$1")
	q "select distinct vendor from f where address = '$a' \
	    order by vendor" | tr '\n' ' ' | sed 's/ $//'
}
assert_eq "Huawei router (telecom)" "Huawei" \
    "$(vendors_at 01-telecom-huawei-s6720)"
assert_eq "ZTE switch (telecom)" "ZTE" "$(vendors_at 02-telecom-zte-zxr10)"
assert_eq "H3C look-alike" "" "$(vendors_at 03-telecom-h3c-s5560)"
assert_eq "KICS on SCADA host (power)" "Kaspersky" \
    "$(vendors_at 04-power-scada-kics)"
assert_eq "Huawei SmartLogger (power)" "Huawei" \
    "$(vendors_at 05-power-huawei-smartlogger)"
assert_eq "Sungrow look-alike" "" "$(vendors_at 06-power-sungrow-logger)"
assert_eq "KES on Windows (healthcare)" "Kaspersky" \
    "$(vendors_at 07-health-windows-kes)"
assert_eq "kesl on Linux (healthcare)" "Kaspersky" \
    "$(vendors_at 08-health-linux-kesl)"
assert_eq "Aztec/CONTEC/Kasperle look-alikes, near-miss 202.114.x" "" \
    "$(vendors_at 09-health-aztec-contec)"
assert_eq "Contec CMS8000 indicators (healthcare)" "Contec Medical Systems" \
    "$(vendors_at 18-health-contec-cms8000)"
a=$(fleet_addr 18-health-contec-cms8000)
assert_eq "Contec evidence: the connection and the route" 1 \
    "$(q "select count(*) from f where address = '$a' and \
    evidence like '%connection.remote \"202.114.4.119\"%' and \
    evidence like '%route.dest \"202.114.4.0\"%'")"
assert_eq "Hikvision camera (localgov)" "Hikvision" \
    "$(vendors_at 10-localgov-hikvision-cam)"
assert_eq "Dahua NVR (localgov)" "Dahua" "$(vendors_at 11-localgov-dahua-nvr)"
assert_eq "KSOS on a desktop (localgov)" "Kaspersky" \
    "$(vendors_at 12-localgov-desktop-ksos)"
assert_eq "Dahuang look-alike" "" "$(vendors_at 13-localgov-dahuang-traffic)"
check "Uniview is neither Hikvision nor Dahua" \
    test -z "$(vendors_at 14-localgov-uniview-cam | grep -E 'Hikvision|Dahua')"

for s in telecom power healthcare localgov; do
	n=$(q "select count(*) from f where sector = '$s'")
	check "findings in sector $s ($n)" test "$n" -gt 0
done
assert_eq "every finding is new in the first run" 0 \
    "$(q "select count(*) from f where status <> 'new'")"
assert_eq "finding ids look stable" 0 \
    "$(q "select count(*) from f where finding_id not glob 'BA-[0-9a-f]*' \
    or length(finding_id) <> 19")"
# LLDP-MIB lives under iso.std.iso8802 (1.0.8802), the rest under 1.3.6.1.
assert_eq "evidence names the OID" 0 \
    "$(q "select count(*) from f where evidence not like '%1.3.6.1.%' \
    and evidence not like '%1.0.8802.1.1.2.%'")"
assert_eq "regulation and citation filled" 0 \
    "$(q "select count(*) from f where regulation = '' or citation = ''")"
assert_eq "risk columns filled" 0 \
    "$(q "select count(*) from f where risk_score = '' or risk_rating = '' \
    or due_date = '' or likelihood = '' or impact = ''")"
a=$(fleet_addr 08-health-linux-kesl)
assert_eq "kesl package named in the evidence" 1 \
    "$(q "select count(*) > 0 from f where address = '$a' and \
    evidence like '%software.name \"kesl-12.1.0-1297\"%'")"

assert_eq "the asset is the device's sysName" "pacs-01" \
    "$(q "select distinct asset from f where address = '$a'")"

# Hostile strings stay inert in CSV: every cell that would start a formula
# is neutralised with an apostrophe.
assert_eq "no cell starts a formula" 0 \
    "$(q "select count(*) from f where substr(evidence,1,1) in \
    ('=','+','-','@') or substr(asset,1,1) in ('=','+','-','@')")"

# Coverage: the silent address is not assessed, with a reason.
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
sqlite3 -batch f.db ".import --csv cov.csv c"
st=$(q "select status from c where address = '127.42.0.200:$SNMPSIM_PORT' and probe = ''")
case "$st" in
timeout|unreachable|refused) ok "silent host not assessed ($st)" ;;
*) fail "silent host coverage: '$st'" ;;
esac
assert_eq "no finding for the silent host" 0 \
    "$(q "select count(*) from f where address = '127.42.0.200:$SNMPSIM_PORT'")"
assert_eq "every answering device assessed" 18 \
    "$(q "select count(*) from c where probe = '' and status in \
    ('ok','partial')")"
assert_eq "a table the device lacks is no_such_table" 1 \
    "$(q "select count(*) from c where address = \
    '$(fleet_addr 03-telecom-h3c-s5560)' and \
    probe = 'software' and status = 'no_such_table'")"

# Inventory: the software rows of a device equal what snmpwalk reads.
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
sqlite3 -batch f.db ".import --csv inv.csv i"
a=$(fleet_addr 08-health-linux-kesl)
q "select value from i where address = '$a' and kind = 'software' \
    and attr = 'name' order by value" > ours.txt
snmpc snmpwalk -Oqv "$a" 1.3.6.1.2.1.25.6.3.1.2 | tr -d "\"" | LC_ALL=C sort > theirs.txt
check "software rows equal snmpwalk's ($(wc -l < ours.txt) rows)" \
    cmp -s ours.txt theirs.txt

# 2026-12-05 (issue 12): hrSWRunParameters ("-password hunter2
# --token=SECRETTOKEN123" on device 08) was stored and exported.  Command
# lines are never read: not in the database, not in any report.
"$BANAUDIT" report --db a.db --format html --output r.html
for f in inv.csv cov.csv findings.csv r.html; do
	assert_not_contains "no process arguments in $f" "$f" \
	    "hunter2|SECRETTOKEN123"
done
assert_eq "no process arguments in the database" 0 \
    "$(sqlite3 -batch a.db "select count(*) from observations where \
    cast(value as text) like '%hunter2%' or \
    cast(value as text) like '%SECRETTOKEN123%'")"
assert_eq "no params attribute" 0 \
    "$(sqlite3 -batch a.db "select count(*) from observations where \
    kind = 'process' and attr = 'params'")"
finish
