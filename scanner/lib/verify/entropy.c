/*
 * entropy: Shannon entropy of a candidate secret, in bits per byte, for signatures'
 * min_entropy. Random base64 runs near 6, hex near 4, English words and placeholders
 * well below.
 *
 * The caller owns the bytes; the histogram lives on the stack.
 */
#include "verify.h"

#include <math.h>

/* H = -sum p(b) log2 p(b) over the byte values b present, with p(b) = count(b) / n.
 * Computed as log2(n) - sum count(b) log2 count(b) / n, which needs one division. */
double bb_verify__entropy(const unsigned char *s, size_t n)
{
	size_t count[256] = {0};
	double weighted = 0.0;

	if (s == NULL || n == 0)
		return 0.0;
	for (size_t i = 0; i < n; i++)
		count[s[i]]++;
	for (int b = 0; b < 256; b++)
		if (count[b] > 0)
			weighted += (double)count[b] * log2((double)count[b]);

	double h = log2((double)n) - weighted / (double)n;

	/* rounding can leave -0.0 or a hair below zero for a single repeated byte */
	return h > 0.0 ? h : 0.0;
}
