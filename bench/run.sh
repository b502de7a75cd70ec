#!/bin/sh
# banaudit beside its peers on one synthetic fleet, on loopback.
#
#   bench/run.sh [BUILD]            (make bench; BUILD defaults to build)
#
# Generates a fleet with build/tools/genfleet, serves it with
# build/tools/snmpresp on 127.77.x.y (walk fleet) and 127.78.x.y (identity
# fleet), and measures, interleaved, BENCH_REPS times each, reporting
# medians, and for (b) and (c) also the median of each repetition's own
# ratio (its two runs one right after the other, their order swapped
# every other repetition); (b) and (c), the ratios the issue sets targets
# on, go on in pairs alone up to BENCH_PAIRS pairs each:
#   (a) software walk: banaudit scan  vs  xargs -P16 snmpbulkwalk -Cr50
#   (b) identity scan: banaudit scan --probes system  vs  braa
#   (c) the pipeline against a raw walker of our own: build/tools/snmpcollect
#       -q (the same SNMP engine, nothing stored, nothing matched) on the
#       same fleet, printed as pipeline/raw
#   (d) the identity cost: banaudit scan --probes with the detection probes
#       (DETECT_PROBES: system, vendor, ups, entity, enterprise) against
#       the plain system-group GET (--probes system) on the identity
#       fleet, requests and time per host side by side, with their ratios
#       (requests from each host's coverage row, "N requests")
# then a scale series, one run each (not medians): walks of BENCH_SCALE
# (default "256x200 1024x200"; BENCH_FULL=1 adds "10000x200" and
# BENCH_ID_REPS (3) identity scans of 50,000 hosts at --concurrency
# 10000, each its own row; then as many at the default concurrency, in
# turn with braa on the same fleet, and their ratio), each with wall,
# varbinds/s, client CPU per varbind, peak RSS, database bytes per
# varbind, the hosts not assessed and the requests the responder's
# kernel dropped (a full socket buffer: the responder's loss, not a
# false timeout of banaudit's).  A fleet the
# open-files limit cannot give a socket per device (and every identity
# series) is served by snmpresp --shared-socket: one socket for all
# addresses.  The series' header says what could not run and why.
# Wall time, client CPU (user+sys of the whole client process tree) and
# peak RSS come from build/tools/benchtime (GNU time's %e %U %S %M, with
# the wall time in tenths of a millisecond: GNU time's hundredths of a
# second were 8 % of an identity scan); varbinds and responder CPU from
# snmpresp's counters.
# A benchmark, not a test: it never fails on numbers.
#
# Environment: BENCH_HOSTS (256), BENCH_ROWS (1000), BENCH_ID_HOSTS (4096),
# BENCH_REPS (3), BENCH_PAIRS (21; BENCH_REPS when smaller),
# BENCH_PARALLEL (16), BENCH_SECTOR (telecom: its profile
# sets no per-device rate, so the comparison is raw polling),
# BENCH_WALK_OID (1.3.6.1.2.1.25.6.3.1.2), BENCH_BANAUDIT_ARGS (extra
# arguments for banaudit scan), BENCH_KEEP=1 keeps the work directory.
# BENCH_SCALE ("HOSTSxROWS ..."; "" for none), BENCH_FULL=1 (the big
# series, tens of minutes), BENCH_ID_SCALE (identity hosts of the big
# series, 50000; at most 65,000), BENCH_ID_CONC (10000), BENCH_ID_REPS (3),
# BENCH_FULL_SCALE (the walks BENCH_FULL=1 adds, "10000x200").
# Last, the matcher's own speed, as build/tests/test_match prints it.
# Needs: snmpbulkwalk (snmp), braa.
set -u

BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/stats.sh
. "$TOP/bench/stats.sh"
BANAUDIT="$TOP/$BUILD/banaudit"
TOOLS="$TOP/$BUILD/tools"
HOSTS=${BENCH_HOSTS:-256}
ROWS=${BENCH_ROWS:-1000}
ID_HOSTS=${BENCH_ID_HOSTS:-4096}
REPS=${BENCH_REPS:-3}
PAIRS=${BENCH_PAIRS:-21}
[ "$PAIRS" -ge "$REPS" ] 2>/dev/null || PAIRS=$REPS
PAR=${BENCH_PARALLEL:-16}
SECTOR=${BENCH_SECTOR:-telecom}
WALK_OID=${BENCH_WALK_OID:-1.3.6.1.2.1.25.6.3.1.2}
EXTRA=${BENCH_BANAUDIT_ARGS:-}
DETECT_PROBES=${BENCH_DETECT_PROBES:-system,vendor,ups,entity,enterprise}
SYS=.1.3.6.1.2.1.1
ID_OIDS=$SYS.1.0,$SYS.2.0,$SYS.3.0,$SYS.5.0
BTIME="$TOOLS/benchtime"

die() {
	echo "bench: $*" >&2
	exit 1
}

for t in "$TOOLS/snmpresp" "$TOOLS/genfleet" "$TOOLS/snmpcollect" \
    "$BTIME"; do
	[ -x "$t" ] || die "$t missing: run 'make tools' first"
done
command -v snmpbulkwalk >/dev/null || die "snmpbulkwalk missing (package snmp)"
command -v braa >/dev/null || die "braa missing (package braa)"
[ "$ID_HOSTS" -le 65000 ] && [ "$HOSTS" -le 65000 ] ||
    die "at most 65000 hosts per fleet"

W=$(mktemp -d "${TMPDIR:-/tmp}/banaudit-bench.XXXXXX")
chmod 0700 "$W"
PIDS=""
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "kept $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
# A signal ends the bench through cleanup, its responders with it: also
# the broken pipe of `make bench | head`, which left them running.
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# ---- Is banaudit's scan there yet? ------------------------------------
HAVE_SCAN=0
HAVE_PROBES=0
if "$BANAUDIT" scan --help > "$W/scan-help" 2>&1; then
	HAVE_SCAN=1
	grep -q -- '--probes' "$W/scan-help" && HAVE_PROBES=1
else
	echo "bench: '$BANAUDIT scan' is not available yet;" \
	    "measuring the peers only" >&2
fi
if [ "$HAVE_SCAN" = 1 ] && [ "$HAVE_PROBES" = 0 ]; then
	echo "bench: banaudit scan has no --probes yet;" \
	    "skipping the banaudit identity scan" >&2
fi

# ---- Secrets: one random community, in files only ---------------------
umask 077
od -An -N12 -tx1 /dev/urandom | tr -d ' \n' > "$W/community"
echo >> "$W/community"
COMMUNITY_FILE="$W/community"
mkdir -p "$W/snmpc/persist/cert_indexes"
{
	echo "defVersion 2c"
	printf 'defCommunity %s\n' "$(head -n 1 "$COMMUNITY_FILE")"
	echo "mibs :"
	echo "persistentDir $W/snmpc/persist"
} > "$W/snmpc/snmp.conf"
{
	echo "[bench-v2c]"
	echo "snmp_version = 2c"
	printf 'community = %s\n' "$(head -n 1 "$COMMUNITY_FILE")"
} > "$W/credentials.ini"
umask 022

# start_responder NAME DIR BASE [OPTION]: snmpresp on DIR, addresses from
# BASE (OPTION: --shared-socket or nothing), on a port of the kernel's
# choosing (--port 0), read back from its ready file ("ADDRESS:PORT FILE"
# lines): no port is probed and then bound.
start_responder() {
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	"$TOOLS/snmpresp" --dir "$2" --base "$3" --port 0 \
	    --community-file "$COMMUNITY_FILE" --ready-file "$W/$1.ready" \
	    ${4:-} 2> "$W/$1.log" &
	pid=$!
	PIDS="$PIDS $pid"
	while [ ! -e "$W/$1.ready" ]; do
		kill -0 "$pid" 2>/dev/null || { cat "$W/$1.log" >&2
			die "snmpresp ($1) did not start"; }
		sleep 0.02
	done
	t1=$(date +%s.%N)
	port=$(awk 'NR == 1 { sub(/.*:/, "", $1); print $1 }' "$W/$1.ready")
	eval "${1}_PID=$pid ${1}_PORT=$port"
	awk -v a="$t0" -v b="$t1" -v n="$1" 'BEGIN {
	    printf "snmpresp %s: ready in %.2f s\n", n, b - a }' >&2
}

