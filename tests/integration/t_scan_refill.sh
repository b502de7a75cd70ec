#!/bin/sh
# A slot freed outside the socket wait takes the next target at once.
# 20 devices that never answer (snmpresp --drop-every 1), one at a time
# (--concurrency 1), --timeout 20 --retries 0: each host ends on its
# timer, not on a read.  The loop used to go back to epoll_wait after
# the timers without starting the next target, and slept to the end of
# the scan's poll interval (200 ms): 20 hosts took 4 s or more.  Now each
# takes its 20 ms timeout: the scan must finish well inside 2.5 s (about
# 0.5 s on a quiet machine).  The same stall held back the next batch
# whenever the first sweep of the shared sockets read every answer of a
# batch (an identity scan lost 0.1-0.2 s of wall time at its start).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
N=20
"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start fleet --drop-every 1 ||
    { fail "snmpresp did not start"; finish; }
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" '{ print $2 s }' snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

t0=$(date +%s.%N)
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --rate 0 --concurrency 1 --timeout 20 --retries 0 \
    --quiet 2> scan.err
rc=$?
t1=$(date +%s.%N)
assert_eq "scan exits 0 (nothing assessed is not an error)" 0 "$rc"
q() {
	sqlite3 -batch a.db "$1"
}
assert_eq "every host timed out" "$N" \
    "$(q "select count(*) from coverage where channel = 'snmp' and \
    probe = '' and status = 'timeout'")"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "$N silent hosts, one at a time: $secs s" >&2
check "no stall after a timed-out host ($secs s < 2.5 s for $N x 20 ms)" \
    awk -v s="$secs" 'BEGIN { exit !(s < 2.5) }'
finish
