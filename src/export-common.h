/*
 * export-common.h -- what the export writers (export-svg.c, export-html.c)
 * share.  What a person or a program put into a session (names, printf
 * text, narration, paths) reaches their output only through the escapers
 * here, which also replace invalid UTF-8: it is always text, never markup.
 */
#ifndef HEAPVIZ_EXPORT_COMMON_H
#define HEAPVIZ_EXPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"
#include "snapshot.h"

struct session;

enum export_theme {
	EXPORT_LIGHT,
	EXPORT_DARK,
};

/* "light" or "dark"; -1 with a message naming `who` otherwise. */
int	export_parse_theme(const char *, enum export_theme *, const char *who,
	    struct out *);

/*
 * Text for XML and HTML: & < > " ' as entities, invalid UTF-8 (stray
 * bytes, overlong forms, surrogates) and the control characters XML 1.0
 * forbids as U+FFFD.  Tabs and newlines stay.
 */
void	export_xml_text(struct buf *, const char *, size_t);
/*
 * A JSON string literal safe inside an HTML <script> element: as JSON,
 * with < > & as \u escapes (no "</script" or "<!--" can appear) and
 * invalid UTF-8 as \ufffd.
 */
void	export_json_string(struct buf *, const char *, size_t);

/* The session's explanation of its current step, as text. */
void	export_explain(const struct snapshot *, struct buf *);
/* The lesson narration of step n (the comments before the line that made
 * it), or "" when no lesson is open or it did not make the step. */
void	export_narration(const struct session *, size_t n, struct buf *);

/*
 * Visit steps from..to of the history in order, calling fn at each with
 * the session there; then put the session (and its lesson) back where it
 * was.  Returns -1 (with a message) if a step could not be reached or fn
 * failed.
 */
int	export_visit(struct session *, size_t from, size_t to,
	    int (*fn)(struct session *, size_t, void *), void *,
	    struct out *);

#endif
