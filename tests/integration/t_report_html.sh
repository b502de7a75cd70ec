#!/bin/sh
# The HTML report in a real browser: headless Chromium opens the report of
# the demo estate (tests/tools/html_demo.c: four sectors, two runs, hosts
# not assessed, hostile values) from a file, with every host name mapped to
# "not found" and a network log on.  Checks: the report's own script ran
# (its CSP hash matches) and no injected one did, every sector and finding
# is in the DOM, hostile strings are text, the page asked for no http(s)
# URL at all (a control page that does is caught by the same check), the
# document reads with JavaScript off; saves a screenshot and a PDF print
# under $ARTIFACTS (default $BUILD/artifacts).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/chromium.sh"

ART=${ARTIFACTS:-$TOP/$BUILD/artifacts}
mkdir -p "$ART"

if ! [ -x "$CHROMIUM" ]; then
	echo "  chromium not installed (scripts/deps.sh test)" >&2
	exit 1
fi

# The demo database and its report.
"$TOOLS/html_demo" "$T/demo.db" "$T/tool.html" ||
    { echo "  html_demo failed" >&2; exit 1; }
if [ -x "$BANAUDIT" ]; then
	"$BANAUDIT" report --db "$T/demo.db" --format html \
	    --output "$T/report.html" 2>"$T/report.err"
	assert_eq "banaudit report --format html exits 0" 0 $?
	check "the CLI writes the same bytes as the library" \
	    cmp -s "$T/report.html" "$T/tool.html"
else
	echo "  note: $BANAUDIT not built; using html_demo's report" >&2
	cp "$T/tool.html" "$T/report.html"
fi
cp "$T/report.html" "$ART/report.html"
URL="file://$T/report.html"

# 1. The DOM after the page's script ran, with a network log.
chrome --log-net-log="$T/net.json" --dump-dom "$URL" >"$T/dom.html"
check "chromium dumped the DOM" test -s "$T/dom.html"
check "chromium wrote a network log" test -s "$T/net.json"
assert_contains "the report's script ran (CSP hash matches)" \
    "$T/dom.html" '<html lang="en" class="[^"]*js'
assert_contains "the findings filter ran" "$T/dom.html" \
    '<output aria-live="polite">12 of 12 findings shown</output>'
assert_not_contains "no script injected by data ran" "$T/dom.html" \
    'id="pwned-marker"'
assert_not_contains "no img element" "$T/dom.html" '<img'
assert_eq "exactly one script element" 1 \
    "$(grep -o '<script' "$T/dom.html" | wc -l)"
assert_eq "one section per sector, and one for hosts without" 5 \
    "$(grep -c '<section class="sector" id="sector-[0-9]*">' "$T/dom.html")"
for s in healthcare localgov power telecom; do
	assert_contains "sector $s has its section" "$T/dom.html" \
	    "^<h3>$s</h3>"
done
assert_contains "the unsectored import has its section" "$T/dom.html" \
    '<h3><span class="na">\(no sector\)</span></h3>'
sqlite3 "$T/demo.db" "SELECT DISTINCT finding_id FROM findings" \
    >"$T/fids.txt"
assert_eq "the demo has 12 distinct finding ids" 12 \
    "$(wc -l <"$T/fids.txt" | tr -d ' ')"
while read -r fid; do
	assert_contains "finding $fid in the findings table" "$T/dom.html" \
	    "<td class=\"mono fid\">$fid<"
done <"$T/fids.txt"
assert_contains "hostile host name is text" "$T/dom.html" \
    '&lt;script&gt;alert\(1\)&lt;/script&gt;'
assert_contains "hostile site is text" "$T/dom.html" \
    '&gt;&lt;img src=x onerror="var e=document.createElement'
assert_contains "formula is text" "$T/dom.html" \
    '=HYPERLINK\("http://x","y"\)'
assert_contains "javascript: URL is text, not a link" "$T/dom.html" \
    '\(javascript:alert\(1\)\)'
