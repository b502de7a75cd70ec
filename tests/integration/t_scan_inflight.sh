#!/bin/sh
# No false timeouts under load: 3,000 loopback hosts (genfleet, answered by
# our snmpresp, which answers everything) scanned all at once
# (--concurrency 3000, --rate 0) with a 100 ms request timeout.  Opening
# and sending to 3,000 sessions takes the loop longer than that, so most
# answers wait in their sockets past their deadline before the loop reads
# them; an answer that arrived must be read, not called a timeout.  Every
# host must be assessed.  Not timed: the retries (5) cover a responder that
# is itself starved of CPU for a while (CI runs two tests at once, and the
# SAN build's responder is several times slower): a retry is the same
# request, so the answer to any try counts, and a responder working
# through its queue is waited for, not flooded into a timeout.  No bound
# on the elapsed time is asserted.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
N=3000
# Each host is a socket on both sides: stay inside the open-files limit.
lim=$(ulimit -n)
if [ "$lim" != unlimited ] && [ "$lim" -lt $((N + 256)) ]; then
	N=$((lim - 256))
	echo "open-files limit $lim: $N hosts" >&2
fi
check "enough hosts to overload the loop ($N)" test "$N" -ge 700

"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
assert_eq "snmpresp serves every host" "$N" "$(wc -l < snmpresp.map)"
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" '{ print $2 s }' snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --rate 0 --concurrency "$N" --timeout 100 \
    --retries 5 --quiet 2> scan.err
assert_eq "scan exits 0" 0 $?
q() {
	sqlite3 -batch a.db "$1"
}
assert_eq "the run is complete" complete "$(q "select status from runs")"
assert_eq "every host in the run" "$N" "$(q "select count(*) from run_hosts")"
assert_eq "every host assessed (channel row ok)" "$N" \
    "$(q "select count(*) from coverage where channel = 'snmp' and \
    probe = '' and status = 'ok'")"
assert_eq "no timeout anywhere" 0 \
    "$(q "select count(*) from coverage where status = 'timeout'")"
assert_eq "every host's sysName stored" "$N" \
    "$(q "select count(distinct host_id) from observations where \
    kind = 'system' and attr = 'name'")"
finish
