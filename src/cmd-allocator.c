/* cmd-allocator.c -- allocator [NAME]: which allocator model runs the heap. */
#include <string.h>

#include "cmd.h"
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
	if (history_replaying(s))
		return SESSION_OK;	/* never a step; nothing to replay */
	if (session_in_lesson(s) && ops == session_model(s)->ops) {
		/* `open` started the lesson on this model already. */
		out_printf(c->out, "allocator %s: the lesson started on it "
		    "already\n", ops->short_name);
		return SESSION_OK;
	}
	/* A lesson may choose its model in its first lines, not later. */
	if (session_lesson(s) != NULL && history_length(s) > 0) {
		out_kprintf(c->out, OUT_ERROR, "allocator: a lesson is under "
		    "way; another allocator would start afresh under it\n");
		return SESSION_ERROR;
	}
	if (session_set_model(s, ops, c->out) != 0)
		return SESSION_ERROR;
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
	    "on it",
	.help = "heapviz models two allocators: dlmalloc 2.8.6 (the default) "
	    "and glibc 2.36's\nptmalloc2 (tcache, fastbins, the unsorted, "
	    "small and large bins), each placing\nchunks exactly as the real "
	    "one does.  Without an argument, says which is on.\nWith a name, "
	    "starts afresh on that model, like `reset`; `save` writes it\n"
	    "first, so a saved script replays on the same model.  In real "
	    "mode, glibc\nmeans the subject calls the real libc's malloc, "
	    "with the model checked\nagainst it after each call.  `heapviz "
	    "--allocator NAME` starts on it.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_allocator_exec,
	.complete = cmd_allocator_complete,
};
