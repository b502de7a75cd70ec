/*
 * fakeagent: a hostile FusionInventory agent for tests.  It speaks just
 * enough HTTP/1.1 on 127.0.0.1 (or ::1) to run the pull protocol -- it
 * hands out nonces on <prefix>/session and checks X-Auth-Payload on
 * <prefix>/get exactly as the agent does -- and misbehaves according to
 * the first path segment (the collector treats a URL path as the plugin's
 * url_path, so one server plays every role):
 *
 *   /xml-NAME     serve DATA/NAME.xml (a good, malformed or bomb inventory)
 *   /zlib-NAME    the same, zlib-compressed, when Accept asks for it
 *   /gzip-NAME    the same, gzip-compressed
 *   /slow         trickle one body byte every 200 ms, forever
 *   /slowhead     trickle the status line and headers
 *   /hang         read the request, never answer
 *   /big          Content-Length: 1 GiB, then stream
 *   /bignocl      no Content-Length, stream until the client gives up
 *   /zbomb        zlib body inflating to 256 MiB
 *   /s400 /s429   that status on the session request
 *   /s401         401 with WWW-Authenticate on the session request
 *   /s302         a redirect (to a closed port) on the session request
 *   /s403 /s500   that status on the get request
 *   /garbage      a status line that is not HTTP
 *   /hugeheader   one 1 MiB header line on the session answer
 *   /manyheaders  20000 header lines on the session answer
 *   /nononce      a session answer without X-Auth-Nonce
 *   /badnonce     a nonce with characters no agent sends
 *   /close        close the connection without answering
 *   /truncated    Content-Length 100000, 100 bytes, close
 *   /zcorrupt     a "compressed" inventory that is no zlib stream
 *   /ztrunc       the first half of a compressed inventory, complete as
 *                 HTTP (its Content-Length is what is sent)
 *
 * usage: fakeagent --token-file F --data DIR --port-file F [--v6]
 * Runs until killed.  The token is read from a file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

#include "util.h"

#define MAXCONN		256
#define INMAX		16384
#define NONCES		512

enum after { AFTER_CLOSE, AFTER_TRICKLE, AFTER_STREAM, AFTER_HANG };

struct conn {
	int		 fd;
	char		 in[INMAX];
	size_t		 inlen;
	int		 answered;
	char		*out;
	size_t		 outlen;
	size_t		 outoff;
	size_t		 trickle;	/* bytes per tick */
	enum after	 after;
	int64_t		 next_ms;
};

static struct conn conns[MAXCONN];
static char token[256];
static const char *datadir;
static unsigned char *zbomb;
static size_t zbomb_len;
static struct {
	char	 id[128];
	char	 nonce[32];
} nonces[NONCES];
static size_t nonce_next;

static void
die(const char *msg)
{
	fprintf(stderr, "fakeagent: %s: %s\n", msg, strerror(errno));
	exit(1);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
		rewind(f);
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* The agent's check: base64(SHA-256(nonce "++" token)), unpadded. */
static void
payload(const char *nonce, char *out)
{
	unsigned char md[32], b64[64];
	unsigned int mdlen = 0;
	char buf[512];
	int n;

	snprintf(buf, sizeof(buf), "%s++%s", nonce, token);
	EVP_Digest(buf, strlen(buf), md, &mdlen, EVP_sha256(), NULL);
	n = EVP_EncodeBlock(b64, md, (int)mdlen);
	while (n > 0 && b64[n - 1] == '=')
		n--;
	memcpy(out, b64, (size_t)n);
	out[n] = '\0';
}

static void
new_nonce(const char *id, char *out)
{
	unsigned char r[20], b64[40];
	int n;

	RAND_bytes(r, sizeof(r));
	n = EVP_EncodeBlock(b64, r, sizeof(r));
	while (n > 0 && b64[n - 1] == '=')
		n--;
	memcpy(out, b64, (size_t)n);
	out[n] = '\0';
	str_copy(nonces[nonce_next].id, id, sizeof(nonces[0].id));
	str_copy(nonces[nonce_next].nonce, out, sizeof(nonces[0].nonce));
	nonce_next = (nonce_next + 1) % NONCES;
}

/* Sessions are one-shot, as in the agent. */
static int
take_nonce(const char *id, char *out)
{
	size_t i;

	for (i = 0; i < NONCES; i++) {
		if (nonces[i].id[0] != '\0' && strcmp(nonces[i].id, id) == 0) {
			str_copy(out, nonces[i].nonce, 32);
			nonces[i].id[0] = '\0';
			return 0;
		}
	}
	return -1;
}

/* A request header's value (case-insensitive name), or "". */
static void
header(const char *req, const char *name, char *out, size_t outlen)
{
	const char *p = req;
	size_t n = strlen(name);

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			if (e == NULL || (size_t)(e - v) >= outlen)
				return;
			memcpy(out, v, (size_t)(e - v));
			out[e - v] = '\0';
			return;
		}
	}
}

