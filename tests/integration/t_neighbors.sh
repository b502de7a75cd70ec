#!/bin/sh
# Devices nobody polls, found in the tables of those that were, and where
# they are plugged in.  snmpsimd serves the fixture fleet; the scan polls
# only its four network devices (tests/data/fleet/README.md): the Huawei
# aggregation switch (01, an LLDP neighbour), the ZTE switch (02, an ARP
# table), the router rtr-core-16 (ARP with covered and look-alike OUIs,
# CDP) and the access switch sw-acc-17 (dot1q FDB on four VLANs, an
# uplink with six MACs, LLDP neighbours: a Huawei router, an H3C switch,
# a phone, the router).  Findings name the device itself (IP, MAC) and
# say where it is; look-alikes, randomised MACs and the network devices
# themselves are not findings; the tables' coverage and the MAC registry
# used are recorded.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

snmpsim_start "$DATA/fleet" || { fail "snmpsimd did not start"; finish; }
cd "$T" || exit 1

addr() {	# DEVICE: its address:port
	fleet_addr "$1"
}
{
	echo "address,sector,site,owner,criticality,snmp_profile"
	echo "$(addr 01-telecom-huawei-s6720),telecom,POP 7,NOC,5,fixture"
	echo "$(addr 02-telecom-zte-zxr10),telecom,POP 7,NOC,5,fixture"
	echo "$(addr 16-telecom-core-router),telecom,POP Tver,NOC,5,fixture"
	echo "$(addr 17-localgov-access-switch),localgov,City Hall,City IT,3,\
fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 3000 --retries 1 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?
assert_contains "summary: the neighbour tables" scan.err \
    "neighbour tables of 4 routers and switches: [0-9]+ devices"
# 0a:1b:2c:3d:4e:5f (router 16, switch 17), 02:a1:b2:c3:d4:e5 (device 02)
assert_contains "summary: randomised MACs counted" scan.err \
    "vendor unknown: 2 randomised MACs"
assert_contains "summary: the MAC registry and its date" scan.err \
    "MAC vendors from IEEE registry \(ieee-data\) [0-9]{4}-[0-9]{2}-[0-9]{2}: "

"$BANAUDIT" report --db a.db --format csv --output findings.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
rm -f q.db
sqlite3 -batch q.db ".import --csv findings.csv f" \
    ".import --csv inv.csv i" ".import --csv cov.csv c" 2>import.err
assert_eq "reports parse" "" "$(cat import.err)"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}

# --- Findings: the device itself, and where it is -----------------------
# finding ADDRESS: "asset|vendor|sector" of the findings at ADDRESS.
finding() {
	q "select asset, vendor, sector from f where address = '$1' \
	    order by vendor"
}
# located ADDRESS TEXT: the finding's evidence says where.
located() {
	n=$(q "select count(*) from f where address = '$1' and \
	    instr(evidence, 'located: $2') > 0")
	if [ "$n" -ge 1 ]; then ok "$1 located: $2"; else
		fail "$1 not located at '$2':"
		q "select evidence from f where address = '$1'" >&2
	fi
}
assert_eq "Hikvision camera: its IP and MAC" \
    "28:57:be:aa:01:01|Hikvision|localgov" "$(finding 10.16.20.11)"
located 10.16.20.11 "sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/5, VLAN 20"
assert_eq "the camera's evidence is its MAC's registry entry" 1 \
    "$(q "select count(*) from f where address = '10.16.20.11' and \
    evidence like '%neighbor.oui_org \"Hangzhou Hikvision Digital \
Technology Co.,Ltd.\" (1.3.6.1.2.1.17.7.1.2.2.1.2.2.40.87.190.170.1.1; \
MA-L 28:57:BE)%'")"
assert_eq "Dahua beyond the uplink" "08:ed:ed:aa:02:02|Dahua|localgov" \
    "$(finding 10.16.20.12)"
located 10.16.20.12 "seen only on uplinks: sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) \
Gi1/0/24, VLAN 20 (6 MACs learned)"
assert_eq "Hytera radio" "64:69:bc:aa:03:03|Hytera|localgov" \
    "$(finding 10.16.30.13)"
located 10.16.30.13 "sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/7, VLAN 30"
assert_eq "Huawei CPE in the router's ARP table only" \
    "10:32:7e:aa:04:04|Huawei|telecom" "$(finding 10.16.30.14)"
located 10.16.30.14 "no bridge table has its MAC; ARP table of \
rtr-core-16 (127.42.0.16:$SNMPSIM_PORT), interface Vl30"
assert_eq "Ezviz camera (Hikvision) behind an IP phone" \
    "64:f2:fb:aa:22:22|Hikvision|localgov" "$(finding 10.16.30.22)"
located 10.16.30.22 "sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/22, VLAN 30"
assert_eq "ZTE by its MA-M block" "ac:64:dd:5a:bc:01|ZTE|localgov" \
    "$(finding 10.16.40.15)"
