/*
 * store_merge: rolls a site's database up into this one.  The site file is
 * ATTACHed read-only (a "file:" URI with mode=ro) as "site", checked, and
 * its finished runs that this store lacks (by uuid) are copied with
 * INSERT ... SELECT in one transaction; hosts are mapped one by one through
 * their identity keys.  store.h says what is kept and how.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/* PRAGMA application_id of a banaudit database ("BANA"; store.c). */
#define APPLICATION_ID	0x42414e41
#define SITE_TABLES	8
#define MAX_KEYS	64	/* identity keys of one site host we look at */

struct merge {
	struct store		*s;
	const char		*path;
	char			 sitename[128];	/* file name without ".db" */
	const char		*filename;	/* last path component */
	sqlite3_stmt		*st[MS__COUNT];
	int			 version;
	struct store_vcache	*vcache;	/* the site's values read */
	enum merge_mode		 mode;
	int64_t			 obs_base, find_base;
	struct merge_stats	*stats;
	char			*err;
	size_t			 errlen;
	char			 check[160];	/* quick_check's first line */
};

static int site_err(struct merge *, const char *, ...) PRINTF_LIKE(2, 3);

/* "PATH: message", or "PATH: what: SQLite's reason". */
static int
site_err(struct merge *m, const char *fmt, ...)
{
	char msg[ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf(m->err, m->errlen, "%s: %s", m->path, msg);
}

static int
site_dberr(struct merge *m, const char *what)
{
	return site_err(m, "%s: %s", what, store_reason(
	    sqlite3_extended_errcode(m->s->db), sqlite3_errmsg(m->s->db)));
}

static sqlite3_stmt *
stmt(struct merge *m, enum merge_stmt_id id)
{
	if (m->st[id] == NULL) {
		if (sqlite3_prepare_v2(m->s->db, store_merge_sql[id], -1,
		    &m->st[id], NULL) != SQLITE_OK) {
			site_dberr(m, "not a database this banaudit can merge");
			return NULL;
		}
	} else {
		sqlite3_reset(m->st[id]);
		sqlite3_clear_bindings(m->st[id]);
	}
	return m->st[id];
}

static void
finalize_all(struct merge *m)
{
	size_t i;

	for (i = 0; i < MS__COUNT; i++) {
		sqlite3_finalize(m->st[i]);
		m->st[i] = NULL;
	}
	store_vcache_free(m->vcache);
	m->vcache = NULL;
}

/* Runs statement id, bound with up to two integers, to completion. */
static int
exec_ids(struct merge *m, enum merge_stmt_id id, int64_t a, int64_t b,
    const char *what)
{
	sqlite3_stmt *st = stmt(m, id);

	if (st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) != SQLITE_DONE)
		return site_dberr(m, what);
	return 0;
}

