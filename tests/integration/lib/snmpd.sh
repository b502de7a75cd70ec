# Helpers to run the real net-snmp snmpd on loopback (sourced, POSIX sh,
# after lib/common.sh).
#
#   snmpd_start [NAME]   starts an agent on 127.0.0.1:$SNMPD_PORT,
#                        127.0.0.2:$SNMPD_PORT and [::1]:$SNMPD_PORT with a
#                        random v2c community ($SNMPD_COMMUNITY) and an
#                        SNMPv3 user ($SNMPD_USER, SHA-256 / AES-128,
#                        passphrases in $SNMPD_AUTHPASS / $SNMPD_PRIVPASS),
#                        registers its pid and waits until it answers.
#                        Lines in $SNMPD_EXTRA are added to its snmpd.conf
#                        (e.g. "override OID octet_str VALUE" to play a
#                        camera).
#   snmpd_conf_v2c FILE  writes a client snmp.conf for the v2c community
#   snmpd_conf_v3 FILE   writes a client snmp.conf for the v3 user
#   snmp_tool CONF CMD ARGS...  runs a net-snmp command-line tool with the
#                        client config CONF (through SNMPCONFPATH: secrets
#                        never appear on a command line)
#
# Everything lives under $T/NAME; the agent's persistent state goes there
# too (SNMP_PERSISTENT_DIR), never to /var/lib/snmp.

SNMPD=${SNMPD:-/usr/sbin/snmpd}

# snmp_tool CONF CMD ARGS...
snmp_tool() {
	_c=$1
	shift
	_d=$(dirname "$_c")
	SNMPCONFPATH="$_d" SNMP_PERSISTENT_DIR="$_d/persist" MIBS="" \
	    "$@"
}

snmpd_conf_v2c() {	# FILE
	mkdir -p "$(dirname "$1")"
	(umask 077; cat >"$1") <<EOF
defVersion 2c
defCommunity $SNMPD_COMMUNITY
timeout 2
retries 1
noPersistentLoad yes
noPersistentSave yes
EOF
}

snmpd_conf_v3() {	# FILE
	mkdir -p "$(dirname "$1")"
	(umask 077; cat >"$1") <<EOF
defVersion 3
defSecurityName $SNMPD_USER
defSecurityLevel authPriv
defAuthType SHA-256
defAuthPassphrase $SNMPD_AUTHPASS
defPrivType AES
defPrivPassphrase $SNMPD_PRIVPASS
timeout 2
retries 1
noPersistentLoad yes
noPersistentSave yes
EOF
}

# snmpd_start [NAME]: see above.  Fails the test when the agent does not
# come up.  snmpd cannot bind a port of the kernel's choosing and report
# it, so a free port is picked; should another process take it first,
# snmpd exits ("Error opening specified endpoint") and is started again on
# another port (five tries), instead of failing the test by chance.
# "@PORT@" in $SNMPD_EXTRA is replaced by the port.
snmpd_start() {
	_n=${1:-snmpd}
	SNMPD_DIR="$T/$_n"
	# net-snmp 5.9 creates <persistent dir>/cert_indexes even with
	# persistence off, and says so on stderr: have it there already.
	mkdir -p "$SNMPD_DIR/persist/cert_indexes" \
	    "$SNMPD_DIR/client/v2c/persist/cert_indexes" \
	    "$SNMPD_DIR/client/v3/persist/cert_indexes"
	SNMPD_COMMUNITY=c$(random_secret)
	SNMPD_USER=auditor
	SNMPD_AUTHPASS=a$(random_secret)
	SNMPD_PRIVPASS=p$(random_secret)
	_try=0
	while :; do
		_try=$((_try + 1))
		SNMPD_PORT=$(pick_port)
		_snmpd_conf
		: > "$SNMPD_DIR/snmpd.log"
		SNMP_PERSISTENT_DIR="$SNMPD_DIR/persist" MIBS="" "$SNMPD" -C \
		    -c "$SNMPD_DIR/snmpd.conf" -f -Lf "$SNMPD_DIR/snmpd.log" \
		    -p "$SNMPD_DIR/snmpd.pid" >/dev/null 2>&1 &
		SNMPD_PID=$!
		register_pid "$SNMPD_PID"
		snmpd_conf_v2c "$SNMPD_DIR/client/v2c/snmp.conf"
		snmpd_conf_v3 "$SNMPD_DIR/client/v3/snmp.conf"
		_snmpd_answered=0
		wait_for _snmpd_up
		[ "$_snmpd_answered" -eq 1 ] && return 0
		if ! kill -0 "$SNMPD_PID" 2>/dev/null && [ "$_try" -lt 5 ] &&
		    grep -q "Error opening specified endpoint" \
		    "$SNMPD_DIR/snmpd.log"; then
			continue
		fi
		fail "snmpd did not answer on 127.0.0.1:$SNMPD_PORT"
		sed 's/^/    snmpd.log: /' "$SNMPD_DIR/snmpd.log" >&2
		return 1
	done
}

# Answering (then _snmpd_answered=1), or gone: nothing to wait for.
_snmpd_up() {
	kill -0 "$SNMPD_PID" 2>/dev/null || return 0
	snmp_tool "$SNMPD_DIR/client/v2c/snmp.conf" snmpget -On \
	    "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.1.5.0 || return 1
	_snmpd_answered=1
}

_snmpd_conf() {
	(
		umask 077
		cat >"$SNMPD_DIR/snmpd.conf" <<EOF
agentaddress udp:127.0.0.1:$SNMPD_PORT,udp:127.0.0.2:$SNMPD_PORT,udp6:[::1]:$SNMPD_PORT
rocommunity $SNMPD_COMMUNITY 127.0.0.0/8
rocommunity6 $SNMPD_COMMUNITY ::1
createUser $SNMPD_USER SHA-256 $SNMPD_AUTHPASS AES $SNMPD_PRIVPASS
rouser $SNMPD_USER priv
sysLocation banaudit test rack
sysContact banaudit@example.invalid
sysName banaudit-test-agent
dontLogTCPWrappersConnects yes
$(printf '%s\n' "${SNMPD_EXTRA:-}" | sed "s/@PORT@/$SNMPD_PORT/g")
EOF
	)
}
