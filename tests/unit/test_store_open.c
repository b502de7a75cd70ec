/*
 * Opening the store when the system says no (issue 16: every store error
 * path): fstat(), fchmod() and flock() failing as the writer opens the
 * file, another writer holding the lock, a path through a regular file,
 * a reader and a writer without the right to the file (as nobody), a
 * read-only file system, a WAL left by a newer banaudit or another
 * application, and the observation ids failing to save.  Each call must
 * fail with a message naming the file and the cause, and leave what was
 * stored before as it was (a file the call created goes again).
 *
 * The system calls are made to fail by definitions of this binary's own
 * (fstat, fchmod, flock, statvfs), which the static link and the dynamic
 * linker prefer over the C library's: armed, the next call fails once;
 * otherwise each passes the call on (dlsym RTLD_NEXT).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dlfcn.h>
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
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define NOBODY	65534

/* --- the failing system calls ------------------------------------------ */

static int fail_fstat, fail_fchmod, fail_flock, fake_rdonly;

int
fstat(int fd, struct stat *sb)
{
	static int (*real)(int, struct stat *);

	if (fail_fstat) {
		fail_fstat = 0;
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "fstat");
	return real(fd, sb);
}

int
fchmod(int fd, mode_t mode)
{
	static int (*real)(int, mode_t);

	if (fail_fchmod) {
		fail_fchmod = 0;
		errno = EPERM;
		return -1;
	}
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "fchmod");
	return real(fd, mode);
}

int
flock(int fd, int op)
{
	static int (*real)(int, int);

	if (fail_flock) {
		fail_flock = 0;
		errno = ENOLCK;
		return -1;
	}
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "flock");
	return real(fd, op);
}

/* A file system mounted read-only, as statvfs() tells it. */
int
statvfs(const char *path, struct statvfs *buf)
{
	static int (*real)(const char *, struct statvfs *);
	int rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "statvfs");
	rc = real(path, buf);
	if (rc == 0 && fake_rdonly)
		buf->f_flag |= ST_RDONLY;
	return rc;
}

/* --- helpers -------------------------------------------------------------- */

struct fx {
	char	dir[PATH_MAX];
	char	path[PATH_MAX + 16];
	char	wal[PATH_MAX + 32];
	char	shm[PATH_MAX + 32];
};

static int
setup(void **state)
{
	struct fx *fx;

	fx = calloc(1, sizeof(*fx));
	if (fx == NULL)
		return -1;
	str_copy(fx->dir, "/tmp/test_store_open.XXXXXX", sizeof(fx->dir));
	/* Searchable by nobody, writable by root alone. */
	if (mkdtemp(fx->dir) == NULL || chmod(fx->dir, 0755) == -1) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
	snprintf(fx->wal, sizeof(fx->wal), "%s-wal", fx->path);
	snprintf(fx->shm, sizeof(fx->shm), "%s-shm", fx->path);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	fail_fstat = fail_fchmod = fail_flock = fake_rdonly = 0;
	rm_tree(fx->dir);
	free(fx);
	return 0;
}

/* What the database holds, as a reader sees it. */
struct content {
	size_t	runs;
	size_t	obs;	/* of run 1 */
};

static struct content
content_of(const char *path)
{
	struct content c = { 0, 0 };
	struct store *s = open_ok(path, STORE_READ);
	char err[ERRLEN];

	if (store_each_run(s, tally_runs, &c.runs, err, sizeof(err)) != 0 ||
	    store_each_observation(s, 1, 0, tally_obs, &c.obs, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	store_close(s);
	return c;
}

/* A host with one observation in run. */
static void
add_host_obs(struct store *s, int64_t run, const char *addr)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t h;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	if (store_host(s, run, &hi, &h, err, sizeof(err)) != 0)
		fail_msg("store_host: %s", err);
	obs_stored(s, run, h, OBS_SYSTEM, "", "descr", NULL, VAL_TEXT,
	    "Huawei VRP", strlen("Huawei VRP"));
}

/* A database at path with one complete run of one host, one value. */
static void
make_db(const char *path)
{
	struct store *s = open_ok(path, STORE_WRITE);
	int64_t run = begin_run(s, "agency", T0);

	add_host_obs(s, run, "10.0.0.1");
	end_run(s, run, RUN_COMPLETE);
	store_close(s);
}

static size_t
slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	assert_true(n < cap);
	return n;
}

