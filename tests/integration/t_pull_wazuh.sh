#!/bin/sh
# banaudit import --pull from a Wazuh manager (tests/tools/fakewazuh.py,
# written from the Wazuh server API reference): one host per agent with
# its syscollector packages, processes, OS, hardware and interfaces, the
# same findings an agent inventory gives, joined to the machine an agent
# inventory of it already recorded (its MAC and address); agents
# disconnected, never connected or never inventoried are hosts "not
# assessed", stale inventories said; paging to the end, and a server that
# refuses the password, rate-limits, answers slowly, too much, not JSON,
# not Wazuh's JSON, more than asked or without end is a coverage row,
# never a stall or a crash.  An expired token is renewed.  The rate cap
# is kept (the server's own clock), the pinned key checked.  The password,
# the token and process arguments are nowhere but where they belong.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/pull.sh"

cd "$T" || exit 1
WUSER=ro-$(rand_hex 4)
PASS=pw-$(rand_hex 8)
printf '%s\n' "$WUSER" > user
printf '%s\n' "$PASS" > pass
PULL_PROFILE=wz
PULL_PROBE=wazuh
PULL_PATH=
PULL_OPTS="--pull-rate 100"

# start_fake [--cert CERT --key KEY]: a fake Wazuh API; sets PORT.
# Requests are logged to req.log.
start_fake() {
	start_server fakewazuh.py --user-file user --password-file pass "$@"
}

# creds URL [EXTRA-LINE...]: the credentials file for one server.
creds() {
	u=$1
	shift
	server_creds wz wazuh "$u" "username = $WUSER" "password = $PASS" "$@"
}

start_fake
creds "http://127.0.0.1:$PORT/ok"
: > req.log
"$BANAUDIT" import --db a.db --sector healthcare --credentials creds.ini \
    --pull wz --pull-rate 100 >out.txt 2>err.txt
assert_eq "pull exits 0" 0 $?
assert_contains "the server's summary" err.txt \
    "wazuh:wz: ok: read 7 agents \(4 assessed, 2 not connected, 1 never \
inventoried, 1 stale\), 254 packages, 4 processes in 30 requests"
assert_eq "the server saw the requests the summary counts" 30 \
    "$(wc -l < req.log | tr -d ' ')"
assert_eq "one login, by POST" 1 \
    "$(grep -c 'POST /ok/security/user/authenticate$' req.log)"
"$BANAUDIT" report --db a.db --format csv --output f.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output c.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output i.csv
rm -f q.db
sqlite3 -batch q.db ".import --csv f.csv f" ".import --csv c.csv c" \
    ".import --csv i.csv i"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}
assert_eq "findings: Kaspersky on RAD-WS-14 and kesl-srv" \
"RAD-WS-14|Kaspersky
kesl-srv|Kaspersky" \
    "$(q "select asset, vendor from f order by asset")"
assert_eq "evidence names the agent and row" 1 \
    "$(q "select count(*) from f where asset = 'RAD-WS-14' and evidence \
    like '%software.name \"Kaspersky Endpoint Security for Windows\" \
(wazuh agent/001 packages[1].name)%'")"
assert_eq "the process path is evidence too" 1 \
    "$(q "select count(*) from f where asset = 'kesl-srv' and evidence \
    like '%process.path \"/opt/kaspersky/kesl/libexec/kesl\" (wazuh \
agent/002 processes[1].cmd)%'")"
assert_eq "the server's coverage" \
    "wazuh|ok|imported from wazuh:wz: read 7 agents (4 assessed, 2 not \
connected, 1 never inventoried, 1 stale), 254 packages, 4 processes in \
30 requests" \
    "$(q "select probe || '|' || status || '|' || detail from c where \
    host_name = 'wazuh:wz'")"
assert_eq "each agent's coverage" \
"CLEAN-06|ok|mac:52:54:00:00:06:06|10.20.4.66
EMPTY-05|no_such_table|addr:10.20.4.55|10.20.4.55
NEW-WS-04|unreachable|addr:new-ws-04|NEW-WS-04
OLD-WS-03|unreachable|addr:10.20.4.33|10.20.4.33
RAD-WS-14|ok|mac:3c:52:82:1a:2b:3c|10.20.4.14
kesl-srv|partial|mac:52:54:00:12:34:56|10.20.5.2
wazuh-manager|ok|mac:52:54:00:aa:00:01|10.20.0.5" \
    "$(q "select host_name || '|' || status || '|' || host || '|' || \
    address from c where host_name != 'wazuh:wz' order by host_name")"
