/*
 * Unit tests for cred: every protocol, every validation error at its
 * FILE:LINE (fixtures under tests/data/creds/: NAME.ini with the expected
 * message in NAME.err, "FILE" standing for the path), file type, owner and
 * mode checks, size and line bounds, and secrets kept out of messages.
 *
 * git keeps no file modes but 0644/0755, so every fixture is copied into a
 * mkdtemp() directory and chmod'ed there.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <ini.h>

#include "cred.h"
#include "target.h"
#include "util.h"

#define DATA	"tests/data/creds/"
/* Every bad fixture hides one of these in a secret value. */
#define CANARY	"CANARY"

static char tmpdir[64];
static char staged[128][128];
static size_t nstaged;

static const char *stage(const char *, mode_t);

static int
setup(void **state)
{
	(void)state;
	str_copy(tmpdir, "/tmp/test_cred.XXXXXX", sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* The CA file good.ini names, beside it. */
	stage("ca.pem", 0644);
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nstaged; i++)
		unlink(staged[i]);
	nstaged = 0;
	return rmdir(tmpdir);
}

/* Remembers a path in tmpdir for teardown; returns it. */
static const char *
tmp_path(const char *name)
{
	size_t i;

	for (i = 0; i < nstaged; i++)
		if (strcmp(strrchr(staged[i], '/') + 1, name) == 0)
			return staged[i];
	assert_true(nstaged < NELEM(staged));
	snprintf(staged[nstaged], sizeof(staged[0]), "%s/%s", tmpdir, name);
	return staged[nstaged++];
}

