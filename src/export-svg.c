/*
 * export-svg.c -- one step as an SVG 1.1 picture for a slide.
 *
 * Reads only the snapshot.  Three columns under a title: the address space
 * as the course notes draw it (stack at the top, code at the bottom, the
 * program break between the heap and the free space); the heap's chunks,
 * high addresses at the top as in that drawing, each a box whose height
 * follows its size with a minimum, labelled with address, size, name and
 * state; the free bins, each a row of boxes joined by arrows in link
 * order, and the system calls of the step.  A legend closes it.  Every
 * state has a pattern and a letter as well as a colour, so a grey-scale
 * printout still tells them apart; changed chunks get a thick dashed
 * outline and the word "changed".
 *
 * Only presentation attributes, no CSS: Inkscape, LibreOffice, browsers
 * and rsvg-convert all read those the same way.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-svg.h"
#include "history.h"
#include "render.h"
#include "session.h"
#include "xmalloc.h"

#define X(v)	((unsigned long long)(v))

#define W		1680
#define TOP		140		/* the columns start here */
#define COL_A		30		/* address space */
#define COL_A_W		280
#define COL_B		340		/* chunks */
#define BOX_W		230
#define COL_C		990		/* bins, system calls */
#define COL_C_W		660
#define CHUNK_ROOM	560		/* height the chunks share */
#define CHUNK_MIN	50		/* the least height of a chunk's box */
#define CHUNK_MIN_MANY	30		/* the same, one line a chunk, when */
#define MANY		24		/* more chunks than this are drawn */
#define MARK_H		30		/* a gap or break marker */
#define MAX_BIN_NODES	9		/* shown of one bin */
#define MAX_CALLS	12		/* system calls shown */

#define SANS	"DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
#define MONO	"DejaVu Sans Mono, Liberation Mono, Consolas, monospace"

struct theme {
	const char	*bg, *fg, *dim, *line, *accent, *brk;
	const char	*inuse, *free, *top, *mmapped, *foreign, *fence,
			*damaged, *ink;	/* pattern strokes */
	const char	*panel;
};

static const struct theme themes[] = {
	[EXPORT_LIGHT] = {
		.bg = "#ffffff", .fg = "#111111", .dim = "#4d4d4d",
		.line = "#222222", .accent = "#c1121f", .brk = "#c1121f",
		.inuse = "#9cc9e8", .free = "#ffd166", .top = "#e0e0e0",
		.mmapped = "#b7e4a1", .foreign = "#d7c4e8",
		.fence = "#9a9a9a", .damaged = "#ff8080", .ink = "#333333",
		.panel = "#f4f4f4",
	},
	[EXPORT_DARK] = {
		.bg = "#15181d", .fg = "#f2f2f2", .dim = "#b8b8b8",
		.line = "#dddddd", .accent = "#ff6b6b", .brk = "#ff6b6b",
		.inuse = "#2b6f9e", .free = "#a8741a", .top = "#4a4f57",
		.mmapped = "#3f7a2c", .foreign = "#6a4f82",
		.fence = "#777777", .damaged = "#b02a2a", .ink = "#e8e8e8",
		.panel = "#20242b",
	},
};

/* One thing drawn in the chunk column: a chunk or foreign memory. */
struct item {
	uint64_t		 start, size;
	const struct snap_chunk	*c;		/* NULL: foreign */
	const char		*who;
	int			 h;
};

static void
text(struct buf *b, int x, int y, int size, const char *family,
    const char *fill, const char *extra, const char *s, size_t n)
{
	buf_printf(b, "<text x=\"%d\" y=\"%d\" font-family=\"%s\" "
	    "font-size=\"%d\" fill=\"%s\"%s%s>", x, y, family, size, fill,
	    extra != NULL ? " " : "", extra != NULL ? extra : "");
	export_xml_text(b, s, n);
	buf_printf(b, "</text>\n");
}

