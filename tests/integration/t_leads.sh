#!/bin/sh
# Leads are not findings (rules.h, ACTION_LEAD).  UltraAV, which replaced
# US Kaspersky consumer installs in September 2024, is not prohibited: on
# its own it is a lead ("check this host for leftovers"), listed in
# leads-csv with its evidence and reason, never in the findings CSV, never
# with a regulation or due date, never counted as a finding.  A host with
# UltraAV and a leftover Kaspersky product has a finding for the leftover
# and the lead beside it.  `rules check` refuses a lead that cites a
# regulation.
# 2026-12-05: UltraAV was a Kaspersky finding with a regulation and a due
# date.
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

cat > inv.csv <<'CSV'
host,address,sector,site,name,version,publisher
pc-ultra,10.70.0.21,localgov,City Hall,UltraAV,1.4.2,Ultra Security
pc-ultra,10.70.0.21,localgov,City Hall,Mozilla Firefox,128.5.0,Mozilla
pc-both,10.70.0.22,localgov,City Hall,UltraAV,1.4.2,Ultra Security
pc-both,10.70.0.22,localgov,City Hall,Kaspersky Endpoint Security for Windows,12.1.0.506,AO Kaspersky Lab
pc-clean,10.70.0.23,localgov,City Hall,7-Zip 23.01,23.01,Igor Pavlov
CSV

"$BANAUDIT" import --db a.db inv.csv >imp.out 2>imp.err
assert_eq "import exits 0" 0 $?
assert_contains "the summary counts findings without the leads" imp.err \
    "3 hosts, [0-9]+ observations, 1 findings"
assert_contains "... and names the leads apart" imp.err \
    "2 leads to check on site \(not findings"

"$BANAUDIT" report --db a.db --format csv --output f.csv
"$BANAUDIT" report --db a.db --format leads-csv --output l.csv
assert_eq "report leads-csv exits 0" 0 $?
col() {	# FILE COLUMN...: the columns, tab-separated, sorted
	python3 - "$@" <<'PY' | sort
import csv, sys
with open(sys.argv[1], newline='') as f:
    for row in csv.DictReader(f):
        print("\t".join(row[c] for c in sys.argv[2:]))
PY
}
assert_eq "the findings CSV: only the Kaspersky leftover" \
    "10.70.0.22	Kaspersky Endpoint Security (Windows, Linux, Mac) and \
Kaspersky Security for Windows Server" "$(col f.csv address product)"
assert_not_contains "no UltraAV in the findings CSV" f.csv "UltraAV"
assert_eq "leads-csv header" "lead_id,seen,sector,site,owner,asset,\
address,vendor,product,channel,evidence,confidence,reason,run" \
    "$(head -n 1 l.csv | tr -d '\r')"
assert_eq "one lead per UltraAV host" "10.70.0.21	Kaspersky
10.70.0.22	Kaspersky" "$(col l.csv address vendor)"
assert_eq "the lead's evidence" 2 "$(col l.csv evidence | \
    grep -c '^import software.name "UltraAV"')"
assert_eq "the lead's reason" 2 "$(col l.csv reason | grep -c \
    '^Not prohibited, and covered by none of the Kaspersky regulations: it only points to a former Kaspersky host')"
assert_eq "lead ids look like finding ids and differ from them" 2 \
    "$(col l.csv lead_id | grep -cE '^BA-[0-9a-f]{16}$')"
"$BANAUDIT" diff --db a.db > diff.txt
assert_contains "diff counts no lead" diff.txt "^new 1, resolved 0, \
persisting 0$"
"$BANAUDIT" report --db a.db --format html --output r.html
assert_contains "HTML: the leads section" r.html \
    '<h2 id="leads">Leads to check \(2\)</h2>'
assert_eq "HTML: no regulation or due date in a lead row" 0 \
    "$(sed -n '/<table id="leads-table">/,/<\/table>/p' r.html | \
    grep -c 'due\|NDAA\|FAR 52\|sev-')"
assert_eq "HTML: both leads listed" 2 "$(sed -n \
    '/<table id="leads-table">/,/<\/table>/p' r.html | grep -c '^<tr>')"

"$BANAUDIT" report --db a.db --format json --output r.json
/usr/bin/python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/report.schema.json" json r.json
assert_eq "JSON valid against the schema" 0 $?
assert_eq "JSON: one finding, two leads, counted apart" "1 2 1 2" \
    "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["findings"]), len(d["leads"]), d["counts"]["findings_open"],
      d["counts"]["leads"])' r.json)"
"$BANAUDIT" report --db a.db --format jsonl --output r.jsonl
assert_eq "JSONL: the finding only" 1 "$(grep -c . r.jsonl)"
assert_not_contains "JSONL: no lead" r.jsonl "UltraAV"

# A lead that cites a regulation is refused by rules check.
cp -r "$TOP/rules" pack
sed -i 's/^\(kaspersky-ultraav,[^,]*,[^,]*,lead\),,,/\1,,ndaa-fy18-1634,/' \
    pack/rules.csv
"$BANAUDIT" rules --rules pack check >chk.out 2>chk.err
assert_eq "rules check refuses a lead citing a regulation" 2 $?
assert_contains "... saying why" chk.err "rules.csv:[0-9]+: lead rule \
'kaspersky-ultraav' cites regulations: a lead is not prohibited"
finish
