#!/bin/sh
# Every SNMP coverage status the collector records, each produced by a
# real peer (build/tools/snmpresp and its misbehaviour switches, or a
# closed port) through the command line, and stored with its detail: the
# rows of README.md's coverage-csv table.  One table: a case's responder
# switches, profiles and scan options, and for each probe ("" = the
# channel's row) the status and a shell pattern for the detail.  The
# SNMPv3 failures against the real snmpd (wrong digest, wrong privacy
# passphrase) and an interrupted scan are in t_snmp_engine.sh; per-VLAN
# contexts in t_vlan_fdb.sh.  "late": an agent that answers every try
# after the timeout (500 ms against 200) is read on the answer to its first
# try, which arrives while the retries wait: a retry is the same request.
# Refused, rate_limited and tls_failed are the HTTP collectors'
# (t_pull_*.sh): no SNMP outcome maps to them.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/08-health-linux-kesl.snmprec" fleet/1-dev.snmprec
(
	umask 077
	cat > creds.ini <<EOF
[fixture]
snmp_version = 2c
community = public

[v1]
snmp_version = 1
community = public

[badcomm]
snmp_version = 2c
community = c$(random_secret)

[v3]
snmp_version = 3
username = banaudit
auth_protocol = SHA-256
auth_passphrase = a$(random_secret)
priv_protocol = AES-128
priv_passphrase = p$(random_secret)

[v3b]
snmp_version = 3
username = other
auth_protocol = SHA-512
auth_passphrase = a$(random_secret)
EOF
)
closed_port udp || { fail "no closed UDP port"; finish; }
# A UDP port that swallows everything (a host that never answers); its
# port, bound by the kernel, is written last, by rename.
python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write("%d" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
	s.recv(65535)
' "$T/silent.port" &
register_pid $!
wait_for test -s "$T/silent.port" || { fail "no silent port"; finish; }
SILENT_PORT=$(cat "$T/silent.port")

NL='
'
N=1	# the sensor name of the NN.c.db files
# CASE|SNMPRESP-OPTIONS|PROFILES|SCAN-OPTIONS|PROBE|STATUS|DETAIL-PATTERN
# (SNMPRESP-OPTIONS "closed": no responder, a closed UDP port; "silent":
# none, a port that never answers; a case's rows are consecutive and
# share one scan).
P1=system,software,entity,process,lldp,arp,vendor,enterprise
TABLE="\
good||fixture|--probes $P1||ok|profile fixture (SNMPv2c); * varbinds in * requests
good||fixture|--probes $P1|system|ok|7 values
good||fixture|--probes $P1|software|ok|4 rows
good||fixture|--probes $P1|entity|no_such_table|table absent or empty; hrDeviceTable: table absent or empty
good||fixture|--probes $P1|enterprise|no_such_table|enterprise: objects absent
good||fixture|--probes $P1|vendor|ok|not applicable: identity does not call for camera vendor MIBs
good||fixture|--probes $P1|lldp|ok|not applicable: not a router or bridge (sysServices, ipForwarding, dot1dBaseNumPorts, LLDP capabilities): tables not walked
good||fixture|--probes $P1|arp|ok|not applicable: not a router or bridge *
v1||v1|--probes system,software,entity,ups||ok|profile v1 (SNMPv1); * varbinds in * requests
v1||v1|--probes system,software,entity,ups|system|ok|7 values
v1||v1|--probes system,software,entity,ups|software|ok|4 rows
v1||v1|--probes system,software,entity,ups|ups|no_such_table|ups: objects absent
v1||v1|--probes system,software,entity,ups|entity|no_such_table|table absent or empty; hrDeviceTable: table absent or empty
rows||fixture|--probes system,software --max-rows 3||partial|profile fixture *
rows||fixture|--probes system,software --max-rows 3|software|partial|3 rows; truncated at max_rows 3
loop|--loop-at 1.3.6.1.2.1.25.6.3.1.2.2|fixture|--probes system,software||partial|profile fixture *
loop|--loop-at 1.3.6.1.2.1.25.6.3.1.2.2|fixture|--probes system,software|software|partial|* rows; agent returned non-increasing OID
toobig1|--toobig-above 1|fixture|--probes system,software --max-repetitions 8|software|ok|4 rows
toobig0|--toobig-above 0|fixture|--probes system,software||partial|profile fixture *
toobig0|--toobig-above 0|fixture|--probes system,software|system|ok|7 values
toobig0|--toobig-above 0|fixture|--probes system,software|software|partial|0 rows; response too big even for one row
toobigget|--error-at 1.3.6.1.2.1.1.5=1|fixture|--probes system,software|system|partial|6 values; response too big even for one object
toobigget|--error-at 1.3.6.1.2.1.1.5=1|fixture|--probes system,software|software|ok|4 rows
generr|--error-at 1.3.6.1.2.1.25.6.3.1=5|fixture|--probes system,software||partial|profile fixture *
generr|--error-at 1.3.6.1.2.1.25.6.3.1=5|fixture|--probes system,software|software|error|agent error (genError) * (5)
generrget|--error-at 1.3.6.1.2.1.1.7=5|fixture|--probes system,software|system|error|agent error (genError) * (5) at varbind 7
generrget|--error-at 1.3.6.1.2.1.1.7=5|fixture|--probes system,software|software|ok|4 rows
authz|--error-at 1.3.6.1.2.1.1=16|fixture|--probes system,software||auth_failed|fixture: authorizationError: the agent refused this profile
authz|--error-at 1.3.6.1.2.1.1=16|fixture|--probes system,software|software|auth_failed|fixture: authorizationError: the agent refused this profile
v3user||v3|--probes system,software||auth_failed|v3: SNMPv3 unknown user name (usmStatsUnknownUserNames)
v3user||v3|--probes system,software|system|auth_failed|v3: SNMPv3 unknown user name (usmStatsUnknownUserNames)
fallback||v3;fixture|--probes system,software||ok|profile fixture (SNMPv2c); * requests; tried first: v3: SNMPv3 unknown user name (usmStatsUnknownUserNames)
fallback||v3;fixture|--probes system,software|software|ok|4 rows
worst||badcomm;v3|--probes system||auth_failed|badcomm: no response (wrong community or host down); v3: SNMPv3 unknown user name *
badcomm||badcomm|--probes system,software||timeout|badcomm: no response (wrong community or host down)
badcomm||badcomm|--probes system,software|software|timeout|badcomm: no response (wrong community or host down)
silent|--answer-first 0|fixture|--probes system,software||timeout|fixture: no response (wrong community or host down)
silentv3|silent|v3;v3b|--probes system||timeout|v3: no response to SNMPv3 engine discovery; v3b: no response to SNMPv3 engine discovery
silentv3|silent|v3;v3b|--probes system|system|timeout|v3: no response to SNMPv3 engine discovery; v3b: no response to SNMPv3 engine discovery
stopped|--answer-first 1|fixture|--probes system,software,entity||partial|profile fixture *
stopped|--answer-first 1|fixture|--probes system,software,entity|system|ok|7 values
stopped|--answer-first 1|fixture|--probes system,software,entity|entity|timeout|no response after 1 try; hrDeviceTable: no response after 1 try
stopped|--answer-first 1|fixture|--probes system,software,entity|software|timeout|not run: host stopped answering
midwalk|--answer-first 3|fixture|--probes software --max-repetitions 1|software|partial|no response after 1 try; after 2 rows
late|--delay-ms 500|fixture|--probes system --timeout 200 --retries 3||ok|profile fixture (SNMPv2c); * varbinds in * requests
late|--delay-ms 500|fixture|--probes system --timeout 200 --retries 3|system|ok|7 values
budget|--delay-ms 300|fixture|--probes system,software,process --max-repetitions 1 --host-budget 1500 --timeout 1000||partial|profile fixture *
budget|--delay-ms 300|fixture|--probes system,software,process --max-repetitions 1 --host-budget 1500 --timeout 1000|software|partial|host time budget of 1500 ms exhausted; after * row*
budget|--delay-ms 300|fixture|--probes system,software,process --max-repetitions 1 --host-budget 1500 --timeout 1000|process|timeout|not run: host time budget of 1500 ms exhausted
closed|closed|fixture|--probes system||unreachable|fixture: ICMP port unreachable: no SNMP agent on port $CLOSED_PORT
closed|closed|fixture|--probes system|system|unreachable|fixture: ICMP port unreachable: no SNMP agent on port $CLOSED_PORT
nochannel|closed||--probes system||no_channel|the targets file gives no snmp_profile and no agent_url: nothing was asked
"

# scan CASE RESPONDER-OPTIONS PROFILES SCAN-OPTIONS: one scan into CASE.db,
# its coverage report read into table c of CASE.c.db.
scan() {
	if [ "$2" = closed ]; then
		_a=127.0.0.1:$CLOSED_PORT
	elif [ "$2" = silent ]; then
		_a=127.0.0.1:$SILENT_PORT
	else
		# shellcheck disable=SC2086
		snmpresp_start fleet $2 ||
		    { fail "$1: snmpresp $2 did not start"; return 1; }
		_a=127.43.0.1:$SNMPRESP_PORT
	fi
	printf 'address,sector,snmp_profile\n%s,healthcare,%s\n' "$_a" "$3" \
	    > targets.csv
	# shellcheck disable=SC2086
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$1.db" --timeout 300 --retries 0 --quiet $4 \
	    2> "$1.err"
	assert_eq "$1: scan exits 0" 0 $?
	case "$2" in closed|silent) ;; *) stop_pid "$SNMPRESP_PID" ;; esac
	"$BANAUDIT" report --db "$1.db" --format coverage-csv \
	    --output "$1.csv" &&
	    sqlite3 -batch "$1.c.db" ".import --csv $1.csv c"
}

