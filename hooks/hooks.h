/*
 * hooks: adapters between AI coding agents (and git) and blackbar's guard.
 *
 * An adapter reads the agent's event, calls the guard (blackbar.h, "Agent guard")
 * and writes the agent's answer. It decides nothing about what is sensitive: it
 * translates protocols, and chooses how to fail (closed, always).
 */
#ifndef BB_HOOKS_H
#define BB_HOOKS_H

#include <stdio.h>

#include "blackbar/blackbar.h"

/* Where an adapter finds its configuration. */
typedef struct hook_env {
	const char *project_config; /* .blackbar.json to use; NULL: find it from the event */
	const char *user_config;    /* NULL: ~/.config/blackbar/config.json */
	const char *cache_dir;      /* NULL: default */
	const char *(*self)(void);  /* path of the blackbar executable, asked only when a
	                             * command is rewritten (NULL: no rewrites) */
	int exiting;                /* the process ends after the answer: skip freeing
	                               (megabytes of databases handed back page by page
	                               cost the hook a measurable share of its time) */
} hook_env;

/* `blackbar hook claude`: one Claude Code hook event on `in`, the answer on `out`.
 * Returns the process exit status: 0 (answer written as JSON) or 2 (a one-line
 * reason on stderr; Claude Code then blocks what can be blocked). */
int hook_claude(FILE *in, FILE *out, const hook_env *env);

/* `blackbar install claude` / `uninstall claude` (hooks/claude/install.c). */
typedef enum install_scope { SCOPE_PROJECT, SCOPE_USER, SCOPE_MANAGED } install_scope;

typedef struct install_opts {
	install_scope scope;
	const char *dir;          /* project directory (SCOPE_PROJECT); NULL: cwd */
	const char *settings;     /* explicit settings file (tests); overrides scope */
	const char *command;      /* the blackbar executable to register */
	int deny_reads;           /* also add permissions.deny Read(...) rules */
	int audit;                /* turn the audit log on in the user's policy */
	int dry_run;              /* print the result instead of writing it */
} install_opts;

int hook_claude_install(const install_opts *o);

/* `blackbar install git-hook [REPO]` / `uninstall git-hook` (hooks/git/install.c):
 * a pre-commit hook running `blackbar scan --staged`. Return exit statuses. */
int hook_git_install(const char *repo, const char *blackbar);
int hook_git_uninstall(const char *repo);

/* common.c: rewrites, in place and at the same length, the JSON escapes cJSON
 * cannot hold: \u0000 (C strings end there, which would hide what follows from
 * the scan) becomes \u2400 (the NUL symbol), and an unpaired surrogate escape
 * (valid JSON that cJSON refuses) becomes \ufffd. */
/* returns the \u0000 rewritten; *saw_2400: the text had a \u2400 escape of its own */
size_t hook_json_fix_escapes(char *text, size_t len, int *saw_2400);
/* A copy of s quoted for sh: 'it'\''s'. malloc'd. */
char *hook_shell_quote(const char *s);

/* common.c: reads f to its end into *out (malloc'd, NUL-terminated), at most cap
 * bytes: BB_ETOOBIG when there was more (what fits is kept), BB_EIO on errors. */
int hook_read_all(FILE *f, size_t cap, char **out, size_t *len);
int hook_claude_uninstall(const install_opts *o);

#endif
