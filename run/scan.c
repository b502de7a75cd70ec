/*
 * scan: run bookkeeping, the collectors' sink, progress, then analysis.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "log.h"
#include "runlife.h"
#include "scan.h"
#include "util.h"

#define HOST_NAME_SHOWN	256	/* bytes of a device's name kept */
#define HOSTS_BATCH	256	/* targets in one store_host_many() */
/* Probes whose tables describe other devices. */
#define NEIGHBOR_PROBES	(PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) | \
	PROBE_BIT(PROBE_LLDP) | PROBE_BIT(PROBE_CDP) | \
	PROBE_BIT(PROBE_VLAN_FDB))

struct sink_ctx {
	struct store		*st;
	int64_t			 run;
	const struct target_list *targets;
	int64_t			*host_ids;	/* per target */
	unsigned char		*assessed;	/* per target: channel ok */
	size_t			 ntargets;
	size_t			 done;
	size_t			 nassessed;
	size_t			 nneighbor;	/* neighbour-table rows */
	int64_t			 start_ms;
	/*
	 * Matching as each host finishes (analyze.h), or NULL when the run
	 * is read back at the end; then rows, per target, the rows of the
	 * hosts in flight.
	 */
	struct analyze		*an;
	struct analyze_rows	**rows;
	struct analyze_stats	 astats;
	/*
	 * With an: a host's rows are parked when it is done (analyze.h) and
	 * matched after locate and onu, which may add rows to it.
	 */
	int			 park;
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
	int64_t id;

	if (c->failed || t >= c->ntargets)
		return -1;
	if (store_observation(c->st, c->run, c->host_ids[t], ch, o, &id,
	    c->err, sizeof(c->err)) != 0 ||
	    (c->an != NULL && analyze_add(c->an, &c->rows[t], id, ch, o,
	    c->err, sizeof(c->err)) != 0)) {
		c->failed = 1;
		return -1;
	}
	if (o->kind == OBS_NEIGHBOR)
		c->nneighbor++;
	/* The device's own name (sysName) names the host in reports. */
	if (o->kind == OBS_SYSTEM && strcmp(o->attr, "name") == 0 &&
	    o->len > 0) {
		char name[HOST_NAME_SHOWN];

		render_value(o->value, o->len, name, sizeof(name));
		if (store_host_name(c->st, c->run, c->host_ids[t], name,
		    c->err, sizeof(c->err)) != 0) {
			c->failed = 1;
			return -1;
		}
	}
	return 0;
}

static int
sink_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct sink_ctx *c = arg;

	if (c->failed || t >= c->ntargets)
		return -1;
	if (store_coverage(c->st, c->run, c->host_ids[t], cv, c->err,
	    sizeof(c->err)) != 0) {
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

/*
 * An agent told us which machine the target is.  The store resolves the
 * hints (UUID, serial, MAC, then the address); when they name another host
 * -- the same machine already known from an import or an earlier run --
 * the target becomes that host and what this run stored for it moves along.
 */
static int
sink_identify(void *arg, size_t t, const struct host_hints *hh)
{
	struct sink_ctx *c = arg;
	const struct target *tg;
	struct host_info hi;
	char hp[TARGET_HOSTPORT_MAX];
	int64_t id;

	if (c->failed || t >= c->ntargets)
		return -1;
	tg = &c->targets->v[t];
	target_hostport(tg, hp, sizeof(hp));
	memset(&hi, 0, sizeof(hi));
	hi.h = tg->h;
	hi.h.address = hp;
	hi.h.name = hh->name;
	hi.uuid = hh->uuid;
	hi.serial = hh->serial;
	hi.mac = hh->nmacs > 0 ? hh->macs[0] : NULL;
	if (store_host(c->st, c->run, &hi, &id, c->err, sizeof(c->err)) != 0)
		goto fail;
	if (id != c->host_ids[t]) {
		if (store_host_move(c->st, c->run, c->host_ids[t], id, c->err,
		    sizeof(c->err)) != 0)
			goto fail;
		c->host_ids[t] = id;
	}
	return 0;
fail:
	c->failed = 1;
	return -1;
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
	 * Its rows are all in: match them while they are at hand, or keep
	 * the few the matcher can use for after locate and onu.
	 */
	if (c->an != NULL && t < c->ntargets && !c->failed &&
	    (c->park ? analyze_park(c->an, &c->rows[t], c->err,
	    sizeof(c->err)) : analyze_host(c->an, c->host_ids[t],
	    &c->rows[t], c->err, sizeof(c->err))) != 0)
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
	int rc = -1, as_done;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.targets = o->targets;
	c.ntargets = o->targets->n;
	c.host_ids = calloc(c.ntargets ? c.ntargets : 1, sizeof(int64_t));
	c.assessed = calloc(c.ntargets ? c.ntargets : 1, 1);
	if (c.host_ids == NULL || c.assessed == NULL) {
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

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.label = o->label;
	ri.scope = o->scope;
	ri.sector = o->sector;
	ri.tool_version = BANAUDIT_VERSION;
	ri.rules_version = o->rules->version;
	if (runlife_begin(&rl, st, &ri, err, errlen) != 0)
		goto out;
	c.run = res->run = ri.id;
	res->targets = c.ntargets;
	if (add_hosts(st, ri.id, o->targets, c.host_ids, err, errlen) != 0 ||
	    no_channel(st, ri.id, o->targets, c.host_ids, err, errlen) != 0 ||
	    match_as_done(o->targets, c.host_ids, all, &as_done, &c.park,
	    err, errlen) != 0)
		goto fail;
	if (as_done) {
		c.rows = calloc(c.ntargets ? c.ntargets : 1,
		    sizeof(*c.rows));
		if (c.rows == NULL) {
			errf(err, errlen, "out of memory for %zu targets",
			    c.ntargets);
			goto fail;
		}
		if (analyze_begin(&c.an, st, ri.id, o->rules, o->sectors,
		    &c.astats, err, errlen) != 0)
			goto fail;
	}

	for (i = 0; collectors[i] != NULL; i++) {
		if ((collectors[i]->probes & all) == 0)
			continue;
		if (o->collect.stop != NULL && *o->collect.stop)
			break;
		if (run_collector(collectors[i], o, &co, &c, err,
		    errlen) != 0)
			goto fail;
	}
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
	if (c.an != NULL) {
		/* A host with rows but never done (none expected) too. */
		for (i = 0; !c.park && i < c.ntargets; i++)
			if (c.rows[i] != NULL && analyze_host(c.an,
			    c.host_ids[i], &c.rows[i], err, errlen) != 0)
				goto fail;
		fin.analyzed = c.an;
		fin.analyzed_stats = &c.astats;
		if (c.park) {
			fin.parked = c.rows;
			fin.parked_ids = c.host_ids;
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
	/* Keep what was gathered; the run is marked as not complete. */
	runlife_stop(&rl, RUN_FAILED, err, errlen);
out:
	for (i = 0; c.rows != NULL && i < c.ntargets; i++)
		analyze_drop(c.an, &c.rows[i]);
	free(c.rows);
	analyze_free(c.an);
	free(c.host_ids);
	free(c.assessed);
	free(probes);
	free(rates);
	return rc;
}
