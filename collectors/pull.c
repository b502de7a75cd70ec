/*
 * pull: the blocking HTTP client of the inventory-server pulls and what
 * they share (pull.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "httpc.h"
#include "pull.h"
#include "util.h"

void
pull_opts_defaults(struct pull_opts *o)
{
	if (o->rate == 0)
		o->rate = 5;
	if (o->timeout_ms == 0)
		o->timeout_ms = 30000;
	if (o->connect_ms == 0)
		o->connect_ms = 10000;
	if (o->max_body == 0)
		o->max_body = 32u << 20;
	if (o->max_items == 0)
		o->max_items = 100000;
	if (o->page == 0)
		o->page = 100;
}

void
pull_status(struct pull_result *res, enum cov_status st, const char *fmt,
    ...)
{
	va_list ap;

	if (res->status != COV_OK && (res->status != COV_PARTIAL ||
	    st == COV_PARTIAL))
		return;
	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
}

void
pull_finish(struct pull_result *res, const char *counts)
{
	char d[400];

	if (res->status == COV_OK) {
		snprintf(res->detail, sizeof(res->detail), "read %s in %zu "
		    "requests", counts, res->requests);
		return;
	}
	str_copy(d, res->detail, sizeof(d));
	snprintf(res->detail, sizeof(res->detail), "%s; read %s in %zu "
	    "requests", d, counts, res->requests);
	if (res->status != COV_PARTIAL && res->assets > 0)
		res->status = COV_PARTIAL;
}

int
pull_http_open(struct pull_http *c, const struct cred_profile *p,
    const struct pull_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->o = *o;
	pull_opts_defaults(&c->o);
	pace_init(&c->pace, c->o.rate, 1, mono_ms() * 1000);
	if (c->o.fake != NULL)
		return 0;
	c->multi = curl_multi_init();
	if (c->multi == NULL)
		return -1;
	c->easy = curl_easy_init();
	if (c->easy == NULL)
		return -1;
	if (httpc_easy_setup(c->easy, p->ca_file, p->pinned_pubkey,
	    (long)c->o.connect_ms, c->o.max_body, agent_resp_write,
	    agent_resp_header, &c->resp, c->curlerr) != 0 ||
	    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS,
	    (long)c->o.timeout_ms) != CURLE_OK)
		return -1;
	return 0;
}

void
pull_http_close(struct pull_http *c)
{
	if (c->easy != NULL)
		curl_easy_cleanup(c->easy);
	if (c->multi != NULL)
		curl_multi_cleanup(c->multi);
	agent_resp_free(&c->resp);
	c->easy = NULL;
	c->multi = NULL;
}

struct curl_slist *
pull_header(struct curl_slist *h, const char *name, const char *value,
    int *failed)
{
	char buf[1024];
	struct curl_slist *n;

	if (*failed || value == NULL)
		return h;
	if ((size_t)snprintf(buf, sizeof(buf), "%s: %s", name, value) >=
	    sizeof(buf)) {
		*failed = 1;
		explicit_bzero(buf, sizeof(buf));
		return h;
	}
	n = curl_slist_append(h, buf);
	explicit_bzero(buf, sizeof(buf));
	if (n == NULL)
		*failed = 1;
	return n != NULL ? n : h;
}

/* Waits for a token of the request rate (or the stop flag). */
static int
pace_wait(struct pull_http *c)
{
	int64_t w;

	for (;;) {
		if (c->o.stop != NULL && *c->o.stop)
			return -1;
		if (pace_take(&c->pace, mono_ms() * 1000))
			return 0;
		w = pace_wait_us(&c->pace, mono_ms() * 1000);
		usleep((useconds_t)(w > 100000 ? 100000 : w < 1000 ? 1000 :
		    w));
	}
}

static enum pull_reply
failed(struct pull_http *c, enum cov_status st, const char *what,
    const char *msg)
{
	c->fail = st;
	snprintf(c->why, sizeof(c->why), "%s: %s", what, msg);
	return PULL_FAIL;
}

/* The per-request options back to a plain GET without credentials. */
static void
reset_request(struct pull_http *c)
{
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->easy, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(c->easy, CURLOPT_PASSWORD, NULL);
	curl_easy_setopt(c->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c->easy, CURLOPT_HTTPGET, 1L);
}

