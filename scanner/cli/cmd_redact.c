/*
 * cmd_redact.c: `blackbar redact [FILE|-]` copies its input to stdout with every
 * secret replaced by [REDACTED:<signature-id>]; `blackbar redact -- CMD ARGS...`
 * runs a command and does the same to its stdout and stderr (each to its own
 * stream), then exits with the command's status, so a wrapped command fails
 * exactly when the original would.
 *
 * Output lags input by the redactor's window (a secret cut across two reads is
 * still replaced whole), and everything is flushed when the input ends.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { O_SIGS = 1, O_SIGS_ONLY, O_NO_CACHE, O_KIND, O_QUIET };

static const opt_spec redact_specs[] = {
	{ O_SIGS, "signatures", 0, OPT_VALUE, "PATH", "add signatures from a file or directory" },
	{ O_SIGS_ONLY, "signatures-only", 0, OPT_FLAG, NULL, "use only --signatures" },
	{ O_KIND, "kind", 0, OPT_VALUE, "KINDS", "redact only: secret,phi,pii (default: all)" },
	{ O_NO_CACHE, "no-cache", 0, OPT_FLAG, NULL, "always compile signatures" },
	{ O_QUIET, "quiet", 'q', OPT_FLAG, NULL, "no count of redactions on stderr" },
	{ 0, NULL, 0, OPT_FLAG, NULL, NULL },
};

typedef struct redact_args {
	const char *sigs[64];
	size_t n_sigs;
	int sigs_only, no_cache, quiet;
	unsigned kinds;
} redact_args;

static int on_opt(int id, const char *v, void *ctx)
{
	redact_args *a = ctx;
	switch (id) {
	case O_SIGS:
		if (a->n_sigs == 64)
			return -1;
		a->sigs[a->n_sigs++] = v;
		return 0;
	case O_SIGS_ONLY: a->sigs_only = 1; return 0;
	case O_NO_CACHE: a->no_cache = 1; return 0;
	case O_QUIET: a->quiet = 1; return 0;
	case O_KIND:
		for (const char *p = v; *p;) {
			size_t n = strcspn(p, ",");
			char k[32];
			snprintf(k, sizeof k, "%.*s", (int)(n < 31 ? n : 31), p);
			int kind = bb_kind_parse(k);
			if (kind < 0) {
				fprintf(stderr, "blackbar: unknown kind '%s'\n", cli_arg(k));
				return -1;
			}
			a->kinds |= 1u << kind;
			p += n + (p[n] == ',');
		}
		return 0;
	}
	return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int to_fd(const void *buf, size_t len, void *payload)
{
	return write_all(*(int *)payload, buf, len);
}

/* One redacting pipe: a source descriptor, its scanner and redactor, its sink. */
typedef struct chan {
	int in, out;
	bb_scanner *s;
	bb_redactor *r;
	long count;
	int open;
} chan;

static int chan_init(chan *c, int in, int out, const bb_ruleset *rs, const bb_scan_options *so)
{
	memset(c, 0, sizeof *c);
	c->in = in;
	c->out = out;
	c->open = 1;
	if (bb_scanner_new(&c->s, rs, NULL, so) < 0 || bb_redactor_new(&c->r, c->s, to_fd, &c->out) < 0)
		return -1;
	return 0;
}

static void chan_free(chan *c)
{
	bb_redactor_free(c->r);
	bb_scanner_free(c->s);
}

/* Moves what is available on c->in through the redactor; at EOF flushes it. */
static int chan_pump(chan *c)
{
	char buf[65536];
	ssize_t n = read(c->in, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n > 0)
		return bb_redactor_feed(c->r, buf, (size_t)n) < 0 ? -1 : 0;
	long k = bb_redactor_finish(c->r);
	c->open = 0;
	if (k < 0)
		return -1;
	c->count = k;
	return 0;
}

static int load(const redact_args *a, bb_ruleset **rs)
{
	bb_ruleset_options o = { .paths = a->sigs, .n_paths = a->n_sigs,
		.no_builtin = a->sigs_only, .no_cache = a->no_cache };
	return cli_load_rules(rs, &o);
}

