/*
 * tui-draw.c -- what every pane and overlay of the full screen draws with:
 * the styles (a colour or an attribute per kind of cell), UTF-8 text put
 * at most so many columns wide, a row written left to right and clipped,
 * the framed box with its title and scroll position, the scroll keys
 * every pane shares, and the names and numbers as the panes show them.
 * It knows the screen's state (struct tui) only for its styles and focus;
 * it never lays out the screen nor runs a command: that is tui.c's.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "render.h"
#include "tui-draw.h"
#include "xmalloc.h"
/* ---- Styles and text. ---- */

void
tui_styles_init(struct tui *t)
{
	static const struct {
		short	 fg;
		attr_t	 color_attr;	/* with colour */
		attr_t	 mono;		/* without */
	} def[TS_COUNT] = {
		[TS_NORMAL]	 = { -1, A_NORMAL, A_NORMAL },
		[TS_BORDER]	 = { -1, A_NORMAL, A_NORMAL },
		[TS_TITLE]	 = { -1, A_BOLD, A_BOLD },
		[TS_TITLE_FOCUS] = { COLOR_CYAN, A_BOLD | A_REVERSE,
				     A_BOLD | A_REVERSE },
		[TS_HEAD]	 = { -1, A_BOLD, A_UNDERLINE },
		[TS_INUSE]	 = { COLOR_GREEN, A_NORMAL, A_BOLD },
		[TS_FREE]	 = { COLOR_CYAN, A_NORMAL, A_NORMAL },
		[TS_TOP]	 = { COLOR_YELLOW, A_NORMAL, A_DIM },
		[TS_MMAP]	 = { COLOR_MAGENTA, A_NORMAL, A_UNDERLINE },
		[TS_HEADER]	 = { COLOR_BLUE, A_NORMAL, A_DIM },
		[TS_DANGLING]	 = { COLOR_RED, A_NORMAL, A_UNDERLINE },
		[TS_FOREIGN]	 = { COLOR_MAGENTA, A_BOLD, A_DIM },
		[TS_FENCE]	 = { -1, A_DIM, A_DIM },
		[TS_BREAK]	 = { COLOR_YELLOW, A_BOLD, A_BOLD },
		[TS_CHANGED]	 = { -1, A_REVERSE | A_BOLD,
				     A_REVERSE | A_BOLD },
		[TS_ERROR]	 = { COLOR_RED, A_BOLD, A_BOLD },
		[TS_DIM]	 = { -1, A_DIM, A_DIM },
	};
	int	i, bg = -1;

	t->color = t->opts.color && has_colors();
	if (t->color) {
		const char *nc = getenv("NO_COLOR");

		if (nc != NULL && *nc != '\0')
			t->color = false;
	}
	if (t->color) {
		start_color();
		if (use_default_colors() == ERR)
			bg = COLOR_BLACK;
	}
	for (i = 0; i < TS_COUNT; i++) {
		t->colored[i] = false;
		if (t->color && def[i].fg != -1 && i < COLOR_PAIRS) {
			init_pair((short)i, def[i].fg, (short)bg);
			t->style[i] = def[i].color_attr | COLOR_PAIR(i);
			t->colored[i] = true;
		} else if (t->color)
			t->style[i] = def[i].color_attr;
		else
			t->style[i] = def[i].mono;
	}
}

attr_t
tui_attr(struct tui *t, enum tui_style st)
{
	return t->style[st];
}

const char *
tui_glyph(struct tui *t, const char *utf8, const char *ascii)
{
	return t->ascii ? ascii : utf8;
}

int
tui_put(WINDOW *w, const char *s, int n)
{
	int		 used = 0, cw;
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 k;
	const char	*p;

	/* ASCII is the common case: one call. */
	for (p = s; *p != '\0' && (unsigned char)*p < 0x80 && p - s < n; p++)
		;
	if (*p == '\0' || p - s >= n) {
		k = (size_t)(p - s);
		if (k > 0)
			waddnstr(w, s, (int)k);
		return (int)k;
	}
	memset(&ps, 0, sizeof ps);
	while (*s != '\0' && used < n) {
		k = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			k = 1;
		} else if (k == 0)
			break;
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > n)
			break;
		waddnwstr(w, &wc, 1);
		used += cw;
		s += k;
	}
	return used;
}

/*
 * The bytes of s (at most lim of them) that fill at most n columns;
 * *cols gets their columns.
 */
static size_t
fit(const char *s, size_t lim, int n, int *cols)
{
	const char	*p = s;
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 k;
	int		 used = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (*p != '\0' && (size_t)(p - s) < lim) {
		if ((unsigned char)*p < 0x80) {
			k = 1;
			cw = 1;
		} else {
			k = mbrtowc(&wc, p, MB_CUR_MAX, &ps);
			if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
				memset(&ps, 0, sizeof ps);
				k = 1;
				cw = 1;
			} else if ((cw = wcwidth(wc)) < 0)
				cw = 1;
		}
		if (used + cw > n)
			break;
		used += cw;
		p += k;
	}
	if (cols != NULL)
		*cols = used;
	return (size_t)(p - s);
}

