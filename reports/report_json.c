/*
 * report_json: the machine-readable reports, written with jansson --
 * "json" (one document: the run, its counts, findings, leads, coverage
 * and hosts -- phones and endpoints apart from network equipment,
 * report_hosts.h) and "jsonl" (one finding per line, for SIEM ingestion).
 * Field names follow the CSV columns; docs/report.schema.json is the
 * schema, and the tests validate real output against it.  Text from the
 * network that is not valid UTF-8 has its bad bytes replaced by U+FFFD, so
 * the output is always valid JSON.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report.h"
#include "report_absent.h"
#include "report_estate.h"
#include "report_hosts.h"
#include "util.h"

#define JSON_FORMAT_VERSION	1

/* A JSON string of s (NULL: null); invalid UTF-8 bytes become U+FFFD. */
static json_t *
jstr(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	json_t *j;
	char *buf;
	size_t n, i, k, at = 0;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	if (j != NULL)
		return j;
	n = strlen(s);
	buf = malloc(3 * n + 1);
	if (buf == NULL)
		return NULL;
	for (i = 0; i < n; i += k) {
		k = utf8_len(u + i, n - i);
		if (k == 0) {
			memcpy(buf + at, "\xef\xbf\xbd", 3);
			at += 3;
			k = 1;
		} else {
			memcpy(buf + at, s + i, k);
			at += k;
		}
	}
	buf[at] = '\0';
	j = json_string(buf);
	free(buf);
	return j;
}

