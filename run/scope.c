/*
 * scope: warns when a scan's default scope would start a new history for
 * targets an earlier run of another scope already follows.
 */
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scope.h"
#include "store.h"
#include "target.h"
#include "util.h"

struct runs_seen {
	const char	*scope;
	int		 same;		/* a complete scan run of scope */
	int64_t		 other;		/* newest complete scan run, other
					   scope */
	char		 other_scope[512];
};

static int
run_cb(void *arg, const struct run_info *ri)
{
	struct runs_seen *r = arg;

	if (ri->status != RUN_COMPLETE || ri->kind == NULL ||
	    strcmp(ri->kind, "scan") != 0 || ri->scope == NULL)
		return 0;
	if (strcmp(ri->scope, r->scope) == 0)
		r->same = 1;
	else {
		r->other = ri->id;	/* oldest first: the last is newest */
		str_copy(r->other_scope, ri->scope, sizeof(r->other_scope));
	}
	return 0;
}

struct addr_set {
	char	**v;
	size_t	  n, cap;
	int	  oom;
};

static int
host_cb(void *arg, const struct host_row *h)
{
	struct addr_set *a = arg;

	if (h->h.address == NULL || h->discovered)
		return 0;
	if (array_grow(&a->v, a->n, &a->cap, sizeof(*a->v)) != 0) {
		a->oom = 1;
		return 1;
	}
	a->v[a->n] = strdup(h->h.address);
	if (a->v[a->n] == NULL) {
		a->oom = 1;
		return 1;
	}
	a->n++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
scope_check(struct store *st, const struct target_list *tl,
    const char *scope, char *warn, size_t len)
{
	struct runs_seen r;
	struct addr_set a;
	size_t i, hit = 0;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	r.scope = scope;
	if (store_each_run(st, run_cb, &r, warn, len) != 0)
		return -1;
	if (r.same || r.other == 0 || tl->n == 0)
		return 0;
	if (store_each_host(st, r.other, host_cb, &a, warn, len) != 0)
		goto out;
	if (a.oom) {
		errf(warn, len, "out of memory");
		goto out;
	}
	qsort(a.v, a.n, sizeof(*a.v), cmp_str);
	for (i = 0; i < tl->n; i++) {
		const struct target *tg = &tl->v[i];
		char buf[320];
		const char *k = tg->h.address;

		if (k == NULL)
			continue;
		/* Hosts of a target with a port are stored as addr:port. */
		if (tg->port != 0) {
			snprintf(buf, sizeof(buf), tg->family == AF_INET6 ?
			    "[%s]:%u" : "%s:%u", tg->h.address, tg->port);
			k = buf;
			if (bsearch(&k, a.v, a.n, sizeof(*a.v), cmp_str) !=
			    NULL) {
				hit++;
				continue;
			}
			k = tg->h.address;
		}
		if (bsearch(&k, a.v, a.n, sizeof(*a.v), cmp_str) != NULL)
			hit++;
	}
	rc = 0;
	if (hit * 2 > tl->n) {
		snprintf(warn, len, "scope '%s' starts a new history, but run "
		    "%lld (scope '%s') scanned %zu of these %zu targets; to "
		    "compare with it (new, persisting, resolved), add --scope "
		    "'%s'", scope, (long long)r.other, r.other_scope, hit,
		    tl->n, r.other_scope);
		rc = 1;
	}
out:
	for (i = 0; i < a.n; i++)
		free(a.v[i]);
	free(a.v);
	return rc;
}
