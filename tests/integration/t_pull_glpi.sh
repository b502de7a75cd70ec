#!/bin/sh
# banaudit import --pull: what a GLPI server knows, through its REST API
# (tests/tools/fakeglpi.py, written from GLPI's API documentation): one
# host per asset, the same findings an agent inventory gives, the asset
# joined to the machine an agent inventory of it already recorded (its
# UUID), stale inventories said, the server's own coverage; and a server
# that refuses the tokens, rate-limits, answers slowly, too much, not JSON
# or without end, or with an untrusted certificate, is a coverage row,
# never a stall or a crash.  The tokens are nowhere but the credentials
# file.  Network ports become interfaces with their MACs (and name the
# asset); GLPI 10.1's ItemAntivirus is read as ComputerAntivirus was; the
# server's own log counts the requests; a pinned key must match.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/pull.sh"

cd "$T" || exit 1
UT=ut-$(rand_hex 8)
AT=at-$(rand_hex 8)
printf '%s\n' "$UT" > ut
printf '%s\n' "$AT" > at
PULL_PROFILE=glpi
PULL_PROBE=glpi
PULL_PATH=/apirest.php
PULL_OPTS=

# start_fake [--cert CERT --key KEY]: a fake GLPI server; sets PORT.
start_fake() {
	start_server fakeglpi.py --user-token-file ut --app-token-file at "$@"
}

# creds URL [EXTRA-LINE...]: the credentials file for one server.
creds() {
	u=$1
	shift
	server_creds glpi glpi "$u" "app_token = $AT" "user_token = $UT" "$@"
}

start_fake
creds "http://127.0.0.1:$PORT/ok/apirest.php"
: > req.log
"$BANAUDIT" import --db a.db --sector healthcare --credentials creds.ini \
    --pull glpi >out.txt 2>err.txt
assert_eq "pull exits 0" 0 $?
assert_contains "the server's summary" err.txt \
    "glpi:glpi: ok: read 3 Computer, 1 NetworkEquipment, 1 Printer, 1 \
Phone in 15 requests"
assert_eq "the server saw the requests the summary counts" 15 \
    "$(wc -l < req.log | tr -d ' ')"
"$BANAUDIT" report --db a.db --format csv --output f.csv
"$BANAUDIT" report --db a.db --format coverage-csv --output c.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output i.csv
rm -f q.db
sqlite3 -batch q.db ".import --csv f.csv f" ".import --csv c.csv c" \
    ".import --csv i.csv i"
q() {
	sqlite3 -batch -separator '|' q.db "$1"
}
assert_eq "findings: Kaspersky on RAD-WS-14, the Huawei switch" \
"RAD-WS-14|Kaspersky
core-sw-1|Huawei" \
    "$(q "select asset, vendor from f order by asset")"
assert_eq "evidence names the GLPI item" 1 \
    "$(q "select count(*) from f where asset = 'RAD-WS-14' and evidence \
    like '%software.name \"Kaspersky Endpoint Security for Windows\" \
(glpi Computer/1 _softwares[1].softwares_id)%antivirus.company \"AO \
Kaspersky Lab\"%signature base 2024-09-15: before the 2024-09-29 cutoff%'")"
assert_eq "the server's coverage" \
    "glpi|ok|imported from glpi:glpi: read 3 Computer, 1 \
NetworkEquipment, 1 Printer, 1 Phone in 15 requests" \
    "$(q "select probe || '|' || status || '|' || detail from c where \
    host_name = 'glpi:glpi'")"
assert_eq "an asset's coverage: its GLPI id and URL" "ok|imported from \
glpi:glpi: GLPI Computer 1 (http://127.0.0.1:$PORT/ok/front/\
computer.form.php?id=1); last inventory 2026-12-01 09:00:00" \
    "$(q "select status || '|' || detail from c where host_name = \
    'RAD-WS-14'")"
assert_eq "a stale inventory is said, not hidden" "partial|imported from \
glpi:glpi: GLPI Computer 2 (http://127.0.0.1:$PORT/ok/front/\
computer.form.php?id=2); last inventory 2020-01-01 10:00:00: stale (older \
than 30 days)" \
    "$(q "select status || '|' || detail from c where host_name = \
    'PACS-02'")"
assert_eq "assets named by their ports' address and MAC" \
"CLERK-03|10.20.4.3|mac:a4:bb:6d:00:00:03
PHONE-101||mac:80:5e:c0:11:22:33
PRN-2F-01|10.20.6.10|mac:00:0e:c6:42:10:01
RAD-WS-14|10.20.4.14|mac:3c:52:82:1a:2b:3c
core-sw-1|10.20.0.2|mac:70:7b:e8:00:00:00" \
    "$(for h in $(q "select host from c where host_name != 'glpi:glpi' \
    and host_name != 'PACS-02'"); do
	printf '%s|%s|' "$(q "select host_name from c where host = '$h'")" \
	    "$(q "select address from c where host = '$h'")"
	sqlite3 a.db "select key from host_keys where key like 'mac:%' and \
	    host_id = (select host_id from host_keys where key = '$h')"
    done | sort)"
assert_eq "a computer's ports: interfaces as an agent inventory's" \
"netif|1|descr|Ethernet
netif|1|ip|10.20.4.14
netif|1|mac|3c:52:82:1a:2b:3c" \
    "$(q "select kind || '|' || item || '|' || attr || '|' || value from i \
    where host_name = 'RAD-WS-14' and kind = 'netif' order by attr")"
