/*
 * report_absent: the hosts a run did not have (report_absent.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_absent.h"
#include "util.h"

/* *dst = a copy of s (NULL for NULL); 1 when memory ran out. */
static int
copy(char **dst, const char *s)
{
	*dst = str_dup(s);
	return s != NULL && *dst == NULL;
}

int
report_sector_kept(const struct report_opts *o, const char *sector)
{
	return o->sector == NULL || (sector != NULL &&
	    strcasecmp(sector, o->sector) == 0);
}

struct absent_ctx {
	const struct report_opts *o;
	int64_t			*run_hosts;	/* sorted */
	size_t			 nrun, caprun;
	struct report_absent	*v;
	size_t			 n, cap;
	int			 oom;
};

static int
run_host_cb(void *arg, const struct host_row *r)
{
	struct absent_ctx *x = arg;

	if (array_grow(&x->run_hosts, x->nrun, &x->caprun,
	    sizeof(*x->run_hosts)) != 0) {
		x->oom = 1;
		return 1;
	}
	x->run_hosts[x->nrun++] = r->id;
	return 0;
}

static int
absent_cb(void *arg, const struct finding_row *r)
{
	struct absent_ctx *x = arg;
	struct report_absent *a;
	size_t i;

	if (strcmp(r->status, "resolved") == 0 ||
	    !report_sector_kept(x->o, r->h.sector) ||
	    (x->nrun > 0 && bsearch(&r->f.host, x->run_hosts, x->nrun,
	    sizeof(*x->run_hosts), cmp_int64) != NULL))
		return 0;
	for (i = 0; i < x->n; i++)
		if (x->v[i].host == r->f.host) {
			x->v[i].open++;
			return 0;
		}
	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	a = &x->v[x->n++];
	memset(a, 0, sizeof(*a));
	a->host = r->f.host;
	a->open = 1;
	a->criticality = r->h.criticality;
	x->oom |= copy(&a->identity, r->host_identity);
	x->oom |= copy(&a->address, r->f.address != NULL ? r->f.address :
	    r->host_identity);
	x->oom |= copy(&a->name, r->h.name);
	x->oom |= copy(&a->sector, r->h.sector);
	x->oom |= copy(&a->site, r->h.site);
	x->oom |= copy(&a->owner, r->h.owner);
	x->oom |= copy(&a->jurisdiction, r->h.jurisdiction);
	return x->oom;
}

static int
cmp_absent(const void *a, const void *b)
{
	return cmp_int64(&((const struct report_absent *)a)->host,
	    &((const struct report_absent *)b)->host);
}

int
report_absent(struct store *s, const struct report_opts *o, int64_t run,
    struct report_absent **v, size_t *n, char *err, size_t errlen)
{
	struct absent_ctx x;

	memset(&x, 0, sizeof(x));
	x.o = o;
	*v = NULL;
	*n = 0;
	if (store_each_host(s, run, run_host_cb, &x, err, errlen) != 0 ||
	    x.oom)
		goto fail;
	if (x.nrun > 1)
		qsort(x.run_hosts, x.nrun, sizeof(*x.run_hosts), cmp_int64);
	if (store_each_finding(s, run, absent_cb, &x, err, errlen) != 0 ||
	    x.oom)
		goto fail;
	free(x.run_hosts);
	if (x.n > 1)
		qsort(x.v, x.n, sizeof(*x.v), cmp_absent);
	*v = x.v;
	*n = x.n;
	return 0;
fail:
	if (x.oom)
		errf(err, errlen, "out of memory");
	free(x.run_hosts);
	report_absent_free(x.v, x.n);
	return -1;
}

void
report_absent_free(struct report_absent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].identity);
		free(v[i].address);
		free(v[i].name);
		free(v[i].sector);
		free(v[i].site);
		free(v[i].owner);
		free(v[i].jurisdiction);
	}
	free(v);
}
