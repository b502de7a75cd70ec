/*
 * fuzz_rules: the rule pack's CSV files.  The input is split on the first
 * two form feeds into regulations.csv, rules.csv and signatures.csv (a
 * missing part is an empty file), so one input reaches the checks across
 * files as well as each file's rows.
 */
#include <string.h>

#include "fuzz.h"
#include "rules.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"regulations.csv", "rules.csv", "signatures.csv"
	};
	static const char version[] = "2026.01.0\n";
	struct rule_pack *pack = NULL;
	char err[ERRLEN], dir[4096];
	const uint8_t *p = data, *end = data + size, *ff;
	const char *path = NULL, *slash;
	size_t i;

	for (i = 0; i < 3; i++) {
		ff = i < 2 ? memchr(p, '\f', (size_t)(end - p)) : NULL;
		if (ff == NULL)
			ff = end;
		path = fuzz_file_named(names[i], p, (size_t)(ff - p));
		if (path == NULL)
			return 0;
		p = ff < end ? ff + 1 : end;
	}
	if (fuzz_file_named("VERSION", (const uint8_t *)version,
	    sizeof(version) - 1) == NULL)
		return 0;
	slash = strrchr(path, '/');
	if (slash == NULL || (size_t)(slash - path) >= sizeof(dir))
		return 0;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (rules_load(dir, &pack, err, sizeof(err)) == 0)
		rules_free(pack);
	return 0;
}
