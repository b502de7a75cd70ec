/*
 * report_html_int: what the files of the HTML report share -- the model
 * read from the store (report_html.c), the sections that write it
 * (report_html_out.c, report_html_exec.c, report_html_find.c), the
 * plain-language evidence line (report_html_plain.c) and the style sheet,
 * script and SVG charts (report_html_art.c).  Nothing outside the HTML report
 * includes this file.
 *
 * The model holds copies of everything the report shows, so the writers
 * never call the store.  Its strings live in one pool freed at once.
 * Vocabulary the report styles by (severity, status, coverage level) is
 * mapped to the enums below, so no string from the data ever becomes a
 * class name, an id or any other attribute.
 */
#ifndef BANAUDIT_REPORT_HTML_INT_H
#define BANAUDIT_REPORT_HTML_INT_H

#include <stddef.h>
#include <stdint.h>

#include "html.h"
#include "report.h"
#include "store.h"
#include "host.h"

enum sev { SEV_CRITICAL, SEV_HIGH, SEV_MEDIUM, SEV_LOW, SEV_OTHER,
	SEV__COUNT };
enum fstatus { FS_NEW, FS_PERSISTING, FS_RESOLVED, FS__COUNT };

/* How far a host was assessed, from its coverage rows. */
enum level {
	LV_ASSESSED,		/* every probe ok */
	LV_PARTIAL,		/* some probes ok or partial, some not */
	LV_NOT_ASSESSED,	/* no probe ok, or no coverage recorded */
	LV_NEIGHBOUR,		/* seen only in neighbour tables */
	LV__COUNT
};

/* Key observations shown per host (report_html.c: key_fields[]). */
#define KEY_OBS		12

struct pool_block;

struct pool {
	struct pool_block	*head;
	int			 oom;
};

struct h_run {
	int64_t		 id;
	char		*kind;
	enum run_status	 status;
	char		*label;
	char		*scope;
	char		*sector;
	char		*site;
	int64_t		 started;
	int64_t		 finished;
	char		*tool_version;
	char		*rules_version;
	char		*oui_registry;
	char		*origin;
	char		*uuid;
};

struct h_cov {
	int64_t		 host;
	enum channel	 channel;
	char		*probe;
	enum cov_status	 status;
	char		*detail;
	char		*profile;
	int64_t		 elapsed_ms;
};

struct h_host {
	int64_t		 id;
	char		*identity;
	struct host_attrs h;		/* the host's, in the run */
	int		 discovered;
	size_t		 sector_ix;
	size_t		 cov_first;	/* its rows in model.cov */
	size_t		 ncov;
	enum level	 level;
	size_t		 open;		/* open findings */
	size_t		 first_open;	/* in model.findings, or SIZE_MAX */
	enum sev	 worst;		/* of the open findings */
	char		*key[KEY_OBS];	/* rendered values, or NULL */
	size_t		 nobs;
	size_t		 nsoftware;
	size_t		 nneighbour;
	size_t		 nelsewhere;	/* notes of a ban elsewhere */
};

struct h_finding {
	size_t		 n;		/* 1-based, for anchors */
	int64_t		 host;
	size_t		 host_ix;	/* in model.hosts, or SIZE_MAX */
	size_t		 next_open;	/* on the same host, or SIZE_MAX */
	size_t		 sector_ix;
	enum sev	 sev;		/* the rule's severity */
	enum sev	 rating;	/* the risk rating, as a level */
	enum fstatus	 status;
	char		*finding_id;
	char		*rule_id;
	char		*vendor;
	char		*product;
	char		*asset;
	char		*address;
	char		*channel;
	char		*evidence;
	char		*confidence;
	int		 confidence_score;
	char		*regulation;
	char		*citation;
	char		*citation_url;
	char		*effective_date;
	char		*binding_scope;	/* juris.h, per regulation */
	struct host_attrs h;		/* the host's, in the run */
	char		*severity;
	int		 likelihood;
	int		 impact;
	int		 risk_score;
	char		*risk_rating;
	char		*recommended_action;
	char		*due_date;
	size_t		 nevidence;
	int64_t		 first_seen;
	int64_t		 last_seen;
	int		 unverified;	/* not observed, not verified gone */
	char		*note;		/* what was not verified, or NULL */
	const struct h_waiver *waiver;	/* or NULL */
	char		*host_identity;
};

