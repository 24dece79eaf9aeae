/*
 * tui-bins.c -- the Bins pane: the bin maps, dv and top, then each non-empty
 * bin with its chunks in link order (the order reuse takes them), named as
 * in the Heap pane.  Addresses are chunk addresses (where the header
 * starts), as `bins`, `explain` and the Heap pane's first column give them.
 *
 *	 smallmap 0x00000010  {4}
 *	 treemap  0x00000000  {}
 *	 dv       none
 *	 top      0x555555559060 135072
 *	 small[4] 32 bytes, 1 chunk
 *	*  -> p1~    0x555555559000 32
 *
 * After the bins, the model's settings (glibc's thresholds).  A
 * safe-linked bin's entry (glibc's tcache, fastbins) adds its next word
 * as stored and where it leads, decoded; the unsorted bin's first entry says
 * it is the next to be processed.
 *
 * Sizes are chunk sizes in bytes, in decimal as `bins` gives them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-draw.h"
#include "xmalloc.h"

enum brow_kind {
	BR_BITMAP,	/* snapshot bitmaps[bi] */
	BR_SPECIAL,	/* snapshot specials[bi] */
	BR_TOP,
	BR_BIN,
	BR_ENTRY,
	BR_NONE,
	BR_FACT,	/* snapshot facts[bi], after the bins */
};

/* The rows before the bins: the bitmaps, the specials, top. */
static size_t
fixed_rows(const struct snapshot *s)
{
	return s->nbitmaps + s->nspecials + 1;
}

/*
 * The rows are not kept one by one (a bin can hold most of the heap): the
 * pane keeps the row each bin starts at (p->aux), and reads the entries
 * of a bin only as far as they are on screen.
 */
static size_t *
bin_rows(struct tui_pane *p)
{
	return (size_t *)p->aux;
}

