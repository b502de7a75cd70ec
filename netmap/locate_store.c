/*
 * locate_store: the store pass of locate (locate.h) -- a run's coverage
 * and observations in, devices out as hosts with derived observations,
 * a "locate" coverage row per switch or router, the OUI registry on the
 * run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate.h"
#include "locate_int.h"
#include "util.h"

struct feed {
	struct locate	*L;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int
on_cover(void *arg, const struct coverage_row *r)
{
	struct feed *f = arg;
	struct locate_target t;

	memset(&t, 0, sizeof(t));
	t.host = r->host;
	t.identity = r->host_identity;
	t.h = r->h;
	if (locate_add_target(f->L, &t, f->err, f->errlen) != 0) {
		f->failed = 1;
		return 1;
	}
	return 0;
}

static int
on_row(void *arg, const struct obs_row *r)
{
	struct feed *f = arg;

	if (locate_add_row(f->L, r, f->err, f->errlen) != 0) {
		f->failed = 1;
		return 1;
	}
	return 0;
}

struct writer {
	struct store	*st;
	int64_t		 run;
	int64_t		 host;
	const char	*item;
	char		*err;
	size_t		 errlen;
};

static int
put(struct writer *w, const char *attr, enum value_type vt, const void *v,
    size_t len, const char *source)
{
	struct observation o = { 0 };

	if (v == NULL)
		return 0;
	o.kind = OBS_NEIGHBOR;
	o.item = w->item;
	o.attr = attr;
	o.source = source != NULL ? source : "locate";
	o.vtype = vt;
	o.value = v;
	o.len = len;
	return store_observation(w->st, w->run, w->host, CHAN_DERIVED, &o,
	    NULL, w->err, w->errlen);
}

static int
put_text(struct writer *w, const char *attr, const char *s,
    const char *source)
{
	return s == NULL ? 0 : put(w, attr, VAL_TEXT, s, strlen(s), source);
}

static int
put_long(struct writer *w, const char *attr, long v, const char *source)
{
	char buf[24];
	int n;

	if (v < 0)
		return 0;
	n = snprintf(buf, sizeof(buf), "%ld", v);
	return put(w, attr, VAL_INT, buf, (size_t)n, source);
}

/* "MA-L 44:19:B6" etc.: the registry block a MAC falls in. */
static void
block_name(const unsigned char m[6], int bits, char *buf, size_t len)
{
	char hex[13];
	size_t i, n, at = 0;
	const char *kind = bits == 24 ? "MA-L" : bits == 28 ? "MA-M" :
	    bits == 36 ? "MA-S" : NULL;

	snprintf(hex, sizeof(hex), "%02X%02X%02X%02X%02X%02X", m[0], m[1],
	    m[2], m[3], m[4], m[5]);
	n = bits > 0 && bits <= 48 ? (size_t)(bits + 3) / 4 : 6;
	if (kind != NULL)
		at = (size_t)snprintf(buf, len, "%s ", kind);
	for (i = 0; i < n && at + 3 < len; i++) {
		if (i > 0 && i % 2 == 0)
			buf[at++] = ':';
		buf[at++] = hex[i];
	}
	buf[at] = '\0';
	if (kind == NULL && at + 5 < len)
		snprintf(buf + at, len - at, "/%d", bits);
}

static int
write_sighting(struct writer *w, const struct locate *L,
    const struct locate_sighting *s)
{
	const struct locate_target *t = locate_target_get(L, s->target);
	char loc[512], vlan[64] = "";

	if (s->vlan >= 0)
		snprintf(vlan, sizeof(vlan), ", VLAN %ld%s", s->vlan,
		    s->vlan_is_fdbid ? " (filtering database id)" : "");
	snprintf(loc, sizeof(loc), "%s%s%s%s%s%s%s%s",
	    t->h.name != NULL ? t->h.name : "", t->h.name != NULL ? " " : "",
	    t->h.address != NULL ? t->h.address : "", t->h.address != NULL &&
	    t->h.address[0] != '\0' ? " " : "", s->port, vlan, s->uplink ?
	    "; uplink: " : "", s->uplink ? s->why : "");
	/* via: whose table, for resolution.c (the run's next verdict). */
	if (put_text(w, "table", locate_table_name(s->table),
	    s->source) != 0 ||
	    put_text(w, "via", t->identity, s->source) != 0 ||
	    put_text(w, "ifname", s->port, s->source) != 0 ||
	    put_long(w, "ifindex", s->ifindex, s->source) != 0 ||
	    put_long(w, "bridgeport", s->bridgeport, s->source) != 0 ||
	    put_long(w, "vlan", s->vlan, s->source) != 0 ||
	    put_text(w, "location", loc, s->source) != 0)
		return -1;
	return 0;
}

