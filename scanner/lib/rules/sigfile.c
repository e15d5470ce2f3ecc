/*
 * sigfile.c: reads signature files (signatures/README.md) with cJSON and checks
 * every field, so that a mistake stops the load with the file, the signature id and
 * the reason rather than silently changing what is detected. Unknown fields are
 * errors for the same reason (a misspelt "secret_grop" must not be ignored).
 *
 * Ownership: specs own malloc'd copies of their strings; the cJSON tree is freed
 * before returning.
 */
#include "rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../verify/verify.h"

static const char *const known_fields[] = {
	"id", "name", "kind", "severity", "confidence", "pattern", "anchor", "window",
	"single_line", "flags", "secret_group",
	"context", "min_entropy", "validator", "on_invalid", "placeholders", "allow", "allow_match",
	"prefilter", "generic", "path", "path_exclude", "magic", "description", "remediation",
	"references", "examples", "negative_examples",
};

int bb_rules__parse_flags(const char *s, uint32_t *pcre_opts, uint32_t *hs_flags)
{
	*pcre_opts = 0;
	*hs_flags = 0;
	for (; s && *s; s++) {
		switch (*s) {
		case 'i': *pcre_opts |= PCRE2_CASELESS; *hs_flags |= HS_FLAG_CASELESS; break;
		case 's': *pcre_opts |= PCRE2_DOTALL; *hs_flags |= HS_FLAG_DOTALL; break;
		case 'm': *pcre_opts |= PCRE2_MULTILINE; *hs_flags |= HS_FLAG_MULTILINE; break;
		default: return BB_EINVAL;
		}
	}
	return BB_OK;
}

/* Line number of byte `off` in text, for JSON syntax errors. */
static int line_of(const char *text, size_t len, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off && i < len; i++)
		line += text[i] == '\n';
	return line;
}

static int id_is_valid(const char *id)
{
	size_t n = strlen(id);
	if (n < 3 || n > 100 || !strchr(id, '.') || id[0] == '.' || id[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Parse context: everything a field checker needs to report an error. */
typedef struct pctx {
	const bb_source *src;
	const char *id;
	bb_diag *diag;
} pctx;

static int fail(pctx *p, const char *fmt, const char *a)
{
	char msg[400];
	snprintf(msg, sizeof msg, fmt, a);
	bb_diag_set(p->diag, p->src->name, p->id, "%s", msg);
	return BB_EBADRULE;
}

/* Optional string field: *out = malloc'd copy, or "" copy when absent. */
static int get_str(pctx *p, const cJSON *o, const char *key, int required, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v) {
		if (required)
			return fail(p, "missing required field \"%s\"", key);
		*out = bb_strdup("");
	} else if (!cJSON_IsString(v) || (required && !v->valuestring[0])) {
		return fail(p, "field \"%s\" must be a non-empty string", key);
	} else {
		*out = bb_strdup(v->valuestring);
	}
	return *out ? BB_OK : BB_ENOMEM;
}

static int get_bool(pctx *p, const cJSON *o, const char *key, int dflt, uint8_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v) {
		*out = (uint8_t)dflt;
		return BB_OK;
	}
	if (!cJSON_IsBool(v))
		return fail(p, "field \"%s\" must be true or false", key);
	*out = cJSON_IsTrue(v) ? 1 : 0;
	return BB_OK;
}

static int get_uint(pctx *p, const cJSON *o, const char *key, uint32_t dflt,
	uint32_t max, uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v) {
		*out = dflt;
		return BB_OK;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
		v->valuedouble != (double)(uint32_t)v->valuedouble)
		return fail(p, "field \"%s\" must be a small non-negative integer", key);
	*out = (uint32_t)v->valuedouble;
	return BB_OK;
}

/* Joins an array of strings with `sep`, each item optionally wrapped
 * (prefix/suffix), into a malloc'd string. */
