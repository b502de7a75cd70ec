/*
 * inventory: turns a FusionInventory 2.x / GLPI Agent computer inventory
 * into observations.  The XML parser (inventory_xml.c, libxml2 SAX on a
 * memory buffer) serves the HTTP agent collector and "banaudit import" of
 * .xml/.ocs files; a JSON parser of the same inventory_format MUST produce
 * the same observations through the same sink, so that the matcher and the
 * reports cannot tell the formats apart.
 *
 * Accepted documents: <REQUEST><CONTENT>...</CONTENT><DEVICEID/><QUERY/>
 * </REQUEST> as agents send and write it (QUERY, when present, must be
 * INVENTORY), and a bare <CONTENT> root as some export tools write it.
 *
 * What is read (everything else, notably ENVS, LOCAL_USERS, LOCAL_GROUPS
 * and USERS, is skipped without its text ever being copied):
 *
 *   kind       item      attr            source
 *   system     ""        os              OPERATINGSYSTEM/FULL_NAME, else
 *                                        HARDWARE/OSNAME
 *                        os_version      OPERATINGSYSTEM/VERSION, else
 *                                        HARDWARE/OSVERSION
 *                        name            HARDWARE/NAME
 *                        fqdn            OPERATINGSYSTEM/FQDN
 *                        uuid            HARDWARE/UUID
 *                        serial          BIOS/SSN
 *                        manufacturer    BIOS/SMANUFACTURER
 *                        model           BIOS/SMODEL
 *                        agent_version   VERSIONCLIENT
 *   software   ordinal   name, version, publisher, arch, from
 *                                        SOFTWARES[n]/NAME, ...
 *   process    ordinal   name            PROCESSES[n]/CMD: the basename of
 *                                        the executable only; arguments
 *                                        are never kept
 *   netif      ordinal   mac, ip, descr  NETWORKS[n]/MACADDR, IPADDRESS
 *                                        (else IPADDRESS6), DESCRIPTION
 *   antivirus  ordinal   name, company, version, enabled, uptodate,
 *                        base_version    ANTIVIRUS[n]/...
 *                        base_date       YYYY-MM-DD read from BASE_VERSION
 *                                        when it holds a date (Kaspersky
 *                                        "YYYYMMDD", ESET "N (YYYYMMDD)",
 *                                        Symantec "YYYYMMDD.rev")
 *                        expiration      EXPIRATION, "DD/MM/YYYY" rewritten
 *                                        as YYYY-MM-DD
 *
 * Ordinals count the elements of a section from 1 ("SOFTWARES[12]" is item
 * "12"); the source is the element path.  Values are text (VAL_TEXT),
 * UTF-8, as found (empty values are skipped), cut at a character boundary
 * to limits.max_value bytes.  All strings handed to the sink are borrowed
 * for the duration of the call.
 *
 * Hostile input: no network access, no DTD (a DOCTYPE is refused as soon as
 * it starts, so entity declarations are never read and a "billion laughs"
 * document fails in microseconds), no entity substitution, libxml2's own
 * limits (XML_PARSE_HUGE is never set), and the limits below.  A document
 * that is not valid UTF-8 (a known agent bug with Windows registry strings)
 * is read again as ISO-8859-1 rather than lost, and stats.latin1 says so.
 *
 * The document is parsed twice: the first pass checks it completely and
 * collects the identity and system values, the second emits observations.
 * So a document that fails produces no observation at all, and the sink
 * always sees the identity before anything else.
 */
#ifndef BANAUDIT_INVENTORY_H
#define BANAUDIT_INVENTORY_H

#include <stddef.h>

#include "obs.h"

struct inventory_limits {
	size_t		 max_input;	/* bytes of document */
	size_t		 max_elements;	/* in the document */
	unsigned	 max_depth;	/* element nesting */
	size_t		 max_value;	/* bytes kept per value */
};

/* 64 MiB, 2,000,000 elements, depth 32, 4096 bytes per value. */
void	 inventory_limits_default(struct inventory_limits *);

/*
 * Who the inventoried host is, for merging it with what SNMP and imports
 * saw.  All pointers are borrowed; NULL when absent.  uuid and serial are
 * left NULL when they are well-known placeholders ("00000000-...",
 * "To be filled by O.E.M.", ...), which would merge unrelated hosts.
 */
