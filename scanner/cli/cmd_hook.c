/*
 * cmd_hook.c: `blackbar hook AGENT` (the agent calls this on every event) and
 * `blackbar install|uninstall AGENT`. The adapters live in hooks/.
 */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hooks.h"

/* The absolute path of this executable, for commands that re-run it. */
static const char *self_path(void)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

int cmd_hook(int argc, char **argv)
{
	int help = argc >= 1 && (!strcmp(argv[argc - 1], "--help") || !strcmp(argv[argc - 1], "-h"));
	if (argc < 1 || help) {
		fprintf(argc < 1 ? stderr : stdout,
			"Usage: blackbar hook claude\n\n"
			"Reads one Claude Code hook event (JSON) on standard input and writes the\n"
			"answer on standard output. Installed by `blackbar install claude`.\n"
			"Environment: BLACKBAR_CONFIG (project config to use instead of\n"
			"$CLAUDE_PROJECT_DIR/.blackbar.json), BLACKBAR_USER_CONFIG, BLACKBAR_CACHE_DIR.\n");
		return argc < 1 ? EXIT_ERROR : EXIT_CLEAN;
	}
	if (strcmp(argv[0], "claude") && strcmp(argv[0], "claude-code")) {
		fprintf(stderr, "blackbar: unknown agent '%s' (claude)\n", cli_arg(argv[0]));
		return EXIT_ERROR;
	}
	if (argc > 1) { /* exit 2: Claude Code blocks the call, so a wrong command line fails closed */
		fprintf(stderr, "blackbar: hook %s takes no arguments ('%s')\n", argv[0], cli_arg(argv[1]));
		return EXIT_ERROR;
	}
	hook_env env = { .project_config = getenv("BLACKBAR_CONFIG"),
		.user_config = getenv("BLACKBAR_USER_CONFIG"), .self = self_path, .exiting = 1 };
	return hook_claude(stdin, stdout, &env);
}

enum { O_PROJECT = 1, O_USER, O_MANAGED, O_DENY_READS, O_NO_AUDIT, O_DRY_RUN, O_SETTINGS };

static const opt_spec install_specs[] = {
	{ O_PROJECT, "project", 0, OPT_FLAG, NULL, "this project's .claude/settings.json (default)" },
	{ O_USER, "user", 0, OPT_FLAG, NULL, "~/.claude/settings.json: every project" },
	{ O_MANAGED, "managed", 0, OPT_FLAG, NULL, "managed settings for the whole machine (root)" },
	{ O_DENY_READS, "deny-reads", 0, OPT_FLAG, NULL, "also add permissions.deny Read() rules" },
	{ O_NO_AUDIT, "no-audit", 0, OPT_FLAG, NULL, "do not turn the audit log on" },
	{ O_DRY_RUN, "dry-run", 'n', OPT_FLAG, NULL, "print the resulting settings, change nothing" },
	{ O_SETTINGS, "settings", 0, OPT_VALUE, "FILE", "this settings file instead" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

static int on_install_opt(int id, const char *v, void *ctx)
{
	install_opts *o = ctx;
	switch (id) {
	case O_PROJECT: o->scope = SCOPE_PROJECT; return 0;
	case O_USER: o->scope = SCOPE_USER; return 0;
	case O_MANAGED: o->scope = SCOPE_MANAGED; return 0;
	case O_DENY_READS: o->deny_reads = 1; return 0;
	case O_NO_AUDIT: o->audit = 0; return 0;
	case O_DRY_RUN: o->dry_run = 1; return 0;
	case O_SETTINGS: o->settings = v; return 0;
	}
	return -1;
}

static int install_git(int argc, char **argv, int uninstall)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: blackbar %s git-hook [REPO]\n\n%s\n", uninstall ? "uninstall" : "install",
			uninstall ? "Removes blackbar's pre-commit hook and puts back the one it replaced."
			: "Installs a pre-commit hook that runs `blackbar scan --staged` (it honours\n"
			"core.hooksPath; an existing pre-commit hook is kept and runs first; running\n"
			"this again only refreshes blackbar's hook). git commit --no-verify skips it.");
		return EXIT_CLEAN;
	}
	if (argc > 2) {
		fprintf(stderr, "blackbar: git-hook takes one repository path at most\n");
		return EXIT_ERROR;
	}
	const char *repo = argc > 1 ? argv[1] : ".", *self = self_path();
	if (!self) {
		fprintf(stderr, "blackbar: cannot find the blackbar executable\n");
		return EXIT_ERROR;
	}
	return uninstall ? hook_git_uninstall(repo) : hook_git_install(repo, self);
}

int cmd_install(int argc, char **argv, int uninstall)
{
	const char *what = uninstall ? "uninstall" : "install";
	if (argc >= 1 && !strcmp(argv[0], "git-hook"))
		return install_git(argc, argv, uninstall);
	if (argc < 1 || (strcmp(argv[0], "claude") && strcmp(argv[0], "--help") && strcmp(argv[0], "-h"))) {
		fprintf(stderr, "Usage: blackbar %s claude|git-hook [OPTIONS]   (see --help)\n", what);
		return EXIT_ERROR;
	}
	install_opts o = { SCOPE_PROJECT, NULL, NULL, self_path(), 0, 1, 0 };
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int n_pos = 0, code = EXIT_ERROR;
	if (!pos)
		return EXIT_ERROR;
	int help = !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h");
	int p = help ? 1 : opts_parse(install_specs, argc - 1, argv + 1, on_install_opt, &o, pos, &n_pos);
	if (p == 1) {
		opts_help(stdout, uninstall ? "blackbar uninstall claude [OPTIONS] [DIR]"
			: "blackbar install claude [OPTIONS] [DIR]",
			uninstall ? "Removes blackbar's hooks from Claude Code's settings; other settings stay."
			: "Adds blackbar's hooks to Claude Code's settings (PreToolUse, PostToolUse,\n"
			"PostToolUseFailure, UserPromptSubmit), keeping every other setting. Running it\n"
			"again changes nothing. DIR: the project (default: the current directory).",
			install_specs);
		code = EXIT_CLEAN;
	} else if (p == 0 && n_pos > 1) {
		fprintf(stderr, "blackbar: %s: one project directory at most\n", what);
	} else if (p == 0 && !o.command) {
		fprintf(stderr, "blackbar: cannot find the blackbar executable\n");
	} else if (p == 0) {
		o.dir = n_pos ? pos[0] : NULL;
		code = uninstall ? hook_claude_uninstall(&o) : hook_claude_install(&o);
	}
	free(pos);
	return code;
}
