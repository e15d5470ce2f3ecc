/*
 * bench_report.c: what `blackbar bench signatures` writes in --out DIR.
 *
 *   signatures.csv          one row per signature of the set
 *   categories.csv          one row per corpus category (misses are attributed
 *                           to categories: a missed record names no signature)
 *   signatures-compare.csv  with --compare: both sets side by side, and deltas
 *   summary.md              the readable report, charts included
 *   *.png                   charts drawn by gnuplot (its input: *.dat, charts.gp)
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static double gb(const bench_run *r)
{
	return r->sample ? (double)r->sample->bytes / 1e9 : 0;
}

void bench_machine(char *out, size_t n)
{
	char model[256] = "unknown CPU", line[512];
	long mem_kb = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	if (f)
		fclose(f);
	if ((f = fopen("/proc/meminfo", "r"))) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "MemTotal: %ld kB", &mem_kb) == 1)
				break;
		fclose(f);
	}
	struct utsname u;
	if (uname(&u) < 0)
		snprintf(u.release, sizeof u.release, "?");
	snprintf(out, n, "%s, %ld cores online, %.1f GiB RAM, Linux %s", model,
		sysconf(_SC_NPROCESSORS_ONLN), (double)mem_kb / (1024.0 * 1024.0), u.release);
}

/* ---- per-signature figures ------------------------------------------------------ */

static double precision(const bench_sig *g)
{
	return ratio(g->tp, g->tp + g->fp);
}

static double recall(const bench_sig *g)
{
	return ratio(g->tp_cat, g->cat_pos);
}

static double per_gb(const bench_run *r, double v)
{
	return gb(r) > 0 ? v / gb(r) : 0;
}

void bench_flags(const bench_run *r, const bench_set *set, const bench_sig *g, char *out,
	size_t n)
{
	size_t len = 0;
	out[0] = '\0';
#define FLAG(s) (len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? " " : "", s))
	if (set->have_tree && g->have_cost) {
		double med = set->median_alone_s;
		if ((med > 0 && g->alone_s > r->expensive_share * med) ||
			g->confirm_s > 0.02 * set->full_s)
			FLAG("expensive");
		if (per_gb(r, (double)g->findings) >= r->noisy_per_gb)
			FLAG("noisy");
	}
	if (g->fp >= 2 && precision(g) < 0.5)
		FLAG("low-precision");
	if (!g->tp && !g->fp && !g->cat_pos)
		FLAG("no-corpus");
#undef FLAG
}

/* ---- CSV ---------------------------------------------------------------------------- */

static void csv_num(FILE *f, int have, const char *fmt, double v)
{
	fputc(',', f);
	if (have)
		fprintf(f, fmt, v);
}

static int write_signatures_csv(const bench_run *r, const bench_set *set, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "id,kind,severity,categories,corpus_tp,corpus_tp_in_category,corpus_fp,"
		"corpus_fp_in_category,precision,category_positives,recall_in_category,"
		"tree_findings,findings_per_gb,candidates_per_gb,confirm_ms_per_gb,"
		"alone_ms_per_gb,alone_mb_per_s,compile_ms,flags\n");
	for (size_t i = 0; i < set->n; i++) {
		const bench_sig *g = &set->sigs[i];
		char flags[128];
		int t = set->have_tree && g->have_cost;
		bench_flags(r, set, g, flags, sizeof flags);
		fprintf(f, "%s,%s,%s,%s,%u,%u,%u,%u", g->sig->id, bb_kind_name(g->sig->kind),
			bb_severity_name(g->sig->severity), g->cats, g->tp, g->tp_cat, g->fp, g->fp_scoped);
		csv_num(f, g->tp + g->fp > 0, "%.4f", precision(g));
		fprintf(f, ",%u", g->cat_pos);
		csv_num(f, g->cat_pos > 0, "%.4f", recall(g));
		csv_num(f, t, "%.0f", (double)g->findings);
		csv_num(f, t, "%.2f", per_gb(r, (double)g->findings));
		csv_num(f, t, "%.0f", per_gb(r, (double)g->candidates));
		csv_num(f, t, "%.3f", per_gb(r, g->confirm_s * 1e3));
		csv_num(f, t, "%.1f", per_gb(r, g->alone_s * 1e3));
		csv_num(f, t && g->alone_s > 0, "%.0f", ratio(gb(r) * 1e3, g->alone_s));
		csv_num(f, t, "%.1f", g->compile_ms);
		fprintf(f, ",%s\n", flags);
	}
	return fclose(f);
}

