/*
 * I/O faults under the store: a VFS of the test's own wraps SQLite's unix
 * VFS and makes the Nth read, write, sync or truncate fail -- once (a
 * transient I/O error) or from then on (a disk that stays full, a disk
 * that stopped answering).  A scenario that uses every kind of store call
 * on a database that already holds a finished run is run with a fault at
 * each of many points.  Every call that fails must return -1 with a
 * message that names the database and says why ("I/O error", "the disk is
 * full"); and, once the disk works again, the database must open, pass
 * SQLite's integrity check and hold everything that was stored before the
 * fault: the earlier run unchanged, every batch and run end the store said
 * it committed, a merge either whole or absent.  A migration that fails
 * half-way must leave the file at its old version with its rows.
 * (test_store_faults does the same for SQLite's allocations.)
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

#include <sqlite3.h>

#include "fixture.h"
#include "store.h"
#include "store_int.h"	/* store_schema_v1, for an old file */
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

/* --- the faulty VFS ----------------------------------------------------- */

enum fault {
	F_WRITE,	/* a write fails: SQLITE_IOERR_WRITE */
	F_FULL,		/* a write fails: SQLITE_FULL (the disk is full) */
	F_SYNC,		/* an fsync fails */
	F_READ,		/* a read fails */
	F__COUNT
};

static const char *const fault_name[F__COUNT] = {
	"write", "full", "sync", "read"
};

/*
 * What the message of a call failed by each fault must say (a read that
 * fails while SQLite opens a file is reported as "cannot open"; one in a
 * merge's PRAGMA quick_check of the site file as damage it reports).
 */
static const char *const fault_says[F__COUNT] = {
	"I/O error", "the disk is full", "I/O error", "I/O error"
};
static const char *const fault_says_too[F__COUNT] = {
	"I/O error", "the disk is full", "I/O error",
	"cannot open the database file"
};

static int
says_why(const char *msg, enum fault k)
{
	return strstr(msg, fault_says[k]) != NULL ||
	    strstr(msg, fault_says_too[k]) != NULL ||
	    (k == F_READ && strstr(msg, "PRAGMA quick_check: ") != NULL);
}

struct ffile {
	sqlite3_file	 base;
	sqlite3_file	*real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fvfs;
static sqlite3_io_methods fmethods;

static enum fault kind;
static long countdown = -1;	/* operations of kind until the fault */
static int sticky;		/* once failed, every later one fails */
static int injected;
static long nops;		/* operations of kind so far */

/* Does this operation (of fault class k) fail? */
static int
fault_now(enum fault k)
{
	int class = kind == F_FULL ? F_WRITE : kind;

	if (k != (enum fault)class)
		return 0;
	nops++;
	if (injected && sticky)
		return 1;
	if (countdown >= 0 && countdown-- == 0) {
		injected = 1;
		return 1;
	}
	return 0;
}

static int
f_close(sqlite3_file *f)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xClose(ff->real);
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	struct ffile *ff = (struct ffile *)f;

	if (fault_now(F_READ))
		return SQLITE_IOERR_READ;
	return ff->real->pMethods->xRead(ff->real, buf, n, off);
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	struct ffile *ff = (struct ffile *)f;

	if (fault_now(F_WRITE))
		return kind == F_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return ff->real->pMethods->xWrite(ff->real, buf, n, off);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct ffile *ff = (struct ffile *)f;

	if (fault_now(F_WRITE))
		return SQLITE_IOERR_TRUNCATE;
	return ff->real->pMethods->xTruncate(ff->real, size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
	struct ffile *ff = (struct ffile *)f;

	if (fault_now(F_SYNC))
		return SQLITE_IOERR_FSYNC;
	return ff->real->pMethods->xSync(ff->real, flags);
}

static int
f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xFileSize(ff->real, size);
}

static int
f_lock(sqlite3_file *f, int lock)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xLock(ff->real, lock);
}

static int
f_unlock(sqlite3_file *f, int lock)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xUnlock(ff->real, lock);
}

static int
f_reserved(sqlite3_file *f, int *out)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xCheckReservedLock(ff->real, out);
}

static int
f_control(sqlite3_file *f, int op, void *arg)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xFileControl(ff->real, op, arg);
}

static int
f_sector(sqlite3_file *f)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xSectorSize(ff->real);
}

static int
f_device(sqlite3_file *f)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xDeviceCharacteristics(ff->real);
}

