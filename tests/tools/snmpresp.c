/*
 * snmpresp: a small, fast SNMP v1/v2c responder for tests and benchmarks.
 * It serves .snmprec data (snmpsim's "OID|TAG|VALUE" lines) from memory,
 * one UDP address per simulated device.
 *
 *   snmpresp --listen 127.1.0.1:16100=dev1.snmprec [--listen ...]
 *            (port 0: as for --port 0 below; an IPv6 [ADDRESS]:0 gets a
 *            free port of its own, so that many can listen on ::1)
 *   snmpresp --dir DIR --base 127.1.0.1 --port 16100   (0: a free port,
 *            the same for every device, reported in the ready file)
 *            [--community-file FILE] [--pidfile FILE] [--ready-file FILE]
 *            [--max-size BYTES] [--loop-at OID] [--toobig-above N]
 *            [--drop-every N] [--delay-ms N] [--request-log FILE]
 *            [--error-at OID=STATUS] [--answer-first N]
 *            [--shared-socket]
 *
 * Decoding and encoding are net-snmp's: each address is a server session
 * (netsnmp_transport_open_server + snmp_sess_add) whose socket is watched
 * with epoll and read with snmp_sess_read2(); the session callback gets the
 * parsed request PDU.  The response borrows that PDU's header, points its
 * varbinds at a reusable pool whose values point straight into the loaded
 * data (no per-varbind allocation or copy), is encoded with snmp_build()
 * and sent with netsnmp_transport_send() to the request's source.
 *
 * Data files are sorted by OID at load; identical files (same inode or same
 * bytes) are loaded once and shared.  Wrong communities, SNMPv3 and
 * GETBULK over v1 get no answer, like a real agent.  The misbehaviour
 * switches exist to test a client against hostile or broken agents.
 * --error-at OID=STATUS answers a GET, GETNEXT or GETBULK naming an object
 * at or under OID with error-status STATUS (RFC 3416: 1 tooBig, 5 genErr,
 * 16 authorizationError, ...) and error-index that varbind's position;
 * --answer-first N has each device answer its first N requests of a known
 * community and then fall silent (a host that stops answering mid-scan).
 * --forge-from-next answers every request twice: first a forgery -- the
 * answer of the next device (the last's next is the first), with the
 * request's id, sent from that device's address -- then the real answer:
 * a client must take an answer only from the address it asked.
 * --request-log FILE appends a line "ADDRESS:PORT MICROSECONDS" (a
 * monotonic clock) for each request of a known community, as it is read:
 * a test counts the requests a device got in any one second, a ceiling on
 * the client's rate that no slowness of the machine can break (requests
 * are only ever seen later than they were sent, never earlier).
 * --shared-socket serves every IPv4 device from one socket per port, bound
 * to the wildcard address (all of 127.0.0.0/8 is local on Linux), instead
 * of a socket per device: a request goes to the device of its destination
 * address (IP_PKTINFO) and is answered from that address, with every mode
 * above per device as before.  Tens of thousands of devices then fit in
 * any open-files limit.  A datagram to an address that is no device is
 * dropped and counted ("to no device"): a client asking there sees a
 * timeout, not the ICMP port unreachable a closed port would give.  The
 * socket's buffers are 64 MB (SO_RCVBUFFORCE as root), and the counters
 * add the datagrams the kernel dropped at it anyway.
 * SIGTERM/SIGINT stop it cleanly; SIGUSR1 prints counters; the counters,
 * CPU time and CPU per varbind are printed on exit.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "util.h"

#define MAX_VARBINDS	4096	/* per response */
#define MSG_OVERHEAD	48	/* message header without the community */
#define SHARED_SOCKBUF	(64 << 20)	/* a shared socket's buffers */

/* One .snmprec line, after parsing.  Values of strings point into buf. */
struct entry {
	uint32_t	 name_off;	/* first sub-identifier in subids */
	uint8_t		 name_len;
	u_char		 type;		/* ASN type: ASN_INTEGER, ... */
	uint32_t	 len;		/* string bytes or OID sub-ids */
	union {
		long		 i;	/* INTEGER */
		u_long		 u;	/* Counter32, Gauge32, TimeTicks */
		struct counter64 c64;
		u_char		 ip[4];
		u_char		*s;	/* OCTET STRING, Opaque */
		size_t		 off;	/* OBJECT IDENTIFIER, in oidvals */
	} v;
};

/* A loaded data file, shared by every device that serves it. */
struct dataset {
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	uint64_t	 hash;
	size_t		 size;
	char		*buf;		/* the file; strings point here */
	struct entry	*ent;
	size_t		 nent;
	uint32_t	*subids;
	size_t		 nsub, capsub;
	oid		*oidvals;
	size_t		 noid, capoid;
};

/*
 * A simulated device, or (ds == NULL) a listener of --shared-socket: one
 * wildcard socket per port that the devices on that port share.
 */
struct device {
	char		 addr[80];
	struct dataset	*ds;		/* NULL: a listener */
	void		*sessp;		/* a listener's when shared */
	netsnmp_transport *transport;	/* ditto */
	int		 fd;		/* ditto */
	int		 lsn;		/* its listener, or -1: own socket */
	struct in_addr	 in;		/* shared: its IPv4 address */
	unsigned	 port;		/* shared: its port (listener: bound) */
	unsigned	 want;		/* a listener's port asked (0: any) */
	unsigned long	 nreq;
	ssize_t		 loop_idx;	/* --loop-at entry, or -1 */
	size_t		 hint;		/* the entry returned last */
};

/* A response held back by --delay-ms. */
struct delayed {
	struct delayed	*next;
	int64_t		 due_ms;
	struct device	*dev;
	void		*opaque;
	int		 olen;
	size_t		 len;
	u_char		 pkt[];
};

struct options {
	char		**communities;
	size_t		 ncommunities;
	const char	*pidfile;
	const char	*readyfile;
	long		 max_size;
	oid		 loop_at[MAX_OID_LEN];
	size_t		 loop_at_len;
	long		 toobig_above;	/* -1: off */
	long		 drop_every;	/* 0: off */
	long		 get_extra;	/* copies of a GET's first varbind */
	long		 delay_ms;	/* 0: off */
	oid		 error_at[MAX_OID_LEN];	/* --error-at OID */
	size_t		 error_at_len;	/* 0: off */
	long		 error_status;
	long		 answer_first;	/* --answer-first; -1: off */
	int		 forge_next;	/* --forge-from-next */
	int		 shared;	/* --shared-socket */
	FILE		*reqlog;	/* --request-log, or NULL */
};

struct stats {
	unsigned long	 requests;
	unsigned long	 responses;
	unsigned long	 varbinds;
	unsigned long	 bad_community;
	unsigned long	 ignored;
	unsigned long	 dropped;
	unsigned long	 errors;
	unsigned long	 stray;		/* shared: to no device's address */
};

/* --shared-socket: a device by (port, IPv4 address). */
struct shkey {
	uint32_t	 addr;		/* host order */
	unsigned	 port;
	size_t		 dev;		/* index in devices */
};

/* The response being built: varbinds from the pool, or the request's. */
struct response {
	long		 errstat;
	long		 errindex;
	int		 echo_request;	/* send the request's varbinds */
	size_t		 nvb;
	size_t		 room;		/* bytes left for varbinds */
};

static struct options opt = { .max_size = 65000, .toobig_above = -1,
    .answer_first = -1 };
static struct stats st;
static double cpu_at_start;	/* CPU seconds used by loading and set-up */
static struct dataset **datasets;
static size_t ndatasets;
static struct device *devices;
static size_t ndevices;
static struct device **listeners;	/* --shared-socket */
static size_t nlisteners;
static struct shkey *shidx;		/* sorted by port, then address */
static size_t nshidx;
static netsnmp_variable_list *pool;
static size_t poolcap;
static u_char *pktbuf;
static size_t pktcap;
static struct delayed *delayq, **delayq_tail = &delayq;

/* ---- Loading .snmprec files -------------------------------------------- */

static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses an unsigned decimal in [0, max] from p..e.  0 or -1. */
static int
parse_dec(const char *p, const char *e, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (p == e)
		return -1;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return 0;
}

/*
 * Parses a dotted OID ("1.3.6.1", a leading dot allowed) from p..e into
 * out (at most max sub-ids).  Returns the number of sub-ids or -1.
 */
