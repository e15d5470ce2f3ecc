/*
 * check.c: `blackbar signatures check`. Every signature's examples go through a
 * real scan (the whole ruleset, every check: entropy, validators, placeholders,
 * context, overlaps), so an example passes only if blackbar as shipped reports it.
 * Examples are re-read from the signature sources; the compiled set does not keep
 * them.
 */
#include "../match/scanner.h"

#include <stdlib.h>
#include <string.h>

typedef struct check_ctx {
	const bb_ruleset *rs;
	bb_scanner *s;
	bb_check_cb report;
	void *payload;
	long sig;             /* signature being checked, -1 before the first */
	int n_pos, n_neg, ok, found, failures;
	char msg[512];
} check_ctx;

static int on_finding(const bb_finding *f, void *payload)
{
	check_ctx *c = payload;
	if ((long)f->sig_index == c->sig)
		c->found = 1;
	return 0;
}

static void flush(check_ctx *c)
{
	if (c->sig < 0)
		return;
	if (c->ok && (c->n_pos < 2 || c->n_neg < 1)) {
		c->ok = 0;
		snprintf(c->msg, sizeof c->msg, "needs at least 2 examples and 1 negative "
			"example (has %d and %d)", c->n_pos, c->n_neg);
	}
	c->failures += !c->ok;
	c->report(&c->rs->sigs[c->sig].pub, c->ok, c->ok ? "" : c->msg, c->payload);
	c->sig = -1;
}

/* A short, printable rendering of an example for messages. */
static void describe(char *out, size_t cap, const unsigned char *t, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < cap && i < 90; i++) {
		unsigned char ch = t[i];
		if (ch == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
		else if (ch < 0x20 || ch >= 0x7f) out[o++] = '?';
		else out[o++] = (char)ch;
	}
	if (n > 90 && o + 4 < cap) { memcpy(out + o, "...", 3); o += 3; }
	out[o] = '\0';
}

static int on_example(const char *id, int positive, const unsigned char *text, size_t len,
	int is_path, void *payload)
{
	check_ctx *c = payload;
	long idx = bb_ruleset_find(c->rs, id);
	if (idx != c->sig) {
		flush(c);
		c->sig = idx;
		c->n_pos = c->n_neg = 0;
		c->ok = 1;
	}
	if (idx < 0 || !text)
		return BB_OK;
	positive ? c->n_pos++ : c->n_neg++;
	c->found = 0;
	int rc;
	if (is_path) {
		char *p = bb_strndup((const char *)text, len);
		if (!p)
			return BB_ENOMEM;
		rc = bb_scanner_scan_path(c->s, p, on_finding, c);
		free(p);
	} else {
		rc = bb_scanner_scan_buffer(c->s, text, len, NULL, on_finding, c);
	}
	if (rc < 0)
		return rc;
	if (c->ok && c->found != positive) {
		char ex[128];
		describe(ex, sizeof ex, text, len);
		c->ok = 0;
		snprintf(c->msg, sizeof c->msg, "%s %d %s: %s",
			positive ? "example" : "negative example", positive ? c->n_pos : c->n_neg,
			positive ? "is not detected" : "is detected", ex);
	}
	return BB_OK;
}

int bb_ruleset_check(const bb_ruleset *rs, bb_check_cb report, void *payload)
{
	check_ctx c = { rs, NULL, report, payload, -1, 0, 0, 0, 0, 0, { 0 } };
	bb_diag diag;
	int rc = bb_scanner_new(&c.s, rs, NULL, NULL);
	for (size_t i = 0; rc == BB_OK && i < rs->n_sources; i++)
		rc = bb_rules__each_example(&rs->sources[i], on_example, &c, &diag);
	if (rc == BB_OK)
		flush(&c);
	bb_scanner_free(c.s);
	return rc < 0 ? rc : c.failures;
}
