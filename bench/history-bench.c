/*
 * history-bench.c -- how fast time travel is, and what it keeps.
 *
 * Builds a session of N commands (default 100,000: mallocs, frees and
 * reallocs over 512 names, as text through interp_exec), then times
 * `goto` to steps spread over the whole history, in a shuffled order, and
 * back/forward, and reports the bytes the history keeps per step.
 * A benchmark: it prints figures, it checks nothing.
 *
 *	history-bench [STEPS [JUMPS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "interp.h"
#include "session.h"
#include "bench.h"

static unsigned long	seed = 88172645463325252UL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static long
rss_kib(void)
{
	char	line[256];
	long	kib = -1;
	FILE	*f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	size_t		 steps = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t		 jumps = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
	struct session	*s = session_create();
	double		 t0, build, *t = calloc(jumps, sizeof *t);
	char		 line[64];
	size_t		 i, len;

	t0 = bench_now();
	while (history_length(s) < steps) {
		unsigned	id = rnd(512);

		switch (rnd(3)) {
		case 0:
			snprintf(line, sizeof line, "b%u = malloc %u", id,
			    8 + rnd(2000));
			break;
		case 1:
			snprintf(line, sizeof line, "free b%u", id);
			break;
		default:
			snprintf(line, sizeof line, "realloc b%u %u", id,
			    8 + rnd(3000));
			break;
		}
		interp_exec(s, line, &out_null);
	}
	build = bench_now() - t0;
	len = history_length(s);
	for (i = 0; i < jumps; i++) {
		size_t	to = i == 0 ? 0 : i == 1 ? len : rnd((unsigned)len + 1);

		t0 = bench_now();
		history_goto(s, to, &out_null);
		t[i] = bench_now() - t0;
	}
	qsort(t, jumps, sizeof *t, bench_cmp_double);
	printf("history-bench: %zu steps built in %.2f s (%.0f steps/s)\n",
	    len, build, (double)len / build);
	printf("goto across the history, %zu jumps: median %.2f ms, "
	    "90th percentile %.2f ms, max %.2f ms\n", jumps,
	    t[jumps / 2] * 1e3, t[jumps * 9 / 10] * 1e3, t[jumps - 1] * 1e3);
	history_goto(s, len / 2, &out_null);
	t0 = bench_now();
	for (i = 0; i < 1000; i++)
		history_goto(s, len / 2 - (i % 2), &out_null);
	printf("back/forward around the middle: %.3f ms each\n",
	    (bench_now() - t0) * 1e3 / 1000);
	printf("history keeps %zu bytes: %.1f bytes per step (%zu "
	    "checkpoints); process RSS %ld KiB\n", history_bytes(s),
	    (double)history_bytes(s) / (double)len, history_checkpoints(s),
	    rss_kib());
	free(t);
	session_destroy(s);
	return 0;
}
