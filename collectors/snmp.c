/*
 * snmp: the SNMP collector.  One event loop drives net-snmp's
 * single-session API: every target gets its own session (its own UDP
 * socket, so SNMPv3 USM state never crosses hosts), every socket sits in
 * one epoll set, and each host has at most one request in flight.
 *
 * The loop (collector_poll):
 *	start hosts while fewer than the concurrency are active and no host
 *	    waits for a token of the global packet rate;
 *	hand tokens to the hosts queued for one (FIFO), which then send;
 *	    a target with a rate of its own (collect_opts.target_rate: OT
 *	    devices) first waits on a timer for its own token, so that its
 *	    requests are at least 1/rate apart whatever the global rate;
 *	when a timer is due, first read every socket that is readable now
 *	    (answers that arrived in time are never called timeouts, however
 *	    many requests are in flight), then fire the expired timers
 *	    (request deadline, host budget) from a min-heap; a request's
 *	    timer still looks at its own socket before it calls a timeout;
 *	epoll_wait until the next timer, token or caller deadline;
 *	read each readable session with snmp_sess_read2().
 * net-snmp calls session_cb() from inside snmp_sess_read2() and
 * snmp_sess_timeout(): the callback only parses the PDU into the host's
 * state and emits observations.  Everything that may open, send on or
 * close a session (host_advance) runs after the library call returned, so
 * a session is never closed inside its own callback.
 *
 * A host: resolve the name if any (getaddrinfo_a, never blocking), then
 * try its credential profiles in order with a GET of the system group.
 * SNMPv3 first discovers the agent's engine ID with an unauthenticated
 * probe on a session opened with SNMP_FLAGS_DONT_PROBE (snmp_sess_open()
 * would otherwise probe synchronously and block the loop); the profile's
 * session is then opened with that engine ID, and net-snmp localises the
 * keys into a USM user keyed by (engine ID, user name), which is removed
 * again when the session closes so that the next profile's keys are used.
 * Once a profile answers, the probe steps of snmp_probes.c run one after
 * another: GETs for scalars, walks of all columns of a table at once
 * (GETBULK with adaptive max-repetitions, GETNEXT for v1).
 *
 * net-snmp itself is process-global (users, engine times, logging); it is
 * initialised once and its users are cleaned up per session.
 */
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

#include "snmp_int.h"

static int	lib_ready;

/* Is target i one of this collector's? */
static int
target_mine(const struct snmp_ctx *c, size_t i)
{
	unsigned p;

	p = c->opts.target_probes != NULL ? c->opts.target_probes[i] :
	    c->opts.probes;
	return c->tl->v[i].nsnmp_profiles > 0 && (p & SNMP_PROBES) != 0;
}

/* ------------------------------------------------------------------ */
/* The collector interface. */

static int
lib_init(char *err, size_t errlen)
{
	if (lib_ready)
		return 0;
	/*
	 * No MIB files: every OID here is numeric.  MIBS empty loads no
	 * module; MIBDIRS empty also keeps init_snmp() from opening every
	 * file of /usr/share/snmp/mibs to index it (issue 13: 30 files a
	 * run).
	 */
	if (setenv("MIBS", "", 1) != 0 || setenv("MIBDIRS", "", 1) != 0)
		return errf(err, errlen, "setenv: %s", strerror(errno));
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	/*
	 * Debian's 5.9.3 creates <persistent dir>/cert_indexes during
	 * init_snmp() even with persistence off; a directory that cannot
	 * exist keeps it from writing anywhere.
	 */
	set_persistent_directory("/dev/null/banaudit");
	/* net-snmp's log would go to stderr: drop it, before init. */
	snmp_disable_log();
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	init_snmp("banaudit");
	/* The unauthenticated user of engine ID discovery (RFC 3414 4). */
	if (usm_get_user(NULL, 0, "") == NULL) {
		struct usmUser *u = usm_create_user();

		if (u == NULL)
			return errf(err, errlen, "out of memory (USM)");
		u->name = strdup("");
		u->secName = strdup("");
		u->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol,
		    NELEM(usmNoAuthProtocol));
		u->authProtocolLen = NELEM(usmNoAuthProtocol);
		u->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol,
		    NELEM(usmNoPrivProtocol));
		u->privProtocolLen = NELEM(usmNoPrivProtocol);
		usm_add_user(u);
	}
	lib_ready = 1;
	return 0;
}

