/*
 * util.c: buffers, diagnostics, file slurping, fingerprints. See util.h.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sha2.h>

void bb_buf_init(bb_buf *b, size_t limit)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->limit = limit;
	b->align = 0;
}

void bb_buf_free(bb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int bb_buf_reserve(bb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1; /* +1: room for bb_buf_cstr's NUL */
	if (need < b->len)
		return BB_ETOOBIG;
	if (need <= b->cap)
		return BB_OK;
	if (b->limit && need > b->limit + 1)
		return BB_ETOOBIG;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap * 2 < cap ? need : cap * 2;
	if (b->limit && cap > b->limit + 1)
		cap = b->limit + 1;
	unsigned char *p;
	if (b->align) { /* there is no aligned realloc */
		void *q;
		if (posix_memalign(&q, b->align, cap) != 0)
			return BB_ENOMEM;
		p = q;
		if (b->len)
			memcpy(p, b->data, b->len);
		free(b->data);
	} else if (!(p = realloc(b->data, cap))) {
		return BB_ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return BB_OK;
}

int bb_buf_append(bb_buf *b, const void *p, size_t n)
{
	int rc = bb_buf_reserve(b, n);
	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return BB_OK;
}

int bb_buf_puts(bb_buf *b, const char *s)
{
	return bb_buf_append(b, s, strlen(s));
}

int bb_buf_printf(bb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return BB_ERROR;
	int rc = bb_buf_reserve(b, (size_t)n);
	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return BB_OK;
}

const char *bb_buf_cstr(bb_buf *b)
{
	if (bb_buf_reserve(b, 0) < 0)
		return NULL;
	b->data[b->len] = '\0';
	return (const char *)b->data;
}

char *bb_strdup(const char *s)
{
	return s ? bb_strndup(s, strlen(s)) : NULL;
}

char *bb_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void bb_diag_set(bb_diag *diag, const char *file, const char *id, const char *fmt, ...)
{
	if (!diag)
		return;
	snprintf(diag->file, sizeof diag->file, "%s", file ? file : "");
	snprintf(diag->id, sizeof diag->id, "%s", id ? id : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof diag->message, fmt, ap);
	va_end(ap);
}

int bb_read_file(const char *path, size_t limit, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? BB_ENOTFOUND : BB_EIO;
	int rc = BB_OK;
	bb_buf b;
	bb_buf_init(&b, limit);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = BB_EIO;
		goto out;
	}
	if (limit && (uint64_t)st.st_size > limit) {
		rc = BB_ETOOBIG;
		goto out;
	}
	BB_TRY(bb_buf_reserve(&b, (size_t)st.st_size));
	for (;;) {
		BB_TRY(bb_buf_reserve(&b, 65536));
		ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = BB_EIO;
			goto out;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
	}
	bb_buf_cstr(&b);
	*out = (char *)b.data;
	*len = b.len;
	b.data = NULL;
out:
	bb_buf_free(&b);
	close(fd);
	return rc;
}

void bb_fingerprint(const char *id, const unsigned char *secret, size_t n, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	SHA2_CTX ctx;
	uint8_t digest[SHA256_DIGEST_LENGTH];
	SHA256Init(&ctx);
	SHA256Update(&ctx, (const uint8_t *)id, strlen(id) + 1); /* includes the NUL */
	SHA256Update(&ctx, secret, n);
	SHA256Final(digest, &ctx);
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[32] = '\0';
}

void bb_ascii_lower(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

const char *bb_memmem_ci(const char *hay, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0)
		return hay;
	if (nn > hn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t j = 0;
		while (j < nn) {
			unsigned char a = (unsigned char)hay[i + j], b = (unsigned char)needle[j];
			if (a >= 'A' && a <= 'Z') a += 32;
			if (b >= 'A' && b <= 'Z') b += 32;
			if (a != b)
				break;
			j++;
		}
		if (j == nn)
			return hay + i;
	}
	return NULL;
}

int bb_open_long(const char *path, int flags)
{
	if (strlen(path) < PATH_MAX)
		return open(path, flags);
	int dfd = AT_FDCWD;
	const char *p = path;
	while (strlen(p) >= PATH_MAX) {
		/* the longest leading piece that ends before a '/' and fits */
		const char *cut = p + PATH_MAX - 1;
		while (cut > p && *cut != '/')
			cut--;
		if (cut == p && *p != '/') {
			if (dfd != AT_FDCWD)
				close(dfd);
			errno = ENAMETOOLONG; /* one name longer than PATH_MAX */
			return -1;
		}
		char piece[PATH_MAX];
		size_t n = cut == p ? 1 : (size_t)(cut - p); /* "/" for an absolute path */
		memcpy(piece, p, n);
		piece[n] = '\0';
		int nfd = openat(dfd, piece, O_PATH | O_DIRECTORY | O_CLOEXEC);
		int err = errno;
		if (dfd != AT_FDCWD)
			close(dfd);
		if (nfd < 0) {
			errno = err;
			return -1;
		}
		dfd = nfd;
		p = cut + 1;
	}
	int fd = openat(dfd, p, flags);
	int err = errno;
	if (dfd != AT_FDCWD)
		close(dfd);
	errno = err;
	return fd;
}

void *bb_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : first;
	if (c > SIZE_MAX / size)
		return NULL;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

int bb_json_read_object(const char *path, cJSON **root, bb_diag *diag)
{
	char *text;
	size_t len;
	*root = NULL;
	int rc = bb_read_file(path, 16u << 20, &text, &len);
	if (rc < 0) {
		bb_diag_set(diag, path, NULL, "cannot read config: %s", bb_strerror(rc));
		return rc;
	}
	*root = cJSON_ParseWithLength(text, len);
	free(text);
	if (cJSON_IsObject(*root))
		return BB_OK;
	cJSON_Delete(*root);
	*root = NULL;
	bb_diag_set(diag, path, NULL, "not a JSON object");
	return BB_EINVAL;
}