static void
textf(struct buf *b, int x, int y, int size, const char *family,
    const char *fill, const char *extra, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void
textf(struct buf *b, int x, int y, int size, const char *family,
    const char *fill, const char *extra, const char *fmt, ...)
{
	char	tmp[512];
	va_list	ap;

	va_start(ap, fmt);
	buf_vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	text(b, x, y, size, family, fill, extra, tmp, strlen(tmp));
}

/* At most max bytes of s, cut on a character boundary, with "..." if cut. */
static void
clip(const char *s, size_t max, char *out, size_t outsz)
{
	size_t	n = strlen(s);

	if (max + 4 > outsz)
		max = outsz - 4;
	if (n <= max) {
		memcpy(out, s, n + 1);
		return;
	}
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
}

static const char *
state_fill(enum model_chunk_state st)
{
	switch (st) {
	case MODEL_CHUNK_INUSE:
		return "url(#hv-inuse)";
	case MODEL_CHUNK_FREE:
		return "url(#hv-free)";
	case MODEL_CHUNK_TOP:
		return "url(#hv-top)";
	case MODEL_CHUNK_MMAPPED:
		return "url(#hv-mmapped)";
	case MODEL_CHUNK_FENCE:
		return "url(#hv-fence)";
	case MODEL_CHUNK_DAMAGED:
		return "url(#hv-damaged)";
	}
	return "none";
}

static const char *
state_letter(enum model_chunk_state st)
{
	switch (st) {
	case MODEL_CHUNK_INUSE:
		return "U";
	case MODEL_CHUNK_FREE:
		return "F";
	case MODEL_CHUNK_TOP:
		return "T";
	case MODEL_CHUNK_MMAPPED:
		return "M";
	case MODEL_CHUNK_FENCE:
		return "S";
	case MODEL_CHUNK_DAMAGED:
		return "!";
	}
	return "?";
}

static const char *
state_words(enum model_chunk_state st)
{
	switch (st) {
	case MODEL_CHUNK_INUSE:
		return "in use";
	case MODEL_CHUNK_FREE:
		return "free";
	case MODEL_CHUNK_TOP:
		return "top";
	case MODEL_CHUNK_MMAPPED:
		return "mmapped";
	case MODEL_CHUNK_FENCE:
		return "segment end";
	case MODEL_CHUNK_DAMAGED:
		return "damaged";
	}
	return model_state_name(st);
}

static void
defs(struct buf *b, const struct theme *t)
{
	buf_printf(b, "<defs>\n"
	    "<pattern id=\"hv-inuse\" width=\"12\" height=\"12\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"12\" height=\"12\" "
	    "fill=\"%s\"/></pattern>\n", t->inuse);
	buf_printf(b, "<pattern id=\"hv-free\" width=\"14\" height=\"14\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"14\" height=\"14\" "
	    "fill=\"%s\"/><path d=\"M-2,16 L16,-2 M-2,2 L2,-2 M12,16 L16,12\" "
	    "stroke=\"%s\" stroke-width=\"2\"/></pattern>\n", t->free, t->ink);
	buf_printf(b, "<pattern id=\"hv-top\" width=\"12\" height=\"12\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"12\" height=\"12\" "
	    "fill=\"%s\"/><circle cx=\"6\" cy=\"6\" r=\"1.6\" fill=\"%s\"/>"
	    "</pattern>\n", t->top, t->ink);
	buf_printf(b, "<pattern id=\"hv-mmapped\" width=\"14\" height=\"14\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"14\" height=\"14\" "
	    "fill=\"%s\"/><path d=\"M0,7 L14,7 M7,0 L7,14\" stroke=\"%s\" "
	    "stroke-width=\"1.5\"/></pattern>\n", t->mmapped, t->ink);
	buf_printf(b, "<pattern id=\"hv-foreign\" width=\"10\" height=\"10\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"10\" height=\"10\" "
	    "fill=\"%s\"/><path d=\"M0,5 L10,5\" stroke=\"%s\" "
	    "stroke-width=\"2\"/></pattern>\n", t->foreign, t->ink);
	buf_printf(b, "<pattern id=\"hv-fence\" width=\"8\" height=\"8\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" "
	    "fill=\"%s\"/><path d=\"M4,0 L4,8\" stroke=\"%s\" "
	    "stroke-width=\"2\"/></pattern>\n", t->fence, t->ink);
	buf_printf(b, "<pattern id=\"hv-damaged\" width=\"16\" height=\"16\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"16\" height=\"16\" "
	    "fill=\"%s\"/><path d=\"M0,0 L16,16 M16,0 L0,16\" stroke=\"%s\" "
	    "stroke-width=\"2\"/></pattern>\n", t->damaged, t->ink);
	buf_printf(b, "<marker id=\"hv-arrow\" markerWidth=\"10\" "
	    "markerHeight=\"10\" refX=\"9\" refY=\"5\" orient=\"auto\" "
	    "markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L10,5 L0,10 z\" "
	    "fill=\"%s\"/></marker>\n</defs>\n", t->fg);
}

/* The lowest start and highest end of the mappings of one kind. */
static size_t
span(const struct snapshot *snap, enum mapping_kind k, uint64_t *lo,
    uint64_t *hi)
{
	size_t	i, n = 0;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < snap->nmaps; i++) {
		if (snap->maps[i].kind != k)
			continue;
		if (snap->maps[i].start < *lo)
			*lo = snap->maps[i].start;
		if (snap->maps[i].end > *hi)
			*hi = snap->maps[i].end;
		n++;
	}
	return n;
}

