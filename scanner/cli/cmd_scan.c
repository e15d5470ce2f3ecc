/*
 * cmd_scan.c: `blackbar scan [OPTIONS] [PATH...]`.
 *
 * Two phases, as in ripgrep: options are parsed and validated into scan_args
 * without touching anything; then the engine objects are built (signatures,
 * filter, walk) and the report is written.
 */
#include "cli.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	O_FORMAT = 1, O_OUTPUT, O_THREADS, O_MAXSIZE, O_SIGS, O_SIGS_ONLY, O_KIND, O_ONLY,
	O_SKIP, O_EXCLUDE, O_SHOW, O_CONFIG, O_NO_CONFIG, O_FOLLOW, O_GITIGNORE,
	O_SCAN_GIT_DIR, O_NO_DECOMP, O_NO_MAGIC, O_NO_PATH_RULES, O_NO_INLINE_ALLOW,
	O_NO_CACHE, O_CACHE_DIR, O_COLOR, O_NO_PROGRESS, O_QUIET, O_NO_MATCH, O_NO_CONFIRM, O_STAGED, O_GIT,
	O_SINCE, O_BASELINE, O_WRITE_BASELINE, O_MIN_CONFIDENCE
};

static const opt_spec scan_specs[] = {
	{ O_FORMAT, "format", 'f', OPT_VALUE, "FMT", "text (default), json, jsonl or sarif" },
	{ O_STAGED, "staged", 0, OPT_FLAG, NULL, "scan what the next commit adds (PATH: the repo)" },
	{ O_GIT, "git", 0, OPT_FLAG, NULL, "scan every blob of the history (PATH: the repo)" },
	{ O_SINCE, "since", 0, OPT_VALUE, "REV", "--git: only commits after REV (or A..B)" },
	{ O_BASELINE, "baseline", 0, OPT_VALUE, "FILE", "report only findings not in FILE" },
	{ O_WRITE_BASELINE, "write-baseline", 0, OPT_VALUE, "FILE", "record the findings in FILE" },
	{ O_OUTPUT, "output", 'o', OPT_VALUE, "FILE", "write the report to FILE" },
	{ O_THREADS, "threads", 'j', OPT_VALUE, "N", "scanning threads (default: one per CPU)" },
	{ O_MAXSIZE, "max-file-size", 0, OPT_VALUE, "SIZE", "skip larger files (e.g. 50M; default: none)" },
	{ O_SIGS, "signatures", 0, OPT_VALUE, "PATH", "add signatures from a file or directory" },
	{ O_SIGS_ONLY, "signatures-only", 0, OPT_FLAG, NULL, "use only --signatures, not the built-in set" },
	{ O_KIND, "kind", 0, OPT_VALUE, "KINDS", "report only: secret,phi,pii,sensitive-file" },
	{ O_ONLY, "only", 0, OPT_VALUE, "IDS", "report only these signature ids (\"aws.\": family)" },
	{ O_SKIP, "skip", 0, OPT_VALUE, "IDS", "never report these signature ids" },
	{ O_MIN_CONFIDENCE, "min-confidence", 0, OPT_VALUE, "LEVEL", "report only low (all), medium or high" },
	{ O_EXCLUDE, "exclude", 0, OPT_VALUE, "GLOB", "do not scan matching paths (repeatable)" },
	{ O_SHOW, "show-secrets", 0, OPT_FLAG, NULL, "put secret values in the report" },
	{ O_CONFIG, "config", 'c', OPT_VALUE, "FILE", "project config (default: ROOT/.blackbar.json)" },
	{ O_NO_CONFIG, "no-config", 0, OPT_FLAG, NULL, "ignore .blackbar.json" },
	{ O_FOLLOW, "follow-symlinks", 0, OPT_FLAG, NULL, "follow symbolic links" },
	{ O_GITIGNORE, "gitignore", 0, OPT_FLAG, NULL, "skip what .gitignore ignores" },
	{ O_SCAN_GIT_DIR, "scan-git-dir", 0, OPT_FLAG, NULL, "also scan inside .git directories" },
	{ O_NO_DECOMP, "no-decompress", 0, OPT_FLAG, NULL, "do not decode gzip/zstd files" },
	{ O_NO_MAGIC, "no-magic", 0, OPT_FLAG, NULL, "do not ask libmagic about binary files" },
	{ O_NO_PATH_RULES, "no-path-rules", 0, OPT_FLAG, NULL, "no sensitive-file-by-name findings" },
	{ O_NO_INLINE_ALLOW, "no-inline-allow", 0, OPT_FLAG, NULL, "ignore blackbar:allow comments" },
	{ O_NO_CACHE, "no-cache", 0, OPT_FLAG, NULL, "always compile signatures" },
	{ O_CACHE_DIR, "cache-dir", 0, OPT_VALUE, "DIR", "compiled-signature cache directory" },
	{ O_COLOR, "color", 0, OPT_VALUE, "WHEN", "auto (default), always or never" },
	{ O_NO_PROGRESS, "no-progress", 0, OPT_FLAG, NULL, "no progress line on a terminal" },
	{ O_QUIET, "quiet", 'q', OPT_FLAG, NULL, "no summary on standard error" },
	{ O_NO_MATCH, "no-match", 0, OPT_FLAG, NULL, "benchmark: read everything, match nothing" },
	{ O_NO_CONFIRM, "no-confirm", 0, OPT_FLAG, NULL, "benchmark: match candidates, confirm none" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

/* A growable list of strings borrowed from argv or malloc'd (split lists). */
typedef struct strlist {
	char **v;
	size_t n, cap;
	int owned;
} strlist;

typedef struct scan_args {
	report_format format;
	const char *output, *config, *cache_dir, *color, *since, *baseline, *write_baseline;
	unsigned long threads;
	unsigned long long max_size;
	int sigs_only, show, no_config, follow, gitignore, scan_git_dir, no_decompress,
		no_magic, no_path_rules, no_inline_allow, no_cache, no_progress, quiet, no_match, no_confirm,
		staged, git;
	unsigned kinds;
	int min_confidence;
	strlist sigs, only, skip, exclude;
} scan_args;

static int list_add(strlist *l, char *s)
{
	char **v = cli_grow(l->v, &l->cap, l->n, sizeof *v, 8);
	if (!v)
		return -1;
	l->v = v;
	l->v[l->n++] = s;
	return 0;
}

/* Splits "a,b c" into the list (owned copies). */
static int list_split(strlist *l, const char *s)
{
	l->owned = 1;
	while (*s) {
		size_t n = strcspn(s, ", ");
		if (n) {
			char *p = strndup(s, n);
			if (!p || list_add(l, p) < 0) {
				free(p);
				return -1;
			}
		}
		s += n;
		s += strspn(s, ", ");
	}
	return 0;
}

static void list_free(strlist *l)
{
	if (l->owned)
		for (size_t i = 0; i < l->n; i++)
			free(l->v[i]);
	free(l->v);
}

static int parse_kinds(const char *s, unsigned *out)
{
	strlist l = { 0 };
	int rc = list_split(&l, s);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		int k = bb_kind_parse(l.v[i]);
		if (k < 0) {
			fprintf(stderr, "blackbar: unknown kind '%s' (secret, phi, pii, sensitive-file)\n", cli_arg(l.v[i]));
			rc = -1;
		} else {
			*out |= 1u << k;
		}
	}
	list_free(&l);
	return rc;
}

static int on_opt(int id, const char *v, void *ctx)
{
	scan_args *a = ctx;
	unsigned long n;
	switch (id) {
	case O_FORMAT:
		if (report_format_parse(v, &a->format) < 0) {
			fprintf(stderr, "blackbar: unknown format '%s' (text, json, jsonl, sarif)\n", cli_arg(v));
			return -1;
		}
		return 0;
	case O_OUTPUT: a->output = v; return 0;
	case O_THREADS:
		if (parse_uint(v, 256, &n) < 0 || n == 0) {
			fprintf(stderr, "blackbar: --threads needs a number from 1 to 256, not '%s'\n", cli_arg(v));
			return -1;
		}
		a->threads = n;
		return 0;
	case O_MAXSIZE:
		if (parse_size(v, &a->max_size) < 0) {
			fprintf(stderr, "blackbar: --max-file-size needs a size like 10M, not '%s'\n", cli_arg(v));
			return -1;
		}
		return 0;
	case O_SIGS: return list_add(&a->sigs, (char *)v);
	case O_SIGS_ONLY: a->sigs_only = 1; return 0;
	case O_KIND: return parse_kinds(v, &a->kinds);
	case O_ONLY: return list_split(&a->only, v);
	case O_SKIP: return list_split(&a->skip, v);
	case O_EXCLUDE: return list_add(&a->exclude, (char *)v);
	case O_SHOW: a->show = 1; return 0;
	case O_CONFIG: a->config = v; return 0;
	case O_NO_CONFIG: a->no_config = 1; return 0;
	case O_FOLLOW: a->follow = 1; return 0;
	case O_GITIGNORE: a->gitignore = 1; return 0;
	case O_SCAN_GIT_DIR: a->scan_git_dir = 1; return 0;
	case O_NO_DECOMP: a->no_decompress = 1; return 0;
	case O_NO_MAGIC: a->no_magic = 1; return 0;
	case O_NO_PATH_RULES: a->no_path_rules = 1; return 0;
	case O_NO_INLINE_ALLOW: a->no_inline_allow = 1; return 0;
	case O_NO_CACHE: a->no_cache = 1; return 0;
	case O_CACHE_DIR: a->cache_dir = v; return 0;
	case O_COLOR:
		if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
			fprintf(stderr, "blackbar: --color takes auto, always or never\n");
			return -1;
		}
		a->color = v;
		return 0;
	case O_NO_PROGRESS: a->no_progress = 1; return 0;
	case O_QUIET: a->quiet = 1; return 0;
	case O_NO_MATCH: a->no_match = 1; return 0;
	case O_NO_CONFIRM: a->no_confirm = 1; return 0;
	case O_STAGED: a->staged = 1; return 0;
	case O_GIT: a->git = 1; return 0;
	case O_SINCE: a->since = v; return 0;
	case O_BASELINE: a->baseline = v; return 0;
	case O_WRITE_BASELINE: a->write_baseline = v; return 0;
	case O_MIN_CONFIDENCE:
		a->min_confidence = !strcmp(v, "low") ? BB_CONF_LOW : !strcmp(v, "medium")
			? BB_CONF_MEDIUM : !strcmp(v, "high") ? BB_CONF_HIGH : -1;
		if (a->min_confidence < 0) {
			fprintf(stderr, "blackbar: --min-confidence takes low, medium or high\n");
			return -1;
		}
		return 0;
	}
	return -1;
}