located 10.16.40.15 "sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/9, VLAN 40"
assert_eq "Huawei router, an LLDP neighbour with a VRP banner" \
    "huawei-ar-21 (30:fb:b8:aa:21:21)|Huawei|localgov" \
    "$(finding 10.16.60.21)"
located 10.16.60.21 "sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/21, LLDP neighbour"
assert_eq "... as a Huawei router, on its banner" \
    "Huawei routers and switches (VRP, YunShan OS)" \
    "$(q "select product from f where address = '10.16.60.21'")"
assert_contains "... the banner is evidence" findings.csv \
    "derived neighbor.sysdesc \"\"Huawei Versatile Routing Platform"
assert_eq "ZTE switch, a CDP neighbour of the router" \
    "zxr10-70-5|ZTE|telecom" "$(finding 10.16.70.5)"
located 10.16.70.5 "rtr-core-16 (127.42.0.16:$SNMPSIM_PORT) Gi0/0/2, CDP neighbour"
assert_eq "Hikvision camera in the ZTE switch's ARP table" \
    "44:19:b6:12:34:56|Hikvision|telecom" "$(finding 10.20.30.40)"
located 10.20.30.40 "no bridge table has its MAC; ARP table of \
acc-msk-07-zte (127.42.0.2:$SNMPSIM_PORT), interface vlan100"

# One device seen by several tables is one finding: the Huawei router's
# chassis MAC (LLDP), its VLAN MAC (FDB, ARP) and address are one device.
assert_eq "one finding per device" 0 \
    "$(q "select count(*) from (select address, vendor from f group by \
    address, vendor having count(*) > 1)")"
assert_eq "no finding for the router's VLAN MAC" 0 \
    "$(q "select count(*) from f where asset like '%30:fb:b8:aa:21:22%'")"
# The LLDP neighbour of device 01 is device 02 (its sysName): its banner
# joins device 02's own ZTE finding; no second ZTE device appears.
a2=$(addr 02-telecom-zte-zxr10)
assert_eq "device 02 is device 01's LLDP neighbour" "ZTE" \
    "$(q "select group_concat(vendor) from f where address = '$a2'")"
assert_eq "... its banner heard over LLDP is evidence" 1 \
    "$(q "select count(*) from f where address = '$a2' and \
    evidence like '%derived neighbor.sysdesc \"ZXR10 5950-36TM-H%\
(1.0.8802.1.1.2.1.4.1.1.10.0.54.1)%located: agg-msk-07 (127.42.0.1:$SNMPSIM_PORT) \
XGigabitEthernet0/0/1, LLDP neighbour'")"
assert_eq "every discovered finding is exactly these" \
"10.16.20.11 Hikvision
10.16.20.12 Dahua
10.16.30.13 Hytera
10.16.30.14 Huawei
10.16.30.22 Hikvision
10.16.40.15 ZTE
10.16.60.21 Huawei
10.16.70.5 ZTE
10.20.30.40 Hikvision" \
    "$(q "select address || ' ' || vendor from f where address not like \
    '127.%' order by address")"

# --- Non-findings ---------------------------------------------------------
# Kaspersky's MA-M came after Debian 12's ieee-data (2022-08-27).
kasp=10.16.50.30
grep -q '^MA-M,2CC44F9,' /usr/share/ieee-data/mam.csv && kasp=
for a in 10.16.40.16 10.16.40.17 10.16.40.18 10.16.50.18 10.16.50.19 \
    10.16.50.20 10.16.50.21 $kasp 10.16.30.23 10.20.30.41; do
	assert_eq "no finding at $a" "" "$(finding $a)"
done
for d in 16-telecom-core-router 17-localgov-access-switch; do
	a=$(addr $d)
	assert_eq "the polled $d is no finding" "" "$(finding "$a")"
done
assert_eq "the H3C neighbour is no finding" 0 \
    "$(q "select count(*) from f where asset like 'h3c%' or \
    evidence like '%H3C%'")"
assert_eq "look-alikes resolved to their own blocks" \
"10.16.40.16|8Cups
10.16.40.17|Shanghai Dahua Scale Factory
10.16.40.18|TELEPLATFORMS
10.16.50.18|CONTEC CO., LTD.
10.16.50.19|New H3C Technologies Co., Ltd
10.16.50.20|Honor Device Co., Ltd.
10.16.50.21|AXIS COMMUNICATIONS AB" \
    "$(q "select address, value from i where channel = 'derived' and \
    attr = 'oui_org' and address in ('10.16.40.16', '10.16.40.17', \
    '10.16.40.18', '10.16.50.18', '10.16.50.19', '10.16.50.20', \
    '10.16.50.21', '10.16.50.22', '10.16.50.30') order by address")"
assert_eq "a randomised MAC is no host" 0 \
    "$(q "select count(*) from i where address in ('10.16.50.22', \
    '10.20.30.42')")"

# --- Inventory and coverage -----------------------------------------------
s17=$(addr 17-localgov-access-switch)
r16=$(addr 16-telecom-core-router)
assert_eq "the switch's FDB rows are inventory (neighbor, snmp)" 18 \
    "$(q "select count(*) from i where address = '$s17' and \
    kind = 'neighbor' and channel = 'snmp' and attr = 'bridgeport' \
    and item like 'fdb.%'")"
