# SNMP test peers for integration tests (sourced after lib/common.sh).
#
#   snmpsim_start DATADIR      the reference simulator (Debian snmpsim,
#                              snmpsimd) serving DATADIR/*.snmprec; with
#                              SNMPSIM_CAP=N set, at a response cap of N
#                              varbinds (snmpsimd's default is 64) from a
#                              copy of the script with its GETBULK
#                              division floored (see below)
#   snmpresp_start DATADIR [SNMPRESP-OPTIONS...]
#                              our C responder (build/tools/snmpresp) on
#                              the same files (on port SNMPRESP_PORT_WANT
#                              when set)
#   snmpc CMD ARGS...          runs a net-snmp client (snmpget, snmpwalk,
#                              ...) with $T/snmpc/snmp.conf: v2c, community
#                              public, no MIBs, no writes outside $T
#   fleet_addr NAME [MAP]      prints the address of device NAME
#
# Device N (1-based, in file-name order) of DATADIR listens on 127.42.0.N
# (snmpsimd) or 127.43.0.N (snmpresp), on one port per server that was free
# when the server started.  The maps $T/fleet.map and $T/snmpresp.map hold
# one "NAME ADDRESS:PORT" line per device, NAME being the file name without
# .snmprec; SNMPSIM_PORT and SNMPRESP_PORT are exported.  Both servers are
# registered with register_pid, so the EXIT trap stops them.
#
# Community: "public" for the fixture fleet (tests/data/fleet, not a
# secret), or SNMPSIM_COMMUNITY for snmpsimd (the clients of snmpc use it
# too).  For a secret community, write it to a file and pass
# --community-file FILE to snmpresp_start; never put it on a command line.
#
# Contexts (snmpsimd): DATADIR/NAME.ctx/SUFFIX.snmprec is what device NAME
# serves to community COMMUNITY@SUFFIX (Cisco's community@VLAN indexing:
# "20.snmprec" is VLAN 20's bridge table); any other community gets no
# answer, as a switch that refuses an unknown VLAN community.

SNMPSIM_NET=127.42.0
SNMPRESP_NET=127.43.0

# snmp_client_conf DIR COMMUNITY-FILE: a net-snmp client configuration
# directory (use as SNMPCONFPATH=DIR) for v2c with the community read from
# COMMUNITY-FILE.  The file it writes is mode 0600.
snmp_client_conf() {
	mkdir -p "$1/persist"
	(
		umask 077
		{
			echo "defVersion 2c"
			printf 'defCommunity %s\n' "$(head -n 1 "$2")"
			echo "mibs :"
			echo "persistentDir $1/persist"
		} > "$1/snmp.conf"
	)
}

_snmpc_init() {
	[ -f "$T/snmpc/snmp.conf" ] && return 0
	mkdir -p "$T/snmpc"
	echo "${SNMPSIM_COMMUNITY:-public}" > "$T/snmpc/community"
	snmp_client_conf "$T/snmpc" "$T/snmpc/community"
}

snmpc() {
	_snmpc_init
	SNMPCONFPATH="$T/snmpc" SNMP_PERSISTENT_DIR="$T/snmpc/persist" \
	    MIBS= "$@"
}

fleet_addr() {
	awk -v n="$1" '$1 == n { print $2; f = 1; exit } END { exit !f }' \
	    "${2:-$T/fleet.map}"
}

# _wait_answers MAP [PID]: waits (at most 60 s in all) until every device
# of MAP answers a GETNEXT; fails at once when PID (the server) is gone.
# 2026-12-05: snmpsimd serving the demo's 41 devices did not answer within
# 10 s at a load of 24.
_wait_answers() {
	_deadline=$(( $(date +%s) + 60 ))
	while read -r _name _addr; do
		until snmpc snmpgetnext -t 0.2 -r 0 -On "$_addr" .0 \
		    >/dev/null 2>&1; do
			if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
				echo "the server of $_name at $_addr exited" >&2
				return 1
			fi
			if [ "$(date +%s)" -ge "$_deadline" ]; then
				echo "no answer from $_name at $_addr" >&2
				return 1
			fi
			sleep 0.1
		done
	done < "$1"
}

