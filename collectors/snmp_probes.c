/*
 * snmp_probes: what the SNMP collector reads and how a varbind becomes an
 * observation -- the probe tables, the vendor rule, row index decoders,
 * value mapping, OID text and the meaning of SNMPv3 REPORTs.  Data, plus
 * the small pure functions that read it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "snmp.h"
#include "util.h"

/* SNMPv2-MIB system group (RFC 3418). */
static const struct snmp_object system_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, 9, "descr", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 2, 0 }, 9, "objectid", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 3, 0 }, 9, "uptime", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 4, 0 }, 9, "contact", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9, "name", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 6, 0 }, 9, "location", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 1, 7, 0 }, 9, "services", VAL_TEXT },
};

/*
 * Is the device a router or a bridge (snmp_role_of())?  IP-MIB
 * ipForwarding (RFC 4293), BRIDGE-MIB dot1dBaseNumPorts (RFC 4188),
 * LLDP-MIB lldpLocSysCapEnabled (IEEE 802.1AB-2005): one GET, before the
 * neighbour tables, which run only on routers and bridges.
 */
static const struct snmp_object role_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 4, 1, 0 }, 9, "forwarding", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 17, 1, 2, 0 }, 10, "bridgeports", VAL_TEXT },
	{ { 1, 0, 8802, 1, 1, 2, 1, 3, 6, 0 }, 10, "caps", VAL_HEX },
};

/*
 * UPS-MIB upsIdent (RFC 1628): embedded UPS cards often answer with
 * net-snmp's generic sysObjectID and a "Linux ..." sysDescr, the maker
 * only here.
 */
#define UPSIDENT 1, 3, 6, 1, 2, 1, 33, 1, 1
static const struct snmp_object ups_objs[] = {
	{ { UPSIDENT, 1, 0 }, 11, "manufacturer", VAL_TEXT },
	{ { UPSIDENT, 2, 0 }, 11, "model", VAL_TEXT },
	{ { UPSIDENT, 3, 0 }, 11, "swversion", VAL_TEXT },
	{ { UPSIDENT, 4, 0 }, 11, "agentversion", VAL_TEXT },
	{ { UPSIDENT, 5, 0 }, 11, "name", VAL_TEXT },
};

/*
 * ONUs behind an OLT, per PON port (ifIndex) and ONU id: the GPON serial
 * (8 octets, the first 4 the ITU-T G.984.3 vendor id, e.g. "HWTC") and
 * the operator's description.  HUAWEI-XPON-MIB hwGponDeviceOntSn (.3) and
 * hwGponDeviceOntDespt (.9).  ZTE: ZXGPON-SERVICE-MIB (revision
 * 2006-09-27) zxGponOntDevMgmtTable, INDEX { zxGponMgmtPonOltId,
 * zxGponMgmtPonOnuId }: zxGponOntDevMgmtProvisionSn (.5, OntSerialNumber,
 * 8 octets: the serial the ONU is provisioned with, which an ONU
 * registered by serial answers with) and zxGponOntDevMgmtName (.2); the
 * MIB as compiled by pysmi in DotZero24/pysnmp-mibs,
 * pysnmp_mibs/ZXGPON-SERVICE-MIB.py (commit 64b9dfe7).
 */
#define HWONT 1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2, 43, 1
static const struct snmp_object onu_huawei_objs[] = {
	{ { HWONT, 3 }, 15, "serial", VAL_HEX },
	{ { HWONT, 9 }, 15, "descr", VAL_TEXT },
};
#define ZTEONU 1, 3, 6, 1, 4, 1, 3902, 1012, 3, 28, 1, 1
static const struct snmp_object onu_zte_objs[] = {
	{ { ZTEONU, 5 }, 13, "serial", VAL_HEX },
	{ { ZTEONU, 2 }, 13, "descr", VAL_TEXT },
};

/* HOST-RESOURCES-MIB hrDeviceDescr (RFC 2790): printers, storage, CPUs,
   network cards, named by their makers. */
static const struct snmp_object hrdev_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3 }, 11, "descr", VAL_TEXT },
};

/* HOST-RESOURCES-MIB hrSWInstalledEntry (RFC 2790); the date is a
   DateAndTime, binary. */
#define HRSWINST 1, 3, 6, 1, 2, 1, 25, 6, 3, 1
/*
 * Name and install date (evidence of when, e.g. a Kaspersky-to-UltraAV
 * swap in September 2024).  hrSWInstalledType (application, driver, ...)
 * is not read: no rule uses it and it would add a third of the rows.
 */
static const struct snmp_object software_objs[] = {
	{ { HRSWINST, 2 }, 11, "name", VAL_TEXT },
	{ { HRSWINST, 5 }, 11, "date", VAL_HEX },
};

/*
 * HOST-RESOURCES-MIB hrSWRunEntry: the program's name and path only.
 * hrSWRunParameters (column 5) is never read: command lines carry
 * passwords and tokens ("-password hunter2"), and no rule needs them
 * (issue 12, 2026-12-05: they were stored and exported).
 */
#define HRSWRUN 1, 3, 6, 1, 2, 1, 25, 4, 2, 1
static const struct snmp_object process_objs[] = {
	{ { HRSWRUN, 2 }, 11, "name", VAL_TEXT },
	{ { HRSWRUN, 4 }, 11, "path", VAL_TEXT },
};

/* ENTITY-MIB entPhysicalEntry (RFC 6933). */
#define ENTPHYS 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1
static const struct snmp_object entity_objs[] = {
	{ { ENTPHYS, 2 }, 12, "descr", VAL_TEXT },
	{ { ENTPHYS, 5 }, 12, "class", VAL_TEXT },
	{ { ENTPHYS, 7 }, 12, "name", VAL_TEXT },
	{ { ENTPHYS, 8 }, 12, "hwrev", VAL_TEXT },
	{ { ENTPHYS, 9 }, 12, "fwrev", VAL_TEXT },
	{ { ENTPHYS, 10 }, 12, "swrev", VAL_TEXT },
	{ { ENTPHYS, 11 }, 12, "serial", VAL_TEXT },
	{ { ENTPHYS, 12 }, 12, "mfg", VAL_TEXT },
	{ { ENTPHYS, 13 }, 12, "model", VAL_TEXT },
};

