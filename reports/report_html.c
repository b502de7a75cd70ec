/*
 * report_html: the self-contained HTML report.  This file reads the run
 * from the store into the model (report_html_int.h) -- the run and the
 * previous run of its scope, the hosts, their coverage, the findings with
 * their status, a few key observations per host -- and works out the
 * figures; report_html_out.c writes it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "report_html_int.h"
#include "util.h"

#define POOL_BLOCK	65536

/* --- string pool ------------------------------------------------------ */

struct pool_block {
	struct pool_block	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

/* A copy of n bytes of s plus a NUL in the pool; NULL (and oom) on ENOMEM. */
static char *
pool_dupn(struct pool *p, const char *s, size_t n)
{
	struct pool_block *b = p->head;
	char *r;

	if (b == NULL || b->size - b->used < n + 1) {
		size_t size = n + 1 > POOL_BLOCK ? n + 1 : POOL_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (b == NULL) {
			p->oom = 1;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = p->head;
		p->head = b;
	}
	r = b->data + b->used;
	memcpy(r, s, n);
	r[n] = '\0';
	b->used += n + 1;
	return r;
}

static char *
pool_dup(struct pool *p, const char *s)
{
	return s != NULL ? pool_dupn(p, s, strlen(s)) : NULL;
}

/* host_attrs_copy()'s dup: a copy in the pool (which notes a failure). */
static const char *
attr_dup(void *arg, const char *s)
{
	return pool_dup(arg, s);
}

static void
pool_free(struct pool *p)
{
	struct pool_block *b, *next;

	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->head = NULL;
}

/* The observations shown per host, in this order. */
static const struct {
	enum obs_kind	 kind;
	const char	*attr;
} key_fields[KEY_OBS] = {
	{ OBS_SYSTEM, "descr" },
	{ OBS_SYSTEM, "objectid" },
	{ OBS_SYSTEM, "name" },
	{ OBS_SYSTEM, "manufacturer" },
	{ OBS_SYSTEM, "model" },
	{ OBS_SYSTEM, "os" },
	{ OBS_SYSTEM, "os_version" },
	{ OBS_SYSTEM, "serial" },
	{ OBS_ENTITY, "mfg" },
	{ OBS_ENTITY, "model" },
	{ OBS_VENDOR, NULL },		/* any: "item attr: value" */
	{ OBS_SYSTEM, "platform" },	/* an MDM's (report_html_phones.c) */
};

static enum sev
sev_of(const char *s)
{
	size_t i;

	for (i = 0; i < SEV_OTHER; i++)
		if (str_ieq(s, rhtml_sev_name((enum sev)i)))
			return (enum sev)i;
	return SEV_OTHER;
}

static enum fstatus
fstatus_of(const char *s)
{
	size_t i;

	for (i = 0; i < FS__COUNT; i++)
		if (s != NULL &&
		    strcmp(s, rhtml_fstatus_name((enum fstatus)i)) == 0)
			return (enum fstatus)i;
	return FS_NEW;
}

/* --- reading the store ------------------------------------------------ */

static int
keep(const struct model *m, const char *sector)
{
	return m->filter == NULL || str_ieq(m->filter, sector);
}

static int
copy_run(struct model *m, const struct run_info *ri, struct h_run *r)
{
	struct pool *p = &m->pool;

	r->id = ri->id;
	r->kind = pool_dup(p, ri->kind);
	r->status = ri->status;
	r->label = pool_dup(p, ri->label);
	r->scope = pool_dup(p, ri->scope);
	r->sector = pool_dup(p, ri->sector);
	r->site = pool_dup(p, ri->site);
	r->started = ri->started;
	r->finished = ri->finished;
	r->tool_version = pool_dup(p, ri->tool_version);
	r->rules_version = pool_dup(p, ri->rules_version);
	r->oui_registry = pool_dup(p, ri->oui_registry);
	r->origin = pool_dup(p, ri->origin);
	r->uuid = pool_dup(p, ri->uuid);
	return p->oom ? -1 : 0;
}

static int
cmp_host_id(const void *a, const void *b)
{
	const struct h_host *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static struct h_host *
host_find(const struct model *m, int64_t id)
{
	struct h_host key;

	if (m->nhosts == 0)
		return NULL;
	key.id = id;
	return bsearch(&key, m->hosts, m->nhosts, sizeof(*m->hosts),
	    cmp_host_id);
}

/* Adds a host (keeping the array sorted by id); NULL on ENOMEM. */
static struct h_host *
host_add(struct model *m, const struct host_row *r)
{
	struct pool *p = &m->pool;
	struct h_host *h;
	int sorted;

	if (array_grow(&m->hosts, m->nhosts, &m->hcap,
	    sizeof(*m->hosts)) == -1) {
		p->oom = 1;
		return NULL;
	}
	sorted = m->nhosts == 0 || m->hosts[m->nhosts - 1].id < r->id;
	h = &m->hosts[m->nhosts++];
	memset(h, 0, sizeof(*h));
	h->id = r->id;
	h->identity = pool_dup(p, r->identity);
	(void)host_attrs_copy(&h->h, &r->h, 0, attr_dup, p);
	h->discovered = r->discovered;
	if (!sorted) {
		qsort(m->hosts, m->nhosts, sizeof(*m->hosts), cmp_host_id);
		h = host_find(m, r->id);
	}
	return p->oom ? NULL : h;
}

static int
host_cb(void *arg, const struct host_row *r)
{
	struct model *m = arg;

	if (!keep(m, r->h.sector))
		return 0;
	return host_add(m, r) == NULL;
}

/*
 * A host of the previous run (not one seen only in neighbour tables) that
 * this run lacks: it was not assessed at all.  Called once this run's
 * hosts are all known.
 */
static int
prev_host_cb(void *arg, const struct host_row *r)
{
	struct model *m = arg;
	struct pool *p = &m->pool;
	struct h_missing *o;

	if (!keep(m, r->h.sector) || r->discovered || host_find(m, r->id) !=
	    NULL)
		return 0;
	if (array_grow(&m->missing, m->nmissing, &m->mcap,
	    sizeof(*m->missing)) == -1) {
		p->oom = 1;
		return 1;
	}
	o = &m->missing[m->nmissing++];
	memset(o, 0, sizeof(*o));
	o->id = r->id;
	o->identity = pool_dup(p, r->identity);
	(void)host_attrs_copy(&o->h, &r->h, 0, attr_dup, p);
	return p->oom;
}

/*
 * A host that has coverage or findings in the run but was not linked to
 * it with store_host() (the store allows it) is shown all the same.
 */
static int
host_ensure(struct model *m, int64_t id, const char *identity,
    const struct host_attrs *h)
{
	struct host_row r;

	if (host_find(m, id) != NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	r.id = id;
	r.identity = identity;
	r.h = *h;
	return host_add(m, &r) != NULL ? 0 : -1;
}

static int
cov_cb(void *arg, const struct coverage_row *r)
{
	struct model *m = arg;
	struct pool *p = &m->pool;
	struct h_cov *c;

	if (!keep(m, r->h.sector))
		return 0;
	if (host_ensure(m, r->host, r->host_identity, &r->h) == -1)
		return 1;
	if (array_grow(&m->cov, m->ncov, &m->ccap, sizeof(*m->cov)) == -1) {
		p->oom = 1;
		return 1;
	}
	c = &m->cov[m->ncov++];
	c->host = r->host;
	c->channel = r->cov.channel;
	c->probe = pool_dup(p, r->cov.probe);
	c->status = r->cov.status;
	c->detail = pool_dup(p, r->cov.detail);
	c->profile = pool_dup(p, r->cov.profile);
	c->elapsed_ms = r->cov.elapsed_ms;
	return p->oom;
}

static int
waiver_cb(void *arg, const struct waiver *w)
{
	struct model *m = arg;
	struct pool *p = &m->pool;
	struct h_waiver *o;

	if (w->finding_id == NULL)
		return 0;
	if (array_grow(&m->waivers, m->nwaivers, &m->wcap,
	    sizeof(*m->waivers)) == -1) {
		p->oom = 1;
		return 1;
	}
	o = &m->waivers[m->nwaivers++];
	memset(o, 0, sizeof(*o));
	o->finding_id = pool_dup(p, w->finding_id);
	o->reason = pool_dup(p, w->reason);
	o->until = pool_dup(p, w->until);
	o->created_by = pool_dup(p, w->created_by);
	o->created = w->created;
	return p->oom;
}

static int
cmp_waiver(const void *a, const void *b)
{
	const struct h_waiver *x = a, *y = b;

	return strcmp(x->finding_id, y->finding_id);
}

/* Sorts the waivers and judges them against the run's first day. */
static void
waivers_ready(struct model *m)
{
	char day[16];
	size_t i;

	if (m->nwaivers > 1)
		qsort(m->waivers, m->nwaivers, sizeof(*m->waivers),
		    cmp_waiver);
	fmt_date(m->run.started, day, sizeof(day));
	for (i = 0; i < m->nwaivers; i++)
		m->waivers[i].active = m->waivers[i].until != NULL &&
		    strcmp(m->waivers[i].until, day) >= 0;
}

/* bsearch(): a finding id against a waiver. */
static int
cmp_waiver_key(const void *key, const void *elem)
{
	const struct h_waiver *w = elem;

	return strcmp(key, w->finding_id);
}

static const struct h_waiver *
waiver_find(const struct model *m, const char *finding_id)
{
	if (finding_id == NULL || m->nwaivers == 0)
		return NULL;
	return bsearch(finding_id, m->waivers, m->nwaivers,
	    sizeof(*m->waivers), cmp_waiver_key);
}

static int
unassessed_cb(void *arg, const struct unassessed_row *r)
{
	struct model *m = arg;
	struct pool *p = &m->pool;
	struct h_unassessed *o;

	if (!keep(m, r->h.sector))
		return 0;
	if (array_grow(&m->unassessed, m->nunassessed, &m->ucap,
	    sizeof(*m->unassessed)) == -1) {
		p->oom = 1;
		return 1;
	}
	o = &m->unassessed[m->nunassessed++];
	o->identity = pool_dup(p, r->host_identity);
	(void)host_attrs_copy(&o->h, &r->h, 0, attr_dup, p);
	o->reason = pool_dup(p, r->reason);
	return p->oom;
}

static int
finding_cb(void *arg, const struct finding_row *r)
{
	struct model *m = arg;
	struct pool *p = &m->pool;
	const struct finding *f = &r->f;
	struct h_finding *o;

	if (!keep(m, r->h.sector))
		return 0;
	if (array_grow(&m->findings, m->nfindings, &m->fcap,
	    sizeof(*m->findings)) == -1) {
		p->oom = 1;
		return 1;
	}
	o = &m->findings[m->nfindings++];
	memset(o, 0, sizeof(*o));
	o->host = f->host;
	o->host_ix = SIZE_MAX;
	o->sev = sev_of(f->severity);
	o->rating = sev_of(f->risk_rating);
	o->status = fstatus_of(r->status);
	o->finding_id = pool_dup(p, f->finding_id);
	o->rule_id = pool_dup(p, f->rule_id);
	o->vendor = pool_dup(p, f->vendor);
	o->product = pool_dup(p, f->product);
	o->asset = pool_dup(p, f->asset);
	o->address = pool_dup(p, f->address);
	o->channel = pool_dup(p, f->channel);
	o->evidence = pool_dup(p, f->evidence);
	o->confidence = pool_dup(p, f->confidence);
	o->confidence_score = f->confidence_score;
	o->regulation = pool_dup(p, f->regulation);
	o->citation = pool_dup(p, f->citation);
	o->citation_url = pool_dup(p, f->citation_url);
	o->effective_date = pool_dup(p, f->effective_date);
	o->binding_scope = pool_dup(p, f->binding_scope);
	o->severity = pool_dup(p, f->severity);
	o->likelihood = f->likelihood;
	o->impact = f->impact;
	o->risk_score = f->risk_score;
	o->risk_rating = pool_dup(p, f->risk_rating);
	o->recommended_action = pool_dup(p, f->recommended_action);
	o->due_date = pool_dup(p, f->due_date);
	o->nevidence = f->nevidence;
	o->first_seen = r->first_seen;
	o->last_seen = r->last_seen;
	o->unverified = r->unverified;
	o->note = pool_dup(p, r->note);
	o->waiver = waiver_find(m, f->finding_id);
	o->host_identity = pool_dup(p, r->host_identity);
	(void)host_attrs_copy(&o->h, &r->h, 0, attr_dup, p);
	/* A finding observed in this run puts its host in the run. */
	if (o->status != FS_RESOLVED && !o->unverified) {
		struct host_attrs at = r->h;

		at.address = f->address;
		if (host_ensure(m, f->host, r->host_identity, &at) == -1)
			return 1;
	}
	return p->oom;
}

/*
 * How a key observation reads: a 6-byte hex value as a MAC, other hex as
 * 0x hex, the rest through render_value() (which shows binary as hex).
 */
static char *
render_obs(struct pool *p, const struct observation *ob)
{
	const unsigned char *v = ob->value;
	char *buf, *r;
	size_t len;

	if (ob->vtype == VAL_HEX && ob->len == 6) {
		char mac[sizeof("aa:bb:cc:dd:ee:ff")];

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		    v[0], v[1], v[2], v[3], v[4], v[5]);
		return pool_dup(p, mac);
	}
	len = 2 * ob->len + 3;
	buf = malloc(len);
	if (buf == NULL) {
		p->oom = 1;
		return NULL;
	}
	if (ob->vtype == VAL_HEX && ob->len > 0) {
		buf[0] = '0';
		buf[1] = 'x';
		hex_encode(v, ob->len, buf + 2);
	} else
		render_value(v, ob->len, buf, len);
	r = pool_dup(p, buf);
	free(buf);
	return r;
}

/* "item attr: value", for observations whose attribute varies. */
static char *
render_labelled(struct pool *p, const struct observation *ob)
{
	struct strbuf sb = STRBUF_INIT(SIZE_MAX / 2);
	char *v, *r;

	v = render_obs(p, ob);
	if (v == NULL)
		return NULL;
	strbuf_printf(&sb, "%s %s: %s", ob->item != NULL ? ob->item : "",
	    ob->attr != NULL ? ob->attr : "", v);
	if (sb.oom) {
		strbuf_free(&sb);
		p->oom = 1;
		return NULL;
	}
	r = pool_dup(p, strbuf_str(&sb));
	strbuf_free(&sb);
	return r;
}

static int
obs_cb(void *arg, const struct obs_row *r)
{
	struct model *m = arg;
	struct h_host *h;
	size_t i;

	h = host_find(m, r->host);
	if (h == NULL)
		return 0;	/* another sector's */
	h->nobs++;
	if (r->obs.kind == OBS_SOFTWARE && str_ieq(r->obs.attr, "name"))
		h->nsoftware++;
	if (r->obs.kind == OBS_NEIGHBOR && str_ieq(r->obs.attr, "mac"))
		h->nneighbour++;
	for (i = 0; i < KEY_OBS; i++) {
		if (h->key[i] != NULL || r->obs.kind != key_fields[i].kind ||
		    r->obs.len == 0)
			continue;
		if (key_fields[i].attr == NULL) {
			h->key[i] = render_labelled(&m->pool, &r->obs);
			break;
		}
		if (str_ieq(r->obs.attr, key_fields[i].attr)) {
			h->key[i] = render_obs(&m->pool, &r->obs);
			break;
		}
	}
	return m->pool.oom;
}

/* --- figures ---------------------------------------------------------- */

static int
name_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);	/* NULL last */
	return strcmp(a, b);
}

static int
sector_add(struct model *m, const char *name)
{
	size_t i;

	if (name != NULL && *name == '\0')
		name = NULL;
	for (i = 0; i < m->nsectors; i++)
		if (name_cmp(m->sectors[i].name, name) == 0)
			return 0;
	if (array_grow(&m->sectors, m->nsectors, &m->scap,
	    sizeof(*m->sectors)) == -1)
		return -1;
	memset(&m->sectors[m->nsectors], 0, sizeof(*m->sectors));
	m->sectors[m->nsectors++].name = name;	/* pooled */
	return 0;
}

static size_t
sector_ix(const struct model *m, const char *name)
{
	size_t i;

	if (name != NULL && *name == '\0')
		name = NULL;
	for (i = 0; i < m->nsectors; i++)
		if (name_cmp(m->sectors[i].name, name) == 0)
			return i;
	return 0;	/* not reached: every name was added */
}

static int
cmp_sector(const void *a, const void *b)
{
	const struct h_sector *x = a, *y = b;

	return name_cmp(x->name, y->name);
}

static int
vendor_count(struct h_sector *s, const struct h_finding *f)
{
	struct h_vendor *v = NULL;
	size_t i;

	for (i = 0; i < s->nvendors; i++)
		if (name_cmp(s->vendors[i].name, f->vendor) == 0) {
			v = &s->vendors[i];
			break;
		}
	if (v == NULL) {
		if (array_grow(&s->vendors, s->nvendors, &s->vcap,
		    sizeof(*s->vendors)) == -1)
			return -1;
		v = &s->vendors[s->nvendors++];
		memset(v, 0, sizeof(*v));
		v->name = f->vendor;
	}
	v->n[f->sev]++;
	v->total++;
	return 0;
}

static int
cmp_vendor(const void *a, const void *b)
{
	const struct h_vendor *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return name_cmp(x->name, y->name);
}

/*
 * How well a host was assessed.  Each channel's summary row (probe "")
 * decides: the collector marks it partial when a probe timed out or was
 * cut short, and ok when every probe either read its table or found the
 * device does not have it (no_such_table: a switch has no software table,
 * which is a fact, not a gap).  Without summary rows, the probe rows do.
 * The rule is assess_level() (obs.h), shared with every other count.
 */
static enum level
host_level(const struct model *m, const struct h_host *h)
{
	static const enum level of[ASSESS__COUNT] = {
		[ASSESS_FULL] = LV_ASSESSED,
		[ASSESS_PARTIAL] = LV_PARTIAL,
		[ASSESS_NONE] = LV_NOT_ASSESSED,
		[ASSESS_NEIGHBOUR] = LV_NEIGHBOUR,
	};
	struct assess_acc a;
	size_t i;

	memset(&a, 0, sizeof(a));
	for (i = h->cov_first; i < h->cov_first + h->ncov; i++)
		assess_add(&a, m->cov[i].probe, m->cov[i].status);
	return of[assess_level(&a, h->discovered)];
}

/* Hosts in report order: sector, then address (IPv4, IPv6, names), id. */
struct host_key {
	size_t		 ix;
	size_t		 sector;
	int		 family;	/* 0 IPv4, 1 IPv6, 2 name, 3 none */
	unsigned char	 addr[16];
	const char	*text;
	int64_t		 id;
};

static int
cmp_host_key(const void *a, const void *b)
{
	const struct host_key *x = a, *y = b;
	int c;

	if (x->sector != y->sector)
		return x->sector < y->sector ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->family < 2 && (c = memcmp(x->addr, y->addr, 16)) != 0)
		return c;
	if (x->family == 2 && (c = strcmp(x->text, y->text)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

static int
order_hosts(struct model *m)
{
	struct host_key *k;
	size_t i;

	k = calloc(m->nhosts + 1, sizeof(*k));
	m->order = calloc(m->nhosts + 1, sizeof(*m->order));
	if (k == NULL || m->order == NULL) {
		free(k);
		return -1;
	}
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *h = &m->hosts[i];

		k[i].ix = i;
		k[i].sector = h->sector_ix;
		k[i].id = h->id;
		k[i].text = h->h.address;
		if (h->h.address == NULL)
			k[i].family = 3;
		else if (inet_pton(AF_INET, h->h.address, k[i].addr) == 1)
			k[i].family = 0;
		else if (inet_pton(AF_INET6, h->h.address, k[i].addr) == 1)
			k[i].family = 1;
		else
			k[i].family = 2;
	}
	qsort(k, m->nhosts, sizeof(*k), cmp_host_key);
	for (i = 0; i < m->nhosts; i++)
		m->order[i] = k[i].ix;
	free(k);
	return 0;
}

/* Open findings first, then resolved ones, each in the store's order. */
static int
partition_findings(struct model *m)
{
	struct h_finding *nf;
	size_t i, n = 0;
	int pass;

	if (m->nfindings == 0)
		return 0;
	nf = calloc(m->nfindings, sizeof(*nf));
	if (nf == NULL)
		return -1;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < m->nfindings; i++)
			if ((m->findings[i].status == FS_RESOLVED) == pass) {
				nf[n] = m->findings[i];
				nf[n].n = n + 1;
				n++;
			}
	free(m->findings);
	m->findings = nf;
	m->fcap = m->nfindings;
	return 0;
}

static int
figures(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nhosts; i++)
		if (sector_add(m, m->hosts[i].h.sector) == -1)
			return -1;
	for (i = 0; i < m->nfindings; i++)
		if (sector_add(m, m->findings[i].h.sector) == -1)
			return -1;
	for (i = 0; i < m->nmissing; i++)
		if (sector_add(m, m->missing[i].h.sector) == -1)
			return -1;
	if (m->nsectors > 1)
		qsort(m->sectors, m->nsectors, sizeof(*m->sectors),
		    cmp_sector);
	if (partition_findings(m) == -1)
		return -1;

