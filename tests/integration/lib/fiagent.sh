# Starts the real Debian fusioninventory-agent hermetically (sourced after
# common.sh).  Nothing is written outside $T: a Perl shim points the agent's
# hard-coded confdir (/etc/fusioninventory) and vardir (/var/lib/...) into a
# fresh directory, then runs the stock /usr/bin/fusioninventory-agent.  The
# shim relies on Config::_loadDefaults, a private function of 2.6: the
# harness checks the package version and skips otherwise.
#
#   fi_start NAME [tls] [ipv6]   start an agent; sets FI_URL, FI_TOKENFILE,
#                                FI_CAFILE (tls), FI_PID, FI_DIR
#   fi_available                 0 when the Debian agent 2.6 is installed
#
# The token is random, lives only in files of mode 0600 under $T, and is
# never passed on a command line.  Tasks that reach out are disabled; the
# agent listens on 127.0.0.1 or ::1 only; maxrate is raised so that a test
# can pull many times.

FI_BIN=/usr/bin/fusioninventory-agent
# Inventory categories no test looks at, skipped: each pull is a whole
# inventory of this machine, and these (lspci, lsusb, dmidecode, disks,
# VMs, users, ...) took about half of its 24 s on a loaded machine
# (2026-12-05).  Kept: software, process, network, antivirus (and the
# BIOS and hardware sections, which are not categories).
_FI_NO_CATEGORY=battery,batteries,controller,cpu,drive,environment,firewall
_FI_NO_CATEGORY=$_FI_NO_CATEGORY,input,licenseinfo,local_group,local_user,lvm
_FI_NO_CATEGORY=$_FI_NO_CATEGORY,memory,modem,monitor,port,printer,psu
_FI_NO_CATEGORY=$_FI_NO_CATEGORY,remote_mgmt,slot,sound,storage,usb,user
_FI_NO_CATEGORY=$_FI_NO_CATEGORY,video,virtualmachine
FI_LIB=/usr/share/fusioninventory/lib

fi_available() {
	[ -x "$FI_BIN" ] || return 1
	v=$(dpkg-query -W -f='${Version}' fusioninventory-agent 2>/dev/null)
	case "$v" in 1:2.6-*) return 0 ;; esac
	return 1
}

# The shim: vardir and confdir into $FI_DIR, then the stock agent.
_fi_shim() {
	cat >"$1" <<'EOF'
use strict;
use warnings;
use lib "/usr/share/fusioninventory/lib";
use setup;
my $dir = $ENV{FI_DIR} or die "FI_DIR unset\n";
$setup{vardir} = "$dir/var";
require FusionInventory::Agent::Config;
{
	no warnings 'redefine';
	my $orig = \&FusionInventory::Agent::Config::_loadDefaults;
	*FusionInventory::Agent::Config::_loadDefaults = sub {
		my ($self) = @_;
		$self->{_confdir} = "$dir/etc";
		return $orig->($self);
	};
}
# The HTTP server binds a port of the kernel's choosing (its own code
# turns a configured port 0 into 62354, so port 0 is set here, after the
# configuration) and reports it in $FI_DIR/port (written by rename).
require FusionInventory::Agent::HTTP::Server;
{
	no warnings 'redefine';
	my $init = \&FusionInventory::Agent::HTTP::Server::init;
	*FusionInventory::Agent::HTTP::Server::init = sub {
		my ($self) = @_;
		$self->{port} = 0;
		my $rc = $init->($self);
		return $rc unless $self->{listener};
		$self->{port} = $self->{listener}->sockport();
		open(my $f, ">", "$dir/port.tmp") or die "$dir/port: $!\n";
		print $f "$self->{port}\n";
		close($f) or die "$dir/port: $!\n";
		rename("$dir/port.tmp", "$dir/port") or die "$dir/port: $!\n";
		return $rc;
	};
}
$0 = "/usr/bin/fusioninventory-agent";
my $rc = do "/usr/bin/fusioninventory-agent";
die $@ if $@;
exit 0;
EOF
}

# The port file is there, or the agent is gone (nothing to wait for).
_fi_port() {
	test -s "$FI_DIR/port" || ! kill -0 "$FI_PID" 2>/dev/null
}

# fi_start NAME [tls] [ipv6]
fi_start() {
	name=$1
	shift
	tls=0
	v6=0
	for a in "$@"; do
		case "$a" in
		tls) tls=1 ;;
		ipv6) v6=1 ;;
		esac
	done
	FI_DIR="$T/fi-$name"
	mkdir -p "$FI_DIR/etc" "$FI_DIR/var"
	chmod 0700 "$FI_DIR"
	rm -f "$FI_DIR/port"
	ip=127.0.0.1
	host=127.0.0.1
	if [ "$v6" = 1 ]; then
		ip=::1
		host="[::1]"
	fi
	FI_TOKENFILE="$FI_DIR/token"
	(umask 077 && random_secret >"$FI_TOKENFILE")
	cat >"$FI_DIR/etc/agent.cfg" <<EOF
listen = 1
httpd-ip = $ip
httpd-port = 62354
no-task = deploy,esx,netdiscovery,netinventory,collect,wakeonlan
no-category = $_FI_NO_CATEGORY
logger = stderr
debug = 0
backend-collect-timeout = 180
EOF
	(umask 077 && {
		echo "disabled = no"
		printf 'token = %s\n' "$(cat "$FI_TOKENFILE")"
		echo "maxrate = 1000"
		echo "maxrate_period = 3600"
		echo "session_timeout = 60"
	} >"$FI_DIR/etc/inventory-server-plugin.cfg")
	scheme=http
	FI_CAFILE=
	if [ "$tls" = 1 ]; then
		scheme=https
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		    -subj "/CN=localhost" \
		    -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" \
		    -keyout "$FI_DIR/etc/key.pem" -out "$FI_DIR/etc/cert.pem" \
		    >/dev/null 2>&1 || return 1
		chmod 0600 "$FI_DIR/etc/key.pem"
		FI_CAFILE="$FI_DIR/etc/cert.pem"
		cat >"$FI_DIR/etc/ssl-server-plugin.cfg" <<EOF
disabled = no
ssl_cert_file = cert.pem
ssl_key_file = key.pem
ports = 0
EOF
	fi
	_fi_shim "$FI_DIR/shim.pl"
	FI_DIR="$FI_DIR" perl "$FI_DIR/shim.pl" --daemon --no-fork \
	    >"$FI_DIR/agent.log" 2>&1 &
	FI_PID=$!
	register_pid "$FI_PID"
	wait_for _fi_port
	if [ ! -s "$FI_DIR/port" ]; then
		echo "fiagent $name did not report its port:" >&2
		cat "$FI_DIR/agent.log" >&2
		return 1
	fi
	port=$(cat "$FI_DIR/port")
	FI_URL="$scheme://$host:$port"
	cacert=
	[ -n "$FI_CAFILE" ] && cacert="--cacert $FI_CAFILE"
	# shellcheck disable=SC2086
	if ! wait_for curl -sf --noproxy '*' $cacert "$FI_URL/status"; then
		echo "fiagent $name did not come up:" >&2
		cat "$FI_DIR/agent.log" >&2
		return 1
	fi
	export FI_URL FI_TOKENFILE FI_CAFILE FI_PID FI_DIR
}
