/*
 * store: opening and closing, schema migrations, the writer lock and the
 * batch transaction.  The statement cache and error translation are in
 * store_stmt.c (its held() and lost() hooks are set here); the SQL in
 * store_sql.c; runs in store_run.c; hosts in store_host.c; observations
 * and coverage in store_data.c, findings in store_find.c; the
 * observation buffer and its packed blocks in store_obuf.c; coverage and
 * names held back in store_defer.c.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "log.h"
#include "store_ckpt.h"
#include "store_int.h"
#include "store_vfs.h"
#include "util.h"

/*
 * Bulk loading (issue 13): a commit that leaves STORE_CKPT_PAGES frames in
 * the WAL asks the checkpointer thread (store_ckpt.c) to copy them into
 * the database file beside the writer; the writer itself checkpoints
 * only when that thread could not start, every STORE_CHECKPOINT_PAGES
 * pages (SQLite's default is 1,000: a scan of interleaved hosts wrote
 * each page several times over); and for good when the writer closes.
 * wal_hook() below replaces SQLite's automatic checkpoints.
 */
#define STORE_CHECKPOINT_PAGES	16384
/* A writer's journal: WAL, fsync at checkpoints only. */
#define STORE_JOURNAL_SQL	"PRAGMA journal_mode = WAL; " \
	"PRAGMA synchronous = NORMAL"
/*
 * A reader's page cache limit, in KiB as SQLite's cache_size wants it
 * (negative; a writer's is STORE_WRITE_CACHE_KIB below).  A scan
 * inserts at one leaf per host in flight (observations are clustered by
 * run and host; the writer inserts each batch host by host) and reads a
 * run back in key order, so the cache needs the pages in use,
 * not the database: 256 MiB made peak RSS follow the database (281 MB at
 * 10,000 hosts x 200 rows), 16 MiB keeps it at 38 to 45 MB with no more
 * CPU (issue 13, docs/PERFORMANCE.md).
 */
#define STORE_CACHE_KIB	"-16384"
/*
 * A writer's page cache: 4 MiB.  A scan's pages are appends (the blocks'
 * table is keyed by ascending ids) that are written once and not read
 * again, plus a small index: with 16 MiB the cache filled with pages no
 * one read, each a fresh page of the process's memory (7,000 page
 * faults, 34 MB peak RSS at 256 x 1,000).  A batch's dirty pages (at most
 * STORE_BATCH rows, about 3 MB) still fit without spilling to the WAL.
 * Writers that read back (imports, history) read each block once, in key
 * order; the cache does not make that faster (docs/PERFORMANCE.md).
 */
#define STORE_WRITE_CACHE_KIB	"-4096"

/* How long to wait for a lock held by another process (a reader, the CLI). */
#define STORE_BUSY_MS		10000

/*
 * Version 6: packed observations.  The schema 5 rows are read in key
 * order and packed as the writer packs them (store_pack.c), host by host.
 */
static int
migrate_6(struct store *s, char *err, size_t errlen)
{
	struct store_packrow r;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_exec(s->db, store_schema_v6, NULL, NULL,
	    NULL) != SQLITE_OK)
		return store_dberr(s, "cannot upgrade the schema to version 6",
		    err, errlen);
	if (sqlite3_prepare_v2(s->db, store_schema_v6_rows, -1, &st,
	    NULL) != SQLITE_OK)
		return store_dberr(s, "cannot upgrade the schema to version 6",
		    err, errlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_packrow_from(st, 0, &r);
		if (store_pack_add(s, &r, err, errlen) == -1)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		store_dberr(s, "cannot upgrade the schema to version 6", err,
		    errlen);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (store_pack_end(s, err, errlen) == -1)
		goto fail;
	if (sqlite3_exec(s->db, store_schema_v6_done, NULL, NULL,
	    NULL) != SQLITE_OK)
		return store_dberr(s, "cannot upgrade the schema to version 6",
		    err, errlen);
	return 0;
fail:
	sqlite3_finalize(st);
	store_pack_abandon(s);
	return -1;
}

