/*
 * filter.c: what is not scanned and what is not reported: excluded paths, path
 * and signature allowlists, allowed fingerprints (reviewed findings, baselines)
 * and allowed secret regexes; and the project config file that sets them.
 *
 * A filter is built single-threaded, then only read (by every scanning thread),
 * so nothing here locks. The filter owns its compiled regexes and strings.
 */
#include "../match/scanner.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../util/glob.h"

typedef struct allow_path {
	pcre2_code *re;
	char **ids;   /* signature ids allowed there; none: all */
	size_t n_ids;
} allow_path;

struct bb_filter {
	bb_buf exclude_src;     /* "(?:re1)|(?:re2)..." of every exclude glob */
	pcre2_code *exclude;
	allow_path *paths;
	size_t n_paths;
	char **sigs;
	size_t n_sigs;
	char (*fps)[33];        /* open-addressing set of fingerprints */
	size_t n_fps, cap_fps;
	pcre2_code **secrets;
	size_t n_secrets;
	pcre2_match_data *md;   /* for the single-threaded path matches in the walker */
};

int bb_id_matches(const char *id, const char *entry)
{
	size_t n = strlen(entry);
	if (n && entry[n - 1] == '.')
		return !strncmp(id, entry, n);
	return !strcmp(id, entry);
}

int bb_filter_new(bb_filter **out)
{
	bb_filter *f = calloc(1, sizeof *f);
	*out = f;
	if (!f)
		return BB_ENOMEM;
	bb_buf_init(&f->exclude_src, 0);
	return BB_OK;
}

void bb_filter_free(bb_filter *f)
{
	if (!f)
		return;
	bb_buf_free(&f->exclude_src);
	pcre2_code_free(f->exclude);
	for (size_t i = 0; i < f->n_paths; i++) {
		pcre2_code_free(f->paths[i].re);
		for (size_t k = 0; k < f->paths[i].n_ids; k++)
			free(f->paths[i].ids[k]);
		free(f->paths[i].ids);
	}
	free(f->paths);
	for (size_t i = 0; i < f->n_sigs; i++)
		free(f->sigs[i]);
	free(f->sigs);
	free(f->fps);
	for (size_t i = 0; i < f->n_secrets; i++)
		pcre2_code_free(f->secrets[i]);
	free(f->secrets);
	free(f);
}

static int grow(void **v, size_t n, size_t size)
{
	if (n & (n - 1) && n) /* capacity is the next power of two */
		return BB_OK;
	void *p = realloc(*v, (n ? n * 2 : 4) * size);
	if (!p)
		return BB_ENOMEM;
	*v = p;
	return BB_OK;
}

static pcre2_code *compile_glob(const char *glob, int *rc)
{
	bb_buf b;
	bb_buf_init(&b, 0);
	pcre2_code *re = NULL;
	*rc = bb_glob_to_regex(glob, &b);
	if (*rc == BB_OK && bb_buf_cstr(&b)) {
		re = bb_rules__compile_re((const char *)b.data, 0, 1, NULL, 0);
		*rc = re ? BB_OK : BB_EINVAL;
	}
	bb_buf_free(&b);
	return re;
}

int bb_filter_exclude_path(bb_filter *f, const char *glob)
{
	bb_buf re;
	bb_buf_init(&re, 0);
	int rc = bb_glob_to_regex(glob, &re);
	if (rc == BB_OK && f->exclude_src.len)
		rc = bb_buf_puts(&f->exclude_src, "|");
	if (rc == BB_OK && !(rc = bb_buf_puts(&f->exclude_src, "(?:")) &&
		!(rc = bb_buf_append(&f->exclude_src, re.data, re.len)))
		rc = bb_buf_puts(&f->exclude_src, ")");
	bb_buf_free(&re);
	if (rc < 0 || !bb_buf_cstr(&f->exclude_src))
		return rc < 0 ? rc : BB_ENOMEM;
	pcre2_code *c = bb_rules__compile_re((const char *)f->exclude_src.data, 0, 1, NULL, 0);
	if (!c)
		return BB_EINVAL;
	pcre2_code_free(f->exclude);
	f->exclude = c;
	return BB_OK;
}

int bb_filter_allow_path(bb_filter *f, const char *glob, const char *sig_id)
{
	int rc;
	for (size_t i = 0; sig_id && i < f->n_paths; i++) {
		/* same glob again with another id: add the id to it (config lists) */
		(void)i;
	}
	if ((rc = grow((void **)&f->paths, f->n_paths, sizeof *f->paths)) < 0)
		return rc;
	allow_path *p = &f->paths[f->n_paths];
	memset(p, 0, sizeof *p);
	if (!(p->re = compile_glob(glob, &rc)))
		return rc;
	if (sig_id) {
		p->ids = malloc(sizeof *p->ids);
		if (!p->ids || !(p->ids[0] = bb_strdup(sig_id))) {
			free(p->ids);
			pcre2_code_free(p->re);
			return BB_ENOMEM;
		}
		p->n_ids = 1;
	}
	f->n_paths++;
	return BB_OK;
}

