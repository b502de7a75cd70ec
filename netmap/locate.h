/*
 * locate: finds the devices nobody polls -- cameras, radios, inverters,
 * customer-premises gear that answer no SNMP query -- in the tables of the
 * routers and switches that were polled, and says where each is plugged
 * in.  It joins, over every polled target of a run:
 *
 *	ARP (ipNetToPhysicalTable, ipNetToMediaTable): IP <-> MAC;
 *	bridge FDB (dot1qTpFdbTable, dot1dTpFdbTable): MAC -> switch, port,
 *	    VLAN, with dot1dBasePortIfIndex and ifName/ifDescr naming the
 *	    port and dot1qVlanFdbId naming the VLAN, or the VLAN context
 *	    (community@VLAN) the table was read in;
 *	LLDP (lldpRemTable, lldpRemManAddrTable) and CDP (cdpCacheTable):
 *	    what a neighbour announces, and where it is heard;
 *
 * into one device per MAC address (an LLDP/CDP neighbour's chassis MAC
 * and the MAC its announced management address has in an ARP table are
 * one device; a neighbour without a MAC is one device per announced
 * address, else per name).  A device that is itself a polled target (one
 * of its MACs is a target's interface or bridge MAC, one of its addresses
 * a target's address, or its LLDP/CDP system name a target's sysName) is
 * that target.
 *
 * Where it is: an LLDP or CDP neighbour is where the switch hears it.
 * Otherwise the switch port where its MAC is learned that is not an
 * uplink.  A port is an uplink when an LLDP/CDP neighbour on it is a
 * bridge, router, repeater or access point (its capabilities) or is a
 * polled target, or when more than uplink_macs distinct MACs are learned
 * on it.  Several edge ports: the one with the fewest MACs, then the
 * lowest (switch address, ifIndex).  Only uplinks: "seen only on
 * uplinks".  Only ARP: the router and interface.
 *
 * Vendor: the IEEE registry (oui.h) names the organisation of the
 * device's MAC.  Multicast MACs are never devices; locally administered
 * (randomised) ones are not either, unless a neighbour announced itself
 * with one -- they are counted, "vendor unknown", not clean.
 *
 * The module has a pure core (locate_open .. locate_free: rows in,
 * devices out; no I/O) and a store pass, locate_run(), that feeds it a
 * run's observations and writes each device back as a host (discovered,
 * unless it is a polled target) with derived observations -- kind
 * neighbor: mac, ip, oui_org, sysname, sysdesc, platform, location, and
 * per sighting ("seen.N") table, ifname, ifindex, bridgeport, vlan,
 * location -- which the matcher then sees like any other.
 *
 * The row items are a contract with collectors/snmp_probes.c (snmp.h)
 * and netinv.h (network inventories written by other tools):
 * kind interface "N" (ifIndex N: ifname, ifdescr, mac), "bridge" (mac),
 * "self" (mac: a discovered device's own MAC, whose vendor the store pass
 * writes to it as neighbor mac and oui_org, item "self"),
 * "bp.N" (bridgeport N: ifindex), "lldploc.N" (local port N: port,
 * portdesc), "bp.vV.N" (bridge port N in VLAN V's context: ifindex);
 * kind neighbor "arp.IF.IP" (mac, ip, ifindex), "fdb.F.MAC" and
 * "fdb.MAC" (mac, bridgeport, fdbid), "fdb.vV.MAC" (read in VLAN V's
 * context, community@V or vlan-V: mac, bridgeport, vlan; its port from
 * "bp.vV.N", else "bp.N"), "vlan.V" (vlan, fdbid),
 * "lldp.P.R" (chassis, chassistype, port, portdesc, sysname, sysdesc,
 * caps, ip), "cdp.IF.D" (sysname, ip, sysdesc, port, platform, caps,
 * ifindex); kind system "" (name).
 */
#ifndef BANAUDIT_LOCATE_H
#define BANAUDIT_LOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "oui.h"
#include "store.h"
#include "host.h"

/* A port with more distinct MACs than this is an uplink. */
#define LOCATE_UPLINK_MACS	4

struct locate_opts {
	const struct oui_registry *oui;	/* NULL: no vendor look-ups */
	unsigned	 uplink_macs;	/* 0 = LOCATE_UPLINK_MACS */
};

/* A polled target of the run. */
struct locate_target {
	int64_t		 host;
	const char	*identity;	/* the host's identity key */
	struct host_attrs h;		/* the host's, in the run */
};

enum locate_table { LOCATE_FDB, LOCATE_ARP, LOCATE_LLDP, LOCATE_CDP };

