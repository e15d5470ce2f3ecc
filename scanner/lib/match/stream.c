/*
 * stream.c: inputs of any size in bounded memory, and the file, descriptor and
 * buffer entry points built on it.
 *
 * The stream buffer holds input bytes [base, base + len). When it fills to
 * CHUNK + GUARD bytes, the region is scanned and findings whose match ends in
 * (done, base + len - GUARD] are reported; then everything but the last
 * OVERLAP + GUARD bytes is dropped. So every match shorter than OVERLAP is seen
 * whole, with GUARD bytes of right context, in exactly one chunk whose reporting
 * range holds its end: reported once, never cut short.
 *
 *   |<------------- buf (<= CHUNK + GUARD) ------------->|
 *   |<- OVERLAP ->|<------ reported range ------>|<GUARD>|
 *   base        done                             hi
 *
 * Line and column of buf.data[0] are carried along as bytes are dropped.
 */
#include "scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void stream_reset(bb_scanner *s, const char *origin)
{
	bb_stream *st = &s->st;
	st->active = 1;
	st->buf.len = 0;
	st->base = 0;
	st->done = 0;
	st->line = 1;
	st->col = 0;
	st->label = s->label;
	st->origin = origin ? origin : "";
}

static int process(bb_scanner *s, int final)
{
	bb_stream *st = &s->st;
	size_t len = st->buf.len;
	uint64_t hi = final ? UINT64_MAX : st->base + len - BB_GUARD;
	int rc = bb_scan__region(s, st->buf.data, len, st->base, st->done, hi, st->line,
		st->col, st->origin);
	if (rc < 0 || final)
		return rc;
	st->done = hi;
	size_t drop = len - BB_GUARD - BB_OVERLAP;
	while (drop > 0 && (st->buf.data[drop] & 0xC0) == 0x80 && len - BB_GUARD - BB_OVERLAP - drop < 3)
		drop--; /* keep a character whole for column counting */
	bb_scan__advance(st->buf.data, drop, &st->line, &st->col);
	memmove(st->buf.data, st->buf.data + drop, len - drop);
	st->buf.len = len - drop;
	st->base += drop;
	return BB_OK;
}

/* Room to read into: at most up to CHUNK + GUARD bytes in the buffer. */
int bb_stream__space(bb_scanner *s, size_t want, unsigned char **p, size_t *n)
{
	bb_stream *st = &s->st;
	size_t room = BB_CHUNK + BB_GUARD - st->buf.len;
	if (want > room)
		want = room;
	int rc = bb_buf_reserve(&st->buf, want);
	if (rc < 0)
		return rc;
	*p = st->buf.data + st->buf.len;
	*n = want;
	return BB_OK;
}

int bb_stream__commit(bb_scanner *s, size_t n)
{
	s->st.buf.len += n;
	s->n_bytes += n;
	return s->st.buf.len >= BB_CHUNK + BB_GUARD ? process(s, 0) : BB_OK;
}

int bb_stream__feed(bb_scanner *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len && !s->stopped) {
		unsigned char *dst;
		size_t n;
		int rc = bb_stream__space(s, len, &dst, &n);
		if (rc < 0)
			return rc;
		memcpy(dst, p, n);
		p += n;
		len -= n;
		if ((rc = bb_stream__commit(s, n)) < 0)
			return rc;
	}
	return s->stopped ? BB_ESTOPPED : BB_OK;
}

int bb_stream_begin(bb_scanner *s, const char *label, bb_finding_cb cb, void *payload)
{
	if (s->st.active)
		return BB_EINVAL;
	bb_scan__begin_input(s, label, cb, payload);
	stream_reset(s, NULL);
	return BB_OK;
}

int bb_stream_feed(bb_scanner *s, const void *buf, size_t len)
{
	return s->st.active ? bb_stream__feed(s, buf, len) : BB_EINVAL;
}

int bb_stream_end(bb_scanner *s)
{
	if (!s->st.active)
		return BB_EINVAL;
	int rc = s->stopped ? BB_ESTOPPED : process(s, 1);
	s->st.active = 0;
	return rc;
}

/* ---- buffers ------------------------------------------------------------------- */

static int is_binary(const unsigned char *p, size_t n)
{
	return memchr(p, 0, n < BB_HEAD ? n : BB_HEAD) != NULL;
}

int bb_scanner_scan_path(bb_scanner *s, const char *label, bb_finding_cb cb, void *payload)
{
	bb_scan__begin_input(s, label, cb, payload);
	return bb_classify__path(s, s->label);
}

