/*
 * scanner.c: the per-thread scanner and the region pipeline described in
 * scanner.h: Hyperscan clusters -> PCRE2 confirmation -> candidate checks ->
 * overlap resolution -> findings.
 *
 * Why clusters: Hyperscan without start-of-match reports every end offset at which
 * a pattern matches, so a 40-character token matched by `[A-Za-z0-9]{20,}` yields
 * 20 ends. Appending them all would make the hit vector (and the work after it)
 * proportional to the bytes matched; extending the signature's open cluster keeps
 * it proportional to the number of separate places that matched.
 *
 * Why an offset limit: PCRE2, asked to find the pattern from (first end - window),
 * would otherwise keep searching to the end of the buffer when the candidate turns
 * out false, which is quadratic on large inputs. pcre2_set_offset_limit stops it
 * from starting a match after the cluster's last end.
 */
#include "scanner.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../verify/verify.h"

#define HITS_CAP 65536u

enum { V_PATTERN, V_CONTEXT, V_CHECKSUM, V_STRUCTURE, V_PATH, V_MAGIC };
static const char *const validated_names[] = {
	"pattern", "context", "checksum", "structure", "path", "magic",
};

/* ---- lifecycle --------------------------------------------------------------- */

void bb_scan_options_init(bb_scan_options *o)
{
	memset(o, 0, sizeof *o);
	o->max_decoded_size = 256u << 20;
	o->max_decode_ratio = 200;
}

static int id_in(const char *id, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bb_id_matches(id, list[i]))
			return 1;
	return 0;
}

/* Which signatures may be reported: kinds, --only/--skip ids and the filter's
 * allowed signatures, resolved once to one byte per signature. A signature that
 * may not be reported is still matched, so that a generic signature does not
 * report in its place the secret it found (overlap resolution, scanner.c). */
static void resolve_enabled(bb_scanner *s)
{
	const bb_scan_options *o = &s->opts;
	for (size_t i = 0; i < s->rs->n; i++) {
		const bb_signature *g = &s->rs->sigs[i].pub;
		int on = !o->kinds || (o->kinds & (1u << g->kind));
		if (on && o->only_ids)
			on = id_in(g->id, o->only_ids, o->n_only_ids);
		if (on && o->skip_ids)
			on = !id_in(g->id, o->skip_ids, o->n_skip_ids);
		if (on && s->filter)
			on = !bb_filter__signature_allowed(s->filter, g->id);
		s->enabled[i] = (uint8_t)on;
	}
	/* the id lists are borrowed from the caller; they are not needed any more */
	s->opts.only_ids = s->opts.skip_ids = NULL;
	s->opts.n_only_ids = s->opts.n_skip_ids = 0;
}

