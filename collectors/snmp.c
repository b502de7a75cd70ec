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
 *	fire expired timers (request deadline, host budget) from a min-heap;
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

#include "snmp.h"
#include "util.h"

#define SNMP_PORT_DEFAULT	161
#define FD_RESERVE		64	/* descriptors left to the rest */
#define RESOLVE_MS		5000	/* longest wait for a name */
#define RESOLVE_POLL_MS		5	/* how often names are checked */
#define SLACK_MS		2	/* after net-snmp's own deadline */
#define DETAIL_MAX		192
#define FAIL_MAX		400
#define NOTES_MAX		320
#define EPOLL_BATCH		256

#define SNMP_PROBES	(PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE) | \
	PROBE_BIT(PROBE_PROCESS) | PROBE_BIT(PROBE_ENTITY) | \
	PROBE_BIT(PROBE_VENDOR) | PROBE_BIT(PROBE_INTERFACES) | \
	PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) | PROBE_BIT(PROBE_LLDP) | \
	PROBE_BIT(PROBE_CDP) | PROBE_BIT(PROBE_CONNECTIONS) | \
	PROBE_BIT(PROBE_ROUTES))

enum host_state {
	HS_FREE,
	HS_RESOLVE,	/* waiting for getaddrinfo_a */
	HS_DISCOVER,	/* SNMPv3 engine ID discovery in flight */
	HS_AUTH,	/* identity GET with the current profile in flight */
	HS_STEP,	/* a probe step in flight */
	HS_BETWEEN,	/* authenticated, between two steps */
	HS_USERWAIT	/* another host holds this engine ID's USM user */
};

/* What the last request came to (set by the callback). */
enum host_event {
	EV_NONE,
	EV_RESPONSE,	/* a Response PDU, already parsed */
	EV_REPORT,	/* an SNMPv3 REPORT */
	EV_TIMEOUT,
	EV_NETERR	/* ICMP error or send failure; errno in neterr */
};

enum disc_state { DISC_NONE, DISC_OK, DISC_FAILED };

struct probe_result {
	int		 set;
	enum cov_status	 status;
	char		 detail[DETAIL_MAX];
	int64_t		 ms;		/* time spent in the probe's steps */
};

struct resolve {
	struct gaicb	 cb;
	struct addrinfo	 hints;
	char		 name[256];
	char		 port[8];
	struct resolve	*next;		/* orphans: cancel failed */
};

struct host {
	struct snmp_ctx	*c;
	size_t		 target;
	const struct target *t;
	enum host_state	 state;
	unsigned	 probes;

	int64_t		 start_ms;
	int64_t		 budget_at;	/* 0 = no budget */
	int64_t		 req_at;	/* request deadline, 0 = none */
	int64_t		 wake_at;	/* USERWAIT retry, 0 = none */
	int64_t		 rate_at;	/* own rate allows a request; 0: none */
	struct snmp_rate trate;		/* the target's own rate (rate 0 =
					   only the global one) */
	int64_t		 resolve_at;
	int64_t		 timer_at;	/* key in the heap */
	size_t		 heap_idx;	/* SIZE_MAX = not in the heap */
	struct host	*qprev, *qnext;	/* token queue */
	int		 queued;
	struct host	*rnext;		/* resolving hosts */
	struct resolve	*rs;

	struct sockaddr_storage sa;
	socklen_t	 salen;
	char		 addr[INET6_ADDRSTRLEN];
	char		 peer[INET6_ADDRSTRLEN + 16];
	unsigned	 port;

	void		*sess;
	int		 fd;
	int		 closing;	/* ignore callbacks */
	long		 reqid;
	unsigned	 attempts;	/* retries of the current request */
	enum host_event	 ev;
	int		 neterr;
	const char	*report;
	int		 report_auth;
	int		 bulk;		/* the request in flight is a GETBULK */
	unsigned	 maxrep;	/* its max-repetitions */

	int		 prof;		/* index into t->snmp_profiles */
	const struct cred_profile *cred;
	const struct cred_profile *authed;	/* the profile that worked */
	enum disc_state	 disc;
	const char	*disc_why;
	enum cov_status	 disc_status;
	unsigned char	 engine[SNMP_ENGINEID_MAX];
	size_t		 englen;
	int		 usm_held;
	int		 nfail;
	enum cov_status	 fail;
	char		 faildetail[FAIL_MAX];

	oid		 objid[SNMP_OBJ_MAXLEN];
	size_t		 objlen;
	int		 have_objid;
	int		 descr_vendor;
	int		 vendor_skipped;

	size_t		 step;
	int64_t		 step_ms;	/* when the current step began */
	struct snmp_mr	 mr;
	unsigned	 pending;	/* objects still to read (bits) */
	unsigned char	 sent[SNMP_MAX_OBJECTS];
	size_t		 nsent;
	int		 one_at_a_time;
	oid		(*last)[MAX_OID_LEN];
	size_t		 lastlen[SNMP_MAX_OBJECTS];
	size_t		 coltext[SNMP_MAX_OBJECTS];
	unsigned	 colrows[SNMP_MAX_OBJECTS];
	unsigned	 values, rows, cut, skipped;
	int		 loop, truncated, toobig;
	int		 step_failed;
	enum cov_status	 step_status;
	char		 step_why[DETAIL_MAX];
	unsigned	 failed_steps;	/* in a row */
	struct probe_result res[PROBE__COUNT];

	unsigned long	 varbinds, requests;
	char		 notes[NOTES_MAX];
};

/* Engine IDs seen in this scan (clone detection, USM user ownership). */
struct engine_ent {
	unsigned char	 id[SNMP_ENGINEID_MAX];
	size_t		 len;		/* 0 = free slot */
	size_t		 target;	/* first target seen with it */
	struct host	*host;		/* that target's host while active */
	const struct cred_profile *user;	/* whose USM user is loaded */
	unsigned	 refs;
};

/* Keys derived from a v3 profile's passphrases, once per scan. */
struct v3key {
	int		 state;		/* 0 not yet, 1 ready, -1 failed */
	u_char		 auth[USM_AUTH_KU_LEN];
	size_t		 authlen;
	u_char		 priv[USM_PRIV_KU_LEN];
	size_t		 privlen;
};

struct snmp_ctx {
	struct collect_opts	 opts;
	const struct target_list *tl;
	const struct cred_set	*creds;
	struct collect_sink	 sink;

	int			 epfd;
	netsnmp_large_fd_set	 fds;
	int			 fds_ready;

	size_t			 next_target;
	size_t			 ntargets;	/* this collector's */
	size_t			 ndone;
	struct host		*slots;
	struct host		**free;
	size_t			 nfree;
	size_t			 cap;		/* concurrency */
	size_t			 active;

	struct host		**heap;
	size_t			 nheap;
	struct host		*qhead, *qtail;
	struct host		*resolving;
	struct resolve		*orphans;
	struct snmp_rate	 rate;

	struct engine_ent	*eng;
	size_t			 neng, engused;
	struct v3key		*keys;

	char			 limit_note[96];
	int			 fatal;
	char			 fatal_msg[ERRLEN];
};

static int	lib_ready;

static void	host_advance(struct snmp_ctx *, struct host *);
static void	host_finish(struct snmp_ctx *, struct host *);
static void	host_abort(struct snmp_ctx *, struct host *, enum cov_status,
		    const char *);
static void	host_next_profile(struct snmp_ctx *, struct host *);
static void	step_next(struct snmp_ctx *, struct host *, size_t);

/* ------------------------------------------------------------------ */
/* Pure pieces (declared in snmp.h for the unit tests). */

enum snmp_col_verdict
snmp_col_step(const oid *col, size_t collen, const oid *last,
    size_t lastlen, const oid *name, size_t namelen, int type)
{
	if (type == SNMP_ENDOFMIBVIEW || type == SNMP_NOSUCHOBJECT ||
	    type == SNMP_NOSUCHINSTANCE)
		return SNMP_COL_END;
	if (name == NULL || namelen <= collen ||
	    memcmp(name, col, collen * sizeof(oid)) != 0)
		return SNMP_COL_END;
	if (snmp_oid_compare(name, namelen, last, lastlen) <= 0)
		return SNMP_COL_LOOP;
	return SNMP_COL_ROW;
}

