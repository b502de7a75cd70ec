/*
 * csvout: cells go through libcsv's csv_fwrite(), which always quotes and
 * doubles embedded quotes, so commas, quotes and line breaks stay inside
 * their cell.  Formula neutralising follows the OWASP "CSV Injection"
 * guidance: a cell whose first character is = + - @ TAB or CR is prefixed
 * with an apostrophe, so a spreadsheet shows it as text.
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
	if (s == NULL || n == 0)
		return 0;
	switch (s[0]) {
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
		if (csv_fwrite(c->fp, n > 0 ? s : "", n) != 0)
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
	rc = csv_fwrite(c->fp, buf, n + 1);
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
