/*
 * writer: the scan's writer thread and the events the poller queues for
 * it (writer.h).
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockq.h"
#include "util.h"
#include "writer.h"

#define HOST_NAME_SHOWN	256	/* bytes of a device's name kept */

enum ev_type { EV_OBSERVE, EV_COVER, EV_IDENTIFY, EV_DONE };

/*
 * One queued event: this header, then its strings (each followed by a
 * NUL), in the order of s[]: an observation's item, attr, source and
 * value; a coverage record's probe, detail and profile; an identity's
 * uuid, serial, name and first MAC.
 */
#define EV_STRS		4
#define EV_NULL		SIZE_MAX	/* a NULL string */

struct ev {
	int		 type;
	int		 a;		/* channel */
	int		 b;		/* kind; status */
	int		 c;		/* value type */
	size_t		 t;		/* target */
	int64_t		 n;		/* coverage: elapsed_ms */
	size_t		 len[EV_STRS];
};

struct writer {
	struct blockq		*q;		/* NULL: inline, no thread */
	struct writer_state	*ws;
	pthread_t		 thread;
	char			 err[ERRLEN];	/* the writer's failure */
	int			 failed;	/* inline: err is set */
};

static int	 apply_observe(struct writer_state *, size_t, enum channel,
		    const struct observation *, char *, size_t);
static int	 apply_identify(struct writer_state *, size_t, const char *,
		    const char *, const char *, const char *, char *, size_t);
static int	 apply_done(struct writer_state *, size_t, char *, size_t);

/*
 * Inline (no thread): may the event of target t be stored now?  -1 with
 * the earlier failure's message, or for a target out of range.
 */
static int
inline_ok(struct writer *w, size_t t, char *err, size_t errlen)
{
	if (w->failed)
		return errf(err, errlen, "%s", w->err);
	if (t >= w->ws->ntargets)
		return errf(err, errlen, "no target %zu", t);
	return 0;
}

/* Inline: rc of storing an event, its failure kept (in w->err). */
static int
inline_rc(struct writer *w, int rc, char *err, size_t errlen)
{
	if (rc == 0)
		return 0;
	w->failed = 1;
	return errf(err, errlen, "%s", w->err);
}

/* Queues e and its strings s[] (lengths in e->len; EV_NULL: NULL). */
static int
put(struct writer *w, struct ev *e, const void *const s[EV_STRS],
    char *err, size_t errlen)
{
	unsigned char *p;
	size_t i, n = sizeof(*e);

	for (i = 0; i < EV_STRS; i++)
		if (e->len[i] != EV_NULL)
			n += e->len[i] + 1;
	p = blockq_put(w->q, n, err, errlen);
	if (p == NULL)
		return -1;
	memcpy(p, e, sizeof(*e));
	p += sizeof(*e);
	for (i = 0; i < EV_STRS; i++) {
		if (e->len[i] == EV_NULL)
			continue;
		if (e->len[i] > 0)
			memcpy(p, s[i], e->len[i]);
		p[e->len[i]] = '\0';
		p += e->len[i] + 1;
	}
	return 0;
}

static size_t
slen(const char *s)
{
	return s == NULL ? EV_NULL : strlen(s);
}

int
writer_observe(struct writer *w, size_t t, enum channel ch,
    const struct observation *o, char *err, size_t errlen)
{
	struct ev e;
	const void *s[EV_STRS];

	if (w->q == NULL)
		return inline_ok(w, t, err, errlen) != 0 ? -1 :
		    inline_rc(w, apply_observe(w->ws, t, ch, o, w->err,
		    sizeof(w->err)), err, errlen);
	memset(&e, 0, sizeof(e));
	e.type = EV_OBSERVE;
	e.a = ch;
	e.b = o->kind;
	e.c = o->vtype;
	e.t = t;
	s[0] = o->item;
	s[1] = o->attr;
	s[2] = o->source;
	s[3] = o->value;
	e.len[0] = slen(o->item);
	e.len[1] = slen(o->attr);
	e.len[2] = slen(o->source);
	e.len[3] = o->value == NULL ? EV_NULL : o->len;
	return put(w, &e, s, err, errlen);
}