/* HIK-DEVICE-MIB scalars (Hikvision cameras and recorders). */
#define HIK 1, 3, 6, 1, 4, 1, 39165, 1
static const struct snmp_object hikvision_objs[] = {
	{ { HIK, 1, 0 }, 10, "devicetype", VAL_TEXT },
	{ { HIK, 2, 0 }, 10, "hwversion", VAL_TEXT },
	{ { HIK, 3, 0 }, 10, "swversion", VAL_TEXT },
	{ { HIK, 4, 0 }, 10, "mac", VAL_TEXT },
	{ { HIK, 6, 0 }, 10, "manufacturer", VAL_TEXT },
};

/* DAHUA-SNMP-MIB scalars. */
#define DAHUA 1, 3, 6, 1, 4, 1, 1004849, 2, 1
static const struct snmp_object dahua_objs[] = {
	{ { DAHUA, 1, 1, 0 }, 12, "swversion", VAL_TEXT },
	{ { DAHUA, 2, 4, 0 }, 12, "serial", VAL_TEXT },
	{ { DAHUA, 2, 6, 0 }, 12, "devicetype", VAL_TEXT },
};

/* IF-MIB ifTable (RFC 2863): ifDescr, ifPhysAddress; ifXTable: ifName. */
#define IFENTRY 1, 3, 6, 1, 2, 1, 2, 2, 1
static const struct snmp_object if_objs[] = {
	{ { IFENTRY, 2 }, 10, "ifdescr", VAL_TEXT },
	{ { IFENTRY, 6 }, 10, "mac", VAL_HEX },
};
static const struct snmp_object ifx_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 }, 11, "ifname", VAL_TEXT },
};

/*
 * BRIDGE-MIB (RFC 4188): the bridge's own MAC (dot1dBaseBridgeAddress),
 * dot1dBasePortIfIndex (bridge port -> ifIndex) and dot1dTpFdbPort.
 */
static const struct snmp_object bridge_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 1, 1, 0 }, 10, "mac", VAL_HEX },
};
static const struct snmp_object baseport_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2 }, 11, "ifindex", VAL_TEXT },
};
static const struct snmp_object fdb_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2 }, 11, "bridgeport", VAL_TEXT },
};

/*
 * Q-BRIDGE-MIB (RFC 4363): dot1qTpFdbPort, indexed by the filtering
 * database, and dot1qVlanFdbId, which says which VLAN uses which one.
 */
static const struct snmp_object fdbq_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2 }, 13, "bridgeport",
	    VAL_TEXT },
};
static const struct snmp_object vlan_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3 }, 13, "fdbid", VAL_TEXT },
};

/*
 * The VLANs of a switch that keeps one bridge table per VLAN (Cisco's
 * community@VLAN indexing, SNMPv3 context "vlan-N"): CISCO-VTP-MIB
 * vtpVlanState (index managementDomainIndex.vlanIndex; operational(1)),
 * else Q-BRIDGE-MIB dot1qVlanStaticName (index dot1qVlanIndex).  Walked
 * for the VLAN ids only (snmp_vlan_listed()); in each VLAN's context
 * dot1dBasePortIfIndex and dot1dTpFdbPort are read again.
 */
static const struct snmp_object vtp_objs[] = {
	{ { 1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2 }, 14, NULL,
	    VAL_TEXT },
};
static const struct snmp_object vlan_static_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 1 }, 13, NULL, VAL_TEXT },
};

/* IP-MIB ipNetToPhysicalPhysAddress (RFC 4293), ipNetToMediaPhysAddress
   (RFC 1213). */
static const struct snmp_object arp_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 4, 35, 1, 4 }, 10, "mac", VAL_HEX },
};
static const struct snmp_object arp_media_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 4, 22, 1, 2 }, 10, "mac", VAL_HEX },
};

/*
 * LLDP-MIB (IEEE 802.1AB-2005) lldpRemTable.  The chassis ID comes first:
 * a row's index extras go out with the first column, and agents that
 * leave out lldpRemChassisIdSubtype exist.  lldpRemSysCapEnabled is BITS:
 * other(0) repeater(1) bridge(2) wlanAccessPoint(3) router(4) ...
 */
#define LLDPREM 1, 0, 8802, 1, 1, 2, 1, 4, 1, 1
static const struct snmp_object lldp_objs[] = {
	{ { LLDPREM, 5 }, 11, "chassis", VAL_HEX },
	{ { LLDPREM, 4 }, 11, "chassistype", VAL_TEXT },
	{ { LLDPREM, 7 }, 11, "port", VAL_TEXT },
	{ { LLDPREM, 8 }, 11, "portdesc", VAL_TEXT },
	{ { LLDPREM, 9 }, 11, "sysname", VAL_TEXT },
	{ { LLDPREM, 10 }, 11, "sysdesc", VAL_TEXT },
	{ { LLDPREM, 12 }, 11, "caps", VAL_HEX },
};
/* lldpRemManAddrTable: the neighbour's management address, all index. */
static const struct snmp_object lldp_man_objs[] = {
	{ { 1, 0, 8802, 1, 1, 2, 1, 4, 2, 1, 3 }, 11, NULL, VAL_TEXT },
};
/* lldpLocPortTable: lldpLocPortId, lldpLocPortDesc (the local port). */
#define LLDPLOC 1, 0, 8802, 1, 1, 2, 1, 3, 7, 1
static const struct snmp_object lldp_loc_objs[] = {
	{ { LLDPLOC, 3 }, 11, "port", VAL_TEXT },
	{ { LLDPLOC, 4 }, 11, "portdesc", VAL_TEXT },
};

/*
 * CISCO-CDP-MIB cdpCacheTable: device ID, address (4 octets for
 * cdpCacheAddressType ip(1)), version banner, remote port, platform,
 * capabilities (router 0x01, bridge 0x02/0x04, switch 0x08, ...).
 */
