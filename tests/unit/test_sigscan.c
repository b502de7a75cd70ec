/*
 * Unit tests for the one-pass test of a field's signatures (sigscan.h)
 * and the anchors it looks for (pattern.h: match_anchor()):
 * differential, against trying every signature of the field in turn
 * with no filter at all.  For every field of the shipped pack (rules/)
 * and of the match-types pack (tests/data/rules/match-types), and values
 * made from each signature's pattern -- as written and normalised, in
 * other cases, at and inside word boundaries, with every byte changed,
 * dropped, doubled or case-flipped, a near miss before the real thing,
 * two signatures' words together, random text over the field's bytes,
 * random bytes, and long values with the pattern before, across and
 * after MATCH_MAX_VALUE -- match_row_counts_field() (the scan) answers
 * what the plain loop answers, and every value a signature matches
 * holds its anchor.  A missed finding is the worst bug this tool can
 * have: the scan may only leave out what cannot match.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "match.h"
#include "pattern.h"
#include "rules.h"
#include "sigscan.h"
#include "util.h"

#define VMAX	FX_VMAX
#define SHORT	(8 * RULES_MAX_PATTERN)


struct tally {
	size_t	values;		/* values compared */
	size_t	matches;	/* ... some signature of the field matched */
};

static char
flip(char c)
{
	if (c >= 'a' && c <= 'z')
		return fx_upper(c);
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* Is the folded anchor a (len bytes) in v's first MATCH_MAX_VALUE? */
static int
has_anchor(const char *v, size_t n, const char *a, size_t len)
{
	size_t i, k;

	if (n > MATCH_MAX_VALUE)
		n = MATCH_MAX_VALUE;
	for (i = 0; i + len <= n; i++) {
		for (k = 0; k < len; k++)
			if (match_fold((unsigned char)v[i + k]) !=
			    (unsigned char)a[k])
				break;
		if (k == len)
			return 1;
	}
	return 0;
}

/*
 * The one check: value v (n bytes, a NUL after them) with item in field
 * f: the scan and the plain loop agree, and each signature that matches
 * holds its anchor.
 */
static void
check(const struct rules_field *f, const char *item, const char *v,
    size_t n, struct tally *t)
{
	struct observation o;
	char a[RULES_MAX_PATTERN];
	size_t k, len;
	int want = 0, got;

	memset(&o, 0, sizeof(o));
	o.kind = f->sigs[0]->kind;
	o.attr = f->sigs[0]->attr;
	o.item = item;
	o.value = v;
	o.len = n;
	for (k = 0; k < f->n; k++) {
		const struct signature *s = f->sigs[k];

		if (!match_value(s, v, n))
			continue;
		len = match_anchor(s, a, sizeof(a));
		if (len > 0 && !has_anchor(v, n, a, len))
			fail_msg("signature %s (%s '%s') matches '%.*s' (%zu "
			    "bytes) without its anchor '%.*s'", s->id,
			    match_type_name(s->match), s->pattern,
			    (int)(n < 120 ? n : 120), v, n, (int)len, a);
		if (s->item == NULL || (item != NULL &&
		    str_ieq(s->item, item)))
			want = 1;
	}
	got = match_row_counts_field(f, &o);
	t->values++;
	t->matches += want;
	if (got != want)
		fail_msg("field %s.%s: scan says %d, the plain loop %d, on "
		    "'%.*s' (%zu bytes)", obs_kind_name(o.kind), o.attr, got,
		    want, (int)(n < 120 ? n : 120), v, n);
	assert_int_equal(match_row_counts_plain(f->sigs, f->n, &o), want);
}

/* pre + mid (len bytes) + post into fx_vbuf, checked. */
static void
check3(const struct rules_field *f, const char *item, const char *pre,
    const char *mid, size_t len, const char *post, struct tally *t)
{
	check(f, item, fx_vbuf, fx_vjoin(pre, mid, len, post, SHORT), t);
}

/* What a pattern is put between: word boundaries and their absence. */
static const char *const wrap[][2] = {
	{ "", "" }, { " ", " " }, { "x", "" }, { "", "x" }, { "3", "3" },
	{ "_", "-" }, { ".", ":" }, { "/", "/" }, { "\\", "\\" },
	{ "  ", " \t\r\n" }, { "Foo ", " Bar 12.1" }, { "", "_12.1-1_amd64" },
	{ "", ".exe" }, { "C:\\Program Files\\", "\\x.exe" }, { "\"", "\"" },
	{ "1.3.6.1.4.1.", ".2.23" }, { ".", ".2" }, { "\xff", "\x80" },
};

/* The text's case variants: as is, upper, alternating, flipped. */
#define NCASES	4
static void
case_of(char *dst, const char *p, size_t n, int which)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = which == 0 ? p[i] : which == 1 ? fx_upper(p[i]) :
		    which == 2 ? (i % 2 ? p[i] : fx_upper(p[i])) : flip(p[i]);
}