/* The address space as the notes draw it; returns the bottom. */
static int
address_space(struct buf *b, const struct snapshot *snap,
    const struct theme *t)
{
	static const struct {
		const char		*name;
		int			 h;
		int			 kind;	/* enum mapping_kind, -1: none */
	} reg[] = {
		{ "stack \xe2\x86\x93", 78, MAPPING_STACK },
		{ "mmap region", 96, MAPPING_MMAP },
		{ "free space", 78, -1 },
		{ "heap \xe2\x86\x91", 110, MAPPING_HEAP },
		{ "data / bss", 78, MAPPING_DATA },
		{ "code", 78, MAPPING_CODE },
	};
	static const char *const fills[] = { "url(#hv-top)",
	    "url(#hv-mmapped)", "none", "url(#hv-inuse)", "url(#hv-foreign)",
	    "url(#hv-fence)" };
	int	y = TOP + 14, i;
	size_t	n;
	uint64_t lo, hi;

	textf(b, COL_A, TOP, 24, SANS, t->fg, "font-weight=\"bold\"",
	    "address space");
	textf(b, COL_A, y + 22, 17, SANS, t->dim, NULL, "high addresses");
	y += 34;
	for (i = 0; i < (int)(sizeof reg / sizeof reg[0]); i++) {
		int	h = reg[i].h;

		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\" stroke=\"%s\" "
		    "stroke-width=\"2\"%s/>\n", COL_A, y, COL_A_W, h, fills[i],
		    t->line, reg[i].kind < 0 ? " stroke-dasharray=\"8 6\"" :
		    "");
		/* The name on a plate, readable over any pattern. */
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\" opacity=\"0.85\"/>\n", COL_A + 8,
		    y + 8, COL_A_W - 16, reg[i].kind < 0 ? 30 : 54, t->bg);
		textf(b, COL_A + 16, y + 32, 22, SANS, t->fg,
		    "font-weight=\"bold\"", "%s", reg[i].name);
		if (reg[i].kind >= 0) {
			n = span(snap, (enum mapping_kind)reg[i].kind, &lo,
			    &hi);
			if (n == 0)
				textf(b, COL_A + 16, y + 54, 16, MONO, t->dim,
				    NULL, "(none)");
			else if (n == 1)
				textf(b, COL_A + 16, y + 54, 16, MONO, t->fg,
				    NULL, "0x%llx", X(lo));
			else
				textf(b, COL_A + 16, y + 54, 16, MONO, t->fg,
				    NULL, "%zu maps from 0x%llx", n, X(lo));
		}
		if (reg[i].kind == MAPPING_HEAP) {
			/* The program break: the heap's upper end. */
			buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			    "y2=\"%d\" stroke=\"%s\" stroke-width=\"5\"/>\n",
			    COL_A - 10, y, COL_A + COL_A_W + 10, y, t->brk);
			textf(b, COL_A + 16, y - 10, 16, SANS, t->brk,
			    "font-weight=\"bold\"", "break 0x%llx",
			    X(snap->brk));
		}
		y += h;
	}
	textf(b, COL_A, y + 24, 17, SANS, t->dim, NULL, "low addresses");
	return y + 30;
}

