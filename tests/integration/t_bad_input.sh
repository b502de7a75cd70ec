#!/bin/sh
# Bad input: usage errors and malformed files exit 2 with FILE:LINE, and the
# database is not touched (inputs are validated before it is opened).
. "$(dirname "$0")/lib/common.sh"

B="$DATA/bad"
cp "$B"/*.csv "$B"/*.ini "$T/"
chmod 0600 "$T"/*.ini
cd "$T" || exit 1

# A database with one run in it: a scan of a closed port.
"$BANAUDIT" scan --targets good-targets.csv --credentials good-creds.ini \
    --db audit.db --timeout 100 --retries 0 --quiet
assert_eq "baseline scan exits 0" 0 $?
sum_before=$(cat audit.db* | sha256sum)

expect_exit() {	# CODE DESCRIPTION PATTERN CMD...
	code=$1 desc=$2 pat=$3
	shift 3
	"$@" >out.txt 2>err.txt
	rc=$?
	assert_eq "$desc: exit code" "$code" "$rc"
	[ -n "$pat" ] && assert_contains "$desc: message" err.txt "$pat"
}

expect_exit 2 "no command" "usage" "$BANAUDIT"
expect_exit 2 "unknown command" "unknown command 'frobnicate'" \
    "$BANAUDIT" frobnicate
expect_exit 2 "unknown option" "Try 'banaudit scan --help'" \
    "$BANAUDIT" scan --targets good-targets.csv --frobnicate
expect_exit 2 "missing --targets" "--targets FILE is required" \
    "$BANAUDIT" scan --db audit.db
expect_exit 2 "bad number" "--concurrency: 'lots'" \
    "$BANAUDIT" scan --targets good-targets.csv --concurrency lots
expect_exit 0 "help" "" "$BANAUDIT" scan --help
assert_contains "help text on stdout" out.txt "usage: banaudit scan"

expect_exit 2 "malformed address" "^banaudit: bad-address.csv:3: " \
    "$BANAUDIT" scan --targets bad-address.csv --credentials good-creds.ini \
    --db audit.db
expect_exit 2 "unknown sector" "^banaudit: bad-sector.csv:2: .*water" \
    "$BANAUDIT" scan --targets bad-sector.csv --credentials good-creds.ini \
    --db audit.db
expect_exit 2 "unknown column" "^banaudit: bad-column.csv:1: .*colour" \
    "$BANAUDIT" scan --targets bad-column.csv --credentials good-creds.ini \
    --db audit.db
expect_exit 2 "unknown profile" "^banaudit: bad-profile.csv:2: .*nosuch" \
    "$BANAUDIT" scan --targets bad-profile.csv --credentials good-creds.ini \
    --db audit.db
expect_exit 2 "malformed credentials" "^banaudit: bad-creds.ini:8: " \
    "$BANAUDIT" scan --targets good-targets.csv --credentials bad-creds.ini \
    --db audit.db
assert_not_contains "secret not echoed" err.txt "fixture-secret-2"

chmod 0644 good-creds.ini
expect_exit 2 "world-readable credentials" "good-creds.ini: .*0644" \
    "$BANAUDIT" scan --targets good-targets.csv --credentials good-creds.ini \
    --db audit.db
chmod 0600 good-creds.ini

expect_exit 2 "missing targets file" "nosuch.csv: No such file" \
    "$BANAUDIT" scan --targets nosuch.csv --db audit.db
expect_exit 2 "bad report format" "unknown format 'pdf'" \
    "$BANAUDIT" report --db audit.db --format pdf
expect_exit 3 "report without a database" "" \
    "$BANAUDIT" report --db missing.db --format csv
check "no database created by a failed report" test ! -e missing.db

# 2026-12-05 (issue 12): /dev/zero was read to 2 GiB before it was
# refused, and a FIFO blocked forever.  Only regular files are read, and
# they are refused at once (timeout 10: a hang fails the test).
mkfifo fifo
printf 'address,sector\n127.0.0.1,power\n' > one.csv
expect_exit 2 "targets from /dev/zero" "/dev/zero: not a regular file" \
    timeout 10 "$BANAUDIT" scan --targets /dev/zero --db audit.db
expect_exit 2 "targets from a FIFO" "fifo: not a regular file" \
    timeout 10 "$BANAUDIT" scan --targets fifo --db audit.db
expect_exit 2 "an import from a FIFO" "fifo: not a regular file" \
    timeout 10 "$BANAUDIT" import --sector power --db audit.db fifo
expect_exit 2 "an import from /dev/zero" "/dev/zero: not a regular file" \
    timeout 10 "$BANAUDIT" import --sector power --db audit.db /dev/zero
expect_exit 2 "--oui from a FIFO" "fifo: not a regular file" \
    timeout 10 "$BANAUDIT" scan --targets one.csv --oui fifo --db audit.db
expect_exit 2 "credentials from a FIFO" "fifo" \
    timeout 10 "$BANAUDIT" scan --targets one.csv --credentials fifo \
    --db audit.db

sum_after=$(cat audit.db* | sha256sum)
assert_eq "database unchanged by rejected input" "$sum_before" "$sum_after"
assert_eq "still one run" 1 "$(sqlite3 audit.db 'select count(*) from runs')"
finish
