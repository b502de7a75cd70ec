#!/bin/sh
# The real Debian fusioninventory-agent 2.6, started hermetically on
# loopback (lib/fiagent.sh): over HTTP and HTTPS (ca_file), IPv4 and IPv6,
# the software names banaudit pulls equal the packages dpkg-query reports
# installed; a wrong token gives auth_failed; the token shows nowhere --
# not in the tool's output, and (with the CLI) not in the database, the
# reports, stdout or stderr.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/fiagent.sh"

fi_available ||
    skip_test "fusioninventory-agent 1:2.6 is not installed (make test)"
PULL="$TOOLS/agentpull"

dpkg-query -W -f='${db:Status-Status} ${Package}\n' |
    awk '$1 == "installed" { print $2 }' | sort >"$T/dpkg.txt"
npkg=$(wc -l <"$T/dpkg.txt")
check "dpkg lists packages ($npkg)" test "$npkg" -gt 100

# pull LABEL [--ca-file F]: pulls $FI_URL with the agent's token.
pull() {
	label=$1
	shift
	"$PULL" --token-file "$FI_TOKENFILE" "$@" "$FI_URL" \
	    >"$T/$label.out" 2>"$T/$label.err"
	assert_eq "$label: agentpull exits 0" 0 $?
	assert_contains "$label: coverage ok" "$T/$label.out" \
	    "$(printf '^cov\t0\tinventory\tok\t')"
	awk -F'\t' '$1 == "obs" && $3 == "software" && $5 == "name" {
	    print $7 }' "$T/$label.out" | sort >"$T/$label.sw"
	if cmp -s "$T/dpkg.txt" "$T/$label.sw"; then
		ok "$label: software = dpkg-query ($npkg)"
	else
		fail "$label: software differs from dpkg-query"
		diff "$T/dpkg.txt" "$T/$label.sw" | head -10 >&2
	fi
	tok=$(cat "$FI_TOKENFILE")
	assert_not_contains "$label: token not in stdout" "$T/$label.out" "$tok"
	assert_not_contains "$label: token not in stderr" "$T/$label.err" "$tok"
	check "$label: no error output" test ! -s "$T/$label.err"
}

wrong_token() {
	label=$1
	shift
	(umask 077 && random_secret >"$T/wrong.token")
	"$PULL" --token-file "$T/wrong.token" "$@" "$FI_URL" \
	    >"$T/$label-wrong.out" 2>&1
	assert_contains "$label: wrong token -> auth_failed" \
	    "$T/$label-wrong.out" "$(printf '^cov\t0\tinventory\tauth_failed')"
	assert_contains "$label: wrong token summary" "$T/$label-wrong.out" \
	    "$(printf '^cov\t0\t\tauth_failed')"
}

fi_start v4 || { fail "agent (http, 127.0.0.1) did not start"; finish; }
pull http-v4
wrong_token http-v4
HTTP_V4_URL=$FI_URL
HTTP_V4_TOKENFILE=$FI_TOKENFILE

fi_start v4tls tls || { fail "agent (https, 127.0.0.1) did not start"
	finish; }
pull https-v4 --ca-file "$FI_CAFILE"
wrong_token https-v4 --ca-file "$FI_CAFILE"
# Verification is never off: without the CA the self-signed agent fails.
"$PULL" --token-file "$FI_TOKENFILE" "$FI_URL" >"$T/noca.out" 2>&1
assert_contains "https without ca_file -> tls_failed" "$T/noca.out" \
    "$(printf '^cov\t0\tinventory\ttls_failed')"
# Plain HTTP on the TLS port.
plain=$(echo "$FI_URL" | sed 's/^https/http/')
"$PULL" --token-file "$FI_TOKENFILE" "$plain" \
    >"$T/plain.out" 2>&1
assert_contains "http on the https port -> error" "$T/plain.out" \
    "$(printf '^cov\t0\tinventory\terror')"
TLS_V4_URL=$FI_URL
TLS_V4_TOKENFILE=$FI_TOKENFILE
TLS_V4_CAFILE=$FI_CAFILE

fi_start v6 ipv6 || { fail "agent (http, ::1) did not start"; finish; }
pull http-v6

fi_start v6tls tls ipv6 || { fail "agent (https, ::1) did not start"
	finish; }
