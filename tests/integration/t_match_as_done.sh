#!/bin/sh
# A scan matches each host the moment it is done when no row can land on
# another host later (no neighbour-table, ONU or agent probe); with a
# neighbour-table or ONU probe it parks each host's rows as it finishes
# and matches them after locate and onu, reading back only the rows those
# stored (issue 13).  Both ways must give the same findings, leads and
# evidence: the fixture fleet (served by snmpresp) scanned once with the
# detection probes and once with the onu probe added, which on a fleet
# without OLTs adds no row.  --concurrency 1: the same rows in the same
# order, so the same observation ids.  With the neighbour tables too, the
# analysis reads back exactly the rows locate derived, not the run.  Then
# a generated fleet with a banned package on every fourth host: its
# findings name exactly those hosts, also when a writer thread stores
# the scan (BANAUDIT_WRITER_THREAD=1).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
mkdir fleet
cp "$DATA"/fleet/*.snmprec fleet/
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
sector_of() {
	case "$1" in
	*-telecom-*) echo telecom ;;
	*-power-*) echo power ;;
	*-health-*) echo healthcare ;;
	*) echo localgov ;;
	esac
}
{
	echo "address,sector,site,owner,criticality,snmp_profile"
	while read -r name addr; do
		echo "$addr,$(sector_of "$name"),Site $name,Owner,4,fixture"
	done < snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

P=system,software,process,entity,vendor,connections,routes,inventory,ups
P=$P,enterprise
for w in live:$P back:$P,onu; do
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "${w%%:*}.db" --probes "${w#*:}" --concurrency 1 \
	    --timeout 4000 2> "${w%%:*}.err"
	assert_eq "scan (${w%%:*}) exits 0" 0 $?
done
assert_eq "the onu probe read no row" 0 \
    "$(sqlite3 -batch back.db "select count(*) from observations where \
    kind = 'neighbor'")"

# Everything a finding, a lead or a ban elsewhere says, and its evidence.
findings() {
	sqlite3 -batch "$1.db" "select f.finding_id, f.rule_id, f.lead, \
	    f.asset, f.channel, f.evidence, f.confidence, f.regulation, \
	    f.binding_scope, f.risk_score, f.note, (select \
	    group_concat(e.observation_id, ' ') from (select observation_id \
	    from finding_evidence where finding_rowid = f.id order by 1) e) \
	    from findings f order by f.finding_id"
}
findings live > live.txt
findings back > back.txt
check "findings to compare ($(wc -l < live.txt))" test -s live.txt
check "the same findings, leads and evidence either way" \
    cmp -s live.txt back.txt
[ -s live.txt ] && ! cmp -s live.txt back.txt &&
    diff live.txt back.txt | head -20 >&2
assert_eq "the same observations either way" \
    "$(sqlite3 -batch live.db "select count(*) from observations")" \
    "$(sqlite3 -batch back.db "select count(*) from observations")"
assert_not_contains "the onu scan read back no row" back.err \
    "analysis read back"

# The neighbour tables: locate derives rows for the devices they show.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
    --db nb.db --probes "$P,arp,fdb,lldp,cdp,vlan-fdb" --concurrency 1 \
    --timeout 4000 2> nb.err
assert_eq "scan (neighbour tables) exits 0" 0 $?
# channel 3: derived (the view keeps schema 5's codes).
derived=$(sqlite3 -batch nb.db "select count(*) from observations where \
    channel = 3")
all=$(sqlite3 -batch nb.db "select count(*) from observations")
check "locate derived rows ($derived of $all)" \
    test "${derived:-0}" -gt 0 -a "${derived:-0}" -lt "${all:-0}"
assert_contains "analysis read back only locate's rows" nb.err \
    "analysis read back $derived observations"
check "findings on devices locate found" test "$(sqlite3 -batch nb.db \
    "select count(*) from findings f join hosts h on h.id = f.host_id \
    where h.discovered = 1")" -gt 0
stop_pid "$SNMPRESP_PID"

# A generated fleet: Kaspersky on every fourth host, 300 packages each,
# many hosts in flight at once.
rm -f snmpresp.ready
"$TOOLS/genfleet" -n 64 -m 300 -b 4 gen > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start gen || { fail "snmpresp did not start"; finish; }
{
	echo "address,sector,snmp_profile"
	awk '{ print $2 ",healthcare,fixture" }' snmpresp.map
} > gen.csv
"$BANAUDIT" scan --targets gen.csv --credentials creds.ini --db gen.db \
    --probes software,process --rate 0 --concurrency 64 --timeout 4000 \
    --quiet 2> gen.err
assert_eq "generated fleet: scan exits 0" 0 $?
want=$(cut -f1 gen/MANIFEST | sort -u | while read -r f; do
	awk -v f="${f%.snmprec}" '$1 == f { sub(/:.*/, "", $2); print $2 }' \
	    snmpresp.map
done | sort | tr '\n' ' ')
got=$(sqlite3 -batch gen.db "select distinct substr(address, 1, \
    instr(address, ':') - 1) from findings where lead = 0 and \
    vendor like 'Kaspersky%' order by 1" | sort | tr '\n' ' ')
check "hosts with planted software ($want)" test -n "$want"
assert_eq "findings on exactly the planted hosts" "$want" "$got"

# The same scan stored by the writer thread (BANAUDIT_WRITER_THREAD=1,
# run/writer.h): the same rows and the same findings.
BANAUDIT_WRITER_THREAD=1 "$BANAUDIT" scan --targets gen.csv \
    --credentials creds.ini --db gen2.db --probes software,process \
    --rate 0 --concurrency 64 --timeout 4000 --quiet 2> gen2.err
assert_eq "generated fleet, writer thread: scan exits 0" 0 $?
rows() {
	sqlite3 -batch "$1" "select r.address, o.kind, o.item, o.attr, \
	    hex(o.value) from observations o join run_hosts r on \
	    r.run_id = o.run_id and r.host_id = o.host_id order by 1, 2, 3, 4"
}
rows gen.db > gen.rows
rows gen2.db > gen2.rows
check "rows to compare ($(wc -l < gen.rows))" test -s gen.rows
check "the same rows through the writer thread" cmp -s gen.rows gen2.rows
got2=$(sqlite3 -batch gen2.db "select distinct substr(address, 1, \
    instr(address, ':') - 1) from findings where lead = 0 and \
    vendor like 'Kaspersky%' order by 1" | sort | tr '\n' ' ')
assert_eq "the writer thread: findings on the planted hosts" "$want" \
    "$got2"
finish
