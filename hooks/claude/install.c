/*
 * install.c: `blackbar install claude` and `blackbar uninstall claude`.
 *
 * Merges blackbar's hooks into a Claude Code settings file, keeping every other
 * setting: .claude/settings.json of a project (--project), ~/.claude/settings.json
 * (--user), or a managed-settings drop-in (--managed:
 * /etc/claude-code/managed-settings.d/50-blackbar.json), which users and projects
 * cannot switch off. Our handlers are recognised by their command ("... hook
 * claude" run by a blackbar executable): installing again replaces them, so the
 * operation is idempotent and updates the executable's path.
 *
 * Handlers: PreToolUse and PostToolUse for every tool ("*", MCP tools included),
 * PostToolUseFailure, UserPromptSubmit; shell form (works with every Claude Code
 * version that has hooks), a 10 s timeout, and "onFailure": "block" so that a
 * hook that crashes or times out blocks instead of letting the call through
 * (honoured from Claude Code 2.1.295; older versions warn below).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../hooks.h"

#define MANAGED_DROPIN "/etc/claude-code/managed-settings.d/50-blackbar.json"

static const char *const events[] = { "PreToolUse", "PostToolUse", "PostToolUseFailure",
	"UserPromptSubmit" };

/* Read rules for the files that hold credentials most often. */
/* .env.example and friends stay readable: the deny reasons point the model to them. */
static const char *const deny_reads[] = { "Read(./.env)", "Read(./.env.local)",
	"Read(./.env.*.local)", "Read(./.env.production)", "Read(./.env.development)",
	"Read(./.env.staging)", "Read(./.env.test)", "Read(./**/.env)", "Read(~/.ssh/**)", "Read(~/.aws/credentials)", "Read(~/.netrc)",
	"Read(./.npmrc)", "Read(~/.npmrc)", "Read(~/.pypirc)", "Read(~/.git-credentials)",
	"Read(~/.docker/config.json)", "Read(~/.kube/config)", "Read(./**/*.pem)",
	"Read(./**/*.key)", "Read(./**/*.p12)", "Read(./**/*.pfx)", "Read(./**/terraform.tfstate)" };

static int ours(const cJSON *handler)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(handler, "command");
	return cJSON_IsString(cmd) && strstr(cmd->valuestring, "blackbar") &&
		strstr(cmd->valuestring, " hook claude");
}

/* Removes our handlers from every event; drops groups and events left empty. */
static void remove_ours(cJSON *hooks)
{
	cJSON *ev = hooks ? hooks->child : NULL;
	while (ev) {
		cJSON *next_ev = ev->next, *grp = cJSON_IsArray(ev) ? ev->child : NULL;
		while (grp) {
			cJSON *next_grp = grp->next, *list = cJSON_GetObjectItemCaseSensitive(grp, "hooks");
			cJSON *h = cJSON_IsArray(list) ? list->child : NULL;
			while (h) {
				cJSON *next_h = h->next;
				if (ours(h))
					cJSON_Delete(cJSON_DetachItemViaPointer(list, h));
				h = next_h;
			}
			if (cJSON_IsArray(list) && !cJSON_GetArraySize(list))
				cJSON_Delete(cJSON_DetachItemViaPointer(ev, grp));
			grp = next_grp;
		}
		if (cJSON_IsArray(ev) && !cJSON_GetArraySize(ev))
			cJSON_Delete(cJSON_DetachItemViaPointer(hooks, ev));
		ev = next_ev;
	}
}

static cJSON *handler(const char *command)
{
	cJSON *h = cJSON_CreateObject();
	char *cmd = NULL, *quoted = hook_shell_quote(command);
	/* quoted: a path with spaces or quotes still works under sh -c */
	if (!quoted || asprintf(&cmd, "%s hook claude", quoted) < 0) {
		free(quoted);
		return h;
	}
	free(quoted);
	cJSON_AddStringToObject(h, "type", "command");
	cJSON_AddStringToObject(h, "command", cmd);
	cJSON_AddNumberToObject(h, "timeout", 10);
	cJSON_AddStringToObject(h, "onFailure", "block");
	cJSON_AddStringToObject(h, "statusMessage", "blackbar: checking for secrets");
	free(cmd);
	return h;
}