void
snmp_mr_init(struct snmp_mr *m, unsigned start)
{
	memset(m, 0, sizeof(*m));
	m->cur = start > 0 ? start : 1;
	m->ceil = m->cur;
}

void
snmp_mr_success(struct snmp_mr *m)
{
	unsigned step;

	if (m->back != 0) {
		/* The smaller request got through: the loss was chance. */
		m->cur = m->back < m->ceil ? m->back : m->ceil;
		m->back = 0;
		m->streak = 0;
		return;
	}
	m->strikes = 0;
	if (m->cur >= m->ceil) {
		m->streak = 0;
		return;
	}
	if (++m->streak < SNMP_MR_STREAK)
		return;
	step = m->cur / 4 > 0 ? m->cur / 4 : 1;
	m->cur = m->cur + step < m->ceil ? m->cur + step : m->ceil;
	m->streak = 0;
}

int
snmp_mr_too_big(struct snmp_mr *m)
{
	m->streak = 0;
	m->back = 0;
	m->strikes = 0;
	if (m->cur <= 1)
		return -1;
	m->ceil = m->cur * 3 / 4 > 0 ? m->cur * 3 / 4 : 1;
	m->cur /= 2;
	return 0;
}

int
snmp_mr_timeout(struct snmp_mr *m)
{
	m->streak = 0;
	if (m->cur <= 1)
		return -1;
	if (m->back != 0) {
		/* Lost again while trying smaller: more loss, same size. */
		m->cur /= 2;
		return 0;
	}
	if (++m->strikes >= 2) {
		/* Twice in a row at this size: too big for the path. */
		m->ceil = m->cur * 3 / 4 > 0 ? m->cur * 3 / 4 : 1;
		m->strikes = 0;
	} else
		m->back = m->cur;
	m->cur /= 2;
	return 0;
}

#define TOKEN	1000000		/* a token, in millionths */

void
snmp_rate_init(struct snmp_rate *r, unsigned rate, unsigned burst,
    int64_t now_us)
{
	r->rate = rate;
	r->level = (int64_t)(burst > 0 ? burst : 1) * TOKEN;
	/*
	 * Full is burst tokens plus the fraction earned towards the next
	 * one: capping at whole tokens would drop what accrues between two
	 * polls of a full bucket and make the rate drift low.
	 */
	r->cap = r->level + TOKEN - 1;
	r->last_us = now_us;
}

static void
rate_refill(struct snmp_rate *r, int64_t now_us)
{
	int64_t dt;

	if (now_us <= r->last_us)
		return;
	dt = now_us - r->last_us;
	if (dt > 10000000)
		dt = 10000000;	/* a full bucket long before this */
	r->level += dt * (int64_t)r->rate;
	if (r->level > r->cap)
		r->level = r->cap;
	r->last_us = now_us;
}

int
snmp_rate_take(struct snmp_rate *r, int64_t now_us)
{
	if (r->rate == 0)
		return 1;
	rate_refill(r, now_us);
	if (r->level < TOKEN)
		return 0;
	r->level -= TOKEN;
	return 1;
}

void
snmp_rate_charge(struct snmp_rate *r, int64_t now_us)
{
	if (r->rate == 0)
		return;
	rate_refill(r, now_us);
	r->level -= TOKEN;
}

int64_t
snmp_rate_wait_us(struct snmp_rate *r, int64_t now_us)
{
	int64_t need;

	if (r->rate == 0)
		return 0;
	rate_refill(r, now_us);
	if (r->level >= TOKEN)
		return 0;
	need = TOKEN - r->level;
	return (need + (int64_t)r->rate - 1) / (int64_t)r->rate;
}

int64_t
snmp_rate_ready_ms(struct snmp_rate *r, int64_t now_us)
{
	int64_t wait = snmp_rate_wait_us(r, now_us);

	if (wait == 0)
		return 0;
	/* Rounded up: the token is there when the timer fires. */
	return (now_us + wait + 999) / 1000;
}

