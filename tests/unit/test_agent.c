/*
 * Unit tests for the agent collector's pieces that need no network: the
 * X-Auth-Payload (checked against Perl's Digest::SHA b64digest, which the
 * agent uses), URLs, the bounded receiving of an answer (headers, caps,
 * zlib and gzip, decompression bombs) and the collector's bookkeeping on
 * targets it cannot pull.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "agent.h"
#include "collector.h"
#include "util.h"

static void
test_payload_matches_perl(void **state)
{
	/*
	 * perl -MDigest::SHA=sha256_base64 \
	 *     -e 'print sha256_base64("<nonce>++<token>")'
	 */
	static const char *const cases[][3] = {
		{ "6nB55LKTuw3RFPPUAqRw7TYjFf8", "s3cr3t-t0ken",
		  "hsbYz7FAXQCW+pmpLtLjAfCVI/LBhUq5EJ1p21eSK6w" },
		{ "abc", "", "0qj7qw2yCt7lfRDyUmDjMJ8QjisZitgO5gX91+GT8q0" },
		{ "n", "t", "s2q3Qw+RWcSosdcrY5yuVps7Or5FZRsPko2T7i9vMF8" },
	};
	char out[AGENT_PAYLOAD_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		assert_int_equal(agent_auth_payload(cases[i][0], cases[i][1],
		    out, sizeof(out)), 0);
		/* Unpadded: a trailing '=' makes the agent answer 403. */
		assert_int_equal(strlen(out), 43);
		assert_string_equal(out, cases[i][2]);
	}
	assert_int_equal(agent_auth_payload("n", "t", out, 43), -1);
	assert_int_equal(agent_auth_payload(NULL, "t", out, sizeof(out)), -1);
}

static void
test_urls(void **state)
{
	static const char *const good[][2] = {
		{ "http://10.1.2.3:62354", "http://10.1.2.3:62354/inventory" },
		{ "https://10.1.2.3:62354/",
		  "https://10.1.2.3:62354/inventory" },
		{ "http://[::1]:62354", "http://[::1]:62354/inventory" },
		{ "https://h.example/custom/", "https://h.example/custom" },
	};
	static const char *const bad[][2] = {
		{ "ftp://10.1.2.3/", "http:// or https://" },
		{ "file:///etc/passwd", "http:// or https://" },
		{ "http://user:secret@10.1.2.3:1/", "credentials" },
		{ "http://10.1.2.3/?x=1", "query" },
		{ "not a url", "not a URL" },
	};
	char err[ERRLEN], want[128], *s, *g;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		assert_int_equal(agent_urls(good[i][0], &s, &g, err,
		    sizeof(err)), 0);
		snprintf(want, sizeof(want), "%s/session", good[i][1]);
		assert_string_equal(s, want);
		snprintf(want, sizeof(want), "%s/get", good[i][1]);
		assert_string_equal(g, want);
		free(s);
		free(g);
	}
	for (i = 0; i < NELEM(bad); i++) {
		assert_int_equal(agent_urls(bad[i][0], &s, &g, err,
		    sizeof(err)), -1);
		assert_null(s);
		assert_null(g);
		assert_non_null(strstr(err, bad[i][1]));
		assert_null(strstr(err, "secret"));
	}
}

static size_t
hdr(struct agent_resp *r, const char *line)
{
	char buf[512];

	str_copy(buf, line, sizeof(buf));
	return agent_resp_header(buf, 1, strlen(buf), r);
}

