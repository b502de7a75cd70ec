/*
 * Unit tests for oui: MAC text forms, the IEEE CSV and manuf loaders, block
 * sizes and the longest-prefix rule, local/multicast/private results,
 * overrides, malformed files with exact FILE:LINE, and the real ieee-data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "oui.h"
#include "util.h"

#define DATA	"tests/data/oui/"
#define IEEE	DATA "ieee"

#define HIKVISION	"Hangzhou Hikvision Digital Technology Co.,Ltd."
#define IEEE_RA		"IEEE Registration Authority"

/* Looks up a MAC given as text; fails the test if it does not parse. */
static enum oui_result
look(const struct oui_registry *r, const char *text, const char **org,
    int *bits)
{
	unsigned char mac[6];

	assert_int_equal(mac_parse(text, strlen(text), mac), 0);
	return oui_lookup(r, mac, org, bits);
}

/* Asserts that text resolves to want with a prefix of wbits bits. */
static void
expect_org(const struct oui_registry *r, const char *text, const char *want,
    int wbits)
{
	const char *org = NULL;
	int bits = -1;

	assert_int_equal(look(r, text, &org, &bits), OUI_FOUND);
	assert_non_null(org);
	assert_string_equal(org, want);
	assert_int_equal(bits, wbits);
}