/*
 * Migrations, in order: entry i turns version i into version i + 1, by its
 * SQL or, where rows must be rewritten, its function.  A new schema
 * version appends one entry here, bumps STORE_SCHEMA_VERSION and changes
 * store_schema_new to match.  Version 0 is an empty file, which takes
 * store_schema_new at once (store_schema_v1 is what version 1 was).
 */
static const struct migration {
	const char	*sql;
	int		(*fn)(struct store *, char *, size_t);
} migrations[STORE_SCHEMA_VERSION] = {
	{ NULL, NULL },
	{ store_schema_v2, NULL },	/* waivers, carried findings */
	{ store_schema_v3, NULL },	/* notes on carried findings, leads */
	{ store_schema_v4, NULL },	/* jurisdictions, binding scopes */
	{ store_schema_v5, NULL },	/* compact observations */
	{ NULL, migrate_6 },		/* packed observations */
	{ store_schema_view, NULL },	/* short rows; the view reads them */
	{ store_schema_view, NULL },	/* shorter short rows; the same */
	{ store_schema_v9, NULL },	/* values stored once */
};

/* Runs migration v (version v to v + 1); 0, or -1 with a message. */
static int
migrate(struct store *s, int v, char *err, size_t errlen)
{
	char what[64];

	if (migrations[v].fn != NULL)
		return migrations[v].fn(s, err, errlen);
	if (sqlite3_exec(s->db, migrations[v].sql, NULL, NULL,
	    NULL) == SQLITE_OK)
		return 0;
	snprintf(what, sizeof(what), "cannot upgrade the schema to version %d",
	    v + 1);
	return store_dberr(s, what, err, errlen);
}

/*
 * What a batch SQLite rolled back held: cached prefixes and checked ids,
 * buffered observations, held coverage and names (store_dberr()'s lost()
 * hook, and the close).
 */
void
store_obs_forget(struct store *s)
{
	size_t i;

	for (i = 0; i < s->nprefixes; i++)
		free(s->prefixes[i].prefix);
	s->nprefixes = 0;
	s->obs_prefix_epoch++;	/* their middles, which col_mid() kept */
	s->obs_run = 0;
	s->obs_host = 0;
	memset(s->hosts_found, 0, sizeof(s->hosts_found));
	store_obs_drop(s);
	store_defer_drop(s);
	store_values_forget(s);
}

/*
 * The statement layer's held() hook: rows held back go in before a
 * statement that could miss them (obuf_gate, dgate: set from each
 * statement's SQL), unless they are being written.
 */
static int
held(struct store *s, enum stmt_id id, char *err, size_t errlen)
{
	/*
	 * Inside ST_SAVEPOINT_KEEP the rows stay out: flushed there, a
	 * rollback to it would take rows stored before it.
	 */
	if (s->obuf_n > 0 && s->obuf_gate[id] && s->obuf_keep)
		return errf(err, errlen, "%s: internal error: observations "
		    "would be written inside a savepoint", s->path);
	if (s->obuf_n > 0 && s->obuf_gate[id] && !s->obuf_busy &&
	    store_obs_flush(s, err, errlen) == -1)
		return -1;
	if (s->ndcov + s->ndname > 0 && s->dgate[id] && !s->dbusy &&
	    store_defer_flush(s, err, errlen) == -1)
		return -1;
	return 0;
}

int
store_writable(struct store *s, char *err, size_t errlen)
{
	if (s->mode != STORE_WRITE)
		return errf(err, errlen, "%s: the store was opened read-only",
		    s->path);
	return 0;
}

int
store_tx(struct store *s, char *err, size_t errlen)
{
	if (store_writable(s, err, errlen) == -1)
		return -1;
	if (s->in_tx)
		return 0;
	if (store_exec(s, ST_BEGIN, "cannot begin a transaction", err,
	    errlen) == -1)
		return -1;
	s->in_tx = 1;
	s->pending = 0;
	s->tx_started = mono_ms();
	return 0;
}

