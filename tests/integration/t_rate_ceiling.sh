#!/bin/sh
# A sector's per-device rate is a ceiling (README, Sector profiles:
# healthcare 20/s, power 5/s), checked where it matters: at the device.
# Our snmpresp logs each request as it reads it (--request-log); the test
# counts the requests one device got in any one second.  No wall-clock
# bound on anything: a loaded machine only delays requests, and with one
# request in flight per device and no retries, request i is read before
# request i + 1 is sent, so the count in any second is at most rate + 1
# however slow the machine is, plus one for a send held up after its rate
# check (2026-12-05: 21 of 32 seen at healthcare's 20/s).  A missing rate
# puts every request of the scan into one second, a higher one more than
# rate + 2 into some second.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
# Two hosts of 60 software packages each (genfleet): host00001 is the
# healthcare target, host00002 the power one.
"$TOOLS/genfleet" -n 2 -m 60 -p 0 fleet > /dev/null ||
    { fail "genfleet failed"; finish; }
snmpresp_start fleet --request-log "$T/requests.log" ||
    { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$P,healthcare,fixture"
	echo "127.43.0.2:$P,power,fixture"
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# most ADDRESS:PORT: the most requests the device got in one second.
most() {
	most_per_second "$T/requests.log" "$1"
}
count() {	# ADDRESS:PORT: requests the device got
	awk -v a="$1" '$1 == a { n++ } END { print n + 0 }' "$T/requests.log"
}

# A small GETBULK size makes many requests: enough to break a ceiling of
# 21 a second at once if the rate were not applied.  --rate 0: no global
# cap that could hide a missing per-device one.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --sector healthcare --probes system,software --max-repetitions 2 \
    --rate 0 --retries 0 --timeout 5000 --quiet
assert_eq "healthcare scan exits 0" 0 $?
n=$(count "127.43.0.1:$P")
check "healthcare: enough requests to tell ($n > 25)" test "$n" -gt 25
m=$(most "127.43.0.1:$P")
check "healthcare: at most 22 requests in any second ($m of $n)" \
    test "$m" -le 22 -a "$m" -ge 1
assert_eq "power target not scanned with --sector healthcare" 0 \
    "$(count "127.43.0.2:$P")"

# Power's 5/s the same way, on a smaller scan (a few seconds).
: > "$T/requests.log"
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db b.db \
    --sector power --probes system,software --max-repetitions 5 --rate 0 \
    --retries 0 --timeout 5000 --quiet
assert_eq "power scan exits 0" 0 $?
n=$(count "127.43.0.2:$P")
check "power: enough requests to tell ($n > 7)" test "$n" -gt 7
m=$(most "127.43.0.2:$P")
check "power: at most 7 requests in any second ($m of $n)" \
    test "$m" -le 7 -a "$m" -ge 1
finish