/* ------------------------------------------------------------------ */
/* Small helpers. */

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Appends "; text" (or text) to a bounded detail buffer. */
static void
detail_add(char *buf, size_t len, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void
detail_add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 3 >= len)
		return;
	if (n > 0) {
		memcpy(buf + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static void
fatal(struct snmp_ctx *c, const char *msg)
{
	if (!c->fatal) {
		c->fatal = 1;
		str_copy(c->fatal_msg, msg, sizeof(c->fatal_msg));
	}
}

static const char *
ver_name(const struct cred_profile *cp)
{
	return snmp_ver_name(cp->version);
}

static const char *
prof_name(const struct host *h)
{
	return h->t->snmp_profiles[h->prof];
}

static const struct snmp_step *
cur_step(const struct host *h)
{
	return &snmp_steps[h->step];
}

/* ------------------------------------------------------------------ */
/* Timers: a min-heap of hosts keyed by timer_at. */

static int
heap_less(struct snmp_ctx *c, size_t a, size_t b)
{
	return c->heap[a]->timer_at < c->heap[b]->timer_at;
}

static void
heap_swap(struct snmp_ctx *c, size_t a, size_t b)
{
	struct host *t = c->heap[a];

	c->heap[a] = c->heap[b];
	c->heap[b] = t;
	c->heap[a]->heap_idx = a;
	c->heap[b]->heap_idx = b;
}

static void
heap_fix(struct snmp_ctx *c, size_t i)
{
	size_t l, r, m;

	while (i > 0 && heap_less(c, i, (i - 1) / 2)) {
		heap_swap(c, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < c->nheap && heap_less(c, l, m))
			m = l;
		if (r < c->nheap && heap_less(c, r, m))
			m = r;
		if (m == i)
			break;
		heap_swap(c, i, m);
		i = m;
	}
}

static void
heap_remove(struct snmp_ctx *c, struct host *h)
{
	size_t i = h->heap_idx;

	if (i == SIZE_MAX)
		return;
	h->heap_idx = SIZE_MAX;
	c->nheap--;
	if (i == c->nheap)
		return;
	c->heap[i] = c->heap[c->nheap];
	c->heap[i]->heap_idx = i;
	heap_fix(c, i);
}

/* Puts the host in the heap at its earliest deadline, or takes it out. */
static void
host_rearm(struct snmp_ctx *c, struct host *h)
{
	int64_t at = 0;

	if (h->budget_at != 0)
		at = h->budget_at;
	if (h->req_at != 0 && (at == 0 || h->req_at < at))
		at = h->req_at;
	if (h->wake_at != 0 && (at == 0 || h->wake_at < at))
		at = h->wake_at;
	if (h->rate_at != 0 && (at == 0 || h->rate_at < at))
		at = h->rate_at;
	if (at == 0) {
		heap_remove(c, h);
		return;
	}
	h->timer_at = at;
	if (h->heap_idx == SIZE_MAX) {
		h->heap_idx = c->nheap;
		c->heap[c->nheap++] = h;
	}
	heap_fix(c, h->heap_idx);
}

/* ------------------------------------------------------------------ */
/* The token queue (hosts waiting to send). */

static void
queue_remove(struct snmp_ctx *c, struct host *h)
{
	if (!h->queued)
		return;
	if (h->qprev != NULL)
		h->qprev->qnext = h->qnext;
	else
		c->qhead = h->qnext;
	if (h->qnext != NULL)
		h->qnext->qprev = h->qprev;
	else
		c->qtail = h->qprev;
	h->qprev = h->qnext = NULL;
	h->queued = 0;
}

static void
queue_add(struct snmp_ctx *c, struct host *h)
{
	if (h->queued)
		return;
	h->qnext = NULL;
	h->qprev = c->qtail;
	if (c->qtail != NULL)
		c->qtail->qnext = h;
	else
		c->qhead = h;
	c->qtail = h;
	h->queued = 1;
}

/* ------------------------------------------------------------------ */
/* Engine IDs. */

static uint64_t
engine_hash(const unsigned char *id, size_t len)
{
	uint64_t x = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= id[i];
		x *= 1099511628211ULL;
	}
	return x;
}

/* Finds (or, with create, adds) an engine ID.  NULL on ENOMEM. */
static struct engine_ent *
engine_get(struct snmp_ctx *c, const unsigned char *id, size_t len,
    int create)
{
	struct engine_ent *e, *nv;
	size_t i, j, nn;

	if (c->neng > 0) {
		i = (size_t)engine_hash(id, len) & (c->neng - 1);
		for (;; i = (i + 1) & (c->neng - 1)) {
			e = &c->eng[i];
			if (e->len == 0)
				break;
			if (e->len == len && memcmp(e->id, id, len) == 0)
				return e;
		}
	}
	if (!create)
		return NULL;
	if (2 * (c->engused + 1) > c->neng) {
		nn = c->neng > 0 ? 2 * c->neng : 64;
		nv = calloc(nn, sizeof(*nv));
		if (nv == NULL)
			return NULL;
		for (j = 0; j < c->neng; j++) {
			if (c->eng[j].len == 0)
				continue;
			i = (size_t)engine_hash(c->eng[j].id, c->eng[j].len) &
			    (nn - 1);
			while (nv[i].len != 0)
				i = (i + 1) & (nn - 1);
			nv[i] = c->eng[j];
		}
		free(c->eng);
		c->eng = nv;
		c->neng = nn;
	}
	i = (size_t)engine_hash(id, len) & (c->neng - 1);
	while (c->eng[i].len != 0)
		i = (i + 1) & (c->neng - 1);
	e = &c->eng[i];
	memcpy(e->id, id, len);
	e->len = len;
	e->target = SIZE_MAX;
	c->engused++;
	return e;
}

/*
 * Records the engine ID a host reported and notes a clone: two targets of
 * this scan with one engine ID share net-snmp's USM time and key state.
 */
static void
engine_seen(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;
	const struct target *o;

	e = engine_get(c, h->engine, h->englen, 1);
	if (e == NULL) {
		fatal(c, "out of memory (engine IDs)");
		return;
	}
	if (e->target == SIZE_MAX) {
		e->target = h->target;
		e->host = h;
		return;
	}
	if (e->target == h->target)
		return;
	o = &c->tl->v[e->target];
	if (strcmp(o->address, h->t->address) == 0)
		return;		/* one agent on two ports */
	detail_add(h->notes, sizeof(h->notes), "SNMPv3 engine ID also seen "
	    "on %s: one device with two addresses, or cloned images whose "
	    "SNMPv3 keys and clocks clash", o->address);
	if (e->host != NULL && e->host->target == e->target)
		detail_add(e->host->notes, sizeof(e->host->notes),
		    "SNMPv3 engine ID also seen on %s: one device with two "
		    "addresses, or cloned images whose SNMPv3 keys and clocks "
		    "clash", h->t->address);
}

/* Removes net-snmp's user (engine, name), wiping its keys. */
static void
usm_drop(const unsigned char *engine, size_t len, const char *name)
{
	struct usmUser *u;

	u = usm_get_user(engine, len, name);
	if (u == NULL)
		return;
	usm_remove_user(u);
	if (u->authKey != NULL)
		explicit_bzero(u->authKey, u->authKeyLen);
	if (u->privKey != NULL)
		explicit_bzero(u->privKey, u->privKeyLen);
	if (u->authKeyKu != NULL)
		explicit_bzero(u->authKeyKu, u->authKeyKuLen);
	if (u->privKeyKu != NULL)
		explicit_bzero(u->privKeyKu, u->privKeyKuLen);
	usm_free_user(u);
}

/*
 * Takes this host's engine ID's USM user for its profile.  net-snmp keys
 * users by (engine ID, name) and reuses an existing user's keys, so one
 * engine ID can serve one profile at a time.  Returns 0, 1 when another
 * host (a clone) holds it with another profile, -1 on ENOMEM.
 */
static int
usm_acquire(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;

	e = engine_get(c, h->engine, h->englen, 1);
	if (e == NULL)
		return -1;
	if (e->refs > 0 && e->user != h->cred)
		return 1;
	if (e->refs == 0) {
		/* Whatever net-snmp kept is stale: use our keys. */
		usm_drop(h->engine, h->englen, h->cred->username);
		e->user = h->cred;
	}
	e->refs++;
	h->usm_held = 1;
	return 0;
}

static void
usm_release(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;

	if (!h->usm_held)
		return;
	h->usm_held = 0;
	e = engine_get(c, h->engine, h->englen, 0);
	if (e == NULL || e->refs == 0)
		return;
	if (--e->refs == 0) {
		usm_drop(h->engine, h->englen, e->user->username);
		e->user = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Sessions. */

static oid *
auth_oid(enum auth_proto a, size_t *len)
{
	switch (a) {
	case AUTH_MD5:
		*len = NELEM(usmHMACMD5AuthProtocol);
		return usmHMACMD5AuthProtocol;
	case AUTH_SHA:
		*len = NELEM(usmHMACSHA1AuthProtocol);
		return usmHMACSHA1AuthProtocol;
	case AUTH_SHA224:
		*len = NELEM(usmHMAC128SHA224AuthProtocol);
		return usmHMAC128SHA224AuthProtocol;
	case AUTH_SHA256:
		*len = NELEM(usmHMAC192SHA256AuthProtocol);
		return usmHMAC192SHA256AuthProtocol;
	case AUTH_SHA384:
		*len = NELEM(usmHMAC256SHA384AuthProtocol);
		return usmHMAC256SHA384AuthProtocol;
	case AUTH_SHA512:
		*len = NELEM(usmHMAC384SHA512AuthProtocol);
		return usmHMAC384SHA512AuthProtocol;
	case AUTH_NONE:
		break;
	}
	*len = NELEM(usmNoAuthProtocol);
	return usmNoAuthProtocol;
}

/* AES-192/256 are the Blumenthal draft transforms (net-snmp's "AES192"). */
static oid *
priv_oid(enum priv_proto p, size_t *len)
{
	switch (p) {
	case PRIV_DES:
		*len = NELEM(usmDESPrivProtocol);
		return usmDESPrivProtocol;
	case PRIV_AES128:
		*len = NELEM(usmAESPrivProtocol);
		return usmAESPrivProtocol;
	case PRIV_AES192:
		*len = NELEM(usmAES192PrivProtocol);
		return usmAES192PrivProtocol;
	case PRIV_AES256:
		*len = NELEM(usmAES256PrivProtocol);
		return usmAES256PrivProtocol;
	case PRIV_NONE:
		break;
	}
	*len = NELEM(usmNoPrivProtocol);
	return usmNoPrivProtocol;
}

/* The master keys (Ku) of a v3 profile, derived once per scan. */
static const struct v3key *
v3_keys(struct snmp_ctx *c, const struct cred_profile *cp)
{
	struct v3key *k = &c->keys[cp - c->creds->v];
	oid *ap;
	size_t alen, plen;

	if (k->state != 0)
		return k->state > 0 ? k : NULL;
	k->state = -1;
	ap = auth_oid(cp->auth, &alen);
	if (cp->auth != AUTH_NONE) {
		if (cp->auth_pass == NULL)
			return NULL;
		k->authlen = sizeof(k->auth);
		if (generate_Ku(ap, (u_int)alen, (const u_char *)cp->auth_pass,
		    strlen(cp->auth_pass), k->auth, &k->authlen) !=
		    SNMPERR_SUCCESS)
			return NULL;
	}
	if (cp->priv != PRIV_NONE) {
		if (cp->priv_pass == NULL || cp->auth == AUTH_NONE)
			return NULL;
		plen = sizeof(k->priv);
		if (generate_Ku(ap, (u_int)alen, (const u_char *)cp->priv_pass,
		    strlen(cp->priv_pass), k->priv, &plen) != SNMPERR_SUCCESS)
			return NULL;
		k->privlen = plen;
	}
	k->state = 1;
	return k;
}

static int
session_cb(int, netsnmp_session *, int, netsnmp_pdu *, void *);

/*
 * Opens the host's session: SNMPv3 discovery when cp is NULL, else for
 * profile cp.  The socket is connected to the agent so that an ICMP port
 * unreachable comes back as ECONNREFUSED.  Returns 0, or -1 with a reason.
 */
static int
sess_open(struct snmp_ctx *c, struct host *h, const struct cred_profile *cp,
    char *why, size_t whylen)
{
	netsnmp_session s;
	netsnmp_transport *tr;
	struct epoll_event ev;
	const struct v3key *k;
	size_t len;

	snmp_sess_init(&s);
	s.peername = h->peer;
	s.timeout = (long)c->opts.timeout_ms * 1000L;
	s.retries = 0;		/* ours, so that they can be rate limited */
	s.callback = session_cb;
	s.callback_magic = h;
	if (cp == NULL || cp->version == SNMP_V3) {
		s.version = SNMP_VERSION_3;
		s.securityModel = SNMP_SEC_MODEL_USM;
		s.flags |= SNMP_FLAGS_DONT_PROBE;
	}
	if (cp == NULL) {
		s.securityName = (char *)"";
		s.securityNameLen = 0;
		s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	} else if (cp->version != SNMP_V3) {
		s.version = cp->version == SNMP_V1 ? SNMP_VERSION_1 :
		    SNMP_VERSION_2c;
		if (cp->community == NULL) {
			errf(why, whylen, "profile has no community");
			return -1;
		}
		s.community = (u_char *)cp->community;
		s.community_len = strlen(cp->community);
	} else {
		if (cp->username == NULL) {
			errf(why, whylen, "profile has no user name");
			return -1;
		}
		k = v3_keys(c, cp);
		if (k == NULL) {
			errf(why, whylen, "cannot derive keys from the "
			    "passphrases");
			return -1;
		}
		s.securityName = cp->username;
		s.securityNameLen = strlen(cp->username);
		s.securityLevel = cp->priv != PRIV_NONE ?
		    SNMP_SEC_LEVEL_AUTHPRIV : cp->auth != AUTH_NONE ?
		    SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
		if (cp->auth != AUTH_NONE) {
			s.securityAuthProto = auth_oid(cp->auth, &len);
			s.securityAuthProtoLen = len;
			memcpy(s.securityAuthKey, k->auth, k->authlen);
			s.securityAuthKeyLen = k->authlen;
		}
		if (cp->priv != PRIV_NONE) {
			s.securityPrivProto = priv_oid(cp->priv, &len);
			s.securityPrivProtoLen = len;
			memcpy(s.securityPrivKey, k->priv, k->privlen);
			s.securityPrivKeyLen = k->privlen;
		}
		s.securityEngineID = h->engine;
		s.securityEngineIDLen = h->englen;
		s.contextEngineID = h->engine;
		s.contextEngineIDLen = h->englen;
		if (cp->context != NULL) {
			s.contextName = cp->context;
			s.contextNameLen = strlen(cp->context);
		}
	}
	h->sess = snmp_sess_open(&s);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	if (h->sess == NULL) {
		errf(why, whylen, "cannot open a session: %s",
		    snmp_api_errstring(s.s_snmp_errno));
		return -1;
	}
	/*
	 * snmp_sess_open() clears DONT_PROBE, and snmp_sess_async_send()
	 * would then run a synchronous engine ID probe before sending on a
	 * session without an engine ID (the discovery session): set it again.
	 */
	if (s.version == SNMP_VERSION_3)
		snmp_sess_session(h->sess)->flags |= SNMP_FLAGS_DONT_PROBE;
	tr = snmp_sess_transport(h->sess);
	h->fd = tr != NULL ? tr->sock : -1;
	if (h->fd < 0) {
		snmp_sess_close(h->sess);
		h->sess = NULL;
		errf(why, whylen, "session without a socket");
		return -1;
	}
	/*
	 * Not fatal: without it, port unreachable just times out.  Non-
	 * blocking, because a readable UDP socket may still have nothing to
	 * read (a datagram with a bad checksum is dropped at recv time) and
	 * one blocked read would stop every host.
	 */
	(void)connect(h->fd, (struct sockaddr *)&h->sa, h->salen);
	(void)fcntl(h->fd, F_SETFL, fcntl(h->fd, F_GETFL) | O_NONBLOCK);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = h;
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, h->fd, &ev) != 0) {
		errf(why, whylen, "epoll_ctl: %s", strerror(errno));
		h->closing = 1;
		snmp_sess_close(h->sess);
		h->closing = 0;
		h->sess = NULL;
		return -1;
	}
	if ((unsigned)h->fd >= c->fds.lfs_setsize)
		netsnmp_large_fd_set_resize(&c->fds, h->fd + 1);
	h->reqid = 0;
	h->attempts = 0;
	return 0;
}

/* Closes the host's session (never from inside its callback). */
static void
sess_close(struct snmp_ctx *c, struct host *h)
{
	netsnmp_session *ss;

	if (h->sess != NULL) {
		(void)epoll_ctl(c->epfd, EPOLL_CTL_DEL, h->fd, NULL);
		ss = snmp_sess_session(h->sess);
		if (ss != NULL) {
			explicit_bzero(ss->securityAuthKey,
			    sizeof(ss->securityAuthKey));
			explicit_bzero(ss->securityPrivKey,
			    sizeof(ss->securityPrivKey));
			if (ss->community != NULL)
				explicit_bzero(ss->community,
				    ss->community_len);
		}
		h->closing = 1;		/* close() times out what is pending */
		snmp_sess_close(h->sess);
		h->closing = 0;
		h->sess = NULL;
		h->fd = -1;
	}
	usm_release(c, h);
	h->reqid = 0;
	h->req_at = 0;
	queue_remove(c, h);
	host_rearm(c, h);
}

/* ------------------------------------------------------------------ */
/* Requests. */

static netsnmp_pdu *
build_discovery(void)
{
	netsnmp_pdu *pdu;

	pdu = snmp_pdu_create(SNMP_MSG_GET);
	if (pdu == NULL)
		return NULL;
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	if (pdu->securityName == NULL) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

/* The request for the current step: a GET, GETNEXT or GETBULK. */
static netsnmp_pdu *
build_step(struct host *h)
{
	const struct snmp_step *st = cur_step(h);
	netsnmp_pdu *pdu;
	size_t i;
	int v1 = h->cred->version == SNMP_V1;

	h->nsent = 0;
	h->bulk = 0;
	if (st->type == SNMP_STEP_SCALARS)
		pdu = snmp_pdu_create(SNMP_MSG_GET);
	else if (v1)
		pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	else {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		h->bulk = 1;
	}
	if (pdu == NULL)
		return NULL;
	for (i = 0; i < st->nobj; i++) {
		if (!(h->pending & (1u << i)))
			continue;
		if (st->type == SNMP_STEP_SCALARS)
			snmp_add_null_var(pdu, st->obj[i].name, st->obj[i].len);
		else
			snmp_add_null_var(pdu, h->last[i], h->lastlen[i]);
		h->sent[h->nsent++] = (unsigned char)i;
		if (st->type == SNMP_STEP_SCALARS && h->one_at_a_time)
			break;
	}
	if (h->bulk) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = (long)h->mr.cur;
		h->maxrep = h->mr.cur;
	} else
		h->maxrep = 1;
	return pdu;
}

/* Sends the host's current request now (a token was taken). */
static void
host_send(struct snmp_ctx *c, struct host *h)
{
	netsnmp_pdu *pdu;
	netsnmp_session *ss;
	int reqid;

	if (h->sess == NULL) {
		host_abort(c, h, COV_ERROR, "no session to send on");
		return;
	}
	h->bulk = 0;
	/* Taken now, not when queued, so that sends are 1/rate apart. */
	(void)snmp_rate_take(&h->trate, mono_us());
	pdu = h->state == HS_DISCOVER ? build_discovery() : build_step(h);
	if (pdu == NULL) {
		fatal(c, "out of memory (PDU)");
		return;
	}
	h->ev = EV_NONE;
	reqid = snmp_sess_async_send(h->sess, pdu, session_cb, h);
	if (reqid == 0) {
		snmp_free_pdu(pdu);
		ss = snmp_sess_session(h->sess);
		/* errno for the socket, else net-snmp's (negative) code. */
		h->neterr = ss == NULL ? EIO : ss->s_errno != 0 ?
		    ss->s_errno : ss->s_snmp_errno < 0 ? ss->s_snmp_errno :
		    EIO;
		h->ev = EV_NETERR;
		host_advance(c, h);
		return;
	}
	h->reqid = reqid;
	h->requests++;
	h->req_at = mono_ms() + c->opts.timeout_ms + SLACK_MS;
	host_rearm(c, h);
}

/*
 * Sends when the rates allow: first the target's own (a timer until its
 * token is there), then the global one (the FIFO token queue).  Nothing
 * but host_send() takes the target's token, and a host has one request at
 * a time, so the token seen here is still there when the host is sent.
 */
static void
host_request(struct snmp_ctx *c, struct host *h)
{
	int64_t at;

	at = snmp_rate_ready_ms(&h->trate, mono_us());
	if (at > 0) {
		h->rate_at = at;
		host_rearm(c, h);
		return;
	}
	if (c->qhead != NULL || !snmp_rate_take(&c->rate, mono_us())) {
		queue_add(c, h);
		return;
	}
	host_send(c, h);
}

/* ------------------------------------------------------------------ */
/* Responses (parsed inside the callback). */

static void
emit(struct snmp_ctx *c, struct host *h, const struct snmp_step *st,
    const char *item, const char *attr, const char *source,
    const struct snmp_value *v)
{
	struct observation o;

	h->values++;
	if (v->cut)
		h->cut++;
	if (!(h->probes & PROBE_BIT(st->probe)) || c->fatal)
		return;
	o.kind = st->kind;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = v->vtype;
	o.value = v->ptr;
	o.len = v->len;
	if (c->sink.observe(c->sink.arg, h->target, CHAN_SNMP, &o) != 0)
		fatal(c, "the sink refused an observation");
}

/* Remembers what the identity GET says about the device. */
static void
identity_seen(struct host *h, const netsnmp_variable_list *v, size_t obj)
{
	if (obj == 0 && v->type == ASN_OCTET_STR && v->val.string != NULL)
		h->descr_vendor |= snmp_vendor_descr(v->val.string,
		    v->val_len);
	if (obj == 1 && v->type == ASN_OBJECT_ID && v->val.objid != NULL) {
		h->objlen = v->val_len / sizeof(oid);
		if (h->objlen > SNMP_OBJ_MAXLEN)
			h->objlen = SNMP_OBJ_MAXLEN;
		memcpy(h->objid, v->val.objid, h->objlen * sizeof(oid));
		h->have_objid = 1;
	}
}

static void
scalars_response(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	const struct snmp_step *st = cur_step(h);
	netsnmp_variable_list *v;
	struct snmp_value val;
	char src[SNMP_OIDTEXT_MAX], buf[SNMP_OIDTEXT_MAX];
	size_t i, j;

	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1 &&
	    (size_t)pdu->errindex <= h->nsent) {
		/* SNMPv1: one object is missing; ask again without it. */
		h->pending &= ~(1u << h->sent[pdu->errindex - 1]);
		return;
	}
	if (pdu->errstat == SNMP_ERR_TOOBIG) {
		if (h->nsent > 1 && !h->one_at_a_time) {
			h->one_at_a_time = 1;
			return;
		}
		h->toobig = 1;
		for (i = 0; i < h->nsent; i++)
			h->pending &= ~(1u << h->sent[i]);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "agent error %s "
		    "(%ld) at varbind %ld", snmp_errstring(pdu->errstat),
		    pdu->errstat, pdu->errindex);
		h->pending = 0;
		return;
	}
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		h->varbinds++;
		for (j = 0; j < h->nsent; j++) {
			i = h->sent[j];
			if (v->name_length == st->obj[i].len &&
			    memcmp(v->name, st->obj[i].name,
			    v->name_length * sizeof(oid)) == 0)
				break;
		}
		if (j == h->nsent)
			continue;	/* not asked for */
		if (h->step == SNMP_STEP_IDENTITY)
			identity_seen(h, v, i);
		if (snmp_value_map(v, st->obj[i].octets, c->opts.max_value,
		    buf, sizeof(buf), &val) != 0)
			continue;	/* noSuchObject and the like */
		if (snmp_oid_text(v->name, v->name_length, src,
		    sizeof(src)) < 0)
			continue;
		emit(c, h, st, st->item, st->obj[i].attr, src, &val);
	}
	for (j = 0; j < h->nsent; j++)
		h->pending &= ~(1u << h->sent[j]);
}

