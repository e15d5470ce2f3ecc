/*
 * gitscan.c: scans a repository's staged content or its whole history through
 * the git module (git/git_module.h).
 *
 * One producer (the calling thread) asks the module for blobs: the index entries
 * that differ from HEAD, or every blob reachable from the references, once, with
 * the commit that introduced it. It queues them (id, path, commit, author, time)
 * in a bounded queue; N workers, each with its own repository handle (libgit2
 * objects are not shared between threads) and scanner, read and scan them. The
 * queue's bound and the module's one-id-per-blob set keep memory bounded however
 * long the history is; blobs are read one at a time per worker and freed after.
 *
 * A secret is reported once per path, at the commit that introduced it: the blobs
 * of later commits that still hold it (edits elsewhere in the file) are new blobs,
 * but not new leaks. "Introduced" follows the module's order (oldest first), so the
 * findings are released in that order whatever order the workers finish in: each
 * blob's findings wait in a window of WINDOW slots until every earlier blob is done.
 * A worker does not start a blob more than WINDOW ahead of the oldest unfinished
 * one, which bounds what waits.
 */
#include "../match/scanner.h"
#include "../git/git_module.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#define QUEUE_CAP 1024
#define WINDOW 4096
#define DEFAULT_MAX_BLOB (100u << 20)

typedef struct job {
	unsigned char oid[BB_GIT_OID_SIZE];
	char *path, *commit, *author;
	long long time;
} job;

/* A finding copied out of its blob, waiting for its turn. */
typedef struct held {
	bb_finding f;
	char *path, *redacted;
	unsigned char *secret;
} held;

typedef struct slot {
	int done;
	job j;               /* the blob's origin */
	held *items;
	size_t n, cap;
} slot;

/* (fingerprint, path) -> the sequence number of the first blob it was seen in */
typedef struct seen_set {
	struct seen_entry {
		uint64_t hash, seq;
		char *key;
	} *v;
	size_t n, cap;
} seen_set;

typedef struct gscan {
	const bb_git_api *api;
	const bb_git_options *go;
	const bb_git_callbacks *cbs;
	const bb_filter *filter;
	pthread_mutex_t mu;       /* queue */
	pthread_cond_t not_empty, not_full;
	job q[QUEUE_CAP];
	size_t head, n;
	int done;
	_Atomic int stop;         /* read by every thread, set by any */
	uint64_t next_seq;        /* the sequence number of the next blob dequeued */
	pthread_mutex_t out_mu;   /* callbacks, stats, the window, the seen set */
	pthread_cond_t window_cv;
	uint64_t release;         /* the oldest blob whose findings are not out yet */
	slot *window;             /* WINDOW slots, by sequence number */
	seen_set seen;
	bb_walk_stats stats;
	struct timespec last_progress;
	_Atomic int failed;
} gscan;

typedef struct gworker {
	gscan *g;
	bb_scanner *s;
	bb_git_repo *repo;
	pthread_t tid;
	slot *cur;                /* the blob being scanned: its findings go there */
} gworker;

static void job_free(job *j)
{
	free(j->path);
	free(j->commit);
	free(j->author);
}

static void warn(gscan *g, const char *what, const char *msg)
{
	pthread_mutex_lock(&g->out_mu);
	g->stats.errors++;
	if (g->cbs->warn)
		g->cbs->warn(what, msg, g->cbs->payload);
	pthread_mutex_unlock(&g->out_mu);
}

static void module_warn(const char *what, const char *msg, void *payload)
{
	warn(payload, what, msg);
}

/* The history walk asks before it counts a path's content as seen. */
static int excluded(const char *path, void *payload)
{
	return bb_filter__excluded(((gscan *)payload)->filter, path);
}

