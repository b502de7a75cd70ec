/*
 * snmp_shared: the shared sockets of SNMPv1/v2c hosts, IPv4 and IPv6.
 * Opening and closing a net-snmp session for every host cost a third of
 * an identity scan; instead one session (one UDP socket) serves a block
 * of SNMP_SHARED_HOSTS slots for each address family and credential
 * profile, opened the first time one of its hosts needs it and closed
 * with the collector.  A request carries its destination in
 * pdu->transport_data (IPv4: net-snmp's netsnmp_indexed_addr_pair; IPv6:
 * a struct sockaddr_in6, which is what its udp6 transport sends to and
 * hands back for an answer); net-snmp matches an answer to its request by
 * request id alone (snmp_api.c, _sess_process_packet, 5.9.3), so
 * snmp_session_cb() also requires it to come from the address and port
 * the request went to: an answer from anywhere else is never taken as
 * that host's.  ICMP and ICMPv6 errors come back on the socket's error
 * queue (IP_RECVERR, IPV6_RECVERR) with the original destination, which
 * names the host.  SNMPv3 keeps a session per host (USM state).
 *
 * A request whose host is done before its answer or timeout (an ICMP
 * error, an abort) is taken out of the session at once
 * (snmp_request_cancel()): otherwise every unreachable host's PDU would
 * stay in the session until its timeout, and the list net-snmp searches
 * for every answer would grow with them.
 *
 * System calls are batched (issue 13: on this VM every system call is
 * dear).  The sockets' transports get hooks of ours in place of
 * net-snmp's send and receive; net-snmp still builds every request,
 * keeps its request list and parses every answer.  A request is queued
 * (its bytes, its destination) and the queue goes out with one
 * sendmmsg() when the engine's loop has sent what it can
 * (snmp_shared_flush(), called by snmp_host_flush() before any timer or
 * wait), when it holds SNMP_SHARED_HOSTS requests, or before a request
 * for another socket.  A request that fails there fails as a send did
 * before: an ICMP error pending for another host's request is read from
 * the error queue and the send tried again; any other error goes to the
 * request's host (EV_NETERR), its request taken back out of net-snmp and
 * not counted.  Answers are read with recvmmsg(), up to
 * SNMP_SHARED_HOSTS datagrams a call, each handed to net-snmp's
 * _sess_read() in turn; net-snmp's own receive also asked for each
 * datagram's local address and called getsockname() at every packet.
 * The hooks learn the collector from io_ctx, set only around the calls
 * into net-snmp that reach them.
 *
 * This file opens, reads and closes; it records events in the hosts (the
 * callback does) and never advances a host: snmp_host.c runs the hosts
 * that snmp_fired_add() queued.
 */
/* netsnmp_request_list, for snmp_request_cancel(). */
#define SNMP_NEED_REQUEST_LIST	1
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "snmp.h"
#include "util.h"

#include "snmp_int.h"

/* Receive buffer asked for each shared socket (the kernel may cap it). */
#define SHARED_RCVBUF	(1 << 20)
/*
 * An IPv4 shared socket sends with DF set (shared_open()) the datagrams of
 * at most this many bytes: 576, the datagram every host accepts (RFC
 * 791), less the IP and UDP headers.  A larger one may be fragmented, as
 * by default: the socket allows it around that send.
 */
#define SHARED_DF_BYTES	548
/* Datagrams read from one socket in one go, at most. */
#define SHARED_READS	1024
/* Requests queued for one sendmmsg(), at most: a socket's hosts. */
#define IO_SENDS	SNMP_SHARED_HOSTS
/* Bytes of the queued requests; a request above IO_SEND_ONE goes alone. */
#define IO_SEND_BYTES	(64 * 1024)
#define IO_SEND_ONE	8192
/* Datagrams one recvmmsg() reads, and the room for each: UDP's largest. */
#define IO_RECVS	SNMP_SHARED_HOSTS
#define IO_RECV_BYTES	65536

