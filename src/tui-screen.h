/*
 * tui-screen.h -- tui.c's own calls beyond tui_run: the screen, its layout
 * and its loop, for tui.c and the benchmark (bench/tui-redraw.c).  The
 * files under the screen (tui-draw.c, the panes, tui-overlay.c,
 * tui-input.c) never call these: what they need is handed down.
 */
#ifndef HEAPVIZ_TUI_SCREEN_H
#define HEAPVIZ_TUI_SCREEN_H

#include "tui-draw.h"
#include "tui-input.h"
#include "tui-overlay.h"

/* tui.c: the screen and its loop. */
void	 tui_redraw_all(struct tui *);
void	 tui_focus(struct tui *, int delta);
void	 tui_focus_set(struct tui *, int pane);
void	 tui_layout(struct tui *);
void	 tui_draw(struct tui *);
/* For the benchmark: set up struct tui on an existing curses screen. */
void	 tui_init_view(struct tui *, struct session *, const struct tui_opts *);
void	 tui_set_snapshot(struct tui *, struct snapshot *);
/* A new view after line ran (NULL: anything may have changed). */
void	 tui_refresh(struct tui *, const char *line);
void	 tui_fini_view(struct tui *);

#endif
