/*
 * shell.c: finds shell commands that would put a stored credential in front of an
 * agent: programs that print files the path signatures call sensitive (`cat .env`,
 * `base64 ~/.ssh/id_rsa`, `< .npmrc`) or whose content holds a secret, and programs
 * that print stored credentials (`printenv`, `aws configure get`, `gh auth token`,
 * `kubectl get secret -o yaml`, `echo $AWS_SECRET_ACCESS_KEY`).
 *
 * This is a best effort by construction: a shell can read a file in countless
 * ways (python -c, $(...) tricks, an alias), and a determined command gets past
 * any list. It catches the common and the accidental; the output redaction of
 * PostToolUse (and, by policy, running commands under `blackbar redact --`) covers
 * the rest.
 *
 * The splitter understands quotes, backslashes, comments, the operators | || & &&
 * ; and newlines, redirections, and command substitution ($(...) and backticks),
 * whose content is analysed as a command of its own; `sh -c STRING`, `bash -c`,
 * `eval` and wrappers such as sudo, env, nohup, timeout and xargs are looked
 * through. Memory: words are malloc'd per simple command and freed after it.
 */
#include "guard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 4      /* nested sh -c / $( ) levels analysed */
#define MAX_WORDS 256    /* words per simple command considered */

typedef struct words {
	char *w[MAX_WORDS];
	int n;
	char *redir_in[16];  /* files read through < */
	int n_in;
} words;

static void words_free(words *ws)
{
	for (int i = 0; i < ws->n; i++)
		free(ws->w[i]);
	for (int i = 0; i < ws->n_in; i++)
		free(ws->redir_in[i]);
	ws->n = ws->n_in = 0;
}

/* ---- tables ----------------------------------------------------------------------- */

/* Programs that print (or copy, or send) the files named in their arguments. */
static const char *const readers[] = {
	"cat", "tac", "less", "more", "head", "tail", "nl", "grep", "egrep", "fgrep", "rg",
	"ag", "ack", "sed", "awk", "gawk", "mawk", "cut", "sort", "uniq", "strings", "base64",
	"base32", "basenc", "xxd", "od", "hexdump", "hd", "cp", "scp", "rsync", "tar", "zip",
	"gzip", "zcat", "bzip2", "xz", "zstd", "openssl", "jq", "yq", "diff", "cmp", "vim",
	"vi", "view", "nano", "emacs", "bat", "batcat", "source", ".", "paste", "column",
	"fold", "fmt", "pr", "iconv", "dos2unix", "gpg", "ssh-keygen", "curl", "wget", "dd",
	"tee", "split", "install", "mv", "ln", "type",
	/* PowerShell (compared in lower case) */
	"get-content", "gc", "select-string", "sls", "copy-item", "cpi", "import-csv",
	"format-hex", "fhx", "get-filehash",
};

/* Shell reserved words and operators that start a command without being one. */
static const char *const reserved[] = { "{", "}", "!", "if", "then", "else", "elif", "fi",
	"do", "done", "while", "until", "for", "case", "esac", "in", "select", "function",
	"[[", "]]", "coproc" };

/* Wrapper options that take a value in the next word, per wrapper: "sudo -u root
 * cat", "timeout -s KILL 5 cat", "nice -n 5 cat". */
static const struct { const char *wrapper; const char *opts[10]; } value_opts[] = {
	{ "sudo", { "-u", "-g", "-h", "-p", "-C", "-U", "-r", "-t", "-D", "--user" } },
	{ "doas", { "-u", "-C", NULL } },
	{ "timeout", { "-s", "-k", "--signal", "--kill-after", NULL } },
	{ "nice", { "-n", "--adjustment", NULL } },
	{ "ionice", { "-c", "-n", "-p", NULL } },
	{ "runuser", { "-u", "-g", "--user", "--group", NULL } },
	{ "flock", { "-w", "-E", NULL } },
	{ "watch", { "-n", "-d", NULL } },
	{ "strace", { "-o", "-e", "-p", "-s", NULL } },
};

static int takes_value(const char *wrapper, const char *opt)
{
	for (size_t k = 0; k < BB_ARRAY_LEN(value_opts); k++)
		if (!strcmp(wrapper, value_opts[k].wrapper))
			for (size_t i = 0; i < BB_ARRAY_LEN(value_opts[k].opts) && value_opts[k].opts[i]; i++)
				if (!strcmp(opt, value_opts[k].opts[i]))
					return 1;
	return 0;
}

