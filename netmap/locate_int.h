/*
 * locate_int: what the files of the locate module share (locate.h is the
 * interface): the join's state, its table entries and devices, the arena
 * every copied string lives in until locate_free(), and one hash map
 * with namespaced keys that serves every look-up.  Private.
 *
 * Files: locate.c (memory, map, input, results), locate_tables.c (rows
 * back into table rows, per-target maps, ports, FDB/ARP/LLDP/CDP
 * entries), locate_join.c (devices, uplinks, edges, the join itself),
 * locate_store.c (the store pass).
 */
#ifndef BANAUDIT_LOCATE_INT_H
#define BANAUDIT_LOCATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "locate.h"
#include "util.h"

#define NONE		SIZE_MAX
#define AMBIGUOUS	(SIZE_MAX - 1)
#define BLOCK_SIZE	65536
#define SHOWN_UPLINKS	3	/* uplinks named in "seen only on uplinks" */

/* LLDP lldpRemSysCapEnabled (BITS, first octet, MSB = bit 0). */
#define LLDP_CAP_REPEATER	0x40
#define LLDP_CAP_BRIDGE		0x20
#define LLDP_CAP_TELEPHONE	0x04
#define LLDP_CAP_ROUTER		0x08
/* CISCO-CDP-MIB cdpCacheCapabilities (a 32-bit mask, big-endian). */
#define CDP_CAP_ROUTER		0x01
#define CDP_CAP_BRIDGES		0x06
#define CDP_CAP_SWITCH		0x08
#define CDP_CAP_REPEATER	0x40
#define CDP_CAP_PHONE		0x80

/* Attributes the join reads; everything else is dropped at once. */
enum lattr {
	A_MAC, A_IP, A_IFINDEX, A_IFNAME, A_IFDESCR, A_BRIDGEPORT, A_FDBID,
	A_VLAN, A_LOCALPORT, A_CHASSIS, A_CHASSISTYPE, A_PORT, A_PORTDESC,
	A_SYSNAME, A_SYSDESC, A_PLATFORM, A_CAPS, A_NAME, A__COUNT
};

/* Hash map namespaces. */
enum ns {
	NS_TARGET = 1, NS_IF, NS_IFNAME, NS_BP, NS_VLAN, NS_LOC, NS_OWNMAC,
	NS_TADDR, NS_TNAME, NS_PORT, NS_PORTMAC, NS_DEVMAC, NS_DEVKEY,
	NS_ARPIP, NS_SKIP, NS_DEVIP, NS_TARGETDEV,
	NS_VBP	/* (host, VLAN << 32 | bridge port): a VLAN context's */
};

struct block {
	struct block	*next;
	size_t		 used, cap;
	char		 data[];
};

struct hent {
	uint64_t	 a, b, c;
	const char	*s;
	size_t		 v;
	int		 used;
};

struct hmap {
	struct hent	*e;
	size_t		 cap, n;
};

struct lrow {
	int64_t		 host;
	enum obs_kind	 kind;
	const char	*item;
	enum lattr	 attr;
	enum value_type	 vtype;
	const unsigned char *val;
	size_t		 len;
	const char	*src;
};

/* One table row put back together: rows[first..end) of one item. */
struct rec {
	size_t		 t;
	enum obs_kind	 kind;
	const char	*item;
	const struct lrow *cell[A__COUNT];
	const struct lrow *first, *end;
};

struct iface {
	const char	*ifname, *ifdescr;
};

struct locport {
	const char	*port, *portdesc;
};

struct lport {
	size_t		 t;
	long		 ifindex, bp, lp;
	const char	*label;
	unsigned	 nmacs;
	int		 uplink;
	const char	*why;
};

struct fdbent {
	size_t		 t, port;
	unsigned char	 mac[6];
	long		 vlan;
	int		 vlan_is_fdbid;
	const char	*src;
};

struct arpent {
	size_t		 t;
	unsigned char	 mac[6];
	long		 ifindex;
	const char	*ip, *src;
};

