/*
 * claude.c: the Claude Code hook adapter (`blackbar hook claude`).
 *
 * Protocol (Claude Code hooks; see README "Agent hook"): one event as JSON on
 * stdin; the answer as JSON on stdout with exit 0; exit 2 with a one-line reason
 * on stderr only when no JSON answer can be produced. It never answers "allow":
 * no decision leaves the call to Claude Code's own permission rules.
 *
 *   PreToolUse          deny (or ask) reads of sensitive files or of content
 *                       holding secrets, writes that hardcode secrets, commands
 *                       that carry secrets or print stored credentials, and
 *                       secrets in URLs, queries and MCP arguments; optionally
 *                       rewrite Bash to run under `blackbar redact --`
 *   PostToolUse         updatedToolOutput: the tool's own output object with
 *                       every string redacted in place (so its shape is the
 *                       tool's shape, for any tool); MCP output also through
 *                       updatedMCPToolOutput for versions before 2.1.121
 *   PostToolUseFailure  additionalContext (the output cannot be replaced)
 *   UserPromptSubmit    block prompts holding secrets or @-attaching sensitive
 *                       files, with suppressOriginalPrompt
 *
 * Failing closed: any error (bad input, a signature set that does not load, out
 * of memory) denies the call, blocks the prompt, or withholds the output.
 * No text this adapter writes contains a secret: reasons name signatures and
 * paths only, and every string it writes is passed through the redactor once
 * more before it leaves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../hooks.h"

#define MAX_INPUT (512u << 20)        /* larger events are refused (exit 2) */
#define BASH_INLINE_MAX 30000         /* Claude Code shows this much Bash output inline */
#define PERSISTED_MAX (64u << 20)

typedef struct ctx {
	const hook_env *env;
	bb_ruleset *rs;
	bb_filter *filter;
	bb_policy policy;
	bb_guard *g;
	cJSON *in;
	const char *event, *tool, *session, *cwd;
	cJSON *out;
	bb_verdict acc;          /* everything found in this event */
} ctx;

/* ---- small helpers ------------------------------------------------------------------- */

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void merge(bb_verdict *acc, const bb_verdict *v)
{
	for (size_t i = 0; i < v->n && i < BB_VERDICT_ITEMS; i++) {
		int dup = 0;
		for (size_t j = 0; j < acc->n && j < BB_VERDICT_ITEMS; j++)
			dup |= !strcmp(acc->items[j].fingerprint, v->items[i].fingerprint);
		if (dup)
			continue;
		if (acc->n < BB_VERDICT_ITEMS)
			acc->items[acc->n] = v->items[i];
		acc->n++;
	}
	if (v->action > acc->action)
		acc->action = v->action;
	acc->sensitive_file |= v->sensitive_file;
	if (!acc->command[0] && v->command[0])
		memcpy(acc->command, v->command, sizeof acc->command);
}

/* "GitHub personal access token (classic) (github.pat-classic)" and up to two
 * more, for reasons. */
static void names(const bb_verdict *v, char *out, size_t n)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->n && i < BB_VERDICT_ITEMS && i < 3 && at < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(v->items[j].id, v->items[i].id);
		if (dup)
			continue;
		at += (size_t)snprintf(out + at, n - at, "%s%s (%s)", at ? ", " : "", v->items[i].name,
			v->items[i].id);
	}
	if (v->n > 3 && at < n)
		snprintf(out + at, n - at, " and %zu more", v->n - 3);
}

/* A string this adapter writes, once more through the redactor: nothing the
 * scanner recognises ever leaves in a reason or a message. */
static cJSON *safe_string(ctx *c, const char *s)
{
	char *out = NULL;
	size_t n;
	bb_verdict v;
	if (c->g && bb_guard_redact(c->g, s, strlen(s), &out, &n, &v) == BB_OK) {
		cJSON *j = cJSON_CreateString(out ? out : s);
		free(out);
		return j;
	}
	return cJSON_CreateString(c->g ? "[message withheld]" : s);
}

static cJSON *hso(ctx *c)
{
	cJSON *h = cJSON_GetObjectItemCaseSensitive(c->out, "hookSpecificOutput");
	if (!h) {
		h = cJSON_AddObjectToObject(c->out, "hookSpecificOutput");
		cJSON_AddStringToObject(h, "hookEventName", c->event);
	}
	return h;
}

/* A string this adapter writes to its audit log, through the redactor (a path can
 * hold a token). malloc'd; NULL for NULL. */
