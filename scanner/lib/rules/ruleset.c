/*
 * ruleset.c: gathers signature sources, then loads the compiled set from the cache
 * or compiles it (and refreshes the cache). See rules.h for the pipeline and the
 * ownership of everything in a bb_ruleset.
 */
#include "rules.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>

#include "../verify/verify.h"

/* ---- sources -------------------------------------------------------------- */

static void sources_free(bb_source *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].owned);
	}
	free(v);
}

typedef struct srcvec {
	bb_source *v;
	size_t n, cap;
} srcvec;

static int src_push(srcvec *s, const char *name, const char *data, size_t len, char *owned)
{
	bb_source *v = bb_grow(s->v, &s->cap, s->n, sizeof *v, 32);
	if (!v)
		return BB_ENOMEM;
	s->v = v;
	char *nm = bb_strdup(name);
	if (!nm)
		return BB_ENOMEM;
	s->v[s->n++] = (bb_source){ nm, data, len, owned, NULL };
	return BB_OK;
}

static int add_file(srcvec *s, const char *path, bb_diag *diag)
{
	char *data;
	size_t len;
	int rc = bb_read_file(path, 64u << 20, &data, &len);
	if (rc < 0) {
		bb_diag_set(diag, path, NULL, "cannot read signature file: %s", bb_strerror(rc));
		return BB_EBADRULE;
	}
	if ((rc = src_push(s, path, data, len, data)) < 0)
		free(data);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory contributes its *.json files in name order. */
static int add_dir(srcvec *s, const char *dir, bb_diag *diag)
{
	DIR *d = opendir(dir);
	if (!d) {
		bb_diag_set(diag, dir, NULL, "cannot open signature directory");
		return BB_EBADRULE;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = BB_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.')
			continue;
		char **v = bb_grow(names, &cap, n, sizeof *v, 32);
		if (!v) { rc = BB_ENOMEM; goto out; }
		names = v;
		if (!(names[n] = malloc(strlen(dir) + l + 2))) { rc = BB_ENOMEM; goto out; }
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	if (n > 1) /* names is NULL for a directory without signature files */
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == BB_OK; i++)
		rc = add_file(s, names[i], diag);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int gather(srcvec *s, const bb_ruleset_options *o, bb_diag *diag)
{
	int rc = BB_OK;
	if (!o || !o->no_builtin) {
		for (size_t i = 0; i < bb_builtin_n_files && rc == BB_OK; i++) {
			char name[300];
			snprintf(name, sizeof name, "builtin:%s", bb_builtin_files[i].name);
			rc = src_push(s, name, (const char *)bb_builtin_files[i].data,
				bb_builtin_files[i].len, NULL);
			if (rc == BB_OK)
				s->v[s->n - 1].digest = bb_builtin_files[i].sha256;
		}
	}
	for (size_t i = 0; o && i < o->n_paths && rc == BB_OK; i++) {
		struct stat st;
		if (stat(o->paths[i], &st) < 0) {
			bb_diag_set(diag, o->paths[i], NULL, "no such signature file or directory");
			return BB_EBADRULE;
		}
		rc = S_ISDIR(st.st_mode) ? add_dir(s, o->paths[i], diag) : add_file(s, o->paths[i], diag);
	}
	return rc;
}

/* ---- compiling ------------------------------------------------------------ */

static int hs_fail(bb_diag *diag, const bb_sigspec *s, const char *what, hs_compile_error_t *err)
{
	bb_diag_set(diag, s->source, s->id, "Hyperscan rejects the %s: %s", what,
		err ? err->message : "unknown error");
	hs_free_compile_error(err);
	return BB_EBADRULE;
}

/* Checks each Hyperscan expression alone (so a bad one is named precisely) and
 * records the confirmation window of unanchored patterns: the longest match
 * Hyperscan says the pattern can make. */
static int measure(bb_specset *set, bb_diag *diag)
{
	for (size_t i = 0; i < set->n; i++) {
		bb_sigspec *s = &set->v[i];
		const char *re = s->anchor[0] ? s->anchor : s->pattern[0] ? s->pattern : s->path;
		if (!re[0])
			continue;
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *err = NULL;
		unsigned flags = s->sig.hs_flags | (s->sig.prefilter ? HS_FLAG_PREFILTER : 0);
		if (hs_expression_info(re, flags, &info, &err) != HS_SUCCESS)
			return hs_fail(diag, s, s->anchor[0] ? "anchor" : s->pattern[0] ? "pattern"
				: "path", err);
		if (!s->anchor[0]) /* anchored: the window was given (sigfile.c) */
			s->sig.window = info->max_width == UINT_MAX || info->max_width > BB_MAX_WINDOW
				? BB_MAX_WINDOW : info->max_width;
		free(info);
	}
	return BB_OK;
}

/* Compiles the content (want = BB_SIG_CONTENT) or path database of the set. */
static int compile_db(const bb_specset *set, int want, hs_database_t **out, bb_diag *diag)
{
	const char **exprs = calloc(set->n + 1, sizeof *exprs);
	unsigned *flags = calloc(set->n + 1, sizeof *flags), *ids = calloc(set->n + 1, sizeof *ids);
	unsigned n = 0;
	int rc = BB_OK;
	*out = NULL;
	if (!exprs || !flags || !ids) {
		rc = BB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < set->n; i++) {
		const bb_sigspec *s = &set->v[i];
		const char *re = want == BB_SIG_CONTENT ? (s->pattern[0] && s->anchor[0] ? s->anchor
			: s->pattern) : (s->path[0] && s->anchor[0] ? s->anchor : s->path);
		if (!re[0])
			continue;
		exprs[n] = re;
		flags[n] = s->sig.hs_flags | (s->sig.prefilter ? HS_FLAG_PREFILTER : 0);
		ids[n++] = (unsigned)i;
	}
	if (n) {
		hs_compile_error_t *err = NULL;
		if (hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL, out, &err) != HS_SUCCESS) {
			int at = err && err->expression >= 0 ? err->expression : 0;
			rc = hs_fail(diag, &set->v[ids[at]], "signature set", err);
		}
	}
out:
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

static int selected(const char *id, const bb_ruleset_options *o)
{
	for (size_t i = 0; i < o->n_only_ids; i++)
		if (bb_id_matches(id, o->only_ids[i]))
			return 1;
	return 0;
}

/* Keeps only the selected signatures (bb_ruleset_options.only_ids). */
static void select_specs(bb_specset *set, const bb_ruleset_options *o)
{
	size_t w = 0;
	for (size_t i = 0; i < set->n; i++) {
		if (selected(set->v[i].id, o)) {
			set->v[w++] = set->v[i];
		} else {
			bb_rules__spec_free(&set->v[i]);
		}
	}
	set->n = w;
}

static int compile(bb_ruleset *rs, const bb_ruleset_options *opts, bb_diag *diag)
{
	bb_specset set = { 0 };
	bb_buf blob;
	bb_buf_init(&blob, 0);
	int rc = BB_OK;
	for (size_t i = 0; i < rs->n_sources; i++)
		BB_TRY(bb_rules__parse(&set, &rs->sources[i], diag));
	if (opts && opts->only_ids)
		select_specs(&set, opts);
	BB_TRY(measure(&set, diag));
	BB_TRY(compile_db(&set, BB_SIG_CONTENT, &rs->content_db, diag));
	BB_TRY(compile_db(&set, BB_SIG_PATH, &rs->path_db, diag));
	BB_TRY(bb_rules__meta_write(&blob, &set));
	BB_TRY(bb_rules__meta_read(blob.data, blob.len, &rs->sigs, &rs->n));
	rs->blob = blob.data;
	rs->blob_len = blob.len;
	blob.data = NULL;
out:
	bb_buf_free(&blob);
	bb_rules__specset_free(&set);
	return rc;
}

/* ---- lazily compiled regexes -------------------------------------------- */

pcre2_code *bb_rules__compile_re(const char *re, uint32_t opts, int jit, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off;
	/* USE_OFFSET_LIMIT lets the confirmation stop PCRE2 from starting a match
	 * beyond the last Hyperscan hit of a cluster (scanner.c). */
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
		opts | PCRE2_USE_OFFSET_LIMIT, &ec, &off, NULL);
	if (!code) {
		if (err) {
			PCRE2_UCHAR msg[200];
			pcre2_get_error_message(ec, msg, sizeof msg);
			snprintf(err, errlen, "%s at offset %zu", (char *)msg, (size_t)off);
		}
		return NULL;
	}
	if (jit)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* interpreter if JIT is unavailable */
	return code;
}

/* Replaces the slot's interpreted code by a JIT-compiled copy (see bb_lazy_re). */
static void upgrade(bb_ruleset *rs, bb_lazy_re *slot)
{
	pthread_mutex_lock(&rs->re_lock);
	pcre2_code *code = atomic_load_explicit(&slot->code, memory_order_acquire);
	if (code && !slot->first) {
		pcre2_code *copy = pcre2_code_copy(code);
		if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0) {
			slot->first = code;
			atomic_store_explicit(&slot->code, copy, memory_order_release);
		} else {
			pcre2_code_free(copy); /* no JIT here: stay interpreted */
		}
	}
	atomic_store(&slot->jitted, 1);
	pthread_mutex_unlock(&rs->re_lock);
}

