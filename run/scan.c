/*
 * scan: run bookkeeping, the collectors' sink, progress, then analysis.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "heap.h"
#include "log.h"
#include "runlife.h"
#include "scan.h"
#include "util.h"
#include "writer.h"

#define HOSTS_BATCH	256	/* targets in one store_host_many() */
/* Probes whose tables describe other devices. */
#define NEIGHBOR_PROBES	(PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) | \
	PROBE_BIT(PROBE_LLDP) | PROBE_BIT(PROBE_CDP) | \
	PROBE_BIT(PROBE_VLAN_FDB))

/*
 * Probes whose tables run to hundreds or thousands of rows a host: only
 * then can the store's work pay for a thread of its own (an identity
 * scan, a few rows a host, took 1.14x the CPU with the thread and no
 * less wall time), and only when a second CPU may run it.  Even then it
 * is used only on request (scan_opts.writer_thread): on the 2-core
 * machine of docs/PERFORMANCE.md a 256 x 1,000 walk took 1.09x the CPU
 * and 1.19x the wall time with it.
 */
#define TABLE_PROBES	(PROBE_BIT(PROBE_SOFTWARE) | \
	PROBE_BIT(PROBE_PROCESS) | PROBES_NEIGHBOURS | \
	PROBE_BIT(PROBE_CONNECTIONS) | PROBE_BIT(PROBE_ROUTES) | \
	PROBE_BIT(PROBE_INVENTORY) | PROBE_BIT(PROBE_ONU))

/*
 * The page cache of a scan without TABLE_PROBES (an identity or
 * detection scan, a few rows a host), in KiB.  Its pages are appends,
 * written once and not read again: with the writer's 4 MiB, every page
 * of the run was a fresh page of memory (a page fault and a malloc); 1
 * MiB keeps the indexes' pages and recycles the rest.  An identity scan
 * of 4,096 hosts: 0.92x the CPU, 290 page faults fewer, 39 more WAL
 * writes (31 pairs; 256 KiB re-read spilled pages, 2,051 preads instead
 * of 988).  A walk keeps 4 MiB: 1 MiB cost it 1.04x the CPU
 * (docs/PERFORMANCE.md).
 */
#define FEW_ROWS_CACHE_KIB	1024

/*
 * The heap a scan makes resident before it starts (heap.h), per target
 * and at most.  A page's first write costs about 11 us on the bench's
 * virtual machine; made resident in one call, about 1 us and 5 us more
 * at that first write (heap.h).  Per target, what the bench's scans
 * used (peak RSS over a one-host scan's): a 256-host walk of 1,000-row
 * software tables about 13 MB; an identity scan of 4,096
 * hosts about 10 MB while its observations waited in the store's buffer
 * for the batch's commit, 4.1 MB (the heap pages it touched) since it
 * writes them out as they fill 256 KiB (store_obs_settle()).  With 16
 * MiB resident the walk took 0.92x its wall time; the identity scan now
 * takes the same time with 1 or 2 KiB a target (15 pairs), 6 ms less
 * with 1 than with 4 (21 pairs) and 8 ms less than with none (15 pairs,
 * docs/PERFORMANCE.md); a small scan pays for no more than its targets
 * need.
 */
#define HEAP_TARGET_KIB		2
#define HEAP_TABLE_TARGET_KIB	64
#define HEAP_RESERVE_MAX	((size_t)16 << 20)

size_t
scan_heap_bytes(size_t ntargets, unsigned all)
{
	size_t per = (all & TABLE_PROBES) ? HEAP_TABLE_TARGET_KIB :
	    HEAP_TARGET_KIB;

	if (ntargets > HEAP_RESERVE_MAX / 1024 / per)
		return HEAP_RESERVE_MAX;
	return ntargets * per * 1024;
}

static int
writer_threaded(const struct scan_opts *o, unsigned all)
{
	cpu_set_t cpus;

	if (!o->writer_thread || (all & TABLE_PROBES) == 0)
		return 0;
	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0)
		return 1;
	return CPU_COUNT(&cpus) >= 2;
}

/*
 * The sink: the polling thread's side.  Every event goes to the writer
 * thread (writer.h), which owns the store, the host ids and the matching
 * while the collectors run; what the poller needs itself (counts,
 * progress) it keeps here.
 */
