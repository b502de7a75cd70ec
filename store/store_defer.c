/*
 * store_defer: coverage records and host names held back and written
 * STORE_HOST_GROUP at a time (store_defer(), store.h).  A scan writes two
 * coverage rows and a name for each host as it finishes: one statement
 * each cost an identity scan about 9 % of its CPU (issue 13,
 * docs/PERFORMANCE.md).  The rows wait in struct store (store_int.h) and
 * go in, in the order given, when a group of their kind is full, before
 * any statement that reads or changes coverage or a run's hosts
 * (store_stmt()'s gate), before a savepoint, and at the batch's commit.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

void
store_defer(struct store *s, int on)
{
	s->defer = on != 0;
}

/* Copies v (NULL: STORE_DNULL) into b; its offset in *off. */
static int
keep_str(struct store_dstr *b, const char *v, size_t *off)
{
	size_t n;

	*off = STORE_DNULL;
	if (v == NULL)
		return 0;
	n = strlen(v) + 1;
	if (store_dstr_room(b, n, 4096) == -1)
		return -1;
	memcpy(b->p + b->used, v, n);
	*off = b->used;
	b->used += n;
	return 0;
}

static const char *
str_at(const struct store_dstr *b, size_t off)
{
	return off == STORE_DNULL ? NULL : b->p + off;
}

/* Binds coverage row v as parameters p .. p + 7. */
static void
bind_cov(const struct store *s, sqlite3_stmt *st, int p, const void *v)
{
	const struct store_dcov *c = v;

	sqlite3_bind_int64(st, p, c->run);
	sqlite3_bind_int64(st, p + 1, c->host);
	sqlite3_bind_text(st, p + 2, channel_name((enum channel)c->chan), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, p + 3, str_at(&s->dcov_str, c->probe), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, p + 4,
	    cov_status_name((enum cov_status)c->status), -1, SQLITE_STATIC);
	store_bind_text(st, p + 5, str_at(&s->dcov_str, c->detail));
	store_bind_text(st, p + 6, str_at(&s->dcov_str, c->profile));
	sqlite3_bind_int64(st, p + 7, c->elapsed_ms);
}

/* Binds name row v as ST_RUN_HOST_NAME's parameters p .. p + 2. */
static void
bind_name(const struct store *s, sqlite3_stmt *st, int p, const void *v)
{
	const struct store_dname *d = v;

	sqlite3_bind_int64(st, p, d->run);
	sqlite3_bind_int64(st, p + 1, d->host);
	sqlite3_bind_text(st, p + 2, str_at(&s->dname_str, d->name), -1,
	    SQLITE_STATIC);
}

/* The first host of each half of ST_RUN_HOST_NAME_SPAN's tree. */
static int
cmp_dname_host(const void *a, const void *b)
{
	const struct store_dname *x = a, *y = b;

	return x->host < y->host ? -1 : x->host > y->host;
}

/*
 * Binds ST_RUN_HOST_NAME_SPAN's tree over d[lo .. hi - 1] (sorted by
 * host) from parameter *p on, in the order of store_sql.c's NAME_TREE64:
 * a split's first host of the right half, the left half, the right half;
 * a leaf's four (host, name) pairs.
 */
static void
bind_name_tree(const struct store *s, sqlite3_stmt *st,
    const struct store_dname *d, size_t lo, size_t hi, int *p)
{
	size_t j, mid;

	if (hi - lo == 4) {
		for (j = lo; j < hi; j++) {
			sqlite3_bind_int64(st, (*p)++, d[j].host);
			sqlite3_bind_text(st, (*p)++, str_at(&s->dname_str,
			    d[j].name), -1, SQLITE_STATIC);
		}
		return;
	}
	mid = lo + (hi - lo) / 2;
	sqlite3_bind_int64(st, (*p)++, d[mid].host);
	bind_name_tree(s, st, d, lo, mid, p);
	bind_name_tree(s, st, d, mid, hi, p);
}

