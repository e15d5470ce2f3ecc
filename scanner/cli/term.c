/*
 * term.c: terminal and text helpers: the colour decision and UTF-8 cleaning.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int term_use_color(FILE *f, const char *mode)
{
	if (mode && !strcmp(mode, "always"))
		return 1;
	if (mode && !strcmp(mode, "never"))
		return 0;
	const char *nc = getenv("NO_COLOR"), *t = getenv("TERM");
	if (nc && *nc) /* https://no-color.org */
		return 0;
	if (t && !strcmp(t, "dumb"))
		return 0;
	return isatty(fileno(f));
}

char *utf8_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = bb_utf8_seq(p + i, n - i);
		if (k) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD */
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}