/* Programs that print the environment, which holds tokens more often than not. */
static const char *const env_printers[] = { "printenv", "env", "set", "export", "declare",
	"typeset", "get-childitem env:", "gci env:", "dir env:", "ls env:" };

/* Subcommand sequences that print a stored credential: the program, then words
 * that must appear among its arguments in this order. */
static const struct { const char *prog; const char *words[3]; } cred_commands[] = {
	{ "aws", { "configure", "get", NULL } },
	{ "aws", { "configure", "export-credentials", NULL } },
	{ "aws", { "secretsmanager", "get-secret-value", NULL } },
	{ "aws", { "ssm", "get-parameter", NULL } },
	{ "aws", { "ssm", "get-parameters", NULL } },
	{ "gh", { "auth", "token", NULL } },
	{ "gh", { "auth", "status", "--show-token" } },
	{ "gh", { "auth", "status", "-t" } },
	{ "git", { "credential", "fill", NULL } },
	{ "security", { "find-generic-password", NULL, NULL } },
	{ "security", { "find-internet-password", NULL, NULL } },
	{ "gcloud", { "auth", "print-access-token", NULL } },
	{ "gcloud", { "auth", "print-identity-token", NULL } },
	{ "gcloud", { "auth", "application-default", "print-access-token" } },
	{ "az", { "account", "get-access-token", NULL } },
	{ "vault", { "kv", "get", NULL } },
	{ "vault", { "read", NULL, NULL } },
	{ "op", { "read", NULL, NULL } },
	{ "op", { "item", "get", NULL } },
	{ "pass", { "show", NULL, NULL } },
	{ "heroku", { "auth:token", NULL, NULL } },
	{ "doppler", { "secrets", NULL, NULL } },
	{ "npm", { "token", "list", NULL } },
	{ "docker", { "login", "--password-stdin", NULL } },
};

/* Wrappers whose arguments are another command. For each, how many option words
 * with values to skip is guessed from the leading '-'. */
static const char *const wrappers[] = { "sudo", "doas", "nohup", "time", "nice", "ionice",
	"stdbuf", "timeout", "command", "exec", "builtin", "xargs", "watch", "strace", "ltrace",
	"chroot", "unbuffer", "caffeinate", "setsid", "flock", "runuser" };

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Environment variable names that hold secrets by convention. */
static int secret_var(const char *name, size_t n)
{
	static const char *const marks[] = { "SECRET", "TOKEN", "PASSWORD", "PASSWD", "API_KEY",
		"APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH" };
	char up[128];
	if (n >= sizeof up)
		n = sizeof up - 1;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[n] = '\0';
	for (size_t i = 0; i < BB_ARRAY_LEN(marks); i++)
		if (strstr(up, marks[i]))
			return 1;
	return 0;
}

/* ---- splitting ------------------------------------------------------------------------ */

typedef struct splitter {
	const char *p;
	bb_guard *g;
	bb_verdict *v;
	const char *cwd;
	int depth;
	int rc;
	bb_buf vars;          /* $NAME references of the current command: "NAME\n..." */
} splitter;

static void analyse(splitter *sp, words *ws);

/* Analyses the text of a command substitution or a -c string as a command. */
static void nested(splitter *sp, const char *text, size_t n)
{
	if (sp->depth + 1 >= MAX_DEPTH || sp->rc < 0)
		return;
	char *t = bb_strndup(text, n);
	if (!t) {
		sp->rc = BB_ENOMEM;
		return;
	}
	int rc = bb_guard__shell(sp->g, t, sp->cwd, sp->v, sp->depth + 1);
	if (rc < 0)
		sp->rc = rc;
	free(t);
}

/* Skips a $( ... ) starting at p (p points after "$("); returns the end. */
static const char *skip_subst(const char *p, char close)
{
	int depth = 1;
	char q = 0;
	for (; *p; p++) {
		if (q) {
			if (*p == '\\' && q == '"' && p[1])
				p++;
			else if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == '\\' && p[1])
			p++;
		else if (close == ')' && *p == '(')
			depth++;
		else if (*p == close && --depth == 0)
			return p;
	}
	return p;
}

