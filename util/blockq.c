/*
 * blockq: a bounded single-producer, single-consumer queue of records,
 * a block at a time (blockq.h).  One mutex, two condition variables.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockq.h"
#include "util.h"

/* Records start on this boundary: any C object may be read in place. */
#define ALIGN		alignof(max_align_t)
#define ROUND(n)	(((n) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
/* A record's header: its length, padded. */
#define HDR		ROUND(sizeof(size_t))

struct block {
	struct block	*next;
	size_t		 used;		/* bytes of data[] filled */
	size_t		 cap;		/* bytes of data[] */
	size_t		 nrec;		/* records in it */
	int		 big;		/* one oversized record: freed */
	alignas(max_align_t) unsigned char data[];
};

struct blockq {
	pthread_mutex_t	 mu;
	pthread_cond_t	 room;		/* a block was given back, or failed */
	pthread_cond_t	 ready;		/* a block was handed over, or closed */
	size_t		 bsize;
	size_t		 nmax;
	/* Under mu. */
	struct block	*free;		/* empty blocks */
	struct block	*head, *tail;	/* handed over, oldest first */
	size_t		 nalloc;	/* blocks allocated, big ones too */
	int		 closed;
	int		 failed;
	char		 msg[ERRLEN];
	struct blockq_stats st;
	/* The producer's own. */
	struct block	*cur;		/* being filled */
	/* The consumer's own. */
	struct block	*rd;		/* being read */
	size_t		 off;		/* next record in rd */
};

