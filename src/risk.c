/* risk: likelihood x impact, rating and due date. */
#include <string.h>

#include "risk.h"
#include "util.h"

static const int default_due[4] = { 30, 60, 90, 180 };
static const char *const ratings[4] = {
	"critical", "high", "medium", "low"
};

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int
risk_rank(const char *s)
{
	if (s == NULL)
		return 0;
	if (str_ieq(s, "critical"))
		return 4;
	if (str_ieq(s, "high"))
		return 3;
	if (str_ieq(s, "medium"))
		return 2;
	if (str_ieq(s, "low"))
		return 1;
	return 0;
}

void
risk_assess(const struct risk_in *in, struct risk_out *out)
{
	int conf = risk_rank(in->confidence);	/* high 3, medium 2, low 1 */
	int sev = risk_rank(in->severity);	/* critical 4 .. low 1 */
	int crit = clamp(in->criticality ? in->criticality : 3, 1, 5);
	int idx, days;

	/*
	 * Likelihood: how sure we are the banned thing is there and
	 * running.  high -> 5, medium -> 4, low -> 2; a "verify" rule (an
	 * affiliate or OEM, unconfirmed) loses one more point.
	 */
	out->likelihood = conf >= 3 ? 5 : conf == 2 ? 4 : 2;
	if (in->verify)
		out->likelihood--;
	out->likelihood = clamp(out->likelihood, 1, 5);

	/*
	 * Impact: the host's criticality, moved by the rule's severity
	 * (critical +1, high 0, medium -1, low -2) and the sector weight.
	 */
	out->impact = crit + (sev == 4 ? 1 : sev == 2 ? -1 : sev == 1 ? -2 :
	    0) + in->sector_weight;
	out->impact = clamp(out->impact, 1, 5);

	out->score = out->likelihood * out->impact;
	if (out->score >= 20)
		idx = 0;
	else if (out->score >= 12)
		idx = 1;
	else if (out->score >= 6)
		idx = 2;
	else
		idx = 3;
	out->rating = ratings[idx];
	days = in->due_days[idx] > 0 ? in->due_days[idx] : default_due[idx];
	fmt_date(in->found + (int64_t)days * 86400, out->due_date,
	    sizeof(out->due_date));
}
