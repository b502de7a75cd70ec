#!/bin/sh
# An answer counts only for the host it was asked of.  SNMPv1/v2c hosts
# share a few sockets (collectors/snmp_shared.c), where net-snmp matches an
# answer to its request by request id alone; snmpresp --forge-from-next
# answers every request first with a forgery -- the next device's data,
# with the request's id, from the next device's address -- then with the
# real answer.  Every host must be assessed with its own identity (the
# forgery ignored, the real answer still taken), at a concurrency that
# puts all of them on one socket and at one that gives each block its own.
# Addresses with no agent, between them, are still "unreachable" (the
# ICMP error comes back on the shared socket's error queue, IP_RECVERR),
# and never another host's: a pending ICMP error fails the socket's next
# send, whoever it is for.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
N=80
"$TOOLS/genfleet" -n "$N" -m 0 -p 0 -b 0 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start fleet --forge-from-next ||
    { fail "snmpresp did not start"; finish; }
assert_eq "snmpresp serves every host" "$N" "$(wc -l < snmpresp.map)"
# The map lists "hostNNNNN ADDRESS:PORT"; an address beyond the fleet has
# no agent on the port: one after every other host.
M=$((N / 2))
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" -v net="$SNMPRESP_NET" -v n="$N" \
	    -v p="$SNMPRESP_PORT" '{ print $2 s }
	    NR % 2 == 0 { printf "%s.%d:%s%s\n", net, n + 10 + NR / 2, p, s }' \
	    snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

for conc in 200 16; do
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "c$conc.db" --probes system --rate 0 --concurrency "$conc" \
	    --timeout 2000 --retries 2 --quiet 2> "scan$conc.err"
	assert_eq "concurrency $conc: scan exits 0" 0 $?
	"$BANAUDIT" report --db "c$conc.db" --format inventory-csv \
	    --output "inv$conc.csv"
	"$BANAUDIT" report --db "c$conc.db" --format coverage-csv \
	    --output "cov$conc.csv"
	sqlite3 -batch "r$conc.db" ".import --csv inv$conc.csv i" \
	    ".import --csv cov$conc.csv c"
	q() {
		sqlite3 -batch "r$conc.db" "$1"
	}
	assert_eq "concurrency $conc: every host ok" "$N" \
	    "$(q "select count(*) from c where probe = '' and \
	    status = 'ok'")"
	# Each host's sysName is its own: map line "hostNNNNN ADDR".
	awk '{ print $2 "|" $1 }' snmpresp.map | sort > want.txt
	q "select address || '|' || value from i where kind = 'system' \
	    and attr = 'name'" | sort > "got$conc.txt"
	assert_eq "concurrency $conc: every sysName is the host's own" "" \
	    "$(diff want.txt "got$conc.txt")"
	assert_eq "concurrency $conc: every address with no agent" \
	    "unreachable|$M" "$(q "select status || '|' || count(*) from c \
	    where probe = '' and status != 'ok' group by status")"
done
finish