/*
 * A waiver (store.h) and whether it was in force on the day the run
 * started: judged against the run, not today, so the report of a run
 * never changes with the date it is written.
 */
struct h_waiver {
	char		*finding_id;
	char		*reason;
	char		*until;		/* YYYY-MM-DD, its last day */
	char		*created_by;
	int64_t		 created;
	int		 active;
};

/*
 * A host the previous run assessed (or lacked) and this run did not; its
 * reason reads "snmp timeout" or "not part of the run".
 */
struct h_unassessed {
	char		*identity;
	struct host_attrs h;		/* the host's, in the run */
	char		*reason;
};

/* A host of the previous run that this run does not have. */
struct h_missing {
	int64_t		 id;
	char		*identity;
	struct host_attrs h;		/* the host's, in the run */
	size_t		 sector_ix;
};

struct h_vendor {
	char		*name;
	size_t		 n[SEV__COUNT];
	size_t		 total;
};

struct h_sector {
	const char	*name;		/* NULL: hosts without a sector */
	size_t		 hosts;
	size_t		 level[LV__COUNT];
	size_t		 missing;	/* hosts of prev not in this run */
	size_t		 open[SEV__COUNT];
	size_t		 nopen;
	size_t		 status[FS__COUNT];
	struct h_vendor	*vendors;	/* by total desc, then name */
	size_t		 nvendors;
	size_t		 vcap;
};

/* A lead (report_html_leads.c); strings owned by the model. */
struct h_lead {
	char		*lead_id;
	char		*vendor;
	char		*product;
	char		*asset;
	char		*address;
	char		*site;
	char		*evidence;
	char		*reason;
	int64_t		 host;
};

struct model {
	struct pool	 pool;
	const char	*filter;	/* opts->sector, or NULL */
	struct h_run	 run;
	struct h_run	 prev;		/* prev.id 0: no previous run */
	struct h_host	*hosts;		/* by id while reading; see order */
	size_t		 nhosts;
	size_t		 hcap;
	size_t		*order;		/* hosts by sector, address, id */
	struct h_cov	*cov;		/* by host id, channel, probe */
	size_t		 ncov;
	size_t		 ccap;
	struct h_finding *findings;	/* open ones first, then resolved */
	size_t		 nfindings;
	size_t		 fcap;
	struct h_sector	*sectors;	/* by name; the unnamed one last */
	size_t		 nsectors;
	size_t		 scap;
	struct h_waiver	*waivers;	/* by finding_id */
	size_t		 nwaivers;
	size_t		 wcap;
	struct h_unassessed *unassessed; /* newly, since prev; by identity */
	size_t		 nunassessed;
	size_t		 ucap;
	struct h_missing *missing;	/* of prev, not in run; by id */
	size_t		 nmissing;
	size_t		 mcap;
	/* Totals over the sectors. */
	size_t		 level[LV__COUNT];
	size_t		 waived;	/* open findings under a waiver */
	size_t		 unverified;	/* open findings not observed */
	size_t		 open[SEV__COUNT];
	size_t		 nopen;
	size_t		 status[FS__COUNT];
	/* Coverage rows by status and channel. */
	size_t		 cov_count[COV__COUNT][CHAN__COUNT];
	/* Leads: not findings, never in the figures above. */
	struct h_lead	*leads;
	size_t		 nleads;
	size_t		 lcap;
	/*
	 * Products another state bans and no regulation here does (store.h,
	 * FINDING_ELSEWHERE): notes of the host detail, never findings.
	 */
	struct h_lead	*elsewhere;
	size_t		 nelsewhere;
	size_t		 ecap;
};

/* report_html.c */
extern const char *const rhtml_key_labels[KEY_OBS];
const char	*rhtml_sev_name(enum sev);
const char	*rhtml_fstatus_name(enum fstatus);
const char	*rhtml_level_name(enum level);

/*
 * report_html_sum.c: the page of a run with more than max hosts --
 * counts per sector and site, streamed from the store, and where the full
 * lists are.  0, or -1 with a message.
 */
