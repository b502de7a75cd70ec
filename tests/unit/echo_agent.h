/*
 * echo_agent: a UDP agent on 127.0.0.1 for the unit tests of the SNMP
 * engine, on a thread of its own (the engine's loop runs in the test's):
 * it answers every SNMPv1/v2c request with the request itself made a
 * response (the PDU's tag becomes GetResponse, 0xa2), so each varbind
 * comes back with the value it was asked with (NULL), and counts the
 * requests (a community too long for net-snmp to parse comes back as
 * "public").  With delay_ms set it is a slow agent: it waits that long
 * after reading each request before it answers it, one at a time.
 * Header only, like fixture.h: the library has no use for it.
 * The real agents and responders: tests/integration (snmpd, snmpresp).
 */
#ifndef BANAUDIT_TEST_ECHO_AGENT_H
#define BANAUDIT_TEST_ECHO_AGENT_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct echo_agent {
	int		 fd;
	unsigned	 port;
	pthread_t	 th;
	atomic_int	 stop;
	atomic_uint	 requests;
	atomic_int	 delay_ms;	/* before each answer; 0: none */
};

/* Skips the BER header at b[*i] (tag, length); 0, or -1 if it is cut. */
static int
echo_skip_header(const unsigned char *b, size_t n, size_t *i, size_t *len)
{
	size_t k, lb;

	if (*i + 2 > n)
		return -1;
	*i += 1;
	if (b[*i] < 0x80) {
		*len = b[(*i)++];
		return 0;
	}
	lb = b[(*i)++] & 0x7f;
	if (lb == 0 || lb > 2 || *i + lb > n)
		return -1;
	for (*len = 0, k = 0; k < lb; k++)
		*len = *len << 8 | b[(*i)++];
	return 0;
}

/*
 * Makes request b (n bytes) a response in place: 0, or -1.  A community
 * longer than net-snmp parses in an answer (COMMUNITY_MAX_LEN, 256
 * bytes) becomes "public", so that a request made large by its
 * community is answered too (*n is then the shorter length).
 */
static int
echo_to_response(unsigned char *b, size_t *n)
{
	static const unsigned char pub[] = { 0x04, 6, 'p', 'u', 'b', 'l',
	    'i', 'c' };
	size_t i = 0, len, vs, cs, ce, body, hl;

	if (*n < 2 || b[0] != 0x30 ||
	    echo_skip_header(b, *n, &i, &len) != 0)
		return -1;
	/* version, then community: skipped whole */
	vs = i;
	if (i >= *n || b[i] != 0x02 ||
	    echo_skip_header(b, *n, &i, &len) != 0)
		return -1;
	i += len;
	cs = i;
	if (i >= *n || b[i] != 0x04 ||
	    echo_skip_header(b, *n, &i, &len) != 0)
		return -1;
	i += len;
	ce = i;
	if (i >= *n || b[i] < 0xa0 || b[i] > 0xa5)
		return -1;
	b[i] = 0xa2;
	if (len < 256)
		return 0;
	/* SEQUENCE { version, "public", PDU }, the length in 1-3 bytes. */
	body = (cs - vs) + sizeof(pub) + (*n - ce);
	hl = body < 128 ? 2 : body < 256 ? 3 : 4;
	if (body > 0xffff)
		return -1;
	memmove(b + hl + (cs - vs) + sizeof(pub), b + ce, *n - ce);
	memmove(b + hl, b + vs, cs - vs);
	memcpy(b + hl + (cs - vs), pub, sizeof(pub));
	b[0] = 0x30;
	if (hl == 2)
		b[1] = (unsigned char)body;
	else if (hl == 3) {
		b[1] = 0x81;
		b[2] = (unsigned char)body;
	} else {
		b[1] = 0x82;
		b[2] = (unsigned char)(body >> 8);
		b[3] = (unsigned char)body;
	}
	*n = hl + body;
	return 0;
}

static void *
echo_loop(void *arg)
{
	struct echo_agent *a = arg;
	struct timespec ts;
	struct sockaddr_storage from;
	socklen_t fl;
	struct pollfd p;
	unsigned char b[65536];
	ssize_t n;
	size_t len;
	int d;

	while (!atomic_load(&a->stop)) {
		p.fd = a->fd;
		p.events = POLLIN;
		if (poll(&p, 1, 20) <= 0)
			continue;
		fl = sizeof(from);
		n = recvfrom(a->fd, b, sizeof(b), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		atomic_fetch_add(&a->requests, 1);
		if ((d = atomic_load(&a->delay_ms)) > 0) {
			ts.tv_sec = d / 1000;
			ts.tv_nsec = (long)(d % 1000) * 1000000L;
			while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
				;
		}
		len = (size_t)n;
		if (echo_to_response(b, &len) == 0)
			(void)sendto(a->fd, b, len, 0,
			    (struct sockaddr *)&from, fl);
	}
	return NULL;
}

/* Starts the agent on 127.0.0.1 and a port of the kernel's; 0 or -1. */
static int
echo_start(struct echo_agent *a)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	memset(a, 0, sizeof(*a));
	a->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (a->fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(a->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(a->fd, (struct sockaddr *)&sa, &sl) != 0 ||
	    pthread_create(&a->th, NULL, echo_loop, a) != 0) {
		close(a->fd);
		return -1;
	}
	a->port = ntohs(sa.sin_port);
	return 0;
}

static void
echo_stop(struct echo_agent *a)
{
	atomic_store(&a->stop, 1);
	(void)pthread_join(a->th, NULL);
	close(a->fd);
}

#endif
