/*
 * mac: MAC addresses as text.  A text form is either hex digits with
 * separators at fixed places (parse_groups) or six octets of one or two
 * digits with one separator throughout (parse_octets).
 */
#include <ctype.h>
#include <string.h>

#include "mac.h"
#include "util.h"

/*
 * Hex digits with separators at fixed places: "aabbccddeeff",
 * "aabbcc-ddeeff" (HP), "aabb.ccdd.eeff" (Cisco), "aabb-ccdd-eeff"
 * (Huawei, H3C).
 */
static int
parse_groups(const char *s, size_t n, unsigned char out[6])
{
	size_t i, nd = 0, cut1 = n, cut2 = n;
	int d;

	if (n == 13 && s[6] == '-')
		cut1 = 6;
	else if (n == 14 && (s[4] == '.' || s[4] == '-') && s[9] == s[4]) {
		cut1 = 4;
		cut2 = 9;
	} else if (n != 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (i == cut1 || i == cut2)
			continue;
		d = hex_digit(s[i]);
		if (d < 0)
			return -1;
		if (nd % 2 == 0)
			out[nd / 2] = (unsigned char)(d << 4);
		else
			out[nd / 2] |= (unsigned char)d;
		nd++;
	}
	return 0;
}

/* Six octets of one or two hex digits, one separator throughout. */
static int
parse_octets(const char *s, size_t n, unsigned char out[6])
{
	size_t i = 0;
	int k, sep = 0, hi, lo;

	for (k = 0; k < 6; k++) {
		if (k > 0) {
			if (i >= n || s[i] == '\0' ||
			    strchr(":- ", s[i]) == NULL ||
			    (sep != 0 && s[i] != sep))
				return -1;
			sep = s[i++];
		}
		hi = i < n ? hex_digit(s[i]) : -1;
		if (hi < 0)
			return -1;
		i++;
		lo = i < n ? hex_digit(s[i]) : -1;
		if (lo >= 0) {
			hi = hi << 4 | lo;
			i++;
		}
		out[k] = (unsigned char)hi;
	}
	return i == n ? 0 : -1;
}

int
mac_parse(const char *s, size_t n, unsigned char mac[6])
{
	unsigned char out[6];

	if (s == NULL)
		return -1;
	if (n == 6) {
		memcpy(mac, s, 6);
		return 0;
	}
	while (n > 0 && isspace((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (parse_groups(s, n, out) != 0 && parse_octets(s, n, out) != 0)
		return -1;
	memcpy(mac, out, 6);
	return 0;
}

void
mac_format(const unsigned char mac[6], char out[18])
{
	static const char digits[] = "0123456789abcdef";
	int k;

	for (k = 0; k < 6; k++) {
		out[3 * k] = digits[mac[k] >> 4];
		out[3 * k + 1] = digits[mac[k] & 0x0f];
		out[3 * k + 2] = k < 5 ? ':' : '\0';
	}
}
