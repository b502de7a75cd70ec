#!/bin/sh
# The central file of a state office.  banaudit runs: every run of a
# database, with its figures and, after a merge, its origin -- as text and
# as JSON valid against docs/runs.schema.json.  Two site databases
# (imports of different fleets; north twice) merged into a central one;
# merging again adds nothing.  Then the estate: report without --run
# combines each scope's latest complete run -- CSV rows name their run,
# the JSON (valid against docs/report.schema.json) has one part per site
# with its counts and trend, the HTML estate summary one row per site with
# the same figures; --site narrows it.
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

cat > north.csv <<'CSV'
host,address,sector,site,name,version,publisher
pc-n1,10.1.0.1,localgov,North,Kaspersky Endpoint Security for Windows,12.1,AO Kaspersky Lab
pc-n2,10.1.0.2,localgov,North,Mozilla Firefox,128.5.0,Mozilla
CSV
cat > south.csv <<'CSV'
host,address,sector,site,name,version,publisher
pc-s1,10.2.0.1,healthcare,South,UltraAV,1.4.2,Ultra Security
pc-s2,10.2.0.2,healthcare,South,Kaspersky Small Office Security,21.3,AO Kaspersky Lab
pc-s3,10.2.0.3,healthcare,South,7-Zip 23.01,23.01,Igor Pavlov
CSV
"$BANAUDIT" import --db north.db north.csv 2>/dev/null
"$BANAUDIT" import --db north.db north.csv 2>/dev/null
"$BANAUDIT" import --db south.db south.csv 2>/dev/null
"$BANAUDIT" merge --db central.db north.db south.db 2>merge.err
assert_eq "merge exits 0" 0 $?

"$BANAUDIT" runs --db central.db > runs.txt
assert_eq "runs exits 0" 0 $?
assert_eq "runs: a header and two lines per run" 7 "$(wc -l < runs.txt)"
assert_contains "runs: north's first run, its figures" runs.txt \
    "^1 +complete +import +[0-9T:Z-]+ +2 +2 +0 +0 +1  north / "
assert_contains "runs: south's run" runs.txt \
    "^3 +complete +import +[0-9T:Z-]+ +3 +3 +0 +0 +1  south / "
assert_contains "runs: the origin of a merged run" runs.txt \
    "^ +uuid [0-9a-f-]{36}, finished [0-9T:Z-]+, from file=south\.db;run=1;"
"$BANAUDIT" runs --db central.db --format json > runs.json
/usr/bin/python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/runs.schema.json" json runs.json
assert_eq "runs JSON valid against the schema" 0 $?
assert_eq "runs JSON: ids, sites, open findings and leads" \
"1 north 1 0
2 north 1 0
3 south 1 1" "$(python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    print(r["id"], r["site"], r["findings_open"], r["leads"])' runs.json)"

"$BANAUDIT" report --db central.db --format json --output e0.json
"$BANAUDIT" merge --db central.db north.db south.db 2>merge2.err
"$BANAUDIT" runs --db central.db > runs2.txt
assert_eq "merging again adds no run" "$(cat runs.txt)" "$(cat runs2.txt)"
"$BANAUDIT" report --db central.db --format json --output e2.json
assert_eq "merging again changes no report" "$(cat e0.json)" \
    "$(cat e2.json)"
# --- the estate ------------------------------------------------------------
"$BANAUDIT" report --db central.db --format csv --output e.csv
assert_eq "estate CSV: each site's latest run, rows naming it" \
"BA-	North	persisting	2
BA-	South	new	3" "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["finding_id"][:3], r["site"], r["status"], r["run"], sep="\t")
' e.csv | sort)"
"$BANAUDIT" report --db central.db --format json --output e.json
/usr/bin/python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/report.schema.json" json e.json
assert_eq "estate JSON valid against the schema" 0 $?
assert_eq "estate JSON: a part per site, its run, counts and trend" \
"north 2 2 2 1 2
south 3 3 3 1 1
total 5 5 2 1" "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for p in d["parts"]:
    c = p["counts"]
    print(p["site"], p["run"]["id"], c["targets"], c["assessed"],
          c["findings_open"], len(p["trend"]))
