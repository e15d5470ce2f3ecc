/*
 * walk.c: scans files and directory trees on N threads.
 *
 * Work items are directories and batches of files on one shared stack. A worker
 * pops an item; for a directory it pushes the subdirectories, splits the regular
 * files into batches of FILE_BATCH, pushes all batches but the first and scans
 * that one itself. Batching keeps the lock traffic per file low while still
 * letting an idle worker take half of a huge directory. The walk ends when the
 * stack is empty and no worker is busy.
 *
 * Each worker owns a bb_scanner; the ruleset and filter are shared read-only.
 * Findings, warnings and progress reach the caller one call at a time (the walk
 * serialises them), so callbacks need no locking of their own.
 *
 * Special files (FIFOs, devices, sockets) are never opened: reading a FIFO blocks
 * and a device may never end. Symbolic links are not followed unless asked, and
 * every directory's (device, inode) is remembered so that neither followed links
 * nor bind mounts can make the walk loop.
 */
#include "../match/scanner.h"
#include "../git/git_module.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_BATCH 16

void bb_walk_options_init(bb_walk_options *o)
{
	memset(o, 0, sizeof *o);
}

typedef struct witem {
	size_t root;    /* index of the root it came from */
	char *dir;      /* directory path to open (for files: their directory) */
	char *rel;      /* its path relative to the root ("" for the root itself) */
	char **names;   /* file names in dir (file batches only) */
	size_t n_names;
} witem;

typedef struct dev_ino {
	dev_t dev;
	ino_t ino;
} dev_ino;

typedef struct walker {
	const bb_ruleset *rs;
	const bb_filter *filter;
	const bb_scan_options *scan_opts;
	const bb_walk_options *opts;
	const bb_walk_callbacks *cbs;

	pthread_mutex_t mu;      /* stack, busy, visited, stats merge */
	pthread_cond_t cv;
	witem *stack;
	size_t n, cap;
	unsigned busy;
	_Atomic int stop;        /* set by any thread, read by all */
	dev_ino *visited;        /* open-addressing set */
	size_t n_visited, cap_visited;

	pthread_mutex_t out_mu;  /* serialises callbacks */
	bb_walk_stats stats;     /* merged totals, under out_mu */
	struct timespec last_progress;
	_Atomic int failed;      /* a fatal error (out of memory) */

	/* --gitignore: per directory root, its repository's path prefix (NULL: the
	 * root is in no repository) */
	const bb_git_api *git;
	char **git_prefix;
	const char *const *opts_roots;
	size_t n_roots;
} walker;

typedef struct worker {
	walker *w;
	bb_scanner *s;
	pthread_t tid;
	bb_git_ignore **ign;     /* per root, opened on first use by this thread */
} worker;

/* ---- shared state ---------------------------------------------------------------- */

static void item_free(witem *it)
{
	free(it->dir);
	free(it->rel);
	for (size_t i = 0; i < it->n_names; i++)
		free(it->names[i]);
	free(it->names);
}

static int push(walker *w, witem *it)
{
	pthread_mutex_lock(&w->mu);
	witem *v = bb_grow(w->stack, &w->cap, w->n, sizeof *v, 256);
	if (!v) {
		pthread_mutex_unlock(&w->mu);
		item_free(it);
		return BB_ENOMEM;
	}
	w->stack = v;
	w->stack[w->n++] = *it;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return BB_OK;
}

static size_t di_slot(dev_ino k, size_t cap)
{
	uint64_t h = (uint64_t)k.ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)k.dev;
	return (size_t)(h >> 17) & (cap - 1);
}