/* ---- running ------------------------------------------------------------------ */

typedef struct run {
	scan_args *a;
	report rep;
	int progress;   /* draw a progress line on stderr */
	int drawn;
} run;

static void on_warn(const char *path, const char *message, void *payload)
{
	run *r = payload;
	report_warn(&r->rep, path, message);
	if (r->drawn) {
		fputs("\r\033[K", stderr);
		r->drawn = 0;
	}
	if (!r->a->quiet) {
		fputs("blackbar: warning: ", stderr);
		report_put_path(stderr, path);
		fprintf(stderr, ": %s\n", message);
	}
}

static int on_finding(const bb_finding *f, void *payload)
{
	return report_add(f, &((run *)payload)->rep);
}

static int on_git_finding(const bb_finding *f, const bb_git_origin *o, void *payload)
{
	return report_add_git(f, o, &((run *)payload)->rep);
}

static void on_progress(const bb_walk_stats *st, void *payload)
{
	run *r = payload;
	if (!r->progress)
		return;
	fprintf(stderr, "\r\033[Kscanning: %llu files, %.1f MB, %llu findings",
		(unsigned long long)st->files_seen, (double)st->bytes_scanned / 1e6,
		(unsigned long long)st->findings);
	r->drawn = 1;
}

static int load_rules(const scan_args *a, bb_ruleset **rs)
{
	bb_ruleset_options ro = { .paths = (const char *const *)a->sigs.v, .n_paths = a->sigs.n,
		.no_builtin = a->sigs_only, .cache_dir = a->cache_dir, .no_cache = a->no_cache };
	if (a->sigs_only && !a->sigs.n) {
		fprintf(stderr, "blackbar: --signatures-only needs at least one --signatures\n");
		return -1;
	}
	int rc = cli_load_rules(rs, &ro);
	if (rc < 0)
		return -1;
	return 0;
}

