/*
 * cmd_bench.c: `blackbar bench signatures`: per-signature precision, recall and
 * cost, for one signature set or two side by side (see bench.h).
 */
#include "cli.h"
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const char bb_bench_categories_json[]; /* bench/corpus-categories.json */

enum {
	O_CORPUS = 1, O_SIGS, O_COMPARE, O_CATEGORIES, O_TREE, O_TREE_BYTES, O_REPEAT, O_OUT,
	O_NO_PLOTS, O_NOISY, O_EXPENSIVE, O_QUIET
};

static const opt_spec specs[] = {
	{ O_CORPUS, "corpus", 0, OPT_VALUE, "FILE", "labelled corpus, JSON Lines (gzip too): text, label, category[, path]; repeatable" },
	{ O_SIGS, "signatures", 0, OPT_VALUE, "PATH", "the set to measure: a signature file or directory (default: the built-in set)" },
	{ O_COMPARE, "compare", 0, OPT_VALUE, "PATH", "a second set measured side by side (\"builtin\": the built-in set)" },
	{ O_CATEGORIES, "categories", 0, OPT_VALUE, "FILE", "which corpus categories each signature counts for (default: built in)" },
	{ O_TREE, "tree", 0, OPT_VALUE, "DIR", "source tree to sample for costs and findings per GB" },
	{ O_TREE_BYTES, "tree-bytes", 0, OPT_VALUE, "SIZE", "how much of the tree to sample (default 64M)" },
	{ O_REPEAT, "repeat", 0, OPT_VALUE, "N", "timed passes over the sample, the best kept (default 1)" },
	{ O_OUT, "out", 'o', OPT_VALUE, "DIR", "report directory (default bench-signatures)" },
	{ O_NO_PLOTS, "no-plots", 0, OPT_FLAG, NULL, "write no charts (gnuplot not needed)" },
	{ O_NOISY, "noisy-per-gb", 0, OPT_VALUE, "N", "flag signatures with at least N findings per GB of the tree (default 5)" },
	{ O_EXPENSIVE, "expensive-factor", 0, OPT_VALUE, "X", "flag signatures costing over X times the median alone (default 3)" },
	{ O_QUIET, "quiet", 'q', OPT_FLAG, NULL, "no progress and no summary on the terminal" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

typedef struct bench_args {
	const char *corpus[32];
	size_t n_corpus;
	const char *sigs, *compare, *categories, *tree, *out;
	unsigned long long tree_bytes;
	unsigned long repeat;
	int plots, quiet;
	double noisy, expensive;
} bench_args;

static int parse_pos_double(const char *v, double *out, const char *opt)
{
	char *end;
	double d = strtod(v, &end);
	if (!*v || *end || d < 0 || d != d) {
		fprintf(stderr, "blackbar: --%s takes a non-negative number, not '%s'\n", opt, cli_arg(v));
		return -1;
	}
	*out = d;
	return 0;
}

static int on_opt(int id, const char *v, void *ctx)
{
	bench_args *a = ctx;
	switch (id) {
	case O_CORPUS:
		if (a->n_corpus == 32) {
			fprintf(stderr, "blackbar: at most 32 --corpus\n");
			return -1;
		}
		a->corpus[a->n_corpus++] = v;
		return 0;
	case O_SIGS: a->sigs = v; return 0;
	case O_COMPARE: a->compare = v; return 0;
	case O_CATEGORIES: a->categories = v; return 0;
	case O_TREE: a->tree = v; return 0;
	case O_OUT: a->out = v; return 0;
	case O_NO_PLOTS: a->plots = 0; return 0;
	case O_QUIET: a->quiet = 1; return 0;
	case O_TREE_BYTES:
		if (parse_size(v, &a->tree_bytes) < 0 || !a->tree_bytes) {
			fprintf(stderr, "blackbar: --tree-bytes takes a size (64M, 1G), not '%s'\n", cli_arg(v));
			return -1;
		}
		return 0;
	case O_REPEAT:
		if (parse_uint(v, 100, &a->repeat) < 0 || !a->repeat) {
			fprintf(stderr, "blackbar: --repeat takes a number from 1 to 100, not '%s'\n", cli_arg(v));
			return -1;
		}
		return 0;
	case O_NOISY: return parse_pos_double(v, &a->noisy, "noisy-per-gb");
	case O_EXPENSIVE: return parse_pos_double(v, &a->expensive, "expensive-factor");
	}
	return -1;
}

/* The loading options of a set: NULL or "builtin" for the built-in signatures. */
static bb_ruleset_options set_options(const char **path)
{
	bb_ruleset_options o = { .no_cache = 1 };
	if (*path && !strcmp(*path, "builtin"))
		*path = NULL;
	if (*path) {
		o.paths = path;
		o.n_paths = 1;
		o.no_builtin = 1;
	}
	return o;
}

static int set_load(bench_set *set, const char **path, const char *label)
{
	bb_ruleset_options o = set_options(path);
	memset(set, 0, sizeof *set);
	set->label = label;
	double t0 = cli_now();
	int rc = cli_load_rules(&set->rs, &o);
	if (rc < 0)
		return -1;
	set->compile_s = cli_now() - t0;
	set->n = bb_ruleset_count(set->rs);
	if (!(set->sigs = calloc(set->n + 1, sizeof *set->sigs)))
		return -1;
	for (size_t i = 0; i < set->n; i++)
		set->sigs[i].sig = bb_ruleset_get(set->rs, i);
	return 0;
}

static void set_free(bench_set *set)
{
	for (size_t i = 0; i < set->n_cats; i++)
		free(set->cats[i].name);
	free(set->cats);
	free(set->sigs);
	bb_ruleset_free(set->rs);
}

static void print_totals(const bench_set *s)
{
	const bench_totals *t = &s->t;
	fprintf(stderr, "blackbar: bench: %s: %zu signatures; secret recall %.3f (category %.3f) "
		"over %u positives; false positives %.3f (category %.3f) over %u negatives; "
		"PII recall %.3f over %u\n", s->label, s->n,
		t->pos ? (double)t->found_any / t->pos : 0, t->pos ? (double)t->found_cat / t->pos : 0,
		t->pos, t->neg ? (double)t->fp_strict / t->neg : 0,
		t->neg ? (double)t->fp_scoped / t->neg : 0, t->neg,
		t->pii_pos ? (double)t->pii_found / t->pii_pos : 0, t->pii_pos);
}

static int bench_signatures(int argc, char **argv)
{
	bench_args a = { .out = "bench-signatures", .tree_bytes = 64u << 20, .repeat = 1,
		.plots = 1, .noisy = 5, .expensive = 3 };
	char *pos[1];
	int n_pos = 0;
	static const char usage[] = "blackbar bench signatures --corpus FILE [OPTIONS]";
	static const char about[] =
		"Measures a signature set on labelled corpora (per signature: true and false\n"
		"positives, precision, recall within its categories; misses per category) and,\n"
		"with --tree, on a sample of a source tree (findings per GB, candidates and\n"
		"confirmation time in the whole set, scan and compile time of each signature\n"
		"alone). Writes signatures.csv, categories.csv, summary.md and PNG charts\n"
		"(gnuplot) in --out. With --compare, a second set side by side.";
	int r = opts_parse(specs, argc, argv, on_opt, &a, pos, &n_pos);
	if (r == 1) {
		opts_help(stdout, usage, about, specs);
		return EXIT_CLEAN;
	}
	if (r < 0)
		return EXIT_ERROR;
	if (n_pos) {
		fprintf(stderr, "blackbar: bench signatures takes no file arguments ('%s'); see --help\n", cli_arg(pos[0]));
		return EXIT_ERROR;
	}
	if (!a.n_corpus) {
		fprintf(stderr, "blackbar: bench signatures needs at least one --corpus FILE\n");
		return EXIT_ERROR;
	}
	int rc = EXIT_ERROR;
	char err[512] = "";
	char *catjson = NULL;
	bench_catmap *map = NULL;
	bench_corpus corpus = { 0 };
	bench_sample sample = { 0 };
	bench_set sa, sb;
	int have_a = 0, have_b = 0, have_sample = 0;
	const char *pa = a.sigs, *pb = a.compare;

	if (a.categories) {
		if (!(catjson = cli_read_file(a.categories, NULL))) {
			fprintf(stderr, "blackbar: %s: cannot read the category map\n", a.categories);
			goto out;
		}
	}
	if (bench_catmap_load(&map, catjson ? catjson : bb_bench_categories_json, err, sizeof err) < 0) {
		fprintf(stderr, "blackbar: %s: %s\n", a.categories ? a.categories : "built-in map", err);
		goto out;
	}
	for (size_t i = 0; i < a.n_corpus; i++)
		if (bench_corpus_read(&corpus, a.corpus[i], err, sizeof err) < 0) {
			fprintf(stderr, "blackbar: %s\n", err[0] ? err : "out of memory");
			goto out;
		}
	if (set_load(&sa, &pa, a.sigs ? a.sigs : "builtin") < 0)
		goto out;
	have_a = 1;
	if (a.compare) {
		if (set_load(&sb, &pb, a.compare) < 0)
			goto out;
		have_b = 1;
	}
	if (bench_corpus_score(&sa, &corpus, map) < 0 ||
		(have_b && bench_corpus_score(&sb, &corpus, map) < 0)) {
		fprintf(stderr, "blackbar: scanning the corpus failed\n");
		goto out;
	}
	if (a.tree) {
		if (bench_sample_load(&sample, a.tree, a.tree_bytes, err, sizeof err) < 0) {
			fprintf(stderr, "blackbar: %s\n", err[0] ? err : "out of memory");
			goto out;
		}
		have_sample = 1;
		if (!a.quiet)
			fprintf(stderr, "blackbar: bench: tree sample: %zu files, %.1f MB\n", sample.n,
				(double)sample.bytes / 1e6);
		bb_ruleset_options oa = set_options(&pa), ob = set_options(&pb);
		if (bench_cost(&sa, &sample, NULL, &oa, (unsigned)a.repeat, a.quiet) < 0 ||
			(have_b && bench_cost(&sb, &sample, &sa, &ob, (unsigned)a.repeat, a.quiet) < 0)) {
			fprintf(stderr, "blackbar: timing the signatures on the tree failed\n");
			goto out;
		}
	}
	bench_run run = { &sa, have_b ? &sb : NULL, &corpus, have_sample ? &sample : NULL,
		a.out, a.plots, a.noisy, a.expensive };
	if (bench_report(&run) < 0)
		goto out;
	if (!a.quiet) {
		print_totals(&sa);
		if (have_b)
			print_totals(&sb);
		fprintf(stderr, "blackbar: bench: report in %s/summary.md\n", a.out);
	}
	rc = EXIT_CLEAN;
out:
	if (have_a)
		set_free(&sa);
	if (have_b)
		set_free(&sb);
	bench_sample_free(&sample);
	bench_corpus_free(&corpus);
	bench_catmap_free(map);
	free(catjson);
	return rc;
}

int cmd_bench(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "signatures"))
		return bench_signatures(argc - 1, argv + 1);
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		printf("Usage: blackbar bench signatures --corpus FILE [OPTIONS]\n\n"
			"Signature tuning bench; see blackbar bench signatures --help.\n"
			"The whole benchmark report (throughput, hook latency, history, peers):\n"
			"bench/all.sh in the source tree.\n");
		return EXIT_CLEAN;
	}
	fprintf(stderr, "blackbar: bench: expected 'signatures' (see blackbar bench --help)\n");
	return EXIT_ERROR;
}