#define CDPCACHE 1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1
static const struct snmp_object cdp_objs[] = {
	{ { CDPCACHE, 6 }, 14, "sysname", VAL_TEXT },
	{ { CDPCACHE, 4 }, 14, "ip", VAL_IPADDR },
	{ { CDPCACHE, 5 }, 14, "sysdesc", VAL_TEXT },
	{ { CDPCACHE, 7 }, 14, "port", VAL_TEXT },
	{ { CDPCACHE, 8 }, 14, "platform", VAL_TEXT },
	{ { CDPCACHE, 9 }, 14, "caps", VAL_HEX },
};

/*
 * TCP-MIB (RFC 4022) tcpConnectionTable, and the older tcpConnTable as a
 * fallback: connections whose addresses are all in the index, so one
 * column (the state) is walked.  IP-FORWARD-MIB (RFC 4292)
 * ipCidrRouteTable, and RFC 1213's ipRouteTable as a fallback: routes.
 * The healthcare profile reads them for the Contec CMS8000 indicators (a
 * monitor or a gateway that talks to, or routes to, 202.114.4.0/24).
 */
static const struct snmp_object tcpconn_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 6, 19, 1, 7 }, 10, "state", VAL_TEXT },
};
static const struct snmp_object tcpconn_old_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 6, 13, 1, 1 }, 10, "state", VAL_TEXT },
};
static const struct snmp_object cidr_route_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 4, 24, 4, 1, 5 }, 11, "ifindex", VAL_TEXT },
};
static const struct snmp_object route_objs[] = {
	{ { 1, 3, 6, 1, 2, 1, 4, 21, 1, 2 }, 10, "ifindex", VAL_TEXT },
	{ { 1, 3, 6, 1, 2, 1, 4, 21, 1, 7 }, 10, "nexthop", VAL_IPADDR },
	{ { 1, 3, 6, 1, 2, 1, 4, 21, 1, 11 }, 10, "mask", VAL_IPADDR },
};

/*
 * Every step of every probe, in the order a host runs them.  The first row
 * is the identity GET that also tries the credentials.  Network-layer
 * tables (ARP, FDB, LLDP, interfaces, connections, routes) are further
 * rows: a column list and, when the index carries data, an index hook
 * such as snmp_index_mac; a fallback table (ipNetToMediaTable after
 * ipNetToPhysicalTable) is a row with SNMP_STEP_IF_ABSENT.
 */
