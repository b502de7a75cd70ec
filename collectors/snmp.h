/*
 * snmp: what the SNMP collector's two files share -- the probe tables of
 * snmp_probes.c (which objects each probe reads and how a varbind becomes
 * an observation) and the engine's pure pieces in snmp.c (OID text, value
 * mapping, the walk's column check, adaptive max-repetitions, the packet
 * rate limiter).  The pure pieces are declared here so that
 * tests/unit/test_snmp.c can drive them without a network.
 *
 * Nothing here is part of the collector interface: the rest of banaudit
 * sees only snmp_collector (collector.h).
 */
#ifndef BANAUDIT_SNMP_H
#define BANAUDIT_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "collector.h"

/* Sub-identifiers in a probe table OID (they are all short). */
#define SNMP_OBJ_MAXLEN		20
/* Objects per step: columns of one table or scalars of one GET. */
#define SNMP_MAX_OBJECTS	16
/* Bytes of the text of any OID, including the NUL. */
#define SNMP_OIDTEXT_MAX	(MAX_OID_LEN * 11 + 1)
/* Bytes of an item key decoded from a row index, including the NUL. */
#define SNMP_ITEM_MAX		256
/* Bytes of an engine ID (RFC 3411 SnmpEngineID: 5..32 octets). */
#define SNMP_ENGINEID_MAX	32

/*
 * One object a step reads: a scalar instance, or a table column.  A column
 * whose attr is NULL is walked only for its rows' indexes (the table's
 * index hook supplies what is stored, e.g. lldpRemManAddrTable, whose
 * data is all in the index).
 */
struct snmp_object {
	oid		 name[SNMP_OBJ_MAXLEN];
	size_t		 len;
	const char	*attr;		/* observation attribute, or NULL */
	enum value_type	 octets;	/* OCTET STRINGs are VAL_TEXT, VAL_HEX
					   or VAL_IPADDR (4 or 16 octets as
					   address text, else hex) */
};

/*
 * A row index decoded by a table's index hook: the item key, and values
 * that exist only in the index (a MAC address in an FDB index, an IP
 * address in an ARP index).  Extras are emitted once per row, with the
 * varbind of the table's first column.
 */
#define SNMP_INDEX_EXTRAS	4
struct snmp_index {
	char		 item[SNMP_ITEM_MAX];
	size_t		 nextra;
	struct {
		const char	*attr;
		enum value_type	 vtype;
		unsigned char	 val[64];
		size_t		 len;
	} extra[SNMP_INDEX_EXTRAS];
};

enum snmp_step_type {
	SNMP_STEP_SCALARS,	/* one GET of every object */
	SNMP_STEP_TABLE,	/* a walk of every column at once */
	SNMP_STEP_NEXT		/* one GETNEXT of every object (a subtree):
				   an answer inside it is kept, as "oid"
				   (the OID answered) and "value" */
};

/* Step flags. */
#define SNMP_STEP_IF_VENDOR	0x01	/* only when identity calls for it */
#define SNMP_STEP_IF_ABSENT	0x02	/* only when the probe's earlier
					   steps found no table (fallbacks) */
#define SNMP_STEP_IF_NETDEV	0x04	/* only on a router or bridge (what
					   snmp_role_of() saw so far) */
#define SNMP_STEP_SUBTREES	0x08	/* the objects are the scan's vendor
					   subtrees (collect_opts), not obj */
#define SNMP_STEP_IF_ENTERPRISE	0x10	/* only when sysObjectID or a vendor
					   subtree answer lies under the
					   enterprise of obj[0] (a vendor's
					   private table) */
#define SNMP_STEP_VLANS		0x20	/* lists the VLANs (vtpVlanState,
					   dot1qVlanStaticName) whose
					   contexts the PER_VLAN steps read;
					   not run when dot1qTpFdbTable
					   answered (it holds every VLAN) */
