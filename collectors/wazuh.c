/*
 * wazuh: the Wazuh server API pull (wazuh.h), one request at a time
 * through the shared client of pull.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "addr.h"
#include "inventory.h"
#include "pull.h"
#include "util.h"
#include "wazuh.h"

#define PATH_MAX_LEN	512
#define TOKEN_MAX	8192	/* a JWT longer than this is refused */

struct wctx {
	const struct cred_profile	*p;
	struct pull_opts		 o;
	const struct pull_sink		*sink;
	struct pull_result		*res;
	struct pull_http			 hc;
	char				*token;		/* secret */
	char				 base[PATH_MAX_LEN];
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
	/* Counts for the server's detail. */
	size_t				 agents, assessed, offline, empty;
	size_t				 stale, packages, processes;
};

#define set_status(g, ...)	pull_status((g)->res, __VA_ARGS__)

/* Has the server's trouble stopped the pull (anything but partial)? */
static int
stopped(const struct wctx *g)
{
	return g->res->status != COV_OK && g->res->status != COV_PARTIAL;
}

/* --- values ---------------------------------------------------------- */

/* obj[key] as text (numbers written out), "" when absent or null. */
static const char *
str(json_t *obj, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(obj, key);

	buf[0] = '\0';
	if (json_is_string(v))
		str_copy(buf, json_string_value(v), len);
	else if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	return buf;
}

/* obj[a][b] as text. */
static const char *
str2(json_t *obj, const char *a, const char *b, char *buf, size_t len)
{
	return str(json_object_get(obj, a), b, buf, len);
}

json_t *
wazuh_items(json_t *root, size_t *total)
{
	json_t *data = json_object_get(root, "data");
	json_t *items = json_object_get(data, "affected_items");
	json_t *t = json_object_get(data, "total_affected_items");

	*total = (size_t)-1;
	if (!json_is_array(items))
		return NULL;
	if (json_is_integer(t) && json_integer_value(t) >= 0)
		*total = (size_t)json_integer_value(t);
	return items;
}

/*
 * "2026-12-01T09:00:00Z", "2026-12-01T09:00:00+00:00", "2026/12/01
 * 09:00:00" -> unix time (UTC), or -1.
 */
static int64_t
wazuh_time(const char *s)
{
	struct tm tm;
	char a, b;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d%c%2d%c%2d", &tm.tm_year, &a, &tm.tm_mon, &b,
	    &tm.tm_mday) != 5 || (a != '-' && a != '/') || b != a)
		return -1;
	if (strlen(s) >= 19)
		(void)sscanf(s + 11, "%2d:%2d:%2d", &tm.tm_hour, &tm.tm_min,
		    &tm.tm_sec);
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}



/* --- requests -------------------------------------------------------- */

/* A status other than 2xx, as the server's coverage. */
static void
http_status(struct wctx *g, const char *path)
{
	long code = g->hc.code;

	if (code == 401 || code == 403)
		set_status(g, COV_AUTH_FAILED, "%s: HTTP %ld (user or password "
		    "refused, or the token expired)", path, code);
	else if (code == 429)
		set_status(g, COV_RATE_LIMITED, "%s: HTTP 429 (the server's "
		    "rate limit)", path);
	else
		set_status(g, COV_ERROR, "%s: HTTP %ld", path, code);
}

/* The answer as JSON (caller decrefs), or NULL with the status set. */
static json_t *
answer_json(struct wctx *g, const char *path)
{
	json_error_t e;
	json_t *j;

	j = json_loadb(g->hc.resp.body != NULL ? g->hc.resp.body : "",
	    g->hc.resp.len, 0, &e);
	if (j == NULL)
		set_status(g, COV_ERROR, "%s: not JSON (line %d: %s)", path,
		    e.line, e.text);
	return j;
}

