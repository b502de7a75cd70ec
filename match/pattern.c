/*
 * pattern: the match types -- checking a pattern, testing a value.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "util.h"

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Case-insensitive (ASCII) comparison of n bytes. */
static int
ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* Drops trailing NULs and surrounding white space: [*v, *v + *n). */
static void
trim(const char **v, size_t *n)
{
	const char *p = *v;
	size_t len = *n;

	while (len > 0 && (p[len - 1] == '\0' || is_space(p[len - 1])))
		len--;
	while (len > 0 && is_space(*p)) {
		p++;
		len--;
	}
	*v = p;
	*n = len;
}

/* --- the bigram prefilter ----------------------------------------------- */

/* A byte, ASCII case folded, as an unsigned value (no branch). */
static uint32_t
fold(unsigned char c)
{
	return match_fold(c);
}

/* The mask bit of folded bigram (a, b): a multiplicative hash. */
static uint64_t
bigram_fold_bit(uint32_t a, uint32_t b)
{
	return (uint64_t)1 << (((a << 8 | b) * 0x9e3779b1u) >> 26);
}

/* The mask bit of bigram (a, b), case folded. */
static uint64_t
bigram_bit(char a, char b)
{
	return bigram_fold_bit(fold((unsigned char)a), fold((unsigned char)b));
}

uint64_t
match_bigrams(const void *value, size_t n)
{
	const unsigned char *v = value;
	uint64_t m = 0;
	uint32_t a, b;
	size_t i;

	if (v == NULL || n < 2)
		return 0;
	if (n > MATCH_MAX_VALUE)
		n = MATCH_MAX_VALUE;
	/* Each byte folded once, carried to the next bigram. */
	a = fold(v[0]);
	for (i = 1; i < n; i++) {
		b = fold(v[i]);
		m |= bigram_fold_bit(a, b);
		a = b;
		if ((i & 31) == 0 && m == UINT64_MAX)
			break;
	}
	return m;
}

/* The ERE operators: a backslash before one of them is the byte itself. */
static int
is_ere_special(char c)
{
	return c != '\0' && strchr(".[]()*+?{}|^$\\", c) != NULL;
}

/* Skips a bracket expression: p[i] is its '['; returns the index after. */
static size_t
skip_bracket(const char *p, size_t i)
{
	char end;

	i++;
	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	while (p[i] != '\0' && p[i] != ']') {
		if (p[i] == '[' && (p[i + 1] == ':' || p[i + 1] == '.' ||
		    p[i + 1] == '=')) {
			end = p[i + 1];
			for (i += 2; p[i] != '\0' &&
			    !(p[i] == end && p[i + 1] == ']'); i++)
				;
			if (p[i] != '\0')
				i += 2;
			continue;
		}
		i++;
	}
	return p[i] == ']' ? i + 1 : i;
}

/* Skips a group: p[i] is its '('; returns the index after its ')'. */
static size_t
skip_group(const char *p, size_t i)
{
	size_t depth = 1;

	for (i++; p[i] != '\0' && depth > 0;) {
		if (p[i] == '\\' && p[i + 1] != '\0')
			i += 2;
		else if (p[i] == '[')
			i = skip_bracket(p, i);
		else {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')')
				depth--;
			i++;
		}
	}
	return i;
}

/*
 * Can the atom before p[i] be absent or stand apart from what follows?
 * Returns 2 when a '*', '?' or interval among the quantifiers at p[i]
 * makes it optional (glibc applies "a+?" as "(a+)?"), 1 when only '+'
 * repeat it, 0 when nothing quantifies it.
 */
static int
quantified(const char *p, size_t i)
{
	int q = 0;

	for (; p[i] == '*' || p[i] == '?' || p[i] == '{' || p[i] == '+'; i++) {
		if (p[i] != '+')
			return 2;
		q = 1;
	}
	return q;
}

/*
 * The literal runs of a POSIX ERE that every match contains: the runs of
 * plain bytes (or an operator escaped with '\\') outside any group and
 * bracket expression; a byte that '*', '?' or an interval quantifies is
 * out of its run, one that '+' repeats ends its run.  A '|' outside
 * groups makes every part optional: nothing is required.  Anything else
 * -- '.', anchors, a bracket expression, a group, GNU's escapes (\\w,
 * \\b, \\<, a back reference) -- ends a run and adds nothing, so what
 * is required is only ever less than what the regex needs (regcomp() is
 * case-insensitive and byte-wise in the C locale, as the bigrams and the
 * anchors are).  Returns the bigrams of every run; the longest run (the
 * first of the longest) goes to run (RULES_MAX_PATTERN bytes), its
 * length to *runlen; none when the mask is 0.
 */
