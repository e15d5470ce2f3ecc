/*
 * fuzz.h: what the fuzz targets share. Each fuzz_<target>.c defines
 * LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize when it needs set-up) and is
 * linked either with libFuzzer (BLACKBAR_FUZZ, clang) or with replay.c, which runs
 * the same function over saved inputs in every ctest run.
 *
 * Targets are hermetic: anything written goes to a private temporary directory
 * (removed at exit), and compiled signatures are cached in $BLACKBAR_CACHE_DIR when
 * set (ctest, scripts/fuzz.sh), else in that directory.
 */
#ifndef BB_FUZZ_H
#define BB_FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blackbar/blackbar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant: when it does not hold, say which and abort (libFuzzer saves the
 * input as a crash; the replay test fails). */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: invariant failed at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

static char fuzz_dir_[256];

static inline int fuzz_rm_(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static inline void fuzz_cleanup_(void)
{
	if (fuzz_dir_[0])
		nftw(fuzz_dir_, fuzz_rm_, 16, FTW_DEPTH | FTW_PHYS);
}

/* The target's private temporary directory (created on first use). */
static inline const char *fuzz_tmpdir(void)
{
	if (!fuzz_dir_[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(fuzz_dir_, sizeof fuzz_dir_, "%s/blackbar-fuzz.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(fuzz_dir_)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(fuzz_cleanup_);
	}
	return fuzz_dir_;
}

/* Where compiled signatures are cached. */
static inline const char *fuzz_cache_dir(void)
{
	const char *c = getenv("BLACKBAR_CACHE_DIR");
	static char dir[300];
	if (c && *c)
		return c;
	snprintf(dir, sizeof dir, "%s/cache", fuzz_tmpdir());
	return dir;
}

/* The built-in signatures, loaded once per process. */
static inline bb_ruleset *fuzz_builtin_rules(void)
{
	static bb_ruleset *rs;
	if (!rs) {
		bb_ruleset_options o = { .cache_dir = fuzz_cache_dir() };
		bb_diag d;
		memset(&d, 0, sizeof d);
		int rc = bb_ruleset_load(&rs, &o, &d);
		if (rc < 0) {
			fprintf(stderr, "fuzz: cannot load the built-in signatures: %s: %s %s\n",
				bb_strerror(rc), d.file, d.message);
			abort();
		}
	}
	return rs;
}

#endif
