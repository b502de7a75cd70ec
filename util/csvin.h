/*
 * csvin: reads RFC 4180 files through libcsv, record by record, with the
 * physical line number each record starts on -- so that every input error
 * can say "FILE:LINE: message".  Used for targets.csv, the rule pack and CSV
 * imports.  Bounded: a field longer than CSVIN_MAX_FIELD or a record of more
 * than CSVIN_MAX_FIELDS fields is an error, not a crash.
 */
#ifndef BANAUDIT_CSVIN_H
#define BANAUDIT_CSVIN_H

#include <stddef.h>

#define CSVIN_MAX_FIELD		65536
#define CSVIN_MAX_FIELDS	256

/*
 * Called once per record (the header row too).  fields[i] are
 * NUL-terminated, borrowed until the callback returns.  Return 0 to go on,
 * -1 to stop with the message written into err (without "FILE:LINE: ";
 * csvin_read adds it).
 */
typedef int (*csvin_row_fn)(void *arg, unsigned line, char **fields,
    size_t nfields, char *err, size_t errlen);

/*
 * Reads path ("-" is not accepted).  Blank lines are skipped.  A UTF-8 BOM
 * is ignored.  Returns 0, or -1 with "FILE:LINE: message" in err.
 */
int	 csvin_read(const char *path, csvin_row_fn, void *arg, char *err,
	    size_t errlen);

/* Same over a memory buffer; name is used in messages. */
int	 csvin_read_mem(const char *name, const char *buf, size_t len,
	    csvin_row_fn, void *arg, char *err, size_t errlen);
/* Same with another field delimiter (';' in GLPI exports, '\t'). */
int	 csvin_read_mem_delim(const char *name, const char *buf, size_t len,
	    unsigned char delim, csvin_row_fn, void *arg, char *err,
	    size_t errlen);

/*
 * Maps a header row onto known column names (case-insensitive, trimmed).
 * idx[k] receives the field index of known[k], or -1.  Unknown or
 * duplicated columns are an error unless allow_unknown is set.  Returns 0
 * or -1 with a message naming the column.
 */
int	 csvin_header(char **fields, size_t nfields, const char *const *known,
	    size_t nknown, int *idx, int allow_unknown, char *err,
	    size_t errlen);

#endif
