/*
 * Merging site files the store did not write this version: sites still at
 * schema versions 1 to 4 (an office that has not upgraded), in both merge
 * modes, their rows read back through the readers; site files whose names
 * need escaping in a URI; and site files that are bad in ways a file sent
 * over a network can be -- damaged pages, a version 0 file that claims to
 * be banaudit's, a host without identity -- each refused with a message
 * that names the file, the central database unchanged.
 */
#include <sys/stat.h>

#include <fcntl.h>
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
#include "store_int.h"	/* store_schema_v1..v4, for old site files */
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */

static char dir[64];

static const char *
tmp(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static int
setup(void **state)
{
	(void)state;
	return scratch_dir(dir, sizeof(dir), "/tmp/test_store_merge");
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%.60s...: %s", sql, sqlite3_errmsg(db));
}

/*
 * A site file at schema version v (1..4), as that banaudit wrote it: one
 * complete run of one host with two software rows, its coverage, and a
 * Kaspersky finding whose evidence is the first row.
 */
static void
make_old_site(const char *path, int v)
{
	static const char *const schema[] = {
		store_schema_v1, store_schema_v2, store_schema_v3,
		store_schema_v4,
	};
	char sql[128];
	sqlite3 *db;
	int i;

	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < v; i++)
		exec_ok(db, schema[i]);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; "
	    "PRAGMA application_id = 1111576129", v);
	exec_ok(db, sql);
	exec_ok(db, "INSERT INTO runs (id, kind, status, scope, started, "
	    "finished, uuid) VALUES (1, 'scan', 'complete', 'old', "
	    "1767225600, 1767225660, 'u-old-1'); "
	    "INSERT INTO hosts VALUES (1, 'mac:00:11:22:33:44:55', 0, 1, 1); "
	    "INSERT INTO host_keys VALUES ('mac:00:11:22:33:44:55', 1); "
	    "INSERT INTO host_keys VALUES ('addr:10.9.0.1', 1); "
	    "INSERT INTO run_hosts (run_id, host_id, address, name) "
	    "VALUES (1, 1, '10.9.0.1', 'ws-1'); "
	    "INSERT INTO observations VALUES (7, 1, 1, 'snmp', 'software', "
	    "'1', 'name', '1.3.6.1.2.1.25.6.3.1.2.1', 'text', "
	    "CAST('kesl-12' AS BLOB), 1767225601); "
	    "INSERT INTO observations VALUES (8, 1, 1, 'snmp', 'software', "
	    "'2', 'name', '1.3.6.1.2.1.25.6.3.1.2.2', 'text', "
	    "CAST('bash' AS BLOB), 1767225601); "
	    "INSERT INTO coverage (run_id, host_id, channel, probe, status) "
	    "VALUES (1, 1, 'snmp', '', 'ok'); "
	    "INSERT INTO findings (id, run_id, host_id, finding_id, rule_id, "
	    "vendor, evidence, severity) VALUES (3, 1, 1, "
	    "'BA-00000000000000aa', 'kes', 'Kaspersky', 'software kesl-12', "
	    "'critical'); "
	    "INSERT INTO finding_evidence VALUES (3, 7);");
	if (v >= 2)
		exec_ok(db, "INSERT INTO waivers (finding_id, reason, until, "
		    "created) VALUES ('BA-00000000000000aa', 'r', "
		    "'2099-01-01', 1)");
	sqlite3_close(db);
}

struct seen {
	size_t	 n;
	char	 text[512];
};

static int
on_obs(void *arg, const struct obs_row *r)
{
	struct seen *s = arg;
	size_t o = strlen(s->text);

	snprintf(s->text + o, sizeof(s->text) - o, "%s %s %.*s|",
	    r->h.address, r->obs.source, (int)r->obs.len,
	    (const char *)r->obs.value);
	s->n++;
	return 0;
}

/* Observations as text, "address item value|" each (all_obs()). */
struct obs_text {
	char	*p;
	size_t	 used, cap;
};

static int
on_obs_text(void *arg, const struct obs_row *r)
{
	struct obs_text *t = arg;
	int n;

	n = snprintf(t->p + t->used, t->cap - t->used, "%s %s %.*s|",
	    r->h.address, r->obs.item, (int)r->obs.len,
	    (const char *)r->obs.value);
	assert_true(n > 0 && (size_t)n < t->cap - t->used);
	t->used += (size_t)n;
	return 0;
}

