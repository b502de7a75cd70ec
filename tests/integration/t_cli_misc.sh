#!/bin/sh
# README.md promises with no test of their own elsewhere, through the
# command line: rules check and list; make install and $BANAUDIT_DATADIR;
# the report written to a temporary file and renamed into place (a failed
# report leaves the old file and no temporary); the same report bytes in
# every time zone and locale; diff "from nothing" and exit 3; the progress
# line on a terminal; the warning when ieee-data is missing.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1

# --- rules check | list --------------------------------------------------
"$BANAUDIT" rules check > check.out 2> check.err
assert_eq "rules check: exit 0" 0 $?
assert_contains "rules check: version and counts" check.out \
    "^rule pack $(cat "$TOP/rules/VERSION"): [0-9]+ regulations, [0-9]+ \
rules, [0-9]+ signatures: ok$"
"$BANAUDIT" rules list > list.out
assert_eq "rules list: exit 0" 0 $?
for id in kaspersky-endpoint contec-cms8000; do
	assert_contains "rules list: rule $id" list.out "$id"
done
assert_contains "rules list: a regulation" list.out "FCC Covered List"
check "rules list: every rule of rules.csv" test \
    "$(tail -n +2 "$TOP/rules/rules.csv" | cut -d, -f1 | sort -u |
    while read -r r; do grep -q -- "$r" list.out || echo "$r"; done |
    wc -l)" -eq 0
cp -r "$TOP/rules" bad
printf 'no-such-rule,,,,\n' >> bad/signatures.csv
"$BANAUDIT" rules --rules bad check > bad.out 2> bad.err
assert_eq "rules check of a broken pack: exit 2" 2 $?
assert_contains "rules check of a broken pack: FILE:LINE" bad.err \
    "signatures\.csv:[0-9]+: "
"$BANAUDIT" rules frobnicate 2> frob.err
assert_eq "rules frobnicate: exit 2" 2 $?

# --- make install, $BANAUDIT_DATADIR --------------------------------------
make -C "$TOP" --no-print-directory -s BUILD="$BUILD" DESTDIR="$T/inst" \
    PREFIX=/opt/banaudit install > install.out 2>&1
assert_eq "make install DESTDIR: exit 0" 0 $?
I="$T/inst/opt/banaudit"
check "installed: the binary" test -x "$I/bin/banaudit"
check "installed: the rule pack" test -f "$I/share/banaudit/rules/VERSION"
check "installed: the sector profiles" \
    test -f "$I/share/banaudit/sectors/power.ini"
"$I/bin/banaudit" rules check > inst.out 2> inst.err
assert_eq "installed: finds its data beside it (../share/banaudit)" 0 $?
# $BANAUDIT_DATADIR overrides it: a pack of another version.
mkdir -p dd/rules
cp "$TOP/rules/"* dd/rules/
echo 2099.9.9 > dd/rules/VERSION
BANAUDIT_DATADIR="$T/dd" "$I/bin/banaudit" rules check > dd.out 2> dd.err
assert_eq "\$BANAUDIT_DATADIR: exit 0" 0 $?
assert_contains "\$BANAUDIT_DATADIR: its pack wins" dd.out \
    "^rule pack 2099\.9\.9: "
# A binary with no data beside it (and none installed where it was
# compiled to look) finds none without $BANAUDIT_DATADIR.
mkdir lone
cp "$I/bin/banaudit" lone/banaudit
if [ -e /usr/local/share/banaudit/rules/VERSION ]; then
	ok "a banaudit is installed in /usr/local: no negative check"
else
	env -u BANAUDIT_DATADIR lone/banaudit rules check > nd.out 2> nd.err
	assert_eq "no data directory: exit 2" 2 $?
	assert_contains "no data directory: says where it looked" nd.err \
	    'no rule pack found \(looked in \$BANAUDIT_DATADIR'
fi
BANAUDIT_DATADIR="$I/share/banaudit" lone/banaudit rules check > ld.out \
    2> ld.err
assert_eq "no data beside, \$BANAUDIT_DATADIR set: exit 0" 0 $?

# A database for the rest: one scan of one snmpresp device.
mkdir fleet
cp "$DATA/fleet/08-health-linux-kesl.snmprec" fleet/1-dev.snmprec
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
printf 'address,sector,snmp_profile\n127.43.0.1:%s,healthcare,f\n' \
    "$SNMPRESP_PORT" > targets.csv
printf '[f]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# --- the progress line, on a terminal only --------------------------------
# (--probes without a neighbour table: the registry check below)
script -qec "'$BANAUDIT' scan --targets targets.csv --credentials creds.ini \
    --db a.db --timeout 2000 --probes system,software,process" /dev/null \
    > tty.out 2>&1
assert_eq "scan on a terminal: exit 0" 0 $?
assert_contains "progress line on a terminal" tty.out \
    "hosts done, [0-9]+ assessed"
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --timeout 2000 > notty.out 2> notty.err
assert_not_contains "no progress line without a terminal" notty.err \
    "hosts done"
assert_contains "the summary without a terminal" notty.err "run 2: "

# --- report: temporary file, then rename ----------------------------------
"$BANAUDIT" report --db a.db --format csv --output r.csv
assert_eq "report: exit 0" 0 $?
cp r.csv r.before
"$BANAUDIT" report --db a.db --format csv --run 999 --output r.csv \
    2> r999.err
rc=$?
check "report --run 999: fails ($rc)" test "$rc" -ne 0
check "a failed report leaves the old file" cmp -s r.csv r.before
# A report that fails once its temporary file exists (the site is
# checked as the report is written): the old file, no temporary.
"$BANAUDIT" report --db a.db --format csv --site Nowhere --output r.csv \
    2> rsite.err
