/*
 * csvin: an RFC 4180 reader fed one physical line at a time, so that each
 * record knows the line it started on.  It reads exactly what libcsv 3 reads
 * with CSV_STRICT | CSV_STRICT_FINI (which it replaced; test_csvin compares
 * the two on random input): spaces and tabs around an unquoted field and
 * between a closing quote and the next delimiter are dropped, CR or LF ends
 * a record, blank lines are skipped, a quote inside an unquoted field or
 * after a closing quote is an error.  A record's fields are kept in one
 * buffer, not one allocation each.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "util.h"

/* Where the parser is, between two bytes (libcsv's four states). */
enum state {
	ROW_NOT_BEGUN,		/* no field of this record yet */
	FIELD_NOT_BEGUN,	/* after a delimiter */
	FIELD_BEGUN,		/* in a field */
	FIELD_MAY_HAVE_ENDED	/* a quote in a quoted field: "" or the end */
};

struct reader {
	const char	*name;
	csvin_row_fn	 fn;
	void		*arg;
	unsigned	 line;		/* physical line being fed */
	unsigned	 rec_line;	/* line the current record started on */
	unsigned	 start_line;	/* 1st non-blank line since a record */
	int		 in_record;
	int		 failed;	/* callback or bound error */
	char		*err;
	size_t		 errlen;
	/* The parser. */
	unsigned char	 delim;
	enum state	 state;
	int		 quoted;	/* the field began with a quote */
	size_t		 spaces;	/* spaces and tabs ending the field */
	unsigned char	 special[256];	/* the bytes the states tell apart */
	/* The record's fields so far, each NUL-terminated, in buf. */
	char		*buf;
	size_t		 used;
	size_t		 cap;
	size_t		 fstart;	/* the field being read starts here */
	size_t		 off[CSVIN_MAX_FIELDS];
	char		*fields[CSVIN_MAX_FIELDS];
	size_t		 nfields;
};

/* Room for n more bytes and a NUL; -1 on ENOMEM. */
static int
reserve(struct reader *r, size_t n)
{
	size_t ncap;
	char *nb;

	if (r->cap - r->used > n)
		return 0;
	ncap = r->cap ? r->cap : 4096;
	while (ncap - r->used <= n) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	nb = realloc(r->buf, ncap);
	if (nb == NULL)
		return -1;
	r->buf = nb;
	r->cap = ncap;
	return 0;
}

/* The field ends: trims it, checks the bounds and keeps it. */
static void
end_field(struct reader *r)
{
	size_t len;

	if (!r->quoted)
		r->used -= r->spaces;
	len = r->used - r->fstart;
	r->state = FIELD_NOT_BEGUN;
	r->quoted = 0;
	r->spaces = 0;
	if (r->failed)
		goto drop;
	if (!r->in_record) {
		r->in_record = 1;
		r->rec_line = r->start_line ? r->start_line : r->line;
	}
	if (len > CSVIN_MAX_FIELD) {
		errf(r->err, r->errlen, "%s:%u: field %zu is longer than %d "
		    "bytes", r->name, r->rec_line, r->nfields + 1,
		    CSVIN_MAX_FIELD);
		r->failed = 1;
		goto drop;
	}
	if (r->nfields >= CSVIN_MAX_FIELDS) {
		errf(r->err, r->errlen, "%s:%u: more than %d fields", r->name,
		    r->rec_line, CSVIN_MAX_FIELDS);
		r->failed = 1;
		goto drop;
	}
	r->buf[r->used++] = '\0';
	r->off[r->nfields++] = r->fstart;
	r->fstart = r->used;
	return;
drop:
	r->used = r->fstart;
}

static void
drop_fields(struct reader *r)
{
	r->nfields = 0;
	r->used = 0;
	r->fstart = 0;
}