static int
on_finding(void *arg, const struct finding_row *r)
{
	struct seen *s = arg;
	size_t o = strlen(s->text);

	snprintf(s->text + o, sizeof(s->text) - o, "%s %s %s ev %zu|",
	    r->f.finding_id, r->status, r->host_identity, r->f.nevidence);
	s->n++;
	return 0;
}

static int
on_run(void *arg, const struct run_info *r)
{
	struct seen *s = arg;
	size_t o = strlen(s->text);

	snprintf(s->text + o, sizeof(s->text) - o, "%s %s %s|", r->scope,
	    r->site != NULL ? r->site : "-", r->origin != NULL ? r->origin :
	    "-");
	s->n++;
	return 0;
}

/*
 * A site at each old version merges, in both modes: the run with its
 * site, scope and origin, the host, every observation (or, with
 * MERGE_EVIDENCE, only the finding's), the finding and its evidence; not
 * the site's waivers.
 */
static void
test_old_versions(void **state)
{
	struct store *c;
	struct merge_stats ms;
	struct seen s;
	char err[ERRLEN], name[32], want[128];
	size_t nw;
	int v, mode;

	(void)state;
	for (v = 1; v <= 4; v++) {
		for (mode = 0; mode < 2; mode++) {
			snprintf(name, sizeof(name), "office-v%d.db", v);
			make_old_site(tmp(name), v);
			unlink(tmp("central.db"));
			c = open_ok(tmp("central.db"), STORE_WRITE);
			if (store_merge_check(c, tmp(name), err,
			    sizeof(err)) != 0)
				fail_msg("v%d: %s", v, err);
			if (store_merge_as(c, tmp(name), mode ? MERGE_FULL :
			    MERGE_EVIDENCE, &ms, err, sizeof(err)) != 0)
				fail_msg("v%d: %s", v, err);
			assert_int_equal(ms.runs, 1);
			assert_int_equal(ms.hosts_new, 1);
			assert_int_equal(ms.findings, 1);
			assert_int_equal(ms.observations, mode ? 2 : 1);

			memset(&s, 0, sizeof(s));
			assert_int_equal(store_each_run(c, on_run, &s, err,
			    sizeof(err)), 0);
			snprintf(want, sizeof(want), "office-v%d|old "
			    "office-v%d file=office-v%d.db;run=1;uuid=u-old-1|",
			    v, v, v);
			assert_string_equal(s.text, want);
			memset(&s, 0, sizeof(s));
			assert_int_equal(store_each_observation(c, 1, 0, on_obs,
			    &s, err, sizeof(err)), 0);
			assert_int_equal(s.n, mode ? 2 : 1);
			assert_non_null(strstr(s.text, "10.9.0.1 "
			    "1.3.6.1.2.1.25.6.3.1.2.1 kesl-12|"));
			memset(&s, 0, sizeof(s));
			assert_int_equal(store_each_finding(c, 1, on_finding,
			    &s, err, sizeof(err)), 0);
			assert_string_equal(s.text, "BA-00000000000000aa new "
			    "mac:00:11:22:33:44:55 ev 1|");
			nw = 0;
			assert_int_equal(store_each_waiver(c, tally_waivers, &nw,
			    err, sizeof(err)), 0);
			assert_int_equal(nw, 0);
			/* Merged again: nothing new. */
			assert_int_equal(store_merge_as(c, tmp(name),
			    MERGE_FULL, &ms, err, sizeof(err)), 0);
			assert_int_equal(ms.runs, 0);
			assert_int_equal(ms.runs_present, 1);
			store_close(c);
		}
	}
}

/* Every observation of run 1 of s, "address item value|" each, in text. */
static char *
all_obs(struct store *s)
{
	struct obs_text t = { NULL, 0, 0 };
	char err[ERRLEN];

	t.cap = 1 << 20;
	t.p = calloc(1, t.cap);
	assert_non_null(t.p);
	assert_int_equal(store_each_observation(s, 1, 0, on_obs_text, &t,
	    err, sizeof(err)), 0);
	return t.p;
}

/*
 * A site the writer of this version made, merged whole: 40 hosts of a few
 * rows (blocks that go in 16 a statement, ST_BLOCK_INSERT_MANY, and one
 * by one), and a host whose rows and values take more than a group's
 * block may (STORE_BLOCK_KEEP_MAX: it goes in alone, uncopied).  The
 * central database reads back every observation of the site, byte for
 * byte, in the same order.
 */
