/*
 * export.h -- pictures and pages for outside heapviz: one step as SVG for
 * slides, a whole session as one self-contained HTML page.
 *
 * The writers (export-svg.c, export-html.c) read only snapshots, through
 * what export-common.h gives them; export_file chooses one by the file's
 * name.
 */
#ifndef HEAPVIZ_EXPORT_H
#define HEAPVIZ_EXPORT_H

#include <stddef.h>

#include "export-common.h"

struct session;

/* FILE.svg or FILE.html (by its ending, any case) of step `step` (all
 * steps for HTML; SIZE_MAX: the current one), written atomically. */
int	export_file(struct session *, const char *path, size_t step,
	    enum export_theme, struct out *);

#endif
