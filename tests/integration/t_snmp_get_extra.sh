#!/bin/sh
# A hostile agent that answers every GET with thousands of copies of one
# varbind (issue 12, 2026-12-05: 3,000 copies per answer became 12,000
# duplicate observations from 4 packets).  A GET answer must carry exactly
# the varbinds asked for, in order; anything else is a protocol error for
# that request, recorded in coverage, and nothing of it is stored.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA/fleet/10-localgov-hikvision-cam.snmprec" fleet/
snmpresp_start fleet --get-extra 3000 ||
    { fail "snmpresp did not start"; finish; }
printf 'address,sector,snmp_profile\n127.43.0.1:%s,localgov,p\n' \
    "$SNMPRESP_PORT" > targets.csv
printf '[p]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 2000 --retries 0 --quiet
assert_eq "scan exits 0" 0 $?
q() {
	sqlite3 -batch a.db "$1"
}
assert_eq "no duplicate observation" 0 "$(q "select count(*) from \
    (select 1 from observations group by host_id, item, attr, source \
    having count(*) > 1)")"
check "a handful of observations, not thousands" \
    test "$(q "select count(*) from observations")" -lt 50
assert_eq "the system GET is a protocol error" "error" \
    "$(q "select status from coverage where probe = 'system'")"
assert_contains "... said so in coverage" /dev/stdin \
    "protocol error: a GET of [0-9]+ objects answered with [0-9]+ varbinds" \
    <<EOF2
$(q "select detail from coverage where probe = 'system'")
EOF2
finish
