/*
 * test_blockq: the bounded queue between a scan's polling thread and its
 * writer thread (util/blockq.h) -- records come out in the order they
 * went in, whole and aligned, across blocks and through a record larger
 * than a block; a producer that fills every block waits until the
 * consumer gives one back (and puts nothing more meanwhile), then goes
 * on; a consumer's failure reaches the producer, also one waiting for
 * room; closing drains what is queued.  Run under ThreadSanitizer too
 * (docs/PERFORMANCE.md says how).
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "blockq.h"
#include "util.h"

/* Record i: i as 8 bytes, then len(i) - 8 bytes of (i + k) & 0xff. */
static size_t
rec_len(size_t i)
{
	return 8 + (i * 37) % 300;
}

static void
rec_fill(unsigned char *p, size_t i)
{
	uint64_t v = i;
	size_t k, n = rec_len(i);

	memcpy(p, &v, sizeof(v));
	for (k = 8; k < n; k++)
		p[k] = (unsigned char)(i + k);
}

static void
rec_check(const void *rec, size_t len, size_t i)
{
	const unsigned char *p = rec;
	uint64_t v;
	size_t k;

	assert_int_equal(len, rec_len(i));
	assert_int_equal((uintptr_t)rec % alignof(max_align_t), 0);
	memcpy(&v, p, sizeof(v));
	assert_int_equal(v, i);
	for (k = 8; k < len; k++)
		assert_int_equal(p[k], (unsigned char)(i + k));
}

static void
put_n(struct blockq *q, size_t from, size_t n)
{
	char err[ERRLEN];
	unsigned char *p;
	size_t i;

	for (i = from; i < from + n; i++) {
		p = blockq_put(q, rec_len(i), err, sizeof(err));
		if (p == NULL)
			fail_msg("blockq_put %zu: %s", i, err);
		rec_fill(p, i);
	}
}

/* Order kept across many blocks, on one thread; then closed: drained. */
static void
test_order(void **state)
{
	struct blockq *q;
	struct blockq_stats st;
	char err[ERRLEN];
	const void *rec;
	size_t len, i, got = 0;

	(void)state;
	/* 100 blocks of 1 KiB: room for every record without a wait. */
	assert_int_equal(blockq_open(&q, 100, 1024, err, sizeof(err)), 0);
	put_n(q, 0, 200);
	blockq_flush(q);
	put_n(q, 200, 50);
	blockq_close(q);
	for (i = 0; blockq_get(q, &rec, &len) == 1; i++) {
		rec_check(rec, len, i);
		got++;
	}
	assert_int_equal(got, 250);
	assert_int_equal(blockq_get(q, &rec, &len), 0);
	blockq_stats(q, &st);
	assert_int_equal(st.records, 250);
	assert_true(st.blocks > 10);
	assert_int_equal(st.waits, 0);
	blockq_free(q);
}

/* A record larger than a block, between small ones, in its place. */
static void
test_big_record(void **state)
{
	struct blockq *q;
	char err[ERRLEN];
	const void *rec;
	unsigned char *p;
	size_t len, i;

	(void)state;
	assert_int_equal(blockq_open(&q, 4, 256, err, sizeof(err)), 0);
	put_n(q, 0, 1);
	p = blockq_put(q, 5000, err, sizeof(err));
	assert_non_null(p);
	memset(p, 'x', 5000);
	put_n(q, 2, 1);
	blockq_close(q);
	assert_int_equal(blockq_get(q, &rec, &len), 1);
	rec_check(rec, len, 0);
	assert_int_equal(blockq_get(q, &rec, &len), 1);
	assert_int_equal(len, 5000);
	for (i = 0; i < len; i++)
		assert_int_equal(((const unsigned char *)rec)[i], 'x');
	assert_int_equal(blockq_get(q, &rec, &len), 1);
	rec_check(rec, len, 2);
	assert_int_equal(blockq_get(q, &rec, &len), 0);
	blockq_free(q);
}

/* A producer thread putting n records; how many it has put so far. */
struct prod {
	struct blockq	*q;
	size_t		 n;
	atomic_size_t	 put;
	int		 rc;
	char		 err[ERRLEN];
};

