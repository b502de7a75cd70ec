/*
 * csvout: a cell that needs quoting (a comma, quote, CR or LF, white space
 * at either end, or an empty string) goes through libcsv's csv_fwrite(),
 * which quotes it and doubles embedded quotes, so commas, quotes and line
 * breaks stay inside their cell; any other cell is written as it is, so the
 * common case reads like a hand-written CSV.  Formula neutralising follows
 * the OWASP "CSV Injection" guidance: a cell whose first character is
 * = + - @ TAB or CR, also after leading spaces and line breaks, is
 * prefixed with an apostrophe, so a spreadsheet shows it as text.
 */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csvout.h"

/* Neutralised cells up to this size are built on the stack. */
#define CSVOUT_SMALL	512

void
csvout_init(struct csvout *c, FILE *fp)
{
	c->fp = fp;
	c->first = 1;
	c->error = 0;
}

int
csvout_is_formula(const char *s, size_t n)
{
	size_t i = 0;

	if (s == NULL || n == 0)
		return 0;
	if (s[0] == '\t' || s[0] == '\r')
		return 1;
	/*
	 * Spreadsheets skip leading blanks and line breaks before they look
	 * for a formula (issue 12, 2026-12-05: " =HYPERLINK(...)" and
	 * "\n=cmd|..." went out unchanged).
	 */
	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\v' ||
	    s[i] == '\f'))
		i++;
	if (i == n)
		return 0;
	switch (s[i]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return 1;
	default:
		return 0;
	}
}

/* Does this cell need quotes to survive a round trip? */
static int
needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n' || s[i] == '\0')
			return 1;
	return 0;
}

/* Writes one cell's bytes, quoted when needed. */
static int
put_cell(FILE *fp, const char *s, size_t n)
{
	if (needs_quotes(s, n))
		return csv_fwrite(fp, n > 0 ? s : "", n);
	return fwrite(s, 1, n, fp) == n ? 0 : -1;
}

/* Writes the separator before a cell; 0 or -1. */
static int
separate(struct csvout *c)
{
	if (c->error)
		return -1;
	if (!c->first && putc(',', c->fp) == EOF) {
		c->error = 1;
		return -1;
	}
	c->first = 0;
	return 0;
}

void
csvout_celln(struct csvout *c, const char *s, size_t n)
{
	char small[CSVOUT_SMALL], *buf = small;
	int rc;

	if (separate(c) == -1 || s == NULL)
		return;
	if (!csvout_is_formula(s, n)) {
		if (put_cell(c->fp, s, n) != 0)
			c->error = 1;
		return;
	}
	if (n + 1 > sizeof(small)) {
		buf = malloc(n + 1);
		if (buf == NULL) {
			c->error = 1;
			return;
		}
	}
	buf[0] = '\'';
	memcpy(buf + 1, s, n);
	rc = put_cell(c->fp, buf, n + 1);
	if (buf != small)
		free(buf);
	if (rc != 0)
		c->error = 1;
}

void
csvout_cell(struct csvout *c, const char *s)
{
	csvout_celln(c, s, s != NULL ? strlen(s) : 0);
}

void
csvout_int(struct csvout *c, long long v)
{
	if (separate(c) == -1)
		return;
	if (fprintf(c->fp, "%lld", v) < 0)
		c->error = 1;
}

void
csvout_end(struct csvout *c)
{
	if (!c->error && fputs("\r\n", c->fp) == EOF)
		c->error = 1;
	c->first = 1;
}

void
csvout_row(struct csvout *c, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csvout_cell(c, cells[i]);
	csvout_end(c);
}

int
csvout_status(const struct csvout *c)
{
	if (c->error || (c->fp != NULL && ferror(c->fp)))
		return -1;
	return 0;
}
