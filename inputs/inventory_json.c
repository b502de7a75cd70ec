/*
 * inventory_json: GLPI inventory_format JSON through jansson, into the
 * observations inventory_xml.c makes of the same inventory: this file
 * reads the values, inventory.c turns them into observations for both.
 *
 * The format (glpi-project/inventory_format, inventory.schema.json; its
 * lib/php/Converter.php converts the XML): {"deviceid": ..., "action":
 * "inventory", "itemtype": "Computer", "content": {...}}, keys the XML tag
 * names in lower case, repeated elements as arrays.  The converter renames
 * a few things, which are read back here: NETWORKS/MACADDR is "mac",
 * HARDWARE/VERSIONCLIENT moved to content.versionclient, ENABLED and
 * UPTODATE are booleans, EXPIRATION is already YYYY-MM-DD.
 *
 * Sources are the XML element paths ("SOFTWARES[3]/NAME"), so that an
 * observation does not depend on the file format it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "inventory.h"
#include "inventory_int.h"
#include "util.h"

/* Where the JSON twin of an XML field lives. */
struct field_def {
	const char	*json;		/* key */
	const char	*json_alt;	/* older or renamed key, or NULL */
};

/* A repeated section: fields in the order of inventory_sections[]. */
struct section_def {
	enum inventory_section	 s;
	const char		*json;
	struct field_def	 f[INVENTORY_MAX_FIELDS];	/* NULL-ended */
};

static const struct section_def sections[] = {
	{ INV_SOFTWARES, "softwares", {
	    { "name", NULL },
	    { "version", NULL },
	    { "publisher", NULL },
	    { "arch", NULL },
	    { "from", NULL },
	    { NULL, NULL } } },
	{ INV_PROCESSES, "processes", {
	    { "cmd", NULL },
	    { NULL, NULL } } },
	{ INV_NETWORKS, "networks", {
	    { "mac", "macaddr" },
	    { "ipaddress", NULL },
	    { "ipaddress6", NULL },
	    { "description", NULL },
	    { NULL, NULL } } },
	{ INV_ANTIVIRUS, "antivirus", {
	    { "name", NULL },
	    { "company", NULL },
	    { "version", NULL },
	    { "enabled", NULL },
	    { "uptodate", NULL },
	    { "base_version", "datfileversion" },
	    { "expiration", NULL },
	    { NULL, NULL } } },
};

struct jstate {
	const struct inventory_limits	*lim;
	const struct inventory_sink	*sink;
	struct inventory_stats		 st;
	struct strbuf			 v[INVENTORY_MAX_FIELDS];
	char				 path[160];	/* for messages */
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
};

/*
 * The text of a scalar, as the XML would carry it, into sb (reset
 * first).  null leaves sb empty.  Objects and arrays are an error.
 */
static int
scalar_text(struct jstate *js, const json_t *j, const char *what,
    struct strbuf *sb)
{
	char num[64];

	strbuf_reset(sb);
	sb->truncated = 0;
	switch (json_typeof(j)) {
	case JSON_NULL:
		return 0;
	case JSON_STRING:
		strbuf_add(sb, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		strbuf_puts(sb, num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(j));
		strbuf_puts(sb, num);
		break;
	case JSON_TRUE:
		strbuf_puts(sb, "1");
		break;
	case JSON_FALSE:
		strbuf_puts(sb, "0");
		break;
	default:
		return errf(js->err, js->errlen, "%s: expected a text, number "
		    "or boolean value", what);
	}
	if (sb->oom)
		return errf(js->err, js->errlen, "out of memory");
	if (sb->truncated) {
		inventory_utf8_cut(sb);
		js->st.truncated++;
	}
	return 0;
}

/* The value of key (or its alternative) in obj, or NULL. */
static json_t *
member(const json_t *obj, const char *key, const char *alt)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL && alt != NULL)
		v = json_object_get(obj, alt);
	return v;
}

/* An object member that must be an object when present (null: absent). */
static int
object_member(struct jstate *js, const json_t *obj, const char *key,
    const char *where, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return errf(js->err, js->errlen, "%s.%s: expected an object",
		    where, key);
	*out = v;
	return 0;
}

/* Counts values and checks nesting, before anything is emitted. */
static int
check_tree(struct jstate *js, json_t *j, unsigned depth)
{
	const char *key;
	json_t *v;
	size_t i;

	if (++js->st.elements > js->lim->max_elements)
		return errf(js->err, js->errlen, "more than %zu values",
		    js->lim->max_elements);
	if (depth > js->lim->max_depth)
		return errf(js->err, js->errlen, "values nested deeper than "
		    "%u", js->lim->max_depth);
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if (check_tree(js, v, depth + 1) != 0)
				return -1;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (check_tree(js, v, depth + 1) != 0)
				return -1;
	}
	return 0;
}

