/*
 * inventory_json: GLPI inventory_format JSON through jansson, into the
 * observations inventory_xml.c makes of the same inventory.
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
#include "util.h"

#define FIELDS_MAX	8

/* One XML field and where its JSON twin lives. */
struct field_def {
	const char	*xml;		/* tag, for the source path */
	const char	*json;		/* key */
	const char	*json_alt;	/* older or renamed key, or NULL */
};

/* The repeated sections, fields in the order inventory_xml.c emits. */
enum { SW_NAME, SW_VERSION, SW_PUBLISHER, SW_ARCH, SW_FROM };
enum { PR_CMD };
enum { NET_MAC, NET_IP, NET_IP6, NET_DESCR };
enum { AV_NAME, AV_COMPANY, AV_VERSION, AV_ENABLED, AV_UPTODATE,
	AV_BASE_VERSION, AV_EXPIRATION };

struct section_def {
	const char		*xml;
	const char		*json;
	enum obs_kind		 kind;
	struct field_def	 f[FIELDS_MAX];
};

static const struct section_def sec_softwares = {
	"SOFTWARES", "softwares", OBS_SOFTWARE, {
	    { "NAME", "name", NULL },
	    { "VERSION", "version", NULL },
	    { "PUBLISHER", "publisher", NULL },
	    { "ARCH", "arch", NULL },
	    { "FROM", "from", NULL },
	    { NULL, NULL, NULL } }
};
static const struct section_def sec_processes = {
	"PROCESSES", "processes", OBS_PROCESS, {
	    { "CMD", "cmd", NULL },
	    { NULL, NULL, NULL } }
};
static const struct section_def sec_networks = {
	"NETWORKS", "networks", OBS_NETIF, {
	    { "MACADDR", "mac", "macaddr" },
	    { "IPADDRESS", "ipaddress", NULL },
	    { "IPADDRESS6", "ipaddress6", NULL },
	    { "DESCRIPTION", "description", NULL },
	    { NULL, NULL, NULL } }
};
static const struct section_def sec_antivirus = {
	"ANTIVIRUS", "antivirus", OBS_ANTIVIRUS, {
	    { "NAME", "name", NULL },
	    { "COMPANY", "company", NULL },
	    { "VERSION", "version", NULL },
	    { "ENABLED", "enabled", NULL },
	    { "UPTODATE", "uptodate", NULL },
	    { "BASE_VERSION", "base_version", "datfileversion" },
	    { "EXPIRATION", "expiration", NULL },
	    { NULL, NULL, NULL } }
};

/* Software and antivirus attributes that map one to one. */
static const char *const sw_attrs[] = {
	"name", "version", "publisher", "arch", "from"
};
static const char *const av_attrs[] = {
	"name", "company", "version", "enabled", "uptodate", "base_version"
};

struct jstate {
	const struct inventory_limits	*lim;
	const struct inventory_sink	*sink;
	struct inventory_stats		 st;
	struct strbuf			 v[FIELDS_MAX];
	char				 path[160];	/* for messages */
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
};