static int
parse_oid_text(const char *p, const char *e, uint32_t *out, size_t max)
{
	const char *q;
	uint64_t v;
	size_t n = 0;

	if (p < e && *p == '.')
		p++;
	while (p < e) {
		for (q = p; q < e && *q != '.'; q++)
			;
		if (n >= max || parse_dec(p, q, 0xffffffffULL, &v) == -1)
			return -1;
		out[n++] = (uint32_t)v;
		p = q < e ? q + 1 : q;
		if (q < e && p == e)
			return -1;	/* trailing dot */
	}
	return n >= 2 ? (int)n : -1;
}

static int
ds_grow_sub(struct dataset *ds, size_t need)
{
	uint32_t *n;
	size_t cap;

	if (ds->nsub + need <= ds->capsub)
		return 0;
	cap = ds->capsub ? ds->capsub * 2 : 4096;
	while (cap < ds->nsub + need)
		cap *= 2;
	n = realloc(ds->subids, cap * sizeof(*n));
	if (n == NULL)
		return -1;
	ds->subids = n;
	ds->capsub = cap;
	return 0;
}

static int
ds_add_oidval(struct dataset *ds, const uint32_t *v, size_t n)
{
	size_t cap, i;
	oid *o;

	if (ds->noid + n > ds->capoid) {
		cap = ds->capoid ? ds->capoid * 2 : 256;
		while (cap < ds->noid + n)
			cap *= 2;
		o = realloc(ds->oidvals, cap * sizeof(*o));
		if (o == NULL)
			return -1;
		ds->oidvals = o;
		ds->capoid = cap;
	}
	for (i = 0; i < n; i++)
		ds->oidvals[ds->noid + i] = v[i];
	ds->noid += n;
	return 0;
}

/*
 * Decodes Python-style escapes (snmpsim's "e" tag suffix) or hex (the "x"
 * suffix) in place.  Returns the new length or -1.
 */
