#!/bin/sh
# The SNMP collector against the real net-snmp snmpd on loopback, through
# build/tools/snmpcollect: v1, v2c and v3 (SHA-256/AES-128), IPv6, a host
# name, credential fallback, USM key reuse, wrong credentials, silent and
# closed ports, budgets, row limits and interruption.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpd.sh"

SNMPCOLLECT="$TOOLS/snmpcollect"
[ -x "$SNMPCOLLECT" ] || { echo "  no $SNMPCOLLECT" >&2; exit 1; }

# A "camera": snmpd whose identity and vendor MIB objects are overridden.
SNMPD_EXTRA='sysDescr HIKVISION DS-2CD2143G0-I IP CAMERA
sysObjectID .1.3.6.1.4.1.39165.1.1
override .1.3.6.1.4.1.39165.1.1.0 octet_str "DS-2CD2143G0-I"
override .1.3.6.1.4.1.39165.1.3.0 octet_str "V5.5.800 build 210628"
override .1.3.6.1.4.1.39165.1.6.0 octet_str "Hikvision"
override .1.3.6.1.4.1.1004849.2.1.2.4.0 octet_str "5J0123PAZ"'
snmpd_start camera || finish
CAM_PORT=$SNMPD_PORT
CAM_COMMUNITY=$SNMPD_COMMUNITY
SNMPD_EXTRA=
snmpd_start || finish

V2C="$SNMPD_DIR/client/v2c/snmp.conf"
V3="$SNMPD_DIR/client/v3/snmp.conf"
A=127.0.0.1:$SNMPD_PORT

(
	umask 077
	cat >"$T/creds.ini" <<EOF
[v2c]
snmp_version = 2c
community = $SNMPD_COMMUNITY

[v1]
snmp_version = 1
community = $SNMPD_COMMUNITY

[badcomm]
snmp_version = 2c
community = c$(random_secret)

[v3]
snmp_version = 3
username = $SNMPD_USER
auth_protocol = SHA-256
auth_passphrase = $SNMPD_AUTHPASS
priv_protocol = AES-128
priv_passphrase = $SNMPD_PRIVPASS

[camera]
snmp_version = 2c
community = $CAM_COMMUNITY

[v3wrongauth]
snmp_version = 3
username = $SNMPD_USER
auth_protocol = SHA-256
auth_passphrase = w$(random_secret)
priv_protocol = AES-128
priv_passphrase = $SNMPD_PRIVPASS

[v3wrongpriv]
snmp_version = 3
username = $SNMPD_USER
auth_protocol = SHA-256
auth_passphrase = $SNMPD_AUTHPASS
priv_protocol = AES-128
priv_passphrase = w$(random_secret)

[v3nouser]
snmp_version = 3
username = nosuchuser
auth_protocol = SHA-256
auth_passphrase = $SNMPD_AUTHPASS
priv_protocol = AES-128
priv_passphrase = $SNMPD_PRIVPASS
EOF
)

# targets PROFILES [ADDRESS]: a one-row targets file.
targets() {
	printf 'address,sector,snmp_profile\n%s,power,%s\n' "${2:-$A}" "$1" \
	    >"$T/targets.csv"
}

# collect NAME [OPTIONS]: runs snmpcollect on $T/targets.csv into
# $T/NAME.out and $T/NAME.err; the exit status lands in $T/NAME.rc.
collect() {
	_n=$1
	shift
	"$SNMPCOLLECT" "$@" "$T/targets.csv" "$T/creds.ini" \
	    >"$T/$_n.out" 2>"$T/$_n.err"
	echo $? >"$T/$_n.rc"
}

# field FILE TYPE KIND-OR-PROBE COLUMN: values of one column of matching
# records (obs: 4 kind, 6 attr, 9 value; cov: 4 probe, 5 status, 7 detail).
names() {	# FILE KIND: the software/process names seen, sorted
	awk -F '\t' -v k="$2" '$1 == "obs" && $4 == k && $6 == "name" \
	    { print $9 }' "$1" | sort
}

covrow() {	# FILE PROBE: "status<TAB>profile<TAB>detail" of the row
	awk -F '\t' -v p="$1" '$1 == "cov" && $4 == p \
	    { print $5 "\t" $6 "\t" $7 }' "$2" | head -1
}

