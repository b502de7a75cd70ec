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
# milliseconds), and it is still far above the next faster rate.
#
# No upper bound on any time.  That a target is not held to a slower rate
# is counted where it shows, at the device (snmpresp --request-log, as in
# t_rate_ceiling): the most requests it got in any one second.  At a rate
# R that count is at most R + 2 however slow the machine (requests are
# only ever read later than they were sent), so more than 7 cannot be
# power's 5/s, and more than 22 is neither power's nor healthcare's 20/s
# nor --rate 10: the unthrottled case.  Unthrottled, the whole scan of
# about 26 loopback requests takes some milliseconds; 23 of them in one
# second is a factor of ten and more below what an idle machine does.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/1-power.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/2-telecom.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/3-health.snmprec
snmpresp_start fleet --request-log "$T/requests.log" ||
    { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$P,power,fixture"
	echo "127.43.0.2:$P,telecom,fixture"
	echo "127.43.0.3:$P,healthcare,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# scan DB RATE [SECTOR]: one scan, its coverage in DB.csv, the requests
# each device got in $T/requests-DB.log.  Small GETBULKs (2 repetitions):
# about 26 requests a target, enough to count.
scan() {
	: > "$T/requests.log"
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$1.db" --probes system,interfaces,arp,cdp --rate "$2" \
	    --max-repetitions 2 --timeout 2000 --quiet ${3:+--sector "$3"}
	assert_eq "scan --rate $2 ${3:-} exits 0" 0 $?
	"$BANAUDIT" report --db "$1.db" --format coverage-csv \
	    --output "$1.csv"
	sqlite3 -batch "c-$1.db" ".import --csv $1.csv c"
	cp "$T/requests.log" "$T/requests-$1.log"
}
# most DB ADDRESS:PORT: the most requests the device got in one second.
most() {
	most_per_second "$T/requests-$1.log" "$2"
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
check "power: enough requests to count ($m > 22)" test "${m:-0}" -gt 22
assert_eq "the same requests as telecom" "$m" "$(requests a "127.43.0.2:$P")"
assert_eq "the same requests as healthcare" "$m" "$(requests a "127.43.0.3:$P")"
assert_eq "all assessed" 3 "$(sqlite3 c-a.db "select count(*) from c where \
    probe = '' and status = 'ok'")"
pmin=$(( (m - 1) * 200 * 9 / 10 ))
hmin=$(( (m - 1) * 50 * 9 / 10 ))
e=$(elapsed a "127.43.0.1:$P")
check "power: $m requests took ${e} ms >= $pmin ms (5 a second)" \
    test "${e:-0}" -ge "$pmin"
# 2026-12-05: every probe row repeated the channel's total time.  Each
# probe has its own time now: together no more than the channel's.
sum=$(sqlite3 c-a.db "select sum(elapsed_ms) from c where address = \
    '127.43.0.1:$P' and probe <> '' and channel = 'snmp'")
check "per-probe times add up to at most the channel's ($sum <= $e)" \
    test "${sum:-0}" -le "${e:-0}"
check "per-probe times are not the channel's total" test "$(sqlite3 \
    c-a.db "select count(*) from c where address = '127.43.0.1:$P' and \
    probe <> '' and elapsed_ms = $e")" -eq 0
check "the probes' times differ" test "$(sqlite3 c-a.db "select \
    count(distinct elapsed_ms) from c where address = '127.43.0.1:$P' and \
    probe <> ''")" -gt 1
n=$(most a "127.43.0.1:$P")
check "power: at most 7 requests in any second ($n)" test "$n" -le 7
e=$(elapsed a "127.43.0.3:$P")
check "healthcare: $m requests took ${e} ms >= $hmin ms (20 a second)" \
    test "${e:-0}" -ge "$hmin"
n=$(most a "127.43.0.3:$P")
check "healthcare: at most 22 requests in any second ($n)" test "$n" -le 22
check "healthcare: more than 7 in some second, not power's rate ($n)" \
    test "$n" -gt 7
n=$(most a "127.43.0.2:$P")
check "telecom: more than 22 in some second, no rate of its own ($n)" \
    test "$n" -gt 22

# The global rate: 10 a second over the telecom target alone; at most
# one token saved up, so M requests take at least (M - 2) / 10 s.
scan g 10 telecom
e=$(elapsed g "127.43.0.2:$P")
gmin=$(( (m - 2) * 100 * 9 / 10 ))
check "--rate 10: $m requests took ${e} ms >= $gmin ms" \
    test "${e:-0}" -ge "$gmin"
n=$(most g "127.43.0.2:$P")
check "--rate 10: at most 12 requests in any second ($n)" test "$n" -le 12
# --rate 0: no cap at all.
scan z 0 telecom
n=$(most z "127.43.0.2:$P")
check "--rate 0: more than 22 in some second, unthrottled ($n)" \
    test "$n" -gt 22
finish