/* Producer side: one blob to scan. Blocks while the queue is full. */
static int enqueue(const unsigned char oid[BB_GIT_OID_SIZE], const bb_git_where *w, void *payload)
{
	gscan *g = payload;
	if (bb_filter__excluded(g->filter, w->path))
		return 0;
	job j;
	memcpy(j.oid, oid, BB_GIT_OID_SIZE);
	j.path = bb_strdup(w->path);
	j.commit = bb_strdup(w->commit);
	j.author = bb_strdup(w->author);
	j.time = w->time;
	if (!j.path || !j.commit || !j.author) {
		job_free(&j);
		g->failed = BB_ENOMEM;
		return 1;
	}
	pthread_mutex_lock(&g->mu);
	while (g->n == QUEUE_CAP && !g->stop)
		pthread_cond_wait(&g->not_full, &g->mu);
	int stop = g->stop;
	if (!stop) {
		g->q[(g->head + g->n) % QUEUE_CAP] = j;
		g->n++;
		pthread_cond_signal(&g->not_empty);
	}
	pthread_mutex_unlock(&g->mu);
	if (stop)
		job_free(&j);
	return stop;
}

static void held_free(held *h)
{
	free(h->path);
	free(h->redacted);
	free(h->secret);
}

static void slot_clear(slot *sl)
{
	for (size_t i = 0; i < sl->n; i++)
		held_free(&sl->items[i]);
	free(sl->items);
	job_free(&sl->j);
	memset(sl, 0, sizeof *sl);
}

/* Copies a finding into the blob's slot (the blob's bytes go away after the scan). */
static int on_finding(const bb_finding *f, void *payload)
{
	gworker *w = payload;
	slot *sl = w->cur;
	held *t = bb_grow(sl->items, &sl->cap, sl->n, sizeof *t, 8);
	if (!t)
		goto oom;
	sl->items = t;
	held *h = &sl->items[sl->n];
	h->f = *f;
	h->path = bb_strdup(f->path);
	h->redacted = bb_strdup(f->redacted ? f->redacted : "");
	h->secret = malloc(f->secret_len + 1);
	if (!h->path || !h->redacted || !h->secret) {
		held_free(h);
		goto oom;
	}
	if (f->secret_len)
		memcpy(h->secret, f->secret, f->secret_len);
	h->f.path = h->path;
	h->f.redacted = h->redacted;
	h->f.secret = h->secret;
	sl->n++;
	return 0;
oom:
	w->g->failed = BB_ENOMEM;
	return 1;
}

/* 1 if the finding was first seen in an earlier blob (seq is this blob's), 0 if
 * not (and it is recorded), -1 out of memory. Under out_mu. */
static int seen_before(seen_set *s, const bb_finding *f, uint64_t seq)
{
	size_t pl = strlen(f->path), kl = sizeof f->fingerprint + pl;
	char stackkey[512], *key = kl <= sizeof stackkey ? stackkey : malloc(kl);
	if (!key)
		return -1;
	memcpy(key, f->fingerprint, sizeof f->fingerprint); /* includes the NUL */
	memcpy(key + sizeof f->fingerprint, f->path, pl);
	uint64_t h = XXH3_64bits(key, kl);
	int r = -1;
	if ((s->n + 1) * 10 > s->cap * 7) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct seen_entry *v = calloc(cap, sizeof *v);
		if (!v)
			goto out;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].key) {
				size_t j = s->v[i].hash & (cap - 1);
				while (v[j].key)
					j = (j + 1) & (cap - 1);
				v[j] = s->v[i];
			}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	size_t i = h & (s->cap - 1);
	for (; s->v[i].key; i = (i + 1) & (s->cap - 1)) {
		struct seen_entry *e = &s->v[i];
		if (e->hash == h && !memcmp(e->key, key, sizeof f->fingerprint) &&
			!strcmp(e->key + sizeof f->fingerprint, f->path)) {
			r = e->seq < seq;
			goto out;
		}
	}
	char *copy = malloc(kl + 1);
	if (!copy)
		goto out;
	memcpy(copy, key, kl);
	copy[kl] = '\0';
	s->v[i] = (struct seen_entry){ h, seq, copy };
	s->n++;
	r = 0;
out:
	if (key != stackkey)
		free(key);
	return r;
}

static void seen_free(seen_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i].key);
	free(s->v);
}

/* Marks blob seq done and hands out, in order, the findings of every finished blob
 * that no earlier blob still holds back. */
