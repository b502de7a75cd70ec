/*
 * inifile: reads one INI file through libinih the way every INI input of
 * banaudit is read (the credentials, cred.c; the sector profiles,
 * sectors/sector.c).  The file is checked to be a regular file of at most
 * max_file bytes (without blocking on a FIFO), read into memory and fed to
 * inih one physical line at a time, so that line numbers are exact:
 * Debian's inih has neither line numbers in its handler nor a new-section
 * callback.  The module owns the syntax; the caller's
 * callbacks own the meaning (which sections and keys exist, their values).
 *
 * Syntax: "[name]" section headers, "key = value" lines; a line starting
 * with ';' or '#', or " ;" anywhere, starts a comment; a UTF-8 byte order
 * mark and CRLF line ends are accepted.  A line holds at most max_line
 * characters; an indented line is a key of its own, never a continuation;
 * a line that is none of these (a key without '=' or ':') is a syntax
 * error, and so are a NUL byte, a header without ']' and text after a
 * header.
 *
 * Errors read "FILE:LINE: message" ("FILE: message" where no line
 * applies), into the caller's buffer; the first error wins and ends the
 * parse.  A callback that fails writes its own message into that same
 * buffer and returns -1.
 *
 * The module's copy of the file is wiped before it is freed, and so is the
 * stack below inifile_load() where inih kept its line buffer (best
 * effort): a file may hold secrets.  inifile_load() sets inih's
 * process-wide options for the duration of the parse and restores them
 * after: it is not thread-safe.
 *
 * (Not "ini.h": that is libinih's header, which -Isrc would hide.)
 */
#ifndef BANAUDIT_INIFILE_H
#define BANAUDIT_INIFILE_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

#define INIFILE_MAX_LINE	4096	/* the largest max_line supported */

/*
 * The file holds secrets: a symbolic link is refused, and the file must be
 * owned by the effective user and of mode 0600 or 0400.
 */
#define INIFILE_SECRET		0x1

struct inifile_spec {
	size_t		 max_file;	/* bytes; a larger file is an error */
	size_t		 max_line;	/* characters, without the newline */
	unsigned	 flags;		/* INIFILE_SECRET */
	/* What a line may start, in the syntax error: "[profile]". */
	const char	*expected;

	/*
	 * A section header at line: name (borrowed, not NUL-terminated) is
	 * the len bytes between '[' and ']', untrimmed.  Called before any
	 * key of the section.  Returns 0, or -1 to stop (message written).
	 */
	int		(*section)(void *user, const char *name, size_t len,
			    unsigned line);
	/*
	 * A key at line: section is inih's name of the section ("" before
	 * the first), name and value trimmed; all borrowed for the call.
	 * Returns 0, or -1 to stop (message written).
	 */
	int		(*key)(void *user, const char *section,
			    const char *name, const char *value,
			    unsigned line);
};

/*
 * Reads path with spec, calling spec's callbacks with user for every
 * section header and key in file order.  Returns 0 when the whole file
 * was read and every callback returned 0; -1 otherwise, with the message
 * in err.
 */
int	inifile_load(const char *path, const struct inifile_spec *spec,
	    void *user, char *err, size_t errlen);

/*
 * The one error format of INI-style inputs, for inifile and its callers'
 * own checks: "PATH:LINE: message", or "PATH: message" when line is 0,
 * into err.  The first error wins: nothing is written once *failed is set,
 * and *failed is set.  Always returns -1.
 */
int	inifile_verror(const char *path, unsigned line, int *failed, char *err,
	    size_t errlen, const char *fmt, va_list ap) PRINTF_LIKE(6, 0);

#endif /* BANAUDIT_INIFILE_H */
