/*
 * agent: pulls FusionInventory / GLPI Agent inventories over HTTP(S).
 *
 * One pull per target with an agent_url, at most opts->concurrency in
 * flight, new pulls started at most opts->rate requests per second (a get
 * follows its session at once, its cost counted), and a target with its
 * own rate (opts->target_rate) never sent two requests closer than that
 * rate allows.  A pull is two requests on one easy handle: /session
 * (answer: X-Auth-Nonce) and /get (X-Auth-Payload; answer: the XML
 * inventory, possibly zlib or gzip compressed as the Content-Type says).
 * The agent's HTTP server is single-threaded and serves another request on
 * a connection only when asked for keep-alive, so every request uses a
 * fresh connection and none is left idle on the agent.
 *
 * Coverage (channel agent, probe "inventory" and the "" summary, same
 * status and detail):
 *   ok            inventory parsed (partial: it has no SOFTWARES at all)
 *   auth_failed   HTTP 401/403: token rejected or session expired
 *   rate_limited  HTTP 429: the agent's maxrate was reached
 *   refused       HTTP 400 (inventory plugin disabled), TCP refused
 *   tls_failed    certificate, host name, pinned key or handshake failure
 *   timeout       connect or whole-request timeout, host budget exhausted
 *   unreachable   no route, name not resolved
 *   error         anything else: HTTP 5xx, oversized or malformed answer
 *
 * Secrets: the token is hashed straight from the profile, the payload
 * header is wiped after use, and no token, nonce or payload is ever put
 * into a coverage detail or log line.  TLS verification is always on.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "agent.h"
#include "collector.h"
#include "httpc.h"
#include "inventory.h"
#include "pace.h"
#include "util.h"

#define SESSION_BODY_CAP	(64u << 10)	/* "waiting inventory..." */

enum pull_state {
	PULL_SESSION,		/* /session in flight */
	PULL_GET_WAIT,		/* held by the target's own rate */
	PULL_GET		/* /get in flight */
};

struct pull {
	int			 in_use;
	size_t			 target;
	const struct cred_profile *prof;
	enum pull_state		 state;
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			*url_session;
	char			*url_get;
	char			 reqid[64];
	int64_t			 start_ms;
	int64_t			 get_at_ms;	/* held until */
	struct agent_resp	 resp;		/* the answer */
	char			 curlerr[CURL_ERROR_SIZE];
};

struct agent_ctx {
	struct collect_opts	 o;
	const struct target_list *tl;
	const struct cred_set	*creds;
	struct collect_sink	 sink;
	struct inventory_limits	 lim;

	CURLM			*multi;
	int			 curl_ready;
	size_t			*queue;		/* targets */
	size_t			 nqueue;
	size_t			 next;
	struct pull		*slots;
	size_t			 nslots;
	size_t			*free_slots;	/* a stack */
	size_t			 nfree;
	size_t			 active;
	size_t			 held;		/* gets held */
	size_t			 left;		/* not done */
	size_t			 requests;	/* sent */
	unsigned char		*done;		/* per target, for the assert */

	struct pace		 pace;		/* the global rate */
	unsigned long		 counter;	/* X-Request-ID */
	unsigned		 salt;

	int			 fatal;
	char			 err[ERRLEN];
};

/* --- pulls ----------------------------------------------------------- */

static void
wipe_headers(struct curl_slist *h)
{
	for (; h != NULL; h = h->next)
		if (h->data != NULL)
			OPENSSL_cleanse(h->data, strlen(h->data));
}

static void
pull_free(struct agent_ctx *c, struct pull *p)
{
	if (!p->in_use)
		return;
	if (p->easy != NULL) {
		curl_multi_remove_handle(c->multi, p->easy);
		curl_easy_cleanup(p->easy);
	}
	wipe_headers(p->hdrs);
	curl_slist_free_all(p->hdrs);
	free(p->url_session);
	free(p->url_get);
	agent_resp_free(&p->resp);
	if (p->state == PULL_GET_WAIT)
		c->held--;
	memset(p, 0, sizeof(*p));
	c->free_slots[c->nfree++] = (size_t)(p - c->slots);
	c->active--;
}