int bb_scanner_scan_buffer(bb_scanner *s, const void *buf, size_t len, const char *label,
	bb_finding_cb cb, void *payload)
{
	const unsigned char *p = buf;
	int rc;
	if (s->st.active)
		return BB_EINVAL;
	bb_scan__begin_input(s, label, cb, payload);
	if (s->label[0] && (rc = bb_classify__path(s, s->label)) < 0)
		return rc;
	if (len && is_binary(p, len) && (rc = bb_classify__magic(s, p, BB_MIN(len, BB_HEAD))) < 0)
		return rc;
	s->n_bytes += len;
	if (len <= (1u << 30)) /* Hyperscan takes an unsigned length */
		return bb_scan__region(s, p, len, 0, 0, UINT64_MAX, 1, 0, NULL);
	stream_reset(s, NULL);
	s->n_bytes -= len; /* counted again by the stream */
	rc = bb_stream__feed(s, p, len);
	if (rc == BB_OK)
		rc = process(s, 1);
	s->st.active = 0;
	return rc;
}

/* ---- descriptors and files ------------------------------------------------------- */

/* Reads fd to EOF into the stream (which must be active). `limit` > 0 stops after
 * that many bytes (the size fstat gave: no extra read(2) to see EOF). */
static int pump(bb_scanner *s, int fd, uint64_t limit)
{
	uint64_t total = 0;
	while (!s->stopped) {
		unsigned char *p;
		size_t n;
		int rc = bb_stream__space(s, 1u << 20, &p, &n);
		if (rc < 0)
			return rc;
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			bb_scan__set_err(s, "read error: %s", strerror(errno));
			return BB_EIO;
		}
		if (r == 0)
			break;
		total += (uint64_t)r;
		if ((rc = bb_stream__commit(s, (size_t)r)) < 0)
			return rc;
		if (limit && total >= limit)
			break;
	}
	return s->stopped ? BB_ESTOPPED : BB_OK;
}

int bb_scanner_scan_fd(bb_scanner *s, int fd, const char *label, bb_finding_cb cb,
	void *payload)
{
	int rc = bb_stream_begin(s, label, cb, payload);
	if (rc < 0)
		return rc;
	if (s->label[0])
		rc = bb_classify__path(s, s->label);
	if (rc == BB_OK)
		rc = pump(s, fd, 0);
	int end = bb_stream_end(s);
	return rc < 0 ? rc : end;
}