static int write_categories_csv(const bench_set *set, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "category,kind,positives,found,found_in_category,missed,recall,"
		"recall_in_category,weak_positives,weak_found,negatives,fp,fp_in_category\n");
	for (size_t i = 0; i < set->n_cats; i++) {
		const bench_cat *c = &set->cats[i];
		fprintf(f, "%s,%s,%u,%u,%u,%u,", c->name, c->pii ? "pii" : "secret", c->pos,
			c->found_any, c->found_cat, c->pos - c->found_any);
		if (c->pos)
			fprintf(f, "%.4f,%.4f", ratio(c->found_any, c->pos), ratio(c->found_cat, c->pos));
		else
			fputc(',', f);
		fprintf(f, ",%u,%u,%u,%u,%u\n", c->weak, c->weak_found, c->neg, c->fp_strict,
			c->fp_scoped);
	}
	return fclose(f);
}

/* Every signature id of a and b: a's in order, then those only in b. */
static const char **all_ids(const bench_run *r, size_t *n)
{
	const char **v = malloc((r->a->n + r->b->n + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; v && i < r->a->n; i++)
		v[(*n)++] = r->a->sigs[i].sig->id;
	for (size_t i = 0; v && i < r->b->n; i++)
		if (!bench_find_sig(r->a, r->b->sigs[i].sig->id))
			v[(*n)++] = r->b->sigs[i].sig->id;
	return v;
}

static const char *change(const bench_sig *a, const bench_sig *b)
{
	if (!a)
		return "added";
	if (!b)
		return "removed";
	return bench_same_definition(a->sig, b->sig) ? "same" : "changed";
}

static void side(FILE *f, const bench_run *r, const bench_sig *g)
{
	if (!g) {
		fprintf(f, ",,,,,,");
		return;
	}
	fprintf(f, ",%u,%u", g->tp, g->fp);
	csv_num(f, g->tp + g->fp > 0, "%.4f", precision(g));
	csv_num(f, g->cat_pos > 0, "%.4f", recall(g));
	csv_num(f, g->have_cost, "%.2f", per_gb(r, (double)g->findings));
	csv_num(f, g->have_cost, "%.1f", per_gb(r, g->alone_s * 1e3));
}

static int write_compare_csv(const bench_run *r, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t n;
	const char **ids = all_ids(r, &n);
	if (!f || !ids) {
		if (f)
			fclose(f);
		free(ids);
		return -1;
	}
	fprintf(f, "id,change,a_tp,a_fp,a_precision,a_recall_in_category,a_findings_per_gb,"
		"a_alone_ms_per_gb,b_tp,b_fp,b_precision,b_recall_in_category,b_findings_per_gb,"
		"b_alone_ms_per_gb,delta_tp,delta_fp\n");
	for (size_t i = 0; i < n; i++) {
		const bench_sig *a = bench_find_sig(r->a, ids[i]), *b = bench_find_sig(r->b, ids[i]);
		fprintf(f, "%s,%s", ids[i], change(a, b));
		side(f, r, a);
		side(f, r, b);
		fprintf(f, ",%d,%d\n", (int)(b ? b->tp : 0) - (int)(a ? a->tp : 0),
			(int)(b ? b->fp : 0) - (int)(a ? a->fp : 0));
	}
	free(ids);
	return fclose(f);
}

/* ---- charts -------------------------------------------------------------------------- */

typedef struct rank_item {
	const bench_sig *g;
	double key;
} rank_item;

static int by_key_desc(const void *x, const void *y)
{
	const rank_item *a = x, *b = y;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return strcmp(a->g->sig->id, b->g->sig->id);
}

typedef double (*sig_key)(const bench_run *r, const bench_sig *g);

static double key_alone(const bench_run *r, const bench_sig *g)
{
	return g->have_cost ? per_gb(r, g->alone_s * 1e3) : -1;
}

static double key_noise(const bench_run *r, const bench_sig *g)
{
	return g->have_cost ? per_gb(r, (double)g->findings) : -1;
}

static double key_fp(const bench_run *r, const bench_sig *g)
{
	(void)r;
	return g->fp;
}

/* The set's signatures by key, largest first, at most `max` with key > 0. */
static size_t ranked(const bench_run *r, const bench_set *set, sig_key key, size_t max,
	rank_item *out)
{
	rank_item *v = malloc((set->n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; v && i < set->n; i++) {
		double k = key(r, &set->sigs[i]);
		if (k > 0)
			v[n++] = (rank_item){ &set->sigs[i], k };
	}
	if (v)
		qsort(v, n, sizeof *v, by_key_desc);
	if (n > max)
		n = max;
	if (v)
		memcpy(out, v, n * sizeof *v);
	free(v);
	return n;
}

static int write_dat(const bench_run *r, const char *dir)
{
	char path[4096];
	FILE *f;
	/* precision-recall: one point per signature that the corpus exercised */
	for (int s = 0; s < (r->b ? 2 : 1); s++) {
		const bench_set *set = s ? r->b : r->a;
		snprintf(path, sizeof path, "%s/pr-%c.dat", dir, s ? 'b' : 'a');
		if (!(f = fopen(path, "w")))
			return -1;
		fprintf(f, "# id recall_in_category precision label\n");
		for (size_t i = 0; i < set->n; i++) {
			const bench_sig *g = &set->sigs[i];
			if (g->tp + g->fp == 0 || !g->cat_pos)
				continue;
			int show = precision(g) < 0.9; /* label only the ones to look at */
			fprintf(f, "%s %.4f %.4f %s\n", g->sig->id, recall(g), precision(g),
				show ? g->sig->id : "\"\"");
		}
		fclose(f);
	}
	rank_item top[30];
	size_t n;
	if (r->a->have_tree) {
		snprintf(path, sizeof path, "%s/cost.dat", dir);
		if (!(f = fopen(path, "w")))
			return -1;
		fprintf(f, "# id alone_ms_per_gb confirm_ms_per_gb\n");
		n = ranked(r, r->a, key_alone, 30, top);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s %.2f %.3f\n", top[i].g->sig->id, top[i].key,
				per_gb(r, top[i].g->confirm_s * 1e3));
		fclose(f);
		snprintf(path, sizeof path, "%s/noise.dat", dir);
		if (!(f = fopen(path, "w")))
			return -1;
		fprintf(f, "# id findings_per_gb\n");
		n = ranked(r, r->a, key_noise, 30, top);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s %.2f\n", top[i].g->sig->id, top[i].key);
		fclose(f);
	}
	/* categories with the most positives: recall, any finding and in category */
	snprintf(path, sizeof path, "%s/categories.dat", dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "# category positives recall recall_in_category\n");
	int *used = calloc(r->a->n_cats + 1, sizeof *used);
	for (int k = 0; used && k < 40; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < r->a->n_cats; i++)
			if (!used[i] && r->a->cats[i].pos &&
				(best == SIZE_MAX || r->a->cats[i].pos > r->a->cats[best].pos))
				best = i;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		const bench_cat *c = &r->a->cats[best];
		fprintf(f, "%s %u %.4f %.4f\n", c->name, c->pos, ratio(c->found_any, c->pos),
			ratio(c->found_cat, c->pos));
	}
	free(used);
	fclose(f);
	return 0;
}

