/*
 * bench/startup.c: what blackbar's signature set costs to get ready, in-process:
 * a cold compile (no cache) and warm starts (from the cache), plus creating a
 * scanner and the first scan of a small buffer. Prints medians of N runs.
 *
 *   bb-startup [RUNS]        (cache in a fresh temporary directory)
 *   bb-startup --first DIR   one warm start from the cache in DIR, in this fresh
 *                            process: what the agent hook pays (first-touch page
 *                            faults included); run it in a loop for a distribution
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blackbar/blackbar.h"

#include "timing.h"

static double median(double *v, int n)
{
	sort_doubles(v, n);
	return v[n / 2];
}

static int on_finding(const bb_finding *f, void *p)
{
	(void)f;
	++*(int *)p;
	return 0;
}

/* One load from DIR's cache, a scanner, a 16 KiB scan; times in microseconds. */
static int first(const char *dir)
{
	bb_ruleset_options o = { .cache_dir = dir };
	bb_diag d;
	bb_ruleset *rs;
	bb_scanner *s;
	static char text[16384];
	int found = 0;
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "int main(void) { return 0; }\n"[i % 29];
	double a = now_ms();
	if (bb_ruleset_load(&rs, &o, &d) < 0 || !bb_ruleset_from_cache(rs))
		return 2;
	double b = now_ms();
	if (bb_scanner_new(&s, rs, NULL, NULL) < 0)
		return 2;
	double c = now_ms();
	bb_scanner_scan_buffer(s, text, sizeof text, "app.c", on_finding, &found);
	double e = now_ms();
	printf("load %.0f us  scanner %.0f us  scan 16 KiB %.0f us\n", (b - a) * 1e3,
		(c - b) * 1e3, (e - c) * 1e3);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--first"))
		return first(argv[2]);
	int runs = argc > 1 ? atoi(argv[1]) : 50;
	if (runs < 1)
		runs = 1;
	char dir[] = "/tmp/bb-startup-XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	bb_ruleset_options o = { .cache_dir = dir };
	bb_diag d;
	bb_ruleset *rs;
	double t0 = now_ms();
	if (bb_ruleset_load(&rs, &o, &d) < 0) {
		fprintf(stderr, "load: %s: %s: %s\n", d.file, d.id, d.message);
		return 2;
	}
	double cold = now_ms() - t0;
	size_t n = bb_ruleset_count(rs);
	bb_ruleset_free(rs);
	double *load = calloc((size_t)runs, sizeof *load), *mk = calloc((size_t)runs, sizeof *mk),
		*scan = calloc((size_t)runs, sizeof *scan);
	const char text[] = "def handler(event):\n    return {\"status\": 200}\n";
	for (int i = 0; i < runs; i++) {
		bb_scanner *s;
		int found = 0;
		double a = now_ms();
		if (bb_ruleset_load(&rs, &o, &d) < 0 || !bb_ruleset_from_cache(rs))
			return 2;
		double b = now_ms();
		bb_scanner_new(&s, rs, NULL, NULL);
		double c = now_ms();
		bb_scanner_scan_buffer(s, text, sizeof text - 1, "app.py", on_finding, &found);
		double e = now_ms();
		load[i] = b - a;
		mk[i] = c - b;
		scan[i] = e - c;
		bb_scanner_free(s);
		bb_ruleset_free(rs);
	}
	printf("signatures: %zu\n", n);
	printf("cold compile (no cache): %.1f ms\n", cold);
	printf("warm load from cache: %.3f ms (median of %d)\n", median(load, runs), runs);
	printf("scanner creation: %.3f ms\n", median(mk, runs));
	printf("first scan of a small buffer: %.3f ms\n", median(scan, runs));
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return 0;
}
