/*
 * import_csv: software exports by header name, grouped by host.
 *
 * Sources of the column sets:
 * - Microsoft Intune, "Discovered apps" export (Apps > Monitor > Discovered
 *   apps > Export; report AppInvRawData, and AppInvByDevice per device):
 *   ApplicationKey, ApplicationName, ApplicationPublisher,
 *   ApplicationShortVersion, ApplicationVersion, DeviceId, DeviceName,
 *   OSDescription, OSVersion, Platform, UserId, EmailAddress, UserName.
 *   Microsoft Learn, "Intune reports and properties available using Graph
 *   API" (intune/intune-service/fundamentals/
 *   reports-export-graph-available-reports), checked 2026-11-27.  The
 *   device inventory report of the same page adds "Serial number",
 *   "Wi-Fi MAC" and "EthernetMAC", which are read when present.
 * - GLPI search-engine CSV export (glpi-project/glpi src/Search.php and the
 *   CSV output classes): ';' by default ($_SESSION["glpicsv_delimiter"]),
 *   columns named "<group> - <field>" for linked items ("Software -
 *   Name"), the asset's own "Name", "Serial number", "Location"; the
 *   software versions' field is "Name" under "Versions" (src/Software.php,
 *   search option 5), hence "Versions - Name".
 * - Jamf Pro advanced searches exported as CSV (Computers or Mobile
 *   Devices > Search Inventory > Export): one column per display field,
 *   named as the field ("Computer Name", "Display Name", "Serial Number",
 *   "Model", "Username", "Email Address", "Application Title", "App
 *   Name", "App Version", "App Identifier"); Jamf Pro documentation,
 *   "Advanced Computer Searches" and "Advanced Mobile Device Searches".
 *   The exact names of the app identifier field vary by version, so the
 *   usual spellings are all read.
 * - Generic: what people type -- host, name, version, publisher.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "import_csv.h"
#include "juris.h"
#include "target.h"
#include "util.h"

#define CSV_MAX_ROWS	2000000
#define HEADER_SHOWN	320	/* bytes of column names in an error */

enum col {
	C_HOST, C_ADDRESS, C_SERIAL, C_MAC, C_UUID,
	C_NAME, C_VERSION, C_PUBLISHER,
	C_SECTOR, C_SITE, C_OWNER, C_CRIT, C_OS, C_OSVER, C_JURIS,
	C_APPID, C_PLATFORM, C_MODEL,
	C__COUNT
};

static const char *const col_what[C__COUNT] = {
	"host", "address", "serial number", "MAC address", "UUID",
	"software name", "software version", "software publisher",
	"sector", "site", "owner", "criticality", "operating system",
	"operating system version", "jurisdiction", "app identifier",
	"platform", "model",
};

/* Known names, compacted; a lower rank wins when several are present. */
struct synonym {
	const char	*name;
	enum col	 col;
	int		 rank;
};

