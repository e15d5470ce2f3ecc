/*
 * guard.c: verdicts for files, text, commands and tool output (blackbar.h, "Agent
 * guard"). A verdict lists the findings (ids, kinds, fingerprints: never a secret)
 * and the strongest action the policy gives them.
 */
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files bigger than this are scanned up to this many bytes: the agent's read
 * tools do not return more than a few megabytes either. */
#define GUARD_FILE_CAP (64u << 20)

struct span {
	uint64_t start, end;
	const char *id;
};

int bb_guard_new(bb_guard **out, const bb_ruleset *rs, const bb_filter *filter,
	const bb_policy *policy)
{
	bb_guard *g = calloc(1, sizeof *g);
	*out = NULL;
	if (!g)
		return BB_ENOMEM;
	g->rs = rs;
	g->filter = filter;
	if (policy)
		g->policy = *policy;
	else
		bb_policy_init(&g->policy);
	bb_scan_options so;
	bb_scan_options_init(&so);
	/* kinds the policy ignores are not reported at all */
	for (int k = 0; k < 4; k++)
		if (g->policy.on[k] != BB_ACTION_NONE)
			so.kinds |= 1u << k;
	if (!so.kinds)
		so.kinds = 1u << 31; /* nothing: a bit no kind uses */
	int rc = bb_scanner_new(&g->s, rs, filter, &so);
	if (rc < 0) {
		free(g);
		return rc;
	}
	*out = g;
	return BB_OK;
}

void bb_guard_free(bb_guard *g)
{
	if (!g)
		return;
	bb_scanner_free(g->s);
	free(g->spans);
	free(g);
}

static void verdict_clear(bb_verdict *v)
{
	memset(v, 0, sizeof *v);
}

static void raise(bb_verdict *v, bb_action a)
{
	if (a > v->action)
		v->action = a;
}

int bb_guard__on_finding(const bb_finding *f, void *payload)
{
	bb_guard *g = payload;
	bb_verdict *v = g->v;
	const bb_signature *sig = f->sig;
	/* the same secret twice (a file read and its content) counts once */
	for (size_t i = 0; i < v->n && i < BB_VERDICT_ITEMS; i++)
		if (!strcmp(v->items[i].fingerprint, f->fingerprint))
			return 0;
	if (v->n < BB_VERDICT_ITEMS) {
		bb_verdict_item *it = &v->items[v->n];
		snprintf(it->id, sizeof it->id, "%s", sig->id);
		snprintf(it->name, sizeof it->name, "%s", sig->name);
		memcpy(it->fingerprint, f->fingerprint, sizeof it->fingerprint);
		it->kind = sig->kind;
		it->severity = sig->severity;
		it->line = f->line + g->line_offset;
		it->end_line = f->end_line + g->line_offset;
	}
	v->n++;
	if (sig->kind == BB_KIND_SENSITIVE_FILE)
		v->sensitive_file = 1;
	raise(v, g->policy.on[sig->kind]);
	return 0;
}

void bb_guard__command_reason(bb_guard *g, bb_verdict *v, bb_action a, const char *fmt, ...)
{
	BB_UNUSED(g);
	if (!v->command[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(v->command, sizeof v->command, fmt, ap);
		va_end(ap);
	}
	raise(v, a);
}

/* Lines of context fed around a Read range, so that a secret spanning several
 * lines (a PEM key) that overlaps the range is found whole. */
#define RANGE_CONTEXT 400

/* A finding of a ranged read counts when its lines overlap the range. */
static int on_ranged_finding(const bb_finding *f, void *payload)
{
	bb_guard *g = payload;
	uint64_t first = f->line + g->line_offset, last = f->end_line + g->line_offset;
	if (last < g->range_first || first > g->range_last)
		return 0;
	return bb_guard__on_finding(f, g);
}

/* Streams the lines around [first, last] of fd into the scanner: RANGE_CONTEXT
 * lines before and after, so secrets that straddle the range are seen whole,
 * and only findings overlapping the range count. */
static int scan_range(bb_guard *g, int fd, const char *label, uint64_t first, uint64_t last)
{
	unsigned char buf[65536];
	uint64_t from = first > RANGE_CONTEXT ? first - RANGE_CONTEXT : 1;
	uint64_t to = last < UINT64_MAX - RANGE_CONTEXT ? last + RANGE_CONTEXT : UINT64_MAX;
	uint64_t line = 1, total = 0;
	g->range_first = first;
	g->range_last = last;
	g->line_offset = from - 1; /* stream line 1 is file line `from` */
	int rc = bb_stream_begin(g->s, label, on_ranged_finding, g);
	if (rc < 0)
		return rc;
	while (rc == BB_OK && line <= to && total < GUARD_FILE_CAP) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		total += (uint64_t)r;
		size_t start = 0;
		for (size_t i = 0; i < (size_t)r; i++) {
			if (buf[i] != '\n')
				continue;
			if (line >= from && line <= to && rc == BB_OK)
				rc = bb_stream_feed(g->s, buf + start, i + 1 - start);
			start = i + 1;
			line++;
		}
		if (line >= from && line <= to && start < (size_t)r && rc == BB_OK)
			rc = bb_stream_feed(g->s, buf + start, (size_t)r - start);
	}
	int end = bb_stream_end(g->s);
	return rc < 0 ? rc : end;
}