/*
 * A whole group of names of one run with one statement: 1 when written,
 * 0 when the group is not that (each name then goes alone), -1 on a
 * failure.  Hosts within 2 * STORE_HOST_GROUP ids of each other (an
 * identity scan's, which finish about in order) go with
 * ST_RUN_HOST_NAME_SPAN, a walk along the run's key from the first to
 * the last; others with ST_RUN_HOST_NAME_MANY, a seek a host.  The hosts
 * of a group are distinct (store_defer_name()): their order is free.
 */
static int
names_many(struct store *s, char *err, size_t errlen)
{
	struct store_dname *d = s->dname;
	sqlite3_stmt *st;
	size_t j;
	int p = 2 * STORE_HOST_GROUP + 1;

	if (s->ndname != STORE_HOST_GROUP)
		return 0;
	for (j = 1; j < s->ndname; j++)
		if (d[j].run != d[0].run)
			return 0;
	qsort(d, s->ndname, sizeof(*d), cmp_dname_host);
	if (d[s->ndname - 1].host - d[0].host < 2 * STORE_HOST_GROUP) {
		st = store_stmt(s, ST_RUN_HOST_NAME_SPAN, err, errlen);
		if (st == NULL)
			return -1;
		p = 1;
		bind_name_tree(s, st, d, 0, s->ndname, &p);
		sqlite3_bind_int64(st, p, d[0].run);
		sqlite3_bind_int64(st, p + 1, d[0].host);
		sqlite3_bind_int64(st, p + 2, d[s->ndname - 1].host);
	} else {
		st = store_stmt(s, ST_RUN_HOST_NAME_MANY, err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, p, d[0].run);
		for (j = 0; j < s->ndname; j++) {
			sqlite3_bind_int64(st, 2 * (int)j + 1, d[j].host);
			sqlite3_bind_text(st, 2 * (int)j + 2,
			    str_at(&s->dname_str, d[j].name), -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, p + 1 + (int)j, d[j].host);
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot name the host", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	return 1;
}

/*
 * Rows v[0 .. n - 1] (size bytes each, np parameters each): with many
 * (exactly STORE_HOST_GROUP rows) while a whole group is left, the rest
 * with one (a row); all with one when many is one.
 */
static int
write_rows(struct store *s, enum stmt_id many, enum stmt_id one,
    const void *v, size_t n, size_t size, int np,
    void (*bind)(const struct store *, sqlite3_stmt *, int, const void *),
    const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t i = 0, j, k;
	int p;

	while (i < n) {
		k = many != one && n - i >= STORE_HOST_GROUP ?
		    STORE_HOST_GROUP : 1;
		st = store_stmt(s, k > 1 ? many : one, err, errlen);
		if (st == NULL)
			return -1;
		for (j = 0, p = 1; j < k; j++, p += np)
			bind(s, st, p, (const char *)v + (i + j) * size);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_dberr(s, what, err, errlen);
			return store_done(st, -1);
		}
		store_done(st, 0);
		i += k;
	}
	return 0;
}

/* The order of coverage's key: run, host, channel, probe. */
static int
cmp_dcov(const struct store *s, const struct store_dcov *x,
    const struct store_dcov *y)
{
	int c;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	if (x->chan != y->chan) {
		c = strcmp(channel_name((enum channel)x->chan),
		    channel_name((enum channel)y->chan));
		if (c != 0)
			return c;
	}
	return strcmp(str_at(&s->dcov_str, x->probe),
	    str_at(&s->dcov_str, y->probe));
}

/*
 * The held coverage rows in key order, records of one probe in the order
 * given (an insertion sort: stable, and quick on rows that come about in
 * order, as a scan's hosts finish).  A scan gives a host's probe rows
 * before its channel row (probe ""), so each second row went in before
 * the first: in key order each insert lands after the last, where SQLite
 * finds its place without a seek from the root (a bench of 4,096 hosts'
 * rows: 72.9 M instructions -> 67.1 M).  The table is the same: a later
 * record of a probe still replaces an earlier one.
 */
static void
sort_cov(struct store *s)
{
	struct store_dcov t;
	size_t i, j;

	for (i = 1; i < s->ndcov; i++) {
		t = s->dcov[i];
		for (j = i; j > 0 && cmp_dcov(s, &s->dcov[j - 1], &t) > 0; j--)
			s->dcov[j] = s->dcov[j - 1];
		s->dcov[j] = t;
	}
}

/* The coverage rows held back (written, or lost with a failure). */
static int
flush_cov(struct store *s, char *err, size_t errlen)
{
	int rc;

	s->dbusy = 1;
	sort_cov(s);
	rc = write_rows(s, ST_COV_MANY, ST_COV_UPSERT, s->dcov, s->ndcov,
	    sizeof(s->dcov[0]), 8, bind_cov, "cannot record coverage", err,
	    errlen);
	s->dbusy = 0;
	s->ndcov = 0;
	s->dcov_str.used = 0;
	return rc;
}

/* The names held back (written, or lost with a failure). */
static int
flush_name(struct store *s, char *err, size_t errlen)
{
	int rc;

	s->dbusy = 1;
	rc = names_many(s, err, errlen);
	if (rc == 0)
		rc = write_rows(s, ST_RUN_HOST_NAME, ST_RUN_HOST_NAME,
		    s->dname, s->ndname, sizeof(s->dname[0]), 3, bind_name,
		    "cannot name the host", err, errlen);
	else if (rc == 1)
		rc = 0;
	s->dbusy = 0;
	s->ndname = 0;
	s->dname_str.used = 0;
	return rc;
}

int
store_defer_flush(struct store *s, char *err, size_t errlen)
{
	int rc = 0;

	if (s->dbusy)
		return 0;
	if (s->ndcov > 0)
		rc = flush_cov(s, err, errlen);
	if (s->ndname > 0) {
		if (rc == 0)
			rc = flush_name(s, err, errlen);
		else
			store_defer_drop(s);
	}
	return rc;
}

void
store_defer_drop(struct store *s)
{
	s->ndcov = 0;
	s->ndname = 0;
	s->dcov_str.used = 0;
	s->dname_str.used = 0;
}

void
store_defer_free(struct store *s)
{
	store_defer_drop(s);
	free(s->dcov_str.p);
	free(s->dname_str.p);
	memset(&s->dcov_str, 0, sizeof(s->dcov_str));
	memset(&s->dname_str, 0, sizeof(s->dname_str));
}

static int
oom(struct store *s, char *err, size_t errlen)
{
	return errf(err, errlen, "%s: cannot hold a row back: out of memory",
	    s->path);
}

int
store_defer_cov(struct store *s, int64_t run, int64_t host,
    const struct coverage *c, char *err, size_t errlen)
{
	struct store_dcov *d;

	if (s->ndcov == STORE_HOST_GROUP && flush_cov(s, err, errlen) == -1)
		return -1;
	d = &s->dcov[s->ndcov];
	if (keep_str(&s->dcov_str, c->probe != NULL ? c->probe : "",
	    &d->probe) == -1 ||
	    keep_str(&s->dcov_str, c->detail, &d->detail) == -1 ||
	    keep_str(&s->dcov_str, c->profile, &d->profile) == -1)
		return oom(s, err, errlen);
	d->run = run;
	d->host = host;
	d->elapsed_ms = c->elapsed_ms;
	d->chan = (unsigned char)c->channel;
	d->status = (unsigned char)c->status;
	s->ndcov++;
	return 0;
}

int
store_defer_name(struct store *s, int64_t run, int64_t host,
    const char *name, char *err, size_t errlen)
{
	struct store_dname *d;
	size_t i;

	/* The first name given wins, as the statement's "name IS NULL". */
	for (i = 0; i < s->ndname; i++)
		if (s->dname[i].run == run && s->dname[i].host == host)
			return 0;
	if (s->ndname == STORE_HOST_GROUP && flush_name(s, err,
	    errlen) == -1)
		return -1;
	d = &s->dname[s->ndname];
	if (keep_str(&s->dname_str, name, &d->name) == -1)
		return oom(s, err, errlen);
	d->run = run;
	d->host = host;
	s->ndname++;
	return 0;
}
