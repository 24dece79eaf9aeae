/*
 * tui-input.h -- GNU Readline's callback interface inside curses
 * (tui-input.c).
 */
#ifndef HEAPVIZ_TUI_INPUT_H
#define HEAPVIZ_TUI_INPUT_H

#include "tui-draw.h"

/* tui-input.c */
/* run: what Enter does with the line (tui.c runs it as a command). */
void	 tui_input_init(struct tui *,
	     void (*run)(struct tui *, const char *line));
void	 tui_input_fini(struct tui *);
/* One key from curses (wget_wch's result) for readline. */
void	 tui_input_key(struct tui *, int ret, wint_t);
void	 tui_input_draw(struct tui *);
bool	 tui_input_empty(void);
/* Ctrl-R's search is on (Esc ends it there). */
bool	 tui_input_searching(void);
/* Ctrl-C: drop the line and any search or completion in progress. */
void	 tui_input_cancel(struct tui *);

#endif
