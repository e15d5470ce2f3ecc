/*
 * cache.c: the compiled-signature cache on disk.
 *
 * Compiling the Hyperscan databases for the built-in set takes hundreds of
 * milliseconds; the agent hook runs once per tool call and must answer in about
 * one. So the compiled form is kept in a file named by a 128-bit key over
 * everything that determines it: the cache format, blackbar's version, the
 * Hyperscan version, this CPU's features, and every signature source's name and
 * bytes. A different key is a different file, so the cache can never be stale.
 *
 * File layout:
 *   "BBCACHE3" | key (16 bytes) | u64 raw size | u64 XXH3-64 of raw | raw
 *   raw = 3 sections: meta blob (meta.c), content database, path database, each
 *         u64 length, zero padding to a multiple of 64 bytes, then the bytes
 *
 * The databases are stored deserialized, in Hyperscan's in-memory form, as
 * hs_deserialize_database_at() lays them out at an address that is a multiple of
 * 64; their offset in the file is one too, so in a mapping of the file (page
 * aligned) they are ready to use where they lie. That is what
 * hs_deserialize_database_at() is for (a database placed in shared memory is used
 * at whatever address each process maps it): Hyperscan's bytecode refers to itself
 * by offsets. A warm start thus maps the file and copies nothing: the meta strings
 * and both databases point into the mapping, which lives as long as the ruleset.
 * Copying them out cost 0.5 ms per start, most of it the kernel providing and
 * zeroing fresh pages (about 1.5 us a page on this VM); mapped pages come from the
 * page cache, many per fault.
 *
 * The price of a mapping: if the file were truncated in place while mapped, touching
 * it would raise SIGBUS. blackbar never truncates a cache file (it writes a new one
 * and renames it over, so a mapped file stays whole); the CLI turns a SIGBUS into
 * exit 2 with a message, which a hook's caller treats as a refusal.
 *
 * It is not compressed: the agent hook reads it on every call, and a measured
 * zstd pass cost more than the rest of loading. The checksum covers everything:
 * Hyperscan's own CRC of a serialized database leaves its tail unchecked
 * (measured: bytes overwritten there went unnoticed), and XXH3 reads the whole file
 * in tens of microseconds. Hyperscan then validates each database's header.
 *
 * A file that is missing, short, of another key, or whose meta checksum or
 * databases do not check out is treated as absent: the caller compiles and rewrites it. Writes go
 * to a temporary file renamed into place, so concurrent hook processes never see a
 * half-written cache.
 */
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#define CACHE_MAGIC "BBCACHE3"
#define CACHE_FORMAT "blackbar-cache-9"
#define ALIGN 64
#define HEADER 40
#define CACHE_KEEP 16                  /* cache files kept per directory */
#define CACHE_MAX_FILE (256u << 20)

bb_cache_key bb_rules__cache_key(const bb_source *src, size_t n, int builtin)
{
	XXH3_state_t st;
	hs_platform_info_t plat;
	memset(&plat, 0, sizeof plat);
	hs_populate_platform(&plat);
	XXH3_128bits_reset(&st);
	XXH3_128bits_update(&st, CACHE_FORMAT, sizeof CACHE_FORMAT);
	XXH3_128bits_update(&st, BB_VERSION, sizeof BB_VERSION);
	const char *hv = hs_version();
	XXH3_128bits_update(&st, hv, strlen(hv) + 1);
	XXH3_128bits_update(&st, &plat.tune, sizeof plat.tune);
	XXH3_128bits_update(&st, &plat.cpu_features, sizeof plat.cpu_features);
	XXH3_128bits_update(&st, &builtin, sizeof builtin);
	for (size_t i = 0; i < n; i++) {
		uint64_t len = src[i].len;
		XXH3_128bits_update(&st, src[i].name, strlen(src[i].name) + 1);
		XXH3_128bits_update(&st, &len, sizeof len);
		if (src[i].digest) /* built in: its SHA-256 stands for its bytes */
			XXH3_128bits_update(&st, src[i].digest, strlen(src[i].digest));
		else
			XXH3_128bits_update(&st, src[i].data, src[i].len);
	}
	XXH128_hash_t h = XXH3_128bits_digest(&st);
	return (bb_cache_key){ h.low64, h.high64 };
}