# counters NAME: "VARBINDS CPU_SECONDS" served so far by responder NAME.
counters() {
	eval "pid=\$${1}_PID"
	before=$(wc -l < "$W/$1.log")
	kill -USR1 "$pid"
	i=0
	while [ "$(wc -l < "$W/$1.log")" -le "$before" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	tail -n 1 "$W/$1.log" | sed -n \
	    's/.*varbinds \([0-9]*\),.*serving \([0-9.]*\) s.*/\1 \2/p'
}

# measure NAME RESPONDER CMD...: runs CMD under benchtime; appends
# "wall user sys maxrss_kb varbinds responder_cpu" to $W/NAME.runs.
measure() {
	name=$1
	resp=$2
	shift 2
	c0=$(counters "$resp")
	SNMPCONFPATH="$W/snmpc" MIBS= "$BTIME" -o "$W/time.out" "$@" \
	    > "$W/$name.stdout" 2> "$W/$name.stderr"
	rc=$?
	c1=$(counters "$resp")
	[ $rc -eq 0 ] || echo "bench: $name exited $rc" \
	    "(see $W/$name.stderr with BENCH_KEEP=1)" >&2
	echo "$(tail -n 1 "$W/time.out") $c0 $c1" | awk '{
	    printf "%s %s %s %s %d %.6f\n",
		$1, $2, $3, $4, $7 - $5, $8 - $6 }' \
	    >> "$W/$name.runs"
}

# requests NAME DB: appends the SNMP requests of DB's run (the sum of the
# hosts' "N requests" in their channel coverage rows) to $W/NAME.reqs.
requests() {
	"$BANAUDIT" report --db "$2" --format coverage-csv \
	    --output "$W/req.csv" 2>/dev/null
	rm -f "$W/req.q"
	sqlite3 -batch "$W/req.q" ".import --csv $W/req.csv c" \
	    "select sum(cast(substr(d, 1, instr(d, ' ') - 1) as integer)) \
	    from (select substr(detail, instr(detail, ' varbinds in ') + 13) \
	    as d from c where probe = '' and channel = 'snmp')" \
	    >> "$W/$1.reqs" 2>/dev/null
}

# ---- The fleets --------------------------------------------------------
echo "bench: generating $HOSTS hosts x $ROWS rows and $ID_HOSTS identity" \
    "hosts" >&2
"$TOOLS/genfleet" -n "$HOSTS" -m "$ROWS" "$W/fleet" ||
    die "genfleet failed"
"$TOOLS/genfleet" -n "$ID_HOSTS" -m 0 -p 0 -b 0 "$W/idfleet" ||
    die "genfleet failed"
start_responder walk "$W/fleet" 127.77.0.1
start_responder ident "$W/idfleet" 127.78.0.1

cut -d' ' -f1 "$W/walk.ready" > "$W/walk.hosts"
cut -d' ' -f1 "$W/ident.ready" > "$W/ident.hosts"
{
	echo "address,sector,snmp_profile"
	sed "s/\$/,$SECTOR,bench-v2c/" "$W/walk.hosts"
} > "$W/walk.csv"
{
	echo "address,sector,snmp_profile"
	sed "s/\$/,$SECTOR,bench-v2c/" "$W/ident.hosts"
} > "$W/ident.csv"
first=$(head -n 1 "$W/ident.hosts" | cut -d: -f1)
last=$(tail -n 1 "$W/ident.hosts" | cut -d: -f1)
(
	umask 077
	printf '%s@%s-%s:%s:%s\n' "$(head -n 1 "$COMMUNITY_FILE")" \
	    "$first" "$last" "$ident_PORT" "$ID_OIDS" > "$W/braa.queries"
)

# The peer walk: one snmpbulkwalk per host, PAR at a time.
cat > "$W/walk1.sh" <<EOF
#!/bin/sh
exec snmpbulkwalk -On -Cr50 -t 5 -r 2 "\$1" $WALK_OID
EOF
chmod 0755 "$W/walk1.sh"

