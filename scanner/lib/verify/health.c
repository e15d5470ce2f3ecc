/*
 * health: validators of health-care identifiers: the US National Provider Identifier,
 * DEA registration numbers, Medicare Beneficiary Identifiers and UK NHS numbers.
 *
 * The caller owns the candidate bytes; the checks work on small stack buffers only.
 */
#include "checks.h"

#include <string.h>

/* ---- NPI ---- */

/*
 * CMS, "Requirements for National Provider Identifier (NPI) and NPI Enumerator Check
 * Digit" (https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/
 * NationalProvIdentStand/Downloads/NPIcheckdigit.pdf): 10 digits, the first 1 or 2; the
 * last is the Luhn check digit of the number prefixed with the card issuer code 80840,
 * whose digits add a constant 24 to the Luhn sum.
 */
#define NPI_PREFIX_LUHN 24

int bb_verify__check_npi(const unsigned char *s, size_t n)
{
	unsigned sum;
	size_t digits;

	if (n != 10 || (s[0] != '1' && s[0] != '2'))
		return 0;
	if (!bb_verify__luhn_sum(s, n, "", &sum, &digits))
		return 0;
	/* the worked example of the CMS paper above, copied into many a test fixture */
	if (memcmp(s, "1234567893", 10) == 0)
		return 0;
	return (sum + NPI_PREFIX_LUHN) % 10 == 0;
}

/* ---- DEA registration number ---- */

static int ascii_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned char ascii_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/*
 * https://en.wikipedia.org/wiki/DEA_number (after the DEA Diversion Control Division's
 * registration notices): a registrant-type letter (A-H, J-M, P, R-U, X), the initial of
 * the registrant's last name or 9 for a business, then 7 digits of which the last is
 * (d1 + d3 + d5 + 2 (d2 + d4 + d6)) mod 10. Lower case is accepted: the number is the
 * same when a form lower-cases it.
 */
int bb_verify__check_dea(const unsigned char *s, size_t n)
{
	unsigned char d[7];

	if (n != 9 || !ascii_alpha(s[0]))
		return 0;
	if (strchr("ABCDEFGHJKLMPRSTUX", ascii_upper(s[0])) == NULL)
		return 0;
	if (!ascii_alpha(s[1]) && s[1] != '9')
		return 0;
	if (bb_verify__collect_digits(s + 2, 7, "", d, sizeof(d)) != 7)
		return 0;
	return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6];
}

/* ---- Medicare Beneficiary Identifier ---- */

/* Letters MBIs never use, to avoid confusion with digits and each other. */
static int mbi_alpha(unsigned char c)
{
	c = ascii_upper(c);
	return c >= 'A' && c <= 'Z' && strchr("SLOIBZ", c) == NULL;
}

static int mbi_position_ok(char type, unsigned char c)
{
	switch (type) {
	case 'C':
		return c >= '1' && c <= '9';
	case 'N':
		return c >= '0' && c <= '9';
	case 'A':
		return mbi_alpha(c);
	default: /* 'X': alphabetic or numeric */
		return mbi_alpha(c) || (c >= '0' && c <= '9');
	}
}

/*
 * CMS, "Understanding the Medicare Beneficiary Identifier (MBI) Format"
 * (https://www.cms.gov/medicare/new-medicare-card/understanding-the-mbi-with-format.pdf):
 * 11 characters typed C A AN N A AN N A A N N, where C is 1-9, N is 0-9, A is a letter other
 * than S, L, O, I, B, Z, and AN either. Cards print it 4-3-4 with dashes, which CMS says are
 * not part of it; both forms are accepted, and lower case (CMS's systems upper-case it).
 */
int bb_verify__check_mbi(const unsigned char *s, size_t n)
{
	static const char types[] = "CAXNAXNAANN";
	static const size_t groups[] = {4, 3, 4};
	unsigned char c[11];

	if (!bb_verify__ungroup(s, n, groups, 3, "- ", c))
		return 0;
	for (size_t i = 0; i < sizeof(c); i++)
		if (!mbi_position_ok(types[i], c[i]))
			return 0;
	/* CMS's own example (1EG4-TE5-MK73), reproduced in most documentation */
	static const char example[] = "1EG4TE5MK73";

	for (size_t i = 0; i < sizeof(c); i++)
		if (ascii_upper(c[i]) != (unsigned char)example[i])
			return 1;
	return 0;
}

/* ---- NHS number (England, Wales, Isle of Man) ---- */

/*
 * NHS Data Dictionary, "NHS Number"
 * (https://www.datadictionary.nhs.uk/attributes/nhs_number.html): 10 digits, written
 * 3-3-4; the first nine weighted 10 down to 2, the sum mod 11 subtracted from 11 gives the
 * check digit, 11 meaning 0 and 10 meaning the number is invalid.
 */
int bb_verify__check_uk_nhs(const unsigned char *s, size_t n)
{
	static const size_t groups[] = {3, 3, 4};
	unsigned char c[10], d[10];
	unsigned sum = 0;

	if (!bb_verify__ungroup(s, n, groups, 3, " -", c) ||
		bb_verify__collect_digits(c, sizeof(c), "", d, sizeof(d)) != 10)
		return 0;
	/* repeated digits pass the check (0000000000, 1111111111...) and are fillers */
	if (bb_verify__all_same(d, 10))
		return 0;
	for (size_t i = 0; i < 9; i++)
		sum += (10 - (unsigned)i) * d[i];

	unsigned check = 11 - sum % 11;

	if (check == 11)
		check = 0;
	return check != 10 && check == d[9];
}