/* Where a device was seen: one table row of one target. */
struct locate_sighting {
	size_t		 target;	/* index for locate_target_get() */
	enum locate_table table;
	long		 ifindex;	/* -1 when unknown */
	long		 bridgeport;	/* -1 when unknown */
	long		 vlan;		/* -1 when unknown */
	int		 vlan_is_fdbid;	/* no dot1qVlanFdbId: the FDB id */
	const char	*port;		/* interface name, or "bridge port N",
					   "ifIndex N", "LLDP port N" */
	int		 uplink;
	unsigned	 port_macs;	/* distinct MACs learned on the port */
	const char	*why;		/* why it is an uplink, or NULL */
	const char	*source;	/* OID of the row */
};

struct locate_ip {
	const char	*ip;
	const char	*source;
};

struct locate_device {
	unsigned char	 mac[6];
	int		 has_mac;
	const char	*mac_source;	/* OID the MAC was read from */
	struct locate_ip *ips;		/* IPv4 first, then text order */
	size_t		 nips;
	enum oui_result	 oui;
	const char	*org;		/* OUI_FOUND/OUI_PRIVATE: the name */
	int		 oui_bits;
	/* What it announced over LLDP or CDP (NULL when nothing). */
	const char	*sysname, *sysname_source;
	const char	*sysdesc, *sysdesc_source;
	const char	*platform, *platform_source;
	const char	*chassis;	/* LLDP chassis ID that is not a MAC */
	struct locate_sighting *seen;	/* by target address, table, port */
	size_t		 nseen;
	size_t		 edge;		/* index into seen, or SIZE_MAX */
	size_t		 target;	/* the polled target it is, or
					   SIZE_MAX */
	size_t		 via;		/* the target that saw it (edge, else
					   first sighting): sector, site,
					   owner, jurisdiction come from
					   there */
	const char	*location;	/* one line for humans */
};

/* Per polled target: what its tables held. */
struct locate_target_stats {
	size_t		 arp, fdb, lldp, cdp;	/* rows */
	size_t		 located;	/* devices at one of its edge ports */
	size_t		 uplinks;	/* its ports judged uplinks */
	size_t		 randomised;	/* locally administered MACs */
};

struct locate_stats {
	size_t		 devices;	/* after joining */
	size_t		 discovered;	/* not a polled target */
	size_t		 merged;	/* a polled target */
	size_t		 located;	/* at an edge or LLDP/CDP port */
	size_t		 uplinks_only;
	size_t		 arp_only;
	size_t		 randomised;	/* distinct locally administered MACs
					   skipped */
	size_t		 multicast;	/* distinct group MACs skipped */
	size_t		 switches;	/* targets with neighbour tables */
};

struct locate;

/* Starts an empty join.  Caller frees with locate_free(). */
int	 locate_open(struct locate **out, const struct locate_opts *,
	    char *err, size_t errlen);
/*
 * Adds a polled target (copied).  Rows of a host never added become a
 * target of their own from the row's fields (owner unknown).
 */
int	 locate_add_target(struct locate *, const struct locate_target *,
	    char *err, size_t errlen);
/*
 * Adds one observation of the run (copied).  Rows that are not neighbour,
 * interface or system-name rows, and derived rows, are ignored.
 */
int	 locate_add_row(struct locate *, const struct obs_row *, char *err,
	    size_t errlen);
/* Joins what was added.  Call once, after the last row. */
int	 locate_solve(struct locate *, char *err, size_t errlen);

/* Results, borrowed until locate_free(). */
size_t	 locate_ndevices(const struct locate *);
const struct locate_device *locate_device_get(const struct locate *,
	    size_t i);
size_t	 locate_ntargets(const struct locate *);
const struct locate_target *locate_target_get(const struct locate *,
	    size_t i);
const struct locate_target_stats *locate_target_stats_get(
	    const struct locate *, size_t i);
const struct locate_stats *locate_stats_get(const struct locate *);
const char *locate_table_name(enum locate_table);

void	 locate_free(struct locate *);

/*
 * The store pass: reads run's observations and coverage, joins them, and
 * writes every device as a host of run (discovered, unless it is a polled
 * target) with its derived observations; adds a coverage row (channel
 * derived, probe "locate") to each target whose tables held neighbours,
 * saying what they held; records the OUI registry's description on the
 * run (store_run_set_oui(); "none" without one).  stats may be NULL.
 */
int	 locate_run(struct store *, int64_t run, const struct locate_opts *,
	    struct locate_stats *stats, char *err, size_t errlen);

#endif
