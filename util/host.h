/*
 * host: the attributes a run gives a host -- its address and name, the
 * sector whose rules apply, the site and owner a register files it under,
 * the jurisdiction whose law binds it, and how critical it is.  One record,
 * embedded as the member "h" wherever these fields travel: a target, a
 * CSV import's host, an import's host, the store's rows, locate's
 * targets, the reports' models.
 *
 * The strings are borrowed (a target list's pool, a store row, a parser's
 * buffers): plain assignment copies a record; host_attrs_copy() copies its
 * strings into an owner's memory (a report's pool, locate's arena, an
 * import set's string list).
 */
#ifndef BANAUDIT_HOST_H
#define BANAUDIT_HOST_H

struct host_attrs {
	const char	*address;	/* IP or name as targeted, or NULL */
	const char	*name;		/* sysName / host name, or NULL */
	const char	*sector;	/* a sector profile's name, or NULL */
	const char	*site;		/* or NULL */
	const char	*owner;		/* or NULL */
	const char	*jurisdiction;	/* "US-TX" (juris.h), or NULL */
	int		 criticality;	/* 1..5, 0 = not given */
};

/*
 * Copies src into dst, each string through dup (which returns its own
 * copy, or NULL when memory runs out; it is not called for NULL): all of
 * src, or with fill set only what dst lacks (NULL strings, criticality 0).
 * -1 when dup failed (dst then holds what was copied).
 */
int	 host_attrs_copy(struct host_attrs *dst, const struct host_attrs *src,
	    int fill, const char *(*dup)(void *, const char *), void *arg);

#endif
