/*
 * tui-compare.c -- the Heap pane while `compare` runs: the two models'
 * heaps side by side, at the step the session is at.
 *
 *	 dlmalloc-2.8.6 · step 3       │ glibc-2.36 · step 3
 *	 bins: small[6] 1              │ bins: tcache[1] 1
 *	 p1 freed: +0x10 (chunk 48)    │ p1 freed: +0x2a0 (chunk 48)
 *	 offset       size state  name │ offset       size state  name
 *	*+0x0           48 free   p1~  │ +0x0          656 inuse
 *	 +0x30         112 inuse  p2   │*+0x290         48 free   p1~
 *
 * Each side is a session of its own (compare.h), read through a whole
 * snapshot: a comparison is for the small heaps of a lesson, and its
 * rows are capped.  The frame's title says which step the two first
 * place a block differently, and a side's heading marks it when the
 * session stands on it.  The rows are kept as text in the pane's text
 * buffer, one line a row: a style letter, a changed flag, the left cell,
 * a tab, the same for the right cell.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "history.h"
#include "tui-draw.h"

#define CMP_MAX_ROWS	2000

/* One side's rows, as "S" "c" text "\n" (style, changed flag). */
static void
side_row(struct buf *b, enum tui_style st, bool changed, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
side_row(struct buf *b, enum tui_style st, bool changed, const char *fmt,
    ...)
{
	char	line[256];
	va_list	ap;

	va_start(ap, fmt);
	buf_vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	line[strcspn(line, "\t\n")] = '\0';
	buf_addc(b, (char)('A' + st));
	buf_addc(b, changed ? '*' : ' ');
	buf_add_str(b, line);
	buf_addc(b, '\n');
}

static enum tui_style
state_style(enum model_chunk_state st)
{
	switch (st) {
	case MODEL_CHUNK_INUSE:		return TS_INUSE;
	case MODEL_CHUNK_FREE:		return TS_FREE;
	case MODEL_CHUNK_TOP:		return TS_TOP;
	case MODEL_CHUNK_MMAPPED:	return TS_MMAP;
	case MODEL_CHUNK_FENCE:		return TS_FENCE;
	default:			return TS_ERROR;
	}
}

static void
side_rows(const struct compare *c, int j, size_t at, struct buf *b)
{
	struct session			*t = compare_session(c, j);
	const struct compare_step	*st = compare_step(c, at);
	struct snapshot			*snap = snapshot_take(t);
	struct buf			 bins;
	char				 label[48], nm[NAMES_MAX + 2];
	size_t				 i;

	side_row(b, TS_HEAD, false, "%s %s step %zu",
	    compare_model(c, j)->name, "\xc2\xb7", at);
	if (at != 0 && at == compare_first_divergence(c))
		side_row(b, TS_ERROR, false, "first divergence here");
	buf_init(&bins);
	for (i = 0; i < snap->nbins; i++)
		buf_printf(&bins, " %s %zu", model_bin_label(snap->model,
		    snap->bins[i].cls, snap->bins[i].index, MODEL_LABEL_SHORT,
		    "-", label, sizeof label), snap->bins[i].n);
	side_row(b, TS_NORMAL, false, "bins:%s", bins.len > 0 ? bins.s :
	    " none");
	buf_free(&bins);
	if (st != NULL) {
		const struct compare_side	*r = &st->side[j];

		if (r->refused && !r->made)
			side_row(b, TS_ERROR, false, "refused: %s", r->did);
		else if (r->mem != 0 && r->mapped)
			side_row(b, st->diverged ? TS_CHANGED : TS_NORMAL,
			    false, "%s %s: mmapped (chunk %zu)", r->name,
			    r->placed ? "placed" : "freed", r->chunk);
		else if (r->mem != 0)
			side_row(b, st->diverged ? TS_CHANGED : TS_NORMAL,
			    false, "%s %s: +0x%" PRIx64 " (chunk %zu)",
			    r->name, r->placed ? "placed" : "freed",
			    r->mem - r->heap_start, r->chunk);
		else
			side_row(b, TS_DIM, false, "%s", r->did[0] ? r->did :
			    st->line);
	}
	side_row(b, TS_HEAD, false, "%-8s %6s %-5s %s", "offset", "size",
	    "state", "name");
	for (i = 0; i < snap->nchunks && i < CMP_MAX_ROWS; i++) {
		const struct snap_chunk	*k = &snap->chunks[i];
		char			 where[24];
		const char		*name;

		if (k->state == MODEL_CHUNK_MMAPPED)
			snprintf(where, sizeof where, "0x%" PRIx64, k->addr);
		else
			snprintf(where, sizeof where, "+0x%" PRIx64,
			    k->addr - snap->heap_start);
		name = tui_chunk_name(k, nm, sizeof nm);
		side_row(b, state_style(k->state), k->changed,
		    "%-8s %6" PRIu64 " %-5s %s", where, k->size,
		    model_state_name(k->state), name != NULL ? name : "");
	}
	if (snap->nchunks > CMP_MAX_ROWS)
		side_row(b, TS_DIM, false, "(%zu more chunks)",
		    snap->nchunks - CMP_MAX_ROWS);
	snapshot_free(snap);
}

/* The start of line n of s (len bytes), or NULL. */
static const char *
nth_line(const char *s, size_t len, size_t n)
{
	const char	*p = s, *end = s + len;

	while (n > 0 && p < end) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			return NULL;
		p++;
		n--;
	}
	return p < end ? p : NULL;
}

