/*
 * glob.c: glob -> regex (see glob.h for the syntax).
 */
#include "glob.h"

#include <string.h>

static int put_class(const char **pp, bb_buf *out)
{
	const char *p = *pp + 1, *end = strchr(p + (*p == ']'), ']');
	if (!end)
		return BB_EINVAL;
	int rc = bb_buf_puts(out, "[");
	if (rc == BB_OK && (*p == '!' || *p == '^')) {
		rc = bb_buf_puts(out, "^");
		p++;
	}
	for (; rc == BB_OK && p < end; p++) {
		if (*p == '\\' || *p == '[' || (*p == '/' ))
			rc = bb_buf_puts(out, "\\");
		if (rc == BB_OK)
			rc = bb_buf_append(out, p, 1);
	}
	*pp = end;
	return rc < 0 ? rc : bb_buf_puts(out, "]");
}

int bb_glob_to_regex(const char *glob, bb_buf *out)
{
	while (glob[0] == '.' && glob[1] == '/')
		glob += 2;
	size_t n = strlen(glob);
	while (n > 1 && glob[n - 1] == '/')
		n--;
	if (!n || (n == 1 && glob[0] == '/'))
		return BB_EINVAL;
	int anchored = glob[0] == '/' || memchr(glob, '/', n) != NULL;
	if (glob[0] == '/') {
		glob++;
		n--;
	}
	int rc = bb_buf_puts(out, anchored ? "^" : "^(?:.*/)?");
	for (const char *p = glob, *end = glob + n; rc == BB_OK && p < end; p++) {
		if (p[0] == '*' && p + 1 < end && p[1] == '*') {
			int slash = p + 2 < end && p[2] == '/';
			rc = bb_buf_puts(out, slash ? "(?:.*/)?" : ".*");
			p += slash ? 2 : 1;
		} else if (*p == '*') {
			rc = bb_buf_puts(out, "[^/]*");
		} else if (*p == '?') {
			rc = bb_buf_puts(out, "[^/]");
		} else if (*p == '[') {
			rc = put_class(&p, out);
		} else {
			if (strchr("\\.^$|()+{}[]", *p))
				rc = bb_buf_puts(out, "\\");
			if (rc == BB_OK)
				rc = bb_buf_append(out, p, 1);
		}
	}
	return rc < 0 ? rc : bb_buf_puts(out, "(?:/.*)?$");
}