static pcre2_code *lazy(const bb_ruleset *crs, bb_lazy_re *slot, const char *re, uint32_t opts)
{
	bb_ruleset *rs = (bb_ruleset *)crs; /* the lock and slots are the mutable part */
	pcre2_code *code = atomic_load_explicit(&slot->code, memory_order_acquire);
	if (BB_LIKELY(code != NULL)) {
		/* counting stops at the upgrade: the counter is then only read */
		if (!atomic_load_explicit(&slot->jitted, memory_order_relaxed) &&
			atomic_fetch_add_explicit(&slot->uses, 1, memory_order_relaxed) + 1 >= BB_JIT_AFTER) {
			upgrade(rs, slot);
			code = atomic_load_explicit(&slot->code, memory_order_acquire);
		}
		return code;
	}
	if (!re[0] || atomic_load(&slot->failed))
		return code;
	pthread_mutex_lock(&rs->re_lock);
	code = atomic_load_explicit(&slot->code, memory_order_acquire);
	if (!code && !atomic_load(&slot->failed)) {
		code = bb_rules__compile_re(re, opts, 0, NULL, 0);
		size_t size = 0;
		if (code && pcre2_pattern_info(code, PCRE2_INFO_SIZE, &size) == 0)
			slot->budget_ns = (uint64_t)size * BB_JIT_NS_PER_BYTE;
		if (code)
			atomic_store_explicit(&slot->code, code, memory_order_release);
		else
			atomic_store(&slot->failed, 1);
	}
	pthread_mutex_unlock(&rs->re_lock);
	return code;
}