struct nbent {
	size_t		 t, port;
	enum locate_table table;
	long		 ifindex;
	unsigned char	 mac[6];
	int		 has_mac;
	const char	*chassis;	/* text when not a MAC */
	const char	*ips[4];
	size_t		 nips;
	const char	*sysname, *sysdesc, *platform;
	const char	*sysname_src, *sysdesc_src, *platform_src, *src;
	int		 switchlike;
};

struct ldev {
	struct locate_device pub;
	size_t		 parent;	/* NONE: alive */
	size_t		 ipcap, seencap;
	unsigned char	(*xmac)[6];	/* further MACs joined into it */
	size_t		 nxmac, xmaccap;
};

struct locate {
	struct locate_opts opts;
	struct block	*blocks;
	struct hmap	 map;
	struct lrow	*rows;
	size_t		 nrows, rowcap;
	struct locate_target *targets;
	struct locate_target_stats *tstats;
	const char	**tsysname;	/* per target, from system rows */
	unsigned	*tvlanmap;	/* per target: has dot1qVlanFdbId */
	size_t		 ntargets, tcap;
	struct iface	*ifs;
	size_t		 nifs, ifcap;
	struct locport	*locs;
	size_t		 nlocs, loccap;
	struct lport	*ports;
	size_t		 nports, portcap;
	struct fdbent	*fdb;
	size_t		 nfdb, fdbcap;
	struct arpent	*arp;
	size_t		 narp, arpcap;
	struct nbent	*nb;
	size_t		 nnb, nbcap;
	struct ldev	*devs;
	size_t		 ndevs, devcap;
	size_t		*order;		/* live devices, sorted */
	size_t		 norder;
	struct locate_stats stats;
	int		 solved;
};

/* locate.c: memory.  Copies live until locate_free(); NULL on ENOMEM. */
char		*locate_adup(struct locate *, const void *, size_t);
const char	*locate_astr(struct locate *, const char *);
const char	*locate_aprintf(struct locate *, const char *, ...)
		    PRINTF_LIKE(2, 3);
/* Lower-cased copy, for case-insensitive keys. */
const char	*locate_alower(struct locate *, const char *);
/* Room for one more element of sz bytes in *v (n used of *cap). */
int		 locate_grow(void *v, size_t *cap, size_t n, size_t sz);

/*
 * locate.c: the map, (a, b, c, s) -> v.  s (may be NULL) must live as
 * long as the join.  hget returns NONE when absent; hput returns -1 on
 * ENOMEM.
 */
size_t		 locate_hget(const struct locate *, uint64_t a, uint64_t b,
		    uint64_t c, const char *s);
int		 locate_hput(struct locate *, uint64_t a, uint64_t b,
		    uint64_t c, const char *s, size_t v);

/* locate.c: values. */
uint64_t	 locate_mac48(const unsigned char m[6]);
int		 locate_mac_zero(const unsigned char m[6]);
const char	*locate_cell_text(const struct lrow *);	/* NULL: none/hex */
long		 locate_cell_long(const struct lrow *);	/* -1: none */
int		 locate_cell_mac(const struct lrow *, unsigned char m[6]);
/* The number after prefix p in an item ("lldp.24.3", "lldp."), or -1. */
long		 locate_item_num(const char *item, const char *p,
		    const char **rest);
int		 locate_prefixed(const char *item, const char *p);
/* The index of host's target, or NONE. */
size_t		 locate_target_index(const struct locate *, int64_t host);

/*
 * locate_tables.c: sorts the rows into table rows and reads them into
 * the per-target maps, the ports and the FDB, ARP and neighbour entries.
 * Returns -1 on ENOMEM.
 */
int		 locate_read_tables(struct locate *);
/* The name of interface ifindex of target t ("ifIndex N" if unknown). */
const char	*locate_if_label(struct locate *, size_t t, long ifindex);

#endif