int bb_guard_file(bb_guard *g, const char *path, uint64_t first_line, uint64_t n_lines,
	bb_verdict *v)
{
	verdict_clear(v);
	g->v = v;
	g->line_offset = 0;
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	int regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (regular && first_line <= 1 && !n_lines) {
		/* the whole file: the file scanner judges its name, then its content
		 * (binary types, compressed files) */
		close(fd);
		rc = bb_scanner_scan_file(g->s, path, path, bb_guard__on_finding, g);
		if (rc == BB_ESKIPPED || rc == BB_ETOOBIG || rc == BB_EDECODE)
			rc = BB_OK;
		return rc == BB_EIO ? BB_OK : rc;
	}
	/* by name; then the lines that would be read, when there is a file */
	rc = bb_scanner_scan_path(g->s, path, bb_guard__on_finding, g);
	if (rc == BB_OK && regular) {
		uint64_t first = first_line ? first_line : 1;
		uint64_t last = !n_lines ? UINT64_MAX
			: n_lines - 1 > UINT64_MAX - first ? UINT64_MAX : first + n_lines - 1;
		rc = scan_range(g, fd, path, first, last);
		g->line_offset = 0;
	}
	if (fd >= 0)
		close(fd);
	return rc == BB_EIO ? BB_OK : rc;
}

int bb_guard_text(bb_guard *g, const void *text, size_t len, const char *label, bb_verdict *v)
{
	verdict_clear(v);
	g->v = v;
	g->line_offset = 0;
	return bb_scanner_scan_buffer(g->s, text, len, label, bb_guard__on_finding, g);
}

int bb_guard_command(bb_guard *g, const char *cmd, const char *cwd, bb_verdict *v)
{
	int rc = bb_guard_text(g, cmd, strlen(cmd), NULL, v);
	if (rc < 0)
		return rc;
	return bb_guard__shell(g, cmd, cwd, v, 0);
}

/* ---- redaction ------------------------------------------------------------------ */

static int on_span(const bb_finding *f, void *payload)
{
	bb_guard *g = payload;
	bb_guard__on_finding(f, g);
	if (!f->secret_len)
		return 0;
	struct span *s = bb_grow(g->spans, &g->cap_spans, g->n_spans, sizeof *s, 16);
	if (!s)
		return 1;
	g->spans = s;
	g->spans[g->n_spans++] = (struct span){ f->secret_start, f->secret_end, f->sig->id };
	return 0;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int bb_guard_redact(bb_guard *g, const void *text, size_t len, char **out, size_t *out_len,
	bb_verdict *v)
{
	const unsigned char *t = text;
	verdict_clear(v);
	g->v = v;
	g->line_offset = 0;
	g->n_spans = 0;
	*out = NULL;
	int rc = bb_scanner_scan_buffer(g->s, text, len, NULL, on_span, g);
	if (rc == BB_ESTOPPED)
		rc = BB_ENOMEM;
	if (rc < 0)
		return rc;
	*out_len = len;
	if (!g->n_spans)
		return BB_OK;
	if (g->n_spans > 1)
		qsort(g->spans, g->n_spans, sizeof *g->spans, span_cmp);
	bb_buf b;
	bb_buf_init(&b, 0);
	uint64_t at = 0;
	for (size_t i = 0; i < g->n_spans && rc == BB_OK; i++) {
		const struct span *sp = &g->spans[i];
		if (sp->end <= at)
			continue; /* inside a span already replaced */
		if (sp->start > at)
			rc = bb_buf_append(&b, t + at, (size_t)(sp->start - at));
		if (rc == BB_OK)
			rc = bb_buf_printf(&b, "[REDACTED:%s]", sp->id);
		at = sp->end;
	}
	if (rc == BB_OK && at < len)
		rc = bb_buf_append(&b, t + at, (size_t)(len - at));
	if (rc == BB_OK && !bb_buf_cstr(&b))
		rc = BB_ENOMEM;
	if (rc < 0) {
		bb_buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	*out_len = b.len;
	return BB_OK;
}

/* ---- commands that read files ---------------------------------------------------- */

/* The path as the command sees it: relative paths resolved against cwd; a leading
 * "~/" against $HOME. The result is malloc'd. */
static char *resolve(const char *arg, const char *cwd)
{
	const char *home = getenv("HOME");
	char *p = NULL;
	if (arg[0] == '~' && (arg[1] == '/' || !arg[1]) && home) {
		if (asprintf(&p, "%s%s", home, arg + 1) < 0)
			p = NULL;
	} else if (arg[0] != '/' && cwd && cwd[0]) {
		if (asprintf(&p, "%s/%s", cwd, arg) < 0)
			p = NULL;
	} else {
		p = bb_strdup(arg);
	}
	return p;
}

int bb_guard__command_reads(bb_guard *g, bb_verdict *v, const char *verb, const char *arg,
	const char *cwd)
{
	if (!arg[0] || arg[0] == '-')
		return BB_OK;
	char *path = resolve(arg, cwd);
	if (!path)
		return BB_ENOMEM;
	size_t before = v->n;
	int before_file = v->sensitive_file;
	/* by name (the argument as written, and resolved), then by content */
	int rc = bb_scanner_scan_path(g->s, arg, bb_guard__on_finding, g);
	if (rc == BB_OK && v->n == before && strcmp(arg, path))
		rc = bb_scanner_scan_path(g->s, path, bb_guard__on_finding, g);
	if (rc == BB_OK && v->n > before && v->sensitive_file && !before_file) {
		bb_guard__command_reason(g, v, BB_ACTION_NONE, "%s reads %s, a sensitive file", verb, arg);
	} else if (rc == BB_OK && v->n == before) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= GUARD_FILE_CAP) {
			bb_scanner *s = g->s;
			rc = bb_scanner_scan_file(s, path, path, bb_guard__on_finding, g);
			if (rc == BB_ESKIPPED || rc == BB_EIO || rc == BB_ETOOBIG || rc == BB_EDECODE)
				rc = BB_OK;
			if (v->n > before)
				bb_guard__command_reason(g, v, BB_ACTION_NONE,
					"%s prints %s, which holds a secret", verb, arg);
		}
	}
	free(path);
	return rc;
}
