/* main: the banaudit command line (skeleton; subcommands land with the core). */
#include <stdio.h>
#include <string.h>

#include "util.h"

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("banaudit %s\n", BANAUDIT_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: banaudit --version\n");
	return 2;
}
