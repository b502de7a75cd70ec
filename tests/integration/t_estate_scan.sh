#!/bin/sh
# The estate from scans, not imports: two site databases scanned over SNMP
# from different fixture fleets (served by snmpresp on loopback) -- north:
# a Huawei switch and an H3C switch (telecom; a ZTE switch in the Huawei's
# LLDP table), scanned twice; south: a
# Kaspersky desktop and a Hikvision camera (localgov, Texas) -- merged
# into one central file.  Checks: merging again changes nothing; runs
# lists the three runs with their origins; the estate JSON (valid against
# the schema) has one part per site with each site's latest run, counts
# that add up, and findings and hosts naming their run; the CSV names
# both sites' runs; the central file without raw observations reports the
# same findings as one merged --full; and the estate HTML, opened in
# headless Chromium, shows every site's summary row with the JSON's
# figures, the sector sections and the host detail across the sites.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"
. "$(dirname "$0")/lib/chromium.sh"

cd "$T" || exit 1
mkdir fleet
for f in 01-telecom-huawei-s6720 03-telecom-h3c-s5560 \
    10-localgov-hikvision-cam 12-localgov-desktop-ksos; do
	cp "$DATA/fleet/$f.snmprec" fleet/
done
snmpresp_start "$T/fleet" || { fail "snmpresp did not start"; finish; }
addr() { awk -v n="$1" '$1 == n { print $2 }' "$T/snmpresp.map"; }
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
{
	echo "address,sector,site,owner,criticality,snmp_profile"
	echo "$(addr 01-telecom-huawei-s6720),telecom,Core,NOC,4,fixture"
	echo "$(addr 03-telecom-h3c-s5560),telecom,Core,NOC,3,fixture"
} > north.csv
{
	echo "address,sector,site,owner,criticality,snmp_profile,jurisdiction"
	echo "$(addr 12-localgov-desktop-ksos),localgov,Clerk,IT,3,fixture,US-TX"
	echo "$(addr 10-localgov-hikvision-cam),localgov,Lobby,IT,2,fixture,US-TX"
} > south.csv

scan() {	# DB TARGETS
	"$BANAUDIT" scan --targets "$2" --credentials creds.ini --db "$1" \
	    --timeout 2000 --retries 1 >"$1.out" 2>"$1.err"
	assert_eq "scan $1 exits 0" 0 $?
}
scan north.db north.csv
scan north.db north.csv
scan south.db south.csv

"$BANAUDIT" merge --db central.db north.db south.db 2>merge.err
assert_eq "merge exits 0" 0 $?
"$BANAUDIT" merge --db full.db --full north.db south.db 2>full.err
assert_eq "merge --full exits 0" 0 $?
"$BANAUDIT" report --db central.db --format json --output e0.json
"$BANAUDIT" merge --db central.db north.db south.db 2>merge2.err
assert_eq "merging again exits 0" 0 $?
"$BANAUDIT" report --db central.db --format json --output e.json
assert_eq "merging again changes no report" "$(cat e0.json)" \
    "$(cat e.json)"

"$BANAUDIT" runs --db central.db --format json > runs.json
assert_eq "runs exits 0" 0 $?
python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/runs.schema.json" json runs.json
assert_eq "runs JSON valid" 0 $?
assert_eq "runs: three scans, each with its site and origin" \
"north scan complete file=north.db;run=1
north scan complete file=north.db;run=2
south scan complete file=south.db;run=1" "$(python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    print(r["site"], r["kind"], r["status"],
          ";".join(r["origin"].split(";")[:2]))' runs.json)"

python3 "$TOP/tests/integration/lib/validate_json.py" \
    "$TOP/docs/report.schema.json" json e.json
assert_eq "estate JSON valid" 0 $?
python3 - e.json runs.json >parts.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
runs = {r["id"]: r for r in json.load(open(sys.argv[2]))["runs"]}
tot = {"targets": 0, "assessed": 0, "findings_open": 0}
for p in d["parts"]:
    c = p["counts"]
    latest = max(i for i, r in runs.items() if r["site"] == p["site"])
    print(p["site"], "latest" if p["run"]["id"] == latest else "OLD",
          c["targets"], c["assessed"], c["findings_open"] > 0,
          len(p["trend"]))
    for k in tot:
        tot[k] += c[k]
print("sums", all(d["counts"][k] == v for k, v in tot.items()))
parts = {p["run"]["id"]: p["site"] for p in d["parts"]}
for what in ("findings", "hosts"):
    print(what, sorted({parts[x["run_id"]] for x in d[what]}),
          all(x["run_id"] in parts for x in d[what]))
for f in sorted(d["findings"], key=lambda f: (parts[f["run_id"]],
                                              f["vendor"])):
    if f["status"] != "resolved":
        print(parts[f["run_id"]], f["vendor"], f["site"], f["asset"])
print("kinds", d["host_kinds"]["endpoint"]["hosts"],
      d["host_kinds"]["network"]["hosts"])
PY
assert_eq "estate JSON: each site's latest run, counts adding up" \
"north latest 2 2 True 2
south latest 2 2 True 1
sums True
findings ['north', 'south'] True
hosts ['north', 'south'] True
north Huawei Core agg-msk-07
north ZTE Core acc-msk-07-zte
south Hikvision Lobby CAM-TOWNHALL-ENTRANCE
south Kaspersky Clerk CLERK-PC-07
kinds 1 4" "$(cat parts.txt)"

"$BANAUDIT" report --db central.db --format csv --output e.csv
assert_eq "estate CSV: rows of both sites' latest runs" \
"Core 2 Huawei
Core 2 ZTE
Clerk 3 Kaspersky
Lobby 3 Hikvision" "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["site"], r["run"], r["vendor"])' e.csv)"
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

