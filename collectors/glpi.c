/*
 * glpi: the GLPI REST pull (glpi.h), one request at a time through the
 * shared client of pull.h: paced, bounded and TLS-verified as the agent
 * collector's requests are.
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
#include "glpi.h"
#include "inventory.h"
#include "mac.h"
#include "pull.h"
#include "util.h"

#define PATH_MAX_LEN	512

struct gctx {
	const struct cred_profile	*p;
	struct pull_opts		 o;
	const struct pull_sink		*sink;
	struct pull_result		*res;
	struct pull_http			 hc;
	char				*session;	/* secret */
	size_t				 av;		/* antivirus itemtype:
							   0 Computer-, 1 Item-,
							   2 none */
	char				 form_base[PATH_MAX_LEN];
	long				 code;
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
};

/* The outcome of one request. */
enum reply { GOT_OK, GOT_HTTP, GOT_FAIL };

#define set_status(g, ...)	pull_status((g)->res, __VA_ARGS__)

/* Has the server's trouble stopped the pull (anything but partial)? */
static int
stopped(const struct gctx *g)
{
	return g->res->status != COV_OK && g->res->status != COV_PARTIAL;
}

/*
 * GET base + path.  GOT_OK: a 2xx answer in g->hc.resp; GOT_HTTP: another
 * status (g->hc.code); GOT_FAIL: no answer (the server's status set).
 */
static enum reply
get(struct gctx *g, const char *path, int login)
{
	struct curl_slist *h = NULL;
	char url[PATH_MAX_LEN * 2], auth[600];
	enum pull_reply r;
	int failed = 0;

	snprintf(url, sizeof(url), "%s%s%s", g->p->server_url,
	    g->p->server_url[strlen(g->p->server_url) - 1] == '/' ? "" : "/",
	    path);
	h = pull_header(h, "Accept", "application/json", &failed);
	h = pull_header(h, "App-Token", g->p->app_token, &failed);
	if (login) {
		snprintf(auth, sizeof(auth), "user_token %s",
		    g->p->user_token);
		h = pull_header(h, "Authorization", auth, &failed);
		explicit_bzero(auth, sizeof(auth));
	} else
		h = pull_header(h, "Session-Token", g->session, &failed);
	if (failed) {
		curl_slist_free_all(h);
		set_status(g, COV_ERROR, "%s: cannot build a request", path);
		return GOT_FAIL;
	}
	r = pull_http_request(&g->hc, url, path, h, 0, NULL, NULL);
	curl_slist_free_all(h);
	g->res->requests = g->hc.requests;
	g->code = g->hc.code;
	if (r == PULL_FAIL) {
		set_status(g, g->hc.fail, "%s", g->hc.why);
		return GOT_FAIL;
	}
	return r == PULL_OK ? GOT_OK : GOT_HTTP;
}

/* The answer as JSON (caller decrefs), or NULL with the status set. */
static json_t *
answer_json(struct gctx *g, const char *path)
{
	json_error_t e;
	json_t *j = json_loadb(g->hc.resp.body != NULL ? g->hc.resp.body : "",
	    g->hc.resp.len, 0, &e);

	if (j == NULL)
		set_status(g, COV_ERROR, "%s: not JSON (line %d: %s)", path,
		    e.line, e.text);
	return j;
}

/* A status other than 2xx, as the server's coverage. */
static void
http_status(struct gctx *g, const char *path)
{
	if (g->code == 401 || g->code == 403)
		set_status(g, COV_AUTH_FAILED, "%s: HTTP %ld (tokens refused, "
		    "or the session expired)", path, g->code);
	else if (g->code == 429)
		set_status(g, COV_RATE_LIMITED, "%s: HTTP 429 (the server's "
		    "rate limit)", path);
	else
		set_status(g, COV_ERROR, "%s: HTTP %ld", path, g->code);
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
	/* GLPI writes "&nbsp;" for an empty dropdown. */
	if (strcmp(buf, "&nbsp;") == 0 || strcmp(buf, " ") == 0)
		buf[0] = '\0';
	return buf;
}

