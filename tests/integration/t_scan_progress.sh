#!/bin/sh
# --progress=plain while no host finishes: a scheduled scan of a target
# that answers nothing still writes a log line every interval, with what
# is in flight (hosts in progress, requests sent), before the first host
# is done.  Untimed: the scan waits a minute per request, the test waits
# for the lines, then stops the scan with SIGTERM (exit 130, the run kept).
# And when the hosts finish within one interval, the log still ends with
# the last state (the line the interval held back).  Last, --dry-run's
# request counts are a lower bound of the requests a scan sends.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1

# A UDP port on loopback that swallows every request.
python3 -c "
import os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
open('$T/silent.port.tmp', 'w').write('%d' % s.getsockname()[1])
os.rename('$T/silent.port.tmp', '$T/silent.port')
time.sleep(600)" &
register_pid $!
wait_for test -s silent.port ||
    { fail "the silent port was not bound"; finish; }
{
	echo "address,sector,snmp_profile"
	echo "127.0.0.1:$(cat silent.port),power,v2c"
} > silent.csv
printf '[v2c]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets silent.csv --credentials creds.ini --db s.db \
    --probes system --timeout 60000 --retries 0 --quiet \
    --progress=plain:1 > s.out 2> s.err &
pid=$!
register_pid $pid
# Two lines, a second apart at least, while the one host is in progress.
# (s.err may not exist yet: the background scan's shell opens it; grep -c
# of stdin counts 0 then instead of failing the test.)
i=0
while [ "$(cat s.err 2>/dev/null | grep -c 'snmp: 0/1 hosts done')" \
    -lt 2 ] && [ $i -lt 600 ]
do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $pid
wait $pid
assert_eq "the stopped scan exits 130" 130 $?
check "two progress lines before the host finished" \
    test "$(grep -c 'snmp: 0/1 hosts done' s.err)" -ge 2
assert_contains "what is in flight: the host and its request" s.err \
    "^banaudit: progress: snmp: 0/1 hosts done, 0 assessed, 1 in progress, \
1 requests sent, [0-9.]+ s$"
assert_eq "both lines before the host finished (then the stop ended it)" \
    "0/1|0/1" "$(sed -n 's/^banaudit: progress: snmp: \([0-9]\/1\) .*/\1/p' \
    s.err | head -2 | tr '\n' '|' | sed 's/|$//')"

# Two answering hosts, done within the interval: the held-back line ends
# the log.
mkdir fleet
cp "$DATA/fleet/08-health-linux-kesl.snmprec" fleet/1-dev.snmprec
cp "$DATA/fleet/01-telecom-huawei-s6720.snmprec" fleet/2-dev.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$SNMPRESP_PORT,healthcare,v2c"
	echo "127.43.0.2:$SNMPRESP_PORT,healthcare,v2c"
} > two.csv
"$BANAUDIT" scan --targets two.csv --credentials creds.ini --db t.db \
    --probes system --quiet --progress=plain:3600 > t.out 2> t.err
assert_eq "the scan of two hosts exits 0" 0 $?
assert_eq "the first line at once, the last state at the end" \
    "snmp: 0/2 hosts done|snmp: 2/2 hosts done" \
    "$(sed -n 's/^banaudit: progress: \(snmp: [0-9]\/2 hosts done\).*/\1/p' \
    t.err | tr '\n' '|' | sed 's/|$//')"


# --dry-run's request counts are lower bounds: the same scan, every probe
# of the sector, sent at least as many requests as the plan said.
# 2026-12-05: the plan counted the neighbour tables of routers and
# bridges for a Linux host too (21 planned, 12 sent).
"$BANAUDIT" scan --targets two.csv --credentials creds.ini --dry-run \
    > plan.txt
assert_eq "the dry run exits 0" 0 $?
planned=$(sed -n 's/^totals: .*; at least \([0-9]*\) requests*;.*/\1/p' \
    plan.txt)
"$BANAUDIT" scan --targets two.csv --credentials creds.ini --db u.db \
    --quiet --progress=plain:3600 > u.out 2> u.err
assert_eq "the full scan exits 0" 0 $?
sent=$(grep '^banaudit: progress: snmp: 2/2 hosts done' u.err | tail -1 |
    sed 's/.* \([0-9]*\) requests sent.*/\1/')
check "the plan counts requests (${planned:-none})" \
    test "${planned:-0}" -gt 2
check "a scan sent at least the planned $planned (${sent:-none})" \
    test "${sent:-0}" -ge "${planned:-1}"
assert_eq "both hosts assessed" 2 \
    "$(sqlite3 u.db "select count(*) from coverage where probe = '' and \
    status = 'ok'")"
assert_contains "the plan says its counts are the fewest" plan.txt \
    "^The request counts are the fewest"

finish
