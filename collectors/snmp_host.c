/*
 * snmp_host: a host's life in the SNMP engine: name resolution without
 * blocking, credential profiles tried in order, the probe steps one after
 * another, requests sent under the global and per-target rates, retries,
 * timeouts and budgets.  What each outcome means for coverage, and the
 * end of a host, are snmp_cover.c's.
 */
#include <assert.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net-snmp/library/large_fd_set.h>
#include "snmp.h"
#include "util.h"

#include "snmp_int.h"

static void	host_next_profile(struct snmp_ctx *, struct host *);
static void	step_next(struct snmp_ctx *, struct host *, size_t);
static void	vlan_step_finish(struct snmp_ctx *, struct host *,
		    const struct snmp_step *, unsigned);

/* Sends the host's current request now (a token was taken). */
void
snmp_host_send(struct snmp_ctx *c, struct host *h)
{
	netsnmp_pdu *pdu;
	netsnmp_session *ss;
	netsnmp_variable_list *whole;
	int reqid, tries = 0, lent = 0;

	if (h->sess == NULL) {
		snmp_host_abort(c, h, COV_ERROR, "no session to send on");
		return;
	}
	h->bulk = 0;
	/* Taken now, not when queued, so that sends are 1/rate apart. */
	(void)pace_take(&h->trate, snmp_mono_us());
again:
	/* A shared socket's GET of a whole step borrows its varbinds. */
	whole = NULL;
	pdu = NULL;
	lent = 0;
	if (h->shared == NULL || h->state == HS_DISCOVER ||
	    snmp_step_whole(c, h, &whole) == 0)
		pdu = h->state == HS_DISCOVER ? snmp_build_discovery() :
		    snmp_build_step(h, whole, &lent);
	if (pdu == NULL || (h->shared != NULL &&
	    snmp_shared_address(h, pdu) != 0)) {
		if (pdu != NULL) {
			if (lent)
				pdu->variables = NULL;
			snmp_free_pdu(pdu);
		}
		snmp_fatal(c, "out of memory (PDU)");
		return;
	}
	/*
	 * A retry is the same request sent again: it keeps the request id,
	 * so that a late answer to an earlier try is taken (net-snmp matches
	 * v1/v2c answers by request id; its own retries do the same).  An
	 * agent slower than the timeout, or a loaded one working through
	 * its queue, answers every try late; with a new id each time, every
	 * answer would be dropped and the host called a timeout.  A try
	 * still in the session (our clock ran out before net-snmp's) goes
	 * first, so that one request holds the id and its expiry cannot
	 * time out the retry.  (SNMPv3 matches answers by message id, new
	 * at every try: there only the retry's own answer counts.)
	 */
	if (h->attempts > 0 && h->reqid != 0 && h->state != HS_DISCOVER) {
		snmp_request_cancel(h->sess, h->reqid);
		pdu->reqid = h->reqid;
	}
	h->ev = EV_NONE;
	ss = snmp_sess_session(h->sess);
	if (ss != NULL)
		ss->s_errno = 0;
	reqid = h->shared != NULL ? snmp_shared_send(c, h, pdu) :
	    snmp_sess_async_send(h->sess, pdu, snmp_session_cb, h);
	/*
	 * Encoded now: the varbinds lent go back before anything else runs,
	 * kept or not, so that no PDU net-snmp frees holds them (a shared
	 * session never re-encodes a request: its retries are 0, ours).
	 */
	if (lent)
		pdu->variables = NULL;
	if (reqid == 0) {
		snmp_free_pdu(pdu);
		/*
		 * A shared socket's send fails with an ICMP error that came
		 * back for another host's request (IP_RECVERR): give it to
		 * that host (the error queue says whose) and send again.
		 */
		if (h->shared != NULL && ss != NULL && ss->s_errno != 0 &&
		    snmp_shared_errors(c, h->shared) > 0 && tries++ < 3)
			goto again;
		/* errno for the socket, else net-snmp's (negative) code. */
		h->neterr = ss == NULL ? EIO : ss->s_errno != 0 ?
		    ss->s_errno : ss->s_snmp_errno < 0 ? ss->s_snmp_errno :
		    EIO;
		h->ev = EV_NETERR;
		snmp_host_advance(c, h);
		return;
	}
	h->reqid = reqid;
	h->requests++;
	c->requests++;
	h->req_at = mono_ms() + c->opts.timeout_ms + SLACK_MS;
	snmp_host_rearm(c, h);
}

