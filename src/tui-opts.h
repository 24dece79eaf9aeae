/*
 * tui-opts.h -- what the full screen is started with (tui_run, tui.h):
 * the one thing main.c and the screen's own files (tui-draw.h) both need.
 */
#ifndef HEAPVIZ_TUI_OPTS_H
#define HEAPVIZ_TUI_OPTS_H

#include <stdbool.h>

struct tui_opts {
	bool		 color;		/* false: --no-color or NO_COLOR */
	bool		 ascii;		/* --ascii: no UTF-8 line drawing */
	const char	*history_file;	/* NULL: default; "": no history */
	const char	*prompt;	/* NULL: "heapviz> " */
};

#endif
