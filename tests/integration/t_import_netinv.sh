#!/bin/sh
# Network inventories: the files the Debian fusioninventory-agent's
# netdiscovery and netinventory tasks wrote against the fixture fleet
# (tests/data/netinv/regen.sh) give the devices, neighbours and findings a
# direct SNMP scan of the same simulated devices gives, less what the
# agent's files do not carry (ARP tables, installed software, sysObjectID;
# listed below); the same machines join the scan's hosts; GLPI JSON
# imports; coverage says which sections each device's file held; a bad
# file is refused with FILE: PATH before the database is touched.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

N="$DATA/netinv"
snmpsim_start "$DATA/fleet" || { fail "snmpsimd did not start"; finish; }
cd "$T" || exit 1

echo "address,sector,snmp_profile" > targets.csv
while read -r _n a; do
	echo "$a,localgov,fixture" >> targets.csv
done < "$T/fleet.map"
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --db scan.db --timeout 2000 --retries 2 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?
"$BANAUDIT" import --db net.db --sector localgov "$N"/fi/netdiscovery/*.xml \
    "$N"/fi/netinventory/*.xml >imp.out 2>imp.err
assert_eq "import exits 0" 0 $?
assert_contains "import: one host per device" imp.err \
    "run 1: 36 files, 18 hosts, "
assert_contains "import: locate's summary" imp.err \
    "neighbour tables of 2 routers and switches: 17 devices \(15 not \
polled\), 11 located at a port, 6 seen only on uplinks; vendor unknown: 1 \
randomised MACs; MAC vendors from IEEE registry"

"$BANAUDIT" report --db scan.db --format csv --output scan.csv
"$BANAUDIT" report --db net.db --format csv --output net.csv
"$BANAUDIT" report --db net.db --format coverage-csv --output cov.csv
"$BANAUDIT" report --db net.db --format inventory-csv --output inv.csv

# keys FILE [where]: one line per finding: the device (its MAC, else its
# address, else its name) and vendor; with "where", also where it was
# seen, for the findings that say (VLANs aside: the agent's files name
# none on these ports).
#
# The scan's targets are keyed by address and port (issue 12); the files
# name addresses alone: the simulator's port is left out of both sides.
keys() {
	PORT=$SNMPSIM_PORT python3 - "$@" <<'EOF'
import csv, os, re, sys
mac = re.compile(r'([0-9a-f]{2}:){5}[0-9a-f]{2}')
port = re.compile(r':%s\b' % os.environ['PORT'])
out = set()
with open(sys.argv[1], newline='') as f:
    for r in csv.DictReader(f):
        r = {k: port.sub('', v or '') for k, v in r.items()}
        m = mac.search(r['asset']) or mac.search(r['address'])
        dev = m.group(0) if m else r['address'] or r['asset']
        loc = re.search(r'located: ([^\n]*)', r['evidence'])
        if len(sys.argv) < 3:
            out.add('%s|%s' % (dev, r['vendor']))
        elif loc:
            out.add('%s|%s|%s' % (dev, r['vendor'],
                re.sub(r', VLAN [0-9]+', '', loc.group(1))))
for k in sorted(out):
    print(k)
EOF
}
keys scan.csv > scan.keys
keys net.csv > net.keys
keys scan.csv where > scan.where
keys net.csv where > net.where
assert_eq "every import finding is a scan finding" "" \
    "$(comm -13 scan.keys net.keys)"
assert_eq "every device the import locates, the scan locates there" "" \
    "$(comm -13 scan.where net.where)"
# What the scan has and the agent's files cannot: devices only in ARP
# tables (the agent reads no ARP table), installed software (the
# netinventory task reads none) and a camera known only by its
# sysObjectID (the files carry none).  The Uniview camera (127.42.0.14)
# is banned only by the Texas 2026 list: no finding on a host without a
# jurisdiction (README.md "Jurisdictions").
assert_eq "the scan's findings the files cannot give" \
"10:32:7e:aa:04:04|Huawei
127.42.0.12|Kaspersky
127.42.0.15|Kaspersky
127.42.0.4|Kaspersky
127.42.0.7|Kaspersky
127.42.0.8|Kaspersky
44:19:b6:12:34:56|Hikvision" \
    "$(comm -23 scan.keys net.keys)"
# The agent wrote no LLDP table for the Huawei switch (01), whose LLDP
# neighbour is the ZTE switch (02): found on its own banner, not located.
assert_eq "the scan's locations the files cannot give" \
"10:32:7e:aa:04:04|Huawei|no bridge table has its MAC; ARP table of \
rtr-core-16 (127.42.0.16), interface Vl30
127.42.0.2|ZTE|agg-msk-07 (127.42.0.1) XGigabitEthernet0/0/1, LLDP neighbour
44:19:b6:12:34:56|Hikvision|no bridge table has its MAC; ARP table of \
acc-msk-07-zte (127.42.0.2), interface vlan100" \
    "$(comm -23 scan.where net.where)"
assert_eq "devices on the switch's ports, located as the scan does" \
"08:ed:ed:aa:02:02|Dahua|seen only on uplinks: sw-acc-17 (127.42.0.17) \
Gi1/0/24 (6 MACs learned)
28:57:be:aa:01:01|Hikvision|sw-acc-17 (127.42.0.17) Gi1/0/5
30:fb:b8:aa:21:21|Huawei|sw-acc-17 (127.42.0.17) Gi1/0/21, LLDP neighbour
64:69:bc:aa:03:03|Hytera|sw-acc-17 (127.42.0.17) Gi1/0/7
64:f2:fb:aa:22:22|Hikvision|sw-acc-17 (127.42.0.17) Gi1/0/22
ac:64:dd:5a:bc:01|ZTE|sw-acc-17 (127.42.0.17) Gi1/0/9" \
    "$(grep 'sw-acc-17' net.where)"
assert_eq "the router's CDP neighbour" \
    "10.16.70.5|ZTE|rtr-core-16 (127.42.0.16) Gi0/0/2, CDP neighbour" \
    "$(grep 'rtr-core-16' net.where)"
assert_eq "discovered cameras by their own MAC's vendor" \
"127.42.0.10|Hikvision
127.42.0.11|Dahua" \
    "$(grep '^127.42.0.1[01]|' net.keys)"
assert_contains "... its evidence: the MAC's registry entry" net.csv \
    "derived neighbor.oui_org \"\"Hangzhou Hikvision Digital Technology \
Co.,Ltd.\"\" \(DEVICE\[1\]/MAC; MA-L 44:19:B6\)"

rm -f q.db
sqlite3 -batch q.db ".import --csv net.csv f" ".import --csv cov.csv c" \
    ".import --csv inv.csv i" 2>q.err
assert_eq "reports parse" "" "$(cat q.err)"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}
assert_eq "evidence names the file's element" 1 \
    "$(q "select count(*) from f where asset = '28:57:be:aa:01:01' and \
    evidence like '%DEVICE[1]/PORTS/PORT[1]/CONNECTIONS/CONNECTION[1]/MAC; \
MA-L 28:57:BE)%'")"
assert_eq "coverage: what each of the switch's files held" \
"ok|imported from $N/fi/netdiscovery/17-localgov-access-switch.xml: \
NETDISCOVERY DEVICE[1] (NETWORKING): discovery only (sysDescr, name, MAC); \
no ports, components or software; and from \
$N/fi/netinventory/17-localgov-access-switch.xml: SNMPQUERY DEVICE[1] \
(NETWORKING): INFO; PORTS 11 (learned MACs 14, LLDP/CDP neighbours 3); no \
COMPONENTS; no FIRMWARES" \
    "$(q "select status || '|' || detail from c where address = \
    '127.42.0.17' and channel = 'import'")"
assert_eq "coverage: locate's row for the switch" \
"ARP 0, FDB 14, LLDP 3, CDP 0 rows; 9 devices located at its ports; 2 \
uplink ports; vendor unknown: 1 row with a randomised (locally \
administered) MAC" \
    "$(q "select detail from c where address = '127.42.0.17' and \
    probe = 'locate'")"
assert_eq "the switch's learned MACs are inventory (neighbor, import)" 14 \
    "$(q "select count(*) from i where address = '127.42.0.17' and \
    kind = 'neighbor' and channel = 'import' and attr = 'bridgeport'")"

# Importing into the scan's database.  The scan polled the devices at
# ADDRESS:PORT (the simulator's port), the files name the address alone:
# since issue 12 a target is its address and port, so each of the 18
# devices is a host of its own beside the scan's target (on the default
# port, written without one, they would be the same key).
before=$(sqlite3 scan.db "select count(*) from hosts")
"$BANAUDIT" import --db scan.db --sector localgov --quiet \
    "$N"/fi/netdiscovery/*.xml "$N"/fi/netinventory/*.xml
assert_eq "import into the scan's database exits 0" 0 $?
assert_eq "the files' 18 devices beside the scan's targets" \
    "$((before + 18))" "$(sqlite3 scan.db "select count(*) from hosts")"

# GLPI Agent JSON: an OLT with its components and an LLDP neighbour, a
# printer; the same switch as XML and JSON is one host.
"$BANAUDIT" import --db glpi.db --sector telecom "$N"/glpi/*.json \
    "$N"/fi/netinventory/17-localgov-access-switch.xml >g.out 2>g.err
assert_eq "GLPI JSON imports" 0 $?
"$BANAUDIT" report --db glpi.db --format csv --output g.csv
keys g.csv > g.keys
keys g.csv where > g.where
assert_contains "the OLT by its model and banner" g.keys \
    "^10.30.0.2\|Huawei$"
assert_contains "its LLDP neighbour, located" g.where \
    "^9c:e3:74:00:00:01\|Huawei\|olt-north-1 \(10.30.0.2\) ethernet 0/9/0, \
LLDP neighbour$"
assert_contains "the OLT's evidence: its model" g.csv \
    "import entity.model \"\"MA5800-X7\"\" \(network_device/model\)"
assert_eq "the XML and JSON of one switch are one host" 1 \
    "$(sqlite3 glpi.db "select count(*) from hosts where identity = \
    'mac:00:00:0c:17:00:00'")"
assert_not_contains "the printer is no finding" g.keys "^10.40.2.15\\|"

# A device's odd values are no error but never silent: a name longer than
# the 4096-byte limit (cut), a MAC that is not one (skipped), Latin-1
# bytes (read as ISO-8859-1) -- each a warning naming the file.
{
	printf '<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><CONTENT>'
	printf '<DEVICE><INFO><IPS><IP>10.77.0.1</IP></IPS><LOCATION>Salle '
	printf '\351lectrique</LOCATION><NAME>'
	head -c 5000 /dev/zero | tr '\0' n
	printf '</NAME><TYPE>NETWORKING</TYPE></INFO><PORTS><PORT>'
	printf '<CONNECTIONS><CONNECTION><MAC>zz:zz</MAC></CONNECTION>'
	printf '</CONNECTIONS><IFNUMBER>3</IFNUMBER><IFNAME>Gi1/0/3</IFNAME>'
	printf '</PORT></PORTS></DEVICE></CONTENT><DEVICEID>foo</DEVICEID>'
	printf '<QUERY>SNMPQUERY</QUERY></REQUEST>\n'
} > odd.xml
"$BANAUDIT" import --db odd.db --sector localgov odd.xml >odd.out 2>odd.err
assert_eq "odd values: imported, exit 0" 0 $?
assert_contains "a value cut: warned" odd.err \
    "^banaudit: warning: odd\.xml: values cut to the length limit: 1$"
assert_contains "a bad MAC: warned" odd.err \
    "^banaudit: warning: odd\.xml: unreadable MAC addresses skipped: 1$"
assert_contains "Latin-1: warned" odd.err \
    "^banaudit: warning: odd\.xml: not UTF-8; read as ISO-8859-1$"
assert_eq "the name kept to 4096 bytes" "10.77.0.1|4096" \
    "$(sqlite3 odd.db "select address, length(name) from run_hosts")"

# A device an SNMPQUERY file knows by name only is the device of that
# name the NETDISCOVERY file identifies (sw-solo); of two devices of one
# name (sw-twin) it is neither: it stays a host of its own.
cat > disc.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST><CONTENT>
<DEVICE><IP>10.88.0.1</IP><MAC>02:00:00:88:00:01</MAC>
<SNMPHOSTNAME>sw-twin</SNMPHOSTNAME></DEVICE>
<DEVICE><IP>10.88.0.2</IP><MAC>02:00:00:88:00:02</MAC>
<SNMPHOSTNAME>sw-twin</SNMPHOSTNAME></DEVICE>
<DEVICE><IP>10.88.0.3</IP><MAC>02:00:00:88:00:03</MAC>
<SNMPHOSTNAME>sw-solo</SNMPHOSTNAME></DEVICE>
</CONTENT><DEVICEID>foo</DEVICEID><QUERY>NETDISCOVERY</QUERY></REQUEST>
EOF
cat > query.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST><CONTENT>
<DEVICE><INFO><NAME>sw-twin</NAME><LOCATION>rack 1</LOCATION></INFO></DEVICE>
<DEVICE><INFO><NAME>sw-solo</NAME><LOCATION>rack 2</LOCATION></INFO></DEVICE>
</CONTENT><DEVICEID>foo</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>
EOF
"$BANAUDIT" import --db names.db --sector localgov disc.xml query.xml \
    >names.out 2>names.err
assert_eq "names: import exits 0" 0 $?
assert_eq "names: sw-solo joined, the sw-twin of the query apart" \
    "addr:sw-twin mac:02:00:00:88:00:01 mac:02:00:00:88:00:02 \
mac:02:00:00:88:00:03" "$(sqlite3 names.db \
    "select identity from hosts order by identity" | tr '\n' ' ' |
    sed 's/ $//')"
"$BANAUDIT" report --db names.db --format inventory-csv --output names.csv
assert_contains "names: sw-solo's location on the discovered device" \
    names.csv "^1,mac:02:00:00:88:00:03,.*,location,.*,rack 2,"
assert_contains "names: the twin's on the host of its name" \
    names.csv "^1,addr:sw-twin,.*,location,.*,rack 1,"

# A bad file: FILE: PATH: reason, exit 2, no database.
"$BANAUDIT" import --db bad.db --sector localgov "$N/bad/ports-text.xml" \
    >bad.out 2>bad.err
assert_eq "bad file: exit 2" 2 $?
assert_contains "bad file: the element named" bad.err \
    "^banaudit: $N/bad/ports-text.xml: DEVICE\[1\]/PORTS: expected child \
elements"
check "bad file: no database created" test ! -e bad.db
"$BANAUDIT" import --db bad.db --sector localgov "$N/bad/doctype.xml" \
    >bad.out 2>bad.err
assert_contains "a DOCTYPE is refused with its line" bad.err \
    "^banaudit: $N/bad/doctype.xml:2: DOCTYPE"

finish
