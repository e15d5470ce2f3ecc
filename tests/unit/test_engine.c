/*
 * test_engine: the engine through its public API, with signature files written
 * for each test (so the tests do not move when the built-in set grows).
 *
 * Each check prints what failed with expected and actual values; the program
 * exits 1 if any failed. Token-shaped strings are assembled at run time.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blackbar/blackbar.h"

static int n_pass, n_fail;
static char tmp[256];

#define CHECK(cond, ...) check((cond), __FILE__, __LINE__, __VA_ARGS__)
static void check(int ok, const char *file, int line, const char *fmt, ...)
{
	if (ok) {
		n_pass++;
		return;
	}
	n_fail++;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL %s:%d: ", file, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void write_file(const char *name, const char *text, size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static const char *tpath(const char *name)
{
	static char path[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", tmp, name);
	return path[k];
}

/* A signature file with one signature object per argument. */
static void sigfile(const char *name, const char *sigs)
{
	char *doc;
	if (asprintf(&doc, "{\"format\": 1, \"signatures\": [%s]}", sigs) < 0)
		exit(2);
	write_file(name, doc, strlen(doc));
	free(doc);
}

static int load(bb_ruleset **rs, const char *file, bb_diag *d)
{
	const char *paths[1] = { tpath(file) };
	bb_ruleset_options o = { .paths = paths, .n_paths = 1, .no_builtin = 1, .no_cache = 1 };
	memset(d, 0, sizeof *d);
	return bb_ruleset_load(rs, &o, d);
}

/* ---- collecting findings ------------------------------------------------------ */

typedef struct got {
	int n;
	char id[64][64];
	uint64_t start[64], end[64], line[64], col[64], end_col[64];
	char fp[64][33];
	char redacted[64][256];
} got;

static int collect(const bb_finding *f, void *payload)
{
	got *g = payload;
	if (g->n < 64) {
		snprintf(g->id[g->n], sizeof g->id[0], "%s", f->sig->id);
		g->start[g->n] = f->secret_start;
		g->end[g->n] = f->secret_end;
		g->line[g->n] = f->line;
		g->col[g->n] = f->column;
		g->end_col[g->n] = f->end_column;
		memcpy(g->fp[g->n], f->fingerprint, 33);
		snprintf(g->redacted[g->n], sizeof g->redacted[0], "%s", f->redacted);
	}
	g->n++;
	return 0;
}

static got scan(const bb_ruleset *rs, const bb_filter *flt, const char *text, size_t n,
	const char *label)
{
	got g;
	memset(&g, 0, sizeof g);
	bb_scanner *s;
	if (bb_scanner_new(&s, rs, flt, NULL) < 0)
		exit(2);
	int rc = bb_scanner_scan_buffer(s, text, n, label, collect, &g);
	CHECK(rc == BB_OK, "scan_buffer returned %d", rc);
	bb_scanner_free(s);
	return g;
}

static const char TOKSIG[] =
	"{\"id\": \"test.token\", \"name\": \"Test token\", \"kind\": \"secret\","
	" \"severity\": \"high\", \"pattern\": \"\\\\b(tkn_[A-Za-z0-9]{20})\\\\b\","
	" \"secret_group\": 1, \"min_entropy\": 3.0}";

