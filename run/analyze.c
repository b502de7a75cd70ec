/*
 * analyze: observations of a run -> matcher -> findings.
 *
 * The store hands rows out ordered by host; rows of one host are copied
 * (the store's strings are borrowed) into a per-host buffer, matched when
 * the host changes, and the buffer is reused for the next host.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "analyze_int.h"
#include "juris.h"
#include "match.h"
#include "resolution.h"
#include "risk.h"
#include "sector.h"
#include "util.h"

#define EVIDENCE_MAX	2000	/* bytes of evidence text per finding */
#define VALUE_SHOWN	160	/* bytes of one value shown in evidence */

/*
 * The BIS Final Determination on Kaspersky (89 FR 52434, 2024-06-24) ends
 * anti-virus signature and codebase updates to US persons on 2024-09-29.
 * The date is taken from the rule pack when a regulation of the rule says
 * so (kaspersky_cutoff()); this is the fallback when it does not.
 */
#define KASPERSKY_UPDATE_CUTOFF	"2024-09-29"

#define BLOCK_SIZE	65536
#define ANALYZE_SPARE	8	/* emptied host buffers kept */
/*
 * Buffers that never held a row (an identity scan's hosts: every row
 * offered, none kept) are a few dozen bytes: as many are kept as hosts
 * are in flight, so that a host's first row takes one from the list
 * instead of a calloc() (and its last a free()).
 */
#define ANALYZE_BARE	1024

/* Copies n bytes (NUL-terminated); NULL on ENOMEM. */
static const char *
copy_bytes(struct analyze_rows *hr, const void *p, size_t n)
{
	struct block *b = hr->blocks;
	char *dst;

	if (b == NULL || b->used + n + 1 > b->cap) {
		size_t cap = n + 1 > BLOCK_SIZE ? n + 1 : BLOCK_SIZE;

		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = hr->blocks;
		hr->blocks = b;
	}
	dst = b->data + b->used;
	if (n > 0)
		memcpy(dst, p, n);
	dst[n] = '\0';
	b->used += n + 1;
	return dst;
}

static int
copy_str(struct analyze_rows *hr, const char **s)
{
	if (*s == NULL)
		return 0;
	*s = copy_bytes(hr, *s, strlen(*s));
	return *s == NULL ? -1 : 0;
}

/* Keeps only the newest block, emptied, for the next host. */
static void
rows_reset(struct analyze_rows *hr)
{
	struct block *b, *next;

	hr->n = 0;
	hr->offered = 0;
	if (hr->blocks == NULL)
		return;
	for (b = hr->blocks->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	hr->blocks->next = NULL;
	hr->blocks->used = 0;
}

static void
rows_free(struct analyze_rows *hr)
{
	rows_reset(hr);
	free(hr->blocks);
	free(hr->v);
}

int
analyze_add_row(struct analyze_rows *hr, const struct obs_row *r)
{
	struct obs_row *c;

	if (hr->n == hr->size) {
		size_t ns = hr->size ? hr->size * 2 : 256;
		struct obs_row *nv = realloc(hr->v, ns * sizeof(*nv));

		if (nv == NULL)
			return -1;
		hr->v = nv;
		hr->size = ns;
	}
	c = &hr->v[hr->n];
	*c = *r;
	if (copy_str(hr, &c->host_identity) != 0 ||
	    copy_str(hr, &c->h.address) != 0 ||
	    copy_str(hr, &c->h.name) != 0 ||
	    copy_str(hr, &c->h.sector) != 0 ||
	    copy_str(hr, &c->h.site) != 0 ||
	    copy_str(hr, &c->h.jurisdiction) != 0 ||
	    copy_str(hr, &c->obs.item) != 0 ||
	    copy_str(hr, &c->obs.attr) != 0 ||
	    copy_str(hr, &c->obs.source) != 0)
		return -1;
	c->obs.value = copy_bytes(hr, r->obs.value, r->obs.len);
	if (c->obs.value == NULL)
		return -1;
	/* The copy's item no longer lies in its source (struct observation). */
	c->obs.col = NULL;
	hr->n++;
	return 0;
}

static const struct obs_row *
row_by_id(const struct analyze_rows *hr, int64_t id)
{
	size_t i;

	/* Evidence lists are short (match.h caps them): a scan is fine. */
	for (i = 0; i < hr->n; i++)
		if (hr->v[i].id == id)
			return &hr->v[i];
	return NULL;
}

/*
 * Joins the distinct channels of the evidence: "snmp", "snmp;agent".
 * Returns how many there are.
 */
static int
evidence_channels(const struct analyze_rows *hr, const struct match_hit *h,
    struct strbuf *sb)
{
	unsigned seen = 0;
	size_t i;
	int n = 0;

	for (i = 0; i < h->n; i++) {
		const struct obs_row *r = row_by_id(hr, h->obs_ids[i]);

		if (r == NULL || (seen & (1u << r->channel)))
			continue;
		seen |= 1u << r->channel;
		n++;
		strbuf_printf(sb, "%s%s", sb->len ? ";" : "",
		    channel_name(r->channel));
	}
	return n;
}

/* Is a process of the product among the evidence (running, not only
 * installed)? */
static int
evidence_running(const struct analyze_rows *hr, const struct match_hit *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct obs_row *r = row_by_id(hr, h->obs_ids[i]);

		if (r != NULL && r->obs.kind == OBS_PROCESS)
			return 1;
	}
	return 0;
}