/* What row r is; for BR_BIN and BR_ENTRY, the bin and the entry in it. */
static uint32_t
row_item(const struct snapshot *s, struct tui_pane *p, size_t r, size_t *bi,
    size_t *j)
{
	const size_t	*start = bin_rows(p);
	size_t		 lo = 0, hi = s->nbins;

	if (r < s->nbitmaps) {
		*bi = r;
		return BR_BITMAP;
	}
	if (r < s->nbitmaps + s->nspecials) {
		*bi = r - s->nbitmaps;
		return BR_SPECIAL;
	}
	if (r < fixed_rows(s))
		return BR_TOP;
	if (r >= p->nrows - s->nfacts) {
		*bi = r - (p->nrows - s->nfacts);
		return BR_FACT;
	}
	if (s->nbins == 0)
		return BR_NONE;
	/* The last bin starting at or above r. */
	while (hi - lo > 1) {
		size_t	mid = lo + (hi - lo) / 2;

		if (start[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	*bi = lo;
	if (r == start[lo])
		return BR_BIN;
	*j = r - start[lo] - 1;
	return BR_ENTRY;
}

static void
bins_update(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	size_t			 i, r = fixed_rows(s), *start, bi, pos;

	p->fixed = 0;
	if (s->bins_unknown) {
		p->nrows = 2;	/* no bins to pretend: say why */
		return;
	}
	tui_rows_reserve(&p->aux, &p->capaux, s->nbins + 1, sizeof *start);
	start = bin_rows(p);
	for (i = 0; i < s->nbins; i++) {
		start[i] = r;
		r += 1 + s->bins[i].n;
	}
	if (s->nbins == 0)
		r++;		/* "all bins are empty" */
	p->nrows = r + s->nfacts;	/* the model's settings last */
	if (snapshot_view_bins_changed(s, &bi, &pos))
		tui_pane_show(p, start[bi] + 1 + pos);
}

static void
draw_map(struct tui_line *l, const char *label, uint32_t map)
{
	int	i;
	bool	first = true;

	tui_line_printf(l, TS_HEAD, "%-8s ", label);
	tui_line_printf(l, TS_NORMAL, "0x%08" PRIx32 "  {", map);
	for (i = 0; i < 32; i++) {
		if (!(map & (UINT32_C(1) << i)))
			continue;
		tui_line_printf(l, TS_FREE, "%s%d", first ? "" : ",", i);
		first = false;
	}
	tui_line_put(l, TS_NORMAL, "}");
}

static void
draw_special(struct tui *t, struct tui_line *l, const char *label,
    bool has, uint64_t addr, uint64_t size, enum tui_style st)
{
	struct snap_chunk	 cc, *c = &cc;
	char			 nb[NAMES_MAX + 2];
	const char		*name;

	tui_line_printf(l, TS_HEAD, "%-8s ", label);
	if (!has) {
		tui_line_put(l, TS_DIM, "none");
		return;
	}
	/* The chunk that starts at addr: on a damaged heap the walk may see
	 * another one around it, whose name is not this chunk's. */
	if (!snapshot_view_chunk_at(t->snap, addr, &cc) || cc.addr != addr)
		c = NULL;
	tui_line_printf(l, st, "0x%-12" PRIx64 " %" PRIu64, addr, size);
	name = tui_chunk_name(c, nb, sizeof nb);
	if (name != NULL)
		tui_line_printf(l, c->dangling ? TS_DANGLING : TS_NORMAL,
		    " %s", name);
}

/*
 * After an entry's address and size: what the allocator makes of the
 * first entry (the unsorted bin's next to be processed), and a
 * safe-linked entry's next pointer, decoded, with the word as stored.
 */
static void
draw_entry_more(struct tui_line *l, const struct snapshot *s,
    const struct snap_bin *b, size_t j, const struct snap_chunk *c)
{
	const char	*first = s->model != NULL ?
			    s->model->classes[b->cls].first : NULL;

	if (j == 0 && first != NULL)
		tui_line_printf(l, TS_HEAD, " %s", first);
	if (c == NULL || !c->fd_mangled)
		return;
	tui_line_printf(l, TS_DIM, " fd=0x%" PRIx64, c->fd_stored);
	if (c->fd_decoded != 0)
		tui_line_printf(l, TS_DIM, " next=0x%" PRIx64, c->fd_decoded);
	else
		tui_line_put(l, TS_DIM, " next=NULL");
}

/* Is the chunk containing addr one the last step changed? */
static bool
changed_at(const struct snapshot *s, uint64_t addr, struct snap_chunk *c)
{
	return snapshot_view_chunk_at(s, addr, c) && c->changed;
}

static void
bins_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	int			 width = p->w - 2, y, v;
	uint64_t		*ent;
	size_t			 ent_bin = SIZE_MAX, ent_from = 0, ent_n = 0;

	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	v = tui_pane_view(p);
	if (s->bins_unknown) {
		struct tui_line	l;

		static const char *const why[2] = {
			"a trace records no bins, and no model",
			"follows the program here (`bins` says why)",
		};

		for (y = 0; y < v && p->top + (size_t)y < 2; y++) {
			tui_line_begin(&l, t, p->win, 1 + y, 1, width, false);
			tui_line_put(&l, TS_DIM, why[p->top + (size_t)y]);
			tui_line_end(&l);
		}
		return;
	}
	ent = xcalloc(v > 0 ? (size_t)v : 1, sizeof *ent);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		const struct snap_bin	*b;
		struct snap_chunk	 cc, *c = &cc;
		struct tui_line		 l;
		char			 nb[NAMES_MAX + 2], bn[32];
		const char		*name;
		int			 yy = 1 + y;
		size_t			 bi = 0, j = 0;
		uint64_t		 a;

		switch (row_item(s, p, p->top + (size_t)y, &bi, &j)) {
		case BR_BITMAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			draw_map(&l, s->bitmaps[bi].name, s->bitmaps[bi].bits);
			break;
		case BR_SPECIAL: {
			const struct snap_special *sp = &s->specials[bi];

			tui_line_begin(&l, t, p->win, yy, 1, width,
			    sp->has && changed_at(s, sp->addr, &cc));
			draw_special(t, &l, s->model->classes[sp->cls].key,
			    sp->has, sp->addr, sp->size, TS_FREE);
			tui_line_end(&l);
			break;
		}
		case BR_TOP:
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    s->has_top && changed_at(s, s->top, &cc));
			draw_special(t, &l, "top", s->has_top, s->top,
			    s->topsize, TS_TOP);
			tui_line_end(&l);
			break;
		case BR_BIN:
			b = &s->bins[bi];
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_fmt_bin(bn, sizeof bn, s, b->cls, b->index);
			tui_line_printf(&l, TS_FREE, "%-8s ", bn);
			if (b->lo == b->hi || b->hi == 0)
				tui_line_printf(&l, TS_NORMAL, "%zu bytes",
				    b->lo);
			else if (b->hi == SIZE_MAX)
				tui_line_printf(&l, TS_NORMAL, "%zu+ bytes",
				    b->lo);
			else
				tui_line_printf(&l, TS_NORMAL, "%zu-%zu bytes",
				    b->lo, b->hi);
			if (s->model != NULL && s->model->classes[b->cls].cap)
				tui_line_printf(&l, TS_DIM, ", %zu/%d chunks",
				    b->n, s->model->classes[b->cls].cap);
			else
				tui_line_printf(&l, TS_DIM, ", %zu chunk%s",
				    b->n, b->n == 1 ? "" : "s");
			break;
		case BR_ENTRY:
			/* The rest of the screen's entries of this bin, read
			 * in one go. */
			if (bi != ent_bin || j < ent_from ||
			    j >= ent_from + ent_n) {
				ent_bin = bi;
				ent_from = j;
				ent_n = snapshot_view_bin_chunks(s, bi, j, ent,
				    (size_t)(v - y));
			}
			if (j - ent_from >= ent_n)
				break;
			a = ent[j - ent_from];
			if (!snapshot_view_chunk_at(s, a, &cc) ||
			    cc.addr != a)
				c = NULL;
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    c != NULL && c->changed);
			tui_line_printf(&l, TS_DIM, "  %s ", tui_glyph(t,
			    j == 0 ? "\u25b8" : "\u2192", j == 0 ? ">" :
			    "-"));
			name = tui_chunk_name(c, nb, sizeof nb);
			tui_line_printf(&l, name == NULL ? TS_DIM :
			    c->dangling ? TS_DANGLING : TS_NORMAL, "%-6s ",
			    name != NULL ? name : "-");
			tui_line_printf(&l, TS_FREE, "0x%-12" PRIx64 " ", a);
			if (c != NULL)
				tui_line_printf(&l, TS_NORMAL, "%" PRIu64,
				    c->size);
			draw_entry_more(&l, s, &s->bins[bi], j, c);
			tui_line_end(&l);
			break;
		case BR_NONE:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_put(&l, TS_DIM, "all bins are empty");
			break;
		case BR_FACT:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_printf(&l, TS_HEAD, "%s ", s->facts[bi].key);
			tui_line_put(&l, TS_NORMAL, s->facts[bi].value);
			break;
		}
	}
	free(ent);
}

const struct tui_pane_class tui_bins_class = {
	.name = "bins",
	.title = "Bins",
	.update = bins_update,
	.draw = bins_draw,
	.foot = "chunk addresses, bytes",
};