/*
 * Sends when the rates allow: first the target's own (a timer until its
 * token is there), then the global one (the FIFO token queue).  Nothing
 * but snmp_host_send() takes the target's token, and a host has one request at
 * a time, so the token seen here is still there when the host is sent.
 */
static void
host_request(struct snmp_ctx *c, struct host *h)
{
	int64_t at;

	at = pace_ready_ms(&h->trate, snmp_mono_us());
	if (at > 0) {
		h->rate_at = at;
		snmp_host_rearm(c, h);
		return;
	}
	if (c->qhead != NULL || !pace_take(&c->rate, snmp_mono_us())) {
		snmp_queue_add(c, h);
		return;
	}
	snmp_host_send(c, h);
}

/* ------------------------------------------------------------------ */
/* Per-VLAN bridge tables: the PER_VLAN steps once in each VLAN context. */

/* Coverage of the VLAN contexts, once they are all done. */
static void
vlan_summary(struct snmp_ctx *c, struct host *h)
{
	char d[DETAIL_MAX];
	enum cov_status s;
	size_t listed = h->nvlans + h->vlans_over;

	(void)c;
	snprintf(d, sizeof(d), "VLAN contexts (%s): %u of %zu read, %u FDB "
	    "row%s", h->authed->version == SNMP_V3 ? "SNMPv3 vlan-N" :
	    "community@VLAN", h->vctx_ok, listed, h->vrows,
	    h->vrows == 1 ? "" : "s");
	if (h->vctx_bad > 0)
		snmp_detail_add(d, sizeof(d), "no answer in VLAN %s", h->vbad);
	if (h->vlan_i < h->nvlans)
		snmp_detail_add(d, sizeof(d), "%zu not tried: 2 contexts in a "
		    "row did not answer", h->nvlans - h->vlan_i);
	if (h->vlans_over > 0)
		snmp_detail_add(d, sizeof(d), "%u beyond the cap of %d not "
		    "read", h->vlans_over, SNMP_VLAN_CAP);
	if (h->vpartial)
		snmp_detail_add(d, sizeof(d), "a context's table read in "
		    "part");
	if (h->vctx_ok == 0)
		s = h->vbad_status;
	else if (h->vctx_bad > 0 || h->vlans_over > 0 || h->vpartial ||
	    h->vlan_i < h->nvlans)
		s = COV_PARTIAL;
	else
		s = COV_OK;
	if (h->probes & PROBE_BIT(PROBE_VLAN_FDB))
		snmp_probe_merge(snmp_res(h, PROBE_VLAN_FDB), s,
		    h->vctx_ok > 0, d);
}

/*
 * A PER_VLAN step ended: the next step of this context, else the next
 * context (back to the first PER_VLAN step), else the coverage and the
 * steps after the block.  A context that does not answer is not counted
 * as the host failing (an agent drops a community@VLAN it does not know),
 * but after two such contexts in a row the rest are not tried.
 */
static void
vlan_step_finish(struct snmp_ctx *c, struct host *h,
    const struct snmp_step *st, unsigned n)
{
	size_t next = h->step + 1, at;
	char id[8];

	snmp_res(h, st->probe)->ms += mono_ms() - h->step_ms;
	if (h->step_failed && n == 0) {
		h->vctx_failed = 1;
		if (h->vbad_status != COV_ERROR)
			h->vbad_status = h->step_status;
	} else {
		if (st->kind == OBS_NEIGHBOR)
			h->vrows += n;
		if (h->step_failed || h->loop || h->truncated || h->toobig)
			h->vpartial = 1;
	}
	free(h->last);
	h->last = NULL;
	h->state = HS_BETWEEN;
	if (!h->vctx_failed && next < snmp_nsteps &&
	    (c->steps[next].flags & SNMP_STEP_PER_VLAN)) {
		step_next(c, h, next);
		return;
	}
	if (h->vctx_failed) {
		h->vctx_bad++;
		h->vctx_badrun++;
		snprintf(id, sizeof(id), "%u", h->vlans[h->vlan_i]);
		at = strlen(h->vbad);
		if (at + strlen(id) + 3 < sizeof(h->vbad))
			snprintf(h->vbad + at, sizeof(h->vbad) - at, "%s%s",
			    at > 0 ? ", " : "", id);
		else if (at + 5 < sizeof(h->vbad) &&
		    strcmp(h->vbad + at - 3, "...") != 0)
			snprintf(h->vbad + at, sizeof(h->vbad) - at, ", ...");
	} else {
		h->vctx_ok++;
		h->vctx_badrun = 0;
	}
	h->vctx_failed = 0;
	h->vlan_i++;
	if (h->vlan_i < h->nvlans && h->vctx_badrun < 2) {
		step_next(c, h, h->vlan_block);
		return;
	}
	vlan_summary(c, h);
	for (next = h->vlan_block; next < snmp_nsteps &&
	    (c->steps[next].flags & SNMP_STEP_PER_VLAN); next++)
		;
	h->vlan_i = h->nvlans;	/* no PER_VLAN step runs again */
	step_next(c, h, next);
}

