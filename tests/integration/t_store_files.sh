#!/bin/sh
# The database file and the files beside it (issue 12, 2026-12-05):
# a refused database stays byte for byte as it was, with nothing new beside
# it; the writer lock is on the file, so a second writer through a symbolic
# link exits 3; databases and reports are created 0600 (0640 with
# --group-readable) under any umask, and an existing world-readable
# database is warned about; reports, diff and waive --list work read-only:
# as another user in a folder they may not write, and on a read-only mount.
. "$(dirname "$0")/lib/common.sh"

cd "$T" || exit 1
XML="$DATA/agent/windows-kes.xml"

# listing DIR: names, sizes and digests of every file in DIR.
listing() {
	(cd "$1" && for f in * .[!.]*; do
		[ -e "$f" ] || continue
		printf '%s %s\n' "$f" "$(sha256sum < "$f")"
	done)
}

# --- 1. refused databases ------------------------------------------------
mkdir refused
sqlite3 -batch refused/newer.db "PRAGMA application_id = 1111576129;
    PRAGMA user_version = 99; CREATE TABLE runs (id)"
sqlite3 -batch refused/other.db "CREATE TABLE inventory (x);
    PRAGMA user_version = 3"
sqlite3 -batch refused/plain.db "CREATE TABLE inventory (x)"
printf 'finding_id,status\n' > refused/text.db
echo 'address,sector' > targets.csv
echo '127.0.0.1,power' >> targets.csv
before=$(listing refused)
for db in newer other plain text; do
	"$BANAUDIT" import --db "refused/$db.db" --sector power "$XML" \
	    >out.txt 2>err.txt
	assert_eq "import into $db.db: exit 3" 3 $?
	"$BANAUDIT" scan --db "refused/$db.db" --targets targets.csv \
	    --quiet >out.txt 2>err.txt
	assert_eq "scan into $db.db: exit 3" 3 $?
	"$BANAUDIT" report --db "refused/$db.db" --format csv \
	    >out.txt 2>err.txt
	assert_eq "report of $db.db: exit 3" 3 $?
done
assert_eq "refused files unchanged, nothing beside them" "$before" \
    "$(listing refused)"

# --- 2. one writer, whatever the path ------------------------------------
# A UDP port that swallows everything: bound by the kernel's choice and
# reported back in a file (written last, by rename), never probed first.
python3 -c "
import os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
open('$T/silent.port.tmp', 'w').write('%d' % s.getsockname()[1])
os.rename('$T/silent.port.tmp', '$T/silent.port')
time.sleep(60)" &
register_pid $!
wait_for test -s "$T/silent.port" || fail "the silent port was not bound"
SILENT=$(cat "$T/silent.port")
printf '[p]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
printf 'address,sector,snmp_profile\n127.0.0.1:%s,power,p\n' "$SILENT" \
    > slow.csv
