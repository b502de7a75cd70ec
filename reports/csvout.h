/*
 * csvout: writes RFC 4180 CSV through libcsv's writer, with cells that a
 * spreadsheet would run as a formula neutralised (a leading = + - @, tab or
 * CR, also after leading spaces and line breaks, gets a leading
 * apostrophe, per the OWASP CSV injection guidance), and
 * CRLF line ends.  Every text cell is quoted (embedded quotes doubled,
 * commas and line breaks kept inside the quotes); integers are not.
 * Errors are sticky: after a failed write nothing more is written and
 * csvout_status() reports it.
 */
#ifndef BANAUDIT_CSVOUT_H
#define BANAUDIT_CSVOUT_H

#include <stddef.h>
#include <stdio.h>

struct csvout {
	FILE	*fp;
	int	 first;		/* no cell written yet on this line */
	int	 error;		/* sticky: a write failed */
};

/* fp is borrowed; the caller flushes and closes it. */
void	 csvout_init(struct csvout *, FILE *);
/*
 * One cell.  NULL is written as an empty, unquoted cell and "" as "" (a
 * reader with libcsv's CSV_EMPTY_IS_NULL can tell them apart).
 */
void	 csvout_cell(struct csvout *, const char *);
/* n bytes of s (may contain anything, NUL included). */
void	 csvout_celln(struct csvout *, const char *, size_t);
void	 csvout_int(struct csvout *, long long);
void	 csvout_end(struct csvout *);		/* ends the line: CRLF */
void	 csvout_row(struct csvout *, const char *const *cells, size_t n);
/* 0, or -1 when any write failed (the flag or ferror() of the stream). */
int	 csvout_status(const struct csvout *);

/* Exposed for tests: does this cell need neutralising? */
int	 csvout_is_formula(const char *s, size_t n);

#endif