# snmpsimd cannot bind a port of the kernel's choosing and report it (its
# endpoints are given as ADDRESS:PORT), so a free port is picked; should
# another process take it first, snmpsimd exits ("Address already in use")
# and is started again on another port (five tries) instead of failing the
# test by chance.  With SNMPSIM_REUSE_PORT the port is not changed.
snmpsim_start() {
	_dir=$1
	_sd="$T/snmpsim"
	_comm=${SNMPSIM_COMMUNITY:-public}
	mkdir -p "$_sd/data/$_comm" "$_sd/cache"
	_n=0
	for _f in "$_dir"/*.snmprec; do
		[ -e "$_f" ] || { echo "snmpsim_start: no files in $_dir" >&2
			return 1; }
		# Endpoint n (from --transport-id-offset, 0) serves
		# public/1.3.6.1.6.1.1.<n>.snmprec to community public.
		cp "$_f" "$_sd/data/$_comm/1.3.6.1.6.1.1.$_n.snmprec"
		for _c in "${_f%.snmprec}.ctx"/*.snmprec; do
			[ -e "$_c" ] || continue
			_cs=$(basename "$_c" .snmprec)
			mkdir -p "$_sd/data/$_comm@$_cs"
			cp "$_c" "$_sd/data/$_comm@$_cs/1.3.6.1.6.1.1.$_n.snmprec"
		done
		_n=$((_n + 1))
		if [ "$_n" -gt 254 ]; then
			echo "snmpsim_start: more than 254 devices" >&2
			return 1
		fi
	done
	# snmpsimd's --max-varbinds defaults to 64.  Debian's 0.4.5 divides
	# with "/" where it means "//" in its v2c GETBULK handler
	# (M = min(M, maxVarBinds/R), then "while M and R: ... M -= 1"): a
	# GETBULK whose column count does not divide the cap makes M a
	# fraction that never reaches 0, and the whole simulator spins.
	# By default the cap is raised out of reach; SNMPSIM_CAP=N serves at
	# a cap of N from a copy of the script with that division floored,
	# which cuts a GETBULK answer short as constrained agents do.
	_bin=snmpsimd
	_cap=100000
	if [ -n "${SNMPSIM_CAP:-}" ]; then
		_bin="$_sd/snmpsimd-floored"
		_cap=$SNMPSIM_CAP
		sed 's|M = min(M, maxVarBinds/R)|M = min(M, maxVarBinds//R)|' \
		    "$(command -v snmpsimd)" > "$_bin"
		if ! grep -q 'maxVarBinds//R' "$_bin"; then
			echo "snmpsim_start: snmpsimd's GETBULK division not" \
			    "found; cannot floor it" >&2
			return 1
		fi
		chmod 0755 "$_bin"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		chown -R nobody:nogroup "$_sd"
	fi
	_try=0
	while :; do
		_try=$((_try + 1))
		# SNMPSIM_REUSE_PORT: serve on the port of an earlier start (a
		# target is its address and port, so a second run must find
		# the same ones).
		SNMPSIM_PORT=${SNMPSIM_REUSE_PORT:-$(pick_port)}
		export SNMPSIM_PORT
		_snmpsim_endpoints "$_n"
		set -- --v2c-arch --logging-method=null \
		    --max-varbinds="$_cap" --data-dir="$_sd/data" \
		    --cache-dir="$_sd/cache" --args-from-file="$_sd/args"
		if [ "$(id -u)" -eq 0 ]; then
			set -- "$@" --process-user=nobody \
			    --process-group=nogroup
		fi
		"$_bin" "$@" > "$_sd/log" 2>&1 &
		SNMPSIM_PID=$!
		register_pid $SNMPSIM_PID
		_wait_answers "$T/fleet.map" "$SNMPSIM_PID" 2> "$_sd/wait" &&
		    return 0
		if ! kill -0 "$SNMPSIM_PID" 2>/dev/null &&
		    [ -z "${SNMPSIM_REUSE_PORT:-}" ] && [ "$_try" -lt 5 ] &&
		    grep -q "Address already in use" "$_sd/log"; then
			echo "snmpsim_start: port $SNMPSIM_PORT taken;" \
			    "another" >&2
			continue
		fi
		cat "$_sd/wait" >&2
		sed 's/^/  snmpsimd: /' "$_sd/log" >&2
		return 1
	done
}

# _snmpsim_endpoints N: $_sd/args and $T/fleet.map for devices 1..N on
# $SNMPSIM_PORT, in file-name order (as the data files were copied).
_snmpsim_endpoints() {
	: > "$_sd/args"
	: > "$T/fleet.map"
	_i=0
	for _f in "$_dir"/*.snmprec; do
		_i=$((_i + 1))
		echo "--agent-udpv4-endpoint=$SNMPSIM_NET.$_i:$SNMPSIM_PORT" \
		    >> "$_sd/args"
		echo "$(basename "$_f" .snmprec)" \
		    "$SNMPSIM_NET.$_i:$SNMPSIM_PORT" >> "$T/fleet.map"
	done
}

# snmpresp binds a port of the kernel's choosing (--port 0), the same on
# every device address, and reports it in its ready file: no port is
# probed and then bound.
snmpresp_start() {
	_dir=$1
	shift
	# SNMPRESP_PORT_WANT: restart on the port of an earlier run.
	rm -f "$T/snmpresp.ready"
	"$TOOLS/snmpresp" --dir "$_dir" --base "$SNMPRESP_NET.1" \
	    --port "${SNMPRESP_PORT_WANT:-0}" --ready-file "$T/snmpresp.ready" "$@" \
	    2> "$T/snmpresp.log" &
	_rpid=$!
	register_pid $_rpid
	SNMPRESP_PID=$_rpid
	_i=0
	while [ ! -e "$T/snmpresp.ready" ]; do
		if ! kill -0 "$_rpid" 2>/dev/null || [ $_i -gt 600 ]; then
			echo "snmpresp did not start:" >&2
			cat "$T/snmpresp.log" >&2
			return 1
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	# The ready file lists "ADDRESS:PORT FILE" per device.
	awk '{ n = $2; sub(/.*\//, "", n); sub(/\.snmprec$/, "", n);
	    print n, $1 }' "$T/snmpresp.ready" > "$T/snmpresp.map"
	SNMPRESP_PORT=$(awk 'NR == 1 { sub(/.*:/, "", $1); print $1 }' \
	    "$T/snmpresp.ready")
	export SNMPRESP_PORT
}