/* One varbind of a walk, for column i. */
static void
walk_varbind(struct snmp_ctx *c, struct host *h, size_t i,
    const netsnmp_variable_list *v)
{
	const struct snmp_step *st = cur_step(h);
	const struct snmp_object *ob = &st->obj[i];
	struct snmp_value val;
	struct snmp_index ix;
	char src[SNMP_OIDTEXT_MAX], buf[SNMP_OIDTEXT_MAX];
	const char *item;
	size_t k;

	switch (snmp_col_step(ob->name, ob->len, h->last[i], h->lastlen[i],
	    v->name, v->name_length, v->type)) {
	case SNMP_COL_END:
		h->pending &= ~(1u << i);
		return;
	case SNMP_COL_LOOP:
		h->loop = 1;
		h->pending &= ~(1u << i);
		return;
	case SNMP_COL_ROW:
		break;
	}
	if (h->colrows[i] >= c->opts.max_rows) {
		h->truncated = 1;
		h->pending = 0;
		return;
	}
	memcpy(h->last[i], v->name, v->name_length * sizeof(oid));
	h->lastlen[i] = v->name_length;
	if (++h->colrows[i] > h->rows)
		h->rows = h->colrows[i];
	if (snmp_oid_text(v->name, v->name_length, src, sizeof(src)) < 0)
		return;
	if (st->index != NULL) {
		if (st->index(v->name + ob->len, v->name_length - ob->len,
		    &ix) != 0) {
			h->skipped++;
			return;
		}
		item = ix.item;
		if (i == 0) {
			for (k = 0; k < ix.nextra; k++) {
				val.vtype = ix.extra[k].vtype;
				val.ptr = ix.extra[k].val;
				val.len = ix.extra[k].len;
				val.cut = 0;
				emit(c, h, st, item, ix.extra[k].attr, src,
				    &val);
			}
		}
	} else
		item = src + h->coltext[i] + 1;
	if (ob->attr == NULL)
		return;		/* walked for its index only */
	if (snmp_value_map(v, ob->octets, c->opts.max_value, buf,
	    sizeof(buf), &val) != 0)
		return;
	emit(c, h, st, item, ob->attr, src, &val);
}