assert_eq "the router's ARP rows are inventory" 18 \
    "$(q "select count(*) from i where address = '$r16' and \
    kind = 'neighbor' and attr = 'mac' and item like 'arp.%'")"
assert_eq "a located device's derived rows" \
"seen.1|table|arp
seen.1|location|rtr-core-16 127.42.0.16:$SNMPSIM_PORT Vl20
seen.2|table|fdb
seen.2|vlan|20
seen.2|ifname|Gi1/0/5
seen.2|location|sw-acc-17 127.42.0.17:$SNMPSIM_PORT Gi1/0/5, VLAN 20" \
    "$(q "select item, attr, value from i where address = '10.16.20.11' \
    and item like 'seen.%' and attr in ('table', 'vlan', 'ifname', \
    'location') order by item, case attr when 'table' then 0 when \
    'vlan' then 1 when 'ifname' then 2 else 3 end" | grep -v \
    '^seen.1|ifname')"
cov() {	# ADDRESS PROBE: "status|detail"
	q "select status || '|' || detail from c where address = '$1' and \
	    probe = '$2'"
}
assert_eq "switch: FDB read" \
    "ok|dot1qTpFdbTable: 18 rows; dot1qVlanCurrentTable: 4 rows" \
    "$(cov "$s17" fdb)"
assert_eq "switch: LLDP read" "ok|lldpRemTable: 4 rows; \
lldpRemManAddrTable: 2 rows; lldpLocPortTable: 5 rows" "$(cov "$s17" lldp)"
assert_eq "switch: no ARP table" "no_such_table|ipNetToPhysicalTable: \
table absent or empty; ipNetToMediaTable: table absent or empty" \
    "$(cov "$s17" arp)"
assert_eq "router: ARP read (ipNetToPhysicalTable)" \
    "ok|ipNetToPhysicalTable: 18 rows" "$(cov "$r16" arp)"
assert_eq "router: CDP read" "ok|cdpCacheTable: 2 rows" "$(cov "$r16" cdp)"
a2=$(addr 02-telecom-zte-zxr10)
assert_eq "ZTE switch: the old ipNetToMediaTable as fallback" \
    "ok|ipNetToPhysicalTable: table absent or empty; ipNetToMediaTable: \
3 rows" "$(cov "$a2" arp)"
assert_eq "switch: what locate made of its tables" "ok|ARP 0, FDB 18, \
LLDP 4, CDP 0 rows; 9 devices located at its ports; 4 uplink ports; \
vendor unknown: 1 row with a randomised (locally administered) MAC" \
    "$(cov "$s17" locate)"
assert_eq "the run names the MAC registry and its date" 1 \
    "$(sqlite3 a.db "select count(*) from runs where id = 1 and \
    oui_registry like 'IEEE registry (ieee-data) ____-__-__: % MA-L, \
% MA-M, % MA-S, % IAB'")"

# --- Stable across runs; the uplink threshold; --oui ---------------------
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 3000 --retries 1 --quiet
"$BANAUDIT" report --db a.db --format csv --output findings2.csv
sqlite3 -batch q.db ".import --csv findings2.csv f2"
assert_eq "second run: the same finding ids, persisting" 0 \
    "$(q "select count(*) from f2 where status <> 'persisting' or \
    finding_id not in (select finding_id from f)")"

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db b.db \
    --timeout 3000 --retries 1 --quiet --uplink-macs 6
"$BANAUDIT" report --db b.db --format csv --output findings3.csv
sqlite3 -batch q.db ".import --csv findings3.csv f3"
assert_eq "--uplink-macs 6: port 24 is an edge" 1 \
    "$(q "select count(*) from f3 where address = '10.16.20.12' and \
    evidence like '%located: sw-acc-17 (127.42.0.17:$SNMPSIM_PORT) Gi1/0/24, VLAN 20'")"

# A newer registry from the user: Kaspersky's MA-M of 2024.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db c.db \
    --timeout 3000 --retries 1 --quiet --oui "$DATA/oui/override.csv"
"$BANAUDIT" report --db c.db --format csv --output findings4.csv
sqlite3 -batch q.db ".import --csv findings4.csv f4"
assert_eq "--oui: a block the packaged registry lacks" \
    "2c:c4:4f:9a:bc:01|Kaspersky" \
    "$(q "select asset, vendor from f4 where address = '10.16.50.30'")"
assert_eq "--oui: both registries recorded" 1 \
    "$(sqlite3 c.db "select count(*) from runs where oui_registry like \
    'IEEE registry (ieee-data) ____-__-__: %; IEEE CSV \
%tests/data/oui/override.csv %'")"
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db d.db \
    --oui "$DATA/oui/bad/bad-hex.csv" >bad.out 2>bad.err
assert_eq "--oui with a malformed file: exit 2" 2 $?
assert_contains "... FILE:LINE" bad.err "bad-hex.csv:3: "
check "... before the database is created" test ! -e d.db
finish
