/*
 * tui-heap.c -- the Heap pane: a proportional strip of the heap from its
 * start to the break, then every chunk in address order.
 *
 *	UUUUUUfUUU.........................xxxxxxxxxxxxxxxxxxxxx   (the strip)
 *	0x555555559000                          brk 0x55555557a000
 *	 chunk          name     size hd state   bin      fd / bk
 *	*0x555555559000 p1         48 PC inuse
 *	 0x555555559030 p2~        32 PC free    small[4] fd=bin bk=bin
 *	 0x555555559050 -      135088 P- top
 *	 ---- brk 0x55555557a000 (+0x21000) ----
 *
 * "chunk" is where the chunk's header starts, the address every view
 * (`heap`, `bins`, `explain`, the Bins pane) names a chunk by; a wide pane
 * adds "pointer", what malloc returned (the chunk + 16).  Sizes are chunk
 * sizes in bytes, header included, in decimal as `heap` gives them.  "hd"
 * is the header's flag bits: P the previous chunk is in use, C this one
 * is.  Rows from foreign memory (libc's
 * stdio buffer, the user's sbrk) sit between the chunks at their address.
 *
 * Update works out the rows that are not chunks (foreign memory, the
 * break, the heading of the mmapped chunks: a few) and where they fall
 * among the chunks, from the view's index of the heap (snapshot.h), in
 * O(those rows * log n); the n chunks themselves get no row array.  Drawing
 * reads only the chunks on screen, and the strip costs O(width * log n).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "tui-draw.h"
#include "xmalloc.h"

enum hrow_kind {
	HR_CHUNK,
	HR_FOREIGN,
	HR_BREAK,
	HR_MMAP,		/* the heading before mmapped chunks */
	HR_EMPTY,
};

/* A row that is not a chunk, in front of chunk pos (n: after them all). */
struct hextra {
	size_t		pos;
	uint32_t	kind;
	uint32_t	idx;
};

