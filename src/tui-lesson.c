/*
 * tui-lesson.c -- the Lesson pane: the open lesson's script, the line that
 * runs next marked, the lines already run dimmed.  Long lines (the
 * narration) wrap at words to the pane's width, so a sentence reads whole
 * at 80 columns as at 160.  It is on screen only while a lesson is open.
 */
#include <string.h>

#include "lesson.h"
#include "tui-internal.h"

#define MARK_COLS	2	/* "▶ " in front of every row (after the
				   changed mark tui_line_begin puts) */

/* Per row: the wrapped part (p->rows) and the lesson line it is of
 * (p->aux). */
static size_t *
row_line(struct tui_pane *p)
{
	return (size_t *)p->aux;
}

static void
lesson_update(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = t->s->lesson;
	struct tui_wrap_row	*rows = p->rows;
	size_t			 i, n = 0, k, j, first = SIZE_MAX, next;
	int			 width = p->w - 3 - MARK_COLS;

	p->fixed = 0;
	p->nrows = 0;
	if (l == NULL || width <= 0)
		return;
	next = lesson_next(l);
	for (i = 0; i < l->n; i++) {
		k = tui_wrap(l->lines[i], strlen(l->lines[i]), width, &rows,
		    &p->caprows, n);
		p->rows = rows;
		tui_rows_reserve(&p->aux, &p->capaux, n + k, sizeof(size_t));
		for (j = 0; j < k; j++)
			row_line(p)[n + j] = i;
		if (i == next)
			first = n;
		n += k;
	}
	p->nrows = n;
	/* Keep the line that runs next in view, low in the pane, so that
	 * the narration above it shows too. */
	if (first != SIZE_MAX) {
		size_t	v = (size_t)tui_pane_view(p);

		if (v > 4 && (first < p->top || first >= p->top + v - 2)) {
			p->top = first > v - 3 ? first - (v - 3) : 0;
			/* From the start of a line, where it still shows the
			 * next one. */
			while (p->top > 0 && rows[p->top].cont &&
			    first < p->top - 1 + v)
				p->top--;
			p->follow = false;
		} else
			tui_pane_show(p, first);
	}
}

static void
lesson_draw(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = t->s->lesson;
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
		const char	*line = l->lines[i];
		const char	*s = line + strspn(line, " \t");
		bool		 next = (i == next_line);
		struct tui_line	 tl;
		enum tui_style	 st;

		if (i < l->pos)
			st = TS_DIM;
		else if (*s == '#')
			st = TS_HEAD;
		else
			st = TS_NORMAL;
		tui_line_begin(&tl, t, p->win, 1 + y, 1, width, next);
		tui_line_put(&tl, next ? TS_CHANGED : TS_DIM,
		    next && !rows[r].cont ? tui_glyph(t, "\xe2\x96\xb6 ", "> ") :
		    "  ");
		wattrset(p->win, tui_attr(t, st) | tl.extra);
		tl.left -= tui_wrap_put(p->win, line, &rows[r], tl.left);
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