static char *safe_copy(ctx *c, const char *s)
{
	char *out = NULL;
	size_t n;
	bb_verdict v;
	if (!s)
		return NULL;
	if (!c->g || bb_guard_redact(c->g, s, strlen(s), &out, &n, &v) < 0)
		return strdup("[withheld]");
	return out ? out : strdup(s);
}

static void audit(ctx *c, const char *decision, const char *path)
{
	if (!c->policy.audit_log[0])
		return;
	char *p = safe_copy(c, path), *reason = safe_copy(c, c->acc.command);
	bb_verdict v = c->acc;
	snprintf(v.command, sizeof v.command, "%s", reason ? reason : "");
	bb_audit_append(&c->policy, "claude-code", c->session, c->event, c->tool, decision, p, &v);
	free(p);
	free(reason);
}

/* ---- answers ------------------------------------------------------------------------- */

static void pre_decision(ctx *c, bb_action a, const char *reason, const char *path)
{
	cJSON *h = hso(c);
	const char *d = a == BB_ACTION_ASK ? "ask" : "deny";
	cJSON_AddStringToObject(h, "permissionDecision", d);
	cJSON_AddItemToObject(h, "permissionDecisionReason", safe_string(c, reason));
	audit(c, d, path);
}

static void prompt_block(ctx *c, const char *reason)
{
	cJSON_AddStringToObject(c->out, "decision", "block");
	cJSON_AddItemToObject(c->out, "reason", safe_string(c, reason));
	cJSON_AddBoolToObject(hso(c), "suppressOriginalPrompt", 1);
	audit(c, "block", NULL);
}

static void add_context(ctx *c, const char *text)
{
	cJSON_AddItemToObject(hso(c), "additionalContext", safe_string(c, text));
}

/* ---- failing closed ------------------------------------------------------------------ */

/* Every string value in the tree becomes `notice`: the shape stays the tool's. */
static void withhold_tree(cJSON *n, const char *notice)
{
	cJSON *it;
	if (cJSON_IsString(n))
		cJSON_SetValuestring(n, notice);
	cJSON_ArrayForEach(it, n)
		withhold_tree(it, notice);
}

static void fail_closed(ctx *c, const char *why)
{
	char msg[512];
	cJSON_Delete(c->out);
	c->out = cJSON_CreateObject();
	bb_guard_free(c->g);
	c->g = NULL; /* the guard may be what failed: do not use it for messages */
	if (!strcmp(c->event, "PreToolUse")) {
		snprintf(msg, sizeof msg, "blackbar could not check this tool call (%s), so it "
			"was blocked to be safe. Tell the user; do not retry it another way.", why);
		pre_decision(c, BB_ACTION_DENY, msg, NULL);
	} else if (!strcmp(c->event, "UserPromptSubmit")) {
		snprintf(msg, sizeof msg, "blackbar could not check this prompt (%s), so it was "
			"not sent.", why);
		prompt_block(c, msg);
	} else if (!strcmp(c->event, "PostToolUse")) {
		cJSON *resp = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->in, "tool_response"), 1);
		snprintf(msg, sizeof msg, "[output withheld: blackbar could not check it (%s)]", why);
		if (resp) {
			withhold_tree(resp, msg);
			if (cJSON_IsString(resp) || !cJSON_IsObject(resp) || cJSON_GetArraySize(resp))
				cJSON_AddItemToObject(hso(c), "updatedToolOutput", resp);
			else
				cJSON_Delete(resp);
		}
		cJSON_AddStringToObject(hso(c), "additionalContext", msg);
		audit(c, "withhold", NULL);
	} else if (!strcmp(c->event, "PostToolUseFailure")) {
		snprintf(msg, sizeof msg, "blackbar could not check this output (%s). Treat any "
			"credential in it as secret: do not repeat or use it.", why);
		cJSON_AddStringToObject(hso(c), "additionalContext", msg);
	}
}

/* ---- PreToolUse --------------------------------------------------------------------- */

static int json_uint(const cJSON *o, const char *k, uint64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	*out = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0)
		return -1;
	/* beyond 2^64 a cast is undefined: a huge limit means "to the end" */
	*out = v->valuedouble >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)v->valuedouble;
	return 0;
}

static void deny_or_ask(ctx *c, const bb_verdict *v, const char *reason, const char *path)
{
	if (v->action == BB_ACTION_DENY || v->action == BB_ACTION_ASK)
		pre_decision(c, v->action, reason, path);
}