static long
decode_escaped(char *p, size_t n)
{
	size_t i, o = 0;
	int h, l;

	for (i = 0; i < n; i++) {
		if (p[i] != '\\') {
			p[o++] = p[i];
			continue;
		}
		if (++i >= n)
			return -1;
		switch (p[i]) {
		case '\\': case '\'': case '"': p[o++] = p[i]; break;
		case 'a': p[o++] = '\a'; break;
		case 'b': p[o++] = '\b'; break;
		case 'f': p[o++] = '\f'; break;
		case 'n': p[o++] = '\n'; break;
		case 'r': p[o++] = '\r'; break;
		case 't': p[o++] = '\t'; break;
		case 'v': p[o++] = '\v'; break;
		case 'x':
			if (i + 2 >= n)
				return -1;
			h = hexval((unsigned char)p[i + 1]);
			l = hexval((unsigned char)p[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			p[o++] = (char)(h << 4 | l);
			i += 2;
			break;
		default:
			return -1;
		}
	}
	return (long)o;
}

static long
decode_hex(char *p, size_t n)
{
	size_t i;
	int h, l;

	if (n % 2 != 0)
		return -1;
	for (i = 0; i < n; i += 2) {
		h = hexval((unsigned char)p[i]);
		l = hexval((unsigned char)p[i + 1]);
		if (h < 0 || l < 0)
			return -1;
		p[i / 2] = (char)(h << 4 | l);
	}
	return (long)(n / 2);
}

/* Parses the value v..ve of a line with tag and suffix into e. */
static int
parse_value(struct dataset *ds, struct entry *e, long tag, int sfx, char *v,
    char *ve)
{
	uint32_t sub[MAX_OID_LEN];
	uint64_t u;
	long n = ve - v;
	int neg = 0, k;

	if (sfx == 'x')
		n = decode_hex(v, (size_t)n);
	else if (sfx == 'e')
		n = decode_escaped(v, (size_t)n);
	if (n < 0)
		return -1;
	ve = v + n;
	switch (tag) {
	case 2:
		e->type = ASN_INTEGER;
		if (sfx != 0)
			return -1;
		if (v < ve && *v == '-') {
			neg = 1;
			v++;
		}
		if (parse_dec(v, ve, neg ? 2147483648ULL : 2147483647ULL,
		    &u) == -1)
			return -1;
		e->v.i = neg ? -(long)u : (long)u;
		return 0;
	case 4:
	case 68:
		e->type = tag == 4 ? ASN_OCTET_STR : ASN_OPAQUE;
		e->v.s = (u_char *)v;
		e->len = (uint32_t)n;
		return 0;
	case 5:
		e->type = ASN_NULL;
		return 0;
	case 6:
		e->type = ASN_OBJECT_ID;
		k = parse_oid_text(v, ve, sub, MAX_OID_LEN);
		if (k < 0)
			return -1;
		e->v.off = ds->noid;
		e->len = (uint32_t)k;
		return ds_add_oidval(ds, sub, (size_t)k);
	case 64:
		e->type = ASN_IPADDRESS;
		if (sfx != 0) {
			if (n != 4)
				return -1;
			memcpy(e->v.ip, v, 4);
			return 0;
		}
		{
			char ip[16];

			if (n >= (long)sizeof(ip))
				return -1;
			memcpy(ip, v, (size_t)n);
			ip[n] = '\0';
			if (inet_pton(AF_INET, ip, e->v.ip) != 1)
				return -1;
		}
		return 0;
	case 65:
	case 66:
	case 67:
		e->type = tag == 65 ? ASN_COUNTER : tag == 66 ? ASN_GAUGE :
		    ASN_TIMETICKS;
		if (sfx != 0 || parse_dec(v, ve, 0xffffffffULL, &u) == -1)
			return -1;
		e->v.u = (u_long)u;
		return 0;
	case 70:
		e->type = ASN_COUNTER64;
		if (sfx != 0 || parse_dec(v, ve, UINT64_MAX, &u) == -1)
			return -1;
		e->v.c64.high = (u_long)(u >> 32);
		e->v.c64.low = (u_long)(u & 0xffffffffULL);
		return 0;
	case 128:
		e->type = SNMP_NOSUCHOBJECT;
		return 0;
	case 129:
		e->type = SNMP_NOSUCHINSTANCE;
		return 0;
	case 130:
		e->type = SNMP_ENDOFMIBVIEW;
		return 0;
	default:
		return -1;
	}
}

static int
oid_cmp32(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	size_t i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return an < bn ? -1 : an > bn ? 1 : 0;
}

static int
entry_cmp(const void *a, const void *b, void *arg)
{
	const struct dataset *ds = arg;
	const struct entry *x = a, *y = b;

	return oid_cmp32(ds->subids + x->name_off, x->name_len,
	    ds->subids + y->name_off, y->name_len);
}

/* Parses ds->buf (ds->size bytes, NUL-terminated) into entries. */
static int
ds_parse(struct dataset *ds, char *err, size_t errlen)
{
	char *p = ds->buf, *end = ds->buf + ds->size, *eol, *b, *e;
	char *bar1, *bar2, *t;
	size_t lines = 1, lineno = 0, i;
	uint64_t tag;
	int k, sfx, sorted = 1;
	struct entry *en;

	for (t = p; (t = memchr(t, '\n', (size_t)(end - t))) != NULL; t++)
		lines++;
	ds->ent = calloc(lines, sizeof(*ds->ent));
	if (ds->ent == NULL)
		return errf(err, errlen, "%s: out of memory", ds->path);
	for (; p < end; p = eol + 1) {
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		/* Strip the line like snmpsim does (Python's str.strip()). */
		for (b = p; b < eol && is_space((unsigned char)*b); b++)
			;
		for (e = eol; e > b && is_space((unsigned char)e[-1]); e--)
			;
		if (b == e || *b == '#')
			continue;
		bar1 = memchr(b, '|', (size_t)(e - b));
		bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(e - bar1 - 1)) :
		    NULL;
		if (bar2 == NULL)
			return errf(err, errlen,
			    "%s:%zu: expected OID|TAG|VALUE", ds->path,
			    lineno);
		en = &ds->ent[ds->nent];
		if (ds_grow_sub(ds, MAX_OID_LEN) == -1)
			return errf(err, errlen, "%s: out of memory", ds->path);
		k = parse_oid_text(b, bar1, ds->subids + ds->nsub,
		    MAX_OID_LEN);
		if (k < 0)
			return errf(err, errlen, "%s:%zu: bad OID", ds->path,
			    lineno);
		en->name_off = (uint32_t)ds->nsub;
		en->name_len = (uint8_t)k;
		ds->nsub += (size_t)k;
		t = bar2;
		sfx = 0;
		if (t > bar1 + 1 && (t[-1] == 'x' || t[-1] == 'e'))
			sfx = *--t;
		if (parse_dec(bar1 + 1, t, 255, &tag) == -1 ||
		    parse_value(ds, en, (long)tag, sfx, bar2 + 1, e) == -1)
			return errf(err, errlen, "%s:%zu: bad tag or value "
			    "for tag '%.*s'", ds->path, lineno,
			    (int)(bar2 - bar1 - 1), bar1 + 1);
		if (ds->nent > 0 && sorted && entry_cmp(en - 1, en, ds) >= 0)
			sorted = 0;
		ds->nent++;
	}
	if (!sorted)
		qsort_r(ds->ent, ds->nent, sizeof(*ds->ent), entry_cmp, ds);
	for (i = 1; i < ds->nent; i++)
		if (entry_cmp(&ds->ent[i - 1], &ds->ent[i], ds) == 0)
			return errf(err, errlen,
			    "%s: duplicate OID (entry %zu)", ds->path, i + 1);
	return 0;
}

static void
ds_free(struct dataset *ds)
{
	if (ds == NULL)
		return;
	free(ds->path);
	free(ds->buf);
	free(ds->ent);
	free(ds->subids);
	free(ds->oidvals);
	free(ds);
}

/*
 * The loaded datasets by inode and by content hash (open addressing; a
 * slot holds an index into datasets plus one, 0 is empty): tens of
 * thousands of devices must not cost a scan of all datasets each.
 */
struct ds_index {
	size_t	*slot;
	size_t	 cap;		/* a power of two, or 0 */
};

static struct ds_index by_inode, by_bytes;
static size_t capdatasets;

static uint64_t
inode_hash(dev_t dev, ino_t ino)
{
	uint64_t k[2] = { (uint64_t)dev, (uint64_t)ino };

	return fnv1a((const char *)k, sizeof(k));
}

static uint64_t
bytes_hash_of(const struct dataset *ds)
{
	return ds->hash;
}

static uint64_t
inode_hash_of(const struct dataset *ds)
{
	return inode_hash(ds->dev, ds->ino);
}

/* The first slot to probe for hash h (cap > 0 is ensured first). */
static size_t
ds_slot(struct ds_index *x, uint64_t h)
{
	static size_t none[1];

	if (x->cap == 0) {
		x->slot = none;	/* empty until the first put grows it */
		return 0;
	}
	return (size_t)h & (x->cap - 1);
}

static void
ds_index_put(struct ds_index *x, uint64_t h, size_t v)
{
	size_t i = (size_t)h & (x->cap - 1);

	while (x->slot[i] != 0)
		i = (i + 1) & (x->cap - 1);
	x->slot[i] = v;
}

/* Room for one more dataset (at most half full), rehashing by hash. */
static int
ds_index_grow(struct ds_index *x, uint64_t (*hash)(const struct dataset *))
{
	size_t cap, i, *old = x->slot, oldcap = x->cap;

	if ((ndatasets + 1) * 2 <= x->cap)
		return 0;
	cap = x->cap ? x->cap * 2 : 128;
	x->slot = calloc(cap, sizeof(*x->slot));
	if (x->slot == NULL) {
		x->slot = old;
		return -1;
	}
	x->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			ds_index_put(x, hash(datasets[old[i] - 1]), old[i]);
	if (oldcap > 0)
		free(old);
	return 0;
}

/*
 * Returns the dataset for path, loading it unless an identical file (same
 * inode, or same size and bytes) is already loaded.  NULL on error.
 */
static struct dataset *
ds_get(const char *path, char *err, size_t errlen)
{
	struct dataset *ds = NULL, **nds;
	struct stat sb;
	size_t i, got = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	for (i = ds_slot(&by_inode, inode_hash(sb.st_dev, sb.st_ino));
	    by_inode.slot[i] != 0; i = (i + 1) & (by_inode.cap - 1)) {
		struct dataset *o = datasets[by_inode.slot[i] - 1];

		if (o->dev == sb.st_dev && o->ino == sb.st_ino) {
			close(fd);
			return o;
		}
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > 1L << 30) {
		errf(err, errlen, "%s: not a regular file under 1 GB", path);
		goto fail;
	}
	ds = calloc(1, sizeof(*ds));
	if (ds == NULL || (ds->path = strdup(path)) == NULL ||
	    (ds->buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		errf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	ds->dev = sb.st_dev;
	ds->ino = sb.st_ino;
	ds->size = (size_t)sb.st_size;
	while (got < ds->size) {
		r = read(fd, ds->buf + got, ds->size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			errf(err, errlen, "%s: read: %s", path,
			    r == 0 ? "short file" : strerror(errno));
			goto fail;
		}
		got += (size_t)r;
	}
	ds->buf[ds->size] = '\0';
	close(fd);
	fd = -1;
	ds->hash = fnv1a(ds->buf, ds->size);
	for (i = ds_slot(&by_bytes, ds->hash); by_bytes.slot[i] != 0;
	    i = (i + 1) & (by_bytes.cap - 1)) {
		struct dataset *o = datasets[by_bytes.slot[i] - 1];

		if (o->hash == ds->hash && o->size == ds->size &&
		    memcmp(o->buf, ds->buf, ds->size) == 0) {
			ds_free(ds);
			return o;
		}
	}
	if (ds_parse(ds, err, errlen) == -1)
		goto fail;
	if (ndatasets == capdatasets) {
		size_t cap = capdatasets ? capdatasets * 2 : 64;

		nds = realloc(datasets, cap * sizeof(*nds));
		if (nds == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		datasets = nds;
		capdatasets = cap;
	}
	if (ds_index_grow(&by_inode, inode_hash_of) == -1 ||
	    ds_index_grow(&by_bytes, bytes_hash_of) == -1) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	datasets[ndatasets++] = ds;
	ds_index_put(&by_inode, inode_hash(ds->dev, ds->ino), ndatasets);
	ds_index_put(&by_bytes, ds->hash, ndatasets);
	return ds;
fail:
	if (fd != -1)
		close(fd);
	ds_free(ds);
	return NULL;
}

/* ---- Lookups ----------------------------------------------------------- */

static int
cmp_req(const struct dataset *ds, size_t i, const oid *name, size_t len)
{
	const struct entry *e = &ds->ent[i];
	const uint32_t *s = ds->subids + e->name_off;
	size_t k, n = e->name_len < len ? e->name_len : len;

	for (k = 0; k < n; k++)
		if (s[k] != name[k])
			return s[k] < name[k] ? -1 : 1;
	return e->name_len < len ? -1 : e->name_len > len ? 1 : 0;
}

/* First entry >= name (strict: > name).  Returns nent when none. */
static size_t
lower_bound(const struct dataset *ds, const oid *name, size_t len, int strict)
{
	size_t lo = 0, hi = ds->nent, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_req(ds, mid, name, len);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does entry i exist and start with (and extend) the n sub-ids of name? */
static int
has_prefix(const struct dataset *ds, size_t i, const oid *name, size_t n)
{
	const uint32_t *s;
	size_t k;

	if (i >= ds->nent || ds->ent[i].name_len <= n)
		return 0;
	s = ds->subids + ds->ent[i].name_off;
	for (k = 0; k < n; k++)
		if (s[k] != name[k])
			return 0;
	return 1;
}

/* Entries GETNEXT never returns: exceptions, and Counter64 over SNMPv1. */
static int
skip_entry(const struct entry *e, long version)
{
	if (e->type == SNMP_NOSUCHOBJECT || e->type == SNMP_NOSUCHINSTANCE ||
	    e->type == SNMP_ENDOFMIBVIEW)
		return 1;
	return version == SNMP_VERSION_1 && e->type == ASN_COUNTER64;
}

/*
 * The successor of index i (or of the entry at i-1 when coming from a
 * name): the next servable entry, bent back to --loop-at once past it.
 * Returns nent at the end of the MIB.
 */
static size_t
next_from(const struct device *dev, size_t i, long version)
{
	const struct dataset *ds = dev->ds;

	while (i < ds->nent && skip_entry(&ds->ent[i], version))
		i++;
	if (dev->loop_idx >= 0 && i < ds->nent && i > (size_t)dev->loop_idx)
		i = (size_t)dev->loop_idx;
	return i;
}

/* ---- Building responses ------------------------------------------------ */

static size_t
ber_len_size(size_t n)
{
	return n < 128 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 4;
}

static size_t
subid_size(u_long v)
{
	size_t n = 1;

	while (v >= 128) {
		v >>= 7;
		n++;
	}
	return n;
}

/* An upper bound of the encoded size of a varbind. */
static size_t
vb_size(const netsnmp_variable_list *vb)
{
	size_t i, o = 1, v;

	for (i = 2; i < vb->name_length; i++)
		o += subid_size(vb->name[i]);
	switch (vb->type) {
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
		v = vb->val_len;
		break;
	case ASN_OBJECT_ID:
		v = 1;
		for (i = 2; i < vb->val_len / sizeof(oid); i++)
			v += subid_size(vb->val.objid[i]);
		break;
	case ASN_COUNTER64:
		v = 9;
		break;
	case ASN_INTEGER:
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_IPADDRESS:
		v = 5;
		break;
	default:
		v = 0;
	}
	o += 1 + ber_len_size(o);
	v += 1 + ber_len_size(v);
	return o + v + 1 + ber_len_size(o + v);
}

static netsnmp_variable_list *
vb_next(struct response *r)
{
	netsnmp_variable_list *vb;

	if (r->nvb >= poolcap)
		return NULL;
	vb = &pool[r->nvb];
	vb->next_variable = NULL;
	return vb;
}

/* Commits the varbind last returned by vb_next() if it fits. */
static int
vb_commit(struct response *r, netsnmp_variable_list *vb)
{
	size_t n = vb_size(vb);

	if (n > r->room)
		return -1;
	r->room -= n;
	if (r->nvb > 0)
		pool[r->nvb - 1].next_variable = vb;
	r->nvb++;
	return 0;
}

static void
vb_set_entry(netsnmp_variable_list *vb, struct dataset *ds, struct entry *e)
{
	const uint32_t *s = ds->subids + e->name_off;
	size_t i;

	for (i = 0; i < e->name_len; i++)
		vb->name_loc[i] = s[i];
	vb->name = vb->name_loc;
	vb->name_length = e->name_len;
	vb->type = e->type;
	switch (e->type) {
	case ASN_INTEGER:
		vb->val.integer = &e->v.i;
		vb->val_len = sizeof(long);
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		vb->val.integer = (long *)&e->v.u;
		vb->val_len = sizeof(u_long);
		break;
	case ASN_COUNTER64:
		vb->val.counter64 = &e->v.c64;
		vb->val_len = sizeof(struct counter64);
		break;
	case ASN_IPADDRESS:
		vb->val.string = e->v.ip;
		vb->val_len = 4;
		break;
	case ASN_OBJECT_ID:
		vb->val.objid = ds->oidvals + e->v.off;
		vb->val_len = e->len * sizeof(oid);
		break;
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
		vb->val.string = e->v.s;
		vb->val_len = e->len;
		break;
	default:
		vb->val.string = NULL;
		vb->val_len = 0;
	}
}

/* A varbind carrying an exception (noSuchObject, ...) for name. */
static void
vb_set_exception(netsnmp_variable_list *vb, const oid *name, size_t len,
    u_char type)
{
	memcpy(vb->name_loc, name, len * sizeof(oid));
	vb->name = vb->name_loc;
	vb->name_length = len;
	vb->type = type;
	vb->val.string = NULL;
	vb->val_len = 0;
}

static void
set_error(struct response *r, long errstat, long errindex)
{
	r->errstat = errstat;
	r->errindex = errindex;
	r->echo_request = 1;
}

static void
do_get(struct device *dev, netsnmp_pdu *pdu, struct response *r)
{
	struct dataset *ds = dev->ds;
	netsnmp_variable_list *req, *vb;
	size_t i;
	long n = 0;

	for (req = pdu->variables; req != NULL; req = req->next_variable) {
		n++;
		if ((vb = vb_next(r)) == NULL) {
			set_error(r, SNMP_ERR_TOOBIG, 0);
			return;
		}
		i = lower_bound(ds, req->name, req->name_length, 0);
		if (i < ds->nent && cmp_req(ds, i, req->name,
		    req->name_length) == 0 && (pdu->version != SNMP_VERSION_1 ||
		    !skip_entry(&ds->ent[i], pdu->version))) {
			vb_set_entry(vb, ds, &ds->ent[i]);
		} else if (pdu->version == SNMP_VERSION_1) {
			set_error(r, SNMP_ERR_NOSUCHNAME, n);
			return;
		} else {
			/*
			 * Like net-snmp's agent: noSuchInstance when the
			 * object (the name minus its last sub-id) exists.
			 */
			u_char type = SNMP_NOSUCHOBJECT;

			if (req->name_length > 1 && has_prefix(ds,
			    lower_bound(ds, req->name, req->name_length - 1, 1),
			    req->name, req->name_length - 1))
				type = SNMP_NOSUCHINSTANCE;
			vb_set_exception(vb, req->name, req->name_length,
			    type);
		}
		if (vb_commit(r, vb) == -1) {
			set_error(r, SNMP_ERR_TOOBIG, 0);
			return;
		}
	}
}

/*
 * Where a GETNEXT chain stands: at the request's name, at an entry, or at
 * the end of the MIB view (where it stays, RFC 3416, 4.2.3).
 */
struct cursor {
	const oid	*name;		/* the request's name */
	size_t		 len;
	size_t		 idx;		/* last entry returned, or SIZE_MAX */
	int		 eom;
};

/*
 * Appends the successor of *cur and advances it.  Returns 1 at the end of
 * the MIB (endOfMibView appended, or the v1 error set), 0 otherwise, -1
 * when the response is full.
 */
static int
add_next(struct device *dev, netsnmp_pdu *pdu, struct cursor *cur,
    struct response *r, long vbindex)
{
	struct dataset *ds = dev->ds;
	netsnmp_variable_list *vb;
	size_t i = ds->nent;

	if ((vb = vb_next(r)) == NULL)
		return -1;
	if (cur->eom)
		i = ds->nent;
	else if (cur->idx == SIZE_MAX && dev->hint < ds->nent &&
	    cmp_req(ds, dev->hint, cur->name, cur->len) == 0)
		i = next_from(dev, dev->hint + 1, pdu->version);
	else if (cur->idx == SIZE_MAX)
		i = next_from(dev, lower_bound(ds, cur->name, cur->len, 1),
		    pdu->version);
	else
		i = next_from(dev, cur->idx + 1, pdu->version);
	if (i < ds->nent) {
		vb_set_entry(vb, ds, &ds->ent[i]);
	} else if (pdu->version == SNMP_VERSION_1) {
		set_error(r, SNMP_ERR_NOSUCHNAME, vbindex);
		return 1;
	} else if (cur->idx == SIZE_MAX) {
		vb_set_exception(vb, cur->name, cur->len, SNMP_ENDOFMIBVIEW);
	} else {
		/* The name is the last one returned for this variable. */
		vb_set_entry(vb, ds, &ds->ent[cur->idx]);
		vb->type = SNMP_ENDOFMIBVIEW;
		vb->val.string = NULL;
		vb->val_len = 0;
	}
	if (vb_commit(r, vb) == -1)
		return -1;
	if (i < ds->nent)
		cur->idx = dev->hint = i;	/* walkers ask for it next */
	else
		cur->eom = 1;
	return cur->eom;
}

static void
cursor_init(struct cursor *cur, const netsnmp_variable_list *v)
{
	cur->name = v->name;
	cur->len = v->name_length;
	cur->idx = SIZE_MAX;
	cur->eom = 0;
}

static void
do_getnext(struct device *dev, netsnmp_pdu *pdu, struct response *r)
{
	netsnmp_variable_list *req;
	struct cursor cur;
	long n = 0;

	for (req = pdu->variables; req != NULL; req = req->next_variable) {
		cursor_init(&cur, req);
		if (add_next(dev, pdu, &cur, r, ++n) == -1)
			set_error(r, SNMP_ERR_TOOBIG, 0);
		if (r->echo_request)
			return;
	}
}

/* RFC 3416, 4.2.3; the response is cut to the size budget. */
static void
do_getbulk(struct device *dev, netsnmp_pdu *pdu, struct response *r)
{
	netsnmp_variable_list *req;
	struct cursor *cur = NULL, one;
	long nonrep = pdu->non_repeaters, maxrep = pdu->max_repetitions;
	size_t nvars = 0, nrep, j, eom;
	long n = 0, rep;
	int rc;

	for (req = pdu->variables; req != NULL; req = req->next_variable)
		nvars++;
	if (nonrep < 0)
		nonrep = 0;
	if (maxrep < 0)
		maxrep = 0;
	if (opt.toobig_above >= 0 && maxrep > opt.toobig_above) {
		set_error(r, SNMP_ERR_TOOBIG, 0);
		return;
	}
	for (req = pdu->variables; req != NULL && n < nonrep;
	    req = req->next_variable) {
		cursor_init(&one, req);
		if (add_next(dev, pdu, &one, r, ++n) == -1)
			goto full;
	}
	nrep = nvars - (size_t)n;
	if (nrep == 0 || maxrep == 0)
		return;
	cur = calloc(nrep, sizeof(*cur));
	if (cur == NULL) {
		set_error(r, SNMP_ERR_GENERR, 0);
		return;
	}
	for (j = 0; req != NULL; req = req->next_variable, j++)
		cursor_init(&cur[j], req);
	for (rep = 0; rep < maxrep; rep++) {
		eom = 0;
		for (j = 0; j < nrep; j++) {
			rc = add_next(dev, pdu, &cur[j], r, 0);
			if (rc == -1)
				goto full;
			eom += (size_t)rc;
		}
		/* Every repeater at the end: stop, like net-snmp's agent. */
		if (eom == nrep)
			break;
	}
	free(cur);
	return;
full:
	/* What fits is sent; with nothing at all, tooBig. */
	free(cur);
	if (r->nvb == 0)
		set_error(r, SNMP_ERR_TOOBIG, 0);
}

/*
 * --get-extra N: a hostile agent that repeats the first varbind of each
 * GET answer N more times (as far as the size limit lets it).
 */
static void
get_extra(struct response *r)
{
	netsnmp_variable_list *vb;
	long k;

	for (k = 0; k < opt.get_extra && r->nvb > 0; k++) {
		vb = vb_next(r);
		if (vb == NULL)
			return;
		*vb = pool[0];
		vb->next_variable = NULL;
		if (vb_commit(r, vb) == -1)
			return;
	}
}

static int
ensure_pool(size_t n)
{
	netsnmp_variable_list *p;

	if (n <= poolcap)
		return 0;
	p = realloc(pool, n * sizeof(*p));
	if (p == NULL)
		return -1;
	pool = p;
	poolcap = n;
	return 0;
}

static int
community_ok(const u_char *c, size_t len)
{
	size_t i;

	for (i = 0; i < opt.ncommunities; i++)
		if (strlen(opt.communities[i]) == len &&
		    memcmp(opt.communities[i], c, len) == 0)
			return 1;
	return 0;
}

static void
send_packet(struct device *dev, const u_char *pkt, size_t len, void **opaque,
    int *olen)
{
	if (netsnmp_transport_send(dev->transport, pkt, (int)len, opaque,
	    olen) < 0)
		st.errors++;
	else
		st.responses++;
}

static void
queue_delayed(struct device *dev, const u_char *pkt, size_t len,
    const netsnmp_pdu *pdu)
{
	struct delayed *d;

	d = malloc(sizeof(*d) + len);
	if (d == NULL) {
		st.errors++;
		return;
	}
	d->next = NULL;
	d->due_ms = mono_ms() + opt.delay_ms;
	d->dev = dev;
	d->len = len;
	memcpy(d->pkt, pkt, len);
	d->olen = pdu->transport_data_length;
	d->opaque = NULL;
	if (pdu->transport_data != NULL && d->olen > 0) {
		d->opaque = malloc((size_t)d->olen);
		if (d->opaque == NULL) {
			free(d);
			st.errors++;
			return;
		}
		memcpy(d->opaque, pdu->transport_data, (size_t)d->olen);
	}
	*delayq_tail = d;
	delayq_tail = &d->next;
}

static void
flush_delayed(int all)
{
	struct delayed *d;
	int64_t now = mono_ms();

	while ((d = delayq) != NULL && (all || d->due_ms <= now)) {
		delayq = d->next;
		if (delayq == NULL)
			delayq_tail = &delayq;
		if (!all)
			send_packet(d->dev, d->pkt, d->len, &d->opaque,
			    &d->olen);
		free(d->opaque);
		free(d);
	}
}

/*
 * Encodes the response into the request PDU's clothes and sends it.  The
 * request's varbinds, command and error fields are restored afterwards,
 * so the library frees exactly what it allocated.
 */
static void
send_response(struct device *dev, netsnmp_session *sp, netsnmp_pdu *pdu,
    struct response *r)
{
	netsnmp_variable_list *reqvars = pdu->variables;
	long errstat = pdu->errstat, errindex = pdu->errindex;
	int command = pdu->command;
	size_t offset, len;
	u_char *pkt;
	int rc;

	for (;;) {
		pdu->command = SNMP_MSG_RESPONSE;
		pdu->flags &= ~UCD_MSG_FLAG_EXPECT_RESPONSE;
		pdu->errstat = r->errstat;
		pdu->errindex = r->errindex;
		if (!r->echo_request)
			pdu->variables = r->nvb > 0 ? pool : NULL;
		offset = 0;
		rc = snmp_build(&pktbuf, &pktcap, &offset, sp, pdu);
		pdu->variables = reqvars;
		pdu->command = command;
		pdu->errstat = errstat;
		pdu->errindex = errindex;
		if (rc != 0) {
			st.errors++;
			return;
		}
		len = offset;
		if (len <= (size_t)opt.max_size || r->errstat ==
		    SNMP_ERR_TOOBIG)
			break;
		set_error(r, SNMP_ERR_TOOBIG, 0);
	}
	pkt = pktbuf + pktcap - offset;
	if (!r->echo_request)
		st.varbinds += r->nvb;
	if (opt.delay_ms > 0)
		queue_delayed(dev, pkt, len, pdu);
	else
		send_packet(dev, pkt, len, &pdu->transport_data,
		    &pdu->transport_data_length);
}

/*
 * Sends r from dev's own address: the request's transport data names the
 * address it came in on as the source (IP_PKTINFO), which would make the
 * forgery look like the real answer; a copy without it goes out from
 * dev's socket as bound, or, on a shared socket, names dev's address.
 */
static void
send_forgery(struct device *dev, netsnmp_session *sp, netsnmp_pdu *pdu,
    struct response *r)
{
	netsnmp_indexed_addr_pair copy;
	void *saved = pdu->transport_data;
	int savedlen = pdu->transport_data_length;

	if (saved == NULL || savedlen != (int)sizeof(copy))
		return;
	memcpy(&copy, saved, sizeof(copy));
	memset(&copy.local_addr, 0, sizeof(copy.local_addr));
	copy.if_index = 0;
	/* A shared socket is bound to no address: name dev's. */
	if (dev->lsn >= 0) {
		copy.local_addr.sin.sin_family = AF_INET;
		copy.local_addr.sin.sin_addr = dev->in;
	}
	pdu->transport_data = &copy;
	send_response(dev, sp, pdu, r);
	pdu->transport_data = saved;
	pdu->transport_data_length = savedlen;
}

/*
 * --error-at: 1 (and the error set in r) when a varbind of a read
 * request names an object at or under the OID, else 0.
 */
static int
error_at(const netsnmp_pdu *pdu, struct response *r)
{
	const netsnmp_variable_list *v;
	long n = 0;

	if (opt.error_at_len == 0 || (pdu->command != SNMP_MSG_GET &&
	    pdu->command != SNMP_MSG_GETNEXT &&
	    pdu->command != SNMP_MSG_GETBULK))
		return 0;
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		n++;
		if (v->name_length >= opt.error_at_len &&
		    snmp_oid_compare(v->name, opt.error_at_len, opt.error_at,
		    opt.error_at_len) == 0) {
			set_error(r, opt.error_status, n);
			return 1;
		}
	}
	return 0;
}

/* Fills r with dev's answer to pdu.  Returns 0, or -1: no answer. */
static int
answer(struct device *dev, netsnmp_pdu *pdu, struct response *r)
{
	if (error_at(pdu, r))
		return 0;
	switch (pdu->command) {
	case SNMP_MSG_GET:
		do_get(dev, pdu, r);
		get_extra(r);
		break;
	case SNMP_MSG_GETNEXT:
		do_getnext(dev, pdu, r);
		break;
	case SNMP_MSG_GETBULK:
		if (pdu->version == SNMP_VERSION_1) {
			st.ignored++;
			return -1;
		}
		do_getbulk(dev, pdu, r);
		break;
	case SNMP_MSG_SET:
		/* A read-only community (RFC 3584, 4.4: v1 noSuchName). */
		set_error(r, pdu->version == SNMP_VERSION_1 ?
		    SNMP_ERR_NOSUCHNAME : SNMP_ERR_NOACCESS, 1);
		break;
	default:
		st.ignored++;
		return -1;
	}
	return 0;
}

/* ---- Shared sockets (--shared-socket) --------------------------------- */

static int
shkey_cmp(const void *a, const void *b)
{
	const struct shkey *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr ? 1 : 0;
}

/*
 * The device a request on listener l was sent to: its destination address
 * (IP_PKTINFO, in the request's transport data) on l's port.  NULL when no
 * device has it.
 */
static struct device *
shared_device(const struct device *l, const netsnmp_pdu *pdu)
{
	const netsnmp_indexed_addr_pair *ap = pdu->transport_data;
	struct shkey k, *hit;

	if (ap == NULL || pdu->transport_data_length != (int)sizeof(*ap))
		return NULL;
	k.addr = ntohl(ap->local_addr.sin.sin_addr.s_addr);
	k.port = l->port;
	hit = bsearch(&k, shidx, nshidx, sizeof(*shidx), shkey_cmp);
	return hit != NULL ? &devices[hit->dev] : NULL;
}

/* The session callback: one parsed request. */
static int
on_request(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct device *dev = magic;
	struct response r;
	size_t nvars = 0, want;
	netsnmp_variable_list *v;

	(void)reqid;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;
	st.requests++;
	if (dev->ds == NULL) {
		/* A shared socket: the device asked is the destination. */
		dev = shared_device(dev, pdu);
		if (dev == NULL) {
			st.stray++;
			return 1;
		}
	}
	if (pdu->version != SNMP_VERSION_1 &&
	    pdu->version != SNMP_VERSION_2c) {
		st.ignored++;
		return 1;
	}
	if (!community_ok(pdu->community, pdu->community_len)) {
		st.bad_community++;
		return 1;
	}
	dev->nreq++;
	if (opt.reqlog != NULL) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(opt.reqlog, "%s %lld\n", dev->addr,
		    (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	}
	if ((opt.drop_every > 0 && dev->nreq % (unsigned long)opt.drop_every ==
	    0) || (opt.answer_first >= 0 &&
	    dev->nreq > (unsigned long)opt.answer_first)) {
		st.dropped++;
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.room = (size_t)opt.max_size > MSG_OVERHEAD + pdu->community_len ?
	    (size_t)opt.max_size - MSG_OVERHEAD - pdu->community_len : 0;
	for (v = pdu->variables; v != NULL; v = v->next_variable)
		nvars++;
	want = nvars;
	if (pdu->command == SNMP_MSG_GETBULK && pdu->max_repetitions > 0)
		want += (size_t)pdu->max_repetitions * nvars;
	if (want > MAX_VARBINDS)
		want = MAX_VARBINDS;
	if (ensure_pool(want) == -1) {
		st.errors++;
		return 1;
	}
	if (pdu->command == SNMP_MSG_GET && opt.get_extra > 0)
		want += (size_t)opt.get_extra;
	if (ensure_pool(want) == -1) {
		st.errors++;
		return 1;
	}
	if (opt.forge_next && ndevices > 1) {
		struct device *next = &devices[((size_t)(dev - devices) + 1) %
		    ndevices];
		struct response f;

		memset(&f, 0, sizeof(f));
		f.room = r.room;
		if (answer(next, pdu, &f) == 0)
			send_forgery(next, sp, pdu, &f);
	}
	if (answer(dev, pdu, &r) == 0)
		send_response(dev, sp, pdu, &r);
	return 1;
}

/* ---- Set-up ------------------------------------------------------------ */

static int
add_device(const char *addr, const char *path, char *err, size_t errlen)
{
	struct device *nd, *d;
	struct dataset *ds;

	ds = ds_get(path, err, errlen);
	if (ds == NULL)
		return -1;
	nd = realloc(devices, (ndevices + 1) * sizeof(*nd));
	if (nd == NULL)
		return errf(err, errlen, "out of memory");
	devices = nd;
	d = &devices[ndevices];
	memset(d, 0, sizeof(*d));
	if (str_copy(d->addr, addr, sizeof(d->addr)) >= sizeof(d->addr))
		return errf(err, errlen, "%s: address too long", addr);
	d->ds = ds;
	d->fd = -1;
	d->lsn = -1;
	d->loop_idx = -1;
	ndevices++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --dir: the N-th *.snmprec file (sorted by name) on the N-th address. */
static int
add_dir(const char *dir, const char *base, long port, char *err,
    size_t errlen)
{
	struct in_addr a;
	struct dirent *de;
	char **names = NULL, **nn, path[4096], addr[64], ip[INET_ADDRSTRLEN];
	size_t n = 0, i, l;
	uint32_t h;
	DIR *d;
	int rc = -1;

	if (inet_pton(AF_INET, base, &a) != 1)
		return errf(err, errlen, "--base %s: not an IPv4 address",
		    base);
	h = ntohl(a.s_addr);
	d = opendir(dir);
	if (d == NULL)
		return errf(err, errlen, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l <= 8 || strcmp(de->d_name + l - 8, ".snmprec") != 0)
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (nn == NULL || (nn[n] = strdup(de->d_name)) == NULL) {
			if (nn != NULL)
				names = nn;
			errf(err, errlen, "out of memory");
			goto done;
		}
		names = nn;
		n++;
	}
	if (n == 0) {
		errf(err, errlen, "%s: no .snmprec files", dir);
		goto done;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++, h++) {
		a.s_addr = htonl(h);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		snprintf(addr, sizeof(addr), "%s:%ld", ip, port);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path)) {
			errf(err, errlen, "%s: path too long", names[i]);
			goto done;
		}
		if (add_device(addr, path, err, errlen) == -1)
			goto done;
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int
read_communities(const char *path, char *err, size_t errlen)
{
	char line[256], **nc;
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n == 0)
			continue;
		nc = realloc(opt.communities,
		    (opt.ncommunities + 1) * sizeof(*nc));
		if (nc == NULL || (nc[opt.ncommunities] = strdup(line)) ==
		    NULL) {
			if (nc != NULL)
				opt.communities = nc;
			fclose(f);
			return errf(err, errlen, "out of memory");
		}
		opt.communities = nc;
		opt.ncommunities++;
	}
	explicit_bzero(line, sizeof(line));
	fclose(f);
	if (opt.ncommunities == 0)
		return errf(err, errlen, "%s: no community", path);
	return 0;
}

/* Is ADDRESS:PORT's port 0 (--listen ADDRESS:0=FILE)? */
static int
port0(const char *addr)
{
	const char *colon = strrchr(addr, ':');

	return colon != NULL && strcmp(colon, ":0") == 0;
}

/*
 * --port 0 (or a first --listen ADDRESS:0): the first device's socket got
 * a free port from the kernel; every device of --dir, and every --listen
 * ADDRESS:0, takes that same port (each on its own address), and the
 * ready file reports it.  No port is probed and then bound.
 */
static int
take_port(char *err, size_t errlen)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char *colon;
	size_t i;

	if (getsockname(devices[0].fd, (struct sockaddr *)&sin, &len) != 0 ||
	    sin.sin_family != AF_INET)
		return errf(err, errlen, "%s: cannot learn the port: %s",
		    devices[0].addr, strerror(errno));
	for (i = 0; i < ndevices; i++) {
		colon = strrchr(devices[i].addr, ':');
		if (colon == NULL || strcmp(colon, ":0") != 0 ||
		    devices[i].addr[0] == '[')
			continue;
		snprintf(colon, sizeof(devices[i].addr) -
		    (size_t)(colon - devices[i].addr), ":%u",
		    (unsigned)ntohs(sin.sin_port));
	}
	return 0;
}

/*
 * An IPv6 device asked for port 0 ([ADDRESS]:0): several on one address
 * (::1) cannot share a port, so each keeps the one the kernel gave it,
 * and its address says which.
 */
static int
own_port(struct device *d, char *err, size_t errlen)
{
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin6);
	char *colon = strrchr(d->addr, ':');

	if (d->addr[0] != '[' || colon == NULL || strcmp(colon, ":0") != 0)
		return 0;
	if (getsockname(d->fd, (struct sockaddr *)&sin6, &len) != 0 ||
	    sin6.sin6_family != AF_INET6)
		return errf(err, errlen, "%s: cannot learn the port: %s",
		    d->addr, strerror(errno));
	snprintf(colon, sizeof(d->addr) - (size_t)(colon - d->addr), ":%u",
	    (unsigned)ntohs(sin6.sin6_port));
	return 0;
}

static int	open_device(struct device *, int, char *, size_t);

/* "A.B.C.D:PORT" into *in and *port.  0, or -1 for any other form. */
static int
parse_v4(const char *addr, struct in_addr *in, unsigned *port)
{
	char ip[INET_ADDRSTRLEN];
	const char *colon = strrchr(addr, ':');
	size_t n;
	long p;

	if (colon == NULL || addr[0] == '[')
		return -1;
	n = (size_t)(colon - addr);
	if (n >= sizeof(ip))
		return -1;
	memcpy(ip, addr, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, in) != 1 ||
	    parse_long(colon + 1, 0, 65535, &p) == -1)
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* Large socket buffers: a shared socket queues every device's requests. */
static void
big_buffers(int fd)
{
	int n = SHARED_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &n, sizeof(n)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &n, sizeof(n));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &n, sizeof(n)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &n, sizeof(n));
}

