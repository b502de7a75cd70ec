#!/bin/sh
# The credentials file must be a regular file of mode 0600 or 0400 owned
# by the user who runs banaudit (README.md "credentials"), else exit 2
# before anything is written.  Root reads any file, so the owner check
# matters for root: root on a file of nobody's is refused.  The mode checks
# run as nobody (setpriv), since root passes file permissions by
# privilege: nobody's files with a group- or world-accessible mode are
# refused, its own 0600 and 0400 files accepted.  Needs root to switch to
# nobody: skipped, with the reason, when not root.
. "$(dirname "$0")/lib/common.sh"

[ "$(id -u)" -eq 0 ] ||
    skip_test "needs root to run banaudit as nobody (make test runs as root)"
cd "$T" || exit 1
# nobody may not reach the checkout (a home directory, a 0700 temporary
# copy): the binary and its data come along into $T, which is 0755.
mkdir bin w
cp "$BANAUDIT" bin/banaudit
cp -r "$TOP/rules" "$TOP/sectors" .
BANAUDIT="$T/bin/banaudit"
export BANAUDIT_DATADIR="$T"
chown nobody:nogroup w
printf 'address,sector,snmp_profile\n127.0.0.1:9,power,p\n' > w/targets.csv
printf '[p]\nsnmp_version = 2c\ncommunity = c%s\n' "$(random_secret)" \
    > creds.ini

# scan_as_nobody NAME CREDS: exit code in $rc, stderr in w/NAME.err.
scan_as_nobody() {
	(cd w && run_as_nobody "$BANAUDIT" scan --targets targets.csv \
	    --credentials "$2" --db "$1.db" --probes system --timeout 100 \
	    --retries 0 --quiet 2> "$1.err")
	rc=$?
}

# Root running on nobody's file (root could read it): refused by owner.
cp creds.ini w/theirs.ini
chown nobody:nogroup w/theirs.ini
chmod 0600 w/theirs.ini
(cd w && "$BANAUDIT" scan --targets targets.csv --credentials theirs.ini \
    --db theirs.db --probes system --timeout 100 --retries 0 --quiet \
    2> theirs.err)
assert_eq "root on a file of nobody's: exit 2" 2 "$?"
assert_contains "root on a file of nobody's: says whose" w/theirs.err \
    "theirs\.ini: owned by uid $(id -u nobody); must be owned by uid 0"
check "root on a file of nobody's: no database" test ! -e w/theirs.db

# nobody on root's file: refused, by the kernel first.
cp creds.ini root.ini
chmod 0600 root.ini
scan_as_nobody root "$T/root.ini"
assert_eq "nobody on a file of root's: exit 2" 2 "$rc"
assert_contains "nobody on a file of root's: the reason" w/root.err \
    "root\.ini: Permission denied"
check "nobody on a file of root's: no database" test ! -e w/root.db

for m in 0644 0640 0604 0660 0700; do
	cp creds.ini "w/m$m.ini"
	chown nobody:nogroup "w/m$m.ini"
	chmod "$m" "w/m$m.ini"
	scan_as_nobody "m$m" "m$m.ini"
	assert_eq "mode $m: exit 2" 2 "$rc"
	assert_contains "mode $m: says so" "w/m$m.err" \
	    "m$m\.ini: mode 0?$m; must be 0600 or 0400"
	check "mode $m: no database" test ! -e "w/m$m.db"
done

for m in 0600 0400; do
	cp creds.ini "w/ok$m.ini"
	chown nobody:nogroup "w/ok$m.ini"
	chmod "$m" "w/ok$m.ini"
	scan_as_nobody "ok$m" "ok$m.ini"
	assert_eq "nobody's own file, mode $m: exit 0" 0 "$rc"
	check "mode $m: the run is stored" test -s "w/ok$m.db"
done
finish