/* Raises the open-files limit and says how many sessions fit. */
static size_t
fd_room(rlim_t *limit)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		*limit = 1024;
		return 1024 - FD_RESERVE;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	*limit = rl.rlim_cur;
	if (rl.rlim_cur == RLIM_INFINITY)
		*limit = 1u << 20;
	if (*limit > 2 * FD_RESERVE)
		return (size_t)*limit - FD_RESERVE;
	return *limit > 2 ? (size_t)*limit / 2 : 1;
}

static void collector_close(void *);

/*
 * May every target of this collector use shared sockets only: an IPv4 or
 * IPv6 address, and only SNMPv1/v2c profiles (snmp_shared_fits())?  Then
 * *families says how many address families there are (1 or 2).
 */
static int
all_shared(const struct snmp_ctx *c, const struct target_list *tl,
    const struct cred_set *creds, size_t *families)
{
	const struct cred_profile *cp;
	size_t i, k;
	int v4 = 0, v6 = 0;

	*families = 1;
	for (i = 0; i < tl->n; i++) {
		if (!target_mine(c, i))
			continue;
		if (tl->v[i].family == AF_INET)
			v4 = 1;
		else if (tl->v[i].family == AF_INET6)
			v6 = 1;
		else
			return 0;
		for (k = 0; k < tl->v[i].nsnmp_profiles; k++) {
			cp = cred_find(creds, tl->v[i].snmp_profiles[k]);
			if (cp != NULL && cp->type == CRED_SNMP &&
			    cp->version == SNMP_V3)
				return 0;
		}
	}
	*families = v4 && v6 ? 2 : 1;
	return 1;
}

/*
 * The scan's copy of the probe steps: the SNMP_STEP_SUBTREES step gets
 * the rule pack's vendor subtrees as its objects (at most
 * SNMP_MAX_OBJECTS; the rest are named in err and refused).
 */
static int
steps_init(struct snmp_ctx *c, char *err, size_t errlen)
{
	struct snmp_object *o;
	struct snmp_step *st;
	size_t i;

	if (c->opts.nsubtrees > SNMP_MAX_OBJECTS)
		return errf(err, errlen, "%zu vendor subtrees: at most %d",
		    c->opts.nsubtrees, SNMP_MAX_OBJECTS);
	for (i = 0; i < c->opts.nsubtrees; i++) {
		o = &c->subtrees[i];
		if (snmp_oid_parse(c->opts.subtrees[i], o->name,
		    SNMP_OBJ_MAXLEN, &o->len) != 0)
			return errf(err, errlen, "vendor subtree '%s': not "
			    "an OID of at most %d sub-identifiers",
			    c->opts.subtrees[i], SNMP_OBJ_MAXLEN);
		o->attr = "value";
		o->octets = VAL_TEXT;
	}
	c->nsubtrees = c->opts.nsubtrees;
	c->steps = calloc(snmp_nsteps, sizeof(*c->steps));
	if (c->steps == NULL)
		return errf(err, errlen, "out of memory");
	memcpy(c->steps, snmp_steps, snmp_nsteps * sizeof(*c->steps));
	for (i = 0; i < snmp_nsteps; i++) {
		st = &c->steps[i];
		if (st->flags & SNMP_STEP_SUBTREES) {
			st->obj = c->subtrees;
			st->nobj = c->nsubtrees;
		}
	}
	return 0;
}

