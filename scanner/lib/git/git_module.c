/*
 * git_module.c: libblackbar-git.so, the engine's git module (see git_module.h).
 * Built against libgit2; loaded on demand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "git_module.h"

/* libgit2 keeps the objects it parses (trees, commits) in a cache of up to 256 MiB
 * by default, which a history walk fills in proportion to the history's length.
 * The walk reads each distinct tree once (see walk_tree): a small cache serves it
 * as well. (Each handle also keeps up to 16 MiB of delta bases per
 * pack, a constant of libgit2: so memory is bounded, by threads x 16 MiB.) */
#define OBJECT_CACHE_BYTES (8 << 20)
#define MWINDOW_BYTES (32u << 20)
#define MWINDOW_MAPPED_BYTES (128u << 20)

static void init(void)
{
	if (git_libgit2_init() == 1) {
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)OBJECT_CACHE_BYTES);
		/* objects are only read, to be scanned: hashing each one again to check
		 * its id costs a SHA-1 pass over every byte and protects nothing here */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
		/* pack files are mapped in windows, by default of 1 GiB and up to 8 GiB in
		 * all: a long history's pack then shows whole in the resident set. Smaller
		 * windows and a cap measured the same speed at a third of the peak RSS
		 * (608 -> 237 MiB on a 564 MB pack). */
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)MWINDOW_BYTES);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)MWINDOW_MAPPED_BYTES);
	}
}

/* Opens the repository at or above dir. Like git, GIT_DIR (and GIT_WORK_TREE) in the
 * environment take precedence: git sets them for hooks when the repository is kept
 * apart from its work tree (git --git-dir=... --work-tree=... commit). libgit2's
 * GIT_REPOSITORY_OPEN_FROM_ENV refuses GIT_WORK_TREE, hence by hand. */