/* Notes a $NAME or ${NAME} reference at p (p at '$'); returns its length. */
static size_t note_var(splitter *sp, const char *p)
{
	const char *s = p + 1;
	int brace = *s == '{';
	s += brace;
	const char *e = s;
	while (isalnum((unsigned char)*e) || *e == '_')
		e++;
	if (e - s == 3 && !strncasecmp(s, "env", 3) && *e == ':') { /* PowerShell $env:NAME */
		s = e + 1;
		for (e = s; isalnum((unsigned char)*e) || *e == '_'; e++)
			;
	}
	if (e > s) {
		bb_buf_append(&sp->vars, s, (size_t)(e - s));
		bb_buf_append(&sp->vars, "\n", 1);
	}
	if (brace && *e == '}')
		e++;
	return (size_t)(e - p);
}

/* Reads one word (quotes removed) into out; stops at blanks and operators.
 * Substitutions inside it are analysed and kept as text. */
static int read_word(splitter *sp, bb_buf *out)
{
	const char *p = sp->p;
	char q = 0;
	out->len = 0;
	for (; *p; p++) {
		char c = *p;
		if (!q && (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' ||
			c == '<' || c == '>' || c == '(' || c == ')'))
			break;
		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				bb_buf_append(out, p, 1);
			continue;
		}
		if (c == '\\' && p[1]) {
			p++;
			if (!(q == '"' && *p == '\n'))
				bb_buf_append(out, p, 1);
			continue;
		}
		if (c == '\'' && !q) {
			q = '\'';
			continue;
		}
		if (c == '"') {
			q = q ? 0 : '"';
			continue;
		}
		if (c == '$' && p[1] == '(') {
			const char *e = skip_subst(p + 2, ')');
			nested(sp, p + 2, (size_t)(e - p - 2));
			bb_buf_append(out, p, (size_t)(e - p) + (*e != 0));
			p = *e ? e : e - 1;
			continue;
		}
		if (c == '`') {
			const char *e = skip_subst(p + 1, '`');
			nested(sp, p + 1, (size_t)(e - p - 1));
			bb_buf_append(out, p, (size_t)(e - p) + (*e != 0));
			p = *e ? e : e - 1;
			continue;
		}
		if (c == '$') {
			size_t k = note_var(sp, p);
			bb_buf_append(out, p, k ? k : 1);
			p += (k ? k : 1) - 1;
			continue;
		}
		bb_buf_append(out, p, 1);
	}
	sp->p = p;
	return bb_buf_cstr(out) ? BB_OK : BB_ENOMEM;
}

/* Splits cmd into simple commands and analyses each. */
static void split(splitter *sp)
{
	words ws = { { 0 }, 0, { 0 }, 0 };
	bb_buf word;
	bb_buf_init(&word, 1u << 20);
	while (sp->rc == BB_OK) {
		const char *p = sp->p;
		while (*p == ' ' || *p == '\t')
			p++;
		sp->p = p;
		if (*p == '#' && (ws.n == 0)) { /* a comment runs to the end of the line */
			while (*p && *p != '\n')
				p++;
			sp->p = p;
			continue;
		}
		if (!*p || *p == '\n' || *p == ';' || *p == '&' || *p == '|' || *p == '(' || *p == ')') {
			analyse(sp, &ws);
			words_free(&ws);
			sp->vars.len = 0;
			if (!*p)
				break;
			sp->p = p + 1;
			continue;
		}
		/* a redirection's target: read from (<: kept apart), or written to (>:
		 * not an argument of the command, so not a file it reads) */
		int is_in = 0, is_out = 0;
		if (*p == '<' || *p == '>' || (isdigit((unsigned char)*p) && (p[1] == '>' || p[1] == '<'))) {
			if (isdigit((unsigned char)*p))
				p++;
			is_in = *p == '<' && p[1] != '<';   /* not a here-document */
			is_out = *p == '>';
			while (*p == '<' || *p == '>' || *p == '&')
				p++;
			while (*p == ' ' || *p == '\t')
				p++;
			sp->p = p;
		}
		if ((sp->rc = read_word(sp, &word)) < 0)
			break;
		if (sp->p == p && !word.len) { /* an operator we do not split on */
			if (*sp->p) /* or the end, after a redirection with no target: "cmd >" */
				sp->p++;
			continue;
		}
		char *w = bb_strndup((const char *)word.data, word.len);
		if (!w) {
			sp->rc = BB_ENOMEM;
			break;
		}
		if (is_in && ws.n_in < 16)
			ws.redir_in[ws.n_in++] = w;
		else if (!is_in && !is_out && ws.n < MAX_WORDS)
			ws.w[ws.n++] = w;
		else
			free(w);
	}
	words_free(&ws);
	bb_buf_free(&word);
}

