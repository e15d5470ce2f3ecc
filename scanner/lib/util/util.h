/*
 * util: small helpers every module uses: a growable byte buffer with a size cap,
 * diagnostics, checked string copies, and the fingerprint and content hashes.
 *
 * Ownership: a bb_buf owns its bytes; bb_buf_free() releases them and leaves the
 * buffer reusable (empty). Nothing here keeps global state.
 */
#ifndef BB_UTIL_H
#define BB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "blackbar/blackbar.h"

#define BB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define BB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define BB_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define BB_LIKELY(x) __builtin_expect(!!(x), 1)
#define BB_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BB_LIKELY(x) (x)
#define BB_UNLIKELY(x) (x)
#define BB_PRINTF(f, a)
#endif

/* Forward a negative status: `BB_TRY(expr);` in functions with an `out:` label and
 * an `int rc` variable. */
#define BB_TRY(expr)                   \
	do {                                   \
		if ((rc = (expr)) < 0) goto out;   \
	} while (0)

/* A growable byte buffer. `cap` never exceeds `limit` (0: no limit); growing past
 * it fails with BB_ETOOBIG and leaves the buffer as it was. `align` (0: malloc's)
 * keeps `data` at a multiple of it, a power of two; such a buffer grows by copy. */
typedef struct bb_buf {
	unsigned char *data;
	size_t len, cap, limit, align;
} bb_buf;

void bb_buf_init(bb_buf *b, size_t limit);
void bb_buf_free(bb_buf *b);
int bb_buf_reserve(bb_buf *b, size_t extra);      /* room for len + extra */
int bb_buf_append(bb_buf *b, const void *p, size_t n);
int bb_buf_puts(bb_buf *b, const char *s);
int bb_buf_printf(bb_buf *b, const char *fmt, ...) BB_PRINTF(2, 3);
/* Appends a NUL without counting it in len; returns data as a C string. */
const char *bb_buf_cstr(bb_buf *b);

/* Copies; NULL on allocation failure. bb_strndup copies n bytes and a NUL. */
char *bb_strdup(const char *s);
char *bb_strndup(const char *s, size_t n);

/* Reads the JSON file at path into *root, which must be an object (freed with
 * cJSON_Delete). A missing file is BB_ENOTFOUND, which callers may take as "no
 * config"; any error sets diag: "cannot read config: ..." or "not a JSON object"
 * (BB_EINVAL). The one reader of blackbar's config files. */
struct cJSON;
int bb_json_read_object(const char *path, struct cJSON **root, bb_diag *diag);

/* Room for one more element in the array v of n elements of `size` bytes and
 * capacity *cap: the capacity doubles when full (to `first` from empty). Returns
 * the array (moved or not), or NULL when out of memory (v and *cap unchanged). */
void *bb_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* open(2) for a path of any length: one longer than PATH_MAX (a deeply nested tree)
 * is opened a directory at a time, with openat(2). */
int bb_open_long(const char *path, int flags);

/* Formats into diag->message and copies file and id (either may be NULL). Safe
 * with diag == NULL. */
void bb_diag_set(bb_diag *diag, const char *file, const char *id,
	const char *fmt, ...) BB_PRINTF(4, 5);

/* Reads a whole file into *out (malloc'd, NUL-terminated, length in *len).
 * Refuses files larger than `limit` bytes with BB_ETOOBIG. */
int bb_read_file(const char *path, size_t limit, char **out, size_t *len);

/* Finding fingerprint: hex of the first 16 bytes of SHA-256(id || 0x00 || secret).
 * Cryptographic so that a baseline committed to a repository does not help anyone
 * recover a secret; stable across versions (baselines depend on it). */
void bb_fingerprint(const char *id, const unsigned char *secret, size_t n,
	char out[33]);

/* ASCII-lowercases n bytes of src into dst. */
void bb_ascii_lower(char *dst, const char *src, size_t n);

/* Case-insensitive (ASCII) search of needle in hay; NULL if absent. */
const char *bb_memmem_ci(const char *hay, size_t hn, const char *needle, size_t nn);

#endif