/* Every --only/--skip entry must name a signature (or a family of them). */
static int check_ids(const bb_ruleset *rs, const strlist *l, const char *opt)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t k = 0, n = bb_ruleset_count(rs);
		while (k < n && !bb_id_matches(bb_ruleset_get(rs, k)->id, l->v[i]))
			k++;
		if (k == n) {
			fprintf(stderr, "blackbar: %s: no signature '%s' (see `blackbar signatures list`)\n",
				opt, cli_arg(l->v[i]));
			return -1;
		}
	}
	return 0;
}

/* The project config: --config, else .blackbar.json in the first directory root.
 * Its "baseline", when there is no --baseline, in *baseline (malloc'd, or NULL). */
static int load_config(const scan_args *a, char **roots, int n_roots, bb_filter *f,
	char **cfg_baseline)
{
	char path[4096];
	const char *cfg = a->config;
	*cfg_baseline = NULL;
	bb_diag d = { { 0 }, { 0 }, { 0 } };
	if (a->no_config)
		return 0;
	if (!cfg) {
		for (int i = 0; i < n_roots && !cfg; i++) {
			struct stat st;
			if (stat(roots[i], &st) == 0 && S_ISDIR(st.st_mode)) {
				snprintf(path, sizeof path, "%s/.blackbar.json", roots[i]);
				if (access(path, F_OK) == 0)
					cfg = path;
				break;
			}
		}
	}
	if (!cfg)
		return 0;
	if (bb_filter_load_config(f, cfg, &d) < 0 ||
		(!a->baseline && bb_config_baseline_path(cfg, cfg_baseline, &d) < 0)) {
		fprintf(stderr, "blackbar: %s: %s\n", d.file[0] ? d.file : cfg, d.message);
		return -1;
	}
	if (*cfg_baseline && access(*cfg_baseline, F_OK) != 0 && !a->write_baseline) {
		/* more findings, not fewer: blocking every commit over it would not help */
		fprintf(stderr, "blackbar: warning: the baseline %s named in %s does not exist\n",
			*cfg_baseline, cfg);
		free(*cfg_baseline);
		*cfg_baseline = NULL;
	}
	return 0;
}

