/*
 * locate_join: devices from the entries of locate_tables.c -- one per MAC
 * (or per announced address or name), joined across tables and targets,
 * matched to polled targets; uplinks judged; each device's edge port,
 * vendor and location.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

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

	if (locate_grow(&L->devs, &L->devcap, L->ndevs, sizeof(*L->devs)))
		return NONE;
	d = &L->devs[L->ndevs];
	memset(d, 0, sizeof(*d));
	d->parent = NONE;
	d->pub.edge = NONE;
	d->pub.target = NONE;
	d->pub.via = NONE;
	d->pub.oui = OUI_UNKNOWN;
	return L->ndevs++;
}

/* The device of MAC m, created when new. */
static size_t
dev_mac(struct locate *L, const unsigned char m[6], const char *src)
{
	size_t d = locate_hget(L, NS_DEVMAC, locate_mac48(m), 0, NULL);

	if (d != NONE)
		return dev_find(L, d);
	d = dev_new(L);
	if (d == NONE ||
	    locate_hput(L, NS_DEVMAC, locate_mac48(m), 0, NULL, d) != 0)
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
	size_t d = locate_hget(L, NS_DEVKEY, 0, 0, key);

	if (d != NONE)
		return dev_find(L, d);
	d = dev_new(L);
	if (d == NONE || locate_hput(L, NS_DEVKEY, 0, 0, key, d) != 0)
		return NONE;
	return d;
}