static json_t *
jdate(int64_t t)
{
	char buf[16];

	if (t <= 0)
		return json_null();
	fmt_date(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
jtime(int64_t t)
{
	char buf[32];

	if (t <= 0)
		return json_null();
	fmt_time(t, buf, sizeof(buf));
	return json_string(buf);
}

/* Sets key on o; a failed allocation marks *oom. */
static void
put(json_t *o, const char *key, json_t *v, int *oom)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*oom = 1;
}

struct jctx {
	struct store		*st;
	const struct report_opts *opts;
	FILE			*fp;
	json_t			*array;	/* NULL: jsonl, one line each */
	int			 estate;	/* rows name their run */
	int64_t			 run;
	const char		*uuid;
	int			 oom;
	int			 werr;
	/* Notes of a ban elsewhere by host identity (host_cb()). */
	json_t			*elsewhere;
	/* Hosts by kind, and of those with open findings. */
	size_t			 kinds[REPORT_HOST__COUNT];
	size_t			 kinds_open[REPORT_HOST__COUNT];
};

static int
keep(const struct jctx *x, const char *sector)
{
	return report_sector_kept(x->opts, sector);
}

/* Adds o to the array, or writes it as one line; 1 stops the iteration. */
static int
emit(struct jctx *x, json_t *o)
{
	if (o == NULL || x->oom) {
		json_decref(o);
		x->oom = 1;
		return 1;
	}
	if (x->array != NULL) {
		if (json_array_append_new(x->array, o) != 0) {
			x->oom = 1;
			return 1;
		}
		return 0;
	}
	if (json_dumpf(o, x->fp, JSON_COMPACT) != 0 ||
	    fputc('\n', x->fp) == EOF)
		x->werr = 1;
	json_decref(o);
	return x->werr;
}

/*
 * The object of a row that kept is 1 for (else NULL): a JSONL record of
 * kind record (not NULL) names its kind and run, an estate's row its run.
 * NULL with x->oom set when memory runs out, so that a row callback
 * returns x->oom after NULL: 0 for a row left out, 1 (stop) for no memory.
 */
static json_t *
row_open(struct jctx *x, int kept, const char *record)
{
	json_t *o;
	int *oom = &x->oom;

	if (!kept)
		return NULL;
	o = json_object();
	if (o == NULL) {
		x->oom = 1;
		return NULL;
	}
	if (x->array == NULL && record != NULL) {
		put(o, "record", json_string(record), oom);
		put(o, "run_id", json_integer(x->run), oom);
		put(o, "run_uuid", jstr(x->uuid), oom);
	} else if (x->estate)
		put(o, "run_id", json_integer(x->run), oom);
	return o;
}

static json_t *
run_object(const struct run_info *ri, int *oom)
{
	json_t *o = json_object();

	if (o == NULL) {
		*oom = 1;
		return NULL;
	}
	put(o, "id", json_integer(ri->id), oom);
	put(o, "uuid", jstr(ri->uuid), oom);
	put(o, "kind", jstr(ri->kind), oom);
	put(o, "status", jstr(run_status_name(ri->status)), oom);
	put(o, "label", jstr(ri->label), oom);
	put(o, "scope", jstr(ri->scope), oom);
	put(o, "sector", jstr(ri->sector), oom);
	put(o, "site", jstr(ri->site), oom);
	put(o, "started", jtime(ri->started), oom);
	put(o, "finished", jtime(ri->finished), oom);
	put(o, "tool_version", jstr(ri->tool_version), oom);
	put(o, "rules_version", jstr(ri->rules_version), oom);
	put(o, "oui_registry", jstr(ri->oui_registry), oom);
	put(o, "origin", jstr(ri->origin), oom);
	return o;
}

static int
finding_cb(void *arg, const struct finding_row *r)
{
	struct jctx *x = arg;
	const struct finding *f = &r->f;
	json_t *o;
	int *oom = &x->oom;

	o = row_open(x, keep(x, r->h.sector), "finding");
	if (o == NULL)
		return x->oom;
	put(o, "finding_id", jstr(f->finding_id), oom);
	put(o, "status", jstr(r->status), oom);
	put(o, "first_seen", jdate(r->first_seen), oom);
	put(o, "last_seen", jdate(r->last_seen), oom);
	put(o, "sector", jstr(r->h.sector), oom);
	put(o, "site", jstr(r->h.site), oom);
	put(o, "owner", jstr(r->h.owner), oom);
	put(o, "asset", jstr(f->asset), oom);
	put(o, "address", jstr(f->address), oom);
	put(o, "vendor", jstr(f->vendor), oom);
	put(o, "product", jstr(f->product), oom);
	put(o, "channel", jstr(f->channel), oom);
	put(o, "evidence", jstr(f->evidence), oom);
	put(o, "confidence", jstr(f->confidence), oom);
	put(o, "regulation", jstr(f->regulation), oom);
	put(o, "citation", jstr(f->citation), oom);
	put(o, "citation_url", jstr(f->citation_url), oom);
	put(o, "effective_date", jstr(f->effective_date), oom);
	put(o, "severity", jstr(f->severity), oom);
	put(o, "likelihood", json_integer(f->likelihood), oom);
	put(o, "impact", json_integer(f->impact), oom);
	put(o, "risk_score", json_integer(f->risk_score), oom);
	put(o, "risk_rating", jstr(f->risk_rating), oom);
	put(o, "recommended_action", jstr(f->recommended_action), oom);
	put(o, "due_date", jstr(f->due_date), oom);
	put(o, "waived_until", jstr(r->waived_until), oom);
	put(o, "waiver_reason", jstr(r->waiver_reason), oom);
	put(o, "unverified", json_boolean(r->unverified), oom);
	put(o, "note", r->unverified ? jstr(r->note != NULL ? r->note :
	    "the host was not assessed") : json_null(), oom);
	put(o, "host", jstr(r->host_identity), oom);
	return emit(x, o);
}

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct jctx *x = arg;
	json_t *o;
	int *oom = &x->oom;

	o = row_open(x, keep(x, r->h.sector), NULL);
	if (o == NULL)
		return x->oom;
	put(o, "lead_id", jstr(r->finding_id), oom);
	put(o, "seen", jdate(r->seen), oom);
	put(o, "sector", jstr(r->h.sector), oom);
	put(o, "site", jstr(r->h.site), oom);
	put(o, "owner", jstr(r->h.owner), oom);
	put(o, "asset", jstr(r->asset), oom);
	put(o, "address", jstr(r->address), oom);
	put(o, "vendor", jstr(r->vendor), oom);
	put(o, "product", jstr(r->product), oom);
	put(o, "channel", jstr(r->channel), oom);
	put(o, "evidence", jstr(r->evidence), oom);
	put(o, "confidence", jstr(r->confidence), oom);
	put(o, "reason", jstr(r->reason), oom);
	put(o, "host", jstr(r->host_identity), oom);
	return emit(x, o);
}