pcre2_code *bb_rules__re(const bb_ruleset *rs, size_t i)
{
	const bb_sig *s = &rs->sigs[i];
	const char *re = s->pub.pattern[0] ? s->pub.pattern : s->pub.path[0] ? s->pub.path : s->pub.magic;
	return lazy(rs, &rs->re[i], re, s->pcre_opts);
}

int bb_rules__re_interpreted(const bb_ruleset *rs, size_t i)
{
	return !atomic_load_explicit(&rs->re[i].jitted, memory_order_relaxed);
}

void bb_rules__re_spent(const bb_ruleset *crs, size_t i, uint64_t ns)
{
	bb_lazy_re *slot = &crs->re[i];
	uint64_t total = atomic_fetch_add_explicit(&slot->spent_ns, ns, memory_order_relaxed) + ns;
	if (total > slot->budget_ns && !atomic_load_explicit(&slot->jitted, memory_order_relaxed))
		upgrade((bb_ruleset *)crs, slot);
}

pcre2_code *bb_rules__allow_re(const bb_ruleset *rs, size_t i)
{
	return lazy(rs, &rs->allow_re[i], rs->sigs[i].allow, 0);
}

pcre2_code *bb_rules__allow_match_re(const bb_ruleset *rs, size_t i)
{
	return lazy(rs, &rs->allow_match_re[i], rs->sigs[i].allow_match, 0);
}

pcre2_code *bb_rules__exclude_re(const bb_ruleset *rs, size_t i)
{
	return lazy(rs, &rs->exclude_re[i], rs->sigs[i].path_exclude, 0);
}

/* ---- public --------------------------------------------------------------- */

