/*
 * cred: reads the credentials file (INI, through inih) into named profiles
 * for SNMP (v1, v2c, v3 USM) and for inventory agents.  The file must be a
 * regular file (not a symbolic link) of mode 0600 or 0400 owned by the
 * effective user running banaudit, and at most CRED_MAX_FILE bytes.
 *
 * Syntax: "[name]" starts a profile (name: A-Z a-z 0-9 _ . -, unique,
 * compared without regard to case); "key = value" lines follow; lines
 * starting with ';' or '#' are comments, and " ;" (white space, then ';')
 * starts a comment anywhere.  Values are taken literally after trimming:
 * quotes are part of the value.  Hence a secret can neither contain
 * white space followed by ';' nor begin or end with white space.  A line
 * holds at most CRED_MAX_LINE characters; longer is an error.
 *
 * Keys, by profile type:
 *	SNMP v1/v2c:	snmp_version (1, 2c), community
 *	SNMP v3:	snmp_version (3), username, auth_protocol,
 *			auth_passphrase, priv_protocol, priv_passphrase,
 *			context
 *	agent:		agent_type (fusioninventory; glpi is a synonym),
 *			agent_token, ca_file, pinned_pubkey ("sha256//<base64>",
 *			several separated by ';')
 *	inventory server: server_type (glpi), server_url (the REST API's
 *			base, "https://glpi.example.org/apirest.php"),
 *			user_token, app_token (optional), ca_file,
 *			pinned_pubkey;
 *			server_type (wazuh), server_url (the Wazuh server
 *			API, "https://wazuh.example.org:55000"), username,
 *			password (of a read-only API user), ca_file,
 *			pinned_pubkey
 * auth_protocol: MD5 SHA (or SHA1, SHA-1) SHA-224 SHA-256 SHA-384 SHA-512;
 * priv_protocol: DES AES-128 (or AES) AES-192 AES-256; case-insensitive,
 * and the SHA-2 and AES names also without the '-' (net-snmp's spelling).
 * A passphrase needs its protocol and the reverse; passphrases have at
 * least CRED_MIN_PASSPHRASE characters; privacy needs authentication.
 * ca_file must be a readable regular file at load time; a relative path
 * is taken from the credentials file's directory and stored resolved.
 * Key names are case-insensitive; a key may appear once per profile.
 *
 * Secrets live only in these structures: they are wiped when freed and MUST
 * NOT be copied into logs, the store, reports or command lines.  No error
 * message of this module quotes a value of any key (a secret on the wrong
 * line must not leak either), only profile and key names.
 *
 * cred_set_load() sets inih's process-wide options for the duration of the
 * parse and restores them after: it is not thread-safe.
 */
#ifndef BANAUDIT_CRED_H
#define BANAUDIT_CRED_H

#include <stddef.h>

#define CRED_MAX_FILE		(1024 * 1024)
#define CRED_MAX_LINE		1024	/* characters, without the newline */
#define CRED_MAX_NAME		64	/* characters in a profile name */
#define CRED_MIN_PASSPHRASE	8	/* net-snmp refuses shorter ones */
/*
 * Bytes of a community: net-snmp reads no answer whose community is
 * longer than 256 (COMMUNITY_MAX_LEN), and a VLAN's context adds
 * "@4094" to it (snmp_session.c) within 256 with its NUL.
 */
#define CRED_MAX_COMMUNITY	250

enum cred_type { CRED_SNMP, CRED_AGENT, CRED_SERVER };

enum snmp_ver { SNMP_V1, SNMP_V2C, SNMP_V3 };

enum auth_proto {
	AUTH_NONE, AUTH_MD5, AUTH_SHA, AUTH_SHA224, AUTH_SHA256, AUTH_SHA384,
	AUTH_SHA512
};

enum priv_proto { PRIV_NONE, PRIV_DES, PRIV_AES128, PRIV_AES192,
	PRIV_AES256 };

enum agent_type { AGENT_FUSIONINVENTORY };

enum server_type { SERVER_GLPI, SERVER_WAZUH };

struct cred_profile {
	char		*name;
	enum cred_type	 type;
	unsigned	 line;		/* line of the [section] header */

	/* SNMP */
	enum snmp_ver	 version;
	char		*community;	/* secret; v1/v2c */
	char		*username;	/* v3 */
	enum auth_proto	 auth;
	char		*auth_pass;	/* secret; NULL when auth is NONE */
	enum priv_proto	 priv;
	char		*priv_pass;	/* secret; NULL when priv is NONE */
	char		*context;	/* may be NULL */

	/* Agent */
	enum agent_type	 agent;
	char		*token;		/* secret */
	char		*ca_file;	/* may be NULL; resolved path */
	char		*pinned_pubkey;	/* "sha256//..." or NULL */

	/* Inventory server (also ca_file, pinned_pubkey) */
	enum server_type server;
	char		*server_url;
	char		*app_token;	/* secret; may be NULL */
	char		*user_token;	/* secret; GLPI */
	char		*password;	/* secret; Wazuh (with username) */
};

struct cred_set {
	struct cred_profile	*v;
	size_t			 n;
	const char		*path;	/* borrowed from the caller */
};

/*
 * Loads path.  Returns 0 and fills *out (free with cred_set_free()), or -1
 * with "FILE:LINE: message" (or "FILE: message") in err and *out empty.
 * Refuses files of a mode other than 0600/0400, owned by another user,
 * symbolic links and anything but a regular file; the caller maps that to
 * exit code 2.
 */
int	 cred_set_load(const char *path, struct cred_set *out, char *err,
	    size_t errlen);
/* Wipes every secret and frees the profiles; accepts NULL. */
void	 cred_set_free(struct cred_set *);

/* Borrowed pointer to the named profile (case-insensitive), or NULL. */
const struct cred_profile *cred_find(const struct cred_set *,
	    const char *name);

/* Is s a valid profile name (1..CRED_MAX_NAME of A-Z a-z 0-9 _ . -)? */
int	 cred_name_ok(const char *s);

const char	*snmp_ver_name(enum snmp_ver);

#endif
