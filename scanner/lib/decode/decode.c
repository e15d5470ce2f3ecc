/*
 * decode.c: gzip (zlib) and zstd decoding straight into the scanner's stream, so a
 * compressed log or dump is scanned like the text it holds; and UTF-16 text (Windows
 * editors, PowerShell and .reg exports write it), converted to UTF-8 with iconv(3),
 * which would otherwise be skipped as binary for its NUL bytes.
 *
 * Limits, because a compressed file is an attacker's favourite input: at most
 * opts.max_decoded_size bytes out per file, and, past the first MiB, at most
 * opts.max_decode_ratio bytes out per byte in (a decompression bomb expands
 * 1000:1 or more; real logs and dumps rarely pass 20:1). zstd's window is capped
 * at 128 MiB so a frame cannot demand more memory than that. Hitting a limit stops
 * decoding with a warning; findings in what was decoded so far stand.
 *
 * The z_stream and ZSTD_DCtx belong to the scanner and are reused from file to
 * file. Only one level is decoded: a .gz inside a .zst is scanned as bytes.
 */
#include "../match/scanner.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_CHUNK (256u * 1024)
#define OUT_CHUNK (256u * 1024)
#define RATIO_GRACE (1u << 20)

/* Compacts unconsumed input to the front and reads more. Returns bytes read,
 * 0 at EOF, or a negative status. */
static long refill(bb_scanner *s, int fd, size_t *pos)
{
	bb_buf *b = &s->inbuf;
	memmove(b->data, b->data + *pos, b->len - *pos);
	b->len -= *pos;
	*pos = 0;
	if (bb_buf_reserve(b, IN_CHUNK) < 0)
		return BB_ENOMEM;
	if (fd < 0) { /* the input is in memory (a git blob) */
		size_t n = BB_MIN(IN_CHUNK, s->mem_len - s->mem_pos);
		memcpy(b->data + b->len, s->mem + s->mem_pos, n);
		s->mem_pos += n;
		b->len += n;
		return (long)n;
	}
	for (;;) {
		ssize_t r = read(fd, b->data + b->len, IN_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			bb_scan__set_err(s, "read error: %s", strerror(errno));
			return BB_EIO;
		}
		b->len += (size_t)r;
		return (long)r;
	}
}

static int over_limits(bb_scanner *s, uint64_t in, uint64_t out, const char *what)
{
	if (out > s->opts.max_decoded_size) {
		bb_scan__set_err(s, "%s content larger than the decode limit (%llu bytes); "
			"scanned the first part", what, (unsigned long long)s->opts.max_decoded_size);
		return BB_ETOOBIG;
	}
	if (out > RATIO_GRACE && s->opts.max_decode_ratio &&
		out / (in ? in : 1) > s->opts.max_decode_ratio) {
		bb_scan__set_err(s, "%s expands more than %u:1 (a decompression bomb?); "
			"scanned the first part", what, s->opts.max_decode_ratio);
		return BB_ETOOBIG;
	}
	return BB_OK;
}

int bb_decode__gzip(bb_scanner *s, int fd)
{
	if (!s->zs) {
		if (!(s->zs = calloc(1, sizeof *s->zs)))
			return BB_ENOMEM;
		if (inflateInit2(s->zs, 15 + 32) != Z_OK) { /* +32: gzip or zlib header */
			free(s->zs);
			s->zs = NULL;
			return BB_ENOMEM;
		}
	} else {
		inflateReset2(s->zs, 15 + 32);
	}
	z_stream *z = s->zs;
	size_t pos = 0;
	uint64_t in = s->inbuf.len, out = 0;
	int eof = 0, rc;
	while (!s->stopped) {
		if (pos == s->inbuf.len && !eof) {
			long r = refill(s, fd, &pos);
			if (r < 0)
				return (int)r;
			eof = r == 0;
			in += (uint64_t)r;
		}
		unsigned char *dst;
		size_t room;
		if ((rc = bb_stream__space(s, OUT_CHUNK, &dst, &room)) < 0)
			return rc;
		z->next_in = s->inbuf.data + pos;
		z->avail_in = (uInt)(s->inbuf.len - pos);
		z->next_out = dst;
		z->avail_out = (uInt)room;
		int zr = inflate(z, Z_NO_FLUSH);
		pos = (size_t)(z->next_in - s->inbuf.data);
		size_t produced = room - z->avail_out;
		out += produced;
		if ((rc = bb_stream__commit(s, produced)) < 0)
			return rc;
		if ((rc = over_limits(s, in, out, "gzip")) < 0)
			return rc;
		if (zr == Z_STREAM_END) {
			if (pos == s->inbuf.len && !eof) {
				long r = refill(s, fd, &pos);
				if (r < 0)
					return (int)r;
				eof = r == 0;
				in += (uint64_t)r;
			}
			/* Another member may follow (concatenated gzip); anything else is
			 * trailing padding, ignored as gzip(1) does. */
			if (s->inbuf.len - pos < 2 || s->inbuf.data[pos] != 0x1f ||
				s->inbuf.data[pos + 1] != 0x8b)
				return BB_OK;
			inflateReset(z);
		} else if (zr == Z_BUF_ERROR && eof && pos == s->inbuf.len) {
			bb_scan__set_err(s, "truncated gzip data; scanned what was there");
			return BB_EDECODE;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			bb_scan__set_err(s, "corrupt gzip data (%s); scanned what decoded",
				z->msg ? z->msg : "inflate error");
			return BB_EDECODE;
		}
	}
	return BB_ESTOPPED;
}