assert_eq "an agent's coverage: its id, URL and last inventory" \
    "imported from wazuh:wz: Wazuh agent 001 (http://127.0.0.1:$PORT/ok/\
agents?agents_list=001); last inventory 2026-12-04T08:30:00Z" \
    "$(q "select detail from c where host_name = 'RAD-WS-14'")"
assert_eq "a stale inventory is said, not hidden" \
    "imported from wazuh:wz: Wazuh agent 002 (http://127.0.0.1:$PORT/ok/\
agents?agents_list=002); last inventory 2020-01-01T10:00:00Z: stale \
(older than 30 days)" \
    "$(q "select detail from c where host_name = 'kesl-srv'")"
assert_eq "a disconnected agent is not assessed" \
    "imported from wazuh:wz: Wazuh agent 003 (http://127.0.0.1:$PORT/ok/\
agents?agents_list=003): disconnected; last keep-alive \
2026-10-01T17:12:00+00:00: not assessed" \
    "$(q "select detail from c where host_name = 'OLD-WS-03'")"
assert_eq "... and nothing of it is read" 0 \
    "$(grep -c 'syscollector/00[34]/' req.log)"
assert_eq "an agent never inventoried is not assessed" 1 \
    "$(q "select count(*) from c where host_name = 'EMPTY-05' and detail \
    like '%never inventoried (no system inventory yet)%: not assessed'")"
assert_eq "paged to the end: 250 packages of CLEAN-06 (3 pages)" 250 \
    "$(q "select count(*) from i where host_name = 'CLEAN-06' and kind = \
    'software' and attr = 'name'")"
assert_eq "... asked for three pages" 3 \
    "$(grep -c 'syscollector/006/packages' req.log)"
assert_eq "OS, board serial and interfaces of RAD-WS-14" \
"entity|board|serial|L1HF16G00FR
netif|1|descr|Ethernet
netif|1|ip|10.20.4.14
netif|1|mac|3c:52:82:1a:2b:3c
system||agent_version|Wazuh v4.7.3
system||name|RAD-WS-14
system||os|Microsoft Windows 10 Pro
system||os_version|10.0.19045.4291" \
    "$(q "select kind || '|' || item || '|' || attr || '|' || value from i \
    where host_name = 'RAD-WS-14' and kind in ('system', 'entity', \
    'netif') order by kind, item, attr")"
assert_eq "processes: name, path and user, never the arguments" \
"avp.exe|C:\\Program Files (x86)\\Kaspersky Lab\\KES.11.11.0\\avp.exe|SYSTEM" \
    "$(q "select group_concat(value, '|') from (select value from i where \
    host_name = 'RAD-WS-14' and kind = 'process' and item = '1' order by \
    attr)")"
for f in a.db out.txt err.txt f.csv c.csv i.csv; do
	assert_not_contains "no password, token or argument in $f" "$f" \
	    "$PASS|eyJ|ARGV-SECRET"
done
assert_not_contains "no password in a URL" req.log "$PASS|$WUSER"

# The agent is the machine an agent inventory recorded: its MAC.
"$BANAUDIT" import --db j.db --sector healthcare --quiet \
    "$DATA/agent/windows-kes.xml"
"$BANAUDIT" import --db j.db --sector healthcare --quiet \
    --credentials creds.ini --pull wz --pull-rate 100
assert_eq "joined: one host for the agent's and Wazuh's view" 1 \
    "$(sqlite3 j.db "select count(distinct host_id) from host_keys where \
    key in ('uuid:4c4c4544-0042-3610-8052-b2c04f4e3332', \
    'mac:3c:52:82:1a:2b:3c')")"
assert_eq "... seen in both runs" 2 \
    "$(sqlite3 j.db "select count(*) from run_hosts rh join hosts h on \
    h.id = rh.host_id where h.identity = \
    'uuid:4c4c4544-0042-3610-8052-b2c04f4e3332'")"

