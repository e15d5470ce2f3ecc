/*
 * cmd_signatures.c: `blackbar signatures list` and `blackbar signatures check`.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

enum { O_SIGS = 1, O_SIGS_ONLY, O_FORMAT, O_KIND, O_VERBOSE, O_NO_CACHE };

static const opt_spec list_specs[] = {
	{ O_FORMAT, "format", 'f', OPT_VALUE, "FMT", "text (default) or json" },
	{ O_KIND, "kind", 0, OPT_VALUE, "KIND", "only this kind: secret, phi, pii, sensitive-file" },
	{ O_SIGS, "signatures", 0, OPT_VALUE, "PATH", "add signatures from a file or directory" },
	{ O_SIGS_ONLY, "signatures-only", 0, OPT_FLAG, NULL, "use only --signatures" },
	{ O_NO_CACHE, "no-cache", 0, OPT_FLAG, NULL, "always compile signatures" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

static const opt_spec check_specs[] = {
	{ O_SIGS, "signatures", 0, OPT_VALUE, "PATH", "add signatures from a file or directory" },
	{ O_SIGS_ONLY, "signatures-only", 0, OPT_FLAG, NULL, "check only --signatures" },
	{ O_VERBOSE, "verbose", 'v', OPT_FLAG, NULL, "also list the signatures that pass" },
	{ O_NO_CACHE, "no-cache", 0, OPT_FLAG, NULL, "always compile signatures" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

typedef struct sig_args {
	const char *paths[64];
	size_t n_paths;
	int sigs_only, json, verbose, kind, no_cache;
} sig_args;

static int on_opt(int id, const char *v, void *ctx)
{
	sig_args *a = ctx;
	switch (id) {
	case O_SIGS:
		if (a->n_paths == 64) {
			fprintf(stderr, "blackbar: too many --signatures\n");
			return -1;
		}
		a->paths[a->n_paths++] = v;
		return 0;
	case O_SIGS_ONLY: a->sigs_only = 1; return 0;
	case O_VERBOSE: a->verbose = 1; return 0;
	case O_NO_CACHE: a->no_cache = 1; return 0;
	case O_FORMAT:
		if (strcmp(v, "text") && strcmp(v, "json")) {
			fprintf(stderr, "blackbar: --format takes text or json\n");
			return -1;
		}
		a->json = !strcmp(v, "json");
		return 0;
	case O_KIND:
		if ((a->kind = bb_kind_parse(v)) < 0) {
			fprintf(stderr, "blackbar: unknown kind '%s'\n", cli_arg(v));
			return -1;
		}
		a->kind++; /* 0 means all */
		return 0;
	}
	return -1;
}

static int load(const sig_args *a, bb_ruleset **rs)
{
	bb_ruleset_options o = { .paths = a->paths, .n_paths = a->n_paths,
		.no_builtin = a->sigs_only, .no_cache = a->no_cache };
	if (a->sigs_only && !a->n_paths) {
		fprintf(stderr, "blackbar: --signatures-only needs at least one --signatures\n");
		return -1;
	}
	int rc = cli_load_rules(rs, &o);
	if (rc < 0)
		return -1;
	return 0;
}

static const char *type_of(const bb_signature *g)
{
	return g->pattern[0] ? "content" : g->path[0] ? "path" : "magic";
}

static int list(const sig_args *a, const bb_ruleset *rs)
{
	size_t n = bb_ruleset_count(rs);
	cJSON *arr = a->json ? cJSON_CreateArray() : NULL;
	for (size_t i = 0; i < n; i++) {
		const bb_signature *g = bb_ruleset_get(rs, i);
		if (a->kind && (int)g->kind != a->kind - 1)
			continue;
		if (!arr) {
			printf("%-40s %-14s %-8s %s\n", g->id, bb_kind_name(g->kind),
				bb_severity_name(g->severity), g->name);
			continue;
		}
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", g->id);
		cJSON_AddStringToObject(o, "name", g->name);
		cJSON_AddStringToObject(o, "kind", bb_kind_name(g->kind));
		cJSON_AddStringToObject(o, "severity", bb_severity_name(g->severity));
		cJSON_AddStringToObject(o, "confidence", bb_confidence_name(g->confidence));
		cJSON_AddStringToObject(o, "type", type_of(g));
		cJSON_AddStringToObject(o, "validator", g->validator);
		cJSON_AddStringToObject(o, "source", g->source);
		cJSON_AddStringToObject(o, "description", g->description);
		cJSON_AddItemToArray(arr, o);
	}
	if (arr) {
		char *s = cJSON_Print(arr);
		if (s)
			puts(s);
		free(s);
		cJSON_Delete(arr);
	}
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
}

typedef struct check_out {
	int verbose;
	size_t total;
} check_out;

static void on_check(const bb_signature *g, int ok, const char *msg, void *payload)
{
	check_out *c = payload;
	c->total++;
	if (!ok)
		printf("FAIL %s (%s): %s\n", g->id, g->source, msg);
	else if (c->verbose)
		printf("ok   %s\n", g->id);
}

static int check(const sig_args *a, const bb_ruleset *rs)
{
	check_out c = { a->verbose, 0 };
	int failed = bb_ruleset_check(rs, on_check, &c);
	if (failed < 0) {
		fprintf(stderr, "blackbar: check failed: %s\n", bb_strerror(failed));
		return EXIT_ERROR;
	}
	printf("%zu signatures checked, %d failed\n", c.total, failed);
	return failed ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_signatures(int argc, char **argv)
{
	const char *usage = "blackbar signatures list|check [OPTIONS]";
	const char *about = "list: print the signatures (id, kind, severity, name).\n"
		"check: run every signature's examples and negative examples through a scan;\n"
		"exit 1 if any misbehaves.";
	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
		opts_help(argc < 1 ? stderr : stdout, usage, about, NULL);
		return argc < 1 ? EXIT_ERROR : EXIT_CLEAN;
	}
	int is_list = !strcmp(argv[0], "list"), is_check = !strcmp(argv[0], "check");
	if (!is_list && !is_check) {
		fprintf(stderr, "blackbar: unknown subcommand 'signatures %s' (list, check)\n", cli_arg(argv[0]));
		return EXIT_ERROR;
	}
	sig_args a;
	memset(&a, 0, sizeof a);
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int n_pos = 0, code = EXIT_ERROR;
	if (!pos)
		return EXIT_ERROR;
	const opt_spec *specs = is_list ? list_specs : check_specs;
	int p = opts_parse(specs, argc - 1, argv + 1, on_opt, &a, pos, &n_pos);
	if (p == 1) {
		opts_help(stdout, is_list ? "blackbar signatures list [OPTIONS]"
			: "blackbar signatures check [OPTIONS]", about, specs);
		code = EXIT_CLEAN;
	} else if (p == 0 && n_pos) {
		fprintf(stderr, "blackbar: unexpected argument '%s'\n", cli_arg(pos[0]));
	} else if (p == 0) {
		bb_ruleset *rs;
		if (load(&a, &rs) == 0) {
			code = is_list ? list(&a, rs) : check(&a, rs);
			bb_ruleset_free(rs);
		}
	}
	free(pos);
	return code;
}