static int pre_read(ctx *c, const cJSON *in, const char *key)
{
	const char *path = str(in, key);
	uint64_t offset, limit;
	bb_verdict v;
	char n[400], reason[1024];
	if (!path || json_uint(in, "offset", &offset) < 0 || json_uint(in, "limit", &limit) < 0)
		return BB_EINVAL;
	int rc = bb_guard_file(c->g, path, offset, limit, &v);
	if (rc < 0)
		return rc;
	merge(&c->acc, &v);
	names(&v, n, sizeof n);
	if (v.sensitive_file)
		snprintf(reason, sizeof reason, "blackbar blocked reading %s: it is a sensitive file "
			"(%s). Its contents stay out of this session. Ask the user for the specific "
			"non-secret values you need, or read a template such as .env.example if there "
			"is one; do not try other ways to read this file.", path, n);
	else
		snprintf(reason, sizeof reason, "blackbar blocked reading %s: the part that would be "
			"read holds %zu secret value%s (%s, line %llu). Ask the user for the non-secret "
			"information you need; do not try other ways to read this file.", path, v.n,
			v.n == 1 ? "" : "s", n, (unsigned long long)(v.n ? v.items[0].line : 0));
	deny_or_ask(c, &v, reason, path);
	return BB_OK;
}

static int pre_text(ctx *c, const char *text, const char *label, const char *what,
	const char *advice)
{
	bb_verdict v;
	char n[400], reason[1024];
	int rc = bb_guard_text(c->g, text, strlen(text), label, &v);
	if (rc < 0)
		return rc;
	merge(&c->acc, &v);
	names(&v, n, sizeof n);
	if (label)
		snprintf(reason, sizeof reason, "blackbar blocked this %s to %s: it contains %s. %s",
			what, label, n, advice);
	else
		snprintf(reason, sizeof reason, "blackbar blocked this %s: it contains %s. %s", what, n,
			advice);
	deny_or_ask(c, &v, reason, label);
	return BB_OK;
}

static const char WRITE_ADVICE[] = "Do not hardcode secrets: read the value from an environment "
	"variable or a secret store (for example os.environ[\"API_TOKEN\"] or "
	"process.env.API_TOKEN) and ask the user to set it.";
static const char SEND_ADVICE[] = "Do not send secrets to external services or tools; "
	"remove the value, and ask the user if the task needs it.";

static int pre_write(ctx *c, const cJSON *in)
{
	const char *path = str(in, "file_path") ? str(in, "file_path") : str(in, "notebook_path");
	const char *keys[] = { "content", "new_string", "new_source" };
	int rc = BB_OK, seen = 0;
	for (size_t i = 0; i < 3 && rc == BB_OK; i++) {
		const char *t = str(in, keys[i]);
		if (t) {
			seen = 1;
			rc = pre_text(c, t, path, "write", WRITE_ADVICE);
		}
	}
	const cJSON *edits = cJSON_GetObjectItemCaseSensitive(in, "edits"), *e;
	cJSON_ArrayForEach(e, edits) {
		const char *t = str(e, "new_string");
		if (t && rc == BB_OK && !cJSON_GetObjectItemCaseSensitive(c->out, "hookSpecificOutput")) {
			seen = 1;
			rc = pre_text(c, t, path, "write", WRITE_ADVICE);
		}
	}
	/* a write without any content field is not one we understand */
	return rc == BB_OK && !seen && !edits ? BB_EINVAL : rc;
}

/* Wraps the command so its output runs through `blackbar redact --`: the original
 * command goes, single-quoted, to a fresh bash (exit status preserved). */
static int rewrite_bash(ctx *c, const cJSON *in, const char *cmd)
{
	const char *exe = c->env->self ? c->env->self() : NULL;
	if (!exe)
		return BB_OK;
	const cJSON *bg = cJSON_GetObjectItemCaseSensitive(in, "run_in_background");
	if (cJSON_IsTrue(bg))
		return BB_OK; /* background output goes to a file the model reads later */
	char *quoted = hook_shell_quote(cmd), *self = hook_shell_quote(exe);
	char *wrapped = NULL;
	int ok = quoted && self && asprintf(&wrapped, "%s redact -q -- bash -c %s", self, quoted) >= 0;
	free(quoted);
	free(self);
	if (!ok)
		return BB_ENOMEM;
	cJSON *upd = cJSON_Duplicate(in, 1);
	cJSON_ReplaceItemInObjectCaseSensitive(upd, "command", cJSON_CreateString(wrapped));
	free(wrapped);
	cJSON *h = hso(c);
	/* updatedInput is honoured with allow or ask; this adapter never allows */
	cJSON_AddStringToObject(h, "permissionDecision", "ask");
	cJSON_AddStringToObject(h, "permissionDecisionReason", "blackbar runs this command with its "
		"output redacted (policy bash_rewrite).");
	cJSON_AddItemToObject(h, "updatedInput", upd);
	cJSON_AddStringToObject(h, "additionalContext", "This command runs under `blackbar redact "
		"--`: secrets in its output appear as [REDACTED:<signature-id>].");
	audit(c, "ask", NULL);
	return BB_OK;
}