/* err is exactly "PATH: what". */
static void
says(const char *err, const char *path, const char *what)
{
	char want[ERRLEN + PATH_MAX];

	snprintf(want, sizeof(want), "%s: %s", path, what);
	assert_string_equal(err, want);
}

/* --- the writer's open ------------------------------------------------- */

static void
test_fstat_fails(void **state)
{
	struct fx *fx = *state;
	struct store *s = NULL;
	struct content c;
	char err[ERRLEN];

	/* A new file: refused, and not left behind. */
	fail_fstat = 1;
	assert_int_equal(store_open(fx->path, STORE_WRITE, &s, err,
	    sizeof(err)), -1);
	assert_null(s);
	says(err, fx->path, strerror(EIO));
	assert_int_equal(access(fx->path, F_OK), -1);

	/* An existing database: refused, its run kept. */
	make_db(fx->path);
	fail_fstat = 1;
	assert_int_equal(store_open(fx->path, STORE_WRITE, &s, err,
	    sizeof(err)), -1);
	assert_null(s);
	says(err, fx->path, strerror(EIO));
	/* The reader's own check of the file. */
	fail_fstat = 1;
	assert_int_equal(store_open(fx->path, STORE_READ, &s, err,
	    sizeof(err)), -1);
	assert_null(s);
	says(err, fx->path, strerror(EIO));
	c = content_of(fx->path);
	assert_int_equal(c.runs, 1);
	assert_int_equal(c.obs, 1);
}

static void
test_fchmod_fails(void **state)
{
	struct fx *fx = *state;
	struct store *s = NULL;
	char err[ERRLEN];

	fail_fchmod = 1;
	assert_int_equal(store_open(fx->path, STORE_WRITE, &s, err,
	    sizeof(err)), -1);
	assert_null(s);
	says(err, fx->path, strerror(EPERM));
	/* Its mode could not be set: the file it created goes again. */
	assert_int_equal(access(fx->path, F_OK), -1);
	/* An existing file's mode is left alone (no fchmod to fail). */
	make_db(fx->path);
	fail_fchmod = 1;
	s = open_ok(fx->path, STORE_WRITE);
	store_close(s);
	fail_fchmod = 0;
}

static void
test_lock_fails(void **state)
{
	struct fx *fx = *state;
	struct store *a, *b = NULL;
	struct content c;
	char err[ERRLEN], want[2 * PATH_MAX];
	int64_t run;

	make_db(fx->path);
	fail_flock = 1;
	assert_int_equal(store_open(fx->path, STORE_WRITE, &b, err,
	    sizeof(err)), -1);
	assert_null(b);
	snprintf(want, sizeof(want), "cannot lock %s: %s", fx->path,
	    strerror(ENOLCK));
	assert_string_equal(err, want);

	/* Held by another writer: what the second one is told. */
	a = open_ok(fx->path, STORE_WRITE);
	run = begin_run(a, "agency", T0 + 86400);
	assert_int_equal(store_open(fx->path, STORE_WRITE, &b, err,
	    sizeof(err)), -1);
	assert_null(b);
	snprintf(want, sizeof(want), "%s is in use by another banaudit scan, "
	    "import, merge or waive (one writer at a time)", fx->path);
	assert_string_equal(err, want);
	/* The first writer goes on. */
	add_host_obs(a, run, "10.0.0.2");
	end_run(a, run, RUN_COMPLETE);
	store_close(a);
	c = content_of(fx->path);
	assert_int_equal(c.runs, 2);
	assert_int_equal(c.obs, 1);
}