#define NETDEV	SNMP_STEP_IF_NETDEV
const struct snmp_step snmp_steps[] = {
	{ PROBE_SYSTEM, OBS_SYSTEM, SNMP_STEP_SCALARS, "",
	    system_objs, NELEM(system_objs), 0, NULL },
	{ PROBE_ENTERPRISE, OBS_VENDOR, SNMP_STEP_NEXT, "enterprise",
	    NULL, 0, SNMP_STEP_SUBTREES, NULL },
	{ PROBE_VENDOR, OBS_VENDOR, SNMP_STEP_SCALARS, "hikvision",
	    hikvision_objs, NELEM(hikvision_objs), SNMP_STEP_IF_VENDOR, NULL },
	{ PROBE_VENDOR, OBS_VENDOR, SNMP_STEP_SCALARS, "dahua",
	    dahua_objs, NELEM(dahua_objs), SNMP_STEP_IF_VENDOR, NULL },
	{ PROBE_UPS, OBS_VENDOR, SNMP_STEP_SCALARS, "ups",
	    ups_objs, NELEM(ups_objs), 0, NULL },
	{ PROBE_ENTITY, OBS_ENTITY, SNMP_STEP_TABLE, NULL,
	    entity_objs, NELEM(entity_objs), 0, NULL },
	{ PROBE_ENTITY, OBS_ENTITY, SNMP_STEP_TABLE, "hrDeviceTable",
	    hrdev_objs, NELEM(hrdev_objs), 0, snmp_index_hrdev },
	{ PROBE_SOFTWARE, OBS_SOFTWARE, SNMP_STEP_TABLE, NULL,
	    software_objs, NELEM(software_objs), 0, NULL },
	{ PROBE_PROCESS, OBS_PROCESS, SNMP_STEP_TABLE, NULL,
	    process_objs, NELEM(process_objs), 0, NULL },
	{ PROBE_INTERFACES, OBS_SYSTEM, SNMP_STEP_SCALARS, "",
	    role_objs, NELEM(role_objs), 0, NULL },
	{ PROBE_INTERFACES, OBS_INTERFACE, SNMP_STEP_TABLE, "ifTable",
	    if_objs, NELEM(if_objs), NETDEV, NULL },
	{ PROBE_INTERFACES, OBS_INTERFACE, SNMP_STEP_TABLE, "ifXTable",
	    ifx_objs, NELEM(ifx_objs), NETDEV, NULL },
	{ PROBE_INTERFACES, OBS_INTERFACE, SNMP_STEP_SCALARS, "bridge",
	    bridge_objs, NELEM(bridge_objs), NETDEV, NULL },
	{ PROBE_INTERFACES, OBS_INTERFACE, SNMP_STEP_TABLE,
	    "dot1dBasePortTable", baseport_objs, NELEM(baseport_objs), NETDEV,
	    snmp_index_baseport },
	{ PROBE_ARP, OBS_NEIGHBOR, SNMP_STEP_TABLE, "ipNetToPhysicalTable",
	    arp_objs, NELEM(arp_objs), NETDEV, snmp_index_arp },
	{ PROBE_ARP, OBS_NEIGHBOR, SNMP_STEP_TABLE, "ipNetToMediaTable",
	    arp_media_objs, NELEM(arp_media_objs), NETDEV | SNMP_STEP_IF_ABSENT,
	    snmp_index_arp_media },
	{ PROBE_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "dot1qTpFdbTable",
	    fdbq_objs, NELEM(fdbq_objs), NETDEV, snmp_index_fdb_q },
	{ PROBE_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "dot1dTpFdbTable",
	    fdb_objs, NELEM(fdb_objs), NETDEV | SNMP_STEP_IF_ABSENT,
	    snmp_index_fdb },
	{ PROBE_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "dot1qVlanCurrentTable",
	    vlan_objs, NELEM(vlan_objs), NETDEV, snmp_index_vlan },
	{ PROBE_VLAN_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "vtpVlanState",
	    vtp_objs, NELEM(vtp_objs), NETDEV | SNMP_STEP_VLANS,
	    snmp_index_vlan_list },
	{ PROBE_VLAN_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "dot1qVlanStaticName",
	    vlan_static_objs, NELEM(vlan_static_objs),
	    NETDEV | SNMP_STEP_VLANS | SNMP_STEP_IF_ABSENT,
	    snmp_index_vlan_list },
	{ PROBE_VLAN_FDB, OBS_INTERFACE, SNMP_STEP_TABLE, "dot1dBasePortTable",
	    baseport_objs, NELEM(baseport_objs), NETDEV | SNMP_STEP_PER_VLAN,
	    snmp_index_baseport },
	{ PROBE_VLAN_FDB, OBS_NEIGHBOR, SNMP_STEP_TABLE, "dot1dTpFdbTable",
	    fdb_objs, NELEM(fdb_objs), NETDEV | SNMP_STEP_PER_VLAN,
	    snmp_index_fdb },
	{ PROBE_LLDP, OBS_NEIGHBOR, SNMP_STEP_TABLE, "lldpRemTable",
	    lldp_objs, NELEM(lldp_objs), NETDEV, snmp_index_lldp_rem },
	{ PROBE_LLDP, OBS_NEIGHBOR, SNMP_STEP_TABLE, "lldpRemManAddrTable",
	    lldp_man_objs, NELEM(lldp_man_objs), NETDEV,
	    snmp_index_lldp_man },
	{ PROBE_LLDP, OBS_INTERFACE, SNMP_STEP_TABLE, "lldpLocPortTable",
	    lldp_loc_objs, NELEM(lldp_loc_objs), NETDEV, snmp_index_lldp_loc },
	{ PROBE_CDP, OBS_NEIGHBOR, SNMP_STEP_TABLE, "cdpCacheTable",
	    cdp_objs, NELEM(cdp_objs), NETDEV, snmp_index_cdp },
	{ PROBE_ONU, OBS_NEIGHBOR, SNMP_STEP_TABLE,
	    "hwGponDeviceOntAuthInfoTable", onu_huawei_objs,
	    NELEM(onu_huawei_objs), SNMP_STEP_IF_ENTERPRISE, snmp_index_onu },
	{ PROBE_ONU, OBS_NEIGHBOR, SNMP_STEP_TABLE, "zxGponOntDevMgmtTable",
	    onu_zte_objs, NELEM(onu_zte_objs), SNMP_STEP_IF_ENTERPRISE,
	    snmp_index_onu },
	{ PROBE_CONNECTIONS, OBS_CONNECTION, SNMP_STEP_TABLE,
	    "tcpConnectionTable", tcpconn_objs, NELEM(tcpconn_objs), 0,
	    snmp_index_tcpconn },
	{ PROBE_CONNECTIONS, OBS_CONNECTION, SNMP_STEP_TABLE, "tcpConnTable",
	    tcpconn_old_objs, NELEM(tcpconn_old_objs), SNMP_STEP_IF_ABSENT,
	    snmp_index_tcpconn_old },
	{ PROBE_ROUTES, OBS_ROUTE, SNMP_STEP_TABLE, "ipCidrRouteTable",
	    cidr_route_objs, NELEM(cidr_route_objs), 0,
	    snmp_index_cidr_route },
	{ PROBE_ROUTES, OBS_ROUTE, SNMP_STEP_TABLE, "ipRouteTable",
	    route_objs, NELEM(route_objs), SNMP_STEP_IF_ABSENT,
	    snmp_index_route },
};
#undef NETDEV
const size_t snmp_nsteps = NELEM(snmp_steps);

/*
 * The vendor rule: the camera/NVR vendor MIBs are read when sysObjectID is
 * under one of these enterprises (39165 and 50001: Hikvision; 1004849:
 * Dahua; 37496: seen on Hikvision OEM firmware), when sysObjectID is
 * missing, empty or 0.0 (many cameras leave it unset), or when sysDescr
 * names the vendor or a camera/recorder model family.
 */
static const oid vendor_enterprises[] = { 39165, 50001, 1004849, 37496 };
static const char *const vendor_words_nocase[] = { "hikvision", "dahua" };
static const char *const vendor_words_case[] = { "DS-", "IPC", "NVR" };
/*
 * The bytes a vendor word can start with: the first letters above, both
 * cases of the words of any case.  test_snmp checks them against the
 * words.
 */
static const unsigned char vendor_first[256] = {
	['h'] = 1, ['H'] = 1, ['d'] = 1, ['D'] = 1, ['I'] = 1, ['N'] = 1,
};

/* Is w (nocase: in lower case, h in any case) at h, which has hn bytes? */
static int
word_at(const unsigned char *h, size_t hn, const char *w, int nocase)
{
	size_t i;

	for (i = 0; w[i] != '\0'; i++)
		if (i == hn || (nocase ? tolower(h[i]) : h[i]) !=
		    (unsigned char)w[i])
			return 0;
	return 1;
}

int
snmp_vendor_objid(const oid *objid, size_t n)
{
	static const oid enterprises[] = { 1, 3, 6, 1, 4, 1 };
	size_t i;

	if (objid == NULL || n == 0 ||
	    (n == 2 && objid[0] == 0 && objid[1] == 0))
		return 1;
	if (n <= NELEM(enterprises) ||
	    memcmp(objid, enterprises, sizeof(enterprises)) != 0)
		return 0;
	for (i = 0; i < NELEM(vendor_enterprises); i++)
		if (objid[NELEM(enterprises)] == vendor_enterprises[i])
			return 1;
	return 0;
}