static int
f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xShmMap(ff->real, pg, pgsz, extend, pp);
}

static int
f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xShmLock(ff->real, off, n, flags);
}

static void
f_shm_barrier(sqlite3_file *f)
{
	struct ffile *ff = (struct ffile *)f;

	ff->real->pMethods->xShmBarrier(ff->real);
}

static int
f_shm_unmap(sqlite3_file *f, int del)
{
	struct ffile *ff = (struct ffile *)f;

	return ff->real->pMethods->xShmUnmap(ff->real, del);
}

/* No memory-mapped pages: every read goes through f_read(). */
static int
f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	(void)f;
	(void)off;
	(void)n;
	*pp = NULL;
	return SQLITE_OK;
}

static int
f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static int
f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *outflags)
{
	struct ffile *ff = (struct ffile *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, outflags);
	ff->base.pMethods = ff->real->pMethods != NULL ? &fmethods : NULL;
	return rc;
}

/* Makes the faulty VFS SQLite's default (once per process). */
static int
vfs_install(void)
{
	if (real_vfs != NULL)
		return 0;
	real_vfs = sqlite3_vfs_find(NULL);
	if (real_vfs == NULL || real_vfs->iVersion < 1)
		return -1;
	fvfs = *real_vfs;
	fvfs.pNext = NULL;
	fvfs.zName = "banaudit-faulty";
	fvfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	fvfs.xOpen = f_open;
	memset(&fmethods, 0, sizeof(fmethods));
	fmethods.iVersion = 3;
	fmethods.xClose = f_close;
	fmethods.xRead = f_read;
	fmethods.xWrite = f_write;
	fmethods.xTruncate = f_truncate;
	fmethods.xSync = f_sync;
	fmethods.xFileSize = f_size;
	fmethods.xLock = f_lock;
	fmethods.xUnlock = f_unlock;
	fmethods.xCheckReservedLock = f_reserved;
	fmethods.xFileControl = f_control;
	fmethods.xSectorSize = f_sector;
	fmethods.xDeviceCharacteristics = f_device;
	fmethods.xShmMap = f_shm_map;
	fmethods.xShmLock = f_shm_lock;
	fmethods.xShmBarrier = f_shm_barrier;
	fmethods.xShmUnmap = f_shm_unmap;
	fmethods.xFetch = f_fetch;
	fmethods.xUnfetch = f_unfetch;
	return sqlite3_vfs_register(&fvfs, 1) == SQLITE_OK ? 0 : -1;
}

static void
faults_off(void)
{
	countdown = -1;
	sticky = 0;
	injected = 0;
}

/* --- files ---------------------------------------------------------------- */

static char dir[64];

