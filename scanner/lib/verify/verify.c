/*
 * verify: the validator table behind verify.h: names as signature files spell them,
 * what a pass proves, and the dispatch to each check (tokens.c, finance.c, health.c,
 * pii.c).
 *
 * The table is constant; the caller owns the candidate bytes and every function here
 * is safe from any thread.
 */
#include "verify.h"

#include "checks.h"

#include <string.h>

typedef int (*check_fn)(const unsigned char *s, size_t n);

struct validator {
	const char *name;
	bb_validation_kind kind;
	check_fn check;
};

/* Indexed by bb_validator. "structure" is reported where no checksum exists: the README's
 * validators table (signatures/README.md) lists which. */
static const struct validator validators[BB_VALIDATOR__COUNT] = {
	[BB_VALIDATOR_NONE] = {"", BB_VALIDATION_STRUCTURE, NULL},
	[BB_VALIDATOR_GITHUB_CRC32] = {"github-crc32", BB_VALIDATION_CHECKSUM,
		bb_verify__check_github},
	[BB_VALIDATOR_NPM_CRC32] = {"npm-crc32", BB_VALIDATION_CHECKSUM, bb_verify__check_npm},
	[BB_VALIDATOR_LUHN] = {"luhn", BB_VALIDATION_CHECKSUM, bb_verify__check_luhn},
	[BB_VALIDATOR_CARD] = {"card", BB_VALIDATION_CHECKSUM, bb_verify__check_card},
	[BB_VALIDATOR_NPI] = {"npi", BB_VALIDATION_CHECKSUM, bb_verify__check_npi},
	[BB_VALIDATOR_DEA] = {"dea", BB_VALIDATION_CHECKSUM, bb_verify__check_dea},
	[BB_VALIDATOR_SSN] = {"ssn", BB_VALIDATION_STRUCTURE, bb_verify__check_ssn},
	[BB_VALIDATOR_MBI] = {"mbi", BB_VALIDATION_STRUCTURE, bb_verify__check_mbi},
	[BB_VALIDATOR_IBAN] = {"iban", BB_VALIDATION_CHECKSUM, bb_verify__check_iban},
	[BB_VALIDATOR_ABA] = {"aba", BB_VALIDATION_CHECKSUM, bb_verify__check_aba},
	[BB_VALIDATOR_JWT] = {"jwt", BB_VALIDATION_STRUCTURE, bb_verify__check_jwt},
	[BB_VALIDATOR_BASE64_64] = {"base64-64", BB_VALIDATION_STRUCTURE,
		bb_verify__check_base64_64},
	[BB_VALIDATOR_DATE] = {"date", BB_VALIDATION_STRUCTURE, bb_verify__check_date},
	[BB_VALIDATOR_PHONE_NANP] = {"phone-nanp", BB_VALIDATION_STRUCTURE,
		bb_verify__check_phone_nanp},
	[BB_VALIDATOR_UK_NHS] = {"uk-nhs", BB_VALIDATION_CHECKSUM, bb_verify__check_uk_nhs},
	[BB_VALIDATOR_BASIC_AUTH] = {"basic-auth", BB_VALIDATION_STRUCTURE,
		bb_verify__check_basic_auth},
};

static int known(bb_validator v)
{
	return (int)v >= 0 && (int)v < BB_VALIDATOR__COUNT;
}

/* NONE's name "" is not looked up: a signature that names no validator has none. */
int bb_verify__lookup(const char *name)
{
	if (name == NULL || name[0] == '\0')
		return -1;
	for (int v = 1; v < BB_VALIDATOR__COUNT; v++)
		if (strcmp(validators[v].name, name) == 0)
			return v;
	return -1;
}

const char *bb_verify__name(bb_validator v)
{
	return known(v) ? validators[v].name : "";
}

int bb_verify__strong_checksum(bb_validator v)
{
	return v == BB_VALIDATOR_GITHUB_CRC32 || v == BB_VALIDATOR_NPM_CRC32;
}

bb_validation_kind bb_verify__kind(bb_validator v)
{
	return known(v) ? validators[v].kind : BB_VALIDATION_STRUCTURE;
}

int bb_verify__check(bb_validator v, const unsigned char *s, size_t n)
{
	static const unsigned char empty[1];

	if (v == BB_VALIDATOR_NONE)
		return 1;
	if (!known(v))
		return 0;
	/* the checks index s freely below n; NULL with n == 0 becomes a real empty buffer */
	if (s == NULL) {
		if (n != 0)
			return 0;
		s = empty;
	}
	return validators[v].check(s, n);
}
