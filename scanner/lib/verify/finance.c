/*
 * finance: validators of payment and bank numbers: bare Luhn, payment cards (brand and
 * Luhn), IBANs (country length and ISO 7064 mod 97) and US ABA routing numbers.
 *
 * The caller owns the candidate bytes; the checks work on small stack buffers only.
 */
#include "checks.h"

#include <stdint.h>
#include <string.h>

/* Separators people write inside card and account numbers. */
#define NUMBER_SEPS " -"

int bb_verify__check_luhn(const unsigned char *s, size_t n)
{
	unsigned sum;
	size_t digits;

	/* a single digit "passes" Luhn only if it is 0: meaningless, so 2 at least */
	return bb_verify__luhn_sum(s, n, NUMBER_SEPS, &sum, &digits) && digits >= 2 &&
		sum == 0;
}

/* ---- payment cards ---- */

/* Card numbers (PANs) are 12 to 19 digits: ISO/IEC 7812-1. */
#define PAN_MIN 12
#define PAN_MAX 19

#define LEN(x) (1u << (x))
#define LEN_12_19 (LEN(12) | LEN(13) | LEN(14) | LEN(15) | LEN_16_19)
#define LEN_14_19 (LEN(14) | LEN(15) | LEN_16_19)
#define LEN_16_19 (LEN(16) | LEN(17) | LEN(18) | LEN(19))

/* A brand's issuer range: the first digits (prefix_len of them) read as a number within
 * [lo, hi], and the PAN lengths it issues, as a bit set. */
struct iin_range {
	unsigned char prefix_len;
	uint32_t lo, hi;
	uint32_t lengths;
};

/*
 * Issuer identification numbers of the brands blackbar recognises, from
 * https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN),
 * which collects the networks' own published ranges. Maestro is limited to its
 * distinctive ranges; its wider "50, 56-69" claim would swallow half the other brands.
 */
static const struct iin_range card_ranges[] = {
	{1, 4, 4, LEN(13) | LEN(16) | LEN(19)},   /* Visa */
	{2, 51, 55, LEN(16)},                     /* Mastercard */
	{4, 2221, 2720, LEN(16)},                 /* Mastercard 2-series */
	{2, 34, 34, LEN(15)},                     /* American Express */
	{2, 37, 37, LEN(15)},
	{4, 6011, 6011, LEN_16_19},               /* Discover */
	{3, 644, 649, LEN_16_19},
	{2, 65, 65, LEN_16_19},
	{6, 622126, 622925, LEN_16_19},           /* Discover / UnionPay co-branded */
	{3, 300, 305, LEN_14_19},                 /* Diners Club */
	{2, 36, 36, LEN_14_19},
	{2, 38, 39, LEN_14_19},
	{4, 3528, 3589, LEN_16_19},               /* JCB */
	{2, 62, 62, LEN_16_19},                   /* UnionPay */
	{4, 2200, 2204, LEN_16_19},               /* Mir */
	{4, 5018, 5018, LEN_12_19},               /* Maestro */
	{4, 5020, 5020, LEN_12_19},
	{4, 5038, 5038, LEN_12_19},
	{4, 5893, 5893, LEN_12_19},
	{4, 6304, 6304, LEN_12_19},
	{4, 6759, 6759, LEN_12_19},
	{4, 6761, 6763, LEN_12_19},
};

static uint32_t prefix_value(const unsigned char *d, size_t k)
{
	uint32_t v = 0;

	for (size_t i = 0; i < k; i++)
		v = v * 10 + d[i];
	return v;
}

static int known_brand(const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < sizeof(card_ranges) / sizeof(card_ranges[0]); i++) {
		const struct iin_range *r = &card_ranges[i];
		uint32_t p = prefix_value(d, r->prefix_len);

		if (p >= r->lo && p <= r->hi && (r->lengths & LEN(n)))
			return 1;
	}
	return 0;
}

