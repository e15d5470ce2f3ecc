/*
 * placeholder: tells documentation values, templates and masks from real secrets, so that
 * `api_key = "<your-api-key>"` or `password: ${DB_PASSWORD}` is not reported.
 *
 * The rules are conservative: each matches what people type in place of a secret, and
 * none should match a random token (a 40-character base62 token contains a given 4-letter
 * word with odds of about 1 in 25,000, and a run of 8 with odds of about 1 in 10^10). Words
 * a real secret may carry stay out: "test" (Stripe's sk_test_ keys are live credentials
 * for a test mode), "demo", "default", "secret", "password", and short runs like "abc",
 * "123".
 *
 * Alphabet runs ("abcdef12345678...") are a weaker sign: people type them to fill a
 * field, but a value like that is sometimes real enough to matter (and every scanner's
 * test corpus is full of them). They are reported by bb_verify__is_filler, and the
 * engine reports such a secret at low confidence instead of dropping it.
 *
 * The caller owns the bytes, which may be any bytes; nothing is allocated or kept.
 */
#include "verify.h"

#include <stdint.h>
#include <string.h>

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * Words people write instead of a secret: documentation values (AWS's documented keys
 * AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end in EXAMPLE, as do
 * most vendors' sample credentials), instructions to the reader ("your_", "change_me",
 * "insert_", "replace_me"), obvious fakes, the output of redaction tools, and masks
 * (xxxx, ****, ....) left where a value was hidden.
 *
 * `one_case`: the 4-letter words a random token holds by chance count only written in
 * one case ("fake", "FAKE", "Fake"). A random base62 token of 40 characters contains
 * "fake" in any mix of cases with odds of about 1 in 45,000 (a real token in every
 * 45,000 dropped), in one of these three forms with odds of about 1 in 130,000,000;
 * people write placeholders in one case.
 */
static const struct marker {
	const char *w;
	unsigned char len, one_case;
} markers[] = {
#define M(w, one_case) { w, sizeof w - 1, one_case }
	M("example", 0), M("sample", 0), M("dummy", 0), M("placeholder", 0), M("changeme", 0),
	M("change_me", 0), M("change-me", 0), M("your_", 0), M("your-", 0), M("yourkey", 0),
	M("redacted", 0), M("replace_me", 0), M("replaceme", 0), M("insert_", 0), M("fake", 1),
	M("xxxx", 1), M("****", 0), M("....", 0),
#undef M
};

/* Values longer than LONG_VALUE (key bodies, long tokens) contain any 4-letter
 * word somewhere by chance (a 2,000-character PEM body contains "fake" or "xxxx",
 * in some case, about once in 300 keys): there a marker counts only as a word of
 * its own, after a separator that base64 and hex never contain. */
#define LONG_VALUE 100

/* Whether s contains m's word, ignoring ASCII case; `delimited`: only right after a
 * separator (or at the start); m->one_case: only in one case (see markers). */
static int has_word(const unsigned char *s, size_t n, const struct marker *m, int delimited)
{
	for (size_t i = 0; m->len <= n && i <= n - m->len; i++) {
		if (delimited && i && !memchr(" _-.:<{[\"'", s[i - 1], 10))
			continue;
		size_t j = 0, upper = 0;
		while (j < m->len && ascii_lower(s[i + j]) == (unsigned char)m->w[j]) {
			upper += j && s[i + j] >= 'A' && s[i + j] <= 'Z';
			j++;
		}
		if (j == m->len && (!m->one_case || upper == 0 || upper == j - 1u))
			return 1;
	}
	return 0;
}

static int has_marker_word(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
		if (has_word(s, n, &markers[i], n > LONG_VALUE))
			return 1;
	return 0;
}

static int ident_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_';
}

/* <your-key>, <API_TOKEN>, <token here>: angle brackets around name-like text. Other
 * text between them (a password such as "a<9!>" ) is left alone. */
static int has_angle_name(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		size_t j = i + 1;

		while (j < n && (ident_char(s[j]) || memchr("-. ", s[j], 3) != NULL))
			j++;
		if (j < n && s[j] == '>' && j > i + 1)
			return 1;
	}
	return 0;
}

/* The whole value is $NAME (an upper-case environment variable: "$ecr3t" is a password,
 * not a reference) or %NAME% (a Windows one, any case). */
static int is_variable_reference(const unsigned char *s, size_t n)
{
	size_t i;

	if (n >= 2 && s[0] == '$') {
		for (i = 1; i < n; i++)
			if (!(ident_char(s[i]) && !(s[i] >= 'a' && s[i] <= 'z')))
				return 0;
		return !(s[1] >= '0' && s[1] <= '9');
	}
	if (n >= 3 && s[0] == '%' && s[n - 1] == '%') {
		for (i = 1; i < n - 1; i++)
			if (!ident_char(s[i]))
				return 0;
		return 1;
	}
	return 0;
}

/*
 * Template and interpolation syntax, which stands for a value filled in elsewhere:
 * ${VAR} (shell, Terraform, JS templates), {{ var }} (Jinja, Mustache, Helm, Go
 * templates), %(var)s (Python), $(VAR) or $(command) (Make, shell). Each must be
 * well formed, a name inside its brackets, because a password may hold these
 * characters too: "m{{h}o)p${e]nob(" is a password, not a template. A value cut
 * short by its pattern may hold just the start ("{{token") or the end ("token}}").
 */