static const struct synonym synonyms[] = {
	{ "host", C_HOST, 0 }, { "hostname", C_HOST, 0 },
	{ "devicename", C_HOST, 1 }, { "computer", C_HOST, 1 },
	{ "computername", C_HOST, 1 }, { "machine", C_HOST, 1 },
	{ "machinename", C_HOST, 1 }, { "systemname", C_HOST, 1 },
	{ "manageddevicename", C_HOST, 2 }, { "device", C_HOST, 2 },
	{ "assetname", C_HOST, 2 }, { "asset", C_HOST, 3 },

	{ "address", C_ADDRESS, 0 }, { "ipaddress", C_ADDRESS, 0 },
	{ "ip", C_ADDRESS, 0 }, { "ipv4address", C_ADDRESS, 1 },
	{ "ipv4", C_ADDRESS, 1 }, { "wifiipv4address", C_ADDRESS, 2 },

	{ "serial", C_SERIAL, 0 }, { "serialnumber", C_SERIAL, 0 },
	{ "systemserialnumber", C_SERIAL, 1 }, { "biosserial", C_SERIAL, 1 },
	{ "ssn", C_SERIAL, 1 },

	{ "mac", C_MAC, 0 }, { "macaddress", C_MAC, 0 },
	{ "macaddr", C_MAC, 0 }, { "ethernetmac", C_MAC, 1 },
	{ "ethernetmacaddress", C_MAC, 1 }, { "networkportsmac", C_MAC, 1 },
	{ "networkportsmacaddress", C_MAC, 1 }, { "wifimac", C_MAC, 2 },
	{ "wifimacaddress", C_MAC, 2 },

	{ "uuid", C_UUID, 0 }, { "hardwareuuid", C_UUID, 0 },
	{ "systemuuid", C_UUID, 0 }, { "smbiosuuid", C_UUID, 1 },

	{ "softwarename", C_NAME, 0 }, { "softwaresname", C_NAME, 0 },
	{ "applicationname", C_NAME, 0 }, { "displayname", C_NAME, 1 },
	{ "software", C_NAME, 1 }, { "appname", C_NAME, 1 },
	{ "programname", C_NAME, 2 }, { "productname", C_NAME, 2 },
	{ "packagename", C_NAME, 2 }, { "application", C_NAME, 2 },
	{ "program", C_NAME, 3 }, { "product", C_NAME, 3 },
	{ "package", C_NAME, 3 },

	{ "softwareversion", C_VERSION, 0 },
	{ "softwareversionname", C_VERSION, 0 },
	{ "softwareversionsname", C_VERSION, 0 },
	{ "versionsname", C_VERSION, 0 },
	{ "installationsversion", C_VERSION, 0 },
	{ "applicationversion", C_VERSION, 0 }, { "version", C_VERSION, 1 },
	{ "displayversion", C_VERSION, 1 }, { "appversion", C_VERSION, 1 },
	{ "productversion", C_VERSION, 1 },
	{ "packageversion", C_VERSION, 1 },
	{ "applicationshortversion", C_VERSION, 2 },

	{ "publisher", C_PUBLISHER, 0 },
	{ "softwarepublisher", C_PUBLISHER, 0 },
	{ "applicationpublisher", C_PUBLISHER, 0 },
	{ "softwarevendor", C_PUBLISHER, 0 },
	{ "apppublisher", C_PUBLISHER, 1 }, { "vendor", C_PUBLISHER, 1 },
	{ "softwaremanufacturer", C_PUBLISHER, 1 },
	{ "softwareeditor", C_PUBLISHER, 1 }, { "editor", C_PUBLISHER, 2 },

	{ "sector", C_SECTOR, 0 },
	{ "site", C_SITE, 0 }, { "location", C_SITE, 1 },
	{ "owner", C_OWNER, 0 },
	{ "criticality", C_CRIT, 0 },
	{ "jurisdiction", C_JURIS, 0 },
	/* Who the device is for: MDM exports name its user. */
	{ "emailaddress", C_OWNER, 1 }, { "useremailaddress", C_OWNER, 1 },
	{ "username", C_OWNER, 2 }, { "userprincipalname", C_OWNER, 2 },
	{ "fullname", C_OWNER, 3 }, { "realname", C_OWNER, 3 },
	/* Jamf Pro: "Application Title" (computers), "App Name" (mobile). */
	{ "applicationtitle", C_NAME, 0 }, { "mobiledevicename", C_HOST, 1 },
	{ "appidentifier", C_APPID, 0 }, { "bundleidentifier", C_APPID, 0 },
	{ "bundleid", C_APPID, 0 }, { "applicationbundleid", C_APPID, 0 },
	{ "packageid", C_APPID, 0 }, { "applicationidentifier", C_APPID, 0 },
	{ "appid", C_APPID, 1 }, { "applicationid", C_APPID, 1 },
	{ "identifier", C_APPID, 2 },
	{ "platform", C_PLATFORM, 0 }, { "ostype", C_PLATFORM, 1 },
	{ "model", C_MODEL, 0 }, { "devicemodel", C_MODEL, 0 },
	{ "osdescription", C_OS, 0 }, { "operatingsystemname", C_OS, 0 },
	{ "osname", C_OS, 0 }, { "operatingsystem", C_OS, 1 },
	{ "os", C_OS, 1 },
	{ "osversion", C_OSVER, 0 }, { "operatingsystemversion", C_OSVER, 0 },
};

/* Host identity columns: at least one is needed. */
static const enum col id_cols[] = {
	C_HOST, C_ADDRESS, C_SERIAL, C_MAC, C_UUID
};

struct row {
	unsigned	 line;
	char		*v[C__COUNT];	/* trimmed copies; NULL when empty */
	char		*key;		/* host grouping key */
};

struct reader {
	const char	*name;
	int		 header_done;
	size_t		 ncols;		/* header fields */
	size_t		 nused;		/* without trailing empty names */
	int		 idx[C__COUNT];	/* field index per column, or -1 */
	char		*hdr[C__COUNT];	/* header text per column */
	const char	*kind;
	struct row	*rows;
	size_t		 nrows, size;
};

