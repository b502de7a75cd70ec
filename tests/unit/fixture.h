/*
 * fixture: what several unit tests need of the library's data and that
 * the library itself has no use for (so it is not in the library): a
 * rule pack's signature by id, SQL run on a store's file behind its
 * back, a store opened, a run begun and ended (the
 * test fails when the store refuses), an assessed host and its
 * observations recorded, the rows of the store's listings
 * counted, a temporary folder made and removed, a UDP port on loopback
 * that never answers, and what a scan test sets up: the shipped rule
 * pack and sectors with such a port.
 */
#ifndef BANAUDIT_TEST_FIXTURE_H
#define BANAUDIT_TEST_FIXTURE_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <dirent.h>
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

#include "match.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

/*
 * The shipped rule pack (rules/) of a group of tests:
 * cmocka_run_group_tests(tests, fx_pack_setup, fx_pack_teardown) loads it
 * into fx_pack before the first test and frees it after the last.
 */
static struct rule_pack *fx_pack;

static inline int
fx_pack_setup(void **state)
{
	char err[ERRLEN];

	(void)state;
	if (rules_load("rules", &fx_pack, err, sizeof(err)) != 0) {
		fprintf(stderr, "rules_load: %s\n", err);
		return -1;
	}
	return 0;
}

static inline int
fx_pack_teardown(void **state)
{
	(void)state;
	rules_free(fx_pack);
	fx_pack = NULL;
	return 0;
}

/*
 * The matcher's differential tests (test_prefilter, test_sigscan) read
 * the shipped pack (fx_pack) and the match-types pack (fx_types,
 * tests/data/rules/match-types) and build values in fx_vbuf (FX_VMAX
 * bytes and a NUL after them: regexec() under ASan reads it):
 * fx_packs_setup() loads both and makes the buffer, fx_packs_teardown()
 * frees them.
 */
#define FX_VMAX		(MATCH_MAX_VALUE + 4 * RULES_MAX_PATTERN)
static struct rule_pack *fx_types;
static char *fx_vbuf;

static inline int
fx_packs_setup(void **state)
{
	char err[ERRLEN];

	if (fx_pack_setup(state) != 0)
		return -1;
	if (rules_load("tests/data/rules/match-types", &fx_types, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "rules_load: %s\n", err);
		return -1;
	}
	fx_vbuf = calloc(1, FX_VMAX + 1);
	return fx_vbuf == NULL ? -1 : 0;
}

static inline int
fx_packs_teardown(void **state)
{
	free(fx_vbuf);
	fx_vbuf = NULL;
	rules_free(fx_types);
	fx_types = NULL;
	return fx_pack_teardown(state);
}

/*
 * pre, len bytes of mid and post, one after another in fx_vbuf with a
 * NUL after them (the test fails past cap bytes); their length.
 */
static inline size_t
fx_vjoin(const char *pre, const char *mid, size_t len, const char *post,
    size_t cap)
{
	size_t a = strlen(pre), c = strlen(post);

	assert_true(a + len + c <= cap && cap <= FX_VMAX);
	memcpy(fx_vbuf, pre, a);
	memcpy(fx_vbuf + a, mid, len);
	memcpy(fx_vbuf + a + len, post, c);
	fx_vbuf[a + len + c] = '\0';
	return a + len + c;
}

/*
 * A signature of match type mt and pattern, compiled as rules_load()
 * compiles it (one at a time: its id and pattern are static).
 */
static inline void
fx_make_sig(struct signature *s, enum match_type mt, const char *pattern)
{
	static char id[] = "t", pat[RULES_MAX_PATTERN + 1];
	char err[ERRLEN];

	assert_true(strlen(pattern) < sizeof(pat));
	memcpy(pat, pattern, strlen(pattern) + 1);
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->match = mt;
	s->pattern = pat;
	assert_int_equal(match_compile(s, err, sizeof(err)), 0);
}

/* A small deterministic generator (xorshift64*), so failures repeat. */
static inline uint64_t
fx_rnd(uint64_t *st)
{
	*st ^= *st >> 12;
	*st ^= *st << 25;
	*st ^= *st >> 27;
	return *st * 0x2545f4914f6cdd1dULL;
}

/* c in upper case (ASCII letters; other bytes as they are). */
static inline char
fx_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* The signature of pack with id, or NULL. */
static inline const struct signature *
sig_find(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsigs; i++)
		if (strcmp(p->sigs[i].id, id) == 0)
			return &p->sigs[i];
	return NULL;
}

/*
 * Runs SQL on the file behind the store's back; with keep_wal, as a
 * writer that leaves its WAL (one killed or still running) would.
 */
static inline void
raw_sql_wal(const char *path, const char *sql, int keep_wal)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		fail_msg("sqlite3_open(%s)", path);
	if (keep_wal)
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
		    NULL);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static inline void
raw_sql(const char *path, const char *sql)
{
	raw_sql_wal(path, sql, 0);
}

/*
 * What one SQL statement on the file at path (not the store's connection)
 * says in its first column: want, or the test fails.
 */
static inline void
sql_text(const char *path, const char *sql, const char *want)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The store at path opened in mode m; the test fails if it cannot be. */
/* The one integer a query (a pragma) gives on connection db. */
static inline int64_t
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static inline struct store *
open_ok(const char *path, enum store_mode m)
{
	struct store *s = NULL;
	char err[ERRLEN];

	if (store_open(path, m, &s, err, sizeof(err)) != 0)
		fail_msg("store_open(%s): %s", path, err);
	assert_non_null(s);
	return s;
}