static void
respond(struct conn *c, int code, const char *extra, const char *ctype,
    const char *body, size_t blen)
{
	struct strbuf sb = STRBUF_INIT((size_t)1 << 30);

	strbuf_printf(&sb, "HTTP/1.1 %d X\r\nConnection: close\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", code,
	    ctype, blen, extra != NULL ? extra : "");
	strbuf_add(&sb, body, blen);
	c->out = sb.s;
	c->outlen = sb.len;
	c->outoff = 0;
	c->after = AFTER_CLOSE;
}

static void
respond_raw(struct conn *c, char *buf, size_t len, enum after after)
{
	c->out = buf;
	c->outlen = len;
	c->outoff = 0;
	c->after = after;
}

static int
compress_buf(const char *in, size_t n, int gzip, char **out, size_t *outlen)
{
	z_stream z;
	uLong bound;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, gzip ? 15 + 16 : 15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)n);
	*out = malloc(bound);
	if (*out == NULL)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)*out;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	*outlen = bound - z.avail_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* 256 MiB of 'A' as one zlib stream, made once. */
static void
make_zbomb(void)
{
	static char chunk[1 << 16];
	size_t i, cap = 1 << 20;
	z_stream z;

	memset(chunk, 'A', sizeof(chunk));
	memset(&z, 0, sizeof(z));
	zbomb = malloc(cap);
	if (zbomb == NULL || deflateInit(&z, 6) != Z_OK)
		die("zbomb");
	z.next_out = zbomb;
	z.avail_out = (uInt)cap;
	for (i = 0; i < 4096; i++) {
		z.next_in = (Bytef *)chunk;
		z.avail_in = sizeof(chunk);
		if (deflate(&z, i == 4095 ? Z_FINISH : Z_NO_FLUSH) ==
		    Z_STREAM_ERROR || z.avail_out == 0)
			die("zbomb deflate");
	}
	zbomb_len = cap - z.avail_out;
	deflateEnd(&z);
}

