/*
 * fuzz_unpack: a block of packed observations as a database handed over
 * from elsewhere may hold it (store_pack.c's decoder): whole and short
 * rows, a short row naming any row, values out of range, values stored
 * once (a negative length: the id of one in obs_values).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store.h"
#include "store_int.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char vals[] = "0123456789abcdefghijklmnopqrstuv";
	struct store_unpack u;
	struct store_packrow r;
	char err[ERRLEN];
	char *rows;
	size_t n = 0;

	/* The rows exactly as given: a copy of their own, no NUL after. */
	if ((rows = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(rows, data, size);
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 1000, rows, size, vals, sizeof(vals) - 1);
	while (store_unpack_next(&u, &r, err, sizeof(err)) == 1) {
		/*
		 * Every row read is whole and within the values; one naming
		 * a value stored once has no bytes of its own.
		 */
		if (r.kind == NULL || r.item == NULL || r.attr == NULL ||
		    r.id < 1000 || r.len > sizeof(vals) - 1 || r.vref < 0 ||
		    (r.vref > 0 && r.len != 0) ||
		    (const char *)r.value < vals ||
		    (const char *)r.value + r.len > vals + sizeof(vals) - 1)
			abort();
		n += strlen(r.kind) + strlen(r.item) + strlen(r.attr);
	}
	store_unpack_free(&u);
	free(rows);
	return n == (size_t)-1;
}