static void
evidence_text(const struct analyze_rows *hr, const struct match_hit *h,
    struct strbuf *sb)
{
	char val[VALUE_SHOWN + 8];
	size_t i;

	if (h->rule->action == ACTION_VERIFY)
		strbuf_puts(sb, "possible, verify: ");
	for (i = 0; i < h->n; i++) {
		const struct obs_row *r = row_by_id(hr, h->obs_ids[i]);

		if (r == NULL)
			continue;
		render_value(r->obs.value, r->obs.len, val, VALUE_SHOWN);
		if (r->obs.len > VALUE_SHOWN)
			str_copy(val + strlen(val), "...", 4);
		strbuf_printf(sb, "%s%s %s.%s \"%s\" (%s)", i ? "; " : "",
		    channel_name(r->channel), obs_kind_name(r->obs.kind),
		    r->obs.attr, val, r->obs.source ? r->obs.source : "");
	}
	if (h->total > h->n)
		strbuf_printf(sb, "; and %zu more", h->total - h->n);
	if (sb->truncated)
		strbuf_puts(sb, " ...");
}

/* Case-insensitive ASCII substring test. */
static int
has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}

/*
 * The update cutoff: the effective date of the rule's regulation about
 * updates whose title names that date (the BIS determination, whose title
 * reads "... no signature or codebase updates ... from 2024-09-29"), else
 * the fallback.
 */
static const char *
kaspersky_cutoff(const struct rule *rule)
{
	int64_t t;
	size_t i;

	for (i = 0; i < rule->nregs; i++) {
		const struct regulation *g = rule->regs[i];

		if (g->effective_date != NULL &&
		    parse_date(g->effective_date, &t) == 0 &&
		    has_word(g->title, "update") && g->title != NULL &&
		    strstr(g->title, g->effective_date) != NULL)
			return g->effective_date;
	}
	return KASPERSKY_UPDATE_CUTOFF;
}

/* The value of attr in the antivirus entry (channel, item), or NULL. */
static const struct obs_row *
av_value(const struct analyze_rows *hr, const struct obs_row *of,
    const char *attr)
{
	size_t i;

	for (i = 0; i < hr->n; i++) {
		const struct obs_row *r = &hr->v[i];

		if (r->obs.kind == OBS_ANTIVIRUS && r->channel == of->channel &&
		    strcmp(r->obs.item, of->obs.item) == 0 &&
		    strcmp(r->obs.attr, attr) == 0)
			return r;
	}
	return NULL;
}

/*
 * A Kaspersky finding on a host whose agent reports its anti-virus
 * products says what the signature base date means: after the cutoff,
 * updates still arrive from a banned source; before it, the protection is
 * stale and the product banned.  Both need an auditor; the text says
 * which.  The newest date of the host's Kaspersky entries counts.
 */
static void
kaspersky_note(const struct analyze_rows *hr, const struct match_hit *h,
    struct strbuf *sb)
{
	const char *newest = NULL, *cutoff;
	size_t i;
	int has_av = 0;