/* Ends the current step: coverage for it, then the next step. */
static void
step_finish(struct snmp_ctx *c, struct host *h)
{
	const struct snmp_step *st = snmp_cur_step(h);
	char body[DETAIL_MAX], d[DETAIL_MAX + 40];
	enum cov_status s;
	unsigned n = snmp_step_count(h);
	const char *unit = snmp_step_unit(h);

	body[0] = '\0';
	if (h->step_failed) {
		s = n > 0 ? COV_PARTIAL : h->step_status;
		snmp_detail_add(body, sizeof(body), "%s", h->step_why);
		if (n > 0)
			snmp_detail_add(body, sizeof(body), "after %u %s", n,
			    unit);
	} else if (n == 0 && !h->toobig && !h->loop) {
		s = COV_NO_SUCH_TABLE;
		snmp_detail_add(body, sizeof(body), "%s",
		    st->type == SNMP_STEP_TABLE ? "table absent or empty" :
		    "objects absent");
	} else {
		s = COV_OK;
		snmp_detail_add(body, sizeof(body), "%u %s", n, unit);
		if (h->loop) {
			s = COV_PARTIAL;
			snmp_detail_add(body, sizeof(body), "agent returned "
			    "non-increasing OID");
		}
		if (h->truncated) {
			s = COV_PARTIAL;
			snmp_detail_add(body, sizeof(body), "truncated at "
			    "max_rows %u", c->opts.max_rows);
		}
		if (h->toobig) {
			s = COV_PARTIAL;
			snmp_detail_add(body, sizeof(body), "response too big "
			    "even for one %s", st->type == SNMP_STEP_TABLE ?
			    "row" : "object");
		}
	}
	if (h->cut > 0)
		snmp_detail_add(body, sizeof(body), "%u value%s cut to %u "
		    "bytes", h->cut, h->cut == 1 ? "" : "s", c->opts.max_value);
	if (h->skipped > 0)
		snmp_detail_add(body, sizeof(body), "%u rows with a malformed "
		    "index skipped", h->skipped);
	if (st->item != NULL && st->item[0] != '\0')
		snprintf(d, sizeof(d), "%s: %s", st->item, body);
	else
		str_copy(d, body, sizeof(d));
	if (st->probe == PROBE_FDB && st->index == snmp_index_fdb_q)
		h->fdbq_rows = h->rows;
	else if (st->probe == PROBE_FDB && st->index == snmp_index_fdb)
		h->fdbd_rows = h->rows;
	if (st->flags & SNMP_STEP_PER_VLAN) {
		vlan_step_finish(c, h, st, n);
		return;
	}
	if (h->probes & PROBE_BIT(st->probe)) {
		snmp_probe_merge(snmp_res(h, st->probe), s, n > 0, d);
		snmp_res(h, st->probe)->ms += mono_ms() - h->step_ms;
	}
	/* Steps that got nothing for lack of answers, in a row. */
	if (h->step_failed && h->step_status == COV_TIMEOUT && n == 0)
		h->failed_steps++;
	else
		h->failed_steps = 0;
	free(h->last);
	h->last = NULL;
	h->state = HS_BETWEEN;
	step_next(c, h, h->step + 1);
}

