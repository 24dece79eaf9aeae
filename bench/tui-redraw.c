/*
 * tui-redraw.c -- how long the full-screen view takes to show a command's
 * result, for heaps of 10, 1,000 and 100,000 chunks (a benchmark, not a
 * test).
 *
 * The screen is a real curses screen (newterm, TERM=xterm-256color) whose
 * output goes to /dev/null, at 160x50 and at 80x24.  For each heap size it
 * runs commands that alternate `x = malloc 24` / `free x` and times, each
 * as the median of many runs:
 *
 *   command   interp_exec alone (the core's cost, for comparison)
 *   full      snapshot_take alone: the whole walk, bins and checker that
 *             `state --json` and the text views pay (O(chunks)); the full
 *             screen no longer takes it
 *   update    what the full screen does after the command (tui_refresh):
 *             snapshot_view, which follows the step in the view's index,
 *             and every pane's update
 *   draw      every pane redrawn (only the visible rows, read from the
 *             heap as drawn) + doupdate
 *   step      update + draw: what a user waits for after the command
 *
 * and last, the step for each size side by side at each screen size, with
 * the ratio of the biggest heap's to the smallest's and to the 1,000-chunk
 * one's (1.0: flat).  Ten chunks fill only a few rows of each pane, so
 * that screen has less to draw than the others at any heap size; from
 * 1,000 chunks on every row is full and the screens draw the same.
 *
 * The heap is built with the allocator directly (alloc_malloc/alloc_free
 * through the session's struct alloc) rather than 100,000 commands, so that
 * building it takes a moment, not minutes; every 4th block is freed so the
 * bins hold a quarter of the chunks.  The first view walks it whole (as
 * after any command that is not one allocator call); the timed steps are
 * allocator calls, which the view follows piecemeal.
 *
 * Usage: tui-redraw [ITERATIONS]   (default 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "session.h"
#include "interp.h"
#include "snapshot.h"
#include "tui-screen.h"
#include "bench.h"

static struct session *
build(size_t nchunks)
{
	struct session	*s = session_create();
	struct out_buf	 ob;
	void		**p;
	size_t		 i, n = nchunks > 2 ? nchunks - 2 : 1;

	/* A few named blocks, so names show in the panes. */
	out_buf_init(&ob);
	interp_exec(s, "malloc 32", &ob.out);
	interp_exec(s, "malloc 48", &ob.out);
	out_buf_free(&ob);
	p = calloc(n, sizeof *p);
	for (i = 0; i < n; i++)
		p[i] = session_model(s)->ops->malloc(session_model(s),
		    16 + (i % 7) * 8);
	for (i = 0; i < n; i += 4)
		session_model(s)->ops->free(session_model(s), p[i]);
	free(p);
	return s;
}

static double
run(FILE *out, int cols, int rows, size_t nchunks, int iters, size_t *chunks)
{
	struct tui_opts	 o = { .color = true, .ascii = false };
	struct tui	 t;
	struct session	*s = build(nchunks);
	struct out_buf	 ob;
	double		*cmd = calloc((size_t)iters, sizeof *cmd);
	double		*upd = calloc((size_t)iters, sizeof *upd);
	double		*drw = calloc((size_t)iters, sizeof *drw);
	double		*stp = calloc((size_t)iters, sizeof *stp);
	double		*full = calloc((size_t)iters, sizeof *full);
	double		 a, b, c, step;
	int		 i;

	resizeterm(rows, cols);
	tui_init_view(&t, s, &o);
	tui_refresh(&t, NULL);
	tui_draw(&t);
	*chunks = snapshot_view_count(t.snap);
	out_buf_init(&ob);
	for (i = 0; i < iters; i++) {
		const char	*line = i % 2 == 0 ? "x = malloc 24" : "free x";

		buf_reset(&ob.text);
		buf_reset(&ob.errors);
		a = bench_now();
		interp_exec(s, line, &ob.out);
		b = bench_now();
		tui_refresh(&t, line);
		c = bench_now();
		t.all_dirty = true;
		tui_draw(&t);
		cmd[i] = b - a;
		upd[i] = c - b;
		drw[i] = bench_now() - c;
		stp[i] = upd[i] + drw[i];
	}
	/* Apart: a whole walk between the steps would leave the caches cold
	 * for the next one, and time that instead of the step. */
	for (i = 0; i < iters; i++) {
		struct snapshot	*sn;

		a = bench_now();
		sn = snapshot_take(s);
		full[i] = bench_now() - a;
		snapshot_free(sn);
	}
	step = bench_median(stp, (size_t)iters) * 1e3;
	fprintf(out, "%3dx%-2d %6zu chunks  command %6.3f  full %7.3f  "
	    "update %6.3f  draw %6.3f  step %6.3f ms\n", cols, rows, *chunks,
	    bench_median(cmd, (size_t)iters) * 1e3, bench_median(full, (size_t)iters) * 1e3,
	    bench_median(upd, (size_t)iters) * 1e3, bench_median(drw, (size_t)iters) * 1e3, step);
	out_buf_free(&ob);
	tui_fini_view(&t);
	session_destroy(s);
	free(cmd);
	free(upd);
	free(drw);
	free(stp);
	free(full);
	return step;
}

int
main(int argc, char **argv)
{
	static const size_t	sizes[] = { 10, 1000, 100000 };
	static const int	screens[][2] = { { 160, 50 }, { 80, 24 } };
	enum { NSIZES = sizeof sizes / sizeof sizes[0] };
	double			step[2][NSIZES];
	size_t			chunks[NSIZES];
	FILE			*nul_out, *nul_in;
	SCREEN			*scr;
	int			 iters = argc > 1 ? atoi(argv[1]) : 200;
	size_t			 k, sc;

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
	for (sc = 0; sc < 2; sc++)
		for (k = 0; k < NSIZES; k++)
			step[sc][k] = run(stdout, screens[sc][0],
			    screens[sc][1], sizes[k], iters, &chunks[k]);
	printf("\nstep after a command (update + draw), median ms, by heap "
	    "size:\n");
	printf("%-7s", "screen");
	for (k = 0; k < NSIZES; k++)
		printf(" %7zu ch", chunks[k]);
	printf("  %zu/%zu  %zu/%zu\n", chunks[NSIZES - 1], chunks[0],
	    chunks[NSIZES - 1], chunks[1]);
	for (sc = 0; sc < 2; sc++) {
		printf("%3dx%-3d", screens[sc][0], screens[sc][1]);
		for (k = 0; k < NSIZES; k++)
			printf(" %10.3f", step[sc][k]);
		printf("  %9.2fx %10.2fx\n", step[sc][NSIZES - 1] /
		    step[sc][0], step[sc][NSIZES - 1] / step[sc][1]);
	}
	printf("(the smallest heap fills a few rows of each pane, the others "
	    "every row:\n it draws less, whatever the design)\n");
	endwin();
	delscreen(scr);
	fclose(nul_out);
	fclose(nul_in);
	return 0;
}
