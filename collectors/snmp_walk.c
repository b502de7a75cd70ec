/*
 * snmp_walk: the pure pieces of walking a table: where a column walk stands
 * after a varbind (snmp_col_step) and the adaptive GETBULK max-repetitions
 * (snmp_mr_*).  Declared in snmp.h, tested on their own.
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

#include "snmp.h"

/* ------------------------------------------------------------------ */
/* Pure pieces (declared in snmp.h for the unit tests). */

enum snmp_col_verdict
snmp_col_step(const oid *col, size_t collen, const oid *last,
    size_t lastlen, const oid *name, size_t namelen, int type)
{
	if (type == SNMP_ENDOFMIBVIEW || type == SNMP_NOSUCHOBJECT ||
	    type == SNMP_NOSUCHINSTANCE)
		return SNMP_COL_END;
	if (name == NULL || namelen <= collen ||
	    memcmp(name, col, collen * sizeof(oid)) != 0)
		return SNMP_COL_END;
	if (snmp_oid_compare(name, namelen, last, lastlen) <= 0)
		return SNMP_COL_LOOP;
	return SNMP_COL_ROW;
}

void
snmp_mr_init(struct snmp_mr *m, unsigned start)
{
	memset(m, 0, sizeof(*m));
	m->cur = start > 0 ? start : 1;
	m->ceil = m->cur;
}

void
snmp_mr_success(struct snmp_mr *m)
{
	unsigned step;

	if (m->back != 0) {
		/* The smaller request got through: the loss was chance. */
		m->cur = m->back < m->ceil ? m->back : m->ceil;
		m->back = 0;
		m->streak = 0;
		return;
	}
	m->strikes = 0;
	if (m->cur >= m->ceil) {
		m->streak = 0;
		return;
	}
	if (++m->streak < SNMP_MR_STREAK)
		return;
	step = m->cur / 4 > 0 ? m->cur / 4 : 1;
	m->cur = m->cur + step < m->ceil ? m->cur + step : m->ceil;
	m->streak = 0;
}

int
snmp_mr_too_big(struct snmp_mr *m)
{
	m->streak = 0;
	m->back = 0;
	m->strikes = 0;
	if (m->cur <= 1)
		return -1;
	m->ceil = m->cur * 3 / 4;	/* cur >= 2: at least 1 */
	m->cur /= 2;
	return 0;
}

int
snmp_mr_timeout(struct snmp_mr *m)
{
	m->streak = 0;
	if (m->cur <= 1)
		return -1;
	if (m->back != 0) {
		/* Lost again while trying smaller: more loss, same size. */
		m->cur /= 2;
		return 0;
	}
	if (++m->strikes >= 2) {
		/* Twice in a row at this size: too big for the path. */
		m->ceil = m->cur * 3 / 4;	/* cur >= 2: at least 1 */
		m->strikes = 0;
	} else
		m->back = m->cur;
	m->cur /= 2;
	return 0;
}
