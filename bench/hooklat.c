/*
 * bench/hooklat.c: hook latency, process start included. Runs a command N times
 * with a payload file on its standard input and prints the median, the 99th
 * percentile and the largest peak RSS of the runs. Timing is wall clock from fork
 * to the end of wait4, as the agent experiences it; the median CPU time of the
 * child (user + system, from wait4) is printed too: on a loaded machine it moves
 * far less than wall time, so compare builds by it.
 *
 *   bb-hooklat RUNS PAYLOAD CMD [ARGS...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bb-hooklat RUNS PAYLOAD CMD [ARGS...]\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	if (runs < 1)
		runs = 1;
	double *t = calloc((size_t)runs, sizeof *t), *cpu = calloc((size_t)runs, sizeof *cpu);
	long max_rss = 0;
	int bad = 0;
	for (int i = -3; i < runs; i++) { /* three warm-up runs */
		int in = open(argv[2], O_RDONLY);
		int devnull = open("/dev/null", O_WRONLY);
		if (in < 0 || devnull < 0) {
			perror(argv[2]);
			return 2;
		}
		double a = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			dup2(in, 0);
			dup2(devnull, 1);
			execvp(argv[3], argv + 3);
			_exit(127);
		}
		int status;
		struct rusage ru;
		wait4(pid, &status, 0, &ru);
		double b = now_ms();
		close(in);
		close(devnull);
		if (i < 0)
			continue;
		t[i] = b - a;
		cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		if (ru.ru_maxrss > max_rss)
			max_rss = ru.ru_maxrss;
		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
			bad++;
	}
	sort_doubles(t, runs);
	sort_doubles(cpu, runs);
	int p99 = (int)((runs - 1) * 0.99 + 0.5);
	printf("p50 %.2f ms  p99 %.2f ms  cpu p50 %.2f ms  peak RSS %.1f MiB  (%d runs%s)\n",
		t[runs / 2], t[p99], cpu[runs / 2], (double)max_rss / 1024, runs,
		bad ? ", SOME FAILED" : "");
	free(t);
	free(cpu);
	return bad ? 1 : 0;
}