int bb_scanner_new(bb_scanner **out, const bb_ruleset *rs, const bb_filter *filter,
	const bb_scan_options *opts)
{
	bb_scanner *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return BB_ENOMEM;
	s->rs = rs;
	s->filter = filter;
	if (opts)
		s->opts = *opts;
	else
		bb_scan_options_init(&s->opts);
	size_t n = rs->n ? rs->n : 1;
	s->enabled = calloc(n, 1);
	s->open_gen = calloc(n, sizeof *s->open_gen);
	s->open_idx = calloc(n, sizeof *s->open_idx);
	s->md = pcre2_match_data_create(100, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	bb_buf_init(&s->st.buf, 0);
	/* read(2) copies from the page cache with `rep movsb`, which runs at about half
	 * speed when the destination's offset within a cache line differs from the
	 * source's: reading the Linux tree into malloc's blocks (page + 16 bytes) took
	 * 1.1-1.4 s against 0.7 s into a page-aligned buffer, one thread, same run. */
	s->st.buf.align = 4096;
	bb_buf_init(&s->snippet, 0);
	bb_buf_init(&s->inbuf, 0);
	if (!s->enabled || !s->open_gen || !s->open_idx || !s->md || !s->mctx || !s->jit ||
		(rs->scratch && hs_clone_scratch(rs->scratch, &s->scratch) != HS_SUCCESS)) {
		bb_scanner_free(s);
		return BB_ENOMEM;
	}
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	const char *tr = getenv("BLACKBAR_TRACE");
	s->trace = tr && *tr && strcmp(tr, "0");
	/* Bound backtracking: a pathological input costs at most this much per match. */
	pcre2_set_match_limit(s->mctx, 1000000);
	pcre2_set_depth_limit(s->mctx, 10000);
	resolve_enabled(s);
	*out = s;
	return BB_OK;
}

void bb_scanner_free(bb_scanner *s)
{
	if (!s)
		return;
	bb_classify__free(s);
	bb_decode__free(s);
	hs_free_scratch(s->scratch);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	free(s->enabled);
	free(s->open_gen);
	free(s->open_idx);
	free(s->hits);
	free(s->cands);
	free(s->prof);
	bb_buf_free(&s->st.buf);
	bb_buf_free(&s->snippet);
	bb_buf_free(&s->inbuf);
	free(s);
}

const char *bb_scanner_errmsg(const bb_scanner *s)
{
	return s->errmsg;
}

int bb_scanner_profile(bb_scanner *s, int on)
{
	free(s->prof);
	s->prof = NULL;
	if (on && !(s->prof = calloc(s->rs->n ? s->rs->n : 1, sizeof *s->prof)))
		return BB_ENOMEM;
	return BB_OK;
}

void bb_scanner_sig_stats(const bb_scanner *s, size_t i, bb_sig_stats *out)
{
	if (s->prof && i < s->rs->n)
		*out = s->prof[i];
	else
		memset(out, 0, sizeof *out);
}

void bb_scan__set_err(bb_scanner *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
	va_end(ap);
}

void bb_scan__begin_input(bb_scanner *s, const char *label, bb_finding_cb cb, void *payload)
{
	s->label = label ? label : "";
	s->cb = cb;
	s->payload = payload;
	s->stopped = 0;
	s->errmsg[0] = '\0';
	s->path_allow_all = 0;
	s->n_path_allow_ids = 0;
	if (s->filter && s->label[0])
		bb_filter__path_allows(s->filter, s->label, &s->path_allow_all,
			&s->path_allow_ids, &s->n_path_allow_ids);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- 1. Hyperscan: clusters of match ends ------------------------------------- */

static int on_hit(unsigned id, unsigned long long from, unsigned long long to,
	unsigned flags, void *ctx)
{
	bb_scanner *s = ctx;
	BB_UNUSED(from);
	BB_UNUSED(flags);
	if (s->open_gen[id] == s->gen) {
		bb_hit *h = &s->hits[s->open_idx[id]];
		if (to >= h->last_end && to <= h->last_end + s->rs->sigs[id].window) {
			h->last_end = to;
			return 0;
		}
	}
	if (s->n_hits == s->cap_hits) {
		s->overflow = 1;
		return 1; /* stop; bb_scan__region resumes after what it has */
	}
	s->hits[s->n_hits] = (bb_hit){ id, 0, to, to };
	s->open_gen[id] = s->gen;
	s->open_idx[id] = (uint32_t)s->n_hits++;
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const bb_hit *x = a, *y = b;
	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->first_end < y->first_end ? -1 : x->first_end > y->first_end;
}

/* Sorts the clusters and merges those of one signature that a single confirmation
 * window covers. */
static void merge_hits(bb_scanner *s)
{
	if (s->n_hits < 2)
		return;
	qsort(s->hits, s->n_hits, sizeof *s->hits, hit_cmp);
	size_t w = 0;
	for (size_t i = 1; i < s->n_hits; i++) {
		bb_hit *cur = &s->hits[w], *nx = &s->hits[i];
		if (nx->sig == cur->sig &&
			nx->first_end <= cur->last_end + s->rs->sigs[cur->sig].window) {
			if (nx->last_end > cur->last_end)
				cur->last_end = nx->last_end;
		} else {
			s->hits[++w] = *nx;
		}
	}
	s->n_hits = w + 1;
}

/* ---- 3. candidate checks ---------------------------------------------------------- */

static int has_context(const bb_sig *g, const unsigned char *data, size_t len,
	size_t ms, size_t me)
{
	size_t from = ms > g->ctx_before ? ms - g->ctx_before : 0;
	size_t to = me + g->ctx_after < len ? me + g->ctx_after : len;
	const char *kw = g->ctx_keywords;
	while (*kw) {
		const char *nl = strchr(kw, '\n');
		size_t kn = nl ? (size_t)(nl - kw) : strlen(kw);
		if (bb_memmem_ci((const char *)data + from, to - from, kw, kn))
			return 1;
		kw += kn + (nl != NULL);
	}
	return 0;
}

static int push_cand(bb_scanner *s, const bb_cand *c)
{
	bb_cand *v = bb_grow(s->cands, &s->cap_cands, s->n_cands, sizeof *v, 64);
	if (!v)
		return BB_ENOMEM;
	s->cands = v;
	s->cands[s->n_cands++] = *c;
	return BB_OK;
}

/* BLACKBAR_TRACE=1: every rejected candidate is described on stderr (signature,
 * reason, file and byte offset; never the value), for tuning signatures. */
static void trace(const bb_scanner *s, uint32_t sig, const char *why, size_t at)
{
	if (s->trace)
		fprintf(stderr, "blackbar-trace: %s rejected (%s) at %s:%zu\n",
			s->rs->sigs[sig].pub.id, why, s->label, at);
}

/* Decides whether a confirmed match is a candidate finding. Offsets are copies:
 * the allow-regex match below reuses the match data. */
static int consider(bb_scanner *s, uint32_t sig, const unsigned char *data, size_t len,
	size_t ms, size_t me, size_t ss, size_t se)
{
	const bb_sig *g = &s->rs->sigs[sig];
	const unsigned char *sec = data + ss;
	size_t n = se - ss;
	bb_cand c = { sig, (uint8_t)g->pub.confidence, V_PATTERN, 0, 0, ms, me, ss, se };
	if (bb_verify__in_redaction_tag(data, len, ss)) {
		trace(s, sig, "redaction tag", ss);
		return BB_OK;
	}
	/* A value whose strong checksum holds is no placeholder, whatever words chance
	 * put in it (people do not compute CRC32s for their examples): checked first,
	 * and only once (valid: -1 not yet run). */
	bb_validator vd = (bb_validator)g->validator;
	int valid = vd && bb_verify__strong_checksum(vd) ? bb_verify__check(vd, sec, n) : -1;
	if (g->placeholders && valid != 1 && bb_verify__is_placeholder(sec, n)) {
		trace(s, sig, "placeholder", ss);
		return BB_OK;
	}
	if (g->placeholders && valid != 1 && bb_verify__is_filler(sec, n))
		c.confidence = BB_CONF_LOW;
	if (g->pub.min_entropy > 0 && bb_verify__entropy(sec, n) < g->pub.min_entropy) {
		trace(s, sig, "entropy", ss);
		return BB_OK;
	}
	if (g->ctx_keywords[0]) {
		if (!has_context(g, data, len, ms, me)) {
			trace(s, sig, "context", ss);
			return BB_OK;
		}
		c.validated = V_CONTEXT;
	}
	if (vd) {
		if (valid < 0)
			valid = bb_verify__check(vd, sec, n);
		if (valid)
			c.validated = bb_verify__kind(vd) == BB_VALIDATION_CHECKSUM ? V_CHECKSUM
				: V_STRUCTURE;
		else if (g->on_invalid_low)
			c.confidence = BB_CONF_LOW;
		else {
			trace(s, sig, "validator", ss);
			return BB_OK;
		}
	}
	if (g->allow[0]) {
		pcre2_code *a = bb_rules__allow_re(s->rs, sig);
		if (a && pcre2_match(a, sec, n, 0, 0, s->md, NULL) >= 0) {
			trace(s, sig, "allow", ss);
			return BB_OK;
		}
	}
	if (g->allow_match[0]) {
		pcre2_code *a = bb_rules__allow_match_re(s->rs, sig);
		if (a && pcre2_match(a, data + ms, me - ms, 0, 0, s->md, NULL) >= 0) {
			trace(s, sig, "allow", ss);
			return BB_OK;
		}
	}
	if (s->filter && bb_filter__secret_allowed(s->filter, sec, n, s->md))
		return BB_OK;
	return push_cand(s, &c);
}

/* ---- 2. confirmation ------------------------------------------------------------- */

/* Runs the signature's regex over the cluster's window. `done` is where the last
 * confirmed match of this signature ended (matches are never confirmed twice). */
static int confirm(bb_scanner *s, const bb_hit *h, const unsigned char *data, size_t len,
	size_t *done)
{
	const bb_sig *g = &s->rs->sigs[h->sig];
	pcre2_code *re = bb_rules__re(s->rs, h->sig);
	if (!re)
		return BB_OK;
	size_t w = g->window ? g->window : 1;
	size_t at = h->first_end > w ? h->first_end - w : 0;
	if (at < *done)
		at = *done;
	/* A single-line signature's match starts on the line where its anchor ends
	 * (the anchor holds no line break either): the search for its start, which
	 * for a pattern that may start anywhere costs PCRE2 a try at every byte,
	 * begins there. ~15% of all matching time on source code went to the
	 * bytes before that line in generic keyword signatures. */
	if (g->single_line && h->first_end > at) {
		const unsigned char *nl = memrchr(data + at, '\n', h->first_end - 1 - at);
		if (nl)
			at = (size_t)(nl - data) + 1;
	}
	/* An anchored signature's match contains its anchor, so it starts before the
	 * anchor's end and ends at most `ahead` bytes after it. */
	if (g->ahead && h->last_end + g->ahead < len)
		len = h->last_end + g->ahead;
	pcre2_set_offset_limit(s->mctx, h->last_end);
	/* an interpreted pattern is timed: the time decides when to JIT it (rules.h) */
	uint64_t t0 = bb_rules__re_interpreted(s->rs, h->sig) ? now_ns() : 0;
	int rc = BB_OK;
	while (at <= h->last_end && at <= len) {
		int m = pcre2_match(re, data, len, at, 0, s->md, s->mctx);
		if (m < 0)
			break; /* no match, or a limit hit: either way nothing more here */
		const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		size_t ms = ov[0], me = ov[1], ss = ms, se = me;
		if (me == ms) {
			at = ms + 1;
			continue;
		}
		if (g->group) {
			if ((int)g->group >= m || ov[2 * g->group] == PCRE2_UNSET)
				ss = se = 0;
			else {
				ss = ov[2 * g->group];
				se = ov[2 * g->group + 1];
			}
		}
		if (se > ss) {
			if (s->prof)
				s->prof[h->sig].matches++;
			if ((rc = consider(s, h->sig, data, len, ms, me, ss, se)) < 0)
				break;
		}
		*done = me;
		at = me;
	}
	if (t0)
		bb_rules__re_spent(s->rs, h->sig, now_ns() - t0);
	return rc;
}

/* Runs Hyperscan over data[from..len) and confirms what it finds. On overflow of
 * the hit vector, resumes just before the last end it had. */
static int collect(bb_scanner *s, const unsigned char *data, size_t len)
{
	size_t from = 0, floor_end = 0;
	for (;;) {
		s->n_hits = 0;
		s->overflow = 0;
		if (++s->gen == 0) { /* wrapped: stale generations must not match */
			memset(s->open_gen, 0, s->rs->n * sizeof *s->open_gen);
			s->gen = 1;
		}
		hs_error_t e = hs_scan(s->rs->content_db, (const char *)data + from,
			(unsigned)(len - from), 0, s->scratch, on_hit, s);
		if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) {
			bb_scan__set_err(s, "Hyperscan scan failed (%d)", (int)e);
			return BB_ERROR;
		}
		size_t max_end = 0;
		for (size_t i = 0; i < s->n_hits; i++) {
			s->hits[i].first_end += from;
			s->hits[i].last_end += from;
			if (s->hits[i].last_end > max_end)
				max_end = s->hits[i].last_end;
		}
		if (BB_UNLIKELY(s->opts.no_confirm))
			s->n_hits = 0; /* after max_end: an overflowed pass still resumes */
		merge_hits(s);
		size_t done = 0;
		uint32_t cur = UINT32_MAX;
		for (size_t i = 0; i < s->n_hits; i++) {
			bb_hit *h = &s->hits[i];
			if (h->last_end <= floor_end)
				continue;
			if (h->sig != cur) {
				cur = h->sig;
				done = floor_end > BB_MAX_WINDOW ? floor_end - BB_MAX_WINDOW : 0;
			}
			int rc;
			if (BB_UNLIKELY(s->prof != NULL)) {
				uint64_t t0 = now_ns();
				rc = confirm(s, h, data, len, &done);
				s->prof[h->sig].candidates++;
				s->prof[h->sig].confirm_ns += now_ns() - t0;
			} else {
				rc = confirm(s, h, data, len, &done);
			}
			if (rc < 0)
				return rc;
		}
		if (!s->overflow)
			return BB_OK;
		floor_end = max_end;
		from = max_end > BB_MAX_WINDOW ? max_end - BB_MAX_WINDOW : 0;
		if (from >= len)
			return BB_OK;
	}
}

/* ---- 4. overlaps and findings --------------------------------------------------- */

static int cand_cmp(const void *a, const void *b)
{
	const bb_cand *x = a, *y = b;
	if (x->sstart != y->sstart)
		return x->sstart < y->sstart ? -1 : 1;
	if (x->send != y->send)
		return x->send > y->send ? -1 : 1;
	return x->sig < y->sig ? -1 : x->sig > y->sig;
}

/* How much a candidate is to be believed, for overlap resolution: confidence
 * first, then what confirmed it, then specific over generic signatures, then
 * severity. */
static int rank(const bb_scanner *s, const bb_cand *c)
{
	static const int by_validation[] = { [V_PATTERN] = 0, [V_CONTEXT] = 1,
		[V_CHECKSUM] = 3, [V_STRUCTURE] = 2, [V_PATH] = 0, [V_MAGIC] = 0 };
	const bb_sig *g = &s->rs->sigs[c->sig];
	return c->confidence * 1000 + by_validation[c->validated] * 100 + !g->generic * 10 +
		(int)g->pub.severity;
}

/* When one secret lies within another (or both are the same span), only the
 * better-ranked finding stays: a GitHub token inside a URL is reported as a
 * GitHub token, not also as a URL password. Partly overlapping secrets both
 * stay. Candidates are sorted by start, longest first. */
static void resolve_overlaps(bb_scanner *s)
{
	bb_cand *v = s->cands;
	for (size_t i = 0; i < s->n_cands; i++) {
		for (size_t j = i + 1; j < s->n_cands && v[j].sstart < v[i].send; j++) {
			bb_cand *a = &v[i], *b = &v[j];
			if (a->dropped || b->dropped || b->send > a->send)
				continue; /* b is not inside a */
			if (a->sig == b->sig || rank(s, b) <= rank(s, a))
				b->dropped = 1;
			else
				a->dropped = 1;
		}
	}
}

/* Columns count what a reader sees: one per valid UTF-8 character and one per byte
 * that is not part of one (the snippet shows those as '?'). Callers move by whole
 * characters: ranges end at secret starts or at stream cut points, which are moved
 * back to character starts (stream.c), so a sequence is never split between calls. */
void bb_scan__advance(const unsigned char *p, size_t n, uint64_t *line, uint64_t *col)
{
	const unsigned char *end = p + n, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		++*line;
		*col = 0;
		p = nl + 1;
	}
	while (p < end) {
		size_t k = *p < 0x80 ? 1 : bb_utf8_seq(p, (size_t)(end - p));
		++*col;
		p += k ? k : 1;
	}
}