int
tui_width(const char *s)
{
	int	cols;

	fit(s, SIZE_MAX, INT32_MAX, &cols);
	return cols;
}

static bool
word_byte(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_';
}

const char *
tui_cut_mark(struct tui *t)
{
	return tui_glyph(t, "\u2026", ">");
}

/*
 * Puts s in at most n columns.  What does not fit is cut before the edge,
 * never inside a word or number ("0x200" of "0x2000" would be a wrong
 * value), and the cut is marked with "…".  Returns the columns used.
 */
int
tui_put_cut(struct tui *t, WINDOW *w, const char *s, int n)
{
	char	head[1024];
	size_t	k, j;
	int	cols;

	if (n <= 0)
		return 0;
	k = fit(s, SIZE_MAX, n, &cols);
	if (s[k] == '\0')
		return tui_put(w, s, n);
	k = fit(s, SIZE_MAX, n - 1, &cols);
	if (k > 0 && word_byte(s[k]) && word_byte(s[k - 1])) {
		for (j = k; j > 0 && word_byte(s[j - 1]); j--)
			;
		/* A word as wide as the space: cut it after all. */
		if (j > 0)
			k = j;
	}
	if (k >= sizeof head)
		k = sizeof head - 1;
	memcpy(head, s, k);
	head[k] = '\0';
	cols = tui_put(w, head, n - 1);
	return cols + tui_put(w, tui_cut_mark(t), 1);
}

/*
 * Wrapping: each line of s is split into rows of at most width columns at
 * spaces, so that no word or number is cut; a word wider than the row is
 * split where the row ends and goes on in the next.  A continued row is
 * indented two columns more than its line.
 */
size_t
tui_wrap(const char *s, size_t n, int width, struct tui_wrap_row **rows,
    size_t *cap, size_t at)
{
	size_t	nrows = at, i = 0;

	if (width < 8)
		width = 8;
	if (n == 0) {
		/* An empty line is a row too. */
		tui_rows_reserve((void **)rows, cap, at + 1, sizeof **rows);
		memset(&(*rows)[at], 0, sizeof **rows);
		return 1;
	}
	while (i < n) {
		size_t	end = i, lead = 0;
		bool	cont = false;

		while (end < n && s[end] != '\n')
			end++;
		while (i + lead < end && s[i + lead] == ' ')
			lead++;
		if (lead > (size_t)width / 2)
			lead = 0;
		do {
			int	room = width - (cont ? (int)lead + 2 : 0), cols;
			size_t	k, brk;

			k = fit(s + i, end - i, room, &cols);
			if (i + k < end) {
				/* The last space in the part that fits. */
				for (brk = k; brk > 0 && s[i + brk] != ' ';
				    brk--)
					;
				if (brk > (cont ? 0 : lead))
					k = brk;
				else if (k == 0)
					k = 1;
			}
			tui_rows_reserve((void **)rows, cap, nrows + 1,
			    sizeof **rows);
			(*rows)[nrows].off = i;
			(*rows)[nrows].len = (uint32_t)k;
			(*rows)[nrows].indent = cont ? (uint16_t)(lead + 2) : 0;
			(*rows)[nrows].cont = cont;
			nrows++;
			i += k;
			while (i < end && s[i] == ' ')
				i++;
			cont = true;
		} while (i < end);
		i = end + 1;
	}
	return nrows - at;
}

int
tui_wrap_put(WINDOW *w, const char *s, const struct tui_wrap_row *r, int n)
{
	char	b[1024];
	size_t	k = r->len < sizeof b ? r->len : sizeof b - 1;
	int	i, used = 0;

	for (i = 0; i < r->indent && used < n; i++, used++)
		waddch(w, ' ');
	memcpy(b, s + r->off, k);
	b[k] = '\0';
	return used + tui_put(w, b, n - used);
}