/* mkdir -p with private permissions; errors surface when the file is written. */
static void make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	}
	mkdir(path, 0700);
}

int bb_rules__cache_path(const char *dir, bb_cache_key key, char **path)
{
	bb_buf b;
	bb_buf_init(&b, 0);
	const char *env = getenv("BLACKBAR_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"),
		*home = getenv("HOME");
	int rc = BB_OK;
	if (dir && *dir)
		rc = bb_buf_puts(&b, dir);
	else if (env && *env)
		rc = bb_buf_puts(&b, env);
	else if (xdg && *xdg == '/')
		rc = bb_buf_printf(&b, "%s/blackbar", xdg);
	else if (home && *home == '/')
		rc = bb_buf_printf(&b, "%s/.cache/blackbar", home);
	else
		return BB_ENOTFOUND;
	if (rc < 0 || bb_buf_printf(&b, "/rules-%016llx%016llx.bbdb",
		(unsigned long long)key.hi, (unsigned long long)key.lo) < 0) {
		bb_buf_free(&b);
		return BB_ENOMEM;
	}
	*path = (char *)b.data;
	return BB_OK;
}

typedef struct section {
	const unsigned char *p;
	uint64_t n;
} section;

/* A section at *p (an offset from base that is a multiple of 8): its length, then
 * padding to the next multiple of ALIGN, then its bytes. */
static int take(const unsigned char *base, const unsigned char **p, const unsigned char *end,
	section *s)
{
	if (end - *p < 8)
		return BB_ERROR;
	memcpy(&s->n, *p, 8);
	*p += 8;
	size_t pad = (ALIGN - (size_t)(*p - base) % ALIGN) % ALIGN;
	if ((uint64_t)(end - *p) < pad || (uint64_t)(end - *p) - pad < s->n)
		return BB_ERROR;
	*p += pad;
	s->p = *p;
	*p += s->n;
	size_t tail = (8 - (size_t)(*p - base) % 8) % 8; /* back to a multiple of 8 */
	if ((size_t)(end - *p) < tail)
		return BB_ERROR;
	*p += tail;
	return BB_OK;
}

/* A database lying in the mapping, checked by Hyperscan (magic, version, platform,
 * alignment). */
static int in_place(const section *s, hs_database_t **db)
{
	*db = NULL;
	if (!s->n)
		return BB_OK;
	size_t size;
	hs_database_t *d = (hs_database_t *)(uintptr_t)s->p;
	if (hs_database_size(d, &size) != HS_SUCCESS || size > s->n)
		return BB_ERROR;
	*db = d;
	return BB_OK;
}

int bb_rules__cache_read(const char *path, bb_cache_key key, bb_ruleset *rs)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return BB_ENOTFOUND;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < HEADER ||
		(uint64_t)st.st_size > CACHE_MAX_FILE) {
		close(fd);
		return BB_ENOTFOUND;
	}
	size_t len = (size_t)st.st_size;
	unsigned char *file = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (file == MAP_FAILED)
		return BB_ENOTFOUND;
	uint64_t raw_n, sum;
	bb_cache_key k;
	memcpy(&k, file + 8, 16);
	memcpy(&raw_n, file + 24, 8);
	memcpy(&sum, file + 32, 8);
	if (memcmp(file, CACHE_MAGIC, 8) || k.lo != key.lo || k.hi != key.hi ||
		raw_n != len - HEADER)
		goto bad;
	const unsigned char *p = file + HEADER, *end = file + len;
	section meta, content, paths;
	if (take(file, &p, end, &meta) < 0 || take(file, &p, end, &content) < 0 ||
		take(file, &p, end, &paths) < 0 || p != end ||
		XXH3_64bits(file + HEADER, raw_n) != sum)
		goto bad;
	if (in_place(&content, &rs->content_db) < 0 || in_place(&paths, &rs->path_db) < 0 ||
		bb_rules__meta_read(meta.p, meta.n, &rs->sigs, &rs->n) < 0) {
		rs->content_db = rs->path_db = NULL;
		goto bad;
	}
	rs->blob = (unsigned char *)(uintptr_t)meta.p; /* the signatures' strings point into it */
	rs->blob_len = meta.n;
	rs->map = file;
	rs->map_len = len;
	return BB_OK;
