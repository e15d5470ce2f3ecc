/*
 * pii: validators of personal identifiers that carry no checksum: US Social Security
 * numbers, calendar dates (dates of birth) and North American phone numbers. Each checks
 * the structure the issuing authority guarantees and rejects the published dummies.
 *
 * The caller owns the candidate bytes; the checks work on small stack buffers only.
 */
#include "checks.h"

#include <string.h>

static unsigned digits_value(const unsigned char *d, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + d[i];
	return v;
}

/* ---- SSN ---- */

/*
 * Numbers printed on sample cards and in advertising, which thousands of people copied
 * as their own: 078-05-1120 (the 1938 Woolworth wallet insert) and 219-09-9999 (a 1940
 * Social Security Board pamphlet), https://www.ssa.gov/history/ssn/misused.html; and
 * 123-45-6789, the sample of countless forms and tutorials. SSA's reserved advertising
 * range 987-65-4320..4329 falls under the 9xx rule already.
 */
static const unsigned ssn_dummies[] = {78051120u, 219099999u, 123456789u};

/*
 * SSA POMS RM 10201.035 (https://secure.ssa.gov/apps10/poms.nsf/lnx/0110201035): an SSN
 * whose area is 000, 666 or 9xx, whose group is 00 or whose serial is 0000 was never
 * issued. Written 3-2-4 with dashes or spaces, or as 9 digits.
 */
int bb_verify__check_ssn(const unsigned char *s, size_t n)
{
	static const size_t groups[] = {3, 2, 4};
	unsigned char c[9], d[9];

	if (!bb_verify__ungroup(s, n, groups, 3, "- ", c) ||
		bb_verify__collect_digits(c, sizeof(c), "", d, sizeof(d)) != 9)
		return 0;

	unsigned area = digits_value(d, 3), group = digits_value(d + 3, 2);
	unsigned serial = digits_value(d + 5, 4), all = digits_value(d, 9);

	if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0)
		return 0;
	/* 111-11-1111 .. 888-88-8888: fillers, not numbers anyone was issued */
	if (bb_verify__all_same(d, 9))
		return 0;
	for (size_t i = 0; i < sizeof(ssn_dummies) / sizeof(ssn_dummies[0]); i++)
		if (all == ssn_dummies[i])
			return 0;
	return 1;
}

/* ---- dates ---- */

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static int leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Whether the date exists; a 2-digit year (yy_only) is 19yy or 20yy, so only its leap
 * status matters, and yy % 4 == 0 is a leap year in one of the two (2000 included). */
static int date_exists(unsigned y, unsigned m, unsigned d, int yy_only)
{
	static const unsigned char days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!yy_only && (y < YEAR_MIN || y > YEAR_MAX))
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29)
		return yy_only ? y % 4 == 0 : leap_year(y);
	return 1;
}

struct date_field {
	unsigned value;
	size_t len;
};

/* Splits s into exactly three runs of 1-4 digits joined by the same separator, one of
 * '-', '/', '.'. Returns 1 on success. */
static int date_fields(const unsigned char *s, size_t n, struct date_field f[3])
{
	unsigned char sep = 0;
	size_t k = 0;

	memset(f, 0, 3 * sizeof(f[0]));
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (++f[k].len > 4)
				return 0;
			f[k].value = f[k].value * 10 + (unsigned)(s[i] - '0');
		} else if (s[i] != 0 && strchr("-/.", s[i]) && (sep == 0 || s[i] == sep) &&
			f[k].len > 0 && k < 2) {
			sep = s[i];
			k++;
		} else {
			return 0;
		}
	}
	return k == 2 && f[2].len > 0;
}

/*
 * A calendar date, year 1900..2100: YYYY-MM-DD (ISO 8601, also with '/' or '.'),
 * YYYYMMDD (ISO 8601 basic, HL7 v2 DTM), and day and month before a 4- or 2-digit
 * year with '/', '.' or '-'. Month and day may have 1 or 2 digits. With the year last,
 * the order is ambiguous (US M/D/Y against D/M/Y elsewhere): either reading that exists
 * passes, since the question is whether the text is a real date at all.
 */
int bb_verify__check_date(const unsigned char *s, size_t n)
{
	struct date_field f[3];

	unsigned char d[8];

	if (n == 8 && bb_verify__collect_digits(s, n, "", d, sizeof(d)) == 8)
		return date_exists(digits_value(d, 4), digits_value(d + 4, 2),
			digits_value(d + 6, 2), 0);
	if (!date_fields(s, n, f))
		return 0;
	if (f[0].len == 4)
		return f[1].len <= 2 && f[2].len <= 2 &&
			date_exists(f[0].value, f[1].value, f[2].value, 0);
	if (f[0].len > 2 || f[1].len > 2 || (f[2].len != 4 && f[2].len != 2))
		return 0;

	int yy = f[2].len == 2;

	return date_exists(f[2].value, f[0].value, f[1].value, yy) ||
		date_exists(f[2].value, f[1].value, f[0].value, yy);
}

/* ---- NANP phone numbers ---- */

/*
 * North American Numbering Plan (https://nationalnanpa.com/area_codes/index.html and
 * https://en.wikipedia.org/wiki/North_American_Numbering_Plan): NPA-NXX-XXXX where the
 * area code (NPA) and exchange (NXX) start with 2-9. Area codes of the form N11 are
 * service codes (411, 911) and N9X are reserved for expanding the plan, so neither is ever
 * a subscriber's area code.
 *
 * Exchange 555 is rejected whole: 555-0100..0199 is NANPA's range for fiction
 * (https://nationalnanpa.com/number_resource_info/555_numbers.html) and the rest of 555
 * went to directory and information services, never to a person, so in files it is the
 * made-up number of examples and tests.
 */
static int nanp_ok(const unsigned char *d)
{
	if (d[0] < 2 || d[3] < 2)
		return 0;
	if ((d[1] == 1 && d[2] == 1) || d[1] == 9)
		return 0;
	return !(d[3] == 5 && d[4] == 5 && d[5] == 5);
}

/* Ten digits with any of " -.()" between them, optionally after a country code 1 or +1. */
int bb_verify__check_phone_nanp(const unsigned char *s, size_t n)
{
	unsigned char d[11];
	int plus = n > 0 && s[0] == '+';
	size_t k = bb_verify__collect_digits(s + plus, n - (size_t)plus, " -.()", d,
		sizeof(d));

	if (k == 11 && d[0] == 1)
		return nanp_ok(d + 1);
	if (k == 10 && !plus)
		return nanp_ok(d);
	return 0;
}
