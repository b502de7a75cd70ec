#!/bin/sh
# History across scans of a changing fleet (our snmpresp responder on
# 127.43.0.N): finding ids stay put, statuses follow the device, and a
# device that stops answering keeps its findings "persisting", unverified,
# never "resolved"; banaudit diff says so.  Then waivers (set, list, shown
# in the report, expiry rules, remove) and the merge of two site databases
# (provenance kept, a second merge adds nothing, a bad file changes
# nothing).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

F="$DATA/fleet"
cd "$T" || exit 1

expect_exit() {	# CODE DESCRIPTION PATTERN CMD...
	code=$1 desc=$2 pat=$3
	shift 3
	"$@" >out.txt 2>err.txt
	rc=$?
	assert_eq "$desc: exit code" "$code" "$rc"
	[ -n "$pat" ] && assert_contains "$desc: message" err.txt "$pat"
}

# db_sum DB: a digest of the database's content (the -shm a reader leaves
# behind changes the files, not the data).
db_sum() {
	sqlite3 -readonly "$1" .dump | sha256sum
}

# rows FILE COLUMN...: the findings CSV's columns, tab-separated, sorted;
# the responder's port (the same in every run) left out of addresses.
rows() {
	python3 - "$@" <<'EOF' | sed "s/:$P\b//g" | sort
import csv, sys
with open(sys.argv[1], newline='') as f:
    for row in csv.DictReader(f):
        print("\t".join(row[c] for c in sys.argv[2:]))
EOF
}

# The fleet of run 1: three devices of three sectors, each with Kaspersky.
mkdir fleet1 fleet2
cp "$F/04-power-scada-kics.snmprec" fleet1/1-kics.snmprec
cp "$F/08-health-linux-kesl.snmprec" fleet1/2-kesl.snmprec
cp "$F/12-localgov-desktop-ksos.snmprec" fleet1/3-ksos.snmprec
# Run 2: KICS unchanged; Kaspersky removed from the PACS host; the desktop
# gone quiet (nobody answers on its address).
cp fleet1/1-kics.snmprec fleet2/
grep -v -e kesl -e klnagent -e kaspersky fleet1/2-kesl.snmprec \
    > fleet2/2-kesl.snmprec

printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini

# targets PORT: targets.csv for 127.43.0.1-3.  The target key is address
# and port, so the responder keeps its first port in every run.
targets() {
	{
		echo "address,sector,site,owner,criticality,snmp_profile"
		echo "127.43.0.1:$1,power,Plant,OT,4,fixture"
		echo "127.43.0.2:$1,healthcare,Hospital,Imaging,3,fixture"
		echo "127.43.0.3:$1,localgov,City Hall,IT,3,fixture"
	} > targets.csv
}

scan() {	# DB: one scan of targets.csv
	"$BANAUDIT" scan --targets targets.csv --credentials creds.ini \
	    --db "$1" --timeout 2000 --retries 0 --quiet
}

snmpresp_start fleet1 || { fail "snmpresp did not start"; finish; }
P=$SNMPRESP_PORT
targets "$P"
scan a.db
assert_eq "scan 1 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r1.csv
rows r1.csv address status vendor > r1.txt
# The PACS host has two: Endpoint Security and the Network Agent.
assert_eq "run 1: new Kaspersky findings on every device" "\
127.43.0.1	new	Kaspersky
127.43.0.2	new	Kaspersky
127.43.0.2	new	Kaspersky
127.43.0.3	new	Kaspersky" "$(cat r1.txt)"
assert_eq "header: the 24 contract columns, then five more" \
    "finding_id,status,first_seen,last_seen,sector,site,owner,asset,\
address,vendor,product,channel,evidence,confidence,regulation,citation,\
effective_date,severity,likelihood,impact,risk_score,risk_rating,\
recommended_action,due_date,waived_until,waiver_reason,note,run,\
binding_scope,jurisdiction" \
    "$(head -n 1 r1.csv | tr -d '"\r')"
# The sector profile chooses the regulations and the wording.
# Texas SB 2116 excludes support access (rules/README.md): not cited.
assert_eq "power: BIS, not Texas SB 2116 nor the Covered List" "\
no	yes	no" "$(python3 - r1.csv "127.43.0.1:$P" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline='')):
    if r["address"] == sys.argv[2]:
        print("\t".join("yes" if k in r["regulation"] else "no" for k in
            ("Texas SB 2116", "BIS ICTS", "FCC Covered List")))
EOF
)"
assert_contains "power wording" r1.csv "maintenance window|OT vendor"
assert_contains "healthcare wording" r1.csv "FDA-cleared clinical or imaging"

stop_pid "$SNMPRESP_PID"
SNMPRESP_PORT_WANT=$P snmpresp_start fleet2 ||
    { fail "snmpresp did not restart"; finish; }