static size_t
count_rows(const struct buf *b)
{
	size_t	i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->s[i] == '\n';
	return n;
}

static char	title[160];

static void
compare_update(struct tui *t, struct tui_pane *p)
{
	struct compare	*c = compare_of(t->s);
	struct buf	 side[2];
	size_t		 at, n[2], r;
	int		 j;

	buf_reset(&p->text);
	p->fixed = 0;
	p->nrows = 0;
	if (c == NULL)
		return;
	compare_sync(c, t->s);
	at = history_position(t->s);
	if (at > compare_steps(c))
		at = compare_steps(c);
	if (compare_first_divergence(c) != 0)
		snprintf(title, sizeof title, "Heap: %s | %s %s first "
		    "divergence at step %zu", compare_model(c, 0)->short_name,
		    compare_model(c, 1)->short_name, "\xc2\xb7",
		    compare_first_divergence(c));
	else
		snprintf(title, sizeof title, "Heap: %s | %s %s placed alike",
		    compare_model(c, 0)->short_name,
		    compare_model(c, 1)->short_name, "\xc2\xb7");
	p->title = title;
	for (j = 0; j < 2; j++) {
		buf_init(&side[j]);
		side_rows(c, j, at, &side[j]);
		n[j] = count_rows(&side[j]);
	}
	/* Row r: the left side's line r, a tab, the right side's. */
	for (r = 0; r < n[0] || r < n[1]; r++) {
		for (j = 0; j < 2; j++) {
			const char	*l = r < n[j] ? nth_line(side[j].s,
					    side[j].len, r) : NULL;

			if (j == 1)
				buf_addc(&p->text, '\t');
			if (l != NULL)
				buf_add(&p->text, l, strcspn(l, "\n"));
		}
		buf_addc(&p->text, '\n');
	}
	p->nrows = r;
	buf_free(&side[0]);
	buf_free(&side[1]);
}

/* One cell: "S" "c" text, up to end. */
static void
draw_cell(struct tui *t, struct tui_pane *p, int y, int x, int width,
    const char *s, const char *end)
{
	struct tui_line	 l;
	char		 text[256];
	size_t		 n;

	if (width <= 0)
		return;
	if (end - s < 2) {
		tui_line_begin(&l, t, p->win, y, x, width, false);
		return;
	}
	n = (size_t)(end - s) - 2;
	if (n >= sizeof text)
		n = sizeof text - 1;
	memcpy(text, s + 2, n);
	text[n] = '\0';
	tui_line_begin(&l, t, p->win, y, x, width, s[1] == '*');
	tui_line_put(&l, (enum tui_style)(s[0] - 'A') < TS_COUNT ?
	    (enum tui_style)(s[0] - 'A') : TS_NORMAL, text);
}

static void
compare_draw(struct tui *t, struct tui_pane *p)
{
	int		 width = p->w - 2, lw, y, v;
	const char	*row, *tab, *nl, *end = p->text.s + p->text.len;

	tui_frame(t, p);
	if (p->text.len == 0 || width < 8 || p->h < 3)
		return;
	lw = (width - 1) / 2;
	v = tui_pane_view(p);
	row = nth_line(p->text.s, p->text.len, p->top);
	for (y = 0; y < v && row != NULL && row < end; y++) {
		nl = memchr(row, '\n', (size_t)(end - row));
		if (nl == NULL)
			nl = end;
		tab = memchr(row, '\t', (size_t)(nl - row));
		if (tab == NULL)
			tab = nl;
		draw_cell(t, p, 1 + y, 1, lw, row, tab);
		wattrset(p->win, tui_attr(t, TS_BORDER));
		mvwaddstr(p->win, 1 + y, 1 + lw, tui_glyph(t, "\u2502", "|"));
		wattrset(p->win, A_NORMAL);
		if (tab < nl)
			draw_cell(t, p, 1 + y, 2 + lw, width - lw - 1,
			    tab + 1, nl);
		row = nl + 1;
	}
}

const struct tui_pane_class tui_compare_class = {
	.name = "heap",
	.title = "Heap",
	.update = compare_update,
	.draw = compare_draw,
};