status_of() {	# NAME PROBE
	covrow "$2" "$T/$1.out" | cut -f1
}

detail_of() {	# NAME PROBE
	covrow "$2" "$T/$1.out" | cut -f3
}

profile_of() {	# NAME PROBE
	covrow "$2" "$T/$1.out" | cut -f2
}

walk_names() {	# CONF OID: what snmpbulkwalk sees, sorted
	snmp_tool "$1" snmpbulkwalk -On -Oqv "$A" "$2" |
	    sed 's/^"//; s/"$//' | sort
}

no_secrets() {	# NAME
	for s in "$SNMPD_COMMUNITY" "$SNMPD_AUTHPASS" "$SNMPD_PRIVPASS"; do
		if grep -qF -- "$s" "$T/$1.out" "$T/$1.err"; then
			fail "$1: a secret appears in the output"
			return
		fi
	done
	ok "$1: no secret in the output"
}

quiet_stderr() {	# NAME: only the tool's own summary line
	if grep -v '^snmpcollect: ' "$T/$1.err" | grep -q .; then
		fail "$1: unexpected stderr"
		sed 's/^/    /' "$T/$1.err" >&2
	else
		ok "$1: stderr clean"
	fi
}

# --- v2c and v3: the software table equals snmpbulkwalk's ----------------
walk_names "$V2C" 1.3.6.1.2.1.25.6.3.1.2 >"$T/walk-v2c.txt"
walk_names "$V3" 1.3.6.1.2.1.25.6.3.1.2 >"$T/walk-v3.txt"
check "snmpbulkwalk sees software" test -s "$T/walk-v2c.txt"
for p in v2c v3; do
	targets "$p"
	collect "$p"
	assert_eq "$p: exit status" 0 "$(cat "$T/$p.rc")"
	names "$T/$p.out" software >"$T/sw-$p.txt"
	if cmp -s "$T/walk-$p.txt" "$T/sw-$p.txt"; then
		ok "$p: software names equal snmpbulkwalk's"
	else
		fail "$p: software names differ from snmpbulkwalk's"
		diff "$T/walk-$p.txt" "$T/sw-$p.txt" | head -10 >&2
	fi
	check "$p: process table not empty" \
	    test -n "$(names "$T/$p.out" process)"
	assert_contains "$p: sysDescr" "$T/$p.out" \
	    "^obs	0	127\.0\.0\.1	system		descr	1\.3\.6\.1\.2\.1\.1\.1\.0	text	"
	assert_contains "$p: sysName" "$T/$p.out" \
	    "	system		name	1\.3\.6\.1\.2\.1\.1\.5\.0	text	banaudit-test-agent$"
	assert_contains "$p: sysObjectID as an OID" "$T/$p.out" \
	    "	objectid	1\.3\.6\.1\.2\.1\.1\.2\.0	oid	1\.3\.6\.1\.4\.1\.8072\."
	assert_contains "$p: row index as item" "$T/$p.out" \
	    "	process	[0-9]+	name	1\.3\.6\.1\.2\.1\.25\.4\.2\.1\.2\.[0-9]+	text	"
	assert_contains "$p: INTEGER as decimal text" "$T/$p.out" \
	    "	system	[^	]*	uptime	1\.3\.6\.1\.2\.1\.1\.3\.0	int	[0-9]+$"
	assert_contains "$p: DateAndTime as hex" "$T/$p.out" \
	    "	software	[0-9]+	date	[0-9.]+	hex	[0-9a-f]{16}"
	assert_eq "$p: channel ok" ok "$(status_of "$p" "")"
	assert_eq "$p: profile recorded" "$p" "$(profile_of "$p" "")"
	assert_eq "$p: software ok" ok "$(status_of "$p" software)"
	# snmpd has no ENTITY-MIB but HOST-RESOURCES hrDeviceTable.
	assert_eq "$p: entity read from hrDeviceTable" ok \
	    "$(status_of "$p" entity)"
	detail_of "$p" entity > "$T/$p.entity"
	assert_contains "$p: ENTITY-MIB absent" "$T/$p.entity" \
	    "^table absent or empty; hrDeviceTable: [0-9]+ rows"
	assert_eq "$p: vendor skipped by rule" ok "$(status_of "$p" vendor)"
	no_secrets "$p"
	quiet_stderr "$p"
