/*
 * tui.c -- the full-screen view: screen setup and teardown, the layout
 * (with the zoom), the main loop and its keys, signals, the "terminal too
 * small" notice, running a command line, and stderr held back while
 * curses owns the screen.  The panes are classes of their own
 * (tui-PANE.c), drawn with tui-draw.c; the result area and the overlay
 * are tui-overlay.c's.
 *
 * The screen, top to bottom:
 *
 *	+-- Heap ------------------+-- Bins ------------+
 *	| strip of the heap        |                    |
 *	| chunks in address order  +-- Lesson (if open) +
 *	+-- Log -------------------+-- Memory map ------+
 *	| sbrk/brk/mmap/munmap     |                    |
 *	+--------------------------+--------------------+
 *	result of the last command (2 or 3 lines)
 *	heapviz> the readline prompt
 *
 * F6 or `zoom` puts one pane on the whole screen; below 60x16 (a large
 * font) the focused pane always has it.
 *
 * Ways out, each restoring the terminal with exactly one endwin():
 * tui_run's own return (quit, Ctrl-D, F10, SIGINT/SIGTERM/SIGHUP through the
 * self-pipe, a fatal error), exit() from anywhere (atexit), and the fatal
 * signals and a sanitizer's death callback, which can only do what is safe
 * in a signal handler: put back the saved termios, leave the alternate
 * screen and copy the held-back stderr out.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>

#include "cmd.h"
#include "compare.h"
#include "engine.h"
#include "history.h"
#include "interp.h"
#include "recording.h"
#include "render.h"
#include "tui.h"
#include "tui-screen.h"
#include "xmalloc.h"

#define MIN_COLS	60
#define MIN_ROWS	16
/* Below MIN_COLS x MIN_ROWS (a large font) one pane fills the screen. */
#define ZOOM_COLS	30
#define ZOOM_ROWS	8

/* ---- State the signal handlers and exit paths need. ---- */

static struct tui		*tui_active;	/* curses is on */
static volatile sig_atomic_t	 tui_sig;	/* a terminating signal */
static volatile sig_atomic_t	 tui_winch;
static int			 tui_pipe[2] = { -1, -1 };
static struct termios		 tui_termios;
static bool			 tui_have_termios;
static char			 tui_exitseq[256];
static size_t			 tui_exitseq_len;
static int			 held_fd = -1;		/* where fd 2 goes */
static int			 saved_stderr = -1;	/* the real stderr */
static bool			 atexit_done;

static const int term_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
    SIGABRT };
static struct sigaction old_term[3], old_fatal[5], old_winch;

extern void __sanitizer_set_death_callback(void (*)(void))
    __attribute__((weak));

static void	tui_teardown(struct tui *);
static void	on_key(struct tui *, int, wint_t);
static void	zoom_request(struct tui *, const char *);
static void	zoom_set(struct tui *, int);

/* ---- stderr held back. ---- */

static void
hold_stderr(void)
{
	FILE	*f;

	fflush(stderr);
	if ((f = tmpfile()) == NULL)
		return;
	held_fd = dup(fileno(f));
	fclose(f);
	if (held_fd == -1)
		return;
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr == -1 || dup2(held_fd, STDERR_FILENO) == -1) {
		close(held_fd);
		held_fd = -1;
		if (saved_stderr != -1)
			close(saved_stderr);
		saved_stderr = -1;
	}
}

/* Async-signal-safe: put fd 2 back and copy out what was held. */
static void
release_stderr(void)
{
	char	b[4096];
	ssize_t	n;

	if (held_fd == -1 || saved_stderr == -1)
		return;
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	if (lseek(held_fd, 0, SEEK_SET) == 0) {
		while ((n = read(held_fd, b, sizeof b)) > 0) {
			if (write(STDERR_FILENO, b, (size_t)n) != n)
				break;
		}
	}
	close(held_fd);
	held_fd = -1;
}

/* ---- Emergency restore: only async-signal-safe calls. ---- */

static void
emergency_restore(void)
{
	if (tui_active == NULL)
		return;
	tui_active = NULL;
	if (tui_exitseq_len > 0 &&
	    write(STDOUT_FILENO, tui_exitseq, tui_exitseq_len) < 0) {
		/* nothing more can be done */
	}
	if (tui_have_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &tui_termios);
	release_stderr();
}

