/* fuzz_targets: targets.csv (target.c through csvin and addr). */
#include <stdio.h>

#include "fuzz.h"
#include "target.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target_list tl;
	char err[ERRLEN];
	const char *path = fuzz_file(data, size);

	if (path != NULL && target_list_load(path, &tl, err,
	    sizeof(err)) == 0)
		target_list_free(&tl);
	return 0;
}
