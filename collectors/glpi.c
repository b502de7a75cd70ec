/*
 * glpi: the GLPI REST pull (glpi.h), one request at a time through the
 * shared client of pull.h: paced, bounded and TLS-verified as the agent
 * collector's requests are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "glpi.h"
#include "inventory.h"
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
	char				 form_base[PATH_MAX_LEN];
	long				 code;
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
};

/* The outcome of one request. */
enum reply { GOT_OK, GOT_HTTP, GOT_FAIL };

#define set_status(g, ...)	pull_status((g)->res, __VA_ARGS__)

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

static int
put(struct gctx *g, enum obs_kind k, const char *item, const char *attr,
    const char *v, const char *src)
{
	struct observation o;

	if (v == NULL || *v == '\0')
		return 0;
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = src;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	if (g->sink->observe(g->sink->arg, &o) != 0) {
		g->sink_failed = 1;
		return errf(g->err, g->errlen, "the observation sink failed");
	}
	return 0;
}

/* obj[key] as an observation; source "glpi TYPE/ID PREFIXkey". */
static int
put_key(struct gctx *g, enum obs_kind k, const char *item, const char *attr,
    json_t *obj, const char *key, const char *where)
{
	char v[4096], src[PATH_MAX_LEN];

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

/* A computer's software and antivirus rows; counts them. */
static int
computer_details(struct gctx *g, long id, size_t *nsw, size_t *nav)
{
	static const char *const avkeys[][2] = {
		{ "name", "name" }, { "company", "manufacturers_id" },
		{ "version", "antivirus_version" },
		{ "base_version", "signature_version" },
		{ "enabled", "is_active" }, { "uptodate", "is_uptodate" },
		{ "expiration", "date_expiration" },
	};
	char path[PATH_MAX_LEN], where[PATH_MAX_LEN], item[32], v[256];
	char date[11];
	json_t *j, *sw, *e;
	size_t i, k;
	enum reply r;

	*nsw = *nav = 0;
	snprintf(path, sizeof(path), "Computer/%ld?with_softwares=true&"
	    "expand_dropdowns=true&get_hateoas=false", id);
	r = get(g, path, 0);
	if (r == GOT_FAIL)
		return 1;
	/* One asset's details refused: that asset is partly read. */
	if (r == GOT_HTTP && g->code != 401 && g->code != 403 &&
	    g->code != 429) {
		set_status(g, COV_PARTIAL, "%s: HTTP %ld", path, g->code);
		return 1;
	}
	if (r == GOT_HTTP) {
		http_status(g, path);
		return 1;
	}
	j = answer_json(g, path);
	if (j == NULL)
		return 1;
	sw = json_object_get(j, "_softwares");
	json_array_foreach(sw, i, e) {
		if (!json_is_object(e))
			continue;
		snprintf(item, sizeof(item), "%zu", ++*nsw);
		snprintf(where, sizeof(where), "Computer/%ld _softwares[%zu].",
		    id, i + 1);
		if (put_key(g, OBS_SOFTWARE, item, "name", e, "softwares_id",
		    where) != 0 || put_key(g, OBS_SOFTWARE, item, "version", e,
		    "softwareversions_id", where) != 0) {
			json_decref(j);
			return -1;
		}
	}
	json_decref(j);
	snprintf(path, sizeof(path), "Computer/%ld/ComputerAntivirus?"
	    "expand_dropdowns=true&get_hateoas=false", id);
	r = get(g, path, 0);
	if (r == GOT_FAIL)
		return 1;
	if (r == GOT_HTTP)	/* GLPI 10.1+ calls it ItemAntivirus */
		return 0;
	j = answer_json(g, path);
	if (j == NULL)
		return 1;
	json_array_foreach(j, i, e) {
		if (!json_is_object(e))
			continue;
		snprintf(item, sizeof(item), "%zu", ++*nav);
		snprintf(where, sizeof(where), "Computer/%ld/ComputerAntivirus"
		    "[%zu].", id, i + 1);
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

/* One asset of a listing page: announced, then its observations. */
static int
asset(struct gctx *g, const struct itemtype *t, json_t *e)
{
	struct pull_asset a;
	char name[256], uuid[128], serial[128], last[64], where[128];
	char cov[1024], idbuf[32];
	size_t nsw = 0, nav = 0;
	int64_t when;
	long id;
	int stale;

	memset(&a, 0, sizeof(a));
	str(e, "id", idbuf, sizeof(idbuf));
	if (parse_long(idbuf, 0, 0x7fffffffL, &id) != 0)
		return 0;	/* not an asset row */
	a.itemtype = t->name;
	a.id = id;
	a.name = *str(e, "name", name, sizeof(name)) != '\0' ? name : NULL;
	str(e, "uuid", uuid, sizeof(uuid));
	a.uuid = inventory_uuid_usable(uuid, strlen(uuid)) ? uuid : NULL;
	str(e, "serial", serial, sizeof(serial));
	a.serial = inventory_serial_usable(serial, strlen(serial)) ? serial :
	    NULL;
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
	if (a.name == NULL && a.uuid == NULL && a.serial == NULL) {
		snprintf(name, sizeof(name), "glpi-%s-%ld", t->form, id);
		a.name = name;
	}
	if (g->sink->asset(g->sink->arg, &a) != 0) {
		g->sink_failed = 1;
		return errf(g->err, g->errlen, "the asset sink failed");
	}
	g->res->assets++;
	snprintf(where, sizeof(where), "%s/%ld ", t->name, id);
	if (put_key(g, OBS_SYSTEM, "", "name", e, "name", where) != 0 ||
	    put_key(g, OBS_SYSTEM, "", "serial", e, "serial", where) != 0 ||
	    put_key(g, OBS_SYSTEM, "", "uuid", e, "uuid", where) != 0)
		return -1;
	if (t->computer) {
		if (put_key(g, OBS_SYSTEM, "", "os", e, "operatingsystems_id",
		    where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "os_version", e,
		    "operatingsystemversions_id", where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "manufacturer", e,
		    "manufacturers_id", where) != 0 ||
		    put_key(g, OBS_SYSTEM, "", "model", e, t->model,
		    where) != 0)
			return -1;
		/* Details refused: the listing still counts (partial). */
		if (computer_details(g, id, &nsw, &nav) < 0)
			return -1;
	} else if (put_key(g, OBS_ENTITY, "info", "mfg", e,
	    "manufacturers_id", where) != 0 ||
	    put_key(g, OBS_ENTITY, "info", "model", e, t->model, where) != 0 ||
	    put_key(g, OBS_ENTITY, "info", "serial", e, "serial", where) != 0)
		return -1;
	return 0;
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
			if (asset(g, t, e) != 0) {
				json_decref(j);
				return -1;
			}
			(*n)++;
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
