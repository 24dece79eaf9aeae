/*
 * tui-log.c -- the Log pane: every sbrk/brk/mmap/munmap/mremap with its
 * arguments, result and cause, newest last; the calls the last command
 * caused are highlighted.  The pane follows new lines unless scrolled back.
 *
 *	 #1 sbrk(0x21000) = 0x555555559000  <- malloc p1
 *	*#2 sbrk(0x21000) = 0x55555557a000  <- printf (libc stdio buffer)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui-draw.h"

static void
log_update(struct tui *t, struct tui_pane *p)
{
	p->nrows = t->snap->nlog;
	p->fixed = 0;
	if (t->snap->log_new < t->snap->nlog)
		p->follow = true;	/* new lines: show them */
	if (p->nrows == 0)
		p->nrows = 1;		/* the "no calls yet" line */
}

static void
fmt_signed(char *b, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(b, n, "-0x%" PRIx64, (uint64_t)0 - (uint64_t)v);
	else if (v == 0)
		snprintf(b, n, "0");
	else
		snprintf(b, n, "0x%" PRIx64, (uint64_t)v);
}

static const char *
errname(int e)
{
	static char	b[16];

	switch (e) {
	case 12:
		return "ENOMEM";
	case 22:
		return "EINVAL";
	case 14:
		return "EFAULT";
	}
	snprintf(b, sizeof b, "errno %d", e);
	return b;
}

static void
log_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	int			 width = p->w - 2, y, v;
	const char		*arrow = tui_glyph(t, "\u2190", "<-");

	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	if (s->nlog == 0) {
		struct tui_line	l;

		tui_line_begin(&l, t, p->win, 1, 1, width, false);
		tui_line_put(&l, TS_DIM, "no sbrk/brk/mmap calls yet");
		return;
	}
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < s->nlog; y++) {
		size_t			 i = p->top + (size_t)y;
		const struct sysevent	*e = &s->log[i];
		struct tui_line		 l;
		char			 a[3][32], res[48];
		int			 k;

		for (k = 0; k < 3; k++)
			a[k][0] = '\0';
		tui_line_begin(&l, t, p->win, 1 + y, 1, width,
		    i >= s->log_new);
		tui_line_printf(&l, TS_DIM, "#%zu ", i + 1);
		switch (e->call) {
		case MS_SBRK:
			fmt_signed(a[0], sizeof a[0], e->args[0]);
			tui_line_printf(&l, TS_BREAK, "sbrk(%s)", a[0]);
			break;
		case MS_BRK:
			if (e->kernel && e->args[0] == 0)
				tui_line_printf(&l, TS_BREAK, "brk(NULL)");
			else
				tui_line_printf(&l, TS_BREAK, "brk(0x%" PRIx64
				    ")", (uint64_t)e->args[0]);
			break;
		case MS_MMAP:
			if (e->kernel && e->nargs > 1 && e->args[1] != 0)
				tui_line_printf(&l, TS_MMAP, "mmap(0x%" PRIx64
				    ", 0x%" PRIx64 ")", (uint64_t)e->args[1],
				    (uint64_t)e->args[0]);
			else
				tui_line_printf(&l, TS_MMAP, "mmap(NULL, 0x%"
				    PRIx64 ")", (uint64_t)e->args[0]);
			break;
		case MS_MUNMAP:
			tui_line_printf(&l, TS_MMAP, "munmap(0x%" PRIx64
			    ", 0x%" PRIx64 ")", (uint64_t)e->args[0],
			    (uint64_t)e->args[1]);
			break;
		case MS_MREMAP:
			tui_line_printf(&l, TS_MMAP, "mremap(0x%" PRIx64
			    ", 0x%" PRIx64 ", 0x%" PRIx64 ")",
			    (uint64_t)e->args[0], (uint64_t)e->args[1],
			    (uint64_t)e->args[2]);
			break;
		}
		if (e->err != 0)
			snprintf(res, sizeof res, "-1 %s", errname(e->err));
		else if ((e->call == MS_BRK && !e->kernel) ||
		    e->call == MS_MUNMAP)
			snprintf(res, sizeof res, "%" PRId64, e->result);
		else
			snprintf(res, sizeof res, "0x%" PRIx64,
			    (uint64_t)e->result);
		tui_line_printf(&l, e->err != 0 ? TS_ERROR : TS_NORMAL,
		    " = %s ", res);
		tui_line_printf(&l, e->foreign ? TS_FOREIGN : TS_DIM,
		    " %s %s", arrow, e->cause);
		tui_line_end(&l);
	}
}

const struct tui_pane_class tui_log_class = {
	.name = "log",
	.title = "Log",
	.update = log_update,
	.draw = log_draw,
};
