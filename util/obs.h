/*
 * obs: the vocabulary shared by collectors, store, matcher and reports --
 * channels, observation kinds and attributes, value types and coverage
 * statuses.  An observation is one value seen on one host: a varbind of a
 * table row, an element of an agent inventory, a cell of an import file.
 * Values of one table row (or one inventory element) share an "item" key, so
 * the matcher and the reports can put the row back together.
 *
 * The names here are part of the file-format contract (inventory-csv,
 * coverage-csv, the rule pack's "field" column): add, never rename.
 */
#ifndef BANAUDIT_OBS_H
#define BANAUDIT_OBS_H

#include <stddef.h>
#include <stdint.h>

enum channel {
	CHAN_SNMP,
	CHAN_AGENT,
	CHAN_IMPORT,
	CHAN_DERIVED,	/* computed by banaudit itself (e.g. OUI look-up) */
	CHAN__COUNT
};

enum obs_kind {
	OBS_SYSTEM,	/* descr, objectid, name, uptime, contact, location,
			   os, uuid, serial, fqdn, engineid; what makes a
			   router or bridge: services, forwarding,
			   bridgeports, caps */
	OBS_SOFTWARE,	/* name, version, publisher, type, date, arch */
	OBS_PROCESS,	/* name, path, params */
	OBS_ENTITY,	/* descr, class, mfg, model, serial, hwrev, fwrev,
			   swrev, name */
	OBS_VENDOR,	/* vendor-MIB scalars; item = MIB ("hikvision",
			   "ups"), attr = object ("manufacturer",
			   "devicetype"); item "enterprise": the first
			   OID ("oid") and value ("value") an agent
			   answered inside a vendor's subtree */
	OBS_NEIGHBOR,	/* ARP/FDB/LLDP/CDP rows: mac, ip, ifindex, ifname,
			   vlan, port, bridgeport, chassis, chassistype,
			   sysname, sysdesc, portdesc, platform, caps,
			   localport, fdbid, oui_org, table, location,
			   via (the identity of the router or switch whose
			   table a sighting is from);
			   an OLT's ONUs: serial, vendorid, onuid, descr */
	OBS_INTERFACE,	/* ifindex, ifname, ifdescr, bridgeport, mac;
			   LLDP local ports: localport, port, portdesc */
	OBS_CONNECTION,	/* TCP connections: local, remote, rport, state */
	OBS_ROUTE,	/* routes: dest, mask, nexthop */
	OBS_ANTIVIRUS,	/* agent ANTIVIRUS: name, company, version, enabled,
			   uptodate, base_date, base_version, expiration */
	OBS_NETIF,	/* agent NETWORKS: mac, ip, descr */
	OBS__COUNT
};

/* How a raw value is encoded (the SNMP types keep their meaning). */
enum value_type {
	VAL_TEXT,	/* octets, usually text (OCTET STRING, agent field) */
	VAL_INT,	/* decimal text of an integer (INTEGER, counters) */
	VAL_OID,	/* dotted decimal text */
	VAL_IPADDR,	/* dotted IPv4 or IPv6 text */
	VAL_HEX,	/* binary octets (MAC, PhysAddress, engine ID) */
	VAL__COUNT
};

/*
 * One observed value.  All pointers are borrowed: a sink that keeps an
 * observation MUST copy what it keeps.
 */
struct observation {
	enum obs_kind	 kind;
	const char	*item;	/* row key ("42", "lldp.3.1"); "" for scalars */
	const char	*attr;	/* one of obs_attrs for the kind */
	const char	*source;	/* OID or agent field path */
	enum value_type	 vtype;
	const void	*value;
	size_t		 len;
	/*
	 * NULL, or the address of a static object that names the row's
	 * column (a walk's, collectors/snmp_session.c): given only when
	 * source is that column's OID, a dot and the item (item pointing
	 * into source just past the dot) and attr is the object's own
	 * string.  The store finds the row's source prefix and kept middle
	 * by it instead of from the text (store_data.c).
	 */
	const void	*col;
};

/* Coverage: could a probe on a channel be assessed on a host, and why not. */
enum cov_status {
	COV_OK,
	COV_PARTIAL,
	COV_UNREACHABLE,
	COV_TIMEOUT,
	COV_AUTH_FAILED,
	COV_NO_SUCH_TABLE,
	COV_REFUSED,
	COV_RATE_LIMITED,
	COV_TLS_FAILED,
	COV_ERROR,
	COV_NO_CHANNEL,	/* the target names no SNMP profile, no agent URL */
	COV__COUNT
};

struct coverage {
	enum channel	 channel;
	const char	*probe;	/* "system", "software", ...; "" = channel */
	enum cov_status	 status;
	const char	*detail;	/* human text; never a secret */
	const char	*profile;	/* credential profile name, or NULL */
	int64_t		 elapsed_ms;
};