/* Reports a target's outcome on both coverage rows and frees its pull. */
static void
finish(struct agent_ctx *c, size_t target, struct pull *p,
    const struct cred_profile *prof, int64_t start_ms, enum cov_status st,
    const char *detail)
{
	struct coverage cv;

	/* Invariant: a target is done exactly once (c->left counts them). */
	assert(c->left > 0 && !c->done[target]);
	c->done[target] = 1;
	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_AGENT;
	cv.status = st;
	cv.detail = detail;
	cv.profile = prof != NULL ? prof->name : NULL;
	cv.elapsed_ms = start_ms > 0 ? mono_ms() - start_ms : 0;
	cv.probe = probe_name(PROBE_INVENTORY);
	if (!c->fatal && c->sink.cover(c->sink.arg, target, &cv) != 0)
		c->fatal = 1;
	cv.probe = "";
	if (!c->fatal && c->sink.cover(c->sink.arg, target, &cv) != 0)
		c->fatal = 1;
	if (c->fatal && c->err[0] == '\0')
		errf(c->err, sizeof(c->err), "agent: cannot record coverage");
	if (!c->fatal && c->sink.done != NULL)
		c->sink.done(c->sink.arg, target);
	if (p != NULL)
		pull_free(c, p);
	c->left--;
}

static void
finishf(struct agent_ctx *c, struct pull *p, enum cov_status st,
    const char *fmt, ...) PRINTF_LIKE(4, 5);

static void
finishf(struct agent_ctx *c, struct pull *p, enum cov_status st,
    const char *fmt, ...)
{
	char detail[ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	finish(c, p->target, p, p->prof, p->start_ms, st, detail);
}

/*
 * Milliseconds a request may take: the total, within the host budget;
 * 0 = no limit, -1 = the budget is spent.
 */
static long
request_timeout(const struct agent_ctx *c, const struct pull *p)
{
	int64_t t = c->o.agent_timeout_ms;

	if (c->o.host_budget_ms > 0) {
		int64_t left = p->start_ms + c->o.host_budget_ms - mono_ms();

		if (left <= 0)
			return -1;
		if (t == 0 || left < t)
			t = left;
	}
	return (long)t;
}

static int
easy_setup(struct agent_ctx *c, struct pull *p)
{
	const struct cred_profile *prof = p->prof;
	long connect = c->o.agent_connect_ms ? c->o.agent_connect_ms :
	    c->o.timeout_ms;
	CURL *e = curl_easy_init();
	CURLcode r = CURLE_OK;

	if (e == NULL)
		return -1;
	p->easy = e;
#define SET(opt, val) do {						\
	if (r == CURLE_OK)						\
		r = curl_easy_setopt(e, opt, val);			\
} while (0)
	SET(CURLOPT_PRIVATE, p);
	/* Leave no connection idle on the single-threaded agent. */
	SET(CURLOPT_FORBID_REUSE, 1L);
	if (r == CURLE_OK && httpc_easy_setup(e, prof->ca_file,
	    prof->pinned_pubkey, connect, c->o.max_body, agent_resp_write,
	    agent_resp_header, &p->resp, p->curlerr) != 0)
		r = CURLE_FAILED_INIT;
#undef SET
	return r == CURLE_OK ? 0 : -1;
}

/*
 * The global rate (pace.h): a pull starts when a token is there; each
 * request sent takes one, into debt if need be (the second request of a
 * pull is not held back by other targets' pulls).
 */
static void
rate_take(struct agent_ctx *c)
{
	pace_charge(&c->pace, mono_ms() * 1000);
}

static int
rate_ready(struct agent_ctx *c, int64_t now)
{
	return pace_wait_us(&c->pace, now * 1000) == 0;
}

static int
send_request(struct agent_ctx *c, struct pull *p, const char *url,
    struct curl_slist *hdrs, size_t cap)
{
	long t = request_timeout(c, p);

