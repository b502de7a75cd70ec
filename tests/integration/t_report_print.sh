#!/bin/sh
# The report a CISO signs, printed: the demo estate (make demo: four
# sectors, two runs) is reported as HTML, printed on Letter and on A4 by
# headless Chromium (print-to-PDF; A4 through the DevTools protocol) and
# counted with pdfinfo: at most 15 pages each, the executive summary on
# page 1 (pdftotext), page 1 saved as a PNG artifact (pdftoppm).  The
# executive summary's figures are checked against the
# findings CSV of the same run: the heat map's 25 cells hold the open
# findings' likelihood x impact counts, the top risks are the highest
# scores in order, overdue and due-soon counts follow the due dates.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/chromium.sh"

ART=${ARTIFACTS:-$TOP/$BUILD/artifacts}
mkdir -p "$ART"
[ -x "$CHROMIUM" ] || { fail "chromium not installed"; finish; }
for t in pdfinfo pdftoppm pdftotext; do
	command -v $t >/dev/null || { fail "$t not installed (poppler-utils:" \
	    "scripts/deps.sh test)"; finish; }
done
cd "$T" || exit 1

# The page count is of the estate as designed, not of a loaded machine's
# timeouts: a slow snmpsimd is waited for (the silent RTU costs 3 x 5 s).
DEMO_OUT="$T/demo" DEMO_TIMEOUT=5000 "$TOP/demo/run.sh" "$BUILD" \
    > demo.log 2>&1
assert_eq "the demo estate was scanned" 0 $?
[ -s demo/report.html ] || { tail -20 demo.log >&2; finish; }
cp demo/report.html "$ART/report-demo.html"

# --- print ----------------------------------------------------------------
chrome --no-pdf-header-footer --print-to-pdf="$T/report.pdf" \
    "file://$T/demo/report.html" >/dev/null
check "Chromium printed the report" test -s report.pdf
pdfinfo report.pdf > info.txt
pages=$(sed -n 's/^Pages: *//p' info.txt)
assert_contains "printed on Letter" info.txt "^Page size: +612 x 792 pts"
check "the demo estate prints in at most 15 Letter pages ($pages)" \
    test "${pages:-99}" -le 15
pdftotext -f 1 -l 1 -layout report.pdf page1.txt
for s in "Executive summary" "Scope, method and limitations" "Top risks" \
    "Risk map" "Due dates" "Waivers:" "Findings per regulation" \
    "Sign-off"; do
	assert_contains "page 1 has: $s" page1.txt "$s"
done
rm -f "$ART/report-page1.png"
pdftoppm -f 1 -l 1 -r 110 -png -singlefile report.pdf "$ART/report-page1"
check "page 1 saved as a PNG artifact" test -s "$ART/report-page1.png"
cp report.pdf "$ART/report-demo.pdf"
# Table headers are never broken inside a word (2026-12-05: "Host s",
# "Assesse d"): every header word of the summary table is whole.
pdftotext -layout report.pdf all.txt
assert_not_contains "no header broken inside a word" all.txt \
    "Host s|Assesse d|Partiall y"

# --- A4 -------------------------------------------------------------------
# --print-to-pdf prints on Letter only: A4, as chosen in a print dialog,
# is the DevTools protocol's paper size (lib/print_pdf.py, over a pipe).
rm -rf "$T/chrome"
python3 "$TOP/tests/integration/lib/print_pdf.py" "$CHROMIUM" "$T/chrome" \
    "file://$T/demo/report.html" "$T/a4.pdf" 8.2677 11.6929 \
    2>> "$T/chrome.log"
check "Chromium printed the report on A4" test -s a4.pdf
pdfinfo a4.pdf > a4info.txt
a4pages=$(sed -n 's/^Pages: *//p' a4info.txt)
assert_contains "printed on A4" a4info.txt \
    "^Page size: +595\.[0-9]+ x 841\.[0-9]+ pts"
check "the demo estate prints in at most 15 A4 pages ($a4pages)" \
    test "${a4pages:-99}" -le 15
pdftotext -f 1 -l 1 -layout a4.pdf a4page1.txt
for s in "Executive summary" "Top risks" "Risk map" "Sign-off"; do
	assert_contains "A4 page 1 has: $s" a4page1.txt "$s"