int
blockq_open(struct blockq **out, size_t nblocks, size_t block_size,
    char *err, size_t errlen)
{
	struct blockq *q;

	*out = NULL;
	if (nblocks == 0 || block_size < 2 * HDR)
		return errf(err, errlen, "write queue: %zu blocks of %zu "
		    "bytes is too small", nblocks, block_size);
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return errf(err, errlen, "out of memory for the write queue");
	if (pthread_mutex_init(&q->mu, NULL) != 0) {
		free(q);
		return errf(err, errlen, "write queue: cannot make a lock");
	}
	if (pthread_cond_init(&q->room, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		free(q);
		return errf(err, errlen, "write queue: cannot make a "
		    "condition variable");
	}
	if (pthread_cond_init(&q->ready, NULL) != 0) {
		pthread_cond_destroy(&q->room);
		pthread_mutex_destroy(&q->mu);
		free(q);
		return errf(err, errlen, "write queue: cannot make a "
		    "condition variable");
	}
	q->bsize = ROUND(block_size);
	q->nmax = nblocks;
	*out = q;
	return 0;
}

static void
free_list(struct block *b)
{
	struct block *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

void
blockq_free(struct blockq *q)
{
	if (q == NULL)
		return;
	free_list(q->free);
	free_list(q->head);
	free(q->cur);
	free(q->rd);
	pthread_cond_destroy(&q->ready);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->mu);
	free(q);
}

/* Appends b to the handed-over list.  Under mu. */
static void
hand_over(struct blockq *q, struct block *b)
{
	b->next = NULL;
	if (q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->st.blocks++;
	q->st.records += b->nrec;
	pthread_cond_signal(&q->ready);
}

void
blockq_flush(struct blockq *q)
{
	struct block *b = q->cur;

	if (b == NULL || b->nrec == 0)
		return;
	q->cur = NULL;
	pthread_mutex_lock(&q->mu);
	hand_over(q, b);
	pthread_mutex_unlock(&q->mu);
}

void
blockq_close(struct blockq *q)
{
	blockq_flush(q);
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->mu);
}

int
blockq_failed(struct blockq *q, char *err, size_t errlen)
{
	int failed;

	pthread_mutex_lock(&q->mu);
	failed = q->failed;
	if (failed)
		errf(err, errlen, "%s", q->msg);
	pthread_mutex_unlock(&q->mu);
	return failed;
}

static struct block *
block_new(size_t cap)
{
	struct block *b;

	b = malloc(sizeof(*b) + cap);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->used = b->nrec = 0;
	b->cap = cap;
	b->big = 0;
	return b;
}

/*
 * Hands over the producer's block (when it holds records) and takes an
 * empty one -- of big bytes for one oversized record, else a standard
 * one -- waiting for the consumer to give one back when all nmax blocks
 * are in use.  A big block takes the place of a standard one.
 */
static int
next_block(struct blockq *q, size_t big, char *err, size_t errlen)
{
	struct block *b = q->cur, *drop = NULL;
	int grow = 0, waited = 0;

	q->cur = NULL;
	pthread_mutex_lock(&q->mu);
	if (b != NULL) {
		if (b->nrec > 0)
			hand_over(q, b);
		else {
			b->next = q->free;
			q->free = b;
		}
	}
	while (!q->failed && q->free == NULL && q->nalloc >= q->nmax) {
		if (!waited)
			q->st.waits++;
		waited = 1;
		pthread_cond_wait(&q->room, &q->mu);
	}
	if (q->failed) {
		errf(err, errlen, "%s", q->msg);
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	if (q->free != NULL) {
		b = q->free;
		q->free = b->next;
		b->next = NULL;
		if (big > 0)
			drop = b;	/* its place goes to the big one */
		else
			q->cur = b;
	} else
		q->nalloc++;
	grow = q->cur == NULL;
	pthread_mutex_unlock(&q->mu);
	free(drop);
	if (grow) {
		q->cur = block_new(big > 0 ? big : q->bsize);
		if (q->cur == NULL) {
			pthread_mutex_lock(&q->mu);
			q->nalloc--;
			pthread_mutex_unlock(&q->mu);
			return errf(err, errlen, "out of memory for the write "
			    "queue");
		}
		q->cur->big = big > 0;
	}
	q->cur->used = q->cur->nrec = 0;
	return 0;
}

void *
blockq_put(struct blockq *q, size_t len, char *err, size_t errlen)
{
	struct block *b;
	size_t need;

	if (len > SIZE_MAX / 2)
		return errf(err, errlen, "write queue: a record of %zu "
		    "bytes", len), NULL;
	need = HDR + ROUND(len);
	/*
	 * A record larger than a block gets one of its own, after the
	 * records before it; the next put, flush or close hands it over.
	 */
	if (q->cur == NULL || q->cur->cap - q->cur->used < need) {
		if (next_block(q, need > q->bsize ? need : 0, err,
		    errlen) != 0)
			return NULL;
	}
	b = q->cur;
	memcpy(b->data + b->used, &len, sizeof(len));
	b->used += need;
	b->nrec++;
	return b->data + b->used - ROUND(len);
}

int
blockq_get(struct blockq *q, const void **rec, size_t *len)
{
	struct block *b;

	for (;;) {
		b = q->rd;
		if (b != NULL && q->off < b->used) {
			memcpy(len, b->data + q->off, sizeof(*len));
			*rec = b->data + q->off + HDR;
			q->off += HDR + ROUND(*len);
			return 1;
		}
		pthread_mutex_lock(&q->mu);
		if (b != NULL) {
			q->rd = NULL;
			if (b->big) {
				free(b);
				q->nalloc--;
			} else {
				b->next = q->free;
				q->free = b;
			}
			pthread_cond_signal(&q->room);
		}
		while (q->head == NULL && !q->closed)
			pthread_cond_wait(&q->ready, &q->mu);
		b = q->head;
		if (b == NULL) {
			pthread_mutex_unlock(&q->mu);
			return 0;
		}
		q->head = b->next;
		if (q->head == NULL)
			q->tail = NULL;
		pthread_mutex_unlock(&q->mu);
		b->next = NULL;
		q->rd = b;
		q->off = 0;
	}
}

void
blockq_fail(struct blockq *q, const char *msg)
{
	pthread_mutex_lock(&q->mu);
	if (!q->failed) {
		q->failed = 1;
		str_copy(q->msg, msg != NULL && msg[0] != '\0' ? msg :
		    "the writer failed", sizeof(q->msg));
	}
	pthread_cond_broadcast(&q->room);
	pthread_mutex_unlock(&q->mu);
}

void
blockq_stats(struct blockq *q, struct blockq_stats *st)
{
	pthread_mutex_lock(&q->mu);
	*st = q->st;
	pthread_mutex_unlock(&q->mu);
}
