/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs, without
 * libFuzzer, so that seed corpora and crash reproducers are checked by every ctest
 * run (tests fuzz.replay.<target>), built with any compiler.
 *
 *   fuzz_replay_<target> DIR|FILE...
 *
 * Each input is read into a buffer of exactly its size (so a sanitizer sees reads
 * past its end). Inputs of a directory run in name order. Exits 1 when no input
 * was found (a corpus that went missing must not pass silently); a failing input
 * aborts with the target's message.
 */
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static size_t n_inputs;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		perror(path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	double t0 = now();
	LLVMFuzzerTestOneInput(buf, n);
	double dt = now() - t0;
	if (dt > 1.0)
		fprintf(stderr, "replay: %s took %.2f s\n", path, dt);
	free(buf);
	n_inputs++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **v = realloc(names, cap * sizeof *v);
			if (!v)
				abort();
			names = v;
		}
		if (asprintf(&names[n++], "%s/%s", dir, e->d_name) < 0)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && run_file(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int rc = 0;
	double t0 = now();
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
		} else if ((S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) < 0) {
			rc = 1;
		}
	}
	printf("replayed %zu inputs in %.2f s\n", n_inputs, now() - t0);
	if (!n_inputs) {
		fprintf(stderr, "replay: no inputs found\n");
		rc = 1;
	}
	return rc;
}