static void
test_headers(void **state)
{
	struct agent_resp r;

	(void)state;
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1000, 1);
	assert_int_equal(hdr(&r, "HTTP/1.1 200 OK\r\n"), 17);
	/* Case-insensitive name, blanks and CR/LF trimmed. */
	hdr(&r, "x-auth-NONCE:   6nB55LKTuw3RFPPUAqRw7TYjFf8 \r\n");
	assert_string_equal(r.nonce, "6nB55LKTuw3RFPPUAqRw7TYjFf8");
	assert_int_equal(r.nonce_bad, 0);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_string_equal(r.ctype, "application/x-compress-zlib");
	/* A later answer (after a 1xx) starts afresh. */
	hdr(&r, "HTTP/1.1 200 OK\r\n");
	assert_string_equal(r.nonce, "");
	hdr(&r, "X-Auth-Nonce: <script>alert(1)</script>\r\n");
	assert_int_equal(r.nonce_bad, 1);
	agent_resp_free(&r);

	/* Headers beyond AGENT_HEADER_CAP are refused. */
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1000, 1);
	while (r.fault == AGENT_FAULT_NONE)
		if (hdr(&r, "X-Junk: abcdefghijklmnopqrstuvwxyz\r\n") == 0)
			break;
	assert_int_equal(r.fault, AGENT_FAULT_HEADERS_TOO_LARGE);
	assert_true(r.hdr_bytes <= AGENT_HEADER_CAP);
	agent_resp_free(&r);
}

static size_t
feed(struct agent_resp *r, const void *data, size_t n)
{
	char *copy = malloc(n ? n : 1);
	size_t rc;

	assert_non_null(copy);
	memcpy(copy, data, n);
	rc = agent_resp_write(copy, 1, n, r);
	free(copy);
	return rc;
}

static void
test_body_cap_without_length(void **state)
{
	struct agent_resp r;
	char chunk[1000];
	size_t fed = 0;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 4500, 1);
	hdr(&r, "Content-Type: application/xml\r\n");
	/* Four chunks fit, the fifth crosses the cap and is refused. */
	while (feed(&r, chunk, sizeof(chunk)) == sizeof(chunk))
		fed += sizeof(chunk);
	assert_int_equal(fed, 4000);
	assert_int_equal(r.fault, AGENT_FAULT_TOO_LARGE);
	assert_int_equal(r.len, 4000);
	assert_int_equal(r.compressed, 0);
	agent_resp_free(&r);
}

static unsigned char *
deflated(const char *fill, size_t n, int gzip, size_t *outlen)
{
	z_stream z;
	unsigned char *out;
	char *in = malloc(n);
	uLong bound;

	assert_non_null(in);
	memset(in, fill[0], n);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, gzip ? 31 : 15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	bound = deflateBound(&z, n);
	out = malloc(bound);
	assert_non_null(out);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = bound - z.avail_out;
	deflateEnd(&z);
	free(in);
	return out;
}

static void
test_inflate(void **state)
{
	struct agent_resp r;
	unsigned char *z;
	size_t zlen, i;

	(void)state;
	/* gzip, fed one byte at a time. */
	z = deflated("x", 10000, 1, &zlen);
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 20000, 1);
	hdr(&r, "Content-Type: application/x-compress-gzip\r\n");
	for (i = 0; i < zlen; i++)
		assert_int_equal(feed(&r, z + i, 1), 1);
	assert_int_equal(r.zend, 1);
	assert_int_equal(r.len, 10000);
	assert_int_equal(r.body[9999], 'x');
	free(z);
	agent_resp_free(&r);

	/* A zlib bomb: 16 MiB from a few KiB, stopped at the cap. */
	z = deflated("A", 16u << 20, 0, &zlen);
	assert_true(zlen < 64u << 10);
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1u << 20, 1);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_int_equal(feed(&r, z, zlen), 0);
	assert_int_equal(r.fault, AGENT_FAULT_INFLATED_TOO_LARGE);
	assert_true(r.size <= 1u << 20);
	agent_resp_free(&r);

	/* Compression is honoured only where asked for (the get). */
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1u << 20, 0);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_int_equal(feed(&r, z, zlen), zlen);
	assert_int_equal(r.compressed, 0);
	assert_int_equal(r.len, zlen);
	agent_resp_free(&r);

	/* Garbage labelled as zlib. */
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1u << 20, 1);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_int_equal(feed(&r, "<REQUEST>not zlib</REQUEST>", 27), 0);
	assert_int_equal(r.fault, AGENT_FAULT_CORRUPT);
	agent_resp_free(&r);
	free(z);
}

/*
 * What an agent's headers can hold that the agent never sends: a nonce
 * longer than any the agent makes (refused, not cut to fit and used),
 * an empty one, one of characters outside base64; blanks and tabs
 * around values; a Content-Type longer than its buffer (cut: it is only
 * compared); lines too short to be the headers they begin like.
 */
