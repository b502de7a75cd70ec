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
	sqlite3_vfs *unix_vfs = sqlite3_vfs_find("unix");
	sqlite3 *db = writer(f->path);
	int rc;

	insert(db, 100);
	reader_sees(f->path, 100);
	real_pwrite = unix_vfs->xGetSystemCall(unix_vfs, "pwrite64");
	assert_non_null(real_pwrite);
	assert_int_equal(unix_vfs->xSetSystemCall(unix_vfs, "pwrite64",
	    (sqlite3_syscall_ptr)failing_pwrite), SQLITE_OK);
	exec_ok(db, "BEGIN");
	insert(db, 200);
	fail_writes = 1;
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	fail_writes = 0;
	assert_int_equal(unix_vfs->xSetSystemCall(unix_vfs, "pwrite64",
	    real_pwrite), SQLITE_OK);
	assert_int_equal(rc & 0xff, SQLITE_IOERR);
	if (!sqlite3_get_autocommit(db))
		exec_ok(db, "ROLLBACK");
	reader_sees(f->path, 100);
	insert(db, 200);
	reader_sees(f->path, 300);
	sqlite3_close(db);
	reader_sees(f->path, 300);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
