#!/usr/bin/env python3
"""Converts a FusionInventory NETDISCOVERY / SNMPQUERY XML file into GLPI
inventory_format JSON the way GLPI's own converter does
(glpi-project/inventory_format, lib/php/Converter.php,
convertNetworkInventory and convertNetworkDiscovery): tags in lower case,
empty elements dropped, QUERY -> "action" (netdiscovery, netinventory),
DEVICE/INFO -> content.network_device (IPS/IP -> ips[]), PORTS/PORT ->
network_ports[] (CONNECTIONS/CDP -> "lldp": true, CONNECTIONS/CONNECTION
-> connections[], VLANS/VLAN -> vlans[]), COMPONENTS/COMPONENT ->
network_components[] (VERSION -> firmware), FIRMWARES -> firmwares[];
a discovery's fields go into network_device (SNMPHOSTNAME -> name).

  python3 fi2glpi.py FILE.xml > FILE.json
"""
import json
import sys
import xml.etree.ElementTree as ET


def tree(e):
    kids = list(e)
    if not kids:
        return (e.text or '').strip()
    out = {}
    for k in kids:
        v = tree(k)
        if v == '' or v == {}:
            continue
        key = k.tag.lower()
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(v)
        else:
            out[key] = v
    return out


def listify(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def main():
    root = tree(ET.parse(sys.argv[1]).getroot())
    query = root.get('query', '')
    action = 'netdiscovery' if query == 'NETDISCOVERY' else 'netinventory'
    dev = root['content']['device']
    content = {'versionclient': root['content'].get('moduleversion', '')}
    if action == 'netdiscovery':
        nd = {}
        # SNMP host name first, then NETBIOS, then DNS (as GLPI does).
        for k in ('snmphostname', 'netbiosname', 'dnshostname'):
            if k in dev:
                nd.setdefault('name', dev[k])
        for k, v in dev.items():
            if k in ('snmphostname', 'dnshostname', 'netbiosname'):
                pass
            elif k == 'ip':
                nd['ips'] = [v]
            elif k == 'authsnmp':
                nd['credentials'] = int(v)
            else:
                nd[k] = v
        if 'type' in nd:
            nd['type'] = nd['type'].capitalize()
        content['network_device'] = nd
    else:
        info = dict(dev.get('info', {}))
        if 'ips' in info:
            info['ips'] = listify(info['ips'].get('ip'))
        if 'type' in info:
            info['type'] = info['type'].capitalize()
        if 'id' in info:
            info['id'] = int(info['id'])
        content['network_device'] = info
        ports = []
        for p in listify(dev.get('ports', {}).get('port')):
            p = dict(p)
            c = p.get('connections')
            if c is not None:
                if 'cdp' in c:
                    p['lldp'] = bool(int(c['cdp']))
                p['connections'] = listify(c.get('connection'))
            if 'vlans' in p:
                p['vlans'] = listify(p['vlans'].get('vlan'))
            if 'ifnumber' in p:
                p['ifnumber'] = int(p['ifnumber'])
            ports.append(p)
        if ports:
            content['network_ports'] = ports
        comps = []
        for c in listify(dev.get('components', {}).get('component')):
            c = dict(c)
            if 'version' in c:
                c.setdefault('firmware', c.pop('version'))
            comps.append(c)
        if comps:
            content['network_components'] = comps
        if 'firmwares' in dev:
            content['firmwares'] = listify(dev['firmwares'])
    out = {'content': content, 'deviceid': root.get('deviceid', ''),
           'action': action,
           'itemtype': 'NetworkEquipment'}
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write('\n')


main()
