/*
 * tmpfile: the temporary files harnesses hand to parsers that read a
 * path: one private directory per process, removed at exit.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[PATH_MAX];
static char names[8][64];
static size_t nnames;

static void
cleanup(void)
{
	char p[PATH_MAX + 80];
	size_t i;

	for (i = 0; i < nnames; i++) {
		snprintf(p, sizeof(p), "%s/%.63s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

const char *
fuzz_file_named(const char *name, const uint8_t *data, size_t size)
{
	static char path[PATH_MAX + 80];
	const char *tmp = getenv("TMPDIR");
	size_t i;
	int fd;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "%s/banaudit-fuzz.XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			return NULL;
		atexit(cleanup);
	}
	for (i = 0; i < nnames && strcmp(names[i], name) != 0; i++)
		;
	if (i == nnames) {
		if (nnames == 8 || strlen(name) >= sizeof(names[0]))
			return NULL;
		snprintf(names[nnames++], sizeof(names[0]), "%s", name);
	}
	snprintf(path, sizeof(path), "%s/%.63s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		return NULL;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	return fuzz_file_named("input", data, size);
}