/* A request queued for sendmmsg(). */
struct io_send {
	struct host	*h;
	long		 reqid;		/* 0 until net-snmp took it */
	size_t		 off, len;	/* its bytes in sbuf */
	struct sockaddr_in6 to;		/* room for either family */
	socklen_t	 tolen;
};

struct snmp_io {
	/* Requests waiting, all for socket ssh. */
	struct snmp_shared *ssh;
	struct host	*cur;		/* whose request is being sent */
	int		 added;		/* ... and it was queued */
	size_t		 nsend, sused;
	struct io_send	 send[IO_SENDS];
	struct mmsghdr	 smsg[IO_SENDS];
	struct iovec	 siov[IO_SENDS];
	unsigned char	 sbuf[IO_SEND_BYTES];
	/* Datagrams read from socket rfd and not yet given to net-snmp. */
	int		 rfd;
	unsigned	 rn, ri;
	struct mmsghdr	 rmsg[IO_RECVS];
	struct iovec	 riov[IO_RECVS];
	struct sockaddr_in6 rfrom[IO_RECVS];
	unsigned char	*rbuf;		/* IO_RECVS * IO_RECV_BYTES bytes */
};

/*
 * The collector whose shared socket net-snmp sends on or reads, for the
 * transport hooks (net-snmp passes them the transport alone).  Set only
 * around snmp_sess_async_send() and snmp_sess_read2(); one per thread.
 */
static _Thread_local struct snmp_ctx *io_ctx;

/*
 * May host h use a shared socket with profile cp?  SNMPv1/v2c to an IPv4
 * or IPv6 address, when the collector has shared sockets.
 */
int
snmp_shared_fits(const struct snmp_ctx *c, const struct host *h,
    const struct cred_profile *cp)
{
	return c->shared != NULL && cp != NULL && cp->version != SNMP_V3 &&
	    (h->sa.ss_family == AF_INET || h->sa.ss_family == AF_INET6) &&
	    c->creds != NULL && cp >= c->creds->v &&
	    cp < c->creds->v + c->creds->n;
}

/* Is sa (of len bytes) the address and port host h's requests go to? */
static int
same_peer(const struct host *h, const void *sa, size_t len)
{
	const struct sockaddr_in *a4 = sa, *w4;
	const struct sockaddr_in6 *a6 = sa, *w6;

	if (h->sa.ss_family == AF_INET) {
		w4 = (const struct sockaddr_in *)&h->sa;
		return len >= sizeof(*a4) && a4->sin_family == AF_INET &&
		    a4->sin_addr.s_addr == w4->sin_addr.s_addr &&
		    a4->sin_port == w4->sin_port;
	}
	if (h->sa.ss_family == AF_INET6) {
		w6 = (const struct sockaddr_in6 *)&h->sa;
		return len >= sizeof(*a6) && a6->sin6_family == AF_INET6 &&
		    memcmp(&a6->sin6_addr, &w6->sin6_addr,
		    sizeof(w6->sin6_addr)) == 0 &&
		    a6->sin6_port == w6->sin6_port;
	}
	return 0;
}

struct snmp_io *
snmp_shared_io_new(void)
{
	struct snmp_io *io;
	size_t i;

	io = calloc(1, sizeof(*io));
	if (io == NULL)
		return NULL;
	io->rbuf = malloc((size_t)IO_RECVS * IO_RECV_BYTES);
	if (io->rbuf == NULL) {
		free(io);
		return NULL;
	}
	io->rfd = -1;
	for (i = 0; i < IO_RECVS; i++) {
		io->riov[i].iov_base = io->rbuf + i * IO_RECV_BYTES;
		io->riov[i].iov_len = IO_RECV_BYTES;
	}
	return io;
}

void
snmp_shared_io_free(struct snmp_io *io)
{
	if (io == NULL)
		return;
	free(io->rbuf);
	free(io);
}

/*
 * The destination of a request: pdu->transport_data as
 * snmp_shared_address() made it (IPv4: an address pair whose remote
 * address comes first; IPv6: a struct sockaddr_in6).
 */
