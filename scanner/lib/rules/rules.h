/*
 * rules: signature files -> an immutable, compiled bb_ruleset.
 *
 * Pipeline (ruleset.c):  sources (built-in files embedded in the binary, then user
 * files) -> content key -> cache hit? load : parse JSON (sigfile.c) -> serialize the
 * runtime metadata (meta.c) -> compile Hyperscan databases -> write cache (cache.c).
 * Either way the ruleset's metadata lives in one blob that the bb_sig records point
 * into, so the cached and the freshly compiled paths share one representation.
 *
 * Ownership: the ruleset owns the blob, the Hyperscan databases, the prototype
 * scratch and the lazily compiled PCRE2 codes. Everything is read-only after load
 * except the lazy regex slots, which are filled once under a mutex.
 */
#ifndef BB_RULES_H
#define BB_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <hs/hs.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../util/util.h"

/* Longest look-back used to confirm a hit of a pattern whose width is unbounded,
 * and the overlap kept between chunks of a stream. */
#define BB_MAX_WINDOW 16384u
/* Largest window around an anchor (and the default). */
#define BB_MAX_ANCHOR_WINDOW 16384u
#define BB_DEFAULT_ANCHOR_WINDOW 256u

/* The runtime record of one signature. Strings point into the ruleset's blob. */
typedef struct bb_sig {
	bb_signature pub;
	uint32_t hs_flags;      /* Hyperscan flags for `pattern` or `path` */
	uint32_t pcre_opts;     /* PCRE2 compile options for the same */
	uint32_t group;         /* secret capture group */
	uint32_t window;        /* confirmation look-back, bytes (<= BB_MAX_WINDOW) */
	uint32_t ahead;         /* anchored signatures: bytes after the anchor the
	                           match may extend to; 0: not anchored */
	uint32_t ctx_before, ctx_after;
	uint8_t validator;      /* bb_validator */
	uint8_t on_invalid_low; /* failed validator: report at low confidence */
	uint8_t placeholders;   /* reject placeholder-looking secrets */
	uint8_t prefilter;
	uint8_t generic;        /* gives way to a specific signature on the same secret */
	uint8_t single_line;    /* no line break between a match's start and its
	                           anchor's end: confirmation starts at that line */
	const char *ctx_keywords; /* lowercase, '\n'-separated; "" if none */
	const char *allow;        /* one regex over the secret; "" if none */
	const char *allow_match;  /* one regex over the whole match; "" if none */
	const char *path_exclude; /* regex over the path; "" if none */
} bb_sig;

enum { BB_SIG_CONTENT = 1, BB_SIG_PATH = 2, BB_SIG_MAGIC = 3 };
static inline int bb_sig__type(const bb_sig *s)
{
	return s->pub.pattern[0] ? BB_SIG_CONTENT : s->pub.path[0] ? BB_SIG_PATH : BB_SIG_MAGIC;
}

/* A PCRE2 code compiled on first use and then shared. It starts interpreted:
 * JIT-compiling a pattern costs 10-60 us for most signatures and over 1 ms for the
 * largest, more than interpreting it over the few windows a small input (an agent
 * hook's payload) offers. It is JIT-compiled, into a copy that replaces it, once
 * it has been used BB_JIT_AFTER times or once the time spent interpreting it
 * exceeds what compiling it is estimated to cost (BB_JIT_NS_PER_BYTE of compiled
 * pattern; measured 50-75 ns on x86-64): at most about twice the better of the
 * two choices made in hindsight. The first code stays alive (threads may still be
 * matching with it) until the ruleset goes. */
#define BB_JIT_AFTER 32
#define BB_JIT_NS_PER_BYTE 70
typedef struct bb_lazy_re {
	_Atomic(pcre2_code *) code;
	pcre2_code *first;      /* the interpreted code, once a JIT copy replaced it */
	atomic_uint uses;
	atomic_int jitted;
	_Atomic uint64_t spent_ns; /* interpreting it, so far */
	uint64_t budget_ns;     /* the estimated JIT compile time */
	atomic_int failed;
} bb_lazy_re;

/* One signature source: a name and its bytes. */
typedef struct bb_source {
	char *name;             /* "builtin:ai.json" or a path */
	const char *data;
	size_t len;
	char *owned;            /* data when it was read from disk */
	const char *digest;     /* built-in files: SHA-256 of data, computed at build time */
} bb_source;

struct bb_ruleset {
	bb_sig *sigs;
	size_t n;
	hs_database_t *content_db; /* every content pattern; expression id = sig index */
	hs_database_t *path_db;    /* every path pattern; NULL when there are none */
	hs_scratch_t *scratch;     /* prototype, cloned by each scanner */
	size_t *magic;             /* indices of magic signatures */
	size_t n_magic;
	uint32_t max_capture;      /* largest capture count, for match data */
	unsigned char *blob;       /* metadata the sig strings point into */
	size_t blob_len;
	void *map;                 /* a cache file mapped: blob and databases point into */
	size_t map_len;            /* it (then they are not freed on their own) */
	bb_lazy_re *re;            /* per sig: pattern / path / magic regex */
	bb_lazy_re *allow_re;      /* per sig: allow regex */
	bb_lazy_re *allow_match_re; /* per sig: allow_match regex */
	bb_lazy_re *exclude_re;    /* per sig: path_exclude regex */
	pthread_mutex_t re_lock;
	int from_cache;
	bb_source *sources;        /* kept for `signatures check` */
	size_t n_sources;
};