struct sink_ctx {
	struct writer		*w;
	struct writer_state	 ws;		/* the writer's while it runs */
	unsigned char		*assessed;	/* per target: channel ok */
	size_t			 ntargets;
	size_t			 done;
	size_t			 nassessed;
	size_t			 nneighbor;	/* neighbour-table rows */
	int64_t			 start_ms;
	struct analyze_stats	 astats;
	const struct collector	*col;		/* the one running */
	void			*col_ctx;	/* its context, once open */
	char			 err[ERRLEN];
	int			 failed;
};

static int
sink_observe(void *arg, size_t t, enum channel ch,
    const struct observation *o)
{
	struct sink_ctx *c = arg;

	if (c->failed || t >= c->ntargets)
		return -1;
	if (writer_observe(c->w, t, ch, o, c->err, sizeof(c->err)) != 0) {
		c->failed = 1;
		return -1;
	}
	if (o->kind == OBS_NEIGHBOR)
		c->nneighbor++;
	return 0;
}

static int
sink_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct sink_ctx *c = arg;

	if (c->failed || t >= c->ntargets)
		return -1;
	if (writer_cover(c->w, t, cv, c->err, sizeof(c->err)) != 0) {
		c->failed = 1;
		return -1;
	}
	/* The channel summary row ("" probe) says whether we got in. */
	if ((cv->probe == NULL || cv->probe[0] == '\0') &&
	    cov_assessed(cv->status) && !c->assessed[t]) {
		c->assessed[t] = 1;
		c->nassessed++;
	}
	return 0;
}

