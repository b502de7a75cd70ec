/*
 * snmp_cover: how a host's outcomes become coverage -- a step's status
 * folded into its probe's (snmp_probe_merge), a credential profile's
 * failure, a host ended early (snmp_host_abort: the step in flight and
 * every probe not yet run), and, when a host finishes, its coverage
 * records, the sink's done and the slot given back (snmp_host_finish).
 * Calls nothing above it: snmp_host.c decides, this file records.
 */
#include <assert.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snmp.h"
#include "util.h"

#include "snmp_int.h"

/* Why a host's neighbour tables were not walked. */
#define NOT_NETDEV	"not a router or bridge (sysServices, ipForwarding, " \
	"dot1dBaseNumPorts, LLDP capabilities): tables not walked"

static int
status_rank(enum cov_status s)
{
	switch (s) {
	case COV_NO_SUCH_TABLE:
		return 0;
	case COV_OK:
		return 1;
	case COV_PARTIAL:
		return 2;
	default:
		return 3;
	}
}

void
snmp_res_map(struct snmp_ctx *c, unsigned probes)
{
	size_t p;

	c->nres = 0;
	for (p = 0; p < PROBE__COUNT; p++)
		if (probes & PROBE_BIT(p))
			c->res_of[p] = (unsigned char)c->nres++;
	for (p = 0; p < PROBE__COUNT; p++)
		if (!(probes & PROBE_BIT(p)))
			c->res_of[p] = (unsigned char)c->nres;
	c->nres++;
}

/* Folds a step's outcome into its probe's coverage. */
void
snmp_probe_merge(struct probe_result *r, enum cov_status s, int got_data,
    const char *detail)
{
	enum cov_status old = r->status;

	if (!r->set) {
		r->set = 1;
		r->status = s;
		str_copy(r->detail, detail, sizeof(r->detail));
		return;
	}
	snmp_detail_add(r->detail, sizeof(r->detail), "%s", detail);
	if (status_rank(s) > status_rank(old))
		r->status = s;
	/* A failed step beside one that worked: partial, not failed. */
	if (status_rank(r->status) == 3 &&
	    (got_data || old == COV_OK || old == COV_PARTIAL))
		r->status = COV_PARTIAL;
}

/* What the current step has read: rows of a table, or values. */
unsigned
snmp_step_count(const struct host *h)
{
	return snmp_cur_step(h)->type == SNMP_STEP_TABLE ? h->rows : h->values;
}

const char *
snmp_step_unit(const struct host *h)
{
	if (snmp_cur_step(h)->type == SNMP_STEP_TABLE)
		return h->rows == 1 ? "row" : "rows";
	return h->values == 1 ? "value" : "values";
}

/* Does the device's identity call for the vendor MIBs? */
int
snmp_vendor_wanted(const struct host *h)
{
	return h->descr_vendor || snmp_vendor_objid(h->have_objid ?
	    h->objid : NULL, h->have_objid ? h->objlen : 0);
}

/* Is the step a private table of a vendor the device is not of? */
int
snmp_enterprise_missing(const struct host *h, const struct snmp_step *st)
{
	size_t i;

	if (!(st->flags & SNMP_STEP_IF_ENTERPRISE) || st->nobj == 0 ||
	    st->obj[0].len <= 6)
		return 0;
	for (i = 0; i < h->nents; i++)
		if (h->ents[i] == st->obj[0].name[6])
			return 0;
	return 1;
}

