/*
 * classify.c: whole-file findings. A file can be sensitive by its name (path
 * signatures, one Hyperscan database over the path) or by its type (magic
 * signatures over libmagic's description).
 *
 * libmagic costs about a millisecond per call and its database costs several to
 * load, so it is asked only about files that are not text (a NUL in the head),
 * whose first bytes are not one of the common harmless binary formats below, and
 * only when magic signatures exist. Each scanner opens its own cookie on first
 * use; opening is serialised because concurrent magic_open/magic_load calls are
 * reported to crash, and a cookie is never shared between threads.
 */
#include "../match/scanner.h"

#include <stdlib.h>
#include <string.h>

static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
#define MAGIC_FAILED ((magic_t)(uintptr_t)1)

typedef struct path_hits {
	unsigned ids[64];
	unsigned n;
} path_hits;

static int on_path_hit(unsigned id, unsigned long long from, unsigned long long to,
	unsigned flags, void *ctx)
{
	path_hits *h = ctx;
	BB_UNUSED(from);
	BB_UNUSED(to);
	BB_UNUSED(flags);
	for (unsigned i = 0; i < h->n; i++)
		if (h->ids[i] == id)
			return 0;
	if (h->n < BB_ARRAY_LEN(h->ids))
		h->ids[h->n++] = id;
	return 0;
}

static int matches(pcre2_code *re, const char *s, pcre2_match_data *md)
{
	return re && pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
}

int bb_classify__path(bb_scanner *s, const char *label)
{
	const bb_ruleset *rs = s->rs;
	if (!rs->path_db || !label || !label[0] || s->stopped || s->no_path_rules)
		return BB_OK;
	path_hits h = { .n = 0 };
	size_t n = strlen(label);
	if (hs_scan(rs->path_db, label, (unsigned)n, 0, s->scratch, on_path_hit, &h) != HS_SUCCESS)
		return BB_ERROR;
	for (unsigned i = 0; i < h.n; i++) {
		size_t id = h.ids[i];
		if (!matches(bb_rules__re(rs, id), label, s->md))
			continue;
		if (rs->sigs[id].path_exclude[0] && matches(bb_rules__exclude_re(rs, id), label, s->md))
			continue;
		int rc = bb_scan__file_finding(s, id, "path", label);
		if (rc < 0)
			return rc;
	}
	return BB_OK;
}

/* Formats that are common in repositories and never one of the sensitive types:
 * skipping them keeps libmagic off the hot path. */
static int common_binary(const unsigned char *p, size_t n)
{
	static const struct { const char *magic; size_t len; } known[] = {
		{ "\x7f" "ELF", 4 }, { "\x89PNG", 4 }, { "\xff\xd8\xff", 3 }, { "GIF8", 4 },
		{ "%PDF", 4 }, { "PK\x03\x04", 4 }, { "\0asm", 4 }, { "\xca\xfe\xba\xbe", 4 },
		{ "\xcf\xfa\xed\xfe", 4 }, { "MZ", 2 }, { "RIFF", 4 }, { "\x1a\x45\xdf\xa3", 4 },
		{ "OggS", 4 }, { "fLaC", 4 }, { "ID3", 3 }, { "wOFF", 4 }, { "wOF2", 4 },
		{ "SQLite format 3", 15 }, { "!<arch>", 7 }, { "BZh", 3 }, { "\xfd" "7zXZ", 5 },
	};
	for (size_t i = 0; i < BB_ARRAY_LEN(known); i++)
		if (n >= known[i].len && !memcmp(p, known[i].magic, known[i].len))
			return 1;
	return 0;
}

static magic_t cookie(bb_scanner *s)
{
	if (s->cookie)
		return s->cookie;
	pthread_mutex_lock(&magic_lock);
	magic_t m = magic_open(MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ENCODING |
		MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_CDF);
	if (m && magic_load(m, NULL) != 0) {
		magic_close(m);
		m = NULL;
	}
	pthread_mutex_unlock(&magic_lock);
	s->cookie = m ? m : MAGIC_FAILED;
	return s->cookie;
}

int bb_classify__magic(bb_scanner *s, const unsigned char *head, size_t n)
{
	const bb_ruleset *rs = s->rs;
	if (s->opts.no_magic || !rs->n_magic || s->stopped || common_binary(head, n))
		return BB_OK;
	magic_t m = cookie(s);
	if (m == MAGIC_FAILED)
		return BB_OK;
	const char *desc = magic_buffer(m, head, n);
	if (!desc)
		return BB_OK;
	for (size_t i = 0; i < rs->n_magic; i++) {
		size_t id = rs->magic[i];
		if (!matches(bb_rules__re(rs, id), desc, s->md))
			continue;
		int rc = bb_scan__file_finding(s, id, "magic", desc);
		if (rc < 0)
			return rc;
	}
	return BB_OK;
}

void bb_classify__free(bb_scanner *s)
{
	if (s->cookie && s->cookie != MAGIC_FAILED)
		magic_close(s->cookie);
	s->cookie = NULL;
}
