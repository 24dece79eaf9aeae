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
/* Batch mode's --json: the fields of each line go to r (NULL: none). */
void		 interp_set_record(struct session *, struct out_record *r);
/* The record of the line being run, if it is the user's own (not one a
 * script, a replay or a command runs): NULL otherwise. */
struct out_record *interp_record(const struct session *);
/* Where the commands build a reply line (reset before each use). */
struct buf	*interp_reply(struct session *);

/* Called around each line a stream runs (batch mode's --json). */
struct interp_hooks {
	void	 (*begin)(void *, unsigned, const char *);
	void	 (*end)(void *, unsigned, const char *, enum session_status);
	void	*ctx;
};
enum session_status interp_source_stream(struct session *, FILE *,
		     const char *, struct out *, const struct interp_hooks *);

#endif