done

# The engine ID is an observation, equal to the agent's snmpEngineID.
eid=$(snmp_tool "$V3" snmpget -On -Oqv -Ox "$A" 1.3.6.1.6.3.10.2.1.1.0 |
    tr -d ' \n"' | tr 'A-F' 'a-f')
assert_contains "v3: engine ID observed" "$T/v3.out" \
    "	system		engineid	1\.3\.6\.1\.6\.3\.10\.2\.1\.1\.0	hex	$eid$"

# --- The vendor rule: a camera's identity calls for the vendor MIBs -----
targets camera "127.0.0.1:$CAM_PORT"
collect camera
assert_eq "camera: exit status" 0 "$(cat "$T/camera.rc")"
assert_contains "camera: Hikvision model" "$T/camera.out" \
    "	vendor	hikvision	devicetype	1\.3\.6\.1\.4\.1\.39165\.1\.1\.0	text	DS-2CD2143G0-I$"
assert_contains "camera: Hikvision firmware" "$T/camera.out" \
    "	vendor	hikvision	swversion	[0-9.]+	text	V5\.5\.800 build 210628$"
assert_contains "camera: Dahua serial" "$T/camera.out" \
    "	vendor	dahua	serial	1\.3\.6\.1\.4\.1\.1004849\.2\.1\.2\.4\.0	text	5J0123PAZ$"
assert_contains "camera: vendor coverage" "$T/camera.out" \
    "	vendor	ok	camera	hikvision: 3 values; dahua: 1 value$"

# --- v1: GETNEXT walks ---------------------------------------------------
targets v1
collect v1
assert_eq "v1: exit status" 0 "$(cat "$T/v1.rc")"
names "$T/v1.out" software >"$T/sw-v1.txt"
if cmp -s "$T/walk-v2c.txt" "$T/sw-v1.txt"; then
	ok "v1: software names equal snmpbulkwalk's"
else
	fail "v1: software names differ"
fi
assert_eq "v1: channel ok" ok "$(status_of v1 "")"
assert_contains "v1: profile v1" "$T/v1.out" "	ok	v1	profile v1 \(SNMPv1\)"

# --- wrong v3 credentials: auth_failed, with the reason ----------------
targets v3wrongauth
collect wrongauth
assert_eq "wrong auth: exit status 0" 0 "$(cat "$T/wrongauth.rc")"
assert_eq "wrong auth: auth_failed" auth_failed "$(status_of wrongauth "")"
assert_contains "wrong auth: wrong digest" "$T/wrongauth.out" \
    "auth_failed		v3wrongauth: SNMPv3 wrong digest.*usmStatsWrongDigests"
assert_eq "wrong auth: every probe not assessed" 0 \
    "$(awk -F '\t' '$1 == "cov" && $5 != "auth_failed"' \
    "$T/wrongauth.out" | wc -l | tr -d ' ')"
assert_not_contains "wrong auth: no data" "$T/wrongauth.out" \
    "^obs	.*	software	"

targets v3nouser
collect nouser
assert_contains "unknown user: reason" "$T/nouser.out" \
    "auth_failed		v3nouser: SNMPv3 unknown user name"

targets v3wrongpriv
collect wrongpriv
assert_eq "wrong priv: auth_failed" auth_failed "$(status_of wrongpriv "")"
assert_contains "wrong priv: explained" "$T/wrongpriv.out" \
    "wrong privacy passphrase"

# Regression (2026-11-27): net-snmp keeps USM users keyed by (engine ID,
# user name) and reuses an existing user's keys, so a second profile with
# the same user name but the right passphrase failed with wrong digest.
targets "v3wrongauth;v3"
collect fallback
assert_eq "[wrong, right]: ok" ok "$(status_of fallback "")"
assert_eq "[wrong, right]: right profile" v3 "$(profile_of fallback "")"
assert_contains "[wrong, right]: first failure kept" "$T/fallback.out" \
    "tried first: v3wrongauth: SNMPv3 wrong digest"
