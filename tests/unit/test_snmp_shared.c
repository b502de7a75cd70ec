/*
 * test_snmp_shared: the rules of the shared SNMPv1/v2c sockets
 * (collectors/snmp_shared.c) without a network: which hosts may share a
 * socket (v1/v2c profiles of the scan's credentials, IPv4 or IPv6
 * addresses), the destination each request carries in the form the
 * family's transport sends to, and that an answer counts for a host only
 * when it came from the address and port its request went to -- another
 * address, port or family, a destination of the wrong size or none is a
 * foreign answer; and that an ICMP error read from a shared socket's
 * error queue goes to the host whose address it names, never to another
 * host of the socket nor to a finished one.  Then the collector's
 * batched sends and receives (sendmmsg, recvmmsg) against echo_agent.h:
 * every request queued goes out and its answer comes back, and a request
 * the kernel refuses (a broadcast address: EACCES) fails its own host
 * with the reason, as a send did before, and no other; and a batched
 * send that meets another host's ICMP error pending on the socket gives
 * the error to that host and sends again.  The sockets against peers:
 * t_snmp_forged.sh, t_snmp_shared6.sh.
 */
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "echo_agent.h"
#include "snmp_int.h"

static void
host4(struct host *h, const char *ip, unsigned port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&h->sa;

	memset(h, 0, sizeof(*h));
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &s4->sin_addr), 1);
	h->salen = sizeof(*s4);
}

static void
host6(struct host *h, const char *ip, unsigned port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&h->sa;

	memset(h, 0, sizeof(*h));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, ip, &s6->sin6_addr), 1);
	h->salen = sizeof(*s6);
}

/* A PDU whose source is where host h's requests go (snmp_shared_address). */
static netsnmp_pdu *
answer_from(const struct host *h)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_RESPONSE);

	assert_non_null(pdu);
	assert_int_equal(snmp_shared_address(h, pdu), 0);
	return pdu;
}

static void
test_fits(void **state)
{
	struct cred_profile cp[3], other;
	struct cred_set cs;
	struct snmp_shared sh;
	struct snmp_ctx c;
	struct host h;

	(void)state;
	memset(cp, 0, sizeof(cp));
	memset(&other, 0, sizeof(other));
	cp[0].version = SNMP_V1;
	cp[1].version = SNMP_V2C;
	cp[2].version = SNMP_V3;
	other.version = SNMP_V2C;
	cs.v = cp;
	cs.n = 3;
	cs.path = "creds.ini";
	memset(&c, 0, sizeof(c));
	memset(&sh, 0, sizeof(sh));
	c.creds = &cs;
	host4(&h, "192.0.2.1", 161);
	/* No shared sockets in this scan. */
	assert_false(snmp_shared_fits(&c, &h, &cp[1]));
	c.shared = &sh;
	assert_true(snmp_shared_fits(&c, &h, &cp[0]));
	assert_true(snmp_shared_fits(&c, &h, &cp[1]));
	/* SNMPv3 hosts keep a session of their own. */
	assert_false(snmp_shared_fits(&c, &h, &cp[2]));
	assert_false(snmp_shared_fits(&c, &h, NULL));
	/* A profile that is not one of the scan's. */
	assert_false(snmp_shared_fits(&c, &h, &other));
	host6(&h, "2001:db8::1", 161);
	assert_true(snmp_shared_fits(&c, &h, &cp[1]));
	/* Not resolved yet (no address family). */
	memset(&h.sa, 0, sizeof(h.sa));
	assert_false(snmp_shared_fits(&c, &h, &cp[1]));
	c.creds = NULL;
	host4(&h, "192.0.2.1", 161);
	assert_false(snmp_shared_fits(&c, &h, &cp[1]));
}

