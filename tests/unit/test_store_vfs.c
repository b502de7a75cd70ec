/*
 * Unit tests for store_vfs (the writer's WAL appends gathered into large
 * writes), on plain SQLite connections: one through the VFS writes, and
 * another through SQLite's default VFS -- its own descriptors, as another
 * process would have -- reads.  Whatever the writer does (spill pages of a
 * transaction larger than its cache and read them back, restart the WAL
 * after a checkpoint, append to a WAL another connection started), the
 * reader sees every committed row and a sound database.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <errno.h>
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
#include "store_vfs.h"
#include "util.h"

struct fx {
	char	 dir[64];
	char	 path[128];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (scratch_dir(f->dir, sizeof(f->dir), "/tmp/banaudit-vfs") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	rm_tree(f->dir);
	free(f);
	return 0;
}

static sqlite3 *
open_db(const char *path, const char *vfs)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
	return db;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg != NULL ? msg : "?");
}

/* One integer from sql. */
static long long
one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* What another connection (the default VFS) sees: rows, soundness. */
static void
reader_sees(const char *path, long long rows)
{
	sqlite3 *db = open_db(path, NULL);
	sqlite3_stmt *st = NULL;

	assert_int_equal(one(db, "SELECT count(*) FROM t"), rows);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The length of row 1's value, as another connection reads it. */
static long long
first_length(const char *path)
{
	sqlite3 *db = open_db(path, NULL);
	long long n = one(db, "SELECT length(v) FROM t WHERE rowid = 1");

	sqlite3_close(db);
	return n;
}

/* n rows of random keys (an index to split) and 300-byte values. */
static void
insert(sqlite3 *db, int n)
{
	sqlite3_stmt *st = NULL;
	int i;

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (k, v) VALUES "
	    "(random(), zeroblob(300))", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < n; i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static sqlite3 *
writer(const char *path)
{
	sqlite3 *db;

	assert_non_null(store_vfs());
	db = open_db(path, store_vfs());
	exec_ok(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
	    "PRAGMA wal_autocheckpoint = 0; "
	    "CREATE TABLE IF NOT EXISTS t (k INTEGER, v BLOB); "
	    "CREATE INDEX IF NOT EXISTS t_k ON t (k)");
	return db;
}

/*
 * A transaction far larger than the writer's cache (10 pages): SQLite
 * spills its pages to the WAL as frames of no commit -- they wait in the
 * buffer -- and reads them back as it goes on; each read must find them.
 */
static void
test_spill_reads_back(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path);
	unsigned long before = store_vfs_wal_writes();

	exec_ok(db, "PRAGMA cache_size = 10; BEGIN");
	insert(db, 3000);
	exec_ok(db, "COMMIT");
	assert_int_equal(one(db, "SELECT count(*) FROM t"), 3000);
	assert_true(store_vfs_wal_writes() > before);
	reader_sees(f->path, 3000);
	sqlite3_close(db);
	reader_sees(f->path, 3000);
}

/*
 * Commits, one at a time, each seen by the reader at once; then a
 * checkpoint of everything, after which the next commit starts the WAL
 * again from its header (a write at offset 0, not an append).
 */
static void
test_commits_and_restart(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path);
	int k;

	for (k = 1; k <= 4; k++) {
		insert(db, 200);
		reader_sees(f->path, 200LL * k);
	}
	exec_ok(db, "PRAGMA wal_checkpoint(RESTART)");
	for (k = 5; k <= 6; k++) {
		insert(db, 200);
		reader_sees(f->path, 200LL * k);
	}
	sqlite3_close(db);
	reader_sees(f->path, 1200);
}

/*
 * A WAL another connection started (the default VFS, its frames left in
 * the WAL: no checkpoint), appended to through the VFS: the page size is
 * read from the file's header.
 */
static void
test_appends_to_foreign_wal(void **state)
{
	struct fx *f = *state;
	sqlite3 *plain, *db;

	plain = open_db(f->path, NULL);
	exec_ok(plain, "PRAGMA journal_mode = WAL; "
	    "PRAGMA wal_autocheckpoint = 0; "
	    "CREATE TABLE t (k INTEGER, v BLOB); CREATE INDEX t_k ON t (k)");
	insert(plain, 100);
	db = writer(f->path);
	insert(db, 500);
	reader_sees(f->path, 600);
	insert(plain, 10);
	insert(db, 10);
	reader_sees(f->path, 620);
	sqlite3_close(db);
	sqlite3_close(plain);
	reader_sees(f->path, 620);
}