static void summary(const run *r)
{
	const bb_walk_stats *st = &r->rep.stats;
	size_t by[5] = { 0 };
	for (size_t i = 0; i < r->rep.n; i++)
		by[bb_ruleset_get(r->rep.rs, r->rep.v[i].sig)->severity]++;
	fprintf(stderr, "blackbar: %zu finding%s", r->rep.n, r->rep.n == 1 ? "" : "s");
	if (r->rep.n) {
		const char *sep = " (";
		for (int s = BB_SEV_CRITICAL; s >= BB_SEV_INFO; s--) {
			if (by[s]) {
				fprintf(stderr, "%s%zu %s", sep, by[s], bb_severity_name((bb_severity)s));
				sep = ", ";
			}
		}
		fputc(')', stderr);
	}
	if (r->rep.n_baselined)
		fprintf(stderr, "; %zu in the baseline", r->rep.n_baselined);
	fprintf(stderr, "; %llu %s scanned (%.1f MB) in %.2f s, %llu skipped, %zu warning%s\n",
		(unsigned long long)st->files_scanned, r->a->git || r->a->staged ? "blobs" : "files",
		(double)st->bytes_scanned / 1e6,
		r->rep.seconds, (unsigned long long)st->files_skipped, r->rep.n_w,
		r->rep.n_w == 1 ? "" : "s");
}

