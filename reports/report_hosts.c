/*
 * report_hosts: the hosts of one run with their kind (phone, endpoint,
 * network equipment), assessment and open findings, for the reports that
 * list hosts (report_hosts.h says the rule).  Four passes over the store,
 * each streamed: hosts, coverage, observations (only the few system
 * attributes and whether a software inventory exists are kept),
 * findings -- then a second pass over the hosts hands each one out.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_hosts.h"
#include "util.h"

#define VALUE_MAX	256

enum { K_PLATFORM, K_OS, K_MODEL, K_SERIAL, K__COUNT };

static const char *const key_attr[K__COUNT] = {
	"platform", "os", "model", "serial",
};

struct hent {
	int64_t			 id;
	int			 discovered;
	int			 keep;
	int			 software;
	char			*key[K__COUNT];
	struct assess_acc	 acc;
	size_t			 open;
};

struct hctx {
	const char	*sector;
	struct hent	*v;
	size_t		 n, cap;
	int		 oom;
};

const char *
report_host_kind_name(enum report_host_kind k)
{
	switch (k) {
	case REPORT_HOST_PHONE:
		return "phone";
	case REPORT_HOST_ENDPOINT:
		return "endpoint";
	default:
		return "network";
	}
}

int
report_is_mobile(const char *s)
{
	static const char *const mobile[] = {
		"android", "ios", "ipados", "iphone", "ipad",
	};
	size_t i, n;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof(mobile) / sizeof(mobile[0]); i++) {
		n = strlen(mobile[i]);
		if (strncasecmp(s, mobile[i], n) == 0 &&
		    !((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z')))
			return 1;
	}
	return 0;
}

static struct hent *
find(struct hctx *x, int64_t id)
{
	if (x->n == 0)
		return NULL;
	return bsearch(&id, x->v, x->n, sizeof(*x->v), cmp_int64);
}

static int
dup_into(char **dst, const char *s, int *oom)
{
	if (s == NULL)
		return 0;
	*dst = strdup(s);
	if (*dst == NULL)
		*oom = 1;
	return *oom;
}

static int
host_cb(void *arg, const struct host_row *r)
{
	struct hctx *x = arg;
	struct hent *h;

	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	h = &x->v[x->n++];
	memset(h, 0, sizeof(*h));
	h->id = r->id;
	h->discovered = r->discovered;
	h->keep = x->sector == NULL || (r->h.sector != NULL &&
	    strcasecmp(r->h.sector, x->sector) == 0);
	return 0;
}

static int
cov_cb(void *arg, const struct coverage_row *r)
{
	struct hctx *x = arg;
	struct hent *h = find(x, r->host);

	if (h != NULL)
		assess_add(&h->acc, r->cov.probe, r->cov.status);
	return 0;
}

static int
obs_cb(void *arg, const struct obs_row *r)
{
	struct hctx *x = arg;
	struct hent *h = find(x, r->host);
	char buf[VALUE_MAX];
	size_t i;

	if (h == NULL || !h->keep)
		return 0;
	if (r->obs.kind == OBS_SOFTWARE || r->obs.kind == OBS_PROCESS) {
		h->software = 1;
		return 0;
	}
	if (r->obs.kind != OBS_SYSTEM || r->obs.len == 0 ||
	    r->obs.attr == NULL)
		return 0;
	for (i = 0; i < K__COUNT; i++) {
		if (h->key[i] != NULL || strcmp(r->obs.attr, key_attr[i]) != 0)
			continue;
		render_value(r->obs.value, r->obs.len, buf, sizeof(buf));
		if (dup_into(&h->key[i], buf, &x->oom) != 0)
			return 1;
		break;
	}
	return 0;
}

static int
finding_cb(void *arg, const struct finding_row *r)
{
	struct hctx *x = arg;
	struct hent *h = find(x, r->f.host);

	if (h != NULL && strcmp(r->status, "resolved") != 0)
		h->open++;
	return 0;
}

static void
free_all(struct hctx *x)
{
	size_t i, k;

	for (i = 0; i < x->n; i++)
		for (k = 0; k < K__COUNT; k++)
			free(x->v[i].key[k]);
	free(x->v);
}

/* The second pass over the hosts: their stored rows, with what we know. */
struct rowctx {
	struct hctx	*x;
	int		 (*cb)(void *, const struct report_host *);
	void		*arg;
	int		 stopped;
};

static int
emit_cb(void *arg, const struct host_row *r)
{
	struct rowctx *rc = arg;
	struct hent *h = find(rc->x, r->id);
	struct report_host rh;

	if (h == NULL || !h->keep)
		return 0;
	memset(&rh, 0, sizeof(rh));
	rh.row = r;
	rh.assess = assess_level(&h->acc, h->discovered);
	rh.platform = h->key[K_PLATFORM];
	rh.os = h->key[K_OS];
	rh.model = h->key[K_MODEL];
	rh.serial = h->key[K_SERIAL];
	rh.open = h->open;
	if (report_is_mobile(rh.platform) || report_is_mobile(rh.os) ||
	    report_is_mobile(rh.model))
		rh.kind = REPORT_HOST_PHONE;
	else if (h->software)
		rh.kind = REPORT_HOST_ENDPOINT;
	else
		rh.kind = REPORT_HOST_NETWORK;
	if (rc->cb(rc->arg, &rh) != 0) {
		rc->stopped = 1;
		return 1;
	}
	return 0;
}

int
report_each_host(struct store *s, int64_t run, const char *sector,
    int (*cb)(void *, const struct report_host *), void *arg, char *err,
    size_t errlen)
{
	struct hctx x;
	struct rowctx rc;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	x.sector = sector;
	if (store_each_host(s, run, host_cb, &x, err, errlen) != 0)
		goto out;
	if (x.oom)
		goto oom;
	if (store_each_coverage(s, run, cov_cb, &x, err, errlen) != 0 ||
	    store_each_observation(s, run, 0, obs_cb, &x, err, errlen) != 0)
		goto out;
	if (x.oom)
		goto oom;
	if (store_each_finding(s, run, finding_cb, &x, err, errlen) != 0)
		goto out;
	/* A second pass over the hosts hands out their stored rows. */
	rc.x = &x;
	rc.cb = cb;
	rc.arg = arg;
	rc.stopped = 0;
	if (store_each_host(s, run, emit_cb, &rc, err, errlen) != 0)
		goto out;
	ret = 0;
	goto out;
oom:
	errf(err, errlen, "out of memory");
out:
	free_all(&x);
	return ret;
}