static void add_ours(cJSON *hooks, const char *command)
{
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		cJSON *ev = cJSON_GetObjectItemCaseSensitive(hooks, events[i]);
		if (!cJSON_IsArray(ev)) {
			cJSON_DeleteItemFromObjectCaseSensitive(hooks, events[i]);
			ev = cJSON_AddArrayToObject(hooks, events[i]);
		}
		cJSON *grp = cJSON_CreateObject(), *list = cJSON_CreateArray();
		/* UserPromptSubmit has no matcher; tool events match every tool */
		if (strcmp(events[i], "UserPromptSubmit"))
			cJSON_AddStringToObject(grp, "matcher", "*");
		cJSON_AddItemToArray(list, handler(command));
		cJSON_AddItemToObject(grp, "hooks", list);
		cJSON_AddItemToArray(ev, grp);
	}
}

static void add_deny_reads(cJSON *root)
{
	cJSON *perm = cJSON_GetObjectItemCaseSensitive(root, "permissions");
	if (!cJSON_IsObject(perm)) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "permissions");
		perm = cJSON_AddObjectToObject(root, "permissions");
	}
	cJSON *deny = cJSON_GetObjectItemCaseSensitive(perm, "deny");
	if (!cJSON_IsArray(deny)) {
		cJSON_DeleteItemFromObjectCaseSensitive(perm, "deny");
		deny = cJSON_AddArrayToObject(perm, "deny");
	}
	for (size_t i = 0; i < sizeof deny_reads / sizeof deny_reads[0]; i++) {
		const cJSON *it;
		int have = 0;
		cJSON_ArrayForEach(it, deny)
			have |= cJSON_IsString(it) && !strcmp(it->valuestring, deny_reads[i]);
		if (!have)
			cJSON_AddItemToArray(deny, cJSON_CreateString(deny_reads[i]));
	}
}

static int settings_path(const install_opts *o, char *out, size_t n)
{
	const char *home = getenv("HOME");
	if (o->settings)
		snprintf(out, n, "%s", o->settings);
	else if (o->scope == SCOPE_MANAGED)
		snprintf(out, n, "%s", MANAGED_DROPIN);
	else if (o->scope == SCOPE_USER && home && home[0])
		snprintf(out, n, "%s/.claude/settings.json", home);
	else if (o->scope == SCOPE_PROJECT)
		snprintf(out, n, "%s/.claude/settings.json", o->dir ? o->dir : ".");
	else
		return -1;
	return 0;
}

static void mkdirs(const char *file)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", file);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	mkdir(dir, 0755);
}

/* Reads the settings; a missing or empty file is an empty object. NULL (with a
 * message) when the file exists but is not a JSON object: it is never
 * overwritten then. */
static cJSON *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? cJSON_CreateObject() : (fprintf(stderr,
			"blackbar: cannot read %s: %s\n", path, strerror(errno)), NULL);
	char *text;
	size_t len;
	int rc = hook_read_all(f, 16u << 20, &text, &len);
	fclose(f);
	if (rc < 0) {
		fprintf(stderr, "blackbar: cannot read %s\n", path);
		free(text);
		return NULL;
	}
	size_t blank = strspn(text, " \t\r\n");
	cJSON *root = blank == len ? cJSON_CreateObject() : cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(root)) {
		fprintf(stderr, "blackbar: %s is not a JSON object; fix it first (left unchanged)\n", path);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static int save(const char *path, const cJSON *root, int dry_run)
{
	char *text = cJSON_Print(root);
	if (!text)
		return -1;
	if (dry_run) {
		printf("%s\n", text);
		free(text);
		return 0;
	}
	/* a settings file that is a symbolic link (dotfiles) is updated where it points */
	char real[4096], tmp[4200];
	if (realpath(path, real))
		path = real;
	snprintf(tmp, sizeof tmp, "%s.blackbar.%ld.tmp", path, (long)getpid());
	mkdirs(path);
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
	FILE *f = fopen(tmp, "wb");
	int ok = f && fprintf(f, "%s\n", text) >= 0;
	ok = f && fclose(f) == 0 && ok;
	if (ok)
		ok = chmod(tmp, mode) == 0 && rename(tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "blackbar: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(text);
	return ok ? 0 : -1;
}

/* Turns the audit log on in the user's blackbar config (creating it). */
static void enable_audit(int dry_run)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];
	if (xdg && xdg[0] == '/')
		snprintf(path, sizeof path, "%s/blackbar/config.json", xdg);
	else if (home && home[0] == '/')
		snprintf(path, sizeof path, "%s/.config/blackbar/config.json", home);
	else
		return;
	cJSON *root = load(path);
	if (!root)
		return;
	cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "policy");
	if (!cJSON_IsObject(pol)) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "policy");
		pol = cJSON_AddObjectToObject(root, "policy");
	}
	if (!cJSON_GetObjectItemCaseSensitive(pol, "audit_log")) {
		cJSON_AddBoolToObject(pol, "audit_log", 1);
		if (save(path, root, dry_run) == 0 && !dry_run)
			fprintf(stderr, "blackbar: audit log on (%s)\n", path);
	}
	cJSON_Delete(root);
}