/* Prepares step i for its first request. */
static int
step_begin(struct snmp_ctx *c, struct host *h, size_t i)
{
	const struct snmp_step *st = &c->steps[i];
	size_t k;
	char tmp[SNMP_OIDTEXT_MAX];
	int n;

	h->step = i;
	h->step_ms = mono_ms();
	h->pending = snmp_step_all(st);
	h->one_at_a_time = 0;
	h->values = h->rows = h->cut = h->skipped = 0;
	h->loop = h->truncated = h->toobig = h->step_failed = 0;
	h->step_why[0] = '\0';
	h->attempts = 0;
	memset(h->colrows, 0, sizeof(h->colrows));
	if (st->type != SNMP_STEP_TABLE)
		return 0;
	h->last = calloc(st->nobj, sizeof(*h->last));
	if (h->last == NULL) {
		snmp_fatal(c, "out of memory (walk)");
		return -1;
	}
	for (k = 0; k < st->nobj; k++) {
		memcpy(h->last[k], st->obj[k].name,
		    st->obj[k].len * sizeof(oid));
		h->lastlen[k] = st->obj[k].len;
		n = snmp_oid_text(st->obj[k].name, st->obj[k].len, tmp,
		    sizeof(tmp));
		h->coltext[k] = n > 0 ? (size_t)n : 0;
	}
	return 0;
}


/* Runs the first step from i on that applies, or finishes the host. */
static void
step_next(struct snmp_ctx *c, struct host *h, size_t i)
{
	const struct snmp_step *st;
	int vendor;

	if (h->failed_steps >= 2) {
		snmp_host_abort(c, h, COV_TIMEOUT, "host stopped answering");
		return;
	}
	vendor = snmp_vendor_wanted(h);
	for (; i < snmp_nsteps; i++) {
		st = &c->steps[i];
		if (!(h->probes & PROBE_BIT(st->probe)) || st->nobj == 0)
			continue;
		/* Neighbour tables: routers and bridges only. */
		if ((st->flags & SNMP_STEP_IF_NETDEV) && h->roles == 0) {
			h->netdev_skipped = 1;
			continue;
		}
		if (snmp_enterprise_missing(h, st)) {
			h->ent_skipped |= PROBE_BIT(st->probe);
			continue;
		}
		if ((st->flags & SNMP_STEP_IF_VENDOR) && !vendor) {
			h->vendor_skipped = 1;
			continue;
		}
		if ((st->flags & SNMP_STEP_IF_ABSENT) &&
		    !(snmp_res(h, st->probe)->set &&
		    snmp_res(h, st->probe)->status == COV_NO_SUCH_TABLE))
			continue;
		/* Q-BRIDGE's FDB is indexed by VLAN already. */
		if ((st->flags & SNMP_STEP_VLANS) && h->fdbq_rows > 0) {
			h->vlan_na = 1;
			continue;
		}
		if (st->flags & SNMP_STEP_PER_VLAN) {
			if (h->vlan_i >= h->nvlans)
				continue;
			if (h->vlan_block == 0)
				h->vlan_block = i;
		}
		if (step_begin(c, h, i) != 0)
			return;
		h->state = HS_STEP;
		host_request(c, h);
		return;
	}
	snmp_host_finish(c, h);
}

/* ------------------------------------------------------------------ */
/* Credential profiles. */

/* Opens the session of the current profile and sends the identity GET. */
static void
profile_start(struct snmp_ctx *c, struct host *h)
{
	char why[DETAIL_MAX];
	int rc;

	if (h->cred->version == SNMP_V3) {
		rc = snmp_usm_acquire(c, h);
		if (rc < 0) {
			snmp_fatal(c, "out of memory (USM users)");
			return;
		}
		if (rc > 0) {
			/* A clone holds the user: try again shortly. */
			h->state = HS_USERWAIT;
			h->wake_at = mono_ms() + 20;
			snmp_host_rearm(c, h);
			return;
		}
	}
	if (snmp_session_open(c, h, h->cred, why, sizeof(why)) != 0) {
		snmp_usm_release(c, h);
		snmp_profile_failed(h, COV_ERROR, why);
		host_next_profile(c, h);
		return;
	}
	h->state = HS_AUTH;
	if (step_begin(c, h, SNMP_STEP_IDENTITY) != 0)
		return;
	host_request(c, h);
}

static void
host_next_profile(struct snmp_ctx *c, struct host *h)
{
	const struct cred_profile *cp;
	char why[DETAIL_MAX];

	for (;;) {
		h->prof++;
		if ((size_t)h->prof >= h->t->nsnmp_profiles) {
			h->prof = -1;
			snmp_host_finish(c, h);
			return;
		}
		cp = cred_find(c->creds, snmp_prof_name(h));
		if (cp == NULL || cp->type != CRED_SNMP) {
			snmp_profile_failed(h, COV_ERROR,
			    "no such SNMP credential profile");
			continue;
		}
		h->cred = cp;
		if (cp->version != SNMP_V3 || h->disc == DISC_OK) {
			profile_start(c, h);
			return;
		}
		if (h->disc == DISC_FAILED) {
			snmp_profile_failed(h, h->disc_status, h->disc_why);
			continue;
		}
		if (snmp_session_open(c, h, NULL, why, sizeof(why)) != 0) {
			snmp_profile_failed(h, COV_ERROR, why);
			continue;
		}
		h->state = HS_DISCOVER;
		h->attempts = 0;
		host_request(c, h);
		return;
	}
}