/* A request answered by opts->fake, bounded as a real answer is. */
static enum pull_reply
fake_request(struct pull_http *c, const char *url, const char *what,
    int post)
{
	const struct pull_fake *f = c->o.fake;
	const char *body = NULL;
	size_t len = 0;
	char msg[64];

	agent_resp_reset(&c->resp, c->o.max_body, 0);
	c->code = 0;
	c->requests++;
	if (f->answer(f->arg, url, post, &c->code, &body, &len) != 0)
		return failed(c, COV_UNREACHABLE, what, "no answer");
	if (len > c->o.max_body) {
		snprintf(msg, sizeof(msg), "answer larger than %zu bytes",
		    c->o.max_body);
		return failed(c, COV_ERROR, what, msg);
	}
	if (len > 0 && agent_resp_write((char *)(uintptr_t)body, 1, len,
	    &c->resp) != len)
		return failed(c, COV_ERROR, what, "answer refused");
	return c->code >= 200 && c->code < 300 ? PULL_OK : PULL_HTTP;
}

enum pull_reply
pull_http_request(struct pull_http *c, const char *url, const char *what,
    struct curl_slist *h, int post, const char *user, const char *pass)
{
	char msg[400];
	CURLMsg *m;
	CURLcode r = CURLE_OK;
	CURL *e = c->easy;
	int running = 1, left, done = 0, bad = 0;

	if (c->o.fake != NULL)
		return fake_request(c, url, what, post);
	if (pace_wait(c) != 0)
		return failed(c, COV_PARTIAL, what, "interrupted");
	agent_resp_reset(&c->resp, c->o.max_body, 0);
	c->curlerr[0] = '\0';
	c->code = 0;
	if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h) != CURLE_OK)
		bad = 1;
	if (!bad && post && (curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
	    0L) != CURLE_OK || curl_easy_setopt(e, CURLOPT_POSTFIELDS, "") !=
	    CURLE_OK))
		bad = 1;
	if (!bad && user != NULL && (curl_easy_setopt(e, CURLOPT_HTTPAUTH,
	    (long)CURLAUTH_BASIC) != CURLE_OK || curl_easy_setopt(e,
	    CURLOPT_USERNAME, user) != CURLE_OK || curl_easy_setopt(e,
	    CURLOPT_PASSWORD, pass != NULL ? pass : "") != CURLE_OK))
		bad = 1;
	if (bad || curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		reset_request(c);
		return failed(c, COV_ERROR, what, "cannot build a request");
	}
	c->requests++;
	while (running && !done) {
		if (curl_multi_perform(c->multi, &running) != CURLM_OK)
			break;
		while ((m = curl_multi_info_read(c->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE) {
				r = m->data.result;
				done = 1;
			}
		if (!done && running)
			curl_multi_poll(c->multi, NULL, 0, 100, NULL);
		if (c->o.stop != NULL && *c->o.stop) {
			r = CURLE_ABORTED_BY_CALLBACK;
			done = 1;
		}
	}
	curl_multi_remove_handle(c->multi, e);
	reset_request(c);
	if (r == CURLE_ABORTED_BY_CALLBACK)
		return failed(c, COV_PARTIAL, what, "interrupted");
	if (r == CURLE_WRITE_ERROR || r == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, sizeof(msg), "answer larger than %zu bytes",
		    c->o.max_body);
		return failed(c, COV_ERROR, what, msg);
	}
	if (r != CURLE_OK)
		return failed(c, httpc_curl_status(r, e), what,
		    c->curlerr[0] != '\0' ? c->curlerr :
		    curl_easy_strerror(r));
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &c->code);
	return c->code >= 200 && c->code < 300 ? PULL_OK : PULL_HTTP;
}

int
pull_observe(const struct pull_sink *sink, enum obs_kind k, const char *item,
    const char *attr, const char *v, const char *src)
{
	struct observation o = { 0 };

	if (v == NULL || *v == '\0')
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = src;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	return sink->observe(sink->arg, &o) != 0 ? -1 : 0;
}