static const char charts_gp[] =
	"set terminal pngcairo size 1400,900 font 'sans,10'\n"
	"set datafile commentschars '#'\n"
	"set grid\n"
	"set output 'precision-recall.png'\n"
	"set title 'Signatures on the labelled corpus (one point per signature the corpus exercises)'\n"
	"set xlabel 'recall within its categories'\n"
	"set ylabel 'precision (true / all findings on corpus records)'\n"
	"set xrange [-0.02:1.05]\n"
	"set yrange [-0.02:1.05]\n"
	"set key outside bottom center horizontal\n"
	"%s\n" /* the plot command: one or two sets */
	"unset xrange\n"
	"unset yrange\n"
	"set output 'categories.png'\n"
	"set title 'Recall per corpus category (the 40 with the most positives)'\n"
	"set style data histograms\n"
	"set style histogram clustered gap 1\n"
	"set style fill solid 0.8 border -1\n"
	"set xtics rotate by -60 scale 0\n"
	"set xlabel ''\n"
	"set ylabel 'recall'\n"
	"set yrange [0:1.05]\n"
	"set key top right\n"
	"plot 'categories.dat' using 3:xtic(1) title 'any finding', '' using 4 title 'finding of the category'\n"
	"%s"; /* the cost and noise charts, when a tree was sampled */

