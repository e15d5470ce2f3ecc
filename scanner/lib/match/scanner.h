/*
 * match: one thread's scanning state and the pipeline from bytes to findings.
 *
 *   region scan (scanner.c)
 *     1. Hyperscan, one database, no start-of-match: the callback appends or
 *        extends a "cluster" of match ends per signature in a preallocated vector.
 *     2. Clusters sorted and merged; each is confirmed by the signature's PCRE2
 *        regex over [first end - window, ...] with an offset limit at its last end,
 *        which yields exact spans and the secret group in bounded work.
 *     3. Candidate checks: placeholder, entropy, context keywords, validator,
 *        allow regexes.
 *     4. Overlaps between signatures resolved (a generic rule does not repeat
 *        what a specific one found), then findings built (line and column,
 *        redacted snippet, fingerprint) and filtered (path allowlists, inline
 *        `blackbar:allow`, fingerprints) and handed to the callback.
 *   streams (stream.c): input of any size in chunks with overlap, so memory is
 *     bounded and a secret straddling two chunks is found whole, once.
 *   files (stream.c), decoders (decode/), path and libmagic rules (classify/).
 *
 * Memory: everything here belongs to the scanner and is reused from input to
 * input; nothing is allocated per Hyperscan match or per candidate once the
 * vectors have grown to the working size.
 */
#ifndef BB_SCANNER_H
#define BB_SCANNER_H

#include <magic.h>
#include <zlib.h>
#include <zstd.h>

#include "../rules/rules.h"

/* A stream is scanned in chunks of CHUNK bytes; OVERLAP bytes before a chunk are
 * kept so a match may start there (>= the longest confirmation window plus context);
 * GUARD bytes after it are read before the chunk's findings are final, so a match
 * cut by the chunk's end is not reported short. */
#define BB_CHUNK (4u << 20)
#define BB_OVERLAP (BB_MAX_WINDOW + 8192u)
#define BB_GUARD (BB_MAX_ANCHOR_WINDOW + 4096u) /* > what an anchored match reaches */
/* Bytes of a file's head examined for NUL (binary) and magic numbers. */
#define BB_HEAD 8192u

typedef struct bb_hit {
	uint32_t sig;
	uint32_t pad_;
	uint64_t first_end, last_end; /* relative to the region */
} bb_hit;

typedef struct bb_cand {
	uint32_t sig;
	uint8_t confidence;
	uint8_t validated;   /* index into validated names (scanner.c) */
	uint8_t dropped;
	uint8_t pad_;
	uint64_t start, end, sstart, send; /* relative to the region */
} bb_cand;

typedef struct bb_stream {
	int active;
	bb_buf buf;           /* input bytes [base, base + buf.len) */
	uint64_t base;
	uint64_t done;        /* findings ending at or before this were reported */
	uint64_t line, col;   /* position of buf.data[0]: line (1-based), code points
	                         since the line's start */
	const char *label;
	const char *origin;
	bb_finding_cb cb;
	void *payload;
} bb_stream;

struct bb_scanner {
	const bb_ruleset *rs;
	const bb_filter *filter;
	bb_scan_options opts;
	uint8_t *enabled;          /* per signature: may be reported */
	hs_scratch_t *scratch;

	bb_hit *hits;
	size_t n_hits, cap_hits;
	uint32_t *open_gen, *open_idx; /* per signature: its open cluster this scan */
	uint32_t gen;
	int overflow;

	bb_cand *cands;
	size_t n_cands, cap_cands;

	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;

	/* per input */
	const char *label;
	int path_allow_all;        /* a path allowlist entry covers every signature */
	const char *const *path_allow_ids; /* ids allowed for this path (borrowed) */
	size_t n_path_allow_ids;
	bb_finding_cb cb;
	void *payload;
	int stopped;
	int no_path_rules;         /* set by the walker (--no-path-rules) */
	int trace;                 /* BLACKBAR_TRACE: describe rejected candidates */
	uint64_t n_findings;
	uint64_t n_bytes;          /* content bytes scanned, all inputs */
	bb_sig_stats *prof;        /* per signature, when profiling (else NULL) */

	bb_stream st;
	bb_buf snippet;
	char errmsg[256];

	magic_t cookie;
	z_stream *zs;
	ZSTD_DCtx *zd;
	void *ic[2];               /* iconv_t from UTF-16LE, UTF-16BE (NULL: not opened) */
	bb_buf inbuf;              /* compressed input */
	const unsigned char *mem;  /* compressed input in memory (fd < 0): the part */
	size_t mem_len, mem_pos;   /* not yet moved into inbuf */
};

/* Scans data[0..len), the input's bytes from absolute offset `base`, and reports
 * findings whose match ends (absolute) in (lo, hi]. (line, col) is the position of
 * data[0]. */
int bb_scan__region(bb_scanner *s, const unsigned char *data, size_t len, uint64_t base,
	uint64_t lo, uint64_t hi, uint64_t line, uint64_t col, const char *origin);

/* Prepares per-input state (label, path allowlists) and clears the stop flag. */
void bb_scan__begin_input(bb_scanner *s, const char *label, bb_finding_cb cb, void *payload);

/* Reports a whole-file finding (path or magic rule) for signature `sig`. */
int bb_scan__file_finding(bb_scanner *s, size_t sig, const char *validated,
	const char *shown);

/* Moves (line, col) from the start of p[0..n) to its end. */
void bb_scan__advance(const unsigned char *p, size_t n, uint64_t *line, uint64_t *col);

void bb_scan__set_err(bb_scanner *s, const char *fmt, ...) BB_PRINTF(2, 3);

/* classify/: path and libmagic rules */
int bb_classify__path(bb_scanner *s, const char *label);
/* Head of a non-text file: asks libmagic and reports magic signatures. */
int bb_classify__magic(bb_scanner *s, const unsigned char *head, size_t n);
void bb_classify__free(bb_scanner *s);

/* decode/: streams the decoded content of a gzip or zstd file, or of UTF-16 text, into
 * the scanner's current stream. s->inbuf holds the first bytes, already read from fd
 * (fd < 0: the rest is at s->mem). */
int bb_decode__gzip(bb_scanner *s, int fd);
int bb_decode__zstd(bb_scanner *s, int fd);
/* The byte order of UTF-16 text at p[0..n): 'l' or 'b' (2-byte byte order mark, or
 * mostly ASCII characters in the other byte of each pair), else 0. *bom: its length. */
int bb_decode__utf16_order(const unsigned char *p, size_t n, size_t *bom);
int bb_decode__utf16(bb_scanner *s, int fd, int order, size_t bom);
void bb_decode__free(bb_scanner *s);

/* stream.c internals the decoders use: feed copies; space/commit let a producer
 * write straight into the stream buffer (at most `want` bytes, *n granted). */
int bb_stream__feed(bb_scanner *s, const void *buf, size_t len);
int bb_stream__space(bb_scanner *s, size_t want, unsigned char **p, size_t *n);
int bb_stream__commit(bb_scanner *s, size_t n);

/* filter/ internals */
int bb_filter__excluded(const bb_filter *f, const char *relpath);
void bb_filter__path_allows(const bb_filter *f, const char *label, int *all,
	const char *const **ids, size_t *n_ids);
int bb_filter__signature_allowed(const bb_filter *f, const char *id);
int bb_filter__fingerprint_allowed(const bb_filter *f, const char *fp);
int bb_filter__secret_allowed(const bb_filter *f, const unsigned char *s, size_t n,
	pcre2_match_data *md);

#endif
