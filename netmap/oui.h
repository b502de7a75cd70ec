/*
 * oui: the IEEE MAC address registry -- which organisation a MAC address
 * (from a router's ARP table, a switch's forwarding table, an LLDP
 * neighbour, an agent's network card) was assigned to.  The rule pack then
 * matches the organisation name ("Hangzhou Hikvision Digital Technology
 * Co.,Ltd.").
 *
 * Sources, loaded at run time and never copied into the repository:
 *   - Debian's ieee-data directory (oui.csv MA-L 24-bit, mam.csv MA-M
 *     28-bit, oui36.csv MA-S 36-bit, iab.csv IAB 36-bit; the date from
 *     .lastupdate);
 *   - a user file: a newer IEEE CSV (any of the four, or cid.csv) or a
 *     Wireshark "manuf" file, told apart by their content.
 * All sources go into one table.  A later load overrides an earlier one for
 * an identical prefix (so "--oui FILE" beats the packaged registry); within
 * one file the first row for a prefix wins, as in Wireshark.
 *
 * Look-ups are longest-prefix: a MAC in an MA-S block carved out of an MA-L
 * resolves to the MA-S owner.  Group (multicast) and locally administered
 * addresses are never looked up -- randomised MACs are locally administered
 * and must be reported as "vendor unknown", not as clean.
 *
 * The registry owns every string it hands out.  A registry is not modified
 * by look-ups, so several threads may look up concurrently once loading is
 * over.
 */
#ifndef BANAUDIT_OUI_H
#define BANAUDIT_OUI_H

#include <stddef.h>
#include <stdint.h>

/* mac_parse() and mac_format(), which every user of the registry needs. */
#include "mac.h"

/* Where Debian's ieee-data package installs the registry. */
#define OUI_DEFAULT_DIR	"/usr/share/ieee-data"

/* Largest registry file accepted (the 2022 oui.csv is 3 MB). */
#define OUI_MAX_FILE	((size_t)256 << 20)

struct oui_registry;

enum oui_result {
	OUI_FOUND,	/* *org is the registered organisation */
	OUI_UNKNOWN,	/* no registered prefix covers it (or all zero) */
	OUI_LOCAL,	/* locally administered (0x02 bit), e.g. random */
	OUI_MULTICAST,	/* group address (0x01 bit): not a device */
	OUI_PRIVATE	/* registered, but the owner asked to stay unnamed
			   ("Private"); *org is "Private" */
};

/*
 * Creates an empty registry.  Caller frees with oui_close().  *out is NULL
 * on failure.
 */
int	 oui_open(struct oui_registry **out, char *err, size_t errlen);

/*
 * Loads an ieee-data directory (OUI_DEFAULT_DIR, or NULL for it): all of
 * oui.csv, mam.csv, oui36.csv and iab.csv MUST be there.  A missing
 * directory or file gives a message telling the user to install ieee-data
 * or pass --oui.  Malformed rows give "FILE:LINE: message".  On failure the
 * registry is left as it was before the call.
 */
int	 oui_load_ieee_dir(struct oui_registry *, const char *dir, char *err,
	    size_t errlen);

/*
 * Loads a user-supplied registry file: an IEEE CSV (header
 * "Registry,Assignment,Organization Name,...") or a Wireshark manuf file
 * (PREFIX<TAB>Short[<TAB>Long], '#' comments, PREFIX with an optional /N,
 * N from 24 to 48).  A directory is loaded as with oui_load_ieee_dir().
 * Its date is the newest "Last-Modified:" in a manuf header, else the
 * file's mtime.  Errors and atomicity as above.
 */
int	 oui_load_file(struct oui_registry *, const char *path, char *err,
	    size_t errlen);

/*
 * Classifies and looks up a MAC.  On OUI_FOUND and OUI_PRIVATE, *org (if
 * org is not NULL) is the organisation name, borrowed until the next
 * oui_load_*() or oui_close(), and *bits (if not NULL) the length of the
 * matching prefix (24, 28, 36, ...).  Otherwise *org is NULL and *bits 0.
 * reg may be NULL: then only LOCAL, MULTICAST and UNKNOWN are returned.
 */
enum oui_result oui_lookup(const struct oui_registry *reg,
	    const unsigned char mac[6], const char **org, int *bits);

/*
 * One line naming every loaded source, its date and counts, for the run
 * record and the reports, e.g. "IEEE registry (ieee-data) 2022-08-27: 32542
 * MA-L, 4390 MA-M, 5029 MA-S, 4575 IAB".  "none" when empty.  Borrowed
 * until the next oui_load_*() or oui_close().
 */
const char *oui_describe(const struct oui_registry *);

/* Distinct prefixes in the table (after overrides). */
size_t	 oui_count(const struct oui_registry *);

/* Frees the registry and its strings; accepts NULL. */
void	 oui_close(struct oui_registry *);

#endif
