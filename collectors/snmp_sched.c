/*
 * snmp_sched: the SNMP engine's clock and scheduling: the min-heap of host
 * timers (request deadlines, budgets), the FIFO of hosts waiting for a
 * token of the global rate, and the small helpers every part of the engine
 * uses (fatal errors, detail texts, profile and version names, the current
 * step).
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net-snmp/library/large_fd_set.h>
#include "snmp.h"
#include "util.h"

#include "snmp_int.h"

/* ------------------------------------------------------------------ */
/* Small helpers. */

int64_t
snmp_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Appends "; text" (or text) to a bounded detail buffer. */
void
snmp_detail_add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 3 >= len)
		return;
	if (n > 0) {
		memcpy(buf + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

void
snmp_fatal(struct snmp_ctx *c, const char *msg)
{
	if (!c->fatal) {
		c->fatal = 1;
		str_copy(c->fatal_msg, msg, sizeof(c->fatal_msg));
	}
}

const char *
snmp_profile_version(const struct cred_profile *cp)
{
	return snmp_ver_name(cp->version);
}

const char *
snmp_prof_name(const struct host *h)
{
	return h->t->snmp_profiles[h->prof];
}

const struct snmp_step *
snmp_cur_step(const struct host *h)
{
	return &h->c->steps[h->step];
}

/* ------------------------------------------------------------------ */
/* Timers: a min-heap of hosts keyed by timer_at. */

static int
heap_less(struct snmp_ctx *c, size_t a, size_t b)
{
	return c->heap[a]->timer_at < c->heap[b]->timer_at;
}

static void
heap_swap(struct snmp_ctx *c, size_t a, size_t b)
{
	struct host *t = c->heap[a];

	c->heap[a] = c->heap[b];
	c->heap[b] = t;
	c->heap[a]->heap_idx = a;
	c->heap[b]->heap_idx = b;
}

static void
heap_fix(struct snmp_ctx *c, size_t i)
{
	size_t l, r, m;

	while (i > 0 && heap_less(c, i, (i - 1) / 2)) {
		heap_swap(c, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < c->nheap && heap_less(c, l, m))
			m = l;
		if (r < c->nheap && heap_less(c, r, m))
			m = r;
		if (m == i)
			break;
		heap_swap(c, i, m);
		i = m;
	}
}

void
snmp_heap_remove(struct snmp_ctx *c, struct host *h)
{
	size_t i = h->heap_idx;

	if (i == SIZE_MAX)
		return;
	h->heap_idx = SIZE_MAX;
	c->nheap--;
	if (i == c->nheap)
		return;
	c->heap[i] = c->heap[c->nheap];
	c->heap[i]->heap_idx = i;
	heap_fix(c, i);
}

/* Puts the host in the heap at its earliest deadline, or takes it out. */
void
snmp_host_rearm(struct snmp_ctx *c, struct host *h)
{
	int64_t at = 0;

	if (h->budget_at != 0)
		at = h->budget_at;
	if (h->req_at != 0 && (at == 0 || h->req_at < at))
		at = h->req_at;
	if (h->wake_at != 0 && (at == 0 || h->wake_at < at))
		at = h->wake_at;
	if (h->rate_at != 0 && (at == 0 || h->rate_at < at))
		at = h->rate_at;
	if (at == 0) {
		snmp_heap_remove(c, h);
		return;
	}
	h->timer_at = at;
	if (h->heap_idx == SIZE_MAX) {
		h->heap_idx = c->nheap;
		c->heap[c->nheap++] = h;
	}
	heap_fix(c, h->heap_idx);
}

/* ------------------------------------------------------------------ */
/* The token queue (hosts waiting to send). */

void
snmp_queue_remove(struct snmp_ctx *c, struct host *h)
{
	if (!h->queued)
		return;
	if (h->qprev != NULL)
		h->qprev->qnext = h->qnext;
	else
		c->qhead = h->qnext;
	if (h->qnext != NULL)
		h->qnext->qprev = h->qprev;
	else
		c->qtail = h->qprev;
	h->qprev = h->qnext = NULL;
	h->queued = 0;
}

void
snmp_queue_add(struct snmp_ctx *c, struct host *h)
{
	if (h->queued)
		return;
	h->qnext = NULL;
	h->qprev = c->qtail;
	if (c->qtail != NULL)
		c->qtail->qnext = h;
	else
		c->qhead = h;
	c->qtail = h;
	h->queued = 1;
}

/*
 * The fired queue: hosts whose event (an answer, a timeout, an ICMP
 * error) came in through a shared socket, where one read or timeout pass
 * serves many hosts.  snmp_host.c advances them after the library call
 * returns.  A host is in it at most once.
 */
void
snmp_fired_add(struct snmp_ctx *c, struct host *h)
{
	if (h->fired)
		return;
	h->fired = 1;
	h->fnext = NULL;
	if (c->fired_tail != NULL)
		c->fired_tail->fnext = h;
	else
		c->fired = h;
	c->fired_tail = h;
}

struct host *
snmp_fired_pop(struct snmp_ctx *c)
{
	struct host *h = c->fired;

	if (h == NULL)
		return NULL;
	c->fired = h->fnext;
	if (c->fired == NULL)
		c->fired_tail = NULL;
	h->fnext = NULL;
	h->fired = 0;
	return h;
}
