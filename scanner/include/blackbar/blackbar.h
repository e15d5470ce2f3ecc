/*
 * blackbar: find secrets, PHI/PII and sensitive files in bytes, files and trees.
 *
 * The whole public API of the engine. The `blackbar` CLI, the agent and git hooks
 * and the benchmarks use nothing else.
 *
 * Objects and ownership (the libgit2 conventions):
 *
 *   bb_ruleset  compiled signatures. Immutable after bb_ruleset_load(); share it
 *               freely between threads. Owned by whoever loaded it.
 *   bb_scanner  one thread's scanning state (Hyperscan scratch, hit vector, PCRE2
 *               match data, read buffer). Reuse it for many inputs; never use one
 *               from two threads at once. It borrows its ruleset and its filter,
 *               which must outlive it.
 *   bb_filter   allowlists (paths, signature ids, fingerprints, secret regexes) and
 *               the baseline. Immutable once built; shared like the ruleset.
 *
 * A function that can fail returns an int: BB_OK (0) or a negative bb_status.
 * Objects come back through `**out`: the caller owns them and frees them with the
 * matching _free(), which accepts NULL. A pointer returned by a getter is borrowed
 * from its parent. Findings are handed to a callback and are valid only during
 * that call: copy what you keep.
 */
#ifndef BLACKBAR_H
#define BLACKBAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BB_VERSION "0.1.0"

/* Status codes. Append only; never renumber. */
typedef enum bb_status {
	BB_OK = 0,
	BB_ERROR = -1,     /* anything not listed below */
	BB_ENOMEM = -2,
	BB_EBADRULE = -3,  /* a signature file or pattern is invalid (see bb_diag) */
	BB_EIO = -4,       /* a file could not be read or written */
	BB_ETOOBIG = -5,   /* an input exceeds a configured limit */
	BB_EDECODE = -6,   /* compressed data is corrupt or exceeds decode limits */
	BB_ENOTFOUND = -7,
	BB_EINVAL = -8,    /* bad argument or configuration value */
	BB_ESKIPPED = -9,  /* not scanned on purpose (binary, special file, size) */
	BB_ESTOPPED = -10  /* a callback asked to stop */
} bb_status;

const char *bb_strerror(int status);

/* Where a loading error was found. Filled by the functions that take one. */
typedef struct bb_diag {
	char file[512];    /* signature or config file; "" if none */
	char id[128];      /* signature id; "" if none */
	char message[512];
} bb_diag;

/* ------------------------------------------------------------------------- */
/* Signatures                                                                  */

typedef enum bb_kind {
	BB_KIND_SECRET,
	BB_KIND_PHI,
	BB_KIND_PII,
	BB_KIND_SENSITIVE_FILE
} bb_kind;

typedef enum bb_severity {
	BB_SEV_INFO,
	BB_SEV_LOW,
	BB_SEV_MEDIUM,
	BB_SEV_HIGH,
	BB_SEV_CRITICAL
} bb_severity;

typedef enum bb_confidence {
	BB_CONF_LOW,
	BB_CONF_MEDIUM,
	BB_CONF_HIGH
} bb_confidence;

const char *bb_kind_name(bb_kind k);             /* "secret", "phi", ... */
const char *bb_severity_name(bb_severity s);     /* "critical", ... */
const char *bb_confidence_name(bb_confidence c); /* "high", ... */
int bb_kind_parse(const char *name);             /* -1 if unknown */
int bb_severity_parse(const char *name);         /* -1 if unknown */
/* The rule of every list of signature ids (--only, --skip, allowlists): 1 if `id`
 * equals `entry`, or starts with an entry that ends in '.' (a family: "aws."). */
int bb_id_matches(const char *id, const char *entry);