static enum cov_status
fail_worse(enum cov_status a, enum cov_status b)
{
	static const enum cov_status order[] = { COV_AUTH_FAILED,
	    COV_REFUSED, COV_UNREACHABLE, COV_TIMEOUT, COV_ERROR };
	size_t i;

	for (i = 0; i < NELEM(order); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a;
}

/* Records why the current profile (or the host) failed. */
void
snmp_profile_failed(struct host *h, enum cov_status s, const char *why)
{
	h->fail = h->nfail++ == 0 ? s : fail_worse(h->fail, s);
	if (h->prof >= 0 && (size_t)h->prof < h->t->nsnmp_profiles)
		snmp_detail_add(h->faildetail, sizeof(h->faildetail), "%s: %s",
		    snmp_prof_name(h), why);
	else
		snmp_detail_add(h->faildetail, sizeof(h->faildetail), "%s",
		    why);
}

/*
 * A coverage record.  elapsed_ms: the probe's own time (its steps), or
 * for the channel's row (probe "") the host's whole time; 0 for a probe
 * that never ran.
 */
static void
cover(struct snmp_ctx *c, struct host *h, const char *probe,
    enum cov_status s, const char *detail, int64_t elapsed_ms)
{
	struct coverage cv;

	if (c->fatal)
		return;
	cv.channel = CHAN_SNMP;
	cv.probe = probe;
	cv.status = s;
	cv.detail = detail;
	cv.profile = h->authed != NULL ? snmp_prof_name(h) : NULL;
	cv.elapsed_ms = elapsed_ms;
	if (c->sink.cover(c->sink.arg, h->target, &cv) != 0)
		snmp_fatal(c, "the sink refused a coverage record");
}

void
snmp_resolve_drop(struct snmp_ctx *c, struct host *h)
{
	struct resolve *rs = h->rs;
	struct host **pp;
	int rc;

	if (rs == NULL)
		return;
	h->rs = NULL;
	for (pp = &c->resolving; *pp != NULL; pp = &(*pp)->rnext) {
		if (*pp == h) {
			*pp = h->rnext;
			break;
		}
	}
	h->rnext = NULL;
	rc = gai_cancel(&rs->cb);
	if (rc == EAI_NOTCANCELED) {
		rs->next = c->orphans;	/* glibc still owns it */
		c->orphans = rs;
		return;
	}
	if (rs->cb.ar_result != NULL)
		freeaddrinfo(rs->cb.ar_result);
	free(rs);
}

/*
 * "profile P (SNMPvV); N varbinds in R requests" into d (len > 0): what
 * snprintf made, written out, since every host that answers has one
 * (issue 13: this snprintf was 1.1 % of an identity scan's instructions).
 */
static void
profile_summary(const struct host *h, char *d, size_t len)
{
	const char *name = snmp_prof_name(h);
	const char *v = snmp_profile_version(h->authed);
	const char *req = h->requests == 1 ? " request" : " requests";
	size_t at = 0;

	d[0] = '\0';
	str_put(d, len, &at, "profile ", 8);
	str_put(d, len, &at, name, strlen(name));
	str_put(d, len, &at, " (SNMPv", 7);
	str_put(d, len, &at, v, strlen(v));
	str_put(d, len, &at, "); ", 3);
	str_put_uint(d, len, &at, h->varbinds);
	str_put(d, len, &at, " varbinds in ", 13);
	str_put_uint(d, len, &at, h->requests);
	str_put(d, len, &at, req, strlen(req));
}

/* Emits every coverage record, says done, frees the slot. */
void
snmp_host_finish(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;
	char d[FAIL_MAX + NOTES_MAX + 160];
	struct probe_result *r;
	enum cov_status sum;
	size_t p;
	int all_ok = 1;

	/* Invariant: a host is done exactly once. */
	assert(h->state != HS_FREE && c->active > 0);
	snmp_session_close(c, h);
	snmp_resolve_drop(c, h);
	snmp_queue_remove(c, h);
	h->budget_at = h->req_at = h->wake_at = h->rate_at = 0;
	snmp_heap_remove(c, h);
	free(h->last);
	h->last = NULL;
	if (h->authed == NULL && h->nfail == 0)
		snmp_profile_failed(h, COV_ERROR, "no SNMP credential profile");
	for (p = 0; p < PROBE__COUNT; p++) {
		if (!(h->probes & PROBE_BIT(p)))
			continue;
		r = snmp_res(h, p);
		if (h->authed == NULL)
			cover(c, h, probe_name((enum probe)p), h->fail,
			    h->faildetail, 0);
		else if (r->set) {
			if (h->netdev_skipped &&
			    (PROBE_BIT(p) & PROBES_NEIGHBOURS))
				snmp_detail_add(r->detail, sizeof(r->detail),
				    "%s", NOT_NETDEV);
			cover(c, h, probe_name((enum probe)p), r->status,
			    r->detail, r->ms);
			if (r->status != COV_OK &&
			    r->status != COV_NO_SUCH_TABLE)
				all_ok = 0;
		} else if (p == PROBE_VLAN_FDB && h->vlan_na)
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: dot1qTpFdbTable holds every "
			    "VLAN's entries", 0);
		else if (p == PROBE_VENDOR && h->vendor_skipped)
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: identity does not call for "
			    "camera vendor MIBs", 0);
		else if (h->netdev_skipped &&
		    (PROBE_BIT(p) & PROBES_NEIGHBOURS))
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: " NOT_NETDEV, 0);
		else if (h->ent_skipped & PROBE_BIT(p))
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: no vendor whose tables this probe "
			    "reads (sysObjectID, vendor subtrees)", 0);
		else if (p == PROBE_ENTERPRISE && c->nsubtrees == 0)
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: the rule pack names no vendor "
			    "subtree", 0);
		else {
			cover(c, h, probe_name((enum probe)p), COV_ERROR,
			    "not run", 0);
			all_ok = 0;
		}
	}
	if (h->authed != NULL) {
		sum = all_ok ? COV_OK : COV_PARTIAL;
		profile_summary(h, d, sizeof(d));
		if (h->nfail > 0)
			snmp_detail_add(d, sizeof(d), "tried first: %s",
			    h->faildetail);
	} else {
		sum = h->fail;
		str_copy(d, h->faildetail, sizeof(d));
	}
	if (h->notes[0] != '\0')
		snmp_detail_add(d, sizeof(d), "%s", h->notes);
	if (c->limit_note[0] != '\0')
		snmp_detail_add(d, sizeof(d), "%s", c->limit_note);
	cover(c, h, "", sum, d, mono_ms() - h->start_ms);
	if (h->englen > 0) {
		e = snmp_engine_get(c, h->engine, h->englen, 0);
		if (e != NULL && e->host == h)
			e->host = NULL;
	}
	if (!c->fatal && c->sink.done != NULL)
		c->sink.done(c->sink.arg, h->target);
	c->ndone++;
	c->active--;
	h->state = HS_FREE;
	c->free[c->nfree++] = h;
}