static int pre_bash(ctx *c, const cJSON *in)
{
	const char *cmd = str(in, "command");
	bb_verdict v;
	char n[400], reason[1024];
	if (!cmd)
		return BB_EINVAL;
	int rc = bb_guard_command(c->g, cmd, c->cwd, &v);
	if (rc < 0)
		return rc;
	merge(&c->acc, &v);
	names(&v, n, sizeof n);
	if (v.command[0])
		snprintf(reason, sizeof reason, "blackbar blocked this command: %s. Credentials must "
			"stay out of this session; ask the user for the non-secret information you need, "
			"and do not try another command to print it.", v.command);
	else
		snprintf(reason, sizeof reason, "blackbar blocked this command: it contains %s written "
			"inline. Reference it through an environment variable ($NAME) instead and ask the "
			"user to set it.", n);
	if (v.action == BB_ACTION_DENY || v.action == BB_ACTION_ASK) {
		pre_decision(c, v.action, reason, NULL);
		return BB_OK;
	}
	if (c->policy.bash_rewrite && !strcmp(c->tool, "Bash"))
		return rewrite_bash(c, in, cmd);
	return BB_OK;
}

static int pre_generic(ctx *c, const cJSON *in, const char *what)
{
	char *text = cJSON_PrintUnformatted(in);
	if (!text)
		return BB_ENOMEM;
	int rc = pre_text(c, text, NULL, what, SEND_ADVICE);
	free(text);
	return rc;
}

static int pre_tool_use(ctx *c)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(c->in, "tool_input");
	const char *t = c->tool;
	if (!cJSON_IsObject(in))
		return BB_EINVAL;
	if (!strcmp(t, "Read") || !strcmp(t, "NotebookRead"))
		return pre_read(c, in, !strcmp(t, "Read") ? "file_path" : "notebook_path");
	if (!strcmp(t, "Grep")) {
		const char *path = str(in, "path"), *mode = str(in, "output_mode");
		char *abs = NULL;
		if (path && path[0] != '/' && c->cwd && asprintf(&abs, "%s/%s", c->cwd, path) < 0)
			return BB_ENOMEM;
		if (abs)
			path = abs;
		if (path && mode && !strcmp(mode, "content") && access(path, F_OK) == 0) {
			cJSON *fake = cJSON_CreateObject();
			cJSON_AddStringToObject(fake, "file_path", path);
			int rc = pre_read(c, fake, "file_path");
			cJSON_Delete(fake);
			if (rc < 0 || cJSON_GetObjectItemCaseSensitive(c->out, "hookSpecificOutput")) {
				free(abs);
				return rc;
			}
		}
		free(abs);
		return pre_generic(c, in, "search");
	}
	if (!strcmp(t, "Write") || !strcmp(t, "Edit") || !strcmp(t, "MultiEdit") ||
		!strcmp(t, "NotebookEdit"))
		return pre_write(c, in);
	if (!strcmp(t, "Bash") || !strcmp(t, "PowerShell"))
		return pre_bash(c, in);
	if (!strcmp(t, "WebFetch") || !strcmp(t, "WebSearch"))
		return pre_generic(c, in, !strcmp(t, "WebFetch") ? "fetch" : "search");
	if (!strncmp(t, "mcp__", 5))
		return pre_generic(c, in, "MCP tool call");
	return pre_generic(c, in, "tool call");
}

/* ---- PostToolUse ----------------------------------------------------------------------- */

/* The redacted form of s (malloc'd) when it holds something to redact, else NULL
 * (*rc < 0 on errors). */
static char *redacted(ctx *c, const char *s, int *rc)
{
	char *out;
	size_t len;
	bb_verdict v;
	*rc = bb_guard_redact(c->g, s, strlen(s), &out, &len, &v);
	if (*rc < 0 || !out)
		return NULL; /* nothing replaced */
	merge(&c->acc, &v);
	return out;
}

/* Redacts every string of the tree in place, object keys included (an MCP
 * server may key a map by a token); *changed counts replacements. */
