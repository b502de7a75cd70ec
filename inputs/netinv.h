/*
 * netinv: network inventories that FusionInventory 2.x and GLPI Agent
 * write -- NETDISCOVERY (netdiscovery task: one DEVICE per answering
 * address) and SNMPQUERY (netinventory task: one DEVICE with INFO, PORTS,
 * COMPONENTS, FIRMWARES) XML, and the same in GLPI inventory_format JSON
 * ("action": "netdiscovery" / "netinventory": content.network_device,
 * network_ports, network_components, firmwares) -- into the observations
 * the SNMP collector makes of the same device, so that the rule pack and
 * locate (locate.h) cannot tell who polled the switch.
 *
 * Each DEVICE is one host.  What is read, per device (XML path; the JSON
 * key is the lower-case name, network_device for INFO):
 *
 *   kind       item        attr        from
 *   system     ""          descr       INFO/COMMENTS, DESCRIPTION (sysDescr)
 *                          name        INFO/NAME, SNMPHOSTNAME, else
 *                                      NETBIOSNAME, DNSHOSTNAME
 *                          location, contact, uptime
 *   entity     "info"      mfg, model, serial, fwrev
 *                                      MANUFACTURER, MODEL, SERIAL, FIRMWARE
 *              "comp.N"    descr, name, class, mfg, model, serial, fwrev,
 *                          hwrev       COMPONENTS/COMPONENT (N: INDEX)
 *              "fw.N"      name, descr, class, fwrev, mfg  FIRMWARES[N]
 *   interface  "I"         ifname, ifdescr, mac    PORTS/PORT (I: IFNUMBER
 *                                      when every port has a distinct one,
 *                                      else the port's ordinal)
 *              "bp.I"      ifindex     (the port is its own bridge port)
 *              "self"      mac         a NETDISCOVERY device's MAC
 *   neighbor   "fdb.I.M"   mac, bridgeport, fdbid
 *                                      CONNECTION/MAC: learned on port I
 *              "vlan.V"    vlan, fdbid a port with exactly one VLAN: its
 *                                      MACs are learned in VLAN V
 *              "lldp.I.R"  chassis, chassistype, localport, sysname,
 *                          sysdesc, port, ip, platform
 *                                      a CONNECTION with SYSMAC (lldpRem*)
 *              "cdp.I.R"   ifindex, sysname, sysdesc, port, ip, platform
 *                                      a CONNECTION without one (cdpCache*;
 *                                      FusionInventory flags both CDP=1)
 *
 * These are the row items of collectors/snmp_probes.c that locate reads,
 * so a camera learned on a switch port is located the same way whether
 * banaudit or the agent polled the switch.  Sources are element paths
 * ("DEVICE[1]/PORTS/PORT[5]/CONNECTIONS/CONNECTION[1]/MAC[2]", JSON:
 * "network_ports[5]/connections[1]/mac").  MACs are VAL_HEX (6 octets),
 * addresses VAL_IPADDR, port numbers VAL_INT, the rest VAL_TEXT.  Not
 * read: counters, MODEMS, SIMCARDS, CARTRIDGES, PAGECOUNTERS.
 *
 * Hostile input: as inventory.h (no DTD, no entities, libxml2's limits,
 * the same struct inventory_limits; ISO-8859-1 read again when not
 * UTF-8).  The whole document is read and checked before the first
 * callback, so a file that fails yields nothing.  All strings handed to
 * the sink are borrowed for the duration of the call.
 */
#ifndef BANAUDIT_NETINV_H
#define BANAUDIT_NETINV_H

#include <stddef.h>

#include <jansson.h>

#include "inventory.h"
#include "obs.h"

enum netinv_query { NETINV_DISCOVERY, NETINV_INVENTORY };

/* One device of the file, before its observations.  Borrowed. */
struct netinv_device {
	enum netinv_query query;
	size_t		 ord;		/* DEVICE[ord] in the file, from 1 */
	const char	*element;	/* "DEVICE[2]", "network_device" */
	const char	*ip;		/* first address listed, or NULL */
	const char	*mac;		/* "aa:bb:cc:dd:ee:ff", or NULL */
	const char	*name;		/* or NULL */
	const char	*serial;	/* usable (no placeholder), or NULL */
	const char	*type;		/* NETWORKING, PRINTER, ..., or NULL */
	/*
	 * What the file held for this device, for its coverage row:
	 * "SNMPQUERY DEVICE[1] (NETWORKING): INFO; PORTS 11 (learned MACs
	 * 14, LLDP/CDP neighbours 4); no COMPONENTS; no FIRMWARES".
	 */
	const char	*coverage;
};

/*
 * device() is called once per device, before that device's observations;
 * a callback returning -1 stops the parse (INV_ESINK).
 */
struct netinv_sink {
	void	*arg;
	int	(*device)(void *arg, const struct netinv_device *);
	int	(*observe)(void *arg, const struct observation *);
};

struct netinv_stats {
	size_t		 devices;
	size_t		 ports;
	size_t		 macs;		/* learned MACs (CONNECTION/MAC) */
	size_t		 neighbours;	/* LLDP/CDP connections */
	size_t		 bad_macs;	/* unreadable MACs skipped */
	size_t		 truncated;	/* values cut to max_value */
	int		 latin1;
};

/*
 * Parses a NETDISCOVERY or SNMPQUERY document (need not be
 * NUL-terminated).  limits may be NULL (inventory_limits_default());
 * stats may be NULL.  Returns INV_OK, INV_EINPUT with "line N: ..." or a
 * path-named message in err, or INV_ESINK.  Never prints.
 */
enum inventory_rc netinv_xml_parse(const void *buf, size_t len,
	    const struct inventory_limits *limits,
	    const struct netinv_sink *sink, struct netinv_stats *stats,
	    char *err, size_t errlen);

/* The same for GLPI JSON with "action" "netdiscovery" or "netinventory". */
enum inventory_rc netinv_json_parse(const void *buf, size_t len,
	    const struct inventory_limits *limits,
	    const struct netinv_sink *sink, struct netinv_stats *stats,
	    char *err, size_t errlen);

/*
 * Private to netinv.c and netinv_xml.c: the XML document as a jansson
 * tree (lower-case tag names as keys, repeated elements as arrays, text
 * as strings), checked against limits.  Sets *root (caller decrefs) to
 * the root element's value; *latin1 when read as ISO-8859-1.
 */
int	 netinv_xml_tree(const void *buf, size_t len,
	    const struct inventory_limits *, json_t **root, size_t *truncated,
	    int *latin1, char *err, size_t errlen);

#endif /* BANAUDIT_NETINV_H */