/* ---- analysis ---------------------------------------------------------------------- */

static int has_words(words *ws, int from, const char *const *need)
{
	int k = 0;
	for (int i = from; i < ws->n && k < 3 && need[k]; i++)
		if (!strcmp(ws->w[i], need[k]))
			k++;
	return k == 3 || !need[k];
}

/* Index of the real command word: skips assignments, reserved words and
 * wrappers with their options. */
static int command_start(words *ws)
{
	int i = 0;
	while (i < ws->n) {
		const char *w = ws->w[i];
		const char *eq = strchr(w, '=');
		if (eq && eq > w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == (size_t)(eq - w)) {
			i++; /* VAR=value */
			continue;
		}
		if (in_list(w, reserved, BB_ARRAY_LEN(reserved))) {
			i++;
			continue;
		}
		if (!in_list(base(w), wrappers, BB_ARRAY_LEN(wrappers)))
			break;
		const char *wrapper = base(w);
		int timeout = !strcmp(wrapper, "timeout");
		i++;
		/* options of the wrapper, with their values */
		while (i < ws->n && ws->w[i][0] == '-') {
			int takes = takes_value(wrapper, ws->w[i]);
			i += 1 + (takes && i + 1 < ws->n);
		}
		if (timeout && i < ws->n)
			i++; /* its duration */
	}
	return i;
}

static void check_kubectl(splitter *sp, words *ws, int at)
{
	int get = 0, secret = 0, output = 0;
	for (int i = at + 1; i < ws->n; i++) {
		const char *w = ws->w[i];
		get |= !strcmp(w, "get");
		secret |= !strncmp(w, "secret", 6) || !strncmp(w, "secrets/", 8);
		output |= !strncmp(w, "-o", 2) || !strncmp(w, "--output", 8);
	}
	if (get && secret && output)
		bb_guard__command_reason(sp->g, sp->v, BB_ACTION_DENY,
			"kubectl get secret prints Kubernetes secret values");
}

static void check_echo(splitter *sp, const char *prog)
{
	const char *v = (const char *)sp->vars.data;
	size_t n = sp->vars.len;
	for (size_t at = 0; v && at < n;) {
		const char *nl = memchr(v + at, '\n', n - at);
		size_t len = nl ? (size_t)(nl - v - at) : n - at;
		if (secret_var(v + at, len)) {
			bb_guard__command_reason(sp->g, sp->v, BB_ACTION_DENY,
				"%s prints $%.*s, a credential variable", prog, (int)len, v + at);
			return;
		}
		at += len + 1;
	}
}