static int join_strings(pctx *p, const cJSON *arr, const char *key, const char *sep,
	const char *pre, const char *post, int lower, char **out)
{
	bb_buf b;
	bb_buf_init(&b, 0);
	const cJSON *it;
	int first = 1, rc = BB_OK;
	if (arr && !cJSON_IsArray(arr))
		return fail(p, "field \"%s\" must be an array of strings", key);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !it->valuestring[0]) {
			bb_buf_free(&b);
			return fail(p, "field \"%s\" must hold non-empty strings", key);
		}
		if (!first)
			BB_TRY(bb_buf_puts(&b, sep));
		first = 0;
		BB_TRY(bb_buf_puts(&b, pre));
		size_t at = b.len;
		BB_TRY(bb_buf_puts(&b, it->valuestring));
		if (lower)
			bb_ascii_lower((char *)b.data + at, (char *)b.data + at, b.len - at);
		BB_TRY(bb_buf_puts(&b, post));
	}
	if (!bb_buf_cstr(&b)) {
		rc = BB_ENOMEM;
		goto out;
	}
	*out = (char *)b.data;
	return BB_OK;
out:
	bb_buf_free(&b);
	return rc;
}

static int parse_enum(pctx *p, const cJSON *o, const char *key, int required,
	int (*parse)(const char *), int dflt, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v) {
		if (required)
			return fail(p, "missing required field \"%s\"", key);
		*out = dflt;
		return BB_OK;
	}
	if (!cJSON_IsString(v) || (*out = parse(v->valuestring)) < 0)
		return fail(p, "field \"%s\" has an unknown value", key);
	return BB_OK;
}

static int confidence_parse(const char *s)
{
	return !strcmp(s, "high") ? BB_CONF_HIGH : !strcmp(s, "medium") ? BB_CONF_MEDIUM
		: !strcmp(s, "low") ? BB_CONF_LOW : -1;
}

static int on_invalid_parse(const char *s)
{
	return !strcmp(s, "drop") ? 0 : !strcmp(s, "low") ? 1 : -1;
}

/* Compiles `re` with PCRE2 to validate it; returns its capture count. */
static int check_regex(pctx *p, const char *key, const char *re, uint32_t opts,
	uint32_t *captures)
{
	char err[256];
	pcre2_code *code = bb_rules__compile_re(re, opts, 0, err, sizeof err);
	if (!code) {
		char msg[400];
		snprintf(msg, sizeof msg, "\"%s\" is not a valid regex: %s", key, err);
		bb_diag_set(p->diag, p->src->name, p->id, "%s", msg);
		return BB_EBADRULE;
	}
	if (captures)
		pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, captures);
	pcre2_code_free(code);
	return BB_OK;
}

static int parse_context(pctx *p, const cJSON *o, bb_sigspec *s)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "context");
	s->ctx_keywords = NULL;
	if (!c)
		return (s->ctx_keywords = bb_strdup("")) ? BB_OK : BB_ENOMEM;
	if (!cJSON_IsObject(c))
		return fail(p, "field \"%s\" must be an object", "context");
	const cJSON *it;
	cJSON_ArrayForEach(it, c) {
		if (strcmp(it->string, "keywords") && strcmp(it->string, "before") &&
			strcmp(it->string, "after"))
			return fail(p, "unknown field \"context.%s\"", it->string);
	}
	const cJSON *kw = cJSON_GetObjectItemCaseSensitive(c, "keywords");
	if (!kw || !cJSON_IsArray(kw) || !cJSON_GetArraySize(kw))
		return fail(p, "\"%s\" needs a non-empty \"keywords\" array", "context");
	int rc = join_strings(p, kw, "context.keywords", "\n", "", "", 1, &s->ctx_keywords);
	if (rc < 0)
		return rc;
	if ((rc = get_uint(p, c, "before", 80, 4096, &s->sig.ctx_before)) < 0)
		return rc;
	return get_uint(p, c, "after", 0, 4096, &s->sig.ctx_after);
}