/* What a signature says about itself. Borrowed from its ruleset. */
typedef struct bb_signature {
	const char *id;          /* "github.pat-classic" */
	const char *name;
	const char *description; /* "" when absent, never NULL */
	const char *remediation; /* "" when absent */
	const char *references;  /* URLs separated by '\n'; "" when absent */
	const char *pattern;     /* content regex; "" for path/magic signatures */
	const char *anchor;      /* Hyperscan expression used to find candidates for
	                            `pattern`; "" when the pattern itself is used */
	const char *path;        /* path regex; "" unless a path signature */
	const char *magic;       /* libmagic description regex; "" unless a magic one */
	const char *validator;   /* validator name; "" when none */
	const char *source;      /* signature file it came from ("builtin:ai.json") */
	bb_kind kind;
	bb_severity severity;
	bb_confidence confidence;
	double min_entropy;
} bb_signature;

typedef struct bb_ruleset bb_ruleset;

typedef struct bb_ruleset_options {
	/* Signature files or directories of *.json files to load, in order. */
	const char *const *paths;
	size_t n_paths;
	/* Leave out the signatures built into the binary (--signatures-only). */
	int no_builtin;
	/* Directory of the compiled-database cache; NULL: $BLACKBAR_CACHE_DIR, else
	 * $XDG_CACHE_HOME/blackbar, else $HOME/.cache/blackbar. */
	const char *cache_dir;
	/* Never read or write the cache (always compile). */
	int no_cache;
	/* Compile only the signatures whose id is in this list or starts with an entry
	 * ending in '.' (NULL: all). For measuring signatures alone (bench); such a
	 * subset is never cached. An empty selection gives a ruleset that finds
	 * nothing. */
	const char *const *only_ids;
	size_t n_only_ids;
} bb_ruleset_options;

/* Loads and compiles signatures: from the cache when it holds this exact signature
 * set for this Hyperscan version and CPU, else by compiling (and then refreshing the
 * cache; a cache that cannot be written is not an error). On BB_EBADRULE, `diag`
 * names the file, the signature id and the reason. `opts` may be NULL. */
int bb_ruleset_load(bb_ruleset **out, const bb_ruleset_options *opts, bb_diag *diag);
void bb_ruleset_free(bb_ruleset *rs);

size_t bb_ruleset_count(const bb_ruleset *rs);
const bb_signature *bb_ruleset_get(const bb_ruleset *rs, size_t i);
/* Index of the signature with that id, or -1. */
long bb_ruleset_find(const bb_ruleset *rs, const char *id);
/* 1 if the ruleset came from the cache, 0 if it was compiled in this process. */
int bb_ruleset_from_cache(const bb_ruleset *rs);

/* Runs every signature's examples and negative examples through a real scan.
 * Calls `report` once per signature (ok = 1 when all its examples behaved) with a
 * message describing the first failure. Returns the number of failing signatures,
 * or a negative status. */
typedef void (*bb_check_cb)(const bb_signature *sig, int ok, const char *message,
	void *payload);
int bb_ruleset_check(const bb_ruleset *rs, bb_check_cb report, void *payload);

/* ------------------------------------------------------------------------- */
/* Findings                                                                    */

typedef struct bb_finding {
	const bb_signature *sig;
	size_t sig_index;          /* index in the ruleset */
	const char *path;          /* as reported: relative to the scan root, or the
	                              label given for a buffer; "-" for stdin */
	const char *origin;        /* "" for plain files; "gzip"/"zstd" when found in
	                              decoded content */
	uint64_t start, end;       /* byte span of the whole match in the input */
	uint64_t secret_start, secret_end; /* byte span of the secret */
	uint64_t line, column;     /* 1-based; columns count Unicode code points */
	uint64_t end_line, end_column; /* of the last byte of the secret, 1-based,
	                                   inclusive */
	const unsigned char *secret; /* the secret's bytes (not NUL-terminated) */
	size_t secret_len;
	const char *redacted;      /* the line (or up to ~160 bytes around the secret)
	                              with the secret masked; printable, no newline */
	char fingerprint[33];      /* hex, stable hash of signature id and secret */
	const char *validated;     /* "checksum", "structure", "context", "path",
	                              "magic" or "pattern": what confirmed it */
	bb_confidence confidence;
} bb_finding;

/* Called for each finding. Return 0 to go on, non-zero to stop the scan (the scan
 * function then returns BB_ESTOPPED). */