static uint64_t
regex_runs(const char *p, char *run, size_t *runlen)
{
	uint64_t m = 0;
	size_t i = 0, start = 0, cur = 0, best = 0, at = 0;
	char c, prev = 0;
	int have = 0, q;

	/* The literal bytes, decoded, one after another; runs are spans. */
	*runlen = 0;
	if (strlen(p) > RULES_MAX_PATTERN)
		return 0;	/* match_compile() refuses it first */
	while (p[i] != '\0') {
		c = p[i];
		if (c == '|')
			return 0;
		if (c == '\\' && is_ere_special(p[i + 1]))
			c = p[(i += 2) - 1];
		else if (c == '\\' || is_ere_special(c)) {
			have = 0;
			if (c == '[')
				i = skip_bracket(p, i);
			else if (c == '(')
				i = skip_group(p, i);
			else if (c == '{') {
				while (p[i] != '\0' && p[i] != '}')
					i++;
				if (p[i] == '}')
					i++;
			} else
				i += c == '\\' && p[i + 1] != '\0' ? 2 : 1;
			continue;
		} else
			i++;
		/* c is a literal byte; what follows may quantify it. */
		q = quantified(p, i);
		if (q == 2) {
			have = 0;
			continue;
		}
		if (have)
			m |= bigram_bit(prev, c);
		else
			start = cur;	/* a new run */
		run[cur++] = c;
		if (cur - start > best) {
			best = cur - start;
			at = start;
		}
		prev = c;
		have = q == 0;
	}
	if (m != 0) {
		memmove(run, run + at, best);
		*runlen = best;
	}
	return m;
}

/* The bigrams of a POSIX ERE's literal runs (regex_runs()). */
static uint64_t
regex_need(const char *p)
{
	char run[RULES_MAX_PATTERN];
	size_t len;

	return regex_runs(p, run, &len);
}

/*
 * The bigrams every value matching s contains.  Each matcher below finds
 * norm's bytes (case folded) contiguous in the value -- for path, each
 * component's bytes; a '/' of norm matches a run of separators, so no
 * bigram with a '/' is required.  regex: regex_need(); cidr: nothing.
 */
static uint64_t
sig_need(const struct signature *s)
{
	const char *p = s->norm;
	uint64_t m = 0;
	size_t i;

	switch (s->match) {
	case MATCH_WORD:
	case MATCH_EXACT:
	case MATCH_PREFIX:
	case MATCH_PACKAGE:
	case MATCH_IMAGE:
	case MATCH_OID:
		for (i = 1; i < s->normlen; i++)
			m |= bigram_bit(p[i - 1], p[i]);
		break;
	case MATCH_PATH:
		for (i = 1; i < s->normlen; i++)
			if (p[i - 1] != '/' && p[i] != '/')
				m |= bigram_bit(p[i - 1], p[i]);
		break;
	case MATCH_REGEX:
		m = regex_need(p);
		break;
	case MATCH_CIDR:
		break;
	}
	return m;
}

/*
 * A literal every value matching s contains (see pattern.h): the
 * pattern's text for the literal types, the longest component for path,
 * the longest literal run for regex (regex_runs()), none for cidr.
 */
size_t
match_anchor(const struct signature *s, char *buf, size_t size)
{
	const char *p = s->norm, *best = NULL;
	char run[RULES_MAX_PATTERN];
	size_t i, n = 0, start;

	if (p == NULL)
		return 0;
	switch (s->match) {
	case MATCH_WORD:
	case MATCH_EXACT:
	case MATCH_PREFIX:
	case MATCH_PACKAGE:
	case MATCH_IMAGE:
	case MATCH_OID:
		best = p;
		n = s->normlen;
		break;
	case MATCH_PATH:
		/* norm's components are joined by '/'. */
		for (i = 0, start = 0; i <= s->normlen; i++) {
			if (i < s->normlen && p[i] != '/')
				continue;
			if (i - start > n) {
				best = p + start;
				n = i - start;
			}
			start = i + 1;
		}
		break;
	case MATCH_REGEX:
		if (regex_runs(p, run, &n) != 0)
			best = run;
		break;
	case MATCH_CIDR:
		break;
	}
	if (best == NULL || n < 2 || n > size)
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = (char)fold((unsigned char)best[i]);
	return n;
}

/* --- compiling ---------------------------------------------------------- */

/* Components in lower case: "\Kaspersky Lab\" -> "kaspersky lab". */
static char *
path_norm(const char *p)
{
	char *out;
	size_t i, o = 0;

	out = malloc(strlen(p) + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; p[i] != '\0'; i++) {
		if (is_sep(p[i])) {
			if (o > 0 && out[o - 1] != '/')
				out[o++] = '/';
			continue;
		}
		out[o++] = lower(p[i]);
	}
	if (o > 0 && out[o - 1] == '/')
		o--;
	out[o] = '\0';
	return out;
}

