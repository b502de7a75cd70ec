/*
 * test_snmp_sched: the SNMP engine's scheduling helpers
 * (collectors/snmp_sched.c) without a network: the timer heap gives the
 * hosts back in the order of their earliest deadline (host budget,
 * request, USM wait, own rate) through re-arming, moving a deadline
 * earlier or later and removing hosts anywhere in it, and a host with no
 * deadline is out of it; the token queue and the fired queue are first
 * in, first out and hold a host once; the first fatal error is the one
 * kept; details are joined with "; " and never overrun their buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snmp_int.h"

#define NH	300

/* The earliest non-zero deadline of h, or 0. */
static int64_t
earliest(const struct host *h)
{
	const int64_t d[] = { h->budget_at, h->req_at, h->wake_at,
	    h->rate_at };
	int64_t at = 0;
	size_t i;

	for (i = 0; i < NELEM(d); i++)
		if (d[i] != 0 && (at == 0 || d[i] < at))
			at = d[i];
	return at;
}

static void
test_timer_heap(void **state)
{
	static struct host h[NH];
	static struct host *heap[NH];
	struct snmp_ctx c;
	struct host *top;
	uint32_t x = 12345;
	int64_t last;
	size_t i, n, in;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.heap = heap;
	for (i = 0; i < NH; i++) {
		memset(&h[i], 0, sizeof(h[i]));
		h[i].heap_idx = SIZE_MAX;
	}
	/* Deadlines of every kind, some hosts with none. */
	for (i = 0; i < NH; i++) {
		x = x * 1103515245u + 12345u;
		switch (i % 8) {
		case 0: h[i].budget_at = 1 + (x >> 8) % 100000; break;
		case 1: h[i].req_at = 1 + (x >> 8) % 100000; break;
		case 2: h[i].wake_at = 1 + (x >> 8) % 100000;
			h[i].req_at = 1 + (x >> 12) % 100000; break;
		case 3: h[i].rate_at = 1 + (x >> 8) % 100000;
			h[i].budget_at = 1 + (x >> 4) % 100000; break;
		case 4: h[i].budget_at = 1 + (x >> 8) % 100000;
			h[i].req_at = 1 + (x >> 12) % 100000; break;
		case 5: h[i].wake_at = 1 + (x >> 8) % 100000; break;
		case 6: h[i].rate_at = 1 + (x >> 8) % 100000; break;
		default: break;
		}
		snmp_host_rearm(&c, &h[i]);
	}
	for (i = in = 0; i < NH; i++)
		in += i % 8 != 7;
	assert_int_equal(c.nheap, in);
	/* Move some deadlines earlier, some later, take some out. */
	for (i = 0; i < NH; i += 7) {
		if (h[i].req_at != 0)
			h[i].req_at = h[i].req_at > 50000 ? h[i].req_at - 50000 :
			    1;
		else if (h[i].budget_at != 0)
			h[i].budget_at += 70000;
		snmp_host_rearm(&c, &h[i]);
	}
	for (i = 3; i < NH; i += 11) {
		h[i].budget_at = h[i].req_at = h[i].wake_at = h[i].rate_at =
		    0;
		snmp_host_rearm(&c, &h[i]);
		assert_int_equal(h[i].heap_idx, SIZE_MAX);
	}
	/* Removing a host twice, or one never in the heap, does nothing. */
	snmp_heap_remove(&c, &h[3]);
	snmp_heap_remove(&c, &h[7]);
	for (i = in = 0; i < NH; i++)
		in += earliest(&h[i]) != 0;
	assert_int_equal(c.nheap, in);
	for (i = 0; i < c.nheap; i++)
		assert_int_equal(c.heap[i]->heap_idx, i);
	/* Out in deadline order, each at its earliest deadline. */
	for (n = 0, last = 0; c.nheap > 0; n++) {
		top = c.heap[0];
		assert_int_equal(top->timer_at, earliest(top));
		assert_true(top->timer_at >= last);
		last = top->timer_at;
		snmp_heap_remove(&c, top);
		assert_int_equal(top->heap_idx, SIZE_MAX);
	}
	assert_int_equal(n, in);
}

static void
test_queues(void **state)
{
	struct host h[4];
	struct snmp_ctx c;
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(h, 0, sizeof(h));
	for (i = 0; i < 4; i++)
		snmp_queue_add(&c, &h[i]);
	snmp_queue_add(&c, &h[1]);	/* already queued */
	assert_ptr_equal(c.qhead, &h[0]);
	assert_ptr_equal(c.qtail, &h[3]);
	/* Out of the middle, the head, the tail; twice is nothing. */
	snmp_queue_remove(&c, &h[1]);
	snmp_queue_remove(&c, &h[1]);
	assert_ptr_equal(h[0].qnext, &h[2]);
	assert_ptr_equal(h[2].qprev, &h[0]);
	snmp_queue_remove(&c, &h[0]);
	assert_ptr_equal(c.qhead, &h[2]);
	assert_null(h[2].qprev);
	snmp_queue_remove(&c, &h[3]);
	assert_ptr_equal(c.qtail, &h[2]);
	assert_null(h[2].qnext);
	snmp_queue_remove(&c, &h[2]);
	assert_null(c.qhead);
	assert_null(c.qtail);
	/* Again, in a new order. */
	snmp_queue_add(&c, &h[3]);
	snmp_queue_add(&c, &h[0]);
	assert_ptr_equal(c.qhead, &h[3]);
	assert_ptr_equal(h[3].qnext, &h[0]);

	memset(&c, 0, sizeof(c));
	memset(h, 0, sizeof(h));
	assert_null(snmp_fired_pop(&c));
	snmp_fired_add(&c, &h[2]);
	snmp_fired_add(&c, &h[0]);
	snmp_fired_add(&c, &h[2]);	/* once */
	assert_ptr_equal(snmp_fired_pop(&c), &h[2]);
	assert_false(h[2].fired);
	snmp_fired_add(&c, &h[2]);	/* may come back once out */
	assert_ptr_equal(snmp_fired_pop(&c), &h[0]);
	assert_ptr_equal(snmp_fired_pop(&c), &h[2]);
	assert_null(snmp_fired_pop(&c));
	assert_null(c.fired_tail);
	snmp_fired_add(&c, &h[1]);
	assert_ptr_equal(c.fired, &h[1]);
	assert_ptr_equal(c.fired_tail, &h[1]);
}

static void
test_fatal_and_details(void **state)
{
	struct snmp_ctx c;
	char d[16];

	(void)state;
	memset(&c, 0, sizeof(c));
	snmp_fatal(&c, "out of memory (first)");
	snmp_fatal(&c, "something later");
	assert_true(c.fatal);
	assert_string_equal(c.fatal_msg, "out of memory (first)");

	d[0] = '\0';
	snmp_detail_add(d, sizeof(d), "%s", "abc");
	snmp_detail_add(d, sizeof(d), "%d", 42);
	assert_string_equal(d, "abc; 42");
	/* Cut at the buffer, always terminated. */
	snmp_detail_add(d, sizeof(d), "%s", "0123456789");
	assert_string_equal(d, "abc; 42; 012345");
	/* A full buffer takes nothing more. */
	snmp_detail_add(d, sizeof(d), "%s", "x");
	assert_string_equal(d, "abc; 42; 012345");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_heap),
		cmocka_unit_test(test_queues),
		cmocka_unit_test(test_fatal_and_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
