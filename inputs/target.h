/*
 * target: reads targets.csv (RFC 4180 through csvin, header row required,
 * columns in any order, names case-insensitive) into a list of hosts to
 * audit.  CIDR ranges are expanded here, so every later stage sees one
 * target per address.  Nothing is resolved: hostnames are checked for
 * RFC 1123 syntax only.
 *
 * Columns: address (required), sector (required; the name of a sector
 * profile, checked by target_check_sectors()), site, owner,
 * criticality (1-5, default 3), snmp_profile (";"-separated, tried in
 * order), agent_url, agent_profile, jurisdiction (ISO 3166-2: "US" or
 * "US-TX"; juris.h; stored in upper case).  Unknown or repeated columns are an
 * error.  Blank lines, and rows whose every field is empty (spreadsheets
 * write them as ",,,,"), carry no data and are passed over; any other row
 * either becomes targets or is an error.
 *
 * Address forms (the port, when given, always comes last):
 *	10.1.2.3		10.1.2.3:1161
 *	::1  fe80::1		[::1]  [::1]:1161
 *	router.example.org	router.example.org:1161
 *	10.0.0.0/24		10.0.0.0/24:1161
 *	2001:db8::/120		[2001:db8::/120]  [2001:db8::/120]:1161
 * A bare IPv6 address never carries a port: write [v6]:port.  A CIDR must
 * have no host bits set.  IPv4 ranges wider than /31 skip their network and
 * broadcast addresses; /31, /32 and every IPv6 range keep all addresses.
 * A row may expand to at most TARGET_MAX_PER_ROW addresses and a file to
 * at most TARGET_MAX_TOTAL targets.  IPv6 zone indexes ("%eth0") are not
 * accepted.
 *
 * The same address and port twice (e.g. overlapping ranges) is an error
 * naming both lines.  Address and port are compared as written after
 * canonicalisation ("10.0.0.5" and "10.0.0.5:161" are distinct targets).
 *
 * agent_url is an http:// or https:// URL (host, optional port, optional
 * path; no user name, query or fragment) and needs an agent_profile; it
 * may not be used on a row that expands to more than one address.
 *
 * Errors are reported as "FILE:LINE: field: message" in the caller's
 * buffer.  The address forms and agent URLs are checked by addr.[ch].
 */
#ifndef BANAUDIT_TARGET_H
#define BANAUDIT_TARGET_H

#include <stddef.h>
#include "host.h"

/* The largest CIDR expansion accepted, per row and per file. */
#define TARGET_MAX_PER_ROW	65536		/* an IPv4 /16 */
#define TARGET_MAX_TOTAL	1048576

#define TARGET_MAX_PROFILES	8

/* A sector's name: 1..TARGET_MAX_SECTOR of a-z, 0-9, "_" and "-". */
#define TARGET_MAX_SECTOR	32

struct cred_set;
struct target_pool;

/*
 * Every string of a target is owned by its list and may be shared with the
 * other targets of the same row: never free or modify one.  So is the
 * array of profile names.  96 bytes a target (a million targets fit in a
 * small VM).
 */
struct target {
	struct host_attrs h;		/* the host's, in the run */
	char		**snmp_profiles; /* nsnmp_profiles names, or NULL */
	const char	*agent_url;	/* may be NULL */
	const char	*agent_profile;	/* may be NULL; set when agent_url is */
	unsigned	 port;		/* 0 = the channel's default */
	int		 family;	/* AF_INET, AF_INET6 or AF_UNSPEC */
	unsigned	 nsnmp_profiles; /* at most TARGET_MAX_PROFILES */
	unsigned	 line;		/* line of the row in the file */
};

struct target_list {
	struct target		*v;
	size_t			 n;
	const char		*path;	/* borrowed from the caller */
	struct target_pool	*pool;	/* private: the strings of v */
};

/*
 * Reads and validates path.  On success returns 0 and fills *out (free with
 * target_list_free()); on error returns -1, leaves *out empty and writes
 * "FILE:LINE: message" into err.  A file without any target is an error.
 */
int	 target_list_load(const char *path, struct target_list *out, char *err,
	    size_t errlen);
/* Frees everything a load allocated; accepts an empty or NULL list. */
void	 target_list_free(struct target_list *);

/*
 * Checks every profile the targets name against the credentials: each
 * snmp_profile must be an SNMP profile and each agent_profile an agent
 * profile of creds (which may be NULL when no credentials file was given).
 * Returns 0, or -1 with "FILE:LINE: snmp_profile 'x': ..." in err for the
 * first offending row.
 */
int	 target_check_profiles(const struct target_list *,
	    const struct cred_set *creds, char *err, size_t errlen);

/*
 * The target as one string: its address, with ":port" when a port was
 * given ("[v6]:port" for IPv6).  This is the target's key everywhere after
 * loading -- its host in the store, its rows in every report -- so two
 * targets that share an address but not a port stay two hosts.  buf should
 * hold TARGET_HOSTPORT_MAX bytes.
 */
#define TARGET_HOSTPORT_MAX	(256 + 8)
void	 target_hostport(const struct target *, char *buf, size_t len);

/*
 * Checks every target's sector against the names of the sector profiles
 * loaded (names[0..n), lower case).  Returns 0, or -1 with
 * "FILE:LINE: sector: 'x' is not one of ..." in err for the first
 * offending row.
 */
int	 target_check_sectors(const struct target_list *,
	    const char *const *names, size_t n, char *err, size_t errlen);

/* Is s a well-formed sector name (any case)? */
int	 target_sector_ok(const char *s);

#endif