int bb_filter_allow_signature(bb_filter *f, const char *sig_id)
{
	int rc = grow((void **)&f->sigs, f->n_sigs, sizeof *f->sigs);
	if (rc < 0)
		return rc;
	if (!(f->sigs[f->n_sigs] = bb_strdup(sig_id)))
		return BB_ENOMEM;
	f->n_sigs++;
	return BB_OK;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Fingerprints are hex of a cryptographic hash: their first 16 hex digits are a
 * good hash of their own. */
static size_t fp_slot(const char *fp, size_t cap)
{
	uint64_t h = 0;
	for (int i = 0; i < 16; i++)
		h = h << 4 | (uint64_t)hexval(fp[i]);
	return (size_t)(h & (cap - 1));
}

static int fp_insert(bb_filter *f, const char *fp)
{
	if ((f->n_fps + 1) * 2 > f->cap_fps) {
		size_t cap = f->cap_fps ? f->cap_fps * 2 : 64;
		char (*v)[33] = calloc(cap, sizeof *v);
		if (!v)
			return BB_ENOMEM;
		for (size_t i = 0; i < f->cap_fps; i++) {
			if (!f->fps[i][0])
				continue;
			size_t k = fp_slot(f->fps[i], cap);
			while (v[k][0])
				k = (k + 1) & (cap - 1);
			memcpy(v[k], f->fps[i], 33);
		}
		free(f->fps);
		f->fps = v;
		f->cap_fps = cap;
	}
	size_t k = fp_slot(fp, f->cap_fps);
	while (f->fps[k][0]) {
		if (!memcmp(f->fps[k], fp, 32))
			return BB_OK;
		k = (k + 1) & (f->cap_fps - 1);
	}
	memcpy(f->fps[k], fp, 32);
	f->fps[k][32] = '\0';
	f->n_fps++;
	return BB_OK;
}

int bb_filter_allow_fingerprint(bb_filter *f, const char *fp)
{
	if (strlen(fp) != 32)
		return BB_EINVAL;
	for (int i = 0; i < 32; i++)
		if (hexval(fp[i]) < 0)
			return BB_EINVAL;
	return fp_insert(f, fp);
}

int bb_filter_allow_secret_regex(bb_filter *f, const char *regex, bb_diag *diag)
{
	char err[256];
	int rc = grow((void **)&f->secrets, f->n_secrets, sizeof *f->secrets);
	if (rc < 0)
		return rc;
	pcre2_code *re = bb_rules__compile_re(regex, 0, 1, err, sizeof err);
	if (!re) {
		bb_diag_set(diag, NULL, NULL, "invalid secret regex \"%s\": %s", regex, err);
		return BB_EINVAL;
	}
	f->secrets[f->n_secrets++] = re;
	return BB_OK;
}

/* ---- queries (any thread) ----------------------------------------------------- */

static int re_match(const pcre2_code *re, const char *s, pcre2_match_data *md)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
}

int bb_filter__excluded(const bb_filter *f, const char *relpath)
{
	if (!f || !f->exclude)
		return 0;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int hit = md && re_match(f->exclude, relpath, md);
	pcre2_match_data_free(md);
	return hit;
}

void bb_filter__path_allows(const bb_filter *f, const char *label, int *all,
	const char *const **ids, size_t *n_ids)
{
	*all = 0;
	*ids = NULL;
	*n_ids = 0;
	if (!f->n_paths)
		return;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	for (size_t i = 0; md && i < f->n_paths; i++) {
		if (!re_match(f->paths[i].re, label, md))
			continue;
		if (!f->paths[i].n_ids) {
			*all = 1;
			break;
		}
		/* One id list per path entry; the last matching entry with ids wins
		 * (config files give one entry per glob). */
		*ids = (const char *const *)f->paths[i].ids;
		*n_ids = f->paths[i].n_ids;
	}
	pcre2_match_data_free(md);
}

int bb_filter__signature_allowed(const bb_filter *f, const char *id)
{
	for (size_t i = 0; i < f->n_sigs; i++)
		if (bb_id_matches(id, f->sigs[i]))
			return 1;
	return 0;
}

int bb_filter__fingerprint_allowed(const bb_filter *f, const char *fp)
{
	if (!f->n_fps)
		return 0;
	size_t k = fp_slot(fp, f->cap_fps);
	while (f->fps[k][0]) {
		if (!memcmp(f->fps[k], fp, 32))
			return 1;
		k = (k + 1) & (f->cap_fps - 1);
	}
	return 0;
}

int bb_filter__secret_allowed(const bb_filter *f, const unsigned char *s, size_t n,
	pcre2_match_data *md)
{
	for (size_t i = 0; i < f->n_secrets; i++)
		if (pcre2_match(f->secrets[i], s, n, 0, 0, md, NULL) >= 0)
			return 1;
	return 0;
}

/* ---- config file -------------------------------------------------------------- */

static int cfg_fail(bb_diag *diag, const char *path, const char *what)
{
	bb_diag_set(diag, path, NULL, "%s", what);
	return BB_EINVAL;
}

