/*
 * locate_tables: a run's rows back into table rows (host, kind, item),
 * read in two passes: what each target says about itself (interfaces,
 * bridge ports, VLAN map, LLDP local ports, own MACs, sysName), then what
 * its tables say about others (FDB, ARP, LLDP and CDP entries, and the
 * ports they are on).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "locate_int.h"

/* ------------------------------------------------------------------ */
/* Table rows back together. */

static int
row_cmp(const void *a, const void *b)
{
	const struct lrow *x = a, *y = b;
	int c;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = strcmp(x->item, y->item);
	if (c != 0)
		return c;
	if (x->attr != y->attr)
		return x->attr < y->attr ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->val, y->val, x->len);
	return c != 0 ? c : strcmp(x->src, y->src);
}

/* Reads the record starting at *i and moves *i past it. */
static void
rec_next(const struct locate *L, size_t *i, struct rec *r)
{
	const struct lrow *f = &L->rows[*i], *p;
	size_t j = *i;

	memset(r, 0, sizeof(*r));
	r->t = locate_target_index(L, f->host);
	r->kind = f->kind;
	r->item = f->item;
	r->first = f;
	while (j < L->nrows && L->rows[j].host == f->host &&
	    L->rows[j].kind == f->kind &&
	    strcmp(L->rows[j].item, f->item) == 0) {
		p = &L->rows[j];
		if (r->cell[p->attr] == NULL)
			r->cell[p->attr] = p;
		j++;
	}
	r->end = &L->rows[j];
	*i = j;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Per-target maps: interfaces, bridge ports, VLANs, LLDP ports. */

static int
own_mac(struct locate *L, size_t t, const unsigned char m[6])
{
	if ((m[0] & 1) || locate_mac_zero(m) ||
	    locate_hget(L, NS_OWNMAC, locate_mac48(m), 0, NULL) != NONE)
		return 0;
	return locate_hput(L, NS_OWNMAC, locate_mac48(m), 0, NULL, t);
}

static int
read_interface(struct locate *L, const struct rec *r)
{
	const struct locate_target *t = &L->targets[r->t];
	uint64_t host = (uint64_t)t->host;
	struct iface *f;
	unsigned char m[6];
	const char *n, *rest;
	long v, vlan;

	/* "self": a discovered device's own MAC (netinv.h). */
	if (strcmp(r->item, "bridge") == 0 || strcmp(r->item, "self") == 0)
		return locate_cell_mac(r->cell[A_MAC], m) == 0 ?
		    own_mac(L, r->t, m) : 0;
	/* "bp.vV.N": bridge port N as VLAN V's context numbers it. */
	vlan = locate_item_num(r->item, "bp.v", &rest);
	if (vlan >= 0) {
		v = locate_item_num(rest, ".", NULL);
		if (v < 0 || locate_cell_long(r->cell[A_IFINDEX]) < 0)
			return 0;
		return locate_hput(L, NS_VBP, host,
		    (uint64_t)vlan << 32 | (uint64_t)v, NULL,
		    (size_t)locate_cell_long(r->cell[A_IFINDEX]));
	}
	v = locate_item_num(r->item, "bp.", NULL);
	if (v >= 0) {
		if (locate_cell_long(r->cell[A_IFINDEX]) < 0)
			return 0;
		return locate_hput(L, NS_BP, host, (uint64_t)v, NULL,
		    (size_t)locate_cell_long(r->cell[A_IFINDEX]));
	}
	v = locate_item_num(r->item, "lldploc.", NULL);
	if (v >= 0) {
		if (locate_grow(&L->locs, &L->loccap, L->nlocs,
		    sizeof(*L->locs)))
			return -1;
		L->locs[L->nlocs].port = locate_cell_text(r->cell[A_PORT]);
		L->locs[L->nlocs].portdesc =
		    locate_cell_text(r->cell[A_PORTDESC]);
		return locate_hput(L, NS_LOC, host, (uint64_t)v, NULL,
		    L->nlocs++);
	}
	if (!all_digits(r->item) ||
	    parse_long(r->item, 0, 0x7fffffffL, &v) != 0)
		return 0;
	if (locate_grow(&L->ifs, &L->ifcap, L->nifs, sizeof(*L->ifs)))
		return -1;
	f = &L->ifs[L->nifs];
	f->ifname = locate_cell_text(r->cell[A_IFNAME]);
	f->ifdescr = locate_cell_text(r->cell[A_IFDESCR]);
	if (locate_hput(L, NS_IF, host, (uint64_t)v, NULL, L->nifs++) != 0)
		return -1;
	/* Names, for LLDP local ports that name their interface. */
	n = locate_alower(L, f->ifname);
	if (n != NULL && locate_hget(L, NS_IFNAME, host, 0, n) == NONE &&
	    locate_hput(L, NS_IFNAME, host, 0, n, (size_t)v) != 0)
		return -1;
	n = locate_alower(L, f->ifdescr);
	if (n != NULL && locate_hget(L, NS_IFNAME, host, 0, n) == NONE &&
	    locate_hput(L, NS_IFNAME, host, 0, n, (size_t)v) != 0)
		return -1;
	if (locate_cell_mac(r->cell[A_MAC], m) == 0)
		return own_mac(L, r->t, m);
	return 0;
}

/* The first pass: what a target says about itself. */
static int
read_self(struct locate *L, const struct rec *r)
{
	long v, fdbid;
	size_t old;

	if (r->t == NONE)
		return 0;
	if (r->kind == OBS_SYSTEM) {
		if (locate_cell_text(r->cell[A_NAME]) != NULL &&
		    L->tsysname[r->t] == NULL)
			L->tsysname[r->t] = locate_cell_text(r->cell[A_NAME]);
		return 0;
	}
	if (r->kind == OBS_INTERFACE)
		return read_interface(L, r);
	v = locate_item_num(r->item, "vlan.", NULL);
	if (v < 0)
		return 0;
	fdbid = locate_cell_long(r->cell[A_FDBID]);
	if (fdbid < 0)
		return 0;
	L->tvlanmap[r->t] = 1;
	/* Shared learning: several VLANs, one database; the lowest names it. */
	old = locate_hget(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
	    (uint64_t)fdbid, NULL);
	if (old != NONE && old <= (size_t)v)
		return 0;
	return locate_hput(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
	    (uint64_t)fdbid, NULL, (size_t)v);
}

/* ------------------------------------------------------------------ */
/* Ports. */

const char *
locate_if_label(struct locate *L, size_t t, long ifindex)
{
	size_t i = locate_hget(L, NS_IF, (uint64_t)L->targets[t].host,
	    (uint64_t)ifindex, NULL);

	if (i != NONE && L->ifs[i].ifname != NULL)
		return L->ifs[i].ifname;
	if (i != NONE && L->ifs[i].ifdescr != NULL)
		return L->ifs[i].ifdescr;
	return locate_aprintf(L, "ifIndex %ld", ifindex);
}

static long
bp_ifindex(const struct locate *L, size_t t, long bp)
{
	size_t v = locate_hget(L, NS_BP, (uint64_t)L->targets[t].host,
	    (uint64_t)bp, NULL);

	return v == NONE ? -1 : (long)v;
}

/*
 * The ifIndex of LLDP local port lp: lldpLocPortId or lldpLocPortDesc
 * naming an interface, else the bridge port of that number (LLDP-MIB's
 * LldpPortNumber is dot1dBasePort on a bridge), else the ifIndex of that
 * number; -1 when none fits.
 */
static long
lldp_ifindex(struct locate *L, size_t t, long lp)
{
	uint64_t host = (uint64_t)L->targets[t].host;
	size_t i = locate_hget(L, NS_LOC, host, (uint64_t)lp, NULL);
	size_t v = NONE;
	const char *n;

	if (i != NONE) {
		n = locate_alower(L, L->locs[i].port);
		if (n != NULL)
			v = locate_hget(L, NS_IFNAME, host, 0, n);
		n = locate_alower(L, L->locs[i].portdesc);
		if (v == NONE && n != NULL)
			v = locate_hget(L, NS_IFNAME, host, 0, n);
		if (v != NONE)
			return (long)v;
	}
	if (bp_ifindex(L, t, lp) >= 0)
		return bp_ifindex(L, t, lp);
	if (locate_hget(L, NS_IF, host, (uint64_t)lp, NULL) != NONE)
		return lp;
	return -1;
}

/* The port of target t, by ifIndex, else bridge port, else LLDP port. */
static size_t
port_get(struct locate *L, size_t t, long ifindex, long bp, long lp)
{
	uint64_t host = (uint64_t)L->targets[t].host, key;
	struct lport *p;
	size_t i, li;

	key = ifindex >= 0 ? (1ULL << 40) | (uint64_t)ifindex :
	    bp >= 0 ? (2ULL << 40) | (uint64_t)bp : (3ULL << 40) | (uint64_t)lp;
	i = locate_hget(L, NS_PORT, host, key, NULL);
	if (i != NONE)
		return i;
	if (locate_grow(&L->ports, &L->portcap, L->nports, sizeof(*L->ports)))
		return NONE;
	p = &L->ports[L->nports];
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->ifindex = ifindex;
	p->bp = bp;
	p->lp = lp;
	if (ifindex >= 0)
		p->label = locate_if_label(L, t, ifindex);
	else if (bp >= 0)
		p->label = locate_aprintf(L, "bridge port %ld", bp);
	else {
		li = locate_hget(L, NS_LOC, host, (uint64_t)lp, NULL);
		p->label = li != NONE && L->locs[li].port != NULL ?
		    L->locs[li].port : li != NONE &&
		    L->locs[li].portdesc != NULL ? L->locs[li].portdesc :
		    locate_aprintf(L, "LLDP port %ld", lp);
	}
	if (p->label == NULL || locate_hput(L, NS_PORT, host, key, NULL,
	    L->nports) != 0)
		return NONE;
	return L->nports++;
}

/* ------------------------------------------------------------------ */
/* Entries: FDB, ARP, LLDP and CDP neighbours. */

/* Is a MAC from a table a device?  Counts the ones skipped. */
static int
mac_usable(struct locate *L, size_t t, const unsigned char m[6])
{
	uint64_t k = locate_mac48(m);

	if (locate_mac_zero(m))
		return 0;
	if (m[0] & 1) {
		if (locate_hget(L, NS_SKIP, k, 0, NULL) == NONE) {
			L->stats.multicast++;
			(void)locate_hput(L, NS_SKIP, k, 0, NULL, 0);
		}
		return 0;
	}
	if (m[0] & 2) {
		L->tstats[t].randomised++;
		if (locate_hget(L, NS_SKIP, k, 0, NULL) == NONE) {
			L->stats.randomised++;
			(void)locate_hput(L, NS_SKIP, k, 0, NULL, 0);
		}
		return 0;
	}
	/* The target's own interfaces are not devices behind it. */
	return locate_hget(L, NS_OWNMAC, k, 0, NULL) != t;
}

static int
read_fdb(struct locate *L, const struct rec *r)
{
	struct fdbent *e;
	unsigned char m[6];
	long bp, fdbid, ctxvlan, ifindex;
	size_t port, v;

	L->tstats[r->t].fdb++;
	bp = locate_cell_long(r->cell[A_BRIDGEPORT]);
	fdbid = locate_cell_long(r->cell[A_FDBID]);
	/* "fdb.vV.MAC": read in VLAN V's context (community@V, vlan-V). */
	ctxvlan = locate_item_num(r->item, "fdb.v", NULL);
	/* Port 0: the bridge itself, or not known. */
	if (bp <= 0 || locate_cell_mac(r->cell[A_MAC], m) != 0 ||
	    locate_mac_zero(m))
		return 0;
	if (m[0] & 1)
		return mac_usable(L, r->t, m);	/* counted, never a device */
	ifindex = -1;
	if (ctxvlan >= 0) {
		v = locate_hget(L, NS_VBP, (uint64_t)L->targets[r->t].host,
		    (uint64_t)ctxvlan << 32 | (uint64_t)bp, NULL);
		if (v != NONE)
			ifindex = (long)v;
	}
	if (ifindex < 0)
		ifindex = bp_ifindex(L, r->t, bp);
	port = port_get(L, r->t, ifindex, bp, -1);
	if (port == NONE)
		return -1;
	if (locate_hget(L, NS_PORTMAC, port, locate_mac48(m), NULL) == NONE) {
		if (locate_hput(L, NS_PORTMAC, port, locate_mac48(m), NULL,
		    0) != 0)
			return -1;
		L->ports[port].nmacs++;
	}
	if (!mac_usable(L, r->t, m))
		return 0;
	if (locate_grow(&L->fdb, &L->fdbcap, L->nfdb, sizeof(*L->fdb)))
		return -1;
	e = &L->fdb[L->nfdb++];
	e->t = r->t;
	e->port = port;
	memcpy(e->mac, m, 6);
	e->vlan = ctxvlan;
	e->vlan_is_fdbid = 0;
	if (ctxvlan < 0 && fdbid >= 0) {
		v = locate_hget(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
		    (uint64_t)fdbid, NULL);
		e->vlan = v != NONE ? (long)v : fdbid;
		e->vlan_is_fdbid = v == NONE;
	}
	e->src = r->cell[A_BRIDGEPORT]->src;
	return 0;
}

static int
read_arp(struct locate *L, const struct rec *r)
{
	struct arpent *e;
	unsigned char m[6];
	const char *ip = locate_cell_text(r->cell[A_IP]);
	size_t old;

	L->tstats[r->t].arp++;
	if (ip == NULL || locate_cell_mac(r->cell[A_MAC], m) != 0 ||
	    !mac_usable(L, r->t, m))
		return 0;
	if (locate_grow(&L->arp, &L->arpcap, L->narp, sizeof(*L->arp)))
		return -1;
	e = &L->arp[L->narp];
	e->t = r->t;
	memcpy(e->mac, m, 6);
	e->ifindex = locate_cell_long(r->cell[A_IFINDEX]);
	e->ip = ip;
	e->src = r->cell[A_MAC]->src;
	/* Which MAC has this IP: one, or AMBIGUOUS (stale entries). */
	old = locate_hget(L, NS_ARPIP, 0, 0, ip);
	if (old == NONE)
		old = L->narp;
	else if (old != AMBIGUOUS && memcmp(L->arp[old].mac, m, 6) != 0)
		old = AMBIGUOUS;
	if (locate_hput(L, NS_ARPIP, 0, 0, ip, old) != 0)
		return -1;
	L->narp++;
	return 0;
}

/* LLDP: router, or bridge/repeater that is not a phone's PC port. */
static int
lldp_switchlike(const struct lrow *caps)
{
	unsigned c;

	if (caps == NULL || caps->len == 0)
		return 0;
	c = caps->val[0];
	if (c & LLDP_CAP_ROUTER)
		return 1;
	return (c & (LLDP_CAP_BRIDGE | LLDP_CAP_REPEATER)) != 0 &&
	    !(c & LLDP_CAP_TELEPHONE);
}

static int
cdp_switchlike(const struct lrow *caps)
{
	unsigned long c = 0;
	size_t i;

	if (caps == NULL)
		return 0;
	for (i = 0; i < caps->len && i < 4; i++)
		c = c << 8 | caps->val[i];
	if (c & CDP_CAP_ROUTER)
		return 1;
	return (c & (CDP_CAP_BRIDGES | CDP_CAP_SWITCH | CDP_CAP_REPEATER)) !=
	    0 && !(c & CDP_CAP_PHONE);
}

/* A chassis ID that is not a MAC, as text (printable, else hex). */
static const char *
chassis_text(struct locate *L, const struct lrow *c)
{
	char buf[2 * 64 + 3];
	size_t i;

	if (c == NULL || c->len == 0)
		return NULL;
	for (i = 0; i < c->len; i++)
		if (c->val[i] < 0x20 || c->val[i] >= 0x7f)
			break;
	if (i == c->len)
		return locate_adup(L, c->val, c->len);
	buf[0] = '0';
	buf[1] = 'x';
	hex_encode(c->val, c->len > 64 ? 64 : c->len, buf + 2);
	return locate_astr(L, buf);
}

static int
read_neighbour(struct locate *L, const struct rec *r, enum locate_table tb)
{
	struct nbent *e;
	const struct lrow *c, *p;
	long lp, ctype;
	char ip[INET6_ADDRSTRLEN];

	if (locate_grow(&L->nb, &L->nbcap, L->nnb, sizeof(*L->nb)))
		return -1;
	e = &L->nb[L->nnb];
	memset(e, 0, sizeof(*e));
	e->t = r->t;
	e->table = tb;
	e->sysname = locate_cell_text(r->cell[A_SYSNAME]);
	e->sysdesc = locate_cell_text(r->cell[A_SYSDESC]);
	e->platform = locate_cell_text(r->cell[A_PLATFORM]);
	e->sysname_src = e->sysname ? r->cell[A_SYSNAME]->src : NULL;
	e->sysdesc_src = e->sysdesc ? r->cell[A_SYSDESC]->src : NULL;
	e->platform_src = e->platform ? r->cell[A_PLATFORM]->src : NULL;
	for (p = r->first; p < r->end && e->nips < NELEM(e->ips); p++)
		if (p->attr == A_IP && p->vtype == VAL_IPADDR && p->len > 0)
			e->ips[e->nips++] = (const char *)p->val;
	if (tb == LOCATE_LLDP) {
		L->tstats[r->t].lldp++;
		lp = locate_cell_long(r->cell[A_LOCALPORT]);
		if (lp < 0)
			lp = locate_item_num(r->item, "lldp.", NULL);
		if (lp < 0)
			return 0;
		e->port = port_get(L, r->t, lldp_ifindex(L, r->t, lp), -1,
		    lp);
		if (e->port == NONE)
			return -1;	/* out of memory */
		e->ifindex = L->ports[e->port].ifindex;
		c = r->cell[A_CHASSIS];
		ctype = locate_cell_long(r->cell[A_CHASSISTYPE]);
		/* macAddress(4); without the subtype, 6 octets are a MAC. */
		if (c != NULL && c->len == 6 && c->vtype == VAL_HEX &&
		    (ctype == 4 || ctype < 0)) {
			memcpy(e->mac, c->val, 6);
			e->has_mac = !(e->mac[0] & 1) &&
			    !locate_mac_zero(e->mac);
		} else if (c != NULL && ctype == 5 && c->len == 5 &&
		    c->val[0] == 1 && e->nips < NELEM(e->ips)) {
			/* networkAddress: IANA family ipV4(1), 4 octets. */
			if (inet_ntop(AF_INET, c->val + 1, ip, sizeof(ip)))
				e->ips[e->nips++] = locate_astr(L, ip);
		} else
			e->chassis = chassis_text(L, c);
		e->switchlike = lldp_switchlike(r->cell[A_CAPS]);
		e->src = c != NULL ? c->src : r->first->src;
	} else {
		L->tstats[r->t].cdp++;
		e->ifindex = locate_cell_long(r->cell[A_IFINDEX]);
		if (e->ifindex < 0)
			e->ifindex = locate_item_num(r->item, "cdp.", NULL);
		if (e->ifindex < 0)
			return 0;
		e->port = port_get(L, r->t, e->ifindex, -1, -1);
		e->switchlike = cdp_switchlike(r->cell[A_CAPS]);
		e->src = e->sysname_src != NULL ? e->sysname_src :
		    r->first->src;
	}
	if (e->port == NONE)
		return -1;
	if (!e->has_mac && e->nips == 0 && e->sysname == NULL &&
	    e->chassis == NULL)
		return 0;	/* nothing to know it by */
	L->nnb++;
	return 0;
}

/* The second pass: what a target's tables say about others. */
static int
read_others(struct locate *L, const struct rec *r)
{
	if (r->t == NONE || r->kind != OBS_NEIGHBOR)
		return 0;
	if (locate_prefixed(r->item, "fdb."))
		return read_fdb(L, r);
	if (locate_prefixed(r->item, "arp."))
		return read_arp(L, r);
	if (locate_prefixed(r->item, "lldp."))
		return read_neighbour(L, r, LOCATE_LLDP);
	if (locate_prefixed(r->item, "cdp."))
		return read_neighbour(L, r, LOCATE_CDP);
	return 0;
}

/* Targets by address and by sysName (AMBIGUOUS when two share one). */
static int
index_targets(struct locate *L)
{
	char host[ADDR_HOST_MAX];
	const char *a, *n;
	size_t t, old;

	for (t = 0; t < L->ntargets; t++) {
		/*
		 * A target's address may carry a port (target_hostport());
		 * neighbour tables name the IP alone.  Of two targets on one
		 * IP (a port-forwarding device), the first keeps the IP.
		 */
		addr_host_of(L->targets[t].h.address, host, sizeof(host));
		a = locate_alower(L, host);
		if (a == NULL)
			return -1;
		old = a[0] != '\0' ? locate_hget(L, NS_TADDR, 0, 0, a) : t;
		if (old == NONE && locate_hput(L, NS_TADDR, 0, 0, a, t) != 0)
			return -1;
		if (L->tsysname[t] != NULL && L->targets[t].h.name == NULL)
			L->targets[t].h.name = L->tsysname[t];
		n = locate_alower(L, L->tsysname[t] != NULL ? L->tsysname[t] :
		    L->targets[t].h.name);
		if (n == NULL || n[0] == '\0')
			continue;
		old = locate_hget(L, NS_TNAME, 0, 0, n);
		if (locate_hput(L, NS_TNAME, 0, 0, n,
		    old == NONE || old == t ? t : AMBIGUOUS) != 0)
			return -1;
	}
	return 0;
}

int
locate_read_tables(struct locate *L)
{
	struct rec r;
	size_t i;

	if (L->nrows > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(L->rows, L->nrows, sizeof(*L->rows), row_cmp);
	for (i = 0; i < L->nrows;) {
		rec_next(L, &i, &r);
		if (read_self(L, &r) != 0)
			return -1;
	}
	if (index_targets(L) != 0)
		return -1;
	for (i = 0; i < L->nrows;) {
		rec_next(L, &i, &r);
		if (read_others(L, &r) != 0)
			return -1;
	}
	return 0;
}