# One whole inventory for HTTPS over IPv6 and the pinned key at once (the
# CA alone is pulled over IPv4 above): each pull costs seconds.
pin=$(openssl x509 -in "$FI_CAFILE" -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
pull https-v6-pinned --ca-file "$FI_CAFILE" --pin "sha256//$pin"
"$PULL" --token-file "$FI_TOKENFILE" --ca-file "$FI_CAFILE" \
    --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" "$FI_URL" \
    >"$T/badpin.out" 2>&1
assert_contains "wrong pinned key -> tls_failed" "$T/badpin.out" \
    "$(printf '^cov\t0\tinventory\ttls_failed')"

# The same through the command line, the store and the reports.
if "$BANAUDIT" --version >/dev/null 2>&1; then
	tok=$(cat "$HTTP_V4_TOKENFILE")
	tlstok=$(cat "$TLS_V4_TOKENFILE")
	# The HTTP and HTTPS pulls reach the same machine: in one scan they
	# would be one host (its MACs tie them together; t_identity.sh), so
	# each goes to its own database to be compared with dpkg-query.
	cat >"$T/targets-http.csv" <<EOF
address,sector,agent_url,agent_profile
127.0.0.1,localgov,$HTTP_V4_URL,fi
127.0.0.2,localgov,$HTTP_V4_URL,wrong
EOF
	cat >"$T/targets-tls.csv" <<EOF
address,sector,agent_url,agent_profile
127.0.0.3,localgov,$TLS_V4_URL,fitls
EOF
	(umask 077 && cat >"$T/creds.ini" <<EOF
[fi]
agent_type = fusioninventory
agent_token = $tok

[wrong]
agent_type = fusioninventory
agent_token = $(random_secret)

[fitls]
agent_type = fusioninventory
agent_token = $tlstok
ca_file = $TLS_V4_CAFILE
EOF
)
	cd "$T" || exit 1
	: >scan.out
	: >scan.err
	for k in http tls; do
		"$BANAUDIT" scan --targets targets-$k.csv --credentials \
		    creds.ini --db audit-$k.db --probes inventory --quiet \
		    >>scan.out 2>>scan.err
		assert_eq "banaudit scan ($k) exits 0" 0 $?
	done
	check "cli: scan --quiet prints nothing (no sanitizer report)" \
	    test ! -s scan.err -a ! -s scan.out
	: >inventory.csv
	: >coverage.csv
	for k in http tls; do
		"$BANAUDIT" report --db audit-$k.db --format inventory-csv \
		    >>inventory.csv 2>>rep1.err
		assert_eq "inventory-csv ($k) exits 0" 0 $?
		"$BANAUDIT" report --db audit-$k.db --format coverage-csv \
		    >>coverage.csv 2>>rep2.err
		assert_eq "coverage-csv ($k) exits 0" 0 $?
		"$BANAUDIT" report --db audit-$k.db --format csv \
		    >>findings.csv 2>>rep3.err
		"$BANAUDIT" report --db audit-$k.db --format html \
		    >>report.html 2>>rep4.err
	done
	# Columns by header name, so the report may order them as it likes.
	python3 - "$T" <<'EOF' >cli-check.txt
import csv, sys
t = sys.argv[1]
def rows(name):
    with open(t + "/" + name, newline="") as f:
        return list(csv.DictReader(f))
inv = rows("inventory.csv")
def col(r, *names):
    for n in names:
        if n in r:
            return r[n]
    return None
for addr in ("127.0.0.1", "127.0.0.3"):
    sw = sorted(col(r, "value") for r in inv
                if col(r, "address") == addr and col(r, "channel") == "agent"
                and col(r, "kind") == "software"
                and col(r, "attr", "attribute") == "name")
    with open(t + "/cli-%s.sw" % addr, "w") as f:
        f.write("".join(s + "\n" for s in sw))
for r in rows("coverage.csv"):
    if col(r, "channel") == "agent" and col(r, "probe") in ("", None):
        print(col(r, "address"), col(r, "status"))
EOF
	for a in 127.0.0.1 127.0.0.3; do
		if cmp -s dpkg.txt "cli-$a.sw"; then
			ok "cli $a: software rows = dpkg-query"
		else
			fail "cli $a: software rows differ from dpkg-query"
			diff dpkg.txt "cli-$a.sw" | head -5 >&2
		fi
	done
	assert_contains "cli: http agent ok" cli-check.txt "^127.0.0.1 ok$"
	assert_contains "cli: wrong token auth_failed" cli-check.txt \
	    "^127.0.0.2 auth_failed$"
	assert_contains "cli: https agent ok" cli-check.txt "^127.0.0.3 ok$"
	for f in audit-http.db audit-http.db-wal audit-tls.db \
	    audit-tls.db-wal inventory.csv coverage.csv \
	    findings.csv report.html scan.out scan.err rep1.out rep1.err \
	    rep2.out rep2.err rep3.out rep3.err rep4.out rep4.err; do
		[ -e "$f" ] || continue
		if grep -aqF -e "$tok" -e "$tlstok" "$f"; then
			fail "cli: a token is in $f"
		else
			ok "cli: no token in $f"
		fi
	done
fi
finish