static const char *
tmp(const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void
rm_db(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm",
	    "-journal" };
	char p[PATH_MAX + 80];
	size_t i;

	for (i = 0; i < NELEM(suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	rm_db(to);
	in = open(from, O_RDONLY);
	assert_true(in != -1);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(out != -1);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	close(out);
}

static int
setup(void **state)
{
	(void)state;
	/* In memory where there is a tmpfs: thousands of files, synced. */
	str_copy(dir, access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm/test_store_io.XXXXXX" : "/tmp/test_store_io.XXXXXX",
	    sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return -1;
	faults_off();
	return vfs_install();
}

static int
teardown(void **state)
{
	(void)state;
	faults_off();
	rm_tree(dir);
	return 0;
}

/* --- what a store holds, through its readers ------------------------------ */

/* A string that grows: the readers' rows, one per line. */
struct text {
	char	*s;
	size_t	 len, cap;
};

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s == NULL ? NULL : t->s + t->len,
		    t->cap - t->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->s != NULL && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 256;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	t->len += (size_t)n;
}

static int
fp_finding(void *arg, const struct finding_row *r)
{
	size_t i;

	text_add(arg, "finding %s %s %s %s %d|", r->f.finding_id,
	    r->f.rule_id, r->status, r->f.evidence, r->f.risk_score);
	for (i = 0; i < r->f.nevidence; i++)
		text_add(arg, " ev");
	text_add(arg, "\n");
	return 0;
}

static int
fp_obs(void *arg, const struct obs_row *r)
{
	text_add(arg, "obs %s %s %s %s %.*s\n", r->host_identity,
	    obs_kind_name(r->obs.kind), r->obs.item, r->obs.attr,
	    (int)r->obs.len, (const char *)r->obs.value);
	return 0;
}

static int
fp_cov(void *arg, const struct coverage_row *r)
{
	text_add(arg, "cov %s %s %s %s\n", r->host_identity,
	    r->cov.probe, cov_status_name(r->cov.status), r->cov.detail);
	return 0;
}

static int
fp_host(void *arg, const struct host_row *r)
{
	text_add(arg, "host %s %s %s\n", r->identity, r->h.address,
	    r->h.name != NULL ? r->h.name : "-");
	return 0;
}

/*
 * Everything the readers give of run: its row, hosts, observations,
 * coverage and findings, as text (caller frees); NULL with err on failure.
 */
static char *
snapshot(struct store *s, int64_t run, char *err, size_t errlen)
{
	struct text t = { NULL, 0, 0 };
	struct run_info ri;

	if (store_run_get(s, run, &ri, err, errlen) != 0)
		goto fail;
	text_add(&t, "run %lld %s %s %s %lld %s\n", (long long)ri.id,
	    ri.kind, run_status_name(ri.status), ri.scope, (long long)ri.started,
	    ri.uuid);
	if (store_each_host(s, run, fp_host, &t, err, errlen) != 0 ||
	    store_each_observation(s, run, 0, fp_obs, &t, err, errlen) != 0 ||
	    store_each_coverage(s, run, fp_cov, &t, err, errlen) != 0 ||
	    store_each_finding(s, run, fp_finding, &t, err, errlen) != 0)
		goto fail;
	return t.s;
fail:
	free(t.s);
	return NULL;
}

/* snapshot() as a store call: 0, or -1 with its message. */
static int
snapshot_ok(struct store *s, int64_t run, char **out, char *err,
    size_t errlen)
{
	*out = snapshot(s, run, err, errlen);
	return *out == NULL ? -1 : 0;
}

/* PRAGMA integrity_check of path, through a connection of its own. */
static void
integrity_ok(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *r;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	r = (const char *)sqlite3_column_text(st, 0);
	if (r == NULL || strcmp(r, "ok") != 0)
		fail_msg("%s: integrity_check: %s", path, r ? r : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* --- the scenario ---------------------------------------------------------- */

static void
obs_text(struct observation *o, enum obs_kind k, const char *item,
    const char *attr, const char *source, const char *v)
{
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->item = item;
	o->attr = attr;
	o->source = source;
	o->vtype = VAL_TEXT;
	o->value = v;
	o->len = strlen(v);
}

/*
 * One run of scope: nhosts hosts with nobs software rows each (SNMP
 * sources), coverage, a finding with evidence on each host.  flush_at:
 * after that many hosts, a store_flush().  Each call goes through CALL;
 * what was committed is recorded in *c.
 */
struct committed {
	int64_t	 run;		/* begun (committed at once) */
	size_t	 flushed_hosts;	/* hosts whose rows a flush committed */
	int	 ended;		/* store_run_end() succeeded */
	int	 merged;	/* store_merge_as() succeeded */
	int	 waived;	/* store_waiver_set() succeeded */
	int	 carried;	/* a store_carry_finding() succeeded */
	char	 failed[ERRLEN];	/* the first failed call's message */
	char	 call[64];	/* and the call */
};

#define NOBS	40

#define CALL(x) do {							\
	err[0] = '\0';							\
	if ((x) != 0) {							\
		if (err[0] == '\0')					\
			fail_msg("%s failed without a message", #x);	\
		str_copy(c->failed, err, sizeof(c->failed));		\
		str_copy(c->call, #x, sizeof(c->call));			\
		goto out;						\
	}								\
} while (0)

static int
one_run(struct store *s, const char *scope, int64_t started, size_t nhosts,
    size_t flush_at, struct committed *c, char *err, size_t errlen)
{
	struct run_info ri;
	struct host_info hi;
	struct observation o;
	struct coverage cv;
	struct finding f;
	char addr[32], item[16], src[64], val[64], fid[FINDING_ID_LEN];
	char ident[48];
	int64_t h, ob, first;
	size_t i, k;

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.label = "i/o faults";
	ri.started = started;
	CALL(store_run_begin(s, &ri, err, errlen));
	c->run = ri.id;
	for (i = 0; i < nhosts; i++) {
		if (i == flush_at) {
			CALL(store_flush(s, err, errlen));
			c->flushed_hosts = i;
		}
		snprintf(addr, sizeof(addr), "10.0.%zu.%zu", i / 200,
		    i % 200 + 1);
		memset(&hi, 0, sizeof(hi));
		hi.h.address = addr;
		hi.h.sector = "power";
		hi.h.criticality = 4;
		CALL(store_host(s, c->run, &hi, &h, err, errlen));
		first = 0;
		for (k = 0; k < NOBS; k++) {
			snprintf(item, sizeof(item), "%zu", k + 1);
			snprintf(src, sizeof(src),
			    "1.3.6.1.2.1.25.6.3.1.2.%zu", k + 1);
			snprintf(val, sizeof(val), "%s-%zu-package-%zu",
			    k == 0 ? "kesl" : "pkg", i, k);
			obs_text(&o, OBS_SOFTWARE, item, "name", src, val);
			CALL(store_observation(s, c->run, h, CHAN_SNMP, &o,
			    &ob, err, errlen));
			if (k == 0)
				first = ob;
		}
		memset(&cv, 0, sizeof(cv));
		cv.channel = CHAN_SNMP;
		cv.probe = "";
		cv.status = COV_OK;
		cv.detail = "40 values";
		CALL(store_coverage(s, c->run, h, &cv, err, errlen));
		CALL(store_host_name(s, c->run, h, addr, err, errlen));
		snprintf(ident, sizeof(ident), "addr:%s", addr);
		assert_int_equal(finding_id_make(ident, "kaspersky-endpoint",
		    fid), 0);
		memset(&f, 0, sizeof(f));
		f.run = c->run;
		f.host = h;
		f.finding_id = fid;
		f.rule_id = "kaspersky-endpoint";
		f.vendor = "Kaspersky";
		f.evidence = "software kesl";
		f.confidence = "high";
		f.severity = "critical";
		f.likelihood = 4;
		f.impact = 5;
		f.risk_score = 20;
		f.risk_rating = "critical";
		f.evidence_ids = &first;
		f.nevidence = 1;
		CALL(store_finding(s, &f, err, errlen));
	}
	CALL(store_run_set_oui(s, c->run, "ieee", err, errlen));
	CALL(store_run_end(s, c->run, RUN_COMPLETE, err, errlen));
	c->ended = 1;
	c->flushed_hosts = nhosts;
	return 0;
out:
	return -1;
}

#define HOSTS1	6	/* the baseline run */
#define HOSTS2	12	/* the faulted run; a flush after half */

/*
 * The faulted part, on a copy of the baseline: a second run of the scope
 * (a flush half-way), a third that does not assess the hosts and carries
 * the findings, a waiver, the readers, a merge of the site file.
 */
static int
faulted(const char *path, struct committed *c2, struct committed *c3)
{
	struct store *s = NULL;
	struct run_info ri;
	struct host_info hi;
	struct coverage cv;
	struct waiver w;
	struct merge_stats ms;
	struct committed *c = c2;
	char err[ERRLEN], fid[FINDING_ID_LEN], *snap = NULL;
	int64_t *ids = NULL, h, latest;
	size_t nids = 0, k, n;
	int rc = -1;

	memset(c2, 0, sizeof(*c2));
	memset(c3, 0, sizeof(*c3));
	CALL(store_open(path, STORE_WRITE, &s, err, sizeof(err)));
	if (one_run(s, "io", T0 + DAY, HOSTS2, HOSTS2 / 2, c2, err,
	    sizeof(err)) != 0)
		goto out;
	c = c3;
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "io";
	ri.started = T0 + 2 * DAY;
	CALL(store_run_begin(s, &ri, err, sizeof(err)));
	c3->run = ri.id;
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	CALL(store_host(s, c3->run, &hi, &h, err, sizeof(err)));
	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_SNMP;
	cv.probe = "";
	cv.status = COV_TIMEOUT;
	cv.detail = "no response";
	CALL(store_coverage(s, c3->run, h, &cv, err, sizeof(err)));
	CALL(store_carry_candidates(s, c3->run, &ids, &nids, err,
	    sizeof(err)));
	for (k = 0; k < nids; k++) {
		CALL(store_carry_finding(s, c3->run, ids[k], "not verified",
		    err, sizeof(err)));
		c3->carried = 1;
	}
	CALL(store_run_end(s, c3->run, RUN_COMPLETE, err, sizeof(err)));
	c3->ended = 1;
	memset(&w, 0, sizeof(w));
	assert_int_equal(finding_id_make("addr:10.0.0.1",
	    "kaspersky-endpoint", fid), 0);
	w.finding_id = fid;
	w.reason = "replacement ordered";
	w.until = "2099-12-31";
	CALL(store_waiver_set(s, &w, NULL, err, sizeof(err)));
	c3->waived = 1;
	CALL(store_latest_run(s, 1, &latest, err, sizeof(err)));
	n = 0;
	CALL(store_each_observation(s, c2->run, 0, tally_obs, &n, err,
	    sizeof(err)));
	CALL(snapshot_ok(s, 1, &snap, err, sizeof(err)));
	CALL(store_merge_check(s, tmp("site.db"), err, sizeof(err)));
	CALL(store_merge_as(s, tmp("site.db"), MERGE_FULL, &ms, err,
	    sizeof(err)));
	c3->merged = 1;
	rc = 0;
out:
	free(snap);
	free(ids);
	store_close(s);
	return rc;
}

static char *base_snap;	/* run 1 of the baseline, through the readers */
static size_t site_runs;

/* The baseline database (one finished run) and a site file to merge. */
static void
make_baseline(void)
{
	struct store *s;
	struct committed c;
	char err[ERRLEN];

	rm_db(tmp("base.db"));
	s = open_ok(tmp("base.db"), STORE_WRITE);
	if (one_run(s, "io", T0, HOSTS1, 3, &c, err, sizeof(err)) != 0)
		fail_msg("baseline: %s: %s", c.call, c.failed);
	free(base_snap);
	base_snap = snapshot(s, c.run, err, sizeof(err));
	if (base_snap == NULL)
		fail_msg("baseline: %s", err);
	store_close(s);

	rm_db(tmp("site.db"));
	s = open_ok(tmp("site.db"), STORE_WRITE);
	if (one_run(s, "north", T0, 3, 1, &c, err, sizeof(err)) != 0 ||
	    one_run(s, "north", T0 + DAY, 2, 1, &c, err, sizeof(err)) != 0)
		fail_msg("site: %s: %s", c.call, c.failed);
	site_runs = 2;
	store_close(s);
}

/*
 * After a faulted scenario, with the disk working again: the database
 * opens, is intact, and holds what was committed.
 */
static void
verify(const char *path, const struct committed *c2,
    const struct committed *c3)
{
	struct store *s;
	struct run_info ri;
	char err[ERRLEN], *snap;
	size_t n, nruns;
	int64_t r;

	integrity_ok(path);
	s = open_ok(path, STORE_WRITE);
	snap = snapshot(s, 1, err, sizeof(err));
	if (snap == NULL)
		fail_msg("run 1: %s", err);
	if (strcmp(snap, base_snap) != 0)
		fail_msg("run 1 changed after a fault in %s (%s):\n%s\n"
		    "want:\n%s", c2->call[0] ? c2->call : c3->call,
		    c2->call[0] ? c2->failed : c3->failed, snap, base_snap);
	free(snap);
	if (c2->run > 0) {
		assert_int_equal(store_run_get(s, c2->run, &ri, err,
		    sizeof(err)), 0);
		/* Running no more: ended, or marked when reopened. */
		assert_true(ri.status != RUN_RUNNING);
		if (c2->ended)
			assert_int_equal(ri.status, RUN_COMPLETE);
		n = 0;
		assert_int_equal(store_each_observation(s, c2->run, 0,
		    tally_obs, &n, err, sizeof(err)), 0);
		if (n < c2->flushed_hosts * NOBS)
			fail_msg("run 2 lost committed rows: %zu of %zu "
			    "(fault in %s: %s)", n, c2->flushed_hosts * NOBS,
			    c2->call, c2->failed);
		assert_true(n <= HOSTS2 * NOBS);
	}
	if (c3->run > 0) {
		assert_int_equal(store_run_get(s, c3->run, &ri, err,
		    sizeof(err)), 0);
		assert_true(ri.status != RUN_RUNNING);
		if (c3->ended)
			assert_int_equal(ri.status, RUN_COMPLETE);
	}
	/* A merge is whole or absent. */
	nruns = 0;
	assert_int_equal(store_each_run(s, tally_runs, &nruns, err,
	    sizeof(err)), 0);
	r = 1 + (c2->run > 0) + (c3->run > 0);
	if (c3->merged)
		assert_int_equal(nruns, (size_t)r + site_runs);
	else if (nruns != (size_t)r && nruns != (size_t)r + site_runs)
		fail_msg("%zu runs after a failed merge, want %lld or %lld",
		    nruns, (long long)r, (long long)r + (long long)site_runs);
	store_close(s);
}

/*
 * The scenario with a fault of kind k at operation at (sticky or not);
 * returns 0 when no fault was injected, 1 when one was and the calls all
 * succeeded (SQLite got past it: a failed write of the WAL index, a
 * checkpoint at close), 2 when it made a call fail.
 */
static int
run_fault(enum fault k, long at, int stick)
{
	struct committed c2, c3;
	const char *path = tmp("a.db");
	const struct committed *c;
	int rc;

	copy_file(tmp("base.db"), path);
	faults_off();
	kind = k;
	sticky = stick;
	countdown = at;
	rc = faulted(path, &c2, &c3);
	if (getenv("FAULTS_DEBUG") != NULL)
		fprintf(stderr, "%s at %ld%s: %s: %s\n", fault_name[k], at,
		    stick ? " (sticky)" : "", c2.call[0] ? c2.call : c3.call,
		    c2.call[0] ? c2.failed : c3.failed);
	if (!injected) {
		faults_off();
		if (rc != 0)
			fail_msg("no fault, yet %s: %s", c2.call[0] ? c2.call :
			    c3.call, c2.call[0] ? c2.failed : c3.failed);
		verify(path, &c2, &c3);
		return 0;
	}
	faults_off();
	if (rc != 0) {
		c = c2.call[0] ? &c2 : &c3;
		/* The message names the file and the reason. */
		if (strstr(c->failed, dir) == NULL ||
		    (!says_why(c->failed, k) &&
		    strstr(c->failed, "uncommitted batch was lost") == NULL))
			fail_msg("%s fault at %ld: %s: '%s' does not say "
			    "\"%s\" of a file", fault_name[k], at, c->call,
			    c->failed, fault_says[k]);
	}
	verify(path, &c2, &c3);
	return rc != 0 ? 2 : 1;
}

/* Without faults first: the scenario itself must be right. */
static void
test_scenario(void **state)
{
	struct committed c2, c3;

	(void)state;
	make_baseline();
	copy_file(tmp("base.db"), tmp("a.db"));
	kind = F_WRITE;
	nops = 0;
	if (faulted(tmp("a.db"), &c2, &c3) != 0)
		fail_msg("%s: %s", c2.call[0] ? c2.call : c3.call,
		    c2.call[0] ? c2.failed : c3.failed);
	assert_true(nops > 50);
	assert_true(c2.ended && c3.ended && c3.carried && c3.waived &&
	    c3.merged);
	verify(tmp("a.db"), &c2, &c3);
}

/*
 * For each kind of fault, transient and lasting: faults spread over the
 * whole scenario (at most FAULTS of them).  Most of them must make a call
 * fail (SQLite retries nothing by itself), and every failure must leave
 * the database whole.
 */
#define FAULTS	60

static void
test_io_faults(void **state)
{
	struct committed c2, c3;
	enum fault k;
	long total, step, at, runs, hit, failed;
	int stick, r;

	(void)state;
	make_baseline();
	for (k = 0; k < F__COUNT; k++) {
		copy_file(tmp("base.db"), tmp("a.db"));
		faults_off();
		kind = k;
		nops = 0;
		assert_int_equal(faulted(tmp("a.db"), &c2, &c3), 0);
		total = nops;
		step = total / FAULTS > 1 ? total / FAULTS : 1;
		for (stick = 0; stick < 2; stick++) {
			runs = hit = failed = 0;
			for (at = 0; at < total; at += step) {
				runs++;
				r = run_fault(k, at, stick);
				hit += r > 0;
				failed += r == 2;
			}
			print_message("%s faults%s: %ld operations, %ld "
			    "faults, %ld injected, %ld made a call fail\n",
			    fault_name[k], stick ? " (lasting)" : "", total,
			    runs, hit, failed);
			assert_true(hit >= runs / 2);
			assert_true(failed >= hit / 2);
		}
	}
}

/*
 * A migration that fails half-way leaves the file at its old version,
 * its rows as they were; opened again with the disk working, it is
 * upgraded and its findings read back.
 */
static void
make_v1(const char *path)
{
	sqlite3 *db;

	rm_db(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v1, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1; "
	    "PRAGMA application_id = 1111576129; "
	    "INSERT INTO runs (id, kind, status, scope, started, uuid) VALUES "
	    "(1, 'scan', 'complete', 'old', 1767225600, 'u-1'); "
	    "INSERT INTO hosts VALUES (1, 'addr:10.0.0.1', 0, 1, 1); "
	    "INSERT INTO host_keys VALUES ('addr:10.0.0.1', 1); "
	    "INSERT INTO run_hosts (run_id, host_id, site) VALUES (1, 1, 'x'); "
	    "INSERT INTO findings (run_id, host_id, finding_id, rule_id, "
	    "severity) VALUES (1, 1, 'BA-00000000000000aa', 'kes', 'high')",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* user_version and the rows of runs and findings, as text. */
static void
raw_state(const char *path, char *out, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t o = 0;
	int i, n;

	/* Read-write: a hot journal left by the failure is rolled back. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 'v', "
	    "(SELECT user_version FROM pragma_user_version), NULL, NULL "
	    "UNION ALL SELECT 'run', id, status, scope FROM runs "
	    "UNION ALL SELECT 'f', id, finding_id, rule_id FROM findings "
	    "UNION ALL SELECT 't', NULL, name, NULL FROM sqlite_schema "
	    "WHERE type = 'table' ORDER BY 1, 2, 3", -1, &st, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < 4; i++) {
			const char *v = (const char *)sqlite3_column_text(st,
			    i);

			n = snprintf(out + o, len - o, "%s%s", v ? v : "-",
			    i < 3 ? " " : "\n");
			assert_true(n > 0 && (size_t)n < len - o);
			o += (size_t)n;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_migration_faults(void **state)
{
	struct store *s = NULL;
	char err[ERRLEN], want[4096], want5[4096], got[4096];
	long total, at, failed = 0;
	enum fault k;
	int stick;

	(void)state;
	make_v1(tmp("v1.db"));
	raw_state(tmp("v1.db"), want, sizeof(want));
	assert_non_null(strstr(want, "v 1 "));
	for (k = 0; k < F__COUNT; k++) {
		copy_file(tmp("v1.db"), tmp("m.db"));
		faults_off();
		kind = k;
		nops = 0;
		s = open_ok(tmp("m.db"), STORE_WRITE);
		store_close(s);
		total = nops;
		assert_true(total > 0);
		raw_state(tmp("m.db"), want5, sizeof(want5));
		snprintf(got, sizeof(got), "v %d ", STORE_SCHEMA_VERSION);
		assert_non_null(strstr(want5, got));
		for (stick = 0; stick < 2; stick++) {
			for (at = 0; at < total; at++) {
				copy_file(tmp("v1.db"), tmp("m.db"));
				faults_off();
				kind = k;
				sticky = stick;
				countdown = at;
				err[0] = '\0';
				if (store_open(tmp("m.db"), STORE_WRITE, &s,
				    err, sizeof(err)) == 0) {
					store_close(s);
					faults_off();
					continue;
				}
				faults_off();
				assert_null(s);
				failed++;
				if (strstr(err, tmp("m.db")) == NULL ||
				    !says_why(err, k))
					fail_msg("%s fault at %ld: '%s'",
					    fault_name[k], at, err);
				/*
				 * At version 1 as it was, or (a fault after
				 * the migration committed) upgraded whole.
				 */
				raw_state(tmp("m.db"), got, sizeof(got));
				if (strcmp(got, want) != 0 &&
				    (strstr(err, "upgrade") != NULL ||
				    strcmp(got, want5) != 0))
					fail_msg("%s fault at %ld (%s) left:\n"
					    "%s\nwant:\n%s", fault_name[k], at,
					    err, got, want);
				/* And the disk working, it is upgraded. */
				s = open_ok(tmp("m.db"), STORE_WRITE);
				store_close(s);
				s = open_ok(tmp("m.db"), STORE_READ);
				{
					struct run_info ri;

					assert_int_equal(store_run_get(s, 1,
					    &ri, err, sizeof(err)), 0);
					assert_string_equal(ri.scope, "old");
				}
				store_close(s);
				s = NULL;
			}
		}
	}
	print_message("%ld failed migrations, each left at version 1\n",
	    failed);
	assert_true(failed > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scenario, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_io_faults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migration_faults, setup,
		    teardown),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(base_snap);
	return rc;
}