/* Redacts one input (a file or stdin) to stdout. */
static int redact_stream(const redact_args *a, const bb_ruleset *rs, const bb_scan_options *so,
	const char *path)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		fprintf(stderr, "blackbar: %s: %s\n", path, strerror(errno));
		return EXIT_ERROR;
	}
	chan c;
	int code = EXIT_ERROR;
	if (chan_init(&c, fd, 1, rs, so) == 0) {
		while (c.open && chan_pump(&c) == 0)
			;
		if (!c.open) {
			code = c.count ? EXIT_FINDINGS : EXIT_CLEAN;
			if (!a->quiet && c.count)
				fprintf(stderr, "blackbar: %ld value%s redacted\n", c.count, c.count == 1 ? "" : "s");
		} else {
			fprintf(stderr, "blackbar: redaction failed: %s\n", strerror(errno));
		}
	}
	chan_free(&c);
	if (fd)
		close(fd);
	return code;
}

/* Runs argv with its stdout and stderr through redactors; returns its status. */
static int redact_command(const redact_args *a, const bb_ruleset *rs, const bb_scan_options *so,
	char **argv)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	pid_t pid = -1;
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		perror(pid < 0 && pe[0] >= 0 ? "blackbar: fork" : "blackbar: pipe");
		for (int i = 0; i < 2; i++) {
			if (po[i] >= 0)
				close(po[i]);
			if (pe[i] >= 0)
				close(pe[i]);
		}
		return EXIT_ERROR;
	}
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "blackbar: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	chan c[2];
	/* both set up whatever happens to the first: chan_free runs on both */
	int ok = (chan_init(&c[0], po[0], 1, rs, so) == 0) & (chan_init(&c[1], pe[0], 2, rs, so) == 0);
	while (ok && (c[0].open || c[1].open)) {
		struct pollfd pf[2] = { { c[0].open ? c[0].in : -1, POLLIN, 0 },
			{ c[1].open ? c[1].in : -1, POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			ok = 0;
		for (int i = 0; ok && i < 2; i++)
			if (c[i].open && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				ok = chan_pump(&c[i]) == 0;
	}
	close(po[0]);
	close(pe[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	long total = c[0].count + c[1].count;
	chan_free(&c[0]);
	chan_free(&c[1]);
	if (!ok) {
		/* fail closed: the output may be incomplete, but never unredacted */
		fprintf(stderr, "blackbar: redaction failed; output stopped\n");
		return EXIT_ERROR;
	}
	if (!a->quiet && total)
		fprintf(stderr, "blackbar: %ld value%s redacted\n", total, total == 1 ? "" : "s");
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_ERROR;
}

int cmd_redact(int argc, char **argv)
{
	redact_args a;
	memset(&a, 0, sizeof a);
	int dash = -1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dash = i;
			break;
		}
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int n_pos = 0, code = EXIT_ERROR;
	if (!pos)
		return EXIT_ERROR;
	int p = opts_parse(redact_specs, dash < 0 ? argc : dash, argv, on_opt, &a, pos, &n_pos);
	if (p == 1) {
		opts_help(stdout, "blackbar redact [OPTIONS] [FILE|-]\n       blackbar redact [OPTIONS] -- COMMAND [ARGS...]",
			"Copies the input (default: standard input) to standard output with every\n"
			"secret replaced by [REDACTED:<signature-id>]. With -- COMMAND, runs it and\n"
			"redacts its stdout and stderr, then exits with its exit status.\n"
			"Without a command: exit 0 nothing redacted, 1 something redacted, 2 error.",
			redact_specs);
		code = EXIT_CLEAN;
	} else if (p == 0 && (n_pos > 1 || (dash >= 0 && n_pos))) {
		fprintf(stderr, "blackbar: redact takes one input, or -- and a command\n");
	} else if (p == 0 && dash >= 0 && dash + 1 >= argc) {
		fprintf(stderr, "blackbar: redact: no command after --\n");
	} else if (p == 0) {
		bb_ruleset *rs;
		bb_scan_options so;
		bb_scan_options_init(&so);
		so.kinds = a.kinds;
		so.no_magic = 1;
		if (load(&a, &rs) == 0) {
			code = dash >= 0 ? redact_command(&a, rs, &so, argv + dash + 1)
				: redact_stream(&a, rs, &so, n_pos ? pos[0] : "-");
			bb_ruleset_free(rs);
		}
	}
	free(pos);
	return code;
}