/* A new token into g->token.  0, or 1 with the status set. */
static int
authenticate(struct wctx *g)
{
	static const char path[] = "security/user/authenticate";
	char url[PATH_MAX_LEN * 2];
	struct curl_slist *h = NULL;
	json_t *j, *tok;
	enum pull_reply r;
	int failed = 0;

	secret_free(g->token);
	g->token = NULL;
	snprintf(url, sizeof(url), "%s/%s", g->base, path);
	h = pull_header(h, "Accept", "application/json", &failed);
	if (failed) {
		curl_slist_free_all(h);
		set_status(g, COV_ERROR, "%s: cannot build a request", path);
		return 1;
	}
	r = pull_http_request(&g->hc, url, path, h, 1, g->p->username,
	    g->p->password);
	curl_slist_free_all(h);
	g->res->requests = g->hc.requests;
	if (r == PULL_FAIL) {
		set_status(g, g->hc.fail, "%s", g->hc.why);
		return 1;
	}
	if (r == PULL_HTTP) {
		http_status(g, path);
		return 1;
	}
	j = answer_json(g, path);
	if (j == NULL)
		return 1;
	tok = json_object_get(json_object_get(j, "data"), "token");
	if (!json_is_string(tok) || json_string_length(tok) == 0 ||
	    json_string_length(tok) > TOKEN_MAX ||
	    strpbrk(json_string_value(tok), "\r\n") != NULL) {
		set_status(g, COV_ERROR, "%s: no token in the answer", path);
		json_decref(j);
		return 1;
	}
	g->token = str_dup(json_string_value(tok));
	json_decref(j);
	if (g->token == NULL) {
		set_status(g, COV_ERROR, "%s: out of memory", path);
		return 1;
	}
	return 0;
}

/*
 * GET base/path with the token, asking for a new one once on 401.
 * Returns 0 and *out the answer (caller decrefs); 1 for an HTTP status
 * other than 2xx (g->hc.code; nothing recorded: the caller decides); -1
 * when there is no usable answer (the status set).
 */
static int
get(struct wctx *g, const char *path, json_t **out)
{
	char url[PATH_MAX_LEN * 2], auth[TOKEN_MAX + 16];
	struct curl_slist *h;
	enum pull_reply r;
	int failed, again;

	*out = NULL;
	snprintf(url, sizeof(url), "%s/%s", g->base, path);
	for (again = 1;; again = 0) {
		h = NULL;
		failed = 0;
		snprintf(auth, sizeof(auth), "Bearer %s", g->token);
		h = pull_header(h, "Accept", "application/json", &failed);
		h = pull_header(h, "Authorization", auth, &failed);
		explicit_bzero(auth, sizeof(auth));
		if (failed) {
			curl_slist_free_all(h);
			set_status(g, COV_ERROR, "%s: cannot build a request",
			    path);
			return -1;
		}
		r = pull_http_request(&g->hc, url, path, h, 0, NULL, NULL);
		curl_slist_free_all(h);
		g->res->requests = g->hc.requests;
		if (r == PULL_FAIL) {
			set_status(g, g->hc.fail, "%s", g->hc.why);
			return -1;
		}
		if (r == PULL_OK)
			break;
		/*
		 * Tokens live 900 s by default: a long pull outlives one.
		 * A new one once per request, so a server refusing every
		 * token still costs two requests each, no more.
		 */
		if (g->hc.code != 401 || !again)
			return 1;
		if (authenticate(g) != 0)
			return -1;
	}
	*out = answer_json(g, path);
	return *out != NULL ? 0 : -1;
}

/*
 * Pages through path (which has a '?'), calling row() for each row, at
 * most opts->max_items.  Returns 0 when done or when the server's trouble
 * is recorded (an HTTP status other than 2xx too when soft: partial), -1
 * when a sink failed.  *n counts the rows.
 */