static void
table_response(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	netsnmp_variable_list *v;
	size_t n, max;

	if (pdu->errstat == SNMP_ERR_TOOBIG && h->bulk) {
		if (snmp_mr_too_big(&h->mr) != 0) {
			h->toobig = 1;
			h->pending = 0;
		}
		return;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && !h->bulk &&
	    pdu->errindex >= 1 && (size_t)pdu->errindex <= h->nsent) {
		/* SNMPv1 GETNEXT past the end of the MIB view. */
		h->pending &= ~(1u << h->sent[pdu->errindex - 1]);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "agent error %s "
		    "(%ld)", snmp_errstring(pdu->errstat), pdu->errstat);
		h->pending = 0;
		return;
	}
	if (h->bulk)
		snmp_mr_success(&h->mr);
	if (pdu->variables == NULL) {
		h->pending = 0;
		return;
	}
	max = h->nsent * h->maxrep;
	for (v = pdu->variables, n = 0; v != NULL && n < max;
	    v = v->next_variable, n++) {
		h->varbinds++;
		if (h->pending & (1u << h->sent[n % h->nsent]))
			walk_varbind(c, h, h->sent[n % h->nsent], v);
	}
}

/*
 * net-snmp's callback.  It only records: the host's next move is made by
 * host_advance() once the library call that got here has returned.
 */
