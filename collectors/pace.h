/*
 * pace: how collectors keep to a request rate -- one token bucket type for
 * the global rate over all targets and for each target's own rate (sector
 * profiles: fragile OT devices).  Pure arithmetic on a monotonic clock the
 * caller reads; no timers of its own.
 */
#ifndef BANAUDIT_PACE_H
#define BANAUDIT_PACE_H

#include <stdint.h>

/*
 * A token bucket: rate tokens a second, at most
 * burst saved up.  Times are in microseconds of a monotonic clock.  A rate
 * of 0 is unlimited.  Levels are kept in millionths of a token so that the
 * arithmetic is exact in integers.
 */
struct pace {
	uint64_t	 rate;
	int64_t		 level;		/* millionths of a token; may go
					   negative (debt) */
	int64_t		 cap;		/* burst and a fraction, millionths */
	int64_t		 last_us;
};
void	 pace_init(struct pace *, unsigned rate, unsigned burst,
	    int64_t now_us);
/* Takes a token if one is there: returns 1, else 0. */
int	 pace_take(struct pace *, int64_t now_us);
/* Takes a token even into debt (packets the library resent by itself). */
void	 pace_charge(struct pace *, int64_t now_us);
/* Microseconds until a token will be there (0 = now). */
int64_t	 pace_wait_us(struct pace *, int64_t now_us);
/*
 * The same as a deadline for a millisecond timer on the same monotonic
 * clock: 0 when a token is there now, else the first millisecond at which
 * it is (rounded up, never early).  A target's own rate (sector profiles)
 * is a bucket of burst 1, checked with this before the global bucket and
 * taken only when the request is sent, so that two requests to a target
 * are at least 1/rate apart.
 */
int64_t	 pace_ready_ms(struct pace *, int64_t now_us);

#endif /* BANAUDIT_PACE_H */
