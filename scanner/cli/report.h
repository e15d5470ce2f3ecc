/*
 * report: collects findings during a scan and writes them, sorted by file, line
 * and column, in one of the output formats:
 *
 *   text   two lines per finding, coloured on a terminal
 *   jsonl  one JSON object per finding (README "Output formats" lists the fields)
 *   json   {"version", "findings": [...], "warnings": [...], "stats": {...}}
 *   sarif  SARIF 2.1.0 (report_sarif.c)
 *
 * Findings are copied when they arrive (the engine's are valid only during the
 * callback); secrets are copied only with --show-secrets, so without it no secret
 * byte ever reaches this module's memory.
 */
#ifndef BB_REPORT_H
#define BB_REPORT_H

#include "cli.h"

typedef enum report_format { FMT_TEXT, FMT_JSON, FMT_JSONL, FMT_SARIF } report_format;

typedef struct rfinding {
	size_t sig;
	char *path, *redacted, *secret, *origin;
	char *commit, *author;   /* git history scans; NULL otherwise */
	long long time;
	uint64_t line, column, end_line, end_column, start, end;
	char fingerprint[33];
	const char *validated;
	bb_confidence confidence;
} rfinding;

/* A history finding's author date, ISO 8601 UTC, in when. */
const char *report_date(const rfinding *f, char when[40]);

typedef struct rwarning {
	char *path, *message;
} rwarning;

typedef struct report {
	const bb_ruleset *rs;
	report_format format;
	FILE *out;
	int color;
	int show_secrets;
	rfinding *v;
	size_t n, cap;
	rwarning *w;
	size_t n_w, cap_w;
	int oom;
	bb_walk_stats stats;
	double seconds;
	const char *const *roots;  /* for SARIF's base URI */
	size_t n_roots;
	struct baseline *baseline; /* findings already known: counted, not reported */
	size_t n_baselined;
	int keep_all;              /* --write-baseline: keep baselined findings too */
} report;

int report_format_parse(const char *s, report_format *out);
void report_init(report *r, const bb_ruleset *rs, report_format fmt, FILE *out);
void report_free(report *r);
/* Copies a finding (bb_finding_cb compatible: payload is the report). */
int report_add(const bb_finding *f, void *payload);
/* The same for git scans, with where the content came from. */
int report_add_git(const bb_finding *f, const bb_git_origin *o, void *payload);
void report_warn(report *r, const char *path, const char *message);
/* Sorts and writes everything. Returns 0, or -1 if the output failed. */
int report_write(report *r);

/* Prints a path with control characters replaced by '?'. */
void report_put_path(FILE *out, const char *p);

/* baseline.c: a baseline is the set of fingerprints of known findings. */
typedef struct baseline baseline;
int baseline_load(baseline **out, const char *path);   /* prints its errors */
int baseline_has(const baseline *b, const char *fp);
void baseline_free(baseline *b);
/* Writes every finding of r as the new baseline (sorted, no line numbers). */
int baseline_write(const report *r, const char *path);

/* report_sarif.c */
int report_write_sarif(report *r);

/* helpers shared by the writers */
void report_sort(report *r);
void *json_finding(const report *r, const rfinding *f); /* a cJSON object */

#endif
