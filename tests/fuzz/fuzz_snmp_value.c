/*
 * fuzz_snmp_value: what an SNMP agent's varbinds become -- the value
 * decoder (snmp_value_map(), every ASN.1 type) and the index decoders of
 * the neighbour and connection tables.  Input: byte 0 the ASN.1 type,
 * byte 1 the value table's octets type, then the value; the same bytes,
 * read as sub-identifiers, are the index.
 */
#include <string.h>

#include "fuzz.h"
#include "snmp.h"

static int (*const decoders[])(const oid *, size_t, struct snmp_index *) = {
	snmp_index_dotted, snmp_index_arp,
	snmp_index_arp_media, snmp_index_fdb_q, snmp_index_fdb,
	snmp_index_vlan, snmp_index_lldp_rem, snmp_index_lldp_man,
	snmp_index_lldp_loc, snmp_index_cdp, snmp_index_baseport,
	snmp_index_tcpconn, snmp_index_tcpconn_old, snmp_index_cidr_route,
	snmp_index_route,
};

static const u_char types[] = {
	ASN_OCTET_STR, ASN_INTEGER, ASN_COUNTER, ASN_GAUGE, ASN_TIMETICKS,
	ASN_COUNTER64, ASN_OBJECT_ID, ASN_IPADDRESS, ASN_OPAQUE, ASN_BIT_STR,
	ASN_NULL, SNMP_NOSUCHOBJECT, SNMP_NOSUCHINSTANCE, SNMP_ENDOFMIBVIEW,
	ASN_UINTEGER,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	netsnmp_variable_list v;
	struct snmp_value val;
	struct snmp_index ix;
	static oid idx[MAX_OID_LEN];
	static u_char copy[4096];
	struct counter64 c64;
	char buf[SNMP_OIDTEXT_MAX];
	long l;
	size_t i, n;

	if (size < 2)
		return 0;
	n = size - 2 < sizeof(copy) ? size - 2 : sizeof(copy);
	memcpy(copy, data + 2, n);
	memset(&v, 0, sizeof(v));
	v.type = types[data[0] % sizeof(types)];
	v.val_len = n;
	switch (v.type) {
	case ASN_INTEGER:
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		l = 0;
		memcpy(&l, copy, n < sizeof(l) ? n : sizeof(l));
		v.val.integer = &l;
		v.val_len = sizeof(l);
		break;
	case ASN_COUNTER64:
		memset(&c64, 0, sizeof(c64));
		memcpy(&c64, copy, n < sizeof(c64) ? n : sizeof(c64));
		v.val.counter64 = &c64;
		v.val_len = sizeof(c64);
		break;
	case ASN_OBJECT_ID:
		v.val.objid = (oid *)(void *)copy;
		v.val_len = n / sizeof(oid) * sizeof(oid);
		break;
	default:
		v.val.string = n > 0 ? copy : NULL;
		break;
	}
	(void)snmp_value_map(&v, (enum value_type)(data[1] % VAL__COUNT),
	    256, buf, sizeof(buf), &val);
	n = size - 2 < MAX_OID_LEN ? size - 2 : MAX_OID_LEN;
	for (i = 0; i < n; i++)
		idx[i] = data[2 + i] > 250 ? (oid)data[2 + i] << 24 :
		    data[2 + i];
	for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
		(void)decoders[i](idx, n, &ix);
	(void)snmp_oid_text(idx, n, buf, sizeof(buf));
	return 0;
}
