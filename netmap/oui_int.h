/*
 * oui_int: what the registry (oui.c) and its file formats (oui_formats.c)
 * share: a load in progress, whose rows the formats hand to
 * oui_add_entry(), and the prefix bounds.  Private to the two files.
 */
#ifndef BANAUDIT_OUI_INT_H
#define BANAUDIT_OUI_INT_H

#include <stddef.h>
#include <stdint.h>

struct oui_registry;

#define MAC_MASK	0xffffffffffffULL
#define MIN_BITS	24
#define MAX_BITS	48

/* What a source's rows were: IEEE registries, or manuf prefix lengths. */
enum kind {
	K_MAL, K_MAM, K_MAS, K_IAB, K_CID,
	K_24, K_28, K_36, K_OTHER, K_GROUP,
	K__COUNT
};

struct source {
	char		*label;
	int64_t		 date;		/* Unix time; 0: unknown */
	size_t		 n[K__COUNT];
	size_t		 overrides;	/* won over earlier sources */
};

/*
 * One load in progress.  The format readers hand each row to add(): one
 * prefix and its name; 0, or -1 with a message in err.
 */
struct load {
	int			(*add)(struct load *, uint64_t prefix,
				    int bits, char *name, char *err,
				    size_t errlen);
	struct oui_registry	*reg;
	struct source		 s;
	uint16_t		 id;
	int			 header_seen;
	int			 col[3]; /* registry, assignment, name */
};

/*
 * The formats (oui_formats.c).  Each reads the len bytes at buf (name for
 * messages, "FILE:LINE: message") into ld; 0 or -1.  oui_load_manuf()
 * writes into buf, which must have a NUL after the len bytes.
 */
int	 oui_load_csv(struct load *, const char *name, const char *buf,
	    size_t len, char *err, size_t errlen);
int	 oui_load_manuf(struct load *, const char *name, char *buf,
	    size_t len, char *err, size_t errlen);
/* Does p, the first non-blank line of a file, look like manuf? */
int	 oui_looks_like_manuf(const char *p);

#endif /* BANAUDIT_OUI_INT_H */