# ---- Runs, interleaved --------------------------------------------------
# Each ratio's two tools run one right after the other (banaudit's walk
# and the raw walker; banaudit's identity scan and braa), their order
# swapped every other repetition, so that a pair sees the machine in
# one state and neither tool always runs first; the paired ratios below
# are taken pair by pair.
run_walk() {
	[ "$HAVE_SCAN" = 1 ] || return 0
	rm -f "$W/walk.db" "$W/walk.db-wal" "$W/walk.db-shm"
	# shellcheck disable=SC2086
	measure banaudit-walk walk "$BANAUDIT" scan \
	    --targets "$W/walk.csv" --credentials "$W/credentials.ini" \
	    --db "$W/walk.db" --probes software --rate 0 \
	    --max-repetitions 50 --quiet $EXTRA
}

run_raw() {
	measure raw-walker walk "$TOOLS/snmpcollect" -q -p software -r 0 \
	    -m 50 "$W/walk.csv" "$W/credentials.ini"
}

run_identity() {
	[ "$HAVE_PROBES" = 1 ] || return 0
	rm -f "$W/id.db" "$W/id.db-wal" "$W/id.db-shm"
	# shellcheck disable=SC2086
	measure banaudit-identity ident "$BANAUDIT" scan \
	    --targets "$W/ident.csv" \
	    --credentials "$W/credentials.ini" --db "$W/id.db" \
	    --probes system --rate 0 --quiet $EXTRA
}

run_braa() {
	measure braa ident braa -2 -f "$W/braa.queries"
}

# in_turn A B: A then B on odd repetitions, B then A on even ones.
in_turn() {
	if [ $((r % 2)) = 1 ]; then
		"$1"
		"$2"
	else
		"$2"
		"$1"
	fi
}

r=1
while [ $r -le "$REPS" ]; do
	echo "bench: repetition $r of $REPS" >&2
	in_turn run_walk run_raw
	measure snmpbulkwalk walk xargs -P "$PAR" -n 1 "$W/walk1.sh" \
	    < "$W/walk.hosts"
	in_turn run_identity run_braa
	if [ "$HAVE_PROBES" = 1 ]; then
		requests banaudit-identity "$W/id.db"
		rm -f "$W/det.db" "$W/det.db-wal" "$W/det.db-shm"
		# shellcheck disable=SC2086
		measure banaudit-detect ident "$BANAUDIT" scan \
		    --targets "$W/ident.csv" \
		    --credentials "$W/credentials.ini" --db "$W/det.db" \
		    --probes "$DETECT_PROBES" --rate 0 --quiet $EXTRA
		requests banaudit-detect "$W/det.db"
	fi
	r=$((r + 1))
done
# The two paired ratios alone, on to PAIRS pairs each: a 4,096-host
# identity scan takes about a tenth of a second, and the three identity
# pairs of one bench ranged from 10.5x to 12.8x (2026-12-07): their
# median was left to chance.  21 pairs, not 9: a pair's ratio follows
# the machine's speed of the moment, which moves within seconds (the
# pipeline's pairs of one bench ranged from 0.47x to 0.97x), and nine
# pairs, about 10 s, could sit in one spell: one code printed 0.59x
# paired in a bench of 9 pairs and 0.62x to 0.67x in the six of 21
# after it (2026-12-07, 18:04-18:29Z; docs/PERFORMANCE.md, "Twenty-one
# pairs").  in_turn goes on swapping the order.
while [ $r -le "$PAIRS" ]; do
	echo "bench: pair $r of $PAIRS (the paired ratios)" >&2
	in_turn run_walk run_raw
	in_turn run_identity run_braa
	r=$((r + 1))
done

# ---- Report --------------------------------------------------------------
median() {	# column of $W/$1.runs
	awk -v c="$2" '{ print $c }' "$W/$1.runs" | stats | cut -d' ' -f1
}

