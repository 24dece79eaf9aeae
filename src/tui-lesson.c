/*
 * tui-lesson.c -- the Lesson pane: the open lesson's script, the line that
 * runs next marked, the lines already run dimmed.  The narration (a run
 * of comment lines, wrapped by hand in the file) is joined into one
 * paragraph and wrapped at words to the pane's width, so it reads whole
 * at 80 columns as at 160.  It is on screen only while a lesson is open.
 */
#include <string.h>

#include "lesson.h"
#include "tui-draw.h"

#define MARK_COLS	2	/* "▶ " in front of every row (after the
				   changed mark tui_line_begin puts) */

/* Per row: the wrapped part (p->rows, into p->text) and the lesson line
 * its paragraph starts at (p->aux). */
static size_t *
row_line(struct tui_pane *p)
{
	return (size_t *)p->aux;
}

static bool
is_comment(const char *line)
{
	return line[strspn(line, " \t")] == '#';
}

/* "#" alone: a paragraph break in the narration. */
static bool
bare_comment(const char *line)
{
	const char	*c = line + strspn(line, " \t");

	return c[0] == '#' && c[1 + strspn(c + 1, " \t")] == '\0';
}

/*
 * p->text gets the pane's paragraphs one after the other: a command line
 * as it is, a run of comment lines as one "# ..." paragraph.  Each is
 * wrapped into rows of its own.
 */
static void
lesson_update(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = session_lesson(t->s);
	struct tui_wrap_row	*rows = p->rows;
	size_t			 i, j, k, r, n = 0, off, first = SIZE_MAX, next;
	int			 width = p->w - 3 - MARK_COLS;

	p->fixed = 0;
	p->nrows = 0;
	buf_reset(&p->text);
	if (l == NULL || width <= 0)
		return;
	next = lesson_next(l);
	for (i = 0; i < l->n; i = j) {
		const char	*line = l->lines[i];

		off = p->text.len;
		buf_add_str(&p->text, line);
		j = i + 1;
		if (is_comment(line) && !bare_comment(line)) {
			while (j < l->n && is_comment(l->lines[j]) &&
			    !bare_comment(l->lines[j])) {
				const char *c = l->lines[j];

				c += strspn(c, " \t") + 1;	/* the '#' */
				c += strspn(c, " \t");
				buf_addc(&p->text, ' ');
				buf_add_str(&p->text, c);
				j++;
			}
		}
		k = tui_wrap(p->text.s + off, p->text.len - off, width, &rows,
		    &p->caprows, n);
		p->rows = rows;
		tui_rows_reserve(&p->aux, &p->capaux, n + k, sizeof(size_t));
		for (r = n; r < n + k; r++) {
			rows[r].off += off;
			row_line(p)[r] = i;
		}
		if (next >= i && next < j)
			first = n;
		buf_addc(&p->text, '\n');
		n += k;
	}
	p->nrows = n;
	/*
	 * Keep in view the line that runs next and the narration right
	 * above it, from the narration's start: that is what the class
	 * reads.
	 */
	if (first != SIZE_MAX) {
		size_t	v = (size_t)tui_pane_view(p), b = first;

		if (b > 0 && is_comment(l->lines[row_line(p)[b - 1]]))
			while (b > 0 &&
			    row_line(p)[b - 1] == row_line(p)[first - 1])
				b--;
		if (v == 0)
			;
		else if (b < first) {
			p->top = b;
			if (first - b + 1 < v && b > 0)
				p->top = b - 1;		/* a line of context */
			p->follow = false;
		} else
			tui_pane_show(p, first);
	}
}

static void
lesson_draw(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = session_lesson(t->s);
	const struct tui_wrap_row *rows = p->rows;
	int			 y, v, width = p->w - 2;
	size_t			 next_line;

	werase(p->win);
	tui_frame(t, p);
	if (l == NULL)
		return;
	next_line = lesson_next(l);
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		size_t		 r = p->top + (size_t)y, i = row_line(p)[r];
		bool		 next = (i == next_line);
		struct tui_line	 tl;
		enum tui_style	 st;

		if (i < l->pos)
			st = TS_DIM;
		else if (is_comment(l->lines[i]))
			st = TS_HEAD;
		else
			st = TS_NORMAL;
		tui_line_begin(&tl, t, p->win, 1 + y, 1, width, next);
		tui_line_put(&tl, next ? TS_CHANGED : TS_DIM,
		    next && !rows[r].cont ? tui_glyph(t, "\xe2\x96\xb6 ", "> ") :
		    "  ");
		wattrset(p->win, tui_attr(t, st) | tl.extra);
		tl.left -= tui_wrap_put(p->win, p->text.s, &rows[r], tl.left);
		wattrset(p->win, A_NORMAL);
		tui_line_end(&tl);
	}
	if (l->pos >= l->n && (size_t)v > p->nrows - p->top) {
		struct tui_line	tl;

		tui_line_begin(&tl, t, p->win, 1 + (int)(p->nrows - p->top), 1,
		    width, false);
		tui_line_put(&tl, TS_DIM, "  (the end: `back` goes back)");
		tui_line_end(&tl);
	}
}

const struct tui_pane_class tui_lesson_class = {
	.name = "lesson",
	.title = "Lesson",
	.update = lesson_update,
	.draw = lesson_draw,
	.rewrap = true,
};