/*
 * The index of the listener on port (0: the one asked for port 0, whose
 * port the kernel chose), opened on the wildcard address if need be; -1
 * on error.
 */
static int
listener_for(unsigned port, int ep, char *err, size_t errlen)
{
	struct device *l, **nl;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	size_t i;

	for (i = 0; i < nlisteners; i++)
		if (listeners[i]->want == port || listeners[i]->port == port)
			return (int)i;
	nl = realloc(listeners, (nlisteners + 1) * sizeof(*nl));
	if (nl == NULL)
		return errf(err, errlen, "out of memory");
	listeners = nl;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return errf(err, errlen, "out of memory");
	listeners[nlisteners++] = l;
	l->fd = -1;
	l->lsn = -1;
	l->loop_idx = -1;
	l->want = port;
	snprintf(l->addr, sizeof(l->addr), "0.0.0.0:%u", port);
	if (open_device(l, ep, err, errlen) == -1)
		return -1;
	if (getsockname(l->fd, (struct sockaddr *)&sin, &len) != 0 ||
	    sin.sin_family != AF_INET)
		return errf(err, errlen, "%s: cannot learn the port: %s",
		    l->addr, strerror(errno));
	l->port = ntohs(sin.sin_port);
	big_buffers(l->fd);
	return (int)(nlisteners - 1);
}

