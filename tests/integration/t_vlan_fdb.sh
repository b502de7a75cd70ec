#!/bin/sh
# Per-VLAN bridge tables (tests/data/vlanfdb/README.md): Cisco-style
# switches keep one dot1dTpFdbTable per VLAN, read with community@VLAN.
# snmpsimd serves each VLAN's table to COMMUNITY@VLAN (NAME.ctx/VLAN.snmprec)
# at its default response cap of 64 varbinds, and no answer to any other
# community:
#   - a switch whose VLAN list (vtpVlanState) names 1, 10, 20, a suspended
#     30 and the reserved 1002: the Hikvision camera learned only in VLAN
#     20's table is found and located at switch, port and VLAN 20; VLAN 1
#     is the default context's; 30 and 1002 are not read;
#   - a switch that answers no VLAN community: coverage says which VLAN
#     contexts did not answer, and two in a row stop the rest;
#   - a switch with 70 VLANs: 64 contexts read (the cap), coverage partial;
#   - a Q-BRIDGE switch: dot1qTpFdbTable has every VLAN, no contexts read;
#   - over SNMPv3 (snmpsimd serving contexts vlan-N): the same switch read
#     in contexts vlan-10 and vlan-20;
#   - the community never appears in the database, a report or a log.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

# 70 VLAN contexts of the third switch, generated rather than committed.
cp -R "$DATA/vlanfdb" "$T/data" || { fail "copy fixtures"; finish; }
mkdir -p "$T/data/03-cisco-many-vlans.ctx"
v=100
while [ $v -le 169 ]; do
	printf '%s\n%s\n' "1.3.6.1.2.1.17.1.4.1.2.8|2|10108" \
	    "1.3.6.1.2.1.17.4.3.1.2.0.64.140.3.$((v - 100)).8|2|8" \
	    > "$T/data/03-cisco-many-vlans.ctx/$v.snmprec"
	v=$((v + 1))
done

COMM=$(random_secret)
SNMPSIM_COMMUNITY=$COMM SNMPSIM_CAP=64 snmpsim_start "$T/data" ||
    { fail "snmpsimd did not start"; finish; }
cd "$T" || exit 1

# The fixture serves what the test expects: VLAN 20 answers to
# COMMUNITY@20, and an unknown VLAN community gets no answer.
printf '%s@20\n' "$COMM" > "$T/snmpc/community20"
snmp_client_conf "$T/snmpc20" "$T/snmpc/community20"
check "fixture: VLAN 20's table answers to community@20" \
    sh -c "SNMPCONFPATH=$T/snmpc20 SNMP_PERSISTENT_DIR=$T/snmpc20/persist \
    MIBS= snmpwalk -On -t 1 -r 0 \
    $(fleet_addr 01-cisco-vlans) 1.3.6.1.2.1.17.4.3.1.2 | grep -q '= INT'"

{
	echo "address,sector,site,owner,criticality,snmp_profile"
	while read -r name addr; do
		echo "$addr,localgov,Site $name,Owner,3,fixture"
	done < fleet.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = %s\n' "$COMM" > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 500 --retries 1 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?

"$BANAUDIT" report --db a.db --format csv --output findings.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
"$BANAUDIT" report --db a.db --format html --output r.html
rm -f q.db
sqlite3 -batch q.db ".import --csv findings.csv f" \
    ".import --csv cov.csv c" ".import --csv inv.csv i" 2>import.err
assert_eq "reports parse" "" "$(cat import.err)"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}
cov() {	# DEVICE PROBE: status|detail
	q "select status, detail from c where address = \
	    '$(fleet_addr "$1")' and probe = '$2' and channel = 'snmp'"
}

# --- A camera only in VLAN 20's bridge table -----------------------------
assert_eq "the camera of VLAN 20 is found" "44:19:b6:20:20:05|Hikvision" \
    "$(q "select asset, vendor from f where asset like '44:19:b6:20:20:05%'")"
assert_eq "located at switch, port and VLAN 20" 1 \
    "$(q "select count(*) from f where asset like '44:19:b6:20:20:05%' and \
    instr(evidence, 'located: sw-cityhall-1 \
($(fleet_addr 01-cisco-vlans)) Gi1/0/5, VLAN 20') > 0")"
assert_eq "VLAN 10's Axis device is no finding" 0 \
    "$(q "select count(*) from f where asset like '00:40:8c:%'")"
assert_eq "the rows carry their VLAN" "10|20" \
    "$(q "select group_concat(value, '|') from (select distinct value \
    from i where address = '$(fleet_addr 01-cisco-vlans)' and \
    kind = 'neighbor' and attr = 'vlan' order by value)")"
assert_eq "vlan-fdb coverage of the VLAN switch" \
    "ok|vtpVlanState: 5 rows; VLAN contexts (community@VLAN): 2 of 2 read, \
2 FDB rows" "$(cov 01-cisco-vlans vlan-fdb)"
assert_eq "the default context is still VLAN 1's" \
    "ok|dot1qTpFdbTable: table absent or empty; dot1dTpFdbTable: 1 row; \
dot1qVlanCurrentTable: table absent or empty" "$(cov 01-cisco-vlans fdb)"

# --- A switch that answers no VLAN community ------------------------------
assert_eq "no answer in VLAN contexts: partial, which ones" \
    "partial|vtpVlanState: 3 rows; VLAN contexts (community@VLAN): 0 of 3 \
read, 0 FDB rows; no answer in VLAN 10, 20; 1 not tried: 2 contexts in a \
row did not answer" "$(cov 02-cisco-refuses vlan-fdb)"
assert_eq "its default bridge table is read" "ok|dot1qTpFdbTable: table \
absent or empty; dot1dTpFdbTable: 1 row; dot1qVlanCurrentTable: table \
absent or empty" "$(cov 02-cisco-refuses fdb)"
assert_eq "the host is still assessed" "ok" \
    "$(q "select status from c where address = \
    '$(fleet_addr 02-cisco-refuses)' and probe = 'system'")"

