/*
 * tui-heap.c -- the Heap pane: a proportional strip of the heap from its
 * start to the break, then every chunk in address order.
 *
 *	UUUUUUfUUU.........................xxxxxxxxxxxxxxxxxxxxx   (the strip)
 *	0x555555559000                          brk 0x55555557a000
 *	 pointer        name   size     hd state bin      fd / bk
 *	*0x555555559010 p1     0x30     PC inuse
 *	 0x555555559040 (p2)   0x20     PC free  small[4] fd=bin bk=bin
 *	 0x555555559060 -      0x20fa0  P- top
 *	 ---- brk 0x55555557a000 (+0x21000) ----
 *
 * "pointer" is what malloc returned (the chunk address + 16); a wide pane
 * also shows the chunk address.  "hd" is the header's flag bits: P the
 * previous chunk is in use, C this one is.  Rows from foreign memory (libc's
 * stdio buffer, the user's sbrk) sit between the chunks at their address.
 *
 * Update builds the row index and prefix counts once per snapshot (O(n));
 * drawing touches only the rows on screen, and the strip costs
 * O(width * log n).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui-internal.h"

enum hrow_kind {
	HR_CHUNK,
	HR_FOREIGN,
	HR_BREAK,
	HR_MMAP,		/* the heading before mmapped chunks */
	HR_EMPTY,
};

struct hrow {
	uint32_t	kind;
	uint32_t	idx;
};

/* Per snapshot: prefix counts of free and in-use chunks below the break. */
struct heapaux {
	size_t		 nheap;		/* chunks below the break */
	size_t		 top;		/* index of top, or SIZE_MAX */
	size_t		 changed_row;	/* first changed row, or SIZE_MAX */
	size_t		 break_row;
};

static int
heap_fixed(const struct tui_pane *p)
{
	return p->h - 2 >= 8 ? 3 : 1;
}

static struct heapaux *
aux_of(struct tui_pane *p)
{
	return (struct heapaux *)p->aux;
}

static uint32_t *
prefix_of(struct tui_pane *p)
{
	return (uint32_t *)((char *)p->aux + sizeof(struct heapaux));
}

static void
add_row(struct tui_pane *p, uint32_t kind, size_t idx)
{
	struct hrow	*r;

	r = tui_rows_reserve(&p->rows, &p->caprows, p->nrows + 1, sizeof *r);
	r[p->nrows].kind = kind;
	r[p->nrows].idx = (uint32_t)idx;
	p->nrows++;
}

void
tui_heap_update(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	struct heapaux		*ax;
	uint32_t		*pf;
	size_t			 i, fi = 0, n = s->nchunks;
	bool			 brk_done = false, mm_done = false;

	tui_rows_reserve(&p->aux, &p->capaux, sizeof(struct heapaux) +
	    2 * (n + 1) * sizeof(uint32_t), 1);
	ax = aux_of(p);
	pf = prefix_of(p);
	ax->top = SIZE_MAX;
	ax->changed_row = SIZE_MAX;
	ax->break_row = 0;
	ax->nheap = 0;
	p->nrows = 0;
	p->fixed = heap_fixed(p);

	pf[0] = pf[n + 1] = 0;
	for (i = 0; i < n; i++) {
		const struct snap_chunk	*c = &s->chunks[i];

		pf[i + 1] = pf[i] + (c->state == ALLOC_CHUNK_FREE);
		pf[n + 1 + i + 1] = pf[n + 1 + i] +
		    (c->state == ALLOC_CHUNK_INUSE);
		if (c->addr < s->brk && c->state != ALLOC_CHUNK_MMAPPED)
			ax->nheap = i + 1;
		if (c->state == ALLOC_CHUNK_TOP)
			ax->top = i;

		while (fi < s->nforeign && s->foreign[fi].start <= c->addr)
			add_row(p, HR_FOREIGN, fi++);
		if (!brk_done && c->addr >= s->brk) {
			ax->break_row = p->nrows;
			add_row(p, HR_BREAK, 0);
			brk_done = true;
		}
		if (!mm_done && c->state == ALLOC_CHUNK_MMAPPED) {
			add_row(p, HR_MMAP, 0);
			mm_done = true;
		}
		if (c->changed && ax->changed_row == SIZE_MAX)
			ax->changed_row = p->nrows;
		add_row(p, HR_CHUNK, i);
	}
	while (fi < s->nforeign && s->foreign[fi].start < s->brk)
		add_row(p, HR_FOREIGN, fi++);
	if (!brk_done) {
		ax->break_row = p->nrows;
		add_row(p, HR_BREAK, 0);
	}
	while (fi < s->nforeign)
		add_row(p, HR_FOREIGN, fi++);
	if (n == 0)
		add_row(p, HR_EMPTY, 0);

	/* Show what the command changed. */
	if (ax->changed_row != SIZE_MAX)
		tui_pane_show(p, ax->changed_row);
	else if (t->brk_moved)
		tui_pane_show(p, ax->break_row);
}

