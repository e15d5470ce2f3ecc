/*
 * fuzz_decode.h: the body of fuzz_decode_gzip and fuzz_decode_zstd. The input is
 * a compressed file (the format's magic number is put in front when it does not
 * start with it); it is scanned twice, as a blob in memory
 * (bb_scanner_scan_blob: the decoder refills from memory) and as a file
 * (bb_scanner_scan_file on a memfd: the decoder reads the descriptor), with the
 * default decode limits: 256 MiB out, and past the first MiB at most 200 bytes
 * out per byte in. Invariants:
 *   - the scan ends with BB_OK, or BB_EDECODE (corrupt or truncated) or
 *     BB_ETOOBIG (a limit) with a message;
 *   - the bytes decoded stay within the limits (plus one output chunk, the most
 *     one decoder step produces before the limits are checked);
 *   - both ways of reading give the same result and decode as many bytes (for
 *     inputs up to 256 KiB, which both read at once);
 *   - findings lie inside the decoded bytes and say where they came from.
 */
#ifndef BB_FUZZ_DECODE_H
#define BB_FUZZ_DECODE_H

#include "fuzz.h"

#include <sys/mman.h>

#include "match/scanner.h"

#define OUT_STEP (256u * 1024)   /* decode.c: OUT_CHUNK */
#define RATIO_GRACE (1u << 20)   /* decode.c */

static bb_scanner *scanner;
static int memfd = -1;
static char memfd_path[64];

typedef struct dec_ctx {
	const char *origin;
	uint64_t base;     /* scanner->n_bytes before this input */
	size_t n;
} dec_ctx;

static int on_finding(const bb_finding *f, void *payload)
{
	dec_ctx *c = payload;
	c->n++;
	if (!f->secret_len)
		return 0;
	FUZZ_CHECK(!strcmp(f->origin, c->origin), "origin \"%s\", expected \"%s\"", f->origin,
		c->origin);
	FUZZ_CHECK(f->start <= f->secret_start && f->secret_start < f->secret_end &&
		f->secret_end <= f->end && f->secret_len == f->secret_end - f->secret_start,
		"%s: spans [%llu,%llu) secret [%llu,%llu)", f->sig->id,
		(unsigned long long)f->start, (unsigned long long)f->end,
		(unsigned long long)f->secret_start, (unsigned long long)f->secret_end);
	FUZZ_CHECK(f->end <= scanner->n_bytes - c->base, "%s: ends at %llu of %llu bytes decoded "
		"so far", f->sig->id, (unsigned long long)f->end,
		(unsigned long long)(scanner->n_bytes - c->base));
	return 0;
}

static int decode_init(void)
{
	bb_scan_options o;
	bb_scan_options_init(&o);
	if (bb_scanner_new(&scanner, fuzz_builtin_rules(), NULL, &o) < 0)
		abort();
	memfd = memfd_create("fuzz-decode", 0);
	if (memfd < 0)
		abort();
	snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
	return 0;
}

static void check_rc(int rc, const char *how)
{
	FUZZ_CHECK(rc == BB_OK || rc == BB_EDECODE || rc == BB_ETOOBIG, "%s: %s (%s)", how,
		bb_strerror(rc), bb_scanner_errmsg(scanner));
	if (rc != BB_OK)
		FUZZ_CHECK(bb_scanner_errmsg(scanner)[0], "%s: %s without a message", how,
			bb_strerror(rc));
}

static void check_limits(uint64_t decoded, size_t in, const char *how)
{
	uint64_t by_ratio = (uint64_t)in * 200;
	uint64_t cap = by_ratio > RATIO_GRACE ? by_ratio : RATIO_GRACE;
	if (cap > (256u << 20))
		cap = 256u << 20;
	FUZZ_CHECK(decoded <= cap + OUT_STEP, "%s: %llu bytes decoded from %zu", how,
		(unsigned long long)decoded, in);
}

static int decode_one(const uint8_t *data, size_t size, const unsigned char *magic,
	size_t magic_len, const char *origin)
{
	uint8_t *buf = malloc(size + magic_len + 1);
	if (!buf)
		return 0;
	size_t len = size;
	if (size >= magic_len && !memcmp(data, magic, magic_len)) {
		memcpy(buf, data, size);
	} else {
		memcpy(buf, magic, magic_len);
		memcpy(buf + magic_len, data, size);
		len += magic_len;
	}

	/* in memory */
	uint64_t before = scanner->n_bytes;
	dec_ctx c1 = { origin, before, 0 };
	int rc1 = bb_scanner_scan_blob(scanner, buf, len, "fuzz.bin", on_finding, &c1);
	check_rc(rc1, "blob");
	uint64_t dec1 = scanner->n_bytes - before;
	check_limits(dec1, len, "blob");

	/* from a descriptor */
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, buf, len, 0) != (ssize_t)len)
		abort();
	before = scanner->n_bytes;
	dec_ctx c2 = { origin, before, 0 };
	int rc2 = bb_scanner_scan_file(scanner, memfd_path, "fuzz.bin", on_finding, &c2);
	check_rc(rc2, "file");
	uint64_t dec2 = scanner->n_bytes - before;
	check_limits(dec2, len, "file");

	/* Both read the first 256 KiB at once (the limits see the same input size at
	 * each step); beyond that they read in different steps. */
	if (len > OUT_STEP) {
		free(buf);
		return 0;
	}
	FUZZ_CHECK(rc1 == rc2, "blob: %s, file: %s", bb_strerror(rc1), bb_strerror(rc2));
	FUZZ_CHECK(dec1 == dec2, "blob decoded %llu bytes, file %llu", (unsigned long long)dec1,
		(unsigned long long)dec2);
	FUZZ_CHECK(c1.n == c2.n, "blob: %zu findings, file: %zu", c1.n, c2.n);
	free(buf);
	return 0;
}

#endif
