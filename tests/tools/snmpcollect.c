/*
 * snmpcollect: runs the SNMP collector over a targets file with a
 * credentials file and prints what it saw, one tab-separated record a line
 * (bytes outside printable ASCII, tab and backslash as \xHH; VAL_HEX
 * values as hex digits):
 *
 *	obs	TARGET	ADDRESS	KIND	ITEM	ATTR	SOURCE	VTYPE	VALUE
 *	cov	TARGET	ADDRESS	PROBE	STATUS	PROFILE	DETAIL
 *	done	TARGET	ADDRESS
 *
 * It also checks the collector's contract -- done() exactly once for every
 * target with an SNMP profile, after a channel coverage row -- and prints
 * a summary with rates and CPU time to stderr.  For tests and benchmarks.
 */
#include <sys/resource.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "cred.h"
#include "heap.h"
#include "scan.h"
#include "target.h"
#include "util.h"

struct run {
	const struct target_list *tl;
	int		 quiet;
	unsigned long	 obs, cov;
	unsigned	*done;		/* per target */
	unsigned char	*summary;	/* per target: channel row seen */
	int		 bad;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
put_escaped(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\')
			printf("\\x%02x", s[i]);
		else
			putchar(s[i]);
	}
}

static void
put_str(const char *s)
{
	put_escaped(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static int
on_observe(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	struct run *r = arg;
	const unsigned char *v = o->value;
	size_t i;

	r->obs++;
	if (t >= r->tl->n || ch != CHAN_SNMP || r->done[t] != 0) {
		fprintf(stderr, "snmpcollect: bad observation for target "
		    "%zu\n", t);
		r->bad = 1;
	}
	if (r->quiet)
		return 0;
	printf("obs\t%zu\t", t);
	put_str(r->tl->v[t].h.address);
	printf("\t%s\t", obs_kind_name(o->kind));
	put_str(o->item);
	putchar('\t');
	put_str(o->attr);
	putchar('\t');
	put_str(o->source);
	printf("\t%s\t", value_type_name(o->vtype));
	if (o->vtype == VAL_HEX) {
		for (i = 0; i < o->len; i++)
			printf("%02x", v[i]);
	} else
		put_escaped(o->value, o->len);
	putchar('\n');
	return 0;
}

static int
on_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct run *r = arg;

	r->cov++;
	if (t >= r->tl->n || r->done[t] != 0) {
		fprintf(stderr, "snmpcollect: coverage after done for target "
		    "%zu\n", t);
		r->bad = 1;
		return 0;
	}
	if (cv->probe != NULL && cv->probe[0] == '\0')
		r->summary[t] = 1;
	if (r->quiet)
		return 0;
	printf("cov\t%zu\t", t);
	put_str(r->tl->v[t].h.address);
	putchar('\t');
	put_str(cv->probe);
	printf("\t%s\t", cov_status_name(cv->status));
	put_str(cv->profile);
	putchar('\t');
	put_str(cv->detail);
	putchar('\n');
	return 0;
}

static void
on_done(void *arg, size_t t)
{
	struct run *r = arg;

	if (t >= r->tl->n) {
		r->bad = 1;
		return;
	}
	if (r->done[t]++ != 0 || !r->summary[t]) {
		fprintf(stderr, "snmpcollect: done() twice or before the "
		    "channel coverage row for target %zu\n", t);
		r->bad = 1;
	}
	if (r->quiet)
		return;
	printf("done\t%zu\t", t);
	put_str(r->tl->v[t].h.address);
	putchar('\n');
}

static int
num(const char *s, long max, unsigned *out)
{
	long v;

	if (parse_long(s, 0, max, &v) != 0) {
		fprintf(stderr, "snmpcollect: bad number '%s'\n", s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
probes_parse(const char *s, unsigned *out)
{
	char name[32];
	const char *e;
	size_t n;
	enum probe pr;

	*out = 0;
	for (; *s != '\0'; s = *e == ',' ? e + 1 : e) {
		e = strchr(s, ',');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, s, n);
		name[n] = '\0';
		if (probe_from_name(name, &pr) != 0) {
			fprintf(stderr, "snmpcollect: no probe '%s'\n", name);
			return -1;
		}
		*out |= PROBE_BIT(pr);
	}
	return 0;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
usage(void)
{
	fprintf(stderr, "usage: snmpcollect [-q] [-c concurrency] [-r rate] "
	    "[-t timeout_ms] [-R retries]\n"
	    "\t[-b budget_ms] [-m max_repetitions] [-n max_rows] "
	    "[-v max_value]\n"
	    "\t[-p probe,...] [-T stop_after_ms] TARGETS CREDENTIALS\n");
}

int
main(int argc, char **argv)
{
	struct target_list tl;
	struct cred_set cs;
	struct collect_opts o;
	struct collect_sink sink;
	struct run r;
	const struct collector *col = &snmp_collector;
	void *ctx = NULL;
	char err[ERRLEN];
	unsigned stop_after = 0, mine = 0;
	int64_t t0, t1;
	double c0, c1;
	size_t i;
	int ch, left = 0, rc = 1;

	memset(&tl, 0, sizeof(tl));
	memset(&cs, 0, sizeof(cs));
	memset(&r, 0, sizeof(r));
	collect_opts_default(&o);
	while ((ch = getopt(argc, argv, "b:c:m:n:p:qr:R:t:T:v:")) != -1) {
		switch (ch) {
		case 'b':
			if (num(optarg, 86400000, &o.host_budget_ms) != 0)
				return 2;
			break;
		case 'c':
			if (num(optarg, 1000000, &o.concurrency) != 0)
				return 2;
			break;
		case 'm':
			if (num(optarg, 1000, &o.max_repetitions) != 0)
				return 2;
			break;
		case 'n':
			if (num(optarg, 100000000, &o.max_rows) != 0)
				return 2;
			break;
		case 'p':
			if (probes_parse(optarg, &o.probes) != 0)
				return 2;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 'r':
			if (num(optarg, 100000000, &o.rate) != 0)
				return 2;
			break;
		case 'R':
			if (num(optarg, 100, &o.retries) != 0)
				return 2;
			break;
		case 't':
			if (num(optarg, 3600000, &o.timeout_ms) != 0)
				return 2;
			break;
		case 'T':
			if (num(optarg, 86400000, &stop_after) != 0)
				return 2;
			break;
		case 'v':
			if (num(optarg, 1 << 20, &o.max_value) != 0)
				return 2;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage();
		return 2;
	}
	/*
	 * The heap set up as a scan sets it up (cli/cmd_scan.c before the
	 * inputs, run/scan.c before the collectors): the raw walker is the
	 * scan's engine with nothing stored, on the same footing.  Without
	 * it glibc trimmed the heap's top and grew it again answer after
	 * answer in one build's layout (4,948 brk() calls, 2.3x the wall
	 * time; docs/PERFORMANCE.md).
	 */
	(void)heap_reserve(HEAP_INPUT_BYTES);
	if (target_list_load(argv[optind], &tl, err, sizeof(err)) != 0 ||
	    cred_set_load(argv[optind + 1], &cs, err, sizeof(err)) != 0) {
		fprintf(stderr, "snmpcollect: %s\n", err);
		target_list_free(&tl);
		return 2;
	}
	(void)heap_reserve(scan_heap_bytes(tl.n, o.probes));
	r.tl = &tl;
	r.done = calloc(tl.n > 0 ? tl.n : 1, sizeof(*r.done));
	r.summary = calloc(tl.n > 0 ? tl.n : 1, 1);
	if (r.done == NULL || r.summary == NULL) {
		fprintf(stderr, "snmpcollect: out of memory\n");
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	o.stop = &stop;
	memset(&sink, 0, sizeof(sink));
	sink.arg = &r;
	sink.observe = on_observe;
	sink.cover = on_cover;
	sink.done = on_done;

	t0 = mono_ms();
	c0 = cpu_seconds();
	if (col->open(&ctx, &o, &tl, &cs, &sink, err, sizeof(err)) != 0) {
		fprintf(stderr, "snmpcollect: %s\n", err);
		goto out;
	}
	do {
		left = col->poll(ctx, 200, err, sizeof(err));
		if (stop_after > 0 && mono_ms() - t0 >= stop_after)
			stop = 1;
	} while (left > 0);
	t1 = mono_ms();
	c1 = cpu_seconds();
	col->close(ctx);
	fflush(stdout);
	if (left < 0) {
		fprintf(stderr, "snmpcollect: %s\n", err);
		goto out;
	}
	for (i = 0; i < tl.n; i++) {
		if (tl.v[i].nsnmp_profiles == 0)
			continue;
		mine++;
		if (r.done[i] != 1) {
			fprintf(stderr, "snmpcollect: target %zu (%s) done %u "
			    "times\n", i, tl.v[i].h.address, r.done[i]);
			r.bad = 1;
		}
	}
	fprintf(stderr, "snmpcollect: %u targets, %lu observations, %lu "
	    "coverage rows in %.3f s; %.0f observations/s; CPU %.3f s, "
	    "%.3f us/observation\n", mine, r.obs, r.cov,
	    (double)(t1 - t0) / 1000.0,
	    t1 > t0 ? (double)r.obs * 1000.0 / (double)(t1 - t0) : 0.0,
	    c1 - c0, r.obs > 0 ? (c1 - c0) * 1e6 / (double)r.obs : 0.0);
	rc = r.bad ? 1 : 0;
out:
	free(r.done);
	free(r.summary);
	cred_set_free(&cs);
	target_list_free(&tl);
	return rc;
}