/* d, an IPv4 device, answers on its port's shared socket. */
static int
attach_shared(struct device *d, int ep, char *err, size_t errlen)
{
	struct device *l;
	int k;

	k = listener_for(d->port, ep, err, errlen);
	if (k == -1)
		return -1;
	l = listeners[k];
	d->lsn = k;
	d->sessp = l->sessp;
	d->transport = l->transport;
	d->fd = l->fd;
	d->port = l->port;
	if (opt.loop_at_len > 0) {
		size_t i = lower_bound(d->ds, opt.loop_at, opt.loop_at_len, 0);

		d->loop_idx = i < d->ds->nent ? (ssize_t)i : -1;
	}
	return 0;
}

/* The index of the shared devices; two on one address are an error. */
static int
build_shidx(char *err, size_t errlen)
{
	size_t i;

	shidx = calloc(ndevices ? ndevices : 1, sizeof(*shidx));
	if (shidx == NULL)
		return errf(err, errlen, "out of memory");
	for (i = 0; i < ndevices; i++) {
		if (devices[i].lsn < 0)
			continue;
		shidx[nshidx].addr = ntohl(devices[i].in.s_addr);
		shidx[nshidx].port = devices[i].port;
		shidx[nshidx].dev = i;
		nshidx++;
	}
	qsort(shidx, nshidx, sizeof(*shidx), shkey_cmp);
	for (i = 1; i < nshidx; i++)
		if (shkey_cmp(&shidx[i - 1], &shidx[i]) == 0)
			return errf(err, errlen, "%s: two devices on one "
			    "address", devices[shidx[i].dev].addr);
	return 0;
}

