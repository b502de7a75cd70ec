/*
 * onu: the optical network units behind a run's OLTs.  The SNMP "onu"
 * probe stores an OLT's ONU table rows as neighbour rows of the OLT
 * (items "onu.PONIFINDEX.ONUID": the GPON serial, the operator's
 * description, the PON port's ifIndex and the ONU id; snmp_probes.c).
 * onu_run() makes each ONU with a serial one discovered host of the run,
 * identified by its serial ("serial:HWTC1A2B3C4D"), located at its OLT,
 * PON port (the OLT's ifName for the ifIndex, when it was read) and ONU
 * id, with derived neighbour observations for the matcher: serial,
 * vendorid (the serial's ITU-T G.984.3 vendor id, e.g. "HWTC", which the
 * rule pack maps to a maker), onuid, descr, table "onu" and location.
 * The OLT gets a coverage row (channel derived, probe "onu") saying how
 * many ONUs were read.
 */
#ifndef BANAUDIT_ONU_H
#define BANAUDIT_ONU_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Bytes of a serial's text ("HWTC1A2B3C4D"), with the NUL. */
#define ONU_SERIAL_MAX	13

struct onu_stats {
	size_t	 olts;		/* hosts with ONU rows */
	size_t	 onus;		/* ONUs written as hosts */
	size_t	 no_serial;	/* rows without a usable serial */
};

/*
 * The G.984.3 serial of an ONU-table value: 8 octets (4 vendor-id
 * letters, 4 vendor-specific octets), or their 16 hex digits, or the
 * 12-character text form.  Writes "HWTC1A2B3C4D" into text and "HWTC"
 * into vid.  Returns 0, or -1 when the value is no GPON serial (the
 * vendor id must be 4 upper-case letters or digits).
 */
int	 onu_serial(const unsigned char *v, size_t len,
	    char text[ONU_SERIAL_MAX], char vid[5]);

/*
 * Reads run's ONU rows and writes the ONUs (see above).  Returns 0 and
 * fills *stats (may be NULL), or -1 with a message.
 */
int	 onu_run(struct store *, int64_t run, struct onu_stats *, char *err,
	    size_t errlen);

#endif