/*
 * Every one-byte change of p: each byte replaced (by the next byte, a
 * space, a NUL, its case flipped), dropped or doubled, alone and before
 * the pattern itself (a near miss first: the real one must still count).
 */
static void
byte_changes(const struct rules_field *f, const char *item, const char *p,
    size_t n, struct tally *t)
{
	char m[2 * RULES_MAX_PATTERN + 8];
	static const char *const sep[] = { "", " " };
	size_t at, len, s;
	int how;

	for (at = 0; at < n; at++)
		for (how = 0; how < 6; how++) {
			memcpy(m, p, n);
			len = n;
			switch (how) {
			case 0:
				m[at] = (char)(m[at] + 1);
				break;
			case 1:
				m[at] = ' ';
				break;
			case 2:
				m[at] = '\0';
				break;
			case 3:
				m[at] = flip(m[at]);
				break;
			case 4:
				memmove(m + at, m + at + 1, n - at - 1);
				len--;
				break;
			case 5:
				memmove(m + at + 1, m + at, n - at);
				len++;
				break;
			}
			check3(f, item, "", m, len, "", t);
			check3(f, item, " ", m, len, "x", t);
			for (s = 0; s < NELEM(sep); s++) {
				memcpy(m + len, sep[s], strlen(sep[s]));
				memcpy(m + len + strlen(sep[s]), p, n);
				check3(f, item, "", m, len + strlen(sep[s]) + n,
				    "", t);
			}
		}
}

/* Random text over the field's own bytes and random bytes. */
static void
random_values(const struct rules_field *f, const char *item, uint64_t *st,
    struct tally *t)
{
	char alpha[512];
	size_t na = 0, k, i, len;
	int r;

	for (k = 0; k < f->n && na + 40 < sizeof(alpha); k++) {
		const char *p = f->sigs[k]->pattern;

		for (i = 0; p[i] != '\0' && na < sizeof(alpha) / 2; i++)
			alpha[na++] = p[i];
	}
	memcpy(alpha + na, " .-_/\\:0AZaz", 12);
	na += 12;
	for (r = 0; r < 400; r++) {
		len = (size_t)(fx_rnd(st) % 200);
		for (i = 0; i < len; i++)
			fx_vbuf[i] = r % 4 == 3 ? (char)fx_rnd(st) :
			    alpha[fx_rnd(st) % na];
		/* Now and then a whole pattern inside. */
		if (r % 5 == 0 && len > 0) {
			const char *p = f->sigs[fx_rnd(st) % f->n]->pattern;
			size_t pl = strlen(p), at = (size_t)(fx_rnd(st) % len);

			if (at + pl <= 200) {
				memcpy(fx_vbuf + at, p, pl);
				if (at + pl > len)
					len = at + pl;
			}
		}
		fx_vbuf[len] = '\0';
		check(f, item, fx_vbuf, len, t);
	}
}

/*
 * Long values: a pattern ending just before MATCH_MAX_VALUE, across it
 * and just after it, in filler that is no word of its own.
 */
static void
long_values(const struct rules_field *f, const char *item, const char *p,
    struct tally *t)
{
	size_t n = strlen(p), at[3], i;

	at[0] = MATCH_MAX_VALUE - n;
	at[1] = MATCH_MAX_VALUE - n / 2;
	at[2] = MATCH_MAX_VALUE;
	for (i = 0; i < NELEM(at); i++) {
		memset(fx_vbuf, ' ', VMAX);
		memcpy(fx_vbuf + at[i], p, n);
		fx_vbuf[at[i] + n + 4] = '\0';
		check(f, item, fx_vbuf, at[i] + n + 4, t);
	}
	memset(fx_vbuf, 0, VMAX + 1);
}