static int read_head(bb_scanner *s, int fd, uint64_t size, size_t *got)
{
	unsigned char *p;
	size_t n;
	int rc = bb_stream__space(s, size < (1u << 20) ? (size_t)size : (1u << 20), &p, &n);
	*got = 0;
	while (rc == BB_OK && *got < n) {
		ssize_t r = read(fd, p + *got, n - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			bb_scan__set_err(s, "read error: %s", strerror(errno));
			return BB_EIO;
		}
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return rc;
}

static int is_gzip(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

static int is_zstd(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd;
}

/* What an input's first bytes call for. */
typedef enum { HEAD_TEXT, HEAD_BINARY, HEAD_GZIP, HEAD_ZSTD, HEAD_UTF16 } head_kind;

static head_kind sniff(const bb_scanner *s, const unsigned char *p, size_t n, int *order,
	size_t *bom)
{
	if (!s->opts.no_decompress && is_gzip(p, n))
		return HEAD_GZIP;
	if (!s->opts.no_decompress && is_zstd(p, n))
		return HEAD_ZSTD;
	if (!n || !is_binary(p, n))
		return HEAD_TEXT;
	return (*order = bb_decode__utf16_order(p, n, bom)) ? HEAD_UTF16 : HEAD_BINARY;
}

/* Streams the decoded input; s->inbuf holds its first bytes (the rest is read from
 * fd, or from s->mem when fd < 0). */
static int decode(bb_scanner *s, int fd, head_kind k, int order, size_t bom)
{
	stream_reset(s, k == HEAD_GZIP ? "gzip" : k == HEAD_ZSTD ? "zstd"
		: order == 'l' ? "utf-16le" : "utf-16be");
	return k == HEAD_GZIP ? bb_decode__gzip(s, fd) : k == HEAD_ZSTD ? bb_decode__zstd(s, fd)
		: bb_decode__utf16(s, fd, order, bom);
}

/* A binary input: libmagic's sensitive types are reported, then it is skipped. */
static int skip_binary(bb_scanner *s, const unsigned char *p, size_t n)
{
	int rc = bb_classify__magic(s, p, BB_MIN(n, BB_HEAD));
	if (rc == BB_OK) {
		bb_scan__set_err(s, "binary file");
		rc = BB_ESKIPPED;
	}
	return rc;
}

/* The content of an open regular file: decoded, skipped as binary, or streamed. */
static int scan_content(bb_scanner *s, int fd, uint64_t size)
{
	size_t got, bom = 0;
	int rc = read_head(s, fd, size, &got), order = 0;
	if (rc < 0 || got == 0)
		return rc;
	const unsigned char *head = s->st.buf.data;
	head_kind k = sniff(s, head, got, &order, &bom);
	if (k >= HEAD_GZIP) { /* the decoder starts from the bytes already read */
		s->inbuf.len = 0;
		return bb_buf_append(&s->inbuf, head, got) < 0 ? BB_ENOMEM
			: decode(s, fd, k, order, bom);
	}
	if (k == HEAD_BINARY) {
		rc = skip_binary(s, head, got);
		s->st.buf.len = 0;
		return rc;
	}
	if ((rc = bb_stream__commit(s, got)) < 0)
		return rc;
	if ((uint64_t)got >= size && size > 0)
		return BB_OK; /* read all that fstat promised */
	if (size > BB_CHUNK)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return pump(s, fd, size > got ? size - got : 0);
}

int bb_scanner_scan_blob(bb_scanner *s, const void *buf, size_t len, const char *label,
	bb_finding_cb cb, void *payload)
{
	const unsigned char *p = buf;
	if (s->st.active)
		return BB_EINVAL;
	bb_scan__begin_input(s, label, cb, payload);
	int rc = bb_classify__path(s, s->label);
	if (rc < 0)
		return rc;
	if (s->opts.max_file_size && len > s->opts.max_file_size) {
		bb_scan__set_err(s, "larger than the size limit (%zu bytes)", len);
		return BB_ESKIPPED;
	}
	size_t bom = 0;
	int order = 0;
	head_kind k = sniff(s, p, len, &order, &bom);
	if (k >= HEAD_GZIP) {
		/* the first part goes through inbuf, the rest is read from s->mem */
		size_t first = BB_MIN(len, (size_t)(256 * 1024));
		s->inbuf.len = 0;
		if (bb_buf_append(&s->inbuf, p, first) < 0)
			return BB_ENOMEM;
		s->mem = p;
		s->mem_len = len;
		s->mem_pos = first;
		rc = decode(s, -1, k, order, bom);
		int end = rc == BB_OK || rc == BB_ETOOBIG || rc == BB_EDECODE ? process(s, 1) : BB_OK;
		s->st.active = 0;
		s->mem = NULL;
		return rc == BB_OK ? end : rc;
	}
	if (k == HEAD_BINARY)
		return skip_binary(s, p, len);
	s->n_bytes += len;
	if (len <= (1u << 30))
		return bb_scan__region(s, p, len, 0, 0, UINT64_MAX, 1, 0, NULL);
	stream_reset(s, NULL);
	s->n_bytes -= len;
	rc = bb_stream__feed(s, p, len);
	if (rc == BB_OK)
		rc = process(s, 1);
	s->st.active = 0;
	return rc;
}

int bb_scanner_scan_file(bb_scanner *s, const char *path, const char *label,
	bb_finding_cb cb, void *payload)
{
	if (s->st.active)
		return BB_EINVAL;
	bb_scan__begin_input(s, label ? label : path, cb, payload);
	int fd = bb_open_long(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		bb_scan__set_err(s, "cannot open: %s", strerror(errno));
		return BB_EIO;
	}
	struct stat st;
	int rc = BB_OK;
	if (fstat(fd, &st) < 0) {
		bb_scan__set_err(s, "cannot stat: %s", strerror(errno));
		rc = BB_EIO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		bb_scan__set_err(s, "not a regular file");
		rc = BB_ESKIPPED;
		goto out;
	}
	BB_TRY(bb_classify__path(s, s->label));
	if (s->opts.max_file_size && (uint64_t)st.st_size > s->opts.max_file_size) {
		bb_scan__set_err(s, "larger than the size limit (%llu bytes)",
			(unsigned long long)st.st_size);
		rc = BB_ESKIPPED;
		goto out;
	}
	stream_reset(s, NULL);
	rc = scan_content(s, fd, (uint64_t)st.st_size);
	if (s->st.active) {
		int end = rc == BB_OK || rc == BB_ETOOBIG || rc == BB_EDECODE || rc == BB_EIO
			? process(s, 1) : BB_OK;
		s->st.active = 0;
		if (rc == BB_OK)
			rc = end;
	}
out:
	close(fd);
	return rc;
}
