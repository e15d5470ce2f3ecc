/*
 * report_sarif.c: SARIF 2.1.0 (OASIS), the format GitHub code scanning and most CI
 * dashboards ingest. One run; the driver lists the rules that produced results;
 * each result has a physical location relative to %SRCROOT% with a region (columns
 * in Unicode code points, endColumn exclusive as SARIF defines it), the redacted
 * line as the snippet, and partialFingerprints so that a finding keeps its
 * identity when lines move.
 *
 * Schema: tests/e2e validates this output against sarif-schema-2.1.0.json.
 */
#include "report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

static const char *level(bb_severity s)
{
	return s >= BB_SEV_HIGH ? "error" : s == BB_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub reads "security-severity" (0-10) to rank alerts. */
static const char *security_severity(bb_severity s)
{
	switch (s) {
	case BB_SEV_CRITICAL: return "9.5";
	case BB_SEV_HIGH: return "8.0";
	case BB_SEV_MEDIUM: return "5.5";
	case BB_SEV_LOW: return "3.0";
	case BB_SEV_INFO: return "1.0";
	}
	return "5.0";
}

/* Percent-encodes a relative path for a URI reference (RFC 3986): unreserved
 * characters and '/' stay, everything else becomes %XX. */
static char *uri_encode(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(path) * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static cJSON *text_obj(const char *text)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "text", text);
	return o;
}

static cJSON *rule(const bb_signature *g)
{
	cJSON *r = cJSON_CreateObject(), *props = cJSON_CreateObject(), *tags = cJSON_CreateArray();
	cJSON *cfg = cJSON_CreateObject(), *help = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", g->id);
	cJSON_AddStringToObject(r, "name", g->id);
	cJSON_AddItemToObject(r, "shortDescription", text_obj(g->name));
	cJSON_AddItemToObject(r, "fullDescription", text_obj(g->description[0] ? g->description : g->name));
	char *h = NULL;
	size_t n = strlen(g->name) + strlen(g->description) + strlen(g->remediation) +
		strlen(g->references) + 200;
	if ((h = malloc(n))) {
		snprintf(h, n, "%s%s%s\n\nRemediation: %s%s%s", g->name,
			g->description[0] ? ". " : "", g->description,
			g->remediation[0] ? g->remediation : "revoke or rotate the value, remove it "
			"from the code and its history, and load it from a secret store or the "
			"environment instead.", g->references[0] ? "\n\nReferences:\n" : "", g->references);
		cJSON_AddStringToObject(help, "text", h);
		free(h);
	}
	cJSON_AddItemToObject(r, "help", help);
	cJSON_AddStringToObject(cfg, "level", level(g->severity));
	cJSON_AddItemToObject(r, "defaultConfiguration", cfg);
	cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
	cJSON_AddItemToArray(tags, cJSON_CreateString(bb_kind_name(g->kind)));
	cJSON_AddItemToObject(props, "tags", tags);
	cJSON_AddStringToObject(props, "security-severity", security_severity(g->severity));
	cJSON_AddStringToObject(props, "severity", bb_severity_name(g->severity));
	cJSON_AddItemToObject(r, "properties", props);
	return r;
}

static cJSON *location(const rfinding *f)
{
	cJSON *loc = cJSON_CreateObject(), *phys = cJSON_CreateObject(),
		*art = cJSON_CreateObject(), *reg = cJSON_CreateObject();
	char *uri = uri_encode(f->path);
	cJSON_AddStringToObject(art, "uri", uri ? uri : "");
	free(uri);
	cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
	cJSON_AddItemToObject(phys, "artifactLocation", art);
	cJSON_AddNumberToObject(reg, "startLine", (double)f->line);
	cJSON_AddNumberToObject(reg, "startColumn", (double)f->column);
	cJSON_AddNumberToObject(reg, "endLine", (double)f->end_line);
	cJSON_AddNumberToObject(reg, "endColumn", (double)f->end_column + 1);
	if (f->redacted[0])
		cJSON_AddItemToObject(reg, "snippet", text_obj(f->redacted));
	cJSON_AddItemToObject(phys, "region", reg);
	cJSON_AddItemToObject(loc, "physicalLocation", phys);
	return loc;
}

