/*
 * store_image: writes the C source of a new database's file image
 * (store_int.h, store_image_bytes): the schema of store_schema_new made
 * in memory by this SQLite, with the user_version and application_id a
 * banaudit database carries, as the runs of its bytes that are not zero.
 * The Makefile builds and runs it into build/gen/store_image.c.
 *
 * usage: store_image OUT.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"

/* Zero bytes a run takes in rather than end at. */
#define GAP	16

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "store_image: %s: %s\n", what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
	return 1;
}

/*
 * The end of the run of non-zero bytes that starts at img[i]: a run ends
 * at GAP zero bytes in a row, or at the image's end.
 */
static size_t
run_end(const unsigned char *img, size_t size, size_t i)
{
	size_t j, k = i;

	for (j = i; j < size && j - k < GAP; j++)
		if (img[j] != 0)
			k = j + 1;
	return k;
}

int
main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	unsigned char *img;
	sqlite3_int64 size;
	char sql[128];
	FILE *fp;
	size_t i, j, k, n = 0, runs = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: store_image OUT.c\n");
		return 2;
	}
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return fail(db, "cannot open");
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; "
	    "PRAGMA application_id = %d", STORE_SCHEMA_VERSION,
	    STORE_APPLICATION_ID);
	if (sqlite3_exec(db, store_schema_new, NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "cannot create the schema");
	img = sqlite3_serialize(db, "main", &size, 0);
	if (img == NULL || size <= 0 || size > 16 * 1024 * 1024)
		return fail(db, "cannot serialize the schema");
	fp = fopen(argv[1], "w");
	if (fp == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(fp, "/* Made by scripts/store_image.c: do not edit. */\n"
	    "#include \"store_int.h\"\n\n"
	    "const unsigned char store_image_bytes[] = {");
	for (i = 0; i < (size_t)size; ) {
		if (img[i] == 0) {
			i++;
			continue;
		}
		k = run_end(img, (size_t)size, i);
		for (j = i; j < k; j++)
			fprintf(fp, "%s%u,", n++ % 16 == 0 ? "\n\t" : "",
			    img[j]);
		runs++;
		i = k;
	}
	fprintf(fp, "\n};\n\nconst struct store_image_run "
	    "store_image_runs[] = {\n");
	for (i = 0, n = 0; i < (size_t)size; ) {
		if (img[i] == 0) {
			i++;
			continue;
		}
		k = run_end(img, (size_t)size, i);
		fprintf(fp, "\t{ %zu, %zu },\n", i, k - i);
		i = k;
	}
	fprintf(fp, "};\n\nconst unsigned store_image_nruns = %zu;\n"
	    "const unsigned store_image_size = %lld;\n", runs,
	    (long long)size);
	sqlite3_free(img);
	sqlite3_close(db);
	if (fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
