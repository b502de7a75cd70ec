/*
 * inifile: one INI file through libinih.  Our reader hands inih exactly
 * one physical line per call, so that inih's line count and ours agree,
 * refuses long lines instead of letting inih split them, and sees section
 * headers before inih does.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "inifile.h"
#include "util.h"

struct parse {
	const char			*path;
	const struct inifile_spec	*spec;
	void				*user;
	const char			*buf;
	size_t				 len;
	size_t				 pos;
	unsigned			 line;	/* last line handed to inih */
	int				 failed;
	char				*err;
	size_t				 errlen;
};

/* inih's process-wide options, saved around a parse. */
struct ini_opts {
	int	 max_line;
	bool	 multiline;
	bool	 bom;
	bool	 inline_comments;
	bool	 use_stack;
	bool	 stop_on_first_error;
	bool	 no_value;
	char	*inline_prefixes;
	char	*start_prefixes;
};

static char inline_prefixes[] = ";";
static char start_prefixes[] = ";#";

int
inifile_verror(const char *path, unsigned line, int *failed, char *err,
    size_t errlen, const char *fmt, va_list ap)
{
	char msg[ERRLEN];

	if (*failed)
		return -1;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		errf(err, errlen, "%s:%u: %s", path, line, msg);
	else
		errf(err, errlen, "%s: %s", path, msg);
	*failed = 1;
	return -1;
}

static int fail(struct parse *, unsigned, const char *, ...)
    PRINTF_LIKE(3, 4);

static int
fail(struct parse *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inifile_verror(ps->path, line, &ps->failed, ps->err, ps->errlen, fmt,
	    ap);
	va_end(ap);
	return -1;
}

/*
 * Called by the reader for each physical line before inih sees it: a line
 * whose first non-blank character is '[' is a section header for inih
 * too.
 */
static int
section_line(struct parse *ps, const char *line)
{
	const char *p = line, *close, *rest;

	if (ps->line == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '[')
		return 0;
	close = strchr(p, ']');
	if (close == NULL)
		return fail(ps, ps->line, "section header without ']'");
	for (rest = close + 1; isspace((unsigned char)*rest); rest++)
		continue;
	if (*rest != '\0' && *rest != ';' && *rest != '#')
		return fail(ps, ps->line, "text after the section header");
	if (ps->spec->section(ps->user, p + 1, (size_t)(close - p - 1),
	    ps->line) != 0) {
		ps->failed = 1;
		return -1;
	}
	return 0;
}

/* inih's fgets-like reader: exactly one physical line per call. */
static char *
reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *start, *nl;
	size_t n, content;

	if (ps->failed || ps->pos >= ps->len)
		return NULL;
	start = ps->buf + ps->pos;
	nl = memchr(start, '\n', ps->len - ps->pos);
	n = nl != NULL ? (size_t)(nl - start) + 1 : ps->len - ps->pos;
	ps->line++;
	content = n;
	if (content > 0 && start[content - 1] == '\n')
		content--;
	if (content > 0 && start[content - 1] == '\r')
		content--;
	if (content > ps->spec->max_line || num < 1 || n > (size_t)num - 1) {
		fail(ps, ps->line, "line longer than %zu characters",
		    ps->spec->max_line);
		return NULL;
	}
	if (memchr(start, '\0', n) != NULL) {
		fail(ps, ps->line, "NUL byte in text");
		return NULL;
	}
	memcpy(str, start, n);
	str[n] = '\0';
	ps->pos += n;
	if (section_line(ps, str) != 0)
		return NULL;
	return str;
}

static int
on_key(void *user, const char *section, const char *name,
    const char *value)
{
	struct parse *ps = user;

	if (ps->spec->key(ps->user, section, name, value, ps->line) != 0) {
		ps->failed = 1;
		return 0;
	}
	return 1;
}

static void
ini_opts_set(struct ini_opts *saved, size_t max_line)
{
	saved->max_line = ini_max_line;
	saved->multiline = ini_allow_multiline;
	saved->bom = ini_allow_bom;
	saved->inline_comments = ini_allow_inline_comments;
	saved->use_stack = ini_use_stack;
	saved->stop_on_first_error = ini_stop_on_first_error;
	saved->no_value = ini_allow_no_value;
	saved->inline_prefixes = ini_inline_comment_prefixes;
	saved->start_prefixes = ini_start_comment_prefixes;

	/* Room for max_line characters, "\r\n" and the NUL. */
	ini_max_line = (int)max_line + 3;
	/* An indented line is a key of its own, not a continuation. */
	ini_allow_multiline = false;
	ini_allow_bom = true;
	ini_allow_inline_comments = true;
	/* The line buffer is a VLA of ini_max_line bytes on inih's stack. */
	ini_use_stack = true;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ini_inline_comment_prefixes = inline_prefixes;
	ini_start_comment_prefixes = start_prefixes;
}