names "$T/fallback.out" software >"$T/sw-fallback.txt"
check "[wrong, right]: software complete" \
    cmp -s "$T/walk-v3.txt" "$T/sw-fallback.txt"

# One engine ID on two addresses at once, with different profiles: the
# second waits for the first's USM user instead of borrowing its keys.
printf 'address,sector,snmp_profile\n%s,power,v3\n%s,power,%s\n' "$A" \
    "127.0.0.2:$SNMPD_PORT" "v3wrongauth;v3" >"$T/targets.csv"
collect shared
assert_eq "shared engine ID: both ok" 2 "$(grep -c '^cov	[01]	127\.0\.0\.[12]		ok	v3	' "$T/shared.out")"
assert_contains "shared engine ID: wrong key refused" "$T/shared.out" \
    "^cov	1	.*tried first: v3wrongauth: SNMPv3 wrong digest"
assert_contains "shared engine ID: noted" "$T/shared.out" \
    "^cov	1	.*SNMPv3 engine ID also seen on 127\.0\.0\.1"

# Never stop at the first failing v3 profile, nor at a silent v2c one.
targets "v3nouser;badcomm;v3wrongpriv;v2c"
collect chain
assert_eq "chain: ok with the 4th profile" v2c "$(profile_of chain "")"

# --- wrong community, silent and closed ports ---------------------------
targets badcomm
collect badcomm -t 200 -R 1
assert_eq "wrong community: timeout" timeout "$(status_of badcomm "")"
assert_contains "wrong community: explained" "$T/badcomm.out" \
    "no response \(wrong community or host down\)"

# Every profile fails, differently: the host's status is the one that
# says most (auth_failed, then refused, unreachable, timeout, error), in
# either order, and the detail keeps each profile's reason.
for chain in "v3wrongauth;badcomm" "badcomm;v3wrongauth"; do
	targets "$chain"
	collect worst -t 200 -R 1
	assert_eq "[$chain]: auth_failed, not timeout" auth_failed \
	    "$(status_of worst "")"
	assert_contains "[$chain]: the v3 reason kept" "$T/worst.out" \
	    "^cov	0	.*v3wrongauth: SNMPv3 wrong digest"
	assert_contains "[$chain]: the v2c reason kept" "$T/worst.out" \
	    "^cov	0	.*badcomm: no response"
done

# A UDP port that swallows everything, on 127.0.0.11 to 127.0.0.30: the
# first socket gets a port from the kernel, the others take the same, and
# the port is reported back in a file (written last, by rename).  Each
# datagram is logged as "ADDRESS NANOSECONDS" with the kernel's time of
# arrival (SO_TIMESTAMPNS): the order in which the requests reached the
# hosts, whatever the order in which this server reads its sockets.
python3 -c "
import os, select, socket, struct
TS = getattr(socket, 'SO_TIMESTAMPNS', 35)
socks = []
for i in range(11, 31):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, TS, 1)
    s.bind(('127.0.0.%d' % i, socks[0].getsockname()[1] if socks else 0))
    socks.append(s)
log = open('$T/silent.log', 'a', buffering=1)
open('$T/silent.port.tmp', 'w').write('%d' % socks[0].getsockname()[1])
os.rename('$T/silent.port.tmp', '$T/silent.port')
while True:
    for s in select.select(socks, [], [])[0]:
        data, anc, flags, src = s.recvmsg(65535, 64)
        ns = 0
        for lvl, typ, val in anc:
            if lvl == socket.SOL_SOCKET and typ == TS:
                sec, nsec = struct.unpack('qq', val[:16])
                ns = sec * 1000000000 + nsec
        log.write('%s %d\\n' % (s.getsockname()[0], ns))" &
