/*
 * store_ckpt: a thread that checkpoints the writer's WAL into the
 * database file while the writer goes on (store_ckpt.c says why).  Used
 * by store.c only; nothing outside the store includes this file.
 */
#ifndef BANAUDIT_STORE_CKPT_H
#define BANAUDIT_STORE_CKPT_H

/* A commit that leaves this many WAL frames asks for a checkpoint. */
#define STORE_CKPT_PAGES	2048

struct store_ckpt;

/*
 * Starts the thread for the database file at path (as SQLite names it,
 * sqlite3_db_filename()); it opens a connection of its own.  Returns
 * NULL when it cannot start: the caller then does without (the close
 * checkpoints everything, as without it).  The caller owns the result
 * and ends it with store_ckpt_stop() before it closes its own connection.
 */
struct store_ckpt *store_ckpt_start(const char *path);

/*
 * Asks for a checkpoint and returns at once; asked while one runs, the
 * next one starts when it ends.  NULL: nothing.
 */
void	 store_ckpt_ask(struct store_ckpt *);

/* How many checkpoints have run (for the tests). */
unsigned store_ckpt_done(struct store_ckpt *);

/*
 * Waits for a checkpoint that is running, ends the thread, closes its
 * connection and frees everything.  NULL: nothing.
 */
void	 store_ckpt_stop(struct store_ckpt *);

#endif