done
pdftotext -layout a4.pdf a4all.txt
assert_not_contains "A4: no header broken inside a word" a4all.txt \
    "Host s|Assesse d|Partiall y"
rm -f "$ART/report-a4-page1.png"
pdftoppm -f 1 -l 1 -r 110 -png -singlefile a4.pdf "$ART/report-a4-page1"
check "A4 page 1 saved as a PNG artifact" test -s "$ART/report-a4-page1.png"
cp a4.pdf "$ART/report-demo-a4.pdf"

# --- the executive summary against the findings CSV -----------------------
"$BANAUDIT" report --db demo/demo.db --format csv --output f.csv
sqlite3 -batch c.db ".import --csv f.csv f"
chrome --dump-dom "file://$T/demo/report.html" > dom.html
check "chromium dumped the DOM" test -s dom.html
# Each heat-map cell: <td class="hm ..." data-l="L" data-i="I" data-n="N">.
grep -o 'data-l="[0-9]" data-i="[0-9]" data-n="[0-9]*"' dom.html |
    sed 's/data-l="\(.\)" data-i="\(.\)" data-n="\([0-9]*\)"/\1 \2 \3/' |
    sort > heat.txt
assert_eq "the heat map has 25 cells" 25 "$(wc -l < heat.txt)"
sqlite3 -separator ' ' c.db "with recursive n(x) as (select 1 union all \
    select x + 1 from n where x < 5) select a.x, b.x, (select count(*) \
    from f where status <> 'resolved' and likelihood = a.x and \
    impact = b.x) from n a, n b order by 1, 2" > want.txt
assert_eq "heat-map cells = open findings by likelihood x impact" \
    "$(cat want.txt)" "$(cat heat.txt)"
open=$(sqlite3 c.db "select count(*) from f where status <> 'resolved'")
check "the demo has open findings ($open)" test "$open" -gt 0
sed -n '/id="top-risks"/,/<\/table>/p' dom.html |
    grep -o 'data-score="[0-9]*"' | tr -dc '0-9\n' > top.txt
want=$open; [ "$want" -gt 10 ] && want=10
assert_eq "top risks: the $want highest" "$want" "$(wc -l < top.txt)"
assert_eq "top risks ordered by score" "$(sort -rn top.txt)" \
    "$(cat top.txt)"
assert_eq "top risks are the highest scores" "$(sqlite3 c.db "select \
    risk_score from f where status <> 'resolved' order by \
    risk_score + 0 desc limit 10")" "$(cat top.txt)"
day=$(sqlite3 demo/demo.db "select date(max(started), 'unixepoch') from \
    runs")
overdue=$(sqlite3 c.db "select count(*) from f where status <> \
    'resolved' and waived_until = '' and due_date < '$day'")
soon=$(sqlite3 c.db "select count(*) from f where status <> 'resolved' \
    and waived_until = '' and due_date >= '$day' and \
    due_date <= date('$day', '+30 days')")
assert_contains "overdue count ($overdue)" dom.html \
    "id=\"overdue\"><b class=\"big\">$overdue</b>"
assert_contains "due-soon count ($soon)" dom.html \
    "id=\"due-soon\"><b class=\"big\">$soon</b>"
# Badges are the risk rating; evidence opens with a plain sentence.
assert_contains "rating badge with severity beneath" dom.html \
    'class="sev sev-critical">critical</span><span class="sub">25 \(L5'
assert_contains "plain-language evidence line" dom.html \
    '<span class="plain">Kaspersky Endpoint Security for Windows installed and running \(processes avp.exe, klnagent.exe\)'
# 2026-12-05: rule-pack text was cut ("... [cut: 38 more bytes]"): every
# product name and recommended action is in the DOM whole.
sqlite3 c.db "select distinct product from f union select distinct \
    recommended_action from f" | grep -v "[&<>'\"]" > pack.txt
check "rule-pack texts to look for ($(wc -l < pack.txt))" \
    test "$(wc -l < pack.txt)" -gt 5
while IFS= read -r line; do
	grep -qF -- "$line" dom.html || fail "cut or missing: $line"
done < pack.txt
finish