static int parse_regexes(pctx *p, const cJSON *o, bb_sigspec *s)
{
	int rc, n = !!s->pattern[0] + !!s->path[0] + !!s->magic[0];
	if (n != 1)
		return fail(p, "needs exactly one of \"pattern\", \"path\", \"magic\"%s", "");
	const cJSON *fl = cJSON_GetObjectItemCaseSensitive(o, "flags");
	if (fl && (!cJSON_IsString(fl) ||
		bb_rules__parse_flags(fl->valuestring, &s->sig.pcre_opts, &s->sig.hs_flags) < 0))
		return fail(p, "field \"flags\" may only hold the letters i, s, m%s", "");
	const char *re = s->pattern[0] ? s->pattern : s->path[0] ? s->path : s->magic;
	uint32_t captures = 0;
	if ((rc = check_regex(p, s->pattern[0] ? "pattern" : s->path[0] ? "path" : "magic",
		re, s->sig.pcre_opts, &captures)) < 0)
		return rc;
	if ((rc = get_uint(p, o, "secret_group", 0, 99, &s->sig.group)) < 0)
		return rc;
	if (s->anchor[0] && !s->pattern[0] && !s->path[0])
		return fail(p, "\"anchor\" needs a \"pattern\" or \"path\" to confirm%s", "");
	if (!s->anchor[0] && cJSON_GetObjectItemCaseSensitive(o, "window"))
		return fail(p, "\"window\" only applies to signatures with an \"anchor\"%s", "");
	if (s->anchor[0] && (rc = get_uint(p, o, "window", BB_DEFAULT_ANCHOR_WINDOW,
		BB_MAX_ANCHOR_WINDOW, &s->sig.window)) < 0)
		return rc;
	s->sig.ahead = s->anchor[0] && s->pattern[0] ? s->sig.window : 0;
	if ((rc = get_bool(p, o, "single_line", 0, &s->sig.single_line)) < 0)
		return rc;
	if (s->sig.single_line && !s->sig.ahead)
		return fail(p, "\"single_line\" only applies to signatures with an \"anchor\" and a \"pattern\"%s", "");
	if (s->sig.group > captures)
		return fail(p, "\"secret_group\" names a group the pattern does not have%s", "");
	if (s->allow[0] && (rc = check_regex(p, "allow", s->allow, 0, NULL)) < 0)
		return rc;
	if (s->allow_match[0] && (rc = check_regex(p, "allow_match", s->allow_match, 0, NULL)) < 0)
		return rc;
	if (s->path_exclude[0] && (rc = check_regex(p, "path_exclude", s->path_exclude, 0, NULL)) < 0)
		return rc;
	if (s->sig.pub.kind != BB_KIND_SENSITIVE_FILE && !s->pattern[0])
		return fail(p, "\"path\" and \"magic\" signatures must be of kind sensitive-file%s", "");
	return BB_OK;
}

static int parse_validation(pctx *p, const cJSON *o, bb_sigspec *s)
{
	int rc, v = 0, low = 0;
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(o, "validator");
	if (val) {
		if (!cJSON_IsString(val) || (v = bb_verify__lookup(val->valuestring)) < 0)
			return fail(p, "unknown validator \"%s\"",
				cJSON_IsString(val) ? val->valuestring : "?");
	}
	s->sig.validator = (uint8_t)v;
	if ((rc = parse_enum(p, o, "on_invalid", 0, on_invalid_parse, 0, &low)) < 0)
		return rc;
	s->sig.on_invalid_low = (uint8_t)low;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "min_entropy");
	if (e && (!cJSON_IsNumber(e) || e->valuedouble < 0 || e->valuedouble > 8))
		return fail(p, "field \"min_entropy\" must be a number from 0 to 8%s", "");
	s->sig.pub.min_entropy = e ? e->valuedouble : 0;
	if ((rc = get_bool(p, o, "placeholders", 1, &s->sig.placeholders)) < 0)
		return rc;
	if ((rc = get_bool(p, o, "generic", 0, &s->sig.generic)) < 0)
		return rc;
	return get_bool(p, o, "prefilter", 0, &s->sig.prefilter);
}

static int b64_decode(const char *s, bb_buf *out);

static int check_examples(pctx *p, const cJSON *o)
{
	static const char *const keys[] = { "examples", "negative_examples" };
	for (size_t k = 0; k < 2; k++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, keys[k]), *it;
		if (!arr)
			continue;
		if (!cJSON_IsArray(arr))
			return fail(p, "field \"%s\" must be an array", keys[k]);
		cJSON_ArrayForEach(it, arr) {
			int ok = cJSON_IsString(it) || cJSON_IsArray(it) ||
				(cJSON_IsObject(it) && cJSON_IsString(cJSON_GetObjectItem(it, "base64")));
			const cJSON *part;
			if (cJSON_IsArray(it))
				cJSON_ArrayForEach(part, it) ok &= cJSON_IsString(part);
			if (!ok)
				return fail(p, "an entry of \"%s\" is not a string, an array of "
					"strings or {\"base64\": ...}", keys[k]);
			if (cJSON_IsObject(it)) { /* or `signatures check` cannot run it */
				bb_buf b;
				bb_buf_init(&b, 0);
				ok = b64_decode(cJSON_GetObjectItem(it, "base64")->valuestring, &b) == BB_OK;
				bb_buf_free(&b);
				if (!ok)
					return fail(p, "an entry of \"%s\" is not valid base64", keys[k]);
			}
		}
	}
	return BB_OK;
}