static int
page_all(struct wctx *g, const char *path, const char *what, int soft,
    int (*row)(struct wctx *, json_t *, size_t, void *), void *arg,
    size_t *n)
{
	char p[PATH_MAX_LEN];
	json_t *j, *items, *e;
	size_t off = 0, i, got, total;
	int rc;

	*n = 0;
	for (;;) {
		if (*n >= g->o.max_items) {
			set_status(g, COV_PARTIAL, "%s: stopped at %zu items "
			    "(the cap)", what, *n);
			return 0;
		}
		snprintf(p, sizeof(p), "%s&offset=%zu&limit=%u", path, off,
		    g->o.page);
		rc = get(g, p, &j);
		if (rc < 0)
			return 0;
		if (rc > 0) {
			if (soft && g->hc.code != 401 && g->hc.code != 403 &&
			    g->hc.code != 429)
				set_status(g, COV_PARTIAL, "%s: HTTP %ld", p,
				    g->hc.code);
			else
				http_status(g, p);
			return 0;
		}
		items = wazuh_items(j, &total);
		if (items == NULL) {
			set_status(g, COV_ERROR, "%s: not a Wazuh answer (no "
			    "data.affected_items)", p);
			json_decref(j);
			return 0;
		}
		got = json_array_size(items);
		/* A server that sends more than asked gets no more read. */
		if (got > g->o.page)
			got = g->o.page;
		for (i = 0; i < got && *n < g->o.max_items; i++) {
			e = json_array_get(items, i);
			if (!json_is_object(e))
				continue;
			if (row(g, e, *n, arg) != 0) {
				json_decref(j);
				return -1;
			}
			(*n)++;
			if (stopped(g))
				break;
		}
		json_decref(j);
		off += got;
		if (got < g->o.page || (total != (size_t)-1 && off >= total) ||
		    stopped(g))
			return 0;
	}
}

/* --- observations ---------------------------------------------------- */

static int
put(struct wctx *g, enum obs_kind k, const char *item, const char *attr,
    const char *v, const char *src)
{
	if (pull_observe(g->sink, k, item, attr, v, src) == 0)
		return 0;
	g->sink_failed = 1;
	return errf(g->err, g->errlen, "the observation sink failed");
}

/* One agent being read. */
struct agent {
	char		 id[16];
	json_t		*os;		/* syscollector rows, or NULL */
	json_t		*hw;
	json_t		*ifaces;	/* arrays of rows (owned) */
	json_t		*addrs;
};

/* Keeps a row of a listing in the array arg. */
static int
keep_row(struct wctx *g, json_t *e, size_t n, void *arg)
{
	(void)g;
	(void)n;
	return json_array_append(arg, e) == 0 ? 0 : errf(g->err, g->errlen,
	    "out of memory");
}

/* An observation for each field; the source "wazuh agent/ID WHAT.key". */
static int
put_fields(struct wctx *g, const struct agent *a, enum obs_kind k,
    const char *item, json_t *e, const char *const (*f)[2], size_t nf,
    const char *what)
{
	char v[4096], src[PATH_MAX_LEN];
	size_t i;

	for (i = 0; i < nf; i++) {
		str(e, f[i][1], v, sizeof(v));
		snprintf(src, sizeof(src), "wazuh agent/%s %s.%s", a->id,
		    what, f[i][1]);
		if (put(g, k, item, f[i][0], v, src) != 0)
			return -1;
	}
	return 0;
}

static int
package_row(struct wctx *g, json_t *e, size_t n, void *arg)
{
	static const char *const f[][2] = {
		{ "name", "name" }, { "version", "version" },
		{ "publisher", "vendor" }, { "arch", "architecture" },
		{ "type", "format" }, { "date", "install_time" },
	};
	const struct agent *a = arg;
	char item[32], what[64];

	snprintf(item, sizeof(item), "%zu", n + 1);
	snprintf(what, sizeof(what), "packages[%zu]", n + 1);
	return put_fields(g, a, OBS_SOFTWARE, item, e, f, NELEM(f), what);
}

/*
 * The executable of a command cmd (Wazuh's "cmd" is the executable, but
 * a command line written there must not bring its arguments in): up to
 * the end of its base name as inventory_process_name() finds it (quotes,
 * "C:\Program Files\...\x.exe", kernel threads), into out.
 */
