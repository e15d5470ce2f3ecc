/*
 * bench/timing.h: the clock and the sorting the benchmark programs share
 * (header-only: each program is one file).
 */
#ifndef BB_BENCH_TIMING_H
#define BB_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

static inline double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v[0..n) in place. */
static inline void sort_doubles(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
}

#endif