int
writer_cover(struct writer *w, size_t t, const struct coverage *cv,
    char *err, size_t errlen)
{
	struct ev e;
	const void *s[EV_STRS];

	if (w->q == NULL)
		return inline_ok(w, t, err, errlen) != 0 ? -1 :
		    inline_rc(w, store_coverage(w->ws->st, w->ws->run,
		    w->ws->host_ids[t], cv, w->err, sizeof(w->err)), err,
		    errlen);
	memset(&e, 0, sizeof(e));
	e.type = EV_COVER;
	e.a = cv->channel;
	e.b = cv->status;
	e.t = t;
	e.n = cv->elapsed_ms;
	s[0] = cv->probe;
	s[1] = cv->detail;
	s[2] = cv->profile;
	s[3] = NULL;
	e.len[0] = slen(cv->probe);
	e.len[1] = slen(cv->detail);
	e.len[2] = slen(cv->profile);
	e.len[3] = EV_NULL;
	return put(w, &e, s, err, errlen);
}

int
writer_identify(struct writer *w, size_t t, const struct host_hints *hh,
    char *err, size_t errlen)
{
	struct ev e;
	const void *s[EV_STRS];
	const char *mac = hh->nmacs > 0 ? hh->macs[0] : NULL;

	if (w->q == NULL)
		return inline_ok(w, t, err, errlen) != 0 ? -1 :
		    inline_rc(w, apply_identify(w->ws, t, hh->uuid,
		    hh->serial, hh->name, mac, w->err, sizeof(w->err)), err,
		    errlen);
	memset(&e, 0, sizeof(e));
	e.type = EV_IDENTIFY;
	e.t = t;
	s[0] = hh->uuid;
	s[1] = hh->serial;
	s[2] = hh->name;
	s[3] = mac;
	e.len[0] = slen(hh->uuid);
	e.len[1] = slen(hh->serial);
	e.len[2] = slen(hh->name);
	e.len[3] = slen(mac);
	return put(w, &e, s, err, errlen);
}

int
writer_done(struct writer *w, size_t t, char *err, size_t errlen)
{
	struct ev e;
	const void *s[EV_STRS] = { NULL, NULL, NULL, NULL };

	if (w->q == NULL)
		return inline_ok(w, t, err, errlen) != 0 ? -1 :
		    inline_rc(w, apply_done(w->ws, t, w->err,
		    sizeof(w->err)), err, errlen);
	memset(&e, 0, sizeof(e));
	e.type = EV_DONE;
	e.t = t;
	e.len[0] = e.len[1] = e.len[2] = e.len[3] = EV_NULL;
	return put(w, &e, s, err, errlen);
}

void
writer_flush(struct writer *w)
{
	if (w->q != NULL)
		blockq_flush(w->q);
}

int
writer_failed(struct writer *w, char *err, size_t errlen)
{
	if (w->q == NULL) {
		if (w->failed)
			errf(err, errlen, "%s", w->err);
		return w->failed;
	}
	return blockq_failed(w->q, err, errlen);
}

/* --- storing one event (the thread's, or the caller's inline) ---------- */

/* Generations before the marks are cleared (mark[] holds gen * 2 + 1). */
#define GEN_MAX		(UINT32_MAX >> 1)

/* Target t has rows in the store's buffer, more may come. */
static void
mark_rows(struct writer_state *ws, size_t t)
{
	uint32_t m = ws->mark[t];

	if (m >> 1 != ws->gen) {
		ws->mark[t] = ws->gen << 1;
		ws->open++;
	} else if (m & 1) {
		/* Rows after its done: another collector's. */
		ws->mark[t] = m & ~1u;
		ws->open++;
	}
}

/*
 * Target t is done.  When it was the last host with rows in the store's
 * buffer still to come, the buffer holds whole hosts only, and the store
 * may write them out (store_obs_settle()): a new generation of marks.
 */