typedef int (*bb_finding_cb)(const bb_finding *f, void *payload);

/* ------------------------------------------------------------------------- */
/* Filters: allowlists and baselines                                            */

typedef struct bb_filter bb_filter;

int bb_filter_new(bb_filter **out);
void bb_filter_free(bb_filter *f);
/* Glob over relative paths ("**" crosses directories, "*" does not): files that
 * match are not scanned at all. */
int bb_filter_exclude_path(bb_filter *f, const char *glob);
/* Findings in matching paths are dropped (the file is still scanned for the rest
 * when sig_id is non-NULL: then only that signature is allowed there). */
int bb_filter_allow_path(bb_filter *f, const char *glob, const char *sig_id);
/* A signature id (or a prefix ending in '.', "pii.") that is never reported. */
int bb_filter_allow_signature(bb_filter *f, const char *sig_id);
/* A finding fingerprint that is never reported (baselines, reviewed findings). */
int bb_filter_allow_fingerprint(bb_filter *f, const char *fingerprint_hex);
/* A PCRE2 regex over secrets: matching secrets are never reported. */
int bb_filter_allow_secret_regex(bb_filter *f, const char *regex, bb_diag *diag);
/* Reads a project config (.blackbar.json) into f; see README "Configuration". */
int bb_filter_load_config(bb_filter *f, const char *path, bb_diag *diag);

/* The "signatures" arrays of these config files (those that exist), as paths
 * made absolute against each file's directory, in order: extra signature files
 * to pass to bb_ruleset_load. Free with bb_config_free_paths. */
int bb_config_signature_paths(const char *const *configs, size_t n, char ***out,
	size_t *n_out, bb_diag *diag);
void bb_config_free_paths(char **paths, size_t n);
/* The config's "baseline" file, made absolute against the config's directory, in
 * *out (malloc'd), or *out = NULL when the config names none or does not exist. */
int bb_config_baseline_path(const char *config, char **out, bb_diag *diag);

/* ------------------------------------------------------------------------- */
/* Scanning                                                                     */

typedef struct bb_scan_options {
	/* Skip regular files larger than this many bytes (0: no limit). Files of any
	 * size are otherwise streamed in chunks with bounded memory. */
	uint64_t max_file_size;
	/* Decode gzip and zstd files and scan their content (default on). */
	int no_decompress;
	/* Caps on decoding: output bytes per file and output/input ratio. */
	uint64_t max_decoded_size;  /* default 256 MiB */
	uint32_t max_decode_ratio;  /* default 200 */
	/* Report only these kinds (bit 1 << bb_kind); 0 means all. */
	unsigned kinds;
	/* Report only signatures whose id is in this list or starts with an entry
	 * ending in '.'; NULL means all. */
	const char *const *only_ids;
	size_t n_only_ids;
	/* Skip these signature ids (same matching). */
	const char *const *skip_ids;
	size_t n_skip_ids;
	/* Ask libmagic about files that are not text (default on). */
	int no_magic;
	/* Honour inline "blackbar:allow" comments (default on). */
	int no_inline_allow;
	/* Report only findings of at least this confidence (default BB_CONF_LOW: all). */
	bb_confidence min_confidence;
	/* Benchmarks only: read, classify and decode inputs but match nothing, to
	 * measure the cost of everything but matching (the "read floor"). */
	int no_match;
	/* Benchmarks only: run the candidate matcher (the Hyperscan pass) but confirm
	 * and report nothing, to measure reading plus matching alone. */
	int no_confirm;
} bb_scan_options;

void bb_scan_options_init(bb_scan_options *o);

typedef struct bb_scanner bb_scanner;

/* `filter` may be NULL. `opts` may be NULL (defaults); it is copied. */
int bb_scanner_new(bb_scanner **out, const bb_ruleset *rs, const bb_filter *filter,
	const bb_scan_options *opts);
void bb_scanner_free(bb_scanner *s);

/* Scans bytes in memory. `label` is reported as the finding's path and is what
 * path signatures and path allowlists see; NULL or "" for none. */