/*
 * Starts the kernel writing what the commit just put in the WAL, without
 * waiting (sync_file_range(SYNC_FILE_RANGE_WRITE) on the -wal file SQLite
 * uses): the checkpoint at close then finds the run's WAL on disk instead
 * of writing all of it in its fdatasync (issue 13: about 70 ms of a 256 x
 * 1,000 scan's close, docs/PERFORMANCE.md).  A hint, not a durability
 * step -- the checkpoint's fsyncs still make the run durable -- so its
 * errors are ignored.  Once the checkpointer runs (store_ckpt.c), its
 * checkpoints sync the WAL as it grows, on its own thread: the writer
 * then leaves the WAL's writeback to them (the hint's bio submission
 * was about 1 % of a 256 x 1,000 walk's time on the writer's thread,
 * docs/PERFORMANCE.md).
 */
static void
wal_writeback(struct store *s)
{
	const char *db;
	char path[PATH_MAX];
	int n;

	if (s->mode != STORE_WRITE || s->ckpt != NULL)
		return;
	if (s->walfd == -1) {
		db = sqlite3_db_filename(s->db, "main");
		if (db == NULL || db[0] == '\0')
			return;		/* :memory: */
		n = snprintf(path, sizeof(path), "%s-wal", db);
		if (n < 0 || (size_t)n >= sizeof(path))
			return;
		s->walfd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
		    O_NOFOLLOW);
		if (s->walfd == -1)
			return;
	}
	(void)sync_file_range(s->walfd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

/*
 * SQLite's WAL hook, after each commit of the writer, with the frames the
 * WAL holds: from STORE_CKPT_PAGES on, the checkpointer (started the
 * first time) is asked to copy them; without one, the writer checkpoints
 * every STORE_CHECKPOINT_PAGES itself, as SQLite's wal_autocheckpoint
 * did (that a hook replaces).  Errors are the next checkpoint's: the
 * close checkpoints everything anyway.
 */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *s = arg;

	if (frames < STORE_CKPT_PAGES)
		return SQLITE_OK;
	if (s->ckpt == NULL && !s->ckpt_tried) {
		s->ckpt_tried = 1;
		s->ckpt = store_ckpt_start(sqlite3_db_filename(db, "main"));
	}
	if (s->ckpt != NULL)
		store_ckpt_ask(s->ckpt);
	else if (frames >= STORE_CHECKPOINT_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

int
store_commit(struct store *s, char *err, size_t errlen)
{
	if (!s->in_tx)
		return 0;
	if (store_defer_flush(s, err, errlen) == -1 ||
	    store_obs_flush(s, err, errlen) == -1 ||
	    store_obs_save(s, err, errlen) == -1)
		return -1;
	if (store_exec(s, ST_COMMIT, "cannot commit", err, errlen) == -1) {
		if (sqlite3_get_autocommit(s->db)) {
			s->in_tx = 0;
			s->pending = 0;
			store_obs_forget(s);
		}
		return -1;
	}
	s->in_tx = 0;
	s->pending = 0;
	wal_writeback(s);
	return 0;
}

int
store_wrote(struct store *s, unsigned n, char *err, size_t errlen)
{
	unsigned before = s->pending;

	s->pending += n;
	if (s->pending >= STORE_BATCH)
		return store_commit(s, err, errlen);
	/* The clock, every STORE_BATCH_CHECK rows. */
	if (s->batch_ms > 0 &&
	    before / STORE_BATCH_CHECK != s->pending / STORE_BATCH_CHECK &&
	    mono_ms() - s->tx_started >= s->batch_ms)
		return store_commit(s, err, errlen);
	return 0;
}

void
store_batch_ms(struct store *s, int64_t ms)
{
	s->batch_ms = ms > 0 ? ms : 0;
}

int
store_flush(struct store *s, char *err, size_t errlen)
{
	if (s->mode != STORE_WRITE)
		return 0;
	return store_commit(s, err, errlen);
}

/* Runs sql (no results) outside the statement cache. */
static int
exec_sql(struct store *s, const char *sql, const char *what, char *err,
    size_t errlen)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, what, err, errlen);
	return 0;
}

int
store_bulk(struct store *s, int on, char *err, size_t errlen)
{
	if (store_writable(s, err, errlen) == -1 ||
	    store_flush(s, err, errlen) == -1)
		return -1;
	if (!sqlite3_get_autocommit(s->db))
		return errf(err, errlen, "%s: cannot change the checks of "
		    "foreign keys inside a transaction", s->path);
#ifdef NDEBUG
	return exec_sql(s, on ? "PRAGMA foreign_keys = OFF" :
	    "PRAGMA foreign_keys = ON", "cannot set up", err, errlen);
#else
	/* SQLite's checks stay on behind the store's own (store.h). */
	(void)on;
	return 0;
#endif
}