register_pid $!
wait_for test -s "$T/silent.port" || fail "the silent port was not bound"
SILENT=$(cat "$T/silent.port")
closed_port udp || fail "no closed port"
CLOSED=$CLOSED_PORT
{
	echo 'address,sector,snmp_profile'
	echo "127.0.0.1:$CLOSED,power,v2c"
	i=1
	while [ $i -le 20 ]; do
		echo "127.0.0.$((i + 10)):$SILENT,power,v3;v2c"
		i=$((i + 1))
	done
} >"$T/targets.csv"
# The 20 silent hosts answer nothing: 2 tries of 300 ms for discovery and
# for v2c each, 4 requests a host.  In parallel, every host gets its first
# request before any host gets its second (a retry, 300 ms later); one
# after another, host 1 would get all 4 before host 2 got any.  An order
# of arrival, not a wall-clock bound: a slow machine cannot break it (the
# engine starts all hosts before it looks at any timer).
collect silent -t 300 -R 1 -c 64
assert_eq "silent: exit status" 0 "$(cat "$T/silent.rc")"
wait_for test "$(wc -l < "$T/silent.log")" -ge 80
assert_eq "silent: 4 requests a host" 80 "$(wc -l < "$T/silent.log" |
    tr -d ' ')"
assert_eq "silent: hosts in parallel, each got its first request before \
any its second" 20 "$(sort -k2,2n "$T/silent.log" | head -20 |
    cut -d' ' -f1 | sort -u | wc -l | tr -d ' ')"
# 2026-12-05: an ICMP port unreachable was "refused"; the README's table
# says it is "unreachable" (refused is a service that says no).
assert_contains "closed port: unreachable" "$T/silent.out" \
    "^cov	0	127\.0\.0\.1		unreachable		v2c: ICMP port unreachable"
assert_eq "silent: 20 hosts timed out" 20 \
    "$(grep -c '^cov	[0-9]*	127\.0\.0\.[0-9]*		timeout		v3: no response to SNMPv3 engine discovery; v2c: no response (wrong community or host down)$' "$T/silent.out")"
assert_eq "silent: done once each" 21 "$(grep -c '^done	' "$T/silent.out")"

# --- IPv6 and a host name ------------------------------------------------
targets v3 "[::1]:$SNMPD_PORT"
collect v6
assert_eq "IPv6: ok" ok "$(status_of v6 "")"
check "IPv6: software" test -n "$(names "$T/v6.out" software)"
targets v2c "localhost:$SNMPD_PORT"
collect name
assert_eq "host name: ok" ok "$(status_of name "")"
targets v2c "nosuchhost.invalid:$SNMPD_PORT"
collect noname
assert_eq "unresolvable name: unreachable" unreachable \
    "$(status_of noname "")"

# --- limits: rows, budget, interruption ----------------------------------
targets v2c
collect rows -n 10
assert_eq "max_rows: partial" partial "$(status_of rows software)"
assert_contains "max_rows: says truncated" "$T/rows.out" \
    "	software	partial	v2c	10 rows; truncated at max_rows 10$"
assert_eq "max_rows: 10 names" 10 "$(names "$T/rows.out" software | wc -l |
    tr -d ' ')"
collect values -v 5
assert_contains "max_value: values cut" "$T/values.out" \
    "	system		descr	1\.3\.6\.1\.2\.1\.1\.1\.0	text	.{5}$"
assert_contains "max_value: cut noted" "$T/values.out" \
    "	system	ok	v2c	6 values; [0-9]+ values? cut to 5 bytes"
# The budget runs out mid-walk (at most 16 requests of 2 rows in 400 ms at
# 40 requests a second) but leaves room for the first answer under load:
# 40 ms at 400 a second gave "timeout" when snmpd was slow to answer.
collect budget -b 400 -m 2 -r 40
assert_eq "budget: channel partial" partial "$(status_of budget "")"
assert_contains "budget: exhausted" "$T/budget.out" \
    "host time budget of 400 ms exhausted"
collect maxrep1 -m 1
assert_eq "max-repetitions 1: same software" \
    "$(cat "$T/walk-v2c.txt")" "$(names "$T/maxrep1.out" software)"

targets "v3;v2c" "127.0.0.11:$SILENT"
collect stop -t 2000 -T 300
assert_eq "interrupted: exit status" 0 "$(cat "$T/stop.rc")"
assert_contains "interrupted: error" "$T/stop.out" \
    "^cov	0	127\.0\.0\.11		error		v3: interrupted$"

finish