static int
session_cb(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct host *h = magic;
	struct snmp_ctx *c;

	(void)sp;
	if (h == NULL || h->closing || h->state == HS_FREE)
		return 1;
	c = h->c;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		if (reqid == h->reqid)
			h->ev = EV_TIMEOUT;
		return 1;
	case NETSNMP_CALLBACK_OP_RESEND:
		/* notInTimeWindow: net-snmp resent with the agent's time. */
		snmp_rate_charge(&c->rate, mono_us());
		snmp_rate_charge(&h->trate, mono_us());
		h->req_at = mono_ms() + c->opts.timeout_ms + SLACK_MS;
		host_rearm(c, h);
		return 1;
	case NETSNMP_CALLBACK_OP_SEND_FAILED:
		if (reqid == h->reqid) {
			h->ev = EV_NETERR;
			h->neterr = EIO;
		}
		return 1;
	default:
		return 1;	/* SEC_ERROR precedes the REPORT itself */
	}
	if (pdu == NULL || h->ev != EV_NONE)
		return 1;
	/* REPORTs about a bad message carry request-id 0. */
	if (pdu->command != SNMP_MSG_REPORT && reqid != h->reqid)
		return 1;
	if (h->state == HS_DISCOVER) {
		h->englen = 0;
		if (pdu->securityEngineIDLen > 0 &&
		    pdu->securityEngineIDLen <= SNMP_ENGINEID_MAX &&
		    pdu->securityEngineID != NULL) {
			memcpy(h->engine, pdu->securityEngineID,
			    pdu->securityEngineIDLen);
			h->englen = pdu->securityEngineIDLen;
		}
		h->ev = EV_RESPONSE;
		return 1;
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		h->report = snmp_report_reason(pdu, &h->report_auth);
		h->ev = EV_REPORT;
		return 1;
	}
	if (pdu->command != SNMP_MSG_RESPONSE)
		return 1;
	h->ev = EV_RESPONSE;
	if (h->state == HS_AUTH && pdu->errstat == SNMP_ERR_AUTHORIZATIONERROR)
		return 1;
	if (h->state == HS_AUTH)
		h->authed = h->cred;
	if (cur_step(h)->type == SNMP_STEP_SCALARS)
		scalars_response(c, h, pdu);
	else
		table_response(c, h, pdu);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Steps and probes. */

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

/* Folds a step's outcome into its probe's coverage. */
static void
probe_merge(struct probe_result *r, enum cov_status s, int got_data,
    const char *detail)
{
	enum cov_status old = r->status;

	if (!r->set) {
		r->set = 1;
		r->status = s;
		str_copy(r->detail, detail, sizeof(r->detail));
		return;
	}
	detail_add(r->detail, sizeof(r->detail), "%s", detail);
	if (status_rank(s) > status_rank(old))
		r->status = s;
	/* A failed step beside one that worked: partial, not failed. */
	if (status_rank(r->status) == 3 &&
	    (got_data || old == COV_OK || old == COV_PARTIAL))
		r->status = COV_PARTIAL;
}

/* What the current step has read: rows of a table, or values. */
static unsigned
step_count(const struct host *h)
{
	return cur_step(h)->type == SNMP_STEP_TABLE ? h->rows : h->values;
}

static const char *
step_unit(const struct host *h)
{
	if (cur_step(h)->type == SNMP_STEP_TABLE)
		return h->rows == 1 ? "row" : "rows";
	return h->values == 1 ? "value" : "values";
}