static int
cmp_item_desc(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;

	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

/* Heights: proportional to size, at least min, sharing room. */
static void
heights(struct item *it, size_t n, int room, int min)
{
	double	lo = 0, hi = 1, k;
	size_t	i;
	int	iter;

	if ((double)n * min >= room) {
		for (i = 0; i < n; i++)
			it[i].h = min;
		return;
	}
	/* The scale at which the boxes fill the room, by bisection. */
	for (iter = 0; iter < 200; iter++) {
		double	sum = 0;

		k = (lo + hi) / 2;
		for (i = 0; i < n; i++) {
			double	h = (double)it[i].size * k;

			sum += h < min ? min : h;
		}
		if (sum > room)
			hi = k;
		else
			lo = k;
	}
	for (i = 0; i < n; i++) {
		double	h = (double)it[i].size * lo;

		it[i].h = h < min ? min : (int)h;
	}
}

static void
marker(struct buf *b, int y, const char *what, const char *color, bool solid)
{
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"%s\" stroke-width=\"%d\"%s/>\n", COL_B - 6, y + MARK_H / 2,
	    COL_B + BOX_W + 6, y + MARK_H / 2, color, solid ? 5 : 2,
	    solid ? "" : " stroke-dasharray=\"4 6\"");
	text(b, COL_B + BOX_W + 16, y + MARK_H / 2 + 6, 17, SANS, color,
	    "font-weight=\"bold\"", what, strlen(what));
}

/* A chunk's box and its label: two lines, or one when there are many. */
static void
chunk_box(struct buf *b, const struct snapshot *snap, const struct item *it,
    int y, bool one_line, const struct theme *t)
{
	const struct snap_chunk	*c = it->c;
	enum model_chunk_state	 st = c ? c->state : MODEL_CHUNK_INUSE;
	const char		*fill = c ? state_fill(st) : "url(#hv-foreign)";
	const char		*letter = c ? state_letter(st) : "X";
	bool			 changed = c != NULL && c->changed;
	char			 label[200], bin[40], name[80];
	const struct model_bin_class *named;
	struct buf		 l2;
	int			 lx = COL_B + BOX_W + 16, mid = y + it->h / 2;

	buf_printf(b, "<g>\n<title>");
	if (c != NULL) {
		buf_printf(b, "chunk 0x%llx, %llu bytes, %s", X(c->addr),
		    X(c->size), state_words(st));
		if (c->name != NULL) {
			buf_printf(b, ", ");
			export_xml_text(b, c->name, strlen(c->name));
		}
	} else {
		buf_printf(b, "0x%llx, %llu bytes: ", X(it->start),
		    X(it->size));
		export_xml_text(b, it->who, strlen(it->who));
	}
	buf_printf(b, "</title>\n");
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\" stroke=\"%s\" stroke-width=\"%d\"%s/>\n", COL_B, y,
	    BOX_W, it->h, fill, changed ? t->accent : t->line,
	    changed ? 6 : 2, changed ? " stroke-dasharray=\"12 6\"" : "");
	/* The state's letter on a disc, readable over the pattern. */
	buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" "
	    "stroke=\"%s\" stroke-width=\"1.5\"/>\n", COL_B + 26, mid,
	    one_line ? 12 : 16, t->bg, t->line);
	textf(b, COL_B + 26, mid + (one_line ? 6 : 8), one_line ? 17 : 22,
	    SANS, t->fg, "font-weight=\"bold\" text-anchor=\"middle\"", "%s",
	    letter);

	/* Beside it: address and size, then name and state. */
	textf(b, lx, one_line ? mid + 6 : mid - 4, one_line ? 18 : 20, MONO,
	    t->fg, NULL, "0x%llx  %llu B", X(it->start), X(it->size));
	buf_init(&l2);
	if (c != NULL) {
		if (c->name != NULL) {
			clip(c->name, 24, name, sizeof name);
			/* "p1~": freed, as every view spells it. */
			buf_printf(&l2, "%s%s \xc2\xb7 ", name, c->dangling ?
			    "~" : "");
		}
		buf_printf(&l2, "%s", state_words(st));
		/* An in-use chunk the model names, as `heap` names it. */
		if (st == MODEL_CHUNK_INUSE &&
		    (named = snapshot_special_at(snap, c->addr)) != NULL)
			buf_printf(&l2, " \xc2\xb7 %s", named->words);
		if (st == MODEL_CHUNK_FREE)
			buf_printf(&l2, " \xc2\xb7 %s", snap->model == NULL ?
			    "no bin" : model_bin_label(snap->model,
			    c->bin_class, c->bin, MODEL_LABEL_SHORT, "no bin",
			    bin, sizeof bin));
	} else {
		clip(it->who, 60, label, sizeof label);
		buf_printf(&l2, "%s", label);
	}
	if (changed)
		buf_printf(&l2, " \xc2\xb7 changed");
	if (one_line)	/* after the address and size */
		text(b, lx + 270, mid + 6, 16, SANS, changed ? t->accent :
		    t->dim, changed ? "font-weight=\"bold\"" : NULL, l2.s,
		    l2.len);
	else
		text(b, lx, mid + 20, 17, SANS, changed ? t->accent : t->dim,
		    changed ? "font-weight=\"bold\"" : NULL, l2.s, l2.len);
	buf_free(&l2);
	buf_printf(b, "</g>\n");
}