static void
test_answer_ipv4(void **state)
{
	struct host h, port, addr, six;
	netsnmp_pdu *pdu;
	netsnmp_indexed_addr_pair *ap;

	(void)state;
	host4(&h, "192.0.2.1", 161);
	host4(&port, "192.0.2.1", 1161);
	host4(&addr, "192.0.2.2", 161);
	host6(&six, "::ffff:192.0.2.1", 161);
	pdu = answer_from(&h);
	assert_int_equal(pdu->transport_data_length, (int)sizeof(*ap));
	ap = pdu->transport_data;
	assert_int_equal(ap->remote_addr.sin.sin_family, AF_INET);
	assert_true(snmp_shared_from(&h, pdu));
	/* Another port or address of the same family. */
	assert_false(snmp_shared_from(&port, pdu));
	assert_false(snmp_shared_from(&addr, pdu));
	/* An IPv6 host is not answered by an IPv4 source. */
	assert_false(snmp_shared_from(&six, pdu));
	/* A source of another family in the IPv4 form. */
	ap->remote_addr.sin.sin_family = AF_INET6;
	assert_false(snmp_shared_from(&h, pdu));
	ap->remote_addr.sin.sin_family = AF_INET;
	/* A destination of another size, or none. */
	pdu->transport_data_length = (int)sizeof(*ap) - 1;
	assert_false(snmp_shared_from(&h, pdu));
	pdu->transport_data_length = 0;
	assert_false(snmp_shared_from(&h, pdu));
	pdu->transport_data_length = (int)sizeof(*ap);
	/* The address is set afresh for another host. */
	assert_int_equal(snmp_shared_address(&addr, pdu), 0);
	assert_true(snmp_shared_from(&addr, pdu));
	assert_false(snmp_shared_from(&h, pdu));
	snmp_free_pdu(pdu);
	pdu = snmp_pdu_create(SNMP_MSG_RESPONSE);
	assert_false(snmp_shared_from(&h, pdu));
	snmp_free_pdu(pdu);
}

static void
test_answer_ipv6(void **state)
{
	struct host h, port, addr, four, none;
	netsnmp_pdu *pdu;
	struct sockaddr_in6 *s6;

	(void)state;
	host6(&h, "2001:db8::1", 161);
	host6(&port, "2001:db8::1", 162);
	host6(&addr, "2001:db8::2", 161);
	host4(&four, "192.0.2.1", 161);
	memset(&none, 0, sizeof(none));
	pdu = answer_from(&h);
	assert_int_equal(pdu->transport_data_length, (int)sizeof(*s6));
	s6 = pdu->transport_data;
	assert_int_equal(s6->sin6_family, AF_INET6);
	assert_true(snmp_shared_from(&h, pdu));
	assert_false(snmp_shared_from(&port, pdu));
	assert_false(snmp_shared_from(&addr, pdu));
	/* An IPv4 host reads the IPv6 form as its own: never its peer. */
	assert_false(snmp_shared_from(&four, pdu));
	assert_false(snmp_shared_from(&none, pdu));
	s6->sin6_family = AF_INET;
	assert_false(snmp_shared_from(&h, pdu));
	s6->sin6_family = AF_INET6;
	pdu->transport_data_length = (int)sizeof(netsnmp_indexed_addr_pair);
	assert_false(snmp_shared_from(&h, pdu));
	snmp_free_pdu(pdu);
	/* The IPv4 form of the same port and an address of zeros. */
	pdu = answer_from(&four);
	assert_false(snmp_shared_from(&h, pdu));
	assert_false(snmp_shared_from(&none, pdu));
	snmp_free_pdu(pdu);
}