/*
 * Ends a host early (budget, interruption, network error): the step in
 * flight and every probe not yet run get status s with detail why.
 */
void
snmp_host_abort(struct snmp_ctx *c, struct host *h, enum cov_status s,
    const char *why)
{
	const struct snmp_step *st;
	size_t p, i;
	char d[DETAIL_MAX];

	if (h->authed == NULL) {
		/* Interrupted or out of time while trying profiles. */
		snmp_profile_failed(h, s, why);
		snmp_host_finish(c, h);
		return;
	}
	if (h->state == HS_STEP) {
		unsigned n;

		st = snmp_cur_step(h);
		n = snmp_step_count(h);
		if (h->probes & PROBE_BIT(st->probe)) {
			snprintf(d, sizeof(d), "%s%s%s", st->item != NULL &&
			    st->item[0] != '\0' ? st->item : "",
			    st->item != NULL && st->item[0] != '\0' ?
			    ": " : "", why);
			if (n > 0)
				snmp_detail_add(d, sizeof(d), "after %u %s", n,
				    snmp_step_unit(h));
			if (st->flags & SNMP_STEP_PER_VLAN)
				snmp_detail_add(d, sizeof(d), "in VLAN %u's "
				    "context; %u of %zu VLAN contexts read "
				    "before", h->vlans[h->vlan_i], h->vctx_ok,
				    h->nvlans + h->vlans_over);
			snmp_probe_merge(snmp_res(h, st->probe), n > 0 ?
			    COV_PARTIAL : s, n > 0, d);
			snmp_res(h, st->probe)->ms += mono_ms() - h->step_ms;
		}
		/* Later steps of probes that are under way. */
		for (i = h->step + 1; i < snmp_nsteps; i++) {
			st = &c->steps[i];
			if (!(h->probes & PROBE_BIT(st->probe)) ||
			    !snmp_res(h, st->probe)->set || st->nobj == 0 ||
			    ((st->flags & SNMP_STEP_IF_NETDEV) &&
			    h->roles == 0) || snmp_enterprise_missing(h, st) ||
			    (st->flags & SNMP_STEP_IF_ABSENT) ||
			    (st->flags & SNMP_STEP_PER_VLAN) ||
			    ((st->flags & SNMP_STEP_IF_VENDOR) &&
			    !snmp_vendor_wanted(h)))
				continue;
			snprintf(d, sizeof(d), "%s: not run: %s",
			    st->item != NULL && st->item[0] != '\0' ?
			    st->item : probe_name(st->probe), why);
			snmp_probe_merge(snmp_res(h, st->probe), s, 0, d);
		}
	}
	snprintf(d, sizeof(d), "not run: %s", why);
	for (p = 0; p < PROBE__COUNT; p++)
		if ((h->probes & PROBE_BIT(p)) && !snmp_res(h, p)->set &&
		    !(p == PROBE_VENDOR && h->vendor_skipped) &&
		    !(p == PROBE_VLAN_FDB && h->vlan_na) &&
		    !(h->netdev_skipped &&
		    (PROBE_BIT(p) & PROBES_NEIGHBOURS)) &&
		    !(h->ent_skipped & PROBE_BIT(p)))
			snmp_probe_merge(snmp_res(h, p), s, 0, d);
	snmp_host_finish(c, h);
}