int
store_cache_kib(struct store *s, unsigned kib, char *err, size_t errlen)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%u", kib);
	return exec_sql(s, sql, "cannot set the page cache", err, errlen);
}

/* Reads one integer from sql (a pragma or a count). */
static int
query_int(struct store *s, const char *sql, int *out, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, "cannot read the database", err, errlen);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		store_dberr(s, "cannot read the database", err, errlen);
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * One writer at a time: an flock() on the database file itself (so a
 * symbolic or hard link, a bind mount or another spelling of the path
 * finds the same lock), held until store_close() and released by the
 * kernel if the process dies.  SQLite's own locks are POSIX record locks,
 * which closing any descriptor of the file drops, so this descriptor is
 * closed only after sqlite3_close() (and, on a failed open, before SQLite
 * ever had the file).  No side file is created.
 */
static int
writer_lock(struct store *s, char *err, size_t errlen)
{
	if (flock(s->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			return errf(err, errlen, "%s is in use by another "
			    "banaudit scan, import, merge or waive (one writer "
			    "at a time)", s->path);
		return errf(err, errlen, "cannot lock %s: %s", s->path,
		    strerror(errno));
	}
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The file's own header, read with pread() before SQLite sees the file:
 * a file that is not SQLite, another application's database or a newer
 * schema is refused without SQLite opening it, so nothing in or beside a
 * refused file changes (no journal mode switch, no -wal or -shm).  The
 * offsets are SQLite's file format (fileformat2.html, "The Database
 * Header"): the schema cookie at 40, user_version at 60, application_id
 * at 68.  check_schema() repeats the checks through SQLite (a WAL may hold
 * a newer header than the file).
 */
static int
header_check(struct store *s, int fd, off_t size, char *err, size_t errlen)
{
	unsigned char h[100];
	uint32_t cookie, version, appid;

	if (size == 0)
		return 0;
	if (size < (off_t)sizeof(h) || pread(fd, h, sizeof(h), 0) !=
	    (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return errf(err, errlen, "%s is not a banaudit database (not "
		    "an SQLite file)", s->path);
	cookie = be32(h + 40);
	version = be32(h + 60);
	appid = be32(h + 68);
	if (appid != 0 && appid != STORE_APPLICATION_ID)
		return errf(err, errlen, "%s is not a banaudit database "
		    "(application_id %#x)", s->path, (unsigned)appid);
	if (version > STORE_SCHEMA_VERSION)
		return errf(err, errlen, "%s has schema version %u, newer than "
		    "this banaudit %s supports (%d); use a newer banaudit",
		    s->path, (unsigned)version, BANAUDIT_VERSION,
		    STORE_SCHEMA_VERSION);
	if (appid != STORE_APPLICATION_ID && (version > 0 || cookie != 0))
		return errf(err, errlen, "%s is an SQLite database of another "
		    "application, not a banaudit one", s->path);
	return 0;
}

/* PATH as an SQLite "file:" URI (RFC 3986 escapes), or NULL. */
static char *
file_uri(const char *path, int immutable)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i, o;
	char *u;

	u = malloc(n * 3 + 48);
	if (u == NULL)
		return NULL;
	o = (size_t)snprintf(u, 16, "%s", path[0] == '/' ? "file://" :
	    "file:");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c) != NULL)
			u[o++] = (char)c;
		else {
			u[o++] = '%';
			u[o++] = hex[c >> 4];
			u[o++] = hex[c & 15];
		}
	}
	snprintf(u + o, 32, "?mode=ro%s", immutable ? "&immutable=1" : "");
	return u;
}

/*
 * A reader needs the -shm (and -wal) of a WAL database, which SQLite
 * creates beside it.  Where it cannot -- a read-only file system (an
 * archive on a DVD, a read-only share) or a folder this user may not
 * write with no -wal in it (no writer is active, so the file is
 * complete) -- the file is opened immutable: no locks, no side files.
 */
