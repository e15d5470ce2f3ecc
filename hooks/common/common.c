/*
 * common.c: helpers shared by the hook adapters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../hooks.h"

int hook_read_all(FILE *f, size_t cap, char **out, size_t *len)
{
	size_t n = 0, size = 65536;
	char *buf = malloc(size + 1);
	int rc = BB_OK;
	*out = NULL;
	*len = 0;
	if (!buf)
		return BB_ENOMEM;
	for (;;) {
		if (n == size) {
			if (size >= cap) {
				rc = BB_ETOOBIG;
				break;
			}
			size_t next = size * 2 > cap ? cap : size * 2;
			char *p = realloc(buf, next + 1);
			if (!p) {
				rc = BB_ENOMEM;
				break;
			}
			buf = p;
			size = next;
		}
		size_t r = fread(buf + n, 1, size - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f))
				rc = BB_EIO;
			break;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return rc;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

/* Index of the first c in t[from, n), or n. */
static size_t find(const char *t, size_t from, size_t n, int c)
{
	const char *p = memchr(t + from, c, n - from);
	return p ? (size_t)(p - t) : n;
}

size_t hook_json_fix_escapes(char *t, size_t n, int *saw_2400)
{
	/* Between strings only '"' matters, inside them only '"' and '\\'. The next of
	 * each is found with memchr and remembered until passed: source code in a
	 * tool's output is full of \n and \" escapes, and a set scan (strcspn) per
	 * escape cost 6% of a 1 MiB PostToolUse event. */
	int in_string = 0;
	size_t nuls = 0, i = 0, nq = SIZE_MAX, nb = SIZE_MAX; /* SIZE_MAX: not looked yet */
	*saw_2400 = 0;
	while (i < n) {
		if (nq == SIZE_MAX || nq < i)
			nq = find(t, i, n, '"');
		if (!in_string) {
			if (nq >= n)
				break;
			i = nq + 1;
			in_string = 1;
			continue;
		}
		if (nb == SIZE_MAX || nb < i)
			nb = find(t, i, n, '\\');
		i = nq < nb ? nq : nb;
		if (i >= n)
			break;
		if (t[i] == '"') { /* the closing quote */
			in_string = 0;
			i++;
			continue;
		}
		unsigned v, w;
		if (i + 1 >= n)
			break;
		if (t[i + 1] != 'u' || i + 5 >= n || hex4(t + i + 2, &v) < 0) {
			i += 2; /* another escape: skip the escaped character */
			continue;
		}
		if (v == 0) {
			memcpy(t + i + 2, "2400", 4);
			nuls++;
		} else if (v == 0x2400) {
			*saw_2400 = 1;
		} else if (v >= 0xD800 && v <= 0xDBFF) {
			if (i + 11 < n && t[i + 6] == '\\' && t[i + 7] == 'u' &&
				hex4(t + i + 8, &w) == 0 && w >= 0xDC00 && w <= 0xDFFF) {
				i += 6; /* a proper pair */
			} else {
				memcpy(t + i + 2, "fffd", 4);
			}
		} else if (v >= 0xDC00 && v <= 0xDFFF) {
			memcpy(t + i + 2, "fffd", 4);
		}
		i += 6;
	}
	return nuls;
}

char *hook_shell_quote(const char *s)
{
	size_t n = strlen(s);
	char *q = malloc(n * 4 + 3), *o = q;
	if (!q)
		return NULL;
	*o++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}