static int
dest_of(const void *opaque, int olen, struct sockaddr_in6 *to,
    socklen_t *tolen)
{
	const struct sockaddr *sa = opaque;

	memset(to, 0, sizeof(*to));
	if (sa == NULL || olen <= 0)
		return -1;
	if (sa->sa_family == AF_INET &&
	    (size_t)olen >= sizeof(struct sockaddr_in)) {
		memcpy(to, sa, sizeof(struct sockaddr_in));
		*tolen = sizeof(struct sockaddr_in);
		return 0;
	}
	if (sa->sa_family == AF_INET6 &&
	    (size_t)olen >= sizeof(struct sockaddr_in6)) {
		memcpy(to, sa, sizeof(struct sockaddr_in6));
		*tolen = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
}

/*
 * Whether IPv4 socket fd may fragment what it sends next: not from
 * shared_open() on (DF whatever the path's MTU), allowed for a send with
 * a datagram above SHARED_DF_BYTES and taken back after it.  Not fatal:
 * a socket left as it was sends as by default.
 */
static void
shared_fragments(int fd, int family, int allow)
{
	int v = allow ? IP_PMTUDISC_WANT : IP_PMTUDISC_PROBE;

	if (family == AF_INET)
		(void)setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v,
		    sizeof(v));
}

/*
 * net-snmp's send on a shared socket: queues the request for
 * snmp_shared_flush(), or, outside snmp_shared_send() or for a request
 * too large to queue, sends it at once.  Returns the length, or -1 with
 * errno.
 */
static int
shared_sendhook(netsnmp_transport *t, const void *buf, int size,
    void **opaque, int *olength)
{
	struct snmp_ctx *c = io_ctx;
	struct snmp_io *io;
	struct io_send *e;
	struct sockaddr_in6 to;
	socklen_t tolen = 0;
	ssize_t rc;
	int big, err;

	if (t == NULL || t->sock < 0 || buf == NULL || size < 0 ||
	    opaque == NULL || olength == NULL ||
	    dest_of(*opaque, *olength, &to, &tolen) != 0) {
		errno = EINVAL;
		return -1;
	}
	io = c != NULL ? c->io : NULL;
	if (io == NULL || io->cur == NULL || io->cur->shared == NULL ||
	    (size_t)size > IO_SEND_ONE) {
		big = (size_t)size > SHARED_DF_BYTES;
		if (big)
			shared_fragments(t->sock, to.sin6_family, 1);
		do {
			rc = sendto(t->sock, buf, (size_t)size, 0,
			    (struct sockaddr *)&to, tolen);
		} while (rc < 0 && errno == EINTR);
		if (big) {
			err = errno;
			shared_fragments(t->sock, to.sin6_family, 0);
			errno = err;
		}
		return rc < 0 ? -1 : (int)rc;
	}
	if (io->nsend > 0 && (io->ssh != io->cur->shared ||
	    io->nsend == IO_SENDS ||
	    io->sused + (size_t)size > IO_SEND_BYTES))
		snmp_shared_flush(c);
	e = &io->send[io->nsend++];
	e->h = io->cur;
	e->reqid = 0;
	e->off = io->sused;
	e->len = (size_t)size;
	e->to = to;
	e->tolen = tolen;
	memcpy(io->sbuf + io->sused, buf, (size_t)size);
	io->sused += (size_t)size;
	io->ssh = io->cur->shared;
	io->added = 1;
	return size;
}

/*
 * Sends pdu for host h on its shared socket (snmp_sess_async_send(): the
 * request id, or 0 and the PDU still the caller's); the datagram itself
 * waits for snmp_shared_flush().
 */
int
snmp_shared_send(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	struct snmp_io *io = c->io;
	struct snmp_ctx *prev = io_ctx;
	struct io_send *e;
	int reqid;

	if (io != NULL) {
		io->cur = h;
		io->added = 0;
	}
	io_ctx = c;
	reqid = snmp_sess_async_send(h->sess, pdu, snmp_session_cb, h);
	io_ctx = prev;
	if (io == NULL)
		return reqid;
	io->cur = NULL;
	if (io->added) {
		e = &io->send[io->nsend - 1];
		if (reqid != 0)
			e->reqid = reqid;
		else {
			/* net-snmp did not keep it: never sent. */
			io->sused = e->off;
			io->nsend--;
		}
	}
	return reqid;
}