static int
read_immutable(const char *path)
{
	struct statvfs vfs;
	char *dir = NULL, *wal = NULL, *slash;
	size_t n = strlen(path);
	int imm = 0;

	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return 1;
	dir = strdup(path);
	wal = malloc(n + sizeof("-wal"));
	if (dir == NULL || wal == NULL)
		goto out;
	snprintf(wal, n + sizeof("-wal"), "%s-wal", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		str_copy(dir, ".", n + 1);
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	imm = access(dir, W_OK) != 0 && access(wal, F_OK) != 0;
out:
	free(dir);
	free(wal);
	return imm;
}

/*
 * Opens the database file for the writer (created with mode perm when
 * missing: *created = 1), locks it and checks its header.  A file that
 * is not a regular file, in use by another writer or refused is left as
 * it was.
 */
static int
open_writer(struct store *s, mode_t perm, int *created, char *err,
    size_t errlen)
{
	struct stat sb;
	int tries;

	*created = 0;
	for (tries = 0; tries < 2 && s->lockfd == -1; tries++) {
		s->lockfd = open(s->path, O_RDWR | O_CLOEXEC | O_NOCTTY |
		    O_NONBLOCK);
		if (s->lockfd != -1 || errno != ENOENT)
			break;
		s->lockfd = open(s->path, O_RDWR | O_CREAT | O_EXCL |
		    O_CLOEXEC | O_NOCTTY, perm);
		if (s->lockfd != -1)
			*created = 1;
		else if (errno != EEXIST)
			break;
	}
	if (s->lockfd == -1)
		return errf(err, errlen, "%s: %s", s->path, strerror(errno));
	if (fstat(s->lockfd, &sb) == -1)
		return errf(err, errlen, "%s: %s", s->path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return errf(err, errlen, "%s is not a regular file", s->path);
	/* The umask may have taken more than perm asks for: set it. */
	if (*created && fchmod(s->lockfd, perm) == -1)
		return errf(err, errlen, "%s: %s", s->path, strerror(errno));
	if (writer_lock(s, err, errlen) == -1 ||
	    header_check(s, s->lockfd, sb.st_size, err, errlen) == -1)
		return -1;
	if (!*created && (sb.st_mode & S_IROTH))
		log_warn("%s is readable by every user (mode %04o): it lists "
		    "an organisation's equipment; chmod 600 (or 640) it",
		    s->path, (unsigned)(sb.st_mode & 07777));
	return 0;
}

/* The reader's header check, through its own descriptor. */
static int
check_reader(struct store *s, char *err, size_t errlen)
{
	struct stat sb;
	int fd, rc;

	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return errf(err, errlen, "%s: %s", s->path, strerror(errno));
	if (fstat(fd, &sb) == -1)
		rc = errf(err, errlen, "%s: %s", s->path, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		rc = errf(err, errlen, "%s is not a regular file", s->path);
	else if (sb.st_size == 0)
		rc = errf(err, errlen, "no database at %s; run a scan first",
		    s->path);
	else
		rc = header_check(s, fd, sb.st_size, err, errlen);
	close(fd);
	return rc;
}

/*
 * An empty database takes today's schema from the image made at build
 * time (store_int.h): its pages copied in by SQLite's backup API in one
 * transaction, the user_version and application_id with them.  SQLite
 * then reads the new schema once, where running store_schema_new parsed
 * each statement, compiled it and read its part of the schema back.
 */
static int
schema_from_image(struct store *s, char *err, size_t errlen)
{
	const unsigned char *p = store_image_bytes;
	sqlite3_backup *b;
	sqlite3 *mem = NULL;
	unsigned char *img;
	unsigned i;
	int rc;

	img = sqlite3_malloc64(store_image_size);
	if (img == NULL)
		return errf(err, errlen, "%s: cannot create the schema: out "
		    "of memory", s->path);
	memset(img, 0, store_image_size);
	for (i = 0; i < store_image_nruns; i++) {
		assert(store_image_runs[i].off + store_image_runs[i].len <=
		    store_image_size);
		memcpy(img + store_image_runs[i].off, p,
		    store_image_runs[i].len);
		p += store_image_runs[i].len;
	}
	rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	/* The image is SQLite's to free from here, whatever happens. */
	if (rc == SQLITE_OK)
		rc = sqlite3_deserialize(mem, "main", img, store_image_size,
		    store_image_size, SQLITE_DESERIALIZE_FREEONCLOSE |
		    SQLITE_DESERIALIZE_READONLY);
	else
		sqlite3_free(img);
	if (rc != SQLITE_OK) {
		errf(err, errlen, "%s: cannot create the schema: %s", s->path,
		    mem != NULL ? sqlite3_errmsg(mem) : "out of memory");
		sqlite3_close(mem);
		return -1;
	}
	b = sqlite3_backup_init(s->db, "main", mem, "main");
	if (b == NULL) {
		sqlite3_close(mem);
		return store_dberr(s, "cannot create the schema", err, errlen);
	}
	rc = sqlite3_backup_step(b, -1);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		sqlite3_close(mem);
		return store_dberr(s, "cannot create the schema", err, errlen);
	}
	sqlite3_close(mem);
	return 0;
}

/* Brings the schema to STORE_SCHEMA_VERSION, or says why it cannot. */
static int
check_schema(struct store *s, char *err, size_t errlen)
{
	char sql[64];
	int version, appid, nobjects, v;

	if (query_int(s, "PRAGMA user_version", &version, err, errlen) ==
	    -1 || query_int(s, "PRAGMA application_id", &appid, err,
	    errlen) == -1 || query_int(s, "SELECT count(*) FROM sqlite_schema",
	    &nobjects, err, errlen) == -1) {
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			return errf(err, errlen, "%s is not a banaudit "
			    "database (not an SQLite file)", s->path);
		return -1;
	}
	if (appid != 0 && appid != STORE_APPLICATION_ID)
		return errf(err, errlen, "%s is not a banaudit database "
		    "(application_id %#x)", s->path, (unsigned)appid);
	if (version > STORE_SCHEMA_VERSION)
		return errf(err, errlen, "%s has schema version %d, newer than "
		    "this banaudit %s supports (%d); use a newer banaudit",
		    s->path, version, BANAUDIT_VERSION, STORE_SCHEMA_VERSION);
	if (version > 0 && appid != STORE_APPLICATION_ID)
		return errf(err, errlen, "%s is an SQLite database of another "
		    "application, not a banaudit one", s->path);
	if (version == 0 && nobjects > 0)
		return errf(err, errlen, "%s is an SQLite database of another "
		    "application, not a banaudit one", s->path);
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (s->mode == STORE_READ) {
		if (version == 0)
			return errf(err, errlen, "no database at %s; run a "
			    "scan first", s->path);
		return errf(err, errlen, "%s has schema version %d; open it "
		    "for writing once (a scan or import) to upgrade it",
		    s->path, version);
	}
	/* An empty file takes today's schema at once, as one image. */
	if (version == 0)
		return schema_from_image(s, err, errlen);
	if (exec_sql(s, "BEGIN IMMEDIATE", "cannot upgrade the schema", err,
	    errlen) == -1)
		return -1;
	for (v = version; v < STORE_SCHEMA_VERSION; v++) {
		if (migrate(s, v, err, errlen) == -1)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec_sql(s, sql, "cannot upgrade the schema", err,
		    errlen) == -1)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    STORE_APPLICATION_ID);
	if (exec_sql(s, sql, "cannot upgrade the schema", err, errlen) == -1 ||
	    exec_sql(s, "COMMIT", "cannot upgrade the schema", err,
	    errlen) == -1)
		goto fail;
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Runs left "running" belong to a process that died (the writer lock says
 * no live writer holds them): mark them incomplete, finished at their last
 * observation.
 */
/*
 * banaudit_today(): today's UTC date as YYYY-MM-DD from now_unix(), which
 * a test can pin, where SQLite's date('now') reads the real clock.  The
 * waiver queries compare with it: a waiver applies through its last day.
 */
static void
sql_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char d[16];

	(void)argc;
	(void)argv;
	fmt_date(now_unix(), d, sizeof(d));
	sqlite3_result_text(ctx, d, -1, SQLITE_TRANSIENT);
}

static int
mark_interrupted(struct store *s, char *err, size_t errlen)
{
	/* A block's last row is its latest (ids ascend with time). */
	return exec_sql(s, "UPDATE runs SET status = 'incomplete', "
	    "finished = started + coalesce((SELECT max(" OBS_LAST_SEEN ") "
	    "FROM obs_blocks b WHERE b.run_id = runs.id), 0) "
	    "WHERE status = 'running'",
	    "cannot mark interrupted runs", err, errlen);
}

static void
close_handle(struct store *s)
{
	size_t i;

	/* Its checkpoint, if one runs, ends first; the close does the rest. */
	store_ckpt_stop(s->ckpt);
	s->ckpt = NULL;
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	store_obs_forget(s);
	store_obs_free(s);
	store_defer_free(s);
	store_values_free(s);
	sqlite3_close(s->db);
	if (s->lockfd != -1)
		close(s->lockfd);
	if (s->walfd != -1)
		close(s->walfd);
	free(s->run_strings);
	free(s->srcbuf);
	free(s->path);
	free(s);
}

int
store_open(const char *path, enum store_mode mode, struct store **out,
    char *err, size_t errlen)
{
	return store_open_flags(path, mode, 0, out, err, errlen);
}

int
store_open_flags(const char *path, enum store_mode mode, unsigned flags,
    struct store **out, char *err, size_t errlen)
{
	struct store *s = NULL;
	struct stat sb;
	char *uri = NULL;
	const char *name;
	mode_t perm = flags & STORE_GROUP_READABLE ? 0640 : 0600;
	int memory, oflags, rc, created = 0;
	size_t i;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return errf(err, errlen, "no database path given");
	memory = strcmp(path, ":memory:") == 0;
	if (!memory && stat(path, &sb) == -1) {
		if (errno == ENOENT && mode == STORE_READ)
			return errf(err, errlen, "no database at %s; run a "
			    "scan first", path);
		if (errno != ENOENT)
			return errf(err, errlen, "%s: %s", path,
			    strerror(errno));
	} else if (!memory && !S_ISREG(sb.st_mode))
		return errf(err, errlen, "%s is not a regular file", path);
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		return errf(err, errlen, "out of memory");
	}
	s->mode = mode;
	s->lockfd = -1;
	s->walfd = -1;
	s->batch_ms = STORE_BATCH_MS;
	s->held = held;
	s->lost = store_obs_forget;
	for (i = 0; i < CHAN__COUNT; i++)
		s->chan_code[i] = store_code_of(store_chan_codes,
		    channel_name((enum channel)i));
	for (i = 0; i < OBS__COUNT; i++)
		s->kind_code[i] = store_code_of(store_kind_codes,
		    obs_kind_name((enum obs_kind)i));
	for (i = 0; i < VAL__COUNT; i++)
		s->vtype_code[i] = store_code_of(store_vtype_codes,
		    value_type_name((enum value_type)i));
	/*
	 * Buffered observations are inserted before a statement that reads
	 * or moves observations, and before a savepoint (whose rollback must
	 * not take rows stored before it).
	 */
	for (i = 0; i < ST__COUNT; i++)
		s->obuf_gate[i] = i != ST_BLOCK_INSERT &&
		    i != ST_BLOCK_INSERT_MANY &&
		    store_sql[i] != NULL &&
		    (strstr(store_sql[i], "observations") != NULL ||
		    strstr(store_sql[i], "obs_blocks") != NULL);
	s->obuf_gate[ST_SAVEPOINT] = 1;
	/*
	 * Except a savepoint whose statements read and write no
	 * observations (store_finding()): its rows stay buffered, and a
	 * finding's evidence is found among them (store_find.c).
	 */
	s->obuf_gate[ST_SAVEPOINT_KEEP] = 0;
	/* Evidence is looked for in the buffer first (store_find.c). */
	s->obuf_gate[ST_OBS_EXISTS] = 0;
	/*
	 * Held back coverage and names (store_defer.c) go in before a
	 * statement that reads or writes coverage or a run's hosts, and
	 * before a savepoint.
	 */
	for (i = 0; i < ST__COUNT; i++)
		s->dgate[i] = store_sql[i] != NULL &&
		    (strstr(store_sql[i], "coverage") != NULL ||
		    strstr(store_sql[i], "run_hosts") != NULL);
	s->dgate[ST_SAVEPOINT] = 1;
	s->dgate[ST_SAVEPOINT_KEEP] = 1;
	name = path;
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (memory && mode == STORE_READ)
		oflags |= SQLITE_OPEN_READONLY;
	else if (memory)
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else if (mode == STORE_WRITE) {
		if (open_writer(s, perm, &created, err, errlen) == -1)
			goto fail;
		oflags |= SQLITE_OPEN_READWRITE;
	} else {
		if (check_reader(s, err, errlen) == -1)
			goto fail;
		uri = file_uri(path, read_immutable(path));
		if (uri == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		name = uri;
		oflags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
	}
	/* A writer's WAL appends go out gathered (store_vfs.c). */
	rc = sqlite3_open_v2(name, &s->db, oflags, mode == STORE_WRITE &&
	    !memory ? store_vfs() : NULL);
	if (rc != SQLITE_OK) {
		if (s->db == NULL)
			errf(err, errlen, "%s: out of memory", path);
		else
			store_dberr(s, "cannot open", err, errlen);
		goto fail;
	}
	/* Database files travel between sites: treat them as untrusted. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (sqlite3_create_function(s->db, "banaudit_today", 0, SQLITE_UTF8,
	    NULL, sql_today, NULL, NULL) != SQLITE_OK) {
		store_dberr(s, "cannot set up", err, errlen);
		goto fail;
	}
	/*
	 * The schema is checked before anything is written (the journal
	 * mode included), so a refused file stays byte for byte as it was.
	 * A scan writes and then reads back hundreds of thousands of rows
	 * whose pages interleave many hosts: SQLite's default 2 MB page
	 * cache thrashes on that.  The cache grows only as used.
	 */
	if (exec_sql(s, "PRAGMA foreign_keys = ON", "cannot set up", err,
	    errlen) == -1)
		goto fail;
	/*
	 * A file this call created is empty: it takes the journal mode
	 * first, so that its schema goes once into the WAL instead of
	 * through a rollback journal and then again to switch (two commits
	 * of four fsyncs each).  Writing the WAL flag into the empty file
	 * needs no fsync either: a crash then leaves an empty database,
	 * which the next writer sets up again.
	 */
	if (created && exec_sql(s, "PRAGMA synchronous = OFF; "
	    "PRAGMA journal_mode = WAL", "cannot set up the journal", err,
	    errlen) == -1)
		goto fail;
	if (check_schema(s, err, errlen) == -1)
		goto fail;
	if (mode == STORE_WRITE && exec_sql(s, STORE_JOURNAL_SQL,
	    "cannot set up the journal", err, errlen) == -1)
		goto fail;
	if (mode == STORE_WRITE && !memory)
		sqlite3_wal_hook(s->db, wal_hook, s);
	if (exec_sql(s, mode == STORE_WRITE ?
	    "PRAGMA cache_size = " STORE_WRITE_CACHE_KIB "; "
	    "PRAGMA temp_store = MEMORY" :
	    "PRAGMA cache_size = " STORE_CACHE_KIB "; "
	    "PRAGMA temp_store = MEMORY", "cannot set up", err, errlen) == -1)
		goto fail;
	if (mode == STORE_WRITE && (mark_interrupted(s, err, errlen) == -1 ||
	    store_obs_load(s, err, errlen) == -1))
		goto fail;
	free(uri);
	*out = s;
	return 0;
fail:
	/*
	 * A refused file stays as it was: the WAL another writer left (a
	 * newer banaudit's, another application's) is not checkpointed into
	 * it when the handle closes.
	 */
	if (s->db != NULL)
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
		    NULL);
	/* A file this call created and could not set up goes again. */
	if (created)
		unlink(path);
	free(uri);
	close_handle(s);
	return -1;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	/* Callers that need to know whether this commit worked flush. */
	if (s->in_tx && store_commit(s, NULL, 0) == -1 &&
	    !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	close_handle(s);
}