static int
mark_done(struct writer_state *ws, size_t t, char *err, size_t errlen)
{
	uint32_t m = ws->mark[t];
	int rc;

	if (m >> 1 != ws->gen || (m & 1) || ws->open == 0)
		return 0;
	ws->mark[t] = m | 1;
	if (--ws->open > 0)
		return 0;
	rc = store_obs_settle(ws->st, err, errlen);
	if (rc <= 0)
		return rc;
	if (++ws->gen > GEN_MAX) {
		memset(ws->mark, 0, ws->ntargets * sizeof(*ws->mark));
		ws->gen = 1;
	}
	return 0;
}

static int
apply_observe(struct writer_state *ws, size_t t, enum channel ch,
    const struct observation *o, char *err, size_t errlen)
{
	uint64_t key = 0;
	uint32_t ref = 0, was;
	int64_t id;
	int counts = 0;

	/*
	 * Tested first: a value the matcher's memo knows by a key is stored
	 * once, and its rows name it (store_observation_keyed()); the memo
	 * keeps the store's reference to it beside the value, so that its
	 * next row needs no look-up in the store.
	 */
	if (ws->an != NULL &&
	    (counts = analyze_test(ws->an, ch, o, &key, &ref)) == -1)
		return errf(err, errlen, "out of memory while matching");
	was = ref;
	if (store_observation_keyed(ws->st, ws->run, ws->host_ids[t], ch, o,
	    key, &ref, &id, err, errlen) != 0)
		return -1;
	if (ws->an != NULL && ref != was)
		analyze_set_ref(ws->an, ref);
	mark_rows(ws, t);
	if (ws->an != NULL && analyze_add_tested(ws->an, &ws->rows[t], id,
	    ch, o, counts, err, errlen) != 0)
		return -1;
	/* The device's own name (sysName) names the host in reports. */
	if (o->kind == OBS_SYSTEM && o->attr != NULL &&
	    strcmp(o->attr, "name") == 0 && o->len > 0) {
		char name[HOST_NAME_SHOWN];

		render_value(o->value, o->len, name, sizeof(name));
		if (store_host_name(ws->st, ws->run, ws->host_ids[t], name,
		    err, errlen) != 0)
			return -1;
	}
	return 0;
}

/*
 * An agent told us which machine the target is.  The store resolves the
 * hints (UUID, serial, MAC, then the address); when they name another host
 * -- the same machine already known from an import or an earlier run --
 * the target becomes that host and what this run stored for it moves along.
 */
static int
apply_identify(struct writer_state *ws, size_t t, const char *uuid,
    const char *serial, const char *name, const char *mac, char *err,
    size_t errlen)
{
	const struct target *tg = &ws->targets->v[t];
	struct host_info hi;
	char hp[TARGET_HOSTPORT_MAX];
	int64_t id;

	target_hostport(tg, hp, sizeof(hp));
	memset(&hi, 0, sizeof(hi));
	hi.h = tg->h;
	hi.h.address = hp;
	hi.h.name = name;
	hi.uuid = uuid;
	hi.serial = serial;
	hi.mac = mac;
	if (store_host(ws->st, ws->run, &hi, &id, err, errlen) != 0)
		return -1;
	if (id != ws->host_ids[t]) {
		if (store_host_move(ws->st, ws->run, ws->host_ids[t], id,
		    err, errlen) != 0)
			return -1;
		ws->host_ids[t] = id;
	}
	return 0;
}

/*
 * Its rows are all in: match them while they are at hand, or park them
 * for after locate and onu (ws->park).
 */
static int
apply_done(struct writer_state *ws, size_t t, char *err, size_t errlen)
{
	if (ws->an != NULL && (ws->park ? analyze_park(ws->an, &ws->rows[t],
	    err, errlen) : analyze_host(ws->an, ws->host_ids[t],
	    &ws->rows[t], err, errlen)) != 0)
		return -1;
	return mark_done(ws, t, err, errlen);
}