#define SNMP_STEP_PER_VLAN	0x40	/* run once in each listed VLAN's
					   context (community@VLAN, SNMPv3
					   context "vlan-N"); items become
					   "fdb.vVLAN.MAC", "bp.vVLAN.N" */

/*
 * One step of a probe.  A probe is the steps that name it, run in table
 * order; a new table is a new row here, not new code.
 */
struct snmp_step {
	enum probe		 probe;
	enum obs_kind		 kind;
	enum snmp_step_type	 type;
	const char		*item;	/* scalars: the item key; tables:
					   NULL, or the table's name, which
					   coverage details then name */
	const struct snmp_object *obj;
	size_t			 nobj;
	unsigned		 flags;
	/*
	 * Tables: decodes the index (the sub-identifiers after the column)
	 * into *out.  Returns 0, or -1 when the index is malformed (the row
	 * is skipped).  NULL means dotted decimal.
	 */
	int			(*index)(const oid *idx, size_t n,
				    struct snmp_index *out);
};

extern const struct snmp_step	snmp_steps[];
extern const size_t		snmp_nsteps;
/* The step used to try credentials: the system group (snmp_steps[0]). */
#define SNMP_STEP_IDENTITY	0

/*
 * Index decoders for snmp_step.index.  The neighbour tables' items are a
 * contract with src/locate.c, which puts the rows of one device back
 * together (locate.h lists them): "arp.IFINDEX.IP", "fdb.FDBID.MAC",
 * "fdb.MAC", "vlan.VLAN", "lldp.LOCALPORT.REMINDEX", "lldploc.LOCALPORT",
 * "cdp.IFINDEX.DEVINDEX", "bp.BRIDGEPORT"; IP as dotted or RFC 5952
 * text, MAC as aa:bb:cc:dd:ee:ff.
 */
int	 snmp_index_dotted(const oid *, size_t, struct snmp_index *);
/* ipNetToPhysicalTable: ifIndex.addressType.length.address */
int	 snmp_index_arp(const oid *, size_t, struct snmp_index *);
/* ipNetToMediaTable: ifIndex.a.b.c.d */
int	 snmp_index_arp_media(const oid *, size_t, struct snmp_index *);
/* dot1qTpFdbTable: fdbId.mac (6 sub-identifiers) */
int	 snmp_index_fdb_q(const oid *, size_t, struct snmp_index *);
/* dot1dTpFdbTable: mac */
int	 snmp_index_fdb(const oid *, size_t, struct snmp_index *);
/* dot1qVlanCurrentTable: timeMark.vlanIndex */
int	 snmp_index_vlan(const oid *, size_t, struct snmp_index *);
/* vtpVlanState (domain.vlan), dot1qVlanStaticName (vlan): "vlan.V" */
int	 snmp_index_vlan_list(const oid *, size_t, struct snmp_index *);
/* lldpRemTable: timeMark.localPortNum.remIndex */
int	 snmp_index_lldp_rem(const oid *, size_t, struct snmp_index *);
/* lldpRemManAddrTable: timeMark.localPortNum.remIndex.subtype.len.addr */
int	 snmp_index_lldp_man(const oid *, size_t, struct snmp_index *);
/* lldpLocPortTable: localPortNum */
int	 snmp_index_lldp_loc(const oid *, size_t, struct snmp_index *);
/* hrDeviceTable: "hrdev.INDEX" */
int	 snmp_index_hrdev(const oid *, size_t, struct snmp_index *);
/* An OLT's ONU table: "onu.PONIFINDEX.ONUID" (HUAWEI-XPON-MIB, ZTE
   ZXGPON-SERVICE-MIB zxGponOntDevMgmtTable: the PON port's ifIndex
   (zxGponMgmtPonOltId), then the ONU id) */
