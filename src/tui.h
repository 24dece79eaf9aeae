/*
 * tui.h -- the full-screen view: four ncurses panes (Heap, Bins, Memory map,
 * Log), a result line and a GNU Readline prompt, over one session.
 *
 * For main.c:
 *
 *	struct tui_opts	 o = {
 *		.color = !no_color_flag && getenv("NO_COLOR") == NULL,
 *		.ascii = ascii_flag,
 *		.history_file = NULL,		(NULL: the default place)
 *	};
 *	int st = tui_run(s, &o);
 *	if (st == TUI_UNAVAILABLE)
 *		...fall back to the line-mode REPL...
 *	else
 *		exit status st
 *
 * Call it only when stdin and stdout are terminals.  It returns
 *	0			after `quit`, Ctrl-D on an empty line or F10;
 *	128 + signo		after SIGINT, SIGTERM or SIGHUP (the screen is
 *				restored first; main may simply exit with it);
 *	1			after a fatal error (the reason is on stderr);
 *	TUI_UNAVAILABLE (-1)	when the screen could not be set up (unknown
 *				TERM...): nothing was drawn, the terminal is as
 *				it was, a reason is on stderr.
 *
 * What tui_run does to the process, so main need not: it sets LC_CTYPE from
 * the environment (setlocale(LC_CTYPE, "")) when the locale is still "C";
 * it installs handlers for SIGINT, SIGTERM, SIGHUP, SIGWINCH and the fatal
 * signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) while it runs and puts
 * the old ones back before it returns (curses handles SIGTSTP: Ctrl-Z
 * suspends); while curses owns the screen, file descriptor 2 is sent to a
 * temporary file whose contents are written to the real stderr afterwards
 * (also from exit(), via atexit, and from a sanitizer's death callback).
 *
 * The history file is $XDG_STATE_HOME/heapviz/history, else
 * ~/.local/state/heapviz/history; history_file overrides it, "" turns
 * history off.  Failing to read or write it only leaves a note on stderr.
 *
 * Nothing here includes curses or readline: only tui*.c do.
 */
#ifndef HEAPVIZ_TUI_H
#define HEAPVIZ_TUI_H

#include <stdbool.h>

struct session;

#define TUI_UNAVAILABLE	(-1)

#include "tui-opts.h"

int	tui_run(struct session *, const struct tui_opts *);

#endif
