#!/bin/sh
# banaudit import: every format into a database, the Kaspersky signature
# judgement in the findings report, malformed input refused with FILE:LINE
# before the database is touched, and a re-import keeping finding ids.
. "$(dirname "$0")/lib/common.sh"

I="$DATA/import"
cd "$T" || exit 1

expect_exit() {	# CODE DESCRIPTION PATTERN CMD...
	code=$1 desc=$2 pat=$3
	shift 3
	"$@" >out.txt 2>err.txt
	rc=$?
	assert_eq "$desc: exit code" "$code" "$rc"
	[ -n "$pat" ] && assert_contains "$desc: message" err.txt "$pat"
}

# column NAME FILE: prints the values of one column of the findings CSV.
column() {
	python3 - "$1" "$2" <<'EOF'
import csv, sys
with open(sys.argv[2], newline='') as f:
    for row in csv.DictReader(f):
        print(row[sys.argv[1]])
EOF
}

db_sum() {
	cat audit.db* 2>/dev/null | sha256sum
}

expect_exit 0 "help" "" "$BANAUDIT" import --help
assert_contains "help on stdout" out.txt "usage: banaudit import"
expect_exit 2 "no file" "name at least one FILE" "$BANAUDIT" import
expect_exit 2 "bad format" "unknown format 'pdf'" \
    "$BANAUDIT" import --format pdf "$I/generic.csv"
expect_exit 2 "bad sector" "unknown sector 'water'" \
    "$BANAUDIT" import --sector water "$I/generic.csv"
expect_exit 2 "bad criticality" "--criticality: '9'" \
    "$BANAUDIT" import --criticality 9 "$I/generic.csv"

# Bad input before any database exists: none is created.
expect_exit 2 "malformed XML, no database yet" \
    "^banaudit: $I/bad-xml.xml:6: " \
    "$BANAUDIT" import --db audit.db --sector power "$I/bad-xml.xml"
check "no database created by rejected input" test ! -e audit.db

# Every good fixture, one import run each.
for f in kes-after.xml kes-before.xml kes-after.json kesl-nodate.json \
    generic.csv glpi.csv intune.csv synonyms.csv; do
	expect_exit 0 "import $f" "" "$BANAUDIT" import --db audit.db \
	    --sector healthcare --site "Site A" --quiet "$I/$f"
done
assert_eq "eight import runs" 8 \
    "$(sqlite3 audit.db "select count(*) from runs where kind = 'import' \
    and status = 'complete'")"
assert_eq "runs scoped by file name" "import:kes-after.xml" \
    "$(sqlite3 audit.db 'select scope from runs where id = 1')"
# kes-after.xml and kes-after.json are one machine: one host.
assert_eq "XML and JSON twins are one host" 1 \
    "$(sqlite3 audit.db "select count(distinct host_id) from run_hosts \
    where run_id in (1, 3)")"

"$BANAUDIT" report --db audit.db --run 1 --format csv >after.csv
assert_eq "report exits 0" 0 $?
assert_contains "Kaspersky finding" after.csv ',Kaspersky,'
assert_contains "after the cutoff" after.csv "signature base 2024-11-05: \
after the 2024-09-29 cutoff -- updates still arriving from a banned source"
assert_contains "sector from --sector" after.csv ',healthcare,Site A,'
assert_contains "address from the inventory" after.csv ',10\.40\.7\.17,'
assert_not_contains "no process arguments" after.csv "hunter2"
"$BANAUDIT" report --db audit.db --run 1 --format inventory-csv >inv.csv
assert_not_contains "no environment in the inventory" inv.csv "env-value"
assert_not_contains "no arguments in the inventory" inv.csv "hunter2"

"$BANAUDIT" report --db audit.db --run 2 --format csv >before.csv
assert_contains "before the cutoff" before.csv "signature base 2024-09-15: \
before the 2024-09-29 cutoff -- stale protection on a banned product"
"$BANAUDIT" report --db audit.db --run 3 --format csv >json.csv
assert_eq "JSON twin: same finding ids as the XML" \
    "$(column finding_id after.csv)" "$(column finding_id json.csv)"
