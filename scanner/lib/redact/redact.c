/*
 * redact.c: a streaming filter that copies its input to its output with every
 * secret replaced by "[REDACTED:<signature-id>]".
 *
 * Input accumulates in `pend` (absolute offsets [pbase, pbase + len)). Once
 * CHUNK + GUARD bytes are waiting, the region is scanned for findings ending in
 * (done, hi = end - GUARD]. Any later finding ends after hi and, being shorter
 * than the longest confirmation window, starts after hi - BB_MAX_WINDOW: so the
 * output up to there is final and is written, with the spans found replaced.
 * OVERLAP bytes are kept before the next region for context. A secret that
 * straddles two writes is therefore replaced whole, and memory stays bounded.
 *
 * The redactor borrows its scanner (one stream at a time) and owns its buffers.
 */
#include "../match/scanner.h"

#include <stdlib.h>
#include <string.h>

#define R_CHUNK (256u * 1024)

typedef struct span {
	uint64_t start, end;
	const char *id;
} span;

struct bb_redactor {
	bb_scanner *s;
	bb_write_cb write;
	void *payload;
	bb_buf pend;
	uint64_t pbase;    /* absolute offset of pend.data[0] */
	uint64_t emitted;  /* output written up to here */
	uint64_t done;     /* findings ending up to here were collected */
	uint64_t line, col;
	span *spans;       /* found, not yet written; sorted by start */
	size_t n_spans, cap_spans;
	long count;
	int failed;
};

int bb_redactor_new(bb_redactor **out, bb_scanner *s, bb_write_cb write, void *payload)
{
	bb_redactor *r = calloc(1, sizeof *r);
	*out = r;
	if (!r)
		return BB_ENOMEM;
	r->s = s;
	r->write = write;
	r->payload = payload;
	r->line = 1;
	bb_buf_init(&r->pend, 0);
	bb_scan__begin_input(s, "", NULL, NULL);
	return BB_OK;
}

void bb_redactor_free(bb_redactor *r)
{
	if (!r)
		return;
	bb_buf_free(&r->pend);
	free(r->spans);
	free(r);
}

static int on_finding(const bb_finding *f, void *payload)
{
	bb_redactor *r = payload;
	if (!f->secret_len)
		return 0;
	span *v = bb_grow(r->spans, &r->cap_spans, r->n_spans, sizeof *v, 16);
	if (!v) {
		r->failed = BB_ENOMEM;
		return 1;
	}
	r->spans = v;
	/* findings arrive sorted by secret start within a region, and regions move
	 * forward, so appending keeps the list sorted */
	r->spans[r->n_spans++] = (span){ f->secret_start, f->secret_end, f->sig->id };
	return 0;
}

static int out(bb_redactor *r, const void *p, size_t n)
{
	if (!n)
		return BB_OK;
	return r->write(p, n, r->payload) ? BB_EIO : BB_OK;
}

/* Writes output up to absolute offset `safe` (or further, to the end of a span
 * that starts before it). */
static int emit_until(bb_redactor *r, uint64_t safe)
{
	size_t k = 0;
	int rc = BB_OK;
	while (rc == BB_OK && r->emitted < safe) {
		span *sp = k < r->n_spans ? &r->spans[k] : NULL;
		if (sp && sp->end <= r->emitted) { /* covered by an earlier span */
			k++;
			continue;
		}
		uint64_t stop = sp && sp->start < safe ? sp->start : safe;
		if (stop > r->emitted) {
			rc = out(r, r->pend.data + (r->emitted - r->pbase), (size_t)(stop - r->emitted));
			r->emitted = stop;
		}
		if (rc == BB_OK && sp && sp->start < safe && sp->start <= r->emitted) {
			char tag[160];
			int n = snprintf(tag, sizeof tag, "[REDACTED:%s]", sp->id);
			rc = out(r, tag, (size_t)n);
			r->emitted = sp->end;
			r->count++;
			k++;
		}
	}
	if (k && r->n_spans > k)
		memmove(r->spans, r->spans + k, (r->n_spans - k) * sizeof *r->spans);
	r->n_spans -= k;
	return rc;
}

static int process(bb_redactor *r, int final)
{
	bb_scanner *s = r->s;
	size_t len = r->pend.len;
	uint64_t hi = final ? UINT64_MAX : r->pbase + len - BB_GUARD;
	s->cb = on_finding;
	s->payload = r;
	int rc = bb_scan__region(s, r->pend.data, len, r->pbase, r->done, hi, r->line, r->col, NULL);
	if (rc == BB_OK && r->failed)
		rc = r->failed;
	if (rc < 0)
		return rc;
	if (final)
		return emit_until(r, r->pbase + len);
	r->done = hi;
	uint64_t safe = hi > BB_MAX_WINDOW ? hi - BB_MAX_WINDOW : 0;
	if ((rc = emit_until(r, safe)) < 0)
		return rc;
	/* keep OVERLAP bytes of context, and everything not yet written */
	uint64_t keep = hi > BB_OVERLAP ? hi - BB_OVERLAP : 0;
	if (keep > r->emitted)
		keep = r->emitted;
	if (keep > r->pbase) {
		size_t drop = (size_t)(keep - r->pbase);
		for (int i = 0; i < 3 && drop > 0 && (r->pend.data[drop] & 0xC0) == 0x80; i++)
			drop--; /* a character stays whole for column counting */
		bb_scan__advance(r->pend.data, drop, &r->line, &r->col);
		memmove(r->pend.data, r->pend.data + drop, len - drop);
		r->pend.len -= drop;
		r->pbase = keep;
	}
	return BB_OK;
}

int bb_redactor_feed(bb_redactor *r, const void *buf, size_t len)
{
	const size_t cap = R_CHUNK + BB_GUARD + BB_OVERLAP;
	const unsigned char *p = buf;
	while (len) {
		size_t n = BB_MIN(len, cap - r->pend.len);
		int rc = bb_buf_append(&r->pend, p, n);
		if (rc < 0)
			return rc;
		p += n;
		len -= n;
		r->s->n_bytes += n;
		/* After a region, pend holds OVERLAP + GUARD bytes, so each full buffer
		 * moves the output forward by R_CHUNK. */
		if (r->pend.len == cap && (rc = process(r, 0)) < 0)
			return rc;
	}
	return BB_OK;
}

long bb_redactor_finish(bb_redactor *r)
{
	int rc = process(r, 1);
	return rc < 0 ? rc : r->count;
}