static void
ini_opts_restore(const struct ini_opts *saved)
{
	ini_max_line = saved->max_line;
	ini_allow_multiline = saved->multiline;
	ini_allow_bom = saved->bom;
	ini_allow_inline_comments = saved->inline_comments;
	ini_use_stack = saved->use_stack;
	ini_stop_on_first_error = saved->stop_on_first_error;
	ini_allow_no_value = saved->no_value;
	ini_inline_comment_prefixes = saved->inline_prefixes;
	ini_start_comment_prefixes = saved->start_prefixes;
}

/*
 * inih's line buffer lived on the stack below our frame and still holds
 * the last lines read, secrets included.  Overwrite that region.  Best
 * effort: it covers the buffer as long as inih's frame is smaller than
 * this one.
 */
static void __attribute__((noinline))
scrub_stack(void)
{
	char pad[INIFILE_MAX_LINE + 8192];

	explicit_bzero(pad, sizeof(pad));
	__asm__ __volatile__("" : : "r"(pad) : "memory");
}

/* Opens, checks and reads path; *bufp is wiped and freed by the caller. */
static int
read_file(const char *path, const struct inifile_spec *spec, char **bufp,
    size_t *lenp, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd, flags, rc = -1;

	*bufp = NULL;
	*lenp = 0;
	flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	if (spec->flags & INIFILE_SECRET)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd == -1) {
		int e = errno;

		if (e == ELOOP && (spec->flags & INIFILE_SECRET) &&
		    lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return errf(err, errlen, "%s: is a symbolic link; "
			    "refusing to follow it", path);
		return errf(err, errlen, "%s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) != 0) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		errf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((spec->flags & INIFILE_SECRET) && st.st_uid != geteuid()) {
		errf(err, errlen, "%s: owned by uid %lu; must be owned by uid "
		    "%lu, who runs banaudit", path, (unsigned long)st.st_uid,
		    (unsigned long)geteuid());
		goto out;
	}
	if ((spec->flags & INIFILE_SECRET) &&
	    (st.st_mode & 07777) != 0600 && (st.st_mode & 07777) != 0400) {
		errf(err, errlen, "%s: mode %04o; must be 0600 or 0400", path,
		    (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if ((uintmax_t)st.st_size > spec->max_file) {
		errf(err, errlen, "%s: larger than %zu bytes", path,
		    spec->max_file);
		goto out;
	}
	/* One byte more than stat said, to notice a file that grew. */
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		errf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (len < cap) {
		ssize_t r = read(fd, buf + len, cap - len);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			errf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len == cap) {
		errf(err, errlen, "%s: changed while being read", path);
		goto out;
	}
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rc = 0;
out:
	if (buf != NULL) {
		explicit_bzero(buf, len);
		free(buf);
	}
	close(fd);
	return rc;
}

int
inifile_load(const char *path, const struct inifile_spec *spec, void *user,
    char *err, size_t errlen)
{
	struct parse ps;
	struct ini_opts saved;
	char *buf = NULL;
	size_t len = 0;
	int irc;

	if (spec->max_line > INIFILE_MAX_LINE)
		return errf(err, errlen, "%s: internal error: lines of %zu "
		    "characters", path, spec->max_line);
	if (read_file(path, spec, &buf, &len, err, errlen) != 0)
		return -1;
	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.spec = spec;
	ps.user = user;
	ps.buf = buf;
	ps.len = len;
	ps.err = err;
	ps.errlen = errlen;

	ini_opts_set(&saved, spec->max_line);
	irc = ini_parse_stream(reader, &ps, on_key, &ps);
	ini_opts_restore(&saved);
	scrub_stack();

	/*
	 * inih stops at the first error; our reader hands it one physical
	 * line per call, so the line is the last one read.
	 */
	if (irc > 0)
		fail(&ps, ps.line, "syntax error: expected %s, key = value, "
		    "or a comment", spec->expected);
	else if (irc < 0)
		fail(&ps, 0, "out of memory");
	explicit_bzero(buf, len);
	free(buf);
	return ps.failed ? -1 : 0;
}
