/*
 * status.c: names of status codes and enums.
 *
 * bb_strerror is a switch without a default on purpose: -Wswitch then flags any
 * status added to blackbar.h without a message here.
 */
#include <string.h>

#include "blackbar/blackbar.h"

const char *bb_strerror(int status)
{
	switch ((bb_status)status) {
	case BB_OK: return "success";
	case BB_ERROR: return "error";
	case BB_ENOMEM: return "out of memory";
	case BB_EBADRULE: return "invalid signature";
	case BB_EIO: return "input/output error";
	case BB_ETOOBIG: return "limit exceeded";
	case BB_EDECODE: return "corrupt or oversized compressed data";
	case BB_ENOTFOUND: return "not found";
	case BB_EINVAL: return "invalid argument";
	case BB_ESKIPPED: return "skipped";
	case BB_ESTOPPED: return "stopped";
	}
	return "unknown error";
}

static const char *const kinds[] = { "secret", "phi", "pii", "sensitive-file" };
static const char *const severities[] = { "info", "low", "medium", "high", "critical" };
static const char *const confidences[] = { "low", "medium", "high" };

const char *bb_kind_name(bb_kind k)
{
	return (unsigned)k < 4 ? kinds[k] : "?";
}

const char *bb_severity_name(bb_severity s)
{
	return (unsigned)s < 5 ? severities[s] : "?";
}

const char *bb_confidence_name(bb_confidence c)
{
	return (unsigned)c < 3 ? confidences[c] : "?";
}

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

int bb_kind_parse(const char *name)
{
	return lookup(kinds, 4, name);
}

int bb_severity_parse(const char *name)
{
	return lookup(severities, 5, name);
}

size_t bb_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t k;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		k = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		k = 3;
		if (c == 0xE0) lo = 0xA0;      /* overlong */
		if (c == 0xED) hi = 0x9F;      /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 4;
		if (c == 0xF0) lo = 0x90;      /* overlong */
		if (c == 0xF4) hi = 0x8F;      /* above U+10FFFF */
	} else
		return 0;
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return k;
}
