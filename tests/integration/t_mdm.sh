#!/bin/sh
# Managed phones: Intune discovered apps (desktop and mobile rows) and Jamf
# Pro computer and mobile-device application exports.  A phone is a host
# of its own with its owner; the banned apps are found on the right
# devices, the look-alikes nowhere; the HTML report lists the phones
# apart from the network equipment.
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

finish
