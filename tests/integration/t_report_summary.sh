#!/bin/sh
# The HTML report of a run too large to list (issue 12, 2026-12-05: 1M
# unassessed hosts made a 1.5 GB page and 897 MB of memory).  Above
# --html-max-hosts (default 20000) it gives counts per sector and site,
# streamed from the store, and names the CSV reports with the full lists.
. "$(dirname "$0")/lib/common.sh"

cd "$T" || exit 1
{
	echo "host,name,version,publisher"
	i=1
	while [ $i -le 300 ]; do
		echo "ws-$i,Kaspersky Endpoint Security,11.0,AO Kaspersky Lab"
		i=$((i + 1))
	done
} > plant.csv
sed 's/^ws-/pc-/' plant.csv > hall.csv
"$BANAUDIT" import --db a.db --sector power --site Plant plant.csv --quiet
"$BANAUDIT" import --db a.db --sector localgov --site "City <Hall>" \
    --scope x hall.csv --quiet

# Two scopes make an estate; the run of 300 hosts is run 2.
"$BANAUDIT" report --db a.db --format html --run 2 --html-max-hosts 100 \
    --output s.html
assert_eq "report exits 0" 0 $?
assert_contains "says it is a summary" s.html 'id="summary-only"'
assert_contains "... of how many hosts" s.html "<b>300 hosts</b>, more than \
the 100"
assert_contains "... and where the full lists are" s.html \
    "--format coverage-csv</code>"
assert_contains "counts per sector and site" s.html \
    '<td>localgov</td><td>City &lt;Hall&gt;</td><td class="num">300</td>'
assert_contains "open findings counted" s.html "<p>300 new, 0 persisting"
assert_not_contains "no host listed one by one" s.html "pc-1[0-9]"
check "a small page ($(wc -c < s.html) bytes)" \
    test "$(wc -c < s.html)" -lt 30000

"$BANAUDIT" report --db a.db --format html --run 2 --output full.html
assert_eq "default limit: full report exits 0" 0 $?
assert_not_contains "under the limit: the full report" full.html \
    'id="summary-only"'
assert_contains "... with its hosts" full.html "pc-150"

"$BANAUDIT" report --db a.db --format html --run 2 --html-max-hosts 0 \
    --output z.html >out.txt 2>err.txt
assert_eq "--html-max-hosts 0 is a usage error" 2 $?
finish