static const char charts_tree_gp[] =
	"set output 'cost.png'\n"
	"set title 'The 30 most expensive signatures (alone over the tree sample; confirmation within the whole set)'\n"
	"set ylabel 'ms per GB'\n"
	"set autoscale y\n"
	"set logscale y\n"
	"plot 'cost.dat' using 2:xtic(1) title 'alone: prefilter + confirmation', '' using 3 title 'confirmation in the whole set'\n"
	"unset logscale y\n"
	"set output 'noise.png'\n"
	"set title 'False-positive pressure: findings per GB of the tree sample (ordinary source code)'\n"
	"set ylabel 'findings per GB'\n"
	"plot 'noise.dat' using 2:xtic(1) title 'findings per GB' \n";

static int run_gnuplot(const char *dir, char *why, size_t n)
{
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(why, n, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		if (chdir(dir) == 0)
			execlp("gnuplot", "gnuplot", "charts.gp", (char *)NULL);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	snprintf(why, n, WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "gnuplot is not installed"
		: "gnuplot failed");
	return -1;
}

/* A set label (a path) as text inside a single-quoted gnuplot string. */
static void gp_text(char *out, size_t n, const char *s)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		out[k++] = *s == '\'' ? '`' : (unsigned char)*s < 0x20 ? '?' : *s;
	out[k] = '\0';
}

static int write_charts(const bench_run *r, char *why, size_t n)
{
	char path[4096], plot[512];
	if (write_dat(r, r->out_dir) < 0) {
		snprintf(why, n, "cannot write the chart data");
		return -1;
	}
	char la[128], lb[128];
	gp_text(la, sizeof la, r->a->label);
	gp_text(lb, sizeof lb, r->b ? r->b->label : "");
	if (r->b)
		snprintf(plot, sizeof plot, "plot 'pr-a.dat' using 2:3 with points pt 7 title '%s', "
			"'pr-b.dat' using 2:3 with points pt 6 ps 1.5 title '%s', "
			"'pr-b.dat' using 2:3:4 with labels offset 1,0.5 left font ',8' notitle", la, lb);
	else
		snprintf(plot, sizeof plot, "plot 'pr-a.dat' using 2:3 with points pt 7 title '%s', "
			"'pr-a.dat' using 2:3:4 with labels offset 1,0.5 left font ',8' notitle", la);
	snprintf(path, sizeof path, "%s/charts.gp", r->out_dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(why, n, "cannot write charts.gp: %s", strerror(errno));
		return -1;
	}
	fprintf(f, charts_gp, plot, r->a->have_tree ? charts_tree_gp : "");
	fclose(f);
	return run_gnuplot(r->out_dir, why, n);
}

/* ---- summary.md ------------------------------------------------------------------------ */

static void pct(FILE *f, unsigned a, unsigned b)
{
	if (b)
		fprintf(f, " %.3f (%u/%u) |", ratio(a, b), a, b);
	else
		fprintf(f, " - |");
}

