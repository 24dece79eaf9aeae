/*
 * render-explain.c -- what the allocator did in the last step, decision by
 * decision, with the arithmetic (in the model's words: its explain op),
 * then the system calls it made.  Reads only the snapshot (its decisions
 * and the log entries of the step).
 */
#include <stdio.h>

#include "render.h"

void
render_explain(const struct snapshot *snap, struct out *out)
{
	struct model_explain_ctx	 x;
	struct buf			 w;
	size_t				 i, at;

	if (snap->step == 0) {
		out_printf(out, "nothing to explain: no step yet\n");
		return;
	}
	out_printf(out, "step %u: %s\n", snap->step, snap->last);
	if (snap->ndec == 0)
		out_printf(out, "- the allocator took no decision in this step\n");
	/* The decisions in the model's words, with the arithmetic; each
	 * line written on its own, as a line of the view. */
	x.mmap_threshold = snap->mmap_threshold;
	x.trim_threshold = snap->trim_threshold;
	x.max_fast = snap->max_fast;
	buf_init(&w);
	if (snap->model != NULL && snap->ndec > 0)
		snap->model->explain(snap->dec, snap->ndec, &x, &w);
	for (at = 0; at < w.len; at = i + 1) {
		for (i = at; i < w.len && w.s[i] != '\n'; i++)
			continue;
		out_write(out, OUT_TEXT, w.s + at, i < w.len ? i + 1 - at :
		    i - at);
	}
	buf_free(&w);
	if (snap->log_new < snap->nlog) {
		out_printf(out, "system calls:\n");
		for (i = snap->log_new; i < snap->nlog; i++) {
			struct buf	b;

			buf_init(&b);
			sysevent_text(&b, &snap->log[i]);
			out_printf(out, "  %s%s\n", b.s, snap->log[i].foreign ?
			    "  (not the allocator's)" : "");
			buf_free(&b);
		}
	}
}
