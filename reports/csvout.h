/*
 * csvout: writes RFC 4180 CSV through libcsv's writer, with cells that a
 * spreadsheet would run as a formula neutralised (a leading = + - @, tab or
 * CR gets a leading apostrophe), and CRLF line ends.
 */
#ifndef BANAUDIT_CSVOUT_H
#define BANAUDIT_CSVOUT_H

#include <stddef.h>
#include <stdio.h>

struct csvout {
	FILE	*fp;
	int	 first;		/* no cell written yet on this line */
	int	 error;		/* sticky: an fwrite failed */
};

void	 csvout_init(struct csvout *, FILE *);
/* One cell; NULL is written as an empty cell. */
void	 csvout_cell(struct csvout *, const char *);
void	 csvout_celln(struct csvout *, const char *, size_t);
void	 csvout_int(struct csvout *, long long);
void	 csvout_end(struct csvout *);		/* ends the line */
void	 csvout_row(struct csvout *, const char *const *cells, size_t n);
/* 0, or -1 when any write failed. */
int	 csvout_status(const struct csvout *);

/* Exposed for tests: does this cell need neutralising? */
int	 csvout_is_formula(const char *s, size_t n);

#endif
