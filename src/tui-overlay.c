/*
 * tui-overlay.c -- the full screen's text areas: the result of the last
 * command under the panes, and the overlay on top of them that shows help
 * (F1), a view's or the last command's whole output (F9), wrapped at
 * words to its width and scrolled by the arrows and the page keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "interp.h"
#include "tui-overlay.h"

void
tui_set_result(struct tui *t, const char *s, size_t n, bool error)
{
	buf_reset(&t->result_text);
	buf_add(&t->result_text, s, n);
	while (t->result_text.len > 0 &&
	    t->result_text.s[t->result_text.len - 1] == '\n')
		t->result_text.s[--t->result_text.len] = '\0';
	t->result_error = error;
	t->result_dirty = true;
}

/*
 * The result area: the last command's output wrapped at words; when it
 * has more rows than the area, the last row shown ends in "… [F9: more]".
 */
void
tui_result_draw(struct tui *t)
{
	static const char	 more[] = " [F9: more]";
	WINDOW			*w = t->result;
	const char		*s = t->result_text.s;
	size_t			 n, y;

	werase(w);
	if (s == NULL)
		return;
	n = tui_wrap(s, t->result_text.len, t->cols - 1, &t->res_rows,
	    &t->res_cap, 0);
	for (y = 0; y < n && y < (size_t)t->result_h; y++) {
		wmove(w, (int)y, 0);
		wattrset(w, tui_attr(t, t->result_error ? TS_ERROR :
		    TS_NORMAL));
		if (y == (size_t)t->result_h - 1 && y + 1 < n) {
			int	room = t->cols - 1 - (int)sizeof more + 1;
			struct tui_wrap_row r = t->res_rows[y];
			char	b[1024];
			size_t	k = r.len < sizeof b ? r.len : sizeof b - 1;

			memcpy(b, s + r.off, k);
			b[k] = '\0';
			if (tui_width(b) + r.indent > room)
				tui_put_cut(t, w, b, room - r.indent);
			else {
				tui_wrap_put(w, s, &r, room);
				tui_put(w, tui_cut_mark(t), 1);
			}
			wattrset(w, tui_attr(t, TS_DIM));
			tui_put(w, more, (int)sizeof more - 1);
			break;
		}
		tui_wrap_put(w, s, &t->res_rows[y], t->cols - 1);
	}
	wattrset(w, A_NORMAL);
}

/* The overlay's text in rows as wide as its window. */
void
tui_overlay_wrap(struct tui *t)
{
	int	h, w;

	if (t->overlay == NULL) {
		t->ov_nlines = 0;
		return;
	}
	getmaxyx(t->overlay, h, w);
	(void)h;
	t->ov_nlines = tui_wrap(t->ov_text.s != NULL ? t->ov_text.s : "",
	    t->ov_text.len, w - 4, &t->ov_lines, &t->ov_cap, 0);
	if (t->ov_top > t->ov_nlines)
		t->ov_top = t->ov_nlines;
}

void
tui_open_overlay(struct tui *t, const char *title, const char *s, size_t n)
{
	snprintf(t->ov_title, sizeof t->ov_title, "%s", title);
	buf_reset(&t->ov_text);
	buf_add(&t->ov_text, s, n);
	/* Tabs would break the column arithmetic. */
	for (size_t i = 0; i < t->ov_text.len; i++)
		if (t->ov_text.s[i] == '\t')
			t->ov_text.s[i] = ' ';
	t->ov_top = 0;
	t->ov_open = true;
	/* The screen makes its window (and wraps the text for it) before
	 * it draws next. */
	t->relayout = true;
}

void
tui_overlay_close(struct tui *t)
{
	t->ov_open = false;
	if (t->overlay != NULL)
		delwin(t->overlay);
	t->overlay = NULL;
	t->all_dirty = true;
}

static int
ov_view(struct tui *t)
{
	int	h, w;

	if (t->overlay == NULL)
		return 0;
	getmaxyx(t->overlay, h, w);
	(void)w;
	return h - 2;
}