/* "Software - Name" -> "softwarename". */
static void
compact(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80 && isalnum(c))
			out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

static const struct synonym *
synonym_find(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(synonyms); i++)
		if (strcmp(synonyms[i].name, name) == 0)
			return &synonyms[i];
	return NULL;
}

/* A value as an error message may show it: printable, at most 40 bytes. */
static const char *
shown(const char *v, char *buf, size_t len)
{
	render_value((const unsigned char *)v, strlen(v), buf, len);
	return buf;
}

/* "'a', 'b', 'c'" for an error message, cut to fit. */
static void
list_columns(char **f, size_t n, char *out, size_t len)
{
	struct strbuf sb = STRBUF_INIT(HEADER_SHOWN);
	size_t i;

	for (i = 0; i < n; i++) {
		char v[80];

		render_value((const unsigned char *)f[i], strlen(f[i]), v,
		    sizeof(v));
		strbuf_printf(&sb, "%s'%s'", i ? ", " : "", v);
	}
	snprintf(out, len, "%s%s", strbuf_str(&sb), sb.truncated ? "..." :
	    "");
	strbuf_free(&sb);
}

/*
 * A Jamf Pro export: the apps are "Application Title" or "App Name", so
 * "Display Name" is the mobile device's name, not the software's.
 */
static int
jamf_header(char **f, size_t n)
{
	size_t i;
	char cn[128];

	for (i = 0; i < n; i++) {
		compact(f[i], cn, sizeof(cn));
		if (strcmp(cn, "applicationtitle") == 0 ||
		    strcmp(cn, "appname") == 0)
			return 1;
	}
	return 0;
}

static int
map_header(struct reader *r, char **f, size_t n, char *err, size_t errlen)
{
	static const struct synonym jamf_device = { "displayname", C_HOST, 1 };
	int rank[C__COUNT], ambiguous = -1, jamf = jamf_header(f, n);
	size_t i, k;
	char cn[128];

	for (k = 0; k < C__COUNT; k++) {
		r->idx[k] = -1;
		rank[k] = 99;
	}
	r->ncols = n;
	for (r->nused = n; r->nused > 0; r->nused--) {
		compact(f[r->nused - 1], cn, sizeof(cn));
		if (cn[0] != '\0')
			break;
	}
	for (i = 0; i < n; i++) {
		const struct synonym *s;

		compact(f[i], cn, sizeof(cn));
		if (strcmp(cn, "name") == 0) {
			if (ambiguous >= 0)
				return errf(err, errlen, "column 'name' "
				    "appears twice");
			ambiguous = (int)i;
			continue;
		}
		s = synonym_find(cn);
		if (jamf && strcmp(cn, "displayname") == 0)
			s = &jamf_device;
		if (s == NULL)
			continue;
		if (s->rank == rank[s->col]) {
			char a[48], b[48];

			return errf(err, errlen, "columns '%s' and '%s' both "
			    "give the %s", shown(f[r->idx[s->col]], a,
			    sizeof(a)), shown(f[i], b, sizeof(b)),
			    col_what[s->col]);
		}
		if (s->rank < rank[s->col]) {
			rank[s->col] = s->rank;
			r->idx[s->col] = (int)i;
		}
	}
	/*
	 * "Name" is the software in a software list, and the asset in a
	 * GLPI asset export that has a "Software - Name" column.
	 */
	if (ambiguous >= 0) {
		if (r->idx[C_NAME] < 0)
			r->idx[C_NAME] = ambiguous;
		else if (r->idx[C_HOST] < 0)
			r->idx[C_HOST] = ambiguous;
	}
	for (k = 0; k < NELEM(id_cols); k++)
		if (r->idx[id_cols[k]] >= 0)
			break;
	if (r->idx[C_NAME] < 0 || k == NELEM(id_cols)) {
		char cols[HEADER_SHOWN + 8];

		list_columns(f, n, cols, sizeof(cols));
		return errf(err, errlen, "not a software export banaudit "
		    "knows: it has %s; it needs a %s column (name, display "
		    "name, software, application name) and a host column "
		    "(host, device name, computer, address, serial, mac)",
		    n > 0 ? cols : "no columns", r->idx[C_NAME] < 0 ?
		    "software name" : "host");
	}
	for (k = 0; k < C__COUNT; k++) {
		if (r->idx[k] < 0)
			continue;
		r->hdr[k] = str_ndup(f[r->idx[k]], 64);
		if (r->hdr[k] == NULL)
			return errf(err, errlen, "out of memory");
		str_trim(r->hdr[k]);
	}
	compact(f[r->idx[C_NAME]], cn, sizeof(cn));
	if (jamf)
		r->kind = "jamf";
	else if (strcmp(cn, "applicationname") == 0)
		r->kind = "intune";
	else if (strstr(f[r->idx[C_NAME]], " - ") != NULL)
		r->kind = "glpi";
	else
		r->kind = "generic";
	return 0;
}