static void analyse(splitter *sp, words *ws)
{
	bb_guard *g = sp->g;
	bb_verdict *v = sp->v;
	for (int i = 0; i < ws->n_in && sp->rc == BB_OK; i++)
		sp->rc = bb_guard__command_reads(g, v, "<", ws->redir_in[i], sp->cwd);
	int at = command_start(ws);
	if (at >= ws->n || sp->rc < 0)
		return;
	char prog[64];
	snprintf(prog, sizeof prog, "%s", base(ws->w[at]));
	for (char *c = prog; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	int dump = g->policy.block_dump_commands;
	if ((!strcmp(prog, "sh") || !strcmp(prog, "bash") || !strcmp(prog, "zsh") ||
		!strcmp(prog, "dash") || !strcmp(prog, "ksh")) ) {
		for (int i = at + 1; i + 1 < ws->n; i++)
			if (!strcmp(ws->w[i], "-c") || (ws->w[i][0] == '-' && strchr(ws->w[i], 'c') &&
				ws->w[i][1] != '-')) {
				nested(sp, ws->w[i + 1], strlen(ws->w[i + 1]));
				return;
			}
	}
	if (!strcmp(prog, "eval")) { /* eval runs its words joined by spaces */
		bb_buf joined;
		bb_buf_init(&joined, 1u << 20);
		for (int i = at + 1; i < ws->n; i++)
			if (bb_buf_puts(&joined, ws->w[i]) < 0 || bb_buf_puts(&joined, " ") < 0)
				break;
		if (joined.len)
			nested(sp, (const char *)joined.data, joined.len);
		bb_buf_free(&joined);
		return;
	}
	if (!strcmp(prog, "env")) {
		int j = at + 1;
		while (j < ws->n && (ws->w[j][0] == '-' || strchr(ws->w[j], '=')))
			j++; /* options and assignments */
		if (j < ws->n) {
			/* env VAR=x cmd ...: it is cmd that runs */
			words rest = { { 0 }, 0, { 0 }, 0 };
			for (; j < ws->n && rest.n < MAX_WORDS; j++)
				rest.w[rest.n++] = ws->w[j];
			analyse(sp, &rest);
			rest.n = 0; /* the words belong to ws */
			return;
		}
	}
	if (dump && at + 1 < ws->n && (!strcmp(prog, "get-childitem") || !strcmp(prog, "gci") ||
		!strcmp(prog, "dir") || !strcmp(prog, "ls")) && !strncasecmp(ws->w[at + 1], "env:", 4)) {
		bb_guard__command_reason(g, v, BB_ACTION_DENY, "%s env: prints the environment, "
			"where credentials live", prog);
		return;
	}
	if (dump && in_list(prog, env_printers, BB_ARRAY_LEN(env_printers))) {
		int j = at + 1;
		while (j < ws->n && (ws->w[j][0] == '-' || strchr(ws->w[j], '=')))
			j++; /* options and assignments */
		int secret_arg = 0;
		for (int i = j; i < ws->n; i++)
			secret_arg |= secret_var(ws->w[i], strlen(ws->w[i]));
		/* printenv or env alone print everything, printenv NAME one variable;
		 * set, export, declare print the environment alone or with -p */
		int prints = (!strcmp(prog, "printenv") && (j == ws->n || secret_arg)) ||
			!strcmp(prog, "env") || ws->n == at + 1 ||
			(at + 1 < ws->n && !strcmp(ws->w[at + 1], "-p"));
		if (prints)
			bb_guard__command_reason(g, v, BB_ACTION_DENY, "%s prints the environment, "
				"where credentials live", prog);
		return;
	}
	if (dump) {
		for (size_t k = 0; k < BB_ARRAY_LEN(cred_commands); k++)
			if (!strcmp(prog, cred_commands[k].prog) && has_words(ws, at + 1, cred_commands[k].words)) {
				bb_guard__command_reason(g, v, BB_ACTION_DENY, "%s %s prints a stored credential",
					prog, cred_commands[k].words[0]);
				return;
			}
		if (!strcmp(prog, "git")) {
			for (int i = at + 1; i < ws->n; i++)
				if (!strncmp(ws->w[i], "credential.", 11) || strstr(ws->w[i], ".credential")) {
					for (int j = at + 1; j < ws->n; j++)
						if (!strncmp(ws->w[j], "--get", 5))
							bb_guard__command_reason(g, v, BB_ACTION_DENY,
								"git config prints a stored credential");
				}
		}
		if (!strcmp(prog, "kubectl") || !strcmp(prog, "oc"))
			check_kubectl(sp, ws, at);
		if (!strcmp(prog, "echo") || !strcmp(prog, "printf") || !strcmp(prog, "print") ||
			!strcmp(prog, "write-output") || !strcmp(prog, "write-host"))
			check_echo(sp, prog);
	}
	if (in_list(prog, readers, BB_ARRAY_LEN(readers))) {
		for (int i = at + 1; i < ws->n && sp->rc == BB_OK; i++) {
			const char *w = ws->w[i];
			if (!strncmp(w, "if=", 3))
				w += 3;                /* dd if=FILE */
			else if (w[0] == '@')
				w += 1;                /* curl -d @FILE, -F @FILE */
			else if (w[0] == '-' && strchr(w, '@'))
				w = strchr(w, '@') + 1; /* curl --data-binary=@FILE */
			sp->rc = bb_guard__command_reads(g, v, prog, w, sp->cwd);
		}
	}
}

int bb_guard__shell(bb_guard *g, const char *cmd, const char *cwd, bb_verdict *v, int depth)
{
	splitter sp = { cmd, g, v, cwd, depth, BB_OK, { 0 } };
	bb_buf_init(&sp.vars, 1u << 16);
	split(&sp);
	bb_buf_free(&sp.vars);
	return sp.rc;
}
