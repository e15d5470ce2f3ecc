/*
 * bench_corpus.c: labelled corpora (JSON Lines, optionally gzipped) scored per
 * signature and per category.
 *
 * What counts follows the corpus README: a positive is found when a finding lies
 * in its text (or, for an empty text, any finding: the file name is the signal);
 * a negative is a false positive when anything is found in it. Left out: secret
 * positives of rules tagged `identifier` without `secret`, or `hidden` (they match
 * ids, not secrets); negatives marked `conflict` or `upstream_note`; PII records
 * marked `conflict`. PII positives whose upstream scores are all at most 0.4 (a
 * bare number, no context) are counted apart as weak. A record is PII when its
 * source is presidio or, without a source, when its category is an UPPER_CASE
 * entity name.
 */
#include "bench.h"
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <zlib.h>

struct bench_catmap {
	cJSON *root;
	const cJSON *map;
};

int bench_catmap_load(bench_catmap **out, const char *json, char *err, size_t errlen)
{
	*out = NULL;
	bench_catmap *m = calloc(1, sizeof *m);
	if (!m)
		return BB_ENOMEM;
	m->root = cJSON_Parse(json);
	m->map = cJSON_GetObjectItemCaseSensitive(m->root, "map");
	if (!cJSON_IsObject(m->map)) {
		snprintf(err, errlen, "a category map is a JSON object with a \"map\" object");
		bench_catmap_free(m);
		return BB_EINVAL;
	}
	for (const cJSON *e = m->map->child; e; e = e->next) {
		int ok = cJSON_IsArray(e);
		for (const cJSON *c = ok ? e->child : NULL; c; c = c->next)
			ok &= cJSON_IsString(c) && !strchr(c->valuestring, ';');
		if (!ok) {
			snprintf(err, errlen, "category map: \"%s\" is not an array of category names",
				e->string);
			bench_catmap_free(m);
			return BB_EINVAL;
		}
	}
	*out = m;
	return BB_OK;
}

void bench_catmap_free(bench_catmap *m)
{
	if (!m)
		return;
	cJSON_Delete(m->root);
	free(m);
}

void bench_catmap_cats(const bench_catmap *m, const char *id, char *out, size_t n)
{
	const cJSON *e = m ? cJSON_GetObjectItemCaseSensitive(m->map, id) : NULL;
	char prefix[128];
	snprintf(prefix, sizeof prefix, "%.*s", (int)strcspn(id, "."), id);
	if (!e && m)
		e = cJSON_GetObjectItemCaseSensitive(m->map, prefix);
	if (!e) {
		snprintf(out, n, "%s", prefix);
		return;
	}
	size_t len = 0;
	out[0] = '\0';
	for (const cJSON *c = e->child; c; c = c->next) {
		int w = snprintf(out + len, n - len, "%s%s", len ? ";" : "", c->valuestring);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

int bench_cat_in(const char *list, const char *cat)
{
	size_t cl = strlen(cat);
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ";");
		if (l == cl && !memcmp(p, cat, l))
			return 1;
		p += l + (p[l] == ';');
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------------- */

static char *dup_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsString(v))
		return NULL;
	size_t n = strlen(v->valuestring);
	char *s = malloc(n + 1);
	if (s)
		memcpy(s, v->valuestring, n + 1);
	return s;
}

static int has_tag(const cJSON *o, const char *tag)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "tags");
	for (const cJSON *c = cJSON_IsArray(t) ? t->child : NULL; c; c = c->next)
		if (cJSON_IsString(c) && !strcmp(c->valuestring, tag))
			return 1;
	return 0;
}

static int is_true(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return v && !cJSON_IsFalse(v) && !cJSON_IsNull(v);
}

static int upper_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* Upstream scores are [low, high] pairs: weak when every high is at most 0.4. */
static int weak_scores(const cJSON *o)
{
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "scores");
	if (!cJSON_IsArray(sc) || !sc->child)
		return 0;
	for (const cJSON *p = sc->child; p; p = p->next) {
		const cJSON *hi = cJSON_GetArrayItem(p, 1);
		if (!cJSON_IsNumber(hi) || hi->valuedouble > 0.4)
			return 0;
	}
	return 1;
}

