/*
 * The allocation-failure harness (oom.h): the --wrap targets of the
 * malloc family, SQLite's and jansson's allocators routed through one
 * counter, and the loop that fails each allocation of a scenario in turn.
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "oom.h"

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__real_reallocarray(void *, size_t, size_t);
char	*__real_strdup(const char *);
char	*__real_strndup(const char *, size_t);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	*__wrap_reallocarray(void *, size_t, size_t);
char	*__wrap_strdup(const char *);
char	*__wrap_strndup(const char *, size_t);

/*
 * Atomic: a scan's writer thread (run/writer.h) allocates beside the
 * polling thread, so the count is shared; which thread's allocation is
 * the Nth then varies from run to run, and either must fail cleanly.
 */
static _Atomic long	 fail_at;	/* 0: off; else the one that fails */
static _Atomic long	 ncalls;	/* of the armed kind, since armed */
static _Atomic int	 fired;
static enum oom_who	 counted;
static sqlite3_mem_methods real_mem;

static int
fail_now(enum oom_who who)
{
	if (fail_at == 0 || who != counted)
		return 0;
	if (atomic_fetch_add(&ncalls, 1) + 1 != fail_at)
		return 0;
	fired = 1;
	return 1;
}

static int
shrinks(void *p, size_t n)
{
	return p != NULL && n <= malloc_usable_size(p);
}

void *
__wrap_malloc(size_t n)
{
	return fail_now(OOM_OURS) ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t sz)
{
	return fail_now(OOM_OURS) ? NULL : __real_calloc(n, sz);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return !shrinks(p, n) && fail_now(OOM_OURS) ? NULL :
	    __real_realloc(p, n);
}

void *
__wrap_reallocarray(void *p, size_t n, size_t sz)
{
	return (sz == 0 || n > SIZE_MAX / sz || !shrinks(p, n * sz)) &&
	    fail_now(OOM_OURS) ? NULL : __real_reallocarray(p, n, sz);
}

char *
__wrap_strdup(const char *s)
{
	return fail_now(OOM_OURS) ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fail_now(OOM_OURS) ? NULL : __real_strndup(s, n);
}

void
oom_arm(enum oom_who who, long at)
{
	counted = who;
	ncalls = 0;
	fired = 0;
	fail_at = at;
}

void
oom_disarm(void)
{
	fail_at = 0;
}

int
oom_fired(void)
{
	return fired;
}

long
oom_count(void)
{
	return ncalls;
}

static void *
sql_malloc(int n)
{
	return fail_now(OOM_SQLITE) ? NULL : real_mem.xMalloc(n);
}

static void *
sql_realloc(void *p, int n)
{
	return fail_now(OOM_SQLITE) ? NULL : real_mem.xRealloc(p, n);
}

int
oom_hook_sqlite(void)
{
	static sqlite3_mem_methods mine;

	if (real_mem.xMalloc != NULL)
		return 0;
	if (sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
		return -1;
	mine = real_mem;
	mine.xMalloc = sql_malloc;
	mine.xRealloc = sql_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK)
		return -1;
	return 0;
}

static void *
json_malloc(size_t n)
{
	return fail_now(OOM_JANSSON) ? NULL : __real_malloc(n);
}

static void
json_free(void *p)
{
	free(p);
}

void
oom_hook_jansson(void)
{
	json_set_alloc_funcs(json_malloc, json_free);
}

long
oom_each(const char *name, enum oom_who who, oom_scenario scenario,
    void *arg, long (*step)(long, long))
{
	char err[512];
	long at, total = -1;
	int rc;

	/* A clean run first: the total, and the scenario works at all. */
	err[0] = '\0';
	oom_arm(who, LONG_MAX);
	rc = scenario(arg, err, sizeof(err));
	total = oom_count();
	oom_disarm();
	if (rc != 0)
		fail_msg("%s: fails with no failing allocation: %s", name,
		    err);
	for (at = 1; at <= total; at = step ? step(at, total) : at + 1) {
		err[0] = '\0';
		oom_arm(who, at);
		rc = scenario(arg, err, sizeof(err));
		oom_disarm();
		if (!oom_fired()) {
			if (rc != 0)
				fail_msg("%s: failed without a failing "
				    "allocation (%ld of %ld): %s", name, at,
				    total, err);
			continue;
		}
		if (rc != -1 || err[0] == '\0')
			fail_msg("%s: allocation %ld of %ld failed, the "
			    "scenario returned %d (\"%s\")", name, at, total,
			    rc, err);
	}
	print_message("%s: %ld allocations, each failed in turn\n", name,
	    total);
	return total;
}