bad:
	munmap(file, len);
	return BB_ENOTFOUND;
}

/* Appends a section (see take()); b->len is a multiple of 8 before and after. */
static int put_section(bb_buf *b, const void *p, uint64_t n)
{
	static const unsigned char zero[ALIGN];
	int rc = bb_buf_append(b, &n, 8);
	size_t pad = (ALIGN - b->len % ALIGN) % ALIGN;
	if (rc == BB_OK)
		rc = bb_buf_append(b, zero, pad);
	if (rc == BB_OK)
		rc = bb_buf_append(b, p, n);
	if (rc == BB_OK)
		rc = bb_buf_append(b, zero, (8 - b->len % 8) % 8);
	return rc;
}

/* The database in its in-memory form, laid out for an address that is a multiple
 * of ALIGN (the offset put_section gives it in the file). */
static int put_db(bb_buf *b, const hs_database_t *db)
{
	char *bytes = NULL;
	size_t n = 0, size = 0;
	void *mem = NULL;
	int rc = BB_ERROR;
	if (!db)
		return put_section(b, NULL, 0);
	if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS ||
		hs_serialized_database_size(bytes, n, &size) != HS_SUCCESS ||
		posix_memalign(&mem, ALIGN, size) != 0)
		goto out;
	memset(mem, 0, size); /* padding bytes too: the file is the same at every compile */
	if (hs_deserialize_database_at(bytes, n, mem) == HS_SUCCESS)
		rc = put_section(b, mem, size);
out:
	free(mem);
	free(bytes);
	return rc;
}

/* Keeps the directory from growing without bound: removes the oldest cache files
 * beyond CACHE_KEEP (other signature sets, older versions). */
typedef struct cache_file {
	char name[64];
	time_t mtime;
} cache_file;

static int by_mtime_desc(const void *a, const void *b)
{
	time_t x = ((const cache_file *)a)->mtime, y = ((const cache_file *)b)->mtime;
	return x < y ? 1 : x > y ? -1 : 0;
}

static void prune(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	cache_file files[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < BB_ARRAY_LEN(files)) {
		struct stat st;
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "rules-", 6) || len >= sizeof files[n].name ||
			fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		memcpy(files[n].name, e->d_name, len + 1);
		files[n++].mtime = st.st_mtime;
	}
	qsort(files, n, sizeof *files, by_mtime_desc);
	for (size_t i = CACHE_KEEP; i < n; i++)
		unlinkat(dirfd(d), files[i].name, 0);
	closedir(d);
}

int bb_rules__cache_lock(const char *path)
{
	char lock[4200];
	const char *slash = strrchr(path, '/');
	if (!slash)
		return -1;
	snprintf(lock, sizeof lock, "%.*s/compile.lock", (int)(slash - path), path);
	char dir[4200];
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	make_dirs(dir);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void bb_rules__cache_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the lock */
}

void bb_rules__cache_write(const char *path, bb_cache_key key, const bb_ruleset *rs)
{
	bb_buf file;
	bb_buf_init(&file, 0);
	char *tmp = NULL, *dir = bb_strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	int fd = -1;
	if (!slash)
		goto out;
	*slash = '\0';
	make_dirs(dir);
	static const unsigned char zero[16];
	if (bb_buf_append(&file, CACHE_MAGIC, 8) < 0 || bb_buf_append(&file, &key, 16) < 0 ||
		bb_buf_append(&file, zero, 16) < 0 || /* size and checksum, below */
		put_section(&file, rs->blob, rs->blob_len) < 0 || put_db(&file, rs->content_db) < 0 ||
		put_db(&file, rs->path_db) < 0)
		goto out;
	uint64_t raw_n = file.len - HEADER, sum = XXH3_64bits(file.data + HEADER, raw_n);
	memcpy(file.data + 24, &raw_n, 8);
	memcpy(file.data + 32, &sum, 8);
	size_t tn = strlen(path) + 32;
	if (!(tmp = malloc(tn)))
		goto out;
	snprintf(tmp, tn, "%s.%ld.tmp", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto out;
	if (write(fd, file.data, file.len) != (ssize_t)file.len || close(fd) < 0) {
		fd = -1;
		unlink(tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		unlink(tmp);
	else
		prune(dir);
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(dir);
	bb_buf_free(&file);
}