static int record(bench_corpus *c, const char *line, size_t lineno, const char *path,
	char *err, size_t errlen)
{
	cJSON *o = cJSON_Parse(line);
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(o, "label");
	const cJSON *cat = cJSON_GetObjectItemCaseSensitive(o, "category");
	if (!cJSON_IsObject(o) || !cJSON_IsString(text) || !cJSON_IsString(label) ||
		!cJSON_IsString(cat) || (strcmp(label->valuestring, "positive") &&
		strcmp(label->valuestring, "negative"))) {
		snprintf(err, errlen, "%s:%zu: not a corpus record (a JSON object with a string "
			"\"text\", \"label\" positive or negative, and \"category\")", path, lineno);
		cJSON_Delete(o);
		return BB_EINVAL;
	}
	bench_record *v = cli_grow(c->v, &c->cap, c->n, sizeof *v, 1024);
	if (!v) {
		cJSON_Delete(o);
		return BB_ENOMEM;
	}
	c->v = v;
	bench_record *r = &c->v[c->n];
	memset(r, 0, sizeof *r);
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
	r->text = dup_str(o, "text");
	r->len = r->text ? strlen(r->text) : 0; /* cJSON strings end at a NUL */
	r->category = dup_str(o, "category");
	r->path = dup_str(o, "path");
	r->positive = !strcmp(label->valuestring, "positive");
	r->pii = cJSON_IsString(src) ? !strcmp(src->valuestring, "presidio")
				     : upper_name(cat->valuestring);
	if (r->pii) {
		r->eligible = !is_true(o, "conflict");
		r->weak = r->positive && weak_scores(o);
	} else if (r->positive) {
		r->eligible = !(has_tag(o, "identifier") && !has_tag(o, "secret")) &&
			!has_tag(o, "hidden");
	} else {
		r->eligible = !is_true(o, "conflict") && !is_true(o, "upstream_note");
	}
	cJSON_Delete(o);
	if (!r->text || !r->category)
		return BB_ENOMEM;
	c->n++;
	return BB_OK;
}

int bench_corpus_read(bench_corpus *c, const char *path, char *err, size_t errlen)
{
	gzFile f = gzopen(path, "rb"); /* reads plain files as they are */
	if (!f) {
		snprintf(err, errlen, "%s: cannot open the corpus", path);
		return BB_EIO;
	}
	char **files = realloc(c->files, (c->n_files + 1) * sizeof *files);
	if (!files) {
		gzclose(f);
		return BB_ENOMEM;
	}
	c->files = files;
	c->files[c->n_files++] = strdup(path);
	size_t cap = 1 << 16, len = 0, lineno = 0;
	char *line = malloc(cap);
	int rc = line ? BB_OK : BB_ENOMEM;
	while (rc == BB_OK) {
		if (!gzgets(f, line + len, (int)(cap - len))) {
			if (len) /* a last line without its newline */
				rc = record(c, line, ++lineno, path, err, errlen);
			break;
		}
		len += strlen(line + len);
		if (len + 1 == cap && line[len - 1] != '\n') { /* longer than the buffer */
			char *t = cap < (64u << 20) ? realloc(line, cap * 2) : NULL;
			if (!t) {
				snprintf(err, errlen, "%s:%zu: line too long", path, lineno + 1);
				rc = BB_ETOOBIG;
				break;
			}
			line = t;
			cap *= 2;
			continue;
		}
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len)
			rc = record(c, line, lineno, path, err, errlen);
		len = 0;
	}
	int zerr = 0;
	const char *zmsg = gzerror(f, &zerr);
	if (rc == BB_OK && zerr != Z_OK && zerr != Z_STREAM_END) {
		snprintf(err, errlen, "%s: %s", path, zmsg);
		rc = BB_EIO;
	}
	free(line);
	gzclose(f);
	return rc;
}

void bench_corpus_free(bench_corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].text);
		free(c->v[i].category);
		free(c->v[i].path);
	}
	free(c->v);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof *c);
}

/* ---- scoring ------------------------------------------------------------------- */

typedef struct hits {
	uint32_t *sig;          /* signatures that fired in the record, once each */
	size_t n;
	uint8_t *seen;          /* per signature */
	size_t text_len;
} hits;

