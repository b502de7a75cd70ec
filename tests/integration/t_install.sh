#!/bin/sh
# Installed like a Debian tool: "make install" into a temporary root (the
# program, rule pack, sector profiles, man page, bash completion and the
# examples), the man page linted with mandoc -Tlint, the completion asked
# for commands, formats and sectors; then "make deb" (debian/,
# dpkg-buildpackage -us -uc -b, ${shlibs:Depends}) unpacked with dpkg -x
# into another root, whose banaudit says its version and checks the rule
# pack it installed; lintian finds nothing unexplained in the package.
. "$(dirname "$0")/lib/common.sh"

for t in mandoc dpkg-buildpackage dh dpkg-deb; do
	command -v $t >/dev/null || { fail "$t not installed (mandoc," \
	    "dpkg-dev, debhelper: scripts/deps.sh test)"; finish; }
done
cd "$T" || exit 1
unset BANAUDIT_DATADIR
version=$("$BANAUDIT" --version | sed 's/^banaudit //')

# --- make install ----------------------------------------------------------
make -C "$TOP" --no-print-directory -s install BUILD="$BUILD" PREFIX=/usr \
    DESTDIR="$T/root" > install.log 2>&1
assert_eq "make install exits 0" 0 $?
R=$T/root/usr
for f in bin/banaudit share/banaudit/rules/VERSION \
    share/banaudit/sectors/power.ini share/man/man1/banaudit.1 \
    share/bash-completion/completions/banaudit \
    share/doc/banaudit/examples/banaudit-scan.service \
    share/doc/banaudit/examples/banaudit-scan.timer \
    share/doc/banaudit/examples/banaudit.cron; do
	check "installed: $f" test -s "$R/$f"
done
mandoc -Tlint -Wwarning "$R/share/man/man1/banaudit.1" > lint.txt 2>&1
assert_eq "the man page lints clean (mandoc -Tlint)" 0 $?
cat lint.txt >&2
mandoc -Tascii "$R/share/man/man1/banaudit.1" 2>/dev/null | col -b > man.txt
for s in "--dry-run" "--progress" "--by" "EXIT STATUS" "130"; do
	assert_contains "the man page has $s" man.txt "$s"
done
# The installed program finds the data installed beside it.
BANAUDIT_DATADIR="$R/share/banaudit" "$R/bin/banaudit" rules check \
    > rules.txt
assert_eq "installed rules check exits 0" 0 $?
assert_contains "installed rule pack" rules.txt "^rule pack .*: ok$"

# --- bash completion -------------------------------------------------------
complete_words() {	# WORDS...: what the completion offers for the last
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _banaudit; printf "%s\n" "${COMPREPLY[@]}"' \
	    "$R/share/bash-completion/completions/banaudit" "$@" | sort |
	    tr '\n' ' '
}
assert_eq "commands" "report rules runs " "$(complete_words banaudit r)"
assert_eq "report formats" "coverage-csv csv html inventory-csv json jsonl \
leads-csv " \
    "$(complete_words banaudit report --format '')"
assert_eq "sectors" "healthcare localgov power telecom " \
    "$(complete_words banaudit scan --sector '')"
assert_eq "scan options" "--db --dry-run " \
    "$(complete_words banaudit scan --d)"
assert_eq "probe lists" "system,lldp " \
    "$(complete_words banaudit scan --probes system,ll)"

# --- make deb ---------------------------------------------------------------
make -C "$TOP" --no-print-directory -s deb BUILD="$BUILD" > deb.log 2>&1
assert_eq "make deb exits 0" 0 $?
deb=$(ls "$TOP/$BUILD/deb/banaudit_${version}_"*.deb 2>/dev/null | head -1)
check "the package was built ($deb)" test -s "$deb"
[ -s "$deb" ] || { tail -20 deb.log >&2; finish; }
dpkg-deb -f "$deb" Depends > depends.txt
assert_contains "dependencies from \${shlibs:Depends}" depends.txt \
    "libsnmp[0-9]+ .*libsqlite3-0"
# Loaded at first use (util/lazylib.h): named by debian/control.
assert_contains "libcurl and libxml2, loaded at first use" depends.txt \
    "libcurl4 .*libxml2 "
dpkg -x "$deb" "$T/deb"
assert_eq "the packaged program says its version" "banaudit $version" \
    "$("$T/deb/usr/bin/banaudit" --version)"
BANAUDIT_DATADIR="$T/deb/usr/share/banaudit" "$T/deb/usr/bin/banaudit" \
    rules check > deb-rules.txt
assert_eq "rules check from the package's data exits 0" 0 $?
assert_contains "the package's rule pack" deb-rules.txt "^rule pack .*: ok$"
zcat "$T/deb/usr/share/man/man1/banaudit.1.gz" | mandoc -Tlint -Wwarning
assert_eq "the packaged man page lints clean" 0 $?
check "the package has the completion" \
    test -s "$T/deb/usr/share/bash-completion/completions/banaudit"
# debian/copyright says what is true (no licence granted yet) in the
# machine-readable format; lintian finds nothing in the package that
# debian/banaudit.lintian-overrides does not explain.
assert_contains "the package's copyright file" \
    "$T/deb/usr/share/doc/banaudit/copyright" "^License: none$"
if command -v lintian > /dev/null; then
	lintian --pedantic -I --fail-on error,warning,info,pedantic \
	    "$deb" > lintian.txt 2>&1
	assert_eq "lintian: nothing to say" 0 $?
	assert_not_contains "lintian: no tag" lintian.txt "^[EWIP]: "
else
	fail "lintian not installed (scripts/deps.sh test)"
fi
finish
