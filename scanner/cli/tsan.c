/*
 * tsan.c: linked into blackbar only when built with BLACKBAR_TSAN.
 *
 * ThreadSanitizer reports races inside libgit2 in history scans: each worker opens
 * its own repository (as libgit2 requires), but libgit2 shares pack files and
 * their delta-base caches between repositories, guarded by reference counts it
 * changes with atomic instructions. Debian's libgit2 is not instrumented, so
 * ThreadSanitizer sees the memory accesses (memcpy, free) through its
 * interceptors but not the atomics that order them, and reports a race that is
 * not one. Races with a frame in blackbar's own code are still reported.
 */
const char *__tsan_default_suppressions(void);

const char *__tsan_default_suppressions(void)
{
	return "race:libgit2.so\n";
}
