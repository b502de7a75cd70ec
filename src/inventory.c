/*
 * inventory: the format-neutral half of the inventory parsers -- limits,
 * identity placeholders, MAC and date normalisation, process names.  The
 * XML parser uses these, and a JSON parser MUST use them too, so that both
 * formats yield the same observations.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "inventory.h"
#include "util.h"

void
inventory_limits_default(struct inventory_limits *l)
{
	l->max_input = 64u << 20;
	l->max_elements = 2000000;
	l->max_depth = 32;
	l->max_value = 4096;
}

static int
all_same(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] != s[0])
			return 0;
	return 1;
}

int
inventory_uuid_usable(const char *s, size_t n)
{
	char hex[33];
	size_t i, h = 0;

	for (i = 0; i < n && h < 32; i++)
		if (isxdigit((unsigned char)s[i]))
			hex[h++] = (char)toupper((unsigned char)s[i]);
	hex[h] = '\0';
	/* All zeros, all F, and the AMI BIOS default. */
	return !(h < 8 || all_same(hex, h) ||
	    strcmp(hex, "03000200040005000006000700080009") == 0);
}

int
inventory_serial_usable(const char *s, size_t n)
{
	static const char *const junk[] = {
		"none", "null", "n/a", "na", "unknown", "default string",
		"to be filled by o.e.m.", "system serial number",
		"chassis serial number", "not specified", "not applicable",
		"not available", "123456789", "0123456789", "1234567890",
		"serial", "oem", "invalid", NULL
	};
	size_t i;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n == 0 || all_same(s, n))
		return 0;
	for (i = 0; junk[i] != NULL; i++)
		if (strlen(junk[i]) == n && strncasecmp(junk[i], s, n) == 0)
			return 0;
	return 1;
}

int
inventory_mac_norm(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[12];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[i]);
		const char *p;

		if (c == ':' || c == '-' || c == '.')
			continue;
		p = c != '\0' ? strchr(hex, c) : NULL;
		if (p == NULL || n == 12)
			return -1;
		d[n++] = (unsigned char)(p - hex);
	}
	if (n != 12)
		return -1;
	for (i = 0; i < 6; i++) {
		out[i * 3] = hex[d[i * 2]];
		out[i * 3 + 1] = hex[d[i * 2 + 1]];
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	if (strcmp(out, "00:00:00:00:00:00") == 0 ||
	    strcmp(out, "ff:ff:ff:ff:ff:ff") == 0)
		return -1;
	return 0;
}

static int
valid_ymd(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1990 || y > 2099 || m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && !leap)
		return d <= 28;
	return d <= mdays[m - 1];
}

static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void
put_ymd(char *out, int y, int m, int d)
{
	char tmp[40];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	str_copy(out, tmp, 11);
}

int
inventory_base_date(const char *s, size_t len, char *out)
{
	size_t i = 0, j;
	int y, m, d;

	while (i < len) {
		if (!isdigit((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < len && isdigit((unsigned char)s[j]); j++)
			;
		if (j - i == 8) {
			y = digits(s + i, 4);
			m = digits(s + i + 4, 2);
			d = digits(s + i + 6, 2);
			if (valid_ymd(y, m, d)) {
				put_ymd(out, y, m, d);
				return 0;
			}
		}
		/* GLPI Agent's KESL module: "2024-10-15 10:00:00". */
		if (j - i == 4 && len - j >= 6 && s[j] == '-' &&
		    s[j + 3] == '-' && isdigit((unsigned char)s[j + 1]) &&
		    isdigit((unsigned char)s[j + 2]) &&
		    isdigit((unsigned char)s[j + 4]) &&
		    isdigit((unsigned char)s[j + 5]) &&
		    (len - j == 6 || !isdigit((unsigned char)s[j + 6]))) {
			y = digits(s + i, 4);
			m = digits(s + j + 1, 2);
			d = digits(s + j + 4, 2);
			if (valid_ymd(y, m, d)) {
				put_ymd(out, y, m, d);
				return 0;
			}
		}
		i = j;
	}
	return -1;
}

int
inventory_dmy_date(const char *s, size_t n, char *out)
{
	static const int pos[] = { 0, 1, 3, 4, 6, 7, 8, 9 };
	size_t i;

	if (n != 10 || s[2] != '/' || s[5] != '/')
		return -1;
	for (i = 0; i < NELEM(pos); i++)
		if (!isdigit((unsigned char)s[pos[i]]))
			return -1;
	if (!valid_ymd(digits(s + 6, 4), digits(s + 3, 2), digits(s, 2)))
		return -1;
	put_ymd(out, digits(s + 6, 4), digits(s + 3, 2), digits(s, 2));
	return 0;
}

/* Is this a Windows path ("C:\...") whose name may hold spaces? */
static int
windows_path(const char *s, size_t n)
{
	return n >= 3 && isalpha((unsigned char)s[0]) && s[1] == ':' &&
	    (s[2] == '\\' || s[2] == '/');
}

size_t
inventory_process_name(const char *cmd, size_t len, const char **name)
{
	const char *p = cmd, *end, *q;
	size_t n, i;

	*name = cmd;
	while (len > 0 && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	if (len == 0)
		return 0;
	end = p + len;
	if (*p == '[') {
		/* A kernel thread, "[kworker/0:1-events]": up to '/'. */
		p++;
		for (q = p; q < end && *q != ']' && *q != '/' &&
		    !isspace((unsigned char)*q); q++)
			;
		*name = p;
		return (size_t)(q - p);
	}
	if (*p == '"') {
		p++;
		for (q = p; q < end && *q != '"'; q++)
			;
	} else {
		q = NULL;
		if (windows_path(p, (size_t)(end - p))) {
			/* Unquoted "C:\Program Files\x\y.exe -k": to .exe. */
			for (i = 0; p + i + 4 <= end; i++) {
				if (strncasecmp(p + i, ".exe", 4) == 0 &&
				    (p + i + 4 == end ||
				    isspace((unsigned char)p[i + 4]))) {
					q = p + i + 4;
					break;
				}
			}
		}
		if (q == NULL)
			for (q = p; q < end && !isspace((unsigned char)*q);
			    q++)
				;
	}
	end = q;
	for (q = end; q > p && q[-1] != '/' && q[-1] != '\\'; q--)
		;
	n = (size_t)(end - q);
	/* "sshd: root@pts/0", "postgres: checkpointer". */
	if (n > 1 && q[n - 1] == ':')
		n--;
	*name = q;
	return n;
}
