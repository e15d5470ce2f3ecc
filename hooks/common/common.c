/*
 * common.c: helpers shared by the hook adapters.
 */
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