/*
 * One pass: a word is looked for only where a byte it can start with
 * is (every identity answer's sysDescr comes here; a search of the
 * whole text for each word was 2 % of an identity scan's instructions,
 * docs/PERFORMANCE.md).
 */
int
snmp_vendor_descr(const unsigned char *descr, size_t n)
{
	size_t i, k;

	if (descr == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (!vendor_first[descr[i]])
			continue;
		for (k = 0; k < NELEM(vendor_words_nocase); k++)
			if (word_at(descr + i, n - i, vendor_words_nocase[k],
			    1))
				return 1;
		for (k = 0; k < NELEM(vendor_words_case); k++)
			if (word_at(descr + i, n - i, vendor_words_case[k], 0))
				return 1;
	}
	return 0;
}

/* Is v the scalar o (of n sub-identifiers)? */
static int
is_scalar(const netsnmp_variable_list *v, const oid *o, size_t n)
{
	return v->name != NULL && v->name_length == n &&
	    memcmp(v->name, o, n * sizeof(oid)) == 0;
}

unsigned
snmp_role_of(const netsnmp_variable_list *v)
{
	static const oid services[] = { 1, 3, 6, 1, 2, 1, 1, 7, 0 };
	long i;

	if (v == NULL)
		return 0;
	if (v->type == ASN_INTEGER && v->val.integer != NULL) {
		i = *v->val.integer;
		/* sysServices: 2^(L-1) for each layer L; layer 2 = 0x02. */
		if (is_scalar(v, services, NELEM(services)))
			return (i & 0x02) ? SNMP_ROLE_BRIDGE : 0;
		if (is_scalar(v, role_objs[0].name, role_objs[0].len))
			return i == 1 ? SNMP_ROLE_ROUTER : 0;
		if (is_scalar(v, role_objs[1].name, role_objs[1].len))
			return i > 0 ? SNMP_ROLE_BRIDGE : 0;
		return 0;
	}
	/* lldpLocSysCapEnabled, BITS: other(0) is the first octet's MSB. */
	if (v->type == ASN_OCTET_STR && v->val.string != NULL &&
	    v->val_len >= 1 &&
	    is_scalar(v, role_objs[2].name, role_objs[2].len))
		return ((v->val.string[0] & 0x20) ? SNMP_ROLE_BRIDGE : 0) |
		    ((v->val.string[0] & 0x08) ? SNMP_ROLE_ROUTER : 0);
	return 0;
}

int
snmp_oid_parse(const char *text, oid *out, size_t max, size_t *n)
{
	const char *p = text;
	unsigned long long v;
	size_t k = 0;

	*n = 0;
	if (p == NULL)
		return -1;
	if (*p == '.')
		p++;
	while (*p != '\0') {
		if (*p < '0' || *p > '9' || k == max)
			return -1;
		v = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned long long)(*p - '0');
			if (v > 0xffffffffULL)
				return -1;
			p++;
		}
		out[k++] = (oid)v;
		if (*p == '.') {
			p++;
			if (*p == '\0')
				return -1;
		} else if (*p != '\0')
			return -1;
	}
	if (k < 2)
		return -1;
	*n = k;
	return 0;
}

/* Decimal text of v at p; returns the number of characters (<= 20). */
static size_t
u64_text(uint64_t v, char *p)
{
	char t[20];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

int
snmp_oid_text(const oid *o, size_t n, char *buf, size_t len)
{
	char head[24];
	size_t k;

	if (n == 0) {
		if (len == 0)
			return -1;
		buf[0] = '\0';
		return 0;
	}
	/* The first sub-identifier, then the rest each after a dot. */
	k = u64_text((uint64_t)o[0], head);
	return snmp_oid_text_after(head, k, o + 1, n - 1, buf, len);
}

int
snmp_oid_text_after(const char *head, size_t hlen, const oid *rest,
    size_t n, char *buf, size_t len)
{
	char tmp[24];
	size_t i, at = hlen, k;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (hlen + 1 > len)
		return -1;
	memcpy(buf, head, hlen);
	buf[at] = '\0';
	for (i = 0; i < n; i++) {
		tmp[0] = '.';
		k = 1 + u64_text((uint64_t)rest[i], tmp + 1);
		if (at + k + 1 > len)
			return -1;
		memcpy(buf + at, tmp, k);
		at += k;
		buf[at] = '\0';
	}
	return (int)at;
}

int
snmp_index_dotted(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n == 0)
		return -1;
	return snmp_oid_text(idx, n, out->item, sizeof(out->item)) < 0 ?
	    -1 : 0;
}

/* The last 6 sub-identifiers are a MAC address (FDB and ARP indexes). */

/* The last 4 sub-identifiers are an IPv4 address. */

/* Sub-identifier i of a row index as an octet, or -1. */
static int
octet(const oid *idx, size_t i)
{
	return idx[i] > 255 ? -1 : (int)idx[i];
}

/* Writes the item; -1 when it does not fit. */
static int
item_set(struct snmp_index *out, const char *fmt, ...) PRINTF_LIKE(2, 3);

static int
item_set(struct snmp_index *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out->item, sizeof(out->item), fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= sizeof(out->item) ? -1 : 0;
}

/* Adds an extra holding decimal v (VAL_INT). */
static void
extra_int(struct snmp_index *out, const char *attr, oid v)
{
	size_t k = out->nextra++;

	out->extra[k].attr = attr;
	out->extra[k].vtype = VAL_INT;
	out->extra[k].len = u64_text((uint64_t)v, (char *)out->extra[k].val);
}

/*
 * Adds an extra holding the address of n sub-identifiers at a (4: IPv4,
 * 16: IPv6) as text (VAL_IPADDR).  Returns -1 for any other length or a
 * sub-identifier above 255.
 */
