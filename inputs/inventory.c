/*
 * inventory: the format-neutral half of the inventory parsers -- limits,
 * identity placeholders, MAC and date normalisation, process names, and
 * what becomes an observation (inventory_int.h).  The XML and the JSON
 * parser both use these, so that both formats yield the same
 * observations.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "inventory.h"
#include "inventory_int.h"
#include "util.h"

const struct inventory_section_def inventory_sections[INV__SECTIONS] = {
	[INV_SOFTWARES] = { "SOFTWARES", OBS_SOFTWARE,
	    { "NAME", "VERSION", "PUBLISHER", "ARCH", "FROM", NULL } },
	[INV_PROCESSES] = { "PROCESSES", OBS_PROCESS, { "CMD", NULL } },
	[INV_NETWORKS] = { "NETWORKS", OBS_NETIF,
	    { "MACADDR", "IPADDRESS", "IPADDRESS6", "DESCRIPTION", NULL } },
	[INV_ANTIVIRUS] = { "ANTIVIRUS", OBS_ANTIVIRUS,
	    { "NAME", "COMPANY", "VERSION", "ENABLED", "UPTODATE",
	      "BASE_VERSION", "EXPIRATION", NULL } },
};

/* Software and antivirus fields that map one to one, from the first. */
static const char *const sw_attrs[] = {
	"name", "version", "publisher", "arch", "from"
};
static const char *const av_attrs[] = {
	"name", "company", "version", "enabled", "uptodate", "base_version"
};

void
inventory_limits_default(struct inventory_limits *l)
{
	l->max_input = 64u << 20;
	l->max_elements = 2000000;
	l->max_depth = 32;
	l->max_value = 4096;
}

const struct inventory_limits *
inventory_begin(const struct inventory_limits *limits,
    struct inventory_limits *defl, size_t len, struct inventory_stats *stats,
    char *err, size_t errlen)
{
	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (limits == NULL) {
		inventory_limits_default(defl);
		limits = defl;
	}
	if (len > limits->max_input) {
		errf(err, errlen, "inventory larger than %zu bytes",
		    limits->max_input);
		return NULL;
	}
	return limits;
}

void
inventory_utf8_cut(struct strbuf *sb)
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

void
inventory_mac_add(char macs[][18], size_t *n, const char *s, size_t len)
{
	char m[18];
	size_t i;

	if (inventory_mac_norm(s, len, m) != 0)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(macs[i], m) == 0)
			return;
	if (*n < INVENTORY_MAX_MACS)
		memcpy(macs[(*n)++], m, sizeof(m));
}

static int
emit(const struct inventory_sink *sink, enum obs_kind kind,
    const char *item, const char *attr, const char *source, const char *v,
    size_t n, char *msg, size_t msglen)
{
	struct observation o = { 0 };

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
	if (sink->observe(sink->arg, &o) != 0)
		return errf(msg, msglen, "the observation sink failed");
	return 0;
}

static const char *
opt_str(const struct strbuf *sb)
{
	return sb->len > 0 ? sb->s : NULL;
}