/* 1 if the directory was not seen before (and is now), 0 if it was, <0 on error. */
static int visit(walker *w, dev_t dev, ino_t ino)
{
	dev_ino k = { dev, ino };
	int rc = 1;
	pthread_mutex_lock(&w->mu);
	if ((w->n_visited + 1) * 2 > w->cap_visited) {
		size_t cap = w->cap_visited ? w->cap_visited * 2 : 1024;
		dev_ino *v = calloc(cap, sizeof *v);
		if (!v) {
			rc = BB_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < w->cap_visited; i++) {
			if (!w->visited[i].ino)
				continue;
			size_t j = di_slot(w->visited[i], cap);
			while (v[j].ino)
				j = (j + 1) & (cap - 1);
			v[j] = w->visited[i];
		}
		free(w->visited);
		w->visited = v;
		w->cap_visited = cap;
	}
	size_t j = di_slot(k, w->cap_visited);
	while (w->visited[j].ino) {
		if (w->visited[j].ino == ino && w->visited[j].dev == dev) {
			rc = 0;
			goto out;
		}
		j = (j + 1) & (w->cap_visited - 1);
	}
	w->visited[j] = k;
	w->n_visited++;
out:
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* ---- callbacks (serialised) ----------------------------------------------------- */

static void warn(walker *w, const char *path, const char *msg)
{
	pthread_mutex_lock(&w->out_mu);
	w->stats.errors++;
	if (w->cbs->warn)
		w->cbs->warn(path, msg, w->cbs->payload);
	pthread_mutex_unlock(&w->out_mu);
}

static int on_finding(const bb_finding *f, void *payload)
{
	walker *w = payload;
	pthread_mutex_lock(&w->out_mu);
	w->stats.findings++;
	int r = w->cbs->finding ? w->cbs->finding(f, w->cbs->payload) : 0;
	if (r)
		w->stop = 1;
	pthread_mutex_unlock(&w->out_mu);
	return r;
}

static void account(walker *w, int scanned, int skipped, uint64_t bytes)
{
	pthread_mutex_lock(&w->out_mu);
	w->stats.files_seen++;
	w->stats.files_scanned += (uint64_t)scanned;
	w->stats.files_skipped += (uint64_t)skipped;
	w->stats.bytes_scanned += bytes;
	if (w->cbs->progress) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
		long ms = (now.tv_sec - w->last_progress.tv_sec) * 1000 +
			(now.tv_nsec - w->last_progress.tv_nsec) / 1000000;
		if (ms >= 100) {
			w->last_progress = now;
			w->cbs->progress(&w->stats, w->cbs->payload);
		}
	}
	pthread_mutex_unlock(&w->out_mu);
}

/* ---- scanning one file ------------------------------------------------------------ */

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *p = malloc(na + nb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, na);
	size_t at = na;
	if (na && a[na - 1] != '/')
		p[at++] = '/';
	memcpy(p + at, b, nb + 1);
	return p;
}

static void scan_one(worker *wk, const char *path, const char *label)
{
	walker *w = wk->w;
	bb_scanner *s = wk->s;
	uint64_t before = s->n_bytes;
	int rc = bb_scanner_scan_file(s, path, label, on_finding, w);
	uint64_t bytes = s->n_bytes - before;
	switch (rc) {
	case BB_OK:
		account(w, 1, 0, bytes);
		break;
	case BB_ESKIPPED:
		account(w, 0, 1, bytes);
		/* binary and special files are skipped by design; the size limit is
		 * worth a word */
		if (strstr(s->errmsg, "size limit"))
			warn(w, label, s->errmsg);
		break;
	case BB_ESTOPPED:
		w->stop = 1;
		break;
	case BB_ENOMEM:
		w->failed = BB_ENOMEM;
		w->stop = 1;
		break;
	default: /* unreadable, vanished, decode limits: say so and go on */
		account(w, rc == BB_ETOOBIG || rc == BB_EDECODE, 0, bytes);
		warn(w, label, s->errmsg[0] ? s->errmsg : bb_strerror(rc));
		break;
	}
}

/* ---- directories ------------------------------------------------------------------ */

typedef struct names {
	char **v;
	size_t n, cap;
} names;

static int names_push(names *ns, const char *name)
{
	char **v = bb_grow(ns->v, &ns->cap, ns->n, sizeof *v, 64);
	if (!v)
		return BB_ENOMEM;
	ns->v = v;
	return (ns->v[ns->n++] = bb_strdup(name)) ? BB_OK : BB_ENOMEM;
}

/* 1 if .gitignore (of the root's repository) ignores rel. */
static int git_ignored(worker *wk, size_t root, const char *rel, int is_dir)
{
	walker *w = wk->w;
	if (!w->git || !w->git_prefix[root])
		return 0;
	if (!wk->ign[root]) {
		const char *prefix;
		wk->ign[root] = w->git->ignore_open(w->opts_roots[root], &prefix);
		if (!wk->ign[root])
			return 0;
	}
	char *path = NULL;
	if (asprintf(&path, "%s%s%s", w->git_prefix[root], rel, is_dir ? "/" : "") < 0)
		return 0;
	int ignored = w->git->ignore_check(wk->ign[root], path) == 1;
	free(path);
	return ignored;
}