c = d["counts"]
print("total", c["targets"], c["assessed"], c["findings_open"], c["leads"])
' e.json)"
"$BANAUDIT" report --db central.db --format html --output e.html
assert_contains "estate HTML: the summary" e.html \
    '<table id="estate-summary">'
# row SITE: the figures of the summary row, tab-separated.
row() {
	python3 - "$1" e.html <<'PY'
import re, sys
html = open(sys.argv[2]).read()
m = re.search(r'<tr data-site="%s">(.*?)</tr>' % re.escape(sys.argv[1]),
              html)
print("\t".join(re.findall(r'<td class="num[^"]*">(\d+)</td>',
                           m.group(1))) if m else "missing")
PY
}
# targets assessed partially not neighbour crit high med low overdue due30
# waived leads
assert_eq "estate HTML: north's row, as in the JSON" \
    "2	2	0	0	0	0	1	0	0	0	0	0	0" "$(row north)"
assert_eq "estate HTML: south's row" \
    "3	3	0	0	0	0	1	0	0	0	0	0	1" "$(row south)"
assert_contains "estate HTML: the trend chart" e.html \
    '<svg class="chart" role="img" viewBox="0 0 640 160"'
assert_contains "estate HTML: findings name their site and run" e.html \
    '<tr><td>south</td><td class="nw">#3</td>'
"$BANAUDIT" report --db central.db --format csv --site north \
    --output n.csv
assert_eq "--site narrows the estate" "North" \
    "$(python3 -c 'import csv, sys
print(*sorted({r["site"] for r in csv.DictReader(open(sys.argv[1],
    newline=""))}))' n.csv)"
"$BANAUDIT" report --db central.db --format csv --run 3 --output r3.csv
assert_eq "--run still picks one run" "3" "$(python3 -c 'import csv, sys
print(*sorted({r["run"] for r in csv.DictReader(open(sys.argv[1],
    newline=""))}))' r3.csv)"

# --- raw observations stay at the sites (merge --full copies them) ------
"$BANAUDIT" merge --db full.db --full north.db south.db 2>full.err
assert_eq "merge --full exits 0" 0 $?
for f in csv json leads-csv; do
	"$BANAUDIT" report --db central.db --format $f --output "c.$f"
	"$BANAUDIT" report --db full.db --format $f --output "f.$f"
	# A host's kind and platform come from raw observations, which
	# stay at the sites (README: JSON): compared apart below.
	[ $f = json ] && for x in c f; do
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d.pop("hosts"); d.pop("host_kinds")
json.dump(d, open(sys.argv[1], "w"), indent=1)' "$x.json"
	done
	assert_eq "without raw observations: the same $f as --full" \
	    "$(cat "f.$f")" "$(cat "c.$f")"
done
"$BANAUDIT" report --db central.db --format json --output ch.json
"$BANAUDIT" report --db full.db --format json --output fh.json
assert_eq "without raw observations: the same hosts, each kind apart" \
    "$(python3 -c 'import json, sys
for h in json.load(open(sys.argv[1]))["hosts"]:
    h.pop("kind"); h.pop("platform"); h.pop("os"); h.pop("model")
    h.pop("serial"); print(sorted(h.items()))' fh.json)" \
    "$(python3 -c 'import json, sys
for h in json.load(open(sys.argv[1]))["hosts"]:
    h.pop("kind"); h.pop("platform"); h.pop("os"); h.pop("model")
    h.pop("serial"); print(sorted(h.items()))' ch.json)"
assert_contains "the default merge copies only the evidence" merge.err \
    "south\.db: .* 3 observations, 2 findings"
assert_contains "--full copies every observation" full.err \
    "south\.db: .* 12 observations, 2 findings"
"$BANAUDIT" report --db central.db --format inventory-csv --output ci.csv
"$BANAUDIT" report --db full.db --format inventory-csv --output fi.csv
assert_eq "the central inventory: the evidence only" "5 20" \
    "$(($(wc -l < ci.csv) - 1)) $(($(wc -l < fi.csv) - 1))"

"$BANAUDIT" runs --db central.db --format yaml >/dev/null 2>bad.err
assert_eq "runs: an unknown format is bad usage" 2 $?
assert_contains "... saying which" bad.err "unknown format 'yaml'"
"$BANAUDIT" runs --db missing.db >/dev/null 2>miss.err
assert_eq "runs: a missing database is a runtime error" 3 $?
finish
