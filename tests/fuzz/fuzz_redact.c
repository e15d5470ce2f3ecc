/*
 * fuzz_redact: the streaming redactor (bb_redactor_*) as a round trip against a
 * whole-buffer scan of the same bytes, built-in signatures.
 *
 *   1. What the redactor writes is exactly the input with each reported secret
 *      span replaced by "[REDACTED:<id>]": bytes outside the spans unchanged, one
 *      tag per span (a span inside one already replaced adds nothing; one that
 *      starts inside it is replaced from there), so the output length is
 *      len - (bytes covered by spans) + (tag lengths). The return value of
 *      bb_redactor_finish is the number of tags.
 *   2. The output, scanned again, holds no secret (kind secret) that touches a
 *      tag: a tag is never taken for a secret, nor for part of one. (A secret
 *      within bytes copied from the input may be found there: a pattern sees
 *      different context once a neighbouring secret is replaced, e.g. a key name
 *      glued to the end of a base64 blob gets a word boundary. The redactor
 *      promises to replace what the scanner finds in its input, not a fixed
 *      point.)
 *
 * The input is fed in pieces whose sizes come from the input itself. When the
 * first byte is 0xff, the rest is placed after about 270 KiB of newlines, the
 * second byte choosing where: around the points where the redactor cuts its
 * stream (the end of a region's reporting range and the last byte it writes out),
 * so a secret straddling them is exercised too.
 */
#include "fuzz.h"

#define R_CHUNK (256u * 1024)  /* redact.c */
#define MAX_WINDOW 16384u      /* rules.h: BB_MAX_WINDOW */

static bb_scanner *rscan, *check;

typedef struct span {
	uint64_t start, end;
	const char *id;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

/* The output as pieces: bytes copied from the input, or a tag. */
typedef struct piece {
	uint64_t out_start, out_end;
	int tag;
} piece;

typedef struct pieces {
	piece *v;
	size_t n, cap;
} pieces;

static void add_piece(pieces *p, uint64_t start, uint64_t end, int tag)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		if (!(p->v = realloc(p->v, p->cap * sizeof *p->v)))
			abort();
	}
	p->v[p->n++] = (piece){ start, end, tag };
}

static int on_span(const bb_finding *f, void *payload)
{
	spans *s = payload;
	if (!f->secret_len)
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if (!(s->v = realloc(s->v, s->cap * sizeof *s->v)))
			abort();
	}
	s->v[s->n++] = (span){ f->secret_start, f->secret_end, f->sig->id };
	return 0;
}

static int on_rescan(const bb_finding *f, void *payload)
{
	const pieces *p = payload;
	if (!f->secret_len || f->sig->kind != BB_KIND_SECRET)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].tag && p->v[i].out_start < f->secret_end && f->secret_start < p->v[i].out_end)
			FUZZ_CHECK(0, "the redacted output holds a secret made with a tag: %s at "
				"[%llu,%llu), tag at [%llu,%llu)", f->sig->id,
				(unsigned long long)f->secret_start, (unsigned long long)f->secret_end,
				(unsigned long long)p->v[i].out_start, (unsigned long long)p->v[i].out_end);
	return 0;
}

typedef struct sink {
	unsigned char *p;
	size_t n, cap;
} sink;

static int on_write(const void *buf, size_t len, void *payload)
{
	sink *k = payload;
	if (k->n + len > k->cap) {
		size_t cap = (k->n + len) * 2;
		unsigned char *p = realloc(k->p, cap);
		if (!p)
			return 1;
		k->p = p;
		k->cap = cap;
	}
	memcpy(k->p + k->n, buf, len);
	k->n += len;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (bb_scanner_new(&rscan, fuzz_builtin_rules(), NULL, NULL) < 0 ||
		bb_scanner_new(&check, fuzz_builtin_rules(), NULL, NULL) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static spans found;
	static pieces parts;
	const uint8_t *in = data;
	size_t len = size;
	uint8_t *padded = NULL;
	if (size >= 2 && data[0] == 0xff) {
		/* the cut points of the first region, from redact.c: hi = R_CHUNK + OVERLAP,
		 * written out up to hi - MAX_WINDOW; place the input from 2 KiB before the
		 * latter to past the former */
		size_t pad = R_CHUNK + 8192 - 2048 + (size_t)data[1] * 80;
		len = pad + size - 2;
		padded = malloc(len);
		if (!padded)
			return 0;
		memset(padded, '\n', pad);
		memcpy(padded + pad, data + 2, size - 2);
		in = padded;
	}

	found.n = 0;
	int rc = bb_scanner_scan_buffer(check, in, len, NULL, on_span, &found);
	FUZZ_CHECK(rc == BB_OK, "scan: %s", bb_strerror(rc));

	sink out = { 0 };
	bb_redactor *r;
	FUZZ_CHECK(bb_redactor_new(&r, rscan, on_write, &out) == BB_OK, "redactor_new");
	/* pieces of 1 to 4096 bytes, sizes taken from the input */
	size_t at = 0, k = 0;
	while (at < len) {
		size_t step = 1 + ((size_t)data[k % size] * 17 + k) % 4096;
		k++;
		if (step > len - at)
			step = len - at;
		rc = bb_redactor_feed(r, in + at, step);
		FUZZ_CHECK(rc == BB_OK, "feed: %s", bb_strerror(rc));
		at += step;
	}
	long count = bb_redactor_finish(r);
	bb_redactor_free(r);
	FUZZ_CHECK(count >= 0, "finish: %s", bb_strerror((int)count));

	/* 1. the expected output */
	sink want = { 0 };
	uint64_t pos = 0;
	long tags = 0;
	parts.n = 0;
	for (size_t i = 0; i < found.n; i++) {
		const span *sp = &found.v[i];
		if (sp->end <= pos)
			continue;
		if (sp->start > pos) {
			add_piece(&parts, want.n, want.n + (sp->start - pos), 0);
			on_write(in + pos, (size_t)(sp->start - pos), &want);
		}
		char tag[160];
		int n = snprintf(tag, sizeof tag, "[REDACTED:%s]", sp->id);
		add_piece(&parts, want.n, want.n + (size_t)n, 1);
		on_write(tag, (size_t)n, &want);
		tags++;
		pos = sp->end;
	}
	if (pos < len)
		on_write(in + pos, (size_t)(len - pos), &want);
	FUZZ_CHECK(count == tags, "%ld redactions reported, %ld spans replaced", count, tags);
	FUZZ_CHECK(out.n == want.n, "output of %zu bytes, expected %zu", out.n, want.n);
	for (size_t i = 0; i < out.n; i++)
		FUZZ_CHECK(out.p[i] == want.p[i], "output differs at byte %zu of %zu", i, out.n);

	/* 2. no secret made with a tag */
	rc = bb_scanner_scan_buffer(check, out.p ? out.p : (const unsigned char *)"", out.n,
		NULL, on_rescan, &parts);
	FUZZ_CHECK(rc == BB_OK, "rescan: %s", bb_strerror(rc));

	free(out.p);
	free(want.p);
	free(padded);
	return 0;
}
