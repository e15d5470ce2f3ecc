/*
 * bench.h: `blackbar bench signatures`, the signature tuning bench.
 *
 * A run measures one signature set (and, with --compare, a second one) three ways:
 *
 *   corpus (bench_corpus.c)  every record of labelled corpora scanned alone:
 *                            per signature, true and false positives; per corpus
 *                            category, what was found and what was missed;
 *   cost   (bench_cost.c)    a sample of a source tree held in memory and scanned
 *                            with the whole set (per-signature counters from the
 *                            engine's profiler: candidates, confirmation time,
 *                            findings), then with each signature alone (its own
 *                            prefilter and confirmation, minus an empty set's time);
 *   report (bench_report.c)  signatures.csv, categories.csv, summary.md and charts
 *                            drawn by gnuplot.
 */
#ifndef BB_BENCH_H
#define BB_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "blackbar/blackbar.h"

/* One corpus record (see the corpus README: text, label, category, path, ...). */
typedef struct bench_record {
	char *text;
	size_t len;
	char *category;
	char *path;      /* label to scan under; NULL: sample.txt */
	int positive;
	int pii;         /* a PII/PHI record (see bench_corpus.c) */
	int eligible;    /* counted (see bench_corpus.c for what is left out) */
	int weak;        /* a PII positive with a low upstream score: counted apart */
} bench_record;

typedef struct bench_corpus {
	bench_record *v;
	size_t n, cap;
	char **files;    /* the corpus files read */
	size_t n_files;
} bench_corpus;

/* A signature's figures in one set. */
typedef struct bench_sig {
	const bb_signature *sig;
	char cats[256];          /* the corpus categories it counts for, ';'-separated */
	/* corpus */
	unsigned tp, tp_cat;     /* positives it fired on; of its own categories */
	unsigned fp, fp_scoped;  /* negatives it fired on; of its own categories */
	unsigned cat_pos;        /* positives of its categories */
	/* tree */
	int have_cost;
	uint64_t findings, candidates, matches;
	double confirm_s;        /* in the whole set */
	double alone_s;          /* scan time with this signature alone, minus empty */
	double compile_ms;       /* compile time alone */
} bench_sig;

typedef struct bench_cat {
	char *name;
	int pii;
	unsigned pos, found_any, found_cat;
	unsigned weak, weak_found;
	unsigned neg, fp_strict, fp_scoped;
} bench_cat;

typedef struct bench_totals {
	unsigned pos, found_any, found_cat, neg, fp_strict, fp_scoped;
	unsigned pii_pos, pii_found, pii_weak, pii_weak_found, pii_neg, pii_fp;
} bench_totals;

typedef struct bench_set {
	const char *label;       /* "builtin" or the path given */
	bb_ruleset *rs;
	double compile_s;
	bench_sig *sigs;
	size_t n;
	bench_cat *cats;
	size_t n_cats, cap_cats;
	bench_totals t;
	double corpus_s;         /* time to scan the corpus records */
	/* tree sample */
	int have_tree;
	double full_s, empty_s;  /* whole set, empty set, over the sample */
	double median_alone_s;   /* the median of the signatures' alone_s */
} bench_set;

/* The signature with this id in the set, or NULL (sigs[i] is the ruleset's i). */
const bench_sig *bench_find_sig(const bench_set *set, const char *id);
/* Two signatures are defined alike when everything that decides matching is. */
int bench_same_definition(const bb_signature *a, const bb_signature *b);

/* The tree sample: files read into memory once. */
typedef struct bench_sample {
	char **labels;
	unsigned char **data;
	size_t *len;
	size_t n, cap;
	uint64_t bytes;
	const char *root;
} bench_sample;

/* corpus category map: {"map": {"id-or-prefix": ["category", ...]}} */
typedef struct bench_catmap bench_catmap;

/* ---- bench_corpus.c ---- */
int bench_catmap_load(bench_catmap **out, const char *json, char *err, size_t errlen);
void bench_catmap_free(bench_catmap *m);
/* The categories a finding of signature `id` counts for, ';'-separated. */
void bench_catmap_cats(const bench_catmap *m, const char *id, char *out, size_t n);
/* 1 if category `cat` is one of the ';'-separated list. */
int bench_cat_in(const char *list, const char *cat);

int bench_corpus_read(bench_corpus *c, const char *path, char *err, size_t errlen);
void bench_corpus_free(bench_corpus *c);
/* Scans every record with the set and fills the corpus figures. */
int bench_corpus_score(bench_set *set, const bench_corpus *c, const bench_catmap *m);

/* ---- bench_cost.c ---- */
int bench_sample_load(bench_sample *s, const char *root, uint64_t max_bytes, char *err,
	size_t errlen);
void bench_sample_free(bench_sample *s);
/* Whole-set profile and each signature alone over the sample. `reuse`: a set
 * whose costs may be copied for signatures defined identically (or NULL).
 * Progress goes to stderr unless quiet. */
int bench_cost(bench_set *set, const bench_sample *s, const bench_set *reuse,
	const bb_ruleset_options *base, unsigned repeat, int quiet);

/* ---- bench_report.c ---- */
typedef struct bench_run {
	bench_set *a, *b;        /* b: the --compare set, or NULL */
	const bench_corpus *corpus;
	const bench_sample *sample; /* NULL when no --tree */
	const char *out_dir;
	int plots;
	double noisy_per_gb;     /* flag: findings per GB of the tree at least this */
	double expensive_share;  /* flag: alone cost at least this share of the set's */
} bench_run;

/* Flags of a signature ("expensive noisy low-precision"), "" when none. */
void bench_flags(const bench_run *r, const bench_set *set, const bench_sig *g, char *out,
	size_t n);
int bench_report(const bench_run *r);
/* The machine, one line: CPU model, cores, memory, kernel. */
void bench_machine(char *out, size_t n);

#endif
