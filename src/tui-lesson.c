/*
 * tui-lesson.c -- the Lesson pane: the open lesson's script, the line that
 * runs next marked, the lines already run dimmed.  It is on screen only
 * while a lesson is open.
 */
#include <string.h>

#include "lesson.h"
#include "tui-internal.h"

static void
lesson_update(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = t->s->lesson;

	p->fixed = 0;
	p->nrows = l != NULL ? l->n : 0;
	/* Keep the line that runs next in view. */
	if (l != NULL)
		tui_pane_show(p, lesson_next(l));
}

static void
lesson_draw(struct tui *t, struct tui_pane *p)
{
	const struct lesson	*l = t->s->lesson;
	int			 y, v, width = p->w - 2;
	size_t			 next_line;

	werase(p->win);
	tui_frame(t, p);
	if (l == NULL)
		return;
	next_line = lesson_next(l);
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < l->n; y++) {
		size_t		 i = p->top + (size_t)y;
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
		    next ? tui_glyph(t, "\xe2\x96\xb6 ", "> ") : "  ");
		tui_line_put(&tl, st, line);
		tui_line_end(&tl);
	}
	if (l->pos >= l->n && (size_t)v > l->n - p->top) {
		struct tui_line	tl;

		tui_line_begin(&tl, t, p->win, 1 + (int)(l->n - p->top), 1,
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
};
