/*
 * blockq: a bounded queue of byte records between two threads, one
 * producer and one consumer.  A scan's polling thread (the producer)
 * copies each event of the collectors' sink into it; the writer thread
 * (the consumer) stores them (run/scan.c).  The queue knows nothing of
 * what the records mean: each is a length and that many bytes, aligned
 * for any C object, read back in the order it was put.
 *
 * Records are packed into blocks of a fixed size; at most nblocks exist
 * (allocated when first needed), so the memory is bounded: when every
 * block is full and not yet read, the producer waits (back-pressure;
 * nothing is dropped, nothing grows).  The lock is taken once per block
 * on each side, not once per record.  A record larger than a block gets
 * a block of its own, freed once read (its size is the producer's one
 * record, so still bounded).
 *
 * Errors: the consumer that cannot go on calls blockq_fail() with a
 * message; the producer's next blockq_put() returns NULL with that
 * message, and blockq_failed() says so between records.  A producer
 * waiting for room is woken.  blockq_close() ends the input: the consumer
 * reads what is left (the queue drains), then blockq_get() returns 0.
 *
 * Threads: blockq_put(), blockq_flush(), blockq_close() and
 * blockq_failed() belong to the producer; blockq_get() and blockq_fail()
 * to the consumer; blockq_open() and blockq_free() to the thread that
 * owns the queue, with neither side running.
 */
#ifndef BANAUDIT_BLOCKQ_H
#define BANAUDIT_BLOCKQ_H

#include <stddef.h>

struct blockq;

/* What the queue did, for a benchmark or a test. */
struct blockq_stats {
	size_t	 records;	/* put */
	size_t	 blocks;	/* handed to the consumer */
	size_t	 waits;		/* times the producer waited for room */
};

/*
 * Allocates an empty queue of at most nblocks (>= 1) blocks of
 * block_size bytes each.  Returns 0 and sets *q (free with
 * blockq_free()), or -1 with a message and *q NULL.
 */
int	 blockq_open(struct blockq **q, size_t nblocks, size_t block_size,
	    char *err, size_t errlen);
/* Frees the queue and every record in it.  NULL is fine. */
void	 blockq_free(struct blockq *);

/*
 * Producer: room for one record of len bytes, to be filled before the
 * next call; the record is the consumer's once its block is handed over
 * (full, blockq_flush() or blockq_close()).  Waits while every block is
 * full.  NULL with a message when the consumer failed (its message), or
 * out of memory.
 */
void	*blockq_put(struct blockq *, size_t len, char *err, size_t errlen);
/* Producer: hands over the records put so far, without waiting. */
void	 blockq_flush(struct blockq *);
/* Producer: no more records; hands over what is left. */
void	 blockq_close(struct blockq *);
/* Producer: 1 and the consumer's message when it failed, else 0. */
int	 blockq_failed(struct blockq *, char *err, size_t errlen);

/*
 * Consumer: the next record (borrowed until the next call), waiting for
 * one.  Returns 1 and sets *rec and *len, or 0 once the queue is closed
 * and every record has been read.
 */
int	 blockq_get(struct blockq *, const void **rec, size_t *len);
/* Consumer: it stops; msg goes to the producer.  Wakes a waiting one. */
void	 blockq_fail(struct blockq *, const char *msg);

/* The counts so far (either side, or the owner after both stopped). */
void	 blockq_stats(struct blockq *, struct blockq_stats *);

#endif