/* Dotted decimal, at least two arcs, each fits 32 bits. */
static int
oid_valid(const char *s)
{
	size_t digits = 0, arcs = 0;
	unsigned long long v = 0;

	if (*s == '.')
		s++;
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s - '0');
			if (++digits > 10 || v > 0xffffffffULL)
				return 0;
			continue;
		}
		if (digits == 0)
			return 0;
		arcs++;
		if (*s == '\0')
			break;
		if (*s != '.')
			return 0;
		digits = 0;
		v = 0;
	}
	return arcs >= 2;
}

static int
cidr_parse(const char *s, unsigned char *net, int *family, int *bits,
    char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	int i, max;
	long len;

	if (n == 0 || n >= sizeof(addr))
		return errf(err, errlen, "bad network '%s'", s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	memset(net, 0, 16);
	if (inet_pton(AF_INET, addr, net) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, net) == 1) {
		*family = AF_INET6;
		max = 128;
	} else
		return errf(err, errlen, "bad network '%s'", s);
	len = max;
	if (slash != NULL && parse_long(slash + 1, 0, max, &len) != 0)
		return errf(err, errlen, "bad prefix length in '%s'", s);
	*bits = (int)len;
	for (i = *bits; i < max; i++)
		if (net[i / 8] & (0x80 >> (i % 8)))
			return errf(err, errlen, "host bits set in '%s'", s);
	return 0;
}

static int
package_valid(const char *s)
{
	size_t i;

	if (!is_alnum(s[0]))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!is_alnum(s[i]) && strchr("+._-", s[i]) == NULL)
			return 0;
	return 1;
}

int
match_compile(struct signature *s, char *err, size_t errlen)
{
	const char *p = s->pattern;
	size_t i;

	if (*p == '\0')
		return errf(err, errlen, "empty pattern");
	if (strlen(p) > RULES_MAX_PATTERN)
		return errf(err, errlen, "pattern longer than %d bytes",
		    RULES_MAX_PATTERN);
	switch (s->match) {
	case MATCH_WORD:
		for (i = 0; p[i] != '\0' && !is_alnum(p[i]); i++)
			;
		if (p[i] == '\0')
			return errf(err, errlen, "word pattern '%s' has no "
			    "letter or digit", p);
		break;
	case MATCH_EXACT:
	case MATCH_PREFIX:
		break;
	case MATCH_PACKAGE:
		if (!package_valid(p))
			return errf(err, errlen, "bad package name '%s'", p);
		break;
	case MATCH_IMAGE:
		if (strpbrk(p, "/\\") != NULL)
			return errf(err, errlen, "image name '%s' contains a "
			    "directory", p);
		break;
	case MATCH_PATH:
		s->norm = path_norm(p);
		if (s->norm == NULL)
			return errf(err, errlen, "out of memory");
		if (s->norm[0] == '\0')
			return errf(err, errlen, "path pattern '%s' has no "
			    "component", p);
		break;
	case MATCH_OID:
		if (!oid_valid(p))
			return errf(err, errlen, "bad OID '%s'", p);
		s->norm = strdup(p[0] == '.' ? p + 1 : p);
		if (s->norm == NULL)
			return errf(err, errlen, "out of memory");
		break;
	case MATCH_REGEX: {
		regex_t re;
		char msg[128];
		int rc;

		rc = regcomp(&re, p, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &re, msg, sizeof(msg));
			return errf(err, errlen, "bad regex '%s': %s", p, msg);
		}
		regfree(&re);
		break;
	}
	case MATCH_CIDR:
		if (cidr_parse(p, s->net, &s->net_family, &s->net_bits, err,
		    errlen) != 0)
			return -1;
		break;
	}
	if (s->norm == NULL) {
		s->norm = strdup(p);
		if (s->norm == NULL)
			return errf(err, errlen, "out of memory");
	}
	s->normlen = strlen(s->norm);
	s->need = sig_need(s);
	return 0;
}

int
match_word(const char *hay, size_t n, const char *phrase)
{
	size_t m = strlen(phrase), i;
	int lb, rb;
	char first;

	if (m == 0 || m > n)
		return 0;
	first = lower(phrase[0]);
	lb = is_alnum(phrase[0]);
	rb = is_alnum(phrase[m - 1]);
	for (i = 0; i + m <= n; i++) {
		if (lower(hay[i]) != first)
			continue;
		if (lb && i > 0 && is_alnum(hay[i - 1]))
			continue;
		if (rb && i + m < n && is_alnum(hay[i + m]))
			continue;
		if (ieq(hay + i + 1, phrase + 1, m - 1))
			return 1;
	}
	return 0;
}