int bb_scanner_scan_buffer(bb_scanner *s, const void *buf, size_t len,
	const char *label, bb_finding_cb cb, void *payload);

/* Scans one file: path rules on `label` (defaults to `path`), then its content,
 * streamed. Returns BB_ESKIPPED for files not scanned on purpose (binary without a
 * decoder, FIFO, device, over the size limit), BB_EIO when it cannot be read. */
int bb_scanner_scan_file(bb_scanner *s, const char *path, const char *label,
	bb_finding_cb cb, void *payload);

/* Scans a file's content held in memory (a git blob) as bb_scanner_scan_file
 * would: path rules on `label`, size limit, binary files skipped (libmagic asked),
 * gzip and zstd decoded. */
int bb_scanner_scan_blob(bb_scanner *s, const void *buf, size_t len, const char *label,
	bb_finding_cb cb, void *payload);

/* Scans a stream (stdin, a pipe) read from `fd` until EOF, in bounded memory. */
int bb_scanner_scan_fd(bb_scanner *s, int fd, const char *label,
	bb_finding_cb cb, void *payload);

/* Path rules only (sensitive file names), without reading anything. */
int bb_scanner_scan_path(bb_scanner *s, const char *label, bb_finding_cb cb,
	void *payload);

/* A description of the last error on this scanner (for warnings). */
const char *bb_scanner_errmsg(const bb_scanner *s);

/* Per-signature counters, for tuning signatures (blackbar bench signatures). Off
 * by default; bb_scanner_profile(s, 1) turns them on (and zeroes them): then every
 * confirmation is timed, which costs a clock read per candidate. */
typedef struct bb_sig_stats {
	uint64_t candidates;  /* regions the prefilter handed to confirmation */
	uint64_t matches;     /* regex matches there, before the checks */
	uint64_t findings;    /* reported */
	uint64_t confirm_ns;  /* time spent confirming (regex and checks) */
} bb_sig_stats;
int bb_scanner_profile(bb_scanner *s, int on);
/* The counters of signature i (zeroes when profiling is off). */
void bb_scanner_sig_stats(const bb_scanner *s, size_t i, bb_sig_stats *out);

/* ------------------------------------------------------------------------- */
/* Streaming: feed bytes in pieces of any size; findings come out in order.     */

/* Starts a stream on this scanner (one at a time per scanner). Bytes may arrive
 * in pieces of any size; a secret that straddles two pieces is found whole. */
int bb_stream_begin(bb_scanner *s, const char *label, bb_finding_cb cb, void *payload);
int bb_stream_feed(bb_scanner *s, const void *buf, size_t len);
int bb_stream_end(bb_scanner *s);

/* Redacting filter on top of a stream: bytes go in, the same bytes come out with
 * every secret replaced by "[REDACTED:<signature-id>]". Output lags input by a
 * bounded window so that a secret straddling two writes is still replaced. */
typedef int (*bb_write_cb)(const void *buf, size_t len, void *payload);
typedef struct bb_redactor bb_redactor;
int bb_redactor_new(bb_redactor **out, bb_scanner *s, bb_write_cb write,
	void *payload);
int bb_redactor_feed(bb_redactor *r, const void *buf, size_t len);
/* Flushes what is held back. Returns the number of redactions, or a status. */
long bb_redactor_finish(bb_redactor *r);
void bb_redactor_free(bb_redactor *r);

/* ------------------------------------------------------------------------- */
/* Walking trees in parallel                                                    */

typedef struct bb_walk_options {
	unsigned threads;        /* 0: number of online CPUs */
	int follow_symlinks;     /* default 0 */
	int gitignore;           /* honour .gitignore files (default 0) */
	int scan_git_dir;        /* also scan inside .git directories (default 0) */
	int skip_path_rules;     /* no sensitive-file-by-name findings */
} bb_walk_options;

void bb_walk_options_init(bb_walk_options *o);

typedef struct bb_walk_stats {
	uint64_t files_seen;     /* regular files met */
	uint64_t files_scanned;  /* of which content was scanned */
	uint64_t files_skipped;  /* binary, too big, excluded */
	uint64_t bytes_scanned;  /* content bytes scanned (decoded bytes included) */
	uint64_t errors;         /* files that could not be read */
	uint64_t findings;
} bb_walk_stats;

