#!/bin/sh
# Installs the Debian packages banaudit needs for a task, when missing.
#   scripts/deps.sh [build|test|demo|bench|coverage|fuzz]     (default: build)
# test adds the peers, Chromium, poppler-utils (PDF page counts), mandoc
# (man page lint), debhelper (make deb) and lintian (checks its package).
# As root it runs apt-get; otherwise it prints the command and fails.
set -eu

build="gcc libc6-dev make pkg-config libsnmp-dev libcurl4-openssl-dev
libcsv-dev libsqlite3-dev libcmocka-dev libinih-dev libjansson-dev
libxml2-dev libssl-dev zlib1g-dev libmimalloc-dev ieee-data"
# python3 runs scripts/mutate.py (make mutate); snmpsim brings it anyway.
# python3-jsonschema validates the JSON reports against docs/*.schema.json.
# faketime pins the clock for date-dependent tests (t_report_dates.sh).
# strace shows what a scan opens (t_lazylib.sh: no MIB file).
test="snmp snmpd snmpsim fusioninventory-agent
fusioninventory-agent-task-network openssl sqlite3 chromium python3
poppler-utils mandoc dpkg-dev debhelper lintian python3-jsonschema faketime
strace"
case "${1:-build}" in
build)	want="$build" ;;
test)	want="$build $test" ;;
coverage) want="$build $test gcovr" ;;
demo)	want="$build snmp snmpsim" ;;
bench)	want="$build snmp snmpsim braa" ;;
fuzz)	want="$build clang libclang-rt-14-dev" ;;
*)	echo "deps.sh: unknown set '$1' (build, test, demo, bench," \
	    "coverage, fuzz)" >&2
	exit 2 ;;
esac

missing=""
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "banaudit needs these Debian packages:$missing" >&2
	echo "run as root:  apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi

echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Keep package scripts from starting the daemons we only need as binaries.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 0755 "$policy"
	made_policy=1
fi
rc=0
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
	apt-get update -q >/dev/null &&
	apt-get install -y -q --no-install-recommends $missing >/dev/null
} || rc=$?
[ "$made_policy" -eq 1 ] && rm -f "$policy"
if [ "$rc" -ne 0 ]; then
	echo "deps.sh: apt-get failed (exit $rc)" >&2
	exit 1
fi