static int missing_roots(char **roots, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(roots[i], "-") && stat(roots[i], &st) < 0) {
			fprintf(stderr, "blackbar: %s: %s\n", roots[i], strerror(errno));
			bad = 1;
		}
	}
	return bad;
}

static int execute(scan_args *a, char **roots, int n_roots)
{
	bb_ruleset *rs = NULL;
	bb_filter *filter = NULL;
	char *cfg_baseline = NULL;
	FILE *out = stdout;
	run r;
	int code = EXIT_ERROR;
	memset(&r, 0, sizeof r);
	r.a = a;
	char why[512];
	if (a->gitignore && !bb_git_available(why, sizeof why)) {
		fprintf(stderr, "blackbar: --gitignore: %s\n", why);
		return EXIT_ERROR;
	}
	if (missing_roots(roots, n_roots) || load_rules(a, &rs) < 0 ||
		check_ids(rs, &a->only, "--only") < 0 || check_ids(rs, &a->skip, "--skip") < 0)
		goto out;
	if (bb_filter_new(&filter) < 0 || load_config(a, roots, n_roots, filter, &cfg_baseline) < 0)
		goto out;
	for (size_t i = 0; i < a->exclude.n; i++) {
		if (bb_filter_exclude_path(filter, a->exclude.v[i]) < 0) {
			fprintf(stderr, "blackbar: --exclude: invalid glob '%s'\n", cli_arg(a->exclude.v[i]));
			goto out;
		}
	}
	/* a report created here is the owner's alone (with --show-secrets it holds
	 * the secrets); an existing file keeps its mode */
	int ofd = a->output ? open(a->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
	if (a->output && (ofd < 0 || !(out = fdopen(ofd, "w")))) {
		if (ofd >= 0)
			close(ofd);
		fprintf(stderr, "blackbar: cannot write %s: %s\n", a->output, strerror(errno));
		goto out;
	}
	report_init(&r.rep, rs, a->format, out);
	/* the config's baseline applies to reports, not to rewriting it */
	const char *bl = a->baseline ? a->baseline : a->write_baseline ? NULL : cfg_baseline;
	if (bl && baseline_load(&r.rep.baseline, bl) < 0)
		goto out;
	r.rep.keep_all = a->write_baseline != NULL;
	r.rep.color = a->format == FMT_TEXT && term_use_color(out, a->color);
	r.rep.show_secrets = a->show;
	r.rep.roots = (const char *const *)roots;
	r.rep.n_roots = (size_t)n_roots;
	r.progress = !a->no_progress && !a->quiet && isatty(2) && term_use_color(stderr, NULL);

	bb_scan_options so;
	bb_scan_options_init(&so);
	so.max_file_size = a->max_size;
	so.no_decompress = a->no_decompress;
	so.no_magic = a->no_magic;
	so.no_inline_allow = a->no_inline_allow;
	so.no_match = a->no_match;
	so.no_confirm = a->no_confirm;
	so.min_confidence = (bb_confidence)a->min_confidence;
	so.kinds = a->kinds;
	so.only_ids = a->only.n ? (const char *const *)a->only.v : NULL;
	so.n_only_ids = a->only.n;
	so.skip_ids = a->skip.n ? (const char *const *)a->skip.v : NULL;
	so.n_skip_ids = a->skip.n;
	bb_walk_options wo;
	bb_walk_options_init(&wo);
	wo.threads = (unsigned)a->threads;
	wo.follow_symlinks = a->follow;
	wo.gitignore = a->gitignore;
	wo.scan_git_dir = a->scan_git_dir;
	wo.skip_path_rules = a->no_path_rules;
	bb_walk_callbacks cbs = { on_finding, on_warn, on_progress, &r };
	double t0 = cli_now();
	int rc;
	if (a->staged || a->git) {
		bb_git_options go = { roots[0], a->staged, a->since, (unsigned)a->threads, a->max_size };
		bb_git_callbacks gcbs = { on_git_finding, on_warn, on_progress, &r };
		char err[512] = "";
		rc = bb_scan_git(rs, filter, &so, &go, &gcbs, &r.rep.stats, err, sizeof err);
		if (rc == BB_ENOTFOUND) {
			fprintf(stderr, "blackbar: %s: %s\n", roots[0], err[0] ? err : "git scan failed");
			goto out;
		}
	} else {
		rc = bb_walk(rs, filter, &so, &wo, (const char *const *)roots, (size_t)n_roots,
			&cbs, &r.rep.stats);
	}
	r.rep.seconds = cli_now() - t0;
	if (r.drawn)
		fputs("\r\033[K", stderr);
	if (rc < 0 && rc != BB_ESTOPPED) {
		fprintf(stderr, "blackbar: scan failed: %s\n", bb_strerror(rc));
		goto out;
	}
	if (r.rep.oom) {
		fprintf(stderr, "blackbar: out of memory collecting findings\n");
		goto out;
	}
	if (a->write_baseline) {
		if (baseline_write(&r.rep, a->write_baseline) < 0)
			goto out;
		if (!a->quiet)
			fprintf(stderr, "blackbar: %zu finding%s recorded in %s\n", r.rep.n,
				r.rep.n == 1 ? "" : "s", a->write_baseline);
		code = EXIT_CLEAN;
		goto out;
	}
	if (report_write(&r.rep) < 0) {
		fprintf(stderr, "blackbar: cannot write the report: %s\n", strerror(errno));
		goto out;
	}
	if (!a->quiet)
		summary(&r);
	code = r.rep.n ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	baseline_free(r.rep.baseline);
	report_free(&r.rep);
	if (out && out != stdout && fclose(out) != 0 && code != EXIT_ERROR) {
		fprintf(stderr, "blackbar: cannot write %s\n", a->output);
		code = EXIT_ERROR;
	}
	bb_filter_free(filter);
	bb_ruleset_free(rs);
	free(cfg_baseline);
	return code;
}

int cmd_scan(int argc, char **argv)
{
	scan_args a;
	memset(&a, 0, sizeof a);
	a.format = FMT_TEXT;
	char **pos = calloc((size_t)argc + 2, sizeof *pos);
	int n_pos = 0, code = EXIT_ERROR;
	if (!pos)
		return EXIT_ERROR;
	int p = opts_parse(scan_specs, argc, argv, on_opt, &a, pos, &n_pos);
	if (p == 1) {
		opts_help(stdout, "blackbar scan [OPTIONS] [PATH...]",
			"Scans files and directories (default: the current directory; \"-\" reads\n"
			"standard input) for secrets, PHI/PII and sensitive files.\n"
			"Exit status: 0 nothing found, 1 findings, 2 error.", scan_specs);
		code = EXIT_CLEAN;
	} else if (p == 0 && (a.staged || a.git) && (n_pos > 1 || (a.staged && a.git))) {
		fprintf(stderr, "blackbar: --staged and --git take one repository path, not both\n");
	} else if (p == 0 && a.since && !a.git) {
		fprintf(stderr, "blackbar: --since needs --git\n");
	} else if (p == 0) {
		if (!n_pos)
			pos[n_pos++] = ".";
		code = execute(&a, pos, n_pos);
	}
	free(pos);
	list_free(&a.sigs);
	list_free(&a.only);
	list_free(&a.skip);
	list_free(&a.exclude);
	return code;
}
