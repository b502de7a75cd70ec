#!/bin/sh
# The SNMP test peers: snmpresp (tests/tools/snmpresp.c) is checked against
# the reference simulator snmpsimd on the fixture fleet (tests/data/fleet),
# then its own features: v1, GET/GETNEXT/GETBULK edge cases, communities,
# unsorted and malformed data, and the hostile-agent switches.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

FLEET="$DATA/fleet"
SYSNAME=1.3.6.1.2.1.1.5.0

snmpsim_start "$FLEET" || { fail "snmpsimd did not start"; finish; }
snmpresp_start "$FLEET" || { fail "snmpresp did not start"; finish; }
assert_eq "both peers serve every device" \
    "$(wc -l < "$T/fleet.map")" "$(wc -l < "$T/snmpresp.map")"

# walk ADDR [OPTIONS...]: a v2c GETBULK walk of the whole MIB, numeric, the
# endOfMibView lines removed (snmpsimd repeats them to the full
# max-repetitions; snmpresp stops after one, as net-snmp's agent does).
walk() {
	_a=$1
	shift
	snmpc snmpbulkwalk -On -t 2 -r 1 "$@" "$_a" .1 |
	    grep -v 'No more variables left in this MIB View'
}

# 1. Every device: identical OIDs and values from both peers.
while read -r name sim; do
	resp=$(fleet_addr "$name" "$T/snmpresp.map")
	walk "$sim" > "$T/sim.$name" 2> "$T/sim.$name.err"
	walk "$resp" > "$T/resp.$name" 2> "$T/resp.$name.err"
	n=$(grep -c '^\.1' "$T/sim.$name")
	check "$name: snmpsimd walk is not empty ($n)" [ "$n" -gt 5 ]
	if cmp -s "$T/sim.$name" "$T/resp.$name"; then
		ok "$name: walks identical"
	else
		fail "$name: walks differ"
		diff "$T/sim.$name" "$T/resp.$name" | head -10 >&2
	fi
	walk "$resp" -Cr50 > "$T/resp50.$name" 2> "$T/resp50.$name.err"
	check "$name: -Cr50 walk identical" \
	    cmp -s "$T/sim.$name" "$T/resp50.$name"
done < "$T/fleet.map"

# The fixture values come through as written.
r=$(fleet_addr 15-hostile "$T/snmpresp.map")
snmpc snmpget -On "$r" 1.3.6.1.2.1.1.1.0 $SYSNAME > "$T/hostile" 2>&1
assert_contains "hostile sysDescr" "$T/hostile" '<script>alert\(1\)</script>'
assert_contains "hostile sysName" "$T/hostile" 'onerror=alert\(1\)>'
r=$(fleet_addr 01-telecom-huawei-s6720 "$T/snmpresp.map")
snmpc snmpget -On -Ox "$r" 1.3.6.1.2.1.1.1.0 > "$T/crlf" 2>&1
assert_contains "4e escapes decoded (CR LF)" "$T/crlf" '0D 0A'

# 2. GET of missing objects and instances.
s=$(fleet_addr 04-power-scada-kics)
r=$(fleet_addr 04-power-scada-kics "$T/snmpresp.map")
snmpc snmpget -On "$r" 1.3.6.1.2.1.1.5.1 1.3.6.1.4.1.99999.1.0 $SYSNAME \
    > "$T/get" 2>&1
assert_contains "GET sysName.1: noSuchInstance" "$T/get" \
    '^\.1\.3\.6\.1\.2\.1\.1\.5\.1 = No Such Instance'
assert_contains "GET unknown object: noSuchObject" "$T/get" \
    '^\.1\.3\.6\.1\.4\.1\.99999\.1\.0 = No Such Object'
assert_contains "GET sysName.0 in the same PDU" "$T/get" \
    'STRING: "scada-dl-01"'
