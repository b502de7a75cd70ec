/*
 * snmp_int: what the files of the SNMP engine share -- the host, the
 * context and their states -- and the functions one file calls in another.
 * Private to collectors/snmp*.c.  The files form a stack, each calling
 * only those below it: snmp.c (the collector: open, the loop, close) ->
 * snmp_host.c (a host's life) -> snmp_cover.c (its coverage, its end) ->
 * snmp_session.c (sessions and PDUs) -> snmp_shared.c (the sockets
 * SNMPv1/v2c hosts share) -> snmp_v3.c (USM) -> snmp_sched.c (timers,
 * the token queue, helpers); and beside them pace.c (rates) and
 * snmp_walk.c (walk arithmetic).
 */
#ifndef BANAUDIT_SNMP_INT_H
#define BANAUDIT_SNMP_INT_H

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
#include "pace.h"

#define SNMP_PORT_DEFAULT	161
#define FD_RESERVE		64	/* descriptors left to the rest */
#define RESOLVE_MS		5000	/* longest wait for a name */
#define RESOLVE_POLL_MS		5	/* how often names are checked */
#define SLACK_MS		2	/* after net-snmp's own deadline */
#define DETAIL_MAX		192
#define FAIL_MAX		400
#define NOTES_MAX		320
#define EPOLL_BATCH		256
/* Hosts (slots) per shared socket: one request each in flight at most,
   so that their answers fit a socket's receive buffer (snmp_shared.c). */
#define SNMP_SHARED_HOSTS	64
/* epoll keys: a slot's index, or this bit and a shared socket's index. */
#define SNMP_KEY_SHARED		(UINT64_C(1) << 63)

#define SNMP_PROBES	(PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE) | \
	PROBE_BIT(PROBE_PROCESS) | PROBE_BIT(PROBE_ENTITY) | \
	PROBE_BIT(PROBE_VENDOR) | PROBE_BIT(PROBE_INTERFACES) | \
	PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) | PROBE_BIT(PROBE_LLDP) | \
	PROBE_BIT(PROBE_CDP) | PROBE_BIT(PROBE_CONNECTIONS) | \
	PROBE_BIT(PROBE_ROUTES) | PROBE_BIT(PROBE_UPS) | \
	PROBE_BIT(PROBE_ENTERPRISE) | PROBE_BIT(PROBE_ONU) | \
	PROBE_BIT(PROBE_VLAN_FDB))

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

/* A socket shared by the SNMPv1/v2c IPv4 hosts of a block of slots. */
struct snmp_io;		/* snmp_shared.c: batched sends and receives */

struct snmp_shared {
	void		*sess;		/* net-snmp single session, or NULL */
	int		 fd;
	int		 family;	/* AF_INET, AF_INET6 */
	const struct cred_profile *cp;
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
	struct pace trate;		/* the target's own rate (rate 0 =
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
	char		 peer[INET6_ADDRSTRLEN + 16];	/* a session's own */
	unsigned	 port;

	void		*sess;		/* its own, or its shared socket's */
	int		 fd;
	struct snmp_shared *shared;	/* NULL: a session of its own */
	int		 fired;		/* in the fired queue */
	struct host	*fnext;
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
	unsigned	 roles;		/* SNMP_ROLE_* seen so far */
	oid		 ents[SNMP_MAX_OBJECTS + 1];	/* enterprises seen
					   (sysObjectID, subtree answers) */
	size_t		 nents;
	unsigned	 ent_skipped;	/* probes left out: not the vendor's */
	int		 netdev_skipped; /* steps left out: no router or
					   bridge */

