/*
 * tui-redraw.c -- how long the full-screen view takes to show a command's
 * result, for heaps of 10, 1,000 and 100,000 chunks (a benchmark, not a
 * test).
 *
 * The screen is a real curses screen (newterm, TERM=xterm-256color) whose
 * output goes to /dev/null, at 160x50 and at 80x24.  For each heap size it
 * runs commands that alternate `malloc 24` / `free` on a name and times,
 * each as the median of many runs:
 *
 *   command   session_exec alone (the core's cost, for comparison)
 *   snapshot  snapshot_take alone (the core's walk, O(chunks))
 *   update    snapshot_take + every pane's row index (O(chunks))
 *   draw      every pane redrawn (only the visible rows) + doupdate
 *   step      update + draw: what a user waits for after the command
 *
 * The heap is built with the allocator directly (alloc_malloc/alloc_free
 * through the session's struct alloc) rather than 100,000 commands, so that
 * building it takes a moment, not minutes; every 4th block is freed so the
 * bins hold a quarter of the chunks.  Only "draw" must stay flat as the
 * heap grows; "update" is linear, like the snapshot itself.
 *
 * Usage: tui-redraw [ITERATIONS]   (default 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "session.h"
#include "snapshot.h"
#include "tui-internal.h"

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static struct session *
build(size_t nchunks)
{
	struct session	*s = session_create();
	struct out_buf	 ob;
	void		**p;
	size_t		 i, n = nchunks > 2 ? nchunks - 2 : 1;

	/* A few named blocks, so names show in the panes. */
	out_buf_init(&ob);
	session_exec(s, "malloc 32", &ob.out);
	session_exec(s, "malloc 48", &ob.out);
	out_buf_free(&ob);
	p = calloc(n, sizeof *p);
	for (i = 0; i < n; i++)
		p[i] = alloc_malloc(s->a, 16 + (i % 7) * 8);
	for (i = 0; i < n; i += 4)
		alloc_free(s->a, p[i]);
	free(p);
	return s;
}

static void
run(FILE *out, int cols, int rows, size_t nchunks, int iters)
{
	struct tui_opts	 o = { .color = true, .ascii = false };
	struct tui	 t;
	struct session	*s = build(nchunks);
	struct out_buf	 ob;
	double		*cmd = calloc((size_t)iters, sizeof *cmd);
	double		*upd = calloc((size_t)iters, sizeof *upd);
	double		*drw = calloc((size_t)iters, sizeof *drw);
	double		*stp = calloc((size_t)iters, sizeof *stp);
	double		*snp = calloc((size_t)iters, sizeof *snp);
	struct snapshot	*sn;
	double		 a, b, c, d;
	size_t		 chunks;
	int		 i;

	resizeterm(rows, cols);
	tui_init_view(&t, s, &o);
	tui_set_snapshot(&t, snapshot_take(s));
	tui_draw(&t);
	chunks = t.snap->nchunks;
	out_buf_init(&ob);
	for (i = 0; i < iters; i++) {
		buf_reset(&ob.text);
		buf_reset(&ob.errors);
		a = now();
		session_exec(s, i % 2 == 0 ? "x = malloc 24" : "free x",
		    &ob.out);
		b = now();
		sn = snapshot_take(s);
		d = now();
		tui_set_snapshot(&t, sn);
		c = now();
		snp[i] = d - b;
		t.all_dirty = true;
		tui_draw(&t);
		cmd[i] = b - a;
		upd[i] = c - b;
		drw[i] = now() - c;
		stp[i] = upd[i] + drw[i];
	}
	fprintf(out, "%3dx%-2d %6zu chunks  command %6.3f  snapshot %7.3f  "
	    "update %7.3f  draw %6.3f  step %7.3f ms\n", cols, rows, chunks,
	    median(cmd, iters) * 1e3, median(snp, iters) * 1e3,
	    median(upd, iters) * 1e3, median(drw, iters) * 1e3,
	    median(stp, iters) * 1e3);
	out_buf_free(&ob);
	tui_fini_view(&t);
	session_destroy(s);
	free(cmd);
	free(upd);
	free(drw);
	free(stp);
	free(snp);
}

int
main(int argc, char **argv)
{
	static const size_t	sizes[] = { 10, 1000, 100000 };
	FILE			*nul_out, *nul_in;
	SCREEN			*scr;
	int			 iters = argc > 1 ? atoi(argv[1]) : 200;
	size_t			 k;

	if (iters < 1)
		iters = 1;
	nul_out = fopen("/dev/null", "w");
	nul_in = fopen("/dev/null", "r");
	if (nul_out == NULL || nul_in == NULL) {
		perror("/dev/null");
		return 1;
	}
	setenv("LINES", "50", 1);
	setenv("COLUMNS", "160", 1);
	scr = newterm("xterm-256color", nul_out, nul_in);
	if (scr == NULL) {
		fprintf(stderr, "tui-redraw: no terminfo for xterm-256color\n");
		return 1;
	}
	set_term(scr);
	printf("median of %d runs; screen output to /dev/null\n", iters);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		run(stdout, 160, 50, sizes[k], iters);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		run(stdout, 80, 24, sizes[k], iters);
	endwin();
	delscreen(scr);
	fclose(nul_out);
	fclose(nul_in);
	return 0;
}
