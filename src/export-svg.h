/*
 * export-svg.h -- one step as an SVG picture (export-svg.c).
 */
#ifndef HEAPVIZ_EXPORT_SVG_H
#define HEAPVIZ_EXPORT_SVG_H

#include "export-common.h"

/* One snapshot as an SVG 1.1 document, titled with the command line
 * that made the step (NULL: the snapshot's last command). */
void	export_svg_render(const struct snapshot *, const char *line,
	    enum export_theme, struct buf *);
/* Step `step` of the session as SVG. */
int	export_svg(struct session *, size_t step, enum export_theme,
	    struct buf *, struct out *);

#endif