static void
cmd_path(const char *cmd, char *out, size_t outlen)
{
	const char *p = cmd, *name;
	size_t n;

	n = inventory_process_name(cmd, strlen(cmd), &name);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '"' || *p == '[')
		p++;
	if (n == 0 || name + n < p) {
		out[0] = '\0';
		return;
	}
	n = (size_t)(name + n - p);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int
process_row(struct wctx *g, json_t *e, size_t n, void *arg)
{
	const struct agent *a = arg;
	char item[32], src[PATH_MAX_LEN], name[256], cmd[4096], user[256];
	char path[4096];
	const char *pn;
	size_t len;

	snprintf(item, sizeof(item), "%zu", n + 1);
	str(e, "name", name, sizeof(name));
	str(e, "cmd", cmd, sizeof(cmd));
	str(e, "euser", user, sizeof(user));
	snprintf(src, sizeof(src), "wazuh agent/%s processes[%zu].name",
	    a->id, n + 1);
	if (name[0] == '\0') {
		/* The command's base name (never its arguments). */
		len = inventory_process_name(cmd, strlen(cmd), &pn);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, pn, len);
		name[len] = '\0';
		snprintf(src, sizeof(src), "wazuh agent/%s processes[%zu].cmd",
		    a->id, n + 1);
	}
	if (put(g, OBS_PROCESS, item, "name", name, src) != 0)
		return -1;
	snprintf(src, sizeof(src), "wazuh agent/%s processes[%zu].cmd", a->id,
	    n + 1);
	cmd_path(cmd, path, sizeof(path));
	explicit_bzero(cmd, sizeof(cmd));
	if (put(g, OBS_PROCESS, item, "path", path, src) != 0)
		return -1;
	snprintf(src, sizeof(src), "wazuh agent/%s processes[%zu].euser",
	    a->id, n + 1);
	return put(g, OBS_PROCESS, item, "user", user, src);
}

/*
 * The first address of the interface named name, by family (4 then 6);
 * with one_host, the first that names one host (a link-local fe80:: or
 * 169.254/16 address listed first is passed over).
 */
static const char *
iface_addr(const struct agent *a, const char *name, int one_host, char *buf,
    size_t len)
{
	char iface[128];
	json_t *e;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++)
		json_array_foreach(a->addrs, i, e) {
			if (strcmp(str(e, "iface", iface, sizeof(iface)),
			    name) != 0)
				continue;
			str(e, "address", buf, len);
			if (buf[0] != '\0' && (pass == 0) ==
			    (strchr(buf, ':') == NULL) &&
			    (!one_host || addr_names_one_host(buf)))
				return buf;
		}
	buf[0] = '\0';
	return buf;
}

/*
 * The agent's address and MAC: the agent's registered IP when usable,
 * else the first usable address of a real interface; the MAC of the
 * interface holding it, else of the first real interface.
 */
static void
identity(const struct agent *a, json_t *agent, char *ip, size_t iplen,
    char *mac, size_t maclen)
{
	char name[128], addr[64], m[64], norm[18];
	const char *first_mac = NULL;
	json_t *e;
	size_t i;
	int found = 0;

	str(agent, "ip", ip, iplen);
	if (!addr_names_one_host(ip))
		ip[0] = '\0';
	mac[0] = '\0';
	json_array_foreach(a->ifaces, i, e) {
		str(e, "name", name, sizeof(name));
		if (addr_netif_shared(name))
			continue;
		str(e, "mac", m, sizeof(m));
		if (inventory_mac_norm(m, strlen(m), norm) != 0)
			continue;
		if (first_mac == NULL) {
			str_copy(mac, norm, maclen);
			first_mac = mac;
		}
		iface_addr(a, name, 1, addr, sizeof(addr));
		if (ip[0] == '\0' && addr_names_one_host(addr)) {
			str_copy(ip, addr, iplen);
			str_copy(mac, norm, maclen);
			found = 1;
		} else if (!found && ip[0] != '\0' && strcmp(ip, addr) == 0) {
			str_copy(mac, norm, maclen);
			found = 1;
		}
	}
}

