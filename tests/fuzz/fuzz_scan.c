/*
 * fuzz_scan: the scanner on arbitrary bytes (bb_scanner_scan_buffer, built-in
 * signatures). Every finding must describe the buffer it came from:
 *   - content findings: start <= secret_start < secret_end <= end <= size, the
 *     secret pointer is the buffer at secret_start, 1-based positions in order;
 *   - secrets arrive sorted by start (the redactor relies on it);
 *   - the snippet is printable UTF-8 without line breaks and does not show the
 *     secret (unless those bytes also occur elsewhere, unmasked);
 *   - the fingerprint is 32 hex digits.
 */
#include "fuzz.h"

static bb_scanner *scanner;

typedef struct seen {
	const uint8_t *data;
	size_t size;
	uint64_t last_start;
	size_t n;
} seen;

static int occurs_elsewhere(const uint8_t *data, size_t size, const unsigned char *sec,
	size_t n, uint64_t at)
{
	for (const uint8_t *p = data; (p = memmem(p, size - (size_t)(p - data), sec, n)); p++)
		if ((uint64_t)(p - data) != at)
			return 1;
	return 0;
}

static void check_text(const char *s, const char *what)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f, "%s has control byte 0x%02x at %zu", what, c, i);
		size_t k = bb_utf8_seq((const unsigned char *)s + i, n - i);
		FUZZ_CHECK(k > 0, "%s is not valid UTF-8 at %zu", what, i);
		i += k;
	}
}

static int on_finding(const bb_finding *f, void *payload)
{
	seen *sn = payload;
	FUZZ_CHECK(f->sig != NULL, "finding without a signature");
	FUZZ_CHECK(strlen(f->fingerprint) == 32 &&
		strspn(f->fingerprint, "0123456789abcdef") == 32, "fingerprint %s", f->fingerprint);
	FUZZ_CHECK(f->redacted != NULL, "no snippet");
	check_text(f->redacted, "snippet");
	FUZZ_CHECK(f->line >= 1 && f->column >= 1, "position %llu:%llu",
		(unsigned long long)f->line, (unsigned long long)f->column);
	if (!f->secret_len) /* a sensitive file (by name or type): no span */
		return 0;
	FUZZ_CHECK(f->start <= f->secret_start && f->secret_start < f->secret_end &&
		f->secret_end <= f->end && f->end <= sn->size,
		"%s: spans [%llu,%llu) secret [%llu,%llu) in %zu bytes", f->sig->id,
		(unsigned long long)f->start, (unsigned long long)f->end,
		(unsigned long long)f->secret_start, (unsigned long long)f->secret_end, sn->size);
	FUZZ_CHECK(f->secret_len == f->secret_end - f->secret_start, "%s: secret_len %zu",
		f->sig->id, f->secret_len);
	FUZZ_CHECK(f->secret == sn->data + f->secret_start, "%s: secret pointer", f->sig->id);
	FUZZ_CHECK(!memcmp(f->secret, sn->data + f->secret_start, f->secret_len), "secret bytes");
	FUZZ_CHECK(f->end_line > f->line || (f->end_line == f->line && f->end_column >= f->column),
		"%s: end %llu:%llu before start %llu:%llu", f->sig->id,
		(unsigned long long)f->end_line, (unsigned long long)f->end_column,
		(unsigned long long)f->line, (unsigned long long)f->column);
	FUZZ_CHECK(!sn->n || f->secret_start >= sn->last_start, "%s: secret at %llu after one at %llu",
		f->sig->id, (unsigned long long)f->secret_start, (unsigned long long)sn->last_start);
	sn->last_start = f->secret_start;
	sn->n++;
	if (f->secret_len >= 8 && memmem(f->redacted, strlen(f->redacted), f->secret, f->secret_len))
		FUZZ_CHECK(occurs_elsewhere(sn->data, sn->size, f->secret, f->secret_len,
			f->secret_start), "%s: the snippet shows the secret", f->sig->id);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (bb_scanner_new(&scanner, fuzz_builtin_rules(), NULL, NULL) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	seen sn = { data, size, 0, 0 };
	int rc = bb_scanner_scan_buffer(scanner, data, size, NULL, on_finding, &sn);
	FUZZ_CHECK(rc == BB_OK, "scan: %s (%s)", bb_strerror(rc), bb_scanner_errmsg(scanner));
	return 0;
}