int	 snmp_index_onu(const oid *, size_t, struct snmp_index *);
/* cdpCacheTable: ifIndex.deviceIndex */
int	 snmp_index_cdp(const oid *, size_t, struct snmp_index *);
/* dot1dBasePortTable: basePort */
int	 snmp_index_baseport(const oid *, size_t, struct snmp_index *);
/* tcpConnectionTable: "tcp.LOCAL.LPORT.REMOTE.RPORT" (RFC 4022 index) */
int	 snmp_index_tcpconn(const oid *, size_t, struct snmp_index *);
/* tcpConnTable: the same item from the RFC 1213 index */
int	 snmp_index_tcpconn_old(const oid *, size_t, struct snmp_index *);
/* ipCidrRouteTable: "route.DEST.MASK.TOS.NEXTHOP" */
int	 snmp_index_cidr_route(const oid *, size_t, struct snmp_index *);
/* ipRouteTable: "route.DEST" */
int	 snmp_index_route(const oid *, size_t, struct snmp_index *);

/*
 * Per-VLAN bridge tables.  At most SNMP_VLAN_CAP VLAN contexts are read
 * per switch (more listed: coverage partial).  snmp_vlan_listed() judges
 * one row of a SNMP_STEP_VLANS table (the sub-identifiers after the
 * column, and the varbind): the VLAN id of an operational vtpVlanState
 * row (not 1002-1005) or of any dot1qVlanStaticName row, else -1.
 * snmp_vlan_context() writes the context a VLAN's bridge table is read
 * in: "COMMUNITY@VLAN" for SNMPv1/v2c (a secret: the caller wipes buf),
 * "vlan-VLAN" for SNMPv3; returns its length, or -1 (buf wiped) when it
 * does not fit.  snmp_vlan_item() turns a row item "fdb.MAC" or "bp.N"
 * read in VLAN V's context into "fdb.vV.MAC" or "bp.vV.N" (locate.h);
 * returns 0, or -1 when it does not fit.
 */
#define SNMP_VLAN_CAP		64
#define SNMP_VLAN_MIN		1
#define SNMP_VLAN_MAXID		4094
long	 snmp_vlan_listed(const oid *idx, size_t n,
	    const netsnmp_variable_list *v);
int	 snmp_vlan_context(int v3, const char *community, long vlan,
	    char *buf, size_t len);
int	 snmp_vlan_item(const char *item, long vlan, char *buf, size_t len);

/*
 * Does a device's identity call for the camera/NVR vendor MIBs?  The rule
 * is data in snmp_probes.c: snmp_vendor_objid() judges sysObjectID (NULL
 * or n == 0 when absent), snmp_vendor_descr() judges sysDescr; either
 * saying yes is enough.
 */
int	 snmp_vendor_objid(const oid *objid, size_t n);
int	 snmp_vendor_descr(const unsigned char *descr, size_t n);

/*
 * What a varbind of the identity or role GET says about the device's
 * role: SNMP_ROLE_BRIDGE for sysServices with the layer-2 bit, a
 * dot1dBaseNumPorts above 0 or lldpLocSysCapEnabled with bridge(2);
 * SNMP_ROLE_ROUTER for ipForwarding forwarding(1) or lldpLocSysCapEnabled
 * with router(4).  sysServices' layer-3 bit alone is not enough: Windows
 * sets it on every host (sysServices 76).  0 for anything else.
 */
#define SNMP_ROLE_ROUTER	0x01
#define SNMP_ROLE_BRIDGE	0x02
unsigned snmp_role_of(const netsnmp_variable_list *);

/*
 * Parses dotted decimal OID text ("1.3.6.1.4.1.2011", a leading dot
 * allowed) into at most max sub-identifiers.  Returns 0 and sets *n, or
 * -1 when malformed or longer.
 */
int	 snmp_oid_parse(const char *text, oid *out, size_t max, size_t *n);

/*
 * Writes the dotted decimal text of an OID ("1.3.6.1.2.1.1.1.0", no
 * leading dot).  Returns its length, or -1 when it does not fit (buf then
 * holds as many whole sub-identifiers as fit, NUL-terminated).
 */
int	 snmp_oid_text(const oid *o, size_t n, char *buf, size_t len);