static void *
producer(void *arg)
{
	struct prod *pr = arg;
	unsigned char *p;
	size_t i;

	pr->rc = 0;
	for (i = 0; i < pr->n; i++) {
		p = blockq_put(pr->q, rec_len(i), pr->err, sizeof(pr->err));
		if (p == NULL) {
			pr->rc = -1;
			break;
		}
		rec_fill(p, i);
		atomic_store(&pr->put, i + 1);
	}
	blockq_close(pr->q);
	return NULL;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Two blocks of 1 KiB: the producer fills both and a third, then waits
 * while nobody reads; reading lets it finish, every record in order.
 */
static void
test_bounded(void **state)
{
	struct blockq *q;
	struct blockq_stats st;
	struct prod pr;
	pthread_t th;
	char err[ERRLEN];
	const void *rec;
	size_t len, i, stuck;
	int k;

	(void)state;
	assert_int_equal(blockq_open(&q, 2, 1024, err, sizeof(err)), 0);
	memset(&pr, 0, sizeof(pr));
	pr.q = q;
	pr.n = 2000;
	assert_int_equal(pthread_create(&th, NULL, producer, &pr), 0);
	/*
	 * It waits: the queue counts the wait under its lock, after every
	 * earlier put returned -- so from then on the count cannot move
	 * (no timing is assumed; 30 s is only a bound on a hung test).
	 */
	for (k = 0; k < 3000; k++) {
		blockq_stats(q, &st);
		if (st.waits >= 1)
			break;
		nap_ms(10);
	}
	assert_true(st.waits >= 1);
	stuck = atomic_load(&pr.put);
	nap_ms(50);
	assert_int_equal(atomic_load(&pr.put), stuck);
	/* Records take 32 bytes at least: two blocks hold 64 at most. */
	assert_true(stuck > 0 && stuck <= 2 * 1024 / 32);
	assert_int_equal(st.records, stuck);
	for (i = 0; blockq_get(q, &rec, &len) == 1; i++)
		rec_check(rec, len, i);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(pr.rc, 0);
	assert_int_equal(i, pr.n);
	blockq_stats(q, &st);
	assert_int_equal(st.records, pr.n);
	blockq_free(q);
}

/*
 * The consumer fails after 10 records while the producer waits for room:
 * the producer wakes, and its put returns NULL with the message.
 */
static void
test_consumer_fails(void **state)
{
	struct blockq *q;
	struct prod pr;
	pthread_t th;
	char err[ERRLEN];
	const void *rec;
	size_t len, i;

	(void)state;
	assert_int_equal(blockq_open(&q, 2, 512, err, sizeof(err)), 0);
	memset(&pr, 0, sizeof(pr));
	pr.q = q;
	pr.n = 100000;
	assert_int_equal(pthread_create(&th, NULL, producer, &pr), 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(blockq_get(q, &rec, &len), 1);
		rec_check(rec, len, i);
	}
	blockq_fail(q, "disk full: test.db");
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(pr.rc, -1);
	assert_string_equal(pr.err, "disk full: test.db");
	assert_true(atomic_load(&pr.put) < pr.n);
	assert_int_equal(blockq_failed(q, err, sizeof(err)), 1);
	assert_string_equal(err, "disk full: test.db");
	blockq_free(q);
}

/* Before any failure, blockq_failed() says no; a bad size is refused. */
static void
test_open_and_failed(void **state)
{
	struct blockq *q = (struct blockq *)1;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(blockq_open(&q, 0, 4096, err, sizeof(err)), -1);
	assert_null(q);
	assert_string_equal(err, "write queue: 0 blocks of 4096 bytes is "
	    "too small");
	assert_int_equal(blockq_open(&q, 2, 8, err, sizeof(err)), -1);
	assert_null(q);
	assert_int_equal(blockq_open(&q, 2, 4096, err, sizeof(err)), 0);
	err[0] = '\0';
	assert_int_equal(blockq_failed(q, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* Closed with nothing put: the consumer sees the end at once. */
	blockq_close(q);
	{
		const void *rec;
		size_t len;

		assert_int_equal(blockq_get(q, &rec, &len), 0);
	}
	blockq_free(q);
	blockq_free(NULL);
}

/* Freed with records still queued (a failed scan): no leak (SAN). */
static void
test_free_queued(void **state)
{
	struct blockq *q;
	char err[ERRLEN];
	const void *rec;
	size_t len;

	(void)state;
	assert_int_equal(blockq_open(&q, 100, 512, err, sizeof(err)), 0);
	put_n(q, 0, 40);
	blockq_flush(q);
	put_n(q, 40, 3);
	assert_int_equal(blockq_get(q, &rec, &len), 1);
	rec_check(rec, len, 0);
	blockq_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_big_record),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_consumer_fails),
		cmocka_unit_test(test_open_and_failed),
		cmocka_unit_test(test_free_queued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