static void
test_full_merge_blocks(void **state)
{
	struct store *site, *c;
	struct merge_stats ms;
	struct run_info ri;
	struct host_info hi;
	struct observation o;
	char err[ERRLEN], addr[32], item[16], val[64], *a, *b;
	int64_t h;
	size_t i, k, rows;

	(void)state;
	unlink(tmp("whole.db"));
	site = open_ok(tmp("whole.db"), STORE_WRITE);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "whole";
	ri.started = T0;
	assert_int_equal(store_run_begin(site, &ri, err, sizeof(err)), 0);
	for (i = 0; i < 41; i++) {
		memset(&hi, 0, sizeof(hi));
		snprintf(addr, sizeof(addr), "10.41.0.%zu", i + 1);
		hi.h.address = addr;
		assert_int_equal(store_host(site, ri.id, &hi, &h, err,
		    sizeof(err)), 0);
		/* The last host: past STORE_BLOCK_KEEP_MAX in one block. */
		rows = i < 40 ? 3 : STORE_BLOCK_KEEP_MAX / 40 + 10;
		for (k = 0; k < rows; k++) {
			snprintf(item, sizeof(item), "%zu", k + 1);
			snprintf(val, sizeof(val), "host %zu package %zu of "
			    "the site's software", i, k);
			memset(&o, 0, sizeof(o));
			o.kind = OBS_SOFTWARE;
			o.item = item;
			o.attr = "name";
			o.source = "1.3.6.1.2.1.25.6.3.1.2";
			o.vtype = VAL_TEXT;
			o.value = val;
			o.len = strlen(val);
			assert_int_equal(store_observation(site, ri.id, h,
			    CHAN_SNMP, &o, NULL, err, sizeof(err)), 0);
		}
	}
	assert_int_equal(store_run_end(site, ri.id, RUN_COMPLETE, err,
	    sizeof(err)), 0);
	a = all_obs(site);
	store_close(site);

	unlink(tmp("central.db"));
	c = open_ok(tmp("central.db"), STORE_WRITE);
	if (store_merge_as(c, tmp("whole.db"), MERGE_FULL, &ms, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(ms.runs, 1);
	assert_int_equal(ms.observations, 40 * 3 + STORE_BLOCK_KEEP_MAX / 40 +
	    10);
	b = all_obs(c);
	assert_true(strlen(a) > STORE_BLOCK_KEEP_MAX);
	assert_string_equal(a, b);
	store_close(c);
	free(a);
	free(b);
}

/*
 * File names that a "file:" URI must escape (%, ?, #, a space, UTF-8),
 * and one without ".db": each merges, its site named after the file.
 */
static void
test_odd_names(void **state)
{
	static const char *const names[] = {
		"site 100%.db", "what?.db", "#7.db", "m\xc3\xbcnchen.db",
		"archive",
	};
	static const char *const sites[] = {
		"site 100%", "what?", "#7", "m\xc3\xbcnchen", "archive",
	};
	struct store *c;
	struct merge_stats ms;
	struct seen s;
	char err[ERRLEN], want[128];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		make_old_site(tmp(names[i]), 4);
		unlink(tmp("central.db"));
		c = open_ok(tmp("central.db"), STORE_WRITE);
		if (store_merge_as(c, tmp(names[i]), MERGE_FULL, &ms, err,
		    sizeof(err)) != 0)
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(ms.runs, 1);
		memset(&s, 0, sizeof(s));
		assert_int_equal(store_each_run(c, on_run, &s, err,
		    sizeof(err)), 0);
		snprintf(want, sizeof(want), "%s|old %s file=%s;run=1;",
		    sites[i], sites[i], names[i]);
		if (strncmp(s.text, want, strlen(want)) != 0)
			fail_msg("'%s', want '%s...'", s.text, want);
		store_close(c);
	}
}

/* A checksum of a file's bytes. */
static unsigned long
file_sum(const char *path)
{
	unsigned long h = 5381;
	FILE *fp = fopen(path, "rb");
	int ch;

	assert_non_null(fp);
	while ((ch = getc(fp)) != EOF)
		h = h * 33 + (unsigned long)ch;
	fclose(fp);
	return h;
}

/* The merge of path is refused, naming it, with want in the message. */
static void
refused(struct store *c, const char *path, const char *want)
{
	struct merge_stats ms;
	char err[ERRLEN];

	memset(&ms, 0, sizeof(ms));
	if (store_merge_check(c, path, err, sizeof(err)) == 0)
		fail_msg("%s passed the check", path);
	if (strstr(err, path) == NULL || strstr(err, want) == NULL)
		fail_msg("check: '%s' lacks '%s' or the path", err, want);
	if (store_merge_as(c, path, MERGE_FULL, &ms, err, sizeof(err)) == 0)
		fail_msg("%s merged", path);
	if (strstr(err, path) == NULL || strstr(err, want) == NULL)
		fail_msg("merge: '%s' lacks '%s' or the path", err, want);
	assert_int_equal(ms.runs, 0);
}

/* Overwrites len bytes of path at off with junk. */
static void
scribble(const char *path, off_t off, size_t len)
{
	unsigned char junk[512];
	int fd;

	assert_true(len <= sizeof(junk));
	memset(junk, 0xa5, len);
	fd = open(path, O_WRONLY);
	assert_true(fd != -1);
	assert_int_equal(pwrite(fd, junk, len, off), (ssize_t)len);
	close(fd);
}

static void
test_bad_sites(void **state)
{
	struct store *c, *s;
	sqlite3 *db;
	unsigned long before;
	char err[ERRLEN];
	int64_t r, h;

	(void)state;
	unlink(tmp("central.db"));
	c = open_ok(tmp("central.db"), STORE_WRITE);
	end_run(c, begin_run(c, "central", T0), RUN_COMPLETE);
	store_close(c);
	before = file_sum(tmp("central.db"));
	c = open_ok(tmp("central.db"), STORE_WRITE);

	/* Damaged pages: the interior of every table's b-tree. */
	make_old_site(tmp("damaged.db"), 4);
	assert_int_equal(sqlite3_open(tmp("damaged.db"), &db), SQLITE_OK);
	exec_ok(db, "VACUUM");
	sqlite3_close(db);
	scribble(tmp("damaged.db"), 4096 + 8, 200);
	scribble(tmp("damaged.db"), 3 * 4096 + 8, 200);
	refused(c, tmp("damaged.db"), ": ");
	/* Said as damage, not as some other failure. */
	if (store_merge_check(c, tmp("damaged.db"), err, sizeof(err)) == 0 ||
	    (strstr(err, "damaged") == NULL && strstr(err, "corrupt") ==
	    NULL && strstr(err, "malformed") == NULL))
		fail_msg("damaged: '%s'", err);
	print_message("damaged: %s\n", err);

	/* A version 0 file with banaudit's application id. */
	assert_int_equal(sqlite3_open(tmp("v0.db"), &db), SQLITE_OK);
	exec_ok(db, "PRAGMA application_id = 1111576129; CREATE TABLE t (x)");
	sqlite3_close(db);
	refused(c, tmp("v0.db"), "schema version 0; this banaudit");

	/* A site host with an empty identity (an edited file). */
	s = open_ok(tmp("anon.db"), STORE_WRITE);
	r = begin_run(s, "anon", T0);
	{
		struct host_info hi;

		memset(&hi, 0, sizeof(hi));
		hi.h.address = "10.8.0.1";
		assert_int_equal(store_host(s, r, &hi, &h, err, sizeof(err)),
		    0);
	}
	end_run(s, r, RUN_COMPLETE);
	store_close(s);
	assert_int_equal(sqlite3_open(tmp("anon.db"), &db), SQLITE_OK);
	exec_ok(db, "UPDATE hosts SET identity = ''");
	sqlite3_close(db);
	{
		struct merge_stats ms;

		assert_int_equal(store_merge_check(c, tmp("anon.db"), err,
		    sizeof(err)), 0);
		assert_int_equal(store_merge_as(c, tmp("anon.db"), MERGE_FULL,
		    &ms, err, sizeof(err)), -1);
		if (strstr(err, tmp("anon.db")) == NULL ||
		    strstr(err, "has no identity") == NULL)
			fail_msg("'%s'", err);
	}

	/* A reader cannot merge. */
	store_close(c);
	c = open_ok(tmp("central.db"), STORE_READ);
	{
		struct merge_stats ms;

		assert_int_equal(store_merge_as(c, tmp("anon.db"), MERGE_FULL,
		    &ms, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "read-only"));
	}
	store_close(c);
	/* And the central file is as it was. */
	assert_true(file_sum(tmp("central.db")) == before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_old_versions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_odd_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_merge_blocks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_sites, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