	if (!has_word(h->rule->vendor, "kaspersky"))
		return;
	for (i = 0; i < hr->n; i++) {
		const struct obs_row *r = &hr->v[i], *nm, *co;
		const char *d = r->obs.value;
		int64_t t;

		if (r->obs.kind != OBS_ANTIVIRUS)
			continue;
		has_av = 1;
		if (strcmp(r->obs.attr, "base_date") != 0 ||
		    parse_date(d, &t) != 0)
			continue;
		nm = av_value(hr, r, "name");
		co = av_value(hr, r, "company");
		if ((nm == NULL || !has_word(nm->obs.value, "kaspersky")) &&
		    (co == NULL || !has_word(co->obs.value, "kaspersky")))
			continue;
		if (newest == NULL || strcmp(d, newest) > 0)
			newest = d;
	}
	if (!has_av)
		return;
	cutoff = kaspersky_cutoff(h->rule);
	if (newest == NULL)
		strbuf_puts(sb, "no signature base date reported");
	else if (strcmp(newest, cutoff) >= 0)
		strbuf_printf(sb, "signature base %s: after the %s cutoff -- "
		    "updates still arriving from a banned source", newest,
		    cutoff);
	else
		strbuf_printf(sb, "signature base %s: before the %s cutoff -- "
		    "stale protection on a banned product", newest, cutoff);
}

/*
 * Where a device seen in switch and router tables is (locate.h): the
 * switch, interface and VLAN, said once per finding.
 */
static void
location_note(const struct analyze_rows *hr, struct strbuf *sb)
{
	char val[512];
	size_t i;

	for (i = 0; i < hr->n; i++) {
		const struct obs_row *r = &hr->v[i];

		if (r->channel != CHAN_DERIVED || r->obs.kind != OBS_NEIGHBOR ||
		    r->obs.item[0] != '\0' ||
		    strcmp(r->obs.attr, "location") != 0)
			continue;
		render_value(r->obs.value, r->obs.len, val, sizeof(val));
		strbuf_printf(sb, "%slocated: %s", sb->len > 0 ? "; " : "",
		    val);
		return;
	}
}

/* Is regulation g in force for a host of jurisdiction juris on date? */
static int
in_force_here(const struct regulation *g, const char *juris,
    const char *date)
{
	return juris_covers(g->jurisdiction, juris) &&
	    juris_in_force(g->effective_date, g->repealed, date);
}

/* What the cited regulations of one finding say, joined. */
struct cited {
	struct strbuf	 title;		/* short names, "; " */
	struct strbuf	 cite;		/* citations, "; " */
	struct strbuf	 scope;		/* "NAME: obligation (...); ..." */
	const struct regulation *reg0;	/* the first cited */
	size_t		 n;		/* regulations cited */
	int		 all;		/* the profile chose none: all cited */
	int		 state_skipped;	/* a state's, on a host without one */
};

/*
 * Cites the rule's regulations that are in force for the host (its
 * jurisdiction, the run's date) and that the sector profile applies --
 * all those in force when the profile applies none of them (c->all).
 * c->n == 0: no regulation binds here, and the hit is no finding.
 */
static void
cite_regs(const struct rule *rule, const struct sector_profile *p,
    const char *juris, const char *date, struct cited *c)
{
	char scope[256];
	size_t i, here = 0, chosen = 0;

	for (i = 0; i < rule->nregs; i++) {
		const struct regulation *g = rule->regs[i];

		if (!in_force_here(g, juris, date)) {
			if ((juris == NULL || juris[0] == '\0') &&
			    juris_is_state(g->jurisdiction))
				c->state_skipped = 1;
			continue;
		}
		here++;
		chosen += p != NULL && sector_applies(p, g->id);
	}
	c->all = chosen == 0;
	for (i = 0; i < rule->nregs; i++) {
		const struct regulation *g = rule->regs[i];

		if (!in_force_here(g, juris, date) ||
		    (!c->all && !sector_applies(p, g->id)))
			continue;
		if (c->reg0 == NULL)
			c->reg0 = g;
		juris_scope(g->binds, p != NULL ? p->owners : 0, p != NULL,
		    scope, sizeof(scope));
		strbuf_printf(&c->title, "%s%s", c->n ? "; " : "", g->name);
		strbuf_printf(&c->cite, "%s%s", c->n ? "; " : "", g->citation);
		strbuf_printf(&c->scope, "%s%s: %s", c->n ? "; " : "", g->name,
		    scope);
		c->n++;
	}
	c->all = c->all && p != NULL && here > 0;
}

