/*
 * report_counts: the figures of one run that every output shows -- the
 * CLI summary, the HTML figures and the JSON counts -- computed once, so
 * they agree: targets assessed, partially assessed and not assessed
 * (assess_level(), obs.h), devices seen only in neighbour tables apart,
 * findings by status and risk rating, waived, overdue, and leads -- and
 * the runs a report covers (report_runs_of()).  The floor of the
 * reports: it calls no other report file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "util.h"

#define DAY	86400

/*
 * A host of the run: 16 bytes, for a million targets.  Coverage comes by
 * host (store_each_coverage()), so one accumulator serves the host whose
 * rows are being read, and each host is counted when its rows end.
 */
struct chost {
	int64_t			 id;
	unsigned char		 discovered;
	unsigned char		 keep;
	unsigned char		 counted;
};

struct cctx {
	const char	*sector;
	struct chost	*v;
	size_t		 n, cap;
	struct chost	*cur;		/* the host of acc, or NULL */
	struct assess_acc acc;
	int64_t		 asof;
	struct report_counts *c;
	int		 oom;
	int		 unordered;	/* a host's coverage rows apart */
};

static int
keep(const struct cctx *x, const char *sector)
{
	return x->sector == NULL || (sector != NULL &&
	    strcasecmp(sector, x->sector) == 0);
}

static int
host_cb(void *arg, const struct host_row *r)
{
	struct cctx *x = arg;

	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	memset(&x->v[x->n], 0, sizeof(x->v[x->n]));
	x->v[x->n].id = r->id;
	x->v[x->n].discovered = r->discovered != 0;
	x->v[x->n].keep = keep(x, r->h.sector);
	x->n++;
	return 0;
}

static struct chost *
find(struct cctx *x, int64_t id)
{
	if (x->n == 0)
		return NULL;
	return bsearch(&id, x->v, x->n, sizeof(*x->v), cmp_int64);
}

/* Counts host h, whose coverage rows are in acc (all zero: none). */
static void
count_host(struct cctx *x, struct chost *h, const struct assess_acc *acc)
{
	struct report_counts *c = x->c;

	h->counted = 1;
	if (!h->keep)
		return;
	switch (assess_level(acc, h->discovered)) {
	case ASSESS_FULL:
		c->assessed++;
		break;
	case ASSESS_PARTIAL:
		c->partial++;
		break;
	case ASSESS_NONE:
		c->not_assessed++;
		break;
	default:
		c->neighbour++;
		return;
	}
	c->targets++;
}

static int
cov_cb(void *arg, const struct coverage_row *r)
{
	struct cctx *x = arg;
	struct chost *h = find(x, r->host);

	if (h == NULL)
		return 0;
	if (h != x->cur) {
		if (h->counted) {
			x->unordered = 1;
			return 1;
		}
		if (x->cur != NULL)
			count_host(x, x->cur, &x->acc);
		memset(&x->acc, 0, sizeof(x->acc));
		x->cur = h;
	}
	assess_add(&x->acc, r->cov.probe, r->cov.status);
	return 0;
}

static int
finding_cb(void *arg, const struct finding_row *r)
{
	struct cctx *x = arg;
	struct report_counts *c = x->c;
	const char *rating = r->f.risk_rating;
	int64_t due;

	if (!keep(x, r->h.sector))
		return 0;
	if (strcmp(r->status, "resolved") == 0) {
		c->resolved++;
		return 0;
	}
	c->open++;
	if (strcmp(r->status, "new") == 0)
		c->new_findings++;
	else
		c->persisting++;
	c->unverified += r->unverified != 0;
	if (r->waived_until != NULL) {
		c->waived++;
		return 0;
	}
	if (rating == NULL)
		c->by_rating[REPORT_RATING_OTHER]++;
	else if (strcasecmp(rating, "critical") == 0)
		c->by_rating[REPORT_RATING_CRITICAL]++;
	else if (strcasecmp(rating, "high") == 0)
		c->by_rating[REPORT_RATING_HIGH]++;
	else if (strcasecmp(rating, "medium") == 0)
		c->by_rating[REPORT_RATING_MEDIUM]++;
	else if (strcasecmp(rating, "low") == 0)
		c->by_rating[REPORT_RATING_LOW]++;
	else
		c->by_rating[REPORT_RATING_OTHER]++;
	if (r->f.due_date != NULL && parse_date(r->f.due_date, &due) == 0) {
		if (due < x->asof - x->asof % DAY)
			c->overdue++;
		else if (due < x->asof - x->asof % DAY + 30 * DAY)
			c->due_30++;
	}
	return 0;
}

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct cctx *x = arg;

	if (keep(x, r->h.sector))
		x->c->leads++;
	return 0;
}

int
report_counts(struct store *s, int64_t run, const char *sector,
    struct report_counts *c, char *err, size_t errlen)
{
	struct run_info ri;
	struct cctx x;
	size_t i;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	x.sector = sector;
	x.c = c;
	if (store_run_get(s, run, &ri, err, errlen) != 0)
		return -1;
	x.asof = ri.started;
	if (store_each_host(s, run, host_cb, &x, err, errlen) != 0)
		goto out;
	if (x.oom) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (store_each_coverage(s, run, cov_cb, &x, err, errlen) != 0)
		goto out;
	if (x.unordered) {
		errf(err, errlen, "run %lld: coverage rows not in host order",
		    (long long)run);
		goto out;
	}
	if (x.cur != NULL)
		count_host(&x, x.cur, &x.acc);
	/* Hosts without any coverage row. */
	memset(&x.acc, 0, sizeof(x.acc));
	for (i = 0; i < x.n; i++)
		if (!x.v[i].counted)
			count_host(&x, &x.v[i], &x.acc);
	if (store_each_finding(s, run, finding_cb, &x, err, errlen) != 0 ||
	    store_each_lead(s, run, lead_cb, &x, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	free(x.v);
	return rc;
}

size_t
report_runs_of(const struct report_opts *o, const int64_t **v)
{
	if (o->nruns > 0) {
		*v = o->runs;
		return o->nruns;
	}
	*v = &o->run;
	return 1;
}
