/*
 * test_verify: unit tests of scanner/lib/verify (validators, entropy, placeholders).
 *
 * A standalone program: prints each failing case on stderr, then "N passed, M failed",
 * and exits non-zero if any case failed. Valid GitHub and npm tokens and JWTs are built
 * at run time (zlib's crc32, a base62 and a base64 encoder written here), so that no
 * token-shaped string sits in the source for other scanners to trip on. Buffers it
 * allocates are freed before exit.
 */
#include "verify.h"
#include "../util/util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int passed, failed;

static void report(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "FAIL %s\n", what);
	}
}

/* A printable excerpt of s for messages: control and non-ASCII bytes as \xNN. */
static void excerpt(const unsigned char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 < cap; i++) {
		if (i == 60) {
			k += (size_t)snprintf(out + k, cap - k, "...(%zu bytes)", n);
			break;
		}
		if (s[i] >= 0x20 && s[i] < 0x7f)
			out[k++] = (char)s[i];
		else
			k += (size_t)snprintf(out + k, cap - k, "\\x%02x", s[i]);
	}
	out[k < cap ? k : cap - 1] = '\0';
}

static void expect_bytes(bb_validator v, const unsigned char *s, size_t n, int want)
{
	char ex[128], msg[256];
	int got = bb_verify__check(v, s, n);

	excerpt(s, n, ex, sizeof(ex));
	snprintf(msg, sizeof(msg), "%s(\"%s\") = %d, want %d", bb_verify__name(v), ex, got, want);
	report(got == want, msg);
}

static void expect(bb_validator v, const char *s, int want)
{
	expect_bytes(v, (const unsigned char *)s, strlen(s), want);
}

struct vcase {
	const char *s;
	int want;
};

static void expect_all(bb_validator v, const struct vcase *c, size_t count)
{
	for (size_t i = 0; i < count; i++)
		expect(v, c[i].s, c[i].want);
}

#define EXPECT_ALL(v, cases) expect_all((v), (cases), sizeof(cases) / sizeof(cases[0]))

/* Deterministic pseudo-random bytes (xorshift64), so failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- names, kinds, dispatch ---- */

static void test_names(void)
{
	static const char *const names[BB_VALIDATOR__COUNT] = {
		"", "github-crc32", "npm-crc32", "luhn", "card", "npi", "dea", "ssn", "mbi",
		"iban", "aba", "jwt", "base64-64", "date", "phone-nanp", "uk-nhs", "basic-auth",
	};
	static const bb_validation_kind kinds[BB_VALIDATOR__COUNT] = {
		BB_VALIDATION_STRUCTURE, BB_VALIDATION_CHECKSUM, BB_VALIDATION_CHECKSUM,
		BB_VALIDATION_CHECKSUM, BB_VALIDATION_CHECKSUM, BB_VALIDATION_CHECKSUM,
		BB_VALIDATION_CHECKSUM, BB_VALIDATION_STRUCTURE, BB_VALIDATION_STRUCTURE,
		BB_VALIDATION_CHECKSUM, BB_VALIDATION_CHECKSUM, BB_VALIDATION_STRUCTURE,
		BB_VALIDATION_STRUCTURE, BB_VALIDATION_STRUCTURE, BB_VALIDATION_STRUCTURE,
		BB_VALIDATION_CHECKSUM, BB_VALIDATION_STRUCTURE,
	};
	char msg[128];

	for (int v = 0; v < BB_VALIDATOR__COUNT; v++) {
		snprintf(msg, sizeof(msg), "name(%d) is \"%s\"", v, names[v]);
		report(strcmp(bb_verify__name((bb_validator)v), names[v]) == 0, msg);
		snprintf(msg, sizeof(msg), "kind(%s)", names[v]);
		report(bb_verify__kind((bb_validator)v) == kinds[v], msg);
		if (v > 0) {
			snprintf(msg, sizeof(msg), "lookup(\"%s\") == %d", names[v], v);
			report(bb_verify__lookup(names[v]) == v, msg);
		}
	}
	/* basic-auth: base64 of printable user:password */
	static const struct { const char *s; int want; } basic[] = {
		{"dXNlcjpwYXNzd29yZA==", 1},   /* user:password */
		{"YWxhZGRpbjpvcGVuc2VzYW1l", 1}, /* aladdin:opensesame */
		{"dXNlcm5hbWU=", 0},           /* no colon */
		{"dXNlcjo=", 0},               /* empty password */
		{"AAECAwQ6BQY=", 0},           /* control bytes */
		{"not base64!", 0},
	};
	for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++) {
		snprintf(msg, sizeof(msg), "basic-auth(\"%s\") == %d", basic[i].s, basic[i].want);
		report(bb_verify__check(BB_VALIDATOR_BASIC_AUTH, (const unsigned char *)basic[i].s,
			strlen(basic[i].s)) == basic[i].want, msg);
	}
	unsigned char b64out[32];
	report(bb_verify__base64((const unsigned char *)"aGVs\nbG8=", 9, 0, b64out) == 5 &&
		!memcmp(b64out, "hello", 5), "base64 skips whitespace and padding");
	report(bb_verify__base64((const unsigned char *)"a*b", 3, 0, b64out) == (size_t)-1,
		"base64 rejects bytes outside the alphabet");
	report(bb_verify__lookup("") == -1, "lookup(\"\") == -1");
	report(bb_verify__lookup(NULL) == -1, "lookup(NULL) == -1");
	report(bb_verify__lookup("GitHub-CRC32") == -1, "lookup is case-sensitive");
	report(bb_verify__lookup("luhn ") == -1, "lookup(\"luhn \") == -1");
	report(bb_verify__lookup("none") == -1, "lookup(\"none\") == -1");
	report(strcmp(bb_verify__name(BB_VALIDATOR__COUNT), "") == 0, "name(out of range) is \"\"");
	report(strcmp(bb_verify__name((bb_validator)-1), "") == 0, "name(-1) is \"\"");
	report(bb_verify__check(BB_VALIDATOR_NONE, NULL, 0) == 1, "check(NONE, NULL, 0) passes");
	report(bb_verify__check(BB_VALIDATOR_NONE, (const unsigned char *)"x", 1) == 1,
		"check(NONE, \"x\") passes");
	report(bb_verify__check(BB_VALIDATOR__COUNT, (const unsigned char *)"4111", 4) == 0,
		"check(out of range) fails");
}