/*
 * The datagrams the kernel dropped at fd's socket (a full receive
 * buffer): the "drops" column of /proc/net/udp for its inode; 0 when it
 * cannot be read.
 */
static unsigned long
socket_drops(int fd)
{
	struct stat sb;
	char line[512];
	unsigned long ino, drops = 0, d;
	FILE *f;

	if (fstat(fd, &sb) == -1)
		return 0;
	f = fopen("/proc/net/udp", "re");
	if (f == NULL)
		return 0;
	/* sl local remote st tx:rx tr:when retr uid timeout inode ref ptr
	 * drops */
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %lu "
		    "%*s %*s %lu", &ino, &d) == 2 && ino == sb.st_ino) {
			drops = d;
			break;
		}
	fclose(f);
	return drops;
}

static int
open_device(struct device *d, int ep, char *err, size_t errlen)
{
	netsnmp_session sess;
	struct epoll_event ev;
	char spec[96];
	int fl;

	if (opt.shared && d->ds != NULL &&
	    parse_v4(d->addr, &d->in, &d->port) == 0)
		return attach_shared(d, ep, err, errlen);

	snprintf(spec, sizeof(spec), "%s:%s",
	    d->addr[0] == '[' ? "udp6" : "udp", d->addr);
	d->transport = netsnmp_transport_open_server("snmp", spec);
	if (d->transport == NULL)
		return errf(err, errlen, "%s: cannot listen: %s", d->addr,
		    strerror(errno));
	snmp_sess_init(&sess);
	sess.peername = SNMP_DEFAULT_PEERNAME;
	sess.version = SNMP_DEFAULT_VERSION;
	sess.community_len = SNMP_DEFAULT_COMMUNITY_LEN;
	sess.callback = on_request;
	sess.callback_magic = d;
	sess.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	d->sessp = snmp_sess_add(&sess, d->transport, NULL, NULL);
	if (d->sessp == NULL) {
		d->transport = NULL;	/* freed by snmp_sess_add */
		return errf(err, errlen, "%s: snmp_sess_add failed", d->addr);
	}
	d->fd = d->transport->sock;
	fl = fcntl(d->fd, F_GETFL);
	if (fl != -1)
		fcntl(d->fd, F_SETFL, fl | O_NONBLOCK);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = d;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, d->fd, &ev) == -1)
		return errf(err, errlen, "epoll_ctl: %s", strerror(errno));
	if (opt.loop_at_len > 0 && d->ds != NULL) {
		size_t i = lower_bound(d->ds, opt.loop_at, opt.loop_at_len, 0);

		d->loop_idx = i < d->ds->nent ? (ssize_t)i : -1;
	}
	return 0;
}

