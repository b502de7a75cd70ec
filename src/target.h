/*
 * target: reads targets.csv (RFC 4180 through libcsv, header row required,
 * columns in any order) into a list of hosts to audit.  CIDR ranges are
 * expanded here, so every later stage sees one target per address.
 *
 * Columns: address (required), sector (required), site, owner,
 * criticality (1-5, default 3), snmp_profile (";"-separated, tried in
 * order), agent_url, agent_profile.  Unknown columns are an error.
 *
 * Errors are reported as "FILE:LINE: message" in the caller's buffer.
 */
#ifndef BANAUDIT_TARGET_H
#define BANAUDIT_TARGET_H

#include <stddef.h>

/* The largest CIDR expansion accepted, per row and per file. */
#define TARGET_MAX_PER_ROW	65536		/* an IPv4 /16 */
#define TARGET_MAX_TOTAL	1048576

#define TARGET_MAX_PROFILES	8

enum sector_id {
	SECTOR_TELECOM,
	SECTOR_POWER,
	SECTOR_HEALTHCARE,
	SECTOR_LOCALGOV,
	SECTOR__COUNT
};

struct target {
	char		*address;	/* host part: IP literal or hostname */
	unsigned	 port;		/* 0 = the channel's default */
	int		 family;	/* AF_INET, AF_INET6 or AF_UNSPEC (name) */
	enum sector_id	 sector;
	char		*site;		/* may be NULL */
	char		*owner;		/* may be NULL */
	int		 criticality;	/* 1..5 */
	char		*snmp_profiles[TARGET_MAX_PROFILES];
	size_t		 nsnmp_profiles;
	char		*agent_url;	/* may be NULL */
	char		*agent_profile;	/* may be NULL */
	unsigned	 line;		/* line of the row in the file */
};

struct target_list {
	struct target	*v;
	size_t		 n;
	const char	*path;		/* borrowed from the caller */
};

/*
 * Reads and validates path.  On success returns 0 and fills *out (free with
 * target_list_free()); on error returns -1, leaves *out empty and writes
 * "FILE:LINE: message" into err.
 */
int	 target_list_load(const char *path, struct target_list *out, char *err,
	    size_t errlen);
void	 target_list_free(struct target_list *);

/*
 * Splits "host", "host:port", "[v6]:port", "v6" or "a.b.c.d/len" forms.
 * Exposed for tests.  host must hold at least 256 bytes; *prefix is -1 when
 * there is no "/len".  Returns 0 or -1 with a message.
 */
int	 target_parse_address(const char *s, char *host, size_t hostlen,
	    unsigned *port, int *prefix, int *family, char *err,
	    size_t errlen);

const char	*sector_name(enum sector_id);
int		 sector_from_name(const char *, enum sector_id *);

#endif