int
match_package(const char *v, size_t n, const char *pkg)
{
	size_t m = strlen(pkg);
	char c;

	trim(&v, &n);
	if (m == 0 || n < m || !ieq(v, pkg, m))
		return 0;
	if (n == m)
		return 1;
	c = v[m];
	if (m + 1 >= n)
		return 0;
	if (c == '_' || c == '-' || c == '.')
		return is_digit(v[m + 1]);
	if (c == ':')
		return is_alnum(v[m + 1]);
	return 0;
}

static int
match_image(const char *v, size_t n, const char *name, size_t m)
{
	size_t i;

	trim(&v, &n);
	if (n > 0 && v[0] == '"') {
		v++;
		n--;
	}
	if (n > 0 && v[n - 1] == '"')
		n--;
	for (i = n; i > 0; i--)
		if (is_sep(v[i - 1]))
			break;
	v += i;
	n -= i;
	if (n >= 4 && ieq(v + n - 4, ".exe", 4))
		n -= 4;
	return n == m && ieq(v, name, m);
}

/*
 * norm is the pattern's components joined by '/', lower case.  Tries each
 * component start of v; a '/' in norm matches a run of separators.
 */
static int
match_path(const char *v, size_t n, const char *norm, size_t m)
{
	size_t i, j, k;

	trim(&v, &n);
	for (i = 0; i < n; i++) {
		if (is_sep(v[i]) || (i > 0 && !is_sep(v[i - 1])))
			continue;
		for (j = i, k = 0; k < m && j < n; k++) {
			if (norm[k] == '/') {
				if (!is_sep(v[j]))
					break;
				while (j < n && is_sep(v[j]))
					j++;
				continue;
			}
			if (lower(v[j]) != norm[k])
				break;
			j++;
		}
		if (k == m && (j == n || is_sep(v[j])))
			return 1;
	}
	return 0;
}

static int
match_oid(const char *v, size_t n, const char *norm, size_t m)
{
	trim(&v, &n);
	if (n > 0 && v[0] == '.') {
		v++;
		n--;
	}
	if (n < m || memcmp(v, norm, m) != 0)
		return 0;
	return n == m || v[m] == '.';
}

static int
match_cidr(const struct signature *s, const char *v, size_t n)
{
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned char a[16];
	const unsigned char *addr = a;
	size_t i, cut;
	int bits = s->net_bits;

	trim(&v, &n);
	if (n > 0 && v[0] == '[') {
		v++;
		n--;
		cut = 0;
		while (cut < n && v[cut] != ']')
			cut++;
		n = cut;
	}
	for (cut = 0; cut < n && v[cut] != '%' && v[cut] != '/'; cut++)
		;
	n = cut;
	if (n == 0 || n >= sizeof(buf) || memchr(v, '\0', n) != NULL)
		return 0;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a) == 1) {
		if (s->net_family != AF_INET)
			return 0;
	} else if (inet_pton(AF_INET6, buf, a) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 0xff, 0xff };

		if (s->net_family == AF_INET) {
			if (memcmp(a, mapped, sizeof(mapped)) != 0)
				return 0;
			addr = a + 12;
		}
	} else
		return 0;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (addr[i] != s->net[i])
			return 0;
	if (bits > 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - bits));

		if ((addr[i] & mask) != (s->net[i] & mask))
			return 0;
	}
	return 1;
}

static int
match_regex(const struct signature *s, const char *v, size_t n)
{
#ifdef REG_STARTEND
	regmatch_t pm[1];

	pm[0].rm_so = 0;
	pm[0].rm_eo = (regoff_t)n;
	return regexec(&s->re, v, 1, pm, REG_STARTEND) == 0;
#else
	char *copy;
	int rc;

	copy = malloc(n + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, v, n);
	copy[n] = '\0';
	rc = regexec(&s->re, copy, 0, NULL, 0) == 0;
	free(copy);
	return rc;
#endif
}

int
match_value(const struct signature *s, const void *value, size_t n)
{
	const char *v = value != NULL ? value : "";

	if (value == NULL)
		n = 0;
	if (n > MATCH_MAX_VALUE)
		n = MATCH_MAX_VALUE;
	switch (s->match) {
	case MATCH_WORD:
		return match_word(v, n, s->norm);
	case MATCH_EXACT:
		trim(&v, &n);
		return n == s->normlen && ieq(v, s->norm, n);
	case MATCH_PREFIX:
		trim(&v, &n);
		return n >= s->normlen && ieq(v, s->norm, s->normlen);
	case MATCH_PACKAGE:
		return match_package(v, n, s->norm);
	case MATCH_PATH:
		return match_path(v, n, s->norm, s->normlen);
	case MATCH_OID:
		return match_oid(v, n, s->norm, s->normlen);
	case MATCH_REGEX:
		trim(&v, &n);
		return s->has_re && match_regex(s, v, n);
	case MATCH_CIDR:
		return match_cidr(s, v, n);
	case MATCH_IMAGE:
		return match_image(v, n, s->norm, s->normlen);
	}
	return 0;
}