static int redact_tree(ctx *c, cJSON *n, int *changed)
{
	cJSON *it;
	int rc = BB_OK;
	if (cJSON_IsString(n) && n->valuestring[0]) {
		char *out = redacted(c, n->valuestring, &rc);
		if (out) {
			cJSON_SetValuestring(n, out);
			++*changed;
			free(out);
		}
		return rc;
	}
	cJSON_ArrayForEach(it, n) {
		if (cJSON_IsObject(n) && it->string && !(it->type & cJSON_StringIsConst)) {
			char *key = redacted(c, it->string, &rc);
			if (rc < 0)
				return rc;
			if (key) {
				free(it->string);
				it->string = key;
				++*changed;
			}
		}
		if ((rc = redact_tree(c, it, changed)) < 0)
			return rc;
	}
	return BB_OK;
}

/* Bash output beyond the inline limit is saved by Claude Code in a file whose path
 * it shows: when that file holds secrets, its redacted text (cut to the inline
 * limit) replaces the preview, and the path is dropped. */
static int bash_persisted(ctx *c, cJSON *resp, int *changed)
{
	const char *path = str(resp, "persistedOutputPath");
	if (!path)
		return BB_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return BB_OK;
	char *data = NULL, *out = NULL;
	size_t n = 0, len = 0;
	/* what fits under the cap is scanned: the rest is beyond any preview */
	int rc = hook_read_all(f, PERSISTED_MAX, &data, &n);
	fclose(f);
	bb_verdict v;
	if (rc == BB_OK || rc == BB_ETOOBIG)
		rc = bb_guard_redact(c->g, data, n, &out, &len, &v);
	if (rc == BB_OK && v.n)
		merge(&c->acc, &v);
	if (rc == BB_OK && out) {
		++*changed;
		if (len > BASH_INLINE_MAX) {
			/* the note included, the text stays within what Claude Code shows inline */
			size_t cut = BASH_INLINE_MAX - 80;
			while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
				cut--;
			snprintf(out + cut, len + 1 - cut, "\n[blackbar: output cut at %zu of %zu bytes; "
				"secrets redacted]\n", cut, len);
		}
		cJSON_ReplaceItemInObjectCaseSensitive(resp, "stdout", cJSON_CreateString(out));
	}
	free(out);
	free(data);
	return rc;
}

static void post_context(ctx *c, const char *what)
{
	char n[400], msg[1024];
	names(&c->acc, n, sizeof n);
	snprintf(msg, sizeof msg, "blackbar redacted %zu value%s in this %s (%s); each appears as "
		"[REDACTED:<signature-id>]. The values are withheld on purpose: do not try to "
		"recover them. If the task needs one, ask the user to provide it through an "
		"environment variable or a secret store.", c->acc.n, c->acc.n == 1 ? "" : "s", what, n);
	add_context(c, msg);
}

/* Read of part of a file: a secret that spans several lines (a PEM key body) is
 * not recognisable in the output when the range leaves out its first line, so
 * the file is scanned around the range and the output lines of every multi-line
 * secret there are replaced whole. */
static int read_range_lines(ctx *c, cJSON *resp, int *changed)
{
	cJSON *file = cJSON_GetObjectItemCaseSensitive(resp, "file");
	cJSON *content = cJSON_GetObjectItemCaseSensitive(file, "content");
	const char *path = str(file, "filePath");
	const cJSON *sl = cJSON_GetObjectItemCaseSensitive(file, "startLine");
	const cJSON *nl = cJSON_GetObjectItemCaseSensitive(file, "numLines");
	if (!cJSON_IsString(content) || !path || !cJSON_IsNumber(sl) || !cJSON_IsNumber(nl) ||
		sl->valuedouble < 1 || nl->valuedouble < 1)
		return BB_OK;
	uint64_t first = (uint64_t)sl->valuedouble, n = (uint64_t)nl->valuedouble;
	bb_verdict v;
	int rc = bb_guard_file(c->g, path, first, n, &v);
	if (rc < 0 || !v.n)
		return rc;
	const char *text = content->valuestring;
	char *out = malloc(strlen(text) + 64 * (size_t)n + 1), *o = out;
	if (!out)
		return BB_ENOMEM;
	uint64_t line = first;
	int hit = 0;
	for (const char *p = text; *p || line == first; line++) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const bb_verdict_item *it = NULL;
		for (size_t i = 0; i < v.n && i < BB_VERDICT_ITEMS && !it; i++)
			if (v.items[i].kind != BB_KIND_SENSITIVE_FILE && v.items[i].line <= line &&
				v.items[i].end_line >= line && v.items[i].end_line > v.items[i].line)
				it = &v.items[i]; /* multi-line: whole lines go (one-line secrets are
				                     redacted in place by redact_tree) */
		if (it) {
			o += sprintf(o, "[REDACTED:%s]", it->id);
			hit = 1;
		} else {
			memcpy(o, p, len);
			o += len;
		}
		if (!e)
			break;
		*o++ = '\n';
		p = e + 1;
	}
	*o = '\0';
	if (hit) {
		cJSON_SetValuestring(content, out);
		merge(&c->acc, &v);
		++*changed;
	}
	free(out);
	return BB_OK;
}