static int
write_device(struct store *st, int64_t run, const struct locate *L,
    const struct locate_device *d, char *err, size_t errlen)
{
	const struct locate_target *via = locate_target_get(L, d->via);
	struct host_info hi;
	struct writer w;
	char mac[18], name[300], item[32], src[512], block[40];
	size_t i;

	memset(&w, 0, sizeof(w));
	w.st = st;
	w.run = run;
	w.err = err;
	w.errlen = errlen;
	w.item = "";
	if (d->has_mac)
		mac_format(d->mac, mac);
	if (d->target != SIZE_MAX)
		w.host = locate_target_get(L, d->target)->host;
	else {
		memset(&hi, 0, sizeof(hi));
		/* Where it was seen: the sector, site, owner and law of the
		   device whose table listed it. */
		hi.h = via->h;
		/* The device itself: its IP and MAC (DESIGN "Outputs"). */
		hi.h.address = d->nips > 0 ? d->ips[0].ip : d->has_mac ? mac :
		    d->chassis != NULL ? d->chassis : d->sysname;
		if (d->has_mac && d->nips > 0) {
			if (d->sysname != NULL)
				snprintf(name, sizeof(name), "%s (%s)",
				    d->sysname, mac);
			else
				str_copy(name, mac, sizeof(name));
			hi.h.name = name;
		} else
			hi.h.name = d->sysname;
		hi.mac = d->has_mac ? mac : NULL;
		hi.discovered = 1;
		if (store_host(st, run, &hi, &w.host, err, errlen) != 0)
			return -1;
	}
	if (d->has_mac && put(&w, "mac", VAL_HEX, d->mac, 6,
	    d->mac_source) != 0)
		return -1;
	for (i = 0; i < d->nips; i++)
		if (put(&w, "ip", VAL_IPADDR, d->ips[i].ip,
		    strlen(d->ips[i].ip), d->ips[i].source) != 0)
			return -1;
	if (d->org != NULL) {
		block_name(d->mac, d->oui_bits, block, sizeof(block));
		snprintf(src, sizeof(src), "%s; %s", d->mac_source, block);
		if (put_text(&w, "oui_org", d->org, src) != 0)
			return -1;
	}
	if (put_text(&w, "sysname", d->sysname, d->sysname_source) != 0 ||
	    put_text(&w, "sysdesc", d->sysdesc, d->sysdesc_source) != 0 ||
	    put_text(&w, "platform", d->platform, d->platform_source) != 0 ||
	    put_text(&w, "chassis", d->chassis, NULL) != 0 ||
	    put_text(&w, "location", d->location, NULL) != 0)
		return -1;
	for (i = 0; i < d->nseen; i++) {
		snprintf(item, sizeof(item), "seen.%zu", i + 1);
		w.item = item;
		if (write_sighting(&w, L, &d->seen[i]) != 0)
			return -1;
	}
	return 0;
}

/*
 * A target known by its own MAC only (interface "self": a device of a
 * network discovery, netinv.h): the vendor of that MAC, as a device of
 * the tables gets it, unless a device of the join is that target and
 * already said so.
 */
