/*
 * risk: likelihood x impact, rating and due date.  The policy is written
 * out in README.md ("Risk scoring"); keep the two in step.
 */
#include <string.h>

#include "risk.h"
#include "util.h"

const int risk_default_due[RISK__LEVELS] = { 30, 60, 90, 180 };

static const char *const level_names[RISK__LEVELS] = {
	"critical", "high", "medium", "low"
};

/* Score thresholds of the ratings critical, high, medium (low: below). */
#define SCORE_CRITICAL	20
#define SCORE_HIGH	12
#define SCORE_MEDIUM	6

#define DAY		86400
#define MAX_DUE_DAYS	3650

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int
risk_level(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < RISK__LEVELS; i++)
		if (str_ieq(s, level_names[i]))
			return (int)i;
	return -1;
}

int
risk_rank(const char *s)
{
	int l = risk_level(s);

	return l < 0 ? 0 : RISK__LEVELS - l;
}

const char *
risk_level_name(enum risk_level l)
{
	return (unsigned)l < RISK__LEVELS ? level_names[l] : "?";
}

void
risk_assess(const struct risk_in *in, struct risk_out *out)
{
	int conf = risk_rank(in->confidence);	/* high 3 .. low 1 */
	int sev = risk_level(in->severity);
	int crit = in->criticality != 0 ? clamp(in->criticality, 1, 5) : 3;
	int l, days;

	/*
	 * Likelihood: how sure we are that the banned thing is there, and
	 * how exposed it is.  Confidence high 4, medium 3, low 2 (unknown
	 * 1); running (a process seen) adds the sector's exposure_running;
	 * evidence over two or more channels adds exposure_channels; a
	 * "verify" rule (an affiliate or OEM, unconfirmed) takes one off.
	 */
	l = conf > 0 ? conf + 1 : 1;
	if (in->running)
		l += clamp(in->exposure_running, 0, 2);
	if (in->channels >= 2)
		l += clamp(in->exposure_channels, 0, 2);
	if (in->verify)
		l--;
	out->likelihood = clamp(l, 1, 5);

	/*
	 * Impact: the host's criticality, moved by the rule's severity
	 * (critical +1, high 0, medium -1, low -2) and the sector weight.
	 */
	out->impact = crit + (sev == RISK_CRITICAL ? 1 : sev == RISK_MEDIUM ?
	    -1 : sev == RISK_LOW ? -2 : 0) + clamp(in->sector_weight, -1, 1);
	out->impact = clamp(out->impact, 1, 5);

	out->score = out->likelihood * out->impact;
	if (out->score >= SCORE_CRITICAL)
		out->level = RISK_CRITICAL;
	else if (out->score >= SCORE_HIGH)
		out->level = RISK_HIGH;
	else if (out->score >= SCORE_MEDIUM)
		out->level = RISK_MEDIUM;
	else
		out->level = RISK_LOW;
	out->rating = level_names[out->level];
	days = in->due_days[out->level];
	if (days <= 0 || days > MAX_DUE_DAYS)
		days = risk_default_due[out->level];
	fmt_date(in->found + (int64_t)days * DAY, out->due_date,
	    sizeof(out->due_date));
}