static int post_tool_use(ctx *c)
{
	cJSON *orig = cJSON_GetObjectItemCaseSensitive(c->in, "tool_response");
	if (!orig)
		return BB_OK;
	cJSON *resp = cJSON_Duplicate(orig, 1);
	int changed = 0, rc = resp ? BB_OK : BB_ENOMEM;
	if (rc == BB_OK && !strcmp(c->tool, "Read"))
		rc = read_range_lines(c, resp, &changed);
	if (rc == BB_OK)
		rc = redact_tree(c, resp, &changed);
	int bash = !strcmp(c->tool, "Bash") || !strcmp(c->tool, "PowerShell");
	if (rc == BB_OK && bash && cJSON_IsObject(resp))
		rc = bash_persisted(c, resp, &changed);
	if (rc < 0 || !changed) {
		cJSON_Delete(resp);
		return rc;
	}
	if (bash && cJSON_IsObject(resp)) {
		/* or Claude Code shows the persisted, unredacted copy instead */
		cJSON_DeleteItemFromObjectCaseSensitive(resp, "persistedOutputPath");
		cJSON_DeleteItemFromObjectCaseSensitive(resp, "persistedOutputSize");
		cJSON_DeleteItemFromObjectCaseSensitive(resp, "rawOutputPath");
	}
	cJSON *h = hso(c);
	if (!strncmp(c->tool, "mcp__", 5))
		cJSON_AddItemToObject(h, "updatedMCPToolOutput", cJSON_Duplicate(resp, 1));
	cJSON_AddItemToObject(h, "updatedToolOutput", resp);
	post_context(c, "output");
	audit(c, "redact", NULL);
	return BB_OK;
}

static int post_tool_failure(ctx *c)
{
	const char *err = str(c->in, "error");
	bb_verdict v;
	char n[400], msg[1024];
	if (!err)
		return BB_OK;
	int rc = bb_guard_text(c->g, err, strlen(err), NULL, &v);
	if (rc < 0 || !v.n)
		return rc;
	merge(&c->acc, &v);
	names(&v, n, sizeof n);
	snprintf(msg, sizeof msg, "blackbar: this failed call's output contains %zu secret value%s "
		"(%s) that could not be redacted here. Do not repeat, store or use them; if the task "
		"needs a credential, ask the user to provide it through an environment variable.",
		v.n, v.n == 1 ? "" : "s", n);
	add_context(c, msg);
	audit(c, "warn", NULL);
	return BB_OK;
}

/* ---- UserPromptSubmit ------------------------------------------------------------------ */

/* The file an @-mention names: "@path", "@~/path" or "@\"path with spaces\"", relative
 * to the session's directory. *end is where the mention ends. malloc'd. */
static char *mention_path(ctx *c, const char *at, const char **end)
{
	const char *p = at + 1, *e;
	char *rel, *path = NULL;
	if (*p == '"') {
		e = strchr(p + 1, '"');
		if (!e)
			return NULL;
		rel = strndup(p + 1, (size_t)(e - p - 1));
		*end = e + 1;
	} else {
		e = p;
		while (*e && !strchr(" \t\n\"')", *e))
			e++;
		rel = strndup(p, (size_t)(e - p));
		*end = e;
	}
	if (!rel || !rel[0]) {
		free(rel);
		return NULL;
	}
	const char *home = getenv("HOME");
	int rc = 0;
	if (rel[0] == '~' && (rel[1] == '/' || !rel[1]) && home)
		rc = asprintf(&path, "%s%s", home, rel + 1);
	else if (rel[0] != '/' && c->cwd)
		rc = asprintf(&path, "%s/%s", c->cwd, rel);
	else
		path = strdup(rel);
	free(rel);
	return rc < 0 ? NULL : path;
}