int bb_verify__check_card(const unsigned char *s, size_t n)
{
	unsigned char d[PAN_MAX];
	size_t k = bb_verify__collect_digits(s, n, NUMBER_SEPS, d, sizeof(d));
	unsigned sum;
	size_t digits;

	if (k == (size_t)-1 || k < PAN_MIN)
		return 0;
	/* 4444 4444 4444 4448-style fills pass Luhn for some brands and are never issued */
	if (bb_verify__all_same(d, k - 1) || !known_brand(d, k))
		return 0;
	return bb_verify__luhn_sum(s, n, NUMBER_SEPS, &sum, &digits) && sum == 0;
}

/* ---- IBAN (ISO 13616) ---- */

#define IBAN_MAX 34

/*
 * IBAN length per country, from SWIFT's IBAN registry
 * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number),
 * release of 2024 (89 countries). Territories that use their parent's code (GF, PF, IM...)
 * write IBANs with that code and need no entry. Sorted for reading, searched linearly.
 */
static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
	{"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
	{"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
	{"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
	{"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
	{"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
	{"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
	{"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
	{"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
	{"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
	{"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
	{"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
	{"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

static size_t iban_length(const unsigned char *cc)
{
	for (size_t i = 0; i < sizeof(iban_lengths) / sizeof(iban_lengths[0]); i++)
		if (iban_lengths[i].cc[0] == cc[0] && iban_lengths[i].cc[1] == cc[1])
			return iban_lengths[i].len;
	return 0;
}

static unsigned char ascii_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Copies s without spaces, upper-cased, into out[IBAN_MAX]; the length, or 0 if s holds
 * anything but letters, digits and spaces, or is too long. Lower case is accepted because
 * people type it, though the registry prints IBANs in capitals. */
static size_t iban_compact(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = ascii_upper(s[i]);

		if (c == ' ')
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || k == IBAN_MAX)
			return 0;
		out[k++] = c;
	}
	return k;
}

/* ISO 7064 MOD 97-10 as ISO 13616 applies it: move the first four characters to the end,
 * read letters as 10..35, and the number must leave 1 mod 97. The remainder is carried
 * one character at a time, so no big integer is needed. */
static unsigned iban_mod97(const unsigned char *c, size_t n)
{
	unsigned r = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = c[(i + 4) % n];

		if (ch >= '0' && ch <= '9')
			r = (r * 10 + (unsigned)(ch - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(ch - 'A' + 10)) % 97;
	}
	return r;
}

int bb_verify__check_iban(const unsigned char *s, size_t n)
{
	unsigned char c[IBAN_MAX];
	size_t k = iban_compact(s, n, c);

	if (k < 5 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
		return 0;
	if (c[2] < '0' || c[2] > '9' || c[3] < '0' || c[3] > '9')
		return 0;
	return iban_length(c) == k && iban_mod97(c, k) == 1;
}

/* ---- ABA routing transit number ---- */

/*
 * https://en.wikipedia.org/wiki/ABA_routing_transit_number: 9 digits; the first two are
 * the Federal Reserve routing symbol, 00-12 (banks; 00 the US Government), 21-32 (thrift
 * institutions), 61-72 (electronic transactions) or 80 (traveller's cheques); and
 * 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) is a multiple of 10.
 */
static int aba_prefix_ok(unsigned p)
{
	return p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80;
}

int bb_verify__check_aba(const unsigned char *s, size_t n)
{
	static const unsigned weight[3] = {3, 7, 1};
	unsigned char d[9];
	unsigned sum = 0;

	if (n != 9 || bb_verify__collect_digits(s, n, "", d, sizeof(d)) != 9)
		return 0;
	/* 000000000 passes the sum (no other repeated digit does) and is no bank */
	if (bb_verify__all_same(d, 9))
		return 0;
	if (!aba_prefix_ok(d[0] * 10u + d[1]))
		return 0;
	for (size_t i = 0; i < 9; i++)
		sum += weight[i % 3] * d[i];
	return sum % 10 == 0;
}