static int open_repo(git_repository **repo, const char *dir)
{
	const char *gd = getenv("GIT_DIR"), *wt = getenv("GIT_WORK_TREE");
	if (!gd || !gd[0])
		return git_repository_open_ext(repo, dir, 0, NULL);
	if (git_repository_open_ext(repo, gd, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return -1;
	if (wt && wt[0] && git_repository_set_workdir(*repo, wt, 0) < 0) {
		git_repository_free(*repo);
		*repo = NULL;
		return -1;
	}
	return 0;
}

struct bb_git_ignore {
	git_repository *repo;
	char *prefix;
};

static void ignore_close(bb_git_ignore *h)
{
	if (!h)
		return;
	git_repository_free(h->repo);
	free(h->prefix);
	free(h);
	git_libgit2_shutdown();
}

/* dir relative to the work tree, with a trailing slash unless empty. */
static char *relative_prefix(git_repository *repo, const char *dir)
{
	const char *wd = git_repository_workdir(repo);
	char *abs = realpath(dir, NULL), *out = NULL;
	if (!wd || !abs)
		goto out;
	size_t n = strlen(wd), an = strlen(abs); /* libgit2 ends wd with '/' */
	const char *rest;
	if (an + 1 == n && !strncmp(abs, wd, an))
		rest = "";
	else if (an >= n && !strncmp(abs, wd, n))
		rest = abs + n;
	else
		goto out;
	size_t r = strlen(rest);
	out = malloc(r + 2);
	if (out) {
		memcpy(out, rest, r);
		out[r] = r ? '/' : '\0';
		out[r + (r ? 1 : 0)] = '\0';
	}
out:
	free(abs);
	return out;
}

static bb_git_ignore *ignore_open(const char *dir, const char **prefix)
{
	init();
	bb_git_ignore *h = calloc(1, sizeof *h);
	if (!h || open_repo(&h->repo, dir) < 0 ||
		git_repository_is_bare(h->repo) || !(h->prefix = relative_prefix(h->repo, dir))) {
		ignore_close(h);
		return NULL;
	}
	*prefix = h->prefix;
	return h;
}

static int ignore_check(bb_git_ignore *h, const char *path)
{
	int ignored = 0;
	return git_ignore_path_is_ignored(&ignored, h->repo, path) < 0 ? -1 : ignored;
}

/* ---- repositories ------------------------------------------------------------------ */

struct bb_git_repo {
	git_repository *repo;
};

struct bb_git_blob {
	git_blob *blob;
};

static void seterr(char *err, size_t n, const char *what)
{
	const git_error *e = git_error_last();
	if (err)
		snprintf(err, n, "%s%s%s", what, e && e->message ? ": " : "", e && e->message ? e->message : "");
}

static bb_git_repo *repo_open(const char *path, char *err, size_t errlen)
{
	init();
	bb_git_repo *r = calloc(1, sizeof *r);
	if (!r || open_repo(&r->repo, path) < 0) {
		seterr(err, errlen, "not a git repository");
		free(r);
		git_libgit2_shutdown();
		return NULL;
	}
	return r;
}

static void repo_close(bb_git_repo *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	free(r);
	git_libgit2_shutdown();
}

static const char *repo_workdir(bb_git_repo *r)
{
	const char *w = git_repository_workdir(r->repo);
	return w ? w : "";
}

static int blob_read(bb_git_repo *r, const unsigned char oid[BB_GIT_OID_SIZE], size_t max,
	bb_git_blob **out, const void **data, size_t *len)
{
	git_oid id;
	git_odb *odb;
	size_t size;
	git_object_t type;
	*out = NULL;
	memcpy(id.id, oid, BB_GIT_OID_SIZE);
	if (git_repository_odb(&odb, r->repo) < 0)
		return -1;
	int rc = git_odb_read_header(&size, &type, odb, &id);
	git_odb_free(odb);
	if (rc < 0)
		return -1;
	*len = size;
	if (max && size > max)
		return 1;
	bb_git_blob *b = calloc(1, sizeof *b);
	if (!b || git_blob_lookup(&b->blob, r->repo, &id) < 0) {
		free(b);
		return -1;
	}
	*data = git_blob_rawcontent(b->blob);
	*len = (size_t)git_blob_rawsize(b->blob);
	*out = b;
	return 0;
}

static void blob_free(bb_git_blob *b)
{
	if (!b)
		return;
	git_blob_free(b->blob);
	free(b);
}

/* ---- staged content ------------------------------------------------------------------- */

typedef struct walk_ctx {
	bb_git_blob_cb cb;
	bb_git_warn_cb warn;
	void *payload;
	int stopped;
	bb_git_path_cb excluded;   /* history only; may be NULL */
} walk_ctx;

static int staged(bb_git_repo *r, bb_git_blob_cb cb, bb_git_warn_cb warn, void *payload,
	char *err, size_t errlen)
{
	git_index *idx = NULL;
	git_tree *head = NULL;
	git_diff *diff = NULL;
	git_object *obj = NULL;
	int rc = -1;
	/* git points hooks at the index being committed (commit -a, commit PATH) through
	 * GIT_INDEX_FILE, relative to the working directory like git itself does */
	const char *index_file = getenv("GIT_INDEX_FILE");
	int irc = index_file && index_file[0] ? git_index_open(&idx, index_file)
					      : git_repository_index(&idx, r->repo);
	if (irc < 0) {
		seterr(err, errlen, "cannot read the index");
		return -1;
	}
	/* before the first commit there is no HEAD: everything in the index is new */
	if (git_revparse_single(&obj, r->repo, "HEAD^{tree}") == 0)
		head = (git_tree *)obj;
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_index(&diff, r->repo, head, idx, &opts) < 0) {
		seterr(err, errlen, "cannot compare the index with HEAD");
		goto out;
	}
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
			d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_COPIED &&
			d->status != GIT_DELTA_TYPECHANGE)
			continue;
		if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
			if (warn)
				warn(d->new_file.path, "submodule: not scanned", payload);
			continue;
		}
		if (d->new_file.mode == GIT_FILEMODE_LINK)
			continue;
		bb_git_where w = { d->new_file.path, "", "", 0 };
		if (cb(d->new_file.id.id, &w, payload)) {
			rc = 0;
			goto out;
		}
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(head);
	git_index_free(idx);
	return rc;
}