/* The record ends: hands its fields to the callback. */
static void
end_record(struct reader *r)
{
	char msg[ERRLEN];
	size_t i;

	r->state = ROW_NOT_BEGUN;
	r->quoted = 0;
	r->spaces = 0;
	if (r->failed) {
		drop_fields(r);
		return;
	}
	if (!r->in_record)
		return;
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->buf + r->off[i];
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

/*
 * Parses n bytes of one physical line; the state carries over to the next
 * (a quoted field may hold line breaks).  Returns 0, or -1 at a quote where
 * none may be.  The caller reserved n bytes in buf: each byte adds at most
 * one (a character, or the NUL of the field it ends).
 */
static int
parse(struct reader *r, const unsigned char *s, size_t n)
{
	const unsigned char delim = r->delim;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		switch (r->state) {
		case ROW_NOT_BEGUN:
		case FIELD_NOT_BEGUN:
			if ((c == ' ' || c == '\t') && c != delim)
				continue;
			if (c == '\r' || c == '\n') {
				/* A blank line is no record. */
				if (r->state == FIELD_NOT_BEGUN) {
					end_field(r);
					end_record(r);
				}
			} else if (c == delim)
				end_field(r);
			else {
				r->state = FIELD_BEGUN;
				r->quoted = c == '"';
				if (!r->quoted)
					r->buf[r->used++] = (char)c;
			}
			break;
		case FIELD_BEGUN:
			if (r->quoted) {
				/* Everything up to the next quote is data. */
				const unsigned char *q = memchr(s + i, '"',
				    n - i);
				size_t k = q != NULL ? (size_t)(q - s) : n;

				memcpy(r->buf + r->used, s + i, k - i);
				r->used += k - i;
				if (k - i > 0)
					r->spaces = 0;
				i = k;
				if (q == NULL)
					break;
				r->buf[r->used++] = '"';
				r->state = FIELD_MAY_HAVE_ENDED;
			} else if (!r->special[c]) {
				/* A run of bytes that are only data. */
				size_t k = i + 1;

				while (k < n && !r->special[s[k]])
					k++;
				memcpy(r->buf + r->used, s + i, k - i);
				r->used += k - i;
				r->spaces = 0;
				i = k - 1;
			} else if (c == '"')
				return -1;
			else if (c == delim)
				end_field(r);
			else if (c == '\r' || c == '\n') {
				end_field(r);
				end_record(r);
			} else if (c == ' ' || c == '\t') {
				r->buf[r->used++] = (char)c;
				r->spaces++;
			} else {
				r->buf[r->used++] = (char)c;
				r->spaces = 0;
			}
			break;
		case FIELD_MAY_HAVE_ENDED:
			if (c == delim || c == '\r' || c == '\n') {
				/* The closing quote and the spaces after it. */
				r->used -= r->spaces + 1;
				end_field(r);
				if (c != delim)
					end_record(r);
			} else if (c == ' ' || c == '\t') {
				r->buf[r->used++] = (char)c;
				r->spaces++;
			} else if (c == '"' && r->spaces == 0)
				r->state = FIELD_BEGUN;	/* "" is one quote */
			else
				return -1;
			break;
		}
	}
	return 0;
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
	struct reader *r;
	const char *line, *end = buf + len;
	size_t k;
	int rc = -1;

	/* About 4 KB of offsets and pointers: not on the stack. */
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return errf(err, errlen, "%s: out of memory", name);
	r->name = name;
	r->fn = fn;
	r->arg = arg;
	r->err = err;
	r->errlen = errlen;
	r->delim = delim;
	r->state = ROW_NOT_BEGUN;
	r->special[delim] = r->special['"'] = r->special['\r'] = 1;
	r->special['\n'] = r->special[' '] = r->special['\t'] = 1;
	/* Skip a UTF-8 byte order mark. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		buf += 3;
	for (line = buf; line < end && !r->failed;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl != NULL ? (size_t)(nl - line) + 1 :
		    (size_t)(end - line);

		r->line++;
		if (memchr(line, '\0', n) != NULL) {
			errf(err, errlen, "%s:%u: NUL byte in text", name,
			    r->line);
			goto out;
		}
		/*
		 * Bounded by n: the buffer need not end in a NUL (issue 12,
		 * 2026-12-05: strspn() read past a last line of line
		 * breaks).
		 */
		for (k = 0; k < n && (line[k] == '\r' || line[k] == '\n'); k++)
			;
		if (r->start_line == 0 && k < n)
			r->start_line = r->line;
		if (reserve(r, n) != 0) {
			errf(err, errlen, "%s:%u: out of memory", name,
			    r->line);
			goto out;
		}
		if (parse(r, (const unsigned char *)line, n) != 0) {
			errf(err, errlen, "%s:%u: malformed quoting", name,
			    r->in_record ? r->rec_line : r->line);
			goto out;
		}
		line += n;
	}
	if (r->failed)
		goto out;
	/* The end of the text ends the last record. */
	if (r->state == FIELD_BEGUN && r->quoted) {
		errf(err, errlen, "%s:%u: unterminated quoted field", name,
		    r->rec_line ? r->rec_line : r->line);
		goto out;
	}
	if (r->state != ROW_NOT_BEGUN) {
		if (reserve(r, 0) != 0) {
			errf(err, errlen, "%s: out of memory", name);
			goto out;
		}
		if (r->state == FIELD_MAY_HAVE_ENDED)
			r->used -= r->spaces + 1;
		end_field(r);
		end_record(r);
	}
	if (r->failed)
		goto out;
	rc = 0;
out:
	free(r->buf);
	free(r);
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