/*
 * snmp_oid_text() of an OID whose leading sub-identifiers' text is known
 * (a table column's, for each of its rows): head (hlen bytes, no NUL
 * needed), then ".N" for each of the n sub-identifiers of rest.  Returns
 * the length, or -1 when it does not fit.
 */
int	 snmp_oid_text_after(const char *head, size_t hlen, const oid *rest,
	    size_t n, char *buf, size_t len);

/*
 * How a varbind is stored: its value type and raw bytes.  ptr points into
 * the varbind or into the caller's buffer; both are borrowed.
 */
struct snmp_value {
	enum value_type	 vtype;
	const void	*ptr;
	size_t		 len;
	int		 cut;		/* longer than max and cut */
};

/*
 * Maps a varbind to a stored value: OCTET STRING -> VAL_TEXT (or octets,
 * e.g. VAL_HEX, as the table says) cut to max bytes; with octets
 * VAL_IPADDR, 4 or 16 octets -> VAL_IPADDR text (an InetAddress or a
 * cdpCacheAddress), any other length -> VAL_HEX; INTEGER, Counter32,
 * Gauge32, TimeTicks, Counter64 -> VAL_INT decimal text; OBJECT IDENTIFIER
 * -> VAL_OID; IpAddress -> VAL_IPADDR; Opaque and BITS -> VAL_HEX.  buf
 * (at least SNMP_OIDTEXT_MAX bytes) holds the text forms.  Returns 0, or -1
 * for NULL, the exceptions (noSuchObject, noSuchInstance, endOfMibView)
 * and malformed values: nothing to store.
 */
int	 snmp_value_map(const netsnmp_variable_list *, enum value_type octets,
	    size_t max, char *buf, size_t buflen, struct snmp_value *out);

/* What a varbind means for the column it was returned for. */
enum snmp_col_verdict {
	SNMP_COL_ROW,		/* a new row of the column */
	SNMP_COL_END,		/* left the column, or an exception */
	SNMP_COL_LOOP		/* not after the last OID: the agent loops */
};

/*
 * Classifies the varbind (name, type) returned by a GETNEXT/GETBULK for a
 * column whose OID is col and whose last seen OID is last.
 */
enum snmp_col_verdict snmp_col_step(const oid *col, size_t collen,
	    const oid *last, size_t lastlen, const oid *name, size_t namelen,
	    int type);

/*
 * Adaptive max-repetitions of one host.  tooBig halves it and sets a
 * ceiling of 3/4 of the size that failed; it then grows back by a quarter
 * after SNMP_MR_STREAK successes in a row, never above the ceiling.  A
 * timed-out GETBULK halves it for the retry too, but a timeout may be
 * plain packet loss: when the smaller request gets through, the size
 * before the timeout comes back at once, and only a second timeout in a
 * row at that size sets a ceiling as tooBig does.  (Against an agent
 * dropping every 7th request, gentle growth alone cost 20 s per host
 * instead of 1.5 s, measured 2026-11-27.)  Never below 1.
 */
#define SNMP_MR_STREAK	4
struct snmp_mr {
	unsigned	 cur;
	unsigned	 ceil;
	unsigned	 streak;	/* successes in a row */
	unsigned	 back;		/* size before a timeout, or 0 */
	unsigned	 strikes;	/* timeouts since the last success */
};
void	 snmp_mr_init(struct snmp_mr *, unsigned start);
void	 snmp_mr_success(struct snmp_mr *);
/* Returns 0 after shrinking, -1 when already at 1. */
int	 snmp_mr_too_big(struct snmp_mr *);
int	 snmp_mr_timeout(struct snmp_mr *);

/*
 * Human text for the reason of an SNMPv3 REPORT, from its first varbind's
 * OID (usmStats*, snmpUnknown*); sets *auth when the report means the
 * credentials were refused.
 */
const char *snmp_report_reason(const netsnmp_pdu *, int *auth);

#endif
