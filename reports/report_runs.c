/*
 * report_runs: the list of a database's runs ("banaudit runs"), as text
 * for a terminal or as JSON (docs/runs.schema.json): id, uuid, site,
 * scope, kind, status, times, the figures of report_counts() (targets,
 * assessed, open findings, leads) and, for merged runs, their origin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report.h"
#include "util.h"

struct ids {
	int64_t		*v;
	size_t		 n, cap;
	int		 oom;
};

static int
id_cb(void *arg, const struct run_info *ri)
{
	struct ids *x = arg;

	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	x->v[x->n++] = ri->id;
	return 0;
}

/* Copies s for a terminal: control characters become '?'; "-" for none. */
static const char *
safe(const char *s, char *buf, size_t len)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return "-";
	str_copy(buf, s, len);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

static json_t *
jstr_or_null(const char *s)
{
	if (s == NULL)
		return json_null();
	/*
	 * Not UTF-8 (a label typed in another encoding): keep it visible.
	 * json_string() is NULL for that and when memory runs out; only the
	 * first is a placeholder.
	 */
	if (!utf8_valid(s))
		return json_string("(not valid UTF-8)");
	return json_string(s);
}

static json_t *
jtime(int64_t t)
{
	char buf[32];

	if (t <= 0)
		return json_null();
	fmt_time(t, buf, sizeof(buf));
	return json_string(buf);
}

static int
put(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

static json_t *
run_json(const struct run_info *ri, const struct report_counts *c)
{
	json_t *o = json_object();
	int bad = 0;

	if (o == NULL)
		return NULL;
	bad |= put(o, "id", json_integer(ri->id));
	bad |= put(o, "uuid", jstr_or_null(ri->uuid));
	bad |= put(o, "site", jstr_or_null(ri->site));
	bad |= put(o, "scope", jstr_or_null(ri->scope));
	bad |= put(o, "kind", jstr_or_null(ri->kind));
	bad |= put(o, "status", json_string(run_status_name(ri->status)));
	bad |= put(o, "label", jstr_or_null(ri->label));
	bad |= put(o, "started", jtime(ri->started));
	bad |= put(o, "finished", jtime(ri->finished));
	bad |= put(o, "tool_version", jstr_or_null(ri->tool_version));
	bad |= put(o, "rules_version", jstr_or_null(ri->rules_version));
	bad |= put(o, "origin", jstr_or_null(ri->origin));
	bad |= put(o, "targets", json_integer((json_int_t)c->targets));
	bad |= put(o, "assessed", json_integer((json_int_t)c->assessed));
	bad |= put(o, "partially_assessed",
	    json_integer((json_int_t)c->partial));
	bad |= put(o, "not_assessed",
	    json_integer((json_int_t)c->not_assessed));
	bad |= put(o, "neighbour_only",
	    json_integer((json_int_t)c->neighbour));
	bad |= put(o, "findings_open", json_integer((json_int_t)c->open));
	bad |= put(o, "leads", json_integer((json_int_t)c->leads));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Two lines per run: the figures, then uuid, end and origin. */
static void
run_text(FILE *fp, const struct run_info *ri, const struct report_counts *c)
{
	char started[32], finished[32], site[128], scope[256], uuid[64];
	char kind[24], origin[512];

	fmt_time(ri->started, started, sizeof(started));
	if (ri->finished > 0)
		fmt_time(ri->finished, finished, sizeof(finished));
	else
		str_copy(finished, "-", sizeof(finished));
	fprintf(fp, "%-5lld %-10s %-6s %-20s %7zu %8zu %7zu %4zu %6zu  "
	    "%s / %s\n", (long long)ri->id, run_status_name(ri->status),
	    safe(ri->kind, kind, sizeof(kind)), started, c->targets,
	    c->assessed, c->partial, c->not_assessed, c->open,
	    safe(ri->site, site, sizeof(site)),
	    safe(ri->scope, scope, sizeof(scope)));
	fprintf(fp, "      uuid %s, finished %s%s%s\n",
	    safe(ri->uuid, uuid, sizeof(uuid)), finished,
	    ri->origin != NULL ? ", from " : "",
	    ri->origin != NULL ? safe(ri->origin, origin, sizeof(origin)) :
	    "");
}

int
report_runs(struct store *s, int json, FILE *fp, char *err, size_t errlen)
{
	struct report_counts c;
	struct run_info ri;
	struct ids x;
	json_t *root = NULL, *arr = NULL, *o;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	if (store_each_run(s, id_cb, &x, err, errlen) != 0)
		goto out;
	if (x.oom) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (json) {
		root = json_object();
		arr = json_array();
		if (root == NULL || arr == NULL ||
		    put(root, "format", json_string("banaudit-runs")) != 0 ||
		    put(root, "format_version", json_integer(1)) != 0 ||
		    json_object_set(root, "runs", arr) != 0) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	} else
		fprintf(fp, "%-5s %-10s %-6s %-20s %7s %8s %7s %4s %6s  "
		    "%s\n", "ID", "STATUS", "KIND", "STARTED", "TARGETS",
		    "ASSESSED", "PARTIAL", "NOT", "OPEN", "SITE / SCOPE");
	for (i = 0; i < x.n; i++) {
		/* Counts first: store_run_get()'s strings last until then. */
		if (report_counts(s, x.v[i], NULL, &c, err, errlen) != 0 ||
		    store_run_get(s, x.v[i], &ri, err, errlen) != 0)
			goto out;
		if (!json) {
			run_text(fp, &ri, &c);
			continue;
		}
		o = run_json(&ri, &c);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (json && (json_dumpf(root, fp, JSON_INDENT(1)) != 0 ||
	    fputc('\n', fp) == EOF)) {
		errf(err, errlen, "cannot write the list: %s",
		    strerror(errno != 0 ? errno : EIO));
		goto out;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		errf(err, errlen, "cannot write the list: %s",
		    strerror(errno != 0 ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	json_decref(arr);
	json_decref(root);
	free(x.v);
	return rc;
}