"$BANAUDIT" import --db real.db --sector power "$XML" --quiet
ln -s real.db link.db
# A scan of a silent port: one request of 8 s, long enough for what follows
# on a loaded machine.  Started with core dumps allowed, to see that the
# scan turns them off before it reads the credentials.
(
	ulimit -c unlimited 2>/dev/null
	exec "$BANAUDIT" scan --db real.db --targets slow.csv \
	    --credentials creds.ini --timeout 8000 --retries 0 --quiet \
	    2>slow.err
) &
slow=$!
i=0
until [ "$(sqlite3 -readonly real.db "select count(*) from runs where \
    status = 'running'" 2>/dev/null)" = 1 ] || [ $i -gt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$BANAUDIT" import --db link.db --sector power "$XML" >out.txt 2>err.txt
assert_eq "a second writer through a symlink: exit 3" 3 $?
assert_contains "... says the database is in use" err.txt "in use"
"$BANAUDIT" scan --db link.db --targets slow.csv --credentials creds.ini \
    --quiet >out.txt 2>err.txt
assert_eq "a second scan through a symlink: exit 3" 3 $?
assert_eq "the first run is still running" running \
    "$(sqlite3 -readonly real.db "select status from runs where id = 2")"
# 2026-12-05 (issue 12): a crash could write the credentials into a core
# file.  The scan is not dumpable and may not write core files.
assert_eq "the scan writes no core file" "0 0" \
    "$(awk '/^Max core file size/ { print $5, $6 }' /proc/$slow/limits)"
wait $slow
assert_eq "the first scan exits 0" 0 $?
assert_eq "its run completed; no third run" "2 complete" \
    "$(sqlite3 -readonly -separator " " real.db "select count(*), \
    (select status from runs where id = 2) from runs")"
check "no lock file beside the database" test ! -e real.db-lock

# --- 3. modes --------------------------------------------------------------
mkdir modes
(
	umask 000
	"$BANAUDIT" import --db modes/a.db --sector power "$XML" --quiet
	"$BANAUDIT" import --db modes/g.db --sector power "$XML" --quiet \
	    --group-readable
	"$BANAUDIT" report --db modes/a.db --format csv --output modes/r.csv
	"$BANAUDIT" report --db modes/a.db --format html --output modes/r.html \
	    --group-readable
	"$BANAUDIT" merge --db modes/m.db modes/a.db >/dev/null 2>&1
)
mode() {
	stat -c %a "$1"
}
assert_eq "database 0600 under umask 000" 600 "$(mode modes/a.db)"
assert_eq "database 0640 with --group-readable" 640 "$(mode modes/g.db)"
assert_eq "report 0600 under umask 000" 600 "$(mode modes/r.csv)"
assert_eq "report 0640 with --group-readable" 640 "$(mode modes/r.html)"
assert_eq "merged database 0600" 600 "$(mode modes/m.db)"
chmod 0644 modes/a.db
"$BANAUDIT" import --db modes/a.db --sector power "$XML" --quiet \
    2>warn.txt
assert_eq "import into a world-readable database: exit 0" 0 $?
assert_contains "... with a warning" warn.txt \
    "modes/a.db is readable by every user \(mode 0644\)"

# --- 4. read-only reports ------------------------------------------------
mkdir ro
"$BANAUDIT" import --db ro/a.db --sector power "$XML" --quiet
"$BANAUDIT" import --db ro/a.db --sector power "$XML" --quiet
chmod 0644 ro/a.db
chmod 0755 ro
before=$(listing ro)
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
for f in csv html coverage-csv inventory-csv; do
	as_nobody "$BANAUDIT" report --db ro/a.db --format $f \
	    >"nobody.$f" 2>err.txt
	assert_eq "report --format $f as another user: exit 0" 0 $?
done
assert_contains "... the findings are there" nobody.csv "Kaspersky"
as_nobody "$BANAUDIT" diff --db ro/a.db >diff.txt 2>err.txt
assert_eq "diff as another user: exit 0" 0 $?
as_nobody "$BANAUDIT" waive --list --db ro/a.db >waive.txt 2>err.txt
assert_eq "waive --list as another user: exit 0" 0 $?
assert_eq "nothing written beside it" "$before" "$(listing ro)"

mkdir mnt
if unshare -m sh -c "mount --bind -o ro ro mnt && \
    '$BANAUDIT' report --db mnt/a.db --format csv > ro.csv 2>ro.err && \
    '$BANAUDIT' report --db mnt/a.db --format html > ro.html 2>>ro.err && \
    '$BANAUDIT' diff --db mnt/a.db > rodiff.txt 2>>ro.err && \
    '$BANAUDIT' waive --list --db mnt/a.db > rowaive.txt 2>>ro.err && \
    ! '$BANAUDIT' import --db mnt/a.db --sector power '$XML' \
        > /dev/null 2>>ro.imp"
then
	ok "reports from a read-only mount"
	check "... the same findings" cmp -s ro.csv nobody.csv
elif unshare -m true 2>/dev/null; then
	fail "reports from a read-only mount"
	cat ro.err >&2
else
	echo "  (no mount namespace here: read-only mount not tested)" >&2
fi
finish