/* Is a pending queue's request still its host's? */
static int
still_wanted(const struct io_send *e, const struct snmp_shared *sh)
{
	return e->reqid != 0 && e->h->state != HS_FREE &&
	    e->h->reqid == e->reqid && e->h->shared == sh;
}

/*
 * A queued request could not be sent (err): as when the send itself
 * failed before, the host gets the error, and the request is neither
 * kept by net-snmp nor counted.
 */
static void
send_failed(struct snmp_ctx *c, const struct io_send *e, int err)
{
	struct host *h = e->h;

	if (!still_wanted(e, h->shared) || h->ev != EV_NONE)
		return;
	snmp_request_cancel(h->shared->sess, e->reqid);
	h->reqid = 0;
	if (h->requests > 0)
		h->requests--;
	if (c->requests > 0)
		c->requests--;
	h->neterr = err;
	h->ev = EV_NETERR;
	snmp_fired_add(c, h);
}

/*
 * Sends the queued requests with sendmmsg(); the hosts whose request
 * failed are queued in c->fired (snmp_host_flush() runs them).
 */
void
snmp_shared_flush(struct snmp_ctx *c)
{
	struct snmp_io *io = c->io;
	struct snmp_shared *sh;
	struct mmsghdr *m;
	size_t i, n, most = 0;
	int rc, err, tries = 0;

	if (io == NULL || io->nsend == 0)
		return;
	sh = io->ssh;
	/* A host done since its request was queued is not sent to. */
	for (i = n = 0; i < io->nsend; i++) {
		if (!still_wanted(&io->send[i], sh))
			continue;
		if (n != i)
			io->send[n] = io->send[i];
		io->siov[n].iov_base = io->sbuf + io->send[n].off;
		io->siov[n].iov_len = io->send[n].len;
		if (io->send[n].len > most)
			most = io->send[n].len;
		m = &io->smsg[n];
		memset(m, 0, sizeof(*m));
		m->msg_hdr.msg_name = &io->send[n].to;
		m->msg_hdr.msg_namelen = io->send[n].tolen;
		m->msg_hdr.msg_iov = &io->siov[n];
		m->msg_hdr.msg_iovlen = 1;
		n++;
	}
	if (most > SHARED_DF_BYTES && sh->fd >= 0)
		shared_fragments(sh->fd, sh->family, 1);
	for (i = 0; i < n && sh->fd >= 0;) {
		rc = sendmmsg(sh->fd, &io->smsg[i], (unsigned)(n - i), 0);
		if (rc > 0) {
			i += (size_t)rc;
			tries = 0;
			continue;
		}
		if (rc < 0 && errno == EINTR)
			continue;
		err = rc < 0 ? errno : EIO;
		/*
		 * An ICMP error that came back for another host's request
		 * (IP_RECVERR) fails the send: give it to that host (the
		 * error queue says whose) and send again.
		 */
		if (snmp_shared_errors(c, sh) > 0 && tries++ < 3)
			continue;
		send_failed(c, &io->send[i], err);
		i++;
		tries = 0;
	}
	if (most > SHARED_DF_BYTES && sh->fd >= 0)
		shared_fragments(sh->fd, sh->family, 0);
	io->nsend = 0;
	io->sused = 0;
	io->ssh = NULL;
}

/* Requests queued and not yet sent. */
size_t
snmp_shared_pending(const struct snmp_ctx *c)
{
	return c->io != NULL ? c->io->nsend : 0;
}

/*
 * Hands datagram i of the batch to net-snmp: its bytes in buf, its
 * sender in a malloc'd *opaque as net-snmp's own receive makes it (IPv4:
 * an address pair; IPv6: a struct sockaddr_in6).  Returns the length, or
 * -1 with errno ENOMEM.
 */