/* Per snapshot. */
struct heapaux {
	size_t		 n;		/* chunks */
	size_t		 nheap;		/* chunks below the break */
	size_t		 top;		/* index of top, or SIZE_MAX */
	size_t		 changed_row;	/* first changed row, or SIZE_MAX */
	size_t		 break_row;
	size_t		 nextra;	/* the extras are p->rows */
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

static void
add_extra(struct tui_pane *p, size_t pos, uint32_t kind, size_t idx)
{
	struct heapaux	*ax = aux_of(p);
	struct hextra	*r;

	r = tui_rows_reserve(&p->rows, &p->caprows, ax->nextra + 1, sizeof *r);
	r[ax->nextra].pos = pos;
	r[ax->nextra].kind = kind;
	r[ax->nextra].idx = (uint32_t)idx;
	ax->nextra++;
}

/* What row r shows: an extra (returns its kind, *idx its index in the
 * extras) or chunk *idx (HR_CHUNK). */
static uint32_t
row_item(struct tui_pane *p, size_t r, size_t *idx)
{
	const struct heapaux	*ax = aux_of(p);
	const struct hextra	*ex = p->rows;
	size_t			 j;

	for (j = 0; j < ax->nextra; j++) {
		if (r < ex[j].pos + j) {
			*idx = r - j;
			return HR_CHUNK;
		}
		if (r == ex[j].pos + j) {
			*idx = j;
			return ex[j].kind;
		}
	}
	*idx = r - ax->nextra;
	return HR_CHUNK;
}

static size_t
row_of_chunk(struct tui_pane *p, size_t i)
{
	const struct heapaux	*ax = aux_of(p);
	const struct hextra	*ex = p->rows;
	size_t			 j, r = i;

	for (j = 0; j < ax->nextra; j++)
		if (ex[j].pos <= i)
			r++;
	return r;
}

static size_t
max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void
heap_update(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	struct heapaux		*ax;
	size_t			 n = snapshot_view_count(s), i = 0, fi = 0;
	size_t			 fm, ci, j;
	bool			 brk_done = false, mm_done = false;
	uint64_t		 addr;
	enum model_chunk_state	 st;

	tui_rows_reserve(&p->aux, &p->capaux, sizeof(struct heapaux), 1);
	ax = aux_of(p);
	memset(ax, 0, sizeof *ax);
	ax->n = n;
	ax->top = SIZE_MAX;
	ax->changed_row = SIZE_MAX;
	p->fixed = heap_fixed(p);

	/*
	 * The rows between chunks, in the order a walk of every chunk would
	 * put them: before a chunk, the foreign memory that starts at or
	 * below it, then the break if the chunk is at or above it, then the
	 * mmapped heading if it is the first mmapped chunk.  Jump from one
	 * such chunk to the next.
	 */
	fm = snapshot_view_first_mmapped(s);
	for (;;) {
		size_t	k = n;

		if (fi < s->nforeign)
			k = max_sz(i, snapshot_view_lower(s,
			    s->foreign[fi].start));
		if (!brk_done && (j = max_sz(i, snapshot_view_lower(s,
		    s->brk))) < k)
			k = j;
		if (!mm_done && fm < k)
			k = max_sz(i, fm);
		if (k >= n)
			break;
		snapshot_view_entry(s, k, &addr, NULL, &st);
		while (fi < s->nforeign && s->foreign[fi].start <= addr)
			add_extra(p, k, HR_FOREIGN, fi++);
		if (!brk_done && addr >= s->brk) {
			add_extra(p, k, HR_BREAK, 0);
			brk_done = true;
		}
		if (!mm_done && st == MODEL_CHUNK_MMAPPED) {
			add_extra(p, k, HR_MMAP, 0);
			mm_done = true;
		}
		i = k + 1;
	}
	while (fi < s->nforeign && s->foreign[fi].start < s->brk)
		add_extra(p, n, HR_FOREIGN, fi++);
	if (!brk_done)
		add_extra(p, n, HR_BREAK, 0);
	while (fi < s->nforeign)
		add_extra(p, n, HR_FOREIGN, fi++);
	if (n == 0)
		add_extra(p, n, HR_EMPTY, 0);
	p->nrows = n + ax->nextra;
	for (j = 0; j < ax->nextra; j++)
		if (((struct hextra *)p->rows)[j].kind == HR_BREAK)
			ax->break_row = ((struct hextra *)p->rows)[j].pos + j;

	/* The chunks the strip covers: below the break, not mmapped. */
	ax->nheap = snapshot_view_lower(s, s->brk);
	while (ax->nheap > 0) {
		snapshot_view_entry(s, ax->nheap - 1, NULL, NULL, &st);
		if (st != MODEL_CHUNK_MMAPPED)
			break;
		ax->nheap--;
	}
	if (s->has_top && (j = snapshot_view_find(s, s->top)) != SIZE_MAX) {
		snapshot_view_entry(s, j, &addr, NULL, &st);
		if (addr == s->top && st == MODEL_CHUNK_TOP)
			ax->top = j;
	}
	if ((ci = snapshot_view_first_changed(s)) != SIZE_MAX)
		ax->changed_row = row_of_chunk(p, ci);

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
	size_t		i = snapshot_view_lower(s, a);
	uint64_t	addr, size;

	if (i > n)
		i = n;
	if (i > 0) {
		snapshot_view_entry(s, i - 1, &addr, &size, NULL);
		if (addr + size > a)
			i--;
	}
	return i;
}

static size_t
first_at_or_after(const struct snapshot *s, size_t n, uint64_t a)
{
	size_t	i = snapshot_view_lower(s, a);

	return i < n ? i : n;
}

static void
draw_strip(struct tui *t, struct tui_pane *p, int y, int width)
{
	const struct snapshot	*s = t->snap;
	struct heapaux		*ax = aux_of(p);
	uint64_t		 lo = s->heap_start, span;
	int			 x;

	wmove(p->win, y, 1);
	if (s->brk <= lo) {
		wattrset(p->win, tui_attr(t, TS_DIM));
		tui_put_cut(t, p->win, " the heap is empty: the break is at its "
		    "start",
		    width);
		wattrset(p->win, A_NORMAL);
		return;
	}
	span = s->brk - lo;
	for (x = 0; x < width; x++) {
		uint64_t	a = lo + span * (uint64_t)x / (uint64_t)width;
		uint64_t	b = lo + span * (uint64_t)(x + 1) /
				    (uint64_t)width;
		size_t		i0, i1, f;
		bool		top = false, foreign = false;
		bool		any_free, any_inuse;
		enum tui_style	st;
		const char	*g;

		if (b <= a)
			b = a + 1;
		i0 = first_ending_after(s, ax->nheap, a);
		i1 = first_at_or_after(s, ax->nheap, b);
		if (i1 < i0)
			i1 = i0;
		snapshot_view_kinds(s, i0, i1, &any_free, &any_inuse);
		if (ax->top != SIZE_MAX && ax->top >= i0 && ax->top < i1)
			top = true;
		for (f = 0; f < s->nforeign; f++)
			if (s->foreign[f].start < b && s->foreign[f].end > a)
				foreign = true;
		if (any_free)
			st = TS_FREE;
		else if (any_inuse)
			st = TS_INUSE;
		else if (top)
			st = TS_TOP;
		else if (foreign)
			st = TS_FOREIGN;
		else
			st = TS_DIM;
		g = tui_strip_glyph(t, st);
		wattrset(p->win, tui_attr(t, st));
		tui_put(p->win, g, 1);
	}
	wattrset(p->win, A_NORMAL);
}

/* The strip's legend on the bottom border, where it fits. */
static void
draw_legend(struct tui *t, struct tui_pane *p)
{
	char	b[128];
	int	cols;

	tui_strip_legend(t, b, sizeof b);
	cols = t->color && !t->ascii ? (int)strlen(b) - 4 * 2 : (int)strlen(b);
	if (cols + 6 > p->w)
		return;
	wmove(p->win, p->h - 1, 2);
	wattrset(p->win, tui_attr(t, TS_DIM));
	waddch(p->win, ' ');
	wattrset(p->win, tui_attr(t, TS_INUSE));
	tui_put(p->win, tui_strip_glyph(t, TS_INUSE), 1);
	wattrset(p->win, tui_attr(t, TS_DIM));
	tui_put(p->win, " in use  ", 9);
	wattrset(p->win, tui_attr(t, TS_FREE));
	tui_put(p->win, tui_strip_glyph(t, TS_FREE), 1);
	wattrset(p->win, tui_attr(t, TS_DIM));
	tui_put(p->win, " free  ", 7);
	wattrset(p->win, tui_attr(t, TS_TOP));
	tui_put(p->win, tui_strip_glyph(t, TS_TOP), 1);
	wattrset(p->win, tui_attr(t, TS_DIM));
	tui_put(p->win, " top  ", 6);
	wattrset(p->win, tui_attr(t, TS_FOREIGN));
	tui_put(p->win, tui_strip_glyph(t, TS_FOREIGN), 1);
	wattrset(p->win, tui_attr(t, TS_DIM));
	tui_put(p->win, " not ours ", 10);
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
	struct snap_chunk	 c;
	char			 nb[NAMES_MAX + 2];
	const char		*name;
	size_t			 i;
	uint64_t		 addr;

	i = a != 0 ? snapshot_view_find(s, a) : SIZE_MAX;
	if (i != SIZE_MAX)
		snapshot_view_entry(s, i, &addr, NULL, NULL);
	if (i == SIZE_MAX || addr != a)
		return "bin";		/* the bin's own list head: not a chunk */
	if (snapshot_view_chunks(s, i, 1, &c) == 1 &&
	    (name = tui_chunk_name(&c, nb, sizeof nb)) != NULL)
		snprintf(b, n, "%s", name);
	else
		snprintf(b, n, "0x%" PRIx64, a);
	return b;
}

/* Pane widths: narrow shows the bin in place of "free"; wide adds the
 * chunk address in front. */
#define HEAP_MEDIUM	60
#define HEAP_WIDE	92

/* An in-use chunk the model names (glibc's tcache_perthread_struct). */
static void
draw_special_name(struct tui_line *l, const struct snapshot *s,
    const struct snap_chunk *c)
{
	const struct model_bin_class	*bc;

	if ((bc = snapshot_special_at(s, c->addr)) != NULL)
		tui_line_put(l, TS_DIM, bc->key);
}

static void
draw_chunk(struct tui *t, struct tui_pane *p, int y, int width, bool wide,
    const struct snap_chunk *c)
{
	const struct snapshot	*s = t->snap;
	struct tui_line		 l;
	char			 nb[NAMES_MAX + 2], bin[32], fd[40], bk[40];
	char			 fl[8];
	const char		*name = tui_chunk_name(c, nb, sizeof nb);
	enum tui_style		 st = tui_chunk_style(c);

	tui_line_begin(&l, t, p->win, y, 1, width, c->changed);
	tui_line_printf(&l, st, "0x%-12" PRIx64 " ", c->addr);
	if (wide)
		tui_line_printf(&l, TS_DIM, "0x%-12" PRIx64 " ", c->mem);
	tui_line_printf(&l, name == NULL ? TS_DIM : c->dangling ?
	    TS_DANGLING : TS_NORMAL, "%-5s ", name != NULL ? name : "-");
	tui_line_printf(&l, TS_NORMAL, "%7" PRIu64 " ", c->size);
	/* The first two of the model's flag letters ("PC"). */
	fl[0] = fl[1] = '-';
	if (s->model != NULL && strlen(s->model->flag_heading) < sizeof fl)
		s->model->flag_letters(c->head, c->state, fl);
	tui_line_printf(&l, TS_HEADER, "%c%c ", fl[0], fl[1]);
	if (c->state != MODEL_CHUNK_FREE || width >= HEAP_MEDIUM)
		tui_line_printf(&l, st, "%-7s ", model_state_name(c->state));
	if (c->state == MODEL_CHUNK_FREE) {
		tui_fmt_bin(bin, sizeof bin, s, c->bin_class, c->bin);
		tui_line_printf(&l, TS_FREE, "%-8s ", bin);
		/* A list's chunk shows its links; dv has none to show;
		 * a safe-linked one its fd word as stored, and where it
		 * leads, decoded. */
		if (c->fd_mangled)
			tui_line_printf(&l, TS_DIM, "fd=0x%" PRIx64
			    " next=%s", c->fd_stored, c->fd_decoded != 0 ?
			    link_text(s, c->fd, fd, sizeof fd) : "NULL");
		else if (s->model == NULL || c->bin_class <= 0 ||
		    c->bin_class >= s->model->nclasses ||
		    s->model->classes[c->bin_class].shape != MODEL_BINS_ONE)
			tui_line_printf(&l, TS_DIM, "fd=%s bk=%s",
			    link_text(s, c->fd, fd, sizeof fd),
			    link_text(s, c->bk, bk, sizeof bk));
	}
	if (c->state == MODEL_CHUNK_INUSE)
		draw_special_name(&l, s, c);
	tui_line_end(&l);
}

static void
heap_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	const struct hextra	*rows = p->rows;
	int			 width = p->w - 2, y, v;
	bool			 wide = width >= HEAP_WIDE;
	char			 b[64];
	struct snap_chunk	*chunks;
	size_t			 idx, first = 0, nchunks = 0, got;

