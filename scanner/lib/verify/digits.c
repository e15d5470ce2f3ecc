/*
 * digits: small helpers the numeric validators share: the Luhn sum,
 * collecting digits around separators, and taking apart grouped identifiers such as
 * 123-45-6789.
 *
 * The caller owns every buffer passed in; nothing is allocated or kept.
 */
#include "checks.h"

#include <string.h>

static int is_sep(unsigned char c, const char *seps)
{
	/* strchr() would match the terminating NUL, so a NUL byte is never a separator */
	return c != 0 && strchr(seps, c) != NULL;
}

/* Luhn (ISO/IEC 7812-1 annex B, https://en.wikipedia.org/wiki/Luhn_algorithm): from the
 * rightmost digit, double every second digit, subtract 9 from doubles above 9; a valid
 * number's sum is a multiple of 10. Streams from the end, so any length works. */
int bb_verify__luhn_sum(const unsigned char *s, size_t n, const char *seps,
	unsigned *sum, size_t *ndigits)
{
	unsigned acc = 0;
	size_t k = 0;

	for (size_t i = n; i-- > 0;) {
		if (s[i] < '0' || s[i] > '9') {
			if (!is_sep(s[i], seps))
				return 0;
			continue;
		}
		unsigned v = (unsigned)(s[i] - '0');

		if (k++ % 2 == 1)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		acc = (acc + v) % 10;
	}
	*sum = acc;
	*ndigits = k;
	return 1;
}

size_t bb_verify__collect_digits(const unsigned char *s, size_t n, const char *seps,
	unsigned char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (k == cap)
				return (size_t)-1;
			out[k++] = (unsigned char)(s[i] - '0');
		} else if (!is_sep(s[i], seps)) {
			return (size_t)-1;
		}
	}
	return k;
}

int bb_verify__all_same(const unsigned char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

int bb_verify__ungroup(const unsigned char *s, size_t n, const size_t *sizes,
	size_t groups, const char *seps, unsigned char *out)
{
	size_t total = 0;

	for (size_t g = 0; g < groups; g++)
		total += sizes[g];
	if (n == total) {
		memcpy(out, s, n);
		return 1;
	}
	if (groups == 0 || n != total + groups - 1)
		return 0;

	unsigned char sep = 0;
	size_t i = 0, k = 0;

	for (size_t g = 0; g < groups; g++) {
		if (g > 0) {
			if (!is_sep(s[i], seps) || (sep != 0 && s[i] != sep))
				return 0;
			sep = s[i++];
		}
		memcpy(out + k, s + i, sizes[g]);
		i += sizes[g];
		k += sizes[g];
	}
	return 1;
}
