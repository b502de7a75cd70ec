/*
 * match_memo: match_row_counts() answered from a bounded, set-associative
 * table of the values seen before, compared byte for byte.
 */
#include <sys/mman.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match_memo.h"
#include "rules.h"
#include "util.h"

/*
 * One value of one field and the test's answer, 16 bytes: a set of
 * MATCH_MEMO_WAYS entries is one cache line, and the table is a page for
 * every 64 sets.  The value's bytes (and a NUL, which the test reads) are
 * in the memo's arena at off; fid names the field (struct field), 0 an
 * empty entry.
 */
struct entry {
	uint32_t	 used;		/* the memo's tick at the last use */
	uint32_t	 off;		/* the value in the arena */
	uint16_t	 len;
	unsigned char	 fid;
	unsigned char	 counts;
	uint32_t	 ref;		/* match_memo_set_ref()'s, or 0 */
};

/*
 * A field (its signature list in the pack, rules_signatures_for(): one
 * list per (kind, attr)), its id in the entries, and whether its answer
 * may depend on the row's item.
 */
struct field {
	const struct signature *const *sv;	/* NULL: a free slot */
	int		 bound;
	unsigned char	 id;
};

#define MEMO_FIELDS	64	/* fields with an id (more: not kept) */

/*
 * A field as rules_field_for() found it for a kind and attribute: a scan's
 * rows name a few of each over and over (a walk's columns), so the last
 * few look-ups are kept, the attribute's bytes with them (a caller may
 * reuse an attribute's buffer for another).
 */
struct look {
	const char	*attr;		/* NULL: empty */
	enum obs_kind	 kind;
	char		 text[24];	/* attr's bytes, its NUL too */
	const struct rules_field *f;
	struct field	*fd;		/* f's field_of(), if it has one */
};

#define MEMO_LOOKS	4

struct match_memo {
	const struct rule_pack	*pack;
	struct field		 fields[MEMO_FIELDS];
	unsigned		 nfields;
	struct look		 looks[MEMO_LOOKS];
	unsigned		 nlooks;
	struct entry		*e;		/* sets x MATCH_MEMO_WAYS */
	size_t			 bytes;		/* e's mapping */
	size_t			 mask;		/* sets - 1 */
	unsigned char		*arena;		/* the entries' values */
	size_t			 arena_size, arena_used;
	uint32_t		 tick;
	unsigned char		*scratch;	/* a value too long to keep */
	unsigned char		*seen;		/* match_memo_twice(): marks */
	size_t			 scratch_size;
	struct match_memo_stats	 st;
	uint64_t		 gen;		/* the arena's, for keys */
	/* The entry the last test answered from or kept, or NULL. */
	struct entry		*last;
};

/*
 * The arena's generations, process-wide: a new memo and an arena started
 * over take the next, so that no two of them share a key.
 */
static uint64_t memo_gens;

static uint64_t
next_gen(void)
{
	return __atomic_add_fetch(&memo_gens, 1, __ATOMIC_RELAXED);
}

struct match_memo *
match_memo_new(const struct rule_pack *pack, size_t sets)
{
	struct match_memo *m;

	if (sets == 0)
		sets = MATCH_MEMO_SETS;
	if ((sets & (sets - 1)) != 0 ||
	    sets > SIZE_MAX / MATCH_MEMO_WAYS / MATCH_MEMO_ARENA_ENTRY / 2)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	/*
	 * Mapped, not calloc()ed: the pages stay the kernel's zero pages
	 * until an entry is written.  calloc() zeroed them by hand whenever
	 * malloc had raised its mmap threshold after freeing a large buffer
	 * (a file read whole): 512 page faults for the default table.  Small
	 * pages, not a huge one: on a virtual machine whose host takes back
	 * the guest's free memory, a huge page's first touch costs more
	 * than its faults (util/heap.h says how much).
	 */
	m->bytes = sets * MATCH_MEMO_WAYS * sizeof(*m->e);
	m->e = mmap(NULL, m->bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->e == MAP_FAILED) {
		free(m);
		return NULL;
	}
	/* The arena, as lazily: only the values kept are ever touched. */
	m->arena_size = sets * MATCH_MEMO_WAYS * MATCH_MEMO_ARENA_ENTRY +
	    MATCH_MEMO_ARENA_MIN;
	m->arena = mmap(NULL, m->arena_size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->arena == MAP_FAILED) {
		munmap(m->e, m->bytes);
		free(m);
		return NULL;
	}
	m->pack = pack;
	m->mask = sets - 1;
	m->gen = next_gen();
	return m;
}

