/*
 * baseline.c: `--write-baseline FILE` records the current findings; `--baseline
 * FILE` reports only findings not in it.
 *
 * Entries are keyed by fingerprint (a hash of the rule and the secret), so edits
 * that move a secret to another line, or edits elsewhere in the file, change
 * nothing; the file is sorted and holds no line numbers or timestamps, so writing
 * it again after unrelated changes gives the same bytes (no merge conflicts).
 *
 *   {"blackbar_baseline": 1,
 *    "findings": [{"fingerprint": "...", "rule": "...", "file": "..."}, ...]}
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

struct baseline {
	char (*fps)[33];  /* sorted */
	size_t n;
};

static int cmp_fp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int baseline_load(baseline **out, const char *path)
{
	size_t n = 0;
	char *text = cli_read_file(path, &n);
	*out = NULL;
	if (!text) {
		perror(path);
		return -1;
	}
	cJSON *root = cJSON_ParseWithLength(text, n);
	free(text);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "findings"), *it;
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "blackbar_baseline")) ||
		!cJSON_IsArray(list)) {
		fprintf(stderr, "blackbar: %s is not a blackbar baseline\n", path);
		cJSON_Delete(root);
		return -1;
	}
	baseline *b = calloc(1, sizeof *b);
	size_t m = (size_t)cJSON_GetArraySize(list);
	if (!b || !(b->fps = calloc(m ? m : 1, sizeof *b->fps))) {
		free(b);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, list) {
		const char *fp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "fingerprint"));
		if (!fp || strlen(fp) != 32) {
			fprintf(stderr, "blackbar: %s: an entry has no valid fingerprint\n", path);
			baseline_free(b);
			cJSON_Delete(root);
			return -1;
		}
		memcpy(b->fps[b->n++], fp, 33);
	}
	cJSON_Delete(root);
	qsort(b->fps, b->n, sizeof *b->fps, cmp_fp);
	*out = b;
	return 0;
}

int baseline_has(const baseline *b, const char *fp)
{
	return b && bsearch(fp, b->fps, b->n, sizeof *b->fps, cmp_fp) != NULL;
}

void baseline_free(baseline *b)
{
	if (b)
		free(b->fps);
	free(b);
}

static int cmp_entry(const void *a, const void *b)
{
	const rfinding *x = *(const rfinding *const *)a, *y = *(const rfinding *const *)b;
	int c = strcmp(x->fingerprint, y->fingerprint);
	return c ? c : strcmp(x->path, y->path);
}

int baseline_write(const report *r, const char *path)
{
	const rfinding **v = calloc(r->n + 1, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		v[i] = &r->v[i];
	qsort(v, r->n, sizeof *v, cmp_entry);
	cJSON *root = cJSON_CreateObject(), *list = cJSON_CreateArray();
	cJSON_AddNumberToObject(root, "blackbar_baseline", 1);
	for (size_t i = 0; i < r->n; i++) {
		if (i && !cmp_entry(&v[i], &v[i - 1]))
			continue; /* the same secret twice in one file (history scans) */
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "fingerprint", v[i]->fingerprint);
		cJSON_AddStringToObject(e, "rule", bb_ruleset_get(r->rs, v[i]->sig)->id);
		cJSON_AddStringToObject(e, "file", v[i]->path);
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddItemToObject(root, "findings", list);
	free(v);
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	FILE *f = text ? fopen(path, "w") : NULL;
	int ok = f && fprintf(f, "%s\n", text) >= 0;
	ok = f && fclose(f) == 0 && ok;
	if (!ok)
		fprintf(stderr, "blackbar: cannot write %s\n", path);
	free(text);
	return ok ? 0 : -1;
}