/* Appends bytes as printable, valid UTF-8: controls become spaces or '?', and
 * bytes that are not part of a valid sequence become '?'. */
static int put_clean(bb_buf *b, const unsigned char *p, size_t n)
{
	int rc = BB_OK;
	for (size_t i = 0; i < n && rc == BB_OK;) {
		size_t k = bb_utf8_seq(p + i, n - i);
		if (k == 1) {
			unsigned char c = p[i];
			char o = c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
			rc = bb_buf_append(b, &o, 1);
		} else {
			rc = k ? bb_buf_append(b, p + i, k) : bb_buf_append(b, "?", 1);
		}
		i += k ? k : 1;
	}
	return rc;
}

/* The masked form of a secret. Only a structural prefix may show, the part that
 * names the token type and is the same in every token of that type ("ghp_",
 * "sk_live_", "xoxb-"): letters and digits up to a '_' or '-' within the first 12
 * bytes, when at least 16 bytes follow. Then a fixed-length mask, so the length is
 * not revealed either. An AWS key, a PEM body or a password shows nothing. */
static int put_mask(bb_buf *b, const unsigned char *sec, size_t n)
{
	size_t cut = 0;
	for (size_t i = 0; i < n && i < 12; i++) {
		unsigned char ch = sec[i];
		if (ch == '_' || ch == '-')
			cut = i + 1;
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			break;
	}
	int rc = cut && n - cut >= 16 ? put_clean(b, sec, cut) : BB_OK;
	return rc < 0 ? rc : bb_buf_puts(b, "*****");
}