# row NAME HOSTS: the medians of NAME's runs as one table row; also
# leaves "hosts/s cpu_us_per_varbind" in $W/NAME.med for the ratios.
row() {
	[ -s "$W/$1.runs" ] || { printf '%-18s %s\n' "$1" "(not run)"
		return; }
	wall=$(median "$1" 1)
	user=$(median "$1" 2)
	sys=$(median "$1" 3)
	rss=$(median "$1" 4)
	vb=$(median "$1" 5)
	rcpu=$(median "$1" 6)
	awk -v n="$1" -v h="$2" -v w="$wall" -v u="$user" -v s="$sys" \
	    -v m="$rss" -v v="$vb" -v rc="$rcpu" -v out="$W/$1.med" 'BEGIN {
		if (w <= 0) w = 0.001
		cpu = u + s
		us = v > 0 ? cpu * 1e6 / v : 0
		rus = v > 0 ? rc * 1e6 / v : 0
		f = "%-18s %6d %7.3f %9.1f %10.0f %8d %7.2f %8.3f %7.1f %8.3f\n"
		printf f, n, h, w, h / w, v / w, v, cpu, us, m / 1024, rus
		printf "%f %f\n", h / w, us > out
	}'
}

ratio() {	# LABEL MINE PEER
	if [ -s "$W/$2.med" ] && [ -s "$W/$3.med" ]; then
		paste "$W/$2.med" "$W/$3.med" | awk -v l="$1" '{
		    f = "  %-30s %6.2fx hosts/s, %6.2fx client CPU/varbind\n"
		    printf f, l, ($3 > 0 ? $1 / $3 : 0),
			($4 > 0 ? $2 / $4 : 0) }'
	else
		printf '  %-30s n/a (banaudit not measured)\n' "$1"
	fi
}

# paired LABEL MINE PEER: the median over the repetitions of each one's
# own ratio, PEER's wall time over MINE's (MINE's hosts/s against
# PEER's: the same hosts), with the smallest and the largest; the two
# runs of a repetition were made one right after the other.
paired() {
	if [ -s "$W/$2.runs" ] && [ -s "$W/$3.runs" ]; then
		paste "$W/$2.runs" "$W/$3.runs" |
		    awk '$1 > 0 { print $7 / $1 }' | stats |
		    awk -v l="$1" '{ if ($4 == 0) { printf "  %-30s n/a\n", l
			exit }
			f = "  %-30s %6.2fx hosts/s (%d pairs: %.2fx to %.2fx)\n"
			printf f, l, $1, $4, $2, $3 }'
	else
		printf '  %-30s n/a (banaudit not measured)\n' "$1"
	fi
}

echo
echo "banaudit benchmark -- $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1)), $(uname -sr)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$BANAUDIT" --version 2>/dev/null | head -n 1)," \
    "net-snmp $(snmpbulkwalk --version 2>&1 | sed -n 's/.*version: *//p')," \
    "braa $(braa -h 2>&1 | sed -n '1s/^braa \([0-9.]*\).*/\1/p')"
echo "walk fleet: $HOSTS hosts x $ROWS hrSWInstalled rows on 127.77.x.y;" \
    "identity fleet: $ID_HOSTS hosts on 127.78.x.y; medians of $REPS runs," \
    "$PAIRS for the walk, the raw walker, the identity scan and braa"
echo "peer walk: xargs -P$PAR snmpbulkwalk -Cr50 $WALK_OID;" \
    "peer identity: braa -2, 4 GETs of the system group per host"
echo
printf '%-18s %6s %7s %9s %10s %8s %7s %8s %7s %8s\n' tool hosts wall_s \
    hosts/s varbinds/s varbinds cpu_s cpu_us/vb rss_MB resp_us/vb
