#!/bin/sh
# banaudit scan against the real net-snmp snmpd on loopback, through the
# command line: the software rows equal what snmpbulkwalk reads with the
# same credentials (v2c and SNMPv3 SHA-256/AES-128); a wrong v3 passphrase
# is auth_failed and the scan still exits 0; a profile list tries the next
# profile after a failing one; Ctrl-C keeps the run, marked incomplete, and
# leaves earlier runs intact; no secret reaches the database or the output.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpd.sh"

snmpd_start || finish
cd "$T" || exit 1
P=$SNMPD_PORT
(
	umask 077
	cat > creds.ini <<EOF
[v2c]
snmp_version = 2c
community = $SNMPD_COMMUNITY

[v3]
snmp_version = 3
username = $SNMPD_USER
auth_protocol = SHA-256
auth_passphrase = $SNMPD_AUTHPASS
priv_protocol = AES-128
priv_passphrase = $SNMPD_PRIVPASS

[v3-wrong]
snmp_version = 3
username = $SNMPD_USER
auth_protocol = SHA-256
auth_passphrase = wrong-$SNMPD_AUTHPASS
priv_protocol = AES-128
priv_passphrase = $SNMPD_PRIVPASS
EOF
)
cat > targets.csv <<EOF
address,sector,site,snmp_profile
127.0.0.1:$P,power,Lab,v2c
127.0.0.2:$P,power,Lab,v3-wrong;v3
[::1]:$P,power,Lab,v3-wrong
EOF

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system,software,process --timeout 1000 >scan.out 2>scan.err
assert_eq "scan exits 0 although one host failed authentication" 0 $?
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
sqlite3 -batch r.db ".import --csv inv.csv i" ".import --csv cov.csv c"
q() {
	sqlite3 -batch r.db "$1"
}
for a in 127.0.0.1 127.0.0.2; do
	q "select value from i where address = '$a:$P' and kind = 'software' \
	    and attr = 'name' order by value" > "ours-$a.txt"
done
conf=v2c
for a in 127.0.0.1 127.0.0.2; do
	snmp_tool "$SNMPD_DIR/client/$conf/snmp.conf" snmpbulkwalk -Oqv \
	    "$a:$P" 1.3.6.1.2.1.25.6.3.1.2 | sed 's/^"//; s/"$//' |
	    LC_ALL=C sort > "theirs-$a.txt"
	conf=v3
done
n=$(wc -l < ours-127.0.0.1.txt)
check "v2c: software rows equal snmpbulkwalk's ($n rows)" \
    cmp -s ours-127.0.0.1.txt theirs-127.0.0.1.txt
check "v3: software rows equal snmpbulkwalk's" \
    cmp -s ours-127.0.0.2.txt theirs-127.0.0.2.txt
check "snmpd has a software table at all" test "$n" -gt 10
assert_eq "v3: the second profile did it" "ok|v3" \
    "$(q "select status || '|' || profile from c where \
    address = '127.0.0.2:$P' and probe = ''")"
assert_eq "wrong v3 passphrase: auth_failed" "auth_failed" \
    "$(q "select status from c where address = '[::1]:$P' and probe = ''")"
assert_contains "the host is named after its sysName" inv.csv \
    ",banaudit-test-agent,"
assert_contains "summary counts the failed host as not assessed" scan.err \
    "3 targets, 2 assessed, 1 not assessed"

# Secrets never reach the database, the reports or the output.
for f in a.db* inv.csv cov.csv scan.out scan.err; do
	if grep -aqF -e "$SNMPD_COMMUNITY" -e "$SNMPD_AUTHPASS" \
	    -e "$SNMPD_PRIVPASS" "$f"; then
		fail "a secret is in $f"
	else
		ok "no secret in $f"
	fi
done

runs_at_least() {	# N: the database has N runs or more
	[ "$(sqlite3 a.db "select count(*) from runs" 2>/dev/null)" -ge "$1" ]
}

# Ctrl-C: the run so far is kept and marked incomplete, the first intact.
# Two requests a second keep the scan busy long enough.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 1000 --rate 2 --quiet >int.out 2>int.err &
pid=$!
# Interrupted once its run exists (not after a guessed delay, which a
# loaded machine may not have reached).
wait_for runs_at_least 2
kill -INT $pid
wait $pid
assert_eq "interrupted scan exits 130" 130 $?
assert_contains "interrupted scan says so" int.err "interrupted: run 2 kept"
assert_eq "run 2 marked incomplete" incomplete \
    "$(sqlite3 a.db "select status from runs where id = 2")"
assert_eq "run 1 still complete" complete \
    "$(sqlite3 a.db "select status from runs where id = 1")"
assert_eq "run 1 keeps its observations" \
    "$(q "select count(*) from i")" \
    "$(sqlite3 a.db "select count(*) from observations where run_id = 1")"

# SIGKILL: the run cannot say so itself; the next writer marks it.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 1000 --rate 2 --quiet >/dev/null 2>&1 &
pid=$!
wait_for runs_at_least 3
kill -KILL $pid
wait $pid 2>/dev/null
assert_eq "killed run left running" running \
    "$(sqlite3 a.db "select status from runs where id = 3")"
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --quiet
assert_eq "next scan exits 0" 0 $?
assert_eq "killed run now incomplete, the next complete" \
    "complete incomplete incomplete complete" \
    "$(sqlite3 a.db "select group_concat(status, ' ') from \
    (select status from runs order by id)")"
assert_eq "database intact" ok "$(sqlite3 a.db "pragma integrity_check")"
finish
