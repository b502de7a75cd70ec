/*
 * report_estate: the estate read from the store (report_estate.h) and
 * handed to the formats: every CSV and JSON Lines writer takes the parts'
 * runs in turn (one header, a run column saying which run each row comes
 * from); json and html get the estate itself.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_estate.h"
#include "util.h"

struct ids {
	int64_t		*v;
	size_t		 n, cap;
	int		 oom;
};

static int
add_id(struct ids *x, int64_t id)
{

	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	x->v[x->n++] = id;
	return 0;
}

static int
estate_cb(void *arg, int64_t run)
{
	return add_id(arg, run);
}

int
estate_count(struct store *s, size_t *n, char *err, size_t errlen)
{
	struct ids x;

	memset(&x, 0, sizeof(x));
	*n = 0;
	if (store_each_estate_run(s, estate_cb, &x, err, errlen) != 0) {
		free(x.v);
		return -1;
	}
	free(x.v);
	if (x.oom)
		return errf(err, errlen, "out of memory");
	*n = x.n;
	return 0;
}

/* The complete runs of one scope, oldest first (for the trend). */
struct scope_runs {
	const char	*scope;
	struct ids	 ids;
};

static int
scope_cb(void *arg, const struct run_info *ri)
{
	struct scope_runs *sr = arg;
	int same;

	if (ri->status != RUN_COMPLETE)
		return 0;
	same = (sr->scope == NULL && ri->scope == NULL) ||
	    (sr->scope != NULL && ri->scope != NULL &&
	    strcmp(sr->scope, ri->scope) == 0);
	return same ? add_id(&sr->ids, ri->id) : 0;
}

static char *
dup(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*oom = 1;
	return d;
}

static void
add_counts(struct report_counts *t, const struct report_counts *c)
{
	size_t i;

	t->targets += c->targets;
	t->assessed += c->assessed;
	t->partial += c->partial;
	t->not_assessed += c->not_assessed;
	t->neighbour += c->neighbour;
	t->open += c->open;
	t->new_findings += c->new_findings;
	t->persisting += c->persisting;
	t->unverified += c->unverified;
	t->resolved += c->resolved;
	t->waived += c->waived;
	for (i = 0; i < REPORT_RATING__COUNT; i++)
		t->by_rating[i] += c->by_rating[i];
	t->overdue += c->overdue;
	t->due_30 += c->due_30;
	t->leads += c->leads;
}

static int
load_trend(struct store *s, const struct report_opts *o,
    struct estate_part *p, char *err, size_t errlen)
{
	struct scope_runs sr;
	struct report_counts c;
	struct estate_point *pt;
	size_t i;
	int rc = -1;

	memset(&sr, 0, sizeof(sr));
	sr.scope = p->scope;
	if (store_each_run(s, scope_cb, &sr, err, errlen) != 0)
		goto out;
	if (sr.ids.oom)
		goto oom;
	p->trend = calloc(sr.ids.n > 0 ? sr.ids.n : 1, sizeof(*p->trend));
	if (p->trend == NULL)
		goto oom;
	for (i = 0; i < sr.ids.n; i++) {
		/* The trend ends with the part's own run. */
		if (report_counts(s, sr.ids.v[i], o->sector, &c, err,
		    errlen) != 0)
			goto out;
		pt = &p->trend[p->ntrend++];
		pt->run = sr.ids.v[i];
		memcpy(pt->by_rating, c.by_rating, sizeof(pt->by_rating));
		pt->open = c.open;
		if (sr.ids.v[i] == p->run)
			break;
	}
	rc = 0;
out:
	free(sr.ids.v);
	return rc;
oom:
	free(sr.ids.v);
	return errf(err, errlen, "out of memory");
}