static int
collector_open(void **ctxp, const struct collect_opts *opts,
    const struct target_list *tl, const struct cred_set *creds,
    const struct collect_sink *sink, char *err, size_t errlen)
{
	struct snmp_ctx *c;
	rlim_t limit;
	size_t i, room, want, fams;
	unsigned probes;

	*ctxp = NULL;
	if (lib_init(err, errlen) != 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return errf(err, errlen, "out of memory");
	c->epfd = -1;
	c->opts = *opts;
	c->tl = tl;
	c->creds = creds;
	c->sink = *sink;
	if (c->opts.max_rows == 0)
		c->opts.max_rows = UINT32_MAX;
	if (steps_init(c, err, errlen) != 0) {
		collector_close(c);
		return -1;
	}
	probes = c->opts.probes;
	for (i = 0; i < tl->n; i++)
		if (target_mine(c, i)) {
			c->ntargets++;
			if (c->opts.target_probes != NULL)
				probes |= c->opts.target_probes[i];
		}
	snmp_res_map(c, probes & SNMP_PROBES);
	room = fd_room(&limit);
	want = opts->concurrency > 0 ? opts->concurrency : 1;
	/*
	 * A host holds a descriptor of its own unless it is on a shared
	 * socket (snmp_shared.c): when every target may be, the limit is on
	 * the shared sockets, one per address family, profile and block of
	 * slots.
	 */
	if (creds != NULL && creds->n > 0 && all_shared(c, tl, creds, &fams) &&
	    room / (creds->n * fams) <= SIZE_MAX / SNMP_SHARED_HOSTS)
		room = room / (creds->n * fams) * SNMP_SHARED_HOSTS;
	c->cap = want < room ? want : room;
	if (c->cap < want)
		snprintf(c->limit_note, sizeof(c->limit_note), "concurrency "
		    "limited to %zu by the open-files limit (%llu)", c->cap,
		    (unsigned long long)limit);
	if (c->cap > c->ntargets)
		c->cap = c->ntargets > 0 ? c->ntargets : 1;
	c->slots = calloc(c->cap, sizeof(*c->slots));
	c->res = c->cap <= SIZE_MAX / c->nres ? calloc(c->cap * c->nres,
	    sizeof(*c->res)) : NULL;
	c->free = calloc(c->cap, sizeof(*c->free));
	c->heap = calloc(c->cap, sizeof(*c->heap));
	c->keys = calloc(creds != NULL && creds->n > 0 ? creds->n : 1,
	    sizeof(*c->keys));
	if (c->slots == NULL || c->res == NULL || c->free == NULL ||
	    c->heap == NULL || c->keys == NULL) {
		/* The message first: collector_close() frees c. */
		errf(err, errlen, "out of memory for %zu sessions", c->cap);
		collector_close(c);
		return -1;
	}
	for (i = c->cap; i > 0; i--)
		c->free[c->nfree++] = &c->slots[i - 1];
	if (creds != NULL && creds->n > 0) {
		c->nshared_blocks = (c->cap + SNMP_SHARED_HOSTS - 1) /
		    SNMP_SHARED_HOSTS;
		/* IPv4 and IPv6 (snmp_shared_bind()). */
		c->nshared = 2 * creds->n * c->nshared_blocks;
		c->shared = calloc(c->nshared, sizeof(*c->shared));
		if (c->shared == NULL) {
			errf(err, errlen, "out of memory for %zu shared "
			    "sockets", c->nshared);
			collector_close(c);
			return -1;
		}
		for (i = 0; i < c->nshared; i++)
			c->shared[i].fd = -1;
		c->io = snmp_shared_io_new();
		if (c->io == NULL) {
			errf(err, errlen, "out of memory for the shared "
			    "sockets' buffers");
			collector_close(c);
			return -1;
		}
	}
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd < 0) {
		errf(err, errlen, "epoll_create1: %s", strerror(errno));
		collector_close(c);
		return -1;
	}
	netsnmp_large_fd_set_init(&c->fds, (int)(limit < (1u << 20) ?
	    limit : (1u << 20)));
	c->fds_ready = 1;
	pace_init(&c->rate, opts->rate, opts->rate / 100, snmp_mono_us());
	*ctxp = c;
	return 0;
}

