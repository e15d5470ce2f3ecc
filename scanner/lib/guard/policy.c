/*
 * policy.c: what the guard does per kind of finding, read from the "policy" object
 * of .blackbar.json or the user's config, and the audit log.
 *
 *   "policy": {
 *     "secret": "deny", "phi": "deny", "pii": "redact", "sensitive-file": "deny",
 *     "bash_rewrite": false, "block_dump_commands": true,
 *     "audit_log": true | false | "PATH"
 *   }
 *
 * The audit log records one JSON line per decision that blocked, redacted or
 * asked: when, which agent, session, event and tool, the decision, the path, the
 * signature ids and fingerprints. Never a secret. Many hook processes append at
 * once, so each line is one write(2) to an O_APPEND descriptor under flock.
 */
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

static const char *const action_names[] = { "none", "redact", "ask", "deny" };

const char *bb_action_name(bb_action a)
{
	return (unsigned)a < 4 ? action_names[a] : "?";
}

int bb_action_parse(const char *name)
{
	for (int i = 0; name && i < 4; i++)
		if (!strcmp(name, action_names[i]))
			return i;
	return -1;
}

void bb_policy_init(bb_policy *p)
{
	memset(p, 0, sizeof *p);
	p->on[BB_KIND_SECRET] = BB_ACTION_DENY;
	p->on[BB_KIND_PHI] = BB_ACTION_DENY;
	p->on[BB_KIND_PII] = BB_ACTION_REDACT;
	p->on[BB_KIND_SENSITIVE_FILE] = BB_ACTION_DENY;
	p->block_dump_commands = 1;
}

/* The default audit log: $XDG_STATE_HOME/blackbar/audit.jsonl, else
 * ~/.local/state/blackbar/audit.jsonl. */
static void default_audit_path(char *out, size_t n)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (state && state[0] == '/')
		snprintf(out, n, "%s/blackbar/audit.jsonl", state);
	else if (home && home[0] == '/')
		snprintf(out, n, "%s/.local/state/blackbar/audit.jsonl", home);
	else
		out[0] = '\0';
}

static int fail(bb_diag *d, const char *path, const char *msg, const char *key)
{
	char m[200];
	snprintf(m, sizeof m, msg, key);
	bb_diag_set(d, path, NULL, "%s", m);
	return BB_EINVAL;
}

static int apply(bb_policy *p, const cJSON *pol, const char *path, bb_diag *d)
{
	const cJSON *it;
	if (!cJSON_IsObject(pol))
		return fail(d, path, "\"policy\" must be an object%s", "");
	cJSON_ArrayForEach(it, pol) {
		int kind = bb_kind_parse(it->string);
		if (kind >= 0) {
			int a = cJSON_IsString(it) ? bb_action_parse(it->valuestring) : -1;
			if (a < 0)
				return fail(d, path, "\"policy.%s\" must be \"deny\", \"ask\", \"redact\" or \"none\"",
					it->string);
			p->on[kind] = (bb_action)a;
		} else if (!strcmp(it->string, "bash_rewrite") || !strcmp(it->string, "block_dump_commands")) {
			if (!cJSON_IsBool(it))
				return fail(d, path, "\"policy.%s\" must be true or false", it->string);
			int *flag = !strcmp(it->string, "bash_rewrite") ? &p->bash_rewrite
				: &p->block_dump_commands;
			*flag = cJSON_IsTrue(it);
		} else if (!strcmp(it->string, "audit_log")) {
			if (cJSON_IsBool(it)) {
				if (cJSON_IsTrue(it))
					default_audit_path(p->audit_log, sizeof p->audit_log);
				else
					p->audit_log[0] = '\0';
			} else if (cJSON_IsString(it)) {
				const char *v = it->valuestring, *home = getenv("HOME");
				if (v[0] == '~' && v[1] == '/' && home)
					snprintf(p->audit_log, sizeof p->audit_log, "%s%s", home, v + 1);
				else
					snprintf(p->audit_log, sizeof p->audit_log, "%s", v);
			} else {
				return fail(d, path, "\"policy.audit_log\" must be true, false or a path%s", "");
			}
		} else {
			return fail(d, path, "unknown field \"policy.%s\"", it->string);
		}
	}
	return BB_OK;
}

int bb_policy_load(bb_policy *p, const char *path, bb_diag *d)
{
	cJSON *root;
	int rc = bb_json_read_object(path, &root, d);
	if (rc < 0)
		return rc;
	const cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "policy");
	rc = pol ? apply(p, pol, path, d) : BB_OK;
	cJSON_Delete(root);
	return rc;
}

/* ---- audit log ---------------------------------------------------------------------- */

static void make_parent(const char *path)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	for (char *q = dir + 1; *q; q++) {
		if (*q == '/') {
			*q = '\0';
			mkdir(dir, 0700);
			*q = '/';
		}
	}
	mkdir(dir, 0700);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v && v[0])
		cJSON_AddStringToObject(o, k, v);
}

int bb_audit_append(const bb_policy *p, const char *agent, const char *session,
	const char *event, const char *tool, const char *decision, const char *path,
	const bb_verdict *v)
{
	if (!p || !p->audit_log[0])
		return BB_OK;
	char when[40];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t k = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + k, sizeof when - k, ".%03ldZ", ts.tv_nsec / 1000000);
	cJSON *o = cJSON_CreateObject(), *ids = cJSON_CreateArray(), *fps = cJSON_CreateArray();
	add_str(o, "time", when);
	add_str(o, "agent", agent);
	add_str(o, "session", session);
	add_str(o, "event", event);
	add_str(o, "tool", tool);
	add_str(o, "decision", decision);
	add_str(o, "path", path);
	for (size_t i = 0; v && i < v->n && i < BB_VERDICT_ITEMS; i++) {
		cJSON_AddItemToArray(ids, cJSON_CreateString(v->items[i].id));
		cJSON_AddItemToArray(fps, cJSON_CreateString(v->items[i].fingerprint));
	}
	cJSON_AddItemToObject(o, "signatures", ids);
	cJSON_AddItemToObject(o, "fingerprints", fps);
	if (v && v->command[0])
		cJSON_AddStringToObject(o, "reason", v->command);
	cJSON_AddNumberToObject(o, "findings", v ? (double)v->n : 0);
	char *line = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!line)
		return BB_ENOMEM;
	size_t n = strlen(line);
	line[n++] = '\n'; /* replaces the NUL: written with its length */
	int rc = BB_OK;
	make_parent(p->audit_log);
	int fd = open(p->audit_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = BB_EIO;
	} else {
		flock(fd, LOCK_EX);
		if (write(fd, line, n) != (ssize_t)n)
			rc = BB_EIO;
		flock(fd, LOCK_UN);
		close(fd);
	}
	free(line);
	return rc;
}