static int
coverage_cb(void *arg, const struct coverage_row *r)
{
	struct jctx *x = arg;
	json_t *o;
	int *oom = &x->oom;

	o = row_open(x, keep(x, r->h.sector), NULL);
	if (o == NULL)
		return x->oom;
	put(o, "host", jstr(r->host_identity), oom);
	put(o, "address", jstr(r->h.address), oom);
	put(o, "host_name", jstr(r->h.name), oom);
	put(o, "sector", jstr(r->h.sector), oom);
	put(o, "site", jstr(r->h.site), oom);
	put(o, "owner", jstr(r->h.owner), oom);
	put(o, "channel", jstr(channel_name(r->cov.channel)), oom);
	put(o, "probe", jstr(r->cov.probe), oom);
	put(o, "status", jstr(cov_status_name(r->cov.status)), oom);
	put(o, "detail", jstr(r->cov.detail), oom);
	put(o, "profile", jstr(r->cov.profile), oom);
	put(o, "elapsed_ms", json_integer(r->cov.elapsed_ms), oom);
	return emit(x, o);
}

static const char *
assess_name(enum assess_level a)
{
	switch (a) {
	case ASSESS_FULL:
		return "assessed";
	case ASSESS_PARTIAL:
		return "partially_assessed";
	case ASSESS_NONE:
		return "not_assessed";
	default:
		return "neighbour_only";
	}
}

static int	host_cb(void *, const struct report_host *);

/* A note of a ban elsewhere, into the array of its host. */
static int
elsewhere_cb(void *arg, const struct lead_row *r)
{
	struct jctx *x = arg;
	json_t *a, *o;
	const char *key = r->host_identity != NULL ? r->host_identity : "";
	int *oom = &x->oom;

	a = json_object_get(x->elsewhere, key);
	if (a == NULL) {
		a = json_array();
		if (a == NULL || json_object_set_new(x->elsewhere, key, a)) {
			x->oom = 1;
			return 1;
		}
	}
	o = json_object();
	if (o == NULL || json_array_append_new(a, o) != 0) {
		x->oom = 1;
		return 1;
	}
	put(o, "vendor", jstr(r->vendor), oom);
	put(o, "product", jstr(r->product), oom);
	put(o, "rule_id", jstr(r->rule_id), oom);
	put(o, "evidence", jstr(r->evidence), oom);
	put(o, "reason", jstr(r->reason), oom);
	return x->oom;
}

/* The hosts of run, each with its notes of a ban elsewhere. */
static int
hosts_of(struct jctx *x, int64_t run, char *err, size_t errlen)
{
	int rc;

	x->elsewhere = json_object();
	if (x->elsewhere == NULL) {
		x->oom = 1;
		return 0;
	}
	rc = store_each_elsewhere(x->st, run, elsewhere_cb, x, err, errlen);
	if (rc == 0 && !x->oom)
		rc = report_each_host(x->st, run, x->opts->sector, host_cb, x,
		    err, errlen);
	json_decref(x->elsewhere);
	x->elsewhere = NULL;
	return rc;
}

/* One host: who, where, what kind (phone, endpoint, network). */
static int
host_cb(void *arg, const struct report_host *h)
{
	struct jctx *x = arg;
	const struct host_row *r = h->row;
	json_t *o, *ne;
	int *oom = &x->oom;

	x->kinds[h->kind]++;
	x->kinds_open[h->kind] += h->open > 0;
	/* report_each_host() passes the hosts of the sector alone. */
	o = row_open(x, 1, NULL);
	if (o == NULL)
		return x->oom;
	put(o, "host", jstr(r->identity), oom);
	put(o, "address", jstr(r->h.address), oom);
	put(o, "host_name", jstr(r->h.name), oom);
	put(o, "kind", json_string(report_host_kind_name(h->kind)), oom);
	put(o, "sector", jstr(r->h.sector), oom);
	put(o, "site", jstr(r->h.site), oom);
	put(o, "owner", jstr(r->h.owner), oom);
	put(o, "jurisdiction", jstr(r->h.jurisdiction), oom);
	put(o, "criticality", r->h.criticality > 0 ?
	    json_integer(r->h.criticality) : json_null(), oom);
	put(o, "platform", jstr(h->platform), oom);
	put(o, "os", jstr(h->os), oom);
	put(o, "model", jstr(h->model), oom);
	put(o, "serial", jstr(h->serial), oom);
	put(o, "assessment", json_string(assess_name(h->assess)), oom);
	put(o, "findings_open", json_integer((json_int_t)h->open), oom);
	/* Not findings: products only another state bans. */
	ne = r->identity != NULL ? json_object_get(x->elsewhere,
	    r->identity) : NULL;
	put(o, "banned_elsewhere", ne != NULL ? json_incref(ne) :
	    json_array(), oom);
	return emit(x, o);
}