/* Coverage "error: interrupted" for a target never started. */
static void
target_interrupted(struct snmp_ctx *c, size_t ti)
{
	struct coverage cv;
	unsigned probes;
	size_t p;

	probes = (c->opts.target_probes != NULL ?
	    c->opts.target_probes[ti] : c->opts.probes) & SNMP_PROBES;
	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_SNMP;
	cv.status = COV_ERROR;
	cv.detail = "interrupted before this host was started";
	for (p = 0; p <= PROBE__COUNT && !c->fatal; p++) {
		if (p < PROBE__COUNT && !(probes & PROBE_BIT(p)))
			continue;
		cv.probe = p < PROBE__COUNT ? probe_name((enum probe)p) : "";
		if (c->sink.cover(c->sink.arg, ti, &cv) != 0)
			snmp_fatal(c, "the sink refused a coverage record");
	}
	if (!c->fatal && c->sink.done != NULL)
		c->sink.done(c->sink.arg, ti);
	c->ndone++;
}

/* Ends every host not done with coverage "error: interrupted". */
static void
wind_down(struct snmp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->cap && !c->fatal; i++)
		if (c->slots[i].state != HS_FREE)
			snmp_host_abort(c, &c->slots[i], COV_ERROR,
			    "interrupted");
	while (c->next_target < c->tl->n && !c->fatal) {
		i = c->next_target++;
		if (target_mine(c, i))
			target_interrupted(c, i);
	}
}

/*
 * Reads every session that is readable now, without waiting: at most a
 * round of batches covering every slot, so that a flood cannot hold the
 * loop.  (The timers check their own socket again: see snmp_host_timer.)
 */
static int
read_ready(struct snmp_ctx *c, struct epoll_event *evs, char *err,
    size_t errlen)
{
	size_t round, rounds = c->cap / EPOLL_BATCH + 1;
	int i, n;

	for (round = 0; round < rounds && !c->fatal; round++) {
		n = epoll_wait(c->epfd, evs, EPOLL_BATCH, 0);
		if (n < 0 && errno != EINTR)
			return errf(err, errlen, "epoll_wait: %s",
			    strerror(errno));
		for (i = 0; i < n && !c->fatal; i++)
			snmp_key_ready(c, evs[i].data.u64);
		if (n < EPOLL_BATCH)
			break;
	}
	return 0;
}