static int
deliver(struct snmp_io *io, unsigned i, void *buf, int size, void **opaque,
    int *olength)
{
	const struct sockaddr *from = (const struct sockaddr *)&io->rfrom[i];
	netsnmp_indexed_addr_pair *ap;
	struct sockaddr_in6 *s6;
	size_t len = io->rmsg[i].msg_len;

	if (from->sa_family == AF_INET6) {
		s6 = calloc(1, sizeof(*s6));
		if (s6 == NULL) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(s6, from, sizeof(*s6));
		*opaque = s6;
		*olength = (int)sizeof(*s6);
	} else {
		ap = calloc(1, sizeof(*ap));
		if (ap == NULL) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(&ap->remote_addr.sin, from,
		    sizeof(ap->remote_addr.sin));
		*opaque = ap;
		*olength = (int)sizeof(*ap);
	}
	if (len > (size_t)size)
		len = (size_t)size;
	memcpy(buf, io->riov[i].iov_base, len);
	return (int)len;
}

/*
 * net-snmp's receive on a shared socket: the next datagram of the batch,
 * read with recvmmsg() when the batch is used up.  Returns its length,
 * or -1 with errno (EAGAIN: nothing more; ENOMEM; an ICMP error pending
 * on the socket, which snmp_shared_read() reads from the error queue).
 */
static int
shared_recvhook(netsnmp_transport *t, void *buf, int size, void **opaque,
    int *olength)
{
	struct snmp_ctx *c = io_ctx;
	struct snmp_io *io;
	unsigned i;
	int rc;

	*opaque = NULL;
	*olength = 0;
	io = c != NULL ? c->io : NULL;
	if (t == NULL || t->sock < 0 || buf == NULL || size <= 0 ||
	    io == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (io->rfd != t->sock || io->ri >= io->rn) {
		io->rfd = t->sock;
		io->rn = io->ri = 0;
		for (i = 0; i < IO_RECVS; i++) {
			memset(&io->rmsg[i], 0, sizeof(io->rmsg[i]));
			io->rmsg[i].msg_hdr.msg_name = &io->rfrom[i];
			io->rmsg[i].msg_hdr.msg_namelen =
			    sizeof(io->rfrom[i]);
			io->rmsg[i].msg_hdr.msg_iov = &io->riov[i];
			io->rmsg[i].msg_hdr.msg_iovlen = 1;
		}
		do {
			rc = recvmmsg(t->sock, io->rmsg, IO_RECVS,
			    MSG_DONTWAIT, NULL);
		} while (rc < 0 && errno == EINTR);
		if (rc <= 0) {
			if (rc == 0)
				errno = EAGAIN;
			return -1;
		}
		io->rn = (unsigned)rc;
	}
	i = io->ri++;
	return deliver(io, i, buf, size, opaque, olength);
}

/* Opens shared socket sh for profile cp. */
static int
shared_open(struct snmp_ctx *c, struct snmp_shared *sh,
    const struct cred_profile *cp, char *why, size_t whylen)
{
	netsnmp_session s;
	netsnmp_transport *tr;
	struct epoll_event ev;
	int one = 1, rcv = SHARED_RCVBUF, v6 = sh->family == AF_INET6;

	if (cp->community == NULL)
		return errf(why, whylen, "profile has no community");
	snmp_sess_init(&s);
	/*
	 * Every request names its destination (snmp_shared_address()); the
	 * session's own peer is a loopback address nothing listens on, never
	 * used.
	 */
	s.peername = v6 ? (char *)"udp6:[::1]:9" : (char *)"udp:127.0.0.1:9";
	s.timeout = (long)c->opts.timeout_ms * 1000L;
	s.retries = 0;
	/* Each request names its own callback and host. */
	s.callback = NULL;
	s.callback_magic = NULL;
	s.version = cp->version == SNMP_V1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	s.community = (u_char *)cp->community;
	s.community_len = strlen(cp->community);
	sh->sess = snmp_sess_open(&s);
	if (sh->sess == NULL)
		return errf(why, whylen, "cannot open a session: %s",
		    snmp_api_errstring(s.s_snmp_errno));
	tr = snmp_sess_transport(sh->sess);
	sh->fd = tr != NULL ? tr->sock : -1;
	if (sh->fd < 0) {
		snmp_sess_close(sh->sess);
		sh->sess = NULL;
		return errf(why, whylen, "session without a socket");
	}
	(void)fcntl(sh->fd, F_SETFL, fcntl(sh->fd, F_GETFL) | O_NONBLOCK);
	tr->f_send = shared_sendhook;
	tr->f_recv = shared_recvhook;
	/* Not fatal: without it, port unreachable times out. */
	if (v6)
		(void)setsockopt(sh->fd, IPPROTO_IPV6, IPV6_RECVERR, &one,
		    sizeof(one));
	else {
		(void)setsockopt(sh->fd, IPPROTO_IP, IP_RECVERR, &one,
		    sizeof(one));
		/*
		 * Don't fragment, whatever the path's MTU: an IPv4 datagram
		 * of a socket with no peer that may be fragmented takes its
		 * identification from the kernel's shared generator
		 * (__ip_select_ident(), a hash and an atomic a datagram:
		 * 1.3 % of an identity scan's samples here, issue 13); one
		 * that may not gets 0 (RFC 6864).  A request is a few hundred
		 * bytes, far below any link's MTU, and the default (WANT)
		 * sets DF on such a datagram too; a send with a datagram
		 * above SHARED_DF_BYTES may fragment (shared_fragments()).
		 * Not fatal: without it the kernel numbers them as before.
		 */
		shared_fragments(sh->fd, sh->family, 0);
	}
	(void)setsockopt(sh->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = SNMP_KEY_SHARED | (uint64_t)(sh - c->shared);
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, sh->fd, &ev) != 0) {
		errf(why, whylen, "epoll_ctl: %s", strerror(errno));
		snmp_sess_close(sh->sess);
		sh->sess = NULL;
		sh->fd = -1;
		return -1;
	}
	sh->cp = cp;
	return 0;
}