/* Calls add(f, string) for each string of an optional array field. */
static int each_string(bb_filter *f, const cJSON *o, const char *key, const char *path,
	int (*add)(bb_filter *, const char *), bb_diag *diag)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	char msg[160];
	if (!arr)
		return BB_OK;
	snprintf(msg, sizeof msg, "\"%s\" must be an array of strings", key);
	if (!cJSON_IsArray(arr))
		return cfg_fail(diag, path, msg);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return cfg_fail(diag, path, msg);
		int rc = add(f, it->valuestring);
		if (rc < 0) {
			snprintf(msg, sizeof msg, "invalid entry in \"%s\": \"%.80s\"", key, it->valuestring);
			return cfg_fail(diag, path, msg);
		}
	}
	return BB_OK;
}

static int add_allow_path_all(bb_filter *f, const char *glob)
{
	return bb_filter_allow_path(f, glob, NULL);
}

static int add_allow_path_obj(bb_filter *f, const cJSON *it, const char *path, bb_diag *diag)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(it, "path");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(it, "signatures"), *id;
	if (!cJSON_IsString(g) || (ids && !cJSON_IsArray(ids)))
		return cfg_fail(diag, path, "an \"allow.paths\" object needs \"path\" and may "
			"have a \"signatures\" array");
	if (!ids || !cJSON_GetArraySize(ids))
		return add_allow_path_all(f, g->valuestring) < 0
			? cfg_fail(diag, path, "invalid glob in \"allow.paths\"") : BB_OK;
	cJSON_ArrayForEach(id, ids) {
		if (!cJSON_IsString(id) || bb_filter_allow_path(f, g->valuestring, id->valuestring) < 0)
			return cfg_fail(diag, path, "invalid entry in \"allow.paths\"");
	}
	return BB_OK;
}

static int load_allow(bb_filter *f, const cJSON *allow, const char *path, bb_diag *diag)
{
	static const char *const keys[] = { "paths", "signatures", "fingerprints", "secrets" };
	const cJSON *it;
	if (!cJSON_IsObject(allow))
		return cfg_fail(diag, path, "\"allow\" must be an object");
	cJSON_ArrayForEach(it, allow) {
		size_t k = 0;
		while (k < BB_ARRAY_LEN(keys) && strcmp(keys[k], it->string))
			k++;
		if (k == BB_ARRAY_LEN(keys)) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown field \"allow.%.60s\"", it->string);
			return cfg_fail(diag, path, msg);
		}
	}
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(allow, "paths");
	if (paths && !cJSON_IsArray(paths))
		return cfg_fail(diag, path, "\"allow.paths\" must be an array");
	cJSON_ArrayForEach(it, paths) {
		int rc = cJSON_IsString(it)
			? (add_allow_path_all(f, it->valuestring) < 0
				? cfg_fail(diag, path, "invalid glob in \"allow.paths\"") : BB_OK)
			: add_allow_path_obj(f, it, path, diag);
		if (rc < 0)
			return rc;
	}
	int rc = each_string(f, allow, "signatures", path, bb_filter_allow_signature, diag);
	if (rc == BB_OK)
		rc = each_string(f, allow, "fingerprints", path, bb_filter_allow_fingerprint, diag);
	const cJSON *sec = cJSON_GetObjectItemCaseSensitive(allow, "secrets");
	if (rc == BB_OK && sec && !cJSON_IsArray(sec))
		return cfg_fail(diag, path, "\"allow.secrets\" must be an array of regexes");
	cJSON_ArrayForEach(it, sec) {
		if (rc == BB_OK && (!cJSON_IsString(it) ||
			(rc = bb_filter_allow_secret_regex(f, it->valuestring, diag)) < 0)) {
			if (diag)
				snprintf(diag->file, sizeof diag->file, "%s", path);
			return BB_EINVAL;
		}
	}
	return rc;
}

int bb_filter_load_config(bb_filter *f, const char *path, bb_diag *diag)
{
	/* Fields that belong to other parts of blackbar (hooks, signatures) are
	 * accepted here and read there; anything else is a typo worth reporting. */
	static const char *const known[] = { "exclude", "allow", "signatures", "policy",
		"audit", "baseline", "version", "$schema" };
	cJSON *root, *it;
	int rc = bb_json_read_object(path, &root, diag);
	if (rc < 0)
		return rc;
	cJSON_ArrayForEach(it, root) {
		size_t k = 0;
		while (k < BB_ARRAY_LEN(known) && strcmp(known[k], it->string))
			k++;
		if (k == BB_ARRAY_LEN(known)) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown field \"%.60s\"", it->string);
			rc = cfg_fail(diag, path, msg);
			goto out;
		}
	}
	rc = each_string(f, root, "exclude", path, bb_filter_exclude_path, diag);
	const cJSON *allow = cJSON_GetObjectItemCaseSensitive(root, "allow");
	if (rc == BB_OK && allow)
		rc = load_allow(f, allow, path, diag);
out:
	cJSON_Delete(root);
	return rc;
}