/* ---- history ---------------------------------------------------------------------------- */

/* The set of blob ids already handed out: open addressing on 20-byte keys (the
 * ids are SHA-1 hashes, so their first bytes are a good hash). */
typedef struct oidset {
	unsigned char (*keys)[BB_GIT_OID_SIZE];
	unsigned char *used;
	size_t n, cap;
} oidset;

static size_t slot(const unsigned char *k, size_t cap)
{
	size_t h;
	memcpy(&h, k, sizeof h);
	return h & (cap - 1);
}

/* 1 if added, 0 if already there, -1 out of memory. */
static int oidset_add(oidset *s, const unsigned char *k)
{
	if ((s->n + 1) * 10 > s->cap * 7) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		oidset t = { calloc(cap, BB_GIT_OID_SIZE), calloc(cap, 1), 0, cap };
		if (!t.keys || !t.used) {
			free(t.keys);
			free(t.used);
			return -1;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->used[i])
				oidset_add(&t, s->keys[i]);
		free(s->keys);
		free(s->used);
		*s = t;
	}
	size_t i = slot(k, s->cap);
	while (s->used[i]) {
		if (!memcmp(s->keys[i], k, BB_GIT_OID_SIZE))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	memcpy(s->keys[i], k, BB_GIT_OID_SIZE);
	s->used[i] = 1;
	s->n++;
	return 1;
}

static int oidset_has(const oidset *s, const unsigned char *k)
{
	if (!s->cap)
		return 0;
	for (size_t i = slot(k, s->cap); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (!memcmp(s->keys[i], k, BB_GIT_OID_SIZE))
			return 1;
	return 0;
}

static void oidset_free(oidset *s)
{
	free(s->keys);
	free(s->used);
	memset(s, 0, sizeof *s);
}

static int push_range(git_revwalk *walk, git_repository *repo, const char *range,
	char *err, size_t errlen)
{
	if (!range || !range[0]) {
		if (git_revwalk_push_glob(walk, "refs/*") < 0) {
			seterr(err, errlen, "cannot list the references");
			return -1;
		}
		git_revwalk_push_head(walk); /* a detached HEAD counts too; no HEAD is fine */
		return 0;
	}
	if (strstr(range, "..")) {
		if (git_revwalk_push_range(walk, range) < 0) {
			seterr(err, errlen, "invalid range");
			return -1;
		}
		return 0;
	}
	git_object *obj = NULL;
	if (git_revparse_single(&obj, repo, range) < 0) {
		seterr(err, errlen, "unknown revision");
		return -1;
	}
	int rc = git_revwalk_push_glob(walk, "refs/*") < 0 ? -1 : 0;
	git_revwalk_push_head(walk);
	if (rc == 0 && git_revwalk_hide(walk, git_object_id(obj)) < 0)
		rc = -1;
	if (rc < 0)
		seterr(err, errlen, "cannot walk the history");
	git_object_free(obj);
	return rc;
}

/*
 * A commit's new blobs: its tree walked depth-first, skipping every subtree whose id
 * was seen before (all it holds was handed out then, at the commit that introduced
 * it). Each distinct tree of the history is thus read once, which costs about half
 * what diffing each commit against its parent did (that reads both sides of every
 * changed path, and builds a diff on top). Trees, blobs and commits share the one
 * `seen` set: their ids never collide.
 */
typedef struct tree_walk {
	git_repository *repo;
	oidset *seen;
	walk_ctx *w;
	char *path;        /* the current directory's path, '/'-terminated */
	size_t len, cap;
	const char *commit, *author;
	long long time;
	int emit;          /* 0: only mark what is seen (the parents of a range's first commits) */
} tree_walk;

/* Returns 0 when every path under tree was walked (the tree may be counted as
 * seen), 1 when one was excluded (the tree must not be: the same tree elsewhere
 * still has content to hand out), -1 on error. */
static int walk_tree(tree_walk *t, const git_tree *tree)
{
	size_t n = git_tree_entrycount(tree), base = t->len;
	int partial = 0;
	for (size_t i = 0; i < n && !t->w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		if ((type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB) || mode == GIT_FILEMODE_LINK)
			continue; /* submodule commits, symbolic links */
		const git_oid *id = git_tree_entry_id(e);
		if (oidset_has(t->seen, id->id))
			continue;
		const char *name = git_tree_entry_name(e);
		size_t nl = strlen(name);
		if (base + nl + 2 > t->cap) {
			size_t cap = (base + nl + 2) * 2;
			char *p = realloc(t->path, cap);
			if (!p)
				return -1;
			t->path = p;
			t->cap = cap;
		}
		memcpy(t->path + base, name, nl + 1);
		/* excluded here: not seen, so still found where it is not (when marking
		 * the parents of a range, everything counts) */
		if (t->emit && t->w->excluded && t->w->excluded(t->path, t->w->payload)) {
			partial = 1;
			continue;
		}
		int rc = 0;
		if (type == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, t->repo, id) < 0)
				continue; /* a partial clone without it: nothing to read */
			t->path[base + nl] = '/';
			t->len = base + nl + 1;
			rc = walk_tree(t, sub);
			git_tree_free(sub);
			t->len = base;
			if (rc < 0)
				return rc;
			partial |= rc;
		} else if (t->emit) {
			bb_git_where where = { t->path, t->commit, t->author, t->time };
			if (t->w->cb(id->id, &where, t->w->payload))
				t->w->stopped = 1;
		}
		if (rc == 0 && oidset_add(t->seen, id->id) < 0)
			return -1;
	}
	t->path[base] = '\0';
	return partial;
}