static int
netifs(struct wctx *g, const struct agent *a)
{
	char item[32], src[PATH_MAX_LEN], name[128], m[64], norm[18];
	char addr[64];
	json_t *e;
	size_t i, n = 0;

	json_array_foreach(a->ifaces, i, e) {
		str(e, "name", name, sizeof(name));
		str(e, "mac", m, sizeof(m));
		snprintf(item, sizeof(item), "%zu", ++n);
		snprintf(src, sizeof(src), "wazuh agent/%s netiface[%zu].name",
		    a->id, i + 1);
		if (put(g, OBS_NETIF, item, "descr", name, src) != 0)
			return -1;
		snprintf(src, sizeof(src), "wazuh agent/%s netiface[%zu].mac",
		    a->id, i + 1);
		if (inventory_mac_norm(m, strlen(m), norm) == 0 &&
		    put(g, OBS_NETIF, item, "mac", norm, src) != 0)
			return -1;
		snprintf(src, sizeof(src), "wazuh agent/%s netaddr.address",
		    a->id);
		if (name[0] != '\0' && put(g, OBS_NETIF, item, "ip",
		    iface_addr(a, name, 0, addr, sizeof(addr)), src) != 0)
			return -1;
	}
	return 0;
}

/*
 * The first row of a syscollector scalar (os, hardware), kept in *row
 * (NULL when there is none, or the server's trouble recorded).
 */
static void
one_row(struct wctx *g, const struct agent *a, const char *what,
    json_t **row)
{
	char path[PATH_MAX_LEN];
	json_t *j, *items;
	size_t total;
	int rc;

	*row = NULL;
	snprintf(path, sizeof(path), "syscollector/%s/%s", a->id, what);
	rc = get(g, path, &j);
	if (rc < 0)
		return;
	if (rc > 0) {
		if (g->hc.code == 401 || g->hc.code == 403 ||
		    g->hc.code == 429)
			http_status(g, path);
		else
			set_status(g, COV_PARTIAL, "%s: HTTP %ld", path,
			    g->hc.code);
		return;
	}
	items = wazuh_items(j, &total);
	if (items == NULL)
		set_status(g, COV_ERROR, "%s: not a Wazuh answer (no "
		    "data.affected_items)", path);
	else if (json_is_object(json_array_get(items, 0)))
		*row = json_incref(json_array_get(items, 0));
	json_decref(j);
}

/* An agent that is not read: a host that says why. */
static int
not_assessed(struct wctx *g, json_t *agent, const struct agent *a,
    long id, enum cov_status st, const char *why)
{
	struct pull_asset pa;
	char name[256], ip[64], keep[64], cov[1024];

	memset(&pa, 0, sizeof(pa));
	pa.itemtype = "agent";
	pa.id = id;
	pa.name = *str(agent, "name", name, sizeof(name)) != '\0' ? name :
	    NULL;
	str(agent, "ip", ip, sizeof(ip));
	pa.address = addr_names_one_host(ip) ? ip : NULL;
	pa.status = st;
	str(agent, "lastKeepAlive", keep, sizeof(keep));
	snprintf(cov, sizeof(cov), "Wazuh agent %s (%s/agents?agents_list=%s)"
	    ": %s%s%s: not assessed", a->id, g->base, a->id, why,
	    keep[0] != '\0' ? "; last keep-alive " : "", keep);
	pa.coverage = cov;
	if (pa.name == NULL && pa.address == NULL) {
		snprintf(name, sizeof(name), "wazuh-agent-%s", a->id);
		pa.name = name;
	}
	if (g->sink->asset(g->sink->arg, &pa) != 0) {
		g->sink_failed = 1;
		return errf(g->err, g->errlen, "the asset sink failed");
	}
	g->res->assets++;
	return 0;
}

