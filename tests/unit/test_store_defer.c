/*
 * store_defer() (store_defer.c): coverage records and host names held
 * back and written 64 at a time must leave the database exactly as one
 * statement a call does -- the later record of a probe replacing the
 * earlier, the first name winning over later ones and never over the
 * run's own, NULL detail and profile kept NULL -- must be seen by every
 * read and move of coverage or run hosts before the batch commits, and a
 * write the database refuses must be reported, by the call that wrote
 * the group or by store_flush(), never lost quietly (2026-12-06, issue
 * 13: an identity scan's coverage rows and names, 64 a statement).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "store.h"
#include "util.h"

#define NHOSTS	150	/* two whole groups and a part of one */

static char dir[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	return scratch_dir(dir, sizeof(dir), "/tmp/test_store_defer");
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

/* The coverage and run_hosts tables of path, every column, as text. */
static char *
dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *out;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT coalesce((SELECT "
	    "group_concat(x, ';') FROM (SELECT run_id || ',' || host_id || "
	    "',' || channel || ',' || probe || ',' || status || ',' || "
	    "coalesce(detail, '<null>') || ',' || coalesce(profile, "
	    "'<null>') || ',' || elapsed_ms AS x FROM coverage ORDER BY "
	    "run_id, host_id, channel, probe)), '') || '|' || (SELECT "
	    "group_concat(x, ';') FROM (SELECT run_id || ',' || host_id || "
	    "',' || coalesce(name, '<null>') AS x FROM run_hosts ORDER BY "
	    "run_id, host_id))", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	out = strdup((const char *)sqlite3_column_text(st, 0));
	assert_non_null(out);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static int
count_cov(void *arg, const struct coverage_row *r)
{
	(void)r;
	(*(size_t *)arg)++;
	return 0;
}

static void
cover(struct store *s, int64_t run, int64_t host, const char *probe,
    enum cov_status status, const char *detail, const char *profile,
    int64_t ms)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = probe;
	c.status = status;
	c.detail = detail;
	c.profile = profile;
	c.elapsed_ms = ms;
	if (store_coverage(s, run, host, &c, err, sizeof(err)) != 0)
		fail_msg("store_coverage: %s", err);
}

static void
name(struct store *s, int64_t run, int64_t host, const char *n)
{
	char err[ERRLEN];

	if (store_host_name(s, run, host, n, err, sizeof(err)) != 0)
		fail_msg("store_host_name: %s", err);
}

/*
 * The calls a scan makes, and a few it may: defer 0 writes each row at
 * its call, defer 1 holds them back.  Returns the database's dump.
 */
static char *
scan_like(const char *path, int defer)
{
	static struct host_info hi[NHOSTS];
	static char addr[NHOSTS][32], dname[NHOSTS][32], dname2[32];
	int64_t ids[NHOSTS], ids2[20], run, run2;
	char err[ERRLEN];
	struct store *s;
	size_t i, n;

	s = open_ok(path, STORE_WRITE);
	now_pin(1000);
	run = begin_run(s, "defer", 100);
	memset(hi, 0, sizeof(hi));
	for (i = 0; i < NHOSTS; i++) {
		snprintf(addr[i], sizeof(addr[i]), "10.9.%zu.%zu", i / 200,
		    i % 200 + 1);
		hi[i].h.address = addr[i];
	}
	hi[7].h.name = "from-targets";	/* the run's own name stays */
	hi[77].h.name = "from-targets-too";	/* in a group of 64 names */
	assert_int_equal(store_host_many(s, run, hi, NHOSTS, ids, err,
	    sizeof(err)), 0);
	/* Twenty of them in a second run, named among the first's names. */
	run2 = begin_run(s, "defer2", 200);
	assert_int_equal(store_host_many(s, run2, &hi[120], 20, ids2, err,
	    sizeof(err)), 0);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_defer(s, defer);
	for (i = 0; i < NHOSTS; i++) {
		snprintf(dname[i], sizeof(dname[i]), "dev-%zu", i);
		name(s, run, ids[i], dname[i]);
		if (i % 10 == 3)
			name(s, run, ids[i], "a-later-name");
		if (i == 90)	/* after its first name went in */
			name(s, run, ids[5], "a-much-later-name");
		if (i >= 120 && i < 140) {
			/* Into a group of names of two runs. */
			snprintf(dname2, sizeof(dname2), "dev2-%zu", i);
			name(s, run2, ids2[i - 120], dname2);
		}
		cover(s, run, ids[i], "system", COV_OK, "4 varbinds",
		    "core", (int64_t)i);
		cover(s, run, ids[i], "", i % 3 ? COV_OK : COV_TIMEOUT,
		    i % 3 ? "4 varbinds in 1 request" : NULL,
		    i % 5 ? "core" : NULL, 10);
		/* The same probe again: the later record wins. */
		if (i % 7 == 0)
			cover(s, run, ids[i], "system", COV_PARTIAL, NULL,
			    "other", 99);
		if (i == 40) {
			/* A read sees what is held (one ok row a host). */
			n = 0;
			assert_int_equal(store_each_coverage(s, run,
			    count_cov, &n, err, sizeof(err)), 0);
			assert_int_equal(n, 2 * (i + 1));
		}
	}
	/* Off again: a row written at once comes after the held ones. */
	cover(s, run, ids[5], "", COV_AUTH_FAILED, "wrong community", NULL,
	    7);
	store_defer(s, 0);
	cover(s, run, ids[5], "", COV_REFUSED, "closed", "core", 8);
	/* No probe: stored as "". */
	cover(s, run, ids[6], NULL, COV_ERROR, "x", NULL, 1);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	return dump(path);
}

static void
test_same_rows(void **state)
{
	char p0[PATH_MAX + 16], p1[PATH_MAX + 16];
	char *one, *held;

	(void)state;
	snprintf(p0, sizeof(p0), "%s/one.db", dir);
	snprintf(p1, sizeof(p1), "%s/held.db", dir);
	one = scan_like(p0, 0);
	held = scan_like(p1, 1);
	/* Every host has its rows and its name, the 8th its own. */
	assert_true(strlen(one) > NHOSTS * 40);
	assert_non_null(strstr(one, ",from-targets"));
	assert_non_null(strstr(one, ",refused,closed,core,8"));
	assert_null(strstr(one, "a-later-name"));
	assert_null(strstr(one, "a-much-later-name"));
	assert_non_null(strstr(one, ",from-targets-too"));
	assert_non_null(strstr(one, ",dev2-139"));
	assert_string_equal(one, held);
	free(one);
	free(held);
}

/*
 * Groups of 64 names as a scan gives them (defer 1) or one statement a
 * name (defer 0): hosts within 128 ids, with hosts between them that
 * have no name, one named before and one named by the targets (written
 * with ST_RUN_HOST_NAME_SPAN); hosts spread over 252 ids, one named by
 * the targets (ST_RUN_HOST_NAME_MANY); a group given in descending
 * order; the hosts left between them named later, a part of a group.
 * Returns the dump.
 */
#define NNAMED	400

static char *
names_like(const char *path, int defer, int64_t *ids)
{
	static struct host_info hi[NNAMED];
	static char addr[NNAMED][32], nm[NNAMED][32];
	char err[ERRLEN];
	struct store *s;
	int64_t run;
	size_t i, j;

	s = open_ok(path, STORE_WRITE);
	now_pin(1000);
	run = begin_run(s, "names", 100);
	memset(hi, 0, sizeof(hi));
	for (i = 0; i < NNAMED; i++) {
		snprintf(addr[i], sizeof(addr[i]), "10.8.%zu.%zu", i / 200,
		    i % 200 + 1);
		snprintf(nm[i], sizeof(nm[i]), "n-%zu", i);
		hi[i].h.address = addr[i];
	}
	hi[7].h.name = "from-targets";
	hi[104].h.name = "targets-104";	/* in the spread group */
	assert_int_equal(store_host_many(s, run, hi, NNAMED, ids, err,
	    sizeof(err)), 0);
	name(s, run, ids[10], "early");
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_defer(s, defer);
	for (i = 0; i < 80; i++)	/* 64 names over 80 hosts */
		if (i % 5 != 0)
			name(s, run, ids[i], nm[i]);
	for (j = 0; j < 64; j++)	/* over 252 hosts */
		name(s, run, ids[100 + 4 * j], nm[100 + 4 * j]);
	for (i = NNAMED; i-- > NNAMED - 64; )	/* descending */
		name(s, run, ids[i], nm[i]);
	for (i = 0; i < 80; i += 5)	/* those left, 15 without a name */
		if (i != 15)
			name(s, run, ids[i], nm[i]);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	return dump(path);
}

/*
 * 2026-12-06: a group of names of hosts close together is one walk along
 * the run's key (ST_RUN_HOST_NAME_SPAN); the hosts it passes that are not
 * of the group keep what they had.
 */
static void
test_names_span_and_spread(void **state)
{
	char p0[PATH_MAX + 16], p1[PATH_MAX + 16], want[64];
	int64_t ids[NNAMED];
	char *one, *held, *rows;
	size_t i;
	static const struct {
		size_t	 i;
		const char *name;
	} checks[] = {
		{ 3, "n-3" }, { 7, "from-targets" }, { 10, "early" },
		{ 15, "<null>" }, { 20, "n-20" }, { 79, "n-79" },
		{ 100, "n-100" }, { 101, "<null>" }, { 104, "targets-104" },
		{ 108, "n-108" }, { 352, "n-352" },
		{ 335, "<null>" }, { 336, "n-336" }, { 399, "n-399" },
	};

	(void)state;
	snprintf(p0, sizeof(p0), "%s/names-one.db", dir);
	snprintf(p1, sizeof(p1), "%s/names-held.db", dir);
	one = names_like(p0, 0, ids);
	held = names_like(p1, 1, ids);
	/* No coverage: "|" and the run hosts; each row between ';'s. */
	assert_int_equal(one[0], '|');
	one[0] = ';';
	rows = malloc(strlen(one) + 2);
	assert_non_null(rows);
	snprintf(rows, strlen(one) + 2, "%s;", one);
	one[0] = '|';
	for (i = 0; i < NELEM(checks); i++) {
		snprintf(want, sizeof(want), ";1,%lld,%s;",
		    (long long)ids[checks[i].i], checks[i].name);
		if (strstr(rows, want) == NULL)
			fail_msg("%s not in %s", want, rows);
	}
	assert_string_equal(one, held);
	free(rows);
	free(one);
	free(held);
}

/*
 * A host's held rows go along when it is moved to another host, as rows
 * written at once do.
 */
static void
test_move_sees_held(void **state)
{
	char path[PATH_MAX + 16], err[ERRLEN];
	struct host_info hi;
	struct store *s;
	int64_t run, a, b;
	char *d;

	(void)state;
	snprintf(path, sizeof(path), "%s/move.db", dir);
	s = open_ok(path, STORE_WRITE);
	run = begin_run(s, "move", 100);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	assert_int_equal(store_host(s, run, &hi, &a, err, sizeof(err)), 0);
	hi.h.address = "10.0.0.2";
	assert_int_equal(store_host(s, run, &hi, &b, err, sizeof(err)), 0);
	store_defer(s, 1);
	cover(s, run, b, "system", COV_OK, "moved along", NULL, 3);
	name(s, run, b, "cam-2");
	assert_int_equal(store_host_move(s, run, b, a, err, sizeof(err)), 0);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	d = dump(path);
	/* b's row is a's now; b's link to the run is gone with its name. */
	assert_non_null(strstr(d, ",system,ok,moved along,"));
	assert_int_equal(strncmp(d, "1,1,snmp,system,ok,moved along,", 31),
	    0);
	assert_null(strstr(d, "cam-2"));
	free(d);
}

/*
 * A write the database refuses (a trigger of the test's own, as a
 * damaged file or a full disk would) is reported by store_flush() with
 * the file and what could not be done; nothing is left held after it.
 */
static void
test_refused_reported(void **state)
{
	static const struct {
		const char	*trigger;
		const char	*says;
	} cases[] = {
		{ "BEFORE INSERT ON coverage", "cannot record coverage" },
		{ "BEFORE UPDATE ON run_hosts", "cannot name the host" },
	};
	char path[PATH_MAX + 16], sql[256], want[PATH_MAX + 64];
	char err[ERRLEN];
	struct host_info hi;
	struct store *s;
	int64_t run, h;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		snprintf(path, sizeof(path), "%s/refused%zu.db", dir, i);
		s = open_ok(path, STORE_WRITE);
		run = begin_run(s, "refused", 100);
		memset(&hi, 0, sizeof(hi));
		hi.h.address = "10.0.0.1";
		assert_int_equal(store_host(s, run, &hi, &h, err,
		    sizeof(err)), 0);
		assert_int_equal(store_flush(s, err, sizeof(err)), 0);
		store_close(s);
		snprintf(sql, sizeof(sql), "CREATE TRIGGER no %s BEGIN "
		    "SELECT RAISE(ABORT, 'refused'); END", cases[i].trigger);
		raw_sql(path, sql);
		s = open_ok(path, STORE_WRITE);
		store_defer(s, 1);
		/* Held: the calls succeed (less than a group). */
		for (k = 0; k < 3; k++) {
			cover(s, run, h, k ? "system" : "", COV_OK, NULL, NULL,
			    k);
			name(s, run, h, "sw-1");
		}
		err[0] = '\0';
		assert_int_equal(store_flush(s, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: %s", path, cases[i].says);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, "refused") == NULL)
			fail_msg("case %zu: \"%s\"", i, err);
		/* Nothing held any more: the next commit has nothing. */
		assert_int_equal(store_flush(s, err, sizeof(err)), 0);
		store_close(s);
	}
}

/*
 * A whole group refused: the call that fills it reports the failure.
 */
static void
test_full_group_refused(void **state)
{
	char path[PATH_MAX + 16], err[ERRLEN];
	struct coverage c;
	struct host_info hi;
	struct store *s;
	int64_t run, h;
	int k, rc = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/group.db", dir);
	s = open_ok(path, STORE_WRITE);
	run = begin_run(s, "group", 100);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	assert_int_equal(store_host(s, run, &hi, &h, err, sizeof(err)), 0);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	raw_sql(path, "CREATE TRIGGER no BEFORE INSERT ON coverage BEGIN "
	    "SELECT RAISE(ABORT, 'refused'); END");
	s = open_ok(path, STORE_WRITE);
	store_defer(s, 1);
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "system";
	c.status = COV_OK;
	for (k = 0; k <= 64 && rc == 0; k++) {
		c.elapsed_ms = k;
		rc = store_coverage(s, run, h, &c, err, sizeof(err));
	}
	/* The 65th call writes the first 64. */
	assert_int_equal(rc, -1);
	assert_int_equal(k, 65);
	assert_non_null(strstr(err, "cannot record coverage"));
	store_close(s);
}

/*
 * A store at dir/NAME with one run and one host (10.0.0.1) committed,
 * and a trigger that loses the batch (RAISE(ROLLBACK), as a full disk
 * does) when a host is named "lose": open for writing again.
 */
static struct store *
open_losable(const char *name, int64_t *run, int64_t *h)
{
	char path[PATH_MAX + 16], err[ERRLEN];
	struct host_info hi;
	struct store *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = open_ok(path, STORE_WRITE);
	*run = begin_run(s, "lost", 100);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	assert_int_equal(store_host(s, *run, &hi, h, err, sizeof(err)), 0);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	raw_sql(path, "CREATE TRIGGER lose BEFORE UPDATE ON run_hosts "
	    "WHEN NEW.name = 'lose' BEGIN SELECT RAISE(ROLLBACK, 'lost'); "
	    "END");
	return open_ok(path, STORE_WRITE);
}

/*
 * A batch SQLite rolls back whole (a trigger's RAISE(ROLLBACK), as a full
 * disk does) takes what it held with it: the observations still in the
 * writer's buffer are not written by the next batch, and the call says
 * the batch was lost (store_dberr()'s lost() hook).
 */
static void
test_lost_batch_forgotten(void **state)
{
	char err[ERRLEN];
	struct store *s;
	int64_t run, h;
	size_t n = 0;

	(void)state;
	s = open_losable("lost.db", &run, &h);
	/* Held in the buffer, then the batch is rolled back. */
	obs_stored(s, run, h, OBS_SOFTWARE, "1", "name", "src", VAL_TEXT,
	    "lostA", 5);
	obs_stored(s, run, h, OBS_SOFTWARE, "2", "name", "src", VAL_TEXT,
	    "lostB", 5);
	err[0] = '\0';
	assert_int_equal(store_host_name(s, run, h, "lose", err,
	    sizeof(err)), -1);
	if (strstr(err, "uncommitted batch was lost") == NULL)
		fail_msg("\"%s\"", err);
	/* The next batch has its own row only. */
	obs_stored(s, run, h, OBS_SOFTWARE, "3", "name", "src", VAL_TEXT,
	    "kept", 4);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(store_each_observation(s, run, h, tally_obs, &n,
	    err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	store_close(s);
}

/* A software name whose value key names (store_observation_keyed()). */
static void
obs_keyed(struct store *s, int64_t run, int64_t h, const char *item,
    const char *v, uint64_t key, uint32_t *ref)
{
	(void)obs_stored_keyed(s, run, h, OBS_SOFTWARE, item, "name", NULL,
	    VAL_TEXT, v, strlen(v), key, ref);
}

/*
 * Values stored once (store_values.c) that a lost batch held go with it:
 * their keys, the ids they took and their bytes not yet written.  The
 * next batch's values take the ids from the database again, and a key
 * the lost batch knew is a new value again, also when its caller brings
 * the reference the store gave it then (its epoch is over: that id is
 * another value's now).
 */
static void
test_lost_batch_values(void **state)
{
	char err[ERRLEN], path[PATH_MAX + 16];
	struct store *s;
	uint32_t ra = 0, rb = 0;
	int64_t run, h;

	(void)state;
	s = open_losable("lost-values.db", &run, &h);
	obs_keyed(s, run, h, "1", "lost value AAAA", 5, &ra);
	assert_true(ra != 0);
	assert_int_equal(store_host_name(s, run, h, "lose", err,
	    sizeof(err)), -1);
	obs_keyed(s, run, h, "2", "kept value BBBB", 6, &rb);
	obs_keyed(s, run, h, "3", "lost value AAAA", 5, &ra);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
	snprintf(path, sizeof(path), "%s/lost-values.db", dir);
	sql_text(path, "SELECT group_concat(id || ':' || CAST(value AS TEXT), "
	    "' ') FROM (SELECT * FROM obs_values ORDER BY id)",
	    "1:kept value BBBB 2:lost value AAAA");
	sql_text(path, "SELECT group_concat(item || ':' || CAST(value AS TEXT), "
	    "' ') FROM (SELECT * FROM observations ORDER BY id)",
	    "2:kept value BBBB 3:lost value AAAA");
}

/*
 * Rows of a column their caller names (struct observation's col, as a
 * walk names its columns): one stored through the middle the column's
 * last row found (store_data.c, col_mid()) is the row it would be
 * without, and a row the middle does not serve is not stored through
 * it: another value type under the column, another attribute, the
 * prefix's middle kept since for another attribute, a lost batch (the
 * prefixes and their middles freed).
 */
struct crow {
	const char	*item, *attr, *source;
	enum value_type	 vtype;
	const char	*value;
};

#define PRE_NAME	"1.3.6.1.2.1.25.6.3.1.2"
#define PRE_DATE	"1.3.6.1.2.1.25.6.3.1.5"

static const char col_name[] = "name", col_date[] = "date";

/* Stores a row of column col (NULL: none) as a walk gives it. */
static void
obs_col(struct store *s, int64_t run, int64_t h, const void *col,
    const char *pre, const char *attr, const char *item,
    enum value_type vt, const char *v)
{
	struct observation o;
	char src[64], err[ERRLEN];
	int64_t id;

	snprintf(src, sizeof(src), "%s.%s", pre, item);
	memset(&o, 0, sizeof(o));
	o.kind = OBS_SOFTWARE;
	o.attr = attr;
	o.source = src;
	o.item = src + strlen(pre) + 1;
	o.vtype = vt;
	o.value = v;
	o.len = strlen(v);
	o.col = col;
	if (store_observation(s, run, h, CHAN_SNMP, &o, &id, err,
	    sizeof(err)) != 0)
		fail_msg("row %s: %s", item, err);
}

struct crows {
	const struct crow	*want;
	size_t			 n, seen;
	unsigned char		 got[16];
};

/* A row read back: the one of want with its item and attribute. */
static int
crow_cb(void *arg, const struct obs_row *r)
{
	struct crows *c = arg;
	const struct crow *w = NULL;
	char src[64];
	size_t i;

	for (i = 0; i < c->n && w == NULL; i++)
		if (strcmp(c->want[i].item, r->obs.item) == 0 &&
		    strcmp(c->want[i].attr, r->obs.attr) == 0)
			w = &c->want[i];
	if (w == NULL)
		fail_msg("row %s %s not stored", r->obs.item, r->obs.attr);
	assert_int_equal(c->got[i - 1]++, 0);
	c->seen++;
	snprintf(src, sizeof(src), "%s.%s", w->source, w->item);
	assert_string_equal(r->obs.source, src);
	assert_int_equal(r->obs.vtype, w->vtype);
	assert_int_equal(r->obs.len, strlen(w->value));
	assert_memory_equal(r->obs.value, w->value, r->obs.len);
	return 0;
}

/* Host h's rows of run are want's n (store_each_observation()'s order). */
static void
crows_are(struct store *s, int64_t run, int64_t h, const struct crow *want,
    size_t n)
{
	struct crows c;
	char err[ERRLEN];

	assert_true(n <= sizeof(c.got));
	memset(&c, 0, sizeof(c));
	c.want = want;
	c.n = n;

	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(store_each_observation(s, run, h, crow_cb, &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.seen, n);
}

static void
test_column_hints(void **state)
{
	static const struct crow want[] = {
		{ "1", "name", PRE_NAME, VAL_TEXT, "alpha" },
		{ "1", "date", PRE_DATE, VAL_HEX, "d1" },
		{ "2", "name", PRE_NAME, VAL_TEXT, "beta" },
		{ "2", "date", PRE_DATE, VAL_HEX, "d2" },
		/* The column's agent answered another type. */
		{ "3", "name", PRE_NAME, VAL_HEX, "gamma" },
		{ "4", "name", PRE_NAME, VAL_TEXT, "delta" },
		/* The column's object named with another attribute. */
		{ "5", "version", PRE_NAME, VAL_TEXT, "1.0" },
		{ "6", "name", PRE_NAME, VAL_TEXT, "eps" },
		/* The prefix's middle kept for another attribute since. */
		{ "7", "version", PRE_NAME, VAL_TEXT, "2.0" },
		{ "8", "name", PRE_NAME, VAL_TEXT, "zeta" },
		/* The same attribute's bytes, from another string. */
		{ "9", "name", PRE_NAME, VAL_TEXT, "eta" },
		{ "10", "date", PRE_DATE, VAL_HEX, "d10" },
	};
	char attr[8];
	struct store *s;
	int64_t run, h, h2;
	char err[ERRLEN];
	struct host_info hi;

	(void)state;
	s = open_losable("col.db", &run, &h);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.2";
	assert_int_equal(store_host(s, run, &hi, &h2, err, sizeof(err)), 0);
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "1", VAL_TEXT,
	    "alpha");
	obs_col(s, run, h, col_date, PRE_DATE, col_date, "1", VAL_HEX, "d1");
	/* Another host's rows between: its own block. */
	obs_col(s, run, h2, col_name, PRE_NAME, col_name, "1", VAL_TEXT,
	    "other");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "2", VAL_TEXT,
	    "beta");
	obs_col(s, run, h, col_date, PRE_DATE, col_date, "2", VAL_HEX, "d2");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "3", VAL_HEX,
	    "gamma");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "4", VAL_TEXT,
	    "delta");
	/* Through the middle row 4 kept, but for its attribute. */
	obs_col(s, run, h, col_name, PRE_NAME, "version", "5", VAL_TEXT,
	    "1.0");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "6", VAL_TEXT,
	    "eps");
	obs_col(s, run, h, NULL, PRE_NAME, "version", "7", VAL_TEXT, "2.0");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "8", VAL_TEXT,
	    "zeta");
	str_copy(attr, "name", sizeof(attr));
	obs_col(s, run, h, col_name, PRE_NAME, attr, "9", VAL_TEXT, "eta");
	obs_col(s, run, h, col_date, PRE_DATE, col_date, "10", VAL_HEX,
	    "d10");
	crows_are(s, run, h, want, sizeof(want) / sizeof(want[0]));
	store_close(s);
}