struct inventory_identity {
	const char	*uuid;		/* HARDWARE/UUID */
	const char	*serial;	/* BIOS/SSN */
	const char	*name;		/* HARDWARE/NAME */
	const char	*fqdn;		/* OPERATINGSYSTEM/FQDN */
	const char	*deviceid;	/* REQUEST/DEVICEID */
	/* NETWORKS/MACADDR: "aa:bb:cc:dd:ee:ff", unique, not all-zero. */
	const char *const *macs;
	size_t		 nmacs;
};

#define INVENTORY_MAX_MACS	64

/*
 * Where the parser's output goes.  identity() (may be NULL) is called
 * exactly once, before the first observe().  A callback returning -1 stops
 * the parse, which then returns INV_ESINK.
 */
struct inventory_sink {
	void	*arg;
	int	(*identity)(void *arg, const struct inventory_identity *);
	int	(*observe)(void *arg, const struct observation *);
};

struct inventory_stats {
	size_t		 elements;	/* elements in the document */
	size_t		 software;	/* SOFTWARES elements */
	size_t		 processes;
	size_t		 netifs;
	size_t		 antivirus;
	size_t		 truncated;	/* values cut to max_value */
	int		 latin1;	/* not UTF-8; read as ISO-8859-1 */
};

enum inventory_rc {
	INV_OK = 0,
	INV_EINPUT = -1,	/* not an inventory, malformed, over a limit */
	INV_ESINK = -2,		/* a sink callback returned -1 */
	INV_ENETWORK = -3	/* a network inventory (NETDISCOVERY,
				   SNMPQUERY, netinventory): see netinv.h */
};

/*
 * Parses the len bytes at buf (need not be NUL-terminated).  limits may be
 * NULL (defaults); stats may be NULL.  Returns INV_OK, or INV_EINPUT with a
 * message in err ("line 12: ..." for parse errors), or INV_ESINK (err says
 * so; the sink keeps its own reason), or INV_ENETWORK (with a message,
 * before any callback) for a network inventory, which netinv.h reads.
 * Never writes to stdout or stderr.
 */
enum inventory_rc inventory_xml_parse(const void *buf, size_t len,
	    const struct inventory_limits *limits,
	    const struct inventory_sink *sink, struct inventory_stats *stats,
	    char *err, size_t errlen);

/*
 * Helpers shared by the parsers (inventory.c).  A parser of another format
 * MUST use them so that both produce the same observations.
 */

/*
 * The same for a GLPI inventory_format JSON document (inventory_json.c,
 * jansson): the same observations, identity and sources as the XML of the
 * same inventory.  limits.max_elements counts JSON values and max_depth
 * their nesting.  Parse errors read "line N: ...".
 */
enum inventory_rc inventory_json_parse(const void *buf, size_t len,
	    const struct inventory_limits *limits,
	    const struct inventory_sink *sink, struct inventory_stats *stats,
	    char *err, size_t errlen);

/*
 * Reads the date a signature-base version holds ("20240915",
 * "22090 (20201007)", "20180918.017", KESL's "2024-10-15 10:00:00") into
 * out as "YYYY-MM-DD" (out holds at least 11 bytes).  Returns 0, or -1
 * when it holds no valid date.
 */
int	 inventory_base_date(const char *base_version, size_t len,
	    char *out);

/* "DD/MM/YYYY" (agents' EXPIRATION) -> "YYYY-MM-DD" in out[11]; 0 or -1. */
int	 inventory_dmy_date(const char *s, size_t len, char *out);

/*
 * The executable name of a command line: "/usr/sbin/sshd -D" -> "sshd",
 * "\"C:\\Program Files\\Kaspersky Lab\\avp.exe\" -x" -> "avp.exe",
 * "[kworker/0:1]" -> "kworker", "sshd: root@pts/0" -> "sshd".  Sets *name
 * to a span of cmd and returns its length (0: none).
 */
size_t	 inventory_process_name(const char *cmd, size_t len,
	    const char **name);

/*
 * Normalises a MAC address ("AA-BB-CC-00-11-22", "aabb.cc00.1122") to
 * "aa:bb:cc:00:11:22" in out[18].  Returns -1 for anything else and for
 * the all-zero and broadcast addresses.
 */
int	 inventory_mac_norm(const char *s, size_t len, char *out);

/* Can this UUID / serial tell hosts apart (not a placeholder)?  1 or 0. */
int	 inventory_uuid_usable(const char *s, size_t len);
int	 inventory_serial_usable(const char *s, size_t len);

/*
 * Releases libxml2's global state.  Call once, at exit, after the last
 * parse (main() or a test's teardown); parsing needs no set-up.
 */
void	 inventory_cleanup(void);

#endif
