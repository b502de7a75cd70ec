/*
 * cred: the credentials INI.  The file is checked (type, owner, mode,
 * size) and read by inifile, which counts lines, refuses long ones and
 * reports section headers, so that an empty section is still an error at
 * its own line.  Keys are collected per section and the section is
 * validated when it ends.  No message ever quotes a value: a secret
 * written on the wrong key (auth_protocol = <passphrase>) must not leak
 * either.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cred.h"
#include "inifile.h"
#include "util.h"

enum key {
	K_SNMP_VERSION,
	K_COMMUNITY,
	K_USERNAME,
	K_AUTH_PROTOCOL,
	K_AUTH_PASSPHRASE,
	K_PRIV_PROTOCOL,
	K_PRIV_PASSPHRASE,
	K_CONTEXT,
	K_AGENT_TYPE,
	K_AGENT_TOKEN,
	K_CA_FILE,
	K_PINNED_PUBKEY,
	K_SERVER_TYPE,
	K_SERVER_URL,
	K_APP_TOKEN,
	K_USER_TOKEN,
	K_PASSWORD,
	K__COUNT
};

/* The profile types a key belongs to. */
#define FOR_V12		0x1
#define FOR_V3		0x2
#define FOR_AGENT	0x4
#define FOR_SERVER	0x8	/* GLPI */
#define FOR_WAZUH	0x10

static const struct keydef {
	const char	*name;
	unsigned	 types;
} keys[K__COUNT] = {
	{ "snmp_version",	FOR_V12 | FOR_V3 },
	{ "community",		FOR_V12 },
	{ "username",		FOR_V3 | FOR_WAZUH },
	{ "auth_protocol",	FOR_V3 },
	{ "auth_passphrase",	FOR_V3 },
	{ "priv_protocol",	FOR_V3 },
	{ "priv_passphrase",	FOR_V3 },
	{ "context",		FOR_V3 },
	{ "agent_type",		FOR_AGENT },
	{ "agent_token",	FOR_AGENT },
	{ "ca_file",		FOR_AGENT | FOR_SERVER | FOR_WAZUH },
	{ "pinned_pubkey",	FOR_AGENT | FOR_SERVER | FOR_WAZUH },
	{ "server_type",	FOR_SERVER | FOR_WAZUH },
	{ "server_url",		FOR_SERVER | FOR_WAZUH },
	{ "app_token",		FOR_SERVER },
	{ "user_token",		FOR_SERVER },
	{ "password",		FOR_WAZUH },
};

static const struct {
	const char	*name;
	enum auth_proto	 proto;
} auth_names[] = {
	{ "MD5", AUTH_MD5 },
	{ "SHA", AUTH_SHA }, { "SHA1", AUTH_SHA }, { "SHA-1", AUTH_SHA },
	{ "SHA-224", AUTH_SHA224 }, { "SHA224", AUTH_SHA224 },
	{ "SHA-256", AUTH_SHA256 }, { "SHA256", AUTH_SHA256 },
	{ "SHA-384", AUTH_SHA384 }, { "SHA384", AUTH_SHA384 },
	{ "SHA-512", AUTH_SHA512 }, { "SHA512", AUTH_SHA512 },
};

static const struct {
	const char	*name;
	enum priv_proto	 proto;
} priv_names[] = {
	{ "DES", PRIV_DES },
	{ "AES-128", PRIV_AES128 }, { "AES128", PRIV_AES128 },
	{ "AES", PRIV_AES128 },
	{ "AES-192", PRIV_AES192 }, { "AES192", PRIV_AES192 },
	{ "AES-256", PRIV_AES256 }, { "AES256", PRIV_AES256 },
};

#define USM_MAX_NAME	32	/* SnmpAdminString (SIZE(1..32)), RFC 3414 */

struct section {
	char		 name[CRED_MAX_NAME + 1];
	unsigned	 line;
	int		 open;
	char		*val[K__COUNT];	/* wiped when freed: may be secret */
	unsigned	 vline[K__COUNT];
};

struct loader {
	const char	*path;
	struct section	 sec;
	struct cred_set	*set;
	size_t		 cap;
	int		 failed;
	char		*err;
	size_t		 errlen;
};

/* The first error of a section's validation, by line. */
struct verr {
	unsigned	 line;		/* 0: none yet */
	char		 msg[ERRLEN];
};

static int fail(struct loader *, unsigned, const char *, ...)
    PRINTF_LIKE(3, 4);