/* The unix VFS's pwrite64, failing the calls the test asks to fail. */
static sqlite3_syscall_ptr real_pwrite;
static int fail_writes;		/* calls left to fail */

static ssize_t
failing_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	ssize_t (*w)(int, const void *, size_t, off_t) =
	    (ssize_t (*)(int, const void *, size_t, off_t))real_pwrite;

	if (fail_writes > 0) {
		fail_writes--;
		errno = EIO;
		return -1;
	}
	return w(fd, buf, n, off);
}

/* The unix VFS's pwrite64 replaced by failing_pwrite(), or put back. */
static void
faulty_writes(int on)
{
	sqlite3_vfs *unix_vfs = sqlite3_vfs_find("unix");

	if (on) {
		real_pwrite = unix_vfs->xGetSystemCall(unix_vfs, "pwrite64");
		assert_non_null(real_pwrite);
	}
	assert_int_equal(unix_vfs->xSetSystemCall(unix_vfs, "pwrite64",
	    on ? (sqlite3_syscall_ptr)failing_pwrite : real_pwrite),
	    SQLITE_OK);
}

/*
 * A gathered write that fails fails the commit it belongs to (not a later
 * call): COMMIT returns the I/O error, a reader sees only what committed
 * before, the file stays sound, and once the disk works the transaction
 * can be made again.
 */
static void
test_write_fault_fails_commit(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path);
	int rc;

	insert(db, 100);
	reader_sees(f->path, 100);
	faulty_writes(1);
	exec_ok(db, "BEGIN");
	insert(db, 200);
	fail_writes = 1;
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	fail_writes = 0;
	faulty_writes(0);
	assert_int_equal(rc & 0xff, SQLITE_IOERR);
	if (!sqlite3_get_autocommit(db))
		exec_ok(db, "ROLLBACK");
	reader_sees(f->path, 100);
	insert(db, 200);
	reader_sees(f->path, 300);
	sqlite3_close(db);
	reader_sees(f->path, 300);
}


/* Big-endian u32 at p. */
static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

#define T_PGSZ	4096
#define T_FRAME	(24 + T_PGSZ)

/*
 * Frames written straight through the VFS's methods, as SQLite appends
 * them (a frame's 24-byte header, then its page), in commits of 1 to 40
 * frames, so that the buffer fills at every place in a commit, between a
 * commit frame's header and its page too: when a commit's last xWrite()
 * returns, the whole commit is in the file, as another descriptor reads
 * it.
 */
