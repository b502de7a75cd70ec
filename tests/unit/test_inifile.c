/*
 * Unit tests for inifile, the INI reader under cred and sector: callbacks
 * in file order with exact physical line numbers (BOM, CRLF, comments),
 * raw section names, the first error winning over inih's syntax error,
 * the caller's hint in the syntax error, and inih's options restored.
 * The loaders' own tests (test_cred, test_sector) cover the file checks
 * and bounds through their fixtures.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <ini.h>

#include "inifile.h"
#include "util.h"

/* What the callbacks saw, one "S:name@line" or "K:sec/key=value@line". */
struct log {
	char	 text[1024];
	size_t	 len;
	int	 fail_at;	/* a callback at this line fails; 0: none */
	char	*err;
	size_t	 errlen;
};

static void
log_add(struct log *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(l->text) - l->len);
	l->len += (size_t)n;
}

static int
on_section(void *user, const char *name, size_t len, unsigned line)
{
	struct log *l = user;

	log_add(l, "S:%.*s@%u ", (int)len, name, line);
	if (l->fail_at == (int)line)
		return errf(l->err, l->errlen, "F:%u: section refused", line);
	return 0;
}

static int
on_key(void *user, const char *section, const char *name,
    const char *value, unsigned line)
{
	struct log *l = user;

	log_add(l, "K:%s/%s=%s@%u ", section, name, value, line);
	if (l->fail_at == (int)line)
		return errf(l->err, l->errlen, "F:%u: key refused", line);
	return 0;
}

static const struct inifile_spec spec = {
	.max_file = 4096,
	.max_line = 40,
	.expected = "[thing]",
	.section = on_section,
	.key = on_key,
};

static char path[64];

