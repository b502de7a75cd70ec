/*
 * The allocation-failure harness of the test_oom_*.c binaries (one per
 * area: test_oom_store.c, test_oom_collect.c, test_oom_report.c, ...).
 * Those binaries, and only they, are linked with tests/unit/oom.c and
 * with --wrap=malloc,calloc,realloc,reallocarray,strdup,strndup (the
 * Makefile's OOM_WRAP), so that the project's own allocations -- the
 * library's objects and the test's, not shared libraries' -- go through
 * the harness.  SQLite's and jansson's allocators can be routed through
 * it too.  Armed, the harness makes the Nth allocation of one kind fail,
 * once; a realloc that shrinks a block never fails (glibc's does not,
 * and code rightly keeps the old block when it would).
 */
#ifndef BANAUDIT_OOM_H
#define BANAUDIT_OOM_H

#include <stddef.h>

/* Whose allocations are counted and failed. */
enum oom_who {
	OOM_OURS,		/* the wrapped malloc family */
	OOM_SQLITE,		/* SQLite's, after oom_hook_sqlite() */
	OOM_JANSSON,		/* jansson's, after oom_hook_jansson() */
};

/* The at-th allocation of who's from now (1, 2, ...) fails; 0: none. */
void	 oom_arm(enum oom_who who, long at);
void	 oom_disarm(void);
/* Did the armed failure happen? */
int	 oom_fired(void);
/* Allocations of the armed kind since oom_arm(). */
long	 oom_count(void);

/* SQLite's allocator through the harness (before any database opens). */
int	 oom_hook_sqlite(void);
/* jansson's allocator through the harness. */
void	 oom_hook_jansson(void);

/*
 * Runs scenario(arg, err, errlen) once with nothing failing (it must
 * return 0; that run gives the total of allocations), then with who's
 * 1st, 2nd, ... allocation failing.  Every run whose allocation failed
 * must return -1 with a message in err, every other run 0 (a cmocka
 * failure otherwise, naming the case and the allocation).  Returns the
 * total.  step, when not NULL, picks the next N after n given the total
 * (for a kind that allocates too often to try every N, e.g. SQLite);
 * NULL tries each.
 */
typedef int (*oom_scenario)(void *arg, char *err, size_t errlen);
long	 oom_each(const char *name, enum oom_who who, oom_scenario scenario,
	    void *arg, long (*step)(long n, long total));

#endif