/* Writes n bytes of s as tmpdir/name with the given mode. */
static const char *
write_file(const char *name, const char *s, size_t n, mode_t mode)
{
	const char *path = tmp_path(name);
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Copies tests/data/creds/NAME into tmpdir with the given mode. */
static const char *
stage(const char *name, mode_t mode)
{
	char src[256], *buf;
	const char *path;
	FILE *fp;
	long n;

	snprintf(src, sizeof(src), DATA "%s", name);
	fp = fopen(src, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	path = write_file(name, buf, (size_t)n, mode);
	free(buf);
	return path;
}

static const struct cred_profile *
must_find(const struct cred_set *cs, const char *name)
{
	const struct cred_profile *p = cred_find(cs, name);

	if (p == NULL)
		fail_msg("no profile '%s'", name);
	return p;
}

static void
test_good_file(void **state)
{
	struct cred_set cs;
	const struct cred_profile *p;
	const char *path;
	static const char rel[] = "[a]\nagent_type = glpi\n"
	    "agent_token = t\nca_file = sub/missing.pem\n";
	char err[ERRLEN], want[ERRLEN], ca[128];

	(void)state;
	path = stage("good.ini", 0600);
	snprintf(ca, sizeof(ca), "%s/ca.pem", tmpdir);
	err[0] = '\0';
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cs.n, 15);
	assert_string_equal(cs.path, path);

	p = must_find(&cs, "office-v2c");
	assert_int_equal(p->type, CRED_SNMP);
	assert_int_equal(p->version, SNMP_V2C);
	assert_int_equal(p->line, 4);
	/* ';' without white space before it is part of the value. */
	assert_string_equal(p->community, "pub;lic#1=x");

	p = must_find(&cs, "legacy_v1");
	assert_int_equal(p->version, SNMP_V1);
	assert_int_equal(p->line, 8);
	assert_string_equal(p->community, "old-public");	/* indented */

	p = must_find(&cs, "CORE-V3");		/* case-insensitive */
	assert_string_equal(p->name, "core-v3");
	assert_int_equal(p->version, SNMP_V3);
	assert_null(p->community);
	assert_string_equal(p->username, "auditor");
	assert_int_equal(p->auth, AUTH_SHA256);
	assert_string_equal(p->auth_pass, "auth pass phrase");
	assert_int_equal(p->priv, PRIV_AES128);
	assert_string_equal(p->priv_pass, "priv-pass-phrase");
	assert_string_equal(p->context, "ctx1");

	p = must_find(&cs, "v3.noauth");
	assert_int_equal(p->auth, AUTH_NONE);
	assert_int_equal(p->priv, PRIV_NONE);
	assert_null(p->auth_pass);
	assert_null(p->priv_pass);
	assert_null(p->context);

	p = must_find(&cs, "v3-md5-des");
	assert_int_equal(p->auth, AUTH_MD5);
	assert_int_equal(p->priv, PRIV_DES);
	assert_string_equal(p->priv_pass, "87654321");
	p = must_find(&cs, "v3-sha1");
	assert_int_equal(p->auth, AUTH_SHA);
	assert_int_equal(p->priv, PRIV_AES128);
	p = must_find(&cs, "v3-sha");
	assert_int_equal(p->auth, AUTH_SHA);
	assert_int_equal(p->priv, PRIV_NONE);
	p = must_find(&cs, "v3-sha224-aes192");
	assert_int_equal(p->auth, AUTH_SHA224);
	assert_int_equal(p->priv, PRIV_AES192);
	p = must_find(&cs, "v3-sha384-aes256");
	assert_int_equal(p->auth, AUTH_SHA384);
	assert_int_equal(p->priv, PRIV_AES256);
	p = must_find(&cs, "v3-sha512");
	assert_int_equal(p->auth, AUTH_SHA512);
	p = must_find(&cs, "v3-aliases");
	assert_int_equal(p->auth, AUTH_SHA);
	assert_int_equal(p->priv, PRIV_AES256);

	p = must_find(&cs, "fi-agents");
	assert_int_equal(p->type, CRED_AGENT);
	assert_int_equal(p->agent, AGENT_FUSIONINVENTORY);
	assert_string_equal(p->token, "tok-en");
	/* Relative to the credentials file, not to the working directory. */
	assert_string_equal(p->ca_file, ca);
	assert_non_null(strstr(p->pinned_pubkey, ";sha256//t62CeU2"));
	p = must_find(&cs, "glpi-server");
	assert_int_equal(p->type, CRED_SERVER);
	assert_int_equal(p->server, SERVER_GLPI);
	assert_string_equal(p->server_url,
	    "https://glpi.example.org/apirest.php");
	assert_string_equal(p->app_token, "app-token-1");
	assert_string_equal(p->user_token, "user-token-1");
	assert_string_equal(p->ca_file, ca);
	assert_null(p->token);

	p = must_find(&cs, "wazuh");
	assert_int_equal(p->type, CRED_SERVER);
	assert_int_equal(p->server, SERVER_WAZUH);
	assert_string_equal(p->server_url, "https://wazuh.example.org:55000");
	assert_string_equal(p->username, "wazuh-ro");
	assert_string_equal(p->password, "wazuh-pass-1");
	assert_null(p->user_token);
	assert_non_null(p->pinned_pubkey);

	p = must_find(&cs, "glpi");
	assert_int_equal(p->type, CRED_AGENT);
	assert_null(p->ca_file);
	assert_null(p->pinned_pubkey);

	assert_null(cred_find(&cs, "nosuch"));
	cred_set_free(&cs);

	/* A relative ca_file that is not beside the file. */
	path = write_file("rel.ini", rel, strlen(rel), 0600);
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:4: ca_file: No such file or "
	    "directory", path);
	assert_string_equal(err, want);
	assert_null(cred_find(NULL, "x"));
	cred_set_free(&cs);
	assert_null(cs.v);
	assert_int_equal(cs.n, 0);
	cred_set_free(&cs);
	cred_set_free(NULL);
}

static void
test_crlf_bom(void **state)
{
	struct cred_set cs;
	const char *path;
	char err[ERRLEN];

	(void)state;
	path = stage("crlf-bom.ini", 0400);
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.v[0].name, "crlf");
	assert_string_equal(cs.v[0].community, "crlf-community");
	cred_set_free(&cs);
}

/* Loads a staged fixture expecting failure; checks the message. */
static void
expect_error(const char *path, const char *want)
{
	struct cred_set cs;
	char err[ERRLEN];

	memset(err, 0, sizeof(err));
	if (cred_set_load(path, &cs, err, sizeof(err)) != -1)
		fail_msg("%s: loaded", path);
	if (strcmp(err, want) != 0)
		fail_msg("%s\n got: %s\nwant: %s", path, err, want);
	if (strstr(err, CANARY) != NULL)
		fail_msg("%s: a secret leaked into '%s'", path, err);
	assert_null(cs.v);
	assert_int_equal(cs.n, 0);
}

