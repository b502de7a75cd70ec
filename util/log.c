/* log: stderr messages and the progress line. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

static enum log_level level = LOG_NORMAL;
static int progress_shown;
static int64_t progress_last;
static int progress_plain_shown;
/* The plain line the interval held back, written by log_progress_end(). */
static char progress_pending[512];
static int progress_pending_set;
static enum log_progress_mode progress_mode = LOG_PROGRESS_AUTO;
static int64_t progress_interval = 30000;

void
log_progress_mode(enum log_progress_mode m, int64_t interval_ms)
{
	progress_mode = m;
	progress_interval = interval_ms;
}

void
log_init(enum log_level l)
{
	level = l;
}

enum log_level
log_level(void)
{
	return level;
}

static void
vlog(const char *prefix, const char *fmt, va_list ap)
{
	if (progress_shown)
		log_progress_end();
	fprintf(stderr, "banaudit: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void
log_progress(const char *fmt, ...)
{
	va_list ap;
	int64_t now;

	if (progress_mode == LOG_PROGRESS_NONE)
		return;
	now = mono_ms();
	if (progress_mode == LOG_PROGRESS_PLAIN) {
		if (progress_plain_shown &&
		    now - progress_last < progress_interval) {
			va_start(ap, fmt);
			vsnprintf(progress_pending, sizeof(progress_pending),
			    fmt, ap);
			va_end(ap);
			progress_pending_set = 1;
			return;
		}
		progress_last = now;
		progress_plain_shown = 1;
		progress_pending_set = 0;
		fputs("banaudit: progress: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		fflush(stderr);
		return;
	}
	if (level < LOG_NORMAL || !isatty(STDERR_FILENO))
		return;
	if (progress_shown && now - progress_last < 100)
		return;
	progress_last = now;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void
log_progress_end(void)
{
	if (progress_mode == LOG_PROGRESS_PLAIN && progress_pending_set) {
		fprintf(stderr, "banaudit: progress: %s\n", progress_pending);
		fflush(stderr);
		progress_pending_set = 0;
	}
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}