	if (t < 0)
		return 1;	/* budget gone */
	agent_resp_reset(&p->resp, cap, p->state == PULL_GET);
	p->curlerr[0] = '\0';
	if (curl_easy_setopt(p->easy, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(p->easy, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(p->easy, CURLOPT_TIMEOUT_MS, t) != CURLE_OK ||
	    curl_multi_add_handle(c->multi, p->easy) != CURLM_OK)
		return -1;
	c->requests++;
	rate_take(c);
	return 0;
}

/* Dequeues the next target: a pull in flight, or an immediate verdict. */
static void
start_next(struct agent_ctx *c)
{
	size_t t = c->queue[c->next++];
	const struct target *tg = &c->tl->v[t];
	const struct cred_profile *prof = NULL;
	struct pull *p = NULL;
	char err[ERRLEN];
	int rc;

	if (tg->agent_profile == NULL) {
		finish(c, t, NULL, NULL, 0, COV_ERROR, "agent_url without an "
		    "agent_profile");
		return;
	}
	if (c->creds != NULL)
		prof = cred_find(c->creds, tg->agent_profile);
	if (prof == NULL || prof->type != CRED_AGENT) {
		snprintf(err, sizeof(err), "no agent credential profile "
		    "'%.64s'", tg->agent_profile);
		finish(c, t, NULL, NULL, 0, COV_ERROR, err);
		return;
	}
	if (prof->token == NULL || prof->token[0] == '\0') {
		finish(c, t, NULL, prof, 0, COV_ERROR, "the profile has no "
		    "agent_token");
		return;
	}
	/* A slot is free: active < nslots. */
	p = &c->slots[c->free_slots[--c->nfree]];
	memset(p, 0, sizeof(*p));
	p->in_use = 1;
	c->active++;
	p->target = t;
	p->prof = prof;
	p->start_ms = mono_ms();
	p->state = PULL_SESSION;
	snprintf(p->reqid, sizeof(p->reqid), "banaudit-%ld-%08x-%lu",
	    (long)getpid(), c->salt, ++c->counter);
	if (agent_urls(tg->agent_url, &p->url_session, &p->url_get, err,
	    sizeof(err)) != 0) {
		finish(c, t, p, prof, p->start_ms, COV_ERROR, err);
		return;
	}
	{
		char h[96];

		snprintf(h, sizeof(h), "X-Request-ID: %s", p->reqid);
		p->hdrs = curl_slist_append(NULL, h);
	}
	if (p->hdrs == NULL || easy_setup(c, p) != 0) {
		finishf(c, p, COV_ERROR, "cannot set up the HTTP request");
		return;
	}
	rc = send_request(c, p, p->url_session, p->hdrs,
	    SESSION_BODY_CAP < c->o.max_body ? SESSION_BODY_CAP :
	    c->o.max_body);
	if (rc != 0)
		finishf(c, p, rc > 0 ? COV_TIMEOUT : COV_ERROR, rc > 0 ?
		    "host budget exhausted" : "cannot start the HTTP request");
}

/* The session answered 200 with a nonce: ask for the inventory. */
static void
start_get(struct agent_ctx *c, struct pull *p)
{
	char payload[AGENT_PAYLOAD_LEN];
	char h[160];
	struct curl_slist *hdrs = NULL, *tmp;
	int rc;

	if (agent_auth_payload(p->resp.nonce, p->prof->token, payload,
	    sizeof(payload)) != 0) {
		finishf(c, p, COV_ERROR, "cannot compute the auth payload");
		return;
	}
	snprintf(h, sizeof(h), "X-Request-ID: %s", p->reqid);
	hdrs = curl_slist_append(NULL, h);
	snprintf(h, sizeof(h), "X-Auth-Payload: %s", payload);
	OPENSSL_cleanse(payload, sizeof(payload));
	tmp = hdrs != NULL ? curl_slist_append(hdrs, h) : NULL;
	OPENSSL_cleanse(h, sizeof(h));
	if (tmp != NULL)
		tmp = curl_slist_append(tmp, "Accept: "
		    "application/x-compress-zlib, application/xml");
	wipe_headers(p->hdrs);
	curl_slist_free_all(p->hdrs);
	p->hdrs = hdrs;
	if (tmp == NULL) {
		finishf(c, p, COV_ERROR, "out of memory");
		return;
	}
	p->state = PULL_GET;
	rc = send_request(c, p, p->url_get, p->hdrs, c->o.max_body);
	if (rc != 0)
		finishf(c, p, rc > 0 ? COV_TIMEOUT : COV_ERROR, rc > 0 ?
		    "host budget exhausted after the session" :
		    "cannot start the HTTP request");
}

/* --- verdicts -------------------------------------------------------- */

static void
http_verdict(struct agent_ctx *c, struct pull *p, long code)
{
	const char *step = p->state == PULL_SESSION ? "session" : "inventory";

	switch (code) {
	case 400:
		finishf(c, p, COV_REFUSED, "inventory plugin disabled on the "
		    "agent (HTTP 400 on %s)", step);
		break;
	case 401:
		finishf(c, p, COV_AUTH_FAILED, "the agent asks for HTTP "
		    "authentication (HTTP 401)");
		break;
	case 403:
		finishf(c, p, COV_AUTH_FAILED, p->state == PULL_SESSION ?
		    "session refused (HTTP 403)" :
		    "token rejected or session expired (HTTP 403)");
		break;
	case 429:
		finishf(c, p, COV_RATE_LIMITED, "agent rate limit reached "
		    "(HTTP 429 on %s); raise maxrate in "
		    "inventory-server-plugin.cfg", step);
		break;
	default:
		if (code >= 500)
			finishf(c, p, COV_ERROR, "agent failure (HTTP %ld on "
			    "%s)", code, step);
		else
			finishf(c, p, COV_ERROR, "unexpected HTTP %ld on %s: "
			    "not a FusionInventory/GLPI agent?", code, step);
	}
}

static void
curl_verdict(struct agent_ctx *c, struct pull *p, CURLcode r)
{
	const char *msg = p->curlerr[0] != '\0' ? p->curlerr :
	    curl_easy_strerror(r);
	curl_off_t got = 0;
	long oserr = 0;

	switch (r) {
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(p->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
		finishf(c, p, COV_TIMEOUT, "%s timed out after %lld ms (%lld "
		    "bytes received)", p->state == PULL_SESSION ? "session" :
		    "inventory", (long long)(mono_ms() - p->start_ms),
		    (long long)got);
		return;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(p->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED)
			finishf(c, p, COV_REFUSED, "connection refused");
		else
			finishf(c, p, COV_UNREACHABLE, "%s", msg);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		finishf(c, p, COV_UNREACHABLE, "%s", msg);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		finishf(c, p, COV_TLS_FAILED, "%s", msg);
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
		finishf(c, p, COV_ERROR, "not an HTTP answer (%s)", msg);
		return;
	case CURLE_RECV_ERROR:
		curl_easy_getinfo(p->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
		finishf(c, p, COV_ERROR, "connection lost (%s)%s", msg,
		    got == 0 && p->resp.hdr_bytes == 0 &&
		    strncmp(p->url_get, "http:", 5) == 0 ?
		    "; does the agent expect https://?" : "");
		return;
	case CURLE_PARTIAL_FILE:
		finishf(c, p, COV_ERROR, "connection closed early (%s)", msg);
		return;
	case CURLE_OUT_OF_MEMORY:
		/* What libcurl says of a header line over 100 KB, too. */
		finishf(c, p, COV_ERROR, "answer refused by libcurl: out of "
		    "memory or a header line over 100 KB");
		return;
	case CURLE_FILESIZE_EXCEEDED:
		finishf(c, p, COV_ERROR, "response larger than %zu bytes",
		    c->o.max_body);
		return;
	case CURLE_WRITE_ERROR:
		switch (p->resp.fault) {
		case AGENT_FAULT_TOO_LARGE:
			finishf(c, p, COV_ERROR, "response larger than %zu "
			    "bytes", p->resp.cap);
			return;
		case AGENT_FAULT_INFLATED_TOO_LARGE:
			finishf(c, p, COV_ERROR, "inventory larger than %zu "
			    "bytes once inflated", p->resp.cap);
			return;
		case AGENT_FAULT_HEADERS_TOO_LARGE:
			finishf(c, p, COV_ERROR, "response headers larger "
			    "than %u bytes", AGENT_HEADER_CAP);
			return;
		case AGENT_FAULT_CORRUPT:
			finishf(c, p, COV_ERROR, "corrupt compressed "
			    "inventory (%s)", p->resp.z.msg != NULL ?
			    p->resp.z.msg : "inflate failed");
			return;
		case AGENT_FAULT_NOMEM:
			finishf(c, p, COV_ERROR, "out of memory");
			return;
		case AGENT_FAULT_NONE:
			break;
		}
		break;
	default:
		break;
	}
	finishf(c, p, COV_ERROR, "%s", msg);
}

/* Observations of a parse go to the scan's sink for this target. */
struct obs_fwd {
	struct agent_ctx	*c;
	size_t			 target;
};

static int
fwd_observe(void *arg, const struct observation *o)
{
	struct obs_fwd *f = arg;

	return f->c->sink.observe(f->c->sink.arg, f->target, CHAN_AGENT, o);
}

/* The inventory's identity goes to the sink before its observations. */
static int
fwd_identity(void *arg, const struct inventory_identity *id)
{
	struct obs_fwd *f = arg;
	struct host_hints hh;

	if (f->c->sink.identify == NULL)
		return 0;
	memset(&hh, 0, sizeof(hh));
	hh.uuid = id->uuid;
	hh.serial = id->serial;
	hh.name = id->name != NULL ? id->name : id->fqdn;
	hh.macs = id->macs;
	hh.nmacs = id->nmacs;
	return f->c->sink.identify(f->c->sink.arg, f->target, &hh);
}

static void
inventory_verdict(struct agent_ctx *c, struct pull *p)
{
	struct obs_fwd fwd = { c, p->target };
	struct inventory_sink isink = { &fwd, fwd_identity, fwd_observe };
	struct inventory_stats st;
	struct strbuf d = STRBUF_INIT(ERRLEN - 1);
	char err[ERRLEN];
	enum inventory_rc rc;

	if (p->resp.compressed > 0 && !p->resp.zend) {
		finishf(c, p, COV_ERROR, "compressed inventory cut short");
		return;
	}
	rc = inventory_xml_parse(p->resp.body != NULL ? p->resp.body : "",
	    p->resp.len, &c->lim, &isink, &st, err, sizeof(err));
	if (rc == INV_ESINK) {
		c->fatal = 1;
		errf(c->err, sizeof(c->err), "agent: cannot record "
		    "observations");
		finish(c, p->target, p, p->prof, p->start_ms, COV_ERROR,
		    "observations could not be stored");
		return;
	}
	if (rc != INV_OK) {
		finishf(c, p, COV_ERROR, "malformed inventory: %s", err);
		return;
	}
	strbuf_printf(&d, "%zu software, %zu processes, %zu interfaces, "
	    "%zu antivirus (%s%s)", st.software, st.processes, st.netifs,
	    st.antivirus, strncmp(p->url_get, "https:", 6) == 0 ? "https" :
	    "http", p->resp.compressed > 0 ? ", compressed" : "");
	if (st.truncated > 0)
		strbuf_printf(&d, "; %zu values cut to %zu bytes",
		    st.truncated, c->lim.max_value);
	if (st.latin1)
		strbuf_puts(&d, "; not UTF-8, read as ISO-8859-1");
	if (st.software == 0)
		strbuf_puts(&d, "; no SOFTWARES: software inventory disabled "
		    "on the agent?");
	finish(c, p->target, p, p->prof, p->start_ms, st.software > 0 ?
	    COV_OK : COV_PARTIAL, strbuf_str(&d));
	strbuf_free(&d);
}

/*
 * The session is done: the get follows at once, or once the target's own
 * rate (sector profiles: fragile devices) allows a second request.
 */
static void
session_done(struct agent_ctx *c, struct pull *p)
{
	unsigned rate = c->o.target_rate != NULL ?
	    c->o.target_rate[p->target] : 0;

	curl_multi_remove_handle(c->multi, p->easy);
	p->get_at_ms = rate > 0 ? p->start_ms + (1000 + rate - 1) / rate : 0;
	if (p->get_at_ms > mono_ms()) {
		p->state = PULL_GET_WAIT;
		c->held++;
		return;
	}
	start_get(c, p);
}

static void
request_done(struct agent_ctx *c, struct pull *p, CURLcode r)
{
	long code = 0;

	if (r != CURLE_OK) {
		curl_verdict(c, p, r);
		return;
	}
	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200) {
		http_verdict(c, p, code);
		return;
	}
	if (p->state == PULL_SESSION) {
		if (p->resp.nonce[0] == '\0' || p->resp.nonce_bad)
			finishf(c, p, COV_ERROR, "%s X-Auth-Nonce in the "
			    "session answer: not a FusionInventory/GLPI "
			    "agent?", p->resp.nonce_bad ? "malformed" : "no");
		else
			session_done(c, p);
		return;
	}
	inventory_verdict(c, p);
}

/* --- the collector interface ----------------------------------------- */

static void
agent_close(void *arg)
{
	struct agent_ctx *c = arg;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; c->slots != NULL && i < c->nslots; i++)
		pull_free(c, &c->slots[i]);
	if (c->multi != NULL)
		curl_multi_cleanup(c->multi);
	if (c->curl_ready)
		curl_global_cleanup();
	free(c->slots);
	free(c->free_slots);
	free(c->queue);
	free(c->done);
	free(c);
}

static int
agent_open(void **ctxp, const struct collect_opts *o,
    const struct target_list *tl, const struct cred_set *creds,
    const struct collect_sink *sink, char *err, size_t errlen)
{
	struct agent_ctx *c;
	size_t i;

	*ctxp = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return errf(err, errlen, "agent: out of memory");
	c->o = *o;
	c->tl = tl;
	c->creds = creds;
	c->sink = *sink;
	inventory_limits_default(&c->lim);
	c->lim.max_input = o->max_body;
	if (o->max_value > 0)
		c->lim.max_value = o->max_value;
	c->queue = calloc(tl->n ? tl->n : 1, sizeof(*c->queue));
	c->done = calloc(tl->n ? tl->n : 1, 1);
	c->nslots = o->concurrency ? o->concurrency : 1;
	if (c->nslots > tl->n && tl->n > 0)
		c->nslots = tl->n;
	c->slots = calloc(c->nslots, sizeof(*c->slots));
	c->free_slots = calloc(c->nslots, sizeof(*c->free_slots));
	if (c->queue == NULL || c->done == NULL || c->slots == NULL ||
	    c->free_slots == NULL) {
		errf(err, errlen, "agent: out of memory");
		goto fail;
	}
	for (i = 0; i < c->nslots; i++)
		c->free_slots[c->nfree++] = c->nslots - 1 - i;
	for (i = 0; i < tl->n; i++) {
		if (tl->v[i].agent_url == NULL || tl->v[i].agent_url[0] == '\0')
			continue;
		if (o->target_probes != NULL && (o->target_probes[i] &
		    PROBE_BIT(PROBE_INVENTORY)) == 0)
			continue;
		c->queue[c->nqueue++] = i;
	}
	c->left = c->nqueue;
	/*
	 * No agent to ask: libcurl is not even loaded (util/lazylib.h; an
	 * SNMP-only scan, issue 13).  agent_poll() returns before it uses
	 * the multi handle when nothing is left.
	 */
	if (c->nqueue > 0) {
		/* Reference-counted by libcurl: one init per open. */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			errf(err, errlen, "agent: cannot initialise libcurl");
			goto fail;
		}
		c->curl_ready = 1;
		c->multi = curl_multi_init();
		if (c->multi == NULL) {
			errf(err, errlen, "agent: out of memory");
			goto fail;
		}
		curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
		    (long)c->nslots);
	}
	pace_init(&c->pace, c->o.rate, c->o.rate / 100, mono_ms() * 1000);
	if (RAND_bytes((unsigned char *)&c->salt, sizeof(c->salt)) != 1)
		c->salt = (unsigned)mono_ms();
	*ctxp = c;
	return 0;
fail:
	agent_close(c);
	return -1;
}