/* A path through a regular file: stat() says ENOTDIR, not "no database". */
static void
test_path_through_file(void **state)
{
	struct fx *fx = *state;
	struct store *s = NULL;
	char err[ERRLEN], p[PATH_MAX + 32];
	int m;

	make_db(fx->path);
	snprintf(p, sizeof(p), "%s/x.db", fx->path);
	for (m = 0; m < 2; m++) {
		assert_int_equal(store_open(p, m ? STORE_WRITE : STORE_READ,
		    &s, err, sizeof(err)), -1);
		assert_null(s);
		says(err, p, strerror(ENOTDIR));
	}
	assert_int_equal(content_of(fx->path).runs, 1);
}

/* --- without the right to the file ------------------------------------ */

/*
 * In a child running as nobody: the database 0644 in a folder only root
 * may write (an auditor reading a copy).  The reader works without the
 * -shm SQLite cannot create there (immutable: no writer is active); the
 * writer is refused with the file's name and the reason.  Exit status:
 * 0 when all held, else the number of the check that did not.
 */
static int
as_nobody(const char *path, int readable)
{
	struct store *s = NULL;
	char err[ERRLEN], want[ERRLEN];
	size_t n = 0;

	if (setgid(NOBODY) == -1 || setuid(NOBODY) == -1)
		return 10;
	if (!readable) {
		if (store_open(path, STORE_READ, &s, err, sizeof(err)) != -1)
			return 11;
		snprintf(want, sizeof(want), "%s: %s", path,
		    strerror(EACCES));
		if (strcmp(err, want) != 0)
			return fprintf(stderr, "%s\n", err), 12;
		return 0;
	}
	if (store_open(path, STORE_READ, &s, err, sizeof(err)) != 0)
		return fprintf(stderr, "%s\n", err), 1;
	if (store_each_run(s, tally_runs, &n, err, sizeof(err)) != 0 || n != 1)
		return fprintf(stderr, "%s\n", err), 2;
	store_close(s);
	s = NULL;
	if (store_open(path, STORE_WRITE, &s, err, sizeof(err)) != -1 ||
	    s != NULL)
		return 3;
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EACCES));
	if (strcmp(err, want) != 0)
		return fprintf(stderr, "%s\n", err), 4;
	return 0;
}

static int
child_status(const char *path, int readable)
{
	pid_t pid;
	int st;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0)
		_exit(as_nobody(path, readable));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_not_owner(void **state)
{
	struct fx *fx = *state;
	struct content c;

	if (geteuid() != 0) {
		print_message("SKIP: not root: cannot become nobody\n");
		skip();
	}
	make_db(fx->path);
	assert_int_equal(chmod(fx->path, 0644), 0);
	assert_int_equal(child_status(fx->path, 1), 0);
	/* Nothing beside the file: the reader made no -shm, no -wal. */
	assert_int_equal(access(fx->shm, F_OK), -1);
	assert_int_equal(access(fx->wal, F_OK), -1);
	assert_int_equal(chmod(fx->path, 0600), 0);
	assert_int_equal(child_status(fx->path, 0), 0);
	c = content_of(fx->path);
	assert_int_equal(c.runs, 1);
	assert_int_equal(c.obs, 1);
}

/*
 * A read-only file system (an archive on a DVD): the reader opens the file
 * immutable, reads it, and creates nothing beside it.
 */