/* Classifies one directory entry: pushes subdirectories, collects regular files. */
static int entry(worker *wk, int dfd, const witem *it, const struct dirent *e, names *files)
{
	walker *w = wk->w;
	const char *name = e->d_name;
	unsigned char type = e->d_type;
	struct stat st;
	char *rel = join(it->rel, name);
	int rc = BB_OK;
	if (!rel)
		return BB_ENOMEM;
	if (type == DT_LNK && !w->opts->follow_symlinks)
		goto out;
	if (type == DT_UNKNOWN || type == DT_LNK || type == DT_DIR) {
		int flags = type == DT_LNK ? 0 : AT_SYMLINK_NOFOLLOW;
		if (fstatat(dfd, name, &st, flags) < 0)
			goto out; /* vanished or dangling: nothing to scan */
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG
			: S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
	}
	if (type != DT_DIR && type != DT_REG)
		goto out;
	if (bb_filter__excluded(w->filter, rel) || git_ignored(wk, it->root, rel, type == DT_DIR))
		goto out;
	if (type == DT_REG) {
		rc = names_push(files, name);
		goto out;
	}
	if (!w->opts->scan_git_dir && !strcmp(name, ".git"))
		goto out;
	if ((rc = visit(w, st.st_dev, st.st_ino)) <= 0)
		goto out; /* already walked (a loop), or out of memory */
	witem sub = { it->root, join(it->dir, name), rel, NULL, 0 };
	rel = NULL;
	rc = sub.dir ? push(w, &sub) : BB_ENOMEM;
	if (!sub.dir)
		free(sub.rel);
out:
	free(rel);
	return rc < 0 ? rc : BB_OK;
}

static void scan_batch(worker *wk, const witem *it)
{
	for (size_t i = 0; i < it->n_names && !wk->w->stop; i++) {
		char *path = join(it->dir, it->names[i]), *rel = join(it->rel, it->names[i]);
		if (path && rel)
			scan_one(wk, path, rel);
		else
			wk->w->failed = BB_ENOMEM;
		free(path);
		free(rel);
	}
}

/* Splits the directory's files into batches: pushes all but the first, which
 * the caller scans. */
static int batch_files(walker *w, const witem *it, names *files, witem *first)
{
	for (size_t at = 0; at < files->n; at += FILE_BATCH) {
		size_t k = BB_MIN(FILE_BATCH, files->n - at);
		witem b = { it->root, bb_strdup(it->dir), bb_strdup(it->rel),
			malloc(k * sizeof(char *)), k };
		if (!b.dir || !b.rel || !b.names) {
			free(b.names);
			b.n_names = 0;
			item_free(&b);
			return BB_ENOMEM;
		}
		memcpy(b.names, files->v + at, k * sizeof(char *));
		for (size_t i = 0; i < k; i++)
			files->v[at + i] = NULL;
		if (at == 0) {
			*first = b;
		} else if (push(w, &b) < 0) {
			return BB_ENOMEM;
		}
	}
	return BB_OK;
}

