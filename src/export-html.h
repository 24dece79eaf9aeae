/*
 * export-html.h -- every step of a session as one HTML page
 * (export-html.c), with the viewer it carries.
 */
#ifndef HEAPVIZ_EXPORT_HTML_H
#define HEAPVIZ_EXPORT_HTML_H

#include "export-common.h"

/* Every step of the session as one HTML page. */
int	export_html(struct session *, enum export_theme, struct buf *,
	    struct out *);

/* The viewer the page carries (export-viewer.js and .css, embedded at
 * build time into export-viewer.c). */
extern const char export_viewer_js[];
extern const char export_viewer_css[];

#endif
