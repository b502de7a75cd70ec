/*
 * test_import_csv: the CSV software export reader on its own (the import
 * command's tests drive it through a database).  A sink may fail at any
 * callback and the parse stops there, saying so with the file and line;
 * malformed rows are refused as NAME:LINE: what is wrong, before any
 * callback; the delimiter is the header's most used of ',', ';' and tab.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import_csv.h"
#include "util.h"

struct seen {
	size_t	 calls;		/* host() and observe() so far */
	size_t	 fail_at;	/* the callback that fails; 0 none */
	size_t	 hosts, obs;
	char	 text[2048];
};

static int
fails(struct seen *s)
{
	s->calls++;
	if (s->fail_at == 0)
		return 0;
	/* Nothing is called after a callback failed. */
	assert_true(s->calls <= s->fail_at);
	return s->calls == s->fail_at;
}

static int
on_host(void *arg, const struct import_csv_host *h)
{
	struct seen *s = arg;
	size_t o = strlen(s->text);

	if (fails(s))
		return -1;
	s->hosts++;
	snprintf(s->text + o, sizeof(s->text) - o, "host %u %s %s %d %s|",
	    h->line, h->h.name != NULL ? h->h.name : "-",
	    h->h.address != NULL ? h->h.address : "-", h->h.criticality,
	    h->mac != NULL ? h->mac : "-");
	return 0;
}

static int
on_obs(void *arg, const struct observation *ob)
{
	struct seen *s = arg;
	size_t o = strlen(s->text);

	if (fails(s))
		return -1;
	s->obs++;
	snprintf(s->text + o, sizeof(s->text) - o, "%s %s %.*s|",
	    obs_kind_name(ob->kind), ob->attr, (int)ob->len,
	    (const char *)ob->value);
	return 0;
}

static int
parse(const char *name, const char *buf, size_t len, struct seen *s,
    struct import_csv_stats *st, char *err)
{
	struct import_csv_sink sink = { s, on_host, on_obs };

	err[0] = '\0';
	return import_csv_parse(name, buf, len, &sink, st, err, ERRLEN);
}

static void
test_sink_fails_anywhere(void **state)
{
	static const char *const files[] = {
		"tests/data/import/generic.csv",
		"tests/data/import/glpi.csv",
		"tests/data/import/intune.csv",
		"tests/data/import/synonyms.csv",
	};
	struct seen *s;
	char err[ERRLEN], *buf;
	size_t i, k, n, len, faults = 0;

	(void)state;
	for (i = 0; i < NELEM(files); i++) {
		if (file_read_all(files[i], 1 << 20, &buf, &len, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
		s = calloc(1, sizeof(*s));
		assert_non_null(s);
		if (parse(files[i], buf, len, s, NULL, err) != 0)
			fail_msg("%s", err);
		n = s->calls;
		assert_true(s->hosts > 0 && s->obs > 0);
		free(s);
		for (k = 1; k <= n; k++) {
			s = calloc(1, sizeof(*s));
			assert_non_null(s);
			s->fail_at = k;
			assert_int_equal(parse(files[i], buf, len, s, NULL,
			    err), -1);
			assert_int_equal(s->calls, k);
			if (strncmp(err, files[i], strlen(files[i])) != 0 ||
			    strstr(err, "sink failed") == NULL)
				fail_msg("%s: callback %zu: '%s'", files[i], k,
				    err);
			free(s);
			faults++;
		}
		free(buf);
	}
	print_message("a sink failing at each of %zu callbacks\n", faults);
}

/* Rows that are not what the header says: refused, naming the line. */
static void
test_bad_rows(void **state)
{
	static const struct {
		const char	*csv;
		const char	*msg;
	} t[] = {
		{ "host,name\nws-1\n", "t.csv:2: 1 fields, but the header "
		    "has 2" },
		{ "host,name\nws-1,kesl,extra\n", "t.csv:2: 3 fields, but the "
		    "header has 2" },
		{ "host,name,jurisdiction\nws-1,kesl,Texas\n", "t.csv:2: "
		    "jurisdiction 'Texas' is not US or US-" },
		{ "host,name,criticality\nws-1,kesl,9\n", "t.csv:2: "
		    "criticality '9' is not a number in 1..5" },
		{ "host,name,mac\nws-1,kesl,00:11:zz:33:44:55\n", "t.csv:2: "
		    "'00:11:zz:33:44:55' is not a MAC address" },
		{ "host,name,mac\nws-1,kesl,00:11:22:33:44\n", "t.csv:2: "
		    "'00:11:22:33:44' is not a MAC address" },
		{ "host,name,sector\nws-1,kesl,power grid\n", "t.csv:2: "
		    "sector 'power grid' is not a sector name" },
		{ "host,name\n,kesl\n", "t.csv:2: no host: the host column is "
		    "empty" },
		{ "colour,size\nred,9\n", "not a software export" },
	};
	struct seen *s;
	char err[ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		s = calloc(1, sizeof(*s));
		assert_non_null(s);
		if (parse("t.csv", t[i].csv, strlen(t[i].csv), s, NULL,
		    err) != -1 || strstr(err, t[i].msg) == NULL)
			fail_msg("csv %zu: '%s', want '%s'", i, err, t[i].msg);
		assert_int_equal(s->calls, 0);
		free(s);
	}
}

/*
 * Semicolons and tabs as delimiters; empty trailing fields; MACs in any
 * of the usual spellings; a criticality; stats optional.
 */
static void
test_delimiters(void **state)
{
	static const char semi[] = "host;name;version;mac;criticality\n"
	    "plc-1;kesl;12.1;00-11-22-33-44-55;5\n"
	    "plc-1;bash;5.2;00-11-22-33-44-55;5;;\n";
	static const char tab[] = "host\tname\tmac\n"
	    "plc-2\tKaspersky Endpoint Security\t0011.2233.4455\n";
	struct import_csv_stats st;
	struct seen *s;
	char err[ERRLEN];

	(void)state;
	s = calloc(1, sizeof(*s));
	assert_non_null(s);
	if (parse("semi.csv", semi, strlen(semi), s, &st, err) != 0)
		fail_msg("%s", err);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.hosts, 1);
	assert_int_equal(st.software, 2);
	assert_non_null(strstr(s->text, "host 2 plc-1 - 5 "));
	assert_non_null(strstr(s->text, "software version 12.1|"));
	free(s);
	s = calloc(1, sizeof(*s));
	assert_non_null(s);
	if (parse("tab.csv", tab, strlen(tab), s, NULL, err) != 0)
		fail_msg("%s", err);
	assert_int_equal(s->hosts, 1);
	assert_non_null(strstr(s->text, "software name Kaspersky Endpoint "
	    "Security|"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sink_fails_anywhere),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_delimiters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