static void
test_error_fixtures(void **state)
{
	static const char *const names[] = {
		"key-before-section", "unknown-key", "unknown-key-odd",
		"unknown-key-upper",
		"duplicate-key", "duplicate-section", "bad-section-name",
		"long-section-name", "empty-section-name",
		"section-no-bracket", "section-junk", "empty-section",
		"empty-last-section", "no-type", "both-types", "bad-version",
		"v2c-no-community", "v1-no-community", "v3-no-username",
		"community-in-v3", "token-in-snmp", "passphrase-in-v1",
		"community-in-agent", "username-in-v2c",
		"auth-pass-no-proto", "auth-proto-no-pass",
		"priv-pass-no-proto", "priv-proto-no-pass",
		"priv-without-auth", "short-auth-pass", "short-priv-pass",
		"bad-auth-proto", "bad-priv-proto", "long-username",
		"agent-no-token", "bad-agent-type", "ca-file-missing",
		"ca-file-dir", "bad-pinned", "syntax-error", "empty-value",
		"empty", "comments-only", "server-no-token", "server-bad-url",
		"bad-server-type", "token-in-server", "wazuh-no-password",
		"token-in-wazuh", "long-context", "wazuh-no-username",
		"server-no-url", "long-community",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		char file[256], line[ERRLEN / 2], want[ERRLEN];
		const char *path;
		FILE *fp;

		snprintf(file, sizeof(file), DATA "%s.err", names[i]);
		fp = fopen(file, "r");
		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof(line), fp));
		fclose(fp);
		line[strcspn(line, "\n")] = '\0';
		assert_memory_equal(line, "FILE", 4);
		snprintf(file, sizeof(file), "%s.ini", names[i]);
		path = stage(file, 0600);
		snprintf(want, sizeof(want), "%s%s", path, line + 4);
		expect_error(path, want);
		unlink(path);
	}
}

static void
test_modes(void **state)
{
	static const struct {
		mode_t	 mode;
		int	 ok;
	} cases[] = {
		{ 0600, 1 }, { 0400, 1 }, { 0644, 0 }, { 0640, 0 },
		{ 0604, 0 }, { 0700, 0 }, { 0660, 0 }, { 0200, 0 },
		{ 04600, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		struct cred_set cs;
		char err[ERRLEN], want[ERRLEN];
		const char *path = stage("good.ini", cases[i].mode);
		int rc = cred_set_load(path, &cs, err, sizeof(err));

		if (cases[i].ok) {
			if (rc != 0)
				fail_msg("mode %04o: %s",
				    (unsigned)cases[i].mode, err);
			cred_set_free(&cs);
			continue;
		}
		snprintf(want, sizeof(want), "%s: mode %04o; must be 0600 or "
		    "0400", path, (unsigned)cases[i].mode);
		assert_int_equal(rc, -1);
		assert_string_equal(err, want);
	}
	{
		char err[ERRLEN];
		struct cred_set cs;
		const char *path = stage("good.ini", 0644);

		/* The message the brief quotes, literally. */
		assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "good.ini: mode 0644; must be "
		    "0600 or 0400"));
	}
}

