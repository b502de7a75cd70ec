#!/bin/sh
# Identity beyond sysDescr, and neighbour tables on routers and bridges in
# every sector (tests/data/detect/README.md).  snmpsimd serves the devices
# at its default response cap of 64 varbinds (SNMPSIM_CAP=64, the copy of
# the script with the GETBULK division floored), as constrained agents
# answer:
#   - a UPS card whose maker is only in UPS-MIB, a battery controller whose
#     vendor is only in its enterprise subtree, an NVR whose banner names
#     the vendor: found, the evidence naming the OID that carried it;
#   - look-alikes (another vendor's subtree, covered words inside other
#     words, an arc next to Huawei's): not flagged;
#   - a power-sector router (ipForwarding) with a camera in its ARP table
#     and a healthcare switch (dot1dBaseNumPorts) with one in its bridge
#     table: both found and located; the field RTU beside them is not a
#     router or bridge, and its ARP table is not read;
#   - a Huawei OLT's ONU table: the Huawei ONUs found and located at OLT,
#     PON port and ONU id, the Alcatel-Lucent and FiberHome ones not;
#   - a generic embedded-Linux box whose sysName alone names Huawei: a lead,
#     not a finding.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

SNMPSIM_CAP=64 snmpsim_start "$DATA/detect" ||
    { fail "snmpsimd did not start"; finish; }
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
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 1000 --retries 1 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?
assert_contains "neighbour tables of the router and the switch only" \
    scan.err "neighbour tables of 2 routers and switches"

"$BANAUDIT" report --db a.db --format csv --output findings.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
rm -f q.db
sqlite3 -batch q.db ".import --csv findings.csv f" \
    ".import --csv cov.csv c" ".import --csv inv.csv i" 2>import.err
assert_eq "reports parse" "" "$(cat import.err)"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}
ip() {	# DEVICE: its address as the target key (with the port)
	fleet_addr "$1"
}
vendors_at() {
	q "select distinct vendor from f where address = '$(ip "$1")' \
	    order by vendor" | tr '\n' ' ' | sed 's/ $//'
}
# evidence_has DEVICE TEXT: a finding at DEVICE cites TEXT.
evidence_has() {
	q "select count(*) > 0 from f where address = '$(ip "$1")' and \
	    instr(evidence, '$2') > 0"
}

# --- Identity beyond sysDescr ------------------------------------------
assert_eq "UPS card: Huawei from UPS-MIB alone" "Huawei" \
    "$(vendors_at 01-power-ups-card-huawei)"
assert_eq "UPS card: evidence names upsIdentManufacturer" 1 \
    "$(evidence_has 01-power-ups-card-huawei 1.3.6.1.2.1.33.1.1.1.0)"
assert_eq "UPS card: and upsIdentModel" 1 \
    "$(evidence_has 01-power-ups-card-huawei 1.3.6.1.2.1.33.1.1.2.0)"
assert_eq "battery controller: Huawei from its enterprise subtree" "Huawei" \
    "$(vendors_at 02-power-battery-ctrl-huawei)"
assert_eq "battery controller: evidence names the first OID answered" 1 \
    "$(evidence_has 02-power-battery-ctrl-huawei \
    'vendor.oid "1.3.6.1.4.1.2011.6.174.1.1.1.2.0"')"
assert_eq "NVR: Hikvision from its banner" "Hikvision" \
    "$(vendors_at 03-localgov-nvr-banner-hikvision)"
assert_eq "another vendor's subtree (Sungrow) is no finding" "" \
    "$(vendors_at 04-power-lookalike-subtree)"
assert_eq "covered words inside other words are no finding" "" \
    "$(vendors_at 05-health-lookalike-words)"
assert_eq "the look-alike's subtree answer is not kept as Huawei's" 0 \
    "$(q "select count(*) from i where address = \
    '$(ip 05-health-lookalike-words)' and kind = 'vendor' and \
    attr = 'oid'")"

# --- Coverage of the new probes ------------------------------------------
cov() {	# DEVICE PROBE: status|detail
	q "select status, detail from c where address = '$(ip "$1")' and \
	    probe = '$2' and channel = 'snmp'"
}
assert_eq "ups: read on the UPS card" "ok|ups: 5 values" \
    "$(cov 01-power-ups-card-huawei ups)"
assert_eq "ups: absent on the battery controller" \
    "no_such_table|ups: objects absent" \
    "$(cov 02-power-battery-ctrl-huawei ups)"
assert_eq "enterprise: one answer inside a covered subtree" \
    "ok|enterprise: 1 value" "$(cov 02-power-battery-ctrl-huawei enterprise)"
assert_eq "enterprise: nothing inside a covered subtree (look-alike)" \
    "no_such_table|enterprise: objects absent" \
    "$(cov 04-power-lookalike-subtree enterprise)"
# A few requests per host: identity, subtrees, UPS, role, the rest.
n=$(q "select detail from c where address = \
    '$(ip 01-power-ups-card-huawei)' and probe = ''" |
    sed -n 's/.* varbinds in \([0-9]*\) requests.*/\1/p')
check "UPS card assessed in a few requests ($n)" test "${n:-99}" -le 12

