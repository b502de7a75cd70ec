/* Unit tests for csvout: quoting, neutralising, CRLF, NULLs, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvout.h"
#include "csvparse.h"
#include "util.h"

/* Output captured in memory. */
struct capture {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

static void
cap_open(struct capture *c, struct csvout *o)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
	csvout_init(o, c->fp);
}

static void
cap_close(struct capture *c)
{
	assert_int_equal(fclose(c->fp), 0);
	c->fp = NULL;
}

static void
test_is_formula(void **state)
{
	/*
	 * 2026-12-05 (issue 12): only the first byte was looked at, so a
	 * leading space or line break let a formula through.
	 */
	const char *yes[] = { "=1", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
	    " =HYPERLINK(\"http://evil\",\"x\")", "\n=cmd|' /C calc'!A0",
	    "  @SUM(1+1)*cmd|' /C calc'!A0", "\r\n=1", " \n \t=1", "\f+1",
	    " -1" };
	const char *no[] = { "a", "1", "'=1", "x=1", "\"=1", " a=1", "\n",
	    "   ", "\na\n=1" };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(yes); i++)
		assert_true(csvout_is_formula(yes[i], strlen(yes[i])));
	for (i = 0; i < NELEM(no); i++)
		assert_false(csvout_is_formula(no[i], strlen(no[i])));
	assert_false(csvout_is_formula("", 0));
	assert_false(csvout_is_formula(NULL, 0));
	/* Only the first n bytes count. */
	assert_false(csvout_is_formula("=1", 0));
}

static void
test_exact_bytes(void **state)
{
	struct capture c;
	struct csvout o;
	const char *row[] = { "a", "b,c", NULL, "", "say \"hi\"" };

	(void)state;
	cap_open(&c, &o);
	csvout_row(&o, row, NELEM(row));
	csvout_int(&o, -42);
	csvout_cell(&o, "=1+2");
	csvout_end(&o);
	assert_int_equal(csvout_status(&o), 0);
	cap_close(&c);
	assert_string_equal(c.buf,
	    "a,\"b,c\",,\"\",\"say \"\"hi\"\"\"\r\n"
	    "-42,'=1+2\r\n");
	free(c.buf);
}

/* Each formula trigger, alone and with a tail, is neutralised. */
static void
test_neutralise_each_trigger(void **state)
{
	const char *cells[] = {
		"=", "+", "-", "@", "\t", "\r",
		"=HYPERLINK(\"http://evil.example/\",\"click\")",
		"+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
		"@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
	};
	struct capture c;
	struct csvout o;
	struct csvtab *t;
	size_t i;
	char want[128];

	(void)state;
	cap_open(&c, &o);
	for (i = 0; i < NELEM(cells); i++) {
		csvout_cell(&o, cells[i]);
		csvout_end(&o);
	}
	assert_int_equal(csvout_status(&o), 0);
	cap_close(&c);
	t = csvtab_parse(c.buf, c.len);
	assert_non_null(t);
	assert_int_equal(t->nrows, NELEM(cells));
	for (i = 0; i < NELEM(cells); i++) {
		assert_int_equal(t->nf[i], 1);
		snprintf(want, sizeof(want), "'%s", cells[i]);
		assert_string_equal(t->f[i][0], want);
		assert_int_equal(t->term[i], '\r');
	}
	csvtab_free(t);
	free(c.buf);
}

/* Quotes, commas, line breaks and NULs survive a round trip. */
static void
test_round_trip(void **state)
{
	const char *cells[] = {
		"plain", "a,b", "\"quoted\"", "line1\nline2", "cr\r\nlf",
		"\"", ",", "\n", "trailing space ", " leading",
		"mixed \"q\", comma\nand newline", "caf\xc3\xa9", "'already",
		"a\"\"b",
	};
	const char nul[] = { 'a', '\0', 'b' };
	struct capture c;
	struct csvout o;
	struct csvtab *t;
	size_t i;

	(void)state;
	cap_open(&c, &o);
	for (i = 0; i < NELEM(cells); i++)
		csvout_cell(&o, cells[i]);
	csvout_celln(&o, nul, sizeof(nul));
	csvout_cell(&o, NULL);
	csvout_cell(&o, "");
	csvout_end(&o);
	csvout_cell(&o, "second");
	csvout_end(&o);
	assert_int_equal(csvout_status(&o), 0);
	cap_close(&c);
	t = csvtab_parse(c.buf, c.len);
	assert_non_null(t);
	assert_int_equal(t->nrows, 2);
	assert_int_equal(t->nf[0], NELEM(cells) + 3);
	for (i = 0; i < NELEM(cells); i++)
		assert_string_equal(t->f[0][i], cells[i]);
	assert_int_equal(t->len[0][i], 3);
	assert_memory_equal(t->f[0][i], nul, 3);
	assert_null(t->f[0][i + 1]);		/* NULL: unquoted empty */
	assert_non_null(t->f[0][i + 2]);	/* "": quoted empty */
	assert_string_equal(t->f[0][i + 2], "");
	assert_string_equal(t->f[1][0], "second");
	assert_int_equal(t->term[0], '\r');
	assert_int_equal(t->term[1], '\r');
	assert_true(c.len >= 2 && memcmp(c.buf + c.len - 2, "\r\n", 2) == 0);
	csvtab_free(t);
	free(c.buf);
}

/* A neutralised cell longer than the stack buffer takes the heap path. */
static void
test_long_formula(void **state)
{
	struct capture c;
	struct csvout o;
	struct csvtab *t;
	size_t n = 5000;
	char *big;

	(void)state;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'x', n);
	big[0] = '=';
	big[100] = '"';
	big[200] = ',';
	big[300] = '\n';
	big[n] = '\0';
	cap_open(&c, &o);
	csvout_cell(&o, big);
	csvout_end(&o);
	cap_close(&c);
	t = csvtab_parse(c.buf, c.len);
	assert_non_null(t);
	assert_int_equal(t->len[0][0], n + 1);
	assert_int_equal(t->f[0][0][0], '\'');
	assert_memory_equal(t->f[0][0] + 1, big, n);
	csvtab_free(t);
	free(big);
	free(c.buf);
}

/* Write failures are sticky: nothing more is written, status says so. */
static void
test_sticky_error(void **state)
{
	struct csvout o;
	FILE *fp;

	(void)state;
	fp = fopen("/dev/full", "w");
	if (fp == NULL) {
		print_message("SKIP: no /dev/full: a full disk cannot be "
		    "simulated\n");
		skip();
	}
	setvbuf(fp, NULL, _IONBF, 0);
	csvout_init(&o, fp);
	assert_int_equal(csvout_status(&o), 0);
	csvout_cell(&o, "x");
	assert_int_equal(o.error, 1);
	assert_int_equal(csvout_status(&o), -1);
	csvout_cell(&o, "y");
	csvout_int(&o, 1);
	csvout_end(&o);
	assert_int_equal(csvout_status(&o), -1);
	fclose(fp);

	/* Buffered: the failure shows at the latest through ferror(). */
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	csvout_init(&o, fp);
	csvout_cell(&o, "x");
	csvout_end(&o);
	fflush(fp);
	assert_int_equal(csvout_status(&o), -1);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_formula),
		cmocka_unit_test(test_exact_bytes),
		cmocka_unit_test(test_neutralise_each_trigger),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_long_formula),
		cmocka_unit_test(test_sticky_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