/* A scan run of scope begun at started (rules 2026.11.0); its id. */
static inline int64_t
begin_run(struct store *s, const char *scope, int64_t started)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.started = started;
	ri.tool_version = "0.1.0";
	ri.rules_version = "2026.11.0";
	if (store_run_begin(s, &ri, err, sizeof(err)) != 0)
		fail_msg("store_run_begin: %s", err);
	return ri.id;
}

static inline void
end_run(struct store *s, int64_t run, enum run_status st)
{
	char err[ERRLEN];

	if (store_run_end(s, run, st, err, sizeof(err)) != 0)
		fail_msg("store_run_end: %s", err);
}

/*
 * Host hi in run, with the coverage of an SNMP read that went well
 * (assessed: a finding gone from it is resolved); its id.  The test
 * fails when the store refuses.
 */
static inline int64_t
host_assessed(struct store *s, int64_t run, const struct host_info *hi)
{
	struct coverage c;
	char err[ERRLEN];
	int64_t id;

	if (store_host(s, run, hi, &id, err, sizeof(err)) != 0)
		fail_msg("store_host: %s", err);
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = COV_OK;
	if (store_coverage(s, run, id, &c, err, sizeof(err)) != 0)
		fail_msg("store_coverage: %s", err);
	return id;
}

/*
 * An SNMP observation of host h in run: item's attr read from source,
 * len bytes of type vt at v, its value named by key (0: none) with the
 * store's reference *ref (ref may be NULL; store_observation_keyed());
 * its id.  The test fails when the store refuses.
 */
static inline int64_t
obs_stored_keyed(struct store *s, int64_t run, int64_t h, enum obs_kind k,
    const char *item, const char *attr, const char *source,
    enum value_type vt, const void *v, size_t len, uint64_t key,
    uint32_t *ref)
{
	struct observation o;
	char err[ERRLEN];
	int64_t id = 0;

	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = vt;
	o.value = v;
	o.len = len;
	if (store_observation_keyed(s, run, h, CHAN_SNMP, &o, key, ref, &id,
	    err, sizeof(err)) != 0)
		fail_msg("store_observation_keyed: %s", err);
	return id;
}

/* The same, the value named by no key. */
static inline void
obs_stored(struct store *s, int64_t run, int64_t h, enum obs_kind k,
    const char *item, const char *attr, const char *source,
    enum value_type vt, const void *v, size_t len)
{
	(void)obs_stored_keyed(s, run, h, k, item, attr, source, vt, v, len,
	    0, NULL);
}

/*
 * Counters for the store's listings (store_each_*): each adds one to the
 * size_t at arg and goes on.
 */
static inline int
tally_row(void *arg, const void *row)
{
	(void)row;
	(*(size_t *)arg)++;
	return 0;
}

static inline int
tally_runs(void *arg, const struct run_info *r)
{
	return tally_row(arg, r);
}

static inline int
tally_hosts(void *arg, const struct host_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_obs(void *arg, const struct obs_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_cov(void *arg, const struct coverage_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_leads(void *arg, const struct lead_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_findings(void *arg, const struct finding_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_unassessed(void *arg, const struct unassessed_row *r)
{
	return tally_row(arg, r);
}

static inline int
tally_waivers(void *arg, const struct waiver *w)
{
	return tally_row(arg, w);
}

static inline int
tally_ids(void *arg, int64_t id)
{
	(void)id;
	(*(size_t *)arg)++;
	return 0;
}

/*
 * Makes a new folder base.XXXXXX (base a path, e.g. "/tmp/test_x") in
 * dir (len bytes); 0, or -1.  The test removes it with rm_tree().
 */
static inline int
scratch_dir(char *dir, size_t len, const char *base)
{
	int n = snprintf(dir, len, "%s.XXXXXX", base);

	if (n < 0 || (size_t)n >= len)
		return -1;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

/* Removes the files (and empty folders) in dir, then dir. */
static inline void
rm_tree(const char *dir)
{
	struct dirent *de;
	char p[PATH_MAX];
	DIR *d;
	int n;

	d = opendir(dir);
	if (d != NULL) {
		for (de = readdir(d); de != NULL; de = readdir(d)) {
			if (de->d_name[0] == '.')
				continue;
			n = snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			if (n < 0 || (size_t)n >= sizeof(p))
				continue;	/* no such path: rmdir(dir) fails */
			if (unlink(p) == -1)
				rmdir(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/*
 * A UDP socket bound to 127.0.0.1 on a port the kernel picks, never read:
 * an SNMP target there times out, and no other test's daemon can hold the
 * port.  Returns the socket (the caller closes it) with *port set, or -1.
 */
static inline int
udp_silent(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A scan test's world: the shipped rules and sectors, a silent port. */
struct scan_world {
	struct rule_pack	*pack;
	struct sector_set	 sectors;
	int			 sink_fd;	/* udp_silent() */
	unsigned		 sink_port;
};

/*
 * Loads rules/ and sectors/ (run from the top of the tree) and binds the
 * silent port: the port is ours, so no other test's daemon answers.
 * 0, or -1 with the reason on stderr (w is then freed).
 */
static inline int
scan_world_open(struct scan_world *w)
{
	char err[ERRLEN];

	memset(w, 0, sizeof(*w));
	w->sink_fd = -1;
	if (rules_load("rules", &w->pack, err, sizeof(err)) != 0 ||
	    sector_set_load("sectors", &w->sectors, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		rules_free(w->pack);
		w->pack = NULL;
		return -1;
	}
	w->sink_fd = udp_silent(&w->sink_port);
	return w->sink_fd == -1 ? -1 : 0;
}

static inline void
scan_world_close(struct scan_world *w)
{
	if (w->sink_fd != -1)
		close(w->sink_fd);
	sector_set_free(&w->sectors);
	rules_free(w->pack);
	memset(w, 0, sizeof(*w));
	w->sink_fd = -1;
}

#endif