static int
dev_ip(struct locate *L, size_t d, const char *ip, const char *src)
{
	struct ldev *v = &L->devs[d];

	if (locate_hget(L, NS_DEVIP, d, 0, ip) != NONE)
		return 0;
	if (locate_hput(L, NS_DEVIP, d, 0, ip, 0) != 0 ||
	    locate_grow(&v->pub.ips, &v->ipcap, v->pub.nips,
	    sizeof(*v->pub.ips)))
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

	if (locate_grow(&v->pub.seen, &v->seencap, v->pub.nseen,
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
dev_xmac(struct ldev *v, const unsigned char m[6])
{
	if (locate_grow(&v->xmac, &v->xmaccap, v->nxmac, sizeof(*v->xmac)))
		return -1;
	memcpy(v->xmac[v->nxmac++], m, 6);
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
		if (locate_grow(&a->pub.seen, &a->seencap, a->pub.nseen,
		    sizeof(*a->pub.seen)))
			return -1;
		a->pub.seen[a->pub.nseen++] = b->pub.seen[i];
	}
	if (b->pub.has_mac && !a->pub.has_mac) {
		memcpy(a->pub.mac, b->pub.mac, 6);
		a->pub.has_mac = 1;
		a->pub.mac_source = b->pub.mac_source;
	} else if (b->pub.has_mac && dev_xmac(a, b->pub.mac) != 0)
		return -1;
	for (i = 0; i < b->nxmac; i++)
		if (dev_xmac(a, b->xmac[i]) != 0)
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

#undef TAKE

/* A neighbour's device: its MAC, the MAC of its address, or a key. */
static size_t
nb_device(struct locate *L, const struct nbent *e)
{
	const char *key = NULL;
	size_t i, a;

	if (e->has_mac)
		return dev_mac(L, e->mac, e->src);
	for (i = 0; i < e->nips; i++) {
		a = locate_hget(L, NS_ARPIP, 0, 0, e->ips[i]);
		if (a != NONE && a != AMBIGUOUS)
			return dev_mac(L, L->arp[a].mac, L->arp[a].src);
	}
	if (e->nips > 0)
		key = locate_aprintf(L, "ip:%s", e->ips[0]);
	else if (e->sysname != NULL)
		key = locate_aprintf(L, "name:%s",
		    locate_alower(L, e->sysname));
	else
		key = locate_aprintf(L, "chassis:%s", e->chassis);
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
		s = d != NONE ? dev_seen(L, d, e->t, LOCATE_FDB, e->src) :
		    NULL;
		if (s == NULL)
			return -1;
		dev_port(L, s, e->port);
		s->vlan = e->vlan;
		s->vlan_is_fdbid = e->vlan_is_fdbid;
	}
	for (i = 0; i < L->narp; i++) {
		const struct arpent *e = &L->arp[i];

		d = dev_mac(L, e->mac, e->src);
		if (d == NONE || dev_ip(L, d, e->ip, e->src) != 0)
			return -1;
		s = dev_seen(L, d, e->t, LOCATE_ARP, e->src);
		if (s == NULL)
			return -1;
		s->ifindex = e->ifindex;
		s->port = e->ifindex >= 0 ?
		    locate_if_label(L, e->t, e->ifindex) : "interface unknown";
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
			a = locate_hget(L, NS_ARPIP, 0, 0, e->ips[k]);
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
	size_t i, t = NONE;
	const char *n;

	if (v->pub.has_mac)
		t = locate_hget(L, NS_OWNMAC, locate_mac48(v->pub.mac), 0,
		    NULL);
	for (i = 0; t == NONE && i < v->nxmac; i++)
		t = locate_hget(L, NS_OWNMAC, locate_mac48(v->xmac[i]), 0,
		    NULL);
	for (i = 0; t == NONE && i < v->pub.nips; i++)
		t = locate_hget(L, NS_TADDR, 0, 0, v->pub.ips[i].ip);
	n = locate_alower(L, v->pub.sysname);
	if (t == NONE && n != NULL)
		t = locate_hget(L, NS_TNAME, 0, 0, n);
	return t == AMBIGUOUS ? NONE : t;
}

/* Ports judged uplinks: a switch or polled target beyond, many MACs. */
static int
judge_ports(struct locate *L)
{
	struct ldev probe;
	const struct nbent *e;
	struct lport *p;
	size_t i, k, t;

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
		for (k = 0; t == NONE && k < e->nips; k++)
			t = locate_hget(L, NS_TADDR, 0, 0, e->ips[k]);
		if (e->switchlike || (t != NONE && t != e->t)) {
			p->uplink = 1;
			p->why = locate_aprintf(L, "%s neighbour %s is %s",
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
			p->why = locate_aprintf(L, "%u MACs learned", p->nmacs);
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

/* Sightings by target address (arg: the targets), table, port, VLAN. */
static int
seen_cmp(const void *a, const void *b, void *arg)
{
	const struct locate_sighting *x = a, *y = b;
	const struct locate_target *tg = arg;
	int c;

	c = strcmp(tg[x->target].h.address, tg[y->target].h.address);
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

	/* An imported switch may be known by name and MAC only. */
	if (g->h.address == NULL || g->h.address[0] == '\0')
		return g->h.name != NULL && g->h.name[0] != '\0' ? g->h.name :
		    "(unnamed switch)";
	if (g->h.name != NULL && g->h.name[0] != '\0' &&
	    strcmp(g->h.name, g->h.address) != 0)
		return locate_aprintf(L, "%s (%s)", g->h.name, g->h.address);
	return g->h.address;
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
		return locate_aprintf(L, "ARP table of %s, interface %s",
		    target_label(L, s->target), s->port);
	return locate_aprintf(L, "%s %s%s%s", target_label(L, s->target),
	    s->port, vlan, s->table == LOCATE_LLDP ? ", LLDP neighbour" :
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

	/*
	 * A target's own tables say nothing about where it is; a target
	 * nobody else saw is no device.
	 */
	for (i = n = 0; i < d->nseen; i++)
		if (d->seen[i].target != d->target)
			d->seen[n++] = d->seen[i];
	d->nseen = n;
	if (n == 0)
		return 0;
	if (d->nips > 1)
		qsort(d->ips, d->nips, sizeof(*d->ips), ip_cmp);
	if (d->nseen > 1)
		qsort_r(d->seen, d->nseen, sizeof(*d->seen), seen_cmp,
		    L->targets);
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
	if (d->via == NONE)
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
		if (uplinks == 0)
			L->stats.arp_only++;
	}
	d->location = sb.len > 0 ? locate_astr(L, strbuf_str(&sb)) : NULL;
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

/* Devices by MAC, MAC-less ones after them by address or name. */
static int
dev_cmp(const void *a, const void *b, void *arg)
{
	const struct ldev *devs = arg;
	const struct locate_device *x = &devs[*(const size_t *)a].pub;
	const struct locate_device *y = &devs[*(const size_t *)b].pub;
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
		other = locate_hget(L, NS_TARGETDEV, t, 0, NULL);
		if (other == NONE) {
			if (locate_hput(L, NS_TARGETDEV, t, 0, NULL, i) != 0)
				return -1;
		} else if (dev_merge(L, dev_find(L, other), i) != 0)
			return -1;
	}
	return 0;
}

int
locate_solve(struct locate *L, char *err, size_t errlen)
{
	size_t i, n = L->ntargets > 0 ? L->ntargets : 1;

	if (L->solved)
		return errf(err, errlen, "locate: joined twice");
	L->solved = 1;
	L->tstats = calloc(n, sizeof(*L->tstats));
	L->tsysname = calloc(n, sizeof(*L->tsysname));
	L->tvlanmap = calloc(n, sizeof(*L->tvlanmap));
	if (L->tstats == NULL || L->tsysname == NULL || L->tvlanmap == NULL)
		goto nomem;
	if (locate_read_tables(L) != 0 || judge_ports(L) != 0 ||
	    add_neighbours(L) != 0 ||
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
	}
	if (L->norder > 1)
		qsort_r(L->order, L->norder, sizeof(*L->order), dev_cmp,
		    L->devs);
	for (i = 0; i < L->ntargets; i++)
		if (L->tstats[i].arp + L->tstats[i].fdb + L->tstats[i].lldp +
		    L->tstats[i].cdp > 0)
			L->stats.switches++;
	return 0;
nomem:
	return errf(err, errlen, "out of memory while locating devices");
}
