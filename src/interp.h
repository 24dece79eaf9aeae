/*
 * interp.h -- the interpreter: lines of the command language, one at a
 * time or a file of them, run on a session.
 */
#ifndef HEAPVIZ_INTERP_H
#define HEAPVIZ_INTERP_H

#include <stdio.h>

#include "out.h"
#include "session.h"

/* Run one line of the command language. */
enum session_status interp_exec(struct session *, const char *,
		     struct out *);
/* Run every line of a file; errors name file:line. */
enum session_status interp_source(struct session *, const char *,
		     struct out *);
/* Called around each line a stream runs (batch mode's --json). */
struct interp_hooks {
	void	 (*begin)(void *, unsigned, const char *);
	void	 (*end)(void *, unsigned, const char *, enum session_status);
	void	*ctx;
};
enum session_status interp_source_stream(struct session *, FILE *,
		     const char *, struct out *, const struct interp_hooks *);

#endif
