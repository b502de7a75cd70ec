/*
 * The program's own allocations failing in store/, inputs/ and match/
 * (the harness: oom.h; the Makefile links every test_oom_*.c binary with
 * the C library's allocators wrapped).  SQLite's, libxml2's and jansson's
 * own allocations are not failed here (test_store_faults fails SQLite's).
 *
 * Each case -- a store scenario, the targets, credentials, rule pack and
 * sector loaders, the CSV, inventory and network-inventory parsers -- is
 * run once without faults (its result written as text) and then with a
 * fault at each of its allocations in turn (spread evenly when there are
 * many).  A call that meets a failed allocation must either fail with -1
 * and a message that says "out of memory" (not that the input is bad), or
 * succeed with the whole result (code that does without what it could not
 * allocate, a cache): never crash, never succeed with part of it.  The
 * sanitizer build adds: and leak nothing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred.h"
#include "fixture.h"
#include "import_csv.h"
#include "inventory.h"
#include "match.h"
#include "netinv.h"
#include "oom.h"
#include "resolution.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "target.h"
#include "util.h"

/* --- the driver ----------------------------------------------------------- */

/*
 * A case: does its work, writes what it got into sum (the same text for
 * the same result), returns 0 or -1 with a message in err.
 */
typedef int (*case_fn)(char *sum, size_t sumlen, char *err, size_t errlen);

#define SUMLEN	4096
#define MAXRUNS	400	/* faults per case at most */

static char dir[64];

