/*
 * install.c: `blackbar install git-hook [REPO]` / `uninstall git-hook [REPO]`.
 *
 * Writes a pre-commit hook that runs `blackbar scan --staged` on what is about to
 * be committed. The hooks directory is git's own answer (`git rev-parse
 * --git-path hooks`), so core.hooksPath and worktrees are respected. An existing
 * pre-commit hook that is not blackbar's is kept, renamed pre-commit.pre-blackbar,
 * and run first (its failure still stops the commit); installing again only
 * refreshes blackbar's hook. Uninstalling puts the previous hook back.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../hooks.h"

#define MARK "# installed by blackbar (blackbar install git-hook)"
#define CHAINED "pre-commit.pre-blackbar"

/* The hooks directory of the repository at repo (absolute), or -1. */
static int hooks_dir(const char *repo, char *out, size_t n)
{
	char cmd[4 * PATH_MAX + 96], top[PATH_MAX];
	const char *r = repo ? repo : ".";
	char *q = strlen(r) < PATH_MAX ? hook_shell_quote(r) : NULL;
	if (!q) {
		fprintf(stderr, "blackbar: unusual repository path\n");
		return -1;
	}
	snprintf(cmd, sizeof cmd, "git -C %s rev-parse --path-format=absolute --git-path hooks 2>/dev/null", q);
	FILE *p = popen(cmd, "r");
	int ok = p && fgets(out, (int)n, p) != NULL;
	if (p)
		pclose(p);
	if (!ok) {
		/* older git without --path-format: relative to the top level */
		snprintf(cmd, sizeof cmd, "git -C %s rev-parse --git-path hooks 2>/dev/null", q);
		p = popen(cmd, "r");
		ok = p && fgets(top, sizeof top, p) != NULL;
		if (p)
			pclose(p);
		if (!ok) {
			fprintf(stderr, "blackbar: %s is not a git repository\n", r);
			free(q);
			return -1;
		}
		top[strcspn(top, "\n")] = '\0';
		if (top[0] == '/')
			snprintf(out, n, "%s", top);
		else if (!realpath(r, out) || strlen(out) + strlen(top) + 2 > n) {
			free(q);
			return -1;
		}
		else
			strcat(strcat(out, "/"), top);
	}
	free(q);
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static int is_ours(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int ours = 0;
	for (int i = 0; f && i < 5 && fgets(line, sizeof line, f); i++)
		ours |= strstr(line, MARK) != NULL;
	if (f)
		fclose(f);
	return ours;
}

static int write_hook(const char *path, const char *blackbar_path)
{
	char *blackbar = hook_shell_quote(blackbar_path); /* the path may hold quotes */
	if (!blackbar)
		return -1;
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "blackbar: cannot write %s: %s\n", path, strerror(errno));
		free(blackbar);
		return -1;
	}
	fprintf(f,
		"#!/bin/sh\n"
		MARK "\n"
		"# Scans what this commit adds for secrets, PHI/PII and sensitive files.\n"
		"hooks=$(dirname \"$0\")\n"
		"if [ -x \"$hooks/" CHAINED "\" ]; then\n"
		"\t\"$hooks/" CHAINED "\" \"$@\" || exit $?\n"
		"fi\n"
		"blackbar=%s\n"
		"[ -x \"$blackbar\" ] || blackbar=blackbar\n"
		"\"$blackbar\" scan --staged --no-progress .\n"
		"status=$?\n"
		"if [ $status -eq 1 ]; then\n"
		"\tcat >&2 <<'EOF'\n"
		"\n"
		"blackbar: commit blocked: it would add the findings above.\n"
		"  - Remove the value and load it from the environment or a secret store\n"
		"    (a secret that reached a commit must be rotated anyway).\n"
		"  - Not a secret? Allow it on its line with a comment: blackbar:allow <rule-id>\n"
		"    or in .blackbar.json (allow.paths, allow.fingerprints), or keep the\n"
		"    current findings in a baseline: blackbar scan --write-baseline\n"
		"    .blackbar-baseline.json . and add \"baseline\": \".blackbar-baseline.json\"\n"
		"    to .blackbar.json.\n"
		"  - To commit anyway: git commit --no-verify\n"
		"EOF\n"
		"\texit 1\n"
		"elif [ $status -ne 0 ]; then\n"
		"\techo \"blackbar: could not scan the commit (exit $status); blocked to be safe.\" >&2\n"
		"\techo \"  To commit anyway: git commit --no-verify\" >&2\n"
		"\texit $status\n"
		"fi\n", blackbar);
	free(blackbar);
	int ok = fclose(f) == 0;
	if (!ok || chmod(path, 0755) < 0) {
		fprintf(stderr, "blackbar: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int hook_git_install(const char *repo, const char *blackbar)
{
	char dir[PATH_MAX], hook[PATH_MAX + 32], old[PATH_MAX + 32];
	if (hooks_dir(repo, dir, sizeof dir) < 0)
		return 2;
	mkdir(dir, 0755); /* a core.hooksPath that does not exist yet */
	snprintf(hook, sizeof hook, "%s/pre-commit", dir);
	snprintf(old, sizeof old, "%s/" CHAINED, dir);
	if (access(hook, F_OK) == 0 && !is_ours(hook)) {
		if (access(old, F_OK) == 0) {
			fprintf(stderr, "blackbar: both %s and %s exist; move one away first\n", hook, old);
			return 2;
		}
		if (rename(hook, old) < 0) {
			fprintf(stderr, "blackbar: cannot keep the existing hook: %s\n", strerror(errno));
			return 2;
		}
		fprintf(stderr, "blackbar: the existing pre-commit hook is kept as %s and runs first\n", old);
	}
	if (write_hook(hook, blackbar) < 0)
		return 2;
	fprintf(stderr, "blackbar: pre-commit hook installed in %s\n", hook);
	return 0;
}

int hook_git_uninstall(const char *repo)
{
	char dir[PATH_MAX], hook[PATH_MAX + 32], old[PATH_MAX + 32];
	if (hooks_dir(repo, dir, sizeof dir) < 0)
		return 2;
	snprintf(hook, sizeof hook, "%s/pre-commit", dir);
	snprintf(old, sizeof old, "%s/" CHAINED, dir);
	if (!is_ours(hook)) {
		fprintf(stderr, "blackbar: no blackbar pre-commit hook in %s\n", dir);
		return 0;
	}
	if (unlink(hook) < 0 || (access(old, F_OK) == 0 && rename(old, hook) < 0)) {
		fprintf(stderr, "blackbar: cannot remove the hook: %s\n", strerror(errno));
		return 2;
	}
	fprintf(stderr, "blackbar: pre-commit hook removed%s\n",
		access(hook, F_OK) == 0 ? "; the previous hook is back" : "");
	return 0;
}
