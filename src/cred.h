/*
 * cred: reads the credentials file (INI, through inih) into named profiles
 * for SNMP (v1, v2c, v3 USM) and for inventory agents.  The file must be a
 * regular file of mode 0600 or 0400 owned by the user running banaudit.
 *
 * Secrets live only in these structures: they are wiped when freed and MUST
 * NOT be copied into logs, the store, reports or command lines.
 */
#ifndef BANAUDIT_CRED_H
#define BANAUDIT_CRED_H

#include <stddef.h>

enum cred_type { CRED_SNMP, CRED_AGENT };

enum snmp_ver { SNMP_V1, SNMP_V2C, SNMP_V3 };

enum auth_proto {
	AUTH_NONE, AUTH_MD5, AUTH_SHA, AUTH_SHA224, AUTH_SHA256, AUTH_SHA384,
	AUTH_SHA512
};

enum priv_proto { PRIV_NONE, PRIV_DES, PRIV_AES128, PRIV_AES192,
	PRIV_AES256 };

enum agent_type { AGENT_FUSIONINVENTORY };

struct cred_profile {
	char		*name;
	enum cred_type	 type;
	unsigned	 line;		/* line of the [section] header */

	/* SNMP */
	enum snmp_ver	 version;
	char		*community;	/* secret; v1/v2c */
	char		*username;	/* v3 */
	enum auth_proto	 auth;
	char		*auth_pass;	/* secret */
	enum priv_proto	 priv;
	char		*priv_pass;	/* secret */
	char		*context;	/* may be NULL */

	/* Agent */
	enum agent_type	 agent;
	char		*token;		/* secret */
	char		*ca_file;	/* may be NULL */
	char		*pinned_pubkey;	/* "sha256//..." or NULL */
};

struct cred_set {
	struct cred_profile	*v;
	size_t			 n;
};

/*
 * Loads path.  Returns 0 and fills *out (free with cred_set_free()), or -1
 * with "FILE:LINE: message" (or "FILE: message") in err.  Refuses files of
 * a mode other than 0600/0400 or owned by another user.
 */
int	 cred_set_load(const char *path, struct cred_set *out, char *err,
	    size_t errlen);
void	 cred_set_free(struct cred_set *);

/* Borrowed pointer to the named profile, or NULL. */
const struct cred_profile *cred_find(const struct cred_set *,
	    const char *name);

const char	*auth_proto_name(enum auth_proto);
const char	*priv_proto_name(enum priv_proto);
const char	*snmp_ver_name(enum snmp_ver);

#endif