/* Reads PRAGMA site.NAME. */
static int
site_pragma(struct merge *m, const char *name, int *out)
{
	sqlite3_stmt *st = NULL;
	char sql[64], *p;
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA site.%s", name);
	if (sqlite3_prepare_v2(m->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return site_dberr(m, "cannot read it");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && strcmp(name, "quick_check") == 0) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		*out = v != NULL && strcmp(v, "ok") == 0;
		str_copy(m->check, v != NULL ? v : "", sizeof(m->check));
		/* Its lines, on one. */
		for (p = m->check; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
	} else if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else {
		site_dberr(m, "cannot read it");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * quick_check said something other than "ok".  A page it could not read
 * is "unable to get the page. error code=N": damage only when N is
 * SQLITE_CORRUPT; out of memory or an I/O error is no verdict on the
 * file, and says so.
 */
static int
check_failed(struct merge *m)
{
	const char *p;
	long code;

	p = strstr(m->check, "error code=");
	if (p != NULL) {
		code = strtol(p + strlen("error code="), NULL, 10);
		if ((code & 0xff) != SQLITE_CORRUPT)
			return site_err(m, "cannot check it (PRAGMA "
			    "quick_check could not read a page): %s",
			    store_reason((int)code, sqlite3_errstr((int)code)));
	}
	return site_err(m, "the database file is damaged (PRAGMA "
	    "quick_check: %s)", m->check);
}

/* ATTACH 'file:PATH?mode=ro' AS site, with PATH percent-encoded. */
static int
attach(struct merge *m)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf uri = STRBUF_INIT(16 * 1024);
	sqlite3_stmt *st = NULL;
	const unsigned char *p;
	int rc = -1;

	strbuf_puts(&uri, "file:");
	for (p = (const unsigned char *)m->path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 ||
		    *p >= 0x7f) {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			strbuf_add(&uri, e, 3);
		} else
			strbuf_add(&uri, (const char *)p, 1);
	}
	strbuf_puts(&uri, "?mode=ro");
	if (uri.truncated || uri.oom) {
		site_err(m, uri.oom ? "out of memory" : "path too long");
		goto out;
	}
	if (sqlite3_prepare_v2(m->s->db, "ATTACH ?1 AS site", -1, &st,
	    NULL) != SQLITE_OK) {
		site_dberr(m, "cannot open it");
		goto out;
	}
	sqlite3_bind_text(st, 1, strbuf_str(&uri), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if ((sqlite3_errcode(m->s->db) & 0xff) == SQLITE_NOTADB)
			site_err(m, "not a banaudit database (not an SQLite "
			    "file)");
		else
			site_dberr(m, "cannot open it");
		goto out;
	}
	/* Without URI support the name would have been a new file. */
	if (sqlite3_db_readonly(m->s->db, "site") != 1) {
		sqlite3_exec(m->s->db, "DETACH site", NULL, NULL, NULL);
		site_err(m, "cannot open it read-only (SQLite without URI "
		    "file names)");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	strbuf_free(&uri);
	return rc;
}

static void
detach(struct merge *m)
{
	finalize_all(m);
	sqlite3_exec(m->s->db, "DETACH site", NULL, NULL, NULL);
}

/* Checks the attached file: ours, a version we read, intact. */
static int
check_site(struct merge *m)
{
	sqlite3_stmt *st;
	int appid, ok, n;

	if (site_pragma(m, "application_id", &appid) == -1) {
		if ((sqlite3_errcode(m->s->db) & 0xff) == SQLITE_NOTADB)
			return errf(m->err, m->errlen, "%s: not a banaudit "
			    "database (not an SQLite file)", m->path);
		return -1;
	}
	if (appid != APPLICATION_ID)
		return site_err(m, "not a banaudit database");
	if (site_pragma(m, "user_version", &m->version) == -1)
		return -1;
	if (m->version < 1 || m->version > STORE_SCHEMA_VERSION)
		return site_err(m, "schema version %d; this banaudit %s merges "
		    "versions 1 to %d", m->version, BANAUDIT_VERSION,
		    STORE_SCHEMA_VERSION);
	st = stmt(m, MS_CHECK_TABLES);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return site_dberr(m, "cannot read it");
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (n != SITE_TABLES)
		return site_err(m, "tables of a banaudit database are "
		    "missing");
	if (site_pragma(m, "quick_check", &ok) == -1)
		return -1;
	if (!ok)
		return check_failed(m);
	return 0;
}

/* Stat checks before SQLite sees the file; the central file is refused. */
static int
check_file(struct merge *m)
{
	struct stat sb, self;

	if (stat(m->path, &sb) == -1)
		return site_err(m, "%s", strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return site_err(m, "not a regular file");
	if (strcmp(m->s->path, ":memory:") != 0 &&
	    stat(m->s->path, &self) == 0 && self.st_dev == sb.st_dev &&
	    self.st_ino == sb.st_ino)
		return site_err(m, "this is the database merged into");
	return 0;
}

static int
merge_init(struct merge *m, struct store *s, const char *path,
    struct merge_stats *stats, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	memset(m, 0, sizeof(*m));
	m->s = s;
	m->path = path;
	m->stats = stats;
	m->err = err;
	m->errlen = errlen;
	m->filename = slash != NULL ? slash + 1 : path;
	str_copy(m->sitename, m->filename, sizeof(m->sitename));
	n = strlen(m->sitename);
	if (n > 3 && strcmp(m->sitename + n - 3, ".db") == 0)
		m->sitename[n - 3] = '\0';
	if (store_writable(s, err, errlen) == -1 || check_file(m) == -1)
		return -1;
	/* ATTACH cannot run inside a transaction: commit the batch. */
	return store_commit(s, err, errlen);
}

int
store_merge_check(struct store *s, const char *path, char *err,
    size_t errlen)
{
	struct merge m;
	int rc;

	if (merge_init(&m, s, path, NULL, err, errlen) == -1 ||
	    attach(&m) == -1)
		return -1;
	rc = check_site(&m);
	detach(&m);
	return rc;
}

/* --- copying ---------------------------------------------------------- */

static int
key_rank(const char *key)
{
	static const char *const prefix[] = {
		"uuid:", "serial:", "mac:", "addr:"
	};
	size_t i;

	for (i = 0; i < NELEM(prefix); i++)
		if (strncmp(key, prefix[i], strlen(prefix[i])) == 0)
			return (int)i;
	return (int)NELEM(prefix);
}

static int
cmp_key(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int d = key_rank(x) - key_rank(y);

	return d != 0 ? d : strcmp(x, y);
}

/* Looks up an id in this store by a statement bound with one text. */
static int
find_id(struct merge *m, enum stmt_id id, const char *text, int64_t *out)
{
	sqlite3_stmt *st = store_stmt(m->s, id, m->err, m->errlen);

	*out = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	return store_step_one(m->s, st, out, NULL, "cannot look up hosts",
	    m->err, m->errlen);
}

/* Binds and runs a statement of this store that changes rows. */
static int
store_step(struct merge *m, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(m->s, what, m->err, m->errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

/*
 * Maps site host old onto a host of this store: the same identity, else
 * the owner of its strongest key we know, else a new host with the site's
 * identity.  Its keys are added where free; first and last seen widen.
 */
static int
map_host(struct merge *m, int64_t old)
{
	sqlite3_stmt *st, *ks;
	char *keys[MAX_KEYS], *identity = NULL;
	const char *text;
	int64_t host = 0, first, last;
	size_t nkeys = 0, i;
	int discovered, rc = -1, step;

	st = stmt(m, MS_HOST_GET);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, old);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		return site_err(m, "host %lld is referred to but missing",
		    (long long)old);
	if (step != SQLITE_ROW)
		return site_dberr(m, "cannot read hosts");
	text = store_col_text(st, MH_IDENTITY);
	identity = str_dup(text);
	if (identity == NULL && (text != NULL ||
	    sqlite3_errcode(m->s->db) == SQLITE_NOMEM))
		return site_err(m, "out of memory");
	discovered = sqlite3_column_int(st, MH_DISCOVERED);
	first = sqlite3_column_int64(st, MH_FIRST_SEEN);
	last = sqlite3_column_int64(st, MH_LAST_SEEN);
	sqlite3_reset(st);
	if (identity == NULL || *identity == '\0') {
		site_err(m, "host %lld has no identity", (long long)old);
		goto out;
	}
	ks = stmt(m, MS_HOST_KEYS);
	if (ks == NULL)
		goto out;
	sqlite3_bind_int64(ks, 1, old);
	while (nkeys < MAX_KEYS) {
		step = sqlite3_step(ks);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			site_dberr(m, "cannot read host keys");
			goto out;
		}
		keys[nkeys] = str_dup(store_col_text(ks, 0));
		if (keys[nkeys] == NULL) {
			errf(m->err, m->errlen, "out of memory");
			goto out;
		}
		nkeys++;
	}
	sqlite3_reset(ks);
	qsort(keys, nkeys, sizeof(keys[0]), cmp_key);

	if (find_id(m, ST_HOST_BY_IDENTITY, identity, &host) == -1)
		goto out;
	for (i = 0; host == 0 && i < nkeys; i++)
		if (find_id(m, ST_KEY_FIND, keys[i], &host) == -1)
			goto out;
	if (host != 0)
		m->stats->hosts_matched++;
	else {
		st = store_stmt(m->s, ST_HOST_CREATE, m->err, m->errlen);
		if (st == NULL)
			goto out;
		sqlite3_bind_text(st, 1, identity, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, discovered != 0);
		sqlite3_bind_int64(st, 3, first);
		if (sqlite3_step(st) == SQLITE_ROW)
			host = sqlite3_column_int64(st, 0);
		if (store_step(m, st, "cannot record a host") == -1)
			goto out;
		if (host == 0) {
			errf(m->err, m->errlen, "%s: cannot record a host",
			    m->s->path);
			goto out;
		}
		m->stats->hosts_new++;
	}
	for (i = 0; i < nkeys; i++) {
		st = store_stmt(m->s, ST_KEY_KEEP, m->err, m->errlen);
		if (st == NULL)
			goto out;
		sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, host);
		if (store_step(m, st, "cannot record a host key") == -1)
			goto out;
	}
	st = store_stmt(m->s, ST_HOST_MERGE_SEEN, m->err, m->errlen);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, host);
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, last);
	sqlite3_bind_int(st, 4, discovered != 0);
	if (store_step(m, st, "cannot update a host") == -1 ||
	    exec_ids(m, MS_MAP_HOST, old, host, "cannot map a host") == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	free(identity);
	return rc;
}

/* Copies one site run row; maps its id. */
static int
copy_run(struct merge *m, sqlite3_stmt *src)
{
	struct strbuf origin = STRBUF_INIT(4096), scope = STRBUF_INIT(4096);
	const char *site = store_col_text(src, RC_SITE);
	const char *oscope = store_col_text(src, RC_SCOPE);
	const char *oorigin = store_col_text(src, RC_ORIGIN);
	const char *uuid = store_col_text(src, RC_UUID);
	sqlite3_stmt *st;
	size_t plen;
	int i, rc = -1;

	if (site == NULL || *site == '\0')
		site = m->sitename;
	strbuf_printf(&origin, "file=%s;run=%lld;uuid=%s", m->filename,
	    (long long)sqlite3_column_int64(src, RC_ID), uuid ? uuid : "");
	if (oorigin != NULL && *oorigin != '\0')
		strbuf_printf(&origin, " <- %s", oorigin);
	/* Runs compare only with runs of the same site. */
	plen = strlen(site);
	if (oscope == NULL || strncmp(oscope, site, plen) != 0 ||
	    oscope[plen] != '|')
		strbuf_printf(&scope, "%s|", site);
	strbuf_puts(&scope, oscope != NULL ? oscope : "");
	if (origin.oom || scope.oom) {
		errf(m->err, m->errlen, "out of memory");
		goto out;
	}
	st = stmt(m, MS_RUN_INSERT);
	if (st == NULL)
		goto out;
	for (i = RC_KIND; i <= RC_UUID; i++) {
		/*
		 * Site columns kind .. uuid, with three replaced: run column
		 * i is MS_RUN_INSERT's parameter i.
		 */
		if (i == RC_SCOPE)
			sqlite3_bind_text(st, i, strbuf_str(&scope), -1,
			    SQLITE_STATIC);
		else if (i == RC_SITE)
			sqlite3_bind_text(st, i, site, -1, SQLITE_STATIC);
		else if (i == RC_ORIGIN)
			sqlite3_bind_text(st, i, strbuf_str(&origin), -1,
			    SQLITE_STATIC);
		else if (sqlite3_bind_value(st, i, sqlite3_column_value(src,
		    i)) != SQLITE_OK) {
			/* Its copy of the value: a NULL would be bound. */
			site_dberr(m, "cannot copy a run");
			goto out;
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(m->s, "cannot record a merged run", m->err,
		    m->errlen);
		goto out;
	}
	rc = exec_ids(m, MS_MAP_RUN, sqlite3_column_int64(src, RC_ID),
	    sqlite3_last_insert_rowid(m->s->db), "cannot map a run");
	if (rc == 0)
		m->stats->runs++;
out:
	strbuf_free(&origin);
	strbuf_free(&scope);
	return rc;
}

/*
 * Row r's source as the SQL copy spells it (SOURCE_SQL_TEXT): a prefix id
 * of the site becomes the prefix's text, a dot and the item, in *b; no
 * such prefix, no source.  0, or -1 with a message.
 */
static int
site_source(struct merge *m, struct store_packrow *r, struct store_dstr *b)
{
	sqlite3_stmt *st;
	const char *p;
	size_t pl, il;
	int rc;

	if (r->source != 2)
		return 0;
	st = stmt(m, MS_SITE_PREFIX);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->source_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return site_dberr(m, "cannot read the source prefixes");
	p = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	r->source = 0;
	if (p == NULL)
		return 0;
	pl = strlen(p);
	il = strlen(r->item);
	b->used = 0;
	if (store_dstr_room(b, pl + il + 2, 256) == -1)
		return site_err(m, "out of memory");
	memcpy(b->p, p, pl);
	b->p[pl] = '.';
	memcpy(b->p + pl + 1, r->item, il + 1);
	r->source = 1;
	r->source_text = b->p;
	return 0;
}

/*
 * The bytes of r's value stored once (a schema 9 site's), into r: 0, or -1
 * with a message.
 */
static int
site_value(struct merge *m, struct store_packrow *r)
{
	sqlite3_stmt *st = stmt(m, MS_SITE_VALUE);

	if (st == NULL || store_value_get(m->s, st, &m->vcache, m->path,
	    r->vref, &r->value, &r->len, m->err, m->errlen) == -1)
		return -1;
	r->vref = 0;
	return 0;
}

/*
 * A schema 6 to 9 site's every observation: its blocks in key order, each
 * decoded here (store_unpack_next(), as the store's own readers do)
 * instead of spelled out in SQL, whose window functions sort every row.
 */
static int
copy_blocks(struct merge *m)
{
	struct store_unpack u;
	struct store_packrow r;
	struct store_dstr src = { NULL, 0, 0 };
	sqlite3_stmt *st;
	int64_t run, host;
	int rc, k = 0;

	st = stmt(m, MS_OBSERVATIONS_V6);
	if (st == NULL)
		return -1;
	memset(&u, 0, sizeof(u));
	while (k == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		run = sqlite3_column_int64(st, 0);
		host = sqlite3_column_int64(st, 1);
		store_unpack_init(&u, sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (size_t)sqlite3_column_bytes(st, 3),
		    sqlite3_column_blob(st, 4),
		    (size_t)sqlite3_column_bytes(st, 4));
		while ((k = store_unpack_next(&u, &r, m->err,
		    m->errlen)) == 1) {
			r.run = run;
			r.host = host;
			r.id += m->obs_base;
			if (r.vref > 0 && site_value(m, &r) == -1) {
				k = -2;		/* said by the call */
				break;
			}
			if (site_source(m, &r, &src) == -1 ||
			    store_pack_add(m->s, &r, m->err, m->errlen) == -1) {
				k = -2;		/* said by the call */
				break;
			}
			m->stats->observations++;
		}
		if (k == -1 && u.oom)
			site_err(m, "cannot copy observations: %s", m->err);
		else if (k == -1)
			site_err(m, "a block of observations is damaged: %s",
			    m->err);
	}
	store_unpack_free(&u);
	free(src.p);
	if (k < 0) {
		store_pack_abandon(m->s);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_pack_abandon(m->s);
		return site_dberr(m, "cannot copy observations");
	}
	return 0;
}

/*
 * The site's observations (all, or the evidence alone), read in key order
 * with this store's run, host and observation ids, and packed as the
 * writer packs them.
 */
static int
copy_observations(struct merge *m)
{
	struct store_packrow r;
	enum merge_stmt_id id;
	sqlite3_stmt *st;
	int rc;

	if (m->mode == MERGE_FULL && m->version >= 6) {
		if (copy_blocks(m) == -1)
			return -1;
		goto end;
	}
	if (m->mode == MERGE_FULL)
		id = m->version >= 6 ? MS_OBSERVATIONS_V6 : m->version >= 5 ?
		    MS_OBSERVATIONS_V5 : MS_OBSERVATIONS;
	else
		id = m->version >= 6 ? MS_OBSERVATIONS_EVIDENCE_V6 :
		    m->version >= 5 ? MS_OBSERVATIONS_EVIDENCE_V5 :
		    MS_OBSERVATIONS_EVIDENCE;
	st = stmt(m, id);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->obs_base);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_packrow_from(st, 0, &r);
		/*
		 * A schema 9 site's value is never NULL but for a row that
		 * names a value stored once the site does not have.
		 */
		if (m->version >= 9 && sqlite3_column_type(st, 9) ==
		    SQLITE_NULL) {
			store_pack_abandon(m->s);
			return site_err(m, "cannot copy observations: "
			    "observation %lld names a value that is not in "
			    "the database", (long long)(sqlite3_column_int64(st,
			    2) - m->obs_base));
		}
		if (store_pack_add(m->s, &r, m->err, m->errlen) == -1)
			return -1;
		m->stats->observations++;
	}
	if (rc != SQLITE_DONE) {
		store_pack_abandon(m->s);
		return site_dberr(m, "cannot copy observations");
	}
end:
	if (store_pack_end(m->s, m->err, m->errlen) == -1)
		return -1;
	return exec_ids(m, MS_OBS_IDS_SAVE, 0, 0,
	    "cannot number observations");
}

