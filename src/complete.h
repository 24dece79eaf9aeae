/*
 * complete.h -- what may come next on a command line, for tab completion
 * in the line-mode REPL and the full-screen view alike.
 */
#ifndef HEAPVIZ_COMPLETE_H
#define HEAPVIZ_COMPLETE_H

#include <stddef.h>

struct session;

/*
 * The candidates for the word that starts at byte `start` of `line` and
 * begins with `prefix`: command names in the first word, bound names where
 * a name fits, `set` keys after `set`.  Returns a NULL-terminated array of
 * strings the caller frees (each, then the array); NULL when none.
 */
char	**complete_candidates(struct session *, const char *line, size_t start,
	    const char *prefix);

#endif