static void
serve_session(struct conn *c, const char *mode, const char *id)
{
	char nonce[32], extra[256];
	struct strbuf sb = STRBUF_INIT((size_t)64 << 20);
	size_t i;

	if (strcmp(mode, "s400") == 0) {
		respond(c, 400, NULL, "text/html", "bad", 3);
		return;
	}
	if (strcmp(mode, "s429") == 0) {
		respond(c, 429, NULL, "text/html", "slow down", 9);
		return;
	}
	if (strcmp(mode, "s401") == 0) {
		respond(c, 401, "WWW-Authenticate: Basic realm=\"agent\"\r\n",
		    "text/html", "auth", 4);
		return;
	}
	if (strcmp(mode, "s302") == 0) {
		respond(c, 302, "Location: http://127.0.0.1:1/\r\n",
		    "text/html", "moved", 5);
		return;
	}
	if (strcmp(mode, "nononce") == 0) {
		respond(c, 200, NULL, "Plain/Text", "waiting", 7);
		return;
	}
	if (strcmp(mode, "badnonce") == 0) {
		respond(c, 200, "X-Auth-Nonce: <script>\r\n", "Plain/Text",
		    "waiting", 7);
		return;
	}
	if (strcmp(mode, "garbage") == 0) {
		strbuf_puts(&sb, "HELLO THERE, NOT HTTP AT ALL\r\n\r\n");
		respond_raw(c, sb.s, sb.len, AFTER_CLOSE);
		return;
	}
	if (strcmp(mode, "hugeheader") == 0 ||
	    strcmp(mode, "manyheaders") == 0) {
		strbuf_puts(&sb, "HTTP/1.1 200 OK\r\nConnection: close\r\n");
		if (mode[0] == 'h') {
			strbuf_puts(&sb, "X-Huge: ");
			for (i = 0; i < (1u << 20); i++)
				strbuf_add(&sb, "x", 1);
			strbuf_puts(&sb, "\r\n");
		} else {
			for (i = 0; i < 20000; i++)
				strbuf_printf(&sb, "X-Junk-%zu: %s\r\n", i,
				    "abcdefghijklmnopqrstuvwxyz");
		}
		strbuf_puts(&sb, "Content-Length: 0\r\n\r\n");
		respond_raw(c, sb.s, sb.len, AFTER_CLOSE);
		return;
	}
	if (strcmp(mode, "slowhead") == 0) {
		strbuf_puts(&sb, "HTTP/1.1 200 OK\r\nX-Auth-Nonce: abc\r\n"
		    "X-Padding: ");
		for (i = 0; i < 100000; i++)
			strbuf_add(&sb, "p", 1);
		respond_raw(c, sb.s, sb.len, AFTER_CLOSE);
		c->trickle = 1;
		return;
	}
	new_nonce(id, nonce);
	snprintf(extra, sizeof(extra), "X-Auth-Nonce: %s\r\n", nonce);
	respond(c, 200, extra, "Plain/Text", "waiting inventory request...",
	    28);
}