static int
extra_ip(struct snmp_index *out, const oid *a, size_t n)
{
	unsigned char b[16];
	size_t i, k = out->nextra;
	char *t = (char *)out->extra[k].val;

	if (n != 4 && n != 16)
		return -1;
	for (i = 0; i < n; i++) {
		if (octet(a, i) < 0)
			return -1;
		b[i] = (unsigned char)a[i];
	}
	if (inet_ntop(n == 4 ? AF_INET : AF_INET6, b, t,
	    sizeof(out->extra[k].val)) == NULL)
		return -1;
	out->extra[k].attr = "ip";
	out->extra[k].vtype = VAL_IPADDR;
	out->extra[k].len = strlen(t);
	out->nextra++;
	return 0;
}

/* Adds the MAC of 6 sub-identifiers at a (VAL_HEX); -1 if not octets. */
static int
extra_mac(struct snmp_index *out, const oid *a)
{
	size_t i, k = out->nextra;

	for (i = 0; i < 6; i++) {
		if (octet(a, i) < 0)
			return -1;
		out->extra[k].val[i] = (unsigned char)a[i];
	}
	out->extra[k].attr = "mac";
	out->extra[k].vtype = VAL_HEX;
	out->extra[k].len = 6;
	out->nextra++;
	return 0;
}

/* The text of the extra k (an IP address), for items. */
static const char *
extra_text(const struct snmp_index *out, size_t k)
{
	return (const char *)out->extra[k].val;
}

/* aa:bb:cc:dd:ee:ff of the MAC extra k, for items. */
static void
extra_mac_text(const struct snmp_index *out, size_t k, char t[18])
{
	const unsigned char *m = out->extra[k].val;

	snprintf(t, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

/* An index value that must fit an Integer32/Unsigned32. */
static int
index_u32(oid v)
{
	return v <= 0xffffffffUL;
}

/* extra_ip() under another attribute name. */
static int
extra_ip_as(struct snmp_index *out, const char *attr, const oid *a,
    size_t n)
{
	if (extra_ip(out, a, n) != 0)
		return -1;
	out->extra[out->nextra - 1].attr = attr;
	return 0;
}

/*
 * An InetAddressType + InetAddress pair in an index, the address
 * length-prefixed (RFC 4001): sets *alen to the address octets to use
 * (zone index dropped) and returns the sub-identifiers it spans, or 0
 * when malformed.
 */
static size_t
inet_index(const oid *idx, size_t n, size_t *alen)
{
	size_t len;

	if (n < 2 || idx[1] > 20 || n < 2 + idx[1])
		return 0;
	len = idx[1];
	if ((idx[0] == 1 && len == 4) || (idx[0] == 2 && len == 16))
		*alen = len;
	else if ((idx[0] == 3 && len == 8) || (idx[0] == 4 && len == 20))
		*alen = len - 4;
	else
		return 0;
	return 2 + len;
}

int
snmp_index_arp(const oid *idx, size_t n, struct snmp_index *out)
{
	size_t alen;

	out->nextra = 0;
	/* ipv4(1) 4 octets, ipv6(2) 16; the zoned forms carry 4 more. */
	if (n < 3 || !index_u32(idx[0]) || idx[2] != n - 3)
		return -1;
	alen = n - 3;
	if ((idx[1] == 1 && alen == 4) || (idx[1] == 2 && alen == 16))
		;
	else if ((idx[1] == 3 && alen == 8) || (idx[1] == 4 && alen == 20))
		alen -= 4;
	else
		return -1;
	extra_int(out, "ifindex", idx[0]);
	if (extra_ip(out, idx + 3, alen) != 0)
		return -1;
	return item_set(out, "arp.%lu.%s", (unsigned long)idx[0],
	    extra_text(out, 1));
}

int
snmp_index_arp_media(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 5 || !index_u32(idx[0]))
		return -1;
	extra_int(out, "ifindex", idx[0]);
	if (extra_ip(out, idx + 1, 4) != 0)
		return -1;
	return item_set(out, "arp.%lu.%s", (unsigned long)idx[0],
	    extra_text(out, 1));
}

/*
 * tcpConnectionTable: localType.localLen.local.localPort.remType.remLen.
 * rem.remPort.  Item "tcp.LOCAL.LPORT.REMOTE.RPORT".
 */
int
snmp_index_tcpconn(const oid *idx, size_t n, struct snmp_index *out)
{
	size_t a, b, la, ra;

	out->nextra = 0;
	a = inet_index(idx, n, &la);
	if (a == 0 || a >= n || idx[a] > 65535)
		return -1;
	b = inet_index(idx + a + 1, n - a - 1, &ra);
	if (b == 0 || a + 1 + b + 1 != n || idx[n - 1] > 65535)
		return -1;
	if (extra_ip_as(out, "local", idx + 2, la) != 0)
		return -1;
	extra_int(out, "lport", idx[a]);
	if (extra_ip_as(out, "remote", idx + a + 3, ra) != 0)
		return -1;
	extra_int(out, "rport", idx[n - 1]);
	return item_set(out, "tcp.%s.%lu.%s.%lu", extra_text(out, 0),
	    (unsigned long)idx[a], extra_text(out, 2),
	    (unsigned long)idx[n - 1]);
}

/* tcpConnTable: local(4).localPort.rem(4).remPort. */
int
snmp_index_tcpconn_old(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 10 || idx[4] > 65535 || idx[9] > 65535 ||
	    extra_ip_as(out, "local", idx, 4) != 0)
		return -1;
	extra_int(out, "lport", idx[4]);
	if (extra_ip_as(out, "remote", idx + 5, 4) != 0)
		return -1;
	extra_int(out, "rport", idx[9]);
	return item_set(out, "tcp.%s.%lu.%s.%lu", extra_text(out, 0),
	    (unsigned long)idx[4], extra_text(out, 2), (unsigned long)idx[9]);
}

/* ipCidrRouteTable: dest(4).mask(4).tos.nexthop(4). */
int
snmp_index_cidr_route(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 13 || !index_u32(idx[8]) ||
	    extra_ip_as(out, "dest", idx, 4) != 0 ||
	    extra_ip_as(out, "mask", idx + 4, 4) != 0 ||
	    extra_ip_as(out, "nexthop", idx + 9, 4) != 0)
		return -1;
	return item_set(out, "route.%s.%s.%lu.%s", extra_text(out, 0),
	    extra_text(out, 1), (unsigned long)idx[8], extra_text(out, 2));
}