/* The chunk column; returns the bottom. */
static int
chunks(struct buf *b, const struct snapshot *snap, const struct theme *t)
{
	struct item	*it;
	size_t		 n = 0, i, nmark = 0;
	int		 y = TOP + 14;
	bool		 brk_drawn = false;

	textf(b, COL_B, TOP, 24, SANS, t->fg, "font-weight=\"bold\"",
	    "heap chunks, high addresses at the top");
	it = xcalloc(snap->nchunks + snap->nforeign + 1, sizeof *it);
	for (i = 0; i < snap->nchunks; i++) {
		it[n].c = &snap->chunks[i];
		it[n].start = snap->chunks[i].addr;
		it[n++].size = snap->chunks[i].size;
	}
	for (i = 0; i < snap->nforeign; i++) {
		it[n].start = snap->foreign[i].start;
		it[n].size = snap->foreign[i].end - snap->foreign[i].start;
		it[n++].who = snap->foreign[i].who;
	}
	qsort(it, n, sizeof *it, cmp_item_desc);
	for (i = 1; i < n; i++)
		if (it[i].start + it[i].size < it[i - 1].start)
			nmark++;
	heights(it, n, CHUNK_ROOM - (int)(nmark + 1) * MARK_H,
	    n > MANY ? CHUNK_MIN_MANY : CHUNK_MIN);
	y += 10;
	if (n == 0) {
		textf(b, COL_B, y + 30, 20, SANS, t->dim, NULL,
		    "(empty: nothing allocated yet)");
		y += 50;
	}
	for (i = 0; i < n; i++) {
		uint64_t end = it[i].start + it[i].size;

		if (!brk_drawn && snap->brk != 0 && end <= snap->brk &&
		    snap->brk >= snap->heap_start) {
			char	m[80];

			buf_snprintf(m, sizeof m, "program break 0x%llx",
			    X(snap->brk));
			marker(b, y, m, t->brk, true);
			y += MARK_H;
			brk_drawn = true;
		} else if (i > 0 && end < it[i - 1].start) {
			char	m[80];

			buf_snprintf(m, sizeof m, "gap of %llu bytes",
			    X(it[i - 1].start - end));
			marker(b, y, m, t->dim, false);
			y += MARK_H;
		}
		chunk_box(b, snap, &it[i], y, n > MANY, t);
		y += it[i].h;
	}
	if (n > 0) {
		textf(b, COL_B, y + 26, 17, SANS, t->dim, NULL,
		    "heap start 0x%llx", X(snap->heap_start));
		y += 30;
	}
	free(it);
	return y;
}

