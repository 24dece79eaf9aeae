/* cmd-state.c -- state [--json]: everything at once. */
#include <string.h>

#include "cmd.h"
#include "render.h"

static enum session_status
cmd_state_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap;
	struct buf	 b;

	if (c->argc == 1 && strcmp(c->argv[0], "--json") != 0) {
		out_record_kind(cmd_record(c), "bad-arguments");
		out_kprintf(c->out, OUT_ERROR, "state: unknown option %s (the "
		    "only one is --json)\n", c->argv[0]);
		return SESSION_ERROR;
	}
	snap = snapshot_take(c->s);
	if (c->argc == 1 && cmd_record(c) != NULL) {
		/* --json batch: the object itself, beside an empty output. */
		render_json_state(snap, &cmd_record(c)->state);
	} else if (c->argc == 1) {
		buf_init(&b);
		render_json_state(snap, &b);
		buf_addc(&b, '\n');
		out_write(c->out, OUT_TEXT, b.s, b.len);
		buf_free(&b);
	} else {
		render_heap(snap, c->out);
		render_bins(snap, c->out);
		render_map(snap, c->out);
	}
	snapshot_free(snap);
	return SESSION_OK;
}

static void
cmd_state_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	if (n == 1)
		add(ctx, "--json");
}

const struct cmd_entry cmd_state_entry = {
	.name = "state",
	.usage = "[--json]",
	.summary = "heap, bins and map together; --json: all of it as JSON",
	.help = "Without options: the heap, bins and map views together.  "
	    "With --json: the\nwhole state as one JSON object on one line "
	    "(mode, break, chunks, bins,\nnames, mappings, log, stats), "
	    "addresses and sizes as numbers, for scripts,\nautograders and "
	    "tests.  heapviz(1) documents the fields.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_state_exec,
	.complete = cmd_state_complete,
};
