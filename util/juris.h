/*
 * juris: where a law applies and whom it binds -- the vocabulary the rule
 * pack, the sector profiles and the inputs share, and the test that says
 * whether a regulation is in force for one host on one day.  Plain
 * strings in and out (no rule-pack types), so every layer can use it.
 *
 * Jurisdictions are ISO 3166-2 codes of the United States: "US" alone
 * (federal law only) or "US-" and a two-letter subdivision code ("US-TX",
 * "US-MD", "US-DC", "US-PR").  They are compared without regard to case
 * and written in upper case.  A federal regulation ("US") applies to
 * every host; a state's ("US-TX") only to hosts of that state; a host
 * with no jurisdiction gets federal law only.
 *
 * A regulation binds one party (rules/regulations.csv "binds"); what that
 * means for a host's owner is its binding scope:
 *   obligation         the owner is of the bound kind (the sector profile
 *                      says which kinds its owners are; "us-persons"
 *                      binds everyone);
 *   funding condition  it binds recipients of federal or FCC funds: a
 *                      condition of taking them, never a bare obligation;
 *   background         it binds someone else (the vendor, makers seeking
 *                      an FCC authorization, federal agencies when the
 *                      owner is not one) or is an advisory: a risk, not a
 *                      duty.
 */
#ifndef BANAUDIT_JURIS_H
#define BANAUDIT_JURIS_H

#include <stddef.h>

/* "US-XX" and its NUL. */
#define JURIS_LEN	6

/*
 * Checks and normalises a jurisdiction: "us-tx" -> "US-TX" in buf (at
 * least JURIS_LEN bytes).  Returns 0, or -1 for anything else (then buf
 * is "").
 */
int	 juris_parse(const char *s, char *buf, size_t len);

/*
 * Does a regulation of jurisdiction reg cover a host of jurisdiction
 * host (NULL or "" when none was given)?  Both as juris_parse() accepts.
 */
int	 juris_covers(const char *reg, const char *host);

/* Is reg a state's (or territory's) jurisdiction, not federal? */
int	 juris_is_state(const char *reg);

/*
 * Is a regulation in force on date ("YYYY-MM-DD"): effective on or before
 * it (an empty or NULL effective date counts as always) and not repealed
 * on or before it (repealed NULL or "" when never)?
 */
int	 juris_in_force(const char *effective, const char *repealed,
	    const char *date);

enum juris_effect {
	EFFECT_OBLIGATION,	/* binds owners of its party */
	EFFECT_FUNDING,		/* a condition of federal or FCC funds */
	EFFECT_BACKGROUND	/* binds nobody who owns hosts */
};

/* The parties a regulation may bind, by name; -1 when unknown. */
int	 juris_party(const char *name);
/* The name ("state-agencies") and reading ("state agencies") of one. */
const char	*juris_party_name(int party);
const char	*juris_party_text(int party);
/* "federal-agencies, federal-contractors, ..." for error messages. */
const char	*juris_party_list(void);
enum juris_effect juris_party_effect(int party);

/* A set of parties, as a bit mask (1u << party). */
#define JURIS_PARTY_BIT(p)	(1u << (unsigned)(p))

/*
 * Writes what a regulation binding party means for a host's owner into
 * buf: "obligation (state agencies)", "funding condition (recipients of
 * federal grants and loans)", "background (binds the vendor, not its
 * users)".  owners is the set of parties the owner belongs to (the
 * sector profile's); known is 0 when no profile says, and then an
 * obligation reads "applies to state agencies (owner's kind not given)".
 */
void	 juris_scope(int party, unsigned owners, int known, char *buf,
	    size_t len);

#endif