targets "$P"
scan a.db
assert_eq "scan 2 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r2.csv
rows r2.csv address status note > r2.txt
# "last observed": the day run 1 started (UTC), from the store, not today.
day1=$(sqlite3 a.db "SELECT date(started, 'unixepoch') FROM runs \
WHERE id = 1")
assert_eq "run 2: kept, resolved, and unverified (not resolved)" "\
127.43.0.1	persisting
127.43.0.2	resolved
127.43.0.2	resolved
127.43.0.3	persisting" "$(cut -f 1,2 r2.txt)"
# The note says what could not be read, and why.
assert_contains "run 2: the unverified finding's note" r2.txt \
    "^127\.43\.0\.3	persisting	not verified in this run: process \
table, software table of CLERK-PC-07 \(127\.43\.0\.3(:[0-9]+)?\): \
(refused|unreachable) \(.+\); \
last observed $day1$"
assert_eq "finding ids are stable" \
    "$(rows r1.csv finding_id address)" "$(rows r2.csv finding_id address)"

"$BANAUDIT" diff --db a.db > diff.txt
assert_eq "diff exits 0" 0 $?
assert_contains "diff names the runs" diff.txt "^from run 1 .* to run 2 "
assert_contains "diff counts" diff.txt \
    "^new 0, resolved 2, persisting 2 \(1 unverified\)$"
assert_eq "diff lists the resolved findings" 2 \
    "$(grep -cE "^resolved +BA-[0-9a-f]{16} +.*127\\.43\\.0\\.2:$P\\)? \
+Kaspersky" diff.txt)"
assert_contains "diff lists the host newly not assessed" diff.txt \
    "^not assessed +addr:127\.43\.0\.3:$P \(127\.43\.0\.3:$P\): snmp \
(timeout|refused|unreachable)$"
assert_eq "diff lists the unverified finding, and why" 1 \
    "$(grep -A1 '^persisting .*CLERK-PC-07' diff.txt | grep -c \
    '^  *unverified: process table, software table of CLERK-PC-07')"
assert_eq "... and no other persisting finding" 1 \
    "$(grep -c '^persisting' diff.txt)"
"$BANAUDIT" diff --db a.db --from 2 --to 1 > back.txt
assert_contains "diff backwards" back.txt "^new 2, resolved 0, persisting 2$"
expect_exit 2 "diff of an unknown run" "--to: .*no run 42" \
    "$BANAUDIT" diff --db a.db --to 42

# Run 3: everything answers again: the desktop's finding is verified.
stop_pid "$SNMPRESP_PID"
SNMPRESP_PORT_WANT=$P snmpresp_start fleet1 ||
    { fail "snmpresp did not restart"; finish; }
targets "$P"
scan a.db
assert_eq "scan 3 exits 0" 0 $?
"$BANAUDIT" report --db a.db --format csv --output r3.csv
assert_eq "run 3: back again" "\
127.43.0.1	persisting	
127.43.0.2	new	
127.43.0.2	new	
127.43.0.3	persisting	" "$(rows r3.csv address status note)"

# --- waivers ----------------------------------------------------------
until=$(date -u -d '+1 year' +%Y-%m-%d)
kics=$(rows r3.csv finding_id address | awk '$2 == "127.43.0.1" {print $1}')
check "a finding id" test -n "$kics"
# 2026-12-05: under cron $USER is unset and waivers said "by ?"; the
# account comes from the password database (and $SUDO_USER), never $USER.
me=$(id -un)
env -u USER -u SUDO_USER "$BANAUDIT" waive "$kics" --reason "vendor \
replacement, CHG-4411" --until $until --db a.db > out.txt
assert_eq "waive exits 0" 0 $?
assert_contains "waive says so" out.txt "^waived $kics until $until$"
"$BANAUDIT" waive --list --db a.db > list.txt
assert_contains "listed, by the account (not \$USER)" list.txt \
    "^$kics  until $until  active   by $me on [0-9-]{10}  vendor"
USER=mallory SUDO_USER=alice "$BANAUDIT" waive "$kics" --reason "vendor \
replacement, CHG-4411" --until $until --db a.db > /dev/null
"$BANAUDIT" waive --list --db a.db > list.txt
assert_contains "the sudo user is recorded" list.txt \
    "  by alice \(sudo as $me\) on "
"$BANAUDIT" waive "$kics" --by "Dana Reyes, CISO" --reason "vendor \
replacement, CHG-4411" --until $until --db a.db > /dev/null
"$BANAUDIT" waive --list --db a.db > list.txt
assert_contains "--by NAME is recorded" list.txt \
    "  by Dana Reyes, CISO on "
assert_not_contains "never by ?" list.txt "by \?"
expect_exit 2 "--by empty" "--by: say who" \
    "$BANAUDIT" waive "$kics" --by "" --reason x --until "$until" --db a.db
expect_exit 2 "report of an unknown run" "--run: .*no run 42" \
    "$BANAUDIT" report --db a.db --format csv --run 42
"$BANAUDIT" report --db a.db --format csv --output r4.csv
assert_eq "the report shows the waiver" \
    "$until	vendor replacement, CHG-4411" \
    "$(rows r4.csv finding_id waived_until waiver_reason |
    awk -F '\t' -v f="$kics" '$1 == f {print $2 "\t" $3}')"