static void
serve_get(struct conn *c, const char *mode, const char *id,
    const char *pay, const char *accept)
{
	struct strbuf sb = STRBUF_INIT((size_t)64 << 20);
	char nonce[32], want[64], path[512];
	char *xml = NULL, *z = NULL;
	size_t len = 0, zlen = 0, i;

	if (take_nonce(id, nonce) != 0) {
		respond(c, 403, NULL, "text/html", "No session available", 20);
		return;
	}
	payload(nonce, want);
	if (strcmp(pay, want) != 0 || strcmp(mode, "s403") == 0) {
		respond(c, 403, NULL, "text/html", "Forbidden", 9);
		return;
	}
	if (strcmp(mode, "s500") == 0) {
		respond(c, 500, NULL, "text/html", "Inventory failure", 17);
		return;
	}
	if (strncmp(mode, "xml-", 4) == 0 || strncmp(mode, "zlib-", 5) == 0 ||
	    strncmp(mode, "gzip-", 5) == 0) {
		snprintf(path, sizeof(path), "%s/%s.xml", datadir,
		    strchr(mode, '-') + 1);
		xml = slurp(path, &len);
		if (xml == NULL) {
			respond(c, 404, NULL, "text/html", "no fixture", 10);
			return;
		}
		if (mode[0] == 'x' || strstr(accept, "x-compress") == NULL) {
			respond(c, 200, NULL, "application/xml", xml, len);
		} else if (compress_buf(xml, len, mode[0] == 'g', &z, &zlen) ==
		    0) {
			respond(c, 200, NULL, mode[0] == 'g' ?
			    "application/x-compress-gzip" :
			    "application/x-compress-zlib", z, zlen);
		} else
			respond(c, 500, NULL, "text/html", "deflate", 7);
		free(xml);
		free(z);
		return;
	}
	if (strcmp(mode, "zbomb") == 0) {
		respond(c, 200, NULL, "application/x-compress-zlib",
		    (const char *)zbomb, zbomb_len);
		return;
	}
	if (strcmp(mode, "slow") == 0) {
		strbuf_puts(&sb, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/xml\r\nContent-Length: 100000\r\n\r\n"
		    "<REQUEST><CONTENT>");
		respond_raw(c, sb.s, sb.len, AFTER_TRICKLE);
		return;
	}
	if (strcmp(mode, "hang") == 0) {
		c->after = AFTER_HANG;
		c->out = NULL;
		c->outlen = 0;
		return;
	}
	if (strcmp(mode, "big") == 0 || strcmp(mode, "bignocl") == 0) {
		strbuf_printf(&sb, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
		    "Content-Type: application/xml\r\n%s\r\n<REQUEST>",
		    mode[3] == '\0' ? "Content-Length: 1073741824\r\n" : "");
		respond_raw(c, sb.s, sb.len, AFTER_STREAM);
		return;
	}
	if (strcmp(mode, "zcorrupt") == 0) {
		respond(c, 200, NULL, "application/x-compress-zlib",
		    "\x78\x9c\xff\xff\xff\xff garbage, not deflate", 27);
		return;
	}
	if (strcmp(mode, "ztrunc") == 0) {
		snprintf(path, sizeof(path), "%s/debian12.xml", datadir);
		xml = slurp(path, &len);
		if (xml == NULL || compress_buf(xml, len, 0, &z, &zlen) != 0)
			respond(c, 500, NULL, "text/html", "deflate", 7);
		else
			respond(c, 200, NULL, "application/x-compress-zlib",
			    z, zlen / 2);
		free(xml);
		free(z);
		return;
	}
	if (strcmp(mode, "truncated") == 0) {
		strbuf_puts(&sb, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/xml\r\nContent-Length: 100000\r\n\r\n");
		for (i = 0; i < 100; i++)
			strbuf_add(&sb, "<", 1);
		respond_raw(c, sb.s, sb.len, AFTER_CLOSE);
		return;
	}
	respond(c, 404, NULL, "text/html", "unknown mode", 12);
}

/* A complete request is in c->in: decide the answer. */
static void
serve(struct conn *c)
{
	char method[16], target[512], mode[128], id[128], pay[128];
	char accept[256];
	const char *step;
	char *slash;

	c->answered = 1;
	if (sscanf(c->in, "%15s %511s", method, target) != 2 ||
	    target[0] != '/') {
		respond(c, 400, NULL, "text/html", "bad", 3);
		return;
	}
	str_copy(mode, target + 1, sizeof(mode));
	slash = strchr(mode, '/');
	if (slash == NULL) {
		respond(c, 400, NULL, "text/html", "bad", 3);
		return;
	}
	*slash = '\0';
	step = target + 1 + (slash - mode) + 1;
	if (strcmp(mode, "close") == 0) {
		c->out = NULL;
		c->after = AFTER_CLOSE;
		return;
	}
	header(c->in, "X-Request-ID", id, sizeof(id));
	header(c->in, "X-Auth-Payload", pay, sizeof(pay));
	header(c->in, "Accept", accept, sizeof(accept));
	if (id[0] == '\0') {
		respond(c, 403, NULL, "text/html", "No session available", 20);
		return;
	}
	if (strcmp(step, "session") == 0)
		serve_session(c, mode, id);
	else if (strcmp(step, "get") == 0)
		serve_get(c, mode, id, pay, accept);
	else
		respond(c, 400, NULL, "text/html", "bad", 3);
}

static void
conn_close(struct conn *c)
{
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Writes what the connection owes; 0 to keep it, -1 to close it. */
static int
conn_write(struct conn *c, int64_t now)
{
	static char stream[65536];
	size_t n;
	ssize_t w;

	if (c->out != NULL && c->outoff < c->outlen) {
		if (c->trickle > 0 && now < c->next_ms)
			return 0;
		n = c->outlen - c->outoff;
		if (c->trickle > 0 && n > c->trickle)
			n = c->trickle;
		w = send(c->fd, c->out + c->outoff, n, MSG_NOSIGNAL);
		if (w < 0)
			return errno == EAGAIN ? 0 : -1;
		c->outoff += (size_t)w;
		c->next_ms = now + 200;
		return 0;
	}
	switch (c->after) {
	case AFTER_CLOSE:
		return -1;
	case AFTER_HANG:
		return 0;
	case AFTER_TRICKLE:
		if (now < c->next_ms)
			return 0;
		c->next_ms = now + 200;
		w = send(c->fd, "a", 1, MSG_NOSIGNAL);
		return w < 0 && errno != EAGAIN ? -1 : 0;
	case AFTER_STREAM:
		memset(stream, 'a', sizeof(stream));
		w = send(c->fd, stream, sizeof(stream), MSG_NOSIGNAL);
		return w < 0 && errno != EAGAIN ? -1 : 0;
	}
	return -1;
}

static int
listen_on(int v6, unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 64) != 0)
		die("bind");
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		die("getsockname");
	*port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "token-file", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "v6", no_argument, NULL, '6' },
		{ NULL, 0, NULL, 0 }
	};
	struct pollfd pfd[MAXCONN + 1];
	const char *tokfile = NULL, *portfile = NULL;
	unsigned port;
	int ch, v6 = 0, lfd, i, n;
	size_t len;
	char *tok;
	FILE *f;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			tokfile = optarg;
			break;
		case 'd':
			datadir = optarg;
			break;
		case 'p':
			portfile = optarg;
			break;
		case '6':
			v6 = 1;
			break;
		default:
			return 2;
		}
	}
	if (tokfile == NULL || datadir == NULL || portfile == NULL) {
		fprintf(stderr, "usage: fakeagent --token-file F --data DIR "
		    "--port-file F [--v6]\n");
		return 2;
	}
	tok = slurp(tokfile, &len);
	if (tok == NULL)
		die(tokfile);
	tok[len] = '\0';
	str_copy(token, str_trim(tok), sizeof(token));
	free(tok);
	signal(SIGPIPE, SIG_IGN);
	make_zbomb();
	for (i = 0; i < MAXCONN; i++)
		conns[i].fd = -1;
	lfd = listen_on(v6, &port);
	f = fopen(portfile, "w");
	if (f == NULL)
		die(portfile);
	fprintf(f, "%u\n", port);
	fclose(f);

	for (;;) {
		int64_t now = mono_ms();

		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];

			pfd[i + 1].fd = c->fd;
			pfd[i + 1].events = 0;
			if (c->fd < 0)
				continue;
			if (!c->answered)
				pfd[i + 1].events = POLLIN;
			else if ((c->out != NULL && c->outoff < c->outlen &&
			    c->trickle == 0) || c->after == AFTER_STREAM)
				pfd[i + 1].events = POLLOUT;
			else
				pfd[i + 1].events = POLLIN;	/* see EOF */
		}
		n = poll(pfd, MAXCONN + 1, 50);
		if (n < 0 && errno != EINTR)
			die("poll");
		now = mono_ms();
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

			for (i = 0; fd >= 0 && i < MAXCONN; i++) {
				if (conns[i].fd < 0) {
					conns[i].fd = fd;
					break;
				}
			}
			if (fd >= 0 && i == MAXCONN)
				close(fd);
		}
		for (i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];
			short re = pfd[i + 1].revents;

			if (c->fd < 0)
				continue;
			if (!c->answered && (re & (POLLIN | POLLHUP))) {
				ssize_t r = recv(c->fd, c->in + c->inlen,
				    INMAX - 1 - c->inlen, 0);

				if (r <= 0) {
					conn_close(c);
					continue;
				}
				c->inlen += (size_t)r;
				c->in[c->inlen] = '\0';
				if (strstr(c->in, "\r\n\r\n") != NULL)
					serve(c);
				else if (c->inlen >= INMAX - 1) {
					conn_close(c);
					continue;
				}
			} else if (c->answered && (re & (POLLIN | POLLHUP |
			    POLLERR))) {
				char junk[4096];

				if (recv(c->fd, junk, sizeof(junk), 0) <= 0) {
					conn_close(c);
					continue;
				}
			}
			if (c->answered && conn_write(c, now) != 0)
				conn_close(c);
		}
	}
}