int bb_decode__zstd(bb_scanner *s, int fd)
{
	if (!s->zd) {
		if (!(s->zd = ZSTD_createDCtx()))
			return BB_ENOMEM;
		ZSTD_DCtx_setParameter(s->zd, ZSTD_d_windowLogMax, 27);
	}
	ZSTD_DCtx_reset(s->zd, ZSTD_reset_session_only);
	size_t pos = 0, last = 1;
	uint64_t in = s->inbuf.len, out = 0;
	int eof = 0, rc;
	while (!s->stopped) {
		if (pos == s->inbuf.len) {
			if (eof)
				break;
			long r = refill(s, fd, &pos);
			if (r < 0)
				return (int)r;
			eof = r == 0;
			in += (uint64_t)r;
			if (eof && pos == s->inbuf.len)
				break;
		}
		unsigned char *dst;
		size_t room;
		if ((rc = bb_stream__space(s, OUT_CHUNK, &dst, &room)) < 0)
			return rc;
		ZSTD_inBuffer ib = { s->inbuf.data, s->inbuf.len, pos };
		ZSTD_outBuffer ob = { dst, room, 0 };
		last = ZSTD_decompressStream(s->zd, &ob, &ib);
		pos = ib.pos;
		out += ob.pos;
		if ((rc = bb_stream__commit(s, ob.pos)) < 0)
			return rc;
		if (ZSTD_isError(last)) {
			bb_scan__set_err(s, "corrupt zstd data (%s); scanned what decoded",
				ZSTD_getErrorName(last));
			return BB_EDECODE;
		}
		if ((rc = over_limits(s, in, out, "zstd")) < 0)
			return rc;
	}
	if (s->stopped)
		return BB_ESTOPPED;
	if (last != 0) {
		bb_scan__set_err(s, "truncated zstd data; scanned what was there");
		return BB_EDECODE;
	}
	return BB_OK;
}

/* ---- UTF-16 -------------------------------------------------------------------- */

static int ascii_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* Without a byte order mark, text counts as UTF-16 when, over its first 4 KiB (at
 * least 8 characters), 9 in 10 characters are ASCII text with a NUL high byte: what
 * source, configuration and logs look like, and what arrays of 16-bit numbers and
 * other binary data rarely do. */
int bb_decode__utf16_order(const unsigned char *p, size_t n, size_t *bom)
{
	*bom = 0;
	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
		if (n >= 4 && p[0] == 0xff && !p[2] && !p[3])
			return 0; /* UTF-32LE */
		*bom = 2;
		return p[0] == 0xff ? 'l' : 'b';
	}
	size_t pairs = BB_MIN(n, (size_t)4096) / 2, le = 0, be = 0;
	if (pairs < 8)
		return 0;
	for (size_t i = 0; i < pairs; i++) {
		le += ascii_text(p[2 * i]) && !p[2 * i + 1];
		be += !p[2 * i] && ascii_text(p[2 * i + 1]);
	}
	return le * 10 >= pairs * 9 ? 'l' : be * 10 >= pairs * 9 ? 'b' : 0;
}

/* Converts to UTF-8 as it reads. A code unit iconv cannot convert (an unpaired
 * surrogate, an odd byte at the end) becomes U+FFFD, and conversion goes on. */
int bb_decode__utf16(bb_scanner *s, int fd, int order, size_t bom)
{
	int k = order == 'b';
	if (!s->ic[k]) {
		iconv_t cd = iconv_open("UTF-8", k ? "UTF-16BE" : "UTF-16LE");
		if (cd == (iconv_t)-1) {
			bb_scan__set_err(s, "cannot convert UTF-16: %s", strerror(errno));
			return BB_EDECODE;
		}
		s->ic[k] = cd;
	}
	iconv_t cd = s->ic[k];
	iconv(cd, NULL, NULL, NULL, NULL);
	size_t pos = BB_MIN(bom, s->inbuf.len);
	uint64_t in = s->inbuf.len, out = 0;
	int eof = 0, rc;
	/* converted into a small buffer, then copied into the stream: UTF-16 files are
	 * rare, and iconv needs room for a whole character, which the stream's last
	 * bytes before a chunk boundary may not have */
	char tmp[16384];
	while (!s->stopped) {
		if (s->inbuf.len - pos < 4 && !eof) {
			long r = refill(s, fd, &pos);
			if (r < 0)
				return (int)r;
			eof = r == 0;
			in += (uint64_t)r;
			continue;
		}
		if (pos == s->inbuf.len)
			return BB_OK;
		char *ip = (char *)s->inbuf.data + pos, *op = tmp;
		size_t il = s->inbuf.len - pos, ol = sizeof tmp - 3; /* room for a U+FFFD */
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int err = r == (size_t)-1 ? errno : 0;
		pos = (size_t)((unsigned char *)ip - s->inbuf.data);
		if (err == EILSEQ || (err == EINVAL && eof)) {
			memcpy(op, "\xef\xbf\xbd", 3); /* U+FFFD for the code unit */
			op += 3;
			pos = BB_MIN(pos + 2, s->inbuf.len);
		}
		size_t produced = (size_t)(op - tmp);
		out += produced;
		if ((rc = bb_stream__feed(s, tmp, produced)) < 0)
			return rc;
		if ((rc = over_limits(s, in, out, "UTF-16")) < 0)
			return rc;
	}
	return BB_ESTOPPED;
}

void bb_decode__free(bb_scanner *s)
{
	for (int k = 0; k < 2; k++)
		if (s->ic[k]) {
			iconv_close((iconv_t)s->ic[k]);
			s->ic[k] = NULL;
		}
	if (s->zs) {
		inflateEnd(s->zs);
		free(s->zs);
		s->zs = NULL;
	}
	ZSTD_freeDCtx(s->zd);
	s->zd = NULL;
}
