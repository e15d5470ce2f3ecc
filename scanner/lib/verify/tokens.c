/*
 * tokens: validators of provider tokens and encoded secrets: GitHub and npm tokens with
 * their CRC32 checksum, JSON Web Tokens, and base64 keys of 64 bytes.
 *
 * The caller owns the candidate bytes. Everything but the JWT check works on the stack;
 * the JWT check allocates the decoded header and payload and cJSON's tree, and frees
 * them all before it returns.
 */
#define _POSIX_C_SOURCE 200809L

#include "checks.h"
#include "verify.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- GitHub and npm: prefix, 30 random base62 characters, 6 of checksum ---- */

/*
 * Scheme: https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 * (GitHub) and https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
 * (npm: "the same format"). The blog posts only say the last six characters are a CRC32
 * checksum; the exact encoding is the one public checkers agree on, e.g. CredSweeper's
 * ValueGitHubCheck (https://github.com/Samsung/CredSweeper, credsweeper/filters/
 * value_github_check.py): zlib's CRC32 of the 30 characters between the 4-byte prefix and
 * the checksum, written in base62 with the alphabet 0-9A-Za-z, most significant digit
 * first, left-padded with '0' to 6 characters.
 */
#define CRC_TOKEN_PREFIX 4
#define CRC_TOKEN_BODY 30
#define CRC_TOKEN_SUM 6
#define CRC_TOKEN_LEN (CRC_TOKEN_PREFIX + CRC_TOKEN_BODY + CRC_TOKEN_SUM)

static int base62_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

/* s is a 40-byte token whose 4-byte prefix the caller checked. Decoding the checksum
 * (rather than encoding the CRC) accepts exactly one spelling, since 62^6 > 2^32 and
 * the padding is fixed. */
static int crc_token_ok(const unsigned char *s)
{
	uint64_t want = 0;

	for (size_t i = CRC_TOKEN_PREFIX; i < CRC_TOKEN_LEN; i++) {
		int v = base62_value(s[i]);

		if (v < 0)
			return 0;
		if (i >= CRC_TOKEN_PREFIX + CRC_TOKEN_BODY)
			want = want * 62 + (uint64_t)v;
	}
	return want == (uint64_t)crc32(0L, s + CRC_TOKEN_PREFIX, CRC_TOKEN_BODY);
}

/* Only the prefixes the GitHub post documents: ghp_ (personal), gho_ (OAuth), ghu_
 * (user-to-server), ghs_ (server-to-server), ghr_ (refresh). */
int bb_verify__check_github(const unsigned char *s, size_t n)
{
	if (n != CRC_TOKEN_LEN || s[0] != 'g' || s[1] != 'h' || s[3] != '_')
		return 0;
	if (memchr("pousr", s[2], 5) == NULL)
		return 0;
	return crc_token_ok(s);
}

int bb_verify__check_npm(const unsigned char *s, size_t n)
{
	if (n != CRC_TOKEN_LEN || memcmp(s, "npm_", CRC_TOKEN_PREFIX) != 0)
		return 0;
	return crc_token_ok(s);
}

/* ---- base64 (RFC 4648), the only decoder blackbar has ---- */

static int b64_value(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

#define B64_BAD ((size_t)-1)

/* The decoded size of n unpadded base64 characters, or B64_BAD if no encoder writes n. */
static size_t b64_size(size_t n)
{
	return n % 4 == 1 ? B64_BAD : n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
}

/*
 * Decodes base64 s[0..n) (url: the URL-safe alphabet of RFC 4648 section 5) into out,
 * which holds at least n * 3 / 4 bytes. Returns the size, or B64_BAD if a byte is
 * outside the alphabet. `lenient` skips '=' and white space, as text written by
 * people has them; strict decoding takes unpadded input only, of a length an
 * encoder writes, and wants the bits left over in the last character zero: every
 * encoder writes them so (RFC 4648 section 3.5), so a random string that merely
 * looks like base64 fails there at least three times in four.
 */
static size_t b64_decode_any(const unsigned char *s, size_t n, int url, int lenient,
	unsigned char *out)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t k = 0;

	if (!lenient && b64_size(n) == B64_BAD)
		return B64_BAD;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (lenient && (c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			continue;
		int v = b64_value(c, url);
		if (v < 0)
			return B64_BAD;
		acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits);
		}
	}
	if (!lenient && (acc & ((1u << bits) - 1)) != 0)
		return B64_BAD;
	return k;
}

static size_t b64_decode(const unsigned char *s, size_t n, int url, unsigned char *out)
{
	return b64_decode_any(s, n, url, 0, out);
}

