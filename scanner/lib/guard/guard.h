/*
 * guard: decisions about an agent's tool calls (see blackbar.h, "Agent guard").
 *
 *   guard.c   files, text, redaction; verdicts from findings and the policy
 *   shell.c   shell commands: split into simple commands, find the ones that
 *             print sensitive files or stored credentials
 *   policy.c  defaults, the "policy" object of config files, the audit log
 *
 * A guard owns one scanner (it is used by one thread) and borrows the ruleset,
 * the filter and nothing else.
 */
#ifndef BB_GUARD_H
#define BB_GUARD_H

#include "../match/scanner.h"

struct bb_guard {
	const bb_ruleset *rs;
	const bb_filter *filter;
	bb_policy policy;
	bb_scanner *s;
	bb_verdict *v;           /* verdict being filled by the finding callback */
	struct span *spans;      /* bb_guard_redact: secret spans found */
	size_t n_spans, cap_spans;
	uint64_t range_first, range_last, line_offset; /* bb_guard_file with a range */
};

/* Adds a finding to the verdict in g->v (finding callback). */
int bb_guard__on_finding(const bb_finding *f, void *payload);
/* Records a reason in v->command (first one wins) and raises the action. */
void bb_guard__command_reason(bb_guard *g, bb_verdict *v, bb_action a, const char *fmt, ...)
	BB_PRINTF(4, 5);
/* The file a command reads: name rules, then content (small regular files). The
 * verb ("cat") goes into the reason. */
int bb_guard__command_reads(bb_guard *g, bb_verdict *v, const char *verb, const char *arg,
	const char *cwd);

/* shell.c: analyses cmd, adding to v. */
int bb_guard__shell(bb_guard *g, const char *cmd, const char *cwd, bb_verdict *v, int depth);

#endif