/* What an active agent's syscollector holds, announced and emitted. */
static int
assess(struct wctx *g, json_t *agent, struct agent *a, long id)
{
	static const char *const osf[][2] = {
		{ "os", "name" }, { "os_version", "version" },
	};
	struct pull_asset pa;
	char path[PATH_MAX_LEN], name[256], ip[64], mac[18], scan[64];
	char cov[1024], v[256], src[PATH_MAX_LEN], what[64];
	size_t n;
	int64_t when;
	int stale;

	one_row(g, a, "os", &a->os);
	if (stopped(g))
		return 0;
	one_row(g, a, "hardware", &a->hw);
	if (stopped(g))
		return 0;
	if (a->os == NULL && a->hw == NULL) {
		g->empty++;
		return not_assessed(g, agent, a, id, COV_NO_SUCH_TABLE,
		    "never inventoried (no system inventory yet)");
	}
	snprintf(path, sizeof(path), "syscollector/%s/netiface?sort=%%2Bname",
	    a->id);
	snprintf(what, sizeof(what), "agent %s: netiface", a->id);
	if (page_all(g, path, what, 1, keep_row, a->ifaces, &n) != 0)
		return -1;
	if (stopped(g))
		return 0;
	snprintf(path, sizeof(path), "syscollector/%s/netaddr?sort=%%2Biface",
	    a->id);
	snprintf(what, sizeof(what), "agent %s: netaddr", a->id);
	if (page_all(g, path, what, 1, keep_row, a->addrs, &n) != 0)
		return -1;
	if (stopped(g))
		return 0;

	memset(&pa, 0, sizeof(pa));
	pa.itemtype = "agent";
	pa.id = id;
	pa.name = *str(agent, "name", name, sizeof(name)) != '\0' ? name :
	    NULL;
	if (pa.name == NULL)
		pa.name = *str(a->os, "hostname", name, sizeof(name)) != '\0' ?
		    name : NULL;
	identity(a, agent, ip, sizeof(ip), mac, sizeof(mac));
	pa.address = ip[0] != '\0' ? ip : NULL;
	pa.mac = mac[0] != '\0' ? mac : NULL;
	if (*str2(a->os, "scan", "time", scan, sizeof(scan)) == '\0')
		str2(a->hw, "scan", "time", scan, sizeof(scan));
	when = scan[0] != '\0' ? wazuh_time(scan) : -1;
	stale = g->o.stale_days > 0 && (when < 0 ||
	    when < g->o.now - (int64_t)g->o.stale_days * 86400);
	pa.status = stale ? COV_PARTIAL : COV_OK;
	snprintf(cov, sizeof(cov), "Wazuh agent %s (%s/agents?agents_list=%s)"
	    "; last inventory %s%s", a->id, g->base, a->id,
	    scan[0] != '\0' ? scan : "unknown", stale ? ": stale" : "");
	if (stale) {
		snprintf(cov + strlen(cov), sizeof(cov) - strlen(cov), " "
		    "(older than %u days)", g->o.stale_days);
		g->stale++;
	}
	pa.coverage = cov;
	if (pa.name == NULL && pa.address == NULL && pa.mac == NULL) {
		snprintf(name, sizeof(name), "wazuh-agent-%s", a->id);
		pa.name = name;
	}
	if (g->sink->asset(g->sink->arg, &pa) != 0) {
		g->sink_failed = 1;
		return errf(g->err, g->errlen, "the asset sink failed");
	}
	g->res->assets++;
	g->assessed++;

	snprintf(src, sizeof(src), "wazuh agent/%s agents.name", a->id);
	if (put(g, OBS_SYSTEM, "", "name", str(agent, "name", v, sizeof(v)),
	    src) != 0)
		return -1;
	snprintf(src, sizeof(src), "wazuh agent/%s agents.version", a->id);
	if (put(g, OBS_SYSTEM, "", "agent_version", str(agent, "version", v,
	    sizeof(v)), src) != 0)
		return -1;
	if (a->os != NULL && put_fields(g, a, OBS_SYSTEM, "",
	    json_object_get(a->os, "os"), osf, NELEM(osf), "os.os") != 0)
		return -1;
	snprintf(src, sizeof(src), "wazuh agent/%s hardware.board_serial",
	    a->id);
	if (a->hw != NULL && put(g, OBS_ENTITY, "board", "serial",
	    str(a->hw, "board_serial", v, sizeof(v)), src) != 0)
		return -1;
	if (netifs(g, a) != 0)
		return -1;

	snprintf(path, sizeof(path), "syscollector/%s/packages?sort=%%2Bname",
	    a->id);
	snprintf(what, sizeof(what), "agent %s: packages", a->id);
	if (page_all(g, path, what, 1, package_row, a, &n) != 0)
		return -1;
	g->packages += n;
	if (stopped(g))
		return 0;
	snprintf(path, sizeof(path), "syscollector/%s/processes?"
	    "select=name,cmd,euser", a->id);
	snprintf(what, sizeof(what), "agent %s: processes", a->id);
	if (page_all(g, path, what, 1, process_row, a, &n) != 0)
		return -1;
	g->processes += n;
	return 0;
}