row banaudit-walk "$HOSTS"
row raw-walker "$HOSTS"
row snmpbulkwalk "$HOSTS"
row banaudit-identity "$ID_HOSTS"
row banaudit-detect "$ID_HOSTS"
row braa "$ID_HOSTS"
echo
echo "ratios (banaudit / peer; > 1 is faster for hosts/s, < 1 is leaner"
echo "for CPU):"
ratio "software walk vs snmpbulkwalk" banaudit-walk snmpbulkwalk
ratio "pipeline/raw (vs snmpcollect)" banaudit-walk raw-walker
ratio "identity scan vs braa" banaudit-identity braa
echo "paired (the median of each repetition's own ratio, its two runs"
echo "one right after the other):"
paired "pipeline/raw (vs snmpcollect)" banaudit-walk raw-walker
paired "identity scan vs braa" banaudit-identity braa
echo
# The identity cost: detection probes vs the plain system-group GET.
cost() {	# NAME: "requests/host ms/host" (medians)
	[ -s "$W/$1.runs" ] && [ -s "$W/$1.reqs" ] || { echo "0 0"; return; }
	req=$(stats < "$W/$1.reqs" | cut -d' ' -f1)
	awk -v r="$req" -v w="$(median "$1" 1)" -v h="$ID_HOSTS" 'BEGIN {
	    printf "%f %f\n", r / h, w * 1000 / h }'
}
if [ "$HAVE_PROBES" = 1 ]; then
	echo "identity cost per host, $ID_HOSTS hosts (medians; the detection"
	echo "probes against the plain system-group GET, same run):"
	printf '  %-44s %12s %10s\n' probes requests/host ms/host
	set -- $(cost banaudit-identity) $(cost banaudit-detect)
	printf '  %-44s %12.2f %10.3f\n' system "$1" "$2"
	printf '  %-44s %12.2f %10.3f\n' "$DETECT_PROBES" "$3" "$4"
	awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN {
	    printf "  %-44s %11.2fx %9.2fx\n", "ratio (detection / system)",
		(a > 0 ? c / a : 0), (b > 0 ? d / b : 0) }'
	echo
fi
echo "completeness of the last run:" \
    "snmpbulkwalk $(wc -l < "$W/snmpbulkwalk.stdout" 2>/dev/null)" \
    "of $((HOSTS * ROWS)) rows (lines)," \
    "braa $(sort -u "$W/braa.stdout" 2>/dev/null | grep -c .)" \
    "of $((ID_HOSTS * 4)) values"
# The database the last walk left (its WAL copied in when it closed),
# against the issue's start: schema 4 held 102 bytes a varbind on this
# fleet (256 x 1,000) and 79.7 / 80.2 at 256 / 1,024 x 200.
if [ "$HAVE_SCAN" = 1 ] && [ -s "$W/walk.db" ] &&
    [ -s "$W/banaudit-walk.runs" ]; then
	awk -v b="$(stat -c %s "$W/walk.db")" \
	    -v v="$(tail -n 1 "$W/banaudit-walk.runs" | cut -d' ' -f5)" \
	    'BEGIN { if (v > 0) printf "database of the last walk: %d bytes,"\
		" %.1f a varbind (schema 4: 102 on this fleet)\n", b, b / v }'
fi
echo "cpu_s: user+sys of the client and its children; rss_MB: peak RSS of"
echo "the largest client process; resp_us/vb: snmpresp CPU per varbind."
echo "braa sends every query up to 3 times (its passes), so its varbinds"
echo "count what the responder served, not distinct answers."
echo "raw-walker: build/tools/snmpcollect -q, banaudit's own SNMP engine"
echo "with nothing stored or matched, its heap set up as a scan's (the"
echo "walk's upper bound)."
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- Scale series -----------------------------------------------------
SCALE=${BENCH_SCALE-256x200 1024x200}
ID_SCALE=${BENCH_ID_SCALE:-50000}
ID_CONC=${BENCH_ID_CONC:-10000}
ID_REPS=${BENCH_ID_REPS:-3}
FULL_SCALE=${BENCH_FULL_SCALE-10000x200}
[ "${BENCH_FULL:-0}" = 1 ] && SCALE="$SCALE $FULL_SCALE"
kill "$walk_PID" "$ident_PID" 2>/dev/null
wait "$walk_PID" "$ident_PID" 2>/dev/null
# Each device of a fleet is a socket of the responder unless it shares
# one (--shared-socket); banaudit's SNMPv1/v2c hosts share sockets
# whatever their number.
NOFILE=$(ulimit -Hn)
[ "$NOFILE" = unlimited ] && NOFILE=1048576
ulimit -n "$NOFILE" 2>/dev/null
SKIPPED=""