# The rate cap, on the server's clock: 30 requests at 4 a second take at
# least 29/4 s at the client; the server may see the first one late, by
# less than a second (the bound is a floor, so load cannot break it).
: > req.log
rm -f r.db
"$BANAUDIT" import --db r.db --sector healthcare --quiet \
    --credentials creds.ini --pull wz --pull-rate 4
assert_eq "rate: 30 requests" 30 "$(wc -l < req.log | tr -d ' ')"
check "rate: 4 a second kept (29 intervals >= 6.25 s on the server)" \
    awk 'NR == 1 { a = $1 } { b = $1 } END { exit !(b - a >= 6.25) }' \
    req.log

# Pulls from a misbehaving server (pull_mode: lib/pull.sh).
SCHEME=http
pull_mode s401
assert_eq "password refused: exit 0" 0 "$PRC"
assert_contains_str "password refused: auth_failed" "$r" \
    "^auth_failed\|imported from wazuh:wz: security/user/authenticate: \
HTTP 401"
pull_mode s429
assert_contains_str "rate limited" "$r" "^rate_limited\|.*agents.*HTTP 429"
pull_mode badjson
assert_contains_str "not JSON: error" "$r" "^error\|.*not JSON"
pull_mode notwazuh
assert_contains_str "not Wazuh's JSON: error" "$r" \
    "^error\|.*not a Wazuh answer \(no data.affected_items\)"
pull_mode pkg500
assert_contains_str "packages refused: partial with the counts read" "$r" \
    "^partial\|.*syscollector/001/packages.*HTTP 500; read 7 agents \(4 \
assessed"
pull_mode expire
assert_contains_str "an expired token is renewed: ok" "$r" "^ok\|"
check "... by logging in again" test \
    "$(grep -c 'POST /expire/security/user/authenticate' req.log)" -gt 1
pull_mode slow --timeout 1500
assert_contains_str "slow answer: timeout" "$r" "^timeout\|.*timed out"
check_ended_by_timeout "slow answer" 1500
pull_mode huge
assert_contains_str "huge answer: refused at the cap" "$r" \
    "^error\|.*answer larger than 33554432 bytes"
pull_mode endless --max-items 120
assert_contains_str "endless paging: stopped at the cap" "$r" \
    "^partial\|.*agents: stopped at 120 items \(the cap\)"
assert_eq "endless paging: the cap's agents recorded" 120 \
    "$(sqlite3 p.db "select count(*) from coverage where detail like \
    '%Wazuh agent%disconnected%'")"
pull_mode bigpage --max-items 150
assert_eq "a page larger than asked: read up to the page size" 150 \
    "$(sqlite3 p.db "select count(*) from coverage where detail like \
    '%Wazuh agent%disconnected%'")"
assert_eq "... in two pages" 2 "$(grep -c 'GET /bigpage/agents' req.log)"

# TLS: verified against the profile's CA file, refused without it; a
# pinned key must match as well.
make_certs
PIN=$(pin cert.pem)
PIN2=$(pin cert2.pem)
start_fake --cert cert.pem --key key.pem
SCHEME=https
pull_mode ok
assert_contains_str "https without the CA: tls_failed" "$r" "^tls_failed\|"
tls_pull() {
	creds "https://127.0.0.1:$PORT/ok" "$@"
	rm -f p.db
	"$BANAUDIT" import --db p.db --sector healthcare --quiet \
	    --credentials creds.ini --pull wz --pull-rate 100
	r=$(sqlite3 p.db "select status || '|' || detail from coverage \
	    where probe = 'wazuh'")
}
tls_pull "ca_file = $T/cert.pem"
assert_contains_str "https with the CA: ok" "$r" "^ok\|"
tls_pull "ca_file = $T/cert.pem" "pinned_pubkey = sha256//$PIN"
assert_contains_str "https with the CA and its pinned key: ok" "$r" "^ok\|"
tls_pull "ca_file = $T/cert.pem" "pinned_pubkey = sha256//$PIN2"
assert_contains_str "a key other than the pinned one: tls_failed" "$r" \
    "^tls_failed\|.*[Pp]ublic key"
tls_pull "ca_file = $T/cert.pem" "pinned_pubkey = sha256//$PIN2;sha256//$PIN"
assert_contains_str "one of several pinned keys: ok" "$r" "^ok\|"

finish
