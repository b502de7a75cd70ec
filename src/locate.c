/*
 * locate: the pure join (locate.h).  Rows are copied into an arena, sorted
 * into table rows (host, kind, item), read into per-target maps
 * (interfaces, bridge ports, VLANs, LLDP local ports, own MACs), then
 * into FDB, ARP and neighbour entries, ports and their verdicts, and
 * finally devices.  One hash map with namespaced keys serves every look-up.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static const char *const lattr_names[A__COUNT] = {
	"mac", "ip", "ifindex", "ifname", "ifdescr", "bridgeport", "fdbid",
	"vlan", "localport", "chassis", "chassistype", "port", "portdesc",
	"sysname", "sysdesc", "platform", "caps", "name",
};

/* Hash map namespaces. */
enum ns {
	NS_TARGET = 1, NS_IF, NS_IFNAME, NS_BP, NS_VLAN, NS_LOC, NS_OWNMAC,
	NS_TADDR, NS_TNAME, NS_PORT, NS_PORTMAC, NS_DEVMAC, NS_DEVKEY,
	NS_ARPIP, NS_SKIP, NS_DEVIP, NS_TARGETDEV
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

/* ------------------------------------------------------------------ */
/* Memory. */

static void *
arena(struct locate *L, size_t n)
{
	struct block *b = L->blocks;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (b == NULL || b->used + n > b->cap) {
		size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = L->blocks;
		L->blocks = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

static char *
adup(struct locate *L, const void *p, size_t n)
{
	char *d = arena(L, n + 1);

	if (d == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static const char *
astr(struct locate *L, const char *s)
{
	return s == NULL ? NULL : adup(L, s, strlen(s));
}

static const char *
aprintf(struct locate *L, const char *fmt, ...) PRINTF_LIKE(2, 3);

static const char *
aprintf(struct locate *L, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return astr(L, buf);
}

/* Makes room for one more element of size sz in *v (n used, *cap). */
static int
grow(void *vp, size_t *cap, size_t n, size_t sz)
{
	void **v = vp;
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap > 0 ? *cap * 2 : 64;
	nv = realloc(*v, nc * sz);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The hash map: (a, b, c, s) -> v. */

static uint64_t
hkey(uint64_t a, uint64_t b, uint64_t c, const char *s)
{
	uint64_t x = 1469598103934665603ULL;

	x = (x ^ a) * 1099511628211ULL;
	x = (x ^ b) * 1099511628211ULL;
	x = (x ^ c) * 1099511628211ULL;
	for (; s != NULL && *s != '\0'; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ULL;
	return x ^ (x >> 29);
}

static int
heq(const struct hent *e, uint64_t a, uint64_t b, uint64_t c, const char *s)
{
	if (e->a != a || e->b != b || e->c != c)
		return 0;
	if (e->s == NULL || s == NULL)
		return e->s == s;
	return strcmp(e->s, s) == 0;
}

static struct hent *
hfind(const struct hmap *m, uint64_t a, uint64_t b, uint64_t c,
    const char *s)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = hkey(a, b, c, s) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->e[i].used)
			return NULL;
		if (heq(&m->e[i], a, b, c, s))
			return &m->e[i];
	}
}

static size_t
hget(const struct locate *L, uint64_t a, uint64_t b, uint64_t c,
    const char *s)
{
	const struct hent *e = hfind(&L->map, a, b, c, s);

	return e != NULL ? e->v : NONE;
}

/*
 * Sets (a, b, c, s) to v; s must live as long as the map (arena).
 * Returns 0, or -1 on ENOMEM.
 */
static int
hput(struct locate *L, uint64_t a, uint64_t b, uint64_t c, const char *s,
    size_t v)
{
	struct hmap *m = &L->map;
	struct hent *e, *ne;
	size_t i, j, nc;

	e = hfind(m, a, b, c, s);
	if (e != NULL) {
		e->v = v;
		return 0;
	}
	if (2 * (m->n + 1) > m->cap) {
		nc = m->cap > 0 ? m->cap * 2 : 1024;
		ne = calloc(nc, sizeof(*ne));
		if (ne == NULL)
			return -1;
		for (j = 0; j < m->cap; j++) {
			if (!m->e[j].used)
				continue;
			i = hkey(m->e[j].a, m->e[j].b, m->e[j].c, m->e[j].s) &
			    (nc - 1);
			while (ne[i].used)
				i = (i + 1) & (nc - 1);
			ne[i] = m->e[j];
		}
		free(m->e);
		m->e = ne;
		m->cap = nc;
	}
	i = hkey(a, b, c, s) & (m->cap - 1);
	while (m->e[i].used)
		i = (i + 1) & (m->cap - 1);
	m->e[i].a = a;
	m->e[i].b = b;
	m->e[i].c = c;
	m->e[i].s = s;
	m->e[i].v = v;
	m->e[i].used = 1;
	m->n++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Small helpers. */

static uint64_t
mac48(const unsigned char m[6])
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 |
	    (uint64_t)m[2] << 24 | (uint64_t)m[3] << 16 |
	    (uint64_t)m[4] << 8 | m[5];
}

static int
mac_zero(const unsigned char m[6])
{
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

/* Lower-cased arena copy, for case-insensitive keys. */
static const char *
alower(struct locate *L, const char *s)
{
	char *d;
	size_t i;

	if (s == NULL)
		return NULL;
	d = adup(L, s, strlen(s));
	for (i = 0; d != NULL && d[i] != '\0'; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

/* The value of a cell as text (VAL_HEX cells are not text). */
static const char *
cell_text(const struct lrow *r)
{
	if (r == NULL || r->vtype == VAL_HEX || r->len == 0)
		return NULL;
	return (const char *)r->val;
}

static long
cell_long(const struct lrow *r)
{
	long v;

	if (r == NULL || r->vtype != VAL_INT ||
	    parse_long((const char *)r->val, 0, 0x7fffffffL, &v) != 0)
		return -1;
	return v;
}

static int
cell_mac(const struct lrow *r, unsigned char m[6])
{
	if (r == NULL)
		return -1;
	return mac_parse((const char *)r->val, r->len, m);
}

/* "N" after prefix p in item (up to a '.' or the end), or -1. */
static long
item_num(const char *item, const char *p, const char **rest)
{
	size_t n = strlen(p);
	char buf[16];
	long v;
	size_t k;

	if (strncmp(item, p, n) != 0)
		return -1;
	for (k = 0; item[n + k] != '\0' && item[n + k] != '.' &&
	    k < sizeof(buf) - 1; k++)
		buf[k] = item[n + k];
	buf[k] = '\0';
	if (rest != NULL)
		*rest = item + n + k;
	return parse_long(buf, 0, 0x7fffffffL, &v) == 0 ? v : -1;
}

static int
prefixed(const char *item, const char *p)
{
	return strncmp(item, p, strlen(p)) == 0;
}

/* ------------------------------------------------------------------ */
/* Input. */

int
locate_open(struct locate **out, const struct locate_opts *o, char *err,
    size_t errlen)
{
	struct locate *L;

	*out = NULL;
	L = calloc(1, sizeof(*L));
	if (L == NULL)
		return errf(err, errlen, "out of memory");
	if (o != NULL)
		L->opts = *o;
	if (L->opts.uplink_macs == 0)
		L->opts.uplink_macs = LOCATE_UPLINK_MACS;
	*out = L;
	return 0;
}

static size_t
target_index(const struct locate *L, int64_t host)
{
	return hget(L, NS_TARGET, (uint64_t)host, 0, NULL);
}

int
locate_add_target(struct locate *L, const struct locate_target *t,
    char *err, size_t errlen)
{
	struct locate_target *d;
	size_t i = target_index(L, t->host);

	if (i != NONE) {
		/* A second call fills in what the first lacked. */
		d = &L->targets[i];
		if (d->name == NULL && t->name != NULL)
			d->name = astr(L, t->name);
		if (d->sector == NULL && t->sector != NULL)
			d->sector = astr(L, t->sector);
		if (d->site == NULL && t->site != NULL)
			d->site = astr(L, t->site);
		if (d->owner == NULL && t->owner != NULL)
			d->owner = astr(L, t->owner);
		if (d->criticality == 0)
			d->criticality = t->criticality;
		return 0;
	}
	if (grow(&L->targets, &L->tcap, L->ntargets, sizeof(*L->targets)))
		return errf(err, errlen, "out of memory");
	d = &L->targets[L->ntargets];
	memset(d, 0, sizeof(*d));
	d->host = t->host;
	d->address = astr(L, t->address != NULL ? t->address : "");
	d->name = astr(L, t->name);
	d->sector = astr(L, t->sector);
	d->site = astr(L, t->site);
	d->owner = astr(L, t->owner);
	d->criticality = t->criticality;
	if (d->address == NULL || hput(L, NS_TARGET, (uint64_t)t->host, 0,
	    NULL, L->ntargets) != 0)
		return errf(err, errlen, "out of memory");
	L->ntargets++;
	return 0;
}

static int
keep_attr(enum obs_kind k, const char *attr, enum lattr *out)
{
	size_t i;

	if (k == OBS_SYSTEM) {
		*out = A_NAME;
		return strcmp(attr, "name") == 0;
	}
	if (k != OBS_NEIGHBOR && k != OBS_INTERFACE)
		return 0;
	for (i = 0; i < A_NAME; i++) {
		if (strcmp(lattr_names[i], attr) == 0) {
			*out = (enum lattr)i;
			return 1;
		}
	}
	return 0;
}

int
locate_add_row(struct locate *L, const struct obs_row *r, char *err,
    size_t errlen)
{
	const struct observation *o = &r->obs;
	struct locate_target t;
	struct lrow *d;
	enum lattr a;

	if (r->channel == CHAN_DERIVED || o->attr == NULL ||
	    !keep_attr(o->kind, o->attr, &a) ||
	    (o->kind == OBS_SYSTEM && o->item != NULL && o->item[0] != '\0'))
		return 0;
	if (L->solved)
		return errf(err, errlen, "locate: rows after the join");
	memset(&t, 0, sizeof(t));
	t.host = r->host;
	t.address = r->address;
	t.name = r->host_name;
	t.sector = r->sector;
	t.site = r->site;
	t.criticality = r->criticality;
	if (locate_add_target(L, &t, err, errlen) != 0)
		return -1;
	if (grow(&L->rows, &L->rowcap, L->nrows, sizeof(*L->rows)) != 0)
		return errf(err, errlen, "out of memory");
	d = &L->rows[L->nrows];
	d->host = r->host;
	d->kind = o->kind;
	d->attr = a;
	d->vtype = o->vtype;
	d->len = o->len;
	d->item = adup(L, o->item != NULL ? o->item : "",
	    o->item != NULL ? strlen(o->item) : 0);
	d->val = (const unsigned char *)adup(L, o->value, o->len);
	d->src = adup(L, o->source != NULL ? o->source : "",
	    o->source != NULL ? strlen(o->source) : 0);
	if (d->item == NULL || d->val == NULL || d->src == NULL)
		return errf(err, errlen, "out of memory");
	L->nrows++;
	return 0;
}

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
	r->t = target_index(L, f->host);
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
	if ((m[0] & 1) || mac_zero(m) ||
	    hget(L, NS_OWNMAC, mac48(m), 0, NULL) != NONE)
		return 0;
	return hput(L, NS_OWNMAC, mac48(m), 0, NULL, t);
}

static int
read_interface(struct locate *L, const struct rec *r)
{
	const struct locate_target *t = &L->targets[r->t];
	uint64_t host = (uint64_t)t->host;
	struct iface *f;
	unsigned char m[6];
	const char *n;
	long v;

	if (strcmp(r->item, "bridge") == 0)
		return cell_mac(r->cell[A_MAC], m) == 0 ?
		    own_mac(L, r->t, m) : 0;
	if ((v = item_num(r->item, "bp.", NULL)) >= 0) {
		if (cell_long(r->cell[A_IFINDEX]) < 0)
			return 0;
		return hput(L, NS_BP, host, (uint64_t)v, NULL,
		    (size_t)cell_long(r->cell[A_IFINDEX]));
	}
	if ((v = item_num(r->item, "lldploc.", NULL)) >= 0) {
		if (grow(&L->locs, &L->loccap, L->nlocs, sizeof(*L->locs)))
			return -1;
		L->locs[L->nlocs].port = cell_text(r->cell[A_PORT]);
		L->locs[L->nlocs].portdesc = cell_text(r->cell[A_PORTDESC]);
		return hput(L, NS_LOC, host, (uint64_t)v, NULL, L->nlocs++);
	}
	if (!all_digits(r->item) ||
	    parse_long(r->item, 0, 0x7fffffffL, &v) != 0)
		return 0;
	if (grow(&L->ifs, &L->ifcap, L->nifs, sizeof(*L->ifs)))
		return -1;
	f = &L->ifs[L->nifs];
	f->ifname = cell_text(r->cell[A_IFNAME]);
	f->ifdescr = cell_text(r->cell[A_IFDESCR]);
	if (hput(L, NS_IF, host, (uint64_t)v, NULL, L->nifs++) != 0)
		return -1;
	/* Names, for LLDP local ports that name their interface. */
	n = alower(L, f->ifname);
	if (n != NULL && hget(L, NS_IFNAME, host, 0, n) == NONE &&
	    hput(L, NS_IFNAME, host, 0, n, (size_t)v) != 0)
		return -1;
	n = alower(L, f->ifdescr);
	if (n != NULL && hget(L, NS_IFNAME, host, 0, n) == NONE &&
	    hput(L, NS_IFNAME, host, 0, n, (size_t)v) != 0)
		return -1;
	if (cell_mac(r->cell[A_MAC], m) == 0)
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
		if (cell_text(r->cell[A_NAME]) != NULL &&
		    L->tsysname[r->t] == NULL)
			L->tsysname[r->t] = cell_text(r->cell[A_NAME]);
		return 0;
	}
	if (r->kind == OBS_INTERFACE)
		return read_interface(L, r);
	if ((v = item_num(r->item, "vlan.", NULL)) < 0)
		return 0;
	fdbid = cell_long(r->cell[A_FDBID]);
	if (fdbid < 0)
		return 0;
	L->tvlanmap[r->t] = 1;
	/* Shared learning: several VLANs, one database; the lowest names it. */
	old = hget(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
	    (uint64_t)fdbid, NULL);
	if (old != NONE && old <= (size_t)v)
		return 0;
	return hput(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
	    (uint64_t)fdbid, NULL, (size_t)v);
}

/* ------------------------------------------------------------------ */
/* Ports. */

static const char *
if_label(struct locate *L, size_t t, long ifindex)
{
	size_t i = hget(L, NS_IF, (uint64_t)L->targets[t].host,
	    (uint64_t)ifindex, NULL);

	if (i != NONE && L->ifs[i].ifname != NULL)
		return L->ifs[i].ifname;
	if (i != NONE && L->ifs[i].ifdescr != NULL)
		return L->ifs[i].ifdescr;
	return aprintf(L, "ifIndex %ld", ifindex);
}

static long
bp_ifindex(const struct locate *L, size_t t, long bp)
{
	size_t v = hget(L, NS_BP, (uint64_t)L->targets[t].host, (uint64_t)bp,
	    NULL);

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
	size_t i = hget(L, NS_LOC, host, (uint64_t)lp, NULL), v;
	const char *n;
	long ix;

	if (i != NONE) {
		n = alower(L, L->locs[i].port);
		if (n != NULL &&
		    (v = hget(L, NS_IFNAME, host, 0, n)) != NONE)
			return (long)v;
		n = alower(L, L->locs[i].portdesc);
		if (n != NULL &&
		    (v = hget(L, NS_IFNAME, host, 0, n)) != NONE)
			return (long)v;
	}
	if ((ix = bp_ifindex(L, t, lp)) >= 0)
		return ix;
	if (hget(L, NS_IF, host, (uint64_t)lp, NULL) != NONE)
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
	i = hget(L, NS_PORT, host, key, NULL);
	if (i != NONE)
		return i;
	if (grow(&L->ports, &L->portcap, L->nports, sizeof(*L->ports)))
		return NONE;
	p = &L->ports[L->nports];
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->ifindex = ifindex;
	p->bp = bp;
	p->lp = lp;
	if (ifindex >= 0)
		p->label = if_label(L, t, ifindex);
	else if (bp >= 0)
		p->label = aprintf(L, "bridge port %ld", bp);
	else {
		li = hget(L, NS_LOC, host, (uint64_t)lp, NULL);
		p->label = li != NONE && L->locs[li].port != NULL ?
		    L->locs[li].port : li != NONE &&
		    L->locs[li].portdesc != NULL ? L->locs[li].portdesc :
		    aprintf(L, "LLDP port %ld", lp);
	}
	if (p->label == NULL || hput(L, NS_PORT, host, key, NULL,
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
	uint64_t k = mac48(m);

	if (mac_zero(m))
		return 0;
	if (m[0] & 1) {
		if (hget(L, NS_SKIP, k, 0, NULL) == NONE) {
			L->stats.multicast++;
			(void)hput(L, NS_SKIP, k, 0, NULL, 0);
		}
		return 0;
	}
	if (m[0] & 2) {
		L->tstats[t].randomised++;
		if (hget(L, NS_SKIP, k, 0, NULL) == NONE) {
			L->stats.randomised++;
			(void)hput(L, NS_SKIP, k, 0, NULL, 0);
		}
		return 0;
	}
	/* The target's own interfaces are not devices behind it. */
	return hget(L, NS_OWNMAC, k, 0, NULL) != t;
}

static int
read_fdb(struct locate *L, const struct rec *r)
{
	struct fdbent *e;
	unsigned char m[6];
	long bp, fdbid;
	size_t port, v;

	L->tstats[r->t].fdb++;
	bp = cell_long(r->cell[A_BRIDGEPORT]);
	fdbid = cell_long(r->cell[A_FDBID]);
	/* Port 0: the bridge itself, or not known. */
	if (bp <= 0 || cell_mac(r->cell[A_MAC], m) != 0 || mac_zero(m))
		return 0;
	if (m[0] & 1)
		return mac_usable(L, r->t, m);	/* counted, never a device */
	port = port_get(L, r->t, bp_ifindex(L, r->t, bp), bp, -1);
	if (port == NONE)
		return -1;
	if (hget(L, NS_PORTMAC, port, mac48(m), NULL) == NONE) {
		if (hput(L, NS_PORTMAC, port, mac48(m), NULL, 0) != 0)
			return -1;
		L->ports[port].nmacs++;
	}
	if (!mac_usable(L, r->t, m))
		return 0;
	if (grow(&L->fdb, &L->fdbcap, L->nfdb, sizeof(*L->fdb)))
		return -1;
	e = &L->fdb[L->nfdb++];
	e->t = r->t;
	e->port = port;
	memcpy(e->mac, m, 6);
	e->vlan = -1;
	e->vlan_is_fdbid = 0;
	if (fdbid >= 0) {
		v = hget(L, NS_VLAN, (uint64_t)L->targets[r->t].host,
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
	const char *ip = cell_text(r->cell[A_IP]);
	size_t old;

	L->tstats[r->t].arp++;
	if (ip == NULL || cell_mac(r->cell[A_MAC], m) != 0 ||
	    !mac_usable(L, r->t, m))
		return 0;
	if (grow(&L->arp, &L->arpcap, L->narp, sizeof(*L->arp)))
		return -1;
	e = &L->arp[L->narp];
	e->t = r->t;
	memcpy(e->mac, m, 6);
	e->ifindex = cell_long(r->cell[A_IFINDEX]);
	e->ip = ip;
	e->src = r->cell[A_MAC]->src;
	/* Which MAC has this IP: one, or AMBIGUOUS (stale entries). */
	old = hget(L, NS_ARPIP, 0, 0, ip);
	if (old == NONE)
		old = L->narp;
	else if (old != AMBIGUOUS && memcmp(L->arp[old].mac, m, 6) != 0)
		old = AMBIGUOUS;
	if (hput(L, NS_ARPIP, 0, 0, ip, old) != 0)
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
		return adup(L, c->val, c->len);
	buf[0] = '0';
	buf[1] = 'x';
	hex_encode(c->val, c->len > 64 ? 64 : c->len, buf + 2);
	return astr(L, buf);
}

static int
read_neighbour(struct locate *L, const struct rec *r, enum locate_table tb)
{
	struct nbent *e;
	const struct lrow *c, *p;
	long lp, ctype;
	char ip[INET6_ADDRSTRLEN];

	if (grow(&L->nb, &L->nbcap, L->nnb, sizeof(*L->nb)))
		return -1;
	e = &L->nb[L->nnb];
	memset(e, 0, sizeof(*e));
	e->t = r->t;
	e->table = tb;
	e->sysname = cell_text(r->cell[A_SYSNAME]);
	e->sysdesc = cell_text(r->cell[A_SYSDESC]);
	e->platform = cell_text(r->cell[A_PLATFORM]);
	e->sysname_src = e->sysname ? r->cell[A_SYSNAME]->src : NULL;
	e->sysdesc_src = e->sysdesc ? r->cell[A_SYSDESC]->src : NULL;
	e->platform_src = e->platform ? r->cell[A_PLATFORM]->src : NULL;
	for (p = r->first; p < r->end && e->nips < NELEM(e->ips); p++)
		if (p->attr == A_IP && p->vtype == VAL_IPADDR && p->len > 0)
			e->ips[e->nips++] = (const char *)p->val;
	if (tb == LOCATE_LLDP) {
		L->tstats[r->t].lldp++;
		lp = cell_long(r->cell[A_LOCALPORT]);
		if (lp < 0)
			lp = item_num(r->item, "lldp.", NULL);
		if (lp < 0)
			return 0;
		e->port = port_get(L, r->t, lldp_ifindex(L, r->t, lp), -1,
		    lp);
		e->ifindex = L->ports[e->port].ifindex;
		c = r->cell[A_CHASSIS];
		ctype = cell_long(r->cell[A_CHASSISTYPE]);
		/* macAddress(4); without the subtype, 6 octets are a MAC. */
		if (c != NULL && c->len == 6 && c->vtype == VAL_HEX &&
		    (ctype == 4 || ctype < 0)) {
			memcpy(e->mac, c->val, 6);
			e->has_mac = !(e->mac[0] & 1) && !mac_zero(e->mac);
		} else if (c != NULL && ctype == 5 && c->len == 5 &&
		    c->val[0] == 1 && e->nips < NELEM(e->ips)) {
			/* networkAddress: IANA family ipV4(1), 4 octets. */
			if (inet_ntop(AF_INET, c->val + 1, ip, sizeof(ip)))
				e->ips[e->nips++] = astr(L, ip);
		} else
			e->chassis = chassis_text(L, c);
		e->switchlike = lldp_switchlike(r->cell[A_CAPS]);
		e->src = c != NULL ? c->src : r->first->src;
	} else {
		L->tstats[r->t].cdp++;
		e->ifindex = cell_long(r->cell[A_IFINDEX]);
		if (e->ifindex < 0)
			e->ifindex = item_num(r->item, "cdp.", NULL);
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
	if (prefixed(r->item, "fdb."))
		return read_fdb(L, r);
	if (prefixed(r->item, "arp."))
		return read_arp(L, r);
	if (prefixed(r->item, "lldp."))
		return read_neighbour(L, r, LOCATE_LLDP);
	if (prefixed(r->item, "cdp."))
		return read_neighbour(L, r, LOCATE_CDP);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Devices. */

static size_t
dev_find(struct locate *L, size_t d)
{
	size_t r = d, n;

	while (L->devs[r].parent != NONE)
		r = L->devs[r].parent;
	while (L->devs[d].parent != NONE) {	/* path compression */
		n = L->devs[d].parent;
		L->devs[d].parent = r;
		d = n;
	}
	return r;
}

static size_t
dev_new(struct locate *L)
{
	struct ldev *d;

	if (grow(&L->devs, &L->devcap, L->ndevs, sizeof(*L->devs)))
		return NONE;
	d = &L->devs[L->ndevs];
	memset(d, 0, sizeof(*d));
	d->parent = NONE;
	d->pub.edge = NONE;
	d->pub.target = NONE;
	d->pub.via = NONE;
	return L->ndevs++;
}

/* The device of MAC m, created when new. */
static size_t
dev_mac(struct locate *L, const unsigned char m[6], const char *src)
{
	size_t d = hget(L, NS_DEVMAC, mac48(m), 0, NULL);

	if (d != NONE)
		return dev_find(L, d);
	d = dev_new(L);
	if (d == NONE || hput(L, NS_DEVMAC, mac48(m), 0, NULL, d) != 0)
		return NONE;
	memcpy(L->devs[d].pub.mac, m, 6);
	L->devs[d].pub.has_mac = 1;
	L->devs[d].pub.mac_source = src;
	return d;
}

/* The device known by key (a MAC-less neighbour), created when new. */
static size_t
dev_key(struct locate *L, const char *key)
{
	size_t d = hget(L, NS_DEVKEY, 0, 0, key);

	if (d != NONE)
		return dev_find(L, d);
	d = dev_new(L);
	if (d == NONE || hput(L, NS_DEVKEY, 0, 0, key, d) != 0)
		return NONE;
	return d;
}

static int
dev_ip(struct locate *L, size_t d, const char *ip, const char *src)
{
	struct ldev *v = &L->devs[d];

	if (hget(L, NS_DEVIP, d, 0, ip) != NONE)
		return 0;
	if (hput(L, NS_DEVIP, d, 0, ip, 0) != 0 ||
	    grow(&v->pub.ips, &v->ipcap, v->pub.nips, sizeof(*v->pub.ips)))
		return -1;
	v->pub.ips[v->pub.nips].ip = ip;
	v->pub.ips[v->pub.nips].source = src;
	v->pub.nips++;
	return 0;
}

static struct locate_sighting *
dev_seen(struct locate *L, size_t d, size_t t, enum locate_table tb,
    const char *src)
{
	struct ldev *v = &L->devs[d];
	struct locate_sighting *s;

	if (grow(&v->pub.seen, &v->seencap, v->pub.nseen,
	    sizeof(*v->pub.seen)))
		return NULL;
	s = &v->pub.seen[v->pub.nseen++];
	memset(s, 0, sizeof(*s));
	s->target = t;
	s->table = tb;
	s->ifindex = s->bridgeport = s->vlan = -1;
	s->source = src;
	return s;
}

static void
dev_port(struct locate *L, struct locate_sighting *s, size_t port)
{
	const struct lport *p = &L->ports[port];

	s->ifindex = p->ifindex;
	s->bridgeport = p->bp;
	s->port = p->label;
	s->uplink = p->uplink;
	s->port_macs = p->nmacs;
	s->why = p->why;
}

static int
dev_xmac(struct locate *L, struct ldev *v, const unsigned char m[6])
{
	if (grow(&v->xmac, &v->xmaccap, v->nxmac, sizeof(*v->xmac)))
		return -1;
	memcpy(v->xmac[v->nxmac++], m, 6);
	(void)L;
	return 0;
}

#define TAKE(f)	do { if (a->pub.f == NULL) a->pub.f = b->pub.f; } while (0)

/* Joins device from into device into (both roots). */
static int
dev_merge(struct locate *L, size_t into, size_t from)
{
	struct ldev *a = &L->devs[into], *b = &L->devs[from];
	size_t i;

	if (into == from)
		return 0;
	for (i = 0; i < b->pub.nips; i++)
		if (dev_ip(L, into, b->pub.ips[i].ip,
		    b->pub.ips[i].source) != 0)
			return -1;
	for (i = 0; i < b->pub.nseen; i++) {
		if (grow(&a->pub.seen, &a->seencap, a->pub.nseen,
		    sizeof(*a->pub.seen)))
			return -1;
		a->pub.seen[a->pub.nseen++] = b->pub.seen[i];
	}
	if (b->pub.has_mac && !a->pub.has_mac) {
		memcpy(a->pub.mac, b->pub.mac, 6);
		a->pub.has_mac = 1;
		a->pub.mac_source = b->pub.mac_source;
	} else if (b->pub.has_mac && dev_xmac(L, a, b->pub.mac) != 0)
		return -1;
	for (i = 0; i < b->nxmac; i++)
		if (dev_xmac(L, a, b->xmac[i]) != 0)
			return -1;
	TAKE(sysname);
	TAKE(sysname_source);
	TAKE(sysdesc);
	TAKE(sysdesc_source);
	TAKE(platform);
	TAKE(platform_source);
	TAKE(chassis);
	if (a->pub.target == NONE)
		a->pub.target = b->pub.target;
	b->parent = into;
	b->pub.nseen = b->pub.nips = 0;
	return 0;
}

/* A neighbour's device: its MAC, the MAC of its address, or a key. */
static size_t
nb_device(struct locate *L, const struct nbent *e)
{
	const char *key = NULL;
	size_t i, a;

	if (e->has_mac)
		return dev_mac(L, e->mac, e->src);
	for (i = 0; i < e->nips; i++) {
		a = hget(L, NS_ARPIP, 0, 0, e->ips[i]);
		if (a != NONE && a != AMBIGUOUS)
			return dev_mac(L, L->arp[a].mac, L->arp[a].src);
	}
	if (e->nips > 0)
		key = aprintf(L, "ip:%s", e->ips[0]);
	else if (e->sysname != NULL)
		key = aprintf(L, "name:%s", alower(L, e->sysname));
	else
		key = aprintf(L, "chassis:%s", e->chassis);
	return key != NULL ? dev_key(L, key) : NONE;
}

static int
add_neighbours(struct locate *L)
{
	struct locate_sighting *s;
	struct ldev *v;
	const struct nbent *e;
	size_t i, k, d;

	for (i = 0; i < L->nnb; i++) {
		e = &L->nb[i];
		d = nb_device(L, e);
		if (d == NONE)
			return -1;
		v = &L->devs[d];
		if (v->pub.sysname == NULL) {
			v->pub.sysname = e->sysname;
			v->pub.sysname_source = e->sysname_src;
		}
		if (v->pub.sysdesc == NULL) {
			v->pub.sysdesc = e->sysdesc;
			v->pub.sysdesc_source = e->sysdesc_src;
		}
		if (v->pub.platform == NULL) {
			v->pub.platform = e->platform;
			v->pub.platform_source = e->platform_src;
		}
		if (v->pub.chassis == NULL)
			v->pub.chassis = e->chassis;
		for (k = 0; k < e->nips; k++)
			if (dev_ip(L, d, e->ips[k], e->src) != 0)
				return -1;
		s = dev_seen(L, d, e->t, e->table, e->src);
		if (s == NULL)
			return -1;
		dev_port(L, s, e->port);
	}
	return 0;
}

static int
add_fdb_arp(struct locate *L)
{
	struct locate_sighting *s;
	size_t i, d;

	for (i = 0; i < L->nfdb; i++) {
		const struct fdbent *e = &L->fdb[i];

		d = dev_mac(L, e->mac, e->src);
		if (d == NONE || (s = dev_seen(L, d, e->t, LOCATE_FDB,
		    e->src)) == NULL)
			return -1;
		dev_port(L, s, e->port);
		s->vlan = e->vlan;
		s->vlan_is_fdbid = e->vlan_is_fdbid;
	}
	for (i = 0; i < L->narp; i++) {
		const struct arpent *e = &L->arp[i];

		d = dev_mac(L, e->mac, e->src);
		if (d == NONE || dev_ip(L, d, e->ip, e->src) != 0 ||
		    (s = dev_seen(L, d, e->t, LOCATE_ARP, e->src)) == NULL)
			return -1;
		s->ifindex = e->ifindex;
		s->port = e->ifindex >= 0 ? if_label(L, e->t, e->ifindex) :
		    "interface unknown";
		if (s->port == NULL)
			return -1;
	}
	/*
	 * A neighbour announcing its chassis MAC and a management address
	 * that an ARP table gives another MAC: one device, two MACs.
	 */
	for (i = 0; i < L->nnb; i++) {
		const struct nbent *e = &L->nb[i];
		size_t k, a, m;

		if (!e->has_mac)
			continue;
		for (k = 0; k < e->nips; k++) {
			a = hget(L, NS_ARPIP, 0, 0, e->ips[k]);
			if (a == NONE || a == AMBIGUOUS)
				continue;
			d = dev_mac(L, e->mac, e->src);
			m = dev_mac(L, L->arp[a].mac, L->arp[a].src);
			if (d == NONE || m == NONE || dev_merge(L, d, m) != 0)
				return -1;
		}
	}
	return 0;
}

/* The polled target a device is, or NONE. */
static size_t
dev_target(struct locate *L, const struct ldev *v)
{
	size_t i, t;
	const char *n;

	if (v->pub.has_mac &&
	    (t = hget(L, NS_OWNMAC, mac48(v->pub.mac), 0, NULL)) != NONE)
		return t;
	for (i = 0; i < v->nxmac; i++)
		if ((t = hget(L, NS_OWNMAC, mac48(v->xmac[i]), 0, NULL)) !=
		    NONE)
			return t;
	for (i = 0; i < v->pub.nips; i++)
		if ((t = hget(L, NS_TADDR, 0, 0, v->pub.ips[i].ip)) != NONE)
			return t;
	n = alower(L, v->pub.sysname);
	if (n != NULL && (t = hget(L, NS_TNAME, 0, 0, n)) != NONE &&
	    t != AMBIGUOUS)
		return t;
	return NONE;
}

static int
index_targets(struct locate *L)
{
	const char *a, *n;
	size_t t, old;

	for (t = 0; t < L->ntargets; t++) {
		a = alower(L, L->targets[t].address);
		if (a == NULL || (a[0] != '\0' &&
		    hput(L, NS_TADDR, 0, 0, a, t) != 0))
			return -1;
		if (L->tsysname[t] != NULL && L->targets[t].name == NULL)
			L->targets[t].name = L->tsysname[t];
		n = alower(L, L->tsysname[t] != NULL ? L->tsysname[t] :
		    L->targets[t].name);
		if (n == NULL || n[0] == '\0')
			continue;
		old = hget(L, NS_TNAME, 0, 0, n);
		if (hput(L, NS_TNAME, 0, 0, n, old == NONE || old == t ? t :
		    AMBIGUOUS) != 0)
			return -1;
	}
	return 0;
}

/* Ports judged uplinks: a switch or polled target beyond, many MACs. */
static int
judge_ports(struct locate *L)
{
	struct ldev probe;
	const struct nbent *e;
	struct lport *p;
	size_t i, t;

	for (i = 0; i < L->nnb; i++) {
		e = &L->nb[i];
		p = &L->ports[e->port];
		if (p->uplink)
			continue;
		memset(&probe, 0, sizeof(probe));
		probe.pub.has_mac = e->has_mac;
		memcpy(probe.pub.mac, e->mac, 6);
		probe.pub.sysname = e->sysname;
		t = dev_target(L, &probe);
		for (size_t k = 0; t == NONE && k < e->nips; k++)
			t = hget(L, NS_TADDR, 0, 0, e->ips[k]);
		if (e->switchlike || (t != NONE && t != e->t)) {
			p->uplink = 1;
			p->why = aprintf(L, "%s neighbour %s is %s",
			    locate_table_name(e->table), e->sysname != NULL ?
			    e->sysname : e->chassis != NULL ? e->chassis :
			    "?", e->switchlike ? "a bridge or router" :
			    "a polled target");
		}
	}
	for (i = 0; i < L->nports; i++) {
		p = &L->ports[i];
		if (!p->uplink && p->nmacs > L->opts.uplink_macs) {
			p->uplink = 1;
			p->why = aprintf(L, "%u MACs learned", p->nmacs);
		}
		if (p->why == NULL && p->uplink)
			return -1;
		if (p->uplink)
			L->tstats[p->t].uplinks++;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Results. */

static int
ip_cmp(const void *a, const void *b)
{
	const struct locate_ip *x = a, *y = b;
	int vx = strchr(x->ip, ':') == NULL, vy = strchr(y->ip, ':') == NULL;

	if (vx != vy)
		return vx ? -1 : 1;	/* IPv4 first */
	return strcmp(x->ip, y->ip);
}

/* qsort has no context argument: the targets of the join being sorted. */
static const struct locate_target *sort_targets;

static int
seen_cmp(const void *a, const void *b)
{
	const struct locate_sighting *x = a, *y = b;
	int c;

	c = strcmp(sort_targets[x->target].address,
	    sort_targets[y->target].address);
	if (c != 0)
		return c;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->bridgeport != y->bridgeport)
		return x->bridgeport < y->bridgeport ? -1 : 1;
	if (x->vlan != y->vlan)
		return x->vlan < y->vlan ? -1 : 1;
	return strcmp(x->source, y->source);
}

/* "sysName (address)", or the address. */
static const char *
target_label(struct locate *L, size_t t)
{
	const struct locate_target *g = &L->targets[t];

	if (g->name != NULL && g->name[0] != '\0' &&
	    strcmp(g->name, g->address) != 0)
		return aprintf(L, "%s (%s)", g->name, g->address);
	return g->address;
}

/* "switch port[, VLAN n]" for a sighting. */
static const char *
where(struct locate *L, const struct locate_sighting *s)
{
	char vlan[64] = "";

	if (s->vlan >= 0)
		snprintf(vlan, sizeof(vlan), ", VLAN %ld%s", s->vlan,
		    s->vlan_is_fdbid ? " (filtering database id; no VLAN "
		    "map)" : "");
	if (s->table == LOCATE_ARP)
		return aprintf(L, "ARP table of %s, interface %s",
		    target_label(L, s->target), s->port);
	return aprintf(L, "%s %s%s%s", target_label(L, s->target), s->port,
	    vlan, s->table == LOCATE_LLDP ? ", LLDP neighbour" :
	    s->table == LOCATE_CDP ? ", CDP neighbour" : "");
}

/* Is sighting a a better place for the device than b? */
static int
better_edge(const struct locate_sighting *a, const struct locate_sighting *b)
{
	int pa = a->table != LOCATE_FDB, pb = b->table != LOCATE_FDB;

	if (pa != pb)
		return pa;		/* LLDP/CDP: it is right there */
	return a->port_macs < b->port_macs;
}

static int
finish_device(struct locate *L, struct ldev *v)
{
	struct locate_device *d = &v->pub;
	struct strbuf sb = STRBUF_INIT(1024);
	const char *org = NULL;
	size_t i, n, uplinks = 0;
	int bits = 0;

	/* A target's own tables say nothing about where it is. */
	for (i = n = 0; i < d->nseen; i++)
		if (d->seen[i].target != d->target)
			d->seen[n++] = d->seen[i];
	d->nseen = n;
	sort_targets = L->targets;
	qsort(d->ips, d->nips, sizeof(*d->ips), ip_cmp);
	qsort(d->seen, d->nseen, sizeof(*d->seen), seen_cmp);
	for (i = 0; i < d->nseen; i++) {
		const struct locate_sighting *s = &d->seen[i];

		if (s->table == LOCATE_ARP || (s->table == LOCATE_FDB &&
		    s->uplink))
			continue;
		if (d->edge == NONE || better_edge(s, &d->seen[d->edge]))
			d->edge = i;
	}
	/* Whose sector it is: the edge, else a bridge, else a router. */
	d->via = d->edge != NONE ? d->seen[d->edge].target : NONE;
	for (i = 0; d->via == NONE && i < d->nseen; i++)
		if (d->seen[i].table != LOCATE_ARP)
			d->via = d->seen[i].target;
	if (d->via == NONE && d->nseen > 0)
		d->via = d->seen[0].target;
	if (d->has_mac) {
		d->oui = oui_lookup(L->opts.oui, d->mac, &org, &bits);
		for (i = 0; i < v->nxmac && d->oui != OUI_FOUND; i++)
			d->oui = oui_lookup(L->opts.oui, v->xmac[i], &org,
			    &bits);
		d->org = org;
		d->oui_bits = bits;
	}
	if (d->edge != NONE) {
		strbuf_puts(&sb, where(L, &d->seen[d->edge]));
		L->tstats[d->seen[d->edge].target].located++;
		L->stats.located++;
	} else {
		for (i = 0; i < d->nseen; i++) {
			if (d->seen[i].table != LOCATE_FDB)
				continue;
			if (uplinks++ < SHOWN_UPLINKS)
				strbuf_printf(&sb, "%s%s (%s)", uplinks == 1 ?
				    "seen only on uplinks: " : "; ",
				    where(L, &d->seen[i]), d->seen[i].why);
		}
		if (uplinks > SHOWN_UPLINKS)
			strbuf_printf(&sb, "; and %zu more",
			    uplinks - SHOWN_UPLINKS);
		if (uplinks > 0)
			L->stats.uplinks_only++;
		for (i = 0; uplinks == 0 && i < d->nseen; i++)
			strbuf_printf(&sb, "%s%s", i == 0 ? "no bridge table "
			    "has its MAC; " : "; ", where(L, &d->seen[i]));
		if (uplinks == 0 && d->nseen > 0)
			L->stats.arp_only++;
	}
	d->location = sb.len > 0 ? astr(L, strbuf_str(&sb)) : NULL;
	if (sb.oom || (sb.len > 0 && d->location == NULL)) {
		strbuf_free(&sb);
		return -1;
	}
	strbuf_free(&sb);
	L->stats.devices++;
	if (d->target != NONE)
		L->stats.merged++;
	else
		L->stats.discovered++;
	return 0;
}

static const struct ldev *sort_devs;

static int
dev_cmp(const void *a, const void *b)
{
	const struct locate_device *x = &sort_devs[*(const size_t *)a].pub;
	const struct locate_device *y = &sort_devs[*(const size_t *)b].pub;
	const char *kx, *ky;

	if (x->has_mac != y->has_mac)
		return x->has_mac ? -1 : 1;
	if (x->has_mac)
		return memcmp(x->mac, y->mac, 6);
	kx = x->nips > 0 ? x->ips[0].ip : x->sysname != NULL ? x->sysname :
	    x->chassis != NULL ? x->chassis : "";
	ky = y->nips > 0 ? y->ips[0].ip : y->sysname != NULL ? y->sysname :
	    y->chassis != NULL ? y->chassis : "";
	return strcmp(kx, ky);
}

/* Each device that is a polled target: one device per target. */
static int
assign_targets(struct locate *L)
{
	size_t i, t, other;

	for (i = 0; i < L->ndevs; i++) {
		if (L->devs[i].parent != NONE)
			continue;
		t = dev_target(L, &L->devs[i]);
		if (t == NONE)
			continue;
		L->devs[i].pub.target = t;
		other = hget(L, NS_TARGETDEV, t, 0, NULL);
		if (other == NONE) {
			if (hput(L, NS_TARGETDEV, t, 0, NULL, i) != 0)
				return -1;
		} else if (dev_merge(L, dev_find(L, other), i) != 0)
			return -1;
	}
	return 0;
}

int
locate_solve(struct locate *L, char *err, size_t errlen)
{
	struct rec r;
	size_t i, n = L->ntargets > 0 ? L->ntargets : 1;

	if (L->solved)
		return errf(err, errlen, "locate: joined twice");
	L->solved = 1;
	L->tstats = calloc(n, sizeof(*L->tstats));
	L->tsysname = calloc(n, sizeof(*L->tsysname));
	L->tvlanmap = calloc(n, sizeof(*L->tvlanmap));
	if (L->tstats == NULL || L->tsysname == NULL || L->tvlanmap == NULL)
		goto nomem;
	qsort(L->rows, L->nrows, sizeof(*L->rows), row_cmp);
	for (i = 0; i < L->nrows;) {
		rec_next(L, &i, &r);
		if (read_self(L, &r) != 0)
			goto nomem;
	}
	if (index_targets(L) != 0)
		goto nomem;
	for (i = 0; i < L->nrows;) {
		rec_next(L, &i, &r);
		if (read_others(L, &r) != 0)
			goto nomem;
	}
	if (judge_ports(L) != 0 || add_neighbours(L) != 0 ||
	    add_fdb_arp(L) != 0 || assign_targets(L) != 0)
		goto nomem;
	L->order = calloc(L->ndevs > 0 ? L->ndevs : 1, sizeof(*L->order));
	if (L->order == NULL)
		goto nomem;
	for (i = 0; i < L->ndevs; i++) {
		if (L->devs[i].parent != NONE)
			continue;
		if (finish_device(L, &L->devs[i]) != 0)
			goto nomem;
		if (L->devs[i].pub.nseen > 0)
			L->order[L->norder++] = i;
		else
			L->stats.devices--, L->devs[i].pub.target != NONE ?
			    L->stats.merged-- : L->stats.discovered--;
	}
	sort_devs = L->devs;
	qsort(L->order, L->norder, sizeof(*L->order), dev_cmp);
	for (i = 0; i < L->ntargets; i++)
		if (L->tstats[i].arp + L->tstats[i].fdb + L->tstats[i].lldp +
		    L->tstats[i].cdp > 0)
			L->stats.switches++;
	return 0;
nomem:
	return errf(err, errlen, "out of memory while locating devices");
}

size_t
locate_ndevices(const struct locate *L)
{
	return L->norder;
}

const struct locate_device *
locate_device_get(const struct locate *L, size_t i)
{
	return i < L->norder ? &L->devs[L->order[i]].pub : NULL;
}

size_t
locate_ntargets(const struct locate *L)
{
	return L->ntargets;
}

const struct locate_target *
locate_target_get(const struct locate *L, size_t i)
{
	return i < L->ntargets ? &L->targets[i] : NULL;
}

const struct locate_target_stats *
locate_target_stats_get(const struct locate *L, size_t i)
{
	return i < L->ntargets && L->tstats != NULL ? &L->tstats[i] : NULL;
}

const struct locate_stats *
locate_stats_get(const struct locate *L)
{
	return &L->stats;
}

const char *
locate_table_name(enum locate_table t)
{
	switch (t) {
	case LOCATE_FDB:
		return "fdb";
	case LOCATE_ARP:
		return "arp";
	case LOCATE_LLDP:
		return "lldp";
	case LOCATE_CDP:
		return "cdp";
	}
	return "?";
}

void
locate_free(struct locate *L)
{
	struct block *b, *next;
	size_t i;

	if (L == NULL)
		return;
	for (i = 0; i < L->ndevs; i++) {
		free(L->devs[i].pub.ips);
		free(L->devs[i].pub.seen);
		free(L->devs[i].xmac);
	}
	for (b = L->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(L->map.e);
	free(L->rows);
	free(L->targets);
	free(L->tstats);
	free(L->tsysname);
	free(L->tvlanmap);
	free(L->ifs);
	free(L->locs);
	free(L->ports);
	free(L->fdb);
	free(L->arp);
	free(L->nb);
	free(L->devs);
	free(L->order);
	free(L);
}