/*
 * What every stored row of a hit shares -- a finding, a lead or a ban
 * elsewhere: the run and host, its id, the rule's vendor and product, the
 * asset and address, the evidence (ev and chans, which the caller filled
 * and frees) with its observations, and the confidence.  The rest of f is
 * cleared.
 */
static void
hit_row(const struct analyze *c, const struct match_hit *h, const char *fid,
    struct strbuf *ev, struct strbuf *chans, struct finding *f)
{
	const struct obs_row *first = &c->cur->v[0];

	memset(f, 0, sizeof(*f));
	f->run = c->run;
	f->host = c->cur->host;
	f->finding_id = fid;
	f->rule_id = h->rule->id;
	f->vendor = h->rule->vendor;
	f->product = h->rule->product;
	f->asset = first->h.name != NULL && first->h.name[0] != '\0' ?
	    first->h.name : first->h.address;
	f->address = first->h.address;
	f->channel = strbuf_str(chans);
	f->evidence = strbuf_str(ev);
	f->confidence = h->confidence;
	f->confidence_score = h->score;
	f->evidence_ids = h->obs_ids;
	f->nevidence = h->n;
}

/*
 * A hit that no regulation binding here makes a finding, but that another
 * state's list bans (in force on the run's date): a note of the host
 * (store.h, FINDING_ELSEWHERE), never a finding -- evidence and which
 * lists ban it where, no regulation, risk or due date.  Nothing is
 * written when no other state bans it.
 */
static int
write_elsewhere(struct analyze *c, const struct match_hit *h, const char *juris)
{
	const struct obs_row *first = &c->cur->v[0];
	struct strbuf ev = STRBUF_INIT(EVIDENCE_MAX);
	struct strbuf why = STRBUF_INIT(2048);
	struct strbuf chans = STRBUF_INIT(64);
	struct finding f;
	char fid[FINDING_ID_LEN], key[128];
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < h->rule->nregs; i++) {
		const struct regulation *g = h->rule->regs[i];

		if (!juris_is_state(g->jurisdiction) ||
		    juris_covers(g->jurisdiction, juris) ||
		    !juris_in_force(g->effective_date, g->repealed, c->date))
			continue;
		if (n++ > 0)
			strbuf_puts(&why, "; ");
		else if (juris != NULL && juris[0] != '\0')
			strbuf_printf(&why, "not a finding in %s: no "
			    "regulation that applies there bans it; banned "
			    "elsewhere by ", juris);
		else
			strbuf_puts(&why, "not a finding: no jurisdiction "
			    "given, state lists not applied; banned "
			    "elsewhere by ");
		strbuf_printf(&why, "%s (%s)", g->name, g->jurisdiction);
	}
	if (n == 0)
		goto out;
	evidence_text(c->cur, h, &ev);
	evidence_channels(c->cur, h, &chans);
	/* Its own id: never the id the finding of this rule would have. */
	snprintf(key, sizeof(key), "elsewhere:%s", h->rule->id);
	finding_id_make(first->host_identity, key, fid);
	hit_row(c, h, fid, &ev, &chans, &f);
	f.lead = FINDING_ELSEWHERE;
	f.note = strbuf_str(&why);
	rc = store_finding(c->st, &f, c->err, c->errlen);
out:
	strbuf_free(&ev);
	strbuf_free(&why);
	strbuf_free(&chans);
	return rc;
}

/*
 * The fallback rule of the hit's vendor whose own signals are part of
 * the hit's evidence (match.h: it joined the flag hit), or NULL.
 */
static const struct rule *
joined_fallback(const struct match_hit *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct rule *r = h->sigs[i]->rule;

		if (r != h->rule && r->action == ACTION_FALLBACK &&
		    strcasecmp(r->vendor, h->rule->vendor) == 0)
			return r;
	}
	return NULL;
}