static int one_commit(git_repository *repo, git_commit *c, oidset *seen, walk_ctx *w,
	int *shallow_warned)
{
	git_tree *tree = NULL;
	if (git_commit_tree(&tree, c) < 0) {
		/* a partial clone without trees (--filter=tree:0): nothing to scan here */
		if (w->warn) {
			char hex[GIT_OID_HEXSZ + 1];
			w->warn(git_oid_tostr(hex, sizeof hex, git_commit_id(c)),
				"the commit's tree is missing (partial clone): not scanned", w->payload);
		}
		return 0;
	}
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, git_commit_id(c));
	const git_signature *a = git_commit_author(c);
	char author[512];
	snprintf(author, sizeof author, "%s <%s>", a && a->name ? a->name : "",
		a && a->email ? a->email : "");
	tree_walk t = { repo, seen, w, malloc(256), 0, 256, hex, author,
		a ? (long long)a->when.time : (long long)git_commit_time(c), 0 };
	int rc = t.path ? 0 : -1;
	if (t.path)
		t.path[0] = '\0';
	/* A parent this walk did not visit (outside the range of --since, or missing
	 * in a shallow clone) is not new: what its tree holds is marked seen first. */
	unsigned np = git_commit_parentcount(c);
	for (unsigned k = 0; k < np && rc == 0; k++) {
		const git_oid *pid = git_commit_parent_id(c, k);
		if (oidset_has(seen, pid->id))
			continue;
		git_commit *p = NULL;
		git_tree *ptree = NULL;
		if (git_commit_parent(&p, c, k) == 0 && git_commit_tree(&ptree, p) == 0) {
			rc = walk_tree(&t, ptree);
		} else if (!*shallow_warned && w->warn) {
			*shallow_warned = 1;
			w->warn("history", "parent commits are missing (shallow clone): their content "
				"is scanned as introduced by the oldest commit present", w->payload);
		}
		git_tree_free(ptree);
		git_commit_free(p);
	}
	if (rc == 0 && oidset_add(seen, git_commit_id(c)->id) < 0)
		rc = -1;
	t.emit = 1;
	if (rc == 0 && !oidset_has(seen, git_tree_id(tree)->id) &&
		(rc = walk_tree(&t, tree)) == 0 && oidset_add(seen, git_tree_id(tree)->id) < 0)
		rc = -1;
	free(t.path);
	git_tree_free(tree);
	return rc < 0 ? rc : 0;
}

