/* log: stderr messages and the progress line. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

static enum log_level level = LOG_NORMAL;
static int progress_shown;
static int64_t progress_last;

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

	if (level < LOG_NORMAL || !isatty(STDERR_FILENO))
		return;
	now = mono_ms();
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
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}