/* An agent told us which machine the target is (writer.c stores it). */
static int
sink_identify(void *arg, size_t t, const struct host_hints *hh)
{
	struct sink_ctx *c = arg;

	if (c->failed || t >= c->ntargets)
		return -1;
	if (writer_identify(c->w, t, hh, c->err, sizeof(c->err)) != 0) {
		c->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * The progress line: what has finished and, from the collector, what is
 * in flight -- so that a log shows life while no host finishes.
 */
static void
show_progress(const struct sink_ctx *c)
{
	struct collect_stats cs;
	double secs = (double)(mono_ms() - c->start_ms) / 1000.0;

	if (c->col->stats == NULL || c->col_ctx == NULL) {
		log_progress("%s: %zu/%zu hosts done, %zu assessed, %.1f s",
		    c->col->name, c->done, c->ntargets, c->nassessed, secs);
		return;
	}
	memset(&cs, 0, sizeof(cs));
	c->col->stats(c->col_ctx, &cs);
	/* From done(), the host finishing is still counted active. */
	if (cs.active > c->ntargets - c->done)
		cs.active = c->ntargets - c->done;
	log_progress("%s: %zu/%zu hosts done, %zu assessed, %zu in progress, "
	    "%zu requests sent, %.1f s", c->col->name, c->done, c->ntargets,
	    c->nassessed, cs.active, cs.requests, secs);
}

static void
sink_done(void *arg, size_t t)
{
	struct sink_ctx *c = arg;

	c->done++;
	/*
	 * Its rows are all in: the writer matches them, or keeps the few
	 * the matcher can use for after locate and onu (ws.park).
	 */
	if (c->ws.an != NULL && t < c->ntargets && !c->failed &&
	    writer_done(c->w, t, c->err, sizeof(c->err)) != 0)
		c->failed = 1;
	show_progress(c);
}

/*
 * Records every target as a host of the run, HOSTS_BATCH at a time (one
 * savepoint for each batch, store_host_many()).
 */
static int
add_hosts(struct store *st, int64_t run, const struct target_list *tl,
    int64_t *ids, char *err, size_t errlen)
{
	struct host_info *hi;
	char (*hp)[TARGET_HOSTPORT_MAX];
	size_t i, j, n;
	int rc = 0;

	hi = calloc(HOSTS_BATCH, sizeof(*hi));
	hp = calloc(HOSTS_BATCH, sizeof(*hp));
	if (hi == NULL || hp == NULL) {
		free(hi);
		free(hp);
		return errf(err, errlen, "out of memory for the hosts");
	}
	for (i = 0; i < tl->n && rc == 0; i += n) {
		n = tl->n - i < HOSTS_BATCH ? tl->n - i : HOSTS_BATCH;
		for (j = 0; j < n; j++) {
			const struct target *t = &tl->v[i + j];

			/* Address and port: the target's key (target.h). */
			target_hostport(t, hp[j], sizeof(hp[j]));
			memset(&hi[j], 0, sizeof(hi[j]));
			hi[j].h = t->h;
			hi[j].h.address = hp[j];
		}
		rc = store_host_many(st, run, hi, n, &ids[i], err, errlen);
	}
	free(hi);
	free(hp);
	if (rc != 0)
		return -1;
	return store_flush(st, err, errlen);
}

/*
 * Each target's probes and request rate from its sector's profile
 * (--probes, probes_override, still sets the probes of all).  *all gets
 * the union of the probe sets.  The arrays are the caller's to free.
 */
static int
sector_opts(const struct scan_opts *o, struct collect_opts *co,
    unsigned **probes, unsigned **rates, unsigned *all, char *err,
    size_t errlen)
{
	const struct target_list *tl = o->targets;
	size_t i, n = tl->n ? tl->n : 1;

	*all = o->collect.probes;
	*probes = *rates = NULL;
	if (o->sectors == NULL)
		return 0;
	*probes = calloc(n, sizeof(**probes));
	*rates = calloc(n, sizeof(**rates));
	if (*probes == NULL || *rates == NULL)
		return errf(err, errlen, "out of memory for %zu targets", n);
	*all = 0;
	for (i = 0; i < tl->n; i++) {
		const struct sector_profile *p =
		    sector_set_find(o->sectors, tl->v[i].h.sector);

		(*probes)[i] = o->probes_override || p == NULL ?
		    o->collect.probes : p->probes;
		(*rates)[i] = p != NULL ? p->rate : 0;
		*all |= (*probes)[i];
	}
	co->target_probes = *probes;
	co->target_rate = *rates;
	return 0;
}

int
scan_wants_neighbors(const struct scan_opts *o)
{
	const struct target_list *tl = o->targets;
	const struct sector_profile *p;
	size_t i;

	if (o->sectors == NULL || o->probes_override)
		return (o->collect.probes & NEIGHBOR_PROBES) != 0;
	for (i = 0; i < tl->n; i++) {
		p = sector_set_find(o->sectors, tl->v[i].h.sector);
		if (((p != NULL ? p->probes : o->collect.probes) &
		    NEIGHBOR_PROBES) != 0)
			return 1;
	}
	return 0;
}

/* Runs one collector over all targets until it is done or stopped. */
static int
run_collector(const struct collector *col, const struct scan_opts *o,
    const struct collect_opts *co, struct sink_ctx *c, char *err,
    size_t errlen)
{
	struct collect_sink sink;
	void *ctx = NULL;
	int left;

	memset(&sink, 0, sizeof(sink));
	sink.arg = c;
	sink.observe = sink_observe;
	sink.cover = sink_cover;
	sink.done = sink_done;
	sink.identify = sink_identify;
	c->col = col;
	c->col_ctx = NULL;
	c->done = 0;
	c->start_ms = mono_ms();
	if (col->open(&ctx, co, o->targets, o->creds, &sink, err,
	    errlen) != 0)
		return -1;
	c->col_ctx = ctx;
	show_progress(c);
	do {
		left = col->poll(ctx, 200, err, errlen);
		/* What this turn queued goes to the writer now. */
		writer_flush(c->w);
		if (!c->failed && writer_failed(c->w, c->err, sizeof(c->err)))
			c->failed = 1;
		/* A line every interval, even while no host finishes. */
		if (left > 0 && !c->failed)
			show_progress(c);
	} while (left > 0 && !c->failed);
	col->close(ctx);
	c->col_ctx = NULL;
	log_progress_end();
	if (c->failed)
		return errf(err, errlen, "%s", c->err);
	return left < 0 ? -1 : 0;
}

/*
 * A target that names neither an SNMP profile nor an agent URL cannot be
 * asked anything: its coverage says so (snmp, status no_channel), so it
 * is listed as not assessed, never silently absent.
 */
static int
no_channel(struct store *st, int64_t run, const struct target_list *tl,
    const int64_t *host_ids, char *err, size_t errlen)
{
	struct coverage cv;
	size_t i;

	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_SNMP;
	cv.probe = "";
	cv.status = COV_NO_CHANNEL;
	cv.detail = "the targets file gives no snmp_profile and no "
	    "agent_url: nothing was asked";
	for (i = 0; i < tl->n; i++) {
		if (tl->v[i].nsnmp_profiles > 0 || (tl->v[i].agent_url !=
		    NULL && tl->v[i].agent_url[0] != '\0'))
			continue;
		if (store_coverage(st, run, host_ids[i], &cv, err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}


/*
 * Can each host be matched from the rows the sink saw?  Not when an agent
 * may say the target is a machine another target is too, nor when two
 * targets are one host: the run is then read back at the end.  Otherwise
 * a host is matched the moment it is done -- or, when a neighbour table
 * or ONU probe runs (locate and onu add rows to hosts after the walk),
 * its rows the matcher can use are parked (*park) and matched after
 * them, with only the rows they added read back.
 */
static int
match_as_done(const struct target_list *tl, const int64_t *ids,
    unsigned all, int *ok, int *park, char *err, size_t errlen)
{
	int64_t *v;
	size_t i;

	*ok = 0;
	*park = (all & (NEIGHBOR_PROBES | PROBE_BIT(PROBE_ONU))) != 0;
	for (i = 0; i < tl->n; i++)
		if (tl->v[i].agent_url != NULL &&
		    tl->v[i].agent_url[0] != '\0' &&
		    (agent_collector.probes & all) != 0)
			return 0;
	v = malloc((tl->n ? tl->n : 1) * sizeof(*v));
	if (v == NULL)
		return errf(err, errlen, "out of memory for %zu targets",
		    tl->n);
	memcpy(v, ids, tl->n * sizeof(*v));
	qsort(v, tl->n, sizeof(*v), cmp_int64);
	for (i = 1; i < tl->n && v[i] != v[i - 1]; i++)
		;
	*ok = i >= tl->n;
	free(v);
	return 0;
}

int
scan_run(struct store *st, const struct scan_opts *o, struct scan_result *res,
    char *err, size_t errlen)
{
	struct sink_ctx c;
	struct run_info ri;
	struct runlife rl;
	struct runlife_finish fin;
	struct runlife_tally tally;
	struct collect_opts co = o->collect;
	const char *subtrees[RULES_MAX_SUBTREES];
	unsigned *probes = NULL, *rates = NULL, all;
	size_t i;
	int rc = -1, as_done, stopped, bulk = 0;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.ws.st = st;
	c.ws.targets = o->targets;
	c.ntargets = c.ws.ntargets = o->targets->n;
	c.ws.host_ids = calloc(c.ntargets ? c.ntargets : 1,
	    sizeof(int64_t));
	c.assessed = calloc(c.ntargets ? c.ntargets : 1, 1);
	if (c.ws.host_ids == NULL || c.assessed == NULL) {
		errf(err, errlen, "out of memory for %zu targets", c.ntargets);
		goto out;
	}
	if (sector_opts(o, &co, &probes, &rates, &all, err, errlen) != 0)
		goto out;
	/* The vendor subtrees the enterprise probe asks into. */
	co.nsubtrees = rules_subtrees(o->rules, subtrees, NELEM(subtrees));
	if (co.nsubtrees > NELEM(subtrees))
		co.nsubtrees = NELEM(subtrees);	/* rules_load() refuses */
	co.subtrees = subtrees;
	(void)heap_reserve(scan_heap_bytes(c.ntargets, all));

	if ((all & TABLE_PROBES) == 0 && store_cache_kib(st,
	    FEW_ROWS_CACHE_KIB, err, errlen) != 0)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.label = o->label;
	ri.scope = o->scope;
	ri.sector = o->sector;
	ri.tool_version = BANAUDIT_VERSION;
	ri.rules_version = o->rules->version;
	/*
	 * The keys the scan's rows name checked by the store, not by
	 * SQLite's cursor a key (store_bulk()); coverage rows and names
	 * 64 a statement (store_defer()).
	 */
	if (store_bulk(st, 1, err, errlen) != 0)
		goto out;
	bulk = 1;
	if (runlife_begin(&rl, st, &ri, err, errlen) != 0)
		goto out;
	store_defer(st, 1);
	c.ws.run = res->run = ri.id;
	res->targets = c.ntargets;
	if (add_hosts(st, ri.id, o->targets, c.ws.host_ids, err,
	    errlen) != 0 ||
	    no_channel(st, ri.id, o->targets, c.ws.host_ids, err,
	    errlen) != 0 ||
	    match_as_done(o->targets, c.ws.host_ids, all, &as_done,
	    &c.ws.park, err, errlen) != 0)
		goto fail;
	if (as_done) {
		c.ws.rows = calloc(c.ntargets ? c.ntargets : 1,
		    sizeof(*c.ws.rows));
		if (c.ws.rows == NULL) {
			errf(err, errlen, "out of memory for %zu targets",
			    c.ntargets);
			goto fail;
		}
		if (analyze_begin(&c.ws.an, st, ri.id, o->rules, o->sectors,
		    &c.astats, err, errlen) != 0)
			goto fail;
	}

	/* From here until writer_stop(), c.ws is the writer thread's. */
	if (writer_start(&c.w, &c.ws, writer_threaded(o, all), err,
	    errlen) != 0)
		goto fail;
	for (i = 0; collectors[i] != NULL; i++) {
		if ((collectors[i]->probes & all) == 0)
			continue;
		if (o->collect.stop != NULL && *o->collect.stop)
			break;
		if (run_collector(collectors[i], o, &co, &c, err,
		    errlen) != 0)
			goto fail;
	}
	/* What is queued is stored, also when stopped. */
	stopped = writer_stop(c.w, err, errlen);
	c.w = NULL;
	if (stopped != 0)
		goto fail;
	res->assessed = c.nassessed;
	res->not_assessed = c.ntargets - c.nassessed;

	if (o->collect.stop != NULL && *o->collect.stop) {
		res->interrupted = 1;
		rc = runlife_stop(&rl, RUN_INCOMPLETE, err, errlen);
		goto out;
	}
	memset(&fin, 0, sizeof(fin));
	fin.rules = o->rules;
	fin.sectors = o->sectors;
	fin.neighbours_read = (all & NEIGHBOR_PROBES) != 0;
	fin.neighbour_rows = fin.neighbours_read ? c.nneighbor : 0;
	fin.no_registry = "not loaded: no neighbour probe";
	fin.oui = o->oui;
	fin.uplink_macs = o->uplink_macs;
	fin.onus = (all & PROBE_BIT(PROBE_ONU)) != 0;
	if (c.ws.an != NULL) {
		/* A host with rows but never done (none expected) too. */
		for (i = 0; !c.ws.park && i < c.ntargets; i++)
			if (c.ws.rows[i] != NULL && analyze_host(c.ws.an,
			    c.ws.host_ids[i], &c.ws.rows[i], err,
			    errlen) != 0)
				goto fail;
		fin.analyzed = c.ws.an;
		fin.analyzed_stats = &c.astats;
		if (c.ws.park) {
			fin.parked = c.ws.rows;
			fin.parked_ids = c.ws.host_ids;
			fin.nparked = c.ntargets;
		}
	}
	rc = runlife_finish(&rl, &fin, &tally, err, errlen);
	res->read_back = tally.read;
	res->located = tally.located;
	res->findings = tally.findings;
	res->leads = tally.leads;
	res->waived = tally.waived;
	goto out;
fail:
	/* The first error is the one reported; the writer stops after it. */
	writer_stop(c.w, NULL, 0);
	c.w = NULL;
	/* Keep what was gathered; the run is marked as not complete. */
	runlife_stop(&rl, RUN_FAILED, err, errlen);
out:
	store_defer(st, 0);
	/* The scan's rows are committed (or failed): SQLite checks again. */
	if (bulk && store_bulk(st, 0, rc == 0 ? err : NULL, errlen) != 0)
		rc = -1;
	for (i = 0; c.ws.rows != NULL && i < c.ntargets; i++)
		analyze_drop(c.ws.an, &c.ws.rows[i]);
	free(c.ws.rows);
	analyze_free(c.ws.an);
	free(c.ws.host_ids);
	free(c.assessed);
	free(probes);
	free(rates);
	return rc;
}