/*
 * The hosts of run's open findings that the run did not have (the
 * estate's): "not_in_run", their kind and inventory unknown to the run.
 */
static int
absent_hosts(struct jctx *x, int64_t run, char *err, size_t errlen)
{
	struct report_absent *v;
	json_t *o;
	size_t i, n;
	int *oom = &x->oom;

	if (report_absent(x->st, x->opts, run, &v, &n, err, errlen) != 0)
		return -1;
	for (i = 0; i < n && !x->oom; i++) {
		o = row_open(x, 1, NULL);
		if (o == NULL)
			break;
		put(o, "host", jstr(v[i].identity), oom);
		put(o, "address", jstr(v[i].address), oom);
		put(o, "host_name", jstr(v[i].name), oom);
		put(o, "kind", json_null(), oom);
		put(o, "sector", jstr(v[i].sector), oom);
		put(o, "site", jstr(v[i].site), oom);
		put(o, "owner", jstr(v[i].owner), oom);
		put(o, "jurisdiction", jstr(v[i].jurisdiction), oom);
		put(o, "criticality", v[i].criticality > 0 ?
		    json_integer(v[i].criticality) : json_null(), oom);
		put(o, "platform", json_null(), oom);
		put(o, "os", json_null(), oom);
		put(o, "model", json_null(), oom);
		put(o, "serial", json_null(), oom);
		put(o, "assessment", json_string("not_in_run"), oom);
		put(o, "findings_open", json_integer((json_int_t)v[i].open),
		    oom);
		put(o, "banned_elsewhere", json_array(), oom);
		(void)emit(x, o);
	}
	report_absent_free(v, n);
	return 0;
}

/* "host_kinds": per kind, the hosts and those with open findings. */
static json_t *
kinds_object(const struct jctx *x, int *oom)
{
	json_t *o = json_object(), *k;
	int i;

	if (o == NULL) {
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < REPORT_HOST__COUNT; i++) {
		k = json_object();
		if (k == NULL) {
			*oom = 1;
			break;
		}
		put(k, "hosts", json_integer((json_int_t)x->kinds[i]), oom);
		put(k, "with_open_findings", json_integer((json_int_t)
		    x->kinds_open[i]), oom);
		put(o, report_host_kind_name((enum report_host_kind)i), k,
		    oom);
	}
	return o;
}

static json_t *
counts_object(const struct report_counts *c, int *oom)
{
	json_t *o = json_object(), *r = json_object();

	if (o == NULL || r == NULL) {
		json_decref(o);
		json_decref(r);
		*oom = 1;
		return NULL;
	}
	put(o, "targets", json_integer((json_int_t)c->targets), oom);
	put(o, "assessed", json_integer((json_int_t)c->assessed), oom);
	put(o, "partially_assessed", json_integer((json_int_t)c->partial),
	    oom);
	put(o, "not_assessed", json_integer((json_int_t)c->not_assessed),
	    oom);
	put(o, "neighbour_only", json_integer((json_int_t)c->neighbour),
	    oom);
	put(o, "findings_open", json_integer((json_int_t)c->open), oom);
	put(o, "findings_new", json_integer((json_int_t)c->new_findings),
	    oom);
	put(o, "findings_persisting", json_integer((json_int_t)c->persisting),
	    oom);
	put(o, "findings_unverified", json_integer((json_int_t)c->unverified),
	    oom);
	put(o, "findings_resolved", json_integer((json_int_t)c->resolved),
	    oom);
	put(o, "findings_waived", json_integer((json_int_t)c->waived), oom);
	put(r, "critical", json_integer((json_int_t)
	    c->by_rating[REPORT_RATING_CRITICAL]), oom);
	put(r, "high", json_integer((json_int_t)
	    c->by_rating[REPORT_RATING_HIGH]), oom);
	put(r, "medium", json_integer((json_int_t)
	    c->by_rating[REPORT_RATING_MEDIUM]), oom);
	put(r, "low", json_integer((json_int_t)
	    c->by_rating[REPORT_RATING_LOW]), oom);
	put(r, "other", json_integer((json_int_t)
	    c->by_rating[REPORT_RATING_OTHER]), oom);
	put(o, "open_by_rating", r, oom);
	put(o, "overdue", json_integer((json_int_t)c->overdue), oom);
	put(o, "due_within_30_days", json_integer((json_int_t)c->due_30),
	    oom);
	put(o, "leads", json_integer((json_int_t)c->leads), oom);
	return o;
}