static void overall(FILE *f, const bench_run *r)
{
	const bench_set *s[2] = { r->a, r->b };
	int k = r->b ? 2 : 1;
	fprintf(f, "| | %s |%s%s%s\n|---|---|%s\n", r->a->label, r->b ? " " : "",
		r->b ? r->b->label : "", r->b ? " |" : "", r->b ? "---|" : "");
	fprintf(f, "| signatures |");
	for (int i = 0; i < k; i++)
		fprintf(f, " %zu |", s[i]->n);
	fprintf(f, "\n| compile (s) |");
	for (int i = 0; i < k; i++)
		fprintf(f, " %.2f |", s[i]->compile_s);
	/* Ratios of two bench_totals counters, one row each. */
	static const struct { const char *label; size_t num, den; } ratios[] = {
		{ "secret recall, any finding", offsetof(bench_totals, found_any), offsetof(bench_totals, pos) },
		{ "secret recall, finding of the category", offsetof(bench_totals, found_cat), offsetof(bench_totals, pos) },
		{ "false-positive rate, any finding", offsetof(bench_totals, fp_strict), offsetof(bench_totals, neg) },
		{ "false-positive rate, finding of the category", offsetof(bench_totals, fp_scoped), offsetof(bench_totals, neg) },
		{ "PII recall (weak positives apart)", offsetof(bench_totals, pii_found), offsetof(bench_totals, pii_pos) },
		{ "PII recall on weak positives", offsetof(bench_totals, pii_weak_found), offsetof(bench_totals, pii_weak) },
		{ "PII false positives", offsetof(bench_totals, pii_fp), offsetof(bench_totals, pii_neg) },
	};
	for (size_t row = 0; row < sizeof ratios / sizeof *ratios; row++) {
		fprintf(f, "\n| %s |", ratios[row].label);
		for (int i = 0; i < k; i++) {
			const char *t = (const char *)&s[i]->t;
			pct(f, *(const unsigned *)(t + ratios[row].num), *(const unsigned *)(t + ratios[row].den));
		}
	}
	if (r->sample) {
		fprintf(f, "\n| tree sample: whole set, 1 thread (MB/s) |");
		for (int i = 0; i < k; i++)
			fprintf(f, " %.0f |", ratio((double)r->sample->bytes / 1e6, s[i]->full_s));
		fprintf(f, "\n| tree sample: findings per GB |");
		for (int i = 0; i < k; i++) {
			uint64_t t = 0;
			for (size_t j = 0; j < s[i]->n; j++)
				t += s[i]->sigs[j].findings;
			fprintf(f, " %.1f |", per_gb(r, (double)t));
		}
	}
	fprintf(f, "\n\n");
}

static void sig_table(FILE *f, const bench_run *r, const bench_set *set, sig_key key,
	size_t max, const char *title, const char *empty)
{
	rank_item top[40];
	size_t n = ranked(r, set, key, max < 40 ? max : 40, top);
	fprintf(f, "### %s\n\n", title);
	if (!n) {
		fprintf(f, "%s\n\n", empty);
		return;
	}
	fprintf(f, "| signature | corpus TP | corpus FP | precision | recall in category | "
		"findings/GB | alone ms/GB | flags |\n|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const bench_sig *g = top[i].g;
		char flags[128];
		bench_flags(r, set, g, flags, sizeof flags);
		fprintf(f, "| `%s` | %u | %u | ", g->sig->id, g->tp, g->fp);
		if (g->tp + g->fp)
			fprintf(f, "%.2f | ", precision(g));
		else
			fprintf(f, "- | ");
		if (g->cat_pos)
			fprintf(f, "%.2f (%u/%u) | ", recall(g), g->tp_cat, g->cat_pos);
		else
			fprintf(f, "- | ");
		if (g->have_cost)
			fprintf(f, "%.1f | %.0f | ", per_gb(r, (double)g->findings),
				per_gb(r, g->alone_s * 1e3));
		else
			fprintf(f, "- | - | ");
		fprintf(f, "%s |\n", flags);
	}
	fprintf(f, "\n");
}