/* Compiles the signatures now, so the first hook calls read them from the cache
 * instead of compiling (a compile takes most of a second). */
static void warm_cache(void)
{
	bb_ruleset *rs = NULL;
	bb_diag d;
	if (bb_ruleset_load(&rs, NULL, &d) < 0)
		fprintf(stderr, "blackbar: warning: the signatures do not load: %s\n", d.message);
	bb_ruleset_free(rs);
}

/* Warns when the installed Claude Code is too old for what the hooks rely on. */
static void check_version(void)
{
	FILE *p = popen("claude --version 2>/dev/null", "r");
	int a = 0, b = 0, c = 0;
	if (!p)
		return;
	int got = fscanf(p, "%d.%d.%d", &a, &b, &c);
	pclose(p);
	if (got != 3) {
		fprintf(stderr, "blackbar: note: Claude Code not found on PATH; the hooks need 2.1.121 "
			"or later to redact tool output and 2.1.295 or later to fail closed\n");
		return;
	}
	long v = a * 1000000L + b * 1000L + c;
	if (v < 2001121)
		fprintf(stderr, "blackbar: warning: Claude Code %d.%d.%d cannot replace tool output "
			"(needs 2.1.121): secrets in output are reported to the model, not redacted\n", a, b, c);
	if (v < 2001295)
		fprintf(stderr, "blackbar: warning: Claude Code %d.%d.%d ignores \"onFailure\": \"block\" "
			"(needs 2.1.295): a hook that times out or crashes lets the call through\n", a, b, c);
}

int hook_claude_install(const install_opts *o)
{
	char path[4096];
	if (settings_path(o, path, sizeof path) < 0) {
		fprintf(stderr, "blackbar: cannot find the settings file (HOME is not set)\n");
		return 2;
	}
	cJSON *root = load(path);
	if (!root)
		return 2;
	cJSON *hooks = cJSON_GetObjectItemCaseSensitive(root, "hooks");
	if (!cJSON_IsObject(hooks)) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "hooks");
		hooks = cJSON_AddObjectToObject(root, "hooks");
	}
	remove_ours(hooks);
	add_ours(hooks, o->command);
	if (o->deny_reads)
		add_deny_reads(root);
	int rc = save(path, root, o->dry_run);
	cJSON_Delete(root);
	if (rc < 0)
		return 2;
	if (o->audit && o->scope != SCOPE_MANAGED && !o->settings)
		enable_audit(o->dry_run);
	if (!o->dry_run) {
		fprintf(stderr, "blackbar: hooks installed in %s\n", path);
		check_version();
		warm_cache();
	}
	return 0;
}

int hook_claude_uninstall(const install_opts *o)
{
	char path[4096];
	if (settings_path(o, path, sizeof path) < 0)
		return 2;
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "blackbar: nothing to remove (%s does not exist)\n", path);
		return 0;
	}
	cJSON *root = load(path);
	if (!root)
		return 2;
	cJSON *hooks = cJSON_GetObjectItemCaseSensitive(root, "hooks");
	remove_ours(cJSON_IsObject(hooks) ? hooks : NULL);
	if (cJSON_IsObject(hooks) && !cJSON_GetArraySize(hooks))
		cJSON_DeleteItemFromObjectCaseSensitive(root, "hooks");
	int rc = save(path, root, o->dry_run);
	cJSON_Delete(root);
	if (rc == 0 && !o->dry_run)
		fprintf(stderr, "blackbar: hooks removed from %s (permissions.deny rules, if any, "
			"were left in place)\n", path);
	return rc < 0 ? 2 : 0;
}
