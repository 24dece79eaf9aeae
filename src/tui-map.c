/*
 * tui-map.c -- the Memory map pane: the address space from the top down, as
 * the seed draws it, with the session's display addresses.
 *
 *	 0x7ffffffde000 | stack 132 KiB
 *	                : free  ~42.7 TiB
 *	 0x7ffff7f9f000 | mmap  132 KiB p9
 *	                : free  ...
 *	*0x55555557a000 ^ brk   +0x21000 since start
 *	 0x555555559000 | heap  132 KiB
 *	 0x555555557000 | data  8 KiB
 *	 0x555555557000 |   main_arena 2200 bytes
 *	 0x555555554000 | code  12 KiB
 *
 * Mapping sizes read as `map` gives them; the break's moves in hex, as
 * the sbrk calls in the Log are written.  A real process's map (and a
 * trace's) is its own, from /proc/PID/maps: its libraries, ld.so and the
 * vdso by name beside their sizes.  Below a mapping, the allocator's own
 * state it holds, where the model says (glibc's main_arena).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "tui-draw.h"

enum mrow_kind {
	MR_MAP,
	MR_GAP,
	MR_BREAK,
	MR_HEAP,
	MR_OBJECT,	/* the allocator's own state: kindmap is its index */
};

struct mrow {
	uint32_t	 kind;
	uint32_t	 kindmap;	/* enum mapping_kind */
	uint64_t	 a, b;
	const char	*file;		/* a real process's: "libc.so.6" */
};

static void
add_row(struct tui_pane *p, uint32_t kind, uint32_t km, uint64_t a,
    uint64_t b)
{
	struct mrow	*r;

	r = tui_rows_reserve(&p->rows, &p->caprows, p->nrows + 1, sizeof *r);
	r[p->nrows].kind = kind;
	r[p->nrows].kindmap = km;
	r[p->nrows].a = a;
	r[p->nrows].b = b;
	r[p->nrows].file = NULL;
	p->nrows++;
}

static size_t
add_heap(struct tui *t, struct tui_pane *p, uint64_t *prev)
{
	const struct snapshot	*s = t->snap;
	uint64_t		 top = s->brk > s->heap_start ? s->brk :
				     s->heap_start;
	size_t			 row;

	if (*prev != 0 && top < *prev)
		add_row(p, MR_GAP, 0, top, *prev);
	row = p->nrows;
	add_row(p, MR_BREAK, 0, s->brk, 0);
	add_row(p, MR_HEAP, MAPPING_HEAP, s->heap_start, top);
	*prev = s->heap_start;
	return row;
}

/* Below a mapping, the allocator's state it holds (glibc's main_arena). */
static void
add_objects(struct tui_pane *p, const struct snapshot *s,
    const struct mapping *m)
{
	size_t	i;

	for (i = 0; i < s->nobjects; i++)
		if (s->objects[i].start >= m->start &&
		    s->objects[i].start < m->end)
			add_row(p, MR_OBJECT, (uint32_t)i, s->objects[i].start,
			    s->objects[i].end);
}

static void
map_update(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	uint64_t		 prev = 0;
	size_t			 k, brk_row = 0, changed = SIZE_MAX;
	bool			 heap_done = false;

	p->nrows = 0;
	p->fixed = 0;
	for (k = s->nmaps; k-- > 0;) {
		const struct mapping	*m = &s->maps[k];

		if (m->kind == MAPPING_HEAP) {
			if (!heap_done)
				brk_row = add_heap(t, p, &prev);
			heap_done = true;
			continue;
		}
		if (!heap_done && m->start < s->heap_start) {
			brk_row = add_heap(t, p, &prev);
			heap_done = true;
		}
		if (prev != 0 && m->end < prev)
			add_row(p, MR_GAP, 0, m->end, prev);
		if (m->kind == MAPPING_MMAP && changed == SIZE_MAX) {
			struct snap_chunk	c;

			if (snapshot_view_chunk_at(s, m->start + 32, &c) &&
			    c.changed)
				changed = p->nrows;
		}
		add_row(p, MR_MAP, m->kind, m->start, m->end);
		if (s->map_names != NULL && s->map_names[k] != NULL &&
		    m->kind != MAPPING_MMAP)
			((struct mrow *)p->rows)[p->nrows - 1].file =
			    s->map_names[k];
		add_objects(p, s, m);
		prev = m->start;
	}
	if (!heap_done)
		brk_row = add_heap(t, p, &prev);
	if (changed != SIZE_MAX)
		tui_pane_show(p, changed);
	else if (t->brk_moved)
		tui_pane_show(p, brk_row);
}

