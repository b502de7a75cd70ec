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

#include <csv.h>

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

/*
 * The reader as it was before 2026-12-06, over libcsv 3 (CSV_STRICT |
 * CSV_STRICT_FINI): csvin's own parser must read every input exactly as
 * this did -- the same records, fields, lines and errors.
 */
struct ref_reader {
	const char	*name;
	csvin_row_fn	 fn;
	void		*arg;
	unsigned	 line;		/* physical line being fed */
	unsigned	 rec_line;	/* line the current record started on */
	unsigned	 start_line;	/* 1st non-blank line since a record */
	int		 in_record;
	char		**fields;
	size_t		 nfields;
	int		 failed;	/* callback or bound error */
	char		*err;
	size_t		 errlen;
};

static void
ref_drop_fields(struct ref_reader *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	r->nfields = 0;
}

static void
ref_on_field(void *s, size_t len, void *arg)
{
	struct ref_reader *r = arg;
	char *f;

	if (r->failed)
		return;
	if (!r->in_record) {
		r->in_record = 1;
		r->rec_line = r->start_line ? r->start_line : r->line;
	}
	if (len > CSVIN_MAX_FIELD) {
		errf(r->err, r->errlen, "%s:%u: field %zu is longer than %d "
		    "bytes", r->name, r->rec_line, r->nfields + 1,
		    CSVIN_MAX_FIELD);
		r->failed = 1;
		return;
	}
	if (r->nfields >= CSVIN_MAX_FIELDS) {
		errf(r->err, r->errlen, "%s:%u: more than %d fields", r->name,
		    r->rec_line, CSVIN_MAX_FIELDS);
		r->failed = 1;
		return;
	}
	f = malloc(len + 1);
	if (f == NULL) {
		errf(r->err, r->errlen, "%s: out of memory", r->name);
		r->failed = 1;
		return;
	}
	if (len > 0)
		memcpy(f, s, len);
	f[len] = '\0';
	r->fields[r->nfields++] = f;
}

static void
ref_on_record(int c, void *arg)
{
	struct ref_reader *r = arg;
	char msg[ERRLEN];

	(void)c;
	if (r->failed) {
		ref_drop_fields(r);
		return;
	}
	if (!r->in_record) {
		/* A blank line: libcsv reports no fields. */
		return;
	}
	msg[0] = '\0';
	if (r->fn(r->arg, r->rec_line, r->fields, r->nfields, msg,
	    sizeof(msg)) != 0) {
		errf(r->err, r->errlen, "%s:%u: %s", r->name, r->rec_line,
		    msg[0] ? msg : "rejected");
		r->failed = 1;
	}
	ref_drop_fields(r);
	r->in_record = 0;
	r->start_line = 0;
}

static int
ref_read_mem_delim(const char *name, const char *buf, size_t len,
    unsigned char delim, csvin_row_fn fn, void *arg, char *err, size_t errlen)
{
	struct csv_parser p;
	struct ref_reader r;
	const char *line, *end = buf + len;
	size_t k;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.fn = fn;
	r.arg = arg;
	r.err = err;
	r.errlen = errlen;
	r.fields = calloc(CSVIN_MAX_FIELDS, sizeof(char *));
	if (r.fields == NULL)
		return errf(err, errlen, "%s: out of memory", name);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(r.fields);
		return errf(err, errlen, "%s: out of memory", name);
	}
	csv_set_delim(&p, delim);
	/* Skip a UTF-8 byte order mark. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		buf += 3;
	for (line = buf; line < end && !r.failed;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl != NULL ? (size_t)(nl - line) + 1 :
		    (size_t)(end - line);

		r.line++;
		if (memchr(line, '\0', n) != NULL) {
			errf(err, errlen, "%s:%u: NUL byte in text", name,
			    r.line);
			goto out;
		}
		/*
		 * Bounded by n: the buffer need not end in a NUL (issue 12,
		 * 2026-12-05: strspn() read past a last line of line
		 * breaks).
		 */
		for (k = 0; k < n && (line[k] == '\r' || line[k] == '\n'); k++)
			;
		if (r.start_line == 0 && k < n)
			r.start_line = r.line;
		if (csv_parse(&p, line, n, ref_on_field, ref_on_record, &r) != n) {
			errf(err, errlen, "%s:%u: %s", name, r.in_record ?
			    r.rec_line : r.line, csv_error(&p) == CSV_EPARSE ?
			    "malformed quoting" : csv_strerror(csv_error(&p)));
			goto out;
		}
		line += n;
	}
	if (r.failed)
		goto out;
	if (csv_fini(&p, ref_on_field, ref_on_record, &r) != 0) {
		errf(err, errlen, "%s:%u: unterminated quoted field", name,
		    r.rec_line ? r.rec_line : r.line);
		goto out;
	}
	if (r.failed)
		goto out;
	rc = 0;