	/* Coverage rows come by host id, like the hosts. */
	for (i = 0; i < m->ncov; i++) {
		struct h_host *h = host_find(m, m->cov[i].host);

		if (h == NULL)
			continue;	/* not reached: host_ensure() */
		if (h->ncov++ == 0)
			h->cov_first = i;
		m->cov_count[m->cov[i].status][m->cov[i].channel]++;
	}
	for (i = 0; i < m->nhosts; i++) {
		struct h_host *h = &m->hosts[i];
		struct h_sector *s;

		h->sector_ix = sector_ix(m, h->h.sector);
		h->level = host_level(m, h);
		h->worst = SEV__COUNT;
		h->first_open = SIZE_MAX;
		s = &m->sectors[h->sector_ix];
		s->hosts++;
		s->level[h->level]++;
		m->level[h->level]++;
	}
	for (i = 0; i < m->nmissing; i++) {
		m->missing[i].sector_ix = sector_ix(m, m->missing[i].h.sector);
		m->sectors[m->missing[i].sector_ix].missing++;
	}
	for (i = 0; i < m->nfindings; i++) {
		struct h_finding *f = &m->findings[i];
		struct h_sector *s;
		struct h_host *h;

		f->sector_ix = sector_ix(m, f->h.sector);
		s = &m->sectors[f->sector_ix];
		s->status[f->status]++;
		m->status[f->status]++;
		h = host_find(m, f->host);
		if (h != NULL)
			f->host_ix = (size_t)(h - m->hosts);
		if (f->status == FS_RESOLVED)
			continue;
		s->open[f->sev]++;
		s->nopen++;
		m->open[f->sev]++;
		m->nopen++;
		if (f->waiver != NULL && f->waiver->active)
			m->waived++;
		if (f->unverified)
			m->unverified++;
		if (vendor_count(s, f) == -1)
			return -1;
		if (h != NULL) {
			h->open++;
			if (f->sev < h->worst)
				h->worst = f->sev;
		}
	}
	/* Each host's open findings, in report order. */
	for (i = m->nfindings; i-- > 0;) {
		struct h_finding *f = &m->findings[i];

		f->next_open = SIZE_MAX;
		if (f->status == FS_RESOLVED || f->host_ix == SIZE_MAX)
			continue;
		f->next_open = m->hosts[f->host_ix].first_open;
		m->hosts[f->host_ix].first_open = i;
	}
	for (i = 0; i < m->nsectors; i++)
		if (m->sectors[i].nvendors > 1)
			qsort(m->sectors[i].vendors, m->sectors[i].nvendors,
			    sizeof(*m->sectors[i].vendors), cmp_vendor);
	return order_hosts(m);
}

