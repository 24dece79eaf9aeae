/*
 * export.c -- `export FILE`: the writer the file's name asks for (SVG,
 * export-svg.c, or HTML, export-html.c) and the file written whole or not
 * at all.  What the writers share is in export-common.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "export.h"
#include "export-html.h"
#include "export-svg.h"
#include "history.h"
#include "xmalloc.h"

static bool
ends_with(const char *s, const char *tail)
{
	size_t	ls = strlen(s), lt = strlen(tail);

	return ls > lt && strcasecmp(s + ls - lt, tail) == 0;
}

/* Write b to path by way of a temporary file beside it. */
static int
write_file(const char *path, const struct buf *b, struct out *out)
{
	char	*tmp;
	FILE	*f;
	int	 e;

	xasprintf(&tmp, "%s.tmp%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		out_kprintf(out, OUT_ERROR, "export: cannot write %s: %s\n",
		    path, strerror(errno));
		free(tmp);
		return -1;
	}
	if ((b->len > 0 && fwrite(b->s, 1, b->len, f) != b->len) ||
	    fflush(f) != 0 || ferror(f)) {
		e = errno ? errno : EIO;
		fclose(f);
		unlink(tmp);
		out_kprintf(out, OUT_ERROR, "export: cannot write %s: %s\n",
		    path, strerror(e));
		free(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		out_kprintf(out, OUT_ERROR, "export: cannot write %s: %s\n",
		    path, strerror(e));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
export_file(struct session *s, const char *path, size_t step,
    enum export_theme theme, struct out *out)
{
	struct buf	b;
	bool		svg = ends_with(path, ".svg");
	int		r;

	if (!svg && !ends_with(path, ".html") && !ends_with(path, ".htm")) {
		out_kprintf(out, OUT_ERROR, "export: %s: the file name must "
		    "end in .svg (one step) or .html (every step)\n", path);
		return -1;
	}
	if (!svg && step != SIZE_MAX) {
		out_kprintf(out, OUT_ERROR, "export: a page holds every step; "
		    "STEP is for .svg\n");
		return -1;
	}
	if (step == SIZE_MAX)
		step = history_position(s);
	if (step > history_length(s)) {
		out_kprintf(out, OUT_ERROR, "export: step %zu does not exist "
		    "(steps go from 0 to %zu)\n", step, history_length(s));
		return -1;
	}
	buf_init(&b);
	r = svg ? export_svg(s, step, theme, &b, out) :
	    export_html(s, theme, &b, out);
	if (r == 0)
		r = write_file(path, &b, out);
	if (r == 0 && svg)
		out_printf(out, "exported step %zu to %s (%zu bytes)\n",
		    step, path, b.len);
	else if (r == 0)
		out_printf(out, "exported steps 0 to %zu to %s (%zu bytes)\n",
		    history_length(s), path, b.len);
	buf_free(&b);
	return r;
}