static void
test_headers_hostile(void **state)
{
	char line[AGENT_NONCE_MAX + 64];
	struct agent_resp r;
	size_t n;

	(void)state;
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1000, 1);
	/* The longest nonce taken, then one character more. */
	n = (size_t)snprintf(line, sizeof(line), "X-Auth-Nonce: ");
	memset(line + n, 'A', AGENT_NONCE_MAX);
	str_copy(line + n + AGENT_NONCE_MAX, "\r\n", 3);
	hdr(&r, line);
	assert_int_equal(strlen(r.nonce), AGENT_NONCE_MAX);
	assert_int_equal(r.nonce_bad, 0);
	memset(line + n, 'A', AGENT_NONCE_MAX + 1);
	str_copy(line + n + AGENT_NONCE_MAX + 1, "\r\n", 3);
	hdr(&r, line);
	assert_int_equal(r.nonce_bad, 1);
	/* Empty. */
	hdr(&r, "X-Auth-Nonce: \t \r\n");
	assert_string_equal(r.nonce, "");
	assert_int_equal(r.nonce_bad, 1);
	/* Tabs around it; the characters base64 variants use. */
	hdr(&r, "X-Auth-Nonce:\tab+/_-09==\t\n");
	assert_string_equal(r.nonce, "ab+/_-09==");
	assert_int_equal(r.nonce_bad, 0);
	hdr(&r, "X-Auth-Nonce: abc def\r\n");
	assert_int_equal(r.nonce_bad, 1);
	/* Too short to be a nonce header, or a status line: ignored. */
	hdr(&r, "X-Auth-Nonce: goodnonce\r\n");
	hdr(&r, "X-Auth\r\n");
	hdr(&r, "HTTP\r\n");
	assert_string_equal(r.nonce, "goodnonce");
	/* A Content-Type longer than its buffer is cut. */
	n = (size_t)snprintf(line, sizeof(line), "Content-Type: ");
	memset(line + n, 'x', AGENT_CTYPE_MAX + 10);
	str_copy(line + n + AGENT_CTYPE_MAX + 10, "\r\n", 3);
	hdr(&r, line);
	assert_int_equal(strlen(r.ctype), AGENT_CTYPE_MAX);
	agent_resp_free(&r);
}

/* More agent_url values: a fragment, an empty query, the payload's
   arguments. */
static void
test_urls_more(void **state)
{
	static const char *const bad[] = {
		"http://10.1.2.3:62354/#frag",
		"http://10.1.2.3:62354/?",
		"https://h.example/inventory?x",
	};
	char err[ERRLEN], out[AGENT_PAYLOAD_LEN], *s, *g;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		s = g = (char *)1;
		if (agent_urls(bad[i], &s, &g, err, sizeof(err)) != -1)
			fail_msg("%s: taken", bad[i]);
		assert_null(s);
		assert_null(g);
		assert_string_equal(err, "agent_url must not have a query or "
		    "fragment");
	}
	/* Paths of slashes only are the default path. */
	assert_int_equal(agent_urls("http://10.1.2.3:62354///", &s, &g, err,
	    sizeof(err)), 0);
	assert_string_equal(s, "http://10.1.2.3:62354/inventory/session");
	free(s);
	free(g);
	assert_int_equal(agent_auth_payload("n", NULL, out, sizeof(out)), -1);
	assert_int_equal(agent_auth_payload("n", "t", out, 0), -1);
}

/*
 * A compressed answer followed by bytes after its stream's end: those are
 * ignored, the body is the stream's; an answer buffer reset after a
 * compressed answer starts a new stream.
 */
static void
test_inflate_trailing_and_reuse(void **state)
{
	struct agent_resp r;
	unsigned char *z;
	size_t zlen;

	(void)state;
	z = deflated("y", 3000, 0, &zlen);
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 20000, 1);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_int_equal(feed(&r, z, zlen), zlen);
	assert_int_equal(r.zend, 1);
	assert_int_equal(feed(&r, "TRAILING", 8), 8);
	assert_int_equal(r.len, 3000);
	assert_int_equal(r.fault, AGENT_FAULT_NONE);
	/* The next answer, compressed again. */
	agent_resp_reset(&r, 20000, 1);
	assert_int_equal(r.zinit, 0);
	assert_int_equal(r.len, 0);
	hdr(&r, "Content-Type: application/x-compress-zlib\r\n");
	assert_int_equal(feed(&r, z, zlen), zlen);
	assert_int_equal(r.len, 3000);
	assert_int_equal(r.body[2999], 'y');
	agent_resp_free(&r);
	free(z);
}