static int
bin_node(struct buf *b, int x, int y, int w, const char *label,
    const struct theme *t, const char *fill, bool mono)
{
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"40\" "
	    "rx=\"6\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>\n", x, y,
	    w, fill, t->line);
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"24\" "
	    "fill=\"%s\" opacity=\"0.85\"/>\n", x + 6, y + 8, w - 12, t->bg);
	text(b, x + w / 2, y + 26, 16, mono ? MONO : SANS, t->fg,
	    "text-anchor=\"middle\"", label, strlen(label));
	return x + w;
}

static void
arrow(struct buf *b, int x1, int y1, int x2, int y2, const struct theme *t)
{
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"%s\" stroke-width=\"2.5\" "
	    "marker-end=\"url(#hv-arrow)\"/>\n", x1, y1, x2, y2, t->fg);
}

/* The free bins: a row of boxes each, joined along the links. */
static int
bins(struct buf *b, const struct snapshot *snap, int cx, int per_row,
    const struct theme *t)
{
	int	y = TOP + 14, head_w = 110, node_w = 150, gap = 26;
	size_t	i, j;
	char	lab[40], a[40];

	textf(b, cx, TOP, 24, SANS, t->fg, "font-weight=\"bold\"",
	    "free bins, in link order");
	y += 10;
	for (i = 0, j = 0; i < snap->nspecials; i++)
		j += snap->specials[i].has;
	if (snap->nbins == 0 && j == 0) {
		textf(b, cx, y + 26, 20, SANS, t->dim, NULL,
		    "(no free chunk in any bin)");
		y += 40;
	}
	for (i = 0; i < snap->nbins; i++) {
		const struct snap_bin	*sb = &snap->bins[i];
		size_t			 shown = sb->n < MAX_BIN_NODES ? sb->n :
					    MAX_BIN_NODES;
		int			 x, row = 0;

		model_bin_label(snap->model, sb->cls, sb->index,
		    MODEL_LABEL_SHORT, "bin", lab, sizeof lab);
		if (sb->lo == sb->hi)
			textf(b, cx, y + 22, 18, SANS, t->fg, NULL,
			    "%s: %zu-byte chunks, %zu free", lab, sb->lo,
			    sb->n);
		else
			textf(b, cx, y + 22, 18, SANS, t->fg, NULL,
			    "%s: %zu to %zu bytes, %zu free", lab, sb->lo,
			    sb->hi, sb->n);
		y += 32;
		x = bin_node(b, cx, y, head_w, lab, t, t->panel, false);
		for (j = 0; j < shown; j++) {
			if (j > 0 && j % per_row == 0) {
				/* On to the next row: the link bends down. */
				int	ny = y + 56;

				buf_printf(b, "<path d=\"M%d,%d L%d,%d L%d,%d "
				    "L%d,%d\" fill=\"none\" stroke=\"%s\" "
				    "stroke-width=\"2.5\" "
				    "marker-end=\"url(#hv-arrow)\"/>\n", x,
				    y + 20, x + 10, y + 20, x + 10, y + 48,
				    cx + head_w + gap / 2, y + 48, t->fg);
				(void)ny;
				y += 56;
				row++;
				x = cx + head_w;
				buf_printf(b, "<line x1=\"%d\" y1=\"%d\" "
				    "x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
				    "stroke-width=\"2.5\" "
				    "marker-end=\"url(#hv-arrow)\"/>\n",
				    cx + head_w + gap / 2, y - 8, x + gap,
				    y + 20, t->fg);
			} else
				arrow(b, x, y + 20, x + gap, y + 20, t);
			buf_snprintf(a, sizeof a, "0x%llx", X(sb->chunks[j]));
			x = bin_node(b, x + gap, y, node_w, a, t,
			    "url(#hv-free)", true);
		}
		if (shown < sb->n)
			textf(b, x + 10, y + 26, 17, SANS, t->dim, NULL,
			    "... %zu more", sb->n - shown);
		y += 56;
	}
	for (i = 0; i < snap->nspecials; i++) {
		const struct snap_special	*sp = &snap->specials[i];

		if (!sp->has)
			continue;
		/* "dv (designated victim): 0x..., N bytes" */
		textf(b, cx, y + 22, 18, SANS, t->fg, NULL,
		    "%s (%s): 0x%llx, %llu bytes",
		    snap->model->classes[sp->cls].key,
		    snap->model->classes[sp->cls].name, X(sp->addr),
		    X(sp->size));
		y += 32;
	}
	if (snap->has_top) {
		textf(b, cx, y + 22, 18, SANS, t->fg, NULL,
		    "top: 0x%llx, %llu bytes", X(snap->top), X(snap->topsize));
		y += 32;
	}
	return y;
}