/*
 * A fresh array stored under key of root, where the rows go next
 * (x->array).  0, or 1 with x->oom set.
 */
static int
new_array(struct jctx *x, json_t *root, const char *key)
{
	x->array = json_array();
	if (x->array == NULL ||
	    json_object_set_new(root, key, x->array) != 0) {
		x->oom = 1;
		return 1;
	}
	return 0;
}

/* Runs one iteration into a fresh array stored under key. */
#define SECTION(key, call) do {						\
	if (new_array(&x, root, key) != 0)				\
		goto out;						\
	if ((call) != 0)						\
		goto out;						\
	if (x.oom)							\
		goto out;						\
} while (0)

int
report_json(struct store *s, const struct report_opts *opts, FILE *fp,
    char *err, size_t errlen)
{
	struct report_counts c;
	struct run_info ri;
	struct jctx x;
	json_t *root = NULL;
	int64_t prev;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.st = s;
	x.opts = opts;
	x.fp = fp;
	x.run = opts->run;
	if (report_counts(s, opts->run, opts->sector, &c, err, errlen) != 0 ||
	    store_previous_run(s, opts->run, &prev, err, errlen) != 0)
		return -1;
	root = json_object();
	if (root == NULL)
		goto oom;
	put(root, "format", json_string("banaudit-report"), &x.oom);
	put(root, "format_version", json_integer(JSON_FORMAT_VERSION),
	    &x.oom);
	put(root, "tool_version", json_string(BANAUDIT_VERSION), &x.oom);
	put(root, "sector_filter", jstr(opts->sector), &x.oom);
	if (prev != 0) {
		if (store_run_get(s, prev, &ri, err, errlen) != 0)
			goto out;
		put(root, "previous_run", run_object(&ri, &x.oom), &x.oom);
	} else
		put(root, "previous_run", json_null(), &x.oom);
	/* store_run_get()'s strings last until its next call. */
	if (store_run_get(s, opts->run, &ri, err, errlen) != 0)
		goto out;
	put(root, "run", run_object(&ri, &x.oom), &x.oom);
	put(root, "counts", counts_object(&c, &x.oom), &x.oom);
	if (x.oom)
		goto oom;
	SECTION("findings", store_each_finding(s, opts->run, finding_cb, &x,
	    err, errlen));
	SECTION("leads", store_each_lead(s, opts->run, lead_cb, &x, err,
	    errlen));
	SECTION("coverage", store_each_coverage(s, opts->run, coverage_cb,
	    &x, err, errlen));
	SECTION("hosts", hosts_of(&x, opts->run, err, errlen));
	put(root, "host_kinds", kinds_object(&x, &x.oom), &x.oom);
	if (x.oom)
		goto oom;
	if (json_dumpf(root, fp, JSON_INDENT(1)) != 0 ||
	    fputc('\n', fp) == EOF) {
		errf(err, errlen, "cannot write the report: %s",
		    strerror(errno != 0 ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && x.oom)
		errf(err, errlen, "cannot write the JSON report: %s",
		    strerror(ENOMEM));
	json_decref(root);
	return rc;
oom:
	x.oom = 1;
	goto out;
}

int
report_jsonl(struct store *s, const struct report_opts *opts, FILE *fp,
    char *err, size_t errlen)
{
	struct run_info ri;
	struct jctx x;
	const int64_t *runs;
	char *uuid;
	size_t i, n;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.st = s;
	x.opts = opts;
	x.fp = fp;
	n = report_runs_of(opts, &runs);
	for (i = 0; i < n && rc == 0 && !x.oom && !x.werr; i++) {
		if (store_run_get(s, runs[i], &ri, err, errlen) != 0)
			return -1;
		uuid = strdup(ri.uuid != NULL ? ri.uuid : "");
		if (uuid == NULL)
			return errf(err, errlen, "out of memory");
		x.run = runs[i];
		x.uuid = uuid;
		rc = store_each_finding(s, runs[i], finding_cb, &x, err,
		    errlen);
		free(uuid);
	}
	if (rc != 0)
		return -1;
	if (x.oom)
		return errf(err, errlen, "cannot write the JSONL report: %s",
		    strerror(ENOMEM));
	if (x.werr || ferror(fp))
		return errf(err, errlen, "cannot write the report: %s",
		    strerror(errno != 0 ? errno : EIO));
	return 0;
}

/* The trend of one part: a point per complete run of its scope. */
static json_t *
trend_array(const struct estate_part *p, int *oom)
{
	static const char *const names[REPORT_RATING__COUNT] = {
		"critical", "high", "medium", "low", "other",
	};
	json_t *a = json_array(), *o, *r;
	size_t i, k;

	if (a == NULL) {
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < p->ntrend; i++) {
		o = json_object();
		r = json_object();
		if (o == NULL || r == NULL) {
			/* Both freed: o is in no array yet. */
			json_decref(o);
			json_decref(r);
			*oom = 1;
			break;
		}
		if (json_array_append_new(a, o) != 0) {
			json_decref(r);
			*oom = 1;
			break;
		}
		put(o, "run_id", json_integer(p->trend[i].run), oom);
		put(o, "started", jtime(p->trend[i].started), oom);
		put(o, "findings_open", json_integer((json_int_t)
		    p->trend[i].open), oom);
		for (k = 0; k < REPORT_RATING__COUNT; k++)
			put(r, names[k], json_integer((json_int_t)
			    p->trend[i].by_rating[k]), oom);
		put(o, "open_by_rating", r, oom);
	}
	return a;
}

/* Runs one iteration per part into a fresh array stored under key. */
#define PARTS(key, fn, cb) do {						\
	if (new_array(&x, root, key) != 0)				\
		goto out;						\
	for (i = 0; i < e->n; i++) {					\
		x.run = e->parts[i].run;				\
		if (fn(s, x.run, cb, &x, err, errlen) != 0)		\
			goto out;					\
		if (x.oom)						\
			goto out;					\
	}								\
} while (0)

int
report_json_estate(struct store *s, const struct report_opts *opts,
    const struct estate *e, FILE *fp, char *err, size_t errlen)
{
	struct run_info ri;
	struct jctx x;
	json_t *root = NULL, *parts, *o;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.st = s;
	x.opts = opts;
	x.fp = fp;
	x.estate = 1;
	root = json_object();
	parts = json_array();
	if (root == NULL || parts == NULL ||
	    json_object_set_new(root, "format", json_string(
	    "banaudit-estate")) != 0 ||
	    json_object_set_new(root, "format_version", json_integer(
	    JSON_FORMAT_VERSION)) != 0) {
		json_decref(parts);
		goto oom;
	}
	put(root, "tool_version", json_string(BANAUDIT_VERSION), &x.oom);
	put(root, "site_filter", jstr(opts->site), &x.oom);
	put(root, "sector_filter", jstr(opts->sector), &x.oom);
	put(root, "parts", parts, &x.oom);
	for (i = 0; i < e->n && !x.oom; i++) {
		o = json_object();
		if (o == NULL || json_array_append_new(parts, o) != 0)
			goto oom;
		if (store_run_get(s, e->parts[i].run, &ri, err, errlen) != 0)
			goto out;
		put(o, "site", jstr(e->parts[i].site), &x.oom);
		put(o, "scope", jstr(e->parts[i].scope), &x.oom);
		put(o, "run", run_object(&ri, &x.oom), &x.oom);
		put(o, "counts", counts_object(&e->parts[i].counts, &x.oom),
		    &x.oom);
		put(o, "trend", trend_array(&e->parts[i], &x.oom), &x.oom);
	}
	put(root, "counts", counts_object(&e->total, &x.oom), &x.oom);
	if (x.oom)
		goto oom;
	PARTS("findings", store_each_finding, finding_cb);
	PARTS("leads", store_each_lead, lead_cb);
	PARTS("coverage", store_each_coverage, coverage_cb);
	if (new_array(&x, root, "hosts") != 0)
		goto oom;
	for (i = 0; i < e->n; i++) {
		x.run = e->parts[i].run;
		if (hosts_of(&x, x.run, err, errlen) != 0 ||
		    absent_hosts(&x, x.run, err, errlen) != 0)
			goto out;
		if (x.oom)
			goto oom;
	}
	put(root, "host_kinds", kinds_object(&x, &x.oom), &x.oom);
	if (x.oom)
		goto oom;
	if (json_dumpf(root, fp, JSON_INDENT(1)) != 0 ||
	    fputc('\n', fp) == EOF) {
		errf(err, errlen, "cannot write the report: %s",
		    strerror(errno != 0 ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && x.oom)
		errf(err, errlen, "cannot write the JSON report: %s",
		    strerror(ENOMEM));
	json_decref(root);
	return rc;
oom:
	x.oom = 1;
	goto out;
}