/* Is s 12 hex digits, optionally separated by ':', '-' or '.'? */
static int
mac_syntax(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ':' || *s == '-' || *s == '.')
			continue;
		if (!isxdigit((unsigned char)*s))
			return 0;
		n++;
	}
	return n == 12;
}

static void
row_free(struct row *rw)
{
	size_t k;

	for (k = 0; k < C__COUNT; k++)
		free(rw->v[k]);
	free(rw->key);
}

/* Checks the values of a row that must be well-formed. */
static int
check_row(const struct row *rw, char *err, size_t errlen)
{
	char buf[48], juris[JURIS_LEN];
	long v;

	if (rw->v[C_SECTOR] != NULL && !target_sector_ok(rw->v[C_SECTOR]))
		return errf(err, errlen, "sector '%s' is not a sector name "
		    "(letters, digits, '_' and '-')", shown(rw->v[C_SECTOR],
		    buf, sizeof(buf)));
	if (rw->v[C_JURIS] != NULL &&
	    juris_parse(rw->v[C_JURIS], juris, sizeof(juris)) != 0)
		return errf(err, errlen, "jurisdiction '%s' is not US or US- "
		    "and a state's two-letter code (US-TX)",
		    shown(rw->v[C_JURIS], buf, sizeof(buf)));
	if (rw->v[C_CRIT] != NULL &&
	    parse_long(rw->v[C_CRIT], 1, 5, &v) != 0)
		return errf(err, errlen, "criticality '%s' is not a number "
		    "in 1..5", shown(rw->v[C_CRIT], buf, 24));
	if (rw->v[C_MAC] != NULL && !mac_syntax(rw->v[C_MAC]))
		return errf(err, errlen, "'%s' is not a MAC address",
		    shown(rw->v[C_MAC], buf, sizeof(buf)));
	return 0;
}

/* Grouping key: the identity columns, case-folded, joined. */
static char *
make_key(const struct row *rw)
{
	struct strbuf sb = STRBUF_INIT(5 * CSVIN_MAX_FIELD + 8);
	size_t k, i;

	for (k = 0; k < NELEM(id_cols); k++) {
		const char *v = rw->v[id_cols[k]];

		if (v != NULL)
			for (i = 0; v[i] != '\0'; i++) {
				char c = (char)tolower((unsigned char)v[i]);

				strbuf_add(&sb, &c, 1);
			}
		strbuf_add(&sb, "\x1f", 1);
	}
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	return sb.s;
}

static int
on_row(void *arg, unsigned line, char **f, size_t n, char *err,
    size_t errlen)
{
	struct reader *r = arg;
	struct row *rw;
	size_t k, i, any = 0;

	if (!r->header_done) {
		r->header_done = 1;
		return map_header(r, f, n, err, errlen);
	}
	if (n < r->nused)
		return errf(err, errlen, "%zu fields, but the header has %zu",
		    n, r->nused);
	for (i = r->ncols; i < n; i++) {
		char *t = f[i];

		if (*str_trim(t) != '\0')
			return errf(err, errlen, "%zu fields, but the header "
			    "has %zu", n, r->ncols);
	}
	if (r->nrows >= CSV_MAX_ROWS)
		return errf(err, errlen, "more than %d rows", CSV_MAX_ROWS);
	if (r->nrows == r->size) {
		size_t ns = r->size ? r->size * 2 : 256;
		struct row *nv = realloc(r->rows, ns * sizeof(*nv));

		if (nv == NULL)
			return errf(err, errlen, "out of memory");
		r->rows = nv;
		r->size = ns;
	}
	rw = &r->rows[r->nrows];
	memset(rw, 0, sizeof(*rw));
	rw->line = line;
	r->nrows++;
	for (k = 0; k < C__COUNT; k++) {
		char *v;

		if (r->idx[k] < 0 || (size_t)r->idx[k] >= n)
			continue;
		v = str_trim(f[r->idx[k]]);
		if (*v == '\0')
			continue;
		rw->v[k] = str_dup(v);
		if (rw->v[k] == NULL)
			return errf(err, errlen, "out of memory");
	}
	for (k = 0; k < NELEM(id_cols); k++)
		any |= rw->v[id_cols[k]] != NULL;
	if (!any)
		return errf(err, errlen, "no host: the %s column is empty",
		    r->hdr[C_HOST] != NULL ? r->hdr[C_HOST] : "host");
	if (check_row(rw, err, errlen) != 0)
		return -1;
	rw->key = make_key(rw);
	if (rw->key == NULL)
		return errf(err, errlen, "out of memory");
	return 0;
}