/* Writes text to path atomically (a temporary file, then rename). */
static int
write_file(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[4096];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return errf(err, errlen, "%s: path too long", path);
	f = fopen(tmp, "we");
	if (f == NULL)
		return errf(err, errlen, "%s: %s", tmp, strerror(errno));
	fputs(text, f);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		unlink(tmp);
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	}
	return 0;
}

static int
write_ready(char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	size_t i;
	int rc;

	for (i = 0; i < ndevices; i++)
		strbuf_printf(&sb, "%s %s\n", devices[i].addr,
		    devices[i].ds->path);
	if (sb.oom || sb.truncated) {
		strbuf_free(&sb);
		return errf(err, errlen, "ready file: out of memory");
	}
	rc = write_file(opt.readyfile, strbuf_str(&sb), err, errlen);
	strbuf_free(&sb);
	return rc;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One line of counters; CPU is split into set-up and serving. */
static void
print_stats(void)
{
	double cpu = cpu_seconds() - cpu_at_start;

	fprintf(stderr, "snmpresp: %zu devices, %zu datasets; requests %lu, "
	    "responses %lu, varbinds %lu, bad community %lu, ignored %lu, "
	    "dropped %lu, errors %lu; cpu set-up %.3f s, serving %.3f s",
	    ndevices, ndatasets, st.requests, st.responses, st.varbinds,
	    st.bad_community, st.ignored, st.dropped, st.errors, cpu_at_start,
	    cpu);
	if (st.varbinds > 0)
		fprintf(stderr, " (%.3f us/varbind)",
		    cpu * 1e6 / (double)st.varbinds);
	if (nlisteners > 0) {
		unsigned long drops = 0;
		size_t i;

		for (i = 0; i < nlisteners; i++)
			drops += socket_drops(listeners[i]->fd);
		fprintf(stderr, "; shared sockets %zu, to no device %lu, "
		    "dropped by the kernel %lu", nlisteners, st.stray, drops);
	}
	fprintf(stderr, "\n");
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: snmpresp --listen ADDR:PORT=FILE.snmprec [--listen ...]\n"
	    "       snmpresp --dir DIR --base IPV4 --port PORT\n"
	    "   [--community-file FILE] (default community: public)\n"
	    "   [--pidfile FILE] [--ready-file FILE] [--max-size BYTES]\n"
	    "   [--loop-at OID] [--toobig-above N] [--drop-every N]"
	    " [--delay-ms N] [--get-extra N]\n"
	    "   [--request-log FILE] [--forge-from-next]"
	    " [--error-at OID=STATUS]\n"
	    "   [--answer-first N] [--shared-socket]\n");
}

static int
set_long(const char *name, const char *s, long min, long max, long *out)
{
	if (parse_long(s, min, max, out) == -1) {
		fprintf(stderr, "snmpresp: %s: bad value '%s'\n", name, s);
		return -1;
	}
	return 0;
}

