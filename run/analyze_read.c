/*
 * analyze_read: the analysis of rows read back from the store -- a whole
 * run host by host (analyze_run_sectors(): imports, scans with agents or
 * two targets of one host), or only the rows locate and onu stored after
 * a scan's walk (analyze_after()).  Both feed analyze.c's per-host
 * matching.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "analyze_int.h"
#include "store.h"
#include "util.h"

static int
on_row(void *arg, const struct obs_row *r)
{
	struct analyze *c = arg;

	/*
	 * A neighbour row a switch or router reported (ARP, FDB, LLDP, CDP)
	 * describes another device: it is matched on that device's host,
	 * where locate put its derived copy (match.h), never on the host
	 * whose table it came from.
	 */
	c->stats->read++;
	if (r->obs.kind == OBS_NEIGHBOR && r->channel != CHAN_DERIVED)
		return 0;
	if (c->rows.n > 0 && r->host != c->rows.host) {
		c->cur = &c->rows;
		if (analyze_flush_host(c) != 0) {
			c->failed = 1;
			return 1;
		}
	}
	c->rows.host = r->host;
	if (analyze_add_row(&c->rows, r) != 0) {
		errf(c->err, c->errlen, "out of memory while matching");
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* A host analyze_after() met that is not one of the parked ones. */
struct other {
	int64_t			 host;
	struct analyze_rows	*rows;
};

/* A parked host's id and its place in the caller's arrays. */
struct slot {
	int64_t		 id;
	size_t		 i;
};

struct after {
	struct analyze		*c;
	struct analyze_rows	**parked;
	struct slot		*slots;		/* by id */
	size_t			 n;
	struct other		*other;		/* hosts not parked */
	size_t			 nother, size;
	int64_t			 host;		/* the current host */
	struct analyze_rows	**cur;		/* and its buffer */
	size_t			 read;
	int			 failed;
};

/* The parked buffer of host, or NULL when it is not one of ids. */
static struct analyze_rows **
parked_of(struct after *a, int64_t host)
{
	const struct slot *sl;

	if (a->n == 0)
		return NULL;
	/* A slot begins with its id: cmp_int64 orders them (util.h). */
	sl = bsearch(&host, a->slots, a->n, sizeof(*a->slots), cmp_int64);
	return sl != NULL ? &a->parked[sl->i] : NULL;
}

static int
after_row(void *arg, const struct obs_row *r)
{
	struct after *a = arg;
	struct analyze *c = a->c;

	a->read++;
	if (a->cur == NULL || r->host != a->host) {
		/*
		 * The host before is complete: its rows back into memory of
		 * their size, so that thousands of hosts made or touched do
		 * not each hold a block of BLOCK_SIZE until the end.
		 */
		if (a->cur != NULL && analyze_park(c, a->cur, c->err,
		    c->errlen) != 0) {
			a->failed = 1;
			return 1;
		}
		a->host = r->host;
		a->cur = parked_of(a, r->host);
		if (a->cur == NULL) {
			/* A host locate or onu made: matched after the read. */
			if (a->nother == a->size) {
				size_t ns = a->size ? a->size * 2 : 16;
				struct other *nv = reallocarray(a->other, ns,
				    sizeof(*nv));

				if (nv == NULL)
					goto oom;
				a->other = nv;
				a->size = ns;
			}
			a->other[a->nother].host = r->host;
			a->other[a->nother].rows = NULL;
			a->cur = &a->other[a->nother++].rows;
		}
	}
	if (analyze_add(c, a->cur, r->id, r->channel, &r->obs, c->err,
	    c->errlen) != 0) {
		a->failed = 1;
		return 1;
	}
	return 0;
oom:
	errf(c->err, c->errlen, "out of memory while matching");
	a->failed = 1;
	return 1;
}

int
analyze_after(struct analyze *c, int64_t after, const int64_t *ids,
    struct analyze_rows **parked, size_t n, char *err, size_t errlen)
{
	struct after a;
	size_t i;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.parked = parked;
	a.n = n;
	a.slots = reallocarray(NULL, n ? n : 1, sizeof(*a.slots));
	if (a.slots == NULL)
		return errf(err, errlen, "out of memory while matching");
	for (i = 0; i < n; i++) {
		a.slots[i].id = ids[i];
		a.slots[i].i = i;
	}
	qsort(a.slots, n, sizeof(*a.slots), cmp_int64);
	c->err = err;
	c->errlen = errlen;
	if (store_each_observation_after(c->st, c->run, after, after_row, &a,
	    err, errlen) != 0 || a.failed ||
	    (a.cur != NULL && analyze_park(c, a.cur, err, errlen) != 0))
		goto out;
	c->stats->read += a.read;
	/* Each host the rows made, matched now that its rows are in. */
	for (i = 0; i < a.nother; i++)
		if (analyze_host(c, a.other[i].host, &a.other[i].rows, err,
		    errlen) != 0)
			goto out;
	rc = 0;
out:
	for (i = 0; i < a.nother; i++)
		analyze_rows_put(c, &a.other[i].rows);
	free(a.other);
	free(a.slots);
	return rc;
}

int
analyze_run_sectors(struct store *st, int64_t run,
    const struct rule_pack *pack, const struct sector_set *sectors,
    struct analyze_stats *stats, char *err, size_t errlen)
{
	struct analyze *c;
	int rc = -1;

	if (analyze_begin(&c, st, run, pack, sectors, stats, err,
	    errlen) != 0)
		return -1;
	if (store_each_observation(st, run, 0, on_row, c, err, errlen) != 0)
		goto out;
	c->cur = &c->rows;
	if (c->failed || analyze_flush_host(c) != 0)
		goto out;
	rc = analyze_end(c, err, errlen);
out:
	analyze_free(c);
	return rc;
}
