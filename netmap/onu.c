/*
 * onu: an OLT's ONU rows made into discovered, located devices (onu.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onu.h"
#include "util.h"

#define ONU_TEXT_MAX	256	/* bytes of a description kept */

/* One ONU row of one OLT. */
struct onu {
	int64_t		 olt;		/* the OLT's host id */
	char		*item;		/* "onu.IFINDEX.ONUID" */
	char		 serial[ONU_SERIAL_MAX];
	char		 vid[5];
	char		*serial_src;	/* the OID it came from */
	char		*descr;
	long		 ifindex, onuid;
};

/* A host of the run: an OLT's name, address and attributes, or a port. */
struct olt {
	int64_t		 host;
	char		*address, *name, *sector, *site, *owner;
	int		 criticality;
	size_t		 onus;
};

struct port {
	int64_t		 host;
	long		 ifindex;
	char		*name;
};

struct onu_ctx {
	struct onu	*v;
	size_t		 n, cap;
	struct olt	*olts;
	size_t		 nolts, coltcap;
	struct port	*ports;
	size_t		 nports, portcap;
	size_t		 no_serial;
	int		 failed;
	char		*err;
	size_t		 errlen;
};

static int
is_vid_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
onu_serial(const unsigned char *v, size_t len, char text[ONU_SERIAL_MAX],
    char vid[5])
{
	unsigned char b[8];
	size_t i;
	int hi, lo;

	text[0] = vid[0] = '\0';
	if (v == NULL)
		return -1;
	if (len == 8)
		memcpy(b, v, 8);
	else if (len == 16) {
		/* Hex digits of the 8 octets ("48575443..."). */
		for (i = 0; i < 8; i++) {
			hi = hexval(v[2 * i]);
			lo = hexval(v[2 * i + 1]);
			if (hi < 0 || lo < 0)
				return -1;
			b[i] = (unsigned char)(hi << 4 | lo);
		}
	} else if (len == 12) {
		/* Text: the vendor id, then 8 hex digits. */
		for (i = 0; i < 4; i++)
			b[i] = v[i];
		for (i = 0; i < 4; i++) {
			hi = hexval(v[4 + 2 * i]);
			lo = hexval(v[4 + 2 * i + 1]);
			if (hi < 0 || lo < 0)
				return -1;
			b[4 + i] = (unsigned char)(hi << 4 | lo);
		}
	} else
		return -1;
	for (i = 0; i < 4; i++)
		if (!is_vid_char(b[i]))
			return -1;
	memcpy(vid, b, 4);
	vid[4] = '\0';
	snprintf(text, ONU_SERIAL_MAX, "%s%02X%02X%02X%02X", vid, b[4], b[5],
	    b[6], b[7]);
	return 0;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	ncap = *cap > 0 ? *cap * 2 : 16;
	np = realloc(*p, ncap * size);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static int
oom(struct onu_ctx *x)
{
	x->failed = 1;
	errf(x->err, x->errlen, "out of memory");
	return 1;
}

static struct olt *
olt_find(struct onu_ctx *x, int64_t host)
{
	size_t i;

	for (i = 0; i < x->nolts; i++)
		if (x->olts[i].host == host)
			return &x->olts[i];
	return NULL;
}

/* Hosts' attributes (the owner is only in coverage rows). */
static int
on_cover(void *arg, const struct coverage_row *r)
{
	struct onu_ctx *x = arg;
	struct olt *o;

	if (olt_find(x, r->host) != NULL)
		return 0;
	if (grow((void **)&x->olts, &x->coltcap, x->nolts,
	    sizeof(*x->olts)) != 0)
		return oom(x);
	o = &x->olts[x->nolts];
	memset(o, 0, sizeof(*o));
	o->host = r->host;
	o->address = str_dup(r->h.address);
	o->name = str_dup(r->h.name);
	o->sector = str_dup(r->h.sector);
	o->site = str_dup(r->h.site);
	o->owner = str_dup(r->h.owner);
	o->criticality = 3;
	x->nolts++;
	if ((r->h.address != NULL && o->address == NULL) ||
	    (r->h.name != NULL && o->name == NULL) ||
	    (r->h.sector != NULL && o->sector == NULL) ||
	    (r->h.site != NULL && o->site == NULL) ||
	    (r->h.owner != NULL && o->owner == NULL))
		return oom(x);
	return 0;
}

/* "N" of text of len bytes, or -1. */
static long
number(const void *v, size_t len)
{
	const unsigned char *p = v;
	long n = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		n = n * 10 + (p[i] - '0');
	}
	return n;
}