assert_contains "JSON twin: same judgement" json.csv \
    "signature base 2024-11-05: after the 2024-09-29 cutoff"
"$BANAUDIT" report --db audit.db --run 4 --format csv >nodate.csv
assert_contains "no date" nodate.csv "no signature base date reported"
"$BANAUDIT" report --db audit.db --run 5 --format csv >generic.csv
assert_contains "CSV: sector column wins over --sector" generic.csv \
    ',localgov,City Hall,'
assert_contains "CSV: the Kaspersky host" generic.csv ',ws-acc-01,'
assert_not_contains "CSV: no judgement without agent facts" generic.csv \
    "signature base"
"$BANAUDIT" report --db audit.db --run 6 --format csv >glpi.csv
assert_contains "GLPI export: the clerk's Kaspersky" glpi.csv \
    ',PC-CLERK-3,'
"$BANAUDIT" report --db audit.db --run 7 --format csv >intune.csv
assert_contains "Intune export: the nurse's laptop" intune.csv \
    ',LAPTOP-NURSE-1,'
assert_not_contains "Intune export: the clean laptop" intune.csv \
    ',LAPTOP-NURSE-2,'

# Malformed files: exit 2, FILE:LINE, and not one byte of the database
# changes, even when good files come first on the command line.
sum_before=$(db_sum)
expect_exit 2 "malformed JSON" "^banaudit: $I/bad-json.json:5: " \
    "$BANAUDIT" import --db audit.db --sector power "$I/kes-after.xml" \
    "$I/bad-json.json"
expect_exit 2 "JSON of the wrong shape" \
    "^banaudit: $I/bad-json-type.json: content.softwares: expected an array" \
    "$BANAUDIT" import --db audit.db --sector power "$I/bad-json-type.json"
expect_exit 2 "unknown CSV columns" \
    "^banaudit: $I/bad-columns.csv:1: not a software export .*'colour', 'size', 'weight'" \
    "$BANAUDIT" import --db audit.db --sector power "$I/generic.csv" \
    "$I/bad-columns.csv"
expect_exit 2 "CSV unknown sector" \
    "^banaudit: $I/bad-sector.csv:3: unknown sector 'water'" \
    "$BANAUDIT" import --db audit.db "$I/bad-sector.csv"
expect_exit 2 "CSV bad quoting" \
    "^banaudit: $I/bad-quote.csv:3: unterminated quoted field" \
    "$BANAUDIT" import --db audit.db --sector power "$I/bad-quote.csv"
expect_exit 2 "host without a sector" \
    "^banaudit: $I/kes-after.xml: host 'WS-PUMP-07' has no sector" \
    "$BANAUDIT" import --db audit.db "$I/kes-after.xml"
expect_exit 2 "missing file" "nosuch.xml: No such file" \
    "$BANAUDIT" import --db audit.db --sector power "$I/nosuch.xml"
expect_exit 2 "forced format" "^banaudit: $I/generic.csv:1: " \
    "$BANAUDIT" import --db audit.db --sector power --format xml \
    "$I/generic.csv"
assert_eq "database unchanged by rejected imports" "$sum_before" \
    "$(db_sum)"

# The same host imported again: the finding persists, same id.
expect_exit 0 "re-import kes-before.xml" "" "$BANAUDIT" import \
    --db audit.db --sector healthcare --quiet "$I/kes-before.xml"
# Run 9 (several scopes: without --run, report would give the estate).
"$BANAUDIT" report --db audit.db --run 9 --format csv >again.csv
assert_eq "re-import: same finding ids" "$(column finding_id before.csv)" \
    "$(column finding_id again.csv)"
assert_eq "re-import: persisting" "persisting" \
    "$(column status again.csv | sort -u)"
assert_eq "re-import: one host, not two" 1 \
    "$(sqlite3 audit.db "select count(distinct host_id) from run_hosts \
    where run_id in (2, 9)")"
finish
