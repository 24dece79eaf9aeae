/*
 * repl.h -- the line-mode prompt: GNU Readline with history and completion,
 * results printed as plain text.  For --plain, and terminals the full
 * screen cannot use.
 */
#ifndef HEAPVIZ_REPL_H
#define HEAPVIZ_REPL_H

struct session;

int	 repl_run(struct session *);
/* $XDG_STATE_HOME/heapviz/history or ~/.local/state/heapviz/history,
 * creating the directory; NULL when there is no home.  Caller frees. */
char	*repl_history_path(void);

#endif