assert_eq "report --site Nowhere: exit 3" 3 $?
assert_contains "report --site Nowhere: the reason" rsite.err \
    "^banaudit: no complete run of site Nowhere$"
check "a report failed while written leaves the old file" \
    cmp -s r.csv r.before
check "a report failed while written leaves no temporary file" \
    test -z "$(ls | grep -F 'r.csv.tmp')"
mkdir r.dir
"$BANAUDIT" report --db a.db --format html --output r.dir 2> rdir.err
assert_eq "report onto a directory: exit 3" 3 $?
check "no temporary file left behind" \
    test -z "$(ls | grep -F '.tmp')"
# Issue 12: an inventory of critical infrastructure is not for every user.
check "report files are 0600" test "$(stat -c %a r.csv)" = 600

# A device or a pipe is written in place, never renamed over: as root,
# --output /dev/null once replaced the machine's /dev/null with a file.
# A device node of our own stands in for it.
if [ "$(id -u)" -eq 0 ]; then
	mknod r.null c 1 3
	"$BANAUDIT" report --db a.db --format csv --output r.null
	assert_eq "report onto a device: exit 0" 0 $?
	check "the device is still a device" test -c r.null
	check "no temporary file beside the device" \
	    test -z "$(ls | grep -F 'r.null.tmp')"
fi
mkfifo r.fifo
cat r.fifo > fifo.out &
fifo_reader=$!
"$BANAUDIT" report --db a.db --format csv --output r.fifo
assert_eq "report into a FIFO: exit 0" 0 $?
check "the FIFO is still a FIFO" test -p r.fifo
# Renamed over, the FIFO would leave its reader waiting for ever.
[ -p r.fifo ] || kill "$fifo_reader" 2>/dev/null
wait "$fifo_reader"
check "the FIFO carried the report" cmp -s fifo.out r.csv

# --- the same bytes in every time zone and locale -------------------------
for f in csv html inventory-csv coverage-csv; do
	TZ=UTC LC_ALL=C "$BANAUDIT" report --db a.db --format "$f" \
	    --output "utc.$f"
	TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 "$BANAUDIT" report --db a.db \
	    --format "$f" --output "kir.$f"
	TZ=America/St_Johns "$BANAUDIT" report --db a.db --format "$f" \
	    --output "nfl.$f"
	check "$f: the same bytes in UTC+14 and UTC-3:30" \
	    sh -c "cmp -s utc.$f kir.$f && cmp -s utc.$f nfl.$f"
done

# --- diff: from nothing, and exit 3 ---------------------------------------
"$BANAUDIT" diff --db a.db --from 1 --to 1 > d11.out
"$BANAUDIT" diff --db a.db --to 1 > d1.out
assert_eq "diff of the first run: exit 0" 0 $?
assert_contains "diff of the first run: from nothing" d1.out \
    "^from nothing \(no earlier complete run of the scope\)"
assert_contains "diff from nothing: every finding new" d1.out \
    "^new [1-9][0-9]*, resolved 0, persisting 0"
"$BANAUDIT" diff --db a.db --to 99 2> d99.err
assert_eq "diff --to 99: exit 2" 2 $?
"$BANAUDIT" diff --db none.db 2> dnone.err
assert_eq "diff of a missing database: exit 3" 3 $?
assert_contains "diff of a missing database: says so" dnone.err \
    "no database at none\.db"
printf 'not a database at all, just text\n%.0s' $(seq 200) > text.db
"$BANAUDIT" diff --db text.db 2> dtext.err
assert_eq "diff of a file that is not a database: exit 3" 3 $?
# A database whose only run is still running has no complete run.
"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db r.db \
    --timeout 2000 --rate 1 --quiet &
pid=$!
wait_for sh -c "[ \"\$(sqlite3 r.db 'select count(*) from runs' \
    2>/dev/null)\" = 1 ]"
kill -KILL $pid
wait $pid 2>/dev/null
"$BANAUDIT" diff --db r.db 2> drun.err
assert_eq "diff without a complete run: exit 3" 3 $?
assert_contains "diff without a complete run: says so" drun.err \
    "has no complete run"

# --- the MAC registry is read only for neighbour tables -------------------
# (the scans above name no neighbour probe)
assert_eq "no neighbour probe: registry not loaded" \
    "not loaded: no neighbour probe" \
    "$(sqlite3 a.db "select oui_registry from runs where id = 1")"
assert_not_contains "no neighbour probe: no registry warning" notty.err \
    "MAC addresses"

# --- no ieee-data: a warning, and the scan goes on ------------------------
if [ "$(id -u)" -eq 0 ] && [ -d /usr/share/ieee-data ]; then
	mkdir empty
	unshare -m sh -c "mount --bind '$T/empty' /usr/share/ieee-data &&
	    '$BANAUDIT' scan --targets targets.csv --credentials creds.ini \
	    --db o.db --timeout 2000 --probes system,arp" \
	    > noieee.out 2> noieee.err
	assert_eq "no ieee-data: exit 0" 0 $?
	assert_contains "no ieee-data: the warning" noieee.err \
	    "MAC addresses will not be matched to vendors"
	assert_eq "no ieee-data: no registry on the run" none \
	    "$(sqlite3 o.db "select oui_registry from runs")"
	check "ieee-data untouched outside" test -f /usr/share/ieee-data/oui.csv
else
	skip_test "the no-ieee-data case needs root (a private mount)"
fi
finish
