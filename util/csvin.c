/*
 * csvin: libcsv, fed one physical line at a time so that each record knows
 * the line it started on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csvin.h"
#include "util.h"

struct reader {
	const char	*name;
	csvin_row_fn	 fn;
	void		*arg;
	unsigned	 line;		/* physical line being fed */
	unsigned	 rec_line;	/* line the current record started on */
	unsigned	 start_line;	/* 1st non-blank line since a record */
	int		 in_record;
	char		**fields;
	size_t		 nfields;
	/*
	 * The record's fields, each NUL-terminated, one after another in
	 * one buffer (offsets until the record ends: the buffer may move),
	 * instead of a malloc() each.  Bounded by the two CSVIN_MAX_*.
	 */
	char		*text;
	size_t		 used;
	size_t		 cap;
	size_t		 off[CSVIN_MAX_FIELDS];
	int		 failed;	/* callback or bound error */
	char		*err;
	size_t		 errlen;
};

static void
drop_fields(struct reader *r)
{
	r->nfields = 0;
	r->used = 0;
}

/* Room for n more bytes of the record's text; -1 out of memory. */
static int
text_room(struct reader *r, size_t n)
{
	size_t c = r->cap ? r->cap : 1024;
	char *p;

	if (r->used + n <= r->cap)
		return 0;
	while (c < r->used + n)
		c *= 2;
	p = realloc(r->text, c);
	if (p == NULL)
		return -1;
	r->text = p;
	r->cap = c;
	return 0;
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct reader *r = arg;

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
	if (text_room(r, len + 1) == -1) {
		errf(r->err, r->errlen, "%s: out of memory", r->name);
		r->failed = 1;
		return;
	}
	if (len > 0)
		memcpy(r->text + r->used, s, len);
	r->text[r->used + len] = '\0';
	r->off[r->nfields++] = r->used;
	r->used += len + 1;
}

static void
on_record(int c, void *arg)
{
	struct reader *r = arg;
	char msg[ERRLEN];
	size_t i;

	(void)c;
	if (r->failed) {
		drop_fields(r);
		return;
	}
	if (!r->in_record) {
		/* A blank line: libcsv reports no fields. */
		return;
	}
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->text + r->off[i];
	msg[0] = '\0';
	if (r->fn(r->arg, r->rec_line, r->fields, r->nfields, msg,
	    sizeof(msg)) != 0) {
		errf(r->err, r->errlen, "%s:%u: %s", r->name, r->rec_line,
		    msg[0] ? msg : "rejected");
		r->failed = 1;
	}
	drop_fields(r);
	r->in_record = 0;
	r->start_line = 0;
}

int
csvin_read_mem(const char *name, const char *buf, size_t len, csvin_row_fn fn,
    void *arg, char *err, size_t errlen)
{
	return csvin_read_mem_delim(name, buf, len, ',', fn, arg, err, errlen);
}

int
csvin_read_mem_delim(const char *name, const char *buf, size_t len,
    unsigned char delim, csvin_row_fn fn, void *arg, char *err, size_t errlen)
{
	struct csv_parser p;
	struct reader r;
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
		if (csv_parse(&p, line, n, on_field, on_record, &r) != n) {
			errf(err, errlen, "%s:%u: %s", name, r.in_record ?
			    r.rec_line : r.line, csv_error(&p) == CSV_EPARSE ?
			    "malformed quoting" : csv_strerror(csv_error(&p)));
			goto out;
		}
		line += n;
	}
	if (r.failed)
		goto out;
	if (csv_fini(&p, on_field, on_record, &r) != 0) {
		errf(err, errlen, "%s:%u: unterminated quoted field", name,
		    r.rec_line ? r.rec_line : r.line);
		goto out;
	}
	if (r.failed)
		goto out;
	rc = 0;
out:
	free(r.text);
	free(r.fields);
	csv_free(&p);
	return rc;
}

/* The largest file csvin_read() takes (README: "Input files"). */
#define MAX_FILE	((size_t)256 << 20)

int
csvin_read(const char *path, csvin_row_fn fn, void *arg, char *err,
    size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	rc = file_read_all(path, MAX_FILE, &buf, &len, err, errlen);
	if (rc == FILE_TOO_LARGE)
		return errf(err, errlen, "%s: file larger than 256 MiB", path);
	if (rc != 0)
		return -1;
	rc = csvin_read_mem(path, buf, len, fn, arg, err, errlen);
	free(buf);
	return rc;
}

int
csvin_header(char **fields, size_t nfields, const char *const *known,
    size_t nknown, int *idx, int allow_unknown, char *err, size_t errlen)
{
	size_t i, k;

	for (k = 0; k < nknown; k++)
		idx[k] = -1;
	for (i = 0; i < nfields; i++) {
		char name[128];

		str_copy(name, fields[i], sizeof(name));
		str_trim(name);
		for (k = 0; k < nknown; k++)
			if (strcasecmp(name, known[k]) == 0)
				break;
		if (k == nknown) {
			if (allow_unknown)
				continue;
			if (name[0] == '\0')
				return errf(err, errlen, "column %zu has an "
				    "empty name", i + 1);
			return errf(err, errlen, "unknown column '%s'", name);
		}
		if (idx[k] != -1)
			return errf(err, errlen, "column '%s' appears twice",
			    known[k]);
		idx[k] = (int)i;
	}
	return 0;
}