int
tui_putf(WINDOW *w, int n, const char *fmt, ...)
{
	char	b[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	return tui_put(w, b, n);
}

void
tui_fmt_size(char *b, size_t n, uint64_t v)
{
	static const char units[] = "KMGTPE";
	double	d = (double)v;
	int	u = -1;

	/* As `map` says it, while its number has at most five digits
	 * (then v >= 100000: the loop below runs at least once). */
	render_human_size(b, n, v);
	if (strcspn(b, " ") <= 5)
		return;
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	snprintf(b, n, d < 10 ? "~%.1f %ciB" : "~%.0f %ciB", d, units[u]);
}

/*
 * The Heap pane's strip: with colour and UTF-8, shaded blocks (which stay
 * apart in a colour-blind eye or a grey projector); otherwise letters.
 * The strip and every legend of it take their glyphs from here.
 */
const char *
tui_strip_glyph(struct tui *t, enum tui_style st)
{
	bool	blocks = t->color && !t->ascii;

	switch (st) {
	case TS_INUSE:
		return blocks ? "\u2588" : "U";
	case TS_FREE:
		return blocks ? "\u2591" : "f";
	case TS_TOP:
		return blocks ? "\u2592" : ".";
	case TS_FOREIGN:
		return blocks ? "\u2593" : "x";
	default:
		return " ";
	}
}

/* The strip's legend: "█ in use  ░ free  ▒ top  ▓ not ours". */
void
tui_strip_legend(struct tui *t, char *b, size_t n)
{
	snprintf(b, n, "%s in use  %s free  %s top  %s not ours",
	    tui_strip_glyph(t, TS_INUSE), tui_strip_glyph(t, TS_FREE),
	    tui_strip_glyph(t, TS_TOP), tui_strip_glyph(t, TS_FOREIGN));
}

enum tui_style
tui_chunk_style(const struct snap_chunk *c)
{
	switch (c->state) {
	case MODEL_CHUNK_INUSE:
		return TS_INUSE;
	case MODEL_CHUNK_FREE:
		return TS_FREE;
	case MODEL_CHUNK_TOP:
		return TS_TOP;
	case MODEL_CHUNK_MMAPPED:
		return TS_MMAP;
	case MODEL_CHUNK_FENCE:
		return TS_FENCE;
	case MODEL_CHUNK_DAMAGED:
		return TS_ERROR;
	}
	return TS_NORMAL;
}

void
tui_fmt_bin(char *b, size_t n, const struct snapshot *s, int cls, int i)
{
	if (s->model == NULL)
		strlcopy(b, "-", n);
	else
		model_bin_label(s->model, cls, i, MODEL_LABEL_SHORT, "-", b, n);
}

void
tui_line_begin(struct tui_line *l, struct tui *t, WINDOW *w, int y, int x,
    int width, bool changed)
{
	l->t = t;
	l->w = w;
	l->left = width;
	l->extra = changed ? tui_attr(t, TS_CHANGED) : 0;
	l->cut = false;
	wmove(w, y, x);
	if (l->left > 0) {
		wattrset(w, tui_attr(t, TS_CHANGED) * changed);
		waddch(w, changed ? '*' : ' ');
		l->left--;
	}
}

void
tui_line_put(struct tui_line *l, enum tui_style st, const char *s)
{
	int	y, x;

	if (*s == '\0')
		return;
	if (l->left <= 0) {
		/* More came after the row was full: mark its last cell. */
		if (!l->cut) {
			getyx(l->w, y, x);
			if (x > 0) {
				wmove(l->w, y, x - 1);
				wattrset(l->w, tui_attr(l->t, TS_DIM) |
				    l->extra);
				tui_put(l->w, tui_cut_mark(l->t), 1);
				wattrset(l->w, A_NORMAL);
			}
			l->cut = true;
		}
		return;
	}
	wattrset(l->w, tui_attr(l->t, st) | l->extra);
	/* A character takes at least a byte: most pieces fit by their
	 * length alone. */
	if (strnlen(s, (size_t)l->left + 1) > (size_t)l->left &&
	    tui_width(s) > l->left) {
		l->cut = true;
		tui_put_cut(l->t, l->w, s, l->left);
		l->left = 0;
	} else
		l->left -= tui_put(l->w, s, l->left);
	wattrset(l->w, A_NORMAL);
}

void
tui_line_printf(struct tui_line *l, enum tui_style st, const char *fmt, ...)
{
	char	b[512];
	va_list	ap;

	if (l->left <= 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	tui_line_put(l, st, b);
}

void
tui_line_end(struct tui_line *l)
{
	if (l->extra == 0 || l->left <= 0)
		return;
	wattrset(l->w, l->extra);
	while (l->left-- > 0)
		waddch(l->w, ' ');
	wattrset(l->w, A_NORMAL);
}

void *
tui_rows_reserve(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n > *cap) {
		size_t	c = *cap ? *cap : 64;

		while (c < n)
			c *= 2;
		*v = xreallocarray(*v, c, sz);
		*cap = c;
	}
	return *v;
}

const char *
tui_chunk_name(const struct snap_chunk *c, char *b, size_t n)
{
	if (c == NULL || c->name == NULL)
		return NULL;
	if (c->dangling) {
		snprintf(b, n, "%s~", c->name);
		return b;
	}
	return c->name;
}

/* ---- Panes: scrolling and the frame. ---- */

int
tui_pane_view(struct tui_pane *p)
{
	int	v = p->h - 2 - p->fixed;

	return v < 0 ? 0 : v;
}

void
tui_pane_clamp(struct tui_pane *p)
{
	size_t	v = (size_t)tui_pane_view(p);

	if (p->follow || p->top + v > p->nrows)
		p->top = p->nrows > v ? p->nrows - v : 0;
}

void
tui_pane_show(struct tui_pane *p, size_t r)
{
	size_t	v = (size_t)tui_pane_view(p);

	if (v == 0)
		return;
	if (r < p->top || r >= p->top + v)
		p->top = r > v / 2 ? r - v / 2 : 0;
	p->follow = false;
	tui_pane_clamp(p);
}

bool
tui_pane_scroll_key(struct tui_pane *p, int key)
{
	size_t	v = (size_t)tui_pane_view(p), page = v > 1 ? v - 1 : 1;
	size_t	max = p->nrows > v ? p->nrows - v : 0;

	switch (key) {
	case KEY_UP:
		if (p->top > 0)
			p->top--;
		break;
	case KEY_DOWN:
		if (p->top < max)
			p->top++;
		break;
	case KEY_PPAGE:
		p->top = p->top > page ? p->top - page : 0;
		break;
	case KEY_NPAGE:
		p->top = p->top + page < max ? p->top + page : max;
		break;
	case KEY_HOME:
		p->top = 0;
		break;
	case KEY_END:
		p->top = max;
		break;
	default:
		return false;
	}
	/* The Log follows new lines again once scrolled to its end. */
	p->follow = (p->top == max);
	p->dirty = true;
	return true;
}

void
tui_pane_free(struct tui_pane *p)
{
	free(p->rows);
	p->rows = NULL;
	p->caprows = 0;
	free(p->aux);
	p->aux = NULL;
	p->capaux = 0;
	buf_free(&p->text);
}

/* Border, title and where the view is, e.g. "12-20/340". */
void
tui_frame(struct tui *t, struct tui_pane *p)
{
	WINDOW		*w = p->win;
	bool		 focus = (p == &t->pane[t->focus]);
	char		 pos[64];
	int		 len, tw;
	size_t		 v = (size_t)tui_pane_view(p);

	werase(w);
	wattrset(w, tui_attr(t, TS_BORDER));
	if (t->ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else {
		cchar_t	ls, rs, ts, bs, tl, tr, bl, br;

		setcchar(&ls, L"\u2502", 0, 0, NULL);
		setcchar(&rs, L"\u2502", 0, 0, NULL);
		setcchar(&ts, L"\u2500", 0, 0, NULL);
		setcchar(&bs, L"\u2500", 0, 0, NULL);
		setcchar(&tl, L"\u250c", 0, 0, NULL);
		setcchar(&tr, L"\u2510", 0, 0, NULL);
		setcchar(&bl, L"\u2514", 0, 0, NULL);
		setcchar(&br, L"\u2518", 0, 0, NULL);
		wborder_set(w, &ls, &rs, &ts, &bs, &tl, &tr, &bl, &br);
	}
	wattrset(w, A_NORMAL);
	wmove(w, 0, 1);
	wattrset(w, tui_attr(t, focus ? TS_TITLE_FOCUS : TS_TITLE));
	if (t->zoom >= 0 && p == &t->pane[t->zoom])
		tw = tui_putf(w, p->w - 2, " %s %s F6/Esc: every pane ", p->title,
		    tui_glyph(t, "\u00b7", "-"));
	else if (t->zoom_forced)
		tw = tui_putf(w, p->w - 2, " %s %s Tab: next pane ", p->title,
		    tui_glyph(t, "\u00b7", "-"));
	else
		tw = tui_putf(w, p->w - 2, " %s ", p->title);
	wattrset(w, A_NORMAL);
	if (p->nrows > v && v > 0) {
		size_t	last = p->top + v < p->nrows ? p->top + v : p->nrows;

		len = snprintf(pos, sizeof pos, " %zu-%zu/%zu ", p->top + 1,
		    last, p->nrows);
		if (len > 0 && len + tw + 4 < p->w) {
			wmove(w, 0, p->w - 1 - len);
			wattrset(w, tui_attr(t, TS_DIM));
			tui_put(w, pos, len);
			wattrset(w, A_NORMAL);
		}
	}
	if (p->cls != NULL && p->cls->foot != NULL &&
	    (len = (int)strlen(p->cls->foot)) + 6 <= p->w) {
		wmove(w, p->h - 1, 2);
		wattrset(w, tui_attr(t, TS_DIM));
		tui_putf(w, len + 2, " %s ", p->cls->foot);
		wattrset(w, A_NORMAL);
	}
}

