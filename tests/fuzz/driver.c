/*
 * driver: replays inputs through one harness without libFuzzer.
 *
 *   replay_NAME FILE|DIR...
 *
 * Every regular file named (directories are read one level deep, in name
 * order) is passed to LLVMFuzzerTestOneInput() once.  Exit 0 when every
 * input ran (a crash or a sanitizer report ends the process instead), 2
 * for unreadable arguments.  Built with gcc by "make", so "make check"
 * replays the seed corpora and regression inputs on any machine.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Larger inputs are not corpus material; refused rather than read. */
#define REPLAY_MAX	(16u << 20)

static int
replay_file(const char *path, size_t *n)
{
	struct stat st;
	uint8_t *buf;
	FILE *fp;
	size_t len;

	fp = fopen(path, "rb");
	if (fp == NULL || fstat(fileno(fp), &st) == -1 ||
	    !S_ISREG(st.st_mode) || (size_t)st.st_size > REPLAY_MAX) {
		fprintf(stderr, "replay: %s: %s\n", path, fp == NULL ?
		    strerror(errno) : "not a regular file of at most 16 MiB");
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fclose(fp);
		return -1;
	}
	len = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	(*n)++;
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
main(int argc, char *argv[])
{
	struct dirent **ents;
	struct stat st;
	char path[4096];
	size_t n = 0;
	int i, k, m, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 2;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i], &n) != 0)
				rc = 2;
			continue;
		}
		m = scandir(argv[i], &ents, NULL, by_name);
		if (m < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 2;
			continue;
		}
		for (k = 0; k < m; k++) {
			if (ents[k]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    ents[k]->d_name);
				if (replay_file(path, &n) != 0)
					rc = 2;
			}
			free(ents[k]);
		}
		free(ents);
	}
	printf("%zu inputs\n", n);
	return rc;
}
