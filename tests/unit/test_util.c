/*
 * test_util: util.c's promises that the rest of the program stands on --
 * a file is read only when it is a regular file of at most max bytes (a
 * FIFO, a device, a directory refused before a byte is read, never
 * blocking), "PATH: reason" messages, strbuf's cap, strict number and
 * date parsing (a date that is not a date is refused), the pinned clock,
 * and values rendered for a human.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "util.h"

static char dir[] = "/tmp/banaudit-util.XXXXXX";

static const char *
path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *name, const char *s, size_t n)
{
	FILE *f = fopen(path_of(name), "w");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* file_read_all on PATH refused with MSG after "PATH: ". */
static void
refused(const char *path, size_t max, int want, const char *msg)
{
	char err[ERRLEN], exp[ERRLEN + 300];
	char *buf = (char *)1;
	size_t len = 99;

	assert_int_equal(file_read_all(path, max, &buf, &len, err,
	    sizeof(err)), want);
	assert_null(buf);
	assert_int_equal(len, 0);
	snprintf(exp, sizeof(exp), "%s: %s", path, msg);
	assert_string_equal(err, exp);
}

static void
test_file_read_all(void **state)
{
	char err[ERRLEN], *buf;
	size_t len;

	(void)state;
	write_file("a", "abc\0def", 7);
	assert_int_equal(file_read_all(path_of("a"), 7, &buf, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "abc\0def", 7);
	assert_int_equal(buf[7], '\0');		/* a NUL follows */
	free(buf);
	write_file("empty", "", 0);
	assert_int_equal(file_read_all(path_of("empty"), 7, &buf, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);

	/* One byte over the cap: refused from fstat, nothing returned. */
	refused(path_of("a"), 6, FILE_TOO_LARGE, "larger than 6 bytes");
	refused(path_of("none"), 10, -1, "No such file or directory");
	refused(dir, 10, -1, "not a regular file");
	/* A FIFO with no writer: refused at once, not waited on. */
	assert_int_equal(mkfifo(path_of("fifo"), 0600), 0);
	refused(path_of("fifo"), 10, -1, "not a regular file");
	/* A device that never ends: refused before a byte is read. */
	refused("/dev/zero", 1 << 20, -1, "not a regular file");
}

static void
test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT(8);
	struct strbuf big = STRBUF_INIT(4096);
	char long_s[600];

	(void)state;
	assert_string_equal(strbuf_str(&sb), "");	/* never NULL */
	assert_int_equal(strbuf_puts(&sb, "abcd"), 0);
	assert_int_equal(strbuf_printf(&sb, "%d", 42), 0);
	assert_string_equal(strbuf_str(&sb), "abcd42");
	assert_int_equal(sb.truncated, 0);
	/* Beyond the cap: cut, and said so. */
	strbuf_puts(&sb, "xyz");
	assert_true(sb.len <= 8);
	assert_int_equal(sb.truncated, 1);
	assert_int_equal(strncmp(strbuf_str(&sb), "abcd42xy", sb.len), 0);
	strbuf_reset(&sb);
	assert_string_equal(strbuf_str(&sb), "");
	assert_int_equal(sb.truncated, 0);
	strbuf_free(&sb);
	/* A formatted string longer than the small stack buffer. */
	memset(long_s, 'q', sizeof(long_s) - 1);
	long_s[sizeof(long_s) - 1] = '\0';
	assert_int_equal(strbuf_printf(&big, "<%s>", long_s), 0);
	assert_int_equal(big.len, sizeof(long_s) + 1);
	assert_int_equal(strbuf_str(&big)[0], '<');
	assert_int_equal(strbuf_str(&big)[big.len - 1], '>');
	strbuf_free(&big);
}

static void
test_numbers(void **state)
{
	static const char *const bad[] = {
		"", " 1", "1 ", "1x", "x", "+", "-", "0x10",
		"99999999999999999999",
	};
	long v;
	size_t i;

	(void)state;
	assert_int_equal(parse_long("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_long("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	for (i = 0; i < NELEM(bad); i++)
		if (parse_long(bad[i], -1000, 1000, &v) != -1)
			fail_msg("parse_long accepted '%s'", bad[i]);
	assert_int_equal(parse_long("101", 0, 100, &v), -1);
	assert_int_equal(parse_long("-1", 0, 100, &v), -1);
	assert_int_equal(parse_long(NULL, 0, 100, &v), -1);
	/* Digits only: no sign, no more than nine. */
	assert_int_equal(parse_digits("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_digits("+7", 0, 10, &v), -1);
	assert_int_equal(parse_digits("-7", -10, 10, &v), -1);
	assert_int_equal(parse_digits("1234567890", 0, 2000000000, &v), -1);
	assert_int_equal(parse_digits("", 0, 10, &v), -1);
}

/* A date that is not a date is refused (README, waive: exit 2). */
static void
test_dates(void **state)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10",
		"2026-04-31", "2026-1-01", "2026-01-1", "26-01-01x",
		"2026/01/01", "2026-01-01 ", "", "tomorrow!!",
	};
	char buf[32];
	int64_t t;
	size_t i;

	(void)state;
	assert_int_equal(parse_date("2026-03-31", &t), 0);
	assert_int_equal(t, 1774915200);
	assert_int_equal(parse_date("2028-02-29", &t), 0);	/* leap */
	fmt_date(t, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-29");
	for (i = 0; i < NELEM(bad); i++)
		if (parse_date(bad[i], &t) != -1)
			fail_msg("parse_date accepted '%s'", bad[i]);
	assert_int_equal(parse_date(NULL, &t), -1);
	fmt_time(1774915200 + 3661, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-31T01:01:01Z");
	/* The pinned clock, then the real one again. */
	now_pin(1774915200);
	assert_int_equal(now_unix(), 1774915200);
	now_pin(0);
	assert_true(now_unix() > 1774915200);
}

/*
 * array_grow: room for one more element; the room doubles from 16 when
 * full, the elements kept; an impossible size fails with the array and
 * its room as they were.
 */
static void
test_array_grow(void **state)
{
	struct big { char b[64]; } *bv = NULL;
	int64_t *v = NULL;
	size_t cap = 0, n, bcap;

	(void)state;
	for (n = 0; n < 40; n++) {
		assert_int_equal(array_grow(&v, n, &cap, sizeof(*v)), 0);
		assert_true(cap > n);
		v[n] = (int64_t)n * 3;
	}
	assert_int_equal(cap, 64);		/* 16, 32, 64 */
	for (n = 0; n < 40; n++)
		assert_int_equal(v[n], (int64_t)n * 3);
	/* Room left: nothing moves. */
	assert_int_equal(array_grow(&v, 40, &cap, sizeof(*v)), 0);
	assert_int_equal(cap, 64);
	free(v);

	/* A count that would wrap, and a byte size that would. */
	bcap = (SIZE_MAX / 2) + 1;
	bv = NULL;
	assert_int_equal(array_grow(&bv, bcap, &bcap, sizeof(*bv)), -1);
	assert_null(bv);
	assert_int_equal(bcap, (SIZE_MAX / 2) + 1);
	bcap = SIZE_MAX / 64;
	assert_int_equal(array_grow(&bv, bcap, &bcap, sizeof(*bv)), -1);
	assert_null(bv);
	assert_int_equal(bcap, SIZE_MAX / 64);
}

/*
 * cmp_int64 orders by the int64_t an element begins with, over the whole
 * range (a subtraction would overflow at the ends), and serves bsearch()
 * over structs keyed by id.
 */
static void
test_cmp_int64(void **state)
{
	int64_t v[] = { 5, INT64_MIN, 0, INT64_MAX, -1, 5 };
	int64_t want[] = { INT64_MIN, -1, 0, 5, 5, INT64_MAX };
	struct { int64_t id; int tag; } r[] = {
		{ -7, 1 }, { 2, 2 }, { INT64_MAX, 3 },
	}, *hit;
	int64_t key;

	(void)state;
	qsort(v, 6, sizeof(v[0]), cmp_int64);
	assert_memory_equal(v, want, sizeof(v));
	key = 2;
	hit = bsearch(&key, r, 3, sizeof(r[0]), cmp_int64);
	assert_non_null(hit);
	assert_int_equal(hit->tag, 2);
	key = INT64_MAX;
	hit = bsearch(&key, r, 3, sizeof(r[0]), cmp_int64);
	assert_non_null(hit);
	assert_int_equal(hit->tag, 3);
	key = 3;
	assert_null(bsearch(&key, r, 3, sizeof(r[0]), cmp_int64));
}

static void
test_render(void **state)
{
	static const unsigned char bin[] = { 0x00, 0x1b, 0xff, 0x41 };
	char out[64], q[64];

	(void)state;
	render_value((const unsigned char *)"Huawei VRP", 10, out,
	    sizeof(out));
	assert_string_equal(out, "Huawei VRP");
	/* A trailing NUL is not shown. */
	render_value((const unsigned char *)"abc", 4, out, sizeof(out));
	assert_string_equal(out, "abc");
	/* Bytes that are not text: hex, never raw control characters. */
	render_value(bin, sizeof(bin), out, sizeof(out));
	assert_string_equal(out, "0x001bff41");
	render_value(NULL, 3, out, sizeof(out));
	assert_string_equal(out, "");
	/* Cut to fit. */
	render_value((const unsigned char *)"abcdef", 6, out, 4);
	assert_string_equal(out, "abc");
	/* A quoted value for a message: control characters made harmless. */
	str_quote("a\nb\x1b[31m", q, sizeof(q));
	assert_string_equal(q, "a?b?[31m");
}

/*
 * What counts as text a report shows as is: UTF-8 of two, three and four
 * bytes; anything else -- a stray continuation byte, a sequence cut
 * short, a lead byte of five, DEL, an escape -- is shown in hex.
 */
static void
test_render_utf8(void **state)
{
	static const struct {
		const char	*v;
		const char	*want;
	} t[] = {
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xe2\x82\xac 5", "\xe2\x82\xac 5" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
		{ "tab\there\r\n", "tab\there\r\n" },
		{ "a\x80", "0x6180" },
		{ "\xc3", "0xc3" },
		{ "\xe2\x82", "0xe282" },
		{ "\xe2\x82" "A", "0xe28241" },
		{ "\xf8\x88\x80\x80\x80", "0xf888808080" },
		{ "a\x7f", "0x617f" },
		{ "\x1b[0m", "0x1b5b306d" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		render_value((const unsigned char *)t[i].v, strlen(t[i].v),
		    out, sizeof(out));
		if (strcmp(out, t[i].want) != 0)
			fail_msg("value %zu: '%s', want '%s'", i, out,
			    t[i].want);
	}
	/* Hex cut to fit, never past the buffer; no room: nothing. */
	render_value((const unsigned char *)"\x01\x02\x03\x04", 4, out, 7);
	assert_string_equal(out, "0x0102");
	render_value((const unsigned char *)"\x01", 1, out, 2);
	assert_string_equal(out, "");
	out[0] = 'x';
	render_value((const unsigned char *)"abc", 3, out, 0);
	assert_int_equal(out[0], 'x');
}

/* The small string helpers, at their edges. */
static void
test_strings(void **state)
{
	static const char *const v[] = { "snmp", "Agent", "import" };
	char buf[STR_QUOTE_MAX + 8], small[12], t[32], longs[200];
	char *p;

	(void)state;
	/* A quote is cut after STR_QUOTE_MAX characters, and says so. */
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	str_quote(longs, buf, sizeof(buf));
	assert_int_equal(strlen(buf), STR_QUOTE_MAX + 3);
	assert_string_equal(buf + STR_QUOTE_MAX, "...");
	str_quote("\x7fok", buf, sizeof(buf));
	assert_string_equal(buf, "?ok");
	/* Case-blind equality; NULL equals only NULL. */
	assert_true(str_ieq("HuaWei", "huawei"));
	assert_false(str_ieq("huawei", NULL));
	assert_true(str_ieq(NULL, NULL));
	assert_int_equal(str_list_find(v, NELEM(v), "agent"), 1);
	assert_int_equal(str_list_find(v, NELEM(v), "derived"), -1);
	assert_int_equal(str_list_find(v, NELEM(v), NULL), -1);
	str_list_join(v, NELEM(v), t, sizeof(t));
	assert_string_equal(t, "snmp, Agent, import");
	/* Joined into too small a buffer: cut, NUL-terminated. */
	str_list_join(v, NELEM(v), small, 9);
	assert_string_equal(small, "snmp, Ag");
	small[0] = 'z';
	str_list_join(v, NELEM(v), small, 0);
	assert_int_equal(small[0], 'z');
	str_copy(t, " \t trimmed \n", sizeof(t));
	assert_string_equal(str_trim(t), "trimmed");
	str_copy(t, "   ", sizeof(t));
	assert_string_equal(str_trim(t), "");
	assert_int_equal(str_copy(small, "a longer source", sizeof(small)),
	    15);
	assert_string_equal(small, "a longer so");
	assert_null(str_ndup(NULL, 4));
	assert_null(str_dup(NULL));
	p = str_ndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);
	/* Hex digits of either case, and nothing else. */
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('9'), 9);
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_digit('G'), -1);
	assert_int_equal(hex_digit('/'), -1);
	hex_encode((const unsigned char *)"\x00\xab\xff", 3, t);
	assert_string_equal(t, "00abff");
	/* A secret is wiped and freed; NULL is fine. */
	secret_free(NULL);
	secret_free(strdup("s3cret"));
}

/*
 * A regular file whose size says nothing of its length (/proc): read to
 * its end, the buffer grown as needed, and refused when it turns out
 * longer than max.
 */
static void
test_file_grows(void **state)
{
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_int_equal(stat("/proc/self/status", &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(file_read_all("/proc/self/status", 1 << 20, &buf,
	    &len, err, sizeof(err)), 0);
	assert_true(len > 100);
	assert_int_equal(strlen(buf), len);
	assert_non_null(strstr(buf, "Name:"));
	free(buf);
	buf = (char *)1;
	assert_int_equal(file_read_all("/proc/self/status", 64, &buf, &len,
	    err, sizeof(err)), FILE_TOO_LARGE);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_string_equal(err, "/proc/self/status: larger than 64 bytes");
}

/* No core dump can hold a secret: the process is made non-dumpable. */
static void
test_secret_protect(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_int_equal(secret_protect_process(err, sizeof(err)), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	static const char *const names[] = { "a", "empty", "fifo" };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++)
		unlink(path_of(names[i]));
	return rmdir(dir);
}

/*
 * Issue 16: an agent URL, each rule broken in turn, with the message a
 * user gets; the password in a URL never reaches the message.
 */
static void
test_check_url(void **state)
{
	static const struct {
		const char	*url;
		const char	*says;	/* NULL: accepted */
	} cases[] = {
		{ "http://10.1.2.3:62354", NULL },
		{ "https://[::1]:8443/inv", NULL },
		{ "HTTPS://router-1.example.org/inv", NULL },
		{ "ftp://10.1.2.3/", "'ftp://10.1.2.3/' must start with "
		    "http:// or https://" },
		{ "http://[::1", "'http://[::1': " },
		{ "http://10.1.2.3:70000/", "'http://10.1.2.3:70000/': port "
		    "must be in 1..65535" },
		{ "http://u:hunter2@10.1.2.3/", "must not contain a user name "
		    "or password (put secrets in the credentials file)" },
		{ "http:///inv", "'http:///inv' has no host" },
		{ "http://[fe80::zz]/", "'http://[fe80::zz]/': " },
		{ "http://-bad-.example/", "'http://-bad-.example/': host is "
		    "not a valid IP address or host name" },
		{ "http://10.1.2.3/?x=1", "'http://10.1.2.3/?x=1': a query or "
		    "fragment is not allowed" },
		{ "http://10.1.2.3/#top", "'http://10.1.2.3/#top': a query or "
		    "fragment is not allowed" },
		/* The secret hidden whatever the scheme's length. */
		{ "ftp://u:hunter2@h/", "'ftp://***@h/' must start with "
		    "http:// or https://" },
		{ "gopher:u:hunter2@h", "'***' must start with http:// or "
		    "https://" },
		{ "averyveryverylongscheme://u:hunter2@h/", "'***' must start "
		    "with http:// or https://" },
	};
	char err[ERRLEN];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		err[0] = '\0';
		rc = addr_check_url(cases[i].url, err, sizeof(err));
		if (cases[i].says == NULL) {
			if (rc != 0)
				fail_msg("%s: %s", cases[i].url, err);
			continue;
		}
		if (rc != -1 || strstr(err, cases[i].says) == NULL)
			fail_msg("%s: %d '%s', want '%s'", cases[i].url, rc,
			    err, cases[i].says);
		assert_null(strstr(err, "hunter2"));
	}
}

/* str_put() and str_put_uint(): the text and the cut of snprintf(). */
static void
test_str_put(void **state)
{
	static const unsigned long nums[] = { 0, 7, 10, 65535, ULONG_MAX };
	char got[40], want[40];
	size_t len, i, at;

	(void)state;
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		for (len = 0; len <= sizeof(got); len++) {
			memset(got, 'x', sizeof(got));
			memset(want, 'x', sizeof(want));
			at = 0;
			str_put(got, len, &at, "[abc]:", 6);
			str_put_uint(got, len, &at, nums[i]);
			snprintf(want, len, "[abc]:%lu", nums[i]);
			assert_memory_equal(got, want, sizeof(got));
			if (len > 0)
				assert_int_equal(at, strlen(got));
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_read_all),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_cmp_int64),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_utf8),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_str_put),
		cmocka_unit_test(test_file_grows),
		cmocka_unit_test(test_secret_protect),
		cmocka_unit_test(test_check_url),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