static int
write_self(struct store *st, int64_t run, struct locate *L, char *err,
    size_t errlen)
{
	const struct locate_device *d;
	const struct lrow *r;
	struct writer w;
	unsigned char *done = NULL, m[6];
	char src[512], block[40];
	const char *org;
	size_t i, t;
	int bits, rc = -1;

	done = calloc(L->ntargets > 0 ? L->ntargets : 1, 1);
	if (done == NULL)
		return errf(err, errlen, "out of memory");
	for (i = 0; i < locate_ndevices(L); i++) {
		d = locate_device_get(L, i);
		if (d->target != SIZE_MAX && d->org != NULL)
			done[d->target] = 1;
	}
	memset(&w, 0, sizeof(w));
	w.st = st;
	w.run = run;
	w.err = err;
	w.errlen = errlen;
	w.item = "self";
	for (i = 0; i < L->nrows; i++) {
		r = &L->rows[i];
		if (r->kind != OBS_INTERFACE || r->attr != A_MAC ||
		    strcmp(r->item, "self") != 0 ||
		    locate_cell_mac(r, m) != 0)
			continue;
		t = locate_target_index(L, r->host);
		if (t == NONE || done[t])
			continue;
		done[t] = 1;
		org = NULL;
		(void)oui_lookup(L->opts.oui, m, &org, &bits);
		if (org == NULL)
			continue;
		w.host = r->host;
		block_name(m, bits, block, sizeof(block));
		snprintf(src, sizeof(src), "%s; %s", r->src, block);
		if (put(&w, "mac", VAL_HEX, m, 6, r->src) != 0 ||
		    put_text(&w, "oui_org", org, src) != 0)
			goto out;
	}
	rc = 0;
out:
	free(done);
	return rc;
}

/* The "locate" coverage row of a switch or router. */
static int
write_cover(struct store *st, int64_t run, const struct locate *L,
    size_t t, char *err, size_t errlen)
{
	const struct locate_target_stats *s = locate_target_stats_get(L, t);
	struct coverage cv;
	char d[400];

	if (s->arp + s->fdb + s->lldp + s->cdp == 0)
		return 0;
	snprintf(d, sizeof(d), "ARP %zu, FDB %zu, LLDP %zu, CDP %zu rows; "
	    "%zu device%s located at its ports; %zu uplink port%s",
	    s->arp, s->fdb, s->lldp, s->cdp, s->located,
	    s->located == 1 ? "" : "s", s->uplinks, s->uplinks == 1 ? "" : "s");
	if (s->randomised > 0)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "; vendor "
		    "unknown: %zu row%s with a randomised (locally "
		    "administered) MAC", s->randomised,
		    s->randomised == 1 ? "" : "s");
	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_DERIVED;
	cv.probe = "locate";
	cv.status = COV_OK;
	cv.detail = d;
	return store_coverage(st, run, locate_target_get(L, t)->host, &cv,
	    err, errlen);
}

int
locate_run(struct store *st, int64_t run, const struct locate_opts *o,
    struct locate_stats *stats, char *err, size_t errlen)
{
	struct locate *L = NULL;
	struct feed f;
	size_t i;
	int rc = -1;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (store_run_set_oui(st, run, o->oui != NULL ?
	    oui_describe(o->oui) : "none", err, errlen) != 0 ||
	    locate_open(&L, o, err, errlen) != 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.L = L;
	f.err = err;
	f.errlen = errlen;
	if (store_each_coverage(st, run, on_cover, &f, err, errlen) != 0 ||
	    f.failed ||
	    store_each_observation(st, run, 0, on_row, &f, err, errlen) != 0 ||
	    f.failed || locate_solve(L, err, errlen) != 0)
		goto out;
	for (i = 0; i < locate_ndevices(L); i++)
		if (write_device(st, run, L, locate_device_get(L, i), err,
		    errlen) != 0)
			goto out;
	if (L->opts.oui != NULL && write_self(st, run, L, err, errlen) != 0)
		goto out;
	for (i = 0; i < locate_ntargets(L); i++)
		if (write_cover(st, run, L, i, err, errlen) != 0)
			goto out;
	if (store_flush(st, err, errlen) != 0)
		goto out;
	if (stats != NULL)
		*stats = *locate_stats_get(L);
	rc = 0;
out:
	locate_free(L);
	return rc;
}