/* Called for per-file problems (unreadable, vanished, decode limits, loops). The
 * walk goes on. Called from worker threads, one call at a time. */
typedef void (*bb_warn_cb)(const char *path, const char *message, void *payload);

/* Called now and then (about 10 times a second) with running totals, from a
 * worker thread, one call at a time. May be NULL. */
typedef void (*bb_progress_cb)(const bb_walk_stats *st, void *payload);

typedef struct bb_walk_callbacks {
	bb_finding_cb finding;   /* one call at a time (the walk serialises them) */
	bb_warn_cb warn;         /* may be NULL */
	bb_progress_cb progress; /* may be NULL */
	void *payload;
} bb_walk_callbacks;

/* 1 if git features (walk option gitignore, staged and history scans) can be used
 * in this process; otherwise 0, with the reason in why[0..n). They live in a module
 * loaded on first use (libblackbar-git.so). */
int bb_git_available(char *why, size_t n);

/* ---- git: staged content and history (through the git module) ---- */

typedef struct bb_git_options {
	const char *repo;        /* a path inside the repository; NULL: "." */
	int staged;              /* scan what the next commit would add or change */
	const char *range;       /* history: NULL (all), "REV" (not reachable from REV)
	                            or "A..B" */
	unsigned threads;        /* 0: one per CPU */
	uint64_t max_blob_size;  /* larger blobs are skipped with a warning; 0: 100 MiB */
} bb_git_options;

/* Where a finding's content came from. */
typedef struct bb_git_origin {
	const char *commit;      /* 40 hex digits of the commit that introduced the blob;
	                            "" for staged content */
	const char *author;      /* "Name <email>"; "" for staged content */
	long long time;          /* commit time, seconds since the epoch; 0 if staged */
} bb_git_origin;

typedef int (*bb_git_finding_cb)(const bb_finding *f, const bb_git_origin *o, void *payload);

typedef struct bb_git_callbacks {
	bb_git_finding_cb finding; /* one call at a time */
	bb_warn_cb warn;           /* may be NULL */
	bb_progress_cb progress;   /* may be NULL */
	void *payload;
} bb_git_callbacks;

/* Scans a repository's staged content or every blob of its history once (each
 * attributed to the commit that introduced it), in parallel, in bounded memory.
 * A finding's path is the path in the tree. Returns BB_ENOTFOUND (with a reason
 * in err) when the git module or the repository is missing. */
int bb_scan_git(const bb_ruleset *rs, const bb_filter *filter, const bb_scan_options *so,
	const bb_git_options *go, const bb_git_callbacks *cbs, bb_walk_stats *stats_out,
	char *err, size_t errlen);

/* Scans files and directory trees. A finding's path is relative to the root it
 * was found under when that root is a directory, else the root as given. Returns
 * BB_OK when the walk completed (even with per-file warnings). */
int bb_walk(const bb_ruleset *rs, const bb_filter *filter,
	const bb_scan_options *scan_opts, const bb_walk_options *walk_opts,
	const char *const *roots, size_t n_roots, const bb_walk_callbacks *cbs,
	bb_walk_stats *stats_out);

/* ------------------------------------------------------------------------- */
/* Agent guard: decisions about an AI coding agent's tool calls                   */
/*                                                                               */
/* The hook adapters (hooks/) translate an agent's protocol into these calls and  */
/* the verdicts back; every decision about what is sensitive is made here.        */

typedef enum bb_action {
	BB_ACTION_NONE,   /* nothing to do */
	BB_ACTION_REDACT, /* let it through, with the values replaced in tool output */
	BB_ACTION_ASK,    /* ask the user first */
	BB_ACTION_DENY    /* refuse (or, for output, withhold) */
} bb_action;

const char *bb_action_name(bb_action a);  /* "none", "redact", "ask", "deny" */
int bb_action_parse(const char *name);    /* -1 if unknown */

