#!/bin/sh
# Jurisdictions: the same apps on a Texas, a Maryland and a
# jurisdiction-less host; each finding cites only what binds its host,
# federal law alone without a jurisdiction, and a product banned only in
# another state is no finding.  Look-alike names are never findings.
. "$(dirname "$0")/lib/common.sh"

J="$DATA/juris"
cd "$T" || exit 1

# finding HOST RULE COLUMN: one column of one finding of the CSV report.
finding() {
	python3 - "$1" "$2" "$3" report.csv <<'PY'
import csv, sys
host, rule, col, path = sys.argv[1:5]
with open(path, newline='') as f:
    for row in csv.DictReader(f):
        if row['asset'] == host and rule in row['product']:
            print(row[col])
PY
}

"$BANAUDIT" import --db a.db --sector localgov --quiet "$J/apps.csv" \
    2>err.txt
assert_eq "import exit" 0 $?
"$BANAUDIT" report --db a.db --format csv --output report.csv
assert_eq "report exit" 0 $?
assert_eq "findings: TikTok x3, DeepSeek in Texas, WeChat in Maryland" 5 \
    "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' report.csv)"

assert_eq "Texas TikTok cites Texas law" "yes" \
    "$(finding tx-pc-01 TikTok regulation | grep -q 'Texas SB 1893' && echo yes)"
assert_eq "Texas TikTok cites no Maryland policy" "" \
    "$(finding tx-pc-01 TikTok regulation | grep Maryland)"
assert_eq "Texas host jurisdiction" "US-TX" \
    "$(finding tx-pc-01 TikTok jurisdiction)"
assert_eq "Maryland TikTok cites Maryland" "yes" \
    "$(finding md-pc-01 TikTok regulation | grep -q 'Maryland Prohibited' && echo yes)"
assert_eq "Maryland TikTok cites no Texas law" "" \
    "$(finding md-pc-01 TikTok regulation | grep Texas)"
assert_eq "Maryland jurisdiction upper-cased" "US-MD" \
    "$(finding md-pc-01 TikTok jurisdiction)"
assert_eq "DeepSeek: Texas only" "" "$(finding md-pc-01 DeepSeek product)"
assert_eq "DeepSeek on Texas host" "DeepSeek AI assistant app" \
    "$(finding tx-pc-01 DeepSeek product)"
assert_eq "no-jurisdiction TikTok: federal law only" \
    "No TikTok on Government Devices Act and OMB M-23-13" \
    "$(finding nj-pc-01 TikTok regulation)"
assert_eq "no-jurisdiction evidence says so" "yes" \
    "$(finding nj-pc-01 TikTok evidence | grep -q 'no jurisdiction given: state lists not applied' && echo yes)"
assert_eq "federal-agency law is background for a local owner" "yes" \
    "$(finding nj-pc-01 TikTok binding_scope | grep -q '^No TikTok.*: background (binds federal agencies)$' && echo yes)"
assert_not_contains "look-alikes are no findings" report.csv \
    "Lark Player|Downloader|WeCom|Lenovo"

# A product banned only in another state: a note in the host detail (HTML
# and JSON), never a finding, a lead or a figure.
"$BANAUDIT" report --db a.db --format json --output report.json
assert_eq "json exit" 0 $?
python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/report.schema.json" json report.json
assert_eq "json valid" 0 $?
python3 - report.json >elsewhere.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("leads", d["counts"]["leads"], len(d["leads"]),
      "open", d["counts"]["findings_open"])
for h in sorted(d["hosts"], key=lambda h: h["host_name"]):
    for e in h["banned_elsewhere"]:
        print(h["host_name"], e["rule_id"], e["reason"])
    if not h["banned_elsewhere"]:
        print(h["host_name"], "-")
PY
assert_eq "DeepSeek banned in Texas only: a note on md and the unplaced host" \
    "leads 0 0 open 5
md-pc-01 deepseek-app not a finding in US-MD: no regulation that applies there bans it; banned elsewhere by Texas prohibited technologies list, 2025 additions (US-TX)
nj-pc-01 deepseek-app not a finding: no jurisdiction given, state lists not applied; banned elsewhere by Texas prohibited technologies list, 2025 additions (US-TX)
tx-pc-01 -" "$(cat elsewhere.txt)"
"$BANAUDIT" report --db a.db --format leads-csv --output leads.csv
assert_not_contains "the note is no lead" leads.csv "DeepSeek"
"$BANAUDIT" report --db a.db --format jsonl --output report.jsonl
assert_eq "the note is no JSONL finding" 5 "$(wc -l < report.jsonl)"
"$BANAUDIT" report --db a.db --format html --output report.html
assert_eq "html exit" 0 $?
python3 - report.html >detail.txt <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'<article class="host" id="h-\d+">(.*?)</article>',
                     html, re.S):
    a = m.group(1)
    name = re.search(r'<span class="muted">([^<]*)</span>', a).group(1)
    e = re.search(r'<h4>Banned elsewhere, not a finding here</h4>(.*?)'
                  r'</table>', a, re.S)
    print(name, "|", re.sub(r'<[^>]+>', ' ', e.group(1)).split()[-8:]
          if e else "-")
PY
assert_contains "html: md-pc-01's detail names DeepSeek and Texas" \
    detail.txt "^md-pc-01 \\|.*'2025', 'additions', '\\(US-TX\\)'"
assert_contains "html: tx-pc-01 has no such note" detail.txt "^tx-pc-01 \\| -$"
assert_eq "html: the DeepSeek note is in no finding" "" \
    "$(grep -o 'href="#f-[0-9]*">[^<]*</a>[^/]*DeepSeek' report.html)"

# --jurisdiction: the default for hosts the file does not place.
"$BANAUDIT" import --db b.db --sector localgov --jurisdiction us-tx \
    --quiet "$J/apps.csv"
"$BANAUDIT" report --db b.db --format csv --output report.csv
assert_eq "--jurisdiction places the host without one" "US-TX" \
    "$(finding nj-pc-01 TikTok jurisdiction)"
assert_eq "--jurisdiction does not move a placed host" "US-MD" \
    "$(finding md-pc-01 TikTok jurisdiction)"
"$BANAUDIT" import --db c.db --sector localgov --jurisdiction Texas \
    "$J/apps.csv" >out.txt 2>err.txt
assert_eq "bad --jurisdiction: exit 2" 2 $?
assert_contains "bad --jurisdiction: message" err.txt "jurisdiction"

# rules list --jurisdiction.
"$BANAUDIT" rules list --jurisdiction US-MD >list.txt
assert_eq "rules list exit" 0 $?
assert_contains "Maryland policy listed" list.txt "md-prohibited-tech"
assert_not_contains "Texas list not listed for Maryland" list.txt \
    "tx-prohibited-2023"
"$BANAUDIT" rules list --jurisdiction Maryland >out.txt 2>err.txt
assert_eq "bad rules --jurisdiction: exit 2" 2 $?

finish
