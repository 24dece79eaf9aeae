/*
 * bench.h -- what the benchmark programs share: a monotonic clock and the
 * median their figures are quoted as.
 */
#ifndef HEAPVIZ_BENCH_H
#define HEAPVIZ_BENCH_H

#include <stdlib.h>
#include <time.h>

/* Nanoseconds on the monotonic clock. */
static inline double
bench_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Seconds on the same clock. */
static inline double
bench_now(void)
{
	return bench_now_ns() / 1e9;
}

/* qsort order of doubles, ascending. */
static inline int
bench_cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorted in place); 0 for none. */
static inline double
bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