int
inventory_emit_system(const struct inventory_sink *sink,
    const struct strbuf *const v[INV_SYS__COUNT], const char macs[][18],
    size_t nmacs, char *msg, size_t msglen)
{
	static const struct {
		int		 sys;
		int		 alt;	/* stands in when sys is empty, or -1 */
		const char	*attr;
	} out[] = {
		/* Older agents: HARDWARE/OSNAME and OSVERSION stand in. */
		{ INV_SYS_OS, INV_SYS_OSNAME, "os" },
		{ INV_SYS_OS_VERSION, INV_SYS_HW_OSVERSION, "os_version" },
		{ INV_SYS_NAME, -1, "name" },
		{ INV_SYS_FQDN, -1, "fqdn" },
		{ INV_SYS_UUID, -1, "uuid" },
		{ INV_SYS_SERIAL, -1, "serial" },
		{ INV_SYS_MANUFACTURER, -1, "manufacturer" },
		{ INV_SYS_MODEL, -1, "model" },
		{ INV_SYS_AGENT, -1, "agent_version" },
	};
	static const char *const sources[INV_SYS__COUNT] = {
		[INV_SYS_OS] = "OPERATINGSYSTEM/FULL_NAME",
		[INV_SYS_OSNAME] = "HARDWARE/OSNAME",
		[INV_SYS_OS_VERSION] = "OPERATINGSYSTEM/VERSION",
		[INV_SYS_HW_OSVERSION] = "HARDWARE/OSVERSION",
		[INV_SYS_NAME] = "HARDWARE/NAME",
		[INV_SYS_FQDN] = "OPERATINGSYSTEM/FQDN",
		[INV_SYS_UUID] = "HARDWARE/UUID",
		[INV_SYS_SERIAL] = "BIOS/SSN",
		[INV_SYS_MANUFACTURER] = "BIOS/SMANUFACTURER",
		[INV_SYS_MODEL] = "BIOS/SMODEL",
		[INV_SYS_AGENT] = "VERSIONCLIENT",
		[INV_SYS_DEVICEID] = "DEVICEID",
	};
	const struct strbuf *uuid = v[INV_SYS_UUID];
	const struct strbuf *serial = v[INV_SYS_SERIAL];
	struct inventory_identity id;
	const char *mp[INVENTORY_MAX_MACS];
	size_t i;

	for (i = 0; i < nmacs; i++)
		mp[i] = macs[i];
	memset(&id, 0, sizeof(id));
	if (uuid->len > 0 && inventory_uuid_usable(uuid->s, uuid->len))
		id.uuid = uuid->s;
	if (serial->len > 0 &&
	    inventory_serial_usable(serial->s, serial->len))
		id.serial = serial->s;
	id.name = opt_str(v[INV_SYS_NAME]);
	id.fqdn = opt_str(v[INV_SYS_FQDN]);
	id.deviceid = opt_str(v[INV_SYS_DEVICEID]);
	id.macs = mp;
	id.nmacs = nmacs;
	if (sink->identity != NULL && sink->identity(sink->arg, &id) != 0)
		return errf(msg, msglen, "the identity sink failed");
	for (i = 0; i < NELEM(out); i++) {
		int s = out[i].sys;

		if (out[i].alt >= 0 && v[s]->len == 0)
			s = out[i].alt;
		if (emit(sink, OBS_SYSTEM, "", out[i].attr, sources[s],
		    strbuf_str(v[s]), v[s]->len, msg, msglen) != 0)
			return -1;
	}
	return 0;
}

/* One element being emitted. */
struct element {
	const struct inventory_sink		*sink;
	const struct inventory_section_def	*d;
	char					 item[24];
	char					*msg;
	size_t					 msglen;
};

/* Field f of the element as attr; the source names the field. */
static int
field(struct element *e, int f, const char *attr, const char *v, size_t n)
{
	char source[96];

	snprintf(source, sizeof(source), "%s[%s]/%s", e->d->tag, e->item,
	    e->d->fields[f]);
	return emit(e->sink, e->d->kind, e->item, attr, source, v, n, e->msg,
	    e->msglen);
}

/* Field f as it is. */
static int
field_as_is(struct element *e, int f, const char *attr,
    const struct strbuf *v)
{
	return field(e, f, attr, strbuf_str(&v[f]), v[f].len);
}

int
inventory_emit_element(const struct inventory_sink *sink,
    enum inventory_section s, size_t ord, const struct strbuf *v,
    struct inventory_stats *st, char *msg, size_t msglen)
{
	struct element e;
	char date[11];
	const char *name;
	size_t n, f;

