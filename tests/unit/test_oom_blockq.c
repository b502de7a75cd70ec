/*
 * test_oom_blockq: the write queue's allocations (util/blockq.h: the
 * queue, its blocks as they are first needed, a block for a record
 * larger than the rest) failing one at a time on the shared harness
 * (oom.h): each failure must end in -1 with a message and leak nothing
 * (make SAN=1), never a record lost or out of order when none failed.
 * The scan's use of it (run/writer.c) fails in turn in test_oom_run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blockq.h"
#include "oom.h"
#include "util.h"

#define NREC	60

/* Puts NREC records of 100 bytes and a big one, reading as it goes. */
static int
queue_scenario(void *arg, char *err, size_t errlen)
{
	struct blockq *q = NULL;
	const void *rec;
	unsigned char *p;
	size_t len, i, got = 0;
	int rc = -1;

	(void)arg;
	if (blockq_open(&q, 3, 512, err, errlen) != 0)
		return -1;
	for (i = 0; i < NREC; i++) {
		p = blockq_put(q, i == NREC / 2 ? 2000 : 100, err, errlen);
		if (p == NULL)
			goto out;
		memset(p, (int)i, i == NREC / 2 ? 2000 : 100);
		if (i % 7 == 6) {
			/* Read what was handed over: room again. */
			blockq_flush(q);
			blockq_close(q);
			while (blockq_get(q, &rec, &len) == 1) {
				assert_int_equal(*(const unsigned char *)rec,
				    (unsigned char)got);
				got++;
			}
			blockq_free(q);
			q = NULL;
			if (blockq_open(&q, 3, 512, err, errlen) != 0)
				goto out;
		}
	}
	blockq_close(q);
	while (blockq_get(q, &rec, &len) == 1) {
		assert_int_equal(*(const unsigned char *)rec,
		    (unsigned char)got);
		got++;
	}
	assert_int_equal(got, NREC);
	rc = 0;
out:
	blockq_free(q);
	return rc;
}

static void
test_queue(void **state)
{
	(void)state;
	assert_true(oom_each("write queue", OOM_OURS, queue_scenario, NULL,
	    NULL) > 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