/* Checks each @path in the prompt (files attached by mention bypass PreToolUse). */
static int prompt_mentions(ctx *c, const char *prompt, bb_verdict *hit, char *which, size_t wn)
{
	for (const char *p = prompt; (p = strchr(p, '@')); p++) {
		if (p > prompt && !strchr(" \t\n(\"'", p[-1]))
			continue; /* an e-mail address, not a mention */
		const char *end = p + 1;
		char *path = mention_path(c, p, &end);
		if (!path)
			continue;
		bb_verdict v;
		int rc = bb_guard_file(c->g, path, 0, 0, &v);
		if (rc == BB_OK && v.n && v.action >= BB_ACTION_ASK && !hit->n) {
			*hit = v;
			snprintf(which, wn, "%.*s", (int)(end - p - 1), p + 1);
		}
		free(path);
		if (rc < 0)
			return rc;
		p = end - 1;
	}
	return BB_OK;
}

static int user_prompt(ctx *c)
{
	const char *prompt = str(c->in, "prompt");
	bb_verdict v, at = { 0 };
	char n[400], reason[1024], which[512] = "";
	if (!prompt)
		return BB_EINVAL;
	int rc = bb_guard_text(c->g, prompt, strlen(prompt), NULL, &v);
	if (rc == BB_OK)
		rc = prompt_mentions(c, prompt, &at, which, sizeof which);
	if (rc < 0)
		return rc;
	merge(&c->acc, &v);
	merge(&c->acc, &at);
	if (v.action >= BB_ACTION_ASK) {
		names(&v, n, sizeof n);
		snprintf(reason, sizeof reason, "blackbar: your prompt contains %s. It was not sent. "
			"Remove the value (or put it in an environment variable) and send the prompt again.", n);
		prompt_block(c, reason);
	} else if (at.n) {
		names(&at, n, sizeof n);
		snprintf(reason, sizeof reason, "blackbar: your prompt attaches %s, which %s (%s). "
			"It was not sent. Mention a file without secrets, or paste the non-secret part.",
			which, at.sensitive_file ? "is a sensitive file" : "holds secrets", n);
		prompt_block(c, reason);
	} else if (v.n) {
		names(&v, n, sizeof n);
		snprintf(reason, sizeof reason, "blackbar: your prompt contains %s; it was sent (policy).", n);
		cJSON_AddItemToObject(c->out, "systemMessage", safe_string(c, reason));
		audit(c, "warn", NULL);
	}
	return BB_OK;
}

/* Puts back the NULs hook_json_fix_escapes turned into U+2400 (printed by cJSON
 * as raw UTF-8 E2 90 80): each becomes the escape \u0000. Frees text. */
static char *nul_back(char *text)
{
	size_t n = strlen(text), k = 0;
	char *out = malloc(n * 2 + 1);
	if (!out)
		return text;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 < n && !memcmp(text + i, "\xE2\x90\x80", 3)) {
			memcpy(out + k, "\\u0000", 6);
			k += 6;
			i += 2;
		} else {
			out[k++] = text[i];
		}
	}
	out[k] = '\0';
	free(text);
	return out;
}

/* ---- set-up ------------------------------------------------------------------------------ */

static void config_paths(ctx *c, char *project, size_t pn, char *user, size_t un)
{
	const char *dir = getenv("CLAUDE_PROJECT_DIR"), *xdg = getenv("XDG_CONFIG_HOME"),
		*home = getenv("HOME");
	if (c->env->project_config)
		snprintf(project, pn, "%s", c->env->project_config);
	else if ((dir && dir[0]) || c->cwd)
		snprintf(project, pn, "%s/.blackbar.json", dir && dir[0] ? dir : c->cwd);
	else
		project[0] = '\0';
	if (c->env->user_config)
		snprintf(user, un, "%s", c->env->user_config);
	else if (xdg && xdg[0] == '/')
		snprintf(user, un, "%s/blackbar/config.json", xdg);
	else if (home && home[0] == '/')
		snprintf(user, un, "%s/.config/blackbar/config.json", home);
	else
		user[0] = '\0';
}

/* Policy: defaults, then the user's config; a project's config can only make it
 * stricter (a repository must not be able to switch its own checks off; for the
 * same reason its allowlists are not used here, and its audit_log is ignored). */
static int load_policy(ctx *c, const char *project, const char *user, bb_diag *d)
{
	bb_policy_init(&c->policy);
	if (user[0] && bb_policy_load(&c->policy, user, d) == BB_EINVAL)
		return BB_EINVAL;
	bb_policy proj = c->policy;
	if (project[0] && bb_policy_load(&proj, project, d) == BB_EINVAL)
		return BB_EINVAL;
	for (int k = 0; k < 4; k++)
		if (proj.on[k] > c->policy.on[k])
			c->policy.on[k] = proj.on[k];
	c->policy.bash_rewrite |= proj.bash_rewrite;
	c->policy.block_dump_commands |= proj.block_dump_commands;
	return BB_OK;
}