static void finish_slot(gscan *g, uint64_t seq)
{
	pthread_mutex_lock(&g->out_mu);
	g->window[seq % WINDOW].done = 1;
	int moved = 0;
	for (slot *sl; (sl = &g->window[g->release % WINDOW])->done; g->release++, moved = 1) {
		bb_git_origin o = { sl->j.commit, sl->j.author, sl->j.time };
		for (size_t i = 0; i < sl->n && !g->stop; i++) {
			int dup = seen_before(&g->seen, &sl->items[i].f, g->release);
			if (dup < 0) {
				g->failed = BB_ENOMEM;
				g->stop = 1;
			} else if (!dup) {
				g->stats.findings++;
				if (g->cbs->finding && g->cbs->finding(&sl->items[i].f, &o, g->cbs->payload))
					g->stop = 1;
			}
		}
		slot_clear(sl);
	}
	if (moved)
		pthread_cond_broadcast(&g->window_cv);
	pthread_mutex_unlock(&g->out_mu);
}

static void account(gscan *g, int scanned, int skipped, uint64_t bytes)
{
	pthread_mutex_lock(&g->out_mu);
	g->stats.files_seen++;
	g->stats.files_scanned += (uint64_t)scanned;
	g->stats.files_skipped += (uint64_t)skipped;
	g->stats.bytes_scanned += bytes;
	if (g->cbs->progress) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
		if ((now.tv_sec - g->last_progress.tv_sec) * 1000 +
			(now.tv_nsec - g->last_progress.tv_nsec) / 1000000 >= 100) {
			g->last_progress = now;
			g->cbs->progress(&g->stats, g->cbs->payload);
		}
	}
	pthread_mutex_unlock(&g->out_mu);
}

static void scan_job(gworker *w, slot *sl)
{
	gscan *g = w->g;
	const job *j = &sl->j;
	bb_git_blob *blob = NULL;
	const void *data = NULL;
	size_t len = 0, max = g->go->max_blob_size ? g->go->max_blob_size : DEFAULT_MAX_BLOB;
	char where[600], msg[160];
	snprintf(where, sizeof where, "%s%s%.12s", j->path, j->commit[0] ? "@" : "", j->commit);
	int r = g->api->blob_read(w->repo, j->oid, max, &blob, &data, &len);
	if (r < 0) {
		warn(g, where, "object missing (partial or shallow clone?): skipped");
		return;
	}
	if (r > 0) {
		snprintf(msg, sizeof msg, "blob of %zu bytes is larger than the limit: skipped", len);
		warn(g, where, msg);
		account(g, 0, 1, 0);
		return;
	}
	w->cur = sl;
	uint64_t before = w->s->n_bytes;
	int rc = bb_scanner_scan_blob(w->s, data, len, j->path, on_finding, w);
	uint64_t bytes = w->s->n_bytes - before;
	g->api->blob_free(blob);
	if (rc == BB_ESKIPPED)
		account(g, 0, 1, bytes);
	else if (rc == BB_OK || rc == BB_ESTOPPED)
		account(g, 1, 0, bytes);
	else if (rc == BB_ENOMEM)
		g->failed = rc;
	else {
		account(g, 1, 0, bytes);
		warn(g, where, w->s->errmsg[0] ? w->s->errmsg : bb_strerror(rc));
	}
}

static void *work(void *arg)
{
	gworker *w = arg;
	gscan *g = w->g;
	for (;;) {
		pthread_mutex_lock(&g->mu);
		while (!g->n && !g->done && !g->stop)
			pthread_cond_wait(&g->not_empty, &g->mu);
		if (!g->n || g->stop) {
			pthread_mutex_unlock(&g->mu);
			return NULL;
		}
		job j = g->q[g->head];
		uint64_t seq = g->next_seq++;
		g->head = (g->head + 1) % QUEUE_CAP;
		g->n--;
		pthread_cond_signal(&g->not_full);
		pthread_mutex_unlock(&g->mu);
		/* at most WINDOW blobs between the oldest unfinished one and this one */
		pthread_mutex_lock(&g->out_mu);
		while (seq >= g->release + WINDOW && !g->stop)
			pthread_cond_wait(&g->window_cv, &g->out_mu);
		slot *sl = &g->window[seq % WINDOW];
		sl->j = j; /* the slot is free: its previous blob was released */
		pthread_mutex_unlock(&g->out_mu);
		if (!g->stop)
			scan_job(w, sl);
		finish_slot(g, seq);
	}
}