/* ipRouteTable: dest(4); the mask and next hop are columns. */
int
snmp_index_route(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 4 || extra_ip_as(out, "dest", idx, 4) != 0)
		return -1;
	return item_set(out, "route.%s", extra_text(out, 0));
}

int
snmp_index_fdb_q(const oid *idx, size_t n, struct snmp_index *out)
{
	char m[18];

	out->nextra = 0;
	if (n != 7 || !index_u32(idx[0]) || extra_mac(out, idx + 1) != 0)
		return -1;
	extra_int(out, "fdbid", idx[0]);
	extra_mac_text(out, 0, m);
	return item_set(out, "fdb.%lu.%s", (unsigned long)idx[0], m);
}

int
snmp_index_fdb(const oid *idx, size_t n, struct snmp_index *out)
{
	char m[18];

	out->nextra = 0;
	if (n != 6 || extra_mac(out, idx) != 0)
		return -1;
	extra_mac_text(out, 0, m);
	return item_set(out, "fdb.%s", m);
}

int
snmp_index_vlan(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	/* VlanIndex: 1..4094 are VLAN ids, larger values local. */
	if (n != 2 || idx[1] == 0 || !index_u32(idx[1]))
		return -1;
	extra_int(out, "vlan", idx[1]);
	return item_set(out, "vlan.%lu", (unsigned long)idx[1]);
}

int
snmp_index_vlan_list(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n < 1 || n > 2 || !index_u32(idx[n - 1]))
		return -1;
	return item_set(out, "vlan.%lu", (unsigned long)idx[n - 1]);
}

long
snmp_vlan_listed(const oid *idx, size_t n, const netsnmp_variable_list *v)
{
	oid id;

	if (n < 1 || n > 2 || v == NULL)
		return -1;
	id = idx[n - 1];
	if (id < SNMP_VLAN_MIN || id > SNMP_VLAN_MAXID)
		return -1;
	if (v->type == ASN_INTEGER) {
		/* vtpVlanState: operational(1); 1002-1005 are Cisco's
		   reserved FDDI and Token Ring VLANs, no bridge table. */
		if (n != 2 || v->val.integer == NULL ||
		    *v->val.integer != 1 || (id >= 1002 && id <= 1005))
			return -1;
		return (long)id;
	}
	/* dot1qVlanStaticName: a row is a configured VLAN. */
	if (v->type == ASN_OCTET_STR && n == 1)
		return (long)id;
	return -1;
}

int
snmp_vlan_context(int v3, const char *community, long vlan, char *buf,
    size_t len)
{
	int n;

	if (vlan < SNMP_VLAN_MIN || vlan > SNMP_VLAN_MAXID || len == 0)
		return -1;
	if (v3)
		n = snprintf(buf, len, "vlan-%ld", vlan);
	else if (community == NULL)
		return -1;
	else
		n = snprintf(buf, len, "%s@%ld", community, vlan);
	if (n < 0 || (size_t)n >= len) {
		explicit_bzero(buf, len);
		return -1;
	}
	return n;
}

int
snmp_vlan_item(const char *item, long vlan, char *buf, size_t len)
{
	const char *dot = strchr(item, '.');
	int n;

	if (dot == NULL)
		return -1;
	n = snprintf(buf, len, "%.*s.v%ld%s", (int)(dot - item), item, vlan,
	    dot);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
snmp_index_lldp_rem(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 3 || !index_u32(idx[1]) || !index_u32(idx[2]))
		return -1;
	extra_int(out, "localport", idx[1]);
	return item_set(out, "lldp.%lu.%lu", (unsigned long)idx[1],
	    (unsigned long)idx[2]);
}

int
snmp_index_lldp_man(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	/* The address family is IANA's: ipV4(1), ipV6(2). */
	if (n < 5 || !index_u32(idx[1]) || !index_u32(idx[2]) ||
	    idx[4] != n - 5 || (idx[3] != 1 && idx[3] != 2))
		return -1;
	if (extra_ip(out, idx + 5, n - 5) != 0)
		return -1;
	return item_set(out, "lldp.%lu.%lu", (unsigned long)idx[1],
	    (unsigned long)idx[2]);
}

int
snmp_index_lldp_loc(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 1 || !index_u32(idx[0]))
		return -1;
	extra_int(out, "localport", idx[0]);
	return item_set(out, "lldploc.%lu", (unsigned long)idx[0]);
}

int
snmp_index_cdp(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 2 || !index_u32(idx[0]) || !index_u32(idx[1]))
		return -1;
	extra_int(out, "ifindex", idx[0]);
	return item_set(out, "cdp.%lu.%lu", (unsigned long)idx[0],
	    (unsigned long)idx[1]);
}

int
snmp_index_onu(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 2 || !index_u32(idx[0]) || !index_u32(idx[1]))
		return -1;
	extra_int(out, "ifindex", idx[0]);
	extra_int(out, "onuid", idx[1]);
	return item_set(out, "onu.%lu.%lu", (unsigned long)idx[0],
	    (unsigned long)idx[1]);
}

int
snmp_index_hrdev(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 1 || !index_u32(idx[0]))
		return -1;
	return item_set(out, "hrdev.%lu", (unsigned long)idx[0]);
}

int
snmp_index_baseport(const oid *idx, size_t n, struct snmp_index *out)
{
	out->nextra = 0;
	if (n != 1 || !index_u32(idx[0]))
		return -1;
	extra_int(out, "bridgeport", idx[0]);
	return item_set(out, "bp.%lu", (unsigned long)idx[0]);
}

