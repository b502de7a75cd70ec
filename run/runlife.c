/*
 * runlife: the life of one run, shared by scan and import (runlife.h).
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "analyze.h"
#include "locate.h"
#include "onu.h"
#include "runlife.h"
#include "store.h"
#include "util.h"

/*
 * The process's random generator, before its first use.  OpenSSL's default
 * (CTR_DRBG over AES-256) cost a one-host scan 3.2 M instructions to set up,
 * a tenth of the scan, most of it fetching the cipher from the provider;
 * the Hash_DRBG over SHA-256 -- NIST SP 800-90A too, 256 bits of strength,
 * seeded the same way -- costs little once the digests are loaded, which
 * net-snmp's set-up does anyway.  The run's UUID is the first draw of a scan
 * or an import; net-snmp's USM salts and libcurl's TLS draw from the same
 * generator after it.  Should the call fail, the default stays.  The
 * process exits without OpenSSL's own clean-up at exit (0.7 M instructions
 * freeing what the exit frees anyway): this is OpenSSL's first set-up in a
 * scan or an import, where that choice is made.
 */
static pthread_once_t rand_once = PTHREAD_ONCE_INIT;

static void
rand_setup(void)
{
	(void)OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	(void)RAND_set_DRBG_type(NULL, "HASH-DRBG", NULL, NULL, "SHA256");
}

int
runlife_begin(struct runlife *r, struct store *st, struct run_info *ri,
    char *err, size_t errlen)
{
	(void)pthread_once(&rand_once, rand_setup);
	memset(r, 0, sizeof(*r));
	r->st = st;
	if (store_run_begin(st, ri, err, errlen) != 0)
		return -1;
	r->run = ri->id;
	return 0;
}

/* Ends the run with status; the one place a run ends. */
static int
end(struct runlife *r, enum run_status status, char *err, size_t errlen)
{
	/* Invariant: a run ends exactly once. */
	assert(!r->ended && r->run > 0);
	r->ended = 1;
	return store_run_end(r->st, r->run, status, err, errlen);
}

int
runlife_stop(struct runlife *r, enum run_status status, char *err,
    size_t errlen)
{
	char e2[ERRLEN];

	if (status == RUN_FAILED) {
		/* Keep what was gathered; the caller's err says why. */
		store_flush(r->st, e2, sizeof(e2));
		return end(r, RUN_FAILED, e2, sizeof(e2));
	}
	if (store_flush(r->st, err, errlen) != 0) {
		end(r, RUN_FAILED, e2, sizeof(e2));
		return -1;
	}
	return end(r, status, err, errlen);
}

int
runlife_finish(struct runlife *r, const struct runlife_finish *f,
    struct runlife_tally *t, char *err, size_t errlen)
{
	struct analyze_stats as;
	struct locate_opts lo;
	int64_t after;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (store_flush(r->st, err, errlen) != 0)
		goto fail;
	/* What locate and onu store from here on has larger ids. */
	after = store_obs_last(r->st);
	/*
	 * Devices nobody polls, from the tables of those that were: only
	 * when some neighbour-table row came in (locate would re-read the
	 * whole run to find none).
	 */
	memset(&lo, 0, sizeof(lo));
	lo.oui = f->oui;
	lo.uplink_macs = f->uplink_macs;
	if (f->neighbour_rows > 0) {
		if (locate_run(r->st, r->run, &lo, &t->located, err,
		    errlen) != 0)
			goto fail;
	} else if (f->neighbours_read || f->no_registry != NULL) {
		if (store_run_set_oui(r->st, r->run, !f->neighbours_read ?
		    f->no_registry : f->oui != NULL ? oui_describe(f->oui) :
		    "none", err, errlen) != 0)
			goto fail;
	}
	/* The ONUs behind the OLTs, located at their PON ports. */
	if (f->onus && onu_run(r->st, r->run, NULL, err, errlen) != 0)
		goto fail;
	if (f->analyzed != NULL) {
		if (f->parked != NULL && analyze_after(f->analyzed, after,
		    f->parked_ids, f->parked, f->nparked, err, errlen) != 0)
			goto fail;
		for (i = 0; f->parked != NULL && i < f->nparked; i++)
			if (analyze_host(f->analyzed, f->parked_ids[i],
			    &f->parked[i], err, errlen) != 0)
				goto fail;
		if (analyze_end(f->analyzed, err, errlen) != 0)
			goto fail;
		as = *f->analyzed_stats;
	} else if (analyze_run_sectors(r->st, r->run, f->rules, f->sectors,
	    &as, err, errlen) != 0)
		goto fail;
	t->findings = as.findings + as.carried;
	t->carried = as.carried;
	t->leads = as.leads;
	t->waived = as.waived;
	t->read = as.read;
	if (end(r, RUN_COMPLETE, err, errlen) != 0) {
		char e2[ERRLEN];

		/*
		 * The end was not recorded (its transaction rolled back): the
		 * run is failed, never left "running" as if still going.
		 */
		store_run_end(r->st, r->run, RUN_FAILED, e2, sizeof(e2));
		return -1;
	}
	return 0;
fail:
	runlife_stop(r, RUN_FAILED, err, errlen);
	return -1;
}