/* Cuts a value to max_value bytes at a UTF-8 character boundary. */
static void
utf8_cut(struct strbuf *sb)
{
	size_t i, need;
	unsigned char c;

	if (!sb->truncated || sb->len == 0)
		return;
	i = sb->len - 1;
	while (i > 0 && sb->len - i < 4 &&
	    ((unsigned char)sb->s[i] & 0xC0) == 0x80)
		i--;
	c = (unsigned char)sb->s[i];
	if (c < 0x80)
		need = 1;
	else if ((c & 0xE0) == 0xC0)
		need = 2;
	else if ((c & 0xF0) == 0xE0)
		need = 3;
	else
		need = 4;
	if (i + need > sb->len) {
		sb->len = i;
		sb->s[i] = '\0';
	}
}

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
		utf8_cut(sb);
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
		for (f = 0; f < FIELDS_MAX && d->f[f].xml != NULL; f++) {
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
emit(struct jstate *js, enum obs_kind kind, const char *item,
    const char *attr, const char *source, const char *v, size_t n)
{
	struct observation o;

	if (n == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = n;
	if (js->sink->observe(js->sink->arg, &o) != 0) {
		js->sink_failed = 1;
		return errf(js->err, js->errlen, "the observation sink "
		    "failed");
	}
	return 0;
}

static int
emit_field(struct jstate *js, const struct section_def *d,
    const char *item, int f, const char *attr, const char *v, size_t n)
{
	char source[96];

	snprintf(source, sizeof(source), "%s[%s]/%s", d->xml, item,
	    d->f[f].xml);
	return emit(js, d->kind, item, attr, source, v, n);
}

static int
emit_element(struct jstate *js, const struct section_def *d,
    const json_t *el, size_t ord)
{
	struct strbuf *v = js->v;
	char item[24], what[96], date[11];
	const char *name;
	size_t n, f;

	snprintf(item, sizeof(item), "%zu", ord);
	for (f = 0; f < FIELDS_MAX && d->f[f].xml != NULL; f++) {
		json_t *jv = member(el, d->f[f].json, d->f[f].json_alt);

		snprintf(what, sizeof(what), "content.%s[%zu].%s", d->json,
		    ord - 1, d->f[f].json);
		if (jv == NULL)
			strbuf_reset(&v[f]);
		else if (scalar_text(js, jv, what, &v[f]) != 0)
			return -1;
	}
	if (d == &sec_softwares) {
		js->st.software++;
		for (f = 0; f < NELEM(sw_attrs); f++)
			if (emit_field(js, d, item, (int)f, sw_attrs[f],
			    strbuf_str(&v[f]), v[f].len) != 0)
				return -1;
		return 0;
	}
	if (d == &sec_processes) {
		js->st.processes++;
		n = inventory_process_name(strbuf_str(&v[PR_CMD]),
		    v[PR_CMD].len, &name);
		return emit_field(js, d, item, PR_CMD, "name", name, n);
	}
	if (d == &sec_networks) {
		js->st.netifs++;
		if (emit_field(js, d, item, NET_MAC, "mac",
		    strbuf_str(&v[NET_MAC]), v[NET_MAC].len) != 0)
			return -1;
		f = v[NET_IP].len > 0 ? NET_IP : NET_IP6;
		if (emit_field(js, d, item, (int)f, "ip", strbuf_str(&v[f]),
		    v[f].len) != 0)
			return -1;
		return emit_field(js, d, item, NET_DESCR, "descr",
		    strbuf_str(&v[NET_DESCR]), v[NET_DESCR].len);
	}
	/* Antivirus. */
	js->st.antivirus++;
	for (f = 0; f < NELEM(av_attrs); f++)
		if (emit_field(js, d, item, (int)f, av_attrs[f],
		    strbuf_str(&v[f]), v[f].len) != 0)
			return -1;
	if (inventory_base_date(strbuf_str(&v[AV_BASE_VERSION]),
	    v[AV_BASE_VERSION].len, date) == 0 &&
	    emit_field(js, d, item, AV_BASE_VERSION, "base_date", date,
	    strlen(date)) != 0)
		return -1;
	if (inventory_dmy_date(strbuf_str(&v[AV_EXPIRATION]),
	    v[AV_EXPIRATION].len, date) == 0)
		return emit_field(js, d, item, AV_EXPIRATION, "expiration",
		    date, strlen(date));
	return emit_field(js, d, item, AV_EXPIRATION, "expiration",
	    strbuf_str(&v[AV_EXPIRATION]), v[AV_EXPIRATION].len);
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

/* The host-level values, in the order inventory_xml.c emits them. */
enum { SYS_OS, SYS_OSNAME, SYS_OSVER, SYS_HWOSVER, SYS_NAME, SYS_FQDN,
	SYS_UUID, SYS_SERIAL, SYS_MFG, SYS_MODEL, SYS_AGENT, SYS_DEVICEID,
	SYS__COUNT };

struct sys_def {
	const char	*obj;		/* content member, NULL: see below */
	const char	*key;
	const char	*source;
};

static const struct sys_def sys_defs[SYS__COUNT] = {
	[SYS_OS] = { "operatingsystem", "full_name",
	    "OPERATINGSYSTEM/FULL_NAME" },
	[SYS_OSNAME] = { "hardware", "osname", "HARDWARE/OSNAME" },
	[SYS_OSVER] = { "operatingsystem", "version",
	    "OPERATINGSYSTEM/VERSION" },
	[SYS_HWOSVER] = { "hardware", "osversion", "HARDWARE/OSVERSION" },
	[SYS_NAME] = { "hardware", "name", "HARDWARE/NAME" },
	[SYS_FQDN] = { "operatingsystem", "fqdn", "OPERATINGSYSTEM/FQDN" },
	[SYS_UUID] = { "hardware", "uuid", "HARDWARE/UUID" },
	[SYS_SERIAL] = { "bios", "ssn", "BIOS/SSN" },
	[SYS_MFG] = { "bios", "smanufacturer", "BIOS/SMANUFACTURER" },
	[SYS_MODEL] = { "bios", "smodel", "BIOS/SMODEL" },
	[SYS_AGENT] = { NULL, "versionclient", "VERSIONCLIENT" },
	[SYS_DEVICEID] = { NULL, "deviceid", "DEVICEID" },
};

struct sysvals {
	struct strbuf	 v[SYS__COUNT];
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

	for (i = 0; i < SYS__COUNT; i++) {
		const struct sys_def *d = &sys_defs[i];

		if (i == SYS_DEVICEID)
			obj = root;
		else if (d->obj == NULL)
			obj = content;
		else if (object_member(js, content, d->obj, "content",
		    &obj) != 0)
			return -1;
		v = obj != NULL ? json_object_get(obj, d->key) : NULL;
		if (i == SYS_AGENT && v == NULL &&
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
			char m[18];
			size_t k;

			v = member(el, "mac", "macaddr");
			if (v == NULL || !json_is_string(v) ||
			    inventory_mac_norm(json_string_value(v),
			    json_string_length(v), m) != 0)
				continue;
			for (k = 0; k < sv->nmacs; k++)
				if (strcmp(sv->macs[k], m) == 0)
					break;
			if (k == sv->nmacs && sv->nmacs < INVENTORY_MAX_MACS)
				memcpy(sv->macs[sv->nmacs++], m, sizeof(m));
		}
	}
	return 0;
}

static const char *
opt_str(const struct strbuf *sb)
{
	return sb->len > 0 ? sb->s : NULL;
}

static int
emit_system(struct jstate *js, struct sysvals *sv)
{
	struct inventory_identity id;
	const char *macs[INVENTORY_MAX_MACS];
	struct strbuf *v = sv->v;
	static const int order[] = { SYS_OS, SYS_OSVER, SYS_NAME, SYS_FQDN,
		SYS_UUID, SYS_SERIAL, SYS_MFG, SYS_MODEL, SYS_AGENT };
	static const char *const attrs[] = { "os", "os_version", "name",
		"fqdn", "uuid", "serial", "manufacturer", "model",
		"agent_version" };
	size_t i;

	for (i = 0; i < sv->nmacs; i++)
		macs[i] = sv->macs[i];
	memset(&id, 0, sizeof(id));
	if (v[SYS_UUID].len > 0 &&
	    inventory_uuid_usable(v[SYS_UUID].s, v[SYS_UUID].len))
		id.uuid = v[SYS_UUID].s;
	if (v[SYS_SERIAL].len > 0 &&
	    inventory_serial_usable(v[SYS_SERIAL].s, v[SYS_SERIAL].len))
		id.serial = v[SYS_SERIAL].s;
	id.name = opt_str(&v[SYS_NAME]);
	id.fqdn = opt_str(&v[SYS_FQDN]);
	id.deviceid = opt_str(&v[SYS_DEVICEID]);
	id.macs = macs;
	id.nmacs = sv->nmacs;
	if (js->sink->identity != NULL &&
	    js->sink->identity(js->sink->arg, &id) != 0) {
		js->sink_failed = 1;
		return errf(js->err, js->errlen, "the identity sink failed");
	}
	for (i = 0; i < NELEM(order); i++) {
		int s = order[i];

		/* Older agents: HARDWARE/OSNAME and OSVERSION stand in. */
		if (s == SYS_OS && v[s].len == 0)
			s = SYS_OSNAME;
		else if (s == SYS_OSVER && v[s].len == 0)
			s = SYS_HWOSVER;
		if (emit(js, OBS_SYSTEM, "", attrs[i], sys_defs[s].source,
		    strbuf_str(&v[s]), v[s].len) != 0)
			return -1;
	}
	return 0;
}

static const struct section_def *const sections[] = {
	&sec_softwares, &sec_processes, &sec_networks, &sec_antivirus,
};

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

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (limits == NULL) {
		inventory_limits_default(&defl);
		limits = &defl;
	}
	memset(&js, 0, sizeof(js));
	memset(&sv, 0, sizeof(sv));
	js.lim = limits;
	js.sink = sink;
	js.err = err;
	js.errlen = errlen;
	for (i = 0; i < FIELDS_MAX; i++)
		js.v[i] = (struct strbuf)STRBUF_INIT(limits->max_value);
	for (i = 0; i < SYS__COUNT; i++)
		sv.v[i] = (struct strbuf)STRBUF_INIT(limits->max_value);

	if (len > limits->max_input) {
		errf(err, errlen, "inventory larger than %zu bytes",
		    limits->max_input);
		goto out;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
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
			    json_string_value(action), json_string_length(action),
			    shown, sizeof(shown));
		else
			str_copy(shown, "not a text", sizeof(shown));
		errf(err, errlen, "not a computer inventory (action is '%s')",
		    shown);
		goto out;
	}
	content = json_object_get(root, "content");
	if (content == NULL || !json_is_object(content)) {
		errf(err, errlen, "not an inventory: no \"content\" object");
		goto out;
	}
	/* Everything is checked before the first callback. */
	for (i = 0; i < NELEM(sections); i++)
		if (check_section(&js, content, sections[i]) != 0)
			goto out;
	if (read_system(&js, root, content, &sv) != 0)
		goto out;

	if (emit_system(&js, &sv) != 0)
		goto out;
	for (i = 0; i < NELEM(sections); i++)
		if (emit_section(&js, content, sections[i]) != 0)
			goto out;
	if (stats != NULL)
		*stats = js.st;
	rc = INV_OK;
out:
	if (js.sink_failed)
		rc = INV_ESINK;
	for (i = 0; i < FIELDS_MAX; i++)
		strbuf_free(&js.v[i]);
	for (i = 0; i < SYS__COUNT; i++)
		strbuf_free(&sv.v[i]);
	json_decref(root);
	return rc;
}