out:
	ref_drop_fields(&r);
	free(r.fields);
	csv_free(&p);
	return rc;
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

/* Every record as text: its line, then each field's length and bytes. */
struct transcript {
	char		 text[4096];
	size_t		 len;
	int		 fail_at;	/* record number to reject, or 0 */
	int		 n;
};

static int
record(void *arg, unsigned line, char **f, size_t n, char *err,
    size_t errlen)
{
	struct transcript *t = arg;
	size_t i;
	int k;

	k = snprintf(t->text + t->len, sizeof(t->text) - t->len, "%u:%zu",
	    line, n);
	t->len += k > 0 ? (size_t)k : 0;
	for (i = 0; i < n && t->len < sizeof(t->text); i++) {
		k = snprintf(t->text + t->len, sizeof(t->text) - t->len,
		    " %zu[%s]", strlen(f[i]), f[i]);
		t->len += k > 0 ? (size_t)k : 0;
	}
	if (t->len < sizeof(t->text) - 1)
		t->text[t->len++] = '\n';
	assert_true(t->len < sizeof(t->text));
	t->n++;
	if (t->fail_at != 0 && t->n == t->fail_at)
		return errf(err, errlen, "record %d refused", t->n);
	return 0;
}

/*
 * 2026-12-06: csvin parses by itself instead of through libcsv.  On random
 * text of the bytes that matter (quotes, delimiters, spaces, tabs, CR, LF)
 * it must give what the libcsv reader gave: records, fields, lines, the
 * error and its line.
 */
static void
test_same_as_libcsv(void **state)
{
	static const char alphabet[] = "ab \t,;\"\"\r\n\n";
	static const unsigned char delims[] = { ',', ';', '\t' };
	struct transcript a, b;
	char in[64], ea[ERRLEN], eb[ERRLEN];
	uint32_t x = 2463534242u;
	int i, ra, rb, errors = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		size_t n, k, at = 0;
		unsigned char delim;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		n = x % 40;
		delim = delims[(x >> 8) % 3];
		if ((x >> 12) % 50 == 0) {
			memcpy(in, "\xef\xbb\xbf", 3);
			at = 3;
		}
		for (k = at; k < n; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			in[k] = alphabet[x % (sizeof(alphabet) - 1)];
		}
		n = n > at ? n : at;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.fail_at = b.fail_at = (int)((x >> 20) % 4);
		ea[0] = eb[0] = '\0';
		ra = csvin_read_mem_delim("r.csv", in, n, delim, record, &a,
		    ea, sizeof(ea));
		rb = ref_read_mem_delim("r.csv", in, n, delim, record, &b,
		    eb, sizeof(eb));
		if (ra != rb || strcmp(ea, eb) != 0 || a.len != b.len ||
		    memcmp(a.text, b.text, a.len) != 0) {
			print_error("input %d (delim %d): %.*s\n", i, delim,
			    (int)n, in);
			print_error("csvin  %d %s\n%.*s", ra, ea, (int)a.len,
			    a.text);
			print_error("libcsv %d %s\n%.*s", rb, eb, (int)b.len,
			    b.text);
			fail();
		}
		errors += ra != 0;
	}
	/* Both outcomes were drawn often. */
	assert_true(errors > 20000 && errors < 180000);
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
		cmocka_unit_test(test_same_as_libcsv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