/* What to do per kind of finding; plus switches. */
typedef struct bb_policy {
	bb_action on[4];          /* indexed by bb_kind */
	int bash_rewrite;         /* run shell commands under `blackbar redact --` */
	int block_dump_commands;  /* deny commands that print stored credentials */
	char audit_log[1024];     /* append one JSON line per decision; "" for none */
} bb_policy;

/* Defaults: secret, phi and sensitive-file deny; pii redact; dump commands are
 * blocked; no rewriting; no audit log. */
void bb_policy_init(bb_policy *p);
/* Applies the "policy" object of a config file (.blackbar.json or the user's
 * config.json) over p. A missing file is not an error (BB_ENOTFOUND). */
int bb_policy_load(bb_policy *p, const char *path, bb_diag *diag);

/* One finding behind a verdict (never the secret itself). */
typedef struct bb_verdict_item {
	char id[96];          /* signature id */
	bb_kind kind;
	bb_severity severity;
	char name[128];       /* signature name */
	char fingerprint[33];
	uint64_t line;        /* 1-based, in the text or file scanned (1 for files) */
	uint64_t end_line;    /* of the secret's last character */
} bb_verdict_item;

#define BB_VERDICT_ITEMS 16

typedef struct bb_verdict {
	bb_action action;     /* the strongest action the policy gives the findings */
	size_t n;             /* findings (items holds the first BB_VERDICT_ITEMS) */
	bb_verdict_item items[BB_VERDICT_ITEMS];
	int sensitive_file;   /* a finding is the file itself (by name or type) */
	char command[256];    /* for commands: what makes the command dangerous, e.g.
	                         "cat reads .env", "printenv prints the environment";
	                         "" otherwise. Never holds a secret. */
} bb_verdict;

typedef struct bb_guard bb_guard;

/* The guard borrows the ruleset and the filter (which may be NULL). */
int bb_guard_new(bb_guard **out, const bb_ruleset *rs, const bb_filter *filter,
	const bb_policy *policy);
void bb_guard_free(bb_guard *g);

/* Reading a file: its name, type and the lines [first_line, first_line + n_lines)
 * (first_line 1-based; 0 = from the start; n_lines 0 = to the end). A file that
 * does not exist or cannot be read gives an empty verdict (the tool will fail). */
int bb_guard_file(bb_guard *g, const char *path, uint64_t first_line, uint64_t n_lines,
	bb_verdict *v);
/* Text about to be written, sent or run. `label` names it (a path) for path
 * allowlists; NULL for none. */
int bb_guard_text(bb_guard *g, const void *text, size_t len, const char *label,
	bb_verdict *v);
/* A shell command: secrets written in it, and commands that print files the
 * path signatures call sensitive (cat .env, base64 id_rsa, < .npmrc) or stored
 * credentials (printenv, aws configure get, gh auth token, ...). `cwd` resolves
 * relative paths; may be NULL. */
int bb_guard_command(bb_guard *g, const char *cmd, const char *cwd, bb_verdict *v);
/* Tool output: *out receives a malloc'd copy of text with every value the
 * policy says to redact or deny replaced by [REDACTED:<id>] (NUL-terminated,
 * length in *out_len), or NULL when nothing was replaced (no copy is made: most
 * tool output holds nothing). The verdict lists what was found. */
int bb_guard_redact(bb_guard *g, const void *text, size_t len, char **out, size_t *out_len,
	bb_verdict *v);

/* Appends one line to the policy's audit log (no-op without one). Fields are the
 * decision's context; `v` supplies ids and fingerprints (never secrets). Safe
 * with many processes appending at once: one write(2) per line, under flock. */
int bb_audit_append(const bb_policy *p, const char *agent, const char *session,
	const char *event, const char *tool, const char *decision, const char *path,
	const bb_verdict *v);

/* ------------------------------------------------------------------------- */
/* Text helpers for callers that print findings                                 */

/* Length (1 to 4) of the valid UTF-8 sequence at p[0..n), or 0 if the bytes there
 * are not one (overlong forms and surrogates count as invalid). */
size_t bb_utf8_seq(const unsigned char *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
