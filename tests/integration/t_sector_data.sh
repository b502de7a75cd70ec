#!/bin/sh
# Sectors are data: a new sector is one file in the profiles directory.
# Scan and import both take it; without the file, both refuse the name
# at the line that uses it, before any database exists.
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

mkdir sectors
cp "$TOP"/sectors/*.ini sectors/
cat > sectors/water.ini <<'INI'
; A water utility: identity and software only, gently.
[profile]
sector = water
title = Water and wastewater utilities
[collection]
probes = system, software, inventory
rate = 5
[regulations]
apply = ndaa-889a
[actions]
default = Replace {vendor} {product}.
INI

closed_port udp || { fail "no closed port"; finish; }
port=$CLOSED_PORT
printf 'address,sector,site,snmp_profile\n127.0.0.1:%s,water,Plant,p\n' \
    "$port" > targets.csv
printf '[p]\nsnmp_version = 2c\ncommunity = %s\n' "$(random_secret)" \
    > creds.ini
chmod 0600 creds.ini
printf 'host,address,sector,name,version\nws-1,10.9.0.1,water,Kaspersky Endpoint Security for Windows,12.1\n' \
    > apps.csv

# Without water.ini the name is refused where it is used.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --db a.db --quiet 2>err.txt
assert_eq "scan: unknown sector exits 2" 2 $?
assert_contains "scan: the line and the known sectors" err.txt \
    "targets.csv:2: sector: 'water' is not one of healthcare, localgov, power, telecom"
"$BANAUDIT" import --db a.db apps.csv 2>err.txt
assert_eq "import: unknown sector exits 2" 2 $?
assert_contains "import: the line and the known sectors" err.txt \
    "apps.csv:2: unknown sector 'water'"
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --db a.db --sector water --quiet 2>err.txt
assert_eq "scan --sector water exits 2" 2 $?
assert_contains "--sector lists the profiles" err.txt \
    "unknown sector 'water' \(healthcare, localgov, power, telecom\)"
check "no database was created" test ! -e a.db

# With it, both run, and the hosts carry the new sector.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --sectors sectors --db a.db --timeout 200 --retries 0 --quiet \
    2>err.txt
assert_eq "scan with water.ini exits 0" 0 $?
"$BANAUDIT" import --sectors sectors --db a.db apps.csv 2>err.txt
assert_eq "import with water.ini exits 0" 0 $?
assert_eq "both hosts are of sector water" "2" \
    "$(sqlite3 a.db "select count(*) from run_hosts where sector = 'water'")"
"$BANAUDIT" report --db a.db --format csv --sector water \
    --output f.csv 2>err.txt
assert_eq "report --sector water exits 0" 0 $?
assert_contains "the imported Kaspersky is a finding of sector water" \
    f.csv ',water,.*Kaspersky'
finish
