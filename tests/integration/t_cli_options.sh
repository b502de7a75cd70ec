#!/bin/sh
# Every option of every command but scan (t_scan_cli.sh has scan's) from
# one table: a good value (its exit code) and a bad one (its exit code and
# message; a command that writes a database writes none).  Then what
# keeps the table, the help, the man page and the completion together:
# every option a command's --help lists has a row here, is in
# banaudit(1) and is offered by the bash completion; every --help line
# fits 79 columns and says its defaults; a usage error is the same two
# lines in every command.
. "$(dirname "$0")/lib/common.sh"

I="$DATA/import"
cd "$T" || exit 1

# A database of two import runs with a Kaspersky finding, read by the
# commands that read one; copied for the ones that write.
for f in kes-before.xml kes-after.xml; do
	"$BANAUDIT" import --db base.db --sector healthcare --quiet "$I/$f" \
	    || fail "import $f"
done
fid=$(sqlite3 base.db "select finding_id from findings limit 1")
check "a finding to waive ($fid)" test -n "$fid"
until=$(date -u -d '+1 year' +%Y-%m-%d)
printf '[srv]\nserver_type = glpi\nserver_url = https://127.0.0.1:9/\n' \
    > creds.ini
printf 'app_token = x\nuser_token = y\n' >> creds.ini
chmod 0600 creds.ini
mkdir empty
cp base.db w.db

# run NAME CMD OPT VALUE: CMD with OPT (and VALUE unless "-") added to a
# command line that works without it; exit code in $rc, output in NAME.out
# and NAME.err.  A command that writes gets its own database, NAME.db.
run() {
	_n=$1 _c=$2 _o=$3 _v=$4
	if [ "$_v" = "-" ]; then
		set -- "$_o"
	else
		set -- "$_o" "$_v"
	fi
	case $_c in
	import)	set -- import --db "$_n.db" --sector healthcare --quiet "$@" \
		    "$I/kes-after.xml" ;;
	report)	set -- report --db base.db --format csv "$@" ;;
	runs)	set -- runs --db base.db "$@" ;;
	diff)	set -- diff --db base.db "$@" ;;
	merge)	set -- merge --db "$_n.db" "$@" base.db ;;
	waive)	cp base.db "$_n.db"
		case $_o in
		--list)	set -- waive --db "$_n.db" "$@" ;;
		--remove) "$BANAUDIT" waive --db "$_n.db" "$fid" --reason r \
			    --until "$until" > /dev/null
			set -- waive --db "$_n.db" "$@" ;;
		*)	set -- waive "$fid" --db "$_n.db" --reason "ticket 1" \
			    --until "$until" "$@" ;;
		esac ;;
	rules)	set -- rules "$@" check ;;
	esac
	"$BANAUDIT" "$@" > "$_n.out" 2> "$_n.err"
	rc=$?
}

# The table: command | option | good value | its exit | bad value | its
# exit | the bad value's message (after "banaudit: ").  "-": the option
# takes no value, or has no bad one.  "!": the good value needs more than
# one database or a server, and has its test elsewhere (import --pull:
# t_pull_glpi.sh; report --site: t_runs.sh).
n=0
while IFS='|' read -r cmd opt good gcode bad bcode msg; do
	[ -n "$cmd" ] || continue
	n=$((n + 1))
	echo "$cmd $opt" >> tested.txt
	if [ "$good" != "!" ]; then
		run "g$n" "$cmd" "$opt" "$good"
		assert_eq "$cmd $opt $good: exit $gcode" "$gcode" "$rc"
		[ "$rc" = "$gcode" ] || head -3 "g$n.err" >&2
	fi
	[ "$bad" = "-" ] && continue
	rm -f "b$n.db"
	run "b$n" "$cmd" "$opt" "$bad"
	assert_eq "$cmd $opt $bad: exit $bcode" "$bcode" "$rc"
	assert_contains "$cmd $opt $bad: message" "b$n.err" "^banaudit: $msg"
	case $cmd in
	import|merge)
		check "$cmd $opt $bad: no database written" test ! -e "b$n.db"
		;;
	esac
