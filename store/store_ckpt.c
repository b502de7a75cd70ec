/*
 * store_ckpt: the writer's checkpoints, beside it.  A large write (a
 * scan's observations) goes into the WAL; left alone, the whole of it is
 * copied into the database file, and both files synced, when the writer
 * closes -- after the last answer, on the writer's thread (issue 13:
 * about a fifth of a 256 x 1,000 scan's wall time).  Once a commit leaves
 * STORE_CKPT_PAGES frames in the WAL, store.c asks for a checkpoint here:
 * a thread with a connection of its own copies what is committed into the
 * database file (SQLite's PASSIVE checkpoint: it never waits for the
 * writer nor stops it) and syncs as SQLite's checkpoints always do (the
 * WAL before the copy, the database file after), while the writer goes
 * on.  The close then has only the last batches to copy and sync, and a
 * WAL that was fully copied is reused from its start by the next batch
 * instead of growing.  Nothing is decided here: what is durable when, and
 * what a killed process leaves, are SQLite's rules as before.  A helper
 * that cannot start (no memory, no thread, the file cannot be opened)
 * leaves every checkpoint to the close, as before: no result depends on
 * it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_ckpt.h"
#include "store_vfs.h"

struct store_ckpt {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 asked;		/* a checkpoint is wanted */
	int		 stop;		/* store_ckpt_stop(): end */
	unsigned	 done;		/* checkpoints run */
	char		*path;		/* the database file */
};

/* The helper's connection: the same file, never created, never deleted. */
static sqlite3 *
ckpt_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, store_vfs()) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	/*
	 * Its close must not checkpoint and delete the WAL (the writer
	 * holds the file open, so it would not, but say so); and a read
	 * opens the WAL, which a checkpoint of a connection that has read
	 * nothing yet would not see.
	 */
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
	    NULL) != SQLITE_OK || sqlite3_exec(db, "PRAGMA schema_version",
	    NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void *
ckpt_main(void *arg)
{
	struct store_ckpt *c = arg;
	sqlite3 *db;
	int nlog, nckpt;

	db = ckpt_open(c->path);
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->asked && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->asked = 0;
		pthread_mutex_unlock(&c->mu);
		/*
		 * Errors and SQLITE_BUSY (another checkpoint running) leave
		 * the frames to the next checkpoint or the close.
		 */
		if (db != NULL)
			(void)sqlite3_wal_checkpoint_v2(db, "main",
			    SQLITE_CHECKPOINT_PASSIVE, &nlog, &nckpt);
		pthread_mutex_lock(&c->mu);
		c->done++;
	}
	pthread_mutex_unlock(&c->mu);
	sqlite3_close(db);
	return NULL;
}

struct store_ckpt *
store_ckpt_start(const char *path)
{
	struct store_ckpt *c;
	sigset_t all, old;
	int rc;

	if (path == NULL || path[0] == '\0')
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->path = strdup(path)) == NULL ||
	    pthread_mutex_init(&c->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&c->cv, NULL) != 0)
		goto fail_mu;
	/* Signals (a scan's Ctrl-C) stay with the caller's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->thread, NULL, ckpt_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		goto fail_cv;
	return c;
fail_cv:
	pthread_cond_destroy(&c->cv);
fail_mu:
	pthread_mutex_destroy(&c->mu);
fail:
	free(c->path);
	free(c);
	return NULL;
}

void
store_ckpt_ask(struct store_ckpt *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->asked = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

unsigned
store_ckpt_done(struct store_ckpt *c)
{
	unsigned n;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->mu);
	n = c->done;
	pthread_mutex_unlock(&c->mu);
	return n;
}

void
store_ckpt_stop(struct store_ckpt *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c);
}