static void
test_commit_at_every_place(void **state)
{
	struct fx *f = *state;
	sqlite3_vfs *v;
	sqlite3_file *file;
	sqlite3_filename name;
	char db[160], jr[168], wal[168];
	unsigned char hdr[32], fh[24], *page, *back;
	int out = 0, c, k, fd;
	uint32_t frame = 0;
	sqlite3_int64 off;

	assert_non_null(store_vfs());
	v = sqlite3_vfs_find(store_vfs());
	assert_non_null(v);
	snprintf(db, sizeof(db), "%s/frames.db", f->dir);
	snprintf(jr, sizeof(jr), "%s-journal", db);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	name = sqlite3_create_filename(db, jr, wal, 0, NULL);
	assert_non_null(name);
	/* The unix VFS gives a WAL its database file's mode: one must be. */
	fd = open(db, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	file = calloc(1, (size_t)v->szOsFile);
	page = malloc(T_FRAME);
	back = malloc(T_FRAME);
	assert_true(file != NULL && page != NULL && back != NULL);
	assert_int_equal(v->xOpen(v, sqlite3_filename_wal(name), file,
	    SQLITE_OPEN_WAL | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    &out), SQLITE_OK);
	memset(hdr, 0, sizeof(hdr));
	put32(hdr, 0x377f0682u);
	put32(hdr + 4, 3007000);
	put32(hdr + 8, T_PGSZ);
	assert_int_equal(file->pMethods->xWrite(file, hdr, sizeof(hdr), 0),
	    SQLITE_OK);
	fd = open(wal, O_RDONLY);
	assert_true(fd >= 0);
	for (c = 1; c <= 40; c++)
		for (k = 1; k <= c; k++) {
			off = 32 + (sqlite3_int64)frame * T_FRAME;
			frame++;
			memset(fh, 0, sizeof(fh));
			put32(fh, frame);		/* the page number */
			put32(fh + 4, k == c ? frame : 0); /* a commit's size */
			memset(page, (int)(frame & 0xff), T_PGSZ);
			assert_int_equal(file->pMethods->xWrite(file, fh,
			    sizeof(fh), off), SQLITE_OK);
			assert_int_equal(file->pMethods->xWrite(file, page,
			    T_PGSZ, off + 24), SQLITE_OK);
			if (k < c)
				continue;
			/* The commit's last frame, as a reader finds it. */
			assert_int_equal(pread(fd, back, T_FRAME, off),
			    T_FRAME);
			assert_memory_equal(back, fh, sizeof(fh));
			assert_memory_equal(back + 24, page, T_PGSZ);
		}
	close(fd);
	assert_int_equal(file->pMethods->xClose(file), SQLITE_OK);
	sqlite3_free_filename(name);
	free(file);
	free(page);
	free(back);
}

/*
 * A transaction larger than the cache writes pages to the WAL, writes
 * some of them again in place, and at its commit writes the frames'
 * headers again with new checksums, the commit frame's last.  A process
 * killed right after the commit (no close, no later write) leaves all of
 * it in the file: the next connection's recovery, which checks every
 * frame's checksum, finds the transaction committed.
 */
static void
test_commit_survives_kill(void **state)
{
	struct fx *f = *state;
	pid_t pid;
	int status = 0;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db = writer(f->path);

		exec_ok(db, "PRAGMA cache_size = 10; BEGIN");
		insert(db, 3000);
		exec_ok(db, "UPDATE t SET v = zeroblob(200) "
		    "WHERE rowid % 3 = 0");
		exec_ok(db, "COMMIT");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	reader_sees(f->path, 3000);
}

/* A connection through the VFS that only checkpoints, as store_ckpt.c's. */
static sqlite3 *
checkpointer(const char *path)
{
	sqlite3 *db = open_db(path, store_vfs());

	exec_ok(db, "PRAGMA schema_version");
	return db;
}

/* A PASSIVE checkpoint: SQLite's result, the WAL's frames and those copied. */
static int
checkpoint(sqlite3 *db, int *nlog, int *nckpt)
{
	return sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE,
	    nlog, nckpt);
}

/* checkpoint() with its first n writes failing (failing_pwrite()). */
static int
checkpoint_failing(sqlite3 *db, int n, int *nlog, int *nckpt)
{
	int rc;

	faulty_writes(1);
	fail_writes = n;
	rc = checkpoint(db, nlog, nckpt);
	fail_writes = 0;
	faulty_writes(0);
	return rc;
}

/* Rewrites pages all over the table and its index: frames out of order. */
static void
scatter(sqlite3 *db)
{
	exec_ok(db, "UPDATE t SET k = random(), v = zeroblob(250) "
	    "WHERE rowid % 5 = 0");
}

/*
 * A checkpoint through the VFS copies the WAL in a few large reads and
 * writes instead of one of each a page, and the database file it leaves
 * is the one SQLite would have: a reader on its own descriptors sees
 * every row and a sound file, after a first copy (pages in order) and
 * after a second of pages rewritten all over (frames out of order).
 */
static void
test_checkpoint_gathered(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path), *c = checkpointer(f->path);
	unsigned long w0, r0;
	int nlog = 0, nckpt = 0;

	insert(db, 3000);
	w0 = store_vfs_db_writes();
	r0 = store_vfs_wal_reads();
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_true(nckpt > 200);
	assert_int_equal(nckpt, nlog);
	/* 30 pages of 4 KiB a call; a few more where pages are not next. */
	assert_true(store_vfs_db_writes() > w0);
	assert_true(store_vfs_db_writes() - w0 <= (unsigned long)nckpt / 8);
	assert_true(store_vfs_wal_reads() > r0);
	assert_true(store_vfs_wal_reads() - r0 <= (unsigned long)nckpt / 8);
	reader_sees(f->path, 3000);
	scatter(db);
	insert(db, 500);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	reader_sees(f->path, 3500);
	sqlite3_close(c);
	sqlite3_close(db);
	reader_sees(f->path, 3500);
}

/*
 * A checkpoint that a reader's snapshot keeps from copying the whole WAL
 * records only what it copied and syncs nothing after the copy: a new
 * reader then reads the copied pages from the database file, and finds
 * them there.  The old reader's snapshot stays as it was.
 */