/* Every field of pk, every signature's text: scan == plain loop. */
static void
differential(const struct rule_pack *pk, struct tally *t)
{
	char v[2 * RULES_MAX_PATTERN + 8];
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	size_t i, k, w, len, scanned = 0;
	int c, x;

	for (i = 0; i < pk->nsigs; i++) {
		const struct signature *s = &pk->sigs[i];
		const struct rules_field *f;
		const char *texts[2] = { s->pattern, s->norm };
		const char *items[2] = { s->item, "other" };

		f = rules_field_for(pk, s->kind, s->attr);
		assert_non_null(f);
		assert_true(f->n > 0);
		scanned += f->scan != NULL;
		for (x = 0; x < 2; x++) {
			const char *p = texts[x];
			size_t n = strlen(p);

			for (c = 0; c < NCASES; c++) {
				case_of(v, p, n, c);
				for (w = 0; w < NELEM(wrap); w++)
					check3(f, items[0], wrap[w][0], v, n,
					    wrap[w][1], t);
				/* Its item's answer and another item's. */
				check3(f, items[1], "", v, n, "", t);
				check3(f, NULL, "", v, n, "", t);
			}
			byte_changes(f, items[0], p, n, t);
			/* Cut short at either end. */
			if (n > 1) {
				check3(f, items[0], "", p + 1, n - 1, "", t);
				check3(f, items[0], "", p, n - 1, "", t);
			}
		}
		/* With the next signature of the field's words. */
		for (k = 0; k < f->n; k++)
			if (f->sigs[k] == s) {
				const char *q = f->sigs[(k + 1) % f->n]->pattern;

				len = strlen(q);
				memcpy(v, q, len);
				v[len] = ' ';
				memcpy(v + len + 1, s->pattern,
				    strlen(s->pattern));
				check3(f, items[0], "", v, len + 1 +
				    strlen(s->pattern), "", t);
			}
		/* Long values for the field's first and last signatures. */
		if (s == f->sigs[0] || s == f->sigs[f->n - 1])
			long_values(f, items[0], s->pattern, t);
		if (s == f->sigs[0])
			random_values(f, items[0], &st, t);
	}
	/* The shipped fields all have their scan. */
	assert_int_equal(scanned, pk->nsigs);
}

static void
test_shipped_pack(void **state)
{
	struct tally t = { 0 };

	(void)state;
	differential(fx_pack, &t);
	print_message("%zu values, %zu matching\n", t.values, t.matches);
	/* Both answers, many times: else the test proves nothing. */
	assert_true(t.matches > fx_pack->nsigs * 10);
	assert_true(t.values - t.matches > fx_pack->nsigs * 10);
}

static void
test_match_types(void **state)
{
	struct tally t = { 0 };

	(void)state;
	differential(fx_types, &t);
	assert_true(t.matches > fx_types->nsigs * 10);
	assert_true(t.values - t.matches > fx_types->nsigs * 10);
}

/* Each match type's anchor. */
static void
test_anchor(void **state)
{
	static const struct {
		enum match_type	 mt;
		const char	*pattern;
		const char	*anchor;	/* NULL: none */
	} t[] = {
		{ MATCH_WORD, "Huawei YunShan OS", "huawei yunshan os" },
		{ MATCH_EXACT, "Kaspersky Lab", "kaspersky lab" },
		{ MATCH_PREFIX, "KES", "kes" },
		{ MATCH_PACKAGE, "kesl", "kesl" },
		{ MATCH_IMAGE, "AVP", "avp" },
		{ MATCH_OID, ".1.3.6.1.4.1.2011", "1.3.6.1.4.1.2011" },
		{ MATCH_PATH, "\\Kaspersky Lab\\KES\\", "kaspersky lab" },
		{ MATCH_PATH, "/opt//kaspersky/", "kaspersky" },
		{ MATCH_REGEX, "^kaspersky (internet security|free)",
		    "kaspersky " },
		{ MATCH_REGEX, "VRP \\(R\\) software", "vrp (r) software" },
		{ MATCH_REGEX, "(^|[^[:alnum:]])sun2000", "sun2000" },
		{ MATCH_REGEX, "ab*cdef", "cdef" },
		{ MATCH_REGEX, "xyab*cd", "xya" },
		{ MATCH_REGEX, "xyab?cd", "xya" },
		{ MATCH_REGEX, "xab+cd", "xab" },
		{ MATCH_REGEX, "ab|cd", NULL },
		{ MATCH_REGEX, "a.b", NULL },
		{ MATCH_WORD, "x", NULL },
		{ MATCH_CIDR, "10.0.0.0/8", NULL },
	};
	struct signature s;
	char a[RULES_MAX_PATTERN];
	size_t i, len;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		fx_make_sig(&s, t[i].mt, t[i].pattern);
		len = match_anchor(&s, a, sizeof(a));
		if (t[i].anchor == NULL ? len != 0 : len !=
		    strlen(t[i].anchor) || memcmp(a, t[i].anchor, len) != 0)
			fail_msg("'%s': anchor '%.*s', want '%s'",
			    t[i].pattern, (int)len, a, t[i].anchor ?
			    t[i].anchor : "(none)");
		/* No room: none. */
		if (len > 0)
			assert_int_equal(match_anchor(&s, a, len - 1), 0);
		free(s.norm);
	}
}

