/*
 * report.c: collecting findings and the text, JSON and JSON Lines writers.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

int report_format_parse(const char *s, report_format *out)
{
	static const char *const names[] = { "text", "json", "jsonl", "sarif" };
	for (int i = 0; i < 4; i++) {
		if (!strcmp(s, names[i])) {
			*out = (report_format)i;
			return 0;
		}
	}
	return -1;
}

void report_init(report *r, const bb_ruleset *rs, report_format fmt, FILE *out)
{
	memset(r, 0, sizeof *r);
	r->rs = rs;
	r->format = fmt;
	r->out = out;
}

void report_free(report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].redacted);
		free(r->v[i].origin);
		free(r->v[i].commit);
		free(r->v[i].author);
		if (r->v[i].secret) {
			memset(r->v[i].secret, 0, strlen(r->v[i].secret));
			free(r->v[i].secret);
		}
	}
	free(r->v);
	for (size_t i = 0; i < r->n_w; i++) {
		free(r->w[i].path);
		free(r->w[i].message);
	}
	free(r->w);
}

const char *report_date(const rfinding *f, char when[40])
{
	time_t t = (time_t)f->time;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return when;
}

static rfinding *add(report *r, const bb_finding *f)
{
	rfinding *v = cli_grow(r->v, &r->cap, r->n, sizeof *v, 64);
	if (!v) {
		r->oom = 1;
		return NULL;
	}
	r->v = v;
	rfinding *o = &r->v[r->n];
	memset(o, 0, sizeof *o);
	o->sig = f->sig_index;
	o->path = utf8_clean(f->path, strlen(f->path));
	o->redacted = strdup(f->redacted);
	o->origin = strdup(f->origin);
	if (r->show_secrets && f->secret_len)
		o->secret = utf8_clean((const char *)f->secret, f->secret_len);
	if (!o->path || !o->redacted || !o->origin || (r->show_secrets && f->secret_len && !o->secret)) {
		free(o->path);
		free(o->redacted);
		free(o->origin);
		free(o->secret);
		r->oom = 1;
		return NULL;
	}
	o->line = f->line;
	o->column = f->column;
	o->end_line = f->end_line;
	o->end_column = f->end_column;
	o->start = f->secret_start;
	o->end = f->secret_end;
	memcpy(o->fingerprint, f->fingerprint, sizeof o->fingerprint);
	o->validated = f->validated; /* a static string of the engine */
	o->confidence = f->confidence;
	r->n++;
	return o;
}

/* 1 if the finding is in the baseline (counted, not reported). */
static int baselined(report *r, const bb_finding *f)
{
	if (!r->baseline || !baseline_has(r->baseline, f->fingerprint))
		return 0;
	r->n_baselined++;
	return !r->keep_all;
}

int report_add(const bb_finding *f, void *payload)
{
	report *r = payload;
	if (baselined(r, f))
		return 0;
	return add(r, f) ? 0 : 1;
}

int report_add_git(const bb_finding *f, const bb_git_origin *o, void *payload)
{
	report *r = payload;
	if (baselined(r, f))
		return 0;
	rfinding *x = add(r, f);
	if (!x)
		return 1;
	if (o->commit[0]) {
		x->commit = strdup(o->commit);
		x->author = utf8_clean(o->author, strlen(o->author));
		x->time = o->time;
		if (!x->commit || !x->author)
			r->oom = 1;
	}
	return 0;
}

void report_warn(report *r, const char *path, const char *message)
{
	rwarning *v = cli_grow(r->w, &r->cap_w, r->n_w, sizeof *v, 16);
	if (!v)
		return;
	r->w = v;
	r->w[r->n_w].path = utf8_clean(path, strlen(path));
	r->w[r->n_w].message = strdup(message);
	if (r->w[r->n_w].path && r->w[r->n_w].message) {
		r->n_w++;
	} else {
		free(r->w[r->n_w].path);
		free(r->w[r->n_w].message);
	}
}

static int cmp_finding(const void *a, const void *b, void *ctx)
{
	const rfinding *x = a, *y = b;
	const bb_ruleset *rs = ctx;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if ((c = strcmp(bb_ruleset_get(rs, x->sig)->id, bb_ruleset_get(rs, y->sig)->id)))
		return c;
	return strcmp(x->commit ? x->commit : "", y->commit ? y->commit : "");
}

void report_sort(report *r)
{
	if (r->n > 1) /* r->v is NULL when nothing was found */
		qsort_r(r->v, r->n, sizeof *r->v, cmp_finding, (void *)r->rs);
}

/* ---- JSON ----------------------------------------------------------------------- */

void *json_finding(const report *r, const rfinding *f)
{
	const bb_signature *g = bb_ruleset_get(r->rs, f->sig);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", g->id);
	cJSON_AddStringToObject(o, "name", g->name);
	cJSON_AddStringToObject(o, "kind", bb_kind_name(g->kind));
	cJSON_AddStringToObject(o, "severity", bb_severity_name(g->severity));
	cJSON_AddStringToObject(o, "confidence", bb_confidence_name(f->confidence));
	cJSON_AddStringToObject(o, "file", f->path);
	cJSON_AddNumberToObject(o, "line", (double)f->line);
	cJSON_AddNumberToObject(o, "column", (double)f->column);
	cJSON_AddNumberToObject(o, "end_line", (double)f->end_line);
	cJSON_AddNumberToObject(o, "end_column", (double)f->end_column);
	cJSON_AddNumberToObject(o, "start_offset", (double)f->start);
	cJSON_AddNumberToObject(o, "end_offset", (double)f->end);
	cJSON_AddStringToObject(o, "redacted", f->redacted);
	cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
	cJSON_AddStringToObject(o, "validated", f->validated);
	if (f->origin[0])
		cJSON_AddStringToObject(o, "decoded_from", f->origin);
	if (f->commit) {
		char when[40];
		cJSON_AddStringToObject(o, "commit", f->commit);
		cJSON_AddStringToObject(o, "author", f->author);
		cJSON_AddStringToObject(o, "date", report_date(f, when));
	}
	if (f->secret)
		cJSON_AddStringToObject(o, "secret", f->secret);
	return o;
}

