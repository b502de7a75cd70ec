/*
 * inventory_int: what the inventory parsers (inventory_xml.c,
 * inventory_json.c) share beyond inventory.h, so that both formats make
 * the same observations from the same inventory: the repeated sections
 * and their fields, and the emission of the identity, the system values
 * and each element (inventory.c).  A parser only reads its format into
 * field values; what becomes an observation, with which attribute and
 * source, is decided here.  Private to the inventory parsers.
 */
#ifndef BANAUDIT_INVENTORY_INT_H
#define BANAUDIT_INVENTORY_INT_H

#include <stddef.h>

#include "inventory.h"
#include "obs.h"
#include "util.h"

#define INVENTORY_MAX_FIELDS	8

/* The repeated sections, in the order they are emitted. */
enum inventory_section {
	INV_SOFTWARES,
	INV_PROCESSES,
	INV_NETWORKS,
	INV_ANTIVIRUS,
	INV__SECTIONS
};

/* Each section's fields, in the order of inventory_sections[].fields. */
enum { INV_SW_NAME, INV_SW_VERSION, INV_SW_PUBLISHER, INV_SW_ARCH,
	INV_SW_FROM };
enum { INV_PROC_CMD };
enum { INV_NET_MACADDR, INV_NET_IPADDRESS, INV_NET_IPADDRESS6,
	INV_NET_DESCRIPTION };
enum { INV_AV_NAME, INV_AV_COMPANY, INV_AV_VERSION, INV_AV_ENABLED,
	INV_AV_UPTODATE, INV_AV_BASE_VERSION, INV_AV_EXPIRATION };

/*
 * A repeated section: its XML tag and its fields' XML tags (NULL-ended),
 * which make the sources in every format ("SOFTWARES[3]/NAME").
 */
struct inventory_section_def {
	const char	*tag;
	enum obs_kind	 kind;
	const char	*fields[INVENTORY_MAX_FIELDS];
};

extern const struct inventory_section_def inventory_sections[INV__SECTIONS];

/* The host-level values, wherever a format keeps them. */
enum inventory_sys {
	INV_SYS_OS,		/* OPERATINGSYSTEM/FULL_NAME */
	INV_SYS_OSNAME,		/* HARDWARE/OSNAME: os when that is empty */
	INV_SYS_OS_VERSION,	/* OPERATINGSYSTEM/VERSION */
	INV_SYS_HW_OSVERSION,	/* HARDWARE/OSVERSION: likewise */
	INV_SYS_NAME,		/* HARDWARE/NAME */
	INV_SYS_FQDN,		/* OPERATINGSYSTEM/FQDN */
	INV_SYS_UUID,		/* HARDWARE/UUID */
	INV_SYS_SERIAL,		/* BIOS/SSN */
	INV_SYS_MANUFACTURER,	/* BIOS/SMANUFACTURER */
	INV_SYS_MODEL,		/* BIOS/SMODEL */
	INV_SYS_AGENT,		/* VERSIONCLIENT */
	INV_SYS_DEVICEID,	/* DEVICEID: identity only */
	INV_SYS__COUNT
};

/* Cuts a truncated value (sb->truncated) back to a UTF-8 boundary. */
void	 inventory_utf8_cut(struct strbuf *sb);

/*
 * Adds the MAC address at s (any spelling inventory_mac_norm() reads) to
 * macs[*n] unless it is unusable, already there, or the array is full
 * (INVENTORY_MAX_MACS).
 */
void	 inventory_mac_add(char macs[][18], size_t *n, const char *s,
	    size_t len);

/*
 * Hands the identity (uuid and serial only when usable, nmacs MACs) to
 * sink->identity, when set, then the system observations, in that order.
 * v[] holds the INV_SYS__COUNT values (borrowed; empty: absent).  Returns
 * 0, or -1 with "the identity sink failed" or "the observation sink
 * failed" in msg.
 */
int	 inventory_emit_system(const struct inventory_sink *,
	    const struct strbuf *const v[INV_SYS__COUNT],
	    const char macs[][18], size_t nmacs, char *msg, size_t msglen);

/*
 * Emits the ord-th element (from 1) of section s, whose field values are
 * v[], in the order of inventory_sections[s].fields, already cut to
 * max_value; counts it in st.  Returns 0, or -1 with "the observation
 * sink failed" in msg.
 */
int	 inventory_emit_element(const struct inventory_sink *,
	    enum inventory_section s, size_t ord, const struct strbuf *v,
	    struct inventory_stats *st, char *msg, size_t msglen);

/*
 * The start of every parse: *stats (may be NULL) zeroed, the limits to
 * use (limits, or the defaults written into *defl when NULL), len checked
 * against max_input.  Returns the limits, or NULL with the message in err.
 */
const struct inventory_limits *inventory_begin(
	    const struct inventory_limits *limits,
	    struct inventory_limits *defl, size_t len,
	    struct inventory_stats *stats, char *err, size_t errlen);

#endif /* BANAUDIT_INVENTORY_INT_H */
