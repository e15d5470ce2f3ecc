/*
 * git_module.h: the interface between the engine and its git module.
 *
 * Everything that needs libgit2 lives in a separate shared object,
 * libblackbar-git.so, which the engine loads with dlopen() the first time a git
 * feature is used. Why: libgit2 pulls in 17 shared libraries (TLS, SSH, Kerberos),
 * which cost about 3.5 ms of dynamic loading at every start on the reference
 * machine; the agent hook starts once per tool call and never needs git. So only
 * `scan --gitignore`, `--staged` and `--git` pay that price.
 *
 * The module exports one symbol, bb_git_module_api, a table of functions taking
 * plain C types. A handle is used by one thread at a time (libgit2 objects are not
 * safe to share between threads); open one per thread.
 */
#ifndef BB_GIT_MODULE_H
#define BB_GIT_MODULE_H

#include <stddef.h>

#define BB_GIT_API_VERSION 1

typedef struct bb_git_ignore bb_git_ignore;

typedef struct bb_git_api {
	int version;
	/* Opens the repository containing `dir`. Returns NULL if there is none.
	 * *prefix receives dir's path relative to the work tree ("" or "a/b/"),
	 * valid until ignore_close. */
	bb_git_ignore *(*ignore_open)(const char *dir, const char **prefix);
	/* 1 if the path (relative to the work tree, '/' separators) is ignored by
	 * .gitignore, .git/info/exclude or core.excludesFile; 0 if not; -1 on error. */
	int (*ignore_check)(bb_git_ignore *h, const char *path);
	void (*ignore_close)(bb_git_ignore *h);
} bb_git_api;

/* Engine side (loader.c): the module's table, loading it on first use. NULL if it
 * cannot be loaded; then `err` says why. */
const bb_git_api *bb_git__api(char *err, size_t errlen);

#endif