/* ---- shallow clones ----------------------------------------------------------------------
 * libgit2's revision walk gives up on a shallow clone: the parents of its oldest
 * commits are missing. There the commits are ordered here instead: a depth-first
 * walk over the parents that treats a missing parent as absent, emitting each commit
 * after its parents (post-order), which is the oldest-first topological order the
 * history scan needs. Shallow clones are short, so holding the order is cheap. */

typedef struct oidvec {
	git_oid *v;
	size_t n, cap;
} oidvec;

static int oidvec_push(oidvec *a, const git_oid *id)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		git_oid *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *id;
	return 0;
}

typedef struct frame {
	git_commit *c;
	unsigned next; /* the next parent to visit */
} frame;

/* Post-order from one tip over commits not yet in `seen` (hidden commits are put
 * there beforehand). With `out` NULL the walk only marks what it reaches. */
static int dfs(git_repository *repo, const git_oid *tip, oidset *seen, oidvec *out)
{
	frame *st = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	git_commit *c = NULL;
	int added = oidset_add(seen, tip->id);
	if (added <= 0)
		return added;
	if (git_commit_lookup(&c, repo, tip) < 0)
		return 0; /* missing: nothing to walk */
	for (;;) {
		if (c) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				frame *t = realloc(st, nc * sizeof *t);
				if (!t) {
					git_commit_free(c);
					goto out;
				}
				st = t;
				cap = nc;
			}
			st[n++] = (frame){ c, 0 };
			c = NULL;
		}
		if (!n)
			break;
		frame *f = &st[n - 1];
		if (f->next < git_commit_parentcount(f->c)) {
			const git_oid *pid = git_commit_parent_id(f->c, f->next++);
			added = pid ? oidset_add(seen, pid->id) : 0;
			if (added < 0)
				goto out;
			if (added && git_commit_lookup(&c, repo, pid) < 0)
				c = NULL; /* beyond the shallow boundary */
			continue;
		}
		if (out && oidvec_push(out, git_commit_id(f->c)) < 0)
			goto out;
		git_commit_free(f->c);
		n--;
	}
	rc = 0;
out:
	while (n)
		git_commit_free(st[--n].c);
	free(st);
	return rc;
}

static int peel_commit(git_repository *repo, const char *spec, git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = -1;
	if (git_revparse_single(&obj, repo, spec) == 0 &&
		git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		*id = *git_object_id(peeled);
		rc = 0;
	}
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

/* The tips: every reference that leads to a commit, and HEAD. */
static int all_tips(git_repository *repo, oidvec *tips)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid id;
	if (git_reference_iterator_glob_new(&it, repo, "refs/*") < 0)
		return -1;
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		int ok = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0 &&
			oidvec_push(tips, git_object_id(obj)) < 0;
		git_object_free(obj);
		git_reference_free(ref);
		if (ok) {
			git_reference_iterator_free(it);
			return -1;
		}
	}
	git_reference_iterator_free(it);
	if (peel_commit(repo, "HEAD", &id) == 0 && oidvec_push(tips, &id) < 0)
		return -1;
	return 0;
}

