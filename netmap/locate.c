/*
 * locate: the pure join of locate.h -- memory, the map, input and
 * results.  Rows are copied into an arena, then locate_tables.c puts them
 * back into table rows and entries and locate_join.c makes devices of
 * them (locate_int.h says who does what).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

/* The attributes the join reads, by enum lattr. */
static const char *const lattr_names[A__COUNT] = {
	"mac", "ip", "ifindex", "ifname", "ifdescr", "bridgeport", "fdbid",
	"vlan", "localport", "chassis", "chassistype", "port", "portdesc",
	"sysname", "sysdesc", "platform", "caps", "name",
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

char *
locate_adup(struct locate *L, const void *p, size_t n)
{
	char *d = arena(L, n + 1);

	if (d == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

const char *
locate_astr(struct locate *L, const char *s)
{
	return s == NULL ? NULL : locate_adup(L, s, strlen(s));
}

const char *
locate_aprintf(struct locate *L, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return locate_astr(L, buf);
}

/* Makes room for one more element of size sz in *v (n used, *cap). */
int
locate_grow(void *vp, size_t *cap, size_t n, size_t sz)
{
	void **v = vp;
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap > 0 ? *cap * 2 : 4;	/* per-device lists are short */
	nv = realloc(*v, nc * sz);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The hash map: (a, b, c, s) -> v. */

/* splitmix64's finaliser: every input bit reaches the low bits. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
hkey(uint64_t a, uint64_t b, uint64_t c, const char *s)
{
	uint64_t x = 1469598103934665603ULL;

	for (; s != NULL && *s != '\0'; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ULL;
	x = mix(x ^ a);
	x = mix(x ^ b);
	return mix(x ^ c);
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

size_t
locate_hget(const struct locate *L, uint64_t a, uint64_t b, uint64_t c,
    const char *s)
{
	const struct hent *e = hfind(&L->map, a, b, c, s);

	return e != NULL ? e->v : NONE;
}

/*
 * Sets (a, b, c, s) to v; s must live as long as the map (arena).
 * Returns 0, or -1 on ENOMEM.
 */
int
locate_hput(struct locate *L, uint64_t a, uint64_t b, uint64_t c, const char *s,
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

uint64_t
locate_mac48(const unsigned char m[6])
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 |
	    (uint64_t)m[2] << 24 | (uint64_t)m[3] << 16 |
	    (uint64_t)m[4] << 8 | m[5];
}

int
locate_mac_zero(const unsigned char m[6])
{
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

/* Lower-cased arena copy, for case-insensitive keys. */
const char *
locate_alower(struct locate *L, const char *s)
{
	char *d;
	size_t i;

	if (s == NULL)
		return NULL;
	d = locate_adup(L, s, strlen(s));
	for (i = 0; d != NULL && d[i] != '\0'; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

/* The value of a cell as text (VAL_HEX cells are not text). */
const char *
locate_cell_text(const struct lrow *r)
{
	if (r == NULL || r->vtype == VAL_HEX || r->len == 0)
		return NULL;
	return (const char *)r->val;
}

long
locate_cell_long(const struct lrow *r)
{
	long v;

	if (r == NULL || r->vtype != VAL_INT ||
	    parse_long((const char *)r->val, 0, 0x7fffffffL, &v) != 0)
		return -1;
	return v;
}

int
locate_cell_mac(const struct lrow *r, unsigned char m[6])
{
	if (r == NULL)
		return -1;
	return mac_parse((const char *)r->val, r->len, m);
}

/* "N" after prefix p in item (up to a '.' or the end), or -1. */
long
locate_item_num(const char *item, const char *p, const char **rest)
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

int
locate_prefixed(const char *item, const char *p)
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

size_t
locate_target_index(const struct locate *L, int64_t host)
{
	return locate_hget(L, NS_TARGET, (uint64_t)host, 0, NULL);
}

/* host_attrs_copy()'s dup: a copy in L's arena. */
static const char *
attr_dup(void *arg, const char *s)
{
	return locate_astr(arg, s);
}

int
locate_add_target(struct locate *L, const struct locate_target *t,
    char *err, size_t errlen)
{
	struct locate_target *d;
	size_t i = locate_target_index(L, t->host);

	if (i != NONE) {
		/* A second call fills in what the first lacked. */
		d = &L->targets[i];
		if (d->identity == NULL && t->identity != NULL) {
			d->identity = locate_astr(L, t->identity);
			if (d->identity == NULL)
				return errf(err, errlen, "out of memory");
		}
		if (host_attrs_copy(&d->h, &t->h, 1, attr_dup, L) != 0)
			return errf(err, errlen, "out of memory");
		return 0;
	}
	if (locate_grow(&L->targets, &L->tcap, L->ntargets,
	    sizeof(*L->targets)))
		return errf(err, errlen, "out of memory");
	d = &L->targets[L->ntargets];
	memset(d, 0, sizeof(*d));
	d->host = t->host;
	d->identity = locate_astr(L, t->identity);
	if ((t->identity != NULL && d->identity == NULL) ||
	    host_attrs_copy(&d->h, &t->h, 0, attr_dup, L) != 0)
		return errf(err, errlen, "out of memory");
	if (d->h.address == NULL)
		d->h.address = locate_astr(L, "");
	if (d->h.address == NULL || locate_hput(L, NS_TARGET,
	    (uint64_t)t->host, 0, NULL, L->ntargets) != 0)
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
	t.identity = r->host_identity;
	t.h = r->h;
	if (locate_add_target(L, &t, err, errlen) != 0)
		return -1;
	if (locate_grow(&L->rows, &L->rowcap, L->nrows, sizeof(*L->rows)) != 0)
		return errf(err, errlen, "out of memory");
	d = &L->rows[L->nrows];
	d->host = r->host;
	d->kind = o->kind;
	d->attr = a;
	d->vtype = o->vtype;
	d->len = o->len;
	d->item = locate_adup(L, o->item != NULL ? o->item : "",
	    o->item != NULL ? strlen(o->item) : 0);
	d->val = (const unsigned char *)locate_adup(L, o->value, o->len);
	d->src = locate_adup(L, o->source != NULL ? o->source : "",
	    o->source != NULL ? strlen(o->source) : 0);
	if (d->item == NULL || d->val == NULL || d->src == NULL)
		return errf(err, errlen, "out of memory");
	L->nrows++;
	return 0;
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
