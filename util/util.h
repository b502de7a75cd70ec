/*
 * util: small helpers every module uses -- error messages into caller
 * buffers, bounded strings, checked number parsing, whole-file reads,
 * secrets that are wiped when freed, and time stamps.  Nothing here
 * allocates behind the caller's back except where a comment says who
 * frees.
 */
#ifndef BANAUDIT_UTIL_H
#define BANAUDIT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define BANAUDIT_VERSION "0.1.0"

#define ERRLEN 512	/* Size of the error buffers passed around. */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/*
 * Writes a formatted message into err (if err is not NULL) and returns -1,
 * so that callers can write "return errf(err, errlen, ...);".
 */
int	 errf(char *err, size_t errlen, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Bounded copy; always NUL-terminates; returns strlen(src). */
size_t	 str_copy(char *dst, const char *src, size_t dstlen);
/*
 * Text built piece by piece into buf (len bytes), its length in *at: each
 * call appends what room is left for before a NUL, which it writes -- the
 * text and the cut snprintf() would give -- without stdio.
 */
void	 str_put(char *buf, size_t len, size_t *at, const char *s, size_t n);
void	 str_put_uint(char *buf, size_t len, size_t *at, unsigned long v);

/* Duplicates at most max bytes of s; caller frees.  NULL on ENOMEM. */
char	*str_ndup(const char *s, size_t max);

/* strdup() that accepts NULL (returns NULL). */
char	*str_dup(const char *s);

/* Case-insensitive ASCII equality; NULL equals only NULL. */
int	 str_ieq(const char *a, const char *b);
/*
 * a and b the same string, compared in place: for the short names a row
 * carries (an attribute), checked once a row, where calling strcmp()
 * costs more than comparing.
 */
static inline int
str_same(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (*a == '\0')
			return 1;
	return 0;
}

/* The index of s in v[0..n), case-insensitively; -1 if absent. */
int	 str_list_find(const char *const *v, size_t n, const char *s);
/* v[0..n) as "a, b, c" into buf, cut to fit. */
void	 str_list_join(const char *const *v, size_t n, char *buf, size_t len);

/* Removes leading and trailing ASCII white space in place; returns s. */
char	*str_trim(char *s);

/*
 * Copies s into buf for an error message: at most STR_QUOTE_MAX characters
 * (then "..."), control characters shown as '?'.  Returns buf.  A buffer
 * of STR_QUOTE_MAX + 8 bytes holds any quote.
 */
#define STR_QUOTE_MAX	80
const char *str_quote(const char *s, char *buf, size_t len);

/*
 * Parses a whole string as a decimal integer in [min, max].  Returns 0 and
 * sets *out, or -1 (bad syntax, trailing garbage or out of range).
 */
int	 parse_long(const char *s, long min, long max, long *out);

/* The same for a string of 1 to 9 decimal digits and nothing else. */
int	 parse_digits(const char *s, long min, long max, long *out);

/*
 * A growable string with a hard size cap: appends beyond the cap are cut and
 * set the truncated flag.  Start with struct strbuf sb = STRBUF_INIT(cap);
 * free with strbuf_free().  sb.s is always NUL-terminated once non-empty.
 */
struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 size;
	size_t	 cap;
	int	 truncated;
	int	 oom;
};
#define STRBUF_INIT(c) { NULL, 0, 0, (c), 0, 0 }
int	 strbuf_add(struct strbuf *, const char *, size_t);
int	 strbuf_puts(struct strbuf *, const char *);
int	 strbuf_printf(struct strbuf *, const char *, ...) PRINTF_LIKE(2, 3);
const char *strbuf_str(const struct strbuf *);	/* "" when empty */
void	 strbuf_reset(struct strbuf *);
void	 strbuf_free(struct strbuf *);

/*
 * Reads the whole file at path into *bufp (caller frees; a NUL follows
 * the *lenp bytes).  Only a regular file is read: anything else (a FIFO,
 * a device such as /dev/zero, a directory) is refused with "PATH: not a
 * regular file" before a byte is read, and never blocks.  Returns 0; -1
 * with "PATH: reason" in err; or FILE_TOO_LARGE, with "PATH: larger than
 * MAX bytes" in err, when fstat() says so (before reading) or the file
 * grew past max while read.
 */
#define FILE_TOO_LARGE	(-2)
int	 file_read_all(const char *path, size_t max, char **bufp,
	    size_t *lenp, char *err, size_t errlen);

/*
 * Before secrets are read: makes the process non-dumpable
 * (prctl(PR_SET_DUMPABLE, 0): no core file, no ptrace by other users, its
 * /proc files root's) and sets RLIMIT_CORE to 0, so a crash cannot write
 * communities, passphrases or tokens into a core file.  Returns 0, or -1
 * with a message.
 */
int	 secret_protect_process(char *err, size_t errlen);

/* Wipes and frees a secret string; accepts NULL. */
void	 secret_free(char *);

/* Current time as Unix seconds and as ISO 8601 UTC ("2026-11-27T21:03:35Z"). */
int64_t	 now_unix(void);
/*
 * For tests of date-dependent behaviour (waiver expiry): now_unix()
 * returns t from now on; 0 gives the real clock back.
 */
void	 now_pin(int64_t t);
void	 fmt_time(int64_t t, char *buf, size_t len);
/*
 * qsort()/bsearch() order of elements that begin with an int64_t (an id,
 * or an array of int64_t): ascending.
 */
int	 cmp_int64(const void *a, const void *b);

/*
 * Room for one more element in an array of n elements of size bytes with
 * room for *cap: arrayp is the address of the array's pointer (any
 * element type).  When full, the room doubles (first: 16 elements) by
 * reallocarray().  0, or -1 when memory runs out (array and *cap
 * unchanged).
 */
int	 array_grow(void *arrayp, size_t n, size_t *cap, size_t size);

/* "2026-11-27" for a Unix time, UTC. */
void	 fmt_date(int64_t t, char *buf, size_t len);
/*
 * Parses "YYYY-MM-DD" (UTC midnight), a real date written canonically
 * ("2026-02-30" and "2026-2-01" are refused).  Returns 0 or -1.
 */
int	 parse_date(const char *s, int64_t *out);

/* Monotonic milliseconds, for budgets and rates. */
int64_t	 mono_ms(void);

/*
 * Renders bytes for a human: printable UTF-8/ASCII text is copied, anything
 * else becomes "0x" hex.  Output is cut to fit len.  Used by reports, never
 * by the collectors (which store raw values).
 */
void	 render_value(const unsigned char *v, size_t n, char *out, size_t len);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void	 hex_encode(const unsigned char *v, size_t n, char *out);
/* The value of the hex digit c (either case), or -1. */
int	 hex_digit(int c);

/*
 * Decodes the code point at s[0..n), n > 0, strictly into *cp: returns
 * the sequence length, or 0 for a bad, truncated, overlong or surrogate
 * sequence (*cp then unset).
 */
size_t	 utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/*
 * The length of the valid UTF-8 sequence at s[0..n) (n > 0): 1 to 4, or
 * 0 when it is not one (overlong, a surrogate, above U+10FFFF, cut off).
 */
size_t	 utf8_len(const unsigned char *s, size_t n);
/* Is the string s valid UTF-8 throughout? */
int	 utf8_valid(const char *s);

#endif