	p->fixed = heap_fixed(p);
	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	draw_legend(t, p);
	draw_strip(t, p, 1, width);
	if (p->fixed >= 3) {
		struct tui_line	l;

		draw_axis(t, p, 2, width);
		tui_line_begin(&l, t, p->win, 3, 1, width, false);
		if (width >= HEAP_MEDIUM)
			tui_line_printf(&l, TS_HEAD, "%-14s %s%-5s %7s hd "
			    "%-7s %-8s fd / bk", "chunk", wide ?
			    "pointer        " : "", "name", "size", "state",
			    "bin");
		else
			tui_line_printf(&l, TS_HEAD, "%-14s %-5s %7s hd "
			    "state/bin", "chunk", "name", "size");
	}
	v = tui_pane_view(p);
	/* The chunks on screen are consecutive: read them in one walk. */
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		if (row_item(p, p->top + (size_t)y, &idx) != HR_CHUNK)
			continue;
		if (nchunks++ == 0)
			first = idx;
	}
	chunks = xcalloc(nchunks ? nchunks : 1, sizeof *chunks);
	got = snapshot_view_chunks(s, first, nchunks, chunks);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		uint32_t		 kind;
		struct tui_line		 l;
		int			 yy = 1 + p->fixed + y;

		kind = row_item(p, p->top + (size_t)y, &idx);
		switch (kind) {
		case HR_CHUNK:
			if (idx - first < got)
				draw_chunk(t, p, yy, width, wide,
				    &chunks[idx - first]);
			break;
		case HR_FOREIGN: {
			const struct snap_foreign *f =
			    &s->foreign[rows[idx].idx];

			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_printf(&l, TS_FOREIGN, "0x%-12" PRIx64
			    " %*s%-5s %7" PRIu64 "    not ours: %s",
			    f->start, wide ? 15 : 0, "", "",
			    f->end - f->start, f->who);
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
			tui_line_put(&l, TS_DIM, t->snap->recorded ?
			    "no chunks at this step: Space or n steps forward" :
			    "no chunks yet: try malloc 32");
			break;
		}
	}
	free(chunks);
}

const struct tui_pane_class tui_heap_class = {
	.name = "heap",
	.title = "Heap",
	.update = heap_update,
	.draw = heap_draw,
};
