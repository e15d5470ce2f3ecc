/*
 * fuzz_signatures: the signature loader (bb_ruleset_load) on an arbitrary
 * signature file, alone (no built-in set) and without the cache.
 *
 * The file is the input written to a temporary file (the loader reads files).
 * Inputs over 4 KiB are skipped: Hyperscan's compile time grows quickly with what
 * it is given, and the loader, not Hyperscan, is what is fuzzed here.
 * Invariants:
 *   - the load succeeds, or fails with BB_EBADRULE and a message;
 *   - a loaded set answers for every signature (id, name, kind, severity in
 *     range; bb_ruleset_find finds each id at its index), runs its own examples
 *     (bb_ruleset_check) and scans a buffer (the input itself) without error.
 */
#include "fuzz.h"

#define MAX_INPUT 4096

static char path[300];

static int on_finding(const bb_finding *f, void *payload)
{
	size_t size = *(const size_t *)payload;
	FUZZ_CHECK(!f->secret_len || (f->secret_start < f->secret_end && f->secret_end <= size),
		"secret span [%llu,%llu) in %zu bytes", (unsigned long long)f->secret_start,
		(unsigned long long)f->secret_end, size);
	return 0;
}

static void on_check(const bb_signature *sig, int ok, const char *message, void *payload)
{
	(void)sig;
	(void)ok;
	(void)payload;
	FUZZ_CHECK(message != NULL, "check without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	if (!path[0])
		snprintf(path, sizeof path, "%s/signatures.json", fuzz_tmpdir());
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();

	const char *paths[1] = { path };
	bb_ruleset_options o = { .paths = paths, .n_paths = 1, .no_builtin = 1, .no_cache = 1 };
	bb_ruleset *rs = NULL;
	bb_diag d;
	memset(&d, 0, sizeof d);
	int rc = bb_ruleset_load(&rs, &o, &d);
	if (rc < 0) {
		FUZZ_CHECK(rc == BB_EBADRULE, "load: %s", bb_strerror(rc));
		FUZZ_CHECK(d.message[0], "load failed without a message");
		FUZZ_CHECK(!rs, "a ruleset after a failed load");
		return 0;
	}
	size_t n = bb_ruleset_count(rs);
	for (size_t i = 0; i < n; i++) {
		const bb_signature *g = bb_ruleset_get(rs, i);
		FUZZ_CHECK(g && g->id && g->id[0] && g->name && g->name[0], "signature %zu", i);
		FUZZ_CHECK((unsigned)g->kind <= BB_KIND_SENSITIVE_FILE &&
			(unsigned)g->severity <= BB_SEV_CRITICAL &&
			(unsigned)g->confidence <= BB_CONF_HIGH, "%s: enum out of range", g->id);
		FUZZ_CHECK(g->description && g->remediation && g->references && g->pattern &&
			g->anchor && g->path && g->magic && g->validator && g->source, "%s: NULL field",
			g->id);
		FUZZ_CHECK(bb_ruleset_find(rs, g->id) == (long)i, "%s: not found at %zu", g->id, i);
	}
	FUZZ_CHECK(bb_ruleset_get(rs, n) == NULL, "a signature past the end");
	rc = bb_ruleset_check(rs, on_check, NULL);
	FUZZ_CHECK(rc >= 0 && (size_t)rc <= n, "check: %d", rc);

	bb_scanner *s;
	FUZZ_CHECK(bb_scanner_new(&s, rs, NULL, NULL) == BB_OK, "scanner_new");
	rc = bb_scanner_scan_buffer(s, data, size, "fuzz/input.txt", on_finding, &size);
	FUZZ_CHECK(rc == BB_OK, "scan: %s (%s)", bb_strerror(rc), bb_scanner_errmsg(s));
	bb_scanner_free(s);
	bb_ruleset_free(rs);
	return 0;
}