	/* Per-VLAN bridge tables (SNMP_STEP_VLANS, SNMP_STEP_PER_VLAN). */
	unsigned	 fdbq_rows;	/* dot1qTpFdbTable rows (all VLANs) */
	unsigned	 fdbd_rows;	/* dot1dTpFdbTable rows, default
					   context (VLAN 1 on Cisco) */
	unsigned short	 vlans[SNMP_VLAN_CAP];	/* contexts to read */
	size_t		 nvlans;
	unsigned	 vlans_over;	/* listed beyond SNMP_VLAN_CAP */
	int		 vlan1_default;	/* VLAN 1 left to the default
					   context */
	int		 vlan_na;	/* dot1qTpFdbTable has every VLAN */
	size_t		 vlan_i;	/* context being read */
	size_t		 vlan_block;	/* first PER_VLAN step */
	int		 vctx_failed;	/* this context did not answer */
	unsigned	 vctx_ok, vctx_bad, vctx_badrun, vrows;
	int		 vpartial;	/* a context truncated or looped */
	enum cov_status	 vbad_status;
	char		 vbad[48];	/* VLANs that did not answer */

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
	/*
	 * Its probes' results, the scan's nres from its slot's place in
	 * c->res (snmp_res() finds a probe's).
	 */
	struct probe_result *res;

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
	/*
	 * The hosts' probe results, nres a slot: one for each probe a
	 * target of the scan asks for, and a last that every other probe
	 * shares (none is expected; it keeps any from another's place).
	 * res_of[p] is probe p's place (snmp_res_map()).  An identity scan's
	 * slot is then 2.5 KiB instead of the 5.9 of one with a place for
	 * every probe: 35 MB less at 10,000 in flight.
	 */
	struct probe_result	*res;
	size_t			 nres;
	unsigned char		 res_of[PROBE__COUNT];
	struct host		**free;
	size_t			 nfree;
	size_t			 cap;		/* concurrency */
	size_t			 active;
	size_t			 requests;	/* sent, every host */

	struct host		**heap;
	size_t			 nheap;
	struct host		*qhead, *qtail;
	struct host		*resolving;
	struct resolve		*orphans;
	struct pace	 rate;

	/* snmp_steps, with the vendor subtrees as the objects of the
	   SNMP_STEP_SUBTREES step. */
	struct snmp_step	*steps;
	struct snmp_object	 subtrees[SNMP_MAX_OBJECTS];
	size_t			 nsubtrees;
	/*
	 * Per step of scalars, NULL until first used: its objects as a
	 * GET's varbinds, lent to each whole request of a shared socket's
	 * host (snmp_step_whole(), snmp_build_step()).
	 */
	netsnmp_variable_list	**whole;

	/*
	 * The text of the columns walked and the scalars read last, so
	 * that a row's OID is spelled out from its index only, and a
	 * scalar's not at all (snmp_session.c).
	 */
	struct snmp_coltext {
		oid		 name[SNMP_OBJ_MAXLEN];
		size_t		 len;		/* 0: not used yet */
		char		 text[SNMP_OBJ_MAXLEN * 11 + 1];
		size_t		 tlen;
	}			 coltext[SNMP_MAX_OBJECTS];
	size_t			 coltext_next;	/* the one to replace */

	/*
	 * Shared sockets: nshared_blocks per credential profile, for IPv4
	 * and then for IPv6.
	 */
	struct snmp_shared	*shared;
	size_t			 nshared, nshared_blocks;
	/*
	 * Their requests waiting for one sendmmsg(), their answers read by
	 * recvmmsg() (snmp_shared.c); with c->shared.
	 */
	struct snmp_io		*io;
	/* Hosts whose event came in through a shared socket. */
	struct host		*fired, *fired_tail;
	int64_t			 sweep_at;	/* next snmp_shared_sweep() */

	struct engine_ent	*eng;
	size_t			 neng, engused;
	struct v3key		*keys;

	char			 limit_note[96];
	int			 fatal;
	char			 fatal_msg[ERRLEN];
};

/* snmp_sched.c */
const struct snmp_step *snmp_cur_step(const struct host *h);

/* Every object of step st, as the bits of struct host's pending. */
static inline unsigned
snmp_step_all(const struct snmp_step *st)
{
	return st->nobj >= 32 ? ~0u : (1u << st->nobj) - 1;
}
void	snmp_detail_add(char *buf, size_t len, const char *fmt, ...)
	    PRINTF_LIKE(3, 4);
void	snmp_fatal(struct snmp_ctx *c, const char *msg);
void	snmp_heap_remove(struct snmp_ctx *c, struct host *h);
void	snmp_host_rearm(struct snmp_ctx *c, struct host *h);
int64_t	snmp_mono_us(void);
const char *snmp_prof_name(const struct host *h);
void	snmp_queue_add(struct snmp_ctx *c, struct host *h);
void	snmp_queue_remove(struct snmp_ctx *c, struct host *h);
const char *snmp_profile_version(const struct cred_profile *cp);

void	snmp_fired_add(struct snmp_ctx *c, struct host *h);
struct host *snmp_fired_pop(struct snmp_ctx *c);

/* snmp_shared.c */
int	snmp_shared_address(const struct host *h, netsnmp_pdu *pdu);
struct snmp_io *snmp_shared_io_new(void);
void	snmp_shared_io_free(struct snmp_io *io);
int	snmp_shared_send(struct snmp_ctx *c, struct host *h,
	    netsnmp_pdu *pdu);
