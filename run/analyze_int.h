/*
 * analyze_int: what analyze.c and analyze_read.c share -- the state of a
 * run's analysis and one host's rows.  Private to the two.
 */
#ifndef BANAUDIT_ANALYZE_INT_H
#define BANAUDIT_ANALYZE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "match_memo.h"

/*
 * Copies of the strings of one host's rows, in blocks that never move, so
 * the copied rows can point into them.  Reset (not freed) between hosts.
 */
struct block {
	struct block	*next;
	size_t		 used, cap;
	char		 data[];
};

struct analyze_rows {
	struct obs_row	*v;
	size_t		 n, size;
	struct block	*blocks;	/* current block first */
	int64_t		 host;
	size_t		 offered;	/* analyze_add(): rows, kept or not */
	struct analyze_rows *next;	/* on the spare list */
};

struct analyze {
	struct store		*st;
	const struct rule_pack	*pack;
	const struct sector_set	*sectors;	/* may be NULL */
	int64_t			 run;
	int64_t			 started;
	char			 date[16];	/* the run's, UTC */
	struct analyze_rows	 rows;		/* read back: the host's */
	struct analyze_rows	*cur;		/* the host being matched */
	struct analyze_rows	*spare;		/* emptied, for reuse */
	/*
	 * analyze_park(): what a parked host with rows, none of them kept,
	 * points at (no memory of its own); analyze_host() counts it.
	 */
	struct analyze_rows	 none;
	struct match_memo	*memo;		/* analyze_add()'s test */
	size_t			 nspare;
	struct analyze_stats	*stats;
	int			 failed;
	char			*err;
	size_t			 errlen;
};

/* Copies r (its strings and value) into hr; -1 on ENOMEM. */
int	 analyze_add_row(struct analyze_rows *, const struct obs_row *);
/* Matches c->cur's rows and writes their findings; resets the buffer. */
int	 analyze_flush_host(struct analyze *);
/* Gives a host's buffer back (kept for the next host or freed). */
void	 analyze_rows_put(struct analyze *, struct analyze_rows **);

#endif /* BANAUDIT_ANALYZE_INT_H */
