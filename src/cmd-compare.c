/* cmd-compare.c -- compare [MODEL [MODEL] | off]: every step on two models. */
#include <string.h>

#include "cmd.h"
#include "compare.h"

/* The models there are, for a message: "dlmalloc, glibc". */
static void
model_names(struct buf *b)
{
	size_t	i;

	for (i = 0; model_list[i] != NULL; i++)
		buf_printf(b, "%s%s", i ? ", " : "", model_list[i]->short_name);
}

static const struct model_ops *
find_model(struct cmd_ctx *c, const char *name)
{
	const struct model_ops	*ops = model_find(name);
	struct buf		 b;

	if (ops != NULL)
		return ops;
	out_record_kind(cmd_record(c), "bad-arguments");
	buf_init(&b);
	model_names(&b);
	out_kprintf(c->out, OUT_ERROR, "compare: no model named %s (the "
	    "models: %s; `compare off` stops comparing)\n", name, b.s);
	buf_free(&b);
	return NULL;
}

static enum session_status
cmd_compare_exec(struct cmd_ctx *c)
{
	struct session		*s = c->s;
	const struct model_ops	*a = session_model(s)->ops, *b = NULL;
	size_t			 i;

	if (c->argc == 1 && strcmp(c->argv[0], "off") == 0) {
		if (compare_of(s) == NULL)
			out_printf(c->out, "compare: off already\n");
		else {
			compare_stop(s);
			out_printf(c->out, "compare: off; the session goes on "
			    "on %s alone\n", session_model(s)->ops->short_name);
		}
		return SESSION_OK;
	}
	if (c->argc == 0 && compare_of(s) != NULL) {
		compare_sync(compare_of(s), s);
		compare_say_status(compare_of(s), c->out);
		compare_say_here(compare_of(s), s, c->out);
		return SESSION_OK;
	}
	if (c->argc == 0) {
		/* The session's model and the first other one. */
		for (i = 0; model_list[i] != NULL && b == NULL; i++)
			if (model_list[i] != a)
				b = model_list[i];
	} else if (c->argc == 1) {
		if ((b = find_model(c, c->argv[0])) == NULL)
			return SESSION_ERROR;
		if (b == a) {
			out_record_kind(cmd_record(c), "bad-arguments");
			out_kprintf(c->out, OUT_ERROR, "compare: the session "
			    "runs %s already; name the model to compare it "
			    "with, or both (`compare dlmalloc glibc`)\n",
			    a->short_name);
			return SESSION_ERROR;
		}
	} else {
		if ((a = find_model(c, c->argv[0])) == NULL ||
		    (b = find_model(c, c->argv[1])) == NULL)
			return SESSION_ERROR;
	}
	if (compare_start(s, a, b, c->out) != 0) {
		out_record_kind(cmd_record(c), "refused");
		return SESSION_ERROR;
	}
	out_printf(c->out, "compare %s %s: every step runs on both from now "
	    "on (`compare off` stops)\n", a->short_name, b->short_name);
	compare_say_status(compare_of(s), c->out);
	return SESSION_OK;
}

static void
cmd_compare_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	size_t	k;

	if (n == 1)
		add(ctx, "off");
	for (k = 0; n <= 2 && model_list[k] != NULL; k++)
		add(ctx, model_list[k]->short_name);
}

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.usage = "[MODEL [MODEL] | off]",
	.summary = "run every step on two allocator models side by side",
	.help = "Runs the session's steps on two allocator models at once, "
	    "the ones made so\nfar and every one after, and says after each "
	    "step where each model placed\nthe block (offset from its heap "
	    "start and address), its chunk size and what\nthe model did.  "
	    "The first step where the two place a block differently\n(another "
	    "offset from the first block each placed, or mmapped on one\n"
	    "side only) is marked.\nWithout an argument: the session's model against the "
	    "other one (or, when\ncomparing, how it stands); MODEL: the "
	    "session's against MODEL; two MODELs:\nthose two.  back, forward "
	    "and goto move both sides.  `compare off` stops.\nNot in a trace "
	    "or in real mode.  `heapviz --compare dlmalloc,glibc FILE`\ndoes "
	    "it for a script.",
	.args_min = 0,
	.args_max = 2,
	.trace_refusal = "a trace's steps were made by a program, not by a "
	    "model: there is nothing to run on two",
	.exec = cmd_compare_exec,
	.complete = cmd_compare_complete,
};