/* Template text inside the brackets: names, paths, filters, defaults, arguments. */
static int template_char(unsigned char c)
{
	return ident_char(c) || (c && strchr(" \t.|:-\"'(),/", c));
}

/* s[i..n) starts with the name part of a template; returns the index just past it,
 * or 0 when no name starts there. */
static size_t template_name(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || !(ident_char(s[i]) || s[i] == '.' || s[i] == '$'))
		return 0;
	while (i < n && (template_char(s[i]) || s[i] == '$'))
		i++;
	return i;
}

static int has_template(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		size_t j;
		if (s[i] == '$' && s[i + 1] == '{') { /* ${NAME}, ${NAME:-default} */
			j = i + 2;
			if (j < n && (ident_char(s[j]) || s[j] == '!' || s[j] == '#')) {
				while (j < n && s[j] != '}' && s[j] != '{' && s[j] != '[' && s[j] != '$')
					j++;
				if (j < n && s[j] == '}')
					return 1;
			}
		} else if (s[i] == '{' && s[i + 1] == '{') { /* {{ name }} */
			if ((j = template_name(s, n, i + 2)) && (j == n ||
				(j + 1 < n && s[j] == '}' && s[j + 1] == '}')))
				return 1;
		} else if ((s[i] == '%' || s[i] == '$') && s[i + 1] == '(') { /* %(name)s, $(cmd) */
			j = i + 2;
			if (j < n && (ident_char(s[j]) || s[j] == '.')) {
				while (j < n && s[j] != ')' && s[j] != '(' && s[j] != '$' && s[j] != '{')
					j++;
				if (j < n && s[j] == ')')
					return 1;
			}
		} else if (s[i] == '}' && s[i + 1] == '}' && i > 0 && i + 2 == n) { /* "name }}" */
			size_t k = 0;
			while (k < i && template_char(s[k]))
				k++;
			if (k == i && ident_char(s[0]))
				return 1;
		}
	}
	return has_angle_name(s, n) || is_variable_reference(s, n);
}

/*
 * Too few distinct bytes: one byte repeated ("aaaaaaaa", "00000000") at any length from 2,
 * and fewer than 4 distinct bytes from 8 on ("abababab", "12121212"). A random base62 token
 * of 8 characters has 4 or more distinct ones with odds above 99.9%.
 */
static int too_few_distinct(const unsigned char *s, size_t n)
{
	uint64_t seen[4] = {0};
	unsigned distinct = 0;

	for (size_t i = 0; i < n && distinct < 4; i++) {
		uint64_t bit = (uint64_t)1 << (s[i] & 63);

		if (!(seen[s[i] >> 6] & bit)) {
			seen[s[i] >> 6] |= bit;
			distinct++;
		}
	}
	return (n >= 2 && distinct == 1) || (n >= 8 && distinct < 4);
}

/* Alphabet runs of 8 or more, ascending or descending, inside one of
 * 0-9, a-z, A-Z ("12345678", "abcdefgh", "ZYXWVUTS"): what people type to fill a field. */
#define RUN_MIN 8

static int alphabet_class(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 1;
	if (c >= 'a' && c <= 'z')
		return 2;
	if (c >= 'A' && c <= 'Z')
		return 3;
	return 0;
}

static int has_alphabet_run(const unsigned char *s, size_t n)
{
	size_t up = 1, down = 1;

	for (size_t i = 1; i < n; i++) {
		int same = alphabet_class(s[i]) != 0 &&
			alphabet_class(s[i]) == alphabet_class(s[i - 1]);

		up = same && s[i] == s[i - 1] + 1 ? up + 1 : 1;
		down = same && s[i] + 1 == s[i - 1] ? down + 1 : 1;
		if (up >= RUN_MIN || down >= RUN_MIN)
			return 1;
	}
	return 0;
}

int bb_verify__is_placeholder(const unsigned char *s, size_t n)
{
	/* an empty value leaks nothing */
	if (s == NULL || n == 0)
		return 1;
	return has_marker_word(s, n) || has_template(s, n) || too_few_distinct(s, n);
}

int bb_verify__is_filler(const unsigned char *s, size_t n)
{
	return s != NULL && has_alphabet_run(s, n);
}

/* A tag starts at most this far before a secret starting in it: "[REDACTED:", an
 * id of at most 100 characters (the signature file rule), "]". */
#define TAG_OPEN "[REDACTED:"
#define TAG_MAX (sizeof TAG_OPEN - 1 + 100 + 1)

int bb_verify__in_redaction_tag(const unsigned char *data, size_t len, size_t ss)
{
	const size_t open = sizeof TAG_OPEN - 1;
	size_t from = ss > TAG_MAX ? ss - TAG_MAX : 0;
	for (size_t i = ss + 1; i-- > from;) {
		if (data[i] != '[' || len - i < open || memcmp(data + i, TAG_OPEN, open))
			continue;
		size_t j = i + open, dots = 0;
		while (j < len && ((data[j] >= 'a' && data[j] <= 'z') ||
			(data[j] >= '0' && data[j] <= '9') || data[j] == '.' || data[j] == '-'))
			dots += data[j++] == '.';
		/* an id: 3 to 100 of [a-z0-9.-] with a dot, then ']' */
		return j - (i + open) >= 3 && j - (i + open) <= 100 && dots && j < len &&
			data[j] == ']' && ss <= j;
	}
	return 0;
}