/* The snippet: the secret's line, cut to ~120 bytes either side, with this and
 * every other candidate secret in view masked. `k` is the finding's index. */
static int build_snippet(bb_scanner *s, const unsigned char *data, size_t len, size_t k)
{
	const bb_cand *c = &s->cands[k];
	size_t from = c->sstart, lim = c->sstart > 120 ? c->sstart - 120 : 0;
	while (from > lim && data[from - 1] != '\n')
		from--;
	while (from < c->sstart && (data[from] & 0xC0) == 0x80)
		from++; /* cut at a character, not inside one */
	size_t to = c->send, rlim = c->send + 120 < len ? c->send + 120 : len;
	while (to < rlim && data[to] != '\n')
		to++;
	while (to > c->send && to < len && (data[to] & 0xC0) == 0x80)
		to--;
	while (to > c->send && data[to - 1] == '\r')
		to--;
	bb_buf *b = &s->snippet;
	b->len = 0;
	int rc = BB_OK;
	if (from > 0 && data[from - 1] != '\n')
		BB_TRY(bb_buf_puts(b, "..."));
	size_t at = from, i = k;
	while (i > 0 && s->cands[i - 1].send > from)
		i--; /* earlier secrets reaching into the snippet */
	for (; i < s->n_cands && s->cands[i].sstart < to; i++) {
		const bb_cand *o = &s->cands[i];
		if (o->send <= at || (o->dropped && i != k))
			continue;
		size_t os = o->sstart > at ? o->sstart : at;
		BB_TRY(put_clean(b, data + at, os - at));
		BB_TRY(put_mask(b, data + o->sstart, o->send - o->sstart));
		at = o->send;
	}
	if (at < to)
		BB_TRY(put_clean(b, data + at, to - at));
	if (to < len && data[to] != '\n' && data[to] != '\r')
		BB_TRY(bb_buf_puts(b, "..."));
	rc = bb_buf_cstr(b) ? BB_OK : BB_ENOMEM;
out:
	return rc;
}