static void
raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
serve(int ep, int sfd)
{
	struct epoll_event evs[256];
	struct signalfd_siginfo si;
	netsnmp_large_fd_set fds;
	struct device *d;
	int64_t wait;
	int n, i, maxfd = sfd;
	size_t k;

	for (k = 0; k < ndevices; k++)
		if (devices[k].fd > maxfd)
			maxfd = devices[k].fd;
	netsnmp_large_fd_set_init(&fds, maxfd + 1);
	for (;;) {
		wait = -1;
		if (delayq != NULL) {
			wait = delayq->due_ms - mono_ms();
			if (wait < 0)
				wait = 0;
		}
		n = epoll_wait(ep, evs, (int)NELEM(evs), (int)wait);
		if (n == -1 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			d = evs[i].data.ptr;
			if (d != NULL) {
				NETSNMP_LARGE_FD_SET(d->fd, &fds);
				snmp_sess_read2(d->sessp, &fds);
				NETSNMP_LARGE_FD_CLR(d->fd, &fds);
				continue;
			}
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGUSR1) {
				print_stats();
				continue;
			}
			netsnmp_large_fd_set_cleanup(&fds);
			return 0;
		}
		flush_delayed(0);
	}
	netsnmp_large_fd_set_cleanup(&fds);
	return -1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'D' },
		{ "base", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "community-file", required_argument, NULL, 'c' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "loop-at", required_argument, NULL, 'L' },
		{ "toobig-above", required_argument, NULL, 't' },
		{ "drop-every", required_argument, NULL, 'x' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "get-extra", required_argument, NULL, 'g' },
		{ "request-log", required_argument, NULL, 'R' },
		{ "forge-from-next", no_argument, NULL, 'F' },
		{ "shared-socket", no_argument, NULL, 'S' },
		{ "error-at", required_argument, NULL, 'E' },
		{ "answer-first", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char err[ERRLEN], *eq, pid[32];
	const char *dir = NULL, *base = NULL, *commfile = NULL;
	static char *public_community[] = { "public" };
	uint32_t sub[MAX_OID_LEN];
	long port = -1;
	sigset_t mask;
	int c, k, ep = -1, sfd = -1, rc = 1;
	size_t i;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			eq = strchr(optarg, '=');
			if (eq == NULL) {
				fprintf(stderr, "snmpresp: --listen %s: "
				    "expected ADDR:PORT=FILE\n", optarg);
				return 2;
			}
			*eq = '\0';
			if (add_device(optarg, eq + 1, err, sizeof(err)) ==
			    -1) {
				fprintf(stderr, "snmpresp: %s\n", err);
				return 2;
			}
			break;
		case 'D': dir = optarg; break;
		case 'b': base = optarg; break;
		case 'p':
			if (set_long("--port", optarg, 0, 65535, &port) == -1)
				return 2;
			break;
		case 'c': commfile = optarg; break;
		case 'P': opt.pidfile = optarg; break;
		case 'r': opt.readyfile = optarg; break;
		case 'm':
			if (set_long("--max-size", optarg, 484, 65507,
			    &opt.max_size) == -1)
				return 2;
			break;
		case 'L':
			k = parse_oid_text(optarg, optarg + strlen(optarg), sub,
			    MAX_OID_LEN);
			if (k < 0) {
				fprintf(stderr,
				    "snmpresp: --loop-at: bad OID\n");
				return 2;
			}
			for (i = 0; i < (size_t)k; i++)
				opt.loop_at[i] = sub[i];
			opt.loop_at_len = (size_t)k;
			break;
		case 't':
			if (set_long("--toobig-above", optarg, 0, 1L << 30,
			    &opt.toobig_above) == -1)
				return 2;
			break;
		case 'x':
			if (set_long("--drop-every", optarg, 1, 1L << 30,
			    &opt.drop_every) == -1)
				return 2;
			break;
		case 'd':
			if (set_long("--delay-ms", optarg, 0, 600000,
			    &opt.delay_ms) == -1)
				return 2;
			break;
		case 'g':
			if (set_long("--get-extra", optarg, 0,
			    MAX_VARBINDS - 64, &opt.get_extra) == -1)
				return 2;
			break;
		case 'F':
			opt.forge_next = 1;
			break;
		case 'S':
			opt.shared = 1;
			break;
		case 'E':
			eq = strchr(optarg, '=');
			k = eq == NULL ? -1 : parse_oid_text(optarg, eq, sub,
			    MAX_OID_LEN);
			if (k <= 0 || set_long("--error-at", eq + 1, 1, 18,
			    &opt.error_status) == -1) {
				fprintf(stderr, "snmpresp: --error-at %s: "
				    "expected OID=STATUS (1-18)\n", optarg);
				return 2;
			}
			for (i = 0; i < (size_t)k; i++)
				opt.error_at[i] = sub[i];
			opt.error_at_len = (size_t)k;
			break;
		case 'A':
			if (set_long("--answer-first", optarg, 0, 1L << 30,
			    &opt.answer_first) == -1)
				return 2;
			break;
		case 'R':
			opt.reqlog = fopen(optarg, "ae");
			if (opt.reqlog == NULL) {
				fprintf(stderr, "snmpresp: %s: %s\n", optarg,
				    strerror(errno));
				return 2;
			}
			setvbuf(opt.reqlog, NULL, _IOLBF, 0);
			break;
		default:
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || (dir != NULL) != (base != NULL) ||
	    (dir != NULL) != (port != -1) || (dir == NULL && ndevices == 0)) {
		usage();
		return 2;
	}
	if (dir != NULL && add_dir(dir, base, port, err, sizeof(err)) == -1) {
		fprintf(stderr, "snmpresp: %s\n", err);
		return 2;
	}
	if (commfile != NULL) {
		if (read_communities(commfile, err, sizeof(err)) == -1) {
			fprintf(stderr, "snmpresp: %s\n", err);
			return 2;
		}
	} else {
		opt.communities = public_community;
		opt.ncommunities = 1;
	}

	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_snmp("snmpresp");
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_REVERSE_ENCODE, 1);
	pktcap = 65536;
	pktbuf = malloc(pktcap);
	if (pktbuf == NULL) {
		fprintf(stderr, "snmpresp: out of memory\n");
		goto done;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd == -1 || ep == -1) {
		fprintf(stderr, "snmpresp: %s\n", strerror(errno));
		goto done;
	}
	{
		struct epoll_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = NULL;
		epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	}
	raise_nofile(ndevices);
	for (i = 0; i < ndevices; i++)
		if (open_device(&devices[i], ep, err, sizeof(err)) == -1 ||
		    own_port(&devices[i], err, sizeof(err)) == -1 ||
		    (i == 0 && devices[0].addr[0] != '[' &&
		    (port == 0 || port0(devices[0].addr)) &&
		    take_port(err, sizeof(err)) == -1)) {
			fprintf(stderr, "snmpresp: %s\n", err);
			goto done;
		}
	if (opt.shared && build_shidx(err, sizeof(err)) == -1) {
		fprintf(stderr, "snmpresp: %s\n", err);
		goto done;
	}
	if (opt.pidfile != NULL) {
		snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (write_file(opt.pidfile, pid, err, sizeof(err)) == -1) {
			fprintf(stderr, "snmpresp: %s\n", err);
			goto done;
		}
	}
	if (opt.readyfile != NULL && write_ready(err, sizeof(err)) == -1) {
		fprintf(stderr, "snmpresp: %s\n", err);
		goto done;
	}
	cpu_at_start = cpu_seconds();
	rc = serve(ep, sfd) == 0 ? 0 : 1;
	print_stats();
done:
	flush_delayed(1);
	for (i = 0; i < ndevices; i++)
		if (devices[i].sessp != NULL && devices[i].lsn < 0)
			snmp_sess_close(devices[i].sessp);
	for (i = 0; i < nlisteners; i++) {
		if (listeners[i]->sessp != NULL)
			snmp_sess_close(listeners[i]->sessp);
		free(listeners[i]);
	}
	free(listeners);
	free(shidx);
	free(devices);
	for (i = 0; i < ndatasets; i++)
		ds_free(datasets[i]);
	free(datasets);
	if (by_inode.cap > 0)
		free(by_inode.slot);
	if (by_bytes.cap > 0)
		free(by_bytes.slot);
	free(pool);
	free(pktbuf);
	if (commfile != NULL) {
		for (i = 0; i < opt.ncommunities; i++)
			secret_free(opt.communities[i]);
		free(opt.communities);
	}
	if (opt.readyfile != NULL)
		unlink(opt.readyfile);
	if (opt.pidfile != NULL)
		unlink(opt.pidfile);
	if (ep != -1)
		close(ep);
	if (sfd != -1)
		close(sfd);
	snmp_shutdown("snmpresp");
	return rc;
}