static void verr(struct verr *, unsigned, const char *, ...)
    PRINTF_LIKE(3, 4);

static int
fail(struct loader *ld, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inifile_verror(ld->path, line, &ld->failed, ld->err, ld->errlen, fmt,
	    ap);
	va_end(ap);
	return -1;
}

static void
verr(struct verr *v, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (v->line != 0 && v->line <= line)
		return;
	v->line = line;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

int
cred_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CRED_MAX_NAME)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

const char *
snmp_ver_name(enum snmp_ver v)
{
	switch (v) {
	case SNMP_V1:
		return "1";
	case SNMP_V2C:
		return "2c";
	case SNMP_V3:
		return "3";
	}
	return "unknown";
}

const struct cred_profile *
cred_find(const struct cred_set *set, const char *name)
{
	size_t i;

	if (set == NULL || name == NULL)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (strcasecmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

static void
profile_free(struct cred_profile *p)
{
	free(p->name);
	secret_free(p->community);
	free(p->username);
	secret_free(p->auth_pass);
	secret_free(p->priv_pass);
	free(p->context);
	secret_free(p->token);
	free(p->ca_file);
	free(p->pinned_pubkey);
	free(p->server_url);
	secret_free(p->app_token);
	secret_free(p->user_token);
	secret_free(p->password);
	explicit_bzero(p, sizeof(*p));
}

void
cred_set_free(struct cred_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		profile_free(&set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static void
section_clear(struct section *s)
{
	size_t k;

	for (k = 0; k < K__COUNT; k++)
		secret_free(s->val[k]);
	memset(s, 0, sizeof(*s));
}

/* "sha256//<44 base64 characters>", several separated by ';'. */
static int
pinned_ok(const char *s)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";

	for (;;) {
		size_t n;

		if (strncmp(s, "sha256//", 8) != 0)
			return 0;
		s += 8;
		n = strspn(s, b64);
		if (n != 43 || s[43] != '=')
			return 0;
		s += 44;
		if (*s == '\0')
			return 1;
		if (*s != ';')
			return 0;
		s++;
	}
}

static int
check_ca_file(const char *path, char *msg, size_t len)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return errf(msg, len, "%s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errf(msg, len, "not a regular file");
	}
	close(fd);
	return 0;
}

static void
check_v3(const struct section *s, struct cred_profile *p, struct verr *ve)
{
	size_t i;

	if (s->val[K_USERNAME] == NULL)
		verr(ve, s->line, "[%s]: snmp_version 3 needs username",
		    s->name);
	else if (strlen(s->val[K_USERNAME]) > USM_MAX_NAME)
		verr(ve, s->vline[K_USERNAME], "username: longer than %d "
		    "characters", USM_MAX_NAME);
	if (s->val[K_CONTEXT] != NULL &&
	    strlen(s->val[K_CONTEXT]) > USM_MAX_NAME)
		verr(ve, s->vline[K_CONTEXT], "context: longer than %d "
		    "characters", USM_MAX_NAME);

	if (s->val[K_AUTH_PROTOCOL] != NULL) {
		for (i = 0; i < NELEM(auth_names); i++)
			if (strcasecmp(s->val[K_AUTH_PROTOCOL],
			    auth_names[i].name) == 0)
				p->auth = auth_names[i].proto;
		if (p->auth == AUTH_NONE)
			verr(ve, s->vline[K_AUTH_PROTOCOL], "auth_protocol: "
			    "must be one of MD5, SHA, SHA-224, SHA-256, "
			    "SHA-384, SHA-512");
		else if (s->val[K_AUTH_PASSPHRASE] == NULL)
			verr(ve, s->vline[K_AUTH_PROTOCOL], "auth_protocol: "
			    "set without auth_passphrase");
	}
	if (s->val[K_AUTH_PASSPHRASE] != NULL) {
		if (s->val[K_AUTH_PROTOCOL] == NULL)
			verr(ve, s->vline[K_AUTH_PASSPHRASE],
			    "auth_passphrase: set without auth_protocol");
		if (strlen(s->val[K_AUTH_PASSPHRASE]) < CRED_MIN_PASSPHRASE)
			verr(ve, s->vline[K_AUTH_PASSPHRASE],
			    "auth_passphrase: shorter than %d characters",
			    CRED_MIN_PASSPHRASE);
	}

	if (s->val[K_PRIV_PROTOCOL] != NULL) {
		for (i = 0; i < NELEM(priv_names); i++)
			if (strcasecmp(s->val[K_PRIV_PROTOCOL],
			    priv_names[i].name) == 0)
				p->priv = priv_names[i].proto;
		if (p->priv == PRIV_NONE)
			verr(ve, s->vline[K_PRIV_PROTOCOL], "priv_protocol: "
			    "must be one of DES, AES-128, AES-192, AES-256");
		else if (s->val[K_PRIV_PASSPHRASE] == NULL)
			verr(ve, s->vline[K_PRIV_PROTOCOL], "priv_protocol: "
			    "set without priv_passphrase");
		if (s->val[K_AUTH_PROTOCOL] == NULL)
			verr(ve, s->vline[K_PRIV_PROTOCOL], "priv_protocol: "
			    "privacy needs authentication (auth_protocol)");
	}
	if (s->val[K_PRIV_PASSPHRASE] != NULL) {
		if (s->val[K_PRIV_PROTOCOL] == NULL)
			verr(ve, s->vline[K_PRIV_PASSPHRASE],
			    "priv_passphrase: set without priv_protocol");
		if (strlen(s->val[K_PRIV_PASSPHRASE]) < CRED_MIN_PASSPHRASE)
			verr(ve, s->vline[K_PRIV_PASSPHRASE],
			    "priv_passphrase: shorter than %d characters",
			    CRED_MIN_PASSPHRASE);
	}
}

/*
 * A relative ca_file names a file beside the credentials file, not in
 * whatever directory banaudit happens to run from.  Replaces the value.
 */
static int
resolve_ca_file(struct loader *ld)
{
	char *ca = ld->sec.val[K_CA_FILE], *full;
	const char *slash = strrchr(ld->path, '/');
	size_t dirlen, n;

	if (ca == NULL || ca[0] == '/' || slash == NULL)
		return 0;
	dirlen = (size_t)(slash - ld->path) + 1;
	n = dirlen + strlen(ca) + 1;
	full = malloc(n);
	if (full == NULL)
		return fail(ld, 0, "out of memory");
	memcpy(full, ld->path, dirlen);
	memcpy(full + dirlen, ca, n - dirlen);
	free(ca);
	ld->sec.val[K_CA_FILE] = full;
	return 0;
}

static void
check_agent(const struct section *s, struct verr *ve)
{
	char msg[ERRLEN];

	if (s->val[K_SERVER_TYPE] != NULL) {
		if (strcasecmp(s->val[K_SERVER_TYPE], "wazuh") == 0) {
			if (s->val[K_USERNAME] == NULL)
				verr(ve, s->line, "[%s]: a Wazuh server "
				    "profile needs username", s->name);
			if (s->val[K_PASSWORD] == NULL)
				verr(ve, s->line, "[%s]: a Wazuh server "
				    "profile needs password", s->name);
		} else if (s->val[K_USER_TOKEN] == NULL)
			verr(ve, s->line, "[%s]: a GLPI server profile needs "
			    "user_token", s->name);
		if (s->val[K_SERVER_URL] == NULL)
			verr(ve, s->line, "[%s]: a server profile needs "
			    "server_url", s->name);
		else if (strncmp(s->val[K_SERVER_URL], "https://", 8) != 0 &&
		    strncmp(s->val[K_SERVER_URL], "http://", 7) != 0)
			verr(ve, s->vline[K_SERVER_URL], "server_url: expected "
			    "an http:// or https:// URL");
	} else if (s->val[K_AGENT_TOKEN] == NULL)
		verr(ve, s->line, "[%s]: an agent profile needs agent_token",
		    s->name);
	if (s->val[K_CA_FILE] != NULL &&
	    check_ca_file(s->val[K_CA_FILE], msg, sizeof(msg)) != 0)
		verr(ve, s->vline[K_CA_FILE], "ca_file: %s", msg);
	if (s->val[K_PINNED_PUBKEY] != NULL &&
	    !pinned_ok(s->val[K_PINNED_PUBKEY]))
		verr(ve, s->vline[K_PINNED_PUBKEY], "pinned_pubkey: expected "
		    "sha256// and 44 characters of base64 (several separated "
		    "by ';')");
}

/*
 * Validates the open section and moves it into the set.  Errors are
 * reported at the lowest line they concern.
 */
static int
finish_section(struct loader *ld)
{
	struct section *s = &ld->sec;
	struct cred_profile p, *nv;
	struct verr ve;
	const char *ver = s->val[K_SNMP_VERSION], *at = s->val[K_AGENT_TYPE];
	const char *st = s->val[K_SERVER_TYPE];
	unsigned types = 0;
	size_t k;

	if (!s->open)
		return 0;
	memset(&p, 0, sizeof(p));
	memset(&ve, 0, sizeof(ve));
	if ((ver != NULL) + (at != NULL) + (st != NULL) > 1) {
		k = ver == NULL ? K_SERVER_TYPE : at == NULL ? K_SERVER_TYPE :
		    s->vline[K_SNMP_VERSION] > s->vline[K_AGENT_TYPE] ?
		    K_SNMP_VERSION : K_AGENT_TYPE;
		verr(&ve, s->vline[k], "%s: a profile is either for SNMP "
		    "(snmp_version), for an agent (agent_type) or for an "
		    "inventory server (server_type), not two of them",
		    keys[k].name);
	} else if (st != NULL) {
		p.type = CRED_SERVER;
		if (strcasecmp(st, "glpi") == 0) {
			p.server = SERVER_GLPI;
			types = FOR_SERVER;
		} else if (strcasecmp(st, "wazuh") == 0) {
			p.server = SERVER_WAZUH;
			types = FOR_WAZUH;
		} else
			verr(&ve, s->vline[K_SERVER_TYPE], "server_type: must "
			    "be glpi or wazuh");
	} else if (ver != NULL) {
		p.type = CRED_SNMP;
		if (strcmp(ver, "1") == 0) {
			p.version = SNMP_V1;
			types = FOR_V12;
		} else if (strcasecmp(ver, "2c") == 0) {
			p.version = SNMP_V2C;
			types = FOR_V12;
		} else if (strcmp(ver, "3") == 0) {
			p.version = SNMP_V3;
			types = FOR_V3;
		} else
			verr(&ve, s->vline[K_SNMP_VERSION], "snmp_version: "
			    "must be 1, 2c or 3");
	} else if (at != NULL) {
		p.type = CRED_AGENT;
		if (strcasecmp(at, "fusioninventory") == 0 ||
		    strcasecmp(at, "glpi") == 0) {
			p.agent = AGENT_FUSIONINVENTORY;
			types = FOR_AGENT;
		} else
			verr(&ve, s->vline[K_AGENT_TYPE], "agent_type: must "
			    "be fusioninventory (or glpi)");
	} else
		verr(&ve, s->line, "[%s]: none of snmp_version, agent_type or "
		    "server_type is set", s->name);

	for (k = 0; types != 0 && k < K__COUNT; k++)
		if (s->val[k] != NULL && (keys[k].types & types) == 0)
			verr(&ve, s->vline[k], "%s: not allowed in %s "
			    "profile", keys[k].name, types == FOR_SERVER ?
			    "a GLPI server" : types == FOR_WAZUH ?
			    "a Wazuh server" : types == FOR_AGENT ?
			    "an agent" : p.version == SNMP_V1 ? "an SNMPv1" :
			    p.version == SNMP_V2C ? "an SNMPv2c" : "an SNMPv3");
	if (types == FOR_V12 && s->val[K_COMMUNITY] == NULL)
		verr(&ve, s->line, "[%s]: snmp_version %s needs community",
		    s->name, snmp_ver_name(p.version));
	else if (types == FOR_V12 &&
	    strlen(s->val[K_COMMUNITY]) > CRED_MAX_COMMUNITY)
		verr(&ve, s->vline[K_COMMUNITY], "community: longer than %d "
		    "characters", CRED_MAX_COMMUNITY);
	if (types == FOR_V3)
		check_v3(s, &p, &ve);
	if (types == FOR_AGENT || types == FOR_SERVER ||
	    types == FOR_WAZUH) {
		if (resolve_ca_file(ld) != 0)
			return -1;
		check_agent(s, &ve);
	}
	if (ve.line != 0)
		return fail(ld, ve.line, "%s", ve.msg);

	if (ld->set->n == ld->cap) {
		size_t ncap = ld->cap ? ld->cap * 2 : 8;

		nv = reallocarray(ld->set->v, ncap, sizeof(*nv));
		if (nv == NULL)
			return fail(ld, 0, "out of memory");
		ld->set->v = nv;
		ld->cap = ncap;
	}
	p.name = strdup(s->name);
	if (p.name == NULL)
		return fail(ld, 0, "out of memory");
	p.line = s->line;
	/* Move the values: the section no longer owns them. */
	p.community = s->val[K_COMMUNITY];
	p.username = s->val[K_USERNAME];
	p.auth_pass = s->val[K_AUTH_PASSPHRASE];
	p.priv_pass = s->val[K_PRIV_PASSPHRASE];
	p.context = s->val[K_CONTEXT];
	p.token = s->val[K_AGENT_TOKEN];
	p.ca_file = s->val[K_CA_FILE];
	p.pinned_pubkey = s->val[K_PINNED_PUBKEY];
	p.server_url = s->val[K_SERVER_URL];
	p.app_token = s->val[K_APP_TOKEN];
	p.user_token = s->val[K_USER_TOKEN];
	p.password = s->val[K_PASSWORD];
	s->val[K_PASSWORD] = NULL;
	s->val[K_SERVER_URL] = s->val[K_APP_TOKEN] = NULL;
	s->val[K_USER_TOKEN] = NULL;
	s->val[K_COMMUNITY] = s->val[K_USERNAME] = NULL;
	s->val[K_AUTH_PASSPHRASE] = s->val[K_PRIV_PASSPHRASE] = NULL;
	s->val[K_CONTEXT] = s->val[K_AGENT_TOKEN] = NULL;
	s->val[K_CA_FILE] = s->val[K_PINNED_PUBKEY] = NULL;
	ld->set->v[ld->set->n++] = p;
	section_clear(s);
	return 0;
}

/* A section header: ends the open section and starts the new one. */
static int
on_section(void *user, const char *name, size_t n, unsigned line)
{
	struct loader *ld = user;
	const struct cred_profile *dup;

	if (n == 0 || n > CRED_MAX_NAME)
		return fail(ld, line, "a profile name has 1 to %d "
		    "characters", CRED_MAX_NAME);
	if (finish_section(ld) != 0)
		return -1;
	memcpy(ld->sec.name, name, n);
	ld->sec.name[n] = '\0';
	if (!cred_name_ok(ld->sec.name))
		return fail(ld, line, "a profile name has only letters, "
		    "digits, '_', '.' and '-'");
	dup = cred_find(ld->set, ld->sec.name);
	if (dup != NULL)
		return fail(ld, line, "duplicate profile '%s' (also on "
		    "line %u)", ld->sec.name, dup->line);
	ld->sec.line = line;
	ld->sec.open = 1;
	return 0;
}

/*
 * May a key name the user wrote appear in a message?  Only when it looks
 * like a misspelt key (lower-case letters and '_'), not like a secret
 * written without its key.
 */
static int
key_quotable(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 24 && strspn(s, "abcdefghijklmnopqrstuvwxyz_") ==
	    n;
}

static int
on_key(void *user, const char *section, const char *name,
    const char *value, unsigned line)
{
	struct loader *ld = user;
	size_t k;

	(void)section;
	if (!ld->sec.open)
		return fail(ld, line, "key outside any [profile] section");
	for (k = 0; k < K__COUNT; k++)
		if (strcasecmp(name, keys[k].name) == 0)
			break;
	if (k == K__COUNT) {
		if (key_quotable(name))
			return fail(ld, line, "unknown key '%s'", name);
		return fail(ld, line, "unknown key");
	}
	if (ld->sec.val[k] != NULL)
		return fail(ld, line, "%s: given twice in [%s] (also on line "
		    "%u)", keys[k].name, ld->sec.name, ld->sec.vline[k]);
	if (value == NULL || value[0] == '\0')
		return fail(ld, line, "%s: empty value", keys[k].name);
	ld->sec.val[k] = strdup(value);
	if (ld->sec.val[k] == NULL)
		return fail(ld, 0, "out of memory");
	ld->sec.vline[k] = line;
	return 0;
}

int
cred_set_load(const char *path, struct cred_set *out, char *err,
    size_t errlen)
{
	static const struct inifile_spec spec = {
		.max_file = CRED_MAX_FILE,
		.max_line = CRED_MAX_LINE,
		.flags = INIFILE_SECRET,
		.expected = "[profile]",
		.section = on_section,
		.key = on_key,
	};
	struct loader ld;

	memset(out, 0, sizeof(*out));
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.set = out;
	ld.err = err;
	ld.errlen = errlen;
	if (inifile_load(path, &spec, &ld, err, errlen) != 0)
		ld.failed = 1;
	if (!ld.failed)
		finish_section(&ld);
	if (!ld.failed && out->n == 0)
		fail(&ld, 0, "no profiles");

	section_clear(&ld.sec);
	if (ld.failed) {
		cred_set_free(out);
		return -1;
	}
	out->path = path;
	return 0;
}
