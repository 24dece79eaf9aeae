/* cmd-allocator.c -- allocator [NAME]: which allocator model runs the heap. */
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "history.h"

static enum session_status
cmd_allocator_exec(struct cmd_ctx *c)
{
	struct session		*s = c->s;
	const struct model_ops	*ops;
	size_t			 i;

	if (c->argc == 0) {
		struct buf	b;

		buf_init(&b);
		for (i = 0; model_list[i] != NULL; i++)
			buf_printf(&b, "%s%s", i ? ", " : "",
			    model_list[i]->short_name);
		out_printf(c->out, "allocator %s: the %s model (the models: "
		    "%s)\n", session_model(s)->ops->short_name,
		    session_model(s)->ops->name, b.s);
		buf_free(&b);
		return SESSION_OK;
	}
	if ((ops = model_find(c->argv[0])) == NULL) {
		out_record_kind(cmd_record(c), "bad-arguments");
		struct buf	b;

		buf_init(&b);
		for (i = 0; model_list[i] != NULL; i++)
			buf_printf(&b, "%s%s", i ? ", " : "",
			    model_list[i]->short_name);
		out_kprintf(c->out, OUT_ERROR, "allocator: no model named %s "
		    "(the models: %s)\n", c->argv[0], b.s);
		buf_free(&b);
		return SESSION_ERROR;
	}
	/* A session standing for one model replays a switch as a fresh
	 * start on that model (its steps stay the others' steps). */
	if (session_pinned(s) != NULL)
		ops = session_pinned(s);
	if (!history_replaying(s) && session_in_lesson(s) &&
	    ops == session_model(s)->ops) {
		/* `open` started the lesson on this model already. */
		out_printf(c->out, "allocator %s: the lesson started on it "
		    "already\n", ops->short_name);
		return SESSION_OK;
	}
	/* A lesson may choose its model in its first lines, not later. */
	if (!history_replaying(s) && session_lesson(s) != NULL &&
	    history_length(s) > 0) {
		out_kprintf(c->out, OUT_ERROR, "allocator: a lesson is under "
		    "way; another allocator would start afresh under it\n");
		return SESSION_ERROR;
	}
	if (!history_replaying(s) && (history_length(s) == 0 ||
	    session_engine(s)->remodel == NULL)) {
		/*
		 * Nothing done yet: the session starts on it, as with
		 * `heapviz --allocator NAME` (so a saved script's first line
		 * replays to the same steps).  No step: there is nothing
		 * before it to go back to.  A mode whose process keeps its
		 * model (real) starts a new one, afresh, the same way.
		 */
		if (session_set_model(s, ops, c->out) != 0)
			return SESSION_ERROR;
	} else {
		/* A step: `back` returns to the model before and its heap. */
		if (session_model_refused(s, ops, c->out))
			return SESSION_ERROR;
		session_leave(s);	/* out of a trace, to the heap under */
		history_begin(s, false, "allocator %s", ops->short_name);
		if (history_restore_fresh(s, ops) != 0) {
			history_abort(s);
			out_kprintf(c->out, OUT_ERROR, "allocator %s: this mode "
			    "keeps the model its process started with\n",
			    ops->short_name);
			return SESSION_ERROR;
		}
	}
	out_printf(c->out, "allocator %s: a fresh heap on the %s model\n",
	    ops->short_name, ops->name);
	return SESSION_OK;
}

static void
cmd_allocator_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	size_t	k;

	for (k = 0; n == 1 && model_list[k] != NULL; k++)
		add(ctx, model_list[k]->short_name);
}

const struct cmd_entry cmd_allocator_entry = {
	.name = "allocator",
	.usage = "[dlmalloc|glibc]",
	.summary = "which allocator model runs the heap; NAME starts afresh "
	    "on it (a step)",
	.help = "heapviz models two allocators: dlmalloc 2.8.6 (the default) "
	    "and glibc 2.36's\nptmalloc2 (tcache, fastbins, the unsorted, "
	    "small and large bins), each placing\nchunks exactly as the real "
	    "one does.  Without an argument, says which is on.\nWith a name, "
	    "starts afresh on that model, like `reset`: a step, so `back`\n"
	    "returns to the model before and its heap.  Before the first "
	    "step it picks the\nmodel the session starts on, as `heapviz "
	    "--allocator NAME` does (no step).\n`save` writes step 0's model "
	    "first, so a saved script replays on the same\nmodels.  Real "
	    "mode runs dlmalloc only.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_allocator_exec,
	.complete = cmd_allocator_complete,
};