/* A UDP port held closed: a socket connected to itself (README). */
static int
closed_udp(unsigned *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
test_icmp_to_its_host(void **state)
{
	struct snmp_shared sh;
	struct snmp_ctx c;
	struct host h[4];
	struct sockaddr_in to;
	struct pollfd pfd;
	unsigned closed, other;
	int hold, hold2, one = 1, n;

	(void)state;
	hold = closed_udp(&closed);
	hold2 = closed_udp(&other);
	memset(&sh, 0, sizeof(sh));
	sh.family = AF_INET;
	sh.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(sh.fd >= 0);
	assert_int_equal(setsockopt(sh.fd, IPPROTO_IP, IP_RECVERR, &one,
	    sizeof(one)), 0);
	memset(&c, 0, sizeof(c));
	c.shared = &sh;
	c.nshared = 1;
	c.nshared_blocks = 1;
	c.slots = h;
	c.cap = 4;
	/* 0: in flight to the closed port; 1: in flight elsewhere (it
	   answers); 2: finished, same address as 0; 3: same address as 0
	   but its answer already came in. */
	host4(&h[0], "127.0.0.1", closed);
	host4(&h[1], "127.0.0.1", other);
	host4(&h[2], "127.0.0.1", closed);
	host4(&h[3], "127.0.0.1", closed);
	h[0].shared = h[1].shared = h[2].shared = h[3].shared = &sh;
	h[0].state = h[1].state = h[3].state = HS_STEP;
	h[2].state = HS_FREE;
	h[0].reqid = h[1].reqid = h[2].reqid = h[3].reqid = 7;
	h[3].ev = EV_RESPONSE;
	/* Nothing waiting: nothing read. */
	assert_int_equal(snmp_shared_errors(&c, &sh), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((uint16_t)closed);
	assert_int_equal(sendto(sh.fd, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);
	pfd.fd = sh.fd;
	pfd.events = 0;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_true(pfd.revents & POLLERR);
	n = snmp_shared_errors(&c, &sh);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].ev, EV_NETERR);
	assert_int_equal(h[0].neterr, ECONNREFUSED);
	assert_int_equal(h[1].ev, EV_NONE);
	assert_int_equal(h[2].ev, EV_NONE);
	assert_int_equal(h[3].ev, EV_RESPONSE);
	assert_ptr_equal(snmp_fired_pop(&c), &h[0]);
	assert_null(snmp_fired_pop(&c));
	close(sh.fd);
	close(hold);
	close(hold2);
}

/* The same over IPv6 (ICMPv6, IPV6_RECVERR). */
static void
test_icmp6_to_its_host(void **state)
{
	struct snmp_shared sh;
	struct snmp_ctx c;
	struct host h[2];
	struct sockaddr_in6 sa, to;
	socklen_t sl = sizeof(sa);
	struct pollfd pfd;
	int hold, one = 1;

	(void)state;
	hold = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(hold >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = in6addr_loopback;
	assert_int_equal(bind(hold, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(hold, (struct sockaddr *)&sa, &sl), 0);
	assert_int_equal(connect(hold, (struct sockaddr *)&sa, sizeof(sa)),
	    0);
	memset(&sh, 0, sizeof(sh));
	sh.family = AF_INET6;
	sh.fd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(sh.fd >= 0);
	assert_int_equal(setsockopt(sh.fd, IPPROTO_IPV6, IPV6_RECVERR, &one,
	    sizeof(one)), 0);
	memset(&c, 0, sizeof(c));
	c.shared = &sh;
	c.nshared = 1;
	c.nshared_blocks = 1;
	c.slots = h;
	c.cap = 2;
	host6(&h[0], "::1", ntohs(sa.sin6_port));
	host6(&h[1], "::1", ntohs(sa.sin6_port) == 161 ? 162 : 161);
	h[0].shared = h[1].shared = &sh;
	h[0].state = h[1].state = HS_STEP;
	h[0].reqid = h[1].reqid = 9;
	to = sa;
	assert_int_equal(sendto(sh.fd, "x", 1, 0, (struct sockaddr *)&to,
	    sizeof(to)), 1);
	pfd.fd = sh.fd;
	pfd.events = 0;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_int_equal(snmp_shared_errors(&c, &sh), 1);
	assert_int_equal(h[0].ev, EV_NETERR);
	assert_int_equal(h[0].neterr, ECONNREFUSED);
	assert_int_equal(h[1].ev, EV_NONE);
	assert_ptr_equal(snmp_fired_pop(&c), &h[0]);
	assert_null(snmp_fired_pop(&c));
	close(sh.fd);
	close(hold);
}

/* ---- The collector's batched sends and receives ---- */

#define NBATCH	9		/* targets; the broadcast one is BCAST */
#define BCAST	4

struct seen {
	enum cov_status	 status[NBATCH];
	char		 detail[NBATCH][192];
	unsigned	 covers[NBATCH];
};

static int
seen_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct seen *s = arg;

	assert_true(t < NBATCH);
	if (*cv->probe != '\0')
		return 0;
	s->status[t] = cv->status;
	snprintf(s->detail[t], sizeof(s->detail[t]), "%s", cv->detail);
	s->covers[t]++;
	return 0;
}

static int
seen_obs(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	(void)arg;
	(void)t;
	(void)ch;
	(void)o;
	return 0;
}

static void
test_batched_collect(void **state)
{
	char *prof[] = { "p" };
	char addr[NBATCH][32], err[ERRLEN];
	struct target tv[NBATCH];
	struct target_list tl;
	struct cred_profile cp;
	struct cred_set cs;
	struct collect_opts o;
	struct collect_stats st;
	struct seen seen;
	struct collect_sink sink = { &seen, seen_obs, seen_cover, NULL,
	    NULL };
	struct echo_agent a;
	void *ctx = NULL;
	size_t i;
	int rc = 1, rounds;

	(void)state;
	assert_int_equal(echo_start(&a), 0);
	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(&cp, 0, sizeof(cp));
	memset(&seen, 0, sizeof(seen));
	for (i = 0; i < NBATCH; i++) {
		snprintf(addr[i], sizeof(addr[i]), "%s",
		    i == BCAST ? "255.255.255.255" : "127.0.0.1");
		tv[i].h.address = addr[i];
		tv[i].port = a.port;
		tv[i].family = AF_INET;
		tv[i].snmp_profiles = prof;
		tv[i].nsnmp_profiles = 1;
	}
	tl.v = tv;
	tl.n = NBATCH;
	cp.name = "p";
	cp.type = CRED_SNMP;
	cp.version = SNMP_V2C;
	cp.community = "public";
	cs.v = &cp;
	cs.n = 1;
	collect_opts_default(&o);
	o.probes = PROBE_BIT(PROBE_SYSTEM);
	o.retries = 0;
	o.rate = 0;
	o.timeout_ms = 5000;
	assert_int_equal(snmp_collector.open(&ctx, &o, &tl, &cs, &sink, err,
	    sizeof(err)), 0);
	for (rounds = 0; rounds < 50 && rc > 0; rounds++)
		rc = snmp_collector.poll(ctx, 200, err, sizeof(err));
	snmp_collector.stats(ctx, &st);
	snmp_collector.close(ctx);
	echo_stop(&a);
	assert_int_equal(rc, 0);
	for (i = 0; i < NBATCH; i++) {
		assert_int_equal(seen.covers[i], 1);
		if (i == BCAST) {
			assert_int_equal(seen.status[i], COV_ERROR);
			assert_non_null(strstr(seen.detail[i],
			    "send failed: Permission denied"));
			continue;
		}
		/* Answered, and within the timeout: never a timeout. */
		assert_int_not_equal(seen.status[i], COV_TIMEOUT);
		assert_int_not_equal(seen.status[i], COV_ERROR);
		assert_non_null(strstr(seen.detail[i], "in 1 request"));
	}
	/* The refused request is not counted; the others reached the agent. */
	assert_int_equal(st.requests, NBATCH - 1);
	assert_int_equal(atomic_load(&a.requests), NBATCH - 1);
}

/*
 * 2026-12-06: a batched send meets an ICMP error pending on the shared
 * socket.  Host 0's request went to a closed port; its ICMP port
 * unreachable waits on the socket (sk_err set, IP_RECVERR) when host 1's
 * request, to an answering agent, goes out with sendmmsg(), which fails
 * with ECONNREFUSED.  The error is read from the error queue and given to
 * host 0, and host 1's request is sent again: host 1 is assessed, host 0
 * is unreachable.  The engine's loop reads such errors through epoll
 * before it sends, so the steps are taken here one at a time.
 */
static void
test_send_meets_icmp(void **state)
{
	char *prof[] = { "p" };
	char err[ERRLEN];
	struct target tv[2];
	struct target_list tl;
	struct cred_profile cp;
	struct cred_set cs;
	struct collect_opts o;
	struct collect_stats st;
	struct seen seen;
	struct collect_sink sink = { &seen, seen_obs, seen_cover, NULL,
	    NULL };
	struct echo_agent a;
	struct snmp_ctx *c;
	struct snmp_shared *sh;
	struct pollfd pfd;
	void *ctx = NULL;
	unsigned closed;
	int hold, rc = 1, rounds;

	(void)state;
	assert_int_equal(echo_start(&a), 0);
	hold = closed_udp(&closed);
	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(&cp, 0, sizeof(cp));
	memset(&seen, 0, sizeof(seen));
	tv[0].h.address = "127.0.0.1";
	tv[0].port = closed;
	tv[1].h.address = "127.0.0.1";
	tv[1].port = a.port;
	tv[0].family = tv[1].family = AF_INET;
	tv[0].snmp_profiles = tv[1].snmp_profiles = prof;
	tv[0].nsnmp_profiles = tv[1].nsnmp_profiles = 1;
	tl.v = tv;
	tl.n = 2;
	cp.name = "p";
	cp.type = CRED_SNMP;
	cp.version = SNMP_V2C;
	cp.community = "public";
	cs.v = &cp;
	cs.n = 1;
	collect_opts_default(&o);
	o.probes = PROBE_BIT(PROBE_SYSTEM);
	o.retries = 0;
	o.rate = 0;
	o.timeout_ms = 5000;
	assert_int_equal(snmp_collector.open(&ctx, &o, &tl, &cs, &sink, err,
	    sizeof(err)), 0);
	c = ctx;
	/* Host 0's request goes out alone. */
	snmp_host_start(c, 0);
	c->next_target = 1;
	assert_int_equal(snmp_shared_pending(c), 1);
	sh = c->slots[0].shared;
	assert_non_null(sh);
	snmp_shared_flush(c);
	assert_int_equal(snmp_shared_pending(c), 0);
	assert_int_equal(c->requests, 1);
	/* Its ICMP error is pending on the socket, and not read. */
	pfd.fd = sh->fd;
	pfd.events = 0;
	pfd.revents = 0;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_true(pfd.revents & POLLERR);
	/* Host 1, on the same socket, is queued and sent. */
	snmp_host_start(c, 1);
	c->next_target = 2;
	assert_ptr_equal(c->slots[1].shared, sh);
	assert_int_equal(snmp_shared_pending(c), 1);
	snmp_shared_flush(c);
	assert_int_equal(snmp_shared_pending(c), 0);
	/* The error went to host 0, host 1's request is still its own. */
	assert_int_equal(c->slots[0].ev, EV_NETERR);
	assert_int_equal(c->slots[0].neterr, ECONNREFUSED);
	assert_int_equal(c->slots[1].ev, EV_NONE);
	assert_int_not_equal(c->slots[1].reqid, 0);
	assert_int_equal(c->requests, 2);
	for (rounds = 0; rounds < 50 && rc > 0; rounds++)
		rc = snmp_collector.poll(ctx, 200, err, sizeof(err));
	snmp_collector.stats(ctx, &st);
	snmp_collector.close(ctx);
	echo_stop(&a);
	close(hold);
	assert_int_equal(rc, 0);
	assert_int_equal(seen.covers[0], 1);
	assert_int_equal(seen.status[0], COV_UNREACHABLE);
	assert_non_null(strstr(seen.detail[0], "ICMP port unreachable"));
	assert_int_equal(seen.covers[1], 1);
	assert_int_equal(seen.status[1], COV_OK);
	assert_non_null(strstr(seen.detail[1], "in 1 request"));
	/* Both requests counted; the agent saw host 1's, once. */
	assert_int_equal(st.requests, 2);
	assert_int_equal(atomic_load(&a.requests), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_answer_ipv4),
		cmocka_unit_test(test_answer_ipv6),
		cmocka_unit_test(test_icmp_to_its_host),
		cmocka_unit_test(test_icmp6_to_its_host),
		cmocka_unit_test(test_batched_collect),
		cmocka_unit_test(test_send_meets_icmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