/* `blackbar:allow` on the finding's line, optionally followed by signature ids
 * (comma or space separated; "aws." allows the family). */
static int inline_allowed(const unsigned char *data, size_t len, const bb_cand *c,
	const char *id)
{
	static const char tag[] = "blackbar:allow";
	size_t from = c->start, lim = c->start > 4096 ? c->start - 4096 : 0;
	while (from > lim && data[from - 1] != '\n')
		from--;
	size_t to = c->end, rlim = c->end + 4096 < len ? c->end + 4096 : len;
	while (to < rlim && data[to] != '\n')
		to++;
	const unsigned char *p = memmem(data + from, to - from, tag, sizeof tag - 1);
	if (!p)
		return 0;
	p += sizeof tag - 1;
	const unsigned char *end = data + to;
	int named = 0;
	while (p < end && (*p == ' ' || *p == '=' || *p == ':' || *p == ','))
		p++;
	while (p < end) {
		const unsigned char *q = p;
		while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
			*q == '.' || *q == '-'))
			q++;
		if (q == p || !memchr(p, '.', (size_t)(q - p)))
			break; /* not an id: the comment goes on with prose */
		named = 1;
		char entry[128];
		size_t n = (size_t)(q - p) < sizeof entry - 1 ? (size_t)(q - p) : sizeof entry - 1;
		memcpy(entry, p, n);
		entry[n] = '\0';
		if (bb_id_matches(id, entry))
			return 1;
		p = q;
		while (p < end && (*p == ',' || *p == ' '))
			p++;
	}
	return !named;
}