struct tally {
	size_t		 cover, done, obs;
	enum cov_status	 status[8];
	char		 detail[8][160];
	char		 probe[8][16];
};

static int
t_observe(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	struct tally *y = arg;

	(void)t;
	(void)ch;
	(void)o;
	y->obs++;
	return 0;
}

static int
t_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct tally *y = arg;

	(void)t;
	assert_int_equal(cv->channel, CHAN_AGENT);
	if (y->cover < 8) {
		y->status[y->cover] = cv->status;
		str_copy(y->detail[y->cover], cv->detail, 160);
		str_copy(y->probe[y->cover], cv->probe, 16);
	}
	y->cover++;
	return 0;
}

static void
t_done(void *arg, size_t t)
{
	struct tally *y = arg;

	(void)t;
	y->done++;
}

/*
 * Which targets the agent collector takes: none at all (nothing to do),
 * a target whose probes leave out the inventory (not asked, never done),
 * concurrency 0 (one at a time) and max_value 0 (the inventory limits'
 * default); closing nothing is allowed.
 */
static void
test_open_options(void **state)
{
	struct target tv[2];
	struct target_list tl;
	struct tally y;
	struct collect_sink sink = { &y, t_observe, t_cover, t_done, NULL };
	struct collect_opts o;
	struct collect_stats cs;
	unsigned probes[2];
	char err[ERRLEN], url[] = "http://127.0.0.1:9";
	void *ctx = NULL;
	int left;

	(void)state;
	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(&y, 0, sizeof(y));
	collect_opts_default(&o);
	o.concurrency = 0;
	o.max_value = 0;
	tl.v = tv;
	/* No targets. */
	assert_int_equal(agent_collector.open(&ctx, &o, &tl, NULL, &sink,
	    err, sizeof(err)), 0);
	assert_int_equal(agent_collector.poll(ctx, 0, err, sizeof(err)), 0);
	agent_collector.close(ctx);
	agent_collector.close(NULL);
	/* Two agent targets, the second's probes without the inventory;
	   the first has no profile (an error of its own, at once). */
	tl.n = 2;
	tv[0].agent_url = tv[1].agent_url = url;
	probes[0] = PROBE_BIT(PROBE_INVENTORY);
	probes[1] = PROBE_BIT(PROBE_SYSTEM);
	o.target_probes = probes;
	assert_int_equal(agent_collector.open(&ctx, &o, &tl, NULL, &sink,
	    err, sizeof(err)), 0);
	do {
		left = agent_collector.poll(ctx, 100, err, sizeof(err));
	} while (left > 0);
	if (agent_collector.stats != NULL) {
		agent_collector.stats(ctx, &cs);
		assert_int_equal(cs.active, 0);
	}
	agent_collector.close(ctx);
	assert_int_equal(left, 0);
	assert_int_equal(y.done, 1);
	assert_int_equal(y.cover, 2);
	assert_non_null(strstr(y.detail[0], "without an agent_profile"));
}