static int parse_one(pctx *p, const cJSON *o, bb_sigspec *s)
{
	int rc, v;
	const cJSON *it;
	if (!cJSON_IsObject(o))
		return fail(p, "each entry of \"signatures\" must be an object%s", "");
	if ((rc = get_str(p, o, "id", 1, &s->id)) < 0)
		return rc;
	p->id = s->id;
	if (!id_is_valid(s->id))
		return fail(p, "id \"%s\" is not of the form provider.kind ([a-z0-9.-])", s->id);
	cJSON_ArrayForEach(it, o) {
		size_t k = 0;
		while (k < BB_ARRAY_LEN(known_fields) && strcmp(known_fields[k], it->string))
			k++;
		if (k == BB_ARRAY_LEN(known_fields))
			return fail(p, "unknown field \"%s\"", it->string);
	}
	if ((rc = get_str(p, o, "name", 1, &s->name)) < 0 ||
		(rc = get_str(p, o, "pattern", 0, &s->pattern)) < 0 ||
		(rc = get_str(p, o, "anchor", 0, &s->anchor)) < 0 ||
		(rc = get_str(p, o, "path", 0, &s->path)) < 0 ||
		(rc = get_str(p, o, "magic", 0, &s->magic)) < 0 ||
		(rc = get_str(p, o, "path_exclude", 0, &s->path_exclude)) < 0 ||
		(rc = get_str(p, o, "description", 0, &s->description)) < 0 ||
		(rc = get_str(p, o, "remediation", 0, &s->remediation)) < 0)
		return rc;
	if ((rc = parse_enum(p, o, "kind", 1, bb_kind_parse, 0, &v)) < 0)
		return rc;
	s->sig.pub.kind = (bb_kind)v;
	if ((rc = parse_enum(p, o, "severity", 1, bb_severity_parse, 0, &v)) < 0)
		return rc;
	s->sig.pub.severity = (bb_severity)v;
	if ((rc = parse_enum(p, o, "confidence", 0, confidence_parse, BB_CONF_HIGH, &v)) < 0)
		return rc;
	s->sig.pub.confidence = (bb_confidence)v;
	if ((rc = join_strings(p, cJSON_GetObjectItemCaseSensitive(o, "references"),
		"references", "\n", "", "", 0, &s->references)) < 0 ||
		(rc = join_strings(p, cJSON_GetObjectItemCaseSensitive(o, "allow"), "allow",
		"|", "(?:", ")", 0, &s->allow)) < 0 ||
		(rc = join_strings(p, cJSON_GetObjectItemCaseSensitive(o, "allow_match"),
		"allow_match", "|", "(?:", ")", 0, &s->allow_match)) < 0)
		return rc;
	if ((rc = parse_context(p, o, s)) < 0 || (rc = parse_regexes(p, o, s)) < 0 ||
		(rc = parse_validation(p, o, s)) < 0 || (rc = check_examples(p, o)) < 0)
		return rc;
	return (s->source = bb_strdup(p->src->name)) ? BB_OK : BB_ENOMEM;
}

void bb_rules__spec_free(bb_sigspec *s)
{
	free(s->id); free(s->name); free(s->description); free(s->remediation);
	free(s->references); free(s->pattern); free(s->anchor); free(s->path); free(s->magic);
	free(s->ctx_keywords); free(s->allow); free(s->allow_match); free(s->path_exclude);
	free(s->source);
}