/* A token that passes the entropy check: tkn_ + 20 varied characters. */
static void token(char out[25], unsigned seed)
{
	static const char a[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	memcpy(out, "tkn_", 4);
	for (int i = 0; i < 20; i++) {
		seed = seed * 1103515245u + 12345u;
		out[4 + i] = a[(seed >> 16) % (sizeof a - 1)];
	}
	out[24] = '\0';
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_bad_signatures(void)
{
	static const struct { const char *doc; const char *want_id; const char *want_msg; } cases[] = {
		{ "{\"signatures\": [", "", "invalid JSON" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\", \"colour\": 1}]}", "a.b", "unknown field" },
		{ "{\"signatures\": [{\"id\": \"Bad Id\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\"}]}", "Bad Id", "not of the form" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"(abc)\\\\1\"}]}", "a.b", "Hyperscan rejects" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\", \"secret_group\": 2}]}", "a.b", "secret_group" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\", \"validator\": \"nope\"}]}", "a.b", "unknown validator" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"extreme\", \"pattern\": \"abc\"}]}", "a.b", "unknown value" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc(\"}]}", "a.b", "not a valid regex" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\"}, {\"id\": \"a.b\", \"name\": \"y\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abd\"}]}", "a.b", "duplicate" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\", \"window\": 10}]}", "a.b", "window" },
		{ "{\"signatures\": [{\"id\": \"a.b\", \"name\": \"x\", \"kind\": \"secret\", \"severity\": \"high\", \"pattern\": \"abc\", \"single_line\": true}]}", "a.b", "single_line" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bb_ruleset *rs = NULL;
		bb_diag d;
		write_file("bad.json", cases[i].doc, strlen(cases[i].doc));
		int rc = load(&rs, "bad.json", &d);
		CHECK(rc == BB_EBADRULE, "bad signature case %zu: rc %d, want BB_EBADRULE", i, rc);
		CHECK(!strcmp(d.id, cases[i].want_id), "bad signature case %zu: id '%s', want '%s'", i, d.id, cases[i].want_id);
		CHECK(strstr(d.file, "bad.json") != NULL, "bad signature case %zu: file '%s'", i, d.file);
		CHECK(strstr(d.message, cases[i].want_msg) != NULL, "bad signature case %zu: message '%s' lacks '%s'", i, d.message, cases[i].want_msg);
		CHECK(rs == NULL, "bad signature case %zu: ruleset returned", i);
	}
}

static void test_spans_lines_columns(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25], text[256];
	sigfile("tok.json", TOKSIG);
	CHECK(load(&rs, "tok.json", &d) == BB_OK, "load: %s", d.message);
	token(tok, 1);
	/* line 3; "héllo " is 6 code points but 7 bytes before the token */
	int n = snprintf(text, sizeof text, "one\r\ntwo\nh\xc3\xa9llo %s end\n", tok);
	got g = scan(rs, NULL, text, (size_t)n, "f.txt");
	CHECK(g.n == 1, "one finding, got %d", g.n);
	CHECK(!strcmp(g.id[0], "test.token"), "id %s", g.id[0]);
	CHECK(g.start[0] == 16 && g.end[0] == 40, "span %llu-%llu, want 16-40",
		(unsigned long long)g.start[0], (unsigned long long)g.end[0]);
	CHECK(g.line[0] == 3, "line %llu, want 3", (unsigned long long)g.line[0]);
	CHECK(g.col[0] == 7, "column %llu, want 7", (unsigned long long)g.col[0]);
	CHECK(g.end_col[0] == 30, "end column %llu, want 30", (unsigned long long)g.end_col[0]);
	CHECK(strstr(g.redacted[0], tok) == NULL, "redacted snippet leaks the token: %s", g.redacted[0]);
	CHECK(strstr(g.redacted[0], "end") != NULL, "snippet keeps context: %s", g.redacted[0]);
	/* fingerprint: same secret elsewhere -> same fingerprint */
	n = snprintf(text, sizeof text, "x = %s\n", tok);
	got g2 = scan(rs, NULL, text, (size_t)n, "other.txt");
	CHECK(g2.n == 1 && !strcmp(g.fp[0], g2.fp[0]), "fingerprint stable across locations");
	token(tok, 2);
	n = snprintf(text, sizeof text, "x = %s\n", tok);
	got g3 = scan(rs, NULL, text, (size_t)n, "other.txt");
	CHECK(g3.n == 1 && strcmp(g.fp[0], g3.fp[0]), "fingerprint differs for another secret");
	/* low entropy and placeholder tokens are not findings */
	const char *weak = "a = tkn_aaaaaaaaaaaaaaaaaaaa b = tkn_EXAMPLEEXAMPLEEXAMPLE\n";
	CHECK(scan(rs, NULL, weak, strlen(weak), NULL).n == 0, "weak tokens rejected");
	bb_ruleset_free(rs);
}

typedef struct check_log {
	char fails[8][64];
	int n, total;
} check_log;

static void on_check(const bb_signature *g, int ok, const char *msg, void *payload)
{
	check_log *l = payload;
	(void)msg;
	l->total++;
	if (!ok && l->n < 8)
		snprintf(l->fails[l->n++], sizeof l->fails[0], "%s", g->id);
}

static void test_check(void)
{
	bb_ruleset *rs;
	bb_diag d;
	check_log l = { { { 0 } }, 0, 0 };
	sigfile("ex.json",
		"{\"id\": \"t.a\", \"name\": \"A\", \"kind\": \"secret\", \"severity\": \"low\","
		" \"pattern\": \"AAA[0-9]{4}\", \"examples\": [\"x AAA1234\", [\"AAA\", \"9876\"]],"
		" \"negative_examples\": [\"AAA12\"]},"
		"{\"id\": \"t.b\", \"name\": \"B\", \"kind\": \"secret\", \"severity\": \"low\","
		" \"pattern\": \"BBB[0-9]{4}\", \"examples\": [\"BBB1234\", \"BBB12\"],"
		" \"negative_examples\": [\"BBB0000\"]},"
		"{\"id\": \"t.c\", \"name\": \"C\", \"kind\": \"secret\", \"severity\": \"low\","
		" \"pattern\": \"CCC[0-9]{4}\", \"examples\": [\"CCC1234\"], \"negative_examples\": [\"x\"]}");
	CHECK(load(&rs, "ex.json", &d) == BB_OK, "load: %s", d.message);
	int failed = bb_ruleset_check(rs, on_check, &l);
	CHECK(failed == 2, "check: %d failing signatures, want 2", failed);
	CHECK(l.total == 3, "check reported %d signatures, want 3", l.total);
	CHECK(l.n == 2 && !strcmp(l.fails[0], "t.b") && !strcmp(l.fails[1], "t.c"),
		"check failures: %s %s", l.fails[0], l.fails[1]);
	bb_ruleset_free(rs);
}

/* single_line: the search for a match starts at the line where the anchor ends,
 * not `window` bytes before; a match that would start on an earlier line is not
 * looked for (the signature promised there is none). */
static void test_single_line(void)
{
	bb_ruleset *rs;
	bb_diag d;
	sigfile("line.json",
		"{\"id\": \"t.line\", \"name\": \"L\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"anchor\": \"qux_secret[ \\\\t]*=\", \"window\": 120, \"single_line\": true, \"flags\": \"m\","
		" \"pattern\": \"(?:^begin\\\\s+|^[a-z]{2,20}_)qux_secret[ \\\\t]*=[ \\\\t]*([A-Za-z0-9]{10})\","
		" \"secret_group\": 1},"
		"{\"id\": \"t.multi\", \"name\": \"M\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"anchor\": \"zap_secret[ \\\\t]*=\", \"window\": 120, \"flags\": \"m\","
		" \"pattern\": \"^begin\\\\s+zap_secret[ \\\\t]*=[ \\\\t]*([A-Za-z0-9]{10})\","
		" \"secret_group\": 1}");
	CHECK(load(&rs, "line.json", &d) == BB_OK, "load: %s", d.message);
	/* the match starts exactly at the anchor's line start (^), after other lines */
	const char *a = "some text before\nmore = text\nmy_qux_secret = Qw3rTy9UiO\n";
	got g = scan(rs, NULL, a, strlen(a), NULL);
	CHECK(g.n == 1 && !strcmp(g.id[0], "t.line") && g.line[0] == 3,
		"single-line match at its line start: %d findings", g.n);
	/* one starting on the line before: found only without single_line */
	const char *b = "begin\nzap_secret = Qw3rTy9UiO\n";
	g = scan(rs, NULL, b, strlen(b), NULL);
	CHECK(g.n == 1 && !strcmp(g.id[0], "t.multi"), "multi-line match: %d findings", g.n);
	const char *c = "begin\nqux_secret = Qw3rTy9UiO\n";
	g = scan(rs, NULL, c, strlen(c), NULL);
	CHECK(g.n == 0, "single-line match not looked for before its line: %d findings", g.n);
	bb_ruleset_free(rs);
}

static void test_context_anchor_overlap(void)
{
	bb_ruleset *rs;
	bb_diag d;
	sigfile("ctx.json",
		"{\"id\": \"t.npi\", \"name\": \"N\", \"kind\": \"phi\", \"severity\": \"low\","
		" \"pattern\": \"\\\\b([0-9]{6})\\\\b\", \"secret_group\": 1, \"placeholders\": false,"
		" \"context\": {\"keywords\": [\"NPI\"], \"before\": 20}},"
		"{\"id\": \"t.anch\", \"name\": \"Anch\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"anchor\": \"(?i:zorblax)\", \"window\": 40,"
		" \"pattern\": \"(?i:zorblax)[^\\\\n]{0,20}?[=:]\\\\s*(?=[A-Za-z0-9]{10})([A-Za-z0-9]{10})\","
		" \"secret_group\": 1},"
		"{\"id\": \"t.generic\", \"name\": \"G\", \"kind\": \"secret\", \"severity\": \"medium\","
		" \"generic\": true, \"pattern\": \"key=([A-Za-z0-9_]{8,40})\", \"secret_group\": 1},"
		"{\"id\": \"t.specific\", \"name\": \"S\", \"kind\": \"secret\", \"severity\": \"medium\","
		" \"pattern\": \"\\\\b(spc_[A-Za-z0-9]{8})\\\\b\", \"secret_group\": 1}");
	CHECK(load(&rs, "ctx.json", &d) == BB_OK, "load: %s", d.message);
	const char *a = "npi: 482910\nzip code of the office is 482910\n";
	got g = scan(rs, NULL, a, strlen(a), NULL);
	CHECK(g.n == 1 && g.line[0] == 1, "context keyword: %d findings (want 1 on line 1)", g.n);
	const char *b = "ZORBLAX_TOKEN = Qw3rTy9UiO\nother = Qw3rTy9UiO\n";
	g = scan(rs, NULL, b, strlen(b), NULL);
	CHECK(g.n == 1 && !strcmp(g.id[0], "t.anch"), "anchored lookahead pattern: %d findings", g.n);
	/* the anchor is there but the value lies beyond the window */
	const char *c = "zorblax                                                        = Qw3rTy9UiO\n";
	g = scan(rs, NULL, c, strlen(c), NULL);
	CHECK(g.n == 0, "match beyond the anchor window: %d findings", g.n);
	const char *e = "key=spc_Ab3dE7gH\n";
	g = scan(rs, NULL, e, strlen(e), NULL);
	CHECK(g.n == 1 && !strcmp(g.id[0], "t.specific"), "specific beats generic: %d findings, first %s", g.n, g.id[0]);
	bb_ruleset_free(rs);
}

static void test_cache(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char cache[300], tok[25], text[64];
	sigfile("tok.json", TOKSIG);
	snprintf(cache, sizeof cache, "%s/cache", tmp);
	const char *paths[1] = { tpath("tok.json") };
	bb_ruleset_options o = { .paths = paths, .n_paths = 1, .no_builtin = 1, .cache_dir = cache };
	token(tok, 7);
	int n = snprintf(text, sizeof text, "v=%s\n", tok);
	for (int round = 0; round < 3; round++) {
		CHECK(bb_ruleset_load(&rs, &o, &d) == BB_OK, "cache round %d: %s", round, d.message);
		int want = round == 1;
		CHECK(bb_ruleset_from_cache(rs) == want, "cache round %d: from_cache %d, want %d",
			round, bb_ruleset_from_cache(rs), want);
		CHECK(scan(rs, NULL, text, (size_t)n, NULL).n == 1, "cache round %d finds the token", round);
		bb_ruleset_free(rs);
		if (round == 1) { /* corrupt every cache file: the next load must rebuild */
			DIR *dir = opendir(cache);
			struct dirent *e;
			while (dir && (e = readdir(dir))) {
				if (e->d_name[0] == '.')
					continue;
				char p[600];
				snprintf(p, sizeof p, "%s/%s", cache, e->d_name);
				int fd = open(p, O_WRONLY);
				CHECK(fd >= 0 && pwrite(fd, "garbage!", 8, 60) == 8, "corrupting %s", p);
				close(fd);
			}
			if (dir)
				closedir(dir);
		}
	}
}

/* Feeds text in pieces of `piece` bytes through a stream. */
static got stream(const bb_ruleset *rs, const char *text, size_t n, size_t piece)
{
	got g;
	memset(&g, 0, sizeof g);
	bb_scanner *s;
	bb_scanner_new(&s, rs, NULL, NULL);
	CHECK(bb_stream_begin(s, "s", collect, &g) == BB_OK, "stream begin");
	for (size_t at = 0; at < n; at += piece)
		bb_stream_feed(s, text + at, piece < n - at ? piece : n - at);
	CHECK(bb_stream_end(s) == BB_OK, "stream end");
	bb_scanner_free(s);
	return g;
}

static void test_streams(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25];
	sigfile("tok.json", TOKSIG);
	CHECK(load(&rs, "tok.json", &d) == BB_OK, "load: %s", d.message);
	/* 9 MiB of filler in 100-byte lines, with tokens straddling the first two
	 * reporting boundaries of the stream (4 MiB, then 8 MiB less the overlap it
	 * keeps) and one at the very end */
	size_t n = 9u << 20;
	char *text = malloc(n);
	for (size_t i = 0; i < n; i++)
		text[i] = i % 100 == 99 ? '\n' : i % 8 == 0 ? ' ' : (char)('a' + i % 7);
	const size_t at[] = { (4u << 20) - 3, (8u << 20) - 24576 - 5, n - 24 };
	for (int k = 0; k < 3; k++) {
		token(tok, 100 + (unsigned)k);
		text[at[k] - 1] = ' ';
		memcpy(text + at[k], tok, 24);
		if (at[k] + 24 < n)
			text[at[k] + 24] = ' ';
	}
	size_t pieces[] = { n, 65536, 4093 };
	for (int p = 0; p < 3; p++) {
		got g = stream(rs, text, n, pieces[p]);
		CHECK(g.n == 3, "stream piece %zu: %d findings, want 3", pieces[p], g.n);
		for (int k = 0; k < 3 && k < g.n; k++) {
			CHECK(g.start[k] == at[k], "stream piece %zu: finding %d at %llu, want %zu",
				pieces[p], k, (unsigned long long)g.start[k], at[k]);
			CHECK(g.line[k] == at[k] / 100 + 1, "stream piece %zu: line %llu, want %zu",
				pieces[p], (unsigned long long)g.line[k], at[k] / 100 + 1);
		}
	}
	/* byte by byte over a small input */
	char small[128];
	token(tok, 5);
	int m = snprintf(small, sizeof small, "first line\nkey %s tail\n", tok);
	got g = stream(rs, small, (size_t)m, 1);
	CHECK(g.n == 1 && g.start[0] == 15 && g.line[0] == 2, "byte-wise stream: n=%d", g.n);
	free(text);
	bb_ruleset_free(rs);
}

static void test_many_hits(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25];
	/* no entropy or placeholder checks: every generated token must count */
	sigfile("many.json", "{\"id\": \"test.token\", \"name\": \"T\", \"kind\": \"secret\","
		" \"severity\": \"high\", \"pattern\": \"\\\\btkn_[A-Za-z0-9]{20}\\\\b\","
		" \"placeholders\": false}");
	CHECK(load(&rs, "many.json", &d) == BB_OK, "load: %s", d.message);
	/* 100,000 tokens far enough apart to be separate clusters: more than the hit
	 * vector holds at once, so the scan resumes and must still find each once */
	size_t count = 100000, stride = 64, n = count * stride;
	char *text = malloc(n);
	memset(text, ' ', n);
	for (size_t i = 0; i < count; i++) {
		token(tok, (unsigned)i);
		memcpy(text + i * stride + 8, tok, 24);
		text[i * stride + stride - 1] = '\n';
	}
	bb_scanner *s;
	bb_scanner_new(&s, rs, NULL, NULL);
	got g;
	memset(&g, 0, sizeof g);
	int rc = bb_scanner_scan_buffer(s, text, n, NULL, collect, &g);
	size_t found = (size_t)g.n;
	CHECK(rc == BB_OK && found == count, "many hits: %zu findings, want %zu", found, count);
	bb_scanner_free(s);
	free(text);
	bb_ruleset_free(rs);
}

static void test_filters(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25], tok2[25], text[256];
	sigfile("tok.json", TOKSIG);
	CHECK(load(&rs, "tok.json", &d) == BB_OK, "load: %s", d.message);
	token(tok, 11);
	token(tok2, 12);
	int n = snprintf(text, sizeof text, "a=%s\nb=%s # blackbar:allow\nc=%s # blackbar:allow other.id\n"
		"d=%s # blackbar:allow: test.token, x.y\n", tok, tok, tok2, tok2);
	got g = scan(rs, NULL, text, (size_t)n, "src/app.py");
	CHECK(g.n == 2 && g.line[0] == 1 && g.line[1] == 3, "inline allow: %d findings", g.n);
	char fp[33];
	snprintf(fp, sizeof fp, "%s", g.fp[0]);

	bb_filter *f;
	bb_filter_new(&f);
	CHECK(bb_filter_allow_fingerprint(f, fp) == BB_OK, "allow fingerprint");
	CHECK(bb_filter_allow_fingerprint(f, "xyz") == BB_EINVAL, "bad fingerprint rejected");
	g = scan(rs, f, text, (size_t)n, "src/app.py");
	CHECK(g.n == 1 && g.line[0] == 3, "fingerprint allowlist: %d findings", g.n);
	bb_filter_free(f);

	bb_filter_new(&f);
	bb_filter_allow_path(f, "tests/**", NULL);
	bb_filter_allow_path(f, "*.md", "test.token");
	CHECK(scan(rs, f, text, (size_t)n, "tests/x/app.py").n == 0, "path allowlist (all)");
	CHECK(scan(rs, f, text, (size_t)n, "docs/a/b.md").n == 0, "path allowlist (by id, basename glob)");
	CHECK(scan(rs, f, text, (size_t)n, "src/app.py").n == 2, "path allowlist leaves others");
	bb_filter_free(f);

	bb_filter_new(&f);
	char re[64];
	snprintf(re, sizeof re, "^%.10s", tok2);
	CHECK(bb_filter_allow_secret_regex(f, re, &d) == BB_OK, "secret regex");
	CHECK(bb_filter_allow_secret_regex(f, "([", &d) == BB_EINVAL, "bad secret regex rejected");
	g = scan(rs, f, text, (size_t)n, NULL);
	CHECK(g.n == 1 && g.line[0] == 1, "secret regex allowlist: %d findings", g.n);
	bb_filter_allow_signature(f, "test.");
	CHECK(scan(rs, f, text, (size_t)n, NULL).n == 0, "signature family allowlist");
	bb_filter_free(f);

	/* config file */
	const char *cfg = "{\"exclude\": [\"build/\"], \"allow\": {\"paths\": [{\"path\": \"fixtures/**\","
		" \"signatures\": [\"test.token\"]}], \"signatures\": [], \"fingerprints\": []}}";
	write_file("cfg.json", cfg, strlen(cfg));
	bb_filter_new(&f);
	CHECK(bb_filter_load_config(f, tpath("cfg.json"), &d) == BB_OK, "config: %s", d.message);
	CHECK(scan(rs, f, text, (size_t)n, "fixtures/a.txt").n == 0, "config path allow");
	bb_filter_free(f);
	const char *bad = "{\"allow\": {\"pathz\": []}}";
	write_file("cfg.json", bad, strlen(bad));
	bb_filter_new(&f);
	CHECK(bb_filter_load_config(f, tpath("cfg.json"), &d) == BB_EINVAL &&
		strstr(d.message, "pathz"), "config typo reported: %s", d.message);
	bb_filter_free(f);
	bb_ruleset_free(rs);
}

