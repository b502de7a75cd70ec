#!/bin/sh
# One IP, three ports, three targets (issue 12, defect 1; 2026-12-05: the
# hosts were keyed on the IP alone, so a dead port and two live devices
# behind one port-forwarding address became one host, and both findings
# were filed under the dead target's sector and site).  The target key is
# address and port: three hosts in the store, in coverage, in the findings
# and in the HTML.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir huawei hik
cp "$DATA/fleet/01-telecom-huawei-s6720.snmprec" huawei/
cp "$DATA/fleet/10-localgov-hikvision-cam.snmprec" hik/
snmpresp_start huawei || { fail "snmpresp (huawei) did not start"; finish; }
p1=$SNMPRESP_PORT
snmpresp_start hik || { fail "snmpresp (hikvision) did not start"; finish; }
p2=$SNMPRESP_PORT
# The dead target: a port held closed (no race with other tests).
closed_port udp || { fail "no closed port"; finish; }
p3=$CLOSED_PORT
ip=$SNMPRESP_NET.1
{
	echo "address,sector,site,snmp_profile"
	echo "$ip:$p3,power,DEAD,p"
	echo "$ip:$p1,telecom,HUAWEI,p"
	echo "$ip:$p2,localgov,CAMERA,p"
} > targets.csv
printf '[p]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 300 --retries 0 >scan.out 2>scan.err
assert_eq "scan exits 0" 0 $?
assert_contains "3 targets, 2 assessed" scan.err "3 targets, 2 assessed"

q() {
	sqlite3 -batch a.db "$1"
}
# (The Huawei switch's neighbour tables add discovered hosts: not counted.)
polled="select count(distinct r.host_id) from run_hosts r join hosts h \
    on h.id = r.host_id where h.discovered = 0"
assert_eq "three hosts" 3 "$(q "$polled")"
for p in $p1 $p2 $p3; do
	assert_eq "keyed on address and port $p" 1 \
	    "$(q "select count(*) from host_keys where key = 'addr:$ip:$p'")"
done

"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
assert_eq "coverage report exits 0" 0 $?
for s in DEAD HUAWEI CAMERA; do
	assert_contains "coverage has $s" cov.csv ",$s,"
done
assert_contains "the dead port is not assessed" cov.csv \
    "$ip:$p3,.*(timeout|unreachable)"

"$BANAUDIT" report --db a.db --format csv --output f.csv
assert_eq "findings report exits 0" 0 $?
assert_contains "Huawei filed under its own target" f.csv \
    "telecom,HUAWEI,.*,$ip:$p1,Huawei"
assert_contains "Hikvision filed under its own target" f.csv \
    "localgov,CAMERA,.*,$ip:$p2,Hikvision"
assert_not_contains "nothing filed under the dead target" f.csv ",DEAD,"

"$BANAUDIT" report --db a.db --format html --output r.html
assert_eq "HTML report exits 0" 0 $?
assert_contains "the HTML names the dead target" r.html "$ip:$p3"

# Merged centrally, they stay three hosts.
"$BANAUDIT" merge --db central.db a.db >merge.out 2>&1
assert_eq "merge exits 0" 0 $?
assert_eq "three hosts after merge" 3 "$(sqlite3 -batch central.db \
    "$polled")"
finish