	e.sink = sink;
	e.d = &inventory_sections[s];
	snprintf(e.item, sizeof(e.item), "%zu", ord);
	e.msg = msg;
	e.msglen = msglen;
	switch (s) {
	case INV_SOFTWARES:
		st->software++;
		for (f = 0; f < NELEM(sw_attrs); f++)
			if (field_as_is(&e, (int)f, sw_attrs[f], v) != 0)
				return -1;
		return 0;
	case INV_PROCESSES:
		st->processes++;
		n = inventory_process_name(strbuf_str(&v[INV_PROC_CMD]),
		    v[INV_PROC_CMD].len, &name);
		return field(&e, INV_PROC_CMD, "name", name, n);
	case INV_NETWORKS:
		st->netifs++;
		f = v[INV_NET_IPADDRESS].len > 0 ? INV_NET_IPADDRESS :
		    INV_NET_IPADDRESS6;
		if (field_as_is(&e, INV_NET_MACADDR, "mac", v) != 0 ||
		    field_as_is(&e, (int)f, "ip", v) != 0)
			return -1;
		return field_as_is(&e, INV_NET_DESCRIPTION, "descr", v);
	case INV_ANTIVIRUS:
		st->antivirus++;
		for (f = 0; f < NELEM(av_attrs); f++)
			if (field_as_is(&e, (int)f, av_attrs[f], v) != 0)
				return -1;
		if (inventory_base_date(strbuf_str(&v[INV_AV_BASE_VERSION]),
		    v[INV_AV_BASE_VERSION].len, date) == 0 &&
		    field(&e, INV_AV_BASE_VERSION, "base_date", date,
		    strlen(date)) != 0)
			return -1;
		/* "DD/MM/YYYY" as YYYY-MM-DD; anything else as it is. */
		if (inventory_dmy_date(strbuf_str(&v[INV_AV_EXPIRATION]),
		    v[INV_AV_EXPIRATION].len, date) == 0)
			return field(&e, INV_AV_EXPIRATION, "expiration",
			    date, strlen(date));
		return field_as_is(&e, INV_AV_EXPIRATION, "expiration", v);
	case INV__SECTIONS:
		break;
	}
	return 0;
}

static int
all_same(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] != s[0])
			return 0;
	return 1;
}

int
inventory_uuid_usable(const char *s, size_t n)
{
	char hex[33];
	size_t i, h = 0;

	for (i = 0; i < n && h < 32; i++)
		if (isxdigit((unsigned char)s[i]))
			hex[h++] = (char)toupper((unsigned char)s[i]);
	hex[h] = '\0';
	/* All zeros, all F, and the AMI BIOS default. */
	return !(h < 8 || all_same(hex, h) ||
	    strcmp(hex, "03000200040005000006000700080009") == 0);
}

int
inventory_serial_usable(const char *s, size_t n)
{
	static const char *const junk[] = {
		"none", "null", "n/a", "na", "unknown", "default string",
		"to be filled by o.e.m.", "system serial number",
		"chassis serial number", "not specified", "not applicable",
		"not available", "123456789", "0123456789", "1234567890",
		"serial", "oem", "invalid", NULL
	};
	size_t i;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n == 0 || all_same(s, n))
		return 0;
	for (i = 0; junk[i] != NULL; i++)
		if (strlen(junk[i]) == n && strncasecmp(junk[i], s, n) == 0)
			return 0;
	return 1;
}

int
inventory_mac_norm(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[12];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[i]);
		const char *p;

		if (c == ':' || c == '-' || c == '.')
			continue;
		p = c != '\0' ? strchr(hex, c) : NULL;
		if (p == NULL || n == 12)
			return -1;
		d[n++] = (unsigned char)(p - hex);
	}
	if (n != 12)
		return -1;
	for (i = 0; i < 6; i++) {
		out[i * 3] = hex[d[i * 2]];
		out[i * 3 + 1] = hex[d[i * 2 + 1]];
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	if (strcmp(out, "00:00:00:00:00:00") == 0 ||
	    strcmp(out, "ff:ff:ff:ff:ff:ff") == 0)
		return -1;
	return 0;
}

static int
valid_ymd(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1990 || y > 2099 || m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && !leap)
		return d <= 28;
	return d <= mdays[m - 1];
}

