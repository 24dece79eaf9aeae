/*
 * tui-overlay.h -- the result area and the overlay (tui-overlay.c).
 */
#ifndef HEAPVIZ_TUI_OVERLAY_H
#define HEAPVIZ_TUI_OVERLAY_H

#include "tui-draw.h"

/* tui-overlay.c: the result area and the overlay (help, F9, views). */
void	 tui_set_result(struct tui *, const char *, size_t, bool error);
void	 tui_result_draw(struct tui *);
void	 tui_open_overlay(struct tui *, const char *title, const char *,
	     size_t);
/* Wrap the overlay's text for its window (after the layout made it). */
void	 tui_overlay_wrap(struct tui *);
void	 tui_overlay_close(struct tui *);
void	 tui_overlay_draw(struct tui *);
/* A key while the overlay is open; false: not the overlay's. */
bool	 tui_overlay_key(struct tui *, int);
/* Help: the keys, the marks, then the commands' help text. */
void	 tui_help_open(struct tui *, const char *cmdhelp, size_t);
void	 tui_help_overlay(struct tui *);

#endif
