#!/bin/sh
# snmpresp --shared-socket: every IPv4 device on one wildcard socket per
# port, so that a fleet larger than the open-files limit can be served
# (the 50,000-host identity series of make bench).  A request goes to the
# device of its destination address and is answered from that address:
# with --forge-from-next each device first answers with the next device's
# data from the next device's address, which banaudit must ignore; every
# host then has its own sysName.  Here 300 devices are served under an
# open-files limit of 128 (a socket each would need 300).  An address
# that is no device gets no answer (a timeout, not port unreachable) and
# is counted.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
N=300
"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
# Soft and hard: snmpresp raises its soft limit to the hard one.
ulimit -n 128
snmpresp_start fleet --shared-socket --forge-from-next ||
    { fail "snmpresp did not start"; finish; }
assert_eq "snmpresp serves every host under 128 open files" "$N" \
    "$(wc -l < snmpresp.map)"
assert_eq "one port for all" 1 \
    "$(awk '{ sub(/.*:/, "", $2); print $2 }' snmpresp.map | sort -u |
    wc -l)"
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" '{ print $2 s }' snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --rate 0 --concurrency "$N" --timeout 2000 \
    --retries 2 --quiet 2> scan.err
assert_eq "scan exits 0" 0 $?
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
sqlite3 -batch r.db ".import --csv inv.csv i" ".import --csv cov.csv c"
q() {
	sqlite3 -batch r.db "$1"
}
assert_eq "every host ok" "$N" \
    "$(q "select count(*) from c where probe = '' and status = 'ok'")"
awk '{ print $2 "|" $1 }' snmpresp.map | sort > want.txt
q "select address || '|' || value from i where kind = 'system' and \
    attr = 'name'" | sort > got.txt
assert_eq "every sysName is the host's own (forgeries ignored)" "" \
    "$(diff want.txt got.txt)"

# An address on the port that no device has: no answer at all.
{
	echo "address,sector,snmp_profile"
	echo "${SNMPRESP_NET%.*}.200.1:$SNMPRESP_PORT,telecom,fixture"
} > stray.csv
"$BANAUDIT" scan --targets stray.csv --credentials creds.ini --db s.db \
    --probes system --rate 0 --timeout 300 --retries 0 --quiet \
    2> stray.err
assert_eq "the address with no device: timeout" timeout \
    "$(sqlite3 -batch s.db "select status from coverage where \
    probe = ''")"
before=$(wc -l < snmpresp.log)
kill -USR1 "$SNMPRESP_PID"
i=0
while [ "$(wc -l < snmpresp.log)" -le "$before" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "snmpresp counts the datagram to no device" \
    grep -q 'shared sockets 1, to no device 1,' snmpresp.log
finish