int		 rhtml_summary(struct store *, const struct report_opts *,
		    FILE *, size_t max, char *err, size_t errlen);

/*
 * report_html_out.c: the document (0, or -1 with a message), and the
 * pieces the sections share.  Cells and badges escape their data.
 */
int		 rhtml_document(struct html *, const struct model *,
		    char *err, size_t errlen);

#define NA	"<span class=\"na\">\xe2\x80\x94</span>"	/* em dash */
#define NO_SECTOR "<span class=\"na\">(no sector)</span>"
#define CUT_CELL	160	/* characters of a value in a list cell */
#define CUT_ADDR	64	/* characters of an address or identity */
#define CUT_LONG	2000	/* characters of evidence, detail, action */
#define CUT_KEY		600	/* characters of a key observation */
/*
 * Text of the rule pack and sector profiles (product names, regulations,
 * citations, recommended actions) wraps, never cut: the bound is only
 * against a hostile database.
 */
#define CUT_PACK	8000

void		 rhtml_time(struct html *, int64_t);
/* "run #N (label), started TIME". */
void		 rhtml_run_ref(struct html *, const struct h_run *);
void		 rhtml_date(struct html *, int64_t);
void		 rhtml_td_cut(struct html *, const char *, size_t cut);
void		 rhtml_td_num(struct html *, size_t);
void		 rhtml_td_sector(struct html *, const char *);
void		 rhtml_sev(struct html *, enum sev, const char *text);
void		 rhtml_status(struct html *, enum fstatus);
void		 rhtml_level(struct html *, enum level);
void		 rhtml_kpi(struct html *, const char *cls, size_t n,
		    const char *note);
int		 rhtml_has_article(const struct h_host *);
void		 rhtml_host_label(struct html *, const struct h_host *);
void		 rhtml_host_link(struct html *, const struct h_host *);
void		 rhtml_finding_link(struct html *, const struct h_finding *);
size_t		 rhtml_sum(const size_t *, size_t);

/* report_html_find.c: the findings, change and host detail sections. */
void		 rhtml_findings(struct html *, const struct model *);
/* report_html_leads.c: leads read apart, and their section. */
int		 rhtml_leads_load(struct store *, int64_t run, struct model *,
		    char *err, size_t errlen);
void		 rhtml_leads_free(struct model *);
/*
 * The notes of a ban elsewhere, read into m->elsewhere; cb_host (may be
 * NULL) is told the host id of each.
 */
int		 rhtml_elsewhere_load(struct store *, int64_t run,
		    struct model *, void (*cb_host)(struct model *, int64_t),
		    char *err, size_t errlen);
/* The notes of host x in its host detail (nothing when none). */
void		 rhtml_host_elsewhere(struct html *, const struct model *,
		    const struct h_host *);
void		 rhtml_leads(struct html *, const struct model *);
void		 rhtml_changes(struct html *, const struct model *);
void		 rhtml_hosts(struct html *, const struct model *);

/*
 * report_html_exec.c: the executive summary (the first page), and the
 * risk-rating badge the findings share with it.
 */
void		 rhtml_exec_summary(struct html *, const struct model *);
void		 rhtml_rating(struct html *, const struct h_finding *);

/*
 * report_html_plain.c: one plain-language sentence from a finding's
 * evidence text (analyze.c's format) into buf, "" when the evidence says
 * nothing it can word; cut to len.  Returns its length.
 */
size_t		 rhtml_evidence_plain(const char *evidence, const char *vendor,
		    const char *product, char *buf, size_t len);

/*
 * report_html_phones.c: the phones and tablets apart from the network
 * equipment (left out when there are none).
 */
int		 rhtml_is_phone(const struct h_host *);
void		 rhtml_phones(struct html *, const struct model *);

/* report_html_art.c */
extern const char rhtml_style[];
extern const char rhtml_script[];
/* Bar chart of the open findings of a sector by vendor and severity. */
void		 rhtml_chart_vendors(struct html *, const struct h_sector *,
		    size_t ix);
/* Bar chart of the hosts of each sector by coverage level. */
void		 rhtml_chart_coverage(struct html *, const struct model *);

#endif