/*
 * A system call in monospace, broken after a comma when longer than max
 * characters (a trace's mmap has six arguments); returns the y of its
 * last line.
 */
static int
wrapped(struct buf *b, int x, int y, int max, const char *s,
    const struct theme *t)
{
	size_t	n = strlen(s), cut;
	int	lines = 0;

	while (n > (size_t)max && lines < 3) {
		for (cut = (size_t)max; cut > 10 && s[cut - 1] != ','; cut--)
			;
		if (cut <= 10)
			cut = (size_t)max;
		text(b, x + (lines ? 24 : 0), y + 24, 19, MONO, t->fg, NULL, s,
		    cut);
		s += cut;
		n -= cut;
		while (*s == ' ') {
			s++;
			n--;
		}
		y += 24;
		lines++;
	}
	text(b, x + (lines ? 24 : 0), y + 24, 19, MONO, t->fg, NULL, s, n);
	return y;
}

/* The system calls the step made; returns the bottom. */
static int
calls(struct buf *b, const struct snapshot *snap, int y, int cx, int width,
    const struct theme *t)
{
	size_t	i, n = snap->nlog - snap->log_new, shown = 0;
	struct buf	 l;
	char		 cause[120];

	y += 26;
	textf(b, cx, y + 24, 24, SANS, t->fg, "font-weight=\"bold\"",
	    "system calls of this step");
	y += 34;
	if (n == 0) {
		textf(b, cx, y + 24, 20, SANS, t->dim, NULL, "(none)");
		return y + 36;
	}
	buf_init(&l);
	for (i = snap->log_new; i < snap->nlog && shown < MAX_CALLS;
	    i++, shown++) {
		const struct sysevent	*e = &snap->log[i];

		buf_reset(&l);
		sysevent_text(&l, e);
		y = wrapped(b, cx, y, width / 11, l.s, t);
		clip(e->cause, 60, cause, sizeof cause);
		buf_reset(&l);
		buf_printf(&l, "\xe2\x86\x90 %s", cause);
		text(b, cx + 24, y + 48, 17, SANS, t->dim, NULL, l.s, l.len);
		y += 56;
	}
	if (shown < n)
		textf(b, cx, y + 22, 17, SANS, t->dim, NULL,
		    "... %zu more (the log has them all)", n - shown);
	buf_free(&l);
	return y + 30;
}

static void
legend(struct buf *b, int y, const struct theme *t)
{
	static const struct {
		const char	*fill, *letter, *words;
	} k[] = {
		{ "url(#hv-inuse)", "U", "in use" },
		{ "url(#hv-free)", "F", "free (in a bin)" },
		{ "url(#hv-top)", "T", "top (the rest)" },
		{ "url(#hv-mmapped)", "M", "mmapped" },
		{ "url(#hv-foreign)", "X", "not ours (libc)" },
		{ "url(#hv-fence)", "S", "segment end" },
	};
	size_t	i;
	int	x = COL_A;

	buf_printf(b, "<g>\n<title>legend</title>\n");
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"%s\" stroke-width=\"1\"/>\n", COL_A, y, W - 30, y,
	    t->dim);
	y += 18;
	for (i = 0; i < sizeof k / sizeof k[0]; i++) {
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"56\" "
		    "height=\"36\" fill=\"%s\" stroke=\"%s\" "
		    "stroke-width=\"2\"/>\n", x, y, k[i].fill, t->line);
		buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"13\" fill=\"%s\" "
		    "stroke=\"%s\" stroke-width=\"1.5\"/>\n", x + 28, y + 18,
		    t->bg, t->line);
		textf(b, x + 28, y + 25, 19, SANS, t->fg,
		    "font-weight=\"bold\" text-anchor=\"middle\"", "%s",
		    k[i].letter);
		textf(b, x + 66, y + 25, 18, SANS, t->fg, NULL, "%s",
		    k[i].words);
		x += 66 + 9 * (int)strlen(k[i].words) + 40;
	}
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"56\" height=\"36\" "
	    "fill=\"none\" stroke=\"%s\" stroke-width=\"6\" "
	    "stroke-dasharray=\"12 6\"/>\n", x, y, t->accent);
	textf(b, x + 66, y + 25, 18, SANS, t->accent, "font-weight=\"bold\"",
	    "changed by this step");
	buf_printf(b, "</g>\n");
}