assert_not_contains "no javascript: link" "$T/dom.html" 'href="javascript'
assert_contains "citation link" "$T/dom.html" \
    '<a class="cite" rel="noopener noreferrer" href="https://www.ecfr.gov/'
assert_contains "invalid UTF-8 replaced" "$T/dom.html" "$(printf \
    'bad \357\277\275\357\277\275 utf-8')"
assert_contains "hosts not assessed listed" "$T/dom.html" \
    '<h3>Hosts not assessed \(4\)</h3>'
assert_contains "hosts partially assessed listed" "$T/dom.html" \
    '<h3>Hosts partially assessed \(1\)</h3>'
assert_contains "findings of hosts not assessed stay open, unverified" \
    "$T/dom.html" \
    '<td><b>unverified:</b> agent inventory of plc-gw \(10\.20\.1\.6\): '\
'timeout'
assert_contains "the waiver is shown" "$T/dom.html" \
    'until 2027-03-31: Public-safety use under review'
assert_contains "hosts missing from this run listed" "$T/dom.html" \
    '<h3>Hosts of the previous run missing from this run \(1\)</h3>'
page_requests "$T/net.json" >"$T/requests.txt"
assert_eq "the report requested no http(s) URL" "" \
    "$(cat "$T/requests.txt")"

# 2. The same check catches a page that does load something.
printf '<!DOCTYPE html><title>c</title><img src="http://leak.example/x">\n' \
    >"$T/control.html"
chrome --log-net-log="$T/control.json" --dump-dom "file://$T/control.html" \
    >/dev/null
assert_eq "control: the request check sees a leaking page" \
    "http://leak.example/x" "$(page_requests "$T/control.json")"

# 3. JavaScript off.  Headless Chromium's --dump-dom needs JavaScript, so
# the report's one script line is taken out instead: that is exactly what
# a reader without JavaScript gets.
assert_eq "the script is one line of the report" 1 \
    "$(grep -c '^<script>' "$T/report.html")"
grep -v '^<script>' "$T/report.html" >"$T/nojs.html"
chrome --dump-dom "file://$T/nojs.html" >"$T/nojs-dom.html"
assert_not_contains "no script ran" "$T/nojs-dom.html" \
    '<html lang="en" class="[^"]*js'
assert_eq "all findings present without JavaScript" 12 \
    "$(grep -c '<tbody class="finding' "$T/nojs-dom.html")"
assert_contains "the host detail is there" "$T/nojs-dom.html" \
    '<h2>5. Host detail</h2>'
assert_contains "no sort buttons without JavaScript" "$T/nojs-dom.html" \
    '<th>Finding · status</th>'
rm -f "$ART/report-nojs.png"
chrome --screenshot="$ART/report-nojs.png" --window-size=1280,2000 \
    "file://$T/nojs.html" >/dev/null
check "screenshot without JavaScript saved" test -s "$ART/report-nojs.png"

# 4. Screenshot and PDF print.
rm -f "$ART/report.png" "$ART/report.pdf"
chrome --screenshot="$ART/report.png" --window-size=1280,2000 "$URL" \
    >/dev/null
check "screenshot saved" test -s "$ART/report.png"
assert_eq "screenshot is a PNG" "$(printf '\211PNG')" \
    "$(head -c 4 "$ART/report.png")"
chrome --print-to-pdf="$ART/report.pdf" --no-pdf-header-footer "$URL" \
    >/dev/null
check "PDF saved" test -s "$ART/report.pdf"
assert_eq "PDF header" "%PDF-" "$(head -c 5 "$ART/report.pdf")"
pages=$(grep -a -o '/Count [0-9]*' "$ART/report.pdf" | cut -d' ' -f2 |
    sort -n | tail -1)
check "PDF has a cover and one page or more per section ($pages)" \
    test "${pages:-0}" -ge 6
echo "  artifacts: $ART/report.html report.png report-nojs.png" \
    "report.pdf" >&2

finish
