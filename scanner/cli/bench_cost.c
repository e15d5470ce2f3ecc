/*
 * bench_cost.c: what each signature costs, on a sample of a source tree.
 *
 * The sample (text files up to 1 MiB, in name order, until --tree-bytes) is read
 * into memory once, so that only scanning is timed. Then, single-threaded:
 *
 *   - the whole set, profiled: per signature, the candidates its prefilter handed
 *     to confirmation, the regex matches, the findings, and the time confirming
 *     (bb_scanner_profile). Findings per GB of ordinary source code are the
 *     signature's false-positive pressure;
 *   - an empty set (only_ids selecting nothing): the fixed cost per file;
 *   - each signature alone (only_ids = its id): compile time, and scan time minus
 *     the empty set's. A signature's prefilter cost inside the shared Hyperscan
 *     database is not separable (the database is one automaton), so "alone" is
 *     the measurable upper bound: what the signature would cost by itself.
 */
#include "bench.h"
#include "cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SAMPLE_FILE_MAX (1u << 20)

/* ---- the sample ------------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_file(bench_sample *s, const char *path, const char *label, size_t size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return BB_OK; /* vanished or unreadable: not part of the sample */
	unsigned char *d = malloc(size ? size : 1);
	size_t got = d ? fread(d, 1, size, f) : 0;
	fclose(f);
	if (!d)
		return BB_ENOMEM;
	/* text only: binary files are skipped by a real scan too */
	if (got != size || memchr(d, 0, got < 8192 ? got : 8192)) {
		free(d);
		return BB_OK;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **l = realloc(s->labels, cap * sizeof *l);
		if (l)
			s->labels = l;
		unsigned char **v = l ? realloc(s->data, cap * sizeof *v) : NULL;
		if (v)
			s->data = v;
		size_t *n = v ? realloc(s->len, cap * sizeof *n) : NULL;
		if (!n) {
			free(d);
			return BB_ENOMEM;
		}
		s->len = n;
		s->cap = cap;
	}
	if (!(s->labels[s->n] = strdup(label))) {
		free(d);
		return BB_ENOMEM;
	}
	s->data[s->n] = d;
	s->len[s->n++] = got;
	s->bytes += got;
	return BB_OK;
}

static int walk(bench_sample *s, const char *dir, const char *rel, uint64_t max, int depth)
{
	if (depth > 64)
		return BB_OK;
	DIR *d = opendir(dir);
	if (!d)
		return BB_OK;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = BB_OK;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.') /* ., .., .git and other hidden entries */
			continue;
		char **v = cli_grow(names, &cap, n, sizeof *v, 64);
		if (!v) {
			rc = BB_ENOMEM;
			break;
		}
		names = v;
		if (!(names[n] = strdup(e->d_name))) {
			rc = BB_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; rc == BB_OK && i < n && s->bytes < max; i++) {
		char path[4096], label[4096];
		struct stat st;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path ||
			(size_t)snprintf(label, sizeof label, "%s%s%s", rel, rel[0] ? "/" : "",
				names[i]) >= sizeof label ||
			lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(s, path, label, max, depth + 1);
		else if (S_ISREG(st.st_mode) && st.st_size <= SAMPLE_FILE_MAX &&
			s->bytes + (uint64_t)st.st_size <= max)
			rc = add_file(s, path, label, (size_t)st.st_size);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int bench_sample_load(bench_sample *s, const char *root, uint64_t max_bytes, char *err,
	size_t errlen)
{
	struct stat st;
	memset(s, 0, sizeof *s);
	s->root = root;
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", root);
		return BB_EINVAL;
	}
	int rc = walk(s, root, "", max_bytes, 0);
	if (rc == BB_OK && !s->n) {
		snprintf(err, errlen, "%s: no text files to sample", root);
		rc = BB_EINVAL;
	}
	return rc;
}

void bench_sample_free(bench_sample *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->labels[i]);
		free(s->data[i]);
	}
	free(s->labels);
	free(s->data);
	free(s->len);
	memset(s, 0, sizeof *s);
}

/* ---- timing ----------------------------------------------------------------------- */

static int count(const bb_finding *f, void *payload)
{
	(void)f;
	(*(uint64_t *)payload)++;
	return 0;
}

/* Best of `repeat` single-threaded passes over the sample; -1 on error. */
static double timed_scan(bb_scanner *sc, const bench_sample *s, unsigned repeat,
	uint64_t *findings)
{
	double best = -1;
	for (unsigned r = 0; r < (repeat ? repeat : 1); r++) {
		uint64_t n = 0;
		double t0 = cli_now();
		for (size_t i = 0; i < s->n; i++) {
			int rc = bb_scanner_scan_buffer(sc, s->data[i], s->len[i], s->labels[i], count, &n);
			if (rc < 0 && rc != BB_ESKIPPED)
				return -1;
		}
		double t = cli_now() - t0;
		if (best < 0 || t < best)
			best = t;
		if (findings)
			*findings = n;
	}
	return best;
}

