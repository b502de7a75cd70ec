/* fuzz_sector: a sector profile INI (sector.c through inifile). */
#include "fuzz.h"
#include "sector.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sector_profile *sp = NULL;
	char err[ERRLEN];
	const char *path = fuzz_file_named("telecom.ini", data, size);

	if (path != NULL && sector_load(path, &sp, err, sizeof(err)) == 0)
		sector_free(sp);
	return 0;
}
