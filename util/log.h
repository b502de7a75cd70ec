/*
 * log: messages for the person at the terminal -- warnings, notes and the
 * progress line of a long scan.  Everything goes to stderr; stdout is kept
 * for reports.  Messages MUST NOT contain secrets.
 */
#ifndef BANAUDIT_LOG_H
#define BANAUDIT_LOG_H

#include "util.h"

enum log_level { LOG_QUIET, LOG_NORMAL, LOG_VERBOSE };

void	 log_init(enum log_level);
enum log_level log_level(void);
void	 log_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 log_info(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 log_debug(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * A one-line progress display, redrawn in place at most ten times a
 * second; only when stderr is a terminal and the level is not quiet.
 * log_progress_end() clears the line.
 */
void	 log_progress(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 log_progress_end(void);

#endif