static void misses(FILE *f, const bench_set *set)
{
	fprintf(f, "### Misses by category\n\nA missed positive names no signature, so misses "
		"are attributed to the record's category (categories with a miss, most first).\n\n"
		"| category | positives | found | missed | recall | found by a signature of the "
		"category |\n|---|---|---|---|---|---|\n");
	int *used = calloc(set->n_cats + 1, sizeof *used);
	for (int k = 0; used && k < 30; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < set->n_cats; i++) {
			const bench_cat *c = &set->cats[i];
			if (used[i] || c->pos == c->found_any)
				continue;
			if (best == SIZE_MAX || c->pos - c->found_any >
				set->cats[best].pos - set->cats[best].found_any)
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		const bench_cat *c = &set->cats[best];
		fprintf(f, "| %s | %u | %u | %u | %.2f | %u |\n", c->name, c->pos, c->found_any,
			c->pos - c->found_any, ratio(c->found_any, c->pos), c->found_cat);
	}
	free(used);
	fprintf(f, "\n");
}

/* "0.93" or "-" when the figure does not exist. */
static const char *fmt(char *buf, size_t n, int have, const char *f, double v)
{
	if (have)
		snprintf(buf, n, f, v);
	else
		snprintf(buf, n, "-");
	return buf;
}

static void changes(FILE *f, const bench_run *r)
{
	size_t n;
	const char **ids = all_ids(r, &n);
	fprintf(f, "## Changes from %s to %s\n\n", r->a->label, r->b->label);
	fprintf(f, "Signatures added, removed or redefined, and those whose corpus counts or "
		"findings on the tree moved.\n\n| signature | change | TP | FP | precision | "
		"recall in category | findings/GB | alone ms/GB |\n|---|---|---|---|---|---|---|---|\n");
	size_t shown = 0;
	for (size_t i = 0; ids && i < n; i++) {
		const bench_sig *a = bench_find_sig(r->a, ids[i]), *b = bench_find_sig(r->b, ids[i]);
		const char *ch = change(a, b);
		int moved = a && b && (a->tp != b->tp || a->fp != b->fp || a->findings != b->findings);
		if (!strcmp(ch, "same") && !moved)
			continue;
		shown++;
		char x[4][32];
		const bench_sig *s2[2] = { a, b };
		fprintf(f, "| `%s` | %s | %u → %u | %u → %u |", ids[i], ch, a ? a->tp : 0,
			b ? b->tp : 0, a ? a->fp : 0, b ? b->fp : 0);
		for (int k = 0; k < 2; k++) {
			const bench_sig *g = s2[k];
			fmt(x[2 * k], sizeof x[0], g && g->tp + g->fp, "%.2f", g ? precision(g) : 0);
			fmt(x[2 * k + 1], sizeof x[0], g && g->cat_pos, "%.2f", g ? recall(g) : 0);
		}
		fprintf(f, " %s → %s | %s → %s |", x[0], x[2], x[1], x[3]);
		for (int k = 0; k < 2; k++) {
			const bench_sig *g = s2[k];
			fmt(x[2 * k], sizeof x[0], g && g->have_cost, "%.1f",
				g ? per_gb(r, (double)g->findings) : 0);
			fmt(x[2 * k + 1], sizeof x[0], g && g->have_cost, "%.0f",
				g ? per_gb(r, g->alone_s * 1e3) : 0);
		}
		fprintf(f, " %s → %s | %s → %s |\n", x[0], x[2], x[1], x[3]);
	}
	free(ids);
	if (!shown)
		fprintf(f, "| (none) | | | | | | | |\n");
	fprintf(f, "\n");
}

static double key_flagged(const bench_run *r, const bench_sig *g)
{
	(void)r;
	return g->have_cost ? g->alone_s : -1;
}