/* A repeated section: absent, null, or an array of objects. */
static int
check_section(struct jstate *js, const json_t *content,
    const struct section_def *d)
{
	json_t *arr = json_object_get(content, d->json), *el;
	char what[96];
	size_t i, f;

	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return errf(js->err, js->errlen, "content.%s: expected an "
		    "array", d->json);
	json_array_foreach(arr, i, el) {
		if (!json_is_object(el))
			return errf(js->err, js->errlen, "content.%s[%zu]: "
			    "expected an object", d->json, i);
		for (f = 0; f < INVENTORY_MAX_FIELDS && d->f[f].json != NULL;
		    f++) {
			json_t *v = member(el, d->f[f].json, d->f[f].json_alt);

			snprintf(what, sizeof(what), "content.%s[%zu].%s",
			    d->json, i, d->f[f].json);
			if (v != NULL && (json_is_object(v) ||
			    json_is_array(v)))
				return errf(js->err, js->errlen, "%s: expected "
				    "a text, number or boolean value", what);
		}
	}
	return 0;
}

static int
emit_element(struct jstate *js, const struct section_def *d,
    const json_t *el, size_t ord)
{
	char what[96];
	size_t f;

	for (f = 0; f < INVENTORY_MAX_FIELDS && d->f[f].json != NULL; f++) {
		json_t *jv = member(el, d->f[f].json, d->f[f].json_alt);

		snprintf(what, sizeof(what), "content.%s[%zu].%s", d->json,
		    ord - 1, d->f[f].json);
		if (jv == NULL)
			strbuf_reset(&js->v[f]);
		else if (scalar_text(js, jv, what, &js->v[f]) != 0)
			return -1;
	}
	if (inventory_emit_element(js->sink, d->s, ord, js->v, &js->st,
	    js->err, js->errlen) != 0) {
		js->sink_failed = 1;
		return -1;
	}
	return 0;
}

static int
emit_section(struct jstate *js, const json_t *content,
    const struct section_def *d)
{
	json_t *arr = json_object_get(content, d->json), *el;
	size_t i;

	if (arr == NULL || !json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, el)
		if (emit_element(js, d, el, i + 1) != 0)
			return -1;
	return 0;
}

/* Where the host-level values live: a member of content, else below. */
struct sys_def {
	const char	*obj;		/* content member, NULL: see below */
	const char	*key;
};

static const struct sys_def sys_defs[INV_SYS__COUNT] = {
	[INV_SYS_OS] = { "operatingsystem", "full_name" },
	[INV_SYS_OSNAME] = { "hardware", "osname" },
	[INV_SYS_OS_VERSION] = { "operatingsystem", "version" },
	[INV_SYS_HW_OSVERSION] = { "hardware", "osversion" },
	[INV_SYS_NAME] = { "hardware", "name" },
	[INV_SYS_FQDN] = { "operatingsystem", "fqdn" },
	[INV_SYS_UUID] = { "hardware", "uuid" },
	[INV_SYS_SERIAL] = { "bios", "ssn" },
	[INV_SYS_MANUFACTURER] = { "bios", "smanufacturer" },
	[INV_SYS_MODEL] = { "bios", "smodel" },
	[INV_SYS_AGENT] = { NULL, "versionclient" },
	[INV_SYS_DEVICEID] = { NULL, "deviceid" },
};

struct sysvals {
	struct strbuf	 v[INV_SYS__COUNT];
	char		 macs[INVENTORY_MAX_MACS][18];
	size_t		 nmacs;
};

static int
read_system(struct jstate *js, json_t *root, json_t *content,
    struct sysvals *sv)
{
	json_t *obj, *v, *arr, *el;
	char what[96];
	size_t i;