typedef struct sink {
	char *buf;
	size_t n, cap;
} sink;

static int sink_write(const void *p, size_t n, void *payload)
{
	sink *s = payload;
	if (s->n + n > s->cap) {
		s->cap = (s->n + n) * 2;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->n, p, n);
	s->n += n;
	return 0;
}

static void test_redactor(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25];
	sigfile("tok.json", TOKSIG);
	CHECK(load(&rs, "tok.json", &d) == BB_OK, "load: %s", d.message);
	/* 600 KiB with tokens near the redactor's region boundaries and at the end */
	size_t n = 600 * 1024;
	char *in = malloc(n), *want = malloc(n + 4096);
	for (size_t i = 0; i < n; i++)
		in[i] = i % 50 == 49 ? '\n' : 'x';
	size_t at[] = { 10, 256 * 1024 - 5, 512 * 1024 + 3, n - 24 };
	for (int k = 0; k < 4; k++) {
		token(tok, 900 + (unsigned)k);
		in[at[k] - 1] = ' ';
		memcpy(in + at[k], tok, 24);
		if (at[k] + 24 < n)
			in[at[k] + 24] = ' ';
	}
	size_t w = 0, prev = 0;
	for (int k = 0; k < 4; k++) {
		memcpy(want + w, in + prev, at[k] - prev);
		w += at[k] - prev;
		w += (size_t)sprintf(want + w, "[REDACTED:test.token]");
		prev = at[k] + 24;
	}
	memcpy(want + w, in + prev, n - prev);
	w += n - prev;
	size_t pieces[] = { n, 1000, 7 };
	for (int p = 0; p < 3; p++) {
		bb_scanner *s;
		bb_redactor *r;
		sink out = { NULL, 0, 0 };
		bb_scanner_new(&s, rs, NULL, NULL);
		bb_redactor_new(&r, s, sink_write, &out);
		for (size_t i = 0; i < n; i += pieces[p])
			bb_redactor_feed(r, in + i, pieces[p] < n - i ? pieces[p] : n - i);
		long count = bb_redactor_finish(r);
		CHECK(count == 4, "redactor piece %zu: %ld redactions, want 4", pieces[p], count);
		CHECK(out.n == w && !memcmp(out.buf, want, w), "redactor piece %zu: output differs "
			"(%zu bytes, want %zu)", pieces[p], out.n, w);
		bb_redactor_free(r);
		bb_scanner_free(s);
		free(out.buf);
	}
	free(in);
	free(want);
	bb_ruleset_free(rs);
}

