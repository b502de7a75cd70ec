/*
 * fuzz_import: an import file as "banaudit import" reads it -- format
 * detection, then the XML, JSON or CSV software-export parser and the
 * host grouping.
 */
#include "fuzz.h"
#include "import.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_set set = IMPORT_SET_INIT;
	char err[ERRLEN];

	(void)import_load_mem(&set, "fuzz", (const char *)data, size,
	    IMPORT_AUTO, err, sizeof(err));
	import_set_free(&set);
	return 0;
}