static const char *
tmp(const char *name)
{
	static char p[2][128];
	static int i;

	i = (i + 1) % 2;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/*
 * Runs fn without faults, then with a fault at each of its allocations
 * (at most MAXRUNS of them, spread evenly).  Returns how many faults made
 * it fail.
 */
static long faults_of(const char *, case_fn, enum oom_who);

static long
faults(const char *name, case_fn fn)
{
	return faults_of(name, fn, OOM_OURS);
}

/* The same, failing who's allocations (OOM_JANSSON: the JSON trees). */
static long
faults_of(const char *name, case_fn fn, enum oom_who who)
{
	char want[SUMLEN], got[SUMLEN], err[ERRLEN];
	long total, step, at, runs = 0, failed = 0;
	int rc, injected;

	/* Armed at an allocation that never comes: they are counted. */
	oom_arm(who, LONG_MAX);
	err[0] = '\0';
	rc = fn(want, sizeof(want), err, sizeof(err));
	total = oom_count();
	oom_disarm();
	if (rc != 0)
		fail_msg("%s without faults: %s", name, err);
	assert_true(total > 0);
	step = total / MAXRUNS > 1 ? total / MAXRUNS : 1;
	for (at = 1; at <= total; at += step) {
		oom_arm(who, at);
		err[0] = '\0';
		got[0] = '\0';
		rc = fn(got, sizeof(got), err, sizeof(err));
		injected = oom_fired();
		oom_disarm();
		runs++;
		if (getenv("FAULTS_DEBUG") != NULL)
			fprintf(stderr, "%s: fault at %ld: %d %s\n", name, at,
			    rc, rc != 0 ? err : "");
		if (rc != 0) {
			if (!injected)
				fail_msg("%s failed with no fault: %s", name,
				    err);
			/* Said as such, not as bad input. */
			if (strstr(err, "out of memory") == NULL)
				fail_msg("%s: fault at %ld: the message does "
				    "not say out of memory: '%s'", name, at,
				    err);
			failed++;
			continue;
		}
		/* Succeeded: with all of it. */
		if (strcmp(got, want) != 0)
			fail_msg("%s: fault at %ld: succeeded with\n%s\nnot\n%s",
			    name, at, got, want);
	}
	print_message("%s: %ld allocations, %ld faults, %ld failed with a "
	    "message, the others succeeded whole\n", name, total, runs,
	    failed);
	return failed;
}

static void
sum_add(char *sum, size_t len, const char *fmt, ...)
{
	size_t o = strlen(sum);
	va_list ap;

	if (o >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(sum + o, len - o, fmt, ap);
	va_end(ap);
}

/*
 * The file at path, whole, read once (its allocation is not one of the
 * case's); borrowed until slurp_free().
 */
static struct {
	const char	*path;
	char		*buf;
	size_t		 len;
} files[16];

static const char *
slurp(const char *path, size_t *len)
{
	FILE *fp;
	char *buf;
	long n;
	size_t i;

	for (i = 0; i < NELEM(files) && files[i].path != NULL; i++)
		if (strcmp(files[i].path, path) == 0) {
			*len = files[i].len;
			return files[i].buf;
		}
	assert_true(i < NELEM(files));
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	files[i].path = path;
	files[i].buf = buf;
	files[i].len = (size_t)n;
	*len = (size_t)n;
	return buf;
}

static void
slurp_free(void)
{
	size_t i;

	for (i = 0; i < NELEM(files); i++) {
		free(files[i].buf);
		files[i].path = NULL;
		files[i].buf = NULL;
	}
}

/* --- the store ------------------------------------------------------------ */

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define NOBS	1500	/* more than the writer's first buffer holds */

static int
count_finding(void *arg, const struct finding_row *r)
{
	char *sum = arg;

	sum_add(sum, SUMLEN, "finding %s %s ev %zu%s\n", r->f.finding_id,
	    r->status, r->f.nevidence, r->unverified ? " unverified" : "");
	return 0;
}

static int
store_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct store *s = NULL;
	struct run_info ri;
	struct host_info hi;
	struct observation o;
	struct coverage c;
	struct finding f;
	char item[16], src[64], val[32], fid[FINDING_ID_LEN];
	int64_t r1, r2, r3, h = 0, ev[3], *ids = NULL;
	size_t i, n, nids = 0;
	int rc = -1;

	sum[0] = '\0';
	unlink(tmp("oom.db"));
	unlink(tmp("oom.db-wal"));
	unlink(tmp("oom.db-shm"));
	if (store_open(tmp("oom.db"), STORE_WRITE, &s, err, errlen) != 0)
		return -1;
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "oom";
	ri.label = "allocation faults";
	ri.started = T0;
	if (store_run_begin(s, &ri, err, errlen) != 0)
		goto out;
	r1 = ri.id;
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	hi.h.name = "host-1";
	hi.mac = "00:11:22:33:44:55";
	if (store_host(s, r1, &hi, &h, err, errlen) != 0)
		goto out;
	for (i = 0; i < NOBS; i++) {
		memset(&o, 0, sizeof(o));
		snprintf(item, sizeof(item), "%zu", i % 500 + 1);
		/* Sources under more prefixes than the writer caches. */
		snprintf(src, sizeof(src), "1.3.6.1.4.1.%zu.1.%s", i / 16,
		    item);
		snprintf(val, sizeof(val), "package-%zu", i);
		o.kind = OBS_SOFTWARE;
		o.item = item;
		o.attr = "name";
		o.source = src;
		o.vtype = VAL_TEXT;
		o.value = val;
		o.len = strlen(val);
		if (store_observation(s, r1, h, CHAN_SNMP, &o,
		    i < NELEM(ev) ? &ev[i] : NULL, err, errlen) != 0)
			goto out;
	}
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = COV_OK;
	c.detail = "all of it";
	if (store_coverage(s, r1, h, &c, err, errlen) != 0)
		goto out;
	if (finding_id_make("mac:00:11:22:33:44:55", "kes", fid) != 0)
		goto out;
	memset(&f, 0, sizeof(f));
	f.run = r1;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = "kes";
	f.severity = "high";
	f.evidence = "package-0";
	f.evidence_ids = ev;
	f.nevidence = NELEM(ev);
	if (store_finding(s, &f, err, errlen) != 0 ||
	    store_run_end(s, r1, RUN_COMPLETE, err, errlen) != 0)
		goto out;
	/* A second run that does not assess the host carries the finding. */
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "oom";
	ri.started = T0 + 86400;
	if (store_run_begin(s, &ri, err, errlen) != 0)
		goto out;
	r2 = ri.id;
	if (store_host(s, r2, &hi, &h, err, errlen) != 0)
		goto out;
	c.status = COV_TIMEOUT;
	if (store_coverage(s, r2, h, &c, err, errlen) != 0 ||
	    resolution_carry(s, r2, &n, err, errlen) != 0)
		goto out;
	sum_add(sum, sumlen, "carried %zu\n", n);
	if (store_run_end(s, r2, RUN_COMPLETE, err, errlen) != 0)
		goto out;
	/* A third run carries from the second by hand. */
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "oom";
	ri.started = T0 + 2 * 86400;
	if (store_run_begin(s, &ri, err, errlen) != 0)
		goto out;
	r3 = ri.id;
	if (store_carry_candidates(s, r3, &ids, &nids, err, errlen) != 0)
		goto out;
	for (i = 0; i < nids; i++)
		if (store_carry_finding(s, r3, ids[i], "timeout", err,
		    errlen) != 0)
			goto out;
	if (store_run_end(s, r3, RUN_COMPLETE, err, errlen) != 0)
		goto out;
	store_close(s);
	/* Read back through a reader. */
	if (store_open(tmp("oom.db"), STORE_READ, &s, err, errlen) != 0)
		goto out;
	if (store_run_get(s, r1, &ri, err, errlen) != 0)
		goto out;
	sum_add(sum, sumlen, "run %s %s %s\n", ri.kind, ri.scope, ri.label);
	n = 0;
	if (store_each_observation(s, r1, 0, tally_obs, &n, err, errlen) != 0)
		goto out;
	sum_add(sum, sumlen, "observations %zu\n", n);
	if (store_each_finding(s, r1, count_finding, sum, err, errlen) != 0 ||
	    store_each_finding(s, r2, count_finding, sum, err, errlen) != 0 ||
	    store_each_finding(s, r3, count_finding, sum, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	free(ids);
	store_close(s);
	return rc;
}

static void
test_store(void **state)
{
	char sum[SUMLEN], err[ERRLEN];

	(void)state;
	/* The scenario is worth its faults: a finding carried twice. */
	if (store_case(sum, sizeof(sum), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (strstr(sum, "carried 1\n") == NULL ||
	    strstr(sum, "observations 1500\n") == NULL ||
	    strstr(sum, "persisting ev 3 unverified") == NULL)
		fail_msg("the store scenario gave:\n%s", sum);
	assert_true(faults("store", store_case) > 0);
}

/*
 * A merge of the store scenario's file (built once, without faults) into
 * a new central database, in each mode: hosts mapped by their keys, the
 * runs' scope and origin built, observations and evidence copied.
 */
static int
merge_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct store *c = NULL;
	struct merge_stats ms;
	enum merge_mode mode;
	int rc = -1;

	sum[0] = '\0';
	for (mode = MERGE_EVIDENCE; mode <= MERGE_FULL; mode++) {
		unlink(tmp("central.db"));
		unlink(tmp("central.db-wal"));
		unlink(tmp("central.db-shm"));
		if (store_open(tmp("central.db"), STORE_WRITE, &c, err,
		    errlen) != 0)
			return -1;
		memset(&ms, 0, sizeof(ms));
		if (store_merge_as(c, tmp("site.db"), mode, &ms, err,
		    errlen) != 0)
			goto out;
		sum_add(sum, sumlen, "mode %d: runs %zu hosts %zu+%zu obs %zu "
		    "findings %zu\n", (int)mode, ms.runs, ms.hosts_new,
		    ms.hosts_matched, ms.observations, ms.findings);
		store_close(c);
		c = NULL;
	}
	rc = 0;
out:
	store_close(c);
	return rc;
}

static void
test_merge(void **state)
{
	char sum[SUMLEN], err[ERRLEN];

	(void)state;
	if (store_case(sum, sizeof(sum), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (rename(tmp("oom.db"), tmp("site.db")) != 0)
		fail_msg("rename: %s", strerror(errno));
	if (merge_case(sum, sizeof(sum), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	/* Three runs, one host; the evidence (3) or every row (1,500). */
	if (strstr(sum, "mode 0: runs 3 hosts 1+0 obs 3 findings 3\n") ==
	    NULL || strstr(sum, "mode 1: runs 3 hosts 1+0 obs 1500 findings "
	    "3\n") == NULL)
		fail_msg("the merge gave:\n%s", sum);
	assert_true(faults("merge", merge_case) > 0);
}

/* --- inputs --------------------------------------------------------------- */

static int
targets_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct target_list tl;
	size_t i;

	sum[0] = '\0';
	memset(&tl, 0, sizeof(tl));
	if (target_list_load("tests/data/targets/good.csv", &tl, err,
	    errlen) != 0)
		return -1;
	for (i = 0; i < tl.n; i++) {
		char hp[300];

		target_hostport(&tl.v[i], hp, sizeof(hp));
		sum_add(sum, sumlen, "%s\n", hp);
	}
	target_list_free(&tl);
	return 0;
}

static int
creds_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct cred_set cs;
	size_t i;

	sum[0] = '\0';
	memset(&cs, 0, sizeof(cs));
	if (cred_set_load(tmp("creds.ini"), &cs, err, errlen) != 0)
		return -1;
	for (i = 0; i < cs.n; i++)
		sum_add(sum, sumlen, "%s\n", cs.v[i].name);
	cred_set_free(&cs);
	return 0;
}

static void
test_targets_creds(void **state)
{
	size_t len;
	const char *buf;
	int fd;

	(void)state;
	faults("targets", targets_case);
	/* The credentials file must be the user's own, mode 0600. */
	buf = slurp("tests/data/creds/good.ini", &len);
	fd = open(tmp("creds.ini"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	/* With the CA file it names, beside it. */
	buf = slurp("tests/data/creds/ca.pem", &len);
	fd = open(tmp("ca.pem"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	faults("credentials", creds_case);
}

/* An import sink that writes what it is given into the sum. */
struct sink_sum {
	char	*sum;
	size_t	 len;
	size_t	 nobs;
};

static int
csv_host(void *arg, const struct import_csv_host *h)
{
	struct sink_sum *ss = arg;

	sum_add(ss->sum, ss->len, "host %u %s\n", h->line,
	    h->h.address != NULL ? h->h.address : h->h.name);
	return 0;
}

static int
sink_obs(void *arg, const struct observation *o)
{
	struct sink_sum *ss = arg;

	ss->nobs++;
	sum_add(ss->sum, ss->len, "%s %s %s %.*s\n", obs_kind_name(o->kind),
	    o->item, o->attr, (int)(o->len > 40 ? 40 : o->len),
	    (const char *)o->value);
	return 0;
}

static const char *csv_file;

static int
csv_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct import_csv_sink sink;
	struct import_csv_stats st;
	struct sink_sum ss = { sum, sumlen, 0 };
	size_t len;
	const char *buf;
	int rc;

	sum[0] = '\0';
	buf = slurp(csv_file, &len);
	sink.arg = &ss;
	sink.host = csv_host;
	sink.observe = sink_obs;
	rc = import_csv_parse(csv_file, buf, len, &sink, &st, err, errlen);
	if (rc == 0)
		sum_add(sum, sumlen, "%s rows %zu hosts %zu software %zu\n",
		    st.kind, st.rows, st.hosts, st.software);
	return rc;
}

static void
test_import_csv(void **state)
{
	static const char *const csvs[] = {
		"tests/data/import/generic.csv",
		"tests/data/import/glpi.csv",
		"tests/data/import/intune.csv",
		"tests/data/import/synonyms.csv",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(csvs); i++) {
		csv_file = csvs[i];
		faults(csvs[i], csv_case);
	}
}

static int
inv_identity(void *arg, const struct inventory_identity *id)
{
	struct sink_sum *ss = arg;

	sum_add(ss->sum, ss->len, "identity %s %s %zu\n",
	    id->uuid ? id->uuid : "-", id->name ? id->name : "-", id->nmacs);
	return 0;
}

static const char *inv_file;

static int
inventory_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct inventory_sink sink;
	struct sink_sum ss = { sum, sumlen, 0 };
	size_t len, n = strlen(inv_file);
	const char *buf;
	enum inventory_rc rc;

	sum[0] = '\0';
	buf = slurp(inv_file, &len);
	sink.arg = &ss;
	sink.identity = inv_identity;
	sink.observe = sink_obs;
	if (n > 5 && strcmp(inv_file + n - 5, ".json") == 0)
		rc = inventory_json_parse(buf, len, NULL, &sink, NULL, err,
		    errlen);
	else
		rc = inventory_xml_parse(buf, len, NULL, &sink, NULL, err,
		    errlen);
	sum_add(sum, sumlen, "%zu observations\n", ss.nobs);
	return rc == INV_OK ? 0 : -1;
}

static int
net_device(void *arg, const struct netinv_device *d)
{
	struct sink_sum *ss = arg;

	sum_add(ss->sum, ss->len, "device %s %s %s %s\n", d->element,
	    d->ip ? d->ip : "-", d->mac ? d->mac : "-", d->coverage);
	return 0;
}

static int
netinv_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct netinv_sink sink;
	struct netinv_stats st;
	struct sink_sum ss = { sum, sumlen, 0 };
	size_t len, n = strlen(inv_file);
	const char *buf;
	enum inventory_rc rc;

	sum[0] = '\0';
	buf = slurp(inv_file, &len);
	sink.arg = &ss;
	sink.device = net_device;
	sink.observe = sink_obs;
	if (n > 5 && strcmp(inv_file + n - 5, ".json") == 0)
		rc = netinv_json_parse(buf, len, NULL, &sink, &st, err,
		    errlen);
	else
		rc = netinv_xml_parse(buf, len, NULL, &sink, &st, err, errlen);
	if (rc == INV_OK)
		sum_add(sum, sumlen, "%zu observations, %zu devices, %zu "
		    "ports, %zu macs\n", ss.nobs, st.devices, st.ports,
		    st.macs);
	return rc == INV_OK ? 0 : -1;
}

static void
test_inventories(void **state)
{
	static const char *const inv[] = {
		"tests/data/agent/debian12.xml",
		"tests/data/agent/windows-kes.xml",
		"tests/data/import/kes-after.json",
	};
	static const char *const net[] = {
		"tests/data/netinv/fi/netinventory/01-telecom-huawei-s6720.xml",
		"tests/data/netinv/fi/netdiscovery/10-localgov-hikvision-cam.xml",
		"tests/data/netinv/glpi/01-telecom-huawei-s6720.json",
		"tests/data/netinv/glpi/10-localgov-hikvision-cam-discovery.json",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(inv); i++) {
		inv_file = inv[i];
		faults(inv[i], inventory_case);
	}
	for (i = 0; i < NELEM(net); i++) {
		inv_file = net[i];
		faults(net[i], netinv_case);
	}
	/*
	 * A network inventory in XML becomes a jansson tree: each of its
	 * allocations fails in turn.  jansson's own JSON parser reports
	 * some of its failed allocations as syntax errors (a library
	 * limit), so of a JSON document only the first is failed, which
	 * jansson records nothing for: that must say out of memory too.
	 */
	oom_hook_jansson();
	for (i = 0; i < 2; i++) {
		inv_file = net[i];
		faults_of(net[i], netinv_case, OOM_JANSSON);
	}
	for (i = 2; i < NELEM(net) + 1; i++) {
		char sum[SUMLEN], err[ERRLEN];

		inv_file = i < NELEM(net) ? net[i] : inv[2];
		oom_arm(OOM_JANSSON, 1);
		err[0] = '\0';
		assert_int_equal(i < NELEM(net) ? netinv_case(sum,
		    sizeof(sum), err, sizeof(err)) : inventory_case(sum,
		    sizeof(sum), err, sizeof(err)), -1);
		assert_true(oom_fired());
		oom_disarm();
		if (strstr(err, "out of memory") == NULL)
			fail_msg("%s: '%s'", inv_file, err);
	}
}

/* --- match ---------------------------------------------------------------- */

static int
rules_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct rule_pack *p = NULL;

	sum[0] = '\0';
	if (rules_load("rules", &p, err, errlen) != 0)
		return -1;
	sum_add(sum, sumlen, "%zu regulations, %zu rules, %zu signatures\n",
	    p->nregs, p->nrules, p->nsigs);
	rules_free(p);
	return 0;
}

static int
sectors_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct sector_set set;
	size_t i;

	sum[0] = '\0';
	memset(&set, 0, sizeof(set));
	if (sector_set_load("sectors", &set, err, errlen) != 0)
		return -1;
	for (i = 0; i < set.n; i++)
		sum_add(sum, sumlen, "%s\n", set.v[i]->name);
	sector_set_free(&set);
	return 0;
}

/*
 * The matcher on one host of the real pack: a Kaspersky install seen
 * through more packages than a hit keeps as evidence, a Huawei router
 * behind an H3C banner (a look-alike), a Hikvision camera.
 */
static struct rule_pack *pack;
static struct obs_row rows[64];
static size_t nrows;
static char names[40][48];

static void
add_row(enum obs_kind k, const char *item, const char *attr, const char *v)
{
	struct obs_row *r = &rows[nrows];

	assert_true(nrows < NELEM(rows));
	memset(r, 0, sizeof(*r));
	r->id = (int64_t)nrows + 1;
	r->host = 1;
	r->obs.kind = k;
	r->obs.item = item;
	r->obs.attr = attr;
	r->obs.value = v;
	r->obs.len = strlen(v);
	nrows++;
}

static int
match_case(char *sum, size_t sumlen, char *err, size_t errlen)
{
	struct match_result res;
	size_t i, k;

	sum[0] = '\0';
	if (match_host(pack, rows, nrows, &res, err, errlen) != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		const struct match_hit *v = k ? res.lookalikes : res.hits;
		size_t n = k ? res.nlookalikes : res.nhits;

		for (i = 0; i < n; i++)
			sum_add(sum, sumlen, "%s %s evidence %zu of %zu "
			    "score %d %s\n", k ? "look-alike" : "hit",
			    v[i].rule->id, v[i].n, v[i].total, v[i].score,
			    v[i].confidence);
	}
	match_result_free(&res);
	return 0;
}

static void
test_rules_sectors(void **state)
{
	char err[ERRLEN];
	size_t i;

	(void)state;
	assert_true(faults("rule pack", rules_case) > 0);
	assert_true(faults("sectors", sectors_case) > 0);

	if (rules_load("rules", &pack, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	nrows = 0;
	for (i = 0; i < NELEM(names); i++) {
		snprintf(names[i], sizeof(names[i]), "%zu", i + 1);
		add_row(OBS_SOFTWARE, names[i], "name", i % 2 ?
		    "Kaspersky Endpoint Security for Windows" : "kesl");
	}
	add_row(OBS_SOFTWARE, "1", "publisher", "AO Kaspersky Lab");
	add_row(OBS_PROCESS, "77", "name", "avp.exe");
	add_row(OBS_SYSTEM, "", "descr", "Huawei-3Com Versatile Routing "
	    "Platform Software");
	add_row(OBS_SYSTEM, "", "objectid", "1.3.6.1.4.1.2011.10.1");
	add_row(OBS_VENDOR, "hikvision", "devicetype", "DS-2CD2143G0-I");
	{
		char sum[SUMLEN];

		assert_int_equal(match_case(sum, sizeof(sum), err,
		    sizeof(err)), 0);
		/* The case is worth its faults: hits, a cap, a look-alike. */
		if (strstr(sum, "evidence 32 of 42") == NULL ||
		    strstr(sum, "look-alike ") == NULL ||
		    strstr(sum, "hikvision") == NULL)
			fail_msg("match_host gave:\n%s", sum);
	}
	assert_true(faults("match_host", match_case) > 0);
	rules_free(pack);
	pack = NULL;
}

static int
setup(void **state)
{
	(void)state;
	/* In memory where there is a tmpfs: the store case syncs often. */
	str_copy(dir, access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm/test_oom.XXXXXX" : "/tmp/test_oom.XXXXXX", sizeof(dir));
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	oom_disarm();
	slurp_free();
	rm_tree(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_targets_creds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_csv, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inventories, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rules_sectors, setup,
		    teardown),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	inventory_cleanup();
	return rc;
}