const char	*channel_name(enum channel);
int		 channel_from_name(const char *, enum channel *);
const char	*obs_kind_name(enum obs_kind);
int		 obs_kind_from_name(const char *, enum obs_kind *);
const char	*value_type_name(enum value_type);
int		 value_type_from_name(const char *, enum value_type *);
const char	*cov_status_name(enum cov_status);
int		 cov_status_from_name(const char *, enum cov_status *);

/* Is "attr" a known attribute of kind k? */
int		 obs_attr_valid(enum obs_kind k, const char *attr);

/*
 * Parses a rule-pack field "kind.attr" (e.g. "software.name").
 * Returns 0 and sets *k and *attr (pointing into f), or -1.
 */
int		 obs_field_parse(const char *f, enum obs_kind *k,
		    const char **attr);

/* Does this status mean the probe's data can be trusted as complete? */
int		 cov_assessed(enum cov_status);

/*
 * How far one host was assessed in a run, from its coverage rows -- the
 * one rule behind every count of assessed hosts (the scan summary, the
 * HTML figures, the JSON counts).  A channel's summary row (probe "")
 * decides when there is one: every summary ok -> assessed; some ok or
 * partial -> partial; none -> not assessed.  Without summary rows the
 * probe rows decide the same way.  A host without coverage is not
 * assessed, unless it was only ever seen in other devices' neighbour
 * tables (discovered): then it is a neighbour-table device.
 */
enum assess_level {
	ASSESS_FULL,
	ASSESS_PARTIAL,
	ASSESS_NONE,
	ASSESS_NEIGHBOUR,
	ASSESS__COUNT
};

struct assess_acc {
	size_t		 n, ok, usable;
	size_t		 nsum, sum_ok, sum_usable;
};

/* Adds one coverage row of the host (acc starts zeroed). */
void		 assess_add(struct assess_acc *, const char *probe,
		    enum cov_status);
enum assess_level assess_level(const struct assess_acc *, int discovered);

/*
 * What a collector can be asked to look at.  Names are in probe_name();
 * sector profiles choose from them.
 */
enum probe {
	PROBE_SYSTEM,		/* SNMPv2-MIB system group */
	PROBE_SOFTWARE,		/* hrSWInstalledTable */
	PROBE_PROCESS,		/* hrSWRunTable */
	PROBE_ENTITY,		/* ENTITY-MIB entPhysicalTable */
	PROBE_VENDOR,		/* HIK-DEVICE-MIB, DAHUA-SNMP-MIB scalars */
	PROBE_INTERFACES,	/* ifName/ifDescr, dot1dBasePortIfIndex */
	PROBE_ARP,		/* ipNetToPhysicalTable / ipNetToMediaTable */
	PROBE_FDB,		/* dot1qTpFdbTable / dot1dTpFdbTable */
	PROBE_LLDP,		/* lldpRemTable */
	PROBE_CDP,		/* cdpCacheTable */
	PROBE_CONNECTIONS,	/* tcpConnectionTable / tcpConnTable */
	PROBE_ROUTES,		/* ipCidrRouteTable / ipRouteTable */
	PROBE_INVENTORY,	/* an agent's full inventory */
	PROBE_UPS,		/* UPS-MIB upsIdent* */
	PROBE_ENTERPRISE,	/* one GETNEXT into each vendor subtree of
				   the rule pack */
	PROBE_ONU,		/* an OLT's ONU tables (GPON MIBs) */
	PROBE_VLAN_FDB,		/* per-VLAN bridge tables: dot1dTpFdbTable
				   in each VLAN's context (community@VLAN,
				   SNMPv3 context vlan-N) */
	PROBE__COUNT
};

#define PROBE_BIT(p)	(1u << (p))
#define PROBES_DEFAULT	(PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE) | \
	PROBE_BIT(PROBE_PROCESS) | PROBE_BIT(PROBE_ENTITY) | \
	PROBE_BIT(PROBE_VENDOR) | PROBE_BIT(PROBE_INVENTORY) | \
	PROBE_BIT(PROBE_UPS) | PROBE_BIT(PROBE_ENTERPRISE))
/* What a sector's "neighbours = on" adds (run on routers and bridges). */
#define PROBES_NEIGHBOURS (PROBE_BIT(PROBE_INTERFACES) | \
	PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) | PROBE_BIT(PROBE_LLDP) | \
	PROBE_BIT(PROBE_CDP) | PROBE_BIT(PROBE_VLAN_FDB))

const char	*probe_name(enum probe);
int		 probe_from_name(const char *, enum probe *);
/* Every probe name, comma-separated, into buf (cut to fit). */
void		 probe_names_list(char *buf, size_t len);

#endif
