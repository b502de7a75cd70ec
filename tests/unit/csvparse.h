/*
 * csvparse: test helper that reads CSV output back with libcsv (strict
 * mode), so the CSV tests check what a real RFC 4180 reader sees.  An
 * unquoted empty cell comes back as NULL, a quoted one as "".
 */
#ifndef BANAUDIT_TEST_CSVPARSE_H
#define BANAUDIT_TEST_CSVPARSE_H

#include <stdlib.h>
#include <string.h>

#include <csv.h>

#define CSVTAB_ROWS	128
#define CSVTAB_FIELDS	32

struct csvtab {
	size_t	 nrows;
	size_t	 nf[CSVTAB_ROWS];
	char	*f[CSVTAB_ROWS][CSVTAB_FIELDS];		/* NUL-terminated */
	size_t	 len[CSVTAB_ROWS][CSVTAB_FIELDS];
	int	 term[CSVTAB_ROWS];	/* the record's end character */
	int	 overflow;
};

static inline void
csvtab_field(void *s, size_t len, void *arg)
{
	struct csvtab *t = arg;
	size_t r = t->nrows, i;

	if (r >= CSVTAB_ROWS || t->nf[r] >= CSVTAB_FIELDS) {
		t->overflow = 1;
		return;
	}
	i = t->nf[r]++;
	t->len[r][i] = len;
	if (s == NULL)
		return;
	t->f[r][i] = malloc(len + 1);
	if (t->f[r][i] == NULL) {
		t->overflow = 1;
		return;
	}
	memcpy(t->f[r][i], s, len);
	t->f[r][i][len] = '\0';
}

static inline void
csvtab_record(int c, void *arg)
{
	struct csvtab *t = arg;

	if (t->nrows < CSVTAB_ROWS)
		t->term[t->nrows++] = c;
	else
		t->overflow = 1;
}

static inline void
csvtab_free(struct csvtab *t)
{
	size_t r, i;

	if (t == NULL)
		return;
	for (r = 0; r < CSVTAB_ROWS; r++)
		for (i = 0; i < CSVTAB_FIELDS; i++)
			free(t->f[r][i]);
	free(t);
}

/* Parses buf; NULL on a parse error (the output was not valid CSV). */
static inline struct csvtab *
csvtab_parse(const char *buf, size_t n)
{
	struct csv_parser p;
	struct csvtab *t;

	t = calloc(1, sizeof(*t));
	if (t == NULL || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_EMPTY_IS_NULL) != 0) {
		free(t);
		return NULL;
	}
	if (csv_parse(&p, buf, n, csvtab_field, csvtab_record, t) != n ||
	    csv_fini(&p, csvtab_field, csvtab_record, t) != 0 ||
	    t->overflow) {
		csv_free(&p);
		csvtab_free(t);
		return NULL;
	}
	csv_free(&p);
	return t;
}

#endif