/*
 * Puts host h on the shared socket of its slot's block for its address
 * family and profile cp, opening it if needed.  Returns 0, or -1 with a
 * reason.  c->shared holds the IPv4 sockets, then the IPv6 ones.
 */
int
snmp_shared_bind(struct snmp_ctx *c, struct host *h,
    const struct cred_profile *cp, char *why, size_t whylen)
{
	struct snmp_shared *sh;
	size_t i, fam = h->sa.ss_family == AF_INET6;

	i = (fam * c->creds->n + (size_t)(cp - c->creds->v)) *
	    c->nshared_blocks + (size_t)(h - c->slots) / SNMP_SHARED_HOSTS;
	if (i >= c->nshared)
		return errf(why, whylen, "no shared socket for the host");
	sh = &c->shared[i];
	sh->family = fam ? AF_INET6 : AF_INET;
	if (sh->sess == NULL && shared_open(c, sh, cp, why, whylen) != 0)
		return -1;
	h->shared = sh;
	h->sess = sh->sess;
	h->fd = sh->fd;
	h->reqid = 0;
	h->attempts = 0;
	return 0;
}

/*
 * Sets the PDU's destination: the host's address, in the form the
 * family's transport sends to.  Returns 0, or -1 when out of memory.
 */
int
snmp_shared_address(const struct host *h, netsnmp_pdu *pdu)
{
	netsnmp_indexed_addr_pair *ap;
	struct sockaddr_in6 *s6;

	if (h->sa.ss_family == AF_INET6) {
		s6 = calloc(1, sizeof(*s6));
		if (s6 == NULL)
			return -1;
		memcpy(s6, &h->sa, sizeof(*s6));
		free(pdu->transport_data);
		pdu->transport_data = s6;
		pdu->transport_data_length = sizeof(*s6);
		return 0;
	}
	ap = calloc(1, sizeof(*ap));
	if (ap == NULL)
		return -1;
	memcpy(&ap->remote_addr.sin, &h->sa, sizeof(ap->remote_addr.sin));
	free(pdu->transport_data);
	pdu->transport_data = ap;
	pdu->transport_data_length = sizeof(*ap);
	return 0;
}