static int path_allowed(const bb_scanner *s, const char *id)
{
	if (s->path_allow_all)
		return 1;
	for (size_t i = 0; i < s->n_path_allow_ids; i++)
		if (bb_id_matches(id, s->path_allow_ids[i]))
			return 1;
	return 0;
}

typedef struct cursor {
	size_t pos;
	uint64_t line, col;
} cursor;

static int emit(bb_scanner *s, const unsigned char *data, size_t len, uint64_t base,
	size_t k, cursor *cur, const char *origin)
{
	const bb_cand *c = &s->cands[k];
	const bb_sig *g = &s->rs->sigs[c->sig];
	if (!s->enabled[c->sig] || path_allowed(s, g->pub.id) ||
		c->confidence < s->opts.min_confidence)
		return BB_OK;
	if (!s->opts.no_inline_allow && inline_allowed(data, len, c, g->pub.id))
		return BB_OK;
	bb_finding f;
	memset(&f, 0, sizeof f);
	bb_fingerprint(g->pub.id, data + c->sstart, c->send - c->sstart, f.fingerprint);
	if (s->filter && bb_filter__fingerprint_allowed(s->filter, f.fingerprint))
		return BB_OK;
	bb_scan__advance(data + cur->pos, c->sstart - cur->pos, &cur->line, &cur->col);
	cur->pos = c->sstart;
	uint64_t el = cur->line, ec = cur->col;
	bb_scan__advance(data + c->sstart, c->send - 1 - c->sstart, &el, &ec);
	int rc = build_snippet(s, data, len, k);
	if (rc < 0)
		return rc;
	f.sig = &g->pub;
	f.sig_index = c->sig;
	f.path = s->label;
	f.origin = origin ? origin : "";
	f.start = base + c->start;
	f.end = base + c->end;
	f.secret_start = base + c->sstart;
	f.secret_end = base + c->send;
	f.line = cur->line;
	f.column = cur->col + 1;
	f.end_line = el;
	f.end_column = ec + ((data[c->send - 1] & 0xC0) != 0x80);
	f.secret = data + c->sstart;
	f.secret_len = c->send - c->sstart;
	f.redacted = (const char *)s->snippet.data;
	f.validated = validated_names[c->validated];
	f.confidence = (bb_confidence)c->confidence;
	s->n_findings++;
	if (s->prof)
		s->prof[c->sig].findings++;
	return s->cb && s->cb(&f, s->payload) ? BB_ESTOPPED : BB_OK;
}

