#!/bin/sh
# Managed phones: Intune discovered apps (desktop and mobile rows) and Jamf
# Pro computer and mobile-device application exports.  A phone is a host
# of its own with its owner; the banned apps are found on the right
# devices, the look-alikes nowhere; the HTML report and the JSON list the
# phones apart from the endpoints and the network equipment.
. "$(dirname "$0")/lib/common.sh"

J="$DATA/juris"
cd "$T" || exit 1

"$BANAUDIT" import --db a.db --sector localgov --jurisdiction US-TX \
    --quiet "$J/intune-mobile.csv" "$J/jamf-mobile.csv" \
    "$J/jamf-computers.csv" 2>err.txt
assert_eq "import exit" 0 $?
"$BANAUDIT" report --db a.db --format csv --output report.csv
assert_eq "report exit" 0 $?
python3 - report.csv >found.txt <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline='')):
    print("%s|%s|%s" % (r["asset"], r["owner"], r["product"]))
PY
sort found.txt >sorted.txt
assert_eq "banned apps on the right devices, with their owners" "\
IPAD-LIBRARY-04|lib4@county.example|WeChat (Weixin) and WeChat Pay
IPHONE-CLERK-05|clerk5@county.example|Alipay
IPHONE-SHERIFF-02|deputy2@county.example|DeepSeek AI assistant app
LAPTOP-PARKS-03|parks3@county.example|CapCut video editor and Lark workplace suite
MAC-FINANCE-06|fin6|DingTalk
MAC-FINANCE-06|fin6|WPS Office
PHONE-CLERK-01|clerk1@county.example|TikTok (and TikTok Lite)
PHONE-CLERK-01|clerk1@county.example|WeChat (Weixin) and WeChat Pay" \
    "$(cat sorted.txt)"
assert_not_contains "look-alikes are no findings" report.csv \
    "Lark Player|WeCom|wework|Downloader|QQ Music|Keynote|Lark Suite"
assert_eq "a phone is a host of its own: six devices" 6 \
    "$(sqlite3 a.db "select count(*) from run_hosts")"
assert_eq "the Jamf serial number identifies the iPad" 1 \
    "$(sqlite3 a.db "select count(*) from host_keys \
    where key = 'serial:DMPXK1AAAA04'")"
assert_eq "the platform is recorded" "Android" \
    "$(sqlite3 a.db "select cast(value as text) from observations \
    where kind = 'system' and attr = 'platform' limit 1")"

"$BANAUDIT" report --db a.db --format html --output report.html
assert_eq "html exit" 0 $?
python3 - report.html >phones.txt <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<section class="major" id="phones">(.*?)</section>', html,
    re.S)
print(m.group(1) if m else "NO SECTION")
PY
assert_contains "phones section: its count" phones.txt \
    "4 managed phones or tablets.*<b>4</b> with open findings"
assert_contains "phones section: the clerk's phone and owner" phones.txt \
    "PHONE-CLERK-01.*clerk1@county.example"
assert_contains "phones section: the iPad" phones.txt "IPAD-LIBRARY-04"
assert_not_contains "phones section: no laptop" phones.txt \
    "LAPTOP-PARKS-03|MAC-FINANCE-06"

# The JSON: every host with its kind; phones counted apart.
"$BANAUDIT" report --db a.db --format json --output report.json
assert_eq "json exit" 0 $?
python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/report.schema.json" json report.json
assert_eq "json valid against the schema" 0 $?
python3 - report.json >kinds.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["host_kinds"]
print("kinds", k["phone"]["hosts"], k["phone"]["with_open_findings"],
      k["endpoint"]["hosts"], k["network"]["hosts"])
for h in sorted(d["hosts"], key=lambda h: h["host_name"]):
    print("%s|%s|%s|%s|%s|%d" % (h["host_name"], h["kind"], h["owner"],
          h["platform"] or h["model"], h["jurisdiction"],
          h["findings_open"]))
PY
assert_eq "json: hosts by kind" "kinds 4 4 2 0
IPAD-LIBRARY-04|phone|lib4@county.example|iPad (10th generation)|US-TX|1
IPHONE-CLERK-05|phone|clerk5@county.example|iPhone 15|US-TX|1
IPHONE-SHERIFF-02|phone|deputy2@county.example|iOS|US-TX|1
LAPTOP-PARKS-03|endpoint|parks3@county.example|Windows|US-TX|1
MAC-FINANCE-06|endpoint|fin6|MacBook Air (M2)|US-TX|2
PHONE-CLERK-01|phone|clerk1@county.example|Android|US-TX|2" \
    "$(cat kinds.txt)"

finish