/* Did the answer come from the address and port the host's request went to? */
int
snmp_shared_from(const struct host *h, const netsnmp_pdu *pdu)
{
	const netsnmp_indexed_addr_pair *ap = pdu->transport_data;

	if (ap == NULL || pdu->transport_data_length <= 0)
		return 0;
	if (h->sa.ss_family == AF_INET6)
		return pdu->transport_data_length ==
		    (int)sizeof(struct sockaddr_in6) &&
		    same_peer(h, pdu->transport_data,
		    (size_t)pdu->transport_data_length);
	return pdu->transport_data_length == (int)sizeof(*ap) &&
	    same_peer(h, &ap->remote_addr.sin, sizeof(ap->remote_addr.sin));
}

/*
 * The ICMP errors waiting on the socket: each names the destination of
 * the datagram that caused it; a host of this socket's block with a
 * request in flight to that address gets the error.
 */
int
snmp_shared_errors(struct snmp_ctx *c, struct snmp_shared *sh)
{
	struct sockaddr_in6 to;	/* room for either family */
	struct msghdr m;
	struct iovec iov;
	struct cmsghdr *cm;
	struct sock_extended_err *ee;
	union {
		char		buf[512];
		struct cmsghdr	align;
	} ctl;
	unsigned char b[64];
	size_t first, i, end;
	struct host *h;
	int err, n;

	first = (size_t)(sh - c->shared) % c->nshared_blocks *
	    SNMP_SHARED_HOSTS;
	end = first + SNMP_SHARED_HOSTS < c->cap ? first + SNMP_SHARED_HOSTS :
	    c->cap;
	for (n = 0; n < SHARED_READS; n++) {
		memset(&m, 0, sizeof(m));
		iov.iov_base = b;
		iov.iov_len = sizeof(b);
		m.msg_name = &to;
		m.msg_namelen = sizeof(to);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		if (recvmsg(sh->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return n;
		err = 0;
		for (cm = CMSG_FIRSTHDR(&m); cm != NULL;
		    cm = CMSG_NXTHDR(&m, cm)) {
			if (!((cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_RECVERR)))
				continue;
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
			if (ee->ee_origin == SO_EE_ORIGIN_ICMP ||
			    ee->ee_origin == SO_EE_ORIGIN_ICMP6)
				err = (int)ee->ee_errno;
		}
		if (err == 0)
			continue;
		for (i = first; i < end; i++) {
			h = &c->slots[i];
			if (h->shared != sh || h->state == HS_FREE ||
			    h->reqid == 0 || h->ev != EV_NONE ||
			    !same_peer(h, &to, m.msg_namelen))
				continue;
			h->neterr = err;
			h->ev = EV_NETERR;
			snmp_fired_add(c, h);
		}
	}
	return n;
}

/*
 * Reads what waits on shared socket sh: its ICMP errors, then its
 * datagrams until none is left (at most SHARED_READS, and the rest of a
 * batch already read); the callback records each answer in its host and
 * queues the host.
 */
void
snmp_shared_read(struct snmp_ctx *c, struct snmp_shared *sh)
{
	netsnmp_session *ss;
	struct snmp_io *io = c->io;
	struct snmp_ctx *prev = io_ctx;
	int n, rc;

	if (sh->sess == NULL)
		return;
	snmp_shared_errors(c, sh);
	ss = snmp_sess_session(sh->sess);
	io_ctx = c;
	for (n = 0; (n < SHARED_READS || (io != NULL && io->rfd == sh->fd &&
	    io->ri < io->rn)) && !c->fatal; n++) {
		if (ss != NULL)
			ss->s_errno = 0;
		NETSNMP_LARGE_FD_SET(sh->fd, &c->fds);
		rc = snmp_sess_read2(sh->sess, &c->fds);
		NETSNMP_LARGE_FD_CLR(sh->fd, &c->fds);
		if (rc == 0 || ss == NULL)
			continue;
		if (ss->s_errno == EAGAIN || ss->s_errno == EWOULDBLOCK)
			break;
		if (ss->s_errno == ENOMEM) {
			snmp_fatal(c, "out of memory (answer)");
			break;
		}
		/* An ICMP error took this read: read the error queue. */
		if (ss->s_errno != 0)
			snmp_shared_errors(c, sh);
	}
	io_ctx = prev;
	if (io != NULL)
		io->rn = io->ri = 0;
}

/* Closes every shared socket (the hosts are done or abandoned). */
void
snmp_shared_close_all(struct snmp_ctx *c)
{
	netsnmp_session *ss;
	size_t i;

	/* Requests not sent yet: their hosts are done or abandoned. */
	if (c->io != NULL)
		c->io->nsend = c->io->sused = 0;
	for (i = 0; i < c->nshared && c->shared != NULL; i++) {
		if (c->shared[i].sess == NULL)
			continue;
		(void)epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->shared[i].fd, NULL);
		ss = snmp_sess_session(c->shared[i].sess);
		if (ss != NULL && ss->community != NULL)
			explicit_bzero(ss->community, ss->community_len);
		snmp_sess_close(c->shared[i].sess);
		c->shared[i].sess = NULL;
		c->shared[i].fd = -1;
	}
}

/*
 * Is the running net-snmp one whose private session state
 * snmp_request_cancel() knows?  5.9.x (Debian 12 ships 5.9.3); any other
 * version, older or newer, leaves requests to snmp_shared_sweep().
 */
static int
layout_known(void)
{
	static int known = -1;

	if (known < 0) {
		const char *v = netsnmp_get_version();

		known = v != NULL && strncmp(v, "5.9.", 4) == 0;
	}
	return known;
}

/*
 * Takes request reqid out of session sess (a shared socket's, or a host's
 * own) and frees it.  net-snmp 5.9 has no call for this: its session's
 * private state begins with the list of outstanding requests and its end
 * (snmp_api.c, struct snmp_internal_session).  Only a 5.9.x library is
 * touched (layout_known()) and only while every entry looks like one of
 * ours (our callback; its session, if it names one); otherwise the
 * request stays until its timeout (snmp_shared_sweep(), or the host's
 * session's own).
 */
void
snmp_request_cancel(void *sess, long reqid)
{
	struct session_list *slp = sess;
	netsnmp_request_list **head, **tail, *rp, *prev = NULL;

	if (slp == NULL || slp->internal == NULL || reqid == 0 ||
	    !layout_known())
		return;
	head = (netsnmp_request_list **)(void *)slp->internal;
	tail = head + 1;
	for (rp = *head; rp != NULL; prev = rp, rp = rp->next_request) {
		if (rp->callback != snmp_session_cb ||
		    (rp->session != NULL && rp->session != slp->session))
			return;
		if (rp->request_id != reqid)
			continue;
		if (prev == NULL)
			*head = rp->next_request;
		else
			prev->next_request = rp->next_request;
		if (*tail == rp)
			*tail = prev;
		snmp_free_pdu(rp->pdu);
		free(rp);
		return;
	}
}

/*
 * Expires what is past its timeout on every shared socket: requests left
 * behind when snmp_request_cancel() could not take them out.  The hosts'
 * callbacks ignore them (HS_FREE, or a request id no longer theirs).
 * What waits on the socket is read first: an answer that arrived in time
 * is never a timeout, for a host still waiting either.
 */
void
snmp_shared_sweep(struct snmp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nshared && c->shared != NULL && !c->fatal; i++) {
		if (c->shared[i].sess == NULL)
			continue;
		snmp_shared_read(c, &c->shared[i]);
		snmp_sess_timeout(c->shared[i].sess);
	}
}