static unsigned thread_count(unsigned t)
{
	if (t)
		return t > 256 ? 256 : t;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int bb_scan_git(const bb_ruleset *rs, const bb_filter *filter, const bb_scan_options *so,
	const bb_git_options *go, const bb_git_callbacks *cbs, bb_walk_stats *stats_out,
	char *err, size_t errlen)
{
	const bb_git_api *api = bb_git__api(err, errlen);
	if (!api)
		return BB_ENOTFOUND;
	const char *where = go->repo ? go->repo : ".";
	bb_git_repo *main_repo = api->repo_open(where, err, errlen);
	if (!main_repo)
		return BB_ENOTFOUND;
	gscan g;
	memset(&g, 0, sizeof g);
	g.api = api;
	g.go = go;
	g.cbs = cbs;
	g.filter = filter;
	pthread_mutex_init(&g.mu, NULL);
	pthread_mutex_init(&g.out_mu, NULL);
	pthread_cond_init(&g.not_empty, NULL);
	pthread_cond_init(&g.not_full, NULL);
	pthread_cond_init(&g.window_cv, NULL);
	g.window = calloc(WINDOW, sizeof *g.window);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &g.last_progress);
	unsigned nt = thread_count(go->threads), started = 0;
	gworker *w = calloc(nt, sizeof *w);
	int rc = w && g.window ? BB_OK : BB_ENOMEM;
	for (unsigned i = 0; w && rc == BB_OK && i < nt; i++) {
		w[i].g = &g;
		if ((rc = bb_scanner_new(&w[i].s, rs, filter, so)) < 0)
			break;
		if (!(w[i].repo = api->repo_open(where, err, errlen)))
			rc = BB_ENOTFOUND;
	}
	for (unsigned i = 0; rc == BB_OK && i < nt; i++) {
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0)
			break;
		started++;
	}
	if (rc == BB_OK && !started)
		rc = BB_ERROR;
	if (rc == BB_OK) {
		int r = go->staged
			? api->staged(main_repo, enqueue, module_warn, &g, err, errlen)
			: api->history(main_repo, go->range, enqueue, excluded, module_warn, &g, err,
				errlen);
		if (r < 0)
			rc = BB_ENOTFOUND;
	}
	pthread_mutex_lock(&g.mu);
	g.done = 1;
	if (rc < 0)
		g.stop = 1;
	pthread_cond_broadcast(&g.not_empty);
	pthread_cond_broadcast(&g.not_full);
	pthread_mutex_unlock(&g.mu);
	pthread_mutex_lock(&g.out_mu);
	pthread_cond_broadcast(&g.window_cv); /* a stop wakes the workers waiting there */
	pthread_mutex_unlock(&g.out_mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	for (size_t i = 0; g.window && i < WINDOW; i++)
		slot_clear(&g.window[i]); /* held back when the scan stopped early */
	free(g.window);
	seen_free(&g.seen);
	while (g.n) {
		job_free(&g.q[g.head]);
		g.head = (g.head + 1) % QUEUE_CAP;
		g.n--;
	}
	for (unsigned i = 0; w && i < nt; i++) {
		bb_scanner_free(w[i].s);
		api->repo_close(w[i].repo);
	}
	free(w);
	api->repo_close(main_repo);
	if (cbs->progress)
		cbs->progress(&g.stats, cbs->payload);
	if (stats_out)
		*stats_out = g.stats;
	pthread_mutex_destroy(&g.mu);
	pthread_mutex_destroy(&g.out_mu);
	pthread_cond_destroy(&g.not_empty);
	pthread_cond_destroy(&g.not_full);
	pthread_cond_destroy(&g.window_cv);
	if (rc == BB_OK && g.failed)
		rc = g.failed;
	if (rc == BB_OK && g.stop)
		rc = BB_ESTOPPED;
	return rc;
}