static void
on_fatal_signal(int sig)
{
	emergency_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
on_sanitizer_death(void)
{
	emergency_restore();
}

static void
on_exit_restore(void)
{
	/* exit() while curses is on: from xmalloc, or anywhere else. */
	if (tui_active != NULL)
		tui_teardown(tui_active);
}

static void
on_signal(int sig)
{
	int	saved = errno;

	if (sig == SIGWINCH)
		tui_winch = 1;
	else
		tui_sig = sig;
	if (tui_pipe[1] != -1 && write(tui_pipe[1], "", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void
install_signals(void)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < 3; i++)
		sigaction(term_signals[i], &sa, &old_term[i]);
	sigaction(SIGWINCH, &sa, &old_winch);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[i]);
}

static void
restore_signals(void)
{
	size_t	i;

	for (i = 0; i < 3; i++)
		sigaction(term_signals[i], &old_term[i], NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
}

static void
add_exitseq(const char *cap)
{
	char	*s = tigetstr(cap);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (tui_exitseq_len + n < sizeof tui_exitseq) {
		memcpy(tui_exitseq + tui_exitseq_len, s, n);
		tui_exitseq_len += n;
	}
}

/* ---- Panes. ---- */

/* The panes, in the order F2.. and Tab go through them. */
static const struct tui_pane_class *const pane_classes[PANE_COUNT] = {
	[PANE_HEAP] = &tui_heap_class,
	[PANE_BINS] = &tui_bins_class,
	[PANE_MAP] = &tui_map_class,
	[PANE_LOG] = &tui_log_class,
	[PANE_LESSON] = &tui_lesson_class,
};

static void
pane_update(struct tui *t, int i)
{
	struct tui_pane	*p = &t->pane[i];

	p->cls->update(t, p);
	tui_pane_clamp(p);
	p->dirty = true;
}

static void
pane_draw(struct tui *t, int i)
{
	struct tui_pane	*p = &t->pane[i];

	if (p->win == NULL)
		return;
	tui_pane_clamp(p);
	p->cls->draw(t, p);
}

static bool
pane_key(struct tui *t, int i, int key)
{
	struct tui_pane	*p = &t->pane[i];

	if (p->cls->key != NULL && p->cls->key(t, p, key))
		return true;
	return tui_pane_scroll_key(p, key);
}

/* ---- Layout. ---- */

static void
free_windows(struct tui *t)
{
	int	i;

	for (i = 0; i < PANE_COUNT; i++) {
		if (t->pane[i].win != NULL)
			delwin(t->pane[i].win);
		t->pane[i].win = NULL;
	}
	if (t->result != NULL)
		delwin(t->result);
	if (t->input != NULL)
		delwin(t->input);
	if (t->overlay != NULL)
		delwin(t->overlay);
	t->result = t->input = t->overlay = NULL;
}

static void
place(struct tui *t, int i, int y, int x, int h, int w)
{
	struct tui_pane	*p = &t->pane[i];

	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	p->win = newwin(h, w, y, x);
	p->dirty = true;
}

void
tui_layout(struct tui *t)
{
	int	ph, lw, rw, logh, maph, i;

	t->relayout = false;
	free_windows(t);
	t->rows = LINES;
	t->cols = COLS;
	t->too_small = (t->cols < ZOOM_COLS || t->rows < ZOOM_ROWS);
	t->zoom_forced = (t->cols < MIN_COLS || t->rows < MIN_ROWS);
	t->lesson_shown = (session_lesson(t->s) != NULL);
	if (t->zoom == PANE_LESSON && !t->lesson_shown)
		t->zoom = -1;
	/* The input window exists even when too small: keys are read there. */
	t->input = newwin(1, t->cols, t->rows - 1, 0);
	keypad(t->input, TRUE);
	nodelay(t->input, TRUE);
	t->all_dirty = true;
	if (t->too_small)
		return;

	t->result_h = t->rows >= 40 ? 3 : 2;
	t->result = newwin(t->result_h, t->cols, t->rows - 1 - t->result_h,
	    0);
	ph = t->rows - 1 - t->result_h;

	if (t->zoom >= 0 || t->zoom_forced) {
		if (t->zoom < 0 && t->focus == PANE_LESSON && !t->lesson_shown)
			t->focus = PANE_HEAP;
		place(t, t->zoom >= 0 ? t->zoom : t->focus, 0, 0, ph, t->cols);
		goto overlay;
	}

	/*
	 * Left column: Heap over Log.  Right column: Bins over Memory map.
	 * The Memory map wants about a dozen rows; the Log a third of the
	 * height.
	 */
	lw = t->cols / 2 + 6;
	if (t->cols >= 140)
		lw = t->cols * 3 / 5;
	rw = t->cols - lw;
	logh = ph * 2 / 5;
	if (logh < 6)
		logh = 6;
	maph = ph / 2;
	if (maph > 14)
		maph = 14;
	if (maph < 8)
		maph = 8;
	place(t, PANE_HEAP, 0, 0, ph - logh, lw);
	place(t, PANE_LOG, ph - logh, 0, logh, lw);
	/* A lesson takes the middle of the right column. */
	if (t->lesson_shown) {
		int	lh;

		/* The lesson's narration is what the class reads: it gets
		 * more of the column than the Bins, and the map less. */
		if (ph < 30 && maph > 7)
			maph = 7;
		lh = (ph - maph) * 3 / 5;

		place(t, PANE_BINS, 0, lw, ph - maph - lh, rw);
		place(t, PANE_LESSON, ph - maph - lh, lw, lh, rw);
	} else
		place(t, PANE_BINS, 0, lw, ph - maph, rw);
	place(t, PANE_MAP, ph - maph, lw, maph, rw);
overlay:
	for (i = 0; i < PANE_COUNT; i++) {
		if (t->snap != NULL && t->pane[i].win != NULL &&
		    t->pane[i].cls->rewrap)
			pane_update(t, i);
		tui_pane_clamp(&t->pane[i]);
	}
	if (t->ov_open) {
		int	oh = ph - 2, ow = t->cols - 8;

		if (oh < 6)
			oh = ph;
		if (ow < 40)
			ow = t->cols;
		t->overlay = newwin(oh, ow, (ph - oh) / 2, (t->cols - ow) / 2);
		tui_overlay_wrap(t);
	}
}

/* While `trace` runs a program: its progress on the result line, and
 * Ctrl-C (a key here, raw mode) to stop it; other keys are dropped. */
static void
trace_progress(void *ctx, const char *line)
{
	struct tui	*t = ctx;

	if (line == NULL || t->result == NULL)
		return;
	tui_set_result(t, line, strlen(line), false);
	tui_result_draw(t);
	wnoutrefresh(t->result);
	doupdate();
}

static bool
trace_interrupted(void *ctx)
{
	struct tui	*t = ctx;
	wint_t		 wc;
	bool		 stop = false;

	while (wget_wch(t->input, &wc) != ERR) {
		if (wc == 3)
			stop = true;
	}
	return stop;
}

/* ---- Running a command. ---- */

void
tui_set_snapshot(struct tui *t, struct snapshot *snap)
{
	int	i;

	if (t->snap != NULL) {
		t->prev_brk = t->snap->brk;
		snapshot_free(t->snap);
	} else
		t->prev_brk = snap->brk;
	t->snap = snap;
	t->brk_moved = (snap->brk != t->prev_brk);
	/* While `compare` runs, the Heap pane shows both models' heaps. */
	t->pane[PANE_HEAP].cls = compare_of(t->s) != NULL ?
	    &tui_compare_class : pane_classes[PANE_HEAP];
	t->pane[PANE_HEAP].title = t->pane[PANE_HEAP].cls->title;
	/* Real mode says so where the addresses are. */
	t->pane[PANE_MAP].title = snap->process ?
	    "Memory map (real process)" : t->pane[PANE_MAP].cls->title;
	/* A recording's bins are a model's view of the program, if any. */
	t->pane[PANE_BINS].title = t->pane[PANE_BINS].cls->title;
	if (snap->model_view && snap->model != NULL) {
		snprintf(t->bins_title, sizeof t->bins_title, "Bins: the %s "
		    "model's view", snap->model->short_name);
		t->pane[PANE_BINS].title = t->bins_title;
	} else if (snap->bins_unknown)
		t->pane[PANE_BINS].title = "Bins: not known";
	for (i = 0; i < PANE_COUNT; i++)
		pane_update(t, i);
}

/*
 * The command a line runs, split as the session splits it: its entry
 * (NULL when the line has none, or it is not one command), the word that
 * named it, how many arguments follow and whether `NAME =` stands before
 * it.
 */
struct line_cmd {
	const struct cmd_entry	*e;
	char			 word[41];
	int			 nargs;
	bool			 assigned;
};

static void
line_command(const char *line, struct line_cmd *lc)
{
	char	**argv, err[160];
	int	  argc, skip = 0;

	memset(lc, 0, sizeof *lc);
	if ((argc = cmd_tokenize(line, &argv, err, sizeof err)) <= 0) {
		cmd_free_words(argv, argc < 0 ? 0 : argc);
		return;
	}
	if (argc >= 3 && strcmp(argv[1], "=") == 0) {
		skip = 2;
		lc->assigned = true;
	}
	snprintf(lc->word, sizeof lc->word, "%s", argv[skip]);
	if (argc >= 2 && strcmp(argv[1], "=") == 0 && argc < 3)
		lc->e = NULL;
	else
		lc->e = cmd_find(argv[skip], &out_null);
	lc->nargs = argc - skip - 1;
	cmd_free_words(argv, argc);
}

/*
 * What a line can have changed, for the view: one allocator call (the
 * view follows its decisions), a command that only looks, or anything.
 */
static enum snap_hint
line_hint(const char *line)
{
	struct line_cmd	lc;

	line_command(line, &lc);
	if (lc.e == NULL)
		return SNAP_ANY;
	if (lc.e->flags & CMD_ALLOC)
		return SNAP_ALLOC;
	if ((lc.e->flags & CMD_READONLY) && !lc.assigned)
		return SNAP_VIEW;
	return SNAP_ANY;
}

void
tui_refresh(struct tui *t, const char *line)
{
	tui_set_snapshot(t, snapshot_view(t->s, t->ix, line != NULL ?
	    line_hint(line) : SNAP_ANY));
}

/* step and run: the lesson's output stays out of the way of the panes. */
static bool
is_lesson_command(const struct cmd_entry *e)
{
	return e != NULL && (e->flags & CMD_LESSON);
}

/* The start of the last n lines of s (a final newline does not count). */
static const char *
last_lines(const char *s, size_t len, int n)
{
	size_t	i = len;

	while (i > 0 && s[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (s[i - 1] == '\n' && --n == 0)
			break;
		i--;
	}
	return s + i;
}

/* A command whose output is a page to read: it opens over the panes. */
static bool
is_view_command(const struct cmd_entry *e)
{
	return e != NULL && (e->flags & CMD_PAGE);
}

static size_t
count_lines(const char *s, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	if (n > 0 && s[n - 1] != '\n')
		k++;
	return k;
}

/*
 * The sink a command writes to: the kinds apart (the result line and the
 * overlay want the text alone) and, for F9, everything in the order it
 * was written, so a lesson's narration stands before the command it
 * belongs to, as in plain mode.
 */
struct exec_sink {
	struct out	 out;
	struct out_buf	 ob;
	struct buf	*all;
};

static void
exec_sink_write(void *ctx, enum out_kind k, const char *s, size_t n)
{
	struct exec_sink	*es = ctx;

	buf_add(es->all, s, n);
	out_write(&es->ob.out, k, s, n);
}

static void
tui_exec(struct tui *t, const char *line)
{
	struct exec_sink	 es;
	struct out_buf		*ob = &es.ob;
	enum session_status	 st;
	struct line_cmd		 lc;

	if (line[strspn(line, " \t")] == '\0')
		return;
	line_command(line, &lc);

	memset(&es, 0, sizeof es);
	out_buf_init(&es.ob);
	es.out.write = exec_sink_write;
	es.out.ctx = &es;
	buf_reset(&t->last_out);
	es.all = &t->last_out;
	st = interp_exec(t->s, line, &es.out);
	if (st == SESSION_QUIT) {
		t->quit = true;
		t->status = 0;
		out_buf_free(ob);
		return;
	}
	/* A lesson opened or closed: the layout gains or loses its pane. */
	if ((session_lesson(t->s) != NULL) != t->lesson_shown)
		tui_layout(t);
	if (session_ui_request(t->s)[0] != '\0') {
		zoom_request(t, session_ui_request(t->s));
		session_ui_set_request(t->s, "");
	}
	tui_refresh(t, line);

	if (lc.e != NULL && (lc.e->flags & CMD_HELP) &&
	    lc.nargs == 0 && ob->errors.len == 0)
		tui_help_open(t, ob->text.s != NULL ? ob->text.s : "", ob->text.len);
	else if (ob->text.len > 0 && !is_lesson_command(lc.e) &&
	    (is_view_command(lc.e) || count_lines(ob->text.s, ob->text.len) >
	    8))
		tui_open_overlay(t, lc.word, ob->text.s, ob->text.len);
	if (ob->errors.len > 0) {
		struct buf	b;

		buf_init(&b);
		buf_add(&b, ob->errors.s, ob->errors.len);
		if (ob->text.len > 0) {
			if (b.s[b.len - 1] != '\n')
				buf_addc(&b, '\n');
			buf_add(&b, ob->text.s, ob->text.len);
		}
		tui_set_result(t, b.s, b.len, true);
		buf_free(&b);
	} else if (ob->text.len > 0 && is_lesson_command(lc.e)) {
		/*
		 * A lesson's steps: the panes show them.  step says which
		 * line ran and what it did (its first lines); run, where it
		 * stopped (its last).  F9 has the rest.
		 */
		const char	*from = ob->text.s;

		if (lc.e->flags & CMD_TAIL)
			from = last_lines(ob->text.s, ob->text.len, t->result_h);
		tui_set_result(t, from, ob->text.len - (size_t)(from -
		    ob->text.s), false);
	} else if (ob->text.len > 0)
		tui_set_result(t, ob->text.s, ob->text.len, false);
	else
		tui_set_result(t, st == SESSION_OK ? "ok" : "failed", 2 +
		    (st != SESSION_OK) * 4, st != SESSION_OK);
	/* F9 shows the whole output later (t->last_out, filled above). */
	snprintf(t->last_title, sizeof t->last_title, "%s", lc.word);
	out_buf_free(ob);
}

/* ---- Focus, keys, drawing. ---- */

/* Whether the layout has pane i (Lesson only while a lesson is open). */
static bool
pane_exists(struct tui *t, int i)
{
	return i != PANE_LESSON || t->lesson_shown;
}

void
tui_focus_set(struct tui *t, int i)
{
	if (!pane_exists(t, i))
		return;
	t->pane[t->focus].dirty = true;
	t->focus = i;
	t->pane[t->focus].dirty = true;
	/* Zoomed, the zoom follows the focus. */
	if (t->zoom >= 0 && t->zoom != i) {
		t->zoom = i;
		tui_layout(t);
	} else if (t->zoom_forced)
		tui_layout(t);
}

void
tui_focus(struct tui *t, int delta)
{
	int	i = t->focus;

	do
		i = (i + delta + PANE_COUNT) % PANE_COUNT;
	while (!pane_exists(t, i) && i != t->focus);
	tui_focus_set(t, i);
}

/* Pane i on the whole screen (-1: every pane again). */
static void
zoom_set(struct tui *t, int i)
{
	if (i >= 0 && !pane_exists(t, i))
		return;
	t->zoom = i;
	if (i >= 0)
		t->focus = i;
	tui_layout(t);
}

/* What `zoom` asked for (the session carries it: commands never touch
 * curses). */
static void
zoom_request(struct tui *t, const char *req)
{
	int	i;

	if (strcmp(req, "zoom") == 0) {
		zoom_set(t, t->zoom >= 0 ? -1 : t->focus);
		return;
	}
	if (strcmp(req, "zoom off") == 0) {
		zoom_set(t, -1);
		return;
	}
	for (i = 0; i < PANE_COUNT; i++)
		if (strcmp(req + 5, t->pane[i].cls->name) == 0)
			zoom_set(t, i);
}

void
tui_redraw_all(struct tui *t)
{
	t->all_dirty = true;
	clearok(curscr, TRUE);
}

static void
draw_too_small(struct tui *t)
{
	static const char msg[] = "terminal too small";
	char	size[64];
	int	y = t->rows / 2 - 1;

	werase(stdscr);
	if (y < 0)
		y = 0;
	wattrset(stdscr, tui_attr(t, TS_ERROR));
	mvwaddnstr(stdscr, y, t->cols > (int)sizeof msg - 1 ?
	    (t->cols - (int)sizeof msg + 1) / 2 : 0, msg, t->cols);
	wattrset(stdscr, A_NORMAL);
	snprintf(size, sizeof size, "%dx%d, need %dx%d", t->cols, t->rows,
	    MIN_COLS, MIN_ROWS);
	if (y + 1 < t->rows)
		mvwaddnstr(stdscr, y + 1, t->cols > (int)strlen(size) ?
		    (t->cols - (int)strlen(size)) / 2 : 0, size, t->cols);
	wnoutrefresh(stdscr);
}

void
tui_draw(struct tui *t)
{
	int	i;

	if (t->relayout)
		tui_layout(t);
	if (t->too_small) {
		curs_set(0);
		draw_too_small(t);
		doupdate();
		return;
	}
	if (t->all_dirty) {
		for (i = 0; i < PANE_COUNT; i++)
			t->pane[i].dirty = true;
		t->result_dirty = true;
		t->all_dirty = false;
	}
	for (i = 0; i < PANE_COUNT; i++) {
		if (t->pane[i].win == NULL)
			continue;
		if (t->pane[i].dirty) {
			pane_draw(t, i);
			t->pane[i].dirty = false;
		}
		wnoutrefresh(t->pane[i].win);
	}
	if (t->result_dirty) {
		tui_result_draw(t);
		t->result_dirty = false;
	}
	wnoutrefresh(t->result);
	if (t->ov_open && t->overlay != NULL) {
		tui_overlay_draw(t);
		touchwin(t->overlay);
		wnoutrefresh(t->overlay);
	}
	tui_input_draw(t);
	wnoutrefresh(t->input);
	curs_set(1);
	doupdate();
}

/*
 * Esc at the prompt.  A terminal sends Alt-b as Esc then b at once:
 * readline takes that pair as Meta-b.  An Esc alone (the overlays taught
 * students to press it) would make readline take the next key, seconds
 * later, as Meta-that-key and eat it: it is dropped (on an empty line
 * it undoes a zoom).  In Ctrl-R's search it ends the search, as readline
 * has it.
 */
static void
esc_key(struct tui *t)
{
	wint_t	next;
	int	ret;

	if (tui_input_searching()) {
		tui_input_key(t, OK, 27);	/* ends Ctrl-R's search */
		return;
	}
	ret = wget_wch(t->input, &next);
	if (ret == ERR) {
		/* On an empty line it also undoes a zoom: the way back. */
		if (t->zoom >= 0 && tui_input_empty())
			zoom_set(t, -1);
		return;
	}
	if (ret == OK && next != 27) {
		tui_input_key(t, OK, 27);
		tui_input_key(t, OK, next);
		return;
	}
	on_key(t, ret, next);
}

static void
on_key(struct tui *t, int ret, wint_t wc)
{
	int	key = ret == KEY_CODE_YES ? (int)wc : -1;

	if (key == KEY_RESIZE) {
		tui_layout(t);
		return;
	}
	if (t->ov_open) {
		if (key != -1 && tui_overlay_key(t, key))
			return;
		if (ret == OK && wc == 12) {	/* Ctrl-L */
			tui_redraw_all(t);
			return;
		}
		tui_overlay_close(t);
		if (key == KEY_F(1) || key == KEY_F(9) || key == KEY_ENTER ||
		    (ret == OK && (wc == 27 || wc == '\r' || wc == '\n' ||
		    wc == 'q' || wc == 3)))
			return;
	}
	if (key != -1) {
		switch (key) {
		case KEY_F(1):
			tui_help_overlay(t);
			return;
		case KEY_F(2):
		case KEY_F(3):
		case KEY_F(4):
		case KEY_F(5):
			tui_focus_set(t, key - KEY_F(2));
			return;
		case KEY_F(6):
			zoom_set(t, t->zoom >= 0 ? -1 : t->focus);
			return;
		case KEY_F(9):
			if (t->last_out.len > 0)
				tui_open_overlay(t, t->last_title,
				    t->last_out.s, t->last_out.len);
			return;
		case KEY_F(10):
			t->quit = true;
			t->status = 0;
			return;
		case KEY_BTAB:
			tui_focus(t, -1);
			return;
		case KEY_PPAGE:
		case KEY_NPAGE:
			pane_key(t, t->focus, key);
			return;
		case KEY_UP:
		case KEY_DOWN:
		case KEY_HOME:
		case KEY_END:
			if (tui_input_empty()) {
				pane_key(t, t->focus, key);
				return;
			}
			break;
		}
	} else {
		switch (wc) {
		case '\t':
			if (tui_input_empty()) {
				tui_focus(t, 1);
				return;
			}
			break;
		case 4:		/* Ctrl-D: quits on an empty line */
			if (tui_input_empty()) {
				t->quit = true;
				t->status = 0;
				return;
			}
			break;
		case 3:		/* Ctrl-C */
			tui_input_cancel(t);
			return;
		case ' ':
		case 'n':	/* a lesson's next step, on an empty line */
			/* Space also after `back`: the step ahead, again. */
			if (tui_input_empty() &&
			    (session_lesson(t->s) != NULL || (wc == ' ' &&
			    !(session_engine(t->s)->caps & ENGINE_RECORDED) &&
			    history_position(t->s) < history_length(t->s)))) {
				tui_exec(t, "step");
				return;
			}
			/* A recording: Space and n step through it. */
			if (tui_input_empty() && (session_engine(t->s)->caps &
			    ENGINE_RECORDED) &&
			    history_position(t->s) < history_length(t->s)) {
				tui_exec(t, "forward");
				return;
			}
			break;
		case 12:	/* Ctrl-L */
			tui_redraw_all(t);
			return;
		case 27:
			esc_key(t);
			return;
		case 26:	/* Ctrl-Z: curses' own SIGTSTP handler */
			raise(SIGTSTP);
			tui_redraw_all(t);
			return;
		}
	}
	tui_input_key(t, ret, wc);
}

/* ---- Setup and teardown. ---- */

void
tui_init_view(struct tui *t, struct session *s, const struct tui_opts *o)
{
	int	i;

	memset(t, 0, sizeof *t);
	t->s = s;
	t->opts = *o;
	t->prompt = o->prompt != NULL ? o->prompt : "heapviz> ";
	buf_init(&t->result_text);
	buf_init(&t->ov_text);
	buf_init(&t->last_out);
	for (i = 0; i < PANE_COUNT; i++) {
		t->pane[i].cls = pane_classes[i];
		t->pane[i].title = pane_classes[i]->title;
	}
	t->pane[PANE_LOG].follow = true;
	t->focus = PANE_HEAP;
	t->zoom = -1;
	session_ui_set_panes(s, true);
	t->ix = snap_index_create();
	t->ascii = o->ascii;
	if (!t->ascii) {
		const char *cs = nl_langinfo(CODESET);

		t->ascii = (cs == NULL || strcmp(cs, "UTF-8") != 0);
	}
	tui_styles_init(t);
	tui_layout(t);
}

void
tui_fini_view(struct tui *t)
{
	int	i;

	free_windows(t);
	session_ui_set_panes(t->s, false);
	session_ui_set_request(t->s, "");
	for (i = 0; i < PANE_COUNT; i++)
		tui_pane_free(&t->pane[i]);
	if (t->snap != NULL)
		snapshot_free(t->snap);
	t->snap = NULL;
	snap_index_free(t->ix);
	t->ix = NULL;
	buf_free(&t->result_text);
	buf_free(&t->ov_text);
	buf_free(&t->last_out);
	free(t->ov_lines);
	t->ov_lines = NULL;
	free(t->res_rows);
	t->res_rows = NULL;
}

static SCREEN	*tui_screen;

static void
tui_teardown(struct tui *t)
{
	if (tui_active == NULL)
		return;
	recording_set_feedback(NULL);
	tui_input_fini(t);
	tui_fini_view(t);
	endwin();		/* the one endwin() */
	tui_active = NULL;
	if (tui_screen != NULL)
		delscreen(tui_screen);
	tui_screen = NULL;
	restore_signals();
	release_stderr();
	if (tui_pipe[0] != -1) {
		close(tui_pipe[0]);
		close(tui_pipe[1]);
		tui_pipe[0] = tui_pipe[1] = -1;
	}
}

static void
check_resize(void)
{
	struct winsize	ws;

	tui_winch = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);	/* queues KEY_RESIZE */
}

/* A terminal curses can draw panes on: known, with cursor addressing. */
static bool
usable_terminal(void)
{
	const char	*term = getenv("TERM");
	char		*cup;
	int		 err = 0;
	bool		 ok;

	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "heapviz: cannot use terminal type %s\n",
		    term != NULL ? term : "(unset)");
		return false;
	}
	cup = tigetstr("cup");
	ok = (cup != NULL && cup != (char *)-1);
	del_curterm(cur_term);
	if (!ok)
		fprintf(stderr, "heapviz: terminal type %s cannot move the "
		    "cursor: no full-screen view\n", term != NULL ? term :
		    "(unset)");
	return ok;
}

