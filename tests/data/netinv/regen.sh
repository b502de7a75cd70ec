#!/bin/sh
# Regenerates tests/data/netinv/fi/ from the real agent: the Debian
# fusioninventory-agent 2.6 network tasks (package
# fusioninventory-agent-task-network 1:2.6-3) run on loopback against
# snmpsimd serving the fixture fleet (tests/data/fleet), exactly as
# tests/integration/lib/snmpsim.sh starts it:
#
#   fi/netdiscovery/NAME.xml  fusioninventory-netdiscovery --first
#                             127.42.0.1 --last 127.42.0.18 (one file per
#                             answering address, renamed after the device)
#   fi/netinventory/NAME.xml  fusioninventory-netinventory --host ADDR
#                             --credentials version:2c,community:public
#
# The agent's --inventory chaining (netdiscovery -i) fails with a
# non-standard SNMP port in 2.6 ("Unable to resolve the UDP/IPv4 service
# name ARRAY(...)"), so netinventory runs per host.  Only the community
# "public" of the fixture fleet is used.  Run from the source tree:
#   sh tests/data/netinv/regen.sh
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
. "$TOP/tests/integration/lib/common.sh"
. "$TOP/tests/integration/lib/snmpsim.sh"
snmpsim_start "$DATA/fleet" || exit 1
out="$TOP/tests/data/netinv/fi"
rm -rf "$out/netdiscovery" "$out/netinventory" "$T/nd"
mkdir -p "$out/netdiscovery" "$out/netinventory" "$T/nd"
fusioninventory-netdiscovery --first $SNMPSIM_NET.1 --last $SNMPSIM_NET.18 \
    --port "$SNMPSIM_PORT" --timeout 2 -s "$T/nd" >/dev/null 2>&1 || exit 1
while read -r name addr; do
	ip=${addr%:*}
	[ -f "$T/nd/netdiscovery/$ip.xml" ] &&
	    cp "$T/nd/netdiscovery/$ip.xml" "$out/netdiscovery/$name.xml"
	fusioninventory-netinventory --host "$ip" --port "$SNMPSIM_PORT" \
	    --credentials version:2c,community:public --timeout 5 \
	    > "$out/netinventory/$name.xml" 2>/dev/null || exit 1
done < "$T/fleet.map"
echo "regenerated $(ls "$out"/*/*.xml | wc -l) files in $out"