/* Ends the current step: coverage for it, then the next step. */
static void
step_finish(struct snmp_ctx *c, struct host *h)
{
	const struct snmp_step *st = cur_step(h);
	char body[DETAIL_MAX], d[DETAIL_MAX + 40];
	enum cov_status s;
	unsigned n = step_count(h);
	const char *unit = step_unit(h);

	body[0] = '\0';
	if (h->step_failed) {
		s = n > 0 ? COV_PARTIAL : h->step_status;
		detail_add(body, sizeof(body), "%s", h->step_why);
		if (n > 0)
			detail_add(body, sizeof(body), "after %u %s", n, unit);
	} else if (n == 0 && !h->toobig && !h->loop) {
		s = COV_NO_SUCH_TABLE;
		detail_add(body, sizeof(body), "%s",
		    st->type == SNMP_STEP_TABLE ? "table absent or empty" :
		    "objects absent");
	} else {
		s = COV_OK;
		detail_add(body, sizeof(body), "%u %s", n, unit);
		if (h->loop) {
			s = COV_PARTIAL;
			detail_add(body, sizeof(body), "agent returned "
			    "non-increasing OID");
		}
		if (h->truncated) {
			s = COV_PARTIAL;
			detail_add(body, sizeof(body), "truncated at "
			    "max_rows %u", c->opts.max_rows);
		}
		if (h->toobig) {
			s = COV_PARTIAL;
			detail_add(body, sizeof(body), "response too big "
			    "even for one %s", st->type == SNMP_STEP_TABLE ?
			    "row" : "object");
		}
	}
	if (h->cut > 0)
		detail_add(body, sizeof(body), "%u value%s cut to %u bytes",
		    h->cut, h->cut == 1 ? "" : "s", c->opts.max_value);
	if (h->skipped > 0)
		detail_add(body, sizeof(body), "%u rows with a malformed "
		    "index skipped", h->skipped);
	if (st->item != NULL && st->item[0] != '\0')
		snprintf(d, sizeof(d), "%s: %s", st->item, body);
	else
		str_copy(d, body, sizeof(d));
	if (h->probes & PROBE_BIT(st->probe)) {
		probe_merge(&h->res[st->probe], s, n > 0, d);
		h->res[st->probe].ms += mono_ms() - h->step_ms;
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
	const struct snmp_step *st = &snmp_steps[i];
	size_t k;
	char tmp[SNMP_OIDTEXT_MAX];
	int n;

	h->step = i;
	h->step_ms = mono_ms();
	h->pending = st->nobj >= 32 ? ~0u : (1u << st->nobj) - 1;
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
		fatal(c, "out of memory (walk)");
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

/* Does the device's identity call for the vendor MIBs? */
static int
vendor_wanted(const struct host *h)
{
	return h->descr_vendor || snmp_vendor_objid(h->have_objid ?
	    h->objid : NULL, h->have_objid ? h->objlen : 0);
}

/* Runs the first step from i on that applies, or finishes the host. */
static void
step_next(struct snmp_ctx *c, struct host *h, size_t i)
{
	const struct snmp_step *st;
	int vendor;

	if (h->failed_steps >= 2) {
		host_abort(c, h, COV_TIMEOUT, "host stopped answering");
		return;
	}
	vendor = vendor_wanted(h);
	for (; i < snmp_nsteps; i++) {
		st = &snmp_steps[i];
		if (!(h->probes & PROBE_BIT(st->probe)))
			continue;
		if ((st->flags & SNMP_STEP_IF_VENDOR) && !vendor) {
			h->vendor_skipped = 1;
			continue;
		}
		if ((st->flags & SNMP_STEP_IF_ABSENT) &&
		    !(h->res[st->probe].set &&
		    h->res[st->probe].status == COV_NO_SUCH_TABLE))
			continue;
		if (step_begin(c, h, i) != 0)
			return;
		h->state = HS_STEP;
		host_request(c, h);
		return;
	}
	host_finish(c, h);
}

/* ------------------------------------------------------------------ */
/* Credential profiles. */

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
static void
profile_failed(struct host *h, enum cov_status s, const char *why)
{
	h->fail = h->nfail++ == 0 ? s : fail_worse(h->fail, s);
	if (h->prof >= 0 && (size_t)h->prof < h->t->nsnmp_profiles)
		detail_add(h->faildetail, sizeof(h->faildetail), "%s: %s",
		    prof_name(h), why);
	else
		detail_add(h->faildetail, sizeof(h->faildetail), "%s", why);
}

/* Opens the session of the current profile and sends the identity GET. */
static void
profile_start(struct snmp_ctx *c, struct host *h)
{
	char why[DETAIL_MAX];
	int rc;

	if (h->cred->version == SNMP_V3) {
		rc = usm_acquire(c, h);
		if (rc < 0) {
			fatal(c, "out of memory (USM users)");
			return;
		}
		if (rc > 0) {
			/* A clone holds the user: try again shortly. */
			h->state = HS_USERWAIT;
			h->wake_at = mono_ms() + 20;
			host_rearm(c, h);
			return;
		}
	}
	if (sess_open(c, h, h->cred, why, sizeof(why)) != 0) {
		usm_release(c, h);
		profile_failed(h, COV_ERROR, why);
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
			host_finish(c, h);
			return;
		}
		cp = cred_find(c->creds, prof_name(h));
		if (cp == NULL || cp->type != CRED_SNMP) {
			profile_failed(h, COV_ERROR,
			    "no such SNMP credential profile");
			continue;
		}
		h->cred = cp;
		if (cp->version != SNMP_V3 || h->disc == DISC_OK) {
			profile_start(c, h);
			return;
		}
		if (h->disc == DISC_FAILED) {
			profile_failed(h, h->disc_status, h->disc_why);
			continue;
		}
		if (sess_open(c, h, NULL, why, sizeof(why)) != 0) {
			profile_failed(h, COV_ERROR, why);
			continue;
		}
		h->state = HS_DISCOVER;
		h->attempts = 0;
		host_request(c, h);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Host life cycle. */

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
	cv.profile = h->authed != NULL ? prof_name(h) : NULL;
	cv.elapsed_ms = elapsed_ms;
	if (c->sink.cover(c->sink.arg, h->target, &cv) != 0)
		fatal(c, "the sink refused a coverage record");
}

static void
resolve_drop(struct snmp_ctx *c, struct host *h)
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

/* Emits every coverage record, says done, frees the slot. */
static void
host_finish(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;
	char d[FAIL_MAX + NOTES_MAX + 160];
	const struct probe_result *r;
	enum cov_status sum;
	size_t p;
	int all_ok = 1;

	sess_close(c, h);
	resolve_drop(c, h);
	queue_remove(c, h);
	h->budget_at = h->req_at = h->wake_at = h->rate_at = 0;
	heap_remove(c, h);
	free(h->last);
	h->last = NULL;
	if (h->authed == NULL && h->nfail == 0)
		profile_failed(h, COV_ERROR, "no SNMP credential profile");
	for (p = 0; p < PROBE__COUNT; p++) {
		if (!(h->probes & PROBE_BIT(p)))
			continue;
		r = &h->res[p];
		if (h->authed == NULL)
			cover(c, h, probe_name((enum probe)p), h->fail,
			    h->faildetail, 0);
		else if (r->set) {
			cover(c, h, probe_name((enum probe)p), r->status,
			    r->detail, r->ms);
			if (r->status != COV_OK &&
			    r->status != COV_NO_SUCH_TABLE)
				all_ok = 0;
		} else if (p == PROBE_VENDOR && h->vendor_skipped)
			cover(c, h, probe_name((enum probe)p), COV_OK,
			    "not applicable: identity does not call for "
			    "camera vendor MIBs", 0);
		else {
			cover(c, h, probe_name((enum probe)p), COV_ERROR,
			    "not run", 0);
			all_ok = 0;
		}
	}
	if (h->authed != NULL) {
		sum = all_ok ? COV_OK : COV_PARTIAL;
		snprintf(d, sizeof(d), "profile %s (SNMPv%s); %lu varbinds in "
		    "%lu request%s", prof_name(h), ver_name(h->authed),
		    h->varbinds, h->requests, h->requests == 1 ? "" : "s");
		if (h->nfail > 0)
			detail_add(d, sizeof(d), "tried first: %s",
			    h->faildetail);
	} else {
		sum = h->fail;
		str_copy(d, h->faildetail, sizeof(d));
	}
	if (h->notes[0] != '\0')
		detail_add(d, sizeof(d), "%s", h->notes);
	if (c->limit_note[0] != '\0')
		detail_add(d, sizeof(d), "%s", c->limit_note);
	cover(c, h, "", sum, d, mono_ms() - h->start_ms);
	if (h->englen > 0) {
		e = engine_get(c, h->engine, h->englen, 0);
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
static void
host_abort(struct snmp_ctx *c, struct host *h, enum cov_status s,
    const char *why)
{
	const struct snmp_step *st;
	size_t p, i;
	char d[DETAIL_MAX];

	if (h->authed == NULL) {
		/* Interrupted or out of time while trying profiles. */
		profile_failed(h, s, why);
		host_finish(c, h);
		return;
	}
	if (h->state == HS_STEP) {
		unsigned n;

		st = cur_step(h);
		n = step_count(h);
		if (h->probes & PROBE_BIT(st->probe)) {
			snprintf(d, sizeof(d), "%s%s%s", st->item != NULL &&
			    st->item[0] != '\0' ? st->item : "",
			    st->item != NULL && st->item[0] != '\0' ?
			    ": " : "", why);
			if (n > 0)
				detail_add(d, sizeof(d), "after %u %s", n,
				    step_unit(h));
			probe_merge(&h->res[st->probe], n > 0 ?
			    COV_PARTIAL : s, n > 0, d);
			h->res[st->probe].ms += mono_ms() - h->step_ms;
		}
		/* Later steps of probes that are under way. */
		for (i = h->step + 1; i < snmp_nsteps; i++) {
			st = &snmp_steps[i];
			if (!(h->probes & PROBE_BIT(st->probe)) ||
			    !h->res[st->probe].set ||
			    (st->flags & SNMP_STEP_IF_ABSENT) ||
			    ((st->flags & SNMP_STEP_IF_VENDOR) &&
			    !vendor_wanted(h)))
				continue;
			snprintf(d, sizeof(d), "%s: not run: %s",
			    st->item != NULL && st->item[0] != '\0' ?
			    st->item : probe_name(st->probe), why);
			probe_merge(&h->res[st->probe], s, 0, d);
		}
	}
	snprintf(d, sizeof(d), "not run: %s", why);
	for (p = 0; p < PROBE__COUNT; p++)
		if ((h->probes & PROBE_BIT(p)) && !h->res[p].set &&
		    !(p == PROBE_VENDOR && h->vendor_skipped))
			probe_merge(&h->res[p], s, 0, d);
	host_finish(c, h);
}

/* The host's address is known: start on its profiles. */
static void
host_addressed(struct snmp_ctx *c, struct host *h)
{
	if (inet_ntop(h->sa.ss_family, h->sa.ss_family == AF_INET6 ?
	    (const void *)&((struct sockaddr_in6 *)&h->sa)->sin6_addr :
	    (const void *)&((struct sockaddr_in *)&h->sa)->sin_addr,
	    h->addr, sizeof(h->addr)) == NULL) {
		host_abort(c, h, COV_ERROR, "unusable address");
		return;
	}
	snprintf(h->peer, sizeof(h->peer), h->sa.ss_family == AF_INET6 ?
	    "udp6:[%s]:%u" : "udp:%s:%u", h->addr, h->port);
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
		fatal(c, "out of memory (resolver)");
		return;
	}
	str_copy(rs->name, h->t->address, sizeof(rs->name));
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
		host_abort(c, h, COV_UNREACHABLE, gai_strerror(rc));
		return;
	}
	h->rs = rs;
	h->state = HS_RESOLVE;
	h->resolve_at = mono_ms() + RESOLVE_MS;
	h->rnext = c->resolving;
	c->resolving = h;
}

/* Checks the names being resolved (and the orphaned look-ups). */
static void
resolve_poll(struct snmp_ctx *c)
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
				host_abort(c, h, COV_UNREACHABLE,
				    "name resolution timed out");
			continue;
		}
		if (rc != 0 || rs->cb.ar_result == NULL) {
			snprintf(why, sizeof(why), "cannot resolve %s: %s",
			    h->t->address, gai_strerror(rc));
			host_abort(c, h, COV_UNREACHABLE, why);
			continue;
		}
		ai = rs->cb.ar_result;
		if (ai->ai_addrlen > sizeof(h->sa)) {
			host_abort(c, h, COV_ERROR, "unusable address");
			continue;
		}
		memcpy(&h->sa, ai->ai_addr, ai->ai_addrlen);
		h->salen = ai->ai_addrlen;
		resolve_drop(c, h);
		host_addressed(c, h);
	}
}

/* Takes the next target of this collector into a free slot. */
static void
host_start(struct snmp_ctx *c, size_t ti)
{
	const struct target *t = &c->tl->v[ti];
	struct host *h = c->free[--c->nfree];
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;
	int64_t now = mono_ms();

	memset(h, 0, sizeof(*h));
	h->c = c;
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
	snmp_rate_init(&h->trate, c->opts.target_rate != NULL ?
	    c->opts.target_rate[ti] : 0, 1, mono_us());
	c->active++;
	host_rearm(c, h);
	if (t->family == AF_INET) {
		s4 = (struct sockaddr_in *)&h->sa;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)h->port);
		h->salen = sizeof(*s4);
		if (inet_pton(AF_INET, t->address, &s4->sin_addr) != 1) {
			host_abort(c, h, COV_ERROR, "bad IPv4 address");
			return;
		}
		host_addressed(c, h);
	} else if (t->family == AF_INET6) {
		s6 = (struct sockaddr_in6 *)&h->sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)h->port);
		h->salen = sizeof(*s6);
		if (inet_pton(AF_INET6, t->address, &s6->sin6_addr) != 1) {
			host_abort(c, h, COV_ERROR, "bad IPv6 address");
			return;
		}
		host_addressed(c, h);
	} else
		resolve_start(c, h);
}

