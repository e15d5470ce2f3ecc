/*
 * git_module.c: libblackbar-git.so, the engine's git module (see git_module.h).
 * Built against libgit2; loaded on demand.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "git_module.h"

struct bb_git_ignore {
	git_repository *repo;
	char *prefix;
};

static void ignore_close(bb_git_ignore *h)
{
	if (!h)
		return;
	git_repository_free(h->repo);
	free(h->prefix);
	free(h);
	git_libgit2_shutdown();
}

/* dir relative to the work tree, with a trailing slash unless empty. */
static char *relative_prefix(git_repository *repo, const char *dir)
{
	const char *wd = git_repository_workdir(repo);
	char *abs = realpath(dir, NULL), *out = NULL;
	if (!wd || !abs)
		goto out;
	size_t n = strlen(wd), an = strlen(abs); /* libgit2 ends wd with '/' */
	const char *rest;
	if (an + 1 == n && !strncmp(abs, wd, an))
		rest = "";
	else if (an >= n && !strncmp(abs, wd, n))
		rest = abs + n;
	else
		goto out;
	size_t r = strlen(rest);
	out = malloc(r + 2);
	if (out) {
		memcpy(out, rest, r);
		out[r] = r ? '/' : '\0';
		out[r + (r ? 1 : 0)] = '\0';
	}
out:
	free(abs);
	return out;
}

static bb_git_ignore *ignore_open(const char *dir, const char **prefix)
{
	git_libgit2_init();
	bb_git_ignore *h = calloc(1, sizeof *h);
	if (!h || git_repository_open_ext(&h->repo, dir, 0, NULL) < 0 ||
		git_repository_is_bare(h->repo) || !(h->prefix = relative_prefix(h->repo, dir))) {
		ignore_close(h);
		return NULL;
	}
	*prefix = h->prefix;
	return h;
}

static int ignore_check(bb_git_ignore *h, const char *path)
{
	int ignored = 0;
	return git_ignore_path_is_ignored(&ignored, h->repo, path) < 0 ? -1 : ignored;
}

const bb_git_api bb_git_module_api = {
	BB_GIT_API_VERSION,
	ignore_open,
	ignore_check,
	ignore_close,
};
