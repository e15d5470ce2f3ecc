/*
 * fuzz_hook_claude: the Claude Code hook (hook_claude) on arbitrary event bytes.
 *
 * Hermetic: the user and project configurations named in hook_env do not exist
 * (defaults: no audit log, no rewrite), and compiled signatures are cached in the
 * fuzz cache directory. Invariants:
 *   - the exit status is 0 or 2;
 *   - 0: the answer is one JSON object on one line, and never decides "allow";
 *   - 2: nothing was written (the reason goes to stderr).
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "hooks.h"

static hook_env env;
static FILE *devnull;

static const char *fixed_self(void)
{
	return "/usr/local/bin/blackbar";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static char user[300], project[300];
	snprintf(user, sizeof user, "%s/no-such-user-config.json", fuzz_tmpdir());
	snprintf(project, sizeof project, "%s/no-such-project/.blackbar.json", fuzz_tmpdir());
	env.user_config = user;
	env.project_config = project;
	env.cache_dir = fuzz_cache_dir();
	env.self = fixed_self;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	/* compile (or cache) the signatures once, outside the timed inputs */
	fuzz_builtin_rules();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char empty[1];
	FILE *in = fmemopen(size ? (void *)data : (void *)empty, size ? size : 1, "r");
	if (!in)
		return 0;
	if (!size)
		fgetc(in); /* at EOF */
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	/* the hook's one-line reasons for bad input would flood the fuzzer's log */
	FILE *err = stderr;
	stderr = devnull;
	int code = hook_claude(in, out, &env);
	stderr = err;
	fclose(in);
	fclose(out);

	FUZZ_CHECK(code == 0 || code == 2, "exit status %d", code);
	if (code == 2) {
		FUZZ_CHECK(len == 0, "exit 2 after writing %zu bytes", len);
	} else {
		FUZZ_CHECK(len > 0 && text[len - 1] == '\n' && memchr(text, '\n', len) == text + len - 1,
			"the answer is not one line");
		cJSON *j = cJSON_ParseWithLength(text, len);
		FUZZ_CHECK(cJSON_IsObject(j), "the answer is not a JSON object: %.300s", text);
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "hookSpecificOutput");
		const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h,
			"permissionDecision"));
		FUZZ_CHECK(!d || strcmp(d, "allow"), "the hook answered allow");
		cJSON_Delete(j);
	}
	free(text);
	return 0;
}
