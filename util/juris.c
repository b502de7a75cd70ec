/*
 * juris: jurisdictions, the parties a regulation binds, and whether it is
 * in force (see juris.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "juris.h"
#include "util.h"

struct party {
	const char		*name;
	enum juris_effect	 effect;
	const char		*text;
};

/* The order is the bit order of a party set: append only. */
static const struct party parties[] = {
	{ "federal-agencies", EFFECT_OBLIGATION, "federal agencies" },
	{ "federal-contractors", EFFECT_OBLIGATION, "federal contractors" },
	{ "state-agencies", EFFECT_OBLIGATION,
	    "state executive agencies" },
	{ "state-and-local", EFFECT_OBLIGATION,
	    "state and local government" },
	{ "infrastructure", EFFECT_OBLIGATION,
	    "owners of critical infrastructure entering into access "
	    "agreements" },
	{ "us-persons", EFFECT_OBLIGATION, "all US persons" },
	{ "federal-funding", EFFECT_FUNDING,
	    "recipients of federal grants and loans" },
	{ "fcc-funding", EFFECT_FUNDING,
	    "recipients of FCC-administered subsidies" },
	{ "vendor", EFFECT_BACKGROUND, "binds the vendor, not its users" },
	{ "equipment-authorization", EFFECT_BACKGROUND,
	    "governs new FCC equipment authorizations and marketing, not "
	    "equipment in use" },
	{ "exports", EFFECT_BACKGROUND,
	    "export controls on the vendor, not use" },
	{ "advisory", EFFECT_BACKGROUND, "an advisory, not a ban" },
};

int
juris_parse(const char *s, char *buf, size_t len)
{
	size_t n;

	if (len > 0)
		buf[0] = '\0';
	if (s == NULL || len < JURIS_LEN)
		return -1;
	n = strlen(s);
	if ((n != 2 && n != 5) || toupper((unsigned char)s[0]) != 'U' ||
	    toupper((unsigned char)s[1]) != 'S')
		return -1;
	if (n == 5 && (s[2] != '-' || !isalpha((unsigned char)s[3]) ||
	    !isalpha((unsigned char)s[4])))
		return -1;
	buf[0] = 'U';
	buf[1] = 'S';
	buf[2] = '\0';
	if (n == 5) {
		buf[2] = '-';
		buf[3] = (char)toupper((unsigned char)s[3]);
		buf[4] = (char)toupper((unsigned char)s[4]);
		buf[5] = '\0';
	}
	return 0;
}

int
juris_is_state(const char *reg)
{
	return reg != NULL && strlen(reg) == 5;
}

int
juris_covers(const char *reg, const char *host)
{
	if (reg == NULL || reg[0] == '\0')
		return 0;
	if (!juris_is_state(reg))
		return str_ieq(reg, "US");
	return host != NULL && str_ieq(reg, host);
}

int
juris_in_force(const char *effective, const char *repealed,
    const char *date)
{
	/* ISO dates compare as strings. */
	if (effective != NULL && effective[0] != '\0' &&
	    strcmp(effective, date) > 0)
		return 0;
	if (repealed != NULL && repealed[0] != '\0' &&
	    strcmp(repealed, date) <= 0)
		return 0;
	return 1;
}

int
juris_party(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NELEM(parties); i++)
		if (strcmp(parties[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
juris_party_name(int p)
{
	return p >= 0 && (size_t)p < NELEM(parties) ? parties[p].name : "?";
}

const char *
juris_party_text(int p)
{
	return p >= 0 && (size_t)p < NELEM(parties) ? parties[p].text : "?";
}

enum juris_effect
juris_party_effect(int p)
{
	return p >= 0 && (size_t)p < NELEM(parties) ? parties[p].effect :
	    EFFECT_BACKGROUND;
}

const char *
juris_party_list(void)
{
	return "federal-agencies, federal-contractors, state-agencies, "
	    "state-and-local, infrastructure, us-persons, federal-funding, "
	    "fcc-funding, vendor, equipment-authorization, exports, advisory";
}

void
juris_scope(int p, unsigned owners, int known, char *buf, size_t len)
{
	const char *text = juris_party_text(p);

	switch (juris_party_effect(p)) {
	case EFFECT_FUNDING:
		snprintf(buf, len, "funding condition (%s)", text);
		return;
	case EFFECT_BACKGROUND:
		snprintf(buf, len, "background (%s)", text);
		return;
	case EFFECT_OBLIGATION:
		break;
	}
	if (strcmp(juris_party_name(p), "us-persons") == 0 ||
	    (owners & JURIS_PARTY_BIT(p)) != 0)
		snprintf(buf, len, "obligation (%s)", text);
	else if (known)
		snprintf(buf, len, "background (binds %s)", text);
	else
		snprintf(buf, len, "applies to %s (owner's kind not given)",
		    text);
}