void
match_memo_free(struct match_memo *m)
{
	if (m == NULL)
		return;
	munmap(m->e, m->bytes);
	munmap(m->arena, m->arena_size);
	free(m->seen);
	free(m->scratch);
	free(m);
}

int
match_memo_twice(struct match_memo *m)
{
	if (m->seen == NULL)
		m->seen = calloc(MATCH_MEMO_SEEN_BITS / 8, 1);
	return m->seen != NULL ? 0 : -1;
}

void
match_memo_stats(const struct match_memo *m, struct match_memo_stats *st)
{
	*st = m->st;
}

/* Picks the set: the field and the value's bytes, eight at a time. */
static uint64_t
hash_of(const void *field, const unsigned char *p, size_t n)
{
	uint64_t h, w;

	h = (uint64_t)(uintptr_t)field ^ (n * 0x9e3779b97f4a7c15ULL);
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (w = 0; n > 0; n--)
		w = w << 8 | p[n - 1];
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ h >> 29;
}

/*
 * The field of signature list sv (n signatures): its id and whether a
 * signature of it looks at the row's item, found or added (open
 * addressing by the list's address); NULL when MEMO_FIELDS are taken.
 */
static struct field *
field_of(struct match_memo *m, const struct signature *const *sv, size_t n)
{
	struct field *f;
	size_t i, k;

	i = ((uintptr_t)sv / sizeof(void *)) % MEMO_FIELDS;
	for (k = 0; k < MEMO_FIELDS; k++, i = (i + 1) % MEMO_FIELDS) {
		f = &m->fields[i];
		if (f->sv == sv)
			return f;
		if (f->sv == NULL)
			break;
	}
	if (k == MEMO_FIELDS || m->nfields >= UCHAR_MAX)
		return NULL;
	f->sv = sv;
	f->id = (unsigned char)++m->nfields;
	f->bound = 0;
	for (k = 0; k < n && !f->bound; k++)
		f->bound = sv[k]->item != NULL;
	return f;
}

/*
 * Room for a value of len bytes and its NUL in the arena: when the arena
 * is full, every entry is dropped and it starts over (a value replaced
 * in its set leaves its bytes behind until then).
 */
static unsigned char *
arena_room(struct match_memo *m, size_t len, uint32_t *off)
{
	if (m->arena_size - m->arena_used < len + 1) {
		memset(m->e, 0, m->bytes);
		m->arena_used = 0;
		m->st.resets++;
		m->gen = next_gen();
	}
	*off = (uint32_t)m->arena_used;
	m->arena_used += len + 1;
	return m->arena + *off;
}

/*
 * The key of the value kept at arena offset off: the arena's generation
 * and the offset, which no other value takes while the arena lasts (it
 * only grows, until it starts over under a new generation).
 */
static uint64_t
key_of(const struct match_memo *m, uint32_t off)
{
	return (m->gen << 32) + (uint64_t)off + 1;
}

/*
 * The test on a NUL-terminated copy of o's value (the matcher's regexec()
 * reads to a NUL): in dst when it is not NULL (an entry's room, which
 * holds len + 1 bytes), else in the memo's scratch buffer.  -1 on ENOMEM.
 */
static int
test_copy(struct match_memo *m, const struct rules_field *f,
    const struct observation *o, unsigned char *dst)
{
	struct observation t;

	if (dst == NULL) {
		if (o->len + 1 > m->scratch_size) {
			unsigned char *nv = realloc(m->scratch, o->len + 1);

			if (nv == NULL)
				return -1;
			m->scratch = nv;
			m->scratch_size = o->len + 1;
		}
		dst = m->scratch;
	}
	if (o->len > 0)
		memcpy(dst, o->value, o->len);
	dst[o->len] = '\0';
	t = *o;
	t.value = dst;
	return match_row_counts_field(f, &t) != 0;
}

/* The memo's field of f (NULL: none, or MEMO_FIELDS taken). */
static struct field *
field_of_rules(struct match_memo *m, const struct rules_field *f)
{
	return f != NULL && f->n > 0 ? field_of(m, f->sigs, f->n) : NULL;
}