/* ---- sigfile.c: JSON -> specs ------------------------------------------- */

/* A signature as parsed from JSON, before serialization. Strings are malloc'd. */
typedef struct bb_sigspec {
	bb_sig sig;              /* pub string fields are malloc'd here */
	char *id, *name, *description, *remediation, *references, *pattern, *anchor, *path,
		*magic, *ctx_keywords, *allow, *allow_match, *path_exclude, *source;
} bb_sigspec;

typedef struct bb_specset {
	bb_sigspec *v;
	size_t n, cap;
} bb_specset;

/* Parses one signature file and appends its signatures. BB_EBADRULE with diag on
 * any problem (JSON syntax with line number, unknown or ill-typed field, bad id,
 * duplicate id, bad regex for PCRE2). */
int bb_rules__parse(bb_specset *set, const bb_source *src, bb_diag *diag);
void bb_rules__specset_free(bb_specset *set);
void bb_rules__spec_free(bb_sigspec *s);

/* Calls `fn` for each example of signature `id` in the source text (examples first,
 * then negatives). The example bytes are valid during the call only. */
typedef int (*bb_example_fn)(const char *id, int positive, const unsigned char *text,
	size_t len, int is_path, void *payload);
int bb_rules__each_example(const bb_source *src, bb_example_fn fn, void *payload,
	bb_diag *diag);

/* PCRE2 options and Hyperscan flags from a "flags" string. */
int bb_rules__parse_flags(const char *s, uint32_t *pcre_opts, uint32_t *hs_flags);

/* ---- meta.c: specs <-> blob ------------------------------------------------ */

int bb_rules__meta_write(bb_buf *out, const bb_specset *set);
/* Builds sigs[] pointing into blob[0..len); blob must stay alive. */
int bb_rules__meta_read(const unsigned char *blob, size_t len, bb_sig **sigs_out,
	size_t *n_out);

/* ---- cache.c ---------------------------------------------------------------- */

typedef struct bb_cache_key {
	uint64_t lo, hi;
} bb_cache_key;

bb_cache_key bb_rules__cache_key(const bb_source *src, size_t n, int builtin);
/* Returns the cache file path for the key in *path (malloc'd) or BB_ENOTFOUND when
 * no cache directory can be determined. */
int bb_rules__cache_path(const char *dir, bb_cache_key key, char **path);
/* Loads blob + databases; any problem (missing, stale, corrupt) is BB_ENOTFOUND. */
int bb_rules__cache_read(const char *path, bb_cache_key key, bb_ruleset *rs);
/* Serialises compiling between processes sharing a cache directory: after an
 * install or an upgrade, many hook processes start at once, and one compile
 * followed by cache reads beats all of them compiling. Returns a descriptor to
 * pass to bb_rules__cache_unlock, or -1 (then compile without the lock). */
int bb_rules__cache_lock(const char *path);
void bb_rules__cache_unlock(int fd);
/* Best effort: writes atomically (temp file + rename); errors are ignored. */
void bb_rules__cache_write(const char *path, bb_cache_key key, const bb_ruleset *rs);

/* ---- ruleset.c -------------------------------------------------------------- */

/* The signature's regex (kind per bb_sig__type), compiled on first use with JIT.
 * NULL if it cannot be compiled (then it never matches). */
pcre2_code *bb_rules__re(const bb_ruleset *rs, size_t i);
/* 1 while signature i's regex is interpreted: then report the time spent matching
 * with it (bb_rules__re_spent), which may get it JIT-compiled. */
int bb_rules__re_interpreted(const bb_ruleset *rs, size_t i);
void bb_rules__re_spent(const bb_ruleset *rs, size_t i, uint64_t ns);
pcre2_code *bb_rules__allow_re(const bb_ruleset *rs, size_t i);      /* NULL: none */
pcre2_code *bb_rules__allow_match_re(const bb_ruleset *rs, size_t i); /* NULL: none */
pcre2_code *bb_rules__exclude_re(const bb_ruleset *rs, size_t i);    /* NULL: none */

/* Compiles a regex for confirmation with the options every engine regex uses. */
/* jit: also JIT-compile it (for patterns about to be used many times). */
pcre2_code *bb_rules__compile_re(const char *re, uint32_t opts, int jit, char *err, size_t errlen);

/* ---- builtin: generated at build time from the files in signatures/ ---------- */
typedef struct bb_builtin_file {
	const char *name;
	const unsigned char *data;
	size_t len;
	const char *sha256;     /* hex */
} bb_builtin_file;
extern const bb_builtin_file bb_builtin_files[];
extern const size_t bb_builtin_n_files;

#endif
