/*
 * tui-bins.c -- the Bins pane: the bin maps, dv and top, then each non-empty
 * bin with its chunks in link order (the order reuse takes them), named as
 * in the Heap pane.
 *
 *	 smallmap 0x00000010  {4}
 *	 treemap  0x00000000  {}
 *	 dv       none
 *	 top      0x555555559070 0x20f90
 *	 small[4] 0x20, 1 chunk
 *	*  -> (p1)   0x555555559010 0x20
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui-internal.h"

enum brow_kind {
	BR_SMALLMAP,
	BR_TREEMAP,
	BR_DV,
	BR_TOP,
	BR_BIN,
	BR_ENTRY,
	BR_NONE,
};

struct brow {
	uint32_t	kind;
	uint32_t	bin;
	size_t		j;
};

static void
add_row(struct tui_pane *p, uint32_t kind, size_t bin, size_t j)
{
	struct brow	*r;

	r = tui_rows_reserve(&p->rows, &p->caprows, p->nrows + 1, sizeof *r);
	r[p->nrows].kind = kind;
	r[p->nrows].bin = (uint32_t)bin;
	r[p->nrows].j = j;
	p->nrows++;
}

void
tui_bins_update(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	size_t			 i, j, changed = SIZE_MAX;

	p->nrows = 0;
	p->fixed = 0;
	add_row(p, BR_SMALLMAP, 0, 0);
	add_row(p, BR_TREEMAP, 0, 0);
	add_row(p, BR_DV, 0, 0);
	add_row(p, BR_TOP, 0, 0);
	for (i = 0; i < s->nbins; i++) {
		add_row(p, BR_BIN, i, 0);
		for (j = 0; j < s->bins[i].n; j++) {
			const struct snap_chunk *c =
			    snapshot_find(s, s->bins[i].chunks[j]);

			if (changed == SIZE_MAX && c != NULL && c->changed)
				changed = p->nrows;
			add_row(p, BR_ENTRY, i, j);
		}
	}
	if (s->nbins == 0)
		add_row(p, BR_NONE, 0, 0);
	if (changed != SIZE_MAX)
		tui_pane_show(p, changed);
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
	const struct snap_chunk	*c;
	char			 nb[SESSION_NAME_MAX + 2];
	const char		*name;

	tui_line_printf(l, TS_HEAD, "%-8s ", label);
	if (!has) {
		tui_line_put(l, TS_DIM, "none");
		return;
	}
	c = snapshot_find(t->snap, addr);
	tui_line_printf(l, st, "0x%-12" PRIx64 " 0x%" PRIx64,
	    c != NULL ? c->mem : addr + 16, size);
	name = tui_chunk_name(c, nb, sizeof nb);
	if (name != NULL)
		tui_line_printf(l, c->dangling ? TS_DANGLING : TS_NORMAL,
		    " %s", name);
}

void
tui_bins_draw(struct tui *t, struct tui_pane *p)
{
	const struct snapshot	*s = t->snap;
	const struct brow	*rows = p->rows;
	int			 width = p->w - 2, y, v;

	tui_frame(t, p);
	if (s == NULL || width < 4)
		return;
	v = tui_pane_view(p);
	for (y = 0; y < v && p->top + (size_t)y < p->nrows; y++) {
		const struct brow	*r = &rows[p->top + (size_t)y];
		const struct snap_bin	*b = &s->bins[r->bin];
		const struct snap_chunk	*c;
		struct tui_line		 l;
		char			 nb[SESSION_NAME_MAX + 2], bn[32];
		const char		*name;
		int			 yy = 1 + y;

		switch (r->kind) {
		case BR_SMALLMAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			draw_map(&l, "smallmap", s->smallmap);
			break;
		case BR_TREEMAP:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			draw_map(&l, "treemap", s->treemap);
			break;
		case BR_DV:
			c = s->has_dv ? snapshot_find(s, s->dv) : NULL;
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    c != NULL && c->changed);
			draw_special(t, &l, "dv", s->has_dv, s->dv, s->dvsize,
			    TS_FREE);
			tui_line_end(&l);
			break;
		case BR_TOP:
			c = s->has_top ? snapshot_find(s, s->top) : NULL;
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    c != NULL && c->changed);
			draw_special(t, &l, "top", s->has_top, s->top,
			    s->topsize, TS_TOP);
			tui_line_end(&l);
			break;
		case BR_BIN:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_fmt_bin(bn, sizeof bn, b->kind, b->index);
			tui_line_printf(&l, TS_FREE, "%-8s ", bn);
			if (b->lo == b->hi || b->hi == 0)
				tui_line_printf(&l, TS_NORMAL, "0x%zx", b->lo);
			else
				tui_line_printf(&l, TS_NORMAL, "0x%zx-0x%zx",
				    b->lo, b->hi);
			tui_line_printf(&l, TS_DIM, ", %zu chunk%s", b->n,
			    b->n == 1 ? "" : "s");
			break;
		case BR_ENTRY:
			c = snapshot_find(s, b->chunks[r->j]);
			tui_line_begin(&l, t, p->win, yy, 1, width,
			    c != NULL && c->changed);
			tui_line_printf(&l, TS_DIM, "  %s ", tui_glyph(t,
			    r->j == 0 ? "\u25b8" : "\u2192", r->j == 0 ? ">" :
			    "-"));
			name = tui_chunk_name(c, nb, sizeof nb);
			tui_line_printf(&l, name == NULL ? TS_DIM :
			    c->dangling ? TS_DANGLING : TS_NORMAL, "%-6s ",
			    name != NULL ? name : "-");
			tui_line_printf(&l, TS_FREE, "0x%-12" PRIx64 " ",
			    c != NULL ? c->mem : b->chunks[r->j] + 16);
			if (c != NULL)
				tui_line_printf(&l, TS_NORMAL, "0x%" PRIx64,
				    c->size);
			tui_line_end(&l);
			break;
		case BR_NONE:
			tui_line_begin(&l, t, p->win, yy, 1, width, false);
			tui_line_put(&l, TS_DIM, "all bins are empty");
			break;
		}
	}
}

bool
tui_bins_key(struct tui *t, struct tui_pane *p, int key)
{
	(void)t;
	return tui_pane_scroll_key(p, key);
}