/* First chunk (below the break) whose end is above a. */
static size_t
first_ending_after(const struct snapshot *s, size_t n, uint64_t a)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (s->chunks[mid].addr + s->chunks[mid].size <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t
first_at_or_after(const struct snapshot *s, size_t n, uint64_t a)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (s->chunks[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
draw_strip(struct tui *t, struct tui_pane *p, int y, int width)
{
	const struct snapshot	*s = t->snap;
	struct heapaux		*ax = aux_of(p);
	uint32_t		*pf = prefix_of(p);
	size_t			 n = s->nchunks;
	uint64_t		 lo = s->heap_start, span;
	bool			 blocks = t->color && !t->ascii;
	int			 x;

	wmove(p->win, y, 1);
	if (s->brk <= lo) {
		wattrset(p->win, tui_attr(t, TS_DIM));
		tui_put(p->win, " the heap is empty: the break is at its start",
		    width);
		wattrset(p->win, A_NORMAL);
		return;
	}
	span = s->brk - lo;
	for (x = 0; x < width; x++) {
		uint64_t	a = lo + span * (uint64_t)x / (uint64_t)width;
		uint64_t	b = lo + span * (uint64_t)(x + 1) /
				    (uint64_t)width;
		size_t		i0, i1, nfree, ninuse, f;
		bool		top = false, foreign = false;
		enum tui_style	st;
		const char	*g;

		if (b <= a)
			b = a + 1;
		i0 = first_ending_after(s, ax->nheap, a);
		i1 = first_at_or_after(s, ax->nheap, b);
		if (i1 < i0)
			i1 = i0;
		nfree = pf[i1] - pf[i0];
		ninuse = pf[n + 1 + i1] - pf[n + 1 + i0];
		if (ax->top != SIZE_MAX && ax->top >= i0 && ax->top < i1)
			top = true;
		for (f = 0; f < s->nforeign; f++)
			if (s->foreign[f].start < b && s->foreign[f].end > a)
				foreign = true;
		if (nfree > 0) {
			st = TS_FREE;
			g = blocks ? "\u2591" : "f";
		} else if (ninuse > 0) {
			st = TS_INUSE;
			g = blocks ? "\u2588" : "U";
		} else if (top) {
			st = TS_TOP;
			g = blocks ? "\u2592" : ".";
		} else if (foreign) {
			st = TS_FOREIGN;
			g = blocks ? "\u2593" : "x";
		} else {
			st = TS_DIM;
			g = " ";
		}
		wattrset(p->win, tui_attr(t, st));
		tui_put(p->win, g, 1);
	}
	wattrset(p->win, A_NORMAL);
}

static void
draw_axis(struct tui *t, struct tui_pane *p, int y, int width)
{
	const struct snapshot	*s = t->snap;
	char			 b[64];
	int			 n;

	wmove(p->win, y, 1);
	wattrset(p->win, tui_attr(t, TS_DIM));
	snprintf(b, sizeof b, "0x%" PRIx64, s->heap_start);
	tui_put(p->win, b, width);
	n = snprintf(b, sizeof b, "brk 0x%" PRIx64, s->brk);
	if (n + 16 < width) {
		wmove(p->win, y, 1 + width - n);
		wattrset(p->win, tui_attr(t, t->brk_moved ? TS_CHANGED :
		    TS_BREAK));
		tui_put(p->win, b, n);
	}
	wattrset(p->win, A_NORMAL);
}

static const char *
link_text(const struct snapshot *s, uint64_t a, char *b, size_t n)
{
	const struct snap_chunk	*c;
	char			 nb[SESSION_NAME_MAX + 2];
	const char		*name;

	c = a != 0 ? snapshot_find(s, a) : NULL;
	if (c == NULL || c->addr != a)
		return "bin";		/* the bin's own list head: not a chunk */
	name = tui_chunk_name(c, nb, sizeof nb);
	if (name != NULL)
		snprintf(b, n, "%s", name);
	else
		snprintf(b, n, "0x%" PRIx64, c->mem);
	return b;
}

/* Pane widths: narrow shows the bin in place of "free"; wide adds the
 * chunk address in front. */
#define HEAP_MEDIUM	60
#define HEAP_WIDE	92

static void
draw_chunk(struct tui *t, struct tui_pane *p, int y, int width, bool wide,
    size_t i)
{
	const struct snapshot	*s = t->snap;
	const struct snap_chunk	*c = &s->chunks[i];
	struct tui_line		 l;
	char			 nb[SESSION_NAME_MAX + 2], bin[32], fd[40], bk[40];
	const char		*name = tui_chunk_name(c, nb, sizeof nb);
	enum tui_style		 st = tui_chunk_style(c);

	tui_line_begin(&l, t, p->win, y, 1, width, c->changed);
	if (wide)
		tui_line_printf(&l, TS_HEADER, "0x%-12" PRIx64 " ", c->addr);
	tui_line_printf(&l, st, "0x%-12" PRIx64 " ", c->mem);
	tui_line_printf(&l, name == NULL ? TS_DIM : c->dangling ?
	    TS_DANGLING : TS_NORMAL, "%-5s ", name != NULL ? name : "-");
	tui_line_printf(&l, TS_NORMAL, "0x%-5" PRIx64 " ", c->size);
	tui_line_printf(&l, TS_HEADER, "%c%c ", (c->head & 1) ? 'P' : '-',
	    (c->head & 2) ? 'C' : '-');
	if (c->state != ALLOC_CHUNK_FREE || width >= HEAP_MEDIUM)
		tui_line_printf(&l, st, "%-5s ", tui_chunk_state(c->state));
	if (c->state == ALLOC_CHUNK_FREE) {
		tui_fmt_bin(bin, sizeof bin, c->bin_kind, c->bin);
		tui_line_printf(&l, TS_FREE, "%-8s ", bin);
		if (c->bin_kind != ALLOC_BIN_DV)
			tui_line_printf(&l, TS_DIM, "fd=%s bk=%s",
			    link_text(s, c->fd, fd, sizeof fd),
			    link_text(s, c->bk, bk, sizeof bk));
	}
	tui_line_end(&l);
}

void
tui_heap_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	const struct hrow	*rows = p->rows;
	int			 width = p->w - 2, y, v;
	bool			 wide = width >= HEAP_WIDE;
	char			 b[64];

	p->fixed = heap_fixed(p);
	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	draw_strip(t, p, 1, width);
	if (p->fixed >= 3) {
		struct tui_line	l;

		draw_axis(t, p, 2, width);
		tui_line_begin(&l, t, p->win, 3, 1, width, false);
		if (width >= HEAP_MEDIUM)
			tui_line_printf(&l, TS_HEAD, "%s%-14s %-5s %-7s hd "
			    "%-5s %-8s fd / bk", wide ? "chunk          " :
			    "", "pointer", "name", "size", "state", "bin");
		else
			tui_line_printf(&l, TS_HEAD, "%-14s %-5s %-7s hd "
			    "state/bin", "pointer", "name", "size");
	}
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		const struct hrow	*r = &rows[p->top + (size_t)y];
		struct tui_line		 l;
		int			 yy = 1 + p->fixed + y;

		switch (r->kind) {
		case HR_CHUNK:
			draw_chunk(t, p, yy, width, wide, r->idx);
			break;
		case HR_FOREIGN: {
			const struct snap_foreign *f = &s->foreign[r->idx];

			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			if (wide)
				tui_line_printf(&l, TS_FOREIGN, "0x%-12"
				    PRIx64 " ", f->start);
			tui_line_printf(&l, TS_FOREIGN, "0x%-12" PRIx64
			    " %-5s 0x%-5" PRIx64 "    not ours: %s",
			    f->start, "", f->end - f->start, f->who);
			break;
		}
		case HR_BREAK: {
			const char	*h = tui_glyph(t, "\u2500\u2500", "--");
			int64_t		 d = (int64_t)(s->brk - s->initial_brk);

			tui_line_begin(&l, t, p->win, yy, 1, width,
			    t->brk_moved);
			snprintf(b, sizeof b, "%s0x%" PRIx64, d < 0 ? "-" :
			    "+", (uint64_t)(d < 0 ? -d : d));
			tui_line_printf(&l, TS_BREAK, "%s brk 0x%" PRIx64
			    " %s since start %s", h, s->brk, b, h);
			tui_line_end(&l);
			break;
		}
		case HR_MMAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_printf(&l, TS_MMAP, "%s mmapped chunks %s",
			    tui_glyph(t, "\u2500\u2500", "--"),
			    tui_glyph(t, "\u2500\u2500", "--"));
			break;
		case HR_EMPTY:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_put(&l, TS_DIM, "no chunks yet: try malloc 32");
			break;
		}
	}
}

bool
tui_heap_key(struct tui *t, struct tui_pane *p, int key)
{
	(void)t;
	return tui_pane_scroll_key(p, key);
}
