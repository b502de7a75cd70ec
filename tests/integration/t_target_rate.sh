#!/bin/sh
# A sector's per-device request rate (sectors/power.ini: 5 a second) holds
# whatever the global --rate: one device scanned as a power target and
# again as a telecom target (no rate of its own), both answered by our
# snmpresp.  M requests 1/5 s apart take at least (M - 1) * 200 ms: a
# lower bound on the elapsed time, which a slow machine cannot break.  No
# upper bound is asserted.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/1-power.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/2-telecom.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$P,power,fixture"
	echo "127.43.0.2:$P,telecom,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system,interfaces,arp,cdp --rate 2000 --timeout 2000 \
    --quiet
assert_eq "scan exits 0" 0 $?
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
sqlite3 -batch c.db ".import --csv cov.csv c"

requests() {	# ADDRESS: requests sent to it (the channel row's detail)
	sqlite3 c.db "select detail from c where address = '$1' and \
	    probe = '' and channel = 'snmp'" |
	    sed -n 's/.* varbinds in \([0-9]*\) requests*.*/\1/p'
}
elapsed() {	# ADDRESS
	sqlite3 c.db "select elapsed_ms from c where address = '$1' and \
	    probe = '' and channel = 'snmp'"
}
m=$(requests 127.43.0.1)
e=$(elapsed 127.43.0.1)
check "power: enough requests to measure ($m)" test "${m:-0}" -ge 5
assert_eq "the same requests either way" "$m" "$(requests 127.43.0.2)"
# The clock is read in whole milliseconds: 1 ms of rounding.
min=$(( (m - 1) * 200 - 1 ))
check "power: $m requests took ${e} ms >= $min ms (5 a second)" \
    test "${e:-0}" -ge "$min"
# 2026-12-05: every probe row repeated the channel's total time.  Each
# probe has its own time now: together no more than the channel's.
sum=$(sqlite3 c.db "select sum(elapsed_ms) from c where address = \
    '127.43.0.1' and probe <> '' and channel = 'snmp'")
check "per-probe times add up to at most the channel's ($sum <= $e)" \
    test "${sum:-0}" -le "${e:-0}"
check "per-probe times are not the channel's total" test "$(sqlite3 c.db \
    "select count(*) from c where address = '127.43.0.1' and \
    probe <> '' and elapsed_ms = $e")" -eq 0
check "the probes' times differ" test "$(sqlite3 c.db "select \
    count(distinct elapsed_ms) from c where address = '127.43.0.1' and \
    probe <> ''")" -gt 1
assert_eq "both assessed" 2 "$(sqlite3 c.db "select count(*) from c where \
    probe = '' and status = 'ok'")"
finish