static int setup(ctx *c)
{
	char project[1200], user[1200];
	bb_diag d;
	char **sigs = NULL;
	size_t n_sigs = 0;
	config_paths(c, project, sizeof project, user, sizeof user);
	int rc = load_policy(c, project, user, &d);
	if (rc == BB_OK)
		rc = bb_filter_new(&c->filter);
	/* Allowlists come from the user's config only: a repository's own config must
	 * not be able to allow reading its secrets, or the user's (~/.ssh/...). */
	if (rc == BB_OK && user[0] && access(user, F_OK) == 0)
		rc = bb_filter_load_config(c->filter, user, &d);
	if (rc == BB_OK)
		rc = bb_config_signature_paths((const char *[]){ user, project }, 2, &sigs, &n_sigs, &d);
	if (rc == BB_OK) {
		bb_ruleset_options o = { .paths = (const char *const *)sigs, .n_paths = n_sigs,
			.cache_dir = c->env->cache_dir };
		rc = bb_ruleset_load(&c->rs, &o, &d);
	}
	bb_config_free_paths(sigs, n_sigs);
	if (rc == BB_OK)
		rc = bb_guard_new(&c->g, c->rs, c->filter, &c->policy);
	if (rc < 0)
		fprintf(stderr, "blackbar: %s%s%s\n", d.file, d.file[0] ? ": " : "", d.message);
	return rc;
}

int hook_claude(FILE *in, FILE *out, const hook_env *env)
{
	ctx c;
	char *raw = NULL;
	size_t len = 0;
	memset(&c, 0, sizeof c);
	c.env = env;
	int rc = hook_read_all(in, MAX_INPUT, &raw, &len);
	int restore_nul = 0;
	if (rc == BB_OK && len) {
		/* NULs travel as U+2400 and come back on the way out, unless the input
		 * had U+2400 of its own */
		int had_2400;
		restore_nul = hook_json_fix_escapes(raw, len, &had_2400) && !had_2400 &&
			!memmem(raw, len, "\xE2\x90\x80", 3);
		c.in = cJSON_ParseWithLength(raw, len);
	}
	free(raw);
	c.event = c.in ? str(c.in, "hook_event_name") : NULL;
	if (!cJSON_IsObject(c.in) || !c.event) {
		fprintf(stderr, "blackbar: %s; blocked to be safe\n", rc == BB_ETOOBIG ? "hook input "
			"too large" : rc < 0 ? "cannot read the hook input" : "the hook input is not a "
			"Claude Code event (JSON with hook_event_name)");
		cJSON_Delete(c.in);
		return 2;
	}
	c.tool = str(c.in, "tool_name");
	c.session = str(c.in, "session_id");
	c.cwd = str(c.in, "cwd");
	c.out = cJSON_CreateObject();
	int tool_event = !strcmp(c.event, "PreToolUse") || !strncmp(c.event, "PostToolUse", 11);
	if (tool_event && !c.tool) {
		fail_closed(&c, "the event names no tool");
	} else if ((rc = setup(&c)) < 0) {
		fail_closed(&c, "its signatures or configuration could not be loaded");
	} else {
		if (!strcmp(c.event, "PreToolUse"))
			rc = pre_tool_use(&c);
		else if (!strcmp(c.event, "PostToolUse"))
			rc = post_tool_use(&c);
		else if (!strcmp(c.event, "PostToolUseFailure"))
			rc = post_tool_failure(&c);
		else if (!strcmp(c.event, "UserPromptSubmit"))
			rc = user_prompt(&c);
		if (rc == BB_EINVAL)
			fail_closed(&c, "the tool input has an unexpected shape");
		else if (rc < 0)
			fail_closed(&c, bb_strerror(rc));
	}
	char *text = cJSON_PrintUnformatted(c.out);
	if (text && restore_nul)
		text = nul_back(text);
	int code = 0;
	if (!text || fputs(text, out) < 0 || fputc('\n', out) == EOF || fflush(out) != 0) {
		fprintf(stderr, "blackbar: cannot write the hook answer; blocked to be safe\n");
		code = 2;
	}
	free(text);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	if (env->exiting)
		return code; /* the leak checkers would see what exit() reclaims anyway */
#endif
	cJSON_Delete(c.out);
	cJSON_Delete(c.in);
	bb_guard_free(c.g);
	bb_filter_free(c.filter);
	bb_ruleset_free(c.rs);
	return code;
}