# --- Neighbour tables on routers and bridges, in every sector -----------
finding() {	# ADDRESS-OR-MAC: asset|vendor|sector
	q "select asset, vendor, sector from f where address = '$1' or \
	    asset = '$1' order by vendor"
}
assert_eq "power router's ARP table: the camera" \
    "44:19:b6:60:06:31|Hikvision|power" "$(finding 10.60.20.31)"
assert_eq "located at the router" 1 \
    "$(q "select count(*) from f where address = '10.60.20.31' and \
    instr(evidence, 'rtr-sub-04 ($(ip 06-power-substation-router))') > 0")"
assert_eq "healthcare switch's bridge table: the camera" \
    "3c:e3:6b:70:07:05|Dahua|healthcare" "$(finding 3c:e3:6b:70:07:05)"
assert_eq "located at the switch port" 1 \
    "$(q "select count(*) from f where asset = '3c:e3:6b:70:07:05' and \
    instr(evidence, 'located: sw-ward-7 \
($(ip 07-health-ward-switch)) port5') > 0")"
assert_eq "the non-covered neighbours are no finding" "" \
    "$(finding 10.60.20.32)$(finding 00:40:8c:70:07:06)"
assert_eq "the field RTU's ARP table is not read" "" \
    "$(finding 10.60.9.99)$(finding 44:19:b6:80:08:99)"
assert_eq "no neighbour rows from the RTU" 0 \
    "$(q "select count(*) from i where address = \
    '$(ip 08-power-field-rtu)' and kind = 'neighbor'")"
assert_eq "RTU: arp not applicable" "ok|not applicable: not a router or \
bridge (sysServices, ipForwarding, dot1dBaseNumPorts, LLDP capabilities): \
tables not walked" "$(cov 08-power-field-rtu arp)"
assert_eq "RTU: what told (ipForwarding notForwarding)" "2" \
    "$(q "select value from i where address = '$(ip 08-power-field-rtu)' \
    and kind = 'system' and attr = 'forwarding'")"
assert_eq "router: its ARP table read" "ok|ipNetToPhysicalTable: table \
absent or empty; ipNetToMediaTable: 2 rows" \
    "$(cov 06-power-substation-router arp)"
assert_eq "switch: its bridge table read (dot1d)" 1 \
    "$(q "select count(*) from c where address = \
    '$(ip 07-health-ward-switch)' and probe = 'fdb' and status = 'ok' \
    and instr(detail, 'dot1dTpFdbTable: 2 rows') > 0")"

# --- ONUs behind the OLT -------------------------------------------------
olt=$(ip 09-telecom-olt-huawei)
assert_eq "Huawei ONUs found (by their GPON vendor id)" \
    "ONU HWTCA1B2C3D4 (farm-12 Smith)|Huawei|telecom
ONU HWTCA1B2C3E5 (clinic-7)|Huawei|telecom" \
    "$(q "select asset, vendor, sector from f where address like 'HWTC%' \
    order by address")"
assert_eq "located at OLT, PON port and ONU id" 1 \
    "$(q "select count(*) from f where address = 'HWTCA1B2C3E5' and \
    instr(evidence, 'located: olt-rural-9 ($olt) PON port GPON 0/1/1 \
(ifIndex 4194312448), ONU id 5') > 0")"
assert_eq "the evidence names the OLT's serial OID" 1 \
    "$(q "select count(*) from f where address = 'HWTCA1B2C3D4' and \
    instr(evidence, 'neighbor.vendorid \"HWTC\" \
(1.3.6.1.4.1.2011.6.128.1.1.2.43.1.3.4194312192.0)') > 0")"
assert_eq "the Alcatel-Lucent and FiberHome ONUs are no finding" 0 \
    "$(q "select count(*) from f where address in ('ALCLF00D0001', \
    'FHTTC0FFEE01')")"
assert_eq "every ONU is a discovered device" 4 \
    "$(q "select count(distinct address) from i where kind = 'neighbor' \
    and attr = 'vendorid' and channel = 'derived'")"
assert_eq "coverage: ONUs read per OLT" "ok|hwGponDeviceOntAuthInfoTable: 4 rows" \
    "$(cov 09-telecom-olt-huawei onu)"
assert_eq "coverage: ONUs located per OLT" \
    "4 ONUs read; 4 located as devices (with a GPON serial)" \
    "$(q "select detail from c where address = '$olt' and probe = 'onu' \
    and channel = 'derived'")"

# --- Generic identifiers: a lead, never a finding -------------------------
"$BANAUDIT" report --db a.db --format leads-csv --output leads.csv
assert_eq "report leads-csv exits 0" 0 $?
sqlite3 -batch q.db ".import --csv leads.csv l" 2>>import.err
assert_eq "the named Linux box is no finding" 0 \
    "$(q "select count(*) from f where address = \
    '$(ip 10-localgov-linux-named-huawei)'")"
assert_eq "... but a lead naming its sysName" "Huawei|low|1" \
    "$(q "select vendor, confidence, instr(evidence, 'huawei-pdu-3') > 0 \
    from l where address = '$(ip 10-localgov-linux-named-huawei)'")"
assert_eq "no other lead in the fleet" 1 "$(q "select count(*) from l")"
finish