static int
copy_rows(struct merge *m)
{
	sqlite3_stmt *st;
	int64_t host;
	int rc;

	if (sqlite3_exec(m->s->db, store_merge_setup, NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_exec(m->s->db, m->version >= 9 ?
	    store_merge_values_v9 : store_merge_values_none, NULL, NULL,
	    NULL) != SQLITE_OK)
		return store_dberr(m->s, "cannot prepare the merge", m->err,
		    m->errlen);
	st = stmt(m, MS_MAX_IDS);
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
		return st == NULL ? -1 : site_dberr(m, "cannot read ids");
	m->obs_base = sqlite3_column_int64(st, MX_OBSERVATION);
	m->find_base = sqlite3_column_int64(st, MX_FINDING);
	sqlite3_reset(st);

	st = stmt(m, MS_RUNS_SKIPPED);
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
		return st == NULL ? -1 : site_dberr(m, "cannot read runs");
	m->stats->runs_running = (size_t)sqlite3_column_int64(st,
	    MR_RUNNING);
	m->stats->runs_present = (size_t)sqlite3_column_int64(st,
	    MR_PRESENT);
	sqlite3_reset(st);

	/* Runs first (copy_run() uses other statements while st steps). */
	st = stmt(m, MS_RUNS_NEW);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (copy_run(m, st) == -1)
			return -1;
	if (rc != SQLITE_DONE)
		return site_dberr(m, "cannot read runs");
	if (m->stats->runs == 0)
		return 0;

	st = stmt(m, m->version >= 6 ? MS_HOSTS_USED_V6 : MS_HOSTS_USED);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		host = sqlite3_column_int64(st, 0);
		if (map_host(m, host) == -1)
			return -1;
	}
	if (rc != SQLITE_DONE)
		return site_dberr(m, "cannot read hosts");

	if (exec_ids(m, m->version >= 4 ? MS_RUN_HOSTS_V4 : MS_RUN_HOSTS, 0,
	    0, "cannot copy run hosts") == -1 || copy_observations(m) == -1)
		return -1;
	if (exec_ids(m, MS_COVERAGE, 0, 0, "cannot copy coverage") == -1 ||
	    exec_ids(m, m->version >= 4 ? MS_FINDINGS_V4 :
	    m->version >= 3 ? MS_FINDINGS_V3 :
	    m->version >= 2 ? MS_FINDINGS_V2 : MS_FINDINGS_V1,
	    m->obs_base, m->find_base, "cannot copy findings") == -1)
		return -1;
	m->stats->findings = (size_t)sqlite3_changes(m->s->db);
	return exec_ids(m, m->version >= 6 ? MS_EVIDENCE_V6 :
	    m->version >= 5 ? MS_EVIDENCE_V5 : MS_EVIDENCE,
	    m->obs_base, m->find_base,
	    "cannot copy evidence");
}