/* Every validator fails on empty, tiny, binary and NUL-laden input. */
static void test_junk_inputs(void)
{
	static const unsigned char high[] = {0x80, 0xff, 0xc3, 0xa9, 0xfe, 0x90, 0x91, 0x92, 0x93};
	static const unsigned char nul9[9] = {0};
	static const unsigned char nuldigits[] = {'1', '2', '3', 0, '4', '5', 0, '6', '7', '8', '9'};
	static const unsigned char nulssn[] = {'5', '3', '6', 0, '2', '2', 0, '8', '7', '2', '6'};
	char msg[96];

	for (int v = 1; v < BB_VALIDATOR__COUNT; v++) {
		snprintf(msg, sizeof(msg), "%s(NULL, 0) fails", bb_verify__name((bb_validator)v));
		report(bb_verify__check((bb_validator)v, NULL, 0) == 0, msg);
		snprintf(msg, sizeof(msg), "%s(NULL, 5) fails", bb_verify__name((bb_validator)v));
		report(bb_verify__check((bb_validator)v, NULL, 5) == 0, msg);
		expect((bb_validator)v, "", 0);
		expect((bb_validator)v, "7", 0);
		expect_bytes((bb_validator)v, high, sizeof(high), 0);
		expect_bytes((bb_validator)v, high, 1, 0);
		expect_bytes((bb_validator)v, nul9, sizeof(nul9), 0);
		expect_bytes((bb_validator)v, nuldigits, sizeof(nuldigits), 0);
		expect_bytes((bb_validator)v, nulssn, sizeof(nulssn), 0);
	}
}

/* ---- GitHub and npm tokens ---- */

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Writes the 6-character base62 checksum of body[0..30) to out (not NUL-terminated). */
static void crc_checksum(const char *body, char *out)
{
	uLong crc = crc32(0L, (const Bytef *)body, 30);

	for (int i = 5; i >= 0; i--) {
		out[i] = base62[crc % 62];
		crc /= 62;
	}
}

/* out[41]: prefix (4 chars) + body (30) + its checksum (6), NUL-terminated. */
static void make_token(const char *prefix, const char *body, char *out)
{
	memcpy(out, prefix, 4);
	memcpy(out + 4, body, 30);
	crc_checksum(body, out + 34);
	out[40] = '\0';
}

static void random_body(char *body)
{
	for (int i = 0; i < 30; i++)
		body[i] = base62[rng() % 62];
	body[30] = '\0';
}

/* The encoder above must agree with the scheme's definition, checked on a vector worked
 * out by hand (Python: binascii.crc32, then base62 0-9A-Za-z, zero-padded to 6). Its CRC
 * is below 62^5, so the checksum starts with the padding '0'. */
static void test_crc_vector(void)
{
	static const char body[] = "blackbarTestVector0123456789ab";
	char sum[7] = {0};

	report(crc32(0L, (const Bytef *)"123456789", 9) == 0xCBF43926u, "zlib crc32 check value");
	report(crc32(0L, (const Bytef *)body, 30) == 0x361c00e9u, "crc32 of the vector body");
	crc_checksum(body, sum);
	report(strcmp(sum, "0zR3Wb") == 0, "base62 checksum of the vector is 0zR3Wb");

	char tok[41];

	make_token("ghp_", body, tok);
	expect(BB_VALIDATOR_GITHUB_CRC32, tok, 1);
	/* the same token with the checksum written without its padding */
	char unpadded[40];

	memcpy(unpadded, tok, 34);
	memcpy(unpadded + 34, tok + 35, 5);
	expect_bytes(BB_VALIDATOR_GITHUB_CRC32, (const unsigned char *)unpadded, 39, 0);
}

static void expect_token_mutations(bb_validator v, const char *tok)
{
	char t[41];

	/* one character of the body changed, then one of the checksum */
	for (int pos = 4; pos < 40; pos += 7) {
		memcpy(t, tok, 41);
		t[pos] = t[pos] == 'a' ? 'b' : 'a';
		expect(v, t, 0);
	}
	memcpy(t, tok, 41);
	t[39] = t[39] == '0' ? '1' : '0';
	expect(v, t, 0);
	/* truncated, extended, a non-base62 byte in the body */
	expect_bytes(v, (const unsigned char *)tok, 39, 0);
	memcpy(t, tok, 41);
	expect_bytes(v, (const unsigned char *)t, 41, 0);
	memcpy(t, tok, 41);
	t[10] = '-';
	expect(v, t, 0);
}