snmpc snmpget -On "$s" 1.3.6.1.2.1.1.5.1 > "$T/get.sim" 2>&1
assert_contains "snmpsimd agrees: no such instance" "$T/get.sim" 'No Such'
snmpc snmpget -v1 -On "$r" $SYSNAME 1.3.6.1.2.1.1.5.1 > "$T/get1" 2>&1
assert_contains "v1 GET missing: noSuchName" "$T/get1" '\(noSuchName\)'
assert_contains "v1 GET names the failed object" "$T/get1" \
    'Failed object: \.1\.3\.6\.1\.2\.1\.1\.5\.1'

# 3. GETNEXT at the end of the MIB.
last=$(grep '^\.1' "$T/sim.04-power-scada-kics" | tail -n 1 | cut -d' ' -f1)
for a in "$s" "$r"; do
	snmpc snmpgetnext -On "$a" "$last" > "$T/next" 2>&1
	assert_contains "GETNEXT past the last OID ($a): endOfMibView" \
	    "$T/next" "^$last = No more variables left"
done
snmpc snmpgetnext -v1 -On "$r" "$last" > "$T/next1" 2>&1
assert_contains "v1 GETNEXT at the end: noSuchName" "$T/next1" \
    '\(noSuchName\)'

# 4. GETBULK with non-repeaters: same answer from both peers.
bulk() {
	snmpc snmpbulkget -On -Cn1 -Cr4 "$1" 1.3.6.1.2.1.1.4 \
	    1.3.6.1.2.1.25.4.2.1.2 1.3.6.1.2.1.25.6.3.1.2
}
bulk "$s" > "$T/bulk.sim" 2>&1
bulk "$r" > "$T/bulk.resp" 2>&1
assert_eq "GETBULK n=1 r=4: 9 varbinds" 9 "$(grep -c '^\.1' "$T/bulk.resp")"
assert_contains "GETBULK non-repeater is sysContact.0" "$T/bulk.resp" \
    '^\.1\.3\.6\.1\.2\.1\.1\.4\.0 = STRING'
check "GETBULK identical to snmpsimd" cmp -s "$T/bulk.sim" "$T/bulk.resp"
snmpc snmpbulkget -On -Cn0 -Cr20 "$r" "$last" > "$T/bulkend" 2>&1
assert_eq "GETBULK at the end: one endOfMibView, then stop" 1 \
    "$(grep -c 'No more variables' "$T/bulkend")"

# Only non-repeaters; absurd max-repetitions.
snmpc snmpbulkget -On -Cn2 -Cr3 "$r" 1.3.6.1.2.1.1.1 1.3.6.1.2.1.1.2 \
    > "$T/nonrep" 2>&1
assert_eq "GETBULK with only non-repeaters: 2 answers" 2 \
    "$(grep -c '^\.1' "$T/nonrep")"
snmpc snmpbulkget -On -Cr2000000 "$r" .1 > "$T/huge" 2>&1
n=$(grep -c '^\.1' "$T/huge")
check "GETBULK max-repetitions 2000000: cut to the data ($n)" \
    [ "$n" -ge 79 -a "$n" -le 81 ]

# 5. Wrong community: silence from both, like real agents.
for a in "$s" "$r"; do
	if snmpc snmpget -c wrong-community -t 0.3 -r 0 "$a" $SYSNAME \
	    > "$T/wrong" 2>&1; then
		fail "wrong community answered at $a"
	else
		assert_contains "wrong community times out ($a)" "$T/wrong" \
		    'Timeout'
	fi
done

# 6. v1 walk: Counter64 is skipped (RFC 3584, 4.2.2.1).
z=$(fleet_addr 02-telecom-zte-zxr10 "$T/snmpresp.map")
snmpc snmpwalk -v1 -On "$z" .1 > "$T/v1walk" 2>&1
assert_contains "v1 walk reaches the end" "$T/v1walk" 'End of MIB'
assert_not_contains "v1 walk has no Counter64" "$T/v1walk" 'Counter64'
assert_contains "v1 walk has the ENTITY rows" "$T/v1walk" \
    '47\.1\.1\.1\.1\.12\.1 = STRING: "ZTE"'