/* Orders row indices by host key, then line. */
static int
cmp_rows(const void *a, const void *b, void *arg)
{
	const struct row *rows = arg;
	const struct row *x = &rows[*(const size_t *)a];
	const struct row *y = &rows[*(const size_t *)b];
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

struct group {
	size_t		 first;		/* index into the sorted order */
	size_t		 n;
	unsigned	 line;		/* first line of the host */
};

static int
cmp_groups(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * The host-level value of column k over a group's rows: the first one
 * given.  Two different values are an error (placement columns only).
 */
static int
group_value(const struct reader *r, const size_t *order,
    const struct group *g, enum col k, int strict, const char **out,
    char *err, size_t errlen)
{
	const struct row *first = NULL;
	size_t i;

	*out = NULL;
	for (i = 0; i < g->n; i++) {
		const struct row *rw = &r->rows[order[g->first + i]];

		if (rw->v[k] == NULL)
			continue;
		if (first == NULL) {
			first = rw;
			*out = rw->v[k];
		} else if (strict && strcmp(rw->v[k], first->v[k]) != 0) {
			char a[48], b[48];

			return errf(err, errlen, "%s:%u: %s '%s' differs from "
			    "'%s' on line %u for the same host", r->name,
			    rw->line, col_what[k], shown(rw->v[k], a,
			    sizeof(a)), shown(first->v[k], b, sizeof(b)),
			    first->line);
		}
	}
	return 0;
}

static int
emit(const struct import_csv_sink *sink, enum obs_kind kind,
    const char *item, const char *attr, const char *source,
    const char *v)
{
	struct observation o = { 0 };

	if (v == NULL || *v == '\0')
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	return sink->observe(sink->arg, &o);
}

static int
emit_group(const struct reader *r, const size_t *order,
    const struct group *g, const struct import_csv_sink *sink,
    struct import_csv_stats *st, char *err, size_t errlen)
{
	struct import_csv_host h;
	const char *os, *osver, *platform, *model;
	enum col strict_cols[] = { C_SECTOR, C_SITE, C_OWNER, C_CRIT,
	    C_JURIS };
	const char *place[5];
	size_t i, k;
	long crit;

	memset(&h, 0, sizeof(h));
	h.line = g->line;
	for (k = 0; k < NELEM(strict_cols); k++)
		if (group_value(r, order, g, strict_cols[k], 1, &place[k], err,
		    errlen) != 0)
			return -1;
	h.h.sector = place[0];
	h.h.site = place[1];
	h.h.owner = place[2];
	h.h.jurisdiction = place[4];
	if (place[3] != NULL && parse_long(place[3], 1, 5, &crit) == 0)
		h.h.criticality = (int)crit;
	/* Identity columns are equal within a group by construction. */
	{
		const struct row *rw = &r->rows[order[g->first]];

		h.h.name = rw->v[C_HOST];
		h.h.address = rw->v[C_ADDRESS];
		h.serial = rw->v[C_SERIAL];
		h.mac = rw->v[C_MAC];
		h.uuid = rw->v[C_UUID];
	}
	if (group_value(r, order, g, C_OS, 0, &os, err, errlen) != 0 ||
	    group_value(r, order, g, C_OSVER, 0, &osver, err, errlen) != 0 ||
	    group_value(r, order, g, C_PLATFORM, 0, &platform, err,
	    errlen) != 0 ||
	    group_value(r, order, g, C_MODEL, 0, &model, err, errlen) != 0)
		return -1;
	if (sink->host(sink->arg, &h) != 0)
		return errf(err, errlen, "%s:%u: the host sink failed",
		    r->name, g->line);
	st->hosts++;
	if (emit(sink, OBS_SYSTEM, "", "name", r->hdr[C_HOST], h.h.name) != 0 ||
	    emit(sink, OBS_SYSTEM, "", "os", r->hdr[C_OS], os) != 0 ||
	    emit(sink, OBS_SYSTEM, "", "os_version", r->hdr[C_OSVER],
	    osver) != 0 ||
	    emit(sink, OBS_SYSTEM, "", "platform", r->hdr[C_PLATFORM],
	    platform) != 0 ||
	    emit(sink, OBS_SYSTEM, "", "model", r->hdr[C_MODEL], model) != 0)
		return errf(err, errlen, "%s:%u: the observation sink failed",
		    r->name, g->line);
	for (i = 0; i < g->n; i++) {
		const struct row *rw = &r->rows[order[g->first + i]];
		char item[24];

		if (rw->v[C_NAME] == NULL)
			continue;
		snprintf(item, sizeof(item), "%u", rw->line);
		if (emit(sink, OBS_SOFTWARE, item, "name", r->hdr[C_NAME],
		    rw->v[C_NAME]) != 0 ||
		    emit(sink, OBS_SOFTWARE, item, "version",
		    r->hdr[C_VERSION], rw->v[C_VERSION]) != 0 ||
		    emit(sink, OBS_SOFTWARE, item, "publisher",
		    r->hdr[C_PUBLISHER], rw->v[C_PUBLISHER]) != 0 ||
		    emit(sink, OBS_SOFTWARE, item, "id", r->hdr[C_APPID],
		    rw->v[C_APPID]) != 0)
			return errf(err, errlen, "%s:%u: the observation sink "
			    "failed", r->name, rw->line);
		st->software++;
	}
	return 0;
}

/* ',', ';' or tab: whichever the first line holds most, outside quotes. */
static unsigned char
guess_delim(const char *buf, size_t len)
{
	size_t i, comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (i = 0; i < len && (quoted || buf[i] != '\n'); i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && buf[i] == ',')
			comma++;
		else if (!quoted && buf[i] == ';')
			semi++;
		else if (!quoted && buf[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

int
import_csv_parse(const char *name, const char *buf, size_t len,
    const struct import_csv_sink *sink, struct import_csv_stats *st,
    char *err, size_t errlen)
{
	struct reader r;
	struct import_csv_stats dummy;
	struct group *groups = NULL;
	size_t *order = NULL, ng = 0, i;
	int rc = -1;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	r.name = name;
	if (csvin_read_mem_delim(name, buf, len, guess_delim(buf, len),
	    on_row, &r, err, errlen) != 0)
		goto out;
	if (!r.header_done) {
		errf(err, errlen, "%s: empty file", name);
		goto out;
	}
	st->kind = r.kind;
	st->rows = r.nrows;
	order = calloc(r.nrows ? r.nrows : 1, sizeof(*order));
	groups = calloc(r.nrows ? r.nrows : 1, sizeof(*groups));
	if (order == NULL || groups == NULL) {
		errf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	for (i = 0; i < r.nrows; i++)
		order[i] = i;
	qsort_r(order, r.nrows, sizeof(*order), cmp_rows, r.rows);
	for (i = 0; i < r.nrows; i++) {
		const struct row *rw = &r.rows[order[i]];

		if (ng == 0 || strcmp(rw->key,
		    r.rows[order[groups[ng - 1].first]].key) != 0) {
			groups[ng].first = i;
			groups[ng].n = 0;
			groups[ng].line = rw->line;
			ng++;
		}
		groups[ng - 1].n++;
	}
	qsort(groups, ng, sizeof(*groups), cmp_groups);
	/* Placement conflicts are input errors: check all before emitting. */
	for (i = 0; i < ng; i++) {
		enum col pc[] = { C_SECTOR, C_SITE, C_OWNER, C_CRIT };
		const char *v;
		size_t k;

		for (k = 0; k < NELEM(pc); k++)
			if (group_value(&r, order, &groups[i], pc[k], 1, &v,
			    err, errlen) != 0)
				goto out;
	}
	for (i = 0; i < ng; i++)
		if (emit_group(&r, order, &groups[i], sink, st, err,
		    errlen) != 0)
			goto out;
	rc = 0;
out:
	for (i = 0; i < r.nrows; i++)
		row_free(&r.rows[i]);
	free(r.rows);
	for (i = 0; i < C__COUNT; i++)
		free(r.hdr[i]);
	free(order);
	free(groups);
	return rc;
}