static void test_paths_and_walk(void)
{
	bb_ruleset *rs;
	bb_diag d;
	char tok[25], text[64];
	sigfile("tok.json", TOKSIG);
	sigfile("all.json",
		"{\"id\": \"t.env\", \"name\": \"Env file\", \"kind\": \"sensitive-file\","
		" \"severity\": \"medium\", \"path\": \"(?:^|/)\\\\.env(?:\\\\.[^/]*)?$\","
		" \"path_exclude\": \"\\\\.example$\"}");
	const char *paths[2] = { tpath("tok.json"), tpath("all.json") };
	bb_ruleset_options o = { .paths = paths, .n_paths = 2, .no_builtin = 1, .no_cache = 1 };
	CHECK(bb_ruleset_load(&rs, &o, &d) == BB_OK, "load: %s", d.message);
	char root[300];
	snprintf(root, sizeof root, "%s/tree", tmp);
	mkdir(root, 0700);
	token(tok, 31);
	int n = snprintf(text, sizeof text, "T=%s\n", tok);
	const char *files[] = { "tree/.env", "tree/.env.example", "tree/a/b/c.txt",
		"tree/build/out.txt", "tree/.git/config" };
	mkdir(tpath("tree/a"), 0700);
	mkdir(tpath("tree/a/b"), 0700);
	mkdir(tpath("tree/build"), 0700);
	mkdir(tpath("tree/.git"), 0700);
	for (size_t i = 0; i < 5; i++)
		write_file(files[i], text, (size_t)n);
	write_file("tree/bin.dat", "\0\1\2tkn_", 8);
	CHECK(mkfifo(tpath("tree/fifo"), 0600) == 0, "mkfifo");
	CHECK(symlink("..", tpath("tree/a/loop")) == 0, "symlink");
	bb_filter *f;
	bb_filter_new(&f);
	bb_filter_exclude_path(f, "build");
	got g;
	memset(&g, 0, sizeof g);
	bb_walk_callbacks cbs = { collect, NULL, NULL, &g };
	bb_walk_stats st;
	const char *roots[1] = { root };
	for (int follow = 0; follow < 2; follow++) {
		memset(&g, 0, sizeof g);
		bb_walk_options wo;
		bb_walk_options_init(&wo);
		wo.threads = 3;
		wo.follow_symlinks = follow;
		CHECK(bb_walk(rs, f, NULL, &wo, roots, 1, &cbs, &st) == BB_OK, "walk");
		int env = 0, tokens = 0;
		for (int i = 0; i < g.n && i < 64; i++) {
			env += !strcmp(g.id[i], "t.env");
			tokens += !strcmp(g.id[i], "test.token");
		}
		/* .env, .env.example, a/b/c.txt hold tokens; build/ excluded; .git skipped;
		 * .env.example is not a sensitive file; with links followed, a/loop leads
		 * back to the tree, which is not walked twice */
		CHECK(env == 1 && tokens == 3, "walk follow=%d: %d env, %d tokens (want 1, 3)",
			follow, env, tokens);
		CHECK(st.files_skipped == 1, "walk follow=%d: %llu skipped (the binary file)",
			follow, (unsigned long long)st.files_skipped);
	}
	bb_filter_free(f);
	bb_ruleset_free(rs);
}

