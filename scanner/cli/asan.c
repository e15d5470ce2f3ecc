/*
 * asan.c: linked into blackbar only when built with BLACKBAR_SANITIZE.
 *
 * A sanitizer report ends the process with exit status 1 by default, which is
 * what blackbar answers when it finds something: a test expecting findings would
 * pass over a report. Status 86 tells them apart (leak reports too). The
 * environment (ASAN_OPTIONS, UBSAN_OPTIONS) can still override this.
 *
 * One leak is not ours: libgit2 1.5 (Debian 12) does not free its PCRE2 match data
 * when a regex does not match (git_regexp_match; fixed upstream in libgit2 1.6,
 * pull request 6382), which happens at every repository open of a repository with
 * extensions, such as a partial clone. Leaks with a frame in libgit2 are not
 * reported, nor those allocated in the shared libpcre2 (the stack recorded at
 * malloc stops there: PCRE2 has no frame pointers). Only libgit2 uses the shared
 * libpcre2: the engine links PCRE2's static archive (BLACKBAR_STATIC_DEPS, the
 * default), where its own leaks are still reported. LSAN_OPTIONS=suppressions=...
 * can replace this list.
 */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
	return "exitcode=86";
}

const char *__ubsan_default_options(void)
{
	return "exitcode=86:print_stacktrace=1";
}

const char *__lsan_default_options(void)
{
	return "print_suppressions=0"; /* stderr stays blackbar's */
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libgit2.so\nleak:libpcre2-8.so\n";
}