# scale_fleet HOSTS ROWS: a fresh fleet, served by a fresh responder (a
# socket per device when the open-files limit allows it, else shared);
# sets SC_SHARED.
scale_fleet() {
	"$TOOLS/genfleet" -n "$1" -m "$2" -p 0 -b 0 "$W/sc" ||
	    die "genfleet failed"
	rm -f "$W/sc.ready"
	SC_SHARED=""
	[ $(($1 + 256)) -gt "$NOFILE" ] || [ "$2" = 0 ] &&
	    SC_SHARED=--shared-socket
	start_responder sc "$W/sc" 127.80.0.1 "$SC_SHARED"
	{
		echo "address,sector,snmp_profile"
		cut -d' ' -f1 "$W/sc.ready" | sed "s/\$/,$SECTOR,bench-v2c/"
	} > "$W/sc.csv"
}

scale_stop() {
	kill "$sc_PID" 2>/dev/null
	wait "$sc_PID" 2>/dev/null
	rm -rf "${W:?}/sc"
}

# scale_run LABEL HOSTS CONCURRENCY PROBES: one banaudit scan of the
# fleet served; prints one row.
scale_run() {
	rm -f "$W/sc.runs" "$W/sc.db" "$W/sc.db-wal" "$W/sc.db-shm"
	d0=$(sed -n 's/.*dropped by the kernel \([0-9]*\).*/\1/p' \
	    "$W/sc.log" | tail -n 1)
	# shellcheck disable=SC2086
	measure sc sc "$BANAUDIT" scan --targets "$W/sc.csv" \
	    --credentials "$W/credentials.ini" --db "$W/sc.db" \
	    --probes "$4" --rate 0 --max-repetitions 50 \
	    --concurrency "$3" --quiet $EXTRA
	d1=$(sed -n 's/.*dropped by the kernel \([0-9]*\).*/\1/p' \
	    "$W/sc.log" | tail -n 1)
	drop=-
	[ -n "$d1" ] && drop=$((d1 - ${d0:-0}))
	db=$(stat -c %s "$W/sc.db" 2>/dev/null || echo 0)
	na=$(sqlite3 -batch "$W/sc.db" "select count(*) from run_hosts \
	    where host_id not in (select host_id from coverage where \
	    probe = '' and status in ('ok', 'partial'))" 2>/dev/null)
	awk -v n="$1" -v h="$2" -v c="$3" -v db="$db" -v na="${na:-?}" \
	    -v dr="$drop" -v sh="${SC_SHARED:+shared}" '{
		w = $1 > 0 ? $1 : 0.001
		us = $5 > 0 ? ($2 + $3) * 1e6 / $5 : 0
		bpv = $5 > 0 ? db / $5 : 0
		f = "%-22s %6d %6d %8.2f %10.0f %8.3f %7.1f %8.1f %6s %6s %s\n"
		printf f, n, h, c, w, $5 / w, us, $4 / 1024, bpv, na, dr, sh
	}' "$W/sc.runs"
}

# The identity fleet of the big series against braa too, in turn (the
# issue's 12x is for 4,096 to 50,000 hosts), banaudit at its default
# concurrency as in the comparison at ID_HOSTS: braa's queries for it.
scale_braa_queries() {
	(
		umask 077
		printf '%s@%s-%s:%s:%s\n' "$(head -n 1 "$COMMUNITY_FILE")" \
		    "$(head -n 1 "$W/sc.ready" | cut -d: -f1)" \
		    "$(tail -n 1 "$W/sc.ready" | cut -d' ' -f1 | cut -d: -f1)" \
		    "$sc_PORT" "$ID_OIDS" > "$W/sc.braa"
	)
}

# scale_identity K: banaudit's identity scan K of the big series at
# the default concurrency (collector.c: 256).
scale_identity() {
	scale_run "identity-$ID_SCALE/256#$1" "$ID_SCALE" 256 system
	cat "$W/sc.runs" >> "$W/scid.runs"
}

# scale_braa K: braa on the same fleet; its row (- where it has none).
scale_braa() {
	rm -f "$W/sc.runs"
	measure sc sc braa -2 -f "$W/sc.braa"
	cat "$W/sc.runs" >> "$W/scbraa.runs"
	awk -v n="braa-$ID_SCALE#$1" -v h="$ID_SCALE" '{
		w = $1 > 0 ? $1 : 0.001
		us = $5 > 0 ? ($2 + $3) * 1e6 / $5 : 0
		f = "%-22s %6d %6s %8.2f %10.0f %8.3f %7.1f %8s %6s %6s\n"
		printf f, n, h, "-", w, $5 / w, us, $4 / 1024, "-", "-", "-"
	}' "$W/sc.runs"
}

