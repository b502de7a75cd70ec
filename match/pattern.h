/*
 * pattern: the match types of the rule pack -- checking a signature's
 * pattern when the pack is loaded, and testing one value against it.
 *
 * Values are raw bytes (not NUL-terminated; NULs and non-UTF-8 bytes are
 * fine).  Only the first MATCH_MAX_VALUE bytes of a value are examined;
 * trailing NULs and surrounding ASCII white space are ignored.  Case is
 * folded for ASCII only.  Match types (rules.h):
 *   word     the phrase, at word boundaries: the byte before and after is
 *            absent or not an ASCII letter or digit.  "zte" matches
 *            "ZTE ZXR10" but not "Aztec"; "dahua" not "Dahuang".
 *   exact    the whole value.        prefix   the value's start.
 *   package  the name equals the pattern, or the pattern is followed by
 *            one of "_-." and a digit, or by ":" and a letter or digit
 *            (multiarch): "kesl_12.1.0-1297_amd64", "kesl-12.1.0.1297",
 *            "kesl:amd64" match "kesl"; "kesl-gui-12" does not.
 *   path     the pattern's components, in order, at component boundaries;
 *            "/" and "\" are alike and runs of them count as one:
 *            "\Kaspersky Lab\" matches "C:/Program Files/kaspersky lab/x".
 *   oid      equal to the pattern or under it (a leading "." is ignored):
 *            "1.3.6.1.4.1.2011" matches "...2011.2.23" but not "...20110".
 *   regex    POSIX ERE, case-insensitive; NULs inside a value are bytes.
 *   cidr     the value is an address (IPv4, IPv6, v4-mapped IPv6; "[...]",
 *            "%zone" and "/len" are stripped) inside the network.
 *   image    the last path component, without a trailing ".exe", equals
 *            the pattern: "C:\...\AVP.EXE" and "avp" match "avp".
 * Work per value is linear in its length (patterns are at most
 * RULES_MAX_PATTERN bytes).
 *
 * The prefilter: a value's bigram mask (match_bigrams()) has bit
 * h(a, b) set for every pair of adjacent bytes a, b among its first
 * MATCH_MAX_VALUE, ASCII case folded.  match_compile() sets s->need to
 * the bits of the bigrams that every matching value must contain: those
 * of the pattern's literal text for word, exact, prefix, package, image
 * and oid, those inside each component for path (a '/' there matches a
 * run of separators), for regex those of its literal runs outside groups
 * and bracket expressions (none when a '|' stands outside any group:
 * "^kaspersky (a|b)" requires "kaspersky "), none for cidr.  So when
 * match_may(s, mask) is false, match_value() is false too: callers may
 * skip the signature.  The filter only ever skips; it never decides a
 * match.
 */
#ifndef BANAUDIT_PATTERN_H
#define BANAUDIT_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

#define MATCH_MAX_VALUE		65536

/*
 * Checks s->pattern for s->match and fills the compiled forms (norm,
 * normlen, net*).  A regex is only checked here; the caller compiles it
 * into s->re once s has its final address.  Returns 0, or -1 with a
 * message (no "FILE:LINE: ") in err; free what it set with free(s->norm).
 */
int	 match_compile(struct signature *s, char *err, size_t errlen);

/*
 * Does value v (n bytes, not NUL-terminated) match signature s?  The
 * signature's item, if any, is not checked here (match_host does).
 */
int	 match_value(const struct signature *s, const void *v, size_t n);

/*
 * The bigram mask of value v (n bytes; only the first MATCH_MAX_VALUE
 * are read; NULL is the empty value).  One pass; stops early once every
 * bit is set.
 */
uint64_t match_bigrams(const void *v, size_t n);

/* A byte with ASCII case folded (the prefilter's and the anchors'). */
static inline unsigned char
match_fold(unsigned char c)
{
	return (unsigned char)(c | ((unsigned)(c - 'A') < 26u) << 5);
}

/* Can s match a value whose bigram mask is mask?  0 means it cannot. */
static inline int
match_may(const struct signature *s, uint64_t mask)
{
	return (s->need & ~mask) == 0;
}

/*
 * The anchor of s: a literal of at least 2 bytes that every value s
 * matches contains among its first MATCH_MAX_VALUE bytes, at some
 * position, equal to it with ASCII case folded -- the pattern's text for
 * word, exact, prefix, package, image and oid, the longest component for
 * path, the longest literal run for regex (one of the runs whose bigrams
 * are in s->need).  Written to buf in lower case (folded); returns its
 * length, or 0 when s has none (cidr, a regex with no run of 2 bytes) or
 * it is longer than size.  sigscan.h tests a field's signatures by their
 * anchors.
 */
size_t	 match_anchor(const struct signature *s, char *buf, size_t size);

/* Word-aware, case-insensitive phrase search; exposed for tests. */
int	 match_word(const char *hay, size_t n, const char *phrase);
/* Package-name test; exposed for tests. */
int	 match_package(const char *v, size_t n, const char *pkg);

#endif