/*
 * rules_field_for(o's kind and attribute), and in *fd its memo field
 * (field_of()), from the look-ups kept when it is one of them: the same
 * kind, the same attribute pointer and the same bytes.
 */
static const struct rules_field *
field_for(struct match_memo *m, const struct observation *o,
    struct field **fd)
{
	const struct rules_field *f;
	struct look *l;
	size_t i, n;

	for (i = 0; i < MEMO_LOOKS; i++) {
		l = &m->looks[i];
		if (l->attr == o->attr && l->kind == o->kind &&
		    o->attr != NULL && str_same(l->text, o->attr)) {
			*fd = l->fd;
			return l->f;
		}
	}
	if (o->attr == NULL || (n = strlen(o->attr)) >= sizeof(l->text)) {
		f = rules_field_for(m->pack, o->kind, o->attr);
		*fd = field_of_rules(m, f);
		return f;
	}
	l = &m->looks[m->nlooks++ % MEMO_LOOKS];
	l->attr = o->attr;
	l->kind = o->kind;
	memcpy(l->text, o->attr, n + 1);
	l->f = rules_field_for(m->pack, o->kind, o->attr);
	l->fd = field_of_rules(m, l->f);
	*fd = l->fd;
	return l->f;
}

int
match_memo_counts(struct match_memo *m, const struct observation *o)
{
	const struct rules_field *f;
	const struct signature *const *sv;
	struct field *fd;
	struct entry *set, *e, *old;
	unsigned char *dst;
	uint64_t h;
	uint32_t off;
	size_t w, bit;
	int counts;

	m->last = NULL;
	f = field_for(m, o, &fd);
	if (f == NULL || f->n == 0) {
		m->st.untested++;
		return 0;	/* as match_row_counts(): nothing to match */
	}
	sv = f->sigs;
	if (o->len > MATCH_MEMO_VALUE_MAX)
		goto bypass;	/* too long to keep */
	h = hash_of(sv, o->value, o->len);
	if (fd == NULL)
		goto bypass;	/* a field too many */
	set = &m->e[(h & m->mask) * MATCH_MEMO_WAYS];
	old = set;
	for (w = 0; w < MATCH_MEMO_WAYS; w++) {
		e = &set[w];
		if (e->fid == fd->id && e->len == o->len && (o->len == 0 ||
		    memcmp(m->arena + e->off, o->value, o->len) == 0)) {
			e->used = ++m->tick;
			m->st.hits++;
			m->last = e;
			return e->counts;
		}
		/* The entry to replace: an empty one, else the oldest. */
		if (old->fid != 0 && (e->fid == 0 ||
		    (uint32_t)(m->tick - e->used) >
		    (uint32_t)(m->tick - old->used)))
			old = e;
	}
	/*
	 * Not kept, and seen the first time (match_memo_twice()): marked,
	 * tested, not kept -- values seen once (each host's own sysDescr
	 * or sysName in an identity scan) leave the table and the arena
	 * untouched.  The marks are looked at after the table, so that a
	 * value the memo keeps costs one set's cache line, not two.
	 */
	bit = (size_t)(h >> 40) & (MATCH_MEMO_SEEN_BITS - 1);
	if (m->seen != NULL && !(m->seen[bit / 8] & (1u << (bit % 8)))) {
		m->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
		m->st.once++;
		return test_copy(m, f, o, NULL);
	}
	if (fd->bound)
		goto bypass;
	/* Tested on the entry's own copy, which it then keeps. */
	dst = arena_room(m, o->len, &off);
	counts = test_copy(m, f, o, dst);
	old->fid = fd->id;
	old->off = off;
	old->len = (uint16_t)o->len;
	old->counts = (unsigned char)counts;
	old->used = ++m->tick;
	old->ref = 0;
	m->st.misses++;
	m->last = old;
	return counts;
bypass:
	m->st.bypassed++;
	return test_copy(m, f, o, NULL);
}

uint64_t
match_memo_key(const struct match_memo *m)
{
	return m->last != NULL ? key_of(m, m->last->off) : 0;
}

uint32_t
match_memo_ref(const struct match_memo *m)
{
	return m->last != NULL ? m->last->ref : 0;
}

void
match_memo_set_ref(struct match_memo *m, uint32_t ref)
{
	if (m->last != NULL)
		m->last->ref = ref;
}