static struct onu *
onu_get(struct onu_ctx *x, int64_t olt, const char *item)
{
	struct onu *u;
	size_t i;

	for (i = x->n; i > 0; i--) {
		u = &x->v[i - 1];
		if (u->olt != olt)
			break;		/* rows come by host */
		if (strcmp(u->item, item) == 0)
			return u;
	}
	if (grow((void **)&x->v, &x->cap, x->n, sizeof(*x->v)) != 0)
		return NULL;
	u = &x->v[x->n];
	memset(u, 0, sizeof(*u));
	u->olt = olt;
	u->ifindex = u->onuid = -1;
	u->item = str_dup(item);
	if (u->item == NULL)
		return NULL;
	x->n++;
	return u;
}

static int
on_row(void *arg, const struct obs_row *r)
{
	struct onu_ctx *x = arg;
	const struct observation *o = &r->obs;
	struct onu *u;
	struct port *p;

	if (r->channel != CHAN_SNMP || o->item == NULL || o->attr == NULL)
		return 0;
	/* The OLT's interface names: item = ifIndex. */
	if (o->kind == OBS_INTERFACE && (strcmp(o->attr, "ifname") == 0 ||
	    strcmp(o->attr, "ifdescr") == 0)) {
		long ix = number(o->item, strlen(o->item));
		size_t i;

		if (ix < 0)
			return 0;
		for (i = 0; i < x->nports; i++)
			if (x->ports[i].host == r->host &&
			    x->ports[i].ifindex == ix)
				break;
		if (i < x->nports) {
			/* ifName wins over ifDescr. */
			if (strcmp(o->attr, "ifname") != 0)
				return 0;
			free(x->ports[i].name);
		} else {
			if (grow((void **)&x->ports, &x->portcap, x->nports,
			    sizeof(*x->ports)) != 0)
				return oom(x);
			x->nports++;
		}
		p = &x->ports[i];
		p->host = r->host;
		p->ifindex = ix;
		p->name = str_ndup(o->value, o->len < 64 ? o->len : 64);
		return p->name == NULL ? oom(x) : 0;
	}
	if (o->kind != OBS_NEIGHBOR || strncmp(o->item, "onu.", 4) != 0)
		return 0;
	u = onu_get(x, r->host, o->item);
	if (u == NULL)
		return oom(x);
	if (strcmp(o->attr, "serial") == 0) {
		if (onu_serial(o->value, o->len, u->serial, u->vid) == 0) {
			free(u->serial_src);
			u->serial_src = str_dup(o->source);
			if (o->source != NULL && u->serial_src == NULL)
				return oom(x);
		}
	} else if (strcmp(o->attr, "descr") == 0) {
		free(u->descr);
		u->descr = str_ndup(o->value, o->len < ONU_TEXT_MAX ? o->len :
		    ONU_TEXT_MAX);
		if (u->descr == NULL)
			return oom(x);
	} else if (strcmp(o->attr, "ifindex") == 0)
		u->ifindex = number(o->value, o->len);
	else if (strcmp(o->attr, "onuid") == 0)
		u->onuid = number(o->value, o->len);
	return 0;
}

static const char *
port_name(const struct onu_ctx *x, int64_t host, long ifindex)
{
	size_t i;

	for (i = 0; i < x->nports; i++)
		if (x->ports[i].host == host && x->ports[i].ifindex == ifindex)
			return x->ports[i].name;
	return NULL;
}

static int
put(struct store *st, int64_t run, int64_t host, const char *attr,
    enum value_type vt, const char *v, const char *src, char *err,
    size_t errlen)
{
	struct observation o = { 0 };

	if (v == NULL)
		return 0;
	o.kind = OBS_NEIGHBOR;
	o.item = "";
	o.attr = attr;
	o.source = src != NULL ? src : "onu";
	o.vtype = vt;
	o.value = v;
	o.len = strlen(v);
	return store_observation(st, run, host, CHAN_DERIVED, &o, NULL, err,
	    errlen);
}