/*
 * A field of its own, with a two-byte word (every byte looked at) or
 * without (every other bigram): each word at every place of short
 * values, followed by each kind of byte, answered as the plain loop
 * answers.
 */
static void
test_own_field(void **state)
{
	static const struct {
		enum match_type	 mt;
		const char	*pattern;
	} t[] = {
		{ MATCH_WORD, "QQ" }, { MATCH_WORD, "ZTE" },
		{ MATCH_EXACT, "kesl" }, { MATCH_WORD, "zxr10" },
		{ MATCH_PATH, "\\Kaspersky Lab\\" },
		{ MATCH_REGEX, "ab*cdef" }, { MATCH_CIDR, "10.0.0.0/8" },
	};
	static const char *const words[] = { "QQ", "qQ", "zte", "ZTE",
	    "kesl", "zxr10", "Kaspersky Lab", "acdef", "abbcdef", "10.1.2.3" };
	static const char *const after[] = { "", "!", "1", " x", "QQ", "a",
	    "\\", "@", "`" };
	struct signature s[NELEM(t)];
	const struct signature *sv[NELEM(t)];
	struct sigscan *sc;
	struct observation o;
	char v[64];
	size_t i, k, pre, a, len, from, hits = 0;
	int want, got;

	(void)state;
	for (from = 0; from < 2; from++) {
		/* from 0: with "QQ"; from 1: without, every other bigram. */
		for (i = from; i < NELEM(t); i++) {
			fx_make_sig(&s[i], t[i].mt, t[i].pattern);
			if (t[i].mt == MATCH_REGEX) {
				assert_int_equal(regcomp(&s[i].re,
				    t[i].pattern, REG_EXTENDED | REG_ICASE |
				    REG_NOSUB), 0);
				s[i].has_re = 1;
			}
			sv[i] = &s[i];
		}
		assert_int_equal(sigscan_new(sv + from, NELEM(t) - from, &sc),
		    0);
		assert_non_null(sc);
		memset(&o, 0, sizeof(o));
		for (k = 0; k < NELEM(words); k++)
			for (pre = 0; pre < 4; pre++)
				for (a = 0; a < NELEM(after); a++) {
					len = 0;
					memcpy(v, " -.x", pre);
					len += pre;
					memcpy(v + len, words[k],
					    strlen(words[k]));
					len += strlen(words[k]);
					memcpy(v + len, after[a],
					    strlen(after[a]));
					len += strlen(after[a]);
					v[len] = '\0';
					o.value = v;
					o.len = len;
					want = match_row_counts_plain(sv + from,
					    NELEM(t) - from, &o);
					got = sigscan_counts(sc, &o);
					if (got != want)
						fail_msg("'%s': scan %d, plain "
						    "%d", v, got, want);
					hits += want;
				}
		free(sc);
		for (i = from; i < NELEM(t); i++) {
			if (s[i].has_re)
				regfree(&s[i].re);
			free(s[i].norm);
		}
	}
	assert_true(hits > 100);
}

/* A field too large for a scan gets none: the plain loop answers. */
static void
test_too_many(void **state)
{
	const struct signature **sv;
	struct sigscan *sc = (struct sigscan *)&sc;
	size_t i;

	(void)state;
	sv = calloc(SIGSCAN_MAX_SIGS + 1, sizeof(*sv));
	assert_non_null(sv);
	for (i = 0; i <= SIGSCAN_MAX_SIGS; i++)
		sv[i] = &fx_pack->sigs[i % fx_pack->nsigs];
	assert_int_equal(sigscan_new(sv, SIGSCAN_MAX_SIGS + 1, &sc), 0);
	assert_null(sc);
	assert_int_equal(sigscan_new(sv, 0, &sc), 0);
	assert_null(sc);
	assert_int_equal(sigscan_new(sv, SIGSCAN_MAX_SIGS, &sc), 0);
	assert_non_null(sc);
	free(sc);
	free(sv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_pack),
		cmocka_unit_test(test_match_types),
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_own_field),
		cmocka_unit_test(test_too_many),
	};

	return cmocka_run_group_tests(tests, fx_packs_setup,
	    fx_packs_teardown);
}