done <<EOF
import|--db|new.db|0|$T/no/such/dir/x.db|3|$T/no/such/dir/x\.db: 
import|--sector|power|0|water|2|--sector: unknown sector 'water' \(.*power
import|--site|Site A|0|-|||
import|--owner|IT|0|-|||
import|--jurisdiction|US-TX|0|Texas|2|--jurisdiction: 'Texas' is not US or US-
import|--criticality|5|0|6|2|--criticality: '6' is not a number in 1\.\.5
import|--format|xml|0|pdf|2|--format: unknown format 'pdf' \(xml, json, csv\)
import|--rules|$TOP/rules|0|$T|2|$T/VERSION: No such file
import|--sectors|$TOP/sectors|0|$T/empty|2|$T/empty: no sector profile
import|--credentials|creds.ini|0|none.ini|2|none\.ini: No such file
import|--pull|!|0|nosuch|2|--pull needs --credentials FILE
import|--stale-days|0|0|36501|2|--stale-days: '36501' is not a number in 0\.\.36500
import|--pull-rate|1000|0|0|2|--pull-rate: '0' is not a number in 1\.\.1000
import|--timeout|100|0|99|2|--timeout: '99' is not a number in 100\.\.3600000
import|--max-items|1|0|0|2|--max-items: '0' is not a number in 1\.\.10000000
import|--oui|$DATA/oui/override.csv|0|none.csv|2|none\.csv: No such file
import|--label|weekly|0|-|||
import|--scope|audit:2026|0|-|||
import|--group-readable|-|0|-|||
import|--quiet|-|0|-|||
report|--format|html|0|pdf|2|--format: unknown format 'pdf' \(csv, html
report|--db|base.db|0|none.db|3|no database at none\.db
report|--run|1|0|99|2|--run: 
report|--run|2|0|0|2|--run: '0' is not a number in 1\.\.
report|--sector|healthcare|0|a b|2|--sector: 'a b' is not a sector name
report|--site|!|0|Nowhere|3|no complete run of site Nowhere
report|--output|r.csv|0|$T/no/such/dir/r.csv|3|$T/no/such/dir/r\.csv: 
report|--group-readable|-|0|-|||
report|--html-max-hosts|1|0|0|2|--html-max-hosts: '0' is not a number in 1\.\.
runs|--db|base.db|0|none.db|3|no database at none\.db
runs|--format|json|0|xml|2|--format: unknown format 'xml' \(text or json\)
diff|--db|base.db|0|none.db|3|no database at none\.db
diff|--from|1|0|x|2|--from: 'x' is not a number in 1\.\.
diff|--to|2|0|99|2|--to: 
merge|--db|m.db|0|-|||
merge|--full|-|0|-|||
merge|--group-readable|-|0|-|||
waive|--db|w.db|0|$T/no/such/dir/w.db|3|$T/no/such/dir/w\.db: 
waive|--reason|CAB-42|0| |2|--reason: say why
waive|--until|$until|0|2020-01-01|2|--until: 2020-01-01 is in the past
waive|--until|$until|0|2026-02-31|2|--until: '2026-02-31' is not a date
waive|--by|Dana Reyes|0||2|--by: say who accepts the risk
waive|--list|-|0|-|||
waive|--remove|$fid|0|BA-1|2|--remove: 'BA-1' is not a finding id
rules|--rules|$TOP/rules|0|$T|2|$T/VERSION: No such file
rules|--jurisdiction|US-MD|0|Maryland|2|--jurisdiction: 'Maryland' is not US or US-
EOF

# What the table's good values did.
assert_eq "import --site stored" "Site A" \
    "$(sqlite3 g3.db "select distinct site from run_hosts")"
check "report --output wrote the file" test -s r.csv
python3 -m json.tool g31.out > /dev/null
assert_eq "runs --format json is JSON" 0 $?
check "merge copied the runs" test "$(sqlite3 m.db \
    "select count(*) from runs")" -eq 2
assert_contains "waive --by recorded" g42.out "^waived $fid"
assert_eq "waive --by: the name stored" "Dana Reyes" \
    "$(sqlite3 g42.db "select created_by from waivers")"
assert_contains "waive --list of no waiver" g43.out "^no waivers in"
assert_contains "waive --remove" g44.out "^removed the waiver of $fid"

# 2026-12-05: report --output with a name longer than PATH_MAX: the name
# was cut into a 512-byte message (-Wformat-truncation).  Now the whole
# name and the reason, exit 3, nothing left behind.
long=$(printf '%04100d' 0)
mkdir longout
(cd longout && "$BANAUDIT" report --db ../base.db --format csv \
    --output "$long" > ../long.out 2> ../long.err)
assert_eq "report --output with a too long name: exit 3" 3 $?
assert_contains "report --output too long: the reason" long.err \
    "^banaudit: 0{100}.*: File name too long$"
check "report --output too long: nothing left behind" \
    test -z "$(ls longout)"

# Usage errors no single option makes, and output that cannot be written:
# each its exit code and its message, nothing half-written left behind.
# usage NAME CODE MESSAGE CMD...: CMD exits CODE, stderr starts MESSAGE.
usage() {
	_n=$1 _code=$2 _msg=$3
	shift 3
	"$BANAUDIT" "$@" > "$_n.out" 2> "$_n.err"
	assert_eq "$*: exit $_code" "$_code" $?
	assert_contains "$*: message" "$_n.err" "^banaudit: $_msg"
}
usage u1 2 "--format is required$" report --db base.db
usage u2 2 "say 'list' or 'check'$" rules
usage u3 2 "name at least one SITE_DB$" merge --db u3.db
check "merge without a site: no database written" test ! -e u3.db
usage u4 2 "say FINDING_ID, --list or --remove FINDING_ID$" waive --db base.db
usage u5 2 "--reason, --until and --by go with FINDING_ID$" waive --db base.db \
    --list --reason r
cp base.db u6.db
usage u6 2 "--reason: control characters are not allowed$" waive "$fid" --db u6.db \
    --reason "$(printf 'a\tb')" --until "$until"
assert_eq "a refused waiver is not stored" 0 \
    "$(sqlite3 u6.db "select count(*) from waivers")"
usage u7 2 "--from: base\.db: no run 99$" diff --db base.db --from 99 --to 2
mkdir outdir
usage u8 3 "outdir: Is a directory" report --db base.db --format csv \
    --output outdir
check "report --output DIR: the folder left as it was" \
    test -z "$(ls outdir)"
# waive: each check before the database is written, the database as it
# was; diff to a full stdout; merge into a folder that does not exist or
# from a site file that does not exist (no database written).
cp base.db u10.db
usage u10 2 "--remove: 'XX-0123456789abcdef' is not a finding id \(BA- and \
16 hex digits\)$" waive --db u10.db --remove XX-0123456789abcdef
usage u11 2 "--remove: 'BA-0123456789abcdeg' is not a finding id" \
    waive --db u10.db --remove BA-0123456789abcdeg
usage u12 2 "--reason, --until and --by go with FINDING_ID$" \
    waive --db u10.db --list --until "$until"
usage u13 2 "--reason, --until and --by go with FINDING_ID$" \
    waive --db u10.db --remove "$fid" --by someone
usage u14 2 "--reason TEXT and --until YYYY-MM-DD are required$" \
    waive "$fid" --db u10.db --until "$until"
usage u15 2 "--reason: say why, in at most 1000 characters$" \
    waive "$fid" --db u10.db --until "$until" \
    --reason "$(printf '%01001d' 0)"
usage u16 2 "--reason: control characters are not allowed$" \
    waive "$fid" --db u10.db --until "$until" --reason "$(printf 'a\177b')"
usage u17 2 "--until: '2027-1-5' is not a date \(YYYY-MM-DD\)$" \
    waive "$fid" --db u10.db --until 2027-1-5 --reason r
assert_eq "no refused waiver stored" 0 \
    "$(sqlite3 u10.db "select count(*) from waivers")"
if [ -w /dev/full ]; then
	"$BANAUDIT" diff --db base.db > /dev/full 2> u18.err
	assert_eq "diff to a full disk: exit 3" 3 $?
	assert_contains "diff to a full disk: message" u18.err \
	    "^banaudit: standard output: write failed$"
fi
usage u19 3 "$T/no/such/dir/m\.db: No such file or directory$" \
    merge --db "$T/no/such/dir/m.db" base.db
usage u20 2 "$T/nosuch\.db: No such file or directory$" \
    merge --db u20.db "$T/nosuch.db"
check "merge from a missing site file: no database written" \
    test ! -e u20.db
for h in help -h --help; do
	"$BANAUDIT" $h > h.out 2> h.err
	assert_eq "banaudit $h: exit 0" 0 $?
	assert_contains "banaudit $h: the commands" h.out "^ *report "
done

# Every option of every command's --help has a row above (scan's are in
# t_scan_cli.sh), a place in the man page and in the bash completion; no
# --help line is wider than 79 columns.
MAN="$TOP/docs/banaudit.1"
COMP="$TOP/docs/completion/banaudit.bash"
for cmd in scan import report runs diff merge waive rules; do
	"$BANAUDIT" $cmd --help > "help-$cmd.txt"
	assert_eq "$cmd --help: exit 0" 0 $?
	awk 'length > 79 { print FILENAME ": " $0 }' "help-$cmd.txt" \
	    > wide.txt
	check "$cmd --help fits 79 columns" test ! -s wide.txt
	sed -n 's/^  \(-., \)\{0,1\} *--\([a-z-]*\).*/\2/p' "help-$cmd.txt" |
	    grep -v '^help$' > "opts-$cmd.txt"
	check "$cmd --help lists options" test -s "opts-$cmd.txt"
	while read -r o; do
		if [ "$cmd" != scan ]; then
			grep -qx -- "$cmd --$o" tested.txt ||
			    fail "$cmd --$o: no row in this test's table"
		fi
		grep -q -- "Fl -$o\b" "$MAN" ||
		    fail "$cmd --$o: not in banaudit.1"
		bash -c '. "$0"; COMP_WORDS=(banaudit "$1" "$2");
		    COMP_CWORD=2; _banaudit; printf "%s\n" "${COMPREPLY[@]}"' \
		    "$COMP" "$cmd" "--$o" | grep -qx -- "--$o" ||
		    fail "$cmd --$o: not offered by the bash completion"
	done < "opts-$cmd.txt"
done
assert_contains "scan --help: a default read from the option table" \
    help-scan.txt "--concurrency N +targets in flight at once \(default: 256\)"
assert_contains "import --help: glpi.h's default" help-import.txt \
    "--pull-rate N +requests per second to a server \(default: 5\)"
assert_contains "report --help: the html threshold's default" \
    help-report.txt "\(default: 20000\)"

# A usage error is the same two lines in every command.
for cmd in scan import report runs diff merge waive rules; do
	"$BANAUDIT" $cmd --no-such-option > u.out 2> u.err
	assert_eq "$cmd --no-such-option: exit 2" 2 $?
	assert_eq "$cmd --no-such-option: the hint" \
	    "Try 'banaudit $cmd --help'." "$(tail -1 u.err)"
	"$BANAUDIT" $cmd --help=yes > u.out 2> u.err
	assert_eq "$cmd --help=yes: exit 2" 2 $?
done

# A full disk: an error, and /dev/full still the device (written in
# place, never renamed over).
if [ ! -w /dev/full ]; then
	[ "$_failed" -gt 0 ] && finish
	skip_test "no /dev/full: a full disk cannot be simulated"
fi
usage u9 3 "cannot write the report: No space left on device" \
    report --db base.db --format html --output /dev/full
check "report --output /dev/full: still the device" test -c /dev/full

finish