void
export_svg_render(const struct snapshot *snap, const char *line,
    enum export_theme theme, struct buf *b)
{
	const struct theme	*t = &themes[theme];
	struct buf		 body, title, full;
	char			 last[160];
	const char		*cmd;
	int			 ya, yb, yc, h, cx;

	buf_init(&body);
	buf_init(&title);
	buf_init(&full);	/* the whole line, for the <title> */
	if (snap->step == 0) {
		buf_printf(&title, "step 0: the fresh heap");
		buf_printf(&full, "step 0: the fresh heap");
	} else {
		cmd = line != NULL ? line : snap->last != NULL ? snap->last :
		    "";
		clip(cmd, 60, last, sizeof last);
		buf_printf(&title, "step %u: %s", snap->step, last);
		buf_printf(&full, "step %u: ", snap->step);
		buf_add_str(&full, cmd);
	}
	/* Large type; a long command line smaller, to fit. */
	text(&body, COL_A, 60, title.len > 44 ? 30 : 38, SANS, t->fg,
	    "font-weight=\"bold\"", title.s, title.len);
	textf(&body, COL_A, 100, 21, SANS, t->dim, NULL, "heapviz \xc2\xb7 "
	    "%s mode \xc2\xb7 break 0x%llx (+0x%llx since the start) \xc2\xb7 "
	    "%zu bytes in use, %zu free", snap->mode, X(snap->brk),
	    X(snap->brk - snap->initial_brk), snap->stats.inuse,
	    snap->stats.free);
	ya = address_space(&body, snap, t);
	yb = chunks(&body, snap, t);
	/* With many chunks their labels are one long line: the bins move
	 * right. */
	cx = snap->nchunks + snap->nforeign > MANY ? COL_C + 190 : COL_C;
	yc = calls(&body, snap, bins(&body, snap, cx, cx == COL_C ? 3 : 2, t),
	    cx, W - 30 - cx, t);
	h = ya > yb ? ya : yb;
	h = h > yc ? h : yc;
	legend(&body, h + 20, t);
	h += 100;

	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>heapviz, ",
	    W, h, W, h);
	export_xml_text(b, full.s, full.len);
	buf_printf(b, "</title>\n<desc>The heap, its free bins and system "
	    "calls at one step, drawn by heapviz.</desc>\n");
	defs(b, t);
	buf_printf(b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\"/>\n", W, h, t->bg);
	buf_add(b, body.s, body.len);
	buf_printf(b, "</svg>\n");
	buf_free(&body);
	buf_free(&title);
	buf_free(&full);
}

struct svg_ctx {
	enum export_theme	 theme;
	struct buf		*b;
};

static int
svg_at(struct session *s, size_t n, void *ctx)
{
	struct svg_ctx	*c = ctx;
	struct snapshot	*snap = snapshot_take(s);

	export_svg_render(snap, history_line(s, n), c->theme, c->b);
	snapshot_free(snap);
	return 0;
}

int
export_svg(struct session *s, size_t step, enum export_theme theme,
    struct buf *b, struct out *out)
{
	struct svg_ctx	c = { theme, b };

	if (step == history_position(s))
		return svg_at(s, step, &c);
	return export_visit(s, step, step, svg_at, &c, out);
}