static void test_github(void)
{
	static const char *const prefixes[] = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};
	char body[31], tok[41];

	test_crc_vector();
	for (int i = 0; i < 5; i++) {
		for (int k = 0; k < 4; k++) {
			random_body(body);
			make_token(prefixes[i], body, tok);
			expect(BB_VALIDATOR_GITHUB_CRC32, tok, 1);
			if (k == 0)
				expect_token_mutations(BB_VALIDATOR_GITHUB_CRC32, tok);
		}
	}
	random_body(body);
	/* valid checksums behind prefixes GitHub does not document */
	static const char *const bad_prefixes[] = {"ghx_", "GHP_", "ghp-", "gh__", "npm_", "xhp_"};

	for (size_t i = 0; i < sizeof(bad_prefixes) / sizeof(bad_prefixes[0]); i++) {
		make_token(bad_prefixes[i], body, tok);
		expect(BB_VALIDATOR_GITHUB_CRC32, tok, 0);
	}
	/* a body holding a byte outside base62 whose CRC is nonetheless right */
	memcpy(body + 3, "_/", 2);
	make_token("ghp_", body, tok);
	expect(BB_VALIDATOR_GITHUB_CRC32, tok, 0);
	/* GitHub's documentation example: right shape, wrong checksum */
	char doc[41];

	snprintf(doc, sizeof(doc), "%s%s%s", "gho_16C7e42F292c", "6912E7710c838347A", "e178B4a");
	expect(BB_VALIDATOR_GITHUB_CRC32, doc, 0);
	expect(BB_VALIDATOR_GITHUB_CRC32, "ghp_short", 0);
}

static void test_npm(void)
{
	char body[31], tok[41];

	for (int k = 0; k < 6; k++) {
		random_body(body);
		make_token("npm_", body, tok);
		expect(BB_VALIDATOR_NPM_CRC32, tok, 1);
		/* the GitHub validator takes no npm token, and the reverse */
		expect(BB_VALIDATOR_GITHUB_CRC32, tok, 0);
		if (k == 0)
			expect_token_mutations(BB_VALIDATOR_NPM_CRC32, tok);
	}
	make_token("ghp_", body, tok);
	expect(BB_VALIDATOR_NPM_CRC32, tok, 0);
	make_token("NPM_", body, tok);
	expect(BB_VALIDATOR_NPM_CRC32, tok, 0);
	make_token("npmX", body, tok);
	expect(BB_VALIDATOR_NPM_CRC32, tok, 0);
}

/* ---- Luhn and cards ---- */