/* The sink refused an observation: the pull stops with this error. */
static int
sink_error(struct gctx *g)
{
	g->sink_failed = 1;
	return errf(g->err, g->errlen, "the observation sink failed");
}

static int
put(struct gctx *g, enum obs_kind k, const char *item, const char *attr,
    const char *v, const char *src)
{
	if (pull_observe(g->sink, k, item, attr, v, src) != 0)
		return sink_error(g);
	return 0;
}

/* obj[key] as an observation; source "glpi TYPE/ID PREFIXkey". */
static int
put_key(struct gctx *g, enum obs_kind k, const char *item, const char *attr,
    json_t *obj, const char *key, const char *where)
{
	char v[4096], src[PATH_MAX_LEN + 64];

	str(obj, key, v, sizeof(v));
	snprintf(src, sizeof(src), "glpi %s%s", where, key);
	return put(g, k, item, attr, v, src);
}

/* "2025-01-02 10:00:00" -> unix time, or -1. */
static int64_t
glpi_time(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* --- assets ---------------------------------------------------------- */

struct itemtype {
	const char	*name;
	const char	*form;		/* front/<form>.form.php */
	const char	*model;		/* its model dropdown */
	int		 computer;
};

static const struct itemtype itemtypes[] = {
	{ "Computer", "computer", "computermodels_id", 1 },
	{ "NetworkEquipment", "networkequipment", "networkequipmentmodels_id",
	    0 },
	{ "Printer", "printer", "printermodels_id", 0 },
	{ "Phone", "phone", "phonemodels_id", 0 },
};

/*
 * The item itself (TYPE/ID) with its network ports and, for a computer,
 * its software: the answer (caller decrefs), or NULL when it was refused
 * (an asset partly read: partial) or the server failed (status set).
 */
static json_t *
item_detail(struct gctx *g, const struct itemtype *t, long id)
{
	char path[PATH_MAX_LEN];
	enum reply r;

	snprintf(path, sizeof(path), "%s/%ld?expand_dropdowns=true&"
	    "get_hateoas=false&with_networkports=true%s", t->name, id,
	    t->computer ? "&with_softwares=true" : "");
	r = get(g, path, 0);
	if (r == GOT_FAIL)
		return NULL;
	/* One asset's details refused: that asset is partly read. */
	if (r == GOT_HTTP && g->code != 401 && g->code != 403 &&
	    g->code != 429) {
		set_status(g, COV_PARTIAL, "%s: HTTP %ld", path, g->code);
		return NULL;
	}
	if (r == GOT_HTTP) {
		http_status(g, path);
		return NULL;
	}
	return answer_json(g, path);
}


/*
 * The elements of v: an array's, or an object's values (GLPI writes both
 * for _networkports and IPAddress, by version).  *i counts from 0.
 */
static json_t *
nth(json_t *v, size_t i)
{
	void *it;

	if (json_is_array(v))
		return json_array_get(v, i);
	if (!json_is_object(v))
		return NULL;
	for (it = json_object_iter(v); it != NULL && i > 0; i--)
		it = json_object_iter_next(v, it);
	return it != NULL ? json_object_iter_value(it) : NULL;
}

/*
 * A port's first address of family pass (0: IPv4, 1: IPv6), or "";
 * with one_host, the first that names one host (addr_names_one_host():
 * a link-local fe80:: listed before a global address is passed over).
 */
static const char *
port_ip(json_t *port, int pass, int one_host, char *buf, size_t len)
{
	json_t *ips = json_object_get(json_object_get(port, "NetworkName"),
	    "IPAddress"), *e;
	size_t i;

	for (i = 0; (e = nth(ips, i)) != NULL && i < 64; i++) {
		str(e, "name", buf, len);
		if (buf[0] != '\0' && (pass == 0) ==
		    (strchr(buf, ':') == NULL) &&
		    (!one_host || addr_names_one_host(buf)))
			return buf;
	}
	buf[0] = '\0';
	return buf;
}

/* Calls fn for every port of _networkports (at most 4096), in order. */
static int
each_port(struct gctx *g, json_t *item, int (*fn)(struct gctx *, json_t *,
    const char *, size_t, size_t, void *), void *arg)
{
	json_t *np = json_object_get(item, "_networkports"), *list, *p;
	const char *type;
	size_t n = 0, i;
	void *it;

	if (!json_is_object(np))
		return 0;
	for (it = json_object_iter(np); it != NULL;
	    it = json_object_iter_next(np, it)) {
		type = json_object_iter_key(it);
		list = json_object_iter_value(it);
		for (i = 0; (p = nth(list, i)) != NULL && n < 4096; i++) {
			if (!json_is_object(p))
				continue;
			if (fn(g, p, type, i, n++, arg) != 0)
				return -1;
		}
	}
	return 0;
}

/* What names an asset on the network, from its ports. */
struct port_id {
	char	 ip[64];
	char	 mac[18];	/* of the port holding ip, else the first */
	char	 first_mac[18];
};

static int
port_identity(struct gctx *g, json_t *p, const char *type, size_t i,
    size_t n, void *arg)
{
	struct port_id *pi = arg;
	char m[64], norm[18], ip[64];
	int pass;

	(void)g;
	(void)type;
	(void)i;
	(void)n;
	str(p, "mac", m, sizeof(m));
	if (inventory_mac_norm(m, strlen(m), norm) != 0)
		norm[0] = '\0';
	if (pi->first_mac[0] == '\0')
		str_copy(pi->first_mac, norm, sizeof(pi->first_mac));
	for (pass = 0; pass < 2 && pi->ip[0] == '\0'; pass++)
		if (*port_ip(p, pass, 1, ip, sizeof(ip)) != '\0') {
			str_copy(pi->ip, ip, sizeof(pi->ip));
			str_copy(pi->mac, norm, sizeof(pi->mac));
		}
	return 0;
}

struct port_emit {
	const struct itemtype	*t;
	long			 id;
	const char		*self;	/* the asset's MAC, for "self" */
};

/*
 * A port as the observations of its kind of asset: a computer's as an
 * agent inventory's network interface (netif: descr, mac, ip), another
 * asset's as the SNMP collector's interface row (ifname, mac as 6
 * octets), so that locate and the MAC registry see them.
 */
static int
port_emit(struct gctx *g, json_t *p, const char *type, size_t i, size_t n,
    void *arg)
{
	const struct port_emit *pe = arg;
	char item[32], src[PATH_MAX_LEN], name[256], m[64], norm[18];
	char ip[64];
	unsigned char raw[6];
	struct observation o = { 0 };

	snprintf(item, sizeof(item), "%zu", n + 1);
	str(p, "name", name, sizeof(name));
	str(p, "mac", m, sizeof(m));
	if (inventory_mac_norm(m, strlen(m), norm) != 0)
		norm[0] = '\0';
	snprintf(src, sizeof(src), "glpi %s/%ld _networkports.%s[%zu].name",
	    pe->t->name, pe->id, type, i + 1);
	if (pe->t->computer) {
		if (put(g, OBS_NETIF, item, "descr", name, src) != 0)
			return -1;
		snprintf(src, sizeof(src), "glpi %s/%ld _networkports.%s[%zu]"
		    ".mac", pe->t->name, pe->id, type, i + 1);
		if (put(g, OBS_NETIF, item, "mac", norm, src) != 0)
			return -1;
		snprintf(src, sizeof(src), "glpi %s/%ld _networkports.%s[%zu]"
		    ".NetworkName.IPAddress", pe->t->name, pe->id, type, i + 1);
		if (*port_ip(p, 0, 0, ip, sizeof(ip)) == '\0')
			port_ip(p, 1, 0, ip, sizeof(ip));
		return put(g, OBS_NETIF, item, "ip", ip, src);
	}
	if (put(g, OBS_INTERFACE, item, "ifname", name, src) != 0)
		return -1;
	if (norm[0] == '\0' || mac_parse(norm, strlen(norm), raw) != 0)
		return 0;
	snprintf(src, sizeof(src), "glpi %s/%ld _networkports.%s[%zu].mac",
	    pe->t->name, pe->id, type, i + 1);
	memset(&o, 0, sizeof(o));
	o.kind = OBS_INTERFACE;
	o.item = item;
	o.attr = "mac";
	o.source = src;
	o.vtype = VAL_HEX;
	o.value = raw;
	o.len = sizeof(raw);
	if (g->sink->observe(g->sink->arg, &o) != 0)
		return sink_error(g);
	/* A printer's or phone's own MAC names it to locate. */
	if (pe->self == NULL || strcmp(pe->self, norm) != 0)
		return 0;
	o.item = "self";
	if (g->sink->observe(g->sink->arg, &o) != 0)
		return sink_error(g);
	return 0;
}

/* A computer's software rows. */
static int
software(struct gctx *g, long id, json_t *item)
{
	char where[PATH_MAX_LEN], num[32];
	json_t *e;
	size_t i, n = 0;

	json_array_foreach(json_object_get(item, "_softwares"), i, e) {
		if (!json_is_object(e))
			continue;
		snprintf(num, sizeof(num), "%zu", ++n);
		snprintf(where, sizeof(where), "Computer/%ld _softwares[%zu].",
		    id, i + 1);
		if (put_key(g, OBS_SOFTWARE, num, "name", e, "softwares_id",
		    where) != 0 || put_key(g, OBS_SOFTWARE, num, "version", e,
		    "softwareversions_id", where) != 0)
			return -1;
	}
	return 0;
}

/*
 * A computer's antivirus rows: Computer/ID/ComputerAntivirus, or
 * ItemAntivirus since GLPI 10.1 (a server that knows neither itemtype
 * answers 400; the first one that works is kept for the rest).
 */
static int
antivirus(struct gctx *g, long id)
{
	static const char *const avkeys[][2] = {
		{ "name", "name" }, { "company", "manufacturers_id" },
		{ "version", "antivirus_version" },
		{ "base_version", "signature_version" },
		{ "enabled", "is_active" }, { "uptodate", "is_uptodate" },
		{ "expiration", "date_expiration" },
	};
	static const char *const sub[] = { "ComputerAntivirus",
		"ItemAntivirus" };
	char path[PATH_MAX_LEN], where[PATH_MAX_LEN], item[32], v[256];
	char date[11];
	json_t *j = NULL, *e;
	size_t i, k, nav = 0;
	enum reply r;

	for (; g->av < NELEM(sub); g->av++) {
		snprintf(path, sizeof(path), "Computer/%ld/%s?"
		    "expand_dropdowns=true&get_hateoas=false", id,
		    sub[g->av]);
		r = get(g, path, 0);
		if (r == GOT_FAIL)
			return 0;
		if (r == GOT_OK)
			break;
		if (g->code == 401 || g->code == 403 || g->code == 429) {
			http_status(g, path);
			return 0;
		}
		/* Another error of this one computer: partly read. */
		if (g->code != 400) {
			set_status(g, COV_PARTIAL, "%s: HTTP %ld", path,
			    g->code);
			return 0;
		}
	}
	if (g->av >= NELEM(sub))
		return 0;
	j = answer_json(g, path);
	json_array_foreach(j, i, e) {
		if (!json_is_object(e))
			continue;
		snprintf(item, sizeof(item), "%zu", ++nav);
		snprintf(where, sizeof(where), "Computer/%ld/%s[%zu].", id,
		    sub[g->av], i + 1);
		for (k = 0; k < NELEM(avkeys); k++)
			if (put_key(g, OBS_ANTIVIRUS, item, avkeys[k][0], e,
			    avkeys[k][1], where) != 0) {
				json_decref(j);
				return -1;
			}
		str(e, "signature_version", v, sizeof(v));
		if (inventory_base_date(v, strlen(v), date) == 0 &&
		    put(g, OBS_ANTIVIRUS, item, "base_date", date,
		    "glpi signature_version") != 0) {
			json_decref(j);
			return -1;
		}
	}
	json_decref(j);
	return 0;
}

/*
 * One asset of a listing page: its details read, then it is announced
 * (known by its UUID, serial, and the address and MAC of its ports), then
 * its observations.  Returns 0, 1 for a row that is not an asset (no
 * id), or -1 when a sink failed.
 */
static int
asset(struct gctx *g, const struct itemtype *t, json_t *e)
{
	struct pull_asset a;
	struct port_id pi;
	struct port_emit pe;
	char name[256], uuid[128], serial[128], last[64], where[128];
	char cov[1024], idbuf[32];
	json_t *detail;
	int64_t when;
	long id;
	int stale, rc = -1;

	memset(&a, 0, sizeof(a));
	memset(&pi, 0, sizeof(pi));
	str(e, "id", idbuf, sizeof(idbuf));
	if (parse_long(idbuf, 0, 0x7fffffffL, &id) != 0)
		return 1;	/* not an asset row */
	/* Details refused: the listing still counts (partial). */
	detail = item_detail(g, t, id);
	(void)each_port(g, detail, port_identity, &pi);
	a.itemtype = t->name;
	a.id = id;
	a.name = *str(e, "name", name, sizeof(name)) != '\0' ? name : NULL;
	str(e, "uuid", uuid, sizeof(uuid));
	a.uuid = inventory_uuid_usable(uuid, strlen(uuid)) ? uuid : NULL;
	str(e, "serial", serial, sizeof(serial));
	a.serial = inventory_serial_usable(serial, strlen(serial)) ? serial :
	    NULL;
	a.address = pi.ip[0] != '\0' ? pi.ip : NULL;
	a.mac = pi.mac[0] != '\0' ? pi.mac : pi.first_mac[0] != '\0' ?
	    pi.first_mac : NULL;
	if (*str(e, "last_inventory_update", last, sizeof(last)) == '\0')
		str(e, "date_mod", last, sizeof(last));
	when = last[0] != '\0' ? glpi_time(last) : -1;
	stale = g->o.stale_days > 0 && (when < 0 ||
	    when < g->o.now - (int64_t)g->o.stale_days * 86400);
	a.status = stale ? COV_PARTIAL : COV_OK;
	snprintf(cov, sizeof(cov), "GLPI %s %ld (%s/front/%s.form.php?id=%ld)"
	    "; last inventory %s%s", t->name, id, g->form_base, t->form, id,
	    last[0] != '\0' ? last : "unknown", stale ? ": stale" : "");
	if (stale)
		snprintf(cov + strlen(cov), sizeof(cov) - strlen(cov), " "
		    "(older than %u days)", g->o.stale_days);
	a.coverage = cov;
	if (a.name == NULL && a.uuid == NULL && a.serial == NULL &&
	    a.address == NULL && a.mac == NULL) {
		snprintf(name, sizeof(name), "glpi-%s-%ld", t->form, id);
		a.name = name;
	}
	if (g->sink->asset(g->sink->arg, &a) != 0) {
		g->sink_failed = 1;
		errf(g->err, g->errlen, "the asset sink failed");
		goto out;
	}
	g->res->assets++;
	snprintf(where, sizeof(where), "%s/%ld ", t->name, id);
	if (put_key(g, OBS_SYSTEM, "", "name", e, "name", where) != 0 ||
	    put_key(g, OBS_SYSTEM, "", "serial", e, "serial", where) != 0 ||
	    put_key(g, OBS_SYSTEM, "", "uuid", e, "uuid", where) != 0)
		goto out;
	if (t->computer) {
		if (put_key(g, OBS_SYSTEM, "", "os", e, "operatingsystems_id",
		    where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "os_version", e,
		    "operatingsystemversions_id", where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "manufacturer", e,
		    "manufacturers_id", where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "model", e, t->model,
		    where) != 0)
			goto out;
	} else if (put_key(g, OBS_ENTITY, "info", "mfg", e,
	    "manufacturers_id", where) != 0 ||
	    put_key(g, OBS_ENTITY, "info", "model", e, t->model, where) != 0 ||
	    put_key(g, OBS_ENTITY, "info", "serial", e, "serial", where) != 0)
		goto out;
	pe.t = t;
	pe.id = id;
	/* Network equipment has no one MAC of its own among its ports. */
	pe.self = strcmp(t->name, "NetworkEquipment") != 0 ? a.mac : NULL;
	if (each_port(g, detail, port_emit, &pe) != 0)
		goto out;
	if (t->computer && (software(g, id, detail) != 0 ||
	    (!stopped(g) && antivirus(g, id) != 0)))
		goto out;
	rc = 0;
out:
	json_decref(detail);
	return rc;
}

/*
 * Pages through one item type.  Returns -1 on a sink failure, 0
 * otherwise (server trouble in the status); *n counts its assets.
 */
static int
list_type(struct gctx *g, const struct itemtype *t, size_t *n)
{
	char path[PATH_MAX_LEN];
	json_t *j, *e;
	size_t off = 0, i, got;
	enum reply r;
	int rc;

	*n = 0;
	for (;;) {
		if (*n >= g->o.max_items) {
			set_status(g, COV_PARTIAL, "%s: stopped at %zu items "
			    "(the cap)", t->name, *n);
			return 0;
		}
		snprintf(path, sizeof(path), "%s/?expand_dropdowns=true&"
		    "get_hateoas=false&range=%zu-%zu", t->name, off,
		    off + g->o.page - 1);
		r = get(g, path, 0);
		if (r == GOT_FAIL)
			return 0;
		if (r == GOT_HTTP) {
			http_status(g, path);
			return 0;
		}
		j = answer_json(g, path);
		if (j == NULL)
			return 0;
		if (!json_is_array(j)) {
			set_status(g, COV_ERROR, "%s: not a list of items",
			    path);
			json_decref(j);
			return 0;
		}
		got = json_array_size(j);
		/* A server that sends more than asked gets no more read. */
		if (got > g->o.page)
			got = g->o.page;
		for (i = 0; i < got && *n < g->o.max_items; i++) {
			e = json_array_get(j, i);
			if (!json_is_object(e))
				continue;
			rc = asset(g, t, e);
			if (rc < 0) {
				json_decref(j);
				return -1;
			}
			if (rc > 0)
				continue;
			(*n)++;
			/* A server that stopped answering gets no more. */
			if (stopped(g)) {
				json_decref(j);
				return 0;
			}
		}
		json_decref(j);
		if (got < g->o.page)
			return 0;
		off += got;
	}
}

int
glpi_pull(const struct cred_profile *p, const struct pull_opts *opts,
    const struct pull_sink *sink, struct pull_result *res, char *err,
    size_t errlen)
{
	struct gctx g;
	char counts[400] = "";
	json_t *j = NULL, *tok;
	size_t i, n;
	char *slash;
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
	/* The GLPI front end beside apirest.php, for the assets' URLs. */
	str_copy(g.form_base, p->server_url, sizeof(g.form_base));
	n = strlen(g.form_base);
	while (n > 0 && g.form_base[n - 1] == '/')
		g.form_base[--n] = '\0';
	slash = strrchr(g.form_base, '/');
	if (slash != NULL && strstr(slash, "apirest.php") != NULL)
		*slash = '\0';
	if (pull_http_open(&g.hc, p, &g.o) != 0) {
		errf(err, errlen, "cannot set up libcurl");
		goto out;
	}
	switch (get(&g, "initSession", 1)) {
	case GOT_FAIL:
		rc = 0;
		goto out;
	case GOT_HTTP:
		http_status(&g, "initSession");
		rc = 0;
		goto out;
	case GOT_OK:
		break;
	}
	j = answer_json(&g, "initSession");
	tok = json_object_get(j, "session_token");
	if (j == NULL || !json_is_string(tok) ||
	    json_string_length(tok) == 0 || json_string_length(tok) > 256) {
		set_status(&g, COV_ERROR, "initSession: no session_token in "
		    "the answer");
		rc = 0;
		goto out;
	}
	g.session = str_dup(json_string_value(tok));
	if (g.session == NULL) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < NELEM(itemtypes); i++) {
		if (list_type(&g, &itemtypes[i], &n) != 0)
			goto out;
		snprintf(counts + strlen(counts), sizeof(counts) -
		    strlen(counts), "%s%zu %s", i > 0 ? ", " : "", n,
		    itemtypes[i].name);
		if (res->status != COV_OK && res->status != COV_PARTIAL)
			break;
	}
	(void)get(&g, "killSession", 0);
	pull_finish(res, counts);
	rc = 0;
out:
	if (g.sink_failed)
		rc = -1;
	json_decref(j);
	secret_free(g.session);
	pull_http_close(&g.hc);
	return rc;
}