static int on_finding(const bb_finding *f, void *payload)
{
	hits *h = payload;
	/* a file-name finding counts only when the text is empty (the name is the signal) */
	if (f->secret_end <= f->secret_start && h->text_len)
		return 0;
	if (!h->seen[f->sig_index]) {
		h->seen[f->sig_index] = 1;
		h->sig[h->n++] = (uint32_t)f->sig_index;
	}
	return 0;
}

static bench_cat *cat_get(bench_set *set, const char *name, int pii)
{
	for (size_t i = 0; i < set->n_cats; i++) /* a name can be both (IP_ADDRESS) */
		if (set->cats[i].pii == pii && !strcmp(set->cats[i].name, name))
			return &set->cats[i];
	bench_cat *v = cli_grow(set->cats, &set->cap_cats, set->n_cats, sizeof *v, 64);
	if (!v)
		return NULL;
	set->cats = v;
	bench_cat *c = &set->cats[set->n_cats];
	memset(c, 0, sizeof *c);
	if (!(c->name = strdup(name)))
		return NULL;
	c->pii = pii;
	set->n_cats++;
	return c;
}

int bench_corpus_score(bench_set *set, const bench_corpus *c, const bench_catmap *m)
{
	bb_scanner *sc = NULL;
	hits h = { calloc(set->n + 1, sizeof *h.sig), 0, calloc(set->n + 1, 1), 0 };
	int rc = h.sig && h.seen ? bb_scanner_new(&sc, set->rs, NULL, NULL) : BB_ENOMEM;
	for (size_t i = 0; i < set->n; i++)
		bench_catmap_cats(m, set->sigs[i].sig->id, set->sigs[i].cats, sizeof set->sigs[i].cats);
	double t0 = cli_now();
	for (size_t i = 0; rc == BB_OK && i < c->n; i++) {
		const bench_record *r = &c->v[i];
		if (!r->eligible)
			continue;
		h.n = 0;
		h.text_len = r->len;
		rc = bb_scanner_scan_buffer(sc, r->text, r->len, r->path ? r->path : "sample.txt",
			on_finding, &h);
		if (rc == BB_ESKIPPED)
			rc = BB_OK;
		if (rc < 0)
			break;
		bench_cat *cat = cat_get(set, r->category, r->pii);
		if (!cat) {
			rc = BB_ENOMEM;
			break;
		}
		int any = h.n > 0, matched = 0;
		for (size_t k = 0; k < h.n; k++) {
			bench_sig *g = &set->sigs[h.sig[k]];
			int in = bench_cat_in(g->cats, r->category);
			matched |= in;
			if (r->weak)
				continue;
			if (r->positive) {
				g->tp++;
				g->tp_cat += (unsigned)in;
			} else {
				g->fp++;
				g->fp_scoped += (unsigned)in;
			}
		}
		for (size_t k = 0; k < h.n; k++)
			h.seen[h.sig[k]] = 0;
		if (r->weak) {
			cat->weak++;
			cat->weak_found += (unsigned)any;
		} else if (r->positive) {
			cat->pos++;
			cat->found_any += (unsigned)any;
			cat->found_cat += (unsigned)matched;
		} else {
			cat->neg++;
			cat->fp_strict += (unsigned)any;
			cat->fp_scoped += (unsigned)matched;
		}
	}
	set->corpus_s = cli_now() - t0;
	bench_totals *t = &set->t;
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < set->n_cats; i++) {
		const bench_cat *k = &set->cats[i];
		if (k->pii) {
			t->pii_pos += k->pos;
			t->pii_found += k->found_any;
			t->pii_weak += k->weak;
			t->pii_weak_found += k->weak_found;
			t->pii_neg += k->neg;
			t->pii_fp += k->fp_strict;
		} else {
			t->pos += k->pos;
			t->found_any += k->found_any;
			t->found_cat += k->found_cat;
			t->neg += k->neg;
			t->fp_strict += k->fp_strict;
			t->fp_scoped += k->fp_scoped;
		}
	}
	/* positives of each signature's categories */
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->n_cats; j++)
			if (bench_cat_in(set->sigs[i].cats, set->cats[j].name))
				set->sigs[i].cat_pos += set->cats[j].pos;
	bb_scanner_free(sc);
	free(h.sig);
	free(h.seen);
	return rc;
}