/* One queued event, its strings found after its header. */
static int
apply(struct writer_state *ws, const void *rec, size_t len, char *err,
    size_t errlen)
{
	struct ev e;
	struct observation o = { 0 };
	struct coverage cv;
	const char *s[EV_STRS];
	const char *p;
	size_t i, left;

	if (len < sizeof(e))
		return errf(err, errlen, "write queue: a short event");
	memcpy(&e, rec, sizeof(e));
	p = (const char *)rec + sizeof(e);
	left = len - sizeof(e);
	for (i = 0; i < EV_STRS; i++) {
		s[i] = NULL;
		if (e.len[i] == EV_NULL)
			continue;
		if (e.len[i] >= left)
			return errf(err, errlen, "write queue: a short event");
		s[i] = p;
		p += e.len[i] + 1;
		left -= e.len[i] + 1;
	}
	if (e.t >= ws->ntargets)
		return errf(err, errlen, "write queue: no target %zu", e.t);
	switch (e.type) {
	case EV_OBSERVE:
		memset(&o, 0, sizeof(o));
		o.kind = (enum obs_kind)e.b;
		o.vtype = (enum value_type)e.c;
		o.item = s[0];
		o.attr = s[1];
		o.source = s[2];
		o.value = s[3];
		o.len = e.len[3] == EV_NULL ? 0 : e.len[3];
		return apply_observe(ws, e.t, (enum channel)e.a, &o, err,
		    errlen);
	case EV_COVER:
		memset(&cv, 0, sizeof(cv));
		cv.channel = (enum channel)e.a;
		cv.status = (enum cov_status)e.b;
		cv.probe = s[0];
		cv.detail = s[1];
		cv.profile = s[2];
		cv.elapsed_ms = e.n;
		return store_coverage(ws->st, ws->run, ws->host_ids[e.t], &cv,
		    err, errlen);
	case EV_IDENTIFY:
		return apply_identify(ws, e.t, s[0], s[1], s[2], s[3], err,
		    errlen);
	case EV_DONE:
		return apply_done(ws, e.t, err, errlen);
	}
	return errf(err, errlen, "write queue: event type %d", e.type);
}

/* --- the thread --------------------------------------------------------- */

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	const void *rec;
	size_t len;

	while (blockq_get(w->q, &rec, &len) == 1) {
		if (apply(w->ws, rec, len, w->err, sizeof(w->err)) != 0) {
			blockq_fail(w->q, w->err);
			break;
		}
	}
	return NULL;
}

static void
marks_free(struct writer_state *ws)
{
	free(ws->mark);
	ws->mark = NULL;
}

int
writer_start(struct writer **out, struct writer_state *ws, int threaded,
    char *err, size_t errlen)
{
	struct writer *w;
	sigset_t all, old;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	ws->mark = calloc(ws->ntargets ? ws->ntargets : 1, sizeof(*ws->mark));
	if (w == NULL || ws->mark == NULL) {
		free(w);
		free(ws->mark);
		ws->mark = NULL;
		return errf(err, errlen, "out of memory for the writer");
	}
	ws->gen = 1;
	ws->open = 0;
	w->ws = ws;
	if (!threaded) {
		*out = w;
		return 0;
	}
	if (blockq_open(&w->q, WRITER_BLOCKS, WRITER_BLOCK_SIZE, err,
	    errlen) != 0) {
		marks_free(ws);
		free(w);
		return -1;
	}
	/*
	 * Signals (Ctrl-C: the scan's stop flag) go to the polling thread,
	 * so that its wait returns at once: the writer blocks them all.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		blockq_free(w->q);
		marks_free(ws);
		free(w);
		return errf(err, errlen, "cannot start the writer thread: %s",
		    strerror(rc));
	}
	*out = w;
	return 0;
}

int
writer_stop(struct writer *w, char *err, size_t errlen)
{
	int rc = 0;

	if (w == NULL)
		return 0;
	if (w->q == NULL) {
		if (w->failed)
			rc = errf(err, errlen, "%s", w->err);
		marks_free(w->ws);
		free(w);
		return rc;
	}
	blockq_close(w->q);
	pthread_join(w->thread, NULL);
	if (blockq_failed(w->q, err, errlen))
		rc = -1;
	blockq_free(w->q);
	marks_free(w->ws);
	free(w);
	return rc;
}
