/*
 * host: one record for the attributes a run gives a host (host.h).
 */
#include <stddef.h>

#include "host.h"

int
host_attrs_copy(struct host_attrs *dst, const struct host_attrs *src,
    int fill, const char *(*dup)(void *, const char *), void *arg)
{
	const char **d[] = {
		&dst->address, &dst->name, &dst->sector, &dst->site,
		&dst->owner, &dst->jurisdiction
	};
	const char *const s[] = {
		src->address, src->name, src->sector, src->site, src->owner,
		src->jurisdiction
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (fill && *d[i] != NULL)
			continue;
		*d[i] = NULL;
		if (s[i] == NULL)
			continue;
		*d[i] = dup(arg, s[i]);
		if (*d[i] == NULL)
			rc = -1;
	}
	if (!fill || dst->criticality == 0)
		dst->criticality = src->criticality;
	return rc;
}
