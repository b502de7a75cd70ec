/*
 * scope: which history a scan joins.  Runs of one scope are compared (new,
 * persisting, resolved); the default scope is the targets file's name, so
 * a renamed file would quietly start a new history.  scope_check() finds
 * that case before the run begins, so the user can keep the old one with
 * --scope.
 */
#ifndef BANAUDIT_SCOPE_H
#define BANAUDIT_SCOPE_H

#include <stddef.h>

#include "store.h"
#include "target.h"

/*
 * When no complete scan run of the database has scope, but the newest
 * complete scan run of another scope polled most of tl's addresses (more
 * than half of the targets), writes a warning into warn naming that run
 * and the --scope that keeps its history, and returns 1.  0 when there is
 * nothing to say; -1 on a store failure (message in warn).
 */
int	 scope_check(struct store *, const struct target_list *tl,
	    const char *scope, char *warn, size_t len);

#endif
