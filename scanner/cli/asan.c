/*
 * asan.c: linked into blackbar only when built with BLACKBAR_SANITIZE.
 *
 * A sanitizer report ends the process with exit status 1 by default, which is
 * what blackbar answers when it finds something: a test expecting findings would
 * pass over a report. Status 86 tells them apart (leak reports end with 23, the
 * LeakSanitizer default). The environment (ASAN_OPTIONS, UBSAN_OPTIONS) can
 * still override this.
 */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return "exitcode=86";
}

const char *__ubsan_default_options(void)
{
	return "exitcode=86:print_stacktrace=1";
}