/*
 * The message of a failed merge names the site file: one about the
 * database merged into ("central.db: cannot record a merged run: the disk
 * is full") is put after it.
 */
static int
merge_failed(const char *path, char *err, size_t errlen)
{
	char msg[ERRLEN];

	if (err == NULL || errlen == 0 || strstr(err, path) != NULL)
		return -1;
	str_copy(msg, err, sizeof(msg));
	return errf(err, errlen, "%s: %s", path, msg);
}

int
store_merge_as(struct store *s, const char *path, enum merge_mode mode,
    struct merge_stats *stats, char *err, size_t errlen)
{
	struct merge_stats dummy;
	struct merge m;
	int rc = -1;

	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	if (merge_init(&m, s, path, stats, err, errlen) == -1)
		return merge_failed(path, err, errlen);
	m.mode = mode;
	if (attach(&m) == -1)
		return merge_failed(path, err, errlen);
	if (check_site(&m) == -1)
		goto out;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		store_dberr(s, "cannot begin the merge", err, errlen);
		goto out;
	}
	rc = copy_rows(&m);
	/* Reset every statement before COMMIT or ROLLBACK. */
	finalize_all(&m);
	if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		store_dberr(s, "cannot commit the merge", err, errlen);
		rc = -1;
	}
	if (rc == -1) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		memset(stats, 0, sizeof(*stats));
	} else if (store_obs_load(s, err, errlen) == -1)
		rc = -1;
out:
	detach(&m);
	if (rc == -1)
		merge_failed(path, err, errlen);
	return rc;
}
