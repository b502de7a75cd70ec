/*
 * writer: a scan's writer thread.  While the collectors run, the polling
 * thread only copies each event of their sink (an observation, a coverage
 * record, an identity, a target done) into a bounded queue (blockq.h, a
 * few blocks: when they are full the poller waits); the writer thread
 * takes them in the order they were put and does all the storing:
 * store_observation(), store_coverage(), store_host_name() for a
 * device's sysName, store_host() and store_host_move() for an identity,
 * analyze_add() and analyze_host() (or analyze_park()) when matching as
 * hosts finish, and the
 * batch commits those calls make.  So the network and the store each get
 * a core, and the results are those of one thread doing both in turn.
 *
 * Ownership: from writer_start() until writer_stop() returns, the store
 * connection, the run's host ids, the analyze state and its per-target
 * rows (struct writer_state) are the writer thread's: the caller MUST
 * NOT touch them (nor call any store function on that connection).
 * After writer_stop() they are the caller's again.
 *
 * Errors: when a store call fails the writer stops taking events and its
 * message reaches the poller: the next writer_*() event call returns -1
 * with it, and writer_failed() says so between events.  writer_stop()
 * drains what is queued (a stopped scan keeps everything gathered), then
 * joins the thread; it returns the writer's failure, if any.
 */
#ifndef BANAUDIT_WRITER_H
#define BANAUDIT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "collector.h"
#include "store.h"
#include "target.h"

#define WRITER_BLOCKS		4		/* blocks in the queue */
#define WRITER_BLOCK_SIZE	(512 * 1024)	/* bytes in a block */

/* The store side of a scan: the writer thread's while it runs. */
struct writer_state {
	struct store		*st;
	int64_t			 run;
	const struct target_list *targets;
	int64_t			*host_ids;	/* per target; identify moves */
	size_t			 ntargets;
	/* Matching as each host finishes, or NULL (analyze.h). */
	struct analyze		*an;
	struct analyze_rows	**rows;		/* per target, with an */
	/*
	 * With an: a done host's rows are parked (analyze_park()) to be
	 * matched after locate and onu, which may add rows to it.
	 */
	int			 park;
	/*
	 * The writer's own, from writer_start() to writer_stop(): the
	 * targets with rows stored since the store's buffer was last
	 * written out (store_obs_settle()): mark[t] is gen * 2 for such a
	 * target, plus 1 once it is done; open counts those not done.
	 */
	uint32_t		*mark;
	uint32_t		 gen;
	size_t			 open;
};

struct writer;

/*
 * Starts the thread over ws (borrowed until writer_stop()).  Returns 0
 * and sets *w, or -1 with a message (no thread, *w NULL).  With threaded
 * 0 there is no thread and no queue: each event is stored by the
 * caller's thread inside the writer_*() call, as a scan did before the
 * thread (for scans whose store work is too small to pay for a thread:
 * see scan.c), with the same results and the same errors.
 */
int	 writer_start(struct writer **w, struct writer_state *ws,
	    int threaded, char *err, size_t errlen);

/*
 * The poller's side: each queues one event (copying what it points to).
 * -1 with a message when the writer failed, or out of memory.
 */
int	 writer_observe(struct writer *, size_t target, enum channel,
	    const struct observation *, char *err, size_t errlen);
int	 writer_cover(struct writer *, size_t target,
	    const struct coverage *, char *err, size_t errlen);
int	 writer_identify(struct writer *, size_t target,
	    const struct host_hints *, char *err, size_t errlen);
int	 writer_done(struct writer *, size_t target, char *err,
	    size_t errlen);
/* Hands what is queued to the writer now (each poll turn). */
void	 writer_flush(struct writer *);
/* 1 and the writer's message when it failed, else 0. */
int	 writer_failed(struct writer *, char *err, size_t errlen);

/*
 * Ends the input, lets the writer store what is queued, joins it and
 * frees w.  Returns 0, or -1 with the writer's message when it failed.
 * NULL is fine (returns 0).
 */
int	 writer_stop(struct writer *, char *err, size_t errlen);

#endif
