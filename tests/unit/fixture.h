/*
 * fixture: what several unit tests need of the library's data and that
 * the library itself has no use for (so it is not in the library).
 */
#ifndef BANAUDIT_TEST_FIXTURE_H
#define BANAUDIT_TEST_FIXTURE_H

#include <string.h>

#include "rules.h"

/* The signature of pack with id, or NULL. */
static inline const struct signature *
sig_find(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsigs; i++)
		if (strcmp(p->sigs[i].id, id) == 0)
			return &p->sigs[i];
	return NULL;
}

#endif