void bb_rules__specset_free(bb_specset *set)
{
	for (size_t i = 0; i < set->n; i++)
		bb_rules__spec_free(&set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

static int set_push(bb_specset *set, bb_sigspec **out)
{
	bb_sigspec *v = bb_grow(set->v, &set->cap, set->n, sizeof *v, 256);
	if (!v)
		return BB_ENOMEM;
	set->v = v;
	*out = &set->v[set->n];
	memset(*out, 0, sizeof **out);
	return BB_OK;
}

/* Parses the document root; on success *sigs is the "signatures" array. */
static int parse_root(const bb_source *src, cJSON **root, const cJSON **sigs, bb_diag *diag)
{
	const char *end = NULL;
	*root = cJSON_ParseWithLengthOpts(src->data, src->len, &end, 0);
	if (!*root) {
		size_t off = end ? (size_t)(end - src->data) : 0;
		bb_diag_set(diag, src->name, NULL, "invalid JSON near line %d",
			line_of(src->data, src->len, off));
		return BB_EBADRULE;
	}
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(*root, "format");
	*sigs = cJSON_GetObjectItemCaseSensitive(*root, "signatures");
	if (!cJSON_IsObject(*root) || !cJSON_IsArray(*sigs)) {
		bb_diag_set(diag, src->name, NULL, "expected an object with a \"signatures\" array");
		goto bad;
	}
	if (fmt && (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1)) {
		bb_diag_set(diag, src->name, NULL, "unsupported \"format\" (this blackbar reads 1)");
		goto bad;
	}
	return BB_OK;
bad:
	cJSON_Delete(*root);
	*root = NULL;
	return BB_EBADRULE;
}

int bb_rules__parse(bb_specset *set, const bb_source *src, bb_diag *diag)
{
	cJSON *root;
	const cJSON *sigs, *o;
	int rc = parse_root(src, &root, &sigs, diag);
	if (rc < 0)
		return rc;
	cJSON_ArrayForEach(o, sigs) {
		bb_sigspec *s;
		pctx p = { src, NULL, diag };
		BB_TRY(set_push(set, &s));
		rc = parse_one(&p, o, s);
		if (rc < 0) {
			bb_rules__spec_free(s);
			goto out;
		}
		for (size_t i = 0; i < set->n; i++) {
			if (!strcmp(set->v[i].id, s->id)) {
				bb_diag_set(diag, src->name, s->id, "duplicate signature id (also in %s)",
					set->v[i].source);
				bb_rules__spec_free(s);
				rc = BB_EBADRULE;
				goto out;
			}
		}
		set->n++;
	}
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- examples ----------------------------------------------------------------- */

/* {"base64": "..."} examples: decoded with the engine's one base64 decoder. */
static int b64_decode(const char *s, bb_buf *out)
{
	size_t n = strlen(s);
	int rc = bb_buf_reserve(out, n / 4 * 3 + 4);
	if (rc < 0)
		return rc;
	size_t k = bb_verify__base64((const unsigned char *)s, n, 0, out->data + out->len);
	if (k == (size_t)-1)
		k = bb_verify__base64((const unsigned char *)s, n, 1, out->data + out->len);
	if (k == (size_t)-1)
		return BB_EINVAL;
	out->len += k;
	return BB_OK;
}

static int example_bytes(const cJSON *e, bb_buf *b)
{
	const cJSON *part;
	b->len = 0;
	if (cJSON_IsString(e))
		return bb_buf_puts(b, e->valuestring);
	if (cJSON_IsArray(e)) {
		cJSON_ArrayForEach(part, e) {
			int rc = bb_buf_puts(b, cJSON_IsString(part) ? part->valuestring : "");
			if (rc < 0)
				return rc;
		}
		return BB_OK;
	}
	const cJSON *b64 = cJSON_GetObjectItem(e, "base64");
	return cJSON_IsString(b64) ? b64_decode(b64->valuestring, b) : BB_EINVAL;
}

int bb_rules__each_example(const bb_source *src, bb_example_fn fn, void *payload,
	bb_diag *diag)
{
	cJSON *root;
	const cJSON *sigs, *o;
	int rc = parse_root(src, &root, &sigs, diag);
	if (rc < 0)
		return rc;
	bb_buf b;
	bb_buf_init(&b, 0);
	cJSON_ArrayForEach(o, sigs) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "id"));
		int is_path = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "path"));
		for (int pos = 1; pos >= 0 && id; pos--) {
			const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o,
				pos ? "examples" : "negative_examples"), *e;
			int count = 0;
			cJSON_ArrayForEach(e, arr) {
				BB_TRY(example_bytes(e, &b));
				BB_TRY(fn(id, pos, b.data ? b.data : (const unsigned char *)"", b.len,
					is_path, payload));
				count++;
			}
			/* A signature without examples still gets one call so the checker can
			 * report the missing examples. */
			if (!count)
				BB_TRY(fn(id, pos, NULL, 0, is_path, payload));
		}
	}
out:
	bb_buf_free(&b);
	cJSON_Delete(root);
	return rc;
}