static int
collector_poll(void *ctxp, int timeout_ms, char *err, size_t errlen)
{
	struct snmp_ctx *c = ctxp;
	struct epoll_event evs[EPOLL_BATCH];
	struct host *h;
	int64_t now, end, wait, us;
	int i, n;

	if (c == NULL)
		return errf(err, errlen, "no collector context");
	end = mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		if (c->opts.stop != NULL && *c->opts.stop)
			wind_down(c);
		if (c->fatal)
			return errf(err, errlen, "snmp: %s", c->fatal_msg);
		if (c->ndone >= c->ntargets)
			return 0;

		/* Start hosts while the rate is not what holds us back. */
		while (c->nfree > 0 && c->qhead == NULL &&
		    c->next_target < c->tl->n && !c->fatal) {
			if (target_mine(c, c->next_target))
				snmp_host_start(c, c->next_target);
			c->next_target++;
		}
		if (c->resolving != NULL || c->orphans != NULL)
			snmp_resolve_poll(c);
		while (c->qhead != NULL && !c->fatal &&
		    pace_take(&c->rate, snmp_mono_us())) {
			h = c->qhead;
			snmp_queue_remove(c, h);
			snmp_host_send(c, h);
		}
		snmp_host_fired(c);
		/* Requests go out before any timer is looked at. */
		snmp_host_flush(c);
		now = mono_ms();
		if (c->shared != NULL && now >= c->sweep_at) {
			snmp_host_sweep(c);
			c->sweep_at = now + (c->opts.timeout_ms > 0 ?
			    c->opts.timeout_ms : 1000);
		}
		if (c->nheap > 0 && c->heap[0]->timer_at <= now) {
			/* Answers that wait are read before deadlines. */
			if (read_ready(c, evs, err, errlen) != 0)
				return -1;
			now = mono_ms();
		}
		while (c->nheap > 0 && c->heap[0]->timer_at <= now &&
		    !c->fatal)
			snmp_host_timer(c, c->heap[0], now);
		snmp_host_flush(c);
		if (c->fatal)
			continue;
		if (c->ndone >= c->ntargets)
			return 0;
		/*
		 * The sweep, a read or a timer finished hosts: their slots
		 * take the next targets before the loop waits (else it
		 * would sleep to the caller's deadline with nothing in
		 * flight).
		 */
		if (c->nfree > 0 && c->qhead == NULL &&
		    c->next_target < c->tl->n)
			continue;

		now = mono_ms();
		if (now >= end)
			return (int)(c->ntargets - c->ndone);
		wait = end - now;
		if (c->nheap > 0 && c->heap[0]->timer_at - now < wait)
			wait = c->heap[0]->timer_at - now;
		if (c->qhead != NULL) {
			us = pace_wait_us(&c->rate, snmp_mono_us());
			if ((us + 999) / 1000 < wait)
				wait = (us + 999) / 1000;
		}
		if ((c->resolving != NULL || c->orphans != NULL) &&
		    wait > RESOLVE_POLL_MS)
			wait = RESOLVE_POLL_MS;
		if (wait < 0)
			wait = 0;
		n = epoll_wait(c->epfd, evs, EPOLL_BATCH, (int)wait);
		if (n < 0 && errno != EINTR)
			return errf(err, errlen, "epoll_wait: %s",
			    strerror(errno));
		for (i = 0; i < n && !c->fatal; i++)
			snmp_key_ready(c, evs[i].data.u64);
		snmp_host_flush(c);
	}
}

static void
collector_stats(void *ctxp, struct collect_stats *st)
{
	const struct snmp_ctx *c = ctxp;

	st->active = c->active;
	st->requests = c->requests;
}

static void
collector_close(void *ctxp)
{
	struct snmp_ctx *c = ctxp;
	struct resolve *rs;
	struct timespec ts = { 0, 100000000 };
	const struct gaicb *one[1];
	size_t i;
	int tries;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap && c->slots != NULL; i++) {
		struct host *h = &c->slots[i];

		if (h->state == HS_FREE)
			continue;
		snmp_session_close(c, h);
		snmp_resolve_drop(c, h);
		free(h->last);
		h->state = HS_FREE;
	}
	snmp_shared_close_all(c);
	free(c->shared);
	snmp_shared_io_free(c->io);
	/* After the sessions: no request of theirs borrows them (none may). */
	snmp_step_whole_free(c);
	/* Look-ups glibc could not cancel: wait a little, else leak. */
	while ((rs = c->orphans) != NULL) {
		one[0] = &rs->cb;
		for (tries = 0; tries < 50 &&
		    gai_error(&rs->cb) == EAI_INPROGRESS; tries++)
			(void)gai_suspend(one, 1, &ts);
		c->orphans = rs->next;
		if (gai_error(&rs->cb) == EAI_INPROGRESS)
			continue;
		if (rs->cb.ar_result != NULL)
			freeaddrinfo(rs->cb.ar_result);
		free(rs);
	}
	if (c->keys != NULL) {
		explicit_bzero(c->keys, (c->creds != NULL && c->creds->n > 0 ?
		    c->creds->n : 1) * sizeof(*c->keys));
		free(c->keys);
	}
	if (c->fds_ready)
		netsnmp_large_fd_set_cleanup(&c->fds);
	if (c->epfd >= 0)
		close(c->epfd);
	free(c->eng);
	free(c->steps);
	free(c->heap);
	free(c->free);
	free(c->slots);
	free(c->res);
	free(c);
}

const struct collector snmp_collector = {
	"snmp",
	CHAN_SNMP,
	SNMP_PROBES,
	collector_open,
	collector_poll,
	collector_close,
	collector_stats,
};