snmpc snmpbulkget -v1 -t 0.3 -r 0 "$z" .1 > "$T/v1bulk" 2>&1
assert_contains "GETBULK over v1 is not answered" "$T/v1bulk" \
    'Timeout|Cannot send V2 PDU'

# 7. Unsorted data is sorted at load; a secret community from a file;
# malformed data is refused with its line number.
mkdir -p "$T/shuffled"
SHUF="$T/shuffled/04-power-scada-kics.snmprec"
shuf "$FLEET/04-power-scada-kics.snmprec" > "$SHUF"
community=$(random_secret)
(umask 077; echo "$community" > "$T/community")
"$TOOLS/snmpresp" --listen "127.43.1.1:$SNMPRESP_PORT=$SHUF" \
    --community-file "$T/community" --pidfile "$T/p2.pid" \
    --ready-file "$T/p2.ready" 2> "$T/p2.log" &
register_pid $!
wait_for test -e "$T/p2.ready"
mkdir -p "$T/secret"
snmp_client_conf "$T/secret" "$T/community"
SNMPCONFPATH="$T/secret" MIBS= snmpbulkwalk -On "127.43.1.1:$SNMPRESP_PORT" .1 \
    2> "$T/shuffled.err" | grep -v 'No more variables' > "$T/shuffled.walk"
check "shuffled file sorted at load (snmpsimd's walk of the original)" \
    cmp -s "$T/sim.04-power-scada-kics" "$T/shuffled.walk"
if grep -qF -f "$T/community" "/proc/$(cat "$T/p2.pid")/cmdline"; then
	fail "the community is on snmpresp's command line"
else
	ok "the community is not on snmpresp's command line"
fi
if snmpc snmpget -t 0.3 -r 0 "127.43.1.1:$SNMPRESP_PORT" $SYSNAME \
    > /dev/null 2>&1; then
	fail "public answered where only the secret community is valid"
else
	ok "public refused when a community file is given"
fi
stop_pid "$(cat "$T/p2.pid")"
assert_contains "stats line on SIGTERM" "$T/p2.log" \
    'snmpresp: 1 devices, 1 datasets; requests [0-9]+'
check "pid and ready files removed on exit" \
    sh -c "[ ! -e '$T/p2.pid' ] && [ ! -e '$T/p2.ready' ]"

printf '1.3.6.1.2.1.1.5.0|4|ok\n1.3.6.1.2.1.1.6.0|4\n' > "$T/bad.snmprec"
"$TOOLS/snmpresp" --listen "127.43.1.2:$SNMPRESP_PORT=$T/bad.snmprec" \
    > "$T/bad.out" 2>&1
assert_eq "malformed data: exit 2" 2 "$?"
assert_contains "malformed data: file and line" "$T/bad.out" \
    'bad\.snmprec:2: expected OID\|TAG\|VALUE'
printf '1.3.6.1.2.1.1.5.0|4|a\n1.3.6.1.2.1.1.5.0|4|b\n' > "$T/dup.snmprec"
"$TOOLS/snmpresp" --listen "127.43.1.2:$SNMPRESP_PORT=$T/dup.snmprec" \
    > "$T/dup.out" 2>&1
assert_contains "duplicate OIDs refused" "$T/dup.out" 'duplicate OID'
printf '1.3.6.1.2.1.1.7.0|2|2147483648\n' > "$T/range.snmprec"
"$TOOLS/snmpresp" --listen "127.43.1.2:$SNMPRESP_PORT=$T/range.snmprec" \
    > "$T/range.out" 2>&1
assert_contains "INTEGER out of range refused" "$T/range.out" \
    'range\.snmprec:1: bad tag or value'