# --- 70 VLANs: the cap -----------------------------------------------------
assert_eq "70 VLANs: 64 contexts read, partial" \
    "partial|vtpVlanState: 70 rows; VLAN contexts (community@VLAN): 64 of \
70 read, 64 FDB rows; 6 beyond the cap of 64 not read" \
    "$(cov 03-cisco-many-vlans vlan-fdb)"
assert_eq "64 VLAN contexts' rows stored" 64 \
    "$(q "select count(distinct item) from i where address = \
    '$(fleet_addr 03-cisco-many-vlans)' and item like 'fdb.v%' and \
    attr = 'bridgeport'")"

# --- Q-BRIDGE: no contexts -------------------------------------------------
assert_eq "Q-BRIDGE switch: vlan-fdb not applicable" \
    "ok|not applicable: dot1qTpFdbTable holds every VLAN's entries" \
    "$(cov 04-qbridge vlan-fdb)"

# --- SNMPv3: context "vlan-N" ----------------------------------------------
# snmpsimd without --v2c-arch serves SNMPv3: context "" is
# data/1.3.6.1.6.1.1.0.snmprec, context vlan-N is data/vlan-N/...; any
# other context gets no answer.  The user's passphrase is in its args file.
V3=$T/v3sim
mkdir -p "$V3/data/vlan-10" "$V3/data/vlan-20" "$V3/cache"
cp "$DATA/vlanfdb/01-cisco-vlans.snmprec" "$V3/data/1.3.6.1.6.1.1.0.snmprec"
cp "$DATA/vlanfdb/01-cisco-vlans.ctx/10.snmprec" \
    "$V3/data/vlan-10/1.3.6.1.6.1.1.0.snmprec"
cp "$DATA/vlanfdb/01-cisco-vlans.ctx/20.snmprec" \
    "$V3/data/vlan-20/1.3.6.1.6.1.1.0.snmprec"
V3PASS=$(random_secret)
(
	umask 077
	printf '%s\n' "--v3-user=auditor" "--v3-auth-key=$V3PASS" \
	    "--v3-auth-proto=SHA" "--logging-method=null" \
	    "--agent-udpv4-endpoint=127.42.0.200:0" > "$V3/args"
)
set -- --data-dir="$V3/data" --cache-dir="$V3/cache" \
    --args-from-file="$V3/args"
if [ "$(id -u)" -eq 0 ]; then
	chown -R nobody:nogroup "$V3"
	set -- "$@" --process-user=nobody --process-group=nogroup
fi
# Port 0: one endpoint, so the kernel's port is read back from its socket.
snmpsimd "$@" > "$V3/log" 2>&1 &
V3PID=$!
register_pid $V3PID
V3PORT=$(bound_port $V3PID udp) ||
    { fail "snmpsimd (v3) did not bind"; cat "$V3/log" >&2; finish; }
printf 'address,sector,site,owner,criticality,snmp_profile\n%s\n' \
    "127.42.0.200:$V3PORT,localgov,Site v3,Owner,3,v3" > v3targets.csv
printf '[v3]\nsnmp_version = 3\nusername = auditor\nauth_protocol = SHA\n%s\n' \
    "auth_passphrase = $V3PASS" > v3creds.ini
chmod 0600 v3creds.ini
# snmpsimd indexes its files before it answers.
i=0
until "$BANAUDIT" scan --targets v3targets.csv --credentials v3creds.ini \
    --db v3.db --probes system --timeout 300 --retries 0 --quiet \
    >/dev/null 2>&1 && "$BANAUDIT" report --db v3.db --format \
    coverage-csv 2>/dev/null | grep -q ',snmp,system,ok,'; do
	i=$((i + 1))
	[ $i -gt 200 ] && break		# about 60 s, as for the other peers
	rm -f v3.db
	sleep 0.25
done
rm -f v3.db
"$BANAUDIT" scan --targets v3targets.csv --credentials v3creds.ini \
    --db v3.db --timeout 500 --retries 1 >v3scan.out 2>v3scan.err
assert_eq "v3 scan exits 0" 0 $?
"$BANAUDIT" report --db v3.db --format csv --output v3f.csv
"$BANAUDIT" report --db v3.db --format coverage-csv --output v3c.csv
sqlite3 -batch q.db ".import --csv v3f.csv f3" ".import --csv v3c.csv c3"
assert_eq "v3: vlan-fdb read in contexts vlan-10 and vlan-20" \
    "ok|vtpVlanState: 5 rows; VLAN contexts (SNMPv3 vlan-N): 2 of 2 read, \
2 FDB rows" "$(q "select status, detail from c3 where probe = 'vlan-fdb' \
    and channel = 'snmp'")"
assert_eq "v3: the camera of VLAN 20 is found and located" 1 \
    "$(q "select count(*) from f3 where asset like '44:19:b6:20:20:05%' \
    and instr(evidence, 'Gi1/0/5, VLAN 20') > 0")"
for f in v3.db v3scan.out v3scan.err v3f.csv v3c.csv; do
	assert_eq "no passphrase in $f" 0 "$(grep -ac -- "$V3PASS" "$f")"
done

# --- The community is a secret ---------------------------------------------
for f in a.db scan.out scan.err findings.csv cov.csv inv.csv r.html; do
	assert_eq "no community in $f" 0 "$(grep -ac -- "$COMM" "$f")"
done

finish
