/*
 * fixture: what several unit tests need of the library's data and that
 * the library itself has no use for (so it is not in the library): a
 * rule pack's signature by id, a store opened, a run begun and ended (the
 * test fails when the store refuses), a temporary folder removed, a UDP
 * port on loopback that never answers.
 */
#ifndef BANAUDIT_TEST_FIXTURE_H
#define BANAUDIT_TEST_FIXTURE_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rules.h"
#include "store.h"
#include "util.h"

/* The signature of pack with id, or NULL. */
static inline const struct signature *
sig_find(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsigs; i++)
		if (strcmp(p->sigs[i].id, id) == 0)
			return &p->sigs[i];
	return NULL;
}

/* The store at path opened in mode m; the test fails if it cannot be. */
static inline struct store *
open_ok(const char *path, enum store_mode m)
{
	struct store *s = NULL;
	char err[ERRLEN];

	if (store_open(path, m, &s, err, sizeof(err)) != 0)
		fail_msg("store_open(%s): %s", path, err);
	assert_non_null(s);
	return s;
}

/* A scan run of scope begun at started (rules 2026.11.0); its id. */
static inline int64_t
begin_run(struct store *s, const char *scope, int64_t started)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.started = started;
	ri.tool_version = "0.1.0";
	ri.rules_version = "2026.11.0";
	if (store_run_begin(s, &ri, err, sizeof(err)) != 0)
		fail_msg("store_run_begin: %s", err);
	return ri.id;
}

static inline void
end_run(struct store *s, int64_t run, enum run_status st)
{
	char err[ERRLEN];

	if (store_run_end(s, run, st, err, sizeof(err)) != 0)
		fail_msg("store_run_end: %s", err);
}

/* Removes the files (and empty folders) in dir, then dir. */
static inline void
rm_tree(const char *dir)
{
	struct dirent *de;
	char p[PATH_MAX];
	DIR *d;
	int n;

	d = opendir(dir);
	if (d != NULL) {
		for (de = readdir(d); de != NULL; de = readdir(d)) {
			if (de->d_name[0] == '.')
				continue;
			n = snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			if (n < 0 || (size_t)n >= sizeof(p))
				continue;	/* no such path: rmdir(dir) fails */
			if (unlink(p) == -1)
				rmdir(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/*
 * A UDP socket bound to 127.0.0.1 on a port the kernel picks, never read:
 * an SNMP target there times out, and no other test's daemon can hold the
 * port.  Returns the socket (the caller closes it) with *port set, or -1.
 */
static inline int
udp_silent(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

#endif