assert_eq "a switch's ports: interface rows with their MACs" \
"1|ifname|GigabitEthernet0/0/1|text
1|mac|70:7b:e8:00:00:01|hex
2|ifname|GigabitEthernet0/0/2|text
2|mac|70:7b:e8:00:00:02|hex
3|ifname|Management|text
3|mac|70:7b:e8:00:00:00|hex" \
    "$(q "select item || '|' || attr || '|' || value || '|' || vtype from \
    i where host_name = 'core-sw-1' and kind = 'interface' order by item, \
    attr")"
assert_eq "a printer's and a phone's own MAC, for locate" \
"PHONE-101|80:5e:c0:11:22:33
PRN-2F-01|00:0e:c6:42:10:01" \
    "$(q "select host_name || '|' || value from i where kind = \
    'interface' and item = 'self' order by host_name")"
assert_eq "... which the MAC registry names" \
    "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD." \
    "$(q "select value from i where host_name = 'PHONE-101' and channel = \
    'derived' and item = 'self' and attr = 'oui_org'")"
for f in a.db out.txt err.txt f.csv c.csv i.csv; do
	assert_not_contains "no token in $f" "$f" "$UT|$AT"
done

# The asset is the machine an agent inventory recorded: its UUID.
"$BANAUDIT" import --db j.db --sector healthcare --quiet \
    "$DATA/agent/windows-kes.xml"
"$BANAUDIT" import --db j.db --sector healthcare --quiet \
    --credentials creds.ini --pull glpi
assert_eq "joined by UUID: one host for the agent's and GLPI's view" 1 \
    "$(sqlite3 j.db "select count(*) from hosts where identity = \
    'uuid:4c4c4544-0042-3610-8052-b2c04f4e3332'")"
assert_eq "... seen in both runs" 2 \
    "$(sqlite3 j.db "select count(*) from run_hosts rh join hosts h on \
    h.id = rh.host_id where h.identity = \
    'uuid:4c4c4544-0042-3610-8052-b2c04f4e3332'")"

# Pulls from a misbehaving server (pull_mode: lib/pull.sh).
SCHEME=http
pull_mode s401
assert_eq "tokens refused: exit 0" 0 "$PRC"
assert_contains_str "tokens refused: auth_failed" "$r" \
    "^auth_failed\|imported from glpi:glpi: initSession: HTTP 401"
pull_mode s429
assert_contains_str "rate limited" "$r" "^rate_limited\|.*HTTP 429"
pull_mode badjson
assert_contains_str "not JSON: error" "$r" "^error\|.*not JSON"
pull_mode detail500
assert_contains_str "details refused: partial with the count read" "$r" \
    "^partial\|.*HTTP 500; read 3 Computer, 1 NetworkEquipment"
pull_mode slow --timeout 1500
assert_contains_str "slow answer: timeout" "$r" "^timeout\|.*timed out"
check_ended_by_timeout "slow answer" 1500
pull_mode huge
assert_contains_str "huge answer: refused at the cap" "$r" \
    "^error\|.*answer larger than 33554432 bytes"
pull_mode glpi101
assert_contains_str "GLPI 10.1: ItemAntivirus read" "$r" "^ok\|.*in 16 \
requests"
"$BANAUDIT" report --db p.db --format inventory-csv --output pi.csv
assert_contains "... its antivirus rows as before" pi.csv \
    ",antivirus,1,company,glpi Computer/1/ItemAntivirus\[1\]\.\
manufacturers_id,AO Kaspersky Lab,"
assert_eq "... ComputerAntivirus asked once, then no more" 1 \
    "$(grep -c 'ComputerAntivirus' req.log)"
pull_mode endless --max-items 120 --pull-rate 200
assert_contains_str "endless paging: stopped at the cap" "$r" \
    "^partial\|.*Computer: stopped at 120 items \(the cap\)"
assert_eq "endless paging: the cap's assets recorded" 120 \
    "$(sqlite3 p.db "select count(*) from hosts where identity like \
    'serial:EN-%'")"

# TLS: verified against the profile's CA file, refused without it.
make_certs
start_fake --cert cert.pem --key key.pem
SCHEME=https
pull_mode ok
assert_contains_str "https without the CA: tls_failed" "$r" "^tls_failed\|"
creds "https://127.0.0.1:$PORT/ok/apirest.php" "ca_file = $T/cert.pem"
rm -f p.db
"$BANAUDIT" import --db p.db --sector healthcare --quiet \
    --credentials creds.ini --pull glpi
assert_eq "https with the CA: ok" "ok" \
    "$(sqlite3 p.db "select status from coverage where probe = 'glpi'")"
# A pinned key: the server's passes, another is refused although the CA
# vouches for the certificate.
for p in "$(pin cert.pem)|ok" "$(pin cert2.pem)|tls_failed"; do
	creds "https://127.0.0.1:$PORT/ok/apirest.php" \
	    "ca_file = $T/cert.pem" "pinned_pubkey = sha256//${p%|*}"
	rm -f p.db
	"$BANAUDIT" import --db p.db --sector healthcare --quiet \
	    --credentials creds.ini --pull glpi
	assert_eq "pinned key: ${p#*|}" "${p#*|}" \
	    "$(sqlite3 p.db "select status from coverage where probe = \
	    'glpi'")"
done

# Usage: a profile that is not a server's, no credentials.
"$BANAUDIT" import --db u.db --sector healthcare --pull glpi \
    >u.out 2>u.err
assert_eq "--pull without --credentials: exit 2" 2 $?
printf '[v2]\nsnmp_version = 2c\ncommunity = public\n' > snmp.ini
chmod 0600 snmp.ini
"$BANAUDIT" import --db u.db --sector healthcare --credentials snmp.ini \
    --pull v2 >u.out 2>u.err
assert_eq "--pull of an SNMP profile: exit 2" 2 $?
assert_contains "... says so" u.err "has no inventory server profile 'v2'"
check "... before any database" test ! -e u.db

finish