/* The host's address is known: start on its profiles. */
static void
host_addressed(struct snmp_ctx *c, struct host *h)
{
	/* Its text is made only for a session of its own (snmp_session.c). */
	if (h->sa.ss_family != AF_INET && h->sa.ss_family != AF_INET6) {
		snmp_host_abort(c, h, COV_ERROR, "unusable address");
		return;
	}
	h->prof = -1;
	host_next_profile(c, h);
}

static void
resolve_start(struct snmp_ctx *c, struct host *h)
{
	struct resolve *rs;
	struct gaicb *list[1];
	int rc;

	rs = calloc(1, sizeof(*rs));
	if (rs == NULL) {
		snmp_fatal(c, "out of memory (resolver)");
		return;
	}
	str_copy(rs->name, h->t->h.address, sizeof(rs->name));
	snprintf(rs->port, sizeof(rs->port), "%u", h->port);
	rs->hints.ai_family = AF_UNSPEC;
	rs->hints.ai_socktype = SOCK_DGRAM;
	rs->hints.ai_flags = AI_NUMERICSERV;
	rs->cb.ar_name = rs->name;
	rs->cb.ar_service = rs->port;
	rs->cb.ar_request = &rs->hints;
	list[0] = &rs->cb;
	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		free(rs);
		snmp_host_abort(c, h, COV_UNREACHABLE, gai_strerror(rc));
		return;
	}
	h->rs = rs;
	h->state = HS_RESOLVE;
	h->resolve_at = mono_ms() + RESOLVE_MS;
	h->rnext = c->resolving;
	c->resolving = h;
}

/* Checks the names being resolved (and the orphaned look-ups). */
void
snmp_resolve_poll(struct snmp_ctx *c)
{
	struct host *h, *next;
	struct resolve *rs, **rp;
	struct addrinfo *ai;
	char why[DETAIL_MAX];
	int rc;

	for (rp = &c->orphans; *rp != NULL;) {
		rs = *rp;
		if (gai_error(&rs->cb) == EAI_INPROGRESS) {
			rp = &rs->next;
			continue;
		}
		*rp = rs->next;
		if (rs->cb.ar_result != NULL)
			freeaddrinfo(rs->cb.ar_result);
		free(rs);
	}
	for (h = c->resolving; h != NULL; h = next) {
		next = h->rnext;
		rs = h->rs;
		rc = gai_error(&rs->cb);
		if (rc == EAI_INPROGRESS) {
			if (mono_ms() >= h->resolve_at)
				snmp_host_abort(c, h, COV_UNREACHABLE,
				    "name resolution timed out");
			continue;
		}
		if (rc != 0 || rs->cb.ar_result == NULL) {
			snprintf(why, sizeof(why), "cannot resolve %s: %s",
			    h->t->h.address, gai_strerror(rc));
			snmp_host_abort(c, h, COV_UNREACHABLE, why);
			continue;
		}
		ai = rs->cb.ar_result;
		if (ai->ai_addrlen > sizeof(h->sa)) {
			snmp_host_abort(c, h, COV_ERROR, "unusable address");
			continue;
		}
		memcpy(&h->sa, ai->ai_addr, ai->ai_addrlen);
		h->salen = ai->ai_addrlen;
		snmp_resolve_drop(c, h);
		host_addressed(c, h);
	}
}