int
tui_run(struct session *s, const struct tui_opts *o)
{
	struct tui	 tbuf, *t = &tbuf;
	const char	*loc;
	int		 i, fl, status;
	char		 fatal[256] = "";

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "heapviz: the full-screen view needs a "
		    "terminal\n");
		return TUI_UNAVAILABLE;
	}
	loc = setlocale(LC_CTYPE, NULL);
	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		setlocale(LC_CTYPE, "");
	tui_have_termios = (tcgetattr(STDIN_FILENO, &tui_termios) == 0);

	if (!usable_terminal())
		return TUI_UNAVAILABLE;
	if (pipe(tui_pipe) == -1) {
		fprintf(stderr, "heapviz: pipe: %s\n", strerror(errno));
		return TUI_UNAVAILABLE;
	}
	for (i = 0; i < 2; i++) {
		fl = fcntl(tui_pipe[i], F_GETFL);
		fcntl(tui_pipe[i], F_SETFL, fl | O_NONBLOCK);
		fcntl(tui_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	tui_sig = 0;
	tui_winch = 0;
	/* Before newterm, so curses leaves these signals to us. */
	install_signals();

	fflush(stdout);
	tui_screen = newterm(NULL, stdout, stdin);
	if (tui_screen == NULL) {
		restore_signals();
		close(tui_pipe[0]);
		close(tui_pipe[1]);
		tui_pipe[0] = tui_pipe[1] = -1;
		fprintf(stderr, "heapviz: cannot use terminal type %s\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return TUI_UNAVAILABLE;
	}
	set_term(tui_screen);
	tui_exitseq_len = 0;
	add_exitseq("sgr0");
	add_exitseq("cnorm");
	add_exitseq("rmkx");
	add_exitseq("rmcup");
	tui_active = t;
	if (!atexit_done) {
		atexit(on_exit_restore);
		atexit_done = true;
	}
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(on_sanitizer_death);
	hold_stderr();

	raw();
	noecho();
	nonl();
	set_escdelay(25);
	/* Home and End as other terminals (tmux, rxvt, the Linux console)
	 * send them, whatever terminfo says. */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[H", KEY_HOME);
	define_key("\033OH", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	define_key("\033OF", KEY_END);
	intrflush(stdscr, FALSE);

	tui_init_view(t, s, o);
	tui_input_init(t, tui_exec);
	{
		struct recording_feedback	fb = {
			.progress = trace_progress,
			.interrupted = trace_interrupted,
			.ctx = t,
		};

		recording_set_feedback(&fb);
	}
	tui_refresh(t, NULL);
	{
		static const char hello[] = "F1 or `help` for help; type a "
		    "command, e.g. malloc 32";
		static const char hello_rec[] = "F1 or `help` for help; "
		    "goto N or back, then Space or n steps forward through the "
		    "recording";

		/* A recording (--trace) runs nothing: say how to move. */
		if (session_engine(s)->caps & ENGINE_RECORDED)
			tui_set_result(t, hello_rec, sizeof hello_rec - 1,
			    false);
		else
			tui_set_result(t, hello, sizeof hello - 1, false);
	}

	while (!t->quit && tui_sig == 0) {
		struct pollfd	pf[2];
		int		r, ret;
		wint_t		wc;
		char		drain[64];

		tui_draw(t);
		pf[0].fd = STDIN_FILENO;
		pf[0].events = POLLIN;
		pf[1].fd = tui_pipe[0];
		pf[1].events = POLLIN;
		r = poll(pf, 2, -1);
		if (r == -1 && errno != EINTR) {
			snprintf(fatal, sizeof fatal, "heapviz: poll: %s",
			    strerror(errno));
			t->status = 1;
			break;
		}
		if (r > 0 && (pf[1].revents & POLLIN))
			while (read(tui_pipe[0], drain, sizeof drain) > 0)
				;
		if (tui_sig != 0)
			break;
		if (tui_winch)
			check_resize();
		if (r > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(pf[0].revents & POLLIN)) {
			/* The terminal went away. */
			tui_sig = SIGHUP;
			break;
		}
		while (!t->quit && tui_sig == 0 &&
		    (ret = wget_wch(t->input, &wc)) != ERR)
			on_key(t, ret, wc);
	}
	status = tui_sig != 0 ? 128 + tui_sig : t->status;
	tui_teardown(t);
	if (fatal[0] != '\0')
		fprintf(stderr, "%s\n", fatal);
	return status;
}