	for (i = 0; i < INV_SYS__COUNT; i++) {
		const struct sys_def *d = &sys_defs[i];

		if (i == INV_SYS_DEVICEID)
			obj = root;
		else if (d->obj == NULL)
			obj = content;
		else if (object_member(js, content, d->obj, "content",
		    &obj) != 0)
			return -1;
		v = obj != NULL ? json_object_get(obj, d->key) : NULL;
		if (i == INV_SYS_AGENT && v == NULL &&
		    object_member(js, content, "hardware", "content",
		    &obj) == 0 && obj != NULL)
			v = json_object_get(obj, "versionclient");
		if (v == NULL)
			continue;
		snprintf(what, sizeof(what), "%s%s%s", d->obj != NULL ?
		    d->obj : "", d->obj != NULL ? "." : "", d->key);
		if (scalar_text(js, v, what, &sv->v[i]) != 0)
			return -1;
	}
	/* NETWORKS MACs, unique, for the identity. */
	arr = json_object_get(content, "networks");
	if (arr != NULL && json_is_array(arr)) {
		json_array_foreach(arr, i, el) {
			v = member(el, "mac", "macaddr");
			if (v != NULL && json_is_string(v))
				inventory_mac_add(sv->macs, &sv->nmacs,
				    json_string_value(v),
				    json_string_length(v));
		}
	}
	return 0;
}

static int
emit_system(struct jstate *js, struct sysvals *sv)
{
	const struct strbuf *v[INV_SYS__COUNT];
	size_t i;

	for (i = 0; i < INV_SYS__COUNT; i++)
		v[i] = &sv->v[i];
	if (inventory_emit_system(js->sink, v, sv->macs, sv->nmacs, js->err,
	    js->errlen) != 0) {
		js->sink_failed = 1;
		return -1;
	}
	return 0;
}


enum inventory_rc
inventory_json_parse(const void *buf, size_t len,
    const struct inventory_limits *limits, const struct inventory_sink *sink,
    struct inventory_stats *stats, char *err, size_t errlen)
{
	struct inventory_limits defl;
	struct jstate js;
	struct sysvals sv;
	json_error_t jerr;
	json_t *root = NULL, *content, *action;
	enum inventory_rc rc = INV_EINPUT;
	size_t i;

	limits = inventory_begin(limits, &defl, len, stats, err, errlen);
	if (limits == NULL)
		return INV_EINPUT;
	memset(&js, 0, sizeof(js));
	memset(&sv, 0, sizeof(sv));
	js.lim = limits;
	js.sink = sink;
	js.err = err;
	js.errlen = errlen;
	for (i = 0; i < INVENTORY_MAX_FIELDS; i++)
		js.v[i] = (struct strbuf)STRBUF_INIT(limits->max_value);
	for (i = 0; i < INV_SYS__COUNT; i++)
		sv.v[i] = (struct strbuf)STRBUF_INIT(limits->max_value);

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* jansson records nothing when its first allocation fails. */
		if (json_error_code(&jerr) == json_error_out_of_memory ||
		    jerr.text[0] == '\0')
			errf(err, errlen, "out of memory");
		else
			errf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		errf(err, errlen, "not an inventory: expected a JSON object");
		goto out;
	}
	if (check_tree(&js, root, 1) != 0)
		goto out;
	action = json_object_get(root, "action");
	if (action != NULL && (!json_is_string(action) ||
	    strcmp(json_string_value(action), "inventory") != 0)) {
		char shown[48];

		if (json_is_string(action))
			render_value((const unsigned char *)
			    json_string_value(action),
			    json_string_length(action), shown, sizeof(shown));
		else
			str_copy(shown, "not a text", sizeof(shown));
		errf(err, errlen, "not a computer inventory (action is '%s')",
		    shown);
		if (json_is_string(action) && (strcmp(json_string_value(action),
		    "netinventory") == 0 || strcmp(json_string_value(action),
		    "netdiscovery") == 0))
			rc = INV_ENETWORK;
		goto out;
	}
	content = json_object_get(root, "content");
	if (content == NULL || !json_is_object(content)) {
		errf(err, errlen, "not an inventory: no \"content\" object");
		goto out;
	}
	/* Everything is checked before the first callback. */
	for (i = 0; i < NELEM(sections); i++)
		if (check_section(&js, content, &sections[i]) != 0)
			goto out;
	if (read_system(&js, root, content, &sv) != 0)
		goto out;

	if (emit_system(&js, &sv) != 0)
		goto out;
	for (i = 0; i < NELEM(sections); i++)
		if (emit_section(&js, content, &sections[i]) != 0)
			goto out;
	if (stats != NULL)
		*stats = js.st;
	rc = INV_OK;
out:
	if (js.sink_failed)
		rc = INV_ESINK;
	for (i = 0; i < INVENTORY_MAX_FIELDS; i++)
		strbuf_free(&js.v[i]);
	for (i = 0; i < INV_SYS__COUNT; i++)
		strbuf_free(&sv.v[i]);
	json_decref(root);
	return rc;
}