static int write_summary(const bench_run *r, const char *path, const char *charts_note)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	char machine[512], date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm);
	bench_machine(machine, sizeof machine);
	fprintf(f, "# blackbar signature bench\n\n");
	fprintf(f, "- date: %s; blackbar %s\n- machine: %s\n", date, BB_VERSION, machine);
	fprintf(f, "- signature set: %s%s%s\n", r->a->label, r->b ? "; compared with: " : "",
		r->b ? r->b->label : "");
	fprintf(f, "- corpus:");
	for (size_t i = 0; i < r->corpus->n_files; i++)
		fprintf(f, "%s %s", i ? "," : "", r->corpus->files[i]);
	size_t eligible = 0;
	for (size_t i = 0; i < r->corpus->n; i++)
		eligible += (size_t)r->corpus->v[i].eligible;
	fprintf(f, " (%zu records, %zu counted; each scanned alone in %.2f s)\n", r->corpus->n,
		eligible, r->a->corpus_s);
	if (r->sample)
		fprintf(f, "- tree sample: %s, %zu text files, %.1f MB (held in memory, scanned "
			"on one thread)\n", r->sample->root, r->sample->n, (double)r->sample->bytes / 1e6);
	else
		fprintf(f, "- no tree sample (--tree): costs and findings per GB not measured\n");
	fprintf(f, "\n## Overall\n\n");
	overall(f, r);
	fprintf(f, "## Charts\n\n");
	if (charts_note[0])
		fprintf(f, "No charts: %s.\n\n", charts_note);
	else {
		fprintf(f, "![precision and recall per signature](precision-recall.png)\n\n"
			"![recall per category](categories.png)\n\n");
		if (r->a->have_tree)
			fprintf(f, "![cost per signature](cost.png)\n\n"
				"![findings per GB of source code](noise.png)\n\n");
	}
	if (r->b)
		changes(f, r);
	fprintf(f, "## Signatures to look at (%s)\n\n", r->a->label);
	sig_table(f, r, r->a, key_fp, 20, "Most false positives on the corpus",
		"No false positives on the corpus.");
	misses(f, r->a);
	if (r->a->have_tree) {
		sig_table(f, r, r->a, key_noise, 20, "Most findings on the tree sample "
			"(false-positive pressure on ordinary source code)", "No findings on the tree.");
		sig_table(f, r, r->a, key_flagged, 20, "Most expensive alone", "No costs measured.");
	}
	fprintf(f, "## How to read this\n\n"
		"- **TP / FP**: corpus records of any category on which the signature reported "
		"something (positives / negatives). Precision = TP / (TP + FP).\n"
		"- **recall in category**: the share of the positives of the signature's own "
		"categories (bench/corpus-categories.json) that it found. Several signatures can "
		"share a category, so this is each one's contribution.\n"
		"- **findings/GB**: findings per GB of the tree sample, which is ordinary source "
		"code: the false-positive pressure.\n"
		"- **alone ms/GB**: scan time with only this signature compiled, minus the time "
		"of an empty set; an upper bound of what it adds to the shared database.\n"
		"- **flags**: `expensive` (alone cost over %.0fx the median, or confirmation "
		"over 2%% of the whole set's scan time), `noisy` (at least %.1f findings per GB "
		"of source code), `low-precision` (at least 2 FP and precision under 0.5), "
		"`no-corpus` (the corpus never exercised it).\n", r->expensive_share,
		r->noisy_per_gb);
	return fclose(f);
}

int bench_report(const bench_run *r)
{
	char path[4096], why[256] = "";
	if (mkdir(r->out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "blackbar: cannot create %s: %s\n", r->out_dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/signatures.csv", r->out_dir);
	int bad = write_signatures_csv(r, r->a, path) != 0;
	snprintf(path, sizeof path, "%s/categories.csv", r->out_dir);
	bad |= write_categories_csv(r->a, path) != 0;
	if (r->b) {
		snprintf(path, sizeof path, "%s/signatures-compare.csv", r->out_dir);
		bad |= write_compare_csv(r, path) != 0;
	}
	if (!r->plots)
		snprintf(why, sizeof why, "--no-plots");
	else if (write_charts(r, why, sizeof why) < 0)
		fprintf(stderr, "blackbar: warning: no charts: %s\n", why);
	snprintf(path, sizeof path, "%s/summary.md", r->out_dir);
	bad |= write_summary(r, path, why) != 0;
	if (bad) {
		fprintf(stderr, "blackbar: cannot write the report in %s\n", r->out_dir);
		return -1;
	}
	return 0;
}