/* Takes the next target of this collector into a free slot. */
void
snmp_host_start(struct snmp_ctx *c, size_t ti)
{
	const struct target *t = &c->tl->v[ti];
	struct host *h = c->free[--c->nfree];
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;
	int64_t now = mono_ms();

	memset(h, 0, sizeof(*h));
	h->c = c;
	h->res = c->res + (size_t)(h - c->slots) * c->nres;
	memset(h->res, 0, c->nres * sizeof(*h->res));
	h->target = ti;
	h->t = t;
	h->heap_idx = SIZE_MAX;
	h->fd = -1;
	h->prof = -1;
	h->probes = (c->opts.target_probes != NULL ?
	    c->opts.target_probes[ti] : c->opts.probes) & SNMP_PROBES;
	h->start_ms = now;
	h->budget_at = c->opts.host_budget_ms > 0 ?
	    now + c->opts.host_budget_ms : 0;
	h->port = t->port != 0 ? t->port : SNMP_PORT_DEFAULT;
	h->state = HS_RESOLVE;
	snmp_mr_init(&h->mr, c->opts.max_repetitions);
	/* One token saved at most: requests come 1/rate apart. */
	pace_init(&h->trate, c->opts.target_rate != NULL ?
	    c->opts.target_rate[ti] : 0, 1, snmp_mono_us());
	c->active++;
	snmp_host_rearm(c, h);
	if (t->family == AF_INET) {
		s4 = (struct sockaddr_in *)&h->sa;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)h->port);
		h->salen = sizeof(*s4);
		if (inet_pton(AF_INET, t->h.address, &s4->sin_addr) != 1) {
			snmp_host_abort(c, h, COV_ERROR, "bad IPv4 address");
			return;
		}
		host_addressed(c, h);
	} else if (t->family == AF_INET6) {
		s6 = (struct sockaddr_in6 *)&h->sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)h->port);
		h->salen = sizeof(*s6);
		if (inet_pton(AF_INET6, t->h.address, &s6->sin6_addr) != 1) {
			snmp_host_abort(c, h, COV_ERROR, "bad IPv6 address");
			return;
		}
		host_addressed(c, h);
	} else
		resolve_start(c, h);
}

/*
 * Net errors: ICMP port/host unreachable and the like.  All are
 * "unreachable" (README, coverage statuses): over UDP the kernel reports
 * an ICMP port unreachable as ECONNREFUSED, but no agent refused anything;
 * "refused" is kept for a service that says no (an agent's TCP port, a
 * disabled inventory plugin).
 */
static void
host_neterr(struct snmp_ctx *c, struct host *h)
{
	char why[DETAIL_MAX];
	enum cov_status s;

	switch (h->neterr) {
	case ECONNREFUSED:
		s = COV_UNREACHABLE;
		snprintf(why, sizeof(why), "ICMP port unreachable: no SNMP "
		    "agent on port %u", h->port);
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		s = COV_UNREACHABLE;
		snprintf(why, sizeof(why), "%s", strerror(h->neterr));
		break;
	default:
		s = COV_ERROR;
		snprintf(why, sizeof(why), "send failed: %s",
		    h->neterr > 0 ? strerror(h->neterr) :
		    snmp_api_errstring(h->neterr));
		break;
	}
	snmp_host_abort(c, h, s, why);
}

/* Retries the request in flight if it may, else returns 0. */
static int
host_retry(struct snmp_ctx *c, struct host *h)
{
	if (h->attempts >= c->opts.retries)
		return 0;
	h->attempts++;
	if (h->bulk)
		(void)snmp_mr_timeout(&h->mr);
	host_request(c, h);
	return 1;
}