/* Scan time over the sample of the set `base` restricted to `ids` (n may be 0:
 * nothing selected). Compile time in *compile_ms. */
static double subset_time(const bb_ruleset_options *base, const char *const *ids, size_t n,
	const bench_sample *s, unsigned repeat, double *compile_ms)
{
	static const char *const none[] = { "\x01" }; /* no id is that */
	bb_ruleset_options o = *base;
	o.only_ids = n ? ids : none;
	o.n_only_ids = n ? n : 1;
	o.no_cache = 1;
	bb_ruleset *rs = NULL;
	bb_scanner *sc = NULL;
	bb_diag d;
	double t0 = cli_now(), t = -1;
	if (bb_ruleset_load(&rs, &o, &d) == BB_OK) {
		if (compile_ms)
			*compile_ms = (cli_now() - t0) * 1e3;
		if (bb_scanner_new(&sc, rs, NULL, NULL) == BB_OK)
			t = timed_scan(sc, s, repeat, NULL);
	}
	bb_scanner_free(sc);
	bb_ruleset_free(rs);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

const bench_sig *bench_find_sig(const bench_set *set, const char *id)
{
	long i = set ? bb_ruleset_find(set->rs, id) : -1;
	return i < 0 ? NULL : &set->sigs[i];
}

int bench_same_definition(const bb_signature *a, const bb_signature *b)
{
	return !strcmp(a->pattern, b->pattern) && !strcmp(a->anchor, b->anchor) &&
		!strcmp(a->path, b->path) && !strcmp(a->magic, b->magic) &&
		!strcmp(a->validator, b->validator) && a->min_entropy == b->min_entropy &&
		a->kind == b->kind;
}

int bench_cost(bench_set *set, const bench_sample *s, const bench_set *reuse,
	const bb_ruleset_options *base, unsigned repeat, int quiet)
{
	bb_scanner *sc = NULL;
	int rc = bb_scanner_new(&sc, set->rs, NULL, NULL);
	if (rc == BB_OK)
		rc = bb_scanner_profile(sc, 1);
	if (rc < 0) {
		bb_scanner_free(sc);
		return rc;
	}
	/* whole set: timed without the profiler, then profiled once for the counters */
	bb_scanner *plain = NULL;
	if ((rc = bb_scanner_new(&plain, set->rs, NULL, NULL)) == BB_OK)
		set->full_s = timed_scan(plain, s, repeat, NULL);
	bb_scanner_free(plain);
	if (rc == BB_OK && timed_scan(sc, s, 1, NULL) < 0)
		rc = BB_ERROR;
	for (size_t i = 0; rc == BB_OK && i < set->n; i++) {
		bb_sig_stats st;
		bb_scanner_sig_stats(sc, i, &st);
		set->sigs[i].findings = st.findings;
		set->sigs[i].candidates = st.candidates;
		set->sigs[i].matches = st.matches;
		set->sigs[i].confirm_s = (double)st.confirm_ns / 1e9;
	}
	bb_scanner_free(sc);
	if (rc < 0 || set->full_s < 0)
		return rc < 0 ? rc : BB_ERROR;
	set->empty_s = subset_time(base, NULL, 0, s, repeat, NULL);
	if (set->empty_s < 0)
		return BB_ERROR;
	for (size_t i = 0; i < set->n; i++) {
		bench_sig *g = &set->sigs[i];
		const bench_sig *r = bench_find_sig(reuse, g->sig->id);
		if (r && r->have_cost && bench_same_definition(r->sig, g->sig)) {
			g->alone_s = r->alone_s;
			g->compile_ms = r->compile_ms;
			g->have_cost = 1;
			continue;
		}
		const char *id = g->sig->id;
		double t = subset_time(base, &id, 1, s, repeat, &g->compile_ms);
		if (t < 0)
			return BB_ERROR;
		g->alone_s = t > set->empty_s ? t - set->empty_s : 0;
		g->have_cost = 1;
		if (!quiet && (i % 25 == 24 || i + 1 == set->n))
			fprintf(stderr, "blackbar: bench: %s: %zu/%zu signatures timed alone\n",
				set->label, i + 1, set->n);
	}
	set->have_tree = 1;
	double *v = malloc((set->n + 1) * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; v && i < set->n; i++)
		v[k++] = set->sigs[i].alone_s;
	if (k) {
		qsort(v, k, sizeof *v, cmp_double);
		set->median_alone_s = v[k / 2];
	}
	free(v);
	return v ? BB_OK : BB_ENOMEM;
}