static void
test_partial_checkpoint(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path), *c = checkpointer(f->path), *old;
	int nlog = 0, nckpt = 0;

	insert(db, 1500);
	old = open_db(f->path, NULL);
	exec_ok(old, "BEGIN");
	assert_int_equal(one(old, "SELECT count(*) FROM t"), 1500);
	scatter(db);
	insert(db, 1500);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_true(nckpt > 0);
	assert_true(nckpt < nlog);
	reader_sees(f->path, 3000);
	assert_int_equal(one(old, "SELECT count(*) FROM t"), 1500);
	exec_ok(old, "COMMIT");
	sqlite3_close(old);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	reader_sees(f->path, 3000);
	sqlite3_close(c);
	sqlite3_close(db);
	reader_sees(f->path, 3000);
}

/*
 * A copy reads the WAL ahead only for itself: after a checkpoint of
 * everything the next commit writes the WAL again from its start, and the
 * next copy must read the new frames, not the old ones the last copy
 * read ahead at the same places.
 */
static void
test_checkpoint_after_restart(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path), *c = checkpointer(f->path);
	int nlog = 0, nckpt = 0;

	insert(db, 1000);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	/* A few frames, all of them read ahead by the copy. */
	exec_ok(db, "UPDATE t SET v = zeroblob(301) WHERE rowid <= 40");
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_true(nlog > 0 && nlog < 29);
	assert_int_equal(nckpt, nlog);
	exec_ok(db, "DELETE FROM t WHERE rowid % 2 = 0");
	scatter(db);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	reader_sees(f->path, 500);
	sqlite3_close(c);
	sqlite3_close(db);
	reader_sees(f->path, 500);
}

/*
 * A checkpoint's write that fails while the copy goes on fails the
 * checkpoint, as without the VFS: nothing is recorded as copied, every
 * row stays readable, and the next checkpoint copies it all.  Its last
 * write, which SQLite sends no result back for, is tried again: one
 * failure is not a failed checkpoint.
 */
static void
test_checkpoint_write_fault(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = writer(f->path), *c = checkpointer(f->path);
	int nlog = 0, nckpt = 0, rc;

	insert(db, 3000);
	rc = checkpoint_failing(c, 1, &nlog, &nckpt);
	assert_int_equal(rc & 0xff, SQLITE_IOERR);
	reader_sees(f->path, 3000);
	assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	reader_sees(f->path, 3000);
	/* One page: one write, at the copy's end, failed once. */
	exec_ok(db, "UPDATE t SET v = zeroblob(299) WHERE rowid = 1");
	rc = checkpoint_failing(c, 1, &nlog, &nckpt);
	assert_int_equal(rc, SQLITE_OK);
	assert_int_equal(nckpt, nlog);
	reader_sees(f->path, 3000);
	assert_int_equal(first_length(f->path), 299);
	sqlite3_close(c);
	sqlite3_close(db);
	reader_sees(f->path, 3000);
}

/*
 * The copy's last write failing twice ends the process (status
 * STORE_VFS_EXIT, a message naming the file) before SQLite can record
 * pages as copied that are not in the file; the WAL keeps them, so the
 * next connection recovers every committed row.  In a child process.
 */
static void
test_checkpoint_last_write_fails(void **state)
{
	struct fx *f = *state;
	char log[160], msg[512];
	FILE *fp;
	size_t n;
	pid_t pid;
	int status = 0;

	snprintf(log, sizeof(log), "%s/child.log", f->dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db, *c;
		int nlog, nckpt;

		if (freopen(log, "w", stderr) == NULL)
			_exit(90);
		db = writer(f->path);
		insert(db, 1000);
		c = checkpointer(f->path);
		insert(db, 20);
		assert_int_equal(checkpoint(c, &nlog, &nckpt), SQLITE_OK);
		exec_ok(db, "UPDATE t SET v = zeroblob(299) WHERE rowid = 1");
		(void)checkpoint_failing(c, 2, &nlog, &nckpt);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), STORE_VFS_EXIT);
	fp = fopen(log, "r");
	assert_non_null(fp);
	n = fread(msg, 1, sizeof(msg) - 1, fp);
	fclose(fp);
	msg[n] = '\0';
	assert_non_null(strstr(msg, "cannot write the database file"));
	assert_non_null(strstr(msg, f->path));
	reader_sees(f->path, 1020);
	assert_int_equal(first_length(f->path), 299);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spill_reads_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_commits_and_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends_to_foreign_wal,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fault_fails_commit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_at_every_place,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_survives_kill,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_gathered,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_checkpoint,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_after_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_write_fault,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_checkpoint_last_write_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
