/*
 * loader.c: finds and loads libblackbar-git.so on first use (see git_module.h).
 *
 * Search order: $BLACKBAR_GIT_MODULE; next to the running executable; the
 * installed location ../lib/blackbar/ relative to it. The result (success or the
 * reason for failure) is computed once per process.
 */
#include "git_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODULE_NAME "libblackbar-git.so"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const bb_git_api *api;
static char why[512];

static const bb_git_api *try_open(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, sizeof why, "%s", dlerror());
		return NULL;
	}
	const bb_git_api *a = dlsym(h, "bb_git_module_api");
	if (!a || a->version != BB_GIT_API_VERSION) {
		snprintf(why, sizeof why, "%s: not a compatible blackbar git module", path);
		dlclose(h);
		return NULL;
	}
	return a; /* stays loaded for the life of the process */
}

static void load(void)
{
	const char *env = getenv("BLACKBAR_GIT_MODULE");
	char exe[PATH_MAX], path[PATH_MAX + 64];
	if (env && *env) {
		api = try_open(env);
		return;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		snprintf(why, sizeof why, "cannot locate the blackbar executable");
		return;
	}
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof path, "%s/%s", exe, MODULE_NAME);
	if ((api = try_open(path)))
		return;
	snprintf(path, sizeof path, "%s/../lib/blackbar/%s", exe, MODULE_NAME);
	if ((api = try_open(path)))
		return;
	snprintf(why, sizeof why, "git support needs %s next to the blackbar executable or "
		"in ../lib/blackbar/ (or BLACKBAR_GIT_MODULE)", MODULE_NAME);
}

const bb_git_api *bb_git__api(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (!api && err)
		snprintf(err, errlen, "%s", why);
	return api;
}