void	snmp_shared_flush(struct snmp_ctx *c);
size_t	snmp_shared_pending(const struct snmp_ctx *c);
void	snmp_request_cancel(void *sess, long reqid);
void	snmp_shared_sweep(struct snmp_ctx *c);
int	snmp_shared_bind(struct snmp_ctx *c, struct host *h,
	    const struct cred_profile *cp, char *why, size_t whylen);
void	snmp_shared_close_all(struct snmp_ctx *c);
int	snmp_shared_fits(const struct snmp_ctx *c, const struct host *h,
	    const struct cred_profile *cp);
int	snmp_shared_from(const struct host *h, const netsnmp_pdu *pdu);
void	snmp_shared_read(struct snmp_ctx *c, struct snmp_shared *sh);
/* Reads sh's ICMP errors into their hosts; returns how many were read. */
int	snmp_shared_errors(struct snmp_ctx *c, struct snmp_shared *sh);

/* snmp_v3.c */
oid	*snmp_auth_oid(enum auth_proto a, size_t *len);
struct engine_ent *snmp_engine_get(struct snmp_ctx *c,
	    const unsigned char *id, size_t len, int create);
void	snmp_engine_seen(struct snmp_ctx *c, struct host *h);
oid	*snmp_priv_oid(enum priv_proto p, size_t *len);
int	snmp_usm_acquire(struct snmp_ctx *c, struct host *h);
void	snmp_usm_release(struct snmp_ctx *c, struct host *h);
const struct v3key *snmp_v3_keys(struct snmp_ctx *c,
	    const struct cred_profile *cp);

/* snmp_session.c */
netsnmp_pdu *snmp_build_discovery(void);
netsnmp_pdu *snmp_build_step(struct host *h, netsnmp_variable_list *whole,
	    int *lent);
int	snmp_step_whole(struct snmp_ctx *c, struct host *h,
	    netsnmp_variable_list **out);
void	snmp_step_whole_free(struct snmp_ctx *c);
void	snmp_session_close(struct snmp_ctx *c, struct host *h);
int	snmp_session_open(struct snmp_ctx *c, struct host *h,
	    const struct cred_profile *cp, char *why, size_t whylen);

/*
 * net-snmp's callback for every session: parses an answer into the host's
 * state and emits its observations; opens, sends on and closes nothing.
 */
int	snmp_session_cb(int op, netsnmp_session *, int reqid, netsnmp_pdu *,
	    void *arg);

/* snmp_cover.c */
int	snmp_enterprise_missing(const struct host *h,
	    const struct snmp_step *st);
void	snmp_host_abort(struct snmp_ctx *c, struct host *h, enum cov_status s,
	    const char *why);
/* Emits every coverage record, says done, frees the slot. */
void	snmp_host_finish(struct snmp_ctx *c, struct host *h);
/*
 * Sets c->res_of and c->nres for a scan whose targets ask for probes (a
 * PROBE_BIT() set; others share one place).
 */
void	snmp_res_map(struct snmp_ctx *c, unsigned probes);

/* Host h's result of probe p. */
static inline struct probe_result *
snmp_res(const struct host *h, size_t p)
{
	return &h->res[p < PROBE__COUNT ? h->c->res_of[p] :
	    h->c->nres - 1];
}

void	snmp_probe_merge(struct probe_result *r, enum cov_status s,
	    int got_data, const char *detail);
void	snmp_profile_failed(struct host *h, enum cov_status s,
	    const char *why);
void	snmp_resolve_drop(struct snmp_ctx *c, struct host *h);
unsigned snmp_step_count(const struct host *h);
const char *snmp_step_unit(const struct host *h);
int	snmp_vendor_wanted(const struct host *h);

/* snmp_host.c */
void	snmp_host_advance(struct snmp_ctx *c, struct host *h);
void	snmp_host_readable(struct snmp_ctx *c, struct host *h);
void	snmp_host_fired(struct snmp_ctx *c);
void	snmp_host_flush(struct snmp_ctx *c);
void	snmp_host_sweep(struct snmp_ctx *c);
/* The socket of epoll key key (a slot, or a shared socket) is ready. */
void	snmp_key_ready(struct snmp_ctx *c, uint64_t key);
void	snmp_host_send(struct snmp_ctx *c, struct host *h);
void	snmp_host_start(struct snmp_ctx *c, size_t ti);
void	snmp_host_timer(struct snmp_ctx *c, struct host *h, int64_t now);
void	snmp_resolve_poll(struct snmp_ctx *c);

#endif /* BANAUDIT_SNMP_INT_H */