# The estate HTML in a real browser: every site's row, the JSON's figures.
if ! [ -x "$CHROMIUM" ]; then
	fail "chromium not installed (scripts/deps.sh test)"
	finish
fi
"$BANAUDIT" report --db central.db --format html --output e.html
assert_eq "estate html exits 0" 0 $?
chrome --dump-dom "file://$T/e.html" >dom.html
check "chromium dumped the estate DOM" test -s dom.html
python3 - dom.html e.json >dom.txt <<'PY'
import json, re, sys
from html.parser import HTMLParser

class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.site, self.cells, self.cell = {}, None, [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-site" in a:
            self.site, self.cells = a["data-site"], []
        elif tag == "td" and self.site is not None:
            self.cell = ""
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.cells.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.site is not None:
            self.rows[self.site] = self.cells
            self.site = None

p = Rows()
p.feed(open(sys.argv[1], encoding="utf-8").read())
d = json.load(open(sys.argv[2]))
keys = ["targets", "assessed", "partially_assessed", "not_assessed",
        "neighbour_only"]
rat = ["critical", "high", "medium", "low"]
for part in d["parts"]:
    c = part["counts"]
    want = [str(c[k]) for k in keys] + \
        [str(c["open_by_rating"][k]) for k in rat] + \
        [str(c[k]) for k in ("overdue", "due_within_30_days",
                             "findings_waived", "leads")]
    row = p.rows.get(part["site"])
    print(part["site"], "missing" if row is None else
          "run#%d" % part["run"]["id"] if row[2].startswith(
              "#%d," % part["run"]["id"]) else "wrong run " + row[2],
          "same" if row is not None and row[3:] == want else
          "differs %s %s" % (row and row[3:], want))
print("rows", len(p.rows))
PY
assert_eq "estate HTML in Chromium: every site's row, the JSON's figures" \
"north run#2 same
south run#3 same
rows 2" "$(cat dom.txt)"
assert_contains "estate HTML: findings name their site" dom.html \
    '<tr><td>south</td><td class="nw">#3</td>'
python3 - dom.html >sect.txt <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
def cells(row):
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
for m in re.finditer(r'<section class="sector" data-sector="([^"]*)">'
                     r'(.*?)</section>', html, re.S):
    for row in re.findall(r"<tr>(.*?)</tr>", m.group(2), re.S):
        c = cells(row)
        if c:
            print("sector", m.group(1), c[0], c[1], c[5].split(" ")[0],
                  c[7])
t = re.search(r'<table id="estate-hosts">(.*?)</table>', html, re.S)
for row in re.findall(r"<tr>(.*?)</tr>", t.group(1) if t else "", re.S):
    c = cells(row)
    if c:
        print("host", c[0], c[1], c[2].split(" ")[-1], c[3], c[4], c[5],
              c[7], c[8])
PY
assert_eq "estate HTML: sector sections and host detail across sites" \
"sector localgov south #3 Kaspersky Clerk
sector localgov south #3 Hikvision Lobby
sector telecom north #2 Huawei Core
sector telecom north #2 ZTE Core
host north #2 agg-msk-07 network telecom Core assessed 1
host north #2 acc-msk-07-zte network telecom Core neighbour tables only 1
host south #3 CLERK-PC-07 endpoint localgov Clerk assessed 1
host south #3 CAM-TOWNHALL-ENTRANCE network localgov Lobby assessed 1" \
    "$(cat sect.txt)"

finish