/*
 * Sends the gets whose target rate now allows them; returns milliseconds
 * until the next one is due, or -1 when none is held.
 */
static int
start_held(struct agent_ctx *c, int64_t now)
{
	int64_t next = -1;
	size_t i;

	for (i = 0; i < c->nslots && c->held > 0 && !c->fatal; i++) {
		struct pull *p = &c->slots[i];

		if (!p->in_use || p->state != PULL_GET_WAIT)
			continue;
		if (p->get_at_ms <= now) {
			c->held--;
			start_get(c, p);
		}
		else if (next < 0 || p->get_at_ms - now < next)
			next = p->get_at_ms - now;
	}
	return (int)next;
}

/* A stop request: every pull in flight ends as not assessed. */
static void
wind_down(struct agent_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nslots; i++)
		if (c->slots[i].in_use)
			finishf(c, &c->slots[i], COV_ERROR, "scan interrupted "
			    "before the agent answered");
	c->next = c->nqueue;
	c->left = 0;
}

static void
agent_stats(void *arg, struct collect_stats *st)
{
	const struct agent_ctx *c = arg;

	st->active = c->active;
	st->requests = c->requests;
}

static int
agent_poll(void *arg, int timeout_ms, char *err, size_t errlen)
{
	struct agent_ctx *c = arg;
	int64_t now, end = mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int running, nmsg, wait;
	CURLMsg *m;

	for (;;) {
		if (c->o.stop != NULL && *c->o.stop)
			wind_down(c);
		now = mono_ms();
		while (!c->fatal && c->next < c->nqueue &&
		    c->active < c->nslots && rate_ready(c, now))
			start_next(c);
		if (c->fatal || c->left == 0)
			break;
		if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
			errf(c->err, sizeof(c->err), "agent: libcurl multi "
			    "failure");
			c->fatal = 1;
			break;
		}
		while (!c->fatal &&
		    (m = curl_multi_info_read(c->multi, &nmsg)) != NULL) {
			char *priv = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    &priv);
			if (priv != NULL)
				request_done(c, (struct pull *)(void *)priv,
				    m->data.result);
		}
		now = mono_ms();
		wait = start_held(c, now);
		if (c->fatal || c->left == 0)
			break;
		if (now >= end)
			break;
		if (wait < 0 || wait > end - now)
			wait = (int)(end - now);
		if (c->next < c->nqueue && c->active < c->nslots &&
		    c->o.rate > 0) {
			/* Wake up for the next token. */
			int tw = (int)(pace_wait_us(&c->pace, now * 1000) /
			    1000) + 1;

			if (tw < wait)
				wait = tw;
		}
		if (curl_multi_poll(c->multi, NULL, 0, wait, NULL) !=
		    CURLM_OK) {
			errf(c->err, sizeof(c->err), "agent: libcurl poll "
			    "failure");
			c->fatal = 1;
			break;
		}
	}
	if (c->fatal)
		return errf(err, errlen, "%s", c->err);
	return (int)(c->left > (size_t)INT32_MAX ? INT32_MAX : c->left);
}

const struct collector agent_collector = {
	.name = "agent",
	.channel = CHAN_AGENT,
	.probes = PROBE_BIT(PROBE_INVENTORY),
	.open = agent_open,
	.poll = agent_poll,
	.close = agent_close,
	.stats = agent_stats,
};