int bb_scan__region(bb_scanner *s, const unsigned char *data, size_t len, uint64_t base,
	uint64_t lo, uint64_t hi, uint64_t line, uint64_t col, const char *origin)
{
	if (!s->rs->content_db || !len || s->stopped || s->opts.no_match)
		return s->stopped ? BB_ESTOPPED : BB_OK;
	if (!s->hits) {
		if (!(s->hits = malloc(HITS_CAP * sizeof *s->hits)))
			return BB_ENOMEM;
		s->cap_hits = HITS_CAP;
	}
	s->n_cands = 0;
	int rc = collect(s, data, len);
	if (rc < 0)
		return rc;
	if (!s->n_cands)
		return BB_OK;
	qsort(s->cands, s->n_cands, sizeof *s->cands, cand_cmp);
	resolve_overlaps(s);
	cursor cur = { 0, line, col };
	for (size_t k = 0; k < s->n_cands; k++) {
		const bb_cand *c = &s->cands[k];
		uint64_t abs_end = base + c->end;
		if (c->dropped || abs_end <= lo || abs_end > hi)
			continue;
		rc = emit(s, data, len, base, k, &cur, origin);
		if (rc == BB_ESTOPPED) {
			s->stopped = 1;
			return rc;
		}
		if (rc < 0)
			return rc;
	}
	return BB_OK;
}

int bb_scan__file_finding(bb_scanner *s, size_t sig, const char *validated,
	const char *shown)
{
	const bb_sig *g = &s->rs->sigs[sig];
	if (s->stopped)
		return BB_ESTOPPED;
	if (!s->enabled[sig] || path_allowed(s, g->pub.id) ||
		g->pub.confidence < s->opts.min_confidence)
		return BB_OK;
	bb_finding f;
	memset(&f, 0, sizeof f);
	/* Keyed by the path: a file finding has no secret bytes of its own. */
	bb_fingerprint(g->pub.id, (const unsigned char *)s->label, strlen(s->label),
		f.fingerprint);
	if (s->filter && bb_filter__fingerprint_allowed(s->filter, f.fingerprint))
		return BB_OK;
	s->snippet.len = 0;
	if (put_clean(&s->snippet, (const unsigned char *)shown, BB_MIN(strlen(shown), 200)) < 0 ||
		!bb_buf_cstr(&s->snippet))
		return BB_ENOMEM;
	f.sig = &g->pub;
	f.sig_index = sig;
	f.path = s->label;
	f.origin = "";
	f.line = f.column = f.end_line = f.end_column = 1;
	f.redacted = (const char *)s->snippet.data;
	f.validated = validated;
	f.confidence = g->pub.confidence;
	s->n_findings++;
	if (s->prof)
		s->prof[sig].findings++;
	if (s->cb && s->cb(&f, s->payload)) {
		s->stopped = 1;
		return BB_ESTOPPED;
	}
	return BB_OK;
}