static void test_luhn(void)
{
	static const struct vcase cases[] = {
		{"79927398713", 1},          /* the classic worked example */
		{"79927398710", 0},
		{"7992-7398-713", 1},
		{"7992 7398 713", 1},
		{"00", 1},
		{"18", 1},
		{"0", 0},                    /* fewer than 2 digits */
		{"-", 0},
		{"7992739871a", 0},
		{"79927398713.", 0},
		{"7992_7398_713", 0},
		{"4111111111111111", 1},
		{"4111111111111112", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_LUHN, cases);
}

/* Appends the Luhn check digit to the digits of prefix (NUL-terminated) into out. */
static void with_check_digit(const char *prefix, char *out)
{
	size_t n = strlen(prefix);
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(prefix[n - 1 - i] - '0');

		if (i % 2 == 0)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	memcpy(out, prefix, n);
	out[n] = (char)('0' + (10 - sum % 10) % 10);
	out[n + 1] = '\0';
}

static void expect_card(const char *prefix, int want)
{
	char num[32];

	with_check_digit(prefix, num);
	expect(BB_VALIDATOR_CARD, num, want);
	/* and with the last digit wrong, which fails whatever the brand */
	char *last = num + strlen(num) - 1;

	*last = *last == '9' ? '0' : (char)(*last + 1);
	expect(BB_VALIDATOR_CARD, num, 0);
}

static void test_card(void)
{
	static const struct vcase cases[] = {
		{"4111 1111 1111 1111", 1},  /* Visa test number, spaced */
		{"4111-1111-1111-1111", 1},
		{"378282246310005", 1},      /* Amex */
		{"6011111111111117", 1},     /* Discover */
		{"3530111333300000", 1},     /* JCB */
		{"30569309025904", 1},       /* Diners, 14 digits */
		{"5555555555554444", 1},     /* Mastercard */
		{"2223003122003222", 1},     /* Mastercard 2-series */
		{"6200000000000005", 1},     /* UnionPay */
		{"4222222222222", 1},        /* Visa, 13 digits */
		{"79927398713", 0},          /* Luhn-valid, no brand, too short */
		{"4444444444444448", 0},     /* a filler that passes Luhn */
		{"0000000000000000", 0},
		{"4111.1111.1111.1111", 0},
		{"4111111111111111111111", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_CARD, cases);
	expect_card("411111111111111", 1);       /* Visa 16 */
	expect_card("41111111111111", 0);        /* Visa 15: no such length */
	expect_card("411111111111111111", 1);    /* Visa 19 */
	expect_card("34123456789012", 1);        /* Amex 15 */
	expect_card("3412345678901", 0);         /* Amex 14 */
	expect_card("511234567890123", 1);       /* Mastercard 16 */
	expect_card("561234567890123", 0);       /* 56: no brand here */
	expect_card("272012345678901", 1);       /* top of the 2-series */
	expect_card("272112345678901", 0);       /* just above it */
	expect_card("220012345678901", 1);       /* Mir */
	expect_card("220512345678901", 0);       /* above Mir's range */
	expect_card("644123456789012", 1);       /* Discover 644 */
	expect_card("643123456789012", 0);       /* 643: nobody's */
	expect_card("601112345678901234", 1);    /* Discover 19 */
	expect_card("3612345678901", 1);         /* Diners 36, 14 digits */
	expect_card("30512345678901", 1);        /* Diners 305, 15 digits */
	expect_card("30612345678901", 0);        /* 306 */
	expect_card("358912345678901", 1);       /* JCB top */
	expect_card("359012345678901", 0);       /* above JCB */
	expect_card("622126123456789", 1);       /* Discover/UnionPay co-brand */
	expect_card("50181234567", 1);           /* Maestro, 12 digits */
	expect_card("675912345678901", 1);       /* Maestro 6759 */
	expect_card("30012345678", 0);           /* Diners at 12 digits */
}

/* ---- NPI, DEA, MBI, NHS ---- */

static void test_npi(void)
{
	static const struct vcase cases[] = {
		{"1992749618", 1},
		{"2453195994", 1},
		{"1992749619", 0},
		{"1234567893", 0},           /* CMS's worked example */
		{"3992749618", 0},           /* first digit 3 */
		{"199274961", 0},
		{"19927496180", 0},
		{"1992-749618", 0},
		{"199274961X", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_NPI, cases);
}

static void test_dea(void)
{
	static const struct vcase cases[] = {
		{"AP5836727", 1},
		{"F91234563", 1},            /* business registrant: 9 */
		{"BJ1234563", 1},
		{"XA1234563", 1},
		{"ap5836727", 1},
		{"AP5836728", 0},            /* check digit */
		{"QP5836727", 0},            /* Q is no registrant type */
		{"IP5836727", 0},
		{"A15836727", 0},            /* second character a digit but not 9 */
		{"AP583672", 0},
		{"AP58367270", 0},
		{"AP583672X", 0},
		{"9P5836727", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_DEA, cases);
}

static void test_mbi(void)
{
	static const struct vcase cases[] = {
		{"3C45DE6FG78", 1},
		{"3C45-DE6-FG78", 1},
		{"3c45-de6-fg78", 1},
		{"9AA0AA0AA99", 1},
		{"3C45 DE6 FG78", 1},
		{"1EG4-TE5-MK73", 0},        /* CMS's own example */
		{"1EG4TE5MK73", 0},
		{"0C45DE6FG78", 0},          /* position 1 is 1-9 */
		{"3S45DE6FG78", 0},          /* S excluded */
		{"3CB5DE6FG78", 0},          /* B excluded, also in AN positions */
		{"3C4ADE6FG78", 0},          /* position 4 numeric */
		{"3C45DE6F078", 0},          /* position 9 alphabetic */
		{"3C45DE6FG7Z", 0},
		{"3C45-DE6FG78", 0},         /* half grouped */
		{"3C45-DE6 FG78", 0},        /* mixed separators */
		{"3C45DE6FG7", 0},
		{"3C45DE6FG789", 0},
		{"3C4-5DE6-FG78", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_MBI, cases);
}

static void test_uk_nhs(void)
{
	static const struct vcase cases[] = {
		{"9434765919", 1},
		{"943 476 5919", 1},
		{"943-476-5919", 1},
		{"4000000020", 1},           /* check digit 11 -> 0 */
		{"9434765918", 0},
		{"4000000080", 0},           /* check digit would be 10: no number */
		{"4000000081", 0},
		{"0000000000", 0},           /* passes the sum, a filler */
		{"1111111111", 0},
		{"943 4765919", 0},
		{"94 34 76 59 19", 0},
		{"943476591", 0},
		{"94347659190", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_UK_NHS, cases);
}

/* ---- IBAN, ABA ---- */

static void test_iban(void)
{
	static const struct vcase cases[] = {
		{"GB82 WEST 1234 5698 7654 32", 1},
		{"GB82WEST12345698765432", 1},
		{"gb82west12345698765432", 1},
		{"DE89 3704 0044 0532 0130 00", 1},
		{"NO93 8601 1117 947", 1},                     /* shortest: 15 */
		{"LC55 HEMM 0001 0001 0012 0012 0002 3015", 1},/* 32 */
		{"MT84 MALT 0110 0001 2345 MTLC AST0 01S", 1},
		{"BR18 0036 0305 0000 1000 9795 493C 1", 1},
		{"GB82 WEST 1234 5698 7654 33", 0},            /* mod 97 */
		{"GB28 WEST 1234 5698 7654 32", 0},            /* swapped check digits */
		{"GB82 WEST 1234 5698 7654 3", 0},             /* GB is 22 long */
		{"DE82 WEST 1234 5698 7654 32", 0},
		{"XX82WEST12345698765432", 0},                 /* no such country */
		{"GBX2WEST12345698765432", 0},
		{"GB82-WEST-1234-5698-7654-32", 0},
		{"GB82", 0},
		{"GB82WEST12345698765432GB82WEST1234569876", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_IBAN, cases);
}

static void test_aba(void)
{
	static const struct vcase cases[] = {
		{"011000015", 1},            /* Federal Reserve Bank of Boston */
		{"021000021", 1},
		{"322271627", 1},            /* thrift range 21-32 */
		{"021000022", 0},
		{"000000000", 0},
		{"500000005", 0},            /* checksum right, routing symbol 50 is nobody's */
		{"02100002", 0},
		{"0210000210", 0},
		{"021-000-021", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_ABA, cases);
}

/* ---- SSN, date, phone ---- */

static void test_ssn(void)
{
	static const struct vcase cases[] = {
		{"536-22-8726", 1},
		{"536 22 8726", 1},
		{"536228726", 1},
		{"772-01-0001", 1},
		{"000-22-8726", 0},
		{"666-22-8726", 0},
		{"900-22-8726", 0},
		{"987-65-4321", 0},          /* SSA's advertising range */
		{"536-00-8726", 0},
		{"536-22-0000", 0},
		{"078-05-1120", 0},          /* Woolworth wallet card */
		{"219-09-9999", 0},          /* 1940 SSA pamphlet */
		{"123-45-6789", 0},
		{"111-11-1111", 0},
		{"888888888", 0},
		{"536-22 8726", 0},          /* mixed separators */
		{"53622-8726", 0},
		{"536-228-726", 0},
		{"536-22-87261", 0},
		{"536.22.8726", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_SSN, cases);
}

static void test_date(void)
{
	static const struct vcase cases[] = {
		{"1990-02-28", 1},
		{"2000-02-29", 1},           /* divisible by 400 */
		{"1996-02-29", 1},
		{"1990-2-3", 1},
		{"1990/12/31", 1},
		{"19900228", 1},
		{"02/29/2000", 1},
		{"29.02.2000", 1},
		{"31/12/1999", 1},           /* day first */
		{"12/31/1999", 1},           /* month first */
		{"31-12-1999", 1},
		{"12/31/99", 1},
		{"2/29/96", 1},
		{"2/29/00", 1},              /* 2000 was a leap year */
		{"1900-01-01", 1},
		{"2100-12-31", 1},
		{"1900-02-29", 0},           /* divisible by 100 only */
		{"2100-02-29", 0},
		{"2023-02-29", 0},
		{"2/29/97", 0},
		{"1899-12-31", 0},
		{"2101-01-01", 0},
		{"2023-13-01", 0},
		{"2023-00-10", 0},
		{"2023-04-31", 0},
		{"2023-04-00", 0},
		{"13/13/2000", 0},
		{"2/30/99", 0},
		{"2023/02-01", 0},           /* mixed separators */
		{"20231301", 0},
		{"2023-1-", 0},
		{"-2023-1-1", 0},
		{"2023-01-01T00", 0},
		{"1/1/1", 0},
		{"123/1/2000", 0},
		{"1/1/200", 0},
		{"2023--01-01", 0},
		{"12345678901", 0},
		{"2023 01 01", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_DATE, cases);
}

static void test_phone(void)
{
	static const struct vcase cases[] = {
		{"(212) 867-5309", 1},
		{"212-867-5309", 1},
		{"212.867.5309", 1},
		{"2128675309", 1},
		{"+1 212 867 5309", 1},
		{"+12128675309", 1},
		{"1-212-867-5309", 1},
		{"1 (800) 867-5309", 1},
		{"(112) 867-5309", 0},       /* area code starts with 1 */
		{"(012) 867-5309", 0},
		{"(212) 167-5309", 0},       /* exchange starts with 1 */
		{"(212) 067-5309", 0},
		{"(411) 867-5309", 0},       /* N11 service code */
		{"(291) 867-5309", 0},       /* N9X reserved */
		{"(212) 555-0123", 0},       /* fiction range */
		{"212-555-1234", 0},
		{"+2 212 867 5309", 0},      /* not NANP */
		{"+ 212 867 5309", 0},
		{"+212 867 5309", 0},
		{"212-867-530", 0},
		{"2-212-867-5309", 0},
		{"212-867-5309 ext 4", 0},
		{"212/867/5309", 0},
		{"12128675309123", 0},
	};

	EXPECT_ALL(BB_VALIDATOR_PHONE_NANP, cases);
}

/* ---- JWT and base64 ---- */

/* Encodes s[0..n) as base64 (url: URL-safe alphabet, no padding; else standard with
 * padding) into out, NUL-terminated; returns its length. */
static size_t b64_encode(const unsigned char *s, size_t n, int url, char *out)
{
	const char *alpha = url ?
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" :
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t k = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		size_t chunk = n - i < 3 ? n - i : 3;

		if (chunk > 1)
			v |= (uint32_t)s[i + 1] << 8;
		if (chunk > 2)
			v |= s[i + 2];
		for (size_t j = 0; j < 4; j++) {
			if (j <= chunk)
				out[k++] = alpha[(v >> (18 - 6 * j)) & 63];
			else if (!url)
				out[k++] = '=';
		}
	}
	out[k] = '\0';
	return k;
}

/* A JWT from JSON texts and a signature string, in a buffer the caller frees. */
static char *make_jwt(const char *header, const char *payload, const char *sig)
{
	size_t hn = strlen(header), pn = strlen(payload);
	char *out = malloc(hn * 2 + pn * 2 + strlen(sig) + 8);
	size_t k = b64_encode((const unsigned char *)header, hn, 1, out);

	out[k++] = '.';
	k += b64_encode((const unsigned char *)payload, pn, 1, out + k);
	out[k++] = '.';
	strcpy(out + k, sig);
	return out;
}

static void expect_jwt(const char *header, const char *payload, const char *sig, int want)
{
	char *jwt = make_jwt(header, payload, sig);

	expect(BB_VALIDATOR_JWT, jwt, want);
	free(jwt);
}

static void test_jwt(void)
{
	static const char hs256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	static const char claims[] = "{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}";
	static const char sig[] = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

	expect_jwt(hs256, claims, sig, 1);
	expect_jwt(hs256, claims, "", 1);                          /* unsecured JWT */
	expect_jwt("{\"alg\":\"none\"}", "{}", "", 1);
	expect_jwt(" {\"alg\":\"RS256\"} \n", claims, sig, 1);
	expect_jwt("{\"typ\":\"JWT\"}", claims, sig, 0);           /* no alg */
	expect_jwt("{\"alg\":256}", claims, sig, 0);               /* alg not a string */
	expect_jwt("{\"ALG\":\"HS256\"}", claims, sig, 0);
	expect_jwt("[\"alg\"]", claims, sig, 0);                   /* header not an object */
	expect_jwt(hs256, "[1,2,3]", sig, 0);                      /* payload not an object */
	expect_jwt(hs256, "\"claims\"", sig, 0);
	expect_jwt(hs256, "{\"sub\":1", sig, 0);                   /* truncated JSON */
	expect_jwt(hs256, "{\"sub\":1} {}", sig, 0);               /* trailing data */
	expect_jwt(hs256, "not json", sig, 0);
	expect_jwt(hs256, claims, "Sfl+Kxw/RJ", 0);                /* standard alphabet */
	expect_jwt(hs256, claims, "SflKx", 0);                     /* impossible length */
	expect_jwt(hs256, claims, "abc.def", 0);                   /* five segments */
	expect_jwt(hs256, claims, "abcd=", 0);

	char *jwt = make_jwt(hs256, claims, sig);
	size_t n = strlen(jwt);

	size_t header_only = (size_t)(strchr(jwt, '.') - jwt);

	expect_bytes(BB_VALIDATOR_JWT, (const unsigned char *)jwt, header_only, 0);
	jwt[3] = '=';                                              /* padding inside the header */
	expect_bytes(BB_VALIDATOR_JWT, (const unsigned char *)jwt, n, 0);
	free(jwt);
	expect(BB_VALIDATOR_JWT, "..", 0);
	expect(BB_VALIDATOR_JWT, "a.b.c", 0);
	expect(BB_VALIDATOR_JWT, ".eyJ9.", 0);
	/* "eyJhbGciOiJub25lIn0" is {"alg":"none"}; an empty payload is no object */
	expect(BB_VALIDATOR_JWT, "eyJhbGciOiJub25lIn0" "..", 0);
	expect(BB_VALIDATOR_JWT, "eyJhbGciOiJub25lIn0" ".e30.", 1);
}

/* Big payloads: decoded up to 1 MiB per segment, refused beyond. */
static void test_jwt_sizes(void)
{
	size_t sizes[2] = {600 * 1024, 900 * 1024};
	int wants[2] = {1, 0};

	for (int i = 0; i < 2; i++) {
		char *payload = malloc(sizes[i] + 16);

		memcpy(payload, "{\"x\":\"", 6);
		memset(payload + 6, 'a', sizes[i]);
		memcpy(payload + 6 + sizes[i], "\"}", 3);
		expect_jwt("{\"alg\":\"HS256\"}", payload, "c2ln", wants[i]);
		free(payload);
	}
}

static void test_base64_64(void)
{
	unsigned char key[65];
	char enc[128];

	for (int k = 0; k < 4; k++) {
		for (int i = 0; i < 65; i++)
			key[i] = (unsigned char)rng();
		size_t n = b64_encode(key, 64, 0, enc);

		expect(BB_VALIDATOR_BASE64_64, enc, 1);                 /* 88 with "==" */
		expect_bytes(BB_VALIDATOR_BASE64_64, (const unsigned char *)enc, n - 2, 1);
		expect_bytes(BB_VALIDATOR_BASE64_64, (const unsigned char *)enc, n - 1, 0);
		/* the last character carries 2 bits and 4 zero bits (A, Q, g or w); the next
		 * character of the alphabet sets one of the bits no encoder writes */
		char c = enc[85];

		enc[85] = c == 'A' ? 'B' : c == 'Q' ? 'R' : c == 'g' ? 'h' : 'x';
		expect(BB_VALIDATOR_BASE64_64, enc, 0);
		enc[85] = c;
		enc[10] = '-';                                          /* URL-safe alphabet */
		expect(BB_VALIDATOR_BASE64_64, enc, 0);
		b64_encode(key, 63, 0, enc);
		expect(BB_VALIDATOR_BASE64_64, enc, 0);
		b64_encode(key, 65, 0, enc);
		expect(BB_VALIDATOR_BASE64_64, enc, 0);
	}
	/* a run of 'A' decodes to zero bytes: structurally fine */
	memset(enc, 'A', 86);
	memcpy(enc + 86, "==", 3);
	expect(BB_VALIDATOR_BASE64_64, enc, 1);
	enc[86] = 'A';
	expect(BB_VALIDATOR_BASE64_64, enc, 0);
}

/* ---- huge inputs ---- */

static void test_huge(void)
{
	size_t n = (size_t)1 << 24;
	unsigned char *buf = malloc(n + 3);

	memset(buf, '7', n + 3);
	/* Luhn over 2^24 + 3 sevens, the sum worked out here: undoubled 7s and doubled
	 * ones (14 -> 5) alternate from the right */
	size_t digits = n + 3, undoubled = (digits + 1) / 2, doubled = digits / 2;
	int luhn_want = (undoubled * 7 + doubled * 5) % 10 == 0;

	expect_bytes(BB_VALIDATOR_LUHN, buf, n + 3, luhn_want);
	for (int v = 1; v < BB_VALIDATOR__COUNT; v++)
		if (v != BB_VALIDATOR_LUHN)
			expect_bytes((bb_validator)v, buf, n, 0);
	report(bb_verify__is_placeholder(buf, n) == 1, "placeholder(16 MiB of '7')");
	report(fabs(bb_verify__entropy(buf, n)) < 1e-12, "entropy(16 MiB of '7') == 0");
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)i;
	report(fabs(bb_verify__entropy(buf, n) - 8.0) < 1e-9, "entropy(16 MiB of 0..255) == 8");
	/* high bytes only: no word, template or run can form */
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(0x80 | rng());
	report(bb_verify__is_placeholder(buf, n) == 0, "placeholder(16 MiB of high bytes) == 0");
	memcpy(buf + n - 4, "${X}", 4);
	report(bb_verify__is_placeholder(buf, n) == 1, "placeholder sees \"${X}\" at the end");
	/* a huge JWT-shaped input whose segments are over the limit */
	memset(buf, 'e', n);
	buf[n / 3] = '.';
	buf[2 * (n / 3)] = '.';
	expect_bytes(BB_VALIDATOR_JWT, buf, n, 0);
	free(buf);
}

/* ---- entropy ---- */

static void expect_entropy(const char *s, size_t n, double want)
{
	char ex[128], msg[200];
	double got = bb_verify__entropy((const unsigned char *)s, n);

	excerpt((const unsigned char *)s, n, ex, sizeof(ex));
	snprintf(msg, sizeof(msg), "entropy(\"%s\") = %.6f, want %.6f", ex, got, want);
	report(fabs(got - want) < 1e-9, msg);
}

static void test_entropy(void)
{
	unsigned char all[256];

	expect_entropy("", 0, 0.0);
	expect_entropy(NULL, 0, 0.0);
	expect_entropy("a", 1, 0.0);
	expect_entropy("aaaa", 4, 0.0);
	expect_entropy("ab", 2, 1.0);
	expect_entropy("abcd", 4, 2.0);
	expect_entropy("aab", 3, log2(3.0) - 2.0 / 3.0);
	expect_entropy("0123456789abcdef", 16, 4.0);
	expect_entropy("a\0b\0", 4, 1.5);
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	expect_entropy((const char *)all, 256, 8.0);
	expect_entropy((const char *)all + 128, 128, 7.0);

	char tok[41], body[31];

	random_body(body);
	make_token("ghp_", body, tok);
	double h = bb_verify__entropy((const unsigned char *)tok, 40);

	report(h > 4.0 && h < 5.33, "a random GitHub token has 4..5.33 bits per byte");
	report(bb_verify__entropy((const unsigned char *)"password", 8) < 3.0,
		"\"password\" is low-entropy");
}

/* ---- placeholders ---- */

static void expect_placeholder(const char *s, int want)
{
	char ex[128], msg[200];
	int got = bb_verify__is_placeholder((const unsigned char *)s, strlen(s));

	excerpt((const unsigned char *)s, strlen(s), ex, sizeof(ex));
	snprintf(msg, sizeof(msg), "placeholder(\"%s\") = %d, want %d", ex, got, want);
	report(got == want, msg);
}

static void test_placeholder(void)
{
	static const struct vcase cases[] = {
		/* words and masks */
		{"AKIA" "IOSFODNN7EXAMPLE", 1},
		{"wJalrXUtnFEMI/K7MDENG" "/bPxRfiCYEXAMPLEKEY", 1},
		{"my-sample-token", 1},
		{"DummyPassword1", 1},
		{"placeholder", 1},
		{"ChangeMe!", 1},
		{"change_me_please", 1},
		{"change-me", 1},
		{"your_api_key_here", 1},
		{"YOUR-TOKEN", 1},
		{"yourkey123", 1},
		{"[REDACTED]", 1},
		{"replace_me", 1},
		{"REPLACEME", 1},
		{"insert_token", 1},
		{"fake-secret-value", 1},
		{"AKIAFAKEKEY00000", 1},
		{"FakeToken9", 1},
		/* 4-letter words in mixed case: chance, in a random token, not a placeholder */
		{"q8R2fAKe0Lm3Zt9Wx1Yb7Nc4Vd6Pg5Hj2Kk8Ss0", 0},
		{"q8R2FaKE0Lm3Zt9Wx1Yb7Nc4Vd6Pg5Hj2Kk8Ss0", 0},
		{"Lm3xXxX0q8R2Zt9Wx1Yb7Nc4Vd6Pg5Hj2Kk8Ss0", 0},
		{"sk_live_xxxxxxxxxxxxxxxxxxxx", 1},
		{"XXXX-XXXX-1234", 1},
		{"pa****rd", 1},
		{"ghp_....", 1},
		/* templates */
		{"<your-api-key>", 1},
		{"<API_TOKEN>", 1},
		{"sk_<token here>", 1},
		{"${DB_PASSWORD}", 1},
		{"{{ secrets.token }}", 1},
		{"{{token", 1},
		{"token}}", 1},
		{"%(password)s", 1},
		{"$(cat /run/secret)", 1},
		{"$API_KEY", 1},
		{"$GITHUB_TOKEN2", 1},
		{"%APPDATA_KEY%", 1},
		{"%api_key%", 1},
		{"${DB_PASSWORD:-postgres}", 1},
		{"{{ .Values.db.password | b64enc }}", 1},
		{"prefix-{{ env \"TOKEN\" }}", 1},
		/* template characters that make no template: a password */
		{"m{{h}o)p${e]nob(ody[finds>-_$#thisone}}", 0},
		{"Zx${]9qT{{}}w", 0},
		{"a$(b%(}c", 0},
		/* repetition and runs */
		{"aa", 1},
		{"********", 1},
		{"0000000000000000", 1},
		{"abababab", 1},
		{"abcabcabcabc", 1},
		/* real-looking values stay */
		{"sk_te" "st_9fQ2xLm7VbR4tYw8Kp3Zs6Nd", 0},
		{"ghp_R4nd0mT0k3nW1thT3stInIt9Zq2", 0},
		{"testing123!", 0},
		{"a", 0},
		{"ab", 0},
		{"abc", 0},
		{"aab", 0},
		{"aabb", 0},
		{"abcabca", 0},                    /* 3 distinct but under 8 bytes */
		{"abc123xyz", 0},
		{"abcdefg1234567", 0},             /* runs of 7 */
		{"0123456X789", 0},
		{"789abcdef", 0},                  /* crosses classes: no run of 8 */
		{"$ecr3tP4ss", 0},                 /* a password, not a variable */
		{"$2b$12$KIXQJ8f3", 0},            /* bcrypt prefix */
		{"$1abc", 0},
		{"a<9!>b", 0},
		{"<>", 0},
		{"100%", 0},
		{"50%%", 0},
		{"%%", 1},                         /* one repeated byte */
		{"p@ss.word", 0},
		{"xxx-Y", 0},
		{"lorem...ipsum", 0},
		{"demo-default-secret-password", 0},
		{"Zx9$kq.L2v", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_placeholder(cases[i].s, cases[i].want);

	/* alphabet runs of 8 or more are filler (reported at low confidence), not
	 * placeholders */
	static const struct { const char *s; int want; } fill[] = {
		{"abcdefgh", 1}, {"12345678", 1}, {"token-ABCDEFGHIJ-x", 1}, {"98765432", 1},
		{"zyxwvuts", 1}, {"secret-0123456789", 1}, {"abcdefg1234567", 0}, {"789abcdef", 0},
		{"ghp_R4nd0mT0k3nW1thT3stInIt9Zq2", 0}, {"0123456X789", 0},
	};
	for (size_t i = 0; i < sizeof(fill) / sizeof(fill[0]); i++) {
		const unsigned char *v = (const unsigned char *)fill[i].s;
		char what[96];
		snprintf(what, sizeof what, "filler(\"%s\") == %d", fill[i].s, fill[i].want);
		report(bb_verify__is_filler(v, strlen(fill[i].s)) == fill[i].want, what);
		snprintf(what, sizeof what, "placeholder(\"%s\") == 0", fill[i].s);
		report(bb_verify__is_placeholder(v, strlen(fill[i].s)) == 0, what);
	}

	static const unsigned char nul_mid[] = {'k', '7', 0, 'Q', 'z', 0, 'r', 'P', '3'};
	static const unsigned char nuls[8] = {0};
	static const unsigned char high[] = {0xe2, 0x82, 0xac, 0x31, 0x9f, 0xc3, 0xa9, 0x7a};

	report(bb_verify__is_placeholder((const unsigned char *)"", 0) == 1, "placeholder(\"\")");
	report(bb_verify__is_placeholder(NULL, 0) == 1, "placeholder(NULL, 0)");
	report(bb_verify__is_placeholder(nul_mid, sizeof(nul_mid)) == 0, "placeholder(NUL inside)");
	report(bb_verify__is_placeholder(nuls, sizeof(nuls)) == 1, "placeholder(8 NULs)");
	report(bb_verify__is_placeholder(high, sizeof(high)) == 0, "placeholder(UTF-8 bytes)");
	report(bb_verify__is_placeholder((const unsigned char *)"exam\0ple9Q", 10) == 0,
		"a NUL breaks a word");

	/* random base62 tokens are not placeholders (fixed seed, so deterministic) */
	int hits = 0;
	char body[31];

	for (int i = 0; i < 2000; i++) {
		random_body(body);
		hits += bb_verify__is_placeholder((const unsigned char *)body, 30);
	}
	char msg[80];

	snprintf(msg, sizeof(msg), "random 30-char tokens taken for placeholders: %d of 2000", hits);
	report(hits == 0, msg);
}

/* ---- redaction tags ---- */

static void expect_in_tag(const char *text, const char *secret, int want)
{
	const char *at = strstr(text, secret);
	char what[200];

	snprintf(what, sizeof(what), "in_redaction_tag(\"%s\" in \"%s\") == %d", secret, text, want);
	report(at && bb_verify__in_redaction_tag((const unsigned char *)text, strlen(text),
		(size_t)(at - text)) == want, what);
}

static void test_redaction_tag(void)
{
	/* a URL-credentials pattern reading a tag as user:password */
	expect_in_tag("https://[REDACTED:github.pat-classic]@github.com/x", "pat-classic]", 1);
	expect_in_tag("https://[REDACTED:github.pat-classic]@github.com/x", "[REDACTED", 1);
	expect_in_tag("[REDACTED:sidekiq.source-url]", "[REDACTED:sidekiq.source-url]", 1);
	/* starting in the tag and reaching past it (a curl -u user:pw credential) */
	expect_in_tag("curl -u \"[REDACTED:teamwork.api-token]:x\"", "teamwork.api-token]:x", 1);
	expect_in_tag("[REDACTED:github.pat-classic]Zq81xLm0", "]Zq81", 1);
	/* starting before the tag, or after it */
	expect_in_tag("Zq81[REDACTED:github.pat-classic]", "Zq81[RED", 0);
	expect_in_tag("[REDACTED:github.pat-classic]Zq81xLm0", "Zq81xLm0", 0);
	expect_in_tag("[REDACTED:a.b] k7Qz9xPw", "k7Qz9xPw", 0);
	/* not tags: no id, no dot, characters ids never have, unclosed, lower case */
	expect_in_tag("[REDACTED:] k7Qz9xPw]", "k7Qz9xPw", 0);
	expect_in_tag("[REDACTED:k7Qz9xPw]", "k7Qz9xPw", 0);
	expect_in_tag("[REDACTED:hunter2]", "hunter2", 0);
	expect_in_tag("[REDACTED:ab.cd_ef]", "ab.cd_ef", 0);
	expect_in_tag("[REDACTED:github.pat-classic", "pat-classic", 0);
	expect_in_tag("[redacted:github.pat-classic]", "pat-classic", 0);
	/* a secret at the start of the text, and far from any tag */
	expect_in_tag("k7Qz9xPw", "k7Qz9xPw", 0);
}

/* A buffer with `align` stays aligned, and keeps its bytes, through every growth. */
static void test_buf_align(void)
{
	bb_buf b;
	bb_buf_init(&b, 0);
	b.align = 4096;
	int ok = 1;
	for (size_t i = 0; i < 300000 && ok; i++) {
		unsigned char c = (unsigned char)(i * 7);
		ok = bb_buf_append(&b, &c, 1) == 0 && (uintptr_t)b.data % 4096 == 0;
	}
	for (size_t i = 0; i < b.len && ok; i++)
		ok = b.data[i] == (unsigned char)(i * 7);
	report(ok && b.len == 300000, "aligned buffer: aligned and intact after growing to 300000 bytes");
	bb_buf_free(&b);
}

int main(void)
{
	test_names();
	test_junk_inputs();
	test_github();
	test_npm();
	test_luhn();
	test_card();
	test_npi();
	test_dea();
	test_mbi();
	test_uk_nhs();
	test_iban();
	test_aba();
	test_ssn();
	test_date();
	test_phone();
	test_jwt();
	test_jwt_sizes();
	test_base64_64();
	test_entropy();
	test_placeholder();
	test_redaction_tag();
	test_huge();
	test_buf_align();
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
