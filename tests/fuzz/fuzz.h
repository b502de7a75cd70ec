/*
 * fuzz: what every harness of tests/fuzz shares.  A harness is one
 * fuzz_NAME.c defining LLVMFuzzerTestOneInput() over one parser of
 * banaudit; it is linked either with libFuzzer (clang -fsanitize=fuzzer,
 * "make fuzz") or with driver.c, a plain main() that feeds it files
 * ("make check" replays corpus/NAME/ and regress/NAME/ through it, built
 * with gcc, so CI needs no fuzzing runtime).
 *
 * A harness MUST free everything it allocates and MUST NOT write outside
 * its own temporary file: the same process runs millions of inputs.
 */
#ifndef BANAUDIT_FUZZ_H
#define BANAUDIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * For parsers that read a path: writes data into this process's own
 * temporary file (mode 0600, owned by the user, removed at exit) and
 * returns its path, or NULL.  The path stays the same for every input.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/* The same for a second, independent file (name ends in suffix once). */
const char *fuzz_file_named(const char *name, const uint8_t *data,
	    size_t size);

#endif
