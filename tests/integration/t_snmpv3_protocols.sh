#!/bin/sh
# SNMPv3: every authentication protocol (MD5 SHA SHA-224 SHA-256 SHA-384
# SHA-512) with every privacy protocol (DES AES-128 AES-192 AES-256) of
# README.md's credentials section, against the real net-snmp snmpd on
# loopback: one snmpd user per pair, each on its own loopback address, and
# banaudit must read sysName through each.  A profile that names the
# wrong protocol for its user must fail (auth_failed or timeout), so that
# the protocols cannot be mixed up unnoticed.  The two levels without
# privacy as well: authNoPriv (SHA-256) and noAuthNoPriv users, each
# read through its own profile.  2026-12-05: SHA-384 and
# SHA-512 swapped in the collector left the suite green.
#
# Debian 12's net-snmp 5.9.3 is built with --enable-blumenthal-aes, so
# snmpd has AES-192 and AES-256 (the Blumenthal draft, net-snmp's
# "AES192"/"AES256"); DES is built in as well.  Should snmpd refuse a
# protocol, the test fails naming it (no silent skip).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/snmpd.sh"

cd "$T" || exit 1
AUTHS="MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512"
PRIVS="DES AES-128 AES-192 AES-256"
# net-snmp's names in snmpd.conf's createUser.
snmpd_priv() {
	case "$1" in
	AES-128) echo AES ;;
	AES-192) echo AES192 ;;
	AES-256) echo AES256 ;;
	*) echo "$1" ;;
	esac
}

SNMPD_EXTRA=""
: > pairs
i=0
for a in $AUTHS; do
	for p in $PRIVS; do
		i=$((i + 1))
		u="u$i"
		ap=a$(random_secret)
		pp=p$(random_secret)
		echo "$i $u $a $p $ap $pp" >> pairs
		SNMPD_EXTRA="$SNMPD_EXTRA
agentaddress udp:127.0.9.$i:@PORT@
createUser $u $a $ap $(snmpd_priv "$p") $pp
rouser $u priv"
	done
done
# authNoPriv and noAuthNoPriv users, on addresses 127.0.9.30 and .31.
ANP=a$(random_secret)
SNMPD_EXTRA="$SNMPD_EXTRA
agentaddress udp:127.0.9.30:@PORT@
createUser uan SHA-256 $ANP
rouser uan auth
agentaddress udp:127.0.9.31:@PORT@
createUser unn
rouser unn noauth"
snmpd_start || finish
P=$SNMPD_PORT

# snmpd must have taken every user: no "unknown" protocol in its log.
if grep -Ei "unknown|invalid|error" "$SNMPD_DIR/snmpd.log" > snmpd.err
then
	fail "snmpd refused some users or protocols:"
	sed 's/^/    /' snmpd.err >&2
else
	ok "snmpd took all $i users"
fi

# One profile per user with its own protocols, and one per user with the
# next privacy protocol in the list (wrong for that user).
: > creds.ini
chmod 0600 creds.ini
while read -r n u a p ap pp; do
	case "$p" in
	DES) wp=AES-128 ;; AES-128) wp=AES-192 ;;
	AES-192) wp=AES-256 ;; AES-256) wp=DES ;;
	esac
	printf '[v3-%s]\nsnmp_version = 3\nusername = %s\n' "$n" "$u"
	printf 'auth_protocol = %s\nauth_passphrase = %s\n' "$a" "$ap"
	printf 'priv_protocol = %s\npriv_passphrase = %s\n\n' "$p" "$pp"
	printf '[wrong-%s]\nsnmp_version = 3\nusername = %s\n' "$n" "$u"
	printf 'auth_protocol = %s\nauth_passphrase = %s\n' "$a" "$ap"
	printf 'priv_protocol = %s\npriv_passphrase = %s\n\n' "$wp" "$pp"
done < pairs >> creds.ini
printf '[v3-an]\nsnmp_version = 3\nusername = uan\n%s\n%s\n\n' \
    "auth_protocol = SHA-256" "auth_passphrase = $ANP" >> creds.ini
printf '[v3-nn]\nsnmp_version = 3\nusername = unn\n' >> creds.ini
{
	echo "address,sector,snmp_profile"
	while read -r n u a p ap pp; do
		echo "127.0.9.$n:$P,telecom,v3-$n"
	done < pairs
	echo "127.0.9.30:$P,telecom,v3-an"
	echo "127.0.9.31:$P,telecom,v3-nn"
} > targets.csv
# The wrong-protocol profiles, on a sample of pairs (each a timeout costs
# the --timeout): every privacy protocol once, every auth protocol once.
{
	echo "address,sector,snmp_profile"
	for n in 1 6 11 16 17 24; do
		echo "127.0.9.$n:$P,telecom,wrong-$n"
	done
} > wrong.csv

"$BANAUDIT" scan --targets targets.csv --credentials creds.ini --db a.db \
    --probes system --timeout 2000 --retries 1 --quiet
assert_eq "scan exits 0" 0 $?
"$BANAUDIT" report --db a.db --format coverage-csv --output cov.csv
"$BANAUDIT" report --db a.db --format inventory-csv --output inv.csv
sqlite3 -batch r.db ".import --csv cov.csv c" ".import --csv inv.csv i"
while read -r n u a p ap pp; do
	assert_eq "$a / $p: ok" "ok|v3-$n" "$(sqlite3 r.db "select status \
	    || '|' || profile from c where address = '127.0.9.$n:$P' and \
	    probe = ''")"
	assert_eq "$a / $p: sysName read" banaudit-test-agent \
	    "$(sqlite3 r.db "select value from i where \
	    address = '127.0.9.$n:$P' and attr = 'name' and kind = 'system'")"
done < pairs
for lv in an nn; do
	n=30
	[ $lv = nn ] && n=31
	assert_eq "v3-$lv: ok" "ok|v3-$lv" "$(sqlite3 r.db "select status \
	    || '|' || profile from c where address = '127.0.9.$n:$P' and \
	    probe = ''")"
	assert_eq "v3-$lv: sysName read" banaudit-test-agent \
	    "$(sqlite3 r.db "select value from i where \
	    address = '127.0.9.$n:$P' and attr = 'name' and kind = 'system'")"
done

"$BANAUDIT" scan --targets wrong.csv --credentials creds.ini --db w.db \
    --probes system --timeout 500 --retries 0 --quiet
assert_eq "wrong protocols: scan exits 0" 0 $?
"$BANAUDIT" report --db w.db --format coverage-csv --output wcov.csv
sqlite3 -batch r.db ".import --csv wcov.csv w"
for n in 1 6 11 16 17 24; do
	st=$(sqlite3 r.db "select status from w where \
	    address = '127.0.9.$n:$P' and probe = ''")
	case "$st" in
	auth_failed|timeout) ok "wrong privacy protocol for u$n: $st" ;;
	*) fail "wrong privacy protocol for u$n: '$st', want a failure" ;;
	esac
done

for f in a.db* w.db* cov.csv inv.csv wcov.csv; do
	while read -r n u a p ap pp; do
		if grep -aqF -e "$ap" -e "$pp" "$f"; then
			fail "a passphrase of u$n is in $f"
		fi
	done < pairs
	if grep -aqF -e "$ANP" "$f"; then
		fail "the passphrase of uan is in $f"
	fi
	ok "no passphrase in $f"
done
finish
