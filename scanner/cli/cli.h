/*
 * The blackbar command-line tool. It uses only the engine's public header.
 *
 * Each subcommand declares a static table of opt_spec rows; the same rows drive
 * argument parsing and the --help text, so an option cannot exist without help.
 * Exit codes: 0 nothing found, 1 findings, 2 error (usage, bad signatures, I/O).
 */
#ifndef BB_CLI_H
#define BB_CLI_H

#include <stdio.h>

#include "blackbar/blackbar.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

/* ---- opts.c ------------------------------------------------------------------- */

typedef enum opt_type {
	OPT_FLAG,   /* no value */
	OPT_VALUE   /* one value: --name VALUE, --name=VALUE, -x VALUE */
} opt_type;

typedef struct opt_spec {
	int id;               /* handed to the handler; 0 ends the table */
	const char *name;     /* long name without "--" */
	char short_name;      /* 0: none */
	opt_type type;
	const char *value;    /* value placeholder shown in help ("N", "FILE") */
	const char *help;
} opt_spec;

/* Called for each option; returns 0, or prints an error and returns -1. */
typedef int (*opt_handler)(int id, const char *value, void *ctx);

/* Parses argv[0..argc) (argv[0] is the first argument, not the command). Options
 * and positionals may mix; "--" ends options; "-" is a positional. Positionals are
 * collected in order into pos (caller provides argc slots). Returns 0, or -1 after
 * printing an error naming the option. "--help"/"-h" return 1. */
int opts_parse(const opt_spec *specs, int argc, char **argv, opt_handler fn, void *ctx,
	char **pos, int *n_pos);
void opts_help(FILE *out, const char *usage, const char *about, const opt_spec *specs);

/* Parses "10M", "512k", "1G", "12345" into bytes. -1 if invalid. */
int parse_size(const char *s, unsigned long long *out);
/* An argument as error messages may quote it: one that holds a token-like run (16 or
 * more letters, digits and +/=_- with both letters and digits: someone pasted a
 * secret where an option value belongs) is cut to its first 4 characters and "...".
 * Returns one of 4 static buffers in turn (up to 4 per message; not thread-safe). */
const char *cli_arg(const char *v);
/* Parses a non-negative integer no larger than max. -1 if invalid. */
int parse_uint(const char *s, unsigned long max, unsigned long *out);
/* Room for one more element in the array v of n elements of `size` bytes and
 * capacity *cap (doubling, `first` from empty): the array, or NULL when out of
 * memory with v and *cap unchanged. (The engine has its own, internal one.) */
void *cli_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);
/* Seconds on the monotonic clock, for timings. */
double cli_now(void);
/* The whole file, NUL-terminated (malloc'd; length in *len when len is not NULL),
 * or NULL with errno set. At most 256 MiB. */
char *cli_read_file(const char *path, size_t *len);
/* bb_ruleset_load, its error (file, signature id, reason) printed on stderr. */
int cli_load_rules(bb_ruleset **rs, const bb_ruleset_options *o);

/* ---- term.c ------------------------------------------------------------------- */

/* Colour decision for a stream: "--color" mode auto|always|never, NO_COLOR, TTY. */
int term_use_color(FILE *f, const char *mode);
/* A copy of s with invalid UTF-8 replaced by U+FFFD (for JSON output). */
char *utf8_clean(const char *s, size_t n);

/* ---- commands ------------------------------------------------------------------- */

int cmd_scan(int argc, char **argv);
int cmd_signatures(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_install(int argc, char **argv, int uninstall);
int cmd_bench(int argc, char **argv);

#endif