/*
 * A lost batch frees the cached prefixes and their middles: a column's
 * next row finds its prefix again, in the next batch.
 */
static void
test_lost_batch_column(void **state)
{
	static const struct crow want[] = {
		{ "3", "name", PRE_NAME, VAL_TEXT, "kept" },
		{ "3", "date", PRE_DATE, VAL_HEX, "d3" },
		{ "4", "name", PRE_NAME, VAL_TEXT, "kept too" },
	};
	char err[ERRLEN];
	struct store *s;
	int64_t run, h;

	(void)state;
	s = open_losable("lost-col.db", &run, &h);
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "1", VAL_TEXT,
	    "lost");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "2", VAL_TEXT,
	    "lost too");
	assert_int_equal(store_host_name(s, run, h, "lose", err,
	    sizeof(err)), -1);
	/* A new prefix first: its allocation may be the freed one's. */
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "3", VAL_TEXT,
	    "kept");
	obs_col(s, run, h, col_date, PRE_DATE, col_date, "3", VAL_HEX, "d3");
	obs_col(s, run, h, col_name, PRE_NAME, col_name, "4", VAL_TEXT,
	    "kept too");
	crows_are(s, run, h, want, sizeof(want) / sizeof(want[0]));
	store_close(s);
}

/*
 * A host found once is not looked up again (s->hosts_found), but only
 * until a batch is lost: the host a lost batch made is gone, and an
 * observation of it is refused again as of a host that does not exist.
 */
