/* Unit tests for csvin: records, line numbers, bounds, malformed input. */
#include <sys/mman.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "csvin.h"
#include "util.h"

struct seen {
	unsigned	 lines[16];
	size_t		 nf[16];
	char		 first[16][64];
	size_t		 n;
	int		 fail_at;	/* record number to reject, or 0 */
};

static int
collect(void *arg, unsigned line, char **f, size_t n, char *err,
    size_t errlen)
{
	struct seen *s = arg;

	if (s->n < 16) {
		s->lines[s->n] = line;
		s->nf[s->n] = n;
		str_copy(s->first[s->n], n > 0 ? f[0] : "", 64);
	}
	s->n++;
	if (s->fail_at != 0 && (int)s->n == s->fail_at)
		return errf(err, errlen, "bad field 'x'");
	return 0;
}

static void
test_lines_and_quotes(void **state)
{
	const char *in = "a,b\r\n\n\"multi\nline\",2\nlast,\"x,y\"\n";
	struct seen s;
	char err[ERRLEN];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("t.csv", in, strlen(in), collect, &s,
	    err, sizeof(err)), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.lines[0], 1);
	assert_int_equal(s.lines[1], 3);	/* blank line 2 skipped */
	assert_string_equal(s.first[1], "multi\nline");
	assert_int_equal(s.lines[2], 5);
	assert_int_equal(s.nf[2], 2);
}

static void
test_callback_error_has_file_and_line(void **state)
{
	const char *in = "h\nok\nbad\n";
	struct seen s;
	char err[ERRLEN];

	(void)state;
	memset(&s, 0, sizeof(s));
	s.fail_at = 3;
	assert_int_equal(csvin_read_mem("in.csv", in, strlen(in), collect, &s,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "in.csv:3: bad field 'x'");
}

static void
test_malformed_quote(void **state)
{
	const char *in = "a,b\nx,\"unterminated\n";
	const char *in2 = "a,b\nx,y\"z\n";
	struct seen s;
	char err[ERRLEN];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("q.csv", in, strlen(in), collect, &s,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "q.csv:2:"));
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("q.csv", in2, strlen(in2), collect,
	    &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "q.csv:2:"));
}

static void
test_bounds(void **state)
{
	struct seen s;
	char err[ERRLEN], *big;
	size_t i, n = CSVIN_MAX_FIELD + 10;

	(void)state;
	big = malloc(n + 2);
	assert_non_null(big);
	memset(big, 'a', n);
	big[n] = '\n';
	big[n + 1] = '\0';
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("b.csv", big, n + 1, collect, &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "b.csv:1: field 1 is longer"));
	/* Too many fields. */
	for (i = 0; i < n; i++)
		big[i] = (i % 2) ? ',' : 'x';
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("b.csv", big, n + 1, collect, &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "more than"));
	free(big);
	/* NUL bytes are refused. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(csvin_read_mem("n.csv", "a\nb\0c\n", 6, collect, &s,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "n.csv:2: NUL byte in text");
}

static void
test_header(void **state)
{
	static const char *const known[] = { "address", "sector", "site" };
	char *h1[] = { "Sector", " address " };
	char *h2[] = { "address", "colour" };
	char *h3[] = { "address", "ADDRESS" };
	int idx[3];
	char err[ERRLEN];

	(void)state;
	assert_int_equal(csvin_header(h1, 2, known, 3, idx, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], -1);
	assert_int_equal(csvin_header(h2, 2, known, 3, idx, 0, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unknown column 'colour'");
	assert_int_equal(csvin_header(h2, 2, known, 3, idx, 1, err,
	    sizeof(err)), 0);
	assert_int_equal(csvin_header(h3, 2, known, 3, idx, 0, err,
	    sizeof(err)), -1);
}

/*
 * 2026-12-05 (issue 12): a buffer whose last line held only line breaks
 * was read past its end by strspn() (it has no NUL).  The buffer ends at
 * a page that cannot be read: any over-read faults, with or without ASan.
 */
static void
test_no_read_past_buffer(void **state)
{
	static const char *const tails[] = {
		"a,b\n1,2\n\r\n", "\r\n\r\n", "\n", "a,b\r\n1,2\r\n\r",
	};
	struct seen s;
	char err[ERRLEN];
	long pg = sysconf(_SC_PAGESIZE);
	char *map, *buf;
	size_t i, n;

	(void)state;
	map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
	for (i = 0; i < NELEM(tails); i++) {
		n = strlen(tails[i]);
		buf = map + pg - n;
		memcpy(buf, tails[i], n);
		memset(&s, 0, sizeof(s));
		csvin_read_mem("t.csv", buf, n, collect, &s, err,
		    sizeof(err));
	}
	munmap(map, (size_t)pg * 2);
}

static void
test_missing_file(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_int_equal(csvin_read("/nonexistent/x.csv", collect, NULL, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.csv: No such file or "
	    "directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_quotes),
		cmocka_unit_test(test_callback_error_has_file_and_line),
		cmocka_unit_test(test_malformed_quote),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_no_read_past_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