static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void
put_ymd(char *out, int y, int m, int d)
{
	char tmp[40];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	str_copy(out, tmp, 11);
}

int
inventory_base_date(const char *s, size_t len, char *out)
{
	size_t i = 0, j;
	int y, m, d;

	while (i < len) {
		if (!isdigit((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < len && isdigit((unsigned char)s[j]); j++)
			;
		if (j - i == 8) {
			y = digits(s + i, 4);
			m = digits(s + i + 4, 2);
			d = digits(s + i + 6, 2);
			if (valid_ymd(y, m, d)) {
				put_ymd(out, y, m, d);
				return 0;
			}
		}
		/* GLPI Agent's KESL module: "2024-10-15 10:00:00". */
		if (j - i == 4 && len - j >= 6 && s[j] == '-' &&
		    s[j + 3] == '-' && isdigit((unsigned char)s[j + 1]) &&
		    isdigit((unsigned char)s[j + 2]) &&
		    isdigit((unsigned char)s[j + 4]) &&
		    isdigit((unsigned char)s[j + 5]) &&
		    (len - j == 6 || !isdigit((unsigned char)s[j + 6]))) {
			y = digits(s + i, 4);
			m = digits(s + j + 1, 2);
			d = digits(s + j + 4, 2);
			if (valid_ymd(y, m, d)) {
				put_ymd(out, y, m, d);
				return 0;
			}
		}
		i = j;
	}
	return -1;
}

int
inventory_dmy_date(const char *s, size_t n, char *out)
{
	static const int pos[] = { 0, 1, 3, 4, 6, 7, 8, 9 };
	size_t i;

	if (n != 10 || s[2] != '/' || s[5] != '/')
		return -1;
	for (i = 0; i < NELEM(pos); i++)
		if (!isdigit((unsigned char)s[pos[i]]))
			return -1;
	if (!valid_ymd(digits(s + 6, 4), digits(s + 3, 2), digits(s, 2)))
		return -1;
	put_ymd(out, digits(s + 6, 4), digits(s + 3, 2), digits(s, 2));
	return 0;
}

/* Is this a Windows path ("C:\...") whose name may hold spaces? */
static int
windows_path(const char *s, size_t n)
{
	return n >= 3 && isalpha((unsigned char)s[0]) && s[1] == ':' &&
	    (s[2] == '\\' || s[2] == '/');
}

size_t
inventory_process_name(const char *cmd, size_t len, const char **name)
{
	const char *p = cmd, *end, *q;
	size_t n, i;

	*name = cmd;
	while (len > 0 && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	if (len == 0)
		return 0;
	end = p + len;
	if (*p == '[') {
		/* A kernel thread, "[kworker/0:1-events]": up to '/'. */
		p++;
		for (q = p; q < end && *q != ']' && *q != '/' &&
		    !isspace((unsigned char)*q); q++)
			;
		*name = p;
		return (size_t)(q - p);
	}
	if (*p == '"') {
		p++;
		for (q = p; q < end && *q != '"'; q++)
			;
	} else {
		q = NULL;
		if (windows_path(p, (size_t)(end - p))) {
			/* Unquoted "C:\Program Files\x\y.exe -k": to .exe. */
			for (i = 0; p + i + 4 <= end; i++) {
				if (strncasecmp(p + i, ".exe", 4) == 0 &&
				    (p + i + 4 == end ||
				    isspace((unsigned char)p[i + 4]))) {
					q = p + i + 4;
					break;
				}
			}
		}
		if (q == NULL)
			for (q = p; q < end && !isspace((unsigned char)*q);
			    q++)
				;
	}
	end = q;
	for (q = end; q > p && q[-1] != '/' && q[-1] != '\\'; q--)
		;
	n = (size_t)(end - q);
	/* "sshd: root@pts/0", "postgres: checkpointer". */
	if (n > 1 && q[n - 1] == ':')
		n--;
	*name = q;
	return n;
}