/* One row of the agent listing. */
static int
agent_row(struct wctx *g, json_t *e, size_t n, void *arg)
{
	struct agent a;
	char status[64];
	long id;
	size_t i;
	int rc;

	(void)n;
	(void)arg;
	memset(&a, 0, sizeof(a));
	str(e, "id", a.id, sizeof(a.id));
	for (i = 0; a.id[i] != '\0' && a.id[i] >= '0' && a.id[i] <= '9'; i++)
		;
	/* Not an agent row: its id goes into URLs, so digits only. */
	if (i == 0 || i > 8 || a.id[i] != '\0' ||
	    parse_long(a.id, 0, 99999999L, &id) != 0)
		return 0;
	g->agents++;
	str(e, "status", status, sizeof(status));
	if (strcmp(status, "active") != 0) {
		g->offline++;
		return not_assessed(g, e, &a, id, COV_UNREACHABLE,
		    strcmp(status, "disconnected") == 0 ? "disconnected" :
		    strcmp(status, "never_connected") == 0 ? "never connected" :
		    strcmp(status, "pending") == 0 ? "pending (not yet "
		    "connected)" : "not active");
	}
	a.ifaces = json_array();
	a.addrs = json_array();
	if (a.ifaces == NULL || a.addrs == NULL)
		rc = errf(g->err, g->errlen, "out of memory");
	else
		rc = assess(g, e, &a, id);
	json_decref(a.os);
	json_decref(a.hw);
	json_decref(a.ifaces);
	json_decref(a.addrs);
	return rc;
}

int
wazuh_pull(const struct cred_profile *p, const struct pull_opts *opts,
    const struct pull_sink *sink, struct pull_result *res, char *err,
    size_t errlen)
{
	struct wctx g;
	char counts[400];
	size_t n, len;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.o = *opts;
	pull_opts_defaults(&g.o);
	g.sink = sink;
	g.res = res;
	g.err = err;
	g.errlen = errlen;
	res->status = COV_OK;
	str_copy(g.base, p->server_url, sizeof(g.base));
	len = strlen(g.base);
	while (len > 0 && g.base[len - 1] == '/')
		g.base[--len] = '\0';
	if (pull_http_open(&g.hc, p, &g.o) != 0) {
		errf(err, errlen, "cannot set up libcurl");
		goto out;
	}
	if (authenticate(&g) != 0) {
		rc = 0;
		goto out;
	}
	if (page_all(&g, "agents?sort=%2Bid", "agents", 0, agent_row, NULL,
	    &n) != 0)
		goto out;
	snprintf(counts, sizeof(counts), "%zu agents (%zu assessed, %zu not "
	    "connected, %zu never inventoried, %zu stale), %zu packages, %zu "
	    "processes", g.agents, g.assessed, g.offline, g.empty, g.stale,
	    g.packages, g.processes);
	pull_finish(res, counts);
	rc = 0;
out:
	if (g.sink_failed)
		rc = -1;
	secret_free(g.token);
	pull_http_close(&g.hc);
	return rc;
}