static void
write_tmp(const char *text)
{
	FILE *f;

	str_copy(path, "/tmp/test_inifile.XXXXXX", sizeof(path));
	f = fdopen(mkstemp(path), "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static int
load(struct log *l, const char *text, char *err, size_t errlen)
{
	int rc;

	write_tmp(text);
	l->err = err;
	l->errlen = errlen;
	err[0] = '\0';
	rc = inifile_load(path, &spec, l, err, errlen);
	unlink(path);
	return rc;
}

static void
test_order_and_lines(void **state)
{
	struct log l = { .fail_at = 0 };
	char err[ERRLEN];

	(void)state;
	assert_int_equal(load(&l, "\xef\xbb\xbf; comment\r\n"
	    "[ One ] ; note\r\n"
	    "a = 1\r\n"
	    "\n"
	    "  b=two words ;comment\n"
	    "# comment\n"
	    "[two]\n"
	    "c : 3", err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* inih does not trim a section name either. */
	assert_string_equal(l.text, "S: One @2 K: One /a=1@3 "
	    "K: One /b=two words@5 S:two@7 K:two/c=3@8 ");
}

static void
test_callback_error_wins(void **state)
{
	struct log l = { .fail_at = 3 };
	char err[ERRLEN];

	(void)state;
	assert_int_equal(load(&l, "[s]\nx = 1\ny = 2\nz = 3\n", err,
	    sizeof(err)), -1);
	/* Not overwritten by inih's syntax error; no call after it. */
	assert_string_equal(err, "F:3: key refused");
	assert_string_equal(l.text, "S:s@1 K:s/x=1@2 K:s/y=2@3 ");

	memset(&l, 0, sizeof(l));
	l.fail_at = 2;
	assert_int_equal(load(&l, "a = 1\n[s]\nb = 2\n", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "F:2: section refused");
	assert_string_equal(l.text, "K:/a=1@1 S:s@2 ");
}

static void
test_syntax_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*msg;	/* after "PATH:" */
	} cases[] = {
		{ "[s]\n\njunk\n", "3: syntax error: expected [thing], "
		    "key = value, or a comment" },
		{ "[s]\nk = v\n[t\n", "3: section header without ']'" },
		{ "[s] x\n", "1: text after the section header" },
		{ "[s]\nk = 0123456789012345678901234567890123456789x\n",
		    "2: line longer than 40 characters" },
	};
	struct log l;
	char err[ERRLEN], want[ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(load(&l, cases[i].text, err, sizeof(err)),
		    -1);
		snprintf(want, sizeof(want), "%s:%s", path, cases[i].msg);
		assert_string_equal(err, want);
	}
}

static void
test_options_restored(void **state)
{
	struct log l = { .fail_at = 0 };
	struct inifile_spec big = spec;
	char err[ERRLEN];
	int max_line = ini_max_line;
	bool multiline = ini_allow_multiline;
	char *inline_prefixes = ini_inline_comment_prefixes;

	(void)state;
	assert_int_equal(load(&l, "[s]\nk = v\n", err, sizeof(err)), 0);
	assert_int_equal(ini_max_line, max_line);
	assert_int_equal(ini_allow_multiline, multiline);
	assert_ptr_equal(ini_inline_comment_prefixes, inline_prefixes);

	/* A line bound beyond what the stack scrub covers is refused. */
	big.max_line = INIFILE_MAX_LINE + 1;
	assert_int_equal(inifile_load("/nonexistent", &big, &l, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "internal error"));
}

/*
 * Issue 16: files that are not what they claim.  A file whose size stat
 * gives as 0 but which reads more (/proc) changed while being read; a
 * FIFO is not a regular file (and is not waited on); a secret's symbolic
 * link is refused, not followed; a secret not owned by the user or
 * readable by others is refused with its mode; a file larger than the
 * limit; a section header with text after it; a spec asking for lines
 * longer than inih can hold.  Each names the file.
 */
static void
test_file_checks(void **state)
{
	static const struct inifile_spec secret = {
		.max_file = 4096,
		.max_line = 40,
		.expected = "[thing]",
		.section = on_section,
		.key = on_key,
		.flags = INIFILE_SECRET,
	};
	struct inifile_spec big = spec;
	struct log l;
	char err[ERRLEN], want[ERRLEN], dir[64], p[128], q[128];

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(inifile_load("/proc/self/status", &spec, &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/proc/self/status: changed while being "
	    "read");

	str_copy(dir, "/tmp/test_inifile.XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(inifile_load(p, &spec, &l, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", p);
	assert_string_equal(err, want);
	unlink(p);

	write_tmp("[thing]\nk = v\n");
	snprintf(q, sizeof(q), "%s/link", dir);
	assert_int_equal(symlink(path, q), 0);
	assert_int_equal(inifile_load(q, &secret, &l, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is a symbolic link; refusing to "
	    "follow it", q);
	assert_string_equal(err, want);
	/* Through the link, a file that is not a secret is read. */
	assert_int_equal(inifile_load(q, &spec, &l, err, sizeof(err)), 0);
	unlink(q);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(inifile_load(path, &secret, &l, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s: mode 0644; must be 0600 or 0400",
	    path);
	assert_string_equal(err, want);
	if (geteuid() == 0) {
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(inifile_load(path, &secret, &l, err,
		    sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: owned by uid 65534; must be "
		    "owned by uid 0, who runs banaudit", path);
		assert_string_equal(err, want);
	}
	big.max_file = 4;
	assert_int_equal(inifile_load(path, &big, &l, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: larger than 4 bytes", path);
	assert_string_equal(err, want);
	big = spec;
	big.max_line = INIFILE_MAX_LINE + 1;
	assert_int_equal(inifile_load(path, &big, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "internal error"));
	unlink(path);
	assert_int_equal(rmdir(dir), 0);

	assert_int_equal(load(&l, "[thing] x\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: text after the section header"));
	assert_int_equal(load(&l, "[thing ; no close\n", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, ":1: section header without ']'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_lines),
		cmocka_unit_test(test_callback_error_wins),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_options_restored),
		cmocka_unit_test(test_file_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
