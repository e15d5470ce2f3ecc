/*
 * verify: pure checks on a candidate secret, after the regex matched.
 *
 * Nothing here allocates, reads globals that change, or keeps state: every function
 * is safe to call from any scanning thread on any bytes (not NUL-terminated, not
 * necessarily UTF-8). The caller owns the bytes.
 *
 * One exception: the "jwt" validator decodes the header and payload into heap buffers
 * (segments over 1 MiB are refused, not decoded) and parses them with cJSON, which
 * allocates its tree; it frees all of it before returning. cJSON writes a static error
 * record on every parse, so those parses are serialised by a mutex inside the
 * validator; callers need not care. Link: zlib, cjson, libm, and pthreads where libc
 * does not include them.
 */
#ifndef BB_VERIFY_H
#define BB_VERIFY_H

#include <stddef.h>

/* Validators, by the names signature files use (signatures/README.md). Append only:
 * the numbers are stored in the compiled-signature cache. */
typedef enum bb_validator {
	BB_VALIDATOR_NONE = 0,
	BB_VALIDATOR_GITHUB_CRC32,
	BB_VALIDATOR_NPM_CRC32,
	BB_VALIDATOR_LUHN,
	BB_VALIDATOR_CARD,
	BB_VALIDATOR_NPI,
	BB_VALIDATOR_DEA,
	BB_VALIDATOR_SSN,
	BB_VALIDATOR_MBI,
	BB_VALIDATOR_IBAN,
	BB_VALIDATOR_ABA,
	BB_VALIDATOR_JWT,
	BB_VALIDATOR_BASE64_64,
	BB_VALIDATOR_DATE,
	BB_VALIDATOR_PHONE_NANP,
	BB_VALIDATOR_UK_NHS,
	BB_VALIDATOR_BASIC_AUTH,
	BB_VALIDATOR__COUNT
} bb_validator;

/* What a validator's success proves, as reported in findings' "validated" field. */
typedef enum bb_validation_kind {
	BB_VALIDATION_CHECKSUM,  /* a checksum or check digit matched */
	BB_VALIDATION_STRUCTURE  /* the structure is right (no checksum exists) */
} bb_validation_kind;

/* The validator of that name, or -1 if there is none. */
int bb_verify__lookup(const char *name);

/* The name of a validator ("github-crc32"); "" for BB_VALIDATOR_NONE. */
const char *bb_verify__name(bb_validator v);

/* A checksum that chance passes with odds below 1 in 10^9 (the CRC32 tails of GitHub
 * and npm tokens): no placeholder or fake value has one. Luhn-style check digits
 * pass 1 in 10: test card numbers have them too. */
int bb_verify__strong_checksum(bb_validator v);
bb_validation_kind bb_verify__kind(bb_validator v);

/* 1 if s[0..n) passes validator v, 0 if it fails. BB_VALIDATOR_NONE passes. */
int bb_verify__check(bb_validator v, const unsigned char *s, size_t n);

/* Decodes base64 (standard alphabet, or URL-safe with url != 0; padding and ASCII
 * whitespace skipped) into out, which holds at least n * 3 / 4 + 3 bytes. Returns
 * the decoded size, or (size_t)-1 for a byte outside the alphabet. Lenient: for
 * examples and credentials, not for validating a token's exact encoding. */
size_t bb_verify__base64(const unsigned char *s, size_t n, int url, unsigned char *out);

/* Shannon entropy of s[0..n) in bits per byte (0 for n == 0). */
double bb_verify__entropy(const unsigned char *s, size_t n);

/* 1 if s[0..n) looks like a placeholder or a documentation value rather than a real
 * secret: EXAMPLE/sample/dummy/changeme/your-..., template syntax (<...>, ${...}, {{...}},
 * %(...)s, $VAR), masks (xxxx, ****, ...), a single repeated byte, or too few distinct
 * bytes for its length. */
int bb_verify__is_placeholder(const unsigned char *s, size_t n);

/* 1 if s[0..n) holds an alphabet or digit run of 8 or more (abcdefgh, 12345678,
 * ZYXWVUTS): typed to fill a field, so probably not a live secret. */
int bb_verify__is_filler(const unsigned char *s, size_t n);

/* 1 if a secret starting at data[ss] starts within a redaction tag
 * "[REDACTED:<signature-id>]" (what the redactor writes in place of a secret) in
 * data[0..len): a pattern that takes the tag apart (https://[REDACTED:github.pat-
 * classic]@host read as user and password, curl -u "[REDACTED:teamwork.api-token]:x"
 * as user:password) must not report the tag as a secret, or redacted text is
 * redacted again. A real secret does not start in the middle of a tag. */
int bb_verify__in_redaction_tag(const unsigned char *data, size_t len, size_t ss);

#endif