void
tui_overlay_draw(struct tui *t)
{
	struct tui_pane	 fake;
	WINDOW		*w = t->overlay;
	int		 h, wd, y, v;
	size_t		 i;

	getmaxyx(w, h, wd);
	memset(&fake, 0, sizeof fake);
	fake.win = w;
	fake.h = h;
	fake.w = wd;
	fake.title = t->ov_title;
	fake.nrows = t->ov_nlines;
	fake.top = t->ov_top;
	tui_frame(t, &fake);
	v = h - 2;
	for (y = 0; y < v; y++) {
		i = t->ov_top + (size_t)y;
		if (i >= t->ov_nlines)
			break;
		wmove(w, y + 1, 2);
		tui_wrap_put(w, t->ov_text.s, &t->ov_lines[i], wd - 4);
	}
	wmove(w, h - 1, 2);
	wattrset(w, tui_attr(t, TS_DIM));
	tui_put_cut(t, w, " Esc/Enter/F1: close  PgUp/PgDn/arrows: scroll ",
	    wd - 4);
	wattrset(w, A_NORMAL);
}

bool
tui_overlay_key(struct tui *t, int key)
{
	size_t	v = (size_t)ov_view(t), max;

	max = t->ov_nlines > v ? t->ov_nlines - v : 0;
	switch (key) {
	case KEY_UP:
		if (t->ov_top > 0)
			t->ov_top--;
		return true;
	case KEY_DOWN:
		if (t->ov_top < max)
			t->ov_top++;
		return true;
	case KEY_PPAGE:
		t->ov_top = t->ov_top > v ? t->ov_top - v : 0;
		return true;
	case KEY_NPAGE:
		t->ov_top = t->ov_top + v < max ? t->ov_top + v : max;
		return true;
	case KEY_HOME:
		t->ov_top = 0;
		return true;
	case KEY_END:
		t->ov_top = max;
		return true;
	case KEY_LEFT:
	case KEY_RIGHT:
		/* The text is wrapped: nothing to the side.  Not a way out
		 * (a student reading on presses it). */
		return true;
	}
	return false;
}

static const char keys_help[] =
    "Keys\n"
    "  Enter            run the command line\n"
    "  Tab              complete a command, a name or a set key;\n"
    "                   on an empty line: focus the next pane\n"
    "  Shift-Tab        focus the previous pane\n"
    "  F2 F3 F4 F5      focus Heap, Bins, Memory map, Log\n"
    "  F6               the focused pane on the whole screen, and back\n"
    "                   (also `zoom [PANE]`; Tab moves the zoom; Esc on\n"
    "                   an empty line goes back)\n"
    "  PgUp PgDn        scroll the focused pane\n"
    "  Up Down Home End on an empty line: scroll the focused pane;\n"
    "                   otherwise history and line editing\n"
    "  Space  n         on an empty line with a lesson open: its next\n"
    "                   step (`run` runs to the next pause); Space after\n"
    "                   `back`: the step ahead, made again\n"
    "  Ctrl-R           search the history\n"
    "  Ctrl-C           clear the line\n"
    "  Ctrl-L           redraw the screen\n"
    "  Ctrl-D           quit (on an empty line)\n"
    "  F1               this help\n"
    "  F9               the last command's output in full\n"
    "  F10              quit\n"
    "  Esc Enter q      close this help or any overlay\n"
    "  Up Down PgUp PgDn Home End   scroll an overlay\n"
    "\n"
    "Marks\n"
    "  *                changed by the last command (also highlighted)\n"
    "  p1~              a dangling name: p1 was freed\n"
    "  chunk            a chunk's address: where its header starts (the\n"
    "                   pointer malloc returned is 16 bytes further)\n"
    "  size             a chunk's size in bytes, header included\n"
    "  hd               header flags: P previous in use, C this in use\n";

void
tui_help_open(struct tui *t, const char *cmdhelp, size_t n)
{
	struct buf	b;
	char		legend[128];

	buf_init(&b);
	buf_add(&b, keys_help, sizeof keys_help - 1);
	tui_strip_legend(t, legend, sizeof legend);
	buf_printf(&b, "  strip            the heap from its start to the break:\n"
	    "                   %s\n", legend);
	if (t->color)
		buf_printf(&b, "  colours          green in use, cyan free, yellow "
		    "top,\n                   magenta mmapped or not ours, red "
		    "damaged\n");
	buf_printf(&b, "  %s            a range of addresses nobody maps\n",
	    tui_glyph(t, "\u250a free", ": free"));
	if (n > 0) {
		buf_addc(&b, '\n');
		buf_add(&b, cmdhelp, n);
	}
	tui_open_overlay(t, "Help", b.s, b.len);
	buf_free(&b);
}

void
tui_help_overlay(struct tui *t)
{
	struct out_buf	ob;

	out_buf_init(&ob);
	interp_exec(t->s, "help", &ob.out);
	tui_help_open(t, ob.text.s != NULL ? ob.text.s : "", ob.text.len);
	out_buf_free(&ob);
}
