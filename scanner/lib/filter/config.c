/*
 * config.c: the "signatures" array of config files (extra signature files or
 * directories) and the "baseline" file, relative to the config file. (The other
 * fields are read by filter.c, "exclude" and "allow", and by the guard, "policy".)
 */
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

void bb_config_free_paths(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

static int push(char ***v, size_t *n, char *s)
{
	char **p = realloc(*v, (*n + 1) * sizeof *p);
	if (!p) {
		free(s);
		return BB_ENOMEM;
	}
	p[(*n)++] = s;
	*v = p;
	return BB_OK;
}

/* `entry` relative to the directory of `config`, unless absolute. */
static char *relative_to(const char *config, const char *entry)
{
	const char *slash = strrchr(config, '/');
	if (entry[0] == '/' || !slash)
		return bb_strdup(entry);
	size_t d = (size_t)(slash - config) + 1, n = strlen(entry);
	char *p = malloc(d + n + 1);
	if (p) {
		memcpy(p, config, d);
		memcpy(p + d, entry, n + 1);
	}
	return p;
}

static int one(const char *config, char ***v, size_t *n, bb_diag *diag)
{
	cJSON *root, *it;
	int rc = bb_json_read_object(config, &root, diag);
	if (rc < 0)
		return rc == BB_ENOTFOUND ? BB_OK : rc;
	const cJSON *sigs = cJSON_GetObjectItemCaseSensitive(root, "signatures");
	if (sigs && !cJSON_IsArray(sigs)) {
		bb_diag_set(diag, config, NULL, "\"signatures\" must be an array of paths");
		cJSON_Delete(root);
		return BB_EINVAL;
	}
	cJSON_ArrayForEach(it, sigs) {
		if (!cJSON_IsString(it) || !it->valuestring[0]) {
			bb_diag_set(diag, config, NULL, "\"signatures\" must be an array of paths");
			rc = BB_EINVAL;
			break;
		}
		char *p = relative_to(config, it->valuestring);
		if (!p || (rc = push(v, n, p)) < 0) {
			rc = BB_ENOMEM;
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}

int bb_config_signature_paths(const char *const *configs, size_t n, char ***out,
	size_t *n_out, bb_diag *diag)
{
	*out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		if (!configs[i] || !configs[i][0])
			continue;
		int rc = one(configs[i], out, n_out, diag);
		if (rc < 0) {
			bb_config_free_paths(*out, *n_out);
			*out = NULL;
			*n_out = 0;
			return rc;
		}
	}
	return BB_OK;
}

int bb_config_baseline_path(const char *config, char **out, bb_diag *diag)
{
	cJSON *root;
	*out = NULL;
	int rc = bb_json_read_object(config, &root, diag);
	if (rc < 0)
		return rc == BB_ENOTFOUND ? BB_OK : rc;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "baseline");
	if (b && (!cJSON_IsString(b) || !b->valuestring[0])) {
		bb_diag_set(diag, config, NULL, "\"baseline\" must be the path of a baseline file");
		rc = BB_EINVAL;
	} else if (b && !(*out = relative_to(config, b->valuestring))) {
		rc = BB_ENOMEM;
	}
	cJSON_Delete(root);
	return rc;
}