static int
write_onu(struct store *st, int64_t run, struct onu_ctx *x,
    const struct onu *u, char *err, size_t errlen)
{
	struct olt *olt = olt_find(x, u->olt);
	struct host_info hi;
	const char *pn;
	char name[ONU_TEXT_MAX + 40], loc[512], port[96], id[24], oid[40];
	int64_t host;

	memset(&hi, 0, sizeof(hi));
	if (u->descr != NULL && u->descr[0] != '\0')
		snprintf(name, sizeof(name), "ONU %s (%s)", u->serial,
		    u->descr);
	else
		snprintf(name, sizeof(name), "ONU %s", u->serial);
	hi.h.address = u->serial;
	hi.h.name = name;
	hi.serial = u->serial;
	hi.discovered = 1;
	if (olt != NULL) {
		hi.h.sector = olt->sector;
		hi.h.site = olt->site;
		hi.h.owner = olt->owner;
		hi.h.criticality = olt->criticality;
		olt->onus++;
	} else
		hi.h.criticality = 3;
	if (store_host(st, run, &hi, &host, err, errlen) != 0)
		return -1;
	pn = port_name(x, u->olt, u->ifindex);
	if (pn != NULL)
		snprintf(port, sizeof(port), "PON port %s (ifIndex %ld)", pn,
		    u->ifindex);
	else if (u->ifindex >= 0)
		snprintf(port, sizeof(port), "PON port ifIndex %ld",
		    u->ifindex);
	else
		str_copy(port, "PON port unknown", sizeof(port));
	/* An ONU id the OLT did not give is not written as -1. */
	oid[0] = '\0';
	if (u->onuid >= 0)
		snprintf(oid, sizeof(oid), ", ONU id %ld", u->onuid);
	/* As locate writes a switch: "NAME (ADDRESS) PORT". */
	if (olt != NULL && olt->name != NULL)
		snprintf(loc, sizeof(loc), "%s (%s) %s%s", olt->name,
		    olt->address != NULL ? olt->address : "?", port, oid);
	else
		snprintf(loc, sizeof(loc), "%s %s%s",
		    olt != NULL && olt->address != NULL ? olt->address : "?",
		    port, oid);
	snprintf(id, sizeof(id), "%ld", u->onuid);
	if (put(st, run, host, "serial", VAL_TEXT, u->serial, u->serial_src,
	    err, errlen) != 0 ||
	    put(st, run, host, "vendorid", VAL_TEXT, u->vid, u->serial_src,
	    err, errlen) != 0 ||
	    put(st, run, host, "onuid", VAL_INT, u->onuid >= 0 ? id : NULL,
	    u->serial_src, err, errlen) != 0 ||
	    put(st, run, host, "descr", VAL_TEXT, u->descr, u->serial_src,
	    err, errlen) != 0 ||
	    put(st, run, host, "table", VAL_TEXT, "onu", u->serial_src, err,
	    errlen) != 0 ||
	    put(st, run, host, "ifname", VAL_TEXT, pn, u->serial_src, err,
	    errlen) != 0 ||
	    put(st, run, host, "location", VAL_TEXT, loc, u->serial_src, err,
	    errlen) != 0)
		return -1;
	return 0;
}

static void
ctx_free(struct onu_ctx *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->v[i].item);
		free(x->v[i].serial_src);
		free(x->v[i].descr);
	}
	for (i = 0; i < x->nolts; i++) {
		free(x->olts[i].address);
		free(x->olts[i].name);
		free(x->olts[i].sector);
		free(x->olts[i].site);
		free(x->olts[i].owner);
	}
	for (i = 0; i < x->nports; i++)
		free(x->ports[i].name);
	free(x->v);
	free(x->olts);
	free(x->ports);
}

int
onu_run(struct store *st, int64_t run, struct onu_stats *stats, char *err,
    size_t errlen)
{
	struct onu_ctx x;
	struct coverage cv;
	char d[160];
	size_t i, nserial;
	int rc = -1;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	memset(&x, 0, sizeof(x));
	x.err = err;
	x.errlen = errlen;
	if (store_each_coverage(st, run, on_cover, &x, err, errlen) != 0 ||
	    x.failed ||
	    store_each_observation(st, run, 0, on_row, &x, err, errlen) != 0 ||
	    x.failed)
		goto out;
	for (i = 0; i < x.n; i++) {
		if (x.v[i].serial[0] == '\0') {
			x.no_serial++;
			continue;
		}
		if (write_onu(st, run, &x, &x.v[i], err, errlen) != 0)
			goto out;
		if (stats != NULL)
			stats->onus++;
	}
	/* Per OLT: how many ONUs were read. */
	for (i = 0; i < x.nolts; i++) {
		size_t k;

		nserial = 0;
		for (k = 0; k < x.n; k++)
			if (x.v[k].olt == x.olts[i].host)
				nserial++;
		if (nserial == 0)
			continue;
		snprintf(d, sizeof(d), "%zu ONU%s read; %zu located as "
		    "devices (with a GPON serial)", nserial,
		    nserial == 1 ? "" : "s", x.olts[i].onus);
		memset(&cv, 0, sizeof(cv));
		cv.channel = CHAN_DERIVED;
		cv.probe = "onu";
		cv.status = COV_OK;
		cv.detail = d;
		if (store_coverage(st, run, x.olts[i].host, &cv, err,
		    errlen) != 0)
			goto out;
		if (stats != NULL)
			stats->olts++;
	}
	if (stats != NULL)
		stats->no_serial = x.no_serial;
	rc = store_flush(st, err, errlen);
out:
	ctx_free(&x);
	return rc;
}
