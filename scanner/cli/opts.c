/*
 * opts.c: table-driven option parsing and help (see cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const opt_spec *find_long(const opt_spec *s, const char *name, size_t n)
{
	for (; s->id; s++)
		if (strlen(s->name) == n && !strncmp(s->name, name, n))
			return s;
	return NULL;
}

static const opt_spec *find_short(const opt_spec *s, char c)
{
	for (; s->id; s++)
		if (s->short_name && s->short_name == c)
			return s;
	return NULL;
}

int opts_parse(const opt_spec *specs, int argc, char **argv, opt_handler fn, void *ctx,
	char **pos, int *n_pos)
{
	int only_pos = 0;
	*n_pos = 0;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || !a[1]) {
			pos[(*n_pos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		const opt_spec *o;
		const char *value = NULL;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(specs, a + 2, n);
			if (!o) {
				fprintf(stderr, "blackbar: unknown option '%s' (see --help)\n", cli_arg(a));
				return -1;
			}
			if (eq)
				value = eq + 1;
		} else {
			/* short options as getopt takes them: flags may be grouped (-qv),
			 * and a value may be attached (-j1, -fjson) or follow (-j 1, -qj 1) */
			for (const char *c = a + 1; *c; c++) {
				if (*c == 'h')
					return 1;
				if (!(o = find_short(specs, *c))) {
					fprintf(stderr, "blackbar: unknown option '-%c'%s%s%s (see --help)\n",
						*c, a[2] ? " in '" : "", a[2] ? cli_arg(a) : "", a[2] ? "'" : "");
					return -1;
				}
				if (o->type == OPT_FLAG) {
					if (fn(o->id, NULL, ctx) < 0)
						return -1;
					continue;
				}
				value = c[1] ? c + 1 : NULL;
				break;
			}
			if (o->type == OPT_FLAG)
				continue; /* the whole group was flags */
		}
		if (o->type == OPT_FLAG && value) {
			fprintf(stderr, "blackbar: option '--%s' takes no value\n", o->name);
			return -1;
		}
		if (o->type == OPT_VALUE && !value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "blackbar: option '--%s' needs a value (%s)\n", o->name,
					o->value ? o->value : "VALUE");
				return -1;
			}
			value = argv[++i];
		}
		if (fn(o->id, value, ctx) < 0)
			return -1;
	}
	return 0;
}

void opts_help(FILE *out, const char *usage, const char *about, const opt_spec *specs)
{
	fprintf(out, "Usage: %s\n\n%s\n", usage, about);
	if (!specs || !specs->id)
		return;
	fprintf(out, "\nOptions:\n");
	for (const opt_spec *s = specs; s->id; s++) {
		char left[64];
		int n = snprintf(left, sizeof left, "  %s%c%s--%s%s%s", s->short_name ? "-" : "",
			s->short_name ? s->short_name : ' ', s->short_name ? ", " : "  ", s->name,
			s->type == OPT_VALUE ? " " : "", s->type == OPT_VALUE ? s->value : "");
		if (!s->short_name) /* drop the blank short-option column's stray space */
			n = snprintf(left, sizeof left, "      --%s%s%s", s->name,
				s->type == OPT_VALUE ? " " : "", s->type == OPT_VALUE ? s->value : "");
		fprintf(out, "%s%*s%s\n", left, n < 30 ? 30 - n : 1, "", s->help);
	}
	fprintf(out, "  -h, --help                  show this help\n");
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10), mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (errno || *end || (v && mul > ~0ull / v))
		return -1;
	*out = v * mul;
	return 0;
}

static int token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		(c && strchr("+/=_-", c));
}

const char *cli_arg(const char *v)
{
	static char bufs[4][300];
	static unsigned next;
	char *b = bufs[next++ % 4];
	size_t run = 0;
	int letter = 0, digit = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (!token_char(*p)) {
			run = 0;
			letter = digit = 0;
			continue;
		}
		run++;
		letter |= (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z';
		digit |= *p >= '0' && *p <= '9';
		if (run >= 16 && letter && digit) {
			snprintf(b, 300, "%.4s... (%zu characters, not shown)", v, strlen(v));
			return b;
		}
	}
	snprintf(b, 300, "%s", v);
	return b;
}

void *cli_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : first;
	void *p = c <= SIZE_MAX / size ? realloc(v, c * size) : NULL;
	if (p)
		*cap = c;
	return p;
}

double cli_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int cli_load_rules(bb_ruleset **rs, const bb_ruleset_options *o)
{
	bb_diag d = { { 0 }, { 0 }, { 0 } };
	int rc = bb_ruleset_load(rs, o, &d);
	if (rc < 0)
		fprintf(stderr, "blackbar: %s%s%s%s%s\n", d.file, d.file[0] ? ": " : "", d.id,
			d.id[0] ? ": " : "", d.message[0] ? d.message : bb_strerror(rc));
	return rc;
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t n = 0, cap = 0;
	while (f) {
		if (n + 4096 + 1 > cap) {
			char *t = cap < (256u << 20) ? realloc(s, cap = cap ? cap * 2 : 8192) : NULL;
			if (!t) {
				errno = ENOMEM;
				break;
			}
			s = t;
		}
		size_t got = fread(s + n, 1, cap - n - 1, f);
		n += got;
		if (!got) {
			int ok = !ferror(f);
			fclose(f);
			f = NULL;
			if (!ok)
				break;
			s[n] = '\0';
			if (len)
				*len = n;
			return s;
		}
	}
	if (f)
		fclose(f);
	free(s);
	return NULL;
}