/* The host's next move after the callback recorded an event. */
void
snmp_host_advance(struct snmp_ctx *c, struct host *h)
{
	enum host_event ev = h->ev;
	char why[DETAIL_MAX];

	h->ev = EV_NONE;
	if (ev == EV_NONE || c->fatal)
		return;
	h->req_at = 0;
	snmp_host_rearm(c, h);
	if (ev == EV_NETERR && (h->neterr == EAGAIN ||
	    h->neterr == ENOBUFS))
		ev = EV_TIMEOUT;	/* as good as lost on the way */
	if (ev == EV_NETERR) {
		host_neterr(c, h);
		return;
	}
	switch (h->state) {
	case HS_DISCOVER:
		if (ev == EV_TIMEOUT && host_retry(c, h))
			return;
		snmp_session_close(c, h);
		if (ev == EV_TIMEOUT || h->englen == 0) {
			h->disc = DISC_FAILED;
			h->disc_status = ev == EV_TIMEOUT ? COV_TIMEOUT :
			    COV_ERROR;
			h->disc_why = ev == EV_TIMEOUT ?
			    "no response to SNMPv3 engine discovery" :
			    "SNMPv3 engine discovery: no usable engine ID";
			snmp_profile_failed(h, h->disc_status, h->disc_why);
			host_next_profile(c, h);
			return;
		}
		h->disc = DISC_OK;
		snmp_engine_seen(c, h);
		if (h->probes & PROBE_BIT(PROBE_SYSTEM)) {
			struct observation o = { 0 };
			static const char src[] = "1.3.6.1.6.3.10.2.1.1.0";

			o.kind = OBS_SYSTEM;
			o.item = "";
			o.attr = "engineid";
			o.source = src;
			o.vtype = VAL_HEX;
			o.value = h->engine;
			o.len = h->englen;
			if (c->sink.observe(c->sink.arg, h->target, CHAN_SNMP,
			    &o) != 0)
				snmp_fatal(c, "the sink refused an "
				    "observation");
		}
		profile_start(c, h);
		return;
	case HS_AUTH:
		if (ev == EV_TIMEOUT && host_retry(c, h))
			return;
		if (ev == EV_RESPONSE && h->authed != NULL) {
			h->state = HS_STEP;
			h->attempts = 0;
			break;
		}
		snmp_session_close(c, h);
		if (ev == EV_TIMEOUT && h->cred->version == SNMP_V3)
			snmp_profile_failed(h, COV_AUTH_FAILED, "no response "
			    "to authenticated requests although the agent "
			    "answered engine discovery (wrong privacy "
			    "passphrase or protocol?)");
		else if (ev == EV_TIMEOUT)
			snmp_profile_failed(h, COV_TIMEOUT, "no response "
			    "(wrong community or host down)");
		else if (ev == EV_REPORT) {
			snprintf(why, sizeof(why), "SNMPv3 %s", h->report);
			snmp_profile_failed(h, h->report_auth ?
			    COV_AUTH_FAILED : COV_ERROR, why);
		} else
			snmp_profile_failed(h, COV_AUTH_FAILED,
			    "authorizationError: the agent refused this "
			    "profile");
		host_next_profile(c, h);
		return;
	case HS_STEP:
		break;
	default:
		return;
	}
	/* A step: continue, retry or end it. */
	if (ev == EV_TIMEOUT) {
		if (host_retry(c, h))
			return;
		h->step_failed = 1;
		h->step_status = COV_TIMEOUT;
		snprintf(h->step_why, sizeof(h->step_why), "no response "
		    "after %u %s", c->opts.retries + 1,
		    c->opts.retries > 0 ? "tries" : "try");
		h->pending = 0;
	} else if (ev == EV_REPORT) {
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "SNMPv3 %s",
		    h->report);
		h->pending = 0;
	} else
		h->attempts = 0;
	if (h->pending != 0 && !c->fatal)
		host_request(c, h);
	else
		step_finish(c, h);
}

/* A deadline of the host passed. */
/*
 * Has an answer to the request in flight arrived that the loop has not
 * read yet?  1: a datagram waits; -1: an ICMP error waits (taken from the
 * socket: it is in h->neterr now); 0: nothing.
 */
