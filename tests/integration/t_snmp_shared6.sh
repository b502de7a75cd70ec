#!/bin/sh
# IPv6 SNMPv1/v2c hosts share sockets as IPv4 ones do, under the same
# rules (t_snmp_forged): an answer counts only from the address and port
# asked, an ICMPv6 error only for the host it names.  Every device is
# snmpresp on [::1] with a port of its own; --forge-from-next answers each
# request first from the next device's address and port with that
# device's data, then with the real answer.  Between the devices, ports
# on ::1 where nothing answers (a UDP socket connected to itself: anyone
# else's datagram gets ICMPv6 port unreachable) must be "unreachable",
# never another host.  At a concurrency that puts every host on one
# socket and at one that gives each block its own; then under an
# open-files limit of 128 with 120 targets, which hosts with sockets of
# their own could not all have at once.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
if ! python3 -c 'import socket; s = socket.socket(socket.AF_INET6,
    socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	skip_test "no IPv6 loopback (::1) on this machine"
fi
N=80
M=$((N / 2))
"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
set --
for f in fleet/*.snmprec; do
	set -- "$@" --listen "[::1]:0=$f"
done
"$TOOLS/snmpresp" "$@" --forge-from-next --ready-file ready \
    2> snmpresp.log &
register_pid $!
wait_for test -s ready || { cat snmpresp.log >&2
	fail "snmpresp did not start"; finish; }
assert_eq "snmpresp serves every device on ::1" "$N" \
    "$(grep -c '^\[::1\]:[1-9][0-9]* ' ready)"

# M ports on ::1 that refuse everything, held for the whole test.
python3 -c '
import os, socket, sys, time
n, path = int(sys.argv[1]), sys.argv[2]
socks = []
for i in range(n):
	s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	s.bind(("::1", 0))
	s.connect(("::1", s.getsockname()[1]))
	socks.append(s)
with open(path + ".tmp", "w") as f:
	for s in socks:
		f.write("%d\n" % s.getsockname()[1])
os.rename(path + ".tmp", path)
while True:
	time.sleep(3600)
' "$M" closed6 &
register_pid $!
wait_for test -s closed6 || { fail "no closed ports"; finish; }

# Devices in file order ("[::1]:PORT fleet/hostNNNNN.snmprec"), a closed
# port after every other one.
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" 'NR == FNR { closed[FNR] = $1; next }
	    { print $1 s }
	    FNR % 2 == 0 { printf "[::1]:%s%s\n", closed[FNR / 2], s }' \
	    closed6 ready
} > targets.csv
assert_eq "targets: devices and closed ports" $((N + M + 1)) \
    "$(wc -l < targets.csv)"
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
# The map: "[::1]:PORT|hostNNNNN" for each device.
sed 's|^\(\[::1\]:[0-9]*\) fleet/\(.*\)\.snmprec$|\1\|\2|' ready |
    sort > want.txt

for conc in 200 16; do
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "c$conc.db" --probes system --rate 0 --concurrency "$conc" \
	    --timeout 2000 --retries 2 --quiet 2> "scan$conc.err"
	assert_eq "concurrency $conc: scan exits 0" 0 $?
	q() {
		sqlite3 -batch "c$conc.db" "$1"
	}
	assert_eq "concurrency $conc: every device ok" "$N" \
	    "$(q "select count(*) from coverage where probe = '' and \
	    status = 'ok'")"
	q "select rh.address || '|' || cast(o.value as text) from \
	    observations o join run_hosts rh on rh.run_id = o.run_id and \
	    rh.host_id = o.host_id where o.kind = 'system' and \
	    o.attr = 'name'" | sort > "got$conc.txt"
	assert_eq "concurrency $conc: every sysName is the device's own" "" \
	    "$(diff want.txt "got$conc.txt")"
	assert_eq "concurrency $conc: every closed port unreachable" \
	    "unreachable|$M" "$(q "select status || '|' || count(*) from \
	    coverage where probe = '' and status != 'ok' group by status")"
done

(
	ulimit -n 128
	exec "$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db lim.db --probes system --rate 0 --concurrency 200 \
	    --timeout 2000 --retries 2 --quiet 2> lim.err
)
assert_eq "open-files limit 128: scan exits 0" 0 $?
assert_eq "open-files limit 128: every device ok" "$N" \
    "$(sqlite3 -batch lim.db "select count(*) from coverage where \
    probe = '' and status = 'ok'")"
assert_eq "open-files limit 128: concurrency not limited" 0 \
    "$(sqlite3 -batch lim.db "select count(*) from coverage where \
    detail like '%concurrency limited%'")"
finish
