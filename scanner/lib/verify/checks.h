/*
 * checks: the individual validators behind bb_verify__check(), shared by the files of
 * scanner/lib/verify only (not a public interface).
 *
 * Every function takes the candidate as bytes s[0..n) owned by the caller, which need not
 * be NUL-terminated nor text, and returns 1 if it passes, 0 if not. None keeps state;
 * only bb_verify__check_jwt() allocates (through cJSON) and frees all it allocates.
 */
#ifndef BB_VERIFY_CHECKS_H
#define BB_VERIFY_CHECKS_H

#include <stddef.h>

/* tokens.c: provider tokens and encodings */
int bb_verify__check_github(const unsigned char *s, size_t n);
int bb_verify__check_npm(const unsigned char *s, size_t n);
int bb_verify__check_jwt(const unsigned char *s, size_t n);
int bb_verify__check_base64_64(const unsigned char *s, size_t n);
int bb_verify__check_basic_auth(const unsigned char *s, size_t n);

/* finance.c: payment and bank numbers */
int bb_verify__check_luhn(const unsigned char *s, size_t n);
int bb_verify__check_card(const unsigned char *s, size_t n);
int bb_verify__check_iban(const unsigned char *s, size_t n);
int bb_verify__check_aba(const unsigned char *s, size_t n);

/* health.c: health-care identifiers */
int bb_verify__check_npi(const unsigned char *s, size_t n);
int bb_verify__check_dea(const unsigned char *s, size_t n);
int bb_verify__check_mbi(const unsigned char *s, size_t n);
int bb_verify__check_uk_nhs(const unsigned char *s, size_t n);

/* pii.c: personal identifiers */
int bb_verify__check_ssn(const unsigned char *s, size_t n);
int bb_verify__check_date(const unsigned char *s, size_t n);
int bb_verify__check_phone_nanp(const unsigned char *s, size_t n);

/* digits.c: helpers shared by the numeric validators */

/* The Luhn sum (mod 10) of the digits of s[0..n), skipping bytes found in seps (a
 * NUL-terminated set, may be ""), into *sum, and how many digits there were into *ndigits.
 * Returns 0 if s holds a byte that is neither a digit nor a separator. */
int bb_verify__luhn_sum(const unsigned char *s, size_t n, const char *seps,
	unsigned *sum, size_t *ndigits);

/* Copies the digits of s[0..n) as values 0..9 into out[0..cap), skipping any byte found
 * in seps (a NUL-terminated set, may be ""). Returns how many digits were copied, or
 * (size_t)-1 if s holds another byte or more than cap digits. */
size_t bb_verify__collect_digits(const unsigned char *s, size_t n, const char *seps,
	unsigned char *out, size_t cap);

/* 1 if all n (n >= 1) digit values are the same. */
int bb_verify__all_same(const unsigned char *d, size_t n);

/* Splits s[0..n) into groups of the given sizes (summing to the unseparated length),
 * either contiguous or separated by one byte of seps, the same byte at every boundary.
 * On success copies the ungrouped bytes to out (which holds the sum of sizes) and
 * returns 1. Used for 3-2-4 SSNs, 4-3-4 MBIs and 3-3-4 NHS numbers. */
int bb_verify__ungroup(const unsigned char *s, size_t n, const size_t *sizes,
	size_t groups, const char *seps, unsigned char *out);

#endif