/* Is target i one of this collector's? */
static int
target_mine(const struct snmp_ctx *c, size_t i)
{
	unsigned p;

	p = c->opts.target_probes != NULL ? c->opts.target_probes[i] :
	    c->opts.probes;
	return c->tl->v[i].nsnmp_profiles > 0 && (p & SNMP_PROBES) != 0;
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
	host_abort(c, h, s, why);
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
static void
host_advance(struct snmp_ctx *c, struct host *h)
{
	enum host_event ev = h->ev;
	char why[DETAIL_MAX];

	h->ev = EV_NONE;
	if (ev == EV_NONE || c->fatal)
		return;
	h->req_at = 0;
	host_rearm(c, h);
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
		sess_close(c, h);
		if (ev == EV_TIMEOUT || h->englen == 0) {
			h->disc = DISC_FAILED;
			h->disc_status = ev == EV_TIMEOUT ? COV_TIMEOUT :
			    COV_ERROR;
			h->disc_why = ev == EV_TIMEOUT ?
			    "no response to SNMPv3 engine discovery" :
			    "SNMPv3 engine discovery: no usable engine ID";
			profile_failed(h, h->disc_status, h->disc_why);
			host_next_profile(c, h);
			return;
		}
		h->disc = DISC_OK;
		engine_seen(c, h);
		if (h->probes & PROBE_BIT(PROBE_SYSTEM)) {
			struct observation o;
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
				fatal(c, "the sink refused an observation");
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
		sess_close(c, h);
		if (ev == EV_TIMEOUT && h->cred->version == SNMP_V3)
			profile_failed(h, COV_AUTH_FAILED, "no response to "
			    "authenticated requests although the agent "
			    "answered engine discovery (wrong privacy "
			    "passphrase or protocol?)");
		else if (ev == EV_TIMEOUT)
			profile_failed(h, COV_TIMEOUT, "no response (wrong "
			    "community or host down)");
		else if (ev == EV_REPORT) {
			snprintf(why, sizeof(why), "SNMPv3 %s", h->report);
			profile_failed(h, h->report_auth ? COV_AUTH_FAILED :
			    COV_ERROR, why);
		} else
			profile_failed(h, COV_AUTH_FAILED,
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
static void
host_timer(struct snmp_ctx *c, struct host *h, int64_t now)
{
	struct timeval tv;
	int n = 0, block = 1;
	char why[DETAIL_MAX];

	if (h->budget_at != 0 && now >= h->budget_at) {
		snprintf(why, sizeof(why), "host time budget of %u ms "
		    "exhausted", c->opts.host_budget_ms);
		host_abort(c, h, COV_TIMEOUT, why);
		return;
	}
	if (h->wake_at != 0 && now >= h->wake_at) {
		h->wake_at = 0;
		host_rearm(c, h);
		if (h->state == HS_USERWAIT)
			profile_start(c, h);
		return;
	}
	if (h->rate_at != 0 && now >= h->rate_at) {
		h->rate_at = 0;
		host_rearm(c, h);
		host_request(c, h);
		return;
	}
	if (h->req_at == 0 || now < h->req_at)
		return;
	if (h->sess == NULL) {
		h->req_at = 0;
		host_rearm(c, h);
		return;
	}
	h->ev = EV_NONE;
	snmp_sess_timeout(h->sess);
	if (h->ev != EV_NONE) {
		host_advance(c, h);
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
		host_advance(c, h);
		return;
	}
	h->req_at = now + tv.tv_sec * 1000 + tv.tv_usec / 1000 + SLACK_MS;
	host_rearm(c, h);
}

/* A session's socket is readable (or has an error). */
static void
host_readable(struct snmp_ctx *c, struct host *h)
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
		host_advance(c, h);
}

/* ------------------------------------------------------------------ */
/* The collector interface. */

static int
lib_init(char *err, size_t errlen)
{
	if (lib_ready)
		return 0;
	/* No MIB files: every OID here is numeric. */
	if (setenv("MIBS", "", 1) != 0)
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

static int
collector_open(void **ctxp, const struct collect_opts *opts,
    const struct target_list *tl, const struct cred_set *creds,
    const struct collect_sink *sink, char *err, size_t errlen)
{
	struct snmp_ctx *c;
	rlim_t limit;
	size_t i, room, want;

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
	for (i = 0; i < tl->n; i++)
		if (target_mine(c, i))
			c->ntargets++;
	room = fd_room(&limit);
	want = opts->concurrency > 0 ? opts->concurrency : 1;
	c->cap = want < room ? want : room;
	if (c->cap < want)
		snprintf(c->limit_note, sizeof(c->limit_note), "concurrency "
		    "limited to %zu by the open-files limit (%llu)", c->cap,
		    (unsigned long long)limit);
	if (c->cap > c->ntargets)
		c->cap = c->ntargets > 0 ? c->ntargets : 1;
	c->slots = calloc(c->cap, sizeof(*c->slots));
	c->free = calloc(c->cap, sizeof(*c->free));
	c->heap = calloc(c->cap, sizeof(*c->heap));
	c->keys = calloc(creds != NULL && creds->n > 0 ? creds->n : 1,
	    sizeof(*c->keys));
	if (c->slots == NULL || c->free == NULL || c->heap == NULL ||
	    c->keys == NULL) {
		collector_close(c);
		return errf(err, errlen, "out of memory for %zu sessions",
		    c->cap);
	}
	for (i = c->cap; i > 0; i--)
		c->free[c->nfree++] = &c->slots[i - 1];
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd < 0) {
		errf(err, errlen, "epoll_create1: %s", strerror(errno));
		collector_close(c);
		return -1;
	}
	netsnmp_large_fd_set_init(&c->fds, (int)(limit < (1u << 20) ?
	    limit : (1u << 20)));
	c->fds_ready = 1;
	snmp_rate_init(&c->rate, opts->rate, opts->rate / 100, mono_us());
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
			fatal(c, "the sink refused a coverage record");
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
			host_abort(c, &c->slots[i], COV_ERROR, "interrupted");
	while (c->next_target < c->tl->n && !c->fatal) {
		i = c->next_target++;
		if (target_mine(c, i))
			target_interrupted(c, i);
	}
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
				host_start(c, c->next_target);
			c->next_target++;
		}
		if (c->resolving != NULL || c->orphans != NULL)
			resolve_poll(c);
		while (c->qhead != NULL && !c->fatal &&
		    snmp_rate_take(&c->rate, mono_us())) {
			h = c->qhead;
			queue_remove(c, h);
			host_send(c, h);
		}
		now = mono_ms();
		while (c->nheap > 0 && c->heap[0]->timer_at <= now &&
		    !c->fatal)
			host_timer(c, c->heap[0], now);
		if (c->fatal)
			continue;
		if (c->ndone >= c->ntargets)
			return 0;

		now = mono_ms();
		if (now >= end)
			return (int)(c->ntargets - c->ndone);
		wait = end - now;
		if (c->nheap > 0 && c->heap[0]->timer_at - now < wait)
			wait = c->heap[0]->timer_at - now;
		if (c->qhead != NULL) {
			us = snmp_rate_wait_us(&c->rate, mono_us());
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
			host_readable(c, evs[i].data.ptr);
	}
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
		sess_close(c, h);
		resolve_drop(c, h);
		free(h->last);
		h->state = HS_FREE;
	}
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
	free(c->heap);
	free(c->free);
	free(c->slots);
	free(c);
}

const struct collector snmp_collector = {
	"snmp",
	CHAN_SNMP,
	SNMP_PROBES,
	collector_open,
	collector_poll,
	collector_close,
};