static void
test_not_regular(void **state)
{
	struct cred_set cs;
	char err[ERRLEN], want[ERRLEN];
	const char *target, *link, *fifo;

	(void)state;
	target = stage("good.ini", 0600);
	link = tmp_path("link.ini");
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(cred_set_load(link, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is a symbolic link; refusing to "
	    "follow it", link);
	assert_string_equal(err, want);

	/* A dangling link is refused the same way. */
	unlink(link);
	assert_int_equal(symlink("/nonexistent", link), 0);
	assert_int_equal(cred_set_load(link, &cs, err, sizeof(err)), -1);
	assert_string_equal(err, want);

	assert_int_equal(cred_set_load(tmpdir, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", tmpdir);
	assert_string_equal(err, want);

	/* A FIFO must not block the open. */
	fifo = tmp_path("fifo.ini");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cred_set_load(fifo, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", fifo);
	assert_string_equal(err, want);

	assert_int_equal(cred_set_load("/nonexistent/creds.ini", &cs, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/creds.ini: No such file or "
	    "directory");
}

static void
test_wrong_owner(void **state)
{
	struct cred_set cs;
	char err[ERRLEN], want[ERRLEN];
	const char *path;

	(void)state;
	if (geteuid() != 0) {
		print_message("SKIP: the wrong-owner case needs root to "
		    "chown a file to another user (t_cred_owner.sh checks "
		    "it as nobody)\n");
		skip();
	}
	path = stage("good.ini", 0600);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: owned by uid 65534; must be owned "
	    "by uid 0, who runs banaudit", path);
	assert_string_equal(err, want);
}

static void
test_size_limit(void **state)
{
	static const char head[] = "[big]\nsnmp_version = 2c\n"
	    "community = " CANARY "-big\n";
	struct cred_set cs;
	char err[ERRLEN], want[ERRLEN], *buf;
	const char *path;
	size_t n = CRED_MAX_FILE, i;

	(void)state;
	/* Exactly CRED_MAX_FILE bytes: a profile, then comment lines. */
	buf = malloc(n + 1);
	assert_non_null(buf);
	memcpy(buf, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < n; i++)
		buf[i] = (i % 100 == 99 || i == n - 1) ? '\n' : '#';
	buf[sizeof(head) - 1] = '#';
	path = write_file("big.ini", buf, n, 0600);
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.v[0].community, CANARY "-big");
	cred_set_free(&cs);

	/* One byte more is refused before parsing. */
	buf[n] = '\n';
	path = write_file("big.ini", buf, n + 1, 0600);
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: larger than 1048576 bytes", path);
	assert_string_equal(err, want);
	free(buf);
}

/* Builds "[l]\nsnmp_version = 2c\ncommunity = <pad>" of a line length. */
static const char *
long_line_file(size_t linelen, const char *eol)
{
	static const char head[] = "[l]\nsnmp_version = 3\n";
	static const char key[] = "auth_passphrase = ";
	static const char tail[] = "username = u\nauth_protocol = SHA\n"
	    "[after]\nsnmp_version = 1\ncommunity = c\n";
	char buf[CRED_MAX_LINE * 2 + 64];
	size_t o = 0, pad = linelen - (sizeof(key) - 1);

	memcpy(buf + o, head, sizeof(head) - 1);
	o += sizeof(head) - 1;
	memcpy(buf + o, key, sizeof(key) - 1);
	o += sizeof(key) - 1;
	memcpy(buf + o, CANARY, strlen(CANARY));
	memset(buf + o + strlen(CANARY), 'x', pad - strlen(CANARY));
	o += pad;
	memcpy(buf + o, eol, strlen(eol));
	o += strlen(eol);
	memcpy(buf + o, tail, sizeof(tail) - 1);
	o += sizeof(tail) - 1;
	return write_file("long.ini", buf, o, 0600);
}

static void
test_long_lines(void **state)
{
	struct cred_set cs;
	char err[ERRLEN], want[ERRLEN];
	const char *path;
	int saved = ini_max_line;

	(void)state;
	/*
	 * CRED_MAX_LINE characters fit, with "\n" or "\r\n" (a passphrase:
	 * a community is held to CRED_MAX_COMMUNITY).
	 */
	path = long_line_file(CRED_MAX_LINE, "\n");
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(strlen(cs.v[0].auth_pass), CRED_MAX_LINE - 18);
	assert_string_equal(cs.v[1].name, "after");
	cred_set_free(&cs);
	path = long_line_file(CRED_MAX_LINE, "\r\n");
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(strlen(cs.v[0].auth_pass), CRED_MAX_LINE - 18);
	cred_set_free(&cs);

	/*
	 * One more is an error, not a value cut short with the rest read
	 * as the next line (inih's behaviour by default).
	 */
	path = long_line_file(CRED_MAX_LINE + 1, "\n");
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: line longer than %d characters",
	    path, CRED_MAX_LINE);
	assert_string_equal(err, want);
	assert_null(strstr(err, CANARY));
	/* Far longer than inih's default 200 is the same error. */
	path = long_line_file(CRED_MAX_LINE + 500, "\n");
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	/* inih's process-wide options are restored. */
	assert_int_equal(ini_max_line, saved);
}

/*
 * 2026-12-06: a community net-snmp cannot read answers to (over 256
 * bytes, with "@VLAN") made every host "no response" or the scan fail;
 * CRED_MAX_COMMUNITY (250) is the longest taken (one more:
 * long-community.ini).
 */
static void
test_community_limit(void **state)
{
	char buf[CRED_MAX_COMMUNITY + 64], err[ERRLEN];
	struct cred_set cs;
	const char *path;
	int n;

	(void)state;
	n = snprintf(buf, sizeof(buf), "[x]\nsnmp_version = 2c\ncommunity = "
	    "%s%0*d\n", CANARY, CRED_MAX_COMMUNITY - (int)strlen(CANARY), 0);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	path = write_file("community.ini", buf, (size_t)n, 0600);
	if (cred_set_load(path, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(strlen(cs.v[0].community), CRED_MAX_COMMUNITY);
	cred_set_free(&cs);
	unlink(path);
}

static void
test_nul_byte(void **state)
{
	static const char in[] = "[x]\nsnmp_version = 2c\ncommunity = "
	    CANARY "\0tail\n";
	struct cred_set cs;
	char err[ERRLEN], want[ERRLEN];
	const char *path;

	(void)state;
	path = write_file("nul.ini", in, sizeof(in) - 1, 0600);
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: NUL byte in text", path);
	assert_string_equal(err, want);
}

/* A tiny error buffer truncates, never overflows. */
static void
test_small_error_buffer(void **state)
{
	struct cred_set cs;
	char err[16];
	const char *path;

	(void)state;
	path = stage("community-in-v3.ini", 0600);
	memset(err, 'z', sizeof(err));
	assert_int_equal(cred_set_load(path, &cs, err, sizeof(err)), -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

static void
test_names(void **state)
{
	char name[CRED_MAX_NAME + 2];

	(void)state;
	assert_string_equal(snmp_ver_name(SNMP_V2C), "2c");
	assert_string_equal(snmp_ver_name(SNMP_V3), "3");
	assert_true(cred_name_ok("a.b-c_D9"));
	assert_false(cred_name_ok(""));
	assert_false(cred_name_ok("a b"));
	assert_false(cred_name_ok("a;b"));
	memset(name, 'a', CRED_MAX_NAME);
	name[CRED_MAX_NAME] = '\0';
	assert_true(cred_name_ok(name));
	name[CRED_MAX_NAME] = 'a';
	name[CRED_MAX_NAME + 1] = '\0';
	assert_false(cred_name_ok(name));
}

/* Targets against real credentials: the check main.c runs before a scan. */
static void
test_check_profiles(void **state)
{
	static const char *const bad[][2] = {
		{ "address,sector,snmp_profile\n10.0.0.1,power,core-v3\n"
		    "10.0.0.2,power,office-v2c; nosuch\n",
		    ":3: snmp_profile 'nosuch': no such profile in " },
		{ "address,sector,snmp_profile\n10.0.0.1,power,glpi\n",
		    ":2: snmp_profile 'glpi' is an agent profile in " },
		{ "address,sector,agent_url,agent_profile\n"
		    "10.0.0.1,power,https://10.0.0.1/,legacy_v1\n",
		    ":2: agent_profile 'legacy_v1' is an SNMP profile in " },
		{ "address,sector,agent_url,agent_profile\n"
		    "10.0.0.1,power,https://10.0.0.1/,gone\n",
		    ":2: agent_profile 'gone': no such profile in " },
	};
	struct cred_set cs;
	struct target_list tl;
	char err[ERRLEN], want[ERRLEN];
	const char *cpath, *tpath;
	size_t i;

	(void)state;
	cpath = stage("good.ini", 0600);
	if (cred_set_load(cpath, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(target_list_load("tests/data/targets/good.csv", &tl,
	    err, sizeof(err)), 0);
	if (target_check_profiles(&tl, &cs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	target_list_free(&tl);

	for (i = 0; i < NELEM(bad); i++) {
		tpath = write_file("t.csv", bad[i][0], strlen(bad[i][0]),
		    0644);
		if (target_list_load(tpath, &tl, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_int_equal(target_check_profiles(&tl, &cs, err,
		    sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s%s%s", tpath, bad[i][1],
		    cpath);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("\n got: %s\nwant: %s...", err, want);
		target_list_free(&tl);
	}
	cred_set_free(&cs);
}

/*
 * 2026-12-05 (issue 12): the scan was dumpable, so a crash wrote its
 * communities and passphrases into a core file.  In a child, since the
 * process stays so.
 */
static void
test_protect_process(void **state)
{
	struct rlimit rl;
	char err[ERRLEN];
	pid_t pid;
	int status, ok;

	(void)state;
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
		setrlimit(RLIMIT_CORE, &rl);
		ok = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 &&
		    secret_protect_process(err, sizeof(err)) == 0 &&
		    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 &&
		    getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 &&
		    rl.rlim_max == 0;
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_crlf_bom, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_error_fixtures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_regular, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_lines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_community_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_small_error_buffer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_profiles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_protect_process, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