static void
model_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nsectors; i++)
		free(m->sectors[i].vendors);
	free(m->sectors);
	free(m->waivers);
	free(m->unassessed);
	free(m->missing);
	free(m->findings);
	free(m->cov);
	free(m->order);
	free(m->hosts);
	rhtml_leads_free(m);
	pool_free(&m->pool);
}

/* A note of a ban elsewhere gives its host a detail article. */
static void
elsewhere_host(struct model *m, int64_t id)
{
	struct h_host *x = host_find(m, id);

	if (x != NULL)
		x->nelsewhere++;
}

static int
load(struct store *s, int64_t run, struct model *m, char *err,
    size_t errlen)
{
	struct run_info ri;
	int64_t prev;

	if (store_run_get(s, run, &ri, err, errlen) == -1)
		return -1;
	if (copy_run(m, &ri, &m->run) == -1)
		goto oom;
	if (store_previous_run(s, run, &prev, err, errlen) == -1)
		return -1;
	if (prev != 0) {
		if (store_run_get(s, prev, &ri, err, errlen) == -1)
			return -1;
		if (copy_run(m, &ri, &m->prev) == -1)
			goto oom;
	}
	if (store_each_waiver(s, waiver_cb, m, err, errlen) == -1)
		return -1;
	if (m->pool.oom)
		goto oom;
	waivers_ready(m);
	if (m->prev.id != 0 && store_each_unassessed(s, run, m->prev.id,
	    unassessed_cb, m, err, errlen) == -1)
		return -1;
	if (store_each_host(s, run, host_cb, m, err, errlen) == -1)
		return -1;
	if (m->pool.oom)
		goto oom;
	if (store_each_coverage(s, run, cov_cb, m, err, errlen) == -1)
		return -1;
	if (m->pool.oom)
		goto oom;
	if (store_each_finding(s, run, finding_cb, m, err, errlen) == -1)
		return -1;
	if (m->pool.oom)
		goto oom;
	if (store_each_observation(s, run, 0, obs_cb, m, err, errlen) == -1 ||
	    rhtml_leads_load(s, run, m, err, errlen) == -1 ||
	    rhtml_elsewhere_load(s, run, m, elsewhere_host, err,
	    errlen) == -1)
		return -1;
	if (m->prev.id != 0 && store_each_host(s, m->prev.id, prev_host_cb,
	    m, err, errlen) == -1)
		return -1;
	if (m->pool.oom || figures(m) == -1)
		goto oom;
	return 0;
oom:
	return errf(err, errlen, "cannot write the HTML report: %s",
	    strerror(ENOMEM));
}