static int
write_hit(struct analyze *c, const struct match_hit *h)
{
	const struct obs_row *first = &c->cur->v[0];
	struct strbuf ev = STRBUF_INIT(EVIDENCE_MAX);
	struct strbuf note = STRBUF_INIT(1024);
	struct cited reg = { STRBUF_INIT(1024), STRBUF_INIT(1024),
	    STRBUF_INIT(2048), NULL, 0, 0, 0 };
	struct strbuf action = STRBUF_INIT(1024);
	struct strbuf chans = STRBUF_INIT(64);
	const struct sector_profile *prof;
	struct risk_in ri;
	struct risk_out ro;
	struct finding f;
	char fid[FINDING_ID_LEN], wording[1024];
	const struct rule *fb;
	const char *juris;
	int rc = -1, nchans;
	size_t i;

	prof = sector_set_find(c->sectors, first->h.sector);
	juris = first->h.jurisdiction;
	if ((juris == NULL || juris[0] == '\0') && prof != NULL &&
	    prof->jurisdiction[0] != '\0')
		juris = prof->jurisdiction;
	cite_regs(h->rule, prof, juris, c->date, &reg);
	/*
	 * No regulation of the specific rule binds here, but the vendor's
	 * generic signals matched too: the finding the fallback would have
	 * raised on its own stands, on the fallback's regulations.
	 */
	fb = reg.n == 0 ? joined_fallback(h) : NULL;
	if (fb != NULL) {
		memset(&reg, 0, sizeof(reg));
		reg.title.cap = reg.cite.cap = 1024;
		reg.scope.cap = 2048;
		cite_regs(fb, prof, juris, c->date, &reg);
		if (reg.n > 0)
			strbuf_printf(&note, "no regulation of this product's "
			    "rule binds here; cited as %s equipment (rule %s)",
			    fb->vendor, fb->id);
	}
	if (reg.n == 0) {
		/*
		 * Banned by no regulation that binds here: no finding; a note
		 * of the host when another state bans it.
		 */
		rc = write_elsewhere(c, h, juris);
		goto out;
	}
	/*
	 * The notes go last but must survive the evidence's length cap;
	 * where the device was seen stays the last of them.
	 */
	if (reg.state_skipped)
		strbuf_printf(&note, "%sno jurisdiction given: state lists "
		    "not applied", note.len > 0 ? "; " : "");
	kaspersky_note(c->cur, h, &note);
	location_note(c->cur, &note);
	if (reg.all)
		strbuf_printf(&note, "%sthe %s sector profile applies none of "
		    "this rule's regulations: all are listed",
		    note.len > 0 ? "; " : "", prof->name);
	ev.cap = EVIDENCE_MAX - note.len - 2;
	evidence_text(c->cur, h, &ev);
	if (note.len > 0) {
		ev.cap = EVIDENCE_MAX;
		strbuf_printf(&ev, "%s%s", ev.len > 0 ? "; " : "",
		    strbuf_str(&note));
	}
	nchans = evidence_channels(c->cur, h, &chans);
	finding_id_make(first->host_identity, h->rule->id, fid);

	/* README.md "Risk scoring"; the sector profile sets the weights. */
	memset(&ri, 0, sizeof(ri));
	ri.severity = h->rule->severity;
	ri.confidence = h->confidence;
	ri.verify = h->rule->action == ACTION_VERIFY;
	ri.running = evidence_running(c->cur, h);
	ri.channels = nchans;
	ri.criticality = first->h.criticality;
	ri.sector_weight = prof != NULL ? prof->impact_weight : 0;
	ri.exposure_running = prof != NULL ? prof->exposure_running : 1;
	ri.exposure_channels = prof != NULL ? prof->exposure_channels : 1;
	for (i = 0; prof != NULL && i < RISK__LEVELS; i++)
		ri.due_days[i] = prof->due_days[i];
	/* Due dates count from the first sighting, not from this run. */
	if (store_finding_first_seen(c->st, c->run, fid, &ri.found, c->err,
	    c->errlen) != 0)
		goto out;
	if (ri.found == 0)
		ri.found = c->started;
	risk_assess(&ri, &ro);
	if (ri.verify)
		strbuf_printf(&action, "Verify whether this is %s %s; if it "
		    "is: ", h->rule->vendor, h->rule->product);
	sector_action(prof, h->rule->vendor, h->rule->product,
	    h->rule->severity, wording, sizeof(wording));
	if (wording[0] != '\0')
		strbuf_puts(&action, wording);
	else
		strbuf_printf(&action, "%s %s %s on this asset and record "
		    "the decision in the risk register.", ri.verify ?
		    "remove or replace" : "Remove or replace",
		    h->rule->vendor, h->rule->product);

	hit_row(c, h, fid, &ev, &chans, &f);
	f.regulation = strbuf_str(&reg.title);
	f.citation = strbuf_str(&reg.cite);
	f.citation_url = reg.reg0->url;
	f.effective_date = reg.reg0->effective_date;
	f.binding_scope = strbuf_str(&reg.scope);
	f.severity = h->rule->severity;
	f.likelihood = ro.likelihood;
	f.impact = ro.impact;
	f.risk_score = ro.score;
	f.risk_rating = ro.rating;
	f.recommended_action = strbuf_str(&action);
	f.due_date = ro.due_date;
	rc = store_finding(c->st, &f, c->err, c->errlen);
	if (rc == 0)
		c->stats->findings++;
out:
	strbuf_free(&ev);
	strbuf_free(&note);
	strbuf_free(&reg.title);
	strbuf_free(&reg.cite);
	strbuf_free(&reg.scope);
	strbuf_free(&action);
	strbuf_free(&chans);
	return rc;
}