size_t bb_verify__base64(const unsigned char *s, size_t n, int url, unsigned char *out)
{
	return b64_decode_any(s, n, url, 1, out);
}

/* ---- basic-auth: the credentials of an HTTP Basic header (RFC 7617) ---- */

/* base64 of "user:password": printable text with a colon, a non-empty password. */
int bb_verify__check_basic_auth(const unsigned char *s, size_t n)
{
	unsigned char out[768];
	if (n < 4 || n > 1000)
		return 0;
	size_t k = bb_verify__base64(s, n, 0, out);
	if (k == B64_BAD || k < 3)
		return 0;
	const unsigned char *colon = memchr(out, ':', k);
	if (!colon || colon == out + k - 1)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (out[i] < 0x20 || out[i] == 0x7f)
			return 0;
	return 1;
}

/* ---- base64-64: Azure storage account keys and the like ---- */

/* 64 bytes are 86 base64 characters, written with "==" (88 in all) by every encoder
 * Azure uses; the unpadded form is accepted as well. */
int bb_verify__check_base64_64(const unsigned char *s, size_t n)
{
	unsigned char out[64];

	if (n == 88 && s[86] == '=' && s[87] == '=')
		n = 86;
	if (n != 86)
		return 0;
	return b64_decode(s, n, 0, out) == sizeof(out);
}

/* ---- JWT (RFC 7519 over the JWS compact serialization, RFC 7515 section 7.1) ---- */

/* Larger segments are refused rather than decoded: real tokens are a few KiB, and the
 * check must not allocate without bound on a hostile file. */
#define JWT_MAX_SEGMENT (1u << 20)

/*
 * cJSON 1.7 writes a static error record on every parse (cJSON_GetErrorPtr), a data race
 * between scanning threads (https://github.com/DaveGamble/cJSON/issues/314). Parsing is
 * serialised here; JWT candidates are rare, so the lock costs nothing measurable.
 */
static pthread_mutex_t cjson_lock = PTHREAD_MUTEX_INITIALIZER;

static cJSON *parse_json(const char *buf, size_t len)
{
	const char *end = NULL;
	cJSON *json;

	pthread_mutex_lock(&cjson_lock);
	json = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	pthread_mutex_unlock(&cjson_lock);
	if (json == NULL)
		return NULL;
	/* cJSON stops after the value; the segment must hold nothing else */
	while (end < buf + len && memchr(" \t\r\n", *end, 4) != NULL)
		end++;
	if (end != buf + len) {
		cJSON_Delete(json);
		return NULL;
	}
	return json;
}

/* 1 if the base64url segment decodes to a JSON object (with a string "alg" if need_alg). */
static int json_segment_ok(const unsigned char *s, size_t n, int need_alg)
{
	size_t size = b64_size(n);
	int ok = 0;

	if (n == 0 || n > JWT_MAX_SEGMENT || size == B64_BAD)
		return 0;
	/* one byte more for a NUL, so that no cJSON bug can read past the buffer */
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	if (b64_decode(s, n, 1, (unsigned char *)buf) == size) {
		buf[size] = '\0';
		cJSON *json = parse_json(buf, size);

		ok = cJSON_IsObject(json) && (!need_alg ||
			cJSON_IsString(cJSON_GetObjectItemCaseSensitive(json, "alg")));
		cJSON_Delete(json);
	}
	free(buf);
	return ok;
}

/* The signature is not decoded, only checked to be base64url; it may be empty (an
 * unsecured JWT, RFC 7519 section 6). */
static int signature_ok(const unsigned char *s, size_t n)
{
	if (b64_size(n) == B64_BAD)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (b64_value(s[i], 1) < 0)
			return 0;
	return 1;
}

int bb_verify__check_jwt(const unsigned char *s, size_t n)
{
	const unsigned char *dot1 = n ? memchr(s, '.', n) : NULL;

	if (dot1 == NULL)
		return 0;
	size_t hn = (size_t)(dot1 - s);
	const unsigned char *p = dot1 + 1;
	const unsigned char *dot2 = memchr(p, '.', n - hn - 1);

	if (dot2 == NULL)
		return 0;
	size_t pn = (size_t)(dot2 - p);
	const unsigned char *sig = dot2 + 1;
	size_t sn = n - hn - pn - 2;

	/* a third dot (a JWE, or garbage) is a non-base64url byte of the signature */
	return signature_ok(sig, sn) && json_segment_ok(s, hn, 1) &&
		json_segment_ok(p, pn, 0);
}