# 8. The hostile-agent switches, each on its own instance.
# misbehave NAME OPTIONS...: serves 08-health-linux-kesl on 127.43.2.N.
mnum=0
MFILE="$FLEET/08-health-linux-kesl.snmprec"
misbehave() {
	mnum=$((mnum + 1))
	_n=$1
	shift
	"$TOOLS/snmpresp" --listen "127.43.2.$mnum:0=$MFILE" \
	    --ready-file "$T/$_n.ready" "$@" 2> "$T/$_n.log" &
	register_pid $!
	wait_for test -e "$T/$_n.ready" ||
	    { fail "snmpresp $_n did not start"; cat "$T/$_n.log" >&2; }
	# The port the kernel gave it, from the ready file.
	M=$(awk 'NR == 1 { print $1 }' "$T/$_n.ready")
}

misbehave loop --loop-at 1.3.6.1.2.1.25.6.3.1.2.2
snmpc snmpbulkwalk -On -t 1 -r 0 "$M" 1.3.6.1.2.1.25.6.3.1.2 \
    > "$T/loop.out" 2>&1
assert_contains "--loop-at: the walker sees a non-increasing OID" \
    "$T/loop.out" 'OID not increasing'
snmpc snmpgetnext -On "$M" 1.3.6.1.2.1.25.6.3.1.2.3 > "$T/loop2" 2>&1
assert_contains "--loop-at: GETNEXT past the OID goes back to it" \
    "$T/loop2" '^\.1\.3\.6\.1\.2\.1\.25\.6\.3\.1\.2\.2 = '

misbehave toobig --toobig-above 5
snmpc snmpbulkget -On -Cr10 -t 1 -r 0 "$M" 1.3.6.1.2.1.25 > "$T/tb" 2>&1
assert_contains "--toobig-above 5: tooBig for max-repetitions 10" "$T/tb" \
    '\(tooBig\)'
snmpc snmpbulkget -On -Cr5 -t 1 -r 0 "$M" 1.3.6.1.2.1.25 > "$T/tb5" 2>&1
assert_eq "--toobig-above 5: max-repetitions 5 answered" 5 \
    "$(grep -c '^\.1' "$T/tb5")"

misbehave small --max-size 484
snmpc snmpbulkget -On -Cr50 "$M" 1.3.6.1.2.1.25 > "$T/small" 2>&1
n=$(grep -c '^\.1' "$T/small")
check "--max-size 484: GETBULK cut short ($n of 50)" \
    [ "$n" -gt 0 -a "$n" -lt 50 ]
walk "$M" -Cr50 > "$T/small.walk" 2> "$T/small.err"
check "--max-size 484: the walk is still complete" \
    cmp -s "$T/sim.08-health-linux-kesl" "$T/small.walk"

misbehave drop --drop-every 2
# Timeouts of seconds: an answer is never missed because the machine is
# slow; the dropped request costs one timeout.
snmpc snmpget -t 5 -r 0 "$M" $SYSNAME > /dev/null 2>&1
r1=$?
snmpc snmpget -t 5 -r 0 "$M" $SYSNAME > /dev/null 2>&1
r2=$?
snmpc snmpget -t 5 -r 0 "$M" $SYSNAME > /dev/null 2>&1
r3=$?
assert_eq "--drop-every 2: requests 1 and 3 answered, 2 dropped" "0 1 0" \
    "$r1 $r2 $r3"
snmpc snmpget -t 5 -r 1 "$M" $SYSNAME > "$T/drop.out" 2>&1
assert_contains "--drop-every 2: a retry gets through" "$T/drop.out" \
    'pacs-01'

misbehave delay --delay-ms 400
if snmpc snmpget -t 0.15 -r 0 "$M" $SYSNAME > /dev/null 2>&1; then
	fail "--delay-ms 400: answered within 150 ms"
else
	ok "--delay-ms 400: nothing within 150 ms"
fi
# The answer does come, late: a timeout far above the delay, so that
# only a missing answer fails this, never a slow machine.
snmpc snmpget -t 30 -r 0 "$M" $SYSNAME > "$T/delay.out" 2>&1
assert_contains "--delay-ms 400: answered after the delay" "$T/delay.out" \
    'pacs-01'

finish