cov() {		# CASE PROBE: status|detail
	sqlite3 "$1.c.db" "select status || '|' || detail from c where \
	    channel = 'snmp' and probe = '$2'"
}

last=
_ifs=$IFS
IFS=$NL
for row in $TABLE; do
	IFS='|' read -r name ropts profs sopts probe status detail <<EOF
$row
EOF
	IFS=$_ifs
	if [ "$name" != "$last" ]; then
		scan "$name" "$ropts" "$profs" "$sopts"
		last=$name
	fi
	got=$(cov "$name" "$probe")
	# shellcheck disable=SC2254
	case "$got" in
	"$status|"$detail) ok "$name: ${probe:-channel}: $status" ;;
	*) fail "$name: ${probe:-channel}: want $status|$detail, got '$got'" ;;
	esac
	IFS=$NL
done
IFS=$_ifs

# What a status means for the rows stored beside it.
assert_eq "tooBig above 1: the same observations as a good agent" \
    "$(sqlite3 good.db "select count(*) from observations where \
    kind = 'software'")" \
    "$(sqlite3 toobig1.db "select count(*) from observations where \
    kind = 'software'")"
# Only the engine ID of a v3 agent (its discovery is unauthenticated).
for n in authz v3user badcomm silent silentv3 closed; do
	assert_eq "$n: nothing observed" 0 \
	    "$(sqlite3 "$n.db" "select count(*) from observations where \
	    attr <> 'engineid'")"
done
assert_eq "fallback: the software of the profile that worked" 4 \
    "$(awk -F, '$9 == "software" { print $11 }' fallback.csv |
    sed 's/ rows//')"
for n in good badcomm fallback worst; do
	if grep -qF "$(sed -n 's/^community = //p' creds.ini | tail -1)" \
	    "$n.csv" "$n.err" "$n.db"; then
		fail "$n: a community appears in the report, log or database"
	else
		ok "$n: no community in the report, log or database"
	fi
done
finish