static int shallow_order(git_repository *repo, const char *range, oidvec *order, char *err,
	size_t errlen)
{
	oidvec tips = { 0 };
	oidset seen = { 0 };
	git_oid hide;
	int rc = -1, has_hide = 0;
	if (range && strstr(range, "..")) {
		git_revspec spec;
		if (git_revparse(&spec, repo, range) < 0 || !(spec.flags & GIT_REVSPEC_RANGE)) {
			seterr(err, errlen, "invalid range");
			return -1;
		}
		git_object *from = NULL, *to = NULL;
		int ok = git_object_peel(&from, spec.from, GIT_OBJECT_COMMIT) == 0 &&
			git_object_peel(&to, spec.to, GIT_OBJECT_COMMIT) == 0;
		if (ok) {
			hide = *git_object_id(from);
			has_hide = 1;
			ok = oidvec_push(&tips, git_object_id(to)) == 0;
		}
		git_object_free(from);
		git_object_free(to);
		git_object_free(spec.from);
		git_object_free(spec.to);
		if (!ok) {
			seterr(err, errlen, "invalid range");
			goto out;
		}
	} else {
		if (range && range[0]) {
			if (peel_commit(repo, range, &hide) < 0) {
				seterr(err, errlen, "unknown revision");
				return -1;
			}
			has_hide = 1;
		}
		if (all_tips(repo, &tips) < 0) {
			seterr(err, errlen, "cannot list the references");
			goto out;
		}
	}
	/* what the hidden commit reaches is marked seen first, so never emitted */
	if (has_hide && dfs(repo, &hide, &seen, NULL) < 0)
		goto oom;
	for (size_t i = 0; i < tips.n; i++)
		if (dfs(repo, &tips.v[i], &seen, order) < 0)
			goto oom;
	rc = 0;
	goto out;
oom:
	seterr(err, errlen, "out of memory walking the history");
out:
	oidset_free(&seen);
	free(tips.v);
	return rc;
}

static int history(bb_git_repo *r, const char *range, bb_git_blob_cb cb,
	bb_git_path_cb excluded, bb_git_warn_cb warn, void *payload, char *err, size_t errlen)
{
	git_revwalk *walk = NULL;
	oidset seen = { 0 };
	oidvec order = { 0 };
	walk_ctx w = { cb, warn, payload, 0, excluded };
	int rc = -1, shallow_warned = 0, next = 0;
	size_t k = 0;
	int shallow = git_repository_is_shallow(r->repo) == 1;
	if (shallow) {
		if (shallow_order(r->repo, range, &order, err, errlen) < 0)
			goto out;
	} else {
		if (git_revwalk_new(&walk, r->repo) < 0) {
			seterr(err, errlen, "cannot walk the history");
			return -1;
		}
		/* oldest first, parents before children: a blob's first sighting is the
		 * commit that introduced it */
		git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
		if (push_range(walk, r->repo, range, err, errlen) < 0)
			goto out;
	}
	git_oid id;
	while (!w.stopped) {
		if (shallow) {
			if (k == order.n)
				break;
			id = order.v[k++];
		} else if ((next = git_revwalk_next(&id, walk)) != 0) {
			if (next == GIT_ITEROVER)
				break;
			seterr(err, errlen, "cannot walk the history");
			goto out;
		}
		git_commit *c = NULL;
		if (git_commit_lookup(&c, r->repo, &id) < 0) {
			if (warn) {
				char hex[GIT_OID_HEXSZ + 1];
				warn(git_oid_tostr(hex, sizeof hex, &id), "commit missing: skipped", payload);
			}
			continue;
		}
		int one = one_commit(r->repo, c, &seen, &w, &shallow_warned);
		git_commit_free(c);
		if (one < 0) {
			seterr(err, errlen, "out of memory or unreadable history");
			goto out;
		}
	}
	rc = 0;
out:
	oidset_free(&seen);
	free(order.v);
	git_revwalk_free(walk);
	return rc;
}

const bb_git_api bb_git_module_api = {
	BB_GIT_API_VERSION,
	ignore_open,
	ignore_check,
	ignore_close,
	repo_open,
	repo_close,
	repo_workdir,
	staged,
	history,
	blob_read,
	blob_free,
};
