#!/bin/sh
# One host, many channels: a machine imported from its inventory file,
# then scanned through its agent, is one host -- its hardware UUID ties the
# two together -- so its finding keeps one finding_id and persists, and the
# reports do not count it twice.
. "$(dirname "$0")/lib/common.sh"

cd "$T" || exit 1
(umask 077 && random_secret > token)
"$TOOLS/fakeagent" --token-file token --data "$DATA/agent" \
    --port-file fake.port 2> fake.log &
register_pid $!
wait_for test -s fake.port || { fail "fakeagent did not start"; finish; }
port=$(cat fake.port)

# 1. The inventory file, as an office exported it.
"$BANAUDIT" import --db a.db --sector healthcare --site Radiology \
    --scope ws "$DATA/agent/windows-kes.xml" --quiet
assert_eq "import exits 0" 0 $?

# 2. The same machine's agent, reached at an address the file never named.
{
	echo "address,sector,site,agent_url,agent_profile"
	echo "127.0.0.1,healthcare,Radiology,http://127.0.0.1:$port/xml-windows-kes,fi"
} > targets.csv
{
	echo "[fi]"
	echo "agent_type = fusioninventory"
	echo "agent_token = $(cat token)"
} > creds.ini
chmod 0600 creds.ini
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --scope ws --quiet
assert_eq "scan exits 0" 0 $?

q() {
	sqlite3 -batch a.db "$1"
}
assert_eq "one host in both runs" 1 \
    "$(q "select count(distinct host_id) from run_hosts")"
assert_eq "the host keeps the identity the import gave it" "uuid" \
    "$(q "select substr(identity, 1, 4) from hosts h join run_hosts r \
    on r.host_id = h.id where r.run_id = 2")"
assert_eq "the agent's address became a key of that host" 1 \
    "$(q "select count(*) from host_keys k join run_hosts r on \
    r.host_id = k.host_id where r.run_id = 2 and k.key = 'addr:127.0.0.1'")"
assert_eq "same finding ids in both runs" \
    "$(q "select group_concat(finding_id) from (select finding_id from \
    findings where run_id = 1 order by 1)")" \
    "$(q "select group_concat(finding_id) from (select finding_id from \
    findings where run_id = 2 order by 1)")"

"$BANAUDIT" report --db a.db --format csv --output f.csv
assert_eq "report exits 0" 0 $?
check "the findings persist" test "$(grep -c ',persisting,' f.csv)" -gt 0
assert_eq "nothing new, nothing resolved" 0 \
    "$(grep -cE ',(new|resolved),' f.csv)"
assert_not_contains "the token is not in the report" f.csv "$(cat token)"
finish
