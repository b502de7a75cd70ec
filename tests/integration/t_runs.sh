#!/bin/sh
# banaudit runs: every run of a database, with its figures and, after a
# merge, its origin -- as text and as JSON valid against
# docs/runs.schema.json.  Two site databases (imports of different
# fleets) merged into a central one; merging again adds nothing.
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

"$BANAUDIT" merge --db central.db north.db south.db 2>merge2.err
"$BANAUDIT" runs --db central.db > runs2.txt
assert_eq "merging again adds no run" "$(cat runs.txt)" "$(cat runs2.txt)"
"$BANAUDIT" runs --db central.db --format yaml >/dev/null 2>bad.err
assert_eq "runs: an unknown format is bad usage" 2 $?
assert_contains "... saying which" bad.err "unknown format 'yaml'"
"$BANAUDIT" runs --db missing.db >/dev/null 2>miss.err
assert_eq "runs: a missing database is a runtime error" 3 $?
finish
