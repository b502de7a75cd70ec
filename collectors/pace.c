/*
 * pace: the token bucket every collector paces its requests with (the
 * global rate, and a target's own rate as a bucket of burst 1).
 */
#include <stdint.h>

#include "pace.h"

#define TOKEN	1000000		/* a token, in millionths */

void
pace_init(struct pace *r, unsigned rate, unsigned burst,
    int64_t now_us)
{
	r->rate = rate;
	r->level = (int64_t)(burst > 0 ? burst : 1) * TOKEN;
	/*
	 * Full is burst tokens plus the fraction earned towards the next
	 * one: capping at whole tokens would drop what accrues between two
	 * polls of a full bucket and make the rate drift low.
	 */
	r->cap = r->level + TOKEN - 1;
	r->last_us = now_us;
}

static void
rate_refill(struct pace *r, int64_t now_us)
{
	int64_t dt;

	if (now_us <= r->last_us)
		return;
	dt = now_us - r->last_us;
	if (dt > 10000000)
		dt = 10000000;	/* a full bucket long before this */
	r->level += dt * (int64_t)r->rate;
	if (r->level > r->cap)
		r->level = r->cap;
	r->last_us = now_us;
}

int
pace_take(struct pace *r, int64_t now_us)
{
	if (r->rate == 0)
		return 1;
	rate_refill(r, now_us);
	if (r->level < TOKEN)
		return 0;
	r->level -= TOKEN;
	return 1;
}

void
pace_charge(struct pace *r, int64_t now_us)
{
	if (r->rate == 0)
		return;
	rate_refill(r, now_us);
	r->level -= TOKEN;
}

int64_t
pace_wait_us(struct pace *r, int64_t now_us)
{
	int64_t need;

	if (r->rate == 0)
		return 0;
	rate_refill(r, now_us);
	if (r->level >= TOKEN)
		return 0;
	need = TOKEN - r->level;
	return (need + (int64_t)r->rate - 1) / (int64_t)r->rate;
}

int64_t
pace_ready_ms(struct pace *r, int64_t now_us)
{
	int64_t wait = pace_wait_us(r, now_us);

	if (wait == 0)
		return 0;
	/* Rounded up: the token is there when the timer fires. */
	return (now_us + wait + 999) / 1000;
}