static struct oui_registry *
open_with(const char *path)
{
	struct oui_registry *r = NULL;
	char err[ERRLEN];

	assert_int_equal(oui_open(&r, err, sizeof(err)), 0);
	if (path != NULL && oui_load_file(r, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return r;
}

/* A scratch directory for files that are clearer built in the test. */
static char scratch[64];

static int
setup(void **state)
{
	(void)state;
	str_copy(scratch, "/tmp/test_oui.XXXXXX", sizeof(scratch));
	return mkdtemp(scratch) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
put_file(const char *name, const char *content, size_t len)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(content, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* --- MAC addresses ---------------------------------------------------- */

static void
test_mac_forms(void **state)
{
	static const char *const good[] = {
		"28:57:be:0a:1b:ff", "28:57:BE:0A:1B:FF", "28-57-be-0a-1b-ff",
		"28 57 BE 0A 1B FF ",		/* net-snmp Hex-STRING */
		"28:57:be:a:1b:ff",		/* net-snmp "1x:" hint */
		"2857.be0a.1bff",		/* Cisco */
		"2857-be0a-1bff",		/* Huawei, H3C */
		"2857be-0a1bff",		/* HP */
		"2857BE0A1BFF", "  2857be0a1bff\n",
	};
	const unsigned char want[6] = { 0x28, 0x57, 0xbe, 0x0a, 0x1b, 0xff };
	unsigned char mac[6];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		memset(mac, 0, sizeof(mac));
		if (mac_parse(good[i], strlen(good[i]), mac) != 0)
			fail_msg("rejected '%s'", good[i]);
		assert_memory_equal(mac, want, 6);
	}
	/* Not NUL-terminated: only n bytes are read. */
	assert_int_equal(mac_parse("2857be0a1bffXYZ", 12, mac), 0);
	assert_memory_equal(mac, want, 6);
	/* One-digit octets everywhere. */
	assert_int_equal(mac_parse("0:0:c:7:ac:1", 12, mac), 0);
	assert_memory_equal(mac, "\x00\x00\x0c\x07\xac\x01", 6);
}

static void
test_mac_raw(void **state)
{
	unsigned char mac[6];

	(void)state;
	/* Six bytes are a binary PhysAddress, even if they print. */
	assert_int_equal(mac_parse("\x28\x57\xbe\x00\x00\x01", 6, mac), 0);
	assert_memory_equal(mac, "\x28\x57\xbe\x00\x00\x01", 6);
	assert_int_equal(mac_parse("DEFGHI", 6, mac), 0);
	assert_memory_equal(mac, "DEFGHI", 6);
	assert_int_equal(mac_parse("\0\0\0\0\0\0", 6, mac), 0);
	assert_memory_equal(mac, "\0\0\0\0\0\0", 6);
}

static void
test_mac_malformed(void **state)
{
	static const char *const bad[] = {
		"", " ", "28:57:be:0a:1b", "28:57:be:0a:1b:ff:00",
		"28:57:be-0a:1b:ff",		/* mixed separators */
		"28:57:be:0a:1b:",		/* empty octet */
		"28::57:be:0a:1b",
		"285:7b:e0:a1:bf:f0",		/* three digits */
		"28:57:be:0a:1b:fg", "2857.be0a.1bfg", "2857.be0a-1bff",
		"2857be0a1bf", "2857be0a1bff0", "2857be0a1bfx",
		"28.57.be.0a.1b.ff",		/* dots: groups of 4 only */
		"2857:be0a:1bff", "28_57_be_0a_1b_ff", "0x2857be0a1bff",
		"28:57:be:0a:1b:ff extra", "2857be0a1bff\0",
	};
	unsigned char mac[6];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		size_t n = strlen(bad[i]) + (i == NELEM(bad) - 1);

		memset(mac, 0xaa, sizeof(mac));
		if (mac_parse(bad[i], n, mac) == 0)
			fail_msg("accepted '%s'", bad[i]);
		/* mac is left alone on failure. */
		assert_memory_equal(mac, "\xaa\xaa\xaa\xaa\xaa\xaa", 6);
	}
	assert_int_equal(mac_parse(NULL, 0, mac), -1);
}

static void
test_mac_format(void **state)
{
	const unsigned char mac[6] = { 0x00, 0x80, 0x4c, 0xab, 0xcd, 0xef };
	unsigned char back[6];
	char out[18];

	(void)state;
	memset(out, 'x', sizeof(out));
	mac_format(mac, out);
	assert_string_equal(out, "00:80:4c:ab:cd:ef");
	assert_int_equal(mac_parse(out, strlen(out), back), 0);
	assert_memory_equal(back, mac, 6);
}

/* --- the packaged registry layout ------------------------------------- */

static void
test_ieee_dir(void **state)
{
	struct oui_registry *r = open_with(NULL);
	char err[ERRLEN];

	(void)state;
	assert_string_equal(oui_describe(r), "none");
	assert_int_equal(oui_count(r), 0);
	if (oui_load_ieee_dir(r, IEEE, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	/* The date is .lastupdate's 1661630937, not the files' mtime. */
	assert_string_equal(oui_describe(r), "IEEE registry (" IEEE ") "
	    "2022-08-27: 26 MA-L, 4 MA-M, 3 MA-S, 3 IAB");
	/* 080030 has three rows: 34 distinct prefixes. */
	assert_int_equal(oui_count(r), 34);
	oui_close(r);
}

static void
test_block_sizes(void **state)
{
	struct oui_registry *r = open_with(IEEE);

	(void)state;
	expect_org(r, "28:57:be:12:34:56", HIKVISION, 24);	/* MA-L */
	expect_org(r, "b0:b3:53:6f:ff:ff",
	    "Hangzhou Hikrobot Technology Co., Ltd.", 28);	/* MA-M */
	expect_org(r, "70:b3:d5:f2:ff:ff", "TELEPLATFORMS", 36); /* MA-S */
	expect_org(r, "00:50:c2:dd:60:00", "Wartsila Voyage Limited",
	    36);						/* IAB */
	expect_org(r, "40:d8:55:13:4a:bc", "digitech GmbH & Co. KG", 36);
	oui_close(r);
}

static void
test_longest_prefix(void **state)
{
	struct oui_registry *r = open_with(IEEE);

	(void)state;
	/*
	 * MA-S 70:B3:D5:F2:F is TELEPLATFORMS inside the IEEE's own MA-L;
	 * its neighbours stay with the MA-L owner.
	 */
	expect_org(r, "70:b3:d5:f2:f0:00", "TELEPLATFORMS", 36);
	expect_org(r, "70:b3:d5:f2:e9:99", IEEE_RA, 24);
	expect_org(r, "70:b3:d5:f3:00:00", IEEE_RA, 24);
	/* The trap: an MA-M of an unrelated "Dahua" under 40:2C:76. */
	expect_org(r, "40:2c:76:1f:ff:ff", "Shanghai Dahua Scale Factory",
	    28);
	expect_org(r, "40:2c:76:20:00:00", IEEE_RA, 24);
	expect_org(r, "40:2c:76:0f:ff:ff", IEEE_RA, 24);
	oui_close(r);
}

/*
 * The IEEE carves MA-M and MA-S blocks out of its own MA-Ls only, but a
 * user's registry may carve them out of anyone's: the longest prefix wins
 * whoever owns the MA-L, so an Axis MA-S inside a Hikvision MA-L is Axis
 * and its neighbours stay Hikvision.  (Invented rows: tests/data/oui/
 * carved.csv.)
 */
static void
test_carved_from_company(void **state)
{
	struct oui_registry *r = open_with(DATA "carved.csv");

	(void)state;
	expect_org(r, "28:57:be:12:34:56", "AXIS COMMUNICATIONS AB", 36);
	expect_org(r, "28:57:be:12:3f:ff", "AXIS COMMUNICATIONS AB", 36);
	expect_org(r, "28:57:be:12:40:00", HIKVISION, 24);
	expect_org(r, "28:57:be:12:2f:ff", HIKVISION, 24);
	expect_org(r, "28:57:be:8a:bc:de", "Contec GmbH", 28);
	expect_org(r, "28:57:be:9a:bc:de", HIKVISION, 24);
	oui_close(r);
}

static void
test_vendors_and_traps(void **state)
{
	struct oui_registry *r = open_with(IEEE);
	const char *org;
	int bits;

	(void)state;
	expect_org(r, "44:47:cc:00:00:01", HIKVISION, 24);
	expect_org(r, "08:ed:ed:00:00:01", "Zhejiang Dahua Technology Co., "
	    "Ltd.", 24);
	expect_org(r, "30:fb:b8:00:00:01", "HUAWEI TECHNOLOGIES CO.,LTD", 24);
	expect_org(r, "10:32:7e:00:00:01", "Huawei Device Co., Ltd.", 24);
	expect_org(r, "08:60:83:00:00:01", "zte corporation", 24);
	expect_org(r, "64:69:bc:00:00:01", "Hytera Communications Co .,ltd",
	    24);
	expect_org(r, "9c:06:6e:00:00:01", "Hytera Communications "
	    "Corporation Limited", 24);
	expect_org(r, "64:f2:fb:00:00:01", "Hangzhou Ezviz Software Co.,Ltd.",
	    24);
	expect_org(r, "34:bd:20:00:00:01", "Hangzhou Hikrobot Technology Co., "
	    "Ltd.", 24);
	/* Traps: a Japanese CONTEC, H3C (not covered). */
	expect_org(r, "00:80:4c:00:00:01", "CONTEC CO., LTD.", 24);
	expect_org(r, "50:98:b8:00:00:01", "New H3C Technologies Co., Ltd",
	    24);
	/* HTML entities the IEEE leaves in names are undone. */
	expect_org(r, "00:26:bd:00:00:01", "JTEC Card & Communication Co., "
	    "Ltd", 24);
	expect_org(r, "f8:b5:68:e0:00:01", "ZAO \"RADIUS Avtomatika\"", 28);
	expect_org(r, "00:1b:c5:04:40:00", "ZAO \"RADIUS Avtomatika\"", 36);
	/* A name after a multi-line quoted address. */
	expect_org(r, "c4:04:d8:00:00:01", "Aviva Links Inc.", 24);
	/* Duplicate rows in one file: the first wins, as in Wireshark. */
	expect_org(r, "08:00:30:00:00:01", "NETWORK RESEARCH CORPORATION", 24);
	/* Not registered in the excerpt. */
	assert_int_equal(look(r, "00:00:0c:00:00:01", &org, &bits),
	    OUI_UNKNOWN);
	assert_null(org);
	assert_int_equal(bits, 0);
	oui_close(r);
}

static void
test_local_multicast(void **state)
{
	struct oui_registry *r = open_with(IEEE);
	const char *org = "x";
	int bits = -1;

	(void)state;
	/* Randomised (locally administered) even under a banned OUI. */
	assert_int_equal(look(r, "2a:57:be:12:34:56", &org, &bits),
	    OUI_LOCAL);
	assert_null(org);
	assert_int_equal(bits, 0);
	assert_int_equal(look(r, "da:a1:19:00:00:01", &org, &bits),
	    OUI_LOCAL);
	assert_int_equal(look(r, "01:00:5e:00:00:fb", &org, &bits),
	    OUI_MULTICAST);
	assert_int_equal(look(r, "ff:ff:ff:ff:ff:ff", &org, &bits),
	    OUI_MULTICAST);
	assert_int_equal(look(r, "33:33:00:00:00:01", &org, &bits),
	    OUI_MULTICAST);
	assert_int_equal(look(r, "29:57:be:12:34:56", &org, &bits),
	    OUI_MULTICAST);
	/* An incomplete ARP entry is no device. */
	assert_int_equal(look(r, "00:00:00:00:00:00", &org, &bits),
	    OUI_UNKNOWN);
	/* Without a registry only the classification is given. */
	assert_int_equal(look(NULL, "2a:57:be:12:34:56", &org, &bits),
	    OUI_LOCAL);
	assert_int_equal(look(NULL, "28:57:be:12:34:56", &org, &bits),
	    OUI_UNKNOWN);
	/* org and bits may be NULL. */
	assert_int_equal(look(r, "28:57:be:12:34:56", NULL, NULL), OUI_FOUND);
	oui_close(r);
}

static void
test_private(void **state)
{
	struct oui_registry *r = open_with(IEEE);
	const char *org;
	int bits;

	(void)state;
	assert_int_equal(look(r, "9c:93:e4:00:00:01", &org, &bits),
	    OUI_PRIVATE);
	assert_string_equal(org, "Private");
	assert_int_equal(bits, 24);
	assert_int_equal(look(r, "74:1a:e0:9f:ff:ff", &org, &bits),
	    OUI_PRIVATE);
	assert_int_equal(bits, 28);
	assert_int_equal(look(r, "70:b3:d5:6f:40:01", &org, &bits),
	    OUI_PRIVATE);
	assert_int_equal(bits, 36);
	assert_int_equal(look(r, "00:50:c2:ce:90:01", &org, &bits),
	    OUI_PRIVATE);
	assert_int_equal(bits, 36);
	oui_close(r);
}

/* --- user files --------------------------------------------------------- */

static void
test_manuf(void **state)
{
	struct oui_registry *r = open_with(DATA "manuf");
	const char *org;
	int bits;

	(void)state;
	/* Newest Last-Modified of the header; group lines skipped. */
	assert_string_equal(oui_describe(r), "Wireshark manuf " DATA "manuf "
	    "2024-08-25: 9 /24, 2 /28, 1 /36, 1 other lengths, "
	    "2 group/local (not used)");
	assert_int_equal(oui_count(r), 13);
	expect_org(r, "28:57:be:00:00:01", HIKVISION, 24);
	expect_org(r, "c0:56:e3:00:00:01", HIKVISION, 24);	/* "/24" */
	expect_org(r, "2c:c4:4f:9a:bc:de", "Kaspersky Lab Middle-East FZ-LLC",
	    28);
	expect_org(r, "2c:c4:4f:a0:00:00", IEEE_RA, 24);
	expect_org(r, "b0:b3:53:60:00:00",
	    "Hangzhou Hikrobot Technology Co., Ltd.", 28);
	expect_org(r, "70:b3:d5:f2:f0:01", "Teleplatforms", 36);
	expect_org(r, "70:b3:d5:f3:00:00", IEEE_RA, 24);
	/* /40 well-known address; only the short name column. */
	expect_org(r, "00:00:0c:07:ac:2a", "All-HSRP-routers", 40);
	expect_org(r, "00:00:0c:07:ad:00", "Cisco Systems, Inc", 24);
	/* Old layout: "# Long name" in the third column. */
	expect_org(r, "e0:50:8b:00:00:01", "Zhejiang Dahua Technology Co., "
	    "Ltd.", 24);
	expect_org(r, "00:80:4c:00:00:01", "CONTEC CO., LTD.", 24);
	assert_int_equal(look(r, "9c:93:e4:00:00:01", &org, &bits),
	    OUI_PRIVATE);
	assert_string_equal(org, "Private");
	oui_close(r);
}

static void
test_manuf_variants(void **state)
{
	static const char crlf[] = "\xef\xbb\xbf"
	    "28-57-BE\tHangzhouHik\tHangzhou Hikvision Digital Technology "
	    "Co.,Ltd.\r\n"
	    "  # indented comment, Last-Modified: garbage\r\n"
	    "\r\n"
	    "70.B3.D5.F2.F0.00/36 Teleplat\tTeleplatforms   \r\n"
	    "8:0:30\tNetworkR\tNETWORK RESEARCH CORPORATION";
	struct oui_registry *r;
	char want[256];

	(void)state;
	r = open_with(put_file("manuf-crlf", crlf, sizeof(crlf) - 1));
	expect_org(r, "28:57:be:00:00:01", HIKVISION, 24);
	expect_org(r, "70:b3:d5:f2:f0:01", "Teleplatforms", 36);
	expect_org(r, "08:00:30:00:00:01", "NETWORK RESEARCH CORPORATION", 24);
	/* No usable Last-Modified: the file's mtime (today). */
	snprintf(want, sizeof(want), "Wireshark manuf %s/manuf-crlf ",
	    scratch);
	assert_non_null(strstr(oui_describe(r), want));
	assert_null(strstr(oui_describe(r), "date unknown"));
	assert_non_null(strstr(oui_describe(r), ": 2 /24, 1 /36"));
	oui_close(r);
}

static void
test_user_override(void **state)
{
	struct oui_registry *r = open_with(NULL);
	char err[ERRLEN];

	(void)state;
	assert_int_equal(oui_load_ieee_dir(r, IEEE, err, sizeof(err)), 0);
	expect_org(r, "08:00:30:00:00:01", "NETWORK RESEARCH CORPORATION", 24);
	if (oui_load_file(r, DATA "override.csv", err, sizeof(err)) != 0)
		fail_msg("%s", err);
	expect_org(r, "08:00:30:00:00:01", "Test Override Ltd", 24);
	expect_org(r, "2c:c4:4f:90:00:01", "Kaspersky Lab Middle-East FZ-LLC",
	    28);
	/* Everything else is still the packaged registry. */
	expect_org(r, "28:57:be:00:00:01", HIKVISION, 24);
	assert_int_equal(oui_count(r), 35);
	assert_non_null(strstr(oui_describe(r), "IEEE registry (" IEEE ") "
	    "2022-08-27: 26 MA-L, 4 MA-M, 3 MA-S, 3 IAB; IEEE CSV "
	    DATA "override.csv "));
	assert_non_null(strstr(oui_describe(r), ": 1 MA-L, 1 MA-M "
	    "(1 overriding earlier sources)"));
	/* A manuf on top: several sources, one table. */
	assert_int_equal(oui_load_file(r, DATA "manuf", err, sizeof(err)), 0);
	expect_org(r, "00:00:0c:07:ac:01", "All-HSRP-routers", 40);
	expect_org(r, "70:b3:d5:f2:f0:01", "Teleplatforms", 36);
	oui_close(r);

	/* Later loads win: the packaged registry after the user file. */
	r = open_with(DATA "override.csv");
	assert_int_equal(oui_load_ieee_dir(r, IEEE, err, sizeof(err)), 0);
	expect_org(r, "08:00:30:00:00:01", "NETWORK RESEARCH CORPORATION", 24);
	oui_close(r);
}

static void
test_csv_variants(void **state)
{
	static const char csv[] = "\xef\xbb\xbf"
	    "\"Registry\",\"Assignment\",\"Organization Name\","
	    "\"Organization Address\",\"Added\"\r\n"
	    "ma-s,70b3d5f2f,\"  TELEPLATFORMS\t\",\"Moscow\",x\r\n"
	    "CID,0A1B2C,Some CID holder,,\r\n"
	    "MA-L,2857BF,D&#39;Arcy &#x26; &#8217;s &bogus; &amp &lt;&gt;,,\r\n";
	struct oui_registry *r;

	(void)state;
	r = open_with(put_file("newer.csv", csv, sizeof(csv) - 1));
	expect_org(r, "70:b3:d5:f2:f0:01", "TELEPLATFORMS", 36);
	/* Entities: named, ASCII numeric; others are kept. */
	expect_org(r, "28:57:bf:00:00:01", "D'Arcy & &#8217;s &bogus; &amp <>",
	    24);
	assert_int_equal(oui_count(r), 2);
	assert_non_null(strstr(oui_describe(r), ": 1 MA-L, 1 MA-S, 1 CID "
	    "(not used)"));
	oui_close(r);
}

/*
 * A manuf file's date: the newest Last-Modified of its header in the
 * forms Wireshark writes (with or without the weekday), never one that
 * is no date -- a day of 0 or 32, a month name that is not one (or
 * straddles two: "ugS"), a weekday without its comma, a year before
 * 1970 -- each of those later than the good ones, so that taking any
 * of them would show.
 */
static void
test_manuf_dates(void **state)
{
	static const char manuf[] =
	    "# Last-Modified: Sun, 25 Aug 2024 07:07:48 GMT\n"
	    "#\tLast-Modified:\t 1 Sep 2025 00:00:00 GMT\n"
	    "# Last-Modified: Mon, 32 Dec 2030 00:00:00 GMT\n"
	    "# Last-Modified: Mon, 00 Dec 2030 00:00:00 GMT\n"
	    "# Last-Modified: Mon, 01 ugS 2030 00:00:00 GMT\n"
	    "# Last-Modified: Mon, 01 Foo 2030 00:00:00 GMT\n"
	    "# Last-Modified: Mon 01 Dec 2030 00:00:00 GMT\n"
	    "# Last-Modified: Mon, 01 December 2030\n"
	    "# Last-Modified: Mon, 01 Dec 1969 00:00:00 GMT\n"
	    "# Last-Modified:\n"
	    "28:57:BE\tHangzhouHik\tHangzhou Hikvision Digital Technology "
	    "Co.,Ltd.\n";
	static const char csv[] =
	    "Registry,Assignment,Organization Name,Organization Address\n"
	    "MA-L,2857BF,A&#X41;&#1;&#;&#x7f;&#65&#0065;,\n";
	struct oui_registry *r;

	(void)state;
	r = open_with(put_file("manuf", manuf, sizeof(manuf) - 1));
	assert_non_null(strstr(oui_describe(r), "/manuf 2025-09-01: 1 /24"));
	oui_close(r);
	/* Numeric entities: hexadecimal with a capital X taken; a control
	   character, an empty one, DEL, one without ';' and more than 3
	   digits kept as written. */
	r = open_with(put_file("ent.csv", csv, sizeof(csv) - 1));
	expect_org(r, "28:57:bf:00:00:01", "AA&#1;&#;&#x7f;&#65&#0065;", 24);
	oui_close(r);
}

/*
 * Small and odd registries: a file of group addresses only (loaded, no
 * look-up finds anything in it), one of a single entry, an IEEE CSV whose
 * header is quoted after a byte-order mark; a registry directory given
 * as a file; ieee-data's .lastupdate date taken when it is a date and
 * passed over (the files' own date) when it is not.
 */
static void
test_small_registries(void **state)
{
	static const char groups[] = "01:00:5E/25\tIPv4mcast\n"
	    "33:33/16\tIPv6mcast\n";
	static const char one[] = "\xef\xbb\xbf\"Registry\",\"Assignment\","
	    "\"Organization Name\",\"Organization Address\"\n"
	    "MA-L,2857BE,\"" HIKVISION "\",\n";
	static const char oui[] = "Registry,Assignment,Organization Name,"
	    "Organization Address\nMA-L,00804C,\"CONTEC CO., LTD.\",\n";
	static const char mam[] = "Registry,Assignment,Organization Name,"
	    "Organization Address\nMA-M,402C761,Foo,\n";
	static const char hdr[] = "Registry,Assignment,Organization Name,"
	    "Organization Address\n";
	struct oui_registry *r;
	const char *org;
	char err[ERRLEN], dir[128], want[256];
	int bits;

	(void)state;
	r = open_with(put_file("groups", groups, sizeof(groups) - 1));
	assert_int_equal(oui_count(r), 0);
	assert_non_null(strstr(oui_describe(r), "2 group/local (not used)"));
	assert_int_equal(look(r, "28:57:be:00:00:01", &org, &bits),
	    OUI_UNKNOWN);
	oui_close(r);
	r = open_with(put_file("one.csv", one, sizeof(one) - 1));
	assert_int_equal(oui_count(r), 1);
	expect_org(r, "28:57:be:00:00:01", HIKVISION, 24);
	oui_close(r);

	r = open_with(NULL);
	snprintf(want, sizeof(want), "%s/one.csv: not a directory", scratch);
	assert_int_equal(oui_load_ieee_dir(r, put_file("one.csv", one,
	    sizeof(one) - 1), err, sizeof(err)), -1);
	assert_string_equal(err, want);
	snprintf(dir, sizeof(dir), "%s/ieee", scratch);
	assert_int_equal(mkdir(dir, 0700), 0);
	put_file("ieee/oui.csv", oui, strlen(oui));
	put_file("ieee/mam.csv", mam, strlen(mam));
	put_file("ieee/oui36.csv", hdr, strlen(hdr));
	put_file("ieee/iab.csv", hdr, strlen(hdr));
	put_file("ieee/.lastupdate", "1724569668\n", 11);
	assert_int_equal(oui_load_ieee_dir(r, dir, err, sizeof(err)), 0);
	assert_non_null(strstr(oui_describe(r), " 2024-08-25: "));
	oui_close(r);
	r = open_with(NULL);
	put_file("ieee/.lastupdate", "yesterday\n", 10);
	assert_int_equal(oui_load_ieee_dir(r, dir, err, sizeof(err)), 0);
	assert_null(strstr(oui_describe(r), " 2024-08-25: "));
	assert_null(strstr(oui_describe(r), "date unknown"));
	oui_close(r);
}

/* --- errors ------------------------------------------------------------- */

static void
expect_load_error(const char *path, const char *want)
{
	struct oui_registry *r = open_with(IEEE);
	char err[ERRLEN], before[512];
	size_t n = oui_count(r);

	str_copy(before, oui_describe(r), sizeof(before));
	err[0] = '\0';
	assert_int_equal(oui_load_file(r, path, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	/* A failed load leaves the registry as it was. */
	assert_int_equal(oui_count(r), n);
	assert_string_equal(oui_describe(r), before);
	expect_org(r, "28:57:be:12:34:56", HIKVISION, 24);
	expect_org(r, "00:80:4c:00:00:01", "CONTEC CO., LTD.", 24);
	oui_close(r);
}

static void
test_malformed_csv(void **state)
{
	(void)state;
	expect_load_error(DATA "bad/bad-hex.csv", DATA "bad/bad-hex.csv:3: "
	    "bad assignment '00G04C': not hexadecimal");
	expect_load_error(DATA "bad/bad-length.csv", DATA "bad/bad-length.csv"
	    ":2: MA-M assignment '402C76' has 6 hex digits, expected 7");
	/* Line 4: the record before spans lines 2 and 3. */
	expect_load_error(DATA "bad/bad-columns.csv", DATA "bad/bad-columns"
	    ".csv:4: missing columns: 2 fields, 'Organization Name' is "
	    "column 3");
	expect_load_error(DATA "bad/bad-registry.csv", DATA "bad/bad-registry"
	    ".csv:2: unknown registry 'OUI' (expected MA-L, MA-M, MA-S, IAB "
	    "or CID)");
	expect_load_error(DATA "bad/bad-header.csv", DATA "bad/bad-header.csv"
	    ":1: not an IEEE registry CSV: no 'Assignment' column");
	expect_load_error(DATA "bad/bad-empty-name.csv", DATA
	    "bad/bad-empty-name.csv:3: empty Organization Name");
	expect_load_error(DATA "bad/header-only.csv", "IEEE CSV " DATA
	    "bad/header-only.csv: no registry entries");
}

static void
test_malformed_manuf(void **state)
{
	static const char nul[] = "# x\n28:57:BE\tHik\0vision\n";
	static const char *const prefixes[] = {
		"28:57:BE:00:00:00:00", "28:57:BE/", "28:57:BE/0",
		"28:57:BE/abc", "28:57:BE/+30", "28:57:BE/2a", "28:57:BE:",
		"28:57-BE", "28:57.BE", "285:7B:E0", "28:57:BE:1/", "/24",
		"28:57:BE/24/24", "2857BE",
	};
	char line[128], want[256];
	size_t i;

	(void)state;
	expect_load_error(DATA "bad/bad-prefix.manuf", DATA "bad/bad-prefix"
	    ".manuf:2: bad manuf prefix '28:57:BG'");
	expect_load_error(DATA "bad/bad-short.manuf", DATA "bad/bad-short"
	    ".manuf:4: bad manuf prefix '00:00:00:00:00:00/16': shorter than "
	    "24 bits");
	expect_load_error(DATA "bad/bad-mask.manuf", DATA "bad/bad-mask"
	    ".manuf:1: bad manuf prefix '28:57:BE/49'");
	expect_load_error(DATA "bad/bad-noname.manuf", DATA "bad/bad-noname"
	    ".manuf:2: missing organisation name after '28:57:BE'");
	/* Hostile input: NUL bytes, seven octets, odd masks. */
	snprintf(want, sizeof(want), "%s/nul.manuf:2: NUL byte in text",
	    scratch);
	expect_load_error(put_file("nul.manuf", nul, sizeof(nul) - 1), want);
	for (i = 0; i < NELEM(prefixes); i++) {
		snprintf(line, sizeof(line), "#\n%s\tX\tName\n", prefixes[i]);
		snprintf(want, sizeof(want), "%s/p.manuf:2: bad manuf prefix "
		    "'%s'", scratch, prefixes[i]);
		expect_load_error(put_file("p.manuf", line, strlen(line)),
		    want);
	}
}

static void
test_unrecognised(void **state)
{
	char want[256];

	(void)state;
	expect_load_error(DATA "bad/not-a-registry.html", DATA
	    "bad/not-a-registry.html: neither an IEEE registry CSV (header "
	    "\"Registry,Assignment,Organization Name,...\") nor a Wireshark "
	    "manuf file");
	snprintf(want, sizeof(want), "%s/empty: empty file", scratch);
	expect_load_error(put_file("empty", " \n\r\n", 4), want);
	expect_load_error("/nonexistent/manuf", "/nonexistent/manuf: No such "
	    "file or directory");
}

static void
test_missing_dir(void **state)
{
	static const char oui[] = "Registry,Assignment,Organization Name,"
	    "Organization Address\nMA-L,00804C,\"CONTEC CO., LTD.\",\n";
	static const char mam[] = "Registry,Assignment,Organization Name,"
	    "Organization Address\nMA-M,402C7610,Foo,\n";
	struct oui_registry *r = open_with(NULL);
	char err[ERRLEN], dir[128], want[256];

	(void)state;
	assert_int_equal(oui_load_ieee_dir(r, "/nonexistent/ieee-data", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/ieee-data: No such file or "
	    "directory; install the Debian package ieee-data or pass --oui "
	    "FILE");
	/* A directory without mam.csv. */
	snprintf(dir, sizeof(dir), "%s/partial", scratch);
	assert_int_equal(mkdir(dir, 0700), 0);
	put_file("partial/oui.csv", oui, strlen(oui));
	assert_int_equal(oui_load_ieee_dir(r, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/mam.csv: No such file or directory; "
	    "reinstall the Debian package ieee-data or pass --oui FILE", dir);
	assert_string_equal(err, want);
	/* A bad row in one of the files: FILE:LINE with the path. */
	put_file("partial/mam.csv", mam, strlen(mam));
	assert_int_equal(oui_load_ieee_dir(r, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/mam.csv:2: MA-M assignment "
	    "'402C7610' has 8 hex digits, expected 7", dir);
	assert_string_equal(err, want);
	assert_int_equal(oui_count(r), 0);
	assert_string_equal(oui_describe(r), "none");
	oui_close(r);
}

/* --- the real registry -------------------------------------------------- */

static void
test_real_ieee_data(void **state)
{
	struct oui_registry *r = open_with(NULL);
	char err[ERRLEN];
	int64_t t0;

	(void)state;
	if (access(OUI_DEFAULT_DIR "/oui.csv", R_OK) != 0) {
		print_message("SKIP: no " OUI_DEFAULT_DIR "/oui.csv: install "
		    "ieee-data (scripts/deps.sh does)\n");
		oui_close(r);
		skip();
	}
	t0 = mono_ms();
	if (oui_load_ieee_dir(r, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	print_message("loaded %zu prefixes in %lld ms\n", oui_count(r),
	    (long long)(mono_ms() - t0));
	/*
	 * Pins Debian bookworm's ieee-data 20220827.1: 32530 MA-L rows (the
	 * file has 32542 lines, some records span two) of which 3 repeat.
	 */
	assert_string_equal(oui_describe(r), "IEEE registry (ieee-data) "
	    "2022-08-27: 32530 MA-L, 4390 MA-M, 5029 MA-S, 4575 IAB");
	assert_int_equal(oui_count(r), 46521);
	expect_org(r, "28:57:be:aa:bb:cc", HIKVISION, 24);
	expect_org(r, "c0:56:e3:00:00:01", HIKVISION, 24);
	expect_org(r, "08:ed:ed:00:00:01", "Zhejiang Dahua Technology Co., "
	    "Ltd.", 24);
	expect_org(r, "9c:06:6e:00:00:01", "Hytera Communications "
	    "Corporation Limited", 24);
	expect_org(r, "00:80:4c:00:00:01", "CONTEC CO., LTD.", 24);
	expect_org(r, "40:2c:76:1a:bc:de", "Shanghai Dahua Scale Factory", 28);
	expect_org(r, "70:b3:d5:f2:f1:23", "TELEPLATFORMS", 36);
	expect_org(r, "00:50:c2:dd:6f:ff", "Wartsila Voyage Limited", 36);
	/* Kaspersky's MA-M (and its MA-L) came after this snapshot. */
	assert_int_equal(look(r, "2c:c4:4f:90:00:01", NULL, NULL),
	    OUI_UNKNOWN);
	oui_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mac_forms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mac_raw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mac_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mac_format, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ieee_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_block_sizes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_longest_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_carved_from_company, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vendors_and_traps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_local_multicast, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_private, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_manuf, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_manuf_variants, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_small_registries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_manuf_dates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_user_override, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_variants, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_csv, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_manuf, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unrecognised, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_real_ieee_data, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
