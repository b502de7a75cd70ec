/* util: errors, bounded strings, number parsing, secrets, time. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

int
errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

size_t
str_copy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src);

	if (dstlen > 0) {
		size_t c = n < dstlen - 1 ? n : dstlen - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
str_put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
	if (len == 0 || *at >= len)
		return;
	if (n > len - 1 - *at)
		n = len - 1 - *at;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

void
str_put_uint(char *buf, size_t len, size_t *at, unsigned long v)
{
	char d[24];
	size_t k = sizeof(d);

	do
		d[--k] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	str_put(buf, len, at, d + k, sizeof(d) - k);
}

char *
str_ndup(const char *s, size_t max)
{
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strnlen(s, max);
	p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
str_dup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

int
str_ieq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

int
str_list_find(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (str_ieq(v[i], s))
			return (int)i;
	return -1;
}

void
str_list_join(const char *const *v, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;
	int w;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		w = snprintf(buf + used, len - used, "%s%s", i > 0 ? ", " : "",
		    v[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

char *
str_trim(char *s)
{
	size_t n;
	char *p = s;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
parse_digits(const char *s, long min, long max, long *out)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > 9)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	return parse_long(s, min, max, out);
}

const char *
str_quote(const char *s, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o + 4 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == STR_QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[o] = '\0';
	return buf;
}

int
strbuf_add(struct strbuf *sb, const char *p, size_t n)
{
	size_t want;

	if (sb->oom)
		return -1;
	if (sb->len + n > sb->cap) {
		n = sb->cap > sb->len ? sb->cap - sb->len : 0;
		sb->truncated = 1;
	}
	want = sb->len + n + 1;
	if (want > sb->size) {
		size_t nsize = sb->size ? sb->size : 64;
		char *ns;

		while (nsize < want)
			nsize *= 2;
		ns = realloc(sb->s, nsize);
		if (ns == NULL) {
			sb->oom = 1;
			return -1;
		}
		sb->s = ns;
		sb->size = nsize;
	}
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return sb->truncated ? -1 : 0;
}

int
strbuf_puts(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return strbuf_add(sb, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (big == NULL) {
		sb->oom = 1;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = strbuf_add(sb, big, (size_t)n);
	free(big);
	return rc;
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->s != NULL ? sb->s : "";
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->truncated = 0;
	if (sb->s != NULL)
		sb->s[0] = '\0';
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->size = 0;
	sb->truncated = sb->oom = 0;
}

int
secret_protect_process(char *err, size_t errlen)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		return errf(err, errlen, "cannot disable core dumps: %s",
		    strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return errf(err, errlen, "cannot make the process "
		    "non-dumpable: %s", strerror(errno));
	return 0;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static int64_t pinned_now;

int64_t
now_unix(void)
{
	return pinned_now != 0 ? pinned_now : (int64_t)time(NULL);
}

void
now_pin(int64_t t)
{
	pinned_now = t;
}

void
fmt_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		str_copy(buf, "", len);
}

int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
array_grow(void *arrayp, size_t n, size_t *cap, size_t size)
{
	void *old, *nv;
	size_t nc;

	if (n < *cap)
		return 0;
	/* A count or a byte size that would wrap fails. */
	if (size == 0 || *cap > SIZE_MAX / 2 / size)
		return -1;
	nc = *cap != 0 ? *cap * 2 : 16;
	/* The pointer is copied in and out: any object pointer type. */
	memcpy(&old, arrayp, sizeof(old));
	nv = reallocarray(old, nc, size);
	if (nv == NULL)
		return -1;
	memcpy(arrayp, &nv, sizeof(nv));
	*cap = nc;
	return 0;
}

void
fmt_date(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d",
	    &tm) == 0)
		str_copy(buf, "", len);
}

int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	char back[16], *end;
	int64_t t;

	if (s == NULL || strlen(s) != 10)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	t = (int64_t)timegm(&tm);
	/* strptime() takes 2026-02-31 (and timegm() makes it 03-03). */
	fmt_date(t, back, sizeof(back));
	if (strcmp(back, s) != 0)
		return -1;
	*out = t;
	return 0;
}

int
file_read_all(const char *path, size_t max, char **bufp, size_t *lenp,
    char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, size;
	ssize_t n;
	int fd, rc = -1;

	*bufp = NULL;
	*lenp = 0;
	/*
	 * O_NONBLOCK: opening a FIFO must not wait for a writer.  Nothing is
	 * read before fstat() says this is a regular file of at most max
	 * bytes (issue 12, 2026-12-05: /dev/zero was read to 2 GiB before it
	 * was refused, and a FIFO blocked forever).
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		errf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		errf(err, errlen, "%s: larger than %zu bytes", path, max);
		rc = FILE_TOO_LARGE;
		goto out;
	}
	/* One byte more than the size says: a file that grew is caught. */
	size = (size_t)st.st_size + 2;
	buf = malloc(size);
	if (buf == NULL) {
		errf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	for (;;) {
		if (len + 1 == size) {
			char *nb;

			if (len > max) {
				errf(err, errlen, "%s: larger than %zu bytes",
				    path, max);
				rc = FILE_TOO_LARGE;
				goto out;
			}
			nb = realloc(buf, size * 2);
			if (nb == NULL) {
				errf(err, errlen, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
			size *= 2;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		errf(err, errlen, "%s: larger than %zu bytes", path, max);
		rc = FILE_TOO_LARGE;
		goto out;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
hex_encode(const unsigned char *v, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Is v[0..n) text a report can show as is (printable ASCII or UTF-8)? */
static int
is_text(const unsigned char *v, size_t n)
{
	size_t i = 0;

	/* One trailing NUL is common in SNMP strings; tolerate it. */
	if (n > 0 && v[n - 1] == '\0')
		n--;
	while (i < n) {
		unsigned char c = v[i];
		size_t k, more;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			if (c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			more = 1;
		else if ((c & 0xf0) == 0xe0)
			more = 2;
		else if ((c & 0xf8) == 0xf0)
			more = 3;
		else
			return 0;
		for (k = 1; k <= more; k++)
			if (i + k >= n || (v[i + k] & 0xc0) != 0x80)
				return 0;
		i += more + 1;
	}
	return 1;
}

void
render_value(const unsigned char *v, size_t n, char *out, size_t len)
{
	size_t i, o;

	if (len == 0)
		return;
	if (v == NULL || n == 0) {
		out[0] = '\0';
		return;
	}
	if (is_text(v, n)) {
		size_t c = n;

		if (c > 0 && v[c - 1] == '\0')
			c--;
		if (c > len - 1)
			c = len - 1;
		memcpy(out, v, c);
		out[c] = '\0';
		return;
	}
	if (len < 3) {
		out[0] = '\0';
		return;
	}
	out[0] = '0';
	out[1] = 'x';
	for (i = 0, o = 2; i < n && o + 2 < len; i++, o += 2) {
		static const char d[] = "0123456789abcdef";
		out[o] = d[v[i] >> 4];
		out[o + 1] = d[v[i] & 0xf];
	}
	out[o] = '\0';
}

size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v, min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return utf8_decode(s, n, &cp);
}

int
utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i, k;

	for (i = 0; i < n; i += k) {
		k = utf8_len(u + i, n - i);
		if (k == 0)
			return 0;
	}
	return 1;
}