static int
answer_waiting(struct host *h)
{
	unsigned char b;

	if (h->fd < 0)
		return 0;
	if (recv(h->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0)
		return 1;
	switch (errno) {
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		h->neterr = errno;
		return -1;
	default:
		return 0;
	}
}

/* Advances the hosts that a shared socket's read or timeouts fired. */
static void
fired_run(struct snmp_ctx *c)
{
	struct host *h;

	while ((h = snmp_fired_pop(c)) != NULL)
		if (h->state != HS_FREE)
			snmp_host_advance(c, h);
}

/*
 * The request of a host on a shared socket is past its deadline.  What
 * waits on the socket is read first (answers that arrived in time are
 * never timeouts); then net-snmp expires the requests of the socket that
 * are past theirs, which may be several hosts'.  Should its clock
 * disagree with ours (the wall clock stepped back), the host times out
 * by ours.
 */
static void
shared_timer(struct snmp_ctx *c, struct host *h, int64_t now)
{
	void *sess = h->sess;

	snmp_shared_read(c, h->shared);
	fired_run(c);
	if (h->req_at == 0 || now < h->req_at || h->sess != sess)
		return;
	snmp_sess_timeout(sess);
	fired_run(c);
	if (h->req_at == 0 || now < h->req_at || h->sess != sess)
		return;
	h->ev = EV_TIMEOUT;
	snmp_host_advance(c, h);
}

/* Expires what is past its timeout on the shared sockets (snmp_shared.c). */
void
snmp_host_sweep(struct snmp_ctx *c)
{
	snmp_shared_sweep(c);
	fired_run(c);
}

/* Advances the hosts whose events wait in the fired queue. */
void
snmp_host_fired(struct snmp_ctx *c)
{
	fired_run(c);
}

/*
 * Sends the requests queued for the shared sockets (snmp_shared_flush())
 * and advances the hosts whose request could not be sent, until nothing
 * waits: before any timer or wait of the loop.
 */
void
snmp_host_flush(struct snmp_ctx *c)
{
	while (!c->fatal && (snmp_shared_pending(c) > 0 ||
	    c->fired != NULL)) {
		snmp_shared_flush(c);
		fired_run(c);
	}
}

void
snmp_key_ready(struct snmp_ctx *c, uint64_t key)
{
	size_t i = (size_t)(key & ~SNMP_KEY_SHARED);

	if (key & SNMP_KEY_SHARED) {
		if (i < c->nshared) {
			snmp_shared_read(c, &c->shared[i]);
			fired_run(c);
		}
	} else if (i < c->cap)
		snmp_host_readable(c, &c->slots[i]);
}

void
snmp_host_timer(struct snmp_ctx *c, struct host *h, int64_t now)
{
	struct timeval tv;
	int n = 0, block = 1;
	char why[DETAIL_MAX];

	if (h->budget_at != 0 && now >= h->budget_at) {
		snprintf(why, sizeof(why), "host time budget of %u ms "
		    "exhausted", c->opts.host_budget_ms);
		snmp_host_abort(c, h, COV_TIMEOUT, why);
		return;
	}
	if (h->wake_at != 0 && now >= h->wake_at) {
		h->wake_at = 0;
		snmp_host_rearm(c, h);
		if (h->state == HS_USERWAIT)
			profile_start(c, h);
		return;
	}
	if (h->rate_at != 0 && now >= h->rate_at) {
		h->rate_at = 0;
		snmp_host_rearm(c, h);
		host_request(c, h);
		return;
	}
	if (h->req_at == 0 || now < h->req_at)
		return;
	if (h->sess == NULL) {
		h->req_at = 0;
		snmp_host_rearm(c, h);
		return;
	}
	if (h->shared != NULL) {
		shared_timer(c, h, now);
		return;
	}
	/*
	 * An answer may have arrived in time and still wait in the socket
	 * (a loop with more requests in flight than it reads per timeout):
	 * it is read, not called a timeout.  Each read takes one datagram,
	 * so a stray one ends in a timeout on the next call, not a loop.
	 */
	switch (answer_waiting(h)) {
	case 1:
		snmp_host_readable(c, h);
		return;
	case -1:
		h->ev = EV_NETERR;
		snmp_host_advance(c, h);
		return;
	default:
		break;
	}
	h->ev = EV_NONE;
	snmp_sess_timeout(h->sess);
	if (h->ev != EV_NONE) {
		snmp_host_advance(c, h);
		return;
	}
	/*
	 * net-snmp's clock disagrees (a resend after notInTimeWindow):
	 * wait for its deadline, or time out ourselves if it has none.
	 */
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	snmp_sess_select_info2_flags(h->sess, &n, &c->fds, &tv, &block,
	    NETSNMP_SELECT_NOALARMS);
	NETSNMP_LARGE_FD_CLR(h->fd, &c->fds);
	if (block || tv.tv_sec > (long)c->opts.timeout_ms / 1000 + 1) {
		h->ev = EV_TIMEOUT;
		snmp_host_advance(c, h);
		return;
	}
	h->req_at = now + tv.tv_sec * 1000 + tv.tv_usec / 1000 + SLACK_MS;
	snmp_host_rearm(c, h);
}

/* A session's socket is readable (or has an error). */
void
snmp_host_readable(struct snmp_ctx *c, struct host *h)
{
	netsnmp_session *ss;
	int rc, fd = h->fd;

	if (h->sess == NULL || fd < 0)
		return;
	h->ev = EV_NONE;
	NETSNMP_LARGE_FD_SET(fd, &c->fds);
	rc = snmp_sess_read2(h->sess, &c->fds);
	NETSNMP_LARGE_FD_CLR(fd, &c->fds);
	if (rc != 0 && h->ev == EV_NONE) {
		ss = snmp_sess_session(h->sess);
		switch (ss != NULL ? ss->s_errno : 0) {
		case ECONNREFUSED:
		case EHOSTUNREACH:
		case ENETUNREACH:
		case EHOSTDOWN:
		case ENETDOWN:
			h->neterr = ss->s_errno;
			h->ev = EV_NETERR;
			break;
		default:
			break;	/* garbage or a stray packet: ignored */
		}
	}
	if (h->ev != EV_NONE)
		snmp_host_advance(c, h);
}
