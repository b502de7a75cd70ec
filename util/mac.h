/*
 * mac: MAC addresses as text -- the spellings SNMP agents and network
 * devices write, read into six bytes, and the one spelling banaudit
 * writes.  oui.h includes this header: the registry's users need both.
 */
#ifndef BANAUDIT_MAC_H
#define BANAUDIT_MAC_H

#include <stddef.h>

/*
 * Parses a MAC address of n bytes (need not be NUL-terminated):
 * "aa:bb:cc:dd:ee:ff", "aa-bb-cc-dd-ee-ff", "aa bb cc dd ee ff" (net-snmp
 * Hex-STRING), one-digit octets "0:1b:c5:0:0:1" (net-snmp's "1x:" hint),
 * "aabb.ccdd.eeff" (Cisco), "aabb-ccdd-eeff" (Huawei, H3C),
 * "aabbccddeeff"; either case, surrounding white space ignored.  When n is
 * exactly 6 the bytes are taken as a raw binary address (PhysAddress,
 * VAL_HEX): no text form is 6 characters long.  Returns 0, or -1 without
 * touching mac.
 */
int	 mac_parse(const char *s, size_t n, unsigned char mac[6]);

/* Formats mac as lower-case "aa:bb:cc:dd:ee:ff" (18 bytes with NUL). */
void	 mac_format(const unsigned char mac[6], char out[18]);

#endif /* BANAUDIT_MAC_H */