static enum tui_style
kind_style(uint32_t k)
{
	switch (k) {
	case MAPPING_HEAP:
		return TS_INUSE;
	case MAPPING_MMAP:
		return TS_MMAP;
	default:
		return TS_NORMAL;
	}
}

static void
map_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	const struct mrow	*rows = p->rows;
	int			 width = p->w - 2, y, v;
	const char		*bar = tui_glyph(t, "\u2502", "|");

	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		const struct mrow	*r = &rows[p->top + (size_t)y];
		struct snap_chunk	 cc, *c;
		struct tui_line		 l;
		char			 sz[32], nb[NAMES_MAX + 2];
		const char		*name;
		int64_t			 d;
		int			 yy = 1 + y;

		switch (r->kind) {
		case MR_MAP:
			c = r->kindmap == MAPPING_MMAP &&
			    snapshot_view_chunk_at(s, r->a + 32, &cc) ? &cc :
			    NULL;
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    c != NULL && c->changed);
			tui_line_printf(&l, TS_NORMAL, "0x%012" PRIx64 " ",
			    r->a);
			tui_line_printf(&l, kind_style(r->kindmap), "%s %-5s ",
			    bar, render_mapping_name(r->kindmap));
			render_human_size(sz, sizeof sz, r->b - r->a);
			tui_line_put(&l, TS_NORMAL, sz);
			name = tui_chunk_name(c, nb, sizeof nb);
			if (name != NULL)
				tui_line_printf(&l, c->dangling ?
				    TS_DANGLING : TS_MMAP, " %s", name);
			else if (r->file != NULL)
				tui_line_printf(&l, TS_DIM, " %s", r->file);
			tui_line_end(&l);
			break;
		case MR_GAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_fmt_size(sz, sizeof sz, r->b - r->a);
			tui_line_printf(&l, TS_DIM, "%14s %s free  %s", "",
			    tui_glyph(t, "\u250a", ":"), sz);
			break;
		case MR_BREAK:
			d = (int64_t)(s->brk - s->initial_brk);
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    t->brk_moved);
			tui_line_printf(&l, TS_BREAK, "0x%012" PRIx64 " %s brk"
			    "   ", s->brk, tui_glyph(t, "\u25b2", "^"));
			snprintf(sz, sizeof sz, "%s0x%" PRIx64, d < 0 ? "-" :
			    "+", (uint64_t)(d < 0 ? -d : d));
			tui_line_put(&l, TS_BREAK, sz);
			/* "since start" only where it fits: the move is what
			 * counts. */
			if (l.left >= 12)
				tui_line_put(&l, TS_BREAK, " since start");
			tui_line_end(&l);
			break;
		case MR_OBJECT:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_printf(&l, TS_DIM, "0x%012" PRIx64 " %s   ",
			    r->a, bar);
			tui_line_printf(&l, TS_HEAD, "%s ",
			    s->objects[r->kindmap].name);
			render_human_size(sz, sizeof sz, r->b - r->a);
			tui_line_put(&l, TS_NORMAL, sz);
			tui_line_end(&l);
			break;
		case MR_HEAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_printf(&l, TS_NORMAL, "0x%012" PRIx64 " ",
			    r->a);
			tui_line_printf(&l, TS_INUSE, "%s heap  ", bar);
			if (r->b > r->a) {
				render_human_size(sz, sizeof sz, r->b - r->a);
				tui_line_put(&l, TS_NORMAL, sz);
			} else
				tui_line_put(&l, TS_DIM, "empty");
			break;
		}
	}
}

const struct tui_pane_class tui_map_class = {
	.name = "map",
	.title = "Memory map",
	.update = map_update,
	.draw = map_draw,
};