static cJSON *result(const report *r, const rfinding *f, int rule_index)
{
	const bb_signature *g = bb_ruleset_get(r->rs, f->sig);
	cJSON *res = cJSON_CreateObject(), *locs = cJSON_CreateArray(),
		*fps = cJSON_CreateObject(), *props = cJSON_CreateObject();
	char msg[1024], when[40];
	if (f->commit) /* history scans: the same path and line can come from many commits */
		snprintf(msg, sizeof msg, "%s found (%s), introduced in commit %.12s by %s on %s. "
			"The value is redacted here; rotate it and remove it from the code and the "
			"history.", g->name, g->id, f->commit, f->author, report_date(f, when));
	else
		snprintf(msg, sizeof msg, "%s found (%s). The value is redacted here; rotate it "
			"and remove it from the code and the history.", g->name, g->id);
	cJSON_AddStringToObject(res, "ruleId", g->id);
	cJSON_AddNumberToObject(res, "ruleIndex", rule_index);
	cJSON_AddStringToObject(res, "level", level(g->severity));
	cJSON_AddItemToObject(res, "message", text_obj(msg));
	cJSON_AddItemToArray(locs, location(f));
	cJSON_AddItemToObject(res, "locations", locs);
	cJSON_AddStringToObject(fps, "blackbar/v1", f->fingerprint);
	cJSON_AddItemToObject(res, "partialFingerprints", fps);
	cJSON_AddStringToObject(props, "kind", bb_kind_name(g->kind));
	cJSON_AddStringToObject(props, "confidence", bb_confidence_name(f->confidence));
	cJSON_AddStringToObject(props, "validated", f->validated);
	if (f->commit) {
		cJSON_AddStringToObject(props, "commit", f->commit);
		cJSON_AddStringToObject(props, "author", f->author);
		cJSON_AddStringToObject(props, "date", report_date(f, when));
	}
	if (f->secret)
		cJSON_AddStringToObject(props, "secret", f->secret);
	cJSON_AddItemToObject(res, "properties", props);
	return res;
}

/* file:// URI that paths are relative to: the first root when it is a directory
 * (findings are relative to it), else the working directory (file roots are
 * reported as given). */
static cJSON *base_ids(const report *r)
{
	char abs[PATH_MAX];
	struct stat st;
	const char *root = r->n_roots && stat(r->roots[0], &st) == 0 && S_ISDIR(st.st_mode)
		? r->roots[0] : ".";
	if (!realpath(root, abs))
		return NULL;
	size_t n = strlen(abs);
	char *enc = uri_encode(abs), *uri = enc ? malloc(strlen(enc) + 16) : NULL;
	cJSON *ids = NULL;
	if (uri) {
		sprintf(uri, "file://%s%s", enc, n && abs[n - 1] == '/' ? "" : "/");
		ids = cJSON_CreateObject();
		cJSON *src = cJSON_CreateObject();
		cJSON_AddStringToObject(src, "uri", uri);
		cJSON_AddItemToObject(ids, "%SRCROOT%", src);
	}
	free(enc);
	free(uri);
	return ids;
}

int report_write_sarif(report *r)
{
	size_t nsig = bb_ruleset_count(r->rs);
	int *index = malloc((nsig ? nsig : 1) * sizeof *index);
	if (!index)
		return -1;
	for (size_t i = 0; i < nsig; i++)
		index[i] = -1;
	cJSON *root = cJSON_CreateObject(), *runs = cJSON_CreateArray(), *run = cJSON_CreateObject();
	cJSON *tool = cJSON_CreateObject(), *driver = cJSON_CreateObject(),
		*rules = cJSON_CreateArray(), *results = cJSON_CreateArray();
	cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON_AddStringToObject(driver, "name", "blackbar");
	cJSON_AddStringToObject(driver, "version", BB_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", BB_VERSION);
	int n_rules = 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t s = r->v[i].sig;
		if (index[s] < 0) {
			index[s] = n_rules++;
			cJSON_AddItemToArray(rules, rule(bb_ruleset_get(r->rs, s)));
		}
		cJSON_AddItemToArray(results, result(r, &r->v[i], index[s]));
	}
	cJSON_AddItemToObject(driver, "rules", rules);
	cJSON_AddItemToObject(tool, "driver", driver);
	cJSON_AddItemToObject(run, "tool", tool);
	cJSON *ids = base_ids(r);
	if (ids)
		cJSON_AddItemToObject(run, "originalUriBaseIds", ids);
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	cJSON_AddItemToObject(run, "results", results);
	cJSON_AddItemToArray(runs, run);
	cJSON_AddItemToObject(root, "runs", runs);
	char *s = cJSON_Print(root);
	int rc = s && fputs(s, r->out) >= 0 && fputc('\n', r->out) != EOF ? 0 : -1;
	free(s);
	cJSON_Delete(root);
	free(index);
	return rc;
}