struct host_count {
	const char	*filter;
	size_t		 n;
};

static int
count_cb(void *arg, const struct host_row *r)
{
	struct host_count *hc = arg;

	/* The sector filter ignores case, as everywhere (report.h). */
	if (hc->filter == NULL || (r->h.sector != NULL &&
	    strcasecmp(r->h.sector, hc->filter) == 0))
		hc->n++;
	return 0;
}

int
report_html(struct store *s, const struct report_opts *opts, FILE *fp,
    char *err, size_t errlen)
{
	struct host_count hc = { opts->sector, 0 };
	struct model m;
	struct html h;
	size_t max = opts->html_max_hosts != 0 ? opts->html_max_hosts :
	    REPORT_HTML_MAX_HOSTS;
	int rc = -1;

	/* A run too large to list is summarised, in bounded memory. */
	if (store_each_host(s, opts->run, count_cb, &hc, err, errlen) == -1)
		return -1;
	if (hc.n > max)
		return rhtml_summary(s, opts, fp, max, err, errlen);
	memset(&m, 0, sizeof(m));
	m.filter = opts->sector;
	if (load(s, opts->run, &m, err, errlen) == -1)
		goto out;
	html_init(&h, fp);
	rc = rhtml_document(&h, &m, err, errlen);
out:
	model_free(&m);
	return rc;
}