static void
test_lost_host_looked_up_again(void **state)
{
	char err[ERRLEN];
	struct host_info hi;
	struct observation o;
	struct store *s;
	int64_t run, h, gone, id;

	(void)state;
	s = open_losable("lost-host.db", &run, &h);
	/* A host of the new batch, found by its observations. */
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.2";
	assert_int_equal(store_host(s, run, &hi, &gone, err, sizeof(err)),
	    0);
	obs_stored(s, run, gone, OBS_SOFTWARE, "1", "name", "src", VAL_TEXT,
	    "a", 1);
	obs_stored(s, run, h, OBS_SOFTWARE, "2", "name", "src", VAL_TEXT,
	    "b", 1);
	obs_stored(s, run, gone, OBS_SOFTWARE, "3", "name", "src", VAL_TEXT,
	    "c", 1);
	assert_int_equal(store_host_name(s, run, h, "lose", err,
	    sizeof(err)), -1);
	/* Its row went with the batch: its observation is refused. */
	memset(&o, 0, sizeof(o));
	o.kind = OBS_SOFTWARE;
	o.item = "4";
	o.attr = "name";
	o.source = "src";
	o.vtype = VAL_TEXT;
	o.value = (const unsigned char *)"d";
	o.len = 1;
	err[0] = '\0';
	assert_int_equal(store_observation(s, run, gone, CHAN_SNMP, &o, &id,
	    err, sizeof(err)), -1);
	if (strstr(err, "does not exist") == NULL)
		fail_msg("\"%s\"", err);
	/* The host of the committed batch still takes its rows. */
	obs_stored(s, run, h, OBS_SOFTWARE, "5", "name", "src", VAL_TEXT,
	    "e", 1);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_rows),
		cmocka_unit_test(test_names_span_and_spread),
		cmocka_unit_test(test_move_sees_held),
		cmocka_unit_test(test_refused_reported),
		cmocka_unit_test(test_full_group_refused),
		cmocka_unit_test(test_lost_batch_forgotten),
		cmocka_unit_test(test_lost_batch_values),
		cmocka_unit_test(test_column_hints),
		cmocka_unit_test(test_lost_batch_column),
		cmocka_unit_test(test_lost_host_looked_up_again),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