/*
 * A lead (rules.h, ACTION_LEAD): something to check on site, not a
 * finding -- evidence and the reason (the rule's description), never a
 * regulation, risk or due date.  Reports list leads apart (store.h).
 */
static int
write_lead(struct analyze *c, const struct match_hit *h)
{
	const struct obs_row *first = &c->cur->v[0];
	struct strbuf ev = STRBUF_INIT(EVIDENCE_MAX);
	struct strbuf chans = STRBUF_INIT(64);
	struct finding f;
	char fid[FINDING_ID_LEN];
	int rc;

	evidence_text(c->cur, h, &ev);
	evidence_channels(c->cur, h, &chans);
	finding_id_make(first->host_identity, h->rule->id, fid);
	hit_row(c, h, fid, &ev, &chans, &f);
	f.lead = 1;
	f.note = h->rule->description;
	rc = store_finding(c->st, &f, c->err, c->errlen);
	strbuf_free(&ev);
	strbuf_free(&chans);
	return rc;
}

/* Matches the gathered host and writes its findings; resets the buffer. */
int
analyze_flush_host(struct analyze *c)
{
	struct match_result res;
	size_t i;
	int rc = 0;

	if (c->cur->n == 0)
		return 0;
	memset(&res, 0, sizeof(res));
	if (match_host(c->pack, c->cur->v, c->cur->n, &res, c->err,
	    c->errlen) != 0)
		return -1;
	c->stats->hosts++;
	for (i = 0; i < res.nhits && rc == 0; i++) {
		if (res.hits[i].rule->action == ACTION_EXCLUDE)
			continue;
		if (res.hits[i].rule->action == ACTION_LEAD) {
			rc = write_lead(c, &res.hits[i]);
			if (rc == 0)
				c->stats->leads++;
			continue;
		}
		rc = write_hit(c, &res.hits[i]);
	}
	match_result_free(&res);
	rows_reset(c->cur);
	return rc;
}

int
analyze_begin(struct analyze **ap, struct store *st, int64_t run,
    const struct rule_pack *pack, const struct sector_set *sectors,
    struct analyze_stats *stats, char *err, size_t errlen)
{
	struct run_info ri;
	struct analyze *c;

	*ap = NULL;
	memset(stats, 0, sizeof(*stats));
	if (store_run_get(st, run, &ri, err, errlen) != 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return errf(err, errlen, "out of memory while matching");
	/* Values seen once (a host's own names) stay out of the memo. */
	c->memo = match_memo_new(pack, 0);
	if (c->memo == NULL || match_memo_twice(c->memo) == -1) {
		match_memo_free(c->memo);
		free(c);
		return errf(err, errlen, "out of memory while matching");
	}
	c->st = st;
	c->pack = pack;
	c->sectors = sectors;
	c->run = run;
	c->stats = stats;
	c->err = err;
	c->errlen = errlen;
	c->started = ri.started;
	fmt_date(c->started, c->date, sizeof(c->date));
	*ap = c;
	return 0;
}

int
analyze_test(struct analyze *c, enum channel ch, const struct observation *o,
    uint64_t *key, uint32_t *ref)
{
	int counts;

	*key = 0;
	*ref = 0;
	/* As on_row(): a neighbour row is matched where locate puts it. */
	if (o->kind == OBS_NEIGHBOR && ch != CHAN_DERIVED)
		return 0;
	/*
	 * The memo tests a NUL-terminated copy of the value, as rows read
	 * back are (analyze_add_row()); a collector's value need not be.
	 */
	counts = match_memo_counts(c->memo, o);
	if (counts != -1) {
		*key = match_memo_key(c->memo);
		*ref = match_memo_ref(c->memo);
	}
	return counts;
}

void
analyze_set_ref(struct analyze *c, uint32_t ref)
{
	match_memo_set_ref(c->memo, ref);
}

int
analyze_add(struct analyze *c, struct analyze_rows **hp, int64_t id,
    enum channel ch, const struct observation *o, char *err, size_t errlen)
{
	uint64_t key;
	uint32_t ref;
	int counts;

