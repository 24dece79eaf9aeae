/*
 * tui-draw.h -- what the full-screen view's files share: struct tui, the
 * pane classes and what every pane draws with (tui-draw.c).  tui.c,
 * tui-overlay.c and tui-input.c keep their own calls in their own headers.
 *
 * tui.c owns the screen: setup and teardown, the layout, the main loop,
 * signals, the "terminal too small" notice and stderr held back while
 * curses runs.  tui-overlay.c has the result area and the overlay (help
 * and long command output); tui-draw.c what every pane draws with.  Each pane is a class (struct
 * tui_pane_class, as tmux's window modes and htop's panel classes are) in
 * a file of its own (tui-heap.c, tui-bins.c, tui-map.c, tui-log.c,
 * tui-lesson.c): update (a new view came: where its rows are, without a
 * row per chunk), draw (only the visible rows, read from the heap as they
 * are drawn) and key (NULL: the scrolling every pane shares).  The panes
 * read the heap only through a view snapshot (snapshot_view and its
 * snapshot_view_* calls), which costs what the screen shows, not what the
 * heap holds.  A pane is drawn only when its dirty flag is set; every
 * window goes out with wnoutrefresh and the screen with one doupdate.
 * tui-input.c puts GNU Readline's callback interface inside curses.
 */
#ifndef HEAPVIZ_TUI_DRAW_H
#define HEAPVIZ_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "out.h"
#include "session.h"
#include "snapshot.h"
#include "tui-opts.h"

/* What a cell can be drawn as; each maps to a colour or an attribute. */
enum tui_style {
	TS_NORMAL,
	TS_BORDER,
	TS_TITLE,
	TS_TITLE_FOCUS,
	TS_HEAD,		/* column headings */
	TS_INUSE,
	TS_FREE,
	TS_TOP,
	TS_MMAP,
	TS_HEADER,		/* chunk header fields */
	TS_DANGLING,
	TS_FOREIGN,
	TS_FENCE,
	TS_BREAK,
	TS_CHANGED,		/* touched by the last command */
	TS_ERROR,
	TS_DIM,
	TS_COUNT
};

enum tui_pane_id {
	PANE_HEAP,
	PANE_BINS,
	PANE_MAP,
	PANE_LOG,
	PANE_LESSON,		/* only while a lesson is open */
	PANE_COUNT
};

struct tui;
struct tui_pane;

/* What a pane is: one of these per kind, read-only. */
struct tui_pane_class {
	const char	*name;		/* for `zoom NAME`: "heap" */
	const char	*title;		/* on its frame: "Heap" */
	/* A new view came (t->snap): count the rows, keep in view what
	 * changed. */
	void		(*update)(struct tui *, struct tui_pane *);
	/* Draw the frame and the visible rows into p->win. */
	void		(*draw)(struct tui *, struct tui_pane *);
	/* A key for the focused pane; NULL: tui_pane_scroll_key. */
	bool		(*key)(struct tui *, struct tui_pane *, int);
	/* Its rows depend on its width (wrapped text): update again when
	 * the layout changes. */
	bool		 rewrap;
	/* What its numbers are, on the bottom border where it fits. */
	const char	*foot;
};

extern const struct tui_pane_class tui_heap_class;
extern const struct tui_pane_class tui_bins_class;
extern const struct tui_pane_class tui_map_class;
extern const struct tui_pane_class tui_log_class;
extern const struct tui_pane_class tui_lesson_class;
/* The Heap pane while `compare` runs (tui-compare.c). */
extern const struct tui_pane_class tui_compare_class;

struct tui_pane {
	const struct tui_pane_class *cls;
	const char	*title;
	WINDOW		*win;
	int		 y, x, h, w;	/* placement, border included */
	bool		 dirty;
	size_t		 top;		/* first row shown */
	size_t		 nrows;		/* rows of content */
	int		 fixed;		/* rows above the scrolled part */
	bool		 follow;	/* keep the last row in view (Log) */
	void		*rows;		/* the pane's own row index */
	size_t		 caprows;
	void		*aux;		/* more per-snapshot data */
	size_t		 capaux;
	struct buf	 text;		/* text the pane wraps, if any */
};

/* A row of wrapped text: bytes [off, off + len) after indent columns. */
struct tui_wrap_row {
	size_t		off;
	uint32_t	len;
	uint16_t	indent;
	bool		cont;		/* a continued line */
};

/* Writes one row left to right, clipped to its width. */
struct tui_line {
	struct tui	*t;
	WINDOW		*w;
	int		 left;		/* columns still free */
	attr_t		 extra;		/* added to every style (highlight) */
	bool		 cut;		/* the row did not fit: marked */
};

