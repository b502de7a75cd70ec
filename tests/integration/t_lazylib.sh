#!/bin/sh
# libcurl and libxml2 are loaded when first called (util/lazylib.h), not
# at start-up: the program does not name them as needed libraries, an
# SNMP scan with no agent target never loads them, and an XML import and
# an agent target still work, loading each when it is used.  Linked in,
# the two and their 30-odd dependencies cost every run about 18 ms of CPU
# before main() (issue 13, docs/PERFORMANCE.md).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpsim.sh"

cd "$T" || exit 1
readelf -d "$BANAUDIT" > needed.txt
assert_eq "readelf exits 0" 0 $?
assert_contains "the program names its libraries" needed.txt \
    'NEEDED.*libsqlite3'
assert_not_contains "libcurl is not a needed library" needed.txt \
    'NEEDED.*libcurl'
assert_not_contains "libxml2 is not a needed library" needed.txt \
    'NEEDED.*libxml2'
# The allocator: the program is linked as test_heap_malloc is (the
# Makefile's MALLOC_LIBS: mimalloc, but in the sanitizers' builds), and
# that test checks that every malloc of such a process is mimalloc's.
readelf -d "$TOP/$BUILD/tests/test_heap_malloc" > alloc.txt
assert_eq "readelf of test_heap_malloc exits 0" 0 $?
if grep -q 'NEEDED.*libmimalloc' alloc.txt; then
	assert_contains "the program links mimalloc" needed.txt \
	    'NEEDED.*libmimalloc'
else
	assert_not_contains "the program links no mimalloc" needed.txt \
	    'NEEDED.*libmimalloc'
fi
# (make MALLOC_LIBS=... test sets it; unset, the Makefile's default.)
if [ -z "${MALLOC_LIBS+set}" ]; then
	case "$BUILD" in
	build)	assert_contains "the default build links mimalloc" \
		    alloc.txt 'NEEDED.*libmimalloc' ;;
	build-san) assert_not_contains "no mimalloc under the sanitizers" \
		    alloc.txt 'NEEDED.*libmimalloc' ;;
	esac
fi

"$TOOLS/genfleet" -n 3 -m 5 fleet > genfleet.log 2>&1
assert_eq "genfleet exits 0" 0 $?
snmpresp_start fleet || { fail "snmpresp did not start"; finish; }
{
	echo "address,sector,snmp_profile"
	awk -v s=",telecom,fixture" '{ print $2 s }' snmpresp.map
} > targets.csv
printf '[fixture]\nsnmp_version = 2c\ncommunity = public\n' > creds.ini
chmod 0600 creds.ini
# The default probes, no agent URL: neither library is loaded.
LD_DEBUG=files "$BANAUDIT" scan --targets targets.csv \
    --credentials creds.ini --db a.db --rate 0 --quiet 2> scan.err
assert_eq "scan exits 0" 0 $?
assert_eq "every host assessed" 3 "$(sqlite3 -batch a.db "select \
    count(*) from coverage where channel = 'snmp' and probe = '' and \
    status = 'ok'")"
assert_not_contains "the scan does not load libcurl" scan.err \
    'file=libcurl'
assert_not_contains "the scan does not load libxml2" scan.err \
    'file=libxml2'

# Nor does an SNMP scan open net-snmp's MIB files (every OID is numeric;
# init_snmp() indexed the 27 files of /usr/share/snmp/mibs until MIBDIRS
# was emptied as well as MIBS).
# (LeakSanitizer cannot run under ptrace: a sanitizer build's traced run
# leaves leak checking to the suite's other runs.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -e trace=open,openat -o mibs.trace "$BANAUDIT" scan \
    --targets targets.csv --credentials creds.ini --db m.db --rate 0 \
    --quiet 2> /dev/null
assert_eq "the traced scan exits 0" 0 $?
assert_contains "the trace saw the scan open its database" mibs.trace 'm\.db'
assert_not_contains "the scan opens no MIB file" mibs.trace '/snmp/mibs'

# An inventory file: libxml2 is loaded to read it.
LD_DEBUG=files "$BANAUDIT" import --db b.db --sector healthcare \
    "$DATA/agent/windows-kes.xml" --quiet 2> import.err
assert_eq "import exits 0" 0 $?
assert_contains "the import loads libxml2" import.err \
    'file=libxml2\.so\.2 .*dynamically loaded'
check "the import found Kaspersky" test "$(sqlite3 -batch b.db \
    "select count(*) from findings")" -gt 0
finish