int
snmp_value_map(const netsnmp_variable_list *v, enum value_type octets,
    size_t max, char *buf, size_t buflen, struct snmp_value *out)
{
	uint64_t u;
	size_t n;
	int len;

	memset(out, 0, sizeof(*out));
	switch (v->type) {
	case ASN_OCTET_STR:
		out->vtype = octets;
		out->ptr = v->val.string;
		out->len = v->val_len;
		if (out->len > 0 && out->ptr == NULL)
			return -1;
		if (octets == VAL_IPADDR) {
			if ((out->len == 4 || out->len == 16) &&
			    buflen >= INET6_ADDRSTRLEN &&
			    inet_ntop(out->len == 4 ? AF_INET : AF_INET6,
			    out->ptr, buf, (socklen_t)buflen) != NULL) {
				out->ptr = buf;
				out->len = strlen(buf);
				return 0;
			}
			out->vtype = VAL_HEX;
		}
		if (out->len > max) {
			out->len = max;
			out->cut = 1;
		}
		return 0;
	case ASN_INTEGER:
		if (v->val.integer == NULL || buflen < 22)
			return -1;
		n = 0;
		if (*v->val.integer < 0) {
			buf[n++] = '-';
			u = (uint64_t)0 - (uint64_t)*v->val.integer;
		} else
			u = (uint64_t)*v->val.integer;
		n += u64_text(u, buf + n);
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		if (v->val.integer == NULL || buflen < 21)
			return -1;
		n = u64_text((uint64_t)*v->val.integer & 0xffffffffu, buf);
		break;
	case ASN_COUNTER64:
		if (v->val.counter64 == NULL || buflen < 21)
			return -1;
		u = ((uint64_t)(v->val.counter64->high & 0xffffffffu) << 32) |
		    (v->val.counter64->low & 0xffffffffu);
		n = u64_text(u, buf);
		break;
	case ASN_OBJECT_ID:
		if (v->val.objid == NULL)
			return -1;
		len = snmp_oid_text(v->val.objid, v->val_len / sizeof(oid),
		    buf, buflen);
		if (len < 0)
			return -1;
		out->vtype = VAL_OID;
		out->ptr = buf;
		out->len = (size_t)len;
		return 0;
	case ASN_IPADDRESS:
		if (v->val.string == NULL || v->val_len != 4 || buflen < 16)
			return -1;
		n = 0;
		for (len = 0; len < 4; len++) {
			if (len > 0)
				buf[n++] = '.';
			n += u64_text(v->val.string[len], buf + n);
		}
		out->vtype = VAL_IPADDR;
		out->ptr = buf;
		out->len = n;
		return 0;
	case ASN_NULL:
	case SNMP_NOSUCHOBJECT:
	case SNMP_NOSUCHINSTANCE:
	case SNMP_ENDOFMIBVIEW:
		return -1;
	default:
		/* Opaque, BITS and anything newer: keep the octets. */
		if (v->val.string == NULL || v->val_len == 0)
			return -1;
		out->vtype = VAL_HEX;
		out->ptr = v->val.string;
		out->len = v->val_len > max ? max : v->val_len;
		out->cut = v->val_len > max;
		return 0;
	}
	buf[n] = '\0';
	out->vtype = VAL_INT;
	out->ptr = buf;
	out->len = n;
	return 0;
}

/* SNMPv3 REPORT varbinds (RFC 3414 usmStats, RFC 3412 snmpMPDStats,
   RFC 3413 snmpUnknownContexts and snmpUnavailableContexts). */
static const struct {
	oid		 name[11];
	size_t		 len;
	const char	*text;
	int		 auth;
} reports[] = {
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0 }, 11,
	    "unsupported security level (usmStatsUnsupportedSecLevels)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0 }, 11,
	    "not in time window (usmStatsNotInTimeWindows)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0 }, 11,
	    "unknown user name (usmStatsUnknownUserNames)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0 }, 11,
	    "unknown engine ID (usmStatsUnknownEngineIDs)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 5, 0 }, 11,
	    "wrong digest: wrong authentication passphrase or protocol "
	    "(usmStatsWrongDigests)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 15, 1, 1, 6, 0 }, 11,
	    "decryption error: wrong privacy passphrase or protocol "
	    "(usmStatsDecryptionErrors)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 11, 2, 1, 1, 0 }, 11,
	    "unknown security model (snmpUnknownSecurityModels)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 11, 2, 1, 2, 0 }, 11,
	    "invalid message (snmpInvalidMsgs)", 0 },
	{ { 1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0 }, 11,
	    "unknown PDU handler (snmpUnknownPDUHandlers)", 0 },
	{ { 1, 3, 6, 1, 6, 3, 12, 1, 4, 0 }, 10,
	    "unavailable context (snmpUnavailableContexts)", 1 },
	{ { 1, 3, 6, 1, 6, 3, 12, 1, 5, 0 }, 10,
	    "unknown context (snmpUnknownContexts)", 1 },
};

const char *
snmp_report_reason(const netsnmp_pdu *pdu, int *auth)
{
	const netsnmp_variable_list *v;
	size_t i;

	*auth = 0;
	v = pdu != NULL ? pdu->variables : NULL;
	if (v == NULL || v->name == NULL)
		return "REPORT without a varbind";
	for (i = 0; i < NELEM(reports); i++) {
		if (v->name_length == reports[i].len &&
		    memcmp(v->name, reports[i].name,
		    reports[i].len * sizeof(oid)) == 0) {
			*auth = reports[i].auth;
			return reports[i].text;
		}
	}
	return "unrecognised REPORT";
}

size_t
snmp_min_requests(unsigned probes)
{
	size_t i, n = 0;

	/*
	 * The steps every answering device gets: not those its identity
	 * decides (vendor MIBs, a vendor's private tables, the neighbour
	 * tables of routers and bridges), not fallbacks, not the rule
	 * pack's vendor subtrees (there may be none).
	 */
	for (i = 0; i < snmp_nsteps; i++)
		if ((probes & PROBE_BIT(snmp_steps[i].probe)) != 0 &&
		    (snmp_steps[i].flags & (SNMP_STEP_IF_VENDOR |
		    SNMP_STEP_IF_ABSENT | SNMP_STEP_IF_NETDEV |
		    SNMP_STEP_IF_ENTERPRISE | SNMP_STEP_SUBTREES |
		    SNMP_STEP_VLANS | SNMP_STEP_PER_VLAN)) == 0)
			n++;
	return n;
}
