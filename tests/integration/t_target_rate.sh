#!/bin/sh
# Request rates.  A sector's per-device rate (sectors/power.ini: 5 a
# second, healthcare.ini: 20) holds whatever the global --rate; telecom has
# none of its own.  The global --rate N caps all targets together, and
# --rate 0 is no cap at all.  One device is scanned as a power, a
# healthcare and a telecom target, all answered by our snmpresp.
#
# M requests 1/R s apart take at least (M - 1) / R s: a lower bound on the
# elapsed time, which a slow machine cannot break; 90 % of it is asserted,
# so that no clock rounding or measuring point decides (a margin of
# milliseconds), and it is still far above the next faster rate.  The
# unthrottled cases are bounded by half of the next slower rate's minimum
# (hundreds of milliseconds for a few loopback requests), so that a
# load-induced delay does not fail them but a wrong rate does.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/1-power.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/2-telecom.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/3-health.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$P,power,fixture"
	echo "127.43.0.2:$P,telecom,fixture"
	echo "127.43.0.3:$P,healthcare,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# scan DB RATE [SECTOR]: one scan, its coverage in DB.csv.
scan() {
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$1.db" --probes system,interfaces,arp,cdp --rate "$2" \
	    --timeout 2000 --quiet ${3:+--sector "$3"}
	assert_eq "scan --rate $2 ${3:-} exits 0" 0 $?
	"$BANAUDIT" report --db "$1.db" --format coverage-csv \
	    --output "$1.csv"
	sqlite3 -batch "c-$1.db" ".import --csv $1.csv c"
}
requests() {	# DB ADDRESS:PORT: requests sent to it (the channel row's detail)
	sqlite3 "c-$1.db" "select detail from c where address = '$2' and \
	    probe = '' and channel = 'snmp'" |
	    sed -n 's/.* varbinds in \([0-9]*\) requests*.*/\1/p'
}
elapsed() {	# DB ADDRESS:PORT
	sqlite3 "c-$1.db" "select elapsed_ms from c where address = '$2' and \
	    probe = '' and channel = 'snmp'"
}

scan a 2000
m=$(requests a "127.43.0.1:$P")
check "power: enough requests to measure ($m)" test "${m:-0}" -ge 5
assert_eq "the same requests as telecom" "$m" "$(requests a "127.43.0.2:$P")"
assert_eq "the same requests as healthcare" "$m" "$(requests a "127.43.0.3:$P")"
assert_eq "all assessed" 3 "$(sqlite3 c-a.db "select count(*) from c where \
    probe = '' and status = 'ok'")"
pmin=$(( (m - 1) * 200 * 9 / 10 ))
hmin=$(( (m - 1) * 50 * 9 / 10 ))
e=$(elapsed a "127.43.0.1:$P")
check "power: $m requests took ${e} ms >= $pmin ms (5 a second)" \
    test "${e:-0}" -ge "$pmin"
e=$(elapsed a "127.43.0.3:$P")
check "healthcare: $m requests took ${e} ms >= $hmin ms (20 a second)" \
    test "${e:-0}" -ge "$hmin"
check "healthcare: ${e} ms < $((pmin / 2)) ms (not power's rate)" \
    test "${e:-999999}" -lt $((pmin / 2))
e=$(elapsed a "127.43.0.2:$P")
check "telecom: ${e} ms < $((hmin / 2)) ms (no rate of its own)" \
    test "${e:-999999}" -lt $((hmin / 2))

# The global rate: 10 a second over the telecom target alone; at most
# one token saved up, so M requests take at least (M - 2) / 10 s.
scan g 10 telecom
e=$(elapsed g "127.43.0.2:$P")
gmin=$(( (m - 2) * 100 * 9 / 10 ))
check "--rate 10: $m requests took ${e} ms >= $gmin ms" \
    test "${e:-0}" -ge "$gmin"
# --rate 0: no cap at all.
scan z 0 telecom
e=$(elapsed z "127.43.0.2:$P")
check "--rate 0: ${e} ms < $((gmin / 2)) ms (unthrottled)" \
    test "${e:-999999}" -lt $((gmin / 2))
finish
