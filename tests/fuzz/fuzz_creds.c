/* fuzz_creds: the credentials INI (cred.c through inifile and inih). */
#include "cred.h"
#include "fuzz.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cred_set cs;
	char err[ERRLEN];
	const char *path = fuzz_file(data, size);

	if (path != NULL && cred_set_load(path, &cs, err, sizeof(err)) == 0)
		cred_set_free(&cs);
	return 0;
}