static int print_json(FILE *out, cJSON *o, int pretty)
{
	char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	int rc = s && fputs(s, out) >= 0 && fputc('\n', out) != EOF ? 0 : -1;
	free(s);
	return rc;
}

static int write_jsonl(report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		cJSON *o = json_finding(r, &r->v[i]);
		int rc = print_json(r->out, o, 0);
		cJSON_Delete(o);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static cJSON *json_stats(const report *r)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddNumberToObject(s, "files_seen", (double)r->stats.files_seen);
	cJSON_AddNumberToObject(s, "files_scanned", (double)r->stats.files_scanned);
	cJSON_AddNumberToObject(s, "files_skipped", (double)r->stats.files_skipped);
	cJSON_AddNumberToObject(s, "bytes_scanned", (double)r->stats.bytes_scanned);
	cJSON_AddNumberToObject(s, "warnings", (double)r->n_w);
	cJSON_AddNumberToObject(s, "findings", (double)r->n);
	cJSON_AddNumberToObject(s, "baselined", (double)r->n_baselined);
	cJSON_AddNumberToObject(s, "signatures", (double)bb_ruleset_count(r->rs));
	cJSON_AddNumberToObject(s, "seconds", r->seconds);
	return s;
}

static int write_json(report *r)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray(), *warns = cJSON_CreateArray();
	cJSON_AddStringToObject(root, "tool", "blackbar");
	cJSON_AddStringToObject(root, "version", BB_VERSION);
	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(arr, json_finding(r, &r->v[i]));
	cJSON_AddItemToObject(root, "findings", arr);
	for (size_t i = 0; i < r->n_w; i++) {
		cJSON *w = cJSON_CreateObject();
		cJSON_AddStringToObject(w, "file", r->w[i].path);
		cJSON_AddStringToObject(w, "message", r->w[i].message);
		cJSON_AddItemToArray(warns, w);
	}
	cJSON_AddItemToObject(root, "warnings", warns);
	cJSON_AddItemToObject(root, "stats", json_stats(r));
	int rc = print_json(r->out, root, 1);
	cJSON_Delete(root);
	return rc;
}

/* ---- text ----------------------------------------------------------------------- */

static const char *sev_color(bb_severity s)
{
	switch (s) {
	case BB_SEV_CRITICAL: return "\033[1;31m";
	case BB_SEV_HIGH: return "\033[31m";
	case BB_SEV_MEDIUM: return "\033[33m";
	case BB_SEV_LOW: return "\033[36m";
	case BB_SEV_INFO: return "\033[2m";
	}
	return "";
}

/* Prints a path with control characters shown as '?': a file name must not be
 * able to move the cursor, change colours or start a line of its own. */
void report_put_path(FILE *out, const char *p)
{
	for (; *p; p++)
		fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static int write_text(report *r)
{
	const char *bold = r->color ? "\033[1m" : "", *dim = r->color ? "\033[2m" : "",
		*reset = r->color ? "\033[0m" : "";
	for (size_t i = 0; i < r->n; i++) {
		const rfinding *f = &r->v[i];
		const bb_signature *g = bb_ruleset_get(r->rs, f->sig);
		fputs(bold, r->out);
		report_put_path(r->out, f->path);
		fprintf(r->out, ":%llu:%llu%s  %s%s%s  %s  %s%s%s%s%s\n",
			(unsigned long long)f->line, (unsigned long long)f->column, reset,
			r->color ? sev_color(g->severity) : "", bb_severity_name(g->severity), reset,
			g->id, dim, g->name, f->origin[0] ? " (decoded " : "",
			f->origin[0] ? f->origin : "", f->origin[0] ? ")" : "");
		if (f->commit)
			fprintf(r->out, "    %scommit %.12s by %s%s\n", dim, f->commit, f->author, reset);
		if (f->redacted[0])
			fprintf(r->out, "    %s%s%s\n", dim, f->redacted, reset);
		if (f->secret)
			fprintf(r->out, "    secret: %s\n", f->secret);
		int confirmed = strcmp(f->validated, "pattern") != 0;
		int unsure = f->confidence != BB_CONF_HIGH;
		if (confirmed || unsure)
			fprintf(r->out, "    %s%s%s%s%s%s%s\n", dim, confirmed ? "confirmed by " : "",
				confirmed ? f->validated : "", confirmed && unsure ? "; " : "",
				unsure ? bb_confidence_name(f->confidence) : "",
				unsure ? " confidence" : "", reset);
	}
	return ferror(r->out) ? -1 : 0;
}

int report_write(report *r)
{
	report_sort(r);
	int rc;
	switch (r->format) {
	case FMT_TEXT: rc = write_text(r); break;
	case FMT_JSON: rc = write_json(r); break;
	case FMT_JSONL: rc = write_jsonl(r); break;
	case FMT_SARIF: rc = report_write_sarif(r); break;
	default: rc = -1; break;
	}
	if (fflush(r->out) != 0)
		rc = -1;
	return rc;
}
