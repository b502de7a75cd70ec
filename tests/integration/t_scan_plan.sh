#!/bin/sh
# scan --dry-run reads and checks every input, prints per target what a
# scan would send (channels, probes, profile names -- never a secret --,
# per-device rate, the fewest requests) and the totals, and sends nothing:
# the fixture responder's request counter stays at zero and no database
# is created.  Then --progress=plain writes log lines, even with --quiet,
# for the logs of scheduled runs; and a renamed targets file, which would
# start a new history, is warned about.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/1-power.snmprec
cp "$DATA/fleet/16-telecom-core-router.snmprec" fleet/2-telecom.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile,agent_url,agent_profile"
	echo "127.43.0.1:$P,power,fixture,,"
	echo "127.43.0.2:$P,telecom,v3;fixture,,"
	echo "127.43.0.3:$P,healthcare,,http://127.43.0.3:62354,agents"
} > targets.csv
umask 077
cat > creds.ini <<'INI'
[fixture]
snmp_version = 2c
community = s3cret-community

[v3]
snmp_version = 3
username = auditor
auth_protocol = SHA-256
auth_passphrase = s3cret-passphrase
priv_protocol = AES-128
priv_passphrase = s3cret-passphrase

[agents]
agent_type = fusioninventory
agent_token = s3cret-token
INI
umask 022

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --dry-run > plan.txt 2> plan.err
assert_eq "dry run exits 0" 0 $?
assert_eq "dry run: no database created" "no" \
    "$(test -e a.db && echo yes || echo no)"
assert_contains "says it sends nothing" plan.txt "^dry run: nothing is sent"
assert_contains "power target: SNMP, its profile, 5/s, its probes" \
    plan.txt "^127\.43\.0\.1:$P +power +snmp +fixture +5 +[0-9]+  system,"
assert_contains "telecom target: profiles in order, global rate, lldp" \
    plan.txt "^127\.43\.0\.2:$P +telecom +snmp +v3;fixture +global .*lldp"
assert_contains "healthcare target: the agent, 2 requests" plan.txt \
    "^127\.43\.0\.3:$P +healthcare +agent +agent:agents +20 +2  "
assert_contains "totals" plan.txt "^totals: 3 targets \(2 over SNMP, 1 \
with an inventory agent\); at least [0-9]+ requests"
assert_not_contains "no secret in the plan" plan.txt "s3cret"
assert_not_contains "no secret on stderr" plan.err "s3cret"
# v3 adds the engine discovery: one request more than the same probes
# over v2c would take.
r1=$(awk '$1 ~ /^127\.43\.0\.1:/ { print $6 }' plan.txt)
check "power target needs some requests ($r1)" test "${r1:-0}" -gt 3
# --probes for every target; a bad input is still an error, exit 2.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --probes system --dry-run > plan2.txt
assert_contains "--probes applies" plan2.txt \
    "^127\.43\.0\.1:$P +power +snmp +fixture +5 +1  system$"
printf 'address,sector\nnot an address,power\n' > bad.csv
expect_exit 2 "dry run checks the inputs" "bad.csv:2" \
    "$BANAUDIT" scan --targets bad.csv --dry-run

# Nothing reached the responder.
stop_pid "$SNMPRESP_PID"
assert_contains "the responder saw no request" "$T/snmpresp.log" \
    "requests 0, responses 0, varbinds 0, bad community 0, ignored 0"

# --- --progress=plain -----------------------------------------------------
snmpresp_start fleet || { fail "snmpresp did not restart"; finish; }
P=$SNMPRESP_PORT
{
	echo "address,sector,snmp_profile"
	echo "127.43.0.1:$P,telecom,fixture"
	echo "127.43.0.2:$P,telecom,fixture"
} > t2.csv
sed -i 's/s3cret-community/public/' creds.ini
"$BANAUDIT" scan --targets t2.csv --credentials creds.ini --db b.db \
    --probes system --quiet --progress=plain:1 > p.out 2> p.err
assert_eq "scan with --progress=plain exits 0" 0 $?
assert_contains "plain progress lines, even with --quiet" p.err \
    "^banaudit: progress: snmp: [12]/2 hosts done, [0-9]+ assessed"
assert_not_contains "no terminal control codes" p.err "$(printf '\033')"
assert_not_contains "--quiet: no summary" p.err "^banaudit: run "
expect_exit 2 "--progress takes auto, plain[:S] or none" "--progress" \
    "$BANAUDIT" scan --targets t2.csv --progress=fancy

# --- a renamed targets file ------------------------------------------------
# The default scope is the file's name: a new name starts a new history.
# With the same targets scanned before under another scope, say so.
cp t2.csv renamed.csv
"$BANAUDIT" scan --targets renamed.csv --credentials creds.ini --db b.db \
    --probes system > s.out 2> s.err
assert_eq "scan of the renamed file exits 0" 0 $?
assert_contains "warns of the new history, names the old scope" s.err \
    "warning: scope 'scan:renamed.csv' starts a new history, but run 1 \
\(scope 'scan:t2.csv'\) scanned 2 of these 2 targets; .*--scope 'scan:t2.csv'"
"$BANAUDIT" scan --targets renamed.csv --credentials creds.ini --db b.db \
    --probes system --scope scan:t2.csv > s.out 2> s.err
assert_not_contains "--scope: no warning" s.err "new history"
"$BANAUDIT" scan --targets renamed.csv --credentials creds.ini --db b.db \
    --probes system > s.out 2> s.err
assert_not_contains "its own history now: no warning" s.err "new history"
finish
