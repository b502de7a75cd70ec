# Shared helpers of the server-pull tests (sourced after common.sh, POSIX
# sh): a fake inventory server (tests/tools/fake*.py), the credentials
# file of one server profile, a pull from a server misbehaving in one way,
# and the certificates and key pins of the TLS checks.  Work in $T.
#
# A test sets, before its first pull_mode:
#   PULL_PROFILE  the profile name (--pull NAME, the [NAME] section)
#   PULL_PROBE    the server's coverage probe ("glpi", "wazuh")
#   PULL_PATH     what follows the mode in the server URL ("" or
#                 "/apirest.php")
#   PULL_OPTS     options every pull takes (may be empty)
#   creds()       creds URL [EXTRA-LINE...]: writes creds.ini
# and SCHEME (http, https).

# rand_hex N: N random bytes in hex, for a secret of this test only.
rand_hex() {
	od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# start_server SCRIPT [ARGS...]: starts tests/tools/SCRIPT on 127.0.0.1
# with its request log in req.log; sets PORT.
start_server() {
	s=$1
	shift
	rm -f port
	python3 "$TOP/tests/tools/$s" --port-file port --log req.log "$@" \
	    2>fake.err &
	register_pid $!
	wait_for test -s port || { fail "$s did not start"; finish; }
	PORT=$(cat port)
}

# server_creds SECTION TYPE URL [LINE...]: creds.ini (mode 0600) with one
# inventory server profile.
server_creds() {
	{
		echo "[$1]"
		echo "server_type = $2"
		echo "server_url = $3"
		shift 3
		for l in "$@"; do echo "$l"; done
	} > creds.ini
	chmod 0600 creds.ini
}

# pull_mode MODE [OPTIONS...]: a pull from the fake server playing MODE
# into a fresh p.db; sets r to the server's coverage "status|detail" and
# PRC to the exit status.
pull_mode() {
	m=$1
	shift
	creds "$SCHEME://127.0.0.1:$PORT/$m$PULL_PATH"
	rm -f p.db
	: > req.log
	# shellcheck disable=SC2086 # PULL_OPTS is a list of words
	"$BANAUDIT" import --db p.db --sector healthcare --quiet \
	    --credentials creds.ini --pull "$PULL_PROFILE" $PULL_OPTS "$@" \
	    >p.out 2>p.err
	PRC=$?
	r=$(sqlite3 p.db "select c.status || '|' || c.detail from coverage \
	    c join hosts h on h.id = c.host_id where c.probe = \
	    '$PULL_PROBE'")
}

# assert_contains_str DESCRIPTION STRING PATTERN: STRING matches the
# extended regular expression PATTERN.
assert_contains_str() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
		fail "$1: '$3' not in '$2'"; fi
}

# check_ended_by_timeout WHAT MS: the last pull (r) was ended by its
# timeout of MS ms.  No wall clock: the "slow" server trickles a body of
# 1 MB at 5 bytes a second (days), so only the timeout can have ended the
# pull, and at no less than 90 % of MS.
check_ended_by_timeout() {
	ms=$(printf "%s\n" "$r" |
	    sed -n "s/.*timed out after \([0-9]*\) milli.*/\1/p")
	check "$1: ended by the $2 ms timeout (${ms:-?} ms)" \
	    test "${ms:-0}" -ge $(( $2 * 9 / 10 ))
}

# make_certs: cert.pem/key.pem for 127.0.0.1 and localhost, and
# cert2.pem/key2.pem, another key (for pins that must not match).
make_certs() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	    -subj "/CN=localhost" \
	    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	    -keyout key.pem -out cert.pem >/dev/null 2>&1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other" \
	    -keyout key2.pem -out cert2.pem >/dev/null 2>&1
}

# pin CERT: the sha256 pin of CERT's public key (pinned_pubkey).
pin() {
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin \
	    -outform der | openssl dgst -sha256 -binary | openssl base64 -A
}