static void
test_targets_without_pull(void **state)
{
	struct target tv[5];
	struct target_list tl;
	struct cred_profile pv[2];
	struct cred_set creds;
	struct tally y;
	struct collect_sink sink = { &y, t_observe, t_cover, t_done, NULL };
	struct collect_opts o;
	char err[ERRLEN], url[] = "http://127.0.0.1:9", nosuch[] = "nosuch";
	char snmp[] = "snmp", notoken[] = "notoken";
	void *ctx = NULL;
	int left;

	(void)state;
	memset(tv, 0, sizeof(tv));
	memset(pv, 0, sizeof(pv));
	memset(&tl, 0, sizeof(tl));
	memset(&creds, 0, sizeof(creds));
	memset(&y, 0, sizeof(y));
	tl.v = tv;
	tl.n = NELEM(tv);
	creds.v = pv;
	creds.n = NELEM(pv);
	pv[0].name = snmp;
	pv[0].type = CRED_SNMP;
	pv[1].name = notoken;
	pv[1].type = CRED_AGENT;
	collect_opts_default(&o);
	/*
	 * 0: no agent_url (not ours); 1: no profile; 2: unknown profile;
	 * 3: an SNMP profile; 4: an agent profile without a token.
	 */
	tv[1].agent_url = tv[2].agent_url = tv[3].agent_url = url;
	tv[4].agent_url = url;
	tv[2].agent_profile = nosuch;
	tv[3].agent_profile = snmp;
	tv[4].agent_profile = notoken;
	assert_int_equal(agent_collector.open(&ctx, &o, &tl, &creds, &sink,
	    err, sizeof(err)), 0);
	do {
		left = agent_collector.poll(ctx, 100, err, sizeof(err));
	} while (left > 0);
	agent_collector.close(ctx);
	assert_int_equal(left, 0);
	assert_int_equal(y.done, 4);
	assert_int_equal(y.cover, 8);	/* "inventory" and "" for each */
	assert_int_equal(y.obs, 0);
	assert_int_equal(y.status[0], COV_ERROR);
	assert_string_equal(y.probe[0], "inventory");
	assert_string_equal(y.probe[1], "");
	assert_non_null(strstr(y.detail[0], "without an agent_profile"));
	assert_non_null(strstr(y.detail[2], "'nosuch'"));
	assert_non_null(strstr(y.detail[4], "'snmp'"));
	assert_non_null(strstr(y.detail[6], "no agent_token"));
}

/*
 * A stop request (Ctrl-C) ends pulls in flight as not assessed, and poll()
 * returns 0 at once.  The "agent" is a socket that listens and never
 * accepts: the kernel completes the connection, nobody answers.
 */
static void
test_stop_winds_down(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct target tv[1];
	struct target_list tl;
	struct cred_profile pv[1];
	struct cred_set creds;
	struct tally y;
	struct collect_sink sink = { &y, t_observe, t_cover, t_done, NULL };
	struct collect_opts o;
	volatile sig_atomic_t stop = 0;
	char err[ERRLEN], url[64], name[] = "fi", tok[] = "t0k3n";
	void *ctx = NULL;
	int fd, left;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u",
	    (unsigned)ntohs(sa.sin_port));

	memset(tv, 0, sizeof(tv));
	memset(pv, 0, sizeof(pv));
	memset(&tl, 0, sizeof(tl));
	memset(&creds, 0, sizeof(creds));
	memset(&y, 0, sizeof(y));
	tl.v = tv;
	tl.n = 1;
	creds.v = pv;
	creds.n = 1;
	pv[0].name = name;
	pv[0].type = CRED_AGENT;
	pv[0].token = tok;
	tv[0].agent_url = url;
	tv[0].agent_profile = name;
	collect_opts_default(&o);
	o.stop = &stop;
	assert_int_equal(agent_collector.open(&ctx, &o, &tl, &creds, &sink,
	    err, sizeof(err)), 0);
	assert_int_equal(agent_collector.poll(ctx, 200, err, sizeof(err)), 1);
	assert_int_equal(y.cover, 0);
	/*
	 * The stop is honoured within one poll that may not wait at all
	 * (timeout 0): no wait for the silent agent, whatever the clock.
	 */
	stop = 1;
	left = agent_collector.poll(ctx, 0, err, sizeof(err));
	agent_collector.close(ctx);
	close(fd);
	assert_int_equal(left, 0);
	assert_int_equal(y.done, 1);
	assert_int_equal(y.cover, 2);
	assert_int_equal(y.status[0], COV_ERROR);
	assert_non_null(strstr(y.detail[0], "interrupted"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_matches_perl),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_body_cap_without_length),
		cmocka_unit_test(test_inflate),
		cmocka_unit_test(test_headers_hostile),
		cmocka_unit_test(test_urls_more),
		cmocka_unit_test(test_inflate_trailing_and_reuse),
		cmocka_unit_test(test_targets_without_pull),
		cmocka_unit_test(test_open_options),
		cmocka_unit_test(test_stop_winds_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
