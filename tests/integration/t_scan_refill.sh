#!/bin/sh
# A slot freed outside the socket wait takes the next target at once.
# 20 devices that never answer (snmpresp --drop-every 1), one at a time
# (--concurrency 1), --timeout 20 --retries 0: each host ends on its
# timer, not on a read.  The loop used to go back to epoll_wait after
# the timers without starting the next target, and slept to the end of
# the scan's poll interval (200 ms): each next request came about 200 ms
# after the one before (20 hosts: 3.9 s).  Now it comes when the timeout
# has passed.  Measured where the requests arrive (snmpresp
# --request-log, a monotonic clock), as the median gap between one
# host's request and the next: about 20 ms now, about 200 ms with the
# stall.  The median is not moved by a few late wake-ups under load, nor
# by the scan's start-up (a sanitizer build starts slowly).  The same
# stall held back the next batch whenever the first sweep of the shared
# sockets read every answer of a batch (an identity scan lost 0.1-0.2 s
# of wall time at its start).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
N=20
"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start fleet --drop-every 1 --request-log "$T/requests.log" ||
    { fail "snmpresp did not start"; finish; }
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" '{ print $2 s }' snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --rate 0 --concurrency 1 --timeout 20 --retries 0 \
    --quiet 2> scan.err
assert_eq "scan exits 0 (nothing assessed is not an error)" 0 $?
q() {
	sqlite3 -batch a.db "$1"
}
assert_eq "every host timed out" "$N" \
    "$(q "select count(*) from coverage where channel = 'snmp' and \
    probe = '' and status = 'timeout'")"
assert_eq "one request per host" "$N" "$(wc -l < requests.log)"
# Gaps between consecutive requests (microseconds), their median in ms.
gap=$(awk '{ print $2 }' requests.log | sort -n |
    awk 'NR > 1 { print $1 - p } { p = $1 }' | sort -n |
    awk '{ g[NR] = $1 } END { printf "%d", g[int((NR + 1) / 2)] / 1000 }')
echo "median gap between hosts: $gap ms (timeout 20 ms)" >&2
check "the next host starts when one times out (median gap $gap ms < \
100 ms; the stall made it about 200)" test "$gap" -lt 100
finish
