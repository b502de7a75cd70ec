/*
 * test_log: log.c's promises -- warnings always, notes unless quiet,
 * debugging only when verbose, all on stderr with the "banaudit: " prefix;
 * the progress line drawn in place only on a terminal and never when
 * quiet, cleared before any message so that no message lands in the
 * middle of it; plain progress lines (scheduled runs' logs) at once, then
 * held back within the interval, whatever stderr is and even when quiet,
 * with the last held-back line written at the end; and no progress at
 * all when it is off.  No check depends on the clock: the intervals are
 * an hour, or the first line, which is always shown.
 *
 * stderr is swapped for a temporary file, or for the slave side of a
 * pseudo-terminal, and read back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define HOUR	3600000

static int saved = -1;		/* the real stderr */
static FILE *cap;		/* what stderr writes to, when a file */
static int master = -1;		/* the terminal's master side */

/* stderr into a temporary file. */
static void
capture_file(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(cap), STDERR_FILENO) >= 0);
}

/* stderr onto a new pseudo-terminal. */
static void
capture_tty(void)
{
	int slave;

	fflush(stderr);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(slave, STDERR_FILENO) >= 0);
	close(slave);
	assert_true(isatty(STDERR_FILENO));
}

/* Restores stderr; returns what was written (the caller frees it). */
static char *
captured(void)
{
	static char none[] = "";
	char *buf;
	size_t n = 0;
	ssize_t r;

	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	saved = -1;
	buf = calloc(1, 65536);
	assert_non_null(buf);
	if (cap != NULL) {
		rewind(cap);
		n = fread(buf, 1, 65535, cap);
		fclose(cap);
		cap = NULL;
	} else if (master >= 0) {
		/* The slave is closed now: read what is there, then EIO. */
		fcntl(master, F_SETFL, O_NONBLOCK);
		while (n < 65535 &&
		    (r = read(master, buf + n, 65535 - n)) > 0)
			n += (size_t)r;
		close(master);
		master = -1;
	} else
		return strdup(none);
	buf[n] = '\0';
	return buf;
}

/* Every case starts from the defaults. */
static int
setup(void **state)
{
	(void)state;
	log_init(LOG_NORMAL);
	log_progress_mode(LOG_PROGRESS_AUTO, HOUR);
	return 0;
}

static void
test_levels(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(log_level(), LOG_NORMAL);
	capture_file();
	log_warn("disk %d%% full", 97);
	log_info("note %s", "one");
	log_debug("hidden %d", 1);
	out = captured();
	assert_string_equal(out, "banaudit: warning: disk 97% full\n"
	    "banaudit: note one\n");
	free(out);

	log_init(LOG_QUIET);
	assert_int_equal(log_level(), LOG_QUIET);
	capture_file();
	log_info("not when quiet");
	log_debug("nor this");
	log_warn("but warnings");
	out = captured();
	assert_string_equal(out, "banaudit: warning: but warnings\n");
	free(out);

	log_init(LOG_VERBOSE);
	capture_file();
	log_debug("detail %s", "x");
	out = captured();
	assert_string_equal(out, "banaudit: detail x\n");
	free(out);
}

/* Plain lines: the first at once, the next held back, the last at the end. */
static void
test_progress_plain(void **state)
{
	char *out;

	(void)state;
	log_init(LOG_QUIET);
	log_progress_mode(LOG_PROGRESS_PLAIN, HOUR);
	capture_file();
	log_progress("%d/%d hosts done", 0, 3);
	log_progress("%d/%d hosts done", 1, 3);
	log_progress("%d/%d hosts done", 2, 3);
	log_progress_end();
	log_progress_end();		/* nothing held back any more */
	out = captured();
	assert_string_equal(out, "banaudit: progress: 0/3 hosts done\n"
	    "banaudit: progress: 2/3 hosts done\n");
	free(out);

	/* An interval of 0: every line is written as it comes. */
	log_progress_mode(LOG_PROGRESS_PLAIN, 0);
	capture_file();
	log_progress("a");
	log_progress("b");
	log_progress_end();
	out = captured();
	assert_string_equal(out, "banaudit: progress: a\n"
	    "banaudit: progress: b\n");
	free(out);
}

static void
test_progress_off(void **state)
{
	char *out;

	(void)state;
	log_progress_mode(LOG_PROGRESS_NONE, 0);
	capture_tty();
	log_progress("never");
	log_progress_end();
	out = captured();
	assert_string_equal(out, "");
	free(out);
}

/* Drawn in place on a terminal only, and cleared before a message. */
static void
test_progress_tty(void **state)
{
	char *out;

	(void)state;
	capture_file();			/* not a terminal */
	log_progress("hidden");
	log_progress_end();
	out = captured();
	assert_string_equal(out, "");
	free(out);

	log_init(LOG_QUIET);
	capture_tty();
	log_progress("hidden when quiet");
	log_progress_end();
	out = captured();
	assert_string_equal(out, "");
	free(out);

	log_init(LOG_NORMAL);
	capture_tty();
	log_progress("%d hosts", 5);
	log_warn("slow host");
	log_progress_end();		/* cleared already: nothing */
	out = captured();
	/* The terminal turns "\n" into "\r\n". */
	assert_string_equal(out, "\r\033[K5 hosts\r\033[Kbanaudit: warning: "
	    "slow host\r\n");
	free(out);

	capture_tty();
	log_progress("working");
	log_progress_end();
	out = captured();
	assert_string_equal(out, "\r\033[Kworking\r\033[K");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_levels, setup),
		cmocka_unit_test_setup(test_progress_plain, setup),
		cmocka_unit_test_setup(test_progress_off, setup),
		cmocka_unit_test_setup(test_progress_tty, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