int
estate_load(struct store *s, const struct report_opts *o, struct estate *e,
    char *err, size_t errlen)
{
	struct run_info ri;
	struct estate_part *p;
	struct ids x;
	size_t i, k;
	int oom = 0;

	memset(e, 0, sizeof(*e));
	memset(&x, 0, sizeof(x));
	if (store_each_estate_run(s, estate_cb, &x, err, errlen) != 0)
		goto fail;
	if (x.oom)
		goto oom;
	e->parts = calloc(x.n > 0 ? x.n : 1, sizeof(*e->parts));
	if (e->parts == NULL)
		goto oom;
	for (i = 0; i < x.n; i++) {
		if (store_run_get(s, x.v[i], &ri, err, errlen) != 0)
			goto fail;
		if (o->site != NULL && strcasecmp(o->site, ri.site != NULL ?
		    ri.site : ri.scope != NULL ? ri.scope : "") != 0)
			continue;
		p = &e->parts[e->n++];
		p->run = ri.id;
		p->uuid = dup(ri.uuid, &oom);
		p->site = dup(ri.site != NULL ? ri.site : ri.scope, &oom);
		p->scope = dup(ri.scope, &oom);
		p->kind = dup(ri.kind, &oom);
		p->origin = dup(ri.origin, &oom);
		p->started = ri.started;
		p->finished = ri.finished;
		if (oom)
			goto oom;
		if (report_counts(s, p->run, o->sector, &p->counts, err,
		    errlen) != 0 || load_trend(s, o, p, err, errlen) != 0)
			goto fail;
		add_counts(&e->total, &p->counts);
	}
	/* Trend points: their start times, read once the counts are in. */
	for (i = 0; i < e->n; i++)
		for (k = 0; k < e->parts[i].ntrend; k++) {
			if (store_run_get(s, e->parts[i].trend[k].run, &ri, err,
			    errlen) != 0)
				goto fail;
			e->parts[i].trend[k].started = ri.started;
		}
	free(x.v);
	return 0;
oom:
	errf(err, errlen, "out of memory");
fail:
	free(x.v);
	estate_free(e);
	return -1;
}

void
estate_free(struct estate *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->parts[i].uuid);
		free(e->parts[i].site);
		free(e->parts[i].scope);
		free(e->parts[i].kind);
		free(e->parts[i].origin);
		free(e->parts[i].trend);
	}
	free(e->parts);
	memset(e, 0, sizeof(*e));
}

int
report_estate(struct store *s, const struct report_opts *opts, FILE *fp,
    char *err, size_t errlen)
{
	struct report_opts o = *opts;
	struct estate e;
	int64_t *runs = NULL;
	size_t i;
	int rc = -1;

	if (estate_load(s, opts, &e, err, errlen) != 0)
		return -1;
	if (e.n == 0) {
		errf(err, errlen, "no complete run%s%s", opts->site != NULL ?
		    " of site " : "", opts->site != NULL ? opts->site : "");
		goto out;
	}
	runs = calloc(e.n, sizeof(*runs));
	if (runs == NULL) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < e.n; i++)
		runs[i] = e.parts[i].run;
	o.runs = runs;
	o.nruns = e.n;
	o.run = runs[0];
	switch (o.format) {
	case REPORT_JSON:
		rc = report_json_estate(s, &o, &e, fp, err, errlen);
		break;
	case REPORT_HTML:
		rc = report_estate_html(s, &o, &e, fp, err, errlen);
		break;
	case REPORT_CSV:
		rc = report_csv_findings(s, &o, fp, err, errlen);
		break;
	case REPORT_LEADS_CSV:
		rc = report_csv_leads(s, &o, fp, err, errlen);
		break;
	case REPORT_INVENTORY_CSV:
		rc = report_csv_inventory(s, &o, fp, err, errlen);
		break;
	case REPORT_COVERAGE_CSV:
		rc = report_csv_coverage(s, &o, fp, err, errlen);
		break;
	case REPORT_JSONL:
		rc = report_jsonl(s, &o, fp, err, errlen);
		break;
	default:
		errf(err, errlen, "format not available for the estate");
		break;
	}
out:
	free(runs);
	estate_free(&e);
	return rc;
}
