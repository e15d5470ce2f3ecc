/*
 * meta.c: the runtime part of a signature set as one flat blob, so that a warm
 * start reads it without any JSON parsing (cJSON would cost about a millisecond
 * for the built-in set; this costs microseconds).
 *
 * Layout (host byte order: the cache is specific to this machine anyway):
 *
 *   "BBMETA01" | u32 count | count x record
 *   record = u32 kind severity confidence hs_flags pcre_opts group window ahead
 *                ctx_before ctx_after validator on_invalid_low placeholders prefilter
 *                generic single_line
 *            f64 min_entropy
 *            14 x string (u32 length, bytes, NUL)
 *
 * Strings in the resulting bb_sig records point into the blob, which the ruleset
 * owns; nothing is copied.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "../verify/verify.h"

#define META_MAGIC "BBMETA05"
#define META_STRINGS 14

static int put(bb_buf *b, const void *p, size_t n)
{
	return bb_buf_append(b, p, n);
}

static int put_u32(bb_buf *b, uint32_t v)
{
	return put(b, &v, sizeof v);
}

static int put_str(bb_buf *b, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	int rc = put_u32(b, n);
	return rc < 0 ? rc : put(b, s, (size_t)n + 1);
}

static const char **spec_strings(const bb_sigspec *s, const char *out[META_STRINGS])
{
	const char *v[META_STRINGS] = { s->id, s->name, s->description, s->remediation,
		s->references, s->pattern, s->path, s->magic, s->source, s->ctx_keywords,
		s->allow, s->path_exclude, s->anchor, s->allow_match };
	memcpy(out, v, sizeof v);
	return out;
}

int bb_rules__meta_write(bb_buf *out, const bb_specset *set)
{
	int rc;
	BB_TRY(put(out, META_MAGIC, 8));
	BB_TRY(put_u32(out, (uint32_t)set->n));
	for (size_t i = 0; i < set->n; i++) {
		const bb_sigspec *s = &set->v[i];
		const bb_sig *g = &s->sig;
		const uint32_t nums[] = { g->pub.kind, g->pub.severity, g->pub.confidence,
			g->hs_flags, g->pcre_opts, g->group, g->window, g->ahead, g->ctx_before,
			g->ctx_after, g->validator, g->on_invalid_low, g->placeholders,
			g->prefilter, g->generic, g->single_line };
		for (size_t k = 0; k < BB_ARRAY_LEN(nums); k++)
			BB_TRY(put_u32(out, nums[k]));
		BB_TRY(put(out, &g->pub.min_entropy, sizeof g->pub.min_entropy));
		const char *strs[META_STRINGS];
		spec_strings(s, strs);
		for (size_t k = 0; k < META_STRINGS; k++)
			BB_TRY(put_str(out, strs[k]));
	}
out:
	return rc;
}

typedef struct cursor {
	const unsigned char *p, *end;
} cursor;

static int get(cursor *c, void *dst, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return BB_ERROR;
	memcpy(dst, c->p, n);
	c->p += n;
	return BB_OK;
}

static int get_str(cursor *c, const char **out)
{
	uint32_t n;
	if (get(c, &n, sizeof n) < 0 || (size_t)(c->end - c->p) < (size_t)n + 1 || c->p[n])
		return BB_ERROR;
	*out = (const char *)c->p;
	c->p += (size_t)n + 1;
	return BB_OK;
}

static int read_record(cursor *c, bb_sig *g)
{
	uint32_t v[16];
	const char *s[META_STRINGS];
	for (size_t k = 0; k < BB_ARRAY_LEN(v); k++)
		if (get(c, &v[k], sizeof v[k]) < 0)
			return BB_ERROR;
	if (get(c, &g->pub.min_entropy, sizeof g->pub.min_entropy) < 0)
		return BB_ERROR;
	for (size_t k = 0; k < META_STRINGS; k++)
		if (get_str(c, &s[k]) < 0)
			return BB_ERROR;
	if (v[0] > BB_KIND_SENSITIVE_FILE || v[1] > BB_SEV_CRITICAL || v[2] > BB_CONF_HIGH ||
		v[6] > BB_MAX_WINDOW || v[7] > BB_MAX_ANCHOR_WINDOW || v[10] >= BB_VALIDATOR__COUNT)
		return BB_ERROR;
	g->pub.kind = (bb_kind)v[0];
	g->pub.severity = (bb_severity)v[1];
	g->pub.confidence = (bb_confidence)v[2];
	g->hs_flags = v[3];
	g->pcre_opts = v[4];
	g->group = v[5];
	g->window = v[6];
	g->ahead = v[7];
	g->ctx_before = v[8];
	g->ctx_after = v[9];
	g->validator = (uint8_t)v[10];
	g->on_invalid_low = (uint8_t)v[11];
	g->placeholders = (uint8_t)v[12];
	g->prefilter = (uint8_t)v[13];
	g->generic = (uint8_t)v[14];
	g->single_line = (uint8_t)v[15];
	g->pub.id = s[0];
	g->pub.name = s[1];
	g->pub.description = s[2];
	g->pub.remediation = s[3];
	g->pub.references = s[4];
	g->pub.pattern = s[5];
	g->pub.path = s[6];
	g->pub.magic = s[7];
	g->pub.source = s[8];
	g->ctx_keywords = s[9];
	g->allow = s[10];
	g->path_exclude = s[11];
	g->pub.anchor = s[12];
	g->allow_match = s[13];
	g->pub.validator = bb_verify__name((bb_validator)g->validator);
	return BB_OK;
}

int bb_rules__meta_read(const unsigned char *blob, size_t len, bb_sig **sigs_out,
	size_t *n_out)
{
	cursor c = { blob, blob + len };
	char magic[8];
	uint32_t n;
	if (get(&c, magic, 8) < 0 || memcmp(magic, META_MAGIC, 8) || get(&c, &n, 4) < 0 ||
		n > len / 16)
		return BB_ERROR;
	bb_sig *sigs = calloc(n ? n : 1, sizeof *sigs);
	if (!sigs)
		return BB_ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (read_record(&c, &sigs[i]) < 0) {
			free(sigs);
			return BB_ERROR;
		}
	}
	if (c.p != c.end) {
		free(sigs);
		return BB_ERROR;
	}
	*sigs_out = sigs;
	*n_out = n;
	return BB_OK;
}