	if ((counts = analyze_test(c, ch, o, &key, &ref)) == -1)
		return errf(err, errlen, "out of memory while matching");
	return analyze_add_tested(c, hp, id, ch, o, counts, err, errlen);
}

int
analyze_add_tested(struct analyze *c, struct analyze_rows **hp, int64_t id,
    enum channel ch, const struct observation *o, int counts, char *err,
    size_t errlen)
{
	struct analyze_rows *hr = *hp;
	struct obs_row r;

	/* As on_row(): a neighbour row is matched where locate puts it. */
	if (o->kind == OBS_NEIGHBOR && ch != CHAN_DERIVED)
		return 0;
	if (hr == &c->none) {
		/* A parked host with rows already: counted once, later. */
		*hp = NULL;
		return analyze_add_tested(c, hp, id, ch, o, counts, err,
		    errlen);
	}
	if (hr == NULL) {
		hr = c->spare;
		if (hr != NULL) {
			c->spare = hr->next;
			c->nspare--;
			hr->next = NULL;
		} else if ((hr = calloc(1, sizeof(*hr))) == NULL)
			return errf(err, errlen, "out of memory while "
			    "matching");
		*hp = hr;
	}
	hr->offered++;
	/*
	 * Only what the matcher or a finding's notes can use: a row no
	 * signature matches changes no hit (match.h); anti-virus rows feed
	 * the Kaspersky note, derived neighbour rows the location note.
	 */
	if (!counts && o->kind != OBS_ANTIVIRUS &&
	    (o->kind != OBS_NEIGHBOR || ch != CHAN_DERIVED))
		return 0;
	/* As the store reads it back (store_each_observation()). */
	memset(&r, 0, sizeof(r));
	r.obs = *o;
	r.id = id;
	r.run = c->run;
	r.channel = ch;
	if (r.obs.item == NULL)
		r.obs.item = "";
	if (analyze_add_row(hr, &r) != 0)
		return errf(err, errlen, "out of memory while matching");
	return 0;
}

/* The host's attributes, copied into its rows' blocks, for every row. */
static int
on_host(void *arg, const struct obs_row *h)
{
	struct analyze_rows *hr = arg;
	struct obs_row tmp;
	size_t i;

	tmp = *h;
	if (copy_str(hr, &tmp.host_identity) != 0 ||
	    copy_str(hr, &tmp.h.address) != 0 ||
	    copy_str(hr, &tmp.h.name) != 0 ||
	    copy_str(hr, &tmp.h.sector) != 0 ||
	    copy_str(hr, &tmp.h.site) != 0 ||
	    copy_str(hr, &tmp.h.jurisdiction) != 0)
		return -1;
	for (i = 0; i < hr->n; i++) {
		hr->v[i].host = tmp.host;
		hr->v[i].host_identity = tmp.host_identity;
		hr->v[i].h = tmp.h;
	}
	return 0;
}

/* Gives the rows' buffer back, kept for the next host or freed. */
void
analyze_rows_put(struct analyze *c, struct analyze_rows **hp)
{
	struct analyze_rows *hr = *hp;

	*hp = NULL;
	if (hr == NULL || hr == &c->none)
		return;
	if (c->nspare >= ANALYZE_SPARE && (hr->blocks != NULL ||
	    hr->v != NULL || c->nspare >= ANALYZE_BARE)) {
		rows_free(hr);
		free(hr);
		return;
	}
	rows_reset(hr);
	hr->next = c->spare;
	c->spare = hr;
	c->nspare++;
}

int
analyze_host(struct analyze *c, int64_t host, struct analyze_rows **hp,
    char *err, size_t errlen)
{
	struct analyze_rows *hr = *hp;
	int rc = 0;

	if (hr == &c->none || (hr != NULL && hr->n == 0 && hr->offered > 0))
		c->stats->hosts++;	/* rows, but none that can match */
	if (hr != NULL && hr->n > 0) {
		c->err = err;
		c->errlen = errlen;
		hr->host = host;
		if (errlen > 0)
			err[0] = '\0';
		if (store_obs_host(c->st, c->run, host, on_host, hr, err,
		    errlen) != 0) {
			if (err[0] == '\0')
				errf(err, errlen, "out of memory while "
				    "matching");
			rc = -1;
		} else {
			c->cur = hr;
			rc = analyze_flush_host(c);
		}
	}
	analyze_rows_put(c, hp);
	return rc;
}

void
analyze_drop(struct analyze *c, struct analyze_rows **hp)
{
	analyze_rows_put(c, hp);
}

/* Bytes analyze_add_row() copies for r's strings and value. */
static size_t
row_bytes(const struct obs_row *r)
{
	const char *s[] = { r->host_identity, r->h.address, r->h.name,
	    r->h.sector, r->h.site, r->h.jurisdiction, r->obs.item,
	    r->obs.attr, r->obs.source };
	size_t i, n = r->obs.len + 1;

	for (i = 0; i < NELEM(s); i++)
		if (s[i] != NULL)
			n += strlen(s[i]) + 1;
	return n;
}

/*
 * Moves hr's rows into memory of their size: one block that holds their
 * strings exactly and an array of n rows, instead of the 64 KiB block and
 * the doubling array they were gathered in.  A parked host keeps only that.
 */
static int
rows_shrink(struct analyze_rows *hr)
{
	struct analyze_rows t;
	struct block *b;
	size_t i, need = 0;

	for (i = 0; i < hr->n; i++)
		need += row_bytes(&hr->v[i]);
	memset(&t, 0, sizeof(t));
	b = malloc(sizeof(*b) + need);
	t.v = reallocarray(NULL, hr->n, sizeof(*t.v));
	if (b == NULL || t.v == NULL) {
		free(b);
		free(t.v);
		return -1;
	}
	b->next = NULL;
	b->used = 0;
	b->cap = need;
	t.blocks = b;
	t.size = hr->n;
	for (i = 0; i < hr->n; i++)
		if (analyze_add_row(&t, &hr->v[i]) != 0)
			break;	/* cannot happen: the block fits */
	if (i < hr->n) {
		rows_free(&t);
		return -1;
	}
	rows_free(hr);
	hr->v = t.v;
	hr->n = t.n;
	hr->size = t.size;
	hr->blocks = t.blocks;
	return 0;
}

int
analyze_park(struct analyze *c, struct analyze_rows **hp, char *err,
    size_t errlen)
{
	struct analyze_rows *hr = *hp;

	if (hr == NULL || hr == &c->none)
		return 0;
	if (hr->n == 0) {
		/* Rows, none the matcher can use: nothing to keep. */
		analyze_rows_put(c, hp);
		*hp = &c->none;
		return 0;
	}
	if (rows_shrink(hr) != 0)
		return errf(err, errlen, "out of memory while matching");
	return 0;
}

int
analyze_end(struct analyze *c, char *err, size_t errlen)
{
	size_t total;

	/* A finding this run could not verify stays, unverified. */
	if (resolution_carry(c->st, c->run, &c->stats->carried, err,
	    errlen) != 0 ||
	    store_flush(c->st, err, errlen) != 0 ||
	    store_run_findings(c->st, c->run, &total, &c->stats->waived, err,
	    errlen) != 0)
		return -1;
	return 0;
}

void
analyze_free(struct analyze *c)
{
	struct analyze_rows *hr, *next;

	if (c == NULL)
		return;
	rows_free(&c->rows);
	match_memo_free(c->memo);
	for (hr = c->spare; hr != NULL; hr = next) {
		next = hr->next;
		rows_free(hr);
		free(hr);
	}
	free(c);
}
