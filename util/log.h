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
 * How progress is shown: LOG_PROGRESS_AUTO, a line redrawn in place at
 * most ten times a second when stderr is a terminal and the level is not
 * quiet; LOG_PROGRESS_PLAIN, for the logs of scheduled runs, a whole line
 * "banaudit: progress: ..." at most once every interval_ms (the first at
 * once), whatever stderr is and even when quiet; LOG_PROGRESS_NONE.
 */
enum log_progress_mode { LOG_PROGRESS_AUTO, LOG_PROGRESS_PLAIN,
	LOG_PROGRESS_NONE };
void	 log_progress_mode(enum log_progress_mode, int64_t interval_ms);

/*
 * Progress, shown as the mode says.  log_progress_end() clears a line
 * drawn in place, and writes the last plain line the interval held back,
 * so that a log ends with where the work ended.
 */
void	 log_progress(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 log_progress_end(void);

#endif