static void rm_rf(const char *path)
{
	char *cmd;
	if (asprintf(&cmd, "rm -rf '%s'", path) >= 0) {
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", path);
		free(cmd);
	}
}

/* bb_ruleset_options.only_ids compiles a subset; bb_scanner_profile counts per
 * signature what the prefilter handed on, what matched and what was reported. */
static void test_subset_and_profile(void)
{
	bb_ruleset *rs = NULL;
	bb_diag d;
	sigfile("sub.json",
		"{\"id\": \"s.one\", \"name\": \"1\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"pattern\": \"\\\\bone_[a-z]{6}\\\\b\"},"
		"{\"id\": \"s.two\", \"name\": \"2\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"pattern\": \"\\\\btwo_[0-9]{6}\\\\b\", \"placeholders\": false},"
		"{\"id\": \"x.three\", \"name\": \"3\", \"kind\": \"secret\", \"severity\": \"high\","
		" \"pattern\": \"\\\\bthree_[A-Z]{6}\\\\b\"}");
	const char *paths[1] = { tpath("sub.json") };
	const char *text = "one_qwerty two_482913 three_ZXCVBN one_ABCDEF two_481\n";
	struct { const char *ids[2]; size_t n; size_t want; const char *first; } cases[] = {
		{ { "s.two" }, 1, 1, "s.two" },
		{ { "s." }, 1, 2, "s.one" },
		{ { "x.three", "s.one" }, 2, 2, "s.one" },
		{ { "\x01" }, 1, 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		bb_ruleset_options o = { .paths = paths, .n_paths = 1, .no_builtin = 1,
			.only_ids = cases[i].ids, .n_only_ids = cases[i].n };
		memset(&d, 0, sizeof d);
		int rc = bb_ruleset_load(&rs, &o, &d);
		CHECK(rc == BB_OK, "only_ids case %zu: load %d %s", i, rc, d.message);
		if (rc != BB_OK)
			continue;
		CHECK(bb_ruleset_count(rs) == cases[i].want, "only_ids case %zu: %zu signatures, want %zu",
			i, bb_ruleset_count(rs), cases[i].want);
		CHECK(!bb_ruleset_from_cache(rs), "only_ids case %zu: a subset is never cached", i);
		got g = scan(rs, NULL, text, strlen(text), NULL);
		CHECK((size_t)g.n == cases[i].want, "only_ids case %zu: %d findings, want %zu", i, g.n,
			cases[i].want);
		if (cases[i].first && g.n)
			CHECK(!strcmp(g.id[0], cases[i].first), "only_ids case %zu: first finding %s", i, g.id[0]);
		bb_ruleset_free(rs);
		rs = NULL;
	}

	CHECK(load(&rs, "sub.json", &d) == BB_OK, "load: %s", d.message);
	bb_scanner *sc = NULL;
	CHECK(bb_scanner_new(&sc, rs, NULL, NULL) == BB_OK, "scanner");
	bb_sig_stats st;
	got g = { 0 };
	bb_scanner_scan_buffer(sc, text, strlen(text), NULL, collect, &g);
	bb_scanner_sig_stats(sc, 0, &st);
	CHECK(st.candidates == 0 && st.findings == 0, "profiling off: counters stay zero");
	CHECK(bb_scanner_profile(sc, 1) == BB_OK, "profile on");
	for (int k = 0; k < 2; k++) /* twice: the counters add up */
		bb_scanner_scan_buffer(sc, text, strlen(text), NULL, collect, &g);
	long one = bb_ruleset_find(rs, "s.one"), two = bb_ruleset_find(rs, "s.two");
	bb_scanner_sig_stats(sc, (size_t)one, &st);
	/* s.one: the prefilter is the pattern itself, so one candidate per match */
	CHECK(st.candidates == 2 && st.matches == 2 && st.findings == 2 && st.confirm_ns > 0,
		"s.one profile: candidates %llu matches %llu findings %llu ns %llu",
		(unsigned long long)st.candidates, (unsigned long long)st.matches,
		(unsigned long long)st.findings, (unsigned long long)st.confirm_ns);
	bb_scanner_sig_stats(sc, (size_t)two, &st);
	CHECK(st.findings == 2, "s.two profile: findings %llu", (unsigned long long)st.findings);
	bb_scanner_sig_stats(sc, 99, &st);
	CHECK(st.candidates == 0 && st.findings == 0, "out-of-range index: zeroes");
	CHECK(bb_scanner_profile(sc, 1) == BB_OK, "profile again");
	bb_scanner_sig_stats(sc, (size_t)one, &st);
	CHECK(st.findings == 0, "turning profiling on again zeroes the counters");
	bb_scanner_free(sc);
	bb_ruleset_free(rs);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "%s/bb-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 2;
	}
	test_bad_signatures();
	test_spans_lines_columns();
	test_check();
	test_context_anchor_overlap();
	test_single_line();
	test_cache();
	test_streams();
	test_many_hits();
	test_filters();
	test_redactor();
	test_paths_and_walk();
	test_subset_and_profile();
	rm_rf(tmp);
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
