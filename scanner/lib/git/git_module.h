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

#define BB_GIT_API_VERSION 3
#define BB_GIT_OID_SIZE 20

typedef struct bb_git_ignore bb_git_ignore;
typedef struct bb_git_repo bb_git_repo;
typedef struct bb_git_blob bb_git_blob;

/* Where a blob comes from: the commit that introduced it (history) or the index
 * (staged: commit is ""). Strings are valid during the callback only. */
typedef struct bb_git_where {
	const char *path;
	const char *commit;     /* 40 hex digits, or "" */
	const char *author;     /* "Name <email>", or "" */
	long long time;         /* commit time (seconds since the epoch), or 0 */
} bb_git_where;

/* Called once per blob to scan; returns 0 to go on, non-zero to stop. */
typedef int (*bb_git_blob_cb)(const unsigned char oid[BB_GIT_OID_SIZE],
	const bb_git_where *where, void *payload);
/* 1 if the path (a file's, or a directory's without a trailing '/') is excluded
 * from the scan: what lies there is neither handed out nor counted as seen. */
typedef int (*bb_git_path_cb)(const char *path, void *payload);
/* Called for things worth a warning (missing objects, skipped submodules). */
typedef void (*bb_git_warn_cb)(const char *what, const char *message, void *payload);

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

	/* Opens the repository containing `path`; NULL with a reason in err. One
	 * handle per thread. */
	bb_git_repo *(*repo_open)(const char *path, char *err, size_t errlen);
	void (*repo_close)(bb_git_repo *r);
	/* The work tree (ends with '/'), or "" for a bare repository. */
	const char *(*repo_workdir)(bb_git_repo *r);
	/* Calls cb for each file the next commit would add or change: index entries
	 * that differ from HEAD's tree (all of them before the first commit).
	 * Returns 0, or -1 with a reason in err. */
	int (*staged)(bb_git_repo *r, bb_git_blob_cb cb, bb_git_warn_cb warn, void *payload,
		char *err, size_t errlen);
	/* Calls cb once for each blob reachable from the references (all of them when range
	 * is NULL; "REV" means commits not reachable from REV; "A..B" commits in B not
	 * in A), in the order of the commits that introduced them (oldest first), with
	 * that commit. Blobs and directories at paths `excluded` (may be NULL) names are
	 * skipped without being counted as seen, so the same content at a path that is
	 * scanned is still handed out. Memory: one 20-byte id per distinct tree and blob
	 * seen. */
	int (*history)(bb_git_repo *r, const char *range, bb_git_blob_cb cb,
		bb_git_path_cb excluded, bb_git_warn_cb warn, void *payload, char *err,
		size_t errlen);
	/* Reads a blob: *data and *len are valid until blob_free. Returns 1 if the blob
	 * is larger than max (not read; *len gives its size), 0 when read, -1 when it
	 * cannot be read (missing in a partial or shallow clone). */
	int (*blob_read)(bb_git_repo *r, const unsigned char oid[BB_GIT_OID_SIZE], size_t max,
		bb_git_blob **blob, const void **data, size_t *len);
	void (*blob_free)(bb_git_blob *b);
} bb_git_api;

/* Engine side (loader.c): the module's table, loading it on first use. NULL if it
 * cannot be loaded; then `err` says why. */
const bb_git_api *bb_git__api(char *err, size_t errlen);

#endif