static void walk_dir(worker *wk, const witem *it)
{
	walker *w = wk->w;
	int fd = bb_open_long(it->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		warn(w, it->rel[0] ? it->rel : it->dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	names files = { 0 };
	witem first = { 0 };
	struct dirent *e;
	int rc = BB_OK;
	while (rc == BB_OK && !w->stop && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		rc = entry(wk, dirfd(d), it, e, &files);
	}
	closedir(d);
	if (rc == BB_OK)
		rc = batch_files(w, it, &files, &first);
	if (rc < 0)
		w->failed = rc;
	else
		scan_batch(wk, &first);
	item_free(&first);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
}

static void *work(void *arg)
{
	worker *wk = arg;
	walker *w = wk->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->n && w->busy && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->n || w->stop) {
			pthread_cond_broadcast(&w->cv);
			break;
		}
		witem it = w->stack[--w->n];
		w->busy++;
		pthread_mutex_unlock(&w->mu);
		if (it.names)
			scan_batch(wk, &it);
		else
			walk_dir(wk, &it);
		item_free(&it);
		pthread_mutex_lock(&w->mu);
		w->busy--;
		if (!w->n && !w->busy)
			pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* ---- roots --------------------------------------------------------------------- */

static int scan_stdin(worker *wk)
{
	walker *w = wk->w;
	uint64_t before = wk->s->n_bytes;
	int rc = bb_scanner_scan_fd(wk->s, 0, "-", on_finding, w);
	if (rc == BB_OK || rc == BB_ESTOPPED)
		account(w, 1, 0, wk->s->n_bytes - before);
	else
		warn(w, "-", wk->s->errmsg[0] ? wk->s->errmsg : bb_strerror(rc));
	return rc == BB_ENOMEM ? rc : BB_OK;
}

/* Directory roots are pushed as work; file roots are collected in `files` and
 * queued in batches like a directory's files, so they are scanned in parallel
 * too (git hooks and editors pass long lists of files). */
static int add_root(worker *wk, size_t idx, const char *root, names *files)
{
	walker *w = wk->w;
	struct stat st;
	if (!strcmp(root, "-"))
		return scan_stdin(wk);
	if (stat(root, &st) < 0) {
		warn(w, root, strerror(errno));
		return BB_OK;
	}
	if (S_ISREG(st.st_mode))
		return names_push(files, root);
	if (!S_ISDIR(st.st_mode)) {
		warn(w, root, "not a regular file or directory; skipped");
		return BB_OK;
	}
	if (visit(w, st.st_dev, st.st_ino) <= 0)
		return BB_OK;
	if (w->git) {
		const char *prefix;
		bb_git_ignore *h = w->git->ignore_open(root, &prefix);
		if (h) {
			w->git_prefix[idx] = bb_strdup(prefix);
			w->git->ignore_close(h);
			if (!w->git_prefix[idx])
				return BB_ENOMEM;
		}
	}
	witem it = { idx, bb_strdup(root), bb_strdup(""), NULL, 0 };
	if (!it.dir || !it.rel) {
		item_free(&it);
		return BB_ENOMEM;
	}
	return push(w, &it);
}

static int add_roots(worker *wk, const char *const *roots, size_t n)
{
	names files = { 0 };
	witem first = { 0 }, pseudo = { 0, (char *)"", (char *)"", NULL, 0 };
	int rc = BB_OK;
	for (size_t i = 0; rc == BB_OK && i < n && !wk->w->stop; i++)
		rc = add_root(wk, i, roots[i], &files);
	if (rc == BB_OK)
		rc = batch_files(wk->w, &pseudo, &files, &first);
	if (rc == BB_OK && first.names)
		rc = push(wk->w, &first);
	else
		item_free(&first);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return rc;
}

static unsigned thread_count(const bb_walk_options *o)
{
	if (o->threads)
		return o->threads > 256 ? 256 : o->threads;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int bb_walk(const bb_ruleset *rs, const bb_filter *filter, const bb_scan_options *scan_opts,
	const bb_walk_options *walk_opts, const char *const *roots, size_t n_roots,
	const bb_walk_callbacks *cbs, bb_walk_stats *stats_out)
{
	bb_walk_options wo;
	if (!walk_opts)
		bb_walk_options_init(&wo);
	else
		wo = *walk_opts;
	walker w;
	memset(&w, 0, sizeof w);
	if (wo.gitignore && !(w.git = bb_git__api(NULL, 0)))
		return BB_ENOTFOUND; /* bb_git_available() says why */
	w.rs = rs;
	w.filter = filter;
	w.scan_opts = scan_opts;
	w.opts = &wo;
	w.cbs = cbs;
	pthread_mutex_init(&w.mu, NULL);
	pthread_mutex_init(&w.out_mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &w.last_progress);

	unsigned nt = thread_count(&wo);
	worker *wk = calloc(nt, sizeof *wk);
	w.n_roots = n_roots;
	w.opts_roots = roots;
	w.git_prefix = calloc(n_roots + 1, sizeof *w.git_prefix);
	int rc = wk && w.git_prefix ? BB_OK : BB_ENOMEM;
	unsigned started = 0;
	for (unsigned i = 0; rc == BB_OK && i < nt; i++) {
		wk[i].w = &w;
		if (!(wk[i].ign = calloc(n_roots + 1, sizeof *wk[i].ign)))
			rc = BB_ENOMEM;
		if (rc == BB_OK)
			rc = bb_scanner_new(&wk[i].s, rs, filter, scan_opts);
		if (rc == BB_OK)
			wk[i].s->no_path_rules = wo.skip_path_rules;
	}
	if (rc == BB_OK)
		rc = add_roots(&wk[0], roots, n_roots);
	for (unsigned i = 1; rc == BB_OK && i < nt; i++) {
		if (pthread_create(&wk[i].tid, NULL, work, &wk[i]) != 0)
			break;
		started++;
	}
	if (rc == BB_OK)
		work(&wk[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(wk[i].tid, NULL);
	for (unsigned i = 0; wk && i < nt; i++) {
		bb_scanner_free(wk[i].s);
		for (size_t r = 0; wk[i].ign && r < n_roots; r++)
			if (wk[i].ign[r])
				w.git->ignore_close(wk[i].ign[r]);
		free(wk[i].ign);
	}
	free(wk);
	for (size_t r = 0; w.git_prefix && r < n_roots; r++)
		free(w.git_prefix[r]);
	free(w.git_prefix);
	while (w.n)
		item_free(&w.stack[--w.n]);
	free(w.stack);
	free(w.visited);
	if (cbs && cbs->progress)
		cbs->progress(&w.stats, cbs->payload);
	if (stats_out)
		*stats_out = w.stats;
	pthread_mutex_destroy(&w.mu);
	pthread_mutex_destroy(&w.out_mu);
	pthread_cond_destroy(&w.cv);
	if (rc == BB_OK && w.failed)
		rc = w.failed;
	if (rc == BB_OK && w.stop && !w.failed)
		rc = BB_ESTOPPED;
	return rc;
}

int bb_git_available(char *why, size_t n)
{
	return bb_git__api(why, n) != NULL;
}