if [ "${BENCH_FULL:-0}" = 1 ] && [ "$ID_SCALE" -gt 65000 ]; then
	SKIPPED="$SKIPPED identity-$ID_SCALE (more than 65,000 addresses)"
	ID_REPS=0
fi
if [ -n "$SCALE" ] || [ "${BENCH_FULL:-0}" = 1 ]; then
	echo
	echo "scale series (one run each; banaudit scan --rate 0" \
	    "--max-repetitions 50):"
	echo "open files: $(ulimit -n) (hard $(ulimit -Hn)); a fleet of more" \
	    "than $((NOFILE - 256)) hosts, and every identity fleet, is" \
	    "served from one socket (snmpresp --shared-socket)"
	[ "${BENCH_FULL:-0}" = 1 ] ||
	    echo "not run: $FULL_SCALE and identity-$ID_SCALE" \
		"at --concurrency $ID_CONC (BENCH_FULL=1 runs them)"
	[ -z "$SKIPPED" ] || echo "not run:$SKIPPED"
	printf '%-22s %6s %6s %8s %10s %8s %7s %8s %6s %6s\n' run hosts \
	    conc wall_s varbinds/s cpu_us/vb rss_MB db_B/vb not_as resp_d
	for hr in $SCALE; do
		h=${hr%x*}
		r=${hr#*x}
		c=$h
		[ "$c" -gt 256 ] && c=256
		scale_fleet "$h" "$r"
		scale_run "walk-${h}x$r" "$h" "$c" software
		scale_stop
	done
	if [ "${BENCH_FULL:-0}" = 1 ] && [ "$ID_REPS" -gt 0 ]; then
		scale_fleet "$ID_SCALE" 0
		k=1
		while [ $k -le "$ID_REPS" ]; do
			scale_run "identity-$ID_SCALE#$k" "$ID_SCALE" \
			    "$ID_CONC" system
			k=$((k + 1))
		done
		scale_braa_queries
		rm -f "$W/scid.runs" "$W/scbraa.runs"
		k=1
		while [ $k -le "$ID_REPS" ]; do
			if [ $((k % 2)) = 1 ]; then
				scale_identity "$k"
				scale_braa "$k"
			else
				scale_braa "$k"
				scale_identity "$k"
			fi
			k=$((k + 1))
		done
		scale_stop
	fi
	if [ -s "$W/scid.runs" ] && [ -s "$W/scbraa.runs" ]; then
		printf 'identity-%s/256 vs braa: ' "$ID_SCALE"
		paste "$W/scid.runs" "$W/scbraa.runs" |
		    awk '$1 > 0 { print $7 / $1 }' | stats |
		    awk -v b="$(median scbraa 1)" -v a="$(median scid 1)" '{
			f = "%.2fx hosts/s by the medians, %.2fx paired" \
			    " (%d pairs: %.2fx to %.2fx)\n"
			printf f, (a > 0 ? b / a : 0), $1, $4, $2, $3 }'
		echo "braa's varbinds/s count what the responder served" \
		    "(its passes resend); its cpu_us/vb is over those."
	fi
	echo "not_as: hosts not assessed (without an ok or partial channel" \
	    "row; the responder answers every request)."
	echo "resp_d: requests the responder's kernel dropped (a full socket" \
	    "buffer; - when not known: a socket per device)."
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# The matcher on its own: test_match prints its speed (per row of a
# 1,000-row software table against the whole pack, and hostile 64 KiB
# values); the unit test only prints it, since no test races the clock.
if [ -x "$TOP/$BUILD/tests/test_match" ]; then
	echo
	echo "matcher (build/tests/test_match, informative lines):"
	(cd "$TOP" && "$TOP/$BUILD/tests/test_match" 2>&1) |
	    grep -E '^(speed|hostile values): ' | sed 's/^/  /'
fi