sum=$(db_sum a.db)
expect_exit 2 "waive an unknown finding" "no finding BA-0123456789abcdef" \
    "$BANAUDIT" waive BA-0123456789abcdef --reason x --until "$until" \
    --db a.db
expect_exit 2 "waive until a past date" "in the past" \
    "$BANAUDIT" waive "$kics" --reason x --until 2001-01-01 --db a.db
expect_exit 2 "waive until no date" "not a date" \
    "$BANAUDIT" waive "$kics" --reason x --until 2030-02-30 --db a.db
expect_exit 2 "waive for too long" "more than ten years ahead" \
    "$BANAUDIT" waive "$kics" --reason x --until 2999-01-01 --db a.db
expect_exit 2 "waive without a reason" "--reason" \
    "$BANAUDIT" waive "$kics" --until "$until" --db a.db
expect_exit 2 "waive a malformed id" "not a finding id" \
    "$BANAUDIT" waive "BA-XYZ'; DROP TABLE waivers" --reason x \
    --until "$until" --db a.db
assert_eq "refusals leave the database alone" "$sum" "$(db_sum a.db)"
# An expired waiver (written behind banaudit's back) stops applying.
sqlite3 a.db "UPDATE waivers SET until = '2020-01-01'"
"$BANAUDIT" report --db a.db --format csv --output r5.csv
assert_eq "an expired waiver is not shown" "" \
    "$(rows r5.csv waived_until | tr -d '\n')"
"$BANAUDIT" waive --list --db a.db > list.txt
assert_contains "an expired waiver is listed as such" list.txt \
    "until 2020-01-01  expired"
expect_exit 0 "remove" "" "$BANAUDIT" waive --remove "$kics" --db a.db
expect_exit 2 "remove again" "no waiver for $kics" \
    "$BANAUDIT" waive --remove "$kics" --db a.db
expect_exit 0 "waive --help" "" "$BANAUDIT" waive --help
assert_contains "waive --help on stdout" out.txt "^usage: banaudit waive"

# --- merge ------------------------------------------------------------
# A second site scans the first fleet too, with its own targets file.
mkdir south && cp targets.csv creds.ini south/
(cd south && "$BANAUDIT" scan --targets targets.csv --credentials \
    creds.ini --db south.db --timeout 2000 --retries 0 --quiet)
cp a.db north.db
"$BANAUDIT" merge --db central.db north.db south/south.db 2> merge.err
assert_eq "merge exits 0" 0 $?
assert_contains "merge reports north" merge.err \
    "north.db: 3 runs merged, 0 already there"
assert_contains "merge reports south" merge.err \
    "south.db: 1 runs merged, 0 already there, 0 still running \(skipped\); 0 hosts new, 3 matched"
assert_eq "central runs keep their provenance" "\
north|north|scan:targets.csv|file=north.db;run=1
north|north|scan:targets.csv|file=north.db;run=2
north|north|scan:targets.csv|file=north.db;run=3
south|south|scan:targets.csv|file=south.db;run=1" \
    "$(sqlite3 central.db "SELECT site, scope, substr(origin, 1, \
    instr(origin, ';uuid=') - 1) FROM runs ORDER BY origin")"
assert_eq "run uuids are kept" \
    "$(sqlite3 north.db 'SELECT uuid FROM runs ORDER BY id')" \
    "$(sqlite3 central.db "SELECT uuid FROM runs WHERE site = 'north' \
    ORDER BY id")"
assert_eq "tool and rule-pack versions are kept" "1" \
    "$(sqlite3 central.db "SELECT count(DISTINCT tool_version || \
    rules_version) FROM runs WHERE rules_version IS NOT NULL")"
"$BANAUDIT" report --db central.db --format csv --run 4 --output c4.csv
assert_eq "south's run compares with nothing of north's" "\
new
new
new
new" "$(rows c4.csv status)"
"$BANAUDIT" report --db central.db --format csv --run 2 --output c2.csv
assert_eq "north's history survives the merge" "$(rows r2.csv finding_id \
status note)" "$(rows c2.csv finding_id status note)"

sum=$(db_sum central.db)
"$BANAUDIT" merge --db central.db north.db south/south.db 2> merge.err
assert_eq "merging again exits 0" 0 $?
assert_contains "merging again adds nothing" merge.err \
    "north.db: 0 runs merged, 3 already there"
assert_eq "merging again leaves the file alone" "$sum" \
    "$(db_sum central.db)"
printf 'not a database\n' > bad.db
expect_exit 2 "a bad site file" "bad.db: not a banaudit database" \
    "$BANAUDIT" merge --db central.db north.db bad.db
expect_exit 2 "merging into itself" "this is the database merged into" \
    "$BANAUDIT" merge --db central.db central.db
expect_exit 2 "merge without --db" "--db FILE is required" \
    "$BANAUDIT" merge north.db
assert_eq "refused merges leave the file alone" "$sum" \
    "$(db_sum central.db)"
finish