static int finish(bb_ruleset *rs)
{
	rs->re = calloc(rs->n + 1, sizeof *rs->re);
	rs->allow_re = calloc(rs->n + 1, sizeof *rs->allow_re);
	rs->allow_match_re = calloc(rs->n + 1, sizeof *rs->allow_match_re);
	rs->exclude_re = calloc(rs->n + 1, sizeof *rs->exclude_re);
	rs->magic = calloc(rs->n + 1, sizeof *rs->magic);
	if (!rs->re || !rs->allow_re || !rs->allow_match_re || !rs->exclude_re || !rs->magic)
		return BB_ENOMEM;
	for (size_t i = 0; i < rs->n; i++)
		if (bb_sig__type(&rs->sigs[i]) == BB_SIG_MAGIC)
			rs->magic[rs->n_magic++] = i;
	if (rs->content_db && hs_alloc_scratch(rs->content_db, &rs->scratch) != HS_SUCCESS)
		return BB_ENOMEM;
	if (rs->path_db && hs_alloc_scratch(rs->path_db, &rs->scratch) != HS_SUCCESS)
		return BB_ENOMEM;
	return BB_OK;
}

int bb_ruleset_load(bb_ruleset **out, const bb_ruleset_options *opts, bb_diag *diag)
{
	srcvec src = { 0 };
	char *cache = NULL;
	int rc;
	bb_ruleset *rs = calloc(1, sizeof *rs);
	*out = NULL;
	if (!rs)
		return BB_ENOMEM;
	pthread_mutex_init(&rs->re_lock, NULL);
	BB_TRY(gather(&src, opts, diag));
	rs->sources = src.v;
	rs->n_sources = src.n;
	src.v = NULL;
	src.n = 0;
	bb_cache_key key = bb_rules__cache_key(rs->sources, rs->n_sources, !opts || !opts->no_builtin);
	int use_cache = !(opts && (opts->no_cache || opts->only_ids)) &&
		bb_rules__cache_path(opts ? opts->cache_dir : NULL, key, &cache) == BB_OK;
	if (use_cache && bb_rules__cache_read(cache, key, rs) == BB_OK) {
		rs->from_cache = 1;
	} else {
		/* one process compiles; the others wait and then read what it wrote */
		int lock = use_cache ? bb_rules__cache_lock(cache) : -1;
		if (lock >= 0 && bb_rules__cache_read(cache, key, rs) == BB_OK) {
			rs->from_cache = 1;
		} else {
			rc = compile(rs, opts, diag);
			if (rc == BB_OK && use_cache)
				bb_rules__cache_write(cache, key, rs);
		}
		bb_rules__cache_unlock(lock);
		BB_TRY(rc);
	}
	BB_TRY(finish(rs));
	*out = rs;
	rs = NULL;
out:
	free(cache);
	sources_free(src.v, src.n);
	bb_ruleset_free(rs);
	return rc;
}

void bb_ruleset_free(bb_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; rs->re && i < rs->n; i++) {
		bb_lazy_re *slots[] = { &rs->re[i], &rs->allow_re[i], &rs->allow_match_re[i],
			&rs->exclude_re[i] };
		for (size_t k = 0; k < sizeof slots / sizeof *slots; k++) {
			pcre2_code_free(atomic_load(&slots[k]->code));
			pcre2_code_free(slots[k]->first);
		}
	}
	free(rs->re);
	free(rs->allow_re);
	free(rs->allow_match_re);
	free(rs->exclude_re);
	free(rs->magic);
	hs_free_scratch(rs->scratch);
	if (rs->map) {
		munmap(rs->map, rs->map_len);
	} else {
		hs_free_database(rs->content_db);
		hs_free_database(rs->path_db);
		free(rs->blob);
	}
	free(rs->sigs);
	sources_free(rs->sources, rs->n_sources);
	pthread_mutex_destroy(&rs->re_lock);
	free(rs);
}

size_t bb_ruleset_count(const bb_ruleset *rs)
{
	return rs->n;
}

const bb_signature *bb_ruleset_get(const bb_ruleset *rs, size_t i)
{
	return i < rs->n ? &rs->sigs[i].pub : NULL;
}

long bb_ruleset_find(const bb_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->sigs[i].pub.id, id))
			return (long)i;
	return -1;
}

int bb_ruleset_from_cache(const bb_ruleset *rs)
{
	return rs->from_cache;
}