static void
test_read_only_fs(void **state)
{
	struct fx *fx = *state;
	struct store *s;
	char err[ERRLEN];
	size_t n = 0;

	make_db(fx->path);
	fake_rdonly = 1;
	s = open_ok(fx->path, STORE_READ);
	assert_int_equal(store_each_run(s, tally_runs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(access(fx->shm, F_OK), -1);
	assert_int_equal(access(fx->wal, F_OK), -1);
	store_close(s);
	fake_rdonly = 0;
}

/* --- a WAL another writer left ------------------------------------------- */

/*
 * The file's own header is a banaudit schema 6 one; the WAL beside it,
 * left by a writer that did not checkpoint, says otherwise (check_schema
 * reads it through SQLite).  Refused in both modes, with the reason, and
 * neither the file nor its WAL changes: the refusal does not checkpoint
 * the WAL into the file.
 */
static void
test_wal_refused(void **state)
{
	static const struct {
		const char	*sql;
		const char	*says;
	} wal[] = {
		{ "PRAGMA user_version = 99; CREATE TABLE newer (x)",
		  "has schema version 99, newer than this banaudit" },
		{ "PRAGMA application_id = 7",
		  "is not a banaudit database (application_id 0x7)" },
		{ "PRAGMA application_id = 0",
		  "is an SQLite database of another application" },
		{ "PRAGMA application_id = 0; PRAGMA user_version = 0",
		  "is an SQLite database of another application" },
	};
	static unsigned char before[1 << 20], after[1 << 20];
	static unsigned char wbefore[1 << 20], wafter[1 << 20];
	struct fx *fx = *state;
	struct store *s = NULL;
	char err[ERRLEN];
	size_t i, n, wn;
	int m;

	for (i = 0; i < NELEM(wal); i++) {
		unlink(fx->path);
		unlink(fx->wal);
		unlink(fx->shm);
		make_db(fx->path);
		raw_sql_wal(fx->path, wal[i].sql, 1);
		n = slurp(fx->path, before, sizeof(before));
		wn = slurp(fx->wal, wbefore, sizeof(wbefore));
		assert_true(wn > 0);
		for (m = 0; m < 2; m++) {
			assert_int_equal(store_open(fx->path, m ?
			    STORE_WRITE : STORE_READ, &s, err, sizeof(err)),
			    -1);
			assert_null(s);
			assert_non_null(strstr(err, fx->path));
			if (strstr(err, wal[i].says) == NULL)
				fail_msg("case %zu: %s", i, err);
			assert_int_equal(slurp(fx->path, after,
			    sizeof(after)), n);
			assert_memory_equal(before, after, n);
			assert_int_equal(slurp(fx->wal, wafter,
			    sizeof(wafter)), wn);
			assert_memory_equal(wbefore, wafter, wn);
		}
	}
}

/* --- the observation ids ------------------------------------------------ */

/*
 * The batch's last statement, saving the next observation id, fails (a
 * trigger refuses it, as a damaged or hostile file might): the flush says
 * so, the batch is not committed, the earlier run keeps its rows, and the
 * store can be opened again.
 */
static void
test_obs_ids_save_fails(void **state)
{
	struct fx *fx = *state;
	struct store *s;
	struct content c;
	char err[ERRLEN];
	int64_t run;

	make_db(fx->path);
	raw_sql(fx->path, "CREATE TRIGGER refuse BEFORE UPDATE ON obs_ids "
	    "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END");
	s = open_ok(fx->path, STORE_WRITE);
	run = begin_run(s, "agency", T0 + 86400);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	add_host_obs(s, run, "10.0.0.2");
	assert_int_equal(store_flush(s, err, sizeof(err)), -1);
	says(err, fx->path, "cannot save the observation ids: refused by a "
	    "trigger");
	store_close(s);
	c = content_of(fx->path);
	assert_int_equal(c.runs, 2);
	assert_int_equal(c.obs, 1);
	/* The second run's batch was not committed. */
	s = open_ok(fx->path, STORE_READ);
	c.obs = 0;
	assert_int_equal(store_each_observation(s, run, 0, tally_obs, &c.obs,
	    err, sizeof(err)), 0);
	assert_int_equal(c.obs, 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fstat_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fchmod_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_through_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_only_fs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wal_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_obs_ids_save_fails,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
