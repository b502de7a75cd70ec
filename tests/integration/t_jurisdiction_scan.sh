#!/bin/sh
# Jurisdictions reach the findings of a scan, not only of an import: the
# same Kaspersky desktop (fixture 12, served by snmpresp on loopback) is
# scanned as a localgov host with `scan --jurisdiction US-TX`, US-MD and
# none, then under a sector profile whose default jurisdiction is US-MD
# (a targets.csv jurisdiction column still wins over it).  The cited
# state law changes with the jurisdiction; the federal law the profile
# applies (BIS) is always cited;
# without a jurisdiction the evidence says the state lists were not
# applied.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/12-localgov-desktop-ksos.snmprec" fleet/
snmpresp_start "$T/fleet" || { fail "snmpresp did not start"; finish; }
ADDR=$(awk '{ print $2 }' "$T/snmpresp.map")
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# col DB COLUMN: that column of the Kaspersky finding of the scan in DB.
col() {
	"$BANAUDIT" report --db "$1" --format csv --output "$1.csv" ||
	    return 1
	python3 - "$1.csv" "$2" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=''))
        if r['vendor'] == 'Kaspersky']
print(len(rows), rows[0][sys.argv[2]] if rows else '')
PY
}

# scan DB TARGETS [OPTIONS...]
scan() {
	_db=$1
	_tg=$2
	shift 2
	"$BANAUDIT" scan --targets "$_tg" --credentials creds.ini --db "$_db" \
	    --timeout 2000 --retries 1 "$@" >"$_db.out" 2>"$_db.err"
	assert_eq "scan $_db exits 0" 0 $?
}

echo "address,sector,site,owner,criticality,snmp_profile" > plain.csv
echo "$ADDR,localgov,Austin,IT,3,fixture" >> plain.csv

scan tx.db plain.csv --jurisdiction us-tx
assert_eq "Texas: one Kaspersky finding, jurisdiction US-TX" "1 US-TX" \
    "$(col tx.db jurisdiction)"
assert_eq "Texas: cites the Texas list" yes \
    "$(col tx.db regulation | grep -q 'Texas prohibited technologies list' && echo yes)"
assert_eq "Texas: cites federal law too" yes \
    "$(col tx.db regulation | grep -q 'BIS ICTS Final Determination' && echo yes)"
assert_eq "Texas: no Maryland or Vermont policy" "" \
    "$(col tx.db regulation | grep -E 'Maryland|Vermont')"

scan md.db plain.csv --jurisdiction US-MD
assert_eq "Maryland: jurisdiction US-MD" "1 US-MD" \
    "$(col md.db jurisdiction)"
assert_eq "Maryland: cites the Maryland policy" yes \
    "$(col md.db regulation | grep -q 'Maryland Prohibited Technologies Policy' && echo yes)"
assert_eq "Maryland: no Texas list" "" "$(col md.db regulation | grep Texas)"
assert_eq "the finding id does not depend on the jurisdiction" \
    "$(col tx.db finding_id)" "$(col md.db finding_id)"

scan none.db plain.csv
assert_eq "no jurisdiction: still a finding (federal law)" "1 " \
    "$(col none.db jurisdiction)"
assert_eq "no jurisdiction: federal law cited" yes \
    "$(col none.db regulation | grep -q 'BIS ICTS Final Determination' && echo yes)"
assert_eq "no jurisdiction: no state law cited" "" \
    "$(col none.db regulation | grep -E 'Texas|Maryland|Vermont|Nebraska')"
assert_eq "no jurisdiction: the evidence says so" yes \
    "$(col none.db evidence | grep -q 'no jurisdiction given: state lists not applied' && echo yes)"

# A sector profile naming a default jurisdiction: the installed localgov
# profile with "jurisdiction = US-MD" added to [profile].
mkdir sectors
cp "$TOP/sectors/"*.ini sectors/
sed -i 's/^\[profile\]$/[profile]\njurisdiction = US-MD/' sectors/localgov.ini
assert_contains "profile has a default jurisdiction" sectors/localgov.ini \
    '^jurisdiction = US-MD$'
scan prof.db plain.csv --sectors "$T/sectors"
assert_eq "profile default: cites the Maryland policy" yes \
    "$(col prof.db regulation | grep -q 'Maryland Prohibited Technologies Policy' && echo yes)"
assert_eq "profile default: no Texas list" "" \
    "$(col prof.db regulation | grep Texas)"
assert_not_contains "profile default: no 'no jurisdiction' note" \
    prof.db.csv 'no jurisdiction given'

# The host's own jurisdiction (targets.csv column) wins over the profile.
echo "address,sector,site,owner,criticality,snmp_profile,jurisdiction" \
    > placed.csv
echo "$ADDR,localgov,Austin,IT,3,fixture,US-TX" >> placed.csv
scan placed.db placed.csv --sectors "$T/sectors" --jurisdiction US-VT
assert_eq "column wins over profile and --jurisdiction" "1 US-TX" \
    "$(col placed.db jurisdiction)"
assert_eq "column: cites the Texas list" yes \
    "$(col placed.db regulation | grep -q 'Texas prohibited technologies list' && echo yes)"
assert_eq "column: no Maryland or Vermont policy" "" \
    "$(col placed.db regulation | grep -E 'Maryland|Vermont')"

# --jurisdiction wins over the profile's default for unplaced rows.
scan vt.db plain.csv --sectors "$T/sectors" --jurisdiction US-VT
assert_eq "--jurisdiction over the profile default" yes \
    "$(col vt.db regulation | grep -q 'Vermont cybersecurity directive' && echo yes)"
assert_eq "--jurisdiction over the profile: no Maryland" "" \
    "$(col vt.db regulation | grep Maryland)"

finish