struct tui {
	struct session		*s;
	struct tui_opts		 opts;
	struct snapshot		*snap;		/* a view (snapshot_view) */
	struct snap_index	*ix;		/* what the views follow */
	uint64_t		 prev_brk;	/* the break before the command */
	bool			 brk_moved;

	bool			 color, ascii;
	attr_t			 style[TS_COUNT];
	bool			 colored[TS_COUNT];

	struct tui_pane		 pane[PANE_COUNT];
	int			 focus;
	int			 zoom;		/* the pane on the whole screen,
						   or -1 */
	bool			 zoom_forced;	/* by a small terminal */
	WINDOW			*result, *input, *overlay;
	int			 result_h;
	int			 rows, cols;
	bool			 too_small;
	bool			 result_dirty;
	bool			 all_dirty;
	bool			 relayout;	/* make the layout again before
						   the next draw (an overlay
						   opened) */

	struct buf		 result_text;	/* what the result line says */
	struct tui_wrap_row	*res_rows;	/* it wrapped */
	size_t			 res_cap;
	bool			 result_error;

	bool			 ov_open;
	char			 ov_title[64];
	struct buf		 ov_text;
	struct tui_wrap_row	*ov_lines;	/* the text wrapped */
	size_t			 ov_nlines, ov_cap, ov_top;
	struct buf		 last_out;	/* the last command's, for F9 */
	char			 last_title[64];
	char			 bins_title[64];	/* a model's view */

	const char		*prompt;
	bool			 quit;
	int			 status;
	bool			 lesson_shown;	/* the layout has a Lesson pane */
};

/* tui-draw.c: styles, text, rows, frames and scrolling. */
void	 tui_styles_init(struct tui *);
attr_t	 tui_attr(struct tui *, enum tui_style);
/* Puts at most n columns of s (UTF-8) at the cursor; returns columns used. */
int	 tui_put(WINDOW *, const char *, int n);
int	 tui_putf(WINDOW *, int n, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* The columns s takes. */
int	 tui_width(const char *);
/* Puts s in n columns; a cut (never inside a word or number) is marked
 * with tui_cut_mark, "…". */
int	 tui_put_cut(struct tui *, WINDOW *, const char *, int n);
const char *tui_cut_mark(struct tui *);

/* Wraps the lines of s (n bytes) at spaces into rows of width columns,
 * into (*rows)[at] on (grown as needed); returns the number of rows. */
size_t	 tui_wrap(const char *, size_t, int width, struct tui_wrap_row **,
	     size_t *cap, size_t at);
/* Puts one wrapped row of s in at most n columns. */
int	 tui_wrap_put(WINDOW *, const char *, const struct tui_wrap_row *,
	     int n);
/* A line-drawing glyph: "─" or "-" and so on. */
const char *tui_glyph(struct tui *, const char *utf8, const char *ascii);
void	 tui_frame(struct tui *, struct tui_pane *);
/* Keeps the scroll position in range; rows visible in the pane. */
int	 tui_pane_view(struct tui_pane *);
void	 tui_pane_clamp(struct tui_pane *);
/* Make row r visible (centred if it was off screen). */
void	 tui_pane_show(struct tui_pane *, size_t r);
bool	 tui_pane_scroll_key(struct tui_pane *, int key);
void	 tui_pane_free(struct tui_pane *);

void	 tui_line_begin(struct tui_line *, struct tui *, WINDOW *, int y,
	     int x, int width, bool changed);
void	 tui_line_put(struct tui_line *, enum tui_style, const char *);
void	 tui_line_printf(struct tui_line *, enum tui_style, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* Fill the rest of the row (so a highlight spans it). */
void	 tui_line_end(struct tui_line *);
/* Grow a pane's row array to hold n rows of size sz. */
void	*tui_rows_reserve(void **, size_t *, size_t n, size_t sz);
/* The name of the chunk, "p1~" when dangling (as the text views), or
 * NULL. */
const char *tui_chunk_name(const struct snap_chunk *, char *, size_t);

/* Formatting helpers shared by the panes. */
/* A size as render_human_size gives it, "~42.7 TiB" when that would be
 * long. */
void	 tui_fmt_size(char *, size_t, uint64_t);
enum tui_style tui_chunk_style(const struct snap_chunk *);
/* The Heap pane's strip: the glyph of TS_INUSE, TS_FREE, TS_TOP or
 * TS_FOREIGN, and a one-line legend of them. */
const char *tui_strip_glyph(struct tui *, enum tui_style);
void	 tui_strip_legend(struct tui *, char *, size_t);
void	 tui_fmt_bin(char *, size_t, const struct snapshot *, int cls, int);

#endif
